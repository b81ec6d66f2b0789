//! Transactions against DynamoDB Local.

use crate::common::{client, local_endpoint, unique_prefix};
use crate::fault_proxy::{Fault, FaultProxy};
use dynamo_model::{Client, Error, Model};
use std::sync::Arc;

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "accounts")]
struct Account {
    #[model(hash_key)]
    id: String,
    balance: i64,
    #[model(version)]
    version: u64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "transfers")]
struct Transfer {
    #[model(hash_key)]
    id: String,
    amount: i64,
}

async fn bank(db: &Client) {
    Account::create_table(db).await.unwrap();
    Transfer::create_table(db).await.unwrap();
    for (id, balance) in [("alice", 100), ("bob", 0)] {
        Account::create(
            db,
            &mut Account {
                id: id.into(),
                balance,
                version: 0,
            },
        )
        .await
        .unwrap();
    }
}

/// Moves `amount` from alice to bob and records the transfer, all or nothing.
async fn transfer(db: &Client, id: &str, amount: i64) -> dynamo_model::Result<()> {
    let f = Account::fields();
    db.transaction()
        .write(
            Account::update(db, "alice")
                .decrement(&f.balance, amount)
                .condition(f.balance.ge(amount)),
        )
        .write(Account::update(db, "bob").increment(&f.balance, amount))
        .create(&Transfer {
            id: id.into(),
            amount,
        })
        .await
}

async fn balances(db: &Client) -> (i64, i64) {
    let mut read = db
        .transact_get()
        .get::<Account>("alice")
        .get::<Account>("bob")
        .await
        .unwrap();
    let alice: Account = read.take(0).unwrap().unwrap();
    let bob: Account = read.take(1).unwrap().unwrap();
    (alice.balance, bob.balance)
}

#[tokio::test]
async fn all_or_nothing_across_models() {
    let db = client().await;
    bank(&db).await;
    transfer(&db, "t1", 30).await.unwrap();
    assert_eq!(balances(&db).await, (70, 30));
    assert_eq!(Transfer::get(&db, "t1").await.unwrap().unwrap().amount, 30);

    // Too much: alice's condition fails, so nothing happens at all.
    let error = transfer(&db, "t2", 500).await.unwrap_err();
    assert!(
        error.is_transaction_canceled() && error.is_conditional_check_failed(),
        "{error:?}"
    );
    let Error::TransactionCanceled { reasons } = &error else {
        unreachable!()
    };
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    let reason = &reasons[0];
    assert_eq!(
        (reason.index, reason.model, reason.code.as_str()),
        (0, "Account", "ConditionalCheckFailed")
    );
    assert!(reason.key.contains("alice"), "{}", reason.key);
    let stored: Account = reason.current_item().unwrap().unwrap();
    assert_eq!(stored.balance, 70);
    assert_eq!(balances(&db).await, (70, 30));
    assert!(Transfer::get(&db, "t2").await.unwrap().is_none());

    // Reusing a transfer id: the create's key check cancels it.
    let error = transfer(&db, "t1", 5).await.unwrap_err();
    let Error::TransactionCanceled { reasons } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(reasons[0].index, 2);
    assert_eq!(balances(&db).await, (70, 30));
}

#[tokio::test]
async fn condition_checks_and_versioned_saves() {
    let db = client().await;
    bank(&db).await;
    let f = Account::fields();
    let alice = Account::get(&db, "alice").await.unwrap().unwrap();
    // alice as read (version 1): the versioned save passes, storing version 2.
    db.transaction()
        .save(&Account {
            balance: 90,
            ..alice.clone()
        })
        .condition_check::<Account>("bob", f.balance.eq(0))
        .await
        .unwrap();
    // The same copy is now stale: its save fails the version check.
    let error = db
        .transaction()
        .save(&Account {
            balance: 80,
            ..alice
        })
        .delete::<Transfer>("none")
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (reasons[0].index, reasons[0].code.as_str()),
        (0, "ConditionalCheckFailed")
    );
    assert_eq!(balances(&db).await, (90, 0));

    let error = db
        .transaction()
        .condition_check::<Account>("bob", f.balance.gt(0))
        .delete::<Transfer>("none")
        .await
        .unwrap_err();
    assert!(error.is_conditional_check_failed(), "{error:?}");
}

#[tokio::test]
async fn transaction_rules_are_checked_before_sending() {
    let db = client().await; // no tables: anything sent would fail differently
    let f = Account::fields();
    let error = db
        .transaction()
        .write(Account::update(&db, "alice").increment(&f.balance, 1))
        .delete::<Account>("alice")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidExpression { reason, .. } if reason.contains("two actions")),
        "{error:?}"
    );

    let many = (0..101).fold(db.transaction(), |tx, i| {
        tx.delete::<Transfer>(format!("t{i}"))
    });
    let error = many.await.unwrap_err();
    assert!(error.to_string().contains("1 to 100"), "{error}");

    let error = db
        .transaction()
        .create(&Transfer {
            id: String::new(),
            amount: 1,
        })
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidValue { .. }), "{error:?}");
}

#[tokio::test]
async fn a_transaction_retried_after_a_lost_answer_is_applied_once() {
    // The first TransactWriteItems reaches DynamoDB Local, but its answer is
    // dropped; the SDK retries the same request, with the same token.
    let proxy = FaultProxy::start(
        &local_endpoint().await,
        1,
        Arc::new(|operation, n, _| {
            if operation == "TransactWriteItems" && n == 0 {
                Fault::DropResponse
            } else {
                Fault::Forward
            }
        }),
    )
    .await;
    let db = Client::local(proxy.endpoint()).with_table_prefix(unique_prefix());
    bank(&db).await;
    transfer(&db, "t1", 10).await.unwrap();
    assert_eq!(proxy.count("TransactWriteItems", "drop"), 1);
    assert!(proxy.count("TransactWriteItems", "forward") >= 1);
    assert_eq!(balances(&db).await, (90, 10), "applied exactly once");
}
