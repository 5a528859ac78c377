//! What several subcommands share: loading a record that must be clean.

use super::Context;
use super::error::{CommandError, Kind};
use annals::check::{Checked, check_dir};
use annals::model::{Event, Record};
use annals::query::{Filter, Query, select};
use annals::render::diagnostics::{self, Style};
use annals::render::escape::terminal;

/// Loads and checks the record. A record with errors refuses to answer: the
/// error carries the diagnostics, so nobody quotes from a broken record.
/// Warnings are only counted, in one line on stderr when it is a terminal
/// and `--quiet` is not given: `annals check` shows them in full, and
/// resolving their positions on every query would cost a large record a
/// second each time.
pub fn load_clean(ctx: &Context) -> Result<&'static Checked, CommandError> {
    let checked = check_dir(&ctx.dir).map_err(|e| {
        CommandError::usage(format_args!(
            "cannot read the record directory `{}`: {e}",
            ctx.dir.display()
        ))
    })?;
    let tally = checked.tally();
    if tally.errors > 0 || checked.io_failed {
        let resolved = diagnostics::resolve(&checked.diagnostics, &checked.record.files);
        let style = Style {
            color: ctx.stderr_color,
        };
        let detail = format!(
            "{}{}\n",
            diagnostics::human(&resolved, style),
            checked.summary()
        );
        return Err(if checked.io_failed {
            CommandError::exit(Kind::Usage).with_detail(detail)
        } else {
            CommandError::data(
                "the record has errors; fix them (see `annals check`) before using it",
            )
            .with_detail(detail)
        });
    }
    if tally.warnings > 0 && ctx.remind_warnings {
        eprintln!(
            "warning: the record has {} warning{} (see `annals check`)",
            tally.warnings,
            if tally.warnings == 1 { "" } else { "s" }
        );
    }
    // Leaked on purpose: the command ends with the process, and freeing a
    // large record item by item would take a tenth of a second for nothing.
    Ok(Box::leak(Box::new(checked)))
}

/// Resolves the filters against the record. An actor, kind or source it
/// does not know is a usage error (exit 2), with the nearest known one.
pub fn compile(query: &Query, record: &Record) -> Result<Filter, CommandError> {
    let filter = query.compile(record).map_err(|e| {
        let err = CommandError::usage(&e.message);
        match &e.help {
            Some(h) => err.with_hint(h),
            None => err,
        }
    })?;
    // A loose name (`--actor Trump`) is said, so a wrong guess shows.
    for note in filter.notes() {
        eprintln!("note: {}", terminal(note));
    }
    Ok(filter)
}

/// The events that answer `query` in a clean record, in timeline order: what
/// `query`, `timeline` and `export` all start from.
pub fn select_events(
    ctx: &Context,
    query: &Query,
) -> Result<(&'static Record, Vec<&'static Event>), CommandError> {
    let record = &load_clean(ctx)?.record;
    let filter = compile(query, record)?;
    Ok((record, select(record, &filter)))
}
