//! The command line: clap definitions, and [`run`], which resolves arguments into settings and
//! drives the pipeline. The process itself (real stdin/stdout, exit codes) stays in `main.rs`;
//! [`run`] gets its streams handed in, so tests can drive it.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::baseline::{self, Baseline};
use crate::config::{self, Config, PathOverrides};
use crate::engine::{Analysis, Engine, EngineSettings, PostAnalysis};
use crate::finding::Severity;
use crate::fix;
use crate::input::{
    self, CsvColumns, InputPath, PostStream, ReadOptions, ReadProgress, Stdin, StdinReader,
    TextSplit,
};
use crate::man;
use crate::output;
use crate::post::{Corpus, InputFormat, Platform};
use crate::report::lines::{LineFormat, LinePrinter};
use crate::report::{self, OutputFormat, Report, ReportFormat};
use crate::rules::{self, OptionOverrides, RuleFile};
use crate::score::{self, Score, Tally};
use crate::text::sanitize_for_terminal;

/// A linter for social-media hygiene.
///
/// Reads posts, replies and direct messages (drafts, scheduled posts, exports) and says what
/// looks automated, spammy or self-centred, why, and what to do instead, with a score.
#[derive(Debug, Parser)]
#[command(name = "hygiene", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint posts and messages and print a scored report.
    Check(Box<CheckArgs>),
    /// List the rules.
    Rules(RulesArgs),
    /// Explain a rule: what it catches, why, examples and options.
    Explain(ExplainArgs),
    /// Write a commented starter `hygiene.toml`.
    Init(InitArgs),
    /// Print which configuration file a check of PATH would use, and what it sets.
    Config(ConfigArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff), every command's options included.
    #[command(after_help = "Install, e.g.: hygiene man > ~/.local/share/man/man1/hygiene.1")]
    Man,
}

/// Arguments of `hygiene completions`.
#[derive(Debug, Args)]
#[command(
    after_help = "Install, e.g.: hygiene completions bash > ~/.local/share/bash-completion/completions/hygiene"
)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Arguments of `hygiene config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The path a check would start from.
    #[arg(default_value = ".")]
    pub path: PathBuf,
}

/// Arguments of `hygiene init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write `hygiene.toml` in (never over an existing file).
    #[arg(default_value = ".")]
    pub directory: PathBuf,
}

/// Arguments of `hygiene check`.
#[derive(Debug, Args)]
#[command(
    after_help = "Standard input in plain text or JSON Lines is reported as it is read, a batch of \
posts at a time, with --format concise, jsonl or github when no account rule runs (--select post \
rules) and without -o, --statistics, --fix, --diff or --write-baseline; --input-format text or \
jsonl lets the first findings come before 64 KiB has arrived.

Exit status: 0 nothing at or above --fail-on and score not below --min-score; \
1 findings or score past those; 2 hygiene could not do its job (bad input, usage)."
)]
pub struct CheckArgs {
    /// Files, folders or .zip archives to check (exports, scheduled posts, JSON, JSON Lines,
    /// text); `-` reads standard input, as does no path when input is piped.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read inputs as this format instead of detecting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// How plain text is cut into posts: at lines that are exactly `---`, or one post per line.
    #[arg(long, value_enum, default_value = "separator")]
    pub split: TextSplit,

    /// The CSV column holding each post's text, for a CSV whose header hygiene does not know
    /// (a CSV with this column is read as posts).
    #[arg(long, value_name = "NAME")]
    pub text_column: Option<String>,

    /// The CSV column holding when each post was or will be published.
    #[arg(long, value_name = "NAME")]
    pub date_column: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,

    /// Write the report to this file instead of standard output (replaced whole, never left
    /// half written).
    #[arg(long, short, value_name = "FILE", conflicts_with = "diff")]
    pub output: Option<PathBuf>,

    /// Print only the summary, not each finding (human format).
    #[arg(long, short)]
    pub quiet: bool,

    /// Print how many findings each rule made, instead of the report.
    #[arg(long)]
    pub statistics: bool,

    /// Apply the safe fixes of findings to the files they came from (plain text, .tweet and
    /// Markdown files; never JSON, CSV, YAML or exports), each written atomically, then report
    /// what remains.
    #[arg(long, conflicts_with = "write_baseline")]
    pub fix: bool,

    /// Print the safe fixes as a unified diff per file instead of the report, writing nothing;
    /// exit 1 when there is something to fix.
    #[arg(long, conflicts_with_all = ["fix", "format", "quiet", "statistics", "write_baseline"])]
    pub diff: bool,

    /// Fail (exit 1) when a finding has at least this severity.
    #[arg(long, value_enum, default_value = "warning", value_name = "SEVERITY")]
    pub fail_on: Severity,

    /// Fail (exit 1) when the account score is below this (0-100).
    #[arg(long, value_name = "SCORE", value_parser = parse_score)]
    pub min_score: Option<f64>,

    /// Colour the human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,

    /// Record today's findings in this file (keyed by content), to pass to `--baseline`.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Leave out the findings this baseline records: report, score and fail on new ones only.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Read settings from this file instead of the `hygiene.toml` or `.hygiene.toml` found by
    /// walking up from the first path.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Run only these rules (repeatable, or comma-separated).
    #[arg(long, value_name = "RULE")]
    pub select: Vec<String>,

    /// Do not run these rules (repeatable, or comma-separated).
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,

    /// The platform of posts that do not say which they are for (drafts, text): platform
    /// limits and platform-aware defaults follow it.
    #[arg(long, value_enum, value_name = "PLATFORM")]
    pub platform: Option<Platform>,

    /// A domain of the account's own (repeatable): links to it make a post promotional.
    #[arg(long, value_name = "DOMAIN")]
    pub own_domain: Vec<String>,

    /// Judge messages the account received too (by default they are read and counted, but
    /// someone else's hygiene is not yours to fix).
    #[arg(long)]
    pub include_received: bool,

    /// Override an option of a rule, e.g. `excessive-self-promotion.share=0.5` (repeatable).
    #[arg(long, value_name = "RULE.KEY=VALUE")]
    pub rule_option: Vec<String>,
}

/// Arguments of `hygiene rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
}

/// Arguments of `hygiene explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, as `hygiene rules` lists it.
    pub rule: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

/// Rule ids from repeated and comma-separated flag values.
fn split_ids(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_score(value: &str) -> Result<f64, String> {
    let score: f64 = value
        .parse()
        .map_err(|_| format!("`{value}` is not a number"))?;
    if (0.0..=100.0).contains(&score) {
        Ok(score)
    } else {
        Err(format!("`{value}` is not between 0 and 100"))
    }
}

/// How a run ended, for the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: nothing at or above the fail level, score not below the minimum.
    Success,
    /// 1: findings or score past the thresholds.
    Failure,
}

/// The process's streams and what is known about them.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdin_is_terminal: bool,
    pub stdout: &'a mut dyn Write,
    pub stdout_is_terminal: bool,
    /// For notes that must stay out of stdout (`--diff` writes a patch there).
    pub stderr: &'a mut dyn Write,
    /// Whether `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// Whether a long `check` may show progress on stderr: stderr is a terminal and `CI` is not
    /// set. The options still decide (never with `--quiet`, or a machine format on stdout).
    pub progress: bool,
}

/// Runs a parsed command line. Errors mean hygiene could not do its job (exit 2).
pub fn run(cli: Cli, io: Io<'_>) -> Result<ExitStatus> {
    match cli.command {
        Command::Check(args) => check(*args, io),
        Command::Config(args) => {
            match config::find(&args.path) {
                Some(path) => {
                    let settings = config::load(&path)?;
                    writeln!(io.stdout, "# {}", path.display())?;
                    write!(io.stdout, "{}", toml::to_string(&settings)?)?;
                }
                None => writeln!(
                    io.stdout,
                    "# no hygiene.toml or .hygiene.toml in {} or above: defaults apply",
                    args.path.display()
                )?,
            }
            Ok(ExitStatus::Success)
        }
        Command::Init(args) => {
            let path = config::init(&args.directory)?;
            writeln!(io.stdout, "Wrote {}", path.display())?;
            Ok(ExitStatus::Success)
        }
        Command::Completions(args) => {
            // Generated into memory: clap_complete panics on a write error, and a closed pipe
            // is not an error.
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "hygiene", &mut script);
            io.stdout.write_all(&script)?;
            io.stdout.flush()?;
            Ok(ExitStatus::Success)
        }
        Command::Man => {
            man::write(io.stdout)?;
            io.stdout.flush()?;
            Ok(ExitStatus::Success)
        }
        Command::Rules(args) => {
            let engine = configured_engine()?;
            report::catalog::write_rules(&engine, args.format, io.stdout)?;
            Ok(ExitStatus::Success)
        }
        Command::Explain(args) => {
            let engine = configured_engine()?;
            let Some((_, rule)) = engine.rule(&args.rule) else {
                let known: Vec<&str> = engine.rules().iter().map(|rule| rule.id.as_str()).collect();
                bail!("unknown rule `{}` (rules: {})", args.rule, known.join(", "));
            };
            report::catalog::write_explanation(rule, io.stdout)?;
            Ok(ExitStatus::Success)
        }
    }
}

/// The configuration a run uses, with the rule files it makes: the built-in ones with its
/// severities and points, then its house rules.
struct Loaded {
    config: Config,
    files: Vec<RuleFile>,
    /// Rules its `[rules.<id>]` turn off.
    off: Vec<String>,
    options: OptionOverrides,
    overrides: PathOverrides,
}

/// Loads the configuration file named (`--config`), or found from `start`, unless `isolated`.
fn load_config(named: Option<&Path>, isolated: bool, start: &Path) -> Result<Loaded> {
    let path = match (named, isolated) {
        (_, true) => None,
        (Some(path), false) => Some(path.to_path_buf()),
        (None, false) => config::find(start),
    };
    let mut files = rules::builtin_rule_files()?;
    let Some(path) = path else {
        return Ok(Loaded {
            config: Config::default(),
            files,
            off: Vec::new(),
            options: OptionOverrides::new(),
            overrides: PathOverrides::default(),
        });
    };
    let config = config::load(&path)?;
    files.extend(config.load_rule_files(&path)?);
    let (off, options) = config.apply(&path, &mut files)?;
    let overrides = config.path_overrides(&path)?;
    Ok(Loaded {
        config,
        files,
        off,
        options,
        overrides,
    })
}

/// The engine `hygiene rules` and `hygiene explain` describe: the configuration's rules, found
/// from the current folder.
fn configured_engine() -> Result<Engine> {
    let loaded = load_config(None, false, Path::new("."))?;
    let settings = EngineSettings {
        options: loaded.options,
        ..EngineSettings::default()
    };
    Engine::new(&loaded.files, &settings)
}

fn check(args: CheckArgs, io: Io<'_>) -> Result<ExitStatus> {
    let start = args
        .paths
        .iter()
        .find(|path| path.as_os_str() != "-")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let Loaded {
        config,
        files,
        off,
        mut options,
        overrides,
    } = load_config(args.config.as_deref(), args.isolated, &start)?;
    for (rule, flags) in parse_rule_options(&args.rule_option)? {
        options.entry(rule).or_default().extend(flags);
    }
    let select = split_ids(&args.select);
    let settings = EngineSettings {
        options,
        own_domains: config
            .own_domains
            .iter()
            .chain(&args.own_domain)
            .cloned()
            .collect(),
        include_received: args.include_received || config.include_received,
        platform: args.platform.or(config.platform),
        select: if select.is_empty() {
            config.select.clone()
        } else {
            select
        },
        ignore: config
            .ignore
            .iter()
            .cloned()
            .chain(off)
            .chain(split_ids(&args.ignore))
            .collect(),
    };
    let inputs: Vec<InputPath> = if args.paths.is_empty() {
        vec![InputPath::Stdin]
    } else {
        args.paths
            .iter()
            .map(|path| {
                if path.as_os_str() == "-" {
                    InputPath::Stdin
                } else {
                    InputPath::File(path.clone())
                }
            })
            .collect()
    };
    let options = ReadOptions {
        format: args.input_format,
        split: args.split,
        columns: CsvColumns {
            text: args.text_column.clone(),
            date: args.date_column.clone(),
        },
        forget_originals: !(args.fix || args.diff),
    };
    let read = |stdin: &mut dyn Read, progress: &Progress| -> Result<Corpus> {
        progress.stage(format!(
            "reading {} input{}",
            inputs.len(),
            report::plural(inputs.len())
        ));
        let started = Instant::now();
        let mut corpus = input::read_all_with_progress(&inputs, options.clone(), stdin, &|read| {
            progress.reading(read, started);
        })?;
        overrides.apply(&mut corpus, args.platform.is_some());
        progress.checking(&corpus, started);
        Ok(corpus)
    };
    let mut stdin: StdinReader<'_> = std::io::Cursor::new(Vec::new()).chain(io.stdin);
    // Regular files and folders are read while the rules compile, on another core: reading
    // them does not need the rules (standard input does, to know whether it can be reported as
    // it is read). On a 5 MB archive each took about 30 ms. A problem with the rules is still
    // the one reported first, once the files are read; a pipe or device named on the command
    // line is not read ahead, as it may never end.
    let regular_files = inputs.iter().all(|input| match input {
        InputPath::File(path) => path.is_file() || path.is_dir(),
        InputPath::Stdin => false,
    });
    let (engine, read_files) = if !regular_files {
        (Engine::new(&files, &settings)?, None)
    } else {
        let progress = Progress::start(io.progress && shows_progress(&args));
        let (engine, corpus) = std::thread::scope(|scope| {
            let engine = scope.spawn(|| Engine::new(&files, &settings));
            let corpus = read(&mut std::io::empty(), &progress);
            (engine.join(), corpus)
        });
        let engine = engine.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        (engine, Some((corpus?, progress)))
    };
    if args.paths.is_empty() && io.stdin_is_terminal {
        bail!(
            "no input: give files to check, or pipe posts in (`cat posts.txt | hygiene check -`)"
        );
    }
    if args.fix && inputs.contains(&InputPath::Stdin) {
        bail!(
            "--fix cannot rewrite standard input: name the file instead, or use --diff to see the \
             fixes"
        );
    }
    let (corpus, progress) = match read_files {
        Some(read) => read,
        None => {
            // Standard input alone, a line format and post rules only: reported as it is read.
            if let Some(format) = streamed_format(&args)
                && inputs == [InputPath::Stdin]
                && !engine.needs_whole_corpus()
            {
                stdin = match input::open_stdin(io.stdin, &options)? {
                    Stdin::Stream(stream) => {
                        return check_streamed(
                            &args, &engine, &overrides, stream, format, io.stdout,
                        );
                    }
                    Stdin::Whole(stdin) => stdin,
                };
            }
            let progress = Progress::start(io.progress && shows_progress(&args));
            (read(&mut stdin, &progress)?, progress)
        }
    };
    let mut corpus = corpus;
    let analysis = match texts_released(&args, &corpus) {
        Some(keep) => engine.run_releasing_texts(&mut corpus, &|| progress.checked(), &keep),
        None => engine.run_with_progress(&corpus, &|| progress.checked()),
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => args.output.is_none() && io.stdout_is_terminal && !io.no_color,
    };
    if args.diff {
        let plan = fix::plan(&engine, &corpus, &analysis, &options, false)?;
        fix::write_diff(&plan, io.stdout_is_terminal, io.stdout)?;
        io.stdout.flush()?;
        write_fix_notes(&plan, io.stderr)?;
        return Ok(if plan.changes.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        });
    }
    // With --fix, the report is of the fixed files, read and checked again (as ruff does).
    let plan = if args.fix {
        Some(fix::plan(&engine, &corpus, &analysis, &options, true)?)
    } else {
        None
    };
    let (corpus, mut analysis) = match &plan {
        Some(plan) if !plan.changes.is_empty() => {
            fix::write(plan)?;
            let corpus = read(&mut stdin, &progress)?;
            let analysis = engine.run_with_progress(&corpus, &|| progress.checked());
            (corpus, analysis)
        }
        _ => (corpus, analysis),
    };
    if let Some(path) = &args.write_baseline {
        baseline::write(path, &engine, &corpus, &analysis)?;
    }
    if let Some(path) = &args.baseline {
        Baseline::load(path)?.apply(&engine, &corpus, &mut analysis);
    }
    progress.stage("scoring and writing the report".to_string());
    // Only the HTML report shows a score per month: other formats pay nothing for it.
    if args.format == ReportFormat::Html && !args.statistics {
        analysis.months = Some(engine.months(&corpus, &analysis));
    }
    let score = score::score(&engine, &corpus, &analysis);
    let report = Report {
        engine: &engine,
        corpus: &corpus,
        analysis: &analysis,
        score: &score,
        fixes: plan.as_ref(),
    };
    let print = |out: &mut dyn Write| match (args.statistics, args.quiet, args.format) {
        (true, _, _) => report::write_statistics(&report, out),
        (false, true, ReportFormat::Human) => report::human::write_summary(&report, color, out),
        _ => report::write(&report, args.format, color, out),
    };
    match &args.output {
        Some(path) => output::write_atomically(path, "the report", print)?,
        None => {
            progress.finish();
            print(io.stdout)?;
            io.stdout.flush()?;
        }
    }

    let status = exit_status(&args, report.has_findings_at(args.fail_on), &score);
    // Freeing every post and finding one at a time took a quarter of a second at a million
    // posts, after the report was out. The process exits next: a thread it does not wait for
    // frees them (and a caller that goes on, such as a test, still gets the memory back).
    // Where no thread can be made, they are freed here instead.
    let _ =
        std::thread::Builder::new().spawn(move || drop((engine, corpus, analysis, score, plan)));
    Ok(status)
}

/// How a check ended: failed when a finding is at or above `--fail-on` (`failing_findings`) or
/// the account score is below `--min-score`.
fn exit_status(args: &CheckArgs, failing_findings: bool, score: &Score) -> ExitStatus {
    let below_minimum = args.min_score.is_some_and(|minimum| score.value < minimum);
    if failing_findings || below_minimum {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// How much text a corpus holds before a check releases the texts its report does not read
/// ([`texts_kept`]). Releasing them means running the account checks that read texts before
/// the posts are analysed rather than beside them, which took a 5 MB X archive 64.5 -> 68.2 ms
/// (medians of 11) and a million posts 4.62 -> 4.81 s (3 runs), for memory that only counts
/// at scale: a million posts hold 159 MB of text, the 100,000 of the benchmark 16 MB.
const RELEASE_TEXTS_FROM: usize = 32 << 20;

/// What a check keeps of `corpus`'s texts, when it drops the others as the posts are analysed:
/// [`texts_kept`], from [`RELEASE_TEXTS_FROM`] bytes of text on.
fn texts_released(args: &CheckArgs, corpus: &Corpus) -> Option<KeepText> {
    texts_kept(args).filter(|_| corpus.text_bytes() >= RELEASE_TEXTS_FROM)
}

/// Whether a check reads the text of a post (judged for a platform, analysed) once it is
/// analysed. The platform is the one the post is judged for (its own, its file's or the run's),
/// not the post's own: `--platform` gives every post a length to report.
type KeepText = fn(Option<Platform>, &PostAnalysis) -> bool;

/// Which posts' texts a check reads once they are analysed, when not all: `keep(platform,
/// analysis)` says whether it reads the text of a post judged for `platform`. The others are
/// dropped as the posts are analysed (see [`Engine::run_releasing_texts`]): at a million posts
/// they are 159 MB. A report reads the texts of posts with a finding (to quote them, place them
/// in a text file, or count the chars of a fix), and the JSON report every length a platform
/// limits. The HTML report checks the account again month by month, SARIF places the evidence
/// of account findings in text files and fingerprints findings by their texts, as a baseline
/// does, and a fix rewrites the texts: all of them are kept for those. `None` keeps every text.
fn texts_kept(args: &CheckArgs) -> Option<KeepText> {
    if args.fix || args.diff || args.baseline.is_some() || args.write_baseline.is_some() {
        return None;
    }
    match args.format {
        _ if args.statistics => Some(|_, _| false),
        ReportFormat::Html | ReportFormat::Sarif => None,
        ReportFormat::Json => {
            Some(|platform, analysis| platform.is_some() || !analysis.findings().is_empty())
        }
        ReportFormat::Human
        | ReportFormat::Jsonl
        | ReportFormat::Concise
        | ReportFormat::Github
        | ReportFormat::Junit => Some(|_, analysis| !analysis.findings().is_empty()),
    }
}

/// How many posts a streamed check reads before checking them, at most: enough to keep every
/// core busy, few enough that memory stays small (the posts of finished batches are dropped).
/// Fewer when the input has given no more yet, so what has arrived is reported at once.
const STREAM_BATCH_POSTS: usize = 1024;

/// The line format a check may stream its report in, when it may: a line format to standard
/// output, and no option that needs every post or finding before it can print (`--fix`,
/// `--diff`, `--write-baseline`, `--statistics`); `-o` writes the file whole at the end anyway.
/// Whether the input and the rules allow it is for [`check`] to see.
fn streamed_format(args: &CheckArgs) -> Option<LineFormat> {
    let needs_every_post = args.fix
        || args.diff
        || args.write_baseline.is_some()
        || args.statistics
        || args.output.is_some();
    LineFormat::of(args.format).filter(|_| !needs_every_post)
}

/// Checks standard input a batch of posts at a time, when no enabled rule judges the account:
/// each batch's findings are printed (and flushed) as soon as it is checked, and its posts
/// dropped; the score counts them as they go. Lines, score and exit status are those of reading
/// the whole input first. A problem in the input stops the run (exit 2) after the findings of
/// the posts before it.
fn check_streamed(
    args: &CheckArgs,
    engine: &Engine,
    overrides: &PathOverrides,
    mut stream: Box<PostStream<'_>>,
    format: LineFormat,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let mut printer = LinePrinter::new(format);
    let mut tally = Tally::new(engine);
    let mut failing_findings = false;
    fn report<'a>(
        engine: &'a Engine,
        corpus: &'a Corpus,
        analysis: &'a Analysis,
        score: &'a Score,
    ) -> Report<'a> {
        Report {
            engine,
            corpus,
            analysis,
            score,
            fixes: None,
        }
    }
    // A problem in the input ends the stream after the findings before it, and after what
    // comes last (github's notices of unused suppressions among the posts printed).
    let ended = loop {
        let mut corpus = match stream.next_batch(STREAM_BATCH_POSTS) {
            Ok(Some(corpus)) => corpus,
            Ok(None) => break Ok(()),
            Err(error) => break Err(error),
        };
        overrides.apply(&mut corpus, args.platform.is_some());
        let mut analysis = engine.run_posts(&corpus);
        if let Some(baseline) = &baseline {
            baseline.apply(engine, &corpus, &mut analysis);
        }
        tally.add(engine, &corpus, &analysis, 0..corpus.posts.len());
        // The score so far: line printers print only post findings, never the account score.
        let score = score::score_tallied(engine, &tally, &analysis);
        let report = report(engine, &corpus, &analysis, &score);
        printer.posts(&report, out)?;
        out.flush()?;
        failing_findings |= report.has_findings_at(args.fail_on);
    };
    // No account rule runs, so the run as a whole has no account finding or outcome.
    let corpus = stream.end();
    let analysis = Analysis::default();
    let score = score::score_tallied(engine, &tally, &analysis);
    printer.finish(&report(engine, &corpus, &analysis, &score), out)?;
    out.flush()?;
    ended?;
    Ok(exit_status(args, failing_findings, &score))
}

/// Whether the options allow progress on stderr: not with `--quiet` or `--diff`, and not when a
/// machine format goes to stdout (a person reads the report on stdout only in the human format).
fn shows_progress(args: &CheckArgs) -> bool {
    !args.quiet && !args.diff && (args.output.is_some() || args.format == ReportFormat::Human)
}

/// Progress on stderr: the stage a run is in, with the time it has taken; while reading, the
/// files and posts read so far and the rate; while checking, the posts checked of all, with the
/// rate. Drawn only once the run has taken a second, so short runs print nothing; gone from the
/// terminal when the run ends or the report is printed.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// How long a run goes before the progress shows.
    const DELAY: Duration = Duration::from_secs(1);
    /// A stage: spinner, time taken, what is going on.
    const STAGE: &str = "{spinner} {elapsed:>3} {wide_msg}";
    /// Checking: posts checked of all, the rate since checking started and a bar.
    const CHECKING: &str = concat!(
        "{spinner} {elapsed:>3} checking {human_pos}/{human_len} posts ({rate}) {bar:20} ",
        "{wide_msg}"
    );

    fn start(enabled: bool) -> Progress {
        if !enabled {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(Progress::style(Progress::STAGE));
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Progress::DELAY);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Progress { bar: Some(bar) }
    }

    fn style(template: &str) -> ProgressStyle {
        ProgressStyle::with_template(template).expect("a valid template")
    }

    /// A stage without counts.
    fn stage(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_style(Progress::style(Progress::STAGE));
            bar.set_message(message);
        }
    }

    /// Reading, `read` so far, since `started`.
    fn reading(&self, read: ReadProgress, started: Instant) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "reading: {} post{} from {} file{} ({:.0} posts/s)",
                read.posts,
                report::plural(read.posts),
                read.files,
                report::plural(read.files),
                rate(read.posts, started)
            ));
        }
    }

    /// Checking `corpus`, read since `started`: counts posts as [`Progress::checked`] reports
    /// them.
    fn checking(&self, corpus: &Corpus, started: Instant) {
        if let Some(bar) = &self.bar {
            let (posts, files) = (corpus.posts.len(), corpus.sources.len());
            let checking = Instant::now();
            bar.set_style(Progress::style(Progress::CHECKING).with_key(
                "rate",
                move |state: &ProgressState, out: &mut dyn fmt::Write| {
                    let _ = write!(out, "{:.0} posts/s", rate(state.pos() as usize, checking));
                },
            ));
            bar.set_length(posts as u64);
            bar.set_position(0);
            bar.set_message(format!(
                "from {files} file{} (read at {:.0} posts/s)",
                report::plural(files),
                rate(posts, started)
            ));
        }
    }

    /// One more post checked; after the last, the account rules that need the posts' traits run
    /// (the others may still be running).
    fn checked(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if Some(bar.position()) == bar.length() {
                self.stage(format!(
                    "checking the account as a whole ({} posts)",
                    bar.position()
                ));
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Posts per second since `started`.
fn rate(posts: usize, started: Instant) -> f64 {
    posts as f64 / started.elapsed().as_secs_f64().max(1e-3)
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Writes what `--diff` found to fix, and the fixes it leaves as they are, as notes for people.
fn write_fix_notes(plan: &fix::FixPlan, out: &mut dyn Write) -> Result<()> {
    let fixes = plan.fixes();
    let files = plan.changes.len();
    if fixes > 0 {
        writeln!(
            out,
            "Would fix {fixes} finding{} in {files} file{}.",
            report::plural(fixes),
            report::plural(files)
        )?;
    }
    for skipped in &plan.not_applied {
        writeln!(
            out,
            "{}: {} finding{} with a fix left as is: {}.",
            sanitize_for_terminal(&skipped.path, false),
            skipped.fixes,
            report::plural(skipped.fixes),
            skipped.reason
        )?;
    }
    Ok(())
}

/// Parses `--rule-option RULE.KEY=VALUE` flags; a value is read as TOML (`0.5`, `true`,
/// `["a", "b"]`), or as a string when it is not valid TOML.
fn parse_rule_options(flags: &[String]) -> Result<OptionOverrides> {
    let mut overrides = OptionOverrides::new();
    for flag in flags {
        let context = || format!("--rule-option `{flag}`: expected RULE.KEY=VALUE");
        let (target, value) = flag
            .split_once('=')
            .ok_or_else(|| anyhow!("missing `=`"))
            .with_context(context)?;
        let (rule, key) = target
            .split_once('.')
            .ok_or_else(|| anyhow!("missing `.` between rule and option"))
            .with_context(context)?;
        let value = toml::from_str::<toml::Table>(&format!("value = {value}"))
            .ok()
            .and_then(|mut table| table.remove("value"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        overrides
            .entry(rule.trim().to_string())
            .or_default()
            .insert(key.trim().to_string(), value);
    }
    Ok(overrides)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::{Location, Origin, Post, PostKind};

    fn run_with(args: &[&str], stdin_is_terminal: bool) -> (Result<ExitStatus>, String) {
        let cli = Cli::try_parse_from(args).unwrap();
        let mut stdout = Vec::new();
        let result = run(
            cli,
            Io {
                stdin: &mut std::io::empty(),
                stdin_is_terminal,
                stdout: &mut stdout,
                stdout_is_terminal: false,
                stderr: &mut std::io::sink(),
                no_color: false,
                progress: false,
            },
        );
        (result, String::from_utf8(stdout).unwrap())
    }

    /// Every report a check writes with texts released ([`texts_kept`]) is the one it writes
    /// with every text kept, on inputs with findings quoted in text files, fixes, account
    /// findings with evidence, and posts with a platform.
    #[test]
    fn released_texts_are_texts_no_report_reads() {
        let files = rules::builtin_rule_files().unwrap();
        // A platform for every post, as `--platform` gives: the JSON report then reads the
        // length of each.
        let engines = [None, Some(Platform::X)].map(|platform| {
            let settings = EngineSettings {
                platform,
                ..EngineSettings::default()
            };
            (platform, Engine::new(&files, &settings).unwrap())
        });
        let inputs = [
            "fixtures/example-account.json",
            "fixtures/drafts.txt",
            "fixtures/tweets-one-per-line.txt",
            "fixtures/fix/drafts.json",
            "fixtures/fix/posts.txt",
            "fixtures/formats/x-archive",
            "fixtures/formats/mastodon",
        ]
        .map(|path| InputPath::File(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)));
        // An account finding whose evidence has no finding of its own, in a text file: SARIF
        // places the evidence by its text and fingerprints it by its text.
        let dir = std::env::temp_dir().join(format!("hygiene-released-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let repeated = dir.join("repeated.txt");
        let post = "Spent the morning pairing on the parser rewrite, and it finally reads the odd\n\
                    exports without a single special case. Small wins.";
        std::fs::write(
            &repeated,
            format!("{post}\n---\nCoffee first.\n---\n{post}\n"),
        )
        .unwrap();
        // The same, dated: the HTML report checks each month's posts again.
        let dated = dir.join("dated.jsonl");
        let line = |day: u32| {
            format!(
                r#"{{"text": "{}", "created_at": "2026-03-{day:02}T09:00:00Z"}}"#,
                post.replace('\n', " ")
            )
        };
        std::fs::write(&dated, format!("{}\n{}\n", line(2), line(9))).unwrap();
        let inputs: Vec<InputPath> = inputs
            .into_iter()
            .chain([InputPath::File(repeated), InputPath::File(dated)])
            .collect();
        let corpus =
            input::read_all(&inputs, ReadOptions::default(), &mut std::io::empty()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let mut released_any = false;
        for (platform, engine, format, extra) in engines.iter().flat_map(|(platform, engine)| {
            ReportFormat::value_variants()
                .iter()
                .flat_map(move |format| {
                    [&[][..], &["--statistics"]].map(|extra| (platform, engine, format, extra))
                })
        }) {
            let analysis = engine.run(&corpus);
            {
                let name = format.to_possible_value().unwrap();
                let argv = ["hygiene", "check", "x", "--format", name.get_name()]
                    .into_iter()
                    .chain(extra.iter().copied());
                let Command::Check(args) = Cli::try_parse_from(argv).unwrap().command else {
                    unreachable!()
                };
                let Some(keep) = texts_kept(&args) else {
                    continue;
                };
                let mut lean = corpus.clone();
                let lean_analysis = engine.run_releasing_texts(&mut lean, &|| {}, &keep);
                assert_eq!(lean_analysis, analysis, "{format:?}");
                released_any |= lean.posts.iter().any(|post| post.text.is_empty());
                let write = |corpus: &Corpus, analysis: &Analysis| {
                    let mut analysis = analysis.clone();
                    if args.format == ReportFormat::Html && !args.statistics {
                        analysis.months = Some(engine.months(corpus, &analysis));
                    }
                    let analysis = &analysis;
                    let score = score::score(engine, corpus, analysis);
                    let report = Report {
                        engine,
                        corpus,
                        analysis,
                        score: &score,
                        fixes: None,
                    };
                    let mut out = Vec::new();
                    match args.statistics {
                        true => report::write_statistics(&report, &mut out),
                        false => report::write(&report, args.format, false, &mut out),
                    }
                    .unwrap();
                    String::from_utf8(out).unwrap()
                };
                assert_eq!(
                    write(&lean, &lean_analysis),
                    write(&corpus, &analysis),
                    "{format:?} {extra:?} {platform:?}"
                );
                // A baseline keys each finding by its texts, evidence included: released,
                // an account finding's would change. So baselines keep every text, as fixes do.
                if platform.is_none() && !args.statistics && args.format == ReportFormat::Json {
                    let keys = |corpus: &Corpus| -> Vec<String> {
                        analysis
                            .account_findings
                            .iter()
                            .map(|finding| baseline::key(engine, corpus, finding))
                            .collect()
                    };
                    assert_ne!(keys(&lean), keys(&corpus));
                }
            }
        }
        assert!(released_any, "some texts are released");
        for flags in [
            &["--fix"][..],
            &["--diff"],
            &["--baseline", "b.json"],
            &["--write-baseline", "b.json"],
        ] {
            let argv = ["hygiene", "check", "x"].iter().chain(flags);
            let Command::Check(args) = Cli::try_parse_from(argv).unwrap().command else {
                unreachable!()
            };
            assert!(texts_kept(&args).is_none(), "{flags:?} keeps every text");
        }
    }

    /// A check drops texts from 32 MiB of text on, as its report allows, and not below.
    #[test]
    fn texts_are_released_at_scale_only() {
        let args = |format: &str| {
            let argv = ["hygiene", "check", "x", "--format", format];
            let Command::Check(args) = Cli::try_parse_from(argv).unwrap().command else {
                unreachable!()
            };
            args
        };
        let origin = Origin {
            source: 0,
            location: Location::Text { line: 1, column: 1 },
        };
        let corpus = |len: usize| Corpus {
            posts: vec![Post::new("a".repeat(len), PostKind::Post, origin)],
            ..Corpus::default()
        };
        let (small, large) = (corpus(RELEASE_TEXTS_FROM - 1), corpus(RELEASE_TEXTS_FROM));
        assert!(texts_released(&args("json"), &small).is_none());
        assert!(texts_released(&args("json"), &large).is_some());
        assert!(texts_released(&args("concise"), &large).is_some());
        assert!(texts_released(&args("sarif"), &large).is_none());
    }

    #[test]
    fn no_path_and_a_terminal_on_stdin_asks_for_input() {
        let (result, stdout) = run_with(&["hygiene", "check"], true);
        let error = result.unwrap_err().to_string();
        assert!(
            error.starts_with("no input: give files to check"),
            "{error}"
        );
        assert_eq!(stdout, "");
    }

    #[test]
    fn no_path_and_piped_stdin_reads_stdin() {
        let (result, stdout) = run_with(&["hygiene", "check"], false);
        assert_eq!(result.unwrap(), ExitStatus::Success);
        assert_eq!(stdout, "No posts found in <stdin>: nothing to check.\n");
    }

    #[test]
    fn rule_option_values_are_toml_or_strings() {
        let overrides = parse_rule_options(&[
            "a.share=0.5".to_string(),
            "a.label=plain words".to_string(),
            "b.list=[\"x\", \"y\"]".to_string(),
        ])
        .unwrap();
        assert_eq!(overrides["a"]["share"], toml::Value::Float(0.5));
        assert_eq!(
            overrides["a"]["label"],
            toml::Value::String("plain words".into())
        );
        assert_eq!(overrides["b"]["list"].as_array().unwrap().len(), 2);
        assert!(parse_rule_options(&["share=0.5".to_string()]).is_err());
        assert!(parse_rule_options(&["a.share".to_string()]).is_err());
    }

    #[test]
    fn progress_only_where_a_person_reads_the_report() {
        let shows = |args: &[&str]| {
            let mut argv = vec!["hygiene", "check"];
            argv.extend_from_slice(args);
            match Cli::try_parse_from(argv).unwrap().command {
                Command::Check(args) => shows_progress(&args),
                _ => unreachable!(),
            }
        };
        assert!(shows(&["x.json"]));
        assert!(shows(&["x.json", "--format", "html", "-o", "r.html"]));
        assert!(!shows(&["x.json", "--format", "json"]));
        assert!(!shows(&["x.json", "--format", "html"]));
        assert!(!shows(&["x.json", "--quiet"]));
        assert!(!shows(&["x.json", "--diff"]));
    }

    #[test]
    fn min_score_must_be_a_score() {
        assert!(parse_score("80").is_ok());
        assert!(parse_score("101").is_err());
        assert!(parse_score("high").is_err());
    }
}
