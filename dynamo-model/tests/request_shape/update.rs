//! UpdateItem of `update`: the actions' clauses, what every update adds
//! (existence check, forced defaults, timestamps, version), return values,
//! and the updates refused before sending.

use crate::models::{leap_day, Account, Event, Profile, User};
use crate::{
    assert_epoch_millis, assert_invalid, assert_iso, assert_message, assert_target, assert_write,
    client, n, refused, s, time_value,
};
use dynamo_model::aws_sdk_dynamodb::operation::update_item::builders::UpdateItemInputBuilder;
use dynamo_model::aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use dynamo_model::ops::update::{Returning, Update};
use dynamo_model::{Error, Model};
use std::collections::BTreeSet;
use std::time::SystemTime;

/// Asserts an update's expression, its condition and its placeholders.
fn assert_update(
    input: &UpdateItemInputBuilder,
    expression: &str,
    condition: Option<&str>,
    names: &[&str],
    values: &[AttributeValue],
) {
    assert_eq!(input.get_update_expression().as_deref(), Some(expression));
    assert_write(input, condition, names, values);
}

fn list(values: &[AttributeValue]) -> AttributeValue {
    AttributeValue::L(values.to_vec())
}

#[test]
fn set_and_increment_an_existing_item() {
    let f = User::fields();
    let update = User::update(client(), "u1").set(&f.display_name, "Ann");
    let request = update.increment(&f.logins, 1).into_sdk().unwrap();
    let input = request.as_input();
    assert_target(input, "users", &[("id", s("u1"))]);
    let expression = "SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) + :v2";
    let names = ["displayName", "logins", "id"];
    let values = [s("Ann"), n("0"), n("1")];
    assert_update(
        input,
        expression,
        Some("attribute_exists(#n2)"),
        &names,
        &values,
    );
    assert_eq!(input.get_return_values(), &Some(ReturnValue::None));
}

#[test]
fn every_action_goes_to_its_clause() {
    let f = User::fields();
    let request = User::update(client(), "u1")
        .set_if_not_exists(&f.nickname, "annie")
        .remove(&f.address)
        .decrement(&f.logins, 2)
        .add(&f.score, 0.5)
        .delete(&f.tags, BTreeSet::from(["a".to_owned()]))
        .append(&f.history, [8, 9])
        .into_sdk()
        .unwrap();
    let expression = "SET #n0 = if_not_exists(#n0, :v0), #n2 = if_not_exists(#n2, :v1) - :v2, \
                      #n5 = list_append(if_not_exists(#n5, :v5), :v6) \
                      REMOVE #n1 ADD #n3 :v3 DELETE #n4 :v4";
    let names = [
        "nickname", "address", "logins", "score", "tags", "history", "id",
    ];
    let values = [
        s("annie"),
        n("0"),
        n("2"),
        n("0.5"),
        AttributeValue::Ss(vec!["a".into()]),
        list(&[]),
        list(&[n("8"), n("9")]),
    ];
    let exists = Some("attribute_exists(#n6)");
    assert_update(request.as_input(), expression, exists, &names, &values);
}

#[test]
fn prepend_puts_the_new_elements_first() {
    let f = User::fields();
    let update = User::update(client(), "u1").prepend(&f.history, [1]);
    let request = update.into_sdk().unwrap();
    let expression = "SET #n0 = list_append(:v1, if_not_exists(#n0, :v0))";
    let values = [list(&[]), list(&[n("1")])];
    let exists = Some("attribute_exists(#n1)");
    assert_update(
        request.as_input(),
        expression,
        exists,
        &["history", "id"],
        &values,
    );
}

#[test]
fn nested_paths_update_one_member_list_element_or_map_entry() {
    let f = User::fields();
    let update = User::update(client(), "u1").set(&f.address.city, "Bergen");
    let update = update
        .set(f.history.index(2), 5)
        .remove(f.prefs.key("dark mode"));
    let request = update.into_sdk().unwrap();
    let expression = "SET #n0.#n1 = :v0, #n2[2] = :v1 REMOVE #n3.#n4";
    let names = ["address", "city", "history", "prefs", "dark mode", "id"];
    let exists = Some("attribute_exists(#n5)");
    assert_update(
        request.as_input(),
        expression,
        exists,
        &names,
        &[s("Bergen"), n("5")],
    );
}

fn returned<R: Returning<User>>(update: Update<'_, User, R>) -> Option<ReturnValue> {
    let request = update.into_sdk().unwrap();
    request.as_input().get_return_values().clone()
}

#[test]
fn each_return_kind_asks_for_its_return_values() {
    let f = User::fields();
    let update = || User::update(client(), "u1").increment(&f.logins, 1);
    assert_eq!(returned(update()), Some(ReturnValue::None));
    assert_eq!(returned(update().return_new()), Some(ReturnValue::AllNew));
    assert_eq!(returned(update().return_old()), Some(ReturnValue::AllOld));
    let updated_old = update().return_updated_old();
    assert_eq!(returned(updated_old), Some(ReturnValue::UpdatedOld));
    let updated_new = update().return_updated_new();
    assert_eq!(returned(updated_new), Some(ReturnValue::UpdatedNew));
}

#[test]
fn an_upsert_drops_the_existence_check() {
    let f = User::fields();
    let update = User::update(client(), "u1").set_if_not_exists(&f.display_name, "Ann");
    let request = update.upsert().into_sdk().unwrap();
    let expression = "SET #n0 = if_not_exists(#n0, :v0)";
    assert_update(
        request.as_input(),
        expression,
        None,
        &["displayName"],
        &[s("Ann")],
    );
}

#[test]
fn a_condition_follows_the_existence_check() {
    let f = User::fields();
    let update = User::update(client(), "u1").set(&f.display_name, "Ann");
    let request = update.condition(f.logins.lt(100)).into_sdk().unwrap();
    let condition = Some("(attribute_exists(#n1) AND #n2 < :v1)");
    let names = ["displayName", "id", "logins"];
    let values = [s("Ann"), n("100")];
    assert_update(
        request.as_input(),
        "SET #n0 = :v0",
        condition,
        &names,
        &values,
    );
}

#[test]
fn a_versioned_update_increments_the_version_and_checks_an_expected_one() {
    let f = Account::fields();
    let update = Account::update(client(), "a1").increment(&f.balance, 5);
    let request = update.expect_version(3).into_sdk().unwrap();
    let expression = "SET #n0 = if_not_exists(#n0, :v0) + :v1, #n1 = if_not_exists(#n1, :v2) + :v3";
    let condition = Some("(attribute_exists(#n2) AND #n1 = :v4)");
    let values = [n("0"), n("5"), n("0"), n("1"), n("3")];
    let names = ["balance", "version", "id"];
    assert_update(request.as_input(), expression, condition, &names, &values);
}

#[test]
fn a_versioned_update_without_an_expected_version_still_increments_it() {
    let f = Account::fields();
    let update = Account::update(client(), "a1").decrement(&f.balance, 5);
    let request = update.into_sdk().unwrap();
    let expression = "SET #n0 = if_not_exists(#n0, :v0) - :v1, #n1 = if_not_exists(#n1, :v2) + :v3";
    let condition = Some("attribute_exists(#n2)");
    let values = [n("0"), n("5"), n("0"), n("1")];
    let names = ["balance", "version", "id"];
    assert_update(request.as_input(), expression, condition, &names, &values);
}

#[test]
fn forced_defaults_and_timestamps_are_set_by_every_update() {
    let f = Profile::fields();
    let update = Profile::update(client(), " ANN ").set(&f.email, "Ann@New.ORG");
    let request = update
        .condition(f.email.eq("ANN@old.org"))
        .into_sdk()
        .unwrap();
    let input = request.as_input();
    // The key and the values for `email` go through its set transform.
    assert_target(input, "profiles", &[("id", s("ann"))]);
    let updated = time_value(input, ":v2", assert_epoch_millis);
    let created = time_value(input, ":v3", assert_iso);
    let expression = "SET #n0 = :v0, #n1 = :v1, #n2 = :v2, #n3 = if_not_exists(#n3, :v3)";
    let condition = Some("(attribute_exists(#n4) AND #n0 = :v4)");
    let names = ["email", "schema", "updatedAt", "createdAt", "id"];
    let values = [s("ann@new.org"), n("2"), updated, created, s("ann@old.org")];
    assert_update(input, expression, condition, &names, &values);
}

#[test]
fn time_storage_applies_to_set_values_and_conditions() {
    let f = Profile::fields();
    let update = Profile::update(client(), "ann").set(&f.last_seen, leap_day());
    let request = update
        .condition(f.last_seen.lt(leap_day()))
        .into_sdk()
        .unwrap();
    let values = request.as_input().get_expression_attribute_values().clone();
    let iso = s("2024-02-29T12:00:00.123Z");
    assert_eq!(values.as_ref().unwrap()[":v0"], iso);
    assert_eq!(values.as_ref().unwrap()[":v4"], iso);
}

#[test]
fn a_key_attribute_is_refused_naming_model_and_attribute() {
    let f = User::fields();
    let error = refused(User::update(client(), "u1").set(&f.id, "u2").into_sdk());
    assert!(matches!(
        error,
        Error::InvalidExpression { model: "User", .. }
    ));
    assert_invalid(&error, "User", &["`id` is a key attribute"]);

    let f = Event::fields();
    let update = Event::update(client(), ("u1", "x")).remove(&f.at);
    let error = refused(update.into_sdk());
    assert_invalid(&error, "Event", &["`at` is a key attribute"]);
}

#[test]
fn timestamps_versions_and_forced_defaults_are_refused() {
    let f = Profile::fields();
    let update = || Profile::update(client(), "ann");
    let error = refused(update().set(&f.updated_at, SystemTime::now()).into_sdk());
    assert_invalid(&error, "Profile", &["`updatedAt` is a timestamp"]);
    let error = refused(update().set(&f.schema, 3).into_sdk());
    assert_invalid(&error, "Profile", &["`schema` has `force_default`"]);

    let f = Account::fields();
    let error = refused(
        Account::update(client(), "a1")
            .set(&f.version, 9)
            .into_sdk(),
    );
    assert_invalid(&error, "Account", &["`version` is the version attribute"]);
}

#[test]
fn overlapping_paths_and_empty_updates_are_refused() {
    let f = User::fields();
    let update = User::update(client(), "u1").set(&f.address.city, "Bergen");
    let error = refused(update.remove(&f.address).into_sdk());
    assert_invalid(&error, "User", &["`address.city`", "`address`", "overlap"]);

    let error = refused(User::update(client(), "u1").into_sdk());
    assert_invalid(&error, "User", &["at least one action"]);
}

#[test]
fn an_update_expression_over_4_kb_is_refused() {
    let f = User::fields();
    let many = (0..300u32).fold(User::update(client(), "u1"), |update, i| {
        update.set(f.history.index(i as usize), i)
    });
    let error = refused(many.into_sdk());
    assert!(
        matches!(error, Error::InvalidExpression { .. }),
        "{error:?}"
    );
    assert_invalid(&error, "User", &["update expression", "limit of 4096"]);
}

#[test]
fn values_dynamodb_cannot_store_are_refused_naming_the_attribute() {
    let f = User::fields();
    let update = || User::update(client(), "u1");
    let error = refused(update().set(&f.score, f64::NAN).into_sdk());
    assert!(matches!(&error, Error::InvalidValue { path, .. } if path == "score"));
    assert_invalid(&error, "User", &["`score`", "NaN"]);

    let error = refused(update().add(&f.tags, BTreeSet::new()).into_sdk());
    assert!(matches!(&error, Error::InvalidValue { path, .. } if path == "tags"));
    assert_invalid(&error, "User", &["`tags`", "empty set"]);

    let error = refused(User::update(client(), "").remove(&f.nickname).into_sdk());
    assert_invalid(&error, "User", &["`id`", "cannot be empty"]);
}

#[test]
fn a_value_breaking_a_rule_is_refused() {
    let f = Profile::fields();
    let long = "A".repeat(21);
    let update = Profile::update(client(), "ann").set(&f.display_name, long);
    let error = refused(update.into_sdk());
    assert!(error.is_validation(), "{error:?}");
    assert_message(&error, "Profile", &["`displayName` (length)"]);
}

#[test]
fn an_empty_index_key_value_is_refused() {
    let f = Event::fields();
    let update = Event::update(client(), ("u1", "2024")).set(&f.kind, "");
    let error = refused(update.into_sdk());
    assert_invalid(&error, "Event", &["`kind`", "cannot be empty"]);
}
