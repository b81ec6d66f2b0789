//! Item size as DynamoDB computes it, to reject items over 400 KB before
//! sending them.
//!
//! The rules (from the DynamoDB developer guide, "Item sizes and formats"):
//! strings and binaries count their bytes; a number about one byte per two
//! significant digits plus one (exactly: see `number_size`); booleans and
//! nulls one byte; lists and maps 3 bytes plus one byte and the size of each
//! element (and a map's key); sets the sum of their elements. Every
//! attribute adds the bytes of its name. The tests hold sizes measured
//! against DynamoDB Local's item size limit.

use super::number::Decimal;
use super::Item;
use aws_sdk_dynamodb::types::AttributeValue;

/// DynamoDB's maximum item size: 400 KB.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

/// The size DynamoDB charges for `item`, names included.
pub fn item_size(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

/// The size of one attribute value, without its name.
pub fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(list) => 3 + list.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, v)| 1 + k.len() + value_size(v))
                .sum::<usize>()
        }
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(set) => set.iter().map(|b| b.as_ref().len()).sum(),
        _ => 0,
    }
}

/// The most a number takes: 19 or 20 digit pairs are cut to this.
const MAX_NUMBER_SIZE: usize = 21;

/// A number is stored as base-100 digits aligned on the decimal point
/// (`1.001` is `01|00|10`, three pairs; `1001` is `10|01`, two), without
/// zero pairs at either end, plus one byte of exponent and one more when it
/// is negative; at most 21 bytes. Zero takes one byte.
///
/// These are the sizes DynamoDB Local's 400 KB check charges, found by
/// filling an item up to the limit next to each number tested below.
fn number_size(number: &str) -> usize {
    // Text that is no number is rejected by DynamoDB; assume the worst.
    let Some(decimal) = Decimal::parse(number) else {
        return MAX_NUMBER_SIZE;
    };
    let Some(digits) = decimal.significant() else {
        return 1;
    };
    let pairs = digits.highest().div_euclid(2) - digits.lowest.div_euclid(2) + 1;
    let size =
        usize::try_from(pairs).unwrap_or(MAX_NUMBER_SIZE) + 1 + usize::from(decimal.negative);
    size.min(MAX_NUMBER_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each size was measured with DynamoDB Local 3.3.1: the largest binary
    /// attribute an item with the number still takes under 400 KB.
    #[test]
    fn numbers_take_the_bytes_dynamodb_charges() {
        for (number, size) in [
            ("0", 1),
            ("1", 2),
            ("12", 2),
            ("123", 3),
            ("100", 2),
            ("1200", 2),
            ("-1", 3),
            ("-1200", 3),
            ("-0.5", 3),
            ("1.001", 4),
            ("0.00123", 3),
            ("1.5E+10", 3),
            ("1e125", 2),
            ("-1e-130", 3),
            ("9.999999999999998e125", 9),
            ("-9.999999999999998e125", 10),
            ("1.0000000000000003e-130", 10),
            ("-1.47610082212025e-95", 10),
            ("-5.051719178324679e-110", 11),
            ("-1.2943741e-23", 6),
            ("12345678901234567890123456789012345678", 20),
            ("-12345678901234567890123456789012345678", 21),
            ("1.2345678901234567890123456789012345678", 21),
            ("-1.2345678901234567890123456789012345678", 21),
        ] {
            assert_eq!(number_size(number), size, "{number}");
        }
    }

    #[test]
    fn number_size_ignores_spelling() {
        assert_eq!(number_size("-0.000"), 1);
        assert_eq!(number_size("1.5E+10"), number_size("15000000000"));
        assert_eq!(number_size("0.00123"), number_size("1.23e-3"));
        assert_eq!(number_size("not a number"), MAX_NUMBER_SIZE);
    }

    /// Measured with DynamoDB Local 3.3.1 like the numbers above.
    #[test]
    fn scalars_sets_lists_and_maps_take_what_dynamodb_charges() {
        use aws_smithy_types::Blob;
        let s = |text: &str| AttributeValue::S(text.into());
        let n = |text: &str| AttributeValue::N(text.into());
        let map = |entries: Vec<(&str, AttributeValue)>| {
            AttributeValue::M(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            )
        };
        for (value, size) in [
            (AttributeValue::Bool(true), 1),
            (AttributeValue::Null(true), 1),
            (s(""), 0),
            (s("é"), 2),
            (AttributeValue::L(vec![]), 3),
            (AttributeValue::L(vec![s("ab")]), 6),
            (AttributeValue::L(vec![n("1"), n("1")]), 9),
            (AttributeValue::L(vec![AttributeValue::L(vec![])]), 7),
            (map(vec![]), 3),
            (map(vec![("k", s("ab"))]), 7),
            (
                map(vec![("k", map(vec![("kk", AttributeValue::Null(true))]))]),
                12,
            ),
            (AttributeValue::Ss(vec!["a".into()]), 1),
            (AttributeValue::Ss(vec!["a".into(), "bc".into()]), 3),
            (AttributeValue::Ns(vec!["1".into(), "-1".into()]), 5),
            (AttributeValue::Bs(vec![Blob::new(b"YWJj".to_vec())]), 4),
        ] {
            assert_eq!(value_size(&value), size, "{value:?}");
        }
    }

    #[test]
    fn item_counts_names_and_values() {
        let mut item = Item::new();
        item.insert("id".into(), AttributeValue::S("abc".into()));
        item.insert("ok".into(), AttributeValue::Bool(true));
        item.insert(
            "l".into(),
            AttributeValue::L(vec![AttributeValue::S("xy".into())]),
        );
        assert_eq!(item_size(&item), (2 + 3) + (2 + 1) + (1 + 3 + 1 + 2));
    }
}
