//! CreateTable from a model's schema: key schema, attribute definitions,
//! secondary indexes with their projections and throughput, billing mode.

use crate::models::{Chunk, Event, Session, User};
use crate::{client, staging};
use dynamo_model::aws_sdk_dynamodb::operation::create_table::builders::CreateTableInputBuilder;
use dynamo_model::aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, Projection,
    ProvisionedThroughput,
};
use dynamo_model::Model;
use std::collections::BTreeMap;

/// A key schema as `attribute HASH, attribute RANGE`.
fn keys(schema: &[KeySchemaElement]) -> String {
    let keys: Vec<String> = schema
        .iter()
        .map(|key| format!("{} {}", key.attribute_name(), key.key_type().as_str()))
        .collect();
    keys.join(", ")
}

/// Attribute definitions by name, checking that none is repeated
/// (DynamoDB refuses that).
fn definitions(input: &CreateTableInputBuilder) -> BTreeMap<&str, &str> {
    let definitions: &[AttributeDefinition] = input.get_attribute_definitions().as_deref().unwrap();
    let by_name: BTreeMap<&str, &str> = definitions
        .iter()
        .map(|d| (d.attribute_name(), d.attribute_type().as_str()))
        .collect();
    assert_eq!(by_name.len(), definitions.len(), "{definitions:?}");
    by_name
}

/// An index as `name (keys) PROJECTION [non-key attributes] read/write`.
fn index(
    name: &str,
    schema: &[KeySchemaElement],
    projection: Option<&Projection>,
    throughput: Option<&ProvisionedThroughput>,
) -> String {
    let projection = projection.expect("every index has a projection");
    let kind = projection.projection_type().expect("a projection type");
    let mut out = format!("{name} ({}) {}", keys(schema), kind.as_str());
    let attributes = projection.non_key_attributes();
    if !attributes.is_empty() {
        out.push_str(&format!(" [{}]", attributes.join(", ")));
    }
    if let Some(t) = throughput {
        let (read, write) = (t.read_capacity_units(), t.write_capacity_units());
        out.push_str(&format!(" {read}/{write}"));
    }
    out
}

fn global_indexes(input: &CreateTableInputBuilder) -> Vec<String> {
    let indexes = input.get_global_secondary_indexes().as_deref();
    let indexes = indexes.unwrap_or_default().iter();
    let shape = |i: &GlobalSecondaryIndex| {
        let throughput = i.provisioned_throughput();
        index(i.index_name(), i.key_schema(), i.projection(), throughput)
    };
    indexes.map(shape).collect()
}

fn local_indexes(input: &CreateTableInputBuilder) -> Vec<String> {
    let indexes = input.get_local_secondary_indexes().as_deref();
    let indexes = indexes.unwrap_or_default().iter();
    indexes
        .map(|i| index(i.index_name(), i.key_schema(), i.projection(), None))
        .collect()
}

fn table_keys(input: &CreateTableInputBuilder) -> String {
    keys(input.get_key_schema().as_deref().unwrap())
}

#[test]
fn keys_and_every_index_key_are_defined_once() {
    let request = Event::create_table(client()).into_sdk();
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("events"));
    assert_eq!(table_keys(input), "user HASH, at RANGE");
    let expected = [
        ("at", "S"),
        ("kind", "S"),
        ("score", "N"),
        ("size", "N"),
        ("team", "S"),
        ("user", "S"),
    ];
    assert_eq!(definitions(input), expected.into());
}

#[test]
fn on_demand_tables_create_their_indexes_without_throughput() {
    let request = Event::create_table(client()).into_sdk();
    let input = request.as_input();
    assert_eq!(input.get_billing_mode(), &Some(BillingMode::PayPerRequest));
    assert_eq!(input.get_provisioned_throughput(), &None);
    let global = [
        "by_kind (kind HASH, at RANGE) ALL",
        "by-team (team HASH) INCLUDE [kind]",
    ];
    assert_eq!(global_indexes(input), global);
    // Included attributes by their stored names (`note` is stored as `memo`).
    let local = [
        "by_size (user HASH, size RANGE) KEYS_ONLY",
        "by_score (user HASH, score RANGE) INCLUDE [kind, memo]",
    ];
    assert_eq!(local_indexes(input), local);
}

#[test]
fn provisioned_tables_give_global_indexes_their_declared_or_the_tables_throughput() {
    let request = Event::create_table(client()).provisioned(5, 7).into_sdk();
    let input = request.as_input();
    assert_eq!(input.get_billing_mode(), &Some(BillingMode::Provisioned));
    let table = input.get_provisioned_throughput().as_ref().unwrap();
    assert_eq!(
        (table.read_capacity_units(), table.write_capacity_units()),
        (5, 7)
    );
    let global = [
        "by_kind (kind HASH, at RANGE) ALL 3/4",
        "by-team (team HASH) INCLUDE [kind] 5/7",
    ];
    assert_eq!(global_indexes(input), global);
    assert_eq!(local_indexes(input).len(), 2);
}

#[test]
fn a_table_without_indexes_sends_no_index_lists() {
    let request = User::create_table(client()).into_sdk();
    let input = request.as_input();
    assert_eq!(table_keys(input), "id HASH");
    assert_eq!(definitions(input), [("id", "S")].into());
    // DynamoDB refuses empty index lists.
    assert_eq!(input.get_global_secondary_indexes(), &None);
    assert_eq!(input.get_local_secondary_indexes(), &None);
}

#[test]
fn binary_and_number_keys_under_the_default_table_name() {
    let db = staging();
    let request = Chunk::create_table(&db).into_sdk();
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("staging_Chunk_v2"));
    assert_eq!(table_keys(input), "blob HASH, part RANGE");
    assert_eq!(definitions(input), [("blob", "B"), ("part", "N")].into());
}

#[test]
fn a_ttl_is_not_a_key_definition() {
    let request = Session::create_table(client()).into_sdk();
    let input = request.as_input();
    assert_eq!(definitions(input), [("device", "S"), ("user", "S")].into());
}

/// A model declaring every table setting the struct can carry.
#[derive(Model)]
#[model(
    table = "ledger",
    throughput(read = 2, write = 3),
    stream = "new_and_old_images",
    table_class = "standard_infrequent_access",
    deletion_protection
)]
struct Ledger {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_owner", hash_key))]
    owner: String,
}

#[test]
fn the_struct_declares_billing_stream_class_protection_and_the_builder_adds_tags() {
    use dynamo_model::aws_sdk_dynamodb::types::{StreamViewType, TableClass};
    let request = Ledger::create_table(client())
        .tag("team", "payments")
        .into_sdk();
    let input = request.as_input();
    assert_eq!(input.get_billing_mode(), &Some(BillingMode::Provisioned));
    let table = input.get_provisioned_throughput().as_ref().unwrap();
    assert_eq!(
        (table.read_capacity_units(), table.write_capacity_units()),
        (2, 3)
    );
    assert_eq!(global_indexes(input), ["by_owner (owner HASH) ALL 2/3"]);
    let stream = input.get_stream_specification().as_ref().unwrap();
    assert!(stream.stream_enabled());
    assert_eq!(
        stream.stream_view_type(),
        Some(&StreamViewType::NewAndOldImages)
    );
    assert_eq!(
        input.get_table_class(),
        &Some(TableClass::StandardInfrequentAccess)
    );
    assert_eq!(input.get_deletion_protection_enabled(), &Some(true));
    let tags: Vec<(&str, &str)> = input
        .get_tags()
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(tags, [("team", "payments")]);

    // The builder overrides the declared billing.
    let request = Ledger::create_table(client()).on_demand().into_sdk();
    let input = request.as_input();
    assert_eq!(input.get_billing_mode(), &Some(BillingMode::PayPerRequest));
    assert_eq!(input.get_provisioned_throughput(), &None);
    assert_eq!(global_indexes(input), ["by_owner (owner HASH) ALL"]);
}

#[test]
fn a_model_without_table_settings_sends_none() {
    let request = User::create_table(client()).into_sdk();
    let input = request.as_input();
    assert_eq!(input.get_stream_specification(), &None);
    assert_eq!(input.get_table_class(), &None);
    assert_eq!(input.get_deletion_protection_enabled(), &None);
    assert_eq!(input.get_tags(), &None);
}
