//! Parses the input and its `#[model(...)]` attributes into a small model
//! of what to generate, one file per concern; `expand/` mirrors it file for
//! file. Every problem is recorded with the span of the offending token and
//! parsing goes on (only a syntax error ends an attribute list early), so
//! one compile shows them all; expansion only starts when there are none.

pub mod enums;
mod field;
mod index;
pub mod rules;
mod schema_rules;
mod table;

pub use field::{DefaultValue, Field, KeyRole, Storage, Timestamp};
pub use index::{Index, IndexKind, Projection};
pub use table::{StreamView, TableClass, TableOptions};

use crate::attrs::{path_name, Attr, StructAttr};
use crate::case::Case;
use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Visibility};

/// Which derive is expanding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Model,
    Document,
}

/// The struct being derived.
pub struct Container {
    pub ident: Ident,
    pub vis: Visibility,
    /// Table name (models only): `table = "..."`, else the struct name.
    pub table: String,
    pub fields: Vec<Field>,
    /// A rule across fields: `#[model(validate = path)]`.
    pub validate: Option<syn::Path>,
    /// Secondary indexes (models only), assembled from the fields.
    pub indexes: Vec<Index>,
    /// Reads leave out items whose TTL has passed: `#[model(hide_expired)]`.
    pub hide_expired: Option<Span>,
    /// Every operation runs the model's `Hooks` impl: `#[model(hooks)]`.
    pub hooks: Option<Span>,
    /// Billing, stream, table class, deletion protection (models only).
    pub table_options: TableOptions,
}

impl Container {
    pub fn extra(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.store.extra.is_some())
    }

    pub fn timestamp(&self, which: Timestamp) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.lifecycle.timestamp.is_some_and(|(t, _)| t == which))
    }

    pub fn ttl(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.lifecycle.ttl.is_some())
    }

    pub fn version(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.lifecycle.version)
    }

    pub fn hash_key(&self) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.keys.role == Some(KeyRole::Hash))
    }

    pub fn range_key(&self) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.keys.role == Some(KeyRole::Range))
    }

    /// The fields stored as one attribute each (not skipped, not `extra`).
    pub fn stored(&self) -> impl Iterator<Item = &Field> {
        self.fields
            .iter()
            .filter(|f| !f.store.skip && f.store.extra.is_none())
    }
}

/// Parses a struct deriving `Model` or `Document`.
pub fn parse(input: &DeriveInput, kind: Kind) -> syn::Result<Container> {
    let mut errors = Errors::default();
    let mut table = None;
    let mut rename_all = None;
    let mut validate = None;
    let mut hide_expired = None;
    let mut hooks = None;
    let mut options = TableOptions::default();

    each_attr(
        &input.attrs,
        kind,
        &mut errors,
        |attr, meta, errors| match attr {
            StructAttr::Table => {
                let value = name_value(meta, errors, "the table name")?;
                once(errors, meta, &mut table, value.value())
            }
            StructAttr::RenameAll => {
                let case = parse_case(meta, errors)?;
                once(errors, meta, &mut rename_all, case)
            }
            StructAttr::Validate => {
                let path: syn::Path = meta.value()?.parse()?;
                once(errors, meta, &mut validate, path)
            }
            StructAttr::HideExpired => span_flag(errors, meta, &mut hide_expired),
            StructAttr::Hooks => span_flag(errors, meta, &mut hooks),
            StructAttr::Throughput => {
                let throughput = index::parse_throughput(meta)?;
                once(errors, meta, &mut options.throughput, throughput)
            }
            StructAttr::Stream => table::choice(
                meta,
                errors,
                "stream view",
                table::STREAM_VIEWS,
                &mut options.stream,
            ),
            StructAttr::TableClass => table::choice(
                meta,
                errors,
                "table class",
                table::TABLE_CLASSES,
                &mut options.table_class,
            ),
            StructAttr::DeletionProtection => {
                span_flag(errors, meta, &mut options.deletion_protection)
            }
        },
    );

    if !input.generics.params.is_empty() {
        errors.error(
            &input.generics,
            "generic types cannot derive this yet; derive it on a concrete struct",
        );
    }

    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
            _ => {
                errors.error(&data.fields, "only structs with named fields can be stored");
                None
            }
        },
        Data::Enum(data) => {
            errors.error(
                data.enum_token,
                "an enum cannot be a model; derive Document on it and store it in a model's field",
            );
            None
        }
        Data::Union(data) => {
            errors.error(data.union_token, "unions cannot be stored");
            None
        }
    };

    let mut fields = Vec::new();
    for field in named.into_iter().flat_map(|n| &n.named) {
        if let Some(field) = field::parse(field, kind, rename_all.flatten(), &mut errors) {
            fields.push(field);
        }
    }

    let indexes = index::assemble(&fields, &mut errors);
    let container = Container {
        ident: input.ident.clone(),
        vis: input.vis.clone(),
        table: table.unwrap_or_else(|| input.ident.to_string()),
        fields,
        validate,
        indexes,
        hide_expired,
        hooks,
        table_options: options,
    };
    check(&container, kind, named.is_some(), &mut errors);
    errors.finish(container)
}

/// Rules across fields: one hash key, at most one range key, keys stored
/// natively, distinct stored names.
fn check(container: &Container, kind: Kind, has_fields: bool, errors: &mut Errors) {
    for role in [KeyRole::Hash, KeyRole::Range] {
        let word = role.word();
        for extra in container
            .fields
            .iter()
            .filter(|f| f.keys.role == Some(role))
            .skip(1)
        {
            errors.error(
                &extra.ident,
                format!(
                    "a model has one {word} key; `{}` is a second one",
                    extra.ident
                ),
            );
        }
    }
    if kind == Kind::Model && has_fields && container.hash_key().is_none() {
        errors.error(
            &container.ident,
            "a model needs a hash key: mark one field with #[model(hash_key)]",
        );
    }
    for field in &container.fields {
        let conflict = |what: &str| format!("a {what} field cannot be a key");
        if field.is_key() && field.store.skip {
            errors.error(&field.ident, conflict("skipped"));
        }
        if field.is_key() && field.store.serde {
            errors.error(&field.ident, conflict("#[model(serde)]"));
        }
        if field.store.skip && (field.store.serde || field.store.null) {
            errors.error(
                &field.ident,
                "a skipped field is not stored, so `serde` and `null` do not apply",
            );
        }
    }
    schema_rules::check(container, errors);
    for extra in container
        .fields
        .iter()
        .filter(|f| f.lifecycle.version)
        .skip(1)
    {
        errors.error(&extra.ident, "a model has one version attribute");
    }
    for field in container.fields.iter().filter(|f| f.lifecycle.version) {
        if field.is_key() || field.store.skip || field.store.serde || field.store.null {
            errors.error(
                &field.ident,
                "the version attribute is a plain stored integer: not a key, skipped, serde or null",
            );
        }
    }
    let stored: Vec<&Field> = container.stored().collect();
    for (i, field) in stored.iter().enumerate() {
        if let Some(first) = stored[..i].iter().find(|f| f.name == field.name) {
            errors.push(syn::Error::new(
                field.name_span,
                format!(
                    "`{}` and `{}` are both stored as attribute `{}`; rename one",
                    first.ident, field.ident, field.name
                ),
            ));
        }
    }
}

/// Calls `each` with every attribute of place `A` in the `#[model(...)]`
/// lists of `attrs`. Unknown names, attributes that do not apply to a
/// document (when `kind` is one) and syntax errors are recorded, and the
/// rest of the list is still read.
pub(crate) fn each_attr<A: Attr>(
    attrs: &[syn::Attribute],
    kind: Kind,
    errors: &mut Errors,
    mut each: impl FnMut(A, &ParseNestedMeta, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| one_attr(&meta, kind, errors, &mut each));
        if let Err(error) = result {
            errors.push(error);
        }
    }
}

/// [`each_attr`] for the list inside an attribute: `global_index(...)`,
/// `validate(...)`.
pub(crate) fn each_nested<A: Attr>(
    meta: &ParseNestedMeta,
    errors: &mut Errors,
    mut each: impl FnMut(A, &ParseNestedMeta, &mut Errors) -> syn::Result<()>,
) -> syn::Result<()> {
    meta.parse_nested_meta(|inner| one_attr(&inner, Kind::Model, errors, &mut each))
}

fn one_attr<A: Attr>(
    meta: &ParseNestedMeta,
    kind: Kind,
    errors: &mut Errors,
    each: &mut impl FnMut(A, &ParseNestedMeta, &mut Errors) -> syn::Result<()>,
) -> syn::Result<()> {
    let attr = match A::of(meta) {
        Ok(attr) => attr,
        Err(error) => {
            errors.push(error);
            return skip_value(meta);
        }
    };
    if let (Kind::Document, Some(why)) = (kind, attr.on_document()) {
        errors.push(meta.error(why));
        return skip_value(meta);
    }
    each(attr, meta, errors)
}

/// `= "name"`, recording an error if the name is empty (`what` says
/// which name it is).
pub(crate) fn name_value(
    meta: &ParseNestedMeta,
    errors: &mut Errors,
    what: &str,
) -> syn::Result<LitStr> {
    let value: LitStr = meta.value()?.parse()?;
    if value.value().is_empty() {
        errors.error(&value, format!("{what} cannot be empty"));
    }
    Ok(value)
}

/// `rename_all = "..."`: the case, or `None` (with the error recorded) for
/// an unknown one.
pub(crate) fn parse_case(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<Option<Case>> {
    let value: LitStr = meta.value()?.parse()?;
    let case = Case::parse(&value.value());
    if case.is_none() {
        errors.error(
            &value,
            format!(
                "unknown case `{}`; expected one of {}",
                value.value(),
                Case::NAMES
            ),
        );
    }
    Ok(case)
}

/// Fills `slot`, or records that the attribute is given twice.
pub(crate) fn once<T>(
    errors: &mut Errors,
    meta: &ParseNestedMeta,
    slot: &mut Option<T>,
    value: T,
) -> syn::Result<()> {
    if slot.is_some() {
        errors.push(meta.error(format!("`{}` is given twice", path_name(meta))));
    } else {
        *slot = Some(value);
    }
    Ok(())
}

/// Sets a flag, recording a second use or a value given to it (then the
/// flag stays unset, so no error follows from a flag never really given).
pub(crate) fn flag(
    errors: &mut Errors,
    meta: &ParseNestedMeta,
    flag: &mut bool,
) -> syn::Result<()> {
    if !no_value(errors, meta)? {
        return Ok(());
    }
    if *flag {
        errors.push(meta.error(format!("`{}` is given twice", path_name(meta))));
    }
    *flag = true;
    Ok(())
}

/// A flag kept with its span, for errors about it.
pub(crate) fn span_flag(
    errors: &mut Errors,
    meta: &ParseNestedMeta,
    slot: &mut Option<Span>,
) -> syn::Result<()> {
    let mut given = slot.is_some();
    flag(errors, meta, &mut given)?;
    if given {
        slot.get_or_insert(meta.path.span());
    }
    Ok(())
}

/// Whether the attribute, which takes no value, has none; else records the
/// error and skips the value so the rest of the list is still read.
pub(crate) fn no_value(errors: &mut Errors, meta: &ParseNestedMeta) -> syn::Result<bool> {
    if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
        return Ok(true);
    }
    errors.push(meta.error(format!("`{}` takes no value", path_name(meta))));
    skip_value(meta)?;
    Ok(false)
}

/// Skips what follows an attribute's name (`= value` or `(...)`), so that
/// after an error the rest of the list is still read.
pub(crate) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}
