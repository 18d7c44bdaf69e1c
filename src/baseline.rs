//! Baselines: adopt hygiene on a backlog and hold the line. `--write-baseline FILE` records
//! today's findings; `--baseline FILE` leaves out the findings it records, so only new ones are
//! reported, scored and can fail a run.
//!
//! A finding is keyed by its content, not its place, so editing or moving other posts does not
//! bring it back: the rule and the post's text (for an account finding, the texts of its
//! evidence). A key is a 64-bit FNV-1a hash in hex: stable across versions and platforms, and
//! no post text is copied into the file.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::engine::{Analysis, Engine};
use crate::finding::{Finding, Target};
use crate::post::Corpus;

const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    /// What made it, for people reading the file.
    tool: String,
    /// Keys of the recorded findings, sorted.
    findings: BTreeSet<String>,
}

/// The key of a finding: its rule and the text it is about. SARIF output publishes it as the
/// finding's fingerprint, so code scanning tracks a finding as the baseline does.
pub(crate) fn key(engine: &Engine, corpus: &Corpus, finding: &Finding) -> String {
    let mut hash = Fnv::default();
    hash.write(engine.rules()[finding.rule].id.as_bytes());
    match &finding.target {
        Target::Post { post, .. } => {
            hash.write(b"\0post\0");
            hash.write(corpus.posts[*post].text.as_bytes());
        }
        Target::Account { evidence } => {
            let mut texts: Vec<&str> = evidence
                .iter()
                .map(|&index| &*corpus.posts[index].text)
                .collect();
            texts.sort_unstable();
            hash.write(b"\0account");
            for text in texts {
                hash.write(b"\0");
                hash.write(text.as_bytes());
            }
        }
    }
    format!("{:016x}", hash.0)
}

/// Writes the baseline of `analysis` to `path`, atomically (a temporary file renamed).
pub fn write(path: &Path, engine: &Engine, corpus: &Corpus, analysis: &Analysis) -> Result<()> {
    let findings = analysis
        .posts
        .iter()
        .flat_map(|post| post.findings())
        .chain(&analysis.account_findings)
        .map(|finding| key(engine, corpus, finding))
        .collect();
    let file = BaselineFile {
        version: VERSION,
        tool: format!("hygiene {}", env!("CARGO_PKG_VERSION")),
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a baseline serializes");
    text.push('\n');
    crate::output::write_atomically(path, "the baseline", |out| out.write_all(text.as_bytes()))
}

/// The findings a baseline file records, by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    findings: BTreeSet<String>,
}

impl Baseline {
    /// Reads the baseline file at `path`.
    pub fn load(path: &Path) -> Result<Baseline> {
        let name = path.display();
        let text = fs::read_to_string(path)
            .with_context(|| format!("{name}: could not read the baseline"))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|error| {
            anyhow!(
                "{name}:{}:{}: not a hygiene baseline: {error}",
                error.line(),
                error.column()
            )
        })?;
        if file.version != VERSION {
            bail!(
                "{name}: baseline version {} (this hygiene reads version {VERSION})",
                file.version
            );
        }
        Ok(Baseline {
            findings: file.findings,
        })
    }

    /// Moves the findings the baseline records from `analysis` to `analysis.baselined`. Each
    /// finding is judged on its own, so a streamed run applies it to each batch.
    pub fn apply(&self, engine: &Engine, corpus: &Corpus, analysis: &mut Analysis) {
        let mut removed = Vec::new();
        let mut keep = |finding: &Finding| {
            let known = self.findings.contains(&key(engine, corpus, finding));
            if known {
                removed.push(finding.clone());
            }
            !known
        };
        for post in &mut analysis.posts {
            post.retain_findings(&mut keep);
        }
        analysis.account_findings.retain(&mut keep);
        analysis.baselined = removed;
    }
}

/// 64-bit FNV-1a.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        let hash = |text: &str| {
            let mut fnv = Fnv::default();
            fnv.write(text.as_bytes());
            fnv.0
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }
}
