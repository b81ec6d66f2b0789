//! Conversion between Rust field types and DynamoDB attribute values.
//!
//! This is the fast path the derive uses for a model's own fields: every type
//! converts itself straight to and from an [`AttributeValue`], with no serde
//! round trip. Fields of other types can opt into serde with `#[model(serde)]`.

mod binary;
mod collections;
mod datetime;
mod error;
pub(crate) mod field;
#[cfg(feature = "json")]
mod json;
mod number;
mod raw;
mod scalar;
mod sets;
mod size;
mod time_storage;
#[cfg(feature = "uuid")]
mod uuid;

pub use error::{AttributeError, AttributeErrorKind};
pub(crate) use field::{is_empty_key, key_value};
pub use sets::SetElement;
pub use size::{item_size, value_size, MAX_ITEM_SIZE};
pub(crate) use time_storage::now_millis;
pub use time_storage::{TimeAttribute, TimeStorage};

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// A DynamoDB item: attribute name to value, as the SDK sends and receives it.
pub type Item = HashMap<String, AttributeValue>;

/// A Rust type stored as one DynamoDB attribute.
///
/// Implemented for every `#[derive(Document)]` type and, stored the way
/// Dynamoose stores the same JavaScript values:
///
/// | Rust type | stored as |
/// |---|---|
/// | `String` | `S` |
/// | every integer type, `f32`, `f64` | `N` |
/// | `bool` | `BOOL` |
/// | `Vec<u8>`, `aws_smithy_types::Blob`, `bytes::Bytes` (feature `bytes`) | `B` |
/// | `Option<T>` | `T`, or no attribute for `None` |
/// | `Vec<T>` | `L` |
/// | `HashMap<String, T>`, `BTreeMap<String, T>` | `M` |
/// | `HashSet<T>`, `BTreeSet<T>` of a [`SetElement`] | `SS`, `NS` or `BS`; no attribute when empty |
/// | `SystemTime`, `chrono::DateTime<Utc>` (feature `chrono`), `time::OffsetDateTime` (feature `time`) | `N` epoch milliseconds |
/// | `uuid::Uuid` (feature `uuid`) | `S`, hyphenated |
/// | `serde_json::Value` (feature `json`) | `M`, `L`, `S`, `N`, `BOOL` or `NULL` |
/// | `AttributeValue` | itself |
/// | `Box<T>` | `T` |
///
/// Numbers are checked against what DynamoDB can store (38 significant
/// digits, magnitudes 1E-130 to below 1E+126, finite) when written, and
/// read back exactly in any spelling DynamoDB uses (`"1E+2"` is a fine
/// `u8`; `"3.5"` and `"300"` are errors that say so).
///
/// ```
/// use dynamo_model::attr::Attribute;
/// use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
///
/// let value = 42u32.to_attribute().unwrap();
/// assert_eq!(value, Some(AttributeValue::N("42".into())));
/// assert_eq!(u32::from_attribute(AttributeValue::N("42".into())).unwrap(), 42);
///
/// // `None` stores nothing, and nothing reads back as `None`.
/// assert_eq!(None::<String>.to_attribute().unwrap(), None);
/// assert_eq!(Option::<String>::from_missing(), Some(None));
///
/// // Errors say what is wrong and where.
/// let stored = AttributeValue::L(vec![
///     AttributeValue::N("7".into()),
///     AttributeValue::N("300".into()),
/// ]);
/// let error = Vec::<i8>::from_attribute(stored).unwrap_err();
/// assert_eq!(error.to_string(), "at [1]: N value 300 does not fit in i8");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored as an attribute",
    label = "not a type dynamo-model stores",
    note = "derive `Document` on a struct or enum used as a field: #[derive(Document)]",
    note = "or store it through serde with #[model(serde)] on the field"
)]
pub trait Attribute: Sized {
    /// The DynamoDB type this Rust type is stored as, for error messages
    /// ("S", "N", "SS", "M", ...; "any" for types that hold any value).
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

    /// The DynamoDB type of a `Vec<Self>`: `L` unless overridden together
    /// with the two hooks below. Not meant to be used directly.
    #[doc(hidden)]
    const __VEC_TYPE_NAME: &'static str = "L";

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
///
/// Implemented for `String`, every integer type, `f32`, `f64`, `Vec<u8>`,
/// `Blob`, the time types (numbers) and, with their features, `uuid::Uuid`
/// and `bytes::Bytes`; not for `bool`, `Option`, lists, maps or sets, which
/// DynamoDB does not allow in keys:
///
/// ```compile_fail
/// fn key<K: dynamo_model::attr::KeyAttribute>() {}
///
/// key::<String>();
/// key::<Option<String>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a key attribute",
    label = "a key must be stored as a string, number or binary value",
    note = "DynamoDB keys are scalars: use String, an integer, a float, Vec<u8>, a time type or Uuid"
)]
pub trait KeyAttribute: Attribute {
    /// The scalar type the key is stored as.
    const SCALAR: crate::schema::ScalarType;
}
