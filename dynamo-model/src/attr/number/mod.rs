//! Number text: what Rust numbers become in an `N` value and how `N` values
//! are read back.
//!
//! DynamoDB numbers are decimals with at most 38 significant digits and a
//! magnitude of 1E-130 up to (but excluding) 1E+126. DynamoDB accepts many
//! spellings (`"1e2"`, `"+100.0"`, `".5"`) and answers in plain notation
//! (`1e100` comes back as a 1 followed by 100 zeros), so reading accepts any
//! decimal spelling, while writing produces the shortest text that reads back
//! to the same Rust value.

mod float;

pub(crate) use float::{format_float, parse_float};

use super::AttributeError;

/// DynamoDB keeps at most this many significant digits.
const MAX_DIGITS: usize = 38;

/// A decimal number as written: `±integer.fraction × 10^exponent`, its
/// digits borrowed from the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Decimal<'a> {
    /// Whether the text starts with `-`.
    pub negative: bool,
    integer: &'a [u8],
    fraction: &'a [u8],
    exponent: i64,
}

/// The significant digits of a non-zero [`Decimal`]: `digits × 10^lowest`,
/// where `digits` has no leading or trailing zero.
pub(crate) struct Significant<'a> {
    /// The digits from the first to the last non-zero one (ASCII; the digits
    /// of the integer and fraction part joined).
    pub digits: [&'a [u8]; 2],
    /// The power of ten of the last significant digit.
    pub lowest: i64,
}

impl Significant<'_> {
    /// How many significant digits there are.
    fn count(&self) -> usize {
        self.digits[0].len() + self.digits[1].len()
    }

    /// The power of ten of the first significant digit.
    pub fn highest(&self) -> i64 {
        // Digit counts are far below i64::MAX: the cast cannot wrap.
        self.lowest + self.count() as i64 - 1
    }
}

impl<'a> Decimal<'a> {
    /// Parses the spellings DynamoDB accepts: an optional sign, digits with
    /// an optional decimal point (at least one digit), and an optional
    /// exponent (`e`/`E`, optional sign, digits). `None` for anything else.
    pub fn parse(text: &'a str) -> Option<Self> {
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            Some(b'+') => (false, &bytes[1..]),
            _ => (false, bytes),
        };
        let (mantissa, exponent) = match rest.iter().position(|&b| b == b'e' || b == b'E') {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        let (integer, fraction) = match mantissa.iter().position(|&b| b == b'.') {
            Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
            None => (mantissa, &mantissa[mantissa.len()..]),
        };
        let all_digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
        if integer.is_empty() && fraction.is_empty()
            || !all_digits(integer)
            || !all_digits(fraction)
        {
            return None;
        }
        let exponent = match exponent {
            Some(exponent) => parse_exponent(exponent)?,
            None => 0,
        };
        Some(Self {
            negative,
            integer,
            fraction,
            exponent,
        })
    }

    /// The significant digits, or `None` when the number is zero.
    pub fn significant(&self) -> Option<Significant<'a>> {
        let nonzero = |&b: &u8| b != b'0';
        let first_in_integer = self.integer.iter().position(nonzero);
        let last_in_fraction = self.fraction.iter().rposition(nonzero);
        // Digit counts are far below i64::MAX: the casts cannot wrap.
        let (digits, lowest) = match (first_in_integer, last_in_fraction) {
            (Some(first), Some(last)) => (
                [&self.integer[first..], &self.fraction[..=last]],
                -(last as i64 + 1),
            ),
            // Trailing zeros of the integer part raise the power.
            (Some(first), None) => {
                let last = self.integer.iter().rposition(nonzero)?;
                (
                    [&self.integer[first..=last], &[][..]],
                    (self.integer.len() - 1 - last) as i64,
                )
            }
            (None, Some(last)) => {
                let first = self.fraction.iter().position(nonzero)?;
                ([&self.fraction[first..=last], &[][..]], -(last as i64 + 1))
            }
            (None, None) => return None,
        };
        Some(Significant {
            digits,
            lowest: self.exponent + lowest,
        })
    }
}

/// Parses an exponent: optional sign and at least one digit; `None` when
/// malformed or beyond what any stored number could have.
fn parse_exponent(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        value = value
            .checked_mul(10)?
            .checked_add(i64::from(digit - b'0'))?;
        // Far beyond DynamoDB's range; capping keeps later sums in range.
        if value > i64::from(i32::MAX) {
            return None;
        }
    }
    Some(if negative { -value } else { value })
}

/// Why an `N` text cannot be read as a given Rust number type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Not a decimal number at all.
    NotANumber,
    /// A number with a fractional part.
    NotAnInteger,
    /// An integer outside the type's range.
    OutOfRange,
}

impl NumberError {
    /// The error for `text` read as `target` (a type name for people).
    #[cold]
    pub fn into_attribute_error(self, text: &str, target: &str) -> AttributeError {
        AttributeError::invalid(match self {
            Self::NotANumber => format!("N value {text:?} is not a number"),
            Self::NotAnInteger => {
                format!("N value {text} is not an integer, so it cannot be read as {target}")
            }
            Self::OutOfRange => format!("N value {text} does not fit in {target}"),
        })
    }
}

/// Reads `text` as an integer of type `T`: plain digits fast, and any other
/// spelling of an integral value (`1E+2`, `100.0`, `-0`) exactly.
#[inline]
pub(crate) fn parse_integer<T>(text: &str) -> Result<T, NumberError>
where
    T: std::str::FromStr + TryFrom<u128> + TryFrom<i128>,
{
    if let Ok(value) = text.parse() {
        return Ok(value);
    }
    let decimal = Decimal::parse(text).ok_or(NumberError::NotANumber)?;
    let Some(significant) = decimal.significant() else {
        return T::try_from(0u128).map_err(|_| NumberError::OutOfRange);
    };
    if significant.lowest < 0 {
        return Err(NumberError::NotAnInteger);
    }
    let mut magnitude: u128 = 0;
    for &digit in significant.digits.iter().flat_map(|part| part.iter()) {
        magnitude = magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u128::from(digit - b'0')))
            .ok_or(NumberError::OutOfRange)?;
    }
    let scale = u32::try_from(significant.lowest)
        .ok()
        .and_then(|power| 10u128.checked_pow(power))
        .ok_or(NumberError::OutOfRange)?;
    let magnitude = magnitude
        .checked_mul(scale)
        .ok_or(NumberError::OutOfRange)?;
    if decimal.negative {
        let value = 0i128
            .checked_sub_unsigned(magnitude)
            .ok_or(NumberError::OutOfRange)?;
        T::try_from(value).map_err(|_| NumberError::OutOfRange)
    } else {
        T::try_from(magnitude).map_err(|_| NumberError::OutOfRange)
    }
}

/// Checks that integer text (as `itoa` writes it) has at most 38
/// significant digits; only 128-bit integers can have more.
pub(crate) fn check_integer_digits(text: &str, type_name: &str) -> Result<(), AttributeError> {
    let digits = text.trim_start_matches('-');
    if digits.len() <= MAX_DIGITS {
        return Ok(());
    }
    let significant = digits.trim_end_matches('0').len();
    if significant <= MAX_DIGITS {
        return Ok(());
    }
    Err(AttributeError::invalid(format!(
        "{type_name} value {text} has {significant} significant digits, but DynamoDB numbers \
         hold at most {MAX_DIGITS}; store it as a string (for example a newtype around String) \
         or keep it below 10^{MAX_DIGITS}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::AttributeErrorKind;

    fn significant(text: &str) -> Option<(String, i64)> {
        let decimal = Decimal::parse(text).expect("a number");
        decimal.significant().map(|s| {
            let digits = s.digits.concat();
            (String::from_utf8(digits).expect("ascii"), s.lowest)
        })
    }

    #[test]
    fn parses_every_spelling_dynamodb_accepts() {
        for text in [
            "0", "-0", "+1", ".5", "5.", "-.5", "01", "1e+0", "1E-7", "1e0100", "0.000", "12.5e3",
        ] {
            assert!(Decimal::parse(text).is_some(), "{text}");
        }
    }

    #[test]
    fn rejects_what_dynamodb_rejects() {
        for text in [
            "",
            "-",
            "+",
            ".",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "1.2.3",
            "1e5.5",
            "0x10",
            " 1",
            "1 ",
            "--1",
            "1_0",
            "NaN",
            "inf",
            "Infinity",
            "١",
            "1e99999999999",
        ] {
            assert_eq!(Decimal::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn finds_significant_digits_and_their_power() {
        assert_eq!(significant("0"), None);
        assert_eq!(significant("-0.000e5"), None);
        assert_eq!(significant("1200"), Some(("12".into(), 2)));
        assert_eq!(significant("0.00123"), Some(("123".into(), -5)));
        assert_eq!(significant("10.01"), Some(("1001".into(), -2)));
        assert_eq!(significant("1.5E+10"), Some(("15".into(), 9)));
        assert_eq!(significant("-007.500e-2"), Some(("75".into(), -3)));
        assert_eq!(significant("100.0"), Some(("1".into(), 2)));
    }

    #[test]
    fn integers_read_in_any_spelling() {
        assert_eq!(parse_integer::<u8>("200"), Ok(200));
        assert_eq!(parse_integer::<u8>("2E+2"), Ok(200));
        assert_eq!(parse_integer::<u8>("200.000"), Ok(200));
        assert_eq!(parse_integer::<u8>("-0"), Ok(0));
        assert_eq!(parse_integer::<i32>("-1.5e1"), Ok(-15));
        assert_eq!(parse_integer::<i64>("0.0e9"), Ok(0));
        assert_eq!(
            parse_integer::<i128>("-170141183460469231731687303715884105728"),
            Ok(i128::MIN)
        );
        assert_eq!(
            parse_integer::<i128>("-1.70141183460469231731687303715884105728E+38"),
            Ok(i128::MIN)
        );
        assert_eq!(
            parse_integer::<u128>("3.40282366920938463463374607431768211455e38"),
            Ok(u128::MAX)
        );
    }

    #[test]
    fn integers_reject_fractions_overflow_and_garbage() {
        assert_eq!(parse_integer::<u8>("3.5"), Err(NumberError::NotAnInteger));
        assert_eq!(
            parse_integer::<u64>("1e-130"),
            Err(NumberError::NotAnInteger)
        );
        assert_eq!(parse_integer::<u8>("300"), Err(NumberError::OutOfRange));
        assert_eq!(parse_integer::<u8>("-1"), Err(NumberError::OutOfRange));
        assert_eq!(
            parse_integer::<i8>("-1.29E+2"),
            Err(NumberError::OutOfRange)
        );
        assert_eq!(parse_integer::<u128>("1e39"), Err(NumberError::OutOfRange));
        assert_eq!(parse_integer::<u128>("1e125"), Err(NumberError::OutOfRange));
        assert_eq!(
            parse_integer::<i128>("-170141183460469231731687303715884105729"),
            Err(NumberError::OutOfRange)
        );
        assert_eq!(parse_integer::<i64>("abc"), Err(NumberError::NotANumber));
        assert_eq!(parse_integer::<i64>(""), Err(NumberError::NotANumber));
    }

    #[test]
    fn integer_errors_say_what_and_which_type() {
        let message =
            |error: NumberError, text| error.into_attribute_error(text, "u8").kind.to_string();
        assert_eq!(
            message(NumberError::NotAnInteger, "3.5"),
            "N value 3.5 is not an integer, so it cannot be read as u8"
        );
        assert_eq!(
            message(NumberError::OutOfRange, "300"),
            "N value 300 does not fit in u8"
        );
        assert_eq!(
            message(NumberError::NotANumber, "x"),
            "N value \"x\" is not a number"
        );
    }

    #[test]
    fn only_39_significant_digits_are_too_many() {
        assert!(check_integer_digits(&u64::MAX.to_string(), "u64").is_ok());
        // 10^38 has 39 digits but one significant digit; DynamoDB Local keeps it.
        assert!(check_integer_digits(&10u128.pow(38).to_string(), "u128").is_ok());
        assert!(check_integer_digits(&(u128::MAX / 10).to_string(), "u128").is_ok());
        let error = check_integer_digits(&u128::MAX.to_string(), "u128").unwrap_err();
        let AttributeErrorKind::Invalid(reason) = error.kind else {
            panic!("{error:?}")
        };
        assert!(
            reason.starts_with(
                "u128 value 340282366920938463463374607431768211455 has 39 significant digits"
            ),
            "{reason}"
        );
        assert!(check_integer_digits(&i128::MIN.to_string(), "i128").is_err());
    }
}
