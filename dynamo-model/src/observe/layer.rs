//! Client middleware: async code that sees every request before it is sent
//! and its outcome after, for audit logs, tenancy checks and fault
//! injection in a service's own tests.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The future a [`Layer`] method returns.
pub type LayerFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Runs around every request of a client that has it
/// ([`Client::with_layer`](crate::Client::with_layer)), in the order the
/// layers were added. `before` may refuse the request: the error becomes
/// the operation's [`Error::Service`](crate::Error::Service) (kind
/// `ConstructionFailure`) and nothing is sent.
///
/// ```
/// use dynamo_model::aws_sdk_dynamodb::operation::put_item::builders::PutItemInputBuilder;
/// use dynamo_model::observe::{Layer, LayerFuture, RequestInfo, RequestOutcome};
///
/// /// Refuses writes to the tables of other tenants.
/// struct Tenancy(&'static str);
///
/// impl Layer for Tenancy {
///     fn before<'a>(&'a self, request: &'a RequestInfo<'a>) -> LayerFuture<'a, Result<(), String>> {
///         Box::pin(async move {
///             let put = request.input::<PutItemInputBuilder>();
///             match put {
///                 Some(_) if !request.table.starts_with(self.0) => {
///                     Err(format!("{} is not a table of {}", request.table, self.0))
///                 }
///                 _ => Ok(()),
///             }
///         })
///     }
/// }
///
/// let db = dynamo_model::Client::local("http://localhost:8000").with_layer(Tenancy("acme_"));
/// ```
pub trait Layer: Send + Sync + 'static {
    /// Before the request is sent; an `Err` refuses it with that reason.
    fn before<'a>(&'a self, request: &'a RequestInfo<'a>) -> LayerFuture<'a, Result<(), String>> {
        let _ = request;
        Box::pin(async { Ok(()) })
    }

    /// After DynamoDB answered (or the request failed).
    fn after<'a>(
        &'a self,
        request: &'a RequestInfo<'a>,
        outcome: RequestOutcome<'a>,
    ) -> LayerFuture<'a, ()> {
        let _ = (request, outcome);
        Box::pin(async {})
    }
}

/// A request as a [`Layer`] sees it.
#[non_exhaustive]
pub struct RequestInfo<'a> {
    /// The model's Rust name (`None` for a call across models).
    pub model: Option<&'static str>,
    /// The call the request belongs to (`get`, `query`, `batch_write`, ...).
    pub call: &'static str,
    /// DynamoDB's operation (`GetItem`, `Query`, ...).
    pub operation: &'static str,
    /// The table (for a batch or a transaction, its first).
    pub table: &'a str,
    pub(crate) input: &'a (dyn Any + Send + Sync),
}

impl RequestInfo<'_> {
    /// The SDK's input builder of the request, when it is a `T`
    /// (`PutItemInputBuilder`, `QueryInputBuilder`, ...); in
    /// [`Layer::before`] only (the request is gone once sent).
    pub fn input<T: Any>(&self) -> Option<&T> {
        self.input.downcast_ref()
    }
}

/// How a request ended, for [`Layer::after`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome<'a> {
    /// DynamoDB answered.
    Ok,
    /// It failed; the AWS error code, or the kind of failure.
    Error(&'a str),
}

/// The layers of one request, with what they are told of it.
pub(crate) struct RequestLayers<'a> {
    pub layers: &'a [Arc<dyn Layer>],
    pub model: Option<&'static str>,
    pub call: &'static str,
    pub operation: &'static str,
    pub table: &'a str,
}

impl RequestLayers<'_> {
    fn info<'i>(&'i self, input: &'i (dyn Any + Send + Sync)) -> RequestInfo<'i> {
        RequestInfo {
            model: self.model,
            call: self.call,
            operation: self.operation,
            table: self.table,
            input,
        }
    }

    /// Every layer's `before`, in order; the first refusal's reason.
    pub async fn before(&self, input: &(dyn Any + Send + Sync)) -> Result<(), String> {
        if self.layers.is_empty() {
            return Ok(());
        }
        let info = self.info(input);
        for layer in self.layers {
            layer.before(&info).await?;
        }
        Ok(())
    }

    /// Every layer's `after`, in order.
    pub async fn after(&self, outcome: RequestOutcome<'_>) {
        if self.layers.is_empty() {
            return;
        }
        let info = self.info(&());
        for layer in self.layers {
            layer.after(&info, outcome).await;
        }
    }
}
