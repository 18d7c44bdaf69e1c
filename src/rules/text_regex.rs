//! [`TextRegex`]: a rule's regex, with Unicode word boundaries kept exact and fast.
//!
//! Rule patterns use `\b` so that `promo` does not match inside `promoção`, and `\b` in the
//! regex crate means a Unicode word boundary. The crate's fast engines (the lazy DFA) cannot
//! evaluate a Unicode word boundary on non-ASCII text, and posts are full of it (curly quotes,
//! dashes, emoji), so every such search fell back to the slow engines: measured on 3.6 MB of
//! `tweets.js`, three quarters of the run. Swapping in ASCII boundaries (`(?-u:\b)`) would be
//! fast but wrong on exactly those posts. Instead each regex with word boundaries gets a
//! *prefilter*: the same regex with its word boundaries removed. Removing an assertion can only
//! add matches, so a post the prefilter rejects cannot match the full regex; the prefilter runs
//! on the DFA, and the exact regex runs only on the few posts that pass it.

use std::sync::OnceLock;

use regex::{Captures, Match, Regex, RegexBuilder};
use regex_automata::meta;
use regex_syntax::ParserBuilder;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::gate::{Candidates, GateBuilder};

/// Literals of which a match contains at least one (ASCII lowercased).
pub type Literals = Vec<Vec<u8>>;
/// Literal sets a match needs all of: one literal of each.
pub type Conjunction = Vec<Literals>;
/// Most literal sets in one [`Conjunction`].
const MAX_SETS: usize = 4;
/// Most alternatives (one per branch of a top-level alternation) a requirement is split into.
const MAX_CONJUNCTIONS: usize = 16;
/// Literals this long are rare enough in posts: among sets whose shortest literal is at least
/// this long, the gate prefers the set with fewer literals.
const MIN_SELECTIVE_LITERAL: usize = 4;
/// Largest compiled size of one pattern, so a user rule cannot make the run slow or huge.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;

/// A rule regex: the exact regex and, when it has word boundaries, a prefilter that accepts a
/// superset of its matches. The pattern is parsed (and checked) when the rule is loaded, but
/// compiled only when a post first needs it: compiling is most of a run's start-up, and the
/// [`Gate`](super::gate::Gate) lets many regexes never run on a small input. The prefilter is
/// built from the parsed pattern directly: printing it back to a string and parsing that again
/// cost twice the exact regex's compile time, as its Unicode classes print in full.
#[derive(Debug, Clone)]
pub struct TextRegex {
    source: String,
    case_sensitive: bool,
    /// The parsed pattern without its word boundaries, when it had some: the prefilter.
    loose: Option<Hir>,
    compiled: OnceLock<Compiled>,
    has_match_group: bool,
    /// The literals every match contains, when that is known (see [`requirement`]); handed to
    /// the [`Gate`](super::gate::Gate) by [`TextRegex::register`].
    requirement: Option<Vec<Conjunction>>,
    /// This regex's place in the gate's [`Candidates`].
    slot: usize,
}

/// The compiled form of a [`TextRegex`].
#[derive(Debug, Clone)]
struct Compiled {
    exact: Regex,
    prefilter: Option<meta::Regex>,
}

impl TextRegex {
    /// Parses `source`, case-insensitive unless `case_sensitive`; a syntax error is an error
    /// here. Compiling waits for [`TextRegex::compile`] or the first search.
    pub fn new(source: &str, case_sensitive: bool) -> Result<TextRegex, String> {
        let hir = ParserBuilder::new()
            .case_insensitive(!case_sensitive)
            .build()
            .parse(source)
            .map_err(|error| error.to_string())?;
        let requirement = requirement(&without_letter_case(&hir));
        let has_match_group = has_capture_named(&hir, "match");
        let mut removed = false;
        let loose = without_word_boundaries(hir, &mut removed);
        Ok(TextRegex {
            source: source.to_string(),
            case_sensitive,
            loose: removed.then_some(loose),
            compiled: OnceLock::new(),
            has_match_group,
            requirement,
            slot: usize::MAX,
        })
    }

    /// Compiles the regex now, if it is not yet; an error when it is too big
    /// (`REGEX_SIZE_LIMIT`). Built-in regexes are compiled by the test suite, so their lazy
    /// compilation cannot fail.
    pub fn compile(&self) -> Result<(), String> {
        if self.compiled.get().is_none() {
            let compiled = self.build()?;
            let _ = self.compiled.set(compiled);
        }
        Ok(())
    }

    fn build(&self) -> Result<Compiled, String> {
        let exact = RegexBuilder::new(&self.source)
            .case_insensitive(!self.case_sensitive)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|error| error.to_string())?;
        let prefilter = match &self.loose {
            Some(loose) => Some(
                meta::Builder::new()
                    .configure(meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)))
                    .build_from_hir(loose)
                    .map_err(|error| error.to_string())?,
            ),
            None => None,
        };
        Ok(Compiled { exact, prefilter })
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            self.build()
                .expect("house rules compile when loaded, built-in ones in the test suite")
        })
    }

    /// Whether the regex has a capture group called `match`.
    pub fn has_match_group(&self) -> bool {
        self.has_match_group
    }

    /// Hands the regex's literals to the gate being built, and takes its slot there.
    pub fn register(&mut self, gate: &mut GateBuilder) {
        self.slot = gate.add(self.requirement.take().as_deref());
    }

    /// Whether `text` can match, as far as the gate and the prefilter can tell. A regex that
    /// was never registered with a gate is always a candidate.
    /// The compiled regex, when `text` can match as far as the gate and the prefilter can tell.
    /// A regex that was never registered with a gate is always a candidate.
    fn may_match(&self, text: &str, candidates: &Candidates) -> Option<&Regex> {
        if self.slot != usize::MAX && !candidates.contains(self.slot) {
            return None;
        }
        let compiled = self.compiled();
        compiled
            .prefilter
            .as_ref()
            .is_none_or(|prefilter| prefilter.is_match(text))
            .then_some(&compiled.exact)
    }

    pub fn is_match(&self, text: &str, candidates: &Candidates) -> bool {
        self.may_match(text, candidates)
            .is_some_and(|exact| exact.is_match(text))
    }

    pub fn find<'t>(&self, text: &'t str, candidates: &Candidates) -> Option<Match<'t>> {
        self.may_match(text, candidates)?.find(text)
    }

    pub fn captures<'t>(&self, text: &'t str, candidates: &Candidates) -> Option<Captures<'t>> {
        self.may_match(text, candidates)?.captures(text)
    }
}

/// `hir` with every class that only spells one ASCII letter in either case (`[kK\u{212A}]`,
/// what `(?i)k` parses to) replaced by the lowercase letter. The gate matches ASCII letters in
/// either case anyway, and without this a case-insensitive word multiplies into 2^n literals
/// and the extractor gives up. The two non-ASCII letters that fold to ASCII ones (the Kelvin
/// sign and the long s) are why [`Gate::candidates`](super::gate::Gate::candidates) lets every
/// regex run on a text that contains one.
fn without_letter_case(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(class) => match ascii_letter_in_any_case(class) {
            Some(letter) => Hir::literal([letter]),
            None => hir.clone(),
        },
        HirKind::Repetition(repetition) => {
            let mut repetition = repetition.clone();
            repetition.sub = Box::new(without_letter_case(&repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Capture(capture) => {
            let mut capture = capture.clone();
            capture.sub = Box::new(without_letter_case(&capture.sub));
            Hir::capture(capture)
        }
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(without_letter_case).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.iter().map(without_letter_case).collect())
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// The lowercase ASCII letter `class` spells, if it holds nothing but that letter's cases.
fn ascii_letter_in_any_case(class: &Class) -> Option<u8> {
    let chars: Vec<char> = match class {
        Class::Unicode(class) => {
            let mut chars = Vec::new();
            for range in class.ranges() {
                for c in range.start()..=range.end() {
                    chars.push(c);
                    if chars.len() > 3 {
                        return None;
                    }
                }
            }
            chars
        }
        Class::Bytes(class) => {
            let mut chars = Vec::new();
            for range in class.ranges() {
                for byte in range.start()..=range.end() {
                    chars.push(char::from(byte));
                    if chars.len() > 3 {
                        return None;
                    }
                }
            }
            chars
        }
    };
    let letter = chars
        .iter()
        .find(|c| c.is_ascii_alphabetic())?
        .to_ascii_lowercase();
    let same_letter = |c: &char| {
        c.to_ascii_lowercase() == letter
            || (letter == 'k' && *c == '\u{212A}')
            || (letter == 's' && *c == '\u{17F}')
    };
    chars.iter().all(same_letter).then_some(letter as u8)
}

/// What the literals of a match must be, as alternatives: every match holds, for one of the
/// returned conjunctions, a literal of each of its sets. A top-level alternation gives one
/// conjunction per branch; a sequence needs a literal from each of its parts that has them
/// (`my` and `new|latest` and `book|course`), the most selective [`MAX_SETS`] kept. `None` when
/// a match may hold no known literal at all.
fn requirement(hir: &Hir) -> Option<Vec<Conjunction>> {
    let mut hir = hir;
    while let HirKind::Capture(capture) = hir.kind() {
        hir = &capture.sub;
    }
    if let HirKind::Alternation(branches) = hir.kind() {
        let split: Option<Vec<Conjunction>> = branches
            .iter()
            .map(requirement)
            .collect::<Option<Vec<_>>>()
            .map(|branches| branches.into_iter().flatten().collect());
        if let Some(split) = split.filter(|split| split.len() <= MAX_CONJUNCTIONS) {
            return Some(split);
        }
    }
    let mut sets: Vec<Literals> = Vec::new();
    if let HirKind::Concat(parts) = hir.kind() {
        sets.extend(
            parts
                .iter()
                .filter_map(|part| literals(part, ExtractKind::Prefix)),
        );
    }
    sets.extend(required_literals(hir));
    sets.sort_by_key(|set| std::cmp::Reverse(selectivity(set)));
    sets.dedup();
    sets.truncate(MAX_SETS);
    (!sets.is_empty()).then(|| vec![sets])
}

/// How rare a set of literals is in posts: longer shortest literal first, then fewer literals.
fn selectivity(literals: &Literals) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = literals.iter().map(Vec::len).min().unwrap_or(0);
    (
        shortest.min(MIN_SELECTIVE_LITERAL),
        std::cmp::Reverse(literals.len()),
    )
}

/// A set of literals one of which every match contains, ASCII lowercased and without repeats;
/// `None` when no such set is known. Of the sets the pattern offers (the literals its matches
/// start or end with, those the matches of one part of a sequence start with, or the union of
/// its alternatives' sets), the most selective: the one whose shortest literal is longest,
/// then the smallest. Sequences are not looked into further: extracting literals from every
/// sub-pattern cost more start-up time than it saved.
fn required_literals(hir: &Hir) -> Option<Literals> {
    let mut hir = hir;
    while let HirKind::Capture(capture) = hir.kind() {
        hir = &capture.sub;
    }
    let mut options = vec![
        literals(hir, ExtractKind::Prefix),
        literals(hir, ExtractKind::Suffix),
    ];
    match hir.kind() {
        HirKind::Concat(parts) => {
            options.extend(
                parts
                    .iter()
                    .skip(1)
                    .map(|part| literals(part, ExtractKind::Prefix)),
            );
        }
        // Each branch may have its own best set (one starts with `$`, another ends with it).
        HirKind::Alternation(branches) => options.push(
            branches
                .iter()
                .map(required_literals)
                .collect::<Option<Vec<_>>>()
                .map(|sets| {
                    let mut union: Vec<Vec<u8>> = sets.into_iter().flatten().collect();
                    union.sort_unstable();
                    union.dedup();
                    union
                }),
        ),
        _ => {}
    }
    options.into_iter().flatten().max_by_key(selectivity)
}

/// The literals `kind` extraction finds for `hir`, when they are finite and none is empty.
fn literals(hir: &Hir, kind: ExtractKind) -> Option<Literals> {
    let seq = Extractor::new().kind(kind).extract(hir);
    let found = seq.literals()?;
    if found.iter().any(|literal| literal.is_empty()) {
        return None;
    }
    let mut found: Vec<Vec<u8>> = found
        .iter()
        .map(|literal| literal.as_bytes().to_ascii_lowercase())
        .collect();
    found.sort_unstable();
    found.dedup();
    Some(found)
}

/// Whether `hir` has a capture group called `name`.
fn has_capture_named(hir: &Hir, name: &str) -> bool {
    match hir.kind() {
        HirKind::Capture(capture) => {
            capture.name.as_deref() == Some(name) || has_capture_named(&capture.sub, name)
        }
        HirKind::Repetition(repetition) => has_capture_named(&repetition.sub, name),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(|sub| has_capture_named(sub, name))
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// `hir` with every word-boundary assertion replaced by the empty regex; sets `removed` when
/// there was one.
fn without_word_boundaries(hir: Hir, removed: &mut bool) -> Hir {
    match hir.into_kind() {
        HirKind::Look(look) if is_word_boundary(look) => {
            *removed = true;
            Hir::empty()
        }
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(without_word_boundaries(*repetition.sub, removed));
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(without_word_boundaries(*capture.sub, removed));
            Hir::capture(capture)
        }
        HirKind::Concat(subs) => Hir::concat(
            subs.into_iter()
                .map(|sub| without_word_boundaries(sub, removed))
                .collect(),
        ),
        HirKind::Alternation(subs) => Hir::alternation(
            subs.into_iter()
                .map(|sub| without_word_boundaries(sub, removed))
                .collect(),
        ),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
    }
}

fn is_word_boundary(look: Look) -> bool {
    !matches!(
        look,
        Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    impl TextRegex {
        fn is_match_ungated(&self, text: &str) -> bool {
            self.is_match(text, &Candidates::default())
        }
    }

    /// The exact and prefiltered answers agree on texts chosen to sit on word boundaries next
    /// to non-ASCII letters, punctuation and emoji.
    #[test]
    fn prefiltering_never_changes_a_match() {
        let patterns = [
            r"\bpromo\b",
            r"\bfree\s+(?:e-?book|guide)\b",
            r"(?P<match>\bthanks\b)[^.]*\bfollow",
            r"\Bing\b",
            r"\b{start}dm\b{end}",
            r"^\bhi\b",
            r"caf\w\b",
        ];
        let texts = [
            "promoção de verão",
            "Big promo today!",
            "«promo»",
            "free ebook ✨",
            "free\u{a0}guide",
            "Thanks for the follow",
            "thanksgiving follow",
            "singing",
            "ing",
            "admin dm’d you",
            "dm",
            "hi there",
            "hié",
            "café au lait",
            "cafe au lait",
            "",
        ];
        let none = Candidates::default();
        for pattern in patterns {
            let regex = TextRegex::new(pattern, false).unwrap();
            assert!(regex.loose.is_some(), "{pattern}");
            let plain = RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .unwrap();
            for text in texts {
                assert_eq!(
                    regex.find(text, &none).map(|found| found.range()),
                    plain.find(text).map(|found| found.range()),
                    "{pattern} on {text:?}"
                );
                assert_eq!(
                    regex
                        .captures(text, &none)
                        .map(|found| found.get(0).unwrap().range()),
                    plain
                        .captures(text)
                        .map(|found| found.get(0).unwrap().range()),
                );
            }
        }
    }

    #[test]
    fn unicode_word_boundaries_stay_exact() {
        let regex = TextRegex::new(r"\bpromo\b", false).unwrap();
        assert!(regex.is_match_ungated("PROMO code inside"));
        assert!(
            !regex.is_match_ungated("promoção"),
            "an accented letter is a word character"
        );
    }

    #[test]
    fn regexes_without_boundaries_have_no_prefilter() {
        let regex = TextRegex::new(r"ctt\.ec/", false).unwrap();
        assert!(regex.loose.is_none());
        assert!(regex.is_match_ungated("https://ctt.ec/x"));
    }

    /// The gate agrees with the plain regex, case folding included (`ſ` is `s`, `K` is `k`
    /// to a case-insensitive Unicode regex).
    #[test]
    fn gating_never_changes_a_match() {
        let patterns = [
            (r"promo", false),
            (r"free\s+(?:e-?book|guide)", false),
            (r"(?i)thanks for (?:the )?follow", true),
            (r"dm", false),
            (r"[A-Z]{5,}", true),
            (r"café|naïve", false),
            (r"#\w+", false),
            (r"\bsale\b|\bkind(?:ly)?\b", false),
            (r"thanks for the follow", false),
        ];
        let texts = [
            "PROMO code",
            "ſale promo",
            "ＰＲＯＭＯ",
            "Free eBook!",
            "free guide",
            "THANKS FOR THE FOLLOW",
            "thanks for follow",
            "Send me a DM",
            "shouting NEVER",
            "CAFÉ open",
            "NAÏVE",
            "#tag",
            "nothing here",
            "",
            "thanKs for the follow",
            "big ſale",
            "\u{212A}indly RT",
            "kindness",
        ];
        let mut gate = GateBuilder::default();
        let mut regexes: Vec<(TextRegex, Regex)> = patterns
            .iter()
            .map(|(pattern, case_sensitive)| {
                let plain = RegexBuilder::new(pattern)
                    .case_insensitive(!case_sensitive)
                    .build()
                    .unwrap();
                (TextRegex::new(pattern, *case_sensitive).unwrap(), plain)
            })
            .collect();
        for (regex, _) in &mut regexes {
            regex.register(&mut gate);
        }
        let gate = gate.build();
        for text in texts {
            let candidates = gate.candidates(text);
            for ((regex, plain), (pattern, _)) in regexes.iter().zip(patterns) {
                assert_eq!(
                    regex.find(text, &candidates).map(|found| found.range()),
                    plain.find(text).map(|found| found.range()),
                    "{pattern} on {text:?}"
                );
            }
        }
        // The literal-free regex always runs; the others only on texts with their literals,
        // found whatever their case.
        assert!(gate.candidates("").contains(regexes[4].0.slot));
        assert!(!gate.candidates("nothing here").contains(regexes[0].0.slot));
        assert!(!gate.candidates("nothing here").contains(regexes[8].0.slot));
        assert!(
            gate.candidates("THANKS FOR the FOLLOW")
                .contains(regexes[8].0.slot)
        );
    }
}
