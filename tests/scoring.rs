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
