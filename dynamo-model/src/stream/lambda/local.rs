//! Lambda DynamoDB events built from a table's real stream (features
//! `lambda` and `streams`): the records Lambda would deliver, so a
//! trigger's handler is tested on DynamoDB Local with the events it gets
//! in production.

use crate::stream::reader::{convert, Changes, Checkpoint, Delivered};
use crate::{Model, Result};
use aws_lambda_events::event::dynamodb::{Event, EventRecord, StreamViewType, UserIdentity};
use futures::{Stream, StreamExt};

impl<M: Model + 'static> Changes<M> {
    /// The stream's records as Lambda DynamoDB events of at most
    /// `batch_size` records (what was read together, like Lambda's
    /// batching), each with the checkpoint after its last record. Each
    /// record is as Lambda delivers it, `eventSourceARN` (the stream's ARN,
    /// which DynamoDB Local's records lack) included.
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Model};
    /// # use dynamo_model::stream::lambda::Processor;
    /// # use futures::TryStreamExt;
    /// # #[derive(Model)] #[model(stream = "new_image")] struct User { #[model(hash_key)] id: String }
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// let mut events = User::changes(db).lambda_events(100);
    /// if let Some((event, _checkpoint)) = events.try_next().await? {
    ///     let outcome = Processor::<User>::new()
    ///         .run(event, |_record| async { Ok::<_, dynamo_model::Error>(()) })
    ///         .await;
    ///     assert!(outcome.failures.is_empty());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn lambda_events(
        self,
        batch_size: usize,
    ) -> impl Stream<Item = Result<(Event, Checkpoint)>> + Send + Unpin + 'static {
        self.records()
            .ready_chunks(batch_size.max(1))
            .map(|batch| {
                let mut event = Event::default();
                let mut last = None;
                for delivered in batch {
                    let Delivered { record, checkpoint } = delivered?;
                    event
                        .records
                        .push(event_record::<M>(record, checkpoint.stream_arn())?);
                    last = Some(checkpoint);
                }
                Ok((event, last.unwrap_or_default()))
            })
            .boxed()
    }
}

/// A stream record as a Lambda event record.
fn event_record<M: Model>(
    record: aws_sdk_dynamodbstreams::types::Record,
    stream_arn: &str,
) -> Result<EventRecord> {
    type Image =
        Option<std::collections::HashMap<String, aws_sdk_dynamodbstreams::types::AttributeValue>>;
    let image = |map: Image| -> Result<serde_dynamo::Item> {
        Ok(map
            .map(convert::item::<M>)
            .transpose()?
            .unwrap_or_default()
            .into())
    };
    let change = record
        .dynamodb
        .unwrap_or_else(|| aws_sdk_dynamodbstreams::types::StreamRecord::builder().build());
    let mut out = EventRecord::default();
    out.aws_region = record.aws_region.unwrap_or_default();
    out.event_id = record.event_id.unwrap_or_default();
    out.event_name = record
        .event_name
        .map(|name| name.as_str().to_owned())
        .unwrap_or_default();
    out.event_source = Some(record.event_source.unwrap_or_else(|| "aws:dynamodb".into()));
    out.event_version = record.event_version;
    out.event_source_arn = Some(stream_arn.to_owned());
    out.user_identity = record.user_identity.map(|identity| {
        let mut user = UserIdentity::default();
        user.type_ = identity.r#type.unwrap_or_default();
        user.principal_id = identity.principal_id.unwrap_or_default();
        user
    });
    if let Some(time) = change.approximate_creation_date_time {
        if let Some(time) = chrono::DateTime::from_timestamp(time.secs(), time.subsec_nanos()) {
            out.change.approximate_creation_date_time = time;
        }
    }
    out.change.keys = image(change.keys)?;
    out.change.new_image = image(change.new_image)?;
    out.change.old_image = image(change.old_image)?;
    out.change.sequence_number = change.sequence_number;
    out.change.size_bytes = change.size_bytes.unwrap_or(0);
    out.change.stream_view_type = change.stream_view_type.and_then(|view| {
        Some(match view.as_str() {
            "KEYS_ONLY" => StreamViewType::KeysOnly,
            "NEW_IMAGE" => StreamViewType::NewImage,
            "OLD_IMAGE" => StreamViewType::OldImage,
            "NEW_AND_OLD_IMAGES" => StreamViewType::NewAndOldImages,
            _ => return None,
        })
    });
    Ok(out)
}
