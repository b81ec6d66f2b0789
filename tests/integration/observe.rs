//! Consumed capacity and the metrics recorder, on DynamoDB Local (which
//! reports capacity per table and index).

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::operation::put_item::builders::PutItemInputBuilder;
use dynamo_model::observe::{
    measure, CallRecord, CapacityMode, Layer, LayerFuture, Outcome, Recorder, RequestInfo,
    RequestOutcome,
};
use dynamo_model::Model;
use std::sync::{Arc, Mutex};

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "metered")]
struct Account {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_email", hash_key))]
    email: String,
    #[model(global_index(name = "by_team", hash_key))]
    team: String,
}

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        email: format!("{id}@example.com"),
        team: "core".into(),
    }
}

#[tokio::test]
async fn a_put_on_a_model_with_two_indexes_reports_the_table_and_both_indexes() {
    let db = client().await;
    Account::create_table(&db).await.unwrap();
    let table = db.table_name::<Account>();

    let (saved, capacity) = measure(Account::save(&db, &account("a1"))).await;
    saved.unwrap();
    // DynamoDB gives the table's and each index's part as a total.
    assert_eq!(capacity.total.total, 3.0, "{capacity:?}");
    assert_eq!(capacity.tables[&table].total, 1.0, "{capacity:?}");
    let indexes: Vec<(&str, f64)> = capacity
        .indexes
        .iter()
        .map(|(index, units)| (index.as_str(), units.total))
        .collect();
    assert_eq!(
        indexes,
        [
            (format!("{table}/by_email").as_str(), 1.0),
            (format!("{table}/by_team").as_str(), 1.0)
        ]
    );

    // Summed over every call inside, a query's pages included.
    let (read, capacity) = measure(async {
        Account::save(&db, &account("a2")).await?;
        Account::by_team(&db)
            .hash("core")
            .request_limit(1)
            .all()
            .await
    })
    .await;
    assert_eq!(read.unwrap().len(), 2);
    // A put (1 + 2 index units) and two pages of the index (0.5 each).
    assert_eq!(capacity.tables[&table].total, 1.0, "{capacity:?}");
    let by_team = capacity.indexes[&format!("{table}/by_team")].total;
    assert!(by_team > 1.0, "{capacity:?}");

    // Nothing is asked for outside a measure on a client without a mode.
    let (got, none) = measure(async { Ok::<_, dynamo_model::Error>(()) }).await;
    got.unwrap();
    assert_eq!(none, Default::default());
}

/// Keeps every record as text.
#[derive(Clone, Default)]
struct Kept(Arc<Mutex<Vec<String>>>);

impl Recorder for Kept {
    fn record(&self, call: &CallRecord<'_>) {
        let outcome = match call.outcome {
            Outcome::Ok => "ok".to_owned(),
            Outcome::Error(kind) => kind.to_owned(),
        };
        let capacity = call.capacity.map_or(0.0, |c| c.total.total);
        self.0.lock().unwrap().push(format!(
            "{} {} {} index={:?} {outcome} requests={} capacity>0={}",
            call.model.unwrap_or("-"),
            call.operation,
            call.table.ends_with("metered"),
            call.index,
            call.requests,
            capacity > 0.0,
        ));
    }
}

#[tokio::test]
async fn the_recorder_gets_one_record_per_call_with_outcome_and_capacity() {
    let kept = Kept::default();
    let db = client()
        .await
        .with_capacity(CapacityMode::Total)
        .with_recorder(kept.clone());
    Account::create_table(&db).await.unwrap();
    Account::create(&db, &account("r1")).await.unwrap();
    let again = Account::create(&db, &account("r1")).await.unwrap_err();
    assert!(again.is_already_exists());
    Account::get(&db, "r1").await.unwrap().unwrap();
    let found = Account::by_email(&db)
        .hash("r1@example.com")
        .all()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        *kept.0.lock().unwrap(),
        [
            "Account create true index=None ok requests=1 capacity>0=true",
            // DynamoDB charges a failed condition but reports no capacity with it.
            "Account create true index=None AlreadyExists requests=1 capacity>0=false",
            "Account get true index=None ok requests=1 capacity>0=true",
            "Account query true index=Some(\"by_email\") ok requests=1 capacity>0=true",
        ]
    );
}

/// Logs every request, and refuses puts of accounts whose id starts with
/// `blocked` (fault injection, as a service's own test would do it).
#[derive(Clone, Default)]
struct Audit(Arc<Mutex<Vec<String>>>);

impl Layer for Audit {
    fn before<'a>(&'a self, request: &'a RequestInfo<'a>) -> LayerFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let id = request
                .input::<PutItemInputBuilder>()
                .and_then(|put| put.get_item().as_ref())
                .and_then(|item| item.get("id"))
                .and_then(|id| id.as_s().ok())
                .cloned();
            self.0.lock().unwrap().push(format!(
                "before {:?} {} {} put of {id:?}",
                request.model, request.call, request.operation
            ));
            match id {
                Some(id) if id.starts_with("blocked") => Err(format!("{id} is blocked")),
                _ => Ok(()),
            }
        })
    }

    fn after<'a>(
        &'a self,
        request: &'a RequestInfo<'a>,
        outcome: RequestOutcome<'a>,
    ) -> LayerFuture<'a, ()> {
        Box::pin(async move {
            let table = request.table.ends_with("metered");
            self.0.lock().unwrap().push(format!(
                "after {} {outcome:?} table={table}",
                request.operation
            ));
        })
    }
}

#[tokio::test]
async fn a_layer_sees_every_request_and_can_refuse_one_before_it_is_sent() {
    let audit = Audit::default();
    let plain = client().await;
    let db = plain.clone().with_layer(audit.clone());
    Account::create_table(&db).await.unwrap();
    Account::create(&db, &account("ok1")).await.unwrap();
    let refused = Account::create(&db, &account("blocked1"))
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("refused by a layer: blocked1 is blocked"),
        "{refused}"
    );
    // Nothing was sent: the item is not there.
    assert!(Account::get(&plain, "blocked1").await.unwrap().is_none());
    Account::get(&db, "missing").await.unwrap();
    assert_eq!(
        *audit.0.lock().unwrap(),
        [
            "before Some(\"Account\") create PutItem put of Some(\"ok1\")",
            "after PutItem Ok table=true",
            "before Some(\"Account\") create PutItem put of Some(\"blocked1\")",
            "before Some(\"Account\") get GetItem put of None",
            "after GetItem Ok table=true",
        ]
    );
}
