//! What every operation builder shares: the future an awaited builder
//! returns, the markers that choose what a write returns, the one place an
//! SDK request is sent and its failure becomes an [`Error`], and the
//! `customize` hooks that adjust a request before it is sent.

use crate::error::is_throttling_code;
use crate::observe;
use crate::{Error, Result};
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation;
use aws_sdk_dynamodb::types::{ConsumedCapacity, ReturnConsumedCapacity, TransactWriteItem};
use aws_smithy_runtime_api::client::result::CreateUnhandledError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use tracing::Instrument;

/// The boxed future every builder's `IntoFuture` returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// Implements `IntoFuture` for a builder through its `send` method: for a
/// builder generic over a model `M` (`into_future!(Get<'a, M, P> => ..)`),
/// or over nothing but its lifetime (`into_future!(<> Transaction<'a> => ())`).
macro_rules! into_future {
    (<> $builder:ty => $output:ty) => {
        impl<'a> ::std::future::IntoFuture for $builder {
            type Output = $crate::Result<$output>;
            type IntoFuture = $crate::ops::builder::BoxFuture<'a, $output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
    ($builder:ty => $output:ty $(, where $($bound:tt)*)?) => {
        impl<'a, M: $crate::Model $(, $($bound)*)?> ::std::future::IntoFuture for $builder {
            type Output = $crate::Result<$output>;
            type IntoFuture = $crate::ops::builder::BoxFuture<'a, $output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future;

/// Defines a builder's `send` (documented by the attributes given) as one
/// call of its `run` (see [`crate::observe`]): the span, the capacity and
/// the metrics record of the operation, described by `$info`.
macro_rules! send_as_call {
    ($(#[$doc:meta])* $output:ty, $info:expr) => {
        $(#[$doc])*
        pub async fn send(self) -> $crate::Result<$output> {
            let client = self.client;
            $crate::observe::run(client, $info, Box::pin(self.run())).await
        }
    };
}
pub(crate) use send_as_call;

/// Marks a write that returns nothing (the default of
/// [`Delete`](super::item::Delete) and [`Update`](super::update::Update)).
pub struct NoReturn;
/// Marks a write that returns the whole item as it was before
/// (`ALL_OLD`): `return_old()` of a delete or an update.
pub struct ReturnOld;
/// Marks an [`Update`](super::update::Update) returning the whole item after
/// the update (`ALL_NEW`).
pub struct ReturnNew;
/// Marks an [`Update`](super::update::Update) returning the updated
/// attributes before the update.
pub struct ReturnUpdatedOld;
/// Marks an [`Update`](super::update::Update) returning the updated
/// attributes after the update.
pub struct ReturnUpdatedNew;

/// An SDK fluent builder dynamo-model sends, with what its failure reports.
pub(crate) trait SdkRequest: Sized + Send {
    /// What DynamoDB answers.
    type Output;
    /// The operation's service error.
    type Error: std::error::Error
        + ProvideErrorMetadata
        + CreateUnhandledError
        + Send
        + Sync
        + 'static;
    /// The operation's name in errors (`GetItem`, `Query`, ...).
    const OPERATION: &'static str;
    /// The table a failure names: the request's table as sent (for a batch,
    /// the first by name; for a transaction, its first action's).
    fn table(&self) -> String;
    /// Sends the request.
    fn send_request(
        self,
    ) -> impl Future<Output = std::result::Result<Self::Output, SdkError<Self::Error, HttpResponse>>>
           + Send;
    /// Sends the request with an interceptor counting the SDK's attempts
    /// for the current call (see [`crate::observe`]).
    fn send_counting_attempts(
        self,
    ) -> impl Future<Output = std::result::Result<Self::Output, SdkError<Self::Error, HttpResponse>>>
           + Send;
    /// How many actions a batch or transaction request holds.
    fn batch_size(&self) -> Option<usize>;
    /// The SDK's input builder of the request, for a [`Layer`](observe::Layer).
    fn input(&self) -> &(dyn std::any::Any + Send + Sync);
    /// The request asking for the consumed capacity as `mode` says.
    fn ask_capacity(self, mode: ReturnConsumedCapacity) -> Self;
    /// The consumed capacity an answer reports.
    fn consumed(output: &Self::Output) -> impl Iterator<Item = &ConsumedCapacity>;
}

/// Implements [`SdkRequest`] for fluent builders: `module::Builder =>
/// Output, Error, "Operation"`, `|request| table` for a request that does
/// not have one table name, and `size |request| n` for one holding `n`
/// actions.
macro_rules! sdk_requests {
    (@table $request:ident) => {
        $request.get_table_name().clone().unwrap_or_default()
    };
    (@table $request:ident, |$r:ident| $table:expr) => {{
        let $r = $request;
        $table
    }};
    (@size $request:ident) => {
        None
    };
    (@size $request:ident, |$s:ident| $size:expr) => {{
        let $s = $request;
        Some($size)
    }};
    ($($module:ident::$builder:ident => $output:ident, $error:ident, $operation:literal
        $(, |$r:ident| $table:expr)? $(, size |$s:ident| $size:expr)?;)*) => {$(
        impl SdkRequest for operation::$module::builders::$builder {
            type Output = operation::$module::$output;
            type Error = operation::$module::$error;
            const OPERATION: &'static str = $operation;
            fn table(&self) -> String {
                sdk_requests!(@table self $(, |$r| $table)?)
            }
            fn send_request(
                self,
            ) -> impl Future<
                Output = std::result::Result<Self::Output, SdkError<Self::Error, HttpResponse>>,
            > + Send {
                self.send()
            }
            fn send_counting_attempts(
                self,
            ) -> impl Future<
                Output = std::result::Result<Self::Output, SdkError<Self::Error, HttpResponse>>,
            > + Send {
                self.customize().interceptor(observe::CountAttempts).send()
            }
            fn ask_capacity(self, mode: ReturnConsumedCapacity) -> Self {
                self.return_consumed_capacity(mode)
            }
            fn input(&self) -> &(dyn std::any::Any + Send + Sync) {
                self.as_input()
            }
            fn batch_size(&self) -> Option<usize> {
                sdk_requests!(@size self $(, |$s| $size)?)
            }
            fn consumed(output: &Self::Output) -> impl Iterator<Item = &ConsumedCapacity> {
                output.consumed_capacity().into_iter()
            }
        }
    )*};
}

/// The first table by name of a batch's request items.
fn first_table<V>(items: &Option<std::collections::HashMap<String, V>>) -> String {
    items
        .as_ref()
        .and_then(|items| items.keys().min().cloned())
        .unwrap_or_default()
}

/// The table of a transaction's write action.
fn action_table(item: &TransactWriteItem) -> Option<String> {
    let table = None
        .or(item.put().map(|a| a.table_name()))
        .or(item.update().map(|a| a.table_name()))
        .or(item.delete().map(|a| a.table_name()))
        .or(item.condition_check().map(|a| a.table_name()));
    table.map(str::to_owned)
}

sdk_requests! {
    get_item::GetItemFluentBuilder => GetItemOutput, GetItemError, "GetItem";
    put_item::PutItemFluentBuilder => PutItemOutput, PutItemError, "PutItem";
    update_item::UpdateItemFluentBuilder => UpdateItemOutput, UpdateItemError, "UpdateItem";
    delete_item::DeleteItemFluentBuilder => DeleteItemOutput, DeleteItemError, "DeleteItem";
    query::QueryFluentBuilder => QueryOutput, QueryError, "Query";
    scan::ScanFluentBuilder => ScanOutput, ScanError, "Scan";
    batch_get_item::BatchGetItemFluentBuilder => BatchGetItemOutput, BatchGetItemError,
        "BatchGetItem", |r| first_table(r.get_request_items()),
        size |r| r.get_request_items().iter().flatten().map(|(_, keys)| keys.keys().len()).sum();
    batch_write_item::BatchWriteItemFluentBuilder => BatchWriteItemOutput, BatchWriteItemError,
        "BatchWriteItem", |r| first_table(r.get_request_items()),
        size |r| r.get_request_items().iter().flatten().map(|(_, writes)| writes.len()).sum();
    transact_write_items::TransactWriteItemsFluentBuilder => TransactWriteItemsOutput,
        TransactWriteItemsError, "TransactWriteItems", |r| r
            .get_transact_items()
            .as_ref()
            .and_then(|items| items.first())
            .and_then(action_table)
            .unwrap_or_default(),
        size |r| r.get_transact_items().as_ref().map_or(0, Vec::len);
    transact_get_items::TransactGetItemsFluentBuilder => TransactGetItemsOutput,
        TransactGetItemsError, "TransactGetItems", |r| r
            .get_transact_items()
            .as_ref()
            .and_then(|items| items.first())
            .and_then(|item| item.get())
            .map(|get| get.table_name().to_owned())
            .unwrap_or_default(),
        size |r| r.get_transact_items().as_ref().map_or(0, Vec::len);
}

/// The boxed future of an SDK request.
type SdkFuture<'a, O, E> =
    Pin<Box<dyn Future<Output = std::result::Result<O, SdkError<E, HttpResponse>>> + Send + 'a>>;

/// A request that failed, with the table its error names.
pub(crate) struct Failed<R: SdkRequest> {
    error: SdkError<R::Error, HttpResponse>,
    table: String,
}

impl<R: SdkRequest> Failed<R> {
    /// As [`Error::Service`], naming the operation and the table.
    pub fn into_error(self) -> Error {
        Error::service(R::OPERATION, &self.table, self.error)
    }

    /// Hands the service error to `claim`, which answers what the caller
    /// handles itself (a failed condition) and gives back the rest, which
    /// becomes [`Error::Service`].
    pub fn claim<C>(self, claim: impl FnOnce(R::Error) -> Claimed<C, R::Error>) -> Result<C> {
        match claim(self.error.into_service_error()) {
            Claimed::Answer(answer) => Ok(answer),
            Claimed::Unclaimed(error) => Err(Error::service(R::OPERATION, &self.table, error)),
        }
    }

    /// Whether the request may succeed later: throttling, a server error, or
    /// the network. The SDK already retried it; a batch tries again in its
    /// next round.
    pub fn is_transient(&self) -> bool {
        match &self.error {
            SdkError::ServiceError(service) => service.err().code().is_some_and(|code| {
                is_throttling_code(code)
                    || matches!(code, "InternalServerError" | "ServiceUnavailable")
            }),
            SdkError::TimeoutError(_)
            | SdkError::DispatchFailure(_)
            | SdkError::ResponseError(_) => true,
            _ => false,
        }
    }
}

/// What a caller makes of a service error: an answer of its own, or not
/// its business.
pub(crate) enum Claimed<C, E> {
    /// The caller's answer (a failed condition, a canceled transaction).
    Answer(C),
    /// Any other error, given back.
    Unclaimed(E),
}

/// Sends `request`; a failure keeps what its error needs to name.
///
/// Every request dynamo-model sends goes through here, in a `tracing` span
/// `dynamodb.request` with OpenTelemetry's database attributes (the
/// operation, the table) and, when it fails, `error.type`: the AWS error
/// code, or the kind of failure. Without a subscriber the span costs a
/// check of a static flag. Inside a call (see [`crate::observe`]) the
/// request asks for the consumed capacity the call wants and adds what it
/// consumed to the call.
pub(crate) async fn try_send<R: SdkRequest>(
    request: R,
) -> std::result::Result<R::Output, Failed<R>> {
    let table = request.table();
    let call = observe::current();
    let request = match call.as_ref().and_then(|call| call.capacity_mode()) {
        Some(mode) => request.ask_capacity(mode.to_sdk()),
        None => request,
    };
    let span = tracing::info_span!(
        "dynamodb.request",
        otel.name = R::OPERATION,
        db.system.name = "aws.dynamodb",
        db.operation.name = R::OPERATION,
        aws.dynamodb.table_names = table.as_str(),
        db.operation.batch.size = tracing::field::Empty,
        "error.type" = tracing::field::Empty,
    );
    if !span.is_disabled() {
        if let Some(size) = request.batch_size() {
            span.record("db.operation.batch.size", size);
        }
    }
    let layers = match &call {
        Some(call) => call.layers(R::OPERATION, &table),
        None => observe::RequestLayers {
            layers: &[],
            model: None,
            call: "",
            operation: R::OPERATION,
            table: &table,
        },
    };
    if let Err(reason) = layers.before(request.input()).await {
        if let Some(call) = &call {
            call.refused(&table);
        }
        let error = SdkError::construction_failure(format!("refused by a layer: {reason}"));
        return Err(Failed { error, table });
    }
    // Boxed once, here: the SDK's future is tens of kilobytes, and every
    // async fn wrapping it (this one, `send`, the builder's `run`, the
    // call) would otherwise copy it when it is created and moved.
    let counting = call.as_ref().is_some_and(|call| call.counts_attempts());
    let sending: SdkFuture<'_, R::Output, R::Error> = match counting {
        false => Box::pin(request.send_request()),
        true => Box::pin(request.send_counting_attempts()),
    };
    let result = match span.is_disabled() {
        true => sending.await,
        false => sending.instrument(span.clone()).await,
    };
    layers
        .after(match &result {
            Ok(_) => observe::RequestOutcome::Ok,
            Err(error) => observe::RequestOutcome::Error(error_type(error)),
        })
        .await;
    match result {
        Ok(output) => {
            if let Some(call) = &call {
                call.answered(&table, R::consumed(&output));
            }
            Ok(output)
        }
        Err(error) => {
            if let Some(call) = &call {
                call.failed(&table);
            }
            if !span.is_disabled() {
                span.record("error.type", error_type(&error));
            }
            Err(Failed { error, table })
        }
    }
}

/// What a span's `error.type` says of a failed request: the AWS error
/// code, or the kind of failure when there is none.
fn error_type<E: ProvideErrorMetadata>(error: &SdkError<E, HttpResponse>) -> &str {
    match error {
        SdkError::ServiceError(service) => service.err().code().unwrap_or("ServiceError"),
        SdkError::TimeoutError(_) => "Timeout",
        SdkError::DispatchFailure(_) => "DispatchFailure",
        SdkError::ResponseError(_) => "ResponseError",
        SdkError::ConstructionFailure(_) => "ConstructionFailure",
        _ => "Unknown",
    }
}

/// Sends `request`; a failure is [`Error::Service`] naming the operation
/// and the table.
pub(crate) async fn send<R: SdkRequest>(request: R) -> Result<R::Output> {
    try_send(request).await.map_err(Failed::into_error)
}

/// Defines a builder's `customize` method, documented by the attributes
/// given, over its `customize` field: `once` for a builder sending one
/// request (a [`Customize`]), `each` for one sending many (a
/// [`CustomizeEach`]); `$lt` is the builder's lifetime, `$sdk` the fluent
/// builder (or [`SaveRequest`](super::item::SaveRequest)) changed.
macro_rules! customize {
    ($(#[$doc:meta])* once $lt:lifetime, $sdk:ty) => {
        $(#[$doc])*
        pub fn customize(mut self, change: impl FnOnce($sdk) -> $sdk + Send + $lt) -> Self {
            self.customize = self.customize.then(change);
            self
        }
    };
    ($(#[$doc:meta])* each $lt:lifetime, $sdk:ty) => {
        $(#[$doc])*
        pub fn customize(mut self, change: impl Fn($sdk) -> $sdk + Send + Sync + $lt) -> Self {
            self.customize = self.customize.then(change);
            self
        }
    };
}
pub(crate) use customize;

/// Defines `into_sdk` — the request `fn request(self) -> Result<$sdk>`
/// builds, with the builder's `customize` field applied — and, for a write
/// (`write $sdk`), `into_plain_sdk`: the request for a transaction, which
/// refuses a customized write.
macro_rules! into_sdk {
    ($sdk:ty) => {
        /// The SDK request this builder would send (customized).
        pub fn into_sdk(mut self) -> $crate::Result<$sdk> {
            let customize = std::mem::take(&mut self.customize);
            Ok(customize.apply(self.request()?))
        }
    };
    (write $sdk:ty) => {
        $crate::ops::builder::into_sdk!($sdk);

        /// The request without customization, for a transaction, which
        /// refuses a customized write (see
        /// [`TransactWrite`](crate::ops::transaction::TransactWrite)).
        pub(crate) fn into_plain_sdk(mut self) -> $crate::Result<$sdk> {
            $crate::ops::write::refuse_customized(M::SCHEMA.model, self.customize.is_set())?;
            self.request()
        }
    };
}
pub(crate) use into_sdk;

/// The `customize` of a builder that sends one request: changes to apply to
/// it, in the order given. (Behind a `Mutex`, never locked, only so that the
/// builder stays `Sync` without asking the closure to be.)
pub(crate) struct Customize<'a, B>(Mutex<Option<OnceChange<'a, B>>>);

/// A change to one request.
type OnceChange<'a, B> = Box<dyn FnOnce(B) -> B + Send + 'a>;

impl<'a, B: 'a> Customize<'a, B> {
    /// Adds `change` after the changes so far.
    pub fn then(self, change: impl FnOnce(B) -> B + Send + 'a) -> Self {
        let combined: OnceChange<'a, B> = match self.into_inner() {
            None => Box::new(change),
            Some(first) => Box::new(move |request| change(first(request))),
        };
        Self(Mutex::new(Some(combined)))
    }

    /// `request` with the changes applied.
    pub fn apply(self, request: B) -> B {
        match self.into_inner() {
            Some(change) => change(request),
            None => request,
        }
    }

    /// Whether any change was given.
    pub fn is_set(&mut self) -> bool {
        self.0.get_mut().map_or(true, |change| change.is_some())
    }

    fn into_inner(self) -> Option<OnceChange<'a, B>> {
        self.0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<B> Default for Customize<'_, B> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

/// The `customize` of a builder that sends many requests (pages, segments,
/// chunks, retry rounds): a change applied to each of them.
pub(crate) struct CustomizeEach<'a, B>(Option<Box<dyn Fn(B) -> B + Send + Sync + 'a>>);

impl<'a, B: 'a> CustomizeEach<'a, B> {
    /// Adds `change` after the changes so far.
    pub fn then(self, change: impl Fn(B) -> B + Send + Sync + 'a) -> Self {
        Self(Some(match self.0 {
            None => Box::new(change),
            Some(first) => Box::new(move |request| change(first(request))),
        }))
    }

    /// `request` with the changes applied.
    pub fn apply(&self, request: B) -> B {
        match &self.0 {
            Some(change) => change(request),
            None => request,
        }
    }
}

impl<B> Default for CustomizeEach<'_, B> {
    fn default() -> Self {
        Self(None)
    }
}
