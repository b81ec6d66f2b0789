//! Typed expressions against DynamoDB Local: every condition operator,
//! every update action, return values, projections, and names DynamoDB
//! reserves or that hold dots and spaces.

use crate::common::client;
use dynamo_model::expr::AttributeType;
use dynamo_model::{Client, Document, Error, Model};
use std::collections::{BTreeMap, BTreeSet};

/// Attribute names that would break a hand-written expression: reserved
/// words, a dot, a space.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "things")]
struct Thing {
    #[model(hash_key)]
    id: String,
    name: String,
    status: u32,
    data: Option<String>,
    ttl: u64,
    size: f64,
    #[model(rename = "data.v1")]
    dotted: u32,
    #[model(rename = "time to live")]
    spaced: u32,
    tags: BTreeSet<String>,
    history: Vec<u32>,
    attrs: BTreeMap<String, String>,
    address: Address,
    nickname: Option<String>,
}

#[derive(Document, Debug, Clone, PartialEq)]
struct Address {
    city: String,
    zip: String,
    #[model(rename = "geo point")]
    geo: Option<Vec<f64>>,
}

/// What a listing needs: a partial view of a `Thing`.
#[derive(Document, Debug, Clone, PartialEq)]
struct ThingName {
    id: String,
    name: String,
}

fn thing(id: &str) -> Thing {
    Thing {
        id: id.into(),
        name: "Widget".into(),
        status: 3,
        data: Some("payload".into()),
        ttl: 1_700_000_000,
        size: 2.5,
        dotted: 1,
        spaced: 2,
        tags: BTreeSet::from(["blue".to_owned(), "round".to_owned()]),
        history: vec![1, 2, 3],
        attrs: BTreeMap::from([("color".to_owned(), "red".to_owned())]),
        address: Address {
            city: "Paris".into(),
            zip: "75001".into(),
            geo: Some(vec![48.85, 2.35]),
        },
        nickname: None,
    }
}

async fn with_thing() -> Client {
    let db = client().await;
    Thing::create_table(&db).await.unwrap();
    Thing::create(&db, &thing("t1")).await.unwrap();
    db
}

/// Deletes `t1` under `condition`: whether it held, and what DynamoDB said.
async fn holds(db: &Client, condition: dynamo_model::expr::Condition) -> bool {
    // A condition on a delete that we then undo: the cheapest probe.
    match Thing::delete(db, "t1").condition(condition).await {
        Ok(()) => {
            Thing::save(db, &thing("t1")).await.unwrap();
            true
        }
        Err(error) if error.is_conditional_check_failed() => false,
        Err(error) => panic!("{error}"),
    }
}

#[tokio::test]
async fn every_condition_operator_selects_as_rust_would() {
    let db = with_thing().await;
    let f = Thing::fields();
    let cases = vec![
        ("eq", f.status.eq(3), true),
        ("eq false", f.status.eq(4), false),
        ("ne", f.status.ne(4), true),
        ("lt", f.status.lt(4), true),
        ("le", f.status.le(2), false),
        ("gt", f.size.gt(2.0), true),
        ("ge", f.size.ge(2.5), true),
        ("between", f.ttl.between(1, 1_700_000_000), true),
        ("between false", f.ttl.between(1, 10), false),
        ("begins_with", f.name.begins_with("Wid"), true),
        ("begins_with false", f.name.begins_with("wid"), false),
        ("contains string", f.name.contains("dge"), true),
        ("contains set", f.tags.contains("blue"), true),
        ("contains set false", f.tags.contains("green"), false),
        ("contains list", f.history.contains(2u32), true),
        ("exists", f.data.exists(), true),
        ("not_exists", f.nickname.not_exists(), true),
        ("not_exists false", f.name.not_exists(), false),
        (
            "attribute_type",
            f.tags.attribute_type(AttributeType::Ss),
            true,
        ),
        (
            "attribute_type false",
            f.status.attribute_type(AttributeType::S),
            false,
        ),
        ("in", f.status.is_in([1, 2, 3]), true),
        ("in false", f.status.is_in([7, 8]), false),
        ("size", f.history.size().eq(3), true),
        ("size of string", f.name.size().gt(6), false),
        ("nested", f.address.city.eq("Paris"), true),
        ("nested with space", f.address.geo.index(0).gt(48.0), true),
        ("map entry", f.attrs.key("color").eq("red"), true),
        ("list element", f.history.index(2).eq(3u32), true),
        ("reserved word", f.data.eq("payload"), true),
        ("dotted name", f.dotted.eq(1u32), true),
        ("spaced name", f.spaced.gt(1u32), true),
        ("and", f.status.eq(3) & f.name.eq("Widget"), true),
        ("and false", f.status.eq(3) & f.name.eq("Gadget"), false),
        ("or", f.status.eq(9) | f.name.eq("Widget"), true),
        ("not", !f.status.eq(9), true),
        (
            "grouping",
            !(f.status.eq(3) | f.size.lt(0.0)) | f.ttl.gt(5),
            true,
        ),
        (
            "grouping false",
            !(f.status.eq(3) | f.size.lt(0.0)) & f.ttl.gt(5),
            false,
        ),
    ];
    for (name, condition, expected) in cases {
        assert_eq!(holds(&db, condition).await, expected, "{name}");
    }
}

#[tokio::test]
async fn a_failed_condition_carries_the_stored_item() {
    let db = with_thing().await;
    let f = Thing::fields();
    let changed = Thing {
        status: 4,
        ..thing("t1")
    };
    let error = Thing::save(&db, &changed)
        .condition(f.status.eq(99))
        .await
        .unwrap_err();
    assert!(error.is_conditional_check_failed(), "{error:?}");
    let stored = error.current_item::<Thing>().unwrap().unwrap();
    assert_eq!(stored, thing("t1"));
    // The item is untouched.
    assert_eq!(Thing::get(&db, "t1").await.unwrap().unwrap().status, 3);

    // create with a condition still refuses an existing key first.
    let error = Thing::create(&db, &thing("t1"))
        .condition(f.status.eq(3))
        .await
        .unwrap_err();
    assert!(error.is_already_exists(), "{error:?}");
}

#[tokio::test]
async fn updates_change_only_what_they_name() {
    let db = with_thing().await;
    let f = Thing::fields();
    let updated = Thing::update(&db, "t1")
        .set(&f.name, "Gadget")
        .set(&f.address.city, "Oslo")
        .set_if_not_exists(&f.nickname, "giz")
        .set_if_not_exists(&f.data, "ignored")
        .increment(&f.status, 2)
        .decrement(&f.size, 0.5)
        .add(&f.ttl, 10)
        .increment(&f.dotted, 1)
        .set(&f.spaced, 5)
        .add(&f.tags, BTreeSet::from(["green".to_owned()]))
        .append(&f.history, [4, 5])
        .remove(f.attrs.key("color"))
        .return_new()
        .await
        .unwrap();
    let mut expected = thing("t1");
    expected.name = "Gadget".into();
    expected.address.city = "Oslo".into(); // zip and geo are kept
    expected.nickname = Some("giz".into());
    expected.status = 5;
    expected.size = 2.0;
    expected.ttl = 1_700_000_010;
    expected.dotted = 2;
    expected.spaced = 5;
    expected.tags.insert("green".into());
    expected.history = vec![1, 2, 3, 4, 5];
    expected.attrs.clear();
    assert_eq!(updated, expected);
    assert_eq!(Thing::get(&db, "t1").await.unwrap(), Some(expected));

    Thing::update(&db, "t1")
        .delete(
            &f.tags,
            BTreeSet::from(["blue".to_owned(), "green".to_owned()]),
        )
        .prepend(&f.history, [0])
        .await
        .unwrap();
    Thing::update(&db, "t1")
        .remove(f.history.index(5))
        .await
        .unwrap();
    let stored = Thing::get(&db, "t1").await.unwrap().unwrap();
    assert_eq!(stored.tags, BTreeSet::from(["round".to_owned()]));
    assert_eq!(stored.history, vec![0, 1, 2, 3, 4]);
}

#[tokio::test]
async fn update_return_values() {
    let db = with_thing().await;
    let f = Thing::fields();
    let old = Thing::update(&db, "t1")
        .set(&f.status, 10)
        .return_old()
        .await
        .unwrap();
    assert_eq!(old.unwrap().status, 3);
    let before = Thing::update(&db, "t1")
        .set(&f.status, 11)
        .return_updated_old()
        .await
        .unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before["status"].as_n().unwrap(), "10");
    let after = Thing::update(&db, "t1")
        .set(&f.status, 12)
        .return_updated_new()
        .await
        .unwrap();
    assert_eq!(after["status"].as_n().unwrap(), "12");
    Thing::update(&db, "t1").set(&f.status, 13).await.unwrap();
    assert_eq!(Thing::get(&db, "t1").await.unwrap().unwrap().status, 13);
}

#[tokio::test]
async fn updates_need_an_item_unless_upserting() {
    let db = with_thing().await;
    let f = Thing::fields();
    let error = Thing::update(&db, "nope")
        .set(&f.status, 1)
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert!(
        Thing::get(&db, "nope").await.unwrap().is_none(),
        "nothing was created"
    );

    // An upsert creates the item; giving every required attribute keeps it readable.
    let created = Thing::update(&db, "new")
        .upsert()
        .set_if_not_exists(&f.name, "Fresh")
        .set_if_not_exists(&f.status, 0)
        .set_if_not_exists(&f.ttl, 0)
        .set_if_not_exists(&f.size, 0.0)
        .set_if_not_exists(&f.dotted, 0)
        .set_if_not_exists(&f.spaced, 0)
        .set_if_not_exists(&f.history, Vec::new())
        .set_if_not_exists(&f.attrs, BTreeMap::new())
        .set_if_not_exists(&f.address, thing("x").address)
        .return_new()
        .await
        .unwrap();
    assert_eq!(created.name, "Fresh");

    // As documented, an upsert that leaves required attributes out creates
    // an item the model cannot read; the error names what is missing.
    Thing::update(&db, "partial")
        .upsert()
        .set(&f.name, "Half")
        .await
        .unwrap();
    let error = Thing::get(&db, "partial").await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "status"),
        "{error:?}"
    );

    // A failing user condition on an existing item is a condition failure.
    let error = Thing::update(&db, "t1")
        .set(&f.status, 1)
        .condition(f.status.eq(0))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ConditionalCheckFailed { item: Some(_), .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn bad_expressions_are_refused_before_sending() {
    // No table: anything sent would fail with ResourceNotFoundException.
    let db = client().await;
    let f = Thing::fields();
    let key = Thing::update(&db, "t1")
        .set(&f.id, "other")
        .await
        .unwrap_err();
    assert!(
        matches!(&key, Error::InvalidExpression { reason, .. } if reason.contains("`id` is a key")),
        "{key:?}"
    );

    let overlap = Thing::update(&db, "t1")
        .set(&f.address.city, "Oslo")
        .remove(&f.address)
        .await
        .unwrap_err();
    assert!(
        matches!(&overlap, Error::InvalidExpression { reason, .. } if reason.contains("overlap")),
        "{overlap:?}"
    );

    let empty = Thing::update(&db, "t1").await.unwrap_err();
    assert!(
        matches!(empty, Error::InvalidExpression { .. }),
        "{empty:?}"
    );

    let nan = Thing::update(&db, "t1")
        .set(&f.size, f64::NAN)
        .await
        .unwrap_err();
    assert!(
        matches!(&nan, Error::InvalidValue { path, .. } if path == "size"),
        "{nan:?}"
    );

    let too_many = Thing::delete(&db, "t1")
        .condition(f.status.is_in(0..101))
        .await
        .unwrap_err();
    assert!(too_many.to_string().contains("1 to 100"), "{too_many}");

    let long = (0..400).fold(f.status.eq(0), |c, i| c | f.status.eq(i));
    let error = Thing::delete(&db, "t1").condition(long).await.unwrap_err();
    assert!(error.to_string().contains("limit of 4096"), "{error}");
}

#[tokio::test]
async fn projections_read_only_what_the_partial_type_needs() {
    let db = with_thing().await;
    let name = Thing::get(&db, "t1").project::<ThingName>().await.unwrap();
    assert_eq!(
        name,
        Some(ThingName {
            id: "t1".into(),
            name: "Widget".into()
        })
    );
    assert_eq!(
        Thing::get(&db, "zz").project::<ThingName>().await.unwrap(),
        None
    );

    // The request asks for exactly those attributes.
    let request = Thing::get(&db, "t1")
        .project::<ThingName>()
        .into_sdk()
        .unwrap();
    let projection = request.get_projection_expression().clone().unwrap();
    assert_eq!(projection.matches('#').count(), 2, "{projection}");
}
