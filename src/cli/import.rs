//! `annals import csv FILE --into F`: a spreadsheet's events into the
//! record, every row checked, written in one safe write by the store.

use super::add::{fail, show_warnings};
use super::error::Kind;
use super::output::println;
use super::{CommandError, CommandResult, Context};
use annals::import;
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

    /// Check every row and print the YAML that would be written; write
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// The character between cells: `,`, `;`, `tab` (or `\t`) or any one
    /// character [default: told from the header row: the most frequent of
    /// comma, semicolon and tab].
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s != "\"" && s != "\n" && s != "\r" => Ok(s.as_bytes()[0]),
        _ => Err(format!(
            "`{s}` is not a delimiter: give one ASCII character other than a quote or line break (`,`, `;`, `tab`)"
        )),
    }
}

fn parse_map(s: &str) -> Result<(String, String), String> {
    let (c, f) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("`{s}` is not COLUMN=FIELD"))?;
    Ok((c.to_string(), f.trim().to_string()))
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    match &args.what {
        What::Csv(a) => csv(ctx, a),
        What::CslJson(a) => super::import_csl::run(ctx, a),
    }
}

fn csv(ctx: &Context, args: &CsvArgs) -> CommandResult {
    let stdin = args.file.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    // Streamed: rows are read into drafts one at a time; the CSV text is
    // never held whole.
    let input: Box<dyn std::io::Read> = if stdin {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(&args.file).map_err(|e| {
            CommandError::usage(format_args!("cannot read `{}`: {e}", args.file.display()))
        })?;
        Box::new(std::io::BufReader::new(f))
    };
    let sheet = import::read(input, &args.map, args.delimiter)
        .map_err(|e| CommandError::usage(format_args!("{name}: {e}")))?;
    if !sheet.ignored.is_empty() {
        eprintln!(
            "note: ignored columns (no event field of that name): {}",
            terminal(&sheet.ignored.join(", "))
        );
    }
    let lines: Vec<u64> = sheet.rows.iter().map(|r| r.line).collect();
    // Rows by index: the reasons each failed, and the drafts of the others
    // (moved into each request and back, never copied).
    let mut failed: Vec<Vec<String>> = Vec::with_capacity(lines.len());
    let mut drafts: Vec<Option<EventDraft>> = Vec::with_capacity(lines.len());
    let mut partial: Vec<(usize, EventDraft)> = Vec::new();
    for (i, row) in sheet.rows.into_iter().enumerate() {
        match row.draft {
            Ok(d) => {
                failed.push(Vec::new());
                drafts.push(Some(d));
            }
            Err(why) => {
                failed.push(why);
                drafts.push(None);
                if let Some(p) = row.partial {
                    partial.push((i, p));
                }
            }
        }
    }
    // Every problem of a row at once: rows whose cells had problems are
    // still checked against the record as far as they were read, so a
    // misspelt actor shows beside a bad role in the same run.
    if !partial.is_empty()
        && let Err(e) = check_partial(ctx, args, &mut drafts, &partial, &mut failed)
    {
        return Err(fail(ctx, &e));
    }
    let good = |failed: &[Vec<String>]| -> Vec<usize> {
        (0..failed.len())
            .filter(|&i| failed[i].is_empty())
            .collect()
    };
    // Check the good rows together, as they would be written; rows with
    // errors are set aside, and with --skip-invalid the rest checked again
    // (a row may lean on one set aside), until the rest is clean. When no
    // row has failed yet (or failures may be skipped), the first check is
    // the write itself: one pass over the record, not two.
    let mut outcome = None;
    loop {
        let keep = good(&failed);
        if keep.is_empty() {
            break;
        }
        let all_good = keep.len() == failed.len();
        let dry_run = args.dry_run || !(all_good || args.skip_invalid);
        let request = Request {
            dir: ctx.dir.clone(),
            file: args.into.clone(),
            drafts: keep
                .iter()
                .map(|&i| Draft::Event(drafts[i].take().expect("good rows have drafts")))
                .collect(),
            dry_run,
        };
        let result = store::add(&request);
        for (&i, d) in keep.iter().zip(request.drafts) {
            if let Draft::Event(e) = d {
                drafts[i] = Some(e);
            }
        }
        match result {
            Ok(o) if dry_run == args.dry_run => {
                outcome = Some((o, keep.len()));
                break;
            }
            // Checked but not written, because other rows failed.
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
                    return Err(fail(ctx, &AddError::Invalid(rejected)));
                }
                if !args.skip_invalid {
                    break;
                }
            }
            Err(e) => return Err(fail(ctx, &e)),
        }
    }
    let bad: Vec<usize> = (0..failed.len())
        .filter(|&i| !failed[i].is_empty())
        .collect();
    for &i in &bad {
        for why in &failed[i] {
            eprintln!("{}:{}: {}", terminal(&name), lines[i], terminal(why));
        }
    }
    if !bad.is_empty() && !args.skip_invalid {
        return Err(CommandError::data(format_args!(
            "{} of {} rows are invalid; nothing was written (use --skip-invalid to write the others)",
            bad.len(),
            failed.len()
        )));
    }
    let Some((outcome, imported)) = outcome else {
        eprintln!("nothing was written: no row to import");
        // The rows' problems are listed above.
        return if bad.is_empty() {
            Ok(())
        } else {
            Err(CommandError::exit(Kind::Data))
        };
    };
    show_warnings(ctx, &outcome.warnings);
    let file = annals::render::diagnostics::display_path(&outcome.path);
    if args.dry_run {
        // The YAML on stdout, as `add --dry-run` shows it; what it means
        // on stderr, so the YAML can be redirected alone.
        println(&terminal(&super::add::preview(&outcome)))?;
    }
    let say = |line: String| {
        if args.dry_run {
            eprintln!("dry run: {line}; nothing was written");
            Ok(())
        } else {
            println(&line)
        }
    };
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    say(format!(
        "{verb} {} event{} into {}{}",
        imported,
        if imported == 1 { "" } else { "s" },
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
    ))
}

/// Checks the rows whose cells had problems, as far as they were read,
/// together with the rows that read well (a row may name another), and
/// adds the errors the record's checks find in them to their problems.
/// Nothing is written; the other rows' errors are left for the write's
/// own check.
fn check_partial(
    ctx: &Context,
    args: &CsvArgs,
    drafts: &mut [Option<EventDraft>],
    partial: &[(usize, EventDraft)],
    failed: &mut [Vec<String>],
) -> Result<(), AddError> {
    let good: Vec<usize> = (0..drafts.len()).filter(|&i| drafts[i].is_some()).collect();
    let mut owners: Vec<Option<usize>> = Vec::new();
    let mut list = Vec::new();
    for &i in &good {
        list.push(Draft::Event(
            drafts[i].take().expect("good rows have drafts"),
        ));
        owners.push(None);
    }
    for (i, p) in partial {
        list.push(Draft::Event(p.clone()));
        owners.push(Some(*i));
    }
    let request = Request {
        dir: ctx.dir.clone(),
        file: args.into.clone(),
        drafts: list,
        dry_run: true,
    };
    let result = store::add(&request);
    for (&i, d) in good.iter().zip(request.drafts) {
        if let Draft::Event(e) = d {
            drafts[i] = Some(e);
        }
    }
    match result {
        Ok(_) => Ok(()),
        Err(AddError::Invalid(rejected)) => {
            for (d, owner) in rejected.diagnostics.iter().zip(&rejected.owners) {
                if d.severity != annals::diag::Severity::Error {
                    continue;
                }
                if let Some(row) = owner.and_then(|k| owners[k]) {
                    failed[row].push(reason(d));
                }
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// A diagnostic as one line: `error[code]: message (help)`.
fn reason(d: &annals::render::diagnostics::Resolved) -> String {
    let mut s = format!("{}[{}]: {}", d.severity, d.code, d.message);
    if let Some(h) = &d.help {
        s.push_str(&format!(" ({h})"));
    }
    s
}
