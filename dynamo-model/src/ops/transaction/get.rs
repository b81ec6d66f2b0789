//! Transactional reads: several items, across models, at one point in time.

use super::actions::built;
use super::MAX_ACTIONS;
use crate::attr::Item;
use crate::client::Client;
use crate::hooks::Hooked;
use crate::model::Model;
use crate::ops::builder::{customize, into_future, send, Customize};
use crate::ops::expired;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::transact_get_items::builders::TransactGetItemsFluentBuilder;
use aws_sdk_dynamodb::types::{Get as GetAction, TransactGetItem};

/// Reads several items, across models, at one point in time:
/// [`Client::transact_get`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct Account { #[model(hash_key)] id: String, balance: i64 }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let mut read = db.transact_get().get::<Account>("alice").get::<Account>("bob").await?;
/// let alice: Option<Account> = read.take(0)?;
/// let bob: Option<Account> = read.take(1)?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct TransactGet<'a> {
    client: &'a Client,
    gets: Vec<TransactGetItem>,
    models: Vec<&'static str>,
    /// The hooks of each get's model, run when the request is built.
    hooks: Vec<Hooked>,
    /// Whether the hooks run (`skip_hooks()`).
    hooked: bool,
    invalid: Option<Error>,
    customize: Customize<'a, TransactGetItemsFluentBuilder>,
}

/// The items a [`TransactGet`] read, by position.
#[derive(Debug)]
pub struct TransactItems {
    items: Vec<Option<Item>>,
    models: Vec<&'static str>,
    /// Whether `take` runs the models' `after_read`.
    hooked: bool,
}

impl TransactItems {
    /// The item read by get number `index` (from 0), decoded into `M`;
    /// `None` if there is no such item.
    pub fn take<M: Model>(&mut self, index: usize) -> Result<Option<M>> {
        if self.models.get(index) != Some(&M::SCHEMA.model) {
            return Err(Error::Config(format!(
                "transaction get {index} read {}, not {}",
                self.models.get(index).copied().unwrap_or("nothing"),
                M::SCHEMA.model
            )));
        }
        let hooks = match self.hooked {
            true => Hooked::of::<M>(),
            false => Hooked::none(),
        };
        let item = self.items[index].take();
        item.filter(|item| !expired::<M>(item))
            .map(|item| hooks.decode(item, M::from_item))
            .transpose()
    }
}

impl<'a> TransactGet<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            gets: Vec::new(),
            models: Vec::new(),
            hooks: Vec::new(),
            hooked: true,
            invalid: None,
            customize: Customize::default(),
        }
    }

    /// Adds a read of the item of model `M` with `key`.
    pub fn get<M: Model>(mut self, key: impl Into<M::Key>) -> Self {
        let result = M::key_to_item(&key.into()).and_then(|key| {
            built(
                GetAction::builder()
                    .table_name(self.client.table_name::<M>())
                    .set_key(Some(key))
                    .build(),
            )
        });
        match result {
            Ok(get) => {
                self.gets.push(TransactGetItem::builder().get(get).build());
                self.models.push(M::SCHEMA.model);
                self.hooks.push(Hooked::of::<M>());
            }
            Err(error) => {
                self.invalid.get_or_insert(error);
            }
        }
        self
    }

    /// Runs without the models' [hooks](crate::hooks), whenever the gets
    /// were added: keys are sent and items read as stored.
    pub fn skip_hooks(mut self) -> Self {
        self.hooked = false;
        self
    }

    customize! {
        /// Adjusts the TransactGetItems request before it is sent, for what
        /// dynamo-model does not cover; the items are still read by position
        /// into their models, and a failure is still an [`Error`] naming
        /// `TransactGetItems`. Given twice, both changes apply, in order.
        ///
        /// ```no_run
        /// # use dynamo_model::{Client, Model};
        /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// # #[derive(Model)] struct Account { #[model(hash_key)] id: String }
        /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
        /// let mut read = db
        ///     .transact_get()
        ///     .get::<Account>("a1")
        ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        ///     .await?;
        /// let a1: Option<Account> = read.take(0)?;
        /// # Ok(()) }
        /// ```
        once 'a, TransactGetItemsFluentBuilder
    }

    /// The request these reads would send (customized), after the checks
    /// [`send`](Self::send) makes.
    ///
    /// ```
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct Account { #[model(hash_key)] id: String }
    /// let db = Client::local("http://127.0.0.1:8000");
    /// let request = db.transact_get().get::<Account>("a1").into_sdk()?;
    /// assert_eq!(request.get_transact_items().as_ref().map(Vec::len), Some(1));
    /// # Ok::<(), dynamo_model::Error>(())
    /// ```
    pub fn into_sdk(self) -> Result<TransactGetItemsFluentBuilder> {
        self.request().map(|(request, _)| request)
    }

    /// The request, and the model of each get.
    fn request(mut self) -> Result<(TransactGetItemsFluentBuilder, Vec<&'static str>)> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        if self.hooked {
            for (item, hooks) in self.gets.iter_mut().zip(&self.hooks) {
                if let Some(get) = item.get.as_mut() {
                    get.key = hooks.key(std::mem::take(&mut get.key))?;
                }
            }
        }
        let model = self.models.first().copied().unwrap_or("transaction");
        if self.gets.is_empty() || self.gets.len() > MAX_ACTIONS {
            return Err(Error::InvalidExpression {
                model,
                reason: format!(
                    "a transaction has 1 to {MAX_ACTIONS} actions, not {}; split it",
                    self.gets.len()
                ),
            });
        }
        let request = self
            .client
            .sdk()
            .transact_get_items()
            .set_transact_items(Some(self.gets));
        Ok((self.customize.apply(request), self.models))
    }

    crate::ops::builder::send_as_call! {
        /// Sends the reads.
        TransactItems, crate::observe::CallInfo::across("transact_get")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(self) -> Result<TransactItems> {
        let hooked = self.hooked;
        let (request, models) = self.request()?;
        let output = send(request).await?;
        let items = output
            .responses
            .unwrap_or_default()
            .into_iter()
            .map(|response| response.item.filter(|item| !item.is_empty()))
            .collect();
        Ok(TransactItems {
            items,
            models,
            hooked,
        })
    }
}
into_future!(<> TransactGet<'a> => TransactItems);
