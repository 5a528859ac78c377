//! Command-line parsing (clap) and dispatch. One file per subcommand; each
//! returns a [`CommandResult`], printed and mapped to the exit code in one
//! place ([`error::finish`]): 0 success (and a closed pipe), 1 problems in
//! the data, 2 usage or I/O failure.

mod actors;
mod add;
mod change;
mod chart;
mod chart_counts;
mod check;
mod common;
mod edit;
mod error;
mod export;
mod filters;
mod fmt;
mod import;
mod import_csl;
mod init;
mod keyword;
mod lsp;
mod output;
mod query;
mod rename;
mod rm;
mod schema;
mod set;
mod shell;
mod show;
mod stats;
mod timeline;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

pub use error::{CommandError, CommandResult};

#[derive(Debug, Parser)]
#[command(
    name = "annals",
    version,
    about = "Validate, query and chart a record of dated diplomatic events kept in YAML",
    propagate_version = true
)]
pub struct Cli {
    /// The record's directory.
    #[arg(
        long,
        global = true,
        env = "ANNALS_DIR",
        default_value = "events",
        value_name = "DIR"
    )]
    pub dir: PathBuf,

    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Do not remind that the record has warnings (read commands print
    /// the reminder only when stderr is a terminal anyway), and do not say
    /// what `chart` and `export` wrote.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour only on a terminal, and never when NO_COLOR is set.
    pub fn enabled(self, stream_is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every file of the record and report every problem.
    Check(check::Args),
    /// Draw the record (or part of it) as an SVG timeline or histogram.
    Chart(Box<chart::Args>),
    /// Append an event, actor or source to a file, checked against the
    /// whole record first; existing bytes are never changed.
    Add(Box<add::Args>),
    /// Change fields of one event, actor or source where it stands; only
    /// the changed fields' text changes.
    Set(Box<set::Args>),
    /// Put each file's events in timeline order and its actors, sources
    /// and kinds by id, moving every item's bytes unchanged.
    Fmt(fmt::Args),
    /// Start a record: actors.yaml, sources.yaml, events.yaml (commented
    /// examples) and annals.schema.json, in a new or empty directory.
    Init(init::Args),
    /// Open one item's YAML in $VISUAL or $EDITOR; the result is checked
    /// against the whole record before it is written back in place.
    Edit(edit::Args),
    /// Rename an actor, source, event or kind: its definition and every
    /// reference in every file, all or nothing.
    Rename(rename::Args),
    /// Remove an event, actor, source or kind; refused while anything
    /// refers to it.
    Rm(rm::Args),
    /// List the events that answer the filters (table, md, json, ndjson, csv, ids).
    Query(query::Args),
    /// Count the selected events per group and bin, each count a
    /// certain–possible pair: nothing dropped for an uncertain date.
    Stats(stats::Args),
    /// Write the selected events as a timeline under year and month headings.
    Timeline(timeline::Args),
    /// List every actor with its memberships, event count and first and last day.
    Actors(actors::Args),
    /// Show one event, actor or source in full.
    Show(show::Args),
    /// Export the selected events for other tools: TimelineJS, iCalendar, CSV, NDJSON.
    Export(Box<export::Args>),
    /// Import events from a spreadsheet (CSV) or references from CSL-JSON
    /// (Zotero), every entry checked, in one safe write.
    Import(import::Args),
    /// Speak the Language Server Protocol on stdin and stdout: diagnostics
    /// as you type, completion, hover, navigation, quick fixes
    /// (docs/editors.md).
    Lsp(lsp::Args),
    /// Print the JSON Schema of a record file, for editors (docs/editors.md).
    Schema(schema::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(shell::CompletionsArgs),
    /// Print the man page in roff, or write every page to a folder.
    Man(shell::ManArgs),
}

/// Parses the arguments, runs the command, and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return error::clap_exit_code(&e);
        }
    };
    error::finish(dispatch(cli))
}

/// Runs the command the arguments name.
fn dispatch(cli: Cli) -> CommandResult {
    let ctx = Context {
        dir: cli.dir,
        color: cli.color.enabled(std::io::stdout().is_terminal()),
        stderr_color: cli.color.enabled(std::io::stderr().is_terminal()),
        // A script reading stderr wants errors, not a reminder on every run.
        remind_warnings: !cli.quiet && std::io::stderr().is_terminal(),
        quiet: cli.quiet,
    };
    let reads_record = !matches!(
        cli.command,
        Command::Init(_) | Command::Schema(_) | Command::Completions(_) | Command::Man(_)
    );
    if reads_record && let Some(hint) = init::dir_hint(&ctx.dir) {
        return Err(CommandError::usage(hint));
    }
    // A write killed halfway through left a journal: finish or undo it
    // before anything reads the record.
    if let Err(e) = annals::store::journal::recover_pending(&ctx.dir) {
        return Err(CommandError::usage(format_args!(
            "`{}`: {e}",
            ctx.dir.join(annals::store::journal::JOURNAL_FILE).display()
        )));
    }
    match cli.command {
        Command::Check(args) => check::run(&ctx, &args),
        Command::Chart(args) => chart::run(&ctx, &args),
        Command::Add(args) => add::run(&ctx, &args),
        Command::Set(args) => set::run(&ctx, &args),
        Command::Fmt(args) => fmt::run(&ctx, &args),
        Command::Init(args) => init::run(&ctx, &args),
        Command::Edit(args) => edit::run(&ctx, &args),
        Command::Rename(args) => rename::run(&ctx, &args),
        Command::Rm(args) => rm::run(&ctx, &args),
        Command::Query(args) => query::run(&ctx, &args),
        Command::Stats(args) => stats::run(&ctx, &args),
        Command::Timeline(args) => timeline::run(&ctx, &args),
        Command::Actors(args) => actors::run(&ctx, &args),
        Command::Show(args) => show::run(&ctx, &args),
        Command::Export(args) => export::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Lsp(args) => lsp::run(&ctx, &args),
        Command::Schema(args) => schema::run(&args),
        Command::Completions(args) => shell::completions(&args),
        Command::Man(args) => shell::man(&args),
    }
}

/// What every subcommand gets besides its own arguments.
pub struct Context {
    pub dir: PathBuf,
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr.
    pub stderr_color: bool,
    /// Say "the record has N warnings" before answering.
    pub remind_warnings: bool,
    /// `-q`: no "wrote FILE" line after writing a file.
    pub quiet: bool,
}
