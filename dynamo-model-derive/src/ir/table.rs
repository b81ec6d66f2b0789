//! The table settings on a model's struct: `throughput(...)`,
//! `stream = "..."`, `table_class = "..."` and `deletion_protection`.
//! `create_table` and the table plan build the table from them.

use super::once;
use crate::errors::Errors;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{LitInt, LitStr};

#[derive(Default)]
pub struct TableOptions {
    /// Provisioned read and write capacity; `None` bills on demand.
    pub throughput: Option<(LitInt, LitInt)>,
    pub stream: Option<StreamView>,
    pub table_class: Option<TableClass>,
    pub deletion_protection: Option<Span>,
}

#[derive(Clone, Copy)]
pub enum StreamView {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

#[derive(Clone, Copy)]
pub enum TableClass {
    Standard,
    StandardInfrequentAccess,
}

pub const STREAM_VIEWS: &[(&str, StreamView)] = &[
    ("new_and_old_images", StreamView::NewAndOldImages),
    ("new_image", StreamView::NewImage),
    ("old_image", StreamView::OldImage),
    ("keys_only", StreamView::KeysOnly),
];

pub const TABLE_CLASSES: &[(&str, TableClass)] = &[
    ("standard", TableClass::Standard),
    (
        "standard_infrequent_access",
        TableClass::StandardInfrequentAccess,
    ),
];

/// `= "name"` naming one of `choices`, into `slot`; another name is
/// recorded as an error listing the choices.
pub fn choice<T: Copy>(
    meta: &ParseNestedMeta,
    errors: &mut Errors,
    what: &str,
    choices: &[(&str, T)],
    slot: &mut Option<T>,
) -> syn::Result<()> {
    let value: LitStr = meta.value()?.parse()?;
    let found = choices
        .iter()
        .find(|(name, _)| *name == value.value())
        .map(|&(_, choice)| choice);
    if found.is_none() {
        let names: Vec<String> = choices.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        errors.error(
            &value,
            format!(
                "unknown {what} \"{}\"; expected one of {}",
                value.value(),
                names.join(", ")
            ),
        );
    }
    match found {
        Some(choice) => once(errors, meta, slot, choice),
        None => Ok(()),
    }
}
