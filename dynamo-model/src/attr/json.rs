//! `serde_json::Value` in its natural DynamoDB shape (feature `json`):
//! object ↔ `M`, array ↔ `L`, string ↔ `S`, number ↔ `N`, bool ↔ `BOOL`,
//! null ↔ `NULL`.
//!
//! Reading also accepts the sets (`SS` and `NS` become arrays). Binary
//! values have no JSON form and are refused. Numbers read back as integers
//! when they are whole (DynamoDB stores `1.0` as `1`), else as `f64`, so
//! digits beyond an `f64`'s precision are rounded.

use super::number::{format_float, parse_float, parse_integer, NumberError};
use super::{Attribute, AttributeError};
use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Map, Number, Value};

/// Stored in its natural shape; an absent attribute reads as `Value::Null`.
///
/// ```
/// use dynamo_model::attr::Attribute;
/// use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
///
/// let value = serde_json::json!({ "tags": ["a", 2] });
/// let stored = value.to_attribute().unwrap().unwrap();
/// let AttributeValue::M(map) = &stored else { unreachable!() };
/// assert_eq!(
///     map["tags"],
///     AttributeValue::L(vec![AttributeValue::S("a".into()), AttributeValue::N("2".into())])
/// );
/// assert_eq!(serde_json::Value::from_attribute(stored).unwrap(), value);
/// ```
impl Attribute for Value {
    const TYPE_NAME: &'static str = "any";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        to_attribute(self).map(Some)
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        from_attribute(value)
    }

    #[inline]
    fn from_missing() -> Option<Self> {
        Some(Value::Null)
    }
}

#[inline]
fn to_attribute(value: &Value) -> Result<AttributeValue, AttributeError> {
    Ok(match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(value) => AttributeValue::Bool(*value),
        Value::Number(number) => AttributeValue::N(number_text(number)?),
        Value::String(text) => AttributeValue::S(text.clone()),
        Value::Array(items) => AttributeValue::L(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| to_attribute(item).map_err(|error| error.in_index(index)))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => AttributeValue::M(
            map.iter()
                .map(|(key, item)| {
                    if key.is_empty() {
                        return Err(super::collections::empty_key());
                    }
                    match to_attribute(item) {
                        Ok(item) => Ok((key.clone(), item)),
                        Err(error) => Err(error.in_key(key)),
                    }
                })
                .collect::<Result<_, _>>()?,
        ),
    })
}

fn number_text(number: &Number) -> Result<String, AttributeError> {
    if let Some(value) = number.as_i64() {
        Ok(itoa::Buffer::new().format(value).to_owned())
    } else if let Some(value) = number.as_u64() {
        Ok(itoa::Buffer::new().format(value).to_owned())
    } else if let Some(value) = number.as_f64() {
        format_float(value)
    } else {
        // Only with serde_json's `arbitrary_precision`: beyond any f64.
        Err(AttributeError::invalid(format!(
            "JSON number {number} is beyond what DynamoDB can store (below 1E+126 in magnitude)"
        )))
    }
}

#[inline]
fn from_attribute(value: AttributeValue) -> Result<Value, AttributeError> {
    Ok(match value {
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::Bool(value) => Value::Bool(value),
        AttributeValue::N(text) => Value::Number(number(&text)?),
        AttributeValue::S(text) => Value::String(text),
        AttributeValue::L(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| from_attribute(item).map_err(|error| error.in_index(index)))
                .collect::<Result<_, _>>()?,
        ),
        AttributeValue::M(map) => Value::Object(
            map.into_iter()
                .map(|(key, item)| match from_attribute(item) {
                    Ok(item) => Ok((key, item)),
                    Err(error) => Err(error.in_key(&key)),
                })
                .collect::<Result<Map<_, _>, _>>()?,
        ),
        AttributeValue::Ss(texts) => Value::Array(texts.into_iter().map(Value::String).collect()),
        AttributeValue::Ns(numbers) => Value::Array(
            numbers
                .iter()
                .map(|text| number(text).map(Value::Number))
                .collect::<Result<_, _>>()?,
        ),
        other @ (AttributeValue::B(_) | AttributeValue::Bs(_)) => {
            return Err(AttributeError::invalid(format!(
                "a {} value has no JSON form; read this attribute as Vec<u8>, Blob or \
                 bytes::Bytes (or a set of them)",
                super::type_name(&other)
            )))
        }
        _ => {
            return Err(AttributeError::invalid(
                "a value of a type this SDK version does not know has no JSON form",
            ))
        }
    })
}

/// Reads `N` text as a JSON number: an integer when whole and in range of
/// i64 or u64, else an f64.
fn number(text: &str) -> Result<Number, AttributeError> {
    match parse_integer::<i64>(text) {
        Ok(value) => return Ok(value.into()),
        Err(NumberError::OutOfRange) => {
            if let Ok(value) = parse_integer::<u64>(text) {
                return Ok(value.into());
            }
        }
        Err(_) => {}
    }
    let value = parse_float::<f64>(text)?;
    Number::from_f64(value)
        .ok_or_else(|| AttributeError::invalid(format!("N value {text} is no JSON number")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::field::from_value as decode_value;
    use crate::attr::AttributeErrorKind;
    use aws_smithy_types::Blob;
    use serde_json::json;

    fn round_trip(value: Value) -> Value {
        let stored = value.to_attribute().unwrap().unwrap();
        Value::from_attribute(stored).unwrap()
    }

    #[test]
    fn every_json_shape_round_trips() {
        let value = json!({
            "null": null,
            "yes": true,
            "int": -7,
            "big": u64::MAX,
            "float": 2.5,
            "tiny": 1e-100,
            "text": "",
            "list": [1, "two", [3], {"four": 4}, null],
            "empty": {},
        });
        assert_eq!(round_trip(value.clone()), value);
    }

    #[test]
    fn stored_shapes_are_the_natural_ones() {
        let stored = json!({"a": [true, null, 1.5]})
            .to_attribute()
            .unwrap()
            .unwrap();
        let expected = AttributeValue::M(
            [(
                "a".to_owned(),
                AttributeValue::L(vec![
                    AttributeValue::Bool(true),
                    AttributeValue::Null(true),
                    AttributeValue::N("1.5".into()),
                ]),
            )]
            .into(),
        );
        assert_eq!(stored, expected);
    }

    #[test]
    fn whole_floats_read_back_as_integers() {
        assert_eq!(round_trip(json!(3.0)), json!(3));
        // DynamoDB answers in plain notation; huge integers become floats.
        let plain_1e30 = format!("1{}", "0".repeat(30));
        let value = Value::from_attribute(AttributeValue::N(plain_1e30)).unwrap();
        assert_eq!(value, json!(1e30));
        let value = Value::from_attribute(AttributeValue::N("-5E+0".into())).unwrap();
        assert_eq!(value, json!(-5));
    }

    #[test]
    fn sets_read_as_arrays() {
        let texts = AttributeValue::Ss(vec!["a".into(), "b".into()]);
        assert_eq!(Value::from_attribute(texts).unwrap(), json!(["a", "b"]));
        let numbers = AttributeValue::Ns(vec!["1".into(), "0.5".into()]);
        assert_eq!(Value::from_attribute(numbers).unwrap(), json!([1, 0.5]));
    }

    #[test]
    fn binary_is_refused_with_advice() {
        let error =
            Value::from_attribute(AttributeValue::L(vec![AttributeValue::B(Blob::new(vec![
                1,
            ]))]))
            .unwrap_err();
        assert_eq!(error.inner_path, "[0]");
        let AttributeErrorKind::Invalid(reason) = error.kind else {
            panic!("{error:?}")
        };
        assert!(reason.contains("B value has no JSON form"), "{reason}");
    }

    #[test]
    fn numbers_dynamodb_cannot_store_are_refused_with_their_path() {
        let error = json!({"a": [0, 1e300]}).to_attribute().unwrap_err();
        assert_eq!(error.inner_path, ".a[1]");
        assert!(error.to_string().contains("too large"), "{error}");
        let error = Value::from_attribute(AttributeValue::M(
            [("n".to_owned(), AttributeValue::N("x".into()))].into(),
        ))
        .unwrap_err();
        assert_eq!(error.to_string(), "at .n: N value \"x\" is not a number");
    }

    #[test]
    fn empty_object_keys_are_refused() {
        let error = json!({"a": {"": 1}}).to_attribute().unwrap_err();
        assert_eq!(error.inner_path, ".a");
        assert!(error.to_string().contains("empty key"), "{error}");
    }

    #[test]
    fn null_and_absent_read_as_null() {
        assert_eq!(decode_value::<Value>(None), Ok(Value::Null));
        assert_eq!(round_trip(Value::Null), Value::Null);
        assert_eq!(decode_value::<Option<Value>>(None), Ok(None));
    }
}
