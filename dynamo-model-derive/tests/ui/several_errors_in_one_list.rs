use dynamo_model::{Document, Model};

// Every problem of one attribute list is reported, not just the first.
#[derive(Model)]
#[model(tabel = "users", table = "a", table = "b", rename_all = "kebab")]
struct User {
    #[model(hash_key, requird, skip = 3, rename = "", rename = "x", ttl(1))]
    id: String,
    #[model(storage = "days", default, default, global_index(name = "ab", sort_key))]
    at: Option<u64>,
}

#[derive(Document)]
#[model(tag = "kind", tag = "type", rename_all = "lowercase", colour)]
enum Shape {
    #[model(rename = "c", rename = "circle", size)]
    Circle { radius: u32 },
}

fn main() {}
