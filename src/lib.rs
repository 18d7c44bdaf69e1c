//! hygiene: a linter for social-media hygiene.
//!
//! It reads posts, replies and direct messages (drafts, scheduled posts, account exports) and
//! says, post by post and for the account as a whole, what looks automated, spammy or
//! self-centred, why, and what to do instead, with a score to gate on.
//!
//! Data flows one way:
//!
//! ```text
//! cli::CheckArgs ─► input::read_all ─► Corpus of Post       all fallible I/O, before any rule
//!                   rules (rule files) ─► Engine::new       compile: the last fallible step
//!                   Engine::run(&Corpus) ─► Analysis        traits + findings, infallible
//!                   Engine::months(...) ─► Analysis::months  account checks per month (HTML)
//!                   score::score(...) ─► Score              pure, explainable
//!                   report::write(&Report, format, out)     printers only write
//!                   exit status from findings, score and --fail-on
//!
//! with --fix / --diff:  fix::plan(...) ─► FixPlan          fixes of verbatim text, in passes
//!                       fix::write (atomic) | fix::write_diff, then read and check again
//!
//! standard input, line formats, no account rule: the same stages a batch at a time
//!                       input::open_stdin ─► PostStream::next_batch ─► Corpus (one batch)
//!                       Engine::run_posts ─► Analysis       per-post part, infallible
//!                       score::Tally::add, score_tallied    counts add up over batches
//!                       LinePrinter::posts per batch, LinePrinter::finish at the end
//! ```
//!
//! A streamed run keeps the direction: a batch goes through every stage before the next is read,
//! and only the counts the score needs outlive it. Later stages borrow earlier outputs and never
//! call back: printers never re-run rules, rules
//! never see the command line, files or the output format. Only `input` reads files, only
//! `report` (and `man`, the manual page) writes (to the writer it is handed: standard output, or
//! the file `--output` names, replaced atomically by `cli`), only `fix` rewrites inputs (with
//! `--fix`), and only the binary touches the process.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod cli;
pub mod config;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod input;
pub mod man;
pub mod output;
pub mod platform;
pub mod post;
pub mod report;
pub mod rules;
pub mod score;
pub mod text;
