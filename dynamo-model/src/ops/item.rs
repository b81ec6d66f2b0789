//! Single-item operations: get, create, save, delete.

use super::{and, condition_failed, describe_key, item_for_write, Rendered};
use crate::attr::Item;
use crate::client::Client;
use crate::expr::{render_projection, Condition, Placeholders, Projection};
use crate::locking::{bump, conflict_or, has_version};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder;
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

/// The boxed future every builder's `IntoFuture` returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// Implements `IntoFuture` for a builder through its `send` method.
macro_rules! into_future {
    ($builder:ty => $output:ty $(, where $($bound:tt)*)?) => {
        impl<'a, M: Model $(, $($bound)*)?> IntoFuture for $builder {
            type Output = Result<$output>;
            type IntoFuture = BoxFuture<'a, $output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future;

/// Reads one item by key: [`Model::get`]. Reads the whole model, or with
/// [`project`](Self::project) only the attributes of a partial type.
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let user: Option<User> = User::get(db, "u1").consistent(true).await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Get<'a, M: Model, P = M> {
    client: &'a Client,
    key: M::Key,
    consistent: bool,
    output: PhantomData<fn() -> P>,
}

impl<'a, M: Model> Get<'a, M> {
    pub(crate) fn new(client: &'a Client, key: M::Key) -> Self {
        Self {
            client,
            key,
            consistent: false,
            output: PhantomData,
        }
    }

    /// Read only the attributes of `P` and decode into it (see
    /// [`Projection`]).
    pub fn project<P: Projection>(self) -> Get<'a, M, P> {
        Get {
            client: self.client,
            key: self.key,
            consistent: self.consistent,
            output: PhantomData,
        }
    }
}

impl<M: Model, P: Projection> Get<'_, M, P> {
    /// Strongly consistent read (twice the read cost; not on global indexes).
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.consistent = consistent;
        self
    }

    /// The SDK request this builder would send.
    pub fn into_sdk(self) -> Result<GetItemFluentBuilder> {
        let request = self
            .client
            .sdk()
            .get_item()
            .table_name(self.client.table_name::<M>())
            .set_key(Some(M::key_to_item(&self.key)?))
            .consistent_read(self.consistent);
        if std::any::TypeId::of::<P>() == std::any::TypeId::of::<M>() {
            return Ok(request); // the whole item
        }
        let mut placeholders = Placeholders::new();
        let projection = render_projection(P::ATTRIBUTES, &mut placeholders);
        let (names, _) = placeholders.into_maps();
        Ok(request
            .projection_expression(projection)
            .set_expression_attribute_names(names))
    }

    /// Sends the request: the item, or `None` if there is none.
    pub async fn send(self) -> Result<Option<P>> {
        let request = self.into_sdk()?;
        let table = request.get_table_name().clone().unwrap_or_default();
        let output = request
            .send()
            .await
            .map_err(|e| Error::service("GetItem", &table, e))?;
        output.item.map(P::from_projected).transpose()
    }
}
into_future!(Get<'a, M, P> => Option<P>, where P: Projection + Send + 'a);

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
    condition: Option<Condition>,
}

impl<'a, M: Model> Create<'a, M> {
    pub(crate) fn new(client: &'a Client, item: &'a M) -> Self {
        Self {
            client,
            item,
            condition: None,
        }
    }

    /// A further condition the write needs (on top of "the key is free").
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = and(self.condition, Some(condition));
        self
    }

    /// The SDK request this builder would send.
    pub fn into_sdk(self) -> Result<PutItemFluentBuilder> {
        let absent = Condition::absent_at(M::SCHEMA.hash_key.name);
        let condition = and(Some(absent), self.condition);
        put_request(self.client, self.item, condition, false).map(|(request, _)| request)
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        let item = self.item;
        let request = self.into_sdk()?;
        match send_put(request).await? {
            None => Ok(()),
            Some(stored) => {
                let key = M::key_to_item(&item.key())?;
                match stored {
                    Some(existing) if !existing.is_empty() => Err(Error::AlreadyExists {
                        model: M::SCHEMA.model,
                        key: describe_key::<M>(&key),
                    }),
                    stored => Err(condition_failed::<M>("PutItem", key, stored)),
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
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String, logins: u64 }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let f = User::fields();
/// User::save(db, &User { id: "u1".into(), logins: 2 }).await?;
/// // Only if nobody raised the count meanwhile:
/// User::save(db, &User { id: "u1".into(), logins: 3 })
///     .condition(f.logins.eq(2))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Save<'a, M: Model> {
    client: &'a Client,
    item: &'a M,
    condition: Option<Condition>,
}

impl<'a, M: Model> Save<'a, M> {
    pub(crate) fn new(client: &'a Client, item: &'a M) -> Self {
        Self {
            client,
            item,
            condition: None,
        }
    }

    /// Write only if `condition` holds for the stored item; otherwise fail
    /// with [`Error::ConditionalCheckFailed`], carrying the stored item.
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = and(self.condition, Some(condition));
        self
    }

    /// The SDK request this builder would send.
    pub fn into_sdk(self) -> Result<PutItemFluentBuilder> {
        self.request().map(|(request, _)| request)
    }

    /// The request, and the version the stored item must have.
    fn request(self) -> Result<(PutItemFluentBuilder, Option<u64>)> {
        put_request(self.client, self.item, self.condition, true)
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        let item = self.item;
        let (request, expected) = self.request()?;
        match send_put(request).await? {
            None => Ok(()),
            Some(stored) => {
                let key = M::key_to_item(&item.key())?;
                Err(conflict_or::<M>(expected, &key, stored.as_ref())
                    .unwrap_or_else(|| condition_failed::<M>("PutItem", key, stored)))
            }
        }
    }
}
into_future!(Save<'a, M> => ());

/// A PutItem of `item` under `condition`. A versioned model's item gets
/// its version plus one; when `check_version`, the stored item must have the
/// model's version, which is returned.
fn put_request<M: Model>(
    client: &Client,
    item: &M,
    condition: Option<Condition>,
    check_version: bool,
) -> Result<(PutItemFluentBuilder, Option<u64>)> {
    let mut item = item_for_write(item)?;
    let mut expected = None;
    let mut condition = condition;
    if let Some(name) = M::SCHEMA.version {
        let current = bump::<M>(&mut item, name)?;
        if check_version {
            expected = Some(current);
            condition = and(Some(has_version(name, current)), condition);
        }
    }
    let rendered = Rendered::new::<M>(condition.as_ref(), Placeholders::new())?;
    let request = client
        .sdk()
        .put_item()
        .table_name(client.table_name::<M>())
        .set_item(Some(item))
        .set_condition_expression(rendered.condition)
        .set_expression_attribute_names(rendered.names)
        .set_expression_attribute_values(rendered.values)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    Ok((request, expected))
}

/// Sends a PutItem: `Some(stored item)` when its condition failed.
async fn send_put(request: PutItemFluentBuilder) -> Result<Option<Option<Item>>> {
    let table = request.get_table_name().clone().unwrap_or_default();
    match request.send().await {
        Ok(_) => Ok(None),
        Err(error) => match error.into_service_error() {
            PutItemError::ConditionalCheckFailedException(failed) => Ok(Some(failed.item)),
            other => Err(Error::service("PutItem", &table, other)),
        },
    }
}

/// Marks a [`Delete`] that returns nothing.
pub struct NoReturn;
/// Marks a [`Delete`] that returns the deleted item.
pub struct ReturnOld;

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
    condition: Option<Condition>,
    expected_version: Option<u64>,
    returns: PhantomData<R>,
}

impl<'a, M: Model, R> Delete<'a, M, R> {
    /// Delete only if `condition` holds for the stored item; otherwise fail
    /// with [`Error::ConditionalCheckFailed`], carrying the stored item.
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = and(self.condition, Some(condition));
        self
    }

    /// Optimistic locking: delete only if the stored version is `version`,
    /// else fail with [`Error::VersionConflict`].
    pub fn expect_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// The SDK request this builder would send.
    pub fn into_sdk(self) -> Result<DeleteItemFluentBuilder> {
        let version = match (M::SCHEMA.version, self.expected_version) {
            (Some(name), Some(expected)) => Some(has_version(name, expected)),
            _ => None,
        };
        let condition = and(version, self.condition);
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
        let expected = self.expected_version;
        let request = self.into_sdk()?.return_values(returns);
        let table = request.get_table_name().clone().unwrap_or_default();
        match request.send().await {
            Ok(output) => Ok(output.attributes),
            Err(error) => match error.into_service_error() {
                DeleteItemError::ConditionalCheckFailedException(failed) => {
                    Err(conflict_or::<M>(expected, &key, failed.item.as_ref())
                        .unwrap_or_else(|| condition_failed::<M>("DeleteItem", key, failed.item)))
                }
                other => Err(Error::service("DeleteItem", &table, other)),
            },
        }
    }
}

impl<'a, M: Model> Delete<'a, M, NoReturn> {
    pub(crate) fn new(client: &'a Client, key: M::Key) -> Self {
        Self {
            client,
            key,
            condition: None,
            expected_version: None,
            returns: PhantomData,
        }
    }

    /// Return the deleted item (`None` if there was none).
    pub fn return_old(self) -> Delete<'a, M, ReturnOld> {
        Delete {
            client: self.client,
            key: self.key,
            condition: self.condition,
            expected_version: self.expected_version,
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
