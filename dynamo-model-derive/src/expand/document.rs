//! `#[derive(Document)]`: a struct stored as a map (M) inside an item.

use super::{aliases, construct, encoded, projection, self_field, type_checks, write_values};
use crate::ir::Container;
use proc_macro2::TokenStream;
use quote::quote;

pub fn expand(container: &Container) -> TokenStream {
    let ident = &container.ident;
    let stored: Vec<_> = container.stored().collect();
    let capacity = stored.len();
    let (prepare, values) = write_values(&stored, self_field);
    let encodes = stored.iter().zip(&values).map(|(field, value)| {
        let (name, encoded) = (&field.name, encoded(field, value));
        quote!(__dm::encode_member(&mut map, &mut failures, #name, #encoded)?;)
    });
    let decode = construct(&container.fields, quote!(map), |field, reader| {
        let (name, aliases) = (&field.name, aliases(field));
        quote!(__dm::decode_member(&mut map, #name, #aliases, #reader)?)
    });
    let type_checks = type_checks(container);
    let checks = crate::rules::checks(container.validate.as_ref(), &stored, &values);

    let model = ident.to_string();
    let projection = projection(container, quote!(__dm::document_from_item(#model, item)));

    quote! {
        const _: () = {
            use ::dynamo_model::__private as __dm;

            #projection
            #type_checks

            impl __dm::Attribute for #ident {
                const TYPE_NAME: &'static str = "M";

                fn to_attribute(&self) -> ::core::result::Result<::core::option::Option<__dm::AttributeValue>, __dm::AttributeError> {
                    #(#prepare)*
                    #[allow(unused_mut)]
                    let mut failures = ::std::vec::Vec::new();
                    #checks
                    let mut map = __dm::Item::with_capacity(#capacity);
                    #(#encodes)*
                    __dm::document_value(map, failures)
                }

                fn from_attribute(value: __dm::AttributeValue) -> ::core::result::Result<Self, __dm::AttributeError> {
                    let mut map = __dm::document_map(value)?;
                    ::core::result::Result::Ok(#decode)
                }
            }
        };
    }
}
