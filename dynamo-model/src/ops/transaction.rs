//! Transactions across models: all writes happen or none do
//! ([`Client::transaction`]), and consistent reads of several items at one
//! point in time ([`Client::transact_get`]).
//!
//! A write transaction takes the same builders as single writes — `create`,
//! `save`, `update`, `delete`, each with its conditions and version checks —
//! plus condition checks on other items. Before anything is sent it checks
//! DynamoDB's rules: 1 to 100 actions, no two on the same item. Every
//! transaction carries a client request token, so the SDK's retry of a
//! transaction whose answer was lost is applied once, not twice.
//!
//! ```no_run
//! # use dynamo_model::{Client, Model};
//! # #[derive(Model)] struct Account { #[model(hash_key)] id: String, balance: i64 }
//! # #[derive(Model)] struct Transfer { #[model(hash_key)] id: String, amount: i64 }
//! # async fn demo(db: &Client) -> dynamo_model::Result<()> {
//! let f = Account::fields();
//! db.transaction()
//!     .write(Account::update(db, "alice").decrement(&f.balance, 10).condition(f.balance.ge(10)))
//!     .write(Account::update(db, "bob").increment(&f.balance, 10))
//!     .create(&Transfer { id: "t1".into(), amount: 10 })
//!     .await?;
//! # Ok(()) }
//! ```

use super::item::{Create, Delete, NoReturn, Save, SaveRequest};
use super::update::Update;
use super::{describe_attributes, Rendered};
use crate::attr::Item;
use crate::client::Client;
use crate::expr::{Condition, Placeholders};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete as DeleteAction, Get as GetAction, Put,
    ReturnValuesOnConditionCheckFailure, TransactGetItem, TransactWriteItem,
    Update as UpdateAction,
};
use std::collections::HashSet;
use std::future::IntoFuture;

/// DynamoDB's limit of actions in one transaction.
pub const MAX_ACTIONS: usize = 100;

/// One action of a transaction, with what is needed to report on it.
#[derive(Debug, Clone)]
pub struct Action {
    item: TransactWriteItem,
    model: &'static str,
    table: String,
    key: Item,
    key_names: Vec<&'static str>,
}

/// A write builder that can be part of a transaction: `create`, `save`,
/// `update` and `delete` builders (the plain ones, without return values).
pub trait TransactWrite {
    /// The transaction action; fails for what the single write would refuse.
    fn into_action(self) -> Result<Action>;
}

fn key_names<M: Model>() -> Vec<&'static str> {
    M::SCHEMA.key_attributes().map(|key| key.name).collect()
}

fn key_from<M: Model>(item: &Item) -> Item {
    M::SCHEMA
        .key_attributes()
        .filter_map(|key| Some((key.name.to_owned(), item.get(key.name)?.clone())))
        .collect()
}

fn action<M: Model>(item: TransactWriteItem, table: String, key: Item) -> Action {
    Action {
        item,
        model: M::SCHEMA.model,
        table,
        key,
        key_names: key_names::<M>(),
    }
}

fn built<T, E: std::fmt::Display>(result: std::result::Result<T, E>) -> Result<T> {
    result.map_err(|e| Error::Config(format!("building a transaction action: {e}")))
}

/// Copies the condition and expression maps of a single-item request onto
/// a transaction action's builder, and builds it.
macro_rules! with_expressions {
    ($builder:expr, $request:expr) => {
        $builder
            .set_condition_expression($request.get_condition_expression().clone())
            .set_expression_attribute_names($request.get_expression_attribute_names().clone())
            .set_expression_attribute_values($request.get_expression_attribute_values().clone())
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .build()
    };
}

/// Puts of `create` and `save`: their PutItem request, as a transaction put.
fn put_action<M: Model>(
    request: aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder,
) -> Result<Action> {
    let table = request.get_table_name().clone().unwrap_or_default();
    let item = request.get_item().clone().unwrap_or_default();
    let key = key_from::<M>(&item);
    let put = built(with_expressions!(
        Put::builder().table_name(&table).set_item(Some(item)),
        request
    ))?;
    Ok(action::<M>(
        TransactWriteItem::builder().put(put).build(),
        table,
        key,
    ))
}

impl<M: Model> TransactWrite for Create<'_, M> {
    fn into_action(self) -> Result<Action> {
        put_action::<M>(self.into_sdk()?)
    }
}

impl<M: Model> TransactWrite for Save<'_, M> {
    fn into_action(self) -> Result<Action> {
        match self.into_sdk()? {
            SaveRequest::Put(request) => put_action::<M>(request),
            SaveRequest::Update(request) => update_action::<M>(request),
        }
    }
}

impl<M: Model> TransactWrite for Delete<'_, M, NoReturn> {
    fn into_action(self) -> Result<Action> {
        let request = self.into_sdk()?;
        let table = request.get_table_name().clone().unwrap_or_default();
        let key = request.get_key().clone().unwrap_or_default();
        let delete = built(with_expressions!(
            DeleteAction::builder()
                .table_name(&table)
                .set_key(Some(key.clone())),
            request
        ))?;
        Ok(action::<M>(
            TransactWriteItem::builder().delete(delete).build(),
            table,
            key,
        ))
    }
}

impl<M: Model> TransactWrite for Update<'_, M, NoReturn> {
    fn into_action(self) -> Result<Action> {
        update_action::<M>(self.into_sdk()?)
    }
}

/// Updates (and saves of models with `created_at`): their UpdateItem
/// request, as a transaction update.
fn update_action<M: Model>(
    request: aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder,
) -> Result<Action> {
    let table = request.get_table_name().clone().unwrap_or_default();
    let key = request.get_key().clone().unwrap_or_default();
    let update = built(with_expressions!(
        UpdateAction::builder()
            .table_name(&table)
            .set_key(Some(key.clone()))
            .set_update_expression(request.get_update_expression().clone()),
        request
    ))?;
    Ok(action::<M>(
        TransactWriteItem::builder().update(update).build(),
        table,
        key,
    ))
}

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
        self.item.clone().map(M::from_item)
    }
}

/// A write transaction: [`Client::transaction`].
#[must_use = "a builder does nothing until awaited"]
pub struct Transaction<'a> {
    client: &'a Client,
    actions: Vec<Action>,
    invalid: Option<Error>,
    token: Option<String>,
}

impl<'a> Transaction<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            actions: Vec::new(),
            invalid: None,
            token: None,
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

    /// Adds a put that fails the transaction if the key exists.
    pub fn create<M: Model>(self, item: &M) -> Self {
        let client = self.client;
        self.write(M::create(client, item))
    }

    /// Adds a put that replaces any item with the key.
    pub fn save<M: Model>(self, item: &M) -> Self {
        let client = self.client;
        self.write(M::save(client, item))
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
        let result = M::key_to_item(&key.into()).and_then(|key| {
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

    /// Sends the transaction; fails with [`Error::TransactionCanceled`]
    /// naming each action that failed and why.
    pub async fn send(self) -> Result<()> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        self.check()?;
        let token = self.token.unwrap_or_else(random_token);
        let items = self.actions.iter().map(|a| a.item.clone()).collect();
        let result = self
            .client
            .sdk()
            .transact_write_items()
            .set_transact_items(Some(items))
            .client_request_token(token)
            .send()
            .await;
        let error = match result {
            Ok(_) => return Ok(()),
            Err(error) => error.into_service_error(),
        };
        let TransactWriteItemsError::TransactionCanceledException(canceled) = error else {
            let table = self
                .actions
                .first()
                .map(|a| a.table.clone())
                .unwrap_or_default();
            return Err(Error::service("TransactWriteItems", &table, error));
        };
        let reasons = canceled
            .cancellation_reasons
            .unwrap_or_default()
            .into_iter()
            .zip(&self.actions)
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

impl<'a> IntoFuture for Transaction<'a> {
    type Output = Result<()>;
    type IntoFuture = super::item::BoxFuture<'a, ()>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

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
    invalid: Option<Error>,
}

/// The items a [`TransactGet`] read, by position.
#[derive(Debug)]
pub struct TransactItems {
    items: Vec<Option<Item>>,
    models: Vec<&'static str>,
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
        let item = self.items[index].take();
        item.filter(|item| !super::expired::<M>(item))
            .map(M::from_item)
            .transpose()
    }
}

impl<'a> TransactGet<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            gets: Vec::new(),
            models: Vec::new(),
            invalid: None,
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
            }
            Err(error) => {
                self.invalid.get_or_insert(error);
            }
        }
        self
    }

    /// Sends the reads.
    pub async fn send(self) -> Result<TransactItems> {
        if let Some(error) = self.invalid {
            return Err(error);
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
        let table = self
            .gets
            .first()
            .and_then(|g| g.get())
            .map(|g| g.table_name().to_owned())
            .unwrap_or_default();
        let output = self
            .client
            .sdk()
            .transact_get_items()
            .set_transact_items(Some(self.gets))
            .send()
            .await
            .map_err(|e| Error::service("TransactGetItems", &table, e))?;
        let items = output
            .responses
            .unwrap_or_default()
            .into_iter()
            .map(|response| response.item.filter(|item| !item.is_empty()))
            .collect();
        Ok(TransactItems {
            items,
            models: self.models,
        })
    }
}

impl<'a> IntoFuture for TransactGet<'a> {
    type Output = Result<TransactItems>;
    type IntoFuture = super::item::BoxFuture<'a, TransactItems>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
