//! The JUnit XML report (`--format junit`), for CI systems that show test results: GitLab's
//! test report, Jenkins, Azure DevOps.
//!
//! A test suite per file read, named by its path: GitLab lists suites with their counts, so the
//! files with findings stand out, as a test runner's modules do. In a file's suite, a post with
//! findings gives a failing test case per finding, named by place and rule
//! (`line 3: click-to-tweet`), so a CI that compares reports shows a new finding as a newly
//! failing test even on a post that already had one; a post without findings gives a passing
//! test case, and a received message that is not judged a skipped one. A last suite, `account`,
//! has a test case per account rule: failing once per finding, passing, or skipped with the
//! reason it could not judge; its properties hold the score and verdict.
//!
//! A failure's `type` is the rule id, its `message` the finding's message, and its text the
//! finding as `concise` prints it, the suggestion, and the post (or the evidence of an account
//! finding). Test cases have no `time`: nothing was timed.
//!
//! Text is escaped for XML 1.0: markup characters become references; characters XML 1.0 does
//! not allow (most C0 controls, U+FFFE, U+FFFF) and those unsafe to show (other controls,
//! bidirectional overrides) are written as `\u{..}`, as on the terminal.

use std::io::{self, Write};

use super::{Report, lines};
use crate::engine::AccountOutcome;
use crate::finding::{Finding, Target};
use crate::text::is_unsafe_for_terminal;

/// A test suite before it is written (its counts head it).
struct Suite {
    name: String,
    properties: Vec<(&'static str, String)>,
    cases: Vec<Case>,
}

struct Case {
    name: String,
    classname: String,
    /// The file, for GitLab's link to it.
    file: Option<String>,
    outcome: Outcome,
}

enum Outcome {
    Passed,
    Failed {
        message: String,
        rule: String,
        text: String,
    },
    Skipped {
        message: String,
    },
}

impl Suite {
    fn count(&self, counted: fn(&Outcome) -> bool) -> usize {
        self.cases
            .iter()
            .filter(|case| counted(&case.outcome))
            .count()
    }
}

fn failed(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Failed { .. })
}

fn skipped(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Skipped { .. })
}

/// Writes the JUnit report.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let suites = suites(report);
    let tests: usize = suites.iter().map(|suite| suite.cases.len()).sum();
    let failures: usize = suites.iter().map(|suite| suite.count(failed)).sum();
    let skips: usize = suites.iter().map(|suite| suite.count(skipped)).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="hygiene" tests="{tests}" failures="{failures}" errors="0" skipped="{skips}">"#
    )?;
    for suite in &suites {
        write_suite(suite, out)?;
    }
    writeln!(out, "</testsuites>")
}

fn write_suite(suite: &Suite, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{}" errors="0" skipped="{}">"#,
        escape(&suite.name, true),
        suite.cases.len(),
        suite.count(failed),
        suite.count(skipped)
    )?;
    if !suite.properties.is_empty() {
        writeln!(out, "    <properties>")?;
        for (name, value) in &suite.properties {
            writeln!(
                out,
                r#"      <property name="{name}" value="{}"/>"#,
                escape(value, true)
            )?;
        }
        writeln!(out, "    </properties>")?;
    }
    for case in &suite.cases {
        write!(
            out,
            r#"    <testcase name="{}" classname="{}""#,
            escape(&case.name, true),
            escape(&case.classname, true)
        )?;
        if let Some(file) = &case.file {
            write!(out, r#" file="{}""#, escape(file, true))?;
        }
        match &case.outcome {
            Outcome::Passed => writeln!(out, "/>")?,
            Outcome::Failed {
                message,
                rule,
                text,
            } => {
                writeln!(out, ">")?;
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    escape(message, true),
                    escape(rule, true),
                    escape(text, false)
                )?;
                writeln!(out, "    </testcase>")?;
            }
            Outcome::Skipped { message } => {
                writeln!(out, ">")?;
                writeln!(
                    out,
                    r#"      <skipped message="{}"/>"#,
                    escape(message, true)
                )?;
                writeln!(out, "    </testcase>")?;
            }
        }
    }
    writeln!(out, "  </testsuite>")
}

/// A suite per source, in the order they were read, then the account's.
fn suites(report: &Report<'_>) -> Vec<Suite> {
    let corpus = report.corpus;
    let mut suites: Vec<Suite> = corpus
        .sources
        .iter()
        .map(|source| Suite {
            name: source.path.clone(),
            properties: Vec::new(),
            cases: Vec::new(),
        })
        .collect();
    for (post, analysis) in corpus.posts.iter().zip(&report.analysis.posts) {
        let path = &corpus.sources[post.origin.source as usize].path;
        let place = Report::place_in_source(post);
        let case = |name: String, outcome: Outcome| Case {
            name,
            classname: path.clone(),
            file: Some(path.clone()),
            outcome,
        };
        let cases = &mut suites[post.origin.source as usize].cases;
        if !analysis.judged() {
            cases.push(case(
                place,
                Outcome::Skipped {
                    message: "received message: judged only with --include-received".into(),
                },
            ));
        } else if analysis.findings().is_empty() {
            cases.push(case(place, Outcome::Passed));
        } else {
            for finding in analysis.findings() {
                let rule = &report.engine.rules()[finding.rule].id;
                let text = format!("{}\n\n{}", failure_text(report, finding), post.text);
                cases.push(case(
                    format!("{place}: {rule}"),
                    failure(finding, rule, text),
                ));
            }
        }
    }
    suites.push(account_suite(report));
    suites
}

/// The account rules' outcomes, and the score.
fn account_suite(report: &Report<'_>) -> Suite {
    let rules = report.engine.rules();
    let mut cases = Vec::new();
    for (rule, outcome) in &report.analysis.account_outcomes {
        let id = &rules[*rule].id;
        let case = |name: String, outcome: Outcome| Case {
            name,
            classname: "account".into(),
            file: None,
            outcome,
        };
        let findings: Vec<&Finding> = report
            .analysis
            .account_findings
            .iter()
            .filter(|finding| finding.rule == *rule)
            .collect();
        match outcome {
            AccountOutcome::NotJudged { reason } => cases.push(case(
                id.clone(),
                Outcome::Skipped {
                    message: format!("not judged: {reason}"),
                },
            )),
            AccountOutcome::Judged { .. } if findings.is_empty() => {
                cases.push(case(id.clone(), Outcome::Passed));
            }
            AccountOutcome::Judged { .. } => {
                for (number, finding) in findings.iter().enumerate() {
                    let name = if findings.len() == 1 {
                        id.clone()
                    } else {
                        format!("{id}: finding {}", number + 1)
                    };
                    let mut text = failure_text(report, finding);
                    if let Target::Account { evidence } = &finding.target {
                        text.push_str(&format!("\nevidence: {}", report.places(evidence)));
                    }
                    cases.push(case(name, failure(finding, id, text)));
                }
            }
        }
    }
    Suite {
        name: "account".into(),
        properties: vec![
            ("score", report.score.value.to_string()),
            ("verdict", report.score.verdict.id().to_string()),
        ],
        cases,
    }
}

fn failure(finding: &Finding, rule: &str, text: String) -> Outcome {
    Outcome::Failed {
        message: finding.message.clone(),
        rule: rule.to_string(),
        text,
    }
}

/// The finding as `concise` prints it, and what to do instead.
fn failure_text(report: &Report<'_>, finding: &Finding) -> String {
    format!(
        "{}\nhelp: {}",
        lines::concise_line(report, finding),
        finding.suggestion
    )
}

/// `text` as an XML 1.0 attribute value (`attribute`) or element content.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            // A raw line break or tab in an attribute value reads as a space, and a raw `\r`
            // anywhere as a line break: references keep them.
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            c if is_unsafe_for_terminal(c) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("a<b & \"c\"\n\td\r", true),
            "a&lt;b &amp; &quot;c&quot;&#10;&#9;d&#13;"
        );
        assert_eq!(escape("a\"\n\tb", false), "a\"\n\tb");
        assert_eq!(
            escape("\u{0}\u{1b}[2J \u{202e}x\u{ffff}", false),
            "\\u{0}\\u{1b}[2J \\u{202e}x\\u{ffff}"
        );
    }
}
