//! What several subcommands share: loading a record that must be clean.

use super::{Context, EXIT_DATA, EXIT_USAGE, usage_error};
use annals::check::{Checked, check_dir};
use annals::render::diagnostics::{self, Style};

/// Loads and checks the record. A record with errors refuses to answer: the
/// diagnostics go to stderr and the exit code is returned as `Err`, so
/// nobody quotes from a broken record. Warnings are shown on stderr too.
#[allow(dead_code)] // for the query and chart commands
pub fn load_clean(ctx: &Context) -> Result<Checked, i32> {
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
    if tally.errors > 0 || tally.warnings > 0 {
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
    Ok(checked)
}
