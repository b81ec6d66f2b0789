//! Table management from the model's schema: create (and wait until ACTIVE),
//! delete (and wait until gone).

use super::builder::into_future;
use crate::client::Client;
use crate::model::Model;
use crate::schema::{IndexKind, IndexProjection, KeySchema, Schema, Throughput};
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::create_table::builders::CreateTableFluentBuilder;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    LocalSecondaryIndex, Projection, ProjectionType, ProvisionedThroughput, TableStatus,
    TimeToLiveSpecification, TimeToLiveStatus,
};
use std::marker::PhantomData;
use std::time::{Duration, Instant};

/// How long `create_table` and `delete_table` wait by default.
const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// Creates the model's table from its schema: [`Model::create_table`].
///
/// On-demand billing unless [`provisioned`](Self::provisioned) is called;
/// then every global index gets the throughput its `throughput(...)` option
/// declares, or the table's. (DynamoDB bills a table and its indexes the
/// same way, so declared index throughput is unused on an on-demand table.)
/// Every key attribute of the table and its indexes is defined once, and the
/// secondary indexes are created with the table.
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
            .table_name(self.client.table_name::<M>())
            .set_key_schema(Some(key_schema(schema.key_attributes())))
            .set_attribute_definitions(Some(attribute_definitions(schema)));
        let throughput = self
            .throughput
            .map(|(read, write)| Throughput { read, write });
        for index in schema.indexes {
            let keys = Some(key_schema(index.key_attributes()));
            let projection = Some(projection(&index.projection));
            request = match index.kind {
                IndexKind::Global => request.global_secondary_indexes(
                    GlobalSecondaryIndex::builder()
                        .index_name(index.name)
                        .set_key_schema(keys)
                        .set_projection(projection)
                        .set_provisioned_throughput(
                            throughput.map(|table| provisioned(index.throughput.unwrap_or(table))),
                        )
                        .build()
                        .expect("name and key schema are set"),
                ),
                IndexKind::Local => request.local_secondary_indexes(
                    LocalSecondaryIndex::builder()
                        .index_name(index.name)
                        .set_key_schema(keys)
                        .set_projection(projection)
                        .build()
                        .expect("name, key schema and projection are set"),
                ),
            };
        }
        match throughput {
            None => request.billing_mode(BillingMode::PayPerRequest),
            Some(throughput) => request
                .billing_mode(BillingMode::Provisioned)
                .provisioned_throughput(provisioned(throughput)),
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
        .await?;
        match M::SCHEMA.ttl {
            Some(ttl) => enable_ttl(self.client, &table, ttl).await,
            None => Ok(()),
        }
    }
}
into_future!(CreateTable<'a, M> => ());

/// Turns on DynamoDB's TTL on attribute `ttl`, unless it is already on (as
/// after `if_not_exists`), which DynamoDB would reject.
async fn enable_ttl(client: &Client, table: &str, ttl: &str) -> Result<()> {
    let described = client
        .sdk()
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .map_err(|e| Error::service("DescribeTimeToLive", table, e))?;
    let current = described.time_to_live_description();
    let enabled = current.is_some_and(|d| {
        d.attribute_name() == Some(ttl)
            && matches!(
                d.time_to_live_status(),
                Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
            )
    });
    if enabled {
        return Ok(());
    }
    let specification = TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name(ttl)
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

/// The key schema of a table or index: hash key, then range key if any.
fn key_schema<'s>(keys: impl Iterator<Item = &'s KeySchema>) -> Vec<KeySchemaElement> {
    keys.zip([KeyType::Hash, KeyType::Range])
        .map(|(key, key_type)| {
            KeySchemaElement::builder()
                .attribute_name(key.name)
                .key_type(key_type)
                .build()
                .expect("name and key type are set")
        })
        .collect()
}

/// One definition per key attribute of the table and its indexes; DynamoDB
/// rejects both duplicates and definitions of non-key attributes.
fn attribute_definitions(schema: &Schema) -> Vec<AttributeDefinition> {
    let keys = schema
        .key_attributes()
        .chain(schema.indexes.iter().flat_map(|i| i.key_attributes()));
    let mut definitions: Vec<AttributeDefinition> = Vec::new();
    for key in keys {
        if definitions.iter().all(|d| d.attribute_name() != key.name) {
            definitions.push(
                AttributeDefinition::builder()
                    .attribute_name(key.name)
                    .attribute_type(key.scalar.to_sdk())
                    .build()
                    .expect("name and type are set"),
            );
        }
    }
    definitions
}

fn projection(projection: &IndexProjection) -> Projection {
    let (kind, attributes) = match projection {
        IndexProjection::All => (ProjectionType::All, None),
        IndexProjection::KeysOnly => (ProjectionType::KeysOnly, None),
        IndexProjection::Include(names) => (
            ProjectionType::Include,
            Some(names.iter().map(|&n| n.to_owned()).collect()),
        ),
    };
    Projection::builder()
        .projection_type(kind)
        .set_non_key_attributes(attributes)
        .build()
}

fn provisioned(throughput: Throughput) -> ProvisionedThroughput {
    ProvisionedThroughput::builder()
        .read_capacity_units(throughput.read)
        .write_capacity_units(throughput.write)
        .build()
        .expect("both capacities are set")
}

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
