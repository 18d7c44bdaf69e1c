//! Hostile inputs (issue 8): files made, by accident or on purpose, to break a reader. Each must
//! give exit 2 with an error naming the file (and the line and column, or the record, where
//! there is one) or a correct result, and quickly. Small cases are committed in
//! `tests/hostile/`; large ones (a 100 MB line, a zip bomb, an outbox of many items) are
//! generated into a temporary folder by the test, never committed.
//!
//! Every run of the binary is bounded by [`TIMEOUT`], so a hang fails the test instead of
//! stalling the suite.

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a single run may take (a debug build on a busy machine; real runs take well under a
/// second, except the 100 MB line, measured at a few seconds).
const TIMEOUT: Duration = Duration::from_secs(60);

/// A committed hostile file.
fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name)
}

/// What a run printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `hygiene` with `args` in `dir`, killing it (and failing) past [`TIMEOUT`].
fn hygiene_in(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hygiene"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            child.kill().unwrap();
            panic!("hygiene {args:?} ran for over {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code().expect("hygiene was not killed by a signal"),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Runs `hygiene` with `args` from the repository root.
fn hygiene(args: &[&str]) -> Run {
    hygiene_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Asserts that `run` stopped with exit 2 and an error starting with `expected`.
fn assert_error(run: &Run, expected: &str) {
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.starts_with(&format!("error: {expected}")),
        "expected `error: {expected}…`, got:\n{}",
        run.stderr
    );
}

/// The texts of the posts hygiene reads from `path` with the default options.
fn texts(path: &Path) -> Vec<String> {
    let corpus = hygiene::input::read_all(
        &[hygiene::input::InputPath::File(path.to_path_buf())],
        hygiene::input::ReadOptions::default(),
        &mut std::io::empty(),
    )
    .unwrap();
    corpus
        .posts
        .into_iter()
        .map(|post| post.text.to_string())
        .collect()
}

#[test]
fn truncated_json_names_the_line_and_column() {
    let run = hygiene(&["check", "tests/hostile/truncated.json"]);
    assert_error(&run, "tests/hostile/truncated.json:3:");
}

#[test]
fn a_truncated_x_archive_wrapper_names_the_file_and_place() {
    let run = hygiene(&["check", "tests/hostile/truncated-tweets.js"]);
    assert_error(
        &run,
        "tests/hostile/truncated-tweets.js:5:29: invalid JSON: EOF while parsing a string",
    );
}

#[test]
fn invalid_utf8_names_the_line_and_column() {
    let run = hygiene(&["check", "tests/hostile/not-utf8.txt"]);
    assert_error(
        &run,
        "tests/hostile/not-utf8.txt:3:5: the input is not valid UTF-8 (byte 0xc3)",
    );
}

#[test]
fn byte_order_marks_and_crlf_line_ends_are_read_as_posts() {
    let expected = ["First post", "Second post"];
    assert_eq!(texts(&hostile("bom-crlf.txt")), expected);
    assert_eq!(
        texts(&hostile("bom-crlf.jsonl")),
        ["first post", "second post"]
    );
}

#[test]
fn nul_bytes_are_text_and_never_printed_raw() {
    assert_eq!(
        texts(&hostile("nul.txt")),
        ["A post with a \0 NUL byte", "and \0\0 two more"]
    );
    let run = hygiene(&["check", "tests/hostile/nul.txt"]);
    assert!(run.code < 2, "{}", run.stderr);
    assert!(!run.stdout.contains('\0'), "{}", run.stdout);
}

#[test]
fn a_csv_with_a_broken_quote_is_an_error_naming_the_record() {
    let run = hygiene(&["check", "tests/hostile/broken-quote.csv"]);
    assert_error(&run, "tests/hostile/broken-quote.csv:");
}

/// A file of one line of `megabytes` MB, in a fresh temporary folder.
fn one_line(megabytes: usize) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("one-line.txt");
    let words = "lorem ipsum dolor sit amet ";
    fs::write(&path, words.repeat(megabytes * 1024 * 1024 / words.len())).unwrap();
    (folder, path)
}

#[test]
fn a_100_mb_single_line_is_read_as_one_post() {
    let (_folder, path) = one_line(100);
    let started = Instant::now();
    let texts = texts(&path);
    eprintln!("reading a 100 MB line: {:?}", started.elapsed());
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].len() as u64, fs::metadata(&path).unwrap().len());
}

/// Checks a file of one line of `megabytes` MB: one post, checked; returns how long it took.
fn check_one_line(megabytes: usize) -> Duration {
    let (_folder, path) = one_line(megabytes);
    let started = Instant::now();
    let run = hygiene(&["check", "--quiet", path.to_str().unwrap()]);
    let elapsed = started.elapsed();
    assert!(run.code < 2, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Checked 1 post from"),
        "{}",
        run.stdout
    );
    elapsed
}

/// The rules run over every byte of a post, which an unoptimised build does at about 1 MB/s;
/// this test checks a 2 MB line, and the ignored one below the 100 MB line of the issue.
#[test]
fn a_long_single_line_is_checked() {
    check_one_line(2);
}

/// Run with `cargo test --release --test hostile -- --ignored a_100_mb_single_line_is_checked`.
#[test]
#[ignore = "minutes in a debug build: run in release (see the doc comment)"]
fn a_100_mb_single_line_is_checked() {
    eprintln!("checking a 100 MB line: {:?}", check_one_line(100));
}

#[test]
fn deeply_nested_json_is_a_clean_error() {
    let folder = tempfile::tempdir().unwrap();
    for (name, opening, format) in [
        ("deep.json", "[", None),
        ("deep.jsonl", "{\"a\":", None),
        ("deep-array.jsonl", "[", Some("jsonl")),
        ("deep.yaml", "[", None),
        ("deep.js", "window.YTD.tweets.part0 = [", None),
    ] {
        let path = folder.path().join(name);
        let mut content = opening.to_string();
        content.push_str(&"[".repeat(100_000));
        fs::write(&path, content).unwrap();
        let path = path.to_str().unwrap();
        let mut args = vec!["check", path];
        if let Some(format) = format {
            args.extend(["--input-format", format]);
        }
        let run = hygiene(&args);
        assert_error(&run, &format!("{path}:"));
    }
}

/// Every file below `root`, with its content, to tell whether a run wrote anything.
fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| (entry.path().to_path_buf(), fs::read(entry.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn path_traversal_names_in_a_zip_are_never_written_and_shown_sanitized() {
    let folder = tempfile::tempdir().unwrap();
    let inner = folder.path().join("a/b");
    fs::create_dir_all(&inner).unwrap();
    let posts = br#"[{"text": "Click to Tweet"}]"#;
    common::write_zip(
        &inner.join("export.zip"),
        &[
            ("../../escaped.json", posts),
            ("/tmp/absolute.json", posts),
            ("evil\u{1b}[2J\u{202e}.json", posts),
        ],
    );
    let before = tree(folder.path());
    let run = hygiene_in(&inner, &["check", "export.zip"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(tree(folder.path()), before, "the run wrote files");
    // A `..` part starts with a dot, so the member is left out like any hidden file.
    assert!(!run.stdout.contains("escaped.json"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Checked 2 posts from 2 inputs."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("export.zip!/tmp/absolute.json"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("export.zip!evil\\u{1b}[2J\\u{202e}.json"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains(['\u{1b}', '\u{202e}']),
        "{}",
        run.stdout
    );
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("bomb.zip");
    common::write_zip(&path, &[("data/tweets.js", &[b' '; 1 << 20])]);
    // Both headers now say the member unpacks to 3 GiB, past the 1 GiB hygiene unpacks: the
    // local header's size, and the central directory entry's that readers go by.
    let mut bytes = fs::read(&path).unwrap();
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    for at in [22, central + 24] {
        bytes[at..at + 4].copy_from_slice(&(3u32 << 30).to_le_bytes());
    }
    fs::write(&path, bytes).unwrap();
    let path = path.to_str().unwrap();
    let run = hygiene(&["check", path]);
    assert_error(
        &run,
        &format!(
            "{path}!data/tweets.js: larger than 1073741824 bytes unpacked; refusing to read it"
        ),
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_in_a_posts_folder_end_the_walk() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("posts");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(root.join("sub/posts.jsonl"), "{\"text\": \"hello\"}\n").unwrap();
    std::os::unix::fs::symlink(&root, root.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("..", root.join("sub/parent")).unwrap();
    std::os::unix::fs::symlink("self", root.join("self")).unwrap();
    assert_eq!(texts(&root), ["hello"]);
    let run = hygiene(&["check", root.to_str().unwrap()]);
    assert!(run.code < 2, "{}", run.stderr);
}

/// A Mastodon outbox of `items` public notes, each a distinct post.
fn outbox(items: usize) -> String {
    let mut out = String::from(
        r#"{"@context":"https://www.w3.org/ns/activitystreams","type":"OrderedCollection","orderedItems":["#,
    );
    for index in 0..items {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"id":"https://h.example/users/a/statuses/{index}/activity","type":"Create","actor":"https://h.example/users/a","published":"2024-02-03T09:12:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":[],"object":{{"id":"https://h.example/users/a/statuses/{index}","type":"Note","inReplyTo":null,"published":"2024-02-03T09:12:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":[],"content":"<p>Note number {index} about bread</p>"}}}}"#
        ));
    }
    out.push_str("]}");
    out
}

/// Checks an outbox of `items` notes, and how long that took.
fn check_outbox(items: usize) -> Duration {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("outbox.json");
    fs::write(&path, outbox(items)).unwrap();
    let started = Instant::now();
    let run = hygiene(&["check", "--quiet", path.to_str().unwrap()]);
    let elapsed = started.elapsed();
    assert!(run.code < 2, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("{items} posts")),
        "{}",
        run.stdout
    );
    elapsed
}

/// An unoptimised build checks about 10,000 items a second; the million items of the issue are
/// checked by the ignored test below.
#[test]
fn an_outbox_of_10_thousand_items_is_read_whole() {
    eprintln!("10^4 items: {:?}", check_outbox(10_000));
}

/// The million-item outbox of the issue (450 MB), left out of the debug test run. Run it with
/// `cargo test --release --test hostile -- --ignored an_outbox_of_a_million_items`.
#[test]
#[ignore = "a million items: run in release (see the doc comment)"]
fn an_outbox_of_a_million_items_is_read_whole() {
    eprintln!("10^6 items: {:?}", check_outbox(1_000_000));
}

/// Escape sequences (clear screen, set title, blink) and bidi overrides an attacker put in a
/// post, its id and its recipient.
const ESCAPES: [&str; 6] = [
    "\u{1b}[2J",
    "\u{1b}]0;",
    "\u{7}",
    "\u{1b}[5m",
    "\u{202e}",
    "\u{202c}",
];

#[test]
fn escapes_and_bidi_overrides_never_reach_the_terminal_raw() {
    for args in [
        &["--color", "always"][..],
        &["--color", "never"],
        &["--format", "concise"],
        &["--format", "github"],
        &["--statistics"],
        &["--diff"],
    ] {
        let mut all = vec!["check", "tests/hostile/escapes.json"];
        all.extend(args);
        let run = hygiene(&all);
        assert!(run.code < 2, "{args:?}: {}", run.stderr);
        for escape in ESCAPES {
            assert!(
                !run.stdout.contains(escape) && !run.stderr.contains(escape),
                "{args:?} printed {escape:?} raw:\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn escapes_in_an_error_message_are_not_printed_raw() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("bad\u{1b}[2J.jsonl");
    fs::write(
        &path,
        "{\"text\": \"a\", \"kind\": \"\u{1b}]0;title\u{7}\u{202e}\"}\n",
    )
    .unwrap();
    let run = hygiene(&["check", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("bad\\u{1b}[2J.jsonl:1:"),
        "{}",
        run.stderr
    );
    for escape in ESCAPES {
        assert!(
            !run.stderr.contains(escape),
            "{escape:?} raw:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_pathological_user_regex_is_an_error_naming_the_file_and_rule() {
    let run = hygiene(&["check", "tests/hostile/huge-rule/post.txt"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.trim_end().ends_with(
            "tests/hostile/huge-rule/rules/huge.toml: rule `huge-regex`: pattern `a pathological \
             regex`: invalid regex: Compiled regex exceeds size limit of 2097152 bytes."
        ),
        "{}",
        run.stderr
    );
}
