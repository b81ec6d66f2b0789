//! Helpers the derive's generated code calls. Keeping them here keeps the
//! generated code small and this logic tested once.

pub use crate::attr::{Attribute, AttributeError, Item, KeyAttribute};
pub use crate::model::Model;
pub use crate::schema::{AttributeSchema, KeySchema, Schema};
pub use crate::{Error, Result};
pub use aws_sdk_dynamodb::types::AttributeValue;
pub use std::collections::HashMap;

/// Encodes `value` into `item` under `name`; absent values store nothing.
#[inline]
pub fn encode<T: Attribute>(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
    value: &T,
) -> Result<()> {
    match value.to_attribute() {
        Ok(Some(value)) => {
            item.insert(name.to_owned(), value);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => Err(Error::encode(model, name, error)),
    }
}

/// Encodes a key value, rejecting what DynamoDB rejects in keys: empty
/// strings and empty binaries.
#[inline]
pub fn encode_key<T: KeyAttribute>(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
    value: &T,
) -> Result<()> {
    let value = match value.to_attribute() {
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
    item.insert(name.to_owned(), value);
    Ok(())
}

#[cold]
fn empty_key(model: &'static str, name: &'static str) -> Error {
    Error::InvalidValue {
        model,
        path: name.to_owned(),
        reason: "a key attribute cannot be empty; give it a non-empty value".to_owned(),
    }
}

/// Takes attribute `name` out of `item` and decodes it; an absent or NULL
/// attribute is `T::from_missing()` (None for options) or an error.
#[inline]
pub fn decode<T: Attribute>(item: &mut Item, model: &'static str, name: &'static str) -> Result<T> {
    decode_value(item.remove(name)).map_err(|error| Error::decode(model, name, error))
}

/// Decodes an attribute value that may be absent.
#[inline]
pub fn decode_value<T: Attribute>(value: Option<AttributeValue>) -> Result<T, AttributeError> {
    match value {
        Some(AttributeValue::Null(_)) | None => {
            T::from_missing().ok_or_else(AttributeError::missing)
        }
        Some(value) => T::from_attribute(value),
    }
}

/// Encodes a document field into the map of its parent document.
#[inline]
pub fn encode_member<T: Attribute>(
    map: &mut Item,
    name: &'static str,
    value: &T,
) -> Result<(), AttributeError> {
    match value.to_attribute() {
        Ok(Some(value)) => {
            map.insert(name.to_owned(), value);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => Err(error.in_key(name)),
    }
}

/// Decodes a document field out of the map of its parent document.
#[inline]
pub fn decode_member<T: Attribute>(
    map: &mut Item,
    name: &'static str,
) -> Result<T, AttributeError> {
    decode_value(map.remove(name)).map_err(|error| error.in_key(name))
}

/// Takes the map out of a value that should be a document.
#[inline]
pub fn document_map(value: AttributeValue) -> Result<Item, AttributeError> {
    match value {
        AttributeValue::M(map) => Ok(map),
        other => Err(AttributeError::mismatch("M", &other)),
    }
}

/// Encodes a `#[model(serde)]` field through serde_dynamo.
pub fn encode_serde<T: serde::Serialize>(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
    value: &T,
) -> Result<()> {
    let value: AttributeValue =
        serde_dynamo::to_attribute_value(value).map_err(|error| Error::InvalidValue {
            model,
            path: name.to_owned(),
            reason: error.to_string(),
        })?;
    if !matches!(value, AttributeValue::Null(_)) {
        item.insert(name.to_owned(), value);
    }
    Ok(())
}

/// Decodes a `#[model(serde)]` field through serde_dynamo; an absent
/// attribute decodes as NULL (so `Option` fields become `None`).
pub fn decode_serde<T: serde::de::DeserializeOwned>(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
) -> Result<T> {
    let value = item.remove(name).unwrap_or(AttributeValue::Null(true));
    serde_dynamo::from_attribute_value(value).map_err(|error| Error::Decode {
        model,
        path: name.to_owned(),
        kind: crate::attr::AttributeErrorKind::Invalid(error.to_string()),
    })
}
