//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test binary uses a different part

use hygiene::input::infer_kind;
use hygiene::post::{
    Corpus, InputFormat, Location, Origin, Post, PostKind, Source, SourceKind, SourceSettings,
};

/// A post as a reader would produce it from a JSON record, kind inferred when not given.
pub fn post(text: &str, kind: Option<PostKind>, to: Option<&str>, record: usize) -> Post {
    let origin = Origin {
        source: 0,
        location: Location::Record {
            record: record as u32 + 1,
            line: None,
        },
    };
    let kind = kind.unwrap_or_else(|| infer_kind(text, false));
    let mut post = Post::new(text.to_string(), kind, origin);
    post.set_to(to);
    post
}

/// A corpus of `posts` from one source called `name`.
pub fn corpus(name: &str, posts: Vec<Post>) -> Corpus {
    Corpus {
        sources: vec![Source {
            path: name.to_string(),
            kind: SourceKind::File,
            format: InputFormat::Json,
            posts: posts.len(),
            settings: SourceSettings::default(),
            file: None,
            original: None,
        }],
        posts,
        skipped: Vec::new(),
        first_post: 0,
    }
}

/// `../shared`, where the team's shared samples live, if this checkout has it.
pub fn shared_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.is_dir().then_some(dir)
}

/// `fixtures/formats/<path>`, the team's own sample of each export format.
pub fn format_fixture(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats")
        .join(path)
}

/// Everything hygiene reads from `path` (a file, folder or zip), with the default options.
pub fn read_path(path: &std::path::Path) -> Corpus {
    hygiene::input::read_all(
        &[hygiene::input::InputPath::File(path.to_path_buf())],
        hygiene::input::ReadOptions::default(),
        &mut std::io::empty(),
    )
    .unwrap()
}

/// Runs `hygiene check <args>` in-process, from the crate's folder, with `stdin`, and returns
/// stdout; panics if the run fails (exit 2).
pub fn check_in_process(args: &[&str], stdin: &[u8]) -> String {
    use clap::Parser;
    use hygiene::cli::{Cli, Io, run};
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let mut argv = vec!["hygiene", "check"];
    argv.extend_from_slice(args);
    let mut stdout = Vec::new();
    run(
        Cli::try_parse_from(argv).unwrap(),
        Io {
            stdin: &mut &stdin[..],
            stdin_is_terminal: false,
            stdout: &mut stdout,
            stdout_is_terminal: false,
            stderr: &mut std::io::sink(),
            no_color: false,
            progress: false,
        },
    )
    .unwrap();
    String::from_utf8(stdout).unwrap()
}

/// Writes a zip archive at `path` holding `members` (name, content), deflated.
pub fn write_zip<N: AsRef<str>, C: AsRef<[u8]>>(path: &std::path::Path, members: &[(N, C)]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in members {
        zip.start_file(name.as_ref(), options).unwrap();
        zip.write_all(content.as_ref()).unwrap();
    }
    zip.finish().unwrap();
}

/// `hygiene <args>` started in `dir`, with standard input, output and error piped.
pub fn spawn_piped(dir: &std::path::Path, args: &[&str]) -> std::process::Child {
    use std::process::Stdio;
    std::process::Command::new(insta_cmd::get_cargo_bin("hygiene"))
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}
