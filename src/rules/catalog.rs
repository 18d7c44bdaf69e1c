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
        "engagement-bait",
        include_str!("../../rules/engagement-bait.toml"),
    ),
    (
        "excessive-hashtags",
        include_str!("../../rules/excessive-hashtags.toml"),
    ),
    (
        "excessive-mentions",
        include_str!("../../rules/excessive-mentions.toml"),
    ),
    (
        "excessive-self-promotion",
        include_str!("../../rules/excessive-self-promotion.toml"),
    ),
    (
        "fancy-unicode-text",
        include_str!("../../rules/fancy-unicode-text.toml"),
    ),
    ("follow-spam", include_str!("../../rules/follow-spam.toml")),
    (
        "generic-reply",
        include_str!("../../rules/generic-reply.toml"),
    ),
    (
        "invalid-characters",
        include_str!("../../rules/invalid-characters.toml"),
    ),
    (
        "link-only-post",
        include_str!("../../rules/link-only-post.toml"),
    ),
    (
        "link-shortener",
        include_str!("../../rules/link-shortener.toml"),
    ),
    (
        "lowercase-hashtag",
        include_str!("../../rules/lowercase-hashtag.toml"),
    ),
    (
        "missing-ad-disclosure",
        include_str!("../../rules/missing-ad-disclosure.toml"),
    ),
    (
        "missing-personal-responses",
        include_str!("../../rules/missing-personal-responses.toml"),
    ),
    ("over-length", include_str!("../../rules/over-length.toml")),
    ("post-burst", include_str!("../../rules/post-burst.toml")),
    (
        "repeated-replies",
        include_str!("../../rules/repeated-replies.toml"),
    ),
    ("shouting", include_str!("../../rules/shouting.toml")),
    (
        "tracking-parameters",
        include_str!("../../rules/tracking-parameters.toml"),
    ),
    (
        "unfilled-placeholder",
        include_str!("../../rules/unfilled-placeholder.toml"),
    ),
];
