//! Scans: every item of the table or of a secondary index, one page after
//! another, or in parallel segments merged into one stream.
//!
//! ```no_run
//! use dynamo_model::{Client, Model};
//! use futures::TryStreamExt;
//!
//! #[derive(Model, Debug)]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     #[model(global_index(name = "by_team", hash_key))]
//!     team: Option<String>,
//! }
//!
//! # async fn demo(db: &Client) -> dynamo_model::Result<()> {
//! // The whole table, page by page, as a lazy stream (no `pin!` needed).
//! let mut users = User::scan(db).stream();
//! while let Some(user) = users.try_next().await? {
//!     println!("{user:?}");
//! }
//! // Or the pages themselves, each with the cursor after it.
//! let mut pages = User::scan(db).request_limit(500).pages();
//! while let Some(page) = pages.try_next().await? {
//!     println!("{} users, more: {}", page.items.len(), page.cursor.is_some());
//! }
//! // Four segments read concurrently, merged into one stream.
//! let everyone: Vec<User> = User::scan(db).parallel(4).all().await?;
//! // The users with a team: the items of the sparse index `by_team`.
//! let in_teams = User::by_team(db).scan().count().await?;
//! // Segment 2 of 8, page by page, for a worker of a distributed job.
//! let page = User::scan(db).segment(2, 8).limit(100).page().await?;
//! # Ok(()) }
//! ```

use super::builder::CustomizeEach;
use super::cursor::{Operation, Scope};
use super::pages::{read_methods, stream_of, Page, Pager, ReadOptions, Reading, Request};
use crate::client::Client;
use crate::expr::{Condition, Placeholders, Projection};
use crate::index::{model_name, Index};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder;
use futures::{Stream, StreamExt};
use std::marker::PhantomData;

/// DynamoDB's maximum number of scan segments.
const MAX_SEGMENTS: u32 = 1_000_000;

/// A scan of index `I` (or the table), reading items into `O` (what the
/// index holds, or a [`project`](Self::project)ed type): [`Model::scan`], or
/// `.scan()` on an index's query start; see the [module docs](self).
#[must_use = "a scan does nothing until .page(), .stream(), .all() or .count()"]
pub struct Scan<'a, I: Index, O = <I as Index>::Item> {
    client: &'a Client,
    segment: Option<(u32, u32)>,
    options: ReadOptions<O>,
    customize: CustomizeEach<'a, ScanFluentBuilder>,
    index: PhantomData<I>,
}

read_methods!(Scan, ScanFluentBuilder, "Scan", "scan", "User::scan(db)");

impl<'a, I: Index> Scan<'a, I> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            segment: None,
            options: ReadOptions::new::<I>(),
            customize: CustomizeEach::default(),
            index: PhantomData,
        }
    }
}

impl<'a, I: Index, O: Send + 'static> Scan<'a, I, O> {
    /// Reads only the attributes of `P` (and the keys, for cursors) and
    /// decodes into it (see [`Projection`]).
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Document, Model};
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String, name: String, bio: String }
    /// #[derive(Document, Debug)]
    /// struct UserName { id: String, name: String }
    ///
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// let names: Vec<UserName> = User::scan(db).project::<UserName>().all().await?;
    /// # Ok(()) }
    /// ```
    pub fn project<P: Projection>(self) -> Scan<'a, I, P> {
        Scan {
            client: self.client,
            segment: self.segment,
            options: self.options.project::<P>(),
            customize: self.customize,
            index: PhantomData,
        }
    }

    /// Reads only segment `segment` (from 0) of `total` (at most 1,000,000),
    /// for spreading a scan over workers; its cursors belong to that segment.
    pub fn segment(mut self, segment: u32, total: u32) -> Self {
        self.segment = Some((segment, total));
        self
    }

    /// Reads `segments` segments concurrently, merged into one stream in the
    /// order pages arrive. A parallel scan has no page or cursor; to resume
    /// one, scan each [`segment`](Self::segment) with its own cursors.
    pub fn parallel(self, segments: u32) -> ParallelScan<'a, I, O> {
        ParallelScan {
            scan: self,
            segments,
        }
    }

    /// The SDK request with its expressions (customized), for anything
    /// dynamo-model does not cover. Paging is left to the caller: it has no
    /// `Limit` and no `ExclusiveStartKey` (the limit and cursor given here
    /// are not applied).
    pub fn into_sdk(self) -> Result<ScanFluentBuilder> {
        let segment = self.checked_segment()?;
        self.request(segment, Reading::Items)
    }

    fn checked_segment(&self) -> Result<Option<(u32, u32)>> {
        match self.segment {
            Some((segment, total)) if total == 0 || total > MAX_SEGMENTS || segment >= total => {
                Err(Error::Config(format!(
                    "{}: scan segment {segment} of {total} does not exist; segments are 0 to total - 1, and total is 1 to {MAX_SEGMENTS}",
                    model_name::<I>()
                )))
            }
            segment => Ok(segment),
        }
    }

    fn request(&self, segment: Option<(u32, u32)>, reading: Reading) -> Result<ScanFluentBuilder> {
        let expressions = self.options.render::<I>(Placeholders::new(), reading)?;
        let request = self
            .client
            .sdk()
            .scan()
            .table_name(self.client.table_name::<I::Model>())
            .set_index_name(I::INDEX.map(|index| index.name.to_owned()))
            .set_segment(segment.map(|(segment, _)| segment as i32))
            .set_total_segments(segment.map(|(_, total)| total as i32))
            .set_filter_expression(expressions.filter)
            .set_projection_expression(expressions.projection)
            .set_expression_attribute_names(expressions.names)
            .set_expression_attribute_values(expressions.values)
            .consistent_read(self.options.consistent);
        Ok(self.customize.apply(request))
    }

    fn pager(self, reading: Reading) -> Result<Pager<I, O>> {
        let segment = self.checked_segment()?;
        let request = Request::Scan(self.request(segment, reading)?);
        let key = self.client.cursor_key();
        Pager::new(request, scope::<I>(segment), key, &self.options)
    }
}

/// A scan of several segments at once: [`Scan::parallel`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let count = User::scan(db).parallel(8).count().await?;
/// # Ok(()) }
/// ```
#[must_use = "a scan does nothing until .page(), .stream(), .all() or .count()"]
pub struct ParallelScan<'a, I: Index, O = <I as Index>::Item> {
    scan: Scan<'a, I, O>,
    segments: u32,
}

impl<I: Index, O: Send + 'static> ParallelScan<'_, I, O> {
    /// One pager per segment, each limited to the scan's whole limit.
    fn pagers(self, reading: Reading) -> Result<Vec<Pager<I, O>>> {
        let Self { scan, segments } = self;
        let model = model_name::<I>();
        let key = scan.client.cursor_key();
        if scan.segment.is_some() {
            return Err(Error::Config(format!(
                "{model}: a parallel scan reads every segment; drop .segment(..) or .parallel(..)"
            )));
        }
        if scan.options.start_after.is_some() {
            return Err(Error::Config(format!(
                "{model}: a parallel scan cannot resume from one cursor; resume each .segment(i, n) from its own"
            )));
        }
        if segments == 0 || segments > MAX_SEGMENTS {
            return Err(Error::Config(format!(
                "{model}: a scan has 1 to {MAX_SEGMENTS} segments, not {segments}"
            )));
        }
        (0..segments)
            .map(|segment| {
                let segment = Some((segment, segments));
                let request = Request::Scan(scan.request(segment, reading)?);
                Pager::new(request, scope::<I>(segment), key.clone(), &scan.options)
            })
            .collect()
    }

    /// Every item of every segment (up to the scan's limit), as the pages of
    /// the segments arrive.
    pub fn stream(self) -> impl Stream<Item = Result<O>> + Send + Unpin + 'static {
        let (client, info) = (self.scan.client, Scan::<I, O>::call_info());
        let limit = self.scan.options.limit.unwrap_or(usize::MAX);
        let merged = match self.pagers(Reading::Items) {
            Ok(pagers) => {
                futures::stream::select_all(pagers.into_iter().map(Pager::stream)).left_stream()
            }
            Err(error) => futures::stream::once(std::future::ready(Err(error))).right_stream(),
        };
        crate::observe::stream(client, info, merged.take(limit))
    }

    /// The first page of every segment, read concurrently, in segment
    /// order (each up to the scan's limit). Resume segment `i` of `n` with
    /// `.segment(i, n).start_after(cursor)` of its page, in any process:
    /// the way to spread a scan over workers.
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// let pages = User::scan(db).limit(100).parallel(4).page().await?;
    /// for (segment, page) in (0..).zip(pages) {
    ///     if let Some(cursor) = page.cursor {
    ///         let next = User::scan(db).limit(100).segment(segment, 4).start_after(cursor);
    ///         // hand `next` (or just the cursor) to a worker
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn page(self) -> Result<Vec<Page<O>>> {
        let (client, info) = (self.scan.client, Scan::<I, O>::call_info());
        let pages = async move {
            let pages = self.pagers(Reading::Items)?.into_iter().map(Pager::page);
            futures::future::try_join_all(pages).await
        };
        crate::observe::run(client, info, Box::pin(pages)).await
    }

    /// Every item (up to the limit) in a `Vec`; fails on the first error.
    pub async fn all(self) -> Result<Vec<O>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }

    /// How many items match (up to the limit), counting the segments
    /// concurrently.
    pub async fn count(self) -> Result<usize> {
        let (client, info) = (self.scan.client, Scan::<I, O>::call_info());
        let limit = self.scan.options.limit.unwrap_or(usize::MAX);
        let count = async move {
            let counts = futures::future::try_join_all(
                self.pagers(Reading::Count)?.into_iter().map(Pager::count),
            );
            Ok(counts.await?.into_iter().sum::<usize>().min(limit))
        };
        crate::observe::run(client, info, Box::pin(count)).await
    }
}

/// What a cursor of a scan of `I` (in `segment`) is tied to.
fn scope<I: Index>(segment: Option<(u32, u32)>) -> Scope {
    Scope {
        model: model_name::<I>(),
        operation: Operation::Scan,
        table: <I::Model as Model>::SCHEMA.table,
        index: I::INDEX.map(|index| index.name),
        segment,
    }
}
