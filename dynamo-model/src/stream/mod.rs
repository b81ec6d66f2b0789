//! Typed changes from DynamoDB Streams: an event-driven service matches on
//! [`Change<User>`](Change), never on `NewImage["id"]["S"]`.
//!
//! A source converts each of its records into a [`RawRecord`] (the SDK's
//! attribute maps and the record's metadata); [`ChangeRecord::from_raw`]
//! decodes it into the model, the key with
//! [`Model::key_from_item`](crate::Model::key_from_item) and each image with
//! [`Model::from_item`](crate::Model::from_item); [`ChangeRecord::into_change`]
//! gives the [`Change`], or [`Error::NotInView`](crate::Error::NotInView)
//! when the stream's [`StreamView`] leaves out an image it needs.
//!
//! - `lambda` (feature `lambda`): the records of a Lambda DynamoDB event,
//!   and a batch processor reporting partial batch failures.
//! - `reader` (feature `streams`): a table's stream followed with DynamoDB
//!   Streams, as a `futures::Stream` of changes with checkpoints.
//!
//! ```
//! use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
//! use dynamo_model::stream::{Change, ChangeKind, ChangeRecord, RawRecord, RecordMeta, StreamView};
//! use dynamo_model::{Item, Model};
//!
//! #[derive(Model, Debug, PartialEq)]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     name: String,
//! }
//!
//! let s = |text: &str| AttributeValue::S(text.into());
//! let keys = Item::from([("id".to_owned(), s("u1"))]);
//! let mut image = keys.clone();
//! image.insert("name".into(), s("Ann"));
//! let raw = RawRecord {
//!     kind: ChangeKind::Insert,
//!     view: Some(StreamView::NewImage),
//!     keys,
//!     old_image: None,
//!     new_image: Some(image),
//!     expired: false,
//!     meta: RecordMeta {
//!         sequence_number: "111".into(),
//!         event_id: "e1".into(),
//!         approximate_creation_time: None,
//!         size_bytes: 26,
//!     },
//! };
//! let record = ChangeRecord::<User>::from_raw(raw)?;
//! assert_eq!(record.key, "u1");
//! match record.into_change()? {
//!     Change::Insert { new } => assert_eq!(new.name, "Ann"),
//!     Change::Modify { old, new } => println!("{} is now {}", old.name, new.name),
//!     Change::Remove { old, expired } => println!("{} left (expired: {expired})", old.id),
//! }
//! # Ok::<(), dynamo_model::Error>(())
//! ```

mod change;
#[cfg(feature = "lambda")]
pub mod lambda;
#[cfg(feature = "streams")]
pub mod reader;
mod record;

pub use crate::schema::StreamView;
pub use change::{Change, ChangeKind};
#[cfg(feature = "streams")]
pub use reader::{ChangeStream, Changes, Checkpoint, StreamChange};
pub use record::{is_ttl_deletion, ChangeRecord, RawRecord, RecordMeta};
