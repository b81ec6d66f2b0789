//! Typed field paths: `User::fields()` for models, `AddressFields` for
//! documents, so expressions name attributes through checked Rust fields.
//!
//! Each stored field becomes a public field of the `{Type}Fields` struct whose
//! type is `<FieldType as HasPath>::Path`: a scalar path, a list or map path,
//! or another document's fields struct. `#[model(serde)]` fields get a plain
//! `Path<T>` to the whole value.

use super::Output;
use crate::ir::{Container, Field, Kind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

/// The function a field's path stores its values through, if the field has
/// a `set` transform or a time storage: conditions and updates then use the
/// value a write would store.
pub(crate) fn store(field: &Field) -> Option<TokenStream> {
    let storage = super::storage(field);
    if field.transforms.set.is_none() && storage.is_none() {
        return None;
    }
    let inner = field.option_inner().unwrap_or(&field.ty);
    let set = field.transforms.set.as_ref().map(|set| {
        let apply = quote_spanned!(set.span()=> #set(&decoded));
        quote! {
            let decoded: #inner = __dm::Attribute::from_attribute(value)?;
            let value = __dm::operand(__dm::value(&#apply))?;
        }
    });
    let stored = match storage {
        Some(storage) => quote!(#storage.store(value)),
        None => quote!(::core::result::Result::Ok(value)),
    };
    Some(quote! {
        |value: __dm::AttributeValue| -> __dm::Operand {
            #set
            #stored
        }
    })
}

pub fn expand(container: &Container, kind: Kind) -> Output {
    let ident = &container.ident;
    let vis = &container.vis;
    let fields_ident = format_ident!("{}Fields", ident);
    let stored: Vec<_> = container.stored().collect();
    let definitions = stored.iter().map(|field| {
        let (name, ty) = (&field.ident, &field.ty);
        let doc = format!("Path of attribute `{}`.", field.name);
        // A serde field has no typed structure: a plain path to the whole value.
        let path_ty = if field.store.serde {
            quote!(::dynamo_model::__private::Path<#ty>)
        } else {
            quote!(<#ty as ::dynamo_model::__private::HasPath>::Path)
        };
        quote! {
            #[doc = #doc]
            pub #name: #path_ty
        }
    });
    let inits = |parent: TokenStream| {
        stored
            .iter()
            .map(move |field| {
                let (name, stored_name) = (&field.ident, &field.name);
                let path = match &parent {
                    p if p.is_empty() => quote!(__dm::AttributePath::root(#stored_name)),
                    p => quote!(#p.child(#stored_name)),
                };
                match store(field) {
                    Some(store) => {
                        let ty = &field.ty;
                        let call = quote_spanned!(ty.span()=> __dm::StoredPath::stored_with);
                        quote!(#name: #call(#path, #store))
                    }
                    None => quote!(#name: __dm::FromPath::from_path(#path)),
                }
            })
            .collect::<Vec<_>>()
    };
    let doc = format!(
        "Typed paths of the attributes of [`{ident}`], for conditions, updates and projections."
    );

    // A document's paths also lead to the document itself.
    let (path_doc, path_member) = match kind {
        Kind::Model => (None, None),
        Kind::Document => (
            Some(quote!(#[doc = ""] #[doc = "Dereferences to the path of the document itself."])),
            Some(quote!(#[doc(hidden)] pub __path: ::dynamo_model::__private::Path<#ident>,)),
        ),
    };
    let types = quote! {
        #[doc = #doc]
        #path_doc
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        #vis struct #fields_ident {
            #(#definitions,)*
            #path_member
        }
    };

    match kind {
        Kind::Model => {
            let inits = inits(TokenStream::new());
            let fn_doc = format!(
                "Typed paths of every attribute of `{ident}`: `{ident}::fields().<field>`."
            );
            Output {
                types,
                impls: quote! {
                    #[automatically_derived]
                    impl #ident {
                        #[doc = #fn_doc]
                        #vis fn fields() -> #fields_ident {
                            #fields_ident { #(#inits,)* }
                        }
                    }
                },
            }
        }
        Kind::Document => {
            let inits = inits(quote!(path));
            Output {
                types,
                impls: quote! {
                    #[automatically_derived]
                    impl __dm::HasPath for #ident {
                        type Path = #fields_ident;
                        type VecPath = __dm::ListPath<#ident>;
                    }

                    #[automatically_derived]
                    impl __dm::FromPath for #fields_ident {
                        fn from_path(path: __dm::AttributePath) -> Self {
                            #fields_ident {
                                #(#inits,)*
                                __path: __dm::FromPath::from_path(path),
                            }
                        }
                    }

                    #[automatically_derived]
                    impl __dm::TypedPath for #fields_ident {
                        type Value = #ident;

                        fn attribute_path(&self) -> &__dm::AttributePath {
                            self.__path.attribute_path()
                        }
                    }

                    #[automatically_derived]
                    impl ::core::ops::Deref for #fields_ident {
                        type Target = __dm::Path<#ident>;

                        fn deref(&self) -> &Self::Target {
                            &self.__path
                        }
                    }
                },
            }
        }
    }
}
