//! twitter-text's official conformance suite (`../shared/twitter-text/`, from
//! twitter/twitter-text): every weighted-length case of `validate.yml` must give X's length
//! exactly, and the hashtag and mention extraction cases of `extract.yml` are counted.
//! Skips when `../shared` is absent.
//!
//! See the figures: `cargo test --test twitter_text -- --nocapture`.

mod common;

use hygiene::platform::{Entities, x_weighted_length};
use serde::Deserialize;
use serde_yaml_ng::Value;

#[derive(Deserialize)]
struct Suite {
    tests: std::collections::BTreeMap<String, Vec<Case>>,
}

#[derive(Deserialize)]
struct Case {
    description: String,
    text: String,
    expected: Value,
}

fn suite(name: &str) -> Option<Suite> {
    let path = common::shared_dir()?.join("twitter-text").join(name);
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

#[test]
fn weighted_length_matches_every_conformance_case() {
    let Some(suite) = suite("validate.yml") else {
        eprintln!("skipped: ../shared/twitter-text/validate.yml is absent");
        return;
    };
    let mut passed = 0;
    let mut failed = Vec::new();
    for (group, emoji_parsing) in [
        ("WeightedTweetsCounterTest", false),
        ("WeightedTweetsWithDiscountedEmojiCounterTest", true),
        ("UnicodeDirectionalMarkerCounterTest", true),
    ] {
        for case in &suite.tests[group] {
            let expected = case.expected["weightedLength"].as_u64().unwrap() as usize;
            let (actual, _) = x_weighted_length(&Entities::new(&case.text), emoji_parsing, 280);
            if actual == expected {
                passed += 1;
            } else {
                failed.push(format!(
                    "{group}: {}: {actual} != {expected}",
                    case.description
                ));
            }
        }
    }
    eprintln!(
        "weighted length: {passed} of {} cases pass",
        passed + failed.len()
    );
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(passed, 44);
}

/// Hashtags and mentions: hygiene counts them with twitter-text's rules, so it runs the suite's
/// plain extraction cases and requires all but one: `@user@host` is a Mastodon mention to hygiene.
#[test]
fn hashtag_and_mention_extraction_follows_the_conformance_cases() {
    let Some(suite) = suite("extract.yml") else {
        eprintln!("skipped: ../shared/twitter-text/extract.yml is absent");
        return;
    };
    for (group, mentions) in [
        ("hashtags", false),
        ("hashtags_from_astral", false),
        ("mentions", true),
    ] {
        let mut passed = 0;
        let mut failed = Vec::new();
        for case in &suite.tests[group] {
            let expected: Vec<String> = case
                .expected
                .as_sequence()
                .unwrap()
                .iter()
                .map(|value| value.as_str().unwrap().to_string())
                .collect();
            let entities = Entities::new(&case.text);
            let found = if mentions {
                entities.mentions()
            } else {
                entities.hashtags()
            };
            let actual: Vec<String> = found
                .iter()
                .map(|range| case.text[range.clone()].chars().skip(1).collect())
                .collect();
            if actual == expected {
                passed += 1;
            } else {
                failed.push(format!("{}: {actual:?} != {expected:?}", case.description));
            }
        }
        eprintln!("{group}: {passed} of {} cases pass", passed + failed.len());
        for failure in &failed {
            eprintln!("  {failure}");
        }
        // By design: `@test@example.com` is a Mastodon remote mention, counted once.
        assert!(
            failed.iter().all(|failure| failure.contains("@user@user")),
            "{failed:#?}"
        );
    }
}
