//! Reading events from a spreadsheet's CSV, for `annals import csv`.
//!
//! Each row becomes an [`EventDraft`], the same thing `annals add` writes,
//! so the store checks and writes imported events exactly as added ones.
//! This module only reads cells; whether the events make sense in the
//! record is the validator's to say.
//!
//! Columns whose names are event fields (`id`, `date`, `title`, ...; case,
//! spaces and hyphens ignored) are used for them; others are mapped by the
//! caller or ignored. The columns `annals export csv` writes that are not
//! fields (`start`, `label`, `file`, ...) are derived from the fields, so an
//! export reads back as the same events.
//!
//! List cells (`actors`, `sources`, `tags`, `related`, `quotes`) are either
//! JSON, as `annals export csv` writes them, or for hand-made sheets a list
//! separated by `;`, `,` or line breaks: `kishida-fumio:initiator;
//! kim-jong-un`, `responds-to` relations as `event-id:relation`.

use crate::fields::event;
use crate::keyword;
use crate::model::{ActorRef, Quote, Related, Relation, Role, Status};
use crate::render::records::restore;
use crate::store::draft::{EventDraft, SourceCite, SourceDraft};
use serde_json::Value;
use std::cell::Cell;
use std::io::{BufReader, Chain, Cursor};
use std::rc::Rc;

/// A CSV read into drafts, all at once (for tests and small sheets; the
/// command streams [`Rows`]).
#[derive(Debug)]
pub struct Sheet {
    pub rows: Vec<Row>,
    /// Column names used for no field, in header order.
    pub ignored: Vec<String>,
    /// `(column, field)` for each column used.
    pub used: Vec<(String, &'static str)>,
}

/// One data row.
#[derive(Debug)]
pub struct Row {
    /// The line the row starts on in the CSV file (the header is line 1).
    pub line: u64,
    /// The event, or why the row cannot be one.
    pub draft: Result<EventDraft, Vec<String>>,
    /// For a row with problems in its cells: the event as far as it could
    /// be read (an actor with a bad role kept as a participant), when it
    /// has every required field, so that the record's checks can still
    /// name the row's other problems (an unknown actor) in the same run.
    pub partial: Option<EventDraft>,
}

/// The id columns of `export csv`, and the field each gives.
const ID_COLUMNS: [(&str, &str); 2] = [("actor_ids", "actors"), ("source_ids", "sources")];

/// The fields every row must give.
pub const REQUIRED: [&str; 5] = ["date", "kind", "title", "actors", "sources"];

/// A column name as compared with field names: lower case, with spaces and
/// hyphens as underscores, trimmed.
fn normalize(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// Reads `text` as CSV with a header row. `map` gives `(COLUMN, FIELD)`
/// pairs that override the automatic matching.
///
/// # Errors
///
/// A message for the user when the CSV cannot be read at all, a mapping
/// names a column or field that does not exist, two columns give one field,
/// or a required field has no column. Problems in single rows are not
/// errors: they are in [`Row::draft`].
pub fn read(
    input: impl std::io::Read,
    map: &[(String, String)],
    delimiter: Option<u8>,
) -> Result<Sheet, String> {
    let mut rows = rows(input, map, delimiter)?;
    let all = rows.by_ref().collect();
    Ok(Sheet {
        rows: all,
        ignored: rows.ignored,
        used: rows.used,
    })
}

/// The rows of a CSV with a header row, read one at a time: a row becomes
/// a draft when it is asked for, and neither the CSV text nor the rows are
/// ever held whole. The header is read here; see [`read`] for `map` and
/// the errors.
///
/// # Errors
///
/// As [`read`]: problems with the header, never with a row.
pub fn rows<R: std::io::Read>(
    input: R,
    map: &[(String, String)],
    delimiter: Option<u8>,
) -> Result<Rows<R>, String> {
    // Only the header line is read ahead, to tell the delimiter.
    let mut input = std::io::BufReader::new(input);
    let mut first = Vec::new();
    std::io::BufRead::read_until(&mut input, b'\n', &mut first)
        .map_err(|e| format!("cannot read the header row: {e}"))?;
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&first));
    let input = std::io::Read::chain(std::io::Cursor::new(first), input);
    let quotes = Rc::new(Cell::new(Quotes {
        delimiter,
        ..Quotes::default()
    }));
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(QuoteWatch {
            inner: input,
            quotes: Rc::clone(&quotes),
        });
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let event_fields: Vec<&'static str> = event::TABLE.names().collect();
    let mut field_of: Vec<Option<&'static str>> = vec![None; header.len()];
    for (i, h) in header.iter().enumerate() {
        let n = normalize(h);
        field_of[i] = event_fields.iter().copied().find(|f| *f == n);
    }
    // `export csv` writes actors and sources twice: in words for readers
    // (`actors`, `sources`) and as ids (`actor_ids`, `source_ids`). The ids
    // are what import reads; the words are then ignored.
    for (ids, field) in ID_COLUMNS {
        if let Some(i) = header.iter().position(|h| normalize(h) == ids) {
            for f in field_of.iter_mut().filter(|f| **f == Some(field)) {
                *f = None;
            }
            field_of[i] = Some(field);
        }
    }
    for (column, field) in map {
        let i = header
            .iter()
            .position(|h| h == column)
            .or_else(|| {
                header
                    .iter()
                    .position(|h| normalize(h) == normalize(column))
            })
            .ok_or_else(|| {
                format!(
                    "--map {column}={field}: the CSV has no column `{column}`; its columns are: {}",
                    header.join(", ")
                )
            })?;
        if field.is_empty() || field == "-" {
            field_of[i] = None;
            continue;
        }
        let f = event_fields
            .iter()
            .copied()
            .find(|f| *f == field.as_str())
            .ok_or_else(|| {
                let help = crate::diag::did_you_mean(field, event_fields.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                format!(
                    "--map {column}={field}: `{field}` is not an event field{help}; the fields are: {}",
                    event_fields.join(", ")
                )
            })?;
        field_of[i] = Some(f);
    }
    for f in &event_fields {
        let cols: Vec<&str> = header
            .iter()
            .zip(&field_of)
            .filter(|(_, g)| **g == Some(*f))
            .map(|(h, _)| h.as_str())
            .collect();
        if cols.len() > 1 {
            return Err(format!(
                "columns {} all give the field `{f}`; map all but one elsewhere with --map COLUMN=-",
                cols.iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|f| !field_of.contains(&Some(*f)))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "no column gives {}; name columns after the fields or use --map COLUMN=FIELD (the CSV's columns are: {})",
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", "),
            header.join(", ")
        ));
    }
    let ignored = header
        .iter()
        .zip(&field_of)
        .filter(|(_, f)| f.is_none())
        .map(|(h, _)| h.clone())
        .collect();
    let used = header
        .iter()
        .zip(&field_of)
        .filter_map(|(h, f)| Some((h.clone(), (*f)?)))
        .collect();
    Ok(Rows {
        reader,
        quotes,
        field_of,
        record: ::csv::StringRecord::new(),
        ahead: None,
        started: false,
        ignored,
        used,
    })
}

/// What the CSV reader reads: the header line read ahead, then the rest.
type Input<R> = Chain<Cursor<Vec<u8>>, BufReader<R>>;

/// The data rows of a CSV, as an iterator of [`Row`]s (see [`rows`]).
pub struct Rows<R> {
    reader: ::csv::Reader<QuoteWatch<Input<R>>>,
    quotes: Rc<Cell<Quotes>>,
    field_of: Vec<Option<&'static str>>,
    /// Reused for every row.
    record: ::csv::StringRecord,
    /// The row after the one handed out last: whether a row is the last
    /// decides what an unclosed quote is blamed on.
    ahead: Option<Row>,
    started: bool,
    /// Column names used for no field, in header order.
    pub ignored: Vec<String>,
    /// `(column, field)` for each column used.
    pub used: Vec<(String, &'static str)>,
}

impl<R: std::io::Read> Rows<R> {
    fn read_row(&mut self) -> Option<Row> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                // Cells `annals export csv` neutralised come back as they
                // were (`render::records::restore`).
                let cells: Vec<(&'static str, &str)> = self
                    .field_of
                    .iter()
                    .zip(self.record.iter())
                    .filter_map(|(f, c)| Some(((*f)?, restore(c))))
                    .collect();
                let (draft, partial) = draft(&cells);
                Some(Row {
                    line,
                    draft,
                    partial,
                })
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let why = match e.kind() {
                    ::csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("the row has {len} cells; the header has {expected_len}"),
                    ::csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
                    _ => e.to_string(),
                };
                Some(Row {
                    line,
                    draft: Err(vec![why]),
                    partial: None,
                })
            }
        }
    }
}

impl<R: std::io::Read> Iterator for Rows<R> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if !self.started {
            self.started = true;
            self.ahead = self.read_row();
        }
        let mut row = self.ahead.take()?;
        self.ahead = self.read_row();
        // An unclosed quote swallows the rest of the file into the last
        // row: say so, rather than counting that row's cells.
        if self.ahead.is_none()
            && let Some(open) = self.quotes.get().unclosed()
        {
            row.partial = None;
            row.draft = Err(vec![format!(
                "the quote opened on line {open} is never closed (a `\"` inside a quoted cell is written `\"\"`)"
            )]);
        }
        Some(row)
    }
}

/// The delimiters a sheet may use: the comma; the semicolon, which Excel
/// writes where the comma is the decimal separator (most of Europe); the
/// tab of "tab-separated values".
pub const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The delimiter of a CSV file, told from its header line: the one of
/// [`DELIMITERS`] found most often outside quotes (a comma when none is,
/// or on a tie with it). Field names hold none of them, so the header
/// tells reliably where the data rows might not.
pub fn sniff_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in header {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
            counts[i] += 1;
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

/// Where a reader of CSV is in RFC 4180's quoting, as the `csv` crate reads
/// it (a quote opens a quoted cell only at the start of a cell; `""` inside
/// is a quote): at the end, `opened` is the line of a quote never closed.
#[derive(Debug, Clone, Copy)]
struct Quotes {
    line: u64,
    opened: Option<u64>,
    at_cell_start: bool,
    /// A quote inside a quoted cell was the last byte: it closes the cell
    /// unless the next byte is another quote.
    pending: bool,
    delimiter: u8,
}

impl Default for Quotes {
    fn default() -> Self {
        Quotes {
            line: 1,
            opened: None,
            at_cell_start: true,
            pending: false,
            delimiter: b',',
        }
    }
}

impl Quotes {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.pending {
                self.pending = false;
                if b == b'"' {
                    continue;
                }
                self.opened = None;
            }
            if b == b'\n' {
                self.line += 1;
            }
            match (self.opened, b) {
                (None, b'"') if self.at_cell_start => self.opened = Some(self.line),
                (None, b'\n' | b'\r') => {
                    self.at_cell_start = true;
                    continue;
                }
                (None, d) if d == self.delimiter => {
                    self.at_cell_start = true;
                    continue;
                }
                (Some(_), b'"') => self.pending = true,
                _ => {}
            }
            self.at_cell_start = false;
        }
    }

    /// The line of the quote left open at the end of the input.
    fn unclosed(mut self) -> Option<u64> {
        if self.pending {
            self.opened = None;
        }
        self.opened
    }
}

/// Passes bytes through to the CSV reader, following its quoting.
struct QuoteWatch<R> {
    inner: R,
    quotes: Rc<Cell<Quotes>>,
}

impl<R: std::io::Read> std::io::Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut q = self.quotes.get();
        q.feed(&buf[..n]);
        self.quotes.set(q);
        Ok(n)
    }
}

/// One row's cells, by field, into a draft; every problem is collected.
/// With problems, the draft as far as it was read comes too, when it has
/// every required field ([`Row::partial`]).
fn draft(cells: &[(&'static str, &str)]) -> (Result<EventDraft, Vec<String>>, Option<EventDraft>) {
    let mut d = EventDraft::default();
    let mut errors = Vec::new();
    for &(field, cell) in cells {
        if cell.trim().is_empty() {
            continue;
        }
        let text = || Some(cell.to_string());
        let result: Result<(), String> = match field {
            "id" => {
                d.id = Some(cell.trim().to_string());
                Ok(())
            }
            "date" => {
                d.date = cell.trim().to_string();
                Ok(())
            }
            "date_text" => {
                d.date_text = text();
                Ok(())
            }
            "kind" => {
                d.kind = cell.trim().to_string();
                Ok(())
            }
            "title" => {
                d.title = cell.to_string();
                Ok(())
            }
            "summary" => {
                d.summary = text();
                Ok(())
            }
            "location" => {
                d.location = text();
                Ok(())
            }
            "status" => match Status::parse(cell.trim()) {
                // The default is not written, as `annals add` does not.
                Some(Status::Occurred) => Ok(()),
                Some(s) => {
                    d.status = Some(s);
                    Ok(())
                }
                None => Err(keyword::not_a::<Status>(cell.trim())),
            },
            "actors" => {
                let (a, problems) = actors(cell);
                d.actors = a;
                errors.extend(
                    problems
                        .into_iter()
                        .map(|e| format!("column `actors`: {e}")),
                );
                Ok(())
            }
            "sources" => sources(cell).map(|s| d.sources = s),
            "tags" => list(cell, |v| match v {
                Item::Text(t) => Ok(t),
                Item::Json(Value::String(s)) => Ok(s),
                Item::Json(other) => Err(format!("a tag must be text, found {other}")),
            })
            .map(|t| d.tags = t),
            "related" => related(cell).map(|r| d.related = r),
            "quotes" => quotes(cell).map(|q| d.quotes = q),
            other => unreachable!("`{other}` is an event field"),
        };
        if let Err(e) = result {
            errors.push(format!("column `{field}`: {e}"));
        }
    }
    for f in REQUIRED {
        let empty = match f {
            "date" => d.date.is_empty(),
            "kind" => d.kind.is_empty(),
            "title" => d.title.trim().is_empty(),
            "actors" => d.actors.is_empty(),
            _ => d.sources.is_empty(),
        };
        if empty
            && !errors
                .iter()
                .any(|e| e.starts_with(&format!("column `{f}`")))
        {
            errors.push(format!("`{f}` is empty; every event needs it"));
        }
    }
    if errors.is_empty() {
        (Ok(d), None)
    } else {
        let complete = !d.date.is_empty()
            && !d.kind.is_empty()
            && !d.title.trim().is_empty()
            && !d.actors.is_empty()
            && !d.sources.is_empty();
        (Err(errors), complete.then_some(d))
    }
}

/// One element of a list cell.
enum Item {
    Text(String),
    Json(Value),
}

/// The elements of a list cell: a JSON array, or text split at `;`, `,`
/// and line breaks.
fn list<T>(cell: &str, mut each: impl FnMut(Item) -> Result<T, String>) -> Result<Vec<T>, String> {
    let t = cell.trim();
    if t.starts_with('[') {
        let v: Value = serde_json::from_str(t).map_err(|e| format!("not a JSON list ({e})"))?;
        let Value::Array(items) = v else {
            return Err("not a JSON list".into());
        };
        return items.into_iter().map(|v| each(Item::Json(v))).collect();
    }
    t.split([';', ',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| each(Item::Text(s.to_string())))
        .collect()
}

/// A string member of a JSON object, `None` when absent or null.
fn member(obj: &serde_json::Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(format!("`{key}` must be text, found {other}")),
    }
}

fn role(s: Option<&str>) -> Result<Role, String> {
    match s {
        None => Ok(Role::Participant),
        Some(r) => Role::parse(r.trim()).ok_or_else(|| keyword::not_a::<Role>(r)),
    }
}

/// An `actors` cell: the actors read, and every problem. An actor whose
/// role is not one is kept as a participant, so that its id is still
/// checked against the record.
fn actors(cell: &str) -> (Vec<ActorRef>, Vec<String>) {
    let mut problems = Vec::new();
    let mut role_of = |r: Option<&str>| {
        role(r).unwrap_or_else(|e| {
            problems.push(e);
            Role::Participant
        })
    };
    let read = list(cell, |item| match item {
        Item::Text(t) | Item::Json(Value::String(t)) => {
            let (id, r) = match t.split_once(':') {
                Some((id, r)) => (id.trim(), Some(r)),
                None => (t.as_str(), None),
            };
            Ok(Some(ActorRef {
                actor: id.into(),
                role: role_of(r),
            }))
        }
        Item::Json(Value::Object(o)) => {
            let id = member(&o, "id")?
                .or(member(&o, "actor")?)
                .ok_or("an actor needs an `id`")?;
            let r = member(&o, "role")?;
            Ok(Some(ActorRef {
                actor: id.into(),
                role: role_of(r.as_deref()),
            }))
        }
        Item::Json(other) => Err(format!(
            "an actor must be an id or an object, found {other}"
        )),
    });
    match read {
        Ok(a) => (a.into_iter().flatten().collect(), problems),
        Err(e) => {
            problems.push(e);
            (Vec::new(), problems)
        }
    }
}

/// A `sources` cell: a JSON list (as `export csv` wrote before the id
/// columns), or [`source_ids`].
fn sources(cell: &str) -> Result<Vec<SourceCite>, String> {
    if cell.trim().starts_with('[') {
        return sources_json(cell);
    }
    source_ids(cell)
}

/// A `source_ids` cell as `render::records::source_ids_cell` writes it,
/// or as typed by hand: items separated by `;`, `,` or line breaks, each a
/// source id, an id with a locator in brackets (`kei-report (para. 3)`,
/// `\` escaping a bracket or backslash inside), or the JSON object of a
/// source written inline.
pub fn source_ids(cell: &str) -> Result<Vec<SourceCite>, String> {
    let mut out = Vec::new();
    let mut rest = cell.trim_start_matches([' ', '\t', '\n', '\r', ';', ',']);
    while !rest.is_empty() {
        if rest.starts_with('{') {
            let mut items = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
            let v = match items.next() {
                Some(Ok(v)) => v,
                Some(Err(e)) => return Err(format!("an inline source is not JSON ({e})")),
                None => break,
            };
            let end = items.byte_offset();
            out.extend(sources_json(&Value::Array(vec![v]).to_string())?);
            rest = &rest[end..];
        } else {
            let end = rest
                .find([' ', '(', ';', ',', '\n', '\r', '\t'])
                .unwrap_or(rest.len());
            let id = rest[..end].to_string();
            rest = rest[end..].trim_start_matches([' ', '\t']);
            if let Some(after) = rest.strip_prefix('(') {
                let mut locator = String::new();
                let mut chars = after.char_indices();
                let mut closed = None;
                while let Some((i, ch)) = chars.next() {
                    match ch {
                        '\\' => match chars.next() {
                            Some((_, c)) => locator.push(c),
                            None => locator.push('\\'),
                        },
                        ')' => {
                            closed = Some(i + 1);
                            break;
                        }
                        c => locator.push(c),
                    }
                }
                let Some(end) = closed else {
                    return Err(format!(
                        "the locator of `{id}` has no closing `)` (write `\\(` for a bracket inside it)"
                    ));
                };
                rest = &after[end..];
                out.push(SourceCite::Located {
                    source: id,
                    locator,
                });
            } else if id.is_empty() {
                return Err(format!("`{}` is not a source id", rest.trim()));
            } else {
                out.push(SourceCite::Id(id));
            }
        }
        let before = rest.len();
        rest = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        match rest.chars().next() {
            None => break,
            Some(';' | ',') => rest = rest[1..].trim_start_matches([' ', '\t', '\n', '\r']),
            Some(_) if rest.len() < before => {}
            Some(c) => return Err(format!("`{c}` after a source: separate sources with `;`")),
        }
    }
    Ok(out)
}

fn sources_json(cell: &str) -> Result<Vec<SourceCite>, String> {
    list(cell, |item| match item {
        Item::Text(t) | Item::Json(Value::String(t)) => Ok(SourceCite::Id(t)),
        Item::Json(Value::Object(o)) => {
            let locator = member(&o, "locator")?;
            if let Some(id) = member(&o, "id")?.or(member(&o, "source")?) {
                return Ok(match locator {
                    Some(locator) => SourceCite::Located {
                        source: id,
                        locator,
                    },
                    None => SourceCite::Id(id),
                });
            }
            let authors = match o.get("author").or(o.get("authors")) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| format!("an author must be text, found {v}"))
                    })
                    .collect::<Result<_, _>>()?,
                Some(other) => return Err(format!("`author` must be text, found {other}")),
            };
            Ok(SourceCite::Inline {
                source: SourceDraft {
                    id: None,
                    title: member(&o, "title")?.unwrap_or_default(),
                    publisher: member(&o, "publisher")?.unwrap_or_default(),
                    authors,
                    url: member(&o, "url")?,
                    published: member(&o, "published")?,
                    accessed: member(&o, "accessed")?,
                    note: member(&o, "note")?,
                },
                locator,
            })
        }
        Item::Json(other) => Err(format!(
            "a source must be an id or an object, found {other}"
        )),
    })
}

fn relation(event: &str, r: &str) -> Result<Related, String> {
    let relation = Relation::parse(r.trim()).ok_or_else(|| keyword::not_a::<Relation>(r))?;
    Ok(Related {
        event: event.trim().into(),
        relation,
    })
}

fn related(cell: &str) -> Result<Vec<Related>, String> {
    list(cell, |item| match item {
        Item::Text(t) | Item::Json(Value::String(t)) => match t.split_once(':') {
            Some((e, r)) => relation(e, r),
            None => Err(format!("`{t}` has no relation: write `{t}:responds-to`")),
        },
        Item::Json(Value::Object(o)) => {
            let e = member(&o, "event")?.ok_or("a related entry needs an `event`")?;
            let r = member(&o, "relation")?.ok_or("a related entry needs a `relation`")?;
            relation(&e, &r)
        }
        Item::Json(other) => Err(format!(
            "a related entry must be `id:relation` or an object, found {other}"
        )),
    })
}

/// A `quotes` cell: a line per quote, `actor-id: words`, as
/// `render::records::quotes_cell` writes it (`\n` and `\\` in the words
/// for a line break and a backslash); or a JSON list of `{by, text}`.
fn quotes(cell: &str) -> Result<Vec<Quote>, String> {
    if !cell.trim_start().starts_with('[') {
        return cell
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let (by, words) = l.split_once(": ").ok_or_else(|| {
                    format!("`{l}` is not a quote: write `actor-id: words`, a line each")
                })?;
                let mut text = String::new();
                let mut chars = words.chars();
                while let Some(ch) = chars.next() {
                    if ch != '\\' {
                        text.push(ch);
                        continue;
                    }
                    match chars.next() {
                        Some('n') => text.push('\n'),
                        Some('r') => text.push('\r'),
                        Some(c) => text.push(c),
                        None => text.push('\\'),
                    }
                }
                Ok(Quote {
                    by: by.trim().into(),
                    text,
                })
            })
            .collect();
    }
    list(cell, |item| match item {
        Item::Json(Value::Object(o)) => Ok(Quote {
            by: member(&o, "by")?.ok_or("a quote needs `by`")?.into(),
            text: member(&o, "text")?.ok_or("a quote needs `text`")?,
        }),
        Item::Json(other) => Err(format!("a quote must be an object, found {other}")),
        Item::Text(_) => unreachable!("a JSON list"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_made_sheets_read_with_auto_mapping() {
        let csv = "Date,Kind,Title,Actors,Sources,Tags,Related,Notes\n\
                   2024-05-01,statement,Kishida speaks,\"kishida-fumio:initiator; kim-jong-un\",kei,\"a, b\",x:responds-to,ignored\n";
        let s = read(csv.as_bytes(), &[], None).unwrap();
        assert_eq!(s.ignored, ["Notes"]);
        let d = s.rows[0].draft.as_ref().unwrap();
        assert_eq!(s.rows[0].line, 2);
        assert_eq!(d.actors.len(), 2);
        assert_eq!(d.actors[0].role, Role::Initiator);
        assert_eq!(d.actors[1].role, Role::Participant);
        assert_eq!(d.tags, ["a", "b"]);
        assert_eq!(d.related[0].relation, Relation::RespondsTo);
        assert_eq!(d.sources, [SourceCite::Id("kei".into())]);
    }

    #[test]
    fn semicolon_and_tab_separated_sheets_are_told_from_the_header() {
        assert_eq!(sniff_delimiter(b"Date;Kind;Title;Actors;Sources\n"), b';');
        assert_eq!(sniff_delimiter(b"Date\tKind\tTitle\n"), b'\t');
        assert_eq!(sniff_delimiter(b"date,kind,\"a;b;c\"\n"), b',');
        assert_eq!(sniff_delimiter(b"title\n"), b',');
        let csv = "Date;Kind;Title;Actors;Sources\n\
                   2024-05-01;statement;\"Kishida; again\";kishida-fumio:initiator, kim-jong-un;kei\n";
        let s = read(csv.as_bytes(), &[], None).unwrap();
        let d = s.rows[0].draft.as_ref().unwrap();
        assert_eq!(d.title, "Kishida; again");
        assert_eq!(d.actors.len(), 2);
        // --delimiter wins over the header.
        let e = read(csv.as_bytes(), &[], Some(b',')).unwrap_err();
        assert!(e.contains("no column gives"), "{e}");
        let tsv = "date\tkind\ttitle\tactors\tsources\n2024-05-01\tstatement\tT\tx\tkei\n";
        assert!(
            read(tsv.as_bytes(), &[], None).unwrap().rows[0]
                .draft
                .is_ok()
        );
    }

    #[test]
    fn source_ids_read_back_what_export_writes() {
        use crate::render::records::{RowSource, source_ids_cell};
        let named = |id, locator| RowSource {
            id: Some(id),
            title: "T",
            publisher: "P",
            url: None,
            published: None,
            locator,
        };
        let sources = [
            named("kei", Some("paras. 1-2; fn. (3), \\ x")),
            named("kcna", None),
            RowSource {
                id: None,
                title: "An (inline) title; with, commas",
                publisher: "Pub",
                url: Some("https://example.org/a?b=c"),
                published: Some("2024-01-06"),
                locator: Some("p. 4"),
            },
            named("last", Some(")")),
        ];
        let cell = source_ids_cell(&sources);
        assert!(
            cell.starts_with("kei (paras. 1-2; fn. \\(3\\), \\\\ x); kcna; {"),
            "{cell}"
        );
        let back = source_ids(&cell).unwrap();
        assert_eq!(
            back[0],
            SourceCite::Located {
                source: "kei".into(),
                locator: "paras. 1-2; fn. (3), \\ x".into()
            }
        );
        assert_eq!(back[1], SourceCite::Id("kcna".into()));
        match &back[2] {
            SourceCite::Inline { source, locator } => {
                assert_eq!(source.title, "An (inline) title; with, commas");
                assert_eq!(source.url.as_deref(), Some("https://example.org/a?b=c"));
                assert_eq!(source.published.as_deref(), Some("2024-01-06"));
                assert_eq!(locator.as_deref(), Some("p. 4"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            back[3],
            SourceCite::Located {
                source: "last".into(),
                locator: ")".into()
            }
        );
        // By hand: commas and line breaks separate too.
        assert_eq!(source_ids("a, b\nc (p. 2)").unwrap().len(), 3,);
        assert!(source_ids("a (p. 2").unwrap_err().contains("no closing"));
    }

    #[test]
    fn quotes_read_back_what_export_writes() {
        use crate::render::records::{RowQuote, quotes_cell};
        let q = |by, text| RowQuote {
            by,
            name: "N",
            text,
        };
        let written = [
            q("kcna", "message of sympathy"),
            q("kim-yo-jong", "two\nlines, a \\ and: a colon "),
        ];
        let cell = quotes_cell(&written);
        assert_eq!(
            cell,
            "kcna: message of sympathy\nkim-yo-jong: two\\nlines, a \\\\ and: a colon "
        );
        let back = quotes(&cell).unwrap();
        assert_eq!(back.len(), 2);
        for (b, w) in back.iter().zip(&written) {
            assert_eq!((b.by.as_str(), b.text.as_str()), (w.by, w.text));
        }
        assert!(quotes("no colon here").is_err());
        assert_eq!(
            quotes(r#"[{"by": "a", "text": "t"}]"#).unwrap()[0].text,
            "t"
        );
    }

    #[test]
    fn maps_and_row_errors() {
        let csv = "When,What,Headline,Who,From\n\
                   2024-05-01,statement,T,\"x:boss\",kei\n\
                   ,statement,T,x,kei\n";
        let map: Vec<(String, String)> = [
            ("When", "date"),
            ("What", "kind"),
            ("Headline", "title"),
            ("Who", "actors"),
            ("From", "sources"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let s = read(csv.as_bytes(), &map, None).unwrap();
        let e = s.rows[0].draft.as_ref().unwrap_err();
        assert!(e[0].contains("`boss` is not a role"), "{e:?}");
        let e = s.rows[1].draft.as_ref().unwrap_err();
        assert!(e[0].contains("`date` is empty"), "{e:?}");
        assert!(
            read(csv.as_bytes(), &[], None)
                .unwrap_err()
                .contains("no column gives `date`")
        );
        let bad = vec![("When".to_string(), "dat".to_string())];
        assert!(
            read(csv.as_bytes(), &bad, None)
                .unwrap_err()
                .contains("did you mean `date`")
        );
    }
}

#[cfg(test)]
mod quote_tests {
    use super::Quotes;

    fn unclosed_quote(text: &str) -> Option<u64> {
        // Fed in pieces of every size, as reads may split it.
        let mut found = Vec::new();
        for size in 1..=text.len().max(1) {
            let mut q = Quotes::default();
            for piece in text.as_bytes().chunks(size) {
                q.feed(piece);
            }
            found.push(q.unclosed());
        }
        found.dedup();
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        found[0]
    }

    #[test]
    fn unclosed_quotes_are_found_with_their_line() {
        assert_eq!(unclosed_quote("a,b\n1,\"x\"\"y\"\n"), None);
        assert_eq!(unclosed_quote("a,b\n1,\"two\nlines\"\n"), None);
        assert_eq!(unclosed_quote("a,b\n1,x\"y\n"), None);
        assert_eq!(unclosed_quote("a,b\n1,\"x\""), None);
        assert_eq!(unclosed_quote("a,b\n1,2\n\"open,3\n4,5\n"), Some(3));
        assert_eq!(unclosed_quote("a,b\n1,\"x\"\"\n"), Some(2));
    }
}
