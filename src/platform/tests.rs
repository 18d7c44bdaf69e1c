use super::*;

// The functions under test, on a text (the crate hands them a post's `Entities`).
fn measure(text: &str, platform: Platform) -> Length {
    super::measure(&Entities::new(text), platform)
}

fn x_weighted_length(text: &str, emoji_parsing: bool, limit: usize) -> (usize, Option<usize>) {
    super::x_weighted_length(&Entities::new(text), emoji_parsing, limit)
}

#[test]
fn x_counts_cjk_as_two_and_emoji_sequences_as_two() {
    assert_eq!(measure("hello", Platform::X).value, 5);
    assert_eq!(measure("故人西辞", Platform::X).value, 8);
    // A family (7 code points), a flag, a skin-toned emoji and a keycap: 2 each.
    assert_eq!(measure("👨‍👩‍👧‍👦🇯🇵👍🏽1️⃣", Platform::X).value, 8);
    // Without emoji parsing (config v2) the family counts its parts: 4 × 2 + 3 ZWJ × 1.
    assert_eq!(x_weighted_length("👨‍👩‍👧‍👦", false, 280).0, 11);
    // Curly quotes and dashes are in the weight-1 ranges.
    assert_eq!(measure("“ok” — ‘yes’", Platform::X).value, 12);
}

#[test]
fn x_counts_links_as_23_and_marks_the_part_past_the_limit() {
    let text = format!(
        "{} https://example.com/a/very/long/path/that/is/long",
        "a".repeat(250)
    );
    let length = measure(&text, Platform::X);
    assert_eq!((length.value, length.limit), (274, 280));
    assert!(!length.is_over());
    let text = "é".repeat(281);
    let length = measure(&text, Platform::X);
    assert_eq!(length.value, 281);
    assert_eq!(length.over_at, Some(280 * 2));
    // A decomposed é is normalised first: one weighted character, not two.
    assert_eq!(measure("e\u{301}", Platform::X).value, 1);
    // A bare domain is a link on X; a one-label country-code domain without a path is not.
    assert_eq!(measure("see example.com", Platform::X).value, 27);
    assert_eq!(measure("see example.de", Platform::X).value, 14);
    assert_eq!(measure("mail ana@example.com", Platform::X).value, 20);
}

#[test]
fn bluesky_counts_graphemes_and_bytes() {
    // 300 family emoji: 300 graphemes, 7,500 bytes; the byte limit binds.
    let family = "👨‍👩‍👧‍👦".repeat(300);
    let length = measure(&family, Platform::Bluesky);
    assert_eq!(
        (length.value, length.limit, length.unit),
        (7500, 3000, Unit::Bytes)
    );
    assert_eq!(length.over_at, Some(25 * 120));
    // 300 of them would be fine by graphemes alone; 120 (3,000 bytes) fit both limits.
    let fits = "👨‍👩‍👧‍👦".repeat(120);
    let length = measure(&fits, Platform::Bluesky);
    assert_eq!(
        (length.value, length.unit, length.is_over()),
        (120, Unit::Graphemes, false)
    );
    // Combining marks belong to their letter.
    let text = "e\u{301}".repeat(301);
    let length = measure(&text, Platform::Bluesky);
    assert_eq!(
        (length.value, length.limit, length.unit),
        (301, 300, Unit::Graphemes)
    );
    assert_eq!(length.over_at, Some(300 * 3));
}

#[test]
fn mastodon_counts_links_as_23_and_remote_mentions_by_user() {
    let url = format!("https://example.org/{}", "p".repeat(100));
    assert_eq!(measure(&url, Platform::Mastodon).value, 23);
    assert_eq!(
        measure("hi @ana@mastodon.social", Platform::Mastodon).value,
        7
    );
    // Mastodon links only URLs with a scheme.
    assert_eq!(measure("example.com", Platform::Mastodon).value, 11);
    let text = format!("{} {url}", "a".repeat(480));
    let length = measure(&text, Platform::Mastodon);
    assert_eq!((length.value, length.limit), (504, 500));
    assert_eq!(length.over_at, Some(481));
}

#[test]
fn other_platforms_count_code_points() {
    assert_eq!(measure(&"a".repeat(501), Platform::Threads).value, 501);
    assert_eq!(measure("👍🏽", Platform::Linkedin).value, 2);
    assert_eq!(measure("x", Platform::Instagram).limit, 2200);
    assert_eq!(measure("x", Platform::Facebook).limit, 63_206);
}

#[test]
fn punycode_lengths_match_rfc_3492() {
    // RFC 3492 7.1 (A) Arabic (Egyptian): egbpdaj6bu4bxfgehfvwxn
    assert_eq!(
        punycode_length(
            "\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}"
        ),
        4 + "egbpdaj6bu4bxfgehfvwxn".len()
    );
    assert_eq!(punycode_length("bücher"), "xn--bcher-kva".len());
}

/// The parts of `text` at `ranges`.
fn slices<'t>(text: &'t str, ranges: &[std::ops::Range<usize>]) -> Vec<&'t str> {
    ranges.iter().map(|range| &text[range.clone()]).collect()
}

#[test]
fn hashtags_and_mentions_are_extracted_as_twitter_text_does() {
    let text = "#rust and #2024 and C# and a#b #日本語 https://x.com/#frag";
    let found = slices(text, Entities::new(text).hashtags());
    assert_eq!(found, ["#rust", "#日本語"]);
    // Links are looked for only when a tag does not follow white space: here after `(`, and
    // in a link without a scheme, after `/`.
    for (text, tags) in [
        ("#a then\u{3000}#b", &["#a", "#b"][..]),
        ("(#a) x.com/#frag", &["#a"][..]),
        // The fullwidth `＃` opens a hashtag too, in a text without `#`.
        ("新しい＃タグ です ＃rust", &["＃rust"][..]),
        ("＃タグ", &["＃タグ"][..]),
    ] {
        let found = slices(text, Entities::new(text).hashtags());
        assert_eq!(found, tags, "{text}");
    }
    let text = "@ana and ana@example.com and @bo@mastodon.social, see https://medium.com/@cy";
    let found = slices(text, Entities::new(text).mentions());
    assert_eq!(found, ["@ana", "@bo@mastodon.social"]);
    // So does the fullwidth `＠`, in a text without `@`.
    let text = "＠ana thanks";
    let found = slices(text, Entities::new(text).mentions());
    assert_eq!(found, ["＠ana"]);
}

/// twitter-text's weighted length, cluster by cluster: what [`x_weighted_length`] gives
/// while stepping over ASCII and lone punctuation without segmenting them.
fn by_clusters(text: &str, emoji_parsing: bool, limit: usize) -> (usize, Option<usize>) {
    let entities = Entities::new(text);
    let mut links = entities.urls().iter().peekable();
    let (mut total, mut over_at, mut skip_to) = (0, None, 0);
    for (offset, cluster) in text.grapheme_indices(true) {
        if offset < skip_to {
            continue;
        }
        total += if let Some(link) = links.next_if(|link| link.start <= offset) {
            skip_to = link.end;
            URL_LENGTH * 100
        } else if emoji_parsing && is_emoji_sequence(cluster) {
            200
        } else {
            cluster.nfc().map(x_char_weight).sum()
        };
        if total > limit * 100 && over_at.is_none() {
            over_at = Some(offset);
        }
    }
    (total / 100, over_at)
}

/// The weighted length walks ASCII and lone punctuation without segmenting them into grapheme
/// clusters; on texts where clusters, links, ASCII and punctuation meet, it equals walking
/// every cluster (twitter-text's way).
#[test]
fn weighted_length_skips_segmenting_ascii_without_changing_it() {
    let texts = [
        "plain words, nothing else",
        "e\u{301}te\u{301}",
        "line\r\nbreak\nand\rmore\r\n",
        "see example.com\u{301} now",
        "https://example.com/é?x=1 and www.example.org",
        "flags 🇯🇵🇺🇸🇯 and 👨‍👩‍👧 and 1\u{fe0f}\u{20e3}",
        "\u{600}a prepend, a\u{200d}b zwj",
        "故人西辞 mixed with ASCII",
        "it’s — “quoted” … † ‧ and ’\u{301} and —\r\n‘",
        "a\r\né and \r\n\u{301}",
        "",
        "a",
    ];
    for text in texts {
        for limit in [0, 3, 10, 280] {
            for emoji_parsing in [true, false] {
                assert_eq!(
                    x_weighted_length(text, emoji_parsing, limit),
                    by_clusters(text, emoji_parsing, limit),
                    "{text:?} at {limit}, emoji parsing: {emoji_parsing}"
                );
            }
        }
    }
}

proptest::proptest! {
    #[test]
    fn weighted_length_is_that_of_every_cluster_in_any_text(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "Z", "1", " ", ".", "/", "\r", "\n", "\r\n", "é", "e\u{301}", "\u{301}",
                "\u{200d}", "\u{fe0f}", "\u{600}", "🎉", "👍🏽", "🇫", "🇷", "中", "’", "“", "—",
                "…", "†", "\u{2028}", "\u{200f}", "\u{212b}", "https://", "example.com",
                "www.", "t.co/x",
            ]),
            0..30,
        ),
        limit in 0usize..40,
        emoji_parsing: bool,
    ) {
        let text = pieces.concat();
        proptest::prop_assert_eq!(
            x_weighted_length(&text, emoji_parsing, limit),
            by_clusters(&text, emoji_parsing, limit)
        );
    }
}

proptest::proptest! {
    /// Where the characters after each `://` that a host could hold are ASCII, the ASCII link
    /// pattern finds what the Unicode one finds.
    #[test]
    fn ascii_hosts_are_found_as_unicode_ones(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "https://", "HTTP://", "httpſ://", "://", "example", "co", "com", "x1", ".", "-",
                "_", "é", "ſ", "\u{212A}", "²", "\u{301}", "中", "’", "🎉", "/", "?", "#", ":80",
                " ", "\n", "@",
            ]),
            0..16,
        ),
    ) {
        let text = pieces.concat();
        // Neither pattern matches where its pre-check says it cannot.
        proptest::prop_assert!(may_hold_scheme_link(&text) || !URL_WITH_PROTOCOL.is_match(&text));
        proptest::prop_assert!(may_hold_bare_link(&text) || !URL_WITHOUT_PROTOCOL.is_match(&text));
        if ascii_hosts(&text) {
            let found = |regex: &Regex| -> Vec<Range<usize>> {
                regex.find_iter(&text).map(|found| found.range()).collect()
            };
                    proptest::prop_assert_eq!(found(&URL_WITH_PROTOCOL_ASCII), found(&URL_WITH_PROTOCOL));
        }
    }
}

#[test]
fn hosts_past_ascii_are_found_by_the_unicode_pattern() {
    for text in [
        "see https://café.example.com now",
        "https://пример.рф/путь",
        "https://ex²ample.com",
    ] {
        assert!(!ascii_hosts(text), "{text:?}");
    }
    for text in [
        "https://example.com/é?x=1 ✨",
        "“https://example.com”",
        "no link, café",
    ] {
        assert!(ascii_hosts(text), "{text:?}");
    }
    let text = "see https://café.example.com now";
    let found = slices(text, Entities::new(text).urls());
    assert_eq!(found, ["https://café.example.com"]);
}
