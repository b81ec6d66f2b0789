//! Client CPU time per operation against DynamoDB Local: dynamo-model vs
//! hand-written aws-sdk-dynamodb calls, in the same process, on the same
//! items, alternating batches so drift affects both alike.
//!
//! Run with `cargo bench --bench operations`. Wall-clock time is dominated by
//! DynamoDB Local, so this measures the CPU time of the client thread
//! (`/proc/thread-self/schedstat`, nanoseconds) on a current-thread runtime,
//! where the SDK, hyper and our code all run.

mod common;

use aws_sdk_dynamodb::types::AttributeValue;
use common::User;
use dynamo_model::local::DynamoDbLocal;
use dynamo_model::observe::CapacityMode;
use dynamo_model::Model;
use std::time::Duration;

const ITEMS: u64 = 200;
const ROUNDS: usize = 15;

/// CPU time this thread has used so far.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat")
        .expect("this benchmark needs Linux's /proc/thread-self/schedstat");
    let nanos = stat
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(nanos)
}

/// Runs `op` for every item and returns the CPU time it took.
async fn measure<F, Fut>(mut op: F) -> Duration
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let start = thread_cpu();
    for n in 0..ITEMS {
        op(n).await;
    }
    thread_cpu() - start
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        return; // `cargo test --benches` lists benchmarks; nothing to list.
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match args.as_slice() {
        // Under cachegrind (operations_instructions.sh): `ops` of one case.
        [count, case, ops] if count == "count" => {
            let case = Case::ALL
                .into_iter()
                .find(|c| c.name() == case)
                .unwrap_or_else(|| panic!("unknown case `{case}`"));
            let ops: u64 = ops.parse().expect("a number of operations");
            runtime.block_on(async {
                let env = Env::new().await;
                for n in 0..ops {
                    env.once(case, n % ITEMS).await;
                }
            });
        }
        _ => runtime.block_on(run()),
    }
}

/// One operation measured, by hand or through dynamo-model.
#[derive(Clone, Copy, PartialEq)]
enum Case {
    PutHand,
    PutModel,
    PutMetered,
    GetHand,
    GetModel,
    GetMetered,
    UpdateHand,
    UpdateModel,
}

impl Case {
    const ALL: [Case; 8] = [
        Case::PutHand,
        Case::PutModel,
        Case::PutMetered,
        Case::GetHand,
        Case::GetModel,
        Case::GetMetered,
        Case::UpdateHand,
        Case::UpdateModel,
    ];

    fn name(self) -> &'static str {
        match self {
            Case::PutHand => "put_hand",
            Case::PutModel => "put_model",
            Case::PutMetered => "put_metered",
            Case::GetHand => "get_hand",
            Case::GetModel => "get_model",
            Case::GetMetered => "get_metered",
            Case::UpdateHand => "update_hand",
            Case::UpdateModel => "update_model",
        }
    }
}

/// The clients, table and items every case uses.
struct Env {
    db: dynamo_model::Client,
    /// `db` asking for the capacity of every request.
    metered: dynamo_model::Client,
    /// The hand-written side: a plain SDK client, without the interceptor
    /// dynamo-model's clients carry (see dynamo_model::observe).
    sdk: aws_sdk_dynamodb::Client,
    table: String,
    users: Vec<User>,
}

impl Env {
    /// A table holding every item, so that each get finds one.
    async fn new() -> Self {
        common::check_equivalent();
        let local = DynamoDbLocal::shared().await.expect("DynamoDB Local");
        let db = local
            .client()
            .with_table_prefix(format!("bench{}_", std::process::id()));
        User::create_table(&db).await.unwrap();
        let users: Vec<User> = (0..ITEMS).map(User::sample).collect();
        User::batch_put(&db, &users).await.unwrap();
        // The two updates send the same request.
        let sdk = plain_sdk(local.endpoint());
        let table = db.table_name::<User>();
        let ours = model_update(&db, &users[0]).into_sdk().unwrap();
        let by_hand = hand_update(&sdk, &table, &users[0]);
        assert_eq!(ours.as_input(), by_hand.as_input());
        Env {
            metered: db.clone().with_capacity(CapacityMode::Indexes),
            sdk,
            table,
            users,
            db,
        }
    }

    async fn once(&self, case: Case, n: u64) {
        let user = &self.users[n as usize];
        match case {
            Case::PutHand => {
                let item = user.to_item_by_hand();
                let request = self.sdk.put_item().table_name(&self.table);
                request.set_item(Some(item)).send().await.unwrap();
            }
            Case::PutModel => User::save(&self.db, user).await.unwrap(),
            Case::PutMetered => User::save(&self.metered, user).await.unwrap(),
            Case::GetHand => {
                let request = self.sdk.get_item().table_name(&self.table);
                let key = AttributeValue::S(user.id.clone());
                let item = request.key("id", key).send().await.unwrap().item.unwrap();
                assert!(User::from_item_by_hand(item).is_some());
            }
            Case::GetModel => {
                assert!(User::get(&self.db, user.id.clone())
                    .await
                    .unwrap()
                    .is_some());
            }
            Case::GetMetered => {
                let got = User::get(&self.metered, user.id.clone()).await.unwrap();
                assert!(got.is_some());
            }
            Case::UpdateHand => {
                hand_update(&self.sdk, &self.table, user)
                    .send()
                    .await
                    .unwrap();
            }
            Case::UpdateModel => model_update(&self.db, user).await.unwrap(),
        }
    }
}

/// Two SETs and an ADD, on an item that must exist.
fn model_update<'a>(
    db: &'a dynamo_model::Client,
    user: &User,
) -> dynamo_model::ops::update::Update<'a, User> {
    let f = User::fields();
    User::update(db, user.id.clone())
        .set(f.name, "Ann Updated")
        .set(f.email, "ann@example.org")
        .add(f.age, 1u32)
}

/// The same UpdateItem, written by hand.
fn hand_update(
    sdk: &aws_sdk_dynamodb::Client,
    table: &str,
    user: &User,
) -> aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder {
    use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};
    sdk.update_item()
        .table_name(table)
        .key("id", AttributeValue::S(user.id.clone()))
        .update_expression("SET #n0 = :v0, #n1 = :v1 ADD #n2 :v2")
        .condition_expression("attribute_exists(#n3)")
        .expression_attribute_names("#n0", "name")
        .expression_attribute_names("#n1", "email")
        .expression_attribute_names("#n2", "age")
        .expression_attribute_names("#n3", "id")
        .expression_attribute_values(":v0", AttributeValue::S("Ann Updated".into()))
        .expression_attribute_values(":v1", AttributeValue::S("ann@example.org".into()))
        .expression_attribute_values(":v2", AttributeValue::N("1".into()))
        .return_values(ReturnValue::None)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
}

async fn run() {
    let env = Env::new().await;
    let mut total = [Duration::ZERO; 8];
    for round in 0..=ROUNDS {
        for (i, case) in Case::ALL.into_iter().enumerate() {
            let spent = measure(|n| env.once(case, n)).await;
            // Round 0 warms up connections and caches; it is not counted.
            if round > 0 {
                total[i] += spent;
            }
        }
    }
    User::delete_table(&env.db).await.unwrap();

    let ops = (ITEMS as u32) * ROUNDS as u32;
    println!("client CPU time per operation ({ops} operations each, DynamoDB Local)");
    let per_op = |d: Duration| d.as_secs_f64() * 1e6 / ops as f64;
    for (name, hand, model) in [
        ("put", total[0], total[1]),
        ("put, capacity asked (INDEXES)", total[0], total[2]),
        ("get", total[3], total[4]),
        ("get, capacity asked (INDEXES)", total[3], total[5]),
        ("update (2 SET + ADD, item must exist)", total[6], total[7]),
    ] {
        println!(
            "{name}: hand-written {:>7.1} µs, dynamo-model {:>7.1} µs, ratio {:.3}",
            per_op(hand),
            per_op(model),
            model.as_secs_f64() / hand.as_secs_f64(),
        );
    }
}

/// An SDK client for `endpoint` configured as `Client::local` configures
/// dynamo-model's (retries included).
fn plain_sdk(endpoint: &str) -> aws_sdk_dynamodb::Client {
    let credentials =
        aws_sdk_dynamodb::config::Credentials::new("dynamomodel", "local", None, None, "bench");
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .retry_config(
            aws_sdk_dynamodb::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(50))
                .with_max_backoff(Duration::from_secs(5)),
        )
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}
