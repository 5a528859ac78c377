//! iCalendar (RFC 5545): one all-day `VEVENT` per event.
//!
//! An event covers the days of its date: a day is one all-day event, an
//! interval spans its days, and anything less exact (a month, an open end,
//! an approximate day) spans its bounds with the date in words in the
//! summary: "… (Feb 2024)". A one-of range ("one day between 20 Sep and 31
//! Dec") is one all-day event on its first possible day, never an event
//! lasting the range, with the range in the summary. The
//! `UID` is the event id, so a calendar that imports the file again updates
//! the events instead of doubling them. Text is escaped as RFC 5545 says
//! (`\\`, `\;`, `\,`, `\n`), control characters are replaced, lines are
//! folded at 75 octets without splitting a character, and every line ends
//! in CRLF.

use super::lookup::{Lookup, actors_line, status_note};
use super::span::span;
use crate::model::{Event, Record, Status};
use crate::par;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use std::fmt::Write as _;
use std::io;

/// What [`write`] left out: the events neither end of whose date is known,
/// and those whose dates fall outside the years 1 to 9999 that iCalendar
/// can write, by id.
pub struct Summary {
    pub left_out: Vec<String>,
    pub out_of_range: Vec<String>,
}

/// Writes the iCalendar text of `events` to `out`. `stamp` is the
/// `DTSTAMP` of every event (RFC 5545 requires one: the time the calendar
/// was made).
///
/// The events' VEVENTs are made on the pool a chunk per job and written in
/// order as they come, so that the whole text (bigger than the record) is
/// never held.
///
/// # Errors
///
/// What writing to `out` gives.
pub fn write(
    record: &Record,
    events: &[&Event],
    stamp: NaiveDateTime,
    out: &mut dyn io::Write,
) -> io::Result<Summary> {
    let look = Lookup::new(record);
    let mut head = Lines::default();
    head.line("BEGIN:VCALENDAR");
    head.line("VERSION:2.0");
    head.line(concat!(
        "PRODID:-//annals//annals ",
        env!("CARGO_PKG_VERSION"),
        "//EN"
    ));
    head.line("CALSCALE:GREGORIAN");
    out.write_all(head.0.as_bytes())?;
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut left_out = Vec::new();
    let mut out_of_range = Vec::new();
    let chunk = |c: usize| &events[c * CHUNK..((c + 1) * CHUNK).min(events.len())];
    par::write_ordered(
        out,
        events.len().div_ceil(CHUNK),
        |c| {
            let mut part = Part::default();
            for e in chunk(c) {
                vevent(&mut part, &look, e, &stamp);
            }
            part
        },
        |out, _, part| {
            left_out.extend(part.left_out);
            out_of_range.extend(part.out_of_range);
            out.write_all(part.lines.0.as_bytes())
        },
    )?;
    let mut tail = Lines::default();
    tail.line("END:VCALENDAR");
    out.write_all(tail.0.as_bytes())?;
    Ok(Summary {
        left_out,
        out_of_range,
    })
}

/// Events per job on the pool.
const CHUNK: usize = 1024;

/// The VEVENTs of some events, and the ids of those left out.
#[derive(Default)]
struct Part {
    lines: Lines,
    left_out: Vec<String>,
    out_of_range: Vec<String>,
}

fn vevent(part: &mut Part, look: &Lookup, e: &Event, stamp: &str) {
    let Some(s) = span(&e.date) else {
        part.left_out.push(e.id.to_string());
        return;
    };
    // A one-of range goes on its first possible day only
    // (`Span::drawn`): never an event lasting the range.
    let (first, last) = s.drawn();
    // DTEND is the day after the last: all-day ends are exclusive.
    let after = last.checked_add_days(Days::new(1)).unwrap_or(last);
    // RFC 5545 dates have four-digit years, and year 0 is no year of
    // the Gregorian calendar it names: leave such events out.
    if first.year() < 1 || after.year() > 9999 {
        part.out_of_range.push(e.id.to_string());
        return;
    }
    let out = &mut part.lines;
    out.line("BEGIN:VEVENT");
    out.prop("UID", &format!("{}@annals", e.id));
    out.prop("DTSTAMP", stamp);
    out.prop("DTSTART;VALUE=DATE", &day(first));
    out.prop("DTEND;VALUE=DATE", &day(after));
    let mut summary = e.title.clone();
    if !s.exact {
        summary.push_str(&format!(" ({})", e.date.label()));
    }
    out.prop("SUMMARY", &text(&summary));
    out.prop("DESCRIPTION", &text(&description(look, e, s.one_of)));
    if let Some(l) = &e.location {
        out.prop("LOCATION", &text(l));
    }
    out.prop("CATEGORIES", &text(&look.kind_label(&e.kind)));
    out.prop(
        "STATUS",
        match e.status {
            Status::Occurred | Status::Scheduled => "CONFIRMED",
            Status::Reported => "TENTATIVE",
            Status::Cancelled => "CANCELLED",
        },
    );
    let url = e.sources.iter().find_map(|r| look.cited(r)?.url);
    if let Some(u) = url {
        // A URI value, not text: the loader has checked it has no
        // spaces or control characters; nothing is escaped.
        out.prop("URL", u);
    }
    out.line("END:VEVENT");
}

fn day(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// The event in plain text: summary, date, actors, status, quotes, sources.
fn description(look: &Lookup, e: &Event, one_of: bool) -> String {
    let mut d = String::new();
    if let Some(s) = &e.summary {
        d.push_str(s.trim_end());
        d.push_str("\n\n");
    }
    let _ = write!(d, "Date: {} ({})", e.date.label(), e.date.text());
    if let Some(t) = &e.date_text {
        let _ = write!(d, ", \"{t}\" in the source");
    }
    if one_of {
        d.push_str("; shown on the first day it may have been");
    }
    d.push('\n');
    let actors: Vec<(&str, _)> = e
        .actors
        .iter()
        .map(|a| (look.actor_name(&a.actor), a.role))
        .collect();
    let _ = writeln!(d, "Actors: {}", actors_line(&actors));
    if let Some(n) = status_note(e.status) {
        let _ = writeln!(d, "Status: {n}");
    }
    for q in &e.quotes {
        let _ = writeln!(d, "“{}” ({})", q.text, look.actor_name(&q.by));
    }
    for r in &e.sources {
        let Some(v) = look.cited(r) else { continue };
        let (authors, tail) = v.citation_parts();
        d.push_str("Source: ");
        if let Some(a) = authors {
            let _ = write!(d, "{a}. ");
        }
        let _ = write!(d, "{}. {tail}", v.title);
        if let Some(l) = r.locator() {
            let _ = write!(d, ", {l}");
        }
        if let Some(u) = v.url {
            let _ = write!(d, " <{u}>");
        }
        d.push('\n');
    }
    d.truncate(d.trim_end().len());
    d
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped,
/// line breaks as `\n`, other control characters (which TEXT may not hold)
/// replaced by U+FFFD.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\t' => out.push('\t'),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Content lines, folded and ended in CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn prop(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// Appends a content line folded at 75 octets (RFC 5545 3.1): a CRLF
    /// and a space before each continuation, never inside a UTF-8 sequence.
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            let n = c.len_utf8();
            if width + n > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += n;
        }
        self.0.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(text("x\r\ny\rz"), "x\\ny\\nz");
        assert_eq!(text("bell\u{7}"), "bell\u{FFFD}");
    }

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut l = Lines::default();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        l.line(&long);
        for line in l.0.split("\r\n").filter(|s| !s.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = l.0.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }
}
