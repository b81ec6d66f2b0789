//! Projections: reading only some attributes.
//!
//! `get`, `query` and `scan` can read into a partial type instead of the
//! whole model: any `#[derive(Model)]` or `#[derive(Document)]` struct
//! implements [`Projection`], listing the attributes it reads, so the
//! request asks for exactly those and the result always decodes — no
//! silent failure from a projection that misses a required field.

use super::path::AttributePath;
use super::render::Placeholders;
use crate::attr::Item;
use crate::Result;

/// A type read from a subset of an item's attributes.
///
/// ```no_run
/// use dynamo_model::{Client, Document, Model};
///
/// #[derive(Model)]
/// #[model(table = "users")]
/// struct User { #[model(hash_key)] id: String, name: String, bio: String }
///
/// /// Just what a listing needs.
/// #[derive(Document, Debug)]
/// struct UserName { id: String, name: String }
///
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let name: Option<UserName> = User::get(db, "u1").project::<UserName>().await?;
/// # Ok(()) }
/// ```
pub trait Projection: Sized + 'static {
    /// The stored names of the attributes it reads.
    const ATTRIBUTES: &'static [&'static str];

    /// Reads the projected item.
    fn from_projected(item: Item) -> Result<Self>;
}

/// Renders the projection expression of `attributes`.
pub(crate) fn render(attributes: &[&'static str], p: &mut Placeholders) -> String {
    let mut out = String::new();
    for (i, name) in attributes.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        p.path(&AttributePath::root(*name), &mut out);
    }
    out
}
