//! The fixes rule files give their patterns (`fix = "remove"`): edits of a post's text computed
//! from the marked match, offered only when they are certain.

use std::ops::Range;

use crate::finding::Fix;
use crate::text::line_around;

/// Separators that join a prompt to the text before it ("A quote — Click to Tweet").
const SEPARATORS: [char; 8] = ['|', '•', '·', '–', '—', '-', '→', '»'];
/// Punctuation that closes a prompt ("Tweet this!", "Click to Tweet:").
const CLOSERS: [char; 4] = ['!', ':', '.', '…'];
/// What a sentence or a quotation ends with: a prompt after one starts apart from it.
const SENTENCE_ENDS: [char; 10] = ['.', '!', '?', '…', '"', '”', '’', '\'', ')', ']'];

/// Deletes the marked text of `text` when it stands apart from the sentences around it, with the
/// closing punctuation (`!`, `:`), brackets, separator and spacing that go with it.
///
/// It stands apart when it starts apart (at the start of its line, after the end of a sentence,
/// a quotation or a separator, or run onto the text with no space, as a blog's tweet box leaves
/// it) and ends apart (at the end of its line, or closed by punctuation or a bracket). "…past
/// self. Click to Tweet" loses " Click to Tweet"; "…load instantly!CLICK TO TWEET" loses "CLICK
/// TO TWEET"; "Please click to tweet this" is left alone, as is a match that spans lines or is
/// all there is.
pub(crate) fn remove_standalone(text: &str, marked: Range<usize>) -> Option<Fix> {
    let line = line_around(text, marked.start);
    let core = text.get(marked.clone())?;
    if marked.end > line.end || core.trim().is_empty() {
        return None;
    }
    let (mut start, mut end) = (marked.start, marked.end);
    let enclosed = matches!(
        (core.chars().next(), core.chars().next_back()),
        (Some('('), Some(')')) | (Some('['), Some(']'))
    );
    let rest = &text[end..line.end];
    let closers = rest.len() - rest.trim_start_matches(CLOSERS).len();
    end += closers;
    let mut closed = enclosed || closers > 0;
    let mut opened = enclosed;
    if let (Some(open), Some(close)) = (
        text[line.start..start].chars().next_back(),
        text[end..line.end].chars().next(),
    ) && matches!((open, close), ('(', ')') | ('[', ']'))
    {
        start -= open.len_utf8();
        end += close.len_utf8();
        (opened, closed) = (true, true);
    }

    let before = &text[line.start..start];
    let after = &text[end..line.end];
    let kept = before.trim_end();
    let starts_apart = opened
        || kept.is_empty()
        || kept.ends_with(SENTENCE_ENDS)
        || kept.ends_with(SEPARATORS)
        || kept.len() == before.len();
    if !starts_apart {
        return None;
    }
    let removal = if after.trim().is_empty() {
        // The prompt ends its line: take the spacing and separator before it, or the whole line.
        let kept = match kept.strip_suffix(SEPARATORS) {
            Some(rest) if rest.is_empty() || rest.ends_with(char::is_whitespace) => rest.trim_end(),
            _ => kept,
        };
        let previous = text[..line.start].trim_end();
        if !kept.is_empty() {
            line.start + kept.len()..line.end
        } else if !previous.is_empty() {
            // A line of its own: the line breaks (and blank lines) before it go with it.
            previous.len()..line.end
        } else {
            // The first line: the line breaks (and blank lines) after it go with it.
            let next = &text[line.end..];
            line.start..line.end + (next.len() - next.trim_start().len())
        }
    } else if closed {
        start..end + (after.len() - after.trim_start().len())
    } else {
        return None;
    };
    let left = [&text[..removal.start], &text[removal.end..]];
    if !left
        .iter()
        .any(|part| part.chars().any(char::is_alphanumeric))
    {
        return None;
    }
    let shown = core.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(Fix::safe(
        format!("remove “{shown}”"),
        removal,
        String::new(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` after removing `prompt` (its first occurrence), or `None` without a fix.
    fn remove(text: &str, prompt: &str) -> Option<String> {
        let start = text.find(prompt).expect("the prompt is in the text");
        remove_standalone(text, start..start + prompt.len()).map(|fix| fix.apply_to(text))
    }

    #[test]
    fn a_prompt_at_the_end_of_a_line_goes_with_its_spacing_and_separator() {
        assert_eq!(
            remove("Ship small. Click to Tweet", "Click to Tweet").as_deref(),
            Some("Ship small.")
        );
        assert_eq!(
            remove("Load it instantly!CLICK TO TWEET", "CLICK TO TWEET").as_deref(),
            Some("Load it instantly!")
        );
        assert_eq!(
            remove("React AppCLICK TO TWEET", "CLICK TO TWEET").as_deref(),
            Some("React App")
        );
        assert_eq!(
            remove("“Ship small” — Click to Tweet  ", "Click to Tweet").as_deref(),
            Some("“Ship small”")
        );
        assert_eq!(
            remove("A well-known quote | Tweet this!", "Tweet this").as_deref(),
            Some("A well-known quote")
        );
    }

    #[test]
    fn a_prompt_on_its_own_line_takes_the_line() {
        assert_eq!(
            remove(
                "Ship small.\r\nClick to Tweet\nThen more.",
                "Click to Tweet"
            )
            .as_deref(),
            Some("Ship small.\nThen more.")
        );
        assert_eq!(
            remove("Click to Tweet\r\n\nShip small.", "Click to Tweet").as_deref(),
            Some("Ship small.")
        );
        assert_eq!(
            remove("Ship small.\n\nTweet this!", "Tweet this").as_deref(),
            Some("Ship small.")
        );
    }

    #[test]
    fn a_closed_prompt_inside_a_line_goes_with_the_space_after_it() {
        assert_eq!(
            remove("Ship small. Tweet this! Then more.", "Tweet this").as_deref(),
            Some("Ship small. Then more.")
        );
        assert_eq!(
            remove("Click to Tweet: ship small.", "Click to Tweet").as_deref(),
            Some("ship small.")
        );
        assert_eq!(
            remove("Ship small (Tweet this!) and often.", "(Tweet this!)").as_deref(),
            Some("Ship small and often.")
        );
        assert_eq!(
            remove("Ship small [Click to Tweet] now", "Click to Tweet").as_deref(),
            Some("Ship small now")
        );
    }

    #[test]
    fn a_prompt_inside_a_sentence_or_alone_has_no_fix() {
        assert_eq!(
            remove("Please click to tweet this quote", "click to tweet"),
            None
        );
        assert_eq!(
            remove("Do not forget to Click to Tweet", "Click to Tweet"),
            None
        );
        assert_eq!(remove("A quote Click to Tweet", "Click to Tweet"), None);
        assert_eq!(remove("Click to Tweet this quote", "Click to Tweet"), None);
        assert_eq!(remove("  Click to Tweet! ", "Click to Tweet"), None);
        assert_eq!(
            remove("Ship small. Click to\nTweet", "Click to\nTweet"),
            None
        );
    }
}
