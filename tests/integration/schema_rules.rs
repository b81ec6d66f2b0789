//! Schema rules beyond validation, against DynamoDB Local: defaults,
//! `force_default`, `set`/`get` transforms, aliases, the `extra` map,
//! timestamps, TTL and time storage. Stored items are checked raw, as
//! another service (a Node one using Dynamoose, say) would see them.

use crate::common::client;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Client, Error, Item, Model};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn lowercase(email: &str) -> String {
    email.to_lowercase()
}

fn trimmed(title: String) -> String {
    title.trim().to_owned()
}

fn free_plan() -> String {
    "free".to_owned()
}

fn current_schema() -> u32 {
    2
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "accounts", rename_all = "camelCase")]
struct Account {
    #[model(hash_key)]
    id: String,
    #[model(set = lowercase)]
    email: String,
    #[model(default = 0)]
    logins: u64,
    #[model(default_with = free_plan, validate(pattern = "^(free|pro)$"))]
    plan: Option<String>,
    #[model(default = "en")]
    locale: String,
    #[model(get = trimmed)]
    title: String,
    #[model(alias = "fullName", alias = "name")]
    display_name: String,
    #[model(default_with = current_schema, force_default)]
    schema: u32,
    #[model(extra)]
    extra: Item,
    #[model(created_at)]
    created_at: Option<SystemTime>,
    #[model(updated_at)]
    updated_at: Option<SystemTime>,
}

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        email: "Ann@Example.COM".into(),
        logins: 3,
        plan: None,
        locale: "nb".into(),
        title: "Dr".into(),
        display_name: "Ann".into(),
        schema: 1,
        extra: Item::new(),
        created_at: None,
        updated_at: None,
    }
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

/// The item as stored, read with the SDK.
async fn raw(db: &Client, table: &str, id: &str) -> Item {
    db.sdk()
        .get_item()
        .table_name(db.table_name_of(table))
        .key("id", s(id))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .expect("the item is stored")
}

/// Writes `item` as is, as another service would.
async fn put_raw(db: &Client, table: &str, item: Item) {
    db.sdk()
        .put_item()
        .table_name(db.table_name_of(table))
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
}

fn millis(value: &AttributeValue) -> i64 {
    value.as_n().unwrap().parse().unwrap()
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn defaults_transforms_and_forced_values_shape_what_is_stored() {
    let db = client().await;
    Account::create_table(&db).await.unwrap();
    Account::create(&db, &account("a1")).await.unwrap();

    let stored = raw(&db, "accounts", "a1").await;
    assert_eq!(stored["email"], s("ann@example.com"), "set transform");
    assert_eq!(stored["plan"], s("free"), "default of a None field");
    assert_eq!(stored["locale"], s("nb"), "a present value keeps itself");
    assert_eq!(
        stored["schema"],
        n("2"),
        "force_default overrides the struct"
    );
    assert_eq!(
        stored["displayName"],
        s("Ann"),
        "writes use the primary name"
    );

    let read = Account::get(&db, "a1").await.unwrap().unwrap();
    assert_eq!(read.plan.as_deref(), Some("free"));
    assert_eq!(read.email, "ann@example.com");

    // Conditions and updates on a transformed field use stored values.
    let f = Account::fields();
    Account::update(&db, "a1")
        .set(&f.email, "Ann@New.ORG")
        .condition(f.email.eq("ANN@example.com"))
        .await
        .unwrap();
    assert_eq!(raw(&db, "accounts", "a1").await["email"], s("ann@new.org"));
}

#[tokio::test]
async fn reads_fill_defaults_follow_aliases_apply_get_and_keep_unknown_attributes() {
    let db = client().await;
    Account::create_table(&db).await.unwrap();
    // As an older version of the service, or a Node service, wrote it.
    let written = Item::from([
        ("id".to_owned(), s("a2")),
        ("email".to_owned(), s("bo@example.com")),
        ("title".to_owned(), s("  Prof  ")),
        ("fullName".to_owned(), s("Bo")),
        ("schema".to_owned(), n("1")),
        ("nodeOnly".to_owned(), s("kept")),
        ("createdAt".to_owned(), n("1700000000000")),
    ]);
    put_raw(&db, "accounts", written).await;

    let read = Account::get(&db, "a2").await.unwrap().unwrap();
    assert_eq!(read.logins, 0, "default of a missing number");
    assert_eq!(read.locale, "en", "default of a missing string");
    assert_eq!(
        read.plan.as_deref(),
        Some("free"),
        "default of a missing option"
    );
    assert_eq!(read.title, "Prof", "get transform");
    assert_eq!(read.display_name, "Bo", "read through an alias");
    assert_eq!(read.extra, Item::from([("nodeOnly".to_owned(), s("kept"))]));
    let created = UNIX_EPOCH + Duration::from_millis(1_700_000_000_000);
    assert_eq!(read.created_at, Some(created));

    // Saving writes the primary name, drops the alias and keeps the rest.
    Account::save(&db, &read).await.unwrap();
    let stored = raw(&db, "accounts", "a2").await;
    assert_eq!(stored["displayName"], s("Bo"));
    assert!(!stored.contains_key("fullName"), "{stored:?}");
    assert_eq!(stored["nodeOnly"], s("kept"));
    assert_eq!(stored["createdAt"], n("1700000000000"));

    // The second alias is read too; the primary name wins over both.
    let mut older = raw(&db, "accounts", "a2").await;
    older.remove("displayName");
    older.insert("name".to_owned(), s("Bob"));
    put_raw(&db, "accounts", older.clone()).await;
    assert_eq!(
        Account::get(&db, "a2").await.unwrap().unwrap().display_name,
        "Bob"
    );
    older.insert("displayName".to_owned(), s("Robert"));
    put_raw(&db, "accounts", older).await;
    assert_eq!(
        Account::get(&db, "a2").await.unwrap().unwrap().display_name,
        "Robert"
    );
}

#[tokio::test]
async fn a_resave_keeps_created_at_and_every_write_moves_updated_at() {
    let db = client().await;
    Account::create_table(&db).await.unwrap();
    let before = now_millis();
    Account::create(&db, &account("a3")).await.unwrap();
    let first = raw(&db, "accounts", "a3").await;
    let created = millis(&first["createdAt"]);
    assert!(created >= before && created <= now_millis(), "{created}");
    assert_eq!(first["updatedAt"], first["createdAt"]);

    tokio::time::sleep(Duration::from_millis(5)).await;
    // A struct built afresh, as Dynamoose's `new Model(...).save()` (#1036).
    Account::save(&db, &account("a3")).await.unwrap();
    let second = raw(&db, "accounts", "a3").await;
    assert_eq!(
        second["createdAt"], first["createdAt"],
        "created_at survives a re-save"
    );
    assert!(millis(&second["updatedAt"]) > created);

    // Even a struct carrying another creation time cannot move it.
    let mut other = account("a3");
    other.created_at = Some(UNIX_EPOCH);
    Account::save(&db, &other).await.unwrap();
    assert_eq!(
        raw(&db, "accounts", "a3").await["createdAt"],
        first["createdAt"]
    );

    tokio::time::sleep(Duration::from_millis(5)).await;
    let f = Account::fields();
    Account::update(&db, "a3")
        .increment(&f.logins, 1)
        .await
        .unwrap();
    let third = raw(&db, "accounts", "a3").await;
    assert_eq!(third["createdAt"], first["createdAt"]);
    assert!(millis(&third["updatedAt"]) > millis(&second["updatedAt"]));
    assert_eq!(
        third["schema"],
        n("2"),
        "updates set force_default attributes"
    );

    // Timestamps and forced attributes are the writes' own.
    let error = Account::update(&db, "a3")
        .set(&f.updated_at, SystemTime::now())
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("`updatedAt` is a timestamp"),
        "{error}"
    );
    let error = Account::update(&db, "a3")
        .set(&f.schema, 9)
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("`schema` has `force_default`"),
        "{error}"
    );
}

#[tokio::test]
async fn a_resave_of_an_item_too_wide_for_one_update_keeps_created_at() {
    let db = client().await;
    Account::create_table(&db).await.unwrap();
    // A Dynamoose `saveUnknown` item: 400 attributes the model does not
    // name, and one written after our read by another service.
    let mut wide = account("w1");
    wide.extra = (0..400)
        .map(|i| (format!("field{i:03}"), n(&i.to_string())))
        .collect();
    Account::create(&db, &wide).await.unwrap();
    let first = raw(&db, "accounts", "w1").await;
    assert_eq!(first.len(), 400 + 10);
    let mut read = Account::get(&db, "w1").await.unwrap().unwrap();
    let mut node = first.clone();
    node.insert("nodeOnly".to_owned(), s("added by node"));
    put_raw(&db, "accounts", node).await;

    tokio::time::sleep(Duration::from_millis(5)).await;
    read.logins = 4;
    read.extra.insert("field000".to_owned(), s("changed"));
    read.created_at = Some(UNIX_EPOCH);
    Account::save(&db, &read).await.unwrap();
    let second = raw(&db, "accounts", "w1").await;
    assert_eq!(second["createdAt"], first["createdAt"], "created_at kept");
    assert!(millis(&second["updatedAt"]) > millis(&first["updatedAt"]));
    assert_eq!(second["logins"], n("4"));
    assert_eq!(second["field000"], s("changed"), "the struct's value wins");
    assert_eq!(second["field399"], n("399"));
    assert_eq!(
        second["nodeOnly"],
        s("added by node"),
        "attributes the struct never saw are kept, as an UpdateItem keeps them"
    );

    // A failed condition writes nothing and carries the stored item.
    let f = Account::fields();
    read.logins = 5;
    let error = Account::save(&db, &read)
        .condition(f.logins.eq(0))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::ConditionalCheckFailed { item: Some(_), .. }),
        "{error:?}"
    );
    assert_eq!(raw(&db, "accounts", "w1").await, second);

    // A save of a wide item that is not stored yet creates it.
    let mut fresh = wide.clone();
    fresh.id = "w2".into();
    Account::save(&db, &fresh).await.unwrap();
    let created = raw(&db, "accounts", "w2").await;
    assert!(millis(&created["createdAt"]) >= millis(&first["createdAt"]));
    assert_eq!(created.len(), 400 + 10);

    // One request cannot do it, so into_sdk says so.
    let error = Account::save(&db, &read).into_sdk().unwrap_err();
    assert!(error.to_string().contains("too many attributes"), "{error}");
}

#[tokio::test]
async fn an_upsert_sets_created_at_and_a_struct_value_is_kept_on_create() {
    let db = client().await;
    Account::create_table(&db).await.unwrap();
    let f = Account::fields();
    let before = now_millis();
    Account::update(&db, "a4")
        .upsert()
        .set(&f.email, "X@Y.Z")
        .set(&f.title, "Ms")
        .set(&f.display_name, "Cy")
        .await
        .unwrap();
    let stored = raw(&db, "accounts", "a4").await;
    assert!(millis(&stored["createdAt"]) >= before);
    assert_eq!(stored["email"], s("x@y.z"));
    let read = Account::get(&db, "a4").await.unwrap().unwrap();
    assert!(read.created_at.is_some() && read.updated_at.is_some());

    // An imported item keeps the creation time it brings.
    let mut imported = account("a5");
    imported.created_at = Some(UNIX_EPOCH + Duration::from_secs(1_000));
    Account::create(&db, &imported).await.unwrap();
    assert_eq!(raw(&db, "accounts", "a5").await["createdAt"], n("1000000"));
}

fn short(code: &str) -> String {
    code.chars().take(2).collect()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "codes")]
struct Code {
    #[model(hash_key)]
    id: String,
    #[model(default = "toolong", validate(length(max = 3)))]
    fallback: Option<String>,
    #[model(set = short, validate(length(min = 2)))]
    country: String,
}

#[tokio::test]
async fn defaults_and_transformed_values_are_validated_before_anything_is_sent() {
    let db = client().await; // no table: a sent request would fail otherwise
    let code = Code {
        id: "c1".into(),
        fallback: None,
        country: "n".into(),
    };
    let error = Code::create(&db, &code).await.unwrap_err();
    let Error::Validation { model, failures } = &error else {
        panic!("not a validation error: {error:?}");
    };
    assert_eq!(*model, "Code");
    let rules: Vec<_> = failures.iter().map(|f| (f.path.as_str(), f.rule)).collect();
    assert_eq!(rules, [("fallback", "length"), ("country", "length")]);

    // The transform runs before the rule: "norway" is stored as "no".
    let ok = Code {
        id: "c1".into(),
        fallback: Some("abc".into()),
        country: "norway".into(),
    };
    ok.validate().unwrap();
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "sessions", hide_expired)]
struct Session {
    #[model(hash_key)]
    user: String,
    #[model(range_key)]
    id: u32,
    #[model(ttl)]
    expires: Option<SystemTime>,
}

#[tokio::test]
async fn ttl_is_enabled_stored_in_seconds_and_expired_items_are_hidden() {
    let db = client().await;
    Session::create_table(&db).await.unwrap();
    let ttl = db
        .sdk()
        .describe_time_to_live()
        .table_name(db.table_name::<Session>())
        .send()
        .await
        .unwrap();
    let description = ttl.time_to_live_description().unwrap();
    assert_eq!(description.attribute_name(), Some("expires"));
    // Creating again with if_not_exists finds TTL on and leaves it.
    Session::create_table(&db).if_not_exists().await.unwrap();

    let hour = Duration::from_secs(3600);
    let sessions = [
        Session {
            user: "u".into(),
            id: 1,
            expires: Some(SystemTime::now() - hour),
        },
        Session {
            user: "u".into(),
            id: 2,
            expires: Some(SystemTime::now() + hour),
        },
        Session {
            user: "u".into(),
            id: 3,
            expires: None,
        },
    ];
    Session::batch_put(&db, &sessions).await.unwrap();
    let stored = db
        .sdk()
        .get_item()
        .table_name(db.table_name::<Session>())
        .key("user", s("u"))
        .key("id", n("2"))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    let seconds: i64 = stored["expires"].as_n().unwrap().parse().unwrap();
    let expected = (SystemTime::now() + hour)
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((expected - seconds).abs() <= 2, "epoch seconds: {seconds}");

    assert_eq!(Session::get(&db, ("u", 1u32)).await.unwrap(), None);
    assert!(Session::get(&db, ("u", 2u32)).await.unwrap().is_some());
    let ids = |items: Vec<Session>| items.into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(
        ids(Session::query(&db).hash("u").all().await.unwrap()),
        [2, 3]
    );
    assert_eq!(ids(Session::scan(&db).all().await.unwrap()), [2, 3]);
    let found = Session::batch_get(&db, [("u", 1u32), ("u", 2u32)])
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(Option::is_some).collect::<Vec<_>>(),
        [false, true]
    );
}

fn this_century(at: &SystemTime) -> Result<(), &'static str> {
    if *at < UNIX_EPOCH + Duration::from_secs(946_684_800) {
        Err("must be in 2000 or later")
    } else {
        Ok(())
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "events")]
struct Event {
    #[model(hash_key)]
    id: String,
    #[model(storage = "iso", validate(with = this_century))]
    at: SystemTime,
    #[model(storage = "seconds")]
    day: Option<SystemTime>,
}

#[tokio::test]
async fn time_storage_writes_iso_strings_and_seconds_and_conditions_follow() {
    let db = client().await;
    Event::create_table(&db).await.unwrap();
    let at = UNIX_EPOCH + Duration::from_millis(1_709_208_000_123);
    let event = Event {
        id: "e1".into(),
        at,
        day: Some(UNIX_EPOCH + Duration::from_millis(86_400_999)),
    };
    Event::create(&db, &event).await.unwrap();
    let stored = raw(&db, "events", "e1").await;
    assert_eq!(stored["at"], s("2024-02-29T12:00:00.123Z"));
    assert_eq!(stored["day"], n("86400"));
    let read = Event::get(&db, "e1").await.unwrap().unwrap();
    assert_eq!(read.at, at);
    assert_eq!(read.day, Some(UNIX_EPOCH + Duration::from_secs(86_400)));

    let f = Event::fields();
    let later = at + Duration::from_secs(60);
    Event::update(&db, "e1")
        .set(&f.at, later)
        .condition(f.at.lt(later) & f.day.eq(UNIX_EPOCH + Duration::from_secs(86_400)))
        .await
        .unwrap();
    assert_eq!(
        raw(&db, "events", "e1").await["at"],
        s("2024-02-29T12:01:00.123Z")
    );

    // A stored value of the wrong form names the attribute.
    let mut bad = raw(&db, "events", "e1").await;
    bad.insert("at".into(), s("yesterday"));
    put_raw(&db, "events", bad).await;
    let error = Event::get(&db, "e1").await.unwrap_err();
    assert!(
        error.to_string().contains("`at`") && error.to_string().contains("\"yesterday\""),
        "{error}"
    );
}

fn uppercase(code: &str) -> String {
    code.to_uppercase()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "logins")]
struct Login {
    #[model(hash_key, set = lowercase)]
    email: String,
    #[model(range_key, storage = "iso")]
    at: SystemTime,
    #[model(global_index(name = "by_country", hash_key), set = uppercase)]
    country: String,
    #[model(global_index(name = "by_country", range_key), storage = "seconds")]
    day: SystemTime,
}

#[tokio::test]
async fn keys_are_stored_transformed_and_every_key_lookup_follows() {
    let db = client().await;
    Login::create_table(&db).await.unwrap();
    let table = db
        .sdk()
        .describe_table()
        .table_name(db.table_name::<Login>())
        .send()
        .await
        .unwrap();
    let mut definitions: Vec<String> = table
        .table()
        .unwrap()
        .attribute_definitions()
        .iter()
        .map(|d| format!("{} {}", d.attribute_name(), d.attribute_type().as_str()))
        .collect();
    definitions.sort();
    assert_eq!(definitions, ["at S", "country S", "day N", "email S"]);

    let at = UNIX_EPOCH + Duration::from_millis(1_709_208_000_123);
    let day = UNIX_EPOCH + Duration::from_secs(1_709_164_800);
    let login = Login {
        email: "Ann@Example.COM".into(),
        at,
        country: "no".into(),
        day,
    };
    Login::create(&db, &login).await.unwrap();
    let stored = db
        .sdk()
        .get_item()
        .table_name(db.table_name::<Login>())
        .key("email", s("ann@example.com"))
        .key("at", s("2024-02-29T12:00:00.123Z"))
        .send()
        .await
        .unwrap()
        .item
        .expect("stored under the transformed keys");
    assert_eq!(stored["country"], s("NO"));
    assert_eq!(stored["day"], n("1709164800"));

    let read = Login::get(&db, ("ANN@example.com", at)).await.unwrap();
    assert_eq!(read.map(|l| l.email), Some("ann@example.com".to_owned()));
    let minute = Duration::from_secs(60);
    let found = Login::query(&db)
        .hash("ann@EXAMPLE.com")
        .range(|t| t.between(at - minute, at + minute))
        .all()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let by_country = Login::by_country(&db)
        .hash("no")
        .range(|d| d.ge(day))
        .all()
        .await
        .unwrap();
    assert_eq!(by_country.len(), 1);
    Login::delete(&db, ("Ann@Example.com", at)).await.unwrap();
    assert_eq!(Login::scan(&db).count().await.unwrap(), 0);
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "notes")]
struct Note {
    #[model(hash_key)]
    id: String,
    text: String,
    #[model(created_at, storage = "seconds")]
    created: Option<SystemTime>,
    #[model(updated_at, storage = "iso")]
    updated: Option<SystemTime>,
}

#[tokio::test]
async fn timestamps_follow_their_storage() {
    let db = client().await;
    Note::create_table(&db).await.unwrap();
    let before = now_millis() / 1000;
    let note = Note {
        id: "n1".into(),
        text: "hi".into(),
        created: None,
        updated: None,
    };
    Note::create(&db, &note).await.unwrap();
    let f = Note::fields();
    Note::update(&db, "n1").set(&f.text, "ho").await.unwrap();
    let stored = raw(&db, "notes", "n1").await;
    let created: i64 = stored["created"].as_n().unwrap().parse().unwrap();
    assert!(
        created >= before && created <= now_millis() / 1000,
        "{created}"
    );
    let updated = stored["updated"].as_s().unwrap();
    assert!(updated.len() == 24 && updated.ends_with('Z'), "{updated}");
    let read = Note::get(&db, "n1").await.unwrap().unwrap();
    assert_eq!(
        read.created,
        Some(UNIX_EPOCH + Duration::from_secs(created as u64))
    );
    assert!(read.updated.unwrap() >= read.created.unwrap());
}
