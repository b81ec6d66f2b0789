//! Item size as DynamoDB computes it, to reject items over 400 KB before
//! sending them.
//!
//! The rules (from the DynamoDB developer guide, "Item sizes and formats"):
//! strings and binaries count their bytes; a number counts one byte per two
//! significant digits plus one; booleans and nulls one byte; lists and maps 3
//! bytes plus one byte and the size of each element (and a map's key); sets
//! the sum of their elements. Every attribute adds the bytes of its name.

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

/// One byte per two significant digits, plus one.
fn number_size(number: &str) -> usize {
    let mantissa = number.split(['e', 'E']).next().unwrap_or_default();
    let digits = mantissa.bytes().filter(u8::is_ascii_digit);
    // Positions (among the digits) of the first and last non-zero digit.
    let mut first = None;
    let mut last = 0;
    for (position, digit) in digits.enumerate() {
        if digit != b'0' {
            first.get_or_insert(position);
            last = position;
        }
    }
    let significant = first.map_or(1, |first| last - first + 1);
    significant.div_ceil(2) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_significant_digits() {
        assert_eq!(number_size("0"), 2);
        assert_eq!(number_size("12"), 2);
        assert_eq!(number_size("123"), 3);
        assert_eq!(number_size("-1200"), 2);
        assert_eq!(number_size("0.00123"), 3);
        assert_eq!(number_size("1.5E+10"), 2);
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
