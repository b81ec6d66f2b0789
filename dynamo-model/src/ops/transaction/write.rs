//! Write transactions: all writes happen or none do.

use super::actions::{action, built, Action, TransactWrite};
use super::MAX_ACTIONS;
use crate::attr::Item;
use crate::client::Client;
use crate::expr::{Condition, Placeholders};
use crate::hooks::Hooked;
use crate::locking::ItemRef;
use crate::model::Model;
use crate::ops::builder::{customize, into_future, try_send, Claimed, Customize};
use crate::ops::item::{Create, Save};
use crate::ops::{describe_attributes, Rendered};
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::transact_write_items::builders::TransactWriteItemsFluentBuilder;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    ConditionCheck, ReturnValuesOnConditionCheckFailure, TransactWriteItem,
};
use std::collections::HashSet;

/// Why one action of a canceled transaction failed.
#[derive(Debug, Clone)]
pub struct CancelReason {
    /// The action's position in the transaction, from 0.
    pub index: usize,
    /// The model's Rust name.
    pub model: &'static str,
    /// The table name as sent.
    pub table: String,
    /// The key, rendered for people.
    pub key: String,
    /// DynamoDB's code: `ConditionalCheckFailed`, `TransactionConflict`,
    /// `ValidationError`, `ThrottlingError`, ...
    pub code: String,
    /// DynamoDB's message, if any.
    pub message: Option<String>,
    /// The item as stored, for a failed condition.
    pub item: Option<Item>,
}

impl CancelReason {
    /// The stored item of a failed condition, decoded into `M`.
    pub fn current_item<M: Model>(&self) -> Option<Result<M>> {
        let hooks = Hooked::of::<M>();
        self.item
            .clone()
            .map(|item| hooks.decode(item, M::from_item))
    }
}

/// A write transaction: [`Client::transaction`].
#[must_use = "a builder does nothing until awaited"]
pub struct Transaction<'a> {
    client: &'a Client,
    actions: Vec<Action>,
    invalid: Option<Error>,
    token: Option<String>,
    customize: Customize<'a, TransactWriteItemsFluentBuilder>,
}

impl<'a> Transaction<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            actions: Vec::new(),
            invalid: None,
            token: None,
            customize: Customize::default(),
        }
    }

    /// Adds a write: a `create`, `save`, `update` or `delete` builder with
    /// its conditions.
    pub fn write(mut self, write: impl TransactWrite) -> Self {
        match write.into_action() {
            Ok(action) => self.actions.push(action),
            Err(error) => {
                self.invalid.get_or_insert(error);
            }
        }
        self
    }

    /// Adds a put that fails the transaction if the key exists. (The
    /// struct is not changed: a versioned item is stored with its version
    /// plus one.)
    pub fn create<M: Model>(self, item: &M) -> Self {
        let client = self.client;
        self.write(Create::new(client, ItemRef::shared(item)))
    }

    /// Adds a put that replaces any item with the key. (The struct is not
    /// changed: a versioned item is stored with its version plus one.)
    pub fn save<M: Model>(self, item: &M) -> Self {
        let client = self.client;
        self.write(Save::new(client, ItemRef::shared(item)))
    }

    /// Adds a delete.
    pub fn delete<M: Model>(self, key: impl Into<M::Key>) -> Self {
        let client = self.client;
        self.write(M::delete(client, key))
    }

    /// Adds a condition on another item: the transaction happens only if it
    /// holds (the item is not changed).
    pub fn condition_check<M: Model>(
        mut self,
        key: impl Into<M::Key>,
        condition: Condition,
    ) -> Self {
        let result = Hooked::of::<M>().key_of::<M>(&key.into()).and_then(|key| {
            let rendered = Rendered::new::<M>(Some(&condition), Placeholders::new())?;
            let table = self.client.table_name::<M>();
            let check = built(
                ConditionCheck::builder()
                    .table_name(&table)
                    .set_key(Some(key.clone()))
                    .set_condition_expression(rendered.condition)
                    .set_expression_attribute_names(rendered.names)
                    .set_expression_attribute_values(rendered.values)
                    .return_values_on_condition_check_failure(
                        ReturnValuesOnConditionCheckFailure::AllOld,
                    )
                    .build(),
            )?;
            let item = TransactWriteItem::builder().condition_check(check).build();
            Ok(action::<M>(item, table, key))
        });
        match result {
            Ok(action) => self.actions.push(action),
            Err(error) => {
                self.invalid.get_or_insert(error);
            }
        }
        self
    }

    /// The idempotency token (default: a new random one per transaction).
    /// Sending the same token again within 10 minutes does not apply the
    /// transaction twice.
    pub fn client_request_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Checks DynamoDB's rules before anything is sent.
    fn check(&self) -> Result<()> {
        let model = self.actions.first().map_or("transaction", |a| a.model);
        let invalid = |reason: String| Err(Error::InvalidExpression { model, reason });
        if self.actions.is_empty() || self.actions.len() > MAX_ACTIONS {
            return invalid(format!(
                "a transaction has 1 to {MAX_ACTIONS} actions, not {}; split it",
                self.actions.len()
            ));
        }
        let mut seen = HashSet::new();
        for action in &self.actions {
            let key = describe_attributes(action.key_names.iter().copied(), &action.key);
            if !seen.insert((action.table.as_str(), key.clone())) {
                return invalid(format!(
                    "two actions of one transaction touch item {key} of table `{}`; \
                     DynamoDB refuses that — merge them into one action",
                    action.table
                ));
            }
        }
        Ok(())
    }

    customize! {
        /// Adjusts the TransactWriteItems request before it is sent, for what
        /// dynamo-model does not cover; a cancellation is still
        /// [`Error::TransactionCanceled`] naming each failed action, any other
        /// failure an [`Error`] naming `TransactWriteItems`. Given twice, both
        /// changes apply, in order. (The writes added to a transaction cannot be
        /// customized one by one; see [`TransactWrite`](super::TransactWrite).)
        ///
        /// ```no_run
        /// # use dynamo_model::{Client, Model};
        /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// # #[derive(Model)] struct Account { #[model(hash_key)] id: String }
        /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
        /// db.transaction()
        ///     .create(&Account { id: "a1".into() })
        ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        ///     .await?;
        /// # Ok(()) }
        /// ```
        once 'a, TransactWriteItemsFluentBuilder
    }

    /// The request this transaction would send (customized), after the
    /// checks [`send`](Self::send) makes: its actions in order, and its
    /// client request token (the one given, or a new random one).
    ///
    /// ```
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct Account { #[model(hash_key)] id: String }
    /// let db = Client::local("http://127.0.0.1:8000");
    /// let request = db.transaction().delete::<Account>("a1").into_sdk()?;
    /// assert_eq!(request.get_transact_items().as_ref().map(Vec::len), Some(1));
    /// # Ok::<(), dynamo_model::Error>(())
    /// ```
    pub fn into_sdk(self) -> Result<TransactWriteItemsFluentBuilder> {
        self.request().map(|(request, _)| request)
    }

    /// The request, and the actions to report a cancellation with.
    fn request(self) -> Result<(TransactWriteItemsFluentBuilder, Vec<Action>)> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        self.check()?;
        let token = self.token.unwrap_or_else(random_token);
        let items = self.actions.iter().map(|a| a.item.clone()).collect();
        let request = self
            .client
            .sdk()
            .transact_write_items()
            .set_transact_items(Some(items))
            .client_request_token(token);
        Ok((self.customize.apply(request), self.actions))
    }

    crate::ops::builder::send_as_call! {
        /// Sends the transaction; fails with [`Error::TransactionCanceled`]
        /// naming each action that failed and why.
        (), crate::observe::CallInfo::across("transact_write")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(self) -> Result<()> {
        let (request, actions) = self.request()?;
        let canceled = match try_send(request).await {
            Ok(_) => return Ok(()),
            Err(failed) => failed.claim(|error| match error {
                TransactWriteItemsError::TransactionCanceledException(canceled) => {
                    Claimed::Answer(canceled)
                }
                other => Claimed::Unclaimed(other),
            })?,
        };
        let reasons = canceled
            .cancellation_reasons
            .unwrap_or_default()
            .into_iter()
            .zip(&actions)
            .enumerate()
            .filter(|(_, (reason, _))| reason.code().is_some_and(|c| c != "None"))
            .map(|(index, (reason, action))| CancelReason {
                index,
                model: action.model,
                table: action.table.clone(),
                key: describe_attributes(action.key_names.iter().copied(), &action.key),
                code: reason.code.unwrap_or_default(),
                message: reason.message,
                item: reason.item.filter(|item| !item.is_empty()),
            })
            .collect();
        Err(Error::TransactionCanceled { reasons })
    }
}
into_future!(<> Transaction<'a> => ());

/// A fresh idempotency token.
fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut token = String::from("dm-");
    for _ in 0..2 {
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        token.push_str(&format!("{random:016x}"));
    }
    token
}
