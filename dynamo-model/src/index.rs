//! Secondary indexes, and what a query or scan reads: the table itself or
//! one of its indexes, each described by a type that `#[derive(Model)]`
//! generates.
//!
//! ## Declaring indexes
//!
//! A field is a key of an index with `global_index(...)` or
//! `local_index(...)`, once per index it belongs to:
//!
//! ```
//! use dynamo_model::Model;
//!
//! #[derive(Model)]
//! #[model(table = "orders")]
//! struct Order {
//!     #[model(hash_key)]
//!     customer: String,
//!     #[model(range_key, global_index(name = "by_status", range_key))]
//!     placed_at: u64,
//!     // A global index: its own hash key (and here a range key), its own
//!     // capacity when the table is provisioned.
//!     #[model(global_index(name = "by_status", hash_key, throughput(read = 5, write = 2)))]
//!     status: String,
//!     // A sparse global index holding only keys: items without a coupon
//!     // are not in it.
//!     #[model(global_index(name = "by_coupon", hash_key, keys_only))]
//!     coupon: Option<String>,
//!     // A local index: the table's hash key with another range key, holding
//!     // the keys and `status`.
//!     #[model(local_index(name = "by_total", range_key, include(status)))]
//!     total: u64,
//! }
//! ```
//!
//! - `name = "..."`: the index name (3 to 255 letters, digits, `_`, `-`,
//!   `.`); it also names the generated query method (`by_status`).
//! - `hash_key` / `range_key`: the field's role in the index. A global index
//!   has a hash key and may have a range key; a local index has a range key
//!   and needs a table with a range key.
//! - Options, on the field that defines the index (a global index's hash
//!   key, a local index's range key): `keys_only` or `include(field, ...)`
//!   (what the index holds besides keys; default: every attribute), and for
//!   global indexes `throughput(read = N, write = N)`, used when the table is
//!   created provisioned (default: the table's).
//!
//! Index keys are strings, numbers or binaries, or an `Option` of one for a
//! sparse index. `create_table` defines every key attribute once and
//! creates the indexes with the table.
//!
//! ## What is generated
//!
//! For each index, a marker type named after the model and the index
//! (`OrderByStatusIndex`) implementing [`Index`], and a method starting a
//! query or scan on it (`Order::by_status(&db)`). An index that is
//! `keys_only` or `include(...)` reads into a generated struct of what it
//! holds, named `{Model}{Index}Item` (`OrderByCouponItem` with `customer`,
//! `placed_at` and `coupon: String`), deriving `Debug`, `Clone` and
//! `PartialEq` (so the fields it holds need them too); an index holding
//! everything reads into the model.
//!
//! ## Typed keys
//!
//! The model type stands for its table (`Order::query(&db)`). The traits here
//! carry each index's key types, so a key condition only compiles with the
//! right keys and values:
//!
//! - [`Index::Hash`]: the hash key's type, the only value `.hash(..)` takes;
//! - [`RangeIndex::Range`]: the range key's type, for `.range(..)`, which an
//!   index without a range key does not have;
//! - [`ConsistentIndex`]: the table and local indexes, the only ones
//!   DynamoDB reads strongly consistently (`.consistent(true)` does not
//!   compile on a global index).

use crate::attr::{Attribute, Item, KeyAttribute};
use crate::expr::Operand;
use crate::model::Model;
use crate::schema::{IndexSchema, KeySchema};
use crate::Result;

/// The table of a model or one of its secondary indexes, as something to
/// query and scan. Implemented by `#[derive(Model)]`, for the model (its
/// table) and for each index's marker type.
///
/// ```
/// use dynamo_model::{index::Index, Model};
///
/// #[derive(Model)]
/// struct User {
///     #[model(hash_key)]
///     id: String,
///     #[model(global_index(name = "by_email", hash_key, keys_only))]
///     email: String,
/// }
///
/// assert_eq!(User::INDEX, None);
/// assert_eq!(UserByEmailIndex::INDEX.map(|i| i.name), Some("by_email"));
/// // A keys-only index reads into a generated struct of the keys it holds.
/// let item: <UserByEmailIndex as Index>::Item = UserByEmailItem {
///     id: "u1".into(),
///     email: "ann@example.com".into(),
/// };
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table or an index of a model",
    label = "not a `#[derive(Model)]` type or an index it declares",
    note = "read a type deriving `Model` (its table: `User::query`, `User::scan`) or an index declared on one of its fields with `global_index(..)` or `local_index(..)`: its method (`User::by_email`) or marker type (`UserByEmailIndex`)"
)]
pub trait Index: Send + Sync + 'static {
    /// The model whose table this is (or is an index of).
    type Model: Model;
    /// The type of the hash key, which a query's `.hash(..)` takes. (A
    /// [`KeyAttribute`]; the derive checks that once, in the schema, so a
    /// wrong key type is one compile error.)
    type Hash: Attribute + Send + Sync + 'static;
    /// What reading an item gives: the model for the table and indexes that
    /// project every attribute, else a generated `{Model}{Index}Item` struct
    /// of the attributes the index holds.
    type Item: Send + 'static;
    /// The index's schema; `None` for the table.
    const INDEX: Option<&'static IndexSchema>;

    /// Decodes an item read from this table or index.
    fn from_index_item(item: Item) -> Result<Self::Item>;

    /// Turns a hash key value as its type encodes it into the value stored
    /// (the key field's `set` transform and time storage).
    fn store_hash(value: Operand) -> Operand {
        value
    }
}

/// An [`Index`] with a range key, which a query can put a condition on.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no range key, so a query on it takes no range condition",
    label = "no range key",
    note = "query by the hash key alone, or put a `filter` on other attributes"
)]
pub trait RangeIndex: Index {
    /// The type of the range key (a [`KeyAttribute`], see [`Index::Hash`]).
    type Range: Attribute + Send + Sync + 'static;

    /// Turns a range key value into the value stored (see
    /// [`Index::store_hash`]).
    fn store_range(value: Operand) -> Operand {
        value
    }
}

/// An [`Index`] that can be read strongly consistently: the table and its
/// local indexes. DynamoDB reads global indexes eventually consistently only.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a global secondary index, which DynamoDB reads only eventually consistently",
    label = "no consistent reads on a global index",
    note = "read the table or a local index for strongly consistent results"
)]
pub trait ConsistentIndex: Index {}

/// The type of a secondary index key field: a key type, or an `Option` of
/// one for a sparse index (items without the attribute are not in the index).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an index key",
    label = "an index key must be stored as a string, number or binary value",
    note = "use String, an integer, a float, Vec<u8>, a time type or Uuid, or an Option of one for a sparse index"
)]
pub trait IndexKey {
    /// The key type as the index stores it.
    type Value: KeyAttribute;
}

impl<T: KeyAttribute> IndexKey for T {
    type Value = T;
}

impl<T: KeyAttribute> IndexKey for Option<T> {
    type Value = T;
}

/// A key type whose values have prefixes: strings and binaries, the types
/// `begins_with` works on. Implement it for a newtype key stored as S or B.
#[diagnostic::on_unimplemented(
    message = "`begins_with` needs a string or binary range key, and `{Self}` is not one",
    label = "not a string or binary key",
    note = "compare numbers with lt, le, gt, ge or between"
)]
pub trait PrefixKey: KeyAttribute {}

impl PrefixKey for String {}
impl PrefixKey for Vec<u8> {}
impl PrefixKey for aws_smithy_types::Blob {}
#[cfg(feature = "bytes")]
impl PrefixKey for bytes::Bytes {}

/// The Rust name of the model `I` belongs to, for error messages.
pub(crate) fn model_name<I: Index>() -> &'static str {
    <I::Model as Model>::SCHEMA.model
}

/// The hash key of `I`.
pub(crate) fn hash_key<I: Index>() -> KeySchema {
    match I::INDEX {
        Some(index) => index.hash_key,
        None => <I::Model as Model>::SCHEMA.hash_key,
    }
}

/// The range key of `I`, if any.
pub(crate) fn range_key<I: Index>() -> Option<KeySchema> {
    match I::INDEX {
        Some(index) => index.range_key,
        None => <I::Model as Model>::SCHEMA.range_key,
    }
}

/// The attributes that position a read in `I`, as DynamoDB's
/// `ExclusiveStartKey` wants them: the index's keys and the table's.
pub(crate) fn position_keys<I: Index>() -> Vec<KeySchema> {
    let schema = <I::Model as Model>::SCHEMA;
    let index = I::INDEX.into_iter().flat_map(IndexSchema::key_attributes);
    let mut keys: Vec<KeySchema> = Vec::with_capacity(4);
    for key in index.chain(schema.key_attributes()) {
        if keys.iter().all(|k| k.name != key.name) {
            keys.push(*key);
        }
    }
    keys
}
