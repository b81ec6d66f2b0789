//! A table's stream followed on DynamoDB Local: typed changes in order,
//! checkpoints that resume with nothing skipped and nothing twice, the
//! test helper that waits for a write, and the same handler a Lambda runs.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::stream::lambda::aws_lambda_events::event::dynamodb::Event;
use dynamo_model::stream::lambda::Processor;
use dynamo_model::stream::{Change, ChangeKind, ChangeRecord, ChangeStream, Checkpoint};
use dynamo_model::{Client, Model};
use futures::StreamExt;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "profiles", stream = "new_and_old_images")]
struct Profile {
    #[model(hash_key)]
    id: String,
    name: String,
    visits: u64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "pings", stream = "keys_only")]
struct Ping {
    #[model(hash_key)]
    id: String,
    at: u64,
}

#[derive(Model, Debug)]
#[model(table = "quiet")]
struct Quiet {
    #[model(hash_key)]
    id: String,
}

fn profile(id: &str, name: &str, visits: u64) -> Profile {
    Profile {
        id: id.into(),
        name: name.into(),
        visits,
    }
}

/// The next change, failing the test after 10 s instead of hanging.
async fn next(stream: &mut ChangeStream<Profile>) -> dynamo_model::stream::StreamChange<Profile> {
    tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("a change within 10 s")
        .expect("the stream goes on")
        .expect("a decoded change")
}

/// A change as `KIND id`.
fn line(record: &ChangeRecord<Profile>) -> String {
    format!("{} {}", record.kind, record.key)
}

#[tokio::test]
async fn changes_arrive_in_order_and_a_checkpoint_resumes_with_nothing_skipped_or_twice() {
    let db = client().await;
    Profile::create_table(&db).await.unwrap();
    Profile::create(&db, &profile("p1", "Ann", 1))
        .await
        .unwrap();
    Profile::create(&db, &profile("p2", "Bob", 2))
        .await
        .unwrap();
    Profile::save(&db, &profile("p1", "Ann Lee", 3))
        .await
        .unwrap();
    Profile::delete(&db, "p2").await.unwrap();

    let mut changes = Profile::changes(&db).stream();
    let first = next(&mut changes).await;
    let second = next(&mut changes).await;
    assert_eq!(
        [line(&first.record), line(&second.record)],
        ["INSERT p1", "INSERT p2"]
    );
    let saved = second.checkpoint.to_string();
    match first.record.into_change().unwrap() {
        Change::Insert { new } => assert_eq!(new, profile("p1", "Ann", 1)),
        other => panic!("{other:?}"),
    }
    let third = next(&mut changes).await;
    match third.record.into_change().unwrap() {
        Change::Modify { old, new } => {
            assert_eq!((old.name.as_str(), new.name.as_str()), ("Ann", "Ann Lee"));
            assert_eq!(new.visits, 3);
        }
        other => panic!("{other:?}"),
    }
    drop(changes);

    // Resumed after the second change: the third and fourth, then new ones.
    let checkpoint: Checkpoint = saved.parse().unwrap();
    let mut resumed = Profile::changes(&db).resume(checkpoint).stream();
    let third = next(&mut resumed).await;
    let fourth = next(&mut resumed).await;
    assert_eq!(
        [line(&third.record), line(&fourth.record)],
        ["MODIFY p1", "REMOVE p2"]
    );
    assert!(fourth.record.meta.sequence_number > third.record.meta.sequence_number);
    match fourth.record.into_change().unwrap() {
        Change::Remove { old, expired } => {
            assert_eq!(old, profile("p2", "Bob", 2));
            assert!(!expired);
        }
        other => panic!("{other:?}"),
    }
    Profile::create(&db, &profile("p3", "Cy", 0)).await.unwrap();
    assert_eq!(line(&next(&mut resumed).await.record), "INSERT p3");
}

#[tokio::test]
async fn latest_starts_after_what_the_stream_holds() {
    let db = client().await;
    Profile::create_table(&db).await.unwrap();
    Profile::create(&db, &profile("old", "Old", 0))
        .await
        .unwrap();

    let mut changes = Profile::changes(&db)
        .latest()
        .max_idle(Duration::from_millis(100))
        .stream();
    // Nothing yet: the reader has found its place and is polling.
    let nothing = tokio::time::timeout(Duration::from_secs(2), changes.next()).await;
    assert!(
        nothing.is_err(),
        "{:?}",
        nothing.map(|c| c.map(|c| c.map(|c| line(&c.record))))
    );
    Profile::create(&db, &profile("new", "New", 0))
        .await
        .unwrap();
    assert_eq!(line(&next(&mut changes).await.record), "INSERT new");
}

#[tokio::test]
async fn a_test_waits_for_its_write_without_sleeping() {
    let db = client().await;
    Profile::create_table(&db).await.unwrap();
    for i in 0..5 {
        Profile::create(&db, &profile(&format!("w{i}"), "W", i))
            .await
            .unwrap();
    }
    let change = Profile::changes(&db)
        .wait_for(Duration::from_secs(10), |record| record.key == "w3")
        .await
        .unwrap();
    assert_eq!(change.record.new.unwrap().visits, 3);

    let error = Profile::changes(&db)
        .wait_for(Duration::from_millis(500), |record| record.key == "none")
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("showing the change waited for"),
        "{error}"
    );
}

#[tokio::test]
async fn a_keys_only_stream_gives_keys_and_says_what_its_view_lacks() {
    let db = client().await;
    Ping::create_table(&db).await.unwrap();
    Ping::create(
        &db,
        &Ping {
            id: "k1".into(),
            at: 5,
        },
    )
    .await
    .unwrap();
    let mut changes = Ping::changes(&db).stream();
    let change = tokio::time::timeout(Duration::from_secs(10), changes.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(change.record.key, "k1");
    assert_eq!(change.record.kind, ChangeKind::Insert);
    let error = change.record.into_change().unwrap_err();
    assert!(error.is_not_in_view(), "{error}");
}

#[tokio::test]
async fn a_record_that_does_not_decode_is_an_error_and_the_stream_goes_on() {
    let db = client().await;
    Profile::create_table(&db).await.unwrap();
    // Another writer stores `visits` as a string.
    db.sdk()
        .put_item()
        .table_name(db.table_name::<Profile>())
        .item("id", AttributeValue::S("bad".into()))
        .item("name", AttributeValue::S("B".into()))
        .item("visits", AttributeValue::S("many".into()))
        .send()
        .await
        .unwrap();
    Profile::create(&db, &profile("good", "G", 1))
        .await
        .unwrap();
    let mut changes = Profile::changes(&db).stream();
    let error = tokio::time::timeout(Duration::from_secs(10), changes.next())
        .await
        .unwrap()
        .unwrap()
        .map(|c| line(&c.record))
        .unwrap_err();
    assert!(error.is_decode(), "{error}");
    assert!(error.to_string().contains("`visits`"), "{error}");
    let good = next(&mut changes).await;
    assert_eq!(line(&good.record), "INSERT good");
    // The checkpoint after it is past the bad record too.
    let mut resumed = Profile::changes(&db).resume(good.checkpoint).stream();
    let nothing = tokio::time::timeout(Duration::from_secs(1), resumed.next()).await;
    assert!(nothing.is_err());
}

#[tokio::test]
async fn a_table_without_a_stream_is_a_clear_error() {
    let db = client().await;
    Quiet::create_table(&db).await.unwrap();
    let error = Quiet::changes(&db)
        .stream()
        .next()
        .await
        .unwrap()
        .map(|_| ())
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("Quiet: table `") && message.contains("has no stream; declare one"),
        "{message}"
    );
}

/// The handler of an event-driven service: counts visits by name.
async fn handle(
    record: ChangeRecord<Profile>,
    seen: Arc<Mutex<Vec<String>>>,
) -> Result<(), String> {
    if let Change::Insert { new } | Change::Modify { new, .. } =
        record.into_change().map_err(|e| e.to_string())?
    {
        seen.lock()
            .unwrap()
            .push(format!("{} {}", new.name, new.visits));
    }
    Ok(())
}

#[tokio::test]
async fn the_handler_a_lambda_runs_runs_on_the_local_stream_too() {
    // As a Lambda trigger, on the event AWS delivers.
    let event: Event = serde_json::from_value(json!({"Records": [{
        "eventID": "1", "eventName": "INSERT", "eventVersion": "1.1",
        "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
        "dynamodb": {
            "Keys": {"id": {"S": "p1"}},
            "NewImage": {"id": {"S": "p1"}, "name": {"S": "Ann"}, "visits": {"N": "1"}},
            "SequenceNumber": "100", "SizeBytes": 30, "StreamViewType": "NEW_AND_OLD_IMAGES"
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:table/profiles/stream/x"
    }]}))
    .unwrap();
    let lambda_seen = Arc::new(Mutex::new(Vec::new()));
    let outcome = Processor::<Profile>::new()
        .run(event, |record| handle(record, Arc::clone(&lambda_seen)))
        .await;
    assert!(outcome.failures.is_empty());

    // On DynamoDB Local's stream, after the same write.
    let db: Client = client().await;
    Profile::create_table(&db).await.unwrap();
    Profile::create(&db, &profile("p1", "Ann", 1))
        .await
        .unwrap();
    let local_seen = Arc::new(Mutex::new(Vec::new()));
    let mut changes = Profile::changes(&db).stream();
    handle(next(&mut changes).await.record, Arc::clone(&local_seen))
        .await
        .unwrap();
    assert_eq!(*lambda_seen.lock().unwrap(), ["Ann 1"]);
    assert_eq!(*local_seen.lock().unwrap(), *lambda_seen.lock().unwrap());
}
