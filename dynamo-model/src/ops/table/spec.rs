//! What a model wants its table to be: the schema's keys, indexes, TTL and
//! table settings, with what a builder adds on top (billing, tags). Both
//! `create_table` and the table plan start from it, so a table created by
//! one is what the other expects.

use crate::client::Client;
use crate::schema::{IndexKind, IndexProjection, IndexSchema, KeySchema, Schema, Throughput};
use aws_sdk_dynamodb::operation::create_table::builders::CreateTableFluentBuilder;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    LocalSecondaryIndex, Projection, ProjectionType, ProvisionedThroughput, StreamSpecification,
    Tag,
};
use std::fmt;

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// Pay per request (`PAY_PER_REQUEST`).
    OnDemand,
    /// Provisioned capacity for the table; each global index has its own.
    Provisioned(Throughput),
}

impl fmt::Display for Billing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OnDemand => f.write_str("on demand"),
            Self::Provisioned(t) => write!(f, "provisioned {t}"),
        }
    }
}

impl fmt::Display for Throughput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} read / {} write units", self.read, self.write)
    }
}

/// The table a model wants.
#[derive(Debug, Clone)]
pub(crate) struct TableSpec {
    pub schema: Schema,
    pub billing: Billing,
    /// Tags the table must have (others it has are kept).
    pub tags: Vec<(String, String)>,
}

impl TableSpec {
    /// The table `schema` declares: billed as its `throughput(...)` says,
    /// no tags.
    pub fn new(schema: Schema) -> Self {
        let billing = match schema.table_options.throughput {
            Some(throughput) => Billing::Provisioned(throughput),
            None => Billing::OnDemand,
        };
        Self {
            schema,
            billing,
            tags: Vec::new(),
        }
    }

    /// The global indexes.
    pub fn global_indexes(&self) -> impl Iterator<Item = &IndexSchema> {
        self.schema
            .indexes
            .iter()
            .filter(|i| i.kind == IndexKind::Global)
    }

    /// The capacity of global index `index`: its own `throughput(...)`, else
    /// the table's; `None` on demand.
    pub fn index_throughput(&self, index: &IndexSchema) -> Option<Throughput> {
        match self.billing {
            Billing::OnDemand => None,
            Billing::Provisioned(table) => Some(index.throughput.unwrap_or(table)),
        }
    }

    /// The CreateTable request for table `table`: keys, every index,
    /// billing, stream, table class, deletion protection and tags (TTL has
    /// an API of its own).
    pub fn create_request(&self, client: &Client, table: &str) -> CreateTableFluentBuilder {
        let schema = &self.schema;
        let options = &schema.table_options;
        let mut request = client
            .sdk()
            .create_table()
            .table_name(table)
            .set_key_schema(Some(key_schema(schema.key_attributes())))
            .set_attribute_definitions(Some(attribute_definitions(
                schema
                    .key_attributes()
                    .chain(schema.indexes.iter().flat_map(|i| i.key_attributes())),
            )));
        for index in schema.indexes {
            request = match index.kind {
                IndexKind::Global => request.global_secondary_indexes(self.global_index(index)),
                IndexKind::Local => request.local_secondary_indexes(
                    LocalSecondaryIndex::builder()
                        .index_name(index.name)
                        .set_key_schema(Some(key_schema(index.key_attributes())))
                        .projection(projection(&index.projection))
                        .build()
                        .expect("name, key schema and projection are set"),
                ),
            };
        }
        if let Some(view) = options.stream {
            request = request.stream_specification(stream(Some(view)));
        }
        if let Some(class) = options.table_class {
            request = request.table_class(class.to_sdk());
        }
        if options.deletion_protection {
            request = request.deletion_protection_enabled(true);
        }
        for (key, value) in &self.tags {
            request = request.tags(tag(key, value));
        }
        match self.billing {
            Billing::OnDemand => request.billing_mode(BillingMode::PayPerRequest),
            Billing::Provisioned(throughput) => request
                .billing_mode(BillingMode::Provisioned)
                .provisioned_throughput(provisioned(throughput)),
        }
    }

    /// The definition of global index `index`, as CreateTable and
    /// UpdateTable take it.
    pub fn global_index(&self, index: &IndexSchema) -> GlobalSecondaryIndex {
        GlobalSecondaryIndex::builder()
            .index_name(index.name)
            .set_key_schema(Some(key_schema(index.key_attributes())))
            .projection(projection(&index.projection))
            .set_provisioned_throughput(self.index_throughput(index).map(provisioned))
            .build()
            .expect("name and key schema are set")
    }
}

/// The key schema of a table or index: hash key, then range key if any.
pub fn key_schema<'s>(keys: impl Iterator<Item = &'s KeySchema>) -> Vec<KeySchemaElement> {
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

/// One definition per attribute of `keys`; DynamoDB rejects both
/// duplicates and definitions of non-key attributes.
pub fn attribute_definitions<'s>(
    keys: impl Iterator<Item = &'s KeySchema>,
) -> Vec<AttributeDefinition> {
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

pub fn projection(projection: &IndexProjection) -> Projection {
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

pub fn provisioned(throughput: Throughput) -> ProvisionedThroughput {
    ProvisionedThroughput::builder()
        .read_capacity_units(throughput.read)
        .write_capacity_units(throughput.write)
        .build()
        .expect("both capacities are set")
}

/// A stream turned on with `view`, or off.
pub fn stream(view: Option<crate::schema::StreamView>) -> StreamSpecification {
    StreamSpecification::builder()
        .stream_enabled(view.is_some())
        .set_stream_view_type(view.map(|v| v.to_sdk()))
        .build()
        .expect("enabled is set")
}

pub fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("key and value are set")
}

/// The builder methods every table builder holding a `spec` shares.
macro_rules! spec_options {
    ($builder:ident) => {
        impl<'a, M: $crate::model::Model> $builder<'a, M> {
            /// Provisioned billing with these read and write capacity units,
            /// instead of what the model declares; every global index gets
            /// the throughput its `throughput(...)` option declares, or the
            /// table's.
            pub fn provisioned(mut self, read_units: i64, write_units: i64) -> Self {
                self.spec.billing =
                    $crate::ops::table::Billing::Provisioned($crate::schema::Throughput {
                        read: read_units,
                        write: write_units,
                    });
                self
            }

            /// On-demand billing, whatever the model declares.
            pub fn on_demand(mut self) -> Self {
                self.spec.billing = $crate::ops::table::Billing::OnDemand;
                self
            }

            /// A tag the table must carry (tags it carries besides are
            /// left alone).
            pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
                self.spec.tags.push((key.into(), value.into()));
                self
            }
        }
    };
}
pub(crate) use spec_options;
