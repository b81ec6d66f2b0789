//! Every request dynamo-model sends is a `dynamodb.request` span with
//! OpenTelemetry's database attributes, seen by a subscriber that records
//! spans (the tests run on one thread, where the subscriber is set).

use crate::common::client;
use dynamo_model::{Client, Model};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "traced")]
struct Note {
    #[model(hash_key)]
    owner: String,
    #[model(range_key)]
    n: u32,
}

/// A span as recorded: its name and fields, as text.
#[derive(Debug, Clone)]
struct Span {
    name: &'static str,
    fields: BTreeMap<&'static str, String>,
}

/// Records every span; spans are numbered from 1 in creation order.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<Span>>>, Arc<AtomicU64>);

impl Visit for Span {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields.insert(field.name(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields.insert(field.name(), format!("{value:?}"));
    }
}

impl Subscriber for Spans {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut span = Span {
            name: attributes.metadata().name(),
            fields: BTreeMap::new(),
        };
        attributes.record(&mut span);
        self.0.lock().unwrap().push(span);
        Id::from_u64(self.1.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        if let Some(span) = spans.get_mut(id.into_u64() as usize - 1) {
            values.record(span);
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Spans {
    /// The `dynamodb.request` spans so far.
    fn requests(&self) -> Vec<Span> {
        let spans = self.0.lock().unwrap();
        spans
            .iter()
            .filter(|span| span.name == "dynamodb.request")
            .cloned()
            .collect()
    }
}

async fn notes(db: &Client) {
    Note::create_table(db).await.unwrap();
    for n in 0..25 {
        let note = Note {
            owner: "ann".into(),
            n,
        };
        Note::save(db, &note).await.unwrap();
    }
}

#[tokio::test]
async fn every_request_is_a_span_with_its_operation_table_and_error() {
    let spans = Spans::default();
    let _subscriber = tracing::subscriber::set_default(spans.clone());
    let db = client().await;
    notes(&db).await;
    let table = db.table_name::<Note>();

    // A query of three pages of 10 is three Query requests.
    let before = spans.requests().len();
    let all: Vec<Note> = Note::query(&db)
        .hash("ann")
        .request_limit(10)
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
    let queries = &spans.requests()[before..];
    assert_eq!(queries.len(), 3, "{queries:#?}");
    for span in queries {
        assert_eq!(span.fields["db.system.name"], "aws.dynamodb");
        assert_eq!(span.fields["db.operation.name"], "Query");
        assert_eq!(span.fields["aws.dynamodb.table_names"], table);
        assert!(!span.fields.contains_key("error.type"), "{span:?}");
    }
    let puts = spans
        .requests()
        .iter()
        .filter(|span| span.fields["db.operation.name"] == "PutItem")
        .count();
    assert_eq!(puts, 25);

    // A failed request says why.
    let missing = client().await;
    Note::get(&missing, ("ann", 1)).await.unwrap_err();
    let failed = spans.requests().pop().unwrap();
    assert_eq!(failed.fields["db.operation.name"], "GetItem");
    assert_eq!(failed.fields["error.type"], "ResourceNotFoundException");
}
