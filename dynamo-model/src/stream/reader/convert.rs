//! A DynamoDB Streams record (aws-sdk-dynamodbstreams' types) as a
//! [`RawRecord`], which every source decodes through.

use crate::attr::{AttributeErrorKind, Item};
use crate::stream::{is_ttl_deletion, ChangeKind, RawRecord, RecordMeta, StreamView};
use crate::{Error, Model, Result};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodbstreams::types::{AttributeValue as StreamValue, Record};
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// The record in the SDK's maps, for model `M` (named in errors).
pub(super) fn raw_record<M: Model>(record: Record) -> Result<RawRecord> {
    let name = record.event_name.as_ref().map_or("", |n| n.as_str());
    let kind = ChangeKind::from_event_name::<M>(name)?;
    let expired = record.user_identity.as_ref().is_some_and(|identity| {
        is_ttl_deletion(
            identity.r#type.as_deref().unwrap_or_default(),
            identity.principal_id.as_deref().unwrap_or_default(),
        )
    });
    let change = record
        .dynamodb
        .unwrap_or_else(|| aws_sdk_dynamodbstreams::types::StreamRecord::builder().build());
    let item = |map: Option<HashMap<String, StreamValue>>| map.map(item::<M>).transpose();
    Ok(RawRecord {
        kind,
        view: change
            .stream_view_type
            .as_ref()
            .and_then(|v| StreamView::from_name(v.as_str())),
        keys: item(change.keys)?.unwrap_or_default(),
        old_image: item(change.old_image)?,
        new_image: item(change.new_image)?,
        expired,
        meta: RecordMeta {
            sequence_number: change.sequence_number.unwrap_or_default(),
            event_id: record.event_id.unwrap_or_default(),
            approximate_creation_time: change.approximate_creation_date_time.and_then(|t| {
                let seconds = u64::try_from(t.secs()).ok()?;
                SystemTime::UNIX_EPOCH.checked_add(Duration::new(seconds, t.subsec_nanos()))
            }),
            size_bytes: change
                .size_bytes
                .and_then(|s| u64::try_from(s).ok())
                .unwrap_or(0),
        },
    })
}

/// An image in aws-sdk-dynamodb's types: the same values, moved.
pub(crate) fn item<M: Model>(map: HashMap<String, StreamValue>) -> Result<Item> {
    map.into_iter()
        .map(|(name, value)| match value_of(value) {
            Some(value) => Ok((name, value)),
            None => Err(Error::Decode {
                model: M::SCHEMA.model,
                path: name,
                key: None,
                kind: AttributeErrorKind::Invalid(
                    "the stream record holds a value type this SDK does not know; upgrade aws-sdk-dynamodbstreams".to_owned(),
                ),
            }),
        })
        .collect()
}

/// One value; `None` for a type the SDK does not know.
fn value_of(value: StreamValue) -> Option<AttributeValue> {
    Some(match value {
        StreamValue::S(s) => AttributeValue::S(s),
        StreamValue::N(n) => AttributeValue::N(n),
        StreamValue::B(b) => AttributeValue::B(b),
        StreamValue::Bool(b) => AttributeValue::Bool(b),
        StreamValue::Null(n) => AttributeValue::Null(n),
        StreamValue::Ss(s) => AttributeValue::Ss(s),
        StreamValue::Ns(n) => AttributeValue::Ns(n),
        StreamValue::Bs(b) => AttributeValue::Bs(b),
        StreamValue::L(list) => {
            AttributeValue::L(list.into_iter().map(value_of).collect::<Option<_>>()?)
        }
        StreamValue::M(map) => AttributeValue::M(
            map.into_iter()
                .map(|(k, v)| Some((k, value_of(v)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::Blob;

    #[test]
    fn every_value_type_moves_across_and_numbers_keep_their_text() {
        let nested = StreamValue::M(HashMap::from([(
            "list".to_owned(),
            StreamValue::L(vec![
                StreamValue::N("12345678901234567890.123456789".into()),
                StreamValue::Null(true),
            ]),
        )]));
        let cases = [
            (StreamValue::S("a".into()), AttributeValue::S("a".into())),
            (
                StreamValue::N("1e3".into()),
                AttributeValue::N("1e3".into()),
            ),
            (
                StreamValue::B(Blob::new(vec![1])),
                AttributeValue::B(Blob::new(vec![1])),
            ),
            (StreamValue::Bool(true), AttributeValue::Bool(true)),
            (
                StreamValue::Ss(vec!["x".into()]),
                AttributeValue::Ss(vec!["x".into()]),
            ),
            (
                StreamValue::Ns(vec!["7".into()]),
                AttributeValue::Ns(vec!["7".into()]),
            ),
            (
                StreamValue::Bs(vec![Blob::new(vec![2])]),
                AttributeValue::Bs(vec![Blob::new(vec![2])]),
            ),
            (
                nested,
                AttributeValue::M(HashMap::from([(
                    "list".to_owned(),
                    AttributeValue::L(vec![
                        AttributeValue::N("12345678901234567890.123456789".into()),
                        AttributeValue::Null(true),
                    ]),
                )])),
            ),
        ];
        for (stream, sdk) in cases {
            assert_eq!(value_of(stream), Some(sdk));
        }
    }
}
