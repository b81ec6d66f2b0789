//! Every call is a `dynamodb.call` span and every request dynamo-model
//! sends a `dynamodb.request` span inside it, with OpenTelemetry's database
//! attributes, seen by a subscriber that records spans and their parents. The subscriber is the process's global one (scoped subscribers
//! race with the other tests' threads over tracing's callsite cache), and
//! keeps only the spans of the threads that asked for them.

use crate::common::{client, local_endpoint, unique_prefix};
use crate::fault_proxy::{Fault, FaultProxy};
use dynamo_model::{Client, Model, RetryConfig};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::sync::Once;
use std::time::Duration;
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

/// A span as recorded: its name, fields as text, and its parent's id.
#[derive(Debug, Clone)]
struct Span {
    id: u64,
    name: &'static str,
    fields: BTreeMap<&'static str, String>,
    parent: Option<u64>,
}

thread_local! {
    /// The spans of this thread, once it called `record_spans`.
    static RECORDED: RefCell<Option<Vec<Span>>> = const { RefCell::new(None) };
    /// The spans this thread is in, innermost last.
    static ENTERED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
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
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.insert(field.name(), value.to_string());
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
            let parent = match attributes.parent() {
                Some(parent) => Some(parent.into_u64()),
                None if attributes.is_contextual() => {
                    ENTERED.with(|entered| entered.borrow().last().copied())
                }
                None => None,
            };
            let mut span = Span {
                id: spans.len() as u64 + 1,
                name: attributes.metadata().name(),
                fields: BTreeMap::new(),
                parent,
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
    fn enter(&self, id: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(id.into_u64()));
    }
    fn exit(&self, id: &Id) {
        ENTERED.with(|entered| {
            let mut entered = entered.borrow_mut();
            if let Some(at) = entered.iter().rposition(|&e| e == id.into_u64()) {
                entered.remove(at);
            }
        });
    }
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

/// The spans named `name` this thread recorded so far.
fn spans(name: &str) -> Vec<Span> {
    RECORDED.with(|recorded| {
        let recorded = recorded.borrow();
        let spans = recorded.as_deref().unwrap_or_default();
        spans
            .iter()
            .filter(|span| span.name == name)
            .cloned()
            .collect()
    })
}

/// The `dynamodb.request` spans this thread recorded so far.
fn requests() -> Vec<Span> {
    spans("dynamodb.request")
}

/// The last `dynamodb.call` span, and the request spans inside it.
fn last_call() -> (Span, Vec<Span>) {
    let call = spans("dynamodb.call").pop().expect("a call span");
    let inside = requests()
        .into_iter()
        .filter(|request| request.parent == Some(call.id))
        .collect();
    (call, inside)
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
async fn every_call_and_request_is_a_span_with_its_operation_table_and_error() {
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
    // One call span over the three.
    let (call, inside) = last_call();
    let field = |name: &str| call.fields.get(name).map(String::as_str);
    assert_eq!(field("db.operation.name"), Some("query"));
    assert_eq!(field("db.system.name"), Some("aws.dynamodb"));
    assert_eq!(field("dynamo_model.model"), Some("Note"));
    assert_eq!(field("dynamo_model.requests"), Some("3"));
    assert_eq!(field("dynamo_model.retries"), Some("0"));
    assert_eq!(field("aws.dynamodb.table_names"), Some(table.as_str()));
    assert_eq!(field("error.type"), None);
    assert_eq!(inside.len(), 3, "{inside:#?}");
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

#[tokio::test]
async fn a_batch_with_unprocessed_items_and_a_throttle_counts_its_rounds_and_retries() {
    record_spans();
    // The first BatchWriteItem is throttled (the SDK retries it); later
    // rounds are half unprocessed (the batch sends them again).
    let policy = Arc::new(|operation: &str, seen: u64, _: &mut _| match operation {
        "BatchWriteItem" if seen == 0 => Fault::Throttle,
        "BatchWriteItem" if seen < 4 => Fault::Unprocess(0.5),
        _ => Fault::Forward,
    });
    let proxy = FaultProxy::start(&local_endpoint().await, 7, policy).await;
    let db = Client::local(proxy.endpoint())
        .with_table_prefix(unique_prefix())
        .with_retry(RetryConfig {
            max_attempts: 3,
            batch_rounds: 20,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        });
    Note::create_table(&db).await.unwrap();
    let notes: Vec<Note> = (0..20)
        .map(|n| Note {
            owner: "bo".into(),
            n,
        })
        .collect();
    Note::batch_put(&db, &notes).await.unwrap();

    let (call, inside) = last_call();
    assert_eq!(call.fields["db.operation.name"], "batch_write");
    let rounds: u64 = call.fields["dynamo_model.requests"].parse().unwrap();
    let sent =
        proxy.count("BatchWriteItem", "unprocess") + proxy.count("BatchWriteItem", "forward");
    assert!(rounds >= 2, "{call:?}");
    assert_eq!(rounds, sent, "one request span per round answered");
    assert_eq!(call.fields["dynamo_model.retries"], "1");
    assert_eq!(inside.len() as u64, rounds);
    // Each round says how many writes it sent: 20 in the first answered one.
    let sizes: Vec<u64> = inside
        .iter()
        .map(|r| r.fields["db.operation.batch.size"].parse().unwrap())
        .collect();
    assert_eq!(sizes[0], 20, "{sizes:?}");
    assert!(sizes[1..].iter().all(|&n| n < 20), "{sizes:?}");
    assert_eq!(proxy.count("BatchWriteItem", "throttle"), 1);
    assert_eq!(Note::query(&db).hash("bo").count().await.unwrap(), 20);
}

#[tokio::test]
async fn a_canceled_transaction_records_its_error_on_the_call_and_the_request() {
    record_spans();
    let db = client().await;
    Note::create_table(&db).await.unwrap();
    let note = Note {
        owner: "cy".into(),
        n: 1,
    };
    Note::create(&db, &note).await.unwrap();
    let error = db.transaction().create(&note).send().await.unwrap_err();
    assert!(error.is_transaction_canceled(), "{error}");
    let (call, inside) = last_call();
    assert_eq!(call.fields["db.operation.name"], "transact_write");
    assert_eq!(call.fields["error.type"], "TransactionCanceled");
    assert_eq!(inside.len(), 1);
    assert_eq!(
        inside[0].fields["error.type"],
        "TransactionCanceledException"
    );
}
