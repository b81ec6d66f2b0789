//! Batch writes: puts and deletes across models and tables.

use super::{identity, project_key, Incomplete, Unprocessed};
use super::{DEFAULT_CONCURRENCY, WRITE_CHUNK};
use crate::attr::Item;
use crate::client::Client;
use crate::hooks::Hooked;
use crate::locking::Unversioned;
use crate::model::Model;
use crate::ops::builder::{customize, into_future, try_send, CustomizeEach};
use crate::ops::{check_size, item_for_write, key_of};
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::batch_write_item::builders::BatchWriteItemFluentBuilder;
use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

/// One write of a batch, with what is needed to match DynamoDB's answer
/// back to it and to report it.
#[derive(Debug, Clone)]
struct Write {
    model: &'static str,
    table: String,
    key: Item,
    identity: String,
    request: WriteRequest,
    /// Runs the model's hooks on the write: `None` when it has none.
    hooks: Option<fn(&mut Write) -> Result<()>>,
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
    /// Whether the writes run their models' hooks (they do, when sent).
    hooked: bool,
    customize: CustomizeEach<'a, BatchWriteItemFluentBuilder>,
}

impl<'a> BatchWrite<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            writes: Vec::new(),
            invalid: None,
            concurrency: DEFAULT_CONCURRENCY,
            hooked: true,
            customize: CustomizeEach::default(),
        }
    }

    /// Adds a put of `item` (replacing any item with its key). Every item is
    /// checked as `save` checks it before anything is sent. A versioned
    /// model cannot be batch-written (a compile error): DynamoDB batches
    /// take no conditions, so the version could not be checked (use `save`
    /// or a transaction).
    pub fn put<M: Unversioned>(self, item: &M) -> Self {
        self.add::<M>(|| {
            let item = item_for_write(item, Hooked::none(), &mut None)?;
            let key = key_of::<M>(&item);
            let put = PutRequest::builder().set_item(Some(item)).build();
            let request = WriteRequest::builder()
                .put_request(put.map_err(|e| Error::Config(e.to_string()))?)
                .build();
            Ok((key, request))
        })
    }

    /// Adds a delete of the item with `key`.
    pub fn delete<M: Model>(self, key: impl Into<M::Key>) -> Self {
        self.add::<M>(|| {
            let key = M::key_to_item(&key.into())?;
            let delete = DeleteRequest::builder()
                .set_key(Some(key.clone()))
                .build()
                .map_err(|e| Error::Config(e.to_string()))?;
            Ok((key, WriteRequest::builder().delete_request(delete).build()))
        })
    }

    /// Adds the write `make` builds (its key and request), unless an
    /// earlier one failed; the first failure is reported when sending.
    fn add<M: Model>(mut self, make: impl FnOnce() -> Result<(Item, WriteRequest)>) -> Self {
        if self.invalid.is_some() {
            return self;
        }
        match make() {
            Ok((key, request)) => {
                let table = self.client.table_name::<M>();
                self.writes.push(Write {
                    model: M::SCHEMA.model,
                    identity: identity(&table, &key),
                    table,
                    key,
                    request,
                    hooks: M::__HOOKS.map(|_| run_hooks::<M> as fn(&mut Write) -> Result<()>),
                });
            }
            Err(error) => self.invalid = Some(error),
        }
        self
    }

    /// Runs without the models' [hooks](crate::hooks), whenever the writes
    /// were added: stores the items as encoded, for maintenance jobs.
    pub fn skip_hooks(mut self) -> Self {
        self.hooked = false;
        self
    }

    /// How many chunks are in flight at once (default 4).
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.concurrency = chunks.max(1);
        self
    }

    customize! {
        /// Adjusts every BatchWriteItem request before it is sent — each chunk
        /// of 25 writes, and each retry round of what DynamoDB left unprocessed
        /// — for what dynamo-model does not cover. Writes DynamoDB returns
        /// unprocessed are still retried and, when the rounds run out, still
        /// reported in [`Error::BatchIncomplete`]; any other failure is an
        /// [`Error`] naming `BatchWriteItem`. Called once per request, possibly
        /// from several chunks at once. Given twice, both changes apply, in
        /// order.
        ///
        /// ```no_run
        /// # use dynamo_model::{Client, Model};
        /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
        /// # async fn demo(db: &Client, users: Vec<User>) -> dynamo_model::Result<()> {
        /// User::batch_put(db, &users)
        ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        ///     .await?;
        /// # Ok(()) }
        /// ```
        each 'a, BatchWriteItemFluentBuilder
    }

    /// The requests the first round would send (customized): one
    /// BatchWriteItem per chunk of up to 25 writes, after duplicates are
    /// merged (the last write of a key wins). Later rounds send what
    /// DynamoDB leaves unprocessed, in requests built the same way.
    ///
    /// ```
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
    /// let db = Client::local("http://127.0.0.1:8000");
    /// let users: Vec<User> = (0..30).map(|i| User { id: format!("u{i}") }).collect();
    /// let requests = User::batch_put(&db, &users).into_sdk()?;
    /// assert_eq!(requests.len(), 2); // 25 writes, then 5
    /// # Ok::<(), dynamo_model::Error>(())
    /// ```
    pub fn into_sdk(mut self) -> Result<Vec<BatchWriteItemFluentBuilder>> {
        let chunks = self.chunks()?;
        let requests = Requests {
            client: self.client,
            customize: &self.customize,
        };
        Ok(chunks.iter().map(|chunk| requests.request(chunk)).collect())
    }

    /// The writes to send, one of each key, in chunks.
    fn chunks(&mut self) -> Result<Vec<Vec<Write>>> {
        if let Some(error) = self.invalid.take() {
            return Err(error);
        }
        if self.hooked {
            for write in &mut self.writes {
                if let Some(hooks) = write.hooks {
                    hooks(write)?;
                }
            }
        }
        // The last write of each key wins, as if they ran in order.
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (index, write) in self.writes.iter().enumerate() {
            last.insert(&write.identity, index);
        }
        let mut keep: Vec<usize> = last.into_values().collect();
        keep.sort_unstable();
        let mut writes: Vec<Option<Write>> = self.writes.drain(..).map(Some).collect();
        let unique: Vec<Write> = keep.into_iter().filter_map(|i| writes[i].take()).collect();
        Ok(unique.chunks(WRITE_CHUNK).map(<[_]>::to_vec).collect())
    }

    crate::ops::builder::send_as_call! {
        /// Sends every write; fails with [`Error::BatchIncomplete`] listing the
        /// writes not applied when retries run out.
        (), crate::observe::CallInfo::across("batch_write")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(mut self) -> Result<()> {
        let chunks = self.chunks()?;
        let requests = Requests {
            client: self.client,
            customize: &self.customize,
        };
        let requests = &requests;
        let results: Vec<std::result::Result<(), Incomplete>> = stream::iter(chunks)
            .map(|chunk| requests.write_chunk(chunk))
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        Incomplete::merge("BatchWriteItem", results)
    }
}
into_future!(<> BatchWrite<'a> => ());

/// What every BatchWriteItem of one batch is sent with.
struct Requests<'s, 'a> {
    client: &'a Client,
    customize: &'s CustomizeEach<'a, BatchWriteItemFluentBuilder>,
}

impl Requests<'_, '_> {
    /// The request writing `pending`, customized.
    fn request(&self, pending: &[Write]) -> BatchWriteItemFluentBuilder {
        let mut request_items: HashMap<String, Vec<WriteRequest>> = HashMap::new();
        for write in pending {
            request_items
                .entry(write.table.clone())
                .or_default()
                .push(write.request.clone());
        }
        let request = self
            .client
            .sdk()
            .batch_write_item()
            .set_request_items(Some(request_items));
        self.customize.apply(request)
    }

    /// Writes one chunk, retrying what comes back unprocessed.
    async fn write_chunk(&self, chunk: Vec<Write>) -> std::result::Result<(), Incomplete> {
        let retry = *self.client.retry();
        let mut pending = chunk;
        let mut last_error = None;
        for round in 1..=retry.batch_rounds.max(1) {
            if round > 1 {
                tokio::time::sleep(retry.backoff(round - 1)).await;
            }
            match try_send(self.request(&pending)).await {
                Ok(output) => {
                    let returned = output.unprocessed_items.unwrap_or_default();
                    retain_returned(&mut pending, &returned);
                    last_error = None;
                }
                Err(failed) if failed.is_transient() => last_error = Some(failed.into_error()),
                Err(failed) => {
                    return Err(Incomplete {
                        unprocessed: pending.into_iter().map(Write::unprocessed).collect(),
                        cause: Some(failed.into_error()),
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
}

/// Keeps the writes of `pending` that DynamoDB returned unprocessed. A write
/// is matched by its key in its table; an entry under a table no pending
/// write names (a customized request renamed it) matches by key in any
/// table, so a renamed write is retried rather than lost (writing a key
/// twice is harmless: a batch takes no conditions).
fn retain_returned(pending: &mut Vec<Write>, returned: &HashMap<String, Vec<WriteRequest>>) {
    let entries: Vec<(&String, &Item)> = returned
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
        .collect();
    let known = |table: &String| pending.iter().any(|w| &w.table == table);
    let left: Vec<bool> = pending
        .iter()
        .map(|write| {
            entries.iter().any(|(table, item)| {
                (**table == write.table || !known(table))
                    && project_key(item, &write.key) == write.key
            })
        })
        .collect();
    let mut left = left.into_iter();
    pending.retain(|_| left.next().unwrap_or(false));
}

/// Runs `M`'s hooks on a write of the batch, when it is sent (so that
/// `skip_hooks()` applies to writes added before it): `before_write` on a
/// put's item, `on_key` and `before_delete` on a delete's key. The write's
/// key is then the one sent.
fn run_hooks<M: Model>(write: &mut Write) -> Result<()> {
    let hooks = Hooked::of::<M>();
    if let Some(put) = write.request.put_request.as_mut() {
        hooks.batch_write(&mut put.item)?;
        check_size::<M>(&put.item)?;
        write.key = key_of::<M>(&put.item);
    } else if let Some(delete) = write.request.delete_request.as_mut() {
        delete.key = hooks.key(std::mem::take(&mut delete.key))?;
        hooks.batch_delete(&delete.key)?;
        write.key = delete.key.clone();
    }
    write.identity = identity(&write.table, &write.key);
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::AttributeValue;

    fn write(table: &str, id: &str) -> Write {
        let key = Item::from([("id".to_owned(), AttributeValue::S(id.to_owned()))]);
        let delete = DeleteRequest::builder()
            .set_key(Some(key.clone()))
            .build()
            .unwrap();
        Write {
            model: "Point",
            identity: identity(table, &key),
            table: table.to_owned(),
            key,
            request: WriteRequest::builder().delete_request(delete).build(),
            hooks: None,
        }
    }

    fn ids(pending: &[Write]) -> Vec<(&str, &AttributeValue)> {
        pending
            .iter()
            .map(|w| (w.table.as_str(), &w.key["id"]))
            .collect()
    }

    #[test]
    fn unprocessed_writes_are_matched_by_key_in_their_table() {
        let mut pending = vec![write("a", "1"), write("a", "2"), write("b", "1")];
        let returned = HashMap::from([("a".to_owned(), vec![write("a", "1").request])]);
        retain_returned(&mut pending, &returned);
        assert_eq!(ids(&pending), [("a", &AttributeValue::S("1".into()))]);
    }

    #[test]
    fn unprocessed_writes_of_a_renamed_table_are_kept_not_lost() {
        let mut pending = vec![write("a", "1"), write("a", "2")];
        // A customized request sent them to table "c".
        let returned = HashMap::from([("c".to_owned(), vec![write("c", "2").request])]);
        retain_returned(&mut pending, &returned);
        assert_eq!(ids(&pending), [("a", &AttributeValue::S("2".into()))]);
        retain_returned(&mut pending, &HashMap::new());
        assert!(pending.is_empty(), "nothing returned: all done");
    }
}
