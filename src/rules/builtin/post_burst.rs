//! `post-burst`: more public posts within a short time than a person writes by hand.
//!
//! Public posts with a time are sorted by it (O(n log n)); a window slides over them with two
//! pointers, and every window of `window_minutes` holding more than `max_posts` posts is part
//! of a burst. Overlapping windows are one burst, so each burst is one finding with its posts
//! as evidence.
//!
//! Not counted: posts without a time, posts at exactly midnight (a date without a time, as
//! schedulers write "2024-05-01", reads as midnight), a post of the account's own thread after
//! its first (a thread is written at once and posted together), and a post read twice (the
//! same id).

use anyhow::{Result, bail};
use chrono::Timelike;
use rustc_hash::FxHashSet;
use serde::Deserialize;

use super::{AccountCheck, AccountHit, AccountInput, Judgement};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// Most public posts a window may hold.
    max_posts: usize,
    /// Length of the sliding window, in minutes.
    window_minutes: u32,
    /// Fewest public posts with a time to judge an account on.
    min_timed_posts: usize,
}

#[derive(Debug)]
pub(super) struct PostBurst {
    options: Options,
}

/// Placeholders a `post-burst` rule's `account_message` may use.
const PLACEHOLDERS: &[&str] = &["count", "duration", "start", "limit"];

impl PostBurst {
    pub(super) fn new(options: Options) -> Result<Self> {
        if options.max_posts == 0 || options.window_minutes == 0 {
            bail!("options `max_posts` and `window_minutes` must be at least 1");
        }
        Ok(PostBurst { options })
    }
}

impl AccountCheck for PostBurst {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["max_posts", "window_minutes", "min_timed_posts"]
    }

    fn reads_traits(&self) -> bool {
        false
    }

    fn run(&self, input: AccountInput<'_>) -> Judgement {
        let public: Vec<usize> = input
            .judged_posts()
            .filter(|&index| input.posts[index].kind.is_public_authored())
            .collect();
        // Only a post that answers another needs the account's own ids; drafts and many
        // exports have no such post, and then the set is not built.
        let answers = public
            .iter()
            .any(|&index| input.posts[index].in_reply_to().is_some());
        let own_ids: FxHashSet<&str> = if answers {
            public
                .iter()
                .filter_map(|&index| input.posts[index].id.as_deref())
                .collect()
        } else {
            FxHashSet::default()
        };
        let mut seen_ids: FxHashSet<&str> = FxHashSet::default();
        let mut timed: Vec<Timed> = Vec::new();
        for &index in &public {
            let post = &input.posts[index];
            let Some(time) = post.created_at else {
                continue;
            };
            let date_only = time.num_seconds_from_midnight() == 0 && time.nanosecond() == 0;
            let continues_thread = post
                .in_reply_to()
                .is_some_and(|answered| own_ids.contains(answered));
            let read_before = post.id.as_deref().is_some_and(|id| !seen_ids.insert(id));
            if !date_only && !continues_thread && !read_before {
                timed.push(Timed {
                    platform: post.platform.map_or(0, |platform| platform as u8 + 1),
                    time: time.timestamp(),
                    index,
                });
            }
        }
        if timed.len() < self.options.min_timed_posts {
            return Judgement::NotJudged {
                reason: format!(
                    "needs at least {} public posts with a time, found {}",
                    self.options.min_timed_posts,
                    timed.len()
                ),
            };
        }
        // Each platform is its own timeline: the same queue slot on X and on LinkedIn is two
        // posts in two places, not a burst.
        timed.sort_unstable();
        let window = self.window_seconds();
        let mut hits: Vec<AccountHit> = timed
            .chunk_by(|a, b| a.platform == b.platform)
            .flat_map(|timeline| {
                bursts(timeline, self.options.max_posts, window)
                    .into_iter()
                    .map(|(first, last)| &timeline[first..=last])
            })
            .map(|posts| {
                let start = input.posts[posts[0].index].created_at.expect("timed");
                let mut evidence: Vec<usize> = posts.iter().map(|timed| timed.index).collect();
                evidence.sort_unstable();
                AccountHit {
                    values: vec![
                        ("count", posts.len().to_string()),
                        (
                            "duration",
                            duration(posts[posts.len() - 1].time - posts[0].time),
                        ),
                        ("start", start.format("%Y-%m-%d %H:%M %:z").to_string()),
                        (
                            "limit",
                            format!(
                                "{} in {} minutes",
                                self.options.max_posts, self.options.window_minutes
                            ),
                        ),
                    ],
                    evidence,
                }
            })
            .collect();
        hits.sort_by_key(|hit| hit.evidence[0]);
        Judgement::Judged { ratio: None, hits }
    }
}

impl PostBurst {
    fn window_seconds(&self) -> i64 {
        i64::from(self.options.window_minutes) * 60
    }
}

/// A post that counts, as the check sorts it: by platform (its own timeline), then time.
/// Sorting these reads no post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Timed {
    /// The post's platform as a number, 0 for none.
    platform: u8,
    /// Seconds since the epoch.
    time: i64,
    /// The post's index.
    index: usize,
}

/// The bursts in `timed` (one timeline, sorted by time): inclusive position ranges covering
/// every window shorter than `window` seconds that holds more than `max_posts` posts,
/// overlapping windows merged. Two pointers: linear after the sort.
fn bursts(timed: &[Timed], max_posts: usize, window: i64) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut left = 0;
    for right in 0..timed.len() {
        while timed[right].time - timed[left].time >= window {
            left += 1;
        }
        if right - left + 1 > max_posts {
            match found.last_mut() {
                Some((_, end)) if left <= *end => *end = right,
                _ => found.push((left, right)),
            }
        }
    }
    found
}

/// A span of seconds in words: "under a minute", "7 minutes", "1 hour 5 minutes".
fn duration(seconds: i64) -> String {
    if seconds < 60 {
        return "under a minute".to_string();
    }
    let minutes = (seconds + 59) / 60;
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: &[i64]) -> Vec<Timed> {
        minutes
            .iter()
            .enumerate()
            .map(|(index, m)| Timed {
                platform: 0,
                time: m * 60,
                index,
            })
            .collect()
    }

    #[test]
    fn a_window_with_more_than_the_limit_is_a_burst() {
        // Four posts within 3 minutes, then one an hour later.
        let timed = at(&[0, 1, 2, 2, 60]);
        assert_eq!(bursts(&timed, 3, 5 * 60), vec![(0, 3)]);
        assert_eq!(bursts(&timed, 4, 5 * 60), vec![]);
    }

    #[test]
    fn overlapping_windows_are_one_burst_and_separate_ones_two() {
        // One post a minute for 20 minutes is one long burst of a 3-in-5-minutes limit.
        let steady: Vec<i64> = (0..20).collect();
        assert_eq!(bursts(&at(&steady), 3, 5 * 60), vec![(0, 19)]);
        let two = at(&[0, 0, 0, 0, 100, 100, 100, 100]);
        assert_eq!(bursts(&two, 3, 5 * 60), vec![(0, 3), (4, 7)]);
    }

    #[test]
    fn the_window_is_half_open() {
        // Posts exactly `window` apart are not in one window.
        let timed = at(&[0, 5, 10, 15]);
        assert_eq!(bursts(&timed, 1, 5 * 60), vec![]);
        assert_eq!(bursts(&timed, 1, 5 * 60 + 1), vec![(0, 3)]);
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(duration(30), "under a minute");
        assert_eq!(duration(60), "1 minute");
        assert_eq!(duration(61), "2 minutes");
        assert_eq!(duration(3600), "1 hour");
        assert_eq!(duration(3900), "1 hour 5 minutes");
    }
}
