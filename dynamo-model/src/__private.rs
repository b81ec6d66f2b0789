//! Helpers the derive's generated code calls. Keeping them here keeps the
//! generated code small and this logic tested once.
//!
//! A field is written as `encode(&mut item, model, name, value(&self.field))`:
//! the second function chooses how the field becomes a value (`value`,
//! `value_or_null`, `serde_value`) and the first where it goes and how an
//! error is reported (top-level attribute or document member). Reading moves
//! the attributes into the fields' slots in one pass ([`Attributes::sort`])
//! and mirrors writing with `Attributes::decode` / `decode_member` and
//! `from_value` / `from_serde_value`.
//!
//! The per-field helpers are `#[inline(always)]`: they are tiny, and without
//! inlining into the generated `to_item`/`from_item` a 10-field round trip
//! measured 1.22× hand-written code instead of 1.02× (benches/conversion.rs).

use crate::attr::field::key_value;
pub use crate::attr::field::{from_value, Encoded};
pub use crate::attr::{
    Attribute, AttributeError, Item, KeyAttribute, SetElement, TimeAttribute, TimeStorage,
};
pub use crate::expr::{
    AttributePath, FromPath, HasPath, ListPath, Operand, Path, Projection, TypedPath,
};
pub use crate::hooks::HookSet;
pub use crate::index::{ConsistentIndex, Index, IndexKey, RangeIndex};
pub use crate::locking::{Unversioned, Version};
pub use crate::model::Model;
pub use crate::rules;
pub use crate::schema::{
    AttributeSchema, IndexKind, IndexProjection, IndexSchema, KeySchema, ScalarType, Schema,
    StreamView, TableClass, TableOptions, Throughput, Timestamp,
};
pub use crate::{Error, Result};
pub use aws_sdk_dynamodb::types::AttributeValue;
use std::ops::Range;

/// The field's value as its `Attribute` impl encodes it.
#[inline(always)]
pub fn value<T: Attribute>(value: &T) -> Encoded {
    value.to_attribute()
}

/// Like `value`, but an absent value (`None`) is stored as NULL.
#[inline(always)]
pub fn value_or_null<T: Attribute>(value: &T) -> Encoded {
    Ok(Some(
        value.to_attribute()?.unwrap_or(AttributeValue::Null(true)),
    ))
}

/// The value of a `#[model(serde)]` field, through serde_dynamo; a value that
/// serializes to NULL (`None`, `()`) stores no attribute.
pub fn serde_value<T: serde::Serialize>(value: &T) -> Encoded {
    match serde_dynamo::to_attribute_value(value) {
        Ok(AttributeValue::Null(_)) => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(error) => Err(AttributeError::invalid(error.to_string())),
    }
}

/// Stores an encoded top-level attribute in `item`; the broken rules of a
/// document inside it join `failures`.
#[inline(always)]
pub fn encode(
    item: &mut Item,
    failures: &mut Vec<rules::Failure>,
    model: &'static str,
    name: &'static str,
    value: Encoded,
) -> Result<()> {
    match value {
        Ok(Some(value)) => {
            item.insert(name.to_owned(), value);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => encode_error(failures, model, name, error),
    }
}

/// The error path of [`encode`], out of line so that the fields' code
/// stays short: a document's broken rules join `failures`, any other error
/// names the attribute.
#[cold]
#[inline(never)]
fn encode_error(
    failures: &mut Vec<rules::Failure>,
    model: &'static str,
    name: &'static str,
    error: AttributeError,
) -> Result<()> {
    rules::absorb(failures, name, error).map_err(|error| Error::encode(model, name, error))
}

/// Stores an encoded document member in the document's `map`; the broken
/// rules of a document inside it join `failures`.
#[inline(always)]
pub fn encode_member(
    map: &mut Item,
    failures: &mut Vec<rules::Failure>,
    name: &'static str,
    value: Encoded,
) -> Result<(), AttributeError> {
    match value {
        Ok(Some(value)) => {
            map.insert(name.to_owned(), value);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => encode_member_error(failures, name, error),
    }
}

/// The error path of [`encode_member`], out of line as [`encode_error`].
#[cold]
#[inline(never)]
fn encode_member_error(
    failures: &mut Vec<rules::Failure>,
    name: &'static str,
    error: AttributeError,
) -> Result<(), AttributeError> {
    rules::absorb(failures, name, error).map_err(|error| error.in_key(name))
}

/// A document's value: its map, or its broken rules.
#[inline(always)]
pub fn document_value(map: Item, failures: Vec<rules::Failure>) -> Encoded {
    if failures.is_empty() {
        Ok(Some(AttributeValue::M(map)))
    } else {
        Err(AttributeError::rules(failures))
    }
}

/// Stores a key attribute, rejecting what DynamoDB rejects in keys: absent
/// values, empty strings and empty binaries. (That the type is a scalar is
/// checked once, at compile time, by the schema's `KeyAttribute::SCALAR`, so a
/// wrong key type gets one error.)
#[inline(always)]
pub fn encode_key<T: Attribute>(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
    value: &T,
) -> Result<()> {
    encode_key_value(item, model, name, value.to_attribute())
}

/// Stores an encoded key attribute (of a key with a `set` transform or a
/// time storage), rejecting what [`encode_key`] rejects.
#[inline(always)]
pub fn encode_key_value(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
    value: Encoded,
) -> Result<()> {
    item.insert(name.to_owned(), key_value(model, name, value)?);
    Ok(())
}

/// Stores a secondary index key, rejecting empty strings and binaries as
/// DynamoDB does; an absent value (a sparse index key that is `None`) just
/// leaves the item out of the index.
#[inline(always)]
pub fn encode_index_key(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
    value: Encoded,
) -> Result<()> {
    if let Ok(None) = value {
        return Ok(());
    }
    item.insert(name.to_owned(), key_value(model, name, value)?);
    Ok(())
}

/// Decodes a `#[model(serde)]` value through serde_dynamo; absent reads as
/// NULL, so `Option` fields become `None`.
pub fn from_serde_value<T: serde::de::DeserializeOwned>(
    value: Option<AttributeValue>,
) -> Result<T, AttributeError> {
    serde_dynamo::from_attribute_value(value.unwrap_or(AttributeValue::Null(true)))
        .map_err(|error| AttributeError::invalid(error.to_string()))
}

/// A field's value as a write stores it: the struct's own, or one made by a
/// default or a `set` transform.
pub enum Written<'a, T> {
    /// The struct's value.
    Borrowed(&'a T),
    /// A value made for the write.
    Owned(T),
}

impl<T> std::ops::Deref for Written<'_, T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        match self {
            Written::Borrowed(value) => value,
            Written::Owned(value) => value,
        }
    }
}

/// Compiles only for time types: the derive's check of `storage`, `ttl`
/// and timestamp fields.
pub fn assert_time_attribute<T: TimeAttribute>() {}

/// An encoded value that must be present, as an expression operand.
#[inline]
pub fn operand(value: Encoded) -> crate::expr::Operand {
    value?.ok_or_else(|| {
        AttributeError::invalid("the value is absent (None, or an empty set), so it cannot be set")
    })
}

/// An encoded time converted into the field's `storage`.
#[inline]
pub fn stored_as(value: Encoded, storage: TimeStorage) -> Encoded {
    match value {
        Ok(Some(value)) => storage.store(value).map(Some),
        other => other,
    }
}

/// A stored time converted back into epoch milliseconds, which the time
/// types decode; absent and NULL stay as they are.
#[inline]
pub fn read_stored(
    value: Option<AttributeValue>,
    storage: TimeStorage,
) -> Result<Option<AttributeValue>, AttributeError> {
    match value {
        Some(AttributeValue::Null(_)) | None => Ok(value),
        Some(value) => storage.read(value).map(Some),
    }
}

/// Whether a value read for a field is missing (absent or NULL), so that
/// the field's default applies.
#[inline(always)]
pub fn is_missing(value: &Option<AttributeValue>) -> bool {
    matches!(value, None | Some(AttributeValue::Null(_)))
}

/// A typed path whose values a field's `set` transform or time `storage`
/// converts: only a scalar's `Path<T>`.
#[diagnostic::on_unimplemented(
    message = "`set` and `storage` apply to fields with a scalar path, not `{Self}`",
    label = "this field's values cannot be transformed in conditions and updates"
)]
pub trait StoredPath {
    /// The path at `path`, storing its values through `store`.
    fn stored_with(path: AttributePath, store: crate::expr::StoreFn) -> Self;
}

impl<T> StoredPath for Path<T> {
    fn stored_with(path: AttributePath, store: crate::expr::StoreFn) -> Self {
        Path::stored_with(path, store)
    }
}

/// Writes the attributes an `extra` field kept (named fields, written
/// after, win over them).
#[inline]
pub fn encode_extra(item: &mut Item, extra: &Item) {
    item.extend(
        extra
            .iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );
}

/// The attributes of an item (or of a document's map) that a type's fields
/// read, moved out in one pass over the map: looking each field up by name
/// hashed every name again, which cost as much as the rest of the read.
/// `slots[i]` holds the attribute named `names[i]`.
pub struct Attributes<const N: usize> {
    names: &'static [&'static str; N],
    slots: [Option<AttributeValue>; N],
}

impl<const N: usize> Attributes<N> {
    /// Empty slots for the attributes `names`.
    #[inline(always)]
    pub fn new(names: &'static [&'static str; N]) -> Self {
        Self {
            names,
            slots: [const { None }; N],
        }
    }

    /// Moves every attribute of `map` whose name has a slot (`slot_of`
    /// gives its index in `names`, or `N` for a name no field reads) into
    /// that slot, and hands the others to `rest` (an `extra` field keeps
    /// them).
    #[inline(always)]
    pub fn sort(
        &mut self,
        map: Item,
        slot_of: impl Fn(&str) -> usize,
        mut rest: impl FnMut(String, AttributeValue),
    ) {
        for (name, value) in map {
            match self.slots.get_mut(slot_of(&name)) {
                Some(slot) => *slot = Some(value),
                None => rest(name, value),
            }
        }
    }

    /// The value of the first of `slots` (a field's name, then its aliases)
    /// that holds one; all of them are emptied.
    #[inline(always)]
    fn take(&mut self, slots: Range<usize>) -> Option<AttributeValue> {
        let mut found = None;
        for slot in &mut self.slots[slots] {
            let value = slot.take();
            if found.is_none() {
                found = value;
            }
        }
        found
    }

    /// Takes top-level attribute `name` (from its `slots`) of an item of
    /// model `M` (or of one of its indexes), and decodes it with `read`.
    ///
    /// The generated code reads the key attributes last, so when another
    /// attribute fails the key is still here and the error names the item
    /// by it, at no cost to reads that succeed.
    #[inline(always)]
    pub fn decode<M: Model, T>(
        &mut self,
        name: &'static str,
        slots: Range<usize>,
        read: impl FnOnce(Option<AttributeValue>) -> Result<T, AttributeError>,
    ) -> Result<T> {
        match read(self.take(slots)) {
            Ok(value) => Ok(value),
            Err(error) => Err(self.decode_error::<M>(name, error)),
        }
    }

    /// The error of attribute `name` of an item of `M` that `decode` could
    /// not read, naming the item by the key attributes not read yet (none
    /// when `name` is one of them: the key is then not whole).
    #[cold]
    #[inline(never)]
    fn decode_error<M: Model>(&self, name: &str, error: AttributeError) -> Error {
        let schema = M::SCHEMA;
        let key_failed = schema.key_attributes().any(|key| key.name == name);
        let key = (!key_failed).then(|| {
            let left: Item = (self.names.iter().zip(&self.slots))
                .filter_map(|(name, slot)| Some(((*name).to_owned(), slot.clone()?)))
                .collect();
            crate::ops::describe_key::<M>(&left)
        });
        Error::decode(schema.model, name, key, error)
    }

    /// Takes document member `name` (from its `slots`) and decodes it with
    /// `read`.
    #[inline(always)]
    pub fn decode_member<T>(
        &mut self,
        name: &'static str,
        slots: Range<usize>,
        read: impl FnOnce(Option<AttributeValue>) -> Result<T, AttributeError>,
    ) -> Result<T, AttributeError> {
        read(self.take(slots)).map_err(|error| error.in_key(name))
    }
}

/// Reads key attribute `name` of `M` from `item` (a stream record's
/// `Keys`, say) with `read`, leaving `item` as it is. A missing or mistyped
/// key attribute is a decode error naming the model and the attribute.
#[inline]
pub fn decode_key<M: Model, T>(
    item: &Item,
    name: &'static str,
    read: impl FnOnce(Option<AttributeValue>) -> Result<T, AttributeError>,
) -> Result<T> {
    read(item.get(name).cloned()).map_err(|error| Error::decode(M::SCHEMA.model, name, None, error))
}

/// Takes the map out of a value that should be a document.
#[inline]
pub fn document_map(value: AttributeValue) -> Result<Item, AttributeError> {
    match value {
        AttributeValue::M(map) => Ok(map),
        other => Err(AttributeError::mismatch("M", &other)),
    }
}

/// Reads a document projected from a whole item (`Projection` of a
/// `#[derive(Document)]` type).
pub fn document_from_item<T: Attribute>(model: &'static str, item: Item) -> Result<T> {
    T::from_attribute(AttributeValue::M(item)).map_err(|mut error| {
        // The error path starts with the member's `.name`; at the top of an
        // item it is an attribute name.
        if error.inner_path.starts_with('.') {
            error.inner_path.remove(0);
        }
        Error::decode(model, "", None, error)
    })
}

// What the generated query methods of secondary indexes name.
pub use crate::client::Client;
pub use crate::ops::query::QueryStart;

/// The key type of a model whose derive failed (the derive then emits its
/// errors and a stub `Model` impl). It converts from the usual key values,
/// so calls like `User::get(&db, "u1")` add no errors of their own.
pub struct Unparsed;

macro_rules! unparsed_from {
    ($($ty:ty),*) => {
        $(impl From<$ty> for Unparsed {
            fn from(_: $ty) -> Self {
                Unparsed
            }
        })*
    };
}
unparsed_from!(&str, String, &String, i32, i64, u32, u64, usize, Vec<u8>);

impl<H, R> From<(H, R)> for Unparsed {
    fn from(_: (H, R)) -> Self {
        Unparsed
    }
}

/// The schema of a model whose derive failed; never used at run time.
pub const fn unparsed_schema(model: &'static str) -> Schema {
    Schema {
        model,
        table: model,
        hash_key: KeySchema {
            name: "",
            scalar: ScalarType::String,
        },
        range_key: None,
        attributes: &[],
        indexes: &[],
        version: None,
        created_at: None,
        updated_at: None,
        ttl: None,
        hide_expired: false,
        table_options: TableOptions {
            throughput: None,
            stream: None,
            table_class: None,
            deletion_protection: false,
        },
    }
}

/// The version `count` a write stored, as the version field's type `T`;
/// an error naming the attribute if `T` cannot hold it.
pub fn version_from_count<T: Version>(
    model: &'static str,
    name: &'static str,
    count: u64,
) -> Result<T> {
    T::__from_count(count).ok_or_else(|| Error::InvalidValue {
        model,
        path: name.to_owned(),
        reason: format!(
            "the item was written with version {count}, which does not fit in `{}`; \
             use u64 for the version",
            std::any::type_name::<T>()
        ),
    })
}
