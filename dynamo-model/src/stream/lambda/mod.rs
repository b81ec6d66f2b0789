//! DynamoDB stream events of AWS Lambda (feature `lambda`): each
//! [`EventRecord`] decoded into a [`ChangeRecord`], and a [`Processor`]
//! running a handler over a batch and reporting partial batch failures.
//!
//! ```no_run
//! use dynamo_model::stream::lambda::aws_lambda_events::event::dynamodb::Event;
//! use dynamo_model::stream::lambda::aws_lambda_events::event::streams::DynamoDbEventResponse;
//! use dynamo_model::stream::lambda::Processor;
//! use dynamo_model::stream::{Change, ChangeRecord};
//! use dynamo_model::Model;
//!
//! #[derive(Model, Debug)]
//! struct User {
//!     #[model(hash_key)]
//!     id: String,
//!     email: String,
//! }
//!
//! async fn welcome(email: &str) -> Result<(), dynamo_model::Error> {
//!     Ok(())
//! }
//!
//! // The body of a Lambda handler; its event source mapping has
//! // `FunctionResponseTypes: ["ReportBatchItemFailures"]`.
//! async fn handle(event: Event) -> DynamoDbEventResponse {
//!     let outcome = Processor::new()
//!         .concurrent_by_key(16)
//!         .run(event, |record: ChangeRecord<User>| async move {
//!             match record.into_change()? {
//!                 Change::Insert { new } => welcome(&new.email).await,
//!                 Change::Modify { .. } | Change::Remove { .. } => Ok(()),
//!             }
//!         })
//!         .await;
//!     outcome.response()
//! }
//! ```
//!
//! With feature `streams` too, [`Changes::lambda_events`](crate::stream::Changes::lambda_events)
//! builds these events from a table's real stream, as Lambda would: the
//! same handler runs on DynamoDB Local in tests.
//!
//! A record's images are serde_dynamo items; each becomes an [`Item`] by serde_dynamo's own conversion of
//! `serde_dynamo::AttributeValue` into the SDK's `AttributeValue`: a direct
//! match moving every string, no serde pass, numbers kept as their decimal
//! text at full precision.

mod batch;
#[cfg(feature = "streams")]
mod local;

pub use batch::{BatchOutcome, FailureCause, Processor, RecordFailure};

/// The Lambda event types this module takes and returns, re-exported so
/// versions always match.
pub use aws_lambda_events;

use super::{is_ttl_deletion, ChangeKind, ChangeRecord, RawRecord, RecordMeta, StreamView};
use crate::hooks::Hooked;
use crate::Item;
use crate::{Model, Result};
use aws_lambda_events::event::dynamodb::{EventRecord, StreamViewType};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

impl<M: Model> ChangeRecord<M> {
    /// Decodes a record of a Lambda DynamoDB event (see
    /// [`ChangeRecord::from_raw`]). An event name other than `INSERT`,
    /// `MODIFY` and `REMOVE` is an [`Error::Decode`](crate::Error::Decode) of `eventName`.
    pub fn from_lambda(record: EventRecord) -> Result<Self> {
        Self::decode_lambda(record, Hooked::of::<M>())
    }

    /// [`from_lambda`](Self::from_lambda), running `hooks`.
    pub(crate) fn decode_lambda(record: EventRecord, hooks: Hooked) -> Result<Self> {
        Self::decode(raw_record::<M>(record)?, hooks)
    }
}

/// The record in the SDK's maps; only the event name can be wrong.
fn raw_record<M: Model>(record: EventRecord) -> Result<RawRecord> {
    let kind = ChangeKind::from_event_name::<M>(&record.event_name)?;
    let expired = record
        .user_identity
        .as_ref()
        .is_some_and(|identity| is_ttl_deletion(&identity.type_, &identity.principal_id));
    let change = record.change;
    let time = change.approximate_creation_date_time;
    let (old_image, new_image) = (image(change.old_image), image(change.new_image));
    // The key is read from an image when there is one (see RawRecord::keys).
    let keys = match (&old_image, &new_image) {
        (None, None) => change.keys.into(),
        _ => Item::new(),
    };
    Ok(RawRecord {
        kind,
        view: change.stream_view_type.and_then(view),
        keys,
        old_image,
        new_image,
        expired,
        meta: RecordMeta {
            sequence_number: change.sequence_number.unwrap_or_default(),
            event_id: record.event_id,
            approximate_creation_time: system_time(time.timestamp(), time.timestamp_subsec_nanos()),
            size_bytes: u64::try_from(change.size_bytes).unwrap_or(0),
        },
    })
}

/// An image of the record: the event holds an empty map when the view
/// leaves it out (an item always has its key attributes).
fn image(item: serde_dynamo::Item) -> Option<Item> {
    (!item.is_empty()).then(|| item.into())
}

/// The view type, if it is one this crate knows.
fn view(view: StreamViewType) -> Option<StreamView> {
    match view {
        StreamViewType::KeysOnly => Some(StreamView::KeysOnly),
        StreamViewType::NewImage => Some(StreamView::NewImage),
        StreamViewType::OldImage => Some(StreamView::OldImage),
        StreamViewType::NewAndOldImages => Some(StreamView::NewAndOldImages),
        _ => None,
    }
}

/// The creation time from epoch seconds and nanoseconds. The event reads
/// a missing time as the epoch itself, which no stream record has, so that
/// is `None`; so is a time `SystemTime` cannot hold.
fn system_time(seconds: i64, nanos: u32) -> Option<SystemTime> {
    if seconds == 0 && nanos == 0 {
        return None;
    }
    UNIX_EPOCH
        .checked_add(Duration::from_secs(u64::try_from(seconds).ok()?))?
        .checked_add(Duration::from_nanos(nanos.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::primitives::Blob;
    use aws_sdk_dynamodb::types::AttributeValue;
    use serde_dynamo::AttributeValue as Lambda;

    #[test]
    fn every_value_converts_as_it_is_with_numbers_as_their_text() {
        let exact = "3.14159265358979323846264338327950288419";
        let lambda = serde_dynamo::Item::from(std::collections::HashMap::from([
            ("n".to_owned(), Lambda::N(exact.into())),
            ("s".to_owned(), Lambda::S("Ann".into())),
            ("bool".to_owned(), Lambda::Bool(true)),
            ("b".to_owned(), Lambda::B(vec![0, 1, 255])),
            ("null".to_owned(), Lambda::Null(true)),
            (
                "m".to_owned(),
                Lambda::M([("big".to_owned(), Lambda::N("1e125".into()))].into()),
            ),
            (
                "l".to_owned(),
                Lambda::L(vec![Lambda::N("-0.000001".into()), Lambda::S("x".into())]),
            ),
            ("ss".to_owned(), Lambda::Ss(vec!["a".into(), "b".into()])),
            (
                "ns".to_owned(),
                Lambda::Ns(vec!["12345678901234567890123".into()]),
            ),
            ("bs".to_owned(), Lambda::Bs(vec![vec![1], vec![]])),
        ]));
        let item = image(lambda).expect("a non-empty image");
        let expected = Item::from([
            ("n".to_owned(), AttributeValue::N(exact.into())),
            ("s".to_owned(), AttributeValue::S("Ann".into())),
            ("bool".to_owned(), AttributeValue::Bool(true)),
            (
                "b".to_owned(),
                AttributeValue::B(Blob::new(vec![0, 1, 255])),
            ),
            ("null".to_owned(), AttributeValue::Null(true)),
            (
                "m".to_owned(),
                AttributeValue::M([("big".to_owned(), AttributeValue::N("1e125".into()))].into()),
            ),
            (
                "l".to_owned(),
                AttributeValue::L(vec![
                    AttributeValue::N("-0.000001".into()),
                    AttributeValue::S("x".into()),
                ]),
            ),
            (
                "ss".to_owned(),
                AttributeValue::Ss(vec!["a".into(), "b".into()]),
            ),
            (
                "ns".to_owned(),
                AttributeValue::Ns(vec!["12345678901234567890123".into()]),
            ),
            (
                "bs".to_owned(),
                AttributeValue::Bs(vec![Blob::new(vec![1]), Blob::new(vec![])]),
            ),
        ]);
        assert_eq!(item, expected);
    }

    #[test]
    fn an_empty_image_is_no_image() {
        assert_eq!(image(serde_dynamo::Item::default()), None);
    }

    #[test]
    fn creation_times_convert_and_the_missing_epoch_is_none() {
        assert_eq!(
            system_time(1_480_642_020, 500),
            Some(UNIX_EPOCH + Duration::new(1_480_642_020, 500))
        );
        assert_eq!(system_time(0, 0), None);
        assert_eq!(system_time(-5, 0), None);
    }
}
