//! Pins the worked scoring example of README ("Scoring") on `fixtures/example-account.json`:
//! if the formula or the rules change these numbers, README must change with them.

use std::path::PathBuf;

use hygiene::engine::Engine;
use hygiene::input::{InputPath, ReadOptions, read_all};
use hygiene::score::{Evidence, Verdict, score};

#[test]
fn readme_worked_example_adds_up() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/example-account.json");
    let corpus = read_all(
        &[InputPath::File(path)],
        ReadOptions::default(),
        &mut std::io::empty(),
    )
    .unwrap();
    let engine = Engine::builtin().unwrap();
    let analysis = engine.run(&corpus);
    let score = score(&engine, &corpus, &analysis);

    let deductions: Vec<(&str, f64, Evidence)> = score
        .deductions
        .iter()
        .map(|d| (engine.rules()[d.rule].id.as_str(), d.points, d.evidence))
        .collect();
    assert_eq!(
        deductions,
        vec![
            (
                "auto-dm",
                20.0,
                Evidence::Posts {
                    hits: 3,
                    eligible: 4
                }
            ),
            ("auto-dm", 20.0, Evidence::Account { findings: 1 }),
            (
                "click-to-tweet",
                7.5,
                Evidence::Posts {
                    hits: 1,
                    eligible: 16
                }
            ),
            (
                "excessive-self-promotion",
                25.0,
                Evidence::Account { findings: 1 }
            ),
            (
                "generic-reply",
                5.0,
                Evidence::Posts {
                    hits: 1,
                    eligible: 3
                }
            ),
            (
                "link-only-post",
                10.0,
                Evidence::Posts {
                    hits: 1,
                    eligible: 9
                }
            ),
        ]
    );
    let categories: Vec<(&str, f64, f64)> = score
        .categories
        .iter()
        .map(|loss| (loss.category.name, loss.points, loss.applied))
        .collect();
    assert_eq!(
        categories,
        vec![
            ("automation", 40.0, 40.0),
            ("canned", 12.5, 12.5),
            ("promotion", 35.0, 35.0)
        ]
    );
    assert_eq!(score.value, 12.5);
    assert_eq!(score.verdict, Verdict::AntiSocial);

    let d1 = corpus
        .posts
        .iter()
        .position(|post| post.id.as_deref() == Some("d1"))
        .unwrap();
    assert_eq!(score.posts[d1], 80.0);
}

#[test]
fn category_cap_limits_what_one_family_costs() {
    // Two templates, each sent to four people: 20 points for the DMs plus 20 for each
    // template is 60 in the automation category, capped at 40.
    let names = ["Ana", "Tom", "Wei", "Jo", "Sam", "Lea", "Max", "Ida"];
    let templates = [
        "Hi {}, thanks for following! Get 20% off everything with code HELLO at https://shop.example",
        "Hello {}, thanks for following! Our free ebook is at https://shop.example/ebook",
    ];
    let text = names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let body = templates[n % 2].replace("{}", name);
            serde_json::json!({"kind": "dm", "to": format!("@{}", name.to_lowercase()), "text": body})
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut corpus = hygiene::post::Corpus::default();
    hygiene::input::read_bytes(
        &mut corpus,
        "dms.jsonl".into(),
        text.as_bytes(),
        None,
        ReadOptions::default(),
    )
    .unwrap();
    let engine = Engine::builtin().unwrap();
    let analysis = engine.run(&corpus);
    let score = score(&engine, &corpus, &analysis);
    assert_eq!(analysis.account_findings.len(), 2);
    let automation = &score.categories[0];
    assert_eq!(automation.category.name, "automation");
    assert_eq!((automation.points, automation.applied), (60.0, 40.0));
    assert_eq!(score.value, 60.0);
}

#[test]
fn a_run_scored_batch_by_batch_scores_as_the_whole_run() {
    use hygiene::engine::{Analysis, EngineSettings};
    use hygiene::input::{Stdin, TextSplit, open_stdin};
    use hygiene::score::{Tally, score_tallied};

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap();
    // Replies, posts and DMs (a reply opens with a handle; `@dm` texts are replies too), so
    // rules look at different kinds and counts.
    let input = [
        read("fixtures/tweets-one-per-line.txt"),
        read("fixtures/drafts.txt").replace("\n---\n", "\n"),
        "@ana thanks for the RT!\nPlease RT if you agree!\n".repeat(3),
    ]
    .concat()
    .repeat(5);
    let files = hygiene::rules::builtin_rule_files().unwrap();
    let account_rules: Vec<String> = Engine::builtin()
        .unwrap()
        .rules()
        .iter()
        .filter(|rule| rule.is_account_rule())
        .map(|rule| rule.id.clone())
        .collect();
    let settings = EngineSettings {
        ignore: account_rules,
        ..EngineSettings::default()
    };
    let engine = Engine::new(&files, &settings).unwrap();
    assert!(!engine.needs_whole_corpus());
    let options = ReadOptions {
        split: TextSplit::Lines,
        ..ReadOptions::default()
    };

    let corpus = read_all(&[InputPath::Stdin], options.clone(), &mut input.as_bytes()).unwrap();
    let whole = score(&engine, &corpus, &engine.run(&corpus));

    let mut stdin = input.as_bytes();
    let Stdin::Stream(mut stream) = open_stdin(&mut stdin, &options).unwrap() else {
        panic!("plain text on standard input is streamed");
    };
    let mut tally = Tally::new(&engine);
    let mut batches = 0;
    while let Some(batch) = stream.next_batch(7).unwrap() {
        let analysis = engine.run_posts(&batch);
        tally.add(&engine, &batch, &analysis, 0..batch.posts.len());
        batches += 1;
    }
    let streamed = score_tallied(&engine, &tally, &Analysis::default());

    assert!(batches > 5, "{batches} batches");
    assert!(
        whole.value < 100.0 && whole.deductions.len() > 2,
        "{whole:?}"
    );
    assert_eq!(streamed.value, whole.value);
    assert_eq!(streamed.verdict, whole.verdict);
    assert_eq!(streamed.deductions, whole.deductions);
    assert_eq!(streamed.categories, whole.categories);
}
