//! Stream records decoded into models, from Lambda DynamoDB events in the
//! shape AWS documents, and the batch processor's partial batch failures.
//! Offline: no DynamoDB Local needed.

use dynamo_model::stream::lambda::aws_lambda_events::event::dynamodb::{Event, EventRecord};
use dynamo_model::stream::lambda::{FailureCause, Processor};
use dynamo_model::stream::{Change, ChangeKind, ChangeRecord, StreamView};
use dynamo_model::{Error, Model};
use futures::channel::oneshot;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "users", rename_all = "camelCase", hide_expired)]
struct User {
    #[model(hash_key)]
    id: String,
    name: String,
    #[model(default)]
    logins: u64,
    #[model(ttl)]
    expires_at: Option<SystemTime>,
}

/// A model with a composite key: the processor groups by its hash key.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "orders")]
struct Order {
    #[model(hash_key)]
    customer: String,
    #[model(range_key)]
    n: u32,
    note: String,
}

/// An event as Lambda delivers it, from its JSON.
fn event(records: Vec<Value>) -> Event {
    serde_json::from_value(json!({ "Records": records })).expect("a DynamoDB event")
}

fn decode<M: Model>(record: Value) -> dynamo_model::Result<ChangeRecord<M>> {
    let record: EventRecord = serde_json::from_value(record).expect("a DynamoDB event record");
    ChangeRecord::from_lambda(record)
}

fn user_image(id: &str, name: &str) -> Value {
    json!({ "id": { "S": id }, "name": { "S": name }, "logins": { "N": "3" } })
}

/// A record of `users` in the documented shape; `old` and `new` are left
/// out when `Value::Null`, as a stream whose view has no such image does.
fn user_record(name: &str, sequence: &str, view: &str, old: Value, new: Value) -> Value {
    let id = [&old, &new]
        .into_iter()
        .find_map(|image| image["id"]["S"].as_str())
        .unwrap_or("u1")
        .to_owned();
    let mut change = json!({
        "ApproximateCreationDateTime": 1480642020,
        "Keys": { "id": { "S": id } },
        "SequenceNumber": sequence,
        "SizeBytes": 59,
        "StreamViewType": view
    });
    if !old.is_null() {
        change["OldImage"] = old;
    }
    if !new.is_null() {
        change["NewImage"] = new;
    }
    json!({
        "eventID": format!("event-{sequence}"),
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": change,
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000"
    })
}

fn order_record(sequence: &str, customer: &str, n: u32, note: &str) -> Value {
    let keys = json!({ "customer": { "S": customer }, "n": { "N": n.to_string() } });
    let mut image = keys.clone();
    image["note"] = json!({ "S": note });
    json!({
        "eventID": format!("event-{sequence}"),
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1480642020,
            "Keys": keys,
            "NewImage": image,
            "SequenceNumber": sequence,
            "SizeBytes": 40,
            "StreamViewType": "NEW_IMAGE"
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
    })
}

fn ann(name: &str) -> User {
    User {
        id: "u1".into(),
        name: name.into(),
        logins: 3,
        expires_at: None,
    }
}

#[test]
fn a_documented_event_decodes_into_typed_changes_and_metadata() {
    // AWS's example event of a Lambda DynamoDB trigger, for this table.
    let event: Event = serde_json::from_str(
        r#"{
          "Records": [
            {
              "eventID": "c4ca4238a0b923820dcc509a6f75849b",
              "eventName": "INSERT",
              "eventVersion": "1.1",
              "eventSource": "aws:dynamodb",
              "awsRegion": "us-east-1",
              "dynamodb": {
                "ApproximateCreationDateTime": 1428537600,
                "Keys": { "id": { "S": "u1" } },
                "NewImage": { "id": { "S": "u1" }, "name": { "S": "Ann" } },
                "SequenceNumber": "4421584500000000017450439091",
                "SizeBytes": 26,
                "StreamViewType": "NEW_AND_OLD_IMAGES"
              },
              "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2015-06-27T00:48:05.899"
            },
            {
              "eventID": "c81e728d9d4c2f636f067f89cc14862c",
              "eventName": "MODIFY",
              "eventVersion": "1.1",
              "eventSource": "aws:dynamodb",
              "awsRegion": "us-east-1",
              "dynamodb": {
                "ApproximateCreationDateTime": 1428537600,
                "Keys": { "id": { "S": "u1" } },
                "NewImage": { "id": { "S": "u1" }, "name": { "S": "Anne" }, "logins": { "N": "1" } },
                "OldImage": { "id": { "S": "u1" }, "name": { "S": "Ann" } },
                "SequenceNumber": "4421584500000000017450439092",
                "SizeBytes": 59,
                "StreamViewType": "NEW_AND_OLD_IMAGES"
              },
              "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2015-06-27T00:48:05.899"
            },
            {
              "eventID": "eccbc87e4b5ce2fe28308fd9f2a7baf3",
              "eventName": "REMOVE",
              "eventVersion": "1.1",
              "eventSource": "aws:dynamodb",
              "awsRegion": "us-east-1",
              "dynamodb": {
                "ApproximateCreationDateTime": 1428537600,
                "Keys": { "id": { "S": "u1" } },
                "OldImage": { "id": { "S": "u1" }, "name": { "S": "Anne" }, "logins": { "N": "1" } },
                "SequenceNumber": "4421584500000000017450439093",
                "SizeBytes": 38,
                "StreamViewType": "NEW_AND_OLD_IMAGES"
              },
              "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2015-06-27T00:48:05.899"
            }
          ]
        }"#,
    )
    .expect("the documented event");

    let records: Vec<ChangeRecord<User>> = event
        .records
        .into_iter()
        .map(ChangeRecord::from_lambda)
        .collect::<Result<_, _>>()
        .unwrap();
    let insert = &records[0];
    assert_eq!(insert.kind, ChangeKind::Insert);
    assert_eq!(insert.key, "u1");
    assert_eq!(insert.view, Some(StreamView::NewAndOldImages));
    assert!(!insert.expired);
    assert_eq!(insert.meta.sequence_number, "4421584500000000017450439091");
    assert_eq!(insert.meta.event_id, "c4ca4238a0b923820dcc509a6f75849b");
    assert_eq!(
        insert.meta.approximate_creation_time,
        Some(UNIX_EPOCH + Duration::from_secs(1_428_537_600))
    );
    assert_eq!(insert.meta.size_bytes, 26);
    assert_eq!(insert.old, None);

    let anne = User {
        logins: 1,
        ..ann("Anne")
    };
    let first = User {
        logins: 0, // the model's default: the first image has no logins
        ..ann("Ann")
    };
    let changes: Vec<Change<User>> = records
        .into_iter()
        .map(ChangeRecord::into_change)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        changes,
        [
            Change::Insert { new: first.clone() },
            Change::Modify {
                old: first,
                new: anne.clone()
            },
            Change::Remove {
                old: anne,
                expired: false
            },
        ]
    );
}

#[test]
fn each_view_type_gives_its_images_and_says_which_one_is_missing() {
    let old = || user_image("u1", "Ann");
    let new = || user_image("u1", "Anne");

    // NEW_IMAGE: inserts and modifies have their new item, no old one.
    let insert: ChangeRecord<User> =
        decode(user_record("INSERT", "1", "NEW_IMAGE", Value::Null, new())).unwrap();
    assert_eq!(
        insert.into_change().unwrap(),
        Change::Insert { new: ann("Anne") }
    );
    let modify: ChangeRecord<User> =
        decode(user_record("MODIFY", "2", "NEW_IMAGE", Value::Null, new())).unwrap();
    assert_eq!(modify.new, Some(ann("Anne")));
    let error = modify.into_change().unwrap_err();
    assert!(error.is_not_in_view() && !error.is_decode(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "User: the old image of this MODIFY record is not in this stream's view (NEW_IMAGE); \
         use the record's key, or set the stream's view type to NEW_AND_OLD_IMAGES"
    );
    let remove: ChangeRecord<User> = decode(user_record(
        "REMOVE",
        "3",
        "NEW_IMAGE",
        Value::Null,
        Value::Null,
    ))
    .unwrap();
    assert!(remove.into_change().unwrap_err().is_not_in_view());

    // OLD_IMAGE: removes have their old item; inserts miss the new one.
    let remove: ChangeRecord<User> =
        decode(user_record("REMOVE", "4", "OLD_IMAGE", old(), Value::Null)).unwrap();
    assert_eq!(
        remove.into_change().unwrap(),
        Change::Remove {
            old: ann("Ann"),
            expired: false
        }
    );
    let insert: ChangeRecord<User> = decode(user_record(
        "INSERT",
        "5",
        "OLD_IMAGE",
        Value::Null,
        Value::Null,
    ))
    .unwrap();
    match insert.into_change().unwrap_err() {
        Error::NotInView {
            model,
            change,
            image,
            view,
        } => {
            assert_eq!(
                (model, change, image, view),
                (
                    "User",
                    ChangeKind::Insert,
                    "new",
                    Some(StreamView::OldImage)
                )
            );
        }
        other => panic!("expected NotInView, got {other:?}"),
    }

    // KEYS_ONLY: the key and the kind, no image.
    let keys_only: ChangeRecord<User> = decode(user_record(
        "MODIFY",
        "6",
        "KEYS_ONLY",
        Value::Null,
        Value::Null,
    ))
    .unwrap();
    assert_eq!(
        (keys_only.kind, keys_only.key.as_str(), keys_only.view),
        (ChangeKind::Modify, "u1", Some(StreamView::KeysOnly))
    );
    assert_eq!((keys_only.old.clone(), keys_only.new.clone()), (None, None));
    let error = keys_only.into_change().unwrap_err();
    assert_eq!(
        error.to_string(),
        "User: the old image of this MODIFY record is not in this stream's view (KEYS_ONLY); \
         use the record's key, or set the stream's view type to NEW_AND_OLD_IMAGES"
    );

    // NEW_AND_OLD_IMAGES: a modify has both.
    let modify: ChangeRecord<User> = decode(user_record(
        "MODIFY",
        "7",
        "NEW_AND_OLD_IMAGES",
        old(),
        new(),
    ))
    .unwrap();
    assert_eq!(
        modify.into_change().unwrap(),
        Change::Modify {
            old: ann("Ann"),
            new: ann("Anne")
        }
    );
}

#[test]
fn a_ttl_deletion_is_an_expired_remove_still_decoded_despite_hide_expired() {
    // Expired an hour ago: reads of the table hide it, a stream record does not.
    let expired_at = SystemTime::now() - Duration::from_secs(3600);
    let seconds = expired_at.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let mut old = user_image("u1", "Ann");
    old["expiresAt"] = json!({ "N": seconds.to_string() });
    let mut record = user_record("REMOVE", "9", "NEW_AND_OLD_IMAGES", old, Value::Null);
    record["userIdentity"] = json!({ "type": "Service", "principalId": "dynamodb.amazonaws.com" });

    let record: ChangeRecord<User> = decode(record).unwrap();
    assert!(record.expired);
    assert_eq!(
        record.into_change().unwrap(),
        Change::Remove {
            old: User {
                expires_at: Some(UNIX_EPOCH + Duration::from_secs(seconds)),
                ..ann("Ann")
            },
            expired: true
        }
    );

    // Another service principal's delete is no expiry.
    let mut record = user_record(
        "REMOVE",
        "10",
        "OLD_IMAGE",
        user_image("u1", "Ann"),
        Value::Null,
    );
    record["userIdentity"] = json!({ "type": "Service", "principalId": "events.amazonaws.com" });
    assert!(!decode::<User>(record).unwrap().expired);
}

#[test]
fn a_record_that_does_not_decode_names_model_attribute_and_sequence_number() {
    let mut image = user_image("u1", "Ann");
    image["logins"] = json!({ "S": "many" });
    let bad = user_record("INSERT", "102", "NEW_IMAGE", Value::Null, image);
    let error = decode::<User>(bad.clone()).unwrap_err();
    assert!(error.is_decode(), "{error:?}");

    let mut handled = Vec::new();
    let outcome = futures::executor::block_on(Processor::new().run(
        event(vec![
            user_record(
                "INSERT",
                "101",
                "NEW_IMAGE",
                Value::Null,
                user_image("u0", "Bo"),
            ),
            bad,
            user_record(
                "INSERT",
                "103",
                "NEW_IMAGE",
                Value::Null,
                user_image("u2", "Cy"),
            ),
        ]),
        |record: ChangeRecord<User>| {
            handled.push(record.meta.sequence_number);
            async { Ok::<_, Error>(()) }
        },
    ));
    assert_eq!(handled, ["101"]);
    assert_eq!(outcome.failures.len(), 1);
    let failure = &outcome.failures[0];
    assert!(matches!(&failure.cause, FailureCause::Decode(e) if e.is_decode()));
    assert_eq!(
        failure.to_string(),
        r#"stream record 102 (event event-102): User: cannot read attribute `logins` of item {id: "u1"}: expected type N, found type S"#
    );
    let response = outcome.response();
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({ "batchItemFailures": [{ "itemIdentifier": "102" }] })
    );

    // A missing key attribute, and an event name that is no change.
    let mut no_key = user_record("INSERT", "104", "KEYS_ONLY", Value::Null, Value::Null);
    no_key["dynamodb"]["Keys"] = json!({ "userId": { "S": "u1" } });
    assert_eq!(
        decode::<User>(no_key).unwrap_err().to_string(),
        "User: cannot read attribute `id`: required value is missing"
    );
    let mut unknown = user_record("INSERT", "105", "KEYS_ONLY", Value::Null, Value::Null);
    unknown["eventName"] = json!("TRUNCATE");
    let error = decode::<User>(unknown).unwrap_err();
    assert!(error.is_decode());
    assert_eq!(
        error.to_string(),
        "User: cannot read attribute `eventName`: `TRUNCATE` is not a change of an item \
         (INSERT, MODIFY or REMOVE)"
    );
}

#[test]
fn in_order_the_batch_stops_at_its_first_failure() {
    let records = (1..=5)
        .map(|n| order_record(&n.to_string(), &format!("c{n}"), n, "x"))
        .collect();
    let mut handled = Vec::new();
    let outcome = futures::executor::block_on(Processor::new().run(
        event(records),
        |record: ChangeRecord<Order>| {
            let n = record.key.n;
            handled.push(n);
            async move {
                if n == 3 {
                    Err(format!("order {n} refused"))
                } else {
                    Ok(())
                }
            }
        },
    ));
    // Nothing after the failure ran, so nothing after it is acknowledged.
    assert_eq!(handled, [1, 2, 3]);
    let failures: Vec<String> = outcome.failures.iter().map(ToString::to_string).collect();
    assert_eq!(
        failures,
        ["stream record 3 (event event-3): the handler failed: order 3 refused"]
    );
    assert!(
        matches!(&outcome.failures[0].cause, FailureCause::Handler(e) if e == "order 3 refused")
    );
    assert_eq!(
        serde_json::to_value(outcome.response()).unwrap(),
        json!({ "batchItemFailures": [{ "itemIdentifier": "3" }] })
    );

    // A batch without failures reports none.
    let outcome = futures::executor::block_on(Processor::new().run(
        event(vec![order_record("1", "c1", 1, "x")]),
        |_: ChangeRecord<Order>| async { Ok::<_, String>(()) },
    ));
    assert!(outcome.failures.is_empty());
    assert!(outcome.response().batch_item_failures.is_empty());
}

#[tokio::test]
async fn by_key_other_keys_go_on_while_one_key_stops_at_its_failure() {
    // Key a fails at its second record; b's records all run, and b's first
    // record runs while a's first is still waiting for it (so keys do run
    // side by side: in order, this would never finish).
    let batch = event(vec![
        order_record("1", "a", 1, "wait for b"),
        order_record("2", "b", 1, "ok"),
        order_record("3", "a", 2, "fail"),
        order_record("4", "b", 2, "ok"),
        order_record("5", "a", 3, "ok"),
        order_record("6", "b", 3, "ok"),
        order_record("7", "c", 1, "fail"),
        order_record("8", "c", 2, "ok"),
    ]);
    let (b_started, a_waits) = oneshot::channel::<()>();
    let mut b_started = Some(b_started);
    let mut a_waits = Some(a_waits);
    let log = Arc::new(Mutex::new(Vec::new()));
    let run = Processor::new()
        .concurrent_by_key(4)
        .run(batch, |record: ChangeRecord<Order>| {
            let (customer, n) = (record.key.customer.clone(), record.key.n);
            let note = record.new.map(|order| order.note).unwrap_or_default();
            let wait = (note == "wait for b").then(|| a_waits.take()).flatten();
            let signal = (customer == "b" && n == 1)
                .then(|| b_started.take())
                .flatten();
            let log = Arc::clone(&log);
            async move {
                if let Some(wait) = wait {
                    let _ = wait.await;
                }
                log.lock().unwrap().push(format!("{customer}{n}"));
                if let Some(signal) = signal {
                    let _ = signal.send(());
                }
                if note == "fail" {
                    Err(format!("{customer}{n} failed"))
                } else {
                    Ok(())
                }
            }
        });
    let outcome = tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("keys run side by side");

    let log = log.lock().unwrap().clone();
    let of = |customer: char| -> Vec<&str> {
        log.iter()
            .map(String::as_str)
            .filter(|entry| entry.starts_with(customer))
            .collect()
    };
    assert_eq!(of('a'), ["a1", "a2"], "a stops at its failure: {log:?}");
    assert_eq!(of('b'), ["b1", "b2", "b3"], "b runs in order: {log:?}");
    assert_eq!(of('c'), ["c1"], "{log:?}");
    let at = |entry: &str| log.iter().position(|e| e == entry);
    assert!(at("b1") < at("a1"), "a1 waited for b1: {log:?}");
    // The first failure of each failing key, in batch order; Lambda resumes
    // from the lowest (3), delivering b's 4 and 6 again.
    assert_eq!(
        serde_json::to_value(outcome.response()).unwrap(),
        json!({ "batchItemFailures": [{ "itemIdentifier": "3" }, { "itemIdentifier": "7" }] })
    );
}

#[tokio::test]
async fn by_key_with_a_limit_of_one_still_runs_every_key() {
    let batch = event(vec![
        order_record("1", "a", 1, "fail"),
        order_record("2", "b", 1, "ok"),
        order_record("3", "a", 2, "ok"),
        order_record("4", "b", 2, "ok"),
    ]);
    let mut handled = Vec::new();
    let outcome = Processor::new()
        .concurrent_by_key(0)
        .run(batch, |record: ChangeRecord<Order>| {
            handled.push(record.meta.sequence_number.clone());
            let fail = record.new.is_some_and(|order| order.note == "fail");
            async move {
                if fail {
                    Err("refused")
                } else {
                    Ok(())
                }
            }
        })
        .await;
    assert_eq!(handled, ["1", "2", "4"]);
    let failed: Vec<&str> = outcome
        .failures
        .iter()
        .map(|failure| failure.sequence_number.as_str())
        .collect();
    assert_eq!(failed, ["1"]);
}

#[test]
fn the_batch_future_is_send_for_send_handlers() {
    fn send<T: Send>(_: T) {}
    send(
        Processor::new()
            .concurrent_by_key(2)
            .run(event(Vec::new()), |record: ChangeRecord<User>| async move {
                record.into_change().map(drop)
            }),
    );
}
