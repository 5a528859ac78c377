//! One row per event, the schema shared by the JSON, NDJSON and CSV outputs
//! (its columns are declared in `crate::fields::row`, documented in
//! `docs/output.md`; a test holds [`Row`]'s keys to them).
//!
//! [`rows`] is pure: the `line` of each event comes from the caller (see
//! [`super::positions`]), so formats that do not need it never read a file.

use super::lookup::Lookup;
use crate::model::{Event, Record};
use crate::par;
use crate::render::diagnostics::display_path;
use serde::Serialize;
use std::borrow::Cow;
use std::io;

/// An event as the machine-readable outputs write it.
#[derive(Debug, Clone, Serialize)]
pub struct Row<'r> {
    pub id: &'r str,
    /// The EDTF date exactly as written.
    pub date: &'r str,
    /// The earliest day (ISO 8601), `None` when the start is open or unknown.
    pub start: Option<String>,
    /// The latest day, `None` when the end is open or unknown.
    pub end: Option<String>,
    /// What the date means in words, as the timeline shows it.
    pub label: String,
    pub date_text: Option<&'r str>,
    pub precision: &'static str,
    pub shape: &'static str,
    pub qualifiers: &'static [&'static str],
    pub kind: &'r str,
    pub title: &'r str,
    pub summary: Option<&'r str>,
    pub status: &'static str,
    pub actors: Vec<RowActor<'r>>,
    pub sources: Vec<RowSource<'r>>,
    pub tags: &'r [crate::model::Id],
    pub location: Option<&'r str>,
    pub related: Vec<RowRelated<'r>>,
    pub quotes: Vec<RowQuote<'r>>,
    pub file: String,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowActor<'r> {
    pub id: &'r str,
    pub name: &'r str,
    pub role: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowSource<'r> {
    /// `None` for a source written inline in the event.
    pub id: Option<&'r str>,
    pub title: &'r str,
    pub publisher: &'r str,
    pub url: Option<&'r str>,
    pub published: Option<&'r str>,
    pub locator: Option<&'r str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowRelated<'r> {
    pub event: &'r str,
    pub relation: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowQuote<'r> {
    /// The speaker's actor id.
    pub by: &'r str,
    pub name: &'r str,
    pub text: &'r str,
}

/// The rows of `events`, in the order given. `lines[i]` is the line of
/// `events[i]` when known; a shorter slice means unknown.
pub fn rows<'r>(record: &'r Record, events: &[&'r Event], lines: &[Option<u32>]) -> Vec<Row<'r>> {
    let mut out = Vec::with_capacity(events.len());
    rows_on_pool(record, events, lines, |rows| rows, |rows| out.extend(rows));
    out
}

/// Events per job when rows are made (and written) on the pool.
const CHUNK: usize = 1024;

/// Makes the rows of `events` on the pool, a chunk of events per job,
/// turns each chunk's rows into `R` there (text, for the writers), and
/// hands each `R` to `take` in the events' order.
fn rows_on_pool<'r, R: Send>(
    record: &'r Record,
    events: &[&'r Event],
    lines: &[Option<u32>],
    finish: impl Fn(Vec<Row<'r>>) -> R + Sync,
    mut take: impl FnMut(R),
) {
    let look = Lookup::new(record);
    // Each file's name once, not once per event.
    let files: Vec<String> = record.files.iter().map(|p| display_path(p)).collect();
    par::ordered(
        events.len().div_ceil(CHUNK),
        |c| {
            let range = c * CHUNK..((c + 1) * CHUNK).min(events.len());
            let rows = range
                .map(|i| row(&look, &files, events[i], lines.get(i).copied().flatten()))
                .collect();
            finish(rows)
        },
        |_, r| take(r),
    );
}

/// Writes the rows of `events` to `out` as [`ndjson`] writes them, made
/// and serialized on the pool a chunk at a time, so that neither all rows
/// nor the whole text is held at once.
///
/// # Errors
///
/// What writing to `out` gives.
pub fn write_ndjson(
    record: &Record,
    events: &[&Event],
    lines: &[Option<u32>],
    out: &mut dyn io::Write,
) -> io::Result<()> {
    write_chunks(record, events, lines, out, |rows| {
        ndjson(&rows).into_bytes()
    })
}

/// Writes the rows of `events` to `out` as [`csv`] writes them (header
/// first), made and written on the pool a chunk at a time.
///
/// # Errors
///
/// What writing to `out` gives.
pub fn write_csv(
    record: &Record,
    events: &[&Event],
    lines: &[Option<u32>],
    out: &mut dyn io::Write,
) -> io::Result<()> {
    out.write_all(&csv_bytes(&[], true))?;
    write_chunks(record, events, lines, out, |rows| csv_bytes(&rows, false))
}

fn write_chunks(
    record: &Record,
    events: &[&Event],
    lines: &[Option<u32>],
    out: &mut dyn io::Write,
    text: impl Fn(Vec<Row>) -> Vec<u8> + Sync,
) -> io::Result<()> {
    let mut written = Ok(());
    rows_on_pool(record, events, lines, text, |bytes| {
        if written.is_ok() {
            written = out.write_all(&bytes);
        }
    });
    written
}

fn row<'r>(look: &Lookup<'r>, files: &[String], e: &'r Event, line: Option<u32>) -> Row<'r> {
    Row {
        id: &e.id,
        date: e.date.text(),
        start: e.date.earliest().map(|d| d.to_string()),
        end: e.date.latest().map(|d| d.to_string()),
        label: e.date.label(),
        date_text: e.date_text.as_deref(),
        precision: e.date.precision().as_str(),
        shape: e.date.shape().as_str(),
        qualifiers: e.date.qualifiers().as_strs(),
        kind: &e.kind,
        title: &e.title,
        summary: e.summary.as_deref().map(str::trim_end),
        status: e.status.as_str(),
        actors: e
            .actors
            .iter()
            .map(|a| RowActor {
                id: &a.actor,
                name: look.actor_name(&a.actor),
                role: a.role.as_str(),
            })
            .collect(),
        sources: e
            .sources
            .iter()
            .filter_map(|r| {
                let v = look.cited(r)?;
                Some(RowSource {
                    id: v.id,
                    title: v.title,
                    publisher: v.publisher,
                    url: v.url,
                    published: v.published.map(|d| d.text()),
                    locator: r.locator(),
                })
            })
            .collect(),
        tags: &e.tags,
        location: e.location.as_deref(),
        related: e
            .related
            .iter()
            .map(|r| RowRelated {
                event: &r.event,
                relation: r.relation.as_str(),
            })
            .collect(),
        quotes: e
            .quotes
            .iter()
            .map(|q| RowQuote {
                by: &q.by,
                name: look.actor_name(&q.by),
                text: &q.text,
            })
            .collect(),
        file: files
            .get(e.origin.file as usize)
            .cloned()
            .unwrap_or_default(),
        line,
    }
}

/// A pretty-printed JSON array of rows, ending in a newline.
pub fn json(rows: &[Row]) -> String {
    let mut s = serde_json::to_string_pretty(rows).expect("rows serialize");
    s.push('\n');
    s
}

/// One compact JSON object per line.
pub fn ndjson(rows: &[Row]) -> String {
    let mut s = String::new();
    for r in rows {
        s.push_str(&serde_json::to_string(r).expect("rows serialize"));
        s.push('\n');
    }
    s
}

/// The separator of items in a CSV list cell.
pub const CSV_LIST_SEPARATOR: &str = "; ";

/// CSV with a header row, for spreadsheets: scalars as text (null as an
/// empty cell); lists as readable text, items separated by `; `:
/// `actors` as "Kim Yo-jong (initiator); Japan (target)", `sources` as
/// "Title (Publisher, 4 Apr 2024), para. 3". The id columns carry what
/// `import csv` reads back: `actor_ids` as `kim-yo-jong:initiator;
/// japan:target`, `source_ids` as [`source_ids_cell`] writes them. `tags`,
/// `related` (`event:relation`) and `qualifiers` are lists of words;
/// `quotes` a line per quote ([`quotes_cell`]).
/// Every cell goes through [`neutralise`].
pub fn csv(rows: &[Row]) -> String {
    String::from_utf8(csv_bytes(rows, true)).expect("CSV of UTF-8 cells is UTF-8")
}

/// The CSV lines of `rows`, after the header line if `header`.
fn csv_bytes(rows: &[Row], header: bool) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    if header {
        w.write_record(crate::fields::row::csv_columns())
            .expect("writing to memory");
    }
    for r in rows {
        let opt = |o: Option<&str>| o.unwrap_or("").to_string();
        let join = |items: Vec<String>| items.join(CSV_LIST_SEPARATOR);
        let cells: [String; 23] = [
            r.id.to_string(),
            r.date.to_string(),
            r.start.clone().unwrap_or_default(),
            r.end.clone().unwrap_or_default(),
            r.label.clone(),
            opt(r.date_text),
            r.precision.to_string(),
            r.shape.to_string(),
            join(r.qualifiers.iter().map(|q| q.to_string()).collect()),
            r.kind.to_string(),
            r.title.to_string(),
            opt(r.summary),
            r.status.to_string(),
            join(
                r.actors
                    .iter()
                    .map(|a| format!("{} ({})", a.name, a.role))
                    .collect(),
            ),
            join(
                r.actors
                    .iter()
                    .map(|a| format!("{}:{}", a.id, a.role))
                    .collect(),
            ),
            join(r.sources.iter().map(source_words).collect()),
            source_ids_cell(&r.sources),
            join(r.tags.iter().map(|t| t.to_string()).collect()),
            opt(r.location),
            join(
                r.related
                    .iter()
                    .map(|x| format!("{}:{}", x.event, x.relation))
                    .collect(),
            ),
            quotes_cell(&r.quotes),
            r.file.clone(),
            r.line.map(|l| l.to_string()).unwrap_or_default(),
        ];
        w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
            .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// The `quotes` cell: a line per quote, the speaker's actor id, `: ` and
/// the words (`kcna: message of sympathy`); a line break inside the words
/// is written `\n` and a backslash `\\`, so that each quote stays one
/// line. `import csv` reads this back exactly (`import::quotes`).
pub fn quotes_cell(quotes: &[RowQuote]) -> String {
    let lines: Vec<String> = quotes
        .iter()
        .map(|q| {
            let mut line = format!("{}: ", q.by);
            for ch in q.text.chars() {
                match ch {
                    '\\' => line.push_str("\\\\"),
                    '\n' => line.push_str("\\n"),
                    '\r' => line.push_str("\\r"),
                    c => line.push(c),
                }
            }
            line
        })
        .collect();
    lines.join("\n")
}

/// A source for a reader: "Title (Publisher, 2024-04-04), para. 3".
fn source_words(s: &RowSource) -> String {
    let mut out = format!("{} ({}", s.title, s.publisher);
    if let Some(p) = s.published {
        out.push_str(", ");
        out.push_str(p);
    }
    out.push(')');
    if let Some(l) = s.locator {
        out.push_str(", ");
        out.push_str(l);
    }
    out
}

/// The `source_ids` cell: each source as its id, with the locator in
/// brackets (`kei-report (para. 3)`; `\`, `(` and `)` in a locator
/// backslash-escaped), separated by `; `. A source written inline in the
/// event has no id: it is written as the JSON object of its fields
/// (`{"title": ..., "publisher": ..., "url": ..., "published": ...,
/// "locator": ...}`), the one case a cell holds JSON. `import csv` reads
/// this back exactly (`import::source_ids`).
pub fn source_ids_cell(sources: &[RowSource]) -> String {
    let items: Vec<String> = sources
        .iter()
        .map(|s| match s.id {
            Some(id) => match s.locator {
                Some(l) => {
                    let mut out = format!("{id} (");
                    for ch in l.chars() {
                        if matches!(ch, '\\' | '(' | ')') {
                            out.push('\\');
                        }
                        out.push(ch);
                    }
                    out.push(')');
                    out
                }
                None => id.to_string(),
            },
            None => j(s),
        })
        .collect();
    items.join(CSV_LIST_SEPARATOR)
}

/// A value as compact JSON text.
fn j<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("rows serialize")
}

/// What makes a spreadsheet read a cell as a formula (OWASP, "CSV
/// injection"): `=`, `+`, `-`, `@`, tab and carriage return.
const FORMULA_LEADS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell a spreadsheet will not run: a cell that starts with a
/// formula character, or with `'`, gets one `'` in front. [`restore`]
/// undoes it exactly: `'=1` was `=1`, `''=1` was `'=1`, `''x` was `'x`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_LEADS) || cell.starts_with('\'') {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell as [`neutralise`] had it: one leading `'` is removed when what
/// follows starts with a formula character or another `'`. A `'` before
/// anything else is the cell's own (`'Tis`, typed in a spreadsheet), and
/// kept.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_LEADS) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn neutralised_cells_restore_exactly() {
        for cell in [
            "=1+2", "+1", "-0500", "@SUM(A1)", "\tx", "\rx", "'=1", "''", "'", "'Tis", "plain", "",
        ] {
            let n = neutralise(cell);
            assert!(!n.starts_with(FORMULA_LEADS), "{cell:?} -> {n:?}");
            assert_eq!(restore(&n), cell, "{cell:?} -> {n:?}");
        }
        assert_eq!(neutralise("=1"), "'=1");
        assert_eq!(neutralise("'=1"), "''=1");
        assert_eq!(restore("'Tis"), "'Tis");
    }
}
