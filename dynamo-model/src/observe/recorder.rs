//! A metrics recorder: one record per call, so exporting to Prometheus or
//! CloudWatch is a few lines of the user's own.

use super::Capacity;
use std::time::Duration;

/// Receives one [`CallRecord`] per call of a client that has it
/// ([`Client::with_recorder`](crate::Client::with_recorder)). Called on the
/// calling task once the call ends, so keep it cheap (update counters,
/// push to a channel).
///
/// ```
/// use dynamo_model::observe::{CallRecord, Recorder};
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// #[derive(Default)]
/// struct Requests(AtomicU64);
///
/// impl Recorder for Requests {
///     fn record(&self, call: &CallRecord<'_>) {
///         self.0.fetch_add(u64::from(call.requests), Ordering::Relaxed);
///     }
/// }
///
/// let db = dynamo_model::Client::local("http://localhost:8000").with_recorder(Requests::default());
/// ```
pub trait Recorder: Send + Sync + 'static {
    /// One call has ended.
    fn record(&self, call: &CallRecord<'_>);
}

/// What one call did, for a [`Recorder`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CallRecord<'a> {
    /// The model's Rust name (`None` for a call across models: a batch
    /// write or a transaction).
    pub model: Option<&'static str>,
    /// The operation (`get`, `save`, `query`, `batch_write`, ...).
    pub operation: &'static str,
    /// The table of its first request (with the client's prefix and suffix).
    pub table: &'a str,
    /// The secondary index read, if any.
    pub index: Option<&'static str>,
    /// Whether it succeeded; the error's code when it did not.
    pub outcome: Outcome<'a>,
    /// From the call's start to its end.
    pub latency: Duration,
    /// The capacity consumed, when the client asks for it
    /// ([`Client::with_capacity`](crate::Client::with_capacity)).
    pub capacity: Option<&'a Capacity>,
    /// Requests sent: pages, batch rounds, each attempt counted once.
    pub requests: u32,
    /// Attempts the SDK repeated after a throttle or a transient failure.
    pub retries: u32,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// It succeeded.
    Ok,
    /// It failed; the AWS error code, or dynamo-model's kind of error
    /// (`ConditionalCheckFailed`, `Validation`, ...).
    Error(&'a str),
}
