//! `annals export`: the selected events for other tools: TimelineJS,
//! calendars (iCalendar), and CSV or NDJSON for spreadsheets, DuckDB,
//! Spark or BigQuery (docs/interop.md); and the cited sources as
//! references for pandoc, Zotero and biblatex (docs/citations.md).

use super::common::select_events;
use super::error::write_error;
use super::filters::FilterArgs;
use super::output::{for_stdout, print, print_with, say_wrote, write_output_with};
use super::{CommandError, CommandResult, Context};
use annals::render::escape::terminal;
use annals::render::timelinejs::Group;
use annals::render::{bibtex, cite, csl, ics, positions, records, timelinejs};
use clap::ValueEnum;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Export format [default: from the -o file's extension: .json
    /// (TimelineJS), .ics, .csv, .ndjson or .jsonl].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// TimelineJS: what a slide's group (its row in the time bar) is
    /// [default: actor when the events have at most 8 first actors, else
    /// kind].
    #[arg(long, value_enum)]
    pub group: Option<GroupBy>,

    /// CSL-JSON and BibTeX: every source of the record, not only those the
    /// selected events cite.
    #[arg(long)]
    pub all_sources: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// TimelineJS 3 JSON: one slide per event.
    Timelinejs,
    /// iCalendar (RFC 5545): one all-day event per event.
    Ics,
    /// CSV with a header row (the schema of docs/output.md).
    Csv,
    /// One JSON object per line (the schema of docs/output.md).
    Ndjson,
    /// The cited sources as CSL-JSON references (pandoc, Zotero).
    #[value(name = "csl-json")]
    CslJson,
    /// The cited sources as biblatex entries (.bib).
    Bibtex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// The event's first actor's name.
    Actor,
    /// The event's kind, by its label.
    Kind,
    /// No groups.
    None,
}

impl Format {
    fn from_path(p: &Path) -> Option<Self> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Timelinejs),
            "ics" | "ical" | "ifb" => Some(Format::Ics),
            "csv" => Some(Format::Csv),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "bib" => Some(Format::Bibtex),
            _ => None,
        }
    }
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let query = args.filters.to_query().map_err(CommandError::usage)?;
    let Some(format) = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
    else {
        return Err(CommandError::usage(
            "give --format timelinejs, ics, csv, ndjson, csl-json or bibtex (or an -o file ending in .json, .ics, .csv, .ndjson, .bib)",
        ));
    };
    if args.all_sources && !matches!(format, Format::CslJson | Format::Bibtex) {
        return Err(CommandError::usage(
            "--all-sources applies to --format csl-json and bibtex",
        ));
    }
    let stamp = dtstamp().map_err(CommandError::usage)?;
    let (record, events) = select_events(ctx, &query)?;
    let output = args.output.as_deref();
    let mut left_out = Vec::new();
    let mut out_of_range = Vec::new();
    // What the "wrote" line says besides the events written.
    let mut also: Vec<(usize, &str)> = Vec::new();
    let mut sources_written = None;
    // Every format but the sources' is written as it is rendered, a chunk
    // at a time: the text of a large record's events is bigger than the
    // record, and is never held whole. What the warnings and the "wrote"
    // line count is known once the last chunk is written.
    match format {
        Format::Timelinejs => {
            let group = match args.group {
                None => Group::Auto,
                Some(GroupBy::Actor) => Group::FirstActor,
                Some(GroupBy::Kind) => Group::Kind,
                Some(GroupBy::None) => Group::None,
            };
            let mut groups = 0;
            emit(output, Escape::Controls, &mut |out| {
                let s = timelinejs::write(record, &events, group, out)?;
                (left_out, groups) = (s.left_out, s.groups);
                Ok(())
            })?;
            if groups > 0 {
                also.push((groups, "group"));
            }
        }
        // iCalendar text has no control characters (`ics::text`) but may
        // hold bidi overrides, which a terminal view escapes; its CRLF line
        // ends are its own and kept.
        Format::Ics => emit(output, Escape::KeepCrlf, &mut |out| {
            let s = ics::write(record, &events, stamp, out)?;
            (left_out, out_of_range) = (s.left_out, s.out_of_range);
            Ok(())
        })?,
        Format::Csv | Format::Ndjson => {
            let lines = positions::event_lines(record, &events);
            emit(output, Escape::Controls, &mut |out| {
                if format == Format::Csv {
                    records::write_csv(record, &events, &lines, out)
                } else {
                    records::write_ndjson(record, &events, &lines, out)
                }
            })?;
        }
        Format::CslJson | Format::Bibtex => {
            let sources = cite::selected_sources(record, &events, args.all_sources);
            sources_written = Some(sources.len());
            let text = if format == Format::CslJson {
                csl::csl_json(&sources)
            } else {
                bibtex::bibtex(&sources)
            };
            emit(output, Escape::Controls, &mut |out| {
                out.write_all(text.as_bytes())
            })?;
        }
    }
    if !left_out.is_empty() {
        eprintln!(
            "warning: left out {} event{} whose date has no known day: {}",
            left_out.len(),
            if left_out.len() == 1 { "" } else { "s" },
            terminal(&left_out.join(", "))
        );
    }
    if !out_of_range.is_empty() {
        eprintln!(
            "warning: left out {} event{} whose dates iCalendar cannot write (years 1 to 9999 only): {}",
            out_of_range.len(),
            if out_of_range.len() == 1 { "" } else { "s" },
            terminal(&out_of_range.join(", "))
        );
    }
    if let Some(path) = output {
        let mut counts = match sources_written {
            Some(n) => vec![(n, "source")],
            None => vec![(events.len() - left_out.len() - out_of_range.len(), "event")],
        };
        counts.extend(also);
        say_wrote(ctx, path, &counts);
    }
    Ok(())
}

/// How text for a terminal is escaped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// Every control character ([`for_stdout`]).
    Controls,
    /// Every control character but the CR LF that ends each line, which
    /// is the format's own (iCalendar).
    KeepCrlf,
}

/// Writes what `write` renders where `-o` says, or to stdout, as it is
/// rendered. Text for a terminal is escaped as `escape` says: that needs
/// the whole text, which is then held (a terminal is not where a large
/// record's export goes).
fn emit(
    output: Option<&Path>,
    escape: Escape,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> CommandResult {
    match output {
        None if io::stdout().is_terminal() => {
            let mut bytes = Vec::new();
            write(&mut bytes).map_err(|e| CommandError::usage(e.to_string()))?;
            let text = String::from_utf8_lossy(&bytes);
            match escape {
                Escape::Controls => print(&for_stdout(text.into_owned())),
                Escape::KeepCrlf => print(
                    &text
                        .split("\r\n")
                        .map(annals::render::escape::terminal)
                        .collect::<Vec<_>>()
                        .join("\r\n"),
                ),
            }
        }
        None => print_with(write),
        Some(path) => write_output_with(path, write).map_err(|e| write_error(path, &e)),
    }
}

/// The DTSTAMP of an iCalendar export: `SOURCE_DATE_EPOCH` (seconds since
/// 1970, the reproducible-builds convention) when set, else now.
fn dtstamp() -> Result<chrono::NaiveDateTime, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .map(|t| t.naive_utc())
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH `{s}` is not a number of seconds")),
        Err(_) => Ok(chrono::Utc::now().naive_utc()),
    }
}
