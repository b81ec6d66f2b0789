//! `#[derive(Model)]`: the `Model` impl (schema, item conversion, key) and,
//! for composite keys, the `{Model}Key` struct.

use super::{
    construct, encoded, index, projection, reader, rules, self_field, storage, type_checks,
    write_values, Output,
};
use crate::ir::{Container, Field, Timestamp};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

pub fn expand(container: &Container) -> Output {
    let Some(hash) = container.hash_key() else {
        return Output::default();
    };
    let range = container.range_key();
    let ident = &container.ident;
    let model = ident.to_string();
    let table = &container.table;

    let key_schema = |field: &Field| {
        let ty = &field.ty;
        index::key_schema_of(field, &quote!(#ty))
    };
    let hash_schema = key_schema(hash);
    let range_schema = match range {
        Some(range) => {
            let schema = key_schema(range);
            quote!(::core::option::Option::Some(#schema))
        }
        None => quote!(::core::option::Option::None),
    };
    let attributes = container.stored().map(|field| {
        let (name, ty) = (&field.name, &field.ty);
        let field_name = field.ident.to_string();
        let type_name = if field.store.serde {
            quote!("serde")
        } else {
            quote_spanned!(ty.span()=> <#ty as __dm::Attribute>::TYPE_NAME)
        };
        let aliases = &field.store.aliases;
        quote!(__dm::AttributeSchema {
            name: #name,
            field: #field_name,
            type_name: #type_name,
            aliases: &[#(#aliases),*],
        })
    });

    let (version, versioning) = match container.version() {
        Some(field) => {
            let (name, ty, member) = (&field.name, &field.ty, &field.ident);
            // Spanned on the type: a non-integer version points at it (the
            // one place the field's type must be a `Version`).
            let count = quote_spanned! {ty.span()=>
                __dm::version_from_count::<#ty>(#model, #name, version)
            };
            let set = quote! {
                fn __set_version(&mut self, version: u64) -> __dm::Result<()> {
                    self.#member = #count?;
                    ::core::result::Result::Ok(())
                }
            };
            (quote!(::core::option::Option::Some(#name)), set)
        }
        None => (quote!(::core::option::Option::None), quote!()),
    };
    let unversioned = container
        .version()
        .is_none()
        .then(|| quote!(#[automatically_derived] impl __dm::Unversioned for #ident {}));

    let stored: Vec<_> = container.stored().collect();
    let capacity = stored.len();
    let (prepare, values) = write_values(&stored, self_field);
    let encodes = stored.iter().zip(&values).map(|(field, value)| {
        let (name, encoded) = (&field.name, encoded(field, value));
        if field.is_key() && field.transforms.set.is_none() && field.time_storage().is_none() {
            quote!(__dm::encode_key(&mut item, #model, #name, #value)?;)
        } else if field.is_key() {
            quote!(__dm::encode_key_value(&mut item, #model, #name, #encoded)?;)
        } else if !field.keys.indexes.is_empty() {
            quote!(__dm::encode_index_key(&mut item, #model, #name, #encoded)?;)
        } else {
            quote!(__dm::encode(&mut item, &mut failures, #model, #name, #encoded)?;)
        }
    });
    let checks = rules::checks(container.validate.as_ref(), &stored, &values);
    let extra = container.extra().map(|field| {
        let (ident, ty) = (&field.ident, &field.ty);
        quote_spanned!(ty.span()=> __dm::encode_extra(&mut item, &self.#ident);)
    });
    let decode = construct(
        &container.fields,
        quote!(Self),
        quote!(item),
        |field, slots, reader| {
            let name = &field.name;
            quote!(__attributes.decode::<Self, _>(#name, #slots, #reader)?)
        },
    );
    let forced = forced_defaults(container);
    let Lifecycle {
        created_at,
        updated_at,
        ttl,
    } = Lifecycle::new(container);
    let hide_expired = container.hide_expired.is_some();
    // Spanned at `hooks`, so a missing `impl Hooks` points there.
    let hooks = container.hooks.map(|span| {
        quote::quote_spanned! {span=>
            const __HOOKS: ::core::option::Option<&'static __dm::HookSet> =
                ::core::option::Option::Some(&__dm::HookSet::of::<Self>());
        }
    });
    let table_options = super::table::options(container);
    let type_checks = type_checks(container);

    let validate_value = rules::expand_validate_value(container);
    let indexes = index::schemas(container);
    let table_index = index::table(container, hash, range);
    let secondary_indexes = index::expand(container);
    let key = KeyCode::new(container, hash, range);
    let KeyCode {
        ty: key_ty,
        definition: key_definition,
        of_self: key_of_self,
        to_item: key_to_item,
        from_item: key_from_item,
    } = &key;

    let projection = projection(container, quote!(<Self as __dm::Model>::from_item(item)));

    let mut output = Output {
        types: key_definition.clone(),
        impls: quote! {
            #projection
            #type_checks

            #[automatically_derived]
            impl __dm::Model for #ident {
                type Key = #key_ty;

                const SCHEMA: __dm::Schema = __dm::Schema {
                    model: #model,
                    table: #table,
                    hash_key: #hash_schema,
                    range_key: #range_schema,
                    attributes: &[#(#attributes),*],
                    indexes: #indexes,
                    version: #version,
                    created_at: #created_at,
                    updated_at: #updated_at,
                    ttl: #ttl,
                    hide_expired: #hide_expired,
                    table_options: #table_options,
                };

                #hooks

                fn to_item(&self) -> __dm::Result<__dm::Item> {
                    #(#prepare)*
                    #[allow(unused_mut)]
                    let mut failures = ::std::vec::Vec::new();
                    #checks
                    let mut item = __dm::Item::with_capacity(#capacity);
                    #extra
                    #(#encodes)*
                    __dm::rules::finish(#model, failures)?;
                    ::core::result::Result::Ok(item)
                }

                fn from_item(item: __dm::Item) -> __dm::Result<Self> {
                    ::core::result::Result::Ok(#decode)
                }

                fn __forced_defaults(
                    set: &mut dyn ::core::ops::FnMut(&'static str, __dm::Operand),
                ) {
                    let _ = &set;
                    #(#forced)*
                }

                fn key(&self) -> Self::Key {
                    #key_of_self
                }

                #versioning

                #validate_value

                fn key_to_item(key: &Self::Key) -> __dm::Result<__dm::Item> {
                    let mut item = __dm::Item::with_capacity(2);
                    #key_to_item
                    ::core::result::Result::Ok(item)
                }

                fn key_from_item(item: &__dm::Item) -> __dm::Result<Self::Key> {
                    ::core::result::Result::Ok(#key_from_item)
                }
            }

            #unversioned
            #table_index
        },
    };
    output.extend(secondary_indexes);
    output
}

/// The statements of `Model::__forced_defaults`: each `force_default`
/// field's default, transformed and encoded as a write stores it.
fn forced_defaults(container: &Container) -> Vec<TokenStream> {
    container
        .stored()
        .filter(|f| f.transforms.force_default.is_some())
        .map(|field| {
            let name = &field.name;
            // A forced value never reads the struct, so there is no source.
            let value = super::written(field, &quote!(()));
            let encoded = encoded(field, &quote!(&*written));
            quote! {
                let written = #value;
                set(#name, __dm::operand(#encoded));
            }
        })
        .collect()
}

/// The schema entries of the attributes the writes and reads manage:
/// `created_at`, `updated_at` and the TTL.
struct Lifecycle {
    created_at: TokenStream,
    updated_at: TokenStream,
    ttl: TokenStream,
}

impl Lifecycle {
    fn new(container: &Container) -> Self {
        let none = quote!(::core::option::Option::None);
        let timestamp = |which| match container.timestamp(which) {
            Some(field) => {
                let name = &field.name;
                let storage = storage(field).unwrap_or_else(|| quote!(__dm::TimeStorage::Millis));
                quote!(::core::option::Option::Some(__dm::Timestamp { name: #name, storage: #storage }))
            }
            None => none.clone(),
        };
        let ttl = match container.ttl() {
            Some(field) => {
                let name = &field.name;
                quote!(::core::option::Option::Some(#name))
            }
            None => none.clone(),
        };
        Self {
            created_at: timestamp(Timestamp::CreatedAt),
            updated_at: timestamp(Timestamp::UpdatedAt),
            ttl,
        }
    }
}

/// The statement of `Model::key_to_item` storing key `field`, whose value
/// is the `&T` expression `source`, with its `set` transform and storage.
fn encode_key(model: &str, field: &Field, source: TokenStream) -> TokenStream {
    let name = &field.name;
    if field.transforms.set.is_none() && field.time_storage().is_none() {
        return quote!(__dm::encode_key(&mut item, #model, #name, #source)?;);
    }
    let value = match &field.transforms.set {
        Some(set) => quote_spanned!(set.span()=> &#set(#source)),
        None => source,
    };
    let encoded = encoded(field, &value);
    quote!(__dm::encode_key_value(&mut item, #model, #name, #encoded)?;)
}

/// The expression of `Model::key_from_item` reading key `field` from
/// `item` by its stored name, decoded as `from_item` decodes it.
fn decode_key(field: &Field) -> TokenStream {
    let (name, reader) = (&field.name, reader(field));
    quote!(__dm::decode_key::<Self, _>(item, #name, #reader)?)
}

/// The key type and the code that moves between it, the model and an item.
struct KeyCode {
    ty: TokenStream,
    /// The `{Model}Key` struct and its conversions (composite keys only).
    definition: TokenStream,
    /// Body of `Model::key`.
    of_self: TokenStream,
    /// Statements of `Model::key_to_item` encoding `key` into `item`.
    to_item: TokenStream,
    /// Body of `Model::key_from_item`: the key, read from `item`.
    from_item: TokenStream,
}

impl KeyCode {
    fn new(container: &Container, hash: &Field, range: Option<&Field>) -> Self {
        let model = container.ident.to_string();
        let Some(range) = range else {
            let (ty, ident) = (&hash.ty, &hash.ident);
            return Self {
                ty: quote!(#ty),
                definition: TokenStream::new(),
                of_self: quote!(::core::clone::Clone::clone(&self.#ident)),
                to_item: encode_key(&model, hash, quote!(key)),
                from_item: decode_key(hash),
            };
        };

        let vis = &container.vis;
        let key_ident = format_ident!("{}Key", container.ident);
        let (hash_ident, hash_ty, hash_name) = (&hash.ident, &hash.ty, &hash.name);
        let (range_ident, range_ty, range_name) = (&range.ident, &range.ty, &range.name);
        let doc = format!(
            "The primary key of [`{model}`]: hash key `{hash_name}`, range key `{range_name}`. \
             Converts from a pair `(hash, range)`."
        );
        // A number key takes its own type, so an integer literal in the
        // pair gets that type (`("c1", 7)`); other keys take anything that
        // converts (`&str` for `String`).
        let mut pair_params = Vec::new();
        let mut pair_bounds = Vec::new();
        let mut pair_type = |param: &str, ty: &syn::Type| {
            if is_number(ty) {
                return quote!(#ty);
            }
            let param = format_ident!("{}", param);
            pair_bounds.push(quote!(#param: ::core::convert::Into<#ty>,));
            pair_params.push(param.clone());
            quote!(#param)
        };
        let pair_hash = pair_type("H", hash_ty);
        let pair_range = pair_type("R", range_ty);
        let hash_doc = format!("The hash key, stored as `{hash_name}`.");
        let range_doc = format!("The range key, stored as `{range_name}`.");
        Self {
            ty: quote!(#key_ident),
            definition: quote! {
                #[doc = #doc]
                #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
                #vis struct #key_ident {
                    #[doc = #hash_doc]
                    pub #hash_ident: #hash_ty,
                    #[doc = #range_doc]
                    pub #range_ident: #range_ty,
                }

                #[automatically_derived]
                impl<#(#pair_params),*> ::core::convert::From<(#pair_hash, #pair_range)> for #key_ident
                where
                    #(#pair_bounds)*
                {
                    fn from((hash, range): (#pair_hash, #pair_range)) -> Self {
                        Self {
                            #hash_ident: ::core::convert::Into::into(hash),
                            #range_ident: ::core::convert::Into::into(range),
                        }
                    }
                }
            },
            of_self: quote! {
                #key_ident {
                    #hash_ident: ::core::clone::Clone::clone(&self.#hash_ident),
                    #range_ident: ::core::clone::Clone::clone(&self.#range_ident),
                }
            },
            to_item: {
                let hash = encode_key(&model, hash, quote!(&key.#hash_ident));
                let range = encode_key(&model, range, quote!(&key.#range_ident));
                quote!(#hash #range)
            },
            from_item: {
                let (hash, range) = (decode_key(hash), decode_key(range));
                quote!(#key_ident { #hash_ident: #hash, #range_ident: #range })
            },
        }
    }
}

/// Whether `ty` is a Rust number type, by name.
fn is_number(ty: &syn::Type) -> bool {
    const NUMBERS: [&str; 14] = [
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        "f32", "f64",
    ];
    matches!(ty, syn::Type::Path(path) if path.qself.is_none()
        && path.path.get_ident().is_some_and(|ident| NUMBERS.iter().any(|n| ident == n)))
}
