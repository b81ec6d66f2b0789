//! `.customize(..)` against DynamoDB Local: the change reaches the request
//! (observable by sending it to a second table), the result stays typed,
//! and a failure is still a `dynamo_model::Error` naming the operation.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::operation::transact_write_items::builders::TransactWriteItemsFluentBuilder;
use dynamo_model::aws_sdk_dynamodb::types::{Put, ReturnConsumedCapacity, TransactWriteItem};
use dynamo_model::ops::item::SaveRequest;
use dynamo_model::{Client, Error, Model};
use futures::TryStreamExt;
use std::time::SystemTime;

/// A model, and the same model in a second table (to see where a
/// customized request went).
macro_rules! model_and_copy {
    ($(#[$doc:meta])* $name:ident in $table:literal, $copy:ident in $copy_table:literal { $($fields:tt)* }) => {
        $(#[$doc])*
        #[derive(Model, Debug, Clone, PartialEq)]
        #[model(table = $table)]
        struct $name { $($fields)* }

        #[derive(Model, Debug, Clone, PartialEq)]
        #[model(table = $copy_table)]
        struct $copy { $($fields)* }
    };
}

model_and_copy! {
    Note in "notes", NoteCopy in "notes_copy" {
        #[model(hash_key)]
        owner: String,
        #[model(range_key)]
        n: u32,
        text: String,
    }
}

model_and_copy! {
    /// A model saved with an UpdateItem (it has `created_at`).
    Stamped in "stamped", StampedCopy in "stamped_copy" {
        #[model(hash_key)]
        id: String,
        text: String,
        #[model(created_at)]
        created_at: Option<SystemTime>,
    }
}

const MISSING: &str = "customize_no_such_table";

fn note(owner: &str, n: u32, text: &str) -> Note {
    Note {
        owner: owner.into(),
        n,
        text: text.into(),
    }
}

fn copy(note: &Note) -> NoteCopy {
    NoteCopy {
        owner: note.owner.clone(),
        n: note.n,
        text: note.text.clone(),
    }
}

/// `note` is stored in the copy's table, and not in the model's.
async fn assert_moved(db: &Client, note: &Note) {
    let key = (note.owner.clone(), note.n);
    assert_eq!(Note::get(db, key.clone()).await.unwrap(), None);
    assert_eq!(NoteCopy::get(db, key).await.unwrap(), Some(copy(note)));
}

/// A save's change sending it to `table`, for a model saved with
/// `operation` (`PutItem` or `UpdateItem`).
fn save_to(
    table: impl Into<String>,
    operation: &'static str,
) -> impl FnOnce(SaveRequest) -> SaveRequest + Send {
    let table = table.into();
    move |req| match (req, operation) {
        (SaveRequest::Put(put), "PutItem") => SaveRequest::Put(put.table_name(table)),
        (SaveRequest::Update(update), "UpdateItem") => {
            SaveRequest::Update(update.table_name(table))
        }
        (other, _) => panic!("the model is saved with {operation}, not {other:?}"),
    }
}

/// A save's change asking for the consumed capacity, whichever its request.
fn save_counted(req: SaveRequest) -> SaveRequest {
    let total = ReturnConsumedCapacity::Total;
    match req {
        SaveRequest::Put(put) => SaveRequest::Put(put.return_consumed_capacity(total)),
        SaveRequest::Update(update) => SaveRequest::Update(update.return_consumed_capacity(total)),
    }
}

/// A client with both note tables.
async fn notes() -> (Client, String) {
    let db = client().await;
    Note::create_table(&db).await.unwrap();
    NoteCopy::create_table(&db).await.unwrap();
    let other = db.table_name::<NoteCopy>();
    (db, other)
}

fn key(owner: &str, n: u32) -> (String, u32) {
    (owner.to_owned(), n)
}

/// Both note tables, holding the same key: `main` in the model's, `copy` in
/// the copy's.
async fn one_note_in_each() -> (Client, String) {
    let (db, other) = notes().await;
    Note::create(&db, &note("ann", 1, "main")).await.unwrap();
    NoteCopy::create(&db, &copy(&note("ann", 1, "copy")))
        .await
        .unwrap();
    (db, other)
}

/// The error of a request sent to a table that does not exist: a service
/// error naming `operation` and the table.
#[track_caller]
fn assert_missing_table(error: &Error, operation: &str) {
    assert!(error.is_table_not_found(), "{error}");
    let Error::Service {
        operation: named,
        table,
        ..
    } = error
    else {
        panic!("a service error: {error:?}");
    };
    assert_eq!((*named, table.as_str()), (operation, MISSING));
    assert!(
        error
            .to_string()
            .starts_with(&format!("{operation} on table `{MISSING}`")),
        "{error}"
    );
}

/// The service error an incomplete batch of `operation` ends with.
#[track_caller]
fn batch_cause<'e>(error: &'e Error, operation: &str) -> &'e Error {
    let Error::BatchIncomplete {
        operation: named,
        cause: Some(cause),
        ..
    } = error
    else {
        panic!("an incomplete batch with a cause: {error:?}");
    };
    assert_eq!(*named, operation);
    assert!(error.to_string().starts_with(operation), "{error}");
    cause
}

#[tokio::test]
async fn get_customized_reads_where_the_change_says_and_stays_typed() {
    let (db, other) = one_note_in_each().await;

    let redirected: Option<Note> = Note::get(&db, key("ann", 1))
        .customize(move |req| req.table_name(other))
        .await
        .unwrap();
    assert_eq!(redirected, Some(note("ann", 1, "copy")));

    let counted = Note::get(&db, key("ann", 1))
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .await
        .unwrap();
    assert_eq!(counted, Some(note("ann", 1, "main")));

    let error = Note::get(&db, key("ann", 1))
        .customize(|req| req.table_name(MISSING))
        .await
        .unwrap_err();
    assert_missing_table(&error, "GetItem");
}

#[tokio::test]
async fn create_customized_writes_where_the_change_says_and_keeps_its_errors() {
    let (db, other) = notes().await;
    let to_other = other.clone();
    Note::create(&db, &note("ann", 1, "created"))
        .customize(move |req| req.table_name(to_other))
        .await
        .unwrap();
    assert_moved(&db, &note("ann", 1, "created")).await;
    // The key is taken in the table written to: still AlreadyExists.
    let error = Note::create(&db, &note("ann", 1, "again"))
        .customize(move |req| req.table_name(other))
        .await
        .unwrap_err();
    assert!(error.is_already_exists(), "{error}");

    Note::create(&db, &note("ann", 2, "counted"))
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .await
        .unwrap();
    assert_eq!(
        Note::get(&db, key("ann", 2)).await.unwrap(),
        Some(note("ann", 2, "counted"))
    );

    let error = Note::create(&db, &note("ann", 3, "lost"))
        .customize(|req| req.table_name(MISSING))
        .await
        .unwrap_err();
    assert_missing_table(&error, "PutItem");
}

#[tokio::test]
async fn save_customized_as_a_put() {
    let (db, other) = notes().await;
    Note::save(&db, &note("ann", 1, "saved"))
        .customize(save_to(other, "PutItem"))
        .await
        .unwrap();
    assert_moved(&db, &note("ann", 1, "saved")).await;

    Note::save(&db, &note("ann", 2, "counted"))
        .customize(save_counted)
        .await
        .unwrap();
    let read = Note::get(&db, key("ann", 2)).await.unwrap();
    assert_eq!(read, Some(note("ann", 2, "counted")));

    let error = Note::save(&db, &note("ann", 3, "lost"))
        .customize(save_to(MISSING, "PutItem"))
        .await
        .unwrap_err();
    assert_missing_table(&error, "PutItem");
}

#[tokio::test]
async fn save_customized_as_an_update_keeps_its_typed_errors() {
    let db = client().await;
    Stamped::create_table(&db).await.unwrap();
    StampedCopy::create_table(&db).await.unwrap();
    let other = db.table_name::<StampedCopy>();
    let stamped = Stamped {
        id: "s1".into(),
        text: "saved".into(),
        created_at: None,
    };
    Stamped::save(&db, &stamped)
        .customize(save_to(other.clone(), "UpdateItem"))
        .await
        .unwrap();
    assert_eq!(Stamped::get(&db, "s1").await.unwrap(), None);
    let read = StampedCopy::get(&db, "s1").await.unwrap().unwrap();
    assert_eq!(read.text, "saved");
    assert!(read.created_at.is_some());

    // A failed condition in the table written to is still typed.
    let f = Stamped::fields();
    let error = Stamped::save(&db, &stamped)
        .condition(f.text.eq("something else"))
        .customize(save_to(other, "UpdateItem"))
        .await
        .unwrap_err();
    assert!(error.is_conditional_check_failed(), "{error}");
    let Error::ConditionalCheckFailed { operation, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*operation, "UpdateItem");

    Stamped::save(&db, &stamped)
        .customize(save_counted)
        .await
        .unwrap();
    let read = Stamped::get(&db, "s1").await.unwrap().unwrap();
    assert_eq!(read.text, "saved");

    let error = Stamped::save(&db, &stamped)
        .customize(save_to(MISSING, "UpdateItem"))
        .await
        .unwrap_err();
    assert_missing_table(&error, "UpdateItem");
}

#[tokio::test]
async fn update_customized_on_every_return_kind() {
    let (db, other) = notes().await;
    let f = Note::fields();
    Note::create(&db, &note("ann", 1, "main")).await.unwrap();
    NoteCopy::create(&db, &copy(&note("ann", 1, "copy")))
        .await
        .unwrap();

    let to_other = other.clone();
    let updated: Note = Note::update(&db, key("ann", 1))
        .set(&f.text, "changed")
        .return_new()
        .customize(move |req| req.table_name(to_other))
        .await
        .unwrap();
    assert_eq!(updated, note("ann", 1, "changed"));
    assert_eq!(
        Note::get(&db, key("ann", 1)).await.unwrap(),
        Some(note("ann", 1, "main")),
        "the model's own table is untouched"
    );

    // The item is missing in the table written to: still NotFound.
    let error = Note::update(&db, key("ann", 9))
        .set(&f.text, "x")
        .customize(move |req| req.table_name(other))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");

    let old: Option<Note> = Note::update(&db, key("ann", 1))
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .set(&f.text, "main 2")
        .return_old()
        .await
        .unwrap();
    assert_eq!(old, Some(note("ann", 1, "main")));

    let error = Note::update(&db, key("ann", 1))
        .set(&f.text, "lost")
        .return_updated_new()
        .customize(|req| req.table_name(MISSING))
        .await
        .unwrap_err();
    assert_missing_table(&error, "UpdateItem");
}

#[tokio::test]
async fn delete_customized_returns_what_it_deleted_where_the_change_says() {
    let (db, other) = one_note_in_each().await;

    let old: Option<Note> = Note::delete(&db, key("ann", 1))
        .return_old()
        .customize(move |req| req.table_name(other))
        .await
        .unwrap();
    assert_eq!(old, Some(note("ann", 1, "copy")));
    assert_eq!(NoteCopy::get(&db, key("ann", 1)).await.unwrap(), None);
    assert!(Note::get(&db, key("ann", 1)).await.unwrap().is_some());

    Note::delete(&db, key("ann", 1))
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .await
        .unwrap();
    assert_eq!(Note::get(&db, key("ann", 1)).await.unwrap(), None);

    let error = Note::delete(&db, key("ann", 1))
        .customize(|req| req.table_name(MISSING))
        .await
        .unwrap_err();
    assert_missing_table(&error, "DeleteItem");
}

/// Three notes of ann in the model's table, four in the copy.
async fn notes_in_both() -> (Client, String) {
    let (db, other) = notes().await;
    let main: Vec<Note> = (0..3).map(|n| note("ann", n, "main")).collect();
    let copies: Vec<NoteCopy> = (0..4).map(|n| copy(&note("ann", n, "copy"))).collect();
    Note::batch_put(&db, &main).await.unwrap();
    NoteCopy::batch_put(&db, &copies).await.unwrap();
    (db, other)
}

#[tokio::test]
async fn query_customized_applies_to_every_page() {
    let (db, other) = notes_in_both().await;
    let to_other = other.clone();
    // One item per request: four pages, each of which must go to the copy.
    let read: Vec<Note> = Note::query(&db)
        .hash("ann")
        .request_limit(1)
        .customize(move |req| req.table_name(to_other.clone()))
        .all()
        .await
        .unwrap();
    let expected: Vec<Note> = (0..4).map(|n| note("ann", n, "copy")).collect();
    assert_eq!(read, expected);

    let to_other = other.clone();
    let counted = Note::query(&db)
        .hash("ann")
        .request_limit(1)
        .customize(move |req| req.table_name(to_other.clone()))
        .count()
        .await
        .unwrap();
    assert_eq!(counted, 4);

    let page = Note::query(&db)
        .hash("ann")
        .limit(2)
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .page()
        .await
        .unwrap();
    assert_eq!(page.items, [note("ann", 0, "main"), note("ann", 1, "main")]);
    assert!(page.cursor.is_some());

    let error = Note::query(&db)
        .hash("ann")
        .customize(|req| req.table_name(MISSING))
        .all()
        .await
        .unwrap_err();
    assert_missing_table(&error, "Query");
}

#[tokio::test]
async fn scan_customized_applies_to_every_page_and_segment() {
    let (db, other) = notes_in_both().await;
    let to_other = other.clone();
    let mut read: Vec<Note> = Note::scan(&db)
        .request_limit(1)
        .customize(move |req| req.table_name(to_other.clone()))
        .stream()
        .try_collect()
        .await
        .unwrap();
    read.sort_by_key(|note| note.n);
    let expected: Vec<Note> = (0..4).map(|n| note("ann", n, "copy")).collect();
    assert_eq!(read, expected);

    let to_other = other.clone();
    let mut parallel: Vec<Note> = Note::scan(&db)
        .request_limit(1)
        .customize(move |req| req.table_name(to_other.clone()))
        .parallel(3)
        .all()
        .await
        .unwrap();
    parallel.sort_by_key(|note| note.n);
    assert_eq!(parallel, expected);

    let counted = Note::scan(&db)
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .count()
        .await
        .unwrap();
    assert_eq!(counted, 3);

    let error = Note::scan(&db)
        .customize(|req| req.table_name(MISSING))
        .parallel(2)
        .count()
        .await
        .unwrap_err();
    assert_missing_table(&error, "Scan");
}

#[tokio::test]
async fn batch_put_customized_applies_to_every_chunk() {
    let (db, other) = notes().await;
    let written: Vec<Note> = (0..60).map(|n| note("ann", n, "batch")).collect();
    let main = db.table_name::<Note>();
    // Every chunk's writes moved from the model's table to the copy.
    Note::batch_put(&db, &written)
        .customize(move |req| {
            let mut items = req.get_request_items().clone().unwrap_or_default();
            let writes = items.remove(&main).unwrap_or_default();
            items.insert(other.clone(), writes);
            req.set_request_items(Some(items))
        })
        .await
        .unwrap();
    assert_eq!(Note::scan(&db).count().await.unwrap(), 0);
    let mut copies: Vec<NoteCopy> = NoteCopy::scan(&db).all().await.unwrap();
    copies.sort_by_key(|note| note.n);
    assert_eq!(copies, written.iter().map(copy).collect::<Vec<_>>());

    Note::batch_put(&db, &written)
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .await
        .unwrap();
    assert_eq!(Note::scan(&db).count().await.unwrap(), 60);

    let main = db.table_name::<Note>();
    let error = Note::batch_put(&db, &written)
        .customize(move |req| {
            let mut items = req.get_request_items().clone().unwrap_or_default();
            let writes = items.remove(&main).unwrap_or_default();
            items.insert(MISSING.to_owned(), writes);
            req.set_request_items(Some(items))
        })
        .await
        .unwrap_err();
    assert_missing_table(batch_cause(&error, "BatchWriteItem"), "BatchWriteItem");
}

#[tokio::test]
async fn batch_get_customized_applies_to_every_chunk_and_stays_in_order() {
    let (db, other) = notes().await;
    let main: Vec<Note> = (0..150).map(|n| note("ann", n, "main")).collect();
    let copies: Vec<NoteCopy> = (0..150)
        .map(|n| copy(&note("ann", n, "copy")))
        .filter(|note| note.n % 2 == 0)
        .collect();
    Note::batch_put(&db, &main).await.unwrap();
    NoteCopy::batch_put(&db, &copies).await.unwrap();

    let main_table = db.table_name::<Note>();
    let keys: Vec<(String, u32)> = (0..150).rev().map(|n| key("ann", n)).collect();
    let read = Note::batch_get(&db, keys.clone())
        .customize(move |req| {
            let mut items = req.get_request_items().clone().unwrap_or_default();
            let asked = items.remove(&main_table).expect("the model's table");
            items.insert(other.clone(), asked);
            req.set_request_items(Some(items))
        })
        .await
        .unwrap();
    let expected: Vec<Option<Note>> = (0..150)
        .rev()
        .map(|n| (n % 2 == 0).then(|| note("ann", n, "copy")))
        .collect();
    assert_eq!(read, expected);

    let counted = Note::batch_get(&db, keys.clone())
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .await
        .unwrap();
    assert_eq!(
        counted,
        (0..150)
            .rev()
            .map(|n| Some(note("ann", n, "main")))
            .collect::<Vec<_>>()
    );

    let main_table = db.table_name::<Note>();
    let error = Note::batch_get(&db, keys)
        .customize(move |req| {
            let mut items = req.get_request_items().clone().unwrap_or_default();
            let asked = items.remove(&main_table).expect("the model's table");
            items.insert(MISSING.to_owned(), asked);
            req.set_request_items(Some(items))
        })
        .await
        .unwrap_err();
    assert_missing_table(batch_cause(&error, "BatchGetItem"), "BatchGetItem");
}

/// The transaction with each put's table `from` renamed `to`.
fn move_puts(
    req: TransactWriteItemsFluentBuilder,
    from: &str,
    to: &str,
) -> TransactWriteItemsFluentBuilder {
    let items = req.get_transact_items().clone().unwrap_or_default();
    let moved = items
        .into_iter()
        .map(|item| match item.put() {
            Some(put) if put.table_name() == from => {
                let put = Put::builder()
                    .table_name(to)
                    .set_item(Some(put.item().clone()))
                    .set_condition_expression(put.condition_expression().map(str::to_owned))
                    .set_expression_attribute_names(put.expression_attribute_names().cloned())
                    .build()
                    .unwrap();
                TransactWriteItem::builder().put(put).build()
            }
            _ => item,
        })
        .collect();
    req.set_transact_items(Some(moved))
}

#[tokio::test]
async fn transactions_customized_keep_their_typed_results_and_errors() {
    let (db, other) = notes().await;
    let main = db.table_name::<Note>();
    let (from, to) = (main.clone(), other.clone());
    db.transaction()
        .create(&note("ann", 1, "moved"))
        .create(&note("ann", 2, "moved"))
        .customize(move |req| move_puts(req, &from, &to))
        .await
        .unwrap();
    assert_eq!(Note::scan(&db).count().await.unwrap(), 0);
    assert_eq!(NoteCopy::scan(&db).count().await.unwrap(), 2);

    // The key is taken in the table written to: still a typed cancellation.
    let (from, to) = (main.clone(), other.clone());
    let error = db
        .transaction()
        .create(&note("ann", 3, "fresh"))
        .create(&note("ann", 2, "taken"))
        .customize(move |req| move_puts(req, &from, &to))
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(
        (reasons[0].index, reasons[0].code.as_str()),
        (1, "ConditionalCheckFailed")
    );
    assert!(error.is_conditional_check_failed());

    db.transaction()
        .create(&note("ann", 1, "main"))
        .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        .await
        .unwrap();
    assert_eq!(
        Note::get(&db, key("ann", 1)).await.unwrap(),
        Some(note("ann", 1, "main"))
    );

    let error = db
        .transaction()
        .create(&note("ann", 5, "lost"))
        .customize(move |req| move_puts(req, &main, MISSING))
        .await
        .unwrap_err();
    assert!(error.is_table_not_found(), "{error}");
    assert!(
        error.to_string().starts_with("TransactWriteItems on table"),
        "{error}"
    );

    // Reads: the first get redirected to the copy.
    let to = other.clone();
    let mut read = db
        .transact_get()
        .get::<Note>(key("ann", 1))
        .get::<Note>(key("ann", 2))
        .customize(move |req| {
            let mut gets = req.get_transact_items().clone().unwrap_or_default();
            let first = gets[0].get().unwrap().clone();
            let moved = dynamo_model::aws_sdk_dynamodb::types::Get::builder()
                .table_name(&to)
                .set_key(Some(first.key().clone()))
                .build()
                .unwrap();
            gets[0] = dynamo_model::aws_sdk_dynamodb::types::TransactGetItem::builder()
                .get(moved)
                .build();
            req.set_transact_items(Some(gets))
        })
        .await
        .unwrap();
    assert_eq!(read.take::<Note>(0).unwrap(), Some(note("ann", 1, "moved")));
    assert_eq!(read.take::<Note>(1).unwrap(), None);

    let error = db
        .transact_get()
        .get::<Note>(key("ann", 1))
        .customize(|req| req.set_transact_items(Some(Vec::new())))
        .await
        .unwrap_err();
    let Error::Service { operation, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*operation, "TransactGetItems");
    assert!(
        error.to_string().starts_with("TransactGetItems on table"),
        "{error}"
    );
}
