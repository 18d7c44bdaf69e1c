//! Bluesky JSON: an `app.bsky.feed.getAuthorFeed` response (`{"feed": [{post, reply?,
//! reason?}]}`) or a `com.atproto.repo.listRecords` response (`{"records": [{uri, cid,
//! value}]}`, the shape of a repository export converted to JSON) into posts.
//!
//! A feed item is a repost when its `reason` is `#reasonRepost` (its text is then the reposted
//! post's, written by someone else), else a reply when the record has `reply`, else a quote when
//! it embeds a record, else a post. The text is the record's `text` as is (it is not escaped);
//! the targets of its link facets (and of a link card) are the post's links. Facet offsets are
//! UTF-8 bytes; only the `uri` of a link facet is used here, so they are never sliced with.

use std::path::Path;
use std::sync::LazyLock;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use regex::Regex;
use serde_json::{Map, Value};

use super::json::syntax_error;
use super::{ReadContext, describe, prefix};
use crate::post::{InputFormat, Location, Origin, Platform, Post, PostKind};

/// How much of a file the sniffer looks at; the first item follows the opening of the array.
pub(super) const SNIFF_PREFIX_BYTES: usize = 64 * 1024;
/// Where, after the opening of the `feed`/`records` array, the first item must show it is
/// Bluesky's (its `uri` or `$type` come first in real responses).
const SNIFF_ITEM_BYTES: usize = 4 * 1024;

/// The `$type` of a feed item's `reason` when the owner reposted it.
const REASON_REPOST: &str = "app.bsky.feed.defs#reasonRepost";
/// Embeds that quote another record.
const QUOTE_EMBEDS: [&str; 2] = ["app.bsky.embed.record", "app.bsky.embed.recordWithMedia"];
const LINK_FEATURE: &str = "app.bsky.richtext.facet#link";
const POST_TYPE: &str = "app.bsky.feed.post";
const REPOST_TYPE: &str = "app.bsky.feed.repost";

/// The opening of a top-level `feed` or `records` array of objects.
static LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""(feed|records)"\s*:\s*\[\s*\{"#).expect("valid regex"));
/// What only a Bluesky item holds: an `at://` URI or an `app.bsky.` type.
static BLUESKY_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(?:uri"\s*:\s*"at://|\$type"\s*:\s*"app\.bsky\.)"#).expect("valid regex")
});

/// The format of `content`, when it is a Bluesky feed or record list.
pub(super) fn sniff(_path: Option<&Path>, content: &str) -> Option<InputFormat> {
    if !content.trim_start().starts_with('{') {
        return None;
    }
    let head = prefix(content, SNIFF_PREFIX_BYTES);
    LIST.captures_iter(head).find_map(|list| {
        let whole = list.get(0)?;
        let item = prefix(head.get(whole.end()..)?, SNIFF_ITEM_BYTES);
        if !BLUESKY_ITEM.is_match(item) {
            return None;
        }
        match list.get(1)?.as_str() {
            "feed" => Some(InputFormat::BlueskyGetAuthorFeed),
            _ => Some(InputFormat::BlueskyListRecords),
        }
    })
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
    let (field, what) = if format == InputFormat::BlueskyListRecords {
        ("records", "listRecords")
    } else {
        ("feed", "getAuthorFeed")
    };
    let items = match &document {
        Value::Object(object) => match object.get(field) {
            Some(Value::Array(items)) => items,
            Some(other) => bail!(
                "{name}: `{field}` must be an array, found {}",
                describe(other)
            ),
            None => bail!(
                "{name}: expected a Bluesky {what} response with a `{field}` array; found none"
            ),
        },
        other => bail!(
            "{name}: expected a Bluesky {what} response (a JSON object with a `{field}` array), found {}",
            describe(other)
        ),
    };
    posts.reserve(items.len());
    for (index, item) in items.iter().enumerate() {
        let record = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let origin = Origin {
            source: context.source,
            location: Location::Record { record, line: None },
        };
        let read = if format == InputFormat::BlueskyListRecords {
            from_list_item(item, origin)
        } else {
            from_feed_item(item, origin)
        };
        let post = read.map_err(|(id, error)| match id {
            Some(id) => anyhow!("{name}: record {record} (id {id}): {error}"),
            None => anyhow!("{name}: record {record}: {error}"),
        })?;
        posts.extend(post);
    }
    Ok(())
}

/// An error in one item: the item's URI when known, and what went wrong.
type ItemError = (Option<String>, String);

/// The post of one `getAuthorFeed` item; `None` when it has no text and is not a repost.
fn from_feed_item(item: &Value, origin: Origin) -> Result<Option<Post>, ItemError> {
    let Some(item) = item.as_object() else {
        return Err((
            None,
            format!("expected a feed item object, found {}", describe(item)),
        ));
    };
    let Some(Value::Object(post)) = item.get("post") else {
        return Err((
            None,
            "expected a feed item with a `post` object".to_string(),
        ));
    };
    let uri = string(post, "uri").map(str::to_string);
    let fail = |error: String| (uri.clone(), error);
    let Some(Value::Object(record)) = post.get("record") else {
        return Err(fail(
            "expected the post to have a `record` object".to_string(),
        ));
    };
    let reason = item.get("reason").and_then(Value::as_object);
    let reposted = reason.is_some_and(|reason| string(reason, "$type") == Some(REASON_REPOST));
    let view_embed = post
        .get("embed")
        .and_then(Value::as_object)
        .and_then(|embed| string(embed, "$type"))
        .map(|kind| kind.strip_suffix("#view").unwrap_or(kind));
    let kind = if reposted {
        PostKind::Repost
    } else {
        record_kind(record, view_embed)
    };
    let Some(mut built) = record_post(record, kind, origin).map_err(fail)? else {
        return Ok(None);
    };
    built.id = uri.map(Into::into);
    if kind == PostKind::Repost {
        // When the owner reposted it, not when its author wrote it.
        built.created_at =
            timestamp(reason.and_then(|reason| reason.get("indexedAt"))).or(built.created_at);
    }
    if built.created_at.is_none() {
        built.created_at = timestamp(post.get("indexedAt"));
    }
    if kind == PostKind::Reply {
        built.set_to(
            item.get("reply")
                .and_then(|reply| reply.get("parent"))
                .and_then(|parent| parent.get("author"))
                .and_then(|author| author.get("handle"))
                .and_then(Value::as_str)
                .filter(|handle| !handle.is_empty())
                .map(|handle| format!("@{handle}")),
        );
    }
    Ok(Some(built))
}

/// The post of one `listRecords` item (its `value`); `None` for records that are not posts
/// (likes, follows) or posts without text.
fn from_list_item(item: &Value, origin: Origin) -> Result<Option<Post>, ItemError> {
    let Some(item) = item.as_object() else {
        return Err((
            None,
            format!("expected a record object, found {}", describe(item)),
        ));
    };
    let uri = string(item, "uri").map(str::to_string);
    let fail = |error: String| (uri.clone(), error);
    let Some(Value::Object(record)) = item.get("value") else {
        return Err(fail("expected a record with a `value` object".to_string()));
    };
    let built = match string(record, "$type") {
        None | Some(POST_TYPE) => {
            record_post(record, record_kind(record, None), origin).map_err(fail)?
        }
        // A listing of the repost collection: the owner's reposts, which carry no text.
        Some(REPOST_TYPE) => {
            let mut built = Post::new(String::new(), PostKind::Repost, origin);
            built.created_at = timestamp(record.get("createdAt"));
            built.platform = Some(Platform::Bluesky);
            Some(built)
        }
        Some(_) => None,
    };
    Ok(built.map(|mut built| {
        built.id = uri.map(Into::into);
        built
    }))
}

/// The kind of a post record: reply > quote > post. `view_embed` is the type of the feed
/// view's embed without its `#view` suffix, when there is one.
fn record_kind(record: &Map<String, Value>, view_embed: Option<&str>) -> PostKind {
    let embed = record
        .get("embed")
        .and_then(Value::as_object)
        .and_then(|embed| string(embed, "$type"));
    if record.get("reply").is_some_and(|reply| !reply.is_null()) {
        PostKind::Reply
    } else if [embed, view_embed]
        .into_iter()
        .flatten()
        .any(|kind| QUOTE_EMBEDS.contains(&kind))
    {
        PostKind::Quote
    } else {
        PostKind::Post
    }
}

/// A post from an `app.bsky.feed.post` record: text, time, reply target and links. `None`
/// when its text is empty after trimming and it is not a repost.
fn record_post(
    record: &Map<String, Value>,
    kind: PostKind,
    origin: Origin,
) -> Result<Option<Post>, String> {
    let text = match record.get("text") {
        Some(Value::String(text)) => text.trim(),
        None | Some(Value::Null) => "",
        Some(other) => {
            return Err(format!(
                "the record's `text` must be a string, found {}",
                describe(other)
            ));
        }
    };
    if text.is_empty() && kind != PostKind::Repost {
        return Ok(None);
    }
    let mut post = Post::new(text.to_string(), kind, origin);
    post.created_at = timestamp(record.get("createdAt"));
    post.set_in_reply_to(
        record
            .get("reply")
            .and_then(|reply| reply.get("parent"))
            .and_then(|parent| parent.get("uri"))
            .and_then(Value::as_str),
    );
    post.platform = Some(Platform::Bluesky);
    post.set_links(links(record));
    Ok(Some(post))
}

/// The link targets of a record: its link facets' `uri`s, then its link card's (an
/// `app.bsky.embed.external`, alone or with media), without repeats.
fn links(record: &Map<String, Value>) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    let mut add = |uri: Option<&str>| {
        if let Some(uri) = uri.map(str::trim).filter(|uri| !uri.is_empty())
            && !links.iter().any(|known| known == uri)
        {
            links.push(uri.to_string());
        }
    };
    if let Some(Value::Array(facets)) = record.get("facets") {
        let features = facets
            .iter()
            .filter_map(|facet| facet.get("features")?.as_array())
            .flatten()
            .filter_map(Value::as_object);
        for feature in features {
            if string(feature, "$type") == Some(LINK_FEATURE) {
                add(string(feature, "uri"));
            }
        }
    }
    let embed = record.get("embed");
    for external in [
        embed.and_then(|embed| embed.get("external")),
        embed
            .and_then(|embed| embed.get("media"))
            .and_then(|media| media.get("external")),
    ] {
        add(external.and_then(|external| external.get("uri")?.as_str()));
    }
    links
}

/// A string field, if present.
fn string<'a>(object: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    object.get(field).and_then(Value::as_str)
}

/// A Bluesky datetime (`2023-10-03T15:04:05.821Z`, sometimes with microseconds; taken as UTC
/// when a client left the offset out); `None` when absent or unreadable (the timestamp is
/// auxiliary, so an odd one does not stop the run).
fn timestamp(value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
    let value = value?.as_str()?;
    DateTime::parse_from_rfc3339(value).ok().or_else(|| {
        NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|time| time.and_utc().fixed_offset())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::TestFile;

    fn read_as(format: InputFormat, content: &str) -> Result<Vec<Post>> {
        TestFile::named("bsky.json").read(read, format, content)
    }

    const ME: &str = "at://did:plc:me000000000000000000000/app.bsky.feed.post";
    const THEM: &str = "at://did:plc:them00000000000000000000/app.bsky.feed.post";

    fn feed_item(rkey: &str, record: &str, extra: &str) -> String {
        format!(
            r#"{{"post":{{"uri":"{ME}/{rkey}","cid":"bafy{rkey}","author":{{"handle":"me.example.social"}},
            "record":{record},"indexedAt":"2024-05-01T12:00:00.000Z"}}{extra}}}"#
        )
    }

    #[test]
    fn feed_kinds_follow_repost_reply_quote_post() {
        let reply = format!(
            r#""reply":{{"root":{{"uri":"{THEM}/r","cid":"c"}},"parent":{{"uri":"{THEM}/p","cid":"c"}}}}"#
        );
        let quote_embed = format!(
            r#""embed":{{"$type":"app.bsky.embed.record","record":{{"uri":"{THEM}/q","cid":"c"}}}}"#
        );
        let repost_reason = r#","reason":{"$type":"app.bsky.feed.defs#reasonRepost","by":{"handle":"me.example.social"},"indexedAt":"2024-05-02T08:00:00Z"}"#;
        let items = [
            feed_item(
                "1",
                &format!(
                    r#"{{"text":"a quote that replies","createdAt":"2024-05-01T10:00:00Z",{reply},{quote_embed}}}"#
                ),
                r#","reply":{"parent":{"$type":"app.bsky.feed.defs#postView","author":{"handle":"them.example.social"}}}"#,
            ),
            feed_item(
                "2",
                &format!(
                    r#"{{"text":"reposted reply","createdAt":"2024-05-01T10:00:00Z",{reply}}}"#
                ),
                repost_reason,
            ),
            feed_item(
                "3",
                r#"{"text":"quote by view","createdAt":"2024-05-01T10:00:00Z"}"#,
                "",
            )
            .replace(
                r#""indexedAt""#,
                r#""embed":{"$type":"app.bsky.embed.recordWithMedia#view"},"indexedAt""#,
            ),
            feed_item(
                "4",
                r#"{"text":"  plain  ","createdAt":"2024-05-01T10:00:00.123456Z"}"#,
                r#","reason":{"$type":"app.bsky.feed.defs#reasonPin"}"#,
            ),
            feed_item(
                "5",
                r#"{"text":" ","createdAt":"2024-05-01T10:00:00Z"}"#,
                "",
            ),
            feed_item(
                "6",
                r#"{"text":"","createdAt":"2024-05-01T10:00:00Z"}"#,
                repost_reason,
            ),
        ];
        let content = format!(r#"{{"feed":[{}],"cursor":"x"}}"#, items.join(","));
        assert_eq!(
            sniff(None, &content),
            Some(InputFormat::BlueskyGetAuthorFeed)
        );
        let posts = read_as(InputFormat::BlueskyGetAuthorFeed, &content).unwrap();
        let kinds: Vec<PostKind> = posts.iter().map(|post| post.kind).collect();
        assert_eq!(
            kinds,
            [
                PostKind::Reply,
                PostKind::Repost,
                PostKind::Quote,
                PostKind::Post,
                PostKind::Repost
            ]
        );
        assert_eq!(posts[0].to(), Some("@them.example.social"));
        assert_eq!(posts[0].in_reply_to(), Some(&*format!("{THEM}/p")));
        assert_eq!(posts[0].id.as_deref(), Some(&*format!("{ME}/1")));
        assert_eq!(&*posts[1].text, "reposted reply");
        assert_eq!(
            posts[1].created_at.map(|time| time.to_rfc3339()),
            Some("2024-05-02T08:00:00+00:00".to_string())
        );
        assert_eq!(&*posts[3].text, "plain");
        assert_eq!(
            posts[3]
                .created_at
                .map(|time| time.timestamp_subsec_micros()),
            Some(123_456)
        );
        assert_eq!(&*posts[4].text, "");
        assert_eq!(
            posts[4].origin.location,
            Location::Record {
                record: 6,
                line: None
            }
        );
        assert!(
            posts
                .iter()
                .all(|post| post.platform == Some(Platform::Bluesky))
        );
    }

    #[test]
    fn link_facets_and_cards_are_links() {
        // The facet covers "shop.example/sp…" by UTF-8 bytes; only its uri is used.
        let record = r#"{"$type":"app.bsky.feed.post","text":"Nouveautés ✨ shop.example/sp...","createdAt":"2024-05-01T10:00:00Z",
            "facets":[{"index":{"byteStart":17,"byteEnd":999},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://shop.example/spring-sale"}]},
                      {"index":{"byteStart":0,"byteEnd":3},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"x"},{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:x"}]}],
            "embed":{"$type":"app.bsky.embed.external","external":{"uri":"https://shop.example/spring-sale","title":"t","description":"d"}}}"#;
        let content = format!(
            r#"{{"records":[{{"uri":"{ME}/1","cid":"c","value":{record}}},
            {{"uri":"{ME}/2","cid":"c","value":{{"text":"card only","embed":{{"$type":"app.bsky.embed.recordWithMedia","media":{{"external":{{"uri":"https://blog.example/a"}}}}}}}}}}]}}"#
        );
        let posts = read_as(InputFormat::BlueskyListRecords, &content).unwrap();
        assert_eq!(posts[0].links(), ["https://shop.example/spring-sale"]);
        assert_eq!(&*posts[0].text, "Nouveautés ✨ shop.example/sp...");
        assert_eq!(posts[1].links(), ["https://blog.example/a"]);
        assert_eq!(posts[1].kind, PostKind::Quote);
    }

    #[test]
    fn list_records_kinds_and_other_collections() {
        let content = format!(
            r#"{{"records":[
            {{"uri":"{ME}/1","cid":"c","value":{{"$type":"app.bsky.feed.post","text":"hello","createdAt":"2024-05-01T10:00:00Z"}}}},
            {{"uri":"{ME}/2","cid":"c","value":{{"$type":"app.bsky.feed.post","text":"yes!","createdAt":"2024-05-01T10:00:00Z",
              "reply":{{"root":{{"uri":"{THEM}/r"}},"parent":{{"uri":"{THEM}/p"}}}}}}}},
            {{"uri":"at://did:plc:me/app.bsky.feed.like/3","cid":"c","value":{{"$type":"app.bsky.feed.like","subject":{{"uri":"{THEM}/r"}}}}}},
            {{"uri":"at://did:plc:me/app.bsky.feed.repost/4","cid":"c","value":{{"$type":"app.bsky.feed.repost","subject":{{"uri":"{THEM}/r"}},"createdAt":"2024-05-01T10:00:00"}}}}
            ],"cursor":"abc"}}"#
        );
        assert_eq!(sniff(None, &content), Some(InputFormat::BlueskyListRecords));
        let posts = read_as(InputFormat::BlueskyListRecords, &content).unwrap();
        let kinds: Vec<PostKind> = posts.iter().map(|post| post.kind).collect();
        assert_eq!(kinds, [PostKind::Post, PostKind::Reply, PostKind::Repost]);
        assert_eq!(posts[1].in_reply_to(), Some(&*format!("{THEM}/p")));
        assert_eq!(posts[1].to(), None);
        assert_eq!(
            posts[2].id.as_deref(),
            Some("at://did:plc:me/app.bsky.feed.repost/4")
        );
        assert!(posts[2].created_at.is_some(), "offset-less time is UTC");
    }

    #[test]
    fn sniffs_only_bluesky_shaped_lists() {
        let records = format!(r#"{{ "records" : [ {{ "uri": "{ME}/1", "value": {{}} }} ] }}"#);
        assert_eq!(sniff(None, &records), Some(InputFormat::BlueskyListRecords));
        let typed = r#"{"feed":[{"post":{"record":{"$type":"app.bsky.feed.post","text":"x"}}}]}"#;
        assert_eq!(sniff(None, typed), Some(InputFormat::BlueskyGetAuthorFeed));
        for other in [
            r#"{"records":[{"uri":"https://example.com/1","text":"hello"}]}"#,
            r#"{"records":[{"text":"at:// is just text here"}]}"#,
            r#"{"feed":[]}"#,
            r#"{"feed":["at://did:plc:x/app.bsky.feed.post/1"]}"#,
            r#"{"posts":[{"text":"\"records\": [{\"uri\": \"at://x\"}]"}]}"#,
            r#"[{"uri":"at://did:plc:x/app.bsky.feed.post/1","text":"hi"}]"#,
            "",
        ] {
            assert_eq!(sniff(None, other), None, "{other}");
        }
    }

    #[test]
    fn sniffing_cuts_long_files_on_char_boundaries() {
        let long = format!(
            r#"{{"feed":[{{"x":"{}"}}]}}"#,
            "é".repeat(SNIFF_PREFIX_BYTES)
        );
        assert_eq!(sniff(None, &long), None);
    }

    #[test]
    fn malformed_responses_are_errors_that_say_where() {
        let error = read_as(InputFormat::BlueskyGetAuthorFeed, "{\"feed\": [\n  {oops")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("bsky.json:2:4: invalid JSON"), "{error}");
        let error = read_as(InputFormat::BlueskyGetAuthorFeed, r#"{"feed": {}}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("`feed` must be an array"), "{error}");
        let content = format!(r#"{{"feed":[{}]}}"#, feed_item("9", r#"{"text":7}"#, ""));
        let error = read_as(InputFormat::BlueskyGetAuthorFeed, &content)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("bsky.json: record 1 (id {ME}/9): ")),
            "{error}"
        );
        let error = read_as(
            InputFormat::BlueskyListRecords,
            r#"{"records":[{"uri":"at://x"}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("bsky.json: record 1 (id at://x): expected a record with a `value`"),
            "{error}"
        );
    }
}
