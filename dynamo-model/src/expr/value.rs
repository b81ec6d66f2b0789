//! Values in expressions, typed by the attribute they stand for.

use crate::attr::{Attribute, AttributeError};
use aws_sdk_dynamodb::types::AttributeValue;
use std::cmp::Ordering;
use std::fmt;

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

/// A scalar value as error messages show it: strings quoted, numbers as
/// stored, binaries by length, anything else (or nothing) as `<missing>`.
pub(crate) struct Scalar<'a>(pub Option<&'a AttributeValue>);

impl fmt::Display for Scalar<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(AttributeValue::S(s)) => write!(f, "{s:?}"),
            Some(AttributeValue::N(n)) => f.write_str(n),
            Some(AttributeValue::B(b)) => write!(f, "<{} bytes>", b.as_ref().len()),
            _ => f.write_str("<missing>"),
        }
    }
}

/// How DynamoDB orders two scalars of one type — numbers by value, strings
/// and binaries by their bytes — or `None` for other pairs. Numbers are
/// compared as `f64`: rounding keeps their order, so `Greater` is never
/// wrong (two numbers too close for `f64` compare `Equal`).
fn dynamodb_order(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::N(a), AttributeValue::N(b)) => {
            a.parse::<f64>().ok()?.partial_cmp(&b.parse::<f64>().ok()?)
        }
        (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.as_ref().cmp(b.as_ref())),
        _ => None,
    }
}

/// Refuses `BETWEEN low AND high` with `low` above `high`, which DynamoDB
/// rejects (it does not swap them), saying what to do.
pub(crate) fn check_between(low: &AttributeValue, high: &AttributeValue) -> Result<(), String> {
    match dynamodb_order(low, high) {
        Some(Ordering::Greater) => Err(format!(
            "between({}, {}) has its low bound above its high bound, which DynamoDB \
             refuses; swap them",
            Scalar(Some(low)),
            Scalar(Some(high)),
        )),
        _ => Ok(()),
    }
}
