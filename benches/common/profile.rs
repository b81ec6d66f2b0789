//! A 10-attribute model of the shape users store most — scalars plus a
//! string set, a nested document and a list — derived and converted by
//! hand with the SDK's types.

use aws_sdk_dynamodb::types::AttributeValue;
use dynamo_model::{Document, Model};
use std::collections::{BTreeSet, HashMap};

/// The nested map (`M`).
#[derive(Document, Debug, Clone, PartialEq)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub zip: String,
    pub country: String,
}

/// Strings, numbers, a bool, a string set (`SS`), a document (`M`) and a
/// list of numbers (`L`).
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "bench_profiles")]
pub struct Profile {
    #[model(hash_key)]
    pub id: String,
    pub name: String,
    pub email: String,
    pub age: u32,
    pub score: f64,
    pub verified: bool,
    pub joined: u64,
    pub tags: BTreeSet<String>,
    pub address: Address,
    pub logins: Vec<u64>,
}

impl Profile {
    /// A realistic profile number `n`.
    pub fn sample(n: u64) -> Self {
        Profile {
            id: format!("profile-{n:08}"),
            name: "Ann Example".into(),
            email: format!("ann{n}@example.com"),
            age: 37,
            score: 1234.5,
            verified: true,
            joined: 1_700_000_000_000 + n,
            tags: ["admin", "beta", "editor"].map(String::from).into(),
            address: Address {
                street: "1 Example Road".into(),
                city: "Oslo".into(),
                zip: "0150".into(),
                country: "NO".into(),
            },
            logins: vec![1_709_208_000_123, 1_709_294_400_456, 1_709_380_800_789],
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
        item.insert("verified".to_owned(), AttributeValue::Bool(self.verified));
        item.insert(
            "joined".to_owned(),
            AttributeValue::N(self.joined.to_string()),
        );
        // DynamoDB stores no empty set.
        if !self.tags.is_empty() {
            let tags = self.tags.iter().cloned().collect();
            item.insert("tags".to_owned(), AttributeValue::Ss(tags));
        }
        let a = &self.address;
        let mut address = HashMap::with_capacity(4);
        address.insert("street".to_owned(), AttributeValue::S(a.street.clone()));
        address.insert("city".to_owned(), AttributeValue::S(a.city.clone()));
        address.insert("zip".to_owned(), AttributeValue::S(a.zip.clone()));
        address.insert("country".to_owned(), AttributeValue::S(a.country.clone()));
        item.insert("address".to_owned(), AttributeValue::M(address));
        let logins = self
            .logins
            .iter()
            .map(|t| AttributeValue::N(t.to_string()))
            .collect();
        item.insert("logins".to_owned(), AttributeValue::L(logins));
        item
    }

    /// The model, read by hand from an owned item (moving strings out).
    pub fn from_item_by_hand(mut item: HashMap<String, AttributeValue>) -> Option<Self> {
        fn s(map: &mut HashMap<String, AttributeValue>, name: &str) -> Option<String> {
            match map.remove(name)? {
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
        let tags = match item.remove("tags") {
            Some(AttributeValue::Ss(tags)) => tags.into_iter().collect(),
            None => BTreeSet::new(),
            Some(_) => return None,
        };
        let mut address = match item.remove("address")? {
            AttributeValue::M(map) => map,
            _ => return None,
        };
        let logins = item
            .get("logins")?
            .as_l()
            .ok()?
            .iter()
            .map(|t| t.as_n().ok()?.parse().ok())
            .collect::<Option<Vec<_>>>()?;
        Some(Profile {
            id: s(&mut item, "id")?,
            name: s(&mut item, "name")?,
            email: s(&mut item, "email")?,
            age: n(&item, "age")?,
            score: n(&item, "score")?,
            verified: *item.get("verified")?.as_bool().ok()?,
            joined: n(&item, "joined")?,
            tags,
            address: Address {
                street: s(&mut address, "street")?,
                city: s(&mut address, "city")?,
                zip: s(&mut address, "zip")?,
                country: s(&mut address, "country")?,
            },
            logins,
        })
    }
}

/// Checks that both conversions build the same item and read back the
/// same profile, so the benchmark compares equal work.
pub fn check_equivalent() {
    let profile = Profile::sample(1);
    let derived = profile.to_item().unwrap();
    assert_eq!(derived, profile.to_item_by_hand());
    assert_eq!(Profile::from_item(derived.clone()).unwrap(), profile);
    assert_eq!(Profile::from_item_by_hand(derived).unwrap(), profile);
}
