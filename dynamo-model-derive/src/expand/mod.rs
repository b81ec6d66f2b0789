//! Turns the parsed input (`ir/`) into Rust code, one file per concern
//! mirroring `ir/`. Generated code reaches the runtime only through
//! `::dynamo_model::__private`, and every impl sits in one block (see
//! [`Output`]).
//!
//! Writing a field runs, in this order: its default (for a missing value,
//! or always with `force_default`), its `set` transform, the validation
//! rules on the result, then encoding and time `storage`. Reading runs the
//! reverse: the primary name then the aliases, `storage`, decoding (the
//! default for a missing value), then the `get` transform. Fields without
//! such rules keep the plain fast path.

pub mod document;
pub mod enums;
pub mod fallback;
pub mod fields;
mod index;
pub mod model;
mod rules;
mod table;

use crate::ir::{Container, DefaultValue, Field, Storage};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

/// What a derive generates: the types users name (outside any block) and
/// the impls, which go in one `const _: () = { ... };` block that imports
/// the runtime's hidden path as `__dm` (serde's "dummy const" shape).
#[derive(Default)]
pub struct Output {
    /// Public types: `{Model}Fields`, `{Model}Key`, index markers and items.
    /// They name the runtime by its full hidden path.
    pub types: TokenStream,
    /// Impls (inherent ones too) and compile-time checks, naming the
    /// runtime as `__dm`.
    pub impls: TokenStream,
}

impl Output {
    pub fn extend(&mut self, other: Output) {
        self.types.extend(other.types);
        self.impls.extend(other.impls);
    }

    /// The types, then every impl in one block.
    pub fn into_tokens(self) -> TokenStream {
        let Output { types, impls } = self;
        quote! {
            #types

            #[doc(hidden)]
            #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
            const _: () = {
                #[allow(unused_imports)]
                use ::dynamo_model::__private as __dm;
                #impls
            };
        }
    }
}

/// The `__private` function that turns a field into a value.
fn encoder(field: &Field) -> TokenStream {
    if field.store.serde {
        quote!(__dm::serde_value)
    } else if field.store.null {
        quote!(__dm::value_or_null)
    } else {
        quote!(__dm::value)
    }
}

/// The `__private` function that reads a field back from a value.
fn decoder(field: &Field) -> TokenStream {
    if field.store.serde {
        quote!(__dm::from_serde_value)
    } else {
        quote!(__dm::from_value)
    }
}

/// The runtime `TimeStorage` of a field, if it is stored as a time.
pub(crate) fn storage(field: &Field) -> Option<TokenStream> {
    let variant = match field.time_storage()? {
        Storage::Millis => quote!(Millis),
        Storage::Seconds => quote!(Seconds),
        Storage::Iso => quote!(Iso),
    };
    Some(quote!(__dm::TimeStorage::#variant))
}

/// The field's default, typed as the field (`Some(..)` for an `Option`);
/// a default of the wrong type is an error at its own tokens.
fn default_value(field: &Field) -> Option<TokenStream> {
    let inner = field.option_inner().unwrap_or(&field.ty);
    let (span, raw) = match field.transforms.default.as_ref()? {
        DefaultValue::Trait(span) => (*span, quote!(::core::default::Default::default())),
        DefaultValue::Expr(syn::Expr::Lit(lit)) if matches!(lit.lit, syn::Lit::Str(_)) => {
            (lit.span(), quote!(::core::convert::Into::into(#lit)))
        }
        DefaultValue::Expr(expr) => (expr.span(), quote!(#expr)),
        DefaultValue::With(path) => (path.span(), quote!(#path())),
    };
    let typed = quote_spanned!(span=> { let value: #inner = #raw; value });
    Some(match field.option_inner() {
        Some(_) => quote!(::core::option::Option::Some(#typed)),
        None => typed,
    })
}

/// A `Written<'_, FieldType>` expression: the value a write stores for the
/// field whose value is the place `source`, after default and `set`.
fn written(field: &Field, source: &TokenStream) -> TokenStream {
    let ty = &field.ty;
    let base = match default_value(field) {
        Some(default) if field.transforms.force_default.is_some() => {
            quote!(__dm::Written::Owned(#default))
        }
        Some(default) if field.option_inner().is_some() => quote! {
            match &#source {
                ::core::option::Option::None => __dm::Written::Owned(#default),
                ::core::option::Option::Some(_) => __dm::Written::Borrowed(&#source),
            }
        },
        _ => quote!(__dm::Written::Borrowed(&#source)),
    };
    let Some(set) = &field.transforms.set else {
        return base;
    };
    let apply = quote_spanned!(set.span()=> #set(value));
    let transformed = match field.option_inner() {
        Some(_) => quote! {
            match (*written).as_ref().map(|value| #apply) {
                ::core::option::Option::Some(value) => {
                    __dm::Written::Owned(::core::option::Option::Some(value))
                }
                ::core::option::Option::None => written,
            }
        },
        None => quote!({
            let value = &*written;
            __dm::Written::Owned(#apply)
        }),
    };
    quote!({
        let written: __dm::Written<'_, #ty> = #base;
        #transformed
    })
}

/// For each field, the statement binding its written value (only for
/// fields with a default or `set`) and the `&FieldType` expression to use;
/// `source` gives the place holding a field's value (`self.name`).
pub(crate) fn write_values(
    fields: &[&Field],
    source: impl Fn(&Field) -> TokenStream,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    fields
        .iter()
        .map(|field| {
            let place = source(field);
            if !field.transforms_writes() {
                return (TokenStream::new(), quote!(&#place));
            }
            let binding = format_ident!("__written_{}", field.ident);
            let value = written(field, &place);
            (quote!(let #binding = #value;), quote!(&*#binding))
        })
        .unzip()
}

/// The place of a struct field's value: `self.name`.
fn self_field(field: &Field) -> TokenStream {
    let ident = &field.ident;
    quote!(self.#ident)
}

/// The field's encoded value (`Encoded`) from `value`, a `&FieldType`.
pub(crate) fn encoded(field: &Field, value: &TokenStream) -> TokenStream {
    let encoder = encoder(field);
    match storage(field) {
        Some(storage) => quote!(__dm::stored_as(#encoder(#value), #storage)),
        None => quote!(#encoder(#value)),
    }
}

/// What reads the field from its value, if present: the plain decoder, or
/// a closure adding storage, default and `get`.
pub(crate) fn reader(field: &Field) -> TokenStream {
    let decoder = decoder(field);
    let default = default_value(field);
    if field.time_storage().is_none() && default.is_none() && field.transforms.get.is_none() {
        return decoder;
    }
    let ty = &field.ty;
    let stored =
        storage(field).map(|storage| quote!(let value = __dm::read_stored(value, #storage)?;));
    let decoded = match default {
        Some(default) => quote! {
            if __dm::is_missing(&value) { #default } else { #decoder(value)? }
        },
        None => quote!(#decoder(value)?),
    };
    let result = match &field.transforms.get {
        None => quote!(decoded),
        Some(get) => {
            let apply = quote_spanned!(get.span()=> #get(value));
            match field.option_inner() {
                Some(_) => quote!(decoded.map(|value| #apply)),
                None => apply_to_decoded(apply),
            }
        }
    };
    quote! {
        |value: ::core::option::Option<__dm::AttributeValue>|
            -> ::core::result::Result<#ty, __dm::AttributeError>
        {
            #stored
            let decoded: #ty = #decoded;
            ::core::result::Result::Ok(#result)
        }
    }
}

/// `get(decoded)`, written with the binding the `get` call names.
fn apply_to_decoded(apply: TokenStream) -> TokenStream {
    quote!({
        let value = decoded;
        #apply
    })
}

/// `ctor { field: <decoded>, ... }` (`Self` or `Self::Variant`): stored
/// fields decoded by `decode_with(field, slots, reader)` in order, key
/// fields last (so that a failure to read another field can name the item
/// by its key, not read yet: see `__private::Attributes::decode`), then the
/// `extra` field takes what is left of the map `rest`; skipped fields take
/// their default.
fn construct(
    fields: &[Field],
    ctor: TokenStream,
    rest: TokenStream,
    decode_with: impl Fn(&Field, TokenStream, TokenStream) -> TokenStream,
) -> TokenStream {
    let binding = |field: &Field| format_ident!("__read_{}", field.ident);
    let (keys, others): (Vec<&Field>, Vec<&Field>) = fields
        .iter()
        .filter(|f| f.store.extra.is_none())
        .partition(|f| f.is_key());
    let order: Vec<&Field> = others.into_iter().chain(keys).collect();
    let read: Vec<&Field> = order.iter().copied().filter(|f| !f.store.skip).collect();
    let extra = fields.iter().find(|f| f.store.extra.is_some());
    let (sort, slots) = sort_attributes(&read, &rest, extra.is_some());
    let mut slots = slots.into_iter();
    let reads = order.iter().map(|field| {
        let name = binding(field);
        let value = if field.store.skip {
            let ty = &field.ty;
            quote_spanned!(ty.span()=> ::core::default::Default::default())
        } else {
            let slots = slots.next().expect("a slot range per field read");
            decode_with(field, slots, reader(field))
        };
        quote!(let #name = #value;)
    });
    // With no field to read there is no sort: the map is all rest.
    let extra = extra.map(|field| {
        let name = binding(field);
        match sort.is_empty() {
            true => quote!(let #name = #rest;),
            false => quote!(let #name = __rest;),
        }
    });
    let inits = fields.iter().map(|field| {
        let (ident, name) = (&field.ident, binding(field));
        quote!(#ident: #name)
    });
    quote!({
        #sort
        #(#reads)*
        #extra
        #ctor { #(#inits,)* }
    })
}

/// The statements moving the attributes the fields `read` (in their read
/// order) out of the map `map` into `__attributes` (see
/// `__private::Attributes`), the others into `__rest` if `keep_rest` (for
/// an `extra` field); and each field's slot range: its name, then its
/// aliases. A name an earlier field already reads gets no slot of its own,
/// as that field takes it first. No field to read, no statement.
pub(crate) fn sort_attributes(
    read: &[&Field],
    map: &TokenStream,
    keep_rest: bool,
) -> (TokenStream, Vec<TokenStream>) {
    let mut names: Vec<String> = Vec::new();
    let slots = read
        .iter()
        .map(|field| {
            let start = names.len();
            let own = std::iter::once(field.name.clone())
                .chain(field.store.aliases.iter().map(syn::LitStr::value));
            for name in own {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let end = names.len();
            quote!(#start..#end)
        })
        .collect();
    if names.is_empty() {
        return (TokenStream::new(), slots);
    }
    let (count, indexes) = (names.len(), 0..names.len());
    let (rest, keep) = match keep_rest {
        true => (
            quote!(let mut __rest = __dm::Item::new();),
            quote!(|name, value| {
                __rest.insert(name, value);
            }),
        ),
        false => (TokenStream::new(), quote!(|_, _| {})),
    };
    let sort = quote! {
        #rest
        let mut __attributes = __dm::Attributes::new(&[#(#names),*]);
        __attributes.sort(
            #map,
            |name: &str| match name {
                #(#names => #indexes,)*
                _ => #count,
            },
            #keep,
        );
    };
    (sort, slots)
}

/// `Projection`: the attributes the type reads (aliases too), and how it
/// reads them.
fn projection(container: &Container, from_projected: TokenStream) -> TokenStream {
    let ident = &container.ident;
    let names = container.stored().flat_map(|field| {
        std::iter::once(field.name.clone())
            .chain(field.store.aliases.iter().map(syn::LitStr::value))
    });
    quote! {
        #[automatically_derived]
        impl __dm::Projection for #ident {
            const ATTRIBUTES: &'static [&'static str] = &[#(#names),*];

            fn from_projected(item: __dm::Item) -> __dm::Result<Self> {
                #from_projected
            }
        }
    }
}

/// Compile-time checks of field types the schema rules need: a time type
/// for `storage`, `ttl` and timestamps, a map for `extra`. Each error
/// points at the field's type.
fn type_checks(container: &Container) -> TokenStream {
    let checks = container.fields.iter().map(|field| {
        let ty = &field.ty;
        let time = field.time_storage().is_some() || field.lifecycle.timestamp.is_some();
        let mut out = TokenStream::new();
        if time {
            out.extend(quote_spanned! {ty.span()=>
                __dm::assert_time_attribute::<#ty>();
            });
        }
        if field.store.extra.is_some() {
            out.extend(quote_spanned! {ty.span()=>
                let _: ::core::marker::PhantomData<__dm::Item> = ::core::marker::PhantomData::<#ty>;
            });
        }
        out
    });
    quote! {
        const _: fn() = || {
            #(#checks)*
        };
    }
}
