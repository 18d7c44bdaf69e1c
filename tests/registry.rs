//! The rule registry is consistent: the embedded list and `rules/` agree both ways, ids are
//! unique kebab-case names equal to their file stems, and every rule is documented and has
//! both a firing and a clean example.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use hygiene::engine::Engine;
use hygiene::rules::builtin_rule_files;
use hygiene::rules::catalog::BUILTIN_RULE_FILES;

const HEADINGS: [&str; 5] = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Known problems",
];

#[test]
fn embedded_list_matches_the_rules_directory() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let on_disk: BTreeSet<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let embedded: BTreeSet<String> = BUILTIN_RULE_FILES
        .iter()
        .map(|(stem, _)| stem.to_string())
        .collect();
    assert_eq!(on_disk, embedded, "rules/ and catalog.rs disagree");
    for (stem, contents) in BUILTIN_RULE_FILES {
        let on_disk = fs::read_to_string(dir.join(format!("{stem}.toml"))).unwrap();
        assert_eq!(
            &on_disk, contents,
            "{stem}: embedded text differs from the file"
        );
    }
    let mut sorted: Vec<&str> = BUILTIN_RULE_FILES.iter().map(|(stem, _)| *stem).collect();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        BUILTIN_RULE_FILES
            .iter()
            .map(|(stem, _)| *stem)
            .collect::<Vec<_>>()
    );
}

#[test]
fn ids_equal_file_stems_and_rules_compile() {
    let files = builtin_rule_files().unwrap();
    for (file, (stem, _)) in files.iter().zip(BUILTIN_RULE_FILES) {
        assert_eq!(file.spec.id, *stem);
    }
    Engine::builtin().unwrap();
}

#[test]
fn the_first_four_rule_ids_are_part_of_the_contract() {
    let engine = Engine::builtin().unwrap();
    for id in [
        "auto-dm",
        "click-to-tweet",
        "excessive-self-promotion",
        "missing-personal-responses",
    ] {
        assert!(engine.rule(id).is_some(), "missing rule {id}");
    }
}

#[test]
fn every_rule_is_documented_and_has_both_kinds_of_example() {
    let engine = Engine::builtin().unwrap();
    for file in builtin_rule_files().unwrap() {
        let spec = &file.spec;
        assert!(
            !spec.summary.trim().is_empty(),
            "{}: empty summary",
            spec.id
        );
        assert!(
            !spec.suggestion.trim().is_empty(),
            "{}: empty suggestion",
            spec.id
        );
        let mut at = 0;
        for heading in HEADINGS {
            let found = spec.explanation[at..]
                .find(heading)
                .unwrap_or_else(|| panic!("{}: explanation lacks `{heading}` (in order)", spec.id));
            at += found + heading.len();
        }
        let fires = spec.examples.iter().any(|example| {
            example.expect.is_some_and(|expect| expect > 0)
                || example
                    .traits
                    .as_ref()
                    .is_some_and(|traits| !traits.is_empty())
        });
        let clean = spec.examples.iter().any(|example| {
            example.expect == Some(0)
                || example
                    .traits
                    .as_ref()
                    .is_some_and(|traits| traits.is_empty())
        });
        assert!(fires, "{}: no example that fires", spec.id);
        assert!(clean, "{}: no clean example", spec.id);
        // Account checks need an account example; post checks are shown by single posts.
        if engine
            .rule(&spec.id)
            .is_some_and(|(_, rule)| rule.is_account_rule())
        {
            let account_fires = spec
                .examples
                .iter()
                .any(|example| !example.posts.is_empty() && example.expect.is_some_and(|e| e > 0));
            assert!(account_fires, "{}: no account example that fires", spec.id);
        }
    }
}

#[test]
fn only_mechanical_rules_carry_fixes_and_say_so() {
    let engine = Engine::builtin().unwrap();
    let fixable: BTreeSet<&str> = engine
        .rules()
        .iter()
        .filter(|rule| rule.fix_summary().is_some())
        .map(|rule| rule.id.as_str())
        .collect();
    // Judgement rules (is this reply generic? is this DM automated? is this feed a pitch
    // machine?) never fix: what to write instead is the author's call.
    assert_eq!(
        fixable,
        BTreeSet::from(["click-to-tweet", "lowercase-hashtag", "tracking-parameters"])
    );
    for rule in engine.rules() {
        let has_fix = rule.fix_summary().is_some();
        assert_eq!(
            rule.explanation.contains("\n## Fix\n"),
            has_fix,
            "{}: a `## Fix` section exactly when the rule has a fix",
            rule.id
        );
        assert_eq!(
            rule.spec
                .examples
                .iter()
                .any(|example| example.fixed.is_some()),
            has_fix,
            "{}: an example with `fixed` exactly when the rule has a fix",
            rule.id
        );
        assert!(
            !has_fix || !rule.is_account_rule(),
            "{}: account findings carry no fix",
            rule.id
        );
    }
}
