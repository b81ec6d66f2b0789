//! What query and scan need from a model: the `Index` impls of the table
//! itself and of each secondary index, the schema entries of the indexes, a
//! marker type and query method per index, and, for an index that does not
//! project every attribute, the struct its items decode into.

use super::{decoder, reader, sort_attributes, storage, Output};
use crate::ir::{Container, Field, Index, IndexKind, Projection};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

/// `fn store_hash` / `fn store_range` of an `Index` impl whose key field has
/// a `set` transform or a time storage.
fn store_fn(method: &str, field: &Field) -> Option<TokenStream> {
    let store = super::fields::store(field)?;
    let method = format_ident!("{method}");
    Some(quote! {
        fn #method(value: __dm::Operand) -> __dm::Operand {
            let store: fn(__dm::AttributeValue) -> __dm::Operand = #store;
            value.and_then(store)
        }
    })
}

/// The `Index` impls of the table (the model itself reads its primary key).
pub fn table(container: &Container, hash: &Field, range: Option<&Field>) -> TokenStream {
    let ident = &container.ident;
    let hash_ty = &hash.ty;
    let store_hash = store_fn("store_hash", hash);
    let range_impl = range.map(|range| {
        let ty = &range.ty;
        let store_range = store_fn("store_range", range);
        quote! {
            #[automatically_derived]
            impl __dm::RangeIndex for #ident {
                type Range = #ty;
                #store_range
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl __dm::Index for #ident {
            type Model = Self;
            type Hash = #hash_ty;
            type Item = Self;
            const INDEX: ::core::option::Option<&'static __dm::IndexSchema> = ::core::option::Option::None;

            fn from_index_item(item: __dm::Item) -> __dm::Result<Self> {
                <Self as __dm::Model>::from_item(item)
            }
            #store_hash
        }
        #range_impl
        #[automatically_derived]
        impl __dm::ConsistentIndex for #ident {}
    }
}

/// The `IndexSchema` entries of `Model::SCHEMA.indexes`.
pub fn schemas(container: &Container) -> TokenStream {
    let entries = container.indexes.iter().map(|index| {
        let name = &index.name;
        let kind = match index.kind {
            IndexKind::Global => quote!(__dm::IndexKind::Global),
            IndexKind::Local => quote!(__dm::IndexKind::Local),
        };
        let hash = key_schema(&container.fields[index.hash]);
        let range = match index.range {
            Some(range) => {
                let schema = key_schema(&container.fields[range]);
                quote!(::core::option::Option::Some(#schema))
            }
            None => quote!(::core::option::Option::None),
        };
        let projection = match &index.projection {
            Projection::All => quote!(__dm::IndexProjection::All),
            Projection::KeysOnly => quote!(__dm::IndexProjection::KeysOnly),
            Projection::Include(fields) => {
                let names = fields.iter().map(|&f| &container.fields[f].name);
                quote!(__dm::IndexProjection::Include(&[#(#names),*]))
            }
        };
        let throughput = super::table::throughput(&index.throughput);
        quote! {
            __dm::IndexSchema {
                name: #name,
                kind: #kind,
                hash_key: #hash,
                range_key: #range,
                projection: #projection,
                throughput: #throughput,
            }
        }
    });
    quote!(&[#(#entries),*])
}

/// An index key's schema; a sparse (`Option`) key is stored as its inner type.
fn key_schema(field: &Field) -> TokenStream {
    key_schema_of(field, &index_key_type(field))
}

/// The schema of key `field` whose key type is `ty`; a time stored as an
/// ISO string is a string key. Spanned on the type, so a non-scalar key
/// points at it.
pub fn key_schema_of(field: &Field, ty: &TokenStream) -> TokenStream {
    let name = &field.name;
    let mut scalar = quote_spanned!(field.ty.span()=> <#ty as __dm::KeyAttribute>::SCALAR);
    if field.time_storage() == Some(crate::ir::Storage::Iso) {
        scalar = quote!({ #scalar; __dm::ScalarType::String });
    }
    quote!(__dm::KeySchema { name: #name, scalar: #scalar })
}

/// The type an index stores a key field as: the field's type, or for a
/// sparse `Option` key its inner type. Spanned on the field's type, so a
/// type that cannot be an index key is one error there.
fn index_key_type(field: &Field) -> TokenStream {
    let ty = &field.ty;
    quote_spanned!(ty.span()=> <#ty as ::dynamo_model::__private::IndexKey>::Value)
}

/// Marker types, `Index` impls, item structs and query methods of the
/// secondary indexes.
pub fn expand(container: &Container) -> Output {
    let ident = &container.ident;
    let vis = &container.vis;
    let mut output = Output::default();
    if container.indexes.is_empty() {
        return output;
    }
    for (position, index) in container.indexes.iter().enumerate() {
        output.extend(secondary(container, position, index));
    }
    let methods = container.indexes.iter().map(|index| {
        let method = format_ident!("{}", index.snake);
        let marker = marker(container, index);
        let doc = format!(
            "Queries (or scans) {} index `{}`: `{ident}::{method}(&client).hash(..)`.",
            kind_word(index.kind),
            index.name
        );
        quote! {
            #[doc = #doc]
            #vis fn #method(client: &__dm::Client) -> __dm::QueryStart<'_, #marker> {
                __dm::QueryStart::new(client)
            }
        }
    });
    let probes = container
        .indexes
        .iter()
        .map(|index| shadow_probe(ident, index));
    output.impls.extend(quote! {
        #[automatically_derived]
        impl #ident {
            #(#methods)*
        }
        #(#probes)*
    });
    output
}

/// A compile error, at the index's name, if its query method would hide a
/// method of `Model` (or a trait `Model` builds on): the method is inherent
/// on the model, so `User::validate` would silently stop meaning
/// `Model::validate`. The compiler finds the clash itself (a path through
/// two traits with the same method is ambiguous), so no list of the trait's
/// methods is kept by hand.
fn shadow_probe(model: &syn::Ident, index: &Index) -> TokenStream {
    // Spanned on the index name, where the compiler reports the clash.
    let method = syn::Ident::new(&index.snake, index.name_span);
    let probe = format_ident!(
        "index_{}_would_hide_the_Model_method_of_that_name_rename_the_index",
        index.snake
    );
    quote! {
        #[allow(non_camel_case_types, dead_code)]
        trait #probe {
            fn #method() {}
        }
        impl #probe for #model {}
        #[allow(dead_code)]
        fn #method<T: __dm::Model + #probe>() {
            let _ = T::#method;
        }
    }
}

fn kind_word(kind: IndexKind) -> &'static str {
    match kind {
        IndexKind::Global => "global",
        IndexKind::Local => "local",
    }
}

fn marker(container: &Container, index: &Index) -> syn::Ident {
    let pascal = index.pascal.strip_suffix("Index").unwrap_or(&index.pascal);
    format_ident!("{}{}Index", container.ident, pascal)
}

fn secondary(container: &Container, position: usize, index: &Index) -> Output {
    let ident = &container.ident;
    let vis = &container.vis;
    let model = ident.to_string();
    let marker = marker(container, index);
    let fields = &container.fields;
    let hash_ty = index_key_type(&fields[index.hash]);
    let name = &index.name;
    let kind = kind_word(index.kind);

    let (item_ty, item_definition, decode) = match &index.projection {
        Projection::All => (
            quote!(#ident),
            TokenStream::new(),
            quote!(<#ident as __dm::Model>::from_item(item)),
        ),
        projection => {
            let item_ident = format_ident!(
                "{}Item",
                marker.to_string().strip_suffix("Index").unwrap_or_default()
            );
            let (definition, decode) = item_struct(container, index, projection, &item_ident);
            (quote!(#item_ident), definition, decode)
        }
    };
    let store_hash = store_fn("store_hash", &fields[index.hash]);
    let range_impl = index.range.map(|range| {
        let ty = index_key_type(&fields[range]);
        let store_range = store_fn("store_range", &fields[range]);
        quote! {
            #[automatically_derived]
            impl __dm::RangeIndex for #marker {
                type Range = #ty;
                #store_range
            }
        }
    });
    let consistent_impl = (index.kind == IndexKind::Local).then(|| {
        quote! {
            #[automatically_derived]
            impl __dm::ConsistentIndex for #marker {}
        }
    });
    let doc = format!(
        "The {kind} index `{name}` of [`{model}`], for typed queries and scans: `{model}::{}(&client)`.",
        index.snake
    );
    Output {
        types: quote! {
            #[doc = #doc]
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
            #vis struct #marker;

            #item_definition
        },
        impls: quote! {
            #[automatically_derived]
            impl __dm::Index for #marker {
                type Model = #ident;
                type Hash = #hash_ty;
                type Item = #item_ty;
                const INDEX: ::core::option::Option<&'static __dm::IndexSchema> =
                    ::core::option::Option::Some(&<#ident as __dm::Model>::SCHEMA.indexes[#position]);

                fn from_index_item(item: __dm::Item) -> __dm::Result<Self::Item> {
                    #decode
                }
                #store_hash
            }
            #range_impl
            #consistent_impl
        },
    }
}

/// The struct a KEYS_ONLY or INCLUDE index's items decode into: the table's
/// keys, the index's keys (never absent in the index, so an `Option` key is
/// its inner type) and the included fields, in the model's field order.
fn item_struct(
    container: &Container,
    index: &Index,
    projection: &Projection,
    item_ident: &syn::Ident,
) -> (TokenStream, TokenStream) {
    let (model_ident, model) = (&container.ident, container.ident.to_string());
    let vis = &container.vis;
    let included: &[usize] = match projection {
        Projection::Include(fields) => fields,
        _ => &[],
    };
    let index_keys = [Some(index.hash), index.range];
    let members: Vec<(&Field, bool)> = container
        .fields
        .iter()
        .enumerate()
        .filter_map(|(position, field)| {
            let index_key = index_keys.contains(&Some(position));
            (field.is_key() || index_key || included.contains(&position))
                .then_some((field, index_key))
        })
        .collect();
    let definitions = members.iter().map(|(field, index_key)| {
        let (ident, ty, name) = (&field.ident, &field.ty, &field.name);
        let ty = if *index_key {
            index_key_type(field)
        } else {
            quote!(#ty)
        };
        let doc = format!("Attribute `{name}`.");
        quote! {
            #[doc = #doc]
            pub #ident: #ty
        }
    });
    // The table's keys are read last, so a failure to read another
    // attribute can name the item by them (see `__private::Attributes`).
    let mut read_order = members.clone();
    read_order.sort_by_key(|(field, _)| field.is_key());
    let read: Vec<&Field> = read_order.iter().map(|(field, _)| *field).collect();
    let (sort, slots) = sort_attributes(&read, &quote!(item), false);
    let inits = read_order
        .iter()
        .zip(slots)
        .map(|((field, index_key), slots)| {
            let (ident, name) = (&field.ident, &field.name);
            // An index key is read as its inner type (never absent in the index).
            let read = match (index_key, storage(field)) {
                (false, _) => reader(field),
                (true, None) => decoder(field),
                (true, Some(storage)) => quote! {
                    |value| __dm::from_value(__dm::read_stored(value, #storage)?)
                },
            };
            quote!(#ident: __attributes.decode::<#model_ident, _>(#name, #slots, #read)?)
        });
    let what = match projection {
        Projection::KeysOnly => "its keys",
        _ => "its keys and included attributes",
    };
    let doc = format!(
        "An item of index `{}` of [`{model}`], which holds {what} only.",
        index.name
    );
    (
        quote! {
            #[doc = #doc]
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
            #vis struct #item_ident {
                #(#definitions,)*
            }
        },
        quote! {
            #sort
            ::core::result::Result::Ok(#item_ident { #(#inits,)* })
        },
    )
}
