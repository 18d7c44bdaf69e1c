//! The report for people, rustc-style: each finding with its severity and rule, where it is,
//! the quoted line with the match marked, and `help:` with the suggestion; then a summary with
//! the headline ratios and the score breakdown.
//!
//! Everything that comes from a post (text, ids, recipients, messages quoting a match) passes
//! through `text::sanitize_for_terminal`, so escape sequences and bidi overrides never reach
//! the terminal raw.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::{Report, evidence_text, format_points, plural};
use crate::engine::AccountOutcome;
use crate::finding::{Finding, Severity, Target};
use crate::fix::FixPlan;
use crate::post::PostKind;
use crate::rules::builtin::percent;
use crate::text::{TextSpan, line_around, sanitize_for_terminal};

/// Widest quoted line, in terminal columns; longer lines are cut around the match.
const MAX_LINE_WIDTH: usize = 100;
/// Columns of context kept before a match in a cut line.
const CONTEXT_BEFORE: usize = 30;
/// Evidence places listed for an account finding before "and N more".
const MAX_EVIDENCE_SHOWN: usize = 5;

/// Styles, or none when colour is off.
struct Palette {
    color: bool,
}

impl Palette {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        let color = match severity {
            Severity::Error => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
            Severity::Info => AnsiColor::Cyan,
        };
        Style::new().bold().fg_color(Some(color.into()))
    }

    fn gutter(&self) -> Style {
        Style::new().bold().fg_color(Some(AnsiColor::Blue.into()))
    }

    fn bold(&self) -> Style {
        Style::new().bold()
    }
}

/// Writes the human report.
pub fn write(report: &Report<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let palette = Palette { color };
    for finding in report.findings() {
        write_finding(report, &palette, finding, out)?;
    }
    write_summary_with(report, &palette, out)
}

/// Writes only the summary: counts, account outcomes and the score.
pub fn write_summary(report: &Report<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    write_summary_with(report, &Palette { color }, out)
}

fn write_finding(
    report: &Report<'_>,
    palette: &Palette,
    finding: &Finding,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rule = &report.engine.rules()[finding.rule];
    let severity = palette.severity(finding.severity);
    writeln!(
        out,
        "{}{} {}",
        palette.paint(severity, &format!("{}[{}]", finding.severity, rule.id)),
        palette.paint(palette.bold(), ":"),
        palette.paint(
            palette.bold(),
            &sanitize_for_terminal(&finding.message, false)
        ),
    )?;
    let arrow = palette.paint(palette.gutter(), "-->");
    let equals = palette.paint(palette.gutter(), "=");
    // Gutter width: the widest line number shown (rustc's layout).
    let mut width = 1;
    match &finding.target {
        Target::Post { post, span } => {
            let post = &report.corpus.posts[*post];
            let file_position = Report::file_position(post, span.line, span.column);
            let number = file_position
                .map(|(line, _)| line.to_string())
                .unwrap_or_default();
            width = number.len().max(1);
            let place = match file_position {
                Some((line, column)) => {
                    let path = &report.corpus.sources[post.origin.source as usize].path;
                    format!("{path}:{line}:{column}")
                }
                None => report.post_place(post),
            };
            let mut place = sanitize_for_terminal(&place, false);
            if post.kind == PostKind::Dm || post.kind == PostKind::Reply {
                place.push_str(&format!(", {}", post.kind));
                if let Some(to) = post.to() {
                    place.push_str(&format!(" to {}", sanitize_for_terminal(to, false)));
                }
            }
            writeln!(out, "{:width$}{arrow} {place}", "")?;
            write_quote(palette, &post.text, span, &number, finding.severity, out)?;
        }
        Target::Account { evidence } => {
            let posts = report.corpus.posts.len();
            writeln!(out, " {arrow} account ({posts} post{})", plural(posts))?;
            if !evidence.is_empty() {
                let shown = &evidence[..evidence.len().min(MAX_EVIDENCE_SHOWN)];
                let mut places = sanitize_for_terminal(&report.places(shown), false);
                if evidence.len() > shown.len() {
                    places.push_str(&format!(" and {} more", evidence.len() - shown.len()));
                }
                writeln!(
                    out,
                    "  {equals} {}: {places}",
                    palette.paint(palette.bold(), "evidence"),
                )?;
            }
        }
    }
    // A fix is shown where `--diff` can show it: in text-like files, not in exports.
    let fix = finding.fix.as_ref().filter(|_| match &finding.target {
        Target::Post { post, .. } => report.source_of(*post).format.posts_are_verbatim(),
        Target::Account { .. } => false,
    });
    if let Some(fix) = fix {
        writeln!(
            out,
            "{:width$} {equals} {}: {}",
            "",
            palette.paint(palette.bold(), "fix"),
            sanitize_for_terminal(&fix.title, false)
        )?;
    }
    writeln!(
        out,
        "{:width$} {equals} {}: {}\n",
        "",
        palette.paint(palette.bold(), "help"),
        finding.suggestion
    )
}

/// The line of `text` holding the span, cut to fit, with `^` under the match.
fn write_quote(
    palette: &Palette,
    text: &str,
    span: &TextSpan,
    number: &str,
    severity: Severity,
    out: &mut dyn Write,
) -> io::Result<()> {
    let line = line_around(text, span.bytes.start);
    let match_start = span.bytes.start.max(line.start);
    let match_end = span.bytes.end.min(line.end).max(match_start);
    let before = sanitize_for_terminal(&text[line.start..match_start], false);
    let matched = sanitize_for_terminal(&text[match_start..match_end], false);
    let after = sanitize_for_terminal(&text[match_end..line.end], false);
    let (before, matched, after) = fit(&before, &matched, &after);

    let pad = " ".repeat(number.len().max(1));
    let bar = palette.paint(palette.gutter(), "|");
    writeln!(out, "{pad} {bar}")?;
    writeln!(
        out,
        "{} {bar} {before}{matched}{after}",
        palette.paint(
            palette.gutter(),
            &format!("{number:>width$}", width = pad.len())
        )
    )?;
    let carets = "^".repeat(matched.width().max(1));
    writeln!(
        out,
        "{pad} {bar} {}{}",
        " ".repeat(before.width()),
        palette.paint(palette.severity(severity), &carets)
    )
}

/// Cuts a line around its match so it fits [`MAX_LINE_WIDTH`], marking cuts with `…`.
fn fit(before: &str, matched: &str, after: &str) -> (String, String, String) {
    let total = before.width() + matched.width() + after.width();
    if total <= MAX_LINE_WIDTH {
        return (before.to_string(), matched.to_string(), after.to_string());
    }
    let before = if before.width() > CONTEXT_BEFORE {
        format!("…{}", take_width_from_end(before, CONTEXT_BEFORE - 1))
    } else {
        before.to_string()
    };
    let matched = if before.width() + matched.width() > MAX_LINE_WIDTH {
        format!(
            "{}…",
            take_width(matched, MAX_LINE_WIDTH - before.width() - 1)
        )
    } else {
        matched.to_string()
    };
    let room = MAX_LINE_WIDTH.saturating_sub(before.width() + matched.width());
    let after = if after.width() > room {
        format!("{}…", take_width(after, room.saturating_sub(1)))
    } else {
        after.to_string()
    };
    (before, matched, after)
}

/// The longest prefix of whole graphemes at most `width` columns wide.
fn take_width(text: &str, width: usize) -> String {
    let mut taken = String::new();
    for grapheme in text.graphemes(true) {
        if taken.width() + grapheme.width() > width {
            break;
        }
        taken.push_str(grapheme);
    }
    taken
}

/// The longest suffix of whole graphemes at most `width` columns wide.
fn take_width_from_end(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut start = text.len();
    for (offset, grapheme) in text.grapheme_indices(true).rev() {
        if used + grapheme.width() > width {
            break;
        }
        used += grapheme.width();
        start = offset;
    }
    text[start..].to_string()
}

/// The files read but not linted, the first few by name.
fn write_skipped(skipped: &[String], out: &mut dyn Write) -> io::Result<()> {
    const NAMED: usize = 3;
    let count = skipped.len();
    if count == 0 {
        return Ok(());
    }
    let mut names: Vec<String> = skipped
        .iter()
        .take(NAMED)
        .map(|name| sanitize_for_terminal(name, false))
        .collect();
    if count > NAMED {
        names.push(format!("and {} more", count - NAMED));
    }
    writeln!(
        out,
        "Skipped {count} file{} that hold{} no posts in a known format: {}.",
        plural(count),
        if count == 1 { "s" } else { "" },
        names.join(", ")
    )
}

/// What `--fix` wrote, and the fixes it left as they are.
fn write_fixed(plan: &FixPlan, out: &mut dyn Write) -> io::Result<()> {
    let fixes = plan.fixes();
    if fixes > 0 {
        let names: Vec<String> = plan
            .changes
            .iter()
            .map(|change| sanitize_for_terminal(&change.path, false))
            .collect();
        writeln!(
            out,
            "Fixed {fixes} finding{} in {} file{}: {}.",
            plural(fixes),
            names.len(),
            plural(names.len()),
            names.join(", ")
        )?;
    }
    for skipped in &plan.not_applied {
        writeln!(
            out,
            "Not fixed in {}: {} finding{} with a fix; {}.",
            sanitize_for_terminal(&skipped.path, false),
            skipped.fixes,
            plural(skipped.fixes),
            skipped.reason
        )?;
    }
    Ok(())
}

fn write_summary_with(
    report: &Report<'_>,
    palette: &Palette,
    out: &mut dyn Write,
) -> io::Result<()> {
    let corpus = report.corpus;
    let posts = corpus.posts.len();
    let sources: Vec<String> = corpus
        .sources
        .iter()
        .map(|source| sanitize_for_terminal(&source.path, false))
        .collect();
    let from = match sources.len() {
        0 => String::new(),
        1 => format!(" from {}", sources[0]),
        n => format!(" from {n} inputs"),
    };
    if posts == 0 {
        let in_ = from.replacen(" from ", " in ", 1);
        writeln!(out, "No posts found{in_}: nothing to check.")?;
        return write_skipped(&corpus.skipped, out);
    }
    let mut kinds = Vec::new();
    for (kind, one, many) in [
        (PostKind::Reply, "reply", "replies"),
        (PostKind::Dm, "DM", "DMs"),
        (PostKind::Repost, "repost", "reposts"),
        (PostKind::Quote, "quote", "quotes"),
    ] {
        let count = corpus.posts.iter().filter(|post| post.kind == kind).count();
        if count > 0 {
            kinds.push(format!("{count} {}", if count == 1 { one } else { many }));
        }
    }
    let received = corpus.posts.iter().filter(|post| post.received).count();
    if received > 0 {
        let judged = corpus
            .posts
            .iter()
            .zip(&report.analysis.posts)
            .any(|(post, analysis)| post.received && analysis.judged());
        let how = if judged { "judged" } else { "not judged" };
        kinds.push(format!("{received} received, {how}"));
    }
    let kinds = if kinds.is_empty() {
        String::new()
    } else {
        format!(" ({})", kinds.join(", "))
    };
    writeln!(out, "Checked {posts} post{}{from}{kinds}.", plural(posts))?;
    write_skipped(&corpus.skipped, out)?;
    let suppressed: usize = report
        .analysis
        .posts
        .iter()
        .map(|post| post.suppressed().len())
        .sum();
    if suppressed > 0 {
        writeln!(
            out,
            "Left out {suppressed} finding{} the posts suppress, with their reasons.",
            plural(suppressed)
        )?;
    }
    for (post, analysis) in report.corpus.posts.iter().zip(&report.analysis.posts) {
        for id in analysis.unused_allow() {
            writeln!(
                out,
                "{}: {}",
                sanitize_for_terminal(&report.post_place(post), false),
                sanitize_for_terminal(&super::unused_allow_message(id), false)
            )?;
        }
    }
    let baselined = report.analysis.baselined.len();
    if baselined > 0 {
        writeln!(
            out,
            "Left out {baselined} finding{} the baseline records.",
            plural(baselined)
        )?;
    }

    if let Some(plan) = report.fixes {
        write_fixed(plan, out)?;
    }
    let [info, warning, error] = report.severity_counts();
    if info + warning + error == 0 {
        writeln!(out, "No findings.")?;
    } else {
        let mut parts = Vec::new();
        for (count, name) in [(error, "error"), (warning, "warning"), (info, "info")] {
            if count > 0 {
                let name = if name == "info" {
                    name.to_string()
                } else {
                    format!("{name}{}", plural(count))
                };
                parts.push(format!("{count} {name}"));
            }
        }
        writeln!(out, "Findings: {}.", parts.join(", "))?;
        let rules = report.engine.rules();
        let by_rule = report.counts_by_rule();
        let width = by_rule
            .iter()
            .map(|(rule, _)| rules[*rule].id.len())
            .max()
            .unwrap_or(0);
        for (rule, count) in by_rule {
            writeln!(out, "  {:<width$}  {count:>5}", rules[rule].id)?;
        }
    }
    let fixable = report.fixable();
    if fixable > 0 {
        writeln!(
            out,
            "{fixable} finding{} can be fixed safely: `--diff` shows how, `--fix` writes it.",
            plural(fixable)
        )?;
    }

    let outcomes = &report.analysis.account_outcomes;
    if !outcomes.is_empty() {
        writeln!(out, "\nAccount:")?;
        for (rule, outcome) in outcomes {
            let id = &report.engine.rules()[*rule].id;
            let account_findings = |findings: &[Finding]| {
                findings
                    .iter()
                    .filter(|finding| {
                        finding.rule == *rule && matches!(finding.target, Target::Account { .. })
                    })
                    .count()
            };
            let known = account_findings(&report.analysis.baselined);
            match outcome {
                AccountOutcome::Judged { ratio: Some(ratio) } => writeln!(
                    out,
                    "  {id}: {} of {} {} are {} ({}%; {} {}%){}",
                    ratio.count,
                    ratio.total,
                    ratio.among,
                    ratio.label,
                    percent(ratio.share()),
                    if ratio.at_most {
                        "limit: at most"
                    } else {
                        "aim: at least"
                    },
                    percent(ratio.threshold),
                    if known > 0 { "; in the baseline" } else { "" }
                )?,
                AccountOutcome::Judged { ratio: None } => {
                    match account_findings(&report.analysis.account_findings) {
                        0 if known > 0 => writeln!(
                            out,
                            "  {id}: nothing new ({known} account finding{} in the baseline)",
                            plural(known)
                        )?,
                        0 => writeln!(out, "  {id}: nothing found")?,
                        n => writeln!(out, "  {id}: {n} account finding{}", plural(n))?,
                    }
                }
                AccountOutcome::NotJudged { reason } => {
                    writeln!(out, "  {id}: not judged: {reason}")?
                }
            }
        }
    }

    let score = report.score;
    writeln!(
        out,
        "\n{} {}/100, {}",
        palette.paint(palette.bold(), "Score:"),
        palette.paint(palette.bold(), &format_points(score.value)),
        score.verdict.description()
    )?;
    for loss in &score.categories {
        let capped = if loss.applied < loss.points {
            format!(
                " (capped at {} of {})",
                format_points(loss.applied),
                format_points(loss.points)
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "  -{:<5} {}{capped}",
            format_points(loss.applied),
            loss.category.name
        )?;
        for deduction in score
            .deductions
            .iter()
            .filter(|d| d.category == loss.category.name)
        {
            let rule = &report.engine.rules()[deduction.rule];
            writeln!(
                out,
                "      -{:<5} {} ({})",
                format_points(deduction.points),
                rule.id,
                evidence_text(deduction.evidence)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let before = "a".repeat(80);
        let after = "b".repeat(80);
        let (b, m, a) = fit(&before, "MATCH", &after);
        assert_eq!(b.width(), CONTEXT_BEFORE);
        assert!(b.starts_with('…'));
        assert_eq!(m, "MATCH");
        assert_eq!(b.width() + m.width() + a.width(), MAX_LINE_WIDTH);
        assert!(a.ends_with('…'));
    }

    #[test]
    fn wide_characters_are_never_split() {
        assert_eq!(take_width("日本語", 5), "日本");
        assert_eq!(take_width_from_end("日本語", 5), "本語");
    }

    #[test]
    fn points_drop_trailing_zero() {
        assert_eq!(format_points(20.0), "20");
        assert_eq!(format_points(7.5), "7.5");
    }
}
