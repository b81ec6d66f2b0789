//! `Model::key_from_item`: the key read back from the key attributes, as a
//! stream record's `Keys` holds them. Offline: no DynamoDB Local needed.

use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Item, Model};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn upper(code: String) -> String {
    code.to_uppercase()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "orders", rename_all = "camelCase")]
struct Order {
    #[model(hash_key, get = upper)]
    customer_code: String,
    #[model(range_key, storage = "iso")]
    placed: SystemTime,
    total: u64,
}

#[derive(Model, Debug, Clone, PartialEq)]
struct Counter {
    #[model(hash_key, rename = "n")]
    number: u64,
}

fn order() -> Order {
    Order {
        customer_code: "C1".into(),
        placed: UNIX_EPOCH + Duration::from_millis(1_709_208_000_123),
        total: 7,
    }
}

#[test]
fn the_key_reads_back_from_a_whole_item_and_from_the_key_attributes() {
    let order = order();
    let item = order.to_item().unwrap();
    assert_eq!(Order::key_from_item(&item).unwrap(), order.key());

    let keys = Order::key_to_item(&order.key()).unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(
        keys["placed"],
        AttributeValue::S("2024-02-29T12:00:00.123Z".into())
    );
    assert_eq!(Order::key_from_item(&keys).unwrap(), order.key());

    let counter = Counter { number: 42 };
    let keys = Counter::key_to_item(&counter.key()).unwrap();
    assert_eq!(keys["n"], AttributeValue::N("42".into()));
    assert_eq!(Counter::key_from_item(&keys).unwrap(), 42);
}

#[test]
fn the_key_is_decoded_as_a_read_decodes_it() {
    // `get` applies, as on `from_item`: the key matches the struct's key.
    let keys = Item::from([
        ("customerCode".to_owned(), AttributeValue::S("c9".into())),
        (
            "placed".to_owned(),
            AttributeValue::S("2024-02-29T12:00:00.123Z".into()),
        ),
    ]);
    let key = Order::key_from_item(&keys).unwrap();
    assert_eq!(key.customer_code, "C9");
    assert_eq!(
        key.placed,
        UNIX_EPOCH + Duration::from_millis(1_709_208_000_123)
    );
}

#[test]
fn a_missing_or_mistyped_key_attribute_is_a_decode_error_naming_it() {
    let mut keys = Order::key_to_item(&order().key()).unwrap();
    keys.remove("placed");
    let error = Order::key_from_item(&keys).unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "Order: cannot read attribute `placed`: required value is missing"
    );

    let keys = Item::from([("n".to_owned(), AttributeValue::S("42".into()))]);
    let error = Counter::key_from_item(&keys).unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "Counter: cannot read attribute `n`: expected type N, found type S"
    );

    // Under the Rust name instead of the stored one, it is missing.
    let keys = Item::from([("number".to_owned(), AttributeValue::N("42".into()))]);
    let error = Counter::key_from_item(&keys).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Counter: cannot read attribute `n`: required value is missing"
    );
}
