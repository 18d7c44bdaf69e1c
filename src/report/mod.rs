//! Printing. A [`Report`] borrows everything a finished run produced; printers turn it into
//! text for people ([`human`]), a page for people ([`html`]) or machines ([`json`], [`lines`], [`sarif`], [`junit`]) on the
//! writer they are handed, and can fail only with I/O errors. Printers never re-run rules or re-score. [`catalog`] prints the
//! rules themselves (`hygiene rules`, `hygiene explain`).

pub mod catalog;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod lines;
pub mod sarif;

use std::io::{self, Write};

use crate::engine::{AccountOutcome, Analysis, Engine};
use crate::finding::{Finding, Severity};
use crate::fix::FixPlan;
use crate::post::{Corpus, Location, Post, Source};
use crate::rules::builtin::Ratio;
use crate::score::{Evidence, Score};

/// Everything a printer may show about one run.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub engine: &'a Engine,
    pub corpus: &'a Corpus,
    pub analysis: &'a Analysis,
    pub score: &'a Score,
    /// What `--fix` wrote before the inputs were read again, with `--fix`.
    pub fixes: Option<&'a FixPlan>,
}

/// Output formats of `hygiene rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// rustc-style findings and a summary, for people.
    Human,
    /// One versioned JSON document (see README, "JSON output").
    Json,
}

/// Output formats of `hygiene check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// rustc-style findings and a summary, for people.
    Human,
    /// One versioned JSON document (see README, "JSON output").
    Json,
    /// One JSON object per finding, one per line (for pipes).
    Jsonl,
    /// One line per finding: `file:line:col: severity[rule] message`.
    Concise,
    /// GitHub Actions workflow commands: annotations on the pull request's files and lines.
    Github,
    /// SARIF 2.1.0, for code scanning (GitHub) and SARIF viewers.
    Sarif,
    /// JUnit XML, for CI test reports (GitLab, Jenkins, Azure DevOps).
    Junit,
    /// One self-contained HTML page with the score, charts and findings (use with `-o`).
    Html,
}

/// Writes `report` in `format`. `color` only affects the human format.
pub fn write(
    report: &Report<'_>,
    format: ReportFormat,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Human => human::write(report, color, out),
        ReportFormat::Json => json::write(report, out),
        ReportFormat::Jsonl => lines::write(report, lines::LineFormat::Jsonl, out),
        ReportFormat::Concise => lines::write(report, lines::LineFormat::Concise, out),
        ReportFormat::Github => lines::write(report, lines::LineFormat::Github, out),
        ReportFormat::Sarif => sarif::write(report, out),
        ReportFormat::Junit => junit::write(report, out),
        ReportFormat::Html => html::write(report, out),
    }
}

/// Writes how many findings each rule made (`--statistics`): count, rule, severity and what the
/// rule catches, most frequent first.
pub fn write_statistics(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut counts = report.counts_by_rule();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let rules = report.engine.rules();
    let width = counts
        .iter()
        .map(|(rule, _)| rules[*rule].id.len())
        .max()
        .unwrap_or(0);
    for (rule, count) in counts {
        let rule = &rules[rule];
        writeln!(
            out,
            "{count:>5}  {:<width$}  {:<7}  {}",
            rule.id,
            rule.severity.as_str(),
            rule.summary
        )?;
    }
    Ok(())
}

impl<'a> Report<'a> {
    /// Every finding, post findings first (in post order), then account findings.
    pub fn findings(&self) -> impl Iterator<Item = &'a Finding> + 'a {
        let analysis = self.analysis;
        analysis
            .posts
            .iter()
            .flat_map(|post| post.findings().iter())
            .chain(analysis.account_findings.iter())
    }

    /// Number of findings of each severity: `[info, warning, error]`.
    pub fn severity_counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for finding in self.findings() {
            counts[severity_index(finding.severity)] += 1;
        }
        counts
    }

    /// `(rule index, findings)` for every rule with findings, in rule order.
    pub fn counts_by_rule(&self) -> Vec<(usize, usize)> {
        let mut counts = vec![0; self.engine.rules().len()];
        for finding in self.findings() {
            counts[finding.rule] += 1;
        }
        counts
            .into_iter()
            .enumerate()
            .filter(|(_, count)| *count > 0)
            .collect()
    }

    /// The run-wide index of post `index` of the corpus, as reports print it (see
    /// [`Corpus::first_post`]).
    pub fn post_number(&self, index: usize) -> usize {
        self.corpus.first_post + index
    }

    /// Where a post came from, for people: `path:line` for text, `path: record N (id X)` for
    /// structured inputs (with the line too for JSON Lines).
    pub fn post_place(&self, post: &Post) -> String {
        let path = &self.corpus.sources[post.origin.source as usize].path;
        match post.origin.location {
            Location::Text { line, .. } => format!("{path}:{line}"),
            Location::Record {
                line: Some(line), ..
            } => {
                format!("{path}:{line}: {}", Report::place_in_source(post))
            }
            Location::Record { line: None, .. } => {
                format!("{path}: {}", Report::place_in_source(post))
            }
        }
    }

    /// Where a post is inside its source: `line N`, or `record N (id X)`.
    pub fn place_in_source(post: &Post) -> String {
        match post.origin.location {
            Location::Text { line, .. } => format!("line {line}"),
            Location::Record { record, .. } => match &post.id {
                Some(id) => format!("record {record} (id {id})"),
                None => format!("record {record}"),
            },
        }
    }

    /// Places of several posts, the path written once per run of posts from the same source:
    /// `a.json: record 1, record 4; b.txt: line 3`.
    pub fn places(&self, posts: &[usize]) -> String {
        let mut out = String::new();
        let mut current = None;
        for &index in posts {
            let post = &self.corpus.posts[index];
            if current == Some(post.origin.source) {
                out.push_str(", ");
            } else {
                if current.is_some() {
                    out.push_str("; ");
                }
                out.push_str(&self.corpus.sources[post.origin.source as usize].path);
                out.push_str(": ");
                current = Some(post.origin.source);
            }
            out.push_str(&Report::place_in_source(post));
        }
        out
    }

    /// The file line and column of a position inside a post, when the post's text is a verbatim
    /// slice of a text file.
    pub fn file_position(post: &Post, line: usize, column: usize) -> Option<(usize, usize)> {
        match post.origin.location {
            Location::Text {
                line: first_line,
                column: first_column,
            } => {
                // Only the post's first line starts after the file line's beginning.
                let column = if line == 1 {
                    first_column as usize + column - 1
                } else {
                    column
                };
                Some((first_line as usize + line - 1, column))
            }
            Location::Record { .. } => None,
        }
    }

    /// The ratios account rules judged, with their rule index.
    pub fn ratios(&self) -> impl Iterator<Item = (usize, &'a Ratio)> + 'a {
        self.analysis
            .account_outcomes
            .iter()
            .filter_map(|(rule, outcome)| match outcome {
                AccountOutcome::Judged { ratio: Some(ratio) } => Some((*rule, ratio)),
                AccountOutcome::Judged { ratio: None } | AccountOutcome::NotJudged { .. } => None,
            })
    }

    /// The source post `index` (into `Corpus::posts`) was read from.
    pub fn source_of(&self, index: usize) -> &'a Source {
        &self.corpus.sources[self.corpus.posts[index].origin.source as usize]
    }

    /// How many findings have a fix `--fix` can write: in a file on disk whose posts are
    /// verbatim text.
    pub fn fixable(&self) -> usize {
        self.analysis
            .posts
            .iter()
            .enumerate()
            .filter(|(index, _)| {
                let source = self.source_of(*index);
                source.format.posts_are_verbatim() && source.file.is_some()
            })
            .map(|(_, analysis)| {
                analysis
                    .findings()
                    .iter()
                    .filter(|f| f.fix.is_some())
                    .count()
            })
            .sum()
    }

    /// Whether any finding is at or above `level`.
    pub fn has_findings_at(&self, level: Severity) -> bool {
        self.findings().any(|finding| finding.severity >= level)
    }
}

/// `"s"` after a count other than one.
pub fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Points with one decimal, without a trailing `.0`.
pub fn format_points(points: f64) -> String {
    if points.fract() == 0.0 {
        format!("{points:.0}")
    } else {
        format!("{points:.1}")
    }
}

/// What a score deduction rests on, for people: `3 of 4 posts it looks at`, `1 account finding`.
pub fn evidence_text(evidence: Evidence) -> String {
    match evidence {
        Evidence::Posts { hits, eligible } => {
            format!("{hits} of {eligible} post{} it looks at", plural(eligible))
        }
        Evidence::Account { findings } => format!("{findings} account finding{}", plural(findings)),
    }
}

/// What the reports say of a suppression that suppressed nothing (rule `id`).
pub(crate) fn unused_allow_message(id: &str) -> String {
    format!("the suppression of `{id}` suppresses nothing here; remove it")
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}
