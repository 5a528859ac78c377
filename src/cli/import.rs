//! `annals import csv FILE --into F`: a spreadsheet's events into the
//! record, every row checked, written in one safe write by the store.

use super::add::{fail, show_warnings};
use super::{Context, EXIT_DATA, EXIT_OK, usage_error};
use annals::import::{self, Sheet};
use annals::render::escape::terminal;
use annals::store::draft::{Draft, EventDraft};
use annals::store::{self, AddError, Request};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Import events from a CSV file with a header row.
    Csv(CsvArgs),
    /// Import references from a CSL-JSON file (Zotero, Better BibTeX) as
    /// sources.
    #[command(name = "csl-json")]
    CslJson(super::import_csl::CslArgs),
}

#[derive(Debug, clap::Args)]
pub struct CsvArgs {
    /// The CSV file (`-` for standard input). Columns named after event
    /// fields are used for them: id, date, date_text, kind, title, summary,
    /// status, actors, location, tags, related, quotes, sources.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The record file to append the events to, relative to the record
    /// directory (created if it does not exist).
    #[arg(long, value_name = "FILE")]
    pub into: PathBuf,

    /// Use column COLUMN for field FIELD (`--map When=date`), or ignore it
    /// (`--map Notes=-`). Repeatable.
    #[arg(long = "map", value_name = "COLUMN=FIELD", value_parser = parse_map)]
    pub map: Vec<(String, String)>,

    /// Write the rows that are valid and report the others, instead of
    /// writing nothing when any row is invalid.
    #[arg(long)]
    pub skip_invalid: bool,

    /// Check every row and report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

fn parse_map(s: &str) -> Result<(String, String), String> {
    let (c, f) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("`{s}` is not COLUMN=FIELD"))?;
    Ok((c.to_string(), f.trim().to_string()))
}

pub fn run(ctx: &Context, args: &Args) -> i32 {
    match &args.what {
        What::Csv(a) => csv(ctx, a),
        What::CslJson(a) => super::import_csl::run(ctx, a),
    }
}

fn csv(ctx: &Context, args: &CsvArgs) -> i32 {
    let bytes = if args.file.as_os_str() == "-" {
        let mut b = Vec::new();
        match std::io::Read::read_to_end(&mut std::io::stdin(), &mut b) {
            Ok(_) => b,
            Err(e) => return usage_error(format_args!("cannot read standard input: {e}")),
        }
    } else {
        match std::fs::read(&args.file) {
            Ok(b) => b,
            Err(e) => {
                return usage_error(format_args!("cannot read `{}`: {e}", args.file.display()));
            }
        }
    };
    let name = if args.file.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return usage_error(format_args!("`{name}` is not UTF-8 text"));
    };
    let sheet = match import::read(&text, &args.map) {
        Ok(s) => s,
        Err(e) => return usage_error(format_args!("{name}: {e}")),
    };
    if !sheet.ignored.is_empty() {
        eprintln!(
            "note: ignored columns (no event field of that name): {}",
            terminal(&sheet.ignored.join(", "))
        );
    }
    // Rows by index, with the reasons each failed.
    let mut failed: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .map(|r| r.draft.as_ref().err().cloned().unwrap_or_default())
        .collect();
    let request = |keep: &[usize], sheet: &Sheet, dry_run: bool| Request {
        dir: ctx.dir.clone(),
        file: args.into.clone(),
        drafts: keep
            .iter()
            .map(|&i| Draft::Event(draft_of(sheet, i)))
            .collect(),
        dry_run,
    };
    // Check the good rows together, as they would be written; rows with
    // errors are set aside, and with --skip-invalid the rest checked again
    // (a row may lean on one set aside), until the rest is clean.
    loop {
        let keep: Vec<usize> = (0..sheet.rows.len())
            .filter(|&i| failed[i].is_empty())
            .collect();
        if keep.is_empty() {
            break;
        }
        match store::add(&request(&keep, &sheet, true)) {
            Ok(_) => break,
            Err(AddError::Invalid(rejected)) => {
                let mut newly = 0;
                let mut unowned = Vec::new();
                for (d, owner) in rejected.diagnostics.iter().zip(&rejected.owners) {
                    if d.severity != "error" {
                        continue;
                    }
                    match owner {
                        Some(k) => {
                            let row = keep[*k];
                            if failed[row].is_empty() {
                                newly += 1;
                            }
                            failed[row].push(reason(d));
                        }
                        None => unowned.push(d.clone()),
                    }
                }
                if !unowned.is_empty() || newly == 0 {
                    show_warnings(ctx, &rejected.diagnostics);
                    eprintln!(
                        "error: nothing was written: the record would have the problems above"
                    );
                    return EXIT_DATA;
                }
                if !args.skip_invalid {
                    break;
                }
            }
            Err(e) => return fail(ctx, &e),
        }
    }
    let bad: Vec<usize> = (0..sheet.rows.len())
        .filter(|&i| !failed[i].is_empty())
        .collect();
    for &i in &bad {
        for why in &failed[i] {
            eprintln!(
                "{}:{}: {}",
                terminal(&name),
                sheet.rows[i].line,
                terminal(why)
            );
        }
    }
    if !bad.is_empty() && !args.skip_invalid {
        eprintln!(
            "error: {} of {} rows are invalid; nothing was written (use --skip-invalid to write the others)",
            bad.len(),
            sheet.rows.len()
        );
        return EXIT_DATA;
    }
    let keep: Vec<usize> = (0..sheet.rows.len())
        .filter(|&i| failed[i].is_empty())
        .collect();
    if keep.is_empty() {
        eprintln!("nothing was written: no row to import");
        return if bad.is_empty() { EXIT_OK } else { EXIT_DATA };
    }
    let outcome = match store::add(&request(&keep, &sheet, args.dry_run)) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    show_warnings(ctx, &outcome.warnings);
    let file = annals::render::diagnostics::display_path(&outcome.path);
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    println!(
        "{verb} {} event{} into {}{}",
        keep.len(),
        if keep.len() == 1 { "" } else { "s" },
        terminal(&file),
        if bad.is_empty() {
            String::new()
        } else {
            format!(
                "; skipped {} invalid row{}",
                bad.len(),
                if bad.len() == 1 { "" } else { "s" }
            )
        }
    );
    EXIT_OK
}

fn draft_of(sheet: &Sheet, i: usize) -> EventDraft {
    sheet.rows[i]
        .draft
        .as_ref()
        .expect("only good rows are drafted")
        .clone()
}

/// A diagnostic as one line: `error[code]: message (help)`.
fn reason(d: &annals::render::diagnostics::Resolved) -> String {
    let mut s = format!("{}[{}]: {}", d.severity, d.code, d.message);
    if let Some(h) = &d.help {
        s.push_str(&format!(" ({h})"));
    }
    s
}
