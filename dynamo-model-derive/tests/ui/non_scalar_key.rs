use dynamo_model::Model;

#[derive(Model)]
struct User {
    #[model(hash_key)]
    ids: Vec<String>,
}

fn main() {}
