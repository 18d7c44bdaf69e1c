//! Line-delimited inputs (plain text, JSON Lines) read a line at a time, so a large JSON Lines
//! file is never held whole.
//!
//! The posts, their numbering, origins and error messages are those of reading the same bytes
//! whole: the same line readers (`TextLines`, `JsonlLines`) do the work either way. What
//! differs is when a problem is found: read whole, invalid UTF-8 anywhere is reported before
//! any post is read; read a line at a time, the first problem in input order is reported.

use std::io::BufRead;

use anyhow::{Context, Result};

use super::TextSplit;
use super::decode_utf8_line;
use super::json::JsonlLines;
use super::text::TextLines;
use crate::post::{InputFormat, Post};

/// How often reading a large file reports progress, in posts.
const PROGRESS_POSTS: usize = 1 << 14;

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
        source: usize,
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

    /// Reads the next line's bytes (with its line break, if it has one; a byte order mark before
    /// the first is dropped) and appends the post it completes, if any.
    fn line(&mut self, bytes: &[u8], posts: &mut Vec<Post>) -> Result<()> {
        let bytes = match self.lines {
            0 => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
            _ => bytes,
        };
        self.lines += 1;
        let line = decode_utf8_line(&self.name, self.lines, bytes)?;
        match &mut self.reader {
            LineReader::Text(text) => text.line(&self.name, line, posts),
            LineReader::Jsonl(jsonl) => jsonl.line(&self.name, line, posts),
        }
    }

    /// Appends the post still open at the end of the input, if any.
    fn finish(&mut self, posts: &mut Vec<Post>) -> Result<()> {
        match &mut self.reader {
            LineReader::Text(text) => text.finish(&self.name, posts),
            LineReader::Jsonl(_) => Ok(()),
        }
    }

    /// Reads the next line of `reader` into `buffer`: whether there was one (else the input has
    /// ended, and the post still open is appended).
    fn next(
        &mut self,
        reader: &mut dyn BufRead,
        buffer: &mut Vec<u8>,
        posts: &mut Vec<Post>,
    ) -> Result<bool> {
        buffer.clear();
        let read = reader.read_until(b'\n', buffer).with_context(|| {
            match self.name.as_str() {
                "<stdin>" => "could not read standard input".to_string(),
                name => format!("{name}: could not read the file"),
            }
        })?;
        if read == 0 {
            self.finish(posts)?;
            return Ok(false);
        }
        self.line(buffer, posts)?;
        Ok(true)
    }
}

/// Reads every line of `reader` into `posts`, calling `progress` with the number of posts read
/// every [`PROGRESS_POSTS`] posts.
pub(super) fn read_lines(
    lines: &mut Lines,
    reader: &mut dyn BufRead,
    posts: &mut Vec<Post>,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    let mut buffer = Vec::new();
    let start = posts.len();
    loop {
        let before = posts.len();
        if !lines.next(reader, &mut buffer, posts)? {
            return Ok(());
        }
        let read = posts.len() - start;
        if posts.len() != before && read % PROGRESS_POSTS == 0 {
            progress(read);
        }
    }
}
