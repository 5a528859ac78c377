//! How a command fails: one error type, mapped to an exit code and printed
//! in one place ([`finish`], called by `cli::run`). jj's
//! `cli/src/command_error.rs` is the model: a kind that decides the exit
//! code, the message, and hints.
//!
//! Exit codes: 0 success (and a closed pipe), 1 problems in the data, 2 a
//! usage or I/O failure.

use annals::render::escape::terminal;
use std::fmt::Display;
use std::io::{self, Write};

const EXIT_OK: i32 = 0;
const EXIT_DATA: i32 = 1;
const EXIT_USAGE: i32 = 2;

/// What went wrong, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command line asks for something impossible, or a file cannot be
    /// read or written: exit 2.
    Usage,
    /// The record (or what the command would make of it) has problems:
    /// exit 1.
    Data,
    /// Whoever read standard output stopped (`annals query | head -1`):
    /// they have what they wanted, so exit 0 and say nothing.
    BrokenPipe,
}

/// A command's failure: its kind, what to print before the message (the
/// diagnostics that explain it), the `error:` line, and `help:` lines.
#[derive(Debug)]
pub struct CommandError {
    kind: Kind,
    detail: String,
    message: Option<String>,
    hints: Vec<String>,
}

/// What every command returns.
pub type CommandResult = Result<(), CommandError>;

impl CommandError {
    /// A usage or I/O failure (exit 2), said as `error: MESSAGE`.
    pub fn usage(message: impl Display) -> CommandError {
        CommandError::new(Kind::Usage, Some(message.to_string()))
    }

    /// A problem in the data (exit 1), said as `error: MESSAGE`.
    pub fn data(message: impl Display) -> CommandError {
        CommandError::new(Kind::Data, Some(message.to_string()))
    }

    /// A failure the command's own output has already shown (`check`'s
    /// report, `fmt --check`'s list): only the exit code.
    pub fn exit(kind: Kind) -> CommandError {
        CommandError::new(kind, None)
    }

    /// Standard output's reader is gone.
    pub fn broken_pipe() -> CommandError {
        CommandError::new(Kind::BrokenPipe, None)
    }

    fn new(kind: Kind, message: Option<String>) -> CommandError {
        CommandError {
            kind,
            detail: String::new(),
            message,
            hints: Vec::new(),
        }
    }

    /// Text printed as it is before the message: rendered diagnostics, a
    /// summary line. Already escaped for the terminal by its renderer.
    pub fn with_detail(mut self, detail: impl Into<String>) -> CommandError {
        self.detail = detail.into();
        self
    }

    /// A `help: HINT` line after the message.
    pub fn with_hint(mut self, hint: impl Display) -> CommandError {
        self.hints.push(hint.to_string());
        self
    }

    /// The process's exit code for this failure.
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Usage => EXIT_USAGE,
            Kind::Data => EXIT_DATA,
            Kind::BrokenPipe => EXIT_OK,
        }
    }

    /// Writes the error to `w` as the user sees it: the detail, then
    /// `error: MESSAGE` and `help: HINT` with control characters escaped
    /// (a message may quote the record or the command line). A closed
    /// pipe writes nothing.
    pub fn print(&self, w: &mut dyn Write) -> io::Result<()> {
        if self.kind == Kind::BrokenPipe {
            return Ok(());
        }
        w.write_all(self.detail.as_bytes())?;
        if let Some(m) = &self.message {
            writeln!(w, "error: {}", terminal(m))?;
        }
        for h in &self.hints {
            writeln!(w, "help: {}", terminal(h))?;
        }
        w.flush()
    }

    /// Prints the error on standard error. Used by [`finish`], and by
    /// `edit`, which shows a failure and then offers to try again.
    pub fn eprint(&self) {
        // Nothing is left to tell if stderr itself is gone.
        let _ = self.print(&mut io::stderr().lock());
    }
}

/// An error writing to standard output: a closed pipe ends the command
/// quietly, anything else is an I/O failure.
pub fn stdout_error(e: &io::Error) -> CommandError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        CommandError::broken_pipe()
    } else {
        CommandError::usage(format_args!("cannot write to standard output: {e}"))
    }
}

/// An error writing the file `-o` names (which may be standard output, or
/// a FIFO whose reader is gone: a closed pipe as well).
pub fn write_error(path: &std::path::Path, e: &io::Error) -> CommandError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        CommandError::broken_pipe()
    } else {
        CommandError::usage(format_args!("cannot write `{}`: {e}", path.display()))
    }
}

/// Prints a command's failure, if any, and gives its exit code: the one
/// place a result becomes what the user sees and the shell gets.
pub fn finish(result: CommandResult) -> i32 {
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            e.eprint();
            e.exit_code()
        }
    }
}

/// The exit code of a command-line parse error from clap, which prints it
/// itself: `--help` and `--version` are successes, the rest usage errors.
pub fn clap_exit_code(e: &clap::Error) -> i32 {
    if e.use_stderr() { EXIT_USAGE } else { EXIT_OK }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(e: &CommandError) -> String {
        let mut out = Vec::new();
        e.print(&mut out).expect("writes to a Vec");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn kinds_map_to_exit_codes() {
        assert_eq!(CommandError::usage("x").exit_code(), 2);
        assert_eq!(CommandError::data("x").exit_code(), 1);
        assert_eq!(CommandError::exit(Kind::Data).exit_code(), 1);
        assert_eq!(CommandError::broken_pipe().exit_code(), 0);
        let pipe = io::Error::from(io::ErrorKind::BrokenPipe);
        assert_eq!(stdout_error(&pipe).exit_code(), 0);
        assert_eq!(printed(&stdout_error(&pipe)), "");
        let full = io::Error::other("disk full");
        assert_eq!(stdout_error(&full).exit_code(), 2);
    }

    #[test]
    fn the_error_is_printed_after_its_detail_with_hints_escaped() {
        let e = CommandError::data("bad \u{1b}[2J id")
            .with_detail("diagnostics\n")
            .with_hint("did you mean `a`?");
        assert_eq!(
            printed(&e),
            "diagnostics\nerror: bad \\u{1b}[2J id\nhelp: did you mean `a`?\n"
        );
        assert_eq!(printed(&CommandError::exit(Kind::Usage)), "");
        assert_eq!(printed(&CommandError::broken_pipe()), "");
    }
}
