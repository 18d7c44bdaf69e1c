//! `hygiene check --fix` and `--diff` on copies of `fixtures/fix/`: what the diff shows, what
//! the files hold afterwards, what the report says remains, and that nothing is written without
//! `--fix`, to structured files, to standard input, or over a file that changed meanwhile.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

/// The fixture files, relative to `fixtures/`: plain text, Markdown with front matter, a
/// twitter-together thread, and JSON drafts (never rewritten).
const FILES: [&str; 4] = [
    "fix/posts.txt",
    "fix/social/2025-05-01-launch.md",
    "fix/tweets/launch.tweet",
    "fix/drafts.json",
];

/// A fresh copy of `fixtures/fix/` in a temporary folder, as `fix/…`.
fn copy_of_fixtures() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for file in FILES {
        let to = folder.path().join(file);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(fixtures.join(file), to).unwrap();
    }
    folder
}

/// `hygiene` run in `folder`, without configuration files.
fn hygiene(folder: &Path) -> Command {
    let mut command = Command::new(get_cargo_bin("hygiene"));
    command.current_dir(folder).env_remove("NO_COLOR");
    command.args(["check", "--isolated", "--color", "never"]);
    command
}

fn read(folder: &Path, file: &str) -> String {
    fs::read_to_string(folder.join(file)).unwrap()
}

fn original(file: &str) -> String {
    read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        file,
    )
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let folder = copy_of_fixtures();
    assert_cmd_snapshot!(hygiene(folder.path()).arg("--diff").args(FILES));
    for file in FILES {
        assert_eq!(read(folder.path(), file), original(file), "{file}");
    }
}

#[test]
fn fix_writes_the_fixes_and_reports_what_remains() {
    let folder = copy_of_fixtures();
    assert_cmd_snapshot!(hygiene(folder.path()).arg("--fix").args(FILES));
    insta::assert_snapshot!("fixed_posts_txt", read(folder.path(), FILES[0]));
    insta::assert_snapshot!("fixed_markdown", read(folder.path(), FILES[1]));
    insta::assert_snapshot!("fixed_tweet", read(folder.path(), FILES[2]));
    assert_eq!(
        read(folder.path(), FILES[3]),
        original(FILES[3]),
        "JSON is never rewritten"
    );
    // Nothing is left to fix: a second run changes nothing.
    let again = hygiene(folder.path())
        .arg("--diff")
        .args(&FILES[..3])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(String::from_utf8(again.stdout).unwrap(), "");
}

/// The JSON report of a `--fix` run ends with `fixes`, after `posts`: what was written, and
/// what could not be.
#[test]
fn fix_lists_what_it_wrote_in_the_json_report() {
    let folder = copy_of_fixtures();
    let output = hygiene(folder.path())
        .args(["--fix", "--format", "json"])
        .args(FILES)
        .output()
        .unwrap();
    let report = String::from_utf8(output.stdout).unwrap();
    let document: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(document["fixes"]["fixed"].as_array().unwrap().len(), 3);
    assert_eq!(document["fixes"]["not_fixed"][0]["path"], FILES[3]);
    insta::assert_snapshot!(report);
}

#[test]
fn without_fix_no_input_is_written() {
    let folder = copy_of_fixtures();
    for format in ["human", "json", "jsonl", "concise", "github"] {
        let output = hygiene(folder.path())
            .args(["--format", format])
            .args(FILES)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
    }
    for file in FILES {
        assert_eq!(read(folder.path(), file), original(file), "{file}");
    }
}

#[test]
fn fix_keeps_the_byte_order_mark_line_breaks_and_the_rest_of_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("windows.txt");
    let content = "\u{feff}Ship small. Click to Tweet\r\n---\r\nTweet this! Release often.\r\n";
    fs::write(&file, content).unwrap();
    let output = hygiene(folder.path())
        .args(["--fix", "windows.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "nothing remains");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "\u{feff}Ship small.\r\n---\r\nRelease often.\r\n"
    );
}

#[test]
fn fix_refuses_standard_input_and_diff_reads_it() {
    let text = "Ship small. Click to Tweet\n";
    let folder = tempfile::tempdir().unwrap();
    assert_cmd_snapshot!(
        "fix_on_standard_input",
        hygiene(folder.path()).args(["--fix", "-"]).pass_stdin(text)
    );
    assert_cmd_snapshot!(
        "diff_of_standard_input",
        hygiene(folder.path())
            .args(["--diff", "-"])
            .pass_stdin(text)
    );
}

#[test]
fn diff_is_a_patch_not_a_report() {
    let folder = copy_of_fixtures();
    let output = hygiene(folder.path())
        .args(["--diff", "--format", "json", FILES[0]])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "--diff with --format is a usage error"
    );
}

/// The file is read, then changed by someone else before the fixes are written: hygiene
/// refuses, and the other edit is kept.
#[test]
fn a_file_changed_after_reading_is_not_overwritten() {
    use hygiene::engine::Engine;
    use hygiene::input::{InputPath, ReadOptions, read_all};

    let folder = copy_of_fixtures();
    let path: PathBuf = folder.path().join(FILES[0]);
    let inputs = [InputPath::File(path.clone())];
    let corpus = read_all(&inputs, ReadOptions::default(), &mut std::io::empty()).unwrap();
    let engine = Engine::builtin().unwrap();
    let analysis = engine.run(&corpus);
    let plan =
        hygiene::fix::plan(&engine, &corpus, &analysis, &ReadOptions::default(), true).unwrap();
    assert_eq!(plan.changes.len(), 1);

    let edited = format!(
        "{}\n---\nA new post, saved meanwhile.\n",
        original(FILES[0])
    );
    fs::write(&path, &edited).unwrap();
    let error = hygiene::fix::write(&plan).unwrap_err().to_string();
    assert!(error.contains("changed since hygiene read it"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
}

/// A corpus read with `forget_originals` (what `check` does without `--fix` or `--diff`)
/// keeps no text to fix: the plan says why instead of blaming the format.
#[test]
fn a_file_read_without_its_text_kept_is_not_fixed() {
    use hygiene::engine::Engine;
    use hygiene::input::{InputPath, ReadOptions, read_all};

    let folder = copy_of_fixtures();
    let inputs = [InputPath::File(folder.path().join(FILES[0]))];
    let options = ReadOptions {
        forget_originals: true,
        ..ReadOptions::default()
    };
    let corpus = read_all(&inputs, options.clone(), &mut std::io::empty()).unwrap();
    let engine = Engine::builtin().unwrap();
    let plan = hygiene::fix::plan(&engine, &corpus, &engine.run(&corpus), &options, true).unwrap();
    assert!(plan.changes.is_empty());
    let reasons: Vec<&str> = plan.not_applied.iter().map(|n| n.reason.as_str()).collect();
    assert_eq!(
        reasons,
        ["not fixable: its text was not kept when it was read"]
    );
}

/// `--fix` killed at any moment leaves each file either as it was or fully fixed, never half
/// written: the fixes go to a temporary file beside it, which is renamed over it. The run is
/// killed once while that temporary file exists (during the write) and at staggered moments
/// before and after.
#[cfg(unix)]
#[test]
fn fix_killed_mid_write_leaves_the_old_or_the_new_file() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("posts.txt");
    let filler = "slow bread and patient people make good mornings ".repeat(20);
    let original: String = (0..400)
        .map(|i| format!("{filler}{i} https://wrenclay.example/mugs?utm_source=newsletter\n---\n"))
        .collect();
    let run = || {
        hygiene(folder.path())
            .args(["--fix", "--quiet", "posts.txt"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    fs::write(&file, &original).unwrap();
    assert!(run().wait().unwrap().code().is_some());
    let fixed = fs::read_to_string(&file).unwrap();
    assert_ne!(fixed, original);
    assert!(!fixed.contains("utm_source"));

    let temporary = || {
        fs::read_dir(folder.path())
            .unwrap()
            .any(|entry| entry.unwrap().file_name() != "posts.txt")
    };
    let clear_temporaries = || {
        for entry in fs::read_dir(folder.path()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() != "posts.txt" {
                fs::remove_file(entry.path()).unwrap();
            }
        }
    };
    // Killed while the temporary file is there. The write is over in moments, so a run may
    // end between two looks: up to 20 runs, until one is caught.
    let mut caught = false;
    for _ in 0..20 {
        fs::write(&file, &original).unwrap();
        let mut child = run();
        while child.try_wait().unwrap().is_none() {
            if temporary() {
                child.kill().unwrap();
                caught = true;
                break;
            }
        }
        child.wait().unwrap();
        let content = fs::read_to_string(&file).unwrap();
        assert!(content == original || content == fixed, "half a file");
        clear_temporaries();
        if caught {
            break;
        }
    }
    assert!(caught, "no run of 20 was seen with its temporary file");

    // Killed at staggered moments.
    for delay in [0, 10, 50, 150, 400] {
        fs::write(&file, &original).unwrap();
        let mut child = run();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let content = fs::read_to_string(&file).unwrap();
        assert!(
            content == original || content == fixed,
            "half a file after {delay} ms"
        );
        clear_temporaries();
    }
}
