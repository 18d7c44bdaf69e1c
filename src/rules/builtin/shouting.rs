//! `shouting`: a post written mostly in capital letters.
//!
//! Only letters that have case count (Latin, Greek, Cyrillic, …): CJK, Arabic or Hebrew text
//! neither shouts nor dilutes the share. Links, hashtags, @handles, `inline code`, and words with
//! digits or underscores (`MP3`, `MAX_SIZE`) are left out; so are short all-caps words between
//! words that are not all caps (acronyms such as NASA or CEO), so a sentence with a few acronyms
//! is not shouting, while "THIS IS THE BEST DAY" is.

use std::ops::Range;

use anyhow::{Result, bail};
use serde::Deserialize;

use super::{PostCheck, PostHit, PostInput, percent};
use crate::text::{Skipped, symbol_len};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// Fewest cased letters (after leaving out acronyms, links, tags) to judge a post on.
    min_letters: usize,
    /// Share of those letters that must be capitals, 0–1.
    min_upper_share: f64,
    /// Fewest all-caps words (of two or more letters) the post must have.
    min_upper_words: usize,
    /// An all-caps word of up to this many letters, with no all-caps word beside it, is an
    /// acronym and does not count.
    acronym_letters: usize,
}

#[derive(Debug)]
pub(super) struct Shouting {
    options: Options,
}

impl Shouting {
    pub(super) fn new(options: Options) -> Result<Self> {
        if !(0.5..=1.0).contains(&options.min_upper_share) {
            bail!(
                "option `min_upper_share` must be between 0.5 and 1, found {}",
                options.min_upper_share
            );
        }
        if options.min_letters == 0 {
            bail!("option `min_letters` must be at least 1");
        }
        Ok(Shouting { options })
    }
}

/// A word of the post and its cased letters.
#[derive(Debug)]
struct Word {
    range: Range<usize>,
    upper: usize,
    lower: usize,
}

impl Word {
    fn is_all_caps(&self) -> bool {
        self.upper >= 2 && self.lower == 0
    }
}

/// The words whose letters count: whitespace-separated tokens that are not links, hashtags,
/// handles, cashtags or inline code, and hold no digits or underscores.
fn words(text: &str, links: &[Range<usize>]) -> Vec<Word> {
    // Inline code (between backticks) is skipped like links.
    let mut code = Vec::new();
    if text.contains('`') {
        let mut open = None;
        for (index, _) in text.match_indices('`') {
            match open.take() {
                Some(start) => code.push(start..index + 1),
                None => open = Some(index),
            }
        }
    }
    let mut skipped = Skipped::new(links.iter().cloned().chain(code));
    let mut words = Vec::new();
    let mut add = |range: Range<usize>| {
        if !skipped.overlaps(&range)
            && let Some(word) = word(text, range)
        {
            words.push(word);
        }
    };
    let mut start = None;
    for (index, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if c.is_whitespace() {
            if let Some(begin) = start.take() {
                add(begin..index);
            }
        } else if start.is_none() {
            start = Some(index);
        }
    }
    words
}

/// The most uppercase letters `text` can have: its ASCII capitals and its chars that are not
/// ASCII (counted by their first bytes). Most posts have too few capitals to shout, and this
/// rules out two in three of the rest for a few instructions a hundred bytes.
fn capitals_at_most(text: &str) -> usize {
    count_bytes(text, |byte| byte.is_ascii_uppercase() | (byte >= 0xC0))
}

/// How many uppercase letters `text` has: its ASCII capitals counted as
/// [`capitals_at_most`] counts, and the other chars decoded where they start, except
/// typographic punctuation and emoji ([`symbol_len`]).
fn capitals(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut capitals = count_bytes(text, |byte| byte.is_ascii_uppercase());
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&byte| byte >= 0xC0) {
        at += offset;
        if let Some(len) = symbol_len(&bytes[at..]) {
            at += len;
            continue;
        }
        let c = text[at..].chars().next().expect("a char starts here");
        capitals += usize::from(c.is_uppercase());
        at += c.len_utf8();
    }
    capitals
}

/// How many bytes of `text` are `counted`: without branches and in 32-bit lanes, so the
/// compiler vectorises it (summed straight into a `usize`, with `||`, it took ten instructions
/// a byte).
fn count_bytes(text: &str, counted: impl Fn(u8) -> bool) -> usize {
    text.as_bytes()
        .chunks(1 << 16)
        .map(|chunk| {
            let count: u32 = chunk.iter().map(|&byte| u32::from(counted(byte))).sum();
            count as usize
        })
        .sum()
}

/// How many of `text`'s whitespace-separated tokens have two uppercase letters or more and no
/// lowercase one: the most all-caps words it can have, since a word is a token, maybe without
/// some characters in front that are not letters. One pass over its bytes: ASCII is classified
/// as is, typographic punctuation and emoji are stepped over, other chars are decoded where
/// they start.
fn all_caps_tokens(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut tokens = 0;
    // The cased letters of the token so far.
    let (mut upper, mut lower) = (0, 0);
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let (space, is_upper, is_lower, len) = if byte.is_ascii() {
            let space = matches!(byte, b'\t'..=b'\r' | b' ');
            (
                space,
                byte.is_ascii_uppercase(),
                byte.is_ascii_lowercase(),
                1,
            )
        } else if let Some(len) = symbol_len(&bytes[at..]) {
            (false, false, false, len)
        } else {
            let c = text[at..].chars().next().expect("a char starts here");
            (
                c.is_whitespace(),
                c.is_uppercase(),
                c.is_lowercase(),
                c.len_utf8(),
            )
        };
        if space {
            tokens += usize::from(upper >= 2 && lower == 0);
            (upper, lower) = (0, 0);
        }
        upper += usize::from(is_upper);
        lower += usize::from(is_lower);
        at += len;
    }
    tokens + usize::from(upper >= 2 && lower == 0)
}

fn word(text: &str, range: Range<usize>) -> Option<Word> {
    let token = &text[range.clone()];
    let token = token.trim_start_matches(|c: char| !c.is_alphanumeric() && !"#@$".contains(c));
    if token.starts_with(['#', '@', '$']) {
        return None;
    }
    if token.chars().any(|c| c.is_numeric() || c == '_') {
        return None;
    }
    let upper = token.chars().filter(|c| c.is_uppercase()).count();
    let lower = token.chars().filter(|c| c.is_lowercase()).count();
    (upper + lower > 0).then_some(Word {
        range,
        upper,
        lower,
    })
}

impl PostCheck for Shouting {
    fn placeholders(&self) -> &'static [&'static str] {
        &["percent", "letters"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["min_letters", "min_upper_share"]
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let text = &input.post.text;
        // Shouting needs `min_upper_share` of at least `min_letters` letters in capitals: a text
        // with fewer capitals than that cannot shout, and most posts are such texts.
        // (The margin keeps rounding in the product from ruling out a text exactly at it.)
        let needed = self.options.min_upper_share * self.options.min_letters as f64 - 1e-9;
        if (capitals_at_most(text) as f64) < needed
            || (capitals(text) as f64) < needed
            || all_caps_tokens(text) < self.options.min_upper_words
        {
            return None;
        }
        let words = words(text, input.links);
        // An all-caps word between words that are not all caps is an acronym (NASA, CEO).
        let counted: Vec<&Word> = words
            .iter()
            .enumerate()
            .filter(|&(index, word)| {
                let caps_neighbour = (index > 0 && words[index - 1].is_all_caps())
                    || words.get(index + 1).is_some_and(Word::is_all_caps);
                !(word.is_all_caps()
                    && word.upper <= self.options.acronym_letters
                    && !caps_neighbour)
            })
            .map(|(_, word)| word)
            .collect();
        let upper: usize = counted.iter().map(|word| word.upper).sum();
        let lower: usize = counted.iter().map(|word| word.lower).sum();
        let letters = upper + lower;
        if letters < self.options.min_letters {
            return None;
        }
        let share = upper as f64 / letters as f64;
        if share < self.options.min_upper_share {
            return None;
        }
        let caps: Vec<&&Word> = counted.iter().filter(|word| word.is_all_caps()).collect();
        if caps.len() < self.options.min_upper_words {
            return None;
        }
        let (first, last) = (caps.first()?, caps.last()?);
        Some(PostHit {
            range: first.range.start..last.range.end,
            values: vec![
                ("percent", format!("{}%", percent(share))),
                ("letters", letters.to_string()),
            ],
            fix: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin::check_text;

    /// Capitals and all-caps tokens counted byte by byte are those counted char by char, and
    /// the quick bound is one.
    fn assert_counted_as_chars_are(text: &str) {
        let capitals = text.chars().filter(|c| c.is_uppercase()).count();
        let caps_tokens = text
            .split(char::is_whitespace)
            .filter(|token| {
                let upper = token.chars().filter(|c| c.is_uppercase()).count();
                upper >= 2 && !token.chars().any(char::is_lowercase)
            })
            .count();
        assert_eq!(super::capitals(text), capitals, "{text:?}");
        assert_eq!(all_caps_tokens(text), caps_tokens, "{text:?}");
        assert!(capitals_at_most(text) >= capitals, "{text:?}");
    }

    #[test]
    fn capitals_and_caps_tokens_are_counted_as_chars_are() {
        for text in [
            "",
            "ABC def",
            "“ÀB” é ΣΑ 𝐀𝐁 ℂ Ǆ ǅ — ok",
            "ＡＢＣ…",
            "WE\u{a0}ARE\u{2003}SO\x0bLOUD\u{3000}ÉTÉ",
            "A\u{85}BC  DE\tFg HI\u{1680}JK",
        ] {
            assert_counted_as_chars_are(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn counted_as_chars_are_for_any_text(
            text in "(?:[A-Za-z \t\n\u{b}\u{c}\r\u{1c}]|[ÀÉéΣσ ǅǄ𝐀ℂＡ\u{85}\u{a0}\u{2003}\u{3000}🔥’-])*",
        ) {
            assert_counted_as_chars_are(&text);
        }
    }

    /// The count of all-caps tokens bounds the all-caps words: the characters a word leaves
    /// out in front are not letters, so a token's capitals and small letters are its word's.
    #[test]
    fn cased_chars_are_alphanumeric() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if c.is_uppercase() || c.is_lowercase() {
                assert!(c.is_alphanumeric(), "{c:?}");
            }
        }
    }

    fn check(text: &str) -> Option<PostHit> {
        let shouting = Shouting::new(Options {
            min_letters: 12,
            min_upper_share: 0.7,
            min_upper_words: 3,
            acronym_letters: 5,
        })
        .unwrap();
        check_text(&shouting, text, &[])
    }

    /// Words are cut at every whitespace character, the vertical tab, form feed and no-break
    /// space among them.
    #[test]
    fn every_whitespace_character_separates_words() {
        for separator in [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\u{a0}"] {
            let text = ["WE", "ARE", "SO", "EXCITED", "ABOUT", "THIS"].join(separator);
            let hit = check(&text).unwrap_or_else(|| panic!("{separator:?}"));
            assert_eq!(hit.values[1].1, "23", "{separator:?}");
        }
    }

    #[test]
    fn all_caps_sentences_shout() {
        let text = "I CANNOT BELIEVE THEY CANCELLED THE SHOW AGAIN!!!";
        let hit = check(text).unwrap();
        assert_eq!(
            &text[hit.range],
            "CANNOT BELIEVE THEY CANCELLED THE SHOW AGAIN!!!"
        );
        assert_eq!(hit.values[0].1, "100%");
    }

    #[test]
    fn acronyms_tags_links_and_short_posts_do_not() {
        for text in [
            "CEO of ACME",
            "OMG YES!!!",
            "Our NASA and ESA friends at JPL sent the new CAD files for the ISS module",
            "#MONDAYMOTIVATION #GRIND #HUSTLE keep going https://EXAMPLE.COM/ABC",
            "@NASA @ESA @JAXA_EN congrats on the launch",
            "Set `MAX_RETRIES` and `TIMEOUT_MS` before you call it",
            "Big news from the FDA, WHO and CDC today, with more to come from EMA later",
        ] {
            assert!(check(text).is_none(), "{text}");
        }
    }

    #[test]
    fn caseless_scripts_neither_shout_nor_dilute() {
        assert!(check("東京でNASAのイベントに行きました。とても楽しかったです！").is_none());
        assert!(check("مرحبا بكم جميعا في هذا اليوم الجميل").is_none());
        // CJK around a shouted Latin sentence: only the Latin letters count.
        assert!(check("今日は STOP SELLING MY DATA RIGHT NOW 本当に").is_some());
    }

    #[test]
    fn other_cased_scripts_and_marks_count() {
        assert!(check("ΑΥΤΟ ΕΙΝΑΙ ΑΠΑΡΑΔΕΚΤΟ ΚΑΙ ΝΤΡΟΠΗ").is_some());
        assert!(check("ЭТО ПРОСТО НЕВЕРОЯТНО ДРУЗЬЯ").is_some());
        // Combining accents are not letters and do not break a word.
        assert!(check("CAFE\u{301} OUVERT CE DIMANCHE MATIN").is_some());
        assert!(check("Le café est ouvert ce dimanche matin").is_none());
    }

    #[test]
    fn emoji_do_not_break_the_span() {
        let text = "🔥🔥 HUGE SALE STARTS TODAY 🔥🔥";
        let hit = check(text).unwrap();
        assert_eq!(&text[hit.range], "HUGE SALE STARTS TODAY");
    }

    #[test]
    fn short_shouted_words_in_a_row_are_not_acronyms() {
        assert!(check("THIS IS THE BEST DAY EVER lol").is_some());
    }

    /// The quick count of capitals never rules out a text exactly at the threshold, where
    /// 0.7 × 10 is 7.000000000000001 in floating point.
    #[test]
    fn a_text_exactly_at_the_share_shouts() {
        let shouting = Shouting::new(Options {
            min_letters: 10,
            min_upper_share: 0.7,
            min_upper_words: 3,
            acronym_letters: 5,
        })
        .unwrap();
        let hit = check_text(&shouting, "AB CD EFG hij", &[]).unwrap();
        assert_eq!(hit.values[0].1, "70%");
        assert!(check_text(&shouting, "AB CD EF ghij", &[]).is_none());
    }
}
