//! One call of an operation (a get, a query read to its end, a batch with
//! all its rounds): the unit a span, the consumed capacity and a metrics
//! record are counted in.
//!
//! The call's state travels with its future in a task-local, so the one
//! place every request is sent (`ops::builder::try_send`) adds to it
//! without a parameter threaded through every operation; a query's or
//! scan's stream enters it on each poll.

use super::{CallRecord, Capacity, CapacityMode, Layer, Outcome, Recorder, RequestLayers};
use crate::client::Client;
use crate::model::Model;
use crate::ops::builder::BoxFuture;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::ConsumedCapacity;
use futures::Stream;
use std::future::IntoFuture;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;
use tracing::field::Empty;
use tracing::{Instrument, Span};

tokio::task_local! {
    static CALL: Arc<CallState>;
    /// The capacity of the calls inside a [`measure`], added up.
    static MEASURE: Arc<Mutex<Capacity>>;
}

/// What a call is: its model, operation and index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallInfo {
    model: Option<&'static str>,
    operation: &'static str,
    index: Option<&'static str>,
}

impl CallInfo {
    /// Operation `operation` of model `M`.
    pub fn of<M: Model>(operation: &'static str) -> Self {
        Self {
            model: Some(M::SCHEMA.model),
            operation,
            index: None,
        }
    }

    /// An operation across models (a batch write, a transaction).
    pub fn across(operation: &'static str) -> Self {
        Self {
            model: None,
            operation,
            index: None,
        }
    }

    /// The same call, reading secondary index `index`.
    pub fn on_index(mut self, index: Option<&'static str>) -> Self {
        self.index = index;
        self
    }
}

/// The state of a running call.
pub(crate) struct CallState {
    info: CallInfo,
    span: Span,
    mode: Option<CapacityMode>,
    recorder: Option<Arc<dyn Recorder>>,
    layers: Arc<[Arc<dyn Layer>]>,
    /// The [`measure`] the call is inside, if any.
    measure: Option<Arc<Mutex<Capacity>>>,
    start: Instant,
    tally: Mutex<Tally>,
}

#[derive(Default)]
struct Tally {
    table: Option<String>,
    requests: u32,
    attempts: u32,
    capacity: Capacity,
    finished: bool,
}

impl CallState {
    fn new(client: &Client, info: CallInfo) -> Arc<Self> {
        let measure = MEASURE.try_with(Arc::clone).ok();
        let mode = client
            .capacity_mode()
            .or(measure.as_ref().map(|_| CapacityMode::Indexes));
        let span = tracing::info_span!(
            "dynamodb.call",
            otel.name = info.operation,
            db.system.name = "aws.dynamodb",
            db.operation.name = info.operation,
            dynamo_model.model = info.model,
            aws.dynamodb.index_name = info.index,
            aws.dynamodb.table_names = Empty,
            dynamo_model.requests = Empty,
            dynamo_model.retries = Empty,
            aws.dynamodb.consumed_capacity = Empty,
            "error.type" = Empty,
        );
        Arc::new(Self {
            info,
            span,
            mode,
            recorder: client.recorder(),
            layers: Arc::clone(client.layers()),
            measure,
            start: Instant::now(),
            tally: Mutex::default(),
        })
    }

    fn tally(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.tally
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The client's layers (see [`Layer`]) for a request of this call.
    pub fn layers<'a>(&'a self, operation: &'static str, table: &'a str) -> RequestLayers<'a> {
        RequestLayers {
            layers: &self.layers,
            model: self.info.model,
            call: self.info.operation,
            operation,
            table,
        }
    }

    /// Whether the SDK's attempts are worth counting: someone looks at the
    /// call's span or record.
    pub fn counts_attempts(&self) -> bool {
        self.recorder.is_some() || !self.span.is_disabled()
    }

    /// The consumed capacity to ask for, if any.
    pub fn capacity_mode(&self) -> Option<CapacityMode> {
        self.mode
    }

    /// A request to `table` was answered, with what it consumed.
    pub fn answered<'c>(&self, table: &str, consumed: impl Iterator<Item = &'c ConsumedCapacity>) {
        let mut tally = self.tally();
        if tally.table.is_none() {
            tally.table = Some(table.to_owned());
        }
        tally.requests += 1;
        for consumed in consumed {
            tally.capacity.add(consumed);
        }
    }

    /// A request failed (after the SDK's retries).
    pub fn failed(&self, table: &str) {
        self.answered(table, std::iter::empty());
    }

    /// A layer refused a request to `table`: nothing was sent.
    pub fn refused(&self, table: &str) {
        let mut tally = self.tally();
        if tally.table.is_none() {
            tally.table = Some(table.to_owned());
        }
    }

    /// The SDK started an attempt of a request.
    fn attempt(&self) {
        self.tally().attempts += 1;
    }

    /// Records the call on its span, with the client's recorder and in the
    /// measure it is inside, once.
    fn finish(&self, error: Option<&str>) {
        let mut tally = self.tally();
        if tally.finished {
            return;
        }
        tally.finished = true;
        if let Some(measure) = &self.measure {
            measure
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .merge(&tally.capacity);
        }
        let retries = tally.attempts.saturating_sub(tally.requests);
        let table = tally.table.as_deref().unwrap_or_default();
        if !self.span.is_disabled() {
            self.span.record("aws.dynamodb.table_names", table);
            self.span.record("dynamo_model.requests", tally.requests);
            self.span.record("dynamo_model.retries", retries);
            if self.mode.is_some() {
                self.span
                    .record("aws.dynamodb.consumed_capacity", tally.capacity.total.total);
            }
            if let Some(kind) = error {
                self.span.record("error.type", kind);
            }
        }
        if let Some(recorder) = &self.recorder {
            recorder.record(&CallRecord {
                model: self.info.model,
                operation: self.info.operation,
                table,
                index: self.info.index,
                outcome: error.map_or(Outcome::Ok, Outcome::Error),
                latency: self.start.elapsed(),
                capacity: self.mode.map(|_| &tally.capacity),
                requests: tally.requests,
                retries,
            });
        }
    }
}

/// The call the running task is in, if any.
pub(crate) fn current() -> Option<Arc<CallState>> {
    CALL.try_with(Arc::clone).ok()
}

/// For the SDK interceptor: an attempt of a request of the current call.
pub(crate) fn attempt() {
    let _ = CALL.try_with(|call| call.attempt());
}

/// Runs `future` as one call of `client`. The future comes boxed: an
/// operation's future holds the SDK's, tens of kilobytes, and wrapping it
/// by value would copy it once per wrapper (measured: a put cost 1.2x the
/// hand-written instructions, mostly `memcpy`).
pub(crate) async fn run<T>(client: &Client, info: CallInfo, future: BoxFuture<'_, T>) -> Result<T> {
    let state = CallState::new(client, info);
    let span = state.span.clone();
    let result = CALL
        .scope(Arc::clone(&state), future.instrument(span))
        .await;
    state.finish(result.as_ref().err().map(Error::kind));
    result
}

/// Runs `operations` and returns, beside its output, the capacity every
/// call inside it consumed: the one shape for every operation (a `get`, a
/// query's stream read inside it, a batch, several calls at once). Calls
/// inside ask DynamoDB for it (per table and index, or as the client's
/// [`with_capacity`](crate::Client::with_capacity) says).
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client, user: &User) -> dynamo_model::Result<()> {
/// use dynamo_model::observe::measure;
/// let (saved, capacity) = measure(User::save(db, user)).await;
/// saved?;
/// println!("{} write units", capacity.total.total);
/// # Ok(()) }
/// ```
pub async fn measure<F: IntoFuture>(operations: F) -> (F::Output, Capacity) {
    let total = Arc::new(Mutex::new(Capacity::default()));
    let output = MEASURE
        .scope(Arc::clone(&total), operations.into_future())
        .await;
    let capacity = std::mem::take(&mut *total.lock().unwrap_or_else(|p| p.into_inner()));
    (output, capacity)
}

/// `stream` as one call of `client`, ended when the stream ends or is
/// dropped.
pub(crate) fn stream<S>(client: &Client, info: CallInfo, stream: S) -> CallStream<S> {
    CallStream {
        state: CallState::new(client, info),
        error: None,
        inner: stream,
    }
}

/// A stream of items read in one call (see [`stream`]).
pub(crate) struct CallStream<S> {
    state: Arc<CallState>,
    /// The kind of the first error the stream gave.
    error: Option<String>,
    inner: S,
}

impl<T, S: Stream<Item = Result<T>> + Unpin> Stream for CallStream<S> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let _entered = this.state.span.enter();
        let inner = &mut this.inner;
        let poll = CALL.sync_scope(Arc::clone(&this.state), || Pin::new(inner).poll_next(cx));
        match &poll {
            Poll::Ready(Some(Err(error))) if this.error.is_none() => {
                this.error = Some(error.kind().to_owned());
            }
            Poll::Ready(None) => {
                this.state.finish(this.error.as_deref());
            }
            _ => {}
        }
        poll
    }
}

impl<S> Drop for CallStream<S> {
    fn drop(&mut self) {
        self.state.finish(self.error.as_deref());
    }
}
