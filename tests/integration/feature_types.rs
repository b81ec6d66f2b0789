//! The field types behind features (chrono, time, uuid, json, bytes) round
//! trip through DynamoDB Local and are stored in their documented shapes.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::Model;

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "events", rename_all = "camelCase")]
struct Event {
    #[model(hash_key)]
    id: uuid::Uuid,
    #[model(range_key)]
    at: chrono::DateTime<chrono::Utc>,
    seen_at: time::OffsetDateTime,
    payload: serde_json::Value,
    blob: bytes::Bytes,
}

#[tokio::test]
async fn feature_types_round_trip_with_native_storage() {
    let db = client().await;
    Event::create_table(&db).await.unwrap();
    let at = chrono::DateTime::from_timestamp_millis(1_700_000_000_123).unwrap();
    let event = Event {
        id: uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0),
        at,
        seen_at: time::OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_456_000_000)
            .unwrap(),
        payload: serde_json::json!({"kind": "click", "x": 3, "tags": ["a", "b"], "ok": true, "none": null}),
        blob: bytes::Bytes::from_static(b"\x00\x01binary"),
    };
    Event::create(&db, &event).await.unwrap();
    let read = Event::get(&db, (event.id, at))
        .consistent(true)
        .await
        .unwrap();
    assert_eq!(read, Some(event.clone()));

    let item = db
        .sdk()
        .get_item()
        .table_name(db.table_name::<Event>())
        .key("id", AttributeValue::S(event.id.to_string()))
        .key("at", AttributeValue::N("1700000000123".into()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(
        item["id"],
        AttributeValue::S("12345678-9abc-def0-1234-56789abcdef0".into())
    );
    assert_eq!(item["seenAt"], AttributeValue::N("1700000000456".into()));
    let payload = item["payload"].as_m().unwrap();
    assert_eq!(payload["kind"], AttributeValue::S("click".into()));
    assert_eq!(payload["x"], AttributeValue::N("3".into()));
    assert_eq!(payload["ok"], AttributeValue::Bool(true));
    assert_eq!(payload["none"], AttributeValue::Null(true));
    assert!(matches!(&payload["tags"], AttributeValue::L(l) if l.len() == 2));
    assert_eq!(item["blob"].as_b().unwrap().as_ref(), b"\x00\x01binary");
}
