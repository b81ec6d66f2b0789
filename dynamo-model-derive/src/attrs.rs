//! The one table of `#[model(...)]` attribute names, per place they go.
//!
//! Each row names an attribute, how it is written (for the "unknown
//! attribute" message) and, where the attribute makes no sense on a
//! `#[derive(Document)]`, the message saying so. The parsers in `ir/` match
//! these enums exhaustively, so a new row that no parser handles does not
//! compile, and a test checks that the crate docs mention every row.
//!
//! Adding an attribute: a row here, its parse in `ir/`, its code in
//! `expand/`, and a line in the `dynamo_model` crate docs.

use syn::meta::ParseNestedMeta;

/// The attributes of one place (a struct, a field, an index, ...).
pub trait Attr: Copy + PartialEq + 'static {
    /// What the "unknown ..." message calls them.
    const WHAT: &'static str;
    /// Every attribute of this place, in table order.
    const ALL: &'static [Self];

    /// The attribute's name, as written in `#[model(...)]`.
    fn name(self) -> &'static str;

    /// How the attribute is written.
    fn syntax(self) -> &'static str;

    /// Why the attribute cannot go on a document, if it cannot.
    fn on_document(self) -> Option<&'static str>;

    /// The attribute `meta` names, or the error listing them all.
    fn of(meta: &ParseNestedMeta) -> syn::Result<Self> {
        let found = meta
            .path
            .get_ident()
            .and_then(|ident| Self::ALL.iter().copied().find(|attr| ident == attr.name()));
        found.ok_or_else(|| {
            let expected: Vec<&str> = Self::ALL.iter().map(|a| a.syntax()).collect();
            meta.error(format!(
                "unknown {} `{}`; expected one of {}",
                Self::WHAT,
                path_name(meta),
                expected.join(", ")
            ))
        })
    }
}

/// Declares an enum of attribute names with its table.
macro_rules! attributes {
    (
        $(#[$doc:meta])*
        $name:ident ($what:literal) {
            $( $variant:ident = $text:literal : $syntax:literal $(, document: $document:literal)? ; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $name {
            $( $variant, )*
        }

        impl Attr for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$( Self::$variant, )*];

            fn name(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                }
            }

            fn syntax(self) -> &'static str {
                match self {
                    $( Self::$variant => $syntax, )*
                }
            }

            fn on_document(self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => None $( .or(Some($document)) )?, )*
                }
            }
        }
    };
}

attributes! {
    /// On the struct deriving `Model` or `Document`.
    StructAttr("model attribute") {
        Table = "table": "`table = \"...\"`",
            document: "`table` applies to #[derive(Model)] only; a document is stored inside an item";
        RenameAll = "rename_all": "`rename_all = \"...\"`";
        Validate = "validate": "`validate = path`";
        HideExpired = "hide_expired": "`hide_expired`",
            document: "hiding expired items belongs on the model, not a document";
        Hooks = "hooks": "`hooks`",
            document: "hooks belong on the model, which runs them on every item it writes and reads";
        Throughput = "throughput": "`throughput(read = N, write = N)`",
            document: "throughput belongs to the model's table, not a document";
        Stream = "stream": "`stream = \"...\"`",
            document: "a stream belongs to the model's table, not a document";
        TableClass = "table_class": "`table_class = \"...\"`",
            document: "a table class belongs to the model's table, not a document";
        DeletionProtection = "deletion_protection": "`deletion_protection`",
            document: "deletion protection belongs to the model's table, not a document";
    }
}

attributes! {
    /// On a field of a model, a document or an enum variant.
    FieldAttr("model attribute") {
        HashKey = "hash_key": "`hash_key`",
            document: "a document has no keys; put keys on the model";
        RangeKey = "range_key": "`range_key`",
            document: "a document has no keys; put keys on the model";
        Rename = "rename": "`rename = \"...\"`";
        Alias = "alias": "`alias = \"...\"`";
        Skip = "skip": "`skip`";
        Serde = "serde": "`serde`";
        Null = "null": "`null`";
        Version = "version": "`version`",
            document: "a version number belongs on the model, not a document";
        Validate = "validate": "`validate(...)`";
        Default = "default": "`default`, `default = expr`";
        DefaultWith = "default_with": "`default_with = path`";
        ForceDefault = "force_default": "`force_default`";
        Set = "set": "`set = path`";
        Get = "get": "`get = path`";
        Extra = "extra": "`extra`",
            document: "an `extra` map belongs on the model, not a document";
        CreatedAt = "created_at": "`created_at`",
            document: "a timestamp belongs on the model, not a document";
        UpdatedAt = "updated_at": "`updated_at`",
            document: "a timestamp belongs on the model, not a document";
        Ttl = "ttl": "`ttl`",
            document: "a TTL belongs on the model, not a document";
        Storage = "storage": "`storage = \"...\"`";
        GlobalIndex = "global_index": "`global_index(...)`",
            document: "a document has no indexes; put indexes on the model";
        LocalIndex = "local_index": "`local_index(...)`",
            document: "a document has no indexes; put indexes on the model";
    }
}

attributes! {
    /// Inside `global_index(...)` / `local_index(...)`.
    IndexOption("index option") {
        Name = "name": "`name = \"...\"`";
        HashKey = "hash_key": "`hash_key`";
        RangeKey = "range_key": "`range_key`";
        KeysOnly = "keys_only": "`keys_only`";
        Include = "include": "`include(field, ...)`";
        Throughput = "throughput": "`throughput(read = N, write = N)`";
    }
}

attributes! {
    /// Inside a field's `validate(...)`.
    RuleAttr("rule") {
        Length = "length": "`length(min = .., max = ..)`";
        Range = "range": "`range(min = .., max = ..)`";
        Pattern = "pattern": "`pattern = \"..\"`";
        NonEmpty = "non_empty": "`non_empty`";
        SafeInteger = "safe_integer": "`safe_integer`";
        With = "with": "`with = path`";
    }
}

attributes! {
    /// On an enum deriving `Document`.
    EnumAttr("enum attribute") {
        Tag = "tag": "`tag = \"...\"`";
        RenameAll = "rename_all": "`rename_all = \"...\"`";
    }
}

attributes! {
    /// On a variant of an enum deriving `Document`.
    VariantAttr("variant attribute") {
        Rename = "rename": "`rename = \"...\"`";
    }
}

/// The attribute's path as written: `hash_key`, `a::b`.
pub fn path_name(meta: &ParseNestedMeta) -> String {
    meta.path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every attribute of `A` is in the docs users read.
    fn documented<A: Attr>(docs: &str) {
        for attr in A::ALL {
            let name = attr.name();
            assert!(
                docs.contains(&format!("`{name}")),
                "{} `{name}` is missing from the crate docs",
                A::WHAT
            );
        }
    }

    #[test]
    fn every_attribute_is_documented() {
        let docs = include_str!("../../dynamo-model/src/lib.rs");
        documented::<StructAttr>(docs);
        documented::<FieldAttr>(docs);
        documented::<EnumAttr>(docs);
        documented::<VariantAttr>(docs);
        documented::<IndexOption>(include_str!("../../dynamo-model/src/index.rs"));
        documented::<RuleAttr>(include_str!("../../dynamo-model/src/rules.rs"));
    }
}
