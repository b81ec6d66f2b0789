use dynamo_model::Model;

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    #[model(validate(pattern = "a(b"))]
    code: String,
    #[model(validate(shorter_than = 3))]
    nick: String,
    #[model(validate(length()))]
    bio: String,
}

fn main() {}
