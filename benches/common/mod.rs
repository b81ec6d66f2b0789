//! The 10-field model the benchmarks share, written three ways: derived,
//! serde (for serde_dynamo) and converted by hand with the SDK's types.

use aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::Model;
use std::collections::HashMap;

/// Ten fields of the common kinds: strings, numbers, bool, option, list.
#[derive(Model, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
#[model(table = "bench_users")]
pub struct User {
    #[model(hash_key)]
    pub id: String,
    pub name: String,
    pub email: String,
    pub age: u32,
    pub score: f64,
    pub active: bool,
    pub balance: i64,
    pub created_at: u64,
    pub nickname: Option<String>,
    pub roles: Vec<String>,
}

impl User {
    /// A realistic user number `n`.
    pub fn sample(n: u64) -> Self {
        User {
            id: format!("user-{n:08}"),
            name: "Ann Example".into(),
            email: format!("ann{n}@example.com"),
            age: 37,
            score: 1234.5,
            active: true,
            balance: -42_000,
            created_at: 1_700_000_000_000 + n,
            nickname: Some("annie".into()),
            roles: vec!["admin".into(), "editor".into()],
        }
    }

    /// The item, built by hand as careful SDK code would.
    pub fn to_item_by_hand(&self) -> HashMap<String, AttributeValue> {
        let mut item = HashMap::with_capacity(10);
        item.insert("id".to_owned(), AttributeValue::S(self.id.clone()));
        item.insert("name".to_owned(), AttributeValue::S(self.name.clone()));
        item.insert("email".to_owned(), AttributeValue::S(self.email.clone()));
        item.insert("age".to_owned(), AttributeValue::N(self.age.to_string()));
        item.insert(
            "score".to_owned(),
            AttributeValue::N(self.score.to_string()),
        );
        item.insert("active".to_owned(), AttributeValue::Bool(self.active));
        item.insert(
            "balance".to_owned(),
            AttributeValue::N(self.balance.to_string()),
        );
        item.insert(
            "created_at".to_owned(),
            AttributeValue::N(self.created_at.to_string()),
        );
        if let Some(nickname) = &self.nickname {
            item.insert("nickname".to_owned(), AttributeValue::S(nickname.clone()));
        }
        let roles = self
            .roles
            .iter()
            .map(|r| AttributeValue::S(r.clone()))
            .collect();
        item.insert("roles".to_owned(), AttributeValue::L(roles));
        item
    }

    /// The model, read by hand from an owned item (moving strings out).
    pub fn from_item_by_hand(mut item: HashMap<String, AttributeValue>) -> Option<Self> {
        fn s(item: &mut HashMap<String, AttributeValue>, name: &str) -> Option<String> {
            match item.remove(name)? {
                AttributeValue::S(s) => Some(s),
                _ => None,
            }
        }
        fn n<T: std::str::FromStr>(
            item: &HashMap<String, AttributeValue>,
            name: &str,
        ) -> Option<T> {
            item.get(name)?.as_n().ok()?.parse().ok()
        }
        let roles = match item.remove("roles")? {
            AttributeValue::L(list) => list
                .into_iter()
                .map(|v| match v {
                    AttributeValue::S(s) => Some(s),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
            _ => return None,
        };
        Some(User {
            id: s(&mut item, "id")?,
            name: s(&mut item, "name")?,
            email: s(&mut item, "email")?,
            age: n(&item, "age")?,
            score: n(&item, "score")?,
            active: *item.get("active")?.as_bool().ok()?,
            balance: n(&item, "balance")?,
            created_at: n(&item, "created_at")?,
            nickname: s(&mut item, "nickname"),
            roles,
        })
    }
}

/// Checks that all three conversions agree, so the benchmark compares
/// equal work.
pub fn check_equivalent() {
    let user = User::sample(1);
    let derived = user.to_item().unwrap();
    assert_eq!(derived, user.to_item_by_hand());
    let via_serde: dynamo_model::Item = serde_dynamo::to_item(&user).unwrap();
    assert_eq!(derived, via_serde);
    assert_eq!(User::from_item(derived.clone()).unwrap(), user);
    assert_eq!(User::from_item_by_hand(derived).unwrap(), user);
}
