//! Batch reads: many items of one model by key.

use super::{identity, Incomplete, Unprocessed};
use super::{DEFAULT_CONCURRENCY, GET_CHUNK};
use crate::attr::Item;
use crate::client::Client;
use crate::hooks::{skip_hooks, Hooked};
use crate::model::Model;
use crate::ops::builder::{customize, into_future, try_send, CustomizeEach};
use crate::ops::{expired, key_of};
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::batch_get_item::builders::BatchGetItemFluentBuilder;
use aws_sdk_dynamodb::types::KeysAndAttributes;
use futures::stream::{self, StreamExt};
use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;

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
    hooks: Hooked,
    customize: CustomizeEach<'a, BatchGetItemFluentBuilder>,
    model: PhantomData<M>,
}

impl<'a, M: Model> BatchGet<'a, M> {
    pub(crate) fn new(client: &'a Client, keys: Vec<M::Key>) -> Self {
        Self {
            client,
            keys,
            consistent: false,
            concurrency: DEFAULT_CONCURRENCY,
            hooks: Hooked::of::<M>(),
            customize: CustomizeEach::default(),
            model: PhantomData,
        }
    }

    /// Strongly consistent reads.
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.consistent = consistent;
        self
    }

    skip_hooks!();

    /// How many chunks of 100 keys are in flight at once (default 4).
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.concurrency = chunks.max(1);
        self
    }

    customize! {
        /// Adjusts every BatchGetItem request before it is sent — each chunk of
        /// 100 keys, and each retry round of what DynamoDB left unprocessed —
        /// for what dynamo-model does not cover. The result is still one entry
        /// per key asked for (items are taken from every table the answer
        /// names, so a request sent to another table still fills it); keys
        /// still unprocessed when the rounds run out are reported in
        /// [`Error::BatchIncomplete`], any other failure is an [`Error`] naming
        /// `BatchGetItem`. Called once per request, possibly from several
        /// chunks at once. Given twice, both changes apply, in order.
        ///
        /// ```no_run
        /// # use dynamo_model::{Client, Model};
        /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
        /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
        /// let users: Vec<Option<User>> = User::batch_get(db, ["u1", "u2"])
        ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        ///     .await?;
        /// # Ok(()) }
        /// ```
        each 'a, BatchGetItemFluentBuilder
    }

    /// The requests the first round would send (customized): one
    /// BatchGetItem per chunk of up to 100 distinct keys, in the order the
    /// keys were first given. Later rounds send what DynamoDB leaves
    /// unprocessed, in requests built the same way.
    ///
    /// ```
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
    /// let db = Client::local("http://127.0.0.1:8000");
    /// let keys: Vec<String> = (0..150).map(|i| format!("u{i}")).collect();
    /// let requests = User::batch_get(&db, keys).into_sdk()?;
    /// assert_eq!(requests.len(), 2); // 100 keys, then 50
    /// # Ok::<(), dynamo_model::Error>(())
    /// ```
    pub fn into_sdk(self) -> Result<Vec<BatchGetItemFluentBuilder>> {
        let table = self.client.table_name::<M>();
        let (_, unique) = self.unique_keys(&table)?;
        let requests = self.requests(&table);
        unique
            .chunks(GET_CHUNK)
            .map(|chunk| requests.request(chunk.to_vec()))
            .collect()
    }

    /// The keys encoded with their identities, and the distinct keys in the
    /// order they were first given.
    fn unique_keys(&self, table: &str) -> Result<(Vec<String>, Vec<Item>)> {
        let keys: Vec<Item> = self
            .keys
            .iter()
            .map(|key| self.hooks.key_of::<M>(key))
            .collect::<Result<_>>()?;
        let identities: Vec<String> = keys.iter().map(|key| identity(table, key)).collect();
        let mut seen = HashSet::new();
        let unique = identities
            .iter()
            .zip(keys)
            .filter(|(identity, _)| seen.insert(identity.as_str()))
            .map(|(_, key)| key)
            .collect();
        Ok((identities, unique))
    }

    fn requests<'s>(&'s self, table: &'s str) -> Requests<'s, 'a> {
        Requests {
            client: self.client,
            model: M::SCHEMA.model,
            table,
            consistent: self.consistent,
            customize: &self.customize,
        }
    }

    crate::ops::builder::send_as_call! {
        /// Sends the requests.
        Vec<Option<M>>, crate::observe::CallInfo::of::<M>("batch_get")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(self) -> Result<Vec<Option<M>>> {
        let table = self.client.table_name::<M>();
        let (identities, unique) = self.unique_keys(&table)?;
        let (requests, hooks) = (self.requests(&table), self.hooks);
        let requests = &requests;
        let chunks: Vec<Vec<Item>> = unique.chunks(GET_CHUNK).map(<[_]>::to_vec).collect();
        let results: Vec<std::result::Result<Vec<Item>, Incomplete>> = stream::iter(chunks)
            .map(|chunk| requests.get_chunk(chunk))
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
            .map(|identity| {
                let item = found.get(identity).cloned();
                item.map(|item| hooks.decode(item, M::from_item))
                    .transpose()
            })
            .collect()
    }
}
into_future!(BatchGet<'a, M> => Vec<Option<M>>);

/// What every BatchGetItem of one batch is sent with.
struct Requests<'s, 'a> {
    client: &'a Client,
    model: &'static str,
    table: &'s str,
    consistent: bool,
    customize: &'s CustomizeEach<'a, BatchGetItemFluentBuilder>,
}

impl Requests<'_, '_> {
    /// The request reading `keys`, customized.
    fn request(&self, keys: Vec<Item>) -> Result<BatchGetItemFluentBuilder> {
        let keys = KeysAndAttributes::builder()
            .set_keys(Some(keys))
            .consistent_read(self.consistent)
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        let request = self
            .client
            .sdk()
            .batch_get_item()
            .request_items(self.table, keys);
        Ok(self.customize.apply(request))
    }

    /// What is left of a chunk, and why.
    fn incomplete(&self, pending: Vec<Item>, cause: Option<Error>) -> Incomplete {
        let unprocessed = pending.into_iter().map(|key| Unprocessed {
            model: self.model,
            table: self.table.to_owned(),
            key,
            write: None,
        });
        Incomplete {
            unprocessed: unprocessed.collect(),
            cause,
        }
    }

    /// Reads one chunk of keys, retrying what comes back unprocessed.
    async fn get_chunk(&self, chunk: Vec<Item>) -> std::result::Result<Vec<Item>, Incomplete> {
        let retry = *self.client.retry();
        let mut pending = chunk;
        let mut items = Vec::new();
        let mut last_error = None;
        for round in 1..=retry.batch_rounds.max(1) {
            if round > 1 {
                tokio::time::sleep(retry.backoff(round - 1)).await;
            }
            let request = self
                .request(pending.clone())
                .map_err(|error| self.incomplete(pending.clone(), Some(error)))?;
            match try_send(request).await {
                Ok(output) => {
                    // Every table the answer names: a customized request may
                    // have read another table than the model's.
                    let responses = output.responses.unwrap_or_default();
                    items.extend(responses.into_values().flatten());
                    let left = output.unprocessed_keys.unwrap_or_default();
                    pending = left.into_values().flat_map(|left| left.keys).collect();
                    last_error = None;
                }
                Err(failed) if failed.is_transient() => last_error = Some(failed.into_error()),
                Err(failed) => return Err(self.incomplete(pending, Some(failed.into_error()))),
            }
            if pending.is_empty() {
                return Ok(items);
            }
        }
        Err(self.incomplete(pending, last_error))
    }
}
