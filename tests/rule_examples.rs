//! Every example in every rule file runs through the engine with all built-in rules (traits
//! are defined across files), and must give what it says: the number of findings of its rule,
//! and/or exactly the traits its rule defines, and the text its finding's fix gives (or no fix).

mod common;

use std::collections::{BTreeSet, HashMap};

use hygiene::engine::{Engine, EngineSettings};
use hygiene::rules::builtin_rule_files;

#[test]
fn every_rule_example_gives_what_it_says() {
    let files = builtin_rule_files().unwrap();
    let default_engine = Engine::new(&files, &EngineSettings::default()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in &files {
        let spec = &file.spec;
        let defined: BTreeSet<&str> = spec.traits.iter().map(|t| t.name.as_str()).collect();
        for (number, example) in spec.examples.iter().enumerate() {
            let custom;
            let engine = if example.options.is_empty() {
                &default_engine
            } else {
                let settings = EngineSettings {
                    options: HashMap::from([(spec.id.clone(), example.options.clone())]),
                    ..EngineSettings::default()
                };
                custom = Engine::new(&files, &settings).unwrap();
                &custom
            };
            let posts = match &example.text {
                Some(text) => {
                    let mut post = common::post(text, example.kind, None, 0);
                    post.platform = example.platform;
                    vec![post]
                }
                None => example
                    .posts
                    .iter()
                    .flat_map(|post| std::iter::repeat_n(post, post.repeat.unwrap_or(1)))
                    .enumerate()
                    .map(|(index, example)| {
                        let mut post =
                            common::post(&example.text, example.kind, example.to.as_deref(), index);
                        post.created_at = example.created_at.as_deref().map(|at| {
                            chrono::DateTime::parse_from_rfc3339(at).unwrap_or_else(|error| {
                                panic!("{}: created_at `{at}`: {error}", spec.id)
                            })
                        });
                        post
                    })
                    .collect(),
            };
            let corpus = common::corpus("example", posts);
            let analysis = engine.run(&corpus);
            let (rule_index, _) = engine.rule(&spec.id).unwrap();
            let label = format!(
                "{} example {} ({})",
                spec.id,
                number + 1,
                example.text.as_deref().unwrap_or("account example")
            );
            assert!(
                example.expect.is_some() || example.traits.is_some(),
                "{label}: says neither `expect` nor `traits`"
            );
            let findings: Vec<_> = analysis
                .posts
                .iter()
                .flat_map(|post| post.findings())
                .chain(&analysis.account_findings)
                .filter(|finding| finding.rule == rule_index)
                .collect();
            if let Some(expect) = example.expect
                && findings.len() != expect
            {
                failures.push(format!(
                    "{label}: expected {expect} findings, found {}",
                    findings.len()
                ));
            }
            // `fixed` is the text once the finding's fix is applied; without it, no fix.
            let fixed = findings
                .first()
                .and_then(|finding| finding.fix.as_ref())
                .zip(example.text.as_deref())
                .map(|(fix, text)| fix.apply_to(text));
            if fixed != example.fixed {
                failures.push(format!(
                    "{label}: expected the fix to give {:?}, it gives {fixed:?}",
                    example.fixed
                ));
            }
            if let Some(expected) = &example.traits {
                let traits = analysis.posts[0].traits;
                let found: BTreeSet<&str> = traits
                    .ids()
                    .map(|id| engine.traits().name(id))
                    .filter(|name| defined.contains(name))
                    .collect();
                let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
                if found != expected {
                    failures.push(format!(
                        "{label}: expected traits {expected:?}, found {found:?}"
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 20, "only {checked} examples ran");
}
