use dynamo_model::Model;

fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

#[derive(Model)]
struct Wrong {
    #[model(hash_key)]
    id: String,
    #[model(ttl)]
    expires: u64,
    #[model(updated_at)]
    updated: String,
    #[model(default = "zero")]
    count: u32,
    #[model(extra)]
    rest: Vec<String>,
    #[model(set = lowercase)]
    tags: Vec<String>,
}

fn main() {}
