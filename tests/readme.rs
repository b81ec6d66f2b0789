//! Every ```rust block of README.md, compiled (see `build.rs`): each is the
//! body of an async fn given the `prelude` below, the things the README's
//! prose takes as known. A snippet that no longer compiles fails the build.

/// What the README's snippets use without defining it.
mod prelude {
    pub use dynamo_model::{Client, Document, Item, Model};
    pub use std::collections::BTreeSet;
    pub use std::time::SystemTime;

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "users", rename_all = "camelCase")]
    pub struct User {
        #[model(hash_key)]
        pub id: String,
        pub display_name: String,
        pub email: Option<String>,
        pub logins: u64,
        pub tags: BTreeSet<String>,
        pub address: Option<Address>,
        pub nickname: Option<String>,
    }

    #[derive(Document, Debug, Clone, PartialEq)]
    pub struct Address {
        pub city: String,
    }

    /// A partial view of a `User`.
    #[derive(Document, Debug)]
    pub struct UserSummary {
        pub id: String,
        pub display_name: String,
    }

    #[derive(Model, Debug, Clone)]
    #[model(table = "events")]
    pub struct Event {
        #[model(hash_key)]
        pub user: String,
        #[model(range_key)]
        pub at: String,
        #[model(global_index(name = "by_kind", hash_key))]
        pub kind: String,
        #[model(local_index(name = "by_size", range_key, keys_only))]
        pub size: u64,
        pub score: u32,
    }

    #[derive(Model, Debug, Clone)]
    #[model(table = "orders")]
    pub struct Order {
        #[model(hash_key)]
        pub customer: String,
        #[model(range_key)]
        pub number: u32,
    }

    #[derive(Model, Debug, Clone)]
    #[model(table = "accounts")]
    pub struct Account {
        #[model(hash_key)]
        pub id: String,
        pub balance: i64,
        #[model(version)]
        pub version: u64,
    }

    #[derive(Model, Debug, Clone)]
    #[model(table = "transfers")]
    pub struct Transfer {
        #[model(hash_key)]
        pub id: String,
        pub amount: i64,
    }
}

include!(concat!(env!("OUT_DIR"), "/readme_snippets.rs"));

/// Every `rust` block became a snippet: a block marked otherwise
/// (`rust,ignore`) would escape the check, so none may be.
#[test]
fn every_rust_block_of_the_readme_is_compiled() {
    let readme = include_str!("../README.md");
    let blocks = readme
        .lines()
        .filter(|line| line.starts_with("```rust"))
        .count();
    assert_eq!(
        blocks, SNIPPETS,
        "a ```rust block is marked so that it is not compiled"
    );
}

const _: () = assert!(SNIPPETS > 0, "the README's snippets were not found");
