use aws_sdk_dynamodb::types::AttributeValue;
use std::fmt;

/// A value that could not be encoded or decoded, with its position inside the
/// attribute (`[3].city`); the model and attribute name are added by the
/// caller when this becomes an [`Error`](crate::Error).
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeError {
    /// Where inside the attribute the problem is: empty for the attribute
    /// itself, else `[index]` and `.key` segments.
    pub inner_path: String,
    /// What went wrong.
    pub kind: AttributeErrorKind,
}

/// What went wrong with an attribute value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AttributeErrorKind {
    /// The stored value has another DynamoDB type than the field expects.
    TypeMismatch {
        /// The DynamoDB type the field is stored as.
        expected: &'static str,
        /// The DynamoDB type that was found.
        found: &'static str,
    },
    /// A required value is absent (or NULL).
    Missing,
    /// The value has the right type but cannot be represented, with the
    /// reason (a number out of range, a non-finite float, a bad date).
    Invalid(String),
    /// Validation rules of a document inside the value failed; each path is
    /// relative to the document. Becomes [`Error::Validation`](crate::Error::Validation).
    Rules(Vec<crate::rules::Failure>),
}

impl AttributeError {
    /// The stored value has type `found` where `expected` was wanted.
    pub fn mismatch(expected: &'static str, found: &AttributeValue) -> Self {
        Self::new(AttributeErrorKind::TypeMismatch {
            expected,
            found: super::type_name(found),
        })
    }

    /// A required value is absent.
    pub fn missing() -> Self {
        Self::new(AttributeErrorKind::Missing)
    }

    /// The value is of the right type but invalid, for `reason`.
    pub fn invalid(reason: impl Into<String>) -> Self {
        Self::new(AttributeErrorKind::Invalid(reason.into()))
    }

    /// A document's validation rules failed.
    pub fn rules(failures: Vec<crate::rules::Failure>) -> Self {
        Self::new(AttributeErrorKind::Rules(failures))
    }

    fn new(kind: AttributeErrorKind) -> Self {
        Self {
            inner_path: String::new(),
            kind,
        }
    }

    /// Marks the error as coming from list element `index`.
    pub fn in_index(mut self, index: usize) -> Self {
        self.inner_path = format!("[{index}]{}", self.inner_path);
        self
    }

    /// Marks the error as coming from map entry or document field `key`.
    pub fn in_key(mut self, key: &str) -> Self {
        self.inner_path = format!(".{key}{}", self.inner_path);
        self
    }
}

impl fmt::Display for AttributeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TypeMismatch { expected, found } => {
                write!(f, "expected type {expected}, found type {found}")
            }
            Self::Missing => f.write_str("required value is missing"),
            Self::Invalid(reason) => f.write_str(reason),
            Self::Rules(failures) => {
                for (i, failure) in failures.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    failure.fmt(f)?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for AttributeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner_path.is_empty() {
            self.kind.fmt(f)
        } else {
            write!(f, "at {}: {}", self.inner_path, self.kind)
        }
    }
}

impl std::error::Error for AttributeError {}
