//! Lifecycle hooks: code of a model's own that runs on every item it writes
//! and reads and every key it sends, whichever operation does it.
//!
//! Implement [`Hooks`] for the model and mark it `#[model(hooks)]`:
//!
//! ```no_run
//! use dynamo_model::hooks::{BeforeWrite, HookResult, Hooks};
//! use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
//! use dynamo_model::Model;
//!
//! #[derive(Model)]
//! #[model(table = "users", hooks)]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     name: String,
//! }
//!
//! impl Hooks for User {
//!     /// Every write records who made it.
//!     fn before_write(write: &mut BeforeWrite<'_>) -> HookResult {
//!         write.item().insert("written_by".into(), AttributeValue::S("importer".into()));
//!         Ok(())
//!     }
//! }
//! ```
//!
//! The hooks see items and keys as stored (attribute names and
//! [`AttributeValue`]s), after the model's own encoding (defaults,
//! transforms, validation) and before its decoding, so what a hook does is
//! exactly what is stored. They are plain functions, synchronous and
//! meant to be cheap: they run once per item, in the caller's task.
//!
//! | hook | runs on | in |
//! |---|---|---|
//! | [`before_write`](Hooks::before_write) | the item a put stores; the top-level values an update sets | create, save, update, batch puts, transaction puts and updates |
//! | [`after_read`](Hooks::after_read) | every item read, before it is decoded | get, query, scan, batch get, transaction get, returned items (`return_old`, `return_new`, [`Error::current_item`](crate::Error::current_item)), stream changes (images and keys) |
//! | [`before_delete`](Hooks::before_delete) | the key of a delete, which it may guard with a condition | delete, batch delete, transaction delete |
//! | [`on_key`](Hooks::on_key) | every key sent to find an item (after the model encoded it) | get, update, delete, batch get and delete, transaction actions, a query's hash value |
//!
//! A hook that fails stops the operation before anything is sent, with
//! [`Error::Hook`](crate::Error::Hook) naming the model and the hook. A
//! condition a hook adds is checked like the caller's (both must hold);
//! its failure is the operation's usual failed-condition error. Batch
//! writes cannot carry conditions, so a `before_write` or `before_delete`
//! condition on one is refused before sending.
//!
//! Maintenance jobs that must see raw items (migrations, repairs) call
//! `.skip_hooks()` on the operation's builder.

use crate::attr::Item;
use crate::expr::Condition;
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::AttributeValue;

/// What a hook answers: `Err` stops the operation (see the
/// [module docs](self)); any error type converts, strings too.
pub type HookResult = std::result::Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// A model's lifecycle hooks; every method defaults to doing nothing.
/// Mark the model `#[model(hooks)]` for its operations to call them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is marked `#[model(hooks)]` but does not implement `Hooks`",
    label = "this asks for the model's hooks",
    note = "add `impl dynamo_model::hooks::Hooks for {Self} {{}}` with the hooks it needs, or remove `hooks`"
)]
pub trait Hooks: Model {
    /// Runs before a write is sent, on the item a put stores or the
    /// top-level values an update sets ([`BeforeWrite::kind`]): may change
    /// or add attributes and add a condition.
    fn before_write(write: &mut BeforeWrite<'_>) -> HookResult {
        let _ = write;
        Ok(())
    }

    /// Runs on every item read, before it is decoded: may change it.
    fn after_read(item: &mut Item) -> HookResult {
        let _ = item;
        Ok(())
    }

    /// Runs before a delete is sent: may refuse it or add a condition.
    fn before_delete(delete: &mut BeforeDelete<'_>) -> HookResult {
        let _ = delete;
        Ok(())
    }

    /// Runs on every key sent to find an item, after the model encoded it
    /// (for a query, the hash key value under the queried index's hash key
    /// attribute): may change it, say to add a tenant prefix that
    /// `before_write` adds to stored items and `after_read` strips.
    fn on_key(key: &mut Item) -> HookResult {
        let _ = key;
        Ok(())
    }
}

/// Which write a [`BeforeWrite`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteKind {
    /// A whole item is stored: create, save, batch and transaction puts.
    Put,
    /// An update: the item holds the values it sets to top-level
    /// attributes; an attribute the hook adds is set too, one it removes
    /// is not set.
    Update,
}

/// A write about to be sent, as a [`Hooks::before_write`] sees it.
pub struct BeforeWrite<'a> {
    item: &'a mut Item,
    kind: WriteKind,
    condition: &'a mut Option<Condition>,
}

impl<'a> BeforeWrite<'a> {
    /// The item stored, or an update's top-level values.
    pub fn item(&mut self) -> &mut Item {
        self.item
    }

    /// Whether this is a put or an update.
    pub fn kind(&self) -> WriteKind {
        self.kind
    }

    /// Adds a condition the stored item must meet, besides the caller's.
    pub fn condition(&mut self, condition: Condition) {
        *self.condition = crate::ops::and(self.condition.take(), Some(condition));
    }
}

/// A delete about to be sent, as a [`Hooks::before_delete`] sees it.
pub struct BeforeDelete<'a> {
    key: &'a Item,
    condition: &'a mut Option<Condition>,
}

impl<'a> BeforeDelete<'a> {
    /// The key deleted, as sent (after [`Hooks::on_key`]).
    pub fn key(&self) -> &Item {
        self.key
    }

    /// The key attribute `name`'s value.
    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.key.get(name)
    }

    /// Adds a condition the stored item must meet, besides the caller's.
    pub fn condition(&mut self, condition: Condition) {
        *self.condition = crate::ops::and(self.condition.take(), Some(condition));
    }
}

/// The hooks of one model as plain functions, which the derive of a
/// `#[model(hooks)]` model hands to the runtime. Not meant to be used
/// directly.
#[doc(hidden)]
pub struct HookSet {
    model: &'static str,
    before_write: fn(&mut BeforeWrite<'_>) -> HookResult,
    after_read: fn(&mut Item) -> HookResult,
    before_delete: fn(&mut BeforeDelete<'_>) -> HookResult,
    on_key: fn(&mut Item) -> HookResult,
}

impl HookSet {
    /// The hooks `M` implements.
    pub const fn of<M: Hooks>() -> Self {
        Self {
            model: M::SCHEMA.model,
            before_write: M::before_write,
            after_read: M::after_read,
            before_delete: M::before_delete,
            on_key: M::on_key,
        }
    }

    fn failed(
        &self,
        hook: &'static str,
    ) -> impl FnOnce(Box<dyn std::error::Error + Send + Sync>) -> Error {
        let model = self.model;
        move |reason| Error::Hook {
            model,
            hook,
            reason: reason.to_string(),
        }
    }
}

/// The hooks an operation runs: its model's, or none when the model has
/// none or the builder was told to `skip_hooks()`. Copied into every
/// builder; without hooks each use is one branch.
#[derive(Clone, Copy)]
pub(crate) struct Hooked(Option<&'static HookSet>);

impl Hooked {
    /// The hooks of `M`.
    pub const fn of<M: Model>() -> Self {
        Self(M::__HOOKS)
    }

    /// No hooks (`skip_hooks()`).
    pub const fn none() -> Self {
        Self(None)
    }

    /// Whether there are hooks to run.
    pub fn is_set(self) -> bool {
        self.0.is_some()
    }

    /// Runs `before_write` on a write of `item` under `condition`.
    pub fn write(
        self,
        item: &mut Item,
        kind: WriteKind,
        condition: &mut Option<Condition>,
    ) -> Result<()> {
        let Some(hooks) = self.0 else { return Ok(()) };
        let mut write = BeforeWrite {
            item,
            kind,
            condition,
        };
        (hooks.before_write)(&mut write).map_err(hooks.failed("before_write"))
    }

    /// Runs `before_write` on a batch put, which cannot carry a condition.
    pub fn batch_write(self, item: &mut Item) -> Result<()> {
        let mut condition = None;
        self.write(item, WriteKind::Put, &mut condition)?;
        self.refuse_condition("before_write", condition)
    }

    /// Runs `after_read` on `item`.
    pub fn read(self, item: &mut Item) -> Result<()> {
        let Some(hooks) = self.0 else { return Ok(()) };
        (hooks.after_read)(item).map_err(hooks.failed("after_read"))
    }

    /// Runs `after_read` on `item`, then `decode`.
    pub fn decode<T>(self, mut item: Item, decode: impl FnOnce(Item) -> Result<T>) -> Result<T> {
        self.read(&mut item)?;
        decode(item)
    }

    /// Runs `before_delete` on a delete of `key` under `condition`.
    pub fn delete(self, key: &Item, condition: &mut Option<Condition>) -> Result<()> {
        let Some(hooks) = self.0 else { return Ok(()) };
        let mut delete = BeforeDelete { key, condition };
        (hooks.before_delete)(&mut delete).map_err(hooks.failed("before_delete"))
    }

    /// Runs `before_delete` on a batch delete, which cannot carry a
    /// condition.
    pub fn batch_delete(self, key: &Item) -> Result<()> {
        let mut condition = None;
        self.delete(key, &mut condition)?;
        self.refuse_condition("before_delete", condition)
    }

    /// Runs `on_key` on `key`.
    pub fn key(self, mut key: Item) -> Result<Item> {
        let Some(hooks) = self.0 else { return Ok(key) };
        (hooks.on_key)(&mut key).map_err(hooks.failed("on_key"))?;
        Ok(key)
    }

    /// One key attribute's value as sent (a query's hash key): `on_key` on
    /// a key holding only it.
    pub fn key_value(self, name: &str, value: AttributeValue) -> Result<AttributeValue> {
        let Some(hooks) = self.0 else {
            return Ok(value);
        };
        let mut key = self.key(Item::from([(name.to_owned(), value)]))?;
        key.remove(name).ok_or_else(|| {
            hooks.failed("on_key")(format!("it removed the key attribute `{name}`").into())
        })
    }

    /// The key of `M` as sent: encoded by the model, then `on_key`.
    pub fn key_of<M: Model>(self, key: &M::Key) -> Result<Item> {
        self.key(M::key_to_item(key)?)
    }

    fn refuse_condition(self, hook: &'static str, condition: Option<Condition>) -> Result<()> {
        match (self.0, condition) {
            (Some(hooks), Some(_)) => Err(hooks.failed(hook)(
                "it added a condition, which a batch write cannot carry; write the item \
                 with `save`/`delete` or in a transaction, or `skip_hooks()` on the batch"
                    .into(),
            )),
            _ => Ok(()),
        }
    }
}

/// Defines a builder's `skip_hooks` over its `hooks` field (or the field
/// path given).
macro_rules! skip_hooks {
    () => {
        $crate::hooks::skip_hooks!(hooks);
    };
    ($($field:ident).+) => {
        /// Runs without the model's [hooks](crate::hooks): reads and writes
        /// items as stored, for maintenance jobs.
        pub fn skip_hooks(mut self) -> Self {
            self.$($field).+ = $crate::hooks::Hooked::none();
            self
        }
    };
}
pub(crate) use skip_hooks;
