//! Optimistic locking with a `#[model(version)]` attribute.
//!
//! The version counts the writes of an item. `create` stores version 1 and
//! requires the item to be absent; `save` requires the stored version to
//! equal the model's and stores it plus one; `update` adds one, and with
//! `expect_version(v)` requires the stored version to be `v`; `delete` with
//! `expect_version(v)` likewise. A write that lost a race fails with
//! [`Error::VersionConflict`]: read the item again, reapply the change, retry.
//!
//! `create` and `save` of a versioned model take the struct as `&mut`, and
//! a successful write sets its version to the one stored, so the struct can
//! be changed and saved again without reading it back; passing `&item` does
//! not compile. (An update returns the new version with `return_new()`.)
//! Models without a version attribute take `&item`.
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
//! let mut account = Account { id: "a1".into(), balance: 0, version: 0 };
//! Account::create(db, &mut account).await?;       // stores version 1
//! account.balance += 10;
//! Account::save(db, &mut account).await?;         // expects 1, stores 2
//!
//! loop {
//!     let mut account = Account::get(db, "a1").await?.expect("exists");
//!     account.balance += 10;
//!     match Account::save(db, &mut account).await {
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
    /// The version `count` in this type, `None` if it does not fit.
    #[doc(hidden)]
    fn __from_count(count: u64) -> Option<Self>;
}

macro_rules! version {
    ($($int:ty),*) => {$(
        impl Version for $int {
            fn __from_count(count: u64) -> Option<Self> {
                Self::try_from(count).ok()
            }
        }
    )*};
}

version!(u16, u32, u64, i32, i64, usize);

/// A model without a version attribute, whose `create` and `save` take
/// `&item` and which batches can write; `#[derive(Model)]` implements it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has a version attribute, which this write cannot check",
    label = "a versioned model",
    note = "DynamoDB batches take no conditions: write versioned items with `save` \
            (taking `&mut`) or in a transaction"
)]
pub trait Unversioned: Model {}

/// What `create` and `save` take: `&item` for a model without a version,
/// `&mut item` for any model, whose version a successful write then sets to
/// the one stored.
#[diagnostic::on_unimplemented(
    message = "`{M}` has a version attribute, so `create` and `save` take it as `&mut`",
    label = "pass `&mut` here",
    note = "a successful write sets the struct's version to the one stored, so the \
            struct can be saved again without reading it back"
)]
pub trait WriteFrom<'a, M: Model> {
    /// The item, as the builder holds it.
    fn item_ref(self) -> ItemRef<'a, M>;
}

impl<'a, M: Unversioned> WriteFrom<'a, M> for &'a M {
    fn item_ref(self) -> ItemRef<'a, M> {
        ItemRef::shared(self)
    }
}

impl<'a, M: Model> WriteFrom<'a, M> for &'a mut M {
    fn item_ref(self) -> ItemRef<'a, M> {
        ItemRef(Held::Exclusive(self))
    }
}

/// The item a `create` or `save` writes, and where its new version goes.
pub struct ItemRef<'a, M>(Held<'a, M>);

enum Held<'a, M> {
    Shared(&'a M),
    Exclusive(&'a mut M),
}

impl<'a, M: Model> ItemRef<'a, M> {
    /// The item, for a write that does not hand its version back (a
    /// model without one, or a transaction).
    pub(crate) fn shared(item: &'a M) -> Self {
        ItemRef(Held::Shared(item))
    }

    /// The item.
    pub(crate) fn get(&self) -> &M {
        match &self.0 {
            Held::Shared(item) => item,
            Held::Exclusive(item) => item,
        }
    }

    /// After a successful write that stored `version`: sets it in the
    /// caller's struct, when the caller lent it as `&mut`.
    pub(crate) fn written(self, version: Option<u64>) -> crate::Result<()> {
        match (self.0, version) {
            (Held::Exclusive(item), Some(version)) => item.__set_version(version),
            _ => Ok(()),
        }
    }
}

/// The version number stored in `item` (0 when absent).
pub(crate) fn stored_version(item: Option<&Item>, name: &str) -> Option<u64> {
    match item?.get(name) {
        Some(AttributeValue::N(n)) => n.parse().ok(),
        _ => Some(0),
    }
}

/// Sets the item's version to one more than the model's, returning the
/// model's version, which the stored item must still have (the new version
/// is one more).
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
