//! GetItem: key, table, consistency, projections.

use crate::models::{Chunk, Event, Profile, Session, SessionExpiry, SessionStart, User, UserName};
use crate::{assert_invalid, assert_read, assert_target, client, n, refused, s, staging, Read};
use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::expr::Projection;
use dynamo_model::Model;

#[test]
fn reads_the_whole_item_by_key() {
    let request = User::get(client(), "u1").into_sdk().unwrap();
    let input = request.as_input();
    assert_target(input, "users", &[("id", s("u1"))]);
    assert_read(input, Read::default(), &[], &[]);
}

#[test]
fn consistent_reads_and_prefixed_tables_are_sent_as_asked() {
    let db = staging();
    let request = User::get(&db, "u1").consistent(true).into_sdk().unwrap();
    let input = request.as_input();
    assert_target(input, "staging_users_v2", &[("id", s("u1"))]);
    let read = Read {
        consistent: true,
        ..Read::default()
    };
    assert_read(input, read, &[], &[]);
}

#[test]
fn a_composite_key_has_both_attributes_with_their_types() {
    let request = Event::get(client(), ("u1", "2024-05-01"))
        .into_sdk()
        .unwrap();
    let key = [("user", s("u1")), ("at", s("2024-05-01"))];
    assert_target(request.as_input(), "events", &key);

    let request = Chunk::get(client(), (vec![1u8, 2], -7)).into_sdk().unwrap();
    let blob = AttributeValue::B(vec![1, 2].into());
    assert_target(
        request.as_input(),
        "Chunk",
        &[("blob", blob), ("part", n("-7"))],
    );
}

#[test]
fn the_key_goes_through_its_set_transform() {
    let request = Profile::get(client(), "  Ann ").into_sdk().unwrap();
    assert_target(request.as_input(), "profiles", &[("id", s("ann"))]);
}

/// Asserts the projection of a get of `key` read into `P`, and its names.
fn assert_projection<M: Model, P: Projection>(
    key: impl Into<M::Key>,
    projection: &str,
    names: &[&str],
) {
    let request = M::get(client(), key).project::<P>().into_sdk().unwrap();
    let read = Read {
        projection: Some(projection),
        ..Read::default()
    };
    assert_read(request.as_input(), read, names, &[]);
}

#[test]
fn a_projection_asks_for_the_partial_types_attributes() {
    assert_projection::<User, UserName>("u1", "#n0, #n1", &["id", "displayName"]);
}

#[test]
fn a_projection_of_a_model_hiding_expired_items_adds_the_ttl() {
    let key = ("u1", "phone");
    assert_projection::<Session, SessionStart>(key, "#n0, #n1", &["started", "expiresAt"]);
}

#[test]
fn a_projection_holding_the_ttl_names_it_once() {
    let key = ("u1", "phone");
    assert_projection::<Session, SessionExpiry>(key, "#n0, #n1", &["started", "expiresAt"]);
}

#[test]
fn an_empty_key_is_refused_naming_model_and_attribute() {
    let error = refused(User::get(client(), "").into_sdk());
    assert!(matches!(&error, dynamo_model::Error::InvalidValue { path, .. } if path == "id"));
    assert_invalid(&error, "User", &["`id`", "cannot be empty"]);
}

#[test]
fn a_key_its_transform_empties_is_refused() {
    let error = refused(Profile::get(client(), "   ").into_sdk());
    assert_invalid(&error, "Profile", &["`id`"]);

    let error = refused(Chunk::get(client(), (Vec::new(), 1)).into_sdk());
    assert_invalid(&error, "Chunk", &["`blob`", "cannot be empty"]);
}
