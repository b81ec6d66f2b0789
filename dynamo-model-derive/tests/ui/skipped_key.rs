use dynamo_model::Model;

#[derive(Model)]
struct User {
    #[model(hash_key, skip)]
    id: String,
    #[model(serde, serde)]
    extra: u64,
}

fn main() {}
