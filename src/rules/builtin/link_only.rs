//! `link-only-post`: a post that is nothing but a link, or a link under a feed-style headline
//! ("New post: How to X https://…", "How to X - Site Name https://…"), as feed-to-social tools
//! publish them.
//!
//! The links are taken out and what remains is read: nothing (but hashtags, handles, emoji and
//! punctuation) is a bare link; a short headline counts only in one of the feed shapes, with
//! nothing after the link, and never with a word in the first person, a question, or an
//! exclamation.

use std::ops::Range;
use std::sync::LazyLock;

use anyhow::Result;
use regex::Regex;
use serde::Deserialize;

use super::{PostCheck, PostHit, PostInput};
use crate::rules::text_regex::{TextRegex, ascii_words};
use crate::text::word_count;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// Most words a headline may have (longer text is someone writing).
    max_headline_words: usize,
    /// Prefixes feed tools put before a title ("New post"), matched case-insensitively as
    /// whole words, followed by `:`, `-`, `–`, `—` or `|`, or in brackets ("[Blog]").
    prefixes: Vec<String>,
}

#[derive(Debug)]
pub(super) struct LinkOnly {
    options: Options,
    prefix: TextRegex,
}

impl LinkOnly {
    pub(super) fn new(options: Options) -> Result<Self> {
        let names: Vec<String> = options
            .prefixes
            .iter()
            .map(|prefix| crate::rules::phrase_regex(prefix))
            .collect();
        let names = names.join("|");
        let prefix = TextRegex::ungated(
            &format!(r"^\s*(?:(?:{names})\s*[:|–—-]|[\[(]\s*(?:{names})\s*[\])]\s*:?)\s*\S"),
            false,
        )
        .map_err(anyhow::Error::msg)?;
        Ok(LinkOnly { options, prefix })
    }
}

/// Whether `regex` matches `text`. The regexes with word boundaries are `TextRegex`es: on a
/// text with characters that are not ASCII (curly quotes, emoji) the regex crate's fast
/// engine gives up on a Unicode `\b`, and its slow one took 19,000 instructions a headline.
fn matches(regex: &TextRegex, text: &str) -> bool {
    regex.find_iter(text, ascii_words(text)).next().is_some()
}

/// First-person words and evaluative words: someone speaking, not a feed.
static PERSONAL: LazyLock<TextRegex> = LazyLock::new(|| {
    TextRegex::ungated(
        r"\b(?:i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|i’ll|me|my|mine|myself|im|ive|love|loved|loving|enjoyed|recommend|recommended|great|fascinating|interesting|excellent|brilliant|amazing|awesome|wow|worth|favorite|favourite|thanks|thank|congrats|congratulations|proud|excited|happy|glad|finally|yay|lol|haha)\b",
        false,
    )
    .expect("valid")
});

/// "Title - Site", "Title | Site", "Title · Site": an RSS item's title with its site's name.
static TITLE_SITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<title>[^\n]+?)\s+[-–—|·]\s+(?P<site>[^\s\n][^\n]*)$").expect("valid")
});

/// A sentence break inside the text before the link: more than a headline.
static SENTENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.;:]\s").expect("valid"));

/// "via @site" or "by @site" after the link.
static VIA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:via|by|from)\s+@\w+$").expect("valid"));

/// The text with `ranges` taken out (each replaced by a space).
fn without(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        out.push_str(&text[at..range.start]);
        out.push(' ');
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether `text` has a word that is not a hashtag or handle. A text has a word (see
/// [`word_count`]) when it has a letter or digit: no need to find where its words are.
fn has_plain_words(text: &str) -> bool {
    text.split_whitespace()
        .filter(|token| !token.starts_with(['#', '@']))
        .any(|token| token.chars().any(char::is_alphanumeric))
}

impl PostCheck for LinkOnly {
    fn placeholders(&self) -> &'static [&'static str] {
        &["shape"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["max_headline_words"]
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let text = &input.post.text;
        let links = input.links;
        let first = links.first()?.clone();
        let last = links.last()?.clone();
        let mark = first.start..last.end;
        // The text around the links, one piece before each link and one after the last (a
        // link parts words as a space would).
        let pieces = || {
            let starts = [0].into_iter().chain(links.iter().map(|link| link.end));
            let ends = links.iter().map(|link| link.start).chain([text.len()]);
            starts.zip(ends).map(|(start, end)| &text[start..end])
        };
        if !pieces().any(has_plain_words) {
            return Some(PostHit {
                range: mark,
                values: vec![("shape", "is only a link".to_string())],
                fix: None,
            });
        }
        // A headline: before the first link, with nothing after the links but hashtags or a
        // "via @site" (which has plain words: the text after the links is only made for those).
        let before = text[..first.start].trim();
        let plain_after = pieces().skip(1).any(has_plain_words);
        let via = plain_after && {
            let shifted: Vec<Range<usize>> = links
                .iter()
                .map(|range| range.start - first.start..range.end - first.start)
                .collect();
            VIA.is_match(without(&text[first.start..], &shifted).trim())
        };
        if plain_after && !via {
            return None;
        }
        let words = word_count(before);
        if words > self.options.max_headline_words
            || before.contains(['?', '!', '\n'])
            || matches(&PERSONAL, before)
        {
            return None;
        }
        let shape = if matches(&self.prefix, before) {
            "is a link under a feed headline"
        } else if via {
            "is a link under a headline, credited to a site as a feed posts it"
        } else {
            let captures = TITLE_SITE.captures(before)?;
            let (title, site) = (&captures["title"], &captures["site"]);
            if word_count(title) < 2
                || word_count(site) > 4
                || SENTENCE.is_match(before)
                || !site
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_numeric() || c == '@')
            {
                return None;
            }
            "is a link under a title and site name, as a feed posts it"
        };
        Some(PostHit {
            range: mark,
            values: vec![("shape", shape.to_string())],
            fix: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin::check_text;

    fn check(text: &str) -> Option<String> {
        let check = LinkOnly::new(Options {
            max_headline_words: 20,
            prefixes: ["new post", "new blog post", "blog", "just published"]
                .map(String::from)
                .to_vec(),
        })
        .unwrap();
        check_text(&check, text, &[]).map(|hit| text[hit.range].to_string())
    }

    #[test]
    fn bare_links_and_feed_headlines_are_found() {
        assert_eq!(
            check("https://example.com/a").as_deref(),
            Some("https://example.com/a")
        );
        assert!(check("🔗 https://example.com/a #rust #dev").is_some());
        assert!(check("New post: How to cache builds in CI https://blog.example/ci").is_some());
        assert!(check("[Blog] Ten tips for smaller images https://blog.example/img").is_some());
        assert!(
            check("How to Cache Builds in CI - Northwind Blog https://blog.example/ci").is_some()
        );
        assert!(check("Caching builds in CI https://blog.example/ci via @northwind").is_some());
    }

    #[test]
    fn personal_words_questions_and_plain_sentences_are_fine() {
        for text in [
            "New post: I finally wrote up how we cache builds https://blog.example/ci",
            "New post: Why cache builds? https://blog.example/ci",
            "I wrote this after a week of slow builds https://blog.example/ci",
            "Caching builds in CI https://blog.example/ci",
            "Great read - Ana Smith https://example.com/a",
            "Rain all day. The garden is happy - so am I https://example.com/p",
            "New post: caching builds https://blog.example/ci what do you think?",
            "no link here - Just Text",
            "Our meetup moved to Thursday - see the details at https://example.com/m",
        ] {
            assert!(check(text).is_none(), "{text}");
        }
    }

    #[test]
    fn unicode_around_the_link() {
        assert!(check("👉 https://example.com/ü 👈").is_some());
        assert!(check("新しいブログ記事を書きました https://example.com/ja").is_none());
        assert!(check("Café crème recipes - Le Blog https://example.com/c").is_some());
    }
}
