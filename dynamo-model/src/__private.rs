//! Helpers the derive's generated code calls. Keeping them here keeps the
//! generated code small and this logic tested once.
//!
//! A field is written as `encode(&mut item, model, name, value(&self.field))`:
//! the second function chooses how the field becomes a value (`value`,
//! `value_or_null`, `serde_value`) and the first where it goes and how an
//! error is reported (top-level attribute or document member). Reading mirrors
//! it with `decode` / `decode_member` and `from_value` / `from_serde_value`.
//!
//! The per-field helpers are `#[inline(always)]`: they are tiny, and without
//! inlining into the generated `to_item`/`from_item` a 10-field round trip
//! measured 1.22× hand-written code instead of 1.02× (benches/conversion.rs).

pub use crate::attr::{Attribute, AttributeError, Item, KeyAttribute};
pub use crate::expr::{AttributePath, FromPath, HasPath, ListPath, Path, Projection, TypedPath};
pub use crate::index::{ConsistentIndex, Index, IndexKey, RangeIndex};
pub use crate::locking::Version;
pub use crate::model::Model;
pub use crate::rules;
pub use crate::schema::{
    AttributeSchema, IndexKind, IndexProjection, IndexSchema, KeySchema, Schema, Throughput,
};
pub use crate::{Error, Result};
pub use aws_sdk_dynamodb::types::AttributeValue;

/// A field's encoded value: `None` stores no attribute.
pub type Encoded = Result<Option<AttributeValue>, AttributeError>;

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

/// Stores an encoded top-level attribute in `item`.
#[inline(always)]
pub fn encode(
    item: &mut Item,
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
        Err(error) => Err(Error::encode(model, name, error)),
    }
}

/// Stores an encoded document member in the document's `map`.
#[inline(always)]
pub fn encode_member(
    map: &mut Item,
    name: &'static str,
    value: Encoded,
) -> Result<(), AttributeError> {
    match value {
        Ok(Some(value)) => {
            map.insert(name.to_owned(), value);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => Err(error.in_key(name)),
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
    item.insert(
        name.to_owned(),
        key_value(model, name, value.to_attribute())?,
    );
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

/// A key attribute's encoded value, rejecting what DynamoDB rejects in keys
/// (see [`encode_key`]); key conditions check their values with it too.
#[inline(always)]
pub(crate) fn key_value(
    model: &'static str,
    name: &'static str,
    value: Encoded,
) -> Result<AttributeValue> {
    let value = match value {
        Ok(Some(value)) => value,
        Ok(None) => return Err(empty_key(model, name)),
        Err(error) => return Err(Error::encode(model, name, error)),
    };
    let empty = match &value {
        AttributeValue::S(s) => s.is_empty(),
        AttributeValue::B(b) => b.as_ref().is_empty(),
        _ => false,
    };
    if empty {
        return Err(empty_key(model, name));
    }
    Ok(value)
}

#[cold]
fn empty_key(model: &'static str, name: &'static str) -> Error {
    Error::InvalidValue {
        model,
        path: name.to_owned(),
        reason: "a key attribute cannot be empty; give it a non-empty value".to_owned(),
    }
}

/// Decodes a value that may be absent: absent or NULL is
/// `T::from_missing()` (`None` for options, empty for sets) or an error.
#[inline(always)]
pub fn from_value<T: Attribute>(value: Option<AttributeValue>) -> Result<T, AttributeError> {
    match value {
        Some(AttributeValue::Null(_)) | None => {
            T::from_missing().ok_or_else(AttributeError::missing)
        }
        Some(value) => T::from_attribute(value),
    }
}

/// Decodes a `#[model(serde)]` value through serde_dynamo; absent reads as
/// NULL, so `Option` fields become `None`.
pub fn from_serde_value<T: serde::de::DeserializeOwned>(
    value: Option<AttributeValue>,
) -> Result<T, AttributeError> {
    serde_dynamo::from_attribute_value(value.unwrap_or(AttributeValue::Null(true)))
        .map_err(|error| AttributeError::invalid(error.to_string()))
}

/// Takes top-level attribute `name` out of `item` and decodes it with `read`.
#[inline(always)]
pub fn decode<T>(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
    read: impl FnOnce(Option<AttributeValue>) -> Result<T, AttributeError>,
) -> Result<T> {
    read(item.remove(name)).map_err(|error| Error::decode(model, name, error))
}

/// Takes member `name` out of a document's `map` and decodes it with `read`.
#[inline(always)]
pub fn decode_member<T>(
    map: &mut Item,
    name: &'static str,
    read: impl FnOnce(Option<AttributeValue>) -> Result<T, AttributeError>,
) -> Result<T, AttributeError> {
    read(map.remove(name)).map_err(|error| error.in_key(name))
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
        Error::decode(model, "", error)
    })
}
