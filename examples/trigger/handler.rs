//! The trigger's logic: what happens when an order changes. Shared by the
//! Lambda (`main.rs`) and its test on DynamoDB Local's real stream
//! (`tests/integration/trigger.rs`), so the test runs exactly this code.

use dynamo_model::stream::{Change, ChangeRecord};
use dynamo_model::{Client, Model};

/// An order; its table's stream has both images, for `Modify`.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "orders", stream = "new_and_old_images")]
pub struct Order {
    #[model(hash_key)]
    pub id: String,
    pub status: String,
    pub total_cents: u64,
}

/// What the trigger writes: one line of an order's history per change
/// that matters, keyed by the stream record's sequence number, so a
/// record delivered twice writes the same line twice.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "order_history")]
pub struct OrderHistory {
    #[model(hash_key)]
    pub order: String,
    #[model(range_key)]
    pub sequence: String,
    pub what: String,
}

/// Handles one change of an order.
pub async fn on_change(db: &Client, record: ChangeRecord<Order>) -> dynamo_model::Result<()> {
    let order = record.key.clone();
    let sequence = record.meta.sequence_number.clone();
    let what = match record.into_change()? {
        Change::Insert { new } => format!("placed for {} cents", new.total_cents),
        Change::Modify { old, new } if old.status != new.status => {
            format!("{} -> {}", old.status, new.status)
        }
        Change::Modify { .. } => return Ok(()),
        Change::Remove { old, expired: true } => format!("expired while {}", old.status),
        Change::Remove { old, .. } => format!("deleted while {}", old.status),
    };
    let line = OrderHistory {
        order,
        sequence,
        what,
    };
    OrderHistory::save(db, &line).await
}
