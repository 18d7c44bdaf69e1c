//! The Mastodon and Bluesky readers on the team's own fixtures (`fixtures/formats/mastodon/`,
//! `fixtures/formats/bluesky/`): formats detected from content, kinds, text, recipients, links
//! and the owner from `actor.json`.

use std::path::Path;

use hygiene::input::{InputPath, ReadOptions, read_all};
use hygiene::post::{Corpus, InputFormat, Platform, PostKind};

mod common;

fn read(path: &str) -> Corpus {
    common::read_path(&common::format_fixture(path))
}

fn kinds(corpus: &Corpus) -> Vec<PostKind> {
    corpus.posts.iter().map(|post| post.kind).collect()
}

#[test]
fn reads_a_mastodon_export_folder_with_its_owner() {
    let corpus = read("mastodon");
    let formats: Vec<(&str, InputFormat, usize)> = corpus
        .sources
        .iter()
        .map(|source| {
            let name = Path::new(&source.path).file_name().unwrap();
            (name.to_str().unwrap(), source.format, source.posts)
        })
        .collect();
    assert_eq!(
        formats,
        [
            ("actor.json", InputFormat::MastodonActor, 0),
            ("outbox-pre-4.1.json", InputFormat::MastodonOutbox, 2),
            ("outbox.json", InputFormat::MastodonOutbox, 6),
        ]
    );
    let outbox = &corpus.posts[2..];
    assert_eq!(
        outbox.iter().map(|post| post.kind).collect::<Vec<_>>(),
        [
            PostKind::Post,
            PostKind::Reply,
            PostKind::Repost,
            PostKind::Dm,
            PostKind::Reply,
            PostKind::Post
        ]
    );
    assert_eq!(
        &*outbox[0].text,
        "First firing of the year came out of the kiln this morning. The celadon finally pooled \
         the way I wanted.\n\nNotes on the glaze recipe: \
         https://wrenclay.example/notes/2024/celadon-that-pools"
    );
    assert_eq!(
        outbox[0].links(),
        ["https://wrenclay.example/notes/2024/celadon-that-pools"]
    );
    assert_eq!(
        &*outbox[1].text,
        "@tomas Cone 6, oxidation. I'll send you the schedule & the bisque temps."
    );
    assert_eq!(outbox[1].to(), Some("@tomas@kiln.example"));
    assert!(outbox[1].links().is_empty());
    assert_eq!(&*outbox[2].text, "");
    assert_eq!(
        outbox[2].links(),
        ["https://kiln.example/users/tomas/statuses/9050"]
    );
    let dm = &outbox[3];
    assert_eq!(
        &*dm.text,
        "@juno Thanks for following! Check out my shop at https://shop.example.social"
    );
    assert_eq!(dm.to(), Some("@juno"));
    assert!(!dm.received);
    // A reply to the owner's own post (a thread), line breaks kept.
    assert_eq!(
        outbox[4].in_reply_to(),
        Some("https://harbour.example/users/wren/statuses/111000000000000001")
    );
    assert!(
        outbox[4]
            .text
            .contains("part 2:\nsilica is the glass former,\n")
    );
    // Followers-only is not a DM; the content warning is not text.
    assert_eq!(
        &*outbox[5].text,
        "Studio's closed this weekend \u{2014} kiln repair. #pottery"
    );
    assert!(
        corpus
            .posts
            .iter()
            .all(|post| { post.platform == Some(Platform::Mastodon) && post.created_at.is_some() })
    );
}

#[test]
fn reads_the_pre_4_1_outbox_layout() {
    let corpus = read("mastodon/outbox-pre-4.1.json");
    assert_eq!(kinds(&corpus), [PostKind::Post, PostKind::Reply]);
    assert_eq!(
        &*corpus.posts[1].text,
        "Sourdough starter update: it's alive.\nDay 6, doubling in 5 hours."
    );
}

#[test]
fn reads_a_bluesky_author_feed() {
    let corpus = read("bluesky/getAuthorFeed.json");
    assert_eq!(corpus.sources[0].format, InputFormat::BlueskyGetAuthorFeed);
    assert_eq!(
        kinds(&corpus),
        [
            PostKind::Repost,
            PostKind::Reply,
            PostKind::Post,
            PostKind::Quote
        ]
    );
    let posts = &corpus.posts;
    assert!(
        posts[0]
            .text
            .starts_with("Tomás fired the big anagama kiln")
    );
    assert_eq!(posts[1].to(), Some("@tomas.bsky.example"));
    assert_eq!(
        posts[1].in_reply_to(),
        Some("at://did:plc:tomaskilnexample00000bb/app.bsky.feed.post/3kn2aaa")
    );
    // The text shows a truncated link; the facet knows the whole target.
    assert!(posts[2].text.contains("wrenclay.example/shop/sp..."));
    assert_eq!(
        posts[2].links(),
        ["https://wrenclay.example/shop/spring-mugs?utm_source=bsky"]
    );
    assert!(
        posts
            .iter()
            .all(|post| post.platform == Some(Platform::Bluesky) && post.id.is_some())
    );
}

#[test]
fn reads_bluesky_list_records_and_skips_posts_without_text() {
    let corpus = read("bluesky/listRecords.json");
    assert_eq!(corpus.sources[0].format, InputFormat::BlueskyListRecords);
    assert_eq!(
        kinds(&corpus),
        [PostKind::Post, PostKind::Reply, PostKind::Post]
    );
    assert_eq!(
        corpus.posts[1]
            .created_at
            .map(|time| time.timestamp_subsec_micros()),
        Some(412)
    );
    assert_eq!(
        corpus.posts[2].links(),
        ["https://wrenclay.example/free-guide"]
    );
}

#[test]
fn folder_walks_read_both_platforms_and_skip_nothing() {
    let corpus = read_all(
        &[
            InputPath::File(common::format_fixture("mastodon")),
            InputPath::File(common::format_fixture("bluesky")),
        ],
        ReadOptions::default(),
        &mut std::io::empty(),
    )
    .unwrap();
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
    assert_eq!(corpus.posts.len(), 15);
}
