//! Standard input reported as it is read: with a line format (`concise`, `jsonl`, `github`) and
//! no account rule, plain text and JSON Lines on standard input are checked a batch of posts at
//! a time and each batch's findings printed at once. The lines, score and exit status are those
//! of reading the whole input first; a problem in the input stops the run after the findings of
//! the posts before it.

use std::io::{BufRead, BufReader, Write};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

mod common;

fn hygiene() -> Command {
    let mut command = Command::new(get_cargo_bin("hygiene"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command.env_remove("NO_COLOR");
    command
}

/// `--ignore` of every account rule: what is left are the post rules, so the report streams.
fn post_rules_only() -> String {
    let engine = hygiene::engine::Engine::builtin().unwrap();
    let ids: Vec<&str> = engine
        .rules()
        .iter()
        .filter(|rule| rule.is_account_rule())
        .map(|rule| rule.id.as_str())
        .collect();
    assert!(ids.contains(&"duplicate-post"), "{ids:?}");
    format!("--ignore={}", ids.join(","))
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

/// `hygiene check - --isolated <args>`, started with its standard streams piped.
fn spawn_check(args: &[&str]) -> std::process::Child {
    let args: Vec<&str> = ["check", "-", "--isolated"]
        .iter()
        .chain(args)
        .copied()
        .collect();
    common::spawn_piped(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &args)
}

/// Runs `hygiene check - <args>` with `stdin`: stdout, stderr and exit code.
fn run(args: &[&str], stdin: &str) -> (String, String, Option<i32>) {
    let mut child = spawn_check(args);
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_string();
    let writer = std::thread::spawn(move || input.write_all(stdin.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

/// Inputs of more than one batch (1,024 posts) and more than the 64 KiB read to detect the
/// format, built from the fixtures, with a suppression that suppresses nothing here and there
/// (a `github` notice, printed last) and CRLF line breaks in part: (name, split, format, text).
fn inputs() -> Vec<(&'static str, &'static str, &'static str, String)> {
    let drafts = fixture("fixtures/drafts.txt");
    let separated = (0..250)
        .map(|n| match n % 50 {
            7 => format!("# hygiene: allow shouting -- a quiet one\n{drafts}"),
            9 => drafts.replace('\n', "\r\n"),
            _ => drafts.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n---\n");
    let tweets = fixture("fixtures/tweets-one-per-line.txt");
    let lines = tweets.repeat(400);
    let records: String = tweets
        .lines()
        .enumerate()
        .map(|(n, text)| format!("{}\n", serde_json::json!({ "id": n, "text": text })))
        .collect();
    let jsonl = (fixture("fixtures/messages.jsonl") + &records).repeat(150)
        + "{\"text\": \"a quiet post\", \"hygiene\": {\"allow\": [\"shouting\"], \"reason\": \"why not\"}}\n"
        + &records;
    vec![
        ("separated text", "separator", "text", separated),
        ("one post per line", "lines", "text", lines),
        ("JSON Lines", "separator", "jsonl", jsonl),
    ]
}

#[cfg(unix)]
#[test]
fn streamed_lines_are_those_of_the_whole_input() {
    let rules = post_rules_only();
    for (name, split, input_format, input) in inputs() {
        assert!(input.len() > 64 * 1024, "{name}");
        for format in ["concise", "jsonl", "github"] {
            let mut cases = vec![vec!["--format", format, "--split", split, &rules]];
            if format == "concise" {
                let mut declared = cases[0].clone();
                declared.extend(["--input-format", input_format]);
                cases.push(declared);
            }
            for args in cases {
                let streamed = run(&args, &input);
                // `-o` writes the report whole once every post is read: the path of before.
                let mut whole_args = args.clone();
                whole_args.extend(["-o", "/dev/stdout"]);
                let whole = run(&whole_args, &input);
                assert_eq!(streamed.2, Some(1), "{name} {args:?}: {}", streamed.1);
                assert!(streamed.0.lines().count() >= 150, "{name} {args:?}");
                assert!(
                    streamed == whole,
                    "{name} {args:?}: the streamed report differs from the whole one"
                );
            }
        }
    }
}

#[test]
fn a_streamed_jsonl_report_numbers_posts_across_batches() {
    let input = "\"Click to Tweet\"\n".repeat(3000);
    let (stdout, _, code) = run(&["--format", "jsonl", "--select", "click-to-tweet"], &input);
    assert_eq!(code, Some(1));
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["post"], 2999);
    assert_eq!(last["origin"]["line"], 3000);
    assert_eq!(last["origin"]["record"], 3000);
}

/// Runs `hygiene check - <args>`, writes `before` to its standard input and, with standard input
/// still open, reads the first line of its report; then writes `after`, closes standard input
/// and returns that first line, how many lines came after it, and the exit code. The guard for
/// the first line is generous: this pins the order, not the speed.
fn first_line_while_open(
    args: &[&str],
    before: &[u8],
    after: &[u8],
) -> (String, usize, Option<i32>) {
    let mut child = spawn_check(args);
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    stdin.write_all(before).unwrap();
    stdin.flush().unwrap();
    let first = match received.recv_timeout(Duration::from_secs(60)) {
        Ok(line) => line,
        Err(error) => {
            let _ = child.kill();
            panic!("no finding while standard input was open: {error}");
        }
    };
    stdin.write_all(after).unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    (first, received.try_iter().count(), status.code())
}

#[test]
fn findings_come_before_standard_input_is_closed() {
    let (first, more, code) = first_line_while_open(
        &[
            "--format",
            "concise",
            "--select",
            "click-to-tweet",
            "--input-format",
            "text",
            "--split",
            "lines",
        ],
        b"Morning bake done.\nIf your loaf is flat, feed your starter. Click to Tweet\n",
        b"Closing early today.\n",
    );
    assert_eq!(
        first,
        "<stdin>:2:42: warning[click-to-tweet] canned share prompt “Click to Tweet”"
    );
    assert_eq!(more, 0, "one finding only");
    assert_eq!(code, Some(1));
}

/// One post per line, `click-to-tweet` only, concise findings.
const CLICK_TO_TWEET_LINES: [&str; 6] = [
    "--format",
    "concise",
    "--select",
    "click-to-tweet",
    "--split",
    "lines",
];

/// Without `--input-format`, the format is detected from the first 64 KiB: once they are in,
/// findings come while standard input is open (they did not until 128 KiB had come).
#[test]
fn a_detected_format_streams_once_64_kib_are_in() {
    let line = "Morning bake done, Click to Tweet\n";
    let before = line.repeat(70 * 1024 / line.len());
    let (first, _, code) = first_line_while_open(&CLICK_TO_TWEET_LINES, before.as_bytes(), b"");
    assert!(
        first.starts_with("<stdin>:1:20: warning[click-to-tweet]"),
        "{first}"
    );
    assert_eq!(code, Some(1));
}

#[test]
fn exit_codes_follow_fail_on_as_when_read_whole() {
    let flagged = "Morning bake done.\nFeed your starter. Click to Tweet\n";
    let args = CLICK_TO_TWEET_LINES;
    assert_eq!(run(&args, flagged).2, Some(1));
    assert_eq!(
        run(&args, "Morning bake done.\nFeed your starter.\n").2,
        Some(0)
    );
    let mut warnings_pass = args.to_vec();
    warnings_pass.extend(["--fail-on", "error"]);
    assert_eq!(run(&warnings_pass, flagged).2, Some(0));
    assert_eq!(run(&args, "").2, Some(0));
}

#[test]
fn min_score_judges_the_score_of_the_whole_input() {
    // Warnings only, so the exit status follows the score alone.
    let args = [
        "--select",
        "click-to-tweet,engagement-bait,generic-reply,link-only-post",
        "--split",
        "lines",
        "--fail-on",
        "error",
    ];
    let input = fixture("fixtures/tweets-one-per-line.txt").repeat(400)
        + &"Please RT if you agree!\n".repeat(3);
    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let (report, _, _) = run(&json, &input);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let score = report["score"]["value"].as_f64().unwrap();
    assert!(0.0 < score && score < 100.0, "{score}");
    for (minimum, code) in [(score, 0), (score + 0.1, 1)] {
        let minimum = format!("{minimum:.1}");
        let mut streamed = args.to_vec();
        streamed.extend(["--format", "concise", "--min-score", &minimum]);
        assert_eq!(
            run(&streamed, &input).2,
            Some(code),
            "--min-score {minimum}"
        );
    }
}

#[test]
fn malformed_json_lines_stop_the_stream_after_the_findings_before_them() {
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "-", "--format", "concise", "--select", "click-to-tweet"])
            .pass_stdin(
                "{\"text\": \"Click to Tweet\"}\n{\"text\": \"fine\"}\n{\"text\": }\n{\"text\": \"Click to Tweet\"}\n"
            )
    );
}

#[test]
fn invalid_utf8_stops_the_stream_at_its_line() {
    assert_cmd_snapshot!(
        hygiene()
            .args([
                "check",
                "-",
                "--format",
                "github",
                "--select",
                "click-to-tweet",
                "--input-format",
                "text",
                "--split",
                "lines"
            ])
            .pass_stdin(b"Click to Tweet\nfine\nbad \xff byte\nClick to Tweet\n".to_vec())
    );
}
