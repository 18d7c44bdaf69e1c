//! Line-delimited inputs (plain text, JSON Lines) read a line at a time: a large JSON Lines file
//! without holding it whole, and standard input as it arrives, a batch of posts at a time, so
//! a report of post rules can start before the input ends ([`open_stdin`], [`PostStream`]).
//!
//! The posts, their numbering, origins and error messages are those of reading the same bytes
//! whole: the same line readers (`TextLines`, `JsonlLines`) do the work either way. What
//! differs is when a problem is found: read whole, invalid UTF-8 anywhere is reported before
//! any post is read; read a line at a time, the first problem in input order is reported,
//! after the posts that end before it.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::json::JsonlLines;
use super::text::TextLines;
use super::{Mode, ReadOptions, TextSplit, decode_utf8_line, detect};
use crate::post::{Corpus, InputFormat, Post, Source, SourceKind, SourceSettings, share_texts};

/// How much of standard input (after leading white space, in whole lines) is read before its
/// format is detected when `--input-format` does not say: every sniffer looks at no more than
/// the first 64 KiB of a file and its first line (checked below; the YAML and Markdown ones
/// need a file name, which standard input has not), so the rest cannot change the answer.
const STDIN_SNIFF_BYTES: usize = 64 * 1024;

const _: () = assert!(
    super::x_archive::SNIFF_PREFIX_BYTES <= STDIN_SNIFF_BYTES
        && super::mastodon::SNIFF_PREFIX_BYTES <= STDIN_SNIFF_BYTES
        && super::bluesky::SNIFF_PREFIX_BYTES <= STDIN_SNIFF_BYTES
        && super::meta::SNIFF_PREFIX_BYTES <= STDIN_SNIFF_BYTES
        && super::meta::THREADS_SNIFF_BYTES <= STDIN_SNIFF_BYTES
        && super::csv_file::SNIFF_PREFIX_BYTES <= STDIN_SNIFF_BYTES
);

/// The most of standard input read to detect its format before it is read whole instead: its
/// first line was longer than this (a JSON document on one line, most likely).
const STDIN_HEAD_LIMIT: usize = 1 << 20;

/// How many bytes of standard input a streamed run asks for at once: a pipe gives what it
/// holds (64 KiB at most on Linux), a redirected file this much.
const STDIN_BUFFER_BYTES: usize = 256 * 1024;

/// How often reading a large file reports progress, in posts.
const PROGRESS_POSTS: usize = 1 << 14;

/// JSON Lines lines parsed side by side (see [`read_lines`]).
const PARALLEL_LINES: usize = 4096;

/// Posts read a line at a time from one line-delimited input.
pub(super) struct Lines {
    /// The input's name in errors.
    name: String,
    reader: LineReader,
    /// Lines read so far.
    lines: usize,
}

enum LineReader {
    Text(TextLines),
    Jsonl(JsonlLines),
}

impl Lines {
    /// A reader of `format` for source `source`, or `None` when `format` is not read a line at a
    /// time.
    pub(super) fn new(
        name: String,
        format: InputFormat,
        split: TextSplit,
        source: u32,
    ) -> Option<Lines> {
        let reader = match format {
            InputFormat::Text => LineReader::Text(TextLines::new(split, source)),
            InputFormat::Jsonl => LineReader::Jsonl(JsonlLines::new(source)),
            _ => return None,
        };
        Some(Lines {
            name,
            reader,
            lines: 0,
        })
    }

    /// Appends the post still open at the end of the input, if any.
    fn finish(&mut self, posts: &mut Vec<Post>) -> Result<()> {
        match &mut self.reader {
            LineReader::Text(text) => text.finish(&self.name, posts),
            LineReader::Jsonl(_) => Ok(()),
        }
    }

    /// Reads the next line of `reader` into `buffer` and appends the post it completes, if any:
    /// whether there was one (else the input has ended, and the post still open is appended).
    fn next(
        &mut self,
        reader: &mut dyn BufRead,
        buffer: &mut Vec<u8>,
        posts: &mut Vec<Post>,
    ) -> Result<bool> {
        let Some(line) = read_line(&self.name, &mut self.lines, reader, buffer)? else {
            self.finish(posts)?;
            return Ok(false);
        };
        match &mut self.reader {
            LineReader::Text(text) => text.line(&self.name, line, posts)?,
            LineReader::Jsonl(jsonl) => jsonl.line(&self.name, line, posts)?,
        }
        Ok(true)
    }
}

/// Reads the next line of `reader` into `buffer` (with its line break, if it has one; a byte
/// order mark before the first line is dropped) and counts it in `lines`: the line, `None` at
/// the end of the input.
fn read_line<'b>(
    name: &str,
    lines: &mut usize,
    reader: &mut dyn BufRead,
    buffer: &'b mut Vec<u8>,
) -> Result<Option<&'b str>> {
    buffer.clear();
    let read = reader
        .read_until(b'\n', buffer)
        .with_context(|| read_failed(name))?;
    if read == 0 {
        return Ok(None);
    }
    *lines += 1;
    decode_line(name, *lines, buffer).map(Some)
}

/// Line `number` (from 1) of the input `name`, `bytes` as read, as text: a byte order mark
/// before the first line is dropped.
fn decode_line<'b>(name: &str, number: usize, bytes: &'b [u8]) -> Result<&'b str> {
    let bytes = match number {
        1 => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
        _ => bytes,
    };
    decode_utf8_line(name, number, bytes)
}

/// What a failure to read the input `name` is reported as.
fn read_failed(name: &str) -> String {
    match name {
        "<stdin>" => "could not read standard input".to_string(),
        name => format!("{name}: could not read the file"),
    }
}

/// Up to [`PARALLEL_LINES`] raw lines of a JSON Lines input, and how reading them ended.
#[derive(Default)]
struct RawLines {
    /// The lines one after another, each with its line break if it has one, as read: checked
    /// as UTF-8 when parsed, side by side.
    bytes: Vec<u8>,
    /// Where each line ends in `bytes`.
    ends: Vec<usize>,
    /// The number of the first line in the input (from 1).
    first: usize,
    /// The error reading the input that ended the batch, if one did (a line that is not UTF-8
    /// is found when the batch is parsed).
    problem: Option<anyhow::Error>,
    /// Whether the input ended.
    ended: bool,
}

impl RawLines {
    /// Reads up to [`PARALLEL_LINES`] lines of `reader`, the input `name`, counting them in
    /// `lines`. Each line is only copied: checking it and copying it out on this thread, line
    /// by line, kept the cores that parse waiting.
    fn read(name: &str, lines: &mut usize, reader: &mut dyn BufRead) -> RawLines {
        let mut raw = RawLines {
            ends: Vec::with_capacity(PARALLEL_LINES),
            first: *lines + 1,
            ..RawLines::default()
        };
        while raw.ends.len() < PARALLEL_LINES {
            match reader.read_until(b'\n', &mut raw.bytes) {
                Ok(0) => {
                    raw.ended = true;
                    break;
                }
                Ok(_) => {
                    raw.ends.push(raw.bytes.len());
                    *lines += 1;
                }
                Err(error) => {
                    raw.problem = Some(anyhow::Error::new(error).context(read_failed(name)));
                    break;
                }
            }
        }
        raw
    }

    /// Whether the input goes on after these lines.
    fn goes_on(&self) -> bool {
        !self.ended && self.problem.is_none()
    }

    /// Checks these lines as UTF-8 and parses their records on all cores, numbered by `jsonl`,
    /// and appends the posts in input order. A problem is the one reading a line at a time
    /// meets first.
    fn parse(self, name: &str, jsonl: &mut JsonlLines, posts: &mut Vec<Post>) -> Result<()> {
        let lines: Vec<Result<&str>> = (0..self.ends.len())
            .into_par_iter()
            .map(|index| {
                let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
                decode_line(
                    name,
                    self.first + index,
                    &self.bytes[start..self.ends[index]],
                )
            })
            .collect();
        let mut problem = self.problem;
        let mut records = Vec::with_capacity(lines.len());
        for line in lines {
            match line {
                Ok(line) => records.extend(jsonl.record(line)),
                Err(error) => {
                    problem = Some(error);
                    break;
                }
            }
        }
        let parsed: Vec<Result<(Post, Cow<str>)>> = records
            .par_iter()
            .map(|record| record.parts(name))
            .collect();
        let first = posts.len();
        let mut texts = Vec::with_capacity(parsed.len());
        let mut failed = None;
        for parts in parsed {
            match parts {
                Ok((post, text)) => {
                    posts.push(post);
                    texts.push(text);
                }
                Err(error) => {
                    failed = Some(error);
                    break;
                }
            }
        }
        // The batch's texts in one buffer (see `Text`).
        share_texts(&mut posts[first..], &texts);
        failed.or(problem).map_or(Ok(()), Err)
    }
}

/// Reads every line of `reader`, JSON Lines, into `posts`, calling `progress` with the number
/// of posts read every [`PROGRESS_POSTS`] posts. Records are parsed on all cores,
/// [`PARALLEL_LINES`] lines at a time (parsing was a tenth of a run, on one core while the
/// others waited), while this thread reads the next lines: reading alone, each line copied out
/// of the reader, was a third of the time the posts took to read. Lines are checked as UTF-8
/// with the parsing, not as they are read: that took a million posts from 0.95 to 0.79 s. So
/// a line that is not UTF-8 is found once the batch after it has been read, which is then
/// dropped: the problem reported is still the first one.
pub(super) fn read_lines(
    lines: &mut Lines,
    reader: &mut dyn BufRead,
    posts: &mut Vec<Post>,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    let Lines {
        name,
        reader: LineReader::Jsonl(jsonl),
        lines: count,
    } = lines
    else {
        unreachable!("only JSON Lines are parsed side by side")
    };
    let name: &str = name;
    let start = posts.len();
    let mut reported = 0;
    let mut raw = RawLines::read(name, count, reader);
    loop {
        let goes_on = raw.goes_on();
        let mut parsed = Ok(());
        let mut next = None;
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| parsed = raw.parse(name, jsonl, posts));
            if goes_on {
                next = Some(RawLines::read(name, count, reader));
            }
        });
        parsed?;
        let read = posts.len() - start;
        if read / PROGRESS_POSTS > reported {
            reported = read / PROGRESS_POSTS;
            progress(read);
        }
        match next {
            Some(next) => raw = next,
            None => return Ok(()),
        }
    }
}

/// Standard input with what was read of it to detect its format put back in front.
pub type StdinReader<'a> = io::Chain<io::Cursor<Vec<u8>>, &'a mut dyn Read>;

/// Standard input, once its format is known.
pub enum Stdin<'a> {
    /// Posts that can be read a batch at a time.
    Stream(Box<PostStream<'a>>),
    /// Input to read whole, as from a file: its format is not line-delimited, or its start
    /// alone could not tell (see [`open_stdin`]).
    Whole(StdinReader<'a>),
}

/// Finds out whether standard input can be read a batch of posts at a time: when its format is
/// plain text or JSON Lines, given (`--input-format`) or detected from its first
/// [`STDIN_SNIFF_BYTES`] (in whole lines) exactly as the whole input would be detected. When the
/// rest of the input could still change the answer (a start that could open one JSON document,
/// a single line of JSON so far) or it is not valid UTF-8, it is read whole, as before.
pub fn open_stdin<'a>(stdin: &'a mut dyn Read, options: &ReadOptions) -> Result<Stdin<'a>> {
    let (head, format) = match options.format {
        Some(format) => (Vec::new(), Some(format)),
        None => {
            let (head, at_end) = read_head(stdin)?;
            let format = detect_head(&head, at_end, options);
            (head, format)
        }
    };
    let reader = io::Cursor::new(head).chain(stdin);
    let name = super::InputPath::Stdin.display_name();
    let Some(lines) = format.and_then(|format| Lines::new(name.clone(), format, options.split, 0))
    else {
        return Ok(Stdin::Whole(reader));
    };
    Ok(Stdin::Stream(Box::new(PostStream {
        reader: BufReader::with_capacity(STDIN_BUFFER_BYTES, reader),
        lines,
        source: Source {
            path: name,
            kind: SourceKind::Stdin,
            format: format.expect("a line-delimited format"),
            posts: 0,
            settings: SourceSettings::default(),
            file: None,
            original: None,
        },
        buffer: Vec::new(),
        read: 0,
        error: None,
        ended: false,
    })))
}

/// Reads standard input until its first [`STDIN_SNIFF_BYTES`] after leading white space are in,
/// in whole lines, or it ends: the bytes, and whether it ended. It stops undecided when those
/// lines are not UTF-8 or after [`STDIN_HEAD_LIMIT`] bytes (a first line longer than that):
/// such input is read whole, and what was read here is not held twice for long.
fn read_head(stdin: &mut dyn Read) -> Result<(Vec<u8>, bool)> {
    let mut head = Vec::new();
    let mut chunk = vec![0; 8 * 1024];
    loop {
        // One read at a time: waiting for a fixed amount would wait for input that may come
        // much later, with enough to decide already in.
        let read = loop {
            match stdin.read(&mut chunk) {
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                read => break read.context("could not read standard input")?,
            }
        };
        if read == 0 {
            return Ok((head, true));
        }
        head.extend_from_slice(&chunk[..read]);
        if head.len() < STDIN_SNIFF_BYTES || !chunk[..read].contains(&b'\n') {
            if head.len() >= STDIN_HEAD_LIMIT {
                return Ok((head, false));
            }
            continue;
        }
        let enough = match std::str::from_utf8(whole_lines(&head)) {
            Ok(text) => text.trim_start().len() >= STDIN_SNIFF_BYTES,
            Err(_) => true,
        };
        if enough || head.len() >= STDIN_HEAD_LIMIT {
            return Ok((head, false));
        }
    }
}

/// `bytes` up to and with their last line break, without a byte order mark.
fn whole_lines(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |at| at + 1);
    bytes[..end]
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes[..end])
}

/// The line-delimited format of an input that starts with `head` (all of it when `at_end`), when
/// the rest cannot change what reading it whole would detect.
fn detect_head(head: &[u8], at_end: bool, options: &ReadOptions) -> Option<InputFormat> {
    let bytes = match at_end {
        true => head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head),
        false => whole_lines(head),
    };
    let content = std::str::from_utf8(bytes).ok()?;
    if !at_end && content.trim_start().len() < STDIN_SNIFF_BYTES {
        return None;
    }
    let format = detect(None, content, options, Mode::Explicit)?;
    let sure = at_end
        || match format {
            // The first line is a record and more follows, whatever comes next.
            InputFormat::Jsonl => true,
            // Text unless the whole input is one JSON document (`--split lines` says text).
            InputFormat::Text => options.split == TextSplit::Lines || never_json(content),
            _ => false,
        };
    (sure && matches!(format, InputFormat::Text | InputFormat::Jsonl)).then_some(format)
}

/// Whether no input starting with `head` (whole lines) can parse as one JSON document: it has a
/// syntax error already, not merely an end too soon.
fn never_json(head: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(head.trim()).is_err_and(|error| !error.is_eof())
}

/// Standard input read a batch of posts at a time ([`PostStream::next_batch`]).
pub struct PostStream<'a> {
    reader: BufReader<StdinReader<'a>>,
    lines: Lines,
    /// The source every batch's posts come from; its `posts` counts the posts read so far.
    source: Source,
    buffer: Vec<u8>,
    /// Posts read so far.
    read: usize,
    /// A problem found after the posts of the last batch, for the next call.
    error: Option<anyhow::Error>,
    ended: bool,
}

impl PostStream<'_> {
    /// The format the input is read as.
    #[cfg(test)]
    pub fn format(&self) -> InputFormat {
        self.source.format
    }

    /// The next posts, as a corpus of their own, or `None` once the input has ended: at most
    /// `max` posts, fewer when the input has given no more yet (so what has arrived is checked
    /// while more comes: a line typed into a pipe is a batch of one), at least one. Its posts
    /// are numbered on from the batches before ([`Corpus::first_post`]). A problem in the input
    /// is returned after a batch of the posts that end before it, then stops the stream.
    pub fn next_batch(&mut self, max: usize) -> Result<Option<Corpus>> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let mut posts = Vec::new();
        while !self.ended && posts.len() < max {
            match self
                .lines
                .next(&mut self.reader, &mut self.buffer, &mut posts)
            {
                Ok(true) => {}
                Ok(false) => self.ended = true,
                Err(error) => {
                    self.ended = true;
                    if posts.is_empty() {
                        return Err(error);
                    }
                    self.error = Some(error);
                }
            }
            // Nothing more has arrived: check what has before waiting for more.
            if !posts.is_empty() && self.reader.buffer().is_empty() {
                break;
            }
        }
        if posts.is_empty() {
            return Ok(None);
        }
        let first = self.read;
        self.read += posts.len();
        Ok(Some(self.batch(first, posts)))
    }

    /// A batch without posts after the last one: the corpus a streamed report ends with.
    pub fn end(&self) -> Corpus {
        self.batch(self.read, Vec::new())
    }

    fn batch(&self, first: usize, posts: Vec<Post>) -> Corpus {
        Corpus {
            sources: vec![Source {
                posts: self.read,
                ..self.source.clone()
            }],
            posts,
            skipped: Vec::new(),
            first_post: first,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(format: Option<InputFormat>, split: TextSplit) -> ReadOptions {
        ReadOptions {
            format,
            split,
            ..ReadOptions::default()
        }
    }

    /// The batches `input` streams as, each as (first post, texts), or why it is read whole.
    fn batches(
        input: &[u8],
        options: &ReadOptions,
        max: usize,
    ) -> Result<Vec<(usize, Vec<String>)>, String> {
        let mut stdin: &[u8] = input;
        let Stdin::Stream(mut stream) = open_stdin(&mut stdin, options).unwrap() else {
            return Err("whole".to_string());
        };
        let mut batches = Vec::new();
        loop {
            match stream.next_batch(max) {
                Ok(Some(corpus)) => batches.push((
                    corpus.first_post,
                    corpus
                        .posts
                        .into_iter()
                        .map(|post| post.text.to_string())
                        .collect(),
                )),
                Ok(None) => return Ok(batches),
                Err(error) => {
                    batches.push((usize::MAX, vec![error.to_string()]));
                    return Ok(batches);
                }
            }
        }
    }

    fn texts(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| text.to_string()).collect()
    }

    #[test]
    fn batches_hold_at_most_max_posts_numbered_on() {
        let input = b"a\nb\n\nc\nd\ne\n";
        let options = options(Some(InputFormat::Text), TextSplit::Lines);
        assert_eq!(
            batches(input, &options, 2).unwrap(),
            vec![
                (0, texts(&["a", "b"])),
                (2, texts(&["c", "d"])),
                (4, texts(&["e"]))
            ]
        );
    }

    #[test]
    fn an_error_comes_after_the_posts_before_it() {
        let input = b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n{\"text\": }\n{\"text\": \"c\"}\n";
        let options = options(None, TextSplit::Separator);
        assert_eq!(
            batches(input, &options, 100).unwrap(),
            vec![
                (0, texts(&["a", "b"])),
                (
                    usize::MAX,
                    texts(&["<stdin>:3:10: invalid JSON: expected value"])
                )
            ]
        );
    }

    /// JSON Lines parsed side by side, a batch of lines at a time, give the posts of reading a
    /// line at a time, and its first problem: a line that is not UTF-8 after invalid JSON is not
    /// reported before it, nor invalid JSON after one that is not UTF-8.
    #[test]
    fn json_lines_parsed_side_by_side_read_as_line_by_line() {
        let read = |input: &[u8]| match read_jsonl(&mut &input[..]) {
            (posts, None) => Ok(posts),
            (_, Some(error)) => Err(error),
        };
        let mut many = String::from("\u{feff}");
        for index in 0..PARALLEL_LINES * 2 + 5 {
            many.push_str(&format!("{{\"text\": \"post {index}\"}}\r\n\n"));
        }
        let posts = read(many.as_bytes()).unwrap();
        assert_eq!(posts.len(), PARALLEL_LINES * 2 + 5);
        assert_eq!(
            posts.last().unwrap(),
            &format!("post {}", PARALLEL_LINES * 2 + 4)
        );
        let json_first = b"\"a\"\n{\"text\": }\n\"\xFF\"\n";
        assert_eq!(
            read(json_first).unwrap_err(),
            "posts.jsonl:2:10: invalid JSON: expected value"
        );
        let utf8_first = b"\"a\"\n\"\xFF\"\n{\"text\": }\n";
        assert!(
            read(utf8_first)
                .unwrap_err()
                .starts_with("posts.jsonl:2:2: "),
            "{:?}",
            read(utf8_first)
        );
        // The next batch is read while this one is parsed: its problem still comes after this
        // one's.
        let mut batches = "\"a\"\n".repeat(PARALLEL_LINES - 1).into_bytes();
        batches.extend_from_slice(b"{\"text\": }\n\"\xFF\"\n");
        assert_eq!(
            read(&batches).unwrap_err(),
            format!("posts.jsonl:{PARALLEL_LINES}:10: invalid JSON: expected value")
        );
    }

    /// A failure to read comes after the posts of the lines before it, and after a line before
    /// it that is not UTF-8 (found when the lines are parsed, not as they are read).
    /// The texts of the posts [`read_lines`] reads from `reader`, JSON Lines named
    /// `posts.jsonl`, and the error it ends with, if any, with its causes.
    fn read_jsonl(reader: &mut dyn BufRead) -> (Vec<String>, Option<String>) {
        let mut lines = Lines::new(
            "posts.jsonl".into(),
            InputFormat::Jsonl,
            TextSplit::Lines,
            0,
        )
        .unwrap();
        let mut posts = Vec::new();
        let result = read_lines(&mut lines, reader, &mut posts, &mut |_| {});
        let texts = posts
            .into_iter()
            .map(|post| post.text.to_string())
            .collect();
        (texts, result.err().map(|error| format!("{error:#}")))
    }

    #[test]
    fn a_read_error_comes_after_the_lines_before_it() {
        /// `bytes`, then an error.
        struct FailingAfter<'a>(&'a [u8]);
        impl Read for FailingAfter<'_> {
            fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("the disk is gone"));
                }
                let read = self.0.read(buffer)?;
                Ok(read)
            }
        }
        let read = |input: &[u8]| {
            let (posts, error) = read_jsonl(&mut BufReader::new(FailingAfter(input)));
            (posts, error.expect("the read fails"))
        };
        let (posts, error) = read(b"\"a\"\n\"b\"\n\"c");
        assert_eq!(posts, ["a", "b"]);
        assert_eq!(
            error,
            "posts.jsonl: could not read the file: the disk is gone"
        );
        let (posts, error) = read(b"\"a\"\n\"\xFF\"\n\"c\"\n");
        assert_eq!(posts, ["a"]);
        assert!(error.starts_with("posts.jsonl:2:2: "), "{error}");
    }

    #[test]
    fn separated_posts_end_at_the_separator_or_the_end() {
        let input = "\u{feff}one\r\n\r\nmore\r\n---\n\ntwo\n\n";
        let options = options(Some(InputFormat::Text), TextSplit::Separator);
        assert_eq!(
            batches(input.as_bytes(), &options, 1).unwrap(),
            vec![(0, texts(&["one\r\n\r\nmore"])), (1, texts(&["two"]))]
        );
    }

    #[test]
    fn the_start_decides_only_when_the_rest_cannot_change_the_format() {
        let long = |first: &str, line: &str| {
            let mut input = first.to_string();
            while input.len() < 2 * STDIN_SNIFF_BYTES {
                input.push_str(line);
            }
            input
        };
        let detected = |input: &str, split| {
            let mut stdin = input.as_bytes();
            match open_stdin(&mut stdin, &options(None, split)).unwrap() {
                Stdin::Stream(stream) => Some(stream.format()),
                Stdin::Whole(_) => None,
            }
        };
        let text = long("", "a post\n");
        assert_eq!(
            detected(&text, TextSplit::Separator),
            Some(InputFormat::Text)
        );
        let jsonl = long("", "{\"text\": \"a post\"}\n");
        assert_eq!(
            detected(&jsonl, TextSplit::Separator),
            Some(InputFormat::Jsonl)
        );
        // One JSON document, or maybe one: read whole.
        let array = long("[\n", "\"a post\",\n") + "\"end\"]\n";
        assert_eq!(detected(&array, TextSplit::Separator), None);
        let one_line = long("[", "\"a post\", ") + "\"end\"]\n";
        assert_eq!(detected(&one_line, TextSplit::Separator), None);
        let huge_line = "x".repeat(2 * STDIN_HEAD_LIMIT) + "\nmore\n";
        assert_eq!(detected(&huge_line, TextSplit::Lines), None);
        let numbers = long("[1", ",\n2") + "]\n";
        assert_eq!(detected(&numbers, TextSplit::Separator), None);
        // A thread's first line is not JSON: text.
        let thread = long("[1/3] what we learned\n", "more\n");
        assert_eq!(
            detected(&thread, TextSplit::Separator),
            Some(InputFormat::Text)
        );
        // A CSV header hygiene knows: read whole, as a CSV.
        let csv = long("Text,Image URL,Tags,Posting Time\n", "\"hi\",,,\n");
        assert_eq!(detected(&csv, TextSplit::Lines), None);
        // Short input is all there: detected as a whole.
        assert_eq!(
            detected("a\nb\n", TextSplit::Separator),
            Some(InputFormat::Text)
        );
        assert_eq!(detected("[\"a\"]", TextSplit::Separator), None);
        assert_eq!(
            detected("\"a\"\n\"b\"\n", TextSplit::Separator),
            Some(InputFormat::Jsonl)
        );
        // Not UTF-8: read whole, which names the place.
        let mut broken: &[u8] = b"a\n\xff\n";
        assert!(matches!(
            open_stdin(&mut broken, &options(None, TextSplit::Lines)).unwrap(),
            Stdin::Whole(_)
        ));
    }

    #[test]
    fn what_was_read_to_detect_is_read_again() {
        let input = "[\"a\", \"b\"]";
        let mut stdin = input.as_bytes();
        let Stdin::Whole(mut reader) =
            open_stdin(&mut stdin, &options(None, TextSplit::Separator)).unwrap()
        else {
            panic!("JSON is read whole");
        };
        let mut read = String::new();
        reader.read_to_string(&mut read).unwrap();
        assert_eq!(read, input);
    }
}
