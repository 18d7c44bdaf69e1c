//! The same message sent to several people with only the name changed, the signature of a
//! mail-merge or auto-reply tool; or sent word for word to many people. One check, for one kind
//! of message each: `repeated-dm-template` looks at direct messages (the same words to a few
//! friends is how people invite friends, not automation), `repeated-reply-template` at public
//! replies.
//!
//! Each message is reduced to a template key: its words, lowercased, without the `@handles` it
//! opens with (they only address it), and with the recipient's name and handle, any other
//! `@handle`, and a capitalised word right after a greeting ("Hi Tim,") replaced by a slot.
//! Messages with equal keys are grouped in one hash map pass, so the check is linear in the
//! number of messages.

use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::Deserialize;

use super::duplicate_post::{FNV128_OFFSET, fnv1a_128_step};
use super::{AccountCheck, AccountHit, AccountInput, Judgement};
use crate::post::{Post, PostKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// Fewest distinct recipients of one name-merged template that make it a mass message.
    min_recipients: usize,
    /// Fewest distinct recipients of one word-for-word message that make it a mass message.
    min_identical_recipients: usize,
    /// Fewest words a template needs; shorter messages ("Thank you!") repeat naturally.
    min_words: usize,
}

#[derive(Debug)]
pub(super) struct RepeatedTemplate {
    options: Options,
    /// The kind of message looked at.
    kind: PostKind,
    /// What the "not judged" reason calls such messages ("direct messages").
    noun: &'static str,
}

/// Placeholders a repeated-template rule's `account_message` may use.
const PLACEHOLDERS: &[&str] = &["recipients", "how", "opening"];

/// Words after which a capitalised word is taken to be the recipient's name.
const GREETINGS: [&str; 9] = [
    "hi", "hey", "hello", "dear", "thanks", "thank", "thx", "welcome", "congrats",
];

/// Marker for a word that names the recipient.
const SLOT: &str = "\u{1}";

impl RepeatedTemplate {
    /// The check for direct messages.
    pub(super) fn dms(options: Options) -> Result<Self> {
        Self::new(options, PostKind::Dm, "direct messages")
    }

    /// The check for public replies.
    pub(super) fn replies(options: Options) -> Result<Self> {
        Self::new(options, PostKind::Reply, "replies")
    }

    fn new(options: Options, kind: PostKind, noun: &'static str) -> Result<Self> {
        if options.min_recipients < 2 || options.min_identical_recipients < 2 {
            bail!("a message needs at least 2 recipients to be repeated");
        }
        Ok(RepeatedTemplate {
            options,
            kind,
            noun,
        })
    }
}

/// The template a message follows, and whether a name was merged into it.
struct Template {
    /// The 128-bit FNV-1a hash of the template's words joined by spaces: two different
    /// templates share one with a probability of about n²/2¹²⁹ (10⁻²⁸ for 300,000 replies),
    /// and the templates of a million messages are not kept as strings.
    key: u128,
    merged_name: bool,
}

impl AccountCheck for RepeatedTemplate {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["min_recipients", "min_identical_recipients", "min_words"]
    }

    fn reads_traits(&self) -> bool {
        false
    }

    fn run(&self, input: AccountInput<'_>) -> Judgement {
        let messages: Vec<usize> = input
            .judged_posts()
            .filter(|&index| input.posts[index].kind == self.kind)
            .collect();
        // (template key, message, whether a name was merged in), sorted by key and message:
        // the runs of equal keys are the groups, their messages in order. Sorted rather than
        // gathered in a hash map of vectors: that held a table and a vector per distinct
        // template, 46 MB at 300,000 replies (this vector is 10 MB).
        let mut templates: Vec<(u128, usize, bool)> = messages
            .par_iter()
            .filter_map(|&index| {
                let template = template_of(&input.posts[index], self.options.min_words)?;
                Some((template.key, index, template.merged_name))
            })
            .collect();
        templates.par_sort_unstable_by_key(|&(key, index, _)| (key, index));
        let messages = messages.len();
        if messages < self.options.min_recipients {
            return Judgement::NotJudged {
                reason: format!(
                    "needs at least {} {}, found {messages}",
                    self.options.min_recipients, self.noun
                ),
            };
        }
        // A group has at most as many recipients as messages.
        let fewest = self
            .options
            .min_recipients
            .min(self.options.min_identical_recipients);
        let mut hits: Vec<AccountHit> = templates
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|group| group.len() >= fewest)
            .filter_map(|group| {
                let evidence: Vec<usize> = group.iter().map(|&(_, index, _)| index).collect();
                let merged_name = group.iter().any(|&(_, _, merged)| merged);
                let recipients = recipient_count(input.posts, &evidence);
                let merged = merged_name && recipients >= self.options.min_recipients;
                if !merged && recipients < self.options.min_identical_recipients {
                    return None;
                }
                // A handle inside the text makes a slot, but the texts may still be equal.
                let body = |index: usize| {
                    let text = &input.posts[index].text;
                    &text[body_start(text)..]
                };
                let identical = evidence
                    .iter()
                    .all(|&index| body(index) == body(evidence[0]));
                let how = if merged && !identical {
                    "with only the name changed"
                } else {
                    "word for word"
                };
                Some(AccountHit {
                    values: vec![
                        ("recipients", recipients.to_string()),
                        ("how", how.to_string()),
                        ("opening", opening(&input.posts[evidence[0]].text)),
                    ],
                    evidence,
                })
            })
            .collect();
        hits.sort_by_key(|hit| hit.evidence[0]);
        Judgement::Judged { ratio: None, hits }
    }
}

/// Distinct recipients of a group; a message without a recipient counts as its own.
fn recipient_count(posts: &[Post], group: &[usize]) -> usize {
    let mut named: Vec<String> = Vec::new();
    let mut unnamed = 0;
    for &index in group {
        match recipient_of(&posts[index]) {
            Some(to) => named.push(to.to_lowercase()),
            None => unnamed += 1,
        }
    }
    named.sort_unstable();
    named.dedup();
    named.len() + unnamed
}

/// Who a message is to, without the `@`: its `to`, else the first `@handle` it opens with.
fn recipient_of(post: &Post) -> Option<&str> {
    let to = post.to().or_else(|| {
        let text = post.text.trim_start();
        text.starts_with('@')
            .then(|| text.split_whitespace().next().unwrap_or_default())
    })?;
    Some(to.trim_start_matches('@')).filter(|to| !to.is_empty())
}

/// Where a message's body starts: after the `@handles` it opens with, which only address it
/// (a reply's "@ana @tom").
pub(super) fn body_start(text: &str) -> usize {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        if !trimmed.starts_with('@') {
            return text.len() - trimmed.len();
        }
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        rest = &trimmed[end..];
    }
}

/// The template a message follows, or `None` when it has too few words to tell.
fn template_of(post: &Post, min_words: usize) -> Option<Template> {
    let name_parts: Vec<String> = recipient_of(post)
        .map(|to| {
            to.split(|c: char| !c.is_alphanumeric())
                .filter(|part| !part.is_empty())
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let text = &post.text;
    let start = body_start(text);
    let mut key = FNV128_OFFSET;
    let mut words = 0;
    let mut merged_name = false;
    let mut after_greeting = false;
    let mut lower = String::new();
    for (index, (offset, word)) in crate::text::words(&text[start..]).enumerate() {
        lower.clear();
        if word.is_ascii() {
            // Copied, then lowercased in place: a char at a time took a fifth of the check.
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            // `str::to_lowercase`, not per char: a final sigma lowercases as `ς`.
            lower.push_str(&word.to_lowercase());
        }
        let is_handle = text[..start + offset].ends_with('@');
        let is_name = name_parts.contains(&lower)
            || (after_greeting && word.chars().next().is_some_and(char::is_uppercase));
        after_greeting = GREETINGS.contains(&lower.as_str());
        // Words are never empty: the words joined by spaces.
        if index > 0 {
            key = fnv1a_128_step(key, b' ');
        }
        let part = if is_handle || is_name {
            merged_name = true;
            SLOT
        } else {
            words += 1;
            &lower
        };
        key = part.bytes().fold(key, fnv1a_128_step);
    }
    (words >= min_words).then_some(Template { key, merged_name })
}

/// The first words of a message (after the `@handles` it opens with), for a finding's message.
pub(super) fn opening(text: &str) -> String {
    const MAX_WORDS: usize = 8;
    let words: Vec<&str> = text[body_start(text)..]
        .split_whitespace()
        .take(MAX_WORDS + 1)
        .collect();
    if words.len() > MAX_WORDS {
        format!("{} …", words[..MAX_WORDS].join(" "))
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::{Location, Origin};

    fn dm(text: &str, to: Option<&str>) -> Post {
        let origin = Origin {
            source: 0,
            location: Location::Record {
                record: 1,
                line: None,
            },
        };
        let mut post = Post::new(text.to_string(), PostKind::Dm, origin);
        post.set_to(to);
        post
    }

    fn key(text: &str, to: Option<&str>) -> Option<(u128, bool)> {
        template_of(&dm(text, to), 3).map(|template| (template.key, template.merged_name))
    }

    #[test]
    fn names_and_handles_do_not_change_the_template() {
        let a = key("Hi Tim, thanks for the follow! Grab my ebook", Some("@tim")).unwrap();
        let b = key("Hi Ana, thanks for the follow! Grab my ebook", None).unwrap();
        let c = key("hi @ana_b thanks for the follow! grab my ebook", None).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert!(a.1, "a name was merged in");
        let d = key("Hi Ana, thanks for the talk! Grab my ebook", None).unwrap();
        assert_ne!(a.0, d.0);
        let plain = key("are you still coming on thursday?", Some("@jo")).unwrap();
        assert!(!plain.1, "no name in it");
    }

    /// The key is the hash of the template's words joined by spaces, the name a slot.
    #[test]
    fn the_key_hashes_the_words_with_a_slot_for_the_name() {
        let template = format!("hi {SLOT} thanks for the follow grab my ebook");
        let hash = template.bytes().fold(FNV128_OFFSET, fnv1a_128_step);
        let found = key("Hi Ana, thanks for the follow! Grab my ebook", None).unwrap();
        assert_eq!(found, (hash, true));
    }

    #[test]
    fn short_messages_have_no_template() {
        assert_eq!(key("Thank you!", None), None);
    }

    #[test]
    fn recipients_are_counted_once() {
        let posts = vec![dm("x", Some("@Tim")), dm("x", Some("tim")), dm("x", None)];
        assert_eq!(recipient_count(&posts, &[0, 1, 2]), 2);
    }

    #[test]
    fn opening_is_cut_after_eight_words() {
        assert_eq!(opening("one two  three"), "one two three");
        assert_eq!(opening("a b c d e f g h i j"), "a b c d e f g h …");
    }
}
