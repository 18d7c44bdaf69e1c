//! JSON and JSON Lines: arrays of strings or post objects, or an object holding a `posts` or
//! `messages` array; JSON Lines holds one string or post object per line.
//!
//! A post object's text is the first of `text`, `full_text`, `content`, `body`, `message`;
//! `id`, `kind`, `to`, `in_reply_to`, `created_at`/`scheduled_at` (RFC 3339), `platform` (or a
//! scheduler's `channel`/`network` naming a platform) and `received` (a DM someone else wrote)
//! are optional, and unknown fields are ignored. A record that cannot be a post is an error naming
//! the record (1-based), its id when it has one, and its line for JSON Lines.

use std::borrow::Cow;

use anyhow::{Result, anyhow, bail};
use chrono::DateTime;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess};
use serde_json::Value;

use crate::post::{Location, Origin, Platform, Post, PostKind, Text};

use super::fields::{FieldSet, Loose, Scalar, deserialize_fields};
use super::{ReadContext, describe, infer_kind};

/// Field names that hold a post's text, in order of preference.
const TEXT_FIELDS: [&str; 5] = ["text", "full_text", "content", "body", "message"];
/// Field names that hold a top-level list of posts.
const LIST_FIELDS: [&str; 2] = ["posts", "messages"];

/// Appends the posts of a JSON document to `posts`.
pub(super) fn read_json(
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    let (name, source) = (context.name, context.source);
    if content.trim().is_empty() {
        return Ok(());
    }
    let document: Value =
        serde_json::from_str(content).map_err(|error| syntax_error(name, None, &error))?;
    let records = match document {
        Value::Array(records) => records,
        Value::Object(mut object) => {
            let lists: Vec<&str> = LIST_FIELDS
                .into_iter()
                .filter(|field| object.contains_key(*field))
                .collect();
            if lists.len() > 1 {
                bail!(
                    "{name}: has both a `posts` and a `messages` array; put every post in one \
                     of them (a DM is a post with \"kind\": \"dm\")"
                );
            }
            if let Some(field) = lists.first() {
                match object.remove(*field) {
                    Some(Value::Array(records)) => records,
                    Some(other) => bail!(
                        "{name}: `{field}` must be an array of posts, found {}",
                        describe(&other)
                    ),
                    None => unreachable!("the field was just found"),
                }
            } else if TEXT_FIELDS.iter().any(|field| object.contains_key(*field)) {
                vec![Value::Object(object)]
            } else {
                bail!(
                    "{name}: expected an array of posts, or an object with a `posts` or `messages` array; \
                     found an object with neither"
                )
            }
        }
        other => bail!(
            "{name}: expected an array of posts, or an object with a `posts` or `messages` array; found {}",
            describe(&other)
        ),
    };
    posts.reserve(records.len());
    for (index, record) in records.into_iter().enumerate() {
        let record_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let location = Location::Record {
            record: record_number,
            line: None,
        };
        let record = Record::deserialize(&record).expect("any JSON value is a record");
        posts.push(post_from_record(name, record, Origin { source, location })?);
    }
    Ok(())
}

/// Appends the posts of a JSON Lines document to `posts`. Blank lines are skipped.
pub(super) fn read_jsonl(
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    let mut lines = JsonlLines::new(context.source);
    for line in content.split_inclusive('\n') {
        lines.line(context.name, line, posts)?;
    }
    Ok(())
}

/// JSON Lines read a line at a time: what [`read_jsonl`] does with a whole file, and what a
/// large file or a streamed standard input does with each line as it is read.
#[derive(Debug)]
pub(super) struct JsonlLines {
    source: u32,
    /// Lines read so far.
    lines: usize,
    /// Records (non-blank lines) read so far.
    records: u32,
}

impl JsonlLines {
    pub(super) fn new(source: u32) -> JsonlLines {
        JsonlLines {
            source,
            lines: 0,
            records: 0,
        }
    }

    /// Reads the next line, `raw_line` with its line break if it has one: a record unless it is
    /// blank. `name` is the input's name in errors.
    pub(super) fn line(&mut self, name: &str, raw_line: &str, posts: &mut Vec<Post>) -> Result<()> {
        if let Some(record) = self.record(raw_line) {
            posts.push(record.post(name)?);
        }
        Ok(())
    }

    /// Numbers the next line, `raw_line` with its line break if it has one: the record it holds,
    /// `None` when it is blank. Parsing it ([`JsonlRecord::post`]) needs nothing else, so the
    /// records of many lines can be parsed side by side.
    pub(super) fn record<'l>(&mut self, raw_line: &'l str) -> Option<JsonlRecord<'l>> {
        self.lines += 1;
        let line = raw_line.strip_suffix('\n').unwrap_or(raw_line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            return None;
        }
        let line_number = u32::try_from(self.lines).unwrap_or(u32::MAX);
        self.records = self.records.saturating_add(1);
        Some(JsonlRecord {
            line,
            origin: Origin {
                source: self.source,
                location: Location::Record {
                    record: self.records,
                    line: Some(line_number),
                },
            },
        })
    }
}

/// One numbered line of JSON Lines that is not blank.
#[derive(Debug)]
pub(super) struct JsonlRecord<'l> {
    line: &'l str,
    origin: Origin,
}

impl<'a> JsonlRecord<'a> {
    /// The post the record holds; `name` is the input's name in errors.
    pub(super) fn post(&self, name: &str) -> Result<Post> {
        self.parts(name).map(with_text)
    }

    /// [`JsonlRecord::post`], its text left empty and given apart, borrowed from the line
    /// where it has no escapes: a batch's texts are then copied once, into the buffer they
    /// share (see `Text`), not each into an allocation of its own first.
    pub(super) fn parts(&self, name: &str) -> Result<(Post, Cow<'a, str>)> {
        let Location::Record { line, .. } = self.origin.location else {
            unreachable!("JSON Lines records have record locations")
        };
        let record: Record<'a> =
            serde_json::from_str(self.line).map_err(|error| syntax_error(name, line, &error))?;
        record_parts(name, record, self.origin)
    }
}

/// Whether a JSON document found by walking a folder holds posts in the generic shape: an array
/// of strings or of objects with a text field, or an object with a `posts`/`messages` array.
/// (`package.json` and friends do not, and are skipped rather than reported as errors.)
pub(super) fn looks_like_posts(content: &str) -> bool {
    let is_post = |value: &Value| match value {
        Value::String(_) => true,
        Value::Object(object) => TEXT_FIELDS.iter().any(|field| object.contains_key(*field)),
        _ => false,
    };
    match serde_json::from_str::<Value>(content) {
        Ok(Value::Array(records)) => records.first().is_some_and(is_post),
        Ok(Value::Object(object)) => LIST_FIELDS.iter().any(|field| {
            matches!(object.get(*field), Some(Value::Array(records)) if records.first().is_some_and(is_post))
        }),
        _ => false,
    }
}

/// A JSON syntax error as `name:line:column: message`. `line` is the file line of a JSON Lines
/// record (serde_json then reports line 1 of that record).
pub(crate) fn syntax_error(
    name: &str,
    line: Option<u32>,
    error: &serde_json::Error,
) -> anyhow::Error {
    let message = error.to_string();
    let message = message
        .rfind(" at line ")
        .map_or(message.as_str(), |at| &message[..at]);
    let line = line.map_or(error.line(), |line| line as usize);
    // serde_json reports column 0 at the start of a line (an unexpected end of input).
    let column = error.column().max(1);
    anyhow!("{name}:{line}:{column}: invalid JSON: {message}")
}

/// A record of a JSON or JSON Lines file: a post's text alone, or an object with the fields
/// hygiene reads (the rest are skipped, not built), or anything else, which is an error.
enum Record<'a> {
    Text(Cow<'a, str>),
    Object(Box<PostFields<'a>>),
    Other(&'static str),
}

/// The fields of a post object hygiene reads.
#[derive(Default)]
struct PostFields<'a> {
    /// By [`TEXT_FIELDS`]: the first that is not null is the text.
    texts: [Scalar<'a>; TEXT_FIELDS.len()],
    id: Scalar<'a>,
    in_reply_to: Scalar<'a>,
    kind: Scalar<'a>,
    platform: Scalar<'a>,
    channel: Scalar<'a>,
    network: Scalar<'a>,
    created_at: Scalar<'a>,
    scheduled_at: Scalar<'a>,
    to: Scalar<'a>,
    received: Scalar<'a>,
    hygiene: Option<Value>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Record<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Loose::<PostFields<'a>>::deserialize(deserializer)? {
            Loose::Object(fields) => Record::Object(Box::new(fields)),
            Loose::Scalar(Scalar::Str(text)) => Record::Text(text),
            Loose::Scalar(other) => Record::Other(other.describe()),
        })
    }
}

impl<'de> FieldSet<'de> for PostFields<'de> {
    fn read<M: MapAccess<'de>>(&mut self, key: &str, map: &mut M) -> Result<bool, M::Error> {
        let field = match key {
            "hygiene" => {
                self.hygiene = map.next_value()?;
                return Ok(true);
            }
            "id" => &mut self.id,
            "in_reply_to" => &mut self.in_reply_to,
            "kind" => &mut self.kind,
            "platform" => &mut self.platform,
            "channel" => &mut self.channel,
            "network" => &mut self.network,
            "created_at" => &mut self.created_at,
            "scheduled_at" => &mut self.scheduled_at,
            "to" => &mut self.to,
            "received" => &mut self.received,
            other => match TEXT_FIELDS.iter().position(|text| *text == other) {
                Some(index) => &mut self.texts[index],
                None => return Ok(false),
            },
        };
        *field = map.next_value()?;
        Ok(true)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for PostFields<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_fields::<PostFields<'de>, D>(deserializer)
    }
}

fn post_from_record(name: &str, record: Record<'_>, origin: Origin) -> Result<Post> {
    record_parts(name, record, origin).map(with_text)
}

/// A post from [`record_parts`], its text in a buffer of its own.
fn with_text((mut post, text): (Post, Cow<'_, str>)) -> Post {
    post.text = Text::from(&*text);
    post
}

/// The post of a record, its text left empty and given apart.
fn record_parts<'a>(
    name: &str,
    record: Record<'a>,
    origin: Origin,
) -> Result<(Post, Cow<'a, str>)> {
    let Location::Record {
        record: number,
        line,
    } = origin.location
    else {
        unreachable!("JSON posts have record locations")
    };
    // Where the record is, with its id once known: written only for an error.
    let place = |id: Option<&str>| {
        let at = match line {
            Some(line) => format!("{name}:{line}: record {number}"),
            None => format!("{name}: record {number}"),
        };
        match id {
            Some(id) => format!("{at} (id {id})"),
            None => at,
        }
    };
    let object = match record {
        Record::Text(text) => {
            let kind = infer_kind(&text, false);
            return Ok((Post::new(String::new(), kind, origin), text));
        }
        Record::Object(object) => object,
        Record::Other(kind) => bail!(
            "{}: expected a post (a string, or an object with `text`), found {kind}",
            place(None)
        ),
    };
    let id = optional_id(&object.id, "id").map_err(|e| anyhow!("{}: {e}", place(None)))?;
    let fail = |e: String| anyhow!("{}: {e}", place(id.as_deref()));

    let Some((field, value)) = TEXT_FIELDS
        .iter()
        .zip(&object.texts)
        .find(|(_, value)| !matches!(value, Scalar::Absent | Scalar::Null))
    else {
        return Err(fail(format!(
            "no text: expected one of {}",
            TEXT_FIELDS.map(|f| format!("`{f}`")).join(", ")
        )));
    };
    let Scalar::Str(text) = value else {
        return Err(fail(format!(
            "`{field}` must be a string, found {}",
            value.describe()
        )));
    };

    let in_reply_to = optional_id(&object.in_reply_to, "in_reply_to").map_err(fail)?;
    let kind = match optional_string(&object.kind, "kind").map_err(fail)? {
        Some(kind) => parse_kind(kind).map_err(fail)?,
        None => infer_kind(text, in_reply_to.is_some()),
    };
    // Scheduler queues call it `channel` or `network`; those may also name other things, so
    // only a known platform name counts there.
    let platform = match optional_string(&object.platform, "platform").map_err(fail)? {
        Some(platform) => Some(parse_platform(platform).map_err(fail)?),
        None => [&object.channel, &object.network]
            .iter()
            .filter_map(|value| value.str())
            .find_map(|name| parse_platform(name).ok()),
    };
    let created_at = [
        ("created_at", &object.created_at),
        ("scheduled_at", &object.scheduled_at),
    ]
    .into_iter()
    .find_map(|(field, value)| {
        optional_string(value, field)
            .transpose()
            .map(|v| (field, v))
    })
    .map(|(field, value)| {
        let value = value?;
        DateTime::parse_from_rfc3339(value).map_err(|error| {
            format!("`{field}` is not an RFC 3339 timestamp (like 2024-05-01T09:30:00Z): `{value}` ({error})")
        })
    })
    .transpose()
    .map_err(fail)?;
    let to = optional_string(&object.to, "to")
        .map_err(fail)?
        .map(str::to_string);
    let received = match &object.received {
        Scalar::Absent | Scalar::Null => false,
        Scalar::Bool(received) => *received,
        other => {
            return Err(fail(format!(
                "`received` must be true or false, found {}",
                other.describe()
            )));
        }
    };
    if received && kind != PostKind::Dm {
        return Err(fail(
            "`received` is only for direct messages (\"kind\": \"dm\")".to_string(),
        ));
    }
    let allow = match &object.hygiene {
        None => None,
        Some(value) => Some(super::parse_allow(value).map_err(fail)?),
    };

    let mut post = Post::new(String::new(), kind, origin);
    post.id = id.map(Into::into);
    post.created_at = created_at;
    post.platform = platform;
    post.received = received;
    post.set_to(to);
    post.set_in_reply_to(in_reply_to);
    post.set_allow(allow);
    Ok((post, text.clone()))
}

/// A string field, if present and not null.
fn optional_string<'a>(value: &'a Scalar<'_>, field: &str) -> Result<Option<&'a str>, String> {
    match value {
        Scalar::Absent | Scalar::Null => Ok(None),
        Scalar::Str(value) => Ok(Some(value)),
        other => Err(format!(
            "`{field}` must be a string, found {}",
            other.describe()
        )),
    }
}

/// An id field: a string, or an integer (ids are often numeric in exports).
fn optional_id(value: &Scalar<'_>, field: &str) -> Result<Option<String>, String> {
    match value {
        Scalar::Absent | Scalar::Null => Ok(None),
        Scalar::Str(value) => Ok(Some(value.to_string())),
        Scalar::Number(number) if number.is_u64() || number.is_i64() => {
            Ok(Some(number.to_string()))
        }
        other => Err(format!(
            "`{field}` must be a string or an integer, found {}",
            other.describe()
        )),
    }
}

fn parse_kind(kind: &str) -> Result<PostKind, String> {
    PostKind::ALL
        .into_iter()
        .find(|known| known.as_str().eq_ignore_ascii_case(kind))
        .ok_or_else(|| {
            format!(
                "unknown kind `{kind}` (expected one of {})",
                PostKind::ALL.map(PostKind::as_str).join(", ")
            )
        })
}

fn parse_platform(platform: &str) -> Result<Platform, String> {
    let lower = platform.to_ascii_lowercase();
    let lower = if lower == "twitter" {
        "x".to_string()
    } else {
        lower
    };
    Platform::ALL
        .into_iter()
        .find(|known| known.as_str() == lower)
        .ok_or_else(|| {
            format!(
                "unknown platform `{platform}` (expected one of {})",
                Platform::ALL.map(Platform::as_str).join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_context<T>(name: &str, run: impl FnOnce(ReadContext<'_>) -> T) -> T {
        let owner = crate::input::Owner::default();
        run(ReadContext {
            name,
            path: None,
            source: 0,
            owner: &owner,
            options: &crate::input::ReadOptions::default(),
        })
    }

    fn read(content: &str) -> Result<Vec<Post>> {
        let mut posts = Vec::new();
        with_context("in.json", |context| read_json(context, content, &mut posts))?;
        Ok(posts)
    }

    fn read_lines(content: &str) -> Result<Vec<Post>> {
        let mut posts = Vec::new();
        with_context("in.jsonl", |context| {
            read_jsonl(context, content, &mut posts)
        })?;
        Ok(posts)
    }

    /// Records are read field by field, not as a `Value`, and answer the same: a repeated key
    /// keeps its last value, unknown fields of any shape are skipped, escapes are decoded, and
    /// JSON and JSON Lines agree.
    #[test]
    fn records_read_as_a_json_value_would() {
        let record = r#"{"text": "first", "extra": {"a": [1, {"b": null}]}, "text": "caf\u00e9 \"ok\"", "id": 12, "received": false, "to": "@b"}"#;
        for posts in [read(&format!("[{record}]")), read_lines(record)] {
            let post = &posts.unwrap()[0];
            assert_eq!(&*post.text, "café \"ok\"");
            assert_eq!(post.id.as_deref(), Some("12"));
            assert_eq!(post.to(), Some("@b"));
        }
        let error = read_lines(r#"{"id": "x1", "text": "a", "received": [true]}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "in.jsonl:1: record 1 (id x1): `received` must be true or false, found an array"
        );
    }

    #[test]
    fn reads_strings_objects_and_wrapped_lists() {
        let posts = read(r#"["hi", {"full_text": "@ana yes", "id": 7}]"#).unwrap();
        assert_eq!(&*posts[0].text, "hi");
        assert_eq!(posts[0].kind, PostKind::Post);
        assert_eq!(&*posts[1].text, "@ana yes");
        assert_eq!(posts[1].kind, PostKind::Reply);
        assert_eq!(posts[1].id.as_deref(), Some("7"));
        assert_eq!(
            read(r#"{"messages": [{"body": "x", "kind": "dm", "to": "@b"}]}"#).unwrap()[0].kind,
            PostKind::Dm
        );
        assert_eq!(read(r#"{"text": "one post"}"#).unwrap().len(), 1);
        let posts = read(r#"[{"text": null, "full_text": "long", "kind": "DM"}]"#).unwrap();
        assert_eq!((&*posts[0].text, posts[0].kind), ("long", PostKind::Dm));
    }

    #[test]
    fn reads_optional_fields_and_ignores_unknown_ones() {
        let posts = read(
            r#"[{"text": "t", "platform": "Twitter", "scheduled_at": "2024-05-01T09:30:00+02:00",
                 "in_reply_to": 12, "whatever": {"nested": true}}]"#,
        )
        .unwrap();
        assert_eq!(posts[0].platform, Some(Platform::X));
        assert_eq!(posts[0].kind, PostKind::Reply);
        assert_eq!(posts[0].in_reply_to(), Some("12"));
        assert_eq!(
            posts[0].created_at.unwrap().to_rfc3339(),
            "2024-05-01T09:30:00+02:00"
        );
    }

    #[test]
    fn empty_json_has_no_posts() {
        assert!(read("").unwrap().is_empty());
        assert!(read(" \n ").unwrap().is_empty());
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let error = read("[\n  \"a\",\n  oops\n]").unwrap_err().to_string();
        assert_eq!(error, "in.json:3:3: invalid JSON: expected value");
    }

    #[test]
    fn record_errors_name_the_record_and_id() {
        let error = read(r#"["a", {"id": "x9", "txt": "b"}]"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "in.json: record 2 (id x9): no text: expected one of `text`, `full_text`, `content`, `body`, `message`"
        );
        let error = read(r#"[{"text": "a", "kind": "story"}]"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("record 1: unknown kind `story`"), "{error}");
        let error = read(r#"[{"text": "a", "created_at": "yesterday"}]"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`created_at` is not an RFC 3339 timestamp"),
            "{error}"
        );
        let error = read(r#"[3]"#).unwrap_err().to_string();
        assert!(error.contains("record 1: expected a post"), "{error}");
        let error = read(r#"{"posts": [], "messages": [{"text": "hi"}]}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("has both a `posts` and a `messages` array"),
            "{error}"
        );
        let error = read(r#"{"posts": {}}"#).unwrap_err().to_string();
        assert!(error.contains("`posts` must be an array"), "{error}");
    }

    #[test]
    fn jsonl_errors_name_the_file_line() {
        let error = read_lines("{\"text\": \"a\"}\n\n{\"text\": }\n")
            .unwrap_err()
            .to_string();
        assert_eq!(error, "in.jsonl:3:10: invalid JSON: expected value");
        let error = read_lines("\"a\"\n{\"id\": 1}\n").unwrap_err().to_string();
        assert!(
            error.starts_with("in.jsonl:2: record 2 (id 1): no text"),
            "{error}"
        );
    }
}
