//! The stub a derive emits beside its errors (thiserror's `fallback.rs`
//! shape): the traits the derive would implement, with bodies that are
//! never run because the crate does not compile. With them the user sees
//! the derive's own errors, not "`User::get` not found" at every call.

use super::Output;
use crate::ir::Kind;
use quote::quote;
use syn::{Data, DeriveInput};

pub fn stub(input: &DeriveInput, kind: Kind) -> Output {
    let ident = &input.ident;
    // A generic or unnamed input already has its error; a stub without
    // its generics would only add another.
    if !input.generics.params.is_empty() || matches!(input.data, Data::Union(_)) {
        return Output::default();
    }
    let model = ident.to_string();
    let unreachable = quote!(::core::unreachable!("the derive of {} failed", #model));
    let projection = quote! {
        #[automatically_derived]
        impl __dm::Projection for #ident {
            const ATTRIBUTES: &'static [&'static str] = &[];
            fn from_projected(_: __dm::Item) -> __dm::Result<Self> {
                #unreachable
            }
        }
    };
    let impls = match (kind, &input.data) {
        (Kind::Model, Data::Struct(_)) => quote! {
            #projection

            #[automatically_derived]
            impl __dm::Model for #ident {
                type Key = __dm::Unparsed;
                const SCHEMA: __dm::Schema = __dm::unparsed_schema(#model);

                fn to_item(&self) -> __dm::Result<__dm::Item> {
                    #unreachable
                }
                fn from_item(_: __dm::Item) -> __dm::Result<Self> {
                    #unreachable
                }
                fn key(&self) -> Self::Key {
                    __dm::Unparsed
                }
                fn key_to_item(_: &Self::Key) -> __dm::Result<__dm::Item> {
                    #unreachable
                }
                fn key_from_item(_: &__dm::Item) -> __dm::Result<Self::Key> {
                    #unreachable
                }
            }

            // Whether the model has a version is unknown: `&item` is let
            // through, so writes add no error of their own.
            #[automatically_derived]
            impl __dm::Unversioned for #ident {}
        },
        (Kind::Model, _) => return Output::default(),
        (Kind::Document, data) => {
            let projection = matches!(data, Data::Struct(_)).then_some(projection);
            quote! {
                #projection

                #[automatically_derived]
                impl __dm::Attribute for #ident {
                    const TYPE_NAME: &'static str = "M";

                    fn to_attribute(&self) -> ::core::result::Result<::core::option::Option<__dm::AttributeValue>, __dm::AttributeError> {
                        #unreachable
                    }
                    fn from_attribute(_: __dm::AttributeValue) -> ::core::result::Result<Self, __dm::AttributeError> {
                        #unreachable
                    }
                }

                #[automatically_derived]
                impl __dm::HasPath for #ident {
                    type Path = __dm::Path<#ident>;
                    type VecPath = __dm::ListPath<#ident>;
                }
            }
        }
    };
    Output {
        types: proc_macro2::TokenStream::new(),
        impls,
    }
}
