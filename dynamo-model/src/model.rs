//! The `Model` trait that `#[derive(Model)]` implements, and the operations
//! every model gets from it.

use crate::attr::Item;
use crate::client::Client;
use crate::expr::Projection;
use crate::index::Index;
use crate::locking::{Unversioned, WriteFrom};
use crate::ops::batch::{BatchGet, BatchWrite};
use crate::ops::item::{Create, Delete, Get, Save};
use crate::ops::query::QueryStart;
use crate::ops::scan::Scan;
use crate::ops::table::{CreateTable, DeleteTable, PlanTable, SyncTable};
use crate::ops::update::Update;
use crate::schema::Schema;
use crate::Result;

/// A Rust type stored as one item in a DynamoDB table.
///
/// Derive it; the generated code converts the struct to and from an item
/// directly (no serde round trip) and describes the table in [`Model::SCHEMA`].
///
/// ```no_run
/// use dynamo_model::{Client, Model};
///
/// #[derive(Model, Debug)]
/// #[model(table = "users")]
/// struct User {
///     #[model(hash_key)]
///     id: String,
///     name: String,
/// }
///
/// # async fn demo(db: Client) -> dynamo_model::Result<()> {
/// User::create_table(&db).await?;
/// User::create(&db, &User { id: "u1".into(), name: "Ann".into() }).await?;
/// let user: Option<User> = User::get(&db, "u1").await?;
/// # Ok(()) }
/// ```
pub trait Model: Projection + Send + Sync {
    /// The primary key: the hash key's type for a hash-only table, else a
    /// generated `{Model}Key` struct (which converts from a pair).
    type Key: Send + Sync + 'static;

    /// The table, keys and attributes of the model.
    const SCHEMA: Schema;

    /// Converts the model into the item a write stores: fills defaults,
    /// applies `set` transforms, checks the validation rules (collecting
    /// every failure into one [`Error::Validation`](crate::Error::Validation))
    /// and every value DynamoDB would reject (empty keys, non-finite
    /// numbers, ...). Timestamps are set by the write itself.
    fn to_item(&self) -> Result<Item>;

    /// Reads an item into the model.
    fn from_item(item: Item) -> Result<Self>;

    /// The model's primary key.
    fn key(&self) -> Self::Key;

    /// The key as the attribute map DynamoDB's key parameters take.
    fn key_to_item(key: &Self::Key) -> Result<Item>;

    /// Reads the primary key out of an item holding the key attributes
    /// under their stored names (a whole item, or the `Keys` of a stream
    /// record), decoding them as a read of the model does (`storage`,
    /// `get`). A missing or mistyped key attribute is an
    /// [`Error::Decode`](crate::Error::Decode) naming the model and the
    /// attribute.
    fn key_from_item(item: &Item) -> Result<Self::Key>;

    /// Checks the model as a write would, without writing: defaults,
    /// transforms and validation rules (see [`rules`](crate::rules)),
    /// collecting every failure.
    fn validate(&self) -> Result<()> {
        self.to_item().map(drop)
    }

    /// The model's [hooks](crate::hooks), for a `#[model(hooks)]` model.
    /// Not meant to be set directly.
    #[doc(hidden)]
    const __HOOKS: Option<&'static crate::hooks::HookSet> = None;

    /// The values of the `force_default` attributes, which every update
    /// sets too. Not meant to be called directly.
    #[doc(hidden)]
    fn __forced_defaults(set: &mut dyn FnMut(&'static str, crate::expr::Operand)) {
        let _ = set;
    }

    /// Sets the version attribute to `version`, the one a write stored;
    /// fails if the field's type cannot hold it. Not meant to be called
    /// directly.
    #[doc(hidden)]
    fn __set_version(&mut self, version: u64) -> Result<()> {
        let _ = version;
        Ok(())
    }

    /// Checks the rules of top-level `attribute` on a `value` an update
    /// sets, adding failures to `failures`.
    fn validate_value(
        attribute: &str,
        value: &aws_sdk_dynamodb::types::AttributeValue,
        failures: &mut Vec<crate::rules::Failure>,
    ) {
        let _ = (attribute, value, failures);
    }

    /// Reads the item with `key`; `None` if there is none.
    fn get(client: &Client, key: impl Into<Self::Key>) -> Get<'_, Self> {
        Get::new(client, key.into())
    }

    /// Writes a new item; fails with [`Error::AlreadyExists`](crate::Error::AlreadyExists)
    /// if an item with the same key exists. Takes `&item`, or `&mut item`
    /// for a versioned model (see [`locking`](crate::locking)).
    fn create<'a>(client: &'a Client, item: impl WriteFrom<'a, Self>) -> Create<'a, Self> {
        Create::new(client, item.item_ref())
    }

    /// Writes the item, replacing any item with the same key. Takes `&item`,
    /// or `&mut item` for a versioned model (see [`locking`](crate::locking)).
    fn save<'a>(client: &'a Client, item: impl WriteFrom<'a, Self>) -> Save<'a, Self> {
        Save::new(client, item.item_ref())
    }

    /// Updates attributes of the item with `key` in place: see [`Update`].
    /// Fails with [`Error::NotFound`](crate::Error::NotFound) if there is no
    /// such item, unless [`Update::upsert`] is asked.
    fn update(client: &Client, key: impl Into<Self::Key>) -> Update<'_, Self> {
        Update::new(client, key.into())
    }

    /// Deletes the item with `key` (nothing happens if there is none).
    fn delete(client: &Client, key: impl Into<Self::Key>) -> Delete<'_, Self> {
        Delete::new(client, key.into())
    }

    /// Starts a query of the table: `.hash(..)` next, then options (see
    /// [`ops::query`](crate::ops::query)). Each secondary index has its own
    /// generated method, `User::by_email(&db)` for index `by_email`.
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct Order { #[model(hash_key)] customer: String, #[model(range_key)] day: String }
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// let may: Vec<Order> = Order::query(db)
    ///     .hash("c1")
    ///     .range(|day| day.begins_with("2024-05"))
    ///     .all()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn query(client: &Client) -> QueryStart<'_, Self>
    where
        Self: Index,
    {
        QueryStart::new(client)
    }

    /// Starts a scan of the table (see [`ops::scan`](crate::ops::scan));
    /// `User::by_email(&db).scan()` scans an index.
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// let everyone: Vec<User> = User::scan(db).parallel(4).all().await?;
    /// # Ok(()) }
    /// ```
    fn scan(client: &Client) -> Scan<'_, Self>
    where
        Self: Index,
    {
        QueryStart::new(client).scan()
    }

    /// Reads many items by key, in chunks of 100, retrying unprocessed keys:
    /// one `Option` per key, in the order given (see [`BatchGet`]).
    fn batch_get<K: Into<Self::Key>>(
        client: &Client,
        keys: impl IntoIterator<Item = K>,
    ) -> BatchGet<'_, Self> {
        BatchGet::new(client, keys.into_iter().map(Into::into).collect())
    }

    /// Writes many items, in chunks of 25, retrying unprocessed ones (see
    /// [`BatchWrite`]).
    fn batch_put<'a>(
        client: &'a Client,
        items: impl IntoIterator<Item = &'a Self>,
    ) -> BatchWrite<'a>
    where
        Self: Unversioned,
    {
        items
            .into_iter()
            .fold(client.batch_write(), BatchWrite::put)
    }

    /// Deletes many items by key, in chunks of 25 (see [`BatchWrite`]).
    fn batch_delete<K: Into<Self::Key>>(
        client: &Client,
        keys: impl IntoIterator<Item = K>,
    ) -> BatchWrite<'_> {
        keys.into_iter()
            .fold(client.batch_write(), |batch, key| batch.delete::<Self>(key))
    }

    /// Creates the model's table and waits until it is ACTIVE.
    fn create_table(client: &Client) -> CreateTable<'_, Self> {
        CreateTable::new(client)
    }

    /// Deletes the model's table and waits until it is gone.
    fn delete_table(client: &Client) -> DeleteTable<'_, Self> {
        DeleteTable::new(client)
    }

    /// Reads the model's table and plans what brings it in line with the
    /// model: indexes to add or replace, billing, stream, TTL, table class,
    /// deletion protection, tags (see [`TablePlan`](crate::ops::table::TablePlan)).
    /// Sends only read requests; `plan.is_empty()` is the drift check, and
    /// `plan.apply(&db)` carries it out.
    fn plan(client: &Client) -> PlanTable<'_, Self> {
        PlanTable::new(client)
    }

    /// Follows the table's stream: its changes decoded into the model, from
    /// the oldest record kept unless told otherwise (see
    /// [`stream::reader`](crate::stream::reader)). Feature `streams`.
    #[cfg(feature = "streams")]
    fn changes(client: &Client) -> crate::stream::Changes<Self>
    where
        Self: Sized + 'static,
    {
        crate::stream::Changes::new(client)
    }

    /// Creates the model's table if it is missing, else makes the
    /// non-destructive changes its plan lists and returns what it did and
    /// what it left (see [`SyncTable`]). The one-liner for an app's start.
    fn sync_table(client: &Client) -> SyncTable<'_, Self> {
        SyncTable::new(client)
    }
}
