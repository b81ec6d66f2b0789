//! The five-minute tour: a model, its table, and every item operation,
//! against a DynamoDB Local that the example starts (and stops) itself.
//!
//! Run it with `cargo run --example quickstart`. Set `DYNAMODB_ENDPOINT` to
//! use a DynamoDB (Local) you already run instead.

use dynamo_model::local::DynamoDbLocal;
use dynamo_model::{Document, Model};
use std::collections::BTreeSet;
use std::time::SystemTime;

/// A user, stored in table `users` with camelCase attribute names.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "users", rename_all = "camelCase")]
struct User {
    #[model(hash_key)]
    id: String,
    /// Checked before every write.
    #[model(validate(length(min = 1, max = 40)))]
    display_name: String,
    logins: u64,
    /// An enum stored as a string; items without it read as `Free`.
    #[model(default = Plan::Free)]
    plan: Plan,
    /// Stored as a string set (SS); an empty set is simply not stored.
    tags: BTreeSet<String>,
    /// A nested document, stored as a map (M).
    address: Option<Address>,
    /// Epoch milliseconds, as Dynamoose stores dates.
    joined_at: SystemTime,
    /// Set by the first write and kept by every later one.
    #[model(created_at)]
    created_at: Option<SystemTime>,
    /// Set by every write.
    #[model(updated_at)]
    updated_at: Option<SystemTime>,
}

#[derive(Document, Debug, Clone, Copy, PartialEq)]
#[model(rename_all = "lowercase")]
enum Plan {
    Free,
    Pro,
}

#[derive(Document, Debug, Clone, PartialEq)]
struct Address {
    city: String,
    zip: String,
}

/// One order of a customer: a composite key (hash + range).
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "orders")]
struct Order {
    #[model(hash_key)]
    customer: String,
    #[model(range_key)]
    number: u32,
    total_cents: i64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // DYNAMODB_ENDPOINT, else Java + the DynamoDB Local jar (fetched once
    // into a cache; with feature `local-docker`, Docker first if it answers).
    // It stops when this program ends.
    let local = DynamoDbLocal::shared().await?;
    let db = local.client().with_table_prefix("quickstart_");
    println!("DynamoDB Local at {}", local.endpoint());

    User::create_table(&db).if_not_exists().await?;
    Order::create_table(&db).if_not_exists().await?;

    let ann = User {
        id: "u1".into(),
        display_name: "Ann".into(),
        logins: 0,
        plan: Plan::Free,
        tags: BTreeSet::from(["admin".to_owned()]),
        address: Some(Address {
            city: "Paris".into(),
            zip: "75001".into(),
        }),
        joined_at: SystemTime::now(),
        created_at: None,
        updated_at: None,
    };

    // create never overwrites: a second create of the same key fails.
    User::create(&db, &ann).await?;
    let again = User::create(&db, &ann).await.unwrap_err();
    println!("second create: {again}");

    // get returns Option<User>, decoded straight from the item.
    let stored = User::get(&db, "u1").consistent(true).await?;
    println!("read back: {stored:?}");
    assert_eq!(
        stored.as_ref().map(|u| &u.display_name),
        Some(&ann.display_name)
    );

    // save overwrites, but keeps the stored creation time.
    let renamed = User {
        display_name: "Ann B.".into(),
        logins: 1,
        plan: Plan::Pro,
        ..ann
    };
    User::save(&db, &renamed).await?;
    let saved = User::get(&db, "u1").consistent(true).await?.expect("saved");
    assert_eq!(saved.created_at, stored.as_ref().and_then(|u| u.created_at));
    println!(
        "created {:?}, updated {:?}",
        saved.created_at, saved.updated_at
    );

    // Rules are checked before anything is sent, every failure at once.
    let nameless = User {
        display_name: String::new(),
        ..renamed
    };
    println!("invalid: {}", User::save(&db, &nameless).await.unwrap_err());

    // Composite keys take a pair.
    Order::save(
        &db,
        &Order {
            customer: "u1".into(),
            number: 1,
            total_cents: 4_200,
        },
    )
    .await?;
    let order = Order::get(&db, ("u1", 1u32)).await?;
    println!("order: {order:?}");

    // delete can hand back what it deleted.
    let old = User::delete(&db, "u1").return_old().await?;
    println!("deleted: {:?}", old.map(|u| u.display_name));
    assert!(User::get(&db, "u1").await?.is_none());

    // Bad input is refused before anything is sent, naming model and attribute.
    let bad = Order {
        customer: String::new(),
        number: 2,
        total_cents: 0,
    };
    println!("empty key: {}", Order::save(&db, &bad).await.unwrap_err());

    User::delete_table(&db).await?;
    Order::delete_table(&db).await?;
    Ok(())
}
