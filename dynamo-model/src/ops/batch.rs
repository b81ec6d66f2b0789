//! Batch reads and writes that lose nothing.
//!
//! Requests are split into DynamoDB's chunks (100 keys per BatchGetItem, 25
//! writes per BatchWriteItem), sent with bounded concurrency, and whatever
//! DynamoDB leaves unprocessed is sent again with exponential backoff and
//! full jitter, as the client's [`RetryConfig`](crate::RetryConfig) says.
//! What is still not done when the rounds run out is returned in
//! [`Error::BatchIncomplete`], item by item — never dropped.
//!
//! DynamoDB rejects a batch naming one key twice, so duplicates are merged
//! first: `batch_get` reads a key once and gives its item at every position
//! that asked for it; a batch write keeps the last write of each key, as
//! if the writes ran in order.

use super::{describe_attributes, expired, item_for_write};
use crate::attr::Item;
use crate::client::Client;
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest,
};
use futures::stream::{self, StreamExt};
use std::collections::HashMap;
use std::future::IntoFuture;
use std::marker::PhantomData;

/// DynamoDB's limit of writes in one BatchWriteItem.
pub const WRITE_CHUNK: usize = 25;
/// DynamoDB's limit of keys in one BatchGetItem.
pub const GET_CHUNK: usize = 100;
/// Chunks in flight at once, unless a builder says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// An item or key a batch could not finish, with where it belongs.
#[derive(Debug, Clone)]
pub struct Unprocessed {
    /// The model's Rust name.
    pub model: &'static str,
    /// The table name as sent.
    pub table: String,
    /// The item's key.
    pub key: Item,
    /// The write that was not applied (`None` for a read).
    pub write: Option<WriteRequest>,
}

/// One write of a batch, with what is needed to match DynamoDB's answer
/// back to it and to report it.
#[derive(Debug, Clone)]
struct Write {
    model: &'static str,
    table: String,
    key: Item,
    identity: String,
    request: WriteRequest,
}

/// A batch of puts and deletes, across models and tables:
/// [`Client::batch_write`], [`Model::batch_put`], [`Model::batch_delete`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # #[derive(Model)] struct Order { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client, users: Vec<User>) -> dynamo_model::Result<()> {
/// User::batch_put(db, &users).await?;
/// db.batch_write()
///     .put(&User { id: "u9".into() })
///     .delete::<Order>("o1")
///     .concurrency(8)
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct BatchWrite<'a> {
    client: &'a Client,
    writes: Vec<Write>,
    /// The first item that could not be encoded: reported before sending.
    invalid: Option<Error>,
    concurrency: usize,
}

impl<'a> BatchWrite<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            writes: Vec::new(),
            invalid: None,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    /// Adds a put of `item` (replacing any item with its key). Every item is
    /// checked as `save` checks it before anything is sent. A versioned
    /// model cannot be batch-written: DynamoDB batches take no conditions,
    /// so the version could not be checked (use `save` or a transaction).
    pub fn put<M: Model>(mut self, item: &M) -> Self {
        if self.invalid.is_some() {
            return self;
        }
        let write = item_for_write(item).and_then(|item| {
            if let Some(version) = M::SCHEMA.version {
                return Err(Error::Config(format!(
                    "{}: a batch write cannot check the version attribute `{version}`; \
                     write versioned items with save or a transaction",
                    M::SCHEMA.model
                )));
            }
            let key = key_of::<M>(&item);
            let put = PutRequest::builder().set_item(Some(item)).build();
            let request = WriteRequest::builder()
                .put_request(put.map_err(|e| Error::Config(e.to_string()))?)
                .build();
            Ok(self.write::<M>(key, request))
        });
        match write {
            Ok(write) => self.writes.push(write),
            Err(error) => self.invalid = Some(error),
        }
        self
    }

    /// Adds a delete of the item with `key`.
    pub fn delete<M: Model>(mut self, key: impl Into<M::Key>) -> Self {
        if self.invalid.is_some() {
            return self;
        }
        let write = M::key_to_item(&key.into()).and_then(|key| {
            let delete = DeleteRequest::builder()
                .set_key(Some(key.clone()))
                .build()
                .map_err(|e| Error::Config(e.to_string()))?;
            let request = WriteRequest::builder().delete_request(delete).build();
            Ok(self.write::<M>(key, request))
        });
        match write {
            Ok(write) => self.writes.push(write),
            Err(error) => self.invalid = Some(error),
        }
        self
    }

    fn write<M: Model>(&self, key: Item, request: WriteRequest) -> Write {
        let table = self.client.table_name::<M>();
        Write {
            model: M::SCHEMA.model,
            identity: identity(&table, &key),
            table,
            key,
            request,
        }
    }

    /// How many chunks are in flight at once (default 4).
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.concurrency = chunks.max(1);
        self
    }

    /// Sends every write; fails with [`Error::BatchIncomplete`] listing the
    /// writes not applied when retries run out.
    pub async fn send(self) -> Result<()> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        // The last write of each key wins, as if they ran in order.
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (index, write) in self.writes.iter().enumerate() {
            last.insert(&write.identity, index);
        }
        let mut keep: Vec<usize> = last.into_values().collect();
        keep.sort_unstable();
        let mut writes: Vec<Option<Write>> = self.writes.into_iter().map(Some).collect();
        let unique: Vec<Write> = keep.into_iter().filter_map(|i| writes[i].take()).collect();

        let client = self.client;
        let chunks: Vec<Vec<Write>> = unique.chunks(WRITE_CHUNK).map(<[_]>::to_vec).collect();
        let results: Vec<std::result::Result<(), Incomplete>> = stream::iter(chunks)
            .map(|chunk| write_chunk(client, chunk))
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        Incomplete::merge("BatchWriteItem", results)
    }
}

impl<'a> IntoFuture for BatchWrite<'a> {
    type Output = Result<()>;
    type IntoFuture = super::item::BoxFuture<'a, ()>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// What a chunk left undone, and why it stopped trying.
struct Incomplete {
    unprocessed: Vec<Unprocessed>,
    cause: Option<Error>,
}

impl Incomplete {
    /// One error for all chunks, or `Ok` when every chunk finished.
    fn merge(
        operation: &'static str,
        results: Vec<std::result::Result<(), Incomplete>>,
    ) -> Result<()> {
        let mut unprocessed = Vec::new();
        let mut cause = None;
        for incomplete in results.into_iter().filter_map(|r| r.err()) {
            unprocessed.extend(incomplete.unprocessed);
            cause = cause.or(incomplete.cause);
        }
        if unprocessed.is_empty() {
            return Ok(());
        }
        Err(Error::BatchIncomplete {
            operation,
            unprocessed,
            cause: cause.map(Box::new),
        })
    }
}

/// Writes one chunk, retrying what comes back unprocessed.
async fn write_chunk(client: &Client, chunk: Vec<Write>) -> std::result::Result<(), Incomplete> {
    let retry = *client.retry();
    let mut pending = chunk;
    let mut last_error = None;
    for round in 1..=retry.batch_rounds.max(1) {
        if round > 1 {
            tokio::time::sleep(retry.backoff(round - 1)).await;
        }
        let mut request_items: HashMap<String, Vec<WriteRequest>> = HashMap::new();
        for write in &pending {
            request_items
                .entry(write.table.clone())
                .or_default()
                .push(write.request.clone());
        }
        let table = pending.first().map(|w| w.table.clone()).unwrap_or_default();
        match client
            .sdk()
            .batch_write_item()
            .set_request_items(Some(request_items))
            .send()
            .await
        {
            Ok(output) => {
                let returned = output.unprocessed_items.unwrap_or_default();
                let left: Vec<String> = returned
                    .iter()
                    .flat_map(|(table, requests)| {
                        requests.iter().filter_map(move |r| {
                            let item = r
                                .put_request()
                                .map(|p| p.item())
                                .or_else(|| r.delete_request().map(|d| d.key()))?;
                            Some((table, item))
                        })
                    })
                    .filter_map(|(table, item)| {
                        let keys = pending.iter().find(|w| &w.table == table)?;
                        Some(identity(table, &project_key(item, &keys.key)))
                    })
                    .collect();
                pending.retain(|write| left.contains(&write.identity));
                last_error = None;
            }
            Err(error) if transient(&error) => {
                last_error = Some(Error::service("BatchWriteItem", &table, error));
            }
            Err(error) => {
                return Err(Incomplete {
                    unprocessed: pending.into_iter().map(Write::unprocessed).collect(),
                    cause: Some(Error::service("BatchWriteItem", &table, error)),
                });
            }
        }
        if pending.is_empty() {
            return Ok(());
        }
    }
    Err(Incomplete {
        unprocessed: pending.into_iter().map(Write::unprocessed).collect(),
        cause: last_error,
    })
}

impl Write {
    fn unprocessed(self) -> Unprocessed {
        Unprocessed {
            model: self.model,
            table: self.table,
            key: self.key,
            write: Some(self.request),
        }
    }
}

/// Whether a failed request may succeed later: throttling, a server error,
/// or the network. The SDK already retried it; a batch tries again in its
/// next round.
fn transient<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    match error {
        SdkError::ServiceError(service) => matches!(
            service.err().code(),
            Some(
                "ProvisionedThroughputExceededException"
                    | "ThrottlingException"
                    | "RequestLimitExceeded"
                    | "InternalServerError"
                    | "ServiceUnavailable"
            )
        ),
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        _ => false,
    }
}

/// The key attributes of `item`, named as in `like` (a key of the table).
fn project_key(item: &Item, like: &Item) -> Item {
    like.keys()
        .filter_map(|name| Some((name.clone(), item.get(name)?.clone())))
        .collect()
}

/// The key of an encoded item of model `M`.
fn key_of<M: Model>(item: &Item) -> Item {
    M::SCHEMA
        .key_attributes()
        .filter_map(|key| Some((key.name.to_owned(), item.get(key.name)?.clone())))
        .collect()
}

/// A string identifying a key in a table, to find duplicates and to match
/// DynamoDB's answers to requests.
fn identity(table: &str, key: &Item) -> String {
    let mut names: Vec<&String> = key.keys().collect();
    names.sort();
    let mut out = String::from(table);
    for name in names {
        out.push('\u{0}');
        out.push_str(name);
        out.push('=');
        match &key[name] {
            AttributeValue::S(s) => {
                out.push('S');
                out.push_str(s);
            }
            AttributeValue::N(n) => {
                out.push('N');
                out.push_str(n);
            }
            AttributeValue::B(b) => {
                out.push('B');
                for byte in b.as_ref() {
                    out.push_str(&format!("{byte:02x}"));
                }
            }
            other => out.push_str(&format!("{other:?}")),
        }
    }
    out
}

/// Reads many items by key: [`Model::batch_get`]. The result has one entry
/// per key asked for, in the same order: the item, or `None` if there is none.
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let users: Vec<Option<User>> = User::batch_get(db, ["u1", "u2", "u1"]).await?;
/// assert_eq!(users.len(), 3);
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct BatchGet<'a, M: Model> {
    client: &'a Client,
    keys: Vec<M::Key>,
    consistent: bool,
    concurrency: usize,
    model: PhantomData<M>,
}

impl<'a, M: Model> BatchGet<'a, M> {
    pub(crate) fn new(client: &'a Client, keys: Vec<M::Key>) -> Self {
        Self {
            client,
            keys,
            consistent: false,
            concurrency: DEFAULT_CONCURRENCY,
            model: PhantomData,
        }
    }

    /// Strongly consistent reads.
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.consistent = consistent;
        self
    }

    /// How many chunks of 100 keys are in flight at once (default 4).
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.concurrency = chunks.max(1);
        self
    }

    /// Sends the requests.
    pub async fn send(self) -> Result<Vec<Option<M>>> {
        let table = self.client.table_name::<M>();
        let keys: Vec<Item> = self
            .keys
            .iter()
            .map(M::key_to_item)
            .collect::<Result<_>>()?;
        let identities: Vec<String> = keys.iter().map(|key| identity(&table, key)).collect();
        let mut unique: HashMap<&str, &Item> = HashMap::new();
        for (identity, key) in identities.iter().zip(&keys) {
            unique.entry(identity).or_insert(key);
        }
        let unique: Vec<Item> = unique.into_values().cloned().collect();
        let (client, consistent) = (self.client, self.consistent);
        let chunks: Vec<Vec<Item>> = unique.chunks(GET_CHUNK).map(<[_]>::to_vec).collect();
        let results: Vec<std::result::Result<Vec<Item>, Incomplete>> = stream::iter(chunks)
            .map(|chunk| get_chunk::<M>(client, &table, chunk, consistent))
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        let mut found: HashMap<String, Item> = HashMap::new();
        let mut incomplete = Vec::new();
        for result in results {
            match result {
                Ok(items) => {
                    for item in items.into_iter().filter(|item| !expired::<M>(item)) {
                        let key = key_of::<M>(&item);
                        found.insert(identity(&table, &key), item);
                    }
                }
                Err(error) => incomplete.push(Err(error)),
            }
        }
        Incomplete::merge("BatchGetItem", incomplete)?;
        identities
            .iter()
            .map(|identity| found.get(identity).cloned().map(M::from_item).transpose())
            .collect()
    }
}

impl<'a, M: Model> IntoFuture for BatchGet<'a, M> {
    type Output = Result<Vec<Option<M>>>;
    type IntoFuture = super::item::BoxFuture<'a, Vec<Option<M>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Reads one chunk of keys, retrying what comes back unprocessed.
async fn get_chunk<M: Model>(
    client: &Client,
    table: &str,
    chunk: Vec<Item>,
    consistent: bool,
) -> std::result::Result<Vec<Item>, Incomplete> {
    let retry = *client.retry();
    let mut pending = chunk;
    let mut items = Vec::new();
    let mut last_error = None;
    let incomplete = |pending: Vec<Item>, cause| Incomplete {
        unprocessed: pending
            .into_iter()
            .map(|key| Unprocessed {
                model: M::SCHEMA.model,
                table: table.to_owned(),
                key,
                write: None,
            })
            .collect(),
        cause,
    };
    for round in 1..=retry.batch_rounds.max(1) {
        if round > 1 {
            tokio::time::sleep(retry.backoff(round - 1)).await;
        }
        let request = KeysAndAttributes::builder()
            .set_keys(Some(pending.clone()))
            .consistent_read(consistent)
            .build()
            .map_err(|e| incomplete(pending.clone(), Some(Error::Config(e.to_string()))))?;
        match client
            .sdk()
            .batch_get_item()
            .request_items(table, request)
            .send()
            .await
        {
            Ok(output) => {
                if let Some(mut responses) = output.responses {
                    items.extend(responses.remove(table).unwrap_or_default());
                }
                pending = output
                    .unprocessed_keys
                    .and_then(|mut left| left.remove(table))
                    .map(|left| left.keys)
                    .unwrap_or_default();
                last_error = None;
            }
            Err(error) if transient(&error) => {
                last_error = Some(Error::service("BatchGetItem", table, error));
            }
            Err(error) => {
                return Err(incomplete(
                    pending,
                    Some(Error::service("BatchGetItem", table, error)),
                ));
            }
        }
        if pending.is_empty() {
            return Ok(items);
        }
    }
    Err(incomplete(pending, last_error))
}

/// Renders the keys of unprocessed entries for an error message.
pub(crate) fn describe_unprocessed(unprocessed: &[Unprocessed]) -> String {
    let shown: Vec<String> = unprocessed
        .iter()
        .take(3)
        .map(|u| {
            let mut names: Vec<&str> = u.key.keys().map(String::as_str).collect();
            names.sort_unstable();
            format!(
                "{} {}",
                u.table,
                describe_attributes(names.into_iter(), &u.key)
            )
        })
        .collect();
    let more = unprocessed.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
