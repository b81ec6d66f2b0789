//! Property test: random condition trees render to expressions DynamoDB
//! Local accepts, and select exactly the items Rust's own evaluation of the
//! same tree selects.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::expr::{Condition, Placeholders};
use dynamo_model::Model;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::{BTreeSet, HashSet};

#[derive(Model, Debug, Clone)]
#[model(table = "probes")]
struct Probe {
    #[model(hash_key)]
    id: String,
    status: u32,
    name: String,
    tags: BTreeSet<String>,
    nickname: Option<String>,
}

const NAMES: [&str; 4] = ["ant", "bee", "bat", "cat"];
const TAGS: [&str; 3] = ["a", "b", "c"];

fn probes() -> Vec<Probe> {
    (0..40u32)
        .map(|n| Probe {
            id: format!("p{n}"),
            status: n % 7,
            name: NAMES[n as usize % 4].to_owned(),
            tags: TAGS
                .iter()
                .enumerate()
                .filter(|(bit, _)| n & (1 << bit) != 0)
                .map(|(_, t)| (*t).to_owned())
                .collect(),
            nickname: (n % 3 == 0).then(|| format!("nick{n}")),
        })
        .collect()
}

/// A condition tree with its meaning in Rust.
#[derive(Debug, Clone)]
enum Tree {
    Status(&'static str, u32),
    Between(u32, u32),
    In(Vec<u32>),
    NameEq(&'static str),
    BeginsWith(&'static str),
    HasTag(&'static str),
    NicknameExists(bool),
    TagCount(u64),
    And(Box<Tree>, Box<Tree>),
    Or(Box<Tree>, Box<Tree>),
    Not(Box<Tree>),
}

impl Tree {
    fn condition(&self) -> Condition {
        let f = Probe::fields();
        match self {
            Tree::Status(op, k) => match *op {
                "=" => f.status.eq(*k),
                "<>" => f.status.ne(*k),
                "<" => f.status.lt(*k),
                "<=" => f.status.le(*k),
                ">" => f.status.gt(*k),
                _ => f.status.ge(*k),
            },
            Tree::Between(a, b) => f.status.between(*a, *b),
            Tree::In(values) => f.status.is_in(values.iter().copied()),
            Tree::NameEq(name) => f.name.eq(*name),
            Tree::BeginsWith(prefix) => f.name.begins_with(*prefix),
            Tree::HasTag(tag) => f.tags.contains(*tag),
            Tree::NicknameExists(true) => f.nickname.exists(),
            Tree::NicknameExists(false) => f.nickname.not_exists(),
            Tree::TagCount(n) => f.tags.size().eq(*n),
            Tree::And(a, b) => a.condition() & b.condition(),
            Tree::Or(a, b) => a.condition() | b.condition(),
            Tree::Not(a) => !a.condition(),
        }
    }

    fn holds(&self, p: &Probe) -> bool {
        match self {
            Tree::Status(op, k) => match *op {
                "=" => p.status == *k,
                "<>" => p.status != *k,
                "<" => p.status < *k,
                "<=" => p.status <= *k,
                ">" => p.status > *k,
                _ => p.status >= *k,
            },
            Tree::Between(a, b) => (*a..=*b).contains(&p.status),
            Tree::In(values) => values.contains(&p.status),
            Tree::NameEq(name) => p.name == *name,
            Tree::BeginsWith(prefix) => p.name.starts_with(prefix),
            Tree::HasTag(tag) => p.tags.contains(*tag),
            Tree::NicknameExists(exists) => p.nickname.is_some() == *exists,
            // An empty set is not stored, and size() of a missing attribute
            // is false for every comparison.
            Tree::TagCount(n) => !p.tags.is_empty() && p.tags.len() as u64 == *n,
            Tree::And(a, b) => a.holds(p) && b.holds(p),
            Tree::Or(a, b) => a.holds(p) || b.holds(p),
            Tree::Not(a) => !a.holds(p),
        }
    }
}

fn leaf() -> impl Strategy<Value = Tree> {
    prop_oneof![
        (
            prop::sample::select(vec!["=", "<>", "<", "<=", ">", ">="]),
            0..8u32
        )
            .prop_map(|(op, k)| Tree::Status(op, k)),
        (0..8u32, 0..8u32).prop_map(|(a, b)| Tree::Between(a.min(b), a.max(b))),
        prop::collection::vec(0..8u32, 1..5).prop_map(Tree::In),
        prop::sample::select(NAMES.to_vec()).prop_map(Tree::NameEq),
        prop::sample::select(vec!["a", "b", "ba", "c", "x"]).prop_map(Tree::BeginsWith),
        prop::sample::select(TAGS.to_vec()).prop_map(Tree::HasTag),
        any::<bool>().prop_map(Tree::NicknameExists),
        (0..4u64).prop_map(Tree::TagCount),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    leaf().prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Tree::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Tree::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|a| Tree::Not(Box::new(a))),
        ]
    })
}

#[test]
fn random_conditions_select_what_rust_predicts() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let probes = probes();
    let db = runtime.block_on(async {
        let db = client().await;
        Probe::create_table(&db).await.unwrap();
        for probe in &probes {
            Probe::create(&db, probe).await.unwrap();
        }
        db
    });
    let table = db.table_name::<Probe>();

    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&tree(), |tree| {
            let expected: HashSet<String> = probes
                .iter()
                .filter(|p| tree.holds(p))
                .map(|p| p.id.clone())
                .collect();
            let mut placeholders = Placeholders::new();
            let filter = tree.condition().to_expression(&mut placeholders).unwrap();
            let (names, values) = placeholders.into_maps();
            let found: HashSet<String> = runtime.block_on(async {
                let output = db
                    .sdk()
                    .scan()
                    .table_name(&table)
                    .filter_expression(&filter)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("DynamoDB rejected {filter}: {e:?}"));
                assert!(output.last_evaluated_key.is_none(), "40 items fit one page");
                output
                    .items()
                    .iter()
                    .map(|item| match &item["id"] {
                        AttributeValue::S(id) => id.clone(),
                        other => panic!("id {other:?}"),
                    })
                    .collect()
            });
            prop_assert_eq!(found, expected, "filter {}", filter);
            Ok(())
        })
        .unwrap();
}
