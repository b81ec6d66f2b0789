//! Consumed capacity: what DynamoDB charged for a call, added up across its
//! requests (pages, batch rounds, retries).

use aws_sdk_dynamodb::types::{ConsumedCapacity, ReturnConsumedCapacity};
use std::collections::BTreeMap;

/// How much consumed capacity to ask DynamoDB for
/// ([`Client::with_capacity`](crate::Client::with_capacity)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityMode {
    /// The total per call (`ReturnConsumedCapacity: TOTAL`).
    Total,
    /// The total, and the table's and each index's part (`INDEXES`).
    Indexes,
}

impl CapacityMode {
    pub(crate) fn to_sdk(self) -> ReturnConsumedCapacity {
        match self {
            Self::Total => ReturnConsumedCapacity::Total,
            Self::Indexes => ReturnConsumedCapacity::Indexes,
        }
    }
}

/// Capacity units, as DynamoDB reports them: the total, and read and write
/// where it says which (it does for a table's and an index's part).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Units {
    /// All capacity units.
    pub total: f64,
    /// Read capacity units.
    pub read: f64,
    /// Write capacity units.
    pub write: f64,
}

impl Units {
    fn merge(&mut self, other: &Units) {
        self.total += other.total;
        self.read += other.read;
        self.write += other.write;
    }

    fn add(&mut self, total: Option<f64>, read: Option<f64>, write: Option<f64>) {
        self.total += total.unwrap_or(0.0);
        self.read += read.unwrap_or(0.0);
        self.write += write.unwrap_or(0.0);
    }
}

/// The capacity calls consumed, summed over every request they sent (see
/// [`measure`](super::measure)). DynamoDB reports none with a failed
/// request (a failed condition is still charged), and gives the table's
/// and each index's part as a total only.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Capacity {
    /// Everything the call consumed.
    pub total: Units,
    /// Per table: the table's own part (without its indexes), when asked
    /// with [`CapacityMode::Indexes`].
    pub tables: BTreeMap<String, Units>,
    /// Per secondary index (`table/index`), when asked with
    /// [`CapacityMode::Indexes`].
    pub indexes: BTreeMap<String, Units>,
}

impl Capacity {
    /// Adds the capacity of another call.
    pub(crate) fn merge(&mut self, other: &Capacity) {
        self.total.merge(&other.total);
        for (table, units) in &other.tables {
            self.tables.entry(table.clone()).or_default().merge(units);
        }
        for (index, units) in &other.indexes {
            self.indexes.entry(index.clone()).or_default().merge(units);
        }
    }

    /// Adds one `ConsumedCapacity` of a response.
    pub(crate) fn add(&mut self, consumed: &ConsumedCapacity) {
        self.total.add(
            consumed.capacity_units,
            consumed.read_capacity_units,
            consumed.write_capacity_units,
        );
        let table = consumed.table_name().unwrap_or_default();
        if let Some(part) = consumed.table() {
            self.tables.entry(table.to_owned()).or_default().add(
                part.capacity_units,
                part.read_capacity_units,
                part.write_capacity_units,
            );
        }
        let indexes = consumed
            .global_secondary_indexes
            .iter()
            .chain(&consumed.local_secondary_indexes)
            .flatten();
        for (index, part) in indexes {
            self.indexes
                .entry(format!("{table}/{index}"))
                .or_default()
                .add(
                    part.capacity_units,
                    part.read_capacity_units,
                    part.write_capacity_units,
                );
        }
    }
}
