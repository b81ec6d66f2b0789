//! Byte buffers: `B`. `Vec<u8>` gets here through `u8`'s list hooks (see
//! [`scalar`](super::scalar)); the SDK's own `Blob` and, with the `bytes`
//! feature, `bytes::Bytes` are stored the same way.

use super::{Attribute, AttributeError, KeyAttribute};
use crate::schema::ScalarType;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_types::Blob;

/// A `B` value holding a copy of `bytes`.
pub(super) fn bytes_to_attribute(bytes: &[u8]) -> AttributeValue {
    AttributeValue::B(Blob::new(bytes))
}

/// Takes the bytes out of a `B` value.
pub(super) fn take_blob(value: AttributeValue) -> Result<Blob, AttributeError> {
    match value {
        AttributeValue::B(blob) => Ok(blob),
        other => Err(AttributeError::mismatch("B", &other)),
    }
}

impl KeyAttribute for Vec<u8> {
    const SCALAR: ScalarType = ScalarType::Binary;
}

impl Attribute for Blob {
    const TYPE_NAME: &'static str = "B";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::B(self.clone())))
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        take_blob(value)
    }
}

impl KeyAttribute for Blob {
    const SCALAR: ScalarType = ScalarType::Binary;
}

/// `bytes::Bytes` as `B` (feature `bytes`).
#[cfg(feature = "bytes")]
mod bytes_impl {
    use super::*;
    use bytes::Bytes;

    impl Attribute for Bytes {
        const TYPE_NAME: &'static str = "B";

        #[inline]
        fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
            Ok(Some(bytes_to_attribute(self)))
        }

        #[inline]
        fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
            take_blob(value).map(|blob| Bytes::from(blob.into_inner()))
        }
    }

    impl KeyAttribute for Bytes {
        const SCALAR: ScalarType = ScalarType::Binary;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::AttributeErrorKind;

    #[test]
    fn byte_vectors_are_binary_not_lists() {
        let bytes = vec![0u8, 1, 255];
        let value = bytes.to_attribute().unwrap().unwrap();
        assert_eq!(value, AttributeValue::B(Blob::new(vec![0, 1, 255])));
        assert_eq!(Vec::<u8>::from_attribute(value).unwrap(), bytes);
        assert_eq!(<Vec<u8> as Attribute>::TYPE_NAME, "B");
        assert_eq!(<Vec<u16> as Attribute>::TYPE_NAME, "L");
    }

    #[test]
    fn empty_bytes_are_an_empty_binary() {
        let value = Vec::<u8>::new().to_attribute().unwrap().unwrap();
        assert_eq!(value, AttributeValue::B(Blob::new(Vec::new())));
        assert!(Vec::<u8>::from_attribute(value).unwrap().is_empty());
    }

    #[test]
    fn a_list_is_not_bytes() {
        let list = AttributeValue::L(vec![AttributeValue::N("1".into())]);
        let error = Vec::<u8>::from_attribute(list).unwrap_err();
        assert_eq!(
            error.kind,
            AttributeErrorKind::TypeMismatch {
                expected: "B",
                found: "L"
            }
        );
    }

    #[test]
    fn blobs_pass_through() {
        let blob = Blob::new(b"abc".to_vec());
        let value = blob.to_attribute().unwrap().unwrap();
        assert_eq!(Blob::from_attribute(value).unwrap(), blob);
        let error = Blob::from_attribute(AttributeValue::S("abc".into())).unwrap_err();
        assert_eq!(error.to_string(), "expected type B, found type S");
    }

    #[cfg(feature = "bytes")]
    #[test]
    fn bytes_round_trip() {
        let bytes = bytes::Bytes::from_static(b"\x00hello");
        let value = bytes.to_attribute().unwrap().unwrap();
        assert_eq!(value, AttributeValue::B(Blob::new(b"\x00hello".to_vec())));
        assert_eq!(bytes::Bytes::from_attribute(value).unwrap(), bytes);
        assert!(bytes::Bytes::from_attribute(AttributeValue::Bool(true)).is_err());
    }
}
