//! Lifecycle hooks on DynamoDB Local: a tenant-prefix hook that every
//! operation runs, proven by reading the raw items; hook conditions; hooks
//! that refuse; `skip_hooks()`.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::hooks::{BeforeDelete, BeforeWrite, HookResult, Hooks, WriteKind};
use dynamo_model::{Client, Item, Model};
use futures::StreamExt;
use std::time::Duration;

/// Stored under `acme#<id>`; the struct holds `<id>`.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "notes", hooks, stream = "new_and_old_images")]
struct Note {
    #[model(hash_key)]
    id: String,
    #[model(range_key)]
    n: u32,
    text: String,
}

const TENANT: &str = "acme#";

fn prefix(item: &mut Item) {
    if let Some(AttributeValue::S(id)) = item.get_mut("id") {
        id.insert_str(0, TENANT);
    }
}

impl Hooks for Note {
    fn before_write(write: &mut BeforeWrite<'_>) -> HookResult {
        if write.kind() == WriteKind::Put {
            prefix(write.item());
        }
        let tenant = AttributeValue::S("acme".into());
        write.item().insert("tenant".into(), tenant);
        let kind = AttributeValue::S(format!("{:?}", write.kind()));
        write.item().insert("written_by".into(), kind);
        Ok(())
    }

    fn after_read(item: &mut Item) -> HookResult {
        match item.get_mut("id") {
            Some(AttributeValue::S(id)) if id.starts_with(TENANT) => {
                id.replace_range(..TENANT.len(), "");
                Ok(())
            }
            other => Err(format!("not an acme item: id {other:?}").into()),
        }
    }

    fn on_key(key: &mut Item) -> HookResult {
        if key.get("id") == Some(&AttributeValue::S("forbidden".into())) {
            return Err("forbidden is not a note".into());
        }
        prefix(key);
        Ok(())
    }
}

fn note(id: &str, n: u32, text: &str) -> Note {
    Note {
        id: id.into(),
        n,
        text: text.into(),
    }
}

/// The item stored under `id` (as stored) and `n`, read with the SDK.
async fn raw(db: &Client, id: &str, n: u32) -> Option<Item> {
    db.sdk()
        .get_item()
        .table_name(db.table_name::<Note>())
        .key("id", AttributeValue::S(id.into()))
        .key("n", AttributeValue::N(n.to_string()))
        .send()
        .await
        .unwrap()
        .item
}

fn text(item: &Item) -> &str {
    item["text"].as_s().unwrap()
}

/// Every id the table holds, as stored, sorted.
async fn stored_ids(db: &Client) -> Vec<String> {
    let scan = db.sdk().scan().table_name(db.table_name::<Note>());
    let mut ids: Vec<String> = (scan.send().await.unwrap().items.unwrap_or_default())
        .iter()
        .map(|item| {
            format!(
                "{}/{}",
                item["id"].as_s().unwrap(),
                item["n"].as_n().unwrap()
            )
        })
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_tenant_prefix_hook_runs_in_every_path() {
    let db = client().await;
    Note::create_table(&db).await.unwrap();

    // create, get, save
    Note::create(&db, &note("n1", 1, "first")).await.unwrap();
    let stored = raw(&db, "acme#n1", 1)
        .await
        .expect("stored under the prefix");
    assert_eq!(stored["tenant"], AttributeValue::S("acme".into()));
    assert_eq!(stored["written_by"], AttributeValue::S("Put".into()));
    assert_eq!(raw(&db, "n1", 1).await, None);
    assert_eq!(
        Note::get(&db, ("n1", 1)).await.unwrap(),
        Some(note("n1", 1, "first"))
    );
    Note::save(&db, &note("n1", 1, "saved")).await.unwrap();
    assert_eq!(text(&raw(&db, "acme#n1", 1).await.unwrap()), "saved");

    // update: the key through on_key, the values through before_write
    let f = Note::fields();
    let updated = Note::update(&db, ("n1", 1))
        .set(&f.text, "updated")
        .return_new()
        .await
        .unwrap();
    assert_eq!(updated, note("n1", 1, "updated"));
    let stored = raw(&db, "acme#n1", 1).await.unwrap();
    assert_eq!(text(&stored), "updated");
    assert_eq!(stored["written_by"], AttributeValue::S("Update".into()));

    // batch put and get
    let more = [note("n2", 1, "two"), note("n3", 1, "three")];
    Note::batch_put(&db, &more).await.unwrap();
    let read = Note::batch_get(&db, [("n2", 1), ("n3", 1), ("n9", 1)])
        .await
        .unwrap();
    assert_eq!(read, [Some(more[0].clone()), Some(more[1].clone()), None]);

    // query and scan
    Note::create(&db, &note("n1", 2, "second")).await.unwrap();
    let queried: Vec<Note> = Note::query(&db).hash("n1").all().await.unwrap();
    assert_eq!(queried, [note("n1", 1, "updated"), note("n1", 2, "second")]);
    let mut scanned: Vec<String> = Note::scan(&db)
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|note| format!("{}/{}", note.id, note.n))
        .collect();
    scanned.sort();
    assert_eq!(scanned, ["n1/1", "n1/2", "n2/1", "n3/1"]);

    // transactions
    db.transaction()
        .create(&note("n4", 1, "four"))
        .write(Note::update(&db, ("n2", 1)).set(&f.text, "two again"))
        .condition_check::<Note>(("n3", 1), f.text.eq("three"))
        .await
        .unwrap();
    let mut read = db
        .transact_get()
        .get::<Note>(("n4", 1))
        .get::<Note>(("n2", 1))
        .await
        .unwrap();
    assert_eq!(read.take::<Note>(0).unwrap(), Some(note("n4", 1, "four")));
    assert_eq!(
        read.take::<Note>(1).unwrap(),
        Some(note("n2", 1, "two again"))
    );

    // every item is stored under the prefix, none without it
    assert_eq!(
        stored_ids(&db).await,
        [
            "acme#n1/1",
            "acme#n1/2",
            "acme#n2/1",
            "acme#n3/1",
            "acme#n4/1"
        ]
    );

    // deletes: single, batch, in a transaction
    let old = Note::delete(&db, ("n1", 2)).return_old().await.unwrap();
    assert_eq!(old, Some(note("n1", 2, "second")));
    Note::batch_delete(&db, [("n2", 1), ("n3", 1)])
        .await
        .unwrap();
    db.transaction().delete::<Note>(("n4", 1)).await.unwrap();
    assert_eq!(stored_ids(&db).await, ["acme#n1/1"]);

    // stream decoding: the first change is n1's create, its id stripped
    let mut changes = Note::changes(&db).stream();
    let first = tokio::time::timeout(Duration::from_secs(10), changes.next())
        .await
        .expect("a change within 10 s")
        .expect("the stream goes on")
        .expect("a decoded change");
    assert_eq!(first.record.new, Some(note("n1", 1, "first")));
    assert_eq!(first.record.key.id, "n1");
}

#[tokio::test]
async fn skip_hooks_reads_and_writes_items_as_stored() {
    let db = client().await;
    Note::create_table(&db).await.unwrap();
    Note::create(&db, &note("n1", 1, "hooked")).await.unwrap();

    let stored = Note::get(&db, ("acme#n1", 1)).skip_hooks().await.unwrap();
    assert_eq!(stored, Some(note("acme#n1", 1, "hooked")));
    Note::save(&db, &note("raw", 1, "as is"))
        .skip_hooks()
        .await
        .unwrap();
    let batch = [note("raw", 2, "batch")];
    Note::batch_put(&db, &batch).skip_hooks().await.unwrap();
    assert_eq!(stored_ids(&db).await, ["acme#n1/1", "raw/1", "raw/2"]);
    assert!(!raw(&db, "raw", 1).await.unwrap().contains_key("tenant"));

    // With the hooks, an item of no tenant does not read.
    let error = Note::scan(&db).all().await.unwrap_err();
    assert!(error.is_hook(), "{error}");
    assert_eq!(
        error.to_string(),
        r#"Note: the `after_read` hook refused it: not an acme item: id Some(S("raw"))"#
    );
    let all = Note::scan(&db).skip_hooks().all().await.unwrap();
    assert_eq!(all.len(), 3);
    Note::delete(&db, ("raw", 1)).skip_hooks().await.unwrap();
    Note::batch_delete(&db, [("raw", 2)])
        .skip_hooks()
        .await
        .unwrap();
    assert_eq!(stored_ids(&db).await, ["acme#n1/1"]);
}

#[tokio::test]
async fn a_hook_that_refuses_stops_the_operation_before_it_is_sent() {
    let db = client().await;
    // No table: a request sent would fail with ResourceNotFound instead.
    for error in [
        Note::get(&db, ("forbidden", 1)).await.unwrap_err(),
        Note::delete(&db, ("forbidden", 1)).await.unwrap_err(),
        Note::batch_get(&db, [("forbidden", 1)]).await.unwrap_err(),
        Note::query(&db).hash("forbidden").all().await.unwrap_err(),
    ] {
        assert!(error.is_hook(), "{error}");
        assert_eq!(
            error.to_string(),
            "Note: the `on_key` hook refused it: forbidden is not a note"
        );
    }
}

/// A write never changes an archived item, and a delete never removes one.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "guarded", hooks)]
struct Guarded {
    #[model(hash_key)]
    id: String,
    archived: bool,
}

impl Hooks for Guarded {
    fn before_write(write: &mut BeforeWrite<'_>) -> HookResult {
        let f = Guarded::fields();
        write.condition(f.archived.not_exists().or(f.archived.eq(false)));
        Ok(())
    }

    fn before_delete(delete: &mut BeforeDelete<'_>) -> HookResult {
        delete.condition(Guarded::fields().archived.eq(false));
        Ok(())
    }
}

#[tokio::test]
async fn conditions_added_by_hooks_hold_every_write_and_delete() {
    let db = client().await;
    Guarded::create_table(&db).await.unwrap();
    let live = Guarded {
        id: "g1".into(),
        archived: false,
    };
    Guarded::create(&db, &live).await.unwrap();
    Guarded::save(&db, &live).await.unwrap();
    // Archive it behind the hooks' back.
    let archived = Guarded {
        archived: true,
        ..live.clone()
    };
    Guarded::save(&db, &archived).skip_hooks().await.unwrap();

    let f = Guarded::fields();
    let failures = [
        Guarded::save(&db, &live).await.unwrap_err(),
        Guarded::update(&db, "g1")
            .set(&f.archived, false)
            .await
            .unwrap_err(),
        Guarded::delete(&db, "g1").await.unwrap_err(),
    ];
    for error in failures {
        assert!(error.is_conditional_check_failed(), "{error}");
        let stored = error.current_item::<Guarded>().unwrap().unwrap();
        assert_eq!(stored, archived);
    }
    // A transaction's write carries the hook's condition too.
    let error = db.transaction().save(&live).await.unwrap_err();
    assert!(error.is_transaction_canceled(), "{error}");
    assert_eq!(Guarded::get(&db, "g1").await.unwrap(), Some(archived));

    // A batch cannot carry the condition: refused before sending.
    let error = Guarded::batch_put(&db, [&live]).await.unwrap_err();
    assert!(error.is_hook(), "{error}");
    assert!(
        error.to_string().contains("a batch write cannot carry"),
        "{error}"
    );
    let error = Guarded::batch_delete(&db, ["g1"]).await.unwrap_err();
    assert!(error.is_hook(), "{error}");
}
