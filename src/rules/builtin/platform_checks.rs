//! Post checks about what a platform accepts: `over-length` (the platform's own length count,
//! from `crate::platform::measure`), `invalid-characters`, `hashtag-count` and `mention-count`.

use anyhow::{Result, bail};
use rustc_hash::FxHashSet;
use serde::Deserialize;

use super::{PostCheck, PostHit, PostInput};
use crate::platform;
use crate::post::Platform;

/// `over-length`: longer than the post's platform allows; no platform, no judgement. Posts
/// read from an export of published posts are not judged: the platform took them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OverLength {}

impl PostCheck for OverLength {
    fn placeholders(&self) -> &'static [&'static str] {
        &["length", "limit", "unit", "platform"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &[]
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        if input.published {
            return None;
        }
        let length = platform::measure(input.entities, input.platform?);
        let over_at = length.over_at.filter(|_| length.is_over())?;
        Some(PostHit {
            range: over_at..input.post.text.len(),
            values: vec![
                ("length", length.value.to_string()),
                ("limit", length.limit.to_string()),
                ("unit", length.unit.as_str().to_string()),
                ("platform", platform_name(length.platform).to_string()),
            ],
            fix: None,
        })
    }
}

/// The platform's name as people write it.
fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::X => "X",
        Platform::Bluesky => "Bluesky",
        Platform::Mastodon => "Mastodon",
        Platform::Threads => "Threads",
        Platform::Linkedin => "LinkedIn",
        Platform::Instagram => "Instagram",
        Platform::Facebook => "Facebook",
    }
}

/// `invalid-characters`: an empty post, or a character platforms reject or that breaks text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InvalidCharacters {}

/// What is wrong with `c`, if anything.
fn invalid_character(c: char) -> Option<&'static str> {
    match c {
        '\n' | '\r' | '\t' => None,
        '\0' => Some("a NUL character"),
        c if c.is_control() => Some("a control character"),
        '\u{FFFD}' => {
            Some("the replacement character, left where text was decoded with the wrong encoding")
        }
        '\u{FEFF}' => Some("a byte order mark"),
        '\u{202D}' | '\u{202E}' => Some(
            "a bidirectional override, which shows the letters after it in a different order than they are stored",
        ),
        c if (0xFDD0..=0xFDEF).contains(&(c as u32)) || (c as u32 & 0xFFFE) == 0xFFFE => {
            Some("a noncharacter")
        }
        _ => None,
    }
}

/// Whether `byte` can be the first byte of a character [`invalid_character`] reports: in UTF-8,
/// the ASCII controls, the lead byte of the C1 controls (U+0080–U+009F), of U+202D–U+202E, of
/// U+FDD0–U+FFFF and of the other planes (their noncharacters). Never a continuation byte.
const fn may_start_invalid(byte: u8) -> bool {
    (byte < 0x20 && !matches!(byte, b'\n' | b'\r' | b'\t'))
        || matches!(byte, 0x7F | 0xC2 | 0xE2 | 0xEF | 0xF0..)
}

/// [`may_start_invalid`] of every byte: one load a byte.
const MAY_START_INVALID: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = may_start_invalid(byte as u8);
        byte += 1;
    }
    table
};

impl PostCheck for InvalidCharacters {
    fn placeholders(&self) -> &'static [&'static str] {
        &["problem"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &[]
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let text = &input.post.text;
        if text.trim().is_empty() {
            return Some(PostHit {
                range: 0..text.len(),
                values: vec![("problem", "the post is empty".to_string())],
                fix: None,
            });
        }
        // The text is skipped byte by byte up to where an invalid character may start; curly
        // quotes and emoji are decoded only to be let through.
        let (offset, c, what) = text
            .bytes()
            .enumerate()
            .filter(|&(_, byte)| MAY_START_INVALID[usize::from(byte)])
            .find_map(|(offset, _)| {
                let c = text[offset..].chars().next()?;
                invalid_character(c).map(|what| (offset, c, what))
            })?;
        Some(PostHit {
            range: offset..offset + c.len_utf8(),
            values: vec![("problem", format!("U+{:04X}, {what}", c as u32))],
            fix: None,
        })
    }
}

/// Hashtag limits per platform; `default` for posts without one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HashtagOptions {
    default: usize,
    x: usize,
    bluesky: usize,
    mastodon: usize,
    threads: usize,
    linkedin: usize,
    instagram: usize,
    facebook: usize,
}

/// `hashtag-count`: more hashtags than the platform's norm.
#[derive(Debug)]
pub(super) struct HashtagCount {
    options: HashtagOptions,
}

impl HashtagCount {
    pub(super) fn new(options: HashtagOptions) -> Result<Self> {
        Ok(HashtagCount { options })
    }

    fn limit(&self, platform: Option<Platform>) -> usize {
        let o = &self.options;
        match platform {
            None => o.default,
            Some(Platform::X) => o.x,
            Some(Platform::Bluesky) => o.bluesky,
            Some(Platform::Mastodon) => o.mastodon,
            Some(Platform::Threads) => o.threads,
            Some(Platform::Linkedin) => o.linkedin,
            Some(Platform::Instagram) => o.instagram,
            Some(Platform::Facebook) => o.facebook,
        }
    }
}

impl PostCheck for HashtagCount {
    fn placeholders(&self) -> &'static [&'static str] {
        &["count", "limit", "platform"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &[
            "default",
            "x",
            "bluesky",
            "mastodon",
            "threads",
            "linkedin",
            "instagram",
            "facebook",
        ]
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let limit = self.limit(input.platform);
        let tags = input.entities.hashtags();
        if tags.len() <= limit {
            return None;
        }
        Some(PostHit {
            range: tags[limit].start..tags[tags.len() - 1].end,
            values: vec![
                ("count", tags.len().to_string()),
                ("limit", limit.to_string()),
                (
                    "platform",
                    input.platform.map_or("a post", platform_name).to_string(),
                ),
            ],
            fix: None,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MentionOptions {
    /// Most distinct accounts a broadcast may mention.
    max: usize,
}

/// `mention-count`: a broadcast that mentions many distinct accounts.
#[derive(Debug)]
pub(super) struct MentionCount {
    options: MentionOptions,
}

impl MentionCount {
    pub(super) fn new(options: MentionOptions) -> Result<Self> {
        if options.max == 0 {
            bail!("option `max` must be at least 1");
        }
        Ok(MentionCount { options })
    }
}

impl PostCheck for MentionCount {
    fn placeholders(&self) -> &'static [&'static str] {
        &["count", "limit"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["max"]
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let text = &input.post.text;
        let mut seen = FxHashSet::default();
        let mut first_excess = None;
        let mut last_end = 0;
        for mention in input.entities.mentions().iter().cloned() {
            let handle = text[mention.clone()]
                .trim_start_matches(['@', '＠'])
                .to_lowercase();
            if seen.insert(handle) {
                if seen.len() == self.options.max + 1 {
                    first_excess = Some(mention.start);
                }
                last_end = mention.end;
            }
        }
        let start = first_excess?;
        Some(PostHit {
            range: start..last_end,
            values: vec![
                ("count", seen.len().to_string()),
                ("limit", self.options.max.to_string()),
            ],
            fix: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character that is reported starts with a byte the scan stops at.
    #[test]
    fn every_invalid_character_starts_with_a_byte_the_scan_stops_at() {
        let mut reported = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if invalid_character(c).is_some() {
                reported += 1;
                let mut buffer = [0; 4];
                let first = c.encode_utf8(&mut buffer).as_bytes()[0];
                assert!(MAY_START_INVALID[usize::from(first)], "U+{:04X}", c as u32);
            }
        }
        // C0 and C1 controls but the three line breaks and tabs (62), U+FFFD, U+FEFF, the two
        // overrides, and the 66 noncharacters.
        assert_eq!(reported, 62 + 1 + 1 + 2 + 66);
    }
}
