//! Points in time as `N` epoch milliseconds, as Dynamoose stores a `Date`:
//! `std::time::SystemTime` always, `chrono::DateTime<Utc>` and
//! `time::OffsetDateTime` with the `chrono` and `time` features.
//!
//! Milliseconds are what is stored, so finer precision is dropped: a time is
//! rounded down (towards the past) to its millisecond, also before 1970,
//! where epoch milliseconds are negative.

use super::scalar::read_integer;
use super::{Attribute, AttributeError, KeyAttribute};
use crate::schema::ScalarType;
use aws_sdk_dynamodb::types::AttributeValue;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Writes epoch milliseconds as an `N` value.
fn millis_to_attribute(millis: i64) -> AttributeValue {
    AttributeValue::N(itoa::Buffer::new().format(millis).to_owned())
}

/// Reads epoch milliseconds out of an `N` value; `target` names the type for
/// messages.
fn millis_from_attribute(value: AttributeValue, target: &str) -> Result<i64, AttributeError> {
    read_integer(value, target)
}

/// The error for epoch milliseconds a time type cannot hold.
#[cold]
fn out_of_range(millis: impl std::fmt::Display, target: &str) -> AttributeError {
    AttributeError::invalid(format!("N value {millis} does not fit in {target}"))
}

const SYSTEM_TIME: &str = "SystemTime (epoch milliseconds)";

/// `N` epoch milliseconds; sub-millisecond precision is rounded down.
///
/// ```
/// use dynamo_model::attr::Attribute;
/// use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
///
/// let time = UNIX_EPOCH + Duration::from_micros(1_500_999);
/// assert_eq!(time.to_attribute().unwrap(), Some(AttributeValue::N("1500".into())));
/// let read = SystemTime::from_attribute(AttributeValue::N("1500".into())).unwrap();
/// assert_eq!(read, UNIX_EPOCH + Duration::from_millis(1500));
/// ```
impl Attribute for SystemTime {
    const TYPE_NAME: &'static str = "N";

    #[inline]
    fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
        let millis = match self.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).ok(),
            Err(before) => {
                let before = before.duration();
                // Round towards the past: a partial millisecond counts whole.
                let partial = u128::from(before.subsec_nanos() % 1_000_000 != 0);
                i64::try_from(before.as_millis() + partial)
                    .ok()
                    .map(|millis| -millis)
            }
        };
        match millis {
            Some(millis) => Ok(Some(millis_to_attribute(millis))),
            None => Err(AttributeError::invalid(format!(
                "{self:?} is too far from 1970 to be stored as epoch milliseconds"
            ))),
        }
    }

    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
        let millis = millis_from_attribute(value, SYSTEM_TIME)?;
        let offset = Duration::from_millis(millis.unsigned_abs());
        let time = if millis >= 0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        };
        time.ok_or_else(|| out_of_range(millis, SYSTEM_TIME))
    }
}

impl KeyAttribute for SystemTime {
    const SCALAR: ScalarType = ScalarType::Number;
}

/// `chrono::DateTime<Utc>` as epoch milliseconds (feature `chrono`).
#[cfg(feature = "chrono")]
mod chrono_impl {
    use super::*;
    use chrono::{DateTime, Utc};

    const TARGET: &str = "chrono::DateTime<Utc> (epoch milliseconds)";

    impl Attribute for DateTime<Utc> {
        const TYPE_NAME: &'static str = "N";

        #[inline]
        fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
            // `timestamp_millis` rounds towards the past, like SystemTime.
            Ok(Some(millis_to_attribute(self.timestamp_millis())))
        }

        #[inline]
        fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
            let millis = millis_from_attribute(value, TARGET)?;
            DateTime::from_timestamp_millis(millis).ok_or_else(|| out_of_range(millis, TARGET))
        }
    }

    impl KeyAttribute for DateTime<Utc> {
        const SCALAR: ScalarType = ScalarType::Number;
    }
}

/// `time::OffsetDateTime` as epoch milliseconds (feature `time`); the offset
/// is not stored, so values read back are in UTC.
#[cfg(feature = "time")]
mod time_impl {
    use super::*;
    use ::time::OffsetDateTime;

    const TARGET: &str = "time::OffsetDateTime (epoch milliseconds)";
    const NANOS_PER_MILLI: i128 = 1_000_000;

    impl Attribute for OffsetDateTime {
        const TYPE_NAME: &'static str = "N";

        #[inline]
        fn to_attribute(&self) -> Result<Option<AttributeValue>, AttributeError> {
            let millis = self.unix_timestamp_nanos().div_euclid(NANOS_PER_MILLI);
            // Years up to ±999,999 are about 3E+16 ms: always an i64.
            let millis = i64::try_from(millis).map_err(|_| {
                AttributeError::invalid(format!(
                    "{self} is too far from 1970 to be stored as epoch milliseconds"
                ))
            })?;
            Ok(Some(millis_to_attribute(millis)))
        }

        #[inline]
        fn from_attribute(value: AttributeValue) -> Result<Self, AttributeError> {
            let millis = millis_from_attribute(value, TARGET)?;
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * NANOS_PER_MILLI)
                .map_err(|_| out_of_range(millis, TARGET))
        }
    }

    impl KeyAttribute for OffsetDateTime {
        const SCALAR: ScalarType = ScalarType::Number;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::AttributeErrorKind;

    fn n(text: &str) -> AttributeValue {
        AttributeValue::N(text.into())
    }

    fn stored<T: Attribute>(value: &T) -> AttributeValue {
        value.to_attribute().unwrap().expect("stores a value")
    }

    fn invalid(error: AttributeError) -> String {
        match error.kind {
            AttributeErrorKind::Invalid(reason) => reason,
            other => panic!("not an invalid value: {other:?}"),
        }
    }

    #[test]
    fn system_times_are_epoch_milliseconds_rounded_down() {
        let after = UNIX_EPOCH + Duration::from_nanos(1_700_000_000_123_999_999);
        assert_eq!(stored(&after), n("1700000000123"));
        let before = UNIX_EPOCH - Duration::from_micros(500);
        assert_eq!(stored(&before), n("-1"));
        let before = UNIX_EPOCH - Duration::from_millis(86_400_000);
        assert_eq!(stored(&before), n("-86400000"));
        assert_eq!(stored(&UNIX_EPOCH), n("0"));
        assert_eq!(<SystemTime as KeyAttribute>::SCALAR, ScalarType::Number);
    }

    #[test]
    fn system_times_read_back() {
        for millis in [0i64, 1, -1, 1_700_000_000_123, -86_400_001] {
            let time = SystemTime::from_attribute(n(&millis.to_string())).unwrap();
            assert_eq!(stored(&time), n(&millis.to_string()));
        }
        let time = SystemTime::from_attribute(n("1.7E+12")).unwrap();
        assert_eq!(time, UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    }

    #[test]
    fn system_time_errors_name_the_unit() {
        assert_eq!(
            invalid(SystemTime::from_attribute(n("1.5")).unwrap_err()),
            "N value 1.5 is not an integer, so it cannot be read as SystemTime (epoch milliseconds)"
        );
        assert_eq!(
            invalid(SystemTime::from_attribute(n("1e30")).unwrap_err()),
            "N value 1e30 does not fit in SystemTime (epoch milliseconds)"
        );
        let error = SystemTime::from_attribute(AttributeValue::S("2024-01-01".into())).unwrap_err();
        assert_eq!(error.to_string(), "expected type N, found type S");
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_times_are_epoch_milliseconds() {
        use chrono::{DateTime, TimeZone, Utc};
        let time = Utc.with_ymd_and_hms(2024, 2, 29, 12, 0, 0).unwrap();
        assert_eq!(stored(&time), n("1709208000000"));
        assert_eq!(
            DateTime::<Utc>::from_attribute(stored(&time)).unwrap(),
            time
        );
        let before = DateTime::<Utc>::UNIX_EPOCH - chrono::Duration::microseconds(1);
        assert_eq!(stored(&before), n("-1"));
        assert_eq!(
            invalid(DateTime::<Utc>::from_attribute(n(&i64::MAX.to_string())).unwrap_err()),
            format!(
                "N value {} does not fit in chrono::DateTime<Utc> (epoch milliseconds)",
                i64::MAX
            )
        );
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_offset_date_times_are_epoch_milliseconds_read_as_utc() {
        use ::time::{Duration as TimeDuration, OffsetDateTime, UtcOffset};
        let time = OffsetDateTime::from_unix_timestamp(1_709_208_000).unwrap()
            + TimeDuration::nanoseconds(5_999_999);
        assert_eq!(stored(&time), n("1709208000005"));
        let east = time.to_offset(UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(stored(&east), n("1709208000005"));
        let read = OffsetDateTime::from_attribute(stored(&east)).unwrap();
        assert_eq!(read.offset(), UtcOffset::UTC);
        assert_eq!(read, time - TimeDuration::nanoseconds(999_999));
        let before = OffsetDateTime::UNIX_EPOCH - TimeDuration::nanoseconds(1);
        assert_eq!(stored(&before), n("-1"));
        assert_eq!(
            invalid(OffsetDateTime::from_attribute(n("1e17")).unwrap_err()),
            "N value 100000000000000000 does not fit in time::OffsetDateTime (epoch milliseconds)"
        );
    }
}
