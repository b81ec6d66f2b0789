//! Client CPU time per operation against DynamoDB Local: dynamo-model vs
//! hand-written aws-sdk-dynamodb calls, in the same process, on the same
//! items, alternating batches so drift affects both alike.
//!
//! Run with `cargo bench --bench operations`. Wall-clock time is dominated by
//! DynamoDB Local, so this measures the CPU time of the client thread
//! (`/proc/thread-self/schedstat`, nanoseconds) on a current-thread runtime,
//! where the SDK, hyper and our code all run.

mod common;

use aws_sdk_dynamodb::types::AttributeValue;
use common::User;
use dynamo_model::local::DynamoDbLocal;
use dynamo_model::observe::CapacityMode;
use dynamo_model::Model;
use std::time::Duration;

const ITEMS: u64 = 200;
const ROUNDS: usize = 15;

/// CPU time this thread has used so far.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat")
        .expect("this benchmark needs Linux's /proc/thread-self/schedstat");
    let nanos = stat
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(nanos)
}

/// Runs `op` for every item and returns the CPU time it took.
async fn measure<F, Fut>(mut op: F) -> Duration
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let start = thread_cpu();
    for n in 0..ITEMS {
        op(n).await;
    }
    thread_cpu() - start
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` lists benchmarks; nothing to list.
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    common::check_equivalent();
    let local = DynamoDbLocal::shared().await.expect("DynamoDB Local");
    let db = local
        .client()
        .with_table_prefix(format!("bench{}_", std::process::id()));
    User::create_table(&db).await.unwrap();
    // The hand-written side: a plain SDK client, without the interceptor
    // dynamo-model's clients carry (see dynamo_model::observe).
    let sdk = plain_sdk(local.endpoint());
    let metered = db.clone().with_capacity(CapacityMode::Indexes);
    let table = db.table_name::<User>();
    let users: Vec<User> = (0..ITEMS).map(User::sample).collect();

    let [mut put_hand, mut put_model, mut get_hand, mut get_model] = [Duration::ZERO; 4];
    let [mut put_metered, mut get_metered] = [Duration::ZERO; 2];
    for round in 0..=ROUNDS {
        let hand_put = measure(|n| {
            let request = sdk
                .put_item()
                .table_name(&table)
                .set_item(Some(users[n as usize].to_item_by_hand()));
            async move {
                request.send().await.unwrap();
            }
        })
        .await;
        let model_put = measure(|n| {
            let (db, user) = (&db, &users[n as usize]);
            async move { User::save(db, user).await.unwrap() }
        })
        .await;
        let hand_get = measure(|n| {
            let request = sdk
                .get_item()
                .table_name(&table)
                .key("id", AttributeValue::S(users[n as usize].id.clone()));
            async move {
                let item = request.send().await.unwrap().item.unwrap();
                assert!(User::from_item_by_hand(item).is_some());
            }
        })
        .await;
        let model_get = measure(|n| {
            let (db, id) = (&db, users[n as usize].id.clone());
            async move {
                assert!(User::get(db, id).await.unwrap().is_some());
            }
        })
        .await;
        let metered_put = measure(|n| {
            let (db, user) = (&metered, &users[n as usize]);
            async move { User::save(db, user).await.unwrap() }
        })
        .await;
        let metered_get = measure(|n| {
            let (db, id) = (&metered, users[n as usize].id.clone());
            async move {
                assert!(User::get(db, id).await.unwrap().is_some());
            }
        })
        .await;
        // Round 0 warms up connections and caches; it is not counted.
        if round > 0 {
            put_hand += hand_put;
            put_model += model_put;
            get_hand += hand_get;
            get_model += model_get;
            put_metered += metered_put;
            get_metered += metered_get;
        }
    }
    User::delete_table(&db).await.unwrap();

    let ops = (ITEMS as u32) * ROUNDS as u32;
    println!(
        "client CPU time per operation ({ops} operations each, DynamoDB Local {})",
        local.endpoint()
    );
    for (name, hand, model) in [
        ("put", put_hand, put_model),
        ("get", get_hand, get_model),
        ("put, capacity asked (INDEXES)", put_hand, put_metered),
        ("get, capacity asked (INDEXES)", get_hand, get_metered),
    ] {
        println!(
            "{name}: hand-written {:>7.1} µs, dynamo-model {:>7.1} µs, ratio {:.3}",
            hand.as_secs_f64() * 1e6 / ops as f64,
            model.as_secs_f64() * 1e6 / ops as f64,
            model.as_secs_f64() / hand.as_secs_f64(),
        );
    }
}

/// An SDK client for `endpoint` configured as `Client::local` configures
/// dynamo-model's (retries included).
fn plain_sdk(endpoint: &str) -> aws_sdk_dynamodb::Client {
    let credentials =
        aws_sdk_dynamodb::config::Credentials::new("dynamomodel", "local", None, None, "bench");
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .retry_config(
            aws_sdk_dynamodb::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(50))
                .with_max_backoff(Duration::from_secs(5)),
        )
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}
