//! Plain text: posts separated by a line that is exactly `---`, or one post per non-blank line.
//!
//! A post's text is a verbatim slice of the input: blank lines around a post are not part of
//! it, and its line break is not either, but nothing inside is changed (a `\r` before an inner
//! line break stays). Its origin is the line it starts on, so every position inside the post
//! maps back to a line and column of the file.
//!
//! A line `# hygiene: allow RULE[, RULE…] -- reason` is not text: it suppresses those rules on
//! the post that starts after it (a `#` and a space is never a hashtag, so no post loses a line).

use anyhow::{Result, bail};

use crate::post::{Allow, Location, Origin, Post};

use super::{TextSplit, infer_kind};

/// What starts a suppression line (after leading spaces).
const DIRECTIVE: &str = "# hygiene:";
/// What a suppression line looks like, for errors.
const DIRECTIVE_FORM: &str = "`# hygiene: allow RULE[, RULE…] -- reason`";

/// Appends the posts of `content` to `posts`; `name` is the input's name in errors.
pub(super) fn read_text(
    name: &str,
    content: &str,
    split: TextSplit,
    source: u32,
    posts: &mut Vec<Post>,
) -> Result<()> {
    let mut lines = TextLines::new(split, source);
    for line in content.split_inclusive('\n') {
        lines.line(name, line, posts)?;
    }
    lines.finish(name, posts)
}

/// Plain text read a line at a time: what [`read_text`] does with a whole file, and what a
/// streamed standard input does with each line as it arrives. A post is appended once it is
/// complete: at its line with `--split lines`, at the `---` after it (or the end) otherwise.
#[derive(Debug)]
pub(super) struct TextLines {
    split: TextSplit,
    source: u32,
    /// Lines read so far.
    lines: usize,
    /// The post being read (separator mode): its text so far, verbatim from its first
    /// non-blank line, with the lines that followed it and their line breaks.
    block: Option<Block>,
    /// A suppression waiting for its post, and its line.
    allow: Option<(Allow, u32)>,
}

#[derive(Debug)]
struct Block {
    text: String,
    /// The line the post starts on.
    line: u32,
    /// Where its last non-blank line ends in `text` (without its line break): the post's end.
    end: usize,
}

impl TextLines {
    pub(super) fn new(split: TextSplit, source: u32) -> TextLines {
        TextLines {
            split,
            source,
            lines: 0,
            block: None,
            allow: None,
        }
    }

    /// Reads the next line, `raw_line` with its line break if it has one, and appends the post
    /// it completes, if any; `name` is the input's name in errors.
    pub(super) fn line(&mut self, name: &str, raw_line: &str, posts: &mut Vec<Post>) -> Result<()> {
        self.lines += 1;
        let line_number = u32::try_from(self.lines).unwrap_or(u32::MAX);
        let line = raw_line.strip_suffix('\n').unwrap_or(raw_line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(directive) = line.trim_start().strip_prefix(DIRECTIVE) {
            let place = format!("{name}:{line_number}");
            if self.block.is_some() {
                bail!(
                    "{place}: a suppression line must come before the post it is about, not inside it"
                );
            }
            if let Some((_, first)) = &self.allow {
                bail!(
                    "{place}: the post after line {first} already has a suppression line; list every rule on one line"
                );
            }
            self.allow = Some((
                parse_directive(directive).map_err(|error| anyhow::anyhow!("{place}: {error}"))?,
                line_number,
            ));
            return Ok(());
        }
        let blank = line.trim().is_empty();
        match self.split {
            TextSplit::Lines => {
                if !blank {
                    self.push(line.to_string(), line_number, posts);
                }
            }
            TextSplit::Separator => {
                if line == "---" {
                    self.end_block(posts);
                } else {
                    match &mut self.block {
                        Some(block) => {
                            if !blank {
                                block.end = block.text.len() + line.len();
                            }
                            block.text.push_str(raw_line);
                        }
                        None if !blank => {
                            self.block = Some(Block {
                                text: raw_line.to_string(),
                                line: line_number,
                                end: line.len(),
                            });
                        }
                        None => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// Appends the post still open at the end of the input; a suppression line with no post
    /// after it is an error.
    pub(super) fn finish(&mut self, name: &str, posts: &mut Vec<Post>) -> Result<()> {
        self.end_block(posts);
        if let Some((_, line)) = self.allow.take() {
            bail!("{name}:{line}: a suppression line with no post after it");
        }
        Ok(())
    }

    fn end_block(&mut self, posts: &mut Vec<Post>) {
        if let Some(Block {
            mut text,
            line,
            end,
        }) = self.block.take()
        {
            text.truncate(end);
            text.shrink_to_fit();
            self.push(text, line, posts);
        }
    }

    fn push(&mut self, text: String, line: u32, posts: &mut Vec<Post>) {
        let mut post = text_post(text, self.source, line);
        post.set_allow(self.allow.take().map(|(allow, _)| allow));
        posts.push(post);
    }
}

/// The rules and reason of a suppression line, after its `# hygiene:`.
fn parse_directive(directive: &str) -> Result<Allow, String> {
    let Some(rest) = directive.trim().strip_prefix("allow") else {
        return Err(format!("expected {DIRECTIVE_FORM}"));
    };
    let (rules, reason) = rest.split_once("--").unwrap_or((rest, ""));
    let rules: Vec<String> = rules
        .split([',', ' ', '\t'])
        .filter(|rule| !rule.is_empty())
        .map(str::to_string)
        .collect();
    if rules.is_empty() {
        return Err(format!("{DIRECTIVE_FORM}: name at least one rule"));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(format!(
            "{DIRECTIVE_FORM}: a suppression needs a reason after ` -- `, so the next reader knows why"
        ));
    }
    Ok(Allow {
        rules,
        reason: reason.to_string(),
    })
}

fn text_post(text: String, source: u32, line: u32) -> Post {
    let origin = Origin {
        source,
        location: Location::Text { line, column: 1 },
    };
    let kind = infer_kind(&text, false);
    Post::new(text, kind, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &str, split: TextSplit) -> Vec<(String, u32)> {
        let mut posts = Vec::new();
        read_text("in", content, split, 0, &mut posts).unwrap();
        posts
            .into_iter()
            .map(|post| match post.origin.location {
                Location::Text { line, .. } => (post.text.to_string(), line),
                Location::Record { .. } => unreachable!("text posts have text locations"),
            })
            .collect()
    }

    #[test]
    fn splits_on_separator_lines_and_keeps_inner_text() {
        let posts = read(
            "\nfirst\n  indented\n\n---\n---\r\nsecond\r\nline\r\n\n",
            TextSplit::Separator,
        );
        assert_eq!(
            posts,
            vec![
                ("first\n  indented".to_string(), 2),
                ("second\r\nline".to_string(), 7)
            ]
        );
    }

    #[test]
    fn separator_must_be_exactly_three_dashes() {
        let posts = read("a\n----\nb\n --- \nc", TextSplit::Separator);
        assert_eq!(posts, vec![("a\n----\nb\n --- \nc".to_string(), 1)]);
    }

    #[test]
    fn lines_mode_makes_every_non_blank_line_a_post() {
        let posts = read("one\r\n\n  \ntwo\n---", TextSplit::Lines);
        assert_eq!(
            posts,
            vec![
                ("one".to_string(), 1),
                ("two".to_string(), 4),
                ("---".to_string(), 5)
            ]
        );
    }

    #[test]
    fn empty_and_blank_inputs_have_no_posts() {
        assert!(read("", TextSplit::Separator).is_empty());
        assert!(read("\n \n---\n", TextSplit::Separator).is_empty());
        assert!(read("\n\n", TextSplit::Lines).is_empty());
    }

    fn read_allows(content: &str, split: TextSplit) -> Result<Vec<(String, Option<Allow>)>> {
        let mut posts = Vec::new();
        read_text("in", content, split, 0, &mut posts)?;
        Ok(posts
            .into_iter()
            .map(|post| (post.text.to_string(), post.allow().cloned()))
            .collect())
    }

    fn allow(rules: &[&str], reason: &str) -> Option<Allow> {
        Some(Allow {
            rules: rules.iter().map(|rule| rule.to_string()).collect(),
            reason: reason.to_string(),
        })
    }

    #[test]
    fn a_suppression_line_applies_to_the_next_post_and_is_not_text() {
        let content = "# hygiene: allow click-to-tweet, shouting -- a quote from our book\n\
                       Tweet this!\n---\nplain\n---\n  # hygiene: allow shouting -- the title\n\nBIG NEWS";
        assert_eq!(
            read_allows(content, TextSplit::Separator).unwrap(),
            vec![
                (
                    "Tweet this!".to_string(),
                    allow(&["click-to-tweet", "shouting"], "a quote from our book")
                ),
                ("plain".to_string(), None),
                ("BIG NEWS".to_string(), allow(&["shouting"], "the title")),
            ]
        );
        assert_eq!(
            read(
                "# hygiene: allow shouting -- the title\nBIG\nsmall",
                TextSplit::Lines
            ),
            vec![("BIG".to_string(), 2), ("small".to_string(), 3)]
        );
        assert_eq!(
            read_allows("# hygiene: allow a b -- why\nBIG\nsmall", TextSplit::Lines).unwrap()[0].1,
            allow(&["a", "b"], "why")
        );
    }

    #[test]
    fn misplaced_or_incomplete_suppression_lines_are_errors_at_their_line() {
        for (content, error) in [
            (
                "# hygiene: allow shouting\nBIG",
                "in:1: `# hygiene: allow RULE[, RULE…] -- reason`: a suppression needs a reason",
            ),
            (
                "# hygiene: allow -- why\nBIG",
                "in:1: `# hygiene: allow RULE[, RULE…] -- reason`: name at least one rule",
            ),
            (
                "# hygiene: ignore shouting -- why\nBIG",
                "in:1: expected `# hygiene: allow",
            ),
            (
                "BIG\n# hygiene: allow shouting -- why\n",
                "in:2: a suppression line must come before the post",
            ),
            (
                "one\n---\n# hygiene: allow shouting -- why\n",
                "in:3: a suppression line with no post after it",
            ),
            (
                "# hygiene: allow a -- x\n# hygiene: allow b -- y\nBIG",
                "in:2: the post after line 1 already has a suppression line",
            ),
        ] {
            let found = read_allows(content, TextSplit::Separator)
                .unwrap_err()
                .to_string();
            assert!(found.starts_with(error), "{content:?}: {found}");
        }
    }

    #[test]
    fn a_hashtag_line_is_text() {
        assert_eq!(
            read(
                "#hygiene: allow me to introduce myself",
                TextSplit::Separator
            ),
            vec![("#hygiene: allow me to introduce myself".to_string(), 1)]
        );
    }
}
