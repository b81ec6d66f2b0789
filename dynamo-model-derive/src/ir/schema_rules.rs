//! Checks of the schema-rule attributes — defaults, transforms, aliases,
//! `extra`, timestamps, TTL, storage — against each other and the rest of
//! the field. Each error points at the attribute that cannot apply.

use super::{Container, Field, Storage, Timestamp};
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
    once("`extra`", with(|f| f.extra), errors);
    once("`ttl`", with(|f| f.ttl), errors);
    for (which, name) in [
        (Timestamp::CreatedAt, "`created_at`"),
        (Timestamp::UpdatedAt, "`updated_at`"),
    ] {
        let fields = container
            .fields
            .iter()
            .filter_map(|f| match f.timestamp {
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
    let default_span = field.default.as_ref().map(|d| match d {
        super::DefaultValue::Trait(span) => *span,
        super::DefaultValue::Expr(expr) => syn::spanned::Spanned::span(expr),
        super::DefaultValue::With(path) => syn::spanned::Spanned::span(path),
    });

    if let Some(span) = field.extra {
        let plain = !field.is_key()
            && !field.skip
            && !field.serde
            && !field.null
            && !field.version
            && field.rules.is_empty()
            && field.default.is_none()
            && field.set.is_none()
            && field.get.is_none()
            && field.aliases.is_empty()
            && field.timestamp.is_none()
            && field.ttl.is_none()
            && field.storage.is_none()
            && field.indexes.is_empty();
        if !plain {
            error(
                span,
                "an `extra` field holds every attribute the model does not name, \
                 as a HashMap<String, AttributeValue>; it takes no other attribute",
            );
        }
        return;
    }
    if let Some(span) = field.force_default {
        if field.default.is_none() {
            error(
                span,
                "`force_default` needs a default: add `default`, `default = ..` or `default_with = ..`",
            );
        }
        if field.is_key() {
            error(span, "`force_default` would change the key on every write");
        }
    }
    let stored_natively = !field.skip && !field.serde;
    for (what, span) in [
        ("`set`", field.set.as_ref().map(syn::spanned::Spanned::span)),
        ("`get`", field.get.as_ref().map(syn::spanned::Spanned::span)),
        ("`storage`", field.storage.map(|(_, span)| span)),
        ("`ttl`", field.ttl),
        ("a timestamp", field.timestamp.map(|(_, span)| span)),
    ] {
        let Some(span) = span else { continue };
        if !stored_natively {
            error(
                span,
                &format!("{what} does not apply to a skipped or #[model(serde)] field"),
            );
        }
        let keyed = field.is_key() || !field.indexes.is_empty();
        if keyed && matches!(what, "`ttl`" | "a timestamp") {
            error(
                span,
                &format!("{what} cannot be a key or index key attribute"),
            );
        }
    }
    if let (Some(span), true) = (default_span, field.skip || field.version) {
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
    if let (Some(span), Some(_)) = (default_span, field.timestamp) {
        error(
            span,
            "a timestamp is set by every write; it takes no default",
        );
    }
    if let Some((_, span)) = field.timestamp {
        if field.version || field.ttl.is_some() {
            error(span, "a timestamp cannot also be the version or the TTL");
        }
    }
    if let (Some((storage, span)), Some(_)) = (field.storage, field.ttl) {
        if storage != Storage::Seconds {
            error(
                span,
                "DynamoDB reads a TTL as epoch seconds; drop `storage` (seconds is implied)",
            );
        }
    }
    for alias in &field.aliases {
        if alias.value() == field.name {
            error(alias.span(), "the alias is the attribute's own name");
        }
        if field.skip || field.extra.is_some() {
            error(
                alias.span(),
                "a skipped field is not read, so it has no aliases",
            );
        }
    }
    if field.version && (field.set.is_some() || field.get.is_some() || field.storage.is_some()) {
        error(
            field.ident.span(),
            "the version attribute is a plain stored integer: no transforms or storage",
        );
    }
}
