//! The scheduled-post and Meta readers on the team's own fixtures (`fixtures/formats/
//! twitter-together/`, `markdown-front-matter/`, `yaml/`, `facebook/`, `threads/`,
//! `instagram/`): formats detected from content and names, kinds, verbatim text locations,
//! platforms, repaired mojibake, and the files a folder walk must leave alone.

use std::path::{Path, PathBuf};

use hygiene::input::ReadOptions;
use hygiene::post::{Corpus, InputFormat, Location, Platform, PostKind};

mod common;
use common::format_fixture as fixture;
use common::read_path as read;

/// Each source as (path relative to `root`, format, posts).
fn sources(corpus: &Corpus, root: &Path) -> Vec<(String, InputFormat, usize)> {
    corpus
        .sources
        .iter()
        .map(|source| {
            let path = Path::new(&source.path);
            let relative = path.strip_prefix(root).unwrap_or(path);
            (
                relative.to_string_lossy().replace('\\', "/"),
                source.format,
                source.posts,
            )
        })
        .collect()
}

fn skipped(corpus: &Corpus, root: &Path) -> Vec<String> {
    corpus
        .skipped
        .iter()
        .map(|name| {
            let path = Path::new(name);
            let relative = path.strip_prefix(root).unwrap_or(path);
            relative.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// The file text at a post's `Location::Text`, for as long as the post's text.
fn text_at(file: &Path, location: Location, length: usize) -> String {
    let Location::Text { line, column } = location else {
        panic!("expected a text location, found {location:?}");
    };
    let content = std::fs::read_to_string(file).unwrap();
    let line_start: usize = content
        .split_inclusive('\n')
        .take(line as usize - 1)
        .map(str::len)
        .sum();
    content[line_start..]
        .chars()
        .skip(column as usize - 1)
        .take(length)
        .collect()
}

#[test]
fn reads_a_twitter_together_folder() {
    let root = fixture("twitter-together");
    let corpus = read(&root);
    assert_eq!(
        sources(&corpus, &root),
        [
            (
                "tweets/2025/changelog-guide.tweet".to_string(),
                InputFormat::TwitterTogetherTweet,
                1
            ),
            (
                "tweets/2025/release-thread.tweet".to_string(),
                InputFormat::TwitterTogetherTweet,
                4
            ),
            (
                "tweets/replies/thanks-lena.tweet".to_string(),
                InputFormat::TwitterTogetherTweet,
                1
            ),
        ]
    );
    assert_eq!(skipped(&corpus, &root), ["README.md"]);
    let kinds: Vec<PostKind> = corpus.posts.iter().map(|post| post.kind).collect();
    assert_eq!(
        kinds,
        [
            PostKind::Post,
            PostKind::Post,
            PostKind::Post,
            PostKind::Post,
            PostKind::Post,
            PostKind::Reply
        ]
    );
    let thread = &corpus.posts[1..5];
    assert!(
        thread[0]
            .text
            .starts_with("Northwind Tools 3.0 is out today!")
    );
    assert!(thread[2].text.starts_with("2. The config file"));
    assert_eq!(
        &*thread[3].text, "Which one should we write about first?",
        "inline poll options are not text"
    );
    let reply = &corpus.posts[5];
    assert_eq!(reply.to(), Some("@lena_codes"));
    assert_eq!(reply.in_reply_to(), Some("1790000000000000001"));
    assert!(
        corpus
            .posts
            .iter()
            .all(|post| post.platform == Some(Platform::X))
    );
    // Every text is the file's own text at its location.
    for post in &corpus.posts {
        let file = PathBuf::from(&corpus.sources[post.origin.source as usize].path);
        let length = post.text.chars().count();
        assert_eq!(text_at(&file, post.origin.location, length), &*post.text);
    }
    assert_eq!(
        thread[1].origin.location,
        Location::Text { line: 5, column: 1 }
    );
}

#[test]
fn reads_markdown_posts_and_skips_the_readme() {
    let root = fixture("markdown-front-matter");
    let corpus = read(&root);
    assert_eq!(
        sources(&corpus, &root),
        [
            (
                "social/linkedin/posts/2025-03-14-pi-day-workshop.md".to_string(),
                InputFormat::MarkdownFrontMatter,
                1
            ),
            (
                "tweets/2025-Apr-02.md".to_string(),
                InputFormat::MarkdownFrontMatter,
                1
            ),
        ]
    );
    assert_eq!(skipped(&corpus, &root), ["README.md"]);
    let linkedin = &corpus.posts[0];
    assert!(linkedin.text.starts_with("Last week twelve of us"));
    assert_eq!(linkedin.platform, Some(Platform::Linkedin));
    assert_eq!(
        linkedin.origin.location,
        Location::Text { line: 8, column: 1 }
    );
    assert_eq!(
        linkedin.created_at.map(|time| time.to_rfc3339()).as_deref(),
        Some("2025-03-14T09:30:00+00:00")
    );
    let dated = &corpus.posts[1];
    assert_eq!(
        dated.created_at.map(|time| time.to_rfc3339()).as_deref(),
        Some("2025-04-02T00:00:00+00:00"),
        "the file name is the schedule"
    );
}

#[test]
fn reads_yaml_queues_and_skips_the_state_file() {
    let root = fixture("yaml");
    let corpus = read(&root);
    assert_eq!(
        sources(&corpus, &root),
        [
            ("social/queue.yml".to_string(), InputFormat::Yaml, 2),
            ("social/tweets.yaml".to_string(), InputFormat::Yaml, 3),
        ]
    );
    assert_eq!(skipped(&corpus, &root), ["social/state.yaml"]);
    let ids: Vec<Option<&str>> = corpus.posts[2..]
        .iter()
        .map(|post| post.id.as_deref())
        .collect();
    assert_eq!(
        ids,
        [
            Some("tips/readable-errors"),
            Some("tips/small-prs"),
            Some("promo/launch-week")
        ],
        "file order, not sorted"
    );
    let lines: Vec<Location> = corpus
        .posts
        .iter()
        .map(|post| post.origin.location)
        .collect();
    assert_eq!(
        lines,
        [
            Location::Record {
                record: 1,
                line: Some(2)
            },
            Location::Record {
                record: 2,
                line: Some(4)
            },
            Location::Record {
                record: 1,
                line: Some(2)
            },
            Location::Record {
                record: 2,
                line: Some(8)
            },
            Location::Record {
                record: 3,
                line: Some(12)
            },
        ]
    );
    assert_eq!(
        &*corpus.posts[1].text,
        "We moved the docs search to run in the browser.\nNo tracking, and it works offline on the train."
    );
    assert_eq!(corpus.posts[1].platform, Some(Platform::Mastodon));
    assert_eq!(
        &*corpus.posts[3].text,
        "💡 Tip: a pull request that does one thing gets reviewed the same day.\n\nThree small ones beat one large one every time."
    );
}

#[test]
fn reads_meta_exports_with_mojibake_repaired() {
    let facebook = read(&fixture("facebook/your_posts_1.json"));
    assert_eq!(facebook.sources[0].format, InputFormat::FacebookYourPosts);
    assert_eq!(
        facebook.posts.len(),
        2,
        "link shares without text are skipped"
    );
    assert!(
        facebook.posts[0]
            .text
            .starts_with("Darmowy e-book dla każdego, kto zapisze się dziś na newsletter! 📚")
    );
    assert_eq!(
        facebook.posts[0].links(),
        ["https://northwind.example/ebook"]
    );
    assert_eq!(facebook.posts[0].platform, Some(Platform::Facebook));
    assert_eq!(
        facebook.posts[1].origin.location,
        Location::Record {
            record: 3,
            line: None
        }
    );

    let threads = read(&fixture("threads/threads_and_replies.json"));
    assert_eq!(threads.sources[0].format, InputFormat::ThreadsPosts);
    let kinds: Vec<PostKind> = threads.posts.iter().map(|post| post.kind).collect();
    assert_eq!(kinds, [PostKind::Post, PostKind::Reply]);
    assert!(
        threads.posts[0]
            .text
            .starts_with("Hôm nay mình thử nướng bánh mì")
    );
    assert_eq!(threads.posts[1].to(), Some("@linh.bakes"));

    let instagram = read(&fixture("instagram/posts_1.json"));
    assert_eq!(instagram.sources[0].format, InputFormat::InstagramPosts);
    let texts: Vec<&str> = instagram
        .posts
        .iter()
        .map(|post| post.text.lines().next().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Pain de seigle, deuxième essai. Mieux levé, croûte plus fine ✨",
            "Marché du samedi : fraises, asperges et un café très serré ☕"
        ]
    );
}

#[test]
fn a_folder_walk_leaves_docs_configs_and_generic_json_alone() {
    let root = std::env::temp_dir().join(format!("hygiene-reader-sched-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let files = [
        ("README.md", "# Project\n\n---\n\nMore docs"),
        (
            "docs/install.md",
            "---\ntitle: Install\nlayout: page\ndate: 2024-01-01\n---\n\nRun the installer.",
        ),
        (
            "ci/build.yml",
            "name: CI\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
        ),
        ("social/state.yaml", "currentIndex: 3\nlastPostedKey: a\n"),
        ("config.yaml", "title: My site\ntheme: minimal\n"),
        (
            "queue.json",
            r#"[{"text": "A post", "timestamp": 1700000000, "media": [{"uri": "a.jpg"}]}]"#,
        ),
        ("posts/2024-05-01.md", "A real draft post."),
    ];
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let corpus = read(&root);
    let mut read_files = sources(&corpus, &root);
    read_files.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        read_files,
        [
            (
                "posts/2024-05-01.md".to_string(),
                InputFormat::MarkdownFrontMatter,
                1
            ),
            ("queue.json".to_string(), InputFormat::Json, 1),
        ]
    );
    std::fs::remove_dir_all(&root).unwrap();
}

/// Pieces of the syntax these readers care about, so generated files exercise it.
fn scheduled_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let pieces = prop::sample::select(vec![
        "---\n",
        "--- \t\n",
        "\n",
        "\r\n",
        "\n\n---\n\n",
        "( ) a\n",
        "() b",
        "reply: https://twitter.com/a/status/1\n",
        "retweet: x\n",
        "poll: [a]\n",
        "thread-delimiter: \"+\"\n",
        "\n\n+\n\n",
        "text: |\n  a\n",
        "- a\n",
        "posts:\n  - message: m\n",
        "key: é 👨‍👩‍👧\n",
        "{\"text_post_app_text_posts\": [{\"media\": [{\"title\": \"\\u00c5\\u0082\"}]}]}",
        "[{\"timestamp\": 1, \"data\": [{\"post\": \"\\u00f0\\u009f\"}]}]",
        "[{\"media\": [{\"title\": \"x\"}], \"title\": 3}]",
        ": [",
        "  ",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(str::to_string), any::<String>()],
        0..10,
    )
    .prop_map(|parts| parts.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

    #[test]
    fn any_content_gives_verbatim_posts_or_a_clean_error(text in scheduled_text()) {
        use hygiene::input::read_bytes;
        for format in [
            InputFormat::TwitterTogetherTweet,
            InputFormat::MarkdownFrontMatter,
            InputFormat::Yaml,
            InputFormat::FacebookYourPosts,
            InputFormat::ThreadsPosts,
            InputFormat::InstagramPosts,
        ] {
            let mut corpus = Corpus::default();
            let options = ReadOptions { format: Some(format), ..ReadOptions::default() };
            let path = Path::new("tweets/2024-01-02.tweet");
            match read_bytes(&mut corpus, "f".into(), text.as_bytes(), Some(path), options) {
                Ok(()) => {
                    for post in &corpus.posts {
                        if let Location::Text { line, column } = post.origin.location {
                            let start: usize = text
                                .split_inclusive('\n')
                                .take(line as usize - 1)
                                .map(str::len)
                                .sum();
                            let at: String = text[start..].chars().skip(column as usize - 1).collect();
                            proptest::prop_assert!(at.starts_with(&*post.text), "{:?} not at {}:{}", post.text, line, column);
                        }
                        proptest::prop_assert_eq!(post.text.trim(), &*post.text);
                    }
                }
                Err(error) => proptest::prop_assert!(error.to_string().starts_with("f"), "{}", error),
            }
            // Sniffing never panics either.
            let mut corpus = Corpus::default();
            let _ = read_bytes(&mut corpus, "f".into(), text.as_bytes(), Some(path), ReadOptions::default());
        }
    }
}
