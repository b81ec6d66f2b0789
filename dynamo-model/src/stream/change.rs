//! What happened to an item: the kind of a stream record, and the typed
//! change it makes.

use std::fmt;

/// A change to one item, with the images it needs as models: what an
/// event-driven service matches on instead of raw attribute maps.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<M> {
    /// An item was created.
    Insert {
        /// The item as written.
        new: M,
    },
    /// An existing item was written again.
    Modify {
        /// The item before the write.
        old: M,
        /// The item after the write.
        new: M,
    },
    /// An item was deleted.
    Remove {
        /// The item before the delete.
        old: M,
        /// Whether DynamoDB's time to live deleted it (rather than a
        /// request), so a service can tell an expiry from a delete.
        expired: bool,
    },
}

/// Which change a stream record is, known even when the stream's view
/// gives no image (`KEYS_ONLY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// `INSERT`: an item was created.
    Insert,
    /// `MODIFY`: an existing item was written again.
    Modify,
    /// `REMOVE`: an item was deleted.
    Remove,
}

impl fmt::Display for ChangeKind {
    /// The name a stream record gives the change (`INSERT`, ...).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Insert => "INSERT",
            Self::Modify => "MODIFY",
            Self::Remove => "REMOVE",
        })
    }
}

impl ChangeKind {
    /// The kind a record's event name (`INSERT`, `MODIFY`, `REMOVE`) says;
    /// another name is an [`Error::Decode`](crate::Error::Decode) of
    /// `eventName` for model `M`.
    #[cfg(any(feature = "lambda", feature = "streams"))]
    pub(crate) fn from_event_name<M: crate::Model>(name: &str) -> crate::Result<Self> {
        match name {
            "INSERT" => Ok(Self::Insert),
            "MODIFY" => Ok(Self::Modify),
            "REMOVE" => Ok(Self::Remove),
            other => Err(crate::Error::Decode {
                model: M::SCHEMA.model,
                path: "eventName".to_owned(),
                key: None,
                kind: crate::attr::AttributeErrorKind::Invalid(format!(
                    "`{other}` is not a change of an item (INSERT, MODIFY or REMOVE)"
                )),
            }),
        }
    }
}
