//! `fancy-unicode-text`: words spelled with look-alike symbols instead of letters: the
//! Mathematical Alphanumeric Symbols (𝐛𝐨𝐥𝐝, 𝘪𝘵𝘢𝘭𝘪𝘤, 𝓈𝒸𝓇𝒾𝓅𝓉), fullwidth letters (Ｆｕｌｌ) and
//! circled, squared or parenthesized letters (Ⓐ, 🅰, 🄰, ⒜).
//!
//! A single symbol in a formula (ℝ, 𝑥) is not text styling: the check needs a run of several such
//! letters in a row. Greek mathematical letters (𝜋, 𝛼) are formula symbols and never count.
//! Fullwidth Latin letters are ordinary in Chinese, Japanese and Korean text, so they count only
//! in a post without CJK characters.

use std::ops::Range;

use anyhow::{Result, bail};
use serde::Deserialize;

use super::{PostCheck, PostHit, PostInput};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// Fewest styled letters in a row (marks and variation selectors between them allowed).
    min_run: usize,
}

#[derive(Debug)]
pub(super) struct FancyText {
    options: Options,
}

impl FancyText {
    pub(super) fn new(options: Options) -> Result<Self> {
        if options.min_run < 2 {
            bail!(
                "option `min_run` must be at least 2, found {}",
                options.min_run
            );
        }
        Ok(FancyText { options })
    }
}

/// Names of the 13 Latin alphabets of the Mathematical Alphanumeric Symbols block, in order.
const MATH_STYLES: [&str; 13] = [
    "mathematical bold",
    "mathematical italic",
    "mathematical bold italic",
    "mathematical script",
    "mathematical bold script",
    "mathematical fraktur",
    "mathematical double-struck",
    "mathematical bold fraktur",
    "mathematical sans-serif",
    "mathematical sans-serif bold",
    "mathematical sans-serif italic",
    "mathematical sans-serif bold italic",
    "mathematical monospace",
];

/// A styled character: the plain character it stands for, and the style's name.
fn styled(c: char) -> Option<(char, &'static str)> {
    let code = c as u32;
    let latin = |offset: u32| -> char {
        let letter = offset % 52;
        let base = if letter < 26 { b'A' } else { b'a' - 26 };
        char::from(base + letter as u8)
    };
    let alphabet = |first: u32, base: u8| char::from(base + (code - first) as u8);
    Some(match code {
        // Latin letters of the 13 mathematical alphabets (some code points are unassigned
        // holes: their letters live in Letterlike Symbols, below).
        0x1D400..=0x1D6A3 => {
            let offset = code - 0x1D400;
            (latin(offset), MATH_STYLES[(offset / 52) as usize])
        }
        0x1D7CE..=0x1D7FF => (
            char::from(b'0' + ((code - 0x1D7CE) % 10) as u8),
            "mathematical digits",
        ),
        0xFF21..=0xFF3A => (alphabet(0xFF21, b'A'), "fullwidth"),
        0xFF41..=0xFF5A => (alphabet(0xFF41, b'a'), "fullwidth"),
        0xFF10..=0xFF19 => (alphabet(0xFF10, b'0'), "fullwidth"),
        0x24B6..=0x24CF => (alphabet(0x24B6, b'A'), "circled"),
        0x24D0..=0x24E9 => (alphabet(0x24D0, b'a'), "circled"),
        0x249C..=0x24B5 => (alphabet(0x249C, b'a'), "parenthesized"),
        0x1F110..=0x1F129 => (alphabet(0x1F110, b'A'), "parenthesized"),
        0x1F130..=0x1F149 => (alphabet(0x1F130, b'A'), "squared"),
        0x1F150..=0x1F169 => (alphabet(0x1F150, b'A'), "negative circled"),
        0x1F170..=0x1F189 => (alphabet(0x1F170, b'A'), "negative squared"),
        _ => return letterlike(c),
    })
}

/// Letters of the mathematical script, fraktur and double-struck alphabets that Unicode encodes
/// in Letterlike Symbols (the holes of the mathematical block).
fn letterlike(c: char) -> Option<(char, &'static str)> {
    let (plain, style) = match c {
        'ℬ' => ('B', "mathematical script"),
        'ℰ' => ('E', "mathematical script"),
        'ℱ' => ('F', "mathematical script"),
        'ℋ' => ('H', "mathematical script"),
        'ℐ' => ('I', "mathematical script"),
        'ℒ' => ('L', "mathematical script"),
        'ℳ' => ('M', "mathematical script"),
        'ℛ' => ('R', "mathematical script"),
        'ℯ' => ('e', "mathematical script"),
        'ℊ' => ('g', "mathematical script"),
        'ℴ' => ('o', "mathematical script"),
        'ℎ' => ('h', "mathematical italic"),
        'ℭ' => ('C', "mathematical fraktur"),
        'ℌ' => ('H', "mathematical fraktur"),
        'ℑ' => ('I', "mathematical fraktur"),
        'ℜ' => ('R', "mathematical fraktur"),
        'ℨ' => ('Z', "mathematical fraktur"),
        'ℂ' => ('C', "mathematical double-struck"),
        'ℍ' => ('H', "mathematical double-struck"),
        'ℕ' => ('N', "mathematical double-struck"),
        'ℙ' => ('P', "mathematical double-struck"),
        'ℚ' => ('Q', "mathematical double-struck"),
        'ℝ' => ('R', "mathematical double-struck"),
        'ℤ' => ('Z', "mathematical double-struck"),
        _ => return None,
    };
    Some((plain, style))
}

/// Marks and selectors that may sit between styled letters without breaking a run: combining
/// marks, variation selectors (🅰️), the zero-width joiner.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{FE00}'..='\u{FE0F}' | '\u{200D}' | '\u{20D0}'..='\u{20FF}')
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // kana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{3000}'..='\u{303F}' // CJK punctuation
        | '\u{FF61}'..='\u{FF9F}' // halfwidth kana
    )
}

/// A run of styled letters: where, the style of its first letter, and its plain spelling.
struct Run {
    range: Range<usize>,
    letters: usize,
    style: &'static str,
}

fn runs(text: &str, fullwidth_counts: bool) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut current: Option<Run> = None;
    for (index, c) in text.char_indices() {
        let style = styled(c).filter(|(_, style)| fullwidth_counts || *style != "fullwidth");
        match (style, current.as_mut()) {
            (Some(_), Some(run)) => {
                run.range.end = index + c.len_utf8();
                run.letters += 1;
            }
            (Some((_, style)), None) => {
                current = Some(Run {
                    range: index..index + c.len_utf8(),
                    letters: 1,
                    style,
                });
            }
            (None, Some(run)) if is_joiner(c) => run.range.end = index + c.len_utf8(),
            (None, _) => runs.extend(current.take()),
        }
    }
    runs.extend(current);
    runs
}

/// The plain spelling of styled text: styled letters replaced, everything else kept.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_joiner(c))
        .map(|c| styled(c).map_or(c, |(plain, _)| plain))
        .collect()
}

impl PostCheck for FancyText {
    fn placeholders(&self) -> &'static [&'static str] {
        &["style", "plain"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["min_run"]
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let text = &input.post.text;
        // Most posts hold no styled letter at all: no need to look for runs. Every styled
        // letter is outside ASCII.
        if !text.chars().any(|c| !c.is_ascii() && styled(c).is_some()) {
            return None;
        }
        let fullwidth_counts = !text.chars().any(is_cjk);
        let runs = runs(text, fullwidth_counts);
        let first = runs
            .iter()
            .position(|run| run.letters >= self.options.min_run)?;
        // Mark the styled phrase: the first long run and the styled words that follow it with
        // only spaces and punctuation between.
        let mut range = runs[first].range.clone();
        for run in &runs[first + 1..] {
            let between = &text[range.end..run.range.start];
            if between.chars().any(char::is_alphanumeric) || between.contains('\n') {
                break;
            }
            range.end = run.range.end;
        }
        Some(PostHit {
            values: vec![
                ("style", runs[first].style.to_string()),
                ("plain", plain(&text[range.clone()])),
            ],
            range,
            fix: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin::check_text;

    fn check(text: &str) -> Option<(String, String, String)> {
        let fancy = FancyText::new(Options { min_run: 3 }).unwrap();
        let hit = check_text(&fancy, text, &[])?;
        Some((
            text[hit.range].to_string(),
            hit.values[0].1.clone(),
            hit.values[1].1.clone(),
        ))
    }

    #[test]
    fn styled_words_are_found_with_their_plain_spelling() {
        let (marked, style, plain) = check("Big news: 𝐍𝐄𝐖 𝐂𝐎𝐔𝐑𝐒𝐄 is open!").unwrap();
        assert_eq!(marked, "𝐍𝐄𝐖 𝐂𝐎𝐔𝐑𝐒𝐄");
        assert_eq!(style, "mathematical bold");
        assert_eq!(plain, "NEW COURSE");
        let (_, style, plain) = check("so 𝘤𝘰𝘻𝘺 today").unwrap();
        assert_eq!(
            (style.as_str(), plain.as_str()),
            ("mathematical sans-serif italic", "cozy")
        );
        // Script letters with holes filled from Letterlike Symbols (ℯ, ℴ).
        let (_, style, plain) = check("𝓈𝒸𝓇𝒾𝓅𝓉 and 𝒽ℯ𝓁𝓁ℴ").unwrap();
        assert_eq!(check("say 𝒽ℯ𝓁𝓁ℴ").unwrap().2, "hello");
        assert_eq!(
            (style.as_str(), plain.as_str()),
            ("mathematical script", "script")
        );
        assert_eq!(check("Ｆｕｌｌ width").unwrap().2, "Full");
        assert_eq!(check("ⒶⒹⓄⓅⓉ me").unwrap().2, "ADOPT");
    }

    #[test]
    fn emoji_letters_with_variation_selectors_stay_one_run() {
        let (marked, style, plain) = check("🅱\u{fe0f}🅴🅰🅲🅷 day 🏖️").unwrap();
        assert_eq!(marked, "🅱\u{fe0f}🅴🅰🅲🅷");
        assert_eq!(style, "negative squared");
        assert_eq!(plain, "BEACH");
    }

    #[test]
    fn formula_symbols_and_cjk_fullwidth_are_not_flagged() {
        for text in [
            "Let f: ℝ → ℝ be continuous; then 𝑓(𝑥) = 𝑎𝑥 + 𝑏 has one root.",
            "The area is 𝜋𝑟² and 𝛼 + 𝛽 = 𝛾",
            "ℕ ⊂ ℤ ⊂ ℚ ⊂ ℝ ⊂ ℂ",
            "ＬＩＮＥでメッセージを送ってください",
            "Options: Ⓐ yes Ⓑ no Ⓒ maybe",
            "🇺🇸🇫🇷🇯🇵 flags and emoji 😀 café",
        ] {
            assert!(check(text).is_none(), "{text}");
        }
    }

    #[test]
    fn a_line_break_ends_the_marked_phrase() {
        let (marked, _, _) = check("𝐒𝐀𝐋𝐄\n𝐍𝐎𝐖").unwrap();
        assert_eq!(marked, "𝐒𝐀𝐋𝐄");
    }
}
