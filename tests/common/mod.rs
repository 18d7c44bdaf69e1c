//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test binary uses a different part

use hygiene::input::infer_kind;
use hygiene::post::{Corpus, InputFormat, Location, Origin, Post, PostKind, Source};

/// A post as a reader would produce it from a JSON record, kind inferred when not given.
pub fn post(text: &str, kind: Option<PostKind>, to: Option<&str>, record: usize) -> Post {
    Post {
        id: None,
        text: text.to_string(),
        kind: kind.unwrap_or_else(|| infer_kind(text, false)),
        to: to.map(str::to_string),
        in_reply_to: None,
        created_at: None,
        platform: None,
        origin: Origin {
            source: 0,
            location: Location::Record {
                record: record as u32 + 1,
                line: None,
            },
        },
    }
}

/// A corpus of `posts` from one source called `name`.
pub fn corpus(name: &str, posts: Vec<Post>) -> Corpus {
    Corpus {
        sources: vec![Source {
            path: name.to_string(),
            format: InputFormat::Json,
            posts: posts.len(),
        }],
        posts,
    }
}

/// `../shared`, where the team's shared samples live, if this checkout has it.
pub fn shared_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.is_dir().then_some(dir)
}
