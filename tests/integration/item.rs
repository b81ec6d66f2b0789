//! Item operations (get, create, save, delete) and how models are stored,
//! against DynamoDB Local.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Document, Error, Model};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "users", rename_all = "camelCase")]
struct User {
    #[model(hash_key)]
    id: String,
    display_name: String,
    logins: u64,
    score: f64,
    active: bool,
    nickname: Option<String>,
    tags: BTreeSet<String>,
    lucky_numbers: HashSet<i32>,
    history: Vec<u16>,
    avatar: Vec<u8>,
    prefs: BTreeMap<String, bool>,
    address: Option<Address>,
    joined_at: SystemTime,
    #[model(rename = "legacy_flag")]
    flag: bool,
    #[model(skip)]
    cached: Option<String>,
    #[model(serde)]
    extra: Extra,
    #[model(null)]
    deleted_by: Option<String>,
}

#[derive(Document, Debug, Clone, PartialEq)]
struct Address {
    city: String,
    #[model(rename = "postCode")]
    zip: Option<String>,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Default)]
struct Extra {
    source: String,
    weight: u8,
}

fn ann() -> User {
    User {
        id: "u1".into(),
        display_name: "Ann".into(),
        logins: 3,
        score: -1.25,
        active: true,
        nickname: None,
        tags: BTreeSet::from(["a".to_owned(), "b".to_owned()]),
        lucky_numbers: HashSet::from([7, -3]),
        history: vec![1, 2, 3],
        avatar: vec![0, 1, 2, 255],
        prefs: BTreeMap::from([("dark".to_owned(), true)]),
        address: Some(Address {
            city: "Paris".into(),
            zip: None,
        }),
        joined_at: UNIX_EPOCH + Duration::from_millis(1_700_000_000_123),
        flag: false,
        cached: None,
        extra: Extra {
            source: "signup".into(),
            weight: 2,
        },
        deleted_by: None,
    }
}

/// The item as stored, read with the SDK, to check the wire format.
async fn raw_item(
    db: &dynamo_model::Client,
    table: &str,
    id: &str,
) -> HashMap<String, AttributeValue> {
    db.sdk()
        .get_item()
        .table_name(db.table_name_of(table))
        .key("id", AttributeValue::S(id.into()))
        .send()
        .await
        .unwrap()
        .item
        .expect("item is stored")
}

#[tokio::test]
async fn create_get_save_delete_round_trip() {
    let db = client().await;
    User::create_table(&db).await.unwrap();

    assert_eq!(User::get(&db, "u1").await.unwrap(), None);
    let user = ann();
    User::create(&db, &user).await.unwrap();
    assert_eq!(
        User::get(&db, "u1").consistent(true).await.unwrap(),
        Some(user.clone())
    );

    let changed = User {
        logins: 4,
        nickname: Some("annie".into()),
        ..user.clone()
    };
    User::save(&db, &changed).await.unwrap();
    assert_eq!(User::get(&db, "u1").await.unwrap(), Some(changed.clone()));

    let old = User::delete(&db, "u1").return_old().await.unwrap();
    assert_eq!(old, Some(changed));
    assert_eq!(User::get(&db, "u1").await.unwrap(), None);
    // Deleting what is not there is not an error, and returns nothing.
    assert_eq!(User::delete(&db, "u1").return_old().await.unwrap(), None);
    User::delete(&db, "u1").await.unwrap();
}

#[tokio::test]
async fn create_refuses_an_existing_key() {
    let db = client().await;
    User::create_table(&db).await.unwrap();
    User::create(&db, &ann()).await.unwrap();

    let second = User {
        display_name: "Impostor".into(),
        ..ann()
    };
    let error = User::create(&db, &second).await.unwrap_err();
    assert!(error.is_already_exists(), "{error:?}");
    assert!(error.is_conditional_check_failed());
    let message = error.to_string();
    assert!(
        message.contains("User") && message.contains("\"u1\""),
        "{message}"
    );
    // The first item is untouched.
    assert_eq!(
        User::get(&db, "u1").await.unwrap().unwrap().display_name,
        "Ann"
    );
}

#[tokio::test]
async fn storage_format_is_native_and_dynamoose_compatible() {
    let db = client().await;
    User::create_table(&db).await.unwrap();
    User::create(&db, &ann()).await.unwrap();
    let item = raw_item(&db, "users", "u1").await;

    assert_eq!(item["displayName"], AttributeValue::S("Ann".into()));
    assert_eq!(item["logins"], AttributeValue::N("3".into()));
    assert_eq!(item["score"], AttributeValue::N("-1.25".into()));
    assert_eq!(item["active"], AttributeValue::Bool(true));
    assert_eq!(item["legacy_flag"], AttributeValue::Bool(false));
    let mut tags = item["tags"].as_ss().unwrap().clone();
    tags.sort();
    assert_eq!(tags, ["a", "b"]);
    let mut lucky = item["luckyNumbers"].as_ns().unwrap().clone();
    lucky.sort();
    assert_eq!(lucky, ["-3", "7"]);
    assert!(matches!(&item["history"], AttributeValue::L(l) if l.len() == 3));
    assert_eq!(item["avatar"].as_b().unwrap().as_ref(), &[0, 1, 2, 255]);
    assert!(item["prefs"].as_m().is_ok());
    assert_eq!(item["joinedAt"], AttributeValue::N("1700000000123".into()));
    let address = item["address"].as_m().unwrap();
    assert_eq!(address["city"], AttributeValue::S("Paris".into()));
    assert!(!address.contains_key("postCode"), "None is not stored");
    assert!(item["extra"].as_m().is_ok(), "serde field stored as a map");
    assert_eq!(
        item["deletedBy"],
        AttributeValue::Null(true),
        "#[model(null)] stores NULL"
    );
    // None and skipped fields are absent, not NULL.
    assert!(!item.contains_key("nickname"));
    assert!(!item.contains_key("cached"));
}

#[tokio::test]
async fn empty_sets_are_omitted_and_read_back_empty() {
    let db = client().await;
    User::create_table(&db).await.unwrap();
    let user = User {
        tags: BTreeSet::new(),
        lucky_numbers: HashSet::new(),
        ..ann()
    };
    User::create(&db, &user).await.unwrap();
    let item = raw_item(&db, "users", "u1").await;
    assert!(!item.contains_key("tags") && !item.contains_key("luckyNumbers"));
    assert_eq!(User::get(&db, "u1").await.unwrap(), Some(user));
}

#[tokio::test]
async fn decode_errors_name_model_attribute_and_types() {
    let db = client().await;
    User::create_table(&db).await.unwrap();
    User::create(&db, &ann()).await.unwrap();

    // Another writer stored a string where the model has a number.
    db.sdk()
        .update_item()
        .table_name(db.table_name::<User>())
        .key("id", AttributeValue::S("u1".into()))
        .update_expression("SET logins = :s, address.city = :n")
        .expression_attribute_values(":s", AttributeValue::S("many".into()))
        .expression_attribute_values(":n", AttributeValue::N("5".into()))
        .send()
        .await
        .unwrap();
    let error = User::get(&db, "u1").await.unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    assert!(
        matches!(&error, Error::Decode { model: "User", path, .. } if path == "logins"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("expected type N, found type S"),
        "{message}"
    );

    // A nested error names the whole path.
    db.sdk()
        .update_item()
        .table_name(db.table_name::<User>())
        .key("id", AttributeValue::S("u1".into()))
        .update_expression("SET logins = :n REMOVE displayName")
        .expression_attribute_values(":n", AttributeValue::N("5".into()))
        .send()
        .await
        .unwrap();
    let error = User::get(&db, "u1").await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "displayName" || path == "address.city"),
        "{error:?}"
    );
}

#[tokio::test]
async fn decode_errors_name_the_item_by_its_key() {
    let db = client().await;
    User::create_table(&db).await.unwrap();
    Order::create_table(&db).await.unwrap();

    // Another writer stored a string where the model has a number.
    User::create(&db, &ann()).await.unwrap();
    let mut item = raw_item(&db, "users", "u1").await;
    item.insert("logins".into(), AttributeValue::S("many".into()));
    db.sdk()
        .put_item()
        .table_name(db.table_name::<User>())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let error = User::scan(&db).all().await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { key: Some(key), .. } if key == r#"{id: "u1"}"#),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        r#"User: cannot read attribute `logins` of item {id: "u1"}: expected type N, found type S"#
    );
    let error = User::get(&db, "u1").await.unwrap_err();
    assert!(
        error.to_string().contains(r#"of item {id: "u1"}"#),
        "{error}"
    );

    // A composite key names both parts.
    let put = |number: &str, total: AttributeValue| {
        db.sdk()
            .put_item()
            .table_name(db.table_name::<Order>())
            .item("customer", AttributeValue::S("c1".into()))
            .item("number", AttributeValue::N(number.into()))
            .item("total", total)
            .item("note", AttributeValue::S("gift".into()))
            .send()
    };
    put("7", AttributeValue::S("lots".into())).await.unwrap();
    let error = Order::query(&db).hash("c1").all().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"Order: cannot read attribute `total` of item {customer: "c1", number: 7}: expected type N, found type S"#
    );

    // A key that cannot be read does not name the item by a part of it.
    db.sdk()
        .delete_item()
        .table_name(db.table_name::<Order>())
        .key("customer", AttributeValue::S("c1".into()))
        .key("number", AttributeValue::N("7".into()))
        .send()
        .await
        .unwrap();
    put("5000000000", AttributeValue::N("1".into()))
        .await
        .unwrap();
    let error = Order::query(&db).hash("c1").all().await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, key: None, .. } if path == "number"),
        "{error:?}"
    );
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "orders")]
struct Order {
    #[model(hash_key)]
    customer: String,
    #[model(range_key)]
    number: u32,
    total: f64,
    note: String,
}

#[tokio::test]
async fn composite_keys_take_a_pair() {
    let db = client().await;
    Order::create_table(&db).await.unwrap();
    for number in 1..=3 {
        let order = Order {
            customer: "c1".into(),
            number,
            total: 1.5,
            note: String::new(),
        };
        Order::create(&db, &order).await.unwrap();
    }
    let order = Order::get(&db, ("c1", 2u32)).await.unwrap().unwrap();
    assert_eq!(order.number, 2);
    let key = OrderKey {
        customer: "c1".into(),
        number: 3,
    };
    assert_eq!(
        Order::get(&db, key.clone()).await.unwrap().unwrap().number,
        3
    );
    assert_eq!(
        Order::key(&order),
        OrderKey {
            customer: "c1".into(),
            number: 2
        }
    );
    Order::delete(&db, key).await.unwrap();
    assert_eq!(Order::get(&db, ("c1", 3u32)).await.unwrap(), None);
    // An empty non-key string is a valid value.
    assert_eq!(
        Order::get(&db, ("c1", 1u32)).await.unwrap().unwrap().note,
        ""
    );
}

#[tokio::test]
async fn invalid_values_are_refused_before_sending() {
    // No table exists: an error that reached DynamoDB would be
    // ResourceNotFoundException, so these errors prove nothing was sent.
    let db = client().await;

    let empty_key = Order {
        customer: String::new(),
        number: 1,
        total: 0.0,
        note: "x".into(),
    };
    let error = Order::save(&db, &empty_key).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidValue { model: "Order", path, .. } if path == "customer"),
        "{error:?}"
    );
    let error = Order::get(&db, ("", 1u32)).await.unwrap_err();
    assert!(error.is_invalid_value(), "{error:?}");

    let nan = Order {
        customer: "c".into(),
        number: 1,
        total: f64::NAN,
        note: "x".into(),
    };
    let error = Order::create(&db, &nan).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidValue { path, .. } if path == "total"),
        "{error:?}"
    );

    let huge = Order {
        customer: "c".into(),
        number: 1,
        total: 1e200,
        note: "x".into(),
    };
    assert!(Order::save(&db, &huge)
        .await
        .unwrap_err()
        .is_invalid_value());

    let big = Order {
        customer: "c".into(),
        number: 1,
        total: 0.0,
        note: "x".repeat(400 * 1024),
    };
    let error = Order::save(&db, &big).await.unwrap_err();
    assert!(
        matches!(error, Error::ItemTooLarge { model: "Order", .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn item_size_limit_matches_dynamodb() {
    use dynamo_model::attr::{item_size, MAX_ITEM_SIZE};
    let db = client().await;
    Order::create_table(&db).await.unwrap();
    let base = Order {
        customer: "c".into(),
        number: 1,
        total: 0.0,
        note: String::new(),
    };
    let base_size = item_size(&base.to_item().unwrap());
    let at_limit = Order {
        note: "x".repeat(MAX_ITEM_SIZE - base_size),
        ..base
    };
    assert_eq!(item_size(&at_limit.to_item().unwrap()), MAX_ITEM_SIZE);
    // DynamoDB takes an item of exactly the size we compute as the limit...
    Order::save(&db, &at_limit).await.unwrap();

    // ...we refuse one byte more before sending...
    let over = Order {
        note: format!("{}x", at_limit.note),
        ..at_limit
    };
    let error = Order::save(&db, &over).await.unwrap_err();
    assert!(
        matches!(error, Error::ItemTooLarge { size: 409_601, .. }),
        "{error:?}"
    );
    // ...and so does DynamoDB, when the same item is sent past our check.
    let raw = db
        .sdk()
        .put_item()
        .table_name(db.table_name::<Order>())
        .set_item(Some(over.to_item().unwrap()))
        .send()
        .await;
    let message = format!("{:?}", raw.unwrap_err());
    assert!(message.contains("size has exceeded"), "{message}");
}

#[tokio::test]
async fn table_prefix_isolates_and_missing_table_is_a_clear_error() {
    let db = client().await;
    let error = User::get(&db, "u1").await.unwrap_err();
    assert!(error.is_table_not_found(), "{error:?}");
    assert!(
        error.to_string().contains(&db.table_name::<User>()),
        "{error}"
    );
    assert!(db.table_name::<User>().ends_with("users"));
}

#[tokio::test]
async fn debug_of_a_service_error_is_readable() {
    let db = client().await;
    let error = User::get(&db, "u1").await.unwrap_err();
    let debug = format!("{error:?}");
    let table = db.table_name::<User>();
    for expected in [
        "Service",
        "\"GetItem\"",
        &format!("{table:?}"),
        "ResourceNotFoundException",
    ] {
        assert!(debug.contains(expected), "{expected} in {debug}");
    }
    // Not the raw SDK error with its HTTP response.
    for raw in ["HttpResponse", "headers", "body", "SdkBody", "extensions"] {
        assert!(!debug.contains(raw), "{raw} in {debug}");
    }
    assert!(debug.len() < 600, "{} chars: {debug}", debug.len());
}

#[tokio::test]
async fn creating_an_existing_table_is_table_exists() {
    let db = client().await;
    Order::create_table(&db).await.unwrap();
    let error = Order::create_table(&db).await.unwrap_err();
    assert!(error.is_table_exists(), "{error:?}");
    assert!(!error.is_throttled(), "{error:?}");
    // Another table name is not in use.
    assert!(!User::get(&db, "u1").await.unwrap_err().is_table_exists());
}

#[tokio::test]
async fn tables_are_created_from_the_schema_and_deleted() {
    let db = client().await;
    Order::create_table(&db).await.unwrap();
    // Creating it again fails unless asked to tolerate it.
    let error = Order::create_table(&db).await.unwrap_err();
    assert_eq!(
        error.service_code(),
        Some("ResourceInUseException"),
        "{error:?}"
    );
    Order::create_table(&db).if_not_exists().await.unwrap();

    let table = db
        .sdk()
        .describe_table()
        .table_name(db.table_name::<Order>())
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    let keys: Vec<_> = table
        .key_schema()
        .iter()
        .map(|k| {
            (
                k.attribute_name().to_owned(),
                k.key_type().as_str().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("customer".to_owned(), "HASH".to_owned()),
            ("number".to_owned(), "RANGE".to_owned())
        ]
    );
    let number_type = table
        .attribute_definitions()
        .iter()
        .find(|d| d.attribute_name() == "number")
        .map(|d| d.attribute_type().as_str().to_owned());
    assert_eq!(number_type.as_deref(), Some("N"));

    Order::delete_table(&db).await.unwrap();
    assert!(Order::get(&db, ("c", 1u32))
        .await
        .unwrap_err()
        .is_table_not_found());
}

#[tokio::test]
async fn provisioned_tables_get_their_capacity() {
    let db = client().await;
    Order::create_table(&db).provisioned(3, 4).await.unwrap();
    let table = db
        .sdk()
        .describe_table()
        .table_name(db.table_name::<Order>())
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    let throughput = table.provisioned_throughput().unwrap();
    assert_eq!(throughput.read_capacity_units(), Some(3));
    assert_eq!(throughput.write_capacity_units(), Some(4));
}
