//! Offline request-shape tests: every operation builder's `into_sdk()` is
//! the exact request it would send, so these tests read it back and pin the
//! wire format (expression text, placeholder maps, keys, conditions, return
//! values, table definitions) that sharing tables with Dynamoose depends on.
//!
//! Nothing here talks to DynamoDB: the client points at a port nobody
//! listens on, and `into_sdk()` sends nothing.

mod create;
mod delete;
mod get;
mod models;
mod query;
mod save;
mod scan;
mod table;
mod update;

use dynamo_model::aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemInputBuilder;
use dynamo_model::aws_sdk_dynamodb::operation::get_item::builders::GetItemInputBuilder;
use dynamo_model::aws_sdk_dynamodb::operation::put_item::builders::PutItemInputBuilder;
use dynamo_model::aws_sdk_dynamodb::operation::query::builders::QueryInputBuilder;
use dynamo_model::aws_sdk_dynamodb::operation::scan::builders::ScanInputBuilder;
use dynamo_model::aws_sdk_dynamodb::operation::update_item::builders::UpdateItemInputBuilder;
use dynamo_model::aws_sdk_dynamodb::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};
use dynamo_model::{Client, Error, Item, Result};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

/// A client that never connects: `into_sdk()` only builds requests.
pub fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| Client::local("http://127.0.0.1:1"))
}

/// A client whose table names are `staging_{table}_v2`.
pub fn staging() -> Client {
    client()
        .clone()
        .with_table_prefix("staging_")
        .with_table_suffix("_v2")
}

pub fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

pub fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

/// An item (or key) from its attributes.
pub fn item(attributes: &[(&str, AttributeValue)]) -> Item {
    attributes
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect()
}

/// A request with `ExpressionAttributeNames` (and maybe values).
pub trait Placeholders {
    fn names(&self) -> &Option<HashMap<String, String>>;
    fn values(&self) -> &Option<Item>;
}

/// A write with a `ConditionExpression`.
pub trait Conditional: Placeholders {
    fn condition(&self) -> &Option<String>;
    fn on_failure(&self) -> &Option<ReturnValuesOnConditionCheckFailure>;
}

/// A request for one item by key.
pub trait Keyed {
    fn table(&self) -> &Option<String>;
    fn key(&self) -> &Option<Item>;
}

/// Implements a trait of two getters for SDK input builders, each by the
/// builder's own getter.
macro_rules! getters {
    ($trait:ident {
        $a:ident: $a_ty:ty = $a_get:ident,
        $b:ident: $b_ty:ty = $b_get:ident $(,)?
    } for $($input:ty),*) => {$(
        impl $trait for $input {
            fn $a(&self) -> &$a_ty {
                self.$a_get()
            }
            fn $b(&self) -> &$b_ty {
                self.$b_get()
            }
        }
    )*};
}

getters!(Placeholders {
    names: Option<HashMap<String, String>> = get_expression_attribute_names,
    values: Option<Item> = get_expression_attribute_values,
} for PutItemInputBuilder, UpdateItemInputBuilder, DeleteItemInputBuilder,
    QueryInputBuilder, ScanInputBuilder);

getters!(Conditional {
    condition: Option<String> = get_condition_expression,
    on_failure: Option<ReturnValuesOnConditionCheckFailure> =
        get_return_values_on_condition_check_failure,
} for PutItemInputBuilder, UpdateItemInputBuilder, DeleteItemInputBuilder);

getters!(Keyed {
    table: Option<String> = get_table_name,
    key: Option<Item> = get_key,
} for GetItemInputBuilder, UpdateItemInputBuilder, DeleteItemInputBuilder);

impl Placeholders for GetItemInputBuilder {
    fn names(&self) -> &Option<HashMap<String, String>> {
        self.get_expression_attribute_names()
    }
    fn values(&self) -> &Option<Item> {
        &None
    }
}

/// Asserts the table (as sent, with the client's prefix and suffix) and
/// the key of a request for one item.
pub fn assert_target(input: &impl Keyed, table: &str, key: &[(&str, AttributeValue)]) {
    assert_eq!(input.table().as_deref(), Some(table), "TableName");
    assert_eq!(input.key(), &Some(item(key)), "Key");
}

/// Asserts a request's `ExpressionAttributeNames` and
/// `ExpressionAttributeValues`: exactly `names` as `#n0`, `#n1`, ... and
/// `values` as `:v0`, `:v1`, ..., and absent (not empty, which DynamoDB
/// rejects) when there are none.
pub fn assert_placeholders(input: &impl Placeholders, names: &[&str], values: &[AttributeValue]) {
    let names: HashMap<String, String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (format!("#n{i}"), (*name).to_owned()))
        .collect();
    let names = Some(names).filter(|names| !names.is_empty());
    assert_eq!(input.names(), &names, "ExpressionAttributeNames");
    let values: Item = values
        .iter()
        .enumerate()
        .map(|(i, value)| (format!(":v{i}"), value.clone()))
        .collect();
    let values = Some(values).filter(|values| !values.is_empty());
    assert_eq!(input.values(), &values, "ExpressionAttributeValues");
}

/// The value of `placeholder` in `input`, after `check` asserted its
/// structure: for a time (now), which a test cannot know in advance.
pub fn time_value(
    input: &impl Placeholders,
    placeholder: &str,
    check: fn(&AttributeValue),
) -> AttributeValue {
    let values = input.values().as_ref();
    let value = values.and_then(|values| values.get(placeholder));
    let value = value.unwrap_or_else(|| panic!("no {placeholder} in {values:?}"));
    check(value);
    value.clone()
}

/// What a read asks for besides its table, key and placeholders.
#[derive(Debug, PartialEq, Default)]
pub struct Read<'a> {
    pub index: Option<&'a str>,
    pub key_condition: Option<&'a str>,
    pub filter: Option<&'a str>,
    pub projection: Option<&'a str>,
    pub consistent: bool,
    pub descending: bool,
}

/// A GetItem, Query or Scan request.
pub trait ReadInput: Placeholders {
    fn read(&self) -> Read<'_>;
}

impl ReadInput for GetItemInputBuilder {
    fn read(&self) -> Read<'_> {
        Read {
            projection: self.get_projection_expression().as_deref(),
            consistent: self.get_consistent_read() == &Some(true),
            ..Read::default()
        }
    }
}

/// The parts of a [`Read`] that queries and scans share.
fn read_of<'a>(
    index: &'a Option<String>,
    filter: &'a Option<String>,
    projection: &'a Option<String>,
    consistent: &Option<bool>,
) -> Read<'a> {
    Read {
        index: index.as_deref(),
        filter: filter.as_deref(),
        projection: projection.as_deref(),
        consistent: consistent == &Some(true),
        ..Read::default()
    }
}

impl ReadInput for QueryInputBuilder {
    fn read(&self) -> Read<'_> {
        let projection = self.get_projection_expression();
        Read {
            key_condition: self.get_key_condition_expression().as_deref(),
            descending: self.get_scan_index_forward() == &Some(false),
            ..read_of(
                self.get_index_name(),
                self.get_filter_expression(),
                projection,
                self.get_consistent_read(),
            )
        }
    }
}

impl ReadInput for ScanInputBuilder {
    fn read(&self) -> Read<'_> {
        let (index, filter) = (self.get_index_name(), self.get_filter_expression());
        let projection = self.get_projection_expression();
        read_of(index, filter, projection, self.get_consistent_read())
    }
}

/// Asserts what a read asks for, and its placeholders (see
/// [`assert_placeholders`]).
pub fn assert_read(
    input: &impl ReadInput,
    read: Read<'_>,
    names: &[&str],
    values: &[AttributeValue],
) {
    assert_eq!(input.read(), read);
    assert_placeholders(input, names, values);
}

/// Asserts a write's condition (see [`assert_condition`]) and its
/// placeholders (see [`assert_placeholders`]).
pub fn assert_write(
    input: &impl Conditional,
    condition: Option<&str>,
    names: &[&str],
    values: &[AttributeValue],
) {
    assert_condition(input, condition);
    assert_placeholders(input, names, values);
}

/// Asserts a write's `ConditionExpression`, and that a failed condition
/// returns the stored item, which every write asks for (it costs no
/// capacity, and tells a version conflict from a missing item).
pub fn assert_condition(input: &impl Conditional, condition: Option<&str>) {
    assert_eq!(
        input.condition().as_deref(),
        condition,
        "ConditionExpression"
    );
    assert_eq!(
        input.on_failure(),
        &Some(ReturnValuesOnConditionCheckFailure::AllOld),
        "ReturnValuesOnConditionCheckFailure"
    );
}

/// The actions of an update expression by clause, each with its
/// placeholders replaced by what they stand for (names as themselves,
/// values as `"text"`, numbers, or their SDK form), so that requests whose
/// action order is not fixed can be compared. Panics on a placeholder the
/// maps lack.
pub fn clauses(expression: &str, input: &impl Placeholders) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut clause = String::new();
    let mut action: Vec<&str> = Vec::new();
    let mut depth = 0i32;
    let mut flush = |clause: &str, action: &mut Vec<&str>| {
        if !action.is_empty() {
            let text = resolve(&action.join(" "), input);
            out.entry(clause.to_owned()).or_default().insert(text);
            action.clear();
        }
    };
    for word in expression.split(' ') {
        if depth == 0 && ["SET", "REMOVE", "ADD", "DELETE"].contains(&word) {
            flush(&clause, &mut action);
            clause = word.to_owned();
            continue;
        }
        depth += word.matches('(').count() as i32 - word.matches(')').count() as i32;
        match word.strip_suffix(',') {
            Some(last) if depth == 0 => {
                action.push(last);
                flush(&clause, &mut action);
            }
            _ => action.push(word),
        }
    }
    flush(&clause, &mut action);
    out
}

/// The expected value of [`clauses`].
pub fn expected_clauses(clauses: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
    clauses
        .iter()
        .map(|(clause, actions)| {
            let actions = actions.iter().map(|a| (*a).to_owned()).collect();
            ((*clause).to_owned(), actions)
        })
        .collect()
}

/// Takes the action of `clause` that starts with `prefix` out of
/// `clauses`, returning the rest of it: for values such as the current
/// time, whose structure a test checks instead.
pub fn take_action(
    clauses: &mut BTreeMap<String, BTreeSet<String>>,
    clause: &str,
    prefix: &str,
) -> String {
    let actions = clauses.get_mut(clause).expect("the clause is there");
    let action = actions
        .iter()
        .find(|action| action.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {clause} action starts with {prefix:?}: {actions:?}"))
        .clone();
    actions.remove(&action);
    action[prefix.len()..].to_owned()
}

/// `text` with its `#n` and `:v` placeholders replaced (see [`clauses`]).
pub fn resolve(text: &str, input: &impl Placeholders) -> String {
    let (names, values) = (input.names(), input.values());
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(['#', ':']) {
        out.push_str(&rest[..start]);
        let len = rest[start + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(rest.len(), |end| start + 1 + end);
        let placeholder = &rest[start..len];
        let defined = if placeholder.starts_with('#') {
            names
                .as_ref()
                .and_then(|names| names.get(placeholder).cloned())
        } else {
            let value = values.as_ref().and_then(|values| values.get(placeholder));
            value.map(|value| match value {
                AttributeValue::S(text) => format!("{text:?}"),
                AttributeValue::N(number) => number.clone(),
                other => format!("{other:?}"),
            })
        };
        match defined {
            Some(text) => out.push_str(&text),
            None => panic!("{placeholder} is not defined: {names:?} {values:?}"),
        }
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

/// The error of a request refused before sending.
pub fn refused<T>(request: Result<T>) -> Error {
    match request {
        Ok(_) => panic!("the request was built, but should have been refused"),
        Err(error) => error,
    }
}

/// Asserts that `error` is a value or expression refused before sending
/// ([`Error::is_invalid_value`]) whose message names the model and each
/// of `mentions`.
pub fn assert_invalid(error: &Error, model: &str, mentions: &[&str]) {
    assert!(error.is_invalid_value(), "{error:?}");
    assert_message(error, model, mentions);
}

/// Asserts that an error message starts with the model's name and names
/// each of `mentions` (an attribute as `` `name` ``, a key, a limit).
pub fn assert_message(error: &Error, model: &str, mentions: &[&str]) {
    let message = error.to_string();
    assert!(message.starts_with(&format!("{model}: ")), "{message}");
    for mention in mentions {
        assert!(message.contains(mention), "{mention:?} in {message}");
    }
}

/// Asserts that `value` is a time as epoch milliseconds (`N`, 13 digits).
pub fn assert_epoch_millis(value: &AttributeValue) {
    let digits = value.as_n().expect("a number");
    assert!(
        digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()),
        "epoch milliseconds: {digits}"
    );
}

/// Asserts that `value` is a time as epoch seconds (`N`, 10 digits).
pub fn assert_epoch_seconds(value: &AttributeValue) {
    let digits = value.as_n().expect("a number");
    assert!(
        digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()),
        "epoch seconds: {digits}"
    );
}

/// Asserts that `value` is a time as ISO text: `S`
/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, as JavaScript's `toISOString`.
pub fn assert_iso(value: &AttributeValue) {
    let text = value.as_s().expect("a string");
    let shape: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    assert_eq!(shape, "9999-99-99T99:99:99.999Z", "ISO time: {text}");
}
