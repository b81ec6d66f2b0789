//! Queries: the items of one hash key value, in range key order, from the
//! table or a secondary index, with a key condition typed to that index's
//! keys.
//!
//! A query starts from the table or an index — `User::query(&db)` for the
//! table, `User::by_email(&db)` for index `by_email` — and takes the hash
//! key first: [`QueryStart`] has nothing but [`hash`](QueryStart::hash)
//! (and [`scan`](QueryStart::scan)), so a range condition without a hash key
//! does not compile. `.hash(..)` takes the index's hash key type only, and
//! [`range`](Query::range) hands its closure a [`RangeKey`] of the range key's
//! type, whose comparisons take that type only; `begins_with` exists for
//! string and binary keys, and an index without a range key has no `range`.
//! No other attribute can appear in a key condition.
//!
//! ```no_run
//! use dynamo_model::{Client, Model};
//!
//! #[derive(Model, Debug)]
//! #[model(table = "events")]
//! struct Event {
//!     #[model(hash_key)]
//!     user: String,
//!     #[model(range_key)]
//!     at: String,
//!     #[model(global_index(name = "by_kind", hash_key))]
//!     kind: String,
//!     #[model(local_index(name = "by_size", range_key, keys_only))]
//!     size: u64,
//! }
//!
//! # async fn demo(db: &Client) -> dynamo_model::Result<()> {
//! // The newest 20 events of 2024 of user u1.
//! let page = Event::query(db)
//!     .hash("u1")
//!     .range(|at| at.begins_with("2024-"))
//!     .descending()
//!     .limit(20)
//!     .page()
//!     .await?;
//! // The next 20, maybe in another process: the cursor is a plain string.
//! if let Some(cursor) = page.cursor {
//!     let next = Event::query(db).hash("u1").range(|at| at.begins_with("2024-"))
//!         .descending().limit(20).start_after(cursor).page().await?;
//! }
//! // An index, typed by its own keys; a keys-only index reads its keys.
//! let big: Vec<EventBySizeItem> =
//!     Event::by_size(db).hash("u1").range(|size| size.gt(1_000)).all().await?;
//! let logins = Event::by_kind(db).hash("login").count().await?;
//! # Ok(()) }
//! ```
//!
//! See [`pages`](super::pages) for how `limit` relates to DynamoDB's own
//! `Limit`, and [`cursor`](super::cursor) for what a cursor holds.

use super::builder::CustomizeEach;
use super::cursor::{Operation, Scope};
use super::pages::{read_methods, stream_of, Page, Pager, ReadOptions, Reading, Request};
use super::scan::Scan;
use crate::attr::key_value;
use crate::client::Client;
use crate::expr::{check_between, Comparator, Condition, IntoValue, Placeholders, Projection};
use crate::index::{hash_key, model_name, range_key, Index, PrefixKey, RangeIndex};
use crate::model::Model;
use crate::schema::KeySchema;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;
use futures::Stream;
use std::marker::PhantomData;

/// A query of index `I` (or the table) that still needs its hash key:
/// [`Model::query`] or a generated index method such as `User::by_email`.
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let users: Vec<User> = User::query(db).hash("u1").all().await?;
/// # Ok(()) }
/// ```
#[must_use = "a query needs its hash key: call .hash(..)"]
pub struct QueryStart<'a, I: Index> {
    client: &'a Client,
    index: PhantomData<I>,
}

impl<'a, I: Index> QueryStart<'a, I> {
    /// Starts a query of `I`; generated methods (`User::query`,
    /// `User::by_email`) call this.
    pub fn new(client: &'a Client) -> Self {
        Self {
            client,
            index: PhantomData,
        }
    }

    /// The items whose hash key equals `value`.
    pub fn hash(self, value: impl IntoValue<I::Hash>) -> Query<'a, I> {
        let key = hash_key::<I>();
        let value = I::store_hash(value.into_value());
        let hash = key_value(model_name::<I>(), key.name, value.map(Some));
        Query {
            client: self.client,
            hash,
            range: None,
            descending: false,
            options: ReadOptions::new::<I>(),
            customize: CustomizeEach::default(),
            index: PhantomData,
        }
    }

    /// Scans the whole table or index instead (every hash key).
    pub fn scan(self) -> Scan<'a, I> {
        Scan::new(self.client)
    }
}

/// A query of index `I` (or the table) for one hash key value, reading items
/// into `O` (what the index holds, or a [`project`](Self::project)ed type);
/// see the [module docs](self).
#[must_use = "a query does nothing until .page(), .stream(), .all() or .count()"]
pub struct Query<'a, I: Index, O = <I as Index>::Item> {
    client: &'a Client,
    /// The hash key value, or why it cannot be sent.
    hash: Result<AttributeValue>,
    range: Option<Result<KeyRange>>,
    descending: bool,
    options: ReadOptions<O>,
    customize: CustomizeEach<'a, QueryFluentBuilder>,
    index: PhantomData<I>,
}

read_methods!(
    Query,
    QueryFluentBuilder,
    "Query",
    "query",
    "User::query(db).hash(\"u1\")"
);

impl<'a, I: Index, O: Send + 'static> Query<'a, I, O> {
    /// Only the items whose range key meets the condition `condition`
    /// builds from the range key (calling it again replaces the condition).
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct Order { #[model(hash_key)] customer: String, #[model(range_key)] number: u32 }
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// let recent = Order::query(db).hash("c1").range(|n| n.between(100, 199)).all().await?;
    /// # Ok(()) }
    /// ```
    pub fn range(
        mut self,
        condition: impl FnOnce(RangeKey<I::Range>) -> RangeCondition<I::Range>,
    ) -> Self
    where
        I: RangeIndex,
    {
        self.range = Some(match range_key::<I>() {
            Some(key) => {
                let start = RangeKey {
                    model: model_name::<I>(),
                    name: key.name,
                    store: I::store_range,
                    key: PhantomData,
                };
                condition(start).condition
            }
            None => Err(Error::Config(format!(
                "{}: RangeIndex is implemented for an index without a range key",
                model_name::<I>()
            ))),
        });
        self
    }

    /// Highest range key first (`ScanIndexForward: false`).
    pub fn descending(mut self) -> Self {
        self.descending = true;
        self
    }

    /// Reads only the attributes of `P` (and the keys, for cursors) and
    /// decodes into it: any `#[derive(Document)]` or `#[derive(Model)]`
    /// struct (see [`Projection`]).
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Document, Model};
    /// # #[derive(Model)] struct Order { #[model(hash_key)] customer: String, #[model(range_key)] number: u32, total: u64, notes: String }
    /// #[derive(Document, Debug)]
    /// struct OrderTotal { number: u32, total: u64 }
    ///
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// let totals: Vec<OrderTotal> = Order::query(db).hash("c1").project::<OrderTotal>().all().await?;
    /// # Ok(()) }
    /// ```
    pub fn project<P: Projection>(self) -> Query<'a, I, P> {
        Query {
            client: self.client,
            hash: self.hash,
            range: self.range,
            descending: self.descending,
            options: self.options.project::<P>(),
            customize: self.customize,
            index: PhantomData,
        }
    }

    /// The SDK request with its expressions (customized), for anything
    /// dynamo-model does not cover. Paging is left to the caller: it has no
    /// `Limit` and no `ExclusiveStartKey` (the limit and cursor given here
    /// are not applied).
    pub fn into_sdk(self) -> Result<QueryFluentBuilder> {
        let (request, _, _) = self.request(Reading::Items)?;
        Ok(request)
    }

    /// The request, its options, and the hash key value it queries.
    fn request(
        self,
        reading: Reading,
    ) -> Result<(QueryFluentBuilder, ReadOptions<O>, AttributeValue)> {
        let hash = self
            .options
            .hooks
            .key_value(hash_key::<I>().name, self.hash?)?;
        let range = self.range.transpose()?;
        let mut placeholders = Placeholders::new();
        let key_condition = render_key_condition(
            &hash_key::<I>(),
            hash.clone(),
            range_key::<I>().zip(range),
            &mut placeholders,
        );
        let expressions = self.options.render::<I>(placeholders, reading)?;
        let request = self
            .client
            .sdk()
            .query()
            .table_name(self.client.table_name::<I::Model>())
            .set_index_name(I::INDEX.map(|index| index.name.to_owned()))
            .key_condition_expression(key_condition)
            .set_filter_expression(expressions.filter)
            .set_projection_expression(expressions.projection)
            .set_expression_attribute_names(expressions.names)
            .set_expression_attribute_values(expressions.values)
            .scan_index_forward(!self.descending)
            .consistent_read(self.options.consistent);
        Ok((self.customize.apply(request), self.options, hash))
    }

    fn pager(self, reading: Reading) -> Result<Pager<I, O>> {
        let hash_name = hash_key::<I>().name;
        let key = self.client.cursor_key();
        let (request, options, hash) = self.request(reading)?;
        let scope = Scope {
            model: model_name::<I>(),
            operation: Operation::Query,
            table: <I::Model as Model>::SCHEMA.table,
            index: I::INDEX.map(|index| index.name),
            segment: None,
        };
        let pager = Pager::new(Request::Query(request), scope, key, &options)?;
        if let Some(start) = pager.start() {
            if start.get(hash_name) != Some(&hash) {
                return Err(Error::InvalidCursor {
                    model: scope.model,
                    reason: format!("it continues a query of another `{hash_name}`"),
                });
            }
        }
        Ok(pager)
    }
}

/// The range key of a query's index, handed to the closure of
/// [`Query::range`] to build its condition. Values are of the key's type
/// (or `&str` for strings; see [`IntoValue`]).
///
/// ```compile_fail
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct Order { #[model(hash_key)] customer: String, #[model(range_key)] number: u32 }
/// # fn demo(db: &Client) {
/// // `number` is a u32: no strings, no begins_with.
/// Order::query(db).hash("c1").range(|n| n.begins_with("1"));
/// # }
/// ```
pub struct RangeKey<T> {
    model: &'static str,
    name: &'static str,
    /// The key's `set` transform and time storage.
    store: fn(crate::expr::Operand) -> crate::expr::Operand,
    key: PhantomData<fn() -> T>,
}

/// A condition on a query's range key, built from a [`RangeKey`].
pub struct RangeCondition<T> {
    condition: Result<KeyRange>,
    key: PhantomData<fn() -> T>,
}

impl<T: crate::attr::Attribute> RangeKey<T> {
    fn value(&self, value: impl IntoValue<T>) -> Result<AttributeValue> {
        key_value(
            self.model,
            self.name,
            (self.store)(value.into_value()).map(Some),
        )
    }

    fn condition(self, condition: Result<KeyRange>) -> RangeCondition<T> {
        RangeCondition {
            condition,
            key: PhantomData,
        }
    }

    fn compare(self, operator: Comparator, value: impl IntoValue<T>) -> RangeCondition<T> {
        let value = self.value(value);
        self.condition(value.map(|value| KeyRange::Compare(operator, value)))
    }

    /// The range key equals `value`.
    pub fn eq(self, value: impl IntoValue<T>) -> RangeCondition<T> {
        self.compare(Comparator::Eq, value)
    }

    /// The range key is less than `value`.
    pub fn lt(self, value: impl IntoValue<T>) -> RangeCondition<T> {
        self.compare(Comparator::Lt, value)
    }

    /// The range key is less than or equal to `value`.
    pub fn le(self, value: impl IntoValue<T>) -> RangeCondition<T> {
        self.compare(Comparator::Le, value)
    }

    /// The range key is greater than `value`.
    pub fn gt(self, value: impl IntoValue<T>) -> RangeCondition<T> {
        self.compare(Comparator::Gt, value)
    }

    /// The range key is greater than or equal to `value`.
    pub fn ge(self, value: impl IntoValue<T>) -> RangeCondition<T> {
        self.compare(Comparator::Ge, value)
    }

    /// The range key is between `low` and `high`, both included
    /// (DynamoDB refuses `low > high`).
    pub fn between(self, low: impl IntoValue<T>, high: impl IntoValue<T>) -> RangeCondition<T> {
        let values = self.value(low).and_then(|low| Ok((low, self.value(high)?)));
        let checked = values.and_then(|(low, high)| match check_between(&low, &high) {
            Ok(()) => Ok(KeyRange::Between(low, high)),
            Err(reason) => Err(Error::InvalidExpression {
                model: self.model,
                reason: format!("range key `{}`: {reason}", self.name),
            }),
        });
        self.condition(checked)
    }

    /// The range key starts with `prefix` (string and binary keys).
    pub fn begins_with(self, prefix: impl IntoValue<T>) -> RangeCondition<T>
    where
        T: PrefixKey,
    {
        let value = self.value(prefix);
        self.condition(value.map(KeyRange::BeginsWith))
    }
}

/// A range key condition with its encoded values.
enum KeyRange {
    Compare(Comparator, AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

/// Renders a `KeyConditionExpression` with the request's placeholders: the
/// one place key conditions become text.
fn render_key_condition(
    hash: &KeySchema,
    hash_value: AttributeValue,
    range: Option<(KeySchema, KeyRange)>,
    p: &mut Placeholders,
) -> String {
    let mut out = p.name(hash.name);
    out.push_str(" = ");
    p.value(hash_value, &mut out);
    if let Some((key, condition)) = range {
        let name = p.name(key.name);
        out.push_str(" AND ");
        match condition {
            KeyRange::Compare(operator, value) => {
                out.push_str(&name);
                out.push(' ');
                out.push_str(operator.symbol());
                out.push(' ');
                p.value(value, &mut out);
            }
            KeyRange::Between(low, high) => {
                out.push_str(&name);
                out.push_str(" BETWEEN ");
                p.value(low, &mut out);
                out.push_str(" AND ");
                p.value(high, &mut out);
            }
            KeyRange::BeginsWith(prefix) => {
                out.push_str("begins_with(");
                out.push_str(&name);
                out.push_str(", ");
                p.value(prefix, &mut out);
                out.push(')');
            }
        }
    }
    out
}
