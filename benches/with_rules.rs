//! A model using schema rules — a `set` transform, a default, validation
//! rules and ISO time storage — and the hand-written code doing the same
//! work, so the rules' cost is measured against doing it by hand.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};
use dynamo_model::Model;
use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn lowercase(email: &str) -> String {
    email.to_lowercase()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "bench_members")]
pub struct Member {
    #[model(hash_key)]
    pub id: String,
    #[model(validate(length(min = 1, max = 64)))]
    pub name: String,
    #[model(set = lowercase, validate(pattern = "^[^@]+@[^@]+$"))]
    pub email: String,
    #[model(default = "free")]
    pub plan: Option<String>,
    #[model(validate(range(max = 150)))]
    pub age: u32,
    #[model(storage = "iso")]
    pub last_seen: SystemTime,
}

static EMAIL: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new("^[^@]+@[^@]+$").unwrap());

impl Member {
    pub fn sample() -> Self {
        Member {
            id: "member-00000007".into(),
            name: "Ann Example".into(),
            email: "Ann@Example.com".into(),
            plan: None,
            age: 37,
            last_seen: UNIX_EPOCH + Duration::from_millis(1_709_208_000_123),
        }
    }

    /// What careful SDK code would do for the same rules.
    pub fn to_item_by_hand(&self) -> HashMap<String, AttributeValue> {
        let email = self.email.to_lowercase();
        let name_length = self.name.chars().count();
        assert!((1..=64).contains(&name_length) && EMAIL.is_match(&email) && self.age <= 150);
        let mut item = HashMap::with_capacity(6);
        item.insert("id".to_owned(), AttributeValue::S(self.id.clone()));
        item.insert("name".to_owned(), AttributeValue::S(self.name.clone()));
        item.insert("email".to_owned(), AttributeValue::S(email));
        let plan = self.plan.clone().unwrap_or_else(|| "free".to_owned());
        item.insert("plan".to_owned(), AttributeValue::S(plan));
        item.insert("age".to_owned(), AttributeValue::N(self.age.to_string()));
        let seen = DateTime::<Utc>::from(self.last_seen).format("%Y-%m-%dT%H:%M:%S%.3fZ");
        item.insert("last_seen".to_owned(), AttributeValue::S(seen.to_string()));
        item
    }

    pub fn from_item_by_hand(mut item: HashMap<String, AttributeValue>) -> Self {
        let mut text = |name: &str| match item.remove(name) {
            Some(AttributeValue::S(s)) => Some(s),
            _ => None,
        };
        let (id, name, email) = (text("id"), text("name"), text("email"));
        let plan = text("plan").or_else(|| Some("free".to_owned()));
        let seen = text("last_seen").expect("last_seen");
        let age = match item.remove("age") {
            Some(AttributeValue::N(n)) => n.parse().expect("age"),
            _ => panic!("age"),
        };
        Member {
            id: id.expect("id"),
            name: name.expect("name"),
            email: email.expect("email"),
            plan,
            age,
            last_seen: DateTime::parse_from_rfc3339(&seen).expect("iso").into(),
        }
    }
}

/// Both produce the same item, so they do the same work.
pub fn check_equivalent() {
    let member = Member::sample();
    let derived = member.to_item().unwrap();
    assert_eq!(derived, member.to_item_by_hand());
    assert_eq!(
        Member::from_item(derived.clone()).unwrap(),
        Member::from_item_by_hand(derived)
    );
}
