//! Where command output goes: stdout, or a file written atomically.

use super::{EXIT_OK, usage_error};
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// Writes `text` to stdout. A closed pipe (`annals query | head`) is not an
/// error; any other failure exits 2.
pub fn print(text: &str) -> i32 {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => usage_error(format_args!("cannot write to standard output: {e}")),
    }
}

/// Writes `text` to `path` atomically: a temporary file beside it, synced,
/// then renamed over it, so a reader never sees half a file and a failure
/// leaves any old file as it was.
pub fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The width a table on stdout must fit. On a terminal, its width (else
/// `COLUMNS`, else 100). Elsewhere `COLUMNS` when set, else no limit: a
/// table piped to a file or a pager keeps every character.
pub fn table_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    if io::stdout().is_terminal() {
        let size = terminal_size::terminal_size().map(|(w, _)| usize::from(w.0));
        Some(size.or(columns).unwrap_or(100))
    } else {
        columns
    }
}
