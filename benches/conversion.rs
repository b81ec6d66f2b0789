//! Model → item → model for a 10-field model: derived code vs serde_dynamo
//! vs hand-written conversion; for a 10-attribute model with a set, a
//! nested document and a list, derived vs hand-written; and for a model with
//! schema rules, derived vs hand-written code doing the same work. Run with
//! `cargo bench -p dynamo-model-benches --bench conversion`.

mod common;
#[path = "common/profile.rs"]
mod profile;
mod with_rules;

use common::User;
use criterion::{criterion_group, criterion_main, Criterion};
use dynamo_model::Model;
use std::hint::black_box;

fn round_trip(c: &mut Criterion) {
    common::check_equivalent();
    let user = User::sample(7);
    let mut group = c.benchmark_group("round_trip_10_fields");
    group.bench_function("hand_written", |b| {
        b.iter(|| User::from_item_by_hand(black_box(&user).to_item_by_hand()))
    });
    group.bench_function("dynamo_model", |b| {
        b.iter(|| User::from_item(black_box(&user).to_item().unwrap()).unwrap())
    });
    group.bench_function("serde_dynamo", |b| {
        b.iter(|| {
            let item: dynamo_model::Item = serde_dynamo::to_item(black_box(&user)).unwrap();
            serde_dynamo::from_item::<_, User>(item).unwrap()
        })
    });
    group.finish();
}

fn round_trip_nested(c: &mut Criterion) {
    profile::check_equivalent();
    let profile = profile::Profile::sample(7);
    let mut group = c.benchmark_group("round_trip_nested");
    group.bench_function("hand_written", |b| {
        b.iter(|| profile::Profile::from_item_by_hand(black_box(&profile).to_item_by_hand()))
    });
    group.bench_function("dynamo_model", |b| {
        b.iter(|| profile::Profile::from_item(black_box(&profile).to_item().unwrap()).unwrap())
    });
    group.finish();
}

fn round_trip_with_rules(c: &mut Criterion) {
    with_rules::check_equivalent();
    let member = with_rules::Member::sample();
    let mut group = c.benchmark_group("round_trip_with_rules");
    group.bench_function("hand_written", |b| {
        b.iter(|| with_rules::Member::from_item_by_hand(black_box(&member).to_item_by_hand()))
    });
    group.bench_function("dynamo_model", |b| {
        b.iter(|| with_rules::Member::from_item(black_box(&member).to_item().unwrap()).unwrap())
    });
    group.finish();
}

criterion_group!(
    benches,
    round_trip,
    round_trip_nested,
    round_trip_with_rules
);
criterion_main!(benches);
