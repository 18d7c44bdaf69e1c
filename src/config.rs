//! The configuration file, `hygiene.toml` (or `.hygiene.toml`): found by walking up from the
//! first checked path, or named with `--config`; `--isolated` ignores it. It sets what the
//! command-line flags set (flags win), and per rule a severity (`off` turns it off), points and
//! options. Unknown keys and rules are errors naming the file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::post::Platform;
use crate::rules::{OptionOverrides, RuleFile};

/// File names looked for in each directory, in this order.
pub const FILE_NAMES: [&str; 2] = ["hygiene.toml", ".hygiene.toml"];

/// What `hygiene init` writes: every setting, commented, at its default.
pub const STARTER: &str = r#"# hygiene settings for the posts in this folder and below (see "Configuration" in hygiene's
# README). Command-line flags win over these.

# The platform of posts that do not say which they are for (drafts, text files):
# x, bluesky, mastodon, threads, linkedin, instagram or facebook.
# platform = "x"

# Your own sites: a link to one of them makes a post promotional.
own_domains = []

# Run only these rules (empty: all of them), and never these. `hygiene rules` lists them.
select = []
ignore = []

# Judge direct messages the account received, too (they are someone else's hygiene).
include_received = false

# Per rule: severity (off, info, warning or error), points, and options as
# `hygiene explain <rule>` lists them.
#
# [rules.generic-reply]
# severity = "info"
#
# [rules.excessive-self-promotion.options]
# share = 0.5
"#;

/// Writes [`STARTER`] to `directory/hygiene.toml`, never over an existing file.
pub fn init(directory: &Path) -> Result<PathBuf> {
    let path = directory.join(FILE_NAMES[0]);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("{}: could not create the file", path.display()))?;
    std::io::Write::write_all(&mut file, STARTER.as_bytes())
        .with_context(|| format!("{}: could not write the file", path.display()))?;
    Ok(path)
}

/// The contents of a configuration file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The platform of posts that do not say (`--platform`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// The account's own domains (`--own-domain`).
    #[serde(default)]
    pub own_domains: Vec<String>,
    /// Run only these rules (`--select` replaces this list).
    #[serde(default)]
    pub select: Vec<String>,
    /// Do not run these rules (`--ignore` adds to this list).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Judge received messages too (`--include-received`).
    #[serde(default)]
    pub include_received: bool,
    /// Per rule: severity, points, options.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleConfig>,
}

/// What a configuration file says about one rule.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Options of the rule's check, as `--rule-option` sets them.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub options: toml::Table,
}

/// A rule's severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

/// The configuration file for a run that checks `start`: the first of [`FILE_NAMES`] in
/// `start`'s directory or the nearest directory above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = if start.is_dir() {
        start
    } else {
        start.parent()?
    };
    let start = fs::canonicalize(start).ok()?;
    start.ancestors().find_map(|directory| {
        FILE_NAMES
            .iter()
            .map(|name| directory.join(name))
            .find(|path| path.is_file())
    })
}

/// Reads and parses a configuration file; errors name it (and the line and column for TOML).
pub fn load(path: &Path) -> Result<Config> {
    let name = path.display();
    let text = fs::read_to_string(path)
        .with_context(|| format!("{name}: could not read the configuration file"))?;
    let config: Config = toml::from_str(&text).map_err(|error| anyhow!("{name}: {error}"))?;
    for (id, rule) in &config.rules {
        if let Some(points) = rule.points
            && !(points.is_finite() && (0.0..=100.0).contains(&points))
        {
            bail!("{name}: [rules.{id}] `points` must be between 0 and 100, found {points}");
        }
    }
    Ok(config)
}

impl Config {
    /// Applies the per-rule severities and points to `files`, and returns the rules turned
    /// off and the options to override; a rule the catalogue does not have is an error.
    pub fn apply(
        &self,
        origin: &Path,
        files: &mut [RuleFile],
    ) -> Result<(Vec<String>, OptionOverrides)> {
        let known: Vec<String> = files.iter().map(|file| file.spec.id.clone()).collect();
        let unknown = |what: &str, id: &str| {
            anyhow!(
                "{}: {what}: unknown rule `{id}` (rules: {})",
                origin.display(),
                known.join(", ")
            )
        };
        for (what, list) in [("select", &self.select), ("ignore", &self.ignore)] {
            if let Some(id) = list.iter().find(|id| !known.contains(id)) {
                return Err(unknown(what, id));
            }
        }
        let mut off = Vec::new();
        let mut options = OptionOverrides::new();
        for (id, rule) in &self.rules {
            let Some(file) = files.iter_mut().find(|file| file.spec.id == *id) else {
                return Err(unknown("[rules]", id));
            };
            match rule.severity {
                Some(Level::Off) => off.push(id.clone()),
                Some(Level::Info) => file.spec.severity = Severity::Info,
                Some(Level::Warning) => file.spec.severity = Severity::Warning,
                Some(Level::Error) => file.spec.severity = Severity::Error,
                None => {}
            }
            if let Some(points) = rule.points {
                file.spec.points = points;
            }
            if !rule.options.is_empty() {
                options.insert(id.clone(), rule.options.clone());
            }
        }
        Ok((off, options))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_naming_the_file_and_place() {
        let dir = std::env::temp_dir().join(format!("hygiene-config-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("hygiene.toml");
        fs::write(&path, "platform = \"x\"\nplatfrom = \"y\"\n").unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.starts_with(&format!("{}: TOML parse error at line 2", path.display())));
        assert!(error.contains("unknown field `platfrom`"), "{error}");
        fs::write(&path, "[rules.auto-dm]\npoints = 500\n").unwrap();
        assert!(
            load(&path)
                .unwrap_err()
                .to_string()
                .contains("between 0 and 100")
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rule_settings_apply_and_unknown_rules_name_the_file() {
        let origin = Path::new("posts/hygiene.toml");
        let config: Config = toml::from_str(
            "[rules.shouting]\nseverity = \"off\"\n\
             [rules.generic-reply]\nseverity = \"info\"\npoints = 2\n\
             [rules.excessive-hashtags.options]\nx = 1\n",
        )
        .unwrap();
        let mut files = crate::rules::builtin_rule_files().unwrap();
        let (off, options) = config.apply(origin, &mut files).unwrap();
        assert_eq!(off, ["shouting"]);
        assert_eq!(options["excessive-hashtags"]["x"].as_integer(), Some(1));
        let generic = files
            .iter()
            .find(|file| file.spec.id == "generic-reply")
            .unwrap();
        assert_eq!(
            (generic.spec.severity, generic.spec.points),
            (Severity::Info, 2.0)
        );

        for (text, what) in [
            ("[rules.no-such-rule]\n", "[rules]"),
            ("select = [\"no-such-rule\"]\n", "select"),
            ("ignore = [\"no-such-rule\"]\n", "ignore"),
        ] {
            let config: Config = toml::from_str(text).unwrap();
            let error = config.apply(origin, &mut files).unwrap_err().to_string();
            assert!(
                error.starts_with(&format!(
                    "posts/hygiene.toml: {what}: unknown rule `no-such-rule` (rules: auto-dm,"
                )),
                "{error}"
            );
        }
    }

    #[test]
    fn the_starter_file_is_valid_and_never_overwritten() {
        let config: Config = toml::from_str(STARTER).unwrap();
        assert!(config.rules.is_empty() && config.platform.is_none());
        let dir = std::env::temp_dir().join(format!("hygiene-init-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = init(&dir).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), STARTER);
        fs::write(&path, "mine").unwrap();
        assert!(init(&dir).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "mine");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn is_found_in_the_nearest_directory_above() {
        let root = std::env::temp_dir().join(format!("hygiene-find-{}", std::process::id()));
        let nested = root.join("posts/linkedin");
        fs::create_dir_all(&nested).unwrap();
        fs::write(root.join(".hygiene.toml"), "").unwrap();
        fs::write(nested.join("a.txt"), "hello").unwrap();
        let found = find(&nested.join("a.txt")).unwrap();
        assert_eq!(found, fs::canonicalize(root.join(".hygiene.toml")).unwrap());
        fs::write(root.join("posts/hygiene.toml"), "").unwrap();
        let found = find(&nested).unwrap();
        assert_eq!(
            found,
            fs::canonicalize(root.join("posts/hygiene.toml")).unwrap()
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
