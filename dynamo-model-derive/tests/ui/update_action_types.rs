use dynamo_model::{Client, Model};
use std::collections::BTreeSet;

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    name: String,
    logins: u64,
    tags: BTreeSet<String>,
    history: Vec<u32>,
}

async fn misuse(db: &Client) {
    let f = User::fields();
    // Each of these DynamoDB would refuse: numbers only, numbers or sets, sets only.
    let _ = User::update(db, "u1").increment(&f.name, "x").await;
    let _ = User::update(db, "u1").decrement(&f.history, vec![1]).await;
    let _ = User::update(db, "u1").add(&f.name, "x").await;
    let _ = User::update(db, "u1").delete(&f.logins, 1).await;
}

async fn fine(db: &Client) {
    let f = User::fields();
    let tags = BTreeSet::from(["a".to_owned()]);
    let _ = User::update(db, "u1")
        .increment(&f.logins, 1)
        .add(&f.tags, tags.clone())
        .await;
    let _ = User::update(db, "u1").add(&f.logins, 2).delete(&f.tags, tags).await;
}

fn main() {}
