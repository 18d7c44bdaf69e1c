//! Explainable scoring, after SpamAssassin and Rspamd: every point lost is attributed to a rule
//! and its evidence, each category's loss is capped so one family of problems cannot dominate,
//! and the total maps to a verdict a person understands. One pure function, [`score`].
//!
//! - A post starts at 100 and loses each firing rule's `points`; per category the loss is capped.
//! - The account starts at 100. An account finding costs its rule's full `points`. A post rule
//!   costs the account its `points` scaled by how habitual it is: full points once it fires on
//!   [`HABIT_SHARE`] of the posts it looks at (at least one post), proportionally less below
//!   that, so one slip in a thousand posts costs little and a habit costs in full. Per category
//!   the loss is capped; the score is never below 0.
//! - Losses are rounded to one decimal, so the breakdown adds up to exactly what is shown.
//! - A month (when the engine checked months, `Analysis::months`) is scored as an account of
//!   its own: its posts, and the findings of the account checks run over them.

use serde::Serialize;

use crate::engine::{AccountOutcome, Analysis, Engine};
use crate::finding::{Finding, Target};
use crate::post::Corpus;
use crate::rules::KindSet;

/// Share of the posts a rule looks at on which it must fire to cost the account its full points.
pub const HABIT_SHARE: f64 = 0.10;

/// A scoring family and the most points it can cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Category {
    pub name: &'static str,
    /// Most points the category can take off a score.
    pub cap: f64,
    pub summary: &'static str,
}

/// Every category a rule may belong to.
pub const CATEGORIES: [Category; 8] = [
    Category {
        name: "automation",
        cap: 40.0,
        summary: "messages a tool sent as if a person had typed them",
    },
    Category {
        name: "canned",
        cap: 25.0,
        summary: "text that could be sent to anyone, or that others are meant to post verbatim",
    },
    Category {
        name: "promotion",
        cap: 35.0,
        summary: "pitching instead of talking, and ads not disclosed as ads",
    },
    Category {
        name: "conversation",
        cap: 25.0,
        summary: "broadcasting without answering people",
    },
    Category {
        name: "engagement",
        cap: 30.0,
        summary: "asking for likes, shares and follows instead of earning them",
    },
    Category {
        name: "repetition",
        cap: 30.0,
        summary: "the same words posted again and again",
    },
    Category {
        name: "readability",
        cap: 15.0,
        summary: "posts that are hard to read or to trust at a glance",
    },
    Category {
        name: "platform",
        cap: 20.0,
        summary: "posts the platform would cut short or reject",
    },
];

/// Whether `name` is a known category.
pub fn is_known_category(name: &str) -> bool {
    category(name).is_some()
}

fn category(name: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|category| category.name == name)
}

/// What a score means, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// 90 and above.
    Social,
    /// 75 to under 90.
    MostlySocial,
    /// 50 to under 75.
    BroadcastHeavy,
    /// Under 50.
    AntiSocial,
}

impl Verdict {
    /// The verdict for a score.
    pub fn of(score: f64) -> Verdict {
        if score >= 90.0 {
            Verdict::Social
        } else if score >= 75.0 {
            Verdict::MostlySocial
        } else if score >= 50.0 {
            Verdict::BroadcastHeavy
        } else {
            Verdict::AntiSocial
        }
    }

    /// The kebab-case id used in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Social => "social",
            Verdict::MostlySocial => "mostly-social",
            Verdict::BroadcastHeavy => "broadcast-heavy",
            Verdict::AntiSocial => "anti-social",
        }
    }

    /// What the verdict means, for people.
    pub fn description(self) -> &'static str {
        match self {
            Verdict::Social => "reads like a person",
            Verdict::MostlySocial => "mostly social, with a few habits to fix",
            Verdict::BroadcastHeavy => "leans towards broadcasting and automation",
            Verdict::AntiSocial => "reads like a pitch machine",
        }
    }
}

/// Where a deduction's evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A post rule fired on `hits` of the `eligible` posts (the kinds it looks at).
    Posts { hits: usize, eligible: usize },
    /// An account rule found `findings` problems.
    Account { findings: usize },
}

/// Points one rule took off the account score, before its category's cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Deduction {
    /// Index into `Engine::rules`.
    pub rule: usize,
    pub category: &'static str,
    /// Points lost, rounded to one decimal.
    pub points: f64,
    pub evidence: Evidence,
}

/// A category's total loss and how much of it counted.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryLoss {
    pub category: &'static Category,
    /// Sum of the category's deductions.
    pub points: f64,
    /// What counted after the cap: `min(points, cap)`.
    pub applied: f64,
}

/// The scores of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Account score, 0–100, one decimal.
    pub value: f64,
    pub verdict: Verdict,
    /// Every deduction, in rule order.
    pub deductions: Vec<Deduction>,
    /// Categories that lost points, in category order.
    pub categories: Vec<CategoryLoss>,
    /// `posts[i]` is the score (0–100) of `Corpus::posts[i]`.
    pub posts: Vec<f64>,
    /// The score of each month the engine checked on its own (`Analysis::months`), in order.
    pub months: Option<Vec<MonthScore>>,
}

/// The score of one calendar month's posts, scored as the account is: its post rules' findings
/// weighed among its posts, and the findings of the account checks run over its posts only.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthScore {
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// Judged posts dated in the month.
    pub posts: usize,
    /// 0–100, one decimal.
    pub value: f64,
    pub verdict: Verdict,
    /// Account rules (indexes) that judged the account but could not judge the month, with why
    /// (too few posts, most often): they cost the month nothing, so its score may lean high.
    pub not_judged: Vec<(usize, String)>,
}

/// Scores a run.
pub fn score(engine: &Engine, corpus: &Corpus, analysis: &Analysis) -> Score {
    let mut tally = Tally::new(engine);
    tally.add(engine, corpus, analysis, 0..corpus.posts.len());
    let mut score = score_tallied(engine, &tally, analysis);
    let judged_account: Vec<usize> = analysis
        .account_outcomes
        .iter()
        .filter(|(_, outcome)| matches!(outcome, AccountOutcome::Judged { .. }))
        .map(|(rule, _)| *rule)
        .collect();
    score.months = analysis.months.as_ref().map(|months| {
        months
            .iter()
            .map(|month| {
                let mut tally = Tally::new(engine);
                tally.add(engine, corpus, analysis, month.posts.iter().copied());
                let (value, _, _) = account(engine, &tally, &month.account_findings);
                MonthScore {
                    year: month.year,
                    month: month.month,
                    posts: month.posts.len(),
                    value,
                    verdict: Verdict::of(value),
                    not_judged: month
                        .account_outcomes
                        .iter()
                        .filter(|(rule, _)| judged_account.contains(rule))
                        .filter_map(|(rule, outcome)| match outcome {
                            AccountOutcome::NotJudged { reason } => Some((*rule, reason.clone())),
                            AccountOutcome::Judged { .. } => None,
                        })
                        .collect(),
                }
            })
            .collect()
    });
    score
}

/// Scores each post of `analysis`, and the account from `tally` (the posts counted so far) and
/// `analysis`'s account findings; no months. A streamed run scores each batch with the tally of
/// every batch so far: after the last, the account score is exactly what [`score`] gives for all
/// the posts at once, since the counts add up.
pub fn score_tallied(engine: &Engine, tally: &Tally, analysis: &Analysis) -> Score {
    let rules = engine.rules();
    let posts = analysis
        .posts
        .iter()
        .map(|post| {
            let losses = post.findings().iter().map(|finding| {
                let rule = &rules[finding.rule];
                (rule.category.as_str(), rule.points)
            });
            round1(
                100.0
                    - capped_total(losses)
                        .iter()
                        .map(|loss| loss.applied)
                        .sum::<f64>(),
            )
            .max(0.0)
        })
        .collect();
    let (value, deductions, categories) = account(engine, tally, &analysis.account_findings);
    Score {
        value,
        verdict: Verdict::of(value),
        deductions,
        categories,
        posts,
        months: None,
    }
}

/// What the account score needs of the posts: for each rule, how many posts it looks at and on
/// how many it fired. Counts only add up, so batches of a streamed run can be counted one after
/// another, with nothing of a post kept once it is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// `eligible[rule]`: judged posts of a kind the rule looks at (post rules only).
    eligible: Vec<usize>,
    /// `hits[rule]`: posts with a finding of the rule.
    hits: Vec<usize>,
}

impl Tally {
    /// Nothing counted yet, for `engine`'s rules.
    pub fn new(engine: &Engine) -> Tally {
        let rules = engine.rules().len();
        Tally {
            eligible: vec![0; rules],
            hits: vec![0; rules],
        }
    }

    /// Counts the posts `posts` (indexes into `corpus.posts` and `analysis.posts`).
    pub fn add(
        &mut self,
        engine: &Engine,
        corpus: &Corpus,
        analysis: &Analysis,
        posts: impl Iterator<Item = usize>,
    ) {
        let kinds: Vec<Option<KindSet>> = engine
            .rules()
            .iter()
            .map(|rule| rule.is_post_rule().then(|| Engine::eligible_kinds(rule)))
            .collect();
        for post in posts {
            let result = &analysis.posts[post];
            if result.judged() {
                let kind = corpus.posts[post].kind;
                for (rule, kinds) in kinds.iter().enumerate() {
                    if kinds.is_some_and(|kinds| kinds.contains(kind)) {
                        self.eligible[rule] += 1;
                    }
                }
            }
            for (at, finding) in result.findings().iter().enumerate() {
                // A post counts once per rule, however many of its findings are the rule's.
                if !result.findings()[..at]
                    .iter()
                    .any(|f| f.rule == finding.rule)
                {
                    self.hits[finding.rule] += 1;
                }
            }
        }
    }
}

/// The account score of the posts counted in `tally` with the account findings the account
/// checks made over them: the score's value, its deductions and its category losses.
fn account(
    engine: &Engine,
    tally: &Tally,
    account_findings: &[Finding],
) -> (f64, Vec<Deduction>, Vec<CategoryLoss>) {
    let mut deductions = Vec::new();
    for (index, rule) in engine.rules().iter().enumerate() {
        let category = category(&rule.category).map_or("", |category| category.name);
        if rule.is_post_rule() {
            let (hits, eligible) = (tally.hits[index], tally.eligible[index]);
            if hits > 0 {
                let full_at = (HABIT_SHARE * eligible as f64).ceil().max(1.0);
                let strength = (hits as f64 / full_at).min(1.0);
                deductions.push(Deduction {
                    rule: index,
                    category,
                    points: round1(rule.points * strength),
                    evidence: Evidence::Posts { hits, eligible },
                });
            }
        }
        let findings = account_findings
            .iter()
            .filter(|finding| {
                finding.rule == index && matches!(finding.target, Target::Account { .. })
            })
            .count();
        if findings > 0 {
            deductions.push(Deduction {
                rule: index,
                category,
                points: round1(rule.points * findings as f64),
                evidence: Evidence::Account { findings },
            });
        }
    }
    let categories = capped_total(deductions.iter().map(|d| (d.category, d.points)));
    let value = round1(100.0 - categories.iter().map(|loss| loss.applied).sum::<f64>()).max(0.0);
    (value, deductions, categories)
}

/// Sums losses per category and applies each category's cap; categories in declared order.
fn capped_total<'a>(losses: impl Iterator<Item = (&'a str, f64)>) -> Vec<CategoryLoss> {
    let mut totals = [0.0f64; CATEGORIES.len()];
    for (name, points) in losses {
        if let Some(index) = CATEGORIES.iter().position(|category| category.name == name) {
            totals[index] += points;
        }
    }
    CATEGORIES
        .iter()
        .zip(totals)
        .filter(|(_, points)| *points > 0.0)
        .map(|(category, points)| CategoryLoss {
            category,
            points: round1(points),
            applied: round1(points.min(category.cap)),
        })
        .collect()
}

/// Rounds to one decimal.
fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_thresholds() {
        assert_eq!(Verdict::of(100.0), Verdict::Social);
        assert_eq!(Verdict::of(90.0), Verdict::Social);
        assert_eq!(Verdict::of(89.9), Verdict::MostlySocial);
        assert_eq!(Verdict::of(75.0), Verdict::MostlySocial);
        assert_eq!(Verdict::of(74.9), Verdict::BroadcastHeavy);
        assert_eq!(Verdict::of(49.9), Verdict::AntiSocial);
    }

    #[test]
    fn categories_are_capped() {
        let losses = capped_total(
            [("automation", 30.0), ("automation", 25.0), ("canned", 10.0)].into_iter(),
        );
        assert_eq!(losses.len(), 2);
        assert_eq!((losses[0].points, losses[0].applied), (55.0, 40.0));
        assert_eq!((losses[1].points, losses[1].applied), (10.0, 10.0));
    }
}
