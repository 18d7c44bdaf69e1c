//! The unit everything else works on: a [`Post`] as read from an input, and the [`Corpus`] of
//! all posts of one run with the [`Source`]s they came from.
//!
//! Readers in `input/` build these; nothing after them changes a post but a check that drops
//! the texts its report will not read (`Engine::run_releasing_texts`). `Post::text` is exactly
//! the text that was read (no trimming, unescaping or normalising beyond what the input format
//! itself defines), so every span a rule reports points into it.

use std::fmt;
use std::path::PathBuf;

use arcstr::ArcStr;
use chrono::{DateTime, FixedOffset};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// What a post is, as far as hygiene's rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    /// A broadcast to the account's audience.
    Post,
    /// A public message addressed to someone in a conversation.
    Reply,
    /// A direct (private) message.
    Dm,
    /// Someone else's post shared as is; its text is not the account's own writing.
    Repost,
    /// Someone else's post shared with the account's own comment.
    Quote,
}

impl PostKind {
    /// Every kind, in the order they are documented.
    pub const ALL: [PostKind; 5] = [
        PostKind::Post,
        PostKind::Reply,
        PostKind::Dm,
        PostKind::Repost,
        PostKind::Quote,
    ];

    /// The lowercase name used in input files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Post => "post",
            PostKind::Reply => "reply",
            PostKind::Dm => "dm",
            PostKind::Repost => "repost",
            PostKind::Quote => "quote",
        }
    }

    /// Whether the text is the account owner's own writing, shown in public.
    /// These are the posts the account-level ratios are computed over.
    pub fn is_public_authored(self) -> bool {
        matches!(self, PostKind::Post | PostKind::Reply | PostKind::Quote)
    }
}

impl fmt::Display for PostKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The platform a post is (or will be) published on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Bluesky,
    Mastodon,
    Threads,
    Linkedin,
    Instagram,
    Facebook,
}

impl Platform {
    /// Every platform, in the order they are documented.
    pub const ALL: [Platform; 7] = [
        Platform::X,
        Platform::Bluesky,
        Platform::Mastodon,
        Platform::Threads,
        Platform::Linkedin,
        Platform::Instagram,
        Platform::Facebook,
    ];

    /// The lowercase name used in input files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Bluesky => "bluesky",
            Platform::Mastodon => "mastodon",
            Platform::Threads => "threads",
            Platform::Linkedin => "linkedin",
            Platform::Instagram => "instagram",
            Platform::Facebook => "facebook",
        }
    }
}

impl InputFormat {
    /// Whether the format is a platform's export of what an account already published: the
    /// platform accepted those posts (an X Premium long post, a Mastodon instance with a higher
    /// limit), so they are not judged against the standard length limit.
    pub fn is_published_export(self) -> bool {
        matches!(
            self,
            InputFormat::XTweetsJs
                | InputFormat::XNoteTweetJs
                | InputFormat::XLegacyTweetsCsv
                | InputFormat::XLegacyGrailbirdJs
                | InputFormat::MastodonOutbox
                | InputFormat::BlueskyGetAuthorFeed
                | InputFormat::BlueskyListRecords
                | InputFormat::FacebookYourPosts
                | InputFormat::ThreadsPosts
                | InputFormat::InstagramPosts
                | InputFormat::LinkedinSharesCsv
        )
    }

    /// Whether every post of the format is a verbatim slice of its file (origin
    /// [`Location::Text`]): plain text, `.tweet` files and Markdown bodies. Only these are
    /// rewritten by `hygiene check --fix`; structured files (JSON, CSV, YAML, exports) never are.
    pub fn posts_are_verbatim(self) -> bool {
        matches!(
            self,
            InputFormat::Text
                | InputFormat::TwitterTogetherTweet
                | InputFormat::MarkdownFrontMatter
        )
    }
}

/// Where in its source a post was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The post's text is a verbatim slice of a text file that starts at `line` and `column`
    /// (1-based, column in chars), so positions inside the text map to file lines and columns.
    Text { line: u32, column: u32 },
    /// The post is the `record`-th (1-based) record of a structured file. `line` (1-based) is
    /// known for line-oriented formats such as JSON Lines.
    Record { record: u32, line: Option<u32> },
}

/// A post's origin: which source, and where in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Index into [`Corpus::sources`]. A `u32`, not a `usize`: every post holds one, and with
    /// [`Location`] it packs into 16 bytes instead of 24.
    pub source: u32,
    pub location: Location,
}

/// One post, reply or message, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The id the input gave the post, if any. A `CompactString` keeps up to 24 bytes inline,
    /// so the numeric ids of X and most exports need no allocation of their own.
    pub id: Option<CompactString>,
    /// The text as read; never modified afterwards, except released (left empty) once nothing
    /// needs it (`Engine::run_releasing_texts`).
    pub text: Text,
    pub kind: PostKind,
    /// When it was (or is scheduled to be) published.
    pub created_at: Option<DateTime<FixedOffset>>,
    pub platform: Option<Platform>,
    /// Written by someone else and received by the account (a DM in an export). Read and
    /// reported, but only judged with `--include-received`.
    pub received: bool,
    pub origin: Origin,
    /// The fields many posts leave empty ([`Post::to`], [`Post::in_reply_to`],
    /// [`Post::links`], [`Post::allow`]), in a box of their own that only a post with one of
    /// them has (`None` otherwise, never an empty box): in the post they took 56 of its 136
    /// bytes, and four posts in ten have one of them (41% of the shared export samples, 45%
    /// of the benchmark corpus). A million posts take 18 MB less.
    extras: Option<Box<Extras>>,
}

/// A post's text. The texts of a batch of posts read together share one buffer ([`share_texts`]),
/// so a text takes no allocation of its own (jemalloc rounded the benchmark's 159-byte texts up
/// by 16 bytes on average), and once every text of a batch is dropped, so is its buffer: texts
/// dropped one by one as their posts were analysed left holes in the allocator's pages that
/// nothing larger could use. 16 bytes, as a `Box<str>`.
#[derive(Clone, Default)]
pub struct Text {
    buffer: ArcStr,
    start: u32,
    /// [`Text::WHOLE`] for the whole buffer (a text of its own, which may be 4 GiB or longer).
    len: u32,
}

impl Text {
    const WHOLE: u32 = u32::MAX;

    fn whole(buffer: ArcStr) -> Text {
        Text {
            buffer,
            start: 0,
            len: Text::WHOLE,
        }
    }

    pub fn as_str(&self) -> &str {
        if self.len == Text::WHOLE {
            &self.buffer
        } else {
            let start = self.start as usize;
            &self.buffer[start..start + self.len as usize]
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::from(text.as_str())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        match text {
            "" => Text::default(),
            text => Text::whole(ArcStr::from(text)),
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Gives `posts[i]` the text `texts[i]`, all of them in one buffer they share (see [`Text`]);
/// a text that does not fit a buffer of fewer than 4 GiB has its own.
pub fn share_texts(posts: &mut [Post], texts: &[impl AsRef<str>]) {
    share_within(posts, texts, Text::WHOLE as usize);
}

/// [`share_texts`], with buffers shorter than `limit`.
fn share_within(posts: &mut [Post], texts: &[impl AsRef<str>], limit: usize) {
    let mut total = 0usize;
    let mut shared = 0;
    for text in texts {
        match total.checked_add(text.as_ref().len()) {
            Some(sum) if sum < limit => {
                total = sum;
                shared += 1;
            }
            _ => break,
        }
    }
    // Written in place: a `String` copied into the `ArcStr` took a second buffer a batch.
    let buffer = ArcStr::init_with(total, |buffer| {
        let mut at = 0;
        for text in &texts[..shared] {
            let text = text.as_ref().as_bytes();
            buffer[at..at + text.len()].copy_from_slice(text);
            at += text.len();
        }
    })
    .expect("whole UTF-8 texts joined are UTF-8");
    let mut start = 0;
    for (post, text) in posts.iter_mut().zip(&texts[..shared]) {
        let len = text.as_ref().len() as u32;
        post.text = Text {
            buffer: buffer.clone(),
            start,
            len,
        };
        start += len;
    }
    // The text that did not fit has a buffer of its own; the rest start another.
    if let (Some(post), Some(text)) = (posts.get_mut(shared), texts.get(shared)) {
        post.text = Text::from(text.as_ref());
        share_within(&mut posts[shared + 1..], &texts[shared + 1..], limit);
    }
}

/// What few posts have; see [`Post::extras`].
#[derive(Debug, Clone, Default, PartialEq)]
struct Extras {
    to: Option<Box<str>>,
    in_reply_to: Option<Box<str>>,
    links: Box<[String]>,
    allow: Option<Box<Allow>>,
}

impl Extras {
    fn is_empty(&self) -> bool {
        self.to.is_none()
            && self.in_reply_to.is_none()
            && self.links.is_empty()
            && self.allow.is_none()
    }
}

/// A suppression written next to a post: these rules do not report on it, for this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub rules: Vec<String>,
    pub reason: String,
}

impl Post {
    /// A post with only text, kind and origin; the optional fields are empty.
    pub fn new(text: String, kind: PostKind, origin: Origin) -> Post {
        Post {
            id: None,
            text: Text::from(text),
            kind,
            created_at: None,
            platform: None,
            received: false,
            origin,
            extras: None,
        }
    }

    /// Recipient handle or name, for DMs and replies.
    pub fn to(&self) -> Option<&str> {
        self.extras.as_ref()?.to.as_deref()
    }

    /// Id of the post this one answers.
    pub fn in_reply_to(&self) -> Option<&str> {
        self.extras.as_ref()?.in_reply_to.as_deref()
    }

    /// Full targets of the links in the text, when the input knows them (an export's expanded
    /// `t.co` links, a Bluesky link facet); rules see these domains, not the shortener's.
    pub fn links(&self) -> &[String] {
        self.extras.as_ref().map_or(&[], |extras| &extras.links)
    }

    /// Rules the author turned off for this post, with why (`"hygiene": {"allow": […],
    /// "reason": "…"}` in JSON).
    pub fn allow(&self) -> Option<&Allow> {
        self.extras.as_ref()?.allow.as_deref()
    }

    /// Sets [`Post::to`].
    pub fn set_to(&mut self, to: Option<impl Into<Box<str>>>) {
        self.change_extras(|extras| extras.to = to.map(Into::into));
    }

    /// Sets [`Post::in_reply_to`].
    pub fn set_in_reply_to(&mut self, in_reply_to: Option<impl Into<Box<str>>>) {
        self.change_extras(|extras| extras.in_reply_to = in_reply_to.map(Into::into));
    }

    /// Sets [`Post::links`].
    pub fn set_links(&mut self, links: impl Into<Box<[String]>>) {
        self.change_extras(|extras| extras.links = links.into());
    }

    /// Sets [`Post::allow`].
    pub fn set_allow(&mut self, allow: Option<Allow>) {
        self.change_extras(|extras| extras.allow = allow.map(Box::new));
    }

    /// Drops the text, leaving it empty: see `Engine::run_releasing_texts`.
    pub fn release_text(&mut self) {
        self.text = Text::default();
    }

    /// Gives the text a buffer of its own, so that it no longer keeps the buffer it shares with
    /// others (see [`Text`]) when they are dropped.
    pub fn keep_text_alone(&mut self) {
        if self.text.len != Text::WHOLE {
            self.text = Text::from(self.text.as_str());
        }
    }

    /// Changes the extras, boxing them when the first one is set and dropping the box when
    /// the last one is cleared. Readers set every field of every post, most of them to
    /// nothing: that makes no box.
    fn change_extras(&mut self, change: impl FnOnce(&mut Extras)) {
        match &mut self.extras {
            Some(extras) => {
                change(extras);
                if extras.is_empty() {
                    self.extras = None;
                }
            }
            None => {
                let mut extras = Extras::default();
                change(&mut extras);
                if !extras.is_empty() {
                    self.extras = Some(Box::new(extras));
                }
            }
        }
    }
}

/// The format a source was read as. The kebab-case names are used by `--input-format` and in
/// the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    /// JSON: an array of strings or post objects, or an object with a `posts`/`messages` array.
    Json,
    /// JSON Lines: one string or post object per line.
    Jsonl,
    /// Plain text: posts separated by `---` lines, or one per line with `--split lines`.
    Text,
    /// X archive `data/tweets.js` / `data/tweet.js`.
    XTweetsJs,
    /// X archive `data/note-tweet.js` (full text of long posts).
    XNoteTweetJs,
    /// X archive `data/direct-messages.js`.
    XDirectMessagesJs,
    /// X archive `data/direct-messages-group.js`.
    XDirectMessagesGroupJs,
    /// X archive `data/account.js` (the owner; no posts).
    XAccountJs,
    /// Legacy Twitter archive `tweets.csv`.
    XLegacyTweetsCsv,
    /// Legacy Twitter archive `data/js/tweets/YYYY_MM.js` (Grailbird).
    XLegacyGrailbirdJs,
    /// Mastodon export `outbox.json`.
    MastodonOutbox,
    /// Mastodon export `actor.json` (the owner; no posts).
    MastodonActor,
    /// Bluesky `getAuthorFeed` response.
    BlueskyGetAuthorFeed,
    /// Bluesky `listRecords` response (`app.bsky.feed.post`).
    BlueskyListRecords,
    /// Facebook `your_posts_1.json`.
    FacebookYourPosts,
    /// Threads `threads_and_replies.json`.
    ThreadsPosts,
    /// Instagram `posts_1.json`.
    InstagramPosts,
    /// LinkedIn `Shares.csv`.
    LinkedinSharesCsv,
    /// twitter-together `*.tweet` file.
    TwitterTogetherTweet,
    /// Markdown with YAML front matter.
    MarkdownFrontMatter,
    /// YAML queue: a map of keys to post texts, a list of posts, or `text:` documents.
    Yaml,
    /// Scheduler bulk CSV (Buffer, Hootsuite, or a generic CSV with a text column).
    Csv,
}

impl InputFormat {
    /// The kebab-case name used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Json => "json",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Text => "text",
            InputFormat::XTweetsJs => "x-tweets-js",
            InputFormat::XNoteTweetJs => "x-note-tweet-js",
            InputFormat::XDirectMessagesJs => "x-direct-messages-js",
            InputFormat::XDirectMessagesGroupJs => "x-direct-messages-group-js",
            InputFormat::XAccountJs => "x-account-js",
            InputFormat::XLegacyTweetsCsv => "x-legacy-tweets-csv",
            InputFormat::XLegacyGrailbirdJs => "x-legacy-grailbird-js",
            InputFormat::MastodonOutbox => "mastodon-outbox",
            InputFormat::MastodonActor => "mastodon-actor",
            InputFormat::BlueskyGetAuthorFeed => "bluesky-get-author-feed",
            InputFormat::BlueskyListRecords => "bluesky-list-records",
            InputFormat::FacebookYourPosts => "facebook-your-posts",
            InputFormat::ThreadsPosts => "threads-posts",
            InputFormat::InstagramPosts => "instagram-posts",
            InputFormat::LinkedinSharesCsv => "linkedin-shares-csv",
            InputFormat::TwitterTogetherTweet => "twitter-together-tweet",
            InputFormat::MarkdownFrontMatter => "markdown-front-matter",
            InputFormat::Yaml => "yaml",
            InputFormat::Csv => "csv",
        }
    }
}

/// One input that was read: a file, a file in a zip archive, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as the user gave it, `archive.zip!inner/path` for a file in an archive, or
    /// `<stdin>`.
    pub path: String,
    /// What `path` names, for outputs that need the parts (SARIF's nested artifacts).
    pub kind: SourceKind,
    pub format: InputFormat,
    /// How many posts were read from it.
    pub posts: usize,
    /// What the configuration says about this file in particular (its per-path overrides);
    /// set after reading, before the rules run.
    pub settings: SourceSettings,
    /// The file on disk it was read from; `None` for standard input and files inside a zip.
    pub file: Option<PathBuf>,
    /// The bytes as read, kept when the format's posts are verbatim slices of them
    /// ([`InputFormat::posts_are_verbatim`]), so fixes can be shown and checked against them;
    /// not kept when the reader was told nothing will be fixed
    /// (`ReadOptions::forget_originals`).
    pub original: Option<Vec<u8>>,
}

/// Settings that apply to the posts of one source only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSettings {
    /// The platform of its posts that do not say which they are for.
    pub platform: Option<Platform>,
    /// Rules (ids) that do not report on its posts.
    pub ignore: Vec<String>,
}

impl Source {
    /// The file on disk its posts were read from (the archive, for a file inside one); none
    /// for standard input.
    pub fn disk_path(&self) -> Option<PathBuf> {
        match &self.kind {
            SourceKind::ArchiveMember { archive, .. } => Some(PathBuf::from(archive)),
            SourceKind::File | SourceKind::Stdin => self.file.clone(),
        }
    }
}

/// Where a source's bytes came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A file on disk (named, or found in a folder), or bytes handed over under a file's name.
    File,
    /// Standard input.
    Stdin,
    /// A file inside a zip archive: the archive's path as given and the member's name in it.
    ArchiveMember { archive: String, member: String },
}

/// Every post of one run, with the sources they came from; or, when standard input is streamed,
/// one batch of a run's posts (see `input::PostStream`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    pub sources: Vec<Source>,
    pub posts: Vec<Post>,
    /// Files found by walking a folder or archive that hold no posts in a known format.
    pub skipped: Vec<String>,
    /// The run-wide index of `posts[0]`: 0, except for a batch of a streamed run, whose posts
    /// are numbered on from the batches before it. Indexes into a corpus (a finding's post,
    /// `Analysis::posts`) count from `posts[0]`; reports print run-wide ones.
    pub first_post: usize,
}

impl Corpus {
    /// The length of every post's text, in bytes.
    pub fn text_bytes(&self) -> usize {
        self.posts.iter().map(|post| post.text.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_read_together_share_a_buffer_until_they_are_kept_alone_or_released() {
        let origin = Origin {
            source: 0,
            location: Location::Text { line: 1, column: 1 },
        };
        let texts = [
            "Morning! ☕",
            "",
            "A longer one, with an emoji 🙂 and more.",
            "ok",
        ];
        let mut posts: Vec<Post> = texts
            .iter()
            .map(|text| Post::new(text.to_string(), PostKind::Post, origin))
            .collect();
        let before = posts.clone();
        share_texts(&mut posts, &texts);
        assert_eq!(posts, before, "the same texts");
        assert_eq!(
            posts.iter().map(|post| &*post.text).collect::<Vec<_>>(),
            texts
        );
        let count = |post: &Post| ArcStr::strong_count(&post.text.buffer);
        assert_eq!(count(&posts[0]), Some(4), "one buffer");

        posts[2].keep_text_alone();
        assert_eq!(posts[2].text, texts[2]);
        assert_eq!((count(&posts[0]), count(&posts[2])), (Some(3), Some(1)));
        for index in [0, 1, 3] {
            posts[index].release_text();
            assert_eq!(posts[index].text, "");
        }
        assert_eq!(posts[2].text, texts[2], "kept, and alone");

        // A text that does not fit a buffer keeps its own; the others after it share another.
        let mut posts: Vec<Post> = texts
            .iter()
            .map(|text| Post::new(text.to_string(), PostKind::Post, origin))
            .collect();
        share_within(&mut posts, &texts, 14);
        assert_eq!(posts, before);
        assert_eq!(
            posts.iter().map(count).collect::<Vec<_>>(),
            [Some(2), Some(2), Some(1), Some(1)],
            "{posts:?}"
        );
        assert_eq!(posts[2].text.len, Text::WHOLE);
    }

    #[test]
    fn a_post_boxes_its_extras_only_while_it_has_one() {
        let origin = Origin {
            source: 0,
            location: Location::Record {
                record: 1,
                line: None,
            },
        };
        let fresh = Post::new("Thanks!".to_string(), PostKind::Reply, origin);
        let mut post = fresh.clone();
        post.set_to(Some("@ana"));
        post.set_in_reply_to(Some("12"));
        post.set_links(vec!["https://example.com/a".to_string()]);
        post.set_allow(Some(Allow {
            rules: vec!["generic-reply".to_string()],
            reason: "a friend".to_string(),
        }));
        assert_eq!(post.to(), Some("@ana"));
        assert_eq!(post.in_reply_to(), Some("12"));
        assert_eq!(post.links(), ["https://example.com/a"]);
        assert_eq!(post.allow().map(|allow| &*allow.reason), Some("a friend"));

        post.set_to(None::<&str>);
        post.set_in_reply_to(None::<&str>);
        post.set_allow(None);
        assert!(post.extras.is_some(), "a link is left");
        assert_eq!((post.to(), post.in_reply_to()), (None, None));
        post.set_links(Vec::new());
        assert!(post.extras.is_none());
        assert_eq!(
            post, fresh,
            "no empty box: posts compare as their fields do"
        );
    }
}
