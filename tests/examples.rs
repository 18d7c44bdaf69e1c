//! The files users copy into their own repositories: the example posts repository
//! (`examples/posts-repo`) with its GitHub Actions workflow, and the pre-commit hook
//! (`.pre-commit-hooks.yaml`). The commands are taken from those files and run as CI or
//! pre-commit would run them, so the files cannot drift from the command line.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::{CommandFactory, Parser};
use hygiene::cli::{Cli, Command as Subcommand};
use serde_yaml_ng::{Mapping, Value};

/// The findings the example posts repository has on purpose: file, line, rule.
const EXAMPLE_FINDINGS: [(&str, u32, &str); 2] = [
    ("social/queue.yml", 6, "engagement-bait"),
    ("tweets/2026/05-volunteers.tweet", 1, "link-shortener"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn posts_repo() -> PathBuf {
    root().join("examples/posts-repo")
}

fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Runs the built binary with `args` in `directory`.
fn hygiene(directory: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hygiene"))
        .current_dir(directory)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// `hygiene check …` in a workflow `run:` script, up to the shell operator that ends it, and the
/// file its output is redirected to.
#[derive(Debug)]
struct CheckCommand {
    args: Vec<String>,
    redirect: Option<String>,
}

impl CheckCommand {
    fn in_script(script: &str) -> Vec<CheckCommand> {
        let mut commands = Vec::new();
        for line in script.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some(start) = words
                .windows(2)
                .position(|pair| pair == ["hygiene", "check"])
            else {
                continue;
            };
            let words = &words[start + 2..];
            let end = words
                .iter()
                .position(|word| [">", "|", "||", "&&", ";"].contains(word))
                .unwrap_or(words.len());
            assert!(
                words[..end]
                    .iter()
                    .all(|word| !word.contains(['"', '\'', '$'])),
                "{line}: quoting and variables are not expanded here"
            );
            commands.push(CheckCommand {
                args: words[..end].iter().map(|word| word.to_string()).collect(),
                redirect: (words.get(end) == Some(&">")).then(|| words[end + 1].to_string()),
            });
        }
        commands
    }

    fn format(&self) -> &str {
        self.args
            .iter()
            .position(|arg| arg == "--format")
            .map_or("human", |index| &self.args[index + 1])
    }
}

/// The `--format` values this build of `hygiene check` accepts.
fn check_formats() -> Vec<String> {
    let cli = Cli::command();
    let format = cli
        .find_subcommand("check")
        .unwrap()
        .get_arguments()
        .find(|arg| arg.get_long() == Some("format"))
        .unwrap();
    format
        .get_possible_values()
        .iter()
        .map(|value| value.get_name().to_string())
        .collect()
}

fn workflow_steps() -> Vec<Mapping> {
    let workflow = read_yaml(&posts_repo().join(".github/workflows/hygiene.yml"));
    let jobs = workflow["jobs"].as_mapping().unwrap();
    jobs.values()
        .flat_map(|job| job["steps"].as_sequence().unwrap().clone())
        .map(|step| step.as_mapping().unwrap().clone())
        .collect()
}

fn expected_findings() -> BTreeSet<(String, u32, String)> {
    EXAMPLE_FINDINGS
        .iter()
        .map(|&(file, line, rule)| (file.to_string(), line, rule.to_string()))
        .collect()
}

/// File, line and rule of each `::warning file=…,line=…,title=hygiene RULE::…` annotation.
fn github_annotations(stdout: &str) -> BTreeSet<(String, u32, String)> {
    stdout
        .lines()
        .map(|line| {
            let properties = line
                .strip_prefix("::warning ")
                .and_then(|rest| rest.split_once("::"))
                .unwrap_or_else(|| panic!("not a warning annotation: {line}"))
                .0;
            let property = |name: &str| {
                properties
                    .split(',')
                    .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
                    .unwrap_or_else(|| panic!("no {name} in {line}"))
            };
            (
                property("file").to_string(),
                property("line").parse().unwrap(),
                property("title")
                    .strip_prefix("hygiene ")
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

/// File, line and rule of each SARIF 2.1.0 result (a URI may be absolute or carry a base, so
/// it need only end with the file's path).
fn sarif_results(stdout: &str) -> BTreeSet<(String, u32, String)> {
    let log: serde_json::Value = serde_json::from_str(stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    results
        .iter()
        .map(|result| {
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            let (file, _, _) = EXAMPLE_FINDINGS
                .iter()
                .find(|(file, _, _)| uri.ends_with(file))
                .unwrap_or_else(|| panic!("unexpected file {uri}"));
            (
                file.to_string(),
                location["region"]["startLine"].as_u64().unwrap() as u32,
                result["ruleId"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_workflow_checks_the_example_posts_and_reports_their_findings() {
    let steps = workflow_steps();
    let formats = check_formats();
    let mut ran = Vec::new();
    for step in &steps {
        let Some(script) = step.get("run").and_then(Value::as_str) else {
            continue;
        };
        for command in CheckCommand::in_script(script) {
            let format = command.format();
            if !formats.iter().any(|known| known == format) {
                // A format this build does not have yet (SARIF is on its way): say so on the
                // real stderr, which the test harness does not capture as it does `eprintln!`.
                writeln!(
                    std::io::stderr(),
                    "examples.rs: not run: `hygiene check {}`: `hygiene check --help` does not \
                     list --format {format} (formats: {})",
                    command.args.join(" "),
                    formats.join(", ")
                )
                .unwrap();
                continue;
            }
            let args: Vec<&str> = std::iter::once("check")
                .chain(command.args.iter().map(String::as_str))
                .collect();
            let output = hygiene(&posts_repo(), &args);
            assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
            let stdout = stdout(&output);
            match format {
                "github" => assert_eq!(github_annotations(&stdout), expected_findings()),
                "sarif" => assert_eq!(sarif_results(&stdout), expected_findings()),
                other => panic!("no expectation for --format {other}"),
            }
            ran.push(format.to_string());
        }
    }
    assert!(ran.contains(&"github".to_string()), "ran: {ran:?}");
}

#[test]
fn the_workflow_installs_hygiene_first_and_uploads_the_sarif_it_writes() {
    let steps = workflow_steps();
    let run = |step: &Mapping| step.get("run").and_then(Value::as_str).map(str::to_string);
    let install = steps
        .iter()
        .position(|step| {
            run(step).is_some_and(|script| {
                script.starts_with("cargo install --locked --git \"$HYGIENE_GIT\" hygiene")
            })
        })
        .expect("an install step");
    let checks: Vec<usize> = (0..steps.len())
        .filter(|&index| run(&steps[index]).is_some_and(|script| script.contains("hygiene check")))
        .collect();
    assert!(install < checks[0]);

    // The SARIF step runs after a failed check, writes a file, and that file is uploaded
    // whatever happened before.
    let sarif = checks
        .iter()
        .map(|&index| &steps[index])
        .find(|step| run(step).unwrap().contains("--format sarif"))
        .expect("a step writes SARIF");
    assert_eq!(sarif["if"].as_str(), Some("always()"));
    let written = CheckCommand::in_script(&run(sarif).unwrap())
        .into_iter()
        .find_map(|command| command.redirect)
        .expect("SARIF redirected to a file");
    let upload = steps
        .iter()
        .find(|step| {
            step.get("uses").and_then(Value::as_str) == Some("github/codeql-action/upload-sarif@v3")
        })
        .expect("a step uploads the SARIF file");
    assert_eq!(
        upload["with"]["sarif_file"].as_str(),
        Some(written.as_str())
    );
    assert_eq!(upload["if"].as_str(), Some("always()"));
}

#[test]
fn readme_states_what_checking_the_example_repository_gives() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains("`hygiene check examples/posts-repo` exits 1 with 2 warnings"),
        "README no longer says what the example gives"
    );
    let output = hygiene(root(), &["check", "examples/posts-repo"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = stdout(&output);
    assert!(
        stdout.contains("Checked 8 posts from 5 inputs."),
        "{stdout}"
    );
    assert!(stdout.contains("Findings: 2 warnings."), "{stdout}");
    for (file, line, rule) in EXAMPLE_FINDINGS {
        assert!(
            stdout.contains(&format!("warning[{rule}]"))
                && stdout.contains(&format!("examples/posts-repo/{file}:{line}")),
            "{rule} at {file}:{line} missing from {stdout}"
        );
    }
}

/// Keys pre-commit knows in a hook definition (`.pre-commit-hooks.yaml`).
const PRE_COMMIT_KEYS: [&str; 20] = [
    "id",
    "name",
    "entry",
    "language",
    "files",
    "exclude",
    "types",
    "types_or",
    "exclude_types",
    "always_run",
    "fail_fast",
    "verbose",
    "pass_filenames",
    "require_serial",
    "description",
    "language_version",
    "minimum_pre_commit_version",
    "args",
    "stages",
    "additional_dependencies",
];

/// Every file in the example repository, relative to it, hidden ones included.
fn example_files() -> Vec<String> {
    walkdir::WalkDir::new(posts_repo())
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(posts_repo()).unwrap();
            relative.to_str().unwrap().replace('\\', "/")
        })
        .collect()
}

#[test]
fn the_pre_commit_hook_runs_hygiene_check_on_the_post_files() {
    let hooks = read_yaml(&root().join(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_sequence().unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = hooks[0].as_mapping().unwrap();
    for key in hook.keys() {
        let key = key.as_str().unwrap();
        assert!(PRE_COMMIT_KEYS.contains(&key), "pre-commit has no `{key}`");
    }
    assert_eq!(hook["id"].as_str(), Some("hygiene"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook.get("pass_filenames"), None, "file names are passed");

    // The files pre-commit would pass from the example repository (it searches each path).
    let pattern = |key: &str| regex::Regex::new(hook[key].as_str().unwrap()).unwrap();
    let (files, exclude) = (pattern("files"), pattern("exclude"));
    let passed: Vec<String> = example_files()
        .into_iter()
        .filter(|path| files.is_match(path) && !exclude.is_match(path))
        .collect();
    // Exactly the files hygiene reads posts from when it walks the repository itself.
    let output = hygiene(&posts_repo(), &["check", ".", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let sources: BTreeSet<String> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|source| {
            source["path"]
                .as_str()
                .unwrap()
                .trim_start_matches("./")
                .to_string()
        })
        .collect();
    assert_eq!(passed.iter().cloned().collect::<BTreeSet<_>>(), sources);
    for path in [
        "README.md",
        "posts/README.md",
        "hygiene.toml",
        ".pre-commit-config.yaml",
    ] {
        assert!(!files.is_match(path) || exclude.is_match(path), "{path}");
    }

    // The entry, then the file names, as pre-commit runs it from the repository's top.
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry, ["hygiene", "check"]);
    let command: Vec<&str> = entry
        .iter()
        .copied()
        .chain(passed.iter().map(String::as_str))
        .collect();
    let Subcommand::Check(args) = Cli::try_parse_from(&command).unwrap().command else {
        panic!("{command:?} is not a check");
    };
    assert_eq!(
        args.paths,
        passed.iter().map(PathBuf::from).collect::<Vec<_>>()
    );
    let output = hygiene(&posts_repo(), &command[1..]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = stdout(&output);
    for (file, line, rule) in EXAMPLE_FINDINGS {
        assert!(
            stdout.contains(&format!("warning[{rule}]"))
                && stdout.contains(&format!(" --> {file}:{line}")),
            "{rule} at {file}:{line} missing from {stdout}"
        );
    }
}

#[test]
fn the_readme_pre_commit_snippet_uses_the_hook() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let snippet = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split_once("```").map(|(yaml, _)| yaml))
        .find(|yaml| yaml.starts_with("repos:"))
        .expect("a pre-commit snippet in the README");
    let config: Value = serde_yaml_ng::from_str(snippet).unwrap();
    assert_eq!(
        config["repos"][0]["hooks"][0]["id"].as_str(),
        Some("hygiene")
    );
}
