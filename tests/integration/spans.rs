//! Every request dynamo-model sends is a `dynamodb.request` span with
//! OpenTelemetry's database attributes, seen by a subscriber that records
//! spans. The subscriber is the process's global one (scoped subscribers
//! race with the other tests' threads over tracing's callsite cache), and
//! keeps only the spans of the threads that asked for them.

use crate::common::client;
use dynamo_model::{Client, Model};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;
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

thread_local! {
    /// The spans of this thread, once it called `record_spans`.
    static RECORDED: RefCell<Option<Vec<Span>>> = const { RefCell::new(None) };
}

/// The global subscriber: spans of recording threads are kept, with ids
/// `thread's index << 32 | position`; other spans get an id and are dropped.
struct Recorder {
    next: AtomicU64,
}

impl Visit for Span {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields.insert(field.name(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields.insert(field.name(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let position = RECORDED.with(|recorded| {
            let mut recorded = recorded.borrow_mut();
            let spans = recorded.as_mut()?;
            let mut span = Span {
                name: attributes.metadata().name(),
                fields: BTreeMap::new(),
            };
            attributes.record(&mut span);
            spans.push(span);
            Some(spans.len() as u64)
        });
        // Recorded spans are 1..; the others count down from the top.
        let id = position.unwrap_or_else(|| u64::MAX - self.next.fetch_add(1, Ordering::Relaxed));
        Id::from_u64(id)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        RECORDED.with(|recorded| {
            let mut recorded = recorded.borrow_mut();
            let position = (id.into_u64() as usize).checked_sub(1);
            if let Some(span) = recorded
                .as_mut()
                .zip(position)
                .and_then(|(s, i)| s.get_mut(i))
            {
                values.record(span);
            }
        });
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Makes the recorder the global subscriber (once) and this thread a
/// recording one.
fn record_spans() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let recorder = Recorder {
            next: AtomicU64::new(0),
        };
        tracing::subscriber::set_global_default(recorder).expect("no other global subscriber");
    });
    RECORDED.with(|recorded| *recorded.borrow_mut() = Some(Vec::new()));
}

/// The `dynamodb.request` spans this thread recorded so far.
fn requests() -> Vec<Span> {
    RECORDED.with(|recorded| {
        let recorded = recorded.borrow();
        let spans = recorded.as_deref().unwrap_or_default();
        spans
            .iter()
            .filter(|span| span.name == "dynamodb.request")
            .cloned()
            .collect()
    })
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
    record_spans();
    let db = client().await;
    notes(&db).await;
    let table = db.table_name::<Note>();

    // A query of three pages of 10 is three Query requests.
    let before = requests().len();
    let all: Vec<Note> = Note::query(&db)
        .hash("ann")
        .request_limit(10)
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
    let queries = &requests()[before..];
    assert_eq!(queries.len(), 3, "{queries:#?}");
    for span in queries {
        assert_eq!(span.fields["db.system.name"], "aws.dynamodb");
        assert_eq!(span.fields["db.operation.name"], "Query");
        assert_eq!(span.fields["aws.dynamodb.table_names"], table);
        assert!(!span.fields.contains_key("error.type"), "{span:?}");
    }
    let puts = requests()
        .iter()
        .filter(|span| span.fields["db.operation.name"] == "PutItem")
        .count();
    assert_eq!(puts, 25);

    // A failed request says why.
    let missing = client().await;
    Note::get(&missing, ("ann", 1)).await.unwrap_err();
    let failed = requests().pop().unwrap();
    assert_eq!(failed.fields["db.operation.name"], "GetItem");
    assert_eq!(failed.fields["error.type"], "ResourceNotFoundException");
}
