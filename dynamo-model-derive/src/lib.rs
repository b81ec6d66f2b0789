//! The derives of dynamo-model: `#[derive(Model)]` and `#[derive(Document)]`.
//! Use them through the `dynamo_model` crate, which re-exports them and
//! documents their attributes.
//!
//! The pipeline, one way: [`attrs`] names every attribute; [`ir`] parses the
//! input into a small model, recording every error with its span; [`expand`]
//! turns that model into code, one file per `ir/` file. When the input has
//! errors, the derive emits them and a stub impl ([`expand::fallback`]), so
//! the user sees the derive's errors and not a cascade at every use of the
//! type. No user input can make the macro panic.

mod attrs;
mod case;
mod errors;
mod expand;
mod ir;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `dynamo_model::Model`; see the `dynamo_model` crate docs.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let output = ir::parse(&input, ir::Kind::Model).map(|container| {
        let mut output = expand::model::expand(&container);
        output.extend(expand::fields::expand(&container, ir::Kind::Model));
        output
    });
    finish(&input, ir::Kind::Model, output)
}

/// Derives `dynamo_model::Attribute` for a struct stored as a map (M), or
/// an enum stored as a string or a tagged map;
/// see the `dynamo_model` crate docs.
#[proc_macro_derive(Document, attributes(model))]
pub fn derive_document(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let output = match &input.data {
        syn::Data::Enum(data) => ir::enums::parse(&input, data).map(|e| expand::enums::expand(&e)),
        _ => ir::parse(&input, ir::Kind::Document).map(|container| {
            let mut output = expand::document::expand(&container);
            output.extend(expand::fields::expand(&container, ir::Kind::Document));
            output
        }),
    };
    finish(&input, ir::Kind::Document, output)
}

/// The generated code, or the errors and a stub impl.
fn finish(input: &DeriveInput, kind: ir::Kind, output: syn::Result<expand::Output>) -> TokenStream {
    match output {
        Ok(output) => output.into_tokens().into(),
        Err(error) => {
            let mut tokens = error.to_compile_error();
            tokens.extend(expand::fallback::stub(input, kind).into_tokens());
            tokens.into()
        }
    }
}
