//! Validation rules: the checks of `to_item` / `to_attribute` on the values
//! a write stores, and `Model::validate_value` for the values an update
//! sets. Parsed in `ir/rules.rs`.

use crate::ir::rules::Rule;
use crate::ir::{Container, Field};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Expr, Path};

fn optional(min: &Option<Expr>) -> TokenStream {
    match min {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// The checks of one field's rules on `source` (an expression of type
/// `&FieldType`), pushing failures onto `failures`.
fn field_checks(field: &Field, source: TokenStream) -> TokenStream {
    let name = &field.name;
    let rules = field.rules.iter().map(|rule| {
        let call = match rule {
            Rule::Length { span, min, max } => {
                let (min, max) = (optional(min), optional(max));
                quote_spanned!(*span=> __dm::rules::length(value, #min, #max))
            }
            Rule::Range { span, min, max } => {
                let (min, max) = (optional(min), optional(max));
                quote_spanned!(*span=> __dm::rules::range(value, #min, #max))
            }
            Rule::Pattern(pattern) => quote_spanned! {pattern.span()=>
                {
                    static PATTERN: __dm::rules::Pattern = __dm::rules::Pattern::new(#pattern);
                    PATTERN.check(value)
                }
            },
            Rule::NonEmpty(span) => quote_spanned!(*span=> __dm::rules::non_empty(value)),
            Rule::SafeInteger(span) => quote_spanned!(*span=> __dm::rules::safe_integer(value)),
            Rule::Custom(path) => {
                let span = path
                    .segments
                    .last()
                    .map_or_else(Span::call_site, |s| s.ident.span());
                quote_spanned!(span=> __dm::rules::custom(#path(value)))
            }
        };
        let rule_name = rule.name();
        quote! {
            if let ::core::option::Option::Some(message) = #call {
                failures.push(__dm::rules::Failure::new(#name, #rule_name, message));
            }
        }
    });
    if field.option_inner().is_some() {
        quote! {
            if let ::core::option::Option::Some(value) = #source {
                #(#rules)*
            }
        }
    } else {
        quote! {
            {
                let value = #source;
                #(#rules)*
            }
        }
    }
}

/// The statements of `to_item` (`to_attribute` for a document or enum)
/// checking every rule of every field on the value the write stores
/// (`values`, one `&FieldType` expression per field of `stored`), then the
/// struct's rule `validate`, pushing each failure onto `failures`.
pub fn checks(validate: Option<&Path>, stored: &[&Field], values: &[TokenStream]) -> TokenStream {
    let checks = stored
        .iter()
        .zip(values)
        .filter(|(field, _)| !field.rules.is_empty())
        .map(|(field, value)| field_checks(field, value.clone()));
    let whole = validate.map(|path| {
        quote! {
            if let ::core::option::Option::Some(message) = __dm::rules::custom(#path(self)) {
                failures.push(__dm::rules::Failure::new("", "custom", message));
            }
        }
    });
    quote! {
        #(#checks)*
        #whole
    }
}

/// `Model::validate_value`: the rules of one attribute, for the values an
/// update sets.
pub fn expand_validate_value(container: &Container) -> TokenStream {
    let value_checks = container
        .stored()
        .filter(|f| !f.rules.is_empty())
        .map(|field| {
            let (name, ty) = (&field.name, &field.ty);
            let checks = field_checks(field, quote!(&decoded));
            // A time stored as seconds or ISO is read back as the type reads it.
            let stored = super::storage(field).map(|storage| {
            quote! {
                let ::core::result::Result::Ok(value) = __dm::read_stored(value, #storage) else {
                    return;
                };
            }
        });
            quote! {
                #name => {
                    let value = ::core::option::Option::Some(value.clone());
                    #stored
                    // Typed paths only let values of the field's type through.
                    if let ::core::result::Result::Ok(decoded) = __dm::from_value::<#ty>(value) {
                        #checks
                    }
                }
            }
        });
    quote! {
        fn validate_value(
            attribute: &str,
            value: &__dm::AttributeValue,
            failures: &mut ::std::vec::Vec<__dm::rules::Failure>,
        ) {
            match attribute {
                #(#value_checks)*
                _ => {}
            }
        }
    }
}
