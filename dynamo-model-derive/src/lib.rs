//! The derives of dynamo-model. Use them through `dynamo_model`.
use proc_macro::TokenStream;

/// Derives `dynamo_model::Model`.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Derives `dynamo_model::Attribute` for a struct stored as a map.
#[proc_macro_derive(Document, attributes(model))]
pub fn derive_document(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
