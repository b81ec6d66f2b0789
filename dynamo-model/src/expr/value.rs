//! Values in expressions, typed by the attribute they stand for.

use crate::attr::{Attribute, AttributeError};
use aws_sdk_dynamodb::types::AttributeValue;

/// An encoded operand; an encoding error (a NaN, say) is kept and reported,
/// naming the attribute, when the request is built, before anything is sent.
pub type Operand = Result<AttributeValue, AttributeError>;

/// A Rust value that can stand for an attribute of type `T`: `T` itself, a
/// reference to it, and `&str` for `String`.
///
/// This is what makes `fields.logins.gt("ten")` a compile error while
/// `fields.logins.gt(10)` and `fields.name.eq("Ann")` compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with or stored in an attribute of type `{T}`",
    label = "expected a value of type `{T}`"
)]
pub trait IntoValue<T> {
    /// Encodes the value.
    fn into_value(self) -> Operand;
}

impl<T: Attribute> IntoValue<T> for T {
    #[inline]
    fn into_value(self) -> Operand {
        encode(&self)
    }
}

impl<T: Attribute> IntoValue<T> for &T {
    #[inline]
    fn into_value(self) -> Operand {
        encode(self)
    }
}

impl IntoValue<String> for &str {
    #[inline]
    fn into_value(self) -> Operand {
        Ok(AttributeValue::S(self.to_owned()))
    }
}

/// Encodes a value that must be present.
pub(crate) fn encode<T: Attribute>(value: &T) -> Operand {
    value.to_attribute()?.ok_or_else(|| {
        AttributeError::invalid(
            "an absent value (None, or an empty set) cannot be used here; \
             to test for absence use not_exists(), to delete use remove()",
        )
    })
}
