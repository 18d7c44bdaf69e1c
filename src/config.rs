//! The configuration file, `hygiene.toml` (or `.hygiene.toml`): found by walking up from the
//! first checked path, or named with `--config`; `--isolated` ignores it. It sets what the
//! command-line flags set (flags win), and per rule a severity (`off` turns it off), points and
//! options. Unknown keys and rules are errors naming the file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::finding::Severity;
use crate::post::{Corpus, Platform, SourceSettings};
use crate::rules::{self, OptionOverrides, RuleFile};

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

# Rule files of your own, in the format of hygiene's rules/ (files, or folders of *.toml),
# relative to this file.
# rule_files = ["house-rules"]

# Settings for some files only (globs relative to this file; `**` crosses folders): the
# platform of their posts that do not say, and rules that do not report on them.
#
# [[overrides]]
# files = ["linkedin/**"]
# platform = "linkedin"
#
# [[overrides]]
# files = ["newsletter/*.md"]
# ignore = ["click-to-tweet"]

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
    /// Rule files of the team's own, in the format of hygiene's `rules/`: files, or folders
    /// whose `*.toml` files are rules; relative to the configuration file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_files: Vec<PathBuf>,
    /// Per rule: severity, points, options.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleConfig>,
    /// Settings for the files matching some globs (relative to the configuration file), in
    /// order; where several match, the last one that sets a platform gives it, and ignores add up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

/// `[[overrides]]`: settings for some files only.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Globs of the files it applies to, relative to the configuration file's folder
    /// (`linkedin/**`, `**/*.thread.md`).
    pub files: Vec<String>,
    /// The platform of their posts that do not say which they are for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Rules that do not report on their posts (account rules still count them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
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
    config.path_overrides(path)?;
    Ok(config)
}

/// The `[[overrides]]` of a configuration file, ready to match files against.
#[derive(Debug, Clone, Default)]
pub struct PathOverrides {
    /// The configuration file's folder, which the globs are relative to.
    root: PathBuf,
    entries: Vec<(GlobSet, Override)>,
}

impl PathOverrides {
    /// What the overrides say about `file`: the last matching platform, and every matching
    /// ignore. A file outside the configuration file's folder matches nothing.
    pub fn settings_for(&self, file: &Path) -> SourceSettings {
        let mut settings = SourceSettings::default();
        let Some(relative) = fs::canonicalize(file)
            .ok()
            .and_then(|file| file.strip_prefix(&self.root).ok().map(Path::to_path_buf))
        else {
            return settings;
        };
        for (globs, entry) in &self.entries {
            if globs.is_match(&relative) {
                settings.platform = entry.platform.or(settings.platform);
                settings.ignore.extend(entry.ignore.iter().cloned());
            }
        }
        settings
    }

    /// Sets every file source's settings from the overrides; `keep_platform` (a `--platform`
    /// flag, which wins over the configuration) leaves platforms out.
    pub fn apply(&self, corpus: &mut Corpus, keep_platform: bool) {
        if self.entries.is_empty() {
            return;
        }
        for source in &mut corpus.sources {
            if let Some(file) = source.disk_path() {
                source.settings = self.settings_for(&file);
                if keep_platform {
                    source.settings.platform = None;
                }
            }
        }
    }
}

impl Config {
    /// Compiles the `[[overrides]]` globs; a bad glob is an error naming the file.
    pub fn path_overrides(&self, origin: &Path) -> Result<PathOverrides> {
        let mut entries = Vec::new();
        for (number, entry) in self.overrides.iter().enumerate() {
            let context = || format!("{}: [[overrides]] {}", origin.display(), number + 1);
            if entry.files.is_empty() {
                bail!("{}: `files` must list at least one glob", context());
            }
            let mut globs = GlobSetBuilder::new();
            for pattern in &entry.files {
                let glob = GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .build()
                    .with_context(context)?;
                globs.add(glob);
            }
            entries.push((globs.build().with_context(context)?, entry.clone()));
        }
        let root = origin
            .parent()
            .map(|folder| {
                if folder.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    folder
                }
            })
            .and_then(|folder| fs::canonicalize(folder).ok())
            .unwrap_or_default();
        Ok(PathOverrides { root, entries })
    }

    /// Reads the `rule_files` (relative to the configuration file `origin`): each a rule file,
    /// or a folder whose `*.toml` files are read in name order.
    pub fn load_rule_files(&self, origin: &Path) -> Result<Vec<RuleFile>> {
        let folder = origin.parent().unwrap_or(Path::new(""));
        let mut files = Vec::new();
        for listed in &self.rule_files {
            let path = folder.join(listed);
            let mut paths = Vec::new();
            if path.is_dir() {
                for entry in fs::read_dir(&path)
                    .with_context(|| format!("{}: could not read the folder", path.display()))?
                {
                    let entry_path = entry
                        .with_context(|| format!("{}: could not read the folder", path.display()))?
                        .path();
                    if entry_path.extension().is_some_and(|ext| ext == "toml") {
                        paths.push(entry_path);
                    }
                }
                paths.sort();
            } else if path.is_file() {
                paths.push(path);
            } else {
                bail!(
                    "{}: rule_files: {} is neither a rule file nor a folder of them",
                    origin.display(),
                    path.display()
                );
            }
            for path in paths {
                let name = path.display().to_string();
                let contents = fs::read_to_string(&path)
                    .with_context(|| format!("{name}: could not read the rule file"))?;
                files.push(rules::parse_rule_file(&name, &contents)?);
            }
        }
        Ok(files)
    }

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
        let lists = [("select", &self.select), ("ignore", &self.ignore)]
            .into_iter()
            .chain(
                self.overrides
                    .iter()
                    .map(|entry| ("[[overrides]] ignore", &entry.ignore)),
            );
        for (what, list) in lists {
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

    #[test]
    fn overrides_match_globs_relative_to_the_config_file() {
        let root = std::env::temp_dir().join(format!("hygiene-overrides-{}", std::process::id()));
        for folder in ["linkedin/2026", "x"] {
            fs::create_dir_all(root.join(folder)).unwrap();
        }
        for file in ["linkedin/2026/a.txt", "x/a.txt", "x/promo-1.txt"] {
            fs::write(root.join(file), "hello").unwrap();
        }
        let config: Config = toml::from_str(
            "[[overrides]]\nfiles = [\"linkedin/**\"]\nplatform = \"linkedin\"\n\
             [[overrides]]\nfiles = [\"*/promo-*.txt\", \"linkedin/*.txt\"]\nignore = [\"shouting\"]\n\
             [[overrides]]\nfiles = [\"x/promo-*\"]\nplatform = \"bluesky\"\nignore = [\"over-length\"]\n",
        )
        .unwrap();
        let overrides = config.path_overrides(&root.join("hygiene.toml")).unwrap();
        let settings = |file: &str| overrides.settings_for(&root.join(file));
        assert_eq!(
            settings("linkedin/2026/a.txt"),
            SourceSettings {
                platform: Some(Platform::Linkedin),
                ignore: vec![]
            }
        );
        assert_eq!(settings("x/a.txt"), SourceSettings::default());
        assert_eq!(
            settings("x/promo-1.txt"),
            SourceSettings {
                platform: Some(Platform::Bluesky),
                ignore: vec!["shouting".to_string(), "over-length".to_string()]
            }
        );
        // Outside the configuration file's folder nothing matches.
        assert_eq!(
            overrides.settings_for(&std::env::temp_dir()),
            SourceSettings::default()
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn bad_overrides_and_rule_files_are_errors_naming_the_file() {
        let origin = Path::new("posts/hygiene.toml");
        let error = |text: &str| {
            let config: Config = toml::from_str(text).unwrap();
            let mut files = crate::rules::builtin_rule_files().unwrap();
            config
                .path_overrides(origin)
                .and_then(|_| config.load_rule_files(origin))
                .and_then(|_| config.apply(origin, &mut files))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("[[overrides]]\nfiles = [\"a/[b\"]\n"),
            "posts/hygiene.toml: [[overrides]] 1"
        );
        assert_eq!(
            error("[[overrides]]\nfiles = []\n"),
            "posts/hygiene.toml: [[overrides]] 1: `files` must list at least one glob"
        );
        assert!(
            error("[[overrides]]\nfiles = [\"a\"]\nignore = [\"shoutin\"]\n").starts_with(
                "posts/hygiene.toml: [[overrides]] ignore: unknown rule `shoutin` (rules: "
            )
        );
        assert_eq!(
            error("rule_files = [\"no-such-folder\"]\n"),
            "posts/hygiene.toml: rule_files: posts/no-such-folder is neither a rule file nor a \
             folder of them"
        );
    }

    #[test]
    fn house_rules_load_from_a_folder_and_may_not_reuse_an_id() {
        let root = std::env::temp_dir().join(format!("hygiene-house-{}", std::process::id()));
        let folder = root.join("house");
        fs::create_dir_all(&folder).unwrap();
        let shouting = crate::rules::catalog::BUILTIN_RULE_FILES
            .iter()
            .find(|(stem, _)| *stem == "shouting")
            .unwrap()
            .1;
        fs::write(folder.join("copy.toml"), shouting).unwrap();
        fs::write(folder.join("notes.md"), "not a rule").unwrap();
        let config: Config = toml::from_str("rule_files = [\"house\"]\n").unwrap();
        let loaded = config.load_rule_files(&root.join("hygiene.toml")).unwrap();
        assert_eq!(loaded.len(), 1);
        assert_eq!(
            loaded[0].origin,
            folder.join("copy.toml").display().to_string()
        );
        let mut files = crate::rules::builtin_rule_files().unwrap();
        files.extend(loaded);
        let error = crate::engine::Engine::new(&files, &Default::default())
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            format!(
                "{}: rule `shouting` is already defined in rules/shouting.toml",
                folder.join("copy.toml").display()
            )
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
