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
