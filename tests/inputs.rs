//! Reading folders and zip archives: posts files inside are read, files that hold no posts are
//! listed as skipped, hidden folders are ignored, a symbolic-link loop cannot trap the walk, and
//! received messages are read but not judged unless asked.

mod common;

use std::fs;
use std::path::Path;

use hygiene::engine::{Engine, EngineSettings};
use hygiene::input::{InputPath, ReadOptions, ReadProgress, read_all, read_all_with_progress};
use hygiene::post::SourceKind;
use hygiene::rules::builtin_rule_files;

/// A fresh, empty scratch folder for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hygiene-inputs-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

const POSTS: &str =
    r#"[{"id": "a", "text": "Morning bake is done."}, {"id": "b", "text": "Click to Tweet"}]"#;
const PACKAGE: &str = r#"{"name": "site", "version": "1.0.0"}"#;

fn write(root: &Path, relative: &str, content: &[u8]) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn read(path: &Path) -> hygiene::post::Corpus {
    read_all(
        &[InputPath::File(path.to_path_buf())],
        ReadOptions::default(),
        &mut std::io::empty(),
    )
    .unwrap()
}

/// Every count `read_all_with_progress` reported while reading `inputs`, and the corpus.
fn read_reporting(inputs: &[InputPath]) -> (Vec<ReadProgress>, hygiene::post::Corpus) {
    let reports = std::cell::RefCell::new(Vec::new());
    let corpus = read_all_with_progress(
        inputs,
        ReadOptions::default(),
        &mut std::io::empty(),
        &|progress| reports.borrow_mut().push(progress),
    )
    .unwrap();
    (reports.into_inner(), corpus)
}

#[test]
fn reading_reports_files_and_posts_after_each_file() {
    let files = ["fixtures/drafts.txt", "fixtures/messages.jsonl"];
    let alone: Vec<usize> = files
        .iter()
        .map(|file| common::read_path(Path::new(file)).posts.len())
        .collect();
    let inputs: Vec<InputPath> = files.iter().map(|f| InputPath::File(f.into())).collect();
    let (reports, corpus) = read_reporting(&inputs);
    assert_eq!(
        reports,
        [
            ReadProgress {
                files: 1,
                posts: alone[0]
            },
            ReadProgress {
                files: 2,
                posts: alone[0] + alone[1]
            },
        ]
    );
    assert_eq!(corpus.posts.len(), alone[0] + alone[1]);

    // In a folder, each file found counts, skipped ones too.
    let root = scratch("progress");
    write(&root, "a/posts.json", POSTS.as_bytes());
    write(&root, "b/package.json", PACKAGE.as_bytes());
    write(&root, "c/posts.json", POSTS.as_bytes());
    let (reports, _) = read_reporting(&[InputPath::File(root.clone())]);
    let counts: Vec<(usize, usize)> = reports.iter().map(|r| (r.files, r.posts)).collect();
    assert_eq!(counts, [(1, 2), (2, 2), (3, 4)]);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn reads_posts_in_a_folder_and_skips_what_is_not_posts() {
    let root = scratch("folder");
    write(&root, "queue/posts.json", POSTS.as_bytes());
    write(&root, "package.json", PACKAGE.as_bytes());
    write(&root, "notes.txt", b"not a post file when found by walking");
    write(&root, "logo.png", b"\x89PNG\r\n\x1a\n\x00\xff");
    write(&root, ".git/config.json", POSTS.as_bytes());
    let corpus = read(&root);
    let texts: Vec<&str> = corpus.posts.iter().map(|post| &*post.text).collect();
    assert_eq!(texts, ["Morning bake is done.", "Click to Tweet"]);
    assert_eq!(corpus.sources.len(), 1);
    assert!(
        corpus.sources[0].path.ends_with("posts.json"),
        "{}",
        corpus.sources[0].path
    );
    let mut skipped: Vec<String> = corpus
        .skipped
        .iter()
        .map(|path| {
            Path::new(path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    skipped.sort();
    assert_eq!(skipped, ["logo.png", "notes.txt", "package.json"]);
}

#[test]
fn a_broken_posts_file_in_a_folder_is_an_error() {
    let root = scratch("broken");
    write(&root, "posts.json", br#"[{"text": "ok"}, {"text": }]"#);
    let error = read_all(
        &[InputPath::File(root.clone())],
        ReadOptions::default(),
        &mut std::io::empty(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("posts.json:1:"), "{error}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_does_not_trap_the_walk() {
    let root = scratch("loop");
    write(&root, "posts.json", POSTS.as_bytes());
    std::os::unix::fs::symlink(&root, root.join("again")).unwrap();
    let corpus = read(&root);
    assert_eq!(corpus.posts.len(), 2);
}

#[test]
fn reads_a_zip_archive_in_place() {
    let root = scratch("zip");
    let zip_path = root.join("export.zip");
    common::write_zip(
        &zip_path,
        &[
            ("export/posts.json", POSTS),
            ("export/package.json", PACKAGE),
            ("__MACOSX/export/._posts.json", "junk"),
        ],
    );
    let corpus = read(&zip_path);
    assert_eq!(corpus.posts.len(), 2);
    assert_eq!(
        corpus.sources[0].path,
        format!("{}!export/posts.json", zip_path.display())
    );
    assert_eq!(
        corpus.sources[0].kind,
        SourceKind::ArchiveMember {
            archive: zip_path.display().to_string(),
            member: "export/posts.json".into()
        }
    );
    assert_eq!(
        corpus.skipped,
        [format!("{}!export/package.json", zip_path.display())]
    );
}

#[test]
fn a_file_that_is_not_a_zip_but_named_zip_is_read_by_content() {
    let root = scratch("fakezip");
    let path = root.join("posts.zip");
    fs::write(&path, POSTS).unwrap();
    assert_eq!(read(&path).posts.len(), 2);
}

#[test]
fn received_messages_are_read_but_judged_only_when_asked() {
    let root = scratch("received");
    let path = root.join("dms.json");
    fs::write(
        &path,
        r#"[{"kind": "dm", "received": true, "text": "Thanks for following! Grab my free ebook at https://example.com/ebook"},
            {"kind": "dm", "text": "See you at the market on Saturday!"}]"#,
    )
    .unwrap();
    let corpus = read(&path);
    assert_eq!(corpus.posts.len(), 2);
    let files = builtin_rule_files().unwrap();
    let default = Engine::new(&files, &EngineSettings::default())
        .unwrap()
        .run(&corpus);
    assert!(!default.posts[0].judged());
    assert!(default.posts[0].findings().is_empty());
    let settings = EngineSettings {
        include_received: true,
        ..EngineSettings::default()
    };
    let included = Engine::new(&files, &settings).unwrap().run(&corpus);
    assert!(included.posts[0].judged());
    assert_eq!(included.posts[0].findings().len(), 1);
}

/// JSON Lines of `records` records over 1 MiB, with a byte order mark, CRLF line ends, blank
/// lines and records of every shape, followed by `tail`.
fn large_jsonl(records: usize, tail: &[u8]) -> Vec<u8> {
    let mut content = b"\xEF\xBB\xBF".to_vec();
    for i in 0..records {
        let line = match i % 4 {
            0 => format!(
                "{{\"id\": \"{i}\", \"text\": \"Post number {i}, caf\u{e9} \u{2728}\"}}\r\n"
            ),
            1 => format!("\"A bare string record {i}\"\n"),
            2 => "\n".to_string(),
            _ => format!(
                "{{\"text\": \"Reply {i}\", \"kind\": \"reply\", \"created_at\": \"2026-01-02T03:04:05Z\"}}\n"
            ),
        };
        content.extend_from_slice(line.as_bytes());
    }
    content.extend_from_slice(tail);
    content
}

/// A JSON Lines file over 1 MiB is read a line at a time; it gives exactly the posts (origins
/// included) and the errors that reading the same bytes whole gives, and reports progress as
/// it goes.
#[test]
fn large_json_lines_are_read_a_line_at_a_time_with_the_same_result() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("large.jsonl");
    let content = large_jsonl(40_000, b"");
    assert!(content.len() > 1 << 20);
    fs::write(&path, &content).unwrap();
    let reports = std::cell::RefCell::new(Vec::new());
    let streamed = read_all_with_progress(
        &[InputPath::File(path.clone())],
        ReadOptions::default(),
        &mut std::io::empty(),
        &|progress| reports.borrow_mut().push(progress),
    )
    .unwrap();
    let mut whole = hygiene::post::Corpus::default();
    hygiene::input::read_bytes(
        &mut whole,
        path.display().to_string(),
        &content,
        Some(&path),
        ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(streamed.posts.len(), 30_000);
    assert_eq!(streamed.posts, whole.posts);
    assert_eq!(streamed.sources[0].format, whole.sources[0].format);
    assert_eq!(streamed.sources[0].posts, 30_000);
    let reports = reports.into_inner();
    assert!(reports.len() > 1, "progress during the file: {reports:?}");
    assert_eq!(
        reports.last(),
        Some(&ReadProgress {
            files: 1,
            posts: 30_000
        })
    );

    for (tail, error) in [
        (
            &b"{\"text\": \"bad \xff byte\"}\n"[..],
            ":40001:15: the input is not valid UTF-8",
        ),
        (&b"{\"text\": oops}\n"[..], ":40001:10: invalid JSON"),
    ] {
        fs::write(&path, large_jsonl(40_000, tail)).unwrap();
        let streamed = read_all(
            &[InputPath::File(path.clone())],
            ReadOptions::default(),
            &mut std::io::empty(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            streamed.starts_with(&format!("{}{error}", path.display())),
            "{streamed}"
        );
    }
}
