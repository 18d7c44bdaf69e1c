//! Mastodon exports: `outbox.json` (ActivityStreams) and `actor.json`.

use std::path::Path;

use anyhow::{Result, bail};

use super::ReadContext;
use crate::post::{InputFormat, Post};

/// The format of `content`, when it is a Mastodon outbox or actor.
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

/// The owner's actor URI, when `content` is an `actor.json`.
pub(super) fn owner_from_actor(_content: &str) -> Option<String> {
    None
}
