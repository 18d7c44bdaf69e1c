//! `trait-share`: the share of public posts with a trait is past a limit, in either direction
//! (too many promotional posts; too few personal responses).

use anyhow::{Result, bail};
use serde::Deserialize;

use super::{AccountCheck, AccountHit, AccountInput, Judgement, Ratio, percent, require_trait};
use crate::rules::{TraitId, TraitRegistry};

/// Which side of the threshold is healthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Limit {
    AtMost,
    AtLeast,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// The trait counted.
    #[serde(rename = "trait")]
    counted: String,
    /// How the report describes the counted posts: "N of M public posts are {label}".
    label: String,
    /// Whether the share must stay at most or at least `share`.
    limit: Limit,
    /// The threshold share, 0–1.
    share: f64,
    /// Fewest public posts to judge an account on.
    min_posts: usize,
    /// Posts with this trait are the evidence of a finding (default: the counted trait).
    #[serde(default)]
    evidence_trait: Option<String>,
}

#[derive(Debug)]
pub(super) struct TraitShare {
    options: Options,
    counted: TraitId,
    evidence: TraitId,
}

/// Placeholders a `trait-share` rule's `account_message` may use.
pub(super) const PLACEHOLDERS: &[&str] = &["count", "total", "percent", "threshold"];

impl TraitShare {
    pub(super) fn new(options: Options, traits: &TraitRegistry) -> Result<Self> {
        if !(0.0..=1.0).contains(&options.share) {
            bail!(
                "option `share` must be between 0 and 1, found {}",
                options.share
            );
        }
        let counted = require_trait(traits, &options.counted)?;
        let evidence = match &options.evidence_trait {
            Some(name) => require_trait(traits, name)?,
            None => counted,
        };
        Ok(TraitShare {
            options,
            counted,
            evidence,
        })
    }
}

impl AccountCheck for TraitShare {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["share", "min_posts"]
    }

    fn reads_traits(&self) -> bool {
        true
    }

    fn run(&self, input: AccountInput<'_>) -> Judgement {
        let public: Vec<usize> = input
            .judged_posts()
            .filter(|&index| input.posts[index].kind.is_public_authored())
            .collect();
        if public.len() < self.options.min_posts {
            return Judgement::NotJudged {
                reason: format!(
                    "needs at least {} public posts, found {}",
                    self.options.min_posts,
                    public.len()
                ),
            };
        }
        let with = |id: TraitId| -> Vec<usize> {
            public
                .iter()
                .copied()
                .filter(|&index| input.traits[index].contains(id))
                .collect()
        };
        let counted = with(self.counted);
        let ratio = Ratio {
            label: self.options.label.clone(),
            count: counted.len(),
            among: "public posts".to_string(),
            total: public.len(),
            threshold: self.options.share,
            at_most: self.options.limit == Limit::AtMost,
        };
        let hits = if ratio.is_past_threshold() {
            let evidence = if self.evidence == self.counted {
                counted
            } else {
                with(self.evidence)
            };
            vec![AccountHit {
                values: vec![
                    ("count", ratio.count.to_string()),
                    ("total", ratio.total.to_string()),
                    ("percent", format!("{}%", percent(ratio.share()))),
                    ("threshold", format!("{}%", percent(ratio.threshold))),
                ],
                evidence,
            }]
        } else {
            Vec::new()
        };
        Judgement::Judged {
            ratio: Some(ratio),
            hits,
        }
    }
}
