//! Operations, one module per family. Each is a builder that can be awaited
//! (or `.send()`), and hands back the SDK builder for anything not covered.

pub mod batch;
pub mod cursor;
pub mod item;
pub mod pages;
pub mod query;
pub mod scan;
pub mod table;
pub mod transaction;
pub mod update;

use crate::attr::{item_size, Item, MAX_ITEM_SIZE};
use crate::expr::{Condition, Placeholders};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use std::fmt::Write;

/// Renders a key item for error messages: `{id: "u1", sk: 5}`.
pub(crate) fn describe_key<M: Model>(item: &Item) -> String {
    describe_attributes(M::SCHEMA.key_attributes().map(|key| key.name), item)
}

/// Renders the attributes `names` of `item` for error messages.
pub(crate) fn describe_attributes<'a>(names: impl Iterator<Item = &'a str>, item: &Item) -> String {
    let mut out = String::from("{");
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = match item.get(name) {
            Some(AttributeValue::S(s)) => write!(out, "{name}: {s:?}"),
            Some(AttributeValue::N(n)) => write!(out, "{name}: {n}"),
            Some(AttributeValue::B(b)) => write!(out, "{name}: <{} bytes>", b.as_ref().len()),
            _ => write!(out, "{name}: <missing>"),
        };
    }
    out.push('}');
    out
}

/// Validates and encodes `item` for a write, rejecting what DynamoDB would
/// reject: items over 400 KB (key values are checked by the generated
/// `to_item`). Every write of a whole item goes through here.
pub(crate) fn item_for_write<M: Model>(item: &M) -> Result<Item> {
    item.validate()?;
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

/// `a AND b`, where either may be absent.
pub(crate) fn and(a: Option<Condition>, b: Option<Condition>) -> Option<Condition> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a & b),
        (a, b) => a.or(b),
    }
}

/// The expression parts of a request: condition, names, values.
pub(crate) struct Rendered {
    pub condition: Option<String>,
    pub names: Option<HashMap<String, String>>,
    pub values: Option<Item>,
}

impl Rendered {
    /// Renders `condition` (if any) with the placeholders used so far.
    pub fn new<M: Model>(
        condition: Option<&Condition>,
        mut placeholders: Placeholders,
    ) -> Result<Self> {
        let condition = condition
            .map(|c| c.render_for(M::SCHEMA.model, "condition", &mut placeholders))
            .transpose()?;
        let (names, values) = placeholders.into_maps();
        Ok(Self {
            condition,
            names,
            values,
        })
    }
}

/// What a failed write condition means: the item, as stored at the time, is
/// returned by DynamoDB (we always ask for it; it costs no capacity).
pub(crate) fn condition_failed<M: Model>(
    operation: &'static str,
    key: Item,
    stored: Option<Item>,
) -> Error {
    let stored = stored.filter(|item| !item.is_empty());
    Error::ConditionalCheckFailed {
        model: M::SCHEMA.model,
        operation,
        key: describe_key::<M>(&key),
        item: stored.map(Box::new),
    }
}
