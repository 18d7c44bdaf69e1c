//! X (Twitter) account archives: `tweets.js`, `tweet.js`, `note-tweet.js`, `direct-messages.js`, `direct-messages-group.js`, `account.js`.

use std::path::Path;

use anyhow::{Result, bail};

use super::ReadContext;
use crate::post::{InputFormat, Post};

/// The format of `content`, when it is an X archive file.
pub(super) fn sniff(_path: Option<&Path>, _content: &str) -> Option<InputFormat> {
    None
}

/// Appends the posts of `content` (in `format`) to `posts`.
pub(super) fn read(
    format: InputFormat,
    context: ReadContext<'_>,
    _content: &str,
    _posts: &mut Vec<Post>,
) -> Result<()> {
    bail!(
        "{}: reading {} is not written yet",
        context.name,
        format.as_str()
    )
}

/// The owner's account id and username, when `content` is an `account.js`.
pub(super) fn owner_from_account_js(_content: &str) -> Option<(String, String)> {
    None
}

/// Replaces the truncated text of long posts read from `posts[from..]` with the full text of
/// their `note-tweet.js` twins read in the same group, dropping the twins.
pub(super) fn merge_note_tweets(_posts: &mut Vec<Post>, _from: usize) {}
