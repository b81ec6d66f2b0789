//! Deleting one item by key.

use crate::attr::Item;
use crate::client::Client;
use crate::expr::Placeholders;
use crate::hooks::{skip_hooks, Hooked};
use crate::model::Model;
use crate::ops::builder::{customize, into_future, into_sdk, Customize, NoReturn, ReturnOld};
use crate::ops::write::{
    guard_methods, send_write, write_failed, ConditionalWrite, Guard, Written,
};
use crate::ops::Rendered;
use crate::Result;
use aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder;
use aws_sdk_dynamodb::types::ReturnValue;
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
    hooks: Hooked,
    customize: Customize<'a, DeleteItemFluentBuilder>,
    /// What the request asks back: set with the return marker `R`.
    return_value: ReturnValue,
    returns: PhantomData<R>,
}

impl<'a, M: Model, R> Delete<'a, M, R> {
    guard_methods! {
        /// Delete only if `condition` holds for the stored item; otherwise fail
        /// with [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed),
        /// carrying the stored item.
        condition;
        /// Optimistic locking: delete only if the stored version is `version`,
        /// else fail with [`Error::VersionConflict`](crate::Error::VersionConflict).
        expect_version
    }

    skip_hooks!();

    customize! {
        /// Adjusts the DeleteItem request before it is sent, for what
        /// dynamo-model does not cover; a failed condition is still
        /// [`Error::ConditionalCheckFailed`](crate::Error::ConditionalCheckFailed)
        /// or a version conflict, any other failure an
        /// [`Error`](crate::Error) naming `DeleteItem`. Given twice, both changes
        /// apply, in order.
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
        once 'a, DeleteItemFluentBuilder
    }

    into_sdk!(write DeleteItemFluentBuilder);

    /// The request, without the builder's customization.
    fn request(self) -> Result<DeleteItemFluentBuilder> {
        let key = self.hooks.key_of::<M>(&self.key)?;
        let mut condition = self.guard.into_condition::<M>(None);
        self.hooks.delete(&key, &mut condition)?;
        let rendered = Rendered::new::<M>(condition.as_ref(), Placeholders::new())?;
        Ok(self
            .client
            .sdk()
            .delete_item()
            .table_name(self.client.table_name::<M>())
            .set_key(Some(key))
            .with_condition(rendered)
            .return_values(self.return_value))
    }

    async fn send_request(self) -> Result<Option<Item>> {
        let key = M::key_to_item(&self.key)?;
        let expected = self.guard.expected_version();
        let request = self.into_sdk()?;
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
            hooks: Hooked::of::<M>(),
            customize: Customize::default(),
            return_value: ReturnValue::None,
            returns: PhantomData,
        }
    }

    /// Return the deleted item (`None` if there was none).
    pub fn return_old(self) -> Delete<'a, M, ReturnOld> {
        Delete {
            client: self.client,
            key: self.key,
            guard: self.guard,
            hooks: self.hooks,
            customize: self.customize,
            return_value: ReturnValue::AllOld,
            returns: PhantomData,
        }
    }

    crate::ops::builder::send_as_call! {
        /// Sends the request.
        (), crate::observe::CallInfo::of::<M>("delete")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(self) -> Result<()> {
        self.send_request().await.map(drop)
    }
}
into_future!(Delete<'a, M, NoReturn> => ());

impl<M: Model> Delete<'_, M, ReturnOld> {
    crate::ops::builder::send_as_call! {
        /// Sends the request: the deleted item, if there was one.
        Option<M>, crate::observe::CallInfo::of::<M>("delete")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(self) -> Result<Option<M>> {
        let hooks = self.hooks;
        let old = self.send_request().await?;
        old.filter(|item| !item.is_empty())
            .map(|item| hooks.decode(item, M::from_item))
            .transpose()
    }
}
into_future!(Delete<'a, M, ReturnOld> => Option<M>);
