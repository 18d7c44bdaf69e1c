//! `near-duplicates`: public posts that say the same thing again, word for word or with a word,
//! link, hashtag, handle, number or emoji changed.
//!
//! Near-linear in the number of posts, never all pairs:
//!
//! 1. Each post of the kinds looked at is normalised to words ([`normalize`]): lowercased,
//!    links and `@handles` replaced by a placeholder, `#` dropped from hashtags, numbers made
//!    `0`, punctuation and emoji left out, and a leading "ICYMI:" or "Reminder:" dropped. Posts
//!    with fewer than `min_words` words with letters in them are not compared.
//! 2. Posts with equal normalised words are exact duplicates: one hash map pass.
//! 3. Each distinct normalised text gets a MinHash signature of [`BANDS`] × [`ROWS`] values of
//!    its shingles (its words and its pairs of adjacent words; see [`minhash`]). Texts whose signatures
//!    agree on every row of some band are candidates (locality-sensitive hashing, banding): a
//!    pair whose shingle sets have Jaccard similarity `s` becomes a candidate with probability
//!    `1 − (1 − s⁴)²⁰`, which is 99.6% at `s` = 0.7, 72% at 0.5 and 0.001% at 0.05.
//! 4. Candidates are verified with the real Jaccard similarity of their shingle sets, once a
//!    32-byte [`Sketch`] of each set has not ruled the pair out (an exact bound: the sketch only
//!    spares reading the sets of pairs that cannot be similar); pairs at or above `similarity`
//!    are joined (union-find), and a group is a connected set of posts.
//!    Within one band's bucket a text is compared with at most [`MAX_REPS`] earlier texts of the
//!    bucket, so a bucket of thousands of similar texts costs thousands of comparisons, not
//!    millions.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::text;
use anyhow::{Result, bail};
use hashbrown::HashTable;
use rayon::prelude::*;
use serde::Deserialize;

use super::repeated_template::opening;
use super::{AccountCheck, AccountHit, AccountInput, Judgement};
use crate::engine::link_ranges;
use crate::post::{Platform, PostKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// Fewest words with letters (besides links and handles) a post needs to be compared.
    min_words: usize,
    /// Least Jaccard similarity of two posts' shingles (words and word pairs) for them to be
    /// near duplicates, 0–1.
    similarity: f64,
    /// Fewest posts (distinct ids) in a group that make a finding.
    min_group: usize,
}

#[derive(Debug)]
pub(super) struct NearDuplicates {
    options: Options,
}

/// Placeholders a `near-duplicates` rule's `account_message` may use.
const PLACEHOLDERS: &[&str] = &["count", "how", "opening"];

/// LSH bands, and MinHash rows per band.
const BANDS: usize = 20;
const ROWS: usize = 4;
/// Earlier texts of a bucket a text is compared with, at most.
const MAX_REPS: usize = 4;

/// Placeholder words; they start with a control character, so no word equals them.
const LINK_WORD: &str = "\u{1}link";
const HANDLE_WORD: &str = "\u{1}at";

/// Words that announce a post as a repeat of an earlier one ("ICYMI: …"); dropped from the
/// start so the repeat compares equal to the original.
const RESHARE_PREFIXES: [&[&str]; 8] = [
    &["icymi"],
    &["in", "case", "you", "missed", "it"],
    &["reminder"],
    &["again"],
    &["repost"],
    &["reposting"],
    &["throwback"],
    &["tbt"],
];

impl NearDuplicates {
    pub(super) fn new(options: Options) -> Result<Self> {
        if !(options.similarity > 0.0 && options.similarity <= 1.0) {
            bail!(
                "option `similarity` must be above 0 and at most 1, found {}",
                options.similarity
            );
        }
        if options.min_group < 2 {
            bail!("option `min_group` must be at least 2");
        }
        Ok(NearDuplicates { options })
    }
}

impl AccountCheck for NearDuplicates {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["min_words", "similarity", "min_group"]
    }

    fn reads_traits(&self) -> bool {
        false
    }

    fn run(&self, input: AccountInput<'_>) -> Judgement {
        // Each platform is its own timeline: the same text on X and on LinkedIn is
        // cross-posting, not a repeat.
        let mut by_platform: HashMap<Option<Platform>, Vec<usize>> = HashMap::new();
        let mut looked_at = 0;
        for index in input
            .judged_posts()
            .filter(|&index| matches!(input.posts[index].kind, PostKind::Post | PostKind::Quote))
        {
            by_platform
                .entry(input.platforms[index])
                .or_default()
                .push(index);
            looked_at += 1;
        }
        if looked_at < self.options.min_group {
            return Judgement::NotJudged {
                reason: format!(
                    "needs at least {} posts, found {}",
                    self.options.min_group, looked_at
                ),
            };
        }
        let groups = by_platform.into_values().flat_map(|posts| {
            group(posts.len(), |n| &input.posts[posts[n]].text, &self.options)
                .groups
                .into_iter()
                .map(|members| members.iter().map(|&m| posts[m]).collect::<Vec<usize>>())
                .collect::<Vec<_>>()
        });
        let mut hits: Vec<AccountHit> = groups
            .filter_map(|evidence| {
                let mut ids: Vec<&str> = Vec::new();
                let mut without_id = 0;
                for &index in &evidence {
                    match &input.posts[index].id {
                        Some(id) => ids.push(id),
                        None => without_id += 1,
                    }
                }
                ids.sort_unstable();
                ids.dedup();
                let count = ids.len() + without_id;
                if count < self.options.min_group {
                    return None;
                }
                let first = &input.posts[evidence[0]].text;
                let identical = evidence
                    .iter()
                    .all(|&index| input.posts[index].text == *first);
                let how = if identical {
                    " word for word"
                } else {
                    " with small changes"
                };
                Some(AccountHit {
                    values: vec![
                        ("count", count.to_string()),
                        ("how", how.to_string()),
                        ("opening", opening(first)),
                    ],
                    evidence,
                })
            })
            .collect();
        hits.sort_by_key(|hit| hit.evidence[0]);
        Judgement::Judged { ratio: None, hits }
    }
}

/// Groups of near-duplicate texts, and how many candidate pairs were compared.
#[derive(Debug)]
struct Grouping {
    /// Each group's members (indexes into the texts, ascending), groups of two or more only.
    groups: Vec<Vec<usize>>,
    /// Candidate pairs compared, by sketch and, when it allows, by shingle set (read by the
    /// test that the work stays near-linear).
    #[cfg_attr(not(test), allow(dead_code))]
    comparisons: usize,
}

/// Groups the texts `text(0)`, …, `text(count - 1)` into exact and near duplicates. The texts
/// are asked for, not passed as a slice: a vector of them took 16 bytes a post.
fn group<'t>(count: usize, text: impl Fn(usize) -> &'t str + Sync, options: &Options) -> Grouping {
    // 1–3: normalise; texts with equal words share one class; each class keeps the sketch and
    // band keys of its first text, and which text that is: its shingle set is made again from
    // it when a comparison needs it (a few percent of the candidate pairs get past the
    // sketches), rather than kept for every distinct text. The per-text work is spread over the
    // cores a chunk of texts at a time, and classes are assigned in order, so only two chunks'
    // fingerprints and one per distinct text are alive at once (keeping every text's words
    // cost 250 bytes per post, as a vector of strings 1.5 KB). A class is known by a 128-bit
    // hash of its words: two different texts share one with a probability of about n²/2¹²⁹,
    // 10⁻²⁷ for a million posts.
    const CHUNK: usize = 1 << 14;
    // The classes by their key: a table of class numbers, each class's key kept apart, in class
    // order (a map's entry of key and class took 24 bytes, aligned; this takes 4, and 16 a
    // class, not a text: 25 -> 13 MiB at a million posts). The keys are hashes already, so
    // their low half is the table's hash. Sized for every text at once: growing, it held its
    // old table and the new one, twice the size, together.
    let mut class_of_key: HashTable<u32> = HashTable::with_capacity(count);
    let mut class_keys: Vec<u128> = Vec::new();
    // The class of each text, NOT_COMPARED for texts with too few words.
    const NOT_COMPARED: u32 = u32::MAX;
    let mut class_of: Vec<u32> = Vec::with_capacity(count);
    // The first text of each class.
    let mut first_text: Vec<u32> = Vec::new();
    let mut sketches: Vec<Sketch> = Vec::new();
    // The keys of each class's bands, [`BANDS`] of them a class, in class order: the class
    // and band are implied by the position.
    let mut band_keys: Vec<u32> = Vec::new();
    let mut assign = |fingerprint: Option<Fingerprint>| {
        let Some(fingerprint) = fingerprint else {
            class_of.push(NOT_COMPARED);
            return;
        };
        let next = sketches.len();
        let key = fingerprint.key;
        let class = match class_of_key.find(key as u64, |&class| class_keys[class as usize] == key)
        {
            Some(&class) => class as usize,
            None => {
                class_of_key.insert_unique(key as u64, next as u32, |&class| {
                    class_keys[class as usize] as u64
                });
                class_keys.push(key);
                next
            }
        };
        if class == next {
            first_text.push(class_of.len() as u32);
            sketches.push(fingerprint.sketch);
            band_keys.extend(fingerprint.band_keys);
        }
        class_of.push(class as u32);
    };
    // A chunk's classes are assigned while the next chunk is fingerprinted.
    let mut fingerprinted: Vec<Option<Fingerprint>> = Vec::new();
    for start in (0..count).step_by(CHUNK) {
        let (next, ()) = rayon::join(
            || {
                (start..count.min(start + CHUNK))
                    .into_par_iter()
                    .map(|n| fingerprint(text(n), options.min_words))
                    .collect()
            },
            || fingerprinted.drain(..).for_each(&mut assign),
        );
        fingerprinted = next;
    }
    fingerprinted.into_iter().for_each(assign);
    drop((class_of_key, class_keys));

    // 4: verify candidates within each bucket, against a few representatives. The buckets are
    // the runs of equal keys once the keys are sorted with their classes. Rather than sorting a
    // copy of all keys with their classes, the keys of one part of the key range are copied
    // and sorted at a time, parts in ascending order, so the buckets come in the same order.
    // A part's keys are copied and sorted on one core while the part before it is verified on
    // the other (verifying is serial), so two parts are held at once.
    let mut sets = UnionFind::new(sketches.len());
    let range_bits = (band_keys.len() >> 16).checked_ilog2().unwrap_or(0).min(4);
    let ranges = 1u32 << range_bits;
    let range_of = |key: u32| key.checked_shr(32 - range_bits).unwrap_or(0);
    let keys_in = |range: u32| {
        let mut range_keys: Vec<BandKey> = Vec::new();
        for (class, keys) in band_keys.chunks_exact(BANDS).enumerate() {
            for &key in keys {
                if range_of(key) == range {
                    range_keys.push(BandKey::new(key, class as u32));
                }
            }
        }
        // By key, then class: one comparison of integers.
        range_keys.sort_unstable();
        range_keys
    };
    let mut comparisons = 0;
    let mut range_keys = keys_in(0);
    for range in 0..ranges {
        let (next, compared) = rayon::join(
            || (range + 1 < ranges).then(|| keys_in(range + 1)),
            || {
                join_similar(
                    &range_keys,
                    &sketches,
                    |class| shingle_set(text(first_text[class] as usize)),
                    options.similarity,
                    &mut sets,
                )
            },
        );
        comparisons += compared;
        range_keys = next.unwrap_or_default();
    }

    // Groups: the texts of every class in a connected set, numbered in the order of their
    // first text.
    let roots: Vec<usize> = (0..sketches.len()).map(|class| sets.find(class)).collect();
    let mut texts_of_root = vec![0usize; sketches.len()];
    for &class in class_of.iter().filter(|&&class| class != NOT_COMPARED) {
        texts_of_root[roots[class as usize]] += 1;
    }
    let mut group_of_root: Vec<Option<usize>> = vec![None; sketches.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, &class) in class_of.iter().enumerate() {
        if class == NOT_COMPARED {
            continue;
        }
        let root = roots[class as usize];
        if texts_of_root[root] < 2 {
            continue;
        }
        let group = *group_of_root[root].get_or_insert_with(|| {
            groups.push(Vec::with_capacity(texts_of_root[root]));
            groups.len() - 1
        });
        groups[group].push(index);
    }
    Grouping {
        groups,
        comparisons,
    }
}

/// Joins in `sets` the classes of each bucket of the sorted `band_keys` that are similar, each
/// compared with at most [`MAX_REPS`] earlier classes of the bucket that were not joined by
/// then (its representatives); returns how many pairs were compared.
///
/// Nearly every candidate pair is far from similar: the sketches rule those out without
/// reading the shingle sets, so the time goes into reading the sketches from memory, one per
/// text of a bucket. They are copied into a small buffer in bucket order, a batch of buckets at
/// a time, before the batch is verified: the copy's loads do not wait on the branches of the
/// verification, so they overlap, and it costs less than loading each sketch when it is
/// needed, although it copies those of the texts alone in a bucket too.
///
/// A pair that shares several bands may be compared again: the answer is the same (not
/// similar, or the pair would be joined already), and costs less than remembering which pairs
/// were compared.
fn join_similar(
    band_keys: &[BandKey],
    sketches: &[Sketch],
    shingles_of: impl Fn(usize) -> Vec<u32>,
    similarity: f64,
    sets: &mut UnionFind,
) -> usize {
    /// Texts verified per batch, about (a buffer of 0.5 MB).
    const BATCH: usize = 1 << 14;
    let needed = SharedNeeded::new(similarity);
    let mut comparisons = 0;
    let mut batch_sketches: Vec<Sketch> = Vec::with_capacity(BATCH);
    // Representatives of a bucket, as indexes into it, with their shingle sets once made.
    let mut reps: Vec<(usize, Option<Vec<u32>>)> = Vec::with_capacity(MAX_REPS);
    let mut rest = band_keys;
    while !rest.is_empty() {
        // A batch ends with a bucket.
        let mut end = rest.len().min(BATCH);
        while end < rest.len() && rest[end].key() == rest[end - 1].key() {
            end += 1;
        }
        let (batch, after) = rest.split_at(end);
        rest = after;
        batch_sketches.clear();
        batch_sketches.extend(batch.iter().map(|entry| sketches[entry.class() as usize]));
        let mut unread = &batch_sketches[..];
        for bucket in batch.chunk_by(|a, b| a.key() == b.key()) {
            let these;
            (these, unread) = unread.split_at(bucket.len());
            if bucket.len() < 2 {
                continue;
            }
            reps.clear();
            for (index, entry) in bucket.iter().enumerate() {
                let class = entry.class() as usize;
                let root = sets.find(class);
                let mut joined = false;
                // The shingle sets are made when a sketch first lets a pair through, and kept
                // while the bucket is verified.
                let mut own: Option<Vec<u32>> = None;
                for (rep, rep_set) in &mut reps {
                    let rep_class = bucket[*rep].class() as usize;
                    if sets.find(rep_class) == root {
                        joined = true;
                        break;
                    }
                    comparisons += 1;
                    if these[*rep].may_be_similar(&these[index], &needed)
                        && similar(
                            rep_set.get_or_insert_with(|| shingles_of(rep_class)),
                            own.get_or_insert_with(|| shingles_of(class)),
                            similarity,
                        )
                    {
                        sets.union(rep_class, class);
                        joined = true;
                        break;
                    }
                }
                if !joined && reps.len() < MAX_REPS {
                    reps.push((index, own));
                }
            }
        }
    }
    comparisons
}

/// A distinct text's key in one band (the high half), with its class (the low half): the
/// buckets are runs of equal keys once these are sorted, by key and then class. The keys of one
/// part of the key range are copied into these at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct BandKey(u64);

impl BandKey {
    fn new(key: u32, class: u32) -> BandKey {
        BandKey(u64::from(key) << 32 | u64::from(class))
    }

    fn key(self) -> u32 {
        (self.0 >> 32) as u32
    }

    fn class(self) -> u32 {
        self.0 as u32
    }
}

/// What the grouping needs of one text: the key of its words, the sketch of its shingle set
/// and the band keys of its MinHash signature.
struct Fingerprint {
    key: u128,
    sketch: Sketch,
    band_keys: [u32; BANDS],
}

/// The fingerprint of `text`, unless it has fewer than `min_words` words with letters.
fn fingerprint(text: &str, min_words: usize) -> Option<Fingerprint> {
    let words = normalize(text);
    if letter_words(&words) < min_words {
        return None;
    }
    let (key, mut set) = key_and_shingles(&words);
    unique(&mut set);
    Some(Fingerprint {
        key,
        sketch: Sketch::of(&set),
        band_keys: band_keys(&set),
    })
}

/// The key of each band of a shingle set's MinHash signature.
///
/// 32 bits a key (64-bit keys took twice the memory): the buckets of all bands are sorted
/// together, so of n distinct texts about (BANDS·n)²/2³³ pairs share a key by chance, 47,000
/// at a million, next to 11 million candidate pairs. Verifying rules them out; in a bucket
/// that already has MAX_REPS representatives, such a stranger can very rarely take the place
/// of one that a near duplicate would have been joined with.
fn band_keys(set: &[u32]) -> [u32; BANDS] {
    let signature = minhash(set);
    let mut keys = [0; BANDS];
    for (band, rows) in signature.chunks(ROWS).enumerate() {
        keys[band] = (rows
            .iter()
            .fold(mix(band as u64 + 1), |acc, &row| mix(acc ^ row))
            >> 32) as u32;
    }
    keys
}

/// Sorts a text's shingles and removes the repeats: its shingle set.
fn sort_unique(set: &mut Vec<u32>) {
    set.sort_unstable();
    let unique = dedup_sorted(set);
    set.truncate(unique);
}

/// Removes the repeats from a text's shingles, leaving them in any order: a fingerprint's
/// sketch and signature do not depend on it. Up to [`UNIQUE_SLOTS`]` / 2` shingles (nearly
/// every text) are looked up in a table on the stack rather than sorted: sorting and
/// deduplicating them took 31M instructions on 20k posts, the table 8M.
fn unique(set: &mut Vec<u32>) {
    if set.len() > UNIQUE_SLOTS / 2 {
        return sort_unique(set);
    }
    // Open addressing from the top bits of a shingle, which are spread evenly (its bits
    // are mixed); 0 marks a free slot, so the shingle 0 is remembered apart.
    let mut slots = [0u32; UNIQUE_SLOTS];
    let mut zero_seen = false;
    let mut kept = 0;
    for index in 0..set.len() {
        let shingle = set[index];
        let new = if shingle == 0 {
            !std::mem::replace(&mut zero_seen, true)
        } else {
            let mut slot = (shingle >> (32 - UNIQUE_SLOTS.ilog2())) as usize;
            loop {
                match slots[slot] {
                    0 => {
                        slots[slot] = shingle;
                        break true;
                    }
                    held if held == shingle => break false,
                    _ => slot = (slot + 1) % UNIQUE_SLOTS,
                }
            }
        };
        if new {
            set[kept] = shingle;
            kept += 1;
        }
    }
    set.truncate(kept);
}

/// Slots of the table [`unique`] looks shingles up in (a power of two): filled at most half, so
/// a look-up seldom tries more than two.
const UNIQUE_SLOTS: usize = 512;

/// The shingle set of `text`, as its fingerprint was made from: sorted (verifying walks two
/// sets side by side), without repeats.
fn shingle_set(text: &str) -> Vec<u32> {
    let (_, mut set) = key_and_shingles(&normalize(text));
    sort_unique(&mut set);
    set
}

/// A text's normalised words, except that ASCII words are as written: [`key_and_shingles`]
/// lowercases them as it hashes them.
fn normalize(text: &str) -> Vec<Cow<'_, str>> {
    let mut words = placeholder_words(text);
    strip_reshare_prefixes(&mut words);
    words
}

/// A text's words with links, handles and numbers replaced by placeholders, non-ASCII words
/// lowercased and ASCII words as written.
fn placeholder_words(text: &str) -> Vec<Cow<'_, str>> {
    let links: Vec<std::ops::Range<usize>> = link_ranges(text).collect();
    let mut next_link = 0;
    // Words that need no change are borrowed from the text: all but the non-ASCII ones. A
    // word and its separator take five bytes or more, nearly always; a long text grows the
    // vector as it needs.
    let mut words: Vec<Cow<'_, str>> = Vec::with_capacity((text.len() / 5 + 1).min(128));
    for (offset, word) in text::words(text) {
        while next_link < links.len() && links[next_link].end <= offset {
            words.push(Cow::Borrowed(LINK_WORD));
            next_link += 1;
        }
        if next_link < links.len() && links[next_link].start <= offset {
            continue; // inside a link
        }
        let word = if text[..offset].ends_with('@') {
            Cow::Borrowed(HANDLE_WORD)
        } else if word
            .chars()
            .all(|c| c.is_numeric() || matches!(c, ',' | '.' | '\'' | '’'))
        {
            Cow::Borrowed("0")
        } else if word.is_ascii() {
            Cow::Borrowed(word)
        } else {
            // Lowercase already: no ASCII capital is left for hashing to lowercase.
            Cow::Owned(word.replace('’', "'").to_lowercase())
        };
        words.push(word);
    }
    words.extend(std::iter::repeat_n(
        Cow::Borrowed(LINK_WORD),
        links.len() - next_link,
    ));
    words
}

/// Drops "ICYMI:", "Reminder:" … from the start of `words`, as long as something is left; the
/// words' ASCII may be in any case.
fn strip_reshare_prefixes(words: &mut Vec<Cow<'_, str>>) {
    'strip: loop {
        for prefix in RESHARE_PREFIXES {
            if words.len() > prefix.len()
                && words
                    .iter()
                    .zip(prefix)
                    .all(|(word, prefix_word)| word.eq_ignore_ascii_case(prefix_word))
            {
                words.drain(..prefix.len());
                continue 'strip;
            }
        }
        break;
    }
}

/// How many of a text's normalised words have letters (placeholders do not count).
fn letter_words(words: &[Cow<'_, str>]) -> usize {
    words
        .iter()
        .filter(|word| !word.starts_with('\u{1}') && word.chars().any(char::is_alphabetic))
        .count()
}

/// The key of a text's normalised words (from [`normalize`], lowercased here), and its shingles.
///
/// The key is the 128-bit FNV-1a hash ([`fnv1a_128_step`]) of the words joined by spaces. The
/// shingles are a hash of each word and of each pair of adjacent words (not yet sorted or
/// deduplicated). Their words are those of the same joined text split at spaces, as the
/// shingles were first defined: a word holds a space only in contrived text (a space and a
/// combining mark after it are one segment), and no words at all are one empty word.
///
/// Each byte is lowercased and hashed into both in one pass. Before, each word with a capital
/// was lowercased in a copy (a `String` each), and each word was read once to find capitals,
/// once to find spaces and once for each hash, into a vector of word hashes: the whole check
/// took 21M instructions more on 20k posts (of 1,985M).
fn key_and_shingles(words: &[Cow<'_, str>]) -> (u128, Vec<u32>) {
    let mut key = FNV128_OFFSET;
    let mut set = Vec::with_capacity(2 * words.len().max(1) - 1);
    let mut previous: Option<u64> = None;
    let mut add_word = |hash: u64| {
        set.push(mix(hash) as u32);
        if let Some(previous) = previous.replace(hash) {
            set.push(mix(previous.rotate_left(23) ^ hash ^ 0x9e37_79b9_7f4a_7c15) as u32);
        }
    };
    for (index, word) in words.iter().enumerate() {
        if index > 0 {
            key = fnv1a_128_step(key, b' ');
        }
        let (hash, space) = hash_lowercased(word.as_bytes(), &mut key);
        if space {
            // The key has the whole word already.
            for part in word.split(' ') {
                add_word(hash_lowercased(part.as_bytes(), &mut 0).0);
            }
        } else {
            add_word(hash);
        }
    }
    if words.is_empty() {
        add_word(FNV_OFFSET);
    }
    (key, set)
}

/// The FNV-1a hash of `word` with its ASCII lowercased, which is hashed into `key` too, and
/// whether the word holds a space: noting spaces as the bytes go by took 4M instructions fewer
/// on 20k posts than looking for them in each word first.
fn hash_lowercased(word: &[u8], key: &mut u128) -> (u64, bool) {
    let mut hash = FNV_OFFSET;
    let mut words_key = *key;
    let mut space = false;
    for &byte in word {
        let byte = ASCII_LOWERCASE[usize::from(byte)];
        words_key = fnv1a_128_step(words_key, byte);
        hash = fnv1a_step(hash, byte);
        space |= byte == b' ';
    }
    *key = words_key;
    (hash, space)
}

/// [`u8::to_ascii_lowercase`] of each byte, looked up: one load a byte rather than five
/// instructions, 5M fewer on 20k posts.
const ASCII_LOWERCASE: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).to_ascii_lowercase();
        byte += 1;
    }
    table
};

/// The MinHash signature of a shingle set, by one-permutation hashing with optimal
/// densification (Shrivastava, ICML 2017): one hash per shingle splits the hash range into
/// [`BANDS`] × [`ROWS`] bins and each bin keeps its least value; an empty bin takes the value of
/// the first non-empty bin on its own fixed probe sequence. Two sets agree on a bin with
/// probability equal to their Jaccard similarity, as with independent hash functions, at the
/// cost of one hash per shingle instead of one per shingle and function.
fn minhash(set: &[u32]) -> [u64; BANDS * ROWS] {
    let mut bins = [u64::MAX; BANDS * ROWS];
    for &shingle in set {
        let hash = mix(u64::from(shingle));
        let bin = (hash % BINS) as usize;
        bins[bin] = bins[bin].min(hash / BINS);
    }
    if set.is_empty() {
        return bins;
    }
    // The probes of the table are tried in one loop, and only then computed: counting the
    // attempts and asking for each whether the table holds it took 15M instructions on 20k
    // posts, this 6M.
    let mut signature = bins;
    for (bin, slot) in signature.iter_mut().enumerate() {
        if *slot == u64::MAX {
            *slot = PROBE_TABLE[bin]
                .iter()
                .map(|&probe| bins[usize::from(probe)])
                .find(|&value| value != u64::MAX)
                .unwrap_or_else(|| probed_beyond_table(&bins, bin));
        }
    }
    signature
}

/// The value an empty `bin` takes when none of the bins of its first probes ([`PROBE_TABLE`])
/// is filled: that of the first filled one of its later probes, computed.
fn probed_beyond_table(bins: &[u64; BANDS * ROWS], bin: usize) -> u64 {
    let mut attempt = PROBE_TABLE[bin].len();
    loop {
        attempt += 1;
        let value = bins[probe(bin, attempt)];
        if value != u64::MAX {
            return value;
        }
    }
}

/// Bins of a MinHash signature.
const BINS: u64 = (BANDS * ROWS) as u64;

/// The bin an empty `bin` of a signature looks at on its `attempt`th try (from 1).
const fn probe(bin: usize, attempt: usize) -> usize {
    (mix(((bin as u64) << 32) | attempt as u64) % BINS) as usize
}

/// The first tries of [`probe`] for each bin, computed at compile time: a bin of a short text
/// is often empty, and looking its probes up spares a hash each.
const PROBE_TABLE: [[u8; 32]; BANDS * ROWS] = {
    let mut table = [[0; 32]; BANDS * ROWS];
    let mut bin = 0;
    while bin < BANDS * ROWS {
        let mut attempt = 1;
        while attempt <= 32 {
            table[bin][attempt - 1] = probe(bin, attempt) as u8;
            attempt += 1;
        }
        bin += 1;
    }
    table
};

/// Whether the Jaccard similarity of two sorted, deduplicated sets is at least `threshold`.
/// Gives up as soon as the shared elements left cannot reach it: `|A ∩ B| ≥ t·|A ∪ B|` means
/// `|A ∩ B| ≥ t·(|A| + |B|) / (1 + t)`.
fn similar(a: &[u32], b: &[u32], threshold: f64) -> bool {
    let total = a.len() + b.len();
    if total == 0 {
        return true;
    }
    let needed = shared_needed(total, threshold);
    if a.len().min(b.len()) < needed {
        return false;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if common + (a.len() - i).min(b.len() - j) < needed {
            return false;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common >= needed
}

/// The fewest shared elements two sets of `total` elements together need for a Jaccard
/// similarity of at least `threshold`: `|A ∩ B| ≥ t·|A ∪ B|` means `|A ∩ B| ≥ t·(|A| + |B|) /
/// (1 + t)`.
fn shared_needed(total: usize, threshold: f64) -> usize {
    (threshold * total as f64 / (1.0 + threshold) - 1e-9).ceil() as usize
}

/// Bins of a [`Sketch`].
const SKETCH_BINS: usize = 30;

/// A shingle set in 32 bytes: its size, and how many of its shingles fall in each of
/// [`SKETCH_BINS`] equal parts of the hash range. Two sets share at most `min(a, b)` shingles
/// of a part where they have `a` and `b`, so the sum of those minimums bounds their
/// intersection from above: a bound, not an estimate, so a pair it rules out is not similar.
/// It rules out nearly every candidate pair of texts that merely share a template.
#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Sketch {
    /// Shingles in the set, at most `u16::MAX`.
    len: u16,
    /// Shingles in each part; only filled (and read) when the set has at most `u8::MAX`, so no
    /// count is cut short.
    counts: [u8; SKETCH_BINS],
}

impl Sketch {
    fn of(set: &[u32]) -> Sketch {
        let mut counts = [0u8; SKETCH_BINS];
        if set.len() <= usize::from(u8::MAX) {
            for &shingle in set {
                counts[((u64::from(shingle) * SKETCH_BINS as u64) >> 32) as usize] += 1;
            }
        }
        Sketch {
            len: set.len().min(usize::from(u16::MAX)) as u16,
            counts,
        }
    }

    /// Whether the sets these sketch may have a Jaccard similarity of at least the threshold of
    /// `needed` (false: they certainly do not).
    fn may_be_similar(&self, other: &Sketch, needed: &SharedNeeded) -> bool {
        let (Some(mine), Some(theirs)) = (self.counted(), other.counted()) else {
            return true;
        };
        let needed = needed.for_sizes(mine, theirs);
        if mine.min(theirs) < needed {
            return false;
        }
        let shared: u16 = self
            .counts
            .iter()
            .zip(&other.counts)
            .map(|(a, b)| u16::from(*a.min(b)))
            .sum();
        shared >= needed
    }

    /// The size of the set, if its shingles are counted per part.
    fn counted(&self) -> Option<u16> {
        (self.len <= u16::from(u8::MAX)).then_some(self.len)
    }
}

/// [`shared_needed`] for the sizes of sets whose shingles a [`Sketch`] counts, looked up.
struct SharedNeeded {
    /// `by_total[t]`: `shared_needed(t, threshold)`, for `t` up to 2 · 255.
    by_total: Vec<u16>,
}

impl SharedNeeded {
    fn new(threshold: f64) -> SharedNeeded {
        let most = 2 * usize::from(u8::MAX);
        SharedNeeded {
            by_total: (0..=most)
                .map(|total| shared_needed(total, threshold) as u16)
                .collect(),
        }
    }

    fn for_sizes(&self, a: u16, b: u16) -> u16 {
        self.by_total[usize::from(a + b)]
    }
}

/// Removes adjacent repeats from a sorted slice in place; returns the new length.
fn dedup_sorted(values: &mut [u32]) -> usize {
    let mut kept = 0;
    for index in 0..values.len() {
        if index == 0 || values[index] != values[kept - 1] {
            values[kept] = values[index];
            kept += 1;
        }
    }
    kept
}

/// FNV-1a, 64 bits, a fixed hash so results do not change between runs: the offset basis, and
/// one byte's step.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// 128-bit FNV-1a, for keys that must not collide by chance: the offset basis, and one byte's
/// step.
pub(super) const FNV128_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;

pub(super) fn fnv1a_128_step(hash: u128, byte: u8) -> u128 {
    (hash ^ u128::from(byte)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b)
}

/// The SplitMix64 finaliser: spreads every input bit over the output.
const fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Disjoint sets with path halving and union by size, of fewer than 2³² elements (the 4-byte
/// parents keep more of the sets in the cache).
struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(len: usize) -> Self {
        UnionFind {
            parent: (0..len as u32).collect(),
            size: vec![1; len],
        }
    }

    fn find(&mut self, x: usize) -> usize {
        let mut x = x as u32;
        while self.parent[x as usize] != x {
            self.parent[x as usize] = self.parent[self.parent[x as usize] as usize];
            x = self.parent[x as usize];
        }
        x as usize
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a] >= self.size[b] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small] = big as u32;
        self.size[big] += self.size[small];
    }
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy as _;

    use super::*;

    fn options() -> Options {
        Options {
            min_words: 5,
            similarity: 0.7,
            min_group: 2,
        }
    }

    fn groups(texts: &[&str]) -> Vec<Vec<usize>> {
        group(texts.len(), |n| texts[n], &options()).groups
    }

    #[test]
    fn normalising_ignores_case_links_handles_numbers_emoji_and_reshare_prefixes() {
        // The key of the normalised words, and how many have letters.
        let normalized = |text| {
            let words = normalize(text);
            (key_and_shingles(&words).0, letter_words(&words))
        };
        let a =
            normalized("ICYMI: Our Spring #sale ends in 3 days 🎉 https://shop.example/a via @ana");
        let b = normalized("our spring sale ends in 2 days! www.shop.example/b via @tom_b");
        assert_eq!(a, b);
        assert_eq!(a.1, 7, "our spring sale ends in days via");
        assert_eq!(normalized("gm").1, 1);
        assert_eq!(normalized("Thanks! 🙏 https://x.example").1, 1);
    }

    /// The fingerprints as they were first made, normalised words first: the reference that
    /// [`normalize`] and [`key_and_shingles`] must agree with.
    mod reference {
        use super::super::*;

        /// A text's normalised words, each lowercased in a copy before the reshare prefixes
        /// are compared with it, and how many of them have letters. (Links, handles, numbers
        /// and non-ASCII words are replaced as [`placeholder_words`] replaces them.)
        pub fn normalize(text: &str) -> (Vec<Cow<'_, str>>, usize) {
            let mut words: Vec<Cow<'_, str>> = placeholder_words(text)
                .into_iter()
                .map(|word| {
                    if word.bytes().any(|byte| byte.is_ascii_uppercase()) {
                        Cow::Owned(word.to_ascii_lowercase())
                    } else {
                        word
                    }
                })
                .collect();
            'strip: loop {
                for prefix in RESHARE_PREFIXES {
                    if words.len() > prefix.len() && words[..prefix.len()].iter().eq(prefix.iter())
                    {
                        words.drain(..prefix.len());
                        continue 'strip;
                    }
                }
                break;
            }
            let letter_words = words
                .iter()
                .filter(|word| !word.starts_with('\u{1}') && word.chars().any(char::is_alphabetic))
                .count();
            (words, letter_words)
        }

        /// The key of a text's normalised words: the 128-bit FNV-1a hash of the words joined
        /// by spaces.
        pub fn words_key(words: &[Cow<'_, str>]) -> u128 {
            let mut hash = FNV128_OFFSET;
            for (index, word) in words.iter().enumerate() {
                if index > 0 {
                    hash = fnv1a_128_step(hash, b' ');
                }
                hash = word.bytes().fold(hash, fnv1a_128_step);
            }
            hash
        }

        /// The shingles of a text, of its words joined by spaces and split at spaces again.
        pub fn shingles(words: &[Cow<'_, str>]) -> Vec<u32> {
            let mut hashes: Vec<u64> = Vec::with_capacity(words.len().max(1));
            for word in words {
                if word.bytes().any(|byte| byte == b' ') {
                    hashes.extend(word.split(' ').map(|part| fnv1a(part.as_bytes())));
                } else {
                    hashes.push(fnv1a(word.as_bytes()));
                }
            }
            if words.is_empty() {
                hashes.push(fnv1a(b""));
            }
            let mut set = Vec::with_capacity(2 * hashes.len() - 1);
            set.extend(hashes.iter().map(|&hash| mix(hash) as u32));
            set.extend(
                hashes.windows(2).map(|pair| {
                    mix(pair[0].rotate_left(23) ^ pair[1] ^ 0x9e37_79b9_7f4a_7c15) as u32
                }),
            );
            set
        }

        fn fnv1a(bytes: &[u8]) -> u64 {
            bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        }

        /// The key, sketch (size and counts) and band keys of a text, and its sorted shingle
        /// set.
        pub fn fingerprint(text: &str) -> (u128, u16, [u8; SKETCH_BINS], [u32; BANDS], Vec<u32>) {
            let (words, _) = normalize(text);
            let mut set = shingles(&words);
            unique(&mut set);
            let sketch = Sketch::of(&set);
            let mut shingle_set = shingles(&words);
            sort_unique(&mut shingle_set);
            (
                words_key(&words),
                sketch.len,
                sketch.counts,
                band_keys(&set),
                shingle_set,
            )
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// Fingerprints and shingle sets are those of the reference, for texts of words with
        /// capitals, numbers, handles, links, reshare prefixes, curly quotes, emoji, letters
        /// that lowercase to more than one char or to ASCII, and spaces that combining marks
        /// make part of a word.
        #[test]
        fn fingerprints_are_those_of_the_reference(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "", " ", " ", " ", "  ", "\n", ",", ".", ":", "!", "'", "’", "‘", "“", "”",
                    "@", "#", "-", "/", "\u{1}", "word", "Word", "WORD", "sale", "Sale", "it",
                    "a", "B", "3", "3,000", "1.5", "3’4", "4'5", "12ab", "ab12", "don’t", "Don't",
                    "@ana", "@Tom_B", "#Sale", "https://x.io/a", "www.a.com", "shop.example.io",
                    "ICYMI:", "icymi", "In case you missed it", "in Case You MISSED it",
                    "Reminder", "reminder:", "again", "AGAIN", "Repost", "reposting",
                    "throwback", "THROWBAC\u{212A}", "TBT", "tbt", "🎉", "👍🏽", "🙏", "é", "Émile",
                    "İstanbul", "İ", "ß", "STRAẞE", "Σ", "ΟΔΟΣ", "中文", "字", "カタカナ",
                    "\u{301}", " \u{301}", "\u{93F}", " \u{93F}", "\u{3000}\u{93F}", "x\u{301}",
                    "\u{200D}", "٣",
                ]),
                0..24,
            )
        ) {
            let text = pieces.concat();
            let (reference_words, reference_letter_words) = reference::normalize(&text);
            let (key, len, counts, band_keys, set) = reference::fingerprint(&text);
            proptest::prop_assert_eq!(letter_words(&normalize(&text)), reference_letter_words);
            let made = fingerprint(&text, 0).expect("no fewest words");
            proptest::prop_assert_eq!(made.key, key);
            proptest::prop_assert_eq!(made.sketch.len, len);
            proptest::prop_assert_eq!(made.sketch.counts, counts);
            proptest::prop_assert_eq!(made.band_keys, band_keys);
            proptest::prop_assert_eq!(shingle_set(&text), set, "{:?}", reference_words);
        }
    }

    proptest::proptest! {
        /// The table keeps each shingle once, the shingle 0 and shingles that share a slot
        /// too, and so does the sort it leaves long texts to.
        #[test]
        fn unique_keeps_each_shingle_once(
            shingles in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u32>(),
                    proptest::prelude::Just(0u32),
                    (0..4u32).prop_map(|low| 7 << 23 | low),
                    (0..4u32).prop_map(|low| u32::MAX - low),
                ],
                0..UNIQUE_SLOTS / 2 + 40,
            )
        ) {
            let mut set = shingles.clone();
            unique(&mut set);
            set.sort_unstable();
            let mut expected = shingles;
            sort_unique(&mut expected);
            proptest::prop_assert_eq!(set, expected);
        }
    }

    #[test]
    fn exact_and_near_duplicates_form_groups() {
        let texts = [
            "Our sourdough workshop is back this Saturday, bring an apron and a jar",
            "Rain all morning, the bread proved twice as fast as usual today",
            "our sourdough workshop is back this Saturday, bring an apron and a jar!",
            "Our sourdough workshop is back this Sunday, bring an apron and a jar",
            "Our sourdough workshop is back this Saturday, bring an apron and a jar #bread",
            "Thanks!",
            "Thanks!",
        ];
        assert_eq!(groups(&texts), vec![vec![0, 2, 3, 4]]);
    }

    #[test]
    fn different_posts_on_one_template_are_not_duplicates() {
        let texts = [
            "New blog post: how I test command line tools in Rust https://a.example/1",
            "New blog post: why I moved my notes from Vim to plain paper https://a.example/2",
            "New blog post: what a year of market stalls taught me about pricing https://a.example/3",
        ];
        assert!(groups(&texts).is_empty());
    }

    #[test]
    fn jaccard_of_sets() {
        // |A ∩ B| = 2, |A ∪ B| = 4.
        assert!(similar(&[1, 2, 3], &[2, 3, 4], 0.5));
        assert!(!similar(&[1, 2, 3], &[2, 3, 4], 0.51));
        assert!(similar(&[1, 2, 3, 4, 5], &[1, 2, 3, 4, 5, 6], 5.0 / 6.0));
        assert!(!similar(&[1, 2, 3, 4, 5], &[1, 2, 3, 4, 5, 6, 7], 0.8));
        assert!(!similar(&[1], &[1, 2, 3, 4, 5, 6, 7], 0.5));
        assert!(similar(&[], &[], 1.0));
        let mut values = [1, 1, 2, 3, 3, 3];
        assert_eq!(dedup_sorted(&mut values), 3);
        assert_eq!(values[..3], [1, 2, 3]);
    }

    proptest::proptest! {
        /// The sketch's bound is exact: no pair it rules out is similar.
        #[test]
        fn sketches_never_rule_out_a_similar_pair(
            shared in proptest::collection::vec(proptest::prelude::any::<u32>(), 0..300),
            only_a in proptest::collection::vec(proptest::prelude::any::<u32>(), 0..40),
            only_b in proptest::collection::vec(proptest::prelude::any::<u32>(), 0..40),
            threshold in 0.05f64..=1.0,
        ) {
            let set = |only: &[u32]| {
                let mut set = [&shared[..], only].concat();
                set.sort_unstable();
                let unique = dedup_sorted(&mut set);
                set.truncate(unique);
                set
            };
            let (a, b) = (set(&only_a), set(&only_b));
            if similar(&a, &b, threshold) {
                let needed = SharedNeeded::new(threshold);
                proptest::prop_assert!(Sketch::of(&a).may_be_similar(&Sketch::of(&b), &needed));
            }
        }
    }

    /// The probes looked up are the probes computed, for sets so small that most bins try more
    /// probes than the table holds.
    #[test]
    fn signatures_do_not_depend_on_the_probe_table() {
        for size in [1, 2, 3, 9, 40, 200] {
            let set: Vec<u32> = (0..size).map(|n| mix(n) as u32).collect();
            let mut expected = [u64::MAX; BANDS * ROWS];
            for &shingle in &set {
                let hash = mix(u64::from(shingle));
                let bin = (hash % BINS) as usize;
                expected[bin] = expected[bin].min(hash / BINS);
            }
            let filled = expected;
            for (bin, slot) in expected.iter_mut().enumerate() {
                let mut attempt = 1;
                while *slot == u64::MAX {
                    *slot = filled[probe(bin, attempt)];
                    attempt += 1;
                }
            }
            assert_eq!(minhash(&set), expected, "{size} shingles");
        }
    }

    /// 50,000 posts, mostly near-duplicates of 500 originals: every copy is grouped with its
    /// original, and the number of similarities computed stays a small multiple of the number
    /// of posts (all pairs would be 1.25 billion).
    #[test]
    fn many_near_duplicates_do_not_go_quadratic() {
        const ORIGINALS: usize = 500;
        const POSTS: usize = 50_000;
        let vocabulary = [
            "bread", "market", "river", "garden", "coffee", "rust", "talk", "train", "window",
            "letter", "orange", "winter", "summer", "bicycle", "library", "kitchen", "paper",
            "forest", "music", "camera",
        ];
        let original = |n: usize| -> String {
            (0..14)
                .map(|k| vocabulary[(n * 7 + k * k * 3 + n / 20 * k) % vocabulary.len()])
                .collect::<Vec<_>>()
                .join(" ")
                + &format!(" story{n} note{n}")
        };
        let texts: Vec<String> = (0..POSTS)
            .map(|i| {
                let n = i % ORIGINALS;
                let mut text = original(n);
                if i >= ORIGINALS {
                    // A near duplicate: one word changed, a hashtag added, or a link added.
                    match i % 3 {
                        0 => text = text.replacen(vocabulary[(n * 7) % 20], "changed", 1),
                        1 => text.push_str(" #copy"),
                        _ => text.push_str(&format!(" https://example.com/{i}")),
                    }
                }
                text
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let grouping = group(refs.len(), |n| refs[n], &options());
        let grouped: usize = grouping.groups.iter().map(Vec::len).sum();
        assert_eq!(grouped, POSTS, "every post is in a group");
        assert!(grouping.groups.len() <= ORIGINALS);
        assert!(
            grouping.comparisons <= POSTS * BANDS * MAX_REPS,
            "{} comparisons",
            grouping.comparisons
        );
        // Distinct texts are far fewer than posts: exact copies are never compared.
        assert!(
            grouping.comparisons < 20 * ORIGINALS * BANDS,
            "{}",
            grouping.comparisons
        );
    }

    /// Enough distinct texts that their band keys are sorted and verified in several parts of
    /// the key range: each text is still grouped with its copy (its last word changed, a
    /// Jaccard similarity of 0.86), and with nothing else.
    #[test]
    fn texts_are_grouped_across_key_range_parts() {
        const ORIGINALS: usize = 8_000;
        let text = |n: usize, changed: bool| -> String {
            (0..14)
                .map(|k| {
                    if changed && k == 13 {
                        format!("changed{n}")
                    } else {
                        format!("w{n}x{k}")
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let texts: Vec<String> = (0..2 * ORIGINALS)
            .map(|i| text(i % ORIGINALS, i >= ORIGINALS))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        assert!(
            (refs.len() * BANDS) >> 16 >= 4,
            "the band keys are verified in four parts or more"
        );
        let expected: Vec<Vec<usize>> = (0..ORIGINALS).map(|n| vec![n, n + ORIGINALS]).collect();
        assert_eq!(group(refs.len(), |n| refs[n], &options()).groups, expected);
    }
}
