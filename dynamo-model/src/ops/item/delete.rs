//! Deleting one item by key.

use crate::attr::Item;
use crate::client::Client;
use crate::expr::{Condition, Placeholders};
use crate::model::Model;
use crate::ops::builder::{into_future, Customize, NoReturn, ReturnOld};
use crate::ops::write::{refuse_customized, send_write, write_failed, Guard, Written};
use crate::ops::Rendered;
use crate::Result;
use aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder;
use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};
use std::marker::PhantomData;

/// Deletes one item by key: [`Model::delete`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String, logins: u64 }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// User::delete(db, "u1").await?;
/// let old: Option<User> = User::delete(db, "u2").return_old().await?;
/// let f = User::fields();
/// User::delete(db, "u3").condition(f.logins.eq(0)).await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Delete<'a, M: Model, R = NoReturn> {
    client: &'a Client,
    key: M::Key,
    guard: Guard,
    customize: Customize<'a, DeleteItemFluentBuilder>,
    returns: PhantomData<R>,
}

impl<'a, M: Model, R> Delete<'a, M, R> {
    /// Delete only if `condition` holds for the stored item; otherwise fail
    /// with [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed),
    /// carrying the stored item.
    pub fn condition(mut self, condition: Condition) -> Self {
        self.guard.condition(condition);
        self
    }

    /// Optimistic locking: delete only if the stored version is `version`,
    /// else fail with [`Error::VersionConflict`](crate::Error::VersionConflict).
    pub fn expect_version(mut self, version: u64) -> Self {
        self.guard.expect_version(version);
        self
    }

    /// Adjusts the DeleteItem request before it is sent, for what
    /// dynamo-model does not cover; a failed condition is still
    /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed)
    /// or a version conflict, any other failure an
    /// [`Error`](crate::Error) naming `DeleteItem`. Given twice, both changes
    /// apply, in order. (`ReturnValues` is set after it, by
    /// [`return_old`](Delete::return_old) or its absence.)
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Model};
    /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// User::delete(db, "u1")
    ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn customize(
        mut self,
        change: impl FnOnce(DeleteItemFluentBuilder) -> DeleteItemFluentBuilder + Send + 'a,
    ) -> Self {
        self.customize = self.customize.then(change);
        self
    }

    /// The SDK request this builder would send (customized).
    pub fn into_sdk(mut self) -> Result<DeleteItemFluentBuilder> {
        let customize = std::mem::take(&mut self.customize);
        Ok(customize.apply(self.request()?))
    }

    /// The request without customization, for a transaction, which refuses
    /// a customized write.
    pub(crate) fn into_plain_sdk(mut self) -> Result<DeleteItemFluentBuilder> {
        refuse_customized(M::SCHEMA.model, self.customize.is_set())?;
        self.request()
    }

    fn request(self) -> Result<DeleteItemFluentBuilder> {
        let condition = self.guard.into_condition::<M>(None);
        let rendered = Rendered::new::<M>(condition.as_ref(), Placeholders::new())?;
        Ok(self
            .client
            .sdk()
            .delete_item()
            .table_name(self.client.table_name::<M>())
            .set_key(Some(M::key_to_item(&self.key)?))
            .set_condition_expression(rendered.condition)
            .set_expression_attribute_names(rendered.names)
            .set_expression_attribute_values(rendered.values)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld))
    }

    async fn send_request(self, returns: ReturnValue) -> Result<Option<Item>> {
        let key = M::key_to_item(&self.key)?;
        let expected = self.guard.expected_version();
        let request = self.into_sdk()?.return_values(returns);
        match send_write(request).await? {
            Written::Done { attributes } => Ok(attributes),
            Written::ConditionFailed { stored } => {
                Err(write_failed::<M>("DeleteItem", expected, key, stored))
            }
        }
    }
}

impl<'a, M: Model> Delete<'a, M, NoReturn> {
    pub(crate) fn new(client: &'a Client, key: M::Key) -> Self {
        Self {
            client,
            key,
            guard: Guard::default(),
            customize: Customize::default(),
            returns: PhantomData,
        }
    }

    /// Return the deleted item (`None` if there was none).
    pub fn return_old(self) -> Delete<'a, M, ReturnOld> {
        Delete {
            client: self.client,
            key: self.key,
            guard: self.guard,
            customize: self.customize,
            returns: PhantomData,
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        self.send_request(ReturnValue::None).await.map(drop)
    }
}
into_future!(Delete<'a, M, NoReturn> => ());

impl<M: Model> Delete<'_, M, ReturnOld> {
    /// Sends the request: the deleted item, if there was one.
    pub async fn send(self) -> Result<Option<M>> {
        let old = self.send_request(ReturnValue::AllOld).await?;
        old.filter(|item| !item.is_empty())
            .map(M::from_item)
            .transpose()
    }
}
into_future!(Delete<'a, M, ReturnOld> => Option<M>);
