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
async fn next<M: Model + 'static>(
    stream: &mut ChangeStream<M>,
) -> dynamo_model::stream::StreamChange<M> {
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

/// A nested document, stored as a map.
#[derive(dynamo_model::Document, Debug, Clone, PartialEq)]
struct Address {
    city: String,
    zip: Option<String>,
}

/// Every attribute type: S, N (integer and decimal), B, BOOL, NULL, SS,
/// NS, BS, L, M.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "everything", stream = "new_and_old_images")]
struct Everything {
    #[model(hash_key)]
    id: String,
    count: u64,
    ratio: f64,
    blob: Vec<u8>,
    flag: bool,
    #[model(null)]
    nothing: Option<String>,
    tags: std::collections::BTreeSet<String>,
    scores: std::collections::BTreeSet<u32>,
    blobs: std::collections::BTreeSet<Vec<u8>>,
    list: Vec<String>,
    address: Address,
}

#[tokio::test]
async fn every_attribute_type_survives_create_modify_delete_through_the_stream() {
    let db = client().await;
    Everything::create_table(&db).await.unwrap();
    let first = Everything {
        id: "e1".into(),
        count: u64::MAX,
        ratio: 0.1,
        blob: vec![0, 1, 255],
        flag: true,
        nothing: None,
        tags: ["a".to_owned(), "b".to_owned()].into(),
        scores: [1, 20].into(),
        blobs: [vec![1], vec![2, 3]].into(),
        list: vec!["x".into(), "y".into()],
        address: Address {
            city: "Lyon".into(),
            zip: None,
        },
    };
    let mut second = first.clone();
    second.count = 0;
    second.nothing = Some("now".into());
    second.address.zip = Some("69001".into());
    Everything::create(&db, &first).await.unwrap();
    Everything::save(&db, &second).await.unwrap();
    Everything::delete(&db, "e1").await.unwrap();

    let mut changes = Everything::changes(&db).stream();
    assert_eq!(
        next(&mut changes).await.record.into_change().unwrap(),
        Change::Insert { new: first.clone() }
    );
    assert_eq!(
        next(&mut changes).await.record.into_change().unwrap(),
        Change::Modify {
            old: first,
            new: second.clone()
        }
    );
    assert_eq!(
        next(&mut changes).await.record.into_change().unwrap(),
        Change::Remove {
            old: second,
            expired: false
        }
    );
}

/// A change as `KIND id seq`, the write's own sequence number read from
/// the image.
fn written(record: ChangeRecord<Profile>) -> String {
    let image = record.new.as_ref().or(record.old.as_ref()).unwrap();
    format!("{} {} {}", record.kind, record.key, image.visits)
}

#[tokio::test]
async fn a_reader_following_2000_writes_killed_and_resumed_sees_each_once_in_order() {
    let db = client().await;
    Profile::create_table(&db).await.unwrap();
    // 2,000 writes over 40 keys: creates, saves and deletes, each changing
    // the item (an unchanged item writes no record), recorded as expected.
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut expected = Vec::new();
            let mut exists = [false; 40];
            for n in 0..2000u64 {
                let key = (n * 7 % 40) as usize;
                let id = format!("k{key:02}");
                if !exists[key] {
                    Profile::create(&db, &profile(&id, "new", n)).await.unwrap();
                    expected.push(format!("INSERT {id} {n}"));
                    exists[key] = true;
                } else if n % 5 == 0 {
                    let last = Profile::get(&db, id.as_str()).await.unwrap().unwrap();
                    Profile::delete(&db, id.as_str()).await.unwrap();
                    expected.push(format!("REMOVE {id} {}", last.visits));
                    exists[key] = false;
                } else {
                    Profile::save(&db, &profile(&id, "again", n)).await.unwrap();
                    expected.push(format!("MODIFY {id} {n}"));
                }
            }
            expected
        })
    };

    // Follow while it writes; stop (drop the reader) after 700 changes.
    let mut seen = Vec::new();
    let mut changes = Profile::changes(&db)
        .max_idle(Duration::from_millis(100))
        .stream();
    let mut checkpoint = None;
    while seen.len() < 700 {
        let change = next(&mut changes).await;
        checkpoint = Some(change.checkpoint.to_string());
        seen.push(written(change.record));
    }
    drop(changes);
    let expected = writer.await.unwrap();

    // Resume from the last checkpoint stored: exactly the rest.
    let checkpoint: Checkpoint = checkpoint.unwrap().parse().unwrap();
    let mut resumed = Profile::changes(&db).resume(checkpoint).stream();
    while seen.len() < expected.len() {
        seen.push(written(next(&mut resumed).await.record));
    }
    let nothing_more = tokio::time::timeout(Duration::from_millis(500), resumed.next()).await;
    assert!(nothing_more.is_err(), "a change after the last write");
    assert_eq!(seen.len(), 2000);
    assert_eq!(seen, expected);
}
