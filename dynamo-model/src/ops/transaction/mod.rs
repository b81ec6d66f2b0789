//! Transactions across models: all writes happen or none do
//! ([`Client::transaction`](crate::Client::transaction)), and consistent
//! reads of several items at one point in time
//! ([`Client::transact_get`](crate::Client::transact_get)).
//!
//! A write transaction takes the same builders as single writes — `create`,
//! `save`, `update`, `delete`, each with its conditions and version checks —
//! plus condition checks on other items. Before anything is sent it checks
//! DynamoDB's rules: 1 to 100 actions, no two on the same item. Every
//! transaction carries a client request token, so the SDK's retry of a
//! transaction whose answer was lost is applied once, not twice.
//!
//! ```no_run
//! # use dynamo_model::{Client, Model};
//! # #[derive(Model)] struct Account { #[model(hash_key)] id: String, balance: i64 }
//! # #[derive(Model)] struct Transfer { #[model(hash_key)] id: String, amount: i64 }
//! # async fn demo(db: &Client) -> dynamo_model::Result<()> {
//! let f = Account::fields();
//! db.transaction()
//!     .write(Account::update(db, "alice").decrement(&f.balance, 10).condition(f.balance.ge(10)))
//!     .write(Account::update(db, "bob").increment(&f.balance, 10))
//!     .create(&Transfer { id: "t1".into(), amount: 10 })
//!     .await?;
//! # Ok(()) }
//! ```

mod actions;
mod get;
mod write;

pub use actions::{Action, TransactWrite};
pub use get::{TransactGet, TransactItems};
pub use write::{CancelReason, Transaction};

/// DynamoDB's limit of actions in one transaction.
pub const MAX_ACTIONS: usize = 100;
