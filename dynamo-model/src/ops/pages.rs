//! The page loop that queries and scans share: sending one DynamoDB request
//! after another, counting items against the caller's limit, and knowing
//! where to continue.
//!
//! A query or scan is not awaited itself; it ends in one of four ways:
//! `.page()` (one page and a [`cursor`] to continue from),
//! `.stream()` (every item, fetching pages lazily), `.all()` (every item in
//! a `Vec`) or `.count()` (how many, without reading them). Without a
//! `limit`, a page is what one DynamoDB request returns.
//!
//! DynamoDB's own `Limit` caps the items a request *evaluates*, before the
//! filter; dynamo-model's `limit` caps the items *returned* to the caller.
//! So a filtered read keeps sending requests until it has `limit` items (or
//! the index ends), and when it stops in the middle of a DynamoDB page it
//! continues after the last item it returned, not after DynamoDB's
//! `LastEvaluatedKey`, so no item is skipped or returned twice.
//!
//! Without a filter every evaluated item is returned, so each request asks
//! DynamoDB for just the items still wanted. With a filter, requests read
//! full pages (1 MB) unless `request_limit` caps them: fewer round trips for
//! filters that discard most items, at the price of reading (and paying for)
//! the rest of the last page.

use super::builder::send;
use super::cursor::{self, CursorKey, Scope};
use crate::attr::Item;
use crate::expr::{render_projection, Condition, Placeholders, Projection};
use crate::hooks::Hooked;
use crate::index::{position_keys, Index};
use crate::schema::{IndexKind, IndexProjection};
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder;
use aws_sdk_dynamodb::types::Select;
use futures::{Stream, StreamExt};
use std::collections::{HashMap, VecDeque};
use std::marker::PhantomData;

/// A list of items and where to continue: one call of `.page()`.
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client, cursor: Option<String>) -> dynamo_model::Result<()> {
/// let mut scan = User::scan(db).limit(50);
/// if let Some(cursor) = cursor {
///     scan = scan.start_after(cursor);
/// }
/// let page = scan.page().await?;
/// // Hand `page.cursor` to the client; `None` means there is nothing more.
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items, in the order DynamoDB returned them.
    pub items: Vec<T>,
    /// Where the next page starts, for `start_after`; `None` when the read
    /// is complete. A page may be short, or even empty, and still have a
    /// cursor: a filter may have discarded what DynamoDB read.
    pub cursor: Option<String>,
}

/// The options both queries and scans have, and how their items become `O`.
pub(crate) struct ReadOptions<O> {
    pub limit: Option<usize>,
    pub request_limit: Option<i32>,
    pub consistent: bool,
    pub start_after: Option<String>,
    pub filter: Option<Condition>,
    /// The attributes to read; `None`: all the index holds.
    pub projection: Option<&'static [&'static str]>,
    pub decode: fn(Item) -> Result<O>,
    /// The model's hooks: `after_read` runs before `decode`.
    pub hooks: Hooked,
}

impl<O> ReadOptions<O> {
    /// Reading whole items of `I`.
    pub fn new<I: Index<Item = O>>() -> Self {
        Self {
            limit: None,
            request_limit: None,
            consistent: false,
            start_after: None,
            filter: None,
            projection: None,
            decode: I::from_index_item,
            hooks: Hooked::of::<I::Model>(),
        }
    }

    /// The same options, reading the attributes of `P` into it.
    pub fn project<P: Projection>(self) -> ReadOptions<P> {
        ReadOptions {
            limit: self.limit,
            request_limit: self.request_limit,
            consistent: self.consistent,
            start_after: self.start_after,
            filter: self.filter,
            projection: Some(P::ATTRIBUTES),
            decode: P::from_projected,
            hooks: self.hooks,
        }
    }

    /// Renders the filter and projection of a read of `I` (a count reads no
    /// attributes), after whatever `placeholders` already holds.
    pub fn render<I: Index>(
        &self,
        mut placeholders: Placeholders,
        reading: Reading,
    ) -> Result<Expressions> {
        let model = crate::index::model_name::<I>();
        let filter = super::and(self.filter.clone(), super::unexpired::<I::Model>());
        let filter = filter
            .map(|filter| filter.render_for(model, "filter", &mut placeholders))
            .transpose()?;
        let projection = match self.projection {
            Some(attributes) if reading == Reading::Items => {
                check_global_projection::<I>(attributes)?;
                // The keys too, so a cursor can be built from any item.
                let mut names = attributes.to_vec();
                for key in position_keys::<I>() {
                    if !names.contains(&key.name) {
                        names.push(key.name);
                    }
                }
                Some(render_projection(&names, &mut placeholders))
            }
            _ => None,
        };
        let (names, values) = placeholders.into_maps();
        Ok(Expressions {
            filter,
            projection,
            names,
            values,
        })
    }
}

/// A global index returns only what it holds, and DynamoDB refuses a
/// projection of anything else; say so before sending, naming the attribute.
/// (A local index fetches the rest from the table.)
fn check_global_projection<I: Index>(attributes: &[&'static str]) -> Result<()> {
    let Some(index) = I::INDEX.filter(|index| index.kind == IndexKind::Global) else {
        return Ok(());
    };
    let included: &[&str] = match index.projection {
        IndexProjection::All => return Ok(()),
        IndexProjection::KeysOnly => &[],
        IndexProjection::Include(names) => names,
    };
    let keys = position_keys::<I>();
    let held = |name: &str| keys.iter().any(|k| k.name == name) || included.contains(&name);
    match attributes.iter().find(|name| !held(name)) {
        None => Ok(()),
        Some(missing) => Err(Error::InvalidExpression {
            model: crate::index::model_name::<I>(),
            reason: format!(
                "global index `{}` does not hold attribute `{missing}` (only its keys, the table's keys{}); \
                 project attributes the index holds, or read the table",
                index.name,
                included.iter().map(|n| format!(", `{n}`")).collect::<String>()
            ),
        }),
    }
}

/// The rendered expressions of a read.
pub(crate) struct Expressions {
    pub filter: Option<String>,
    pub projection: Option<String>,
    pub names: Option<HashMap<String, String>>,
    pub values: Option<Item>,
}

/// What a read asks DynamoDB for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The items.
    Items,
    /// Only how many there are (`Select: COUNT`).
    Count,
}

/// The request of a query or a scan, sent once per page.
#[derive(Clone)]
pub(crate) enum Request {
    Query(QueryFluentBuilder),
    Scan(ScanFluentBuilder),
}

/// What one request gave.
struct Response {
    items: Vec<Item>,
    last_evaluated_key: Option<Item>,
    count: usize,
}

impl Request {
    /// Sends the page request starting after `start`. The page loop owns
    /// `ExclusiveStartKey`, `Limit` and `Select`: they are set here, over
    /// whatever a customization set.
    async fn send(
        &self,
        start: Option<Item>,
        limit: Option<i32>,
        reading: Reading,
    ) -> Result<Response> {
        let select = (reading == Reading::Count).then_some(Select::Count);
        macro_rules! page {
            ($request:expr) => {{
                let request = $request.clone().set_exclusive_start_key(start);
                let output = send(request.set_limit(limit).set_select(select)).await?;
                Response {
                    count: output.count.max(0) as usize,
                    items: output.items.unwrap_or_default(),
                    last_evaluated_key: output.last_evaluated_key,
                }
            }};
        }
        Ok(match self {
            Self::Query(request) => page!(request),
            Self::Scan(request) => page!(request),
        })
    }
}

/// Walks the pages of one read of index `I`, decoding items into `O`.
pub(crate) struct Pager<I: Index, O> {
    request: Request,
    scope: Scope,
    /// What the cursors are signed with, if anything.
    key: Option<CursorKey>,
    /// Where the next request starts (`ExclusiveStartKey`).
    start: Option<Item>,
    /// DynamoDB said there is nothing after `start`.
    exhausted: bool,
    /// Items the caller still wants; `None`: no limit.
    remaining: Option<usize>,
    limited: bool,
    request_limit: Option<i32>,
    filtered: bool,
    decode: fn(Item) -> Result<O>,
    hooks: Hooked,
    index: PhantomData<I>,
}

impl<I: Index, O: Send + 'static> Pager<I, O> {
    /// A pager starting where `options.start_after` says (or at the start),
    /// its cursors signed with `key` if there is one.
    pub fn new(
        request: Request,
        scope: Scope,
        key: Option<CursorKey>,
        options: &ReadOptions<O>,
    ) -> Result<Self> {
        if options.limit == Some(0) {
            return Err(Error::Config(format!(
                "{}: limit(0) asks for no items; give a limit of at least 1",
                scope.model
            )));
        }
        let start = match &options.start_after {
            Some(text) => Some(cursor::decode(
                &scope,
                &position_keys::<I>(),
                text,
                key.as_ref(),
            )?),
            None => None,
        };
        Ok(Self {
            request,
            scope,
            key,
            start,
            exhausted: false,
            remaining: options.limit,
            limited: options.limit.is_some(),
            request_limit: options.request_limit,
            filtered: options.filter.is_some() || super::hidden_ttl::<I::Model>().is_some(),
            decode: options.decode,
            hooks: options.hooks,
            index: PhantomData,
        })
    }

    /// Decodes a raw item, after the model's `after_read`.
    fn decode(&self, item: Item) -> Result<O> {
        self.hooks.decode(item, self.decode)
    }

    /// Where the first request starts, from the cursor given.
    pub fn start(&self) -> Option<&Item> {
        self.start.as_ref()
    }

    /// DynamoDB's `Limit` for the next request: the items still wanted when
    /// every evaluated item is returned, and at most `request_limit`.
    fn next_limit(&self) -> Option<i32> {
        let wanted = self
            .remaining
            .filter(|_| !self.filtered)
            .map(|n| i32::try_from(n).unwrap_or(i32::MAX));
        match (wanted, self.request_limit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The raw items of the next request, at most the items still wanted;
    /// `None` when the read is complete.
    async fn next_items(&mut self) -> Result<Option<Vec<Item>>> {
        if self.exhausted || self.remaining == Some(0) {
            return Ok(None);
        }
        let response = self
            .request
            .send(self.start.take(), self.next_limit(), Reading::Items)
            .await?;
        let mut items = response.items;
        match self.remaining {
            Some(remaining) if items.len() > remaining => {
                // Stopped inside DynamoDB's page: continue after the last
                // item returned, not after what DynamoDB evaluated.
                items.truncate(remaining);
                self.start = items.last().map(position_of::<I>);
            }
            _ => {
                self.start = response.last_evaluated_key;
                self.exhausted = self.start.is_none();
            }
        }
        if let Some(remaining) = &mut self.remaining {
            *remaining -= items.len();
        }
        Ok(Some(items))
    }

    /// One `.page()`: a request's items, or with a limit, requests until
    /// `limit` items are read or the read is complete.
    pub async fn page(mut self) -> Result<Page<O>> {
        let mut raw = Vec::new();
        while let Some(items) = self.next_items().await? {
            raw.extend(items);
            if !self.limited {
                break;
            }
        }
        self.finish_page(raw)
    }

    /// `raw` decoded, with the cursor after it.
    fn finish_page(&self, raw: Vec<Item>) -> Result<Page<O>> {
        let cursor = match (&self.start, self.exhausted) {
            (Some(position), false) => Some(cursor::encode(
                &self.scope,
                &position_keys::<I>(),
                position,
                self.key.as_ref(),
            )?),
            _ => None,
        };
        let items = raw
            .into_iter()
            .map(|item| self.decode(item))
            .collect::<Result<_>>()?;
        Ok(Page { items, cursor })
    }

    /// Every page: the items of each request (up to the limit in all), with
    /// the cursor after them. The first error ends the stream.
    pub fn pages(self) -> impl Stream<Item = Result<Page<O>>> + Send + Unpin + 'static {
        futures::stream::unfold((self, false), |(mut pager, failed)| async move {
            if failed {
                return None;
            }
            let page = match pager.next_items().await {
                Ok(Some(raw)) => pager.finish_page(raw),
                Ok(None) => return None,
                Err(error) => Err(error),
            };
            let failed = page.is_err();
            Some((page, (pager, failed)))
        })
        .boxed()
    }

    /// Every item, fetching a page when the previous one is used up. A
    /// failed request ends the stream after its error; an item that does not
    /// decode is an error in its place and the stream goes on.
    pub fn stream(self) -> impl Stream<Item = Result<O>> + Send + Unpin + 'static {
        let state = (self, VecDeque::new(), false);
        futures::stream::unfold(state, |(mut pager, mut buffer, failed)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    let item = pager.decode(item);
                    return Some((item, (pager, buffer, failed)));
                }
                if failed {
                    return None;
                }
                match pager.next_items().await {
                    Ok(Some(items)) => buffer.extend(items),
                    Ok(None) => return None,
                    Err(error) => return Some((Err(error), (pager, buffer, true))),
                }
            }
        })
        .boxed()
    }

    /// The number of matching items, at most `limit`, without reading them.
    pub async fn count(mut self) -> Result<usize> {
        let mut total = 0;
        while !self.exhausted && self.remaining != Some(0) {
            let response = self
                .request
                .send(self.start.take(), self.next_limit(), Reading::Count)
                .await?;
            let counted = self
                .remaining
                .map_or(response.count, |r| response.count.min(r));
            total += counted;
            if let Some(remaining) = &mut self.remaining {
                *remaining -= counted;
            }
            self.start = response.last_evaluated_key;
            self.exhausted = self.start.is_none();
        }
        Ok(total)
    }
}

/// The key attributes of `item` that position a read of `I` after it.
fn position_of<I: Index>(item: &Item) -> Item {
    position_keys::<I>()
        .iter()
        .filter_map(|key| Some((key.name.to_owned(), item.get(key.name)?.clone())))
        .collect()
}

/// The stream (`stream` picks which) of a read that may fail before its
/// first request (a bad cursor or key value): that error, once, or the
/// stream.
pub(crate) fn stream_of<I: Index, O, S, T>(
    pager: Result<Pager<I, O>>,
    stream: impl FnOnce(Pager<I, O>) -> S,
) -> impl Stream<Item = Result<T>> + Send + Unpin + 'static
where
    S: Stream<Item = Result<T>> + Send + Unpin + 'static,
    T: Send + 'static,
{
    match pager {
        Ok(pager) => stream(pager).left_stream(),
        Err(error) => futures::stream::once(std::future::ready(Err(error))).right_stream(),
    }
}

/// The options and ways to run that queries and scans share, for a builder
/// `$builder<'a, I, O>` with an `options: ReadOptions<O>` field, a
/// `customize: CustomizeEach<'a, $sdk>` field and a
/// `fn pager(self, reading: Reading) -> Result<Pager<I, O>>`; `$operation`
/// names the request, and `$start` starts one for the docs' example.
macro_rules! read_methods {
    ($builder:ident, $sdk:ty, $operation:literal, $call:literal, $start:literal) => {
        impl<'a, I: Index, O: Send + 'static> $builder<'a, I, O> {
            /// What a read of this builder is, as a call (see [`crate::observe`]).
            fn call_info() -> $crate::observe::CallInfo {
                $crate::observe::CallInfo::of::<I::Model>($call)
                    .on_index(I::INDEX.map(|index| index.name))
            }

            $crate::hooks::skip_hooks!(options.hooks);

            $crate::ops::builder::customize! {
                #[doc = concat!("Adjusts every ", $operation, " request before it is sent — each")]
                /// page, and each segment of a parallel scan — for what
                /// dynamo-model does not cover; the items are still decoded as
                /// without it, and a failure is still an
                /// [`Error`](crate::Error) naming the operation. The change is
                /// made once per request template (once per segment), and every
                /// page is sent from it: the page loop sets `ExclusiveStartKey`,
                /// `Limit` and `Select` itself, after the change (use
                /// [`request_limit`](Self::request_limit) for DynamoDB's
                /// `Limit`). [`into_sdk`](Self::into_sdk) returns the template,
                /// changed. Given twice, both changes apply, in order.
                ///
                /// ```no_run
                /// # use dynamo_model::{Client, Model};
                /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
                /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
                /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
                #[doc = concat!("let users: Vec<User> = ", $start)]
                ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
                ///     .all()
                ///     .await?;
                /// # Ok(()) }
                /// ```
                each 'a, $sdk
            }

            /// Only the items that meet `condition` (with an earlier filter:
            /// both). DynamoDB applies it after reading, so discarded items
            /// still cost read capacity; [`limit`](Self::limit) still counts
            /// the items returned.
            pub fn filter(mut self, condition: Condition) -> Self {
                self.options.filter = super::and(self.options.filter.take(), Some(condition));
                self
            }

            /// At most `n` items in all: what `page` returns, and what
            /// `stream` and `all` yield, however many items a filter
            /// discards on the way (DynamoDB's own per-request `Limit` is
            /// [`request_limit`](Self::request_limit)). Must be at least 1.
            pub fn limit(mut self, n: usize) -> Self {
                self.options.limit = Some(n);
                self
            }

            /// DynamoDB's own `Limit`: each request evaluates at most `n`
            /// items (at least 1), before any filter. Caps the capacity one
            /// request reads; the default reads up to 1 MB per request.
            pub fn request_limit(mut self, n: u32) -> Self {
                self.options.request_limit = Some(n.clamp(1, i32::MAX as u32) as i32);
                self
            }

            /// Strongly consistent reads (twice the read capacity). Only the
            /// table and its local indexes have them; on a global index this
            /// does not compile.
            pub fn consistent(mut self, consistent: bool) -> Self
            where
                I: crate::index::ConsistentIndex,
            {
                self.options.consistent = consistent;
                self
            }

            /// Continues after the position a previous `page` returned as its
            /// cursor. A cursor from another table, index, operation or
            /// segment is an [`Error::InvalidCursor`](crate::Error::InvalidCursor).
            pub fn start_after(mut self, cursor: impl Into<String>) -> Self {
                self.options.start_after = Some(cursor.into());
                self
            }

            /// One page: the items of one request, or with a
            /// [`limit`](Self::limit), of as many requests as it takes to
            /// read `limit` items; and the cursor to continue from.
            pub async fn page(self) -> Result<Page<O>> {
                let client = self.client;
                let page = async move { self.pager(super::pages::Reading::Items)?.page().await };
                $crate::observe::run(client, Self::call_info(), Box::pin(page)).await
            }

            /// Every item (up to the limit), fetching pages as the stream is
            /// polled. A failed request is the last item of the stream; an
            /// item that cannot be decoded is an error in its place. The
            /// stream is `Unpin`: `.next().await` needs no `pin!`.
            pub fn stream(self) -> impl Stream<Item = Result<O>> + Send + Unpin + 'static {
                let client = self.client;
                let items = stream_of(self.pager(super::pages::Reading::Items), Pager::stream);
                $crate::observe::stream(client, Self::call_info(), items)
            }

            /// Every page: the items of each request DynamoDB answers (up
            /// to the [`limit`](Self::limit) in all; size them with
            /// [`request_limit`](Self::request_limit)), each with the
            /// cursor after it, to hand on or resume from. The first error
            /// ends the stream.
            pub fn pages(self) -> impl Stream<Item = Result<Page<O>>> + Send + Unpin + 'static {
                let client = self.client;
                let pages = stream_of(self.pager(super::pages::Reading::Items), Pager::pages);
                $crate::observe::stream(client, Self::call_info(), pages)
            }

            /// Every item (up to the limit) in a `Vec`; fails on the first
            /// error.
            pub async fn all(self) -> Result<Vec<O>> {
                futures::TryStreamExt::try_collect(self.stream()).await
            }

            /// How many items match (up to the limit), counted by DynamoDB
            /// without sending them (`Select: COUNT`).
            pub async fn count(self) -> Result<usize> {
                let client = self.client;
                let count = async move { self.pager(super::pages::Reading::Count)?.count().await };
                $crate::observe::run(client, Self::call_info(), Box::pin(count)).await
            }
        }
    };
}
pub(crate) use read_methods;
