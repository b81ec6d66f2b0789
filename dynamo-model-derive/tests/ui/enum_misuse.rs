use dynamo_model::{Document, Model};

#[derive(Document)]
enum Untagged {
    Plain,
    Data { value: u32 },
    Pair(u32, u32),
}

#[derive(Document)]
#[model(tag = "kind", rename_all = "lowercase")]
enum Clash {
    #[model(rename = "b")]
    A { kind: String },
    B,
}

#[derive(Model)]
enum NotAModel {
    A,
}

fn main() {}
