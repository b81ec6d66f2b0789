//! `#[derive(Document)]` on an enum (parsed in `ir/enums.rs`): unit
//! variants as strings, tagged variants as maps written and read by the
//! document member code. Reading a name that is not a variant is an error
//! naming the value and every name allowed.

use super::document::{read_members, write_members};
use super::Output;
use crate::ir::enums::Enum;
use crate::ir::Field;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

pub fn expand(parsed: &Enum) -> Output {
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
                    #[automatically_derived]
                    impl __dm::KeyAttribute for #ident {
                        const SCALAR: __dm::ScalarType = __dm::ScalarType::String;
                    }
                    #[automatically_derived]
                    impl __dm::SetElement for #ident {}
                },
            )
        }
        Some(tag) => {
            let arms = parsed.variants.iter().map(|v| {
                let (variant, name) = (&v.ident, &v.name);
                let bindings: Vec<Ident> = v.fields.iter().map(binding).collect();
                let idents = v.fields.iter().map(|f| &f.ident);
                let capacity = v.fields.len() + 1;
                let stored: Vec<&Field> = v.fields.iter().filter(|f| !f.store.skip).collect();
                let write = write_members(
                    &stored,
                    |field| {
                        let binding = binding(field);
                        quote!((*#binding))
                    },
                    None,
                );
                quote! {
                    Self::#variant { #(#idents: #bindings,)* } => {
                        let mut map = __dm::Item::with_capacity(#capacity);
                        map.insert(::std::borrow::ToOwned::to_owned(#tag), __dm::AttributeValue::S(::std::borrow::ToOwned::to_owned(#name)));
                        #write
                        map
                    }
                }
            });
            let reads = parsed.variants.iter().map(|v| {
                let (variant, name) = (&v.ident, &v.name);
                let read = read_members(&v.fields, quote!(Self::#variant));
                quote!(#name => ::core::result::Result::Ok(#read))
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
    Output {
        types: TokenStream::new(),
        impls: quote! {
            #[automatically_derived]
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

            #[automatically_derived]
            impl __dm::HasPath for #ident {
                type Path = __dm::Path<#ident>;
                type VecPath = __dm::ListPath<#ident>;
            }
        },
    }
}

/// The name a variant's field is bound to in a `match`.
fn binding(field: &Field) -> Ident {
    format_ident!("__field_{}", field.ident)
}
