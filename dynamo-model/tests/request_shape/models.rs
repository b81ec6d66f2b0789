//! The models the request-shape tests build requests for, one per feature
//! family: plain attributes, optimistic locking, schema rules and
//! timestamps, TTL, secondary indexes, non-string keys.

use dynamo_model::expr::Condition;
use dynamo_model::{Document, Item, Model};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Plain attributes of every shape, stored under camelCase names.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "users", rename_all = "camelCase")]
pub struct User {
    #[model(hash_key)]
    pub id: String,
    pub display_name: String,
    pub logins: u64,
    pub score: f64,
    pub nickname: Option<String>,
    pub tags: BTreeSet<String>,
    pub history: Vec<u32>,
    pub prefs: BTreeMap<String, bool>,
    pub address: Option<Address>,
}

#[derive(Document, Debug, Clone, PartialEq)]
pub struct Address {
    pub city: String,
    #[model(rename = "postCode")]
    pub zip: Option<String>,
}

/// A partial read of a [`User`].
#[derive(Document, Debug)]
#[model(rename_all = "camelCase")]
pub struct UserName {
    pub id: String,
    pub display_name: String,
}

/// A condition on a [`User`] whose text is over DynamoDB's 4 KB limit.
pub fn long_condition() -> Condition {
    let f = User::fields();
    (0..400u64)
        .map(|logins| f.logins.eq(logins))
        .reduce(|a, b| a | b)
        .unwrap()
}

pub fn ann() -> User {
    User {
        id: "u1".into(),
        display_name: "Ann".into(),
        logins: 3,
        score: 1.5,
        nickname: None,
        tags: BTreeSet::from(["a".to_owned()]),
        history: vec![7],
        prefs: BTreeMap::new(),
        address: Some(Address {
            city: "Oslo".into(),
            zip: None,
        }),
    }
}

/// Optimistic locking.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "accounts")]
pub struct Account {
    #[model(hash_key)]
    pub id: String,
    pub balance: i64,
    #[model(version)]
    pub version: u64,
}

pub fn account(version: u64) -> Account {
    Account {
        id: "a1".into(),
        balance: 10,
        version,
    }
}

pub fn normalized(id: &str) -> String {
    id.trim().to_lowercase()
}

pub fn lowercase(email: &str) -> String {
    email.to_lowercase()
}

pub fn schema_version() -> u32 {
    2
}

/// Schema rules and timestamps: a transformed key, a transformed
/// attribute, an alias, a forced default, ISO time storage, unknown
/// attributes kept, and `created_at` (so a save is an UpdateItem).
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "profiles", rename_all = "camelCase")]
pub struct Profile {
    #[model(hash_key, set = normalized)]
    pub id: String,
    #[model(set = lowercase)]
    pub email: String,
    #[model(alias = "fullName", validate(length(min = 1, max = 20)))]
    pub display_name: String,
    pub bio: Option<String>,
    #[model(default_with = schema_version, force_default)]
    pub schema: u32,
    #[model(storage = "iso")]
    pub last_seen: Option<SystemTime>,
    #[model(extra)]
    pub extra: Item,
    #[model(created_at, storage = "iso")]
    pub created_at: Option<SystemTime>,
    #[model(updated_at)]
    pub updated_at: Option<SystemTime>,
}

/// 2024-02-29T12:00:00.123Z.
pub fn leap_day() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(1_709_208_000_123)
}

pub fn profile() -> Profile {
    Profile {
        id: " Ann ".into(),
        email: "Ann@Example.COM".into(),
        display_name: "Ann".into(),
        bio: None,
        schema: 1,
        last_seen: Some(leap_day()),
        extra: Item::new(),
        created_at: None,
        updated_at: None,
    }
}

/// A TTL whose expired items reads hide, and a transformed range key.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "sessions", rename_all = "camelCase", hide_expired)]
pub struct Session {
    #[model(hash_key)]
    pub user: String,
    #[model(range_key, set = lowercase)]
    pub device: String,
    pub started: u64,
    #[model(ttl)]
    pub expires_at: Option<SystemTime>,
}

/// A partial read of a [`Session`] without its TTL.
#[derive(Document, Debug)]
pub struct SessionStart {
    pub started: u64,
}

/// A partial read of a [`Session`] with its TTL.
#[derive(Document, Debug)]
#[model(rename_all = "camelCase")]
pub struct SessionExpiry {
    pub started: u64,
    pub expires_at: Option<SystemTime>,
}

/// Global and local indexes of every projection.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "events", rename_all = "camelCase")]
pub struct Event {
    #[model(hash_key)]
    pub user: String,
    #[model(range_key, global_index(name = "by_kind", range_key))]
    pub at: String,
    #[model(global_index(name = "by_kind", hash_key, throughput(read = 3, write = 4)))]
    pub kind: String,
    #[model(local_index(name = "by_size", range_key, keys_only))]
    pub size: u64,
    #[model(global_index(name = "by-team", hash_key, include(kind)))]
    pub team: Option<String>,
    #[model(local_index(name = "by_score", range_key, include(kind, note)))]
    pub score: u32,
    #[model(rename = "memo")]
    pub note: String,
}

pub fn event() -> Event {
    Event {
        user: "u1".into(),
        at: "2024-05-01".into(),
        kind: "login".into(),
        size: 1,
        team: None,
        score: 2,
        note: String::new(),
    }
}

/// A partial read of an [`Event`].
#[derive(Document, Debug)]
pub struct EventScore {
    pub score: u32,
}

/// A partial read of an [`Event`] that index `by-team` holds.
#[derive(Document, Debug)]
pub struct EventKind {
    pub kind: String,
}

/// Binary and number keys, and the default table name (the struct's).
#[derive(Model, Debug, Clone, PartialEq)]
pub struct Chunk {
    #[model(hash_key)]
    pub blob: Vec<u8>,
    #[model(range_key)]
    pub part: i64,
}
