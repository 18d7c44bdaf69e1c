//! The `hygiene` binary: parses the command line, runs it with the real streams, and maps the
//! outcome to an exit code (0 clean, 1 findings, 2 could not do the job). A closed pipe on
//! stdout (`hygiene check … | head`) is not an error. Error messages quote input (file names,
//! field values), so they are made safe for the terminal like every report.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use hygiene::cli::{Cli, ExitStatus, Io, run};
use hygiene::text::sanitize_for_terminal;

/// jemalloc on x86_64 Unix with the default feature `jemalloc` (see `Cargo.toml`), and its
/// options; the library leaves the allocator to its users.
#[cfg(all(
    feature = "jemalloc",
    unix,
    not(target_os = "openbsd"),
    target_arch = "x86_64"
))]
mod allocator {
    #[global_allocator]
    static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

    /// jemalloc's options, read once before its first allocation (its `malloc_conf`, under
    /// the prefix `tikv-jemalloc-sys` gives its symbols; `_RJEM_MALLOC_CONF` in the
    /// environment still overrides; `tests/cli.rs` checks it is read): freed pages go back to
    /// the system about a second after they were freed (when the program next allocates or
    /// frees), not ten. At a million posts the near-duplicate check frees about 80 MB midway,
    /// which otherwise stayed resident to the end: peak RSS 517.9–521.9 MB instead of
    /// 529.8–548.7, in the same time (4 runs each, alternated).
    #[unsafe(export_name = "_rjem_malloc_conf")]
    static JEMALLOC_OPTIONS: &[u8; 20] = b"dirty_decay_ms:1000\0";
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdin = io::stdin();
    let stdout = io::stdout();
    let io = Io {
        stdin_is_terminal: stdin.is_terminal(),
        stdin: &mut stdin.lock(),
        stdout_is_terminal: stdout.is_terminal(),
        stdout: &mut io::BufWriter::new(stdout.lock()),
        stderr: &mut io::stderr(),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty()),
        progress: io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
    };
    match run(cli, io) {
        Ok(ExitStatus::Success) => ExitCode::SUCCESS,
        Ok(ExitStatus::Failure) => ExitCode::from(1),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let message = sanitize_for_terminal(&format!("{error:#}"), true);
            let _ = writeln!(io::stderr(), "error: {message}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|cause| cause.kind() == io::ErrorKind::BrokenPipe)
}
