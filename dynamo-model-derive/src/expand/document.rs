//! `#[derive(Document)]` on a struct: stored as a map (M) inside an item.
//! The member code here also writes and reads a tagged enum's variants.

use super::{construct, encoded, projection, self_field, type_checks, write_values};
use super::{rules, Output};
use crate::ir::{Container, Field};
use proc_macro2::TokenStream;
use quote::quote;

pub fn expand(container: &Container) -> Output {
    let ident = &container.ident;
    let stored: Vec<_> = container.stored().collect();
    let capacity = stored.len();
    let write = write_members(&stored, self_field, container.validate.as_ref());
    let read = read_members(&container.fields, quote!(Self));
    let type_checks = type_checks(container);
    let model = ident.to_string();
    let projection = projection(container, quote!(__dm::document_from_item(#model, item)));

    Output {
        types: TokenStream::new(),
        impls: quote! {
            #projection
            #type_checks

            #[automatically_derived]
            impl __dm::Attribute for #ident {
                const TYPE_NAME: &'static str = "M";

                fn to_attribute(&self) -> ::core::result::Result<::core::option::Option<__dm::AttributeValue>, __dm::AttributeError> {
                    #[allow(unused_mut)]
                    let mut failures = ::std::vec::Vec::new();
                    let mut map = __dm::Item::with_capacity(#capacity);
                    #write
                    __dm::document_value(map, failures)
                }

                fn from_attribute(value: __dm::AttributeValue) -> ::core::result::Result<Self, __dm::AttributeError> {
                    let map = __dm::document_map(value)?;
                    ::core::result::Result::Ok(#read)
                }
            }
        },
    }
}

/// Statements writing the members `stored` into `map` (an `Item`), with
/// their defaults, transforms and rules (and the struct's rule
/// `validate`); broken rules go to `failures`. `source` gives the place
/// holding a member's value.
pub(crate) fn write_members(
    stored: &[&Field],
    source: impl Fn(&Field) -> TokenStream,
    validate: Option<&syn::Path>,
) -> TokenStream {
    let (prepare, values) = write_values(stored, source);
    let checks = rules::checks(validate, stored, &values);
    let encodes = stored.iter().zip(&values).map(|(field, value)| {
        let (name, encoded) = (&field.name, encoded(field, value));
        quote!(__dm::encode_member(&mut map, &mut failures, #name, #encoded)?;)
    });
    quote! {
        #(#prepare)*
        #checks
        #(#encodes)*
    }
}

/// The expression `ctor { .. }` reading `fields` from the map `map`.
pub(crate) fn read_members(fields: &[Field], ctor: TokenStream) -> TokenStream {
    construct(fields, ctor, quote!(map), |field, slots, reader| {
        let name = &field.name;
        quote!(__attributes.decode_member(#name, #slots, #reader)?)
    })
}
