//! Writing a file hygiene produces (`--output`, `--write-baseline`): whole or not at all.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes what `print` prints to `path` through a temporary file in the same folder, renamed
/// over `path` once complete, so a failed or interrupted run never leaves half a file. `what`
/// names the content in errors ("cannot write the report to …").
pub fn write_atomically(
    path: &Path,
    what: &str,
    print: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let context = || format!("cannot write {what} to {}", path.display());
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place:
    // renaming a file over it would replace it. A symbolic link keeps pointing where it did,
    // and the file it points to is replaced.
    let resolved;
    let path = match std::fs::metadata(path) {
        Ok(metadata) if !metadata.is_file() => {
            let mut out = std::io::BufWriter::new(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(context)?,
            );
            print(&mut out).with_context(context)?;
            out.flush().with_context(context)?;
            return Ok(());
        }
        Ok(_) => {
            resolved = std::fs::canonicalize(path).with_context(context)?;
            resolved.as_path()
        }
        Err(_) => path,
    };
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".hygiene-");
    // The result is an ordinary file (the umask applies), not a private temporary one.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temporary = builder.tempfile_in(folder).with_context(context)?;
    let mut out = std::io::BufWriter::new(temporary);
    print(&mut out).with_context(context)?;
    let temporary = out
        .into_inner()
        .map_err(|error| error.into_error())
        .with_context(context)?;
    temporary
        .persist(path)
        .map_err(|error| error.error)
        .with_context(context)?;
    Ok(())
}
