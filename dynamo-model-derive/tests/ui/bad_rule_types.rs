use dynamo_model::Model;

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    #[model(validate(length(min = 1)))]
    age: u32,
    #[model(validate(range(min = 1, max = 9)))]
    name: String,
    #[model(validate(range(min = "a")))]
    score: f64,
    #[model(validate(safe_integer))]
    ratio: f64,
}

fn main() {}
