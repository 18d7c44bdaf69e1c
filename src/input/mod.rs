//! Reading inputs into a [`Corpus`]: all fallible I/O of a run happens here, before any rule runs,
//! so a malformed file stops the run with a precise error instead of skewing an account score.
//!
//! An input is a file, standard input, a directory (walked recursively: a repository of
//! scheduled posts, an unpacked archive) or a `.zip` (a downloaded archive). Each file is read
//! whole, checked to be UTF-8 (a leading BOM is dropped), its format detected from the content
//! with the path as a hint (or forced by `--input-format`), and handed to the reader for that
//! format. Files found by walking a directory or zip are read only when they hold posts in a
//! known format; the others are listed as skipped. Readers never change a post's text beyond
//! what the format defines (unescaping, HTML to text, repairing mojibake); they choose which
//! text is the post and remember where it came from.
//!
//! The one exception to "before any rule runs": standard input in plain text or JSON Lines may
//! be read a batch of posts at a time ([`open_stdin`], in `stream`), when no rule needs every
//! post (no account rule); its I/O still happens only here, a batch at a time.

mod bluesky;
mod csv_file;
mod fields;
mod json;
mod mastodon;
mod meta;
mod scheduled;
mod stream;
mod text;
mod x_archive;
mod x_legacy;

use std::fs;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use stream::{PostStream, Stdin, StdinReader, open_stdin};

use crate::post::{
    Allow, Corpus, InputFormat, Location, Post, PostKind, Source, SourceKind, SourceSettings,
};
use crate::text::position_of_byte;

/// How much hygiene unpacks from a zip archive, so a zip bomb cannot exhaust memory: real
/// archives' text files are at most a few hundred MB, and their photos and videos are not
/// unpacked (see [`read_found`]).
const ZIP_LIMITS: ZipLimits = ZipLimits {
    member: 1 << 30,
    total: 2 << 30,
};

/// The most bytes one zip archive may unpack to.
#[derive(Debug, Clone, Copy)]
struct ZipLimits {
    /// For one member.
    member: u64,
    /// For all members together (a bomb of many members, each under `member`).
    total: u64,
}

/// How much of a file found by walking is read to tell text from binary (a photo, a video):
/// binary files are skipped without being read whole.
const BINARY_SNIFF_BYTES: u64 = 8 * 1024;

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPath {
    /// A file, directory or zip archive on disk.
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Forces a format instead of detecting it.
    pub format: Option<InputFormat>,
    pub split: TextSplit,
    /// Columns of a CSV named by the user, for a header hygiene does not know.
    pub columns: CsvColumns,
    /// Whether to keep no [`Source::original`]: set when nothing will be fixed (neither
    /// `--fix` nor `--diff`). The bytes of a file whose posts are verbatim slices of it (plain
    /// text, `.tweet`, Markdown) are otherwise kept until the end of the run: a copy of every
    /// byte read, 160 MB beside the posts of a million lines of text.
    pub forget_originals: bool,
}

/// The columns of a CSV of posts named by the user (`--text-column`, `--date-column`). A named
/// column present in a CSV's header is used before the names hygiene knows, and makes a CSV
/// whose header hygiene does not know readable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvColumns {
    /// The column holding a post's text.
    pub text: Option<String>,
    /// The column holding when a post was or will be published.
    pub date: Option<String>,
}

/// Who owns an archive, from its `account.js` (X) or `actor.json` (Mastodon): tells sent DMs
/// from received ones and self-threads from replies to others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owner {
    /// X account id (`accountId`).
    pub x_account_id: Option<String>,
    /// X username, without `@`.
    pub x_username: Option<String>,
    /// Mastodon actor URI (`https://host/users/name`).
    pub mastodon_actor: Option<String>,
}

/// What a reader gets besides the content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadContext<'a> {
    /// The name of the input in messages (`archive.zip!data/tweets.js`).
    pub name: &'a str,
    /// The file's path inside its directory or archive, when it has one (for names that carry
    /// meaning, such as a scheduled post named after its date).
    pub path: Option<&'a Path>,
    /// Index of the source being read, for `Origin::source`.
    pub source: u32,
    pub owner: &'a Owner,
    pub options: &'a ReadOptions,
}

/// Whether a file was named by the user (read it whatever it is) or found by walking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Explicit,
    Walk,
}

/// One file to read, from disk, stdin or an archive.
struct Entry {
    name: String,
    /// The path inside its folder or archive (a file named on the command line: as given).
    path: Option<PathBuf>,
    kind: SourceKind,
    /// The file on disk, when it is one (not standard input or a file inside a zip).
    file: Option<PathBuf>,
    bytes: Vec<u8>,
}

/// How far reading has come: counts so far, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadProgress {
    /// Files read, those found by walking and skipped included.
    pub files: usize,
    /// Posts read.
    pub posts: usize,
}

impl ReadProgress {
    fn of(corpus: &Corpus) -> ReadProgress {
        ReadProgress {
            files: corpus.sources.len() + corpus.skipped.len(),
            posts: corpus.posts.len(),
        }
    }
}

/// Reads every input, in order, into one corpus. `stdin` is read for [`InputPath::Stdin`].
pub fn read_all(
    inputs: &[InputPath],
    options: ReadOptions,
    stdin: &mut dyn Read,
) -> Result<Corpus> {
    read_all_with_progress(inputs, options, stdin, &|_| {})
}

/// [`read_all`], calling `progress` with the counts so far after each file is read.
pub fn read_all_with_progress(
    inputs: &[InputPath],
    options: ReadOptions,
    stdin: &mut dyn Read,
    progress: &dyn Fn(ReadProgress),
) -> Result<Corpus> {
    let mut corpus = Corpus::default();
    for input in inputs {
        match input {
            InputPath::Stdin => {
                let mut bytes = Vec::new();
                stdin
                    .read_to_end(&mut bytes)
                    .context("could not read standard input")?;
                let entry = Entry {
                    name: input.display_name(),
                    path: None,
                    kind: SourceKind::Stdin,
                    file: None,
                    bytes,
                };
                read_entry(
                    &mut corpus,
                    &entry,
                    &options,
                    &Owner::default(),
                    Mode::Explicit,
                )?;
                progress(ReadProgress::of(&corpus));
            }
            InputPath::File(path) if path.is_dir() => {
                read_group(&mut corpus, directory_entries(path)?, &options, progress)?;
            }
            InputPath::File(path) if is_zip(path) => {
                read_group(
                    &mut corpus,
                    zip_entries(path, ZIP_LIMITS)?,
                    &options,
                    progress,
                )?;
            }
            InputPath::File(path)
                if read_large_jsonl(&mut corpus, input, path, &options, progress)? => {}
            InputPath::File(path) => {
                let bytes = fs::read(path)
                    .with_context(|| format!("{}: could not read the file", path.display()))?;
                let entry = Entry {
                    name: input.display_name(),
                    path: Some(path.clone()),
                    kind: SourceKind::File,
                    file: Some(path.clone()),
                    bytes,
                };
                let owner = sibling_owner(path);
                let start = corpus.posts.len();
                read_entry(&mut corpus, &entry, &options, &owner, Mode::Explicit)?;
                x_archive::merge_note_tweets(&mut corpus.posts, start);
                progress(ReadProgress::of(&corpus));
            }
        }
    }
    count_source_posts(&mut corpus);
    Ok(corpus)
}

/// Reads the files of one directory or archive, with the owner found among them, calling
/// `progress` after each.
fn read_group(
    corpus: &mut Corpus,
    entries: Vec<Entry>,
    options: &ReadOptions,
    progress: &dyn Fn(ReadProgress),
) -> Result<()> {
    // Checked as UTF-8 once, for the owner and for the posts (twice was a millisecond of the
    // 5 MB archive's reading).
    let contents: Vec<Result<&str>> = entries
        .iter()
        .map(|entry| decode_utf8(&entry.name, &entry.bytes))
        .collect();
    let mut owner = Owner::default();
    for content in contents.iter().flatten() {
        owner_from(content, &mut owner);
    }
    let start = corpus.posts.len();
    for (entry, content) in entries.iter().zip(contents) {
        read_decoded(corpus, entry, content, options, &owner, Mode::Walk)?;
        progress(ReadProgress::of(corpus));
    }
    x_archive::merge_note_tweets(&mut corpus.posts, start);
    Ok(())
}

/// Fills in what `content` says about the owner, if it is an owner file.
fn owner_from(content: &str, owner: &mut Owner) {
    if let Some((id, username)) = x_archive::owner_from_account_js(content) {
        owner.x_account_id = Some(id);
        owner.x_username = Some(username);
    }
    if let Some(actor) = mastodon::owner_from_actor(content) {
        owner.mastodon_actor = Some(actor);
    }
}

/// The owner named by `account.js` or `actor.json` next to a file given on its own.
fn sibling_owner(path: &Path) -> Owner {
    let mut owner = Owner::default();
    let Some(folder) = path.parent() else {
        return owner;
    };
    for name in ["account.js", "actor.json"] {
        let sibling = folder.join(name);
        if sibling != path
            && let Ok(bytes) = fs::read(&sibling)
            && let Ok(content) = decode_utf8(name, &bytes)
        {
            owner_from(content, &mut owner);
        }
    }
    owner
}

/// Every file below `root`, sorted, without hidden files and folders (`.git`) or dependency
/// folders. Symbolic links are not followed, so a link loop cannot trap the walk.
fn directory_entries(root: &Path) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || {
                let name = entry.file_name().to_string_lossy();
                !name.starts_with('.') && name != "node_modules" && name != "target"
            }
        });
    for entry in walk {
        let entry =
            entry.with_context(|| format!("{}: could not read the folder", root.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let bytes = fs::File::open(path)
            .and_then(|file| {
                let size = file.metadata()?.len();
                read_found(file, size, u64::MAX)
            })
            .with_context(|| format!("{}: could not read the file", path.display()))?;
        entries.push(Entry {
            name: path.display().to_string(),
            path: Some(path.strip_prefix(root).unwrap_or(path).to_path_buf()),
            kind: SourceKind::File,
            file: Some(path.to_path_buf()),
            bytes,
        });
    }
    Ok(entries)
}

/// Whether `path` is a zip archive (by its first bytes, whatever its name).
fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

/// Every file in a zip archive, in archive order, named `archive.zip!inner/path`. Members are
/// only read, never written anywhere, so names such as `../../etc/passwd` are just names.
fn zip_entries(path: &Path, limits: ZipLimits) -> Result<Vec<Entry>> {
    let file =
        fs::File::open(path).with_context(|| format!("{}: could not open", path.display()))?;
    let mut archive = zip::ZipArchive::new(file)
        .with_context(|| format!("{}: not a readable zip archive", path.display()))?;
    let mut entries = Vec::new();
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let mut file = archive
            .by_index(index)
            .with_context(|| format!("{}: entry {} is unreadable", path.display(), index + 1))?;
        if !file.is_file() {
            continue;
        }
        let inner = file.name().to_string();
        let name = format!("{}!{inner}", path.display());
        let too_large = || {
            anyhow::anyhow!(
                "{name}: larger than {} bytes unpacked; refusing to read it",
                limits.member
            )
        };
        if file.size() > limits.member {
            return Err(too_large());
        }
        let size = file.size();
        let bytes = read_found(&mut file, size, limits.member)
            .with_context(|| format!("{name}: could not unpack"))?;
        if bytes.len() as u64 > limits.member {
            return Err(too_large());
        }
        unpacked += bytes.len() as u64;
        if unpacked > limits.total {
            bail!(
                "{}: more than {} bytes unpacked in all; refusing to read more",
                path.display(),
                limits.total
            );
        }
        let hidden = inner
            .split('/')
            .any(|part| part.starts_with('.') || part == "__MACOSX");
        if !hidden {
            entries.push(Entry {
                name,
                path: Some(PathBuf::from(&inner)),
                kind: SourceKind::ArchiveMember {
                    archive: path.display().to_string(),
                    member: inner,
                },
                file: None,
                bytes,
            });
        }
    }
    Ok(entries)
}

/// Reads a file found in a folder or archive, of `size` bytes as far as its metadata says:
/// its first [`BINARY_SNIFF_BYTES`], then the rest only when those are text, up to one byte
/// past `limit`. A binary file (a photo, a video) is returned cut short: it is not UTF-8, so it
/// is skipped as any file found by walking that is not UTF-8, without being read whole.
fn read_found(mut reader: impl Read, size: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    (&mut reader)
        .take(BINARY_SNIFF_BYTES)
        .read_to_end(&mut bytes)?;
    let binary = std::str::from_utf8(&bytes).is_err_and(|error| error.error_len().is_some());
    if !binary {
        let rest = limit.saturating_add(1).saturating_sub(bytes.len() as u64);
        bytes.reserve(size.min(limit).saturating_sub(bytes.len() as u64) as usize);
        reader.take(rest).read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Reads one file's bytes and appends its posts and its [`Source`] to `corpus`; a file found by
/// walking that holds no posts in a known format is recorded in `Corpus::skipped` instead.
fn read_entry(
    corpus: &mut Corpus,
    entry: &Entry,
    options: &ReadOptions,
    owner: &Owner,
    mode: Mode,
) -> Result<()> {
    let content = decode_utf8(&entry.name, &entry.bytes);
    read_decoded(corpus, entry, content, options, owner, mode)
}

/// [`read_entry`], with the entry's bytes decoded ([`decode_utf8`]) as `content`.
fn read_decoded(
    corpus: &mut Corpus,
    entry: &Entry,
    content: Result<&str>,
    options: &ReadOptions,
    owner: &Owner,
    mode: Mode,
) -> Result<()> {
    let content = match content {
        Ok(content) => content,
        Err(_) if mode == Mode::Walk => {
            corpus.skipped.push(entry.name.clone());
            return Ok(());
        }
        Err(error) => return Err(error),
    };
    let path = entry.path.as_deref();
    let format = match options.format {
        Some(format) => Some(format),
        None => detect(path, content, options, mode),
    };
    let Some(format) = format else {
        corpus.skipped.push(entry.name.clone());
        return Ok(());
    };
    let source = next_source(corpus);
    let context = ReadContext {
        name: &entry.name,
        path,
        source,
        owner,
        options,
    };
    read_as(format, context, content, &mut corpus.posts)?;
    corpus.sources.push(Source {
        path: entry.name.clone(),
        kind: entry.kind.clone(),
        format,
        posts: 0,
        settings: SourceSettings::default(),
        file: entry.file.clone(),
        original: (format.posts_are_verbatim() && !options.forget_originals)
            .then(|| entry.bytes.clone()),
    });
    Ok(())
}

/// The index the next source pushed to `corpus` gets, as `Origin::source` holds it.
fn next_source(corpus: &Corpus) -> u32 {
    u32::try_from(corpus.sources.len()).expect("fewer than 2^32 sources")
}

/// Files larger than this are looked at before being read whole: JSON Lines is read a line at a
/// time instead.
const LARGE_FILE_BYTES: u64 = 1 << 20;

/// Reads `path` a line at a time, without holding the file in memory, when it is larger than
/// [`LARGE_FILE_BYTES`] and JSON Lines: given as such (`--input-format jsonl`) or detected
/// so from its first [`LARGE_FILE_BYTES`] (every sniffer looks at no more than its first
/// 64 KiB and first line). Returns whether it did; otherwise the file is read whole as usual.
fn read_large_jsonl(
    corpus: &mut Corpus,
    input: &InputPath,
    path: &Path,
    options: &ReadOptions,
    progress: &dyn Fn(ReadProgress),
) -> Result<bool> {
    let context = || format!("{}: could not read the file", path.display());
    let Ok(mut file) = fs::File::open(path) else {
        return Ok(false); // reading it whole gives the error
    };
    let size = file.metadata().with_context(context)?.len();
    if size <= LARGE_FILE_BYTES {
        return Ok(false);
    }
    let mut head = Vec::new();
    (&mut file)
        .take(LARGE_FILE_BYTES)
        .read_to_end(&mut head)
        .with_context(context)?;
    let whole_lines = head.iter().rposition(|&byte| byte == b'\n').unwrap_or(0);
    let head = head[..whole_lines]
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head[..whole_lines]);
    let Ok(head) = std::str::from_utf8(head) else {
        return Ok(false);
    };
    let format = match options.format {
        Some(format) => Some(format),
        // One line is not enough to tell JSON Lines from one JSON document.
        None if head.trim().lines().nth(1).is_some() => {
            detect(Some(path), head, options, Mode::Explicit)
        }
        None => None,
    };
    if format != Some(InputFormat::Jsonl) {
        return Ok(false);
    }
    file.seek(std::io::SeekFrom::Start(0))
        .with_context(context)?;
    reserve_for(&mut corpus.posts, head, size);
    let name = input.display_name();
    let source = next_source(corpus);
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let files = corpus.sources.len() + corpus.skipped.len();
    let mut lines = stream::Lines::new(name.clone(), InputFormat::Jsonl, options.split, source)
        .expect("JSON Lines is read a line at a time");
    let start = corpus.posts.len();
    stream::read_lines(&mut lines, &mut reader, &mut corpus.posts, &mut |posts| {
        progress(ReadProgress {
            files,
            posts: start + posts,
        })
    })?;
    corpus.sources.push(Source {
        path: name,
        kind: SourceKind::File,
        format: InputFormat::Jsonl,
        posts: 0,
        settings: SourceSettings::default(),
        file: Some(path.to_path_buf()),
        original: None,
    });
    progress(ReadProgress::of(corpus));
    Ok(true)
}

/// Makes room in `posts` for the records of a JSON Lines file of `size` bytes, guessed from
/// those of its `head`, plus a sixteenth: grown a post at a time, the vector was copied to a
/// new place each time it doubled, and its new pages faulted in (2231fbe, run alternately:
/// 1.6% less CPU on 100k posts, 0.5–2.4% on a million, 12–14% fewer page faults). A guess past
/// what the file holds leaves pages untouched, but still counts against a strict commit limit
/// or `ulimit -v`: so the room is at most four times the file's size (a head of tiny records
/// before long ones guesses far too many; records of 34 bytes or more are not cut short), and
/// room the allocator refuses is not made.
fn reserve_for(posts: &mut Vec<Post>, head: &str, size: u64) {
    let records = head.lines().filter(|line| !line.trim().is_empty()).count() as u64;
    let guess = records.saturating_mul(size) / (head.len() as u64).max(1);
    let most = size.saturating_mul(4) / size_of::<Post>() as u64;
    let guess = guess.saturating_add(guess / 16).min(most);
    let _ = posts.try_reserve(usize::try_from(guess).unwrap_or(usize::MAX));
}

/// Sets each source's post count from the posts themselves, once reading is done (merging a
/// long post into its truncated twin moves posts between sources).
fn count_source_posts(corpus: &mut Corpus) {
    let Corpus { sources, posts, .. } = corpus;
    for source in sources.iter_mut() {
        source.posts = 0;
    }
    for post in posts.iter() {
        sources[post.origin.source as usize].posts += 1;
    }
}

/// Reads bytes that came from somewhere other than a file (tests, tools), as if named `name`.
pub fn read_bytes(
    corpus: &mut Corpus,
    name: String,
    bytes: &[u8],
    path: Option<&Path>,
    options: ReadOptions,
) -> Result<()> {
    let entry = Entry {
        name,
        path: path.map(Path::to_path_buf),
        kind: SourceKind::File,
        file: None,
        bytes: bytes.to_vec(),
    };
    read_entry(corpus, &entry, &options, &Owner::default(), Mode::Explicit)?;
    count_source_posts(corpus);
    Ok(())
}

/// At most `max` bytes from the start of `content`, cut on a char boundary: what sniffers look
/// at, so recognising a large file stays cheap.
fn prefix(content: &str, max: usize) -> &str {
    let mut end = max.min(content.len());
    while !content.is_char_boundary(end) {
        end -= 1;
    }
    &content[..end]
}

/// A post's suppression, from the `hygiene` field of a JSON record or the `hygiene` key of a
/// front matter or YAML record: `{"allow": ["rule", …], "reason": "why"}`; the reason is
/// required.
pub(super) fn parse_allow(value: &serde_json::Value) -> Result<Allow, String> {
    use serde_json::Value;
    const EXPECTED: &str = "`hygiene` must be {\"allow\": [\"rule\", …], \"reason\": \"why\"}";
    let Value::Object(object) = value else {
        return Err(format!("{EXPECTED}, found {}", describe(value)));
    };
    if let Some(key) = object
        .keys()
        .find(|key| !["allow", "reason"].contains(&key.as_str()))
    {
        return Err(format!("{EXPECTED}; `{key}` is not one of its keys"));
    }
    let rules = match object.get("allow") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| format!("{EXPECTED}: `allow` lists rule ids as strings"))?,
        _ => return Err(format!("{EXPECTED}: `allow` must list at least one rule")),
    };
    match object.get("reason").and_then(Value::as_str).map(str::trim) {
        Some(reason) if !reason.is_empty() => Ok(Allow {
            rules,
            reason: reason.to_string(),
        }),
        _ => Err(format!(
            "{EXPECTED}: a suppression needs a `reason`, so the next reader knows why"
        )),
    }
}

/// "a number", "an array", ... for error messages about JSON values.
fn describe(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A reader's entry point: appends the posts of `content` in a format the reader handles.
#[cfg(test)]
type ReadFn = fn(InputFormat, ReadContext<'_>, &str, &mut Vec<Post>) -> Result<()>;

/// A file as a reader's unit tests see it: its name, path, owner and read options.
#[cfg(test)]
#[derive(Default)]
struct TestFile<'a> {
    name: &'a str,
    path: Option<&'a Path>,
    owner: Owner,
    options: ReadOptions,
}

#[cfg(test)]
impl TestFile<'_> {
    fn named(name: &str) -> TestFile<'_> {
        TestFile {
            name,
            ..TestFile::default()
        }
    }

    /// What a reader is given besides the content, for this file as the first source.
    fn context(&self) -> ReadContext<'_> {
        ReadContext {
            name: self.name,
            path: self.path,
            source: 0,
            owner: &self.owner,
            options: &self.options,
        }
    }

    /// The posts `read` gets from `content` as `format`.
    fn read(&self, read: ReadFn, format: InputFormat, content: &str) -> Result<Vec<Post>> {
        let mut posts = Vec::new();
        read(format, self.context(), content, &mut posts)?;
        Ok(posts)
    }
}

/// Recognises a format from a file's path and content.
type Sniffer = fn(Option<&Path>, &str) -> Option<InputFormat>;

/// The format of a file: a known export or scheduler format recognised by its content (and
/// name), else JSON, JSON Lines or text (see [`detect_format`]). A file found by walking is
/// never read as plain text or as JSON that does not look like posts.
fn detect(
    path: Option<&Path>,
    content: &str,
    options: &ReadOptions,
    mode: Mode,
) -> Option<InputFormat> {
    let sniffers: [Sniffer; 7] = [
        x_archive::sniff,
        x_legacy::sniff,
        mastodon::sniff,
        bluesky::sniff,
        meta::sniff,
        csv_file::sniff,
        scheduled::sniff,
    ];
    if let Some(format) = csv_file::sniff_named_columns(content, &options.columns)
        .or_else(|| sniffers.iter().find_map(|sniff| sniff(path, content)))
    {
        return Some(format);
    }
    let hint = path.and_then(format_from_extension);
    match mode {
        // Likes, followers, ad data: archive files without posts, not text to lint.
        Mode::Explicit if x_archive::is_archive_data(content) => None,
        Mode::Explicit => {
            // Asking for one post per line says the input is text, unless its name says JSON.
            let hint = match (hint, options.split) {
                (None, TextSplit::Lines) => Some(InputFormat::Text),
                (hint, _) => hint,
            };
            Some(detect_format(content, hint))
        }
        Mode::Walk => match hint {
            // A broken array is reported (it may be posts; skipping it would lose them).
            Some(InputFormat::Json)
                if json::looks_like_posts(content)
                    || (content.trim_start().starts_with('[')
                        && serde_json::from_str::<serde::de::IgnoredAny>(content).is_err()) =>
            {
                Some(InputFormat::Json)
            }
            Some(InputFormat::Jsonl) => Some(InputFormat::Jsonl),
            _ => None,
        },
    }
}

/// Hands `content` to the reader for `format`.
fn read_as(
    format: InputFormat,
    context: ReadContext<'_>,
    content: &str,
    posts: &mut Vec<Post>,
) -> Result<()> {
    match format {
        InputFormat::Json => json::read_json(context, content, posts),
        InputFormat::Jsonl => json::read_jsonl(context, content, posts),
        InputFormat::Text => text::read_text(
            context.name,
            content,
            context.options.split,
            context.source,
            posts,
        ),
        InputFormat::XTweetsJs
        | InputFormat::XNoteTweetJs
        | InputFormat::XDirectMessagesJs
        | InputFormat::XDirectMessagesGroupJs
        | InputFormat::XAccountJs => x_archive::read(format, context, content, posts),
        InputFormat::XLegacyTweetsCsv | InputFormat::XLegacyGrailbirdJs => {
            x_legacy::read(format, context, content, posts)
        }
        InputFormat::MastodonOutbox | InputFormat::MastodonActor => {
            mastodon::read(format, context, content, posts)
        }
        InputFormat::BlueskyGetAuthorFeed | InputFormat::BlueskyListRecords => {
            bluesky::read(format, context, content, posts)
        }
        InputFormat::FacebookYourPosts
        | InputFormat::ThreadsPosts
        | InputFormat::InstagramPosts => meta::read(format, context, content, posts),
        InputFormat::LinkedinSharesCsv | InputFormat::Csv => {
            csv_file::read(format, context, content, posts)
        }
        InputFormat::TwitterTogetherTweet
        | InputFormat::MarkdownFrontMatter
        | InputFormat::Yaml => scheduled::read(format, context, content, posts),
    }
}

/// The text of an input: UTF-8 with a leading byte-order mark removed.
pub(crate) fn decode_utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let (line, column) = position_of_byte(bytes, error.valid_up_to());
        not_utf8(name, line, column, bytes[error.valid_up_to()])
    })
}

/// [`decode_utf8`] for line `line` of a file read a line at a time (without its line break).
fn decode_utf8_line<'a>(name: &str, line: usize, bytes: &'a [u8]) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|error| {
        let (_, column) = position_of_byte(bytes, error.valid_up_to());
        not_utf8(name, line, column, bytes[error.valid_up_to()])
    })
}

fn not_utf8(name: &str, line: usize, column: usize, byte: u8) -> anyhow::Error {
    anyhow::anyhow!(
        "{name}:{line}:{column}: the input is not valid UTF-8 (byte 0x{byte:02x}); save it as \
         UTF-8 and try again"
    )
}

/// Where `post` starts in its source's content (the text as read, without a byte order mark),
/// when the post's text is a verbatim slice of it (origin [`Location::Text`]): the one place a
/// position in a post's text becomes a position in its file, for fixes. `None` for records of
/// structured files, and when the text is not where its origin says (a reader broke the
/// verbatim promise: better no fix than a wrong one).
pub fn post_offset(content: &str, post: &Post) -> Option<usize> {
    let Location::Text { line, column } = post.origin.location else {
        return None;
    };
    let line_start = match line.checked_sub(2) {
        None => 0,
        Some(breaks) => content.match_indices('\n').nth(breaks as usize)?.0 + 1,
    };
    let rest = &content[line_start..];
    let start = line_start
        + rest
            .char_indices()
            .map(|(offset, _)| offset)
            .chain(std::iter::once(rest.len()))
            .nth(column.checked_sub(1)? as usize)?;
    (content.get(start..start + post.text.len()) == Some(&*post.text)).then_some(start)
}

/// The format an extension suggests, if it suggests one.
pub(crate) fn format_from_extension(path: &Path) -> Option<InputFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "json" => Some(InputFormat::Json),
        "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
        "txt" | "text" => Some(InputFormat::Text),
        // Named on the command line, a `.yaml` that is not a queue is an error rather than
        // text, and Markdown is one post; found by walking, only `scheduled::sniff` claims them.
        "yaml" | "yml" => Some(InputFormat::Yaml),
        "md" | "markdown" => Some(InputFormat::MarkdownFrontMatter),
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
    if let Some(
        format @ (InputFormat::Text | InputFormat::Yaml | InputFormat::MarkdownFrontMatter),
    ) = hint
    {
        return format;
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

    /// A plain text file's bytes are kept for fixing, unless the reader is told nothing will
    /// be fixed; a format whose posts are not verbatim never keeps them.
    #[test]
    fn originals_are_kept_for_fixing_unless_forgotten() {
        let original = |format, forget_originals| {
            let mut corpus = Corpus::default();
            let options = ReadOptions {
                format: Some(format),
                forget_originals,
                ..ReadOptions::default()
            };
            let content = b"{\"text\": \"Thanks for the follow!\"}\n";
            read_bytes(&mut corpus, "x".into(), content, None, options).unwrap();
            corpus.sources[0].original.clone()
        };
        assert!(original(InputFormat::Text, false).is_some());
        assert_eq!(original(InputFormat::Text, true), None);
        assert_eq!(original(InputFormat::Jsonl, false), None);
    }

    /// Room for the posts of a large JSON Lines file is guessed from its head's records, blank
    /// lines left out, on top of the posts read before; it is at most four times the file's size,
    /// and neither an empty head nor any size panics.
    #[test]
    fn room_for_a_large_files_posts_is_guessed_from_its_head() {
        let record = format!("{{\"text\": \"{}\"}}", "a".repeat(100));
        let head = format!("{record}\n\n{record}");
        let head = head.as_str();
        let size = 1_000 * head.len() as u64;
        let mut posts = Vec::new();
        reserve_for(&mut posts, head, size);
        assert!(
            (2_000..=2_200).contains(&posts.capacity()),
            "{}",
            posts.capacity()
        );
        let origin = crate::post::Origin {
            source: 0,
            location: crate::post::Location::Record {
                record: 1,
                line: Some(1),
            },
        };
        let read = Post::new("read before".to_string(), PostKind::Post, origin);
        let mut posts = vec![read];
        reserve_for(&mut posts, head, size);
        assert!(posts.capacity() > 2_000, "{}", posts.capacity());
        for empty in ["", "\n \n"] {
            let mut posts = Vec::new();
            reserve_for(&mut posts, empty, 3_000);
            assert_eq!(posts.capacity(), 0, "{empty:?}: no records, no room");
        }
        // Tiny records: the guess is cut to four times the file's size.
        let tiny = "1\n".repeat(1_000);
        let mut posts = Vec::new();
        reserve_for(&mut posts, &tiny, 1 << 20);
        let most = (4 << 20) / size_of::<Post>();
        assert!(
            (most - 16..=most + 16).contains(&posts.capacity()),
            "{}",
            posts.capacity()
        );
        for size in [0, u64::MAX] {
            let mut posts = Vec::new();
            reserve_for(&mut posts, head, size);
            assert!(posts.capacity() < 1 << 20, "{size}: {}", posts.capacity());
        }
    }

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
    fn verbatim_posts_are_found_at_their_origin_and_records_are_not() {
        let content = "intro\r\n\u{e9}t\u{e9} note\n---\nsecond";
        let mut corpus = Corpus::default();
        let options = ReadOptions {
            format: Some(InputFormat::Text),
            ..ReadOptions::default()
        };
        read_bytes(&mut corpus, "x".into(), content.as_bytes(), None, options).unwrap();
        let starts: Vec<Option<usize>> = corpus
            .posts
            .iter()
            .map(|post| post_offset(content, post))
            .collect();
        assert_eq!(starts, vec![Some(0), Some(content.find("second").unwrap())]);
        let mut inner = corpus.posts[1].clone();
        inner.text = "t\u{e9} note".into();
        inner.origin.location = Location::Text { line: 2, column: 2 };
        let at = content.find("t\u{e9} note").unwrap();
        assert_eq!(
            post_offset(content, &inner),
            Some(at),
            "columns count chars"
        );
        let mut moved = corpus.posts[1].clone();
        moved.origin.location = Location::Text { line: 1, column: 3 };
        assert_eq!(
            post_offset(content, &moved),
            None,
            "not where its origin says"
        );
        moved.origin.location = Location::Record {
            record: 1,
            line: Some(1),
        };
        assert_eq!(post_offset(content, &moved), None);
    }

    /// A zip archive in a fresh temporary folder holding `members`, deflated.
    fn zip_of(members: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
        use std::io::Write;
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("archive.zip");
        let mut zip = zip::ZipWriter::new(fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in members {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
        (folder, path)
    }

    const SMALL: ZipLimits = ZipLimits {
        member: 32 * 1024,
        total: 80 * 1024,
    };

    /// Why reading the archive at `path` within [`SMALL`] limits failed.
    fn small_zip_error(path: &Path) -> String {
        match zip_entries(path, SMALL) {
            Ok(_) => panic!("{} was read", path.display()),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn a_zip_member_unpacking_past_the_limit_is_refused() {
        let (_folder, path) = zip_of(&[("bomb.txt", &[b'a'; 64 * 1024])]);
        let error = small_zip_error(&path);
        let expected = "!bomb.txt: larger than 32768 bytes unpacked; refusing to read it";
        assert_eq!(error, format!("{}{expected}", path.display()));
    }

    #[test]
    fn a_zip_member_lying_about_its_size_is_refused_once_unpacked() {
        let (_folder, path) = zip_of(&[("bomb.txt", &[b'a'; 64 * 1024])]);
        // Both headers say 100 bytes: the local one, and the central directory's entry.
        let mut bytes = fs::read(&path).unwrap();
        let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        for at in [22, central + 24] {
            bytes[at..at + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        fs::write(&path, bytes).unwrap();
        let error = small_zip_error(&path);
        assert!(
            error.ends_with("!bomb.txt: larger than 32768 bytes unpacked; refusing to read it"),
            "{error}"
        );
    }

    #[test]
    fn a_zip_of_many_members_under_the_limit_is_refused_past_the_total() {
        let member = [b'a'; 30 * 1024];
        let (_folder, path) = zip_of(&[("1.txt", &member), ("2.txt", &member), ("3.txt", &member)]);
        let error = small_zip_error(&path);
        let expected = ": more than 81920 bytes unpacked in all; refusing to read more";
        assert_eq!(error, format!("{}{expected}", path.display()));
    }

    #[test]
    fn binary_members_are_not_unpacked_whole() {
        let mut photo = b"\xFF\xD8\xFF\xE0".to_vec();
        photo.resize(1 << 20, 0);
        let (_folder, path) = zip_of(&[
            ("photo.jpg", &photo),
            ("posts.jsonl", b"{\"text\": \"a\"}\n"),
        ]);
        let entries = zip_entries(&path, ZIP_LIMITS).unwrap();
        assert_eq!(entries[0].bytes.len() as u64, BINARY_SNIFF_BYTES);
        assert_eq!(entries[1].bytes, b"{\"text\": \"a\"}\n");
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        assert_eq!(decode_utf8("x", b"\xEF\xBB\xBFhi").unwrap(), "hi");
    }
}
