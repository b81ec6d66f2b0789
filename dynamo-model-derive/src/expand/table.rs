//! The schema's `TableOptions` from the struct's table settings.

use crate::ir::{Container, StreamView, TableClass};
use proc_macro2::TokenStream;
use quote::quote;
use syn::LitInt;

/// The `__dm::TableOptions` constant of the model's schema.
pub fn options(container: &Container) -> TokenStream {
    let options = &container.table_options;
    let none = quote!(::core::option::Option::None);
    let throughput = throughput(&options.throughput);
    let stream = match options.stream {
        Some(view) => {
            let view = match view {
                StreamView::KeysOnly => quote!(KeysOnly),
                StreamView::NewImage => quote!(NewImage),
                StreamView::OldImage => quote!(OldImage),
                StreamView::NewAndOldImages => quote!(NewAndOldImages),
            };
            quote!(::core::option::Option::Some(__dm::StreamView::#view))
        }
        None => none.clone(),
    };
    let table_class = match options.table_class {
        Some(class) => {
            let class = match class {
                TableClass::Standard => quote!(Standard),
                TableClass::StandardInfrequentAccess => quote!(StandardInfrequentAccess),
            };
            quote!(::core::option::Option::Some(__dm::TableClass::#class))
        }
        None => none,
    };
    let deletion_protection = options.deletion_protection.is_some();
    quote! {
        __dm::TableOptions {
            throughput: #throughput,
            stream: #stream,
            table_class: #table_class,
            deletion_protection: #deletion_protection,
        }
    }
}

/// An `Option<__dm::Throughput>` (of the table or a global index).
pub fn throughput(throughput: &Option<(LitInt, LitInt)>) -> TokenStream {
    match throughput {
        Some((read, write)) => {
            quote!(::core::option::Option::Some(__dm::Throughput { read: #read, write: #write }))
        }
        None => quote!(::core::option::Option::None),
    }
}
