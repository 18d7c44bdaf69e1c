//! What a rule reports: a [`Finding`] is a plain value saying which rule, how serious, where
//! (a span of one post, or the account as a whole with the posts that are its evidence), what
//! is wrong and what to do instead, and, for some, a [`Fix`]: the edit of the post's text that
//! resolves it. Printers and the scorer read findings; nothing mutates them.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::text::TextSpan;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice; never fails a run unless `--fail-on info`.
    Info,
    /// A habit worth fixing; fails a run by default.
    Warning,
    /// Something that should not be posted as is.
    Error,
}

impl Severity {
    /// The lowercase name used in rule files, on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One post (index into `Corpus::posts`), at `span` of its text.
    Post { post: usize, span: TextSpan },
    /// The account as a whole; `evidence` lists the posts (indexes) that led to it.
    Account { evidence: Vec<usize> },
}

/// One problem found by one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Index of the rule in the engine's rule list (see `Engine::rules`).
    pub rule: usize,
    pub severity: Severity,
    pub target: Target,
    /// What is wrong, specific to this finding.
    pub message: String,
    /// What to do instead (imperative): the rule's, shared, as every finding of a rule gives
    /// the same (a copy in each finding was 18 MB of a run over 1M posts).
    pub suggestion: Arc<str>,
    /// The edit that resolves the finding, when one is certain (see [`Fix`]).
    pub fix: Option<Fix>,
}

/// A change to a post's text that resolves a finding: what `hygiene check --fix` writes and
/// `--diff` shows. Edits are in the post's own text, like spans; where that text sits in its
/// file is the input layer's business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for people ("remove “Click to Tweet”").
    pub title: String,
    /// Non-overlapping edits, in text order; applied together or not at all.
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// Replace `range` (bytes of the post's text, half-open, on char boundaries) by `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// Whether a fix may be applied without a person looking at it.
///
/// Every fix hygiene makes today is [`Applicability::Safe`]: it keeps what the post says and
/// only takes out boilerplate or tracking, or changes letter case. The value is published in
/// the JSON report so that fixes `--fix` must not apply can be added later without changing
/// the contract; rules that call for judgement (is this reply generic? is this DM automated?)
/// carry no fix at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the post's meaning; `--fix` applies it.
    Safe,
}

impl Fix {
    /// A safe fix of one edit.
    pub fn safe(title: String, range: Range<usize>, replacement: String) -> Fix {
        Fix {
            title,
            edits: vec![Edit { range, replacement }],
            applicability: Applicability::Safe,
        }
    }

    /// `text` (the post's text) with the fix applied.
    pub fn apply_to(&self, text: &str) -> String {
        apply_edits(text, &self.edits)
    }
}

/// `text` with `edits` applied. The edits must be in text order, must not overlap, and must lie
/// in `text` on char boundaries.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.replacement);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

impl Edit {
    /// Whether two edits touch the same text (two insertions at one place do too), so they
    /// cannot both be applied in one pass.
    pub fn overlaps(&self, other: &Edit) -> bool {
        (self.range.start < other.range.end && other.range.start < self.range.end)
            || self.range.start == other.range.start
    }
}
