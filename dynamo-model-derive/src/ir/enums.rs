//! `#[derive(Document)]` on an enum.
//!
//! An enum of unit variants is stored as a string (`S`): the variant name,
//! renamed by `rename_all` or a variant's `rename`. It can be a key, and
//! a set of it is a string set (`SS`). With
//! `#[model(tag = "type")]` an enum may carry data: each variant is stored
//! as a map whose member `type` names the variant, beside the variant's
//! fields (serde's and Dynamoose's "internally tagged" shape); those fields
//! take the same attributes as a document's. Reading a name that is not a
//! variant is an error naming the value and every name allowed.

use crate::case::Case;
use crate::errors::Errors;
use crate::ir::{self, Field, Kind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{DataEnum, DeriveInput, Fields, Ident, LitStr};

struct Variant {
    ident: Ident,
    /// The stored name.
    name: String,
    /// The variant's named fields (empty for a unit variant).
    fields: Vec<Field>,
}

struct Enum {
    ident: Ident,
    tag: Option<String>,
    variants: Vec<Variant>,
}

pub fn derive(input: &DeriveInput, data: &DataEnum) -> syn::Result<TokenStream> {
    let parsed = parse(input, data)?;
    Ok(expand(&parsed))
}

fn parse(input: &DeriveInput, data: &DataEnum) -> syn::Result<Enum> {
    let mut errors = Errors::default();
    let mut tag: Option<LitStr> = None;
    let mut rename_all = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("tag") {
                let value: LitStr = meta.value()?.parse()?;
                if value.value().is_empty() {
                    return Err(syn::Error::new_spanned(&value, "the tag name cannot be empty"));
                }
                tag = Some(value);
                Ok(())
            } else if meta.path.is_ident("rename_all") {
                let value: LitStr = meta.value()?.parse()?;
                rename_all = Some(Case::parse(&value.value()).ok_or_else(|| {
                    syn::Error::new_spanned(
                        &value,
                        format!("unknown case `{}`; expected one of {}", value.value(), Case::NAMES),
                    )
                })?);
                Ok(())
            } else {
                Err(meta.error(
                    "unknown model attribute on an enum; expected `tag = \"...\"` or `rename_all = \"...\"`",
                ))
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    if !input.generics.params.is_empty() {
        errors.error(&input.generics, "generic enums cannot derive this yet");
    }
    if data.variants.is_empty() {
        errors.error(
            &input.ident,
            "an enum without variants has no value to store",
        );
    }

    let mut variants = Vec::new();
    for variant in &data.variants {
        let mut rename: Option<LitStr> = None;
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("model")) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    rename = Some(meta.value()?.parse()?);
                    Ok(())
                } else {
                    Err(meta
                        .error("unknown model attribute on a variant; expected `rename = \"...\"`"))
                }
            });
            if let Err(error) = result {
                errors.push(error);
            }
        }
        let name = match rename {
            Some(lit) => lit.value(),
            None => {
                let raw = variant.ident.to_string();
                rename_all.map_or(raw.clone(), |case| case.apply(&raw))
            }
        };
        let fields = match &variant.fields {
            Fields::Unit => Vec::new(),
            Fields::Named(named) => {
                if tag.is_none() {
                    errors.error(
                        &variant.ident,
                        "a variant with fields needs the enum to be tagged: add #[model(tag = \"type\")]",
                    );
                }
                named
                    .named
                    .iter()
                    .filter_map(|f| ir::parse_field(f, Kind::Document, None, &mut errors))
                    .collect()
            }
            Fields::Unnamed(_) => {
                errors.error(
                    &variant.fields,
                    "tuple variants cannot be stored; give the fields names",
                );
                Vec::new()
            }
        };
        for field in &fields {
            if tag.as_ref().is_some_and(|tag| tag.value() == field.name) {
                errors.error(
                    &field.ident,
                    "the field has the name of the enum's tag; rename one",
                );
            }
        }
        variants.push(Variant {
            ident: variant.ident.clone(),
            name,
            fields,
        });
    }
    for (i, variant) in variants.iter().enumerate() {
        if variants[..i].iter().any(|v| v.name == variant.name) {
            errors.error(
                &variant.ident,
                format!("two variants are stored as `{}`; rename one", variant.name),
            );
        }
    }
    errors.finish(Enum {
        ident: input.ident.clone(),
        tag: tag.map(|t| t.value()),
        variants,
    })
}

fn expand(parsed: &Enum) -> TokenStream {
    let ident = &parsed.ident;
    let names: Vec<&String> = parsed.variants.iter().map(|v| &v.name).collect();
    let allowed = names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = quote! {
        __dm::AttributeError::invalid(::std::format!(
            "{:?} is not a variant of {}; expected one of {}",
            name, ::core::stringify!(#ident), #allowed
        ))
    };
    let (type_name, encode, decode, key) = match &parsed.tag {
        None => {
            let arms = parsed.variants.iter().map(|v| {
                let (variant, name) = (&v.ident, &v.name);
                quote!(Self::#variant => #name)
            });
            let reads = parsed.variants.iter().map(|v| {
                let (variant, name) = (&v.ident, &v.name);
                quote!(#name => ::core::result::Result::Ok(Self::#variant))
            });
            (
                quote!("S"),
                quote! {
                    let name = match self { #(#arms,)* };
                    ::core::result::Result::Ok(::core::option::Option::Some(
                        __dm::AttributeValue::S(::std::borrow::ToOwned::to_owned(name)),
                    ))
                },
                quote! {
                    let name = match value {
                        __dm::AttributeValue::S(name) => name,
                        other => return ::core::result::Result::Err(__dm::AttributeError::mismatch("S", &other)),
                    };
                    match name.as_str() {
                        #(#reads,)*
                        _ => ::core::result::Result::Err(#unknown),
                    }
                },
                quote! {
                    impl __dm::KeyAttribute for #ident {
                        const SCALAR: __dm::ScalarType = __dm::ScalarType::String;
                    }
                    impl __dm::SetElement for #ident {}
                },
            )
        }
        Some(tag) => {
            let arms = parsed.variants.iter().map(|v| {
                let (variant, name) = (&v.ident, &v.name);
                let bindings: Vec<Ident> =
                    v.fields.iter().map(|f| format_ident!("__field_{}", f.ident)).collect();
                let idents = v.fields.iter().map(|f| &f.ident);
                let capacity = v.fields.len() + 1;
                let stored: Vec<&Field> = v.fields.iter().filter(|f| !f.skip).collect();
                let (prepare, values) = super::expand::write_values(&stored, |field| {
                    let binding = format_ident!("__field_{}", field.ident);
                    quote!((*#binding))
                });
                let checks = crate::rules::checks(None, &stored, &values);
                let encodes = stored.iter().zip(&values).map(|(field, value)| {
                    let name = &field.name;
                    let encoded = super::expand::encoded(field, value);
                    quote!(__dm::encode_member(&mut map, &mut failures, #name, #encoded)?;)
                });
                quote! {
                    Self::#variant { #(#idents: #bindings,)* } => {
                        #(#prepare)*
                        #checks
                        let mut map = __dm::Item::with_capacity(#capacity);
                        map.insert(::std::borrow::ToOwned::to_owned(#tag), __dm::AttributeValue::S(::std::borrow::ToOwned::to_owned(#name)));
                        #(#encodes)*
                        map
                    }
                }
            });
            let reads = parsed.variants.iter().map(|v| {
                let (variant, name) = (&v.ident, &v.name);
                let inits = v.fields.iter().map(|field| {
                    let (ident, name) = (&field.ident, &field.name);
                    if field.skip {
                        return quote!(#ident: ::core::default::Default::default());
                    }
                    let (reader, aliases) =
                        (super::expand::reader(field), super::expand::aliases(field));
                    quote!(#ident: __dm::decode_member(&mut map, #name, #aliases, #reader)?)
                });
                quote!(#name => ::core::result::Result::Ok(Self::#variant { #(#inits,)* }))
            });
            (
                quote!("M"),
                quote! {
                    #[allow(unused_mut)]
                    let mut failures = ::std::vec::Vec::new();
                    let map = match self { #(#arms)* };
                    __dm::document_value(map, failures)
                },
                quote! {
                    let mut map = __dm::document_map(value)?;
                    let name = match map.remove(#tag) {
                        ::core::option::Option::Some(__dm::AttributeValue::S(name)) => name,
                        ::core::option::Option::Some(other) => {
                            return ::core::result::Result::Err(__dm::AttributeError::mismatch("S", &other).in_key(#tag));
                        }
                        ::core::option::Option::None => {
                            return ::core::result::Result::Err(__dm::AttributeError::missing().in_key(#tag));
                        }
                    };
                    match name.as_str() {
                        #(#reads,)*
                        _ => ::core::result::Result::Err(#unknown.in_key(#tag)),
                    }
                },
                TokenStream::new(),
            )
        }
    };
    quote! {
        const _: () = {
            use ::dynamo_model::__private as __dm;

            impl __dm::Attribute for #ident {
                const TYPE_NAME: &'static str = #type_name;

                fn to_attribute(&self) -> ::core::result::Result<::core::option::Option<__dm::AttributeValue>, __dm::AttributeError> {
                    #encode
                }

                fn from_attribute(value: __dm::AttributeValue) -> ::core::result::Result<Self, __dm::AttributeError> {
                    #decode
                }
            }

            #key

            impl __dm::HasPath for #ident {
                type Path = __dm::Path<#ident>;
                type VecPath = __dm::ListPath<#ident>;
            }
        };
    }
}
