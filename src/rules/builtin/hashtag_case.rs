//! `hashtag-case`: a hashtag of several words written all in lowercase (`#opensourcesprint`),
//! which screen readers read as one made-up word, when the post itself says where its words
//! are: it writes them apart ("our open source sprint"), or writes the same hashtag elsewhere
//! with capitals (`#OpenSourceSprint`). No dictionary is used: a hashtag whose words the post
//! does not show is not flagged, since a guessed split can be wrong, and embarrassingly so. The
//! fix changes only letter case, which platforms ignore when they match hashtags.

use std::ops::Range;

use serde::Deserialize;

use super::{PostCheck, PostHit, PostInput};
use crate::finding::{Applicability, Edit, Fix};

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

/// The words of `text` outside hashtags, mentions and links, with their byte ranges.
fn plain_words<'t>(text: &'t str, skip: &[Range<usize>]) -> Vec<(Range<usize>, &'t str)> {
    crate::text::words(text)
        .map(|(start, word)| (start..start + word.len(), word))
        .filter(|(range, _)| {
            !skip
                .iter()
                .any(|other| other.start <= range.start && range.start < other.end)
        })
        .collect()
}

/// The hashtag body (lowercase) in capitals where the post writes its words apart: two or more
/// words in a row, with only spaces or hyphens between them, that spell it.
fn from_words(text: &str, words: &[(Range<usize>, &str)], body: &str) -> Option<String> {
    for first in 0..words.len() {
        let mut spelled = String::new();
        let mut camel = String::new();
        for (index, (range, word)) in words.iter().enumerate().skip(first) {
            if index > first {
                let gap = &text[words[index - 1].0.end..range.start];
                if !gap.chars().all(|c| c.is_whitespace() || c == '-') {
                    break;
                }
            }
            spelled.push_str(&word.to_lowercase());
            camel.push_str(&capitalized(word)?);
            if !body.starts_with(spelled.as_str()) {
                break;
            }
            if spelled == body {
                return (index > first).then_some(camel);
            }
        }
    }
    None
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
        let skip: Vec<Range<usize>> = tags
            .iter()
            .cloned()
            .chain(input.entities.mentions().iter().cloned())
            .chain(input.links.iter().cloned())
            .collect();
        let words = plain_words(text, &skip);
        let mut first: Option<(Range<usize>, String)> = None;
        let mut edits = Vec::new();
        for tag in tags {
            let body = &text[body_of(tag)];
            if !is_lowercase_run(body) {
                continue;
            }
            let shown = tags
                .iter()
                .map(|other| &text[body_of(other)])
                .find(|other| shows_words(other) && other.to_lowercase() == body)
                .map(str::to_string);
            let Some(camel) = shown.or_else(|| from_words(text, &words, body)) else {
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
}
