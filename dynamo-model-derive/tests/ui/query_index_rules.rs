//! Index queries are typed by the index's own keys; global indexes have no
//! strongly consistent reads.
use dynamo_model::{Client, Model};

#[derive(Model)]
struct User {
    #[model(hash_key)]
    id: String,
    #[model(range_key)]
    joined: u64,
    #[model(global_index(name = "by_email", hash_key))]
    email: String,
    #[model(local_index(name = "by_score", range_key))]
    score: u32,
}

fn misuse(db: &Client) {
    // Consistent reads on a global index, by query and by scan.
    let _ = User::by_email(db).hash("a@b.c").consistent(true);
    let _ = User::by_email(db).scan().consistent(true);
    // by_email has no range key.
    let _ = User::by_email(db).hash("a@b.c").range(|r| r.eq(1));
    // by_score's range key is the u32 score, not the table's joined.
    let _ = User::by_score(db).hash("u1").range(|s| s.eq("high"));
    // A local index's hash key is the table's: a String.
    let _ = User::by_score(db).hash(5);
}

fn ok(db: &Client) {
    let _ = User::by_score(db).hash("u1").range(|s| s.ge(10)).consistent(true);
    let _ = User::query(db).hash("u1").range(|j| j.between(1, 2)).consistent(true);
}

fn main() {}
