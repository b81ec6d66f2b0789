//! Float text: the shortest text that reads back to the same `f32` or
//! `f64`, as ryu writes it (short decimals found without ryu's digit
//! reduction), within DynamoDB's magnitudes; and reading it back.

use super::{AttributeError, NumberError};

/// Floats of this magnitude or more do not fit: 1E+126.
const TOO_LARGE: f64 = 1e126;

/// The smallest non-zero magnitude DynamoDB stores: 1E-130.
const SMALLEST: f64 = 1e-130;

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
