//! The actions of a write transaction: each single-item write builder as a
//! transaction item, with what a cancellation reason is reported with.

use crate::attr::Item;
use crate::model::Model;
use crate::ops::builder::SdkRequest;
use crate::ops::item::{Create, Delete, NoReturn, Save, SaveRequest};
use crate::ops::key_of;
use crate::ops::update::Update;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::{
    Delete as DeleteAction, Put, ReturnValuesOnConditionCheckFailure, TransactWriteItem,
    Update as UpdateAction,
};

/// One action of a transaction, with what is needed to report on it.
#[derive(Debug, Clone)]
pub struct Action {
    pub(super) item: TransactWriteItem,
    pub(super) model: &'static str,
    pub(super) table: String,
    pub(super) key: Item,
    pub(super) key_names: Vec<&'static str>,
}

/// A write builder that can be part of a transaction: `create`, `save`,
/// `update` and `delete` builders (the plain ones, without return values).
pub trait TransactWrite {
    /// The transaction action; fails for what the single write would refuse.
    /// A write given a [`customize`](crate::ops::item::Create::customize)
    /// is refused with [`Error::Config`](crate::Error::Config): an action
    /// takes only some parts of the request, so the change could not be
    /// applied whole; customize the transaction instead.
    fn into_action(self) -> Result<Action>;
}

fn key_names<M: Model>() -> Vec<&'static str> {
    M::SCHEMA.key_attributes().map(|key| key.name).collect()
}

pub(super) fn action<M: Model>(item: TransactWriteItem, table: String, key: Item) -> Action {
    Action {
        item,
        model: M::SCHEMA.model,
        table,
        key,
        key_names: key_names::<M>(),
    }
}

pub(super) fn built<T, E: std::fmt::Display>(result: std::result::Result<T, E>) -> Result<T> {
    result.map_err(|e| Error::Config(format!("building a transaction action: {e}")))
}

/// Copies the condition and expression maps of a single-item request onto
/// a transaction action's builder, builds it, and makes it the `$kind`
/// (`put`, `delete`, `update`) [`Action`] of model `$model` on `$key`.
macro_rules! action_from {
    ($model:ty, $kind:ident, $builder:expr, $request:expr, $table:expr, $key:expr) => {{
        let built = built(
            $builder
                .set_condition_expression($request.get_condition_expression().clone())
                .set_expression_attribute_names($request.get_expression_attribute_names().clone())
                .set_expression_attribute_values($request.get_expression_attribute_values().clone())
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .build(),
        )?;
        let item = TransactWriteItem::builder().$kind(built).build();
        Ok(action::<$model>(item, $table, $key))
    }};
}

/// Puts of `create` and `save`: their PutItem request, as a transaction put.
fn put_action<M: Model>(request: PutItemFluentBuilder) -> Result<Action> {
    let table = request.table();
    let item = request.get_item().clone().unwrap_or_default();
    let key = key_of::<M>(&item);
    let put = Put::builder().table_name(&table).set_item(Some(item));
    action_from!(M, put, put, request, table, key)
}

impl<M: Model> TransactWrite for Create<'_, M> {
    fn into_action(self) -> Result<Action> {
        put_action::<M>(self.into_plain_sdk()?)
    }
}

impl<M: Model> TransactWrite for Save<'_, M> {
    fn into_action(self) -> Result<Action> {
        match self.into_plain_sdk()? {
            SaveRequest::Put(request) => put_action::<M>(request),
            SaveRequest::Update(request) => update_action::<M>(request),
        }
    }
}

impl<M: Model> TransactWrite for Delete<'_, M, NoReturn> {
    fn into_action(self) -> Result<Action> {
        let request = self.into_plain_sdk()?;
        let table = request.table();
        let key = request.get_key().clone().unwrap_or_default();
        let delete = DeleteAction::builder()
            .table_name(&table)
            .set_key(Some(key.clone()));
        action_from!(M, delete, delete, request, table, key)
    }
}

impl<M: Model> TransactWrite for Update<'_, M, NoReturn> {
    fn into_action(self) -> Result<Action> {
        update_action::<M>(self.into_plain_sdk()?)
    }
}

/// Updates (and saves of models with `created_at`): their UpdateItem
/// request, as a transaction update.
fn update_action<M: Model>(request: UpdateItemFluentBuilder) -> Result<Action> {
    let table = request.table();
    let key = request.get_key().clone().unwrap_or_default();
    let update = UpdateAction::builder()
        .table_name(&table)
        .set_key(Some(key.clone()))
        .set_update_expression(request.get_update_expression().clone());
    action_from!(M, update, update, request, table, key)
}
