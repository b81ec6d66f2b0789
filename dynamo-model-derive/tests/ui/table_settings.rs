use dynamo_model::{Document, Model};

#[derive(Model)]
#[model(stream = "new_images", table_class = "cold")]
struct UnknownNames {
    #[model(hash_key)]
    id: String,
}

#[derive(Model)]
#[model(deletion_protection = true, throughput(read = 5))]
struct HalfThroughput {
    #[model(hash_key)]
    id: String,
}

#[derive(Model)]
#[model(stream = "keys_only", stream = "new_image")]
struct TwoStreams {
    #[model(hash_key)]
    id: String,
}

#[derive(Document)]
#[model(stream = "keys_only", throughput(read = 1, write = 1))]
struct Address {
    city: String,
}

fn main() {}
