//! One line per finding, for editors, pipes and CI logs: `concise`
//! (`file:line:col: severity[rule] message`, as compilers and ruff print), `jsonl` (a JSON
//! object per finding, written by [`super::json`]) and `github` (GitHub Actions workflow
//! commands, which annotate the lines of a pull request).
//!
//! A finding's place is the most precise the input allows: line and column for text-like
//! files, the record's line for JSON Lines and CSV, the record (and id) for JSON, and for an
//! account finding the first post that is its evidence.
//!
//! These formats print no summary, so they can print a run a batch of posts at a time
//! ([`LinePrinter`]): the findings of each batch's posts as soon as it is checked, then at the
//! end the account findings and, for `github`, the notices of suppressions that suppress
//! nothing. A whole report is printed the same way, as one batch.

use std::io::{self, Write};

use crate::finding::{Finding, Severity, Target};
use crate::post::Location;
use crate::text::{TextSpan, sanitize_for_terminal};

use super::{Report, ReportFormat};

/// The formats [`LinePrinter`] prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFormat {
    Concise,
    Jsonl,
    Github,
}

impl LineFormat {
    /// The line format `format` is, if it is one.
    pub fn of(format: ReportFormat) -> Option<LineFormat> {
        match format {
            ReportFormat::Concise => Some(LineFormat::Concise),
            ReportFormat::Jsonl => Some(LineFormat::Jsonl),
            ReportFormat::Github => Some(LineFormat::Github),
            ReportFormat::Human
            | ReportFormat::Json
            | ReportFormat::Sarif
            | ReportFormat::Junit
            | ReportFormat::Html => None,
        }
    }
}

/// Prints a line format a batch of posts at a time: [`LinePrinter::posts`] for each report of
/// a batch (or the one report of a whole run), then [`LinePrinter::finish`] once. The lines and
/// their order are the same however the posts were batched.
#[derive(Debug)]
pub struct LinePrinter {
    format: LineFormat,
    /// `github`: the notices of suppressions that suppress nothing, printed last (one per
    /// unused suppression, so few).
    notices: Vec<String>,
}

impl LinePrinter {
    pub fn new(format: LineFormat) -> LinePrinter {
        LinePrinter {
            format,
            notices: Vec::new(),
        }
    }

    /// Prints the findings of `report`'s posts, in post order; keeps what comes last.
    pub fn posts(&mut self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        for finding in report
            .analysis
            .posts
            .iter()
            .flat_map(|post| post.findings())
        {
            self.finding(report, finding, out)?;
        }
        if self.format == LineFormat::Github {
            for (index, analysis) in report.analysis.posts.iter().enumerate() {
                for id in analysis.unused_allow() {
                    self.notices.push(unused_allow_notice(report, index, id));
                }
            }
        }
        Ok(())
    }

    /// Prints the account findings of `report` (the run's, or the end of a streamed run's),
    /// then what was kept for the end.
    pub fn finish(self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        for finding in &report.analysis.account_findings {
            self.finding(report, finding, out)?;
        }
        for notice in &self.notices {
            writeln!(out, "{notice}")?;
        }
        Ok(())
    }

    fn finding(
        &self,
        report: &Report<'_>,
        finding: &Finding,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self.format {
            LineFormat::Concise => writeln!(out, "{}", concise_line(report, finding)),
            LineFormat::Jsonl => super::json::write_line(report, finding, out),
            LineFormat::Github => writeln!(out, "{}", github_line(report, finding)),
        }
    }
}

/// Prints a whole report in a line format.
pub fn write(report: &Report<'_>, format: LineFormat, out: &mut dyn Write) -> io::Result<()> {
    let mut printer = LinePrinter::new(format);
    printer.posts(report, out)?;
    printer.finish(report, out)
}

/// Where a finding points in a file.
struct Place {
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    /// `record N (id X)`, for findings in structured files without a line.
    record: Option<String>,
}

fn place(report: &Report<'_>, finding: &Finding) -> Option<Place> {
    match &finding.target {
        Target::Post { post, span } => Some(post_place(report, *post, Some(span))),
        Target::Account { evidence } => Some(post_place(report, *evidence.first()?, None)),
    }
}

/// Where post `index` is, at `span` of its text or at its start.
fn post_place(report: &Report<'_>, index: usize, span: Option<&TextSpan>) -> Place {
    let post = &report.corpus.posts[index];
    let path = report.corpus.sources[post.origin.source as usize]
        .path
        .clone();
    let (line, column) = match (post.origin.location, span) {
        (Location::Text { .. }, Some(span)) => {
            match Report::file_position(post, span.line, span.column) {
                Some((line, column)) => (Some(line), Some(column)),
                None => (None, None),
            }
        }
        (Location::Text { line, column }, None) => (Some(line as usize), Some(column as usize)),
        (Location::Record { line, .. }, _) => (line.map(|line| line as usize), None),
    };
    let record = matches!(post.origin.location, Location::Record { .. })
        .then(|| Report::place_in_source(post));
    Place {
        path,
        line,
        column,
        record,
    }
}

/// One finding as `concise` prints it, without the line break (JUnit failures start with it).
pub(super) fn concise_line(report: &Report<'_>, finding: &Finding) -> String {
    let rule = &report.engine.rules()[finding.rule].id;
    let mut location = String::new();
    if let Some(place) = place(report, finding) {
        location.push_str(&place.path);
        for number in [place.line, place.column].into_iter().flatten() {
            location.push_str(&format!(":{number}"));
        }
        if let Some(record) = place.record {
            location.push_str(&format!(": {record}"));
        }
    }
    if matches!(finding.target, Target::Account { .. }) {
        location.push_str(" (account)");
    }
    format!(
        "{}: {}[{rule}] {}",
        sanitize_for_terminal(&location, false),
        finding.severity.as_str(),
        sanitize_for_terminal(&finding.message, false)
    )
}

/// One finding as `github` prints it: a workflow command (`::warning file=…,line=…::message`),
/// which GitHub Actions shows as an annotation on the file and line.
fn github_line(report: &Report<'_>, finding: &Finding) -> String {
    let rule = &report.engine.rules()[finding.rule].id;
    let level = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    let mut message = finding.message.clone();
    if let Some(place) = place(report, finding) {
        properties.push(format!("file={}", escape_property(&place.path)));
        if let Some(line) = place.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = place.column {
            properties.push(format!("col={column}"));
        }
        if let Some(record) = place.record {
            message = format!("{record}: {message}");
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("hygiene {rule}"))
    ));
    message = format!("{message}\n{}", finding.suggestion);
    format!(
        "::{level} {}::{}",
        properties.join(","),
        escape_data(&sanitize_for_terminal(&message, true))
    )
}

/// A suppression of rule `id` on post `index` that suppresses nothing, as a `github` notice, so
/// a CI-only reader sees it too.
fn unused_allow_notice(report: &Report<'_>, index: usize, id: &str) -> String {
    let place = post_place(report, index, None);
    let mut properties = vec![format!("file={}", escape_property(&place.path))];
    properties.extend(place.line.map(|line| format!("line={line}")));
    properties.push(format!(
        "title={}",
        escape_property("hygiene unused suppression")
    ));
    let message = match &place.record {
        Some(record) => format!("{record}: {}", super::unused_allow_message(id)),
        None => super::unused_allow_message(id),
    };
    format!(
        "::notice {}::{}",
        properties.join(","),
        escape_data(&sanitize_for_terminal(&message, true))
    )
}

/// Escapes a workflow command's message, as the Actions toolkit does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value, as the Actions toolkit does.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(escape_data("50% off\nnow"), "50%25 off%0Anow");
        assert_eq!(escape_property("a:b,c.json"), "a%3Ab%2Cc.json");
    }
}
