//! Stream records decoded into models, from Lambda DynamoDB events in the
//! shape AWS documents.
//! Offline: no DynamoDB Local needed.

use dynamo_model::stream::lambda::aws_lambda_events::event::dynamodb::{Event, EventRecord};
use dynamo_model::stream::{Change, ChangeKind, ChangeRecord, StreamView};
use dynamo_model::{Error, Model};
use serde_json::{json, Value};
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
fn a_record_that_does_not_decode_names_model_and_attribute() {
    let mut image = user_image("u1", "Ann");
    image["logins"] = json!({ "S": "many" });
    let bad = user_record("INSERT", "102", "NEW_IMAGE", Value::Null, image);
    let error = decode::<User>(bad).unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    assert_eq!(
        error.to_string(),
        r#"User: cannot read attribute `logins` of item {id: "u1"}: expected type N, found type S"#
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
