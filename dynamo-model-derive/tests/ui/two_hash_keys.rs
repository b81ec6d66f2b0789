use dynamo_model::Model;

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    #[model(hash_key)]
    email: String,
}

fn main() {}
