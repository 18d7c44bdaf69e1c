//! [`TextRegex`]: a rule's regex, with Unicode word boundaries kept exact and fast.
//!
//! Rule patterns use `\b` so that `promo` does not match inside `promoção`, and `\b` in the
//! regex crate means a Unicode word boundary. The crate's fast engines (the lazy DFA) cannot
//! evaluate a Unicode word boundary on non-ASCII text, and posts are full of it (curly quotes,
//! dashes, emoji), so every such search fell back to the slow engines: measured on 3.6 MB of
//! `tweets.js`, three quarters of the run. Swapping in ASCII boundaries (`(?-u:\b)`) everywhere
//! would be fast but wrong next to non-ASCII letters. So a regex with word boundaries runs as
//! one of two stand-ins, both on the DFA:
//!
//! - on a text whose word characters are all ASCII (emoji and curly quotes are not word
//!   characters; measured: four posts in five of the benchmark corpus), the same regex with
//!   ASCII boundaries, which is exact there;
//! - on any other text, a *prefilter* first: the regex with its word boundaries removed and
//!   every class with non-ASCII characters widened to all of them. Removing an assertion or
//!   widening a class can only add matches, so a post the prefilter rejects cannot match, and
//!   no match starts before the prefilter's first one: a match is then only tried anchored
//!   where the prefilter matched, by the ASCII twin where no word character past ASCII is in
//!   its reach, else by the exact regex.

use std::ops::Range;
use std::sync::{LazyLock, Mutex, OnceLock};

use regex_automata::util::captures::Captures;
use regex_automata::util::iter;
use regex_automata::{Anchored, Input, Match, meta};
use regex_syntax::ParserBuilder;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

use super::gate::{Candidates, GateBuilder};
use crate::text::is_ascii_word_byte;

/// Literals of which a match contains at least one (ASCII lowercased).
pub type Literals = Vec<Vec<u8>>;
/// Literal sets a match needs all of: one literal of each.
pub type Conjunction = Vec<Literals>;
/// Most literal sets in one [`Conjunction`].
const MAX_SETS: usize = 4;
/// Most alternatives (by the branches of alternations, see [`requirement`]) a requirement is
/// split into.
const MAX_CONJUNCTIONS: usize = 16;
/// Literals this long are rare enough in posts: among sets whose shortest literal is at least
/// this long, the gate prefers the set with fewer literals.
const MIN_SELECTIVE_LITERAL: usize = 4;
/// Shortest literal a set needs to be required besides the most selective one.
const MIN_EXTRA_LITERAL: usize = 3;
/// Largest compiled size of one pattern, so a user rule cannot make the run slow or huge.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
/// Most positions where the exact regex is tried anchored (see [`TextRegex::exact_from`]).
const MAX_ANCHORED_TRIES: usize = 16;

/// A rule regex: the exact regex and, when it has word boundaries, two stand-ins that let the
/// fast engines run: an ASCII-boundary twin, exact on texts without non-ASCII word characters
/// (see [`ascii_words`]), and a prefilter that accepts a superset of its matches on any text.
///
/// Each is compiled only when a post first needs it: compiling is most of a run's start-up,
/// and the [`Gate`](super::gate::Gate) lets many regexes never run on a small input. A
/// built-in regex is not even parsed until then: the literals the gate needs from it were
/// found when the rules were written (see [`builtin_literals`](super::builtin_literals)), and
/// parsing took three quarters of the start-up that was left. Any other regex is parsed, and
/// checked, when its rule is loaded. All forms are built from the parsed pattern directly:
/// printing it back to a string and parsing that again cost twice the exact regex's compile
/// time, as its Unicode classes print in full.
#[derive(Debug, Clone)]
pub struct TextRegex {
    source: Box<str>,
    case_sensitive: bool,
    /// The parsed pattern and what it tells; set when the regex is made unless it is a
    /// built-in one.
    parsed: OnceLock<Parsed>,
    compiled: Compiled,
    /// The literals every match contains, when that is known (see [`requirement`]); handed to
    /// the [`Gate`](super::gate::Gate) by [`TextRegex::register`].
    requirement: Option<Vec<Conjunction>>,
    /// This regex's place in the gate's [`Candidates`], once registered.
    slot: Option<usize>,
}

/// A [`TextRegex`]'s pattern, parsed.
#[derive(Debug, Clone)]
struct Parsed {
    hir: Hir,
    /// Whether `hir` has Unicode word boundaries, so that the stand-ins are worth building.
    has_word_boundaries: bool,
    /// The longest match in bytes, when bounded: an exact search anchored at a position need
    /// not look further.
    max_len: Option<usize>,
    has_match_group: bool,
}

impl Parsed {
    fn new(source: &str, case_sensitive: bool) -> Result<Parsed, String> {
        let hir = ParserBuilder::new()
            .case_insensitive(!case_sensitive)
            .build()
            .parse(source)
            .map_err(|error| error.to_string())?;
        Ok(Parsed {
            has_match_group: has_capture_named(&hir, "match"),
            has_word_boundaries: hir.properties().look_set().contains_word_unicode(),
            max_len: hir.properties().maximum_len(),
            hir,
        })
    }

    /// The literals every match contains (see [`requirement`]).
    fn requirement(&self) -> Option<Vec<Conjunction>> {
        requirement(&for_literals(&self.hir), MAX_CONJUNCTIONS)
    }
}

/// The compiled forms of a [`TextRegex`], each built when first needed: on most texts a regex
/// with word boundaries only needs its ASCII twin. Boxed: a form's cache takes over a kilobyte.
#[derive(Debug, Clone, Default)]
struct Compiled {
    exact: OnceLock<Box<Searcher>>,
    /// The regex with ASCII word boundaries: the same matches on a text whose word characters
    /// are all ASCII, since there a Unicode boundary and an ASCII one are at the same places
    /// (and on any span that holds no other word character, nor has one on either side).
    ascii: OnceLock<Box<Searcher>>,
    /// The regex without its word boundaries, its classes widened (see [`for_prefilter`]).
    /// Both can only add matches, so no match of the exact regex starts before the
    /// prefilter's first match.
    prefilter: OnceLock<Box<Searcher>>,
}

/// A compiled form, with a search cache (the lazy DFA's states, above all) that every thread
/// uses while no other thread holds it.
///
/// `meta::Regex` keeps a cache per thread, so each thread built the DFA states of every regex
/// anew: in a run over a 5 MB archive, building them was a tenth of the CPU time, on each
/// thread. A thread that finds the shared cache taken searches with a cache of its own, as
/// before. Measured (21 runs alternated): the archive 144 → 141 ms, 256 → 243 ms of CPU;
/// 100k posts and the example unchanged.
#[derive(Debug)]
struct Searcher {
    regex: meta::Regex,
    cache: Mutex<meta::Cache>,
}

impl Clone for Searcher {
    fn clone(&self) -> Searcher {
        Searcher::new(self.regex.clone())
    }
}

impl Searcher {
    fn new(regex: meta::Regex) -> Searcher {
        Searcher {
            cache: Mutex::new(regex.create_cache()),
            regex,
        }
    }

    fn search(&self, input: &Input<'_>) -> Option<Match> {
        match self.cache.try_lock() {
            Ok(mut cache) => self.regex.search_with(&mut cache, input),
            Err(_) => self.regex.search(input),
        }
    }

    fn is_match(&self, input: Input<'_>) -> bool {
        match self.cache.try_lock() {
            Ok(mut cache) => self.regex.is_match_with(&mut cache, &input),
            Err(_) => self.regex.is_match(input),
        }
    }

    fn search_captures(&self, input: &Input<'_>, captures: &mut Captures) {
        match self.cache.try_lock() {
            Ok(mut cache) => self.regex.search_captures_with(&mut cache, input, captures),
            Err(_) => self.regex.search_captures(input, captures),
        }
    }

    /// Every match, as `meta::Regex::find_iter` finds them.
    fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let mut matches = iter::Searcher::new(Input::new(text));
        std::iter::from_fn(move || {
            matches
                .advance(|input| Ok(self.search(input)))
                .map(|found| found.range())
        })
    }
}

/// Which compiled form.
#[derive(Debug, Clone, Copy)]
enum Form {
    Exact,
    Ascii,
    Prefilter,
}

impl TextRegex {
    /// A regex matching `source`, case-insensitive unless `case_sensitive`. Unless it is a
    /// built-in regex, it is parsed now and a syntax error is an error here. Compiling waits
    /// for [`TextRegex::compile`] or the first search.
    pub fn new(source: &str, case_sensitive: bool) -> Result<TextRegex, String> {
        let parsed = OnceLock::new();
        let requirement = match builtin_requirement(source, case_sensitive) {
            Some(requirement) => requirement,
            None => {
                let now = Parsed::new(source, case_sensitive)?;
                let requirement = now.requirement();
                let _ = parsed.set(now);
                requirement
            }
        };
        Ok(TextRegex::of(source, case_sensitive, parsed, requirement))
    }

    /// A regex that no gate runs (a built-in check's own): parsed now, as [`TextRegex::new`]
    /// parses any regex that is not a built-in rule's, but without the literals a gate would
    /// need, which took two thirds of the time. Registered with a gate all the same, it would
    /// run on every text.
    pub fn ungated(source: &str, case_sensitive: bool) -> Result<TextRegex, String> {
        let parsed = OnceLock::new();
        let _ = parsed.set(Parsed::new(source, case_sensitive)?);
        Ok(TextRegex::of(source, case_sensitive, parsed, None))
    }

    fn of(
        source: &str,
        case_sensitive: bool,
        parsed: OnceLock<Parsed>,
        requirement: Option<Vec<Conjunction>>,
    ) -> TextRegex {
        TextRegex {
            source: source.into(),
            case_sensitive,
            parsed,
            compiled: Compiled::default(),
            requirement,
            slot: None,
        }
    }

    /// Whether the pattern has been parsed yet.
    #[cfg(test)]
    pub(super) fn is_parsed(&self) -> bool {
        self.parsed.get().is_some()
    }

    fn parsed(&self) -> &Parsed {
        self.parsed.get_or_init(|| {
            Parsed::new(&self.source, self.case_sensitive)
                .expect("built-in regexes parse: the test suite compiles every one")
        })
    }

    /// Compiles the regex now (every form it may need); an error when it is too big
    /// (`REGEX_SIZE_LIMIT`). Built-in regexes are compiled by the test suite, so their lazy
    /// compilation cannot fail.
    pub fn compile(&self) -> Result<(), String> {
        let forms: &[Form] = if self.parsed().has_word_boundaries {
            &[Form::Exact, Form::Ascii, Form::Prefilter]
        } else {
            &[Form::Exact]
        };
        for &form in forms {
            let cell = self.cell(form);
            if cell.get().is_none() {
                let _ = cell.set(Box::new(Searcher::new(self.build(form)?)));
            }
        }
        Ok(())
    }

    fn cell(&self, form: Form) -> &OnceLock<Box<Searcher>> {
        match form {
            Form::Exact => &self.compiled.exact,
            Form::Ascii => &self.compiled.ascii,
            Form::Prefilter => &self.compiled.prefilter,
        }
    }

    fn build(&self, form: Form) -> Result<meta::Regex, String> {
        let parsed = self.parsed();
        let hir = match form {
            Form::Exact => parsed.hir.clone(),
            Form::Ascii => rewrite(
                parsed.hir.clone(),
                &|look| Hir::look(ascii_boundary(look)),
                &for_ascii_words,
            ),
            Form::Prefilter => rewrite(parsed.hir.clone(), &|_| Hir::empty(), &for_prefilter),
        };
        // The exact form of a regex with word boundaries only runs on texts with non-ASCII word
        // characters, where the lazy DFA gives up: it needs neither the DFA nor the reverse NFA
        // that the DFA's searches would need, which are half of its compile time.
        let dfa = !(matches!(form, Form::Exact) && parsed.has_word_boundaries);
        meta::Builder::new()
            .configure(
                meta::Config::new()
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .auto_prefilter(false)
                    .hybrid(dfa)
                    .dfa(dfa),
            )
            .build_from_hir(&hir)
            .map_err(|error| match error.size_limit() {
                Some(limit) => format!("Compiled regex exceeds size limit of {limit} bytes."),
                None => error.to_string(),
            })
    }

    fn get(&self, form: Form) -> &Searcher {
        self.cell(form).get_or_init(|| {
            Box::new(Searcher::new(self.build(form).expect(
                "house rules compile when loaded, built-in ones in the test suite",
            )))
        })
    }

    /// Hands the regex's literals to the gate being built, and takes its slot there.
    pub fn register(&mut self, gate: &mut GateBuilder) {
        self.slot = Some(gate.add(self.requirement.take().as_deref()));
    }

    /// Its place in the gate's [`Candidates`], once registered.
    pub fn slot(&self) -> Option<usize> {
        self.slot
    }

    /// The regex to run on `text` and the part of it to search, when `text` can match as far
    /// as the gate and the prefilter can tell. A regex that was never registered with a gate
    /// is always a candidate.
    fn search<'t>(&self, text: &'t str, candidates: &Candidates) -> Option<(&Searcher, Input<'t>)> {
        if self.slot.is_some_and(|slot| !candidates.contains(slot)) {
            return None;
        }
        if !self.parsed().has_word_boundaries {
            Some((self.get(Form::Exact), Input::new(text)))
        } else if candidates.ascii_words() {
            Some((self.get(Form::Ascii), Input::new(text)))
        } else {
            self.exact_from(text, 0)
        }
    }

    /// On a text with non-ASCII word characters, where the ASCII twin is not exact throughout:
    /// the regex to run (the exact one, or the twin where it is exact, see below) and an input
    /// anchored where the leftmost match at or after `from` starts.
    ///
    /// The lazy DFA gives up on such a text, so the exact regex runs on the backtracker, whose
    /// unanchored search tries every branch of the pattern at every position: measured, a fifth
    /// of all per-post work. Instead the prefilter (a DFA) finds each position where a match
    /// can start, leftmost first (a position where the exact regex matches is one where the
    /// prefilter does), and the exact regex only checks a match anchored there, no longer than
    /// its longest match. Look-around still sees the text outside the span. After
    /// [`MAX_ANCHORED_TRIES`] positions where the prefilter matched and the exact regex did
    /// not, the exact regex searches the rest unanchored, so a long hostile text stays linear.
    ///
    /// Where the characters a match anchored at a position could read or look at are all
    /// ASCII word characters or not word characters, the ASCII twin is tried there instead:
    /// it matches the same there, and runs on the lazy DFA. The exact regex is compiled only
    /// for the other positions and for the unanchored search (its Unicode classes made
    /// compiling it a tenth of checking an archive).
    fn exact_from<'t>(&self, text: &'t str, from: usize) -> Option<(&Searcher, Input<'t>)> {
        let prefilter = self.get(Form::Prefilter);
        let mut at = from;
        for _ in 0..MAX_ANCHORED_TRIES {
            let start = prefilter
                .search(&Input::new(text).span(at..text.len()))?
                .start();
            let end = self
                .parsed()
                .max_len
                .map_or(text.len(), |max| text.len().min(start.saturating_add(max)));
            let input = Input::new(text).span(start..end).anchored(Anchored::Yes);
            let regex = if ascii_words_around(text, start, end) {
                self.get(Form::Ascii)
            } else {
                self.get(Form::Exact)
            };
            if regex.is_match(input.clone()) {
                return Some((regex, input));
            }
            at = next_char(text, start)?;
        }
        let exact = self.get(Form::Exact);
        let found = exact.search(&Input::new(text).span(at..text.len()))?;
        Some((
            exact,
            Input::new(text)
                .span(found.start()..text.len())
                .anchored(Anchored::Yes),
        ))
    }

    pub fn is_match(&self, text: &str, candidates: &Candidates) -> bool {
        self.search(text, candidates)
            .is_some_and(|(regex, input)| regex.is_match(input))
    }

    /// The leftmost match, or its `match` group when the pattern has one and it took part.
    pub fn find(&self, text: &str, candidates: &Candidates) -> Option<Range<usize>> {
        let (regex, input) = self.search(text, candidates)?;
        if !self.parsed().has_match_group {
            return regex.search(&input).map(|found| found.range());
        }
        let mut captures = regex.regex.create_captures();
        regex.search_captures(&input, &mut captures);
        captures
            .get_group_by_name("match")
            .or_else(|| captures.get_group(0))
            .map(|span| span.range())
    }

    /// Every match, left to right, as the regex crate's `find_iter` gives them (for regexes
    /// that are not gated); `ascii_words` is [`ascii_words`] of `text`, which the caller may
    /// already know from the gate.
    pub fn find_iter<'a>(
        &'a self,
        text: &'a str,
        ascii_words: bool,
    ) -> Box<dyn Iterator<Item = Range<usize>> + 'a> {
        let has_word_boundaries = self.parsed().has_word_boundaries;
        if !has_word_boundaries || ascii_words {
            let form = if has_word_boundaries {
                Form::Ascii
            } else {
                Form::Exact
            };
            return Box::new(self.get(form).find_iter(text));
        }
        let mut at = Some(0);
        let mut last_end = None;
        Box::new(std::iter::from_fn(move || {
            loop {
                let (regex, input) = self.exact_from(text, at?)?;
                let found = regex.search(&input)?.range();
                at = if found.is_empty() {
                    next_char(text, found.end)
                } else {
                    Some(found.end)
                };
                // An empty match right after the previous match is not reported.
                if !(found.is_empty() && last_end == Some(found.end)) {
                    last_end = Some(found.end);
                    return Some(found);
                }
            }
        }))
    }
}

/// A built-in regex's line in [`builtin_literals`](super::builtin_literals): its source,
/// whether it is case-sensitive, and its [`requirement`] (conjunctions of sets of literals).
pub(super) type BuiltinLiterals = (
    &'static str,
    bool,
    Option<&'static [&'static [&'static [&'static [u8]]]]>,
);

/// The requirement of `source` when it is a built-in regex, found when the rules were written.
fn builtin_requirement(source: &str, case_sensitive: bool) -> Option<Option<Vec<Conjunction>>> {
    let table = super::builtin_literals::BUILTIN;
    let at = table
        .binary_search_by(|&(built_in, sensitive, _)| {
            (built_in, sensitive).cmp(&(source, case_sensitive))
        })
        .ok()?;
    Some(table[at].2.map(|conjunctions| {
        conjunctions
            .iter()
            .map(|sets| {
                sets.iter()
                    .map(|set| set.iter().map(|literal| literal.to_vec()).collect())
                    .collect()
            })
            .collect()
    }))
}

/// The text of [`builtin_literals`](super::builtin_literals) for `regexes`: each regex parsed
/// and its requirement found, in the order [`builtin_requirement`] searches.
#[cfg(test)]
pub(super) fn render_builtin_literals(regexes: &[&TextRegex]) -> String {
    use std::fmt::Write;
    let mut keys: Vec<(&str, bool)> = regexes
        .iter()
        .map(|regex| (&*regex.source, regex.case_sensitive))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut out = String::from(
        "//! The literals the [gate](super::gate) needs from each built-in regex, found when the\n\
         //! rules were written rather than at every start (see [`TextRegex`](super::text_regex::TextRegex)).\n\
         //!\n\
         //! Generated: the test `rules::tests::builtin_literals_are_current` rewrites this file when\n\
         //! the built-in rules' regexes, or the way their literals are found, change. Do not edit.\n\
         \n\
         use super::text_regex::BuiltinLiterals;\n\
         \n\
         /// (regex, case-sensitive, conjunctions of sets of literals), sorted by regex.\n\
         pub(super) static BUILTIN: &[BuiltinLiterals] = &[\n",
    );
    for (source, case_sensitive) in keys {
        let requirement = Parsed::new(source, case_sensitive)
            .expect("built-in regexes parse")
            .requirement();
        let requirement = match requirement {
            None => "None".to_string(),
            Some(conjunctions) => {
                let list = |items: Vec<String>| format!("&[{}]", items.join(", "));
                let literal = |literal: &Vec<u8>| format!("b\"{}\"", literal.escape_ascii());
                let conjunctions = conjunctions
                    .iter()
                    .map(|sets| {
                        list(
                            sets.iter()
                                .map(|set| list(set.iter().map(literal).collect()))
                                .collect(),
                        )
                    })
                    .collect();
                format!("Some({})", list(conjunctions))
            }
        };
        writeln!(out, "    ({source:?}, {case_sensitive}, {requirement}),").expect("a String");
    }
    out.push_str("];\n");
    out
}

/// The position of the character after the one at `at` in `text`, `None` at its end.
fn next_char(text: &str, at: usize) -> Option<usize> {
    let c = text[at..].chars().next()?;
    Some(at + c.len_utf8())
}

/// Whether [`ascii_words`] holds for `text[start..end]` (`start` a char boundary) and the
/// characters on either side, which its word boundaries look at. `end` may fall inside a
/// character (a longest match counted in bytes): then that character and the one after it
/// are looked at.
fn ascii_words_around(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back().map_or(0, char::len_utf8);
    let mut after = end;
    while !text.is_char_boundary(after) {
        after += 1;
    }
    let after = next_char(text, after).unwrap_or(text.len());
    ascii_words(&text[start - before..after])
}

/// Whether every word character of `text` (a letter, mark, digit or connector, as `\w` has
/// it) is ASCII: there Unicode and ASCII word boundaries fall at the same places.
pub fn ascii_words(text: &str) -> bool {
    text.is_ascii()
        || text
            .chars()
            .all(|c| c.is_ascii() || !regex_syntax::is_word_character(c))
}

/// `hir` made ready for literal extraction:
///
/// - every class that only spells one ASCII letter in either case (`[kK\u{212A}]`, what
///   `(?i)k` parses to) is replaced by the lowercase letter. The gate matches ASCII letters in
///   either case anyway, and without this a case-insensitive word multiplies into 2^n literals
///   and the extractor gives up. The two non-ASCII letters that fold to ASCII ones (the Kelvin
///   sign and the long s) are why [`Gate::candidates`](super::gate::Gate::candidates) lets
///   every regex run on a text that contains one;
/// - every word boundary (`\b`, Unicode or ASCII) is replaced by the byte [`BOUNDARY`], which no
///   text holds, so that a literal the boundary sits next to carries it (see [`literals`]).
fn for_literals(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(Look::WordUnicode | Look::WordAscii) => Hir::literal([BOUNDARY]),
        HirKind::Class(class) => match ascii_letter_in_any_case(class) {
            Some(letter) => Hir::literal([letter]),
            None => hir.clone(),
        },
        // Built field by field: cloning the node would clone its whole subtree, only to
        // replace it: a deep copy at every level of nesting.
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            min: repetition.min,
            max: repetition.max,
            greedy: repetition.greedy,
            sub: Box::new(for_literals(&repetition.sub)),
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            index: capture.index,
            name: capture.name.clone(),
            sub: Box::new(for_literals(&capture.sub)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(for_literals).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.iter().map(for_literals).collect())
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// Stands for a word boundary in an extracted literal: a byte that is not UTF-8, so no text
/// holds it. A literal with it at its start (end) needs a word boundary right before (after)
/// its occurrence; the gate knows a boundary cannot be there when both sides are ASCII word
/// characters (see [`Gate::candidates`](super::gate::Gate::candidates)).
pub const BOUNDARY: u8 = 0xFF;

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

/// What the literals of a match must be, as at most `most` alternatives: every match holds, for
/// one of the returned conjunctions, a literal of each of its sets. An alternation gives what
/// each branch needs; a sequence needs a literal from each of its parts that has them (`my` and
/// `new|latest` and `book|course`), the most selective [`MAX_SETS`] kept, and what its parts
/// need in turn (so `\b(?:this|that)` is split by branch too). `None` when a match may hold no
/// known literal at all.
///
/// Each part is looked at once, so this takes time in proportion to the pattern's size times
/// its depth. It runs when a house rule is loaded; the built-in rules' requirements are in
/// [`builtin_literals`](super::builtin_literals).
fn requirement(hir: &Hir, most: usize) -> Option<Vec<Conjunction>> {
    let mut hir = hir;
    while let HirKind::Capture(capture) = hir.kind() {
        hir = &capture.sub;
    }
    if let HirKind::Alternation(branches) = hir.kind() {
        // The branches share the `most` alternatives: each may split into those the branches
        // after it leave, so splitting one never keeps the others from being told apart.
        let mut left = most;
        let mut split = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            let after = branches.len() - index - 1;
            let Some(needs) = left
                .checked_sub(after)
                .filter(|&share| share > 0)
                .and_then(|share| requirement(branch, share))
            else {
                split.clear();
                break;
            };
            left -= needs.len();
            split.extend(needs);
        }
        if !split.is_empty() {
            return Some(split);
        }
    }
    let mut sets: Vec<Literals> = Vec::new();
    let parts = match hir.kind() {
        HirKind::Concat(parts) => &parts[..],
        _ => &[],
    };
    let own: Vec<Option<Literals>> = (0..parts.len())
        .map(|index| part_literals(parts, index))
        .collect();
    sets.extend(own.iter().flatten().cloned());
    sets.extend(required_literals(hir));
    // A match of a sequence holds a match of each part, so it needs what each part needs:
    // `\byou(?:\s+won|\s+have\s+been\s+selected)` needs `you` and `won`, or `you`, `been` and
    // `selected`. A part's needs are left out when its own literals already say as much (the
    // needs of `(?:buy|pre-?order)` are `buy`, or `pre` and `order`), or when they would split
    // the requirement into more than `most` alternatives.
    let mut alternatives = vec![conjunction(sets)];
    for (part, own) in parts.iter().zip(&own) {
        let Some(mut needs) = requirement(part, most / alternatives.len()) else {
            continue;
        };
        if needs.iter().all(|sets| sets.len() == 1) {
            // Alternatives of one set each are one set of all their literals.
            let mut all: Literals = needs.into_iter().flatten().flatten().collect();
            all.sort();
            all.dedup();
            needs = vec![vec![all]];
        }
        if own.as_ref().is_some_and(|own| says_as_much(own, &needs))
            || alternatives.len() * needs.len() > most
        {
            continue;
        }
        for more in &mut needs {
            more.sort_by_key(|set| std::cmp::Reverse(selectivity(set)));
        }
        // Each alternative of the needs after the sets the sequence has already: those stay
        // first, and the part's only add to them.
        alternatives = alternatives
            .iter()
            .flat_map(|sets| {
                needs
                    .iter()
                    .map(|more| pruned(sets.iter().chain(more).cloned().collect()))
            })
            .collect();
        alternatives.sort();
        alternatives.dedup();
    }
    alternatives
        .iter()
        .all(|sets| !sets.is_empty())
        .then_some(alternatives)
}

/// Whether a part's `own` literals say as much as its `needs`: each literal of the needs is
/// found inside one of its own (word-boundary marks aside).
fn says_as_much(own: &Literals, needs: &[Conjunction]) -> bool {
    needs.iter().flatten().flatten().all(|literal| {
        let literal = split_marks(literal).1;
        own.iter().any(|own| {
            split_marks(own)
                .1
                .windows(literal.len())
                .any(|window| window == literal)
        })
    })
}

/// The literal sets of a [`Conjunction`] worth looking for, from all the sets a match needs:
/// the most selective first, at most [`MAX_SETS`].
fn conjunction(mut sets: Vec<Literals>) -> Conjunction {
    sets.sort_by_key(|set| std::cmp::Reverse(selectivity(set)));
    pruned(sets)
}

/// The first [`MAX_SETS`] of `sets` that add something to the sets before them.
fn pruned(mut sets: Vec<Literals>) -> Conjunction {
    let bare: Vec<Vec<&[u8]>> = sets
        .iter()
        .map(|set| set.iter().map(|literal| split_marks(literal).1).collect())
        .collect();
    // Any of the sets may be left out: a set adds nothing when an earlier one has the same
    // literals but for word-boundary marks (a part's prefix is often the whole sequence's
    // without the boundary before it), or when another has fewer literals, all of them its own
    // (the smaller set rules out more texts).
    let keep: Vec<bool> = (0..sets.len())
        .map(|index| {
            !(0..index).any(|other| bare[other] == bare[index])
                && !sets.iter().any(|other| {
                    other.len() < sets[index].len()
                        && other.iter().all(|literal| sets[index].contains(literal))
                })
        })
        .collect();
    let mut kept = keep.iter();
    sets.retain(|_| *kept.next().expect("a flag for each set"));
    // Beyond the most selective set, a set with a literal as short as `a` or `my` is met by
    // nearly every post and only makes the gate's automaton report more matches; a word
    // boundary mark counts as a byte here (the word `my` is rarer than the letters).
    let mut rest = sets.split_off(sets.len().min(1));
    rest.retain(|set| set.iter().map(Vec::len).min().unwrap_or(0) >= MIN_EXTRA_LITERAL);
    sets.extend(rest);
    sets.truncate(MAX_SETS);
    sets
}

/// How rare a set of literals is in posts: longer shortest literal first, then fewer literals,
/// then more word-boundary marks.
pub(super) fn selectivity(literals: &Literals) -> (usize, std::cmp::Reverse<usize>, usize) {
    let marks = literals
        .iter()
        .map(|literal| literal.len() - split_marks(literal).1.len())
        .sum();
    (
        shortest(literals).min(MIN_SELECTIVE_LITERAL),
        std::cmp::Reverse(literals.len()),
        marks,
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
            options.extend((1..parts.len()).map(|index| part_literals(parts, index)));
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

/// The literals the matches of `parts[index]` start with, with the word-boundary marks of the
/// parts on either side: in `\b(?:my|our)\s`, `my` and `our` are words.
fn part_literals(parts: &[Hir], index: usize) -> Option<Literals> {
    let is_mark = |part: Option<&Hir>, at_end: bool| {
        part.is_some_and(|part| match part.kind() {
            HirKind::Literal(literal) => {
                let edge = if at_end {
                    literal.0.last()
                } else {
                    literal.0.first()
                };
                edge == Some(&BOUNDARY)
            }
            _ => false,
        })
    };
    let part = &parts[index];
    let before = index > 0 && is_mark(parts.get(index - 1), true);
    let after = is_mark(parts.get(index + 1), false);
    if !before && !after {
        return literals(part, ExtractKind::Prefix);
    }
    let mark = || Hir::literal([BOUNDARY]);
    let marked: Vec<Hir> = [before.then(mark), Some(part.clone()), after.then(mark)]
        .into_iter()
        .flatten()
        .collect();
    literals(&Hir::concat(marked), ExtractKind::Prefix)
}

/// The length of the shortest of `literals`, not counting word-boundary marks.
fn shortest(literals: &Literals) -> usize {
    literals
        .iter()
        .map(|literal| split_marks(literal).1.len())
        .min()
        .unwrap_or(0)
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
        .map(|literal| with_outer_boundaries(literal.as_bytes()))
        .collect::<Option<_>>()?;
    found.sort_unstable();
    found.dedup();
    Some(found)
}

/// An extracted literal as the gate takes it: ASCII lowercased, a [`BOUNDARY`] kept only at
/// an end where it sits next to an ASCII word character (which tells the gate something: a
/// boundary next to a word character means a non-word character on the other side), the
/// others dropped (a boundary is empty, so what is left still occurs in every match). `None`
/// when nothing else is left.
fn with_outer_boundaries(literal: &[u8]) -> Option<Vec<u8>> {
    let mut marked: Vec<u8> = literal
        .iter()
        .filter(|&&byte| byte != BOUNDARY)
        .map(u8::to_ascii_lowercase)
        .collect();
    let (first, last) = (*marked.first()?, *marked.last()?);
    if literal.first() == Some(&BOUNDARY) && is_ascii_word_byte(first) {
        marked.insert(0, BOUNDARY);
    }
    if literal.last() == Some(&BOUNDARY) && is_ascii_word_byte(last) {
        marked.push(BOUNDARY);
    }
    Some(marked)
}

/// A literal the gate was given, split at its word-boundary marks (see [`BOUNDARY`]): whether
/// it needs a boundary before it, the literal itself, and whether it needs one after it.
pub fn split_marks(literal: &[u8]) -> (bool, &[u8], bool) {
    let (before, literal) = match literal {
        [BOUNDARY, rest @ ..] => (true, rest),
        _ => (false, literal),
    };
    let (literal, after) = match literal {
        [rest @ .., BOUNDARY] => (rest, true),
        _ => (literal, false),
    };
    (before, literal, after)
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

/// `hir` with every Unicode word-boundary assertion replaced by `look(assertion)` and every
/// class by `class(class)`.
fn rewrite(hir: Hir, look: &dyn Fn(Look) -> Hir, class: &dyn Fn(Class) -> Class) -> Hir {
    match hir.into_kind() {
        HirKind::Look(assertion) if is_unicode_word_boundary(assertion) => look(assertion),
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(rewrite(*repetition.sub, look, class));
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(rewrite(*capture.sub, look, class));
            Hir::capture(capture)
        }
        HirKind::Concat(subs) => Hir::concat(
            subs.into_iter()
                .map(|sub| rewrite(sub, look, class))
                .collect(),
        ),
        HirKind::Alternation(subs) => Hir::alternation(
            subs.into_iter()
                .map(|sub| rewrite(sub, look, class))
                .collect(),
        ),
        HirKind::Look(assertion) => Hir::look(assertion),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(found) => Hir::class(class(found)),
    }
}

/// `class` for a text whose word characters are all ASCII, in as few ranges as it takes: the
/// class without the non-ASCII word characters when that is smaller. Such a text has none of
/// them, so both match the same there, and `\w` (770 ranges of Unicode) compiles as
/// `[0-9A-Za-z_]`: the ASCII twin of a pattern with `[\w'’-]+` compiled in a fifth of the time.
fn for_ascii_words(class: Class) -> Class {
    static NON_ASCII_WORD: LazyLock<ClassUnicode> = LazyLock::new(|| {
        let mut word = match ParserBuilder::new()
            .build()
            .parse(r"\w")
            .map(Hir::into_kind)
        {
            Ok(HirKind::Class(Class::Unicode(word))) => word,
            _ => unreachable!(r"\w parses to a Unicode class"),
        };
        word.difference(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
        word
    });
    match class {
        // Most classes are a letter in either case: nothing to leave out.
        Class::Unicode(unicode) if unicode.is_ascii() => Class::Unicode(unicode),
        Class::Unicode(mut unicode) => {
            let before = unicode.ranges().len();
            let original = unicode.clone();
            unicode.difference(&NON_ASCII_WORD);
            Class::Unicode(if unicode.ranges().len() < before {
                unicode
            } else {
                original
            })
        }
        bytes @ Class::Bytes(_) => bytes,
    }
}

/// `class` widened for the prefilter, which need only accept a superset of the exact regex's
/// matches: a class with non-ASCII characters takes in every non-ASCII character. A Unicode
/// class (`\w`, `\s`, a letter in any case) then compiles as a handful of UTF-8 ranges instead
/// of hundreds; the exact regex still checks every place the prefilter lets through.
fn for_prefilter(class: Class) -> Class {
    match class {
        Class::Unicode(mut unicode) => {
            if unicode
                .ranges()
                .last()
                .is_some_and(|range| range.end() > '\x7F')
            {
                unicode.union(&ClassUnicode::new([ClassUnicodeRange::new(
                    '\u{80}',
                    char::MAX,
                )]));
            }
            Class::Unicode(unicode)
        }
        bytes @ Class::Bytes(_) => bytes,
    }
}

fn is_unicode_word_boundary(look: Look) -> bool {
    ascii_boundary(look) != look
}

/// The ASCII form of a Unicode word-boundary assertion; any other assertion unchanged.
fn ascii_boundary(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::gate::{NFA_AFTER_BYTES, TABLE_AFTER_BYTES};
    use regex::Regex;

    impl TextRegex {
        fn is_match_ungated(&self, text: &str) -> bool {
            self.is_match(text, &Candidates::default())
        }
    }

    /// Patterns with word boundaries, for the stand-ins' tests.
    const WITH_BOUNDARIES: [&str; 9] = [
        r"\bpromo\b",
        r"\bfree\s+(?:e-?book|guide)\b",
        r"(?P<match>\bthanks\b)[^.]*\bfollow",
        r"\Bing\b",
        r"\b{start}dm\b{end}",
        r"^\bhi\b",
        r"caf\w\b",
        r"\bpr[eé]nom\b",
        r"\b[\w'’-]+’s\s+[^\s<>]+\b",
    ];

    /// A [`TextRegex`] with word boundaries, the same registered with a gate of its own, and
    /// the plain regex it stands for.
    struct StandIns {
        regex: TextRegex,
        gated: TextRegex,
        gate: super::super::gate::Gate,
        plain: Regex,
    }

    impl StandIns {
        fn new(pattern: &str) -> StandIns {
            let regex = TextRegex::new(pattern, false).unwrap();
            assert!(regex.parsed().has_word_boundaries, "{pattern}");
            let mut gated = regex.clone();
            let mut gate = GateBuilder::default();
            gated.register(&mut gate);
            StandIns {
                regex,
                gated,
                gate: gate.build(),
                plain: Regex::new(&format!("(?i){pattern}")).unwrap(),
            }
        }

        /// Checks that the answers on `text` through the prefilter (no gate), through the gate
        /// (which picks the ASCII twin where every word character is ASCII) and of the plain
        /// regex agree.
        fn check(&self, text: &str) {
            let StandIns {
                regex,
                gated,
                gate,
                plain,
            } = self;
            let pattern = plain.as_str();
            let none = Candidates::default();
            let expected = plain.captures(text).map(|captures| {
                captures
                    .name("match")
                    .or_else(|| captures.get(0))
                    .unwrap()
                    .range()
            });
            let every: Vec<Range<usize>> =
                plain.find_iter(text).map(|found| found.range()).collect();
            // With each form's shared cache free, then taken (as by another thread), which
            // makes the search use a cache of its own.
            for taken in [false, true] {
                let _held: Vec<_> = [Form::Exact, Form::Ascii, Form::Prefilter]
                    .into_iter()
                    .filter(|_| taken)
                    .filter_map(|form| regex.cell(form).get())
                    .map(|form| form.cache.lock().unwrap())
                    .collect();
                let case = format!("{pattern} on {text:?}, cache taken: {taken}");
                assert_eq!(regex.find(text, &none), expected, "{case}");
                assert_eq!(regex.is_match(text, &none), expected.is_some(), "{case}");
                for ascii in [false, ascii_words(text)] {
                    assert_eq!(
                        regex.find_iter(text, ascii).collect::<Vec<_>>(),
                        every,
                        "{case}, every match"
                    );
                }
            }
            assert_eq!(
                gated.find(text, &gate.candidates(text)),
                expected,
                "{pattern} on {text:?}, gated"
            );
        }
    }

    /// The stand-ins never change a match, on texts chosen to sit on word boundaries next to
    /// non-ASCII letters, punctuation and emoji (see [`StandIns::check`]).
    #[test]
    fn stand_ins_never_change_a_match() {
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
            "naïve promo",
            "prenom, prénom",
            "Ana’s café — Zoë’s book ✨",
            "Ana’s book",
            "promoção, then promo",
            "cafés, café au lait",
            "thanksé thanks for the follow",
            // The exact regex where a letter past ASCII is next to a candidate, the twin
            // where none is.
            "promoé promo",
            "promo promoé",
            "café then a promo, and a free ebook from Zoë",
            "thanks for the café follow",
            // The Kelvin sign and the long s are a `k` and an `s` to a case-insensitive regex.
            "than\u{212A}\u{17F} for the follow",
            "",
        ];
        // More candidates than are tried anchored before the exact regex searches the rest.
        let many = format!("{} promo", "promoção ".repeat(MAX_ANCHORED_TRIES + 2));
        for pattern in WITH_BOUNDARIES {
            let stand_ins = StandIns::new(pattern);
            for text in texts.into_iter().chain([many.as_str()]) {
                stand_ins.check(text);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn stand_ins_never_change_a_match_in_any_text(
            pattern in proptest::sample::select(WITH_BOUNDARIES.to_vec()),
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "promo", "free", "ebook", "guide", "thanks", "follow", "ing", "dm", "hi",
                    "caf", "prenom", "’s", "Ana", "é", "ç", "中", "\u{212A}", "✨", " ", "  ",
                    ".", "-", "’", "'", "@", "\n",
                ]),
                0..16,
            ),
        ) {
            StandIns::new(pattern).check(&pieces.concat());
        }
    }

    #[test]
    fn ascii_words_are_told_apart_from_letters_with_accents() {
        assert!(ascii_words("plain words, “quotes”, emoji ✨ and dashes —"));
        assert!(!ascii_words("café"));
        assert!(!ascii_words("ｆｕｌｌwidth"));
        assert!(!ascii_words("٣ digits"));
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
    fn regexes_without_boundaries_need_no_stand_ins() {
        let regex = TextRegex::new(r"ctt\.ec/", false).unwrap();
        assert!(!regex.parsed().has_word_boundaries);
        assert!(regex.is_match_ungated("https://ctt.ec/x"));
    }

    /// The gate agrees with the plain regex, case folding included (`ſ` is `s`, `K` is `k`
    /// to a case-insensitive Unicode regex).
    #[test]
    fn gating_never_changes_a_match() {
        let patterns = [
            (r"\bpromo\b", false),
            (r"\bfree\s+(?:e-?book|guide)\b", false),
            (r"(?i)thanks for (?:the )?follow", true),
            (r"\bdm\b", false),
            (r"[A-Z]{5,}", true),
            (r"café|naïve", false),
            (r"#\w+", false),
            (r"\bsale\b|\bkind(?:ly)?\b", false),
            (r"thanks for the follow", false),
            (r"\bown\b", false),
            (r"\b(?:my|our)\s+new\b", false),
            (r"(?-u:\b)books?(?-u:\b)", false),
            (r"\b#ad\b", false),
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
            "down town",
            "down, own",
            "my own",
            "OWN it",
            "_own",
            "éown",
            "ownéd",
            "economy renewal",
            "our newest",
            "MY NEW book",
            "my\u{a0}new",
            "bookstore",
            "Books!",
            "ébooké",
            "x#ad",
            "#ad",
        ];
        let mut gate = GateBuilder::default();
        let mut regexes: Vec<(TextRegex, Regex)> = patterns
            .iter()
            .map(|(pattern, case_sensitive)| {
                let plain = regex::RegexBuilder::new(pattern)
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
        // With the pairs, then the NFA, then the table (the texts announced add up).
        for announced in [0, NFA_AFTER_BYTES, TABLE_AFTER_BYTES] {
            gate.prepare_for(announced);
            assert_eq!(gate.has_nfa(), announced > 0);
            assert_eq!(gate.has_table(), announced == TABLE_AFTER_BYTES);
            for text in texts {
                let candidates = gate.candidates(text);
                for ((regex, plain), (pattern, _)) in regexes.iter().zip(patterns) {
                    assert_eq!(
                        regex.find(text, &candidates),
                        plain.find(text).map(|found| found.range()),
                        "{pattern} on {text:?}, {announced} bytes announced"
                    );
                }
            }
        }
        // Whether the regex at `index` runs on `text`.
        let candidate = |text: &str, index: usize| {
            let slot = regexes[index].0.slot.unwrap();
            gate.candidates(text).contains(slot)
        };
        // The literal-free regex always runs; the others only on texts with their literals,
        // found whatever their case.
        assert!(candidate("", 4));
        assert!(!candidate("nothing here", 0));
        assert!(!candidate("nothing here", 8));
        assert!(candidate("THANKS FOR the FOLLOW", 8));
        // A literal next to a word boundary does not count inside a word.
        assert!(!candidate("down town", 9));
        assert!(candidate("my own", 9));
        assert!(!candidate("economy renewal", 10));
        assert!(!candidate("bookstore", 11));
    }

    /// An alternation whose branches all start with `\b` is parsed as `\b` followed by the
    /// alternation; a branch without a literal prefix (`\d+%`) must not make the regex run on
    /// every text. Nor must a capture group between a leading class and the branches.
    #[test]
    fn alternations_inside_a_sequence_are_split_by_branch() {
        for pattern in [
            r"\bfree\s+ebook\b|\b\d{1,2}\s?%\s+off\s+\w+",
            r"(?:^|[^@\w])(?P<match>\#?follow4follow|\#?\w*follow\s*train)\b",
        ] {
            let regex = TextRegex::new(pattern, false).unwrap();
            assert!(regex.requirement.is_some(), "{pattern}");
        }
        let regex = TextRegex::new(r"\bfree\s+ebook\b|\b\d{1,2}\s?%\s+off\s+\w+", false).unwrap();
        // `ebook` keeps the boundary after it (the one before `free` was factored out of the
        // branches).
        assert_eq!(
            regex.requirement,
            Some(vec![
                vec![vec![b"ebook\xFF".to_vec()], vec![b"free".to_vec()]],
                vec![vec![b"off".to_vec()]],
            ])
        );
    }

    /// A part of a sequence that needs more than its own literals (or has none) adds what it
    /// needs: each alternative of its needs, with the sequence's sets first. Needs that its
    /// own literals already spell (`(?:buy|pre-?order)`) split nothing.
    #[test]
    fn parts_of_a_sequence_add_what_they_need() {
        let requirement = |pattern| TextRegex::new(pattern, false).unwrap().requirement;
        let set =
            |literals: &[&[u8]]| -> Literals { literals.iter().map(|l| l.to_vec()).collect() };
        assert_eq!(
            requirement(r"\byou(?:\s+won\b|\s+have\s+been\s+selected\b)"),
            Some(vec![
                vec![
                    set(&[b"\xFFyou"]),
                    set(&[b"selected\xFF"]),
                    set(&[b"have"]),
                    set(&[b"been"])
                ],
                vec![set(&[b"\xFFyou"]), set(&[b"won\xFF"])],
            ])
        );
        assert_eq!(
            requirement(r"\b(?:buy|pre-?order)\s+now\b"),
            Some(vec![vec![
                set(&[b"now\xFF"]),
                set(&[b"\xFFbuy", b"\xFFpre-order", b"\xFFpreorder"]),
            ]])
        );
    }

    /// A word boundary is kept on the side of a literal where it sits next to a word character,
    /// also when it is a part of its own in a sequence (`\b(?:my|our)`); a set of the same
    /// literals with fewer marks is dropped. Next to a non-word character (`\b#`) it tells
    /// nothing the gate can check, and a boundary alone is no literal.
    #[test]
    fn literals_keep_the_word_boundaries_next_to_them() {
        let requirement = |pattern| TextRegex::new(pattern, false).unwrap().requirement;
        assert_eq!(
            requirement(r"\b(?:my|our)\s+(?:new|latest)\s+book\b"),
            Some(vec![vec![
                vec![b"book\xFF".to_vec()],
                vec![b"latest".to_vec(), b"new".to_vec()],
                vec![b"\xFFmy".to_vec(), b"\xFFour".to_vec()],
            ]])
        );
        assert_eq!(
            requirement(r"\b#ad\b"),
            Some(vec![vec![vec![b"#ad\xFF".to_vec()]]])
        );
        assert_eq!(requirement(r"\b\w+\b"), None);
    }
}
