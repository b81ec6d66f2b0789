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
#![deny(missing_docs)]

pub mod attr;
mod client;
mod error;
pub mod index;
#[cfg(feature = "local")]
pub mod local;
mod model;
pub mod ops;
pub mod schema;

pub use attr::{Attribute, Item};
pub use client::Client;
pub use dynamo_model_derive::{Document, Model};
pub use error::{Error, Result};
pub use model::Model;

/// The SDK this crate builds on, re-exported so versions always match.
pub use aws_sdk_dynamodb;

/// What generated code refers to; not a public API.
#[doc(hidden)]
pub mod __private;
