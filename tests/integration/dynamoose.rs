//! Sharing a table with a Node service using Dynamoose v4: an item Dynamoose
//! writes reads into the Rust model, and an item Rust writes passes
//! Dynamoose's `get` (which throws TypeMismatch on any attribute stored
//! with another type than its schema says). The Node side is
//! `tests/dynamoose/interop.js`; Dynamoose is installed from the pinned
//! lock file into the DynamoDB Local cache on first use.

use crate::common::{client, local_endpoint};
use dynamo_model::local::cache_dir;
use dynamo_model::{Document, Model};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Document, Debug, Clone, PartialEq)]
struct Address {
    city: String,
    zip: String,
}

#[derive(Document, Debug, Clone, Copy, PartialEq)]
#[model(rename_all = "lowercase")]
enum Plan {
    Free,
    Pro,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "shared", rename_all = "camelCase")]
struct Shared {
    #[model(hash_key)]
    id: String,
    name: String,
    logins: u32,
    active: bool,
    avatar: Vec<u8>,
    tags: BTreeSet<String>,
    scores: BTreeSet<i64>,
    address: Address,
    history: Vec<u32>,
    plan: Plan,
    birthday: SystemTime,
    #[model(storage = "iso")]
    last_seen: SystemTime,
    nickname: Option<String>,
    #[model(created_at)]
    created_at: Option<SystemTime>,
    #[model(updated_at)]
    updated_at: Option<SystemTime>,
}

const INTEROP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/dynamoose");

/// The `node_modules` holding the pinned Dynamoose, installed with
/// `npm ci` into a temporary directory renamed into place.
fn dynamoose_modules() -> PathBuf {
    let dir = cache_dir().unwrap().join("dynamoose-4.2.0");
    let modules = dir.join("node_modules");
    if modules.join("dynamoose").exists() {
        return modules;
    }
    let temp = dir.with_extension(format!("tmp{}", std::process::id()));
    std::fs::create_dir_all(&temp).unwrap();
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(Path::new(INTEROP).join(file), temp.join(file)).unwrap();
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&temp)
        .status()
        .expect("npm runs");
    assert!(status.success(), "npm ci of Dynamoose failed: {status}");
    if std::fs::rename(&temp, &dir).is_err() {
        // Another process installed it first.
        let _ = std::fs::remove_dir_all(&temp);
    }
    modules
}

/// Runs the Node side; its stdout, or a panic with its stderr.
fn node(endpoint: &str, table: &str, mode: &str, id: &str) -> String {
    let output = Command::new("node")
        .arg(Path::new(INTEROP).join("interop.js"))
        .args([endpoint, table, mode, id])
        .env("NODE_PATH", dynamoose_modules())
        .env("AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE", "1")
        .env("NODE_NO_WARNINGS", "1")
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "Dynamoose failed to {mode} {id}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn dynamoose_and_rust_read_each_others_items() {
    let db = client().await;
    let endpoint = local_endpoint().await;
    Shared::create_table(&db).await.unwrap();
    let table = db.table_name::<Shared>();

    node(&endpoint, &table, "write", "from-node");
    let read = Shared::get(&db, "from-node").await.unwrap().unwrap();
    let day = |ms: u64| UNIX_EPOCH + Duration::from_millis(ms);
    assert_eq!(read.name, "Node");
    assert_eq!((read.logins, read.active), (7, true));
    assert_eq!(read.avatar, [1, 2, 3]);
    assert_eq!(read.tags, BTreeSet::from(["a".to_owned(), "b".to_owned()]));
    assert_eq!(read.scores, BTreeSet::from([1, 20]));
    assert_eq!(read.address.city, "Oslo");
    assert_eq!(read.history, [3, 4]);
    assert_eq!(read.plan, Plan::Pro);
    assert_eq!(read.birthday, day(642_902_400_000));
    assert_eq!(read.last_seen, day(1_709_208_000_123));
    assert_eq!(read.nickname, None);
    assert!(read.created_at.is_some() && read.updated_at.is_some());

    let rust = Shared {
        id: "from-rust".into(),
        name: "Rust".into(),
        logins: 1,
        active: false,
        avatar: vec![9],
        tags: BTreeSet::from(["x".to_owned()]),
        scores: BTreeSet::from([5]),
        address: Address {
            city: "Bergen".into(),
            zip: "5003".into(),
        },
        history: vec![1],
        plan: Plan::Free,
        birthday: day(0),
        last_seen: day(1_709_208_000_123),
        nickname: Some("rs".into()),
        created_at: None,
        updated_at: None,
    };
    Shared::create(&db, &rust).await.unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&node(&endpoint, &table, "read", "from-rust")).unwrap();
    let expected = serde_json::json!({
        "id": "from-rust",
        "name": "Rust",
        "logins": 1,
        "active": false,
        "avatar": [9],
        "tags": ["x"],
        "scores": [5],
        "address": {"city": "Bergen", "zip": "5003"},
        "history": [1],
        "plan": "free",
        "birthday": "1970-01-01T00:00:00.000Z",
        "lastSeen": "2024-02-29T12:00:00.123Z",
        "nickname": "rs",
        "createdAt": json["createdAt"],
        "updatedAt": json["updatedAt"],
    });
    assert_eq!(json, expected);
    assert!(json["createdAt"]
        .as_u64()
        .is_some_and(|ms| ms > 1_700_000_000_000));
}
