//! Seeing what every call costs: a `tracing` span per call and per
//! request, consumed capacity, and a metrics recorder.
//!
//! Every call of an operation (a `get`, a query read to its end, a batch
//! with all its rounds) opens a span `dynamodb.call` with OpenTelemetry's
//! database attributes — `db.system.name = "aws.dynamodb"`,
//! `db.operation.name`, `aws.dynamodb.table_names`,
//! `aws.dynamodb.index_name` — plus `dynamo_model.model`, and, once the
//! call ends, `dynamo_model.requests` (pages, batch rounds),
//! `dynamo_model.retries` (attempts the SDK repeated),
//! `aws.dynamodb.consumed_capacity` (when asked for) and `error.type`. Each
//! request is a child span `dynamodb.request`, with
//! `db.operation.batch.size` for a batch round or a transaction (its
//! writes, keys or actions). Without a subscriber a span
//! costs a check of a static flag.
//!
//! Consumed capacity is asked for on every request of a client made with
//! [`Client::with_capacity`](crate::Client::with_capacity), and of every
//! call inside [`measure`], which returns the [`Capacity`] beside the
//! output, summed over pages, batch rounds and retries.
//!
//! A [`Layer`] given to [`Client::with_layer`](crate::Client::with_layer)
//! runs async code before and after every request: audit logs, tenancy
//! checks, fault injection in tests.
//!
//! A [`Recorder`] given to [`Client::with_recorder`](crate::Client::with_recorder)
//! receives one [`CallRecord`] per call: model, operation, index, outcome,
//! latency, capacity, requests and retries.

mod call;
mod capacity;
mod layer;
mod recorder;

pub use call::measure;
pub(crate) use call::{attempt, current, run, stream, CallInfo};
pub use capacity::{Capacity, CapacityMode, Units};
pub(crate) use layer::RequestLayers;
pub use layer::{Layer, LayerFuture, RequestInfo, RequestOutcome};
pub use recorder::{CallRecord, Outcome, Recorder};

/// Counts the SDK's attempts of a request for the call it belongs to,
/// added to a request only when the call's span or record is looked at.
#[derive(Debug)]
pub(crate) struct CountAttempts;

impl aws_sdk_dynamodb::config::Intercept for CountAttempts {
    fn name(&self) -> &'static str {
        "dynamo-model: count attempts"
    }

    fn read_before_attempt(
        &self,
        _context: &aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _components: &aws_sdk_dynamodb::config::RuntimeComponents,
        _cfg: &mut aws_sdk_dynamodb::config::ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        attempt();
        Ok(())
    }
}
