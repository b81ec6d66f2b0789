//! Operations, one module per family. Each is a builder that can be awaited
//! (or `.send()`), and hands back the SDK builder for anything not covered.

pub mod batch;
pub mod builder;
pub mod cursor;
pub mod item;
pub mod pages;
pub mod query;
pub mod scan;
pub mod table;
pub mod transaction;
pub mod update;
mod write;

use crate::attr::{item_size, now_millis, Item, MAX_ITEM_SIZE};
use crate::expr::{Comparator, Compared, Condition, Placeholders, Scalar};
use crate::hooks::{Hooked, WriteKind};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use std::fmt::Write;

/// The key of an encoded item of model `M`.
pub(crate) fn key_of<M: Model>(item: &Item) -> Item {
    M::SCHEMA
        .key_attributes()
        .filter_map(|key| Some((key.name.to_owned(), item.get(key.name)?.clone())))
        .collect()
}

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
        let _ = write!(out, "{name}: {}", Scalar(item.get(name)));
    }
    out.push('}');
    out
}

/// Encodes `item` for a write — defaults, transforms and rules are applied
/// by the generated `to_item` — stamps its timestamps, runs the model's
/// `before_write` hook (which may add to `condition`), and rejects what
/// DynamoDB would reject: items over 400 KB (key values are checked by
/// `to_item`). Every write of a whole item goes through here.
pub(crate) fn item_for_write<M: Model>(
    item: &M,
    hooks: Hooked,
    condition: &mut Option<Condition>,
) -> Result<Item> {
    let mut item = item.to_item()?;
    stamp::<M>(&mut item);
    hooks.write(&mut item, WriteKind::Put, condition)?;
    check_size::<M>(&item)?;
    Ok(item)
}

/// Refuses an item over DynamoDB's 400 KB.
pub(crate) fn check_size<M: Model>(item: &Item) -> Result<()> {
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::ItemTooLarge {
            model: M::SCHEMA.model,
            key: describe_key::<M>(item),
            size,
            limit: MAX_ITEM_SIZE,
        });
    }
    Ok(())
}

/// Sets the timestamps of a whole-item write: `updated_at` is now;
/// `created_at` keeps the struct's value, or is now when that is `None`.
/// (`save` and `update` also keep a `created_at` already stored.)
fn stamp<M: Model>(item: &mut Item) {
    let now = now_millis();
    if let Some(updated) = M::SCHEMA.updated_at {
        item.insert(updated.name.to_owned(), updated.storage.from_millis(now));
    }
    if let Some(created) = M::SCHEMA.created_at {
        item.entry(created.name.to_owned())
            .or_insert_with(|| created.storage.from_millis(now));
    }
}

/// The TTL attribute of a model that hides expired items: DynamoDB deletes
/// expired items only within a few days, so reads leave them out.
pub(crate) fn hidden_ttl<M: Model>() -> Option<&'static str> {
    M::SCHEMA.ttl.filter(|_| M::SCHEMA.hide_expired)
}

/// Whether `item`'s TTL has passed, for a model that hides expired items.
pub(crate) fn expired<M: Model>(item: &Item) -> bool {
    let Some(ttl) = hidden_ttl::<M>() else {
        return false;
    };
    let now = now_millis().div_euclid(1000);
    match item.get(ttl) {
        Some(AttributeValue::N(seconds)) => seconds.parse::<i64>().is_ok_and(|at| at <= now),
        _ => false,
    }
}

/// The filter that leaves out expired items, if the model hides them.
pub(crate) fn unexpired<M: Model>() -> Option<Condition> {
    let path = crate::expr::AttributePath::root(hidden_ttl::<M>()?);
    let now = AttributeValue::N(now_millis().div_euclid(1000).to_string());
    Some(
        Condition::function("attribute_not_exists", &path, None)
            | Condition::compare(&path, Compared::Value, Comparator::Gt, Ok(now)),
    )
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
