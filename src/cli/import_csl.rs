//! `annals import csl-json FILE [--into sources.yaml]`: references from
//! Zotero (or any CSL-JSON export) as sources, every entry checked
//! together, written in one safe write by the store.

use super::add::{fail, show_warnings};
use super::error::Kind;
use super::output::println;
use super::{CommandError, CommandResult, Context};
use annals::import_csl::{self, Entry, Outcome};
use annals::render::escape::terminal;
use annals::store::draft::{Draft, ReferenceDraft};
use annals::store::{self, AddError, Request};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CslArgs {
    /// The CSL-JSON file (`-` for standard input): an array of items, as
    /// Zotero, Better BibTeX or `annals export --format csl-json` write.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The record file to append the sources to, relative to the record
    /// directory (created if it does not exist).
    #[arg(long, value_name = "FILE", default_value = "sources.yaml")]
    pub into: PathBuf,

    /// Write the entries that are valid and report the others, instead of
    /// writing nothing when any entry is invalid.
    #[arg(long)]
    pub skip_invalid: bool,

    /// Check every entry and report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Context, args: &CslArgs) -> CommandResult {
    let stdin = args.file.as_os_str() == "-";
    let bytes = if stdin {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
            .map_err(|e| CommandError::usage(format_args!("cannot read standard input: {e}")))?;
        b
    } else {
        std::fs::read(&args.file).map_err(|e| {
            CommandError::usage(format_args!("cannot read `{}`: {e}", args.file.display()))
        })?
    };
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(CommandError::usage(format_args!(
            "`{name}` is not UTF-8 text"
        )));
    };
    // The record as it is, to skip what it already has; the store loads it
    // again under its lock to check the write.
    let record = annals::check::check_dir(&ctx.dir)
        .map_err(|e| {
            CommandError::usage(format_args!(
                "cannot read the record directory `{}`: {e}",
                ctx.dir.display()
            ))
        })?
        .record;
    let entries = import_csl::read(&text, &record)
        .map_err(|e| CommandError::data(format_args!("{name}: {e}")))?;
    let label = |e: &Entry| match &e.id {
        Some(id) => format!("{name}: entry {} (`{id}`)", e.number),
        None => format!("{name}: entry {}", e.number),
    };
    let mut failed: Vec<Vec<String>> = entries
        .iter()
        .map(|e| match &e.outcome {
            Outcome::Invalid(why) => why.clone(),
            _ => Vec::new(),
        })
        .collect();
    let mut skipped = 0;
    for e in &entries {
        if let Outcome::Skip(why) = &e.outcome {
            eprintln!("note: {}: skipped: {}", terminal(&label(e)), terminal(why));
            skipped += 1;
        }
    }
    let draft = |i: usize| match &entries[i].outcome {
        Outcome::Add(d) => Some((**d).clone()),
        _ => None,
    };
    let addable = |failed: &[Vec<String>]| -> Vec<(usize, ReferenceDraft)> {
        (0..entries.len())
            .filter(|&i| failed[i].is_empty())
            .filter_map(|i| draft(i).map(|d| (i, d)))
            .collect()
    };
    let request = |keep: &[(usize, ReferenceDraft)], dry_run: bool| Request {
        dir: ctx.dir.clone(),
        file: args.into.clone(),
        drafts: keep
            .iter()
            .map(|(_, d)| Draft::Reference(d.clone()))
            .collect(),
        dry_run,
    };
    // Check the readable entries together, as they would be written; an
    // entry the record would refuse is set aside, and with --skip-invalid
    // the rest checked again until it is clean.
    loop {
        let keep = addable(&failed);
        if keep.is_empty() {
            break;
        }
        match store::add(&request(&keep, true)) {
            Ok(_) => break,
            Err(AddError::Invalid(rejected)) => {
                let mut newly = 0;
                let mut unowned = Vec::new();
                for (d, owner) in rejected.diagnostics.iter().zip(&rejected.owners) {
                    if d.severity != annals::diag::Severity::Error {
                        continue;
                    }
                    match owner {
                        Some(k) => {
                            let i = keep[*k].0;
                            if failed[i].is_empty() {
                                newly += 1;
                            }
                            let mut why = format!("{}[{}]: {}", d.severity, d.code, d.message);
                            if let Some(h) = &d.help {
                                why.push_str(&format!(" ({h})"));
                            }
                            failed[i].push(why);
                        }
                        None => unowned.push(d.clone()),
                    }
                }
                if !unowned.is_empty() || newly == 0 {
                    return Err(fail(ctx, &AddError::Invalid(rejected)));
                }
                if !args.skip_invalid {
                    break;
                }
            }
            Err(e) => return Err(fail(ctx, &e)),
        }
    }
    let bad: Vec<usize> = (0..entries.len())
        .filter(|&i| !failed[i].is_empty())
        .collect();
    for &i in &bad {
        for why in &failed[i] {
            eprintln!("{}: {}", terminal(&label(&entries[i])), terminal(why));
        }
    }
    if !bad.is_empty() && !args.skip_invalid {
        return Err(CommandError::data(format_args!(
            "{} of {} entries are invalid; nothing was written (use --skip-invalid to write the others)",
            bad.len(),
            entries.len()
        )));
    }
    let keep = addable(&failed);
    if keep.is_empty() {
        eprintln!("nothing was written: no new reference to import");
        // The entries' problems are listed above.
        return if bad.is_empty() {
            Ok(())
        } else {
            Err(CommandError::exit(Kind::Data))
        };
    }
    let outcome = store::add(&request(&keep, args.dry_run)).map_err(|e| fail(ctx, &e))?;
    show_warnings(ctx, &outcome.warnings);
    let file = annals::render::diagnostics::display_path(&outcome.path);
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut tail = String::new();
    if skipped > 0 {
        tail.push_str(&format!("; skipped {} already in the record", skipped));
    }
    if !bad.is_empty() {
        tail.push_str(&format!(
            "; skipped {}",
            plural(bad.len(), "invalid entry", "invalid entries")
        ));
    }
    println(&format!(
        "{} {} into {}{tail}",
        if args.dry_run {
            "would import"
        } else {
            "imported"
        },
        plural(keep.len(), "source", "sources"),
        terminal(&file),
    ))
}
