//! How long a post is on its platform, measured the way that platform measures it, and the
//! entities (links, hashtags, mentions) the platform rules count.
//!
//! [`measure`] is the one place a post's platform length is computed: the `over-length` rule
//! judges it and the JSON report prints it.
//!
//! - **X** counts a weighted length with twitter-text's algorithm and its v3 configuration
//!   (`config-v3.json` of twitter/twitter-text): the text is NFC-normalised; every link counts 23;
//!   every emoji sequence counts 2; other code points count 1 in the ranges U+0000–10FF,
//!   U+2000–200D, U+2010–201F and U+2032–2037 and 2 elsewhere (CJK, most symbols). Limit 280.
//!   [`x_weighted_length`] passes the official conformance suite's weighted-length cases.
//! - **Bluesky** limits a post's text to 300 graphemes and 3000 bytes (the `app.bsky.feed.post`
//!   lexicon's `maxGraphemes` and `maxLength`).
//! - **Mastodon** counts 500 characters, every `http(s)` link as 23 and a remote mention
//!   `@user@host` as `@user` (its compose counter and server validation).
//! - **Threads** 500, **Instagram** 2200 (caption), **LinkedIn** 3000, **Facebook** 63,206
//!   characters, counted here in Unicode code points: those platforms do not publish how they
//!   count, and code points never count more than UTF-16 units, so hygiene errs on the side of
//!   a post being within the limit.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

use crate::post::Platform;
use crate::text::Skipped;

/// What a length counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// twitter-text's weighted length (X).
    Weighted,
    /// Extended grapheme clusters (Bluesky).
    Graphemes,
    /// UTF-8 bytes (Bluesky's second limit).
    Bytes,
    /// Unicode code points, links counted as 23 where the platform does so.
    Chars,
}

impl Unit {
    /// The lowercase name used in messages and the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Weighted => "weighted",
            Unit::Graphemes => "graphemes",
            Unit::Bytes => "bytes",
            Unit::Chars => "chars",
        }
    }
}

/// A post's length on its platform and the limit it was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Length {
    pub platform: Platform,
    pub value: usize,
    pub limit: usize,
    pub unit: Unit,
    /// Byte offset of the first character past the limit, when the post is over it.
    pub over_at: Option<usize>,
}

impl Length {
    /// Whether the post is longer than the platform allows.
    pub fn is_over(&self) -> bool {
        self.value > self.limit
    }
}

/// X's limit in weighted length (twitter-text config v3 `maxWeightedTweetLength`).
pub const X_LIMIT: usize = 280;
/// What a link counts on X and Mastodon (`transformedURLLength`).
pub const URL_LENGTH: usize = 23;

/// The twitter-text entities of one text (links, hashtags, mentions), each extracted when
/// first asked for and then kept: a post's length, hashtag and mention checks need the same
/// ones, and hashtags and mentions need the links (they do not count inside one).
#[derive(Debug)]
pub struct Entities<'t> {
    text: &'t str,
    urls: OnceCell<Vec<Range<usize>>>,
    hashtags: OnceCell<Vec<Range<usize>>>,
    mentions: OnceCell<Vec<Range<usize>>>,
}

impl<'t> Entities<'t> {
    pub fn new(text: &'t str) -> Self {
        Entities {
            text,
            urls: OnceCell::new(),
            hashtags: OnceCell::new(),
            mentions: OnceCell::new(),
        }
    }

    /// The links, with or without a scheme (byte ranges, in order).
    pub fn urls(&self) -> &[Range<usize>] {
        self.urls.get_or_init(|| urls(self.text, true))
    }

    /// The hashtags (see [`hashtags`]).
    pub fn hashtags(&self) -> &[Range<usize>] {
        self.hashtags.get_or_init(|| hashtags(self))
    }

    /// The mentions (see [`mentions`]).
    pub fn mentions(&self) -> &[Range<usize>] {
        self.mentions.get_or_init(|| mentions(self))
    }
}

/// The length of a text on `platform`, as that platform counts it.
pub fn measure(entities: &Entities<'_>, platform: Platform) -> Length {
    let text = entities.text;
    let chars = |limit| {
        let (value, over_at) = char_length(text, limit, &[]);
        Length {
            platform,
            value,
            limit,
            unit: Unit::Chars,
            over_at,
        }
    };
    match platform {
        Platform::X => {
            let (value, over_at) = x_weighted_length(entities, true, X_LIMIT);
            Length {
                platform,
                value,
                limit: X_LIMIT,
                unit: Unit::Weighted,
                over_at,
            }
        }
        Platform::Bluesky => bluesky_length(text),
        Platform::Mastodon => {
            let mut counted: Vec<(Range<usize>, usize)> = urls(text, false)
                .into_iter()
                .map(|range| (range, URL_LENGTH))
                .collect();
            // `@user@host` counts as `@user`.
            for mention in entities.mentions().iter().cloned() {
                if let Some(at) = text[mention.start + 1..mention.end].find('@') {
                    let user = mention.start..mention.start + 1 + at;
                    let user_chars = text[user].chars().count();
                    counted.push((mention, user_chars));
                }
            }
            counted.sort_by_key(|(range, _)| range.start);
            let (value, over_at) = char_length(text, 500, &counted);
            Length {
                platform,
                value,
                limit: 500,
                unit: Unit::Chars,
                over_at,
            }
        }
        Platform::Threads => chars(500),
        Platform::Instagram => chars(2200),
        Platform::Linkedin => chars(3000),
        Platform::Facebook => chars(63_206),
    }
}

/// Code points of `text`, with the byte ranges in `counted` (sorted, not overlapping) counting
/// the given length instead; and where the limit is passed.
fn char_length(
    text: &str,
    limit: usize,
    counted: &[(Range<usize>, usize)],
) -> (usize, Option<usize>) {
    let mut total = 0;
    let mut over_at = None;
    let mut ranges = counted.iter().peekable();
    let mut skip_to = 0;
    for (offset, _) in text.char_indices() {
        if offset < skip_to {
            continue;
        }
        let weight = match ranges.peek() {
            Some((range, length)) if range.start == offset => {
                skip_to = range.end;
                let length = *length;
                ranges.next();
                length
            }
            _ => 1,
        };
        total += weight;
        if total > limit && over_at.is_none() {
            over_at = Some(offset);
        }
    }
    (total, over_at)
}

fn bluesky_length(text: &str) -> Length {
    const GRAPHEMES: usize = 300;
    const BYTES: usize = 3000;
    let mut graphemes = 0;
    let mut over_graphemes = None;
    let mut over_bytes = None;
    for (offset, grapheme) in text.grapheme_indices(true) {
        graphemes += 1;
        if graphemes > GRAPHEMES && over_graphemes.is_none() {
            over_graphemes = Some(offset);
        }
        if offset + grapheme.len() > BYTES && over_bytes.is_none() {
            over_bytes = Some(offset);
        }
    }
    let by_graphemes = Length {
        platform: Platform::Bluesky,
        value: graphemes,
        limit: GRAPHEMES,
        unit: Unit::Graphemes,
        over_at: over_graphemes,
    };
    // The byte limit binds only for text of wide characters (emoji, most scripts outside Latin).
    match over_bytes {
        Some(at) if over_graphemes.is_none_or(|graphemes| at < graphemes) => Length {
            value: text.len(),
            limit: BYTES,
            unit: Unit::Bytes,
            over_at: Some(at),
            ..by_graphemes
        },
        _ => by_graphemes,
    }
}

/// twitter-text's weighted length of `text` (config v3 when `emoji_parsing`, v2 otherwise:
/// the same weights, emoji sequences not discounted), and the byte offset of the first
/// character past `limit`.
pub fn x_weighted_length(
    entities: &Entities<'_>,
    emoji_parsing: bool,
    limit: usize,
) -> (usize, Option<usize>) {
    let text = entities.text;
    // In hundredths, as twitter-text's `scale`.
    let mut total = 0;
    let mut over_at = None;
    let mut links = entities.urls().iter().peekable();
    let bytes = text.as_bytes();
    let mut offset = 0;
    while offset < text.len() {
        let (weight, next) = if let Some(link) = links.next_if(|link| link.start <= offset) {
            (URL_LENGTH * 100, {
                let this_char = text[offset..].chars().next().map_or(1, char::len_utf8);
                cluster_boundary_from(text, link.end.max(offset + this_char))
            })
        } else if let Some(end) = ascii_run(bytes, offset, links.peek().map(|link| link.start)) {
            // Each character counts 1, a CR and its LF (one cluster) 2: the first past the
            // limit is the one at the limit, or its CR.
            let weight = 100 * (end - offset);
            if total + weight > limit * 100 && over_at.is_none() {
                let mut at = offset + (limit * 100 - total) / 100;
                if at > offset && bytes[at - 1..=at] == *b"\r\n" {
                    at -= 1;
                }
                over_at = Some(at);
            }
            total += weight;
            offset = end;
            continue;
        } else if let Some(weight) = lone_punctuation(bytes, offset) {
            (weight, offset + 3)
        } else {
            // A cluster starting at a cluster boundary is the same in the rest of the text.
            let cluster = text[offset..]
                .graphemes(true)
                .next()
                .expect("a cluster starts before the end");
            let weight = if emoji_parsing && is_emoji_sequence(cluster) {
                200
            } else if cluster.is_ascii() {
                100 * cluster.len()
            } else {
                cluster.nfc().map(x_char_weight).sum()
            };
            (weight, offset + cluster.len())
        };
        total += weight;
        if total > limit * 100 && over_at.is_none() {
            over_at = Some(offset);
        }
        offset = next;
    }
    (total / 100, over_at)
}

/// The end of the ASCII characters from `offset` (at a cluster boundary) that are grapheme
/// clusters of their own but for CR LF, up to the next link: all of them but the last before
/// a character past ASCII, which may start a cluster with it (`e` and a combining accent), and
/// the CR of that last one when it is a LF. Segmenting them took most of the time.
fn ascii_run(bytes: &[u8], offset: usize, next_link: Option<usize>) -> Option<usize> {
    let stop = next_link.map_or(bytes.len(), |start| start.min(bytes.len()));
    let mut end = bytes[offset..stop]
        .iter()
        .position(|byte| !byte.is_ascii())
        .map_or(stop, |length| offset + length);
    if end < bytes.len() && !bytes[end].is_ascii() {
        end = end.checked_sub(1)?;
        if end > offset && bytes[end - 1..=end] == *b"\r\n" {
            end -= 1;
        }
    }
    (end > offset).then_some(end)
}

/// The weight of the general punctuation at `offset` (U+2010 to U+2027: dashes, curly quotes,
/// the ellipsis, the most common characters past ASCII in many posts) when it is a grapheme
/// cluster of its own, followed by ASCII or by nothing. None of them extends a cluster or is
/// changed by NFC, so this is what segmenting and normalising gives, for less than a tenth of
/// the time.
fn lone_punctuation(bytes: &[u8], offset: usize) -> Option<usize> {
    match bytes[offset..] {
        [0xE2, 0x80, last @ 0x90..=0xA7, ref rest @ ..]
            if rest.first().is_none_or(u8::is_ascii) =>
        {
            let c = char::from_u32(0x2000 + u32::from(last - 0x80)).expect("U+2010 to U+2027");
            Some(x_char_weight(c))
        }
        _ => None,
    }
}

/// The first grapheme cluster boundary of `text` at or after `at`.
fn cluster_boundary_from(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    if cursor.is_boundary(text, 0).unwrap_or(true) {
        return at;
    }
    cursor
        .next_boundary(text, 0)
        .ok()
        .flatten()
        .unwrap_or(text.len())
}

/// A code point's weight on X, in hundredths (twitter-text config v2/v3 `ranges`).
fn x_char_weight(c: char) -> usize {
    match c as u32 {
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 100,
        _ => 200,
    }
}

/// Whether a grapheme cluster of several code points is one emoji (a ZWJ sequence, a flag, a
/// keycap, an emoji with a skin tone or presentation selector), which X counts as 2.
fn is_emoji_sequence(cluster: &str) -> bool {
    let mut chars = cluster.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if chars.next().is_none() {
        return false;
    }
    is_pictographic(first) || cluster.contains(['\u{FE0F}', '\u{20E3}'])
}

/// Code points that start emoji (Extended_Pictographic, regional indicators), by block.
fn is_pictographic(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2300..=0x23FF | 0x2B00..=0x2BFF
        | 0x2190..=0x21FF | 0x25A0..=0x25FF | 0x2934 | 0x2935 | 0x203C | 0x2049 | 0x2122
        | 0x2139 | 0x24C2 | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0xA9 | 0xAE)
}

/// Top-level domains twitter-text links (Fx-hashed: looked up for every link).
static TLDS: LazyLock<rustc_hash::FxHashSet<&'static str>> = LazyLock::new(|| {
    include_str!("tlds.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect()
});

/// `http(s)://` links: a host of labels ending in a known top-level domain, an optional port,
/// a path without its trailing punctuation.
static URL_WITH_PROTOCOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)https?://(?:[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}_-]*[\p{L}\p{N}\p{M}])?\.)+[\p{L}\p{M}\p{N}-]+(?::\d+)?(?:[/?#][^\s]*)?",
    )
    .expect("the link pattern is valid")
});

/// [`URL_WITH_PROTOCOL`] with ASCII letters and digits for Unicode letters, marks and numbers:
/// the same matches where the characters after each `://` that a host could hold are ASCII
/// (see [`ascii_hosts`]), nearly every text. Its classes make the Unicode pattern costly to
/// compile and to run for the first time.
static URL_WITH_PROTOCOL_ASCII: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)https?://(?:[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\.)+[a-z0-9-]+(?::\d+)?(?:[/?#][^\s]*)?",
    )
    .expect("the link pattern is valid")
});

/// Whether [`URL_WITH_PROTOCOL`] may match in `text`: it has a `://`, which has no other
/// spelling in any case.
fn may_hold_scheme_link(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"://").is_some()
}

/// Whether [`URL_WITHOUT_PROTOCOL`] may match in `text`: it has a dot before an ASCII letter,
/// digit or `-`, or before a character past ASCII (such as the Kelvin sign and the long s,
/// which a case-insensitive `[a-z]` matches).
fn may_hold_bare_link(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'.', bytes).any(|at| {
        bytes
            .get(at + 1)
            .is_some_and(|&next| !next.is_ascii() || next.is_ascii_alphanumeric() || next == b'-')
    })
}

/// Whether, after each `://` in `text`, the characters a host could hold (letters, marks,
/// numbers, `_`, `-`, `.`) are ASCII up to the first that it could not: there
/// [`URL_WITH_PROTOCOL_ASCII`] matches as [`URL_WITH_PROTOCOL`] does, since the two differ only
/// in the host's classes and a match starts at its scheme.
fn ascii_hosts(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"://").all(|at| {
        for c in text[at + 3..].chars() {
            if c.is_ascii() {
                if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
                    return true;
                }
            } else {
                return !(regex_syntax::is_word_character(c) || c.is_numeric());
            }
        }
        true
    })
}

/// Links without a scheme: ASCII domains only, as twitter-text.
static URL_WITHOUT_PROTOCOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\.)+[a-z0-9-]+(?::\d+)?(?:/[^\s]*)?")
        .expect("the link pattern is valid")
});

/// The links in `text` as twitter-text extracts them (byte ranges, in order); without
/// `without_protocol`, only `http(s)://` links (as Mastodon links them).
fn urls(text: &str, without_protocol: bool) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    // Most texts hold nothing either pattern can match, and finding that out takes a fraction
    // of a regex's scan.
    let without_protocol = without_protocol && may_hold_bare_link(text);
    let with_protocol = may_hold_scheme_link(text).then(|| {
        if ascii_hosts(text) {
            URL_WITH_PROTOCOL_ASCII.find_iter(text)
        } else {
            URL_WITH_PROTOCOL.find_iter(text)
        }
    });
    for whole in with_protocol.into_iter().flatten() {
        let before = text[..whole.start()].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || "@＠$#＃".contains(c)) {
            continue;
        }
        let host_start = whole.start() + whole.as_str().find("://").expect("a scheme") + 3;
        let host = host_of(&text[host_start..whole.end()]);
        if !valid_host(host, false) {
            continue;
        }
        let end = trim_path(text, host_start + host.len(), whole.end());
        found.push(whole.start()..end);
    }
    if without_protocol {
        let mut start = 0;
        while let Some(whole) = URL_WITHOUT_PROTOCOL.find_at(text, start) {
            start = whole.end().max(whole.start() + 1);
            if found
                .iter()
                .any(|url| url.start < whole.end() && whole.start() < url.end)
            {
                continue;
            }
            let before = text[..whole.start()].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || "@＠$#＃-_./".contains(c)) {
                continue;
            }
            let after = text[whole.end()..].chars().next();
            if after.is_some_and(|c| c.is_alphanumeric() || c == '@') {
                continue;
            }
            let host = host_of(whole.as_str());
            let has_path = whole.as_str()[host.len()..].contains('/');
            if !valid_host(host, !has_path) {
                continue;
            }
            let end = trim_path(text, whole.start() + host.len(), whole.end());
            found.push(whole.start()..end);
        }
        found.sort_by_key(|range| range.start);
    }
    found
}

/// The host at the start of `link` (a match of the link patterns from its host on): up to the
/// port, path, query or fragment, none of whose first characters a host can hold. Found
/// this way, the patterns need no capture groups, which would make every match run a
/// second, slower engine.
fn host_of(link: &str) -> &str {
    &link[..link.find([':', '/', '?', '#']).unwrap_or(link.len())]
}

/// Whether `host` ends in a known top-level domain and each label is at most 63 characters
/// once punycode-encoded. `bare` (no scheme, no path): a one-label name under a country-code
/// domain (`example.de`) is not linked, except under `.co` and `.tv`.
fn valid_host(host: &str, bare: bool) -> bool {
    let lower = host.to_lowercase();
    let labels: Vec<&str> = lower.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    if !TLDS.contains(tld) {
        return false;
    }
    if labels.iter().any(|label| punycode_length(label) > 63) {
        return false;
    }
    !(bare && labels.len() == 2 && tld.len() == 2 && tld.is_ascii() && *tld != "co" && *tld != "tv")
}

/// The end of a link's path: trailing punctuation (`.`, `,`, `!`, `)` without its `(` …) is
/// not part of the link.
fn trim_path(text: &str, path_start: usize, end: usize) -> usize {
    let mut end = end;
    while end > path_start {
        let last = text[..end].chars().next_back().expect("non-empty");
        let keep = last.is_alphanumeric()
            || "=_#/+&-".contains(last)
            || (last == ')' && {
                let path = &text[path_start..end];
                path.matches('(').count() >= path.matches(')').count()
            });
        if keep {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

/// Length of a domain label in ASCII: itself, or `xn--` and its punycode (RFC 3492).
fn punycode_length(label: &str) -> usize {
    if label.is_ascii() {
        return label.len();
    }
    const BASE: u64 = 36;
    const T_MIN: u64 = 1;
    const T_MAX: u64 = 26;
    let input: Vec<u64> = label.chars().map(|c| c as u64).collect();
    let basic = input.iter().filter(|&&c| c < 0x80).count();
    let mut length = basic + usize::from(basic > 0);
    let adapt = |delta: u64, points: u64, first: bool| {
        let mut delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    };
    let (mut n, mut delta, mut bias, mut handled) = (128u64, 0u64, 72u64, basic as u64);
    while (handled as usize) < input.len() {
        let m = input
            .iter()
            .copied()
            .filter(|&c| c >= n)
            .min()
            .expect("left");
        delta += (m - n) * (handled + 1);
        n = m;
        for &c in &input {
            if c < n {
                delta += 1;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    length += 1;
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                length += 1;
                bias = adapt(delta, handled + 1, handled == basic as u64);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    4 + length
}

/// Hashtags as twitter-text extracts them: `#` (or `＃`) not after a letter, digit, `_` or `&`,
/// then letters, marks, digits and `_` with at least one letter or mark; not inside a link, not
/// followed by another `#` or `://`. Byte ranges including the `#`.
fn hashtags(entities: &Entities<'_>) -> Vec<Range<usize>> {
    static HASHTAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"[#＃]([\p{L}\p{M}\p{N}_\u{200C}\u{200D}\u{A67E}\u{05BE}\u{05F3}\u{05F4}\u{FF5E}\u{301C}\u{309B}\u{309C}\u{30A0}\u{30FB}\u{3003}\u{0F0B}\u{0F0C}\u{00B7}]+)",
        )
            .expect("the hashtag pattern is valid")
    });
    let text = entities.text;
    // Without a `#` there is none, and the pattern (its Unicode classes take a millisecond to
    // compile) need not be built: a draft without hashtags never builds it.
    if !text.contains('#') && !text.contains('＃') {
        return Vec::new();
    }
    kept_entities(entities, &HASHTAG, |whole| {
        // The tag without its `#` or `＃`.
        let body = whole
            .as_str()
            .split_at(whole.as_str().chars().next().map_or(0, char::len_utf8))
            .1;
        let before = text[..whole.start()].chars().next_back();
        let after = &text[whole.end()..];
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '&')
            && body.chars().any(char::is_alphabetic)
            && !after.starts_with(['#', '＃'])
            && !after.starts_with("://")
    })
}

/// The matches of `pattern` (each starting with `#` or `@`, or their fullwidth forms) in the
/// text that `accept` keeps, leaving out those that start inside a link. Links are looked for
/// only when a kept match could be in one: a link holds no white space and starts with a
/// letter or digit, so a match at the start of the text or after white space, as nearly
/// every hashtag and mention is, cannot start inside one.
fn kept_entities(
    entities: &Entities<'_>,
    pattern: &Regex,
    accept: impl Fn(&regex::Match<'_>) -> bool,
) -> Vec<Range<usize>> {
    let text = entities.text;
    let kept: Vec<Range<usize>> = pattern
        .find_iter(text)
        .filter(|found| accept(found))
        .map(|found| found.range())
        .collect();
    let after_space = |found: &Range<usize>| {
        text[..found.start]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace)
    };
    if kept.iter().all(after_space) {
        return kept;
    }
    let mut links = Skipped::new(entities.urls().iter().cloned());
    kept.into_iter()
        .filter(|found| !links.contains(found.start))
        .collect()
}

/// Mentions as twitter-text extracts them (`@` or `＠` not after a letter, digit or `_!#$%&*@`,
/// a handle of 1–20 ASCII letters, digits or `_`, not followed by a letter or `://`), and a
/// Mastodon remote mention `@user@host` as one. Not inside links, never in an email address.
/// Byte ranges including the `@`.
fn mentions(entities: &Entities<'_>) -> Vec<Range<usize>> {
    static MENTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"[@＠]([A-Za-z0-9_]{1,20})(@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,})?",
        )
        .expect("the mention pattern is valid")
    });
    let text = entities.text;
    // As for hashtags: no `@`, no mention, and no pattern to build.
    if !text.contains('@') && !text.contains('＠') {
        return Vec::new();
    }
    kept_entities(entities, &MENTION, |whole| {
        let before = text[..whole.start()].chars().next_back();
        let after = &text[whole.end()..];
        let before_ok = !before
            .is_some_and(|c| c.is_ascii_alphanumeric() || "_!#$%&*@＠".contains(c))
            || after_retweet_marker(&text[..whole.start()]);
        before_ok
            && !after.starts_with(|c: char| {
                c.is_ascii_alphanumeric() || c == '@' || c == '＠' || is_latin_accent(c)
            })
            && !after.starts_with("://")
    })
}

/// Whether `before` ends in a retweet marker (`RT`, `RT:`, any case) that a mention may follow
/// without a space.
fn after_retweet_marker(before: &str) -> bool {
    let marker = before.strip_suffix(':').unwrap_or(before);
    let Some(rest) = marker
        .strip_suffix("RT")
        .or_else(|| marker.strip_suffix("rt"))
        .or_else(|| marker.strip_suffix("Rt"))
        .or_else(|| marker.strip_suffix("rT"))
    else {
        return false;
    };
    !rest
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric() || "_+~.-".contains(c))
}

/// Latin letters with accents, which twitter-text does not let a handle run into.
fn is_latin_accent(c: char) -> bool {
    matches!(c as u32, 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0xFF | 0x100..=0x24F | 0x253..=0x254 | 0x256..=0x257 | 0x259 | 0x25B | 0x263 | 0x268 | 0x26F | 0x272 | 0x289 | 0x28B | 0x2BB | 0x300..=0x36F | 0x1E00..=0x1EFF)
}

#[cfg(test)]
mod tests;
