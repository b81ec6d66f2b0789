//! Cursors: where a query or scan stopped, as an opaque string a caller can
//! hand to an HTTP client and give back to `start_after` later.
//!
//! A cursor is URL-safe base64 (no padding) of a small versioned record: the
//! operation (query or scan), the model's table name (before any client
//! prefix or suffix, so a cursor survives a fresh client of the same
//! environment), the index, the scan segment, and the key attributes of the
//! position (what DynamoDB's `ExclusiveStartKey` takes). Giving a cursor to a
//! read it did not come from is an [`Error::InvalidCursor`], never a wrong
//! page.
//!
//! **What a cursor reveals.** A cursor is not encrypted: anyone holding it
//! can read the table and index names and the key of the last item returned
//! (a user id, an email used as a key). A plain cursor can also be edited,
//! to start elsewhere in the same index. For cursors handed to web clients,
//! give the client a secret with [`Client::with_cursor_key`]: its cursors
//! then carry an HMAC-SHA256 tag, and a cursor that was changed, is unsigned
//! or was signed with another key is [`Error::InvalidCursor`]. Signing makes
//! cursors tamper-proof, not secret; to hide the key values, keep the cursor
//! on the server and hand out an id of it.
//!
//! [`Client::with_cursor_key`]: crate::Client::with_cursor_key

use crate::attr::Item;
use crate::schema::{KeySchema, ScalarType};
use crate::{Error, Result};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The format version written first; decoding refuses any other.
const VERSION: u8 = 1;

/// The format version of a signed cursor: the record, then its tag.
const SIGNED: u8 = 2;

/// Bytes of the HMAC-SHA256 tag a signed cursor carries (the left half).
const TAG_LENGTH: usize = 16;

/// The secret a client signs its cursors with ([`Client::with_cursor_key`]).
///
/// [`Client::with_cursor_key`]: crate::Client::with_cursor_key
#[derive(Clone)]
pub(crate) struct CursorKey(std::sync::Arc<[u8]>);

impl CursorKey {
    pub fn new(secret: &[u8]) -> Self {
        Self(secret.into())
    }

    fn mac(&self, record: &[u8]) -> Hmac<Sha256> {
        // HMAC takes keys of any length.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        mac.update(record);
        mac
    }
}

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

/// What a cursor is tied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scope {
    /// The model, for error messages only.
    pub model: &'static str,
    pub operation: Operation,
    /// The model's table name, without the client's prefix and suffix.
    pub table: &'static str,
    /// The index name; `None` for the table.
    pub index: Option<&'static str>,
    /// `(segment, total segments)` of a segmented scan.
    pub segment: Option<(u32, u32)>,
}

/// The operation a cursor continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Query,
    Scan,
}

impl Operation {
    fn tag(self) -> u8 {
        match self {
            Self::Query => b'Q',
            Self::Scan => b'S',
        }
    }

    fn word(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Scan => "scan",
        }
    }
}

/// Encodes the position `item` (a returned item or a `LastEvaluatedKey`)
/// holds for `keys`, signed with `key` if there is one.
pub(crate) fn encode(
    scope: &Scope,
    keys: &[KeySchema],
    item: &Item,
    key: Option<&CursorKey>,
) -> Result<String> {
    let version = if key.is_some() { SIGNED } else { VERSION };
    let mut out = vec![version, scope.operation.tag()];
    let (segment, total) = scope.segment.unwrap_or((0, 0));
    out.extend_from_slice(&segment.to_be_bytes());
    out.extend_from_slice(&total.to_be_bytes());
    put_text(&mut out, scope.table);
    put_text(&mut out, scope.index.unwrap_or(""));
    out.push(keys.len() as u8);
    for key in keys {
        let (tag, bytes): (u8, &[u8]) = match item.get(key.name) {
            Some(AttributeValue::S(s)) => (b'S', s.as_bytes()),
            Some(AttributeValue::N(n)) => (b'N', n.as_bytes()),
            Some(AttributeValue::B(b)) => (b'B', b.as_ref()),
            _ => {
                return Err(Error::InvalidCursor {
                    model: scope.model,
                    reason: format!(
                        "the item to continue after has no scalar key attribute `{}`",
                        key.name
                    ),
                })
            }
        };
        put_text(&mut out, key.name);
        out.push(tag);
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    if let Some(key) = key {
        let tag = key.mac(&out).finalize().into_bytes();
        out.extend_from_slice(&tag[..TAG_LENGTH]);
    }
    Ok(URL_SAFE_NO_PAD.encode(out))
}

/// Decodes a cursor into an `ExclusiveStartKey`, checking it is signed with
/// `key` (when there is one), belongs to `scope` and holds exactly `keys`.
pub(crate) fn decode(
    scope: &Scope,
    keys: &[KeySchema],
    cursor: &str,
    key: Option<&CursorKey>,
) -> Result<Item> {
    let invalid = |reason: String| Error::InvalidCursor {
        model: scope.model,
        reason,
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| invalid("it is not a dynamo-model cursor (not URL-safe base64)".into()))?;
    let damaged = || invalid("it is damaged or cut short".into());
    let record = match (bytes.first().copied(), key) {
        (Some(SIGNED), Some(key)) => {
            let at = bytes.len().checked_sub(TAG_LENGTH).ok_or_else(damaged)?;
            let (record, tag) = bytes.split_at(at);
            key.mac(record).verify_truncated_left(tag).map_err(|_| {
                invalid(
                    "its signature does not match: it was changed, or signed with another key"
                        .into(),
                )
            })?;
            record
        }
        (Some(SIGNED), None) => {
            return Err(invalid(
                "it is signed, and this client has no cursor key (Client::with_cursor_key)".into(),
            ))
        }
        (Some(VERSION), Some(_)) => {
            return Err(invalid(
                "it is not signed, and this client only takes cursors signed with its key".into(),
            ))
        }
        _ => &bytes[..],
    };
    let mut reader = Reader(record);
    let version = reader.byte().ok_or_else(damaged)?;
    if version != VERSION && version != SIGNED {
        return Err(invalid(format!(
            "it has format version {version}, and this version of dynamo-model reads versions {VERSION} and {SIGNED}"
        )));
    }
    let operation = reader.byte().ok_or_else(damaged)?;
    if operation != scope.operation.tag() {
        let other = if operation == Operation::Query.tag() {
            Operation::Query
        } else {
            Operation::Scan
        };
        return Err(invalid(format!(
            "it comes from a {}, and this is a {}",
            other.word(),
            scope.operation.word()
        )));
    }
    let segment = (
        reader.u32().ok_or_else(damaged)?,
        reader.u32().ok_or_else(damaged)?,
    );
    let table = reader.text().ok_or_else(damaged)?;
    let index = reader.text().ok_or_else(damaged)?;
    if table != scope.table {
        return Err(invalid(format!(
            "it comes from table `{table}`, and this {} reads table `{}`",
            scope.operation.word(),
            scope.table
        )));
    }
    if index != scope.index.unwrap_or("") {
        let describe = |name: &str| match name {
            "" => "the table itself".to_owned(),
            name => format!("index `{name}`"),
        };
        return Err(invalid(format!(
            "it comes from {}, and this {} reads {}",
            describe(index),
            scope.operation.word(),
            describe(scope.index.unwrap_or(""))
        )));
    }
    if segment != scope.segment.unwrap_or((0, 0)) {
        let describe = |(segment, total): (u32, u32)| match total {
            0 => "an unsegmented scan".to_owned(),
            _ => format!("segment {segment} of {total}"),
        };
        return Err(invalid(format!(
            "it comes from {}, and this is {}",
            describe(segment),
            describe(scope.segment.unwrap_or((0, 0)))
        )));
    }
    let count = reader.byte().ok_or_else(damaged)?;
    let mut item = Item::with_capacity(count.into());
    for _ in 0..count {
        let name = reader.text().ok_or_else(damaged)?;
        let tag = reader.byte().ok_or_else(damaged)?;
        let length = reader.u32().ok_or_else(damaged)?;
        let value = reader.take(length as usize).ok_or_else(damaged)?;
        let Some(key) = keys.iter().find(|k| k.name == name) else {
            return Err(invalid(format!(
                "it holds attribute `{name}`, which is not a key here"
            )));
        };
        let text = || String::from_utf8(value.to_vec()).map_err(|_| damaged());
        let value = match (tag, key.scalar) {
            (b'S', ScalarType::String) => AttributeValue::S(text()?),
            (b'N', ScalarType::Number) => AttributeValue::N(text()?),
            (b'B', ScalarType::Binary) => AttributeValue::B(Blob::new(value)),
            _ => {
                return Err(invalid(format!(
                    "its key `{name}` has another type than the key here"
                )))
            }
        };
        item.insert(name.to_owned(), value);
    }
    if !reader.0.is_empty() || item.len() != keys.len() {
        return Err(damaged());
    }
    Ok(item)
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u16).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// Reads the record front to back; `None` when it ends too early.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_be_bytes)
    }

    fn text(&mut self) -> Option<&'a str> {
        let length = u16::from_be_bytes(self.take(2)?.try_into().ok()?);
        std::str::from_utf8(self.take(length.into())?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[KeySchema] = &[
        KeySchema {
            name: "pk",
            scalar: ScalarType::String,
        },
        KeySchema {
            name: "sk",
            scalar: ScalarType::Number,
        },
    ];

    fn scope() -> Scope {
        Scope {
            model: "Order",
            operation: Operation::Query,
            table: "orders",
            index: None,
            segment: None,
        }
    }

    fn position() -> Item {
        Item::from([
            ("pk".to_owned(), AttributeValue::S("c/1 ü".into())),
            ("sk".to_owned(), AttributeValue::N("-12.5".into())),
            ("other".to_owned(), AttributeValue::Bool(true)),
        ])
    }

    #[test]
    fn round_trip_keeps_only_the_keys() {
        let cursor = encode(&scope(), KEYS, &position(), None).unwrap();
        assert!(cursor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let mut expected = position();
        expected.remove("other");
        assert_eq!(decode(&scope(), KEYS, &cursor, None).unwrap(), expected);
    }

    #[test]
    fn another_scope_is_refused_with_the_reason() {
        let cursor = encode(&scope(), KEYS, &position(), None).unwrap();
        let refused = |scope: Scope| decode(&scope, KEYS, &cursor, None).unwrap_err().to_string();
        let index = Scope {
            index: Some("by_date"),
            ..scope()
        };
        assert!(refused(index)
            .contains("comes from the table itself, and this query reads index `by_date`"));
        let table = Scope {
            table: "users",
            ..scope()
        };
        assert!(refused(table).contains("comes from table `orders`"));
        let scan = Scope {
            operation: Operation::Scan,
            ..scope()
        };
        assert!(refused(scan).contains("comes from a query, and this is a scan"));
        let segment = Scope {
            operation: Operation::Scan,
            segment: Some((1, 4)),
            ..scope()
        };
        let scan_cursor = encode(
            &Scope {
                segment: Some((0, 4)),
                ..segment
            },
            KEYS,
            &position(),
            None,
        )
        .unwrap();
        let error = decode(&segment, KEYS, &scan_cursor, None).unwrap_err();
        assert!(error.is_invalid_cursor());
        assert!(error.to_string().contains("segment 0 of 4"), "{error}");
    }

    #[test]
    fn garbage_and_other_keys_are_refused() {
        let cursor = encode(&scope(), KEYS, &position(), None).unwrap();
        for bad in ["", "!!", "AQ", &cursor[..cursor.len() - 3]] {
            assert!(
                decode(&scope(), KEYS, bad, None)
                    .unwrap_err()
                    .is_invalid_cursor(),
                "{bad}"
            );
        }
        let string_sk = [
            KEYS[0],
            KeySchema {
                name: "sk",
                scalar: ScalarType::String,
            },
        ];
        let error = decode(&scope(), &string_sk, &cursor, None).unwrap_err();
        assert!(
            error.to_string().contains("`sk` has another type"),
            "{error}"
        );
        let error = decode(&scope(), &KEYS[..1], &cursor, None).unwrap_err();
        assert!(
            error.to_string().contains("`sk`, which is not a key here"),
            "{error}"
        );
    }

    #[test]
    fn an_item_without_its_keys_cannot_be_a_position() {
        let mut item = position();
        item.remove("sk");
        let error = encode(&scope(), KEYS, &item, None).unwrap_err();
        assert!(error.to_string().contains("no scalar key attribute `sk`"));
    }

    #[test]
    fn signed_cursors_refuse_tampering_other_keys_and_plain_cursors() {
        let key = CursorKey::new(b"server secret");
        let signed = encode(&scope(), KEYS, &position(), Some(&key)).unwrap();
        let mut expected = position();
        expected.remove("other");
        assert_eq!(
            decode(&scope(), KEYS, &signed, Some(&key)).unwrap(),
            expected
        );

        let refused = |cursor: &str, key: Option<&CursorKey>| {
            let error = decode(&scope(), KEYS, cursor, key).unwrap_err();
            assert!(error.is_invalid_cursor());
            error.to_string()
        };
        // One changed byte anywhere in the record.
        let mut bytes = URL_SAFE_NO_PAD.decode(&signed).unwrap();
        let last_key_byte = bytes.len() - TAG_LENGTH - 1;
        bytes[last_key_byte] ^= 1;
        let tampered = URL_SAFE_NO_PAD.encode(&bytes);
        assert!(refused(&tampered, Some(&key)).contains("signature does not match"));
        let other = CursorKey::new(b"another secret");
        assert!(refused(&signed, Some(&other)).contains("signature does not match"));
        let plain = encode(&scope(), KEYS, &position(), None).unwrap();
        assert!(refused(&plain, Some(&key)).contains("not signed"));
        assert!(refused(&signed, None).contains("no cursor key"));
        assert!(refused("Ag", Some(&key)).contains("damaged"));
    }
}
