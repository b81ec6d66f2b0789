//! `Option`, `Box`, lists (`Vec` as `L`) and maps with string keys (`M`).
//!
//! A list or map entry whose value stores nothing (`None`, an empty set) is
//! kept as `NULL`, so positions and keys survive a round trip; reading `NULL`
//! back gives the element type's missing value (`None`, an empty set).

use super::{Attribute, AttributeError};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

/// `None` stores no attribute; an absent or `NULL` attribute reads as `None`.
impl<T: Attribute> Attribute for Option<T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        match self {
            Some(value) => value.to_attribute(),
            None => Ok(None),
        }
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            AttributeValue::Null(_) => Ok(None),
            value => T::from_attribute(value).map(Some),
        }
    }

    #[inline]
    fn from_missing() -> Option<Self> {
        Some(None)
    }
}

/// Stored as the boxed value; lets documents contain themselves
/// (`Option<Box<Node>>`).
impl<T: Attribute> Attribute for Box<T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        T::to_attribute(self)
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        T::from_attribute(value).map(Box::new)
    }

    #[inline]
    fn from_missing() -> Option<Self> {
        T::from_missing().map(Box::new)
    }
}

/// A list (`L`), except `Vec<u8>`, which is binary (`B`).
impl<T: Attribute> Attribute for Vec<T> {
    const TYPE_NAME: &'static str = T::__VEC_TYPE_NAME;

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        T::__vec_to_attribute(self)
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        T::__vec_from_attribute(value)
    }
}

/// The error for an empty map key, which DynamoDB rejects ("Empty
/// attribute name").
#[cold]
pub(super) fn empty_key() -> AttributeError {
    AttributeError::invalid(
        "a map has an empty key, which DynamoDB does not store; give the entry a non-empty key",
    )
}

/// Encodes map entries as an `M`; a value that stores nothing becomes `NULL`.
fn map_to_attribute<'a, T: Attribute + 'a>(
    len: usize,
    entries: impl Iterator<Item = (&'a String, &'a T)>,
) -> Result<Option<AttributeValue>, AttributeError> {
    let mut map = HashMap::with_capacity(len);
    for (key, value) in entries {
        if key.is_empty() {
            return Err(empty_key());
        }
        let value = value
            .to_attribute()
            .map_err(|error| error.in_key(key))?
            .unwrap_or(AttributeValue::Null(true));
        map.insert(key.clone(), value);
    }
    Ok(Some(AttributeValue::M(map)))
}

/// Decodes the entries of an `M`, collecting them into any map type.
fn map_from_attribute<T: Attribute, C: FromIterator<(String, T)>>(
    value: AttributeValue,
) -> Result<C, AttributeError> {
    match value {
        AttributeValue::M(map) => map
            .into_iter()
            .map(|(key, value)| {
                let value = match value {
                    AttributeValue::Null(_) => {
                        T::from_missing().ok_or_else(AttributeError::missing)
                    }
                    value => T::from_attribute(value),
                };
                match value {
                    Ok(value) => Ok((key, value)),
                    Err(error) => Err(error.in_key(&key)),
                }
            })
            .collect(),
        other => Err(AttributeError::mismatch("M", &other)),
    }
}

/// A map (`M`); errors name the key (`.home.city`).
impl<T: Attribute, S: BuildHasher + Default> Attribute for HashMap<String, T, S> {
    const TYPE_NAME: &'static str = "M";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        map_to_attribute(self.len(), self.iter())
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        map_from_attribute(value)
    }
}

/// A map (`M`); errors name the key (`.home.city`).
impl<T: Attribute> Attribute for BTreeMap<String, T> {
    const TYPE_NAME: &'static str = "M";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        map_to_attribute(self.len(), self.iter())
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        map_from_attribute(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::field::from_value as decode_value;
    use crate::attr::AttributeErrorKind;
    use std::collections::BTreeSet;

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.into())
    }

    fn n(text: &str) -> AttributeValue {
        AttributeValue::N(text.into())
    }

    fn m(entries: Vec<(&str, AttributeValue)>) -> AttributeValue {
        AttributeValue::M(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    fn round_trip<T: Attribute>(value: &T) -> T {
        T::from_attribute(value.to_attribute().unwrap().unwrap()).unwrap()
    }

    #[test]
    fn options_store_nothing_for_none() {
        assert_eq!(Some(5u8).to_attribute().unwrap(), Some(n("5")));
        assert_eq!(None::<u8>.to_attribute().unwrap(), None);
        assert_eq!(round_trip(&Some("x".to_owned())), Some("x".to_owned()));
        assert_eq!(Option::<u8>::from_missing(), Some(None));
        assert_eq!(decode_value::<Option<u8>>(None), Ok(None));
        assert_eq!(
            decode_value::<Option<u8>>(Some(AttributeValue::Null(true))),
            Ok(None)
        );
        assert_eq!(
            Option::<u8>::from_attribute(AttributeValue::Null(true)),
            Ok(None)
        );
        assert_eq!(<Option<u8> as Attribute>::TYPE_NAME, "N");
        let error = Option::<u8>::from_attribute(s("5")).unwrap_err();
        assert_eq!(error.to_string(), "expected type N, found type S");
    }

    #[test]
    fn required_values_are_missing_when_absent() {
        assert_eq!(u8::from_missing(), None);
        let error = decode_value::<u8>(None).unwrap_err();
        assert_eq!(error.kind, AttributeErrorKind::Missing);
        assert_eq!(Vec::<String>::from_missing(), None);
        assert!(decode_value::<HashMap<String, u8>>(None).is_err());
    }

    #[test]
    fn vectors_are_lists() {
        let list = vec!["a".to_owned(), String::new()];
        assert_eq!(
            list.to_attribute().unwrap(),
            Some(AttributeValue::L(vec![s("a"), s("")]))
        );
        assert_eq!(round_trip(&list), list);
        assert_eq!(round_trip(&Vec::<u32>::new()), Vec::<u32>::new());
        assert_eq!(<Vec<String> as Attribute>::TYPE_NAME, "L");
        let error =
            Vec::<String>::from_attribute(AttributeValue::Ss(vec!["a".into()])).unwrap_err();
        assert_eq!(error.to_string(), "expected type L, found type SS");
    }

    #[test]
    fn list_holes_are_null_and_keep_their_place() {
        let list = vec![Some(1u32), None, Some(3)];
        assert_eq!(
            list.to_attribute().unwrap(),
            Some(AttributeValue::L(vec![
                n("1"),
                AttributeValue::Null(true),
                n("3")
            ]))
        );
        assert_eq!(round_trip(&list), list);
        let error =
            Vec::<u32>::from_attribute(AttributeValue::L(vec![n("1"), AttributeValue::Null(true)]))
                .unwrap_err();
        assert_eq!(error.to_string(), "at [1]: required value is missing");
    }

    #[test]
    fn nested_errors_carry_their_path() {
        let stored = AttributeValue::L(vec![
            m(vec![("k", n("1"))]),
            m(vec![]),
            m(vec![("j", n("2")), ("k", n("300"))]),
        ]);
        let error = Vec::<HashMap<String, u8>>::from_attribute(stored).unwrap_err();
        assert_eq!(error.inner_path, "[2].k");
        assert_eq!(
            error.to_string(),
            "at [2].k: N value 300 does not fit in u8"
        );

        let value = BTreeMap::from([("prices".to_owned(), vec![1.0, f64::NAN])]);
        let error = value.to_attribute().unwrap_err();
        assert_eq!(error.inner_path, ".prices[1]");
    }

    #[test]
    fn maps_are_m() {
        let map = HashMap::from([("a".to_owned(), 1i32), ("b".to_owned(), -2)]);
        assert_eq!(
            map.to_attribute().unwrap(),
            Some(m(vec![("a", n("1")), ("b", n("-2"))]))
        );
        assert_eq!(round_trip(&map), map);
        let sorted: BTreeMap<String, i32> = map.into_iter().collect();
        assert_eq!(round_trip(&sorted), sorted);
        assert_eq!(round_trip(&BTreeMap::<String, u8>::new()), BTreeMap::new());
        assert_eq!(<BTreeMap<String, u8> as Attribute>::TYPE_NAME, "M");
        let error = BTreeMap::<String, u8>::from_attribute(AttributeValue::L(vec![])).unwrap_err();
        assert_eq!(error.to_string(), "expected type M, found type L");
    }

    #[test]
    fn map_entries_that_store_nothing_keep_their_key_as_null() {
        let map = BTreeMap::from([
            ("none".to_owned(), None),
            ("some".to_owned(), Some("x".to_owned())),
        ]);
        assert_eq!(
            map.to_attribute().unwrap(),
            Some(m(vec![
                ("none", AttributeValue::Null(true)),
                ("some", s("x"))
            ]))
        );
        assert_eq!(round_trip(&map), map);

        let sets = BTreeMap::from([("empty".to_owned(), BTreeSet::<String>::new())]);
        assert_eq!(round_trip(&sets), sets);

        let error =
            BTreeMap::<String, u8>::from_attribute(m(vec![("k", AttributeValue::Null(true))]))
                .unwrap_err();
        assert_eq!(error.to_string(), "at .k: required value is missing");
    }

    #[test]
    fn boxes_are_their_content() {
        let boxed = Box::new(7u16);
        assert_eq!(boxed.to_attribute().unwrap(), Some(n("7")));
        assert_eq!(round_trip(&boxed), boxed);
        assert_eq!(Box::<Option<u8>>::from_missing(), Some(Box::new(None)));
        assert_eq!(<Box<String> as Attribute>::TYPE_NAME, "S");
    }
}
