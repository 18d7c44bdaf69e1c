//! The rule files built into the binary. `rules/` is the source of truth; this list embeds it,
//! and a test checks the two agree both ways.

/// `(file stem, file contents)` of every built-in rule, sorted by id.
pub const BUILTIN_RULE_FILES: &[(&str, &str)] = &[
    ("auto-dm", include_str!("../../rules/auto-dm.toml")),
    (
        "click-to-tweet",
        include_str!("../../rules/click-to-tweet.toml"),
    ),
    (
        "duplicate-post",
        include_str!("../../rules/duplicate-post.toml"),
    ),
    (
        "excessive-self-promotion",
        include_str!("../../rules/excessive-self-promotion.toml"),
    ),
    (
        "missing-personal-responses",
        include_str!("../../rules/missing-personal-responses.toml"),
    ),
    ("post-burst", include_str!("../../rules/post-burst.toml")),
    (
        "repeated-replies",
        include_str!("../../rules/repeated-replies.toml"),
    ),
];
