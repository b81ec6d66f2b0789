use dynamo_model::Model;

#[derive(Model)]
#[model(rename_all = "camelCase")]
struct User {
    #[model(hash_key)]
    id: String,
    created_at: u64,
    #[model(rename = "createdAt")]
    created: u64,
}

fn main() {}
