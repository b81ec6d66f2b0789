//! Queries and scans read a model's table or an index the model declares;
//! anything else is an error saying which types do.
use dynamo_model::index::Index;
use dynamo_model::ops::query::QueryStart;
use dynamo_model::{Client, Document, Model};

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    address: Address,
}

#[derive(Document)]
struct Address {
    city: String,
}

/// A helper generic over what it reads.
fn count<I: Index>(_db: &Client) {}

fn misuse(db: &Client) {
    count::<User>(db);
    count::<Address>(db);
    let _ = QueryStart::<Address>::new(db);
}

fn main() {}
