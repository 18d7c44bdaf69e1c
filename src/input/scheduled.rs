//! Repositories of scheduled posts into posts: twitter-together `*.tweet` files, Markdown files
//! with YAML front matter, and YAML queues.
//!
//! A `.tweet` file is read as the `twitter-together/action` reads it: the trimmed file, an
//! optional front matter (`---` fences, trailing spaces allowed), then a thread split at the
//! first `---` line (or the front matter's `thread-delimiter`) that has a blank line on each
//! side, each later part read again the same way; trailing `( ) option` lines are an inline poll
//! and not text, unless the front matter has a `poll`. A part's own front matter gives its kind:
//! `reply:` a reply, `retweet:` a quote (a repost when no text is left). A Markdown file is one
//! post: its trimmed body after the front matter, whose `platform` and date (`scheduled_date`,
//! `date`, `Date`, else a date in the file name) are kept. Text from both is a verbatim slice of
//! the file, so findings point at its lines and columns.
//!
//! A YAML file is a `text:` document (one post), a map of keys to texts (one post per key, in
//! file order), or a list of texts or of maps with `text`/`message` (at the top or under
//! `posts:`); anything else is an error. Sniffing claims only files that are clearly posts: a
//! folder walk meets READMEs, docs pages, CI workflows and state files that are not.

use std::path::{Component, Path};
use std::sync::LazyLock;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use regex::Regex;
use serde_yaml_ng::{Mapping, Value};

use super::{ReadContext, prefix};
use crate::post::{Allow, InputFormat, Location, Origin, Platform, Post, PostKind};
use crate::text::position_of_byte;

/// How far into a Markdown file the sniffer looks for the end of its front matter.
const FRONT_MATTER_SNIFF_BYTES: usize = 16 * 1024;
/// YAML files up to this size are parsed when sniffing (a queue is a few KB); bigger ones are
/// claimed only when their path says they hold posts.
const YAML_SNIFF_BYTES: usize = 1 << 20;
/// Folders whose Markdown files are posts whatever their name.
const POST_FOLDERS: [&str; 5] = ["tweets", "posts", "social", "drafts", "queue"];
/// Words in a YAML file's path that say it holds posts.
/// (Not `schedule`: a `schedule.yml` is as often a cron table.)
const POST_WORDS: [&str; 11] = [
    "tweet", "tweets", "post", "posts", "social", "queue", "draft", "drafts", "toot", "toots",
    "skeets",
];
/// Markdown files that document a repository, never posts.
const DOCUMENT_NAMES: [&str; 14] = [
    "readme",
    "changelog",
    "changes",
    "history",
    "contributing",
    "license",
    "licence",
    "code_of_conduct",
    "security",
    "authors",
    "notice",
    "support",
    "governance",
    "maintainers",
];
/// Front-matter keys that make a Markdown file a scheduled post.
const SCHEDULE_KEYS: [&str; 14] = [
    "platform",
    "platforms",
    "channel",
    "network",
    "scheduled_date",
    "scheduled_at",
    "schedule",
    "publish_at",
    "cross_post",
    "reply",
    "retweet",
    "quote",
    "poll",
    "thread-delimiter",
];
/// Front-matter keys of pages (site and docs pages, issue templates): such a file is not a
/// post unless it also has a [`SCHEDULE_KEYS`] key.
const PAGE_KEYS: [&str; 13] = [
    "layout",
    "title",
    "permalink",
    "slug",
    "description",
    "section",
    "sidebar_position",
    "sidebar_label",
    "nav_order",
    "weight",
    "about",
    "labels",
    "assignees",
];
/// Front-matter keys a draft post may have alone (a page may have them too, see [`PAGE_KEYS`]).
const DRAFT_KEYS: [&str; 3] = ["date", "Date", "status"];
/// Front-matter or record fields that hold the publication time, in order of preference.
const DATE_FIELDS: [&str; 6] = [
    "scheduled_date",
    "scheduled_at",
    "schedule",
    "date",
    "Date",
    "publish_at",
];
/// Fields that name the platform (schedulers call it a channel or network).
const PLATFORM_FIELDS: [&str; 3] = ["platform", "channel", "network"];
/// Fields of a YAML list item that hold its text.
const ITEM_TEXT_FIELDS: [&str; 2] = ["text", "message"];
/// Keys of a YAML map that hold the list of posts.
const LIST_KEYS: [&str; 2] = ["posts", "tweets"];

/// An inline poll option line (`( ) option`, `() option`), as twitter-together matches it.
static POLL_OPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(\s?\)\s+").expect("valid regex"));
/// A date in a file name: `2025-10-26`, `2021-Jul-28`, `August 20, 2021`.
static NAME_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)(?:^|[^a-z0-9])(?:
            (?P<y1>\d{4})[-_](?P<m1>\d{1,2})[-_](?P<d1>\d{1,2})
          | (?P<y2>\d{4})-(?P<m2>[a-z]{3,9})-(?P<d2>\d{1,2})
          | (?P<m3>[a-z]{3,9})\.?[\s_-]+(?P<d3>\d{1,2})(?:st|nd|rd|th)?,?[\s_-]+(?P<y3>\d{4})
        )(?:$|[^a-z0-9])",
    )
    .expect("valid regex")
});
/// A twitter.com / x.com status URL: the author and the post id.
static STATUS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([A-Za-z0-9_]+)/status(?:es)?/(\d+)",
    )
    .expect("valid regex")
});

/// The format of `content`, when it is a scheduled-post file.
pub(super) fn sniff(path: Option<&Path>, content: &str) -> Option<InputFormat> {
    let path = path?;
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        // twitter-together's convention: the extension is the only signal plain text has.
        "tweet" => Some(InputFormat::TwitterTogetherTweet),
        "md" | "markdown" => {
            is_markdown_post(path, content).then_some(InputFormat::MarkdownFrontMatter)
        }
        "yaml" | "yml" => is_yaml_queue(path, content).then_some(InputFormat::Yaml),
        _ => None,
    }
}

/// Whether a Markdown file is a post rather than documentation: its front matter says it is
/// scheduled for a platform, or its name is a date (the schedule), or it lives in a posts
/// folder; but never a repository document (README ...) or a page whose front matter makes it
/// one (a site page, a docs page, an issue template).
fn is_markdown_post(path: &Path, content: &str) -> bool {
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if DOCUMENT_NAMES.contains(&stem.as_str()) {
        return false;
    }
    let head = prefix(content, FRONT_MATTER_SNIFF_BYTES);
    if let Ok(Some(front)) = front_matter("", head, 0, head.len()) {
        let has = |keys: &[&str]| {
            front
                .fields
                .keys()
                .filter_map(Value::as_str)
                .any(|key| keys.contains(&key))
        };
        if has(&SCHEDULE_KEYS) {
            return true;
        }
        if has(&PAGE_KEYS) {
            return false;
        }
        if has(&DRAFT_KEYS) {
            return true;
        }
    }
    date_in_name(path).is_some()
        || folders(path).any(|folder| POST_FOLDERS.contains(&folder.as_str()))
}

/// The lowercased names of the folders a path passes through (not the file's own name).
fn folders(path: &Path) -> impl Iterator<Item = String> + '_ {
    path.parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|component| match component {
            Component::Normal(name) => name.to_str().map(str::to_ascii_lowercase),
            _ => None,
        })
}

/// Whether a YAML file has one of the queue shapes (and, for plain maps or lists of strings,
/// a path or texts that say they are posts: a config file is a map of strings too).
fn is_yaml_queue(path: &Path, content: &str) -> bool {
    let hinted = path
        .components()
        .filter_map(|component| match component {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .flat_map(|name| name.split(|c: char| !c.is_ascii_alphanumeric()))
        .any(|word| POST_WORDS.contains(&word.to_ascii_lowercase().as_str()));
    if content.len() > YAML_SNIFF_BYTES {
        return hinted;
    }
    let Ok(document) = serde_yaml_ng::from_str::<Value>(content) else {
        // A broken file named for posts is reported rather than skipped.
        return hinted && !content.trim().is_empty();
    };
    match shape(&document) {
        Some(Shape::Text(fields)) => matches!(fields.get("text"), Some(Value::String(_))),
        Some(Shape::Map(map)) => {
            !map.is_empty() && (hinted || map.values().all(|value| is_prose(value.as_str())))
        }
        Some(Shape::List(items, key)) => {
            !items.is_empty()
                && (key.is_some()
                    || hinted
                    || items.iter().any(Value::is_mapping)
                    || items.iter().all(|item| is_prose(item.as_str())))
        }
        Some(Shape::Empty) | None => false,
    }
}

/// Whether a value reads like a post rather than a setting: several words, or several lines.
fn is_prose(text: Option<&str>) -> bool {
    text.is_some_and(|text| {
        let text = text.trim();
        text.contains('\n') || (text.chars().count() >= 40 && text.split_whitespace().count() >= 5)
    })
}

/// Appends the posts of `content` (in `format`) to `posts`.
pub(super) fn read(
    format: InputFormat,
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    match format {
        InputFormat::MarkdownFrontMatter => read_markdown(context, content, posts),
        InputFormat::Yaml => read_yaml(context, content, posts),
        _ => read_tweet(context, content, posts),
    }
}

// ---------------------------------------------------------------------------------------------
// Front matter

/// A front matter block: its fields, and where the body after it starts.
struct FrontMatter {
    fields: Mapping,
    /// Byte offset in the file just past the closing fence's line.
    body_start: usize,
}

/// Whether a line is a `---` fence (trailing spaces, tabs and `\r` allowed).
fn is_fence(line: &str) -> bool {
    line.trim_end_matches([' ', '\t', '\r', '\n']) == "---"
}

/// The front matter opening `content[start..end]`, if it has one: a `---` line, YAML, a `---`
/// line. A block whose YAML is not a map (prose between two rules) is not front matter; YAML
/// that does not parse is an error at its file line and column.
fn front_matter(
    name: &str,
    content: &str,
    start: usize,
    end: usize,
) -> Result<Option<FrontMatter>> {
    let text = content.get(start..end).unwrap_or_default();
    let mut lines = lines_with_offsets(text);
    let Some((_, first)) = lines.next() else {
        return Ok(None);
    };
    if !is_fence(first) {
        return Ok(None);
    }
    let yaml_start = first.len();
    let Some((close, fence)) = lines.find(|(_, line)| is_fence(line)) else {
        return Ok(None);
    };
    let yaml = text.get(yaml_start..close).unwrap_or_default();
    let fields = match serde_yaml_ng::from_str::<Value>(yaml) {
        Ok(Value::Mapping(fields)) => fields,
        Ok(Value::Null) => Mapping::new(),
        Ok(_) => return Ok(None),
        Err(error) => {
            return Err(yaml_error(
                name,
                content,
                start + yaml_start,
                &error,
                "invalid YAML front matter",
            ));
        }
    };
    Ok(Some(FrontMatter {
        fields,
        body_start: start + close + fence.len(),
    }))
}

/// The lines of `text` with their byte offsets; each line keeps its `\n` (so offsets add up).
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line))
    })
}

/// A YAML error as `name:line:column: what: message`, with the position taken from the
/// block starting at byte `yaml_start` of `content`.
fn yaml_error(
    name: &str,
    content: &str,
    yaml_start: usize,
    error: &serde_yaml_ng::Error,
    what: &str,
) -> anyhow::Error {
    let message = error.to_string();
    let message = message
        .find(" at line ")
        .and_then(|at| message.get(..at))
        .unwrap_or(&message);
    let (block_line, _) = position_of_byte(content.as_bytes(), yaml_start);
    let (line, column) = match error.location() {
        Some(location) => (block_line + location.line() - 1, location.column()),
        None => (block_line, 1),
    };
    anyhow!("{name}:{line}:{column}: {what}: {message}")
}

// ---------------------------------------------------------------------------------------------
// twitter-together

/// What a `.tweet` part's front matter asks for.
struct TweetOptions {
    reply: Option<String>,
    retweet: Option<String>,
    /// The front matter lists the poll, so trailing `( )` lines are text.
    poll: bool,
    thread_delimiter: String,
    schedule: Option<DateTime<FixedOffset>>,
}

impl TweetOptions {
    fn new(fields: Option<&Mapping>) -> TweetOptions {
        let string = |key: &str| {
            fields
                .and_then(|fields| fields.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        TweetOptions {
            reply: string("reply"),
            retweet: string("retweet"),
            poll: fields
                .and_then(|fields| fields.get("poll"))
                .is_some_and(Value::is_sequence),
            thread_delimiter: string("thread-delimiter").unwrap_or_else(|| "---".to_string()),
            schedule: string("schedule").as_deref().and_then(parse_when),
        }
    }
}

/// Reads a twitter-together file: one post per thread part.
fn read_tweet(context: ReadContext<'_>, content: &str, posts: &mut Vec<Post>) -> Result<()> {
    let mut start = 0;
    loop {
        let (part_start, part_end) = trim_span(content, start, content.len());
        if part_start == part_end {
            return Ok(());
        }
        let front = front_matter(context.name, content, part_start, part_end)?;
        let options = TweetOptions::new(front.as_ref().map(|front| &front.fields));
        let allow = front_matter_allow(context.name, content, part_start, front.as_ref())?;
        let body_start = front.map_or(part_start, |front| front.body_start);
        let (body_end, next) =
            match thread_delimiter(content, body_start, part_end, &options.thread_delimiter) {
                Some((delimiter_start, after)) => (delimiter_start, Some(after)),
                None => (part_end, None),
            };
        let (text_start, mut text_end) = trim_span(content, body_start, body_end);
        if !options.poll {
            text_end = without_inline_poll(content, text_start, text_end);
        }
        let text = content.get(text_start..text_end).unwrap_or_default();
        let kind = match (&options.reply, &options.retweet) {
            (Some(_), _) => PostKind::Reply,
            (None, Some(_)) if text.is_empty() => PostKind::Repost,
            (None, Some(_)) => PostKind::Quote,
            (None, None) => PostKind::Post,
        };
        if !text.is_empty() || kind == PostKind::Repost {
            let mut post = Post::new(
                text.to_string(),
                kind,
                text_origin(context.source, content, text_start),
            );
            if let Some(reply) = &options.reply {
                match STATUS_URL.captures(reply.trim()) {
                    Some(status) => {
                        post.set_to(Some(format!("@{}", &status[1])));
                        post.set_in_reply_to(Some(&status[2]));
                    }
                    None => post.set_in_reply_to(Some(reply.trim())),
                }
            }
            post.created_at = options.schedule;
            post.platform = Some(Platform::X);
            post.set_allow(allow);
            posts.push(post);
        }
        match next {
            Some(next) => start = next,
            None => return Ok(()),
        }
    }
}

/// The first thread delimiter line in `content[start..end]` that has a blank line before and
/// after it: its start, and the offset just past it. An empty delimiter never splits.
fn thread_delimiter(
    content: &str,
    start: usize,
    end: usize,
    delimiter: &str,
) -> Option<(usize, usize)> {
    let delimiter = delimiter.trim_end_matches([' ', '\t']);
    if delimiter.trim().is_empty() {
        return None;
    }
    let body = content.get(start..end)?;
    let lines: Vec<(usize, &str)> = lines_with_offsets(body).collect();
    let blank = |index: usize| {
        lines
            .get(index)
            .is_some_and(|(_, line)| line.trim().is_empty())
    };
    (1..lines.len()).find_map(|index| {
        let (offset, line) = lines[index];
        let is_delimiter = line.trim_end_matches([' ', '\t', '\r', '\n']) == delimiter;
        (is_delimiter && blank(index - 1) && blank(index + 1))
            .then(|| (start + offset, start + offset + line.len()))
    })
}

/// The end of `content[start..end]` without its trailing inline poll option lines (each
/// removal trims again, as twitter-together does).
fn without_inline_poll(content: &str, start: usize, mut end: usize) -> usize {
    loop {
        let text = content.get(start..end).unwrap_or_default();
        let last_start = text.rfind('\n').map_or(0, |newline| newline + 1);
        let last = text.get(last_start..).unwrap_or_default();
        if !POLL_OPTION.is_match(last) {
            return end;
        }
        end = start + text.get(..last_start).unwrap_or_default().trim_end().len();
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Reads a Markdown file: one post, its trimmed body after the front matter.
fn read_markdown(context: ReadContext<'_>, content: &str, posts: &mut Vec<Post>) -> Result<()> {
    let front = front_matter(context.name, content, 0, content.len())?;
    let body_start = front.as_ref().map_or(0, |front| front.body_start);
    let (start, end) = trim_span(content, body_start, content.len());
    let text = content.get(start..end).unwrap_or_default();
    if text.is_empty() {
        return Ok(());
    }
    let mut post = Post::new(
        text.to_string(),
        PostKind::Post,
        text_origin(context.source, content, start),
    );
    if let Some(front) = &front {
        post.platform = platform_of(&front.fields);
        post.created_at = date_of(&front.fields);
    }
    post.set_allow(front_matter_allow(
        context.name,
        content,
        0,
        front.as_ref(),
    )?);
    if post.created_at.is_none() {
        post.created_at = context.path.and_then(date_in_name).map(midnight);
    }
    posts.push(post);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// YAML

/// The shapes of YAML that hold posts.
enum Shape<'a> {
    /// An empty document.
    Empty,
    /// A map with a `text` key: one post, the other keys its fields.
    Text(&'a Mapping),
    /// A map of keys to texts (or nothing): one post per key.
    Map(&'a Mapping),
    /// A list of texts or of maps with `text`/`message`, at the top or under the given key.
    List(&'a [Value], Option<&'static str>),
}

/// The shape of a YAML document, if it holds posts.
fn shape(document: &Value) -> Option<Shape<'_>> {
    let is_item = |item: &Value| match item {
        Value::String(_) | Value::Null => true,
        Value::Mapping(fields) => ITEM_TEXT_FIELDS
            .iter()
            .any(|field| fields.contains_key(*field)),
        _ => false,
    };
    match document {
        Value::Null => Some(Shape::Empty),
        Value::Mapping(fields) if fields.contains_key("text") => Some(Shape::Text(fields)),
        Value::Mapping(fields) => {
            for key in LIST_KEYS {
                if let Some(Value::Sequence(items)) = fields.get(key)
                    && items.iter().all(is_item)
                {
                    return Some(Shape::List(items, Some(key)));
                }
            }
            fields
                .iter()
                .all(|(key, value)| {
                    key_text(key).is_some() && matches!(value, Value::String(_) | Value::Null)
                })
                .then_some(Shape::Map(fields))
        }
        Value::Sequence(items) if items.iter().all(is_item) => Some(Shape::List(items, None)),
        _ => None,
    }
}

/// Reads a YAML queue.
fn read_yaml(context: ReadContext<'_>, content: &str, posts: &mut Vec<Post>) -> Result<()> {
    let name = context.name;
    let document: Value = serde_yaml_ng::from_str(content)
        .map_err(|error| yaml_error(name, content, 0, &error, "invalid YAML"))?;
    let origin_at = |record: usize, line: Option<usize>| Origin {
        source: context.source,
        location: Location::Record {
            record: u32::try_from(record).unwrap_or(u32::MAX),
            line: line.and_then(|line| u32::try_from(line).ok()),
        },
    };
    match shape(&document) {
        Some(Shape::Empty) => {}
        Some(Shape::Text(fields)) => {
            let text = match fields.get("text") {
                Some(Value::String(text)) => text.as_str(),
                Some(Value::Null) | None => "",
                Some(other) => bail!("{name}: `text` must be a string, found {}", describe(other)),
            };
            let line = top_level_keys(content)
                .into_iter()
                .find(|(_, key)| key == "text")
                .map(|(line, _)| line);
            posts.extend(
                yaml_post(text, Some(fields), origin_at(1, line))
                    .map_err(|error| anyhow!("{name}: {error}"))?,
            );
        }
        Some(Shape::Map(fields)) => {
            let lines = top_level_keys(content);
            let lines_known = lines.len() == fields.len();
            for (index, (key, value)) in fields.iter().enumerate() {
                let line = lines
                    .get(index)
                    .filter(|_| lines_known)
                    .map(|(line, _)| *line);
                let key = key_text(key).unwrap_or_default();
                if let Some(mut post) = yaml_post(
                    value.as_str().unwrap_or_default(),
                    None,
                    origin_at(index + 1, line),
                )
                .map_err(|error| anyhow!("{name}: {error}"))?
                {
                    post.created_at = parse_when(&key);
                    post.id = Some(key.into());
                    posts.push(post);
                }
            }
        }
        Some(Shape::List(items, key)) => {
            let lines = list_items(content, key);
            let lines_known = lines.len() == items.len();
            for (index, item) in items.iter().enumerate() {
                let line = lines.get(index).filter(|_| lines_known).copied();
                let origin = origin_at(index + 1, line);
                let post = match item {
                    Value::Mapping(fields) => {
                        let id = fields.get("id").and_then(key_text);
                        let fail = |error: String| match &id {
                            Some(id) => anyhow!("{name}: record {} (id {id}): {error}", index + 1),
                            None => anyhow!("{name}: record {}: {error}", index + 1),
                        };
                        let (field, text) = ITEM_TEXT_FIELDS
                            .iter()
                            .find_map(|field| Some((*field, fields.get(*field)?)))
                            .unwrap_or(("text", &Value::Null));
                        let text = match text {
                            Value::String(text) => text.as_str(),
                            Value::Null => "",
                            other => {
                                return Err(fail(format!(
                                    "`{field}` must be a string, found {}",
                                    describe(other)
                                )));
                            }
                        };
                        yaml_post(text, Some(fields), origin)
                            .map_err(fail)?
                            .map(|mut post| {
                                post.id = id.map(Into::into);
                                post
                            })
                    }
                    other => yaml_post(other.as_str().unwrap_or_default(), None, origin)
                        .map_err(|error| anyhow!("{name}: record {}: {error}", index + 1))?,
                };
                posts.extend(post);
            }
        }
        None => bail!(
            "{name}: expected a YAML queue: a `text:` document, a map of keys to post texts, or a \
             list of posts (texts, or maps with `text` or `message`, at the top or under `posts:`); \
             found {}",
            describe(&document)
        ),
    }
    Ok(())
}

/// The suppression under a front matter's or record's `hygiene` key, if it has one.
fn allow_of(fields: &Mapping) -> Result<Option<Allow>, String> {
    match fields.get("hygiene") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => {
            let value =
                serde_json::to_value(value).map_err(|error| format!("`hygiene`: {error}"))?;
            super::parse_allow(&value).map(Some)
        }
    }
}

/// [`allow_of`] for the front matter opening at byte `start` of `content`; errors name the
/// file and the front matter's first line.
fn front_matter_allow(
    name: &str,
    content: &str,
    start: usize,
    front: Option<&FrontMatter>,
) -> Result<Option<Allow>> {
    let Some(front) = front else {
        return Ok(None);
    };
    allow_of(&front.fields).map_err(|error| {
        let (line, _) = position_of_byte(content.as_bytes(), start);
        anyhow!("{name}:{line}: front matter: {error}")
    })
}

/// A post from a YAML text and the fields beside it (an error only for a bad `hygiene` key);
/// `None` when the text is empty.
fn yaml_post(text: &str, fields: Option<&Mapping>, origin: Origin) -> Result<Option<Post>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let mut post = Post::new(text.to_string(), PostKind::Post, origin);
    if let Some(fields) = fields {
        post.platform = platform_of(fields);
        post.created_at = date_of(fields);
        post.set_allow(allow_of(fields)?);
    }
    Ok(Some(post))
}

/// The 1-based lines and names of the top-level keys of a block-style YAML map.
fn top_level_keys(content: &str) -> Vec<(usize, String)> {
    content
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            line.chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && !matches!(c, '#' | '-' | '.' | '%'))
                && line.contains(':')
        })
        .map(|(index, line)| {
            let key = yaml_key(line);
            (index + 1, key)
        })
        .collect()
}

/// The key written at the start of a `key: value` line, unquoted.
fn yaml_key(line: &str) -> String {
    let key = match line.chars().next() {
        Some(quote @ ('"' | '\'')) => line
            .get(1..)
            .and_then(|rest| rest.split(quote).next())
            .unwrap_or_default(),
        _ => line.split(':').next().unwrap_or_default(),
    };
    key.trim().to_string()
}

/// The 1-based lines of the items of a block-style list: at the top, or under `key:`. Empty
/// when the list is written another way (flow style), so no wrong line is given.
fn list_items(content: &str, key: Option<&str>) -> Vec<usize> {
    let first = match key {
        None => 0,
        Some(key) => match top_level_keys(content)
            .into_iter()
            .find(|(_, name)| name == key)
        {
            // The 1-based line of the key is the 0-based index of the line after it.
            Some((line, _)) => line,
            None => return Vec::new(),
        },
    };
    let mut indent = None;
    let mut items = Vec::new();
    for (index, line) in content.lines().enumerate().skip(first) {
        let text = line.trim_start();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let width = line.len() - text.len();
        if width == 0 && (line.starts_with("---") || line.starts_with("...")) {
            if items.is_empty() && key.is_none() {
                continue; // the document start marker
            }
            break;
        }
        let is_item = text == "-" || text.starts_with("- ") || text.starts_with("-\t");
        let indent = *indent.get_or_insert(width);
        if !is_item && items.is_empty() {
            return Vec::new();
        }
        if width == indent && is_item {
            items.push(index + 1);
        } else if width <= indent {
            break;
        }
    }
    items
}

/// A scalar map key as text (keys are names or dates).
fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(key) => Some(key.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

/// The span of `content[start..end]` without its leading and trailing whitespace (empty at
/// `end` when it is all whitespace).
fn trim_span(content: &str, start: usize, end: usize) -> (usize, usize) {
    let text = content.get(start..end).unwrap_or_default();
    let trimmed = text.trim_start();
    let trimmed_start = start + (text.len() - trimmed.len());
    (trimmed_start, trimmed_start + trimmed.trim_end().len())
}

/// The origin of a post whose text starts at byte `offset` of the file.
fn text_origin(source: u32, content: &str, offset: usize) -> Origin {
    let (line, column) = position_of_byte(content.as_bytes(), offset);
    Origin {
        source,
        location: Location::Text {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        },
    }
}

/// The platform a front matter or record names, if it names a known one.
fn platform_of(fields: &Mapping) -> Option<Platform> {
    PLATFORM_FIELDS.iter().find_map(|field| {
        let name = fields.get(*field)?.as_str()?.trim().to_ascii_lowercase();
        match name.as_str() {
            "twitter" | "x" => Some(Platform::X),
            "linkedin" => Some(Platform::Linkedin),
            "threads" => Some(Platform::Threads),
            "mastodon" => Some(Platform::Mastodon),
            "bluesky" | "bsky" => Some(Platform::Bluesky),
            "instagram" => Some(Platform::Instagram),
            "facebook" => Some(Platform::Facebook),
            _ => None,
        }
    })
}

/// The publication time a front matter or record gives, when it is readable.
fn date_of(fields: &Mapping) -> Option<DateTime<FixedOffset>> {
    DATE_FIELDS
        .iter()
        .find_map(|field| parse_when(fields.get(*field)?.as_str()?))
}

/// A time written by a person: RFC 3339, a date and time without zone (UTC), or a date
/// (midnight UTC) as `2021-10-15`, `October 15, 2021` or `2021-Oct-15`.
fn parse_when(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time);
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f %z"] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some(time);
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Some(time.and_utc().fixed_offset());
        }
    }
    ["%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%Y-%b-%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .map(midnight)
}

/// The date in a file's name (`2021-Jul-28.md`, `August 20, 2021.md`, `2025-10-26-slug.md`).
fn date_in_name(path: &Path) -> Option<NaiveDate> {
    let stem = path.file_stem()?.to_str()?;
    NAME_DATE.captures_iter(stem).find_map(|date| {
        let number = |group: &str| date.name(group)?.as_str().parse::<u32>().ok();
        let (year, month, day) = if date.name("y1").is_some() {
            (number("y1")?, number("m1")?, number("d1")?)
        } else if date.name("y2").is_some() {
            (
                number("y2")?,
                month_number(date.name("m2")?.as_str())?,
                number("d2")?,
            )
        } else {
            (
                number("y3")?,
                month_number(date.name("m3")?.as_str())?,
                number("d3")?,
            )
        };
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
    })
}

/// 1 for `Jan`, `jan.`, `January` ...; `None` for a word that is not a month.
fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.to_ascii_lowercase();
    let position = MONTHS
        .iter()
        .position(|month| word.len() >= 3 && month.starts_with(&word))?;
    u32::try_from(position + 1).ok()
}

fn midnight(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .fixed_offset()
}

/// "a number", "a list", ... for error messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::TestFile;

    fn read_at(format: InputFormat, path: &str, content: &str) -> Result<Vec<Post>> {
        let file = TestFile {
            name: "in",
            path: Some(Path::new(path)),
            ..TestFile::default()
        };
        file.read(read, format, content)
    }

    /// Reads a `.tweet` file and checks that every text is the file's text at its location.
    fn tweet(content: &str) -> Vec<Post> {
        let posts = read_at(InputFormat::TwitterTogetherTweet, "t.tweet", content).unwrap();
        for post in &posts {
            assert_verbatim(content, post);
        }
        posts
    }

    fn assert_verbatim(content: &str, post: &Post) {
        let Location::Text { line, column } = post.origin.location else {
            panic!("expected a text location: {post:?}");
        };
        let line_text = content.split('\n').nth(line as usize - 1).unwrap();
        let line_start = line_text.as_ptr() as usize - content.as_ptr() as usize;
        let start = line_start
            + line_text
                .char_indices()
                .nth(column as usize - 1)
                .map_or(line_text.len(), |(offset, _)| offset);
        assert!(
            content[start..].starts_with(&*post.text),
            "{:?} is not at {line}:{column} of {content:?}",
            post.text
        );
    }

    fn texts(posts: &[Post]) -> Vec<&str> {
        posts.iter().map(|post| &*post.text).collect()
    }

    fn kinds(posts: &[Post]) -> Vec<PostKind> {
        posts.iter().map(|post| post.kind).collect()
    }

    fn text_at(line: u32, column: u32) -> Location {
        Location::Text { line, column }
    }

    #[test]
    fn plain_tweet_is_one_trimmed_post_at_its_line() {
        let posts = tweet("\n\n  Hello, world!\nSecond line  \n\n");
        assert_eq!(texts(&posts), ["Hello, world!\nSecond line"]);
        assert_eq!(posts[0].origin.location, text_at(3, 3));
        assert_eq!(posts[0].kind, PostKind::Post);
        assert_eq!(posts[0].platform, Some(Platform::X));
    }

    #[test]
    fn empty_tweet_files_have_no_posts() {
        assert!(tweet("").is_empty());
        assert!(tweet(" \n\t\n").is_empty());
        assert!(tweet("---\nmedia: []\n---\n\n").is_empty());
    }

    #[test]
    fn front_matter_fences_may_carry_trailing_spaces() {
        let content =
            "--- \t\nreply: https://twitter.com/someone/status/123\n---  \n\nGood idea :)\n";
        let posts = tweet(content);
        assert_eq!(texts(&posts), ["Good idea :)"]);
        assert_eq!(kinds(&posts), [PostKind::Reply]);
        assert_eq!(posts[0].to(), Some("@someone"));
        assert_eq!(posts[0].in_reply_to(), Some("123"));
        assert_eq!(posts[0].origin.location, text_at(5, 1));
    }

    #[test]
    fn front_matter_with_crlf_line_breaks() {
        let content = "---\r\nretweet: https://x.com/a/status/9\r\n---\r\n\r\nSmart!\r\n";
        let posts = tweet(content);
        assert_eq!(texts(&posts), ["Smart!"]);
        assert_eq!(kinds(&posts), [PostKind::Quote]);
    }

    #[test]
    fn retweet_without_text_is_a_repost_with_empty_text() {
        let posts = tweet("---\nretweet: https://twitter.com/a/status/1\n---\n");
        assert_eq!(kinds(&posts), [PostKind::Repost]);
        assert_eq!(&*posts[0].text, "");
    }

    #[test]
    fn dashes_inside_text_without_blank_lines_are_text() {
        let content = "Before\n---\nAfter\n\n---\nand more";
        assert_eq!(texts(&tweet(content)), [content]);
        // Fences at the start around prose are a rule, not front matter.
        let content = "---\nJust a thought, set apart\n---\n\nMore";
        assert_eq!(texts(&tweet(content)), [content]);
        // A fence that is never closed is text too.
        let content = "---\nreply: nowhere";
        assert_eq!(texts(&tweet(content)), [content]);
        // Not a fence: more dashes, or leading space.
        let content = "----\nreply: x\n----\n\nHi";
        assert_eq!(kinds(&tweet(content)), [PostKind::Post]);
    }

    #[test]
    fn threads_split_on_a_delimiter_between_blank_lines() {
        let content = "---\nreply: https://twitter.com/b/status/5\n---\n\nFirst\n\n--- \n\nSecond\n\n---\nretweet: https://twitter.com/c/status/6\n---\n\nThird quotes\n";
        let posts = tweet(content);
        assert_eq!(
            texts(&posts),
            [
                "First",
                "Second\n\n---\nretweet: https://twitter.com/c/status/6\n---\n\nThird quotes"
            ]
        );
        assert_eq!(kinds(&posts), [PostKind::Reply, PostKind::Post]);

        let content = "One\n\n---\n\n---\nretweet: https://twitter.com/c/status/6\n---\n\nTwo quotes\n\n---\n\nThree";
        let posts = tweet(content);
        assert_eq!(texts(&posts), ["One", "Two quotes", "Three"]);
        assert_eq!(
            kinds(&posts),
            [PostKind::Post, PostKind::Quote, PostKind::Post]
        );
        assert_eq!(posts[1].origin.location, text_at(9, 1));
        assert_eq!(posts[2].origin.location, text_at(13, 1));
    }

    #[test]
    fn thread_delimiter_key_changes_the_delimiter() {
        let content =
            "---\nthread-delimiter: \"+++\"\n---\n\nOne\n\n---\n\nstill one\n\n+++\n\nTwo";
        let posts = tweet(content);
        assert_eq!(texts(&posts), ["One\n\n---\n\nstill one", "Two"]);
        let content = "---\nthread-delimiter: \"\"\n---\nOne\n\n---\n\nstill one";
        assert_eq!(tweet(content).len(), 1);
    }

    #[test]
    fn inline_poll_lines_are_not_text() {
        let posts = tweet("Which one?\n\n( ) tabs\n() spaces\n( )  both\n");
        assert_eq!(texts(&posts), ["Which one?"]);
        // Only trailing option lines; `()` without a space after is text.
        let posts = tweet("( ) not last\nWhich?\n()x\n");
        assert_eq!(texts(&posts), ["( ) not last\nWhich?\n()x"]);
        // A front-matter poll leaves the body as is.
        let posts = tweet("---\npoll:\n  - a\n  - b\n---\n\nPick\n( ) a\n( ) b");
        assert_eq!(texts(&posts), ["Pick\n( ) a\n( ) b"]);
        // A tweet that is only a poll has no text.
        assert!(tweet("( ) a\n( ) b").is_empty());
    }

    #[test]
    fn invalid_front_matter_is_an_error_at_its_line() {
        let error = read_at(
            InputFormat::TwitterTogetherTweet,
            "t.tweet",
            "\n---\nreply: [unclosed\n---\n\nHi",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("in:4:1: invalid YAML front matter"),
            "{error}"
        );
    }

    #[test]
    fn schedule_key_is_the_time() {
        let posts = tweet("---\nschedule: 2024-05-01T09:30:00+02:00\n---\nSoon");
        assert_eq!(
            posts[0].created_at.map(|time| time.to_rfc3339()),
            Some("2024-05-01T09:30:00+02:00".to_string())
        );
    }

    #[test]
    fn markdown_body_after_front_matter_with_platform_and_date() {
        let content = "---\nplatform: LinkedIn\nstatus: draft\nscheduled_date: 2025-10-26T14:00:00\ntags: [a, b]\n---\n\n**Launch** day\n\n• one\n---\n• two\n\n";
        let posts = read_at(InputFormat::MarkdownFrontMatter, "posts/x.md", content).unwrap();
        assert_eq!(texts(&posts), ["**Launch** day\n\n• one\n---\n• two"]);
        assert_verbatim(content, &posts[0]);
        assert_eq!(posts[0].origin.location, text_at(8, 1));
        assert_eq!(posts[0].platform, Some(Platform::Linkedin));
        assert_eq!(posts[0].kind, PostKind::Post);
        assert_eq!(
            posts[0].created_at.map(|time| time.to_rfc3339()),
            Some("2025-10-26T14:00:00+00:00".to_string())
        );
    }

    #[test]
    fn markdown_dates_from_front_matter_or_file_name() {
        let content = "---\nDate: October 15, 2021\n---\n\nA draft\n";
        let posts = read_at(InputFormat::MarkdownFrontMatter, "draft.md", content).unwrap();
        assert_eq!(
            posts[0].created_at.map(|time| time.to_rfc3339()),
            Some("2021-10-15T00:00:00+00:00".to_string())
        );
        let posts = read_at(
            InputFormat::MarkdownFrontMatter,
            "tweets/2021-Jul-28.md",
            "Hi",
        )
        .unwrap();
        assert_eq!(texts(&posts), ["Hi"]);
        assert_eq!(posts[0].origin.location, text_at(1, 1));
        assert_eq!(
            posts[0]
                .created_at
                .map(|time| time.date_naive().to_string()),
            Some("2021-07-28".to_string())
        );
        assert!(
            read_at(
                InputFormat::MarkdownFrontMatter,
                "x.md",
                "---\nDate: x\n---\n \n"
            )
            .unwrap()
            .is_empty()
        );
        assert!(
            read_at(InputFormat::MarkdownFrontMatter, "x.md", "")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn markdown_is_claimed_only_when_it_is_a_post() {
        let sniff_md = |path: &str, content: &str| sniff(Some(Path::new(path)), content);
        let markdown = Some(InputFormat::MarkdownFrontMatter);
        let front = "---\nplatform: threads\n---\n\nHello";
        assert_eq!(sniff_md("notes/idea.md", front), markdown);
        assert_eq!(
            sniff_md("idea.markdown", "--- \nDate: May 1, 2024\n---\nHi"),
            markdown
        );
        assert_eq!(sniff_md("tweets/2021-Jul-28.md", "Hi"), markdown);
        assert_eq!(sniff_md("August 20, 2021.md", "Hi"), markdown);
        assert_eq!(sniff_md("2025-10-26-launch.md", "Hi"), markdown);
        assert_eq!(sniff_md("repo/social/linkedin/idea.md", "Hi"), markdown);
        assert_eq!(sniff_md("Drafts/idea.md", "Hi"), markdown);
        for (path, content) in [
            ("README.md", "# Project"),
            ("tweets/README.md", "How to add a tweet"),
            ("docs/guide.md", "# Guide\n\n---\n\nMore"),
            (
                "docs/npm-ci.md",
                "---\ntitle: npm-ci\nsection: 1\n---\n\n# npm ci",
            ),
            (
                ".github/ISSUE_TEMPLATE/bug.md",
                "---\nname: Bug report\nabout: Tell us\nlabels: ''\n---\n\nWhat happened?",
            ),
            (
                "posts/2024-01-01-hello.md",
                "---\nlayout: post\ntitle: Hello\n---\n\nBlog",
            ),
            ("notes.md", "---\nJust prose between rules\n---\n"),
            ("Mayday 5 2020.md", "Hi"),
            ("2021-13-45.md", "Hi"),
            ("posts.md", "Hi"),
            ("idea.txt", front),
        ] {
            assert_eq!(sniff_md(path, content), None, "{path}");
        }
        assert_eq!(sniff(None, front), None);
    }

    #[test]
    fn dates_in_file_names() {
        let date = |name: &str| date_in_name(Path::new(name)).map(|date| date.to_string());
        assert_eq!(date("2021-Jul-28.md").as_deref(), Some("2021-07-28"));
        assert_eq!(
            date("reidjs_tweets_2021-Jul-28.md").as_deref(),
            Some("2021-07-28")
        );
        assert_eq!(date("August 20, 2021.md").as_deref(), Some("2021-08-20"));
        assert_eq!(date("sept 3rd 2022.md").as_deref(), Some("2022-09-03"));
        assert_eq!(
            date("2025-10-26-ai-system.md").as_deref(),
            Some("2025-10-26")
        );
        assert_eq!(date("2025_01_02.md").as_deref(), Some("2025-01-02"));
        assert_eq!(date("v2025-10-26.md"), None);
        assert_eq!(date("2021-Jux-28.md"), None);
        assert_eq!(date("release-2.md"), None);
    }

    #[test]
    fn times_written_by_people() {
        let when = |text: &str| parse_when(text).map(|time| time.to_rfc3339());
        assert_eq!(
            when("2026-06-08T09:00:00+00:00").as_deref(),
            Some("2026-06-08T09:00:00+00:00")
        );
        assert_eq!(
            when("2025-10-26T14:00:00").as_deref(),
            Some("2025-10-26T14:00:00+00:00")
        );
        assert_eq!(
            when("2025-10-26 14:00").as_deref(),
            Some("2025-10-26T14:00:00+00:00")
        );
        assert_eq!(
            when("2025-10-26").as_deref(),
            Some("2025-10-26T00:00:00+00:00")
        );
        assert_eq!(
            when("October 5, 2021").as_deref(),
            Some("2021-10-05T00:00:00+00:00")
        );
        assert_eq!(when("soon"), None);
        assert_eq!(when(""), None);
    }

    fn yaml(path: &str, content: &str) -> Result<Vec<Post>> {
        read_at(InputFormat::Yaml, path, content)
    }

    fn record(post: &Post) -> (u32, Option<u32>) {
        match post.origin.location {
            Location::Record { record, line } => (record, line),
            Location::Text { .. } => panic!("YAML posts are records"),
        }
    }

    #[test]
    fn yaml_text_document_is_one_post() {
        let content = "# a tweet\nplatform: bluesky\ntext: |-\n  Line one\n  \n  Line two\ndate: 2024-02-03\n";
        let posts = yaml("social/tweets/a.yaml", content).unwrap();
        assert_eq!(texts(&posts), ["Line one\n\nLine two"]);
        assert_eq!(record(&posts[0]), (1, Some(3)));
        assert_eq!(posts[0].platform, Some(Platform::Bluesky));
        assert!(posts[0].created_at.is_some());
        assert_eq!(
            sniff(Some(Path::new("a.yml")), content),
            Some(InputFormat::Yaml)
        );
    }

    #[test]
    fn yaml_map_is_one_post_per_key_in_file_order() {
        let content = "zeta/last: |-\n  Z text\n\n  more\n\"alpha/first\": A text\nmiddle:\n2024-05-01T10:00:00Z: >-\n  folded\n  text\n";
        let posts = yaml("tweets.yaml", content).unwrap();
        assert_eq!(texts(&posts), ["Z text\n\nmore", "A text", "folded text"]);
        let ids: Vec<_> = posts.iter().map(|post| post.id.as_deref()).collect();
        assert_eq!(
            ids,
            [
                Some("zeta/last"),
                Some("alpha/first"),
                Some("2024-05-01T10:00:00Z")
            ]
        );
        let records: Vec<_> = posts.iter().map(record).collect();
        assert_eq!(records, [(1, Some(1)), (2, Some(5)), (4, Some(7))]);
        assert!(posts[2].created_at.is_some());
    }

    #[test]
    fn yaml_lists_of_texts_or_records() {
        let posts = yaml(
            "queue.yml",
            "---\n- First post\n- |\n  Second\n  post\n-\n- Third\n",
        )
        .unwrap();
        assert_eq!(texts(&posts), ["First post", "Second\npost", "Third"]);
        let records: Vec<_> = posts.iter().map(record).collect();
        assert_eq!(records, [(1, Some(2)), (2, Some(3)), (4, Some(7))]);

        let content = "account: me\nposts:\n  - date: '2024-01-02'\n    message: Daily tip one\n  - id: 7\n    text: Daily tip two\n    channel: mastodon\nother: x\n";
        let posts = yaml("daily.yaml", content).unwrap();
        assert_eq!(texts(&posts), ["Daily tip one", "Daily tip two"]);
        assert_eq!(record(&posts[1]), (2, Some(5)));
        assert_eq!(posts[1].id.as_deref(), Some("7"));
        assert_eq!(posts[1].platform, Some(Platform::Mastodon));
        assert_eq!(
            posts[0].created_at.map(|time| time.to_rfc3339()),
            Some("2024-01-02T00:00:00+00:00".to_string())
        );
        // Flow style: lines unknown, posts still read.
        let posts = yaml("q.yaml", "posts: [one, two]").unwrap();
        assert_eq!(
            posts.iter().map(record).collect::<Vec<_>>(),
            [(1, None), (2, None)]
        );
    }

    #[test]
    fn yaml_that_is_not_a_queue_is_an_error() {
        for (content, expected) in [
            ("name: CI\non:\n  push: {}\n", "in: expected a YAML queue"),
            (
                "- text: [1]\n",
                "in: record 1: `text` must be a string, found a list",
            ),
            (
                "- id: x\n  message: 3\n",
                "in: record 1 (id x): `message` must be a string",
            ),
            ("text: {a: b}\n", "in: `text` must be a string, found a map"),
            ("a: b\n  c: d: e\n", "in:2:4: invalid YAML"),
            ("a: 1\na: 2\n", "in:1:1: invalid YAML: duplicate entry"),
        ] {
            let error = yaml("q.yaml", content).unwrap_err().to_string();
            assert!(error.starts_with(expected), "{content:?}: {error}");
        }
        assert!(yaml("q.yaml", "").unwrap().is_empty());
        assert!(yaml("q.yaml", "# nothing yet\n").unwrap().is_empty());
    }

    #[test]
    fn yaml_is_claimed_only_in_queue_shapes() {
        let sniff_yaml = |path: &str, content: &str| sniff(Some(Path::new(path)), content);
        let claimed = Some(InputFormat::Yaml);
        assert_eq!(
            sniff_yaml("social/tweets.yaml", "a/b: |-\n  Hi\nc: Yo\n"),
            claimed
        );
        assert_eq!(sniff_yaml("x.yml", "text: Hello"), claimed);
        assert_eq!(sniff_yaml("x.yml", "posts:\n  - message: Hi\n"), claimed);
        assert_eq!(sniff_yaml("x.yml", "- text: Hi\n"), claimed);
        assert_eq!(sniff_yaml("my-queue.yml", "- Hi\n- Yo\n"), claimed);
        assert_eq!(
            sniff_yaml(
                "x.yml",
                "one: |\n  A post with\n  two lines\ntwo: This one is long enough to read like a real post.\n"
            ),
            claimed
        );
        // A broken file named for posts is reported, not skipped.
        assert_eq!(sniff_yaml("tweets.yaml", "a: [\n"), claimed);
        for (path, content) in [
            (
                ".github/workflows/ci.yml",
                "name: CI\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
            ),
            (
                "social/state.yaml",
                "currentIndex: 3\nlastPostedKey: a/b\nlastTweetId: '1'\nlastPostedAt: 2024-01-01T00:00:00Z\n",
            ),
            (
                "Chart.yaml",
                "apiVersion: v2\nname: app\ndescription: A Helm chart\nversion: 0.1.0\n",
            ),
            ("words.yml", "- foo\n- bar\n"),
            ("config.yml", "a: [\n"),
            ("empty.yaml", ""),
            ("tweets.yaml", "  \n"),
            ("tweets.json", "text: Hello"),
        ] {
            assert_eq!(sniff_yaml(path, content), None, "{path}");
        }
    }

    #[test]
    fn tweet_files_are_claimed_by_extension() {
        assert_eq!(
            sniff(Some(Path::new("tweets/2024/a.TWEET")), "anything"),
            Some(InputFormat::TwitterTogetherTweet)
        );
        assert_eq!(sniff(Some(Path::new("a.txt")), "anything"), None);
    }

    fn allows(posts: &[Post]) -> Vec<Option<(Vec<&str>, &str)>> {
        posts
            .iter()
            .map(|post| {
                post.allow().map(|allow| {
                    (
                        allow.rules.iter().map(String::as_str).collect(),
                        allow.reason.as_str(),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn suppressions_in_front_matter_and_yaml_records() {
        let thread = "---\nhygiene:\n  allow: [click-to-tweet]\n  reason: quoting the talk\n---\n\n\
                      Tweet this: talk is cheap\n\n---\n\nsecond part";
        assert_eq!(
            allows(&tweet(thread)),
            vec![Some((vec!["click-to-tweet"], "quoting the talk")), None]
        );
        let markdown = "---\nplatform: linkedin\nhygiene: {allow: [shouting, over-length], reason: a title}\n---\nBIG";
        let posts = read_at(InputFormat::MarkdownFrontMatter, "posts/a.md", markdown).unwrap();
        assert_eq!(
            allows(&posts),
            vec![Some((vec!["shouting", "over-length"], "a title"))]
        );
        let queue = "posts:\n  - text: BIG\n    hygiene: {allow: [shouting], reason: a title}\n  - text: small\n";
        assert_eq!(
            allows(&yaml("queue.yml", queue).unwrap()),
            vec![Some((vec!["shouting"], "a title")), None]
        );
    }

    #[test]
    fn a_suppression_without_reason_is_an_error_at_the_front_matter() {
        let tweet = "first\n\n---\n\n---\nhygiene: {allow: [shouting]}\n---\nBIG";
        let error = read_at(InputFormat::TwitterTogetherTweet, "t.tweet", tweet)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("in:5: front matter: `hygiene` must be")
                && error.contains("needs a `reason`"),
            "{error}"
        );
        let error = yaml(
            "queue.yml",
            "- text: BIG\n  hygiene: {allow: shouting, reason: x}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("in: record 1") && error.contains("`allow` must list"),
            "{error}"
        );
    }
}
