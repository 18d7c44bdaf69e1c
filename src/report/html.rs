//! The HTML report (`--format html`): one self-contained page a person opens from disk. At the
//! top the account score, its breakdown and the headline ratios; then charts drawn as inline SVG
//! (the score per month, posts per month by what they are, findings per rule, posting activity
//! by weekday and hour);
//! then the findings, grouped by rule in `<details>`, with the post quoted and the match marked.
//!
//! - Self-contained: inline CSS and one small inline script (filters and search); no fonts,
//!   images, scripts or links from anywhere else, and a Content-Security-Policy that forbids them.
//!   Everything is readable with scripts off.
//! - Escaped: the page is built with maud, which escapes every interpolated string, and no link
//!   is made from post text. Text from posts (and paths, ids, recipients, messages quoting a
//!   match) also passes through `text::sanitize_for_terminal`, so control characters and bidi
//!   overrides show as `\u{…}`, as on the terminal.
//! - Bounded: at most [`MAX_FINDINGS_SHOWN`] findings per rule are listed; the rest are counted
//!   ("and N more"), and the JSON report holds everything.
//! - The numbers are the run's own: score, deductions, ratios, the score per month and counts
//!   come from [`Report`] and [`crate::score::Score`], as the JSON report's do. Only the charts'
//!   counts by month and hour are computed here, from the posts' dates and the traits the engine
//!   gave them.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

use chrono::{Datelike, Timelike};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{Report, evidence_text, format_points, plural};
use crate::engine::AccountOutcome;
use crate::finding::{Finding, Target};
use crate::rules::builtin::percent;
use crate::score::MonthScore;
use crate::text::sanitize_for_terminal;

/// Findings listed per rule; the rest are counted and left to the JSON report.
pub const MAX_FINDINGS_SHOWN: usize = 200;
/// Evidence posts listed for an account finding before "and N more".
const MAX_EVIDENCE_SHOWN: usize = 20;
/// Bytes of a post quoted on either side of the match; longer posts are cut with `…`.
const QUOTE_CONTEXT: usize = 300;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/filter.js");
/// Nothing may be loaded from anywhere: only the page's own inline style and script run.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Series colours of the monthly chart: promotional, personal responses, other.
const SERIES: [(&str, &str); 3] = [
    ("promotional", "#c2410c"),
    ("personal responses", "#15803d"),
    ("other", "#94a3b8"),
];
/// The score per month's line, and the account's score drawn across it.
const SCORE_COLOUR: &str = "#1d4ed8";
const ACCOUNT_COLOUR: &str = "#64748b";
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Writes the HTML report.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(page(report).into_string().as_bytes())
}

fn page(report: &Report<'_>) -> Markup {
    let title = match report.corpus.sources.as_slice() {
        [source] => format!("hygiene report: {}", shown(&source.path)),
        sources => format!("hygiene report: {} sources", sources.len()),
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CONTENT_SECURITY_POLICY);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(concat!("hygiene ", env!("CARGO_PKG_VERSION")));
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    (sources(report))
                }
                main {
                    (score_section(report))
                    (ratios_section(report))
                    section #charts {
                        h2 { "Charts" }
                        (score_chart(report))
                        (monthly_chart(report))
                        (rules_chart(report))
                        (activity_chart(report))
                    }
                    (findings_section(report))
                }
                footer {
                    p {
                        "Made by hygiene " (env!("CARGO_PKG_VERSION")) ". At most "
                        (MAX_FINDINGS_SHOWN) " findings per rule are listed; "
                        code { "--format json" } " holds every finding."
                    }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// What was read: each source with its format and posts, and what was skipped or baselined.
fn sources(report: &Report<'_>) -> Markup {
    let corpus = report.corpus;
    let baselined = report.analysis.baselined.len();
    html! {
        p.lead {
            (corpus.posts.len()) " post" (plural(corpus.posts.len())) " from "
            (corpus.sources.len()) " source" (plural(corpus.sources.len())) "."
            @if !corpus.skipped.is_empty() {
                " " (corpus.skipped.len()) " file" (plural(corpus.skipped.len()))
                " skipped (no posts in a known format)."
            }
            @if baselined > 0 {
                " " (baselined) " finding" (plural(baselined)) " left out: the baseline records them."
            }
        }
        @if corpus.sources.len() > 1 || corpus.sources.iter().any(|s| s.posts > 0) {
            details.sources {
                summary { "Sources" }
                table {
                    thead { tr { th { "path" } th { "format" } th.num { "posts" } } }
                    tbody {
                        @for source in &corpus.sources {
                            tr {
                                td { code { (shown(&source.path)) } }
                                td { (source.format.as_str()) }
                                td.num { (source.posts) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The account score, its verdict and which rules cost how many points, per category.
fn score_section(report: &Report<'_>) -> Markup {
    let score = report.score;
    let rules = report.engine.rules();
    let [info, warning, error] = report.severity_counts();
    html! {
        section #score {
            h2 { "Score" }
            div.scorecard {
                p.score.(score.verdict.id()) {
                    span #score-value data-value=(score.value) { (format_points(score.value)) }
                    span.of { "/100" }
                }
                p.verdict #verdict data-verdict=(score.verdict.id()) {
                    (score.verdict.description())
                }
                p #finding-counts {
                    span data-severity="error" data-count=(error) { (error) " error" (plural(error)) }
                    ", "
                    span data-severity="warning" data-count=(warning) {
                        (warning) " warning" (plural(warning))
                    }
                    ", "
                    span data-severity="info" data-count=(info) { (info) " info" }
                }
            }
            @if score.categories.is_empty() {
                p { "No rule cost the account any points." }
            } @else {
                table #breakdown {
                    caption { "Points lost, per category (each capped) and per rule" }
                    thead { tr { th { "category or rule" } th.num { "points" } th { "evidence" } } }
                    @for loss in &score.categories {
                        tbody {
                            tr.category data-category=(loss.category.name) {
                                th scope="row" {
                                    (loss.category.name)
                                    span.muted { " — " (loss.category.summary) }
                                }
                                td.num data-points=(loss.applied) { "−" (format_points(loss.applied)) }
                                td {
                                    @if loss.applied < loss.points {
                                        "capped at " (format_points(loss.category.cap)) " of "
                                        (format_points(loss.points))
                                    } @else {
                                        "cap " (format_points(loss.category.cap))
                                    }
                                }
                            }
                            @for deduction in score.deductions.iter()
                                .filter(|d| d.category == loss.category.name) {
                                tr.deduction data-rule=(rules[deduction.rule].id) {
                                    td.rule { a href={ "#rule-" (rules[deduction.rule].id) } {
                                        (rules[deduction.rule].id)
                                    } }
                                    td.num data-points=(deduction.points) {
                                        "−" (format_points(deduction.points))
                                    }
                                    td { (evidence_text(deduction.evidence)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The account rules' outcomes: the headline ratios against their thresholds, and what was not
/// judged and why.
fn ratios_section(report: &Report<'_>) -> Markup {
    let rules = report.engine.rules();
    let outcomes = &report.analysis.account_outcomes;
    html! {
        @if !outcomes.is_empty() {
            section #account {
                h2 { "Account" }
                ul.ratios {
                    @for (rule, outcome) in outcomes {
                        @let id = &rules[*rule].id;
                        li data-rule=(id) {
                            strong { (id) } ": "
                            @match outcome {
                                AccountOutcome::Judged { ratio: Some(ratio) } => {
                                    @let past = ratio.is_past_threshold();
                                    span.ratio.past[past] data-share=(ratio.share()) {
                                        (ratio.count) " of " (ratio.total) " " (ratio.among)
                                        " are " (ratio.label) " ("
                                        strong { (percent(ratio.share())) "%" } "; "
                                        (if ratio.at_most { "limit: at most " } else { "aim: at least " })
                                        (percent(ratio.threshold)) "%)"
                                    }
                                    (meter(ratio.share(), ratio.threshold, past))
                                }
                                AccountOutcome::Judged { ratio: None } => {
                                    @let found = report.analysis.account_findings.iter()
                                        .filter(|f| f.rule == *rule).count();
                                    @if found == 0 {
                                        "nothing found"
                                    } @else {
                                        (found) " account finding" (plural(found))
                                    }
                                }
                                AccountOutcome::NotJudged { reason } => {
                                    span.muted { "not judged: " (reason) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A share drawn as a bar against its threshold.
fn meter(share: f64, threshold: f64, past: bool) -> Markup {
    let width = 200.0;
    html! {
        svg.meter width="200" height="14" viewBox="0 0 200 14" aria-hidden="true" {
            rect width=(width) height="14" fill="#e2e8f0" {}
            rect width=(num(width * share.clamp(0.0, 1.0))) height="14"
                fill=(if past { "#c2410c" } else { "#15803d" }) {}
            line x1=(num(width * threshold)) x2=(num(width * threshold)) y1="0" y2="14"
                stroke="#0f172a" stroke-width="2" {}
        }
    }
}

/// Counts of the account's public posts (judged posts, replies and quotes) per calendar month,
/// split by trait: promotional (trait `promotional`), personal responses (trait
/// `personal-response`), other. Months are those of the timestamps as written (their own offset).
fn monthly_counts(report: &Report<'_>) -> BTreeMap<(i32, u32), [usize; 3]> {
    let traits = report.engine.traits();
    let promotional = traits.get("promotional");
    let personal = traits.get("personal-response");
    let mut months = BTreeMap::new();
    for (post, analysis) in report.corpus.posts.iter().zip(&report.analysis.posts) {
        let Some(time) = post.created_at else {
            continue;
        };
        if !analysis.judged() || !post.kind.is_public_authored() {
            continue;
        }
        let has = |id: Option<_>| id.is_some_and(|id| analysis.traits.contains(id));
        let series = if has(promotional) {
            0
        } else if has(personal) {
            1
        } else {
            2
        };
        let counts: &mut [usize; 3] = months.entry((time.year(), time.month())).or_default();
        counts[series] += 1;
    }
    // Every month between the first and the last, so gaps show as gaps.
    if let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) {
        for month in months_between(first, last) {
            months.entry(month).or_default();
        }
    }
    months
}

/// Every `(year, month)` from `first` to `last`, both included.
fn months_between(first: (i32, u32), last: (i32, u32)) -> impl Iterator<Item = (i32, u32)> {
    std::iter::successors(Some(first), |&(year, month)| {
        Some(if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        })
    })
    .take_while(move |&month| month <= last)
}

/// `2026-03`.
fn month_label((year, month): (i32, u32)) -> String {
    format!("{year}-{month:02}")
}

/// The score of each month that has judged posts with a date, as a line over every month from
/// the first to the last (a month without posts is a gap), with the account's score for
/// reference. The scores are the run's own ([`crate::score::MonthScore`]); shown only when the
/// run scored months (`hygiene check --format html` does).
fn score_chart(report: &Report<'_>) -> Markup {
    let Some(months) = &report.score.months else {
        return html! {};
    };
    let by_month: BTreeMap<(i32, u32), &MonthScore> = months
        .iter()
        .map(|month| ((month.year, month.month), month))
        .collect();
    let axis: Vec<(i32, u32)> = match (by_month.keys().next(), by_month.keys().next_back()) {
        (Some(&first), Some(&last)) => months_between(first, last).collect(),
        _ => Vec::new(),
    };
    let plot = Plot::new(720.0, 240.0, 48.0, 40.0);
    let step = (plot.width / axis.len().max(1) as f64).min(60.0);
    let x = |i: usize| plot.left + step * (i as f64 + 0.5);
    // Points no wider than a month, so decades of history stay a line.
    let radius = num((step * 0.4).clamp(1.0, 4.0));
    let top = 100.0;
    // The verdicts' thresholds, so a point reads against them.
    let ticks = [0, 50, 75, 90, 100];
    let every = axis.len().div_ceil(12).max(1);
    // Runs of consecutive months with a score, each drawn as one line.
    let mut lines: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut previous = None;
    for (i, month) in axis.iter().enumerate() {
        if let Some(score) = by_month.get(month) {
            let point = (x(i), plot.y(score.value, top));
            match lines.last_mut() {
                Some(line) if previous.is_some_and(|previous| previous + 1 == i) => {
                    line.push(point)
                }
                _ => lines.push(vec![point]),
            }
            previous = Some(i);
        }
    }
    let lowest = months.iter().min_by(|a, b| a.value.total_cmp(&b.value));
    let highest = months.iter().max_by(|a, b| a.value.total_cmp(&b.value));
    let label = |score: &MonthScore| month_label((score.year, score.month));
    let description = match (axis.first(), axis.last(), lowest, highest) {
        (Some(&first), Some(&last), Some(lowest), Some(highest)) => format!(
            "From {} to {}, {} month{} with posts: lowest {} in {}, highest {} in {}; the \
             account as a whole scores {}.",
            month_label(first),
            month_label(last),
            months.len(),
            plural(months.len()),
            format_points(lowest.value),
            label(lowest),
            format_points(highest.value),
            label(highest),
            format_points(report.score.value)
        ),
        _ => String::new(),
    };
    let rules = report.engine.rules();
    let not_judged = |score: &MonthScore| -> String {
        score
            .not_judged
            .iter()
            .map(|(rule, reason)| format!("{} ({reason})", rules[*rule].id))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let account_y = plot.y(report.score.value, top);
    html! {
        figure #chart-score {
            h3 { "Score per month" }
            @if months.is_empty() {
                p.muted { "No post has a date, so there is no score by month." }
            } @else {
                svg viewBox=(plot.view_box()) role="img" aria-labelledby="score-title score-desc" {
                    title #score-title { "Score per month, 0 to 100" }
                    desc #score-desc { (description) }
                    (plot.y_axis(&ticks, top))
                    text.axis transform="rotate(-90)" x=(num(-plot.y(top / 2.0, top))) y="10"
                        text-anchor="middle" { "score" }
                    line x1=(num(plot.left)) x2=(num(plot.left + plot.width)) y1=(num(account_y))
                        y2=(num(account_y)) stroke=(ACCOUNT_COLOUR) stroke-dasharray="4 3" {}
                    @for line in &lines {
                        @if line.len() > 1 {
                            polyline fill="none" stroke=(SCORE_COLOUR) stroke-width="2"
                                points=(line.iter().map(|&(x, y)| format!("{},{}", num(x), num(y)))
                                    .collect::<Vec<_>>().join(" ")) {}
                        }
                    }
                    @for (i, month) in axis.iter().enumerate() {
                        @if let Some(score) = by_month.get(month) {
                            circle cx=(num(x(i))) cy=(num(plot.y(score.value, top))) r=(radius)
                                stroke=(SCORE_COLOUR) stroke-width="2"
                                fill=(if score.not_judged.is_empty() { SCORE_COLOUR } else {
                                    "#fff" }) {
                                title {
                                    (label(score)) ": " (format_points(score.value)) "/100, "
                                    (score.posts) " post" (plural(score.posts))
                                    @if !score.not_judged.is_empty() {
                                        "; not judged: " (not_judged(score))
                                    }
                                }
                            }
                        }
                        @if i % every == 0 {
                            text.axis x=(num(x(i))) y=(num(plot.bottom() + 16.0))
                                text-anchor="middle" { (month_label(*month)) }
                        }
                    }
                }
                ul.legend {
                    li {
                        span.swatch style={ "background:" (SCORE_COLOUR) } {}
                        "a month (hollow: too few posts for an account rule that judged the account)"
                    }
                    li {
                        span.swatch style={ "background:" (ACCOUNT_COLOUR) } {}
                        "the account: " (format_points(report.score.value))
                    }
                }
                details {
                    summary { "The numbers" }
                    table #month-scores {
                        thead { tr {
                            th { "month" } th.num { "posts" } th.num { "score" } th { "verdict" }
                            th { "account rules that judged the account, not the month" }
                        } }
                        tbody {
                            @for score in months {
                                tr data-month=(label(score)) data-score=(score.value)
                                    data-posts=(score.posts) {
                                    td { (label(score)) }
                                    td.num { (score.posts) }
                                    td.num { (format_points(score.value)) }
                                    td { (score.verdict.description()) }
                                    td { (not_judged(score)) }
                                }
                            }
                        }
                    }
                }
                figcaption {
                    "Each month scored as the account is, over its own judged posts with a date: "
                    "post rules weighed among that month's posts, account rules run over that month "
                    "alone. An account rule that judged the account but needs more posts than a "
                    "month has cannot judge that month and costs it nothing, so its score may lean "
                    "high; its point is hollow."
                }
            }
        }
    }
}

fn monthly_chart(report: &Report<'_>) -> Markup {
    let months = monthly_counts(report);
    let totals: [usize; 3] = months.values().fold([0; 3], |mut sum, counts| {
        for (total, count) in sum.iter_mut().zip(counts) {
            *total += count;
        }
        sum
    });
    let label = month_label;
    let description = match (months.keys().next(), months.keys().next_back()) {
        (Some(&first), Some(&last)) => format!(
            "From {} to {}: {} public posts, {} promotional, {} personal responses, {} other.",
            label(first),
            label(last),
            totals.iter().sum::<usize>(),
            totals[0],
            totals[1],
            totals[2]
        ),
        _ => String::new(),
    };
    let max = months
        .values()
        .map(|counts| counts.iter().sum::<usize>())
        .max()
        .unwrap_or(0);
    let plot = Plot::new(720.0, 260.0, 48.0, 40.0);
    // A month is at most 60 units wide, so a short history does not draw slabs.
    let step = (plot.width / months.len().max(1) as f64).min(60.0);
    let ticks = ticks(max);
    let top = *ticks.last().unwrap_or(&1) as f64;
    let every = months.len().div_ceil(12).max(1);
    html! {
        figure #chart-months {
            h3 { "Public posts per month" }
            @if months.is_empty() {
                p.muted { "No public post has a date, so there is nothing to draw by month." }
            } @else {
                svg viewBox=(plot.view_box()) role="img" aria-labelledby="months-title months-desc" {
                    title #months-title { "Public posts per month: promotional, personal responses, other" }
                    desc #months-desc { (description) }
                    (plot.y_axis(&ticks, top))
                    text.axis transform="rotate(-90)" x=(num(-plot.y(top / 2.0, top))) y="10"
                        text-anchor="middle" { "posts" }
                    @for (i, (&month, counts)) in months.iter().enumerate() {
                        @let x = plot.left + step * i as f64;
                        g {
                            title { (label(month)) ": " (counts[0]) " promotional, " (counts[1])
                                " personal responses, " (counts[2]) " other" }
                            @for (series, range) in stack(counts).into_iter().enumerate() {
                                @if !range.is_empty() {
                                    @let y0 = plot.y(range.start as f64, top);
                                    @let y1 = plot.y(range.end as f64, top);
                                    rect x=(num(x + step * 0.1)) y=(num(y1)) width=(num(step * 0.8))
                                        height=(num(y0 - y1)) fill=(SERIES[series].1) {}
                                }
                            }
                        }
                        @if i % every == 0 {
                            text.axis x=(num(x + step / 2.0)) y=(num(plot.bottom() + 16.0))
                                text-anchor="middle" { (label(month)) }
                        }
                    }
                }
                (legend(&SERIES))
                details {
                    summary { "The numbers" }
                    table {
                        thead { tr { th { "month" } @for (name, _) in SERIES { th.num { (name) } } } }
                        tbody {
                            @for (&month, counts) in &months {
                                tr { td { (label(month)) } @for count in counts { td.num { (count) } } }
                            }
                        }
                    }
                }
                figcaption {
                    "The account's own public posts, replies and quotes with a date. Promotional: "
                    "pitches something of the account's (see " code { "excessive-self-promotion" }
                    "); personal responses: replies in the sender's own words, neither canned nor a "
                    "pitch (see " code { "missing-personal-responses" } ")."
                }
            }
        }
    }
}

fn rules_chart(report: &Report<'_>) -> Markup {
    let rules = report.engine.rules();
    let mut counts = report.counts_by_rule();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let max = counts.first().map_or(0, |(_, count)| *count);
    let row = 22.0;
    let label_width = 230.0;
    let bar_width = 720.0 - label_width - 60.0;
    let height = row * counts.len() as f64 + 30.0;
    let ticks = ticks(max);
    let top = *ticks.last().unwrap_or(&1) as f64;
    let description: Vec<String> = counts
        .iter()
        .map(|(rule, count)| format!("{}: {count}", rules[*rule].id))
        .collect();
    html! {
        figure #chart-rules {
            h3 { "Findings per rule" }
            @if counts.is_empty() {
                p.muted { "No findings." }
            } @else {
                svg viewBox={ "0 0 720 " (num(height)) } role="img"
                    aria-labelledby="rules-title rules-desc" {
                    title #rules-title { "Findings per rule" }
                    desc #rules-desc { (description.join("; ")) }
                    @for &tick in &ticks {
                        @let x = label_width + bar_width * tick as f64 / top;
                        line.grid x1=(num(x)) x2=(num(x)) y1="0" y2=(num(height - 24.0)) {}
                        text.axis x=(num(x)) y=(num(height - 8.0)) text-anchor="middle" { (tick) }
                    }
                    @for (i, (rule, count)) in counts.iter().enumerate() {
                        @let y = row * i as f64;
                        @let width = bar_width * *count as f64 / top;
                        text x=(num(label_width - 8.0)) y=(num(y + 15.0)) text-anchor="end" {
                            (rules[*rule].id)
                        }
                        rect.(rules[*rule].severity.as_str()) x=(num(label_width)) y=(num(y + 3.0))
                            width=(num(width)) height=(num(row - 6.0)) {}
                        text x=(num(label_width + width + 4.0)) y=(num(y + 15.0)) { (count) }
                    }
                }
            }
        }
    }
}

/// Posts the account wrote (received messages left out) with a time, by weekday and hour of the
/// time as written (its own offset).
fn activity_counts(report: &Report<'_>) -> [[usize; 24]; 7] {
    let mut grid = [[0; 24]; 7];
    for post in &report.corpus.posts {
        if let Some(time) = post.created_at.filter(|_| !post.received) {
            grid[time.weekday().num_days_from_monday() as usize][time.hour() as usize] += 1;
        }
    }
    grid
}

fn activity_chart(report: &Report<'_>) -> Markup {
    let grid = activity_counts(report);
    let total: usize = grid.iter().flatten().sum();
    let max = grid.iter().flatten().copied().max().unwrap_or(0);
    let (busiest_day, busiest_hour) = (0..7)
        .flat_map(|day| (0..24).map(move |hour| (day, hour)))
        .max_by_key(|&(day, hour)| (grid[day][hour], std::cmp::Reverse((day, hour))))
        .unwrap_or((0, 0));
    let cell = 24.0;
    let left = 44.0;
    html! {
        figure #chart-activity {
            h3 { "Posting activity by weekday and hour" }
            @if total == 0 {
                p.muted { "No post has a time, so there is no activity to draw." }
            } @else {
                svg viewBox={ "0 0 " (num(left + cell * 24.0 + 4.0)) " " (num(cell * 7.0 + 24.0)) }
                    role="img" aria-labelledby="activity-title activity-desc" {
                    title #activity-title { "Posting activity by weekday and hour" }
                    desc #activity-desc {
                        (total) " posts with a time; the busiest hour is "
                        (WEEKDAYS[busiest_day]) " " (format!("{busiest_hour:02}:00")) " with "
                        (max) " post" (plural(max)) "."
                    }
                    @for (day, hours) in grid.iter().enumerate() {
                        text.axis x=(num(left - 6.0)) y=(num(cell * day as f64 + 16.0))
                            text-anchor="end" { (WEEKDAYS[day]) }
                        @for (hour, &count) in hours.iter().enumerate() {
                            rect x=(num(left + cell * hour as f64)) y=(num(cell * day as f64))
                                width=(num(cell - 2.0)) height=(num(cell - 2.0))
                                fill="#1d4ed8"
                                fill-opacity=(num(if count == 0 { 0.06 } else {
                                    0.15 + 0.85 * count as f64 / max as f64 })) {
                                title { (WEEKDAYS[day]) " " (format!("{hour:02}:00")) ": "
                                    (count) " post" (plural(count)) }
                            }
                        }
                    }
                    @for hour in (0..24).step_by(3) {
                        text.axis x=(num(left + cell * hour as f64 + cell / 2.0 - 1.0))
                            y=(num(cell * 7.0 + 16.0)) text-anchor="middle" {
                            (format!("{hour:02}"))
                        }
                    }
                }
                figcaption {
                    "Every post, reply, repost and message the account sent that has a time, at the "
                    "hour the input gives (in its own time zone; X archives use UTC). The same hours "
                    "every day, or posts through the night, are a scheduler's pattern."
                }
            }
        }
    }
}

/// The findings, a `<details>` per rule, with filters that the inline script shows.
fn findings_section(report: &Report<'_>) -> Markup {
    let rules = report.engine.rules();
    let counts = report.counts_by_rule();
    let mut shown: Vec<Vec<&Finding>> = vec![Vec::new(); rules.len()];
    for finding in report.findings() {
        let list = &mut shown[finding.rule];
        if list.len() < MAX_FINDINGS_SHOWN {
            list.push(finding);
        }
    }
    html! {
        section #findings {
            h2 { "Findings" }
            @if counts.is_empty() {
                p { "No findings." }
            } @else {
                div #filters hidden {
                    label { "Rule " select #filter-rule {
                        option value="" { "all" }
                        @for (rule, _) in &counts { option { (rules[*rule].id) } }
                    } }
                    label { "Severity " select #filter-severity {
                        option value="" { "all" }
                        @for severity in ["error", "warning", "info"] { option { (severity) } }
                    } }
                    label { "Search " input #filter-search type="search"; }
                    output #filter-count {}
                }
                @for &(rule, count) in &counts {
                    @let meta = &rules[rule];
                    details.rule id={ "rule-" (meta.id) } open data-rule=(meta.id) data-count=(count) {
                        summary {
                            span.badge.(meta.severity.as_str()) { (meta.severity.as_str()) }
                            " " strong { (meta.id) } " "
                            span.count { (count) " finding" (plural(count)) }
                            " " span.muted { "— " (meta.summary) }
                        }
                        ol {
                            @for finding in &shown[rule] { (finding_item(report, finding)) }
                        }
                        @if count > shown[rule].len() {
                            p.more {
                                "and " (count - shown[rule].len()) " more (see the JSON report: "
                                code { "--format json" } ")"
                            }
                        }
                    }
                }
            }
        }
    }
}

fn finding_item(report: &Report<'_>, finding: &Finding) -> Markup {
    html! {
        li.finding data-severity=(finding.severity.as_str()) {
            p.message {
                span.badge.(finding.severity.as_str()) { (finding.severity.as_str()) } " "
                (shown(&finding.message))
            }
            @match &finding.target {
                Target::Post { post, span } => {
                    @let post = &report.corpus.posts[*post];
                    p.place {
                        code { (shown(&report.post_place(post))) }
                        " " (post.kind.as_str())
                        @if let Some(to) = post.to() { " to " (shown(to)) }
                        @if let Some(time) = post.created_at { ", " (time.to_rfc3339()) }
                    }
                    (quote(&post.text, span.bytes.clone()))
                }
                Target::Account { evidence } => {
                    p.place { "the account (" (report.corpus.posts.len()) " posts)" }
                    @if !evidence.is_empty() {
                        @let listed = &evidence[..evidence.len().min(MAX_EVIDENCE_SHOWN)];
                        p.evidence {
                            "evidence: " code { (shown(&report.places(listed))) }
                            @if evidence.len() > listed.len() {
                                " and " (evidence.len() - listed.len()) " more"
                            }
                        }
                    }
                }
            }
            p.suggestion { strong { "help: " } (finding.suggestion) }
        }
    }
}

/// The post, cut to [`QUOTE_CONTEXT`] bytes around the match, with the match in `<mark>`.
fn quote(text: &str, span: Range<usize>) -> Markup {
    let end = floor_boundary(text, span.end.min(text.len()));
    let start = floor_boundary(text, span.start.min(end));
    let from = floor_boundary(text, start.saturating_sub(QUOTE_CONTEXT));
    let to = ceil_boundary(text, end.saturating_add(QUOTE_CONTEXT).min(text.len()));
    let quoted = |part: &str| sanitize_for_terminal(part, true);
    html! {
        blockquote {
            @if from > 0 { "…" }
            (quoted(&text[from..start]))
            mark { (quoted(&text[start..end])) }
            (quoted(&text[end..to]))
            @if to < text.len() { "…" }
        }
    }
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn ceil_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

/// Where each series of a stacked bar starts and ends, bottom up.
fn stack(counts: &[usize; 3]) -> [Range<usize>; 3] {
    let mut base = 0;
    counts.map(|count| {
        base += count;
        base - count..base
    })
}

fn legend(series: &[(&str, &str)]) -> Markup {
    html! {
        ul.legend {
            @for (name, colour) in series {
                li { span.swatch style={ "background:" (colour) } {} (name) }
            }
        }
    }
}

/// The plotting area of a chart with a y axis: `left` and `bottom` margins inside a viewBox.
struct Plot {
    width: f64,
    height: f64,
    left: f64,
    bottom_margin: f64,
}

impl Plot {
    fn new(total_width: f64, total_height: f64, left: f64, bottom_margin: f64) -> Plot {
        Plot {
            width: total_width - left - 8.0,
            height: total_height - bottom_margin - 8.0,
            left,
            bottom_margin,
        }
    }

    fn view_box(&self) -> String {
        format!(
            "0 0 {} {}",
            num(self.left + self.width + 8.0),
            num(self.height + self.bottom_margin + 8.0)
        )
    }

    fn bottom(&self) -> f64 {
        self.height + 8.0
    }

    fn y(&self, value: f64, top: f64) -> f64 {
        self.bottom() - self.height * value / top
    }

    fn y_axis(&self, ticks: &[usize], top: f64) -> Markup {
        html! {
            @for &tick in ticks {
                @let y = self.y(tick as f64, top);
                line.grid x1=(num(self.left)) x2=(num(self.left + self.width)) y1=(num(y))
                    y2=(num(y)) {}
                text.axis x=(num(self.left - 6.0)) y=(num(y + 4.0)) text-anchor="end" { (tick) }
            }
        }
    }
}

/// Axis ticks from 0 to at least `max` in round steps (1, 2 or 5 times a power of ten).
fn ticks(max: usize) -> Vec<usize> {
    let max = max.max(1);
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if max.div_ceil(step * factor) <= 5 {
                let step = step * factor;
                return (0..=max.div_ceil(step)).map(|i| i * step).collect();
            }
        }
        step *= 10;
    }
}

/// A coordinate with at most one decimal.
fn num(value: f64) -> String {
    format_points((value * 10.0).round() / 10.0)
}

/// Text from a post or an input (paths, ids, handles) with control characters and bidi
/// overrides shown as `\u{…}`; maud escapes the rest.
fn shown(text: &str) -> String {
    sanitize_for_terminal(text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(0), vec![0, 1]);
        assert_eq!(ticks(4), vec![0, 1, 2, 3, 4]);
        assert_eq!(ticks(7), vec![0, 2, 4, 6, 8]);
        assert_eq!(ticks(23), vec![0, 5, 10, 15, 20, 25]);
        assert_eq!(ticks(1234), vec![0, 500, 1000, 1500]);
    }

    #[test]
    fn quotes_are_cut_on_character_boundaries() {
        let text = format!("{}MATCH{}", "é".repeat(400), "日".repeat(400));
        let start = text.find("MATCH").unwrap();
        let html = quote(&text, start..start + 5).into_string();
        assert!(html.starts_with("<blockquote>…"), "{html}");
        assert!(html.contains("<mark>MATCH</mark>"));
        assert!(html.ends_with("…</blockquote>"));
    }
}
