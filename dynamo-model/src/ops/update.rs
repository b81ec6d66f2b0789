//! In-place updates: [`Model::update`].
//!
//! An update changes the named attributes and keeps the rest, so it is the
//! way to change one member of a nested document without replacing the
//! document (`.set(&f.address.city, "Oslo")`).
//!
//! **Missing items.** DynamoDB's UpdateItem creates an item that does not
//! exist, holding only the key and the updated attributes — which the model
//! might then fail to read if it has other required fields. So an update
//! requires the item to exist (failing with [`Error::NotFound`]) unless
//! [`Update::upsert`] asks for DynamoDB's behaviour; an upsert should set
//! every required attribute, typically with `set_if_not_exists`.
//!
//! **Rules.** The model's validation rules check the values `set` and
//! `set_if_not_exists` give top-level attributes, before anything is sent;
//! a field's `set` transform and time `storage` apply to the values given
//! for it. Every update also sets the `force_default` attributes, sets
//! `updated_at` to now and `created_at` to now if it is not stored yet, and
//! increments a versioned model's version.
//!
//! **Refused before sending.** Actions are typed by the attribute: only
//! numbers can be incremented, only numbers and sets added to, only sets
//! deleted from; anything else does not compile. Updating a key, an empty
//! string or binary for an index key, values that alone exceed the 400 KB
//! item limit and actions on overlapping paths are refused with an error
//! naming the attribute. Whether the item as a whole stays within 400 KB
//! depends on what is stored: DynamoDB checks that, and a refused update
//! changes nothing.

use super::builder::{customize, into_future, into_sdk, Customize};
pub use super::builder::{NoReturn, ReturnNew, ReturnOld, ReturnUpdatedNew, ReturnUpdatedOld};
use super::write::{condition_failed, guard_methods, send_write, ConditionalWrite, Guard, Written};
use super::{and, describe_key, Rendered};
use crate::attr::{is_empty_key, item_size, now_millis, value_size, Item, MAX_ITEM_SIZE};
use crate::client::Client;
use crate::expr::update::{overlapping, render, Action};
use crate::expr::{
    Addable, AttributePath, Condition, IntoValue, ListPath, Numeric, Placeholders, SetType,
    TypedPath,
};
use crate::hooks::{skip_hooks, Hooked, WriteKind};
use crate::locking::conflict_or;
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use std::marker::PhantomData;

/// Updates one item in place: [`Model::update`].
///
/// ```no_run
/// # use dynamo_model::{Client, Document, Model};
/// # use std::collections::BTreeSet;
/// # #[derive(Document)] struct Address { city: String }
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String, name: String, logins: u64,
/// #     tags: BTreeSet<String>, history: Vec<u32>, address: Address, nickname: Option<String> }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let f = User::fields();
/// let user: User = User::update(db, "u1")
///     .set(&f.name, "Ann")
///     .set(&f.address.city, "Oslo")          // the rest of `address` is kept
///     .increment(&f.logins, 1)
///     .add(&f.tags, BTreeSet::from(["new".to_owned()]))
///     .append(&f.history, [7, 8])
///     .remove(&f.nickname)
///     .condition(f.logins.lt(100))
///     .return_new()
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Update<'a, M: Model, R = NoReturn> {
    client: &'a Client,
    key: M::Key,
    actions: Vec<Action>,
    guard: Guard,
    upsert: bool,
    hooks: Hooked,
    customize: Customize<'a, UpdateItemFluentBuilder>,
    returns: PhantomData<R>,
}

/// What an update returns, chosen by its marker type.
pub trait Returning<M: Model>: Send + 'static {
    /// The result of the update.
    type Output: Send;
    /// DynamoDB's `ReturnValues` for it.
    fn return_value() -> ReturnValue;
    /// Reads the returned attributes.
    fn output(attributes: Option<Item>) -> Result<Self::Output>;
}

impl<M: Model> Returning<M> for NoReturn {
    type Output = ();
    fn return_value() -> ReturnValue {
        ReturnValue::None
    }
    fn output(_: Option<Item>) -> Result<()> {
        Ok(())
    }
}

impl<M: Model> Returning<M> for ReturnNew {
    type Output = M;
    fn return_value() -> ReturnValue {
        ReturnValue::AllNew
    }
    fn output(attributes: Option<Item>) -> Result<M> {
        M::from_item(attributes.unwrap_or_default())
    }
}

impl<M: Model> Returning<M> for ReturnOld {
    type Output = Option<M>;
    fn return_value() -> ReturnValue {
        ReturnValue::AllOld
    }
    fn output(attributes: Option<Item>) -> Result<Option<M>> {
        attributes
            .filter(|item| !item.is_empty())
            .map(M::from_item)
            .transpose()
    }
}

impl<M: Model> Returning<M> for ReturnUpdatedOld {
    type Output = Item;
    fn return_value() -> ReturnValue {
        ReturnValue::UpdatedOld
    }
    fn output(attributes: Option<Item>) -> Result<Item> {
        Ok(attributes.unwrap_or_default())
    }
}

impl<M: Model> Returning<M> for ReturnUpdatedNew {
    type Output = Item;
    fn return_value() -> ReturnValue {
        ReturnValue::UpdatedNew
    }
    fn output(attributes: Option<Item>) -> Result<Item> {
        Ok(attributes.unwrap_or_default())
    }
}

impl<'a, M: Model> Update<'a, M, NoReturn> {
    pub(crate) fn new(client: &'a Client, key: M::Key) -> Self {
        Self {
            client,
            key,
            actions: Vec::new(),
            guard: Guard::default(),
            upsert: false,
            hooks: Hooked::of::<M>(),
            customize: Customize::default(),
            returns: PhantomData,
        }
    }
}

impl<'a, M: Model, R: Returning<M>> Update<'a, M, R> {
    fn action(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }

    fn returning<S>(self) -> Update<'a, M, S> {
        Update {
            client: self.client,
            key: self.key,
            actions: self.actions,
            guard: self.guard,
            upsert: self.upsert,
            hooks: self.hooks,
            customize: self.customize,
            returns: PhantomData,
        }
    }

    /// Sets the attribute to `value`.
    pub fn set<P: TypedPath>(self, path: P, value: impl IntoValue<P::Value>) -> Self {
        let value = path.store(value.into_value());
        self.action(Action::Set(path.attribute_path().clone(), value))
    }

    /// Sets the attribute to `value` unless it already has a value.
    pub fn set_if_not_exists<P: TypedPath>(self, path: P, value: impl IntoValue<P::Value>) -> Self {
        let value = path.store(value.into_value());
        self.action(Action::SetIfNotExists(path.attribute_path().clone(), value))
    }

    /// Removes the attribute (or list element, or map entry).
    pub fn remove<P: TypedPath>(self, path: P) -> Self {
        self.action(Action::Remove(path.attribute_path().clone()))
    }

    /// Adds `by` to a number (a missing number counts as 0).
    pub fn increment<P>(self, path: P, by: impl IntoValue<P::Value>) -> Self
    where
        P: TypedPath<Value: Numeric>,
    {
        let path = path.attribute_path().clone();
        self.action(Action::Increment(path, by.into_value()))
    }

    /// Subtracts `by` from a number (a missing number counts as 0).
    pub fn decrement<P>(self, path: P, by: impl IntoValue<P::Value>) -> Self
    where
        P: TypedPath<Value: Numeric>,
    {
        let path = path.attribute_path().clone();
        self.action(Action::Decrement(path, by.into_value()))
    }

    /// DynamoDB's `ADD`: adds a number to a number attribute, or the
    /// elements of a set to a set attribute (creating it if missing).
    pub fn add<P>(self, path: P, value: impl IntoValue<P::Value>) -> Self
    where
        P: TypedPath<Value: Addable>,
    {
        let path = path.attribute_path().clone();
        self.action(Action::Add(path, value.into_value()))
    }

    /// DynamoDB's `DELETE`: removes the elements of `elements` from a set.
    pub fn delete<P>(self, path: P, elements: impl IntoValue<P::Value>) -> Self
    where
        P: TypedPath<Value: SetType>,
    {
        let path = path.attribute_path().clone();
        self.action(Action::Delete(path, elements.into_value()))
    }

    /// Appends `values` to a list (a missing list counts as empty).
    pub fn append<T, V>(self, path: &ListPath<T>, values: impl IntoIterator<Item = V>) -> Self
    where
        V: IntoValue<T>,
    {
        let list = list(values);
        self.action(Action::Append(path.attribute_path().clone(), list))
    }

    /// Puts `values` in front of a list (a missing list counts as empty).
    pub fn prepend<T, V>(self, path: &ListPath<T>, values: impl IntoIterator<Item = V>) -> Self
    where
        V: IntoValue<T>,
    {
        let list = list(values);
        self.action(Action::Prepend(path.attribute_path().clone(), list))
    }

    guard_methods! {
        /// Update only if `condition` holds; otherwise fail with
        /// [`Error::ConditionalCheckFailed`], carrying the stored item.
        condition;
        /// Optimistic locking: update only if the stored version is `version`,
        /// else fail with [`Error::VersionConflict`]. (Every update of a
        /// versioned model adds one to its version, asked or not.)
        expect_version
    }

    skip_hooks!();

    /// Create the item if it does not exist (DynamoDB's own behaviour);
    /// see the [module docs](self).
    pub fn upsert(mut self) -> Self {
        self.upsert = true;
        self
    }

    /// Return the whole item as it is after the update, decoded.
    pub fn return_new(self) -> Update<'a, M, ReturnNew> {
        self.returning()
    }

    /// Return the whole item as it was before the update, if there was one.
    pub fn return_old(self) -> Update<'a, M, ReturnOld> {
        self.returning()
    }

    /// Return the updated attributes as they were before.
    pub fn return_updated_old(self) -> Update<'a, M, ReturnUpdatedOld> {
        self.returning()
    }

    /// Return the updated attributes as they are after.
    pub fn return_updated_new(self) -> Update<'a, M, ReturnUpdatedNew> {
        self.returning()
    }

    /// Checks the actions before anything is sent: some, none on a key,
    /// no two on overlapping paths.
    fn check(&self) -> Result<()> {
        let model = M::SCHEMA.model;
        let invalid = |reason: String| Err(Error::InvalidExpression { model, reason });
        if self.actions.is_empty() {
            return invalid("an update needs at least one action (set, remove, add, ...)".into());
        }
        let timestamps = [M::SCHEMA.created_at, M::SCHEMA.updated_at];
        for action in &self.actions {
            let top = action.path().top();
            if timestamps.iter().flatten().any(|t| t.name == top) {
                return invalid(format!(
                    "`{top}` is a timestamp, which every write sets itself"
                ));
            }
            if M::SCHEMA.version == Some(top) {
                return invalid(format!(
                    "`{top}` is the version attribute, which every update increments itself"
                ));
            }
            if M::SCHEMA.key_attributes().any(|key| key.name == top) {
                return invalid(format!(
                    "`{top}` is a key attribute and cannot be updated; \
                     delete the item and create it under the new key"
                ));
            }
        }
        if let Some((a, b)) = overlapping(&self.actions) {
            return invalid(format!(
                "two actions of one update touch `{a}` and `{b}`, which overlap; \
                 DynamoDB rejects that — merge them into one"
            ));
        }
        Ok(())
    }

    /// Adds what the model has every update set — `force_default` values,
    /// timestamps, the version — then checks the model's rules on the
    /// values `set` gives whole attributes.
    fn complete(&mut self, key_size: usize) -> Result<()> {
        let model = M::SCHEMA.model;
        let mut forced = Vec::new();
        M::__forced_defaults(&mut |name, value| forced.push((name, value)));
        for (name, value) in forced {
            let path = AttributePath::root(name);
            if let Some(action) = self.actions.iter().find(|a| a.path().overlaps(&path)) {
                return Err(Error::InvalidExpression {
                    model,
                    reason: format!(
                        "`{}` has `force_default`, so every update sets it; do not update it",
                        action.path()
                    ),
                });
            }
            self.actions.push(Action::Set(path, value));
        }
        let now = now_millis();
        if let Some(updated) = M::SCHEMA.updated_at {
            let value = Ok(updated.storage.from_millis(now));
            self.actions
                .push(Action::Set(AttributePath::root(updated.name), value));
        }
        if let Some(created) = M::SCHEMA.created_at {
            let value = Ok(created.storage.from_millis(now));
            let path = AttributePath::root(created.name);
            self.actions.push(Action::SetIfNotExists(path, value));
        }
        if let Some(name) = M::SCHEMA.version {
            let one = Ok(AttributeValue::N("1".to_owned()));
            let path = AttributePath::root(name);
            self.actions.push(Action::Increment(path, one));
        }
        self.check_values(key_size)?;
        let mut failures = Vec::new();
        for action in &self.actions {
            if let Action::Set(path, Ok(value)) | Action::SetIfNotExists(path, Ok(value)) = action {
                if path.segments().len() == 1 {
                    M::validate_value(path.top(), value, &mut failures);
                }
            }
        }
        crate::rules::finish(model, failures)
    }

    /// Runs the model's `before_write` on the values the update sets to
    /// top-level attributes: a value it changes is set as changed, one it
    /// adds is set too, one it removes is not set.
    fn before_write(&mut self, condition: &mut Option<Condition>) -> Result<()> {
        if !self.hooks.is_set() {
            return Ok(());
        }
        let mut values = Item::new();
        for action in &self.actions {
            if let Action::Set(path, Ok(value)) = action {
                if path.segments().len() == 1 {
                    values.insert(path.top().to_owned(), value.clone());
                }
            }
        }
        self.hooks
            .write(&mut values, WriteKind::Update, condition)?;
        self.actions.retain_mut(|action| match action {
            Action::Set(path, Ok(value)) if path.segments().len() == 1 => {
                match values.remove(path.top()) {
                    Some(changed) => {
                        *value = changed;
                        true
                    }
                    None => false,
                }
            }
            _ => true,
        });
        for (name, value) in values {
            self.actions
                .push(Action::Set(AttributePath::root(name), Ok(value)));
        }
        Ok(())
    }

    /// Refuses values DynamoDB refuses whatever is stored: an empty string
    /// or binary for an index key, and values that alone make the item
    /// larger than 400 KB (the key, the values `set`, the elements
    /// appended). Whether the item as a whole stays within 400 KB depends
    /// on what is stored, so DynamoDB checks that, changing nothing if not.
    fn check_values(&self, key_size: usize) -> Result<()> {
        let model = M::SCHEMA.model;
        let mut least = key_size;
        let mut largest: Option<(&AttributePath, usize)> = None;
        for action in &self.actions {
            let (path, value, stored) = match action {
                Action::Set(path, Ok(value))
                | Action::Append(path, Ok(value))
                | Action::Prepend(path, Ok(value)) => (path, value, true),
                Action::SetIfNotExists(path, Ok(value)) => (path, value, false),
                _ => continue,
            };
            let top = path.top();
            let index = M::SCHEMA
                .indexes
                .iter()
                .find(|index| index.key_attributes().any(|key| key.name == top));
            if let Some(index) = index.filter(|_| is_empty_key(value)) {
                return Err(Error::InvalidValue {
                    model,
                    path: path.to_string(),
                    reason: format!(
                        "a key of the index `{}` cannot be empty; give it a value, or \
                         remove it to leave the item out of the index",
                        index.name
                    ),
                });
            }
            let size = value_size(value) + top.len();
            if stored {
                least += size;
            }
            if largest.is_none_or(|(_, most)| size > most) {
                largest = Some((path, size));
            }
        }
        match largest {
            Some((path, size)) if least > MAX_ITEM_SIZE || size > MAX_ITEM_SIZE => {
                Err(Error::InvalidValue {
                    model,
                    path: path.to_string(),
                    reason: format!(
                        "the update stores at least {least} bytes, {size} of them here, and \
                         an item holds at most {MAX_ITEM_SIZE} bytes; store large values \
                         elsewhere (S3) and keep a reference"
                    ),
                })
            }
            _ => Ok(()),
        }
    }

    customize! {
        /// Adjusts the UpdateItem request before it is sent, for what
        /// dynamo-model does not cover; the result is still what the return
        /// kind says, a missing item still [`Error::NotFound`] and a failed
        /// condition [`Error::ConditionalCheckFailed`] or a version conflict, any
        /// other failure an [`Error`] naming `UpdateItem`. Given twice, both
        /// changes apply, in order. Available on every return kind, before or
        /// after `return_new()` and the like.
        ///
        /// ```no_run
        /// # use dynamo_model::{Client, Model};
        /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// # #[derive(Model)] struct User { #[model(hash_key)] id: String, logins: u64 }
        /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
        /// let f = User::fields();
        /// let user: User = User::update(db, "u1")
        ///     .increment(&f.logins, 1)
        ///     .return_new()
        ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        ///     .await?;
        /// # Ok(()) }
        /// ```
        once 'a, UpdateItemFluentBuilder
    }

    into_sdk!(write UpdateItemFluentBuilder);

    /// The request, without the builder's customization.
    fn request(mut self) -> Result<UpdateItemFluentBuilder> {
        self.check()?;
        let key = self.hooks.key_of::<M>(&self.key)?;
        self.complete(item_size(&key))?;
        let mut hooked = None;
        self.before_write(&mut hooked)?;
        let model = M::SCHEMA.model;
        let mut placeholders = Placeholders::new();
        let expression =
            render(&self.actions, &mut placeholders).map_err(|bad| bad.into_error(model))?;
        crate::expr::render::check_length(model, "update", &expression)?;
        let exists = (!self.upsert).then(|| Condition::exists_at(M::SCHEMA.hash_key.name));
        let condition = and(self.guard.into_condition::<M>(exists), hooked);
        let rendered = Rendered::new::<M>(condition.as_ref(), placeholders)?;
        Ok(self
            .client
            .sdk()
            .update_item()
            .table_name(self.client.table_name::<M>())
            .set_key(Some(key))
            .update_expression(expression)
            .with_condition(rendered)
            .return_values(R::return_value()))
    }

    crate::ops::builder::send_as_call! {
        /// Sends the request.
        R::Output, crate::observe::CallInfo::of::<M>("update")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(self) -> Result<R::Output> {
        let key = M::key_to_item(&self.key)?;
        let (upsert, expected, hooks) = (self.upsert, self.guard.expected_version(), self.hooks);
        let stored = match send_write(self.into_sdk()?).await? {
            Written::Done { mut attributes } => {
                if let Some(item) = attributes.as_mut().filter(|item| !item.is_empty()) {
                    hooks.read(item)?;
                }
                return R::output(attributes);
            }
            Written::ConditionFailed { stored } => stored,
        };
        let missing = stored.as_ref().is_none_or(|item| item.is_empty());
        match conflict_or::<M>(expected, &key, stored.as_ref()) {
            Some(conflict) => Err(conflict),
            None if missing && !upsert => Err(Error::NotFound {
                model: M::SCHEMA.model,
                key: describe_key::<M>(&key),
            }),
            None => Err(condition_failed::<M>("UpdateItem", key, stored)),
        }
    }
}
into_future!(Update<'a, M, R> => R::Output, where R: Returning<M>);

/// The values as a list operand, or the first that cannot be encoded.
fn list<T, V: IntoValue<T>>(values: impl IntoIterator<Item = V>) -> crate::expr::Operand {
    values
        .into_iter()
        .map(IntoValue::into_value)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map(AttributeValue::L)
}
