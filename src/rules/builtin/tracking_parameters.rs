//! `tracking-parameters`: a link carries query parameters that only track (the campaign, ad or
//! newsletter a click came from, the person who shared it), in the text or among the expanded
//! targets an export gives. The fix takes them out of the links in the text: the page a link
//! leads to stays the same.

use std::collections::BTreeMap;
use std::ops::Range;

use anyhow::{Result, bail};
use serde::Deserialize;

use super::{PostCheck, PostHit, PostInput};
use crate::engine::normalize_host;
use crate::finding::{Applicability, Edit, Fix};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    /// Parameters that track on any site, matched without regard to case; a name ending in `*`
    /// is a prefix (`utm_*`).
    parameters: Vec<String>,
    /// Parameters that track only on some sites: name → hosts (each with its subdomains).
    site_parameters: BTreeMap<String, Vec<String>>,
}

#[derive(Debug)]
pub(super) struct TrackingParameters {
    /// Lowercase names, and whether each is a prefix.
    everywhere: Vec<(String, bool)>,
    /// Lowercase names with the hosts they track on.
    on_sites: Vec<(String, Vec<String>)>,
}

impl TrackingParameters {
    pub(super) fn new(options: Options) -> Result<Self> {
        let everywhere: Vec<(String, bool)> = options
            .parameters
            .iter()
            .map(|name| match name.strip_suffix('*') {
                Some(prefix) => (prefix.to_ascii_lowercase(), true),
                None => (name.to_ascii_lowercase(), false),
            })
            .collect();
        if everywhere.iter().any(|(name, _)| name.is_empty()) {
            bail!("option `parameters` has an empty name");
        }
        let on_sites: Vec<(String, Vec<String>)> = options
            .site_parameters
            .into_iter()
            .map(|(name, hosts)| {
                let hosts = hosts.iter().map(|host| normalize_host(host)).collect();
                (name.to_ascii_lowercase(), hosts)
            })
            .collect();
        if on_sites.iter().any(|(name, hosts)| {
            name.is_empty() || hosts.is_empty() || hosts.iter().any(String::is_empty)
        }) {
            bail!("option `site_parameters` needs names, each with at least one host");
        }
        Ok(TrackingParameters {
            everywhere,
            on_sites,
        })
    }

    /// Whether the query parameter `name` tracks on a link to `host`.
    fn tracks(&self, name: &str, host: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.everywhere.iter().any(|(listed, prefix)| {
            if *prefix {
                name.starts_with(listed.as_str())
            } else {
                name == *listed
            }
        }) || self.on_sites.iter().any(|(listed, hosts)| {
            name == *listed
                && hosts.iter().any(|site| {
                    host == site
                        || host
                            .strip_suffix(site.as_str())
                            .is_some_and(|rest| rest.ends_with('.'))
                })
        })
    }

    /// The tracking parameters of `link`, and the edit of it (offsets into `link`) that takes
    /// them out; `None` when it has none.
    fn strip(&self, link: &str) -> Option<(Vec<String>, Edit)> {
        let link = trim_link(link);
        let query_start = link.find('?')?;
        let query_end = link[query_start..]
            .find('#')
            .map_or(link.len(), |at| query_start + at);
        let host = normalize_host(link);
        let mut found = Vec::new();
        let mut kept = Vec::new();
        for pair in link[query_start + 1..query_end].split('&') {
            let name = pair.split('=').next().unwrap_or_default();
            if self.tracks(name, &host) {
                found.push(name.to_string());
            } else if !pair.is_empty() {
                kept.push(pair);
            }
        }
        if found.is_empty() {
            return None;
        }
        let replacement = if kept.is_empty() {
            String::new()
        } else {
            format!("?{}", kept.join("&"))
        };
        Some((
            found,
            Edit {
                range: query_start..query_end,
                replacement,
            },
        ))
    }
}

/// A link without the punctuation that ends the sentence around it ("see example.com/a?b=c.")
/// and without a closing bracket it does not open ("(see example.com/a?b=c)").
fn trim_link(link: &str) -> &str {
    let mut link = link;
    loop {
        let Some(last) = link.chars().next_back() else {
            return link;
        };
        let unbalanced = |open: char| link.matches(open).count() < link.matches(last).count();
        let trailing = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '’' | '”' | '…' => true,
            ')' => unbalanced('('),
            ']' => unbalanced('['),
            _ => false,
        };
        if !trailing {
            return link;
        }
        link = &link[..link.len() - last.len_utf8()];
    }
}

impl PostCheck for TrackingParameters {
    fn placeholders(&self) -> &'static [&'static str] {
        &["parameters"]
    }

    fn tunable(&self) -> &'static [&'static str] {
        &["parameters", "site_parameters"]
    }

    fn fix_summary(&self) -> Option<&'static str> {
        Some("takes the tracking parameters out of the links in the text; the pages stay the same")
    }

    fn check(&self, input: PostInput<'_>) -> Option<PostHit> {
        let text = &input.post.text;
        let mut first: Option<(Range<usize>, Vec<String>)> = None;
        let mut edits = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for range in input.links {
            let Some((found, edit)) = self.strip(&text[range.clone()]) else {
                continue;
            };
            for name in &found {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
            edits.push(Edit {
                range: range.start + edit.range.start..range.start + edit.range.end,
                replacement: edit.replacement,
            });
            let marked = range.start..range.start + trim_link(&text[range.clone()]).len();
            first.get_or_insert((marked, found));
        }
        if let Some((range, found)) = first {
            let title = match names.as_slice() {
                [one] => format!("remove the tracking parameter {one}"),
                _ => format!("remove the tracking parameters {}", names.join(", ")),
            };
            return Some(PostHit {
                range,
                values: vec![("parameters", found.join(", "))],
                fix: Some(Fix {
                    title,
                    edits,
                    applicability: Applicability::Safe,
                }),
            });
        }
        // An expanded target (an export's `t.co` link): flagged, but there is nothing in the
        // text to fix. Mark the link it most likely stands for, as `link-domains` does.
        let in_text = input.links;
        input
            .post
            .links()
            .iter()
            .enumerate()
            .find_map(|(index, target)| {
                let (found, _) = self.strip(target)?;
                let range = if in_text.len() == input.post.links().len() {
                    in_text[index].clone()
                } else {
                    in_text.first().cloned().unwrap_or(text.len()..text.len())
                };
                Some(PostHit {
                    range,
                    values: vec![("parameters", found.join(", "))],
                    fix: None,
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin::check_text;

    fn check() -> TrackingParameters {
        TrackingParameters::new(Options {
            parameters: ["utm_*", "fbclid"].map(String::from).to_vec(),
            site_parameters: BTreeMap::from([(
                "si".to_string(),
                vec!["youtube.com".to_string(), "youtu.be".to_string()],
            )]),
        })
        .unwrap()
    }

    /// The marked text, the parameters named, and the text once fixed.
    fn run(text: &str, links: &[&str]) -> Option<(String, String, Option<String>)> {
        let hit = check_text(&check(), text, links)?;
        Some((
            text[hit.range].to_string(),
            hit.values[0].1.clone(),
            hit.fix.map(|fix| fix.apply_to(text)),
        ))
    }

    #[test]
    fn tracking_parameters_go_and_the_others_stay() {
        let (marked, names, fixed) = run(
            "Read it: https://example.com/a?id=7&utm_source=news&UTM_Medium=mail#part.",
            &[],
        )
        .unwrap();
        assert_eq!(
            marked,
            "https://example.com/a?id=7&utm_source=news&UTM_Medium=mail#part"
        );
        assert_eq!(names, "utm_source, UTM_Medium");
        assert_eq!(
            fixed.as_deref(),
            Some("Read it: https://example.com/a?id=7#part.")
        );
    }

    #[test]
    fn every_link_of_the_post_is_fixed_at_once() {
        let (_, names, fixed) = run(
            "(see example.com/x?fbclid=Iw1) and https://youtu.be/abc?si=Qz&t=30",
            &[],
        )
        .unwrap();
        assert_eq!(names, "fbclid");
        assert_eq!(
            fixed.as_deref(),
            Some("(see example.com/x) and https://youtu.be/abc?t=30")
        );
    }

    #[test]
    fn site_parameters_track_only_on_their_sites() {
        assert!(run("https://example.com/search?si=1", &[]).is_none());
        assert!(run("https://music.youtube.com/watch?v=1&si=2", &[]).is_some());
        assert!(run("https://example.com/?utm=1&xutm_source=2", &[]).is_none());
    }

    #[test]
    fn expanded_targets_are_flagged_without_a_fix() {
        let (marked, names, fixed) = run(
            "New mugs https://t.co/AbC",
            &["https://shop.example/mugs?utm_campaign=spring"],
        )
        .unwrap();
        assert_eq!(
            (marked.as_str(), names.as_str(), fixed),
            ("https://t.co/AbC", "utm_campaign", None)
        );
    }
}
