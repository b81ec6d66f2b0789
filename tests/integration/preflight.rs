//! Requests DynamoDB refuses whatever is stored are refused before they are
//! sent, with an error naming the model and attribute. Each test first sends
//! the same request through the SDK, to show DynamoDB Local does refuse it
//! (so the check is not stricter than DynamoDB), then ours, and checks the
//! stored item did not change.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::error::SdkError;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Client, Error, Item, Model};

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "accounts")]
struct Account {
    #[model(hash_key)]
    id: String,
    #[model(range_key)]
    seq: u32,
    #[model(global_index(name = "by_email", hash_key))]
    email: String,
    note: String,
}

fn account() -> Account {
    Account {
        id: "a1".into(),
        seq: 1,
        email: "ann@example.com".into(),
        note: "first".into(),
    }
}

async fn with_account() -> Client {
    let db = client().await;
    Account::create_table(&db).await.unwrap();
    Account::create(&db, &account()).await.unwrap();
    db
}

/// The key of the stored account, for requests sent through the SDK.
fn stored_key() -> Item {
    Account::key_to_item(&("a1", 1).into()).unwrap()
}

/// Sends `SET #a = :v` for the stored account through the SDK, and checks
/// DynamoDB refuses it.
async fn raw_set(db: &Client, attribute: &str, value: AttributeValue) {
    let result = db
        .sdk()
        .update_item()
        .table_name(db.table_name::<Account>())
        .set_key(Some(stored_key()))
        .update_expression("SET #a = :v")
        .expression_attribute_names("#a", attribute)
        .expression_attribute_values(":v", value)
        .send()
        .await;
    refused(result);
}

/// Checks DynamoDB refused a raw request as invalid.
fn refused<T, E: std::fmt::Debug, R: std::fmt::Debug>(result: Result<T, SdkError<E, R>>) {
    let said = format!(
        "{:?}",
        result
            .err()
            .expect("DynamoDB Local accepted the raw request")
    );
    assert!(said.contains("ValidationException"), "{said}");
}

async fn unchanged(db: &Client) {
    let stored = Account::get(db, ("a1", 1)).await.unwrap();
    assert_eq!(stored, Some(account()));
}

#[tokio::test]
async fn an_empty_index_key_in_an_update_is_refused() {
    let db = with_account().await;
    raw_set(&db, "email", AttributeValue::S(String::new())).await;

    let f = Account::fields();
    let error = Account::update(&db, ("a1", 1))
        .set(&f.email, "")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidValue { model: "Account", path, .. } if path == "email"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("by_email") && message.contains("remove"),
        "{message}"
    );
    unchanged(&db).await;

    // An empty value anywhere else is fine.
    Account::update(&db, ("a1", 1))
        .set(&f.note, "")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_value_over_the_item_limit_in_an_update_is_refused() {
    let db = with_account().await;
    let big = "x".repeat(500 * 1024);
    raw_set(&db, "note", AttributeValue::S(big.clone())).await;

    let f = Account::fields();
    let error = Account::update(&db, ("a1", 1))
        .set(&f.note, big.as_str())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidValue { path, .. } if path == "note"),
        "{error:?}"
    );
    assert!(error.to_string().contains("409600"), "{error}");
    unchanged(&db).await;

    // Two values each under the limit that together are over it.
    let half = "y".repeat(210 * 1024);
    let error = Account::update(&db, ("a1", 1))
        .set(&f.note, half.as_str())
        .set(&f.email, half.as_str())
        .await
        .unwrap_err();
    assert!(error.is_invalid_value(), "{error:?}");
    unchanged(&db).await;

    // Just under the limit is sent and stored.
    let fits = "z".repeat(399 * 1024);
    Account::update(&db, ("a1", 1))
        .set(&f.note, fits.as_str())
        .await
        .unwrap();
}

#[tokio::test]
async fn between_with_its_bounds_reversed_is_refused() {
    let db = with_account().await;
    let raw = db
        .sdk()
        .query()
        .table_name(db.table_name::<Account>())
        .key_condition_expression("id = :h AND seq BETWEEN :lo AND :hi")
        .expression_attribute_values(":h", AttributeValue::S("a1".into()))
        .expression_attribute_values(":lo", AttributeValue::N("20".into()))
        .expression_attribute_values(":hi", AttributeValue::N("10".into()))
        .send()
        .await;
    refused(raw);

    let error = Account::query(&db)
        .hash("a1")
        .range(|seq| seq.between(20, 10))
        .all()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidExpression { model: "Account", reason }
            if reason.contains("`seq`") && reason.contains("between(20, 10)")),
        "{error:?}"
    );
    // Equal bounds are a range of one.
    let one: Vec<Account> = Account::query(&db)
        .hash("a1")
        .range(|seq| seq.between(1, 1))
        .all()
        .await
        .unwrap();
    assert_eq!(one, vec![account()]);

    // The same in a condition: refused, the item kept.
    let raw = db
        .sdk()
        .delete_item()
        .table_name(db.table_name::<Account>())
        .set_key(Some(stored_key()))
        .condition_expression("note BETWEEN :lo AND :hi")
        .expression_attribute_values(":lo", AttributeValue::S("z".into()))
        .expression_attribute_values(":hi", AttributeValue::S("a".into()))
        .send()
        .await;
    refused(raw);
    let f = Account::fields();
    let error = Account::delete(&db, ("a1", 1))
        .condition(f.note.between("z", "a"))
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains(r#"between("z", "a")"#),
        "{error}"
    );
    unchanged(&db).await;
}
