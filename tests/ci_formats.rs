//! The outputs made for other tools are what those tools accept: `--format sarif` validates
//! against the SARIF 2.1.0 JSON schema (`tests/data/`, offline) and points where `concise`
//! does; `--format junit` is well-formed XML 1.0 whatever the posts hold, with counts that
//! match its test cases.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde_json::{Value, json};

/// The SARIF 2.1.0 schema, compiled once, with formats (`uri`, `uri-reference`) asserted.
static SARIF_SCHEMA: LazyLock<(boon::Schemas, boon::SchemaIndex)> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("file:///sarif-schema-2.1.0.json", schema)
        .unwrap();
    let index = compiler
        .compile("file:///sarif-schema-2.1.0.json", &mut schemas)
        .unwrap();
    (schemas, index)
});

/// Runs hygiene in `dir` with `args` (and `stdin`), returns stdout; exit codes 0 and 1 only.
fn run_in(dir: &Path, args: &[&str], stdin: &str) -> String {
    let mut child = common::spawn_piped(dir, args);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{stderr}");
    String::from_utf8(output.stdout).unwrap()
}

fn run(args: &[&str]) -> String {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, "")
}

fn sarif(paths: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend_from_slice(paths);
    serde_json::from_str(&run(&args)).unwrap()
}

/// The schema's complaints about `log`, empty when it is valid.
fn schema_errors(log: &Value) -> String {
    let (schemas, index) = &*SARIF_SCHEMA;
    match schemas.validate(log, *index) {
        Ok(()) => String::new(),
        Err(error) => format!("{error}"),
    }
}

fn assert_valid(log: &Value) {
    let errors = schema_errors(log);
    assert!(errors.is_empty(), "not valid SARIF 2.1.0:\n{errors}");
}

#[test]
fn sarif_of_every_fixture_is_valid() {
    let fixtures = [
        "fixtures/clean-post.txt",
        "fixtures/drafts.txt",
        "fixtures/empty.txt",
        "fixtures/example-account.json",
        "fixtures/hostile-escapes.txt",
        "fixtures/messages.jsonl",
        "fixtures/suppressed.json",
        "fixtures/tweets-one-per-line.txt",
        "fixtures/unicode.txt",
        "fixtures/formats",
    ];
    let all = sarif(&fixtures);
    assert_valid(&all);
    assert!(all["runs"][0]["results"].as_array().unwrap().len() > 20);
}

/// What is wrong with a log, and how to make it so.
type Breakage = (&'static str, fn(&mut Value));

#[test]
fn the_schema_rejects_broken_logs() {
    let valid = sarif(&["fixtures/drafts.txt", "fixtures/example-account.json"]);
    assert_valid(&valid);
    let breakages: [Breakage; 5] = [
        ("no version", |log| {
            log.as_object_mut().unwrap().remove("version");
        }),
        ("level that SARIF does not have", |log| {
            log["runs"][0]["results"][0]["level"] = json!("info");
        }),
        ("line 0", |log| {
            let location = &mut log["runs"][0]["results"][0]["locations"][0];
            location["physicalLocation"]["region"]["startLine"] = json!(0);
        }),
        ("a URI with a space", |log| {
            let location = &mut log["runs"][0]["results"][0]["locations"][0];
            location["physicalLocation"]["artifactLocation"]["uri"] = json!("my drafts.txt");
        }),
        ("a property SARIF does not define", |log| {
            log["runs"][0]["results"][0]["severity"] = json!("warning");
        }),
    ];
    for (what, breakage) in breakages {
        let mut broken = valid.clone();
        breakage(&mut broken);
        assert!(
            !schema_errors(&broken).is_empty(),
            "the schema accepted a log with {what}"
        );
    }
}

#[test]
fn sarif_results_point_where_concise_does() {
    let log = sarif(&["fixtures/drafts.txt", "fixtures/unicode.txt"]);
    let sarif_run = &log["runs"][0];
    assert_eq!(sarif_run["columnKind"], "unicodeCodePoints");
    let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
    let mut places = Vec::new();
    for result in sarif_run["results"].as_array().unwrap() {
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        let region = &location["region"];
        places.push(format!(
            "{}:{}:{}: {}",
            location["artifactLocation"]["uri"].as_str().unwrap(),
            region["startLine"],
            region["startColumn"],
            result["ruleId"].as_str().unwrap()
        ));
        assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
    }
    let concise = run(&[
        "check",
        "--format",
        "concise",
        "fixtures/drafts.txt",
        "fixtures/unicode.txt",
    ]);
    let expected: Vec<String> = concise
        .lines()
        .map(|line| {
            let (place, rest) = line.split_once(": ").unwrap();
            let rule = &rest[rest.find('[').unwrap() + 1..rest.find(']').unwrap()];
            format!("{place}: {rule}")
        })
        .collect();
    assert_eq!(places, expected);
}

#[test]
fn account_findings_sit_on_their_evidence() {
    let log = sarif(&["fixtures/example-account.json"]);
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    let account: Vec<&Value> = results
        .iter()
        .filter(|result| result["ruleId"] == "excessive-self-promotion")
        .collect();
    assert_eq!(account.len(), 1);
    let result = account[0];
    let related = result["relatedLocations"].as_array().unwrap();
    assert!(related.len() > 1);
    assert_eq!(
        result["locations"][0]["logicalLocations"],
        related[0]["logicalLocations"]
    );
    let message = result["message"]["text"].as_str().unwrap();
    for location in related {
        let link = format!(
            "[{}]({})",
            location["message"]["text"].as_str().unwrap(),
            location["id"]
        );
        assert!(message.contains(&link), "{message} does not link {link}");
    }
    assert_eq!(run["properties"]["score"], 12.5);
    assert_eq!(run["properties"]["verdict"], "anti-social");
    let fingerprint = &result["partialFingerprints"]["contentKey/v1"];
    assert_eq!(fingerprint.as_str().unwrap().len(), 16);
}

#[test]
fn files_in_a_zip_are_nested_artifacts_and_stdin_is_a_logical_location() {
    let dir = std::env::temp_dir().join(format!("hygiene-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    common::write_zip(
        &dir.join("a!b.zip"),
        &[(
            "drafts/my posts.jsonl",
            "{\"id\": \"p[1]\", \"text\": \"Click to Tweet: bread is a conversation\"}\n",
        )],
    );
    let log: Value = serde_json::from_str(&run_in(
        &dir,
        &["check", "--format", "sarif", "a!b.zip"],
        "",
    ))
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_valid(&log);
    let run = &log["runs"][0];
    assert_eq!(
        run["artifacts"],
        json!([
            {"location": {"uri": "a!b.zip", "index": 0}},
            {"location": {"uri": "drafts/my%20posts.jsonl", "index": 1}, "parentIndex": 0},
        ])
    );
    let location = &run["results"][0]["locations"][0];
    assert_eq!(
        location["physicalLocation"],
        json!({
            "artifactLocation": {"uri": "drafts/my%20posts.jsonl", "index": 1},
            "region": {"startLine": 1}
        })
    );
    assert_eq!(
        location["logicalLocations"][0]["name"],
        "record 1 (id p[1])"
    );
    assert_eq!(location["properties"], json!({"record": 1, "id": "p[1]"}));

    let log: Value = serde_json::from_str(&run_in(
        &root(),
        &["check", "--format", "sarif", "-"],
        "Click to Tweet: bread\n",
    ))
    .unwrap();
    assert_valid(&log);
    let location = &log["runs"][0]["results"][0]["locations"][0];
    assert_eq!(location.get("physicalLocation"), None);
    assert_eq!(
        location["logicalLocations"],
        json!([{"name": "line 1", "fullyQualifiedName": "<stdin>:1"}])
    );
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn junit_is_well_formed_xml_whatever_the_posts_hold() {
    let xml = run(&[
        "check",
        "--format",
        "junit",
        "fixtures/hostile-escapes.txt",
        "fixtures/drafts.txt",
        "fixtures/example-account.json",
    ]);
    let document = roxmltree::Document::parse(&xml).unwrap();
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let count = |node: roxmltree::Node, tag: &str| {
        node.descendants()
            .filter(|node| node.has_tag_name(tag))
            .count()
            .to_string()
    };
    for node in std::iter::once(root).chain(root.children().filter(|node| node.is_element())) {
        assert_eq!(node.attribute("tests").unwrap(), count(node, "testcase"));
        assert_eq!(node.attribute("failures").unwrap(), count(node, "failure"));
        assert_eq!(node.attribute("skipped").unwrap(), count(node, "skipped"));
    }
    let suites: Vec<&str> = root
        .children()
        .filter_map(|node| node.attribute("name"))
        .collect();
    assert_eq!(
        suites,
        [
            "fixtures/hostile-escapes.txt",
            "fixtures/drafts.txt",
            "fixtures/example-account.json",
            "account"
        ]
    );

    // The hostile post's escape sequence and bidi override arrive neutralised.
    let hostile = root
        .descendants()
        .find(|node| {
            node.has_tag_name("failure") && node.attribute("type") == Some("click-to-tweet")
        })
        .unwrap();
    let text = hostile.text().unwrap();
    assert!(
        text.contains("\\u{1b}[2J\\u{1b}[31mred text\\u{1b}[0m"),
        "{text}"
    );
    assert!(text.contains("\\u{202e}REVERSED"), "{text}");
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{202e}'));
}

#[test]
fn the_xml_parser_rejects_what_xml_forbids() {
    // So the test above would fail if a control character slipped through.
    for broken in [
        "<a>\u{1}</a>",
        "<a b=\"<\"/>",
        "<a>&</a>",
        "<a>\u{ffff}</a>",
    ] {
        assert!(roxmltree::Document::parse(broken).is_err(), "{broken:?}");
    }
}

/// The JSON report renders its posts a batch at a time on all cores: across batch boundaries it
/// stays one valid document, every post once, in input order, each nested at its depth.
#[test]
fn json_report_keeps_every_post_in_order_across_batches() {
    let posts = 2_500;
    let text: String = (0..posts)
        .map(|i| match i % 7 {
            0 => format!("post {i}: Click to Tweet \"quoted\"\n"),
            _ => format!("post {i}: a quiet update\n"),
        })
        .collect();
    let report = run_in(
        &root(),
        &["check", "-", "--split", "lines", "--format", "json"],
        &text,
    );
    let document: Value = serde_json::from_str(&report).unwrap();
    let lines: Vec<u64> = document["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|post| post["origin"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (1..=posts).collect::<Vec<u64>>());
    assert_eq!(
        document["summary"]["by_rule"]["click-to-tweet"],
        json!(posts.div_ceil(7))
    );
    // Each post object opens on a line of its own, two levels deep.
    let (_, array) = report.split_once("\n  \"posts\": [").unwrap();
    assert_eq!(array.lines().filter(|line| *line == "    {").count(), 2_500);
}
