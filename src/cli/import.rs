//! `annals import csv FILE --into F`: a spreadsheet's events into the
//! record, every row checked, written in one safe write by the store.

use super::add::{fail, show_warnings};
use super::error::Kind;
use super::output::println;
use super::{CommandError, CommandResult, Context};
use annals::import;
use annals::render::escape::terminal;
use annals::store::draft::Draft;
use annals::store::{self, AddError};
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

/// Where the CSV comes from: a file is opened again for each pass over the
/// rows; standard input, which cannot be, is read whole first.
enum Input {
    File(PathBuf),
    Stdin(Vec<u8>),
}

impl Input {
    fn open(&self) -> std::io::Result<Box<dyn std::io::Read + '_>> {
        Ok(match self {
            Input::File(path) => Box::new(std::fs::File::open(path)?),
            Input::Stdin(bytes) => Box::new(bytes.as_slice()),
        })
    }
}

/// The rows as drafts for the store, read from the CSV as the store asks
/// for them (`store::bulk`), and what was found in their cells.
struct Source<'a> {
    input: &'a Input,
    args: &'a CsvArgs,
    name: &'a str,
    /// The rows of the CSV as opened, until the store asks for the first.
    rows: Option<import::Rows<Box<dyn std::io::Read + 'a>>>,
    /// Rows to leave out (by index), and whether rows whose cells had
    /// problems go in as far as they were read (the first pass).
    skip: Vec<bool>,
    partial: bool,
    /// Of the current pass: the next row's index, each row's line and
    /// the problems in its cells.
    next: usize,
    lines: Vec<u64>,
    cells: Vec<Vec<String>>,
    /// A row not skipped had problems in its cells.
    dirty: bool,
}

impl<'a> Source<'a> {
    fn open(input: &'a Input, args: &'a CsvArgs, name: &'a str) -> Result<Self, CommandError> {
        let reader = input.open().map_err(|e| {
            CommandError::usage(format_args!("cannot read `{}`: {e}", args.file.display()))
        })?;
        let rows = import::rows(reader, &args.map, args.delimiter)
            .map_err(|e| CommandError::usage(format_args!("{name}: {e}")))?;
        Ok(Source {
            input,
            args,
            name,
            rows: Some(rows),
            skip: Vec::new(),
            partial: true,
            next: 0,
            lines: Vec::new(),
            cells: Vec::new(),
            dirty: false,
        })
    }

    fn skipped(&self, i: usize) -> bool {
        self.skip.get(i).copied().unwrap_or(false)
    }
}

impl store::bulk::Drafts for Source<'_> {
    fn restart(&mut self) -> Result<(), String> {
        // The rows opened to read the header serve the first pass, unless
        // a try already took some of them.
        if self.next > 0 {
            self.rows = None;
        }
        (self.next, self.dirty) = (0, false);
        self.lines.clear();
        self.cells.clear();
        if self.rows.is_none() {
            let reader = self
                .input
                .open()
                .map_err(|e| format!("cannot read `{}` again: {e}", self.name))?;
            self.rows = Some(
                import::rows(reader, &self.args.map, self.args.delimiter)
                    .map_err(|e| format!("{}: {e}", self.name))?,
            );
        }
        Ok(())
    }

    fn next_draft(&mut self) -> Option<(usize, Draft)> {
        loop {
            let row = self.rows.as_mut()?.next();
            let Some(row) = row else {
                // The next pass opens the CSV again.
                self.rows = None;
                return None;
            };
            let i = self.next;
            self.next += 1;
            self.lines.push(row.line);
            let skipped = self.skipped(i);
            match row.draft {
                Ok(d) => {
                    self.cells.push(Vec::new());
                    if !skipped {
                        return Some((i, Draft::Event(d)));
                    }
                }
                Err(why) => {
                    self.cells.push(why);
                    self.dirty |= !skipped;
                    // Every problem of a row at once: a row whose cells
                    // had problems is still checked against the record as
                    // far as it was read, so a misspelt actor shows beside
                    // a bad role in the same run.
                    if let Some(p) = row.partial.filter(|_| self.partial && !skipped) {
                        return Some((i, Draft::Event(p)));
                    }
                }
            }
        }
    }

    fn writable(&self) -> bool {
        !self.dirty
    }
}

fn csv(ctx: &Context, args: &CsvArgs) -> CommandResult {
    let stdin = args.file.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    // Streamed: the rows are read, drafted and written as YAML one at a
    // time (`store::bulk`); neither the CSV nor the drafts are held whole.
    // A pass that leaves rows out reads the file again.
    let input = if stdin {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| CommandError::usage(format_args!("cannot read standard input: {e}")))?;
        Input::Stdin(bytes)
    } else {
        Input::File(args.file.clone())
    };
    let mut source = Source::open(&input, args, &name)?;
    let ignored = &source.rows.as_ref().expect("just opened").ignored;
    if !ignored.is_empty() {
        eprintln!(
            "note: ignored columns (no event field of that name): {}",
            terminal(&ignored.join(", "))
        );
    }
    // The problems the record's checks found in each row (by index).
    let mut found: Vec<Vec<String>> = Vec::new();
    // The first pass checks every row together, as they would be written
    // (rows with problems in their cells as far as they were read), and
    // is the write itself when no row has a problem. Rows with problems
    // are then set aside; with --skip-invalid the rest are checked again
    // (a row may lean on one set aside), until the rest is clean.
    let mut outcome = None;
    loop {
        let result = store::bulk::add(&ctx.dir, &args.into, &mut source, args.dry_run);
        found.resize(source.cells.len(), Vec::new());
        match result {
            Ok(o) if o.items.is_empty() => break,
            Ok(o) if o.written || (args.dry_run && !source.dirty) => {
                outcome = Some(o);
                break;
            }
            // Checked but not written, because rows had problems.
            Ok(_) => {}
            Err(AddError::Invalid(rejected)) => {
                let mut newly = 0;
                let mut owned = false;
                let mut unowned = false;
                for (d, owner) in rejected.diagnostics.iter().zip(&rejected.owners) {
                    if d.severity != annals::diag::Severity::Error {
                        continue;
                    }
                    match owner {
                        Some(row) => {
                            if found[*row].is_empty() && source.cells[*row].is_empty() {
                                newly += 1;
                            }
                            owned = true;
                            found[*row].push(reason(d));
                        }
                        None => unowned = true,
                    }
                }
                if unowned || !owned || (newly == 0 && !source.partial) {
                    return Err(fail(ctx, &AddError::Invalid(rejected)));
                }
            }
            Err(e) => return Err(fail(ctx, &e)),
        }
        if !args.skip_invalid {
            break;
        }
        // Again without the rows that have problems, which are no longer
        // checked as far as they read.
        source.skip = (0..found.len())
            .map(|i| !(found[i].is_empty() && source.cells[i].is_empty()))
            .collect();
        source.partial = false;
        if source.skip.iter().all(|&s| s) {
            break;
        }
    }
    let rows = source.cells.len();
    let bad: Vec<usize> = (0..rows)
        .filter(|&i| !(source.cells[i].is_empty() && found[i].is_empty()))
        .collect();
    for &i in &bad {
        for why in source.cells[i].iter().chain(&found[i]) {
            eprintln!("{}:{}: {}", terminal(&name), source.lines[i], terminal(why));
        }
    }
    if !bad.is_empty() && !args.skip_invalid {
        return Err(CommandError::data(format_args!(
            "{} of {} rows are invalid; nothing was written (use --skip-invalid to write the others)",
            bad.len(),
            rows
        )));
    }
    let Some(outcome) = outcome else {
        eprintln!("nothing was written: no row to import");
        // The rows' problems are listed above.
        return if bad.is_empty() {
            Ok(())
        } else {
            Err(CommandError::exit(Kind::Data))
        };
    };
    let imported = outcome.items.len();
    show_warnings(ctx, &outcome.warnings);
    let file = annals::render::diagnostics::display_path(&outcome.path);
    if args.dry_run {
        // The YAML on stdout, as `add --dry-run` shows it; what it means
        // on stderr, so the YAML can be redirected alone.
        println(&terminal(&preview(&outcome)))?;
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

/// The YAML a dry run would append, as `add --dry-run` shows it
/// (`add::preview`): each item under a comment naming its list and file.
fn preview(outcome: &store::bulk::Outcome) -> String {
    let file = annals::render::diagnostics::display_path(&outcome.path);
    let mut out = String::new();
    for (list, range) in &outcome.items {
        if !out.is_empty() {
            out.push('\n');
        }
        let text = outcome.text[range.clone()]
            .replace("\r\n", "\n")
            .trim_matches('\n')
            .to_string();
        out.push_str(&format!("# {}: in {file}\n{text}\n", list.key()));
    }
    out.trim_end().to_string()
}

/// A diagnostic as one line: `error[code]: message (help)`.
fn reason(d: &annals::render::diagnostics::Resolved) -> String {
    let mut s = format!("{}[{}]: {}", d.severity, d.code, d.message);
    if let Some(h) = &d.help {
        s.push_str(&format!(" ({h})"));
    }
    s
}
