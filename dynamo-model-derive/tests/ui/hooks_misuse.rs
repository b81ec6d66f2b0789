use dynamo_model::{Document, Model};

// `hooks` without an `impl Hooks`: the error points at `hooks`.
#[derive(Model)]
#[model(table = "users", hooks)]
struct User {
    #[model(hash_key)]
    id: String,
}

// Hooks run on a model's items, not inside a document.
#[derive(Document)]
#[model(hooks)]
struct Address {
    city: String,
}

// Given twice.
#[derive(Model)]
#[model(hooks, hooks)]
struct Twice {
    #[model(hash_key)]
    id: String,
}

impl dynamo_model::hooks::Hooks for Twice {}

fn main() {}
