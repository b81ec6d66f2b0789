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
//!   batches, `create_table`, and `plan` / `sync_table`, which keep an
//!   existing table in line with the model: [`ops::table`]).
//! - [`index`]: secondary indexes, and how queries are typed by keys.
//! - [`expr`]: typed paths, conditions, updates and projections, and the
//!   placeholder rendering every request shares.
//! - [`attr`]: how each Rust type is stored ([`Attribute`]).
//! - [`ops`]: the operation builders, one module per family; what every
//!   builder shares (the boxed future, `IntoFuture`, return markers,
//!   sending with error mapping) is in `ops::builder`. Each builder can be
//!   awaited, `.send()`, adjusted with `.customize(..)` (still typed), or
//!   turned into the SDK's own builder with `.into_sdk()`.
//! - [`Client`]: the SDK client plus table-name prefix and suffix.
//! - [`observe`]: a span per call and per request, consumed capacity
//!   ([`observe::measure`]), and a metrics [`observe::Recorder`].
//! - [`hooks`]: a model's lifecycle hooks (`before_write`, `after_read`,
//!   `before_delete`, `on_key`), run by every operation.
//! - [`Error`]: the one error type.
//! - [`stream`]: DynamoDB Streams records decoded into models
//!   ([`stream::Change`]); feature `lambda` adds Lambda's stream events and
//!   a batch processor reporting partial batch failures, feature `streams`
//!   a reader following a table's stream (`Model::changes`).
//! - `local` (feature `local`): DynamoDB Local for tests and examples, run
//!   with Java; feature `local-docker` adds running it with Docker.
//! - `__private` (hidden): the only path generated code uses; the runtime
//!   itself never imports from it.
//!
//! The derive crate mirrors its pipeline in its folders: `attrs.rs` is the
//! one table of attribute names (it feeds the parser and the "unknown
//! attribute" message; a test checks these docs name every row), `ir/`
//! parses the input into a small model, collecting every error with its
//! span, and `expand/` generates code from it, file for file.
//!
//! **Adding a derive attribute**: a row in `attrs.rs` (the parsers match
//! the table exhaustively, so the build fails until the next step is done),
//! its parse into the field's IR in `ir/`, its code in the matching
//! `expand/` file calling the runtime through `__private`, a line in these
//! docs, and a trybuild case in `dynamo-model-derive/tests/ui/` for its
//! misuse. **Adding an operation**: a module in `ops/` with a builder
//! (`send`, `into_sdk`, `customize`, `IntoFuture` through the shared
//! macro), a method on [`Model`] or [`Client`], an [`Error`] variant only if
//! users branch on it, an offline request-shape test
//! (`dynamo-model/tests/request_shape/`) and a test against DynamoDB Local
//! (`tests/integration/`).
//!
//! ## The derive's attributes
//!
//! On the struct: `table = "name"` (default: the struct's name),
//! `rename_all = "camelCase"` (any serde case), `validate = path` (a rule
//! across fields), `hide_expired` (reads leave out items whose TTL has
//! passed), `hooks` (every operation runs the model's [`hooks::Hooks`]), and the table's settings, which `create_table`, `plan` and
//! `sync_table` build the table with (see [`ops::table`]):
//! `throughput(read = N, write = N)` (provisioned billing; on demand
//! without it), `stream = "..."` (`new_and_old_images`, `new_image`,
//! `old_image` or `keys_only`), `table_class = "..."` (`standard` or
//! `standard_infrequent_access`), `deletion_protection`. On a field: `hash_key`, `range_key`, `rename = "name"`,
//! `skip` (not stored, `Default` on read), `serde` (stored through
//! serde_dynamo), `null` (store `None` as NULL), `version` (see
//! [`locking`]), `validate(...)` (see [`rules`]), `global_index(...)` and
//! `local_index(...)` (see [`index`]), and the schema rules:
//!
//! - `default`, `default = expr`, `default_with = path`: the value of a
//!   missing attribute, on write (an `Option` field's `None`) and on read;
//!   `force_default`: every write stores it, updates included.
//! - `set = path` (`fn(&T) -> T`, before storing; key lookups, query key
//!   values, conditions and updates on the field are transformed too) and `get = path` (`fn(T) -> T`,
//!   after reading).
//! - `alias = "old"` (repeatable): further names the attribute is read from.
//! - `extra`: a [`Item`] field keeping every attribute the model does not
//!   name, written back on save (Dynamoose's `saveUnknown`).
//! - `created_at`, `updated_at`: time fields the writes set (see
//!   [`ops::item::SaveRequest`] for how a re-save keeps `created_at`).
//! - `ttl`: DynamoDB's time to live, stored in epoch seconds;
//!   `create_table` enables it.
//! - `storage = "millis" | "seconds" | "iso"`: how a time is stored
//!   (see [`attr::TimeStorage`]); a key stored as `"iso"` is a string key.
//!
//! A write runs, per field: default, `set`, validation rules (on the value
//! stored, defaults included, collecting every failure), encoding and
//! storage; then it stamps the timestamps. A read takes the primary name
//! then the aliases, converts the storage, fills the default of a missing
//! value, applies `get`; the `extra` field takes what is left.
//!
//! ```
//! use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
//! use dynamo_model::{Document, Item, Model};
//! use std::time::SystemTime;
//!
//! fn lowercase(email: &str) -> String {
//!     email.to_lowercase()
//! }
//!
//! #[derive(Document, Debug, Clone, Copy, PartialEq)]
//! #[model(rename_all = "lowercase")]
//! enum Plan { Free, Pro } // stored as S "free" / "pro"
//!
//! #[derive(Model, Debug)]
//! #[model(table = "users", rename_all = "camelCase", hide_expired)]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     #[model(set = lowercase, alias = "mail")]
//!     email: String,
//!     #[model(default = Plan::Free)]
//!     plan: Plan,
//!     #[model(extra)]
//!     extra: Item,
//!     #[model(ttl)]
//!     expires_at: Option<SystemTime>,
//!     #[model(created_at)]
//!     created_at: Option<SystemTime>,
//! }
//!
//! let s = |text: &str| AttributeValue::S(text.into());
//! // As an older writer stored it: an alias, no plan, an unknown attribute.
//! let stored = Item::from([
//!     ("id".to_owned(), s("u1")),
//!     ("mail".to_owned(), s("Ann@Example.COM")),
//!     ("source".to_owned(), s("node")),
//! ]);
//! let user = User::from_item(stored).unwrap();
//! assert_eq!((user.email.as_str(), user.plan), ("Ann@Example.COM", Plan::Free));
//! assert_eq!(user.extra["source"], s("node"));
//!
//! let item = user.to_item().unwrap();
//! assert_eq!(item["email"], s("ann@example.com")); // set, under the primary name
//! assert_eq!(item["plan"], s("free"));
//! assert_eq!(item["source"], s("node"));
//! ```
//!
//! Reading transforms, forced defaults and time storage:
//!
//! ```
//! use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
//! use dynamo_model::{Item, Model};
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//!
//! fn trimmed(title: String) -> String {
//!     title.trim().to_owned()
//! }
//! fn schema_version() -> u32 {
//!     2
//! }
//!
//! #[derive(Model, Debug)]
//! struct Post {
//!     #[model(hash_key)]
//!     id: String,
//!     #[model(get = trimmed)]
//!     title: String,
//!     #[model(default_with = schema_version, force_default)]
//!     schema: u32,
//!     #[model(storage = "iso")]
//!     published: SystemTime,
//!     #[model(storage = "seconds")]
//!     edited: Option<SystemTime>,
//!     #[model(updated_at)]
//!     updated_at: Option<SystemTime>,
//! }
//!
//! let post = Post {
//!     id: "p1".into(),
//!     title: "Hello".into(),
//!     schema: 1,
//!     published: UNIX_EPOCH + Duration::from_millis(1_709_208_000_123),
//!     edited: Some(UNIX_EPOCH + Duration::from_millis(1_709_208_000_999)),
//!     updated_at: None,
//! };
//! let item = post.to_item().unwrap();
//! assert_eq!(item["schema"], AttributeValue::N("2".into())); // forced
//! assert_eq!(item["published"], AttributeValue::S("2024-02-29T12:00:00.123Z".into()));
//! assert_eq!(item["edited"], AttributeValue::N("1709208000".into()));
//!
//! let mut stored: Item = item.clone();
//! stored.insert("title".into(), AttributeValue::S("  Hello  ".into()));
//! let read = Post::from_item(stored).unwrap();
//! assert_eq!(read.title, "Hello"); // get
//! assert_eq!(read.published, post.published);
//! ```
//!
//! `#[derive(Document)]` on a struct takes `rename_all` and the field
//! attributes but no keys, table, version, timestamps, TTL or `extra`: a
//! document is stored as a map inside an item. On an enum it stores unit
//! variants as strings (the variant name, after `rename_all` or a variant's
//! `rename`); with `tag = "type"`, variants with named fields are stored as
//! maps holding the variant name under `type`. Reading a name that is not a
//! variant fails with an error listing the names allowed.
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
pub mod hooks;
pub mod index;
#[cfg(feature = "local")]
pub mod local;
pub mod locking;
mod model;
pub mod observe;
pub mod ops;
mod retry;
pub mod rules;
pub mod schema;
pub mod stream;

pub use attr::{Attribute, Item};
pub use client::Client;
pub use dynamo_model_derive::{Document, Model};
pub use error::{Error, Result, ServiceSource};
pub use model::Model;
pub use retry::RetryConfig;

/// The SDK this crate builds on, re-exported so versions always match.
pub use aws_sdk_dynamodb;

/// What generated code refers to; not a public API.
#[doc(hidden)]
pub mod __private;
