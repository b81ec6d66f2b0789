//! Update expressions: the actions of `Model::update`, rendered into
//! DynamoDB's `SET` / `REMOVE` / `ADD` / `DELETE` clauses.
//!
//! A nested path updates only that member (`SET address.city = :v`): the
//! rest of the map is kept, unlike writing the whole document.

use super::path::AttributePath;
use super::render::{BadOperand, Placeholders};
use super::value::Operand;
use crate::attr::{Attribute, SetElement};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};

/// Attribute types `increment` and `decrement` work on: Rust numbers. A
/// newtype stored as a number may implement it.
#[diagnostic::on_unimplemented(
    message = "`increment` and `decrement` need a number attribute, and `{Self}` is not a number",
    label = "not a number attribute",
    note = "to change a string, a list or a set use `set`, `append`, `add` or `delete`"
)]
pub trait Numeric: Attribute {}

/// Attribute types DynamoDB's `ADD` works on: numbers (added to) and sets
/// (elements put in).
#[diagnostic::on_unimplemented(
    message = "`add` needs a number or set attribute, and `{Self}` is neither",
    label = "not a number or set attribute",
    note = "to add to a list use `append`; to replace a value use `set`"
)]
pub trait Addable: Attribute {}

/// Attribute types DynamoDB's `DELETE` works on: sets, whose elements it
/// takes out.
#[diagnostic::on_unimplemented(
    message = "`delete` takes elements out of a set, and `{Self}` is not a set",
    label = "not a set attribute",
    note = "to remove an attribute, a list element or a map entry use `remove`"
)]
pub trait SetType: Addable {}

macro_rules! numeric {
    ($($number:ty),*) => {$(
        impl Numeric for $number {}
        impl Addable for $number {}
    )*};
}

numeric!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64);

impl<T: SetElement + Eq + Hash, S: BuildHasher + Default> Addable for HashSet<T, S> {}
impl<T: SetElement + Eq + Hash, S: BuildHasher + Default> SetType for HashSet<T, S> {}
impl<T: SetElement + Ord> Addable for BTreeSet<T> {}
impl<T: SetElement + Ord> SetType for BTreeSet<T> {}

/// One update action.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// `SET path = value`.
    Set(AttributePath, Operand),
    /// `SET path = if_not_exists(path, value)`.
    SetIfNotExists(AttributePath, Operand),
    /// `SET path = if_not_exists(path, 0) + value`.
    Increment(AttributePath, Operand),
    /// `SET path = if_not_exists(path, 0) - value`.
    Decrement(AttributePath, Operand),
    /// `SET path = list_append(if_not_exists(path, []), values)`.
    Append(AttributePath, Operand),
    /// `SET path = list_append(values, if_not_exists(path, []))`.
    Prepend(AttributePath, Operand),
    /// `REMOVE path`.
    Remove(AttributePath),
    /// `ADD path value` (a number, or elements of a set).
    Add(AttributePath, Operand),
    /// `DELETE path value` (elements of a set).
    Delete(AttributePath, Operand),
}

impl Action {
    pub fn path(&self) -> &AttributePath {
        match self {
            Self::Set(path, _)
            | Self::SetIfNotExists(path, _)
            | Self::Increment(path, _)
            | Self::Decrement(path, _)
            | Self::Append(path, _)
            | Self::Prepend(path, _)
            | Self::Remove(path)
            | Self::Add(path, _)
            | Self::Delete(path, _) => path,
        }
    }
}

/// Renders `actions` as one update expression.
pub(crate) fn render(actions: &[Action], p: &mut Placeholders) -> Result<String, BadOperand> {
    let mut set = Vec::new();
    let mut remove = Vec::new();
    let mut add = Vec::new();
    let mut delete = Vec::new();
    for action in actions {
        let mut out = String::new();
        let path = action.path();
        p.path(path, &mut out);
        match action {
            Action::Set(_, value) => {
                out.push_str(" = ");
                p.operand(path, value, &mut out)?;
                set.push(out);
            }
            Action::SetIfNotExists(_, value) => {
                out.push_str(" = if_not_exists(");
                p.path(path, &mut out);
                out.push_str(", ");
                p.operand(path, value, &mut out)?;
                out.push(')');
                set.push(out);
            }
            Action::Increment(_, by) | Action::Decrement(_, by) => {
                out.push_str(" = if_not_exists(");
                p.path(path, &mut out);
                out.push_str(", ");
                p.value(AttributeValue::N("0".into()), &mut out);
                let sign = match action {
                    Action::Increment(..) => ") + ",
                    _ => ") - ",
                };
                out.push_str(sign);
                p.operand(path, by, &mut out)?;
                set.push(out);
            }
            Action::Append(_, values) | Action::Prepend(_, values) => {
                let mut existing = String::from("if_not_exists(");
                p.path(path, &mut existing);
                existing.push_str(", ");
                p.value(AttributeValue::L(Vec::new()), &mut existing);
                existing.push(')');
                let mut new = String::new();
                p.operand(path, values, &mut new)?;
                let (first, second) = match action {
                    Action::Append(..) => (existing, new),
                    _ => (new, existing),
                };
                out.push_str(&format!(" = list_append({first}, {second})"));
                set.push(out);
            }
            Action::Remove(_) => remove.push(out),
            Action::Add(_, value) => {
                out.push(' ');
                p.operand(path, value, &mut out)?;
                add.push(out);
            }
            Action::Delete(_, value) => {
                out.push(' ');
                p.operand(path, value, &mut out)?;
                delete.push(out);
            }
        }
    }
    let mut expression = String::new();
    for (clause, parts) in [
        ("SET", set),
        ("REMOVE", remove),
        ("ADD", add),
        ("DELETE", delete),
    ] {
        if !parts.is_empty() {
            if !expression.is_empty() {
                expression.push(' ');
            }
            expression.push_str(clause);
            expression.push(' ');
            expression.push_str(&parts.join(", "));
        }
    }
    Ok(expression)
}

/// The first two actions whose paths overlap, which DynamoDB rejects.
pub(crate) fn overlapping(actions: &[Action]) -> Option<(&AttributePath, &AttributePath)> {
    actions.iter().enumerate().find_map(|(i, a)| {
        actions[i + 1..]
            .iter()
            .find(|b| a.path().overlaps(b.path()))
            .map(|b| (a.path(), b.path()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: &str) -> Operand {
        Ok(AttributeValue::N(v.into()))
    }

    #[test]
    fn clauses_group_actions() {
        let root = AttributePath::root;
        let actions = vec![
            Action::Set(root("name"), Ok(AttributeValue::S("Ann".into()))),
            Action::Remove(root("nickname")),
            Action::Increment(root("logins"), n("1")),
            Action::Add(root("tags"), Ok(AttributeValue::Ss(vec!["a".into()]))),
            Action::Append(root("history"), Ok(AttributeValue::L(vec![]))),
            Action::Delete(root("flags"), Ok(AttributeValue::Ss(vec!["x".into()]))),
            Action::SetIfNotExists(
                root("address").child("city"),
                Ok(AttributeValue::S("Oslo".into())),
            ),
        ];
        let text = render(&actions, &mut Placeholders::new()).ok().unwrap();
        assert_eq!(
            text,
            "SET #n0 = :v0, #n2 = if_not_exists(#n2, :v1) + :v2, \
             #n4 = list_append(if_not_exists(#n4, :v4), :v5), \
             #n6.#n7 = if_not_exists(#n6.#n7, :v7) \
             REMOVE #n1 ADD #n3 :v3 DELETE #n5 :v6"
        );
    }

    #[test]
    fn overlapping_paths_are_found() {
        let address = AttributePath::root("address");
        let actions = vec![
            Action::Remove(AttributePath::root("x")),
            Action::Set(address.child("city"), n("1")),
            Action::Remove(address.clone()),
        ];
        let (a, b) = overlapping(&actions).unwrap();
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("address.city".into(), "address".into())
        );
        assert!(overlapping(&actions[..2]).is_none());
    }
}
