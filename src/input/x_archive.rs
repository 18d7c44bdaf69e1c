//! X (Twitter) account archives: `tweets.js`, `tweet.js`, `note-tweet.js`, `direct-messages.js`, `direct-messages-group.js`, `account.js`.
//!
//! Every file is a JavaScript assignment, `window.YTD.<name>.part<N> = [ … ]`: everything up to
//! the first `=` is dropped and the rest read as a JSON array (every number in it is a string).
//! The name says what the file holds; files with other names (`like.js`, `follower.js`, …) hold
//! no posts and are not claimed.
//!
//! * `tweets.js` / `tweet.js`: each `{"tweet": …}` item (or, in the earliest layout, a bare
//!   tweet object) is a repost when `full_text` starts with `RT @`, else a reply when it carries
//!   an `in_reply_to_status_id(_str)`, else a post. The text is `full_text` with its HTML
//!   entities decoded; links are `entities.urls[].expanded_url` (the text only has `t.co`).
//! * `note-tweet.js`: each `noteTweet` is a post whose text is `core.text` as is (not escaped).
//!   A long tweet appears truncated in `tweets.js` and in full here, with no id linking the two;
//!   [`merge_note_tweets`] pairs them by creation second and common text prefix.
//! * `direct-messages.js`, `direct-messages-group.js`: each `messageCreate` is a DM (other
//!   events such as `joinConversation` are not messages); text HTML-decoded, links from
//!   `urls[].expanded`, file order kept (conversations list their newest message first).
//!   A message is received when its sender is not the owner. The owner's id comes from
//!   `account.js`; without it, the owner is the one id every conversation of the file has in
//!   common (both ids of a 1:1 `conversationId` `"<a>-<b>"`, and the senders and participant
//!   lists of group conversations), which an archive's owner always is. When that does not
//!   decide (one conversation, or no single common id), every message is taken as sent, so it is
//!   judged rather than silently excused.
//! * `account.js`: the owner (`accountId`, `username`); no posts.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use anyhow::{Result, bail};
use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use regex::Regex;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess};
use serde_json::{Map, Value};

use super::fields::{FieldSet, Loose, Scalar, deserialize_fields};
use super::json::syntax_error;
use super::{ReadContext, describe, prefix};
use crate::post::{InputFormat, Location, Origin, Platform, Post, PostKind};

/// How much of a file the sniffer looks at: the assignment is on the first line.
pub(super) const SNIFF_PREFIX_BYTES: usize = 512;

/// `created_at` of a tweet: `Sat Nov 09 12:14:18 +0000 2024`, as `strftime` items parsed once
/// (`DateTime::parse_from_str` parses its format again for every tweet).
static TWEET_TIME: LazyLock<Vec<Item<'static>>> = LazyLock::new(|| {
    StrftimeItems::new("%a %b %d %H:%M:%S %z %Y")
        .parse()
        .expect("a valid format")
});

/// A tweet's `created_at` (see [`TWEET_TIME`]).
fn tweet_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, TWEET_TIME.iter()).ok()?;
    parsed.to_datetime().ok()
}

/// The assignment that opens every archive data file, with the data set's name.
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^window\.YTD\.([A-Za-z0-9_]+)\.part[0-9]+\s*=").expect("valid regex")
});

/// The format of `content`, when it is an X archive file.
pub(super) fn sniff(_path: Option<&Path>, content: &str) -> Option<InputFormat> {
    let head = prefix(content.trim_start(), SNIFF_PREFIX_BYTES);
    let name = ASSIGNMENT.captures(head)?.get(1)?.as_str();
    match name {
        "tweets" | "tweet" => Some(InputFormat::XTweetsJs),
        "note_tweet" => Some(InputFormat::XNoteTweetJs),
        "direct_messages" => Some(InputFormat::XDirectMessagesJs),
        "direct_messages_group" => Some(InputFormat::XDirectMessagesGroupJs),
        "account" => Some(InputFormat::XAccountJs),
        _ => None,
    }
}

/// Whether `content` is an X archive data file (`window.YTD.<name>.partN = …`), of any kind:
/// those hygiene does not read (likes, followers, ad data) hold no posts, even named by hand.
pub(super) fn is_archive_data(content: &str) -> bool {
    ASSIGNMENT.is_match(prefix(content.trim_start(), SNIFF_PREFIX_BYTES))
}

/// Appends the posts of `content` (in `format`) to `posts`.
pub(super) fn read(
    format: InputFormat,
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    match format {
        InputFormat::XNoteTweetJs => {
            read_note_tweets(context, &parse_items(context.name, content)?, posts)
        }
        InputFormat::XDirectMessagesJs | InputFormat::XDirectMessagesGroupJs => {
            read_direct_messages(context, &parse_items(context.name, content)?, posts)
        }
        // The owner's account: it tells sent DMs from received ones, and holds no posts.
        InputFormat::XAccountJs => Ok(()),
        _ => tweets_in_parallel(context, content, TWEETS_RUN_BYTES, posts).unwrap_or_else(|| {
            read_tweets(context, 0, &parse_items(context.name, content)?, posts)
        }),
    }
}

/// About how many bytes of `tweets.js` each core parses at a time (see [`tweets_in_parallel`]).
const TWEETS_RUN_BYTES: usize = 256 << 10;

/// Appends the posts of a large `tweets.js` to `posts`, parsed on all cores a run of about
/// `run_bytes` of whole tweets at a time; `None`, having appended nothing, when the file is not
/// cut that way (under two runs, not laid out as X writes it, or not valid: the file is then
/// read in one piece, which says where it broke).
///
/// The file is cut after a tweet's closing brace where it is the first character of its line,
/// indented as the first tweet's line is (`  },` or `}, {`, as X writes them): a line break
/// cannot be inside a JSON string, so such a brace is the JSON's own. One of a nested object
/// that happens to be indented alike makes a run that does not parse, and the file is read in
/// one piece. Each run is parsed as an array of its own (copied between brackets), so it nests
/// as deep as in the whole array. The posts, their record numbers and the first error are those
/// of reading the file in one piece. A 5 MB archive's `tweets.js` took 16–18 ms on one core.
fn tweets_in_parallel(
    context: ReadContext<'_>,
    content: &str,
    run_bytes: usize,
    posts: &mut Vec<Post>,
) -> Option<Result<()>> {
    let elements = array_json(content)?.strip_prefix('[')?.strip_suffix(']')?;
    let runs = element_runs(elements, run_bytes)?;
    let arrays: Vec<String> = runs
        .par_iter()
        .map(|run| ["[", &elements[run.clone()], "]"].concat())
        .collect();
    let items: Vec<Vec<Loose<'_, Tweet<'_>>>> = arrays
        .par_iter()
        .map(|array| serde_json::from_str(array).ok())
        .collect::<Option<_>>()?;
    let firsts: Vec<usize> = items
        .iter()
        .scan(0, |records, items| {
            let first = *records;
            *records += items.len();
            Some(first)
        })
        .collect();
    let read: Vec<Result<Vec<Post>>> = items
        .par_iter()
        .zip(firsts)
        .map(|(items, first)| {
            let mut posts = Vec::new();
            read_tweets(context, first, items, &mut posts).map(|()| posts)
        })
        .collect();
    posts.reserve(read.iter().flatten().map(Vec::len).sum());
    Some(
        read.into_iter()
            .try_for_each(|run| run.map(|run| posts.extend(run))),
    )
}

/// Runs of whole elements of `elements` (an array's, between its brackets), of about
/// `run_bytes` each: cut at the comma after a closing brace that starts a line indented as
/// the first element's line (see [`tweets_in_parallel`]). `None` when that gives one run.
fn element_runs(elements: &str, run_bytes: usize) -> Option<Vec<Range<usize>>> {
    let first = elements.find(|c: char| !c.is_ascii_whitespace())?;
    let before = &elements[..first];
    // The first element's line is the array's own (`= [ {`) or a line of its own (`  {`).
    let indent = before.rfind('\n').map_or(0, |line| first - line - 1);
    if !before[first - indent..].bytes().all(|byte| byte == b' ') {
        return None;
    }
    let closing = format!("\n{}}}", " ".repeat(indent));
    let finder = memchr::memmem::Finder::new(closing.as_bytes());
    let bytes = elements.as_bytes();
    let mut runs = Vec::new();
    let (mut start, mut from) = (0, run_bytes);
    while from < bytes.len() {
        let Some(found) = finder.find(&bytes[from..]) else {
            break;
        };
        let after = from + found + closing.len();
        let comma = after
            + bytes[after..]
                .iter()
                .take_while(|&&byte| byte == b' ')
                .count();
        if bytes.get(comma) == Some(&b',') {
            runs.push(start..comma);
            start = comma + 1;
            from = comma + run_bytes;
        } else {
            from = after;
        }
    }
    // A comma after the last element (a trailing comma, which JSON does not allow) would
    // leave a last run of white space, an empty array that parses.
    if bytes[start..].iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    runs.push(start..bytes.len());
    (runs.len() > 1).then_some(runs)
}

/// The owner's account id and username, when `content` is an `account.js`.
pub(super) fn owner_from_account_js(content: &str) -> Option<(String, String)> {
    if sniff(None, content) != Some(InputFormat::XAccountJs) {
        return None;
    }
    let items: Vec<Value> = parse_items("account.js", content).ok()?;
    items.iter().find_map(|item| {
        let account = item.get("account")?.as_object()?;
        let id = field_id(account, &["accountId"])?;
        let username = string(account, "username")
            .map(|name| name.trim().trim_start_matches('@'))
            .filter(|name| !name.is_empty())?;
        Some((id, username.to_string()))
    })
}

/// Replaces the truncated text of long posts read from `posts[from..]` with the full text of
/// their `note-tweet.js` twins read in the same group, dropping the twins.
///
/// A tweet is truncated when its text ends with `…`, optionally followed by a `t.co` link (to
/// the full post). Its twin is a post read from another file, written on X in the same second,
/// whose text starts with the tweet's text before the `…` and goes on. The tweet keeps its id,
/// origin, kind and links (the note's links that it lacks are added: links past the cut are
/// only known to the note); each note completes at most one tweet.
pub(super) fn merge_note_tweets(posts: &mut Vec<Post>, from: usize) {
    let Some(group) = posts.get(from..) else {
        return;
    };
    // Candidate notes by creation second.
    let mut by_second: HashMap<i64, Vec<usize>> = HashMap::new();
    for (index, post) in group.iter().enumerate() {
        if post.kind == PostKind::Post
            && post.platform == Some(Platform::X)
            && !post.received
            && let Some(time) = post.created_at
        {
            by_second.entry(time.timestamp()).or_default().push(index);
        }
    }
    let mut merged: Vec<(usize, usize)> = Vec::new();
    let mut used: HashSet<usize> = HashSet::new();
    for (index, tweet) in group.iter().enumerate() {
        if !matches!(
            tweet.kind,
            PostKind::Post | PostKind::Reply | PostKind::Quote
        ) || tweet.platform != Some(Platform::X)
            || tweet.received
        {
            continue;
        }
        let (Some(time), Some(start)) = (tweet.created_at, truncated_prefix(&tweet.text)) else {
            continue;
        };
        let Some(candidates) = by_second.get(&time.timestamp()) else {
            continue;
        };
        let twin = candidates.iter().copied().find(|&note| {
            let candidate = &group[note];
            note != index
                && !used.contains(&note)
                && candidate.origin.source != tweet.origin.source
                && candidate.text.len() > start.len()
                && candidate.text.starts_with(start)
                && truncated_prefix(&candidate.text).is_none()
        });
        if let Some(note) = twin {
            used.insert(note);
            merged.push((index, note));
        }
    }
    if merged.is_empty() {
        return;
    }
    for &(tweet, note) in &merged {
        let (text, links) = {
            let note = &posts[from + note];
            (note.text.clone(), note.links().to_vec())
        };
        let tweet = &mut posts[from + tweet];
        tweet.text = text;
        let mut merged_links = tweet.links().to_vec();
        for link in links {
            if !merged_links.contains(&link) {
                merged_links.push(link);
            }
        }
        tweet.set_links(merged_links);
    }
    let mut index = 0;
    posts.retain(|_| {
        let keep = index < from || !used.contains(&(index - from));
        index += 1;
        keep
    });
}

/// The text of a truncated long tweet before its `…` (without the `t.co` link that may follow
/// it), or `None` when `text` is not truncated.
fn truncated_prefix(text: &str) -> Option<&str> {
    // Most tweets have no `…` at all: no need to look for a link first.
    if !text.contains('…') {
        return None;
    }
    let mut rest = text.trim_end();
    let link = ["https://t.co/", "http://t.co/"]
        .iter()
        .filter_map(|shortener| rest.rfind(shortener))
        .max();
    if let Some(link) = link
        && rest
            .get(link..)
            .is_some_and(|url| !url.contains(char::is_whitespace))
    {
        rest = rest.get(..link).unwrap_or(rest).trim_end();
    }
    let start = rest.strip_suffix('…')?.trim_end();
    (!start.is_empty()).then_some(start)
}

/// The JSON array of a `window.YTD.<name>.part<N> = [ … ]` file (a bare JSON array is accepted
/// too). Syntax errors point at the line and column of the file, assignment included.
fn parse_items<'c, T: Deserialize<'c>>(name: &str, content: &'c str) -> Result<Vec<T>> {
    let Some(start) = json_start(content) else {
        bail!(
            "{name}:1:1: expected an X archive file (`window.YTD.<name>.part0 = [ … ]`), found {}",
            describe_start(content.trim_start())
        );
    };
    let json = json_from(content, start);
    let typed_error = match serde_json::from_str::<Vec<T>>(json) {
        Ok(items) => return Ok(items),
        Err(error) => error,
    };
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Array(_)) => Err(syntax_error(name, None, &typed_error)),
        Ok(other) => bail!(
            "{name}: expected the assignment of a JSON array, found {}",
            describe(&other)
        ),
        Err(_) => {
            // Parse again with the assignment blanked out, so the position is the file's.
            let mut padded = String::with_capacity(start + json.len());
            for c in content.get(..start).unwrap_or_default().chars() {
                padded.push(if c == '\n' { '\n' } else { ' ' });
            }
            padded.push_str(json);
            match serde_json::from_str::<IgnoredAny>(&padded) {
                Err(error) => Err(syntax_error(name, None, &error)),
                Ok(_) => bail!("{name}: invalid JSON after the assignment"),
            }
        }
    }
}

/// Where the JSON of an archive file starts: after the assignment's `=`, or at once for a bare
/// array; `None` when it is neither.
fn json_start(content: &str) -> Option<usize> {
    let trimmed = content.trim_start();
    if trimmed.starts_with('[') {
        Some(0)
    } else if trimmed.starts_with("window.YTD.") {
        content.find('=').map(|equals| equals + 1)
    } else {
        None
    }
}

/// The JSON of an archive file from `start` ([`json_start`]) on: without the white space
/// around it and the `;` a script may end its statement with.
fn json_from(content: &str, start: usize) -> &str {
    let json = content.get(start..).unwrap_or_default().trim_end();
    json.strip_suffix(';').unwrap_or(json)
}

/// The JSON array of an archive file, trimmed, when it has the shape of one.
fn array_json(content: &str) -> Option<&str> {
    Some(json_from(content, json_start(content)?).trim_start())
}

/// The origin of the `record`-th (1-based) record of the file.
fn origin(context: &ReadContext<'_>, record: usize) -> Origin {
    Origin {
        source: context.source,
        location: Location::Record {
            record: u32::try_from(record).unwrap_or(u32::MAX),
            line: None,
        },
    }
}

/// `name: record N (id X)`, or without the id when it is not known.
fn place(name: &str, record: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("{name}: record {record} (id {id})"),
        None => format!("{name}: record {record}"),
    }
}

/// Appends to `posts` those of `items`, the records of the file that follow its first
/// `first_record`.
fn read_tweets(
    context: ReadContext<'_>,
    first_record: usize,
    items: &[Loose<'_, Tweet<'_>>],
    posts: &mut Vec<Post>,
) -> Result<()> {
    let name = context.name;
    posts.reserve(items.len());
    for (index, item) in items.iter().enumerate() {
        let record = first_record + index + 1;
        let tweet = match item {
            // 2019 archives and later wrap each tweet; the earliest ones did not.
            Loose::Object(item) => match &item.tweet {
                Some(Loose::Object(tweet)) => tweet.as_ref(),
                None if !item.full_text.is_absent() || !item.id_str.is_absent() => item,
                _ => bail!(
                    "{}: expected a `{{\"tweet\": {{…}}}}` item",
                    place(name, record, None)
                ),
            },
            Loose::Scalar(other) => bail!(
                "{}: expected a `{{\"tweet\": {{…}}}}` item, found {}",
                place(name, record, None),
                other.describe()
            ),
        };
        let id = tweet.id_str.id().or_else(|| tweet.id.id());
        let at = || place(name, record, id.as_deref());
        let text = match (&tweet.full_text, &tweet.text) {
            (Scalar::Absent, other) | (other, _) => other,
        };
        let raw = match text {
            Scalar::Str(text) => text.as_ref(),
            Scalar::Absent | Scalar::Null => "",
            other => bail!(
                "{}: `full_text` must be a string, found {}",
                at(),
                other.describe()
            ),
        };
        let decoded = html_escape::decode_html_entities(raw);
        let text = decoded.trim();
        let reply_to = tweet
            .in_reply_to_status_id_str
            .id()
            .or_else(|| tweet.in_reply_to_status_id.id());
        let kind = if text.starts_with("RT @") {
            PostKind::Repost
        } else if reply_to.is_some() {
            PostKind::Reply
        } else {
            PostKind::Post
        };
        if text.is_empty() && kind != PostKind::Repost {
            continue;
        }
        let mut post = Post::new(text.to_string(), kind, origin(&context, record));
        post.id = id.map(Into::into);
        post.created_at = tweet
            .created_at
            .str()
            .and_then(|time| tweet_time(time.trim()));
        post.platform = Some(Platform::X);
        if kind == PostKind::Reply {
            post.set_in_reply_to(reply_to);
            post.set_to(
                tweet
                    .in_reply_to_screen_name
                    .str()
                    .map(str::trim)
                    .filter(|handle| !handle.is_empty())
                    .map(|handle| format!("@{handle}")),
            );
        }
        if let Some(Loose::Object(entities)) = &tweet.entities {
            post.set_links(links(entities.urls.as_ref(), "expanded_url"));
        }
        posts.push(post);
    }
    Ok(())
}

/// A tweet in `tweets.js`, with only the fields hygiene reads: the rest are skipped without
/// being built (a `Value` of every tweet was two thirds of reading a 5 MB archive). An item is
/// `{"tweet": {…}}`, or in the earliest layout the tweet itself, so both are read as one.
#[derive(Default)]
struct Tweet<'a> {
    tweet: Option<Loose<'a, Box<Tweet<'a>>>>,
    id_str: Scalar<'a>,
    id: Scalar<'a>,
    full_text: Scalar<'a>,
    text: Scalar<'a>,
    in_reply_to_status_id_str: Scalar<'a>,
    in_reply_to_status_id: Scalar<'a>,
    created_at: Scalar<'a>,
    in_reply_to_screen_name: Scalar<'a>,
    entities: Option<Loose<'a, Entities>>,
}

/// A tweet's `entities`, with only its links: its hashtags and mentions (with their ids,
/// names and offsets) are skipped, not built (building them was a fifth of reading a tweet).
#[derive(Default)]
struct Entities {
    urls: Option<Value>,
}

impl<'de> FieldSet<'de> for Entities {
    fn read<M: MapAccess<'de>>(&mut self, key: &str, map: &mut M) -> Result<bool, M::Error> {
        if key != "urls" {
            return Ok(false);
        }
        self.urls = Some(map.next_value()?);
        Ok(true)
    }
}

impl<'de> Deserialize<'de> for Entities {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_fields::<Entities, D>(deserializer)
    }
}

impl<'de> FieldSet<'de> for Tweet<'de> {
    fn read<M: MapAccess<'de>>(&mut self, key: &str, map: &mut M) -> Result<bool, M::Error> {
        let field = match key {
            "tweet" => {
                self.tweet = Some(map.next_value()?);
                return Ok(true);
            }
            "entities" => {
                self.entities = Some(map.next_value()?);
                return Ok(true);
            }
            "id_str" => &mut self.id_str,
            "id" => &mut self.id,
            "full_text" => &mut self.full_text,
            "text" => &mut self.text,
            "in_reply_to_status_id_str" => &mut self.in_reply_to_status_id_str,
            "in_reply_to_status_id" => &mut self.in_reply_to_status_id,
            "created_at" => &mut self.created_at,
            "in_reply_to_screen_name" => &mut self.in_reply_to_screen_name,
            _ => return Ok(false),
        };
        *field = map.next_value()?;
        Ok(true)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Tweet<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_fields::<Tweet<'de>, D>(deserializer)
    }
}

fn read_note_tweets(
    context: ReadContext<'_>,
    items: &[Value],
    posts: &mut Vec<Post>,
) -> Result<()> {
    let name = context.name;
    posts.reserve(items.len());
    for (index, item) in items.iter().enumerate() {
        let record = index + 1;
        let Some(Value::Object(note)) = item.get("noteTweet") else {
            bail!(
                "{}: expected a `{{\"noteTweet\": {{…}}}}` item, found {}",
                place(name, record, None),
                describe(item)
            );
        };
        let id = field_id(note, &["noteTweetId"]);
        let at = || place(name, record, id.as_deref());
        let core = match note.get("core") {
            Some(Value::Object(core)) => core,
            _ => bail!("{}: expected a `core` object with the note's `text`", at()),
        };
        let text = match core.get("text") {
            Some(Value::String(text)) => text.trim(),
            None | Some(Value::Null) => "",
            Some(other) => bail!(
                "{}: `core.text` must be a string, found {}",
                at(),
                describe(other)
            ),
        };
        if text.is_empty() {
            continue;
        }
        let mut post = Post::new(text.to_string(), PostKind::Post, origin(&context, record));
        post.id = id.map(Into::into);
        post.created_at = timestamp(note.get("createdAt"));
        post.platform = Some(Platform::X);
        post.set_links(links(core.get("urls"), "expandedUrl"));
        posts.push(post);
    }
    Ok(())
}

/// One conversation of a DM file: its id and its events.
struct Conversation<'a> {
    id: Option<String>,
    events: &'a [Value],
}

fn read_direct_messages(
    context: ReadContext<'_>,
    items: &[Value],
    posts: &mut Vec<Post>,
) -> Result<()> {
    let name = context.name;
    let mut conversations = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let Some(Value::Object(conversation)) = item.get("dmConversation") else {
            bail!(
                "{name}: conversation {}: expected a `{{\"dmConversation\": {{…}}}}` item, found {}",
                index + 1,
                describe(item)
            );
        };
        let id = field_id(conversation, &["conversationId"]);
        let events = match conversation.get("messages") {
            Some(Value::Array(events)) => events.as_slice(),
            other => bail!(
                "{name}: conversation {}{}: expected a `messages` array, found {}",
                index + 1,
                id.as_deref()
                    .map(|id| format!(" (id {id})"))
                    .unwrap_or_default(),
                other.map_or("nothing", describe)
            ),
        };
        conversations.push(Conversation { id, events });
    }
    let owner = context
        .owner
        .x_account_id
        .clone()
        .or_else(|| infer_owner(&conversations));
    let mut record = 0;
    for (number, conversation) in conversations.iter().enumerate() {
        for event in conversation.events {
            let Some(message) = event.get("messageCreate") else {
                // `joinConversation`, `participantsLeave`, `conversationNameUpdate` …
                if !event.is_object() {
                    bail!(
                        "{name}: conversation {}{}: expected message events (objects), found {}",
                        number + 1,
                        conversation
                            .id
                            .as_deref()
                            .map(|id| format!(" (id {id})"))
                            .unwrap_or_default(),
                        describe(event)
                    );
                }
                continue;
            };
            record += 1;
            let Value::Object(message) = message else {
                bail!(
                    "{}: `messageCreate` must be an object, found {}",
                    place(name, record, None),
                    describe(message)
                );
            };
            let id = field_id(message, &["id"]);
            let at = || place(name, record, id.as_deref());
            let raw = match message.get("text") {
                Some(Value::String(text)) => text.as_str(),
                None | Some(Value::Null) => "",
                Some(other) => bail!(
                    "{}: `text` must be a string, found {}",
                    at(),
                    describe(other)
                ),
            };
            let decoded = html_escape::decode_html_entities(raw);
            let text = decoded.trim();
            if text.is_empty() {
                continue;
            }
            let sender = field_id(message, &["senderId"]);
            let received = match (&owner, &sender) {
                (Some(owner), Some(sender)) => sender != owner,
                _ => false,
            };
            let mut post = Post::new(text.to_string(), PostKind::Dm, origin(&context, record));
            post.id = id.map(Into::into);
            post.created_at = timestamp(message.get("createdAt"));
            post.platform = Some(Platform::X);
            post.received = received;
            if !received {
                post.set_to(field_id(message, &["recipientId"]));
            }
            post.set_links(links(message.get("urls"), "expanded"));
            posts.push(post);
        }
    }
    Ok(())
}

/// The owner of a DM file, when exactly one account takes part in every conversation (the
/// archive's owner always does): both ids of a 1:1 `conversationId` (`"<a>-<b>"`), and the
/// senders, recipients and participant lists of the messages and events.
fn infer_owner(conversations: &[Conversation<'_>]) -> Option<String> {
    let mut common: Option<HashSet<String>> = None;
    for conversation in conversations {
        let mut ids: HashSet<String> = HashSet::new();
        if let Some((a, b)) = conversation.id.as_deref().and_then(|id| id.split_once('-')) {
            ids.extend([a, b].iter().map(|id| id.trim().to_string()));
        }
        for event in conversation.events.iter().filter_map(Value::as_object) {
            for details in event.values().filter_map(Value::as_object) {
                for field in ["senderId", "recipientId", "initiatingUserId"] {
                    ids.extend(field_id(details, &[field]));
                }
                for field in ["participantsSnapshot", "userIds"] {
                    if let Some(Value::Array(list)) = details.get(field) {
                        ids.extend(list.iter().filter_map(id_value));
                    }
                }
            }
        }
        ids.retain(|id| !id.is_empty());
        common = Some(match common {
            None => ids,
            Some(common) => common.intersection(&ids).cloned().collect(),
        });
    }
    let common = common?;
    if common.len() == 1 {
        common.into_iter().next()
    } else {
        None
    }
}

/// The link targets in a list of URL entities (`field` is `expanded_url`, `expanded` or
/// `expandedUrl`), without repeats.
fn links(urls: Option<&Value>, field: &str) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    let Some(Value::Array(urls)) = urls else {
        return links;
    };
    for url in urls {
        if let Some(target) = url
            .get(field)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|target| !target.is_empty())
            && !links.iter().any(|known| known == target)
        {
            links.push(target.to_string());
        }
    }
    links
}

/// The first of `fields` that holds an id (a non-empty string, or a number).
fn field_id(object: &Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields
        .iter()
        .find_map(|field| object.get(*field).and_then(id_value))
}

fn id_value(value: &Value) -> Option<String> {
    match value {
        Value::String(id) if !id.trim().is_empty() => Some(id.trim().to_string()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// A string field, if present.
fn string<'a>(object: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    object.get(field).and_then(Value::as_str)
}

/// An RFC 3339 time (`2012-04-06T20:20:25.000Z`); `None` when absent or unreadable (the time
/// is auxiliary, so an odd one does not stop the run).
fn timestamp(value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(value?.as_str()?.trim()).ok()
}

/// What a file that is not an archive file starts with, for the error message.
fn describe_start(content: &str) -> String {
    let start: String = content.chars().take(20).collect();
    if start.is_empty() {
        "an empty file".to_string()
    } else {
        format!("{start:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Owner, TestFile};

    fn read_as(format: InputFormat, owner: &Owner, content: &str) -> Result<Vec<Post>> {
        let file = TestFile {
            name: "archive.zip!data/x.js",
            owner: owner.clone(),
            ..TestFile::default()
        };
        file.read(read, format, content)
    }

    fn read_str(content: &str) -> Vec<Post> {
        let format = sniff(None, content).expect("an X archive file");
        read_as(format, &Owner::default(), content).unwrap()
    }

    fn texts(posts: &[Post]) -> Vec<&str> {
        posts.iter().map(|post| &*post.text).collect()
    }

    fn kinds(posts: &[Post]) -> Vec<PostKind> {
        posts.iter().map(|post| post.kind).collect()
    }

    #[test]
    fn sniffs_archive_files_by_their_assignment() {
        let cases = [
            (
                "window.YTD.tweets.part0 = [ ]",
                Some(InputFormat::XTweetsJs),
            ),
            ("window.YTD.tweet.part0 = [ {", Some(InputFormat::XTweetsJs)),
            (
                "\n window.YTD.tweets.part12=[",
                Some(InputFormat::XTweetsJs),
            ),
            (
                "window.YTD.note_tweet.part0 = []",
                Some(InputFormat::XNoteTweetJs),
            ),
            (
                "window.YTD.direct_messages.part1 = [",
                Some(InputFormat::XDirectMessagesJs),
            ),
            (
                "window.YTD.direct_messages_group.part0 = [",
                Some(InputFormat::XDirectMessagesGroupJs),
            ),
            (
                "window.YTD.account.part0 = [",
                Some(InputFormat::XAccountJs),
            ),
            ("window.YTD.like.part0 = [", None),
            ("window.YTD.follower.part0 = [", None),
            ("window.YTD.direct_message_headers.part0 = [", None),
            ("window.YTD.tweets = [", None),
            ("Grailbird.data.tweets_2009_04 = [", None),
            (r#"[{"tweet": {"full_text": "hi"}}]"#, None),
            ("window.YTD.tweets.part0 is my favourite variable", None),
            ("", None),
        ];
        for (content, format) in cases {
            assert_eq!(sniff(None, content), format, "{content:?}");
        }
    }

    #[test]
    fn strips_the_assignment_of_both_layouts() {
        // 2022 and later: `tweets.js`, one key per line, `[` and `{` on their own lines.
        let current = "window.YTD.tweets.part0 = [\n  {\n    \"tweet\" : {\n      \"id_str\" : \"2\",\n      \"full_text\" : \"New layout\",\n      \"created_at\" : \"Sat Nov 09 12:14:18 +0000 2024\"\n    }\n  }\n]";
        // 2019–2021: `tweet.js`, Jackson's compact `[ {` … `} ]`.
        let older = "window.YTD.tweet.part0 = [ {\n  \"tweet\" : {\n    \"id_str\" : \"1\",\n    \"full_text\" : \"Old layout a=b\",\n    \"entities\" : { \"urls\" : [ ] }\n  }\n} ]";
        // Big archives split into further parts; the earliest files had no `tweet` wrapper.
        let part = "window.YTD.tweets.part3 = [ { \"id_str\" : \"3\", \"full_text\" : \"Unwrapped\" } ];\n";
        assert_eq!(texts(&read_str(current)), ["New layout"]);
        assert_eq!(texts(&read_str(older)), ["Old layout a=b"]);
        assert_eq!(texts(&read_str(part)), ["Unwrapped"]);
        let post = &read_str(current)[0];
        assert_eq!(post.id.as_deref(), Some("2"));
        assert_eq!(post.platform, Some(Platform::X));
        assert_eq!(
            post.created_at.map(|time| time.to_rfc3339()),
            Some("2024-11-09T12:14:18+00:00".to_string())
        );
        // Forced on a bare JSON array, the array is read as is.
        let bare = r#"[{"tweet": {"id_str": "4", "full_text": "Bare"}}]"#;
        let posts = read_as(InputFormat::XTweetsJs, &Owner::default(), bare).unwrap();
        assert_eq!(texts(&posts), ["Bare"]);
    }

    /// Tweets are read field by field, not as a `Value`, and answer the same: a repeated key
    /// keeps its last value, an id may be a number, escaped text is unescaped, a `null` text is
    /// no text, and a field of another type is still named in the error.
    #[test]
    fn tweet_fields_read_as_a_json_value_would() {
        let content = r#"window.YTD.tweets.part0 = [
  { "tweet" : { "id" : 12, "full_text" : "first", "full_text" : "caf\u00e9 \"ok\"", "extra" : { "a" : [1, {"b": null}] } } },
  { "tweet" : { "id_str" : "13", "full_text" : null, "text" : "not read" } },
  { "id_str" : "14", "full_text" : "@bo hi", "in_reply_to_status_id" : 3, "in_reply_to_screen_name" : " bo " }
]"#;
        let posts = read_str(content);
        assert_eq!(texts(&posts), ["café \"ok\"", "@bo hi"]);
        assert_eq!(posts[0].id.as_deref(), Some("12"));
        assert_eq!(posts[1].in_reply_to(), Some("3"));
        assert_eq!(posts[1].to(), Some("@bo"));
        let error = read_as(
            InputFormat::XTweetsJs,
            &Owner::default(),
            r#"[{"tweet": {"id_str": "15", "full_text": {"a": 1}}}]"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.ends_with("record 1 (id 15): `full_text` must be a string, found an object"),
            "{error}"
        );
    }

    #[test]
    fn decodes_entities_and_trims() {
        let content = r#"window.YTD.tweets.part0 = [
  { "tweet" : { "id_str" : "1", "full_text" : "  Fish &amp; chips &lt;3 &gt; salad &quot;ok&quot; &#39;yes&#39;\n" } },
  { "tweet" : { "id_str" : "2", "full_text" : " \n " } }
]"#;
        let posts = read_str(content);
        assert_eq!(texts(&posts), ["Fish & chips <3 > salad \"ok\" 'yes'"]);
        let dms = r#"window.YTD.direct_messages.part0 = [ { "dmConversation" : { "conversationId" : "1-2", "messages" : [
  { "messageCreate" : { "senderId" : "1", "recipientId" : "2", "id" : "9", "text" : "Tom &amp; Jerry\r\n", "createdAt" : "2020-05-08T15:43:16.110Z" } }
] } } ]"#;
        assert_eq!(texts(&read_str(dms)), ["Tom & Jerry"]);
        // Notes are not escaped: an `&amp;` there was typed as such.
        let notes = r#"window.YTD.note_tweet.part0 = [ { "noteTweet" : { "noteTweetId" : "5", "createdAt" : "2024-01-30T08:14:27.000Z", "core" : { "text" : "Write &amp; as &amp;amp;", "urls" : [ { "shortUrl" : "https://t.co/x", "expandedUrl" : "https://example.com/x" } ] } } } ]"#;
        let posts = read_str(notes);
        assert_eq!(texts(&posts), ["Write &amp; as &amp;amp;"]);
        assert_eq!(posts[0].links(), ["https://example.com/x"]);
        assert_eq!(posts[0].kind, PostKind::Post);
    }

    #[test]
    fn kinds_follow_the_semantics() {
        let content = r#"window.YTD.tweets.part0 = [
  { "tweet" : { "id_str" : "1", "full_text" : "RT @ana: big news…", "in_reply_to_status_id_str" : "7" } },
  { "tweet" : { "id_str" : "2", "full_text" : "@ana agreed", "in_reply_to_status_id_str" : "7", "in_reply_to_screen_name" : "ana" } },
  { "tweet" : { "id_str" : "3", "full_text" : "@ana no status id", "in_reply_to_user_id" : "42" } },
  { "tweet" : { "id_str" : "4", "full_text" : "old twin only", "in_reply_to_status_id" : "8" } },
  { "tweet" : { "id_str" : "5", "full_text" : "empty status id", "in_reply_to_status_id_str" : "" } },
  { "tweet" : { "id_str" : "6", "full_text" : "RT if you agree" } },
  { "tweet" : { "id_str" : "7", "full_text" : "RT @bob:" } },
  { "tweet" : { "id_str" : "8", "full_text" : "Read this https://t.co/a and https://t.co/b", "entities" : { "urls" : [
      { "url" : "https://t.co/a", "expanded_url" : "https://example.com/a" },
      { "url" : "https://t.co/b", "expanded_url" : "https://example.com/a" } ] } } }
]"#;
        let posts = read_str(content);
        assert_eq!(
            kinds(&posts),
            [
                PostKind::Repost,
                PostKind::Reply,
                PostKind::Post,
                PostKind::Reply,
                PostKind::Post,
                PostKind::Post,
                PostKind::Repost,
                PostKind::Post,
            ]
        );
        assert_eq!(posts[1].to(), Some("@ana"));
        assert_eq!(posts[1].in_reply_to(), Some("7"));
        assert_eq!(posts[3].to(), None);
        assert_eq!(posts[3].in_reply_to(), Some("8"));
        assert_eq!(posts[0].to(), None);
        assert_eq!(posts[7].links(), ["https://example.com/a"]);
        assert!(posts.iter().all(|post| post.platform == Some(Platform::X)));
        assert_eq!(
            posts[7].origin.location,
            Location::Record {
                record: 8,
                line: None
            }
        );
    }

    const DMS: &str = r#"window.YTD.direct_messages.part0 = [
  { "dmConversation" : { "conversationId" : "100-200", "messages" : [
    { "messageCreate" : { "recipientId" : "100", "senderId" : "200", "id" : "3", "text" : "Sure, see you then", "urls" : [ ], "createdAt" : "2020-01-02T00:00:00.000Z" } },
    { "messageCreate" : { "recipientId" : "200", "senderId" : "100", "id" : "2", "text" : "Lunch? https://t.co/m", "urls" : [ { "url" : "https://t.co/m", "expanded" : "https://example.com/menu", "display" : "example.com/menu" } ], "createdAt" : "2020-01-01T00:00:00.000Z" } },
    { "reactionCreate" : { "senderId" : "200", "reactionKey" : "like" } }
  ] } },
  { "dmConversation" : { "conversationId" : "100-300", "messages" : [
    { "messageCreate" : { "recipientId" : "100", "senderId" : "300", "id" : "4", "text" : "Thanks for following!", "createdAt" : "2019-01-01T00:00:00.000Z" } }
  ] } }
]"#;

    #[test]
    fn direct_messages_know_the_owner_from_account_js() {
        let owner = Owner {
            x_account_id: Some("200".to_string()),
            ..Owner::default()
        };
        let posts = read_as(InputFormat::XDirectMessagesJs, &owner, DMS).unwrap();
        assert_eq!(
            texts(&posts),
            [
                "Sure, see you then",
                "Lunch? https://t.co/m",
                "Thanks for following!"
            ]
        );
        assert!(posts.iter().all(|post| post.kind == PostKind::Dm));
        let received: Vec<bool> = posts.iter().map(|post| post.received).collect();
        assert_eq!(received, [false, true, true]);
        assert_eq!(posts[0].to(), Some("100"));
        assert_eq!(posts[1].to(), None);
        assert_eq!(posts[1].links(), ["https://example.com/menu"]);
        assert_eq!(posts[0].id.as_deref(), Some("3"));
    }

    #[test]
    fn infers_the_owner_of_a_lone_dm_file() {
        // 100 is in every conversation id: the owner.
        let posts = read_str(DMS);
        let received: Vec<bool> = posts.iter().map(|post| post.received).collect();
        assert_eq!(received, [true, false, true]);
        assert_eq!(posts[1].to(), Some("200"));
        // One conversation does not tell the owner apart: every message is taken as sent.
        let one = r#"window.YTD.direct_messages.part0 = [ { "dmConversation" : { "conversationId" : "100-200", "messages" : [
    { "messageCreate" : { "recipientId" : "100", "senderId" : "200", "id" : "3", "text" : "Hi" } },
    { "messageCreate" : { "recipientId" : "200", "senderId" : "100", "id" : "2", "text" : "Hello" } } ] } } ]"#;
        let posts = read_str(one);
        assert!(posts.iter().all(|post| !post.received));
        assert_eq!(posts[0].to(), Some("100"));
        // Group conversations: the one account in every participant list.
        let group = r#"window.YTD.direct_messages_group.part0 = [
  { "dmConversation" : { "conversationId" : "9001", "messages" : [
    { "messageCreate" : { "senderId" : "7", "id" : "1", "text" : "Part-time job?" } },
    { "joinConversation" : { "initiatingUserId" : "7", "participantsSnapshot" : [ "7", "100", "5" ] } } ] } },
  { "dmConversation" : { "conversationId" : "9002", "messages" : [
    { "messageCreate" : { "senderId" : "100", "id" : "2", "text" : "Who added me here?" } },
    { "messageCreate" : { "senderId" : "8", "id" : "3", "text" : "Easy money!" } },
    { "joinConversation" : { "initiatingUserId" : "8", "participantsSnapshot" : [ "8", "100", "6" ] } } ] } }
]"#;
        let posts = read_str(group);
        let received: Vec<bool> = posts.iter().map(|post| post.received).collect();
        assert_eq!(received, [true, false, true]);
        assert!(posts.iter().all(|post| post.to().is_none()));
        assert_eq!(
            posts[2].origin.location,
            Location::Record {
                record: 3,
                line: None
            }
        );
        // No single common account: all sent.
        let undecided = group
            .replace(r#""senderId" : "100""#, r#""senderId" : "6""#)
            .replace(r#""8", "100", "6""#, r#""8", "6""#);
        assert!(read_str(&undecided).iter().all(|post| !post.received));
    }

    #[test]
    fn account_js_names_the_owner_and_holds_no_posts() {
        let account = r#"window.YTD.account.part0 = [ {
  "account" : { "email" : "a@example.com", "createdVia" : "web", "username" : "lena", "accountId" : "1200", "createdAt" : "2019-03-02T10:11:12.000Z", "accountDisplayName" : "Lena" }
} ]"#;
        assert_eq!(
            owner_from_account_js(account),
            Some(("1200".to_string(), "lena".to_string()))
        );
        assert!(read_str(account).is_empty());
        assert_eq!(owner_from_account_js(DMS), None);
        assert_eq!(
            owner_from_account_js("window.YTD.account.part0 = [ {"),
            None
        );
        assert_eq!(
            owner_from_account_js("window.YTD.account.part0 = [ ]"),
            None
        );
    }

    #[test]
    fn malformed_files_say_where_they_broke() {
        let error = read_as(
            InputFormat::XTweetsJs,
            &Owner::default(),
            "window.YTD.tweets.part0 = [ {\n  \"tweet\" : {\n    \"full_text\" : \"a\",,\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("archive.zip!data/x.js:3:23: invalid JSON"),
            "{error}"
        );
        // On the line of the assignment, columns count the assignment too.
        let error = read_as(
            InputFormat::XTweetsJs,
            &Owner::default(),
            "window.YTD.tweets.part0 = [ x ]",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("archive.zip!data/x.js:1:29: invalid JSON"),
            "{error}"
        );
        let cases = [
            (
                InputFormat::XTweetsJs,
                "window.YTD.tweets.part0 = { }",
                "archive.zip!data/x.js: expected the assignment of a JSON array, found an object",
            ),
            (
                InputFormat::XTweetsJs,
                "window.YTD.tweets.part0 = [ { \"tweet\" : { \"id_str\" : \"5\", \"full_text\" : 5 } } ]",
                "archive.zip!data/x.js: record 1 (id 5): `full_text` must be a string, found a number",
            ),
            (
                InputFormat::XTweetsJs,
                "window.YTD.tweets.part0 = [ 1 ]",
                "archive.zip!data/x.js: record 1: expected a `{\"tweet\": {…}}` item, found a number",
            ),
            (
                InputFormat::XNoteTweetJs,
                "window.YTD.note_tweet.part0 = [ { \"noteTweet\" : { \"noteTweetId\" : \"8\" } } ]",
                "archive.zip!data/x.js: record 1 (id 8): expected a `core` object",
            ),
            (
                InputFormat::XDirectMessagesJs,
                "window.YTD.direct_messages.part0 = [ { \"dmConversation\" : { \"conversationId\" : \"1-2\" } } ]",
                "archive.zip!data/x.js: conversation 1 (id 1-2): expected a `messages` array, found nothing",
            ),
            (
                InputFormat::XDirectMessagesJs,
                "window.YTD.direct_messages.part0 = [ { \"dmConversation\" : { \"messages\" : [ { \"messageCreate\" : { \"id\" : \"3\", \"text\" : [ ] } } ] } } ]",
                "archive.zip!data/x.js: record 1 (id 3): `text` must be a string, found an array",
            ),
            (
                InputFormat::XDirectMessagesGroupJs,
                "window.YTD.direct_messages_group.part0 = [ { \"dmConversation\" : { \"conversationId\" : \"77\", \"messages\" : [ \"hi\" ] } } ]",
                "archive.zip!data/x.js: conversation 1 (id 77): expected message events (objects), found a string",
            ),
            (
                InputFormat::XTweetsJs,
                "hello",
                "archive.zip!data/x.js:1:1: expected an X archive file",
            ),
        ];
        for (format, content, expected) in cases {
            let error = read_as(format, &Owner::default(), content)
                .unwrap_err()
                .to_string();
            assert!(error.starts_with(expected), "{error}");
        }
    }

    /// The posts of a `tweets.js` cut into runs of `run_bytes` (one tweet each when 1); fails
    /// the test when it is not cut.
    fn read_in_runs(file: &TestFile<'_>, content: &str, run_bytes: usize) -> Result<Vec<Post>> {
        let mut posts = Vec::new();
        tweets_in_parallel(file.context(), content, run_bytes, &mut posts)
            .expect("cut into runs")?;
        Ok(posts)
    }

    /// The posts of a `tweets.js` read in one piece.
    fn read_in_one_piece(file: &TestFile<'_>, content: &str) -> Result<Vec<Post>> {
        let mut posts = Vec::new();
        read_tweets(
            file.context(),
            0,
            &parse_items(file.name, content)?,
            &mut posts,
        )?;
        Ok(posts)
    }

    /// `count` tweets of every kind, with escapes, entities and a tweet of the earliest
    /// layout (no `tweet` wrapper), as X lays them out: `[ {` … `}, {` … `} ]` when `compact`
    /// (2019–2023 archives), else each tweet on lines of its own, indented by two.
    fn tweets_js(count: usize, compact: bool) -> String {
        let tweets: Vec<Value> = (0..count)
            .map(|index| {
                let tweet = serde_json::json!({
                    "id_str": index.to_string(),
                    "full_text": match index % 5 {
                        0 => format!("Post {index} with \"quotes\", a line\nbreak &amp; a link https://t.co/x"),
                        1 => format!("RT @someone: shared {index}"),
                        2 => format!("@friend reply {index}, }}, {{ braces"),
                        3 => String::new(),
                        _ => format!("Ünïcödé {index} 🎉"),
                    },
                    "in_reply_to_status_id_str": (index % 5 == 2).then_some("77"),
                    "in_reply_to_screen_name": (index % 5 == 2).then_some("friend"),
                    "created_at": "Sat Nov 09 12:14:18 +0000 2024",
                    "entities": { "urls": [
                        { "expanded_url": format!("https://example.com/{index}") },
                        { "expanded_url": "https://example.org/" },
                    ] },
                });
                if index % 7 == 6 { tweet } else { serde_json::json!({ "tweet": tweet }) }
            })
            .collect();
        let array = if compact {
            let items: Vec<String> = tweets
                .iter()
                .map(|tweet| serde_json::to_string_pretty(tweet).unwrap())
                .collect();
            format!("[ {} ]", items.join(", "))
        } else {
            serde_json::to_string_pretty(&tweets).unwrap()
        };
        format!("window.YTD.tweets.part0 = {array}")
    }

    #[test]
    fn tweets_read_in_runs_are_those_read_in_one_piece() {
        let mut files: Vec<String> = [false, true]
            .into_iter()
            .flat_map(|compact| [tweets_js(2, compact), tweets_js(40, compact)])
            .collect();
        // Records that are not tweets, past the first run: the error names the first.
        let mut not_tweets = tweets_js(9, false);
        for (nth, record) in [(6, "\"x\""), (3, "5")] {
            let at = not_tweets.match_indices("\n  },").nth(nth).unwrap().0;
            not_tweets.insert_str(at + "\n  },".len(), &format!("\n  {record},"));
        }
        files.push(not_tweets);
        // Line breaks of two bytes, and the statement's `;`.
        files.push(tweets_js(5, false).replace('\n', "\r\n") + ";");
        files.push(tweets_js(5, true) + ";\n");
        let own = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats/x-archive/tweets.js"),
        )
        .unwrap();
        files.push(own);
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/formats/x-tweets-js");
        for entry in std::fs::read_dir(shared).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|extension| extension == "js") {
                files.push(std::fs::read_to_string(path).unwrap());
            }
        }
        let file = TestFile::named("tweets.js");
        for content in &files {
            let whole = read_in_one_piece(&file, content);
            for runs in [
                read_in_runs(&file, content, 1),
                read_in_runs(&file, content, 300),
            ] {
                match (&whole, runs) {
                    (Ok(whole), Ok(runs)) => assert_eq!(whole, &runs, "{content}"),
                    (Err(whole), Err(runs)) => {
                        assert_eq!(whole.to_string(), runs.to_string());
                    }
                    (whole, runs) => panic!("{whole:?} in one piece, {runs:?} in runs"),
                }
            }
        }
        let error = read_in_runs(&file, &files[4], 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "tweets.js: record 5: expected a `{\"tweet\": {…}}` item, found a number"
        );
    }

    #[test]
    fn tweets_not_laid_out_as_x_writes_them_are_read_in_one_piece() {
        let file = TestFile::named("tweets.js");
        let cut = |content: &str| {
            let mut posts = Vec::new();
            let cut = tweets_in_parallel(file.context(), content, 1, &mut posts).is_some();
            assert!(cut || posts.is_empty(), "{content}");
            cut
        };
        let pretty = tweets_js(3, false);
        assert!(cut(&pretty));
        // On one line; one tweet; not JSON; a nested object closed at a tweet's indentation.
        let one_line = format!(
            "window.YTD.tweets.part0 = {}",
            serde_json::to_string(&serde_json::json!([{ "tweet": {} }, { "tweet": {} }])).unwrap()
        );
        let nested = "window.YTD.tweets.part0 = [ {\n\"tweet\" : {\n\"full_text\" : \"a\"\n},\n\"x\" : 1\n}, {\n\"tweet\" : { }\n} ]";
        // JSON has no trailing comma: its error is that of the file read in one piece.
        let trailing_comma = pretty.replace("\n  }\n]", "\n  },\n]");
        assert!(
            file.read(read, InputFormat::XTweetsJs, &trailing_comma)
                .unwrap_err()
                .to_string()
                .contains("invalid JSON"),
        );
        for content in [
            trailing_comma.as_str(),
            one_line.as_str(),
            &tweets_js(1, false),
            &pretty.replacen("\"tweet\"", "tweet", 2),
            nested,
        ] {
            assert!(!cut(content), "{content}");
            let as_read = file
                .read(read, InputFormat::XTweetsJs, content)
                .map_err(|error| error.to_string());
            let whole = read_in_one_piece(&file, content).map_err(|error| error.to_string());
            assert_eq!(as_read, whole);
        }
        assert_eq!(
            texts(&file.read(read, InputFormat::XTweetsJs, nested).unwrap()),
            ["a"]
        );
    }

    fn post_at(text: &str, source: u32, second: &str) -> Post {
        let origin = Origin {
            source,
            location: Location::Record {
                record: 1,
                line: None,
            },
        };
        let mut post = Post::new(text.to_string(), PostKind::Post, origin);
        post.platform = Some(Platform::X);
        post.created_at = DateTime::parse_from_rfc3339(second).ok();
        post
    }

    #[test]
    fn merges_long_posts_with_their_note_tweets() {
        let full = "Three lessons from this year.\n\nFirst, ship small. Second, write it down. Third, rest.";
        let mut tweet = post_at(
            "Three lessons from this year.\n\nFirst, ship small. Second, write… https://t.co/self",
            1,
            "2024-03-12T09:30:05Z",
        );
        tweet.id = Some("tweet-1".into());
        tweet.kind = PostKind::Reply;
        tweet.set_links(vec!["https://twitter.com/i/web/status/1".to_string()]);
        let mut note = post_at(full, 2, "2024-03-12T09:30:05.000Z");
        note.id = Some("note-1".into());
        note.set_links(vec!["https://example.com/late".to_string()]);
        let earlier = post_at("Read before this group…", 0, "2024-03-12T09:30:05Z");
        let unmatched_note = post_at("A note whose post was deleted", 2, "2024-03-01T00:00:00Z");
        let other_second = post_at(full, 2, "2024-03-12T09:30:06Z");
        let mut posts = vec![
            earlier.clone(),
            note.clone(),
            tweet.clone(),
            unmatched_note.clone(),
            other_second.clone(),
        ];
        merge_note_tweets(&mut posts, 1);
        assert_eq!(posts.len(), 4);
        assert_eq!(posts[0], earlier);
        let merged = &posts[1];
        assert_eq!(&*merged.text, full);
        assert_eq!(merged.id.as_deref(), Some("tweet-1"));
        assert_eq!(merged.kind, PostKind::Reply);
        assert_eq!(merged.origin, tweet.origin);
        assert_eq!(
            merged.links(),
            [
                "https://twitter.com/i/web/status/1",
                "https://example.com/late"
            ]
        );
        assert_eq!(posts[2], unmatched_note);
        assert_eq!(posts[3], other_second);
    }

    #[test]
    fn merge_needs_a_truncated_tweet_and_a_matching_note() {
        let note = post_at("Long text that goes on and on", 2, "2024-03-12T09:30:05Z");
        let cases = [
            // Not truncated.
            post_at("Long text that goes on", 1, "2024-03-12T09:30:05Z"),
            // A different start.
            post_at("Short text… https://t.co/x", 1, "2024-03-12T09:30:05Z"),
            // From the same file as the note.
            post_at("Long text that… https://t.co/x", 2, "2024-03-12T09:30:05Z"),
            // Only an ellipsis.
            post_at("… https://t.co/x", 1, "2024-03-12T09:30:05Z"),
        ];
        for tweet in cases {
            let mut posts = vec![tweet.clone(), note.clone()];
            merge_note_tweets(&mut posts, 0);
            assert_eq!(posts, [tweet, note.clone()]);
        }
        // A retweet cut at 140 characters is someone else's text.
        let mut retweet = post_at("Long text that goes…", 1, "2024-03-12T09:30:05Z");
        retweet.kind = PostKind::Repost;
        let mut posts = vec![retweet.clone(), note.clone()];
        merge_note_tweets(&mut posts, 0);
        assert_eq!(posts, [retweet, note.clone()]);
        // Without a link after the ellipsis, and each note completes one tweet only.
        let tweet = post_at("Long text that goes…", 1, "2024-03-12T09:30:05Z");
        let mut posts = vec![tweet.clone(), tweet.clone(), note.clone()];
        merge_note_tweets(&mut posts, 0);
        assert_eq!(texts(&posts), [&*note.text, "Long text that goes…"]);
        // Out of range is a no-op.
        merge_note_tweets(&mut posts, 10);
        assert_eq!(posts.len(), 2);
    }

    #[test]
    fn truncated_prefix_finds_the_cut() {
        assert_eq!(truncated_prefix("abc… https://t.co/x1"), Some("abc"));
        assert_eq!(truncated_prefix("abc …https://t.co/x1 "), Some("abc"));
        assert_eq!(truncated_prefix("abc…"), Some("abc"));
        assert_eq!(truncated_prefix("abc https://t.co/x1"), None);
        assert_eq!(truncated_prefix("abc… more https://t.co/x1"), None);
        assert_eq!(truncated_prefix("… https://t.co/x1"), None);
        assert_eq!(truncated_prefix(""), None);
    }
}
