//! Misdeclared indexes are spanned compile errors, all reported at once.
use dynamo_model::{Document, Model};

#[derive(Model)]
struct NoIndexHash {
    #[model(hash_key)]
    id: String,
    // A global index needs a hash key.
    #[model(global_index(name = "by_day", range_key))]
    day: String,
}

#[derive(Model)]
struct LocalOnHashOnly {
    #[model(hash_key)]
    id: String,
    // A local index needs a table range key; options go on its range key.
    #[model(local_index(name = "by_day", range_key))]
    day: String,
}

#[derive(Model)]
struct Options {
    #[model(hash_key)]
    id: String,
    #[model(range_key)]
    at: u64,
    #[model(global_index(name = "by_team", hash_key))]
    team: String,
    // Options belong on the defining field (the hash key of a global index).
    #[model(global_index(name = "by_team", range_key, keys_only))]
    rank: u32,
    // Unknown and key fields in include; keys_only with include.
    #[model(global_index(name = "by_city", hash_key, keys_only, include(nowhere, id)))]
    city: String,
    // Local indexes have no throughput of their own.
    #[model(local_index(name = "by_size", range_key, throughput(read = 1, write = 1)))]
    size: u64,
    // Index keys are stored natively.
    #[model(global_index(name = "by_note", hash_key), serde)]
    note: String,
    #[model(global_index(name = "by_tag", hash_key, sort_key))]
    tag: String,
}

#[derive(Model)]
struct Names {
    #[model(hash_key)]
    id: String,
    // Too short; clashes with another index (a method every model has:
    // index_shadows_model_method.rs).
    #[model(global_index(name = "ab", hash_key))]
    a: String,
    #[model(global_index(name = "by_c", hash_key))]
    c: String,
    #[model(global_index(name = "by-c", hash_key))]
    d: String,
    #[model(global_index(hash_key))]
    e: String,
}

#[derive(Document)]
struct Address {
    #[model(global_index(name = "by_city", hash_key))]
    city: String,
}

fn main() {}
