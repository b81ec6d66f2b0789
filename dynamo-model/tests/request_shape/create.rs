//! PutItem of `create`: the whole item, under the condition that its key is
//! free.

use crate::models::{account, ann, event, leap_day, profile, Account, Event, Profile, User};
use crate::{
    assert_epoch_millis, assert_invalid, assert_iso, assert_message, assert_write, client, item, n,
    refused, s, staging,
};
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Error, Item, Model};

#[test]
fn puts_the_whole_item_if_its_key_is_free() {
    let user = ann();
    let request = User::create(client(), &user).into_sdk().unwrap();
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("users"));
    let address = AttributeValue::M(item(&[("city", s("Oslo"))]));
    let expected = item(&[
        ("id", s("u1")),
        ("displayName", s("Ann")),
        ("logins", n("3")),
        ("score", n("1.5")),
        ("tags", AttributeValue::Ss(vec!["a".into()])),
        ("history", AttributeValue::L(vec![n("7")])),
        ("prefs", AttributeValue::M(Item::new())),
        ("address", address),
    ]);
    assert_eq!(input.get_item(), &Some(expected));
    assert_write(input, Some("attribute_not_exists(#n0)"), &["id"], &[]);
}

#[test]
fn a_further_condition_is_anded_after_the_key_check() {
    let f = User::fields();
    let user = ann();
    let db = staging();
    let request = User::create(&db, &user)
        .condition(f.logins.lt(5))
        .into_sdk()
        .unwrap();
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("staging_users_v2"));
    assert_write(
        input,
        Some("(attribute_not_exists(#n0) AND #n1 < :v0)"),
        &["id", "logins"],
        &[n("5")],
    );
}

#[test]
fn a_composite_key_is_free_when_its_hash_key_is_absent() {
    let event = event();
    let request = Event::create(client(), &event).into_sdk().unwrap();
    let input = request.as_input();
    assert_write(input, Some("attribute_not_exists(#n0)"), &["user"], &[]);
    // A sparse index key that is None is left out, not stored as NULL.
    assert!(!input.get_item().as_ref().unwrap().contains_key("team"));
}

#[test]
fn a_versioned_model_is_created_at_version_one_without_a_version_check() {
    let mut new = account(0);
    let request = Account::create(client(), &mut new).into_sdk().unwrap();
    let input = request.as_input();
    let expected = item(&[("id", s("a1")), ("balance", n("10")), ("version", n("1"))]);
    assert_eq!(input.get_item(), &Some(expected));
    assert_write(input, Some("attribute_not_exists(#n0)"), &["id"], &[]);
}

#[test]
fn schema_rules_and_timestamps_shape_the_item() {
    let new = profile();
    let request = Profile::create(client(), &new).into_sdk().unwrap();
    let mut stored = request.as_input().get_item().clone().unwrap();
    assert_iso(&stored.remove("createdAt").unwrap());
    assert_epoch_millis(&stored.remove("updatedAt").unwrap());
    // The key and `email` transformed, `schema` forced, `lastSeen` as ISO
    // text, and `bio` (None) not stored at all.
    let expected = [
        ("id", s("ann")),
        ("email", s("ann@example.com")),
        ("displayName", s("Ann")),
        ("schema", n("2")),
        ("lastSeen", s("2024-02-29T12:00:00.123Z")),
    ];
    assert_eq!(stored, item(&expected));
}

#[test]
fn a_created_at_given_in_the_struct_is_kept() {
    let imported = Profile {
        created_at: Some(leap_day()),
        ..profile()
    };
    let request = Profile::create(client(), &imported).into_sdk().unwrap();
    let stored = request.as_input().get_item().clone().unwrap();
    assert_eq!(stored["createdAt"], s("2024-02-29T12:00:00.123Z"));
}

/// The error of a create of `item` after `change`.
fn create_refused<M: Model>(mut item: M, change: impl FnOnce(&mut M)) -> Error {
    change(&mut item);
    refused(M::create(client(), &mut item).into_sdk())
}

#[test]
fn an_empty_key_is_refused() {
    let error = create_refused(ann(), |user| user.id.clear());
    assert_invalid(&error, "User", &["`id`", "cannot be empty"]);
}

#[test]
fn an_empty_index_key_is_refused() {
    let error = create_refused(event(), |event| event.kind.clear());
    assert_invalid(&error, "Event", &["`kind`", "cannot be empty"]);
}

#[test]
fn a_number_dynamodb_cannot_store_is_refused() {
    let error = create_refused(ann(), |user| user.score = f64::NAN);
    assert_invalid(&error, "User", &["`score`", "NaN"]);
}

#[test]
fn an_item_over_400_kb_is_refused_naming_its_key() {
    let error = create_refused(ann(), |user| user.display_name = "x".repeat(410_000));
    assert!(matches!(error, Error::ItemTooLarge { limit: 409_600, .. }));
    assert_invalid(&error, "User", &["{id: \"u1\"}", "409600"]);
}

#[test]
fn a_broken_validation_rule_is_refused() {
    let error = create_refused(profile(), |profile| profile.display_name = "A".repeat(21));
    assert!(error.is_validation(), "{error:?}");
    assert_message(&error, "Profile", &["`displayName` (length)"]);
}
