//! Operations, one module per family. Each is a builder that can be awaited
//! (or `.send()`), and hands back the SDK builder for anything not covered.

pub mod cursor;
pub mod item;
pub mod pages;
pub mod query;
pub mod scan;
pub mod table;

use crate::attr::{item_size, Item, MAX_ITEM_SIZE};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::AttributeValue;
use std::fmt::Write;

/// Renders a key item for error messages: `{id: "u1", sk: 5}`.
pub(crate) fn describe_key<M: Model>(item: &Item) -> String {
    let mut out = String::from("{");
    for (i, key) in M::SCHEMA.key_attributes().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = match item.get(key.name) {
            Some(AttributeValue::S(s)) => write!(out, "{}: {s:?}", key.name),
            Some(AttributeValue::N(n)) => write!(out, "{}: {n}", key.name),
            Some(AttributeValue::B(b)) => write!(out, "{}: <{} bytes>", key.name, b.as_ref().len()),
            _ => write!(out, "{}: <missing>", key.name),
        };
    }
    out.push('}');
    out
}

/// Encodes `item` for a write, rejecting what DynamoDB would reject: items
/// over 400 KB (key values are checked by the generated `to_item`).
pub(crate) fn item_for_write<M: Model>(item: &M) -> Result<Item> {
    let item = item.to_item()?;
    let size = item_size(&item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::ItemTooLarge {
            model: M::SCHEMA.model,
            key: describe_key::<M>(&item),
            size,
            limit: MAX_ITEM_SIZE,
        });
    }
    Ok(item)
}
