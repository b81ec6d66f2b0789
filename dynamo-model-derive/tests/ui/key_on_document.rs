use dynamo_model::Document;

#[derive(Document)]
#[model(table = "addresses")]
struct Address {
    #[model(hash_key)]
    city: String,
}

fn main() {}
