use dynamo_model::{Document, Model};

#[derive(Model)]
struct Pair(String, u64);

#[derive(Document)]
enum Shape {
    Circle,
}

fn main() {}
