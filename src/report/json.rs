//! The JSON report: one document with `"version": 1`, built from serialize-only wire structs so
//! the output contract is written down in one place (and documented in README, "JSON output").
//! Fields are only ever added within a version; renaming or removing one bumps `version`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::Report;
use crate::engine::{AccountOutcome, PostAnalysis};
use crate::finding::{Applicability, Finding, Severity, Target};
use crate::fix::FixPlan;
use crate::post::{Location, Post};
use crate::score::Evidence;
use crate::text::{CharCounter, TextSpan};

/// Version of the JSON report format.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    sources: Vec<SourceOut<'a>>,
    /// Files found in folders or archives that hold no posts in a known format.
    skipped: &'a [String],
    summary: Summary<'a>,
    score: ScoreOut<'a>,
    account: AccountOut<'a>,
    // The last fields, written by [`write`] after these: `posts`, every post with its
    // analysis, and `fixes`, what `--fix` wrote before the inputs were read again (only with
    // `--fix`).
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    path: &'a str,
    format: &'static str,
    posts: usize,
}

#[derive(Serialize)]
struct Summary<'a> {
    posts: usize,
    findings: usize,
    /// Findings left out because the `--baseline` records them.
    baselined: usize,
    by_severity: BTreeMap<&'static str, usize>,
    by_rule: BTreeMap<&'a str, usize>,
}

#[derive(Serialize)]
struct ScoreOut<'a> {
    value: f64,
    verdict: &'static str,
    verdict_text: &'static str,
    deductions: Vec<DeductionOut<'a>>,
    categories: Vec<CategoryOut>,
}

#[derive(Serialize)]
struct DeductionOut<'a> {
    rule: &'a str,
    category: &'a str,
    points: f64,
    #[serde(flatten)]
    evidence: EvidenceOut,
}

#[derive(Serialize)]
#[serde(tag = "scope", rename_all = "lowercase")]
enum EvidenceOut {
    Posts { hits: usize, eligible: usize },
    Account { findings: usize },
}

#[derive(Serialize)]
struct CategoryOut {
    category: &'static str,
    points: f64,
    cap: f64,
    applied: f64,
}

#[derive(Serialize)]
struct AccountOut<'a> {
    outcomes: Vec<OutcomeOut<'a>>,
    findings: Vec<FindingOut<'a>>,
}

#[derive(Serialize)]
struct OutcomeOut<'a> {
    rule: &'a str,
    judged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratio: Option<RatioOut<'a>>,
}

#[derive(Serialize)]
struct RatioOut<'a> {
    label: &'a str,
    count: usize,
    among: &'a str,
    total: usize,
    share: f64,
    limit: &'static str,
    threshold: f64,
}

#[derive(Serialize)]
struct PostOut<'a> {
    index: usize,
    id: Option<&'a str>,
    origin: OriginOut<'a>,
    kind: &'static str,
    platform: Option<&'static str>,
    /// The post's length on its platform (the post's, else `--platform`) and the limit it was
    /// checked against; null without a platform.
    length: Option<LengthOut>,
    to: Option<&'a str>,
    created_at: Option<String>,
    /// Written by someone else (a received DM); judged only with `--include-received`.
    received: bool,
    judged: bool,
    /// Link targets the input knew (expanded short links).
    links: &'a [String],
    score: f64,
    traits: Vec<&'a str>,
    findings: Vec<FindingOut<'a>>,
    /// Rules whose finding the post's own suppression (`"hygiene": {"allow": …}`) left out.
    suppressed: Vec<&'a str>,
    /// Rules the post's suppression names that found nothing to suppress.
    unused_allow: &'a [String],
}

#[derive(Serialize)]
struct LengthOut {
    platform: &'static str,
    value: usize,
    limit: usize,
    unit: &'static str,
}

#[derive(Serialize)]
struct OriginOut<'a> {
    path: &'a str,
    /// First line of the post (text), or line of the record (JSON Lines).
    line: Option<u32>,
    /// 1-based record number (JSON, JSON Lines).
    record: Option<u32>,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    suggestion: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<SpanOut>,
    /// Line and column in the file, when the post's text is a verbatim slice of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    file_position: Option<FilePosition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Vec<EvidencePost<'a>>>,
    /// The edit that resolves the finding, when one is certain (post findings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixOut<'a>>,
}

#[derive(Serialize)]
struct FixOut<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    /// Half-open, into the post text, like a span.
    bytes: [usize; 2],
    chars: [usize; 2],
    replacement: &'a str,
}

/// What `--fix` did, present only with `--fix`.
#[derive(Serialize)]
struct FixesOut<'a> {
    fixed: Vec<FixedOut<'a>>,
    not_fixed: Vec<NotFixedOut<'a>>,
}

#[derive(Serialize)]
struct FixedOut<'a> {
    path: &'a str,
    fixes: usize,
}

#[derive(Serialize)]
struct NotFixedOut<'a> {
    path: &'a str,
    fixes: usize,
    reason: &'a str,
}

#[derive(Serialize)]
struct SpanOut {
    bytes: [usize; 2],
    chars: [usize; 2],
    graphemes: [usize; 2],
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct FilePosition {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct EvidencePost<'a> {
    post: usize,
    id: Option<&'a str>,
    origin: OriginOut<'a>,
}

/// One line of the `jsonl` format: a finding with the post it is about.
#[derive(Serialize)]
struct FindingLine<'a> {
    version: u32,
    /// Index of the post (post findings), null for account findings.
    post: Option<usize>,
    id: Option<&'a str>,
    origin: Option<OriginOut<'a>>,
    #[serde(flatten)]
    finding: FindingOut<'a>,
}

/// Writes one finding as a line of `--format jsonl`: the fields of a finding in the document's
/// `findings`, with its post's index, id and origin (null for an account finding). The line
/// printer ([`super::lines::LinePrinter`]) decides which findings, in which order.
pub(super) fn write_line(
    report: &Report<'_>,
    finding: &Finding,
    out: &mut dyn Write,
) -> io::Result<()> {
    let post = match &finding.target {
        Target::Post { post, .. } => Some(&report.corpus.posts[*post]),
        Target::Account { .. } => None,
    };
    let line = FindingLine {
        version: VERSION,
        post: match &finding.target {
            Target::Post { post, .. } => Some(report.post_number(*post)),
            Target::Account { .. } => None,
        },
        id: post.and_then(|post| post.id.as_deref()),
        origin: post.map(|post| origin_out(report, post)),
        finding: finding_out(report, finding),
    };
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)
}

/// Writes the JSON report, followed by a newline.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    // The document without its posts, left open for them and written as it is printed: with a
    // million posts, its account findings' evidence alone is 60 MB of JSON, and printing it
    // into a buffer first made the peak memory of the whole run. Buffered: serde_json writes a
    // token at a time.
    let mut head = io::BufWriter::with_capacity(1 << 16, &mut *out);
    document(report).serialize(&mut serde_json::Serializer::with_formatter(
        &mut head,
        Nested {
            level: 0,
            has_value: false,
            leave_open: true,
        },
    ))?;
    head.flush()?;
    drop(head);
    out.write_all(b",\n  \"posts\": ")?;
    write_posts(report, out)?;
    if let Some(plan) = report.fixes {
        out.write_all(b",\n  \"fixes\": ")?;
        out.write_all(&pretty(&fixes_out(plan), 1)?)?;
    }
    out.write_all(b"\n}\n")
}

/// Posts rendered at a time (see [`write_posts`]).
const POSTS_PER_BATCH: usize = 1024;

/// The `posts` array: every post with its analysis, as `serde_json` prints it pretty at that
/// depth. Posts are rendered on all cores, [`POSTS_PER_BATCH`] at a time, and written in order
/// while the next batch is rendered: a report of a million posts never holds them all as wire
/// structs or text, and writing it is no serial tail as long as checking all the posts on one
/// core. A run of at least [`POSTS_PER_BUFFER`] posts is rendered into one buffer, not a
/// buffer a post, which a post with findings grew past its first kilobyte (7M of 2,014M
/// instructions on 20k posts).
fn write_posts(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let posts = &report.corpus.posts;
    if posts.is_empty() {
        return out.write_all(b"[]");
    }
    let render = |start: usize| -> io::Result<Vec<Vec<u8>>> {
        let end = posts.len().min(start + POSTS_PER_BATCH);
        (start..end)
            .into_par_iter()
            .with_min_len(POSTS_PER_BUFFER)
            .try_fold(Vec::new, |mut json, index| {
                json.extend_from_slice(if index == 0 { b"\n    " } else { b",\n    " });
                let post = post_out(report, index, &posts[index], &report.analysis.posts[index]);
                write_pretty(&mut json, &post, 2)?;
                io::Result::Ok(json)
            })
            .collect()
    };
    out.write_all(b"[")?;
    let mut rendered = render(0)?;
    for start in (0..posts.len()).step_by(POSTS_PER_BATCH) {
        let next = start + POSTS_PER_BATCH;
        let mut following = None;
        // In place: the output stays on this thread, the next batch goes to the pool.
        rayon::in_place_scope(|scope| {
            if next < posts.len() {
                scope.spawn(|_| following = Some(render(next)));
            }
            rendered.iter().try_for_each(|json| out.write_all(json))
        })?;
        rendered = following.transpose()?.unwrap_or_default();
    }
    out.write_all(b"\n  ]")
}

/// Posts rendered into one buffer, at least (see [`write_posts`]).
const POSTS_PER_BUFFER: usize = 64;

/// `value` as pretty JSON nested `depth` levels deep: every line after the first indented by
/// that many levels of two spaces, as `serde_json` indents.
fn pretty(value: &impl Serialize, depth: usize) -> io::Result<Vec<u8>> {
    let mut json = Vec::with_capacity(1024);
    write_pretty(&mut json, value, depth)?;
    Ok(json)
}

/// [`pretty`], appended to `json`.
fn write_pretty(json: &mut Vec<u8>, value: &impl Serialize, depth: usize) -> io::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(
        json,
        Nested {
            level: depth,
            has_value: false,
            leave_open: false,
        },
    ))?;
    Ok(())
}

/// Levels of indent [`LINE`] holds.
const MAX_INDENT: usize = 16;

/// A comma, a line break and [`MAX_INDENT`] levels of indent: what [`Nested::line`] writes
/// slices of.
const LINE: [u8; 2 + 2 * MAX_INDENT] = {
    let mut line = [b' '; 2 + 2 * MAX_INDENT];
    line[0] = b',';
    line[1] = b'\n';
    line
};

/// `serde_json`'s pretty formatter, starting `level` levels deep: printing pretty and then
/// indenting every line was a second pass over every byte of the report (700 MB at 1M posts).
/// With `leave_open`, the outermost object or array is not closed (neither its last line
/// break nor its bracket is written), so more can be written into it.
struct Nested {
    level: usize,
    has_value: bool,
    leave_open: bool,
}

impl Nested {
    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.leave_open && self.level == 0 {
            return Ok(());
        }
        if self.has_value {
            self.line(writer, true)?;
        }
        writer.write_all(bracket)
    }

    /// A line break (after a comma unless `first`) and the indent of the current level, in
    /// one write as deep as reports go (a write for each level: 16M of 2,030M instructions on
    /// 20k posts).
    fn line<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        let levels = self.level.min(MAX_INDENT);
        let line = &LINE[usize::from(first)..2 + 2 * levels];
        writer.write_all(line)?;
        (levels..self.level).try_for_each(|_| writer.write_all(b"  "))
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn post_out<'a>(
    report: &'a Report<'a>,
    index: usize,
    post: &'a Post,
    analysis: &'a PostAnalysis,
) -> PostOut<'a> {
    let score = report.score;
    PostOut {
        index: report.post_number(index),
        id: post.id.as_deref(),
        origin: origin_out(report, post),
        kind: post.kind.as_str(),
        platform: post.platform.map(|platform| platform.as_str()),
        length: report
            .engine
            .platform_of(post, report.corpus.sources.get(post.origin.source as usize))
            .map(|platform| {
                let length =
                    crate::platform::measure(&crate::platform::Entities::new(&post.text), platform);
                LengthOut {
                    platform: platform.as_str(),
                    value: length.value,
                    limit: length.limit,
                    unit: length.unit.as_str(),
                }
            }),
        to: post.to(),
        created_at: post.created_at.map(|time| time.to_rfc3339()),
        received: post.received,
        judged: analysis.judged(),
        links: post.links(),
        score: score.posts[index],
        traits: analysis
            .traits
            .ids()
            .map(|id| report.engine.traits().name(id))
            .collect(),
        findings: analysis
            .findings()
            .iter()
            .map(|finding| finding_out(report, finding))
            .collect(),
        suppressed: analysis
            .suppressed()
            .iter()
            .map(|&rule| report.engine.rules()[rule].id.as_str())
            .collect(),
        unused_allow: analysis.unused_allow(),
    }
}

fn fixes_out(plan: &FixPlan) -> FixesOut<'_> {
    FixesOut {
        fixed: plan
            .changes
            .iter()
            .map(|change| FixedOut {
                path: &change.path,
                fixes: change.fixes,
            })
            .collect(),
        not_fixed: plan
            .not_applied
            .iter()
            .map(|skipped| NotFixedOut {
                path: &skipped.path,
                fixes: skipped.fixes,
                reason: &skipped.reason,
            })
            .collect(),
    }
}

fn document<'a>(report: &'a Report<'a>) -> Document<'a> {
    let rules = report.engine.rules();
    let [info, warning, error] = report.severity_counts();
    let by_severity = BTreeMap::from([("info", info), ("warning", warning), ("error", error)]);
    let by_rule = report
        .counts_by_rule()
        .into_iter()
        .map(|(rule, count)| (rules[rule].id.as_str(), count))
        .collect();
    let score = report.score;
    Document {
        version: VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        sources: report
            .corpus
            .sources
            .iter()
            .map(|source| SourceOut {
                path: &source.path,
                format: source.format.as_str(),
                posts: source.posts,
            })
            .collect(),
        skipped: &report.corpus.skipped,
        summary: Summary {
            posts: report.corpus.posts.len(),
            findings: info + warning + error,
            baselined: report.analysis.baselined.len(),
            by_severity,
            by_rule,
        },
        score: ScoreOut {
            value: score.value,
            verdict: score.verdict.id(),
            verdict_text: score.verdict.description(),
            deductions: score
                .deductions
                .iter()
                .map(|deduction| DeductionOut {
                    rule: &rules[deduction.rule].id,
                    category: deduction.category,
                    points: deduction.points,
                    evidence: match deduction.evidence {
                        Evidence::Posts { hits, eligible } => EvidenceOut::Posts { hits, eligible },
                        Evidence::Account { findings } => EvidenceOut::Account { findings },
                    },
                })
                .collect(),
            categories: score
                .categories
                .iter()
                .map(|loss| CategoryOut {
                    category: loss.category.name,
                    points: loss.points,
                    cap: loss.category.cap,
                    applied: loss.applied,
                })
                .collect(),
        },
        account: AccountOut {
            outcomes: report
                .analysis
                .account_outcomes
                .iter()
                .map(|(rule, outcome)| {
                    let rule = rules[*rule].id.as_str();
                    match outcome {
                        AccountOutcome::NotJudged { reason } => OutcomeOut {
                            rule,
                            judged: false,
                            reason: Some(reason),
                            ratio: None,
                        },
                        AccountOutcome::Judged { ratio } => OutcomeOut {
                            rule,
                            judged: true,
                            reason: None,
                            ratio: ratio.as_ref().map(|ratio| RatioOut {
                                label: &ratio.label,
                                count: ratio.count,
                                among: &ratio.among,
                                total: ratio.total,
                                share: (ratio.share() * 10_000.0).round() / 10_000.0,
                                limit: if ratio.at_most { "at-most" } else { "at-least" },
                                threshold: ratio.threshold,
                            }),
                        },
                    }
                })
                .collect(),
            findings: report
                .analysis
                .account_findings
                .iter()
                .map(|finding| finding_out(report, finding))
                .collect(),
        },
    }
}

fn origin_out<'a>(report: &Report<'a>, post: &Post) -> OriginOut<'a> {
    let path = report.corpus.sources[post.origin.source as usize]
        .path
        .as_str();
    match post.origin.location {
        Location::Text { line, .. } => OriginOut {
            path,
            line: Some(line),
            record: None,
        },
        Location::Record { record, line } => OriginOut {
            path,
            line,
            record: Some(record),
        },
    }
}

fn finding_out<'a>(report: &Report<'a>, finding: &'a Finding) -> FindingOut<'a> {
    let rule = &report.engine.rules()[finding.rule];
    let mut out = FindingOut {
        rule: &rule.id,
        severity: finding.severity,
        message: &finding.message,
        suggestion: &finding.suggestion,
        span: None,
        file_position: None,
        evidence: None,
        fix: None,
    };
    match &finding.target {
        Target::Post { post, span } => {
            let post = &report.corpus.posts[*post];
            out.fix = finding.fix.as_ref().map(|fix| FixOut {
                title: &fix.title,
                applicability: fix.applicability,
                edits: {
                    let mut counter = CharCounter::new(&post.text);
                    fix.edits
                        .iter()
                        .map(|edit| {
                            let chars = counter.range(edit.range.clone());
                            EditOut {
                                bytes: [edit.range.start, edit.range.end],
                                chars: [chars.start, chars.end],
                                replacement: &edit.replacement,
                            }
                        })
                        .collect()
                },
            });
            out.span = Some(span_out(span));
            out.file_position = Report::file_position(post, span.line, span.column)
                .map(|(line, column)| FilePosition { line, column });
        }
        Target::Account { evidence } => {
            out.evidence = Some(
                evidence
                    .iter()
                    .map(|&index| {
                        let post = &report.corpus.posts[index];
                        EvidencePost {
                            post: report.post_number(index),
                            id: post.id.as_deref(),
                            origin: origin_out(report, post),
                        }
                    })
                    .collect(),
            );
        }
    }
    out
}

fn span_out(span: &TextSpan) -> SpanOut {
    SpanOut {
        bytes: [span.bytes.start, span.bytes.end],
        chars: [span.chars.start, span.chars.end],
        graphemes: [span.graphemes.start, span.graphemes.end],
        line: span.line,
        column: span.column,
        end_line: span.end_line,
        end_column: span.end_column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Printed at depth 0 with `leave_open`, a value is serde_json's pretty print without its
    /// last line break and closing bracket; the brackets inside it are closed.
    #[test]
    fn the_outermost_bracket_can_be_left_open() {
        let value = serde_json::json!({"a": [1, {"b": []}], "c": {}});
        let mut json = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut json,
                Nested {
                    level: 0,
                    has_value: false,
                    leave_open: true,
                },
            ))
            .unwrap();
        let whole = serde_json::to_vec_pretty(&value).unwrap();
        assert_eq!(json, whole.strip_suffix(b"\n}").unwrap());
    }

    /// Indented as serde_json indents at every depth, deeper than [`LINE`] holds too.
    #[test]
    fn every_depth_is_indented_as_serde_json_does() {
        let mut value = serde_json::json!([1, "a"]);
        for depth in 0..2 * MAX_INDENT {
            value = if depth % 2 == 0 {
                serde_json::json!({"key": value, "next": depth})
            } else {
                serde_json::json!([value, depth, {}])
            };
        }
        let json = pretty(&value, 0).unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }
}
