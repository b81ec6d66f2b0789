//! Single-item operations: get, create, save, delete.

use super::{describe_key, item_for_write};
use crate::attr::Item;
use crate::client::Client;
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder;
use aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder;
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::types::ReturnValue;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

/// The boxed future every builder's `IntoFuture` returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// Implements `IntoFuture` for a builder through its `send` method.
macro_rules! into_future {
    ($builder:ty => $output:ty) => {
        impl<'a, M: Model> IntoFuture for $builder {
            type Output = Result<$output>;
            type IntoFuture = BoxFuture<'a, $output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future;

/// Reads one item by key: [`Model::get`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let user: Option<User> = User::get(db, "u1").consistent(true).await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Get<'a, M: Model> {
    client: &'a Client,
    key: M::Key,
    consistent: bool,
}

impl<'a, M: Model> Get<'a, M> {
    pub(crate) fn new(client: &'a Client, key: M::Key) -> Self {
        Self {
            client,
            key,
            consistent: false,
        }
    }

    /// Strongly consistent read (twice the read cost; not on global indexes).
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.consistent = consistent;
        self
    }

    /// The SDK request this builder would send.
    pub fn into_sdk(self) -> Result<GetItemFluentBuilder> {
        Ok(self
            .client
            .sdk()
            .get_item()
            .table_name(self.client.table_name::<M>())
            .set_key(Some(M::key_to_item(&self.key)?))
            .consistent_read(self.consistent))
    }

    /// Sends the request: the item, or `None` if there is none.
    pub async fn send(self) -> Result<Option<M>> {
        let request = self.into_sdk()?;
        let table = request.get_table_name().clone().unwrap_or_default();
        let output = request
            .send()
            .await
            .map_err(|e| Error::service("GetItem", &table, e))?;
        output.item.map(M::from_item).transpose()
    }
}
into_future!(Get<'a, M> => Option<M>);

/// Writes a new item, failing if its key exists: [`Model::create`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// match User::create(db, &User { id: "u1".into() }).await {
///     Err(e) if e.is_already_exists() => println!("u1 is taken"),
///     other => other?,
/// }
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Create<'a, M: Model> {
    client: &'a Client,
    item: &'a M,
}

impl<'a, M: Model> Create<'a, M> {
    pub(crate) fn new(client: &'a Client, item: &'a M) -> Self {
        Self { client, item }
    }

    /// The SDK request this builder would send.
    pub fn into_sdk(self) -> Result<PutItemFluentBuilder> {
        let item = item_for_write(self.item)?;
        Ok(put_request::<M>(self.client, item)
            .condition_expression("attribute_not_exists(#k)")
            .expression_attribute_names("#k", M::SCHEMA.hash_key.name))
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        let Self { client, item } = self;
        let request = Self::new(client, item).into_sdk()?;
        let table = request.get_table_name().clone().unwrap_or_default();
        match request.send().await {
            Ok(_) => Ok(()),
            Err(error) => {
                let exists = error
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception());
                if exists {
                    let key = M::key_to_item(&item.key())?;
                    Err(Error::AlreadyExists {
                        model: M::SCHEMA.model,
                        key: describe_key::<M>(&key),
                    })
                } else {
                    Err(Error::service("PutItem", &table, error))
                }
            }
        }
    }
}
into_future!(Create<'a, M> => ());

/// Writes an item, replacing any item with the same key: [`Model::save`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// User::save(db, &User { id: "u1".into() }).await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Save<'a, M: Model> {
    client: &'a Client,
    item: &'a M,
}

impl<'a, M: Model> Save<'a, M> {
    pub(crate) fn new(client: &'a Client, item: &'a M) -> Self {
        Self { client, item }
    }

    /// The SDK request this builder would send.
    pub fn into_sdk(self) -> Result<PutItemFluentBuilder> {
        Ok(put_request::<M>(self.client, item_for_write(self.item)?))
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        let request = self.into_sdk()?;
        let table = request.get_table_name().clone().unwrap_or_default();
        request
            .send()
            .await
            .map_err(|e| Error::service("PutItem", &table, e))?;
        Ok(())
    }
}
into_future!(Save<'a, M> => ());

fn put_request<M: Model>(client: &Client, item: Item) -> PutItemFluentBuilder {
    client
        .sdk()
        .put_item()
        .table_name(client.table_name::<M>())
        .set_item(Some(item))
}

/// Marks a [`Delete`] that returns nothing.
pub struct NoReturn;
/// Marks a [`Delete`] that returns the deleted item.
pub struct ReturnOld;

/// Deletes one item by key: [`Model::delete`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// User::delete(db, "u1").await?;
/// let old: Option<User> = User::delete(db, "u2").return_old().await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Delete<'a, M: Model, R = NoReturn> {
    client: &'a Client,
    key: M::Key,
    returns: PhantomData<R>,
}

impl<'a, M: Model, R> Delete<'a, M, R> {
    /// The SDK request this builder would send.
    pub fn into_sdk(self) -> Result<DeleteItemFluentBuilder> {
        Ok(self
            .client
            .sdk()
            .delete_item()
            .table_name(self.client.table_name::<M>())
            .set_key(Some(M::key_to_item(&self.key)?)))
    }

    async fn send_request(self, returns: ReturnValue) -> Result<Option<Item>> {
        let request = self.into_sdk()?.return_values(returns);
        let table = request.get_table_name().clone().unwrap_or_default();
        let output = request
            .send()
            .await
            .map_err(|e| Error::service("DeleteItem", &table, e))?;
        Ok(output.attributes)
    }
}

impl<'a, M: Model> Delete<'a, M, NoReturn> {
    pub(crate) fn new(client: &'a Client, key: M::Key) -> Self {
        Self {
            client,
            key,
            returns: PhantomData,
        }
    }

    /// Return the deleted item (`None` if there was none).
    pub fn return_old(self) -> Delete<'a, M, ReturnOld> {
        Delete {
            client: self.client,
            key: self.key,
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
