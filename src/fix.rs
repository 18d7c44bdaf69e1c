//! Fixes: `hygiene check --fix` writes the safe fixes of findings into the files their posts came
//! from; `--diff` prints them as a unified diff and writes nothing.
//!
//! A fix is data on a finding (`finding::Fix`), in the post's own text; `input::post_offset`
//! says where a post sits in its file. Only formats whose posts are verbatim slices of their file
//! are rewritten (plain text, `.tweet` files, Markdown bodies); JSON, CSV, YAML and exports never
//! are, and their fixes are reported as not applied. As ruff does, fixes are applied in passes:
//! the fixes of a pass that do not overlap one another together, then the new text is read and
//! checked again, until nothing is left to fix or [`MAX_PASSES`] passes ran.
//!
//! Writing is atomic: the new content goes to a temporary file in the same folder, which takes
//! the original's permissions and is renamed over it, and only while the file still holds the
//! bytes hygiene read. Nothing here runs without `--fix` or `--diff`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::engine::{Analysis, Engine};
use crate::finding::{Edit, apply_edits};
use crate::input::{self, ReadOptions};
use crate::post::{Corpus, Source};
use crate::text::sanitize_for_terminal;

/// Most passes of fixing and checking again per file.
pub const MAX_PASSES: usize = 8;

/// What the fixes of one run change, before anything is written.
#[derive(Debug, Default)]
pub struct FixPlan {
    /// Sources whose text the fixes change, in input order.
    pub changes: Vec<Change>,
    /// Sources with findings whose fixes are not applied, and why.
    pub not_applied: Vec<NotApplied>,
}

/// The fixed text of one source.
#[derive(Debug)]
pub struct Change {
    /// The source's name, as reported.
    pub path: String,
    /// The file to rewrite; `None` for standard input (shown by `--diff` only).
    pub file: Option<PathBuf>,
    /// The bytes as read (with a byte order mark, if the file has one).
    original: Vec<u8>,
    /// The text as read and as fixed (without the byte order mark).
    pub before: String,
    pub after: String,
    /// How many fixes were applied, over all passes.
    pub fixes: usize,
}

/// A source whose findings have fixes hygiene does not apply.
#[derive(Debug)]
pub struct NotApplied {
    pub path: String,
    /// Findings with a fix in it.
    pub fixes: usize,
    pub reason: String,
}

impl FixPlan {
    /// Fixes applied in all.
    pub fn fixes(&self) -> usize {
        self.changes.iter().map(|change| change.fixes).sum()
    }
}

/// Works out the fixes of `analysis` (the run over `corpus`), reading and checking each fixed
/// text again with `engine` and the `options` it was read with. `in_place`: the fixes are to be
/// written, so sources that are not files on disk (a file inside a zip) are not applied.
pub fn plan(
    engine: &Engine,
    corpus: &Corpus,
    analysis: &Analysis,
    options: &ReadOptions,
    in_place: bool,
) -> Result<FixPlan> {
    let mut with_fix = vec![0; corpus.sources.len()];
    for (post, post_analysis) in corpus.posts.iter().zip(&analysis.posts) {
        with_fix[post.origin.source as usize] += post_analysis
            .findings()
            .iter()
            .filter(|finding| finding.fix.is_some())
            .count();
    }
    let mut plan = FixPlan::default();
    for (source, fixes) in corpus.sources.iter().zip(with_fix) {
        if fixes == 0 {
            continue;
        }
        // Readers keep the text of exactly the formats whose posts are verbatim slices of it,
        // unless asked to forget it (`ReadOptions::forget_originals`).
        let original = source
            .original
            .as_ref()
            .filter(|_| source.format.posts_are_verbatim());
        let reason = match original {
            None if !source.format.posts_are_verbatim() => format!(
                "not fixable in this format ({}): hygiene rewrites only plain text, .tweet and \
                 Markdown files",
                source.format.as_str()
            ),
            None => "not fixable: its text was not kept when it was read".to_string(),
            Some(_) if in_place && source.file.is_none() => {
                "not fixable in place: not a file on disk (inside an archive)".to_string()
            }
            Some(original) => {
                let before = input::decode_utf8(&source.path, original)?;
                let (after, applied) = fix_text(engine, source, before, options)?;
                if after != before {
                    plan.changes.push(Change {
                        path: source.path.clone(),
                        file: source.file.clone(),
                        original: original.clone(),
                        before: before.to_string(),
                        after,
                        fixes: applied,
                    });
                }
                continue;
            }
        };
        plan.not_applied.push(NotApplied {
            path: source.path.clone(),
            fixes,
            reason,
        });
    }
    Ok(plan)
}

/// `text` (the content of `source`) with the safe fixes of its posts applied in passes, and how
/// many fixes that took.
fn fix_text(
    engine: &Engine,
    source: &Source,
    text: &str,
    options: &ReadOptions,
) -> Result<(String, usize)> {
    let mut text = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_PASSES {
        let mut corpus = Corpus::default();
        let read = ReadOptions {
            format: Some(source.format),
            ..options.clone()
        };
        input::read_bytes(
            &mut corpus,
            source.path.clone(),
            text.as_bytes(),
            source.file.as_deref(),
            read,
        )
        .with_context(|| format!("{}: the fixed text no longer reads", source.path))?;
        let mut edits: Vec<Edit> = Vec::new();
        for (index, post) in corpus.posts.iter().enumerate() {
            let Some(offset) = input::post_offset(&text, post) else {
                continue;
            };
            for finding in engine
                .analyze_post(index, post, Some(source))
                .into_findings()
            {
                let Some(fix) = finding.fix else { continue };
                let moved: Vec<Edit> = fix
                    .edits
                    .into_iter()
                    .map(|edit| Edit {
                        range: offset + edit.range.start..offset + edit.range.end,
                        replacement: edit.replacement,
                    })
                    .collect();
                // A fix that touches an edit taken in this pass waits for the next one.
                if moved
                    .iter()
                    .any(|edit| edits.iter().any(|taken| taken.overlaps(edit)))
                {
                    continue;
                }
                edits.extend(moved);
                applied += 1;
            }
        }
        if edits.is_empty() {
            break;
        }
        edits.sort_by_key(|edit| edit.range.start);
        text = apply_edits(&text, &edits);
    }
    Ok((text, applied))
}

/// Writes `plan`'s changes as unified diffs, one per file, headed by its name. On a terminal,
/// control characters and bidirectional overrides in the text are shown escaped.
pub fn write_diff(plan: &FixPlan, terminal: bool, out: &mut dyn Write) -> io::Result<()> {
    for change in &plan.changes {
        let diff = similar::TextDiff::from_lines(&change.before, &change.after);
        let mut unified = diff.unified_diff();
        let text = unified
            .context_radius(3)
            .header(&change.path, &change.path)
            .to_string();
        if terminal {
            out.write_all(sanitize_for_terminal(&text, true).as_bytes())?;
        } else {
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// Writes `plan`'s changes to their files, each atomically. Every file is first checked to hold
/// what hygiene read; if one does not, nothing is written.
pub fn write(plan: &FixPlan) -> Result<()> {
    let mut files = Vec::with_capacity(plan.changes.len());
    for change in &plan.changes {
        let Some(file) = &change.file else {
            bail!(
                "{}: not a file, so it cannot be fixed in place",
                change.path
            );
        };
        check_unchanged(file, &change.path, &change.original)?;
        files.push(file);
    }
    for (change, file) in plan.changes.iter().zip(files) {
        let bom = &change.original[..change.original.len() - change.before.len()];
        let mut fixed = bom.to_vec();
        fixed.extend_from_slice(change.after.as_bytes());
        replace(file, &change.path, &change.original, &fixed)?;
    }
    Ok(())
}

/// Fails unless `file` holds exactly `expected`.
fn check_unchanged(file: &Path, name: &str, expected: &[u8]) -> Result<()> {
    let current = fs::read(file).with_context(|| format!("{name}: could not read it again"))?;
    if current != expected {
        bail!("{name}: the file changed since hygiene read it; nothing written to it, run again");
    }
    Ok(())
}

/// Replaces `file`, which must still hold `expected`, by `content`: a temporary file in the same
/// folder with the same permissions, renamed over it. A symbolic link stays a link: its target
/// is replaced. On any error the file is left as it was.
fn replace(file: &Path, name: &str, expected: &[u8], content: &[u8]) -> Result<()> {
    let context = || format!("{name}: could not write the fixes");
    let target = fs::canonicalize(file).with_context(context)?;
    let folder = target.parent().unwrap_or(Path::new("."));
    let permissions = fs::metadata(&target).with_context(context)?.permissions();
    let mut temporary = tempfile::NamedTempFile::new_in(folder).with_context(context)?;
    temporary.write_all(content).with_context(context)?;
    temporary
        .as_file()
        .set_permissions(permissions)
        .with_context(context)?;
    temporary.as_file().sync_all().with_context(context)?;
    // The last look before the rename: someone may have saved the file meanwhile.
    check_unchanged(&target, name, expected)?;
    temporary
        .persist(&target)
        .map_err(|error| error.error)
        .with_context(context)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("posts.txt");
        fs::write(&file, "edited meanwhile\n").unwrap();
        let error = replace(&file, "posts.txt", b"as read\n", b"fixed\n").unwrap_err();
        assert!(
            error.to_string().contains("changed since hygiene read it"),
            "{error}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "edited meanwhile\n");
        assert_eq!(
            fs::read_dir(folder.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }

    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("posts.txt");
        fs::write(&file, "as read\n").unwrap();
        let mut permissions = fs::metadata(&file).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&file, permissions.clone()).unwrap();
        replace(&file, "posts.txt", b"as read\n", b"fixed\n").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "fixed\n");
        assert_eq!(fs::metadata(&file).unwrap().permissions(), permissions);
    }
}
