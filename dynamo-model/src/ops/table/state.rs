//! What a table is now, read from DescribeTable, DescribeTimeToLive and
//! ListTagsOfResource, in the terms the plan compares it to the model in.

use super::spec::Billing;
use crate::client::Client;
use crate::schema::{StreamView, TableClass, Throughput};
use crate::{Error, Result};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, IndexStatus, KeySchemaElement, Projection,
    ProvisionedThroughputDescription, TableDescription, TableStatus, TimeToLiveStatus,
};

/// A table as DynamoDB describes it.
#[derive(Debug, Clone)]
pub(crate) struct TableState {
    pub arn: String,
    pub status: Option<TableStatus>,
    /// `name (S)` for the hash key, then the range key.
    pub keys: Vec<String>,
    /// Attribute name and type (`S`, `N`, `B`) of every key attribute.
    pub definitions: Vec<(String, String)>,
    pub billing: Billing,
    pub global: Vec<IndexState>,
    pub local: Vec<IndexState>,
    pub stream: Option<StreamView>,
    /// The TTL attribute when TTL is on or being turned on.
    pub ttl: Option<String>,
    /// TTL is being turned on or off: DynamoDB refuses another TTL change
    /// until that is done.
    pub ttl_changing: bool,
    pub table_class: TableClass,
    pub deletion_protection: bool,
    /// `None` where tags cannot be read (DynamoDB Local).
    pub tags: Option<Vec<(String, String)>>,
    /// The table is served by DynamoDB Local (its ARN's region is
    /// `ddblocal`), which has no tagging and ignores table classes.
    pub on_local: bool,
}

/// A secondary index as DynamoDB describes it.
#[derive(Debug, Clone)]
pub(crate) struct IndexState {
    pub name: String,
    /// `name (S)` for the hash key, then the range key.
    pub keys: Vec<String>,
    /// `ALL`, `KEYS_ONLY`, or `INCLUDE a, b` (names sorted).
    pub projection: String,
    pub throughput: Option<Throughput>,
    pub status: Option<IndexStatus>,
}

impl TableState {
    /// Reads table `table`; `None` if it does not exist.
    pub async fn read(client: &Client, table: &str) -> Result<Option<Self>> {
        let Some(description) = describe(client, table).await? else {
            return Ok(None);
        };
        let mut state = Self::from_description(description);
        (state.ttl, state.ttl_changing) = ttl(client, table).await?;
        if !state.on_local {
            state.tags = Some(tags(client, table, &state.arn).await?);
        }
        Ok(Some(state))
    }

    /// The table's status and its global indexes' are all ACTIVE, so
    /// DynamoDB takes the next change.
    pub fn settled(&self) -> bool {
        self.status == Some(TableStatus::Active)
            && self
                .global
                .iter()
                .all(|i| i.status == Some(IndexStatus::Active))
    }

    fn from_description(table: TableDescription) -> Self {
        let definitions: Vec<(String, String)> = table
            .attribute_definitions()
            .iter()
            .map(|d: &AttributeDefinition| {
                (
                    d.attribute_name().to_owned(),
                    d.attribute_type().as_str().to_owned(),
                )
            })
            .collect();
        let keys = |schema: &[KeySchemaElement]| -> Vec<String> {
            schema
                .iter()
                .map(|k| {
                    let name = k.attribute_name();
                    let kind = definitions
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or("?", |(_, t)| t.as_str());
                    format!("{name} ({kind})")
                })
                .collect()
        };
        let provisioned = |t: Option<&ProvisionedThroughputDescription>| {
            t.and_then(|t| {
                Some(Throughput {
                    read: t.read_capacity_units()?,
                    write: t.write_capacity_units()?,
                })
            })
        };
        let on_demand = table.billing_mode_summary().and_then(|b| b.billing_mode())
            == Some(&BillingMode::PayPerRequest);
        let billing = match provisioned(table.provisioned_throughput()) {
            Some(throughput) if !on_demand => Billing::Provisioned(throughput),
            _ => Billing::OnDemand,
        };
        let global = table
            .global_secondary_indexes()
            .iter()
            .map(|i| IndexState {
                name: i.index_name().unwrap_or_default().to_owned(),
                keys: keys(i.key_schema()),
                projection: projection(i.projection()),
                throughput: provisioned(i.provisioned_throughput()).filter(|_| !on_demand),
                status: i.index_status().cloned(),
            })
            .collect();
        let local = table
            .local_secondary_indexes()
            .iter()
            .map(|i| IndexState {
                name: i.index_name().unwrap_or_default().to_owned(),
                keys: keys(i.key_schema()),
                projection: projection(i.projection()),
                throughput: None,
                status: Some(IndexStatus::Active),
            })
            .collect();
        let stream = table
            .stream_specification()
            .filter(|s| s.stream_enabled())
            .and_then(|s| s.stream_view_type())
            .and_then(StreamView::from_sdk);
        let arn = table.table_arn().unwrap_or_default().to_owned();
        Self {
            on_local: arn.starts_with("arn:aws:dynamodb:ddblocal:"),
            arn,
            status: table.table_status().cloned(),
            keys: keys(table.key_schema()),
            billing,
            global,
            local,
            stream,
            ttl: None,
            ttl_changing: false,
            table_class: table
                .table_class_summary()
                .and_then(|c| c.table_class())
                .and_then(TableClass::from_sdk)
                .unwrap_or(TableClass::Standard),
            deletion_protection: table.deletion_protection_enabled().unwrap_or(false),
            tags: None,
            definitions,
        }
    }
}

/// The TTL attribute of `table` when TTL is on or being turned on, and
/// whether TTL is being turned on or off.
pub(crate) async fn ttl(client: &Client, table: &str) -> Result<(Option<String>, bool)> {
    let described = client
        .sdk()
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .map_err(|e| Error::service("DescribeTimeToLive", table, e))?;
    let ttl = described.time_to_live_description();
    let status = ttl.and_then(|d| d.time_to_live_status());
    let on = match status {
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling) => {
            ttl.and_then(|d| d.attribute_name()).map(str::to_owned)
        }
        _ => None,
    };
    let changing = matches!(
        status,
        Some(TimeToLiveStatus::Enabling | TimeToLiveStatus::Disabling)
    );
    Ok((on, changing))
}

/// DescribeTable's description of `table`; `None` if there is no table.
pub(crate) async fn describe(client: &Client, table: &str) -> Result<Option<TableDescription>> {
    match client.sdk().describe_table().table_name(table).send().await {
        Ok(output) => Ok(output.table),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(error) => Err(Error::service("DescribeTable", table, error)),
    }
}

/// A projection as the plan compares it: `ALL`, `KEYS_ONLY`, `INCLUDE a, b`.
pub(crate) fn projection_text(kind: &str, mut attributes: Vec<String>) -> String {
    attributes.sort();
    match kind {
        "INCLUDE" => format!("INCLUDE {}", attributes.join(", ")),
        other => other.to_owned(),
    }
}

fn projection(projection: Option<&Projection>) -> String {
    let kind = projection
        .and_then(|p| p.projection_type())
        .map_or("ALL", |t| t.as_str());
    let attributes = projection
        .map(|p| p.non_key_attributes().to_vec())
        .unwrap_or_default();
    projection_text(kind, attributes)
}

/// Every tag of the table with ARN `arn`.
async fn tags(client: &Client, table: &str, arn: &str) -> Result<Vec<(String, String)>> {
    let mut tags = Vec::new();
    let mut next = None;
    loop {
        let page = client
            .sdk()
            .list_tags_of_resource()
            .resource_arn(arn)
            .set_next_token(next)
            .send()
            .await
            .map_err(|e| Error::service("ListTagsOfResource", table, e))?;
        tags.extend(
            page.tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned())),
        );
        next = page.next_token;
        if next.is_none() {
            return Ok(tags);
        }
    }
}
