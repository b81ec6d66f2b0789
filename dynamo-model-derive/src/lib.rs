//! The derives of dynamo-model: `#[derive(Model)]` and `#[derive(Document)]`.
//! Use them through the `dynamo_model` crate, which re-exports them and
//! documents their attributes.
//!
//! Each derive parses its input into a small model ([`ir`]) collecting every
//! error with its span, then expands ([`expand`]). No user input can make the
//! macro panic.

mod case;
mod enums;
mod errors;
mod expand;
mod ir;
mod rules;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `dynamo_model::Model`; see the `dynamo_model` crate docs.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match ir::parse(&input, ir::Kind::Model) {
        Ok(container) => {
            let mut tokens = expand::model::expand(&container);
            tokens.extend(expand::fields::expand(&container, ir::Kind::Model));
            tokens.into()
        }
        Err(error) => error.to_compile_error().into(),
    }
}

/// Derives `dynamo_model::Attribute` for a struct stored as a map (M), or
/// an enum stored as a string or a tagged map;
/// see the `dynamo_model` crate docs.
#[proc_macro_derive(Document, attributes(model))]
pub fn derive_document(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    if let syn::Data::Enum(data) = &input.data {
        return match enums::derive(&input, data) {
            Ok(tokens) => tokens.into(),
            Err(error) => error.to_compile_error().into(),
        };
    }
    match ir::parse(&input, ir::Kind::Document) {
        Ok(container) => {
            let mut tokens = expand::document::expand(&container);
            tokens.extend(expand::fields::expand(&container, ir::Kind::Document));
            tokens.into()
        }
        Err(error) => error.to_compile_error().into(),
    }
}
