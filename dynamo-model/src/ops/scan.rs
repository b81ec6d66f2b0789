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
//! // The whole table, page by page, as a lazy stream.
//! let mut users = std::pin::pin!(User::scan(db).stream());
//! while let Some(user) = users.try_next().await? {
//!     println!("{user:?}");
//! }
//! // Four segments read concurrently, merged into one stream.
//! let everyone: Vec<User> = User::scan(db).parallel(4).all().await?;
//! // The users with a team: the items of the sparse index `by_team`.
//! let in_teams = User::by_team(db).scan().count().await?;
//! // Segment 2 of 8, page by page, for a worker of a distributed job.
//! let page = User::scan(db).segment(2, 8).limit(100).page().await?;
//! # Ok(()) }
//! ```

use super::cursor::{Operation, Scope};
use super::pages::{read_methods, stream_of, Page, Pager, ReadOptions, Request};
use crate::client::Client;
use crate::index::{model_name, Index};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder;
use futures::{Stream, StreamExt};
use std::marker::PhantomData;

/// DynamoDB's maximum number of scan segments.
const MAX_SEGMENTS: u32 = 1_000_000;

/// A scan of index `I` (or the table): [`Model::scan`], or `.scan()` on an
/// index's query start; see the [module docs](self).
#[must_use = "a scan does nothing until .page(), .stream(), .all() or .count()"]
pub struct Scan<'a, I: Index> {
    client: &'a Client,
    segment: Option<(u32, u32)>,
    options: ReadOptions,
    index: PhantomData<I>,
}

read_methods!(Scan);

impl<'a, I: Index> Scan<'a, I> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            segment: None,
            options: ReadOptions::default(),
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
    pub fn parallel(self, segments: u32) -> ParallelScan<'a, I> {
        ParallelScan {
            scan: self,
            segments,
        }
    }

    /// The SDK request of the first page (without `Limit`, which each page
    /// sets), for anything dynamo-model does not cover.
    pub fn into_sdk(self) -> Result<ScanFluentBuilder> {
        let segment = self.checked_segment()?;
        Ok(self.request(segment))
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

    fn request(&self, segment: Option<(u32, u32)>) -> ScanFluentBuilder {
        self.client
            .sdk()
            .scan()
            .table_name(self.client.table_name::<I::Model>())
            .set_index_name(I::INDEX.map(|index| index.name.to_owned()))
            .set_segment(segment.map(|(segment, _)| segment as i32))
            .set_total_segments(segment.map(|(_, total)| total as i32))
            .consistent_read(self.options.consistent)
    }

    fn scope(segment: Option<(u32, u32)>) -> Scope {
        Scope {
            model: model_name::<I>(),
            operation: Operation::Scan,
            table: <I::Model as Model>::SCHEMA.table,
            index: I::INDEX.map(|index| index.name),
            segment,
        }
    }

    fn pager(self) -> Result<Pager<I>> {
        let segment = self.checked_segment()?;
        let request = Request::Scan(self.request(segment));
        Pager::new(request, Self::scope(segment), &self.options)
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
#[must_use = "a scan does nothing until .stream(), .all() or .count()"]
pub struct ParallelScan<'a, I: Index> {
    scan: Scan<'a, I>,
    segments: u32,
}

impl<I: Index> ParallelScan<'_, I> {
    /// One pager per segment, each limited to the scan's whole limit.
    fn pagers(self) -> Result<Vec<Pager<I>>> {
        let Self { scan, segments } = self;
        let model = model_name::<I>();
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
                let request = Request::Scan(scan.request(segment));
                Pager::new(request, Scan::<I>::scope(segment), &scan.options)
            })
            .collect()
    }

    /// Every item of every segment (up to the scan's limit), as the pages of
    /// the segments arrive.
    pub fn stream(self) -> impl Stream<Item = Result<I::Item>> + Send + 'static {
        let limit = self.scan.options.limit.unwrap_or(usize::MAX);
        let merged = match self.pagers() {
            Ok(pagers) => futures::stream::select_all(pagers.into_iter().map(|pager| {
                let stream: futures::stream::BoxStream<'static, _> = pager.stream().boxed();
                stream
            }))
            .left_stream(),
            Err(error) => futures::stream::once(std::future::ready(Err(error))).right_stream(),
        };
        merged.take(limit)
    }

    /// Every item (up to the limit) in a `Vec`; fails on the first error.
    pub async fn all(self) -> Result<Vec<I::Item>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }

    /// How many items match (up to the limit), counting the segments
    /// concurrently.
    pub async fn count(self) -> Result<usize> {
        let limit = self.scan.options.limit.unwrap_or(usize::MAX);
        let counts = futures::future::try_join_all(self.pagers()?.into_iter().map(Pager::count));
        Ok(counts.await?.into_iter().sum::<usize>().min(limit))
    }
}
