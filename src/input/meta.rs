//! Meta "Download your information" exports into posts: Facebook `your_posts_1.json` (an array
//! of activity entries), Threads `threads_and_replies.json` (`{"text_post_app_text_posts":
//! [{"media": [...]}]}`) and Instagram `posts_1.json` (an array of `{"media": [...]}` entries).
//!
//! Meta writes every non-ASCII string as mojibake: the UTF-8 bytes of the text, each escaped as
//! a `\u00XX` code point. Every string read here is repaired (code points back to bytes, bytes
//! read as UTF-8), and kept as it is when it does not decode, so a genuine Latin-1 text stays.
//! A Facebook entry's text is its `data[].post` strings (joined with a blank line), a Threads
//! item's text is its `title`, an Instagram post's caption is the entry's `title`, else its
//! first media's. Entries without text are skipped (link shares, photos without a caption).

use std::borrow::Cow;
use std::path::Path;
use std::sync::LazyLock;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, FixedOffset};
use regex::Regex;
use serde_json::{Map, Value};

use super::json::syntax_error;
use super::{ReadContext, describe, prefix};
use crate::post::{InputFormat, Location, Origin, Platform, Post, PostKind};

/// How much of a file the sniffer looks at: the first entry must be whole within it (real
/// entries are well under 4 KB, photo metadata included).
pub(super) const SNIFF_PREFIX_BYTES: usize = 64 * 1024;
/// How far into the file the Threads list must open (it is the first key in real exports).
pub(super) const THREADS_SNIFF_BYTES: usize = 4 * 1024;
/// Fields that make an object a generic post record (see `json.rs`), never a Meta entry.
const GENERIC_TEXT_FIELDS: [&str; 5] = ["text", "full_text", "content", "body", "message"];

/// The key of the Threads list, as an object key: after `{` or `,` (a quote inside a JSON
/// string is escaped, so this cannot match text that only mentions the key).
static THREADS_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[{,]\s*"text_post_app_text_posts"\s*:\s*\["#).expect("valid regex")
});

/// The format of `content`, when it is a Meta export.
pub(super) fn sniff(_path: Option<&Path>, content: &str) -> Option<InputFormat> {
    let trimmed = content.trim_start();
    if trimmed.starts_with('{') {
        let head = prefix(trimmed, THREADS_SNIFF_BYTES);
        return THREADS_LIST
            .is_match(head)
            .then_some(InputFormat::ThreadsPosts);
    }
    let entry = first_array_object(prefix(trimmed, SNIFF_PREFIX_BYTES))?;
    if GENERIC_TEXT_FIELDS
        .iter()
        .any(|field| entry.contains_key(*field))
    {
        return None;
    }
    let media = entry.get("media").and_then(Value::as_array);
    if let Some(media) = media {
        let is_media = media
            .first()
            .and_then(Value::as_object)
            .is_some_and(|item| {
                item.contains_key("uri") || item.contains_key("creation_timestamp")
            });
        return is_media.then_some(InputFormat::InstagramPosts);
    }
    let activity = entry.get("data").is_some_and(Value::is_array)
        || entry.get("attachments").is_some_and(Value::is_array)
        || entry.get("title").is_some_and(Value::is_string);
    (entry.get("timestamp").is_some_and(Value::is_number) && activity)
        .then_some(InputFormat::FacebookYourPosts)
}

/// The first item of a top-level JSON array, when it is an object that ends within `head`.
fn first_array_object(head: &str) -> Option<Map<String, Value>> {
    let rest = head.strip_prefix('[')?.trim_start();
    if !rest.starts_with('{') {
        return None;
    }
    serde_json::Deserializer::from_str(rest)
        .into_iter::<Map<String, Value>>()
        .next()?
        .ok()
}

/// Appends the posts of `content` (in `format`) to `posts`.
pub(super) fn read(
    format: InputFormat,
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    let name = context.name;
    let document: Value =
        serde_json::from_str(content).map_err(|error| syntax_error(name, None, &error))?;
    match format {
        InputFormat::ThreadsPosts => read_threads(context, &document, posts),
        InputFormat::InstagramPosts => {
            let entries = entries(name, &document, "an Instagram posts_1.json")?;
            read_entries(context, entries, posts, instagram_post)
        }
        _ => {
            let entries = entries(name, &document, "a Facebook your_posts_1.json")?;
            read_entries(context, entries, posts, facebook_post)
        }
    }
}

/// The entries of a top-level array.
fn entries<'a>(name: &str, document: &'a Value, what: &str) -> Result<&'a [Value]> {
    match document {
        Value::Array(entries) => Ok(entries),
        other => bail!(
            "{name}: expected {what} export (a JSON array of entries), found {}",
            describe(other)
        ),
    }
}

/// Reads one Facebook or Instagram entry: its post, if it has text, or what is wrong with it.
type EntryReader = fn(&Map<String, Value>, Origin) -> Result<Option<Post>, String>;

/// Reads each entry of a Facebook or Instagram array with `post_of`.
fn read_entries(
    context: ReadContext<'_>,
    entries: &[Value],
    posts: &mut Vec<Post>,
    post_of: EntryReader,
) -> Result<()> {
    for (index, entry) in entries.iter().enumerate() {
        let record = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let fail = |error: String| anyhow!("{}: record {record}: {error}", context.name);
        let Value::Object(entry) = entry else {
            return Err(fail(format!(
                "expected an entry object, found {}",
                describe(entry)
            )));
        };
        let origin = Origin {
            source: context.source,
            location: Location::Record { record, line: None },
        };
        posts.extend(post_of(entry, origin).map_err(fail)?);
    }
    Ok(())
}

/// A Facebook entry's post: its `data[].post` texts joined by a blank line, with the
/// `external_context.url`s of its attachments as links. `None` when it has no text.
fn facebook_post(entry: &Map<String, Value>, origin: Origin) -> Result<Option<Post>, String> {
    let mut texts = Vec::new();
    for item in array(entry, "data")? {
        match item.get("post") {
            Some(Value::String(text)) => {
                let text = repair_mojibake(text);
                if !text.trim().is_empty() {
                    texts.push(text.trim().to_string());
                }
            }
            None | Some(Value::Null) => {}
            Some(other) => {
                return Err(format!(
                    "`data[].post` must be a string, found {}",
                    describe(other)
                ));
            }
        }
    }
    if texts.is_empty() {
        return Ok(None);
    }
    let mut post = Post::new(texts.join("\n\n"), PostKind::Post, origin);
    post.created_at = unix_time(entry.get("timestamp"));
    post.platform = Some(Platform::Facebook);
    let mut links: Vec<String> = Vec::new();
    for attachment in array(entry, "attachments")? {
        let Some(Value::Array(data)) = attachment.get("data") else {
            continue;
        };
        let urls = data.iter().filter_map(|item| {
            item.get("external_context")?
                .get("url")?
                .as_str()
                .map(|url| repair_mojibake(url).trim().to_string())
        });
        for url in urls {
            if !url.is_empty() && !links.contains(&url) {
                links.push(url);
            }
        }
    }
    post.set_links(links);
    Ok(Some(post))
}

/// An Instagram entry's post: the entry's `title` when it is not empty (carousels), else the
/// first media's `title`. `None` when it has no caption.
fn instagram_post(entry: &Map<String, Value>, origin: Origin) -> Result<Option<Post>, String> {
    let media = array(entry, "media")?;
    let first = media.first().and_then(Value::as_object);
    let own = string(entry, "title")?.filter(|title| !title.trim().is_empty());
    let caption = match own {
        Some(title) => Some(title),
        None => first
            .map(|first| string(first, "title"))
            .transpose()?
            .flatten(),
    };
    let caption = caption.map(|caption| repair_mojibake(caption));
    let Some(caption) = caption.filter(|caption| !caption.trim().is_empty()) else {
        return Ok(None);
    };
    let mut post = Post::new(caption.trim().to_string(), PostKind::Post, origin);
    post.created_at = unix_time(entry.get("creation_timestamp"))
        .or_else(|| unix_time(first.and_then(|first| first.get("creation_timestamp"))));
    post.platform = Some(Platform::Instagram);
    Ok(Some(post))
}

/// Reads every media item of every Threads entry: a reply when `text_app_post.is_reply`.
/// Records are numbered by media item, across entries.
fn read_threads(context: ReadContext<'_>, document: &Value, posts: &mut Vec<Post>) -> Result<()> {
    let name = context.name;
    let list = match document {
        Value::Object(object) => match object.get("text_post_app_text_posts") {
            Some(Value::Array(list)) => list,
            Some(other) => bail!(
                "{name}: `text_post_app_text_posts` must be an array, found {}",
                describe(other)
            ),
            None => bail!(
                "{name}: expected a Threads export with a `text_post_app_text_posts` array; found none"
            ),
        },
        other => bail!(
            "{name}: expected a Threads export (a JSON object with a `text_post_app_text_posts` array), found {}",
            describe(other)
        ),
    };
    let mut record = 0u32;
    for (index, entry) in list.iter().enumerate() {
        let Value::Object(entry) = entry else {
            bail!(
                "{name}: entry {} of `text_post_app_text_posts`: expected an object, found {}",
                index + 1,
                describe(entry)
            );
        };
        let media = array(entry, "media").map_err(|error| {
            anyhow!(
                "{name}: entry {} of `text_post_app_text_posts`: {error}",
                index + 1
            )
        })?;
        for item in media {
            record = record.saturating_add(1);
            let origin = Origin {
                source: context.source,
                location: Location::Record { record, line: None },
            };
            let post = threads_post(item, origin)
                .map_err(|error| anyhow!("{name}: record {record}: {error}"))?;
            posts.extend(post);
        }
    }
    Ok(())
}

/// A Threads media item's post; `None` when its `title` is empty.
fn threads_post(item: &Value, origin: Origin) -> Result<Option<Post>, String> {
    let Value::Object(item) = item else {
        return Err(format!(
            "expected a media item object, found {}",
            describe(item)
        ));
    };
    let text = repair_mojibake(string(item, "title")?.unwrap_or_default());
    if text.trim().is_empty() {
        return Ok(None);
    }
    let app_post = item.get("text_app_post");
    let is_reply = app_post
        .and_then(|app_post| app_post.get("is_reply"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let kind = if is_reply {
        PostKind::Reply
    } else {
        PostKind::Post
    };
    let mut post = Post::new(text.trim().to_string(), kind, origin);
    if is_reply {
        post.set_to(
            app_post
                .and_then(|app_post| app_post.get("in_reply_to_username"))
                .and_then(Value::as_str)
                .map(|handle| {
                    repair_mojibake(handle)
                        .trim()
                        .trim_start_matches('@')
                        .to_string()
                })
                .filter(|handle| !handle.is_empty())
                .map(|handle| format!("@{handle}")),
        );
    }
    post.created_at = unix_time(item.get("creation_timestamp"));
    post.platform = Some(Platform::Threads);
    Ok(Some(post))
}

/// Undoes Meta's mojibake: a string whose chars are all at most U+00FF, with some above
/// ASCII, is the UTF-8 bytes of the real text. Kept as is when those bytes are not UTF-8.
pub(crate) fn repair_mojibake(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || text.chars().any(|c| u32::from(c) > 0xFF) {
        return Cow::Borrowed(text);
    }
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    match String::from_utf8(bytes) {
        Ok(repaired) => Cow::Owned(repaired),
        Err(_) => Cow::Borrowed(text),
    }
}

/// The array under `field`, empty when absent or null.
fn array<'a>(object: &'a Map<String, Value>, field: &str) -> Result<&'a [Value], String> {
    match object.get(field) {
        Some(Value::Array(items)) => Ok(items),
        None | Some(Value::Null) => Ok(&[]),
        Some(other) => Err(format!(
            "`{field}` must be an array, found {}",
            describe(other)
        )),
    }
}

/// The string under `field`, `None` when absent or null.
fn string<'a>(object: &'a Map<String, Value>, field: &str) -> Result<Option<&'a str>, String> {
    match object.get(field) {
        Some(Value::String(text)) => Ok(Some(text)),
        None | Some(Value::Null) => Ok(None),
        Some(other) => Err(format!(
            "`{field}` must be a string, found {}",
            describe(other)
        )),
    }
}

/// A unix time in seconds as a UTC datetime; `None` when absent or out of range (the time is
/// auxiliary, so an odd one does not stop the run).
fn unix_time(value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
    let seconds = value?.as_i64()?;
    DateTime::from_timestamp(seconds, 0).map(|time| time.fixed_offset())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::TestFile;

    fn read_as(format: InputFormat, content: &str) -> Result<Vec<Post>> {
        TestFile::named("meta.json").read(read, format, content)
    }

    /// `text` as Meta writes it: each UTF-8 byte escaped as its own `\u00XX` code point.
    fn mojibake(text: &str) -> String {
        text.bytes()
            .map(|byte| {
                if byte.is_ascii() {
                    (byte as char).to_string()
                } else {
                    format!("\\u00{byte:02x}")
                }
            })
            .collect()
    }

    #[test]
    fn repairs_mojibake_and_keeps_what_does_not_decode() {
        assert_eq!(repair_mojibake("napisa\u{c5}\u{82}"), "napisał");
        assert_eq!(repair_mojibake("\u{f0}\u{9f}\u{98}\u{8c}"), "😌");
        assert_eq!(repair_mojibake("t\u{e1}\u{ba}\u{a1}m"), "tạm");
        // Real Latin-1 text is not UTF-8 once read as bytes: kept.
        assert_eq!(repair_mojibake("café"), "café");
        // Already repaired (a char above U+00FF): kept.
        assert_eq!(repair_mojibake("zażółć é"), "zażółć é");
        assert_eq!(repair_mojibake("plain"), "plain");
        assert_eq!(repair_mojibake(""), "");
        assert!(matches!(repair_mojibake("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn facebook_entries_with_post_text_are_posts() {
        let content = format!(
            r#"[
  {{"timestamp": 1700000000, "attachments": [{{"data": [{{"external_context": {{"url": "https://shop.example/ebook"}}}}]}}],
    "data": [{{"post": "  {}  "}}, {{"update_timestamp": 1700000000}}, {{"post": "second part"}}],
    "title": "{}"}},
  {{"timestamp": 1700000100, "data": [{{"update_timestamp": 1700000100}}]}},
  {{"timestamp": 1700000200, "data": [{{"post": "   "}}]}},
  {{"timestamp": 1700000300, "data": [{{"post": "just words"}}], "attachments": [{{"data": [{{"media": {{"uri": "x.jpg"}}}}]}}]}}
]"#,
            mojibake("Grab my free ebook 😌"),
            mojibake("Ana napisała na osi czasu"),
        );
        assert_eq!(sniff(None, &content), Some(InputFormat::FacebookYourPosts));
        let posts = read_as(InputFormat::FacebookYourPosts, &content).unwrap();
        assert_eq!(posts.len(), 2);
        assert_eq!(&*posts[0].text, "Grab my free ebook 😌\n\nsecond part");
        assert_eq!(posts[0].links(), ["https://shop.example/ebook"]);
        assert_eq!(
            posts[0].created_at.map(|time| time.to_rfc3339()),
            Some("2023-11-14T22:13:20+00:00".to_string())
        );
        assert_eq!(posts[0].platform, Some(Platform::Facebook));
        assert_eq!(posts[0].kind, PostKind::Post);
        assert_eq!(&*posts[1].text, "just words");
        assert_eq!(
            posts[1].origin.location,
            Location::Record {
                record: 4,
                line: None
            }
        );
    }

    #[test]
    fn threads_items_are_posts_or_replies_to_someone() {
        let content = format!(
            r#"{{"text_post_app_text_posts": [
  {{"media": [{{"uri": "", "creation_timestamp": 1700000000, "title": "{}",
    "text_app_post": {{"reply_control": "everyone", "is_reply": false}}}}]}},
  {{"media": [{{"uri": "", "creation_timestamp": 1700000100, "title": "so true",
    "text_app_post": {{"is_reply": true, "in_reply_to_username": "someone"}}}}]}},
  {{"media": [{{"uri": "", "title": ""}}, {{"uri": "", "title": "no flags"}}]}}
]}}"#,
            mojibake("Bài viết mới ✨")
        );
        assert_eq!(sniff(None, &content), Some(InputFormat::ThreadsPosts));
        let posts = read_as(InputFormat::ThreadsPosts, &content).unwrap();
        let kinds: Vec<PostKind> = posts.iter().map(|post| post.kind).collect();
        assert_eq!(kinds, [PostKind::Post, PostKind::Reply, PostKind::Post]);
        assert_eq!(&*posts[0].text, "Bài viết mới ✨");
        assert_eq!(posts[1].to(), Some("@someone"));
        assert_eq!(posts[0].to(), None);
        assert_eq!(
            posts[2].origin.location,
            Location::Record {
                record: 4,
                line: None
            }
        );
        assert!(
            posts
                .iter()
                .all(|post| post.platform == Some(Platform::Threads))
        );
    }

    #[test]
    fn instagram_caption_is_the_entry_title_else_the_first_media_title() {
        let content = format!(
            r#"[
  {{"media": [{{"uri": "media/posts/1.jpg", "creation_timestamp": 1700000000, "title": "{}"}}]}},
  {{"media": [{{"uri": "media/posts/2.jpg", "creation_timestamp": 1700000100, "title": ""}},
              {{"uri": "media/posts/3.jpg", "creation_timestamp": 1700000100, "title": ""}}],
    "title": "carousel caption", "creation_timestamp": 1700000100}},
  {{"media": [{{"uri": "media/posts/4.jpg", "title": ""}}], "title": ""}}
]"#,
            mojibake("Café ☕")
        );
        assert_eq!(sniff(None, &content), Some(InputFormat::InstagramPosts));
        let posts = read_as(InputFormat::InstagramPosts, &content).unwrap();
        let texts: Vec<&str> = posts.iter().map(|post| &*post.text).collect();
        assert_eq!(texts, ["Café ☕", "carousel caption"]);
        assert!(posts[0].created_at.is_some());
        assert_eq!(posts[1].platform, Some(Platform::Instagram));
    }

    #[test]
    fn sniffs_only_meta_shapes() {
        for other in [
            r#"[{"text": "hello", "timestamp": 1700000000}]"#,
            r#"[{"text": "hello", "media": [{"uri": "a.png"}]}]"#,
            r#"[{"id": 1, "channel": "facebook", "text": "x", "scheduled_at": "2026-01-01T00:00:00Z"}]"#,
            r#"[{"timestamp": 1700000000}]"#,
            r#"[{"media": ["a.png"]}]"#,
            r#"["a", "b"]"#,
            r#"[]"#,
            r#"{"posts": [{"text": "\"text_post_app_text_posts\": [1]"}]}"#,
            r#"{"feed": []}"#,
            "[{\"timestamp\": 1, \"data\": [",
            "",
        ] {
            assert_eq!(sniff(None, other), None, "{other}");
        }
        let long = format!(
            "[{{\"data\": [], \"x\": \"{}\"}}]",
            "é".repeat(SNIFF_PREFIX_BYTES)
        );
        assert_eq!(sniff(None, &long), None);
    }

    #[test]
    fn malformed_exports_are_errors_that_say_where() {
        let error = read_as(InputFormat::FacebookYourPosts, "[\n  {\"timestamp\": }")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("meta.json:2:17: invalid JSON"), "{error}");
        let error = read_as(InputFormat::FacebookYourPosts, r#"{"timestamp": 1}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("expected a Facebook"), "{error}");
        let error = read_as(
            InputFormat::FacebookYourPosts,
            r#"[{"timestamp": 1, "data": []}, {"timestamp": 1, "data": [{"post": 7}]}]"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("meta.json: record 2: `data[].post` must be a string"),
            "{error}"
        );
        let error = read_as(
            InputFormat::ThreadsPosts,
            r#"{"text_post_app_text_posts": [{"media": [{"title": ["x"]}]}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("meta.json: record 1: `title` must be a string"),
            "{error}"
        );
        let error = read_as(InputFormat::InstagramPosts, r#"[{"media": {}}]"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("meta.json: record 1: `media` must be an array"),
            "{error}"
        );
    }
}
