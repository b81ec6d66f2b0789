//! Table management from the model's schema: create (and wait until ACTIVE),
//! delete (and wait until gone).

use super::item::{into_future, BoxFuture};
use crate::client::Client;
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::create_table::builders::CreateTableFluentBuilder;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ProvisionedThroughput, TableStatus,
};
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

/// How long `create_table` and `delete_table` wait by default.
const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// Creates the model's table from its schema: [`Model::create_table`].
///
/// On-demand billing unless [`provisioned`](Self::provisioned) is called.
/// Waits (polling with backoff) until the table is ACTIVE.
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
    throughput: Option<(i64, i64)>,
    if_not_exists: bool,
    timeout: Duration,
    model: PhantomData<M>,
}

impl<'a, M: Model> CreateTable<'a, M> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            throughput: None,
            if_not_exists: false,
            timeout: DEFAULT_WAIT,
            model: PhantomData,
        }
    }

    /// Provisioned billing with these read and write capacity units.
    pub fn provisioned(mut self, read_units: i64, write_units: i64) -> Self {
        self.throughput = Some((read_units, write_units));
        self
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
        let schema = &M::SCHEMA;
        let mut request = self
            .client
            .sdk()
            .create_table()
            .table_name(self.client.table_name::<M>());
        for (key, key_type) in schema.key_attributes().zip([KeyType::Hash, KeyType::Range]) {
            request = request
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name(key.name)
                        .attribute_type(key.scalar.to_sdk())
                        .build()
                        .expect("name and type are set"),
                )
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name(key.name)
                        .key_type(key_type)
                        .build()
                        .expect("name and key type are set"),
                );
        }
        match self.throughput {
            None => request.billing_mode(BillingMode::PayPerRequest),
            Some((read, write)) => request
                .billing_mode(BillingMode::Provisioned)
                .provisioned_throughput(
                    ProvisionedThroughput::builder()
                        .read_capacity_units(read)
                        .write_capacity_units(write)
                        .build()
                        .expect("both capacities are set"),
                ),
        }
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
        .await
    }
}
into_future!(CreateTable<'a, M> => ());

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
        let status = match client.sdk().describe_table().table_name(table).send().await {
            Ok(output) => output.table.and_then(|t| t.table_status),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) =>
            {
                None
            }
            Err(error) => return Err(Error::service("DescribeTable", table, error)),
        };
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
