//! Builtin checks: the logic that patterns cannot express, named by rule files (`builtin =
//! "..."`).
//!
//! - A [`PostCheck`] looks at one post (counting hashtags, measuring length against a platform's
//!   limit, …) and returns the span to mark and the values for the rule's `message`.
//! - An [`AccountCheck`] reads every post with its traits (computed by the engine) and returns
//!   whether it could judge the account, the ratio it judged, and its findings with the posts
//!   that are their evidence. Account checks aggregate traits; they do not re-scan texts for the
//!   things traits already say.
//!
//! Each check has typed options; their defaults are written in the rule file, so a rule's
//! behaviour is documented in one place.

mod duplicate_post;
mod fancy_text;
mod hashtag_case;
mod link_domains;
mod link_only;
mod platform_checks;
mod post_burst;
mod repeated_template;
mod shouting;
mod tracking_parameters;
mod trait_share;

use std::fmt;
use std::ops::Range;

use anyhow::{Result, anyhow, bail};
use serde::de::DeserializeOwned;

use crate::finding::Fix;
use crate::platform::Entities;
use crate::post::{Platform, Post};

use super::{TraitRegistry, TraitSet};

/// What a post check sees: the post, its traits, and the platform it is for (the post's own,
/// else the one the user named).
#[derive(Debug, Clone, Copy)]
pub struct PostInput<'a> {
    pub post: &'a Post,
    pub traits: TraitSet,
    /// Byte ranges of the links in the post's text, found once by the engine.
    pub links: &'a [Range<usize>],
    /// The text's twitter-text entities, found when a check first asks for them.
    pub entities: &'a Entities<'a>,
    pub platform: Option<Platform>,
    /// Read from a platform's export of published posts: the platform accepted it as it is.
    pub published: bool,
}

/// What a post check found: where, the values for the rule's `message` placeholders, and the
/// fix, when the check has one and it is certain for this post.
#[derive(Debug, Clone, PartialEq)]
pub struct PostHit {
    /// Byte range in the post text to mark (may be empty, at the place the problem is).
    pub range: Range<usize>,
    pub values: Vec<(&'static str, String)>,
    pub fix: Option<Fix>,
}

/// A post-level check.
pub trait PostCheck: fmt::Debug + Send + Sync {
    /// The placeholders this check fills in the rule's `message`.
    fn placeholders(&self) -> &'static [&'static str];

    /// The options a user may change (`--rule-option`); the others define the rule.
    fn tunable(&self) -> &'static [&'static str];

    /// Checks one post of a kind the rule looks at.
    fn check(&self, input: PostInput<'_>) -> Option<PostHit>;

    /// What the check's fixes do, for checks whose hits may carry one (`hygiene explain`).
    fn fix_summary(&self) -> Option<&'static str> {
        None
    }
}

/// Runs `check` on a post of `text` (kind post, no traits or platform) with these `links` from
/// an export: what the post checks' unit tests need.
#[cfg(test)]
fn check_text(check: &dyn PostCheck, text: &str, links: &[&str]) -> Option<PostHit> {
    use crate::post::{Location, Origin, PostKind};
    let origin = Origin {
        source: 0,
        location: Location::Record {
            record: 1,
            line: None,
        },
    };
    let mut post = Post::new(text.to_string(), PostKind::Post, origin);
    post.set_links(
        links
            .iter()
            .map(|link| link.to_string())
            .collect::<Vec<_>>(),
    );
    let ranges: Vec<Range<usize>> = crate::engine::link_ranges(text).collect();
    check.check(PostInput {
        post: &post,
        traits: TraitSet::default(),
        links: &ranges,
        entities: &Entities::new(&post.text),
        platform: None,
        published: false,
    })
}

/// A built check, of either scope.
#[derive(Debug)]
pub enum Builtin {
    Post(Box<dyn PostCheck>),
    Account(Box<dyn AccountCheck>),
}

impl Builtin {
    /// The options a user may change.
    pub fn tunable(&self) -> &'static [&'static str] {
        match self {
            Builtin::Post(check) => check.tunable(),
            Builtin::Account(check) => check.tunable(),
        }
    }
}

/// What an account check sees: every post, and the traits the engine gave each (when the check
/// reads them).
#[derive(Debug, Clone, Copy)]
pub struct AccountInput<'a> {
    pub posts: &'a [Post],
    /// `traits[i]` belongs to `posts[i]`; empty for a check that does not read traits
    /// ([`AccountCheck::reads_traits`]).
    pub traits: &'a [TraitSet],
    /// `judged[i]`: whether `posts[i]` is judged (received messages are not, by default).
    pub judged: &'a [bool],
    /// `platforms[i]`: the platform `posts[i]` is judged for (its own, else its file's or the
    /// run's), see `Engine::platform_of`.
    pub platforms: &'a [Option<Platform>],
    /// When set, the checks look at these posts only (indexes, ascending): one month's, for
    /// the score per month. Indexes, evidence included, stay indexes into `posts`.
    pub only: Option<&'a [usize]>,
}

impl AccountInput<'_> {
    /// Indexes of the judged posts (of the `only` ones, when set), ascending. Checks find
    /// their posts here, never by walking `posts`.
    pub fn judged_posts(&self) -> impl Iterator<Item = usize> + '_ {
        let (all, only) = match self.only {
            None => (0..self.posts.len(), &[][..]),
            Some(only) => (0..0, only),
        };
        all.chain(only.iter().copied())
            .filter(|&index| self.judged[index])
    }
}

/// A ratio an account check judged, for the report's headline figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratio {
    /// What the counted posts are ("promotional"): "N of M public posts are {label}".
    pub label: String,
    pub count: usize,
    /// What it is counted among ("public posts").
    pub among: String,
    pub total: usize,
    /// The threshold share (0–1).
    pub threshold: f64,
    /// Whether the share must stay at most (`true`) or at least (`false`) the threshold.
    pub at_most: bool,
}

impl Ratio {
    /// The share, 0–1 (0 when there is nothing to count among).
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.count as f64 / self.total as f64
        }
    }

    /// Whether the share is past its threshold, compared in whole percent as reported.
    pub fn is_past_threshold(&self) -> bool {
        let share = percent(self.share());
        let threshold = percent(self.threshold);
        if self.at_most {
            share > threshold
        } else {
            share < threshold
        }
    }
}

/// A share as a whole percentage, the precision the report shows.
pub fn percent(share: f64) -> u32 {
    (share * 100.0).round() as u32
}

/// One account-level finding of a check.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountHit {
    /// Values for the placeholders of the rule's `account_message`.
    pub values: Vec<(&'static str, String)>,
    /// Posts (indexes) that are the evidence.
    pub evidence: Vec<usize>,
}

/// What an account check concluded.
#[derive(Debug, Clone, PartialEq)]
pub enum Judgement {
    /// Not enough evidence to judge; `reason` says what was missing.
    NotJudged { reason: String },
    /// Judged; `ratio` is the headline figure, if the check has one.
    Judged {
        ratio: Option<Ratio>,
        hits: Vec<AccountHit>,
    },
}

/// An account-level check.
pub trait AccountCheck: fmt::Debug + Send + Sync {
    /// The placeholders this check fills in the rule's `account_message`.
    fn placeholders(&self) -> &'static [&'static str];

    /// The options a user may change (`--rule-option`); the others define the rule.
    fn tunable(&self) -> &'static [&'static str];

    /// Whether the check reads `AccountInput::traits`. A check that does not is run while the
    /// posts are analysed, before their traits are known, and is given none; or, when texts are
    /// released as the posts are analysed (`Engine::run_releasing_texts`), before. A check that
    /// reads traits must not read the posts' texts: it runs once they may be gone.
    fn reads_traits(&self) -> bool;

    /// Judges the account.
    fn run(&self, input: AccountInput<'_>) -> Judgement;
}

/// Builds the builtin `name` with `options` (the rule file's, with overrides applied).
pub fn build(name: &str, options: toml::Table, traits: &TraitRegistry) -> Result<Builtin> {
    let check = match name {
        "trait-share" => Builtin::Account(Box::new(trait_share::TraitShare::new(
            parse(options)?,
            traits,
        )?)),
        "repeated-dm-template" => Builtin::Account(Box::new(
            repeated_template::RepeatedTemplate::dms(parse(options)?)?,
        )),
        "repeated-reply-template" => Builtin::Account(Box::new(
            repeated_template::RepeatedTemplate::replies(parse(options)?)?,
        )),
        "near-duplicates" => Builtin::Account(Box::new(duplicate_post::NearDuplicates::new(
            parse(options)?,
        )?)),
        "platform-length" => {
            Builtin::Post(Box::new(parse::<platform_checks::OverLength>(options)?))
        }
        "invalid-characters" => Builtin::Post(Box::new(
            parse::<platform_checks::InvalidCharacters>(options)?,
        )),
        "hashtag-count" => Builtin::Post(Box::new(platform_checks::HashtagCount::new(parse(
            options,
        )?)?)),
        "mention-count" => Builtin::Post(Box::new(platform_checks::MentionCount::new(parse(
            options,
        )?)?)),
        "shouting" => Builtin::Post(Box::new(shouting::Shouting::new(parse(options)?)?)),
        "fancy-unicode-text" => {
            Builtin::Post(Box::new(fancy_text::FancyText::new(parse(options)?)?))
        }
        "link-only-post" => Builtin::Post(Box::new(link_only::LinkOnly::new(parse(options)?)?)),
        "link-domains" => Builtin::Post(Box::new(link_domains::LinkDomains::new(parse(options)?)?)),
        "hashtag-case" => Builtin::Post(Box::new(parse::<hashtag_case::HashtagCase>(options)?)),
        "tracking-parameters" => Builtin::Post(Box::new(
            tracking_parameters::TrackingParameters::new(parse(options)?)?,
        )),
        "post-burst" => Builtin::Account(Box::new(post_burst::PostBurst::new(parse(options)?)?)),
        other => bail!(
            "unknown builtin `{other}` (known: {})",
            BUILTIN_NAMES.join(", ")
        ),
    };
    Ok(check)
}

/// The names of the builtin checks.
const BUILTIN_NAMES: [&str; 15] = [
    "trait-share",
    "repeated-dm-template",
    "platform-length",
    "invalid-characters",
    "hashtag-count",
    "mention-count",
    "shouting",
    "fancy-unicode-text",
    "link-only-post",
    "link-domains",
    "tracking-parameters",
    "hashtag-case",
    "repeated-reply-template",
    "near-duplicates",
    "post-burst",
];

fn parse<T: DeserializeOwned>(options: toml::Table) -> Result<T> {
    toml::Value::Table(options)
        .try_into()
        .map_err(|error| anyhow!("invalid options: {error}"))
}

fn require_trait(traits: &TraitRegistry, name: &str) -> Result<super::TraitId> {
    traits
        .get(name)
        .ok_or_else(|| anyhow!("needs the trait `{name}`, which no rule defines"))
}
