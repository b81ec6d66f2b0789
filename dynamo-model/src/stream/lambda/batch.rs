//! The batch processor: a handler run over the records of a Lambda event,
//! in order (per partition key, when asked), stopping at failures and
//! reporting them as partial batch failures.

use crate::hooks::Hooked;
use crate::stream::ChangeRecord;
use crate::{Error, Model};
use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

/// Runs a handler over the records of a Lambda DynamoDB event as
/// [`ChangeRecord<M>`]s and says which records Lambda must deliver again,
/// for an event source mapping with
/// `FunctionResponseTypes: ["ReportBatchItemFailures"]` (without it Lambda
/// ignores the response and takes the whole batch as done).
///
/// By default the records run one at a time, in order, and the first one
/// that fails (its handler returns an error, or it cannot be decoded) stops
/// the batch: its sequence number is reported, so Lambda acknowledges what
/// came before and delivers it and everything after it again, in order.
/// See [`concurrent_by_key`](Self::concurrent_by_key) for running keys
/// side by side. Either way a record can be delivered more than once, so a
/// handler must be idempotent.
pub struct Processor<M> {
    /// How many keys run at once; `None` runs the batch in order.
    keys_at_once: Option<usize>,
    hooks: Hooked,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Processor<M> {
    /// A processor running the records one at a time, in order.
    pub const fn new() -> Self {
        Self {
            keys_at_once: None,
            hooks: Hooked::of::<M>(),
            model: PhantomData,
        }
    }

    /// Runs the records of up to `limit` partition keys at once (at least
    /// one), as futures on the calling task, keeping the order within each
    /// key: a key's next record starts when its previous one has succeeded,
    /// and a key stops at its first failure while the other keys go on.
    /// The first failure of every failing key is reported; Lambda resumes
    /// the shard from the lowest of them, so the records of other keys
    /// after it, done or not, are delivered again too.
    pub const fn concurrent_by_key(mut self, limit: usize) -> Self {
        self.keys_at_once = Some(if limit == 0 { 1 } else { limit });
        self
    }

    /// Decodes the records without the model's [hooks](crate::hooks).
    pub const fn skip_hooks(mut self) -> Self {
        self.hooks = Hooked::none();
        self
    }

    /// Decodes each record and calls `handler` with it, as set up; what
    /// failed is in the outcome, and [`BatchOutcome::response`] is what the
    /// Lambda function returns. Every failure is also logged with
    /// `tracing::warn!`.
    ///
    /// The handler's error type `E` only needs [`Display`](fmt::Display),
    /// for the log, so `dynamo_model::Error`, `anyhow::Error` or a boxed
    /// error all do; the outcome gives it back as it is.
    pub async fn run<F, Fut, E>(self, event: Event, mut handler: F) -> BatchOutcome<E>
    where
        F: FnMut(ChangeRecord<M>) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        let (mut groups, limit) = match self.keys_at_once {
            None => (vec![event.records.into_iter().enumerate().collect()], 1),
            Some(limit) => (by_partition_key::<M>(event.records), limit),
        };
        // Groups whose next record may start, and the records running.
        let mut ready: VecDeque<usize> = (0..groups.len()).collect();
        let mut running = FuturesUnordered::new();
        let mut failures = Vec::new();
        loop {
            while running.len() < limit {
                let Some(group) = ready.pop_front() else {
                    break;
                };
                let Some((position, record)) = groups[group].pop_front() else {
                    continue;
                };
                let started = Started {
                    group,
                    position,
                    sequence_number: record.change.sequence_number.clone().unwrap_or_default(),
                    event_id: record.event_id.clone(),
                };
                match ChangeRecord::<M>::decode_lambda(record, self.hooks) {
                    Ok(record) => running.push(finished(started, handler(record))),
                    Err(error) => failures.push(started.failed(FailureCause::Decode(error))),
                }
            }
            let Some((started, result)) = running.next().await else {
                break;
            };
            match result {
                Ok(()) => ready.push_back(started.group),
                Err(error) => failures.push(started.failed(FailureCause::Handler(error))),
            }
        }
        failures.sort_by_key(|(position, _)| *position);
        BatchOutcome {
            failures: failures.into_iter().map(|(_, failure)| failure).collect(),
        }
    }
}

impl<M: Model> Default for Processor<M> {
    fn default() -> Self {
        Self::new()
    }
}

// A processor is its settings: a `const` one serves every invocation.
impl<M> Clone for Processor<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Processor<M> {}

/// The records with their positions in the batch, one group per partition
/// key in the order keys first appear, each in batch order. Records whose
/// partition key cannot be read share a group (they fail to decode).
fn by_partition_key<M: Model>(records: Vec<EventRecord>) -> Vec<VecDeque<(usize, EventRecord)>> {
    let name = M::SCHEMA.hash_key.name;
    let mut group_of = HashMap::new();
    let assigned: Vec<usize> = records
        .iter()
        .map(|record| {
            let next = group_of.len();
            *group_of
                .entry(Partition::of(record.change.keys.get(name)))
                .or_insert(next)
        })
        .collect();
    let mut groups = vec![VecDeque::new(); group_of.len()];
    for (position, (record, group)) in records.into_iter().zip(assigned).enumerate() {
        groups[group].push_back((position, record));
    }
    groups
}

/// A partition key value, to group records by (key values are scalars).
#[derive(PartialEq, Eq, Hash)]
enum Partition<'a> {
    S(&'a str),
    N(&'a str),
    B(&'a [u8]),
    Unreadable,
}

impl<'a> Partition<'a> {
    fn of(value: Option<&'a serde_dynamo::AttributeValue>) -> Self {
        match value {
            Some(serde_dynamo::AttributeValue::S(s)) => Self::S(s),
            Some(serde_dynamo::AttributeValue::N(n)) => Self::N(n),
            Some(serde_dynamo::AttributeValue::B(b)) => Self::B(b),
            _ => Self::Unreadable,
        }
    }
}

/// A record handed to the handler: where it is, and what names it.
struct Started {
    group: usize,
    position: usize,
    sequence_number: String,
    event_id: String,
}

impl Started {
    /// The record's failure, logged, with its position in the batch.
    fn failed<E: fmt::Display>(self, cause: FailureCause<E>) -> (usize, RecordFailure<E>) {
        let failure = RecordFailure {
            sequence_number: self.sequence_number,
            event_id: self.event_id,
            cause,
        };
        tracing::warn!(
            sequence_number = %failure.sequence_number,
            event_id = %failure.event_id,
            "{failure}; reported as a batch item failure, so Lambda delivers it again"
        );
        (self.position, failure)
    }
}

/// The handler's future, giving back which record it ran.
async fn finished<Fut: Future>(started: Started, future: Fut) -> (Started, Fut::Output) {
    (started, future.await)
}

/// What a [`Processor`] did with a batch: the records that failed, and the
/// response telling Lambda to deliver them (and what follows) again.
#[derive(Debug)]
#[must_use = "return `outcome.response()` from the Lambda function, or the failures are lost"]
pub struct BatchOutcome<E> {
    /// The first failure of each stopped key (of the batch, when run in
    /// order), in batch order.
    pub failures: Vec<RecordFailure<E>>,
}

impl<E> BatchOutcome<E> {
    /// The Lambda function's response: every failure's sequence number as
    /// a batch item failure; none when every record succeeded.
    pub fn response(&self) -> DynamoDbEventResponse {
        let mut response = DynamoDbEventResponse::default();
        response.batch_item_failures = self
            .failures
            .iter()
            .map(|failure| {
                let mut item = DynamoDbBatchItemFailure::default();
                item.item_identifier = Some(failure.sequence_number.clone());
                item
            })
            .collect();
        response
    }
}

/// A record that failed, named by its place in the stream.
#[derive(Debug)]
pub struct RecordFailure<E> {
    /// The record's sequence number, reported to Lambda (empty when the
    /// record has none, which makes Lambda retry the whole batch).
    pub sequence_number: String,
    /// The record's event id.
    pub event_id: String,
    /// Why it failed.
    pub cause: FailureCause<E>,
}

/// Why a record failed: before the handler ran, or in it.
#[derive(Debug)]
pub enum FailureCause<E> {
    /// The record could not be decoded into the model (the error names the
    /// model and the attribute); the handler did not run.
    Decode(Error),
    /// The handler returned this error.
    Handler(E),
}

impl<E: fmt::Display> fmt::Display for RecordFailure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stream record {} (event {}): ",
            self.sequence_number, self.event_id
        )?;
        match &self.cause {
            FailureCause::Decode(error) => write!(f, "{error}"),
            FailureCause::Handler(error) => write!(f, "the handler failed: {error}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for RecordFailure<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            FailureCause::Decode(error) => Some(error),
            FailureCause::Handler(error) => Some(error),
        }
    }
}
