//! Batch reads and writes that lose nothing.
//!
//! Requests are split into DynamoDB's chunks (100 keys per BatchGetItem, 25
//! writes per BatchWriteItem), sent with bounded concurrency, and whatever
//! DynamoDB leaves unprocessed is sent again with exponential backoff and
//! full jitter, as the client's [`RetryConfig`](crate::RetryConfig) says.
//! What is still not done when the rounds run out is returned in
//! [`Error::BatchIncomplete`], item by item — never dropped.
//!
//! DynamoDB rejects a batch naming one key twice, so duplicates are merged
//! first: `batch_get` reads a key once and gives its item at every position
//! that asked for it; a batch write keeps the last write of each key, as
//! if the writes ran in order.

mod get;
mod write;

pub use get::BatchGet;
pub use write::BatchWrite;

use super::describe_attributes;
use crate::attr::Item;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::{AttributeValue, WriteRequest};

/// DynamoDB's limit of writes in one BatchWriteItem.
pub const WRITE_CHUNK: usize = 25;
/// DynamoDB's limit of keys in one BatchGetItem.
pub const GET_CHUNK: usize = 100;
/// Chunks in flight at once, unless a builder says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// An item or key a batch could not finish, with where it belongs.
#[derive(Debug, Clone)]
pub struct Unprocessed {
    /// The model's Rust name.
    pub model: &'static str,
    /// The table name as sent.
    pub table: String,
    /// The item's key.
    pub key: Item,
    /// The write that was not applied (`None` for a read).
    pub write: Option<WriteRequest>,
}

/// What a chunk left undone, and why it stopped trying.
struct Incomplete {
    unprocessed: Vec<Unprocessed>,
    cause: Option<Error>,
}

impl Incomplete {
    /// One error for all chunks, or `Ok` when every chunk finished.
    fn merge(
        operation: &'static str,
        results: Vec<std::result::Result<(), Incomplete>>,
    ) -> Result<()> {
        let mut unprocessed = Vec::new();
        let mut cause = None;
        for incomplete in results.into_iter().filter_map(|r| r.err()) {
            unprocessed.extend(incomplete.unprocessed);
            cause = cause.or(incomplete.cause);
        }
        if unprocessed.is_empty() {
            return Ok(());
        }
        Err(Error::BatchIncomplete {
            operation,
            unprocessed,
            cause: cause.map(Box::new),
        })
    }
}

/// The key attributes of `item`, named as in `like` (a key of the table).
fn project_key(item: &Item, like: &Item) -> Item {
    like.keys()
        .filter_map(|name| Some((name.clone(), item.get(name)?.clone())))
        .collect()
}

/// A string identifying a key in a table, to find duplicates and to match
/// DynamoDB's answers to requests.
fn identity(table: &str, key: &Item) -> String {
    let mut names: Vec<&String> = key.keys().collect();
    names.sort();
    let mut out = String::from(table);
    for name in names {
        out.push('\u{0}');
        out.push_str(name);
        out.push('=');
        match &key[name] {
            AttributeValue::S(s) => {
                out.push('S');
                out.push_str(s);
            }
            AttributeValue::N(n) => {
                out.push('N');
                out.push_str(n);
            }
            AttributeValue::B(b) => {
                out.push('B');
                for byte in b.as_ref() {
                    out.push_str(&format!("{byte:02x}"));
                }
            }
            other => out.push_str(&format!("{other:?}")),
        }
    }
    out
}

/// Renders the keys of unprocessed entries for an error message.
pub(crate) fn describe_unprocessed(unprocessed: &[Unprocessed]) -> String {
    let shown: Vec<String> = unprocessed
        .iter()
        .take(3)
        .map(|u| {
            let mut names: Vec<&str> = u.key.keys().map(String::as_str).collect();
            names.sort_unstable();
            format!(
                "{} {}",
                u.table,
                describe_attributes(names.into_iter(), &u.key)
            )
        })
        .collect();
    let more = unprocessed.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
