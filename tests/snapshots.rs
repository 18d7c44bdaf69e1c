//! Whole rendered reports over `fixtures/`: the human report (no colour) and the JSON report of
//! every valid fixture, and a SARIF report, as insta snapshots. Review changes with
//! `cargo insta review`.

use std::path::Path;

mod common;

/// Runs `hygiene check <fixture> <extra>` in-process and returns stdout.
fn check(fixture: &Path, extra: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = fixture
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let mut args = vec![relative.as_str(), "--color", "never"];
    args.extend_from_slice(extra);
    common::check_in_process(&args, b"")
}

#[test]
fn reports_of_every_fixture() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    insta::glob!("../fixtures", "*.{json,jsonl,txt}", |path| {
        insta::assert_snapshot!("human", check(path, &[]));
        insta::assert_snapshot!("json", check(path, &["--format", "json"]));
    });
}

#[test]
fn one_post_per_line_report() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tweets-one-per-line.txt");
    insta::assert_snapshot!(check(&fixture, &["--split", "lines"]));
}

#[test]
fn report_of_each_export_format_fixture() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats");
    let mut folders: Vec<_> = std::fs::read_dir(&formats)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    assert!(!folders.is_empty(), "no fixtures under fixtures/formats");
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("format_{name}"), check(&folder, &[]));
    }
}

#[test]
fn sarif_report() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sarif = check(
        &root.join("fixtures/drafts.txt"),
        &["fixtures/example-account.json", "--format", "sarif"],
    );
    let mut log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    // The explanations are pinned where `hygiene explain` prints them; here only where they go.
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap()
    {
        rule["fullDescription"]["text"] = "(the \"What it does\" section)".into();
        rule["help"] = serde_json::json!({"text": "(explanation)", "markdown": "(explanation)"});
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&log).unwrap());
}
