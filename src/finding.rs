//! What a rule reports: a [`Finding`] is a plain value saying which rule, how serious, where
//! (a span of one post, or the account as a whole with the posts that are its evidence), what
//! is wrong and what to do instead. Printers and the scorer read findings; nothing mutates them.

use std::fmt;

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
    /// What to do instead (imperative).
    pub suggestion: String,
}
