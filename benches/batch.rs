//! batch_put of 10,000 small items vs a hand-written concurrent
//! aws-sdk-dynamodb loop at the same concurrency, against DynamoDB Local.
//! Run with `cargo bench --bench batch`; prints items per second of each,
//! alternating runs so drift affects both alike.

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use dynamo_model::local::DynamoDbLocal;
use dynamo_model::Model;
use futures::stream::{self, StreamExt};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const ITEMS: usize = 10_000;
const CONCURRENCY: usize = 4;
const ROUNDS: usize = 3;

#[derive(Model, Clone)]
#[model(table = "bench_points")]
struct Point {
    #[model(hash_key)]
    id: String,
    value: u64,
    label: String,
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(run());
}

/// The hand-written version: chunks of 25, `CONCURRENCY` in flight,
/// unprocessed items resent until none are left.
async fn by_hand(sdk: &aws_sdk_dynamodb::Client, table: &str, points: &[Point]) {
    let chunks: Vec<Vec<WriteRequest>> = points
        .chunks(25)
        .map(|chunk| {
            chunk
                .iter()
                .map(|p| {
                    let mut item = HashMap::with_capacity(3);
                    item.insert("id".to_owned(), AttributeValue::S(p.id.clone()));
                    item.insert("value".to_owned(), AttributeValue::N(p.value.to_string()));
                    item.insert("label".to_owned(), AttributeValue::S(p.label.clone()));
                    let put = PutRequest::builder().set_item(Some(item)).build().unwrap();
                    WriteRequest::builder().put_request(put).build()
                })
                .collect()
        })
        .collect();
    stream::iter(chunks)
        .for_each_concurrent(CONCURRENCY, |mut requests| async move {
            while !requests.is_empty() {
                let output = sdk
                    .batch_write_item()
                    .request_items(table, requests)
                    .send()
                    .await
                    .unwrap();
                requests = output
                    .unprocessed_items
                    .and_then(|mut u| u.remove(table))
                    .unwrap_or_default();
            }
        })
        .await;
}

async fn run() {
    let local = DynamoDbLocal::shared().await.expect("DynamoDB Local");
    let db = local.client().with_table_prefix(format!("bench{}_", std::process::id()));
    Point::create_table(&db).await.unwrap();
    let table = db.table_name::<Point>();
    let points: Vec<Point> = (0..ITEMS)
        .map(|i| Point { id: format!("p{i:06}"), value: i as u64, label: "small".into() })
        .collect();

    let (mut hand, mut model) = (Duration::ZERO, Duration::ZERO);
    for round in 0..=ROUNDS {
        let start = Instant::now();
        by_hand(db.sdk(), &table, &points).await;
        let hand_time = start.elapsed();
        let start = Instant::now();
        Point::batch_put(&db, &points).concurrency(CONCURRENCY).await.unwrap();
        let model_time = start.elapsed();
        if round > 0 {
            hand += hand_time;
            model += model_time;
        }
    }
    Point::delete_table(&db).await.unwrap();

    let rate = |time: Duration| (ITEMS * ROUNDS) as f64 / time.as_secs_f64();
    println!("batch_put of {ITEMS} items, concurrency {CONCURRENCY}, {ROUNDS} rounds after a warm-up");
    println!("hand-written loop: {:>8.0} items/s", rate(hand));
    println!("dynamo-model:      {:>8.0} items/s", rate(model));
    println!("ratio (dynamo-model / hand-written): {:.3}", rate(model) / rate(hand));
}
