//! Single-item operations: get, create, save, delete.

use super::{and, condition_failed, describe_key, expired, hidden_ttl, item_for_write, Rendered};
use crate::attr::Item;
use crate::client::Client;
use crate::expr::update::{render, Action};
use crate::expr::{render_projection, AttributePath, Condition, Placeholders, Projection};
use crate::locking::{bump, conflict_or, has_version};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder;
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
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
        // The TTL too, when expired items are hidden, to tell them.
        let mut names = P::ATTRIBUTES.to_vec();
        names.extend(hidden_ttl::<M>());
        let projection = render_projection(&names, &mut placeholders);
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
        output
            .item
            .filter(|item| !expired::<M>(item))
            .map(P::from_projected)
            .transpose()
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
        prepare_write(self.item, condition, false)?.put::<M>(self.client)
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
    pub fn into_sdk(self) -> Result<SaveRequest> {
        self.request().map(|(request, _)| request)
    }

    /// The request, and the version the stored item must have.
    fn request(self) -> Result<(SaveRequest, Option<u64>)> {
        let write = prepare_write(self.item, self.condition, true)?;
        let expected = write.expected;
        let request = match M::SCHEMA.created_at {
            None => SaveRequest::Put(write.put::<M>(self.client)?),
            Some(created) => SaveRequest::Update(write.update::<M>(self.client, created.name)?),
        };
        Ok((request, expected))
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        let item = self.item;
        let (request, expected) = self.request()?;
        let (operation, failed) = match request {
            SaveRequest::Put(request) => ("PutItem", send_put(request).await?),
            SaveRequest::Update(request) => ("UpdateItem", send_update(request).await?),
        };
        match failed {
            None => Ok(()),
            Some(stored) => {
                let key = M::key_to_item(&item.key())?;
                Err(conflict_or::<M>(expected, &key, stored.as_ref())
                    .unwrap_or_else(|| condition_failed::<M>(operation, key, stored)))
            }
        }
    }
}
into_future!(Save<'a, M> => ());

/// The request a [`Save`] sends. A model with a `created_at` attribute is
/// saved with an UpdateItem that sets every attribute, removes the model's
/// attributes (and their aliases) the item lacks and sets `created_at` only
/// if it is not stored yet, so saving an existing item keeps its creation time (a
/// PutItem would overwrite it). Attributes the model does not know are
/// kept rather than dropped.
#[derive(Debug)]
pub enum SaveRequest {
    /// A PutItem replacing the whole item.
    Put(PutItemFluentBuilder),
    /// An UpdateItem writing every attribute but a stored `created_at`.
    Update(UpdateItemFluentBuilder),
}

/// A whole-item write, encoded and checked, before it becomes a request.
struct Write {
    item: Item,
    condition: Option<Condition>,
    /// The version the stored item must have.
    expected: Option<u64>,
}

/// Encodes `item` under `condition`. A versioned model's item gets its
/// version plus one; when `check_version`, the stored item must have the
/// model's version, which is kept in `expected`.
fn prepare_write<M: Model>(
    item: &M,
    condition: Option<Condition>,
    check_version: bool,
) -> Result<Write> {
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
    Ok(Write {
        item,
        condition,
        expected,
    })
}

impl Write {
    /// As a PutItem.
    fn put<M: Model>(self, client: &Client) -> Result<PutItemFluentBuilder> {
        let rendered = Rendered::new::<M>(self.condition.as_ref(), Placeholders::new())?;
        Ok(client
            .sdk()
            .put_item()
            .table_name(client.table_name::<M>())
            .set_item(Some(self.item))
            .set_condition_expression(rendered.condition)
            .set_expression_attribute_names(rendered.names)
            .set_expression_attribute_values(rendered.values)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld))
    }

    /// As an UpdateItem that leaves a stored `created` attribute alone (see
    /// [`SaveRequest`]).
    fn update<M: Model>(
        mut self,
        client: &Client,
        created: &str,
    ) -> Result<UpdateItemFluentBuilder> {
        let mut key = Item::with_capacity(2);
        for name in M::SCHEMA.key_attributes().map(|key| key.name) {
            if let Some(value) = self.item.remove(name) {
                key.insert(name.to_owned(), value);
            }
        }
        let removed = M::SCHEMA
            .attributes
            .iter()
            .flat_map(|a| std::iter::once(a.name).chain(a.aliases.iter().copied()))
            .filter(|name| !key.contains_key(*name) && !self.item.contains_key(*name))
            .map(|name| Action::Remove(AttributePath::root(name)));
        let mut actions: Vec<Action> = removed.collect();
        for (name, value) in self.item {
            let path = AttributePath::root(name);
            actions.push(if path.top() == created {
                Action::SetIfNotExists(path, Ok(value))
            } else {
                Action::Set(path, Ok(value))
            });
        }
        let model = M::SCHEMA.model;
        let mut placeholders = Placeholders::new();
        let expression =
            render(&actions, &mut placeholders).map_err(|bad| bad.into_error(model))?;
        crate::expr::render::check_length(model, "update", &expression)?;
        let rendered = Rendered::new::<M>(self.condition.as_ref(), placeholders)?;
        Ok(client
            .sdk()
            .update_item()
            .table_name(client.table_name::<M>())
            .set_key(Some(key))
            .update_expression(expression)
            .set_condition_expression(rendered.condition)
            .set_expression_attribute_names(rendered.names)
            .set_expression_attribute_values(rendered.values)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld))
    }
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

/// Sends a Save's UpdateItem: `Some(stored item)` when its condition failed.
async fn send_update(request: UpdateItemFluentBuilder) -> Result<Option<Option<Item>>> {
    let table = request.get_table_name().clone().unwrap_or_default();
    match request.send().await {
        Ok(_) => Ok(None),
        Err(error) => match error.into_service_error() {
            UpdateItemError::ConditionalCheckFailedException(failed) => Ok(Some(failed.item)),
            other => Err(Error::service("UpdateItem", &table, other)),
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
