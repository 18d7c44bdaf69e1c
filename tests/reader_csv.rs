//! The legacy Twitter archive and CSV readers on the team's own fixtures
//! (`fixtures/formats/x-legacy/`, `linkedin-shares/`, `scheduler-csv/`): formats detected from
//! content, kinds, text, links, times, record lines, and malformed CSV reported with its line.

use std::path::Path;

use hygiene::input::{InputPath, ReadOptions, read_all, read_bytes};
use hygiene::post::{Corpus, InputFormat, Location, Platform, PostKind};

mod common;

fn read(path: &str) -> Corpus {
    common::read_path(&common::format_fixture(path))
}

fn sources(corpus: &Corpus) -> Vec<(String, InputFormat, usize)> {
    corpus
        .sources
        .iter()
        .map(|source| {
            let name = Path::new(&source.path).file_name().unwrap();
            (
                name.to_string_lossy().into_owned(),
                source.format,
                source.posts,
            )
        })
        .collect()
}

fn kinds(corpus: &Corpus) -> Vec<PostKind> {
    corpus.posts.iter().map(|post| post.kind).collect()
}

fn line(corpus: &Corpus, index: usize) -> Option<u32> {
    match corpus.posts[index].origin.location {
        Location::Record { line, .. } => line,
        Location::Text { .. } => panic!("CSV and JSON posts have record locations"),
    }
}

#[test]
fn reads_a_legacy_archive_folder() {
    let corpus = read("x-legacy");
    assert_eq!(
        sources(&corpus),
        [
            ("2013_02.js".into(), InputFormat::XLegacyGrailbirdJs, 3),
            ("tweets.csv".into(), InputFormat::XLegacyTweetsCsv, 6),
        ]
    );
    assert_eq!(
        kinds(&corpus),
        [
            PostKind::Post,
            PostKind::Reply,
            PostKind::Post,
            PostKind::Post,
            PostKind::Reply,
            PostKind::Repost,
            PostKind::Post,
            PostKind::Post,
            PostKind::Post
        ]
    );
    assert!(
        corpus
            .posts
            .iter()
            .all(|post| post.platform == Some(Platform::X))
    );
    let grailbird = &corpus.posts[..3];
    assert_eq!(
        grailbird[0].links(),
        ["http://kilnnotes.example/free-glaze-guide"]
    );
    assert_eq!(
        &*grailbird[1].text,
        "@river_clay Trimming too wet is my favourite mistake & I keep making it."
    );
    assert_eq!(grailbird[1].to(), Some("@river_clay"));
    let csv = &corpus.posts[3..];
    // expanded_urls repeats a link once per use; it is kept once.
    assert_eq!(csv[0].links(), ["https://kilnnotes.example/book"]);
    assert_eq!(
        &*csv[2].text,
        "RT @glazelab: Why crawling happens & how to stop it: http://t.co/aaaaaaaaa2"
    );
    assert_eq!(csv[2].links(), ["http://buff.ly/1AbCdEf"]);
    // A quoted text with raw line breaks is one row; the next row's line is after it.
    assert_eq!(
        &*csv[3].text,
        "Studio rules, revised:\n1. Wedge before you throw\n2. \"Good enough\" bisque is not good enough\n3. Sweep > mop"
    );
    assert_eq!(line(&corpus, 6), Some(5));
    assert_eq!(line(&corpus, 7), Some(9));
    assert_eq!(
        csv[0].created_at.unwrap().to_rfc3339(),
        "2015-06-20T18:02:11+00:00"
    );
}

#[test]
fn reads_linkedin_shares_with_its_line_break_quirk() {
    let corpus = read("linkedin-shares/Shares.csv");
    assert_eq!(
        sources(&corpus),
        [("Shares.csv".into(), InputFormat::LinkedinSharesCsv, 3)]
    );
    let first = &corpus.posts[0];
    assert_eq!(
        &*first.text,
        "Three things our team changed after a year of four-day weeks:\n\n\
         1. Meetings end at noon on Thursdays.\n\
         2. Every project has one owner, not a committee.\n\
         3. We write the \"why\" before the \"what.\"\n\n\
         None of it was hard. All of it was overdue."
    );
    assert_eq!(
        first.id.as_deref(),
        Some("urn:li:share:7300000000000000003")
    );
    assert_eq!(first.platform, Some(Platform::Linkedin));
    assert_eq!(corpus.posts[1].links(), ["https://example.com/ebook"]);
    // The photo-only share (no commentary) is skipped but keeps its record number.
    assert_eq!(
        corpus.posts[2].origin.location,
        Location::Record {
            record: 4,
            line: Some(15)
        }
    );
}

#[test]
fn reads_buffer_and_hootsuite_bulk_files() {
    let corpus = read("scheduler-csv");
    assert_eq!(
        sources(&corpus),
        [
            ("buffer-bulk.csv".into(), InputFormat::Csv, 4),
            ("hootsuite-bulk.csv".into(), InputFormat::Csv, 3),
        ]
    );
    let buffer = &corpus.posts[..4];
    assert!(buffer[0].text.starts_with("Our spring glaze workshop"));
    assert_eq!(
        &*buffer[1].text,
        "\"Pots are slow on purpose.\" Click to Tweet https://ctt.ec/Zz9Yx"
    );
    assert_eq!(buffer[3].kind, PostKind::Reply);
    assert_eq!(
        buffer[3].created_at.unwrap().to_rfc3339(),
        "2025-04-10T10:00:00+00:00"
    );
    let hootsuite = &corpus.posts[4..];
    assert_eq!(
        hootsuite[0].links(),
        ["https://kilnnotes.example/blog/crawling"]
    );
    assert!(
        hootsuite[1]
            .text
            .starts_with("Tweet this: \"Centre the clay")
    );
    assert_eq!(
        hootsuite[2].created_at.unwrap().to_rfc3339(),
        "2025-04-16T17:45:00+00:00"
    );
}

#[test]
fn other_csv_files_in_a_folder_are_skipped() {
    let folder = std::env::temp_dir().join(format!("hygiene-reader-csv-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("Connections.csv"),
        "First Name,Last Name,URL,Email Address\nAna,B,https://x.example,\n",
    )
    .unwrap();
    std::fs::write(folder.join("metrics.csv"), "2024-01-01 10:00,42,17\n").unwrap();
    std::fs::write(folder.join("notes.txt"), "Message, for later\n").unwrap();
    let corpus = read_all(
        &[InputPath::File(folder.clone())],
        ReadOptions::default(),
        &mut std::io::empty(),
    )
    .unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(corpus.posts.is_empty());
    assert_eq!(corpus.skipped.len(), 3);
}

#[test]
fn a_broken_quote_stops_the_run_naming_the_line() {
    let mut corpus = Corpus::default();
    let content = "Text,Image URL,Tags,Posting Time\n\
        fine,,,2025-01-01 10:00\n\
        \"never closed,,,2025-01-02 10:00\n\
        next,,,2025-01-03 10:00\n";
    let error = read_bytes(
        &mut corpus,
        "bulk.csv".to_string(),
        content.as_bytes(),
        Some(Path::new("bulk.csv")),
        ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with(
            "bulk.csv:3:1: malformed CSV: the quoted field opened here is never closed"
        ),
        "{error}"
    );
}
