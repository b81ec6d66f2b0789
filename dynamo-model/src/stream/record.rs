//! A stream record, raw (SDK attribute maps, what every source converts
//! into) and decoded into a model.

use super::{Change, ChangeKind, StreamView};
use crate::attr::Item;
use crate::hooks::Hooked;
use crate::{Error, Model, Result};
use std::time::SystemTime;

/// Whether a record's user identity is DynamoDB's time-to-live process,
/// which marks the deletions of expired items: type `Service`, principal
/// `dynamodb.amazonaws.com`. For sources building a [`RawRecord`].
pub fn is_ttl_deletion(identity_type: &str, principal_id: &str) -> bool {
    identity_type == "Service" && principal_id == "dynamodb.amazonaws.com"
}

/// Where a record sits in the stream, kept with it for logs, checkpoints
/// and reporting failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordMeta {
    /// The record's sequence number: its place in the shard, and what a
    /// Lambda batch failure reports.
    pub sequence_number: String,
    /// The event's unique id.
    pub event_id: String,
    /// When the change was made, approximately; `None` when the source
    /// does not say.
    pub approximate_creation_time: Option<SystemTime>,
    /// The record's size in bytes, as the stream counts it.
    pub size_bytes: u64,
}

/// A stream record in the SDK's attribute maps, before it is decoded into
/// a model. Every source (a Lambda event, a stream read) converts its own
/// record into this one, and [`ChangeRecord::from_raw`] decodes it, so all
/// sources decode alike.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRecord {
    /// Which change the record is.
    pub kind: ChangeKind,
    /// The stream's view type, when the source says.
    pub view: Option<StreamView>,
    /// The key attributes. Read only when the record has no image (an
    /// image holds the key too), so a source may leave it empty then.
    pub keys: Item,
    /// The item before the change, when the view gives it and there was one.
    pub old_image: Option<Item>,
    /// The item after the change, when the view gives it and there is one.
    pub new_image: Option<Item>,
    /// Whether DynamoDB's time to live made the change (see
    /// [`is_ttl_deletion`]).
    pub expired: bool,
    /// Where the record sits in the stream.
    pub meta: RecordMeta,
}

/// A stream record decoded into model `M`: the key always, the images the
/// stream's view gives, and where the record sits. A handler takes the
/// [`Change`] out of it with [`into_change`](Self::into_change), or reads
/// only the key (as a `KEYS_ONLY` stream allows).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ChangeRecord<M: Model> {
    /// Which change the record is.
    pub kind: ChangeKind,
    /// The key of the changed item.
    pub key: M::Key,
    /// The item before the change, when the view gives it and there was one.
    pub old: Option<M>,
    /// The item after the change, when the view gives it and there is one.
    pub new: Option<M>,
    /// The stream's view type, when the source says.
    pub view: Option<StreamView>,
    /// Whether DynamoDB's time to live made the change: a `REMOVE` of an
    /// expired item.
    pub expired: bool,
    /// Where the record sits in the stream.
    pub meta: RecordMeta,
}

impl<M: Model> ChangeRecord<M> {
    /// Decodes a raw record: the key with [`Model::key_from_item`], each
    /// image with [`Model::from_item`], so the model's schema rules
    /// (aliases, defaults, `get`) apply as on any read. `hide_expired` is
    /// not one of them (it belongs to reads of the table), so a `REMOVE` of
    /// an expired item still has its old image. The model's `after_read`
    /// [hook](crate::hooks) runs on each image, and on the keys of a record
    /// without one.
    pub fn from_raw(raw: RawRecord) -> Result<Self> {
        Self::decode(raw, Hooked::of::<M>())
    }

    /// [`from_raw`](Self::from_raw), running `hooks`.
    pub(crate) fn decode(raw: RawRecord, hooks: Hooked) -> Result<Self> {
        let RawRecord {
            kind,
            view,
            keys,
            old_image,
            new_image,
            expired,
            meta,
        } = raw;
        let decode = |image: Item| hooks.decode(image, M::from_item);
        let old = old_image.map(decode).transpose()?;
        let new = new_image.map(decode).transpose()?;
        // An image holds the key already decoded; `keys` only without one.
        let key = match new.as_ref().or(old.as_ref()) {
            Some(image) => image.key(),
            None => {
                let mut keys = keys;
                hooks.read(&mut keys)?;
                M::key_from_item(&keys)?
            }
        };
        Ok(Self {
            kind,
            key,
            old,
            new,
            view,
            expired,
            meta,
        })
    }

    /// The change as models. Fails with [`Error::NotInView`] when the
    /// stream's view does not give an image the change needs (a `REMOVE`
    /// on a `NEW_IMAGE` stream has no old item); [`ChangeRecord::key`] is
    /// there in every view.
    pub fn into_change(self) -> Result<Change<M>> {
        let (kind, view) = (self.kind, self.view);
        let needed = |image: Option<M>, which| {
            image.ok_or(Error::NotInView {
                model: M::SCHEMA.model,
                change: kind,
                image: which,
                view,
            })
        };
        Ok(match kind {
            ChangeKind::Insert => Change::Insert {
                new: needed(self.new, "new")?,
            },
            ChangeKind::Modify => Change::Modify {
                old: needed(self.old, "old")?,
                new: needed(self.new, "new")?,
            },
            ChangeKind::Remove => Change::Remove {
                old: needed(self.old, "old")?,
                expired: self.expired,
            },
        })
    }
}
