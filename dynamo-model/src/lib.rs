//! # dynamo-model
//!
//! An object-document mapper for Amazon DynamoDB: derive [`Model`] on a plain
//! struct and get typed, fast item operations and tables built from the
//! struct.
//!
//! ```no_run
//! use dynamo_model::{Client, Model};
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[model(table = "users", rename_all = "camelCase")]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     display_name: String,
//!     logins: u64,
//! }
//!
//! # async fn demo() -> dynamo_model::Result<()> {
//! let db = Client::from_env().await;
//! User::create_table(&db).await?;
//! let ann = User { id: "u1".into(), display_name: "Ann".into(), logins: 0 };
//! User::create(&db, &ann).await?;
//! assert_eq!(User::get(&db, "u1").await?, Some(ann));
//! User::delete(&db, "u1").await?;
//! # Ok(()) }
//! ```
//!
//! ## Where things are
//!
//! - [`Model`]: the trait the derive implements, and every operation on a
//!   model (`get`, `create`, `save`, `update`, `delete`, `query`, `scan`,
//!   `create_table`).
//! - [`index`]: secondary indexes, and how queries are typed by keys.
//! - [`expr`]: typed paths, conditions, updates and projections.
//! - [`attr`]: how each Rust type is stored ([`Attribute`]).
//! - [`ops`]: the operation builders; each can be awaited, `.send()`, or
//!   turned into the SDK's own builder with `.into_sdk()`.
//! - [`Client`]: the SDK client plus table-name prefix and suffix.
//! - [`Error`]: the one error type.
//! - `local` (feature `local`): DynamoDB Local for tests.
//!
//! ## The derive's attributes
//!
//! On the struct: `table = "name"` (default: the struct's name),
//! `rename_all = "camelCase"` (any serde case). On a field: `hash_key`,
//! `range_key`, `rename = "name"`, `skip` (not stored, `Default` on read),
//! `serde` (stored through serde_dynamo), `null` (store `None` as NULL),
//! `global_index(...)` and `local_index(...)` (see [`index`]).
//! `#[derive(Document)]` takes `rename_all` and the field attributes but no
//! keys or table: a document is stored as a map inside an item.
//!
//! Misuse is a compile error pointing at the offending token, for example:
//!
//! ```compile_fail
//! #[derive(dynamo_model::Model)]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     #[model(hash_key)] // a model has one hash key
//!     email: String,
//! }
//! ```
#![deny(missing_docs)]

pub mod attr;
mod client;
mod error;
pub mod expr;
pub mod index;
#[cfg(feature = "local")]
pub mod local;
pub mod locking;
mod model;
pub mod ops;
mod retry;
pub mod rules;
pub mod schema;

pub use attr::{Attribute, Item};
pub use client::Client;
pub use dynamo_model_derive::{Document, Model};
pub use error::{Error, Result};
pub use model::Model;
pub use retry::RetryConfig;

/// The SDK this crate builds on, re-exported so versions always match.
pub use aws_sdk_dynamodb;

/// What generated code refers to; not a public API.
#[doc(hidden)]
pub mod __private;
