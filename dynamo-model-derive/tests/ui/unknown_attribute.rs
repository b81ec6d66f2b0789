use dynamo_model::Model;

#[derive(Model)]
#[model(tabel = "users")]
struct User {
    #[model(hash_key, requird)]
    id: String,
}

fn main() {}
