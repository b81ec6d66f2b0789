//! Query: key conditions on the table and on secondary indexes, filters,
//! projections, order, consistency.

use crate::models::{long_condition, Event, EventKind, EventScore, Profile, Session, User};
use crate::{
    assert_epoch_seconds, assert_invalid, assert_read, client, n, refused, s, staging, time_value,
    Read,
};
use dynamo_model::ops::query::{RangeCondition, RangeKey};
use dynamo_model::{Error, Model};

/// A read with this key condition and nothing else.
fn keyed(key_condition: &str) -> Read<'_> {
    Read {
        key_condition: Some(key_condition),
        ..Read::default()
    }
}

#[test]
fn a_hash_key_alone_reads_the_table_forward() {
    let request = Event::query(client()).hash("u1").into_sdk().unwrap();
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("events"));
    assert_read(input, keyed("#n0 = :v0"), &["user"], &[s("u1")]);
    assert_eq!(input.get_scan_index_forward(), &Some(true));
    assert_eq!(input.get_consistent_read(), &Some(false));
}

#[test]
fn each_range_comparison_renders_its_operator() {
    type Build = fn(RangeKey<String>) -> RangeCondition<String>;
    let cases: [(Build, &str); 5] = [
        (|at| at.eq("2024"), "="),
        (|at| at.lt("2024"), "<"),
        (|at| at.le("2024"), "<="),
        (|at| at.gt("2024"), ">"),
        (|at| at.ge("2024"), ">="),
    ];
    for (range, operator) in cases {
        let query = Event::query(client()).hash("u1").range(range);
        let request = query.into_sdk().unwrap();
        let expected = format!("#n0 = :v0 AND #n1 {operator} :v1");
        let values = [s("u1"), s("2024")];
        assert_read(
            request.as_input(),
            keyed(&expected),
            &["user", "at"],
            &values,
        );
    }
}

#[test]
fn between_and_begins_with_render_as_dynamodb_spells_them() {
    let query = || Event::query(client()).hash("u1");
    let between = query().range(|at| at.between("2023", "2024"));
    let request = between.into_sdk().unwrap();
    let read = keyed("#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
    let values = [s("u1"), s("2023"), s("2024")];
    assert_read(request.as_input(), read, &["user", "at"], &values);

    let prefix = query().range(|at| at.begins_with("2024-"));
    let request = prefix.into_sdk().unwrap();
    let read = keyed("#n0 = :v0 AND begins_with(#n1, :v1)");
    let values = [s("u1"), s("2024-")];
    assert_read(request.as_input(), read, &["user", "at"], &values);
}

#[test]
fn descending_and_consistent_reads_and_no_sdk_limit() {
    let db = staging();
    let query = Event::query(&db).hash("u1").descending().consistent(true);
    let request = query.limit(20).request_limit(5).into_sdk().unwrap();
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("staging_events_v2"));
    let read = Read {
        consistent: true,
        descending: true,
        ..keyed("#n0 = :v0")
    };
    assert_read(input, read, &["user"], &[s("u1")]);
    // Documented: paging (Limit, ExclusiveStartKey) is left to the caller.
    assert_eq!(input.get_limit(), &None);
    assert_eq!(input.get_exclusive_start_key(), &None);
}

#[test]
fn a_filter_takes_placeholders_after_the_key_condition() {
    let f = Event::fields();
    let query = Event::query(client()).hash("u1").range(|at| at.ge("2024"));
    let filtered = query.filter(f.kind.eq("login")).filter(f.score.ge(2));
    let request = filtered.into_sdk().unwrap();
    let read = Read {
        filter: Some("(#n2 = :v2 AND #n3 >= :v3)"),
        ..keyed("#n0 = :v0 AND #n1 >= :v1")
    };
    let names = ["user", "at", "kind", "score"];
    let values = [s("u1"), s("2024"), s("login"), n("2")];
    assert_read(request.as_input(), read, &names, &values);
}

#[test]
fn a_projection_adds_the_keys_a_cursor_needs() {
    let query = Event::query(client()).hash("u1").project::<EventScore>();
    let request = query.into_sdk().unwrap();
    let read = Read {
        projection: Some("#n1, #n0, #n2"),
        ..keyed("#n0 = :v0")
    };
    assert_read(
        request.as_input(),
        read,
        &["user", "score", "at"],
        &[s("u1")],
    );
}

#[test]
fn a_global_index_is_named_and_keyed_by_its_own_keys() {
    let query = Event::by_kind(client())
        .hash("login")
        .range(|at| at.gt("2024"));
    let request = query.project::<EventScore>().into_sdk().unwrap();
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("events"));
    // The index's keys, then the table's: every key positions a cursor.
    let read = Read {
        index: Some("by_kind"),
        projection: Some("#n2, #n0, #n1, #n3"),
        ..keyed("#n0 = :v0 AND #n1 > :v1")
    };
    let names = ["kind", "at", "score", "user"];
    assert_read(input, read, &names, &[s("login"), s("2024")]);
}

#[test]
fn a_local_keys_only_index_reads_consistently_and_projects_anything() {
    let query = Event::by_size(client())
        .hash("u1")
        .range(|size| size.le(100));
    let request = query
        .consistent(true)
        .project::<EventScore>()
        .into_sdk()
        .unwrap();
    // A local index fetches what it lacks from the table.
    let read = Read {
        index: Some("by_size"),
        projection: Some("#n2, #n0, #n1, #n3"),
        consistent: true,
        ..keyed("#n0 = :v0 AND #n1 <= :v1")
    };
    let names = ["user", "size", "score", "at"];
    assert_read(request.as_input(), read, &names, &[s("u1"), n("100")]);
}

#[test]
fn an_include_index_projects_what_it_holds_and_refuses_the_rest() {
    let query = Event::by_team(client()).hash("t1");
    let request = query.project::<EventKind>().into_sdk().unwrap();
    let read = Read {
        index: Some("by-team"),
        projection: Some("#n1, #n0, #n2, #n3"),
        ..keyed("#n0 = :v0")
    };
    let names = ["team", "kind", "user", "at"];
    assert_read(request.as_input(), read, &names, &[s("t1")]);

    let query = Event::by_team(client()).hash("t1").project::<EventScore>();
    let error = refused(query.into_sdk());
    assert!(
        matches!(error, Error::InvalidExpression { .. }),
        "{error:?}"
    );
    assert_invalid(&error, "Event", &["`by-team`", "`score`", "`kind`"]);
}

#[test]
fn hiding_expired_items_adds_a_ttl_filter_after_the_callers() {
    let f = Session::fields();
    let query = Session::query(client()).hash("u1");
    let query = query.range(|device| device.begins_with("PHONE"));
    let request = query.filter(f.started.gt(5)).into_sdk().unwrap();
    let input = request.as_input();
    let now = time_value(input, ":v3", assert_epoch_seconds);
    let read = Read {
        filter: Some("(#n2 > :v2 AND (attribute_not_exists(#n3) OR #n3 > :v3))"),
        ..keyed("#n0 = :v0 AND begins_with(#n1, :v1)")
    };
    // The range key's set transform applies to the prefix.
    let names = ["user", "device", "started", "expiresAt"];
    assert_read(input, read, &names, &[s("u1"), s("phone"), n("5"), now]);
}

#[test]
fn the_hash_key_goes_through_its_set_transform() {
    let request = Profile::query(client()).hash(" ANN ").into_sdk().unwrap();
    assert_read(request.as_input(), keyed("#n0 = :v0"), &["id"], &[s("ann")]);
}

#[test]
fn empty_key_values_are_refused() {
    let error = refused(Event::query(client()).hash("").into_sdk());
    assert_invalid(&error, "Event", &["`user`", "cannot be empty"]);

    let query = Event::query(client()).hash("u1").range(|at| at.eq(""));
    let error = refused(query.into_sdk());
    assert_invalid(&error, "Event", &["`at`", "cannot be empty"]);
}

#[test]
fn a_filter_over_4_kb_is_refused() {
    let query = User::query(client()).hash("u1").filter(long_condition());
    let error = refused(query.into_sdk());
    assert!(
        matches!(error, Error::InvalidExpression { .. }),
        "{error:?}"
    );
    assert_invalid(&error, "User", &["filter expression", "limit of 4096"]);
}
