//! Following a table's stream with DynamoDB Streams (feature `streams`):
//! [`Model::changes`] gives a `futures::Stream` of
//! the table's changes, decoded into the model, each with the
//! [`Checkpoint`] to resume after it.
//!
//! Every shard is read, a child only after its parent (so the changes of
//! one item come in the order they were made), from the trim horizon (the
//! oldest record kept, the default), from the latest record, or from a
//! checkpoint. Empty polls back off up to [`Changes::max_idle`]; an expired
//! shard iterator is renewed from the last record delivered; closed shards
//! end cleanly, and the stream ends when the table's stream is turned off
//! and every shard is read. A record that cannot be decoded is an `Err`
//! item (logged with its sequence number) and the stream goes on past it;
//! a failed request ends the stream after its `Err`.
//!
//! ```no_run
//! use dynamo_model::stream::{Change, Checkpoint};
//! use dynamo_model::{Client, Model};
//! use futures::TryStreamExt;
//!
//! #[derive(Model, Debug)]
//! #[model(table = "users", stream = "new_and_old_images")]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     name: String,
//! }
//!
//! # async fn demo(db: &Client, saved: Option<String>) -> dynamo_model::Result<()> {
//! let changes = match saved {
//!     Some(text) => User::changes(db).resume(text.parse::<Checkpoint>()?),
//!     None => User::changes(db),
//! };
//! let mut changes = changes.stream();
//! while let Some(change) = changes.try_next().await? {
//!     if let Change::Modify { old, new } = change.record.into_change()? {
//!         println!("{} is now {}", old.name, new.name);
//!     }
//!     let saved = change.checkpoint.to_string(); // store it, resume from it
//! }
//! # Ok(()) }
//! ```

mod checkpoint;
pub(crate) mod convert;

pub use checkpoint::Checkpoint;

use crate::client::Client;
use crate::hooks::Hooked;
use crate::stream::ChangeRecord;
use crate::{Error, Model, Result};
use aws_sdk_dynamodbstreams::types::{ShardIteratorType, StreamStatus};
use checkpoint::Mark;
use futures::stream::{BoxStream, Stream, StreamExt};
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The shortest pause after an empty poll; it doubles up to `max_idle`.
const MIN_IDLE: Duration = Duration::from_millis(50);

/// A change read from the stream, and the position to resume after it.
#[non_exhaustive]
pub struct StreamChange<M: Model> {
    /// The change.
    pub record: ChangeRecord<M>,
    /// Where the reader is once this change is handled: store it and
    /// [`resume`](Changes::resume) from it to get the changes after this one.
    pub checkpoint: Checkpoint,
}

impl<M: Model + std::fmt::Debug> std::fmt::Debug for StreamChange<M>
where
    M::Key: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamChange")
            .field("record", &self.record)
            .field("checkpoint", &self.checkpoint)
            .finish()
    }
}

/// Where a reader starts.
#[derive(Debug, Clone)]
enum Start {
    TrimHorizon,
    Latest,
    Resume(Checkpoint),
}

/// Reads the changes of a model's table: [`Model::changes`].
#[must_use = "a reader does nothing until streamed"]
pub struct Changes<M: Model> {
    client: Client,
    start: Start,
    max_idle: Duration,
    hooks: Hooked,
    model: PhantomData<fn() -> M>,
}

impl<M: Model + 'static> Changes<M> {
    pub(crate) fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            start: Start::TrimHorizon,
            max_idle: Duration::from_secs(1),
            hooks: Hooked::of::<M>(),
            model: PhantomData,
        }
    }

    /// Start with the oldest record the stream keeps (24 hours): the
    /// default.
    pub fn trim_horizon(mut self) -> Self {
        self.start = Start::TrimHorizon;
        self
    }

    /// Start after the newest record: only changes made from now on.
    pub fn latest(mut self) -> Self {
        self.start = Start::Latest;
        self
    }

    /// Start after the change `checkpoint` was handed out with; shards
    /// that began since are read from their start.
    pub fn resume(mut self, checkpoint: Checkpoint) -> Self {
        self.start = Start::Resume(checkpoint);
        self
    }

    /// The longest pause between polls of a stream with nothing new
    /// (default 1 s); DynamoDB allows about 4 polls per second per shard.
    pub fn max_idle(mut self, max_idle: Duration) -> Self {
        self.max_idle = max_idle.max(MIN_IDLE);
        self
    }

    crate::hooks::skip_hooks!();

    /// The changes, as a stream.
    pub fn stream(self) -> ChangeStream<M> {
        let hooks = self.hooks;
        ChangeStream {
            inner: self
                .records()
                .map(move |delivered| delivered.and_then(|delivered| decode(delivered, hooks)))
                .boxed(),
        }
    }

    /// The records as read, each with the position after it.
    pub(crate) fn records(self) -> impl Stream<Item = Result<Delivered>> + Send + 'static {
        let reader = Reader::<M> {
            streams: None,
            table: self.client.table_name::<M>(),
            client: self.client,
            checkpoint: None,
            start: self.start,
            shards: Vec::new(),
            pending: VecDeque::new(),
            describe: true,
            disabled: false,
            idle: MIN_IDLE,
            max_idle: self.max_idle,
            done: false,
            model: PhantomData,
        };
        futures::stream::unfold(reader, |mut reader| async move {
            reader.next().await.map(|item| (item, reader))
        })
    }

    /// Reads until a change `found` accepts, and returns it: for tests,
    /// which then need no sleeps. Fails with [`Error::Timeout`] after
    /// `timeout`, or with the first error the stream gives.
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Model};
    /// # use std::time::Duration;
    /// # #[derive(Model, Debug)] #[model(stream = "new_image")] struct User { #[model(hash_key)] id: String }
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// User::create(db, &User { id: "u1".into() }).await?;
    /// let change = User::changes(db)
    ///     .wait_for(Duration::from_secs(10), |record| record.key == "u1")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn wait_for(
        self,
        timeout: Duration,
        mut found: impl FnMut(&ChangeRecord<M>) -> bool + Send,
    ) -> Result<StreamChange<M>> {
        let table = self.client.table_name::<M>();
        let mut changes = self.stream();
        let search = async {
            while let Some(change) = changes.next().await {
                let change = change?;
                if found(&change.record) {
                    return Ok(change);
                }
            }
            Err(Error::Config(format!(
                "{}: the stream of table `{table}` ended before the change waited for",
                M::SCHEMA.model
            )))
        };
        match tokio::time::timeout(timeout, search).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                table,
                state: "showing the change waited for in its stream",
                waited: timeout,
            }),
        }
    }
}

/// The changes of a table, from [`Changes::stream`].
pub struct ChangeStream<M: Model> {
    inner: BoxStream<'static, Result<StreamChange<M>>>,
}

impl<M: Model> Stream for ChangeStream<M> {
    type Item = Result<StreamChange<M>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// A record as read, with the position after it.
pub(crate) struct Delivered {
    pub record: aws_sdk_dynamodbstreams::types::Record,
    pub checkpoint: Checkpoint,
}

/// One shard as the reader follows it.
struct Shard {
    id: String,
    parent: Option<String>,
    /// Where to read next, once asked for.
    iterator: Option<String>,
    /// How to start when the checkpoint has nothing for the shard.
    first: ShardIteratorType,
    finished: bool,
}

/// The reading loop behind [`ChangeStream`] (see the module docs).
struct Reader<M: Model> {
    client: Client,
    /// `None` until the stream is found, like `checkpoint`.
    streams: Option<aws_sdk_dynamodbstreams::Client>,
    table: String,
    /// `None` until the stream is found.
    checkpoint: Option<Checkpoint>,
    start: Start,
    shards: Vec<Shard>,
    pending: VecDeque<Delivered>,
    /// Read the stream's shards before the next round.
    describe: bool,
    /// The table's stream is turned off: end once every shard is read.
    disabled: bool,
    idle: Duration,
    max_idle: Duration,
    done: bool,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Reader<M> {
    async fn next(&mut self) -> Option<Result<Delivered>> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            if let Err(error) = self.round().await {
                self.done = true;
                return Some(Err(error));
            }
        }
    }

    /// Polls every shard that may be read once, then rests if none had
    /// anything.
    async fn round(&mut self) -> Result<()> {
        if self.checkpoint.is_none() {
            self.open().await?;
        }
        if self.describe {
            self.describe = false;
            self.describe_shards().await?;
        }
        let ready: Vec<usize> = (0..self.shards.len())
            .filter(|&i| !self.shards[i].finished && self.parent_read(i))
            .collect();
        if ready.is_empty() && self.disabled && self.shards.iter().all(|s| s.finished) {
            self.done = true;
            return Ok(());
        }
        let mut delivered = false;
        for i in ready {
            delivered |= self.read_shard(i).await?;
        }
        if delivered {
            self.idle = MIN_IDLE;
        } else {
            tokio::time::sleep(self.idle).await;
            self.idle = (self.idle * 2).min(self.max_idle);
            self.describe |= self.shards.iter().all(|s| s.finished);
        }
        Ok(())
    }

    /// Finds the table's stream, and checks a checkpoint belongs to it.
    async fn open(&mut self) -> Result<()> {
        self.streams = Some(self.client.streams()?);
        let description = crate::ops::table::describe(&self.client, &self.table).await?;
        let stream_arn = description
            .as_ref()
            .filter(|t| t.stream_specification().is_some_and(|s| s.stream_enabled()))
            .and_then(|t| t.latest_stream_arn());
        let Some(stream_arn) = stream_arn else {
            return Err(Error::Config(format!(
                "{}: table `{}` has no stream; declare one with #[model(stream = \"new_and_old_images\")] \
                 and create or sync the table",
                M::SCHEMA.model,
                self.table
            )));
        };
        self.checkpoint = Some(match &self.start {
            Start::Resume(checkpoint) if checkpoint.stream_arn() != stream_arn => {
                return Err(Error::Config(format!(
                    "{}: the checkpoint is of stream {}, but table `{}` now has stream {stream_arn} \
                     (the stream was turned off and on again); start with trim_horizon() instead",
                    M::SCHEMA.model,
                    checkpoint.stream_arn(),
                    self.table
                )));
            }
            Start::Resume(checkpoint) => checkpoint.clone(),
            Start::TrimHorizon | Start::Latest => Checkpoint::new(stream_arn),
        });
        Ok(())
    }

    /// Reads the stream's shards, adding those not known yet.
    async fn describe_shards(&mut self) -> Result<()> {
        let checkpoint = self.checkpoint.as_mut().expect("the stream is open");
        let arn = checkpoint.stream_arn().to_owned();
        // Shards found after the first reading began since: from their start.
        let first = match (&self.start, self.shards.is_empty()) {
            (Start::Latest, true) => ShardIteratorType::Latest,
            _ => ShardIteratorType::TrimHorizon,
        };
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = streams(&self.streams)
                .describe_stream()
                .stream_arn(&arn)
                .set_exclusive_start_shard_id(after)
                .send()
                .await
                .map_err(|e| Error::service("DescribeStream", &self.table, e))?;
            let Some(description) = page.stream_description else {
                break;
            };
            self.disabled = description.stream_status == Some(StreamStatus::Disabled);
            all.extend(description.shards.unwrap_or_default());
            after = description.last_evaluated_shard_id;
            if after.is_none() {
                break;
            }
        }
        for shard in all {
            let Some(id) = shard.shard_id else { continue };
            if self.shards.iter().any(|s| s.id == id) {
                continue;
            }
            self.shards.push(Shard {
                finished: checkpoint.mark(&id) == Some(&Mark::Finished),
                parent: shard.parent_shard_id,
                iterator: None,
                first: first.clone(),
                id,
            });
        }
        let shards = &self.shards;
        checkpoint.retain(|id| shards.iter().any(|s| s.id == id));
        Ok(())
    }

    /// A shard is read only once its parent is (a parent no longer in the
    /// stream was trimmed, and counts as read).
    fn parent_read(&self, i: usize) -> bool {
        match &self.shards[i].parent {
            None => true,
            Some(parent) => self
                .shards
                .iter()
                .find(|s| &s.id == parent)
                .is_none_or(|s| s.finished),
        }
    }

    /// One GetRecords of shard `i`; whether it delivered anything.
    async fn read_shard(&mut self, i: usize) -> Result<bool> {
        let iterator = match self.shards[i].iterator.take() {
            Some(iterator) => iterator,
            None => match self.iterator(i).await? {
                Some(iterator) => iterator,
                None => return Ok(false),
            },
        };
        let output = match streams(&self.streams)
            .get_records()
            .shard_iterator(iterator)
            .send()
            .await
        {
            Ok(output) => output,
            // Iterators last 15 minutes: renewed from the checkpoint next round.
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_expired_iterator_exception()) =>
            {
                return Ok(false)
            }
            // An iterator at the trim horizon can fall behind it (DynamoDB
            // Local's does once writes begin): a new one starts at the
            // oldest record, so nothing is skipped. Past a delivered record
            // the records after it are gone: that is an error.
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_trimmed_data_access_exception())
                    && self.at_trim_horizon(i) =>
            {
                return Ok(false)
            }
            Err(error) => return Err(Error::service("GetRecords", &self.table, error)),
        };
        let checkpoint = self.checkpoint.as_mut().expect("the stream is open");
        let shard = &mut self.shards[i];
        let delivered = !output.records().is_empty();
        for record in output.records.unwrap_or_default() {
            let sequence = record
                .dynamodb
                .as_ref()
                .and_then(|r| r.sequence_number.clone());
            checkpoint.set(&shard.id, Mark::After(sequence.unwrap_or_default()));
            self.pending.push_back(Delivered {
                record,
                checkpoint: checkpoint.clone(),
            });
        }
        match output.next_shard_iterator {
            Some(next) => shard.iterator = Some(next),
            None => {
                shard.finished = true;
                checkpoint.set(&shard.id, Mark::Finished);
                self.describe = true;
            }
        }
        Ok(delivered)
    }

    /// Shard `i` is read from its oldest record: nothing delivered from it
    /// yet, and the reader started at the trim horizon.
    fn at_trim_horizon(&self, i: usize) -> bool {
        let shard = &self.shards[i];
        let delivered = self
            .checkpoint
            .as_ref()
            .is_some_and(|c| c.mark(&shard.id).is_some());
        !delivered && shard.first == ShardIteratorType::TrimHorizon
    }

    /// A new iterator for shard `i`: after its last delivered record, else
    /// where the reader starts; `None` when the shard is gone.
    async fn iterator(&mut self, i: usize) -> Result<Option<String>> {
        let checkpoint = self.checkpoint.as_ref().expect("the stream is open");
        let shard = &self.shards[i];
        let (kind, sequence) = match checkpoint.mark(&shard.id) {
            Some(Mark::After(sequence)) => (
                ShardIteratorType::AfterSequenceNumber,
                Some(sequence.clone()),
            ),
            _ => (shard.first.clone(), None),
        };
        let result = streams(&self.streams)
            .get_shard_iterator()
            .stream_arn(checkpoint.stream_arn())
            .shard_id(&shard.id)
            .shard_iterator_type(kind)
            .set_sequence_number(sequence)
            .send()
            .await;
        match result {
            Ok(output) => Ok(output.shard_iterator),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) =>
            {
                self.shards[i].finished = true;
                Ok(None)
            }
            Err(error) => Err(Error::service("GetShardIterator", &self.table, error)),
        }
    }
}

/// A record decoded into `M`; one that does not decode is logged with its
/// place in the stream and given as the error.
fn decode<M: Model>(delivered: Delivered, hooks: Hooked) -> Result<StreamChange<M>> {
    let Delivered { record, checkpoint } = delivered;
    let sequence = record
        .dynamodb
        .as_ref()
        .and_then(|r| r.sequence_number.clone());
    match convert::raw_record::<M>(record).and_then(|raw| ChangeRecord::decode(raw, hooks)) {
        Ok(record) => Ok(StreamChange { record, checkpoint }),
        Err(error) => {
            tracing::warn!(
                model = M::SCHEMA.model,
                sequence_number = sequence.as_deref().unwrap_or_default(),
                "stream record not decoded: {error}"
            );
            Err(error)
        }
    }
}

/// The Streams client of an open reader.
fn streams(client: &Option<aws_sdk_dynamodbstreams::Client>) -> &aws_sdk_dynamodbstreams::Client {
    client.as_ref().expect("the stream is open")
}
