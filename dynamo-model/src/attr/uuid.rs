//! `uuid::Uuid` as an `S` value in hyphenated lower case (feature `uuid`),
//! the way most other tools write one; any spelling `Uuid::parse_str`
//! accepts reads back.

use super::{Attribute, AttributeError, KeyAttribute};
use crate::schema::ScalarType;
use ::uuid::Uuid;
use aws_sdk_dynamodb::types::AttributeValue;

impl Attribute for Uuid {
    const TYPE_NAME: &'static str = "S";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        let mut buffer = Uuid::encode_buffer();
        let text = self.hyphenated().encode_lower(&mut buffer);
        Ok(Some(AttributeValue::S((*text).to_owned())))
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            AttributeValue::S(text) => Uuid::parse_str(&text).map_err(|error| {
                AttributeError::invalid(format!("S value {text:?} is not a UUID: {error}"))
            }),
            other => Err(AttributeError::mismatch("S", &other)),
        }
    }
}

impl KeyAttribute for Uuid {
    const SCALAR: ScalarType = ScalarType::String;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::AttributeErrorKind;

    const TEXT: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

    #[test]
    fn stored_hyphenated_lower_case() {
        let id = Uuid::parse_str(TEXT).unwrap();
        let value = id.to_attribute().unwrap().unwrap();
        assert_eq!(value, AttributeValue::S(TEXT.into()));
        assert_eq!(Uuid::from_attribute(value).unwrap(), id);
    }

    #[test]
    fn reads_other_spellings() {
        let id = Uuid::parse_str(TEXT).unwrap();
        let upper = AttributeValue::S(TEXT.to_uppercase());
        assert_eq!(Uuid::from_attribute(upper).unwrap(), id);
        let simple = AttributeValue::S(TEXT.replace('-', ""));
        assert_eq!(Uuid::from_attribute(simple).unwrap(), id);
    }

    #[test]
    fn rejects_what_is_no_uuid() {
        let error = Uuid::from_attribute(AttributeValue::S("nope".into())).unwrap_err();
        let AttributeErrorKind::Invalid(reason) = error.kind else {
            panic!("{error:?}")
        };
        assert!(
            reason.starts_with("S value \"nope\" is not a UUID: "),
            "{reason}"
        );
        let error = Uuid::from_attribute(AttributeValue::N("1".into())).unwrap_err();
        assert_eq!(error.to_string(), "expected type S, found type N");
    }
}
