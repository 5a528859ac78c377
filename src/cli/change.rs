//! What the commands that change existing items (`set`, `rename`, `rm`,
//! `fmt`, `edit`) share: the kind argument, and reporting a
//! `store::change` result: the diff in a dry run, one line saying what
//! changed where, or why nothing was written.

use super::add::show_warnings;
use super::{Context, EXIT_DATA, EXIT_OK, usage_error};
use annals::model::ListKind;
use annals::render::diagnostics::{self, Style};
use annals::render::escape::terminal;
use annals::store::change::{ChangeError, Changed, Written, first_line};
use annals::store::diff;

/// What kind of item a command names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Event,
    Actor,
    Source,
    Kind,
}

impl What {
    pub fn list(self) -> ListKind {
        match self {
            What::Event => ListKind::Events,
            What::Actor => ListKind::Actors,
            What::Source => ListKind::Sources,
            What::Kind => ListKind::Kinds,
        }
    }
}

/// `file:line` of the first change in a written file.
pub fn place(w: &Written) -> String {
    format!("{}:{}", diagnostics::display_path(&w.path), first_line(w))
}

/// Prints a finished change: warnings, then in a dry run the diff and a
/// note, else `line` (what changed, with its file:line).
pub fn report<T>(ctx: &Context, dry_run: bool, done: &Changed<T>, line: &str) -> i32 {
    show_warnings(ctx, &done.warnings);
    if dry_run {
        for w in &done.files {
            let name = diagnostics::display_path(&w.path);
            print!(
                "{}",
                terminal(&diff::unified(&name, &w.old, &w.new, &w.edits))
            );
        }
        eprintln!("dry run: nothing was written ({})", terminal(line));
        return EXIT_OK;
    }
    println!("{}", terminal(line));
    EXIT_OK
}

/// Prints why nothing was written and returns the exit code.
pub fn fail(ctx: &Context, e: &ChangeError) -> i32 {
    match e {
        ChangeError::Invalid(diags) => {
            let style = Style {
                color: ctx.stderr_color,
            };
            eprint!("{}", diagnostics::human(diags, style));
            eprintln!("error: nothing was written: the record would have the problems above");
            EXIT_DATA
        }
        ChangeError::Refused(m) => {
            eprintln!("error: {}", terminal(m));
            EXIT_DATA
        }
        ChangeError::Usage(_)
        | ChangeError::Io { .. }
        | ChangeError::Changed { .. }
        | ChangeError::ReadBack { .. } => usage_error(e),
    }
}
