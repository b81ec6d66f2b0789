//! How a time field is stored: epoch milliseconds (the default, as Dynamoose
//! stores a `Date`), epoch seconds (DynamoDB's TTL format) or an ISO 8601
//! string (`storage = "iso"`).
//!
//! Every time type encodes itself as `N` epoch milliseconds; a field with
//! another storage converts that value on the way out and back, so one
//! conversion serves every time type, and conditions and updates on the
//! field's typed path convert their values the same way.

use super::scalar::read_integer;
use super::{Attribute, AttributeError};
use aws_sdk_dynamodb::types::AttributeValue;
use std::time::{SystemTime, UNIX_EPOCH};

/// The format of a stored point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeStorage {
    /// `N` epoch milliseconds (the default).
    Millis,
    /// `N` epoch seconds, rounded down (`storage = "seconds"`, and TTL).
    Seconds,
    /// `S` ISO 8601 in UTC with milliseconds, as JavaScript's
    /// `Date.toISOString()` writes it: `2024-05-01T12:00:00.000Z`
    /// (`storage = "iso"`).
    Iso,
}

/// A type stored as a point in time: what `storage`, `ttl`, `created_at`
/// and `updated_at` accept. Implemented for `SystemTime` and, with their
/// features, `chrono::DateTime<Utc>` and `time::OffsetDateTime`, and for an
/// `Option` of each.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a time type",
    label = "`storage`, `ttl`, `created_at` and `updated_at` need a time field",
    note = "use SystemTime, chrono::DateTime<Utc> or time::OffsetDateTime (or an Option of one)"
)]
pub trait TimeAttribute: Attribute {}

impl TimeAttribute for SystemTime {}
impl<T: TimeAttribute> TimeAttribute for Option<T> {}
#[cfg(feature = "chrono")]
impl TimeAttribute for chrono::DateTime<chrono::Utc> {}
#[cfg(feature = "time")]
impl TimeAttribute for time::OffsetDateTime {}

const MILLIS: &str = "epoch milliseconds";

impl TimeStorage {
    /// Converts a time as its type encodes it (`N` epoch milliseconds) into
    /// this storage.
    pub fn store(self, millis: AttributeValue) -> Result<AttributeValue, AttributeError> {
        if self == Self::Millis {
            return Ok(millis);
        }
        let millis: i64 = read_integer(millis, MILLIS)?;
        Ok(self.from_millis(millis))
    }

    /// Converts a stored value back into `N` epoch milliseconds.
    pub fn read(self, stored: AttributeValue) -> Result<AttributeValue, AttributeError> {
        let millis = match (self, stored) {
            (Self::Millis, stored) => return Ok(stored),
            (Self::Seconds, stored) => {
                let seconds: i64 = read_integer(stored, "epoch seconds")?;
                seconds.checked_mul(1000).ok_or_else(|| {
                    AttributeError::invalid(format!("{seconds} epoch seconds is out of range"))
                })?
            }
            (Self::Iso, AttributeValue::S(text)) => parse_iso(&text).ok_or_else(|| {
                AttributeError::invalid(format!(
                    "{text:?} is not an ISO 8601 time like 2024-05-01T12:00:00.000Z"
                ))
            })?,
            (Self::Iso, other) => return Err(AttributeError::mismatch("S", &other)),
        };
        Ok(AttributeValue::N(
            itoa::Buffer::new().format(millis).to_owned(),
        ))
    }

    /// The time `millis` after 1970 in this storage.
    pub fn from_millis(self, millis: i64) -> AttributeValue {
        match self {
            Self::Millis => AttributeValue::N(itoa::Buffer::new().format(millis).to_owned()),
            Self::Seconds => AttributeValue::N(
                itoa::Buffer::new()
                    .format(millis.div_euclid(1000))
                    .to_owned(),
            ),
            Self::Iso => AttributeValue::S(format_iso(millis)),
        }
    }
}

/// Milliseconds since 1970 now (0 if the clock is before 1970).
pub(crate) fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

const MILLIS_PER_DAY: i64 = 86_400_000;

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`; years outside 0..=9999 as JavaScript writes
/// them (`+010000-01-01...`, `-000001-...`). One allocation.
fn format_iso(millis: i64) -> String {
    use std::fmt::Write;
    let (days, in_day) = (
        millis.div_euclid(MILLIS_PER_DAY),
        millis.rem_euclid(MILLIS_PER_DAY),
    );
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(27);
    let _ = if (0..=9999).contains(&year) {
        write!(out, "{year:04}")
    } else {
        write!(out, "{}{:06}", if year < 0 { '-' } else { '+' }, year.abs())
    };
    let (hour, minute) = (in_day / 3_600_000, in_day / 60_000 % 60);
    let (second, milli) = (in_day / 1000 % 60, in_day % 1000);
    let _ = write!(
        out,
        "-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z"
    );
    out
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (four-digit years) into
/// epoch milliseconds; digits past the millisecond are dropped.
fn parse_iso(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = bytes.get(range)?;
        digits.iter().try_fold(0i64, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| bytes.get(i) != Some(&c))
        || !matches!(bytes.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut milli = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        // The first three digits, padded with zeros: ".5" is 500 ms.
        let mut first = fraction.bytes().take(digits).chain(std::iter::repeat(b'0'));
        for _ in 0..3 {
            milli = milli * 10 + i64::from(first.next()? - b'0');
        }
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digit = |b: &u8| b.is_ascii_digit().then(|| i64::from(b - b'0'));
            let minutes = (digit(h1)? * 10 + digit(h2)?) * 60 + digit(m1)? * 10 + digit(m2)?;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + milli)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> AttributeValue {
        AttributeValue::N(text.into())
    }

    #[test]
    fn iso_matches_javascript_to_iso_string() {
        // Values from node: new Date(ms).toISOString()
        assert_eq!(format_iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_iso(1_709_208_000_123), "2024-02-29T12:00:00.123Z");
        assert_eq!(format_iso(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_iso(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(
            format_iso(253_402_300_800_000),
            "+010000-01-01T00:00:00.000Z"
        );
        assert_eq!(
            format_iso(-62_198_755_200_000),
            "-000001-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn iso_reads_back_with_offsets_and_fractions() {
        for millis in [0, 1, -1, 1_709_208_000_123, 951_782_400_000, -86_400_001] {
            assert_eq!(parse_iso(&format_iso(millis)), Some(millis), "{millis}");
        }
        assert_eq!(
            parse_iso("2024-02-29T14:00:00+02:00"),
            Some(1_709_208_000_000)
        );
        assert_eq!(
            parse_iso("2024-02-29T12:00:00.123456Z"),
            Some(1_709_208_000_123)
        );
        assert_eq!(parse_iso("2024-02-29T12:00:00.5Z"), Some(1_709_208_000_500));
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-01-01",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        /// Every time in four-digit years reads back exactly.
        #[test]
        fn iso_round_trips(millis in -62_135_596_800_000i64..253_402_300_800_000) {
            proptest::prop_assert_eq!(parse_iso(&format_iso(millis)), Some(millis));
        }

        /// The text is chrono's RFC 3339 with milliseconds and `Z`.
        #[cfg(feature = "chrono")]
        #[test]
        fn iso_matches_chrono(millis in -62_135_596_800_000i64..253_402_300_800_000) {
            let chrono = chrono::DateTime::from_timestamp_millis(millis)
                .unwrap()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            proptest::prop_assert_eq!(format_iso(millis), chrono);
        }
    }

    #[test]
    fn storages_convert_both_ways() {
        let stored = TimeStorage::Seconds.store(n("1700000000999")).unwrap();
        assert_eq!(stored, n("1700000000"));
        assert_eq!(
            TimeStorage::Seconds.read(stored).unwrap(),
            n("1700000000000")
        );
        assert_eq!(TimeStorage::Seconds.store(n("-1")).unwrap(), n("-1"));
        let iso = TimeStorage::Iso.store(n("1709208000123")).unwrap();
        assert_eq!(iso, AttributeValue::S("2024-02-29T12:00:00.123Z".into()));
        assert_eq!(TimeStorage::Iso.read(iso).unwrap(), n("1709208000123"));
        assert_eq!(TimeStorage::Millis.store(n("5")).unwrap(), n("5"));
        let error = TimeStorage::Iso.read(n("5")).unwrap_err();
        assert_eq!(error.to_string(), "expected type S, found type N");
        let error = TimeStorage::Iso
            .read(AttributeValue::S("May 1st".into()))
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("\"May 1st\" is not an ISO 8601 time"),
            "{error}"
        );
    }
}
