//! Number text: what Rust numbers become in an `N` value and how `N` values
//! are read back.
//!
//! DynamoDB numbers are decimals with at most 38 significant digits and a
//! magnitude of 1E-130 up to (but excluding) 1E+126. DynamoDB accepts many
//! spellings (`"1e2"`, `"+100.0"`, `".5"`) and answers in plain notation
//! (`1e100` comes back as a 1 followed by 100 zeros), so reading accepts any
//! decimal spelling, while writing produces the shortest text that reads back
//! to the same Rust value.

use super::AttributeError;

/// DynamoDB keeps at most this many significant digits.
const MAX_DIGITS: usize = 38;

/// Floats of this magnitude or more do not fit: 1E+126.
const TOO_LARGE: f64 = 1e126;

/// The smallest non-zero magnitude DynamoDB stores: 1E-130.
const SMALLEST: f64 = 1e-130;

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

/// A float type DynamoDB numbers are read into and written from.
pub(crate) trait Float:
    Copy
    + PartialOrd
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + ryu::Float
    + std::str::FromStr
    + Into<f64>
    + 'static
{
    /// The Rust name, for messages.
    const NAME: &'static str;
    /// The smallest magnitude whose shortest text ryu writes without an
    /// exponent (it writes every smaller one with one).
    const PLAIN_FROM: Self;
    /// A bound below which the type's values are at most 1/8 apart.
    const FINE_BELOW: Self;
    /// The powers of ten the type holds exactly, from 10^0.
    const POWERS_OF_TEN: &'static [Self];
    /// Whether the value is finite.
    fn finite(self) -> bool;
    /// The magnitude.
    fn magnitude(self) -> Self;
    /// The nearest integer to a value in `0..FINE_BELOW`.
    fn nearest_integer(self) -> u64;
    /// An integer below `FINE_BELOW`, exactly.
    fn from_integer(integer: u64) -> Self;
}

macro_rules! float {
    ($float:ty, plain_from = $plain:expr, fine_below = $fine:expr, powers = [$($power:expr),*]) => {
        impl Float for $float {
            const NAME: &'static str = stringify!($float);
            const PLAIN_FROM: Self = $plain;
            const FINE_BELOW: Self = $fine;
            const POWERS_OF_TEN: &'static [Self] = &[$($power),*];
            fn finite(self) -> bool {
                self.is_finite()
            }
            fn magnitude(self) -> Self {
                self.abs()
            }
            fn nearest_integer(self) -> u64 {
                // Below FINE_BELOW, adding a half is exact and the cast truncates.
                (self + 0.5) as u64
            }
            fn from_integer(integer: u64) -> Self {
                integer as Self
            }
        }
    };
}

// 2^21 and 2^50: the types' 24- and 53-bit mantissas leave 3 bits below the
// point.
float!(
    f32,
    plain_from = 1e-6,
    fine_below = 2_097_152.0,
    powers = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]
);
float!(
    f64,
    plain_from = 1e-5,
    fine_below = 1_125_899_906_842_624.0,
    powers = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    ]
);

/// `magnitude` (positive) as `integer / 10^decimals` with the fewest
/// decimals, if that integer is below `F::FINE_BELOW`: the shortest text
/// reading back to the value, the same digits ryu finds, in a few
/// multiplications instead of ryu's digit-by-digit reduction (which cost
/// more than the rest of writing a float like 1234.5).
///
/// Why it is the shortest: an integer `m` is a candidate for `decimals`
/// when `m / 10^decimals`, divided in floating point (exact operands,
/// correctly rounded, as parsing rounds), gives back `magnitude`. Then `m`
/// is within 1/8 of `magnitude × 10^decimals` (the values' spacing there,
/// scaled, is at most 1/4), and the product computed in floating point is
/// within 1/16 of it, so `m` is the product's nearest integer: no
/// candidate is missed, and there is at most one per number of decimals.
/// Fewer decimals are fewer digits, so the first candidate is the
/// shortest text, and the only one of its length.
#[inline]
fn short_decimal<F: Float>(magnitude: F) -> Option<(u64, usize)> {
    for (decimals, &power) in F::POWERS_OF_TEN.iter().enumerate() {
        let scaled = magnitude * power;
        if scaled >= F::FINE_BELOW {
            return None;
        }
        let integer = scaled.nearest_integer();
        if F::from_integer(integer) / power == magnitude {
            return Some((integer, decimals));
        }
    }
    None
}

/// `integer / 10^decimals` written out (`-` first if `negative`), as ryu
/// writes numbers without an exponent.
fn decimal_text(negative: bool, integer: u64, decimals: usize) -> String {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(integer);
    let length = digits.len();
    let size = match length > decimals {
        true => length + usize::from(decimals > 0),
        false => decimals + 2,
    };
    let mut text = String::with_capacity(usize::from(negative) + size);
    if negative {
        text.push('-');
    }
    if length > decimals {
        let (whole, fraction) = digits.split_at(length - decimals);
        text.push_str(whole);
        if decimals > 0 {
            text.push('.');
            text.push_str(fraction);
        }
    } else {
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', decimals - length));
        text.push_str(digits);
    }
    text
}

/// Writes a float as the shortest text that reads back to the same value
/// (`0.1f32` is `"0.1"`, `1e100` is `"1e100"`), after checking that
/// DynamoDB can store it. Negative zero is written as `0`, as DynamoDB
/// stores it.
#[inline]
pub(crate) fn format_float<F: Float>(value: F) -> Result<String, AttributeError> {
    let wide: f64 = value.into();
    if !value.finite() {
        return Err(AttributeError::invalid(format!(
            "{} value {wide} cannot be stored: DynamoDB numbers are finite; use an Option \
             (None) for a missing value",
            F::NAME
        )));
    }
    // A float at or above the float nearest 1E+126 prints as 1e126 or more;
    // one below the float nearest 1E-130 prints below 1e-130.
    let magnitude = wide.abs();
    if magnitude >= TOO_LARGE {
        return Err(AttributeError::invalid(format!(
            "{} value {} is too large: DynamoDB numbers must be below 1E+126 in magnitude; \
             scale it down or store it as a string",
            F::NAME,
            ryu::Buffer::new().format_finite(value)
        )));
    }
    if magnitude < SMALLEST {
        if magnitude == 0.0 {
            return Ok("0".to_owned());
        }
        return Err(AttributeError::invalid(format!(
            "{} value {} is too small: DynamoDB cannot store non-zero numbers below 1E-130 in \
             magnitude; round it to 0 or scale it up",
            F::NAME,
            ryu::Buffer::new().format_finite(value)
        )));
    }
    // Most stored floats (prices, scores, coordinates) have a few decimals.
    let magnitude = value.magnitude();
    if magnitude >= F::PLAIN_FROM {
        if let Some((integer, decimals)) = short_decimal(magnitude) {
            return Ok(decimal_text(wide < 0.0, integer, decimals));
        }
    }
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(value);
    // `ryu` writes whole numbers as `100.0`; DynamoDB answers `100`.
    Ok(text.strip_suffix(".0").unwrap_or(text).to_owned())
}

/// Reads an `N` text as a float, rounding to the nearest value; rejects
/// text that is no number or beyond the float's range.
#[inline]
pub(crate) fn parse_float<F: Float>(text: &str) -> Result<F, AttributeError> {
    // Rust's parser accepts every spelling DynamoDB does; what it accepts
    // beyond them (`inf`, `NaN`, which have no digit) is refused below.
    match text.parse::<F>().ok() {
        Some(value) if value.finite() => Ok(value),
        Some(_) if text.bytes().any(|b| b.is_ascii_digit()) => Err(AttributeError::invalid(
            format!("N value {text} does not fit in {}", F::NAME),
        )),
        _ => Err(NumberError::NotANumber.into_attribute_error(text, F::NAME)),
    }
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

    #[test]
    fn floats_are_written_shortest_and_plain_when_whole() {
        let text = |value: f64| format_float(value).unwrap();
        assert_eq!(text(1.5), "1.5");
        assert_eq!(text(100.0), "100");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(0.0), "0");
        assert_eq!(text(0.1), "0.1");
        assert_eq!(text(1e100), "1e100");
        assert_eq!(text(1e125), "1e125");
        assert_eq!(text(-1e-130), "-1e-130");
        assert_eq!(text(1e-7), "1e-7");
        let largest = 1e126f64.next_down();
        assert_eq!(parse_float::<f64>(&text(largest)), Ok(largest));
        assert!(text(largest).ends_with("e125"));
        let smallest = 1e-130f64;
        assert_eq!(parse_float::<f64>(&text(-smallest)), Ok(-smallest));
        assert_eq!(format_float(0.1f32).unwrap(), "0.1");
        assert_eq!(format_float(f32::MAX).unwrap(), "3.4028235e38");
        assert_eq!(format_float(f32::MIN_POSITIVE).unwrap(), "1.1754944e-38");
    }

    /// The text ryu writes, as every float was written before the
    /// short-decimal path.
    fn ryu_text<F: Float>(value: F) -> String {
        let mut buffer = ryu::Buffer::new();
        let text = buffer.format_finite(value);
        text.strip_suffix(".0").unwrap_or(text).to_owned()
    }

    #[test]
    fn short_decimals_are_written_as_ryu_writes_them() {
        let text = |value: f64| format_float(value).unwrap();
        assert_eq!(text(1234.5), "1234.5");
        assert_eq!(text(-0.001), "-0.001");
        assert_eq!(text(19.99), "19.99");
        assert_eq!(text(1e-5), "0.00001");
        assert_eq!(text(1e-5f64.next_down()), "9.999999999999999e-6");
        assert_eq!(text(1e15), "1000000000000000");
        assert_eq!(text(9007199254740993.0), "9007199254740992");
        assert_eq!(format_float(0.3f32).unwrap(), "0.3");
        assert_eq!(format_float(1e-6f32).unwrap(), "0.000001");
        // Every scale, both edges of the path, and the values around them.
        let integers: [u64; 8] = [1, 5, 7, 123, 999_999, (1 << 50) - 1, 1 << 50, (1 << 53) - 1];
        for decimals in 0..23 {
            for integer in integers {
                let value = integer as f64 / 10f64.powi(decimals);
                for value in [value, value.next_up(), value.next_down(), -value] {
                    assert_eq!(text(value), ryu_text(value), "{value:e}");
                }
                let narrow = value as f32;
                assert_eq!(
                    format_float(narrow).unwrap(),
                    ryu_text(narrow),
                    "{narrow:e}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn decimal_floats_are_written_as_ryu_writes_them(
            integer in 0u64..(1 << 53),
            decimals in 0i32..24,
            negative: bool,
        ) {
            let value = integer as f64 / 10f64.powi(decimals);
            let value = if negative { -value } else { value };
            if format_float(value).is_ok() {
                proptest::prop_assert_eq!(format_float(value).unwrap(), ryu_text(value));
            }
            let narrow = value as f32;
            if format_float(narrow).is_ok() {
                proptest::prop_assert_eq!(format_float(narrow).unwrap(), ryu_text(narrow));
            }
        }

        #[test]
        fn any_float_is_written_as_ryu_writes_it(bits: u64) {
            let (value, narrow) = (f64::from_bits(bits), f32::from_bits(bits as u32));
            if format_float(value).is_ok() {
                proptest::prop_assert_eq!(format_float(value).unwrap(), ryu_text(value));
            }
            if format_float(narrow).is_ok() {
                proptest::prop_assert_eq!(format_float(narrow).unwrap(), ryu_text(narrow));
            }
        }
    }

    #[test]
    fn floats_outside_dynamodb_are_rejected_with_advice() {
        let reason = |value: f64| match format_float(value).unwrap_err().kind {
            AttributeErrorKind::Invalid(reason) => reason,
            other => panic!("{other:?}"),
        };
        assert!(reason(f64::NAN).contains("NaN cannot be stored"));
        assert!(reason(f64::INFINITY).contains("inf cannot be stored"));
        assert!(reason(f64::NEG_INFINITY).contains("-inf cannot be stored"));
        assert!(reason(1e126).contains("1e126 is too large"));
        assert!(reason(-f64::MAX).contains("too large"));
        assert!(reason(1e-130f64.next_down()).contains("is too small"));
        assert!(reason(f64::MIN_POSITIVE).contains("round it to 0"));
        assert!(reason(-5e-324).contains("too small"));
        assert!(format_float(f32::NAN).is_err());
    }

    #[test]
    fn floats_read_dynamodb_plain_notation() {
        let plain_1e100 = format!("1{}", "0".repeat(100));
        assert_eq!(parse_float::<f64>(&plain_1e100), Ok(1e100));
        let plain_1e_130 = format!("0.{}1", "0".repeat(129));
        assert_eq!(parse_float::<f64>(&plain_1e_130), Ok(1e-130));
        assert_eq!(parse_float::<f32>("0.1"), Ok(0.1f32));
        assert_eq!(parse_float::<f64>("-0"), Ok(0.0));
        assert!(parse_float::<f32>("1e39").is_err());
        assert!(parse_float::<f64>("inf").is_err());
        assert!(parse_float::<f64>("NaN").is_err());
    }
}
