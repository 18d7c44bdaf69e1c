//! Mastodon exports: `outbox.json` (an ActivityStreams `OrderedCollection` of the account's own
//! activities) into posts, and `actor.json` (the account itself) into the owner's actor URI.
//!
//! A `Create` of a `Note` (or `Question`, a poll) is a post, a reply or, when it is addressed
//! to neither the Public collection nor a followers collection, a direct message; an `Announce`
//! (boost) is a repost without text. A Note's `content` is HTML: it is turned into plain text
//! (tags dropped but the text of every element kept, `<br>` a line break, paragraphs a blank
//! line, entities decoded) and trimmed; nothing else in it is changed. The content warning
//! (`summary`) is not text. Real exports have a duplicate `"orderedItems"` key (the first one
//! empty, mastodon issue #31091): the last one wins, as in any JSON reader that keeps the last
//! duplicate, so the outbox is read as a map of keys ([`read_items`]) or a [`Value`], never
//! into a struct that rejects duplicate fields.

use std::path::Path;
use std::sync::LazyLock;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, FixedOffset};
use regex::Regex;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::json::syntax_error;
use super::{ReadContext, describe, prefix};
use crate::post::{InputFormat, Location, Origin, Platform, Post, PostKind};

/// How much of a file the sniffer looks at: the outbox's `"orderedItems"` key follows the
/// `@context` (about 2 KB in real exports), the actor's `"type"` and `"outbox"` too.
pub(super) const SNIFF_PREFIX_BYTES: usize = 64 * 1024;
/// Largest file that can be an `actor.json` (real ones are a few KB: images are separate files),
/// so checking for an actor never parses a large file.
const MAX_ACTOR_BYTES: usize = 1 << 20;

/// Addresses that make a Note public (or unlisted when in `cc`).
const PUBLIC: [&str; 3] = [
    "https://www.w3.org/ns/activitystreams#Public",
    "as:Public",
    "Public",
];
/// Actor types an `actor.json` can have.
const ACTOR_TYPES: [&str; 5] = ["Person", "Service", "Application", "Group", "Organization"];

/// An `"orderedItems"` key and the opening of its array.
static ORDERED_ITEMS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""orderedItems"\s*:\s*\["#).expect("valid regex"));
static OUTBOX_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""outbox"\s*:"#).expect("valid regex"));
static ACTOR_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""type"\s*:\s*"(?:Person|Service|Application|Group|Organization)""#)
        .expect("valid regex")
});

/// The format of `content`, when it is a Mastodon outbox or actor.
pub(super) fn sniff(_path: Option<&Path>, content: &str) -> Option<InputFormat> {
    if !content.trim_start().starts_with('{') {
        return None;
    }
    let head = prefix(content, SNIFF_PREFIX_BYTES);
    let mut lists = ORDERED_ITEMS.find_iter(head).peekable();
    if lists.peek().is_some() {
        // `likes.json` and `bookmarks.json` are collections of URIs, not of activities.
        let of_uris = lists.any(|list| head[list.end()..].trim_start().starts_with('"'));
        return (!of_uris).then_some(InputFormat::MastodonOutbox);
    }
    actor(content).map(|_| InputFormat::MastodonActor)
}

/// Appends the posts of `content` (in `format`) to `posts`.
///
/// An outbox is read an item at a time ([`read_items`]); parsed whole into a [`Value`], an
/// outbox of a million items (447 MB) peaked at 2.7 GB. What that way cannot read (an actor,
/// a document that is not an outbox object, JSON that does not parse) is read whole, which
/// reports any problem with its place in the file.
pub(super) fn read(
    format: InputFormat,
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    if format == InputFormat::MastodonOutbox {
        let before = posts.len();
        match read_items(context, content, posts) {
            Some(read) => return read,
            None => posts.truncate(before),
        }
    }
    read_whole(format, context, content, posts)
}

/// Reads an outbox's posts from its items one at a time: the document is parsed into its keys
/// and the raw JSON of their values, and each item of the last `orderedItems` is parsed on its
/// own, its post made and the item dropped. `None` when the JSON does not read that way, for
/// [`read_whole`] to report.
///
/// What parsing the document whole into a [`Value`] rejects is rejected here too, so a file
/// reads the same either way: every other value (an earlier `orderedItems` included) is parsed
/// as a `Value` as well, each at the depth it has in the document ([`value_at_depth`]), which
/// keeps serde_json's limit on nesting where it was; and an item that is not a post stops the
/// reading only once the items after it have parsed, as before a JSON error anywhere won.
fn read_items(
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Option<Result<()>> {
    let Entries(entries) = serde_json::from_str(content).ok()?;
    // serde_json (feature `raw_value`) takes an object whose first key is this for a raw value
    // when it builds a `Value`, and reads its value as JSON text: leave that to `read_whole`.
    if entries
        .first()
        .is_some_and(|(key, _)| key == "$serde_json::private::RawValue")
    {
        return None;
    }
    let last = entries.iter().rposition(|(key, _)| key == "orderedItems")?;
    let mut scratch = String::new();
    for (at, (_, raw)) in entries.iter().enumerate() {
        if at != last {
            value_at_depth(raw, 1, &mut scratch)?;
        }
    }
    let items: Vec<&RawValue> = serde_json::from_str(entries[last].1.get()).ok()?;
    posts.reserve(items.len());
    for (index, item) in items.iter().enumerate() {
        let item = value_at_depth(item, 2, &mut scratch)?;
        match post_from_record(&item, index, context) {
            Ok(Some(post)) => posts.push(post),
            Ok(None) => {}
            Err(error) => {
                for later in &items[index + 1..] {
                    value_at_depth(later, 2, &mut scratch)?;
                }
                return Some(Err(error));
            }
        }
    }
    Some(Ok(()))
}

/// An object's keys and the raw JSON of their values, in the order written, repeated keys
/// included.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// `raw` parsed into a [`Value`] as if it sat `depth` arrays deep, as it does in the
/// document (`orderedItems`' items two levels down): serde_json counts nesting from the start
/// of what it parses, so a value parsed alone could nest deeper than its place allows.
fn value_at_depth(raw: &RawValue, depth: usize, scratch: &mut String) -> Option<Value> {
    scratch.clear();
    scratch.extend(std::iter::repeat_n('[', depth));
    scratch.push_str(raw.get());
    scratch.extend(std::iter::repeat_n(']', depth));
    let mut value = serde_json::from_str(scratch).ok()?;
    for _ in 0..depth {
        let Value::Array(mut wrapper) = value else {
            return None;
        };
        value = wrapper.pop()?;
    }
    Some(value)
}

/// [`read`] of a document parsed whole.
fn read_whole(
    format: InputFormat,
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    let name = context.name;
    let document: Value =
        serde_json::from_str(content).map_err(|error| syntax_error(name, None, &error))?;
    let Value::Object(mut document) = document else {
        bail!(
            "{name}: expected a Mastodon {} (a JSON object), found {}",
            if format == InputFormat::MastodonActor {
                "actor.json"
            } else {
                "outbox.json"
            },
            describe(&document)
        );
    };
    if format == InputFormat::MastodonActor {
        // The owner's account: it tells self-threads from replies, and holds no posts.
        return Ok(());
    }
    let items = match document.remove("orderedItems") {
        Some(Value::Array(items)) => items,
        Some(other) => bail!(
            "{name}: `orderedItems` must be an array of activities, found {}",
            describe(&other)
        ),
        None => bail!("{name}: expected an outbox with an `orderedItems` array; found none"),
    };
    posts.reserve(items.len());
    for (index, item) in items.iter().enumerate() {
        if let Some(post) = post_from_record(item, index, context)? {
            posts.push(post);
        }
    }
    Ok(())
}

/// The post of the outbox item at `index` (from 0), its errors named by record and id.
fn post_from_record(item: &Value, index: usize, context: ReadContext<'_>) -> Result<Option<Post>> {
    let name = context.name;
    let record = u32::try_from(index + 1).unwrap_or(u32::MAX);
    let origin = Origin {
        source: context.source,
        location: Location::Record { record, line: None },
    };
    let item_context = Item {
        origin,
        owner: context.owner.mastodon_actor.as_deref(),
    };
    post_from_item(item, item_context).map_err(|(id, error)| match id {
        Some(id) => anyhow!("{name}: record {record} (id {id}): {error}"),
        None => anyhow!("{name}: record {record}: {error}"),
    })
}

/// The owner's actor URI, when `content` is an `actor.json`.
pub(super) fn owner_from_actor(content: &str) -> Option<String> {
    let actor = actor(content)?;
    match actor.get("id") {
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        _ => None,
    }
}

/// The actor object, when `content` is an `actor.json`: a small JSON object whose `type` is an
/// actor type and that has an `outbox`. Cheap checks on a prefix come before parsing.
fn actor(content: &str) -> Option<Map<String, Value>> {
    if content.len() > MAX_ACTOR_BYTES || !content.trim_start().starts_with('{') {
        return None;
    }
    let head = prefix(content, SNIFF_PREFIX_BYTES);
    if !OUTBOX_KEY.is_match(head) || !ACTOR_TYPE.is_match(head) {
        return None;
    }
    let Ok(Value::Object(actor)) = serde_json::from_str::<Value>(content) else {
        return None;
    };
    let is_actor = matches!(actor.get("type"), Some(Value::String(kind)) if ACTOR_TYPES.contains(&kind.as_str()))
        && actor.contains_key("outbox")
        && !actor.contains_key("orderedItems");
    is_actor.then_some(actor)
}

/// An error in one outbox item: the item's id when known, and what went wrong.
type ItemError = (Option<String>, String);

/// Where an outbox item is, and whose outbox it is.
#[derive(Clone, Copy)]
struct Item<'a> {
    origin: Origin,
    /// The owner's actor URI, when an `actor.json` was found.
    owner: Option<&'a str>,
}

/// The post an outbox item holds, `None` for items that are not posts (likes, follows, a Note
/// without text).
fn post_from_item(item: &Value, context: Item<'_>) -> Result<Option<Post>, ItemError> {
    let origin = context.origin;
    let Value::Object(activity) = item else {
        return Ok(None);
    };
    let activity_id = string(activity, "id").map(str::to_string);
    match string(activity, "type") {
        Some("Announce") => {
            let target = match activity.get("object") {
                Some(Value::String(url)) => Some(url.clone()),
                Some(Value::Object(object)) => string(object, "url")
                    .or_else(|| string(object, "id"))
                    .map(str::to_string),
                _ => None,
            };
            let mut post = Post::new(String::new(), PostKind::Repost, origin);
            post.id = activity_id.map(Into::into);
            post.created_at = timestamp(activity.get("published"));
            post.platform = Some(Platform::Mastodon);
            post.set_links(target.into_iter().collect::<Vec<_>>());
            Ok(Some(post))
        }
        Some("Create") => {
            let Some(Value::Object(note)) = activity.get("object") else {
                return Ok(None);
            };
            if !matches!(string(note, "type"), Some("Note" | "Question")) {
                return Ok(None);
            }
            let id = string(note, "id")
                .or_else(|| string(note, "url"))
                .map(str::to_string)
                .or(activity_id);
            note_post(activity, note, id.clone(), context).map_err(|error| (id, error))
        }
        _ => Ok(None),
    }
}

/// The post of a `Create`d Note; `None` when it has no text.
fn note_post(
    activity: &Map<String, Value>,
    note: &Map<String, Value>,
    id: Option<String>,
    context: Item<'_>,
) -> Result<Option<Post>, String> {
    let Item { origin, owner } = context;
    let html = match note.get("content") {
        Some(Value::String(html)) => html.as_str(),
        None | Some(Value::Null) => match note.get("contentMap") {
            Some(Value::Object(languages)) => languages
                .values()
                .find_map(Value::as_str)
                .unwrap_or_default(),
            _ => "",
        },
        Some(other) => {
            return Err(format!(
                "the Note's `content` must be HTML text, found {}",
                describe(other)
            ));
        }
    };
    let converted = html_to_text(html);
    let text = converted.text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let in_reply_to = match note.get("inReplyTo") {
        Some(Value::String(url)) if !url.is_empty() => Some(url.clone()),
        Some(Value::Object(object)) => string(object, "id").map(str::to_string),
        _ => None,
    };
    // A Note without its own addressing is addressed like its activity.
    let addressed = if note.contains_key("to") || note.contains_key("cc") {
        note
    } else {
        activity
    };
    let kind = if is_direct(addressed) {
        PostKind::Dm
    } else if in_reply_to.is_some() {
        PostKind::Reply
    } else {
        PostKind::Post
    };
    let to = match kind {
        PostKind::Dm | PostKind::Reply => recipient(note, in_reply_to.as_deref(), owner),
        _ => None,
    };
    let mut post = Post::new(text.to_string(), kind, origin);
    post.id = id.map(Into::into);
    post.set_to(to);
    post.set_in_reply_to(in_reply_to);
    post.created_at =
        timestamp(note.get("published")).or_else(|| timestamp(activity.get("published")));
    post.platform = Some(Platform::Mastodon);
    post.set_links(converted.links);
    Ok(Some(post))
}

/// Whether a Note is a direct message: addressed (`to` and `cc`) to neither the Public
/// collection nor any followers collection, only to people. (A Note addressed to no one at all
/// says nothing about its audience, and is not taken for a DM.)
fn is_direct(object: &Map<String, Value>) -> bool {
    let all: Vec<&str> = ["to", "cc"]
        .iter()
        .flat_map(|field| addresses(object.get(*field)))
        .collect();
    !all.is_empty()
        && !all
            .iter()
            .any(|address| PUBLIC.contains(address) || address.ends_with("/followers"))
}

/// The addresses of a `to` or `cc` field: one string or an array of them.
fn addresses(field: Option<&Value>) -> Vec<&str> {
    match field {
        Some(Value::String(address)) => vec![address.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Who a reply or DM is for: the mentioned account that wrote the post it answers (its
/// `href` starts the `inReplyTo` URI), else the first mentioned account (`@user@host`) unless
/// the post answers the owner's own (a self-thread, where a mention is not the recipient).
fn recipient(
    note: &Map<String, Value>,
    in_reply_to: Option<&str>,
    owner: Option<&str>,
) -> Option<String> {
    let Some(Value::Array(tags)) = note.get("tag") else {
        return None;
    };
    let mentions: Vec<&Map<String, Value>> = tags
        .iter()
        .filter_map(Value::as_object)
        .filter(|tag| string(tag, "type") == Some("Mention"))
        .collect();
    let author = in_reply_to.and_then(|answered| {
        mentions
            .iter()
            .find(|tag| string(tag, "href").is_some_and(|href| is_under(answered, href)))
    });
    let self_thread = in_reply_to
        .zip(owner)
        .is_some_and(|(answered, owner)| is_under(answered, owner));
    author
        .or_else(|| mentions.first().filter(|_| !self_thread))
        .and_then(|tag| string(tag, "name"))
        .filter(|name| !name.is_empty())
        .map(str::to_string)
}

/// Whether `uri` is below the actor URI `actor` (`https://host/users/ana/statuses/1` is below
/// `https://host/users/ana`).
fn is_under(uri: &str, actor: &str) -> bool {
    !actor.is_empty()
        && uri
            .strip_prefix(actor.trim_end_matches('/'))
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A string field, if present.
fn string<'a>(object: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    object.get(field).and_then(Value::as_str)
}

/// An RFC 3339 timestamp (`2022-11-08T03:07:14Z`); `None` when absent or unreadable (the
/// export's timestamp is auxiliary, so an odd one does not stop the run).
fn timestamp(value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(value?.as_str()?).ok()
}

/// Plain text of a Note's HTML, and the targets of its links.
#[derive(Debug, Default, PartialEq)]
struct Converted {
    /// The text, not yet trimmed.
    text: String,
    /// `href`s of the `<a>` elements that are links (not mentions or hashtags), in order,
    /// without repeats.
    links: Vec<String>,
}

/// Turns Mastodon's HTML into plain text: tags are dropped and the text of every element is
/// kept (the `invisible` spans hold the parts of a URL Mastodon hides, so the full URL comes
/// back), `<br>` is a line break, paragraphs and other blocks are separated by a blank line,
/// and entities are decoded. A `<` that does not open a tag is text. Never fails: malformed
/// HTML gives its best reading.
fn html_to_text(html: &str) -> Converted {
    let mut out = Converter::default();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.text(&rest[..open]);
        let at_tag = &rest[open..];
        match tag_at(at_tag) {
            Some((tag, length)) => {
                out.tag(&tag);
                rest = &at_tag[length..];
            }
            None => {
                out.text("<");
                rest = &at_tag[1..];
            }
        }
    }
    out.text(rest);
    out.converted
}

/// The converter's state: the text so far, and the line breaks owed before the next text.
#[derive(Default)]
struct Converter {
    converted: Converted,
    pending_breaks: usize,
}

impl Converter {
    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let decoded = html_escape::decode_html_entities(raw);
        // Whitespace between blocks is layout, not text.
        if self.pending_breaks > 0 && decoded.trim().is_empty() {
            return;
        }
        self.flush_breaks();
        self.converted.text.push_str(&decoded);
    }

    fn flush_breaks(&mut self) {
        if !self.converted.text.is_empty() {
            for _ in 0..self.pending_breaks {
                self.converted.text.push('\n');
            }
        }
        self.pending_breaks = 0;
    }

    fn tag(&mut self, tag: &Tag<'_>) {
        match tag.name.as_str() {
            "br" => {
                self.flush_breaks();
                self.converted.text.push('\n');
            }
            "p" | "div" | "blockquote" | "pre" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5"
            | "h6" => self.pending_breaks = self.pending_breaks.max(2),
            "li" => self.pending_breaks = self.pending_breaks.max(1),
            "a" if !tag.closing => {
                let mut href = None;
                let mut is_link = true;
                for (name, value) in attributes(tag.attributes) {
                    match name.as_str() {
                        "href" => href = Some(value),
                        "class" => {
                            is_link &= !value
                                .split_ascii_whitespace()
                                .any(|class| class == "mention" || class == "hashtag");
                        }
                        "rel" => is_link &= !value.split_ascii_whitespace().any(|rel| rel == "tag"),
                        _ => {}
                    }
                }
                if let Some(href) = href.filter(|href| is_link && !href.trim().is_empty()) {
                    let href = href.trim().to_string();
                    if !self.converted.links.contains(&href) {
                        self.converted.links.push(href);
                    }
                }
            }
            _ => {}
        }
    }
}

/// One tag: its lowercase name, whether it closes an element, and the raw attribute text.
#[derive(Debug)]
struct Tag<'a> {
    name: String,
    closing: bool,
    attributes: &'a str,
}

/// The tag (or comment, or declaration) that `html` starts with (it starts with `<`), and its
/// length in bytes; `None` when the `<` does not open one.
fn tag_at(html: &str) -> Option<(Tag<'_>, usize)> {
    let after = html.get(1..)?;
    if let Some(comment) = after.strip_prefix("!--") {
        let end = comment.find("-->")?;
        return Some((Tag::other(), 1 + 3 + end + 3));
    }
    let (closing, body) = match after.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, after),
    };
    let first = body.chars().next()?;
    if first == '!' || first == '?' {
        let end = body.find('>')?;
        return Some((Tag::other(), html.len() - body.len() + end + 1));
    }
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(body.len());
    let end = tag_end(body).or_else(|| body.find('>'))?;
    let tag = Tag {
        name: body[..name_end].to_ascii_lowercase(),
        closing,
        attributes: body.get(name_end..end).unwrap_or_default(),
    };
    Some((tag, html.len() - body.len() + end + 1))
}

impl Tag<'_> {
    /// A comment or declaration: nothing to do.
    fn other() -> Tag<'static> {
        Tag {
            name: String::new(),
            closing: false,
            attributes: "",
        }
    }
}

/// The byte index of the `>` that ends a tag body, skipping `>` inside quoted attribute values.
fn tag_end(body: &str) -> Option<usize> {
    let mut quote = None;
    for (index, byte) in body.bytes().enumerate() {
        match (quote, byte) {
            (Some(open), _) if byte == open => quote = None,
            (None, b'"' | b'\'') => quote = Some(byte),
            (None, b'>') => return Some(index),
            _ => {}
        }
    }
    None
}

/// The attributes of a tag as lowercase names and entity-decoded values (`""` when a name has
/// no value).
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return found;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        // `rest` started with a name char or `=`, so each turn consumes something.
        let Some(after_equals) = rest.strip_prefix('=') else {
            found.push((name, String::new()));
            continue;
        };
        let value_text = after_equals.trim_start();
        let (value, remaining) = match value_text.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &value_text[1..];
                match inner.find(quote) {
                    Some(end) => (&inner[..end], &inner[end + 1..]),
                    None => (inner, ""),
                }
            }
            _ => {
                let end = value_text
                    .find(char::is_whitespace)
                    .unwrap_or(value_text.len());
                (&value_text[..end], &value_text[end..])
            }
        };
        found.push((name, html_escape::decode_html_entities(value).into_owned()));
        rest = remaining;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Owner, TestFile};

    fn text(html: &str) -> String {
        html_to_text(html).text.trim().to_string()
    }

    fn read_outbox(content: &str) -> Result<Vec<Post>> {
        read_outbox_owned_by(content, &Owner::default())
    }

    fn read_outbox_owned_by(content: &str, owner: &Owner) -> Result<Vec<Post>> {
        let file = TestFile {
            name: "outbox.json",
            owner: owner.clone(),
            ..TestFile::default()
        };
        file.read(read, InputFormat::MastodonOutbox, content)
    }

    /// An outbox holding `items` (JSON texts).
    fn outbox(items: &[&str]) -> String {
        format!(
            r#"{{"id":"outbox.json","type":"OrderedCollection","orderedItems":[{}]}}"#,
            items.join(",")
        )
    }

    /// A `Create` of a Note with the given addressing, reply target and content.
    fn note(to: &str, cc: &str, in_reply_to: &str, content: &str) -> String {
        format!(
            r#"{{"type":"Create","object":{{"id":"https://social.example/users/kit/statuses/1","type":"Note",
            "published":"2024-03-01T10:00:00Z","to":{to},"cc":{cc},"inReplyTo":{in_reply_to},
            "content":{},"tag":[{{"type":"Mention","href":"https://other.example/users/ana","name":"@ana@other.example"}},
            {{"type":"Mention","href":"https://social.example/users/bo","name":"@bo"}}]}}}}"#,
            serde_json::to_string(content).unwrap()
        )
    }

    const PUBLIC_TO: &str = r#"["https://www.w3.org/ns/activitystreams#Public"]"#;
    const FOLLOWERS: &str = r#"["https://social.example/users/kit/followers"]"#;

    #[test]
    fn invisible_spans_rebuild_the_full_url() {
        let html = r#"<p>Read <a href="https://blog.example/2024/03/long-post-title" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">blog.example/2024/03/lo</span><span class="invisible">ng-post-title</span></a></p>"#;
        let converted = html_to_text(html);
        assert_eq!(
            converted.text,
            "Read https://blog.example/2024/03/long-post-title"
        );
        assert_eq!(
            converted.links,
            ["https://blog.example/2024/03/long-post-title"]
        );
    }

    #[test]
    fn br_is_a_line_break_and_paragraphs_a_blank_line() {
        assert_eq!(
            text("<p>one<br>two<br />three</p><p>four</p><p>five</p>"),
            "one\ntwo\nthree\n\nfour\n\nfive"
        );
        assert_eq!(text("<p>a</p>\n<p>b</p>"), "a\n\nb");
        assert_eq!(text("<P>Upper<BR/>case</P>"), "Upper\ncase");
    }

    #[test]
    fn entities_are_decoded_once() {
        assert_eq!(
            text("<p>I&#39;m &quot;here&quot; &amp; &lt;p&gt; is text &amp;amp;</p>"),
            "I'm \"here\" & <p> is text &amp;"
        );
        assert_eq!(text("caf&eacute; &#x1F600;"), "café 😀");
    }

    #[test]
    fn nested_tags_keep_their_text() {
        let html = r#"<p><span class="h-card" translate="no"><a href="https://other.example/@ana" class="u-url mention">@<span>ana</span></a></span> see <a href="https://social.example/tags/rust" class="mention hashtag" rel="tag">#<span>rust</span></a> <b><i>now</i></b></p>"#;
        let converted = html_to_text(html);
        assert_eq!(&*converted.text, "@ana see #rust now");
        assert!(converted.links.is_empty(), "{:?}", converted.links);
    }

    #[test]
    fn soft_hyphens_and_plain_text_stay() {
        assert_eq!(text("<p>ama\u{ad}teur</p>"), "ama\u{ad}teur");
        assert_eq!(text("no tags at all"), "no tags at all");
    }

    #[test]
    fn malformed_html_never_panics_and_keeps_text() {
        assert_eq!(text("a < b and c > d"), "a < b and c > d");
        assert_eq!(text("<p>unclosed <a href=\"x"), "unclosed <a href=\"x");
        assert_eq!(text("<!-- note --><p>after</p>"), "after");
        assert_eq!(text("<!-- never closed"), "<!-- never closed");
        assert_eq!(
            text(r#"<a title="1 > 0" href="https://x.example">x</a>"#),
            "x"
        );
        for html in [
            "<",
            "<<",
            "</",
            "<a",
            "<a href=",
            "<a href='",
            "<a =x>",
            "<é>",
            "</p",
            "<p>é<",
            "&",
            "&#",
            "&#x;",
            "<br",
            "<a href=\"é\">",
            "<!",
            "<!-",
            "<!--",
            "<?xml",
            "<a\u{0}>",
            "<p>\u{ad}</p>",
            "</>",
            "<a href=\"\">",
        ] {
            let _ = html_to_text(html);
        }
    }

    #[test]
    fn every_short_mix_of_markup_characters_converts() {
        let alphabet: Vec<char> = "<>/\"'=!-a&;é ".chars().collect();
        let mut html = String::new();
        for a in &alphabet {
            for b in &alphabet {
                for c in &alphabet {
                    for d in &alphabet {
                        html.clear();
                        html.extend([*a, *b, *c, *d]);
                        let _ = html_to_text(&html);
                    }
                }
            }
        }
    }

    #[test]
    fn sniffing_cuts_long_files_on_char_boundaries() {
        let long = format!("{{\"text\":\"{}\"}}", "é".repeat(SNIFF_PREFIX_BYTES));
        assert_eq!(sniff(None, &long), None);
        assert_eq!(owner_from_actor(&long), None);
    }

    #[test]
    fn links_skip_mentions_hashtags_and_repeats() {
        let html = r#"<a href="https://a.example/x">1</a> <a href="https://a.example/x">2</a> <a class="u-url mention" href="https://b.example/@c">@c</a> <a href="https://shop.example/?a=1&amp;b=2">shop</a>"#;
        assert_eq!(
            html_to_text(html).links,
            ["https://a.example/x", "https://shop.example/?a=1&b=2"]
        );
    }

    #[test]
    fn kinds_come_from_the_addressing() {
        let user = r#"["https://other.example/users/ana"]"#;
        let items = [
            note(PUBLIC_TO, FOLLOWERS, "null", "<p>public</p>"),
            note(
                r#"["as:Public"]"#,
                "[]",
                r#""https://other.example/users/ana/statuses/9""#,
                "<p>reply</p>",
            ),
            note(user, "[]", "null", "<p>direct</p>"),
            note(
                user,
                "[]",
                r#""https://other.example/users/ana/statuses/9""#,
                "<p>direct reply</p>",
            ),
            note(FOLLOWERS, user, "null", "<p>followers only</p>"),
            note(r#""Public""#, "[]", "null", "<p>to as a string</p>"),
            note("[]", PUBLIC_TO, "null", "<p>unlisted</p>"),
        ];
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let posts = read_outbox(&outbox(&refs)).unwrap();
        let kinds: Vec<PostKind> = posts.iter().map(|post| post.kind).collect();
        assert_eq!(
            kinds,
            [
                PostKind::Post,
                PostKind::Reply,
                PostKind::Dm,
                PostKind::Dm,
                PostKind::Post,
                PostKind::Post,
                PostKind::Post
            ]
        );
        assert_eq!(posts[0].to(), None);
        assert_eq!(posts[1].to(), Some("@ana@other.example"));
        assert_eq!(posts[2].to(), Some("@ana@other.example"));
        assert_eq!(
            posts[1].in_reply_to(),
            Some("https://other.example/users/ana/statuses/9")
        );
        assert!(posts.iter().all(|post| !post.received));
    }

    #[test]
    fn reply_is_addressed_to_the_author_it_answers() {
        let item = note(
            PUBLIC_TO,
            "[]",
            r#""https://social.example/users/bo/statuses/4""#,
            "<p>hi both</p>",
        );
        let posts = read_outbox(&outbox(&[&item])).unwrap();
        assert_eq!(posts[0].to(), Some("@bo"));
    }

    #[test]
    fn self_thread_is_still_a_reply() {
        let item = note(
            PUBLIC_TO,
            FOLLOWERS,
            r#""https://social.example/users/kit/statuses/0""#,
            "<p>2/ and another thing</p>",
        );
        let owner = Owner {
            mastodon_actor: Some("https://social.example/users/kit".to_string()),
            ..Owner::default()
        };
        let posts = read_outbox_owned_by(&outbox(&[&item]), &owner).unwrap();
        assert_eq!(posts[0].kind, PostKind::Reply);
        // Mentioning others in one's own thread does not make them the recipient.
        assert_eq!(posts[0].to(), None);
        let posts = read_outbox(&outbox(&[&item])).unwrap();
        assert_eq!(posts[0].to(), Some("@ana@other.example"));
    }

    #[test]
    fn duplicate_ordered_items_key_last_wins() {
        let item = note(PUBLIC_TO, FOLLOWERS, "null", "<p>kept</p>");
        let content =
            format!(r#"{{"type":"OrderedCollection","orderedItems":[],"orderedItems":[{item}]}}"#);
        assert_eq!(sniff(None, &content), Some(InputFormat::MastodonOutbox));
        let posts = read_outbox(&content).unwrap();
        assert_eq!(posts.len(), 1);
        assert_eq!(&*posts[0].text, "kept");
        // The other way round, the empty list is the one read.
        let content =
            format!(r#"{{"type":"OrderedCollection","orderedItems":[{item}],"orderedItems":[]}}"#);
        assert!(read_outbox(&content).unwrap().is_empty());
    }

    #[test]
    fn boosts_are_reposts_without_text() {
        let content = outbox(&[
            r#"{"id":"https://social.example/users/kit/statuses/2/activity","type":"Announce","published":"2024-03-02T08:00:00Z",
            "to":["https://www.w3.org/ns/activitystreams#Public"],"object":"https://other.example/users/ana/statuses/7"}"#,
        ]);
        let posts = read_outbox(&content).unwrap();
        assert_eq!(posts.len(), 1);
        let boost = &posts[0];
        assert_eq!(boost.kind, PostKind::Repost);
        assert_eq!(&*boost.text, "");
        assert_eq!(
            boost.links(),
            ["https://other.example/users/ana/statuses/7"]
        );
        assert_eq!(
            boost.id.as_deref(),
            Some("https://social.example/users/kit/statuses/2/activity")
        );
        assert_eq!(boost.platform, Some(Platform::Mastodon));
        assert!(boost.created_at.is_some());
    }

    #[test]
    fn fields_and_record_numbers_are_carried_over() {
        let content = outbox(&[
            r#"{"type":"Like","object":"https://other.example/users/ana/statuses/7"}"#,
            r#""https://social.example/some/uri""#,
            r#"{"type":"Create","object":{"id":"https://social.example/users/kit/statuses/3","url":"https://social.example/@kit/3","type":"Note",
            "summary":"spoilers","published":"2024-03-03T09:15:30+01:00","to":["https://www.w3.org/ns/activitystreams#Public"],
            "content":"\u003cp\u003eThe ending!\u003c/p\u003e"},"signature":{"type":"RsaSignature2017","signatureValue":"abc="}}"#,
            r#"{"type":"Create","object":{"type":"Note","to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p> </p>"}}"#,
        ]);
        let posts = read_outbox(&content).unwrap();
        assert_eq!(posts.len(), 1);
        let post = &posts[0];
        assert_eq!(&*post.text, "The ending!");
        assert_eq!(
            post.id.as_deref(),
            Some("https://social.example/users/kit/statuses/3")
        );
        assert_eq!(
            post.created_at.map(|time| time.to_rfc3339()),
            Some("2024-03-03T09:15:30+01:00".to_string())
        );
        assert_eq!(
            post.origin.location,
            Location::Record {
                record: 3,
                line: None
            }
        );
    }

    #[test]
    fn malformed_outboxes_are_errors_that_say_where() {
        let error = read_outbox("{\"orderedItems\": [\n{,")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("outbox.json:2:2: invalid JSON"),
            "{error}"
        );
        let error = read_outbox(r#"{"orderedItems": {}}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("`orderedItems` must be an array"), "{error}");
        let content = outbox(&[
            r#"{"type":"Create","object":{"id":"https://social.example/n/1","type":"Note","to":["as:Public"],"content":5}}"#,
        ]);
        let error = read_outbox(&content).unwrap_err().to_string();
        assert!(
            error.starts_with("outbox.json: record 1 (id https://social.example/n/1): "),
            "{error}"
        );
        // Nested past serde_json's limit inside an item, which is parsed on its own: the error
        // still gives the place in the file, as parsing the document whole does.
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let content = format!("{{\"orderedItems\": [\n{{\"type\": \"Note\"}},\n{deep}]}}");
        let error = read_outbox(&content).unwrap_err().to_string();
        assert!(
            error.starts_with("outbox.json:3:126: invalid JSON: recursion limit exceeded"),
            "{error}"
        );
    }

    /// Every outbox that parsing the document whole rejects is rejected when it is read an
    /// item at a time, with the same error: values read raw still have their escapes, numbers
    /// and nesting checked, and a JSON error anywhere comes before an item that is not a post.
    #[test]
    fn outboxes_read_an_item_at_a_time_reject_what_a_whole_parse_rejects() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let not_a_post =
            r#"{"type":"Create","object":{"type":"Note","to":["as:Public"],"content":5}}"#;
        for content in [
            r#"{"summary":"\ud800","orderedItems":[]}"#.to_string(),
            r#"{"totalItems":1e999,"orderedItems":[]}"#.to_string(),
            r#"{"orderedItems":[1e999],"orderedItems":[]}"#.to_string(),
            format!(r#"{{"first":{},"orderedItems":[]}}"#, nested(127)),
            format!(r#"{{"orderedItems":[{}]}}"#, nested(126)),
            format!(r#"{{"orderedItems":[{not_a_post},{{"n":1e999}}]}}"#),
            format!(r#"{{"$serde_json::private::RawValue":5,"orderedItems":[{not_a_post}]}}"#),
            r#"{"$serde_json::private::RawValu\u0065":"{}","orderedItems":[]}"#.to_string(),
        ] {
            let whole = read_whole(
                InputFormat::MastodonOutbox,
                TestFile::named("outbox.json").context(),
                &content,
                &mut Vec::new(),
            )
            .unwrap_err()
            .to_string();
            assert!(whole.contains("invalid JSON"), "{whole}");
            let error = read_outbox(&content).unwrap_err().to_string();
            assert_eq!(error, whole, "{content}");
        }
        // Just inside the limit, read an item at a time (not left to `read_whole`): with the
        // cases above, this pins each value's depth to the one it has in the document.
        for deepest in [
            format!(r#"{{"first":{},"orderedItems":[]}}"#, nested(126)),
            format!(r#"{{"orderedItems":[{}]}}"#, nested(125)),
        ] {
            let read = read_items(
                TestFile::named("outbox.json").context(),
                &deepest,
                &mut Vec::new(),
            );
            assert!(matches!(read, Some(Ok(()))), "{deepest}");
        }
    }

    #[test]
    fn sniffs_outboxes_and_actors_only() {
        let actor = r#"{"@context":["https://www.w3.org/ns/activitystreams"],"id":"https://social.example/users/kit","type":"Person","outbox":"outbox.json","preferredUsername":"kit"}"#;
        assert_eq!(sniff(None, actor), Some(InputFormat::MastodonActor));
        assert_eq!(
            owner_from_actor(actor).as_deref(),
            Some("https://social.example/users/kit")
        );
        let outbox = r#"{"type":"OrderedCollection","orderedItems" : [ {"type":"Announce"}]}"#;
        assert_eq!(sniff(None, outbox), Some(InputFormat::MastodonOutbox));
        assert_eq!(owner_from_actor(outbox), None);
        for other in [
            r#"{"id":"likes.json","type":"OrderedCollection","orderedItems":["https://a.example/1"]}"#,
            r#"{"type":"Person","name":"no outbox"}"#,
            r#"{"type":"Note","outbox":"x"}"#,
            r#"[{"text":"orderedItems"}]"#,
            r#"{"text":"\"orderedItems\": [ is quoted"}"#,
            r#"{"posts":[{"text":"a \"type\":\"Person\", \"outbox\": here"}]}"#,
            "orderedItems",
            "",
        ] {
            assert_eq!(sniff(None, other), None, "{other}");
            assert_eq!(owner_from_actor(other), None, "{other}");
        }
    }

    #[test]
    fn actor_has_no_posts() {
        let posts = TestFile::named("actor.json")
            .read(
                read,
                InputFormat::MastodonActor,
                r#"{"type":"Person","outbox":"outbox.json"}"#,
            )
            .unwrap();
        assert!(posts.is_empty());
    }
}
