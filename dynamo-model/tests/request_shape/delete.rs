//! DeleteItem: key, conditions, version checks.

use crate::models::{long_condition, Account, Event, Profile, User};
use crate::{assert_invalid, assert_target, assert_write, client, n, refused, s, staging};
use dynamo_model::aws_sdk_dynamodb::types::ReturnValue;
use dynamo_model::{Error, Model};

#[test]
fn deletes_by_key_without_a_condition() {
    let request = User::delete(client(), "u1").into_sdk().unwrap();
    let input = request.as_input();
    assert_target(input, "users", &[("id", s("u1"))]);
    assert_write(input, None, &[], &[]);
}

#[test]
fn a_composite_key_and_a_prefixed_table() {
    let db = staging();
    let request = Event::delete(&db, ("u1", "2024-05-01")).into_sdk().unwrap();
    let key = [("user", s("u1")), ("at", s("2024-05-01"))];
    assert_target(request.as_input(), "staging_events_v2", &key);
}

#[test]
fn a_condition_renders_with_placeholders_and_grouping() {
    let f = User::fields();
    let request = User::delete(client(), "u1")
        .condition(f.logins.eq(0) | !f.nickname.exists())
        .into_sdk()
        .unwrap();
    let input = request.as_input();
    assert_write(
        input,
        Some("(#n0 = :v0 OR (NOT attribute_exists(#n1)))"),
        &["logins", "nickname"],
        &[n("0")],
    );
}

#[test]
fn an_expected_version_is_checked_before_the_callers_condition() {
    let f = Account::fields();
    let request = Account::delete(client(), "a1")
        .expect_version(4)
        .condition(f.balance.eq(0))
        .into_sdk()
        .unwrap();
    let input = request.as_input();
    assert_write(
        input,
        Some("(#n0 = :v0 AND #n1 = :v1)"),
        &["version", "balance"],
        &[n("4"), n("0")],
    );
}

#[test]
fn expected_version_zero_means_no_stored_version() {
    let request = Account::delete(client(), "a1")
        .expect_version(0)
        .into_sdk()
        .unwrap();
    let input = request.as_input();
    assert_write(input, Some("attribute_not_exists(#n0)"), &["version"], &[]);
}

#[test]
fn a_versioned_delete_without_an_expected_version_has_no_condition() {
    let request = Account::delete(client(), "a1").into_sdk().unwrap();
    assert_write(request.as_input(), None, &[], &[]);
}

#[test]
fn the_key_and_condition_values_go_through_set_transforms() {
    let f = Profile::fields();
    let request = Profile::delete(client(), " ANN ")
        .condition(f.email.eq("Ann@Example.COM"))
        .into_sdk()
        .unwrap();
    let input = request.as_input();
    assert_target(input, "profiles", &[("id", s("ann"))]);
    assert_write(
        input,
        Some("#n0 = :v0"),
        &["email"],
        &[s("ann@example.com")],
    );
}

#[test]
fn return_old_asks_for_the_old_item() {
    let request = User::delete(client(), "u1")
        .return_old()
        .into_sdk()
        .unwrap();
    assert_eq!(
        request.as_input().get_return_values(),
        &Some(ReturnValue::AllOld)
    );
}

#[test]
fn an_empty_key_is_refused() {
    let error = refused(Event::delete(client(), ("u1", "")).into_sdk());
    assert_invalid(&error, "Event", &["`at`", "cannot be empty"]);
}

#[test]
fn a_condition_over_4_kb_is_refused() {
    let error = refused(
        User::delete(client(), "u1")
            .condition(long_condition())
            .into_sdk(),
    );
    assert!(
        matches!(error, Error::InvalidExpression { .. }),
        "{error:?}"
    );
    assert_invalid(&error, "User", &["condition expression", "limit of 4096"]);
}
