//! The `Client`: the SDK client plus the settings every operation shares.

use crate::model::Model;
use crate::observe::{CapacityMode, Layer, Recorder};
use crate::ops::cursor::CursorKey;
use crate::retry::RetryConfig;
use std::sync::Arc;

/// A handle to DynamoDB for every dynamo-model operation.
///
/// Cheap to clone (one `Arc`), `Send + Sync`. Table names are the model's
/// table name with the client's prefix and suffix around it, so one code base
/// can serve several environments (`prod_users`, `test_users`) or isolate tests.
///
/// ```no_run
/// # async fn demo() {
/// use dynamo_model::Client;
///
/// let aws = Client::from_env().await;                       // AWS, default credential chain
/// let local = Client::local("http://localhost:8000");       // DynamoDB Local
/// let staging = aws.clone().with_table_prefix("staging_");  // staging_users, ...
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    sdk: aws_sdk_dynamodb::Client,
    table_prefix: String,
    table_suffix: String,
    retry: RetryConfig,
    cursor_key: Option<CursorKey>,
    /// Consumed capacity asked for on every request.
    capacity: Option<CapacityMode>,
    /// Receives a record of every call.
    recorder: Option<Arc<dyn Recorder>>,
    /// Run around every request, in order.
    layers: Arc<[Arc<dyn Layer>]>,
    /// The DynamoDB Streams client stream readers use.
    #[cfg(feature = "streams")]
    streams: Option<aws_sdk_dynamodbstreams::Client>,
}

impl Client {
    /// Wraps an SDK client configured by the caller (its retry settings are
    /// kept until [`with_retry`](Self::with_retry) replaces them).
    pub fn new(sdk: aws_sdk_dynamodb::Client) -> Self {
        Self {
            inner: Arc::new(Inner {
                sdk,
                table_prefix: String::new(),
                table_suffix: String::new(),
                retry: RetryConfig::default(),
                cursor_key: None,
                capacity: None,
                recorder: None,
                layers: Arc::new([]),
                #[cfg(feature = "streams")]
                streams: None,
            }),
        }
    }

    /// A client configured from the environment by aws-config's default
    /// chain (env vars, profile, IMDS / ECS / Lambda credentials, region).
    pub async fn from_env() -> Self {
        let config = aws_config::load_from_env().await;
        let client = Self::new(aws_sdk_dynamodb::Client::new(&config));
        #[cfg(feature = "streams")]
        let client = client.with_streams(aws_sdk_dynamodbstreams::Client::new(&config));
        client.with_retry(RetryConfig::default())
    }

    /// A client for a local endpoint such as DynamoDB Local, with dummy
    /// credentials and region `us-east-1`. (DynamoDB Local 3 accepts any
    /// credentials whose access key ID is letters and digits only.)
    pub fn local(endpoint: impl Into<String>) -> Self {
        let credentials = aws_sdk_dynamodb::config::Credentials::new(
            "dynamomodel",
            "local",
            None,
            None,
            "dynamo-model-local",
        );
        let endpoint = endpoint.into();
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
            .credentials_provider(credentials.clone())
            .endpoint_url(&endpoint)
            .build();
        // DynamoDB Local serves the Streams API on the same endpoint.
        #[cfg(feature = "streams")]
        let streams = aws_sdk_dynamodbstreams::Client::from_conf(
            aws_sdk_dynamodbstreams::Config::builder()
                .behavior_version(aws_sdk_dynamodbstreams::config::BehaviorVersion::latest())
                .region(aws_sdk_dynamodbstreams::config::Region::new("us-east-1"))
                .credentials_provider(credentials)
                .endpoint_url(&endpoint)
                .build(),
        );
        let client = Self::new(aws_sdk_dynamodb::Client::from_conf(config));
        #[cfg(feature = "streams")]
        let client = client.with_streams(streams);
        client.with_retry(RetryConfig::default())
    }

    /// Puts `prefix` in front of every table name.
    pub fn with_table_prefix(self, prefix: impl Into<String>) -> Self {
        self.with_inner(|inner| inner.table_prefix = prefix.into())
    }

    /// Puts `suffix` after every table name.
    pub fn with_table_suffix(self, suffix: impl Into<String>) -> Self {
        self.with_inner(|inner| inner.table_suffix = suffix.into())
    }

    /// Signs the cursors of this client's queries and scans with `secret`
    /// (HMAC-SHA256), and takes only cursors so signed: a cursor a web
    /// client changed, or one without the signature, is
    /// [`Error::InvalidCursor`](crate::Error::InvalidCursor). Signed cursors
    /// are still readable; see [`cursor`](crate::ops::cursor) for what they
    /// show. Use a random secret of 32 bytes or more, the same in every
    /// process that resumes the reads.
    ///
    /// ```
    /// # let secret = [7u8; 32];
    /// let db = dynamo_model::Client::local("http://localhost:8000").with_cursor_key(secret);
    /// ```
    pub fn with_cursor_key(self, secret: impl AsRef<[u8]>) -> Self {
        let key = CursorKey::new(secret.as_ref());
        self.with_inner(|inner| inner.cursor_key = Some(key))
    }

    /// Asks DynamoDB for the capacity every request consumes (`Total`, or
    /// per table and index with `Indexes`): recorded on each call's span and
    /// given to the [`Recorder`]; [`measure`](crate::observe::measure)
    /// returns it beside an operation's output.
    ///
    /// ```
    /// use dynamo_model::observe::CapacityMode;
    /// let db = dynamo_model::Client::local("http://localhost:8000").with_capacity(CapacityMode::Indexes);
    /// ```
    pub fn with_capacity(self, mode: CapacityMode) -> Self {
        self.with_inner(|inner| inner.capacity = Some(mode))
    }

    /// Gives `recorder` one [`CallRecord`](crate::observe::CallRecord) per
    /// call (see [`observe`](crate::observe)).
    pub fn with_recorder(self, recorder: impl Recorder) -> Self {
        self.with_inner(|inner| inner.recorder = Some(Arc::new(recorder)))
    }

    /// Runs `layer` around every request (see [`Layer`]), after the
    /// layers added before it.
    pub fn with_layer(self, layer: impl Layer) -> Self {
        self.with_inner(|inner| {
            let mut layers = inner.layers.to_vec();
            layers.push(Arc::new(layer));
            inner.layers = layers.into();
        })
    }

    pub(crate) fn layers(&self) -> &Arc<[Arc<dyn Layer>]> {
        &self.inner.layers
    }

    pub(crate) fn capacity_mode(&self) -> Option<CapacityMode> {
        self.inner.capacity
    }

    pub(crate) fn recorder(&self) -> Option<Arc<dyn Recorder>> {
        self.inner.recorder.clone()
    }

    /// The key cursors are signed with, if any.
    pub(crate) fn cursor_key(&self) -> Option<CursorKey> {
        self.inner.cursor_key.clone()
    }

    fn with_inner(self, change: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            sdk: shared.sdk.clone(),
            table_prefix: shared.table_prefix.clone(),
            table_suffix: shared.table_suffix.clone(),
            retry: shared.retry,
            cursor_key: shared.cursor_key.clone(),
            capacity: shared.capacity,
            recorder: shared.recorder.clone(),
            layers: Arc::clone(&shared.layers),
            #[cfg(feature = "streams")]
            streams: shared.streams.clone(),
        });
        change(&mut inner);
        Self {
            inner: Arc::new(inner),
        }
    }

    /// Retries requests and batch rounds as `retry` says (see
    /// [`RetryConfig`]); the SDK client is rebuilt with the same settings.
    pub fn with_retry(self, retry: RetryConfig) -> Self {
        self.with_inner(|inner| {
            let config = inner
                .sdk
                .config()
                .to_builder()
                .retry_config(retry.to_sdk())
                .build();
            inner.sdk = aws_sdk_dynamodb::Client::from_conf(config);
            inner.retry = retry;
        })
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// A batch of puts and deletes across models (see
    /// [`BatchWrite`](crate::ops::batch::BatchWrite)).
    pub fn batch_write(&self) -> crate::ops::batch::BatchWrite<'_> {
        crate::ops::batch::BatchWrite::new(self)
    }

    /// A write transaction across models (see
    /// [`Transaction`](crate::ops::transaction::Transaction)).
    pub fn transaction(&self) -> crate::ops::transaction::Transaction<'_> {
        crate::ops::transaction::Transaction::new(self)
    }

    /// A read transaction across models (see
    /// [`TransactGet`](crate::ops::transaction::TransactGet)).
    pub fn transact_get(&self) -> crate::ops::transaction::TransactGet<'_> {
        crate::ops::transaction::TransactGet::new(self)
    }

    /// Reads streams with `streams` (feature `streams`), a DynamoDB Streams
    /// client configured by the caller. [`from_env`](Self::from_env) and
    /// [`local`](Self::local) clients have one with their own settings; a
    /// client from [`new`](Self::new) needs this before reading a stream
    /// (the SDK's config does not give its credentials back).
    #[cfg(feature = "streams")]
    pub fn with_streams(self, streams: aws_sdk_dynamodbstreams::Client) -> Self {
        self.with_inner(|inner| inner.streams = Some(streams))
    }

    /// The DynamoDB Streams client stream readers use (feature `streams`).
    #[cfg(feature = "streams")]
    pub fn streams(&self) -> crate::Result<aws_sdk_dynamodbstreams::Client> {
        self.inner.streams.clone().ok_or_else(|| {
            crate::Error::Config(
                "this client has no DynamoDB Streams client: made with Client::new, it needs \
                 .with_streams(aws_sdk_dynamodbstreams::Client::new(&sdk_config))"
                    .to_owned(),
            )
        })
    }

    /// The SDK client, for anything dynamo-model does not cover.
    pub fn sdk(&self) -> &aws_sdk_dynamodb::Client {
        &self.inner.sdk
    }

    /// The table name of model `M` as sent to DynamoDB: prefix, the model's
    /// table, suffix.
    pub fn table_name<M: Model>(&self) -> String {
        self.table_name_of(M::SCHEMA.table)
    }

    /// `table` with this client's prefix and suffix.
    pub fn table_name_of(&self, table: &str) -> String {
        let Inner {
            table_prefix,
            table_suffix,
            ..
        } = &*self.inner;
        let mut name = String::with_capacity(table_prefix.len() + table.len() + table_suffix.len());
        name.push_str(table_prefix);
        name.push_str(table);
        name.push_str(table_suffix);
        name
    }
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("table_prefix", &self.table_prefix)
            .field("table_suffix", &self.table_suffix)
            .field("retry", &self.retry)
            .field("capacity", &self.capacity)
            .field("recorder", &self.recorder.is_some())
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}
