//! Parses the input struct and its `#[model(...)]` attributes into a small
//! model of what to generate. Every problem is collected with the span of the
//! offending token; expansion only starts when there are none.

mod index;
mod schema_rules;

pub use index::{Index, IndexKind, IndexMembership, Projection};

use crate::case::Case;
use crate::errors::Errors;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type, Visibility};

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
}

/// How a field takes part in the primary key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    Hash,
    Range,
}

/// One field of the struct.
pub struct Field {
    pub ident: Ident,
    pub ty: Type,
    /// The attribute name it is stored under.
    pub name: String,
    /// The token that chose the name (for duplicate-name errors).
    pub name_span: Span,
    pub key: Option<KeyRole>,
    /// Not stored; filled with `Default::default()` on read.
    pub skip: bool,
    /// Converted through serde_dynamo instead of `Attribute`.
    pub serde: bool,
    /// `None` is stored as NULL instead of leaving the attribute out.
    pub null: bool,
    /// The secondary indexes this field is a key of.
    pub indexes: Vec<IndexMembership>,
    /// The optimistic-locking version number (`#[model(version)]`).
    pub version: bool,
    /// Validation rules (`#[model(validate(...))]`).
    pub rules: Vec<crate::rules::Rule>,
    /// The value of a missing attribute, on write and on read.
    pub default: Option<DefaultValue>,
    /// `force_default`: every write stores the default, updates included.
    pub force_default: Option<Span>,
    /// `set = path`: `fn(&T) -> T` applied to values before they are stored.
    pub set: Option<syn::Path>,
    /// `get = path`: `fn(T) -> T` applied to values read.
    pub get: Option<syn::Path>,
    /// `alias = "old"`: further names the attribute is read from.
    pub aliases: Vec<LitStr>,
    /// `extra`: the map of every attribute the model does not name.
    pub extra: Option<Span>,
    /// `created_at` or `updated_at`.
    pub timestamp: Option<(Timestamp, Span)>,
    /// `ttl`: DynamoDB's time to live, in epoch seconds.
    pub ttl: Option<Span>,
    /// `storage = "..."` of a time field.
    pub storage: Option<(Storage, Span)>,
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
        self.key.is_some()
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
        match (self.storage, self.ttl) {
            (Some((storage, _)), _) => Some(storage),
            (None, Some(_)) => Some(Storage::Seconds),
            (None, None) => None,
        }
    }

    /// Whether writing the field needs more than its value: a default or
    /// a `set` transform.
    pub fn transforms_writes(&self) -> bool {
        self.default.is_some() || self.set.is_some()
    }
}

impl Container {
    pub fn extra(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.extra.is_some())
    }

    pub fn timestamp(&self, which: Timestamp) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.timestamp.is_some_and(|(t, _)| t == which))
    }

    pub fn ttl(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.ttl.is_some())
    }

    pub fn version(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.version)
    }

    pub fn hash_key(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == Some(KeyRole::Hash))
    }

    pub fn range_key(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == Some(KeyRole::Range))
    }

    /// The fields stored as one attribute each (not skipped, not `extra`).
    pub fn stored(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| !f.skip && f.extra.is_none())
    }
}

const CONTAINER_ATTRIBUTES: &str =
    "`table = \"...\"`, `rename_all = \"...\"`, `validate = path`, `hide_expired`";
const FIELD_ATTRIBUTES: &str = "`hash_key`, `range_key`, `rename = \"...\"`, `alias = \"...\"`, `skip`, `serde`, `null`, `version`, `validate(...)`, `default`, `default = expr`, `default_with = path`, `force_default`, `set = path`, `get = path`, `extra`, `created_at`, `updated_at`, `ttl`, `storage = \"...\"`, `global_index(...)`, `local_index(...)`";

pub fn parse(input: &DeriveInput, kind: Kind) -> syn::Result<Container> {
    let mut errors = Errors::default();
    let mut table = None;
    let mut rename_all = None;
    let mut validate = None;
    let mut hide_expired = None;

    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table") {
                if kind == Kind::Document {
                    return Err(meta.error("`table` applies to #[derive(Model)] only; a document is stored inside an item"));
                }
                let value: LitStr = meta.value()?.parse()?;
                if value.value().is_empty() {
                    return Err(syn::Error::new_spanned(&value, "the table name cannot be empty"));
                }
                set_once(&meta, &mut table, value.value())
            } else if meta.path.is_ident("rename_all") {
                let value: LitStr = meta.value()?.parse()?;
                let case = Case::parse(&value.value()).ok_or_else(|| {
                    syn::Error::new_spanned(
                        &value,
                        format!("unknown case `{}`; expected one of {}", value.value(), Case::NAMES),
                    )
                })?;
                set_once(&meta, &mut rename_all, case)
            } else if meta.path.is_ident("validate") {
                let path: syn::Path = meta.value()?.parse()?;
                set_once(&meta, &mut validate, path)
            } else if meta.path.is_ident("hide_expired") {
                model_only(&meta, kind, "hiding expired items")?;
                set_span(&meta, &mut hide_expired)
            } else {
                Err(unknown(&meta, CONTAINER_ATTRIBUTES))
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }

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
        if let Some(field) = parse_field(field, kind, rename_all, &mut errors) {
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
    };
    check(&container, kind, named.is_some(), &mut errors);
    errors.finish(container)
}

pub(crate) fn parse_field(
    field: &syn::Field,
    kind: Kind,
    rename_all: Option<Case>,
    errors: &mut Errors,
) -> Option<Field> {
    let ident = field.ident.clone()?;
    let mut rename: Option<LitStr> = None;
    let mut key = None;
    let mut skip = false;
    let mut serde = false;
    let mut null = false;
    let mut indexes = Vec::new();
    let mut version = false;
    let mut rules = Vec::new();
    let mut default = None;
    let mut force_default = None;
    let mut set = None;
    let mut get = None;
    let mut aliases = Vec::new();
    let mut extra = None;
    let mut timestamp = None;
    let mut ttl = None;
    let mut storage = None;

    for attr in field.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| {
            let role = if meta.path.is_ident("hash_key") {
                Some(KeyRole::Hash)
            } else if meta.path.is_ident("range_key") {
                Some(KeyRole::Range)
            } else {
                None
            };
            if let Some(role) = role {
                if kind == Kind::Document {
                    return Err(meta.error("a document has no keys; put keys on the model"));
                }
                return set_once(&meta, &mut key, role);
            }
            let index = if meta.path.is_ident("global_index") {
                Some(IndexKind::Global)
            } else if meta.path.is_ident("local_index") {
                Some(IndexKind::Local)
            } else {
                None
            };
            if let Some(index) = index {
                if kind == Kind::Document {
                    return Err(meta.error("a document has no indexes; put indexes on the model"));
                }
                indexes.push(index::parse(&meta, index)?);
                return Ok(());
            }
            if meta.path.is_ident("rename") {
                let value: LitStr = meta.value()?.parse()?;
                if value.value().is_empty() {
                    return Err(syn::Error::new_spanned(
                        &value,
                        "an attribute name cannot be empty",
                    ));
                }
                set_once(&meta, &mut rename, value)
            } else if meta.path.is_ident("skip") {
                set_flag(&meta, &mut skip)
            } else if meta.path.is_ident("serde") {
                set_flag(&meta, &mut serde)
            } else if meta.path.is_ident("null") {
                set_flag(&meta, &mut null)
            } else if meta.path.is_ident("version") {
                if kind == Kind::Document {
                    return Err(meta.error("a version number belongs on the model, not a document"));
                }
                set_flag(&meta, &mut version)
            } else if meta.path.is_ident("validate") {
                crate::rules::parse_field(&meta, &mut rules)
            } else if meta.path.is_ident("default") {
                let value = if meta.input.peek(syn::Token![=]) {
                    DefaultValue::Expr(meta.value()?.parse()?)
                } else {
                    DefaultValue::Trait(meta.path.span())
                };
                set_once(&meta, &mut default, value)
            } else if meta.path.is_ident("default_with") {
                let path: syn::Path = meta.value()?.parse()?;
                set_once(&meta, &mut default, DefaultValue::With(path))
            } else if meta.path.is_ident("force_default") {
                set_span(&meta, &mut force_default)
            } else if meta.path.is_ident("set") {
                let path: syn::Path = meta.value()?.parse()?;
                set_once(&meta, &mut set, path)
            } else if meta.path.is_ident("get") {
                let path: syn::Path = meta.value()?.parse()?;
                set_once(&meta, &mut get, path)
            } else if meta.path.is_ident("alias") {
                let value: LitStr = meta.value()?.parse()?;
                if value.value().is_empty() {
                    return Err(syn::Error::new_spanned(&value, "an alias cannot be empty"));
                }
                aliases.push(value);
                Ok(())
            } else if meta.path.is_ident("extra") {
                model_only(&meta, kind, "an `extra` map")?;
                set_span(&meta, &mut extra)
            } else if meta.path.is_ident("created_at") || meta.path.is_ident("updated_at") {
                model_only(&meta, kind, "a timestamp")?;
                let which = if meta.path.is_ident("created_at") {
                    Timestamp::CreatedAt
                } else {
                    Timestamp::UpdatedAt
                };
                let mut span = None;
                set_span(&meta, &mut span)?;
                set_once(&meta, &mut timestamp, (which, meta.path.span()))
            } else if meta.path.is_ident("ttl") {
                model_only(&meta, kind, "a TTL")?;
                set_span(&meta, &mut ttl)
            } else if meta.path.is_ident("storage") {
                let value: LitStr = meta.value()?.parse()?;
                let parsed = Storage::parse(&value.value()).ok_or_else(|| {
                    syn::Error::new_spanned(
                        &value,
                        format!(
                            "unknown storage `{}`; expected {}",
                            value.value(),
                            Storage::NAMES
                        ),
                    )
                })?;
                set_once(&meta, &mut storage, (parsed, value.span()))
            } else {
                Err(unknown(&meta, FIELD_ATTRIBUTES))
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }

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
        key,
        skip,
        serde,
        null,
        indexes,
        version,
        rules,
        default,
        force_default,
        set,
        get,
        aliases,
        extra,
        timestamp,
        ttl,
        storage,
    })
}

/// Rules across fields: one hash key, at most one range key, keys stored
/// natively, distinct stored names.
fn check(container: &Container, kind: Kind, has_fields: bool, errors: &mut Errors) {
    for role in [KeyRole::Hash, KeyRole::Range] {
        let word = if role == KeyRole::Hash {
            "hash"
        } else {
            "range"
        };
        for extra in container
            .fields
            .iter()
            .filter(|f| f.key == Some(role))
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
        if field.is_key() && field.skip {
            errors.error(&field.ident, conflict("skipped"));
        }
        if field.is_key() && field.serde {
            errors.error(&field.ident, conflict("#[model(serde)]"));
        }
        if field.skip && (field.serde || field.null) {
            errors.error(
                &field.ident,
                "a skipped field is not stored, so `serde` and `null` do not apply",
            );
        }
    }
    schema_rules::check(container, errors);
    for extra in container.fields.iter().filter(|f| f.version).skip(1) {
        errors.error(&extra.ident, "a model has one version attribute");
    }
    for field in container.fields.iter().filter(|f| f.version) {
        if field.is_key() || field.skip || field.serde || field.null {
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

fn set_once<T>(meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("`{}` is given twice", path_name(meta))));
    }
    *slot = Some(value);
    Ok(())
}

/// A flag kept with its span, for errors about it.
fn set_span(meta: &ParseNestedMeta, slot: &mut Option<Span>) -> syn::Result<()> {
    let mut flag = slot.is_some();
    set_flag(meta, &mut flag)?;
    *slot = Some(meta.path.span());
    Ok(())
}

fn model_only(meta: &ParseNestedMeta, kind: Kind, what: &str) -> syn::Result<()> {
    if kind == Kind::Document {
        return Err(meta.error(format!("{what} belongs on the model, not a document")));
    }
    Ok(())
}

fn set_flag(meta: &ParseNestedMeta, flag: &mut bool) -> syn::Result<()> {
    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        return Err(meta.error(format!("`{}` takes no value", path_name(meta))));
    }
    if *flag {
        return Err(meta.error(format!("`{}` is given twice", path_name(meta))));
    }
    *flag = true;
    Ok(())
}

fn unknown(meta: &ParseNestedMeta, expected: &str) -> syn::Error {
    syn::Error::new(
        meta.path.span(),
        format!(
            "unknown model attribute `{}`; expected one of {expected}",
            path_name(meta)
        ),
    )
}

fn path_name(meta: &ParseNestedMeta) -> String {
    meta.path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
