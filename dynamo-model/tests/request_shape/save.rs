//! `save`: a PutItem replacing the item, or for a model with `created_at`
//! an UpdateItem that writes every attribute but a stored `created_at`.

use crate::models::{account, ann, leap_day, profile, Account, Profile, User};
use crate::{
    assert_condition, assert_epoch_millis, assert_invalid, assert_iso, assert_target, assert_write,
    clauses, client, expected_clauses, n, refused, resolve, s, take_action,
};
use dynamo_model::aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use dynamo_model::aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::ops::item::SaveRequest;
use dynamo_model::{Item, Model, Result};
use std::collections::{BTreeMap, BTreeSet};

fn put(request: Result<SaveRequest>) -> PutItemFluentBuilder {
    match request.unwrap() {
        SaveRequest::Put(request) => request,
        other => panic!("a model without created_at is saved with a PutItem: {other:?}"),
    }
}

fn update(request: Result<SaveRequest>) -> UpdateItemFluentBuilder {
    match request.unwrap() {
        SaveRequest::Update(request) => request,
        other => panic!("a model with created_at is saved with an UpdateItem: {other:?}"),
    }
}

#[test]
fn a_model_without_created_at_is_put_unconditionally() {
    let user = ann();
    let request = put(User::save(client(), &user).into_sdk());
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("users"));
    assert_eq!(input.get_item().as_ref(), Some(&user.to_item().unwrap()));
    assert_write(input, None, &[], &[]);
}

#[test]
fn a_condition_of_a_save_is_sent_as_given() {
    let f = User::fields();
    let user = ann();
    let condition = f.nickname.not_exists() & f.tags.contains("a");
    let request = put(User::save(client(), &user).condition(condition).into_sdk());
    let condition = Some("(attribute_not_exists(#n0) AND contains(#n1, :v0))");
    let names = ["nickname", "tags"];
    assert_write(request.as_input(), condition, &names, &[s("a")]);
}

/// Asserts that a save of an account at `version` stores version `stored`
/// under `condition` on the stored version.
fn assert_account_save(version: u64, stored: &str, condition: &str, values: &[AttributeValue]) {
    let mut current = account(version);
    let request = put(Account::save(client(), &mut current).into_sdk());
    let input = request.as_input();
    assert_eq!(input.get_item().as_ref().unwrap()["version"], n(stored));
    assert_write(input, Some(condition), &["version"], values);
}

#[test]
fn a_versioned_save_requires_the_models_version_and_stores_one_more() {
    assert_account_save(3, "4", "#n0 = :v0", &[n("3")]);
}

#[test]
fn a_versioned_save_at_version_zero_requires_no_stored_version() {
    assert_account_save(0, "1", "attribute_not_exists(#n0)", &[]);
}

#[test]
fn a_versioned_save_checks_the_version_before_the_callers_condition() {
    let f = Account::fields();
    let mut current = account(3);
    let save = Account::save(client(), &mut current).condition(f.balance.ge(0));
    let request = put(save.into_sdk());
    let condition = Some("(#n0 = :v0 AND #n1 >= :v1)");
    let (names, values) = (["version", "balance"], [n("3"), n("0")]);
    assert_write(request.as_input(), condition, &names, &values);
}

/// The actions of the update saving `profile`, by clause (see [`clauses`]).
fn saved_actions(profile: Profile) -> BTreeMap<String, BTreeSet<String>> {
    let request = update(Profile::save(client(), &profile).into_sdk());
    let input = request.as_input();
    clauses(input.get_update_expression().as_deref().unwrap(), input)
}

#[test]
fn a_model_with_created_at_is_saved_with_an_update_keeping_a_stored_created_at() {
    let saved = profile();
    let request = update(Profile::save(client(), &saved).into_sdk());
    let input = request.as_input();
    assert_target(input, "profiles", &[("id", s("ann"))]);
    assert_condition(input, None);
    assert_eq!(input.get_return_values(), &None);

    let mut actions = saved_actions(saved);
    let created = take_action(&mut actions, "SET", "createdAt = if_not_exists(createdAt, ");
    assert_iso(&s(created.trim_end_matches(')').trim_matches('"')));
    assert_epoch_millis(&n(&take_action(&mut actions, "SET", "updatedAt = ")));
    let set = [
        "email = \"ann@example.com\"",
        "displayName = \"Ann\"",
        "schema = 2",
        "lastSeen = \"2024-02-29T12:00:00.123Z\"",
    ];
    // The model's attributes the item lacks go, aliases included.
    let remove = ["bio", "fullName"];
    assert_eq!(
        actions,
        expected_clauses(&[("SET", &set), ("REMOVE", &remove)])
    );
}

#[test]
fn a_created_at_in_the_struct_is_written_only_if_none_is_stored() {
    let mut actions = saved_actions(Profile {
        created_at: Some(leap_day()),
        ..profile()
    });
    let created = take_action(&mut actions, "SET", "createdAt = ");
    assert_eq!(
        created,
        "if_not_exists(createdAt, \"2024-02-29T12:00:00.123Z\")"
    );
}

#[test]
fn unknown_attributes_of_the_extra_field_are_written_back() {
    let actions = saved_actions(Profile {
        extra: Item::from([("nodeOnly".to_owned(), s("kept"))]),
        bio: Some("Hi".into()),
        ..profile()
    });
    assert!(
        actions["SET"].contains("nodeOnly = \"kept\""),
        "{actions:?}"
    );
    assert!(actions["SET"].contains("bio = \"Hi\""), "{actions:?}");
    assert_eq!(actions["REMOVE"], ["fullName".to_owned()].into());
}

#[test]
fn a_condition_of_a_saving_update_compares_transformed_values() {
    let f = Profile::fields();
    let saved = profile();
    let save = Profile::save(client(), &saved).condition(f.email.eq("ANN@Example.com"));
    let request = update(save.into_sdk());
    let input = request.as_input();
    let condition = input.get_condition_expression().as_deref().unwrap();
    assert_eq!(resolve(condition, input), "email = \"ann@example.com\"");
    assert_condition(input, Some(condition));
}

#[test]
fn a_key_its_transform_empties_is_refused() {
    let mut blank = profile();
    blank.id = "  ".into();
    let error = refused(Profile::save(client(), &blank).into_sdk());
    assert_invalid(&error, "Profile", &["`id`", "cannot be empty"]);
}
