use dynamo_model::Model;

#[derive(Model)]
struct User {
    id: String,
    name: String,
}

fn main() {}
