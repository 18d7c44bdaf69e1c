//! Legacy (pre-2019) Twitter archives into [`Post`]s: `tweets.csv` and the Grailbird
//! `data/js/tweets/YYYY_MM.js` files (`Grailbird.data.tweets_2009_04 = [ … ]`).
//!
//! Both hold the account's own tweets. A tweet is a repost when it retweets (`retweeted_status_id`
//! in the CSV, a `retweeted_status` object in Grailbird), else a reply when it answers a status,
//! else a post; an `@`-leading tweet that names only a user to answer is a post, as the archive
//! does not say it answers a tweet. Text is the tweet's `text` with HTML entities decoded and
//! trimmed; tweets left without text are skipped, except retweets. `tweets.csv` is real CSV with
//! raw line breaks inside quoted texts, so it is read with a CSV parser (after the quoting check
//! shared with the other CSV readers), and each post remembers the line its row starts on. The
//! expanded targets of the tweet's `t.co` links become [`Post::links`].

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use csv::StringRecord;
use serde_json::{Map, Value};

use super::csv_file::{check_quotes, first_line, next_record, parse_datetime, reader, record_line};
use super::json::syntax_error;
use super::{ReadContext, describe};
use crate::post::{InputFormat, Location, Origin, Platform, Post, PostKind};

/// How every Grailbird tweets file opens.
const GRAILBIRD_PREFIX: &str = "Grailbird.data.";

/// The format of `content`, when it is a legacy Twitter archive file.
pub(super) fn sniff(_path: Option<&Path>, content: &str) -> Option<InputFormat> {
    if content.trim_start().starts_with(GRAILBIRD_PREFIX) {
        return Some(InputFormat::XLegacyGrailbirdJs);
    }
    let line = first_line(content);
    if !line
        .trim_start()
        .trim_start_matches('"')
        .starts_with("tweet_id")
    {
        return None;
    }
    let header = header(line)?;
    let has = |name: &str| header.iter().any(|field| field == name);
    (header.first().is_some_and(|first| first == "tweet_id")
        && has("text")
        && has("retweeted_status_id"))
    .then_some(InputFormat::XLegacyTweetsCsv)
}

/// Appends the posts of `content` (in `format`) to `posts`.
pub(super) fn read(
    format: InputFormat,
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    match format {
        InputFormat::XLegacyGrailbirdJs => read_grailbird(context, content, posts),
        _ => read_tweets_csv(context, content, posts),
    }
}

/// The trimmed fields of a CSV header line.
fn header(line: &str) -> Option<Vec<String>> {
    let mut record = StringRecord::new();
    reader(line, b',').read_record(&mut record).ok()?;
    Some(
        record
            .iter()
            .map(|field| field.trim().to_string())
            .collect(),
    )
}

/// Reads `tweets.csv`: one post per row.
fn read_tweets_csv(context: ReadContext<'_>, content: &str, posts: &mut Vec<Post>) -> Result<()> {
    let name = context.name;
    check_quotes(name, content, b',')?;
    let mut reader = reader(content, b',');
    let mut record = StringRecord::new();
    if !next_record(name, &mut reader, &mut record)? {
        return Ok(());
    }
    let header: Vec<String> = record
        .iter()
        .map(|field| field.trim().to_string())
        .collect();
    let column = |name: &str| header.iter().position(|field| field == name);
    let Some(text_column) = column("text") else {
        bail!(
            "{name}:1: expected the header of a legacy Twitter archive tweets.csv \
             (`\"tweet_id\",\"in_reply_to_status_id\",…,\"text\",…`), found no `text` column"
        );
    };
    let columns = CsvColumns {
        text: text_column,
        id: column("tweet_id"),
        in_reply_to: column("in_reply_to_status_id"),
        timestamp: column("timestamp"),
        retweeted: column("retweeted_status_id"),
        urls: column("expanded_urls"),
    };
    let mut number = 0u32;
    while next_record(name, &mut reader, &mut record)? {
        number = number.saturating_add(1);
        let line = record_line(&record);
        let id = columns
            .id
            .and_then(|id| record.get(id))
            .map(str::trim)
            .filter(|id| !id.is_empty());
        if record.len() != header.len() {
            let place = match id {
                Some(id) => format!("record {number} (id {id})"),
                None => format!("record {number}"),
            };
            bail!(
                "{name}:{line}: {place}: {} fields, but the header has {}; every field of \
                 tweets.csv is quoted, so the row is damaged",
                record.len(),
                header.len()
            );
        }
        let origin = Origin {
            source: context.source,
            location: Location::Record {
                record: number,
                line: Some(line),
            },
        };
        posts.extend(csv_row(&columns, &record, origin));
    }
    Ok(())
}

/// Where the columns of `tweets.csv` are (the header names them; old archives order them
/// differently).
struct CsvColumns {
    text: usize,
    id: Option<usize>,
    in_reply_to: Option<usize>,
    timestamp: Option<usize>,
    retweeted: Option<usize>,
    urls: Option<usize>,
}

/// The post of one `tweets.csv` row; `None` when it has no text and is not a retweet.
fn csv_row(columns: &CsvColumns, record: &StringRecord, origin: Origin) -> Option<Post> {
    let field = |column: Option<usize>| {
        column
            .and_then(|column| record.get(column))
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let in_reply_to = field(columns.in_reply_to);
    let kind = if field(columns.retweeted).is_some() {
        PostKind::Repost
    } else if in_reply_to.is_some() {
        PostKind::Reply
    } else {
        PostKind::Post
    };
    let decoded = html_escape::decode_html_entities(record.get(columns.text).unwrap_or_default());
    let text = decoded.trim();
    if text.is_empty() && kind != PostKind::Repost {
        return None;
    }
    let mut post = Post::new(text.to_string(), kind, origin);
    post.id = field(columns.id).map(Into::into);
    post.set_in_reply_to(in_reply_to);
    if kind == PostKind::Reply {
        post.set_to(leading_handle(text));
    }
    post.created_at = field(columns.timestamp).and_then(parse_datetime);
    post.platform = Some(Platform::X);
    post.set_links(split_urls(field(columns.urls).unwrap_or_default()));
    Some(post)
}

/// The links of `expanded_urls`: joined with commas, repeated once per `t.co` link and per media
/// item. A comma inside a URL stays (a piece that does not start a new URL belongs to the last).
fn split_urls(joined: &str) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for piece in joined.split(',') {
        let starts_url = piece.starts_with("http://") || piece.starts_with("https://");
        match urls.last_mut() {
            Some(last) if !starts_url => {
                last.push(',');
                last.push_str(piece);
            }
            _ if piece.trim().is_empty() => {}
            _ => urls.push(piece.trim().to_string()),
        }
    }
    let mut unique: Vec<String> = Vec::with_capacity(urls.len());
    for url in urls {
        if !unique.contains(&url) {
            unique.push(url);
        }
    }
    unique
}

/// `@handle` of the account a reply opens with, when it opens with one.
fn leading_handle(text: &str) -> Option<String> {
    let rest = text.strip_prefix('@')?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let handle = rest.get(..end).filter(|handle| !handle.is_empty())?;
    Some(format!("@{handle}"))
}

/// Reads a Grailbird `data/js/tweets/YYYY_MM.js`: `Grailbird.data.<name> =` and a JSON array of
/// tweets.
fn read_grailbird(context: ReadContext<'_>, content: &str, posts: &mut Vec<Post>) -> Result<()> {
    let name = context.name;
    let Some(equals) = content.find('=') else {
        bail!("{name}:1:1: expected `Grailbird.data.<name> = [ … ]`, found no `=`");
    };
    // The assignment is blanked out rather than cut off, so JSON errors keep file positions.
    let (assignment, rest) = content.split_at(equals + 1);
    let mut json: String = assignment
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    json.push_str(rest.trim_end().strip_suffix(';').unwrap_or(rest));
    let document: Value =
        serde_json::from_str(&json).map_err(|error| syntax_error(name, None, &error))?;
    let Value::Array(tweets) = document else {
        bail!(
            "{name}: expected an array of tweets after `=`, found {}",
            describe(&document)
        );
    };
    posts.reserve(tweets.len());
    for (index, tweet) in tweets.iter().enumerate() {
        let record = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let origin = Origin {
            source: context.source,
            location: Location::Record { record, line: None },
        };
        let post = grailbird_tweet(tweet, origin).map_err(|(id, error)| match id {
            Some(id) => anyhow!("{name}: record {record} (id {id}): {error}"),
            None => anyhow!("{name}: record {record}: {error}"),
        })?;
        posts.extend(post);
    }
    Ok(())
}

/// An error in one Grailbird tweet: its id when known, and what went wrong.
type TweetError = (Option<String>, String);

/// The post of one Grailbird tweet; `None` when it has no text and is not a retweet.
fn grailbird_tweet(tweet: &Value, origin: Origin) -> Result<Option<Post>, TweetError> {
    let Value::Object(tweet) = tweet else {
        return Err((
            None,
            format!("expected a tweet object, found {}", describe(tweet)),
        ));
    };
    let id = match (tweet.get("id_str"), tweet.get("id")) {
        (Some(Value::String(id)), _) if !id.is_empty() => Some(id.clone()),
        (_, Some(Value::Number(id))) => Some(id.to_string()),
        (_, Some(Value::String(id))) if !id.is_empty() => Some(id.clone()),
        _ => None,
    };
    let retweet = tweet
        .get("retweeted_status")
        .is_some_and(|status| !status.is_null());
    let in_reply_to = ["in_reply_to_status_id_str", "in_reply_to_status_id"]
        .iter()
        .find_map(|field| match tweet.get(*field) {
            Some(Value::String(status)) if !status.is_empty() => Some(status.clone()),
            Some(Value::Number(status)) => Some(status.to_string()),
            _ => None,
        });
    let kind = if retweet {
        PostKind::Repost
    } else if in_reply_to.is_some() {
        PostKind::Reply
    } else {
        PostKind::Post
    };
    let raw = match tweet.get("text") {
        Some(Value::String(text)) => text.as_str(),
        None | Some(Value::Null) if retweet => "",
        Some(other) => {
            return Err((
                id,
                format!(
                    "expected the tweet's `text` to be a string, found {}",
                    describe(other)
                ),
            ));
        }
        None => return Err((id, "expected a tweet with a `text` string".to_string())),
    };
    let decoded = html_escape::decode_html_entities(raw);
    let text = decoded.trim();
    if text.is_empty() && !retweet {
        return Ok(None);
    }
    let mut post = Post::new(text.to_string(), kind, origin);
    post.id = id.map(Into::into);
    if kind == PostKind::Reply {
        post.set_to(
            string(tweet, "in_reply_to_screen_name")
                .filter(|name| !name.is_empty())
                .map(|name| format!("@{name}"))
                .or_else(|| leading_handle(text)),
        );
    }
    post.set_in_reply_to(in_reply_to);
    post.created_at = string(tweet, "created_at").and_then(parse_datetime);
    post.platform = Some(Platform::X);
    post.set_links(entity_urls(tweet));
    Ok(Some(post))
}

/// `entities.urls[].expanded_url` (or the `t.co` `url` when there is none), without repeats.
fn entity_urls(tweet: &Map<String, Value>) -> Vec<String> {
    let Some(Value::Array(urls)) = tweet
        .get("entities")
        .and_then(|entities| entities.get("urls"))
    else {
        return Vec::new();
    };
    let mut links: Vec<String> = Vec::new();
    for url in urls.iter().filter_map(Value::as_object) {
        let link = string(url, "expanded_url")
            .filter(|link| !link.is_empty())
            .or_else(|| string(url, "url").filter(|link| !link.is_empty()));
        if let Some(link) = link
            && !links.iter().any(|known| known == link)
        {
            links.push(link.to_string());
        }
    }
    links
}

fn string<'a>(object: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    object.get(field).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::TestFile;

    fn read_as(format: InputFormat, content: &str) -> Result<Vec<Post>> {
        TestFile::named("archive").read(read, format, content)
    }

    fn kinds(posts: &[Post]) -> Vec<PostKind> {
        posts.iter().map(|post| post.kind).collect()
    }

    const HEADER: &str = "\"tweet_id\",\"in_reply_to_status_id\",\"in_reply_to_user_id\",\"timestamp\",\"source\",\"text\",\"retweeted_status_id\",\"retweeted_status_user_id\",\"retweeted_status_timestamp\",\"expanded_urls\"\n";

    fn csv(rows: &[&str]) -> String {
        let mut content = HEADER.to_string();
        for row in rows {
            content.push_str(row);
            content.push('\n');
        }
        content
    }

    #[test]
    fn sniffs_tweets_csv_and_grailbird() {
        assert_eq!(sniff(None, HEADER), Some(InputFormat::XLegacyTweetsCsv));
        assert_eq!(
            sniff(None, "Grailbird.data.tweets_2012_03 = \n [ ]"),
            Some(InputFormat::XLegacyGrailbirdJs)
        );
        assert_eq!(sniff(None, "\"tweet_id\",\"text\"\n"), None);
        assert_eq!(sniff(None, "tweet_idea,text\n"), None);
        assert_eq!(sniff(None, "var tweet_index = []"), None);
    }

    #[test]
    fn csv_rows_keep_raw_line_breaks_and_their_start_lines() {
        let content = csv(&[
            r#""100","","","2016-01-02 03:04:05 +0000","<a href=""https://x.example"">App</a>","first line
second ""quoted"" line &amp; more","","","","""#,
            r#""101","99","5","2016-01-02 04:00:00 +0000","","@ana_b agreed!","","","","https://a.example/x,https://a.example/x""#,
        ]);
        let posts = read_as(InputFormat::XLegacyTweetsCsv, &content).unwrap();
        assert_eq!(&*posts[0].text, "first line\nsecond \"quoted\" line & more");
        assert_eq!(
            posts[0].origin.location,
            Location::Record {
                record: 1,
                line: Some(2)
            }
        );
        assert_eq!(
            posts[1].origin.location,
            Location::Record {
                record: 2,
                line: Some(4)
            }
        );
        assert_eq!(kinds(&posts), [PostKind::Post, PostKind::Reply]);
        assert_eq!(posts[1].to(), Some("@ana_b"));
        assert_eq!(posts[1].in_reply_to(), Some("99"));
        assert_eq!(posts[1].links(), ["https://a.example/x"]);
        assert_eq!(posts[0].id.as_deref(), Some("100"));
        assert_eq!(posts[0].platform, Some(Platform::X));
        assert_eq!(
            posts[0].created_at,
            Some(chrono::DateTime::parse_from_rfc3339("2016-01-02T03:04:05Z").unwrap())
        );
    }

    #[test]
    fn csv_retweet_beats_reply_and_keeps_an_empty_text() {
        let content = csv(&[
            r#""1","9","","","","RT @ana: news","8","","","""#,
            r#""2","","","","","   ","7","","","""#,
            r#""3","","","","","   ","","","","""#,
            r#""4","","","","","RT @bo: no retweet id, so a post","","","","""#,
        ]);
        let posts = read_as(InputFormat::XLegacyTweetsCsv, &content).unwrap();
        assert_eq!(
            kinds(&posts),
            [PostKind::Repost, PostKind::Repost, PostKind::Post]
        );
        assert_eq!(&*posts[1].text, "");
        assert_eq!(
            posts[2].origin.location,
            Location::Record {
                record: 4,
                line: Some(5)
            }
        );
    }

    #[test]
    fn splits_expanded_urls_keeping_commas_inside_urls() {
        assert_eq!(
            split_urls("http://buff.ly/1,https://a.example/p?x=1,2,http://buff.ly/1"),
            ["http://buff.ly/1", "https://a.example/p?x=1,2"]
        );
        assert!(split_urls("").is_empty());
    }

    #[test]
    fn a_broken_csv_row_names_its_line() {
        let content = csv(&[r#""1","","","","","unclosed text,"","","","""#]);
        let error = read_as(InputFormat::XLegacyTweetsCsv, &content)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("archive:2:"), "{error}");
        assert!(error.contains("malformed CSV"), "{error}");
        let short = csv(&[r#""5","","","","","short row""#]);
        let error = read_as(InputFormat::XLegacyTweetsCsv, &short)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("archive:2: record 1 (id 5): 6 fields, but the header has 10"),
            "{error}"
        );
    }

    #[test]
    fn forced_csv_without_text_column_is_an_error() {
        let error = read_as(InputFormat::XLegacyTweetsCsv, "a,b\n1,2\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(
                "archive:1: expected the header of a legacy Twitter archive tweets.csv"
            ),
            "{error}"
        );
    }

    const GRAILBIRD: &str = r#"Grailbird.data.tweets_2012_03 = 
 [ {
  "source" : "\u003Ca href=\"http:\/\/twitter.com\"\u003Eweb\u003C\/a\u003E",
  "entities" : { "urls" : [ { "expanded_url" : "http:\/\/blog.example\/post", "url" : "http:\/\/t.co\/a" } ] },
  "id_str" : "11",
  "text" : "Fish &amp; chips http:\/\/t.co\/a",
  "id" : 11,
  "created_at" : "2012-03-31 23:59:59 +0000"
}, {
  "id_str" : "12",
  "in_reply_to_user_id" : 4,
  "in_reply_to_screen_name" : "ana",
  "text" : "@ana only a user id: a post",
  "id" : 12,
  "created_at" : "2012-03-30 10:00:00 +0000"
}, {
  "id" : 13,
  "in_reply_to_status_id" : 10,
  "in_reply_to_status_id_str" : "10",
  "in_reply_to_screen_name" : "bo",
  "text" : "@bo yes",
  "created_at" : "2012-03-29 10:00:00 +0000"
}, {
  "id_str" : "14",
  "retweeted_status" : { "id_str" : "3", "text" : "original" },
  "in_reply_to_status_id_str" : "2",
  "text" : "RT @cy: original",
  "created_at" : "2012-03-28 10:00:00 +0000"
}, {
  "id_str" : "15",
  "text" : "  ",
  "created_at" : "2012-03-27 10:00:00 +0000"
} ]"#;

    #[test]
    fn reads_grailbird_kinds_text_and_links() {
        let posts = read_as(InputFormat::XLegacyGrailbirdJs, GRAILBIRD).unwrap();
        assert_eq!(
            kinds(&posts),
            [
                PostKind::Post,
                PostKind::Post,
                PostKind::Reply,
                PostKind::Repost
            ]
        );
        assert_eq!(&*posts[0].text, "Fish & chips http://t.co/a");
        assert_eq!(posts[0].links(), ["http://blog.example/post"]);
        assert_eq!(posts[0].id.as_deref(), Some("11"));
        assert_eq!(posts[2].id.as_deref(), Some("13"));
        assert_eq!(posts[2].to(), Some("@bo"));
        assert_eq!(posts[2].in_reply_to(), Some("10"));
        assert_eq!(
            posts[0].created_at,
            Some(chrono::DateTime::parse_from_rfc3339("2012-03-31T23:59:59Z").unwrap())
        );
        assert_eq!(
            posts[3].origin.location,
            Location::Record {
                record: 4,
                line: None
            }
        );
    }

    #[test]
    fn grailbird_syntax_errors_point_into_the_file() {
        let content = "Grailbird.data.tweets_2012_03 = \n [ {\n  \"text\" : \"a\",\n} ]";
        let error = read_as(InputFormat::XLegacyGrailbirdJs, content)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("archive:4:1: invalid JSON"), "{error}");
        let error = read_as(InputFormat::XLegacyGrailbirdJs, "Grailbird.data.x = {}")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("archive: expected an array of tweets"),
            "{error}"
        );
        let error = read_as(
            InputFormat::XLegacyGrailbirdJs,
            "Grailbird.data.x = [{\"id_str\": \"9\", \"text\": 3}]",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with(
                "archive: record 1 (id 9): expected the tweet's `text` to be a string"
            ),
            "{error}"
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for content in [
            "",
            "=",
            "Grailbird.data.",
            "\"tweet_id\"",
            "\"",
            "é=é",
            "Grailbird.data.x = [1, null];",
        ] {
            let _ = read_as(InputFormat::XLegacyGrailbirdJs, content);
            let _ = read_as(InputFormat::XLegacyTweetsCsv, content);
            let _ = sniff(None, content);
        }
    }
}
