//! CSV files of posts into [`Post`]s: LinkedIn's `Shares.csv` (and its `Comments.csv`) and
//! scheduler bulk-upload CSVs: Buffer (`Text,Image URL,Tags,Posting Time`), Hootsuite (no header:
//! `date, message, link`) and any CSV whose header names a text column.
//!
//! A file is claimed only when its first line is a header this module knows (LinkedIn's
//! `ShareCommentary`, Buffer's exact header, or, in a `.csv` file, a header with a text column) or,
//! for Hootsuite, when a `.csv` file opens with a dated row; other CSVs (a LinkedIn export's
//! `Connections.csv`, a data table) are left alone. Reading is strict about quoting, because a
//! lenient CSV parser turns one missing quote into a post that swallows the rest of the file: a
//! quoted field that never closes, or that closes before more text, is an error naming its line
//! and column. LinkedIn writes each line break of a post as `"\n"` inside the quoted field; that
//! quirk is undone. Dates without a zone are taken as UTC. Texts are trimmed and never otherwise
//! changed; rows whose text is empty are skipped (their row still counts in record numbers).

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use csv::StringRecord;

use super::{CsvColumns, ReadContext, infer_kind, prefix};
use crate::post::{InputFormat, Location, Origin, Platform, Post, PostKind};

/// How much of a file is looked at for its first line or first record, so sniffing a large file
/// that is not a CSV stays cheap.
pub(super) const SNIFF_PREFIX_BYTES: usize = 64 * 1024;
/// Columns holding a post's text, most specific first (the names schedulers use; README §12).
const TEXT_COLUMNS: [&str; 7] = [
    "Text",
    "text",
    "Message",
    "message",
    "post",
    "content",
    "ShareCommentary",
];
/// Columns holding when a post is scheduled. `Date` may come with a separate `Time` column
/// (Metricool).
const DATE_COLUMNS: [&str; 5] = [
    "Posting Time",
    "Date",
    "postAtSpecificTime",
    "scheduleDate",
    "scheduled_date",
];
/// Columns holding a link the scheduler attaches to the post.
const LINK_COLUMNS: [&str; 6] = ["Link", "link", "LinkUrl", "Link URL", "url", "URL"];
/// Columns naming the network a post is for.
const PLATFORM_COLUMNS: [&str; 6] = [
    "Platform",
    "platform",
    "platforms",
    "Network",
    "network",
    "channel",
];
const ID_COLUMNS: [&str; 3] = ["id", "ID", "Id"];
/// Buffer's bulk-upload header (Pinterest files add `Board Name` after it).
const BUFFER_HEADER: [&str; 4] = ["Text", "Image URL", "Tags", "Posting Time"];
/// LinkedIn export `Comments.csv`: the account's comments on other posts.
const LINKEDIN_COMMENTS_HEADER: [&str; 3] = ["Date", "Link", "Message"];
/// Longest header field taken for a column name; longer first-line fields are data.
const MAX_COLUMN_NAME_CHARS: usize = 64;

/// `Csv` when the first line of `content` is a header with the text column the user named.
pub(super) fn sniff_named_columns(content: &str, columns: &CsvColumns) -> Option<InputFormat> {
    columns.text.as_ref()?;
    detect_header(first_line(content), columns)
        .filter(|header| header.named)
        .map(|_| InputFormat::Csv)
}

/// The format of `content`, when it is a CSV of posts.
pub(super) fn sniff(path: Option<&Path>, content: &str) -> Option<InputFormat> {
    let csv_extension = path.map(has_csv_extension);
    if let Some(header) = detect_header(first_line(content), &CsvColumns::default()) {
        return match header.style {
            Style::Shares => Some(InputFormat::LinkedinSharesCsv),
            _ if header.buffer => Some(InputFormat::Csv),
            _ => match csv_extension {
                Some(true) => Some(InputFormat::Csv),
                Some(false) => None,
                // Without a name, a text column alone could be a line of prose.
                None => (header.date.is_some()).then_some(InputFormat::Csv),
            },
        };
    }
    (csv_extension == Some(true) && looks_like_hootsuite(content, true)).then_some(InputFormat::Csv)
}

/// Appends the posts of `content` (in `format`) to `posts`.
pub(super) fn read(
    format: InputFormat,
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    let name = context.name;
    let line = first_line(content);
    let columns = &context.options.columns;
    let layout = match (format, detect_header(line, columns)) {
        (_, Some(header)) if header.style == Style::Shares => Layout::Header(header),
        (InputFormat::LinkedinSharesCsv, _) => bail!(
            "{name}:1: expected a LinkedIn Shares.csv header with a `ShareCommentary` column \
             (`Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility`), found `{}`",
            excerpt(line)
        ),
        (_, Some(header)) => Layout::Header(header),
        (_, None) if looks_like_hootsuite(content, false) => Layout::Hootsuite,
        (_, None) => bail!(
            "{name}:1: expected a CSV header naming a text column ({}), or Hootsuite rows \
             without a header (`date,message,link`); found `{}`",
            match &columns.text {
                Some(text) => format!("`{text}`, as --text-column says"),
                None => TEXT_COLUMNS[..6].join(", "),
            },
            excerpt(line)
        ),
    };
    let delimiter = match &layout {
        Layout::Header(header) => header.delimiter,
        Layout::Hootsuite => b',',
    };
    check_quotes(name, content, delimiter)?;
    let mut reader = reader(content, delimiter);
    let mut record = StringRecord::new();
    if let Layout::Header(_) = layout
        && !next_record(name, &mut reader, &mut record)?
    {
        return Ok(());
    }
    let mut number = 0u32;
    while next_record(name, &mut reader, &mut record)? {
        number = number.saturating_add(1);
        let line = record_line(&record);
        let origin = Origin {
            source: context.source,
            location: Location::Record {
                record: number,
                line: Some(line),
            },
        };
        let post = match &layout {
            Layout::Header(header) => header_row(header, &record, origin),
            Layout::Hootsuite => hootsuite_row(&record, origin),
        }
        .map_err(|error| anyhow!("{name}:{line}: record {number}: {error}"))?;
        posts.extend(post);
    }
    Ok(())
}

/// How a CSV of posts is laid out.
enum Layout {
    /// A header row names the columns.
    Header(Header),
    /// Hootsuite bulk upload: no header, `date, message, link` (link optional).
    Hootsuite,
}

/// Whose file a header says this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// LinkedIn `Shares.csv`.
    Shares,
    /// LinkedIn `Comments.csv`: comments on others' posts, so replies.
    Comments,
    /// A scheduler's bulk upload or any CSV with a text column.
    Scheduler,
}

/// What a header row says: where each column is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Header {
    delimiter: u8,
    style: Style,
    /// Whether this is Buffer's exact header.
    buffer: bool,
    /// Whether the text column is the one the user named.
    named: bool,
    /// Number of columns.
    width: usize,
    text: usize,
    date: Option<usize>,
    /// A separate time-of-day column going with `date`.
    time: Option<usize>,
    link: Option<usize>,
    id: Option<usize>,
    platform: Option<usize>,
}

/// The header `line` is, if it is one this module reads; columns the user named come before the
/// names this module knows.
fn detect_header(line: &str, named: &CsvColumns) -> Option<Header> {
    for delimiter in [b',', b';', b'\t'] {
        let Some(fields) = header_fields(line, delimiter) else {
            continue;
        };
        let column = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| fields.iter().position(|field| field == name))
        };
        let is_name = |field: &String| {
            field.chars().count() <= MAX_COLUMN_NAME_CHARS && !field.contains("://")
        };
        if !fields.iter().all(is_name) {
            continue;
        }
        if delimiter == b',' && fields.iter().any(|field| field == "ShareCommentary") {
            return Some(Header {
                delimiter,
                style: Style::Shares,
                buffer: false,
                named: false,
                width: fields.len(),
                text: column(&["ShareCommentary"])?,
                date: column(&["Date"]),
                time: None,
                link: column(&["SharedUrl"]),
                id: column(&["ShareLink"]),
                platform: None,
            });
        }
        let named_column = |name: &Option<String>| {
            name.as_deref()
                .and_then(|name| fields.iter().position(|field| field == name))
        };
        let named_text = named_column(&named.text);
        let Some(text) = named_text.or_else(|| column(&TEXT_COLUMNS)) else {
            continue;
        };
        let date = named_column(&named.date).or_else(|| column(&DATE_COLUMNS));
        let comments = fields == LINKEDIN_COMMENTS_HEADER;
        return Some(Header {
            delimiter,
            style: if comments {
                Style::Comments
            } else {
                Style::Scheduler
            },
            buffer: fields.len() >= BUFFER_HEADER.len()
                && fields[..BUFFER_HEADER.len()] == BUFFER_HEADER,
            named: named_text.is_some(),
            width: fields.len(),
            text,
            date,
            time: date
                .filter(|&date| fields[date] == "Date")
                .and_then(|_| column(&["Time"])),
            link: column(&LINK_COLUMNS),
            id: column(&ID_COLUMNS),
            platform: column(&PLATFORM_COLUMNS),
        });
    }
    None
}

/// The fields of a header line, trimmed.
fn header_fields(line: &str, delimiter: u8) -> Option<Vec<String>> {
    let mut record = StringRecord::new();
    reader(line, delimiter).read_record(&mut record).ok()?;
    Some(
        record
            .iter()
            .map(|field| field.trim_start_matches('\u{feff}').trim().to_string())
            .collect(),
    )
}

/// The post of one row under a header; `None` when its text is empty.
fn header_row(
    header: &Header,
    record: &StringRecord,
    origin: Origin,
) -> Result<Option<Post>, String> {
    check_width(record, header.width, "the header has")?;
    let field = |column: Option<usize>| {
        column
            .and_then(|column| record.get(column))
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let raw = record.get(header.text).unwrap_or_default();
    let text = match header.style {
        Style::Shares | Style::Comments => linkedin_line_breaks(raw),
        Style::Scheduler => raw.to_string(),
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let kind = match header.style {
        Style::Shares => PostKind::Post,
        Style::Comments => PostKind::Reply,
        Style::Scheduler => infer_kind(text, false),
    };
    let mut post = Post::new(text.to_string(), kind, origin);
    post.created_at = match (field(header.date), field(header.time)) {
        (Some(date), Some(time)) => parse_datetime(&format!("{date} {time}")),
        (date, _) => date.and_then(parse_datetime),
    };
    match header.style {
        Style::Shares => {
            post.id = field(header.id).map(linkedin_id).map(Into::into);
            post.set_links(
                field(header.link)
                    .map(str::to_string)
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
            post.platform = Some(Platform::Linkedin);
        }
        Style::Comments => {
            // `Link` is the post commented on.
            post.set_in_reply_to(field(header.link).map(linkedin_id));
            post.platform = Some(Platform::Linkedin);
        }
        Style::Scheduler => {
            post.id = field(header.id).map(Into::into);
            post.set_links(
                field(header.link)
                    .map(str::to_string)
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
            post.platform = field(header.platform).and_then(platform);
        }
    }
    Ok(Some(post))
}

/// The post of one Hootsuite row (`date, message, link`); `None` when its message is empty.
fn hootsuite_row(record: &StringRecord, origin: Origin) -> Result<Option<Post>, String> {
    if record.len() < 2 {
        return Err(
            "expected a Hootsuite row `date,message` or `date,message,link`, found one field"
                .to_string(),
        );
    }
    check_width(record, 3, "Hootsuite rows have")?;
    let text = record.get(1).unwrap_or_default().trim();
    if text.is_empty() {
        return Ok(None);
    }
    let mut post = Post::new(text.to_string(), infer_kind(text, false), origin);
    post.created_at = record.get(0).and_then(parse_datetime);
    post.set_links(
        record
            .get(2)
            .map(str::trim)
            .filter(|link| !link.is_empty())
            .map(str::to_string)
            .into_iter()
            .collect::<Vec<_>>(),
    );
    Ok(Some(post))
}

/// An error when a row has more (non-empty) fields than `width`: usually a comma in an unquoted
/// text, which would cut the text short and shift every later column.
fn check_width(record: &StringRecord, width: usize, what: &str) -> Result<(), String> {
    let extra = record
        .iter()
        .skip(width)
        .any(|field| !field.trim().is_empty());
    if extra {
        return Err(format!(
            "{} fields, but {what} {width}; quote a field that contains a `,` (`\"a, b\"`)",
            record.len()
        ));
    }
    Ok(())
}

/// Whether `content` opens with a Hootsuite row: a date and time, a message, and optionally a
/// link. `strict` (when sniffing) also asks the message to hold a letter and the link to be a
/// URL, so a table of dated numbers is not taken for posts.
fn looks_like_hootsuite(content: &str, strict: bool) -> bool {
    let mut record = StringRecord::new();
    if !matches!(
        reader(prefix(content, SNIFF_PREFIX_BYTES), b',').read_record(&mut record),
        Ok(true)
    ) {
        return false;
    }
    let date = record.get(0).unwrap_or_default();
    if !(2..=3).contains(&record.len()) || !date.contains(':') || parse_datetime(date).is_none() {
        return false;
    }
    let message = record.get(1).unwrap_or_default();
    let link = record.get(2).unwrap_or_default().trim();
    !strict
        || (message.chars().any(char::is_alphabetic)
            && (link.is_empty()
                || ["http://", "https://", "www."]
                    .iter()
                    .any(|start| link.starts_with(start))))
}

/// LinkedIn's line breaks: after CSV parsing each one reads `"\n"` (quote, newline, quote).
fn linkedin_line_breaks(text: &str) -> String {
    text.replace("\"\r\n\"", "\n").replace("\"\n\"", "\n")
}

/// The `urn:li:…` id of a LinkedIn post link (`…/feed/update/urn%3Ali%3Ashare%3A123`), or the
/// link itself when it has none.
fn linkedin_id(link: &str) -> String {
    let last = link
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(link);
    let decoded = last.replace("%3A", ":").replace("%3a", ":");
    if decoded.starts_with("urn:li:") {
        decoded
    } else {
        link.to_string()
    }
}

/// The platform a scheduler's network column names, when it names exactly one.
fn platform(value: &str) -> Option<Platform> {
    match value.trim().to_ascii_lowercase().as_str() {
        "x" | "twitter" | "twitter/x" | "x/twitter" => Some(Platform::X),
        "linkedin" => Some(Platform::Linkedin),
        "facebook" => Some(Platform::Facebook),
        "instagram" => Some(Platform::Instagram),
        "threads" => Some(Platform::Threads),
        "bluesky" => Some(Platform::Bluesky),
        "mastodon" => Some(Platform::Mastodon),
        _ => None,
    }
}

fn has_csv_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"))
}

/// A CSV reader over `content` that reports every row, the header too, and lets rows differ in
/// length (the readers check lengths themselves, with better messages).
pub(super) fn reader(content: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(content.as_bytes())
}

/// Reads the next row into `record`; `false` at the end.
pub(super) fn next_record(
    name: &str,
    reader: &mut csv::Reader<&[u8]>,
    record: &mut StringRecord,
) -> Result<bool> {
    reader.read_record(record).map_err(|error| {
        let line = error.position().map_or(1, csv::Position::line);
        anyhow!("{name}:{line}: invalid CSV: {error}")
    })
}

/// The 1-based file line a row starts on.
pub(super) fn record_line(record: &StringRecord) -> u32 {
    record.position().map_or(1, |position| {
        u32::try_from(position.line()).unwrap_or(u32::MAX)
    })
}

/// The first line of `content` (without its line break), looked for in a bounded prefix.
pub(super) fn first_line(content: &str) -> &str {
    let head = prefix(content, SNIFF_PREFIX_BYTES);
    let line = head.split('\n').next().unwrap_or_default();
    line.strip_suffix('\r').unwrap_or(line)
}

/// Checks the quoting of a whole CSV file (RFC 4180 with the usual leniencies: a quote inside
/// an unquoted field is text, blanks may follow a closing quote). A CSV parser reads a broken
/// quote without complaint and silently merges rows, so the reader checks first: a quoted field
/// that is never closed, or whose closing quote is followed by more text (an inner quote that
/// was not doubled), is an error naming `name:line:column`.
pub(super) fn check_quotes(name: &str, content: &str, delimiter: u8) -> Result<()> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// A quote inside a quoted field: doubled, or the field's end.
        QuoteInQuoted,
        /// Blanks after a closing quote.
        AfterQuoted,
    }
    let delimiter = char::from(delimiter);
    let ends_field = |c: char| c == delimiter || c == '\n' || c == '\r';
    let mut state = State::FieldStart;
    let (mut line, mut column) = (1usize, 0usize);
    let mut opened = (1, 1);
    let mut closed = (1, 1);
    for c in content.chars() {
        column += 1;
        state = match state {
            State::FieldStart if c == '"' => {
                opened = (line, column);
                State::Quoted
            }
            State::FieldStart | State::Unquoted if ends_field(c) => State::FieldStart,
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted if c == '"' => {
                closed = (line, column);
                State::QuoteInQuoted
            }
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if c == '"' => State::Quoted,
            State::QuoteInQuoted | State::AfterQuoted if ends_field(c) => State::FieldStart,
            State::QuoteInQuoted | State::AfterQuoted if c == ' ' || c == '\t' => {
                State::AfterQuoted
            }
            State::QuoteInQuoted | State::AfterQuoted => bail!(
                "{name}:{}:{}: malformed CSV: this `\"` closes the quoted field opened at line \
                 {}, column {}, but `{}` follows it; a quote inside a quoted field must be \
                 doubled (`\"\"`)",
                closed.0,
                closed.1,
                opened.0,
                opened.1,
                c.escape_default()
            ),
        };
        if c == '\n' {
            line += 1;
            column = 0;
        }
    }
    if state == State::Quoted {
        bail!(
            "{name}:{}:{}: malformed CSV: the quoted field opened here is never closed (a `\"` \
             is missing); it runs to the end of the file",
            opened.0,
            opened.1
        );
    }
    Ok(())
}

/// A date and time as exports and schedulers write them: RFC 3339, `2015-08-22 22:45:29 +0000`
/// (legacy Twitter), the API's `Sat Nov 09 12:14:18 +0000 2024`, or, without a zone and taken as
/// UTC, `2025-07-01 14:33:22`, `2025-08-25 21:30`, `2025-08-25T21:30`, `05/31/2024 09:15`
/// (month first unless that is no date, then day first), `5/31/24 9:15 PM`, or a date alone
/// (midnight). `None` when it is none of these: a schedule time is auxiliary, so an odd one does
/// not stop the run.
pub(super) fn parse_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%a %b %d %H:%M:%S %z %Y",
    ] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some(time);
        }
    }
    naive_datetime(text).map(|time| time.and_utc().fixed_offset())
}

fn naive_datetime(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time.trim())),
        None => (text, None),
    };
    let date = naive_date(date)?;
    let time = match time {
        Some(time) => naive_time(time)?,
        None => NaiveTime::MIN,
    };
    Some(date.and_time(time))
}

fn naive_date(date: &str) -> Option<NaiveDate> {
    let numbers: Vec<&str> = date.split(['-', '/']).collect();
    let [a, b, c] = numbers[..] else {
        return None;
    };
    let number = |part: &str| {
        (!part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (a_value, b_value, c_value) = (number(a)?, number(b)?, number(c)?);
    if date.contains('-') {
        // ISO: year first, four digits.
        if a.len() != 4 || date.contains('/') {
            return None;
        }
        return NaiveDate::from_ymd_opt(i32::try_from(a_value).ok()?, b_value, c_value);
    }
    let year = match c.len() {
        4 => i32::try_from(c_value).ok()?,
        2 => 2000 + i32::try_from(c_value).ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, a_value, b_value)
        .or_else(|| NaiveDate::from_ymd_opt(year, b_value, a_value))
}

fn naive_time(time: &str) -> Option<NaiveTime> {
    let upper = time.trim().to_ascii_uppercase();
    let (clock, afternoon) = if let Some(clock) = upper.strip_suffix("PM") {
        (clock.trim(), Some(true))
    } else if let Some(clock) = upper.strip_suffix("AM") {
        (clock.trim(), Some(false))
    } else {
        (upper.as_str(), None)
    };
    let parsed = NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
        .ok()?;
    match afternoon {
        None => Some(parsed),
        Some(afternoon) => {
            use chrono::Timelike;
            let hour = parsed.hour();
            if !(1..=12).contains(&hour) {
                return None;
            }
            parsed.with_hour(hour % 12 + if afternoon { 12 } else { 0 })
        }
    }
}

/// The start of a line, for an error message.
fn excerpt(line: &str) -> String {
    const MAX_CHARS: usize = 80;
    let mut short: String = line.chars().take(MAX_CHARS).collect();
    if line.chars().count() > MAX_CHARS {
        short.push('…');
    }
    short.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{ReadOptions, TestFile};

    fn read_as(format: InputFormat, content: &str) -> Result<Vec<Post>> {
        read_with(&ReadOptions::default(), format, content)
    }

    fn read_with(options: &ReadOptions, format: InputFormat, content: &str) -> Result<Vec<Post>> {
        let file = TestFile {
            name: "posts.csv",
            options: options.clone(),
            ..TestFile::default()
        };
        file.read(read, format, content)
    }

    fn texts(posts: &[Post]) -> Vec<&str> {
        posts.iter().map(|post| &*post.text).collect()
    }

    fn record(post: &Post) -> (u32, Option<u32>) {
        match post.origin.location {
            Location::Record { record, line } => (record, line),
            Location::Text { .. } => panic!("CSV posts have record locations"),
        }
    }

    fn utc(text: &str) -> Option<DateTime<FixedOffset>> {
        Some(DateTime::parse_from_rfc3339(text).unwrap())
    }

    const SHARES: &str = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n\
        2025-03-02 09:10:11,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A111,\"First line.\"\"\n\
        \"\"\"\"\n\
        \"\"Third line with \"\"quotes\"\".\",https://example.com/a,\"\",PUBLIC\n\
        2025-03-01 08:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3AugcPost%3A222,\"\",\"\",\"\",PUBLIC\n\
        2025-02-28 07:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A333,One line only,,,MEMBER_NETWORK\n";

    #[test]
    fn sniffs_linkedin_shares_by_header() {
        assert_eq!(
            sniff(Some(Path::new("Shares.csv")), SHARES),
            Some(InputFormat::LinkedinSharesCsv)
        );
        assert_eq!(sniff(None, SHARES), Some(InputFormat::LinkedinSharesCsv));
        let older = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl\n";
        assert_eq!(
            sniff(Some(Path::new("Shares_2.csv")), older),
            Some(InputFormat::LinkedinSharesCsv)
        );
    }

    #[test]
    fn undoes_linkedin_quoted_line_breaks_and_skips_empty_commentary() {
        let posts = read_as(InputFormat::LinkedinSharesCsv, SHARES).unwrap();
        assert_eq!(
            texts(&posts),
            [
                "First line.\n\nThird line with \"quotes\".",
                "One line only"
            ]
        );
        assert!(
            posts.iter().all(
                |post| post.kind == PostKind::Post && post.platform == Some(Platform::Linkedin)
            )
        );
        assert_eq!(posts[0].id.as_deref(), Some("urn:li:share:111"));
        assert_eq!(posts[0].links(), ["https://example.com/a"]);
        assert!(posts[1].links().is_empty());
        assert_eq!(posts[0].created_at, utc("2025-03-02T09:10:11Z"));
        // Records count every data row, the skipped one too; lines are where rows start.
        assert_eq!(record(&posts[0]), (1, Some(2)));
        assert_eq!(record(&posts[1]), (3, Some(6)));
    }

    #[test]
    fn linkedin_crlf_line_breaks_are_undone_too() {
        let content =
            "Date,ShareLink,ShareCommentary\r\n2025-01-01 00:00:00,x,\"a\"\"\r\n\"\"b\"\r\n";
        let posts = read_as(InputFormat::LinkedinSharesCsv, content).unwrap();
        assert_eq!(texts(&posts), ["a\nb"]);
    }

    #[test]
    fn quotes_ending_a_linkedin_line_stay() {
        assert_eq!(
            linkedin_line_breaks("said \"hi.\"\"\n\"next"),
            "said \"hi.\"\nnext"
        );
    }

    #[test]
    fn linkedin_comments_are_replies_to_the_linked_post() {
        let content = "Date,Link,Message\n\
            2024-06-01 10:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A9,Great point!\n";
        assert_eq!(
            sniff(Some(Path::new("Comments.csv")), content),
            Some(InputFormat::Csv)
        );
        let posts = read_as(InputFormat::Csv, content).unwrap();
        assert_eq!(posts[0].kind, PostKind::Reply);
        assert_eq!(posts[0].in_reply_to(), Some("urn:li:activity:9"));
        assert_eq!(posts[0].platform, Some(Platform::Linkedin));
    }

    const BUFFER: &str = "Text,Image URL,Tags,Posting Time\n\
        \"Our spring sale, with 20% off: https://shop.example/sale\",,\"promo,sale\",2024-04-02 09:30\n\
        \"@maya thanks for the kind words!\",https://img.example/1.png,,4/3/24 14:05\n\
        \"\",,,2024-04-04 10:00\n";

    #[test]
    fn sniffs_buffer_with_or_without_a_name() {
        assert_eq!(sniff(None, BUFFER), Some(InputFormat::Csv));
        assert_eq!(
            sniff(Some(Path::new("bulk.csv")), BUFFER),
            Some(InputFormat::Csv)
        );
        assert_eq!(
            sniff(Some(Path::new("export.txt")), BUFFER),
            Some(InputFormat::Csv)
        );
    }

    #[test]
    fn reads_buffer_rows_with_their_times() {
        let posts = read_as(InputFormat::Csv, BUFFER).unwrap();
        assert_eq!(
            texts(&posts),
            [
                "Our spring sale, with 20% off: https://shop.example/sale",
                "@maya thanks for the kind words!"
            ]
        );
        assert_eq!(posts[0].kind, PostKind::Post);
        assert_eq!(posts[1].kind, PostKind::Reply);
        assert_eq!(posts[0].created_at, utc("2024-04-02T09:30:00Z"));
        assert_eq!(posts[1].created_at, utc("2024-04-03T14:05:00Z"));
        assert!(posts[0].links().is_empty(), "the image is not a link");
        assert_eq!(posts[0].platform, None);
    }

    const HOOTSUITE: &str = "05/14/2024 09:00,Spring webinar next week! Click to Tweet,https://events.example/webinar\n\
        05/15/2024 13:30,\"A message, with a comma\"\n\
        31/05/2024 08:15,Day-first dates read too,\n";

    #[test]
    fn hootsuite_needs_the_csv_extension_and_a_dated_first_field() {
        assert_eq!(
            sniff(Some(Path::new("hootsuite.csv")), HOOTSUITE),
            Some(InputFormat::Csv)
        );
        assert_eq!(sniff(Some(Path::new("notes.txt")), HOOTSUITE), None);
        assert_eq!(sniff(None, HOOTSUITE), None);
        let table = "2024-01-01 10:00,42,17\n2024-01-02 10:00,40,18\n";
        assert_eq!(sniff(Some(Path::new("metrics.csv")), table), None);
        let undated = "hello,world\n";
        assert_eq!(sniff(Some(Path::new("x.csv")), undated), None);
    }

    #[test]
    fn reads_hootsuite_rows() {
        let posts = read_as(InputFormat::Csv, HOOTSUITE).unwrap();
        assert_eq!(
            texts(&posts),
            [
                "Spring webinar next week! Click to Tweet",
                "A message, with a comma",
                "Day-first dates read too"
            ]
        );
        assert_eq!(posts[0].links(), ["https://events.example/webinar"]);
        assert_eq!(posts[0].created_at, utc("2024-05-14T09:00:00Z"));
        assert_eq!(posts[2].created_at, utc("2024-05-31T08:15:00Z"));
        assert_eq!(record(&posts[2]), (3, Some(3)));
    }

    #[test]
    fn generic_csv_needs_a_text_column_and_the_extension() {
        let content =
            "id,platform,content,scheduled_date\n7,LinkedIn,Hello there,2025-10-26T10:00:00\n";
        assert_eq!(
            sniff(Some(Path::new("queue.csv")), content),
            Some(InputFormat::Csv)
        );
        assert_eq!(sniff(Some(Path::new("queue.txt")), content), None);
        // Without a name, a text and a date column make it a header.
        assert_eq!(sniff(None, content), Some(InputFormat::Csv));
        assert_eq!(sniff(None, "Message, for you all\nmore prose\n"), None);
        assert_eq!(
            sniff(
                Some(Path::new("Connections.csv")),
                "First Name,Last Name,URL\n"
            ),
            None
        );
        let posts = read_as(InputFormat::Csv, content).unwrap();
        assert_eq!(posts[0].id.as_deref(), Some("7"));
        assert_eq!(posts[0].platform, Some(Platform::Linkedin));
        assert_eq!(posts[0].created_at, utc("2025-10-26T10:00:00Z"));
    }

    #[test]
    fn named_columns_read_a_csv_whose_header_is_unknown() {
        let content = "Caption,When,Message\nKiln day!,2025-03-02 09:30,internal note\n";
        let columns = CsvColumns {
            text: Some("Caption".into()),
            date: Some("When".into()),
        };
        assert_eq!(
            sniff_named_columns(content, &columns),
            Some(InputFormat::Csv)
        );
        assert_eq!(
            sniff_named_columns("Title,Body\n", &columns),
            None,
            "a CSV without the named column is left to the usual detection"
        );
        assert_eq!(sniff_named_columns(content, &CsvColumns::default()), None);
        let options = ReadOptions {
            columns,
            ..ReadOptions::default()
        };
        // The named column wins over `Message`, a name hygiene knows.
        let posts = read_with(&options, InputFormat::Csv, content).unwrap();
        assert_eq!(texts(&posts), ["Kiln day!"]);
        assert_eq!(posts[0].created_at, utc("2025-03-02T09:30:00Z"));
        let error = read_with(&options, InputFormat::Csv, "Title,Body\nA,B\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "posts.csv:1: expected a CSV header naming a text column (`Caption`, as \
             --text-column says), or Hootsuite rows without a header (`date,message,link`); \
             found `Title,Body`"
        );
    }

    #[test]
    fn date_and_time_columns_combine_and_semicolons_separate() {
        let content = "Text;Date;Time;Twitter/X\nBonjour à tous;2024-05-01;18:45;TRUE\n";
        assert_eq!(
            sniff(Some(Path::new("m.csv")), content),
            Some(InputFormat::Csv)
        );
        let posts = read_as(InputFormat::Csv, content).unwrap();
        assert_eq!(texts(&posts), ["Bonjour à tous"]);
        assert_eq!(posts[0].created_at, utc("2024-05-01T18:45:00Z"));
        let socialbee =
            "text,link,postAtSpecificTime\nNew guide,https://example.com/g,2025-08-25 21:30\n";
        let posts = read_as(InputFormat::Csv, socialbee).unwrap();
        assert_eq!(posts[0].links(), ["https://example.com/g"]);
        assert_eq!(posts[0].created_at, utc("2025-08-25T21:30:00Z"));
    }

    #[test]
    fn an_unclosed_quote_names_where_the_field_opened() {
        let content = "Text,Posting Time\nfine,2024-01-01 10:00\n\"broken,2024-01-02 10:00\nlast,2024-01-03 10:00\n";
        let error = read_as(InputFormat::Csv, content).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "posts.csv:3:1: malformed CSV: the quoted field opened here is never closed"
            ),
            "{error}"
        );
    }

    #[test]
    fn an_undoubled_inner_quote_names_its_line_and_column() {
        let content = "Text,Posting Time\n\"She said \"hi\" to us\",2024-01-01 10:00\n";
        let error = read_as(InputFormat::Csv, content).unwrap_err().to_string();
        assert!(
            error.starts_with("posts.csv:2:11: malformed CSV: this `\"` closes the quoted field opened at line 2, column 1, but `h` follows it"),
            "{error}"
        );
        // Blanks after a closing quote are fine.
        assert!(read_as(InputFormat::Csv, "Text,Tags\n\"ok\" ,x\n").is_ok());
    }

    #[test]
    fn a_row_with_too_many_fields_is_an_error() {
        let content = "Text,Image URL,Tags,Posting Time\nHello, world,,,2024-01-01 10:00\n";
        let error = read_as(InputFormat::Csv, content).unwrap_err().to_string();
        assert!(
            error.starts_with("posts.csv:2: record 1: 5 fields, but the header has 4"),
            "{error}"
        );
        // Trailing empty fields and short rows are fine.
        let posts = read_as(InputFormat::Csv, "Text,Tags\nHello,,,\nBye\n").unwrap();
        assert_eq!(texts(&posts), ["Hello", "Bye"]);
    }

    #[test]
    fn forced_csv_without_a_text_column_says_what_it_expected() {
        let error = read_as(InputFormat::Csv, "a,b\n1,2\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("posts.csv:1: expected a CSV header naming a text column"),
            "{error}"
        );
        let error = read_as(InputFormat::LinkedinSharesCsv, "Date,Text\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("posts.csv:1: expected a LinkedIn Shares.csv header"),
            "{error}"
        );
    }

    #[test]
    fn a_header_alone_has_no_posts() {
        assert!(
            read_as(InputFormat::Csv, "Text,Image URL,Tags,Posting Time\n")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn parses_the_date_forms_schedulers_write() {
        let cases = [
            ("2025-07-01 14:33:22", "2025-07-01T14:33:22Z"),
            ("2015-08-22 22:45:29 +0000", "2015-08-22T22:45:29Z"),
            ("2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00+02:00"),
            ("Sat Nov 09 12:14:18 +0000 2024", "2024-11-09T12:14:18Z"),
            ("05/31/2024 09:15", "2024-05-31T09:15:00Z"),
            ("5/3/24 9:15 PM", "2024-05-03T21:15:00Z"),
            ("12/1/2024 12:05 AM", "2024-12-01T00:05:00Z"),
            ("2024-05-01", "2024-05-01T00:00:00Z"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_datetime(text), utc(expected), "{text}");
        }
        for text in [
            "",
            "soon",
            "24-05-01 10:00",
            "13/13/2024 10:00",
            "5/3/24 13:00 PM",
        ] {
            assert_eq!(parse_datetime(text), None, "{text}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for content in [
            "",
            "\"",
            "\"\"\"",
            ",,,\n",
            "Text\n\"",
            "Text\n\u{feff}é\"x",
            "\r\n\r\n",
        ] {
            let _ = read_as(InputFormat::Csv, content);
            let _ = read_as(InputFormat::LinkedinSharesCsv, content);
            let _ = sniff(Some(Path::new("a.csv")), content);
        }
    }
}
