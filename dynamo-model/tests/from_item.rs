//! Offline checks of what the derived `from_item` reads, now that it moves
//! an item's attributes into the fields in one pass: which name a field
//! with aliases reads, what an `extra` field keeps, and how a failed read
//! names the item.

use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Document, Error, Item, Model};

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn item(entries: &[(&str, AttributeValue)]) -> Item {
    entries
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect()
}

#[derive(Document, Debug, Clone, PartialEq)]
struct Place {
    #[model(alias = "town")]
    city: String,
    zip: Option<String>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "renamed")]
struct Renamed {
    #[model(hash_key)]
    id: String,
    #[model(alias = "fullName", alias = "name")]
    display: String,
    // Another field's alias: `display`, read first, takes `name`.
    name: Option<String>,
    place: Option<Place>,
    #[model(extra)]
    extra: Item,
}

#[test]
fn the_name_wins_over_aliases_and_the_first_alias_over_the_next() {
    let read = |entries: &[(&str, AttributeValue)]| Renamed::from_item(item(entries)).unwrap();
    let both = read(&[
        ("id", s("r1")),
        ("fullName", s("Full")),
        ("name", s("Name")),
    ]);
    assert_eq!(both.display, "Full");
    let all = read(&[("id", s("r1")), ("display", s("D")), ("fullName", s("F"))]);
    assert_eq!(all.display, "D");
    // Aliases are read, not kept as unknown attributes.
    assert_eq!(all.extra, Item::new());
}

#[test]
fn a_name_two_fields_read_goes_to_the_field_read_first() {
    let read = Renamed::from_item(item(&[("id", s("r1")), ("name", s("N"))])).unwrap();
    assert_eq!((read.display.as_str(), read.name), ("N", None));
}

#[test]
fn extra_keeps_only_the_attributes_no_field_reads() {
    let place = AttributeValue::M(item(&[("town", s("Oslo")), ("floor", s("3"))]));
    let read = Renamed::from_item(item(&[
        ("id", s("r1")),
        ("display", s("D")),
        ("place", place),
        ("nodeOnly", s("kept")),
    ]))
    .unwrap();
    assert_eq!(read.extra, item(&[("nodeOnly", s("kept"))]));
    // A document reads its aliases too, and drops members it does not know.
    let city = "Oslo".to_owned();
    assert_eq!(read.place, Some(Place { city, zip: None }));
}

#[test]
fn a_failed_read_names_the_item_by_its_key() {
    let error = Renamed::from_item(item(&[
        ("id", s("r1")),
        ("display", AttributeValue::Bool(true)),
    ]))
    .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, key: Some(key), .. }
            if path == "display" && key == r#"{id: "r1"}"#),
        "{error:?}"
    );
    let error = Renamed::from_item(item(&[("display", s("D"))])).unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, key: None, .. } if path == "id"),
        "{error:?}"
    );
    let place = AttributeValue::M(item(&[("zip", s("0150"))]));
    let error = Renamed::from_item(item(&[
        ("id", s("r1")),
        ("display", s("D")),
        ("place", place),
    ]))
    .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "place.city"),
        "{error:?}"
    );
}
