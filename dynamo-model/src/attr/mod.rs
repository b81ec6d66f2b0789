//! Conversion between Rust field types and DynamoDB attribute values.
//!
//! This is the fast path the derive uses for a model's own fields: every type
//! converts itself straight to and from an [`AttributeValue`], with no serde
//! round trip. Fields of other types can opt into serde with `#[model(serde)]`.

mod error;
mod size;

pub use error::{AttributeError, AttributeErrorKind};
pub use size::{item_size, value_size, MAX_ITEM_SIZE};

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// A DynamoDB item: attribute name to value, as the SDK sends and receives it.
pub type Item = HashMap<String, AttributeValue>;

/// A Rust type stored as one DynamoDB attribute.
///
/// Implemented for strings, numbers, `bool`, byte buffers, `Option`, lists,
/// maps, sets, times and every `#[derive(Document)]` type.
///
/// ```
/// use dynamo_model::attr::Attribute;
/// use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
///
/// let value = 42u32.to_attribute().unwrap();
/// assert_eq!(value, Some(AttributeValue::N("42".into())));
/// assert_eq!(u32::from_attribute(AttributeValue::N("42".into())).unwrap(), 42);
/// ```
pub trait Attribute: Sized {
    /// The DynamoDB type this Rust type is stored as, for error messages
    /// ("S", "N", "SS", "M", ...).
    const TYPE_NAME: &'static str;

    /// Encodes the value. `Ok(None)` means "store no attribute at all", used
    /// for `None` and for empty sets, which DynamoDB cannot store.
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError>;

    /// Decodes a value that is present in the item.
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError>;

    /// The value of an attribute that is absent from the item: `None` for
    /// `Option`, an empty set for sets, otherwise an error (`Ok(None)` here).
    fn from_missing() -> Option<Self> {
        None
    }

    /// How a `Vec<Self>` is stored; a list unless overridden (`u8` makes
    /// `Vec<u8>` a binary attribute). Not meant to be called directly.
    #[doc(hidden)]
    fn __vec_to_attribute(items: &[Self]) -> Result<Option<AttributeValue>, AttributeError> {
        let mut list = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item.to_attribute() {
                Ok(Some(value)) => list.push(value),
                Ok(None) => list.push(AttributeValue::Null(true)),
                Err(error) => return Err(error.in_index(index)),
            }
        }
        Ok(Some(AttributeValue::L(list)))
    }

    /// How a `Vec<Self>` is read back; see [`Attribute::__vec_to_attribute`].
    #[doc(hidden)]
    fn __vec_from_attribute(value: AttributeValue) -> Result<Vec<Self>, AttributeError> {
        match value {
            AttributeValue::L(list) => list
                .into_iter()
                .enumerate()
                .map(|(index, value)| match value {
                    AttributeValue::Null(_) => Self::from_missing()
                        .ok_or_else(|| AttributeError::missing().in_index(index)),
                    value => Self::from_attribute(value).map_err(|error| error.in_index(index)),
                })
                .collect(),
            other => Err(AttributeError::mismatch("L", &other)),
        }
    }
}

/// The DynamoDB type name of a value, as used in error messages.
pub fn type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Bool(_) => "BOOL",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::M(_) => "M",
        AttributeValue::L(_) => "L",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
        _ => "unknown",
    }
}

/// A type that can be a key attribute: stored as one of DynamoDB's scalar
/// types (string, number, binary).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a key attribute",
    label = "a key must be stored as a string, number or binary value",
    note = "DynamoDB keys are scalars: use String, an integer, Vec<u8> or a time type"
)]
pub trait KeyAttribute: Attribute {
    /// The scalar type the key is stored as.
    const SCALAR: crate::schema::ScalarType;
}
