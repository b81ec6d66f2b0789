use dynamo_model::Model;
use std::time::SystemTime;

#[derive(Model)]
struct Twice {
    #[model(hash_key)]
    id: String,
    #[model(created_at)]
    created: SystemTime,
    #[model(created_at)]
    also_created: SystemTime,
    #[model(force_default)]
    forced: u32,
    #[model(storage = "days")]
    day: SystemTime,
    #[model(ttl, storage = "iso")]
    expires: SystemTime,
    #[model(extra, default)]
    rest: dynamo_model::Item,
    #[model(hash_key)]
    #[model(default = 1)]
    #[model(alias = "n")]
    n: u32,
}

#[derive(Model)]
struct Keys {
    #[model(hash_key)]
    id: String,
    #[model(range_key, ttl)]
    expires: SystemTime,
    #[model(created_at, default)]
    created: SystemTime,
}

#[derive(Model)]
#[model(hide_expired)]
struct NoTtl {
    #[model(hash_key)]
    id: String,
}

fn main() {}
