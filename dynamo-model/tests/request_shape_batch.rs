//! The requests batches and transactions would send, read back offline
//! from their `into_sdk()`: nothing here reaches a server (the client's
//! endpoint is never connected to).

use dynamo_model::aws_sdk_dynamodb::types::{
    AttributeValue, ReturnConsumedCapacity, TransactWriteItem,
};
use dynamo_model::{Client, Item, Model};
use std::collections::HashSet;

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "points")]
struct Point {
    #[model(hash_key)]
    id: String,
    value: u32,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "labels")]
struct Label {
    #[model(hash_key)]
    owner: String,
    #[model(range_key)]
    n: u32,
    text: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "accounts")]
struct Account {
    #[model(hash_key)]
    id: String,
    balance: i64,
    #[model(version)]
    version: u64,
}

/// A client whose endpoint nothing listens on: `into_sdk` sends nothing.
fn offline() -> Client {
    Client::local("http://127.0.0.1:1").with_table_prefix("test_")
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn n(number: impl ToString) -> AttributeValue {
    AttributeValue::N(number.to_string())
}

/// The request asks for the total consumed capacity.
#[track_caller]
fn assert_total(capacity: &Option<ReturnConsumedCapacity>) {
    assert_eq!(capacity, &Some(ReturnConsumedCapacity::Total));
}

fn point(i: u32) -> Point {
    Point {
        id: format!("p{i:03}"),
        value: i,
    }
}

fn id_key(id: &str) -> Item {
    Item::from([("id".to_owned(), s(id))])
}

#[test]
fn batch_get_sends_chunks_of_100_distinct_keys_in_the_order_given() {
    let db = offline();
    // 250 keys, each of the first 10 asked twice.
    let mut keys: Vec<String> = (0..250).map(|i| format!("p{i:03}")).collect();
    keys.extend((0..10).map(|i| format!("p{i:03}")));
    let requests = Point::batch_get(&db, keys)
        .consistent(true)
        .into_sdk()
        .unwrap();
    assert_eq!(requests.len(), 3);
    let mut expected = 0;
    for (request, size) in requests.iter().zip([100, 100, 50]) {
        let items = request.as_input().get_request_items().as_ref().unwrap();
        assert_eq!(
            items.keys().collect::<Vec<_>>(),
            ["test_points"],
            "the prefixed table, and only it"
        );
        let asked = &items["test_points"];
        assert!(asked.consistent_read().unwrap());
        assert_eq!(asked.keys().len(), size);
        for key in asked.keys() {
            assert_eq!(key, &id_key(&format!("p{expected:03}")));
            expected += 1;
        }
        assert!(asked.projection_expression().is_none());
        assert!(request.as_input().get_return_consumed_capacity().is_none());
    }
    assert_eq!(expected, 250, "every key once");
}

#[test]
fn batch_get_customize_changes_every_chunk_request() {
    let db = offline();
    let keys: Vec<String> = (0..150).map(|i| format!("p{i}")).collect();
    let requests = Point::batch_get(&db, keys)
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .into_sdk()
        .unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_total(request.as_input().get_return_consumed_capacity());
    }
}

#[test]
fn batch_get_with_a_key_that_cannot_be_sent_is_an_error_before_sending() {
    let db = offline();
    let error = Point::batch_get(&db, ["p1", ""]).into_sdk().unwrap_err();
    assert!(error.is_invalid_value(), "{error}");
}

#[test]
fn batch_write_sends_chunks_of_25_across_tables_keeping_the_last_write_of_a_key() {
    let db = offline();
    let points: Vec<Point> = (0..40).map(point).collect();
    let changed = Point {
        id: "p005".into(),
        value: 500,
    };
    let mut batch = Point::batch_put(&db, &points);
    for n in 0..15 {
        batch = batch.put(&Label {
            owner: "ann".into(),
            n,
            text: format!("label {n}"),
        });
    }
    let requests = batch
        .delete::<Point>("p039")
        .delete::<Label>(("bob".to_owned(), 7u32))
        .put(&changed)
        .into_sdk()
        .unwrap();
    // 40 points (p039 deleted, p005 put again) + 15 labels + 1 label delete,
    // with the duplicates merged: 56 writes.
    let sizes: Vec<usize> = requests
        .iter()
        .map(|r| {
            let items = r.as_input().get_request_items().as_ref().unwrap();
            items.values().map(Vec::len).sum()
        })
        .collect();
    assert_eq!(sizes, [25, 25, 6]);

    let mut puts = Vec::new();
    let mut deletes = Vec::new();
    for request in &requests {
        let items = request.as_input().get_request_items().as_ref().unwrap();
        let tables: HashSet<&str> = items.keys().map(String::as_str).collect();
        assert!(tables.is_subset(&HashSet::from(["test_points", "test_labels"])));
        for (table, writes) in items {
            for write in writes {
                match (write.put_request(), write.delete_request()) {
                    (Some(put), None) => puts.push((table.clone(), put.item().clone())),
                    (None, Some(delete)) => deletes.push((table.clone(), delete.key().clone())),
                    other => panic!("a write is a put or a delete: {other:?}"),
                }
            }
        }
    }
    assert_eq!(puts.len(), 39 + 15);
    // A chunk's tables come in no particular order.
    deletes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        deletes,
        [
            (
                "test_labels".to_owned(),
                Item::from([("owner".to_owned(), s("bob")), ("n".to_owned(), n(7))])
            ),
            ("test_points".to_owned(), id_key("p039")),
        ]
    );
    let p005: Vec<&Item> = puts
        .iter()
        .filter(|(_, item)| item.get("id") == Some(&s("p005")))
        .map(|(_, item)| item)
        .collect();
    assert_eq!(p005.len(), 1, "one write of a key");
    assert_eq!(p005[0]["value"], n(500), "the last one");
    let label = puts
        .iter()
        .find(|(table, item)| table == "test_labels" && item["n"] == n(3))
        .unwrap();
    assert_eq!(label.1["text"], s("label 3"));
    assert_eq!(label.1["owner"], s("ann"));
}

#[test]
fn batch_write_customize_changes_every_chunk_request() {
    let db = offline();
    let points: Vec<Point> = (0..30).map(point).collect();
    let requests = Point::batch_put(&db, &points)
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Indexes))
        .customize(|req| req.return_item_collection_metrics("SIZE".into()))
        .into_sdk()
        .unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let input = request.as_input();
        assert_eq!(
            input.get_return_consumed_capacity(),
            &Some(ReturnConsumedCapacity::Indexes)
        );
        assert_eq!(
            input
                .get_return_item_collection_metrics()
                .as_ref()
                .map(|m| m.as_str()),
            Some("SIZE"),
            "both changes apply"
        );
    }
}

/// The write actions of a transaction request, in order.
fn actions(request: &[TransactWriteItem]) -> Vec<&str> {
    request
        .iter()
        .map(|item| {
            match (
                item.put(),
                item.update(),
                item.delete(),
                item.condition_check(),
            ) {
                (Some(_), None, None, None) => "put",
                (None, Some(_), None, None) => "update",
                (None, None, Some(_), None) => "delete",
                (None, None, None, Some(_)) => "check",
                other => panic!("one action per item: {other:?}"),
            }
        })
        .collect()
}

#[test]
fn a_write_transaction_sends_its_actions_in_order_with_their_expressions() {
    let db = offline();
    let f = Account::fields();
    let request = db
        .transaction()
        .create(&point(1))
        .write(Account::update(&db, "a1").increment(&f.balance, 10))
        .delete::<Point>("p2")
        .condition_check::<Account>("a2", f.balance.ge(10))
        .save(&Label {
            owner: "ann".into(),
            n: 1,
            text: "hi".into(),
        })
        .client_request_token("token-1")
        .into_sdk()
        .unwrap();
    let input = request.as_input();
    assert_eq!(input.get_client_request_token().as_deref(), Some("token-1"));
    let items = input.get_transact_items().as_ref().unwrap();
    assert_eq!(actions(items), ["put", "update", "delete", "check", "put"]);

    let create = items[0].put().unwrap();
    assert_eq!(create.table_name(), "test_points");
    assert_eq!(create.item()["id"], s("p001"));
    assert_eq!(create.item()["value"], n(1));
    assert_eq!(
        create.condition_expression(),
        Some("attribute_not_exists(#n0)")
    );
    let names = create.expression_attribute_names().unwrap();
    assert_eq!(names["#n0"], "id");
    assert!(create.expression_attribute_values().is_none());

    let update = items[1].update().unwrap();
    assert_eq!(update.table_name(), "test_accounts");
    assert_eq!(update.key(), &id_key("a1"));
    assert_eq!(
        update.update_expression(),
        "SET #n0 = if_not_exists(#n0, :v0) + :v1, #n1 = if_not_exists(#n1, :v2) + :v3"
    );
    assert_eq!(update.condition_expression(), Some("attribute_exists(#n2)"));
    let names = update.expression_attribute_names().unwrap();
    assert_eq!(
        [&names["#n0"], &names["#n1"], &names["#n2"]],
        ["balance", "version", "id"]
    );
    let values = update.expression_attribute_values().unwrap();
    assert_eq!(
        [
            &values[":v0"],
            &values[":v1"],
            &values[":v2"],
            &values[":v3"]
        ],
        [&n(0), &n(10), &n(0), &n(1)]
    );

    let delete = items[2].delete().unwrap();
    assert_eq!(delete.table_name(), "test_points");
    assert_eq!(delete.key(), &id_key("p2"));
    assert!(delete.condition_expression().is_none());

    let check = items[3].condition_check().unwrap();
    assert_eq!(check.table_name(), "test_accounts");
    assert_eq!(check.key(), &id_key("a2"));
    assert_eq!(check.condition_expression(), "#n0 >= :v0");
    assert_eq!(
        check.expression_attribute_names().unwrap()["#n0"],
        "balance"
    );
    assert_eq!(check.expression_attribute_values().unwrap()[":v0"], n(10));

    let save = items[4].put().unwrap();
    assert_eq!(save.table_name(), "test_labels");
    assert_eq!(save.item()["text"], s("hi"));
    assert!(save.condition_expression().is_none());
}

#[test]
fn a_write_transaction_has_a_fresh_token_and_takes_a_customize() {
    let db = offline();
    let build = || {
        db.transaction()
            .delete::<Point>("p1")
            .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
            .into_sdk()
            .unwrap()
    };
    let (one, two) = (build(), build());
    let token = |r: &dynamo_model::aws_sdk_dynamodb::operation::transact_write_items::builders::TransactWriteItemsFluentBuilder| {
        r.as_input().get_client_request_token().clone().unwrap()
    };
    assert_ne!(token(&one), token(&two));
    assert_total(one.as_input().get_return_consumed_capacity());
}

#[test]
fn a_customized_write_cannot_join_a_transaction() {
    let db = offline();
    let customized = Point::delete(&db, "p1").customize(|req| req.table_name("elsewhere"));
    let error = db.transaction().write(customized).into_sdk().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("customize the transaction instead"),
        "{error}"
    );
    let plain = db
        .transaction()
        .write(Point::delete(&db, "p1"))
        .into_sdk()
        .unwrap();
    assert_eq!(
        plain
            .as_input()
            .get_transact_items()
            .as_ref()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_write_transaction_with_two_actions_on_one_item_is_refused() {
    let db = offline();
    let error = db
        .transaction()
        .create(&point(1))
        .delete::<Point>("p001")
        .into_sdk()
        .unwrap_err();
    assert!(error.to_string().contains("two actions"), "{error}");
}

#[test]
fn a_read_transaction_sends_its_gets_in_order() {
    let db = offline();
    let request = db
        .transact_get()
        .get::<Point>("p1")
        .get::<Label>(("ann".to_owned(), 2u32))
        .get::<Point>("p2")
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .into_sdk()
        .unwrap();
    let input = request.as_input();
    assert_total(input.get_return_consumed_capacity());
    let gets: Vec<(&str, &Item)> = input
        .get_transact_items()
        .as_ref()
        .unwrap()
        .iter()
        .map(|item| {
            let get = item.get().unwrap();
            (get.table_name(), get.key())
        })
        .collect();
    let label = Item::from([("owner".to_owned(), s("ann")), ("n".to_owned(), n(2))]);
    assert_eq!(
        gets,
        [
            ("test_points", &id_key("p1")),
            ("test_labels", &label),
            ("test_points", &id_key("p2")),
        ]
    );
}

#[test]
fn a_read_transaction_of_more_than_100_gets_is_refused() {
    let db = offline();
    let many = (0..101).fold(db.transact_get(), |t, i| t.get::<Point>(format!("p{i}")));
    let error = many.into_sdk().unwrap_err();
    assert!(error.to_string().contains("1 to 100 actions"), "{error}");
    assert!(db.transact_get().into_sdk().is_err(), "and at least one");
}
