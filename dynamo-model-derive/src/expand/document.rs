//! `#[derive(Document)]`: a struct stored as a map (M) inside an item.

use super::{construct, decoder, encoder, projection};
use crate::ir::Container;
use proc_macro2::TokenStream;
use quote::quote;

pub fn expand(container: &Container) -> TokenStream {
    let ident = &container.ident;
    let stored: Vec<_> = container.stored().collect();
    let capacity = stored.len();
    let encodes = stored.iter().map(|field| {
        let (ident, name, encoder) = (&field.ident, &field.name, encoder(field));
        quote!(__dm::encode_member(&mut map, #name, #encoder(&self.#ident))?;)
    });
    let decode = construct(&container.fields, |field| {
        let (name, decoder) = (&field.name, decoder(field));
        quote!(__dm::decode_member(&mut map, #name, #decoder)?)
    });

    let model = ident.to_string();
    let projection = projection(container, quote!(__dm::document_from_item(#model, item)));

    quote! {
        const _: () = {
            use ::dynamo_model::__private as __dm;

            #projection

            impl __dm::Attribute for #ident {
                const TYPE_NAME: &'static str = "M";

                fn to_attribute(&self) -> ::core::result::Result<::core::option::Option<__dm::AttributeValue>, __dm::AttributeError> {
                    let mut map = __dm::Item::with_capacity(#capacity);
                    #(#encodes)*
                    ::core::result::Result::Ok(::core::option::Option::Some(__dm::AttributeValue::M(map)))
                }

                fn from_attribute(value: __dm::AttributeValue) -> ::core::result::Result<Self, __dm::AttributeError> {
                    let mut map = __dm::document_map(value)?;
                    ::core::result::Result::Ok(#decode)
                }
            }
        };
    }
}
