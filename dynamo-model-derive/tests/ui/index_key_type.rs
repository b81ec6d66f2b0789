//! An index key is a string, number or binary, or an Option of one.
use dynamo_model::Model;

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_active", hash_key))]
    active: bool,
    #[model(global_index(name = "by_team", hash_key))]
    team: Option<String>,
}

fn main() {}
