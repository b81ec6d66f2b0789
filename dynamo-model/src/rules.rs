//! Validation rules declared on the derive (`#[model(validate(...))]`).
//!
//! Every write of a whole item — `create`, `save`, batch puts, transaction
//! puts — checks the rules on the values it would store (after defaults and
//! `set` transforms; [`Model::validate`](crate::Model::validate) runs the
//! same checks without writing), collecting every failure; if there is one,
//! nothing is sent and the write fails with [`Error::Validation`] listing
//! each attribute, rule and message. Updates check the values they set.
//! Rules on the fields of a `#[derive(Document)]` struct apply wherever it
//! is stored, and are reported under their full path (`home.zip`,
//! `others[1].zip`).
//!
//! The rules: `length(min = .., max = ..)` (characters of a string,
//! elements of a collection), `range(min = .., max = ..)` (numbers),
//! `pattern = "regex"` (checked when compiling), `non_empty`,
//! `safe_integer` (an integer a JavaScript service reads exactly, see
//! [`safe_integer`]), and
//! `with = path` (or `validate = path`) for a function
//! `fn(&T) -> Result<(), impl Display>`; either bound may be left out.
//!
//! ```
//! use dynamo_model::Model;
//!
//! fn no_admin(name: &String) -> Result<(), &'static str> {
//!     if name == "admin" { Err("the name admin is reserved") } else { Ok(()) }
//! }
//!
//! #[derive(Model)]
//! struct User {
//!     #[model(hash_key, validate(pattern = "^[a-z0-9-]+$"))]
//!     id: String,
//!     #[model(validate(length(min = 1, max = 64), with = no_admin))]
//!     name: String,
//!     #[model(validate(range(min = 13, max = 150)))]
//!     age: u32,
//!     #[model(validate(non_empty))]
//!     email: Option<String>, // rules skip None
//! }
//!
//! let user = User { id: "Ann!".into(), name: "admin".into(), age: 7, email: Some("".into()) };
//! let error = user.validate().unwrap_err();
//! assert!(error.is_validation());
//! let text = error.to_string();
//! assert!(text.contains("`id` (pattern)") && text.contains("`age` (range)"), "{text}");
//! ```

use crate::attr::{AttributeError, AttributeErrorKind};
use crate::Error;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::{self, Display};
use std::sync::OnceLock;

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The attribute's stored name (empty for a rule of the whole model).
    pub path: String,
    /// The rule: `length`, `range`, `pattern`, `non_empty`,
    /// `safe_integer` or `custom`.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
}

impl Failure {
    /// A failure of `rule` on attribute `path`.
    pub fn new(path: &str, rule: &'static str, message: String) -> Self {
        Self {
            path: path.to_owned(),
            rule,
            message,
        }
    }
}

impl Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "({}) {}", self.rule, self.message)
        } else {
            write!(f, "`{}` ({}) {}", self.path, self.rule, self.message)
        }
    }
}

/// Adds the failures `error` carries, if it is a document's broken rules
/// ([`AttributeErrorKind::Rules`]), to `failures`, under the path of the
/// value it came from: attribute or member `name` plus the error's inner
/// path. Any other error is handed back.
pub fn absorb(
    failures: &mut Vec<Failure>,
    name: &str,
    error: AttributeError,
) -> Result<(), AttributeError> {
    let AttributeErrorKind::Rules(inner) = error.kind else {
        return Err(error);
    };
    let prefix = format!("{name}{}", error.inner_path);
    failures.extend(inner.into_iter().map(|failure| Failure {
        path: if failure.path.is_empty() {
            prefix.clone()
        } else {
            format!("{prefix}.{}", failure.path)
        },
        ..failure
    }));
    Ok(())
}

/// `Ok` without failures, else [`Error::Validation`].
pub fn finish(model: &'static str, failures: Vec<Failure>) -> crate::Result<()> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation { model, failures })
    }
}

/// A value with a length: strings (in characters), collections (in
/// elements), byte buffers (in bytes).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no length for `length` or `non_empty`",
    label = "length rules apply to strings and collections",
    note = "for numbers use `range(min = .., max = ..)`"
)]
pub trait HasLength {
    /// The length.
    fn length(&self) -> usize;
}

impl HasLength for String {
    fn length(&self) -> usize {
        self.chars().count()
    }
}

impl<T> HasLength for Vec<T> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<T, S> HasLength for HashSet<T, S> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<T> HasLength for BTreeSet<T> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<K, V, S> HasLength for HashMap<K, V, S> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<K, V> HasLength for BTreeMap<K, V> {
    fn length(&self) -> usize {
        self.len()
    }
}

/// `length(min, max)`: `None` when it holds, else the message.
pub fn length<T: HasLength>(value: &T, min: Option<usize>, max: Option<usize>) -> Option<String> {
    let length = value.length();
    match (min, max) {
        (Some(min), _) if length < min => {
            Some(format!("length {length} is below the minimum {min}"))
        }
        (_, Some(max)) if length > max => {
            Some(format!("length {length} is above the maximum {max}"))
        }
        _ => None,
    }
}

/// `non_empty`: `None` when the value has a length above 0.
pub fn non_empty<T: HasLength>(value: &T) -> Option<String> {
    (value.length() == 0).then(|| "must not be empty".to_owned())
}

/// `range(min, max)`, both included.
pub fn range<T: PartialOrd + Display>(value: &T, min: Option<T>, max: Option<T>) -> Option<String> {
    match (min, max) {
        (Some(min), _) if *value < min => Some(format!("{value} is below the minimum {min}")),
        (_, Some(max)) if *value > max => Some(format!("{value} is above the maximum {max}")),
        _ => None,
    }
}

/// The largest integer JavaScript represents exactly
/// (`Number.MAX_SAFE_INTEGER`, 2^53 − 1).
pub const MAX_SAFE_INTEGER: i128 = (1 << 53) - 1;

/// An integer field a JavaScript service reads too: Dynamoose reads a
/// number beyond 2^53 − 1 as a `BigInt`, and its `get` of the whole item
/// then fails with a TypeMismatch for a `Number` attribute.
#[diagnostic::on_unimplemented(
    message = "`safe_integer` applies to integer fields; `{Self}` is not one",
    label = "not an integer type"
)]
pub trait SafeInteger: Copy {
    /// The value, widened.
    fn widen(self) -> i128;
}

macro_rules! safe_integer_types {
    ($($ty:ty),*) => {
        $(impl SafeInteger for $ty {
            fn widen(self) -> i128 {
                self as i128
            }
        })*
    };
}
safe_integer_types!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, usize);

impl SafeInteger for u128 {
    fn widen(self) -> i128 {
        i128::try_from(self).unwrap_or(i128::MAX)
    }
}

/// `safe_integer`: `None` when JavaScript reads the value exactly
/// (|value| ≤ 2^53 − 1).
///
/// ```
/// use dynamo_model::Model;
///
/// #[derive(Model)]
/// struct Counter {
///     #[model(hash_key)]
///     id: String,
///     #[model(validate(safe_integer))] // a Node service reads it too
///     hits: u64,
/// }
///
/// let big = Counter { id: "c".into(), hits: 1 << 53 };
/// assert!(big.validate().unwrap_err().to_string().contains("`hits` (safe_integer)"));
/// let fine = Counter { id: "c".into(), hits: (1 << 53) - 1 };
/// assert!(fine.validate().is_ok());
/// ```
pub fn safe_integer<T: SafeInteger + Display>(value: &T) -> Option<String> {
    (value.widen().abs() > MAX_SAFE_INTEGER).then(|| {
        format!(
            "{value} is beyond 2^53 - 1, the largest integer JavaScript (and so Dynamoose) reads exactly"
        )
    })
}

/// A custom rule's result as a failure message.
pub fn custom<E: Display>(result: Result<(), E>) -> Option<String> {
    result.err().map(|message| message.to_string())
}

/// A regular expression compiled on first use (the derive has already
/// checked that it compiles).
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// The pattern `source`, not compiled yet.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// `pattern = ".."`: `None` when the string matches.
    pub fn check(&self, value: &str) -> Option<String> {
        let regex = self
            .compiled
            .get_or_init(|| regex::Regex::new(self.source).ok());
        match regex {
            Some(regex) if regex.is_match(value) => None,
            Some(_) => Some(format!(
                "{value:?} does not match the pattern {}",
                self.source
            )),
            None => Some(format!("the pattern {} does not compile", self.source)),
        }
    }
}
