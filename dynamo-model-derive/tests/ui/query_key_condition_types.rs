//! A key condition takes the keys of the index it reads, with values of the
//! keys' own types, and nothing else.
use dynamo_model::{Client, Model};

#[derive(Model)]
struct Order {
    #[model(hash_key)]
    customer: String,
    #[model(range_key)]
    number: u32,
    total: u64,
}

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
}

fn misuse(db: &Client) {
    // A range condition before (without) the hash key.
    let _ = Order::query(db).range(|n| n.eq(1));
    // A hash key value of another type.
    let _ = Order::query(db).hash(7);
    // A range key value of another type.
    let _ = Order::query(db).hash("c1").range(|n| n.gt("ten"));
    // begins_with on a number.
    let _ = Order::query(db).hash("c1").range(|n| n.begins_with(1));
    // A non-key attribute in the key condition.
    let _ = Order::query(db).hash("c1").range(|_| Order::fields().total.eq(5));
    // A range condition on a table without a range key.
    let _ = User::query(db).hash("u1").range(|r| r.eq(1));
}

fn main() {}
