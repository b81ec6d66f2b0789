//! Single-item operations: [`Get`], [`Create`] and [`Save`], [`Delete`].
//!
//! Each builder can be awaited, turned into the SDK request it would send
//! with `into_sdk()`, or given a `customize(..)` that adjusts that request
//! before it is sent, the result staying typed.

mod delete;
mod get;
mod save;

pub use super::builder::{BoxFuture, NoReturn, ReturnOld};
pub use delete::Delete;
pub use get::Get;
pub use save::{Create, Save, SaveRequest};
