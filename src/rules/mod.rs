//! Rules as data: parsing rule files ([`spec`]), the built-in list ([`catalog`]), compiling
//! specs into runnable [`Rule`]s and [`TraitDef`]s, the Rust checks that rule files name
//! ([`builtin`]), and the fixes their patterns may carry (`fixes`).
//!
//! Everything that can be wrong with a rule file (bad TOML, unknown key, bad regex, unknown
//! trait, builtin or option) is an error here, naming the file and the rule, before any post is
//! looked at.

pub mod builtin;
#[rustfmt::skip]
mod builtin_literals;
pub mod catalog;
mod fixes;
pub mod gate;
pub mod spec;
pub(crate) mod text_regex;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use rayon::prelude::*;

use crate::finding::{Fix, Severity};
use crate::post::{Post, PostKind};
use crate::text::word_count;

use builtin::{AccountCheck, Builtin, PostCheck};
use gate::{Candidates, Gate, GateBuilder};
use spec::{PatternFix, PatternSpec, RuleSpec};
use text_regex::TextRegex;

/// A rule file as read, with the name it was read from.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Where the rule came from (`rules/auto-dm.toml` for built-in rules).
    pub origin: String,
    pub spec: RuleSpec,
    /// One of hygiene's own rules: its regexes are compiled when first needed (the test suite
    /// compiles every one), where a house rule's are compiled, and checked, as it is loaded.
    pub builtin: bool,
}

/// Parses the built-in rule files, on all cores: parsing their TOML one after another was a
/// quarter of checking one draft.
pub fn builtin_rule_files() -> Result<Vec<RuleFile>> {
    catalog::BUILTIN_RULE_FILES
        .par_iter()
        .map(|(stem, contents)| {
            parse_rule_file(&format!("rules/{stem}.toml"), contents).map(|file| RuleFile {
                builtin: true,
                ..file
            })
        })
        .collect()
}

/// Parses one rule file (not a built-in one); errors name `origin`.
pub fn parse_rule_file(origin: &str, contents: &str) -> Result<RuleFile> {
    let spec: RuleSpec = toml::from_str(contents).map_err(|error| anyhow!("{origin}: {error}"))?;
    Ok(RuleFile {
        origin: origin.to_string(),
        spec,
        builtin: false,
    })
}

/// A set of post kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSet(u8);

impl KindSet {
    /// Kinds a rule looks at unless it says otherwise: everything the account wrote itself.
    pub const AUTHORED: KindSet = KindSet(0b10111);
    /// No kind at all.
    pub const NONE: KindSet = KindSet(0);

    /// Kinds in either set.
    pub fn union(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }

    fn of(kinds: &[PostKind]) -> KindSet {
        KindSet(kinds.iter().fold(0, |set, kind| set | KindSet::bit(*kind)))
    }

    fn bit(kind: PostKind) -> u8 {
        1 << (kind as u8)
    }

    /// Whether `kind` is in the set.
    pub fn contains(self, kind: PostKind) -> bool {
        self.0 & KindSet::bit(kind) != 0
    }

    /// The kinds in the set, in documented order.
    pub fn kinds(self) -> impl Iterator<Item = PostKind> {
        PostKind::ALL
            .into_iter()
            .filter(move |kind| self.contains(*kind))
    }
}

/// A set of traits, as bits indexed by [`TraitRegistry`] ids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraitSet(u64);

impl TraitSet {
    /// Adds trait `id`.
    pub fn insert(&mut self, id: TraitId) {
        self.0 |= 1 << id.0;
    }

    /// Whether trait `id` is in the set.
    pub fn contains(self, id: TraitId) -> bool {
        self.0 & (1 << id.0) != 0
    }

    /// Whether any trait of `other` is in the set.
    pub fn intersects(self, other: TraitSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The ids in the set, in registry order.
    pub fn ids(self) -> impl Iterator<Item = TraitId> {
        (0..64u8)
            .filter(move |bit| self.0 & (1 << bit) != 0)
            .map(TraitId)
    }
}

/// Index of a trait in the [`TraitRegistry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TraitId(u8);

/// Traits the engine computes itself, before any rule-defined trait: the post's kind (for the
/// kinds that change how it is judged) and its links.
///
/// `reply`, `dm`, `repost` and `quote` mirror the post's kind; `link`: the text has a link;
/// `own-link`: a link goes to one of the account's own domains (`--own-domain`).
pub const BUILTIN_TRAITS: [&str; 6] = ["reply", "dm", "repost", "quote", "link", "own-link"];

/// Names of every trait, built-in first, then those the rule files define.
#[derive(Debug, Clone, Default)]
pub struct TraitRegistry {
    names: Vec<String>,
    by_name: HashMap<String, TraitId>,
}

impl TraitRegistry {
    fn add(&mut self, name: &str) -> Result<TraitId> {
        if self.by_name.contains_key(name) {
            bail!("trait `{name}` is defined twice");
        }
        if self.names.len() >= 64 {
            bail!("too many traits (at most 64)");
        }
        let id = TraitId(self.names.len() as u8);
        self.names.push(name.to_string());
        self.by_name.insert(name.to_string(), id);
        Ok(id)
    }

    /// The id of trait `name`.
    pub fn get(&self, name: &str) -> Option<TraitId> {
        self.by_name.get(name).copied()
    }

    /// The name of trait `id`.
    pub fn name(&self, id: TraitId) -> &str {
        &self.names[id.0 as usize]
    }

    fn set_of(&self, names: &[String], known: &str) -> Result<TraitSet> {
        let mut set = TraitSet::default();
        for name in names {
            let id = self
                .get(name)
                .ok_or_else(|| anyhow!("unknown trait `{name}` (known: {known})"))?;
            set.insert(id);
        }
        Ok(set)
    }

    fn known_names(&self) -> String {
        self.names.join(", ")
    }
}

/// What a pattern matches.
#[derive(Debug, Clone)]
enum Matcher {
    /// A regex; with a group named `match`, only that group is marked, so a pattern can require
    /// context around what it marks.
    Regex(TextRegex),
    /// A trait defined by patterns: fires on posts with the trait, marking the earliest match of
    /// the trait's own patterns (a trait present only by implication marks nothing).
    Trait { id: TraitId, patterns: Vec<Pattern> },
}

/// A compiled pattern: what it matches and the conditions under which its match counts.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// What the pattern detects.
    pub label: String,
    matcher: Matcher,
    kinds: KindSet,
    also_regex: Vec<TextRegex>,
    also_traits: TraitSet,
    also_words_at_most: Option<usize>,
    unless_regex: Vec<TextRegex>,
    unless_traits: TraitSet,
    /// The fix a match carries, when it is certain.
    pub fix: Option<PatternFix>,
}

impl Pattern {
    /// The byte range of the first match in `post` that counts, given the post's traits and
    /// the regexes the gate let through for its text.
    pub fn find(
        &self,
        post: &Post,
        traits: TraitSet,
        candidates: &Candidates,
    ) -> Option<Range<usize>> {
        if !self.kinds.contains(post.kind) || traits.intersects(self.unless_traits) {
            return None;
        }
        let found = match &self.matcher {
            Matcher::Regex(regex) => regex.find(&post.text, candidates)?,
            Matcher::Trait { id, patterns } => {
                if !traits.contains(*id) {
                    return None;
                }
                patterns
                    .iter()
                    .filter_map(|pattern| pattern.find(post, traits, candidates))
                    .min_by_key(|range| range.start)?
            }
        };
        let has_conditions = !self.also_regex.is_empty()
            || !self.also_traits.is_empty()
            || self.also_words_at_most.is_some();
        let also = !has_conditions
            || traits.intersects(self.also_traits)
            || self
                .also_regex
                .iter()
                .any(|regex| regex.is_match(&post.text, candidates))
            || self
                .also_words_at_most
                .is_some_and(|max| word_count(&post.text) <= max);
        let unless = self
            .unless_regex
            .iter()
            .any(|regex| regex.is_match(&post.text, candidates));
        (also && !unless).then_some(found)
    }

    /// The gate slot of the pattern's regex, when it is one registered with a gate: the
    /// pattern matches no text for which that slot is not a candidate.
    fn gate_slot(&self) -> Option<usize> {
        match &self.matcher {
            Matcher::Regex(regex) => regex.slot(),
            Matcher::Trait { .. } => None,
        }
    }

    /// Registers every regex of the pattern (and of the patterns it marks with) with `gate`.
    fn register(&mut self, gate: &mut GateBuilder) {
        match &mut self.matcher {
            Matcher::Regex(regex) => regex.register(gate),
            Matcher::Trait { patterns, .. } => {
                for pattern in patterns {
                    pattern.register(gate);
                }
            }
        }
        for regex in self.also_regex.iter_mut().chain(&mut self.unless_regex) {
            regex.register(gate);
        }
    }

    /// The fix of a finding at `marked` (what [`Pattern::find`] returned) in `text`, when the
    /// pattern has one and it is certain there.
    pub fn fix_at(&self, text: &str, marked: Range<usize>) -> Option<Fix> {
        match self.fix? {
            PatternFix::Remove => fixes::remove_standalone(text, marked),
        }
    }

    /// Traits that must be known before this pattern can run.
    fn uses_traits(&self) -> TraitSet {
        let marked = match &self.matcher {
            Matcher::Trait { id, .. } => {
                let mut set = TraitSet::default();
                set.insert(*id);
                set
            }
            Matcher::Regex(_) => TraitSet::default(),
        };
        TraitSet(marked.0 | self.also_traits.0 | self.unless_traits.0)
    }

    /// The kinds the pattern looks at.
    pub fn kinds(&self) -> KindSet {
        self.kinds
    }
}

/// A trait defined by a rule file: the post has it when any pattern matches or it has any of
/// the `implied_by` traits.
#[derive(Debug, Clone)]
pub struct TraitDef {
    pub id: TraitId,
    pub patterns: Vec<Pattern>,
    /// The gate slots of the patterns' regexes, as [`Rule`]'s.
    gated_by: Option<Vec<u64>>,
    pub implied_by: TraitSet,
    /// Traits that must be computed before this one (referenced by its patterns).
    depends_on: TraitSet,
}

impl TraitDef {
    /// Whether a pattern of the trait may match a text the gate found `candidates` for.
    pub fn patterns_may_match(&self, candidates: &Candidates) -> bool {
        may_match(self.gated_by.as_deref(), candidates)
    }
}

/// Whether a regex of `gated_by` ([`slot_mask`]) is a candidate; always, without a mask.
fn may_match(gated_by: Option<&[u64]>, candidates: &Candidates) -> bool {
    gated_by.is_none_or(|mask| candidates.any_of(mask))
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    pub points: f64,
    pub summary: String,
    /// Message template of post findings (empty for account-only rules).
    pub message: String,
    /// Message template of account findings (empty for post-only rules).
    pub account_message: String,
    /// Shared with every finding of the rule.
    pub suggestion: Arc<str>,
    pub explanation: String,
    /// Post kinds the rule looks at (its patterns may narrow this).
    pub kinds: KindSet,
    pub patterns: Vec<Pattern>,
    /// The gate slots of the patterns' regexes (as a mask of [`Candidates`]), when every
    /// pattern is a regex registered with the gate: a post none of them is a candidate for is
    /// matched by no pattern, so the patterns are not tried. Trying each of a post's 160-odd
    /// patterns to find its slot left out was 2.8% of all instructions.
    gated_by: Option<Vec<u64>>,
    /// The post-level check, for rules that name a post builtin.
    pub post_check: Option<Box<dyn PostCheck>>,
    /// The account-level check, for rules that name an account builtin.
    pub check: Option<Box<dyn AccountCheck>>,
    /// The spec as written (for `explain` and the example tests).
    pub spec: RuleSpec,
}

impl Rule {
    /// Whether a pattern of the rule may match a text the gate found `candidates` for.
    pub fn patterns_may_match(&self, candidates: &Candidates) -> bool {
        may_match(self.gated_by.as_deref(), candidates)
    }

    /// Whether the rule looks at single posts.
    pub fn is_post_rule(&self) -> bool {
        !self.patterns.is_empty() || self.post_check.is_some()
    }

    /// Whether the rule judges the account as a whole.
    pub fn is_account_rule(&self) -> bool {
        self.check.is_some()
    }

    /// What the rule's fixes do, when it has any: its fixable patterns' labels, or what its
    /// post check fixes. Findings of other rules never carry a fix.
    pub fn fix_summary(&self) -> Option<String> {
        let fixable: Vec<&str> = self
            .patterns
            .iter()
            .filter(|pattern| pattern.fix.is_some())
            .map(|pattern| pattern.label.as_str())
            .collect();
        if !fixable.is_empty() {
            return Some(format!(
                "removes {} when it stands apart from the sentence around it",
                fixable.join("; ")
            ));
        }
        self.post_check
            .as_ref()
            .and_then(|check| check.fix_summary())
            .map(str::to_string)
    }
}

/// Overrides of builtin options, keyed by rule id (from `--rule-option rule.key=value`).
pub type OptionOverrides = HashMap<String, toml::Table>;

/// Everything compiled from a set of rule files.
#[derive(Debug)]
pub struct CompiledRules {
    pub rules: Vec<Rule>,
    pub traits: TraitRegistry,
    /// Rule-defined traits in the order they must be computed.
    pub trait_defs: Vec<TraitDef>,
    /// Which regexes of all those patterns may match a text.
    pub gate: Gate,
}

/// Compiles rule files: validates ids and categories, compiles patterns, orders trait
/// definitions by their dependencies, and builds the account checks with their options.
pub fn compile(files: &[RuleFile], overrides: &OptionOverrides) -> Result<CompiledRules> {
    let mut traits = TraitRegistry::default();
    for name in BUILTIN_TRAITS {
        traits.add(name)?;
    }
    // Register every defined trait first, so patterns may refer to traits of any file.
    let mut seen_ids = HashMap::new();
    for file in files {
        let spec = &file.spec;
        let context = || format!("{}: rule `{}`", file.origin, spec.id);
        validate_header(spec).with_context(context)?;
        if let Some(previous) = seen_ids.insert(spec.id.clone(), file.origin.clone()) {
            bail!(
                "{}: rule `{}` is already defined in {previous}",
                file.origin,
                spec.id
            );
        }
        for definition in &spec.traits {
            validate_kebab(&definition.name)
                .and_then(|()| traits.add(&definition.name).map(drop))
                .with_context(context)?;
        }
    }
    for id in overrides.keys() {
        if !seen_ids.contains_key(id) {
            bail!("--rule-option: unknown rule `{id}`");
        }
    }

    let trait_specs: HashMap<&str, &spec::TraitSpec> = files
        .iter()
        .flat_map(|file| &file.spec.traits)
        .map(|definition| (definition.name.as_str(), definition))
        .collect();
    // Files compile on all cores (compiling regexes is most of a run's start-up); the first
    // error in file order is the one reported.
    let compiled: Vec<Result<(Vec<TraitDef>, Rule)>> = files
        .par_iter()
        .map(|file| compile_file(file, &traits, &trait_specs, overrides))
        .collect();
    let mut trait_defs = Vec::new();
    let mut rules = Vec::new();
    for file in compiled {
        let (definitions, rule) = file?;
        trait_defs.extend(definitions);
        rules.push(rule);
    }
    let mut trait_defs = order_by_dependencies(trait_defs, &traits)?;
    let mut gate = GateBuilder::default();
    let patterns = trait_defs
        .iter_mut()
        .flat_map(|definition| &mut definition.patterns)
        .chain(rules.iter_mut().flat_map(|rule| &mut rule.patterns));
    for pattern in patterns {
        pattern.register(&mut gate);
    }
    for definition in &mut trait_defs {
        definition.gated_by = slot_mask(&definition.patterns);
    }
    for rule in &mut rules {
        rule.gated_by = slot_mask(&rule.patterns);
    }
    let gate = gate.build();
    Ok(CompiledRules {
        gate,
        rules,
        traits,
        trait_defs,
    })
}

/// The mask of the gate slots of `patterns`' regexes ([`Rule::patterns_may_match`]), when
/// every pattern is a registered regex.
fn slot_mask(patterns: &[Pattern]) -> Option<Vec<u64>> {
    let mut mask = Vec::new();
    for pattern in patterns {
        let slot = pattern.gate_slot()?;
        if mask.len() <= slot / 64 {
            mask.resize(slot / 64 + 1, 0);
        }
        mask[slot / 64] |= 1 << (slot % 64);
    }
    Some(mask)
}

/// The traits a rule file defines and its rule.
fn compile_file(
    file: &RuleFile,
    traits: &TraitRegistry,
    trait_specs: &HashMap<&str, &spec::TraitSpec>,
    overrides: &OptionOverrides,
) -> Result<(Vec<TraitDef>, Rule)> {
    let mut trait_defs = Vec::new();
    let compiler = Compiler {
        traits,
        specs: trait_specs,
        eager: !file.builtin,
    };
    let spec = &file.spec;
    let context = || format!("{}: rule `{}`", file.origin, spec.id);
    for definition in &spec.traits {
        let trait_context = || format!("{}, trait `{}`", context(), definition.name);
        if let Some(pattern) = definition.patterns.iter().find(|p| p.fix.is_some()) {
            return Err(anyhow!(
                "pattern `{}`: a trait's patterns make no findings, so they carry no `fix`",
                pattern.label
            ))
            .with_context(trait_context);
        }
        let id = traits.get(&definition.name).expect("registered above");
        let patterns = compiler
            .patterns(&definition.patterns, KindSet::AUTHORED, 0)
            .with_context(trait_context)?;
        let implied_by = traits
            .set_of(&definition.implied_by, &traits.known_names())
            .with_context(trait_context)?;
        let depends_on = patterns.iter().fold(implied_by, |set, pattern| {
            TraitSet(set.0 | pattern.uses_traits().0)
        });
        trait_defs.push(TraitDef {
            id,
            patterns,
            gated_by: None,
            implied_by,
            depends_on,
        });
    }
    let rule_kinds = spec.kinds.as_deref().map_or(KindSet::AUTHORED, KindSet::of);
    let patterns = compiler
        .patterns(&spec.patterns, rule_kinds, 0)
        .with_context(context)?;
    let built = match &spec.builtin {
        Some(name) => {
            let check = builtin::build(name, spec.options.clone(), traits).with_context(context)?;
            match overrides.get(&spec.id) {
                Some(extra) => Some(
                    with_overrides(name, &spec.options, extra, check.tunable(), traits)
                        .with_context(|| format!("--rule-option for `{}`", spec.id))?,
                ),
                None => Some(check),
            }
        }
        None if !spec.options.is_empty() => {
            return Err(anyhow!("`options` are only read by a `builtin` check"))
                .with_context(context);
        }
        None if overrides.contains_key(&spec.id) => {
            bail!("--rule-option: rule `{}` has no options", spec.id);
        }
        None => None,
    };
    let (post_check, check) = match built {
        Some(Builtin::Post(check)) => (Some(check), None),
        Some(Builtin::Account(check)) => (None, Some(check)),
        None => (None, None),
    };
    if patterns.is_empty() && post_check.is_none() && check.is_none() && spec.traits.is_empty() {
        return Err(anyhow!("the rule has no `patterns`, `traits` or `builtin`"))
            .with_context(context);
    }
    let mut message_placeholders = vec!["match", "pattern"];
    if let Some(check) = &post_check {
        message_placeholders.extend(check.placeholders());
    }
    let message = template(
        &spec.message,
        "message",
        !patterns.is_empty() || post_check.is_some(),
        &message_placeholders,
    )
    .with_context(context)?;
    let account_message = template(
        &spec.account_message,
        "account_message",
        check.is_some(),
        check.as_ref().map_or(&[], |check| check.placeholders()),
    )
    .with_context(context)?;
    let rule = Rule {
        id: spec.id.clone(),
        category: spec.category.clone(),
        severity: spec.severity,
        points: spec.points,
        summary: spec.summary.clone(),
        message,
        account_message,
        suggestion: spec.suggestion.as_str().into(),
        explanation: spec.explanation.clone(),
        kinds: rule_kinds,
        patterns,
        gated_by: None,
        post_check,
        check,
        spec: spec.clone(),
    };
    Ok((trait_defs, rule))
}

fn validate_header(spec: &RuleSpec) -> Result<()> {
    validate_kebab(&spec.id)?;
    if !crate::score::is_known_category(&spec.category) {
        bail!(
            "unknown category `{}` (known: {})",
            spec.category,
            crate::score::CATEGORIES.map(|c| c.name).join(", ")
        );
    }
    if !(spec.points.is_finite() && (0.0..=100.0).contains(&spec.points)) {
        bail!("`points` must be between 0 and 100, found {}", spec.points);
    }
    Ok(())
}

/// Checks a message template: present exactly when `needed`, using only `known` placeholders.
fn template(value: &Option<String>, field: &str, needed: bool, known: &[&str]) -> Result<String> {
    match value {
        None if needed => bail!("`{field}` is missing"),
        None => Ok(String::new()),
        Some(_) if !needed => bail!("`{field}` is set but nothing uses it"),
        Some(template) => {
            for placeholder in placeholders(template) {
                if !known.contains(&placeholder) {
                    let known: Vec<String> =
                        known.iter().map(|name| format!("{{{name}}}")).collect();
                    bail!(
                        "unknown placeholder `{{{placeholder}}}` in `{field}` (known: {})",
                        known.join(", ")
                    );
                }
            }
            Ok(template.clone())
        }
    }
}

/// The `{name}` placeholders of a message template.
fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
}

/// Fills a message template: `{name}` becomes `value(name)`; unknown names stay as written.
pub fn render(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| value(&after[..close]).map(|v| (close, v)))
        {
            Some((close, filled)) => {
                out.push_str(&filled);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn validate_kebab(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        bail!("`{name}` is not a kebab-case name (lowercase letters, digits and single dashes)")
    }
}

/// Rebuilds a builtin check with user overrides: only its tunable options may change, and
/// errors name the flag rather than the rule file.
fn with_overrides(
    name: &str,
    defaults: &toml::Table,
    overrides: &toml::Table,
    tunable: &[&str],
    traits: &TraitRegistry,
) -> Result<Builtin> {
    let mut options = defaults.clone();
    for (key, value) in overrides {
        if !tunable.contains(&key.as_str()) {
            let what = if defaults.contains_key(key) {
                "is part of the rule's definition and cannot be changed"
            } else {
                "does not exist"
            };
            bail!(
                "option `{key}` {what} (options you can set: {})",
                tunable.join(", ")
            );
        }
        options.insert(key.clone(), value.clone());
    }
    builtin::build(name, options, traits)
}

/// Compiles patterns; knows every trait definition so a pattern can mark a trait's matches.
struct Compiler<'a> {
    traits: &'a TraitRegistry,
    specs: &'a HashMap<&'a str, &'a spec::TraitSpec>,
    /// Compile regexes now, so a regex too big to compile is an error here (house rules).
    eager: bool,
}

/// How deep `marks_trait` may nest; deeper means traits that mark each other in a cycle.
const MAX_TRAIT_NESTING: usize = 8;

impl Compiler<'_> {
    fn patterns(
        &self,
        specs: &[PatternSpec],
        default_kinds: KindSet,
        depth: usize,
    ) -> Result<Vec<Pattern>> {
        // Compiling regexes is most of a run's start-up: spread it over the cores.
        specs
            .par_iter()
            .map(|spec| self.pattern(spec, default_kinds, depth))
            .collect()
    }

    fn pattern(&self, spec: &PatternSpec, default_kinds: KindSet, depth: usize) -> Result<Pattern> {
        let context = || format!("pattern `{}`", spec.label);
        let matcher = self.matcher(spec, depth).with_context(context)?;
        let known = self.traits.known_names();
        let regexes = |sources: &[String]| -> Result<Vec<TextRegex>> {
            sources
                .iter()
                .map(|regex| self.regex(regex, spec.case_sensitive))
                .collect()
        };
        Ok(Pattern {
            label: spec.label.clone(),
            matcher,
            kinds: spec.kinds.as_deref().map_or(default_kinds, KindSet::of),
            also_regex: regexes(&spec.also_regex).with_context(context)?,
            also_traits: self
                .traits
                .set_of(&spec.also_traits, &known)
                .with_context(context)?,
            also_words_at_most: spec.also_words_at_most,
            unless_regex: regexes(&spec.unless_regex).with_context(context)?,
            unless_traits: self
                .traits
                .set_of(&spec.unless_traits, &known)
                .with_context(context)?,
            fix: spec.fix,
        })
    }

    /// A pattern's regex: parsed now, compiled now when [`Compiler::eager`].
    fn regex(&self, source: &str, case_sensitive: bool) -> Result<TextRegex> {
        let regex = TextRegex::new(source, case_sensitive)
            .map_err(|error| anyhow!("invalid regex: {error}"))?;
        if self.eager {
            regex
                .compile()
                .map_err(|error| anyhow!("invalid regex: {error}"))?;
        }
        Ok(regex)
    }

    fn matcher(&self, spec: &PatternSpec, depth: usize) -> Result<Matcher> {
        let mut alternatives: Vec<String> = spec
            .phrases
            .iter()
            .map(|phrase| phrase_regex(phrase))
            .collect();
        if let Some(regex) = &spec.regex {
            alternatives.push(regex.clone());
        }
        match (&spec.marks_trait, alternatives.is_empty()) {
            (Some(_), false) => bail!("give `marks_trait` or `regex`/`phrases`, not both"),
            (None, true) => bail!("needs `regex`, `phrases` or `marks_trait`"),
            (None, false) => {
                let source = alternatives
                    .iter()
                    .map(|alternative| format!("(?:{alternative})"))
                    .collect::<Vec<_>>()
                    .join("|");
                Ok(Matcher::Regex(self.regex(&source, spec.case_sensitive)?))
            }
            (Some(name), true) => {
                let definition = self.specs.get(name.as_str()).ok_or_else(|| {
                    anyhow!("`marks_trait`: no rule defines a trait `{name}` with patterns")
                })?;
                if depth >= MAX_TRAIT_NESTING {
                    bail!("`marks_trait` nests too deep (do traits mark each other in a cycle?)");
                }
                Ok(Matcher::Trait {
                    id: self.traits.get(name).expect("registered"),
                    patterns: self.patterns(&definition.patterns, KindSet::AUTHORED, depth + 1)?,
                })
            }
        }
    }
}

/// A literal phrase as a regex: whole words at its ends, any whitespace between its words.
pub fn phrase_regex(phrase: &str) -> String {
    let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
    let starts_with_word = phrase
        .trim_start()
        .starts_with(|c: char| c.is_alphanumeric() || c == '_');
    let ends_with_word = phrase
        .trim_end()
        .ends_with(|c: char| c.is_alphanumeric() || c == '_');
    format!(
        "{}{}{}",
        if starts_with_word { r"\b" } else { "" },
        words.join(r"\s+"),
        if ends_with_word { r"\b" } else { "" }
    )
}

/// Orders trait definitions so every trait comes after the traits its patterns use.
fn order_by_dependencies(
    mut pending: Vec<TraitDef>,
    traits: &TraitRegistry,
) -> Result<Vec<TraitDef>> {
    let mut done = TraitSet::default();
    for (index, _) in BUILTIN_TRAITS.iter().enumerate() {
        done.insert(TraitId(index as u8));
    }
    let mut ordered = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let before = pending.len();
        let mut index = 0;
        while index < pending.len() {
            if pending[index].depends_on.0 & !done.0 == 0 {
                let definition = pending.remove(index);
                done.insert(definition.id);
                ordered.push(definition);
            } else {
                index += 1;
            }
        }
        if pending.len() == before {
            let names: Vec<&str> = pending.iter().map(|d| traits.name(d.id)).collect();
            bail!(
                "traits depend on each other in a cycle: {}",
                names.join(", ")
            );
        }
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Pattern {
        fn regexes(&self) -> Vec<&TextRegex> {
            let mut regexes: Vec<&TextRegex> = match &self.matcher {
                Matcher::Regex(regex) => vec![regex],
                Matcher::Trait { patterns, .. } => {
                    patterns.iter().flat_map(Pattern::regexes).collect()
                }
            };
            regexes.extend(self.also_regex.iter().chain(&self.unless_regex));
            regexes
        }
    }

    fn builtin_patterns(compiled: &CompiledRules) -> impl Iterator<Item = &Pattern> {
        compiled
            .trait_defs
            .iter()
            .flat_map(|definition| &definition.patterns)
            .chain(compiled.rules.iter().flat_map(|rule| &rule.patterns))
    }

    /// Built-in regexes are parsed and compiled lazily, trusting this test: every one of them
    /// compiles.
    #[test]
    fn every_builtin_regex_compiles() {
        let compiled = compile(&builtin_rule_files().unwrap(), &OptionOverrides::new()).unwrap();
        let mut count = 0;
        for pattern in builtin_patterns(&compiled) {
            for regex in pattern.regexes() {
                regex
                    .compile()
                    .unwrap_or_else(|error| panic!("{}: {error}", pattern.label));
                count += 1;
            }
        }
        assert!(count > 100, "only {count} regexes");
    }

    /// The gate's literals of the built-in regexes, kept in `builtin_literals.rs` so that a run
    /// need not parse every regex to find them, are the ones their patterns give now. When they
    /// are not, the file is rewritten (as rust-analyzer's generated sources are) and the test
    /// fails, so that the change is seen and committed.
    #[test]
    fn builtin_literals_are_current() {
        let compiled = compile(&builtin_rule_files().unwrap(), &OptionOverrides::new()).unwrap();
        let regexes: Vec<&TextRegex> = builtin_patterns(&compiled)
            .flat_map(Pattern::regexes)
            .collect();
        let expected = text_regex::render_builtin_literals(&regexes);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules/builtin_literals.rs");
        // Compared without carriage returns: a checkout may have turned the line ends to CRLF.
        let current = std::fs::read_to_string(path).map(|text| text.replace("\r\n", "\n"));
        if current.ok().as_deref() != Some(expected.as_str()) {
            std::fs::write(path, &expected).unwrap();
            panic!(
                "{path} was out of date and has been rewritten: run the tests again and commit it"
            );
        }
        // Loading the rules parsed none of them: the gate's literals came from the file.
        assert!(regexes.iter().all(|regex| !regex.is_parsed()));
    }

    #[test]
    fn a_house_rule_regex_too_big_to_compile_is_an_error_when_loaded() {
        let house = include_str!("../../fixtures/overrides/house-rules/corporate-jargon.toml");
        let huge = house.replace(
            r"(?i)\b(?:synerg(?:y|ies|istic)|leverag(?:e|ed|ing))\b",
            r"\w{1000}\w{1000}\w{1000}",
        );
        assert_ne!(house, huge, "the fixture's regex was replaced");
        let mut files = builtin_rule_files().unwrap();
        files.push(parse_rule_file("house/huge.toml", &huge).unwrap());
        let error = format!(
            "{:#}",
            compile(&files, &OptionOverrides::new()).unwrap_err()
        );
        assert!(
            error.starts_with(
                "house/huge.toml: rule `corporate-jargon`: pattern `a jargon word`: invalid regex"
            ),
            "{error}"
        );
        // Built in, the same regex would only be parsed at load.
        let mut files = builtin_rule_files().unwrap();
        files.push(RuleFile {
            builtin: true,
            ..parse_rule_file("house/huge.toml", &huge).unwrap()
        });
        assert!(compile(&files, &OptionOverrides::new()).is_ok());
    }

    #[test]
    fn phrases_match_whole_words_with_any_spacing() {
        let regex = TextRegex::new(&phrase_regex("click to tweet"), false).unwrap();
        let none = Candidates::default();
        assert!(regex.is_match("Click  to\nTweet!", &none));
        assert!(!regex.is_match("doubleclick to tweets", &none));
        let regex = TextRegex::new(&phrase_regex("ctt.ec/"), true).unwrap();
        assert!(regex.is_match("https://ctt.ec/abc", &none));
        assert!(!regex.is_match("cttxec/", &none));
    }

    #[test]
    fn kebab_names_only() {
        assert!(validate_kebab("auto-dm").is_ok());
        for bad in ["Auto-dm", "auto_dm", "-x", "x-", "a--b", ""] {
            assert!(validate_kebab(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn templates_are_filled() {
        let filled = render("a {x} b {y} {", |name| {
            (name == "x").then(|| "X".to_string())
        });
        assert_eq!(filled, "a X b {y} {");
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(
            placeholders("a {match} b {x}").collect::<Vec<_>>(),
            vec!["match", "x"]
        );
    }
}
