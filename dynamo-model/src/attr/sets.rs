//! Sets: `HashSet` and `BTreeSet` of strings (`SS`), integers (`NS`) or
//! byte buffers (`BS`), as Dynamoose stores a JavaScript `Set`.
//!
//! DynamoDB cannot store an empty set, so an empty set stores no attribute
//! at all and an absent attribute reads as an empty set.

use super::{Attribute, AttributeError, KeyAttribute};
use crate::schema::ScalarType;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};

/// A type a DynamoDB set can hold: one stored as a string, number or
/// binary, so that a `HashSet<T>` or `BTreeSet<T>` is an `SS`, `NS` or `BS`
/// attribute.
///
/// Implemented for `String`, every integer type, `Vec<u8>`, the SDK's
/// `Blob` and, with their features, `uuid::Uuid` and `bytes::Bytes`. A type
/// of your own that is stored as one of these can be a set element too:
/// implement [`Attribute`] and [`KeyAttribute`] for it, then this trait.
///
/// ```
/// use dynamo_model::attr::Attribute;
/// use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
/// use std::collections::BTreeSet;
///
/// let tags = BTreeSet::from(["a".to_owned(), "b".to_owned()]);
/// assert_eq!(
///     tags.to_attribute().unwrap(),
///     Some(AttributeValue::Ss(vec!["a".into(), "b".into()]))
/// );
/// // DynamoDB cannot store an empty set: it is left out of the item ...
/// assert_eq!(BTreeSet::<String>::new().to_attribute().unwrap(), None);
/// // ... and an absent set reads as empty.
/// assert_eq!(BTreeSet::<String>::from_missing(), Some(BTreeSet::new()));
/// ```
///
/// DynamoDB has no set of booleans, lists or maps; such a set does not
/// compile (use a `Vec`, stored as a list):
///
/// ```compile_fail
/// fn attribute<T: dynamo_model::attr::Attribute>() {}
///
/// attribute::<std::collections::BTreeSet<String>>();
/// attribute::<std::collections::BTreeSet<bool>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an element of a DynamoDB set",
    label = "a set holds strings, numbers or binaries",
    note = "a HashSet or BTreeSet is stored as SS (String, Uuid), NS (integers) or BS (Vec<u8>, \
            Bytes, Blob); for other elements use a Vec, which is stored as a list"
)]
pub trait SetElement: KeyAttribute {}

macro_rules! set_element {
    ($($element:ty),* $(,)?) => {$(impl SetElement for $element {})*};
}

set_element!(String, Vec<u8>, aws_smithy_types::Blob);
set_element!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
#[cfg(feature = "uuid")]
set_element!(uuid::Uuid);
#[cfg(feature = "bytes")]
set_element!(bytes::Bytes);

/// The set type holding elements of scalar type `scalar`.
const fn set_type_name(scalar: ScalarType) -> &'static str {
    match scalar {
        ScalarType::String => "SS",
        ScalarType::Number => "NS",
        ScalarType::Binary => "BS",
    }
}

/// An element that encoded to another type than its `SCALAR` promises: a
/// bug in a hand-written `SetElement` type.
#[cold]
fn wrong_element<T: SetElement>(value: Option<AttributeValue>) -> AttributeError {
    let found = value.as_ref().map_or("nothing", super::type_name);
    let declared = match T::SCALAR {
        ScalarType::String => "S",
        ScalarType::Number => "N",
        ScalarType::Binary => "B",
    };
    AttributeError::invalid(format!(
        "a set element was encoded as {found}, not as the {declared} that its \
         KeyAttribute::SCALAR declares"
    ))
}

/// Encodes the elements as one set; no attribute when there are none.
fn set_to_attribute<'a, T: SetElement + 'a>(
    len: usize,
    elements: impl Iterator<Item = &'a T>,
) -> Result<Option<AttributeValue>, AttributeError> {
    if len == 0 {
        return Ok(None);
    }
    Ok(Some(match T::SCALAR {
        ScalarType::String => AttributeValue::Ss(scalars(len, elements, |v| match v {
            AttributeValue::S(text) => Ok(text),
            other => Err(other),
        })?),
        ScalarType::Number => AttributeValue::Ns(scalars(len, elements, |v| match v {
            AttributeValue::N(number) => Ok(number),
            other => Err(other),
        })?),
        ScalarType::Binary => AttributeValue::Bs(scalars(len, elements, |v| match v {
            AttributeValue::B(blob) => Ok(blob),
            other => Err(other),
        })?),
    }))
}

/// Encodes each element and takes its scalar out with `pick`.
fn scalars<'a, T: SetElement + 'a, V>(
    len: usize,
    elements: impl Iterator<Item = &'a T>,
    pick: fn(AttributeValue) -> Result<V, AttributeValue>,
) -> Result<Vec<V>, AttributeError> {
    let mut out = Vec::with_capacity(len);
    for element in elements {
        match element.to_attribute()?.map(pick) {
            Some(Ok(value)) => out.push(value),
            Some(Err(other)) => return Err(wrong_element::<T>(Some(other))),
            None => return Err(wrong_element::<T>(None)),
        }
    }
    Ok(out)
}

/// Decodes a set of the element's set type into any collection.
fn set_from_attribute<T: SetElement, C: FromIterator<T>>(
    value: AttributeValue,
) -> Result<C, AttributeError> {
    match (T::SCALAR, value) {
        (ScalarType::String, AttributeValue::Ss(texts)) => texts
            .into_iter()
            .map(|text| T::from_attribute(AttributeValue::S(text)))
            .collect(),
        (ScalarType::Number, AttributeValue::Ns(numbers)) => numbers
            .into_iter()
            .map(|number| T::from_attribute(AttributeValue::N(number)))
            .collect(),
        (ScalarType::Binary, AttributeValue::Bs(blobs)) => blobs
            .into_iter()
            .map(|blob| T::from_attribute(AttributeValue::B(blob)))
            .collect(),
        (scalar, other) => Err(AttributeError::mismatch(set_type_name(scalar), &other)),
    }
}

/// A set (`SS`, `NS` or `BS`); empty is stored as no attribute.
impl<T: SetElement + Eq + Hash, S: BuildHasher + Default> Attribute for HashSet<T, S> {
    const TYPE_NAME: &'static str = set_type_name(T::SCALAR);

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        set_to_attribute(self.len(), self.iter())
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        set_from_attribute(value)
    }

    #[inline]
    fn from_missing() -> Option<Self> {
        Some(Self::default())
    }
}

/// A set (`SS`, `NS` or `BS`) written in sorted order; empty is stored as no
/// attribute.
impl<T: SetElement + Ord> Attribute for BTreeSet<T> {
    const TYPE_NAME: &'static str = set_type_name(T::SCALAR);

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        set_to_attribute(self.len(), self.iter())
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        set_from_attribute(value)
    }

    #[inline]
    fn from_missing() -> Option<Self> {
        Some(Self::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::field::from_value as decode_value;
    use crate::attr::AttributeErrorKind;
    use aws_smithy_types::Blob;

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|&item| item.to_owned()).collect()
    }

    #[test]
    fn string_sets_are_ss() {
        let set = BTreeSet::from(["b".to_owned(), "a".to_owned()]);
        assert_eq!(
            set.to_attribute().unwrap(),
            Some(AttributeValue::Ss(texts(&["a", "b"])))
        );
        let read = HashSet::<String>::from_attribute(AttributeValue::Ss(texts(&["a", "b"])));
        assert_eq!(
            read.unwrap(),
            HashSet::from(["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(<HashSet<String> as Attribute>::TYPE_NAME, "SS");
    }

    #[test]
    fn integer_sets_are_ns() {
        let set = BTreeSet::from([10u64, 2, 300]);
        assert_eq!(
            set.to_attribute().unwrap(),
            Some(AttributeValue::Ns(texts(&["2", "10", "300"])))
        );
        let stored = set.to_attribute().unwrap().unwrap();
        assert_eq!(BTreeSet::<u64>::from_attribute(stored).unwrap(), set);
        let set = HashSet::from([-1i8, 1]);
        let stored = set.to_attribute().unwrap().unwrap();
        assert_eq!(HashSet::<i8>::from_attribute(stored).unwrap(), set);
        assert_eq!(<BTreeSet<u8> as Attribute>::TYPE_NAME, "NS");
    }

    #[test]
    fn binary_sets_are_bs() {
        let set = BTreeSet::from([vec![1u8, 2], vec![]]);
        assert_eq!(
            set.to_attribute().unwrap(),
            Some(AttributeValue::Bs(vec![
                Blob::new(Vec::new()),
                Blob::new(vec![1, 2])
            ]))
        );
        let stored = set.to_attribute().unwrap().unwrap();
        assert_eq!(BTreeSet::<Vec<u8>>::from_attribute(stored).unwrap(), set);
        assert_eq!(<HashSet<Blob> as Attribute>::TYPE_NAME, "BS");
    }

    #[test]
    fn empty_sets_store_nothing_and_absent_sets_are_empty() {
        assert_eq!(BTreeSet::<String>::new().to_attribute().unwrap(), None);
        assert_eq!(HashSet::<u32>::new().to_attribute().unwrap(), None);
        assert_eq!(decode_value::<BTreeSet<String>>(None), Ok(BTreeSet::new()));
        assert_eq!(
            decode_value::<HashSet<Vec<u8>>>(Some(AttributeValue::Null(true))),
            Ok(HashSet::new())
        );
        let read = BTreeSet::<u8>::from_attribute(AttributeValue::Ns(Vec::new()));
        assert_eq!(read, Ok(BTreeSet::new()));
    }

    #[test]
    fn other_types_are_refused_by_name() {
        let list = AttributeValue::L(vec![AttributeValue::S("a".into())]);
        let error = BTreeSet::<String>::from_attribute(list).unwrap_err();
        assert_eq!(
            error.kind,
            AttributeErrorKind::TypeMismatch {
                expected: "SS",
                found: "L"
            }
        );
        let error = BTreeSet::<u8>::from_attribute(AttributeValue::Ss(texts(&["1"]))).unwrap_err();
        assert_eq!(error.to_string(), "expected type NS, found type SS");
    }

    #[test]
    fn element_errors_name_the_value() {
        let stored = AttributeValue::Ns(texts(&["1", "300"]));
        let error = BTreeSet::<u8>::from_attribute(stored).unwrap_err();
        assert_eq!(error.to_string(), "N value 300 does not fit in u8");
        let error = BTreeSet::from([u128::MAX]).to_attribute().unwrap_err();
        assert!(
            error.to_string().contains("39 significant digits"),
            "{error}"
        );
    }

    /// A hand-written element whose `SCALAR` does not match its encoding.
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    struct Confused;

    impl Attribute for Confused {
        const TYPE_NAME: &'static str = "S";
        #[inline]
        fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
            Ok(Some(AttributeValue::N("1".into())))
        }
        #[inline]
        fn from_attribute(_: AttributeValue) -> Result<Self, AttributeError> {
            Ok(Self)
        }
    }

    impl KeyAttribute for Confused {
        const SCALAR: ScalarType = ScalarType::String;
    }

    impl SetElement for Confused {}

    #[test]
    fn a_mismatched_element_type_is_an_error_not_a_panic() {
        let error = BTreeSet::from([Confused]).to_attribute().unwrap_err();
        assert_eq!(
            error.to_string(),
            "a set element was encoded as N, not as the S that its KeyAttribute::SCALAR declares"
        );
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuid_sets_are_ss() {
        let id = ::uuid::Uuid::from_u128(1);
        let set = BTreeSet::from([id]);
        let stored = set.to_attribute().unwrap().unwrap();
        assert_eq!(
            stored,
            AttributeValue::Ss(texts(&["00000000-0000-0000-0000-000000000001"]))
        );
        assert_eq!(BTreeSet::from_attribute(stored).unwrap(), set);
    }

    #[cfg(feature = "bytes")]
    #[test]
    fn bytes_sets_are_bs() {
        let set = HashSet::from([bytes::Bytes::from_static(b"x")]);
        let stored = set.to_attribute().unwrap().unwrap();
        assert_eq!(stored, AttributeValue::Bs(vec![Blob::new(b"x".to_vec())]));
        assert_eq!(HashSet::from_attribute(stored).unwrap(), set);
    }
}
