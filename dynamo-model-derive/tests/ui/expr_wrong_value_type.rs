use dynamo_model::{Client, Model};

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    name: String,
    logins: u64,
}

async fn misuse(db: &Client) {
    let f = User::fields();
    let _ = f.logins.eq("ten");
    let _ = f.name.gt(5);
    let _ = User::update(db, "u1").set(&f.logins, "many").await;
    let _ = f.logins.begins_with("1");
}

fn main() {}
