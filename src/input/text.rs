//! Plain text: posts separated by a line that is exactly `---`, or one post per non-blank line.
//!
//! A post's text is a verbatim slice of the input: blank lines around a post are not part of
//! it, and its line break is not either, but nothing inside is changed (a `\r` before an inner
//! line break stays). Its origin is the line it starts on, so every position inside the post
//! maps back to a line and column of the file.

use crate::post::{Location, Origin, Post};

use super::{TextSplit, infer_kind};

/// Appends the posts of `content` to `posts`.
pub(super) fn read_text(content: &str, split: TextSplit, source: usize, posts: &mut Vec<Post>) {
    let mut block: Option<(usize, u32, usize)> = None; // (byte start, line, byte end of last non-blank line)
    let mut offset = 0;
    for (index, raw_line) in content.split_inclusive('\n').enumerate() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = raw_line.strip_suffix('\n').unwrap_or(raw_line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line_start = offset;
        offset += raw_line.len();
        let blank = line.trim().is_empty();
        match split {
            TextSplit::Lines => {
                if !blank {
                    posts.push(text_post(line, source, line_number));
                }
            }
            TextSplit::Separator => {
                if line == "---" {
                    if let Some((start, first_line, end)) = block.take() {
                        posts.push(text_post(&content[start..end], source, first_line));
                    }
                } else if !blank {
                    let end = line_start + line.len();
                    match &mut block {
                        Some((_, _, block_end)) => *block_end = end,
                        None => block = Some((line_start, line_number, end)),
                    }
                }
            }
        }
    }
    if let Some((start, first_line, end)) = block {
        posts.push(text_post(&content[start..end], source, first_line));
    }
}

fn text_post(text: &str, source: usize, line: u32) -> Post {
    let origin = Origin {
        source,
        location: Location::Text { line, column: 1 },
    };
    Post::new(text.to_string(), infer_kind(text, false), origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &str, split: TextSplit) -> Vec<(String, u32)> {
        let mut posts = Vec::new();
        read_text(content, split, 0, &mut posts);
        posts
            .into_iter()
            .map(|post| match post.origin.location {
                Location::Text { line, .. } => (post.text, line),
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
}
