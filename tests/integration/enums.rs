//! Enums stored as Dynamoose stores the equivalent schema: unit variants as
//! strings, data-carrying variants as maps tagged with the variant name.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Document, Item, Model};
use std::collections::BTreeSet;

#[derive(Document, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[model(rename_all = "lowercase")]
enum Status {
    Active,
    #[model(rename = "on-hold")]
    OnHold,
    Closed,
}

#[derive(Document, Debug, Clone, PartialEq)]
#[model(tag = "type")]
enum Payment {
    Card {
        last4: String,
        #[model(rename = "expiresAt")]
        expires: Option<u32>,
    },
    Cash,
    Voucher {
        code: String,
    },
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "orders")]
struct Order {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_status", hash_key))]
    status: Status,
    payment: Payment,
    history: Vec<Status>,
    seen: BTreeSet<Status>,
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

async fn raw(db: &dynamo_model::Client, id: &str) -> Item {
    db.sdk()
        .get_item()
        .table_name(db.table_name::<Order>())
        .key("id", s(id))
        .send()
        .await
        .unwrap()
        .item
        .unwrap()
}

#[tokio::test]
async fn unit_enums_are_strings_and_data_enums_tagged_maps() {
    let db = client().await;
    Order::create_table(&db).await.unwrap();
    let orders = [
        Order {
            id: "o1".into(),
            status: Status::OnHold,
            payment: Payment::Card {
                last4: "4242".into(),
                expires: Some(2712),
            },
            history: vec![Status::Active, Status::OnHold],
            seen: BTreeSet::from([Status::Active, Status::OnHold]),
        },
        Order {
            id: "o2".into(),
            status: Status::Closed,
            payment: Payment::Cash,
            history: vec![],
            seen: BTreeSet::new(),
        },
        Order {
            id: "o3".into(),
            status: Status::Closed,
            payment: Payment::Voucher { code: "V1".into() },
            history: vec![Status::Closed],
            seen: BTreeSet::from([Status::Closed]),
        },
    ];
    Order::batch_put(&db, &orders).await.unwrap();

    let stored = raw(&db, "o1").await;
    assert_eq!(stored["status"], s("on-hold"));
    assert_eq!(
        stored["history"],
        AttributeValue::L(vec![s("active"), s("on-hold")])
    );
    let payment = stored["payment"].as_m().unwrap();
    assert_eq!(payment["type"], s("Card"));
    assert_eq!(payment["last4"], s("4242"));
    assert_eq!(payment["expiresAt"], AttributeValue::N("2712".into()));
    let cash = raw(&db, "o2").await;
    assert_eq!(
        cash["payment"],
        AttributeValue::M(Item::from([("type".to_owned(), s("Cash"))]))
    );

    for order in &orders {
        let read = Order::get(&db, order.id.as_str()).await.unwrap();
        assert_eq!(read.as_ref(), Some(order));
    }

    // Enums in conditions, updates and index keys.
    let f = Order::fields();
    Order::update(&db, "o1")
        .set(&f.status, Status::Active)
        .condition(f.status.eq(Status::OnHold))
        .await
        .unwrap();
    let mut closed: Vec<String> = Order::by_status(&db)
        .hash(Status::Closed)
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    closed.sort();
    assert_eq!(closed, ["o2", "o3"]);
}

#[tokio::test]
async fn an_unknown_stored_name_is_an_error_listing_the_allowed_ones() {
    let db = client().await;
    Order::create_table(&db).await.unwrap();
    let mut item = Item::from([
        ("id".to_owned(), s("o9")),
        ("status".to_owned(), s("paused")),
        (
            "payment".to_owned(),
            AttributeValue::M(Item::from([("type".to_owned(), s("Cash"))])),
        ),
        ("history".to_owned(), AttributeValue::L(vec![])),
    ]);
    let put = |item: Item| {
        db.sdk()
            .put_item()
            .table_name(db.table_name::<Order>())
            .set_item(Some(item))
            .send()
    };
    put(item.clone()).await.unwrap();
    let error = Order::get(&db, "o9").await.unwrap_err().to_string();
    assert!(error.contains("`status`"), "{error}");
    assert!(
        error.contains(
            r#""paused" is not a variant of Status; expected one of "active", "on-hold", "closed""#
        ),
        "{error}"
    );

    item.insert("status".into(), s("active"));
    item.insert(
        "payment".into(),
        AttributeValue::M(Item::from([("type".to_owned(), s("Cheque"))])),
    );
    put(item).await.unwrap();
    let error = Order::get(&db, "o9").await.unwrap_err().to_string();
    assert!(
        error.contains("payment") && error.contains("type"),
        "{error}"
    );
    assert!(
        error.contains(
            r#""Cheque" is not a variant of Payment; expected one of "Card", "Cash", "Voucher""#
        ),
        "{error}"
    );
}

fn upper(code: &str) -> String {
    code.to_uppercase()
}

#[derive(Document, Debug, Clone, PartialEq)]
#[model(tag = "kind")]
enum Discount {
    Code {
        #[model(set = upper, validate(length(min = 3)))]
        code: String,
        #[model(default = 10, validate(range(max = 100)))]
        percent: Option<u32>,
    },
    None,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "carts")]
struct Cart {
    #[model(hash_key)]
    id: String,
    discount: Discount,
}

#[tokio::test]
async fn variant_fields_take_defaults_transforms_and_rules() {
    let db = client().await;
    Cart::create_table(&db).await.unwrap();
    let cart = Cart {
        id: "c1".into(),
        discount: Discount::Code {
            code: "spring".into(),
            percent: None,
        },
    };
    Cart::create(&db, &cart).await.unwrap();
    let read = Cart::get(&db, "c1").await.unwrap().unwrap();
    assert_eq!(
        read.discount,
        Discount::Code {
            code: "SPRING".into(),
            percent: Some(10)
        }
    );

    let bad = Cart {
        id: "c2".into(),
        discount: Discount::Code {
            code: "x".into(),
            percent: Some(150),
        },
    };
    let error = Cart::create(&db, &bad).await.unwrap_err();
    let text = error.to_string();
    assert!(error.is_validation(), "{error:?}");
    assert!(text.contains("`discount.code` (length)"), "{text}");
    assert!(text.contains("`discount.percent` (range)"), "{text}");
    let none = Cart {
        id: "c3".into(),
        discount: Discount::None,
    };
    Cart::create(&db, &none).await.unwrap();
}
