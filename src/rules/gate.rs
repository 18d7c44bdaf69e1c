//! [`Gate`]: one pass over a post's text that rules out most rule regexes before any of them
//! runs.
//!
//! Every match of a rule regex contains one of a finite set of literals, when the regex has
//! one: the literals its matches start or end with, or those of a part every match goes
//! through, which `regex-syntax` extracts from the parsed pattern (case variants included, so
//! `(?i)` and Unicode case folding are accounted for; see `TextRegex`). The gate finds the
//! literals of every regex in a post in one pass, which gives the regexes that may match it,
//! and only those run. A few drafts are scanned by looking up the literals that start with
//! each pair of bytes (nothing to build); with more text to scan, the literals make an
//! Aho-Corasick automaton (a compact NFA), and with much more, a table of next states (a DFA),
//! each finding the same occurrences faster than the one before, and taking longer to build.
//! A regex without such a set (one made only of broad classes, such as `[A-Z]{5,}`) always
//! runs. A literal that the pattern puts next to a word boundary (`\bown`) only counts where
//! the text can have one: not in `down`. The gate never changes a match: a regex it rules out
//! has none of its literals in the text where the pattern could have them, so it cannot match.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind, PatternID};

use super::text_regex::{Conjunction, Literals, ascii_words, selectivity, split_marks};
use crate::text::is_ascii_word_byte;

/// Which regexes (by slot) may match one text, and whether its word characters are all ASCII
/// (see [`ascii_words`](super::text_regex::ascii_words)). The default rules nothing out and
/// assumes non-ASCII word characters, the slow but always exact path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidates {
    slots: Vec<u64>,
    ascii_words: bool,
}

impl Candidates {
    /// Whether the regex in `slot` may match.
    pub fn contains(&self, slot: usize) -> bool {
        self.slots
            .get(slot / 64)
            .is_some_and(|word| word & (1 << (slot % 64)) != 0)
    }

    /// Whether any regex of `mask` (slot `s` is bit `s % 64` of word `s / 64`) may match.
    pub fn any_of(&self, mask: &[u64]) -> bool {
        self.slots
            .iter()
            .zip(mask)
            .any(|(slots, mask)| slots & mask != 0)
    }

    /// Whether every word character of the text is ASCII.
    pub fn ascii_words(&self) -> bool {
        self.ascii_words
    }

    fn insert(&mut self, slot: usize) {
        self.slots[slot / 64] |= 1 << (slot % 64);
    }
}

/// Collects what each regex needs; [`GateBuilder::build`] makes the [`Gate`].
#[derive(Debug, Default)]
pub struct GateBuilder {
    literals: Vec<Vec<u8>>,
    index: HashMap<Vec<u8>, u32>,
    conditions: Vec<Condition>,
    /// Slots of the regexes that always run.
    always: Vec<usize>,
    slots: usize,
}

/// One conjunction of a regex's requirement: the slot it lets through, and its sets of
/// literals (as indexes), the rarest (its anchor) apart. It is looked at when a literal of its
/// anchor is counted, and its other sets are checked once the whole text is read: counting
/// every set as its literals came, a post's literals (common words: `the`, `on`, `so`) had
/// over a hundred conditions to update, nearly all never met.
#[derive(Debug)]
struct Condition {
    slot: usize,
    anchor: Vec<u32>,
    others: Vec<Vec<u32>>,
}

impl GateBuilder {
    /// Gives a regex its slot: it may match only texts that hold, for one of `requirement`'s
    /// conjunctions, a literal of each of its sets (ASCII letters lowercase); any text when
    /// `None`.
    pub fn add(&mut self, requirement: Option<&[Conjunction]>) -> usize {
        let slot = self.slots;
        self.slots += 1;
        let Some(conjunctions) = requirement else {
            self.always.push(slot);
            return slot;
        };
        for sets in conjunctions {
            // The rarest set, by the selectivity the requirement's sets are sorted by (a part
            // of a sequence adds its sets after the sequence's own).
            let Some(anchor) = (0..sets.len())
                .max_by_key(|&set| (selectivity(&sets[set]), std::cmp::Reverse(set)))
            else {
                // Needs nothing: the regex may match any text.
                self.always.push(slot);
                continue;
            };
            let anchor_literals = self.indexes(&sets[anchor]);
            let others = (0..sets.len())
                .filter(|&set| set != anchor)
                .map(|set| self.indexes(&sets[set]))
                .collect();
            self.conditions.push(Condition {
                slot,
                anchor: anchor_literals,
                others,
            });
        }
        slot
    }

    /// The indexes of `literals`, each added when new.
    fn indexes(&mut self, literals: &Literals) -> Vec<u32> {
        literals
            .iter()
            .map(|literal| {
                let next = u32::try_from(self.literals.len()).expect("fewer than 2^32 literals");
                let index = *self.index.entry(literal.clone()).or_insert(next);
                if index == next {
                    self.literals.push(literal.clone());
                }
                index
            })
            .collect()
    }

    pub fn build(self) -> Gate {
        // The automaton looks for the literals without their word-boundary marks; each keeps
        // which side needs a boundary.
        let mut boundaries = Vec::with_capacity(self.literals.len());
        let mut bare = Vec::with_capacity(self.literals.len());
        for literal in &self.literals {
            let (before, literal, after) = split_marks(literal);
            boundaries.push(Boundaries { before, after });
            bare.push(literal.to_vec());
        }
        let classes = ByteClasses::new(&bare);
        let pairs = Pairs::new(bare);
        let mut always = Candidates {
            slots: vec![0; self.slots.div_ceil(64)],
            ascii_words: false,
        };
        for &slot in &self.always {
            always.insert(slot);
        }
        // Each literal's owners, one after another (one read an owner), and the other sets of
        // each condition.
        let mut owned: Vec<Vec<Owner>> = vec![Vec::new(); self.literals.len()];
        let mut others = Others {
            condition_ends: vec![0],
            set_ends: vec![0],
            literals: Vec::new(),
        };
        for (index, condition) in self.conditions.iter().enumerate() {
            let owner = Owner {
                condition: u32::try_from(index).expect("fewer than 2^32 conditions"),
                alone: condition.others.is_empty(),
            };
            for &literal in &condition.anchor {
                owned[literal as usize].push(owner);
            }
            for set in &condition.others {
                others.literals.extend(set);
                others.set_ends.push(others.literals.len() as u32);
            }
            others
                .condition_ends
                .push(u32::try_from(others.set_ends.len() - 1).expect("fewer than 2^32 sets"));
        }
        let mut owner_ends = Vec::with_capacity(owned.len() + 1);
        owner_ends.push(0);
        let mut owners = Vec::new();
        for literal_owners in owned {
            owners.extend(literal_owners);
            owner_ends.push(u32::try_from(owners.len()).expect("fewer than 2^32 owners"));
        }
        Gate {
            classes,
            pairs,
            nfa: OnceLock::new(),
            table: OnceLock::new(),
            announced: AtomicUsize::new(0),
            boundaries,
            owner_ends,
            owners,
            slots: self
                .conditions
                .iter()
                .map(|condition| condition.slot as u32)
                .collect(),
            others,
            always,
        }
    }
}

/// Which sides of a literal its pattern puts a word boundary on (the literal has an ASCII word
/// character on those sides: see `text_regex::BOUNDARY`).
#[derive(Debug, Clone, Copy)]
struct Boundaries {
    before: bool,
    after: bool,
}

/// The literals' compact automaton: it reports every occurrence, overlapping ones too, of the
/// literals with their ASCII letters in either case ([`Table`] relies on both).
fn literal_nfa(literals: &[Vec<u8>]) -> Result<NFA, aho_corasick::BuildError> {
    NFA::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        // Nearly every text has one of the literals' first bytes every few bytes.
        .prefilter(false)
        .build(literals)
}

/// Bytes of text to scan that make the gate build its compact automaton; texts scanned before
/// it is built are scanned by [`Pairs`], which takes no time to make.
///
/// With the built-in rules' 1,352 literals, building the NFA takes 13M instructions (3 ms):
/// it was a third of a run over one draft. On the tweets of a 5 MB archive, [`Pairs`] took 300
/// instructions a byte and the NFA 75, so the NFA pays for itself after about 60 KB of text
/// (some 400 posts).
pub(super) const NFA_AFTER_BYTES: usize = 64 << 10;

/// Bytes of text to scan that make the gate build its fast automaton.
///
/// With the built-in rules' thousand-odd literals, the contiguous NFA takes 200 KB; the
/// [`Table`] takes 0.6 MB and 7 ms more to make, and scans in 40%
/// less time (it has no failure transitions to follow), so it pays for itself after about
/// 1 MB of text. The threshold was set at 2 MB for aho-corasick's DFA (8–17 ms to build) and
/// kept: either way, not on a few drafts, nor on a 5 MB archive's 0.8 MB of tweets.
pub(super) const TABLE_AFTER_BYTES: usize = 2 << 20;

/// The combined literals of every regex of a rule set.
#[derive(Debug)]
pub struct Gate {
    /// The classes of the bytes of the literals (without their word-boundary marks), for the
    /// table.
    classes: ByteClasses,
    /// The literals by their first bytes, to scan the first texts with.
    pairs: Pairs,
    /// The literals' compact automaton, built once [`NFA_AFTER_BYTES`] are announced; `None`
    /// inside when it could not be built.
    nfa: OnceLock<Option<NFA>>,
    /// The literals' fast automaton, built once [`TABLE_AFTER_BYTES`] are announced
    /// ([`Gate::prepare_for`]); `None` inside when it could not be built.
    table: OnceLock<Option<Table>>,
    /// Bytes of text announced so far.
    announced: AtomicUsize,
    /// By literal (pattern of the automata).
    boundaries: Vec<Boundaries>,
    /// The owners of literal `i` are `owners[owner_ends[i]..owner_ends[i + 1]]`: the
    /// conditions whose anchor set it is in.
    owner_ends: Vec<u32>,
    owners: Vec<Owner>,
    /// By condition, the regex (slot) it lets through.
    slots: Vec<u32>,
    /// The sets of each condition besides its anchor.
    others: Others,
    always: Candidates,
}

/// A condition a literal of its anchor set counts for; `alone` when the anchor is its only set.
#[derive(Debug, Clone, Copy)]
struct Owner {
    condition: u32,
    alone: bool,
}

/// The sets of each condition besides its anchor: those of condition `c` are
/// `set_ends[condition_ends[c]..=condition_ends[c + 1]]` (as windows of two), and set `s`'s
/// literals are `literals[set_ends[s]..set_ends[s + 1]]`.
#[derive(Debug)]
struct Others {
    condition_ends: Vec<u32>,
    set_ends: Vec<u32>,
    literals: Vec<u32>,
}

impl Others {
    /// Whether every set of `condition` besides its anchor has a literal that `counted` says
    /// was counted.
    fn met(&self, condition: usize, counted: &[bool]) -> bool {
        let sets =
            self.condition_ends[condition] as usize..=self.condition_ends[condition + 1] as usize;
        self.set_ends[sets].windows(2).all(|set| {
            self.literals[set[0] as usize..set[1] as usize]
                .iter()
                .any(|&literal| counted[literal as usize])
        })
    }
}

impl Gate {
    /// The regexes that may match `text`: those that always run, and those one of whose
    /// conditions the literals in it meet (every regex, on a text with a Kelvin sign or a long
    /// s).
    pub fn candidates(&self, text: &str) -> Candidates {
        // Letters that a case-insensitive regex reads as ASCII ones: the literals only spell
        // ASCII cases, so these texts are left to the regexes themselves.
        // (Two searches for a string: a search for either char decoded every char.)
        if text.contains('\u{212A}') || text.contains('\u{17F}') {
            return Candidates {
                slots: vec![u64::MAX; self.always.slots.len()],
                ascii_words: false,
            };
        }
        let mut candidates = self.always.clone();
        candidates.ascii_words = ascii_words(text);
        if !self.pairs.literals.is_empty() {
            self.count(text, &mut candidates);
        }
        candidates
    }

    /// Announces `bytes` more text to scan. Once the texts announced add up to
    /// [`NFA_AFTER_BYTES`], builds the compact automaton, and once they add up to
    /// [`TABLE_AFTER_BYTES`], the fast one; texts scanned meanwhile (on other threads) use the
    /// pairs or the compact one, which find the same literals. An automaton that cannot be
    /// built (literals past aho-corasick's limits, in house rules) leaves the gate with what it
    /// had: analysis never fails.
    pub fn prepare_for(&self, bytes: usize) {
        let announced = self.announced.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if announced < NFA_AFTER_BYTES || self.pairs.literals.is_empty() {
            return;
        }
        let nfa = self
            .nfa
            .get_or_init(|| literal_nfa(&self.pairs.literals).ok());
        if let Some(nfa) = nfa
            && announced >= TABLE_AFTER_BYTES
        {
            self.table.get_or_init(|| Table::new(nfa, &self.classes));
        }
    }

    /// Whether the compact automaton is built.
    #[cfg(test)]
    pub(super) fn has_nfa(&self) -> bool {
        self.nfa.get().is_some_and(Option::is_some)
    }

    /// Whether the fast automaton is built.
    #[cfg(test)]
    pub(super) fn has_table(&self) -> bool {
        self.table.get().is_some_and(Option::is_some)
    }

    /// Adds to `candidates` the regexes whose conditions the literals in `text` meet, found
    /// with the fastest of the table, the NFA and the pairs that is built.
    fn count(&self, text: &str, candidates: &mut Candidates) {
        // The conditions whose anchor set was met, for this text, and the literals counted
        // already: buffers per thread, of which only the entries touched are cleared again.
        // Looking at every condition after the search, in a vector made for each text, was
        // half of the gate's time. A literal is counted once a text: the sets a literal is in
        // may be in a dozen conditions (a regex split by the branches of an alternation).
        thread_local! {
            static MET: RefCell<Met> = const { RefCell::new(Met {
                anchored: Vec::new(),
                conditions: Vec::new(),
                counted: Vec::new(),
                literals: Vec::new(),
            }) };
        }
        MET.with_borrow_mut(|met| {
            met.anchored.resize(self.slots.len(), false);
            met.counted.resize(self.boundaries.len(), false);
            let bytes = text.as_bytes();
            let mut found = |literal: usize, start: usize, end: usize| {
                if met.counted[literal] {
                    return;
                }
                // A word boundary cannot be between two ASCII word characters, Unicode or
                // ASCII boundary alike (the literal's own side is one).
                let sides = self.boundaries[literal];
                if (sides.before && start > 0 && is_ascii_word_byte(bytes[start - 1]))
                    || (sides.after && bytes.get(end).is_some_and(|&b| is_ascii_word_byte(b)))
                {
                    return;
                }
                met.counted[literal] = true;
                met.literals.push(literal);
                let owners =
                    self.owner_ends[literal] as usize..self.owner_ends[literal + 1] as usize;
                for owner in &self.owners[owners] {
                    let condition = owner.condition as usize;
                    if owner.alone {
                        candidates.insert(self.slots[condition] as usize);
                    } else if !met.anchored[condition] {
                        met.anchored[condition] = true;
                        met.conditions.push(condition);
                    }
                }
            };
            match (self.table.get(), self.nfa.get()) {
                (Some(Some(table)), _) => table.occurrences(text, &mut found),
                (_, Some(Some(nfa))) => occurrences(nfa, text, &mut found),
                _ => self.pairs.occurrences(text, &mut found),
            }
            for condition in met.conditions.drain(..) {
                met.anchored[condition] = false;
                if self.others.met(condition, &met.counted) {
                    candidates.insert(self.slots[condition] as usize);
                }
            }
            for literal in met.literals.drain(..) {
                met.counted[literal] = false;
            }
        });
    }
}

/// What [`Gate::count`] has found in one text so far.
struct Met {
    /// By condition, whether a literal of its anchor set was counted.
    anchored: Vec<bool>,
    /// The conditions whose anchor set was met.
    conditions: Vec<usize>,
    /// By literal, whether it was counted.
    counted: Vec<bool>,
    /// The literals counted.
    literals: Vec<usize>,
}

/// Hands `found` every occurrence of every literal in `text`, overlapping ones too, as
/// (literal, start, end): `automaton` walked byte by byte. The crate's overlapping iterator
/// returned from its search for each occurrence (about 20 a post) and cost four times as much.
fn occurrences(
    automaton: &impl Automaton,
    text: &str,
    found: &mut impl FnMut(usize, usize, usize),
) {
    let mut state = automaton
        .start_state(Anchored::No)
        .expect("the automaton is built for unanchored searches");
    for (at, byte) in text.bytes().enumerate() {
        state = automaton.next_state(Anchored::No, state, byte);
        if automaton.is_match(state) {
            for index in 0..automaton.match_len(state) {
                let literal = automaton.match_pattern(state, index);
                found(
                    literal.as_usize(),
                    at + 1 - automaton.pattern_len(literal),
                    at + 1,
                );
            }
        }
    }
}

/// The literals indexed by their first two bytes: at each position of a text, only the
/// literals that start with the two bytes there are compared with it. Made in a fraction of a
/// millisecond (an index of 65,536 entries), where the NFA takes 3 ms, but four times slower to
/// scan with (see [`NFA_AFTER_BYTES`]). Finds every occurrence the NFA finds, overlapping ones
/// too, ASCII letters in either case, in another order (by start, not end).
#[derive(Debug)]
struct Pairs {
    /// The literals, ASCII letters lowercase.
    literals: Vec<Vec<u8>>,
    /// The literals of one byte are `by_byte[byte_ends[b]..byte_ends[b + 1]]` for byte `b`.
    byte_ends: Vec<u32>,
    by_byte: Vec<u32>,
    /// The longer literals are `by_pair[pair_ends[p]..pair_ends[p + 1]]` for their first two
    /// bytes `p` (the first one the high byte).
    pair_ends: Vec<u32>,
    by_pair: Vec<u32>,
    /// Literals without a byte, which the NFA reports after every byte.
    empty: Vec<u32>,
}

impl Pairs {
    fn new(mut literals: Vec<Vec<u8>>) -> Pairs {
        literals
            .iter_mut()
            .for_each(|literal| literal.make_ascii_lowercase());
        let key = |literal: &[u8]| match *literal {
            [] => None,
            [byte] => Some((false, usize::from(byte))),
            [first, second, ..] => Some((true, usize::from(first) << 8 | usize::from(second))),
        };
        // Counted, summed into ends, then filled from the ends down.
        let mut byte_ends = vec![0u32; 257];
        let mut pair_ends = vec![0u32; (1 << 16) + 1];
        let mut empty = Vec::new();
        for (index, literal) in literals.iter().enumerate() {
            match key(literal) {
                None => empty.push(index as u32),
                Some((false, byte)) => byte_ends[byte + 1] += 1,
                Some((true, pair)) => pair_ends[pair + 1] += 1,
            }
        }
        for ends in [&mut byte_ends, &mut pair_ends] {
            for at in 1..ends.len() {
                ends[at] += ends[at - 1];
            }
        }
        let mut by_byte = vec![0u32; byte_ends[256] as usize];
        let mut by_pair = vec![0u32; pair_ends[1 << 16] as usize];
        let mut byte_next = byte_ends.clone();
        let mut pair_next = pair_ends.clone();
        for (index, literal) in literals.iter().enumerate() {
            let (next, list) = match key(literal) {
                None => continue,
                Some((false, byte)) => (&mut byte_next[byte], &mut by_byte),
                Some((true, pair)) => (&mut pair_next[pair], &mut by_pair),
            };
            list[*next as usize] = index as u32;
            *next += 1;
        }
        Pairs {
            literals,
            byte_ends,
            by_byte,
            pair_ends,
            by_pair,
            empty,
        }
    }

    /// What [`occurrences`] finds with the NFA, by start rather than by end.
    fn occurrences(&self, text: &str, found: &mut impl FnMut(usize, usize, usize)) {
        let bytes = text.as_bytes();
        for (at, &byte) in bytes.iter().enumerate() {
            let first = usize::from(byte.to_ascii_lowercase());
            for &literal in
                &self.by_byte[self.byte_ends[first] as usize..self.byte_ends[first + 1] as usize]
            {
                found(literal as usize, at, at + 1);
            }
            if let Some(&second) = bytes.get(at + 1) {
                let pair = first << 8 | usize::from(second.to_ascii_lowercase());
                for &literal in
                    &self.by_pair[self.pair_ends[pair] as usize..self.pair_ends[pair + 1] as usize]
                {
                    let rest = &self.literals[literal as usize][2..];
                    let end = at + 2 + rest.len();
                    if bytes
                        .get(at + 2..end)
                        .is_some_and(|there| there.eq_ignore_ascii_case(rest))
                    {
                        found(literal as usize, at, end);
                    }
                }
            }
            for &literal in &self.empty {
                found(literal as usize, at + 1, at + 1);
            }
        }
    }
}

/// The bytes of a set of literals, each a class of its own but for the two cases of an ASCII
/// letter, which share one; every byte no literal holds is class 0.
#[derive(Debug, Clone, Copy)]
struct ByteClasses {
    /// By byte, its class.
    classes: [u8; 256],
    /// How many classes.
    stride: usize,
}

impl ByteClasses {
    fn new(literals: &[Vec<u8>]) -> ByteClasses {
        let mut classes = [0u8; 256];
        let mut stride = 1;
        for literal in literals {
            for &byte in literal {
                let folded = byte.to_ascii_lowercase();
                if classes[usize::from(folded)] == 0 {
                    classes[usize::from(folded)] = u8::try_from(stride)
                        .expect("at most 231 classes: the cases of a letter share one");
                    stride += 1;
                }
                classes[usize::from(byte.to_ascii_uppercase())] = classes[usize::from(folded)];
            }
        }
        ByteClasses { classes, stride }
    }
}

/// The literals' automaton as a table of every state's next state by byte class: the DFA of the
/// contiguous NFA, whose failure transitions it follows once, when the table is made, rather
/// than on every byte. Its states are 16-bit and its rows as long as there are classes
/// (the bytes the literals hold, ASCII letters in either case as one, and all others as one),
/// so the built-in rules' table takes 0.6 MB and stays in a core's cache. aho-corasick's own
/// DFA (4-byte states, rows padded to a power of two: 65 classes made rows of 128) took 2.4 MB,
/// more than the development VM's 1 MB cache a core, and 17% more time.
#[derive(Debug)]
struct Table {
    /// By byte, its class.
    classes: [u8; 256],
    /// Classes, the length of a row.
    stride: usize,
    /// `next[state * stride + class]`: the state after reading a byte of `class` in `state`.
    next: Vec<u16>,
    /// The state before any byte is read.
    start: u16,
    /// The states below this one have matches; the others none.
    matching: u16,
    /// The literals that end in each matching state: `literals[ends[s]..ends[s + 1]]`.
    ends: Vec<u32>,
    literals: Vec<u32>,
    /// Each literal's length.
    lengths: Vec<u32>,
}

impl Table {
    /// The table of `nfa`, made by [`literal_nfa`] from literals whose bytes fall in `classes`
    /// (which merge the cases of ASCII letters, as its search does); `None` when it would have
    /// 2^16 states or more (house rules with tens of thousands of literals).
    fn new(nfa: &NFA, classes: &ByteClasses) -> Option<Table> {
        let ByteClasses { classes, stride } = *classes;
        // A byte of each class, to read in every state.
        let mut representatives = vec![0u8; stride];
        for byte in (0..=255u8).rev() {
            representatives[usize::from(classes[usize::from(byte)])] = byte;
        }
        // The states reachable from the start, in the order they are found (numbered again
        // below, those with matches first), and each one's next states by class.
        let start = nfa.start_state(Anchored::No).ok()?;
        let mut states = vec![start];
        // By NFA state id (an offset into the NFA's memory, so less than its size), its index
        // in `states`.
        let mut index = vec![u32::MAX; (nfa.memory_usage() / 4).max(start.as_usize() + 1)];
        index[start.as_usize()] = 0;
        let mut next_states = Vec::new();
        let mut at = 0;
        while at < states.len() {
            for &byte in &representatives {
                let next = nfa.next_state(Anchored::No, states[at], byte);
                if next.as_usize() >= index.len() {
                    index.resize(next.as_usize() + 1, u32::MAX);
                }
                if index[next.as_usize()] == u32::MAX {
                    if states.len() == usize::from(u16::MAX) {
                        return None;
                    }
                    index[next.as_usize()] = states.len() as u32;
                    states.push(next);
                }
                next_states.push(index[next.as_usize()]);
            }
            at += 1;
        }
        // Renumbered so that a state has matches exactly when it is below `matching`.
        let mut order: Vec<usize> = (0..states.len()).collect();
        order.sort_by_key(|&state| !nfa.is_match(states[state]));
        let mut renamed = vec![0u16; states.len()];
        for (new, &old) in order.iter().enumerate() {
            renamed[old] = new as u16;
        }
        let mut next = vec![0u16; states.len() * stride];
        for (old, row) in next_states.chunks_exact(stride).enumerate() {
            let new = usize::from(renamed[old]);
            for (class, &target) in row.iter().enumerate() {
                next[new * stride + class] = renamed[target as usize];
            }
        }
        let matching = order
            .iter()
            .take_while(|&&old| nfa.is_match(states[old]))
            .count() as u16;
        let mut ends = vec![0u32];
        let mut found = Vec::new();
        for &old in &order[..usize::from(matching)] {
            let state = states[old];
            found.extend(
                (0..nfa.match_len(state)).map(|index| nfa.match_pattern(state, index).as_u32()),
            );
            ends.push(found.len() as u32);
        }
        Some(Table {
            classes,
            stride,
            next,
            start: renamed[0],
            matching,
            ends,
            literals: found,
            lengths: (0..nfa.patterns_len())
                .map(|literal| nfa.pattern_len(PatternID::must(literal)) as u32)
                .collect(),
        })
    }

    /// What [`occurrences`] finds with the NFA, from the table.
    fn occurrences(&self, text: &str, found: &mut impl FnMut(usize, usize, usize)) {
        let bytes = text.as_bytes();
        let mut state = usize::from(self.start);
        let mut at = 0;
        while let Some((end, matched)) = self.next_match(bytes, at, state) {
            for &literal in
                &self.literals[self.ends[matched] as usize..self.ends[matched + 1] as usize]
            {
                found(
                    literal as usize,
                    end - self.lengths[literal as usize] as usize,
                    end,
                );
            }
            (at, state) = (end, matched);
        }
    }

    /// Reads `bytes` from `at` on in `state`: where the first matching state is reached after
    /// that (the end of the byte read), and the state. Nothing but the state and the position
    /// changes from byte to byte here: with the literals handed on in the same loop, both were
    /// kept on the stack, and a byte took 19 instructions.
    fn next_match(&self, bytes: &[u8], at: usize, mut state: usize) -> Option<(usize, usize)> {
        let matching = usize::from(self.matching);
        for (offset, &byte) in bytes[at..].iter().enumerate() {
            state = usize::from(
                self.next[state * self.stride + usize::from(self.classes[usize::from(byte)])],
            );
            if state < matching {
                return Some((at + offset + 1, state));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The occurrences `walk` hands on, in order.
    fn found(walk: impl FnOnce(&mut dyn FnMut(usize, usize, usize))) -> Vec<(usize, usize, usize)> {
        let mut all = Vec::new();
        walk(&mut |literal, start, end| all.push((literal, start, end)));
        all
    }

    /// Occurrences in the NFA's order: by end, then as the NFA lists the literals ending
    /// there (the longest first, as it follows failure transitions to shorter ones; literals
    /// of one length in the order they were given).
    fn by_end(mut all: Vec<(usize, usize, usize)>) -> Vec<(usize, usize, usize)> {
        all.sort_by_key(|&(literal, start, end)| (end, start, literal));
        all
    }

    /// An empty literal is found after every byte, as the NFA finds it.
    #[test]
    fn pairs_find_an_empty_literal_where_the_nfa_does() {
        let literals = vec![b"ab".to_vec(), Vec::new(), b"b".to_vec()];
        let nfa = literal_nfa(&literals).unwrap();
        let pairs = Pairs::new(literals);
        for text in ["", "xab", "AB b"] {
            assert_eq!(
                by_end(found(|mut f| pairs.occurrences(text, &mut f))),
                found(|mut f| occurrences(&nfa, text, &mut f)),
                "{text}"
            );
        }
    }

    #[test]
    fn a_regex_is_a_candidate_when_one_of_its_literals_occurs() {
        let mut builder = GateBuilder::default();
        let promo = builder.add(Some(&[vec![vec![b"promo".to_vec(), b"sale".to_vec()]]]));
        let always = builder.add(None);
        let dm = builder.add(Some(&[vec![vec![b"dm".to_vec()]]]));
        // `my` and `book`, or `ebook` alone.
        let book = builder.add(Some(&[
            vec![vec![b"my".to_vec()], vec![b"book".to_vec()]],
            vec![vec![b"ebook".to_vec()]],
        ]));
        let gate = builder.build();
        let candidates = gate.candidates("Big SALE today");
        assert!(candidates.contains(promo) && candidates.contains(always));
        assert!(!candidates.contains(dm));
        assert!(!candidates.contains(99));
        let candidates = gate.candidates("");
        assert!(!candidates.contains(promo) && candidates.contains(always));
        assert!(gate.candidates("My new BOOK").contains(book));
        assert!(gate.candidates("free ebook").contains(book));
        assert!(!gate.candidates("my new novel").contains(book));
        assert!(!gate.candidates("the book club").contains(book));
    }

    /// The NFA is made once the texts announced add up to [`NFA_AFTER_BYTES`], the table once
    /// they add up to [`TABLE_AFTER_BYTES`]; each finds what the pairs found before.
    #[test]
    fn the_table_comes_with_enough_text_and_finds_the_same() {
        let mut builder = GateBuilder::default();
        let slots = [
            builder.add(Some(&[vec![vec![b"promo".to_vec(), b"sale".to_vec()]]])),
            builder.add(Some(&[vec![vec![b"\xFFown\xFF".to_vec()]]])),
            builder.add(Some(&[vec![vec![b"my".to_vec()], vec![b"book".to_vec()]]])),
        ];
        let gate = builder.build();
        let texts = [
            "Big SALE",
            "my own",
            "down",
            "My new BOOK",
            "promo-sale",
            "",
        ];
        let found = |gate: &Gate| -> Vec<Vec<bool>> {
            texts
                .iter()
                .map(|text| {
                    let candidates = gate.candidates(text);
                    slots
                        .iter()
                        .map(|&slot| candidates.contains(slot))
                        .collect()
                })
                .collect()
        };
        let by_pairs = found(&gate);
        gate.prepare_for(NFA_AFTER_BYTES - 1);
        assert!(!gate.has_nfa());
        gate.prepare_for(1);
        assert!(gate.has_nfa() && !gate.has_table());
        assert_eq!(found(&gate), by_pairs);
        gate.prepare_for(TABLE_AFTER_BYTES - NFA_AFTER_BYTES - 1);
        assert!(!gate.has_table());
        gate.prepare_for(1);
        assert!(gate.has_table());
        assert_eq!(found(&gate), by_pairs);
        assert_eq!(by_pairs[1], [false, true, false]);
        assert_eq!(by_pairs[2], [false, false, false]);
    }

    /// The table finds every occurrence the NFA finds, in the same order, whatever the case of
    /// the letters; bytes of no literal (emoji, other letters) lead back to the start. The
    /// pairs find the same occurrences, in their own order.
    #[test]
    fn the_table_and_the_pairs_find_what_the_nfa_finds() {
        let literals: Vec<Vec<u8>> = ["sale", "ale", "promo code", "’s", "e", "dm me", "café"]
            .iter()
            .map(|literal| literal.as_bytes().to_vec())
            .collect();
        let nfa = literal_nfa(&literals).unwrap();
        let table = Table::new(&nfa, &ByteClasses::new(&literals)).unwrap();
        let pairs = Pairs::new(literals.clone());
        for text in [
            "",
            "Big SALE today, whale",
            "PROMO CODE 🎉 promo code",
            "it’s café time, CAFÉ",
            "DM ME dm me dM mE",
            "ſale \u{212A} ale",
        ] {
            let from_nfa = found(|mut f| occurrences(&nfa, text, &mut f));
            assert_eq!(
                found(|mut f| table.occurrences(text, &mut f)),
                from_nfa,
                "{text}"
            );
            assert_eq!(
                by_end(found(|mut f| pairs.occurrences(text, &mut f))),
                from_nfa,
                "{text}"
            );
        }
        assert_eq!(
            found(|mut f| table.occurrences("Big SALE", &mut f)),
            [(0, 4, 8), (1, 5, 8), (4, 7, 8)]
        );
    }

    /// A table of 2^16 states or more is not made (the gate goes on with the NFA).
    #[test]
    fn a_table_has_fewer_than_65536_states() {
        // Every 3-byte literal of `first` bytes and then two of 40 others: a state for the
        // start, and 1 + 40 + 1,600 for each first byte.
        let table = |first: u8| {
            let literals: Vec<Vec<u8>> = (0..first)
                .flat_map(|a| (0..40).flat_map(move |b| (0..40).map(move |c| [a, b, c])))
                .map(|[a, b, c]| vec![0x80 + a, 0xB0 + b, 0xB0 + c])
                .collect();
            Table::new(
                &literal_nfa(&literals).unwrap(),
                &ByteClasses::new(&literals),
            )
        };
        assert!(table(39).is_some());
        assert!(table(40).is_none());
    }

    proptest::proptest! {
        /// Over literals and texts of letters in both cases, bytes that only some literals
        /// hold, and bytes that none does.
        #[test]
        fn the_table_and_the_pairs_find_what_the_nfa_finds_in_any_text(
            literals in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!["a", "A", "b", "B", "z", " ", "\0", "é", "’"]),
                    1..5,
                ),
                1..12,
            ),
            texts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "a", "A", "b", "B", "z", "Z", " ", "\0", "é", "’", "😀", "-", "_",
                    ]),
                    0..30,
                ),
                1..8,
            ),
        ) {
            let literals: Vec<Vec<u8>> = literals
                .iter()
                .map(|pieces| pieces.concat().into_bytes())
                .collect();
            let nfa = literal_nfa(&literals).unwrap();
            let table = Table::new(&nfa, &ByteClasses::new(&literals)).unwrap();
            let pairs = Pairs::new(literals.clone());
            for text in texts.iter().map(|pieces| pieces.concat()) {
                let from_nfa = found(|mut f| occurrences(&nfa, &text, &mut f));
                let from_table = found(|mut f| table.occurrences(&text, &mut f));
                proptest::prop_assert_eq!(from_table, from_nfa.clone());
                let from_pairs = by_end(found(|mut f| pairs.occurrences(&text, &mut f)));
                proptest::prop_assert_eq!(from_pairs, from_nfa);
            }
        }
    }

    /// A literal with a word-boundary mark counts only where an ASCII word character is not on
    /// that side; a non-ASCII neighbour is left to the regex.
    #[test]
    fn a_literal_next_to_a_word_boundary_does_not_count_inside_a_word() {
        let mut builder = GateBuilder::default();
        let own = builder.add(Some(&[vec![vec![b"\xFFown\xFF".to_vec()]]]));
        let gate = builder.build();
        for text in ["own", "my own.", "(OWN)", "éowné"] {
            assert!(gate.candidates(text).contains(own), "{text}");
        }
        for text in ["down", "owner", "_own", "own2", "town owns"] {
            assert!(!gate.candidates(text).contains(own), "{text}");
        }
    }
}
