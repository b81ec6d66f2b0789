//! A field and its `#[model(...)]` attributes, grouped by what they decide:
//! its keys, how it is stored, how writes transform it, which lifecycle
//! attribute it is, and its validation rules.

use super::index::{self, IndexKind, IndexMembership};
use super::rules::{self, Rule};
use super::{each_attr, flag, name_value, no_value, once, span_flag, Kind};
use crate::attrs::FieldAttr;
use crate::case::Case;
use crate::errors::Errors;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Type};

/// One field of the struct.
pub struct Field {
    pub ident: Ident,
    pub ty: Type,
    /// The attribute name it is stored under.
    pub name: String,
    /// The token that chose the name (for duplicate-name errors).
    pub name_span: Span,
    /// Every attribute given, with its span, for rules such as "`extra`
    /// takes no other attribute".
    pub given: Vec<(FieldAttr, Span)>,
    pub keys: Keys,
    pub store: Store,
    pub transforms: Transforms,
    pub lifecycle: Lifecycle,
    /// Validation rules (`#[model(validate(...))]`).
    pub rules: Vec<Rule>,
}

/// How the field takes part in keys.
#[derive(Default)]
pub struct Keys {
    /// Its role in the table's primary key.
    pub role: Option<KeyRole>,
    /// The secondary indexes it is a key of.
    pub indexes: Vec<IndexMembership>,
}

/// How a field takes part in the primary key or an index's key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    Hash,
    Range,
}

impl KeyRole {
    pub fn word(self) -> &'static str {
        match self {
            Self::Hash => "hash",
            Self::Range => "range",
        }
    }
}

/// How the field is stored and read.
#[derive(Default)]
pub struct Store {
    /// Not stored; filled with `Default::default()` on read.
    pub skip: bool,
    /// Converted through serde_dynamo instead of `Attribute`.
    pub serde: bool,
    /// `None` is stored as NULL instead of leaving the attribute out.
    pub null: bool,
    /// `alias = "old"`: further names the attribute is read from.
    pub aliases: Vec<LitStr>,
    /// `extra`: the map of every attribute the model does not name.
    pub extra: Option<Span>,
    /// `storage = "..."` of a time field.
    pub time: Option<(Storage, Span)>,
}

/// What a write does to the value before storing it, and a read after.
#[derive(Default)]
pub struct Transforms {
    /// The value of a missing attribute, on write and on read.
    pub default: Option<DefaultValue>,
    /// `force_default`: every write stores the default, updates included.
    pub force_default: Option<Span>,
    /// `set = path`: `fn(&T) -> T` applied to values before they are stored.
    pub set: Option<syn::Path>,
    /// `get = path`: `fn(T) -> T` applied to values read.
    pub get: Option<syn::Path>,
}

/// The attributes the writes and reads manage themselves.
#[derive(Default)]
pub struct Lifecycle {
    /// The optimistic-locking version number (`#[model(version)]`).
    pub version: bool,
    /// `created_at` or `updated_at`.
    pub timestamp: Option<(Timestamp, Span)>,
    /// `ttl`: DynamoDB's time to live, in epoch seconds.
    pub ttl: Option<Span>,
}

/// Where a default comes from.
pub enum DefaultValue {
    /// `default`: `Default::default()`.
    Trait(Span),
    /// `default = expr`.
    Expr(syn::Expr),
    /// `default_with = path`: `path()`.
    With(syn::Path),
}

impl DefaultValue {
    pub fn span(&self) -> Span {
        match self {
            Self::Trait(span) => *span,
            Self::Expr(expr) => expr.span(),
            Self::With(path) => path.span(),
        }
    }
}

/// Which timestamp a field is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {
    CreatedAt,
    UpdatedAt,
}

/// How a time field is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    Millis,
    Seconds,
    Iso,
}

impl Storage {
    const NAMES: &'static str = "\"millis\", \"seconds\" or \"iso\"";

    fn parse(text: &str) -> Option<Self> {
        match text {
            "millis" | "milliseconds" => Some(Self::Millis),
            "seconds" => Some(Self::Seconds),
            "iso" => Some(Self::Iso),
            _ => None,
        }
    }
}

impl Field {
    pub fn is_key(&self) -> bool {
        self.keys.role.is_some()
    }

    /// `T` when the field's type is written `Option<T>`: rules, defaults
    /// and transforms then apply to the value inside.
    pub fn option_inner(&self) -> Option<&Type> {
        let Type::Path(path) = &self.ty else {
            return None;
        };
        let last = path.path.segments.last()?;
        if last.ident != "Option" {
            return None;
        }
        match &last.arguments {
            syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
                syn::GenericArgument::Type(inner) => Some(inner),
                _ => None,
            },
            _ => None,
        }
    }

    /// The storage of a time field: `storage`, or seconds for the TTL.
    pub fn time_storage(&self) -> Option<Storage> {
        match (self.store.time, self.lifecycle.ttl) {
            (Some((storage, _)), _) => Some(storage),
            (None, Some(_)) => Some(Storage::Seconds),
            (None, None) => None,
        }
    }

    /// Whether writing the field needs more than its value: a default or
    /// a `set` transform.
    pub fn transforms_writes(&self) -> bool {
        self.transforms.default.is_some() || self.transforms.set.is_some()
    }
}

/// Parses one field of a model, a document or a tagged enum's variant.
pub fn parse(
    field: &syn::Field,
    kind: Kind,
    rename_all: Option<Case>,
    errors: &mut Errors,
) -> Option<Field> {
    let ident = field.ident.clone()?;
    let mut rename: Option<LitStr> = None;
    let mut given = Vec::new();
    let mut keys = Keys::default();
    let mut store = Store::default();
    let mut transforms = Transforms::default();
    let mut lifecycle = Lifecycle::default();
    let mut rules = Vec::new();

    each_attr(&field.attrs, kind, errors, |attr, meta, errors| {
        given.push((attr, meta.path.span()));
        match attr {
            FieldAttr::HashKey => once(errors, meta, &mut keys.role, KeyRole::Hash)?,
            FieldAttr::RangeKey => once(errors, meta, &mut keys.role, KeyRole::Range)?,
            FieldAttr::GlobalIndex | FieldAttr::LocalIndex => {
                let kind = if attr == FieldAttr::GlobalIndex {
                    IndexKind::Global
                } else {
                    IndexKind::Local
                };
                keys.indexes.extend(index::parse(meta, kind, errors)?);
            }
            FieldAttr::Rename => {
                let value = name_value(meta, errors, "an attribute name")?;
                once(errors, meta, &mut rename, value)?;
            }
            FieldAttr::Skip => flag(errors, meta, &mut store.skip)?,
            FieldAttr::Serde => flag(errors, meta, &mut store.serde)?,
            FieldAttr::Null => flag(errors, meta, &mut store.null)?,
            FieldAttr::Version => flag(errors, meta, &mut lifecycle.version)?,
            FieldAttr::Validate => rules::parse(meta, &mut rules, errors)?,
            FieldAttr::Default => {
                let value = if meta.input.peek(syn::Token![=]) {
                    DefaultValue::Expr(meta.value()?.parse()?)
                } else {
                    DefaultValue::Trait(meta.path.span())
                };
                once(errors, meta, &mut transforms.default, value)?;
            }
            FieldAttr::DefaultWith => {
                let path: syn::Path = meta.value()?.parse()?;
                once(
                    errors,
                    meta,
                    &mut transforms.default,
                    DefaultValue::With(path),
                )?;
            }
            FieldAttr::ForceDefault => span_flag(errors, meta, &mut transforms.force_default)?,
            FieldAttr::Set => {
                let path: syn::Path = meta.value()?.parse()?;
                once(errors, meta, &mut transforms.set, path)?;
            }
            FieldAttr::Get => {
                let path: syn::Path = meta.value()?.parse()?;
                once(errors, meta, &mut transforms.get, path)?;
            }
            FieldAttr::Alias => {
                store.aliases.push(name_value(meta, errors, "an alias")?);
            }
            FieldAttr::Extra => span_flag(errors, meta, &mut store.extra)?,
            FieldAttr::CreatedAt | FieldAttr::UpdatedAt => {
                let which = if attr == FieldAttr::CreatedAt {
                    Timestamp::CreatedAt
                } else {
                    Timestamp::UpdatedAt
                };
                if no_value(errors, meta)? {
                    once(
                        errors,
                        meta,
                        &mut lifecycle.timestamp,
                        (which, meta.path.span()),
                    )?;
                }
            }
            FieldAttr::Ttl => span_flag(errors, meta, &mut lifecycle.ttl)?,
            FieldAttr::Storage => {
                let value: LitStr = meta.value()?.parse()?;
                match Storage::parse(&value.value()) {
                    Some(parsed) => once(errors, meta, &mut store.time, (parsed, value.span()))?,
                    None => errors.error(
                        &value,
                        format!(
                            "unknown storage `{}`; expected {}",
                            value.value(),
                            Storage::NAMES
                        ),
                    ),
                }
            }
        }
        Ok(())
    });

    let (name, name_span) = match &rename {
        Some(lit) => (lit.value(), lit.span()),
        None => {
            let raw = ident.to_string();
            let raw = raw.strip_prefix("r#").unwrap_or(&raw).to_owned();
            let name = rename_all.map_or(raw.clone(), |case| case.apply(&raw));
            (name, ident.span())
        }
    };
    Some(Field {
        ident,
        ty: field.ty.clone(),
        name,
        name_span,
        given,
        keys,
        store,
        transforms,
        lifecycle,
        rules,
    })
}
