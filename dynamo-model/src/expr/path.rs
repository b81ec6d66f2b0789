//! Typed attribute paths.
//!
//! `#[derive(Model)]` generates `User::fields()`, whose fields are paths
//! typed by the Rust type of the attribute: a [`Path<T>`] for scalars, a
//! [`ListPath`] for `Vec<T>`, a [`MapPath`] for maps, a [`SetPath`] for sets,
//! and for a `#[derive(Document)]` type its generated `{Type}Fields`, which
//! has a path per field and dereferences to the document's own `Path`. An
//! `Option<T>` field has the path of `T`: conditions and updates take a `T`.

use super::value::{IntoValue, Operand};
use crate::attr::Attribute;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

/// One step of an attribute path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A top-level attribute, or a map key / document field.
    Name(Cow<'static, str>),
    /// A list element.
    Index(usize),
}

/// An untyped attribute path: `address.city`, `history[2]`. Names are kept
/// as given (they are sent as `#name` placeholders, so any characters work).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttributePath {
    segments: Vec<Segment>,
}

impl AttributePath {
    /// The top-level attribute `name`.
    pub fn root(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            segments: vec![Segment::Name(name.into())],
        }
    }

    /// The member `name` of this map or document.
    pub fn child(&self, name: impl Into<Cow<'static, str>>) -> Self {
        self.with(Segment::Name(name.into()))
    }

    /// Element `index` of this list.
    pub fn index(&self, index: usize) -> Self {
        self.with(Segment::Index(index))
    }

    fn with(&self, segment: Segment) -> Self {
        let mut segments = Vec::with_capacity(self.segments.len() + 1);
        segments.extend_from_slice(&self.segments);
        segments.push(segment);
        Self { segments }
    }

    /// The steps of the path, first the top-level attribute.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The top-level attribute the path starts at.
    pub fn top(&self) -> &str {
        match self.segments.first() {
            Some(Segment::Name(name)) => name,
            _ => "",
        }
    }

    /// Whether `self` is `other` or inside it (or the other way round):
    /// DynamoDB rejects an update touching both.
    pub fn overlaps(&self, other: &AttributePath) -> bool {
        self.segments
            .iter()
            .zip(&other.segments)
            .all(|(a, b)| a == b)
    }
}

impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Name(name) if i == 0 => f.write_str(name)?,
                Segment::Name(name) => write!(f, ".{name}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Builds a typed path from an untyped one; implemented by every path type,
/// used by generated code.
pub trait FromPath {
    /// The typed path at `path`.
    fn from_path(path: AttributePath) -> Self;
}

/// A typed path: what it points at and where.
pub trait TypedPath {
    /// The Rust type of the attribute the path points at.
    type Value;
    /// The path.
    fn attribute_path(&self) -> &AttributePath;

    /// Turns a value as its type encodes it into the value stored at this
    /// path: a field's `set` transform and time `storage` apply here, so
    /// conditions and updates compare and write what writes store.
    fn store(&self, value: Operand) -> Operand {
        value
    }
}

impl<P: TypedPath> TypedPath for &P {
    type Value = P::Value;
    fn attribute_path(&self) -> &AttributePath {
        (**self).attribute_path()
    }
    fn store(&self, value: Operand) -> Operand {
        (**self).store(value)
    }
}

/// How a field turns an encoded value into its stored form (see
/// [`TypedPath::store`]).
pub type StoreFn = fn(aws_sdk_dynamodb::types::AttributeValue) -> Operand;

/// The typed path of a field of type `Self`: implemented for every field
/// type, and by `#[derive(Document)]` for documents.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored as an attribute",
    label = "not a type dynamo-model stores",
    note = "derive `Document` on a struct or enum used as a field: #[derive(Document)]",
    note = "or store it through serde with #[model(serde)] on the field"
)]
pub trait HasPath {
    /// The path type of a field of this type.
    type Path: FromPath;
    /// The path type of a `Vec<Self>` field: a [`ListPath`], except for
    /// `Vec<u8>`, which is stored as a binary value.
    type VecPath: FromPath;
}

/// The path of an attribute of Rust type `T`.
///
/// ```
/// use dynamo_model::expr::{AttributePath, FromPath, Path};
///
/// let logins: Path<u64> = Path::from_path(AttributePath::root("logins"));
/// let busy = logins.gt(10) & logins.le(1_000);
/// ```
pub struct Path<T> {
    path: AttributePath,
    store: Option<StoreFn>,
    value: PhantomData<fn() -> T>,
}

impl<T> Path<T> {
    /// The untyped path.
    pub fn attribute_path(&self) -> &AttributePath {
        &self.path
    }

    /// The path at `path` whose values are stored through `store` (used by
    /// the derive for fields with a `set` transform or a time `storage`).
    pub fn stored_with(path: AttributePath, store: StoreFn) -> Self {
        Self {
            path,
            store: Some(store),
            value: PhantomData,
        }
    }
}

impl<T> Clone for Path<T> {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            store: self.store,
            value: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Path<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({})", self.path)
    }
}

impl<T> FromPath for Path<T> {
    fn from_path(path: AttributePath) -> Self {
        Self {
            path,
            store: None,
            value: PhantomData,
        }
    }
}

impl<T> TypedPath for Path<T> {
    type Value = T;
    fn attribute_path(&self) -> &AttributePath {
        &self.path
    }
    fn store(&self, value: Operand) -> Operand {
        match self.store {
            Some(store) => value.and_then(store),
            None => value,
        }
    }
}

/// Declares a container path: a struct wrapping the path of the whole value
/// (type `$whole`), which it dereferences to; `T` is the element type.
macro_rules! container_path {
    ($(#[$doc:meta])* $name:ident<$($param:ident),*> => $whole:ty) => {
        $(#[$doc])*
        pub struct $name<$($param),*> {
            whole: Path<$whole>,
            element: PhantomData<fn() -> T>,
        }

        impl<$($param),*> Clone for $name<$($param),*> {
            fn clone(&self) -> Self {
                Self::from_path(self.whole.path.clone())
            }
        }

        impl<$($param),*> fmt::Debug for $name<$($param),*> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.whole.path)
            }
        }

        impl<$($param),*> FromPath for $name<$($param),*> {
            fn from_path(path: AttributePath) -> Self {
                Self { whole: Path::from_path(path), element: PhantomData }
            }
        }

        impl<$($param),*> TypedPath for $name<$($param),*> {
            type Value = $whole;
            fn attribute_path(&self) -> &AttributePath {
                &self.whole.path
            }
        }

        impl<$($param),*> Deref for $name<$($param),*> {
            type Target = Path<$whole>;
            fn deref(&self) -> &Path<$whole> {
                &self.whole
            }
        }
    };
}

container_path! {
    /// The path of a list (`Vec<T>`): its elements by index, and list
    /// conditions. Dereferences to the path of the whole list.
    ListPath<T> => Vec<T>
}

container_path! {
    /// The path of a map `M` (`HashMap<String, T>`, `BTreeMap<String, T>`):
    /// its entries by key. Dereferences to the path of the whole map.
    MapPath<T, M> => M
}

container_path! {
    /// The path of a set `S` (`HashSet<T>`, `BTreeSet<T>`). Dereferences to
    /// the path of the whole set.
    SetPath<T, S> => S
}

impl<T: HasPath> ListPath<T> {
    /// The path of element `index`.
    pub fn index(&self, index: usize) -> T::Path {
        T::Path::from_path(self.whole.path.index(index))
    }
}

impl<T: HasPath, M> MapPath<T, M> {
    /// The path of the entry under `key`.
    pub fn key(&self, key: impl Into<String>) -> T::Path {
        T::Path::from_path(self.whole.path.child(key.into()))
    }
}

impl<T: Attribute> ListPath<T> {
    /// The list contains `element`.
    pub fn contains(&self, element: impl IntoValue<T>) -> super::Condition {
        super::Condition::function("contains", &self.whole.path, Some(element.into_value()))
    }
}

impl<T: Attribute, S> SetPath<T, S> {
    /// The set contains `element`.
    pub fn contains(&self, element: impl IntoValue<T>) -> super::Condition {
        super::Condition::function("contains", &self.whole.path, Some(element.into_value()))
    }
}

/// `HasPath` for types whose path is a plain `Path<Self>`.
macro_rules! scalar_paths {
    ($($ty:ty),* $(,)?) => {$(
        impl HasPath for $ty {
            type Path = Path<$ty>;
            type VecPath = ListPath<$ty>;
        }
    )*};
}

scalar_paths!(String, bool, i8, i16, i32, i64, i128, isize, u16, u32, u64, u128, usize, f32, f64);
scalar_paths!(
    std::time::SystemTime,
    aws_sdk_dynamodb::types::AttributeValue,
    aws_smithy_types::Blob
);
#[cfg(feature = "chrono")]
scalar_paths!(chrono::DateTime<chrono::Utc>);
#[cfg(feature = "time")]
scalar_paths!(time::OffsetDateTime);
#[cfg(feature = "uuid")]
scalar_paths!(uuid::Uuid);
#[cfg(feature = "json")]
scalar_paths!(serde_json::Value);
#[cfg(feature = "bytes")]
scalar_paths!(bytes::Bytes);

impl HasPath for u8 {
    type Path = Path<u8>;
    /// `Vec<u8>` is a binary value, not a list.
    type VecPath = Path<Vec<u8>>;
}

impl<T: HasPath> HasPath for Option<T> {
    type Path = T::Path;
    type VecPath = ListPath<Option<T>>;
}

impl<T: HasPath> HasPath for Box<T> {
    type Path = T::Path;
    type VecPath = ListPath<Box<T>>;
}

impl<T: HasPath> HasPath for Vec<T> {
    type Path = T::VecPath;
    type VecPath = ListPath<Vec<T>>;
}

impl<T: HasPath, S> HasPath for HashMap<String, T, S> {
    type Path = MapPath<T, Self>;
    type VecPath = ListPath<HashMap<String, T, S>>;
}

impl<T: HasPath> HasPath for BTreeMap<String, T> {
    type Path = MapPath<T, Self>;
    type VecPath = ListPath<BTreeMap<String, T>>;
}

impl<T, S> HasPath for HashSet<T, S> {
    type Path = SetPath<T, Self>;
    type VecPath = ListPath<HashSet<T, S>>;
}

impl<T> HasPath for BTreeSet<T> {
    type Path = SetPath<T, Self>;
    type VecPath = ListPath<BTreeSet<T>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_for_people_and_detect_overlap() {
        let address = AttributePath::root("address");
        let city = address.child("city");
        let first = AttributePath::root("history").index(0);
        assert_eq!(city.to_string(), "address.city");
        assert_eq!(first.to_string(), "history[0]");
        assert!(address.overlaps(&city) && city.overlaps(&address));
        assert!(!city.overlaps(&address.child("zip")));
        assert!(!first.overlaps(&AttributePath::root("history").index(1)));
    }

    #[test]
    fn container_paths_reach_their_elements() {
        let tags: <Vec<Vec<String>> as HasPath>::Path =
            FromPath::from_path(AttributePath::root("t"));
        let inner: ListPath<String> = tags.index(1);
        let element: Path<String> = inner.index(2);
        assert_eq!(element.attribute_path().to_string(), "t[1][2]");
        let prefs: <BTreeMap<String, Option<u32>> as HasPath>::Path =
            FromPath::from_path(AttributePath::root("p"));
        let dark: Path<u32> = prefs.key("dark mode");
        assert_eq!(dark.attribute_path().to_string(), "p.dark mode");
        let avatar: Path<Vec<u8>> = <Vec<u8> as HasPath>::Path::from_path(AttributePath::root("a"));
        assert_eq!(avatar.attribute_path().top(), "a");
    }
}
