//! A field's encoded value, and what every field's conversion shares: the
//! checks of key values and the decoding of a value that may be absent.
//! The code the derive generates reaches these through its helper module;
//! the runtime (query key conditions, tests) uses them from here.

use super::{Attribute, AttributeError};
use crate::{Error, Result};
use aws_sdk_dynamodb::types::AttributeValue;

/// A field's encoded value: `None` stores no attribute.
pub type Encoded = Result<Option<AttributeValue>, AttributeError>;

/// A key attribute's encoded value, rejecting what DynamoDB rejects in keys
/// (as the derive's `encode_key` does); key conditions check their values
/// with it too.
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
    if is_empty_key(&value) {
        return Err(empty_key(model, name));
    }
    Ok(value)
}

/// Whether DynamoDB refuses `value` as a key (of the table or an index):
/// an empty string or binary.
pub(crate) fn is_empty_key(value: &AttributeValue) -> bool {
    match value {
        AttributeValue::S(s) => s.is_empty(),
        AttributeValue::B(b) => b.as_ref().is_empty(),
        _ => false,
    }
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
