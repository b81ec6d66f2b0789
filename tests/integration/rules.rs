//! Validation rules run before every write of a whole item and collect
//! every failure; nothing is sent when one fails.

use crate::common::client;
use dynamo_model::{Error, Model};
use std::collections::BTreeSet;

fn not_reserved(name: &String) -> Result<(), String> {
    match name.as_str() {
        "admin" | "root" => Err(format!("{name} is reserved")),
        _ => Ok(()),
    }
}

fn adults_need_email(user: &Member) -> Result<(), &'static str> {
    if user.age >= 18 && user.email.is_none() {
        Err("adults need an email address")
    } else {
        Ok(())
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "members", validate = adults_need_email)]
struct Member {
    #[model(hash_key, validate(pattern = "^[a-z0-9-]+$"))]
    id: String,
    #[model(validate(length(min = 1, max = 8), with = not_reserved))]
    name: String,
    #[model(validate(range(min = 0, max = 150)))]
    age: u32,
    #[model(validate(range(min = -1.0, max = 1.0)))]
    score: f64,
    #[model(validate(non_empty, length(max = 3)))]
    tags: BTreeSet<String>,
    #[model(validate(pattern = "@"))]
    email: Option<String>,
}

fn valid() -> Member {
    Member {
        id: "ann-1".into(),
        name: "Ann".into(),
        age: 30,
        score: 0.5,
        tags: BTreeSet::from(["a".to_owned()]),
        email: Some("ann@example.com".into()),
    }
}

fn failures(error: &Error) -> Vec<(String, &'static str)> {
    match error {
        Error::Validation {
            model: "Member",
            failures,
        } => failures.iter().map(|f| (f.path.clone(), f.rule)).collect(),
        other => panic!("not a validation error: {other:?}"),
    }
}

#[tokio::test]
async fn valid_items_are_written_and_every_broken_rule_is_reported() {
    let db = client().await;
    Member::create_table(&db).await.unwrap();
    Member::create(&db, &valid()).await.unwrap();
    // Rules skip None, and bounds are inclusive.
    let edge = Member {
        id: "kid".into(),
        age: 0,
        score: -1.0,
        email: None,
        ..valid()
    };
    Member::save(&db, &edge).await.unwrap();

    let bad = Member {
        id: "Ann!".into(),
        name: "root".into(),
        age: 200,
        score: 1.5,
        tags: BTreeSet::new(),
        email: Some("nobody".into()),
    };
    let error = Member::save(&db, &bad).await.unwrap_err();
    assert!(error.is_validation());
    assert_eq!(
        failures(&error),
        [
            ("id".to_owned(), "pattern"),
            ("name".to_owned(), "custom"),
            ("age".to_owned(), "range"),
            ("score".to_owned(), "range"),
            ("tags".to_owned(), "non_empty"),
            ("email".to_owned(), "pattern"),
        ]
    );
    let message = error.to_string();
    assert!(
        message.contains("root is reserved") && message.contains("200 is above the maximum 150"),
        "{message}"
    );
    assert!(Member::get(&db, "Ann!").await.unwrap().is_none());

    let too_long = Member {
        name: "Bartholomew".into(),
        tags: ["a", "b", "c", "d"].map(String::from).into(),
        ..valid()
    };
    let error = Member::create(&db, &too_long).await.unwrap_err();
    assert_eq!(
        failures(&error),
        [("name".to_owned(), "length"), ("tags".to_owned(), "length")]
    );

    let adult = Member {
        email: None,
        ..valid()
    };
    let error = Member::save(&db, &adult).await.unwrap_err();
    assert_eq!(failures(&error), [(String::new(), "custom")]);
    assert!(error.to_string().contains("adults need an email address"));
}

#[tokio::test]
async fn batches_and_transactions_validate_before_sending() {
    // No table: a request that reached DynamoDB would fail otherwise.
    let db = client().await;
    let bad = Member {
        age: 999,
        ..valid()
    };
    let error = Member::batch_put(&db, &[valid(), bad.clone()])
        .await
        .unwrap_err();
    assert_eq!(failures(&error), [("age".to_owned(), "range")]);
    let error = db
        .transaction()
        .save(&valid())
        .create(&Member {
            id: "x".into(),
            ..bad
        })
        .await
        .unwrap_err();
    assert_eq!(failures(&error), [("age".to_owned(), "range")]);
}

#[tokio::test]
async fn updates_check_the_rules_of_the_values_they_set() {
    let db = client().await;
    Member::create_table(&db).await.unwrap();
    Member::create(&db, &valid()).await.unwrap();
    let f = Member::fields();
    let error = Member::update(&db, "ann-1")
        .set(&f.age, 151)
        .set(&f.name, "admin")
        .set_if_not_exists(&f.email, "no-at-sign")
        .await
        .unwrap_err();
    assert_eq!(
        failures(&error),
        [
            ("age".to_owned(), "range"),
            ("name".to_owned(), "custom"),
            ("email".to_owned(), "pattern")
        ]
    );
    assert_eq!(
        Member::get(&db, "ann-1").await.unwrap(),
        Some(valid()),
        "nothing was sent"
    );
    Member::update(&db, "ann-1").set(&f.age, 150).await.unwrap();
}

#[derive(dynamo_model::Document, Debug, Clone, PartialEq)]
struct Address {
    #[model(validate(non_empty))]
    city: String,
    #[model(validate(pattern = "^[0-9]{4}$"))]
    zip: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "homes")]
struct Household {
    #[model(hash_key, validate(length(min = 2)))]
    id: String,
    home: Address,
    others: Vec<Address>,
    cabin: Option<Address>,
}

fn address(city: &str, zip: &str) -> Address {
    Address {
        city: city.into(),
        zip: zip.into(),
    }
}

#[tokio::test]
async fn rules_inside_documents_are_reported_with_their_paths() {
    let db = client().await;
    Household::create_table(&db).await.unwrap();
    let bad = Household {
        id: "h".into(),
        home: address("", "0150"),
        others: vec![address("Oslo", "0150"), address("Bergen", "50O3")],
        cabin: Some(address("", "x")),
    };
    let error = Household::create(&db, &bad).await.unwrap_err();
    let Error::Validation { model, failures } = &error else {
        panic!("not a validation error: {error:?}");
    };
    assert_eq!(*model, "Household");
    let mut found: Vec<_> = failures.iter().map(|f| (f.path.as_str(), f.rule)).collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("cabin.city", "non_empty"),
            ("cabin.zip", "pattern"),
            ("home.city", "non_empty"),
            ("id", "length"),
            ("others[1].zip", "pattern"),
        ]
    );
    assert_eq!(Household::scan(&db).count().await.unwrap(), 0);

    let good = Household {
        id: "h1".into(),
        home: address("Oslo", "0150"),
        others: vec![],
        cabin: None,
    };
    Household::create(&db, &good).await.unwrap();
    let f = Household::fields();
    let error = Household::update(&db, "h1")
        .set(&f.home, address("Oslo", "oslo"))
        .await
        .unwrap_err();
    assert!(error.is_validation(), "{error:?}");
    assert!(
        error.to_string().contains("`home.zip` (pattern)"),
        "{error}"
    );
}
