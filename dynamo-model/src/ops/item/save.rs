//! Writing a whole item: [`Create`] (the key must be free) and [`Save`]
//! (replacing what is stored).

use crate::attr::Item;
use crate::client::Client;
use crate::expr::update::{render, Action};
use crate::expr::{
    AttributePath, Comparator, Compared, Condition, Placeholders, MAX_EXPRESSION_LENGTH,
};
use crate::hooks::{skip_hooks, Hooked};
use crate::locking::{bump, has_version, ItemRef};
use crate::model::Model;
use crate::ops::builder::send;
use crate::ops::builder::{customize, into_future, into_sdk, Customize};
use crate::ops::write::{condition_failed, send_write, write_failed, ConditionalWrite, Written};
use crate::ops::{and, describe_key, item_for_write, key_of, Rendered};
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;

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
    item: ItemRef<'a, M>,
    condition: Option<Condition>,
    hooks: Hooked,
    customize: Customize<'a, PutItemFluentBuilder>,
}

/// `new`, `condition` and `skip_hooks` of [`Create`] and [`Save`], the
/// condition documented by the attributes given.
macro_rules! whole_item_methods {
    ($(#[$doc:meta])*) => {
        pub(crate) fn new(client: &'a Client, item: ItemRef<'a, M>) -> Self {
            Self {
                client,
                item,
                condition: None,
                hooks: Hooked::of::<M>(),
                customize: Customize::default(),
            }
        }

        skip_hooks!();

        $(#[$doc])*
        pub fn condition(mut self, condition: Condition) -> Self {
            self.condition = and(self.condition, Some(condition));
            self
        }
    };
}

impl<'a, M: Model> Create<'a, M> {
    whole_item_methods! {
        /// A further condition the write needs (on top of "the key is free").
    }

    customize! {
        /// Adjusts the PutItem request before it is sent, for what dynamo-model
        /// does not cover; a taken key is still [`Error::AlreadyExists`], and
        /// any other failure an [`Error`] naming `PutItem`. Given twice, both
        /// changes apply, in order.
        ///
        /// ```no_run
        /// # use dynamo_model::{Client, Model};
        /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
        /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
        /// User::create(db, &User { id: "u1".into() })
        ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        ///     .await?;
        /// # Ok(()) }
        /// ```
        once 'a, PutItemFluentBuilder
    }

    into_sdk!(write PutItemFluentBuilder);

    /// The request, without the builder's customization.
    fn request(mut self) -> Result<PutItemFluentBuilder> {
        self.prepare()?.put::<M>(self.client)
    }

    /// The item encoded, under its conditions.
    fn prepare(&mut self) -> Result<Write> {
        let absent = Condition::absent_at(M::SCHEMA.hash_key.name);
        let condition = and(Some(absent), self.condition.take());
        prepare_write(self.item.get(), self.hooks, condition, StoredVersion::Any)
    }

    crate::ops::builder::send_as_call! {
        /// Sends the request.
        (), crate::observe::CallInfo::of::<M>("create")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(mut self) -> Result<()> {
        let customize = std::mem::take(&mut self.customize);
        let write = self.prepare()?;
        let version = write.version;
        match send_write(customize.apply(write.put::<M>(self.client)?)).await? {
            Written::Done { .. } => self.item.written(version),
            Written::ConditionFailed { stored } => {
                let key = M::key_to_item(&self.item.get().key())?;
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
    item: ItemRef<'a, M>,
    condition: Option<Condition>,
    hooks: Hooked,
    customize: Customize<'a, SaveRequest>,
}

impl<'a, M: Model> Save<'a, M> {
    whole_item_methods! {
        /// Write only if `condition` holds for the stored item; otherwise fail
        /// with [`Error::ConditionalCheckFailed`], carrying the stored item.
    }

    customize! {
        /// Adjusts the request before it is sent, for what dynamo-model does not
        /// cover. A save is a PutItem or, for a model with `created_at`, an
        /// UpdateItem (see [`SaveRequest`]): which one is fixed by the model
        /// (and, with `created_at`, by the item's size), not by the call, so
        /// the change is given the [`SaveRequest`] and handles the variant
        /// the model sends (a change written for one variant only
        /// passes the other through). One closure over the enum — rather than
        /// one per variant, one of which would silently never run — keeps that
        /// choice visible where the change is written. A failed condition is
        /// still [`Error::ConditionalCheckFailed`] or [`Error::VersionConflict`],
        /// any other failure an [`Error`] naming the operation sent. Given twice,
        /// both changes apply, in order.
        ///
        /// ```no_run
        /// # use dynamo_model::{Client, Model};
        /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// use dynamo_model::ops::item::SaveRequest;
        /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
        /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
        /// let total = ReturnConsumedCapacity::Total;
        /// User::save(db, &User { id: "u1".into() })
        ///     .customize(move |req| match req {
        ///         SaveRequest::Put(put) => SaveRequest::Put(put.return_consumed_capacity(total)),
        ///         SaveRequest::Update(update) => {
        ///             SaveRequest::Update(update.return_consumed_capacity(total))
        ///         }
        ///     })
        ///     .await?;
        /// # Ok(()) }
        /// ```
        once 'a, SaveRequest
    }

    into_sdk!(write SaveRequest);

    /// The request, without the builder's customization.
    fn request(mut self) -> Result<SaveRequest> {
        let write = prepare_write(
            self.item.get(),
            self.hooks,
            self.condition.take(),
            StoredVersion::Same,
        )?;
        match write.save::<M>(self.client)? {
            Saving::Request(request) => Ok(request),
            Saving::TooWide(write, created) => Err(Error::InvalidExpression {
                model: M::SCHEMA.model,
                reason: format!(
                    "the item has too many attributes ({}) for one UpdateItem expression, \
                     which keeps `{created}`; `send` saves it with a read and a conditional \
                     PutItem instead, which one request (or a transaction) cannot do",
                    write.item.len(),
                ),
            }),
        }
    }

    crate::ops::builder::send_as_call! {
        /// Sends the request.
        (), crate::observe::CallInfo::of::<M>("save")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(mut self) -> Result<()> {
        let customize = std::mem::take(&mut self.customize);
        let write = prepare_write(
            self.item.get(),
            self.hooks,
            self.condition.take(),
            StoredVersion::Same,
        )?;
        let (expected, version) = (write.expected, write.version);
        let request = match write.save::<M>(self.client)? {
            Saving::Request(request) => request,
            Saving::TooWide(write, created) => {
                SaveRequest::Put(write.replacing::<M>(self.client, created).await?)
            }
        };
        let (operation, written) = match customize.apply(request) {
            SaveRequest::Put(request) => ("PutItem", send_write(request).await?),
            SaveRequest::Update(request) => ("UpdateItem", send_write(request).await?),
        };
        match written {
            Written::Done { .. } => self.item.written(version),
            Written::ConditionFailed { stored } => {
                let key = M::key_to_item(&self.item.get().key())?;
                Err(write_failed::<M>(operation, expected, key, stored))
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
///
/// An item with too many attributes for one update expression (DynamoDB
/// allows 4 KB: about 290 attributes) is saved by reading the stored item
/// (a consistent read) and putting the whole item with its stored
/// `created_at` and the attributes the model does not know, on condition
/// that `created_at` and `updated_at` are still as read. If another writer
/// changed the item in between, the save fails with
/// [`Error::ConditionalCheckFailed`] and writes nothing: save again. Such
/// a save cannot be one request, so [`Save::into_sdk`] and transactions
/// refuse it.
#[derive(Debug)]
pub enum SaveRequest {
    /// A PutItem replacing the whole item.
    Put(PutItemFluentBuilder),
    /// An UpdateItem writing every attribute but a stored `created_at`.
    Update(UpdateItemFluentBuilder),
}

/// A save's request, or for an item too wide for one UpdateItem
/// expression, its write and the `created_at` attribute to keep (sent as
/// [`Write::replacing`] by `send`). Moved once, right away: the size of
/// the SDK builder in it costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum Saving {
    Request(SaveRequest),
    TooWide(Write, &'static str),
}

/// What a whole-item write requires of the stored item's version.
#[derive(Clone, Copy)]
enum StoredVersion {
    /// Nothing (a create requires there be no item at all).
    Any,
    /// The version of the item written, before it is bumped (a save).
    Same,
}

/// A whole-item write, encoded and checked, before it becomes a request.
struct Write {
    item: Item,
    condition: Option<Condition>,
    /// The version the stored item must have.
    expected: Option<u64>,
    /// The version written.
    version: Option<u64>,
}

/// Encodes `item` under `condition`. A versioned model's item gets its
/// version plus one; with [`StoredVersion::Same`], the stored item must have
/// the model's version, which is kept in `expected`.
fn prepare_write<M: Model>(
    item: &M,
    hooks: Hooked,
    condition: Option<Condition>,
    stored: StoredVersion,
) -> Result<Write> {
    let mut condition = condition;
    let mut item = item_for_write(item, hooks, &mut condition)?;
    let (mut expected, mut version) = (None, None);
    if let Some(name) = M::SCHEMA.version {
        let current = bump::<M>(&mut item, name)?;
        version = Some(current + 1);
        if let StoredVersion::Same = stored {
            expected = Some(current);
            condition = and(Some(has_version(name, current)), condition);
        }
    }
    Ok(Write {
        item,
        condition,
        expected,
        version,
    })
}

impl Write {
    /// As a save (see [`SaveRequest`]).
    fn save<M: Model>(self, client: &Client) -> Result<Saving> {
        let Some(created) = M::SCHEMA.created_at else {
            return self
                .put::<M>(client)
                .map(|put| Saving::Request(SaveRequest::Put(put)));
        };
        Ok(match self.update::<M>(client, created.name)? {
            Ok(update) => Saving::Request(SaveRequest::Update(update)),
            Err(write) => Saving::TooWide(write, created.name),
        })
    }

    /// As a PutItem.
    fn put<M: Model>(self, client: &Client) -> Result<PutItemFluentBuilder> {
        let rendered = Rendered::new::<M>(self.condition.as_ref(), Placeholders::new())?;
        Ok(client
            .sdk()
            .put_item()
            .table_name(client.table_name::<M>())
            .set_item(Some(self.item))
            .with_condition(rendered))
    }

    /// As an UpdateItem that leaves a stored `created` attribute alone (see
    /// [`SaveRequest`]); given back when its expression would be too long.
    fn update<M: Model>(
        mut self,
        client: &Client,
        created: &str,
    ) -> Result<std::result::Result<UpdateItemFluentBuilder, Write>> {
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
        if expression.len() > MAX_EXPRESSION_LENGTH {
            // The values are still in the actions: the item again.
            self.item = key;
            for action in actions {
                if let Action::Set(path, Ok(value)) | Action::SetIfNotExists(path, Ok(value)) =
                    action
                {
                    self.item.insert(path.top().to_owned(), value);
                }
            }
            return Ok(Err(self));
        }
        let rendered = Rendered::new::<M>(self.condition.as_ref(), placeholders)?;
        Ok(Ok(client
            .sdk()
            .update_item()
            .table_name(client.table_name::<M>())
            .set_key(Some(key))
            .update_expression(expression)
            .with_condition(rendered)))
    }

    /// As a PutItem keeping what is stored of what the UpdateItem would
    /// keep — `created`, the attributes the model does not know — read
    /// first, on condition the item is still as read (see [`SaveRequest`]).
    async fn replacing<M: Model>(
        mut self,
        client: &Client,
        created: &'static str,
    ) -> Result<PutItemFluentBuilder> {
        let read = client
            .sdk()
            .get_item()
            .table_name(client.table_name::<M>())
            .set_key(Some(key_of::<M>(&self.item)))
            .consistent_read(true);
        let stored = send(read).await?.item.filter(|item| !item.is_empty());
        let guard = match stored {
            None => Condition::absent_at(M::SCHEMA.hash_key.name),
            Some(stored) => {
                let as_read = |name: &'static str| match stored.get(name) {
                    Some(value) => Condition::compare(
                        &AttributePath::root(name),
                        Compared::Value,
                        Comparator::Eq,
                        Ok(value.clone()),
                    ),
                    None => Condition::absent_at(name),
                };
                let mut guard = as_read(created);
                if let Some(updated) = M::SCHEMA.updated_at {
                    guard = guard.and(as_read(updated.name));
                }
                let known = |name: &str| {
                    M::SCHEMA
                        .attributes
                        .iter()
                        .any(|a| a.name == name || a.aliases.contains(&name))
                };
                for (name, value) in stored {
                    if name == created {
                        self.item.insert(name, value);
                    } else if !known(&name) {
                        self.item.entry(name).or_insert(value);
                    }
                }
                guard
            }
        };
        self.condition = and(Some(guard), self.condition);
        self.put::<M>(client)
    }
}
