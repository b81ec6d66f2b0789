//! Typed expressions: paths, conditions, updates and projections.
//!
//! Application code never writes an expression string or an attribute name:
//! `#[derive(Model)]` generates typed paths (`User::fields()`), and every
//! expression is built from them, typed by the attribute's Rust type, and
//! rendered with `#name` / `:value` placeholders.
//!
//! ```no_run
//! use dynamo_model::{Client, Model};
//!
//! #[derive(Model)]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     name: String,
//!     logins: u64,
//! }
//!
//! # async fn demo(db: &Client) -> dynamo_model::Result<()> {
//! let f = User::fields();
//! User::update(db, "u1")
//!     .set(&f.name, "Ann")
//!     .increment(&f.logins, 1)
//!     .condition(f.logins.lt(1_000))
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Comparing an attribute with a value of another type does not compile:
//!
//! ```compile_fail
//! # use dynamo_model::Model;
//! # #[derive(Model)] struct User { #[model(hash_key)] id: String, logins: u64 }
//! let f = User::fields();
//! let wrong = f.logins.eq("ten");
//! ```

mod condition;
mod path;
mod projection;
pub(crate) mod render;
pub(crate) mod update;
mod value;

pub use condition::{AttributeType, Condition, Size, MAX_IN_OPERANDS};
pub(crate) use condition::{Comparator, Compared};
pub use path::{
    AttributePath, FromPath, HasPath, ListPath, MapPath, Path, Segment, SetPath, StoreFn, TypedPath,
};
pub(crate) use projection::render as render_projection;
pub use projection::Projection;
pub use render::{Placeholders, MAX_EXPRESSION_LENGTH};
pub use update::{Addable, Numeric, SetType};
pub(crate) use value::{check_between, Scalar};
pub use value::{IntoValue, Operand};
