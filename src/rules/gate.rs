//! [`Gate`]: one pass over a post's text that rules out most rule regexes before any of them
//! runs.
//!
//! Every match of a rule regex contains one of a finite set of literals, when the regex has
//! one: the literals its matches start or end with, or those of a part every match goes
//! through, which `regex-syntax` extracts from the parsed pattern (case variants included, so
//! `(?i)` and Unicode case folding are accounted for; see `TextRegex`). The gate puts the
//! literals of every regex into one Aho-Corasick automaton; scanning a post once gives the
//! regexes that may match it, and only those run. A regex without such a set (one made only of
//! broad classes, such as `[A-Z]{5,}`) always runs. The gate never changes a match: a regex it
//! rules out has none of its literals in the text, so it cannot match.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Which regexes (by slot) may match one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidates(Vec<u64>);

impl Candidates {
    /// Whether the regex in `slot` may match.
    pub fn contains(&self, slot: usize) -> bool {
        self.0
            .get(slot / 64)
            .is_some_and(|word| word & (1 << (slot % 64)) != 0)
    }

    fn insert(&mut self, slot: usize) {
        self.0[slot / 64] |= 1 << (slot % 64);
    }
}

/// Collects the literals of each regex; [`GateBuilder::build`] makes the [`Gate`].
#[derive(Debug, Default)]
pub struct GateBuilder {
    literals: Vec<Vec<u8>>,
    /// `owners[i]`: the slots of the regexes that need `literals[i]`.
    owners: Vec<Vec<usize>>,
    index: HashMap<Vec<u8>, usize>,
    /// Slots of the regexes that always run.
    always: Vec<usize>,
    slots: usize,
}

impl GateBuilder {
    /// Gives a regex its slot: it may match only texts holding one of `literals` (ASCII letters
    /// lowercase), or any text when `None`.
    pub fn add(&mut self, literals: Option<&[Vec<u8>]>) -> usize {
        let slot = self.slots;
        self.slots += 1;
        match literals {
            None => self.always.push(slot),
            Some(literals) => {
                for literal in literals {
                    let next = self.literals.len();
                    let index = *self.index.entry(literal.clone()).or_insert(next);
                    if index == next {
                        self.literals.push(literal.clone());
                        self.owners.push(Vec::new());
                    }
                    self.owners[index].push(slot);
                }
            }
        }
        slot
    }

    pub fn build(self) -> Gate {
        let searcher = (!self.literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(&self.literals)
                .expect("a few thousand short literals fit an Aho-Corasick automaton")
        });
        let mut always = Candidates(vec![0; self.slots.div_ceil(64)]);
        for &slot in &self.always {
            always.insert(slot);
        }
        Gate {
            searcher,
            owners: self.owners,
            always,
        }
    }
}

/// The combined literals of every regex of a rule set.
#[derive(Debug, Clone)]
pub struct Gate {
    searcher: Option<AhoCorasick>,
    owners: Vec<Vec<usize>>,
    always: Candidates,
}

impl Gate {
    /// The regexes that may match `text`: those that always run, and those one of whose
    /// literals occurs in it (every regex, on a text with a Kelvin sign or a long s).
    pub fn candidates(&self, text: &str) -> Candidates {
        // Letters that a case-insensitive regex reads as ASCII ones: the literals only spell
        // ASCII cases, so these texts are left to the regexes themselves.
        if text.contains(['\u{212A}', '\u{17F}']) {
            return Candidates(vec![u64::MAX; self.always.0.len()]);
        }
        let mut candidates = self.always.clone();
        if let Some(searcher) = &self.searcher {
            for found in searcher.find_overlapping_iter(text) {
                for &slot in &self.owners[found.pattern().as_usize()] {
                    candidates.insert(slot);
                }
            }
        }
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regex_is_a_candidate_when_one_of_its_literals_occurs() {
        let mut builder = GateBuilder::default();
        let promo = builder.add(Some(&[b"promo".to_vec(), b"sale".to_vec()]));
        let always = builder.add(None);
        let dm = builder.add(Some(&[b"dm".to_vec()]));
        let gate = builder.build();
        let candidates = gate.candidates("Big SALE today");
        assert!(candidates.contains(promo) && candidates.contains(always));
        assert!(!candidates.contains(dm));
        assert!(!candidates.contains(99));
        let candidates = gate.candidates("");
        assert!(!candidates.contains(promo) && candidates.contains(always));
    }
}
