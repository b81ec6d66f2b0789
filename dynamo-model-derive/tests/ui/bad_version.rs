use dynamo_model::Model;

#[derive(Model)]
struct Named {
    #[model(hash_key)]
    id: String,
    #[model(version)]
    version: String,
}

#[derive(Model)]
struct Twice {
    #[model(hash_key, version)]
    id: u64,
    #[model(version)]
    a: u64,
}

fn main() {}
