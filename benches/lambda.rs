//! Decoding a Lambda DynamoDB event of 100 records into typed changes:
//! dynamo-model (`ChangeRecord::from_lambda` + `into_change`), the same by
//! hand from the event's images, and serde_dynamo into the struct. The
//! three are checked equal before timing. A model with the shapes users
//! have: strings, numbers, a string set, a nested map, a list.
//!
//! `cargo bench -p dynamo-model-benches --bench lambda`

use aws_sdk_dynamodb::types::AttributeValue;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dynamo_model::stream::lambda::aws_lambda_events::event::dynamodb::{Event, EventRecord};
use dynamo_model::stream::{Change, ChangeRecord};
use dynamo_model::{Document, Model};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;

#[derive(Document, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
struct Address {
    city: String,
    zip: String,
}

#[derive(Model, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
#[model(table = "bench_orders")]
struct Order {
    #[model(hash_key)]
    id: String,
    status: String,
    total_cents: u64,
    items: u32,
    tags: BTreeSet<String>,
    address: Address,
    notes: Vec<String>,
}

fn image(n: usize, status: &str) -> Value {
    json!({
        "id": {"S": format!("order-{n:05}")},
        "status": {"S": status},
        "total_cents": {"N": (1000 + n).to_string()},
        "items": {"N": "3"},
        "tags": {"SS": ["gift", "priority"]},
        "address": {"M": {"city": {"S": "Lyon"}, "zip": {"S": "69001"}}},
        "notes": {"L": [{"S": "ring twice"}, {"S": "leave at door"}]},
    })
}

/// 100 records as Lambda delivers them: every other one a MODIFY.
fn event() -> Event {
    let records: Vec<Value> = (0..100)
        .map(|n| {
            let id = format!("order-{n:05}");
            let mut change = json!({
                "Keys": {"id": {"S": id}},
                "NewImage": image(n, "paid"),
                "SequenceNumber": format!("{:021}", n + 1),
                "SizeBytes": 200,
                "StreamViewType": "NEW_AND_OLD_IMAGES",
                "ApproximateCreationDateTime": 1_700_000_000.0,
            });
            let name = if n % 2 == 0 {
                "INSERT"
            } else {
                change["OldImage"] = image(n, "new");
                "MODIFY"
            };
            json!({
                "eventID": format!("e{n}"), "eventName": name, "eventVersion": "1.1",
                "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
                "dynamodb": change,
                "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:table/bench_orders/stream/x",
            })
        })
        .collect();
    serde_json::from_value(json!({ "Records": records })).expect("an event")
}

fn dynamo_model(event: Event) -> Vec<Change<Order>> {
    event
        .records
        .into_iter()
        .map(|r| {
            ChangeRecord::<Order>::from_lambda(r)
                .and_then(ChangeRecord::into_change)
                .unwrap()
        })
        .collect()
}

/// The changes of `event` (INSERT and MODIFY only), each image read by `read`.
fn changes(event: Event, read: impl Fn(serde_dynamo::Item) -> Order) -> Vec<Change<Order>> {
    event
        .records
        .into_iter()
        .map(|r: EventRecord| match r.event_name.as_str() {
            "INSERT" => Change::Insert {
                new: read(r.change.new_image),
            },
            _ => Change::Modify {
                old: read(r.change.old_image),
                new: read(r.change.new_image),
            },
        })
        .collect()
}

fn serde(event: Event) -> Vec<Change<Order>> {
    changes(event, |image| serde_dynamo::from_item(image).unwrap())
}

/// What a careful engineer writes by hand: the images into the SDK's
/// maps, each attribute matched into its field.
fn by_hand(event: Event) -> Vec<Change<Order>> {
    fn string(item: &mut HashMap<String, AttributeValue>, name: &str) -> String {
        match item.remove(name) {
            Some(AttributeValue::S(s)) => s,
            other => panic!("{name}: {other:?}"),
        }
    }
    fn number<T: std::str::FromStr>(item: &mut HashMap<String, AttributeValue>, name: &str) -> T {
        match item.remove(name) {
            Some(AttributeValue::N(n)) => n.parse().ok().unwrap(),
            other => panic!("{name}: {other:?}"),
        }
    }
    fn read(image: serde_dynamo::Item) -> Order {
        let mut item: HashMap<String, AttributeValue> = image.into();
        let tags = match item.remove("tags") {
            Some(AttributeValue::Ss(tags)) => tags.into_iter().collect(),
            other => panic!("tags: {other:?}"),
        };
        let address = match item.remove("address") {
            Some(AttributeValue::M(mut map)) => Address {
                city: string(&mut map, "city"),
                zip: string(&mut map, "zip"),
            },
            other => panic!("address: {other:?}"),
        };
        let notes = match item.remove("notes") {
            Some(AttributeValue::L(list)) => list
                .into_iter()
                .map(|v| match v {
                    AttributeValue::S(s) => s,
                    other => panic!("note: {other:?}"),
                })
                .collect(),
            other => panic!("notes: {other:?}"),
        };
        Order {
            id: string(&mut item, "id"),
            status: string(&mut item, "status"),
            total_cents: number(&mut item, "total_cents"),
            items: number(&mut item, "items"),
            tags,
            address,
            notes,
        }
    }
    changes(event, read)
}

fn decode(c: &mut Criterion) {
    let event = event();
    let expected = by_hand(event.clone());
    assert_eq!(dynamo_model(event.clone()), expected);
    assert_eq!(serde(event.clone()), expected);

    let mut group = c.benchmark_group("lambda event of 100 records");
    group.bench_function("hand-written", |b| {
        b.iter_batched(
            || event.clone(),
            |e| black_box(by_hand(e)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("dynamo-model", |b| {
        b.iter_batched(
            || event.clone(),
            |e| black_box(dynamo_model(e)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("serde_dynamo", |b| {
        b.iter_batched(
            || event.clone(),
            |e| black_box(serde(e)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
