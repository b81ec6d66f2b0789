//! The trigger of `examples/trigger` run on DynamoDB Local's real stream:
//! its handler, its events as Lambda builds them from the stream, and its
//! partial batch failures.

#[path = "../../examples/trigger/handler.rs"]
mod handler;

use crate::common::client;
use dynamo_model::stream::lambda::aws_lambda_events::event::dynamodb::{Event, UserIdentity};
use dynamo_model::stream::lambda::Processor;
use dynamo_model::{Client, Model};
use futures::StreamExt;
use handler::{on_change, Order, OrderHistory};
use std::time::Duration;

fn order(id: &str, status: &str) -> Order {
    Order {
        id: id.into(),
        status: status.into(),
        total_cents: 1250,
    }
}

/// The stream's records, as Lambda events, until `records` are in.
async fn events(db: &Client, records: usize) -> Vec<Event> {
    let mut stream = Order::changes(db).lambda_events(100);
    let (mut events, mut seen) = (Vec::new(), 0);
    while seen < records {
        let (event, _checkpoint) = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("the records within 10 s")
            .expect("the stream goes on")
            .unwrap();
        seen += event.records.len();
        events.push(event);
    }
    events
}

async fn history(db: &Client, order: &str) -> Vec<String> {
    let lines: Vec<OrderHistory> = OrderHistory::query(db).hash(order).all().await.unwrap();
    lines.into_iter().map(|line| line.what).collect()
}

#[tokio::test]
async fn the_trigger_handles_the_events_lambda_builds_from_the_local_stream() {
    let db = client().await;
    Order::create_table(&db).await.unwrap();
    OrderHistory::create_table(&db).await.unwrap();
    Order::create(&db, &order("o1", "new")).await.unwrap();
    Order::save(&db, &order("o1", "paid")).await.unwrap();
    // A write that changes nothing that matters to the trigger.
    Order::update(&db, "o1")
        .set(Order::fields().total_cents, 1300u64)
        .await
        .unwrap();
    Order::delete(&db, "o1").await.unwrap();

    let events = events(&db, 4).await;
    let records: Vec<_> = events.iter().flat_map(|e| &e.records).collect();
    let names: Vec<&str> = records.iter().map(|r| r.event_name.as_str()).collect();
    assert_eq!(names, ["INSERT", "MODIFY", "MODIFY", "REMOVE"]);
    let stream_arn = db
        .sdk()
        .describe_table()
        .table_name(db.table_name::<Order>())
        .send()
        .await
        .unwrap()
        .table
        .unwrap()
        .latest_stream_arn
        .unwrap();
    for record in &records {
        assert_eq!(
            record.event_source_arn.as_deref(),
            Some(stream_arn.as_str())
        );
        assert_eq!(record.event_source.as_deref(), Some("aws:dynamodb"));
    }

    for event in events.clone() {
        let outcome = Processor::<Order>::new()
            .run(event, |record| on_change(&db, record))
            .await;
        assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    }
    assert_eq!(
        history(&db, "o1").await,
        ["placed for 1250 cents", "new -> paid", "deleted while paid"]
    );

    // A TTL deletion cannot be made locally: the same REMOVE as Lambda
    // delivers it for an expired item (DynamoDB's service principal).
    let mut expired = records[3].clone();
    let mut identity = UserIdentity::default();
    identity.type_ = "Service".into();
    identity.principal_id = "dynamodb.amazonaws.com".into();
    expired.user_identity = Some(identity);
    expired.change.sequence_number = Some("9".repeat(21));
    let mut event = Event::default();
    event.records.push(expired);
    let outcome = Processor::<Order>::new()
        .run(event, |record| on_change(&db, record))
        .await;
    assert!(outcome.failures.is_empty());
    assert_eq!(
        history(&db, "o1").await.last().unwrap(),
        "expired while paid"
    );
}

#[tokio::test]
async fn a_failing_record_of_a_real_batch_is_reported_and_nothing_after_it_runs() {
    let db = client().await;
    Order::create_table(&db).await.unwrap();
    for n in 0..5 {
        Order::create(&db, &order(&format!("f{n}"), "new"))
            .await
            .unwrap();
    }
    let events = events(&db, 5).await;
    let mut records: Vec<_> = events.into_iter().flat_map(|e| e.records).collect();
    records.truncate(5);
    let third = records[2].change.sequence_number.clone().unwrap();
    let mut event = Event::default();
    event.records = records;

    let mut handled = Vec::new();
    let outcome = Processor::<Order>::new()
        .run(event, |record| {
            handled.push(record.key.clone());
            let fail = handled.len() == 3;
            async move {
                if fail {
                    Err("the mail server is down")
                } else {
                    Ok(())
                }
            }
        })
        .await;
    assert_eq!(handled, ["f0", "f1", "f2"]);
    let response = outcome.response();
    let failed: Vec<&str> = response
        .batch_item_failures
        .iter()
        .filter_map(|f| f.item_identifier.as_deref())
        .collect();
    assert_eq!(failed, [third.as_str()]);
}
