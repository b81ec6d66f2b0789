//! Turns the parsed [`Container`](crate::ir::Container) into Rust code. The
//! generated code calls the runtime only through `::dynamo_model::__private`.

pub mod document;
pub mod fields;
mod index;
pub mod model;

use crate::ir::{Container, Field};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// The `__private` function that turns a field into a value.
fn encoder(field: &Field) -> TokenStream {
    if field.serde {
        quote!(__dm::serde_value)
    } else if field.null {
        quote!(__dm::value_or_null)
    } else {
        quote!(__dm::value)
    }
}

/// The `__private` function that reads a field back from a value.
fn decoder(field: &Field) -> TokenStream {
    if field.serde {
        quote!(__dm::from_serde_value)
    } else {
        quote!(__dm::from_value)
    }
}

/// `Self { field: <decoded>, ... }`, calling `decode_with` for stored
/// fields; skipped fields take their default.
fn construct(fields: &[Field], decode_with: impl Fn(&Field) -> TokenStream) -> TokenStream {
    let inits = fields.iter().map(|field| {
        let ident = &field.ident;
        if field.skip {
            let ty = &field.ty;
            quote_spanned!(ty.span()=> #ident: ::core::default::Default::default())
        } else {
            let value = decode_with(field);
            quote!(#ident: #value)
        }
    });
    quote!(Self { #(#inits,)* })
}

/// `Projection`: the attributes the type reads, and how it reads them.
fn projection(container: &Container, from_projected: TokenStream) -> TokenStream {
    let ident = &container.ident;
    let names = container.stored().map(|field| &field.name);
    quote! {
        impl __dm::Projection for #ident {
            const ATTRIBUTES: &'static [&'static str] = &[#(#names),*];

            fn from_projected(item: __dm::Item) -> __dm::Result<Self> {
                #from_projected
            }
        }
    }
}
