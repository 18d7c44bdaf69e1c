//! The one place where byte offsets become the positions people and tools use.
//!
//! Rules find matches as byte ranges into `Post::text`. [`TextSpan::new`] widens such a range to
//! whole grapheme clusters (an emoji, a flag or a letter with combining marks is never split) and
//! computes every published unit once: bytes, Unicode scalar values ("chars"), grapheme clusters,
//! and 1-based line and column (column counted in chars, as SARIF's `unicodeCodePoints`). Nothing
//! else in the crate converts offsets.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// A half-open range of a post's text, in every unit hygiene publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSpan {
    /// Byte offsets into the UTF-8 text, half-open.
    pub bytes: Range<usize>,
    /// Unicode scalar value offsets, half-open.
    pub chars: Range<usize>,
    /// Extended grapheme cluster offsets, half-open.
    pub graphemes: Range<usize>,
    /// 1-based line of the start (lines end at `\n`; a `\r` before it is part of the break).
    pub line: usize,
    /// 1-based column of the start, in chars from the start of its line.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column just past the end, in chars from the start of its line.
    pub end_column: usize,
}

impl TextSpan {
    /// The span of `bytes` in `text`, widened outwards to grapheme cluster boundaries.
    ///
    /// `bytes` is clamped to the text, so a caller can never produce a span outside it.
    pub fn new(text: &str, bytes: Range<usize>) -> TextSpan {
        let end = bytes.end.min(text.len());
        let start = bytes.start.min(end);
        // A character of [`simple_cluster`] is a cluster of its own, unless what follows joins
        // it: up to an end followed by such a character there is no need to segment the text;
        // otherwise segmenting starts at `start`, or where the last such character before it
        // ends. Segmenting a post from its first emoji to each finding took 17,000 instructions
        // a finding.
        let bytes = text.as_bytes();
        let (mut at, mut clusters) = (0, 0);
        let mut at_start = None;
        loop {
            if at == start {
                at_start = Some(clusters);
            }
            if at == end {
                break;
            }
            let Some(len) = simple_cluster(&bytes[at..]) else {
                break;
            };
            let next = at + len;
            // Not past an end, nor over a start, that falls inside the character.
            if next > end
                || (at < start && next > start)
                || (next < bytes.len() && simple_cluster(&bytes[next..]).is_none())
            {
                break;
            }
            at = next;
            clusters += 1;
        }
        let clusters = match at_start {
            Some(grapheme_start) if at == end => Clusters {
                byte_start: start,
                grapheme_start,
                byte_end: end,
                grapheme_end: clusters,
            },
            Some(before) => Clusters::segmented_from(text, start, before, start, end),
            None => Clusters::segmented_from(text, at, clusters, start, end),
        };
        clusters.span(text)
    }
}

/// When `bytes` starts with a character that is a grapheme cluster of its own unless what
/// follows it joins it (an extending or spacing mark, a zero-width joiner), its length: a
/// [`plain_char`] but `\r` (which joins a `\n`) and the regional indicators (which pair up
/// into flags). None of them joins what follows it.
fn simple_cluster(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'\r', ..] | [0xF0, 0x9F, 0x87, ..] => None,
        _ => plain_char(bytes),
    }
}

/// A byte range widened to the grapheme clusters it touches, and their indexes.
#[derive(Debug, PartialEq)]
struct Clusters {
    byte_start: usize,
    grapheme_start: usize,
    byte_end: usize,
    grapheme_end: usize,
}

impl Clusters {
    /// The clusters of `start..end` (within `text`), found by segmenting `text` from its start.
    #[cfg(test)]
    fn segmented(text: &str, start: usize, end: usize) -> Clusters {
        Clusters::segmented_from(text, 0, 0, start, end)
    }

    /// [`Clusters::segmented`], segmenting from `from`, a cluster boundary at or before
    /// `start` with `before` clusters before it.
    fn segmented_from(
        text: &str,
        from: usize,
        before: usize,
        start: usize,
        end: usize,
    ) -> Clusters {
        // Grapheme clusters holding the first and the last byte of the range.
        let mut first: Option<(usize, usize)> = None; // (byte offset, grapheme index)
        let mut last: Option<(usize, usize)> = None; // (byte end, grapheme end index)
        let mut count = before;
        for (index, (offset, grapheme)) in text[from..].grapheme_indices(true).enumerate() {
            let (index, offset) = (before + index, from + offset);
            let grapheme_end = offset + grapheme.len();
            count = index + 1;
            if first.is_none() && start < grapheme_end {
                first = Some((offset, index));
            }
            if end > start && end <= grapheme_end {
                last = Some((grapheme_end, index + 1));
                break;
            }
            if end == start && first.is_some() {
                break;
            }
        }
        let (byte_start, grapheme_start) = first.unwrap_or((text.len(), count));
        let (byte_end, grapheme_end) = last.unwrap_or((byte_start, grapheme_start));
        Clusters {
            byte_start,
            grapheme_start,
            byte_end,
            grapheme_end,
        }
    }

    fn span(&self, text: &str) -> TextSpan {
        let before = &text[..self.byte_start];
        let char_start = before.chars().count();
        let (line, column) = line_column(before);
        let (end_line, end_column) = line_column(&text[..self.byte_end]);
        TextSpan {
            bytes: self.byte_start..self.byte_end,
            chars: char_start..char_start + text[self.byte_start..self.byte_end].chars().count(),
            graphemes: self.grapheme_start..self.grapheme_end,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// The Unicode scalar value ("char") offsets of byte ranges of one text, without widening them
/// (an edit is exact where a span is widened to whole graphemes). Each range is counted on
/// from the one before when they come in order (a fix's edits do), so that a long post's many
/// edits cost one pass over its text rather than one each.
pub struct CharCounter<'t> {
    text: &'t str,
    /// A byte offset, and how many chars start before it.
    at: usize,
    chars: usize,
}

impl<'t> CharCounter<'t> {
    pub fn new(text: &'t str) -> CharCounter<'t> {
        CharCounter {
            text,
            at: 0,
            chars: 0,
        }
    }

    /// The char offsets of `bytes`, clamped to the text.
    pub fn range(&mut self, bytes: Range<usize>) -> Range<usize> {
        let end = bytes.end.min(self.text.len());
        let start = bytes.start.min(end);
        self.chars_before(start)..self.chars_before(end)
    }

    /// How many chars start before byte `offset` (at most the text's length): its bytes that
    /// do not continue a char.
    fn chars_before(&mut self, offset: usize) -> usize {
        if offset < self.at {
            (self.at, self.chars) = (0, 0);
        }
        self.chars += self.text.as_bytes()[self.at..offset]
            .iter()
            .filter(|&&byte| !is_utf8_continuation(byte))
            .count();
        self.at = offset;
        self.chars
    }
}

/// Whether `byte` continues a UTF-8 encoded char (`10xxxxxx`) rather than starting one.
fn is_utf8_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Ranges of a text to leave out (links, hashtags, inline code), asked in text order whether a
/// word (or an entity) overlaps one: one pass over the ranges for all the words of a text,
/// where testing each word against every range made a long post's check quadratic (a 1.6 MB
/// post with thousands of links and hashtags took seconds).
pub struct Skipped {
    /// Sorted by start.
    ranges: Vec<Range<usize>>,
    /// How many of `ranges` start before the last word's end.
    passed: usize,
    /// The furthest end of those.
    reach: usize,
    /// The last word's end, to check that words come in order.
    last_end: usize,
}

impl Skipped {
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Skipped {
        let mut ranges: Vec<Range<usize>> = ranges.into_iter().collect();
        ranges.sort_unstable_by_key(|range| range.start);
        Skipped {
            ranges,
            passed: 0,
            reach: 0,
            last_end: 0,
        }
    }

    /// Whether byte `at` is inside one of the ranges (a word or entity starting there starts
    /// inside it). Asked in order, like [`Skipped::overlaps`].
    pub fn contains(&mut self, at: usize) -> bool {
        self.overlaps(&(at..at + 1))
    }

    /// Whether `word` overlaps one of the ranges (shares a byte with it, or holds an empty one
    /// strictly inside). Words must be asked in order: each ends at or after the one before.
    pub fn overlaps(&mut self, word: &Range<usize>) -> bool {
        debug_assert!(word.end >= self.last_end, "words asked in text order");
        self.last_end = word.end;
        // A range overlaps the word when it starts before the word's end and ends after its
        // start: of the ranges that start before the word's end, the furthest end decides.
        while let Some(range) = self.ranges.get(self.passed)
            && range.start < word.end
        {
            self.reach = self.reach.max(range.end);
            self.passed += 1;
        }
        self.reach > word.start
    }
}

/// The 1-based line and column (in chars) just after `prefix`.
fn line_column(prefix: &str) -> (usize, usize) {
    let line = 1 + prefix.matches('\n').count();
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    (line, 1 + prefix[line_start..].chars().count())
}

/// The byte range of the line (without its line break) that contains byte `offset`.
pub fn line_around(text: &str, offset: usize) -> Range<usize> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = if text[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end.max(start)
}

/// The 1-based line and column of byte `offset` in `text`, for error messages about files.
/// Offsets inside a multi-byte character point at that character.
pub fn position_of_byte(text: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Count chars in the (possibly invalid) prefix of the line: every byte that does not
    // continue a UTF-8 sequence starts one.
    let column = 1 + before[line_start..]
        .iter()
        .filter(|&&b| !is_utf8_continuation(b))
        .count();
    (line, column)
}

/// Number of words in `text`, by Unicode word boundaries (punctuation and emoji are not words).
pub fn word_count(text: &str) -> usize {
    words(text).count()
}

/// The words of `text` with their byte offsets, exactly as `text.unicode_word_indices()` gives
/// them (UAX #29 word boundaries; a word has a letter or digit), but mostly by [`PlainWords`],
/// which is several times faster than unicode-segmentation's look-ups per character.
///
/// The text is cut into pieces at runs of ASCII whitespace between plain characters (ASCII,
/// [`TYPOGRAPHIC`] punctuation and most emoji, see [`pictograph`]). UAX #29 breaks on both
/// sides of such a run (only a non-ASCII space before it, WB3d, or an extending character after
/// it, WB4, would join it to its neighbours), and no rule looks across it, so each piece has
/// the words it has in the whole text. Only the pieces with a character that is not plain (an
/// accented letter, a variation selector after a letter) go through unicode-segmentation; the
/// plain text between them is read in one stretch, as is a text that is plain throughout
/// (`PlainWords` never joins words across whitespace either). Cutting every piece apart and
/// choosing a path for each, one a word, took twice the time.
pub fn words(text: &str) -> Words<'_> {
    Words {
        text,
        rest: 0,
        plain: PlainWords { text: "", at: 0 },
        piece: None,
        unicode: None,
    }
}

/// The words of a text: see [`words`].
pub struct Words<'t> {
    text: &'t str,
    /// Where the text not yet cut starts.
    rest: usize,
    /// The words of the plain stretch before [`Words::piece`].
    plain: PlainWords<'t>,
    /// The piece with characters that are not plain, after the plain stretch.
    piece: Option<Range<usize>>,
    /// The words of the piece being read, and where it starts.
    unicode: Option<(usize, unicode_segmentation::UnicodeWordIndices<'t>)>,
}

impl<'t> Iterator for Words<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(word) = self.plain.next() {
                return Some(word);
            }
            if let Some((start, words)) = &mut self.unicode {
                if let Some((offset, word)) = words.next() {
                    return Some((*start + offset, word));
                }
                self.unicode = None;
            }
            if let Some(piece) = self.piece.take() {
                self.unicode = Some((piece.start, self.text[piece].unicode_word_indices()));
                continue;
            }
            if self.rest == self.text.len() {
                return None;
            }
            self.cut();
        }
    }
}

impl Words<'_> {
    /// Cuts the next plain stretch, and the piece after it if there is one, from the rest.
    fn cut(&mut self) {
        let bytes = self.text.as_bytes();
        let rest = self.rest;
        let Some(odd) = first_not_plain(bytes, rest) else {
            self.plain = PlainWords {
                text: self.text,
                at: rest,
            };
            self.rest = bytes.len();
            return;
        };
        // The piece starts after the last cut before `odd`: after the last run of whitespace
        // that some plain character follows (the characters before `odd` are all plain, and
        // the rest starts the text or follows a cut).
        let mut start = odd;
        loop {
            while start > rest && !bytes[start - 1].is_ascii_whitespace() {
                start -= 1;
            }
            if start == rest || start < odd {
                break;
            }
            // A run right before `odd` is not a cut.
            while start > rest && bytes[start - 1].is_ascii_whitespace() {
                start -= 1;
            }
        }
        // It ends at the first run of whitespace after `odd` with plain characters (or an end
        // of the text) on both sides.
        let mut from = odd;
        let (end, after) = loop {
            let Some(found) = bytes[from..].iter().position(u8::is_ascii_whitespace) else {
                break (bytes.len(), bytes.len());
            };
            let run = from + found;
            let after = run
                + bytes[run..]
                    .iter()
                    .take_while(|byte| byte.is_ascii_whitespace())
                    .count();
            let plain_before = [1, 3, 4]
                .into_iter()
                .any(|len| run >= len && plain_char(&bytes[run - len..]) == Some(len));
            let plain_after = after == bytes.len() || plain_char(&bytes[after..]).is_some();
            if plain_before && plain_after {
                break (run, after);
            }
            from = after;
        };
        self.plain = PlainWords {
            text: &self.text[..start],
            at: rest,
        };
        self.piece = Some(start..end);
        self.rest = after;
    }
}

/// Where the first character of `bytes` at or after `from` that is neither ASCII, nor
/// [`TYPOGRAPHIC`], nor a [`pictograph`] starts.
fn first_not_plain(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at < bytes.len() {
        // Eight bytes of ASCII at a time: most of most texts.
        if let Some(&chunk) = bytes[at..].first_chunk::<8>()
            && u64::from_ne_bytes(chunk) & 0x8080_8080_8080_8080 == 0
        {
            at += 8;
            continue;
        }
        let Some(len) = plain_char(&bytes[at..]) else {
            return Some(at);
        };
        at += len;
        if len == 4 {
            // A pictograph, and what extends it.
            while let Some(len) = emoji_extension(&bytes[at..]) {
                at += len;
            }
        }
    }
    None
}

/// When `bytes` starts with a plain character, its length: ASCII, [`TYPOGRAPHIC`]
/// punctuation, or a [`pictograph`].
fn plain_char(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [byte, ..] if byte.is_ascii() => Some(1),
        _ => symbol_len(bytes),
    }
}

/// When `bytes` starts with [`TYPOGRAPHIC`] punctuation or a [`pictograph`], the characters
/// other than ASCII that posts are fullest of, its length. None of them is a letter, a digit or
/// white space, so a check that looks for those can step over them undecoded.
pub(crate) fn symbol_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [0xE2, ..] => typographic(bytes).map(|_| 3),
        _ => pictograph(bytes).then_some(4),
    }
}

/// When `bytes` starts with a character that extends an emoji, its length: a variation selector
/// (U+FE0E, U+FE0F), the zero-width joiner (U+200D) or a skin-tone modifier (U+1F3FB–U+1F3FF).
/// After a [`pictograph`] such characters join it (WB4) and cut words as it does; after a
/// letter or digit they join that, so they are not plain by themselves.
fn emoji_extension(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [0xEF, 0xB8, 0x8E | 0x8F, ..] | [0xE2, 0x80, 0x8D, ..] => Some(3),
        [0xF0, 0x9F, 0x8F, 0xBB..=0xBF, ..] => Some(4),
        _ => None,
    }
}

/// Whether `bytes` starts with an emoji of the planes' pictograph blocks (U+1F300–U+1FAFF) or a
/// regional indicator (U+1F1E6–U+1F1FF, the halves of flags): to UAX #29 these are neither
/// letters nor digits and join nothing, so they cut words as `!` does (and so do the
/// characters that extend them, see [`emoji_extension`]). The skin-tone modifiers
/// (U+1F3FB–U+1F3FF) are extending characters, so not among them. Emoji are in a
/// fifth of posts; a piece with one took unicode-segmentation's path.
fn pictograph(bytes: &[u8]) -> bool {
    let [0xF0, 0x9F, second, third, ..] = *bytes else {
        return false;
    };
    let char = 0x1F000 | u32::from(second & 0x3F) << 6 | u32::from(third & 0x3F);
    matches!(char, 0x1F1E6..=0x1F1FF | 0x1F300..=0x1F3FA | 0x1F400..=0x1FAFF)
}

/// Whether `byte` is an ASCII word character (`[0-9A-Za-z_]`): one that joins a word, to
/// UAX #29 and to a regex's `\b`, Unicode or ASCII, alike.
pub fn is_ascii_word_byte(byte: u8) -> bool {
    PLAIN_CLASS[usize::from(byte)] & WORD_BYTE != 0
}

/// Punctuation that posts are full of, typed by phones and word processors: the curly quotes
/// `‘ ’ “ ”`, the dashes `– —` and the ellipsis `…`, all `E2 80 xx` in UTF-8. To UAX #29 the
/// single quotes are MidNumLet, as `.` is; the others are none of its classes, as `!` is; none
/// joins the character after it (WB4) or comes after a space it would join (WB3d).
const TYPOGRAPHIC: [u8; 7] = [0x93, 0x94, 0x98, 0x99, 0x9C, 0x9D, 0xA6];

/// When `bytes` starts with a [`TYPOGRAPHIC`] character, its last byte.
fn typographic(bytes: &[u8]) -> Option<u8> {
    match bytes {
        [0xE2, 0x80, last, ..] if TYPOGRAPHIC.contains(last) => Some(*last),
        _ => None,
    }
}

/// The UAX #29 words of a text of ASCII and [`TYPOGRAPHIC`] characters, with their offsets.
/// There the rules that join characters into a word are few: letters, digits and `_` join each
/// other (WB5, WB8–WB10, WB13a/b); one `:`, `.`, `'`, `‘` or `’` between two letters joins them
/// (WB6/7), one `,`, `;`, `.`, `'`, `‘` or `’` between two digits joins them (WB11/12). Every
/// other character is a segment of its own (spaces join each other, WB3d, but are never a
/// word), and a segment is a word when it holds a letter or digit (`_` alone is not).
///
/// Words are read from `at` on, with their offsets in `text`.
struct PlainWords<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Iterator for PlainWords<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        loop {
            while !is_ascii_word_byte(*bytes.get(self.at)?) {
                self.at += 1;
            }
            let start = self.at;
            let mut end = start;
            loop {
                while bytes
                    .get(end)
                    .is_some_and(|&byte| PLAIN_CLASS[usize::from(byte)] & WORD_BYTE != 0)
                {
                    end += 1;
                }
                // What the character at `end` may join, and its length.
                let (joins, len) = match bytes.get(end) {
                    Some(b':') => (LETTER, 1),
                    Some(b',' | b';') => (DIGIT, 1),
                    Some(b'.' | b'\'') => (LETTER | DIGIT, 1),
                    Some(0xE2) => match typographic(&bytes[end..]) {
                        Some(0x98 | 0x99) => (LETTER | DIGIT, 3),
                        _ => break,
                    },
                    _ => break,
                };
                let before = PLAIN_CLASS[usize::from(bytes[end - 1])];
                let after = bytes
                    .get(end + len)
                    .map_or(0, |&byte| PLAIN_CLASS[usize::from(byte)]);
                if before & after & joins == 0 {
                    break;
                }
                end += len;
            }
            self.at = end;
            // A word has a letter or digit, not only `_`: a join needs one on both sides, so a
            // segment without one is a run of `_` (looked for once it is cut, not byte by byte).
            if bytes[start..end].iter().any(|&byte| byte != b'_') {
                return Some((start, &self.text[start..end]));
            }
        }
    }
}

/// [`PLAIN_CLASS`] bits: an ASCII word character, letter, digit.
const WORD_BYTE: u8 = 1;
const LETTER: u8 = 2;
const DIGIT: u8 = 4;

/// By byte, its [`WORD_BYTE`] ([`is_ascii_word_byte`]), [`LETTER`] and [`DIGIT`] bits.
static PLAIN_CLASS: [u8; 256] = {
    let mut classes = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        classes[byte] = if b.is_ascii_alphabetic() {
            WORD_BYTE | LETTER
        } else if b.is_ascii_digit() {
            WORD_BYTE | DIGIT
        } else if b == b'_' {
            WORD_BYTE
        } else {
            0
        };
        byte += 1;
    }
    classes
};

/// Makes untrusted text safe to print on a terminal: control characters (C0, DEL, C1), which
/// carry escape sequences, and the bidirectional overrides and isolates, which can make text
/// display in a different order than it is stored, are shown as `\u{..}` escapes; tabs become
/// a space and line breaks are kept only when `keep_newlines` is set.
pub fn sanitize_for_terminal(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push(' '),
            c if is_unsafe_for_terminal(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Control characters and bidi controls: never shown raw on a terminal.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every char [`symbol_len`] steps over is neither a letter (of any case), nor a digit, nor
    /// white space, and is stepped over whole.
    #[test]
    fn symbols_are_neither_letters_digits_nor_white_space() {
        let mut symbols = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let mut buffer = [0; 4];
            let Some(len) = symbol_len(c.encode_utf8(&mut buffer).as_bytes()) else {
                continue;
            };
            symbols += 1;
            assert_eq!(len, c.len_utf8(), "{c:?}");
            assert!(
                !c.is_alphanumeric() && !c.is_uppercase() && !c.is_lowercase(),
                "{c:?}"
            );
            assert!(!c.is_whitespace(), "{c:?}");
        }
        assert!(symbols > 1000, "{symbols}");
    }

    #[test]
    fn ascii_span_has_equal_units() {
        let span = TextSpan::new("Click to Tweet now", 0..14);
        assert_eq!(span.bytes, 0..14);
        assert_eq!(span.chars, 0..14);
        assert_eq!(span.graphemes, 0..14);
        assert_eq!((span.line, span.column), (1, 1));
        assert_eq!((span.end_line, span.end_column), (1, 15));
    }

    #[test]
    fn flags_zwj_emoji_as_one_grapheme() {
        // Family emoji: 7 chars, 25 bytes, one grapheme.
        let text = "hi 👨‍👩‍👧‍👦 click to tweet";
        let family_start = 3;
        // A match that starts in the middle of the emoji is widened to the whole cluster.
        let span = TextSpan::new(text, family_start + 4..family_start + 8);
        assert_eq!(span.bytes, family_start..family_start + "👨‍👩‍👧‍👦".len());
        assert_eq!(span.graphemes, 3..4);
        assert_eq!(span.chars, 3..10);
        let tail = text.find("click").unwrap();
        let span = TextSpan::new(text, tail..text.len());
        assert_eq!(span.graphemes, 5..19);
        assert_eq!(span.chars, 11..25);
        assert_eq!(span.column, 12);
    }

    #[test]
    fn words_are_found_as_unicode_segmentation_finds_them() {
        let texts = [
            "",
            "   ",
            "Hello, world! It's 3.14 — e.g. https://a.example/x?y=1 #tag @ana",
            "I’m testing — more soon 🎉🎉 🇫🇷🇫🇷 a\u{200D}🎉 中文 字 カタカナ אב",
            "a \u{301}b \t\u{93F}x \u{AD}y  \u{200D}z \r\n\u{301}w",
            "  \u{93F}  ",
            "\u{3000} \u{93F}",
            "1, 000 1,000 can't x.y:z_w 12ab ab12 _ __a a.1 1.a a..b 1,,2 a'b' 'a 3;4 a;b a:b: _.a 1_.2",
            "\r\n\r\n x\u{301} \u{301}\u{301} y",
            "“Hi” — it’s 3’4, ‘a’ b’’c d’ … e–f 5‘6 g’\u{301}h ’ “ \u{301}",
        ];
        for text in texts {
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            assert_eq!(words(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    /// Every char [`pictograph`] takes for plain cuts words as unicode-segmentation cuts them,
    /// next to letters, digits, joiners, extending characters and itself.
    #[test]
    fn pictographs_cut_words_as_unicode_segmentation_does() {
        let mut plain = 0;
        for char in (0x1F1E6..=0x1FAFF).filter_map(char::from_u32) {
            let mut utf8 = [0; 4];
            if !pictograph(char.encode_utf8(&mut utf8).as_bytes()) {
                continue;
            }
            plain += 1;
            for text in [
                format!("a{char}b"),
                format!("{char}a 1{char}2"),
                format!("a.{char}.b {char}{char}"),
                format!("x'{char} {char}'y"),
                format!("a{char}\u{fe0f}b"),
                format!("a\u{200d}{char}b {char}\u{200d}{char}"),
                format!("a {char}\u{1f3fd} b"),
                format!("a{char}\u{1f3fd}b {char}\u{fe0f}\u{200d}{char}\u{fe0e}1"),
                format!("{char}\u{200d}a \u{200d}{char}\u{fe0f}"),
                format!("1\u{fe0f}\u{20e3}{char}\u{fe0f}\u{20e3}x"),
                format!("x\u{fe0f}y\u{200d}z\u{1f3fd}w {char}"),
            ] {
                let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
                assert_eq!(words(&text).collect::<Vec<_>>(), expected, "{text:?}");
            }
        }
        assert_eq!(plain, 26 + 2048 - 5);
    }

    proptest::proptest! {
        #[test]
        fn words_are_found_as_unicode_segmentation_finds_them_in_any_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Zé", "1", "0", "_", ".", ",", ":", ";", "'", "’", "@", "#", "-", "/",
                    " ", "  ", "\t", "\n", "\r", "\r\n", "\u{b}", "\u{c}", "\u{a0}",
                    "\u{3000}", "\u{301}", "\u{93f}", "\u{200d}", "\u{ad}", "\u{200b}", "🎉",
                    "👍🏽", "🇫", "🇷", "中", "カ", "א", "\"", "٣", "ǅ", "ß", "İ", "\u{1680}",
                    "\u{2028}", "\u{85}", "\u{feff}", "\u{3099}", "\u{b7}", "\u{ff0e}",
                    "\u{66c}", "\u{5f3}", "\u{e0020}", "‘", "“", "”", "–", "—", "…",
                ]),
                0..40,
            )
        ) {
            let text = pieces.concat();
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), expected);
        }

        /// The plain segmenter, on texts of the characters its rules name and their
        /// neighbours.
        #[test]
        fn plain_words_are_the_segmented_ones(text in "[aZ09_.,:;'\\- !#@\t\r\n\x0b\x0c\x00‘’“”–—…]{0,24}") {
            proptest::prop_assert_eq!(first_not_plain(text.as_bytes(), 0), None);
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            proptest::prop_assert_eq!(PlainWords { text: &text, at: 0 }.collect::<Vec<_>>(), expected);
        }

        /// Where a span counts characters as clusters of their own, segmenting the text gives
        /// the same clusters: on texts of ASCII, CR LF, typographic punctuation, combining and
        /// spacing marks, joiners, variation selectors, emoji, skin tones and flags.
        #[test]
        fn simple_clusters_are_the_segmented_ones(
            text in "[a \\r\\n’—\u{301}\u{93f}\u{200D}\u{fe0f}é👍🎉\u{1f3fd}🇫🇷\u{600}]{0,12}",
            start in 0usize..40,
            len in 0usize..40,
        ) {
            let end = (start + len).min(text.len());
            let start = start.min(end);
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                let span = TextSpan::new(&text, start..end);
                proptest::prop_assert_eq!(span, Clusters::segmented(&text, start, end).span(&text));
            }
        }
    }

    /// Every byte range, character boundaries or not, widens as segmenting the whole text
    /// widens it.
    #[test]
    fn any_byte_range_widens_as_segmenting_widens_it() {
        let text = "a’🎉b\r\n👍\u{1f3fd}c🇫🇷d\u{301}e";
        for end in 0..=text.len() {
            for start in 0..=end {
                assert_eq!(
                    TextSpan::new(text, start..end),
                    Clusters::segmented(text, start, end).span(text),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn a_span_ending_inside_crlf_takes_the_whole_break() {
        let span = TextSpan::new("a\r\nb", 0..2);
        assert_eq!((span.bytes, span.graphemes), (0..3, 0..2));
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        let text = "cafe\u{301} crème";
        let span = TextSpan::new(text, 0..4);
        assert_eq!(span.bytes, 0..6);
        assert_eq!(span.chars, 0..5);
        assert_eq!(span.graphemes, 0..4);
    }

    #[test]
    fn lines_and_columns_count_from_one_and_skip_crlf() {
        let text = "first line\r\nsecond é line";
        let at = text
            .find("line\u{0}")
            .unwrap_or_else(|| text.rfind("line").unwrap());
        let span = TextSpan::new(text, at..at + 4);
        assert_eq!((span.line, span.column), (2, 10));
        assert_eq!(line_around(text, at), 12..text.len());
        assert_eq!(line_around(text, 2), 0..10);
    }

    #[test]
    fn out_of_range_and_empty_spans_are_clamped() {
        let span = TextSpan::new("abc", 2..99);
        assert_eq!(span.bytes, 2..3);
        let span = TextSpan::new("abc", 5..9);
        assert_eq!(span.bytes, 3..3);
        assert_eq!(span.graphemes, 3..3);
        let span = TextSpan::new("", 0..0);
        assert_eq!(span.bytes, 0..0);
        let span = TextSpan::new("abc", 1..1);
        assert_eq!(span.bytes, 1..1);
        assert_eq!(span.graphemes, 1..1);
    }

    #[test]
    fn char_ranges_are_exact() {
        let text = "é👨‍👩‍👧 x";
        let family = "👨‍👩‍👧";
        let range = |bytes| CharCounter::new(text).range(bytes);
        assert_eq!(range(2..2 + family.len()), 1..6);
        assert_eq!(range(2..6), 1..2, "not widened to the grapheme");
        assert_eq!(range(0..99), 0..8);
        assert_eq!(
            range(1..1),
            1..1,
            "inside `é`: the char it is in started before"
        );
    }

    /// Counted on from the range before or from the start, a range's chars are the same.
    #[test]
    fn char_ranges_in_any_order_are_counted_alike() {
        let text = "a é 👨‍👩‍👧 b\ncafé";
        let ranges = [0..1, 2..4, 3..9, 5..30, 1..2, 30..40, 0..0];
        let mut counter = CharCounter::new(text);
        for bytes in ranges {
            let alone = CharCounter::new(text).range(bytes.clone());
            let prefix = |at: usize| {
                text.char_indices()
                    .take_while(|(start, _)| *start < at.min(text.len()))
                    .count()
            };
            let end = bytes.end.min(text.len());
            assert_eq!(
                alone,
                prefix(bytes.start.min(end))..prefix(end),
                "{bytes:?}"
            );
            assert_eq!(
                counter.range(bytes.clone()),
                alone,
                "{bytes:?} after others"
            );
        }
    }

    #[test]
    fn byte_positions_count_chars_not_bytes() {
        assert_eq!(position_of_byte(b"ab\ncd", 4), (2, 2));
        assert_eq!(position_of_byte("é\nxé!".as_bytes(), 6), (2, 3));
        assert_eq!(position_of_byte(b"\xff\xfe", 1), (1, 2));
    }

    #[test]
    fn terminal_text_has_no_escapes_or_bidi_overrides() {
        let text = "ok \u{1b}[31mred\u{7} \u{202e}evil\tx\ny";
        assert_eq!(
            sanitize_for_terminal(text, false),
            "ok \\u{1b}[31mred\\u{7} \\u{202e}evil x\\u{a}y"
        );
        assert_eq!(sanitize_for_terminal("a\nb", true), "a\nb");
    }

    proptest::proptest! {
        /// Swept in text order, a word overlaps a range exactly when some range shares a byte
        /// with it or sits, empty, strictly inside it.
        #[test]
        fn skipped_words_are_those_overlapping_a_range(
            ranges in proptest::collection::vec((0usize..60, 0usize..8), 0..8),
            words in proptest::collection::vec((0usize..6, 1usize..6), 0..12),
        ) {
            let ranges: Vec<Range<usize>> =
                ranges.into_iter().map(|(start, len)| start..start + len).collect();
            let mut skipped = Skipped::new(ranges.iter().cloned());
            let mut at = 0;
            for (gap, len) in words {
                let word = at + gap..at + gap + len;
                at = word.end;
                let expected = ranges
                    .iter()
                    .any(|range| range.start < word.end && word.start < range.end);
                proptest::prop_assert_eq!(
                    skipped.overlaps(&word),
                    expected,
                    "{:?} in {:?}",
                    word,
                    ranges
                );
            }
        }
    }
}
