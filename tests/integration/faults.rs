//! The fault proxy does what it says, shown with plain SDK calls, so tests of
//! retries and batches can trust it.

use crate::common::local_endpoint;
use crate::fault_proxy::{Fault, FaultProxy, Policy};
use dynamo_model::aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, PutRequest,
    ScalarAttributeType, WriteRequest,
};
use dynamo_model::Client;
use std::sync::Arc;

async fn table(db: &Client, name: &str) -> String {
    let table = db.table_name_of(name);
    db.sdk()
        .create_table()
        .table_name(&table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    table
}

async fn proxied(policy: Policy) -> (FaultProxy, Client) {
    let proxy = FaultProxy::start(&local_endpoint().await, 7, policy).await;
    let db = Client::local(proxy.endpoint()).with_table_prefix(crate::common::unique_prefix());
    (proxy, db)
}

#[tokio::test]
async fn throttled_requests_are_answered_by_the_proxy_and_retried_by_the_sdk() {
    let (proxy, db) = proxied(Arc::new(|op, n, _| {
        if op == "PutItem" && n < 2 {
            Fault::Throttle
        } else {
            Fault::Forward
        }
    }))
    .await;
    let table = table(&db, "throttled").await;
    db.sdk()
        .put_item()
        .table_name(&table)
        .item("id", AttributeValue::S("a".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(proxy.count("PutItem", "throttle"), 2);
    assert_eq!(proxy.count("PutItem", "forward"), 1);
}

#[tokio::test]
async fn unprocessed_batch_items_are_withheld_from_dynamodb_and_reported() {
    let (_proxy, db) = proxied(Arc::new(|op, _, _| {
        if op == "BatchWriteItem" {
            Fault::Unprocess(0.5)
        } else {
            Fault::Forward
        }
    }))
    .await;
    let table = table(&db, "batch").await;
    let requests: Vec<WriteRequest> = (0..25)
        .map(|i| {
            let put = PutRequest::builder()
                .item("id", AttributeValue::S(format!("k{i}")))
                .build()
                .unwrap();
            WriteRequest::builder().put_request(put).build()
        })
        .collect();
    let output = db
        .sdk()
        .batch_write_item()
        .request_items(&table, requests)
        .send()
        .await
        .unwrap();
    let unprocessed: Vec<String> = output
        .unprocessed_items()
        .and_then(|u| u.get(&table))
        .into_iter()
        .flatten()
        .map(|w| {
            w.put_request().unwrap().item()["id"]
                .as_s()
                .unwrap()
                .clone()
        })
        .collect();
    assert!(
        !unprocessed.is_empty() && unprocessed.len() < 25,
        "{unprocessed:?}"
    );
    for i in 0..25 {
        let id = format!("k{i}");
        let stored = db
            .sdk()
            .get_item()
            .table_name(&table)
            .key("id", AttributeValue::S(id.clone()))
            .send()
            .await
            .unwrap()
            .item
            .is_some();
        assert_eq!(stored, !unprocessed.contains(&id), "{id}");
    }
}

#[tokio::test]
async fn a_dropped_response_still_reaches_dynamodb() {
    let (proxy, db) = proxied(Arc::new(|op, n, _| {
        if op == "PutItem" && n == 0 {
            Fault::DropResponse
        } else {
            Fault::Forward
        }
    }))
    .await;
    let table = table(&db, "dropped").await;
    // The SDK retries the transport error; the write was applied either way.
    db.sdk()
        .put_item()
        .table_name(&table)
        .item("id", AttributeValue::S("a".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(proxy.count("PutItem", "drop"), 1);
    assert!(proxy.count("PutItem", "forward") >= 1);
}
