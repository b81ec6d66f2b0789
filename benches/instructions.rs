//! The conversion round trips of `conversion.rs`, run a given number of
//! times and nothing else, for counting instructions under cachegrind:
//! counts do not move with the load of a shared machine as times do.
//! `benches/instructions.sh` runs every case and prints the counts per
//! round trip; run by hand: `instructions <case> <round trips>`.

mod common;
#[path = "common/profile.rs"]
mod profile;
mod with_rules;

use common::User;
use dynamo_model::Model;
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_default();
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    common::check_equivalent();
    profile::check_equivalent();
    with_rules::check_equivalent();
    let user = User::sample(7);
    let profile = profile::Profile::sample(7);
    let member = with_rules::Member::sample();
    for _ in 0..rounds {
        match case.as_str() {
            "hand_written" => {
                black_box(User::from_item_by_hand(black_box(&user).to_item_by_hand()));
            }
            "dynamo_model" => {
                black_box(User::from_item(black_box(&user).to_item().unwrap()).unwrap());
            }
            "serde_dynamo" => {
                let item: dynamo_model::Item = serde_dynamo::to_item(black_box(&user)).unwrap();
                black_box(serde_dynamo::from_item::<_, User>(item).unwrap());
            }
            "nested_hand_written" => {
                let item = black_box(&profile).to_item_by_hand();
                black_box(profile::Profile::from_item_by_hand(item));
            }
            "nested_dynamo_model" => {
                let item = black_box(&profile).to_item().unwrap();
                black_box(profile::Profile::from_item(item).unwrap());
            }
            "rules_hand_written" => {
                let item = black_box(&member).to_item_by_hand();
                black_box(with_rules::Member::from_item_by_hand(item));
            }
            "rules_dynamo_model" => {
                let item = black_box(&member).to_item().unwrap();
                black_box(with_rules::Member::from_item(item).unwrap());
            }
            other => panic!("unknown case `{other}`"),
        }
    }
}
