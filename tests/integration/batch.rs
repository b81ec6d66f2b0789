//! Batch reads and writes against DynamoDB Local, also behind a network
//! that throttles and leaves items unprocessed: nothing may be lost.

use crate::common::{local_endpoint, unique_prefix};
use crate::fault_proxy::{Fault, FaultProxy, Policy};
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Client, Error, Model, RetryConfig};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "points")]
struct Point {
    #[model(hash_key)]
    id: String,
    value: u32,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "labels")]
struct Label {
    #[model(hash_key)]
    owner: String,
    #[model(range_key)]
    n: u32,
    text: String,
}

fn points(n: u32) -> Vec<Point> {
    (0..n)
        .map(|i| Point {
            id: format!("p{i:05}"),
            value: i,
        })
        .collect()
}

/// Patient retries, so a faulty network slows batches down but never
/// exhausts them.
fn patient(db: Client) -> Client {
    db.with_retry(RetryConfig {
        max_attempts: 3,
        batch_rounds: 40,
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(50),
    })
}

async fn direct() -> Client {
    patient(Client::local(local_endpoint().await).with_table_prefix(unique_prefix()))
}

async fn behind(policy: Policy) -> (FaultProxy, Client) {
    let proxy = FaultProxy::start(&local_endpoint().await, 42, policy).await;
    let db = patient(Client::local(proxy.endpoint()).with_table_prefix(unique_prefix()));
    (proxy, db)
}

/// Every id in the table (directly, not through a proxy), with duplicates
/// kept so a test can tell.
async fn stored_ids(db: &Client, table: &str) -> Vec<String> {
    let direct = Client::local(local_endpoint().await);
    let mut ids = Vec::new();
    let mut start = None;
    loop {
        let page = direct
            .sdk()
            .scan()
            .table_name(table)
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        for item in page.items() {
            if let Some(AttributeValue::S(id)) = item.get("id") {
                ids.push(id.clone());
            }
        }
        start = page.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    let _ = db;
    ids
}

#[tokio::test]
async fn batch_put_get_delete_in_order_with_duplicates() {
    let db = direct().await;
    Point::create_table(&db).await.unwrap();
    let all = points(250);
    Point::batch_put(&db, &all).await.unwrap();

    // One entry per key asked for, in order; missing keys are None and a
    // key asked twice is answered twice.
    let keys = ["p00007", "nope", "p00249", "p00007", "p00000"];
    let got = Point::batch_get(&db, keys).consistent(true).await.unwrap();
    let values: Vec<Option<u32>> = got.iter().map(|p| p.as_ref().map(|p| p.value)).collect();
    assert_eq!(values, [Some(7), None, Some(249), Some(7), Some(0)]);

    let every = Point::batch_get(&db, all.iter().map(|p| p.id.clone()))
        .await
        .unwrap();
    assert_eq!(
        every.into_iter().map(Option::unwrap).collect::<Vec<_>>(),
        all
    );

    Point::batch_delete(&db, all.iter().take(100).map(|p| p.id.clone()))
        .await
        .unwrap();
    assert_eq!(stored_ids(&db, &db.table_name::<Point>()).await.len(), 150);
}

#[tokio::test]
async fn a_batch_writer_spans_models_and_keeps_the_last_write_of_a_key() {
    let db = direct().await;
    Point::create_table(&db).await.unwrap();
    Label::create_table(&db).await.unwrap();
    Point::save(
        &db,
        &Point {
            id: "gone".into(),
            value: 1,
        },
    )
    .await
    .unwrap();
    db.batch_write()
        .put(&Point {
            id: "a".into(),
            value: 1,
        })
        .put(&Label {
            owner: "a".into(),
            n: 1,
            text: "first".into(),
        })
        .put(&Point {
            id: "a".into(),
            value: 2,
        })
        .delete::<Point>("gone")
        .put(&Label {
            owner: "a".into(),
            n: 2,
            text: "second".into(),
        })
        .await
        .unwrap();
    assert_eq!(Point::get(&db, "a").await.unwrap().unwrap().value, 2);
    assert!(Point::get(&db, "gone").await.unwrap().is_none());
    let labels = Label::batch_get(&db, [("a", 1u32), ("a", 2u32)])
        .await
        .unwrap();
    assert_eq!(labels[1].as_ref().unwrap().text, "second");
}

#[tokio::test]
async fn invalid_items_stop_the_batch_before_anything_is_sent() {
    let db = direct().await;
    Point::create_table(&db).await.unwrap();
    let mut items = points(30);
    items[20].id = String::new();
    let error = Point::batch_put(&db, &items).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidValue { path, .. } if path == "id"),
        "{error:?}"
    );
    assert!(stored_ids(&db, &db.table_name::<Point>()).await.is_empty());
    // (A versioned model in a batch does not compile: see the trybuild case
    // versioned_write_takes_mut.)
}

#[tokio::test]
async fn ten_thousand_items_through_throttling_and_unprocessed_writes() {
    // 30% of every batch write comes back unprocessed and 10% of all
    // requests are throttled before reaching DynamoDB Local.
    let (proxy, db) = behind(Arc::new(|operation, _, random| {
        if random.next_f64() < 0.1 {
            Fault::Throttle
        } else if operation == "BatchWriteItem" {
            Fault::Unprocess(0.3)
        } else {
            Fault::Forward
        }
    }))
    .await;
    Point::create_table(&db).await.unwrap();
    let all = points(10_000);
    Point::batch_put(&db, &all).concurrency(8).await.unwrap();

    let ids = stored_ids(&db, &db.table_name::<Point>()).await;
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 10_000, "no item lost, none duplicated");
    assert_eq!(unique.len(), 10_000);
    assert!(proxy.count("BatchWriteItem", "throttle") > 0);
    assert!(proxy.count("BatchWriteItem", "unprocess") >= 400);

    // Reads through the same network find every item, in order.
    let got = Point::batch_get(&db, all.iter().map(|p| p.id.clone()))
        .await
        .unwrap();
    assert!(got
        .iter()
        .zip(&all)
        .all(|(got, want)| got.as_ref() == Some(want)));
}

#[tokio::test]
async fn unprocessed_keys_of_batch_gets_are_retried() {
    let (proxy, db) = behind(Arc::new(|operation, _, _| {
        if operation == "BatchGetItem" {
            Fault::Unprocess(0.5)
        } else {
            Fault::Forward
        }
    }))
    .await;
    Point::create_table(&db).await.unwrap();
    let all = points(300);
    Point::batch_put(&db, &all).await.unwrap();
    let got = Point::batch_get(&db, all.iter().map(|p| p.id.clone()))
        .await
        .unwrap();
    assert_eq!(got.into_iter().flatten().count(), 300);
    assert!(proxy.count("BatchGetItem", "unprocess") > 3);
}

#[tokio::test]
async fn when_retries_run_out_the_error_lists_exactly_the_unwritten_items() {
    // Half the items of the first 60 requests are refused, then everything.
    let (_proxy, db) = behind(Arc::new(|operation, n, _| match operation {
        "BatchWriteItem" if n < 60 => Fault::Unprocess(0.5),
        "BatchWriteItem" => Fault::Unprocess(1.0),
        _ => Fault::Forward,
    }))
    .await;
    let retry = RetryConfig {
        batch_rounds: 3,
        initial_backoff: Duration::from_millis(1),
        ..*db.retry()
    };
    let db = db.with_retry(retry);
    Point::create_table(&db).await.unwrap();
    let all = points(200);
    let error = Point::batch_put(&db, &all).await.unwrap_err();
    let Error::BatchIncomplete { unprocessed, .. } = &error else {
        panic!("{error:?}")
    };
    let unwritten: HashSet<String> = unprocessed
        .iter()
        .map(|u| u.key["id"].as_s().unwrap().clone())
        .collect();
    assert_eq!(unwritten.len(), unprocessed.len(), "each listed once");
    let stored: HashSet<String> = stored_ids(&db, &db.table_name::<Point>())
        .await
        .into_iter()
        .collect();
    assert!(!unwritten.is_empty() && !stored.is_empty());
    // Every item is either stored or listed, never both, never neither.
    for point in &all {
        assert_ne!(
            stored.contains(&point.id),
            unwritten.contains(&point.id),
            "{}",
            point.id
        );
    }
    assert!(unprocessed
        .iter()
        .all(|u| u.write.is_some() && u.model == "Point"));
    assert!(error.to_string().contains("not processed"), "{error}");
}
