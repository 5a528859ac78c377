//! What several subcommands share: loading a record that must be clean.

use super::{Context, EXIT_DATA, EXIT_USAGE, usage_error};
use annals::check::{Checked, check_dir};
use annals::model::{Event, Record};
use annals::query::{Filter, Query, select};
use annals::render::diagnostics::{self, Style};
use annals::render::escape::terminal;

/// Loads and checks the record. A record with errors refuses to answer: the
/// diagnostics go to stderr and the exit code is returned as `Err`, so
/// nobody quotes from a broken record. Warnings are only counted, in one
/// line on stderr when it is a terminal and `--quiet` is not given:
/// `annals check` shows them in full, and resolving their positions on
/// every query would cost a large record a second each time.
pub fn load_clean(ctx: &Context) -> Result<&'static Checked, i32> {
    let checked = match check_dir(&ctx.dir) {
        Ok(c) => c,
        Err(e) => {
            return Err(usage_error(format_args!(
                "cannot read the record directory `{}`: {e}",
                ctx.dir.display()
            )));
        }
    };
    let tally = checked.tally();
    if tally.errors > 0 || checked.io_failed {
        let resolved = diagnostics::resolve(&checked.diagnostics, &checked.record.files);
        let style = Style {
            color: ctx.stderr_color,
        };
        eprint!("{}", diagnostics::human(&resolved, style));
    }
    if checked.io_failed {
        eprintln!("{}", checked.summary());
        return Err(EXIT_USAGE);
    }
    if tally.errors > 0 {
        eprintln!("{}", checked.summary());
        eprintln!("error: the record has errors; fix them (see `annals check`) before using it");
        return Err(EXIT_DATA);
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
pub fn compile(query: &Query, record: &annals::model::Record) -> Result<Filter, i32> {
    let filter = query.compile(record).map_err(|e| {
        eprintln!("error: {}", terminal(&e.message));
        if let Some(h) = &e.help {
            eprintln!("help: {}", terminal(h));
        }
        EXIT_USAGE
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
) -> Result<(&'static Record, Vec<&'static Event>), i32> {
    let record = &load_clean(ctx)?.record;
    let filter = compile(query, record)?;
    Ok((record, select(record, &filter)))
}
