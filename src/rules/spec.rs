//! The rule-file format: what `rules/<id>.toml` may contain, deserialized as written and checked
//! for unknown keys. Compiling a spec into something that runs is `rules::compile`'s job.

use serde::Deserialize;

use crate::finding::Severity;
use crate::post::{Platform, PostKind};

/// One rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Kebab-case id naming the problem; equal to the file stem.
    pub id: String,
    /// Scoring family; each category's deduction is capped (see `score`).
    pub category: String,
    pub severity: Severity,
    /// Score points a full-strength finding of this rule costs.
    pub points: f64,
    /// One line: what the rule catches.
    pub summary: String,
    /// Message of a post finding (required with `patterns`); `{match}` is replaced by the
    /// matched text, `{pattern}` by the label of the pattern that matched.
    #[serde(default)]
    pub message: Option<String>,
    /// Message of an account finding (required with `builtin`); the builtin names its
    /// placeholders.
    #[serde(default)]
    pub account_message: Option<String>,
    /// What to do instead (imperative).
    pub suggestion: String,
    /// Markdown with the headings What it does, Why is this bad?, Example, Use instead,
    /// Known problems.
    pub explanation: String,
    /// Post kinds the rule's patterns look at. Default: everything but reposts, whose text is
    /// someone else's.
    #[serde(default)]
    pub kinds: Option<Vec<PostKind>>,
    /// Post-level patterns: a post gets one finding of this rule at the earliest pattern match.
    #[serde(default)]
    pub patterns: Vec<PatternSpec>,
    /// Per-post classifications this rule defines for account-level rules to aggregate.
    #[serde(default)]
    pub traits: Vec<TraitSpec>,
    /// The Rust check this rule runs, on each post or on the account (see `rules::builtin`).
    #[serde(default)]
    pub builtin: Option<String>,
    /// Options of the builtin check; every option is written here with its default.
    #[serde(default)]
    pub options: toml::Table,
    /// Examples, run by the test suite.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
}

/// A text pattern with the conditions under which it counts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternSpec {
    /// What the pattern detects, in a few words (shown by `hygiene explain`).
    pub label: String,
    /// A regular expression (Rust `regex` syntax). When it has a group named `match`, the
    /// finding marks that group instead of the whole match.
    #[serde(default)]
    pub regex: Option<String>,
    /// Literal phrases: matched as whole words, any run of whitespace between words.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Instead of `regex`/`phrases`: fire on posts with this trait, marking where the trait's
    /// own patterns matched (so a phrase list lives in one place and several rules use it).
    #[serde(default)]
    pub marks_trait: Option<String>,
    /// Match letter case exactly (default: case-insensitive).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Post kinds this pattern looks at. Default: the rule's `kinds` for a rule's patterns,
    /// everything but reposts for a trait's patterns.
    #[serde(default)]
    pub kinds: Option<Vec<PostKind>>,
    /// The match counts only if the post also satisfies one of the `also_*` conditions (when
    /// any is given): matches one of these regexes ...
    #[serde(default)]
    pub also_regex: Vec<String>,
    /// ... has one of these traits ...
    #[serde(default)]
    pub also_traits: Vec<String>,
    /// ... or has at most this many words in all.
    #[serde(default)]
    pub also_words_at_most: Option<usize>,
    /// The match does not count if the post matches any of these regexes.
    #[serde(default)]
    pub unless_regex: Vec<String>,
    /// The match does not count if the post has any of these traits.
    #[serde(default)]
    pub unless_traits: Vec<String>,
    /// The fix a match of this pattern carries, when it is certain (see [`PatternFix`]).
    #[serde(default)]
    pub fix: Option<PatternFix>,
}

/// A fix a rule file may give a pattern: the finding at a match gets it when it is certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PatternFix {
    /// Delete the marked text, with the punctuation, brackets and spacing that belong to it,
    /// when it stands apart from the sentences around it (a prompt at the end of a line, after
    /// a sentence, or closed by `!` or `:`); never in the middle of a sentence, and never when
    /// nothing would be left (see `rules::fixes::remove_standalone`).
    Remove,
}

/// A per-post classification defined by patterns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraitSpec {
    /// Kebab-case trait name, as shown in JSON output.
    pub name: String,
    /// One line: what the trait means.
    pub summary: String,
    /// The post has the trait when any pattern matches ...
    #[serde(default)]
    pub patterns: Vec<PatternSpec>,
    /// ... or when it has any of these traits.
    #[serde(default)]
    pub implied_by: Vec<String>,
}

/// An example the test suite runs through the engine.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// A single post (for post rules and traits).
    #[serde(default)]
    pub text: Option<String>,
    /// Kind of the single post; default: inferred from the text as the readers do.
    #[serde(default)]
    pub kind: Option<PostKind>,
    /// Platform of the single post; default: none.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// A whole account (for account rules).
    #[serde(default)]
    pub posts: Vec<ExamplePost>,
    /// Findings of this rule expected.
    #[serde(default)]
    pub expect: Option<usize>,
    /// Of the traits this rule defines, exactly these are expected on the single post.
    #[serde(default)]
    pub traits: Option<Vec<String>>,
    /// Options overriding the rule's defaults for this example.
    #[serde(default)]
    pub options: toml::Table,
    /// The single post's text once the fix of this rule's finding is applied; absent means the
    /// finding has no fix (the test suite checks both).
    #[serde(default)]
    pub fixed: Option<String>,
    /// Why the example is here.
    #[serde(default)]
    pub note: Option<String>,
}

/// One post of an account example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplePost {
    pub text: String,
    #[serde(default)]
    pub kind: Option<PostKind>,
    /// Recipient, for DMs.
    #[serde(default)]
    pub to: Option<String>,
    /// How many copies of this post the account has (default 1).
    #[serde(default)]
    pub repeat: Option<usize>,
    /// When it was posted (RFC 3339), for account rules that look at time; copies made by
    /// `repeat` share it.
    #[serde(default)]
    pub created_at: Option<String>,
}
