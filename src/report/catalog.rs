//! Printing the rule catalogue: `hygiene rules` (a table, or versioned JSON) and
//! `hygiene explain <rule>` (the rule's explanation, what it looks for, its traits, options and
//! examples, as Markdown that reads well on a terminal).

use std::io::{self, Write};

use crate::engine::Engine;
use crate::rules::Rule;
use crate::score::CATEGORIES;
use crate::text::sanitize_for_terminal;

use super::OutputFormat;

/// What a rule looks at: single posts, the account, or both.
fn scope(rule: &Rule) -> &'static str {
    match (rule.is_post_rule(), rule.is_account_rule()) {
        (true, true) => "post+account",
        (false, true) => "account",
        (true, false) | (false, false) => "post",
    }
}

/// Writes the list of rules.
pub fn write_rules(engine: &Engine, format: OutputFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        OutputFormat::Human => {
            let width = engine
                .rules()
                .iter()
                .map(|rule| rule.id.len())
                .max()
                .unwrap_or(0);
            for rule in engine.rules() {
                writeln!(
                    out,
                    "{:<width$}  {:<12}  {:<7}  {:>3}  {}",
                    rule.id,
                    scope(rule),
                    rule.severity.as_str(),
                    rule.points,
                    rule.summary
                )?;
            }
            writeln!(
                out,
                "\nRun `hygiene explain <rule>` for what a rule catches, why, and examples."
            )
        }
        OutputFormat::Json => {
            let rules: Vec<serde_json::Value> = engine
                .rules()
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "id": rule.id,
                        "scope": scope(rule),
                        "category": rule.category,
                        "severity": rule.severity,
                        "points": rule.points,
                        "summary": rule.summary,
                        "fix": rule.fix_summary(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({ "version": 1, "rules": rules }),
            )?;
            writeln!(out)
        }
    }
}

/// Writes everything there is to know about one rule.
pub fn write_explanation(rule: &Rule, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# {}\n\n{}\n", rule.id, rule.summary)?;
    writeln!(out, "- Scope: {}", scope(rule))?;
    let kinds: Vec<&str> = Engine::eligible_kinds(rule)
        .kinds()
        .map(|kind| kind.as_str())
        .collect();
    if !kinds.is_empty() {
        writeln!(out, "- Looks at: {}", kinds.join(", "))?;
    }
    let category = CATEGORIES
        .iter()
        .find(|category| category.name == rule.category);
    match category {
        Some(category) => writeln!(
            out,
            "- Category: {} ({}; costs at most {} points in all)",
            category.name, category.summary, category.cap
        )?,
        None => writeln!(out, "- Category: {}", rule.category)?,
    }
    writeln!(out, "- Default severity: {}", rule.severity)?;
    writeln!(out, "- Points: {}", rule.points)?;
    match rule.fix_summary() {
        Some(fix) => writeln!(
            out,
            "- Fix: safe, applied by `hygiene check --fix` (`--diff` shows it): {fix}"
        )?,
        None => writeln!(
            out,
            "- Fix: none (`hygiene check --fix` leaves these findings to you)"
        )?,
    }
    writeln!(out, "\n{}", rule.explanation.trim_end())?;

    if !rule.patterns.is_empty() {
        writeln!(out, "\n## What it looks for\n")?;
        for pattern in &rule.patterns {
            writeln!(out, "- {}", pattern.label)?;
        }
    }
    let spec = &rule.spec;
    for definition in &spec.traits {
        writeln!(
            out,
            "\n## Trait `{}`: {}\n",
            definition.name, definition.summary
        )?;
        for pattern in &definition.patterns {
            writeln!(out, "- {}", pattern.label)?;
        }
        for implied in &definition.implied_by {
            writeln!(out, "- any post with the trait `{implied}`")?;
        }
    }
    let check = match (&rule.post_check, &rule.check) {
        (Some(check), _) => Some(("post", check.tunable())),
        (None, Some(check)) => Some(("account", check.tunable())),
        (None, None) => None,
    };
    if let (Some(name), Some((scope, tunable))) = (&spec.builtin, check) {
        writeln!(out, "\n## Options ({scope} check `{name}`)\n")?;
        for (key, value) in &spec.options {
            let note = if tunable.contains(&key.as_str()) {
                ""
            } else {
                " (fixed)"
            };
            writeln!(out, "- `{key}` = {value}{note}")?;
        }
        writeln!(
            out,
            "\nChange one with `--rule-option {}.KEY=VALUE`.",
            rule.id
        )?;
    }

    if !spec.examples.is_empty() {
        writeln!(out, "\n## Examples from the rule file\n")?;
    }
    for example in &spec.examples {
        let verdict = match (example.expect, &example.traits) {
            (Some(0), _) => "passes".to_string(),
            (Some(n), _) => format!("{n} finding{}", if n == 1 { "" } else { "s" }),
            (None, Some(traits)) if traits.is_empty() => "no trait".to_string(),
            (None, Some(traits)) => format!("trait {}", traits.join(", ")),
            (None, None) => "example".to_string(),
        };
        let note = example
            .note
            .as_deref()
            .map(|note| format!(" ({note})"))
            .unwrap_or_default();
        match &example.text {
            Some(text) => {
                let kind = example
                    .kind
                    .map(|kind| format!(", {kind}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "- {verdict}{kind}: {}{note}",
                    sanitize_for_terminal(text, false)
                )?;
                if let Some(fixed) = &example.fixed {
                    writeln!(out, "  fixed: {}", sanitize_for_terminal(fixed, false))?;
                }
            }
            None => {
                writeln!(out, "- {verdict}, an account of:{note}")?;
                for post in &example.posts {
                    let times = post
                        .repeat
                        .filter(|&n| n > 1)
                        .map(|n| format!("{n} × "))
                        .unwrap_or_default();
                    let kind = post
                        .kind
                        .map(|kind| format!("{kind}: "))
                        .unwrap_or_default();
                    let to = post
                        .to
                        .as_deref()
                        .map(|to| format!("to {to}: "))
                        .unwrap_or_default();
                    let at = post
                        .created_at
                        .as_deref()
                        .map(|at| format!("at {at}: "))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  - {times}{kind}{to}{at}{}",
                        sanitize_for_terminal(&post.text, false)
                    )?;
                }
            }
        }
    }
    Ok(())
}
