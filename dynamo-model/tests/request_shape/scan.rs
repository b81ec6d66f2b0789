//! Scan: filters, projections, segments, indexes.

use crate::models::{Event, EventScore, Session, User, UserName};
use crate::{
    assert_epoch_seconds, assert_invalid, assert_read, client, n, refused, s, time_value, Read,
};
use dynamo_model::{Error, Model};

#[test]
fn a_plain_scan_reads_the_whole_table() {
    let request = User::scan(client()).into_sdk().unwrap();
    let input = request.as_input();
    assert_eq!(input.get_table_name().as_deref(), Some("users"));
    assert_read(input, Read::default(), &[], &[]);
    assert_eq!(
        (input.get_segment(), input.get_total_segments()),
        (&None, &None)
    );
    assert_eq!(input.get_consistent_read(), &Some(false));
    assert_eq!(input.get_limit(), &None);
}

#[test]
fn filter_and_projection_share_the_placeholders() {
    let f = User::fields();
    let filter = f.logins.gt(3) & f.address.city.begins_with("Os");
    let scan = User::scan(client()).filter(filter).consistent(true);
    let request = scan.project::<UserName>().into_sdk().unwrap();
    let read = Read {
        filter: Some("(#n0 > :v0 AND begins_with(#n1.#n2, :v1))"),
        projection: Some("#n3, #n4"),
        consistent: true,
        ..Read::default()
    };
    let names = ["logins", "address", "city", "id", "displayName"];
    assert_read(request.as_input(), read, &names, &[n("3"), s("Os")]);
}

#[test]
fn a_segment_is_sent_with_the_total() {
    let request = User::scan(client()).segment(2, 8).into_sdk().unwrap();
    let input = request.as_input();
    assert_eq!(
        (input.get_segment(), input.get_total_segments()),
        (&Some(2), &Some(8))
    );
}

#[test]
fn a_segment_that_does_not_exist_is_refused() {
    for (segment, total) in [(8, 8), (0, 0), (0, 1_000_001)] {
        let error = refused(User::scan(client()).segment(segment, total).into_sdk());
        let expected = format!("User: scan segment {segment} of {total} does not exist");
        assert!(
            matches!(&error, Error::Config(message) if message.starts_with(&expected)),
            "{error}"
        );
    }
}

#[test]
fn an_index_scan_names_the_index_and_projects_its_keys() {
    let scan = Event::by_size(client()).scan().project::<EventScore>();
    let request = scan.into_sdk().unwrap();
    let read = Read {
        index: Some("by_size"),
        projection: Some("#n0, #n1, #n2, #n3"),
        ..Read::default()
    };
    let names = ["score", "user", "size", "at"];
    assert_read(request.as_input(), read, &names, &[]);

    let scan = Event::by_team(client()).scan().project::<EventScore>();
    let error = refused(scan.into_sdk());
    assert_invalid(&error, "Event", &["global index `by-team`", "`score`"]);
}

#[test]
fn hiding_expired_items_filters_on_the_ttl_in_epoch_seconds() {
    let request = Session::scan(client()).into_sdk().unwrap();
    let input = request.as_input();
    let now = time_value(input, ":v0", assert_epoch_seconds);
    let read = Read {
        filter: Some("(attribute_not_exists(#n0) OR #n0 > :v0)"),
        ..Read::default()
    };
    assert_read(input, read, &["expiresAt"], &[now]);
}

#[test]
fn filter_values_dynamodb_refuses_are_refused_naming_the_attribute() {
    let f = User::fields();
    let too_many = f.logins.is_in(0..101u64);
    let error = refused(User::scan(client()).filter(too_many).into_sdk());
    assert!(matches!(&error, Error::InvalidValue { path, .. } if path == "logins"));
    assert_invalid(&error, "User", &["`logins`", "1 to 100"]);

    let infinite = f.score.ge(f64::INFINITY);
    let error = refused(User::scan(client()).filter(infinite).into_sdk());
    assert_invalid(&error, "User", &["`score`"]);
}
