//! Strings, booleans and numbers: `S`, `BOOL` and `N`.
//!
//! Integers are written with `itoa` and read back exactly in any spelling
//! DynamoDB uses for an integral value; floats are written as the shortest
//! text that reads back to the same value. See [`number`](super::number).

use super::number::{check_integer_digits, format_float, parse_float, parse_integer};
use super::{binary, Attribute, AttributeError, KeyAttribute};
use crate::schema::ScalarType;
use aws_sdk_dynamodb::types::AttributeValue;

impl Attribute for String {
    const TYPE_NAME: &'static str = "S";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(self.clone())))
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            AttributeValue::S(text) => Ok(text),
            other => Err(AttributeError::mismatch("S", &other)),
        }
    }
}

impl KeyAttribute for String {
    const SCALAR: ScalarType = ScalarType::String;
}

impl Attribute for bool {
    const TYPE_NAME: &'static str = "BOOL";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::Bool(*self)))
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            AttributeValue::Bool(value) => Ok(value),
            other => Err(AttributeError::mismatch("BOOL", &other)),
        }
    }
}

/// Writes an integer as `N` text; only 128-bit values can exceed DynamoDB's
/// 38 digits, and those are refused with advice (the check is compiled for
/// them only).
#[inline]
fn integer_text<I: itoa::Integer>(value: I, type_name: &str) -> Result<String, AttributeError> {
    let mut buffer = itoa::Buffer::new();
    let text = buffer.format(value);
    if size_of::<I>() > size_of::<u64>() {
        check_integer_digits(text, type_name)?;
    }
    Ok(text.to_owned())
}

/// Reads an `N` value as an integer; `target` names what it is read as, for
/// messages ("u8", "SystemTime (epoch milliseconds)").
#[inline]
pub(super) fn read_integer<T>(value: AttributeValue, target: &str) -> Result<T, AttributeError>
where
    T: std::str::FromStr + TryFrom<u128> + TryFrom<i128>,
{
    match value {
        AttributeValue::N(text) => {
            parse_integer(&text).map_err(|error| error.into_attribute_error(&text, target))
        }
        other => Err(AttributeError::mismatch("N", &other)),
    }
}

macro_rules! integer_attribute {
    ($($int:ty $({ $($extra:item)* })?),* $(,)?) => {$(
        impl Attribute for $int {
            const TYPE_NAME: &'static str = "N";

            #[inline]
            fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
                integer_text(*self, stringify!($int)).map(|text| Some(AttributeValue::N(text)))
            }

            #[inline]
            fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
                read_integer(value, stringify!($int))
            }

            $($($extra)*)?
        }

        impl KeyAttribute for $int {
            const SCALAR: ScalarType = ScalarType::Number;
        }
    )*};
}

integer_attribute! {
    i8, i16, i32, i64, i128, isize,
    u16, u32, u64, u128, usize,
    // `Vec<u8>` is a binary value, not a list of numbers.
    u8 {
        const __VEC_TYPE_NAME: &'static str = "B";

        #[inline]
        fn __vec_to_attribute(items: &[u8]) -> Result<Option<AttributeValue>, AttributeError> {
            Ok(Some(binary::bytes_to_attribute(items)))
        }

        #[inline]
        fn __vec_from_attribute(value: AttributeValue) -> Result<Vec<u8>, AttributeError> {
            binary::take_blob(value).map(|blob| blob.into_inner())
        }
    },
}

macro_rules! float_attribute {
    ($($float:ty),*) => {$(
        impl Attribute for $float {
            const TYPE_NAME: &'static str = "N";

            #[inline]
            fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
                format_float(*self).map(|text| Some(AttributeValue::N(text)))
            }

            #[inline]
            fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
                match value {
                    AttributeValue::N(text) => parse_float(&text),
                    other => Err(AttributeError::mismatch("N", &other)),
                }
            }
        }

        impl KeyAttribute for $float {
            const SCALAR: ScalarType = ScalarType::Number;
        }
    )*};
}

float_attribute!(f32, f64);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::AttributeErrorKind;
    use proptest::prelude::*;

    fn n(text: &str) -> AttributeValue {
        AttributeValue::N(text.into())
    }

    fn stored<T: Attribute>(value: &T) -> AttributeValue {
        value.to_attribute().unwrap().expect("stores a value")
    }

    fn round_trip<T: Attribute>(value: &T) -> T {
        T::from_attribute(stored(value)).unwrap()
    }

    fn invalid(error: AttributeError) -> String {
        match error.kind {
            AttributeErrorKind::Invalid(reason) => reason,
            other => panic!("not an invalid value: {other:?}"),
        }
    }

    #[test]
    fn strings_are_s() {
        let text = "héllo".to_owned();
        assert_eq!(stored(&text), AttributeValue::S(text.clone()));
        assert_eq!(round_trip(&text), text);
        assert_eq!(round_trip(&String::new()), "");
        let error = String::from_attribute(n("1")).unwrap_err();
        assert_eq!(
            error.kind,
            AttributeErrorKind::TypeMismatch {
                expected: "S",
                found: "N"
            }
        );
    }

    #[test]
    fn booleans_are_bool() {
        assert_eq!(stored(&true), AttributeValue::Bool(true));
        assert!(!round_trip(&false));
        let error = bool::from_attribute(AttributeValue::S("true".into())).unwrap_err();
        assert_eq!(error.to_string(), "expected type BOOL, found type S");
    }

    macro_rules! integer_limits_round_trip {
        ($($int:ty),*) => {$(
            for value in [<$int>::MIN, <$int>::MAX, 0, 1, <$int>::MAX / 3] {
                assert_eq!(stored(&value), n(&value.to_string()), stringify!($int));
                assert_eq!(round_trip(&value), value, stringify!($int));
            }
            assert_eq!(<$int as KeyAttribute>::SCALAR, ScalarType::Number);
        )*};
    }

    #[test]
    fn every_integer_type_round_trips_its_limits() {
        integer_limits_round_trip!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
    }

    #[test]
    fn integers_read_dynamodb_spellings_of_whole_numbers() {
        assert_eq!(u8::from_attribute(n("1E+2")).unwrap(), 100);
        assert_eq!(u8::from_attribute(n("100.0")).unwrap(), 100);
        assert_eq!(i64::from_attribute(n("-2.5e1")).unwrap(), -25);
        assert_eq!(u32::from_attribute(n("-0")).unwrap(), 0);
    }

    #[test]
    fn integers_reject_fractions_and_overflow_by_name() {
        let reason = |result: Result<u8, _>| invalid(result.unwrap_err());
        assert_eq!(
            reason(u8::from_attribute(n("3.5"))),
            "N value 3.5 is not an integer, so it cannot be read as u8"
        );
        assert_eq!(
            reason(u8::from_attribute(n("300"))),
            "N value 300 does not fit in u8"
        );
        assert_eq!(
            reason(u8::from_attribute(n("-1"))),
            "N value -1 does not fit in u8"
        );
        let error = i16::from_attribute(AttributeValue::S("1".into())).unwrap_err();
        assert_eq!(error.to_string(), "expected type N, found type S");
    }

    #[test]
    fn wide_integers_keep_to_38_digits() {
        // 38 digits and 10^38 (one significant digit) are stored ...
        for value in [10u128.pow(38) - 1, 10u128.pow(38), 3 * 10u128.pow(38)] {
            assert_eq!(round_trip(&value), value);
        }
        let value = -(10i128.pow(38) - 1);
        assert_eq!(round_trip(&value), value);
        // ... 39 significant digits are refused with a reason and a way out.
        for error in [
            u128::MAX.to_attribute().unwrap_err(),
            i128::MAX.to_attribute().unwrap_err(),
            i128::MIN.to_attribute().unwrap_err(),
        ] {
            let reason = invalid(error);
            assert!(reason.contains("has 39 significant digits"), "{reason}");
            assert!(reason.contains("at most 38"), "{reason}");
            assert!(reason.contains("store it as a string"), "{reason}");
        }
        // Reading still accepts every value a 128-bit integer holds.
        assert_eq!(
            u128::from_attribute(n(&u128::MAX.to_string())).unwrap(),
            u128::MAX
        );
        assert_eq!(
            invalid(u128::from_attribute(n("1e39")).unwrap_err()),
            "N value 1e39 does not fit in u128"
        );
    }

    #[test]
    fn floats_round_trip_their_extremes() {
        let largest = 1e126f64.next_down();
        for value in [
            0.1,
            -2.5,
            1e125,
            largest,
            -largest,
            1e-130,
            -1e-130,
            f64::EPSILON,
            123456789.0,
        ] {
            assert_eq!(round_trip(&value), value, "{value}");
        }
        for value in [
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            1e-45,
            0.1,
            16777216.0,
        ] {
            assert_eq!(round_trip(&value), value, "{value}");
        }
        assert_eq!(stored(&1e100), n("1e100"));
        assert_eq!(stored(&-0.0f64), n("0"));
        assert_eq!(stored(&3.0f32), n("3"));
        assert_eq!(<f64 as KeyAttribute>::SCALAR, ScalarType::Number);
    }

    #[test]
    fn floats_dynamodb_cannot_store_are_refused() {
        assert!(invalid(f64::NAN.to_attribute().unwrap_err()).contains("NaN"));
        assert!(invalid(f32::INFINITY.to_attribute().unwrap_err()).contains("finite"));
        assert!(invalid(1e126.to_attribute().unwrap_err()).contains("below 1E+126"));
        assert!(invalid(1e-131.to_attribute().unwrap_err()).contains("below 1E-130"));
    }

    #[test]
    fn floats_read_any_number_and_refuse_the_rest() {
        assert_eq!(f64::from_attribute(n("1E+2")).unwrap(), 100.0);
        assert_eq!(f32::from_attribute(n("7")).unwrap(), 7.0);
        assert_eq!(
            invalid(f32::from_attribute(n("1e39")).unwrap_err()),
            "N value 1e39 does not fit in f32"
        );
        assert_eq!(
            invalid(f64::from_attribute(n("NaN")).unwrap_err()),
            "N value \"NaN\" is not a number"
        );
        let error = f64::from_attribute(AttributeValue::Bool(true)).unwrap_err();
        assert_eq!(error.to_string(), "expected type N, found type BOOL");
    }

    /// Another spelling of `value` DynamoDB could answer with: the digits
    /// moved `shift` places behind the point, with the exponent making up.
    fn respell(value: i128, shift: usize) -> String {
        let digits = value.unsigned_abs().to_string();
        let sign = if value < 0 { "-" } else { "" };
        let split = digits.len().saturating_sub(shift);
        let (integer, fraction) = digits.split_at(split);
        let integer = if integer.is_empty() { "0" } else { integer };
        let zeros = "0".repeat(shift.saturating_sub(digits.len()));
        format!("{sign}{integer}.{zeros}{fraction}E+{shift}")
    }

    proptest! {
        #[test]
        fn i64_round_trips_in_every_spelling(value: i64, shift in 0usize..25) {
            prop_assert_eq!(round_trip(&value), value);
            let text = respell(i128::from(value), shift);
            prop_assert_eq!(i64::from_attribute(n(&text)).unwrap(), value, "{}", text);
        }

        #[test]
        fn u64_round_trips(value: u64) {
            prop_assert_eq!(round_trip(&value), value);
            prop_assert_eq!(u64::from_attribute(n(&format!("{value}.000"))).unwrap(), value);
        }

        #[test]
        fn i128_within_38_digits_round_trips(value in -(10i128.pow(38) - 1)..10i128.pow(38)) {
            prop_assert_eq!(round_trip(&value), value);
            let text = respell(value, 7);
            prop_assert_eq!(i128::from_attribute(n(&text)).unwrap(), value, "{}", text);
        }

        #[test]
        fn narrow_integers_refuse_what_does_not_fit(value: i64) {
            let read = i16::from_attribute(n(&value.to_string()));
            match i16::try_from(value) {
                Ok(narrow) => prop_assert_eq!(read.unwrap(), narrow),
                Err(_) => prop_assert_eq!(
                    invalid(read.unwrap_err()),
                    format!("N value {value} does not fit in i16")
                ),
            }
        }

        #[test]
        fn f64_round_trips_exactly(value in proptest::num::f64::NORMAL | proptest::num::f64::ZERO) {
            let magnitude = value.abs();
            let result = value.to_attribute();
            if magnitude >= 1e126 || (magnitude < 1e-130 && magnitude != 0.0) {
                prop_assert!(result.is_err());
            } else {
                let read = f64::from_attribute(result.unwrap().unwrap()).unwrap();
                prop_assert_eq!(read, value);
            }
        }

        #[test]
        fn f32_round_trips_exactly(value in proptest::num::f32::ANY) {
            let result = value.to_attribute();
            if value.is_finite() {
                let read = f32::from_attribute(result.unwrap().unwrap()).unwrap();
                prop_assert_eq!(read, value);
            } else {
                prop_assert!(result.is_err());
            }
        }
    }
}
