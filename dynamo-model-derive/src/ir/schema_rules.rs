//! Checks of the schema-rule attributes — defaults, transforms, aliases,
//! `extra`, timestamps, TTL, storage — against each other and the rest of
//! the field. Each error points at the attribute that cannot apply.

use super::{Container, Field, Storage, Timestamp};
use crate::attrs::FieldAttr;
use crate::errors::Errors;
use proc_macro2::Span;

pub fn check(container: &Container, errors: &mut Errors) {
    for field in &container.fields {
        check_field(field, errors);
    }
    let once = |name: &str, fields: Vec<(&Field, Span)>, errors: &mut Errors| {
        for (field, span) in fields.into_iter().skip(1) {
            errors.push(syn::Error::new(
                span,
                format!(
                    "a model has one {name} field; `{}` is a second one",
                    field.ident
                ),
            ));
        }
    };
    let with = |pick: fn(&Field) -> Option<Span>| -> Vec<(&Field, Span)> {
        container
            .fields
            .iter()
            .filter_map(|f| Some((f, pick(f)?)))
            .collect()
    };
    once("`extra`", with(|f| f.store.extra), errors);
    once("`ttl`", with(|f| f.lifecycle.ttl), errors);
    for (which, name) in [
        (Timestamp::CreatedAt, "`created_at`"),
        (Timestamp::UpdatedAt, "`updated_at`"),
    ] {
        let fields = container
            .fields
            .iter()
            .filter_map(|f| match f.lifecycle.timestamp {
                Some((t, span)) if t == which => Some((f, span)),
                _ => None,
            })
            .collect();
        once(name, fields, errors);
    }
    if let (Some(span), None) = (container.hide_expired, container.ttl()) {
        errors.push(syn::Error::new(
            span,
            "`hide_expired` needs a TTL: mark a time field with #[model(ttl)]",
        ));
    }
}

fn check_field(field: &Field, errors: &mut Errors) {
    let mut error = |span: Span, message: &str| errors.push(syn::Error::new(span, message));
    let default_span = field.transforms.default.as_ref().map(|d| d.span());

    if let Some(span) = field.store.extra {
        if field
            .given
            .iter()
            .any(|(attr, _)| *attr != FieldAttr::Extra)
        {
            error(
                span,
                "an `extra` field holds every attribute the model does not name, \
                 as a HashMap<String, AttributeValue>; it takes no other attribute",
            );
        }
        return;
    }
    if let Some(span) = field.transforms.force_default {
        if field.transforms.default.is_none() {
            error(
                span,
                "`force_default` needs a default: add `default`, `default = ..` or `default_with = ..`",
            );
        }
        if field.is_key() {
            error(span, "`force_default` would change the key on every write");
        }
    }
    let stored_natively = !field.store.skip && !field.store.serde;
    for (what, span) in [
        (
            "`set`",
            field
                .transforms
                .set
                .as_ref()
                .map(syn::spanned::Spanned::span),
        ),
        (
            "`get`",
            field
                .transforms
                .get
                .as_ref()
                .map(syn::spanned::Spanned::span),
        ),
        ("`storage`", field.store.time.map(|(_, span)| span)),
        ("`ttl`", field.lifecycle.ttl),
        (
            "a timestamp",
            field.lifecycle.timestamp.map(|(_, span)| span),
        ),
    ] {
        let Some(span) = span else { continue };
        if !stored_natively {
            error(
                span,
                &format!("{what} does not apply to a skipped or #[model(serde)] field"),
            );
        }
        let keyed = field.is_key() || !field.keys.indexes.is_empty();
        if keyed && matches!(what, "`ttl`" | "a timestamp") {
            error(
                span,
                &format!("{what} cannot be a key or index key attribute"),
            );
        }
    }
    if let (Some(span), true) = (default_span, field.store.skip || field.lifecycle.version) {
        error(
            span,
            "a skipped field reads as Default::default() and a version starts at 0; \
             neither takes a default",
        );
    }
    if let (Some(span), true) = (default_span, field.is_key()) {
        error(
            span,
            "a key attribute always has a value, so a default never applies",
        );
    }
    if let (Some(span), Some(_)) = (default_span, field.lifecycle.timestamp) {
        error(
            span,
            "a timestamp is set by every write; it takes no default",
        );
    }
    if let Some((_, span)) = field.lifecycle.timestamp {
        if field.lifecycle.version || field.lifecycle.ttl.is_some() {
            error(span, "a timestamp cannot also be the version or the TTL");
        }
    }
    if let (Some((storage, span)), Some(_)) = (field.store.time, field.lifecycle.ttl) {
        if storage != Storage::Seconds {
            error(
                span,
                "DynamoDB reads a TTL as epoch seconds; drop `storage` (seconds is implied)",
            );
        }
    }
    for alias in &field.store.aliases {
        if alias.value() == field.name {
            error(alias.span(), "the alias is the attribute's own name");
        }
        if field.store.skip || field.store.extra.is_some() {
            error(
                alias.span(),
                "a skipped field is not read, so it has no aliases",
            );
        }
    }
    if field.lifecycle.version
        && (field.transforms.set.is_some()
            || field.transforms.get.is_some()
            || field.store.time.is_some())
    {
        error(
            field.ident.span(),
            "the version attribute is a plain stored integer: no transforms or storage",
        );
    }
}
