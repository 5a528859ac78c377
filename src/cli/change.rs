//! What the commands that change existing items (`set`, `rename`, `rm`,
//! `fmt`, `edit`) share: reporting a `store::change` result: the diff in a
//! dry run, one line saying what changed where, or why nothing was written.

use super::Context;
use super::add::show_warnings;
use super::error::{CommandError, CommandResult};
use super::output::{print, println};
use annals::render::diagnostics::{self, Style};
use annals::render::escape::terminal;
use annals::store::change::{ChangeError, Changed, Written, first_line};
use annals::store::diff;

/// `file:line` of the first change in a written file.
pub fn place(w: &Written) -> String {
    format!("{}:{}", diagnostics::display_path(&w.path), first_line(w))
}

/// Prints a finished change: warnings, then in a dry run the diff and a
/// note, else `line` (what changed, with its file:line).
pub fn report<T>(ctx: &Context, dry_run: bool, done: &Changed<T>, line: &str) -> CommandResult {
    show_warnings(ctx, &done.warnings);
    if dry_run {
        for w in &done.files {
            let name = diagnostics::display_path(&w.path);
            print(&terminal(&diff::unified(&name, &w.old, &w.new, &w.edits)))?;
        }
        eprintln!("dry run: nothing was written ({})", terminal(line));
        return Ok(());
    }
    println(&terminal(line))
}

/// Why nothing was written, as the command's error.
pub fn fail(ctx: &Context, e: &ChangeError) -> CommandError {
    match e {
        ChangeError::Invalid(diags) => {
            let style = Style {
                color: ctx.stderr_color,
            };
            CommandError::data("nothing was written: the record would have the problems above")
                .with_detail(diagnostics::human(diags, style))
        }
        ChangeError::Refused(m) => CommandError::data(m),
        ChangeError::Usage(_)
        | ChangeError::Io { .. }
        | ChangeError::Changed { .. }
        | ChangeError::ReadBack { .. } => CommandError::usage(e),
    }
}
