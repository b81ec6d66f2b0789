//! `AttributeValue` itself: a field that holds whatever is stored, unread.

use super::{Attribute, AttributeError};
use aws_sdk_dynamodb::types::AttributeValue;

/// Stored as is. An absent attribute reads as `NULL`, so a `NULL` value
/// survives a round trip; use `Option<AttributeValue>` to tell "absent"
/// apart.
impl Attribute for AttributeValue {
    const TYPE_NAME: &'static str = "any";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(self.clone()))
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        Ok(value)
    }

    #[inline]
    fn from_missing() -> Option<Self> {
        Some(AttributeValue::Null(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::field::from_value as decode_value;

    #[test]
    fn values_pass_through_unchanged() {
        let value = AttributeValue::Ns(vec!["1".into(), "2.5".into()]);
        assert_eq!(value.to_attribute().unwrap(), Some(value.clone()));
        assert_eq!(
            AttributeValue::from_attribute(value.clone()).unwrap(),
            value
        );
    }

    #[test]
    fn null_and_absent_read_as_null() {
        let null = AttributeValue::Null(true);
        assert_eq!(
            decode_value::<AttributeValue>(Some(null.clone())),
            Ok(null.clone())
        );
        assert_eq!(decode_value::<AttributeValue>(None), Ok(null));
        assert_eq!(decode_value::<Option<AttributeValue>>(None), Ok(None));
    }
}
