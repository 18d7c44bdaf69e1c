//! `link-domains`: a link goes to one of a list of domains (or a subdomain of one), in the text
//! or among the expanded targets an export gives (`Post::links`, such as the real target of an
//! X `t.co` link).

use std::ops::Range;

use anyhow::{Result, bail};
use serde::Deserialize;

use super::{PostCheck, PostHit, PostInput};
use crate::engine::normalize_host;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// Hosts to look for, lowercase, without scheme or `www.`.
    domains: Vec<String>,
}

#[derive(Debug)]
pub(super) struct LinkDomains {
    domains: Vec<String>,
}

impl LinkDomains {
    pub(super) fn new(options: Options) -> Result<Self> {
        let domains: Vec<String> = options
            .domains
            .iter()
            .map(|domain| normalize_host(domain))
            .collect();
        if domains.iter().any(String::is_empty) {
            bail!("option `domains` has an empty domain");
        }
        Ok(LinkDomains { domains })
    }

    /// The listed domain `link` goes to, if any.
    fn domain_of(&self, link: &str) -> Option<&str> {
        let host = normalize_host(link);
        self.domains
            .iter()
            .find(|domain| {
                host == **domain
                    || host
                        .strip_suffix(domain.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            })
            .map(String::as_str)
    }
}

impl PostCheck for LinkDomains {
    fn placeholders(&self) -> &'static [&'static str] {
        &["domain"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["domains"]
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let text = &input.post.text;
        let in_text = input.links;
        let hit = |range: Range<usize>, domain: &str| PostHit {
            range,
            values: vec![("domain", domain.to_string())],
            fix: None,
        };
        for range in in_text {
            // A path is needed: a bare "bit.ly" is talk about the service, not a link through it.
            let link = &text[range.clone()];
            let has_path = link
                .split_once("://")
                .map_or(link, |(_, rest)| rest)
                .split_once('/')
                .is_some_and(|(_, path)| !path.is_empty());
            if let Some(domain) = self.domain_of(link).filter(|_| has_path) {
                return Some(hit(range.clone(), domain));
            }
        }
        // An expanded target: mark the link in the text it most likely stands for (the same
        // position when the counts agree), else the place the text ends.
        for (index, target) in input.post.links().iter().enumerate() {
            if let Some(domain) = self.domain_of(target) {
                let range = if in_text.len() == input.post.links().len() {
                    in_text[index].clone()
                } else {
                    in_text.first().cloned().unwrap_or(text.len()..text.len())
                };
                return Some(hit(range, domain));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin::check_text;

    fn check(text: &str, links: &[&str]) -> Option<(String, String)> {
        let check = LinkDomains::new(Options {
            domains: ["bit.ly", "tinyurl.com", "ow.ly"]
                .map(String::from)
                .to_vec(),
        })
        .unwrap();
        let hit = check_text(&check, text, links)?;
        Some((text[hit.range].to_string(), hit.values[0].1.clone()))
    }

    #[test]
    fn shortened_links_in_the_text() {
        assert_eq!(
            check("read this 👉 https://bit.ly/3xYz ok", &[]),
            Some(("https://bit.ly/3xYz".into(), "bit.ly".into()))
        );
        assert!(check("café: HTTP://TinyURL.com/y8abc", &[]).is_some());
        assert!(check("ow.ly/AbC12 新しい", &[]).is_some());
    }

    #[test]
    fn expanded_targets_count_and_platform_wrappers_do_not() {
        assert_eq!(
            check(
                "two https://t.co/a and https://t.co/b",
                &["https://example.com/a", "https://bit.ly/b"]
            ),
            Some(("https://t.co/b".into(), "bit.ly".into()))
        );
        assert!(check("see https://t.co/abc", &["https://example.com/full/path"]).is_none());
    }

    #[test]
    fn look_alikes_and_talk_about_shorteners_are_not_links_through_them() {
        for text in [
            "notbit.ly/abc",
            "I stopped using bit.ly years ago",
            "https://example.com/bit.ly/abc",
            "https://bit.lyrics.example/song",
        ] {
            assert!(check(text, &[]).is_none(), "{text}");
        }
    }
}
