//! Optimistic locking with a `#[model(version)]` attribute.
//!
//! The version counts the writes of an item. `create` stores version 1 and
//! requires the item to be absent; `save` requires the stored version to
//! equal the model's and stores it plus one; `update` adds one, and with
//! `expect_version(v)` requires the stored version to be `v`; `delete` with
//! `expect_version(v)` likewise. A write that lost a race fails with
//! [`Error::VersionConflict`]: read the item again, reapply the change, retry.
//!
//! The model passed to `save` is not changed: after a successful save the
//! stored version is one more than the struct's, so read the item again (or
//! add one to your copy) before saving it once more.
//!
//! ```no_run
//! use dynamo_model::{Client, Model};
//!
//! #[derive(Model, Clone)]
//! struct Account {
//!     #[model(hash_key)]
//!     id: String,
//!     balance: i64,
//!     #[model(version)]
//!     version: u64,
//! }
//!
//! # async fn demo(db: &Client) -> dynamo_model::Result<()> {
//! loop {
//!     let mut account = Account::get(db, "a1").await?.expect("exists");
//!     account.balance += 10;
//!     match Account::save(db, &account).await {
//!         Err(e) if e.is_version_conflict() => continue, // someone else won; retry
//!         other => break other,
//!     }
//! }
//! # }
//! ```

use crate::attr::{Attribute, Item};
use crate::expr::{AttributePath, Condition, FromPath, Path};
use crate::model::Model;
use crate::Error;
use aws_sdk_dynamodb::types::AttributeValue;

/// An integer type that can hold a version number.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a version attribute",
    label = "a version is an unsigned or signed integer",
    note = "use u64 (or another integer type) for #[model(version)]"
)]
pub trait Version: Attribute {
    /// Evaluated by generated code to check the field's type at compile time.
    #[doc(hidden)]
    const CHECK: () = ();
}

impl Version for u16 {}
impl Version for u32 {}
impl Version for u64 {}
impl Version for i32 {}
impl Version for i64 {}
impl Version for usize {}

/// The version number stored in `item` (0 when absent).
pub(crate) fn stored_version(item: Option<&Item>, name: &str) -> Option<u64> {
    match item?.get(name) {
        Some(AttributeValue::N(n)) => n.parse().ok(),
        _ => Some(0),
    }
}

/// Sets the item's version to one more than the model's, returning the
/// model's version, which the stored item must still have.
pub(crate) fn bump<M: Model>(item: &mut Item, name: &'static str) -> crate::Result<u64> {
    let current = stored_version(Some(item), name).ok_or_else(|| Error::InvalidValue {
        model: M::SCHEMA.model,
        path: name.to_owned(),
        reason: "the version attribute must be a non-negative integer".to_owned(),
    })?;
    item.insert(
        name.to_owned(),
        AttributeValue::N((current + 1).to_string()),
    );
    Ok(current)
}

/// The stored item has version `expected` (version 0: no version yet).
pub(crate) fn has_version(name: &'static str, expected: u64) -> Condition {
    let path: Path<u64> = Path::from_path(AttributePath::root(name));
    if expected == 0 {
        path.not_exists()
    } else {
        path.eq(expected)
    }
}

/// The error for a failed conditional write of a versioned model: a version
/// conflict when the stored version differs from the expected one.
pub(crate) fn conflict_or<M: Model>(
    expected: Option<u64>,
    key: &Item,
    stored: Option<&Item>,
) -> Option<Error> {
    let (name, expected) = (M::SCHEMA.version?, expected?);
    let found = stored.filter(|item| !item.is_empty());
    let found_version = found.and_then(|item| stored_version(Some(item), name));
    if found.is_some() && found_version == Some(expected) {
        return None; // the version matched: another condition failed
    }
    Some(Error::VersionConflict {
        model: M::SCHEMA.model,
        key: crate::ops::describe_key::<M>(key),
        expected,
        found: found_version.filter(|_| found.is_some()),
    })
}
