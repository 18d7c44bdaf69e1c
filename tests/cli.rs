//! The command line as users run it: arguments, standard input, standard output, standard
//! error and exit code pinned together in one snapshot per case (insta-cmd).

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use clap::ValueEnum;
use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

fn hygiene() -> Command {
    let mut command = Command::new(get_cargo_bin("hygiene"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command.env_remove("NO_COLOR");
    command
}

/// The binary's jemalloc reads the options `main.rs` exports under its prefixed symbol name:
/// were the name wrong, nothing would fail to build, and the option would silently be lost.
#[cfg(all(
    feature = "jemalloc",
    unix,
    not(target_os = "openbsd"),
    target_arch = "x86_64"
))]
#[test]
fn jemalloc_reads_the_binarys_options() {
    let output = hygiene()
        .args(["check", "fixtures/clean-post.txt"])
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .unwrap();
    let stats = String::from_utf8_lossy(&output.stderr);
    assert!(stats.contains("opt.dirty_decay_ms: 1000 "), "{stats}");
}

#[test]
fn clean_post_exits_zero() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/clean-post.txt"]));
}

#[test]
fn findings_exit_one() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/drafts.txt"]));
}

#[test]
fn fail_on_error_lets_warnings_pass() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/drafts.txt", "--fail-on", "error"]));
}

#[test]
fn min_score_fails_a_run_without_failing_findings() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/example-account.json",
        "--fail-on",
        "error",
        "--min-score",
        "80"
    ]));
}

#[test]
fn reads_piped_text_from_dash() {
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "-"])
            .pass_stdin("Loved the talk!\n---\nThanks for the follow! Tweet this!\n")
    );
}

#[test]
fn reads_piped_stdin_without_a_path_one_post_per_line() {
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "--split", "lines"])
            .pass_stdin("first post\nsecond post, Click to Tweet\n\nthird post\n")
    );
}

#[test]
fn reads_piped_json_lines() {
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "-"])
            .pass_stdin("{\"text\": \"hello\", \"kind\": \"dm\"}\n{\"text\": \"thx for following :)\", \"kind\": \"dm\", \"to\": \"@b\"}\n")
    );
}

#[test]
fn empty_input_is_not_an_error() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/empty.txt"]));
}

#[test]
fn empty_stdin_is_not_an_error() {
    assert_cmd_snapshot!(hygiene().args(["check", "-"]).pass_stdin(""));
}

#[test]
fn malformed_json_names_line_and_column() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/invalid/malformed.json"]));
}

#[test]
fn record_without_text_names_the_record() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/invalid/missing-text.json"]));
}

#[test]
fn invalid_utf8_names_line_and_column() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/invalid/not-utf8.txt"]));
}

#[test]
fn unknown_kind_in_json_lines_names_the_line() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/invalid/bad-kind.jsonl"]));
}

#[test]
fn bad_input_stops_the_run_before_any_report() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/drafts.txt",
        "fixtures/invalid/malformed.json"
    ]));
}

#[test]
fn missing_file_exits_two() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/no-such-file.json"]));
}

#[test]
fn forced_input_format_is_used() {
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "--input-format", "json", "-"])
            .pass_stdin("not json at all")
    );
}

#[test]
fn rule_option_changes_a_threshold() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/example-account.json",
        "--format",
        "json",
        "--rule-option",
        "excessive-self-promotion.share=0.5",
        "--rule-option",
        "missing-personal-responses.min_posts=5"
    ]));
}

#[test]
fn unknown_rule_option_exits_two() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/clean-post.txt",
        "--rule-option",
        "excessive-self-promotion.max=3"
    ]));
}

/// The rules are compiled while files are read; a problem with them is still the one reported,
/// not the malformed file.
#[test]
fn a_rule_problem_is_reported_before_an_input_problem() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/invalid/malformed.json",
        "--rule-option",
        "excessive-self-promotion.max=3"
    ]));
}

/// Files are read while the rules compile, but not a pipe named on the command line: it may
/// never end, and a problem with the rules is reported without waiting for it. Here no one
/// ever writes to the pipe.
#[cfg(unix)]
#[test]
fn a_rule_problem_does_not_wait_for_a_pipe() {
    let folder = tempfile::tempdir().unwrap();
    let fifo = folder.path().join("posts");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    let mut child = hygiene()
        .args(["check", "--rule-option", "excessive-self-promotion.max=3"])
        .arg(&fifo)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let status = status.expect("hygiene waited for the pipe before reporting the rule problem");
    assert_eq!(status.code(), Some(2));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("option `max` does not exist"), "{stderr}");
}

#[test]
fn own_domain_makes_links_promotional() {
    assert_cmd_snapshot!(
        hygiene()
            .args([
                "check",
                "--format",
                "json",
                "--own-domain",
                "northwind.example",
                "-"
            ])
            .pass_stdin("Fresh loaves today https://northwind.example/today\n")
    );
}

#[test]
fn color_always_styles_the_report() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/drafts.txt", "--color", "always"]));
}

#[test]
fn escape_sequences_in_posts_never_reach_the_terminal() {
    let output = hygiene()
        .args(["check", "fixtures/hostile-escapes.txt", "--color", "always"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    // The only escape sequences are hygiene's own SGR styles (ESC [ … m).
    for (index, _) in stdout.match_indices('\u{1b}') {
        let rest = &stdout[index + 1..];
        let end = rest.find('m').unwrap();
        assert!(
            rest.starts_with('[') && rest[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
            "raw escape in output: {:?}",
            &rest[..end.min(12)]
        );
    }
    assert!(
        !stdout.contains('\u{202e}'),
        "bidi override reached the terminal"
    );
    assert!(
        stdout.contains("\\u{1b}[2J"),
        "the escape is shown, neutralised"
    );
}

#[test]
fn lists_rules() {
    assert_cmd_snapshot!(hygiene().args(["rules"]));
}

#[test]
fn lists_rules_as_json() {
    assert_cmd_snapshot!(hygiene().args(["rules", "--format", "json"]));
}

#[test]
fn explains_a_rule() {
    assert_cmd_snapshot!(hygiene().args(["explain", "auto-dm"]));
}

#[test]
fn explains_a_rule_with_a_fix() {
    assert_cmd_snapshot!(hygiene().args(["explain", "click-to-tweet"]));
}

#[test]
fn explains_an_account_rule() {
    assert_cmd_snapshot!(hygiene().args(["explain", "excessive-self-promotion"]));
}

#[test]
fn unknown_rule_exits_two() {
    assert_cmd_snapshot!(hygiene().args(["explain", "no-such-rule"]));
}

#[test]
fn usage_error_exits_two() {
    assert_cmd_snapshot!(hygiene().args(["check", "--fail-on", "sometimes"]));
}

#[test]
fn closed_pipe_is_not_an_error() {
    let mut child = hygiene()
        .args(["check", "-", "--split", "lines"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = "Click to Tweet and more\n".repeat(20_000);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn numbered_thread_lines_on_stdin_are_text() {
    assert_cmd_snapshot!(hygiene().args(["check", "--split", "lines"]).pass_stdin(
        "[1/3] Thread: what we learned\n[2/3] Small releases win\n[ ] tweet about the launch\n"
    ));
}

#[test]
fn json_lines_of_strings_on_stdin() {
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "--format", "json", "-"])
            .pass_stdin("\"first post\"\n\"second post, Click to Tweet\"\n")
    );
}

#[test]
fn pretty_json_with_trailing_junk_points_at_the_junk() {
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "-"])
            .pass_stdin("{\n  \"posts\": [\"a\"]\n}\n}\n")
    );
}

#[test]
fn named_csv_columns_read_an_unknown_spreadsheet() {
    assert_cmd_snapshot!(
        hygiene()
            .args([
                "check",
                "--text-column",
                "Caption",
                "--date-column",
                "When",
                "-"
            ])
            .pass_stdin(
                "Caption,When,Owner\n\
                 \"Kiln day, finally.\",2025-03-02 09:30,sam\n\
                 Click to Tweet: glaze is chemistry you can eat off,2025-03-03 09:30,sam\n"
            )
    );
}

#[test]
fn concise_format_prints_a_line_per_finding() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/drafts.txt",
        "fixtures/example-account.json",
        "--format",
        "concise"
    ]));
}

#[test]
fn github_format_annotates_files_and_lines() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/drafts.txt",
        "fixtures/messages.jsonl",
        "--format",
        "github"
    ]));
}

#[test]
fn junit_format_reports_a_test_per_post_and_finding() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/hostile-escapes.txt",
        "fixtures/example-account.json",
        "--format",
        "junit"
    ]));
}

#[test]
fn jsonl_format_prints_an_object_per_finding() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/messages.jsonl", "--format", "jsonl"]));
}

#[test]
fn select_and_ignore_choose_the_rules_that_run() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/example-account.json",
        "--select",
        "auto-dm,click-to-tweet",
        "--ignore",
        "click-to-tweet",
        "--format",
        "concise"
    ]));
}

#[test]
fn selecting_an_unknown_rule_exits_two() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/clean-post.txt",
        "--ignore",
        "no-such-rule"
    ]));
}

#[test]
fn config_file_is_found_above_the_checked_path() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/config/linkedin/drafts.txt",
        "--format",
        "concise"
    ]));
}

#[test]
fn per_path_overrides_suppression_lines_and_house_rules_apply() {
    // linkedin/ is for LinkedIn (the long post fits there, not on X, and the copies on two
    // platforms are cross-posting, not duplicates); newsletter/ ignores click-to-tweet;
    // x/announcements.txt suppresses shouting on its first post and, uselessly,
    // click-to-tweet on its second; house-rules/ adds corporate-jargon.
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/overrides/linkedin/starter-story.txt",
        "fixtures/overrides/newsletter/quote.txt",
        "fixtures/overrides/x/announcements.txt",
        "fixtures/overrides/x/jargon.txt",
        "fixtures/overrides/x/starter-story.txt",
    ]));
}

#[test]
fn rules_and_explain_include_the_house_rules_of_the_config_found_here() {
    let run = |args: &[&str]| {
        let output = hygiene()
            .current_dir("fixtures/overrides/x")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(run(&["rules"]).contains("\ncorporate-jargon  "));
    assert!(run(&["explain", "corporate-jargon"]).starts_with("# corporate-jargon\n"));
}

#[test]
fn the_platform_flag_wins_over_a_per_path_override() {
    // linkedin/ is LinkedIn by the configuration, where the post fits; `--platform x` says
    // otherwise for this run, and the post is too long for X.
    let concise = |extra: &[&str]| {
        let output = hygiene()
            .args(["check", "fixtures/overrides/linkedin/starter-story.txt"])
            .args(["--format", "concise"])
            .args(extra)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    assert_eq!(concise(&[]), (Some(0), String::new()));
    let (code, stdout) = concise(&["--platform", "x"]);
    assert_eq!(code, Some(1));
    assert!(
        stdout
            .starts_with("fixtures/overrides/linkedin/starter-story.txt:1:281: error[over-length]"),
        "{stdout}"
    );
}

#[test]
fn a_suppression_line_without_a_reason_exits_two_at_its_line() {
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "-"])
            .pass_stdin("fine post\n---\n# hygiene: allow shouting\nBIG NEWS TODAY\n")
    );
}

#[test]
fn fixes_follow_the_per_path_overrides() {
    // newsletter/ ignores click-to-tweet, so its prompt is neither reported nor fixed there.
    let diff = |isolated: bool| {
        let mut command = hygiene();
        command.args(["check", "fixtures/overrides/newsletter/quote.txt", "--diff"]);
        if isolated {
            command.arg("--isolated");
        }
        let output = command.output().unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    assert_eq!(diff(false), (Some(0), String::new()));
    let (code, patch) = diff(true);
    assert_eq!(code, Some(1));
    assert!(
        patch.contains("+\"Small shops win on care, not on price.\"\n"),
        "{patch}"
    );
}

#[test]
fn github_annotations_name_suppressions_that_suppress_nothing() {
    let output = hygiene()
        .args([
            "check",
            "fixtures/overrides/x/announcements.txt",
            "--format",
            "github",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "::notice file=fixtures/overrides/x/announcements.txt,line=5,\
         title=hygiene unused suppression::the suppression of `click-to-tweet` suppresses \
         nothing here; remove it\n"
    );
}

#[test]
fn isolated_ignores_the_config_file() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/config/linkedin/drafts.txt",
        "--isolated",
        "--format",
        "concise"
    ]));
}

#[test]
fn unknown_config_key_names_the_file_and_line() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/clean-post.txt",
        "--config",
        "fixtures/invalid/config-typo.toml"
    ]));
}

#[test]
fn a_baseline_leaves_out_known_findings_and_keeps_new_ones() {
    let dir = std::env::temp_dir().join(format!("hygiene-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    let written = hygiene()
        .args([
            "check",
            "fixtures/example-account.json",
            "--write-baseline",
            baseline,
        ])
        .output()
        .unwrap();
    assert_eq!(
        written.status.code(),
        Some(1),
        "the findings are still reported"
    );
    let text = std::fs::read_to_string(baseline).unwrap();
    assert!(
        !text.contains("Grab my free ebook"),
        "no post text in the baseline"
    );

    let known = hygiene()
        .args([
            "check",
            "fixtures/example-account.json",
            "--baseline",
            baseline,
        ])
        .args(["--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(known.status.code(), Some(0));
    assert_eq!(String::from_utf8(known.stdout).unwrap(), "");
    let summary = hygiene()
        .args(["check", "fixtures/example-account.json", "--quiet"])
        .args(["--baseline", baseline])
        .output()
        .unwrap();
    let summary = String::from_utf8(summary.stdout).unwrap();
    assert!(
        summary.contains("  auto-dm: nothing new (1 account finding in the baseline)\n")
            && summary.contains("(42%; limit: at most 33%); in the baseline\n"),
        "the account summary says what the baseline holds back:\n{summary}"
    );

    // New posts next to the known ones: only their findings are reported.
    let new = hygiene()
        .args([
            "check",
            "fixtures/example-account.json",
            "fixtures/drafts.txt",
        ])
        .args(["--baseline", baseline, "--format", "concise", "--ignore"])
        .arg("excessive-self-promotion")
        .output()
        .unwrap();
    assert_eq!(new.status.code(), Some(1));
    let stdout = String::from_utf8(new.stdout).unwrap();
    assert!(
        stdout
            .lines()
            .all(|line| line.starts_with("fixtures/drafts.txt")),
        "{stdout}"
    );
    assert!(!stdout.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_baseline_exits_two() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/clean-post.txt",
        "--baseline",
        "fixtures/invalid/malformed.json"
    ]));
}

#[test]
fn statistics_count_findings_per_rule() {
    assert_cmd_snapshot!(hygiene().args([
        "check",
        "fixtures/example-account.json",
        "--statistics"
    ]));
}

#[test]
fn quiet_prints_only_the_summary() {
    assert_cmd_snapshot!(hygiene().args(["check", "fixtures/drafts.txt", "--quiet"]));
}

#[test]
fn a_suppression_without_a_reason_exits_two() {
    assert_cmd_snapshot!(
        hygiene().args(["check", "-"]).pass_stdin(
            r#"[{"text": "x Click to Tweet", "hygiene": {"allow": ["click-to-tweet"]}}]"#
        )
    );
}

#[test]
fn config_prints_the_file_a_check_would_use() {
    let output = hygiene()
        .args(["config", "fixtures/config/linkedin/drafts.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let (first, settings) = stdout.split_once('\n').unwrap();
    assert!(first.starts_with("# ") && first.ends_with("fixtures/config/hygiene.toml"));
    assert_eq!(
        settings,
        "platform = \"linkedin\"\nown_domains = [\"northwind.example\"]\nselect = []\n\
         ignore = [\"link-shortener\"]\ninclude_received = false\n\n\
         [rules.excessive-hashtags.options]\nlinkedin = 2\n\n\
         [rules.generic-reply]\nseverity = \"info\"\n\n[rules.shouting]\nseverity = \"off\"\n"
    );
}

#[test]
fn platform_flag_sets_the_limit_for_posts_that_do_not_say() {
    let long = format!("{}the end", "word ".repeat(56));
    assert_cmd_snapshot!(
        hygiene()
            .args(["check", "-", "--platform", "x", "--format", "concise"])
            .pass_stdin(long)
    );
}

/// Runs hygiene with `args`, which must succeed quietly, and returns its standard output.
fn stdout_of(args: &[&str]) -> String {
    let output = hygiene().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{args:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(
            // fish spells the flag `-l format`; the others `--format`.
            script.contains("check") && script.contains("format"),
            "{shell}: {script}"
        );
    }
}

#[test]
fn bash_completion_completes_commands_and_format_values() {
    // Bash calls the completion function with the command, the word being completed and the
    // word before it, and reads COMPREPLY.
    let script = stdout_of(&["completions", "bash"]);
    let complete = |words: &str, current: &str, previous: &str| {
        let program = format!(
            "{script}\nCOMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _hygiene hygiene '{current}' '{previous}'; echo \"${{COMPREPLY[*]}}\""
        );
        let output = Command::new("bash")
            .args(["-c", &program])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    };
    assert_eq!(complete("hygiene ch", "ch", "hygiene"), "check");
    let formats: Vec<String> = hygiene::report::ReportFormat::value_variants()
        .iter()
        .map(|format| format.to_possible_value().unwrap().get_name().to_string())
        .collect();
    assert_eq!(
        complete("hygiene check --format ''", "", "--format"),
        formats.join(" ")
    );
    assert!(complete("hygiene check --for", "--for", "check").contains("--format"));
}

#[test]
fn man_page_documents_every_check_option() {
    let page = stdout_of(&["man"]);
    assert!(
        page.lines().any(|line| line.starts_with(".TH hygiene 1 ")),
        "{page}"
    );
    let cli = <hygiene::cli::Cli as clap::CommandFactory>::command();
    let check = cli.find_subcommand("check").unwrap();
    let longs: Vec<&str> = check
        .get_arguments()
        .filter_map(|arg| arg.get_long())
        .collect();
    assert!(longs.contains(&"format") && longs.contains(&"baseline"));
    for long in longs {
        // roff escapes dashes: `--fail-on` is `\-\-fail\-on`, in bold.
        let flag = format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-"));
        assert!(page.contains(&flag), "{flag} is not in the man page");
    }
}

#[test]
fn output_writes_the_report_to_a_file_instead_of_stdout() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("report.json");
    let run = |extra: &[&std::ffi::OsStr]| {
        hygiene()
            .args(["check", "fixtures/example-account.json", "--format", "json"])
            .args(extra)
            .output()
            .unwrap()
    };
    let to_stdout = run(&[]);
    let to_file = run(&["-o".as_ref(), file.as_os_str()]);
    assert_eq!(to_file.status.code(), to_stdout.status.code());
    assert!(to_file.stdout.is_empty());
    assert_eq!(std::fs::read(&file).unwrap(), to_stdout.stdout);
    // Written again, the file is replaced whole, and no temporary file is left beside it.
    let again = run(&["--output".as_ref(), file.as_os_str()]);
    assert_eq!(again.status.code(), to_stdout.status.code());
    assert_eq!(std::fs::read(&file).unwrap(), to_stdout.stdout);
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
}

#[test]
fn a_baseline_to_a_missing_folder_fails_naming_it() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("missing/baseline.json");
    let output = hygiene()
        .args(["check", "fixtures/drafts.txt", "--write-baseline"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: cannot write the baseline to {}",
            file.display()
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
}

#[test]
fn output_to_a_missing_folder_fails_and_writes_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("missing/report.html");
    let output = hygiene()
        .args(["check", "fixtures/drafts.txt", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot write the report to "),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
}

/// `-o` and `--write-baseline` replace a file whole, but write a pipe or device (`-o /dev/null`)
/// in place, and a symbolic link keeps pointing where it did: renaming over either would
/// replace it (a run with `-o /dev/null` once left /dev/null a regular file).
#[cfg(unix)]
#[test]
fn output_writes_through_pipes_and_symbolic_links() {
    use std::os::unix::fs::FileTypeExt;
    let folder = tempfile::tempdir().unwrap();
    let expected = hygiene()
        .args(["check", "fixtures/drafts.txt", "--format", "json"])
        .output()
        .unwrap()
        .stdout;

    let target = folder.path().join("real.json");
    std::fs::write(&target, "old").unwrap();
    let link = folder.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let status = hygiene()
        .args(["check", "fixtures/drafts.txt", "--format", "json", "-o"])
        .arg(&link)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read(&target).unwrap(), expected);
    // A baseline is written the same way.
    let status = hygiene()
        .args(["check", "fixtures/drafts.txt", "--write-baseline"])
        .arg(&link)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    let baseline = std::fs::read_to_string(&target).unwrap();
    assert!(baseline.contains("\"findings\""), "{baseline}");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 2);

    let fifo = folder.path().join("report.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let status = hygiene()
        .args(["check", "fixtures/drafts.txt", "--format", "json", "-o"])
        .arg(&fifo)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    assert_eq!(reader.join().unwrap(), expected);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}
