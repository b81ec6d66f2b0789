//! Table management from the model's schema: create (and wait until
//! ACTIVE), delete (and wait until gone), and keep an existing table in line
//! with its model as the model changes.
//!
//! [`Model::plan`] reads the table (DescribeTable, DescribeTimeToLive, tags)
//! and returns a [`TablePlan`]: global indexes to add, indexes whose keys or
//! projection differ (replaced: delete, then add), billing and capacity of
//! the table and each global index, the stream, TTL, table class, deletion
//! protection and tags. A missing table plans its creation. `Display`
//! prints it as a diff, and `plan.is_empty()` is the drift check for CI.
//! [`TablePlan::apply`] makes the changes one at a time as DynamoDB needs,
//! waiting for the table and its indexes to be ACTIVE between them; it is
//! resumable (see [`ApplyPlan`]). [`Model::sync_table`] is the one-liner for
//! an app's start: create, or make the non-destructive changes.
//!
//! What the model does not know is kept: a global index the table has and
//! the model lacks is reported, never deleted, unless
//! [`PlanTable::drop_unknown_indexes`] asks. Changes that lose something
//! (replacing or dropping an index, turning a stream off or to another
//! view, turning TTL off or to another attribute) are destructive and need
//! [`ApplyPlan::allow_destructive`]. Local indexes and the table's key are
//! made with the table only: a difference there is a conflict no apply
//! makes. When the struct does not declare a table class or deletion
//! protection the plan leaves them as they are; tags given with `.tag(..)`
//! must be there, other tags stay.
//!
//! DynamoDB Local has no tagging and ignores table classes: on it the plan
//! lists those as [`unverified`](TablePlan::unverified) instead of
//! comparing them.
//!
//! ```no_run
//! # use dynamo_model::{Client, Model};
//! #[derive(Model)]
//! #[model(table = "users", stream = "new_and_old_images")]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     #[model(global_index(name = "by_email", hash_key))]
//!     email: String,
//! }
//!
//! # async fn demo(db: &Client) -> dynamo_model::Result<()> {
//! let plan = User::plan(db).await?;
//! print!("{plan}");
//! // table `users` (model User):
//! //   + add global index `by_email`
//! //   ~ stream: off -> NEW_AND_OLD_IMAGES
//! plan.apply(db).await?;
//! assert!(User::plan(db).await?.is_empty());
//! # Ok(()) }
//! ```

mod apply;
mod plan;
mod spec;
mod state;

pub use apply::{Applied, ApplyPlan, SyncTable};
pub use plan::{PlanTable, TableChange, TablePlan};
pub use spec::Billing;
#[cfg(feature = "streams")]
pub(crate) use state::describe;

use super::builder::into_future;
use crate::client::Client;
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::create_table::builders::CreateTableFluentBuilder;
use aws_sdk_dynamodb::types::{TableStatus, TimeToLiveSpecification};
use spec::{spec_options, TableSpec};
use std::marker::PhantomData;
use std::time::{Duration, Instant};

/// How long `create_table` and `delete_table` wait by default.
const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// Creates the model's table from its schema: [`Model::create_table`].
///
/// Billed as the model declares (`#[model(throughput(..))]`, else on
/// demand) unless [`provisioned`](Self::provisioned) or
/// [`on_demand`](Self::on_demand) says otherwise; on a provisioned table
/// every global index gets the throughput its `throughput(...)` option
/// declares, or the table's. (DynamoDB bills a table and its indexes the
/// same way, so declared index throughput is unused on an on-demand table.)
/// Every key attribute of the table and its indexes is defined once, the
/// secondary indexes are created with the table, and so are the stream,
/// table class and deletion protection the model declares and the tags
/// given with [`tag`](Self::tag).
/// Waits (polling with backoff) until the table is ACTIVE, then turns on
/// the TTL.
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// User::create_table(db).await?;
/// User::create_table(db).provisioned(5, 5).if_not_exists().await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct CreateTable<'a, M: Model> {
    client: &'a Client,
    spec: TableSpec,
    if_not_exists: bool,
    timeout: Duration,
    model: PhantomData<M>,
}

impl<'a, M: Model> CreateTable<'a, M> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            spec: TableSpec::new(M::SCHEMA),
            if_not_exists: false,
            timeout: DEFAULT_WAIT,
            model: PhantomData,
        }
    }

    /// Succeed (and wait for ACTIVE) when the table already exists.
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }

    /// How long to wait for ACTIVE before failing with [`Error::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The SDK request this builder would send.
    pub fn into_sdk(&self) -> CreateTableFluentBuilder {
        self.spec
            .create_request(self.client, &self.client.table_name::<M>())
    }

    /// Sends the request and waits until the table is ACTIVE.
    pub async fn send(self) -> Result<()> {
        let table = self.client.table_name::<M>();
        if let Err(error) = self.into_sdk().send().await {
            let exists = error
                .as_service_error()
                .is_some_and(|e| e.is_resource_in_use_exception());
            if !(exists && self.if_not_exists) {
                return Err(Error::service("CreateTable", &table, error));
            }
        }
        wait_for(self.client, &table, "ACTIVE", self.timeout, |status| {
            status == Some(&TableStatus::Active)
        })
        .await?;
        match M::SCHEMA.ttl {
            Some(ttl) => enable_ttl(self.client, &table, ttl).await,
            None => Ok(()),
        }
    }
}
into_future!(CreateTable<'a, M> => ());
spec_options!(CreateTable);

/// Turns on DynamoDB's TTL on attribute `ttl`, unless it is already on (as
/// after `if_not_exists`), which DynamoDB would reject.
async fn enable_ttl(client: &Client, table: &str, ttl: &str) -> Result<()> {
    let (on, _) = state::ttl(client, table).await?;
    if on.as_deref() == Some(ttl) {
        return Ok(());
    }
    update_ttl(client, table, ttl, true).await
}

/// Turns TTL on `attribute` on or off.
async fn update_ttl(client: &Client, table: &str, attribute: &str, enabled: bool) -> Result<()> {
    let specification = TimeToLiveSpecification::builder()
        .enabled(enabled)
        .attribute_name(attribute)
        .build()
        .map_err(|e| Error::Config(format!("building the TTL specification: {e}")))?;
    client
        .sdk()
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(specification)
        .send()
        .await
        .map_err(|e| Error::service("UpdateTimeToLive", table, e))?;
    Ok(())
}

/// Deletes the model's table and waits until it is gone: [`Model::delete_table`].
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// User::delete_table(db).await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct DeleteTable<'a, M: Model> {
    client: &'a Client,
    timeout: Duration,
    model: PhantomData<M>,
}

impl<'a, M: Model> DeleteTable<'a, M> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            timeout: DEFAULT_WAIT,
            model: PhantomData,
        }
    }

    /// How long to wait for the table to disappear.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends the request and waits until the table is gone.
    pub async fn send(self) -> Result<()> {
        let table = self.client.table_name::<M>();
        self.client
            .sdk()
            .delete_table()
            .table_name(&table)
            .send()
            .await
            .map_err(|e| Error::service("DeleteTable", &table, e))?;
        wait_for(self.client, &table, "deleted", self.timeout, |status| {
            status.is_none()
        })
        .await
    }
}
into_future!(DeleteTable<'a, M> => ());

/// Polls DescribeTable with exponential backoff (50 ms doubling to 2 s) until
/// `done` holds for the table's status (`None`: the table does not exist).
async fn wait_for(
    client: &Client,
    table: &str,
    state: &'static str,
    timeout: Duration,
    done: impl Fn(Option<&TableStatus>) -> bool,
) -> Result<()> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(50);
    loop {
        let status = state::describe(client, table)
            .await?
            .and_then(|t| t.table_status);
        if done(status.as_ref()) {
            return Ok(());
        }
        if start.elapsed() >= timeout {
            return Err(Error::Timeout {
                table: table.to_owned(),
                state,
                waited: start.elapsed(),
            });
        }
        tokio::time::sleep(delay.min(timeout.saturating_sub(start.elapsed()))).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}
