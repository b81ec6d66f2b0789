use dynamo_model::Model;

#[derive(Model)]
#[model(rename_all = "camel")]
struct User {
    #[model(hash_key)]
    id: String,
}

fn main() {}
