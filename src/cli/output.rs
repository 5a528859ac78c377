//! Where command output goes: stdout, or the file `-o` names.

use super::Context;
use super::error::{CommandResult, stdout_error};
use annals::store::write::write_atomic;
use std::fs::{self, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Writes `text` to stdout, the only way commands write there (never
/// `print!`, which panics on a closed pipe). A closed pipe (`annals query |
/// head`) is an error of its own kind, which ends the command quietly with
/// exit 0; any other failure exits 2.
pub fn print(text: &str) -> CommandResult {
    print_bytes(text.as_bytes())
}

/// [`print`] with a line break after `text`.
pub fn println(text: &str) -> CommandResult {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| stdout_error(&e))
}

/// [`print`] for bytes (a PNG or PDF chart on `-o -`).
pub fn print_bytes(bytes: &[u8]) -> CommandResult {
    write_stdout(bytes).map_err(|e| stdout_error(&e))
}

fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush())
}

/// [`print`] for output written piece by piece as it is rendered (a
/// timeline of a large record), through a buffer, so that the whole text
/// is never held in memory.
pub fn print_with(write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> CommandResult {
    stream_stdout(write).map_err(|e| stdout_error(&e))
}

fn stream_stdout(write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(BUFFER, io::stdout().lock());
    write(&mut out)?;
    out.flush()
}

/// The buffer between a renderer writing piece by piece and a file or pipe.
const BUFFER: usize = 1 << 16;

/// Text for stdout: on a terminal, control characters are escaped (a
/// record's text could otherwise move the cursor, or write the clipboard
/// with OSC 52); elsewhere the bytes are the record's.
pub fn for_stdout(text: String) -> String {
    if io::stdout().is_terminal() {
        annals::render::escape::terminal(&text).into_owned()
    } else {
        text
    }
}

/// Writes `bytes` where `-o` says.
///
/// - `/dev/stdout` (or `/dev/fd/1`, `/proc/self/fd/1`) is standard output,
///   and `/dev/stderr` standard error, written as they are;
/// - a symbolic link is followed: its target gets the output, the link
///   stays;
/// - what is not a regular file (a FIFO, a character device such as
///   `/dev/null`), and anything under `/dev` or `/proc`, is opened and
///   written into, never replaced;
/// - a regular file (or a new one) is written atomically
///   ([`write_atomic`]): a reader never sees half a file and a failure
///   leaves any old file as it was.
///
/// # Errors
///
/// Any I/O failure, a closed pipe included ([`super::error::write_error`]
/// tells them apart).
pub fn write_output(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_output_with(path, &mut |out| out.write_all(bytes))
}

/// [`write_output`] for output written piece by piece by `write`, through
/// a buffer (a regular file is still replaced atomically, once `write` is
/// done).
///
/// # Errors
///
/// As [`write_output`], and what `write` gives.
pub fn write_output_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let given = path.to_string_lossy();
    if matches!(
        given.as_ref(),
        "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1"
    ) {
        return stream_stdout(write);
    }
    if matches!(
        given.as_ref(),
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2"
    ) {
        let mut out = io::BufWriter::with_capacity(BUFFER, io::stderr().lock());
        write(&mut out)?;
        return out.flush();
    }
    let (real, special) = follow_links(path)?;
    let meta = fs::metadata(&real);
    if let Ok(m) = &meta
        && m.is_dir()
    {
        return Err(io::Error::other("it is a folder"));
    }
    if special || meta.as_ref().is_ok_and(|m| !m.is_file()) {
        let f = OpenOptions::new()
            .write(true)
            .truncate(meta.as_ref().is_ok_and(fs::Metadata::is_file))
            .open(&real)?;
        let mut out = io::BufWriter::with_capacity(BUFFER, f);
        write(&mut out)?;
        return out.flush();
    }
    let name = real
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = real.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    write_atomic(
        &real,
        &tmp,
        &mut |f| {
            let mut out = io::BufWriter::with_capacity(BUFFER, f);
            write(&mut out)?;
            out.flush()
        },
        &mut || Ok(()),
    )
}

/// `path` with its symbolic links followed (a dangling link gives where it
/// points), and whether it is, or goes through, `/dev` or `/proc`.
fn follow_links(path: &Path) -> io::Result<(PathBuf, bool)> {
    let special = |p: &Path| p.starts_with("/dev") || p.starts_with("/proc");
    let mut p = path.to_path_buf();
    let mut through_special = special(&p);
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                };
                through_special |= special(&p);
            }
            _ => return Ok((p, through_special)),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Says on stderr what a command wrote to a file, unless `-q`:
/// `wrote charts/timeline.svg: 27 events, 14 lanes`. `counts` are the
/// (number, singular noun) pairs worth saying; the noun takes an `s` when
/// the number is not 1. The one place `chart` and `export` say it, so they
/// say it alike.
pub fn say_wrote(ctx: &Context, path: &Path, counts: &[(usize, &str)]) {
    if ctx.quiet {
        return;
    }
    eprintln!("{}", wrote_line(path, counts));
}

fn wrote_line(path: &Path, counts: &[(usize, &str)]) -> String {
    let what: Vec<String> = counts
        .iter()
        .map(|(n, noun)| format!("{n} {noun}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    let mut line = format!(
        "wrote {}",
        annals::render::escape::terminal(&path.display().to_string())
    );
    if !what.is_empty() {
        line.push_str(": ");
        line.push_str(&what.join(", "));
    }
    line
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

#[cfg(test)]
mod tests {
    use super::wrote_line;
    use std::path::Path;

    #[test]
    fn the_wrote_line_counts_in_words() {
        let p = Path::new("charts/timeline.svg");
        assert_eq!(
            wrote_line(p, &[(27, "event"), (1, "lane")]),
            "wrote charts/timeline.svg: 27 events, 1 lane"
        );
        assert_eq!(wrote_line(p, &[]), "wrote charts/timeline.svg");
        assert_eq!(
            wrote_line(Path::new("a\u{1b}b.json"), &[(0, "event")]),
            "wrote a\\u{1b}b.json: 0 events"
        );
    }
}
