//! Running the rules: [`Engine::new`] compiles rule files (the last fallible step of a run);
//! [`Engine::run`] turns a [`Corpus`] into an [`Analysis`] and cannot fail.
//!
//! Per post, in order: the built-in traits (kind, links), the rule-defined traits in dependency
//! order, then every post rule's patterns (one finding per rule and post, at the earliest match
//! that counts, with the fix that match carries, if any). Then every account check, over all
//! posts and their traits; the checks that read no traits run alongside the posts' analysis.
//! Per-post work is independent of other posts; only account checks see the whole corpus.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use anyhow::{Result, bail};
use chrono::Datelike;
use rayon::prelude::*;

use crate::finding::{Finding, Target};
use crate::platform::Entities;
use crate::post::{Corpus, Platform, Post, PostKind, Source};
use crate::rules::builtin::{AccountCheck, AccountInput, Judgement, PostHit, PostInput, Ratio};
use crate::rules::gate::Candidates;
use crate::rules::text_regex::{TextRegex, ascii_words};
use crate::rules::{
    self, CompiledRules, KindSet, OptionOverrides, Pattern, Rule, RuleFile, TraitRegistry, TraitSet,
};
use crate::text::TextSpan;

/// Longest quoted match in a message, in chars; longer matches are cut with `…`.
const MAX_QUOTE_CHARS: usize = 60;

/// The top-level domains of a bare domain that [`LINK`] takes for a link.
const LINK_TLDS: [&str; 31] = [
    "com", "net", "org", "io", "biz", "info", "ly", "gd", "uk", "de", "fr", "nl", "ca", "au", "tv",
    "app", "dev", "blog", "shop", "store", "xyz", "link", "page", "site", "social", "art",
    "online", "tech", "news", "club", "ai",
];

/// Links as people write them: with a scheme, starting `www.`, or a bare domain under a common
/// top-level domain ("Votetours.com", "shop.example.io/sale"). A bare domain's top-level domain
/// must be lowercase and not a common word, so "finished.It took" and "ASP.NET" are not links;
/// an email address is not a link either (see [`link_ranges`]).
static LINK: LazyLock<TextRegex> = LazyLock::new(|| {
    TextRegex::ungated(
        &format!(
            r#"(?x)
            \b(?:
                (?i:https?://)[^\s<>"]+
              | (?i:www\.)[^\s<>"]+
              | [A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*
                \.(?:{})
                \b(?:/[^\s<>"]*)?
            )"#,
            LINK_TLDS.join("|")
        ),
        true,
    )
    .expect("the link pattern is valid")
});

/// Whether `text` may hold a [`LINK`]: whether it holds `://`, `www.` or a dot and a
/// top-level domain (in any case, and the domain maybe longer: a superset). Two thirds of posts
/// hold none, and finding that out takes a tenth of the time the regex takes to find nothing
/// (its DFA reads every byte; here only the dots and colons are looked at).
fn may_hold_link(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'.', b':', bytes).any(|at| {
        let (before, after) = (&bytes[..at], &bytes[at + 1..]);
        if bytes[at] == b':' {
            return after.starts_with(b"//");
        }
        let www = before.len() >= 3 && before[before.len() - 3..].eq_ignore_ascii_case(b"www");
        www || (after.first().is_some_and(u8::is_ascii_alphabetic)
            && LINK_TLDS.iter().any(|tld| {
                after
                    .get(..tld.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(tld.as_bytes()))
            }))
    })
}

/// Byte ranges of the links in `text`, leaving out email addresses (`ana@example.com`). The
/// engine finds them once per post and hands them to traits and post checks.
pub(crate) fn link_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    links_where(text, || ascii_words(text))
}

/// [`link_ranges`], when whether `text`'s word characters are all ASCII is known (the gate
/// found out).
fn links_in(text: &str, ascii_words: bool) -> impl Iterator<Item = Range<usize>> + '_ {
    links_where(text, move || ascii_words)
}

/// [`link_ranges`], told by `ascii_words` whether `text`'s word characters are all ASCII (asked
/// only when `text` may hold a link).
fn links_where(
    text: &str,
    ascii_words: impl FnOnce() -> bool,
) -> impl Iterator<Item = Range<usize>> + '_ {
    let links = may_hold_link(text).then(|| {
        LINK.find_iter(text, ascii_words())
            .filter(|link| !text[..link.start].ends_with('@'))
    });
    links.into_iter().flatten()
}

/// Settings the engine needs beyond the rule files.
#[derive(Debug, Clone, Default)]
pub struct EngineSettings {
    /// Overrides of builtin options, by rule id.
    pub options: OptionOverrides,
    /// The account's own domains: a link to one of them gives a post the `own-link` trait.
    pub own_domains: Vec<String>,
    /// Judge messages the account received, too (`--include-received`).
    pub include_received: bool,
    /// The platform of posts that do not say which they are for (`--platform`).
    pub platform: Option<Platform>,
    /// Run only these rules (`--select`); all when empty.
    pub select: Vec<String>,
    /// Do not run these rules (`--ignore`).
    pub ignore: Vec<String>,
}

/// Compiled rules, ready to run on any number of corpora.
#[derive(Debug)]
pub struct Engine {
    compiled: CompiledRules,
    own_domains: Vec<String>,
    include_received: bool,
    platform: Option<Platform>,
    /// `enabled[i]`: whether rule `i` runs (`--select`, `--ignore`).
    enabled: Vec<bool>,
}

/// What the engine found in one post.
#[derive(Debug, Clone, PartialEq)]
pub struct PostAnalysis {
    pub traits: TraitSet,
    /// The rest, which most posts do not have (judged, no finding, no suppression): `None`
    /// then, never a box of nothing. The analysis of every post is kept until the report is
    /// written, and this way it takes 16 bytes, not 40 (a million posts, 23 MB; the boxes of
    /// the 12% of the benchmark's posts with a finding take 4 MB of that back).
    details: Option<Box<Details>>,
}

/// What a [`PostAnalysis`] holds for a post with a finding, a suppression, or that was not
/// judged.
#[derive(Debug, Clone, PartialEq)]
struct Details {
    judged: bool,
    /// A boxed slice, not a `Vec`: 16 bytes, and no slack left from pushing the findings.
    findings: Box<[Finding]>,
    /// Boxed: nearly every post with a finding has no suppression.
    allowed: Option<Box<Allowed>>,
}

/// What a post's suppression (`Post::allow`) did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Allowed {
    /// Rules (indexes) whose finding the suppression left out.
    pub suppressed: Vec<usize>,
    /// Rule ids the suppression names that found nothing to suppress (or do not exist).
    pub unused: Vec<String>,
}

impl PostAnalysis {
    /// The analysis of a judged post: its traits, its findings in rule order, and what its own
    /// suppression did (`None` when it has none).
    pub fn new(traits: TraitSet, findings: Vec<Finding>, allowed: Option<Allowed>) -> Self {
        let details = (!findings.is_empty() || allowed.is_some()).then(|| {
            Box::new(Details {
                judged: true,
                findings: findings.into_boxed_slice(),
                allowed: allowed.map(Box::new),
            })
        });
        PostAnalysis { traits, details }
    }

    /// The analysis of a post that was not judged (a received message, unless asked for):
    /// no traits, no findings.
    pub fn not_judged() -> Self {
        PostAnalysis {
            traits: TraitSet::default(),
            details: Some(Box::new(Details {
                judged: false,
                findings: Box::default(),
                allowed: None,
            })),
        }
    }

    /// Whether the post was judged: received messages are not, unless asked for.
    pub fn judged(&self) -> bool {
        self.details.as_ref().is_none_or(|details| details.judged)
    }

    /// Findings about this post, in rule order.
    pub fn findings(&self) -> &[Finding] {
        self.details
            .as_ref()
            .map_or(&[], |details| &details.findings)
    }

    /// The findings, taken out of the analysis.
    pub fn into_findings(self) -> Vec<Finding> {
        self.details
            .map_or_else(Vec::new, |details| details.findings.into_vec())
    }

    /// Keeps only the findings `keep` returns true for.
    pub fn retain_findings(&mut self, keep: impl FnMut(&Finding) -> bool) {
        let Some(details) = &mut self.details else {
            return;
        };
        let mut findings = std::mem::take(&mut details.findings).into_vec();
        findings.retain(keep);
        details.findings = findings.into_boxed_slice();
        if details.judged && details.findings.is_empty() && details.allowed.is_none() {
            self.details = None;
        }
    }

    /// Rules (indexes) whose finding the post's own suppression left out.
    pub fn suppressed(&self) -> &[usize] {
        self.allowed().map_or(&[], |allowed| &allowed.suppressed)
    }

    /// Rule ids the post's suppression names that found nothing to suppress (or do not exist).
    pub fn unused_allow(&self) -> &[String] {
        self.allowed().map_or(&[], |allowed| &allowed.unused)
    }

    fn allowed(&self) -> Option<&Allowed> {
        self.details.as_ref()?.allowed.as_deref()
    }
}

/// What an account rule concluded.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountOutcome {
    /// Not enough evidence; `reason` says what was missing.
    NotJudged { reason: String },
    /// Judged; the headline ratio if the rule has one.
    Judged { ratio: Option<Ratio> },
}

/// Everything the engine found in a corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// `posts[i]` belongs to `Corpus::posts[i]`.
    pub posts: Vec<PostAnalysis>,
    /// Findings about the account as a whole, in rule order.
    pub account_findings: Vec<Finding>,
    /// `(rule index, outcome)` of every account rule, in rule order.
    pub account_outcomes: Vec<(usize, AccountOutcome)>,
    /// Findings left out because a baseline records them (`--baseline`).
    pub baselined: Vec<Finding>,
    /// The account checks per calendar month, when asked for ([`Engine::months`]; the HTML
    /// report's score per month).
    pub months: Option<Vec<MonthAnalysis>>,
}

/// The account checks of one calendar month, over its posts only.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthAnalysis {
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// Indexes of the judged posts dated in the month, in corpus order.
    pub posts: Vec<usize>,
    /// Findings of the account checks over the month's posts (evidence indexes are corpus
    /// indexes), in rule order.
    pub account_findings: Vec<Finding>,
    /// `(rule index, outcome)` of every account rule over the month, in rule order.
    pub account_outcomes: Vec<(usize, AccountOutcome)>,
}

/// What account checks read of each post besides the post itself, by corpus index.
struct PostFacts {
    /// Empty until the posts are analysed.
    traits: Vec<TraitSet>,
    judged: Vec<bool>,
    platforms: Vec<Option<Platform>>,
}

impl PostFacts {
    /// What is known of the posts before any rule runs: every fact but their traits.
    fn before_analysis(engine: &Engine, corpus: &Corpus) -> PostFacts {
        PostFacts {
            traits: Vec::new(),
            judged: corpus
                .posts
                .iter()
                .map(|post| engine.judges(post))
                .collect(),
            platforms: corpus
                .posts
                .iter()
                .map(|post| {
                    engine.platform_of(post, corpus.sources.get(post.origin.source as usize))
                })
                .collect(),
        }
    }

    /// Every fact, once the posts are analysed.
    fn new(engine: &Engine, corpus: &Corpus, posts: &[PostAnalysis]) -> PostFacts {
        PostFacts::before_analysis(engine, corpus).with_traits(posts)
    }

    /// These facts with the traits the analyses of the posts found.
    fn with_traits(self, posts: &[PostAnalysis]) -> PostFacts {
        PostFacts {
            traits: posts.iter().map(|analysis| analysis.traits).collect(),
            ..self
        }
    }

    /// The input of account checks over `posts`, limited to the `only` ones when given.
    fn input<'a>(&'a self, posts: &'a [Post], only: Option<&'a [usize]>) -> AccountInput<'a> {
        AccountInput {
            posts,
            traits: &self.traits,
            judged: &self.judged,
            platforms: &self.platforms,
            only,
        }
    }
}

impl Engine {
    /// Compiles rule files with the given settings.
    pub fn new(files: &[RuleFile], settings: &EngineSettings) -> Result<Engine> {
        let compiled = rules::compile(files, &settings.options)?;
        let own_domains = settings
            .own_domains
            .iter()
            .map(|domain| normalize_host(domain))
            .filter(|domain| !domain.is_empty())
            .collect();
        let ids: Vec<&str> = compiled.rules.iter().map(|rule| rule.id.as_str()).collect();
        for (flag, list) in [
            ("--select", &settings.select),
            ("--ignore", &settings.ignore),
        ] {
            if let Some(unknown) = list.iter().find(|id| !ids.contains(&id.as_str())) {
                bail!(
                    "{flag}: unknown rule `{unknown}` (rules: {})",
                    ids.join(", ")
                );
            }
        }
        // A rule that is off still defines its traits, which other rules may use.
        let enabled = ids
            .iter()
            .map(|id| {
                (settings.select.is_empty() || settings.select.iter().any(|s| s == id))
                    && !settings.ignore.iter().any(|s| s == id)
            })
            .collect();
        Ok(Engine {
            compiled,
            own_domains,
            include_received: settings.include_received,
            platform: settings.platform,
            enabled,
        })
    }

    /// The rules that run, with their index.
    fn enabled_rules(&self) -> impl Iterator<Item = (usize, &Rule)> {
        self.rules()
            .iter()
            .enumerate()
            .filter(|(index, _)| self.enabled[*index])
    }

    /// The built-in rules with default settings.
    pub fn builtin() -> Result<Engine> {
        Engine::new(&rules::builtin_rule_files()?, &EngineSettings::default())
    }

    /// Every rule, in catalog order; findings refer to rules by index into this list.
    pub fn rules(&self) -> &[Rule] {
        &self.compiled.rules
    }

    /// The rule with id `id`, with its index.
    pub fn rule(&self, id: &str) -> Option<(usize, &Rule)> {
        self.rules()
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.id == id)
    }

    /// The platform `post` is judged for: its own, else its source's (a per-path override),
    /// else the run's (`--platform`, `platform` in the configuration).
    pub fn platform_of(&self, post: &Post, source: Option<&Source>) -> Option<Platform> {
        post.platform
            .or(source.and_then(|source| source.settings.platform))
            .or(self.platform)
    }

    /// Names and summaries of every trait.
    pub fn traits(&self) -> &TraitRegistry {
        &self.compiled.traits
    }

    /// Runs every rule on `corpus`.
    pub fn run(&self, corpus: &Corpus) -> Analysis {
        self.run_with_progress(corpus, &|| {})
    }

    /// [`Engine::run`], calling `checked` once per post as its rules finish (from any thread),
    /// so a caller can show how far the run has come.
    ///
    /// The account checks that read no traits (near duplicates, bursts, repeated messages) run
    /// while the posts are analysed, on the same cores: much of their work is on one core (the
    /// near-duplicate verification, sorting, hash tables), which left the other one idle when
    /// they ran after the posts. The rest run once the traits are known.
    pub fn run_with_progress(&self, corpus: &Corpus, checked: &(dyn Fn() + Sync)) -> Analysis {
        let facts = PostFacts::before_analysis(self, corpus);
        let (posts, judgements) = rayon::join(
            || self.analyze_posts(corpus, checked),
            || {
                self.judge(facts.input(&corpus.posts, None), |check| {
                    !check.reads_traits()
                })
            },
        );
        self.finish(corpus, facts, posts, judgements)
    }

    /// [`Engine::run_with_progress`], dropping the text of each post once it is analysed unless
    /// `keep` says the caller still needs it (given the platform the post is judged for and its
    /// analysis): a released text is left empty, and a kept one is given a buffer of its own,
    /// so that the buffers texts read together share are freed whole. What the run finds does
    /// not change.
    ///
    /// Texts are most of what a corpus holds (at a million posts, 159 of the 255 MB read), and
    /// nothing reads them once the posts are analysed but a report quoting them. So
    /// the account checks that read texts (those that read no traits) run first, on all cores,
    /// and then the posts are analysed, each text dropped as its post is done: the analysis'
    /// findings then take the room the texts leave. The run's peak memory is when the checks
    /// run, with every text and no finding yet, not at the end with both. This takes longer
    /// than [`Engine::run_with_progress`], whose checks run beside the analysis and keep the
    /// cores busier (their verification of near duplicates is mostly on one core).
    pub fn run_releasing_texts(
        &self,
        corpus: &mut Corpus,
        checked: &(dyn Fn() + Sync),
        keep: &(dyn Fn(Option<Platform>, &PostAnalysis) -> bool + Sync),
    ) -> Analysis {
        let facts = PostFacts::before_analysis(self, corpus);
        let judgements = self.judge(facts.input(&corpus.posts, None), |check| {
            !check.reads_traits()
        });
        let text = corpus.text_bytes();
        let Corpus { sources, posts, .. } = corpus;
        let ((), analyses) = rayon::join(
            || self.compiled.gate.prepare_for(text),
            || {
                posts
                    .par_iter_mut()
                    .enumerate()
                    .map(|(index, post)| {
                        let source = sources.get(post.origin.source as usize);
                        let analysis = self.analyze_if_judged(index, post, source);
                        if keep(self.platform_of(post, source), &analysis) {
                            post.keep_text_alone();
                        } else {
                            post.release_text();
                        }
                        analysis
                    })
                    .inspect(|_| checked())
                    .collect()
            },
        );
        self.finish(corpus, facts, analyses, judgements)
    }

    /// The rest of a run once the posts are analysed: the account checks that read traits, and
    /// every account check's findings and outcome with those of `judgements`.
    fn finish(
        &self,
        corpus: &Corpus,
        facts: PostFacts,
        posts: Vec<PostAnalysis>,
        mut judgements: Vec<(usize, Judgement)>,
    ) -> Analysis {
        let facts = facts.with_traits(&posts);
        judgements.extend(self.judge(facts.input(&corpus.posts, None), |check| {
            check.reads_traits()
        }));
        judgements.sort_by_key(|(rule, _)| *rule);
        let (account_findings, account_outcomes) = self.account_results(judgements);
        Analysis {
            posts,
            account_findings,
            account_outcomes,
            baselined: Vec::new(),
            months: None,
        }
    }

    /// The per-post part of [`Engine::run`] alone: traits and findings of every post, and no
    /// account check, so no account finding or outcome. When no enabled rule judges the account
    /// ([`Engine::needs_whole_corpus`]), this is all [`Engine::run`] finds, and a corpus may be
    /// checked a batch of posts at a time (a streamed standard input): each post's analysis
    /// depends on that post alone.
    pub fn run_posts(&self, corpus: &Corpus) -> Analysis {
        Analysis {
            posts: self.analyze_posts(corpus, &|| {}),
            ..Analysis::default()
        }
    }

    /// Whether an enabled rule judges the account as a whole, so needs every post before it
    /// can run (and before a run's report can be complete).
    pub fn needs_whole_corpus(&self) -> bool {
        self.enabled_rules().any(|(_, rule)| rule.is_account_rule())
    }

    /// Every post's analysis, in corpus order, on all cores; `checked` after each post. The
    /// gate is told how much text is coming first, and builds its automata if that pays (the
    /// posts do not wait for them: a core that is free starts on them).
    fn analyze_posts(&self, corpus: &Corpus, checked: &(dyn Fn() + Sync)) -> Vec<PostAnalysis> {
        let text = corpus.text_bytes();
        let ((), posts) = rayon::join(
            || self.compiled.gate.prepare_for(text),
            || self.analyze_all(corpus, checked),
        );
        posts
    }

    /// Every post's analysis, in corpus order, on all cores, with whichever way of finding
    /// literals the gate has when each post's turn comes.
    fn analyze_all(&self, corpus: &Corpus, checked: &(dyn Fn() + Sync)) -> Vec<PostAnalysis> {
        corpus
            .posts
            .par_iter()
            .enumerate()
            .map(|(index, post)| {
                self.analyze_if_judged(index, post, corpus.sources.get(post.origin.source as usize))
            })
            .inspect(|_| checked())
            .collect()
    }

    /// [`Engine::analyze_post`] for a post that is judged; nothing for one that is not.
    fn analyze_if_judged(
        &self,
        index: usize,
        post: &Post,
        source: Option<&Source>,
    ) -> PostAnalysis {
        if self.judges(post) {
            self.analyze_post(index, post, source)
        } else {
            PostAnalysis::not_judged()
        }
    }

    /// The account checks of every calendar month that has judged posts with a date, each over
    /// that month's posts only, from the per-post results in `analysis` (no post rule runs
    /// again). Months are those of the dates as written (their own offset), in order. Each post
    /// is in at most one month, so this costs about one more run of the account checks.
    pub fn months(&self, corpus: &Corpus, analysis: &Analysis) -> Vec<MonthAnalysis> {
        let mut months: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
        for (index, (post, result)) in corpus.posts.iter().zip(&analysis.posts).enumerate() {
            if let Some(time) = post.created_at.filter(|_| result.judged()) {
                months
                    .entry((time.year(), time.month()))
                    .or_default()
                    .push(index);
            }
        }
        let facts = PostFacts::new(self, corpus, &analysis.posts);
        let months: Vec<((i32, u32), Vec<usize>)> = months.into_iter().collect();
        months
            .into_par_iter()
            .map(|((year, month), posts)| {
                let (account_findings, account_outcomes) =
                    self.account(facts.input(&corpus.posts, Some(&posts)));
                MonthAnalysis {
                    year,
                    month,
                    posts,
                    account_findings,
                    account_outcomes,
                }
            })
            .collect()
    }

    /// Whether `post` is judged: received messages are not, unless asked for.
    fn judges(&self, post: &Post) -> bool {
        !post.received || self.include_received
    }

    /// Runs every enabled account check over `input`: its findings and each rule's outcome, in
    /// rule order.
    fn account(&self, input: AccountInput<'_>) -> (Vec<Finding>, Vec<(usize, AccountOutcome)>) {
        self.account_results(self.judge(input, |_| true))
    }

    /// The judgement of each enabled account check that `which` picks over `input`, with its
    /// rule's index, in rule order. The checks run side by side, on whichever cores are free:
    /// run one after another, the checks left when the posts' analysis ended (near duplicates'
    /// verification, repeated replies) kept one core busy and the other idle for 2.5 s of a
    /// million posts.
    fn judge(
        &self,
        input: AccountInput<'_>,
        which: impl Fn(&dyn AccountCheck) -> bool,
    ) -> Vec<(usize, Judgement)> {
        let checks: Vec<(usize, &dyn AccountCheck)> = self
            .enabled_rules()
            .filter_map(|(rule_index, rule)| {
                let check = rule.check.as_deref().filter(|&check| which(check))?;
                Some((rule_index, check))
            })
            .collect();
        checks
            .into_par_iter()
            .map(|(rule_index, check)| (rule_index, check.run(input)))
            .collect()
    }

    /// The findings of account checks' `judgements` and each rule's outcome, in the order
    /// given (rule order).
    fn account_results(
        &self,
        judgements: Vec<(usize, Judgement)>,
    ) -> (Vec<Finding>, Vec<(usize, AccountOutcome)>) {
        let mut account_findings = Vec::new();
        let mut account_outcomes = Vec::new();
        for (rule_index, judgement) in judgements {
            let rule = &self.rules()[rule_index];
            let outcome = match judgement {
                Judgement::NotJudged { reason } => AccountOutcome::NotJudged { reason },
                Judgement::Judged { ratio, hits } => {
                    account_findings.extend(hits.into_iter().map(|hit| Finding {
                        rule: rule_index,
                        severity: rule.severity,
                        target: Target::Account {
                            evidence: hit.evidence,
                        },
                        message: rules::render(&rule.account_message, |name| {
                            hit.values
                                .iter()
                                .find(|(key, _)| *key == name)
                                .map(|(_, value)| value.clone())
                        }),
                        suggestion: rule.suggestion.clone(),
                        fix: None,
                    }));
                    AccountOutcome::Judged { ratio }
                }
            };
            account_outcomes.push((rule_index, outcome));
        }
        (account_findings, account_outcomes)
    }

    /// Traits and findings of one post (`index` into the corpus), read from `source` when
    /// known: an export of published posts is not held to the standard length limit, and the
    /// source's per-path settings apply.
    pub fn analyze_post(&self, index: usize, post: &Post, source: Option<&Source>) -> PostAnalysis {
        let candidates = self.compiled.gate.candidates(&post.text);
        let links: Vec<Range<usize>> = links_in(&post.text, candidates.ascii_words()).collect();
        let traits = self.traits_of(post, &links, &candidates);
        let settings = source.map(|source| &source.settings);
        let entities = Entities::new(&post.text);
        let input = PostInput {
            post,
            traits,
            links: &links,
            entities: &entities,
            platform: self.platform_of(post, source),
            published: source.is_some_and(|source| source.format.is_published_export()),
        };
        let ignored =
            |rule: &Rule| settings.is_some_and(|settings| settings.ignore.contains(&rule.id));
        let mut findings = Vec::new();
        for (rule_index, rule) in self.enabled_rules().filter(|(_, rule)| !ignored(rule)) {
            let patterns: &[Pattern] = if rule.patterns_may_match(&candidates) {
                &rule.patterns
            } else {
                &[]
            };
            let earliest = patterns
                .iter()
                .filter_map(|pattern| {
                    pattern
                        .find(post, traits, &candidates)
                        .map(|range| (pattern, range))
                })
                .min_by_key(|(_, range)| range.start);
            let hit = match (earliest, &rule.post_check) {
                (Some((pattern, range)), _) => Some(PostHit {
                    fix: pattern.fix_at(&post.text, range.clone()),
                    range,
                    values: vec![("pattern", pattern.label.clone())],
                }),
                (None, Some(check)) if rule.kinds.contains(post.kind) => check.check(input),
                (None, _) => None,
            };
            if let Some(hit) = hit {
                findings.push(post_finding(rule_index, rule, index, post, hit));
            }
        }
        let allowed = post.allow().map(|allow| {
            let mut suppressed = Vec::new();
            findings.retain(|finding| {
                let id = &self.rules()[finding.rule].id;
                let allowed = allow.rules.contains(id);
                if allowed {
                    suppressed.push(finding.rule);
                }
                !allowed
            });
            let unused = allow
                .rules
                .iter()
                .filter(|id| !suppressed.iter().any(|&rule| self.rules()[rule].id == **id))
                .cloned()
                .collect();
            Allowed { suppressed, unused }
        });
        PostAnalysis::new(traits, findings, allowed)
    }

    fn traits_of(&self, post: &Post, links: &[Range<usize>], candidates: &Candidates) -> TraitSet {
        let registry = self.traits();
        let mut traits = TraitSet::default();
        let mut add = |name: &str| traits.insert(registry.get(name).expect("built-in trait"));
        match post.kind {
            PostKind::Reply => add("reply"),
            PostKind::Dm => add("dm"),
            PostKind::Repost => add("repost"),
            PostKind::Quote => add("quote"),
            PostKind::Post => {}
        }
        let mut links = links
            .iter()
            .map(|range| &post.text[range.clone()])
            .chain(post.links().iter().map(String::as_str))
            .peekable();
        if links.peek().is_some() {
            add("link");
            if links.any(|link| self.is_own_link(link)) {
                add("own-link");
            }
        }
        for definition in &self.compiled.trait_defs {
            if traits.intersects(definition.implied_by)
                || (definition.patterns_may_match(candidates)
                    && definition
                        .patterns
                        .iter()
                        .any(|pattern| pattern.find(post, traits, candidates).is_some()))
            {
                traits.insert(definition.id);
            }
        }
        traits
    }

    fn is_own_link(&self, link: &str) -> bool {
        if self.own_domains.is_empty() {
            return false;
        }
        let host = normalize_host(link);
        self.own_domains.iter().any(|own| {
            host == *own
                || host
                    .strip_suffix(own.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }

    /// Kinds of post any of a rule's patterns look at.
    pub fn eligible_kinds(rule: &Rule) -> KindSet {
        let checked = if rule.post_check.is_some() {
            rule.kinds
        } else {
            KindSet::NONE
        };
        rule.patterns
            .iter()
            .map(|pattern| pattern.kinds())
            .fold(checked, KindSet::union)
    }
}

/// The host of a link or domain, lowercased, without scheme, `www.`, port or path.
pub(crate) fn normalize_host(link: &str) -> String {
    let rest = link.split_once("://").map_or(link, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    let host = host.to_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

fn post_finding(
    rule_index: usize,
    rule: &Rule,
    post_index: usize,
    post: &Post,
    hit: PostHit,
) -> Finding {
    let span = TextSpan::new(&post.text, hit.range);
    let message = rules::render(&rule.message, |name| match name {
        "match" => Some(quote(&post.text[span.bytes.clone()])),
        _ => hit
            .values
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone()),
    });
    Finding {
        rule: rule_index,
        severity: rule.severity,
        target: Target::Post {
            post: post_index,
            span,
        },
        message,
        suggestion: rule.suggestion.clone(),
        fix: hit.fix,
    }
}

/// Matched text for a message: whitespace runs collapsed, cut at [`MAX_QUOTE_CHARS`].
fn quote(matched: &str) -> String {
    let collapsed = matched.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > MAX_QUOTE_CHARS {
        let cut: String = collapsed.chars().take(MAX_QUOTE_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        collapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_analysis_boxes_only_what_a_post_has() {
        let finding = |rule| Finding {
            rule,
            severity: crate::finding::Severity::Warning,
            target: Target::Account { evidence: vec![0] },
            message: String::new(),
            suggestion: "".into(),
            fix: None,
        };
        let traits = TraitSet::default();
        let plain = PostAnalysis::new(traits, Vec::new(), None);
        assert!(plain.details.is_none());
        assert!(plain.judged() && plain.findings().is_empty() && plain.suppressed().is_empty());

        let mut found = PostAnalysis::new(traits, vec![finding(3), finding(5)], None);
        assert!(found.judged());
        found.retain_findings(|finding| finding.rule != 3);
        assert_eq!(found.findings(), [finding(5)]);
        found.retain_findings(|_| false);
        assert_eq!(found, plain, "no box of nothing is left");

        let allowed = Allowed {
            suppressed: vec![3],
            unused: vec!["shouting".to_string()],
        };
        let mut suppressed = PostAnalysis::new(traits, Vec::new(), Some(allowed));
        suppressed.retain_findings(|_| false);
        assert_eq!(suppressed.suppressed(), [3]);
        assert_eq!(suppressed.unused_allow(), ["shouting"]);

        let received = PostAnalysis::not_judged();
        assert!(!received.judged());
        assert_eq!(received.clone().into_findings(), []);
    }

    #[test]
    fn links_are_found_with_and_without_scheme() {
        for text in [
            "see https://example.com/x",
            "HTTPS://EXAMPLE.COM",
            "www.example.org",
            "visit Votetours.com.",
            "janetgifts4u.com please",
            "my shop.example.io/sale",
        ] {
            assert_eq!(link_ranges(text).count(), 1, "{text}");
        }
        for text in [
            "e.g. this",
            "version 1.2.3",
            "end. Next",
            "node.js rocks",
            "finished.It took years",
            "I love ASP.NET",
            "mail ana@example.com",
        ] {
            assert_eq!(link_ranges(text).count(), 0, "{text}");
        }
    }

    proptest::proptest! {
        /// The check before the link regex only spares it texts where it finds nothing.
        #[test]
        fn a_text_said_to_hold_no_link_holds_none(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "1", "-", ".", ":", "/", "//", "@", " ", "\n", "<", "\"", "é",
                    "\u{301}", "🎉", "http", "HTTPS", "www", "WwW", "com", "Com", "io", "ai",
                    "shop", "online", "x", "co",
                ]),
                0..16,
            )
        ) {
            let text = pieces.concat();
            let found = LINK.find_iter(&text, ascii_words(&text)).next().is_some();
            proptest::prop_assert!(may_hold_link(&text) || !found, "{text:?}");
        }
    }

    #[test]
    fn own_domains_match_subdomains_only_at_a_dot() {
        let engine = Engine::new(
            &rules::builtin_rule_files().unwrap(),
            &EngineSettings {
                own_domains: vec!["https://www.Example.com/".to_string()],
                ..EngineSettings::default()
            },
        )
        .unwrap();
        assert!(engine.is_own_link("http://example.com/shop"));
        assert!(engine.is_own_link("shop.example.com"));
        assert!(!engine.is_own_link("notexample.com"));
    }

    #[test]
    fn run_reports_each_post_checked_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let engine = Engine::builtin().unwrap();
        let origin = |record| crate::post::Origin {
            source: 0,
            location: crate::post::Location::Record { record, line: None },
        };
        let mut received = Post::new("Thanks!".into(), PostKind::Dm, origin(2));
        received.received = true;
        let corpus = Corpus {
            posts: vec![
                Post::new("Click to Tweet".into(), PostKind::Post, origin(1)),
                received,
                Post::new("Morning bake is done.".into(), PostKind::Post, origin(3)),
            ],
            ..Corpus::default()
        };
        let checked = AtomicUsize::new(0);
        let analysis = engine.run_with_progress(&corpus, &|| {
            checked.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(checked.into_inner(), 3);
        assert_eq!(analysis, engine.run(&corpus));
    }

    #[test]
    fn long_quotes_are_cut() {
        assert_eq!(quote("a  b\nc"), "a b c");
        let long = "word ".repeat(30);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), 60);
        assert!(quoted.ends_with('…'));
    }
}
