//! Secondary indexes: the `global_index(...)` and `local_index(...)` field
//! attributes, and the indexes assembled from them across fields.
//!
//! A field takes part in an index with one attribute per index:
//!
//! ```text
//! #[model(global_index(name = "by_team", hash_key, include(name), throughput(read = 5, write = 5)))]
//! team: String,
//! #[model(global_index(name = "by_team", range_key))]
//! joined: u64,
//! #[model(local_index(name = "by_score", range_key, keys_only))]
//! score: u32,
//! ```
//!
//! Options (`keys_only`, `include(...)`, `throughput(...)`) go on the field
//! that defines the index: a global index's hash key, a local index's range
//! key. An index without `keys_only` or `include` projects every attribute.

use super::{once, Field, KeyRole};
use crate::attrs::IndexOption;
use crate::case::Case;
use crate::errors::Errors;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitInt, LitStr};

/// Whether an index is global or local.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Global,
    Local,
}

impl IndexKind {
    fn attribute(self) -> &'static str {
        match self {
            Self::Global => "global_index",
            Self::Local => "local_index",
        }
    }
}

/// One `global_index(...)` or `local_index(...)` attribute of a field.
pub struct IndexMembership {
    pub kind: IndexKind,
    pub name: LitStr,
    pub role: KeyRole,
    /// The `global_index` / `local_index` token, for errors.
    pub span: Span,
    pub options: IndexOptions,
}

/// The per-index options, given on the membership that defines the index.
#[derive(Default)]
pub struct IndexOptions {
    pub keys_only: Option<Span>,
    pub include: Option<Vec<Ident>>,
    pub throughput: Option<(LitInt, LitInt)>,
}

impl IndexOptions {
    /// Where the first option is, if any is given.
    fn first_span(&self) -> Option<Span> {
        let include = self
            .include
            .as_ref()
            .and_then(|i| i.first())
            .map(Ident::span);
        let throughput = self.throughput.as_ref().map(|(read, _)| read.span());
        self.keys_only.or(include).or(throughput)
    }
}

/// What an index holds besides its keys; fields by position in the struct.
pub enum Projection {
    All,
    KeysOnly,
    Include(Vec<usize>),
}

/// An index of the model, assembled from its fields' memberships. Fields are
/// referred to by position in `Container::fields`.
pub struct Index {
    /// The name DynamoDB knows it by.
    pub name: String,
    /// Where the name is written (the defining field's `name = "..."`).
    pub name_span: Span,
    /// The Rust name derived from it: `by_email` / `ByEmail`.
    pub snake: String,
    pub pascal: String,
    pub kind: IndexKind,
    /// For a local index, the table's hash key.
    pub hash: usize,
    pub range: Option<usize>,
    pub projection: Projection,
    pub throughput: Option<(LitInt, LitInt)>,
}

/// DynamoDB's limit on local indexes per table.
const MAX_LOCAL_INDEXES: usize = 5;

/// Parses the inside of `global_index(...)` / `local_index(...)`; `None`
/// (with the errors recorded) when it lacks its name or role.
pub fn parse(
    meta: &ParseNestedMeta,
    kind: IndexKind,
    errors: &mut Errors,
) -> syn::Result<Option<IndexMembership>> {
    let mut name: Option<LitStr> = None;
    let mut role = None;
    let mut options = IndexOptions::default();
    super::each_nested(meta, errors, |option, inner, errors| {
        match option {
            IndexOption::Name => {
                let value = inner.value()?.parse()?;
                once(errors, inner, &mut name, value)?;
            }
            IndexOption::HashKey => once(errors, inner, &mut role, KeyRole::Hash)?,
            IndexOption::RangeKey => once(errors, inner, &mut role, KeyRole::Range)?,
            IndexOption::KeysOnly => {
                let span = inner.path.require_ident()?.span();
                once(errors, inner, &mut options.keys_only, span)?;
            }
            IndexOption::Include => {
                let mut fields = Vec::new();
                inner.parse_nested_meta(|field| {
                    fields.push(field.path.require_ident()?.clone());
                    Ok(())
                })?;
                if fields.is_empty() {
                    errors
                        .push(inner.error(
                            "`include` lists the fields to project: `include(name, email)`",
                        ));
                }
                once(errors, inner, &mut options.include, fields)?;
            }
            IndexOption::Throughput => {
                let throughput = parse_throughput(inner)?;
                once(errors, inner, &mut options.throughput, throughput)?;
            }
        }
        Ok(())
    })?;
    let attribute = kind.attribute();
    let Some(name) = name else {
        errors.push(meta.error(format!(
            "`{attribute}` needs a name: `{attribute}(name = \"...\", ...)`"
        )));
        return Ok(None);
    };
    let role = match (role, kind) {
        (Some(role), _) => role,
        (None, IndexKind::Global) => {
            errors
                .push(meta.error("say whether the field is the index's `hash_key` or `range_key`"));
            return Ok(None);
        }
        (None, IndexKind::Local) => {
            errors.push(
                meta.error("a local index field is its `range_key` (the hash key is the table's)"),
            );
            return Ok(None);
        }
    };
    Ok(Some(IndexMembership {
        kind,
        name,
        role,
        span: meta.path.require_ident()?.span(),
        options,
    }))
}

pub(super) fn parse_throughput(meta: &ParseNestedMeta) -> syn::Result<(LitInt, LitInt)> {
    let (mut read, mut write): (Option<LitInt>, Option<LitInt>) = (None, None);
    meta.parse_nested_meta(|unit| {
        let slot = if unit.path.is_ident("read") {
            &mut read
        } else if unit.path.is_ident("write") {
            &mut write
        } else {
            return Err(unit.error("expected `read = N` or `write = N`"));
        };
        let value: LitInt = unit.value()?.parse()?;
        if value.base10_parse::<i64>()? < 1 {
            return Err(syn::Error::new(
                value.span(),
                "capacity units must be at least 1",
            ));
        }
        *slot = Some(value);
        Ok(())
    })?;
    match (read, write) {
        (Some(read), Some(write)) => Ok((read, write)),
        _ => Err(meta.error("give both: `throughput(read = N, write = N)`")),
    }
}

/// Groups the fields' memberships into indexes, checking every rule that
/// DynamoDB or the generated code relies on.
pub fn assemble(fields: &[Field], errors: &mut Errors) -> Vec<Index> {
    let mut names: Vec<&LitStr> = Vec::new();
    for membership in fields.iter().flat_map(|f| &f.keys.indexes) {
        if names.iter().all(|n| n.value() != membership.name.value()) {
            names.push(&membership.name);
        }
    }
    let mut indexes: Vec<Index> = Vec::new();
    for name in names {
        if let Some(index) = assemble_one(fields, name, errors) {
            let clash = indexes.iter().find(|i| i.snake == index.snake);
            if let Some(other) = clash {
                errors.error(
                    name,
                    format!(
                        "indexes `{}` and `{}` both give method `{}`; rename one",
                        other.name, index.name, index.snake
                    ),
                );
            }
            indexes.push(index);
        }
    }
    let locals: Vec<&Index> = indexes
        .iter()
        .filter(|i| i.kind == IndexKind::Local)
        .collect();
    if locals.len() > MAX_LOCAL_INDEXES {
        let name = &locals[MAX_LOCAL_INDEXES].name;
        let span = fields
            .iter()
            .flat_map(|f| &f.keys.indexes)
            .find(|m| m.name.value() == *name)
            .map_or_else(Span::call_site, |m| m.span);
        errors.push(syn::Error::new(
            span,
            format!("DynamoDB allows {MAX_LOCAL_INDEXES} local indexes per table; `{name}` is one too many"),
        ));
    }
    indexes
}

fn assemble_one(fields: &[Field], name_lit: &LitStr, outer: &mut Errors) -> Option<Index> {
    let name = name_lit.value();
    let members: Vec<(usize, &IndexMembership)> = fields
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.keys.indexes.iter().map(move |m| (i, m)))
        .filter(|(_, m)| m.name.value() == name)
        .collect();
    let mut errors = Errors::default();
    check_name(name_lit, &mut errors);

    let kind = members[0].1.kind;
    for (_, m) in &members {
        if m.kind != kind {
            errors.push(syn::Error::new(
                m.span,
                format!(
                    "index `{name}` is declared both `global_index` and `local_index`; pick one"
                ),
            ));
        }
    }
    let mut role_of = |role: KeyRole| {
        let mut found = members.iter().filter(|(_, m)| m.role == role);
        let first = found.next().map(|(i, _)| *i)?;
        for (_, m) in found {
            errors.push(syn::Error::new(
                m.span,
                format!(
                    "index `{name}` already has a {} key: `{}`",
                    role.word(),
                    fields[first].ident
                ),
            ));
        }
        Some(first)
    };
    let hash = role_of(KeyRole::Hash);
    let range = role_of(KeyRole::Range);

    let table_hash = fields
        .iter()
        .position(|f| f.keys.role == Some(KeyRole::Hash));
    let table_range = fields
        .iter()
        .position(|f| f.keys.role == Some(KeyRole::Range));
    let (defining, index_hash) = match kind {
        IndexKind::Global => {
            if hash.is_none() {
                errors.error(name_lit, format!("global index `{name}` needs a hash key: mark a field `global_index(name = \"{name}\", hash_key)`"));
            }
            (hash, hash)
        }
        IndexKind::Local => {
            if let (Some(h), Some((_, m))) =
                (hash, members.iter().find(|(_, m)| m.role == KeyRole::Hash))
            {
                errors.push(syn::Error::new(m.span, format!("local index `{name}` shares the table's hash key; `{}` can only be its `range_key`", fields[h].ident)));
            }
            if table_range.is_none() {
                errors.error(name_lit, format!("local index `{name}` needs a table with a range key (DynamoDB allows local indexes on composite keys only); use a global index"));
            }
            (range, table_hash)
        }
    };

    // Options belong to the defining field only.
    let no_options = IndexOptions::default();
    let mut options = &no_options;
    for (i, m) in &members {
        let Some(span) = m.options.first_span() else {
            continue;
        };
        match defining {
            Some(d) if d == *i && m.role == defining_role(kind) => options = &m.options,
            Some(d) => errors.push(syn::Error::new(
                span,
                format!(
                    "put the options of index `{name}` on its defining field `{}`",
                    fields[d].ident
                ),
            )),
            None => {}
        }
    }
    if let (Some((read, _)), IndexKind::Local) = (&options.throughput, kind) {
        errors.error(
            read,
            "a local index uses the table's throughput; remove `throughput`",
        );
    }

    for (k, _) in &members {
        let field = &fields[*k];
        let what = if field.store.skip {
            "skipped"
        } else if field.store.serde {
            "#[model(serde)]"
        } else if field.store.null {
            "`null`"
        } else {
            continue;
        };
        errors.error(
            &field.ident,
            format!("a {what} field cannot be a key of index `{name}`"),
        );
    }
    if let (Some(h), Some(r)) = (hash, range) {
        if h == r {
            errors.error(
                &fields[h].ident,
                format!(
                    "`{}` cannot be both keys of index `{name}`",
                    fields[h].ident
                ),
            );
        }
    }

    let keys = [table_hash, table_range, index_hash, range];
    let mut included = Vec::new();
    for ident in options.include.iter().flatten() {
        match fields.iter().position(|f| f.ident == *ident && !f.store.skip) {
            None => errors.error(ident, format!("`include` names stored fields of this struct; there is no stored field `{ident}`")),
            Some(p) if keys.contains(&Some(p)) => {
                errors.error(ident, format!("`{ident}` is a key, and keys are always in the index; remove it"))
            }
            Some(p) if included.contains(&p) => errors.error(ident, format!("`{ident}` is included twice")),
            Some(p) => included.push(p),
        }
    }
    let projection = match (options.keys_only, &options.include) {
        (Some(span), Some(_)) => {
            errors.push(syn::Error::new(
                span,
                "`keys_only` and `include(...)` exclude each other",
            ));
            Projection::All
        }
        (Some(_), None) => Projection::KeysOnly,
        (None, Some(_)) => Projection::Include(included),
        (None, None) => Projection::All,
    };

    if let Err(error) = errors.finish(()) {
        outer.push(error);
        return None;
    }
    let rust_name = name.replace(['-', '.'], "_");
    Some(Index {
        snake: Case::Snake.apply(&rust_name),
        pascal: Case::Pascal.apply(&rust_name),
        kind,
        hash: index_hash?,
        range,
        projection,
        throughput: options.throughput.clone(),
        name,
        name_span: name_lit.span(),
    })
}

fn defining_role(kind: IndexKind) -> KeyRole {
    match kind {
        IndexKind::Global => KeyRole::Hash,
        IndexKind::Local => KeyRole::Range,
    }
}

/// DynamoDB's naming rule for indexes, and a usable Rust method name.
fn check_name(name: &LitStr, errors: &mut Errors) {
    let value = name.value();
    let valid = (3..=255).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        errors.error(
            name,
            "an index name has 3 to 255 characters: letters, digits, `_`, `-` and `.`",
        );
        return;
    }
    let method = Case::Snake.apply(&value.replace(['-', '.'], "_"));
    if syn::parse_str::<Ident>(&method).is_err() {
        errors.error(name, format!("index `{value}` would be queried with method `{method}`, which is not a Rust identifier; rename the index"));
    }
}
