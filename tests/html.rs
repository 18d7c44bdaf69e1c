//! The HTML report (`--format html`), read back with an HTML5 parser (scraper, on html5ever, as
//! browsers parse): its numbers are the JSON report's for the same input, hostile post texts
//! come out as text, nothing is loaded from elsewhere, and long lists are capped.

use std::collections::BTreeMap;

use hygiene::report::html::MAX_FINDINGS_SHOWN;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

mod common;

use common::check_in_process as check;

fn page(args: &[&str]) -> Html {
    let mut args = args.to_vec();
    args.extend(["--format", "html"]);
    Html::parse_document(&check(&args, b""))
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

fn attr<'a>(element: &ElementRef<'a>, name: &str) -> &'a str {
    element
        .value()
        .attr(name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn number(element: &ElementRef<'_>, name: &str) -> f64 {
    attr(element, name).parse().unwrap()
}

#[test]
fn numbers_on_the_page_are_the_json_reports() {
    for input in ["fixtures/example-account.json", "fixtures/drafts.txt"] {
        let html = page(&[input]);
        let json: Value = serde_json::from_str(&check(&[input, "--format", "json"], b"")).unwrap();
        let score = &json["score"];

        let value = select(&html, "#score-value");
        assert_eq!(
            number(&value[0], "data-value"),
            score["value"].as_f64().unwrap()
        );
        let verdict = select(&html, "#verdict");
        assert_eq!(attr(&verdict[0], "data-verdict"), score["verdict"]);

        let severities: BTreeMap<String, u64> = select(&html, "#finding-counts [data-severity]")
            .iter()
            .map(|e| {
                (
                    attr(e, "data-severity").into(),
                    number(e, "data-count") as u64,
                )
            })
            .collect();
        let expected: BTreeMap<String, u64> =
            serde_json::from_value(json["summary"]["by_severity"].clone()).unwrap();
        assert_eq!(severities, expected, "{input}");

        let by_rule: BTreeMap<String, u64> = select(&html, "details.rule")
            .iter()
            .map(|e| (attr(e, "data-rule").into(), number(e, "data-count") as u64))
            .collect();
        let expected: BTreeMap<String, u64> =
            serde_json::from_value(json["summary"]["by_rule"].clone()).unwrap();
        assert_eq!(by_rule, expected, "{input}");
        for group in select(&html, "details.rule") {
            let listed = group
                .select(&Selector::parse("li.finding").unwrap())
                .count();
            assert_eq!(listed as f64, number(&group, "data-count"));
        }

        let deductions: Vec<(String, f64)> = select(&html, "tr.deduction")
            .iter()
            .map(|e| {
                (
                    attr(e, "data-rule").into(),
                    number(&first(e, "td.num"), "data-points"),
                )
            })
            .collect();
        let mut expected: Vec<(String, f64)> = score["deductions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().into(),
                    d["points"].as_f64().unwrap(),
                )
            })
            .collect();
        // The page lists deductions per category, in category order.
        let categories: Vec<&str> = score["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["category"].as_str().unwrap())
            .collect();
        let category_of = |rule: &str| {
            let deduction = score["deductions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["rule"] == rule)
                .unwrap();
            categories
                .iter()
                .position(|c| *c == deduction["category"])
                .unwrap()
        };
        expected.sort_by_key(|(rule, _)| category_of(rule));
        assert_eq!(deductions, expected, "{input}");

        let applied: Vec<f64> = select(&html, "tr.category")
            .iter()
            .map(|e| number(&first(e, "td.num"), "data-points"))
            .collect();
        let expected: Vec<f64> = score["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["applied"].as_f64().unwrap())
            .collect();
        assert_eq!(applied, expected, "{input}");

        // Every judged post of the example account is from March 2026, so that month's score
        // is the account's; the drafts have no dates, so there is no month to score.
        let months: Vec<(String, f64)> = select(&html, "#month-scores tr[data-month]")
            .iter()
            .map(|e| (attr(e, "data-month").into(), number(e, "data-score")))
            .collect();
        match input {
            "fixtures/example-account.json" => assert_eq!(
                months,
                [("2026-03".to_string(), score["value"].as_f64().unwrap())]
            ),
            _ => {
                assert_eq!(months, []);
                let chart: String = select(&html, "#chart-score")[0].text().collect();
                assert!(chart.contains("no score by month"), "{chart}");
            }
        }
    }
}

#[test]
fn each_month_scores_as_its_posts_checked_alone() {
    let input = "fixtures/html/two-months.jsonl";
    let html = page(&[input]);
    let json_score = |args: &[&str], stdin: &[u8]| -> f64 {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        let json: Value = serde_json::from_str(&check(&args, stdin)).unwrap();
        json["score"]["value"].as_f64().unwrap()
    };
    let account = json_score(&[input], b"");
    assert_eq!(
        number(&select(&html, "#score-value")[0], "data-value"),
        account
    );

    let content = std::fs::read_to_string(input).unwrap();
    let rows = select(&html, "#month-scores tr[data-month]");
    let months: Vec<&str> = rows.iter().map(|row| attr(row, "data-month")).collect();
    assert_eq!(months, ["2026-01", "2026-02"]);
    let mut scores = Vec::new();
    for row in &rows {
        let month = attr(row, "data-month");
        let lines: String = content
            .lines()
            .filter(|line| line.contains(&format!("\"created_at\": \"{month}-")))
            .map(|line| format!("{line}\n"))
            .collect();
        assert_eq!(number(row, "data-posts") as usize, lines.lines().count());
        // The month's posts alone, as an account of their own, score the same.
        let alone = json_score(&["-"], lines.as_bytes());
        assert_eq!(number(row, "data-score"), alone, "{month}");
        // Ten posts are enough for the promotion share to be judged in each month, not for
        // the share of personal responses, which judged the account's twenty. Rules that could
        // not judge the account (no messages for auto-dm) are not listed.
        let not_judged: String = row.text().collect();
        assert!(
            not_judged.contains("missing-personal-responses (needs at least 20 public posts"),
            "{not_judged}"
        );
        for judged in ["excessive-self-promotion", "auto-dm"] {
            assert!(!not_judged.contains(judged), "{not_judged}");
        }
        scores.push(alone);
    }
    // February pitches: half its posts are promotional, past the limit, while over both
    // months the share is within it. Only the month's score shows that.
    assert!(scores[1] < scores[0].min(account), "{scores:?} {account}");

    let chart = &select(&html, "#chart-score svg")[0];
    let points = chart.select(&Selector::parse("circle").unwrap()).count();
    assert_eq!(points, 2);
}

fn first<'a>(element: &ElementRef<'a>, selector: &str) -> ElementRef<'a> {
    element
        .select(&Selector::parse(selector).unwrap())
        .next()
        .unwrap()
}

#[test]
fn headline_ratios_are_shown_with_their_thresholds() {
    let html = page(&["fixtures/example-account.json"]);
    let ratio = select(&html, "#account li[data-rule=excessive-self-promotion]");
    let text: String = ratio[0].text().collect();
    assert!(
        text.contains("5 of 12 public posts are promotional (42%; limit: at most 33%)"),
        "{text}"
    );
}

const HOSTILE: [&str; 2] = [
    "fixtures/html/hostile-html.txt",
    "fixtures/html/hostile-html.jsonl",
];

#[test]
fn hostile_post_texts_render_as_text_and_run_nothing() {
    let source = check(&[HOSTILE[0], HOSTILE[1], "--format", "html"], b"");
    let html = Html::parse_document(&source);

    // The page's own script and nothing else.
    let scripts = select(&html, "script");
    assert_eq!(scripts.len(), 1);
    assert!(
        scripts[0]
            .inner_html()
            .contains("The HTML report's only script")
    );
    assert_eq!(select(&html, "style").len(), 1);
    for tag in [
        "img",
        "iframe",
        "textarea",
        "object",
        "embed",
        "a:not([href^='#'])",
    ] {
        assert!(
            select(&html, tag).is_empty(),
            "a <{tag}> element came through"
        );
    }
    for svg in select(&html, "svg") {
        let ours = svg.value().attr("role") == Some("img")
            || svg
                .value()
                .has_class("meter", scraper::CaseSensitivity::CaseSensitive);
        assert!(ours, "an <svg> element came through: {}", svg.html());
    }
    for element in select(&html, "*") {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "event attribute {name}={value}");
            assert!(!value.contains("javascript:"), "{name}={value}");
        }
    }
    // Every post is quoted as it was written, markup and all, as text.
    let quotes: Vec<String> = select(&html, "blockquote")
        .iter()
        .map(|quote| quote.text().collect())
        .collect();
    for needle in [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "</style><script>alert(2)</script></textarea></title>",
        "<a href=\"javascript:alert(1)\">prize</a> javascript:alert(1)",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<!-- comment --> ]]> &amp; &lt;b&gt;",
    ] {
        assert!(
            quotes.iter().any(|quote| quote.contains(needle)),
            "{needle} not quoted: {quotes:#?}"
        );
    }
    // Bidi controls show escaped, as on the terminal, and never raw.
    assert!(
        quotes
            .iter()
            .any(|quote| quote.contains("\\u{202e}gnp.exe"))
    );
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("\\u{2066}isolated\\u{2069}"))
    );
    for raw in ['\u{202e}', '\u{2066}', '\u{2069}'] {
        assert!(!source.contains(raw), "raw {raw:?} in the page");
    }
    // Ids and recipients are text too.
    let places: String = select(&html, ".place")
        .iter()
        .flat_map(|place| place.text())
        .collect();
    assert!(
        places.contains("(id \"><script>alert(3)</script>)"),
        "{places}"
    );
    assert!(
        places.contains("to <img src=x onerror=alert(4)>"),
        "{places}"
    );
    assert!(places.contains("(id x\\u{202e}y)"), "{places}");
}

#[test]
fn the_page_loads_nothing_from_elsewhere() {
    for args in [
        &["fixtures/example-account.json"][..],
        &HOSTILE[..],
        &["fixtures/formats"][..],
    ] {
        let html = page(args);
        for element in select(&html, "*") {
            let tag = element.value().name();
            assert!(
                !matches!(tag, "link" | "iframe" | "object" | "embed" | "img" | "base"),
                "<{tag}>"
            );
            for (name, value) in element.value().attrs() {
                match name {
                    "src" | "srcset" | "action" | "xlink:href" | "formaction" | "poster" => {
                        panic!("<{tag} {name}={value}>")
                    }
                    "href" => assert!(value.starts_with('#'), "<{tag} href={value}>"),
                    "style" => assert!(!value.contains("url("), "<{tag} style={value}>"),
                    _ => {}
                }
            }
        }
        let style: String = select(&html, "style")[0].text().collect();
        assert!(!style.contains("url(") && !style.contains("@import"));
        let policy = select(&html, "meta[http-equiv=Content-Security-Policy]");
        assert!(attr(&policy[0], "content").starts_with("default-src 'none'"));
    }
}

#[test]
fn findings_past_the_cap_are_counted_not_listed() {
    let posts = "Click to Tweet this now\n".repeat(MAX_FINDINGS_SHOWN + 37);
    let html = Html::parse_document(&check(
        &["-", "--split", "lines", "--format", "html"],
        posts.as_bytes(),
    ));
    let group = &select(&html, "details[data-rule=click-to-tweet]")[0];
    assert_eq!(
        number(group, "data-count") as usize,
        MAX_FINDINGS_SHOWN + 37
    );
    let listed = group
        .select(&Selector::parse("li.finding").unwrap())
        .count();
    assert_eq!(listed, MAX_FINDINGS_SHOWN);
    let more: String = first(group, ".more").text().collect();
    assert_eq!(more, "and 37 more (see the JSON report: --format json)");
}

#[test]
fn charts_have_axes_and_text_alternatives() {
    let html = page(&["fixtures/example-account.json"]);
    let charts = select(&html, "figure svg[role=img]");
    assert!(!charts.is_empty());
    for chart in &charts {
        let labelled = attr(chart, "aria-labelledby");
        for id in labelled.split(' ') {
            let text: String = select(&html, &format!("#{id}"))[0].text().collect();
            assert!(!text.trim().is_empty(), "#{id} is empty");
        }
        assert!(chart.select(&Selector::parse("text").unwrap()).count() > 2);
    }
}

/// A browser on `PATH` to load pages in: Debian's `chromium` (`.ci/run` installs it).
fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            std::process::Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|output| output.status.success())
        })
}

#[test]
fn a_browser_renders_the_page_and_runs_only_its_own_script() {
    let Some(browser) = browser() else {
        eprintln!("skipped: no chromium on PATH (`apt-get install chromium`; .ci/run installs it)");
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("report.html");
    let mut args = HOSTILE.to_vec();
    args.push("fixtures/html/hostile-dom.txt");
    args.extend(["--format", "html"]);
    std::fs::write(&file, check(&args, b"")).unwrap();
    let output = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{browser} failed");
    let dom = String::from_utf8(output.stdout).unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    // No script error, no refused load (a Content-Security-Policy violation is logged there too).
    let console: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(":CONSOLE"))
        .collect();
    assert!(console.is_empty(), "{console:#?}");
    // The page's own script ran: it showed the filters and counted the findings.
    let html = Html::parse_document(&dom);
    let filters = &select(&html, "#filters")[0];
    assert_eq!(filters.value().attr("hidden"), None);
    let shown: String = select(&html, "#filter-count")[0].text().collect();
    assert!(shown.ends_with(" shown"), "{shown}");
    // No injected script or handler did: each would have set data-pwned on <body>.
    let body = &select(&html, "body")[0];
    assert_eq!(
        body.value().attr("data-pwned"),
        None,
        "an injected script ran"
    );
    let quotes: String = select(&html, "blockquote")
        .iter()
        .flat_map(|q| q.text())
        .collect();
    assert!(quotes.contains("<script>document.body.dataset.pwned = \"script\"</script>"));
}
