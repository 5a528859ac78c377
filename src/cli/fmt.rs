//! `annals fmt [--check] [FILES]`: each file's events in timeline order,
//! actors, sources and kinds by id, every item's bytes moved unchanged
//! (`store::fmt` computes the edits, `store::change` checks and writes).

use super::change;
use super::error::Kind;
use super::output::println;
use super::{CommandError, CommandResult, Context};
use annals::render::diagnostics::display_path;
use annals::render::escape::terminal;
use annals::store::change::{ChangeError, change as store_change};
use annals::store::fmt::fmt;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these files of the record (all when none is given).
    pub files: Vec<PathBuf>,
    /// Write nothing; exit 1 and name the files out of order (for CI).
    #[arg(long)]
    pub check: bool,
    /// Print the diff that would be applied; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let mut wanted = Vec::new();
    for f in &args.files {
        wanted.push(annals::store::target_path(&ctx.dir, f).map_err(CommandError::usage)?);
    }
    let dry = args.check || args.dry_run;
    let result = store_change(&ctx.dir, dry, |view| {
        let mut files = Vec::new();
        for w in &wanted {
            match view.record.files.iter().position(|p| p == w) {
                Some(k) => files.push(k as u32),
                None => {
                    return Err(ChangeError::Usage(format!(
                        "`{}` is not a file of the record",
                        w.display()
                    )));
                }
            }
        }
        let edits = fmt(view.record, view.texts, &files).map_err(|e| ChangeError::Refused(e.0))?;
        Ok((edits, ()))
    });
    let done = result.map_err(|e| change::fail(ctx, &e))?;
    let names: Vec<String> = done.files.iter().map(|w| display_path(&w.path)).collect();
    if args.check {
        if names.is_empty() {
            return Ok(());
        }
        for n in &names {
            println(&terminal(&format!("{n}: out of order (run `annals fmt`)")))?;
        }
        // The list above says what is wrong.
        return Err(CommandError::exit(Kind::Data));
    }
    let line = if names.is_empty() {
        "every file is in order; nothing to do".to_string()
    } else {
        let places: Vec<String> = done.files.iter().map(change::place).collect();
        format!("put in order: {}", places.join(", "))
    };
    change::report(ctx, args.dry_run, &done, &line)
}
