//! The X archive reader on the team's own fixture (`fixtures/formats/x-archive/`): formats
//! detected from content, kinds, decoded text, the owner from `account.js` telling sent DMs from
//! received ones, long posts completed from `note-tweet.js`, and the archive read as a zip.

use std::fs;
use std::path::PathBuf;

use hygiene::post::{Corpus, InputFormat, Platform, PostKind};

mod common;
use common::read_path as read;

fn fixture(path: &str) -> PathBuf {
    common::format_fixture(&format!("x-archive/{path}"))
}

fn kinds(corpus: &Corpus) -> Vec<PostKind> {
    corpus.posts.iter().map(|post| post.kind).collect()
}

const LONG_POST_START: &str = "Three things I learned building a tiny static site generator";
const LONG_POST_END: &str = "showed up as paragraphs I could not write.";

fn assert_reads_the_whole_archive(corpus: &Corpus) {
    let formats: Vec<(&str, InputFormat, usize)> = corpus
        .sources
        .iter()
        .map(|source| {
            let name = source.path.rsplit(['/', '!']).next().unwrap();
            (name, source.format, source.posts)
        })
        .collect();
    assert_eq!(
        formats,
        [
            ("account.js", InputFormat::XAccountJs, 0),
            (
                "direct-messages-group.js",
                InputFormat::XDirectMessagesGroupJs,
                2
            ),
            ("direct-messages.js", InputFormat::XDirectMessagesJs, 5),
            // Its one long post completes its truncated twin in tweets.js.
            ("note-tweet.js", InputFormat::XNoteTweetJs, 0),
            ("tweets.js", InputFormat::XTweetsJs, 5),
        ]
    );
    let counted: usize = corpus.sources.iter().map(|source| source.posts).sum();
    assert_eq!(counted, corpus.posts.len());
    assert_eq!(corpus.skipped.len(), 1);
    assert!(
        corpus.skipped[0].ends_with("like.js"),
        "{:?}",
        corpus.skipped
    );
    // The note was merged into its truncated tweet: 7 DMs and 5 tweets.
    assert_eq!(
        kinds(corpus),
        [
            [PostKind::Dm; 7].as_slice(),
            &[
                PostKind::Post,
                PostKind::Post,
                PostKind::Repost,
                PostKind::Reply,
                PostKind::Post
            ]
        ]
        .concat()
    );
    assert!(
        corpus
            .posts
            .iter()
            .all(|post| post.platform == Some(Platform::X))
    );
    let received: Vec<bool> = corpus.posts[..7].iter().map(|post| post.received).collect();
    assert_eq!(received, [false, true, false, true, false, false, false]);
    let long = &corpus.posts[8];
    assert_eq!(long.id.as_deref(), Some("1767100000000000004"));
    assert!(long.text.starts_with(LONG_POST_START), "{}", long.text);
    assert!(long.text.ends_with(LONG_POST_END), "{}", long.text);
    assert!(long.text.contains("templates & partials"));
}

#[test]
fn reads_an_archive_folder_with_its_owner() {
    let corpus = read(&fixture(""));
    assert_reads_the_whole_archive(&corpus);
    let templates: Vec<(&str, Option<&str>, &[String])> = corpus.posts[4..7]
        .iter()
        .map(|post| (&*post.text, post.to(), post.links()))
        .collect();
    let ebook = ["https://example.com/ebook".to_string()];
    assert_eq!(
        templates,
        [
            (
                "Hi Ana, thanks for the follow! Grab my free ebook at https://t.co/abc",
                Some("1300000000000000011"),
                ebook.as_slice()
            ),
            (
                "Hi Tom, thanks for the follow! Grab my free ebook at https://t.co/abc",
                Some("1300000000000000022"),
                ebook.as_slice()
            ),
            (
                "Hi Priya, thanks for the follow! Grab my free ebook at https://t.co/abc",
                Some("1300000000000000033"),
                ebook.as_slice()
            ),
        ]
    );
    let received = &corpus.posts[3];
    assert_eq!(
        &*received.text,
        "Thanks! Loved your thread on static sites & docs, by the way."
    );
    assert_eq!(received.to(), None);
    let reply = &corpus.posts[10];
    assert_eq!(
        &*reply.text,
        "@marco_dev Good point. I had not tried the cache > disk case yet, will test it tonight."
    );
    assert_eq!(reply.to(), Some("@marco_dev"));
    assert_eq!(reply.in_reply_to(), Some("1767090000000000009"));
    assert_eq!(
        corpus.posts[11].links(),
        ["https://example.org/notes/workshop-2024"]
    );
}

#[test]
fn reads_a_downloaded_archive_zip() {
    let dir = std::env::temp_dir().join(format!("hygiene-xarchive-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let zip_path = dir.join("twitter-2024-03-14.zip");
    let mut names: Vec<PathBuf> = fs::read_dir(fixture(""))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    names.sort();
    let members: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap();
            (format!("data/{name}"), fs::read(path).unwrap())
        })
        .collect();
    common::write_zip(&zip_path, &members);
    let corpus = read(&zip_path);
    fs::remove_dir_all(&dir).unwrap();
    assert_reads_the_whole_archive(&corpus);
    assert!(corpus.sources[4].path.ends_with(".zip!data/tweets.js"));
}

#[test]
fn a_file_given_alone_finds_the_owner_beside_it() {
    let corpus = read(&fixture("direct-messages-group.js"));
    let received: Vec<bool> = corpus.posts.iter().map(|post| post.received).collect();
    assert_eq!(received, [false, true]);
    // Given alone, a long post keeps its truncated text: its note is in another file.
    let corpus = read(&fixture("tweets.js"));
    assert!(corpus.posts[1].text.ends_with("… https://t.co/LoNgPoSt01"));
    assert!(corpus.posts[1].text.contains("templates & partials"));
    // Given alone, account.js is read and holds no posts.
    let corpus = read(&fixture("account.js"));
    assert!(corpus.posts.is_empty());
    assert_eq!(corpus.sources[0].format, InputFormat::XAccountJs);
}

#[test]
fn an_account_js_with_a_byte_order_mark_names_the_owner() {
    let dir = std::env::temp_dir().join(format!("hygiene-xarchive-bom-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    for name in ["account.js", "direct-messages-group.js"] {
        let mut bytes = fs::read(fixture(name)).unwrap();
        if name == "account.js" {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
        fs::write(dir.join(name), bytes).unwrap();
    }
    let received =
        |corpus: Corpus| -> Vec<bool> { corpus.posts.iter().map(|post| post.received).collect() };
    let in_folder = received(read(&dir));
    let alone = received(read(&dir.join("direct-messages-group.js")));
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(in_folder, [false, true]);
    assert_eq!(alone, [false, true]);
}

#[test]
fn a_lone_note_tweet_file_is_its_own_posts() {
    let corpus = read(&fixture("note-tweet.js"));
    assert_eq!(kinds(&corpus), [PostKind::Post]);
    assert!(corpus.posts[0].text.starts_with(LONG_POST_START));
    assert_eq!(corpus.posts[0].id.as_deref(), Some("1767100000000000900"));
}
