//! Timelines: the selected events grouped under year and month headings,
//! as plain text, Markdown or one self-contained HTML file.
//!
//! [`build`] turns events (already in timeline order) into a [`Timeline`]
//! of plain data; [`text`], [`markdown`] and [`html`] write it. An event is
//! grouped under the month of the earliest day its date allows, so a group
//! never breaks the timeline order; its label says what the date means.
//! Events whose start is open or unknown come first, under their own
//! heading. Sources are numbered in the order they are first cited and
//! listed at the end.

use super::escape::{
    html as h, markdown as md, push_html, push_markdown as push_md, terminal_line as t,
};
use super::lookup::{Citations, Lookup, SourceView, push_actors_line, status_note};
use crate::model::{Event, Record, Role, SourceRef};
use crate::par;
use chrono::Datelike;
use std::fmt::Write as _;
use std::io;

/// A timeline ready to be written: the events grouped, their sources
/// numbered. An event's entry is made only as it is written, a month at a
/// time on the pool, so a large record's entries are never all held.
pub struct Timeline<'r> {
    pub years: Vec<YearGroup>,
    pub count: usize,
    /// The heading (and the HTML page's title); "Timeline" unless given.
    pub title: String,
    /// The events in timeline order; the month groups are ranges of it.
    events: Vec<&'r Event>,
    look: Lookup<'r>,
    /// Cited sources; source `n` is `citations.sources[n - 1]`.
    citations: Citations<'r>,
}

/// The events of one year, or of no known start.
#[derive(Debug, Clone)]
pub struct YearGroup {
    /// "2024", or "Start unknown".
    pub heading: String,
    pub months: Vec<MonthGroup>,
}

/// The events of one month; the group of events with no known start has
/// no month heading.
#[derive(Debug, Clone)]
pub struct MonthGroup {
    /// "January 2024".
    pub heading: Option<String>,
    /// The month's events, as positions in the timeline's order.
    pub events: std::ops::Range<usize>,
}

/// One event as a timeline shows it.
#[derive(Debug, Clone)]
pub struct Entry<'r> {
    pub id: &'r str,
    /// What the date means, e.g. "one day between 1 and 10 Feb 2024".
    pub label: String,
    /// The source's words for the date.
    pub date_text: Option<&'r str>,
    /// "scheduled", "cancelled", "reported, unconfirmed"; nothing when it
    /// occurred.
    pub status: Option<&'static str>,
    /// The kind's label, or its id in words.
    pub kind: String,
    pub title: &'r str,
    /// Actor names with their roles.
    pub actors: Vec<(&'r str, Role)>,
    /// Source numbers with the place in the source, if given.
    pub cites: Vec<(usize, Option<&'r str>)>,
    /// The summary, YAML's trailing line break removed.
    pub summary: Option<&'r str>,
    pub location: Option<&'r str>,
    /// Quotes: the words, and the speaker's name.
    pub quotes: Vec<(&'r str, &'r str)>,
    /// The date text `label` was written for: events of one day come
    /// together in a timeline, and their label is written once.
    labelled: Option<&'r str>,
}

const START_UNKNOWN: &str = "Start unknown";

/// Groups `events` (in timeline order) and numbers their sources, in the
/// order they are first cited: one pass, before any entry is written.
pub fn build<'r>(record: &'r Record, events: &[&'r Event]) -> Timeline<'r> {
    let look = Lookup::new(record);
    let mut citations = Citations::default();
    let mut years: Vec<YearGroup> = Vec::new();
    // The (year, month) of the group being filled; None = start unknown.
    let mut current: Option<Option<(i32, u32)>> = None;
    for (i, e) in events.iter().enumerate() {
        for r in &e.sources {
            // A named source cited before keeps its number: one lookup.
            if let SourceRef::Id { source, .. } = r {
                if citations.get_id(source).is_some() {
                    continue;
                }
            }
            if let Some(v) = look.cited(r) {
                citations.number(v);
            }
        }
        let key = e.date.earliest().map(|d| (d.year(), d.month()));
        let same_year = current.is_some_and(|c| c.map(|k| k.0) == key.map(|k| k.0));
        if current != Some(key) {
            if !same_year {
                years.push(YearGroup {
                    heading: key.map_or_else(|| START_UNKNOWN.to_string(), |k| k.0.to_string()),
                    months: Vec::new(),
                });
            }
            if let Some(y) = years.last_mut() {
                y.months.push(MonthGroup {
                    heading: key
                        .map(|(y, m)| format!("{} {y}", crate::date::MONTH_NAMES[m as usize - 1])),
                    events: i..i,
                });
            }
            current = Some(key);
        }
        if let Some(m) = years.last_mut().and_then(|y| y.months.last_mut()) {
            m.events.end = i + 1;
        }
    }
    Timeline {
        years,
        count: events.len(),
        title: "Timeline".to_string(),
        events: events.to_vec(),
        look,
        citations,
    }
}

impl<'r> Timeline<'r> {
    /// Cited sources; source `n` is `sources()[n - 1]`.
    pub fn sources(&self) -> &[SourceView<'r>] {
        &self.citations.sources
    }

    /// Calls `f` with each entry of month `m` in turn. One entry is
    /// refilled for every event, so its label and lists are allocated once
    /// a month rather than once an event (allocation was a tenth of a
    /// 100,000-event timeline).
    pub fn for_each_entry(&self, m: &MonthGroup, mut f: impl FnMut(&Entry<'r>)) {
        let mut slot = Entry::empty();
        for &e in &self.events[m.events.clone()] {
            slot.fill(&self.look, &self.citations, e);
            f(&slot);
        }
    }
}

/// The anchor of an event in the HTML and Markdown timelines: `event-` and
/// its id, so it is the same in every run and never meets a year's
/// (`year-2024`) or a source's (`source-3`).
pub fn event_anchor(id: &str) -> String {
    format!("event-{id}")
}

/// The anchor of a year's section: `year-2024`, or `year-unknown`.
fn year_anchor(heading: &str) -> String {
    if heading == START_UNKNOWN {
        "year-unknown".to_string()
    } else {
        format!("year-{heading}")
    }
}

impl<'r> Entry<'r> {
    const fn empty() -> Self {
        Entry {
            id: "",
            label: String::new(),
            date_text: None,
            status: None,
            kind: String::new(),
            title: "",
            actors: Vec::new(),
            cites: Vec::new(),
            summary: None,
            location: None,
            quotes: Vec::new(),
            labelled: None,
        }
    }

    /// Makes this the entry of `e`, reusing its buffers.
    fn fill(&mut self, look: &Lookup<'r>, citations: &Citations<'r>, e: &'r Event) {
        self.id = &e.id;
        // A date's label depends on its text alone.
        if self.labelled != Some(e.date.text()) {
            self.label.clear();
            e.date.write_label(&mut self.label);
            self.labelled = Some(e.date.text());
        }
        self.date_text = e.date_text.as_deref();
        self.status = status_note(e.status);
        self.kind.clear();
        look.push_kind_label(&e.kind, &mut self.kind);
        self.title = &e.title;
        self.actors.clear();
        self.actors
            .extend(e.actors.iter().map(|a| (look.actor_name(&a.actor), a.role)));
        self.cites.clear();
        self.cites.extend(e.sources.iter().filter_map(|r| {
            let n = match r {
                // A named source is numbered by its id: no view is made.
                SourceRef::Id { source, .. } => citations.get_id(source),
                SourceRef::Inline { .. } => citations.get(&look.cited(r)?),
            };
            Some((n?, r.locator()))
        }));
        self.summary = e
            .summary
            .as_deref()
            .map(str::trim_end)
            .filter(|s| !s.is_empty());
        self.location = e.location.as_deref();
        self.quotes.clear();
        self.quotes.extend(
            e.quotes
                .iter()
                .map(|q| (q.text.as_str(), look.actor_name(&q.by))),
        );
    }
}

/// "Kim Jong-un (initiator), Japan · Noto Peninsula": who and where, in one
/// line (unescaped), into `s` (cleared first: one buffer serves a group).
fn who_where(s: &mut String, e: &Entry) {
    s.clear();
    push_actors_line(s, &e.actors);
    if let Some(l) = e.location {
        if !s.is_empty() {
            s.push_str(" · ");
        }
        s.push_str(l.trim());
    }
}

/// A quote in one line: “words” (speaker), unescaped, into `s` (cleared
/// first).
fn quote_line(s: &mut String, text: &str, by: &str) {
    s.clear();
    let _ = write!(s, "“{}” ({by})", text.trim());
}

/// Appends a source number (two an event were a fifteenth of a
/// 100,000-event Markdown timeline when written with `write!`).
fn push_count(out: &mut String, n: usize) {
    crate::date::push_decimal(out, n as u64);
}

fn count_line(n: usize) -> String {
    format!("{n} {}", if n == 1 { "event" } else { "events" })
}

/// Writes `head`, then every month group as `part` renders it (`part`
/// gets the year and the month's index in it), then `tail`. The groups are
/// rendered on the pool and written in order as they come, so the output
/// is the same on any number of threads and the whole text is never held.
fn write_parts(
    tl: &Timeline,
    out: &mut dyn io::Write,
    head: &str,
    part: impl Fn(&mut String, &YearGroup, usize) + Sync,
    tail: &str,
) -> io::Result<()> {
    out.write_all(head.as_bytes())?;
    let months: Vec<(usize, usize)> = tl
        .years
        .iter()
        .enumerate()
        .flat_map(|(y, g)| (0..g.months.len()).map(move |m| (y, m)))
        .collect();
    par::write_ordered(
        out,
        months.len(),
        |i| {
            let (y, m) = months[i];
            let mut s = String::new();
            part(&mut s, &tl.years[y], m);
            s
        },
        |out, _, s| out.write_all(s.as_bytes()),
    )?;
    out.write_all(tail.as_bytes())
}

/// What a writer of this module wrote into memory, as text.
fn to_string(write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes).expect("writing to memory");
    String::from_utf8(bytes).expect("the renderers write UTF-8")
}

/// Plain text for a terminal or a text file; every text is escaped for the
/// terminal and kept on one line.
pub fn text(tl: &Timeline) -> String {
    to_string(|out| write_text(tl, out))
}

/// [`text`], written to `out` as it is rendered.
///
/// # Errors
///
/// What writing to `out` gives.
pub fn write_text(tl: &Timeline, out: &mut dyn io::Write) -> io::Result<()> {
    let head = format!("{} ({})\n", t(&tl.title), count_line(tl.count));
    write_parts(
        tl,
        out,
        &head,
        |out, y, mi| text_month(out, tl, y, mi),
        &text_sources(tl),
    )
}

fn text_month(out: &mut String, tl: &Timeline, y: &YearGroup, mi: usize) {
    if mi == 0 {
        let _ = writeln!(
            out,
            "\n{}\n{}",
            y.heading,
            "=".repeat(y.heading.chars().count())
        );
    }
    let m = &y.months[mi];
    if let Some(head) = &m.heading {
        let _ = writeln!(out, "\n{head}\n{}", "-".repeat(head.chars().count()));
    }
    let mut line = String::new();
    tl.for_each_entry(m, |e| {
        out.push('\n');
        let _ = write!(out, "* {}", t(&e.label));
        if let Some(dt) = e.date_text {
            let _ = write!(out, " (\"{}\")", t(dt));
        }
        let _ = write!(out, " · {}", t(&e.kind));
        if let Some(s) = e.status {
            let _ = write!(out, " · {s}");
        }
        let _ = writeln!(out, "\n  {}", t(e.title));
        who_where(&mut line, e);
        if !line.is_empty() {
            let _ = writeln!(out, "  {}", t(&line));
        }
        if let Some(s) = e.summary {
            let _ = writeln!(out, "  {}", t(s));
        }
        for (q, by) in &e.quotes {
            quote_line(&mut line, q, by);
            let _ = writeln!(out, "  {}", t(&line));
        }
        if !e.cites.is_empty() {
            out.push_str("  ");
            for (i, (n, loc)) in e.cites.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                let _ = write!(out, "[{n}]");
                if let Some(l) = loc {
                    let _ = write!(out, " {}", t(l));
                }
            }
            out.push('\n');
        }
    });
}

fn text_sources(tl: &Timeline) -> String {
    let mut out = String::new();
    if !tl.sources().is_empty() {
        let _ = writeln!(out, "\nSources\n=======\n");
        for (i, s) in tl.sources().iter().enumerate() {
            let (authors, tail) = s.citation_parts();
            let _ = write!(out, "[{}] ", i + 1);
            if let Some(a) = authors {
                let _ = write!(out, "{}. ", t(&a));
            }
            let _ = write!(out, "{}. {}.", t(s.title), t(&tail));
            if let Some(u) = s.url {
                let _ = write!(out, " {}", t(u));
            }
            if let Some(a) = s.accessed_words() {
                let _ = write!(out, " ({a})");
            }
            out.push('\n');
        }
    }
    out
}

/// How a Markdown timeline cites its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cite {
    /// Numbers linking to a list of sources at the end.
    Links,
    /// Pandoc citations, `[@key, para. 3]`, for `pandoc --citeproc`; the
    /// bibliography goes where the `refs` div is. Inline sources, which
    /// have no key, are written out in the text.
    Pandoc,
}

/// Markdown: `##` years, `###` months, a list item per event, and a
/// numbered list of sources whose titles link to their URLs. Source
/// references link to the list.
pub fn markdown(tl: &Timeline) -> String {
    markdown_cited(tl, Cite::Links)
}

/// Markdown with sources cited as `cite` says.
pub fn markdown_cited(tl: &Timeline, cite: Cite) -> String {
    to_string(|out| write_markdown(tl, cite, out))
}

/// [`markdown_cited`], written to `out` as it is rendered.
///
/// # Errors
///
/// What writing to `out` gives.
pub fn write_markdown(tl: &Timeline, cite: Cite, out: &mut dyn io::Write) -> io::Result<()> {
    let head = format!("# {}\n\n{}.\n", md(&tl.title), count_line(tl.count));
    write_parts(
        tl,
        out,
        &head,
        |out, y, mi| markdown_month(out, tl, cite, y, mi),
        &markdown_sources(tl, cite),
    )
}

fn markdown_month(out: &mut String, tl: &Timeline, cite: Cite, y: &YearGroup, mi: usize) {
    if mi == 0 {
        out.push_str("\n## ");
        push_md(out, &y.heading);
        out.push('\n');
    }
    let m = &y.months[mi];
    if let Some(head) = &m.heading {
        let _ = writeln!(out, "\n### {head}");
    }
    out.push('\n');
    // Appended piece by piece rather than through `write!`: formatting
    // machinery was a tenth of a 100,000-event timeline.
    let mut line = String::new();
    tl.for_each_entry(m, |e| {
        out.push_str("- <a id=\"event-");
        push_html(out, e.id);
        out.push_str("\"></a>**");
        push_md(out, &e.label);
        out.push_str("**");
        if let Some(dt) = e.date_text {
            out.push_str(" (");
            push_md(out, dt.trim());
            out.push(')');
        }
        out.push_str(" · *");
        push_md(out, &e.kind);
        out.push('*');
        if let Some(s) = e.status {
            out.push_str(" · **");
            out.push_str(s);
            out.push_str("**");
        }
        out.push_str("  \n  ");
        push_md(out, e.title.trim());
        who_where(&mut line, e);
        if !line.is_empty() {
            out.push_str("  \n  ");
            push_md(out, &line);
        }
        if let Some(s) = e.summary {
            out.push_str("  \n  ");
            push_md(out, s);
        }
        for (q, by) in &e.quotes {
            quote_line(&mut line, q, by);
            out.push_str("  \n  ");
            push_md(out, &line);
        }
        if cite == Cite::Pandoc && !e.cites.is_empty() {
            out.push_str("  \n  ");
            out.push_str(&pandoc_cites(tl, &e.cites));
        } else if !e.cites.is_empty() {
            out.push_str("  \n  ");
            for (i, (n, loc)) in e.cites.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                out.push_str("[\\[");
                push_count(out, *n);
                out.push_str("\\]](#source-");
                push_count(out, *n);
                out.push(')');
                if let Some(l) = loc {
                    out.push(' ');
                    push_md(out, l.trim());
                }
            }
        }
        out.push('\n');
    });
}

fn markdown_sources(tl: &Timeline, cite: Cite) -> String {
    let mut out = String::new();
    if cite == Cite::Pandoc {
        if tl.sources().iter().any(|s| s.key.is_some()) {
            out.push_str("\n## References\n\n::: {#refs}\n:::\n");
        }
    } else if !tl.sources().is_empty() {
        let _ = writeln!(out, "\n## Sources\n");
        for (i, s) in tl.sources().iter().enumerate() {
            let n = i + 1;
            let (authors, tail) = s.citation_parts();
            let _ = write!(out, "{n}. <a id=\"source-{n}\"></a>");
            if let Some(a) = authors {
                let _ = write!(out, "{}. ", md(&a));
            }
            match s.url {
                Some(u) => {
                    let _ = write!(out, "[{}]({})", md(s.title), link_target(u));
                }
                None => out.push_str(&md(s.title)),
            }
            let _ = write!(out, ". {}.", md(&tail));
            if let Some(a) = s.accessed_words() {
                let _ = write!(out, " ({a})");
            }
            out.push('\n');
        }
    }
    out
}

/// An event's sources as one pandoc citation, `[@a, para. 2; @b]`, the
/// locator as the citation's locator; inline sources (no key) follow in
/// words.
fn pandoc_cites(tl: &Timeline, cites: &[(usize, Option<&str>)]) -> String {
    let mut keyed = Vec::new();
    let mut words = Vec::new();
    for &(n, loc) in cites {
        let s = &tl.sources()[n - 1];
        match s.key {
            Some(key) => keyed.push(match loc {
                Some(l) => format!("@{key}, {}", locator(l)),
                None => format!("@{key}"),
            }),
            None => {
                let (authors, tail) = s.citation_parts();
                let mut w = String::new();
                if let Some(a) = authors {
                    let _ = write!(w, "{}. ", md(&a));
                }
                let _ = write!(w, "*{}*. {}", md(s.title.trim()), md(&tail));
                if let Some(l) = loc {
                    let _ = write!(w, ", {}", md(l.trim()));
                }
                words.push(w);
            }
        }
    }
    let mut out = String::new();
    if !keyed.is_empty() {
        let _ = write!(out, "[{}]", keyed.join("; "));
    }
    if !words.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "({})", words.join("; "));
    }
    out
}

/// A locator inside a pandoc citation: Markdown-escaped, and `;` and `@`
/// escaped too, which would otherwise start another citation.
fn locator(l: &str) -> String {
    let mut out = String::new();
    for ch in md(l.trim()).chars() {
        if matches!(ch, ';' | '@') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A URL as a Markdown link destination: the characters that would end or
/// break it are percent-encoded, and `\` and `&` backslash-escaped (in a
/// destination CommonMark reads `\x` as `x` and decodes entities, so
/// `a\b` would lose its backslash and `&amp;` become `&`).
fn link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for ch in url.chars() {
        match ch {
            '\\' | '&' => {
                out.push('\\');
                out.push(ch);
            }
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;\
max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}\
h2{border-bottom:1px solid #ccc;margin-top:2rem}h3{margin-bottom:.4rem;color:#444}\
ol.events{list-style:none;padding:0}ol.events li{margin:.6rem 0;padding-left:.8rem;\
border-left:3px solid #bbb}li.scheduled,li.cancelled,li.reported{border-left-style:dashed}\
.when{font-weight:600}.summary{display:block}q{display:block;font-style:italic}.by{color:#555}\
nav.toc ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}.date-text{font-weight:400;color:#555}.kind{font-style:italic;\
font-weight:400}.status{color:#a33}.title{display:block}.actors,.cites{display:block;\
color:#555;font-size:.92em}ol.sources li{margin:.3rem 0}";

/// One self-contained HTML file: inline style, no script, no external
/// assets. Every text from the record is escaped.
pub fn html(tl: &Timeline) -> String {
    to_string(|out| write_html(tl, out))
}

/// [`html`], written to `out` as it is rendered.
///
/// # Errors
///
/// What writing to `out` gives.
pub fn write_html(tl: &Timeline, out: &mut dyn io::Write) -> io::Result<()> {
    write_parts(
        tl,
        out,
        &html_head(tl),
        |out, y, mi| html_month(out, tl, y, mi),
        &html_sources(tl),
    )
}

fn html_head(tl: &Timeline) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", h(&tl.title));
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>");
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p>{}.</p>",
        h(&tl.title),
        count_line(tl.count)
    );
    if !tl.years.is_empty() {
        out.push_str("<nav class=\"toc\">\n<ul>\n");
        for y in &tl.years {
            let n: usize = y.months.iter().map(|m| m.events.len()).sum();
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a> ({})</li>",
                h(&year_anchor(&y.heading)),
                h(&y.heading),
                count_line(n)
            );
        }
        if !tl.sources().is_empty() {
            out.push_str("<li><a href=\"#sources\">Sources</a></li>\n");
        }
        out.push_str("</ul>\n</nav>\n");
    }
    out
}

fn html_month(out: &mut String, tl: &Timeline, y: &YearGroup, mi: usize) {
    if mi == 0 {
        let _ = writeln!(
            out,
            "<section>\n<h2 id=\"{}\">{}</h2>",
            h(&year_anchor(&y.heading)),
            h(&y.heading)
        );
    }
    let m = &y.months[mi];
    if let Some(head) = &m.heading {
        let _ = writeln!(out, "<h3>{head}</h3>");
    }
    out.push_str("<ol class=\"events\">\n");
    let mut line = String::new();
    tl.for_each_entry(m, |e| {
        let class = e.status.map_or("", |s| s.split(',').next().unwrap_or(""));
        let _ = write!(out, "<li id=\"event-{}\"", h(e.id));
        if !class.is_empty() {
            let _ = write!(out, " class=\"{class}\"");
        }
        let _ = write!(out, "><span class=\"when\">{}", h(&e.label));
        if let Some(dt) = e.date_text {
            let _ = write!(out, " <span class=\"date-text\">({})</span>", h(dt.trim()));
        }
        let _ = write!(out, " · <span class=\"kind\">{}</span>", h(&e.kind));
        if let Some(s) = e.status {
            let _ = write!(out, " · <span class=\"status\">{s}</span>");
        }
        let _ = write!(out, "</span>\n<span class=\"title\">{}</span>", h(e.title));
        who_where(&mut line, e);
        if !line.is_empty() {
            let _ = write!(out, "\n<span class=\"actors\">{}</span>", h(&line));
        }
        if let Some(s) = e.summary {
            let _ = write!(out, "\n<span class=\"summary\">{}</span>", h(s));
        }
        for (q, by) in &e.quotes {
            let _ = write!(
                out,
                "\n<q>{}</q> <span class=\"by\">({})</span>",
                h(q.trim()),
                h(by)
            );
        }
        if !e.cites.is_empty() {
            out.push_str("\n<span class=\"cites\">");
            for (i, (n, loc)) in e.cites.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                let _ = write!(out, "<a href=\"#source-{n}\">[{n}]</a>");
                if let Some(l) = loc {
                    let _ = write!(out, " {}", h(l));
                }
            }
            out.push_str("</span>");
        }
        out.push_str("</li>\n");
    });
    out.push_str("</ol>\n");
    if mi + 1 == y.months.len() {
        out.push_str("</section>\n");
    }
}

fn html_sources(tl: &Timeline) -> String {
    let mut out = String::new();
    if !tl.sources().is_empty() {
        out.push_str("<h2 id=\"sources\">Sources</h2>\n<ol class=\"sources\">\n");
        for (i, s) in tl.sources().iter().enumerate() {
            let (authors, tail) = s.citation_parts();
            let _ = write!(out, "<li id=\"source-{}\">", i + 1);
            if let Some(a) = authors {
                let _ = write!(out, "{}. ", h(&a));
            }
            match s.url {
                Some(u) => {
                    let _ = write!(out, "<a href=\"{}\">{}</a>", h(u), h(s.title));
                }
                None => out.push_str(&h(s.title)),
            }
            let _ = write!(out, ". {}.", h(&tail));
            if let Some(a) = s.accessed_words() {
                let _ = write!(out, " ({a})");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::push_count;

    #[test]
    fn counts_are_written_as_format_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, usize::MAX] {
            let mut out = String::from("[");
            push_count(&mut out, n);
            assert_eq!(out, format!("[{n}"));
        }
    }
}
