//! Any input gives posts or a clean error, never a panic; every span lands on grapheme
//! boundaries inside its post; every score stays in 0–100; every printer accepts the result,
//! and the JSON, SARIF and JUnit ones print a document that parses.

use hygiene::engine::Engine;
use hygiene::finding::Target;
use hygiene::input::{ReadOptions, TextSplit, read_bytes};
use hygiene::post::{Corpus, InputFormat};
use hygiene::report::{self, Report, ReportFormat};
use hygiene::score::score;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// Compiled once: compiling the rules is the slow part of a case.
static ENGINE: std::sync::LazyLock<Engine> =
    std::sync::LazyLock::new(|| Engine::builtin().unwrap());

/// Text made of pieces the rules care about, so generated posts actually trigger findings.
fn post_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Thanks for following! ",
        "Click to Tweet",
        "check out my shop https://example.com ",
        "@ana ",
        "👨‍👩‍👧‍👦",
        "🇫🇷",
        "e\u{301}",
        "日本語",
        "\u{202e}",
        "\u{1b}[31m",
        "\r\n",
        "\n---\n",
        "[bctt tweet=\"x\"]",
        "$200 per day ",
        " ",
        "\0",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(str::to_string), any::<String>()],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn check_everything(corpus: &Corpus, engine: &Engine) {
    let analysis = engine.run(corpus);
    let score = score(engine, corpus, &analysis);
    assert!((0.0..=100.0).contains(&score.value));
    for (post, result) in corpus.posts.iter().zip(&analysis.posts) {
        let boundaries: Vec<usize> = post
            .text
            .grapheme_indices(true)
            .map(|(offset, _)| offset)
            .chain([post.text.len()])
            .collect();
        for finding in result.findings() {
            let Target::Post { span, .. } = &finding.target else {
                panic!("post findings target posts")
            };
            assert!(span.bytes.end <= post.text.len());
            assert!(
                boundaries.contains(&span.bytes.start),
                "span starts inside a grapheme"
            );
            assert!(
                boundaries.contains(&span.bytes.end),
                "span ends inside a grapheme"
            );
        }
    }
    assert!(
        score
            .posts
            .iter()
            .all(|value| (0.0..=100.0).contains(value))
    );
    let report = Report {
        engine,
        corpus,
        analysis: &analysis,
        score: &score,
        fixes: None,
    };
    for format in [
        ReportFormat::Human,
        ReportFormat::Json,
        ReportFormat::Jsonl,
        ReportFormat::Concise,
        ReportFormat::Github,
        ReportFormat::Sarif,
        ReportFormat::Junit,
    ] {
        let mut out = Vec::new();
        report::write(&report, format, true, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        match format {
            ReportFormat::Junit => {
                if let Err(error) = roxmltree::Document::parse(&out) {
                    panic!("JUnit output is not XML ({error}):\n{out}");
                }
            }
            ReportFormat::Json | ReportFormat::Sarif => {
                serde_json::from_str::<serde_json::Value>(&out).unwrap();
            }
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_read_and_linted_without_panic(text in post_text(), lines in any::<bool>()) {
        let engine = &*ENGINE;
        let split = if lines { TextSplit::Lines } else { TextSplit::Separator };
        let mut corpus = Corpus::default();
        let options = ReadOptions { format: Some(InputFormat::Text), split, ..ReadOptions::default() };
        read_bytes(&mut corpus, "t.txt".into(), text.as_bytes(), None, options).unwrap();
        check_everything(&corpus, engine);
    }

    #[test]
    fn any_bytes_give_posts_or_a_clean_error(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let engine = &*ENGINE;
        let mut corpus = Corpus::default();
        match read_bytes(&mut corpus, "b".into(), &bytes, None, ReadOptions::default()) {
            Ok(()) => check_everything(&corpus, engine),
            Err(error) => prop_assert!(error.to_string().starts_with("b:")),
        }
    }

    #[test]
    fn json_records_with_any_text_are_linted(texts in prop::collection::vec(post_text(), 0..8)) {
        let engine = &*ENGINE;
        let records: Vec<serde_json::Value> = texts
            .iter()
            .enumerate()
            .map(|(index, text)| {
                let kind = ["post", "reply", "dm"][index % 3];
                serde_json::json!({"text": text, "kind": kind, "to": "@x"})
            })
            .collect();
        let json = serde_json::to_string(&records).unwrap();
        let mut corpus = Corpus::default();
        read_bytes(&mut corpus, "p.json".into(), json.as_bytes(), None, ReadOptions::default()).unwrap();
        prop_assert_eq!(corpus.posts.len(), texts.len());
        check_everything(&corpus, engine);
    }
}
