//! Keeping a table in line with its model on DynamoDB Local: each test
//! creates the table from an older version of a model (same table name)
//! and plans, applies or syncs a newer one, then reads the table back as
//! DynamoDB describes it.

use crate::common::{client, local_endpoint, unique_prefix};
use crate::fault_proxy::{Fault, FaultProxy};
use dynamo_model::aws_sdk_dynamodb::types::{
    BillingMode, ProjectionType, StreamViewType, TableDescription, TimeToLiveStatus,
};
use dynamo_model::ops::table::{Billing, TableChange};
use dynamo_model::schema::{StreamView, Throughput};
use dynamo_model::{Client, Model};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The first version: keys only.
#[derive(Model)]
#[model(table = "accounts")]
struct AccountV1 {
    #[model(hash_key)]
    id: String,
    email: String,
    team: String,
}

/// The second: provisioned, two global indexes (one with its own
/// capacity), a stream, a TTL and deletion protection.
#[derive(Model)]
#[model(
    table = "accounts",
    throughput(read = 5, write = 5),
    stream = "new_image",
    deletion_protection
)]
struct AccountV2 {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_email", hash_key))]
    email: String,
    #[model(global_index(name = "by_team", hash_key, keys_only, throughput(read = 2, write = 1)))]
    team: String,
    #[model(ttl)]
    expires: Option<SystemTime>,
}

/// The third, which only destructive changes reach from the second: the
/// `by_team` index projects everything, the stream has both images, no TTL;
/// and billing goes back to on demand.
#[derive(Model)]
#[model(table = "accounts", stream = "new_and_old_images")]
struct AccountV3 {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_email", hash_key))]
    email: String,
    #[model(global_index(name = "by_team", hash_key))]
    team: String,
}

/// The second with more capacity (the table, so `by_email` too, and
/// `by_team`) and TTL on another attribute.
#[derive(Model)]
#[model(
    table = "accounts",
    throughput(read = 6, write = 5),
    stream = "new_image",
    deletion_protection
)]
struct AccountV2Capacity {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_email", hash_key))]
    email: String,
    #[model(global_index(name = "by_team", hash_key, keys_only, throughput(read = 3, write = 1)))]
    team: String,
    #[model(ttl)]
    purge_at: Option<SystemTime>,
}

/// The second without its `by_team` index.
#[derive(Model)]
#[model(
    table = "accounts",
    throughput(read = 5, write = 5),
    stream = "new_image",
    deletion_protection
)]
struct AccountV2NoTeamIndex {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_email", hash_key))]
    email: String,
    team: String,
    #[model(ttl)]
    expires: Option<SystemTime>,
}

/// Three global indexes more than the first version.
#[derive(Model)]
#[model(table = "accounts")]
struct AccountIndexed {
    #[model(hash_key)]
    id: String,
    #[model(
        global_index(name = "by_email", hash_key),
        global_index(name = "by_email_team", hash_key)
    )]
    email: String,
    #[model(
        global_index(name = "by_team", hash_key),
        global_index(name = "by_email_team", range_key)
    )]
    team: String,
}

/// A local index, which only a new table can have.
#[derive(Model)]
#[model(table = "accounts")]
struct AccountWithLocalIndex {
    #[model(hash_key)]
    id: String,
    #[model(range_key)]
    email: String,
    #[model(local_index(name = "by_team", range_key))]
    team: String,
}

/// Table settings DynamoDB Local does not serve.
#[derive(Model)]
#[model(table = "archive", table_class = "standard_infrequent_access")]
struct Archive {
    #[model(hash_key)]
    id: String,
}

async fn describe(db: &Client, table: &str) -> TableDescription {
    db.sdk()
        .describe_table()
        .table_name(table)
        .send()
        .await
        .unwrap()
        .table
        .unwrap()
}

async fn ttl(db: &Client, table: &str) -> (Option<TimeToLiveStatus>, Option<String>) {
    let ttl = db
        .sdk()
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .unwrap();
    let ttl = ttl.time_to_live_description().unwrap();
    (
        ttl.time_to_live_status().cloned(),
        ttl.attribute_name().map(str::to_owned),
    )
}

/// A global index as `name: PROJECTION read/write` (`-` on demand: after a
/// switch to on demand DynamoDB Local still shows an index's old capacity).
fn global_indexes(table: &TableDescription) -> Vec<String> {
    let on_demand = table.billing_mode_summary().and_then(|b| b.billing_mode())
        == Some(&BillingMode::PayPerRequest);
    let mut indexes: Vec<String> = table
        .global_secondary_indexes()
        .iter()
        .map(|i| {
            let projection = i.projection().and_then(|p| p.projection_type());
            let capacity = i.provisioned_throughput().filter(|_| !on_demand);
            let throughput = capacity.map_or("-".to_owned(), |t| {
                format!(
                    "{}/{}",
                    t.read_capacity_units().unwrap_or(0),
                    t.write_capacity_units().unwrap_or(0)
                )
            });
            format!(
                "{}: {} {throughput}",
                i.index_name().unwrap(),
                projection.map_or("?", ProjectionType::as_str)
            )
        })
        .collect();
    indexes.sort();
    indexes
}

fn add(name: &str) -> TableChange {
    TableChange::AddIndex {
        name: name.to_owned(),
    }
}

#[tokio::test]
async fn each_kind_of_change_from_an_older_model_is_planned_and_applied() {
    let db = client().await;
    AccountV1::create_table(&db).await.unwrap();

    let plan = AccountV2::plan(&db).await.unwrap();
    let expected = [
        TableChange::Billing {
            from: Billing::OnDemand,
            to: Billing::Provisioned(Throughput { read: 5, write: 5 }),
        },
        add("by_email"),
        add("by_team"),
        TableChange::Stream {
            from: None,
            to: Some(StreamView::NewImage),
        },
        TableChange::DeletionProtection,
        TableChange::Ttl {
            from: None,
            to: Some("expires".to_owned()),
        },
    ];
    assert_eq!(plan.changes(), expected);
    assert_eq!(plan.destructive().count(), 0);
    assert!(!plan.is_empty());
    let text = plan.to_string();
    for line in [
        "(model AccountV2):",
        "  ~ billing: on demand -> provisioned 5 read / 5 write units",
        "  + add global index `by_email`",
        "  ~ stream: off -> NEW_IMAGE",
        "  ~ TTL: off -> `expires`",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }

    let applied = plan.apply(&db).await.unwrap();
    assert_eq!(applied.done, expected);
    assert!(applied.skipped.is_empty());
    let again = AccountV2::plan(&db).await.unwrap();
    assert!(again.is_empty(), "{again}");
    assert!(again.to_string().contains("matches model AccountV2"));

    let table = describe(&db, plan.table()).await;
    let billing = table.billing_mode_summary().and_then(|b| b.billing_mode());
    assert_eq!(billing, Some(&BillingMode::Provisioned));
    let capacity = table.provisioned_throughput().unwrap();
    assert_eq!(
        (
            capacity.read_capacity_units(),
            capacity.write_capacity_units()
        ),
        (Some(5), Some(5))
    );
    assert_eq!(
        global_indexes(&table),
        ["by_email: ALL 5/5", "by_team: KEYS_ONLY 2/1"]
    );
    let stream = table.stream_specification().unwrap();
    assert!(stream.stream_enabled());
    assert_eq!(stream.stream_view_type(), Some(&StreamViewType::NewImage));
    assert_eq!(table.deletion_protection_enabled(), Some(true));
    assert_eq!(
        ttl(&db, plan.table()).await,
        (Some(TimeToLiveStatus::Enabled), Some("expires".to_owned()))
    );
}

#[tokio::test]
async fn destructive_changes_wait_for_the_opt_in_and_a_sync_leaves_them() {
    let db = client().await;
    AccountV2::create_table(&db).await.unwrap();

    let plan = AccountV3::plan(&db).await.unwrap();
    let replace = TableChange::ReplaceIndex {
        name: "by_team".to_owned(),
        found: "keys team (S), projection KEYS_ONLY".to_owned(),
        wanted: "keys team (S), projection ALL".to_owned(),
    };
    let to_on_demand = TableChange::Billing {
        from: Billing::Provisioned(Throughput { read: 5, write: 5 }),
        to: Billing::OnDemand,
    };
    let stream = TableChange::Stream {
        from: Some(StreamView::NewImage),
        to: Some(StreamView::NewAndOldImages),
    };
    let no_ttl = TableChange::Ttl {
        from: Some("expires".to_owned()),
        to: None,
    };
    let expected = [
        replace.clone(),
        to_on_demand.clone(),
        stream.clone(),
        no_ttl.clone(),
    ];
    assert_eq!(plan.changes(), expected);
    let destructive: Vec<&TableChange> = plan.destructive().collect();
    assert_eq!(destructive, [&replace, &stream, &no_ttl]);
    assert!(plan.to_string().contains(
        "  ~ replace global index `by_team` (delete, then add): it is keys team (S), \
         projection KEYS_ONLY, the model has keys team (S), projection ALL [destructive]"
    ));

    // Refused before anything is sent: the table still plans the same.
    let error = plan.apply(&db).await.unwrap_err();
    assert!(error.is_table_plan(), "{error}");
    let message = error.to_string();
    assert!(
        message.starts_with("AccountV3: cannot bring table")
            && message.contains(".allow_destructive()")
            && message.contains("`by_team`")
            && message.contains("stream: NEW_IMAGE -> NEW_AND_OLD_IMAGES")
            && message.contains("TTL: `expires` -> off"),
        "{message}"
    );
    assert_eq!(AccountV3::plan(&db).await.unwrap().changes(), expected);

    // A sync makes the rest and says what it left.
    let synced = AccountV3::sync_table(&db).await.unwrap();
    assert_eq!(synced.done, [to_on_demand]);
    assert_eq!(synced.skipped, [replace.clone(), stream, no_ttl.clone()]);

    let plan = AccountV3::plan(&db).await.unwrap();
    let applied = plan.apply(&db).allow_destructive().await.unwrap();
    let expected_done = [
        replace,
        add("by_team"),
        // Turned off, then on with the new view: one request each.
        TableChange::Stream {
            from: Some(StreamView::NewImage),
            to: Some(StreamView::NewAndOldImages),
        },
        TableChange::Stream {
            from: None,
            to: Some(StreamView::NewAndOldImages),
        },
        no_ttl,
    ];
    assert_eq!(applied.done, expected_done);
    assert!(AccountV3::plan(&db).await.unwrap().is_empty());

    let table = describe(&db, plan.table()).await;
    assert_eq!(
        global_indexes(&table),
        ["by_email: ALL -", "by_team: ALL -"]
    );
    let view = table.stream_specification().unwrap().stream_view_type();
    assert_eq!(view, Some(&StreamViewType::NewAndOldImages));
    assert_eq!(
        ttl(&db, plan.table()).await.0,
        Some(TimeToLiveStatus::Disabled)
    );
}

#[tokio::test]
async fn capacity_of_the_table_and_each_index_and_the_ttl_attribute_follow_the_model() {
    let db = client().await;
    let missing = AccountV2::plan(&db).await.unwrap();
    assert_eq!(missing.changes(), [TableChange::CreateTable]);
    missing.apply(&db).await.unwrap();

    let plan = AccountV2Capacity::plan(&db).await.unwrap();
    let capacity = |read, write| Throughput { read, write };
    let switch_ttl = TableChange::Ttl {
        from: Some("expires".to_owned()),
        to: Some("purge_at".to_owned()),
    };
    let expected = [
        TableChange::Billing {
            from: Billing::Provisioned(capacity(5, 5)),
            to: Billing::Provisioned(capacity(6, 5)),
        },
        TableChange::IndexThroughput {
            name: "by_email".to_owned(),
            from: Some(capacity(5, 5)),
            to: capacity(6, 5),
        },
        TableChange::IndexThroughput {
            name: "by_team".to_owned(),
            from: Some(capacity(2, 1)),
            to: capacity(3, 1),
        },
        switch_ttl.clone(),
    ];
    assert_eq!(plan.changes(), expected);
    assert_eq!(plan.destructive().collect::<Vec<_>>(), [&switch_ttl]);
    let applied = plan.apply(&db).allow_destructive().await.unwrap();
    let mut done = expected.to_vec();
    // Turned off, then on for the new attribute.
    done.push(TableChange::Ttl {
        from: None,
        to: Some("purge_at".to_owned()),
    });
    assert_eq!(applied.done, done);
    assert!(AccountV2Capacity::plan(&db).await.unwrap().is_empty());

    let table = describe(&db, plan.table()).await;
    assert_eq!(
        global_indexes(&table),
        ["by_email: ALL 6/5", "by_team: KEYS_ONLY 3/1"]
    );
    assert_eq!(
        ttl(&db, plan.table()).await,
        (Some(TimeToLiveStatus::Enabled), Some("purge_at".to_owned()))
    );
}

#[tokio::test]
async fn an_index_the_model_does_not_know_survives_unless_dropping_is_asked() {
    let db = client().await;
    AccountV2::create_table(&db).await.unwrap();

    let plan = AccountV2NoTeamIndex::plan(&db).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
    assert_eq!(
        plan.kept(),
        ["global index `by_team` is not in the model; kept"]
    );
    assert!(plan
        .to_string()
        .contains("  = global index `by_team` is not in the model; kept"));
    assert!(plan.apply(&db).await.unwrap().done.is_empty());
    assert!(AccountV2NoTeamIndex::sync_table(&db)
        .await
        .unwrap()
        .done
        .is_empty());
    let table = describe(&db, plan.table()).await;
    assert_eq!(global_indexes(&table).len(), 2);

    let plan = AccountV2NoTeamIndex::plan(&db)
        .drop_unknown_indexes()
        .await
        .unwrap();
    let drop = TableChange::DropIndex {
        name: "by_team".to_owned(),
    };
    assert_eq!(plan.changes(), std::slice::from_ref(&drop));
    assert!(plan.apply(&db).await.unwrap_err().is_table_plan());
    let applied = plan.apply(&db).allow_destructive().await.unwrap();
    assert_eq!(applied.done, [drop]);
    let table = describe(&db, plan.table()).await;
    assert_eq!(global_indexes(&table), ["by_email: ALL 5/5"]);
}

#[tokio::test]
async fn an_interrupted_apply_converges_when_run_again_with_no_step_made_twice() {
    // Once the first UpdateTable has gone through, the proxy throttles
    // everything until released: the apply is stuck between two index
    // steps (DynamoDB takes one index change at a time), where it is killed.
    let hold = Arc::new(AtomicBool::new(false));
    let policy = {
        let hold = Arc::clone(&hold);
        Arc::new(move |operation: &str, seen: u64, _: &mut _| {
            if hold.load(Ordering::SeqCst) {
                return Fault::Throttle;
            }
            if operation == "UpdateTable" && seen == 0 {
                hold.store(true, Ordering::SeqCst);
            }
            Fault::Forward
        })
    };
    let proxy = FaultProxy::start(&local_endpoint().await, 1, policy).await;
    let db = Client::local(proxy.endpoint()).with_table_prefix(unique_prefix());
    AccountV1::create_table(&db).await.unwrap();
    let plan = AccountIndexed::plan(&db).await.unwrap();
    let all = [add("by_email"), add("by_email_team"), add("by_team")];
    assert_eq!(plan.changes(), all);

    let interrupted = {
        let db = db.clone();
        tokio::spawn(async move {
            let plan = AccountIndexed::plan(&db).await?;
            plan.apply(&db).await
        })
    };
    while proxy.count("DescribeTable", "throttle") == 0 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    interrupted.abort();
    assert!(interrupted.await.unwrap_err().is_cancelled());
    assert_eq!(proxy.count("UpdateTable", "forward"), 1);
    hold.store(false, Ordering::SeqCst);

    let rerun = AccountIndexed::plan(&db).await.unwrap();
    assert_eq!(rerun.changes(), &all[1..], "{rerun}");
    assert_eq!(rerun.apply(&db).await.unwrap().done, &all[1..]);
    assert!(AccountIndexed::plan(&db).await.unwrap().is_empty());
    // One UpdateTable per index, across both runs.
    assert_eq!(proxy.count("UpdateTable", "forward"), 3);
    let table = describe(&db, plan.table()).await;
    assert_eq!(
        global_indexes(&table),
        ["by_email: ALL -", "by_email_team: ALL -", "by_team: ALL -"]
    );
}

#[tokio::test]
async fn sync_creates_a_missing_table_and_a_table_in_line_gets_only_reads() {
    let prefix = unique_prefix();
    let forward = Arc::new(|_: &str, _: u64, _: &mut _| Fault::Forward);
    let db = Client::local(local_endpoint().await).with_table_prefix(&prefix);
    let synced = AccountV2::sync_table(&db).await.unwrap();
    // The stream, indexes, billing and protection come with the table; TTL
    // has its own request.
    let ttl_on = TableChange::Ttl {
        from: None,
        to: Some("expires".to_owned()),
    };
    assert_eq!(synced.done, [TableChange::CreateTable, ttl_on]);
    let table = describe(&db, &db.table_name::<AccountV2>()).await;
    let view = table.stream_specification().unwrap().stream_view_type();
    assert_eq!(view, Some(&StreamViewType::NewImage));
    assert_eq!(table.deletion_protection_enabled(), Some(true));

    let proxy = FaultProxy::start(&local_endpoint().await, 1, forward).await;
    let db = Client::local(proxy.endpoint()).with_table_prefix(&prefix);
    let plan = AccountV2::plan(&db).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
    assert!(plan.apply(&db).await.unwrap().done.is_empty());
    assert!(AccountV2::sync_table(&db).await.unwrap().done.is_empty());
    assert_eq!(proxy.operations(), ["DescribeTable", "DescribeTimeToLive"]);
}

#[tokio::test]
async fn what_dynamodb_local_cannot_show_is_reported_as_unverified() {
    let db = client().await;
    Archive::create_table(&db).await.unwrap();
    let plan = Archive::plan(&db).tag("team", "ledger").await.unwrap();
    assert!(plan.is_empty(), "{plan}");
    assert_eq!(plan.unverified().len(), 2, "{plan}");
    let text = plan.to_string();
    assert!(text.contains("  ? table class STANDARD_INFREQUENT_ACCESS: DynamoDB Local ignores"));
    assert!(text.contains("  ? tags: DynamoDB Local has no tagging"));
}

#[tokio::test]
async fn a_local_index_or_key_the_table_lacks_is_a_conflict_that_stops_the_apply() {
    let db = client().await;
    AccountV1::create_table(&db).await.unwrap();
    let plan = AccountWithLocalIndex::plan(&db).await.unwrap();
    assert!(!plan.is_empty());
    assert_eq!(plan.conflicts().len(), 2, "{plan}");
    assert!(plan.conflicts()[0].starts_with(
        "the table's key is id (S) but the model's is id (S), email (S); a table's key cannot change"
    ));
    assert!(plan.conflicts()[1].starts_with("local index `by_team` is not on the table"));
    let error = plan.apply(&db).allow_destructive().await.unwrap_err();
    assert!(error.is_table_plan(), "{error}");
    assert!(error.to_string().contains("a table's key cannot change"));
}
