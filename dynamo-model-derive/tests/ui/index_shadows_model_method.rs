use dynamo_model::Model;

// An index method is inherent on the model, so one named like a method of
// `Model` would hide it: `validate` (once missed by a hand-kept list) and
// `query` are refused at the index name; `by_email` is fine.
#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "validate", hash_key))]
    a: String,
    #[model(global_index(name = "query", hash_key))]
    b: String,
    #[model(global_index(name = "by_email", hash_key))]
    email: String,
}

fn main() {}
