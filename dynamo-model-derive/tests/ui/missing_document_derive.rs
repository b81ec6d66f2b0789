//! A struct used as a field must derive `Document`; the error says so.
use dynamo_model::Model;

struct Address {
    city: String,
}

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    address: Address,
}

fn main() {}
