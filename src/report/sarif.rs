//! The SARIF report (`--format sarif`): SARIF 2.1.0, the OASIS interchange format for static
//! analysis results that GitHub code scanning and SARIF viewers (editors, Azure DevOps) read.
//! One run: the rule catalogue as `tool.driver.rules`, a result per finding, the score in the
//! run's `properties`.
//!
//! Places, as precise as the input allows:
//! - a post that is a verbatim slice of a text file (text, Markdown, YAML): a region with start
//!   and end line and column of the match;
//! - a record of a line-oriented file (JSON Lines, CSV): a region with the record's line;
//! - a record of a JSON file: the file without a region;
//! - every record also gets a logical location naming it (`record 4 (id d1)`) and its record
//!   number and id in the location's properties; a post from standard input has only that.
//!
//! Files are `artifactLocation.uri`s: the path as given, relative (`/` between segments), or a
//! `file:` URI when absolute, percent-encoded. A file inside a zip archive is a nested artifact
//! (SARIF 3.24.3): its `uri` is the member's path in the archive, its `index` points into
//! `run.artifacts`, where it names the archive as its `parentIndex`.
//!
//! Columns count Unicode code points (`columnKind: unicodeCodePoints`), as every column hygiene
//! publishes does (see [`crate::text`]); lines end at `\n` or `\r\n`, SARIF's default.
//!
//! Each result carries the finding's baseline key as the partial fingerprint
//! `contentKey/v1`: it depends on the rule and the post's text, not on where the post is, so a
//! viewer that tracks results across runs follows a finding as `--baseline` does.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Report;
use crate::baseline;
use crate::finding::{Finding, Severity, Target};
use crate::post::{Location as PostLocation, Post, SourceKind};
use crate::rules::Rule;
use crate::text::TextSpan;

/// Where the SARIF 2.1.0 schema is published (OASIS, with Errata 01).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Longest `fullDescription` GitHub code scanning accepts, in characters.
const MAX_DESCRIPTION_CHARS: usize = 1024;

/// Most evidence posts an account result lists as related locations: GitHub code scanning
/// rejects a file with more than 1,000 locations in one result and shows only 100.
const MAX_RELATED_LOCATIONS: usize = 100;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    artifacts: Vec<Artifact>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    /// The crate's homepage or repository, when Cargo.toml names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<RuleOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleOut<'a> {
    id: &'a str,
    name: String,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Help<'a>,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: Cow<'a, str>,
}

/// Rule help: the explanation is Markdown (what it does, why, examples, known problems).
#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    /// The rule's score category; code scanning filters by tags.
    tags: [&'a str; 1],
    points: f64,
}

#[derive(Serialize)]
struct RunProperties {
    score: f64,
    verdict: &'static str,
    #[serde(rename = "verdictText")]
    verdict_text: &'static str,
    posts: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_index: Option<usize>,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RecordProperties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    /// `record 4 (id d1)`, or `line 3` for a text post from standard input.
    name: String,
    /// With the file: `fixtures/example-account.json: record 4 (id d1)`.
    fully_qualified_name: String,
}

/// The record a location is in, for records of structured files.
#[derive(Serialize)]
struct RecordProperties<'a> {
    /// 1-based record number.
    record: u32,
    /// The post's id, when the input gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
}

/// Writes the SARIF log, followed by a newline.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}

fn log<'a>(report: &Report<'a>) -> Log<'a> {
    let artifacts = Artifacts::of(report);
    let results = report
        .findings()
        .map(|finding| result(report, &artifacts, finding))
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
                        .into_iter()
                        .find(|uri| !uri.is_empty()),
                    rules: report.engine.rules().iter().map(rule_out).collect(),
                },
            },
            artifacts: artifacts.list,
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                score: report.score.value,
                verdict: report.score.verdict.id(),
                verdict_text: report.score.verdict.description(),
                posts: report.corpus.posts.len(),
            },
        }],
    }
}

/// A rule of the catalogue, in the order of `Engine::rules`, so a finding's rule index is its
/// `ruleIndex`.
fn rule_out(rule: &Rule) -> RuleOut<'_> {
    RuleOut {
        id: &rule.id,
        name: pascal_case(&rule.id),
        short_description: Text {
            text: rule.summary.as_str().into(),
        },
        full_description: Text {
            text: full_description(&rule.explanation).into(),
        },
        help: Help {
            text: rule.explanation.trim_end(),
            markdown: rule.explanation.trim_end(),
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags: [&rule.category],
            points: rule.points,
        },
    }
}

/// `click-to-tweet` -> `ClickToTweet`: SARIF's readable rule name.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// What a rule does: the "What it does" section of its explanation (all of it, if it has no
/// such section), as many whole paragraphs as fit in GitHub's limit (the first one always).
fn full_description(explanation: &str) -> String {
    let section = match explanation.split_once("## What it does") {
        Some((_, rest)) => rest.split("\n## ").next().unwrap_or(rest),
        None => explanation,
    };
    let mut description = String::new();
    for paragraph in section.trim().split("\n\n") {
        if !description.is_empty() {
            let length = description.chars().count() + 2 + paragraph.chars().count();
            if length > MAX_DESCRIPTION_CHARS {
                break;
            }
            description.push_str("\n\n");
        }
        description.push_str(paragraph);
    }
    description
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `run.artifacts`: every file read (a zip archive once, before its members), and the artifact
/// of each source. Standard input has none.
struct Artifacts {
    list: Vec<Artifact>,
    /// `of_source[i]` is the artifact of `Corpus::sources[i]`.
    of_source: Vec<Option<ArtifactLocation>>,
}

impl Artifacts {
    fn of(report: &Report<'_>) -> Artifacts {
        let mut list = Vec::new();
        let mut archives: BTreeMap<&str, usize> = BTreeMap::new();
        let of_source = report
            .corpus
            .sources
            .iter()
            .map(|source| match &source.kind {
                SourceKind::Stdin => None,
                SourceKind::File => Some(add(&mut list, path_uri(&source.path), None)),
                SourceKind::ArchiveMember { archive, member } => {
                    let parent = match archives.get(archive.as_str()) {
                        Some(&index) => index,
                        None => {
                            let index = add(&mut list, path_uri(archive), None).index;
                            archives.insert(archive, index);
                            index
                        }
                    };
                    Some(add(&mut list, percent_encode(member, false), Some(parent)))
                }
            })
            .collect();
        Artifacts { list, of_source }
    }
}

/// Appends an artifact at `uri` to `list` and returns its location.
fn add(list: &mut Vec<Artifact>, uri: String, parent_index: Option<usize>) -> ArtifactLocation {
    let location = ArtifactLocation {
        uri,
        index: list.len(),
    };
    list.push(Artifact {
        location: location.clone(),
        parent_index,
    });
    location
}

fn result<'a>(report: &Report<'a>, artifacts: &Artifacts, finding: &'a Finding) -> SarifResult<'a> {
    let rule = &report.engine.rules()[finding.rule];
    let mut message = format!("{}\n{}", finding.message, finding.suggestion);
    let (locations, related_locations) = match &finding.target {
        Target::Post { post, span } => (
            vec![post_location(report, artifacts, *post, Some(span))],
            Vec::new(),
        ),
        // An account finding has no single place. Code scanning shows a result only at its
        // first location and links related locations only where the message embeds them, so
        // the result sits on the first post of its evidence (as in the other formats), every
        // evidence post is a related location, and the message links to each.
        Target::Account { evidence } => {
            let shown = &evidence[..evidence.len().min(MAX_RELATED_LOCATIONS)];
            let one_source = shown
                .windows(2)
                .all(|pair| source_of(report, pair[0]) == source_of(report, pair[1]));
            let mut links = Vec::new();
            let related: Vec<Location<'a>> = shown
                .iter()
                .enumerate()
                .map(|(number, &index)| {
                    let post = &report.corpus.posts[index];
                    let place = if one_source {
                        Report::place_in_source(post)
                    } else {
                        report.post_place(post)
                    };
                    let id = number + 1;
                    links.push(format!("[{}]({id})", escape_link_text(&place)));
                    Location {
                        id: Some(id),
                        message: Some(Text { text: place.into() }),
                        ..post_location(report, artifacts, index, None)
                    }
                })
                .collect();
            if !links.is_empty() {
                message.push_str(&format!("\nEvidence: {}", links.join(", ")));
                if evidence.len() > shown.len() {
                    message.push_str(&format!(" and {} more", evidence.len() - shown.len()));
                }
            }
            let first = evidence
                .first()
                .map(|&index| post_location(report, artifacts, index, None));
            (first.into_iter().collect(), related)
        }
    };
    SarifResult {
        rule_id: &rule.id,
        rule_index: finding.rule,
        level: level(finding.severity),
        message: Text {
            text: message.into(),
        },
        locations,
        related_locations,
        partial_fingerprints: BTreeMap::from([(
            "contentKey/v1",
            baseline::key(report.engine, report.corpus, finding),
        )]),
    }
}

fn source_of(report: &Report<'_>, post: usize) -> usize {
    report.corpus.posts[post].origin.source as usize
}

/// Where post `index` is: at `span` for a post finding, the whole post for evidence.
fn post_location<'a>(
    report: &Report<'a>,
    artifacts: &Artifacts,
    index: usize,
    span: Option<&TextSpan>,
) -> Location<'a> {
    let post: &'a Post = &report.corpus.posts[index];
    let artifact = artifacts.of_source[post.origin.source as usize].clone();
    let (region, record) = match post.origin.location {
        PostLocation::Text { .. } => {
            let whole;
            let span = match span {
                Some(span) => span,
                None => {
                    whole = TextSpan::new(&post.text, 0..post.text.len());
                    &whole
                }
            };
            let start = Report::file_position(post, span.line, span.column);
            let end = Report::file_position(post, span.end_line, span.end_column);
            let region = start.zip(end).map(
                |((start_line, start_column), (end_line, end_column))| Region {
                    start_line,
                    start_column: Some(start_column),
                    end_line: Some(end_line),
                    end_column: Some(end_column),
                },
            );
            (region, None)
        }
        PostLocation::Record { record, line } => {
            let region = line.map(|line| Region {
                start_line: line as usize,
                start_column: None,
                end_line: None,
                end_column: None,
            });
            let properties = RecordProperties {
                record,
                id: post.id.as_deref(),
            };
            (region, Some(properties))
        }
    };
    // Logical locations name what a physical one cannot show: the record, or the place in
    // standard input.
    let logical_locations = if record.is_some() || artifact.is_none() {
        vec![LogicalLocation {
            name: Report::place_in_source(post),
            fully_qualified_name: report.post_place(post),
        }]
    } else {
        Vec::new()
    };
    Location {
        id: None,
        physical_location: artifact.map(|artifact_location| PhysicalLocation {
            artifact_location,
            region,
        }),
        logical_locations,
        message: None,
        properties: record,
    }
}

/// Link text of an embedded link in a plain text message: `\`, `[` and `]` escaped (SARIF
/// 3.11.6).
fn escape_link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A path as given on the command line as a URI reference: a relative path stays relative,
/// an absolute one becomes a `file:` URI.
fn path_uri(path: &str) -> String {
    let absolute = std::path::Path::new(path).is_absolute();
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    if !absolute {
        return percent_encode(&path, false);
    }
    // `/home/x` -> `file:///home/x`, `C:/x` -> `file:///C:/x`, `//server/share` ->
    // `file://server/share`.
    let slashes = if path.starts_with("//") {
        ""
    } else if path.starts_with('/') {
        "//"
    } else {
        "///"
    };
    format!("file:{slashes}{}", percent_encode(&path, true))
}

/// Percent-encodes (as UTF-8) every byte a URI path may not hold raw: all but unreserved
/// characters, sub-delimiters, `@` and `/`, and `:` where `colon` allows it (a relative path's
/// first segment may not hold one, RFC 3986 4.2).
fn percent_encode(path: &str, colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        let raw = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&byte)
            || (colon && byte == b':');
        if raw {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_uri("fixtures/drafts.txt"), "fixtures/drafts.txt");
        assert_eq!(
            path_uri("my posts/été #1.txt"),
            "my%20posts/%C3%A9t%C3%A9%20%231.txt"
        );
        assert_eq!(path_uri("a:b.json"), "a%3Ab.json");
        assert_eq!(path_uri("100%.txt"), "100%25.txt");
        if cfg!(unix) {
            assert_eq!(path_uri("/tmp/a b.txt"), "file:///tmp/a%20b.txt");
            assert_eq!(path_uri("back\\slash.txt"), "back%5Cslash.txt");
        }
    }

    #[test]
    fn rule_names_and_descriptions() {
        assert_eq!(pascal_case("click-to-tweet"), "ClickToTweet");
        let text = "## What it does\n\nFirst.\n\nSecond.\n\n## Why is this bad?\n\nBecause.";
        assert_eq!(full_description(text), "First.\n\nSecond.");
        let long = format!(
            "## What it does\n\n{}\n\n{}",
            "a".repeat(1000),
            "b".repeat(100)
        );
        assert_eq!(full_description(&long), "a".repeat(1000));
        let engine = Engine::builtin().unwrap();
        for rule in engine.rules() {
            let description = full_description(&rule.explanation);
            assert!(
                !description.is_empty() && !description.contains("##"),
                "{}",
                rule.id
            );
            assert!(
                description.chars().count() <= MAX_DESCRIPTION_CHARS,
                "{}",
                rule.id
            );
        }
    }

    #[test]
    fn link_text_escapes_brackets() {
        assert_eq!(
            escape_link_text(r"record 1 (id [a]\b)"),
            r"record 1 (id \[a\]\\b)"
        );
    }
}
