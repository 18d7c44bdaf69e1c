//! `hashtag-case`: a hashtag of several words written all in lowercase (`#opensourcesprint`),
//! which screen readers read as one made-up word, when the post itself says where its words
//! are: it writes them apart ("our open source sprint"), or writes the same hashtag elsewhere
//! with capitals (`#OpenSourceSprint`). No dictionary is used: a hashtag whose words the post
//! does not show is not flagged, since a guessed split can be wrong, and embarrassingly so. The
//! fix changes only letter case, which platforms ignore when they match hashtags.

use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::{PostCheck, PostHit, PostInput};
use crate::finding::{Applicability, Edit, Fix};
use crate::text::Skipped;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HashtagCase {}

/// Whether a hashtag's body is all lowercase: lowercase letters and digits, nothing else (no
/// capital, `_`, mark or letter of a script without case).
fn is_lowercase_run(body: &str) -> bool {
    body.chars().any(char::is_lowercase) && body.chars().all(|c| c.is_lowercase() || c.is_numeric())
}

/// Whether a hashtag's body shows where its words start: a capital after the first letter,
/// and lowercase letters too (all capitals shows nothing).
fn shows_words(body: &str) -> bool {
    body.chars().skip(1).any(char::is_uppercase) && body.chars().any(char::is_lowercase)
}

/// `word` with its first letter a capital, when that is one letter (not "ß" → "SS").
fn capitalized(word: &str) -> Option<String> {
    let mut chars = word.chars();
    let first = chars.next()?;
    let mut upper = first.to_uppercase();
    let capital = upper.next()?;
    if upper.next().is_some() {
        return None;
    }
    Some(std::iter::once(capital).chain(chars).collect())
}

/// The words of a post outside its hashtags, mentions and links, and where each word starts a
/// run that may spell a hashtag.
struct PlainWords<'t> {
    text: &'t str,
    /// Byte range and text of each word, in order.
    words: Vec<(Range<usize>, &'t str)>,
    /// Each word in lowercase and with its first letter a capital (see [`capitalized`]), made
    /// once rather than at every try.
    lower: Vec<String>,
    capital: Vec<Option<String>>,
    /// The indexes of `words` by their lowercase spelling, and by that of the word and the
    /// next one together: a hashtag's run of words starts at a word it is, or at a pair of
    /// words it starts with, not at any word of the post (which made a long post's check
    /// quadratic in its words and hashtags). Fx-hashed: they are only looked up, and SipHash
    /// was 0.6% of all instructions on 20k posts.
    by_lowercase: FxHashMap<String, Vec<usize>>,
    by_pair: FxHashMap<String, Vec<usize>>,
}

impl<'t> PlainWords<'t> {
    fn new(text: &'t str, mut skip: Skipped) -> PlainWords<'t> {
        let words: Vec<(Range<usize>, &str)> = crate::text::words(text)
            .map(|(start, word)| (start..start + word.len(), word))
            // A word starting inside a hashtag, mention or link is part of it.
            .filter(|(range, _)| !skip.contains(range.start))
            .collect();
        let lower: Vec<String> = words.iter().map(|(_, word)| word.to_lowercase()).collect();
        let capital = words.iter().map(|(_, word)| capitalized(word)).collect();
        let mut by_lowercase: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut by_pair: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (index, word) in lower.iter().enumerate() {
            by_lowercase.entry(word.clone()).or_default().push(index);
            if let Some(next) = lower.get(index + 1) {
                by_pair
                    .entry(format!("{word}{next}"))
                    .or_default()
                    .push(index);
            }
        }
        PlainWords {
            text,
            words,
            lower,
            capital,
            by_lowercase,
            by_pair,
        }
    }

    /// The hashtag body (lowercase) in capitals where the post writes its words apart: the
    /// first run of two or more words in a row, with only spaces or hyphens between them,
    /// that spells it (none when the first run that spells it is one word). A word whose
    /// capital is not one letter ends its run.
    fn camel(&self, body: &str) -> Option<String> {
        // A run that spells `body` is one word that is `body`, or starts with two words that
        // `body` starts with.
        let mut firsts: Vec<usize> = body
            .char_indices()
            .filter_map(|(at, c)| self.by_pair.get(&body[..at + c.len_utf8()]))
            .chain(self.by_lowercase.get(body))
            .flatten()
            .copied()
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        for first in firsts {
            // What is left of `body` to spell.
            let mut rest = body;
            for index in first..self.words.len() {
                if index > first {
                    let gap = &self.text[self.words[index - 1].0.end..self.words[index].0.start];
                    if !gap.chars().all(|c| c.is_whitespace() || c == '-') {
                        break;
                    }
                }
                if self.capital[index].is_none() {
                    break;
                }
                let Some(after) = rest.strip_prefix(self.lower[index].as_str()) else {
                    break;
                };
                rest = after;
                if rest.is_empty() {
                    return (index > first).then(|| {
                        self.capital[first..=index]
                            .iter()
                            .flatten()
                            .map(String::as_str)
                            .collect()
                    });
                }
            }
        }
        None
    }
}

impl PostCheck for HashtagCase {
    fn placeholders(&self) -> &'static [&'static str] {
        &["tag", "camel"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &[]
    }

    fn fix_summary(&self) -> Option<&'static str> {
        Some(
            "capitalises each word of the hashtag as the post itself shows them; only letter \
             case changes",
        )
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let text = &input.post.text;
        let tags = input.entities.hashtags();
        let body_of = |tag: &Range<usize>| {
            let hash = text[tag.clone()].chars().next().map_or(1, char::len_utf8);
            tag.start + hash..tag.end
        };
        // Most posts have no lowercase hashtag: stop before splitting the text into words.
        if !tags.iter().any(|tag| is_lowercase_run(&text[body_of(tag)])) {
            return None;
        }
        let skip = Skipped::new(
            tags.iter()
                .chain(input.entities.mentions())
                .chain(input.links)
                .cloned(),
        );
        let words = PlainWords::new(text, skip);
        // The first hashtag that shows its words, by its lowercase spelling.
        let mut shown: FxHashMap<String, &str> = FxHashMap::default();
        for tag in tags {
            let body = &text[body_of(tag)];
            if shows_words(body) {
                shown.entry(body.to_lowercase()).or_insert(body);
            }
        }
        // The same hashtag again spells the same way.
        let mut camels: FxHashMap<&str, Option<String>> = FxHashMap::default();
        let mut first: Option<(Range<usize>, String)> = None;
        let mut edits = Vec::new();
        for tag in tags {
            let body = &text[body_of(tag)];
            if !is_lowercase_run(body) {
                continue;
            }
            let shown = shown.get(body).map(|&shown| shown.to_string());
            let Some(camel) = shown.or_else(|| {
                camels
                    .entry(body)
                    .or_insert_with(|| words.camel(body))
                    .clone()
            }) else {
                continue;
            };
            // Only letter case may change: the hashtag stays the same hashtag.
            if camel.to_lowercase() != body || camel.chars().count() != body.chars().count() {
                continue;
            }
            edits.push(Edit {
                range: body_of(tag),
                replacement: camel.clone(),
            });
            first.get_or_insert((tag.clone(), camel));
        }
        let (range, camel) = first?;
        let tag = text[range.clone()].to_string();
        let title = match edits.as_slice() {
            [_] => format!("write #{camel}"),
            _ => format!("capitalise the words of {} hashtags", edits.len()),
        };
        Some(PostHit {
            range,
            values: vec![("tag", tag), ("camel", format!("#{camel}"))],
            fix: Some(Fix {
                title,
                edits,
                applicability: Applicability::Safe,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin::check_text;

    /// The marked hashtag and the text once fixed.
    fn run(text: &str) -> Option<(String, String)> {
        let hit = check_text(&HashtagCase {}, text, &[])?;
        let fixed = hit.fix.expect("a hit has a fix").apply_to(text);
        Some((text[hit.range].to_string(), fixed))
    }

    #[test]
    fn words_written_apart_give_the_capitals() {
        assert_eq!(
            run("Join our open-source sprint this Friday! #opensourcesprint #rust"),
            Some((
                "#opensourcesprint".into(),
                "Join our open-source sprint this Friday! #OpenSourceSprint #rust".into()
            ))
        );
        assert_eq!(
            run("Notes from the iPhone meetup #iphonemeetup"),
            Some((
                "#iphonemeetup".into(),
                "Notes from the iPhone meetup #IPhoneMeetup".into()
            ))
        );
    }

    #[test]
    fn another_hashtag_of_the_post_gives_the_capitals() {
        assert_eq!(
            run("#BookClub tonight, bring snacks. #bookclub #books").map(|(_, fixed)| fixed),
            Some("#BookClub tonight, bring snacks. #BookClub #books".into())
        );
    }

    #[test]
    fn no_words_no_guess() {
        for text in [
            "Big day for #opensource",
            "An open day, source of joy #opensource",
            "Open, source #opensource",
            "#OpenSource and open source",
            "open source #open_source",
            "Bread #bread",
            "東京 タワー #東京タワー",
            "open source #OPENSOURCE",
            "see https://open.source.example/ #opensource",
        ] {
            assert_eq!(check_text(&HashtagCase {}, text, &[]), None, "{text}");
        }
    }

    /// The words are looked for from each word the hashtag starts with, in order: the first
    /// run that spells it gives the capitals, a run inside a link or mention does not count,
    /// and a word whose capital is two letters (`ß` → `SS`) only ends its own run.
    #[test]
    fn the_first_run_of_words_that_spells_the_hashtag_gives_the_capitals() {
        let fixed = |text| run(text).map(|(_, fixed)| fixed);
        assert_eq!(
            fixed("open sourcery, the iPhone-meetup, an iphone Meetup #iphonemeetup"),
            Some("open sourcery, the iPhone-meetup, an iphone Meetup #IPhoneMeetup".into())
        );
        assert_eq!(
            fixed("@open source-sprint, then open Source sprint #opensourcesprint"),
            Some("@open source-sprint, then open Source sprint #OpenSourceSprint".into())
        );
        assert_eq!(
            fixed("ßtart open source #opensource"),
            Some("ßtart open source #OpenSource".into())
        );
        assert_eq!(fixed("opensource, open source #opensource"), None);
    }
}
