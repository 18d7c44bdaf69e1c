//! Reading inputs into a [`Corpus`]: all fallible I/O of a run happens here, before any rule runs,
//! so a malformed file stops the run with a precise error instead of skewing an account score.
//!
//! Each input is read whole, checked to be UTF-8 (a leading BOM is dropped), its format detected
//! from the content with the file extension as a hint (or forced by `--input-format`), and handed
//! to the reader for that format. Readers never change a post's text; they only choose which
//! slice of the input it is.

mod json;
mod text;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::post::{Corpus, InputFormat, PostKind, Source};
use crate::text::position_of_byte;

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPath {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`, or no path with piped input).
    Stdin,
}

impl InputPath {
    /// The name used for this input in messages and reports.
    pub fn display_name(&self) -> String {
        match self {
            InputPath::File(path) => path.display().to_string(),
            InputPath::Stdin => "<stdin>".to_string(),
        }
    }
}

/// How plain text is cut into posts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum TextSplit {
    /// Posts are separated by a line that is exactly `---`.
    #[default]
    Separator,
    /// Every non-blank line is a post.
    Lines,
}

/// Choices the user made about reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Forces a format instead of detecting it.
    pub format: Option<InputFormat>,
    pub split: TextSplit,
}

/// Reads every input, in order, into one corpus. `stdin` is read for [`InputPath::Stdin`].
pub fn read_all(
    inputs: &[InputPath],
    options: ReadOptions,
    stdin: &mut dyn Read,
) -> Result<Corpus> {
    let mut corpus = Corpus::default();
    for input in inputs {
        let name = input.display_name();
        let bytes = match input {
            InputPath::File(path) => read_file(path)?,
            InputPath::Stdin => {
                let mut bytes = Vec::new();
                stdin
                    .read_to_end(&mut bytes)
                    .context("could not read standard input")?;
                bytes
            }
        };
        let hint = match input {
            InputPath::File(path) => format_from_extension(path),
            InputPath::Stdin => None,
        };
        read_bytes(&mut corpus, name, &bytes, hint, options)?;
    }
    Ok(corpus)
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    if path.is_dir() {
        bail!(
            "{}: is a directory; pass the files inside it (for example `{}/*.json`)",
            path.display(),
            path.display()
        );
    }
    fs::read(path).with_context(|| format!("{}: could not read the file", path.display()))
}

/// Reads one input's bytes and appends its posts and its [`Source`] to `corpus`.
pub fn read_bytes(
    corpus: &mut Corpus,
    name: String,
    bytes: &[u8],
    hint: Option<InputFormat>,
    options: ReadOptions,
) -> Result<()> {
    let content = decode_utf8(&name, bytes)?;
    // Asking for one post per line says the input is text, unless a format was given.
    let hint = match (hint, options.split) {
        (None, TextSplit::Lines) => Some(InputFormat::Text),
        (hint, _) => hint,
    };
    let format = options
        .format
        .unwrap_or_else(|| detect_format(content, hint));
    let source = corpus.sources.len();
    let before = corpus.posts.len();
    match format {
        InputFormat::Json => json::read_json(&name, content, source, &mut corpus.posts)?,
        InputFormat::Jsonl => json::read_jsonl(&name, content, source, &mut corpus.posts)?,
        InputFormat::Text => text::read_text(content, options.split, source, &mut corpus.posts),
    }
    corpus.sources.push(Source {
        path: name,
        format,
        posts: corpus.posts.len() - before,
    });
    Ok(())
}

/// The text of an input: UTF-8 with a leading byte-order mark removed.
fn decode_utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let (line, column) = position_of_byte(bytes, error.valid_up_to());
        anyhow::anyhow!(
            "{name}:{line}:{column}: the input is not valid UTF-8 (byte 0x{:02x}); \
             save it as UTF-8 and try again",
            bytes[error.valid_up_to()]
        )
    })
}

/// The format an extension suggests, if it suggests one.
fn format_from_extension(path: &Path) -> Option<InputFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "json" => Some(InputFormat::Json),
        "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
        "txt" | "text" => Some(InputFormat::Text),
        _ => None,
    }
}

/// Detects the format from the content, with the extension as a hint.
///
/// Content is JSON when it parses as one JSON document, and JSON Lines when its first line is a
/// whole JSON value (an object or a string) and more follows. Content that only opens like JSON
/// but does not parse is still reported as broken JSON when it opens with `[{`, `["` or `{"`;
/// anything else is text, so posts like `[1/3] A thread` or `[ ] a checkbox` are read as text.
/// A `.txt` extension means text. A `.json`/`.jsonl` extension means JSON of some shape, so a
/// broken file is reported as broken JSON rather than linted as prose; the content still decides
/// between one document and one value per line.
fn detect_format(content: &str, hint: Option<InputFormat>) -> InputFormat {
    if hint == Some(InputFormat::Text) {
        return InputFormat::Text;
    }
    let parses = |json: &str| serde_json::from_str::<serde::de::IgnoredAny>(json).is_ok();
    let trimmed = content.trim();
    let first_line = trimmed.lines().next().unwrap_or_default().trim();
    let more_lines = trimmed.len() > first_line.len();
    let first_line_is_a_record =
        (first_line.starts_with('{') || first_line.starts_with('"')) && parses(first_line);
    if first_line_is_a_record && (more_lines || hint == Some(InputFormat::Jsonl)) {
        return InputFormat::Jsonl;
    }
    if !first_line.starts_with('"') && parses(trimmed) {
        return InputFormat::Json;
    }
    let opening: String = trimmed
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(2)
        .collect();
    match hint {
        Some(format) => format,
        None if ["[{", "[\"", "{\""].contains(&opening.as_str()) => InputFormat::Json,
        None => InputFormat::Text,
    }
}

/// The kind of a post whose input did not say: a reply when it answers a post or opens with an
/// `@handle` (how replies are written on X and Mastodon), a repost when it is a manual
/// `RT @handle:` retweet, otherwise a post.
pub fn infer_kind(text: &str, answers_a_post: bool) -> PostKind {
    let trimmed = text.trim_start();
    if answers_a_post || starts_with_handle(trimmed) {
        PostKind::Reply
    } else if trimmed.strip_prefix("RT ").is_some_and(starts_with_handle) {
        PostKind::Repost
    } else {
        PostKind::Post
    }
}

fn starts_with_handle(text: &str) -> bool {
    text.strip_prefix('@')
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats_from_content() {
        let cases = [
            (r#"["a", "b"]"#, InputFormat::Json),
            ("  [\n {\"text\": 1}]", InputFormat::Json),
            (r#"{"posts": []}"#, InputFormat::Json),
            ("{\"text\": \"a\"}\n{\"text\": \"b\"}\n", InputFormat::Jsonl),
            ("\"a\"\n\"b\"\n", InputFormat::Jsonl),
            ("{\"text\": \"a\"}\n", InputFormat::Json),
            ("{\"text\": broken\n", InputFormat::Json),
            ("[{\"text\": broken", InputFormat::Json),
            ("{\n  \"posts\": []\n}\n}\n", InputFormat::Json),
            ("[Tweet \"a quote\"] more", InputFormat::Text),
            (
                "[1/3] Thread: what we learned\n[2/3] Small releases win\n",
                InputFormat::Text,
            ),
            ("[ ] tweet about the launch\n", InputFormat::Text),
            ("\"Quoted\" - a person, 2024", InputFormat::Text),
            ("{first_name}, thanks!", InputFormat::Text),
            ("hello", InputFormat::Text),
            ("", InputFormat::Text),
        ];
        for (content, format) in cases {
            assert_eq!(detect_format(content, None), format, "{content:?}");
        }
    }

    #[test]
    fn extension_is_a_hint_the_content_refines() {
        let lines = "{\"text\": \"a\"}\n{\"text\": \"b\"}\n";
        assert_eq!(
            detect_format(lines, Some(InputFormat::Json)),
            InputFormat::Jsonl
        );
        assert_eq!(
            detect_format("[\"a\"]", Some(InputFormat::Jsonl)),
            InputFormat::Json
        );
        assert_eq!(
            detect_format("{\"text\": \"a\"}", Some(InputFormat::Jsonl)),
            InputFormat::Jsonl
        );
        assert_eq!(
            detect_format("[\"a\"]", Some(InputFormat::Text)),
            InputFormat::Text
        );
        assert_eq!(
            detect_format("oops", Some(InputFormat::Jsonl)),
            InputFormat::Jsonl
        );
        assert_eq!(
            detect_format("[1/3] thread", Some(InputFormat::Json)),
            InputFormat::Json
        );
    }

    #[test]
    fn infers_replies_and_reposts_from_the_text() {
        assert_eq!(infer_kind("@ana thanks!", false), PostKind::Reply);
        assert_eq!(infer_kind("thanks!", true), PostKind::Reply);
        assert_eq!(infer_kind("RT @ana: big news", false), PostKind::Repost);
        assert_eq!(infer_kind("email me @ home", false), PostKind::Post);
        assert_eq!(infer_kind("@ alone", false), PostKind::Post);
        assert_eq!(infer_kind("RT if you agree", false), PostKind::Post);
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let error = decode_utf8("x.txt", b"ok\nab\xffc")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("x.txt:2:3: the input is not valid UTF-8 (byte 0xff)"),
            "{error}"
        );
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        assert_eq!(decode_utf8("x", b"\xEF\xBB\xBFhi").unwrap(), "hi");
    }
}
