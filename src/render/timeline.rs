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

use super::escape::{html as h, markdown as md, terminal_line as t};
use super::lookup::{Citations, Lookup, SourceView, actors_line, status_note};
use crate::model::{Event, Record, Role};
use chrono::Datelike;
use std::fmt::Write as _;

/// A timeline ready to be written.
#[derive(Debug, Clone)]
pub struct Timeline<'r> {
    pub years: Vec<YearGroup<'r>>,
    /// Cited sources; source `n` is `sources[n - 1]`.
    pub sources: Vec<SourceView<'r>>,
    pub count: usize,
    /// The heading (and the HTML page's title); "Timeline" unless given.
    pub title: String,
}

/// The events of one year, or of no known start.
#[derive(Debug, Clone)]
pub struct YearGroup<'r> {
    /// "2024", or "Start unknown".
    pub heading: String,
    pub months: Vec<MonthGroup<'r>>,
}

/// The events of one month; the group of events with no known start has
/// no month heading.
#[derive(Debug, Clone)]
pub struct MonthGroup<'r> {
    /// "January 2024".
    pub heading: Option<String>,
    pub entries: Vec<Entry<'r>>,
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
    pub kind: std::borrow::Cow<'r, str>,
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
}

const START_UNKNOWN: &str = "Start unknown";

/// Groups `events` (in timeline order) and numbers their sources.
pub fn build<'r>(record: &'r Record, events: &[&'r Event]) -> Timeline<'r> {
    let look = Lookup::new(record);
    let mut citations = Citations::default();
    let mut years: Vec<YearGroup> = Vec::new();
    // The (year, month) of the group being filled; None = start unknown.
    let mut current: Option<Option<(i32, u32)>> = None;
    for e in events {
        let key = e.date.earliest().map(|d| (d.year(), d.month()));
        let entry = entry(&look, &mut citations, e);
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
                    entries: Vec::new(),
                });
            }
            current = Some(key);
        }
        if let Some(m) = years.last_mut().and_then(|y| y.months.last_mut()) {
            m.entries.push(entry);
        }
    }
    Timeline {
        years,
        sources: citations.sources,
        count: events.len(),
        title: "Timeline".to_string(),
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

fn entry<'r>(look: &Lookup<'r>, citations: &mut Citations<'r>, e: &'r Event) -> Entry<'r> {
    Entry {
        id: &e.id,
        label: e.date.label(),
        date_text: e.date_text.as_deref(),
        status: status_note(e.status),
        kind: look.kind_label(&e.kind),
        title: &e.title,
        actors: e
            .actors
            .iter()
            .map(|a| (look.actor_name(&a.actor), a.role))
            .collect(),
        cites: e
            .sources
            .iter()
            .filter_map(|r| Some((citations.number(look.cited(r)?), r.locator())))
            .collect(),
        summary: e
            .summary
            .as_deref()
            .map(str::trim_end)
            .filter(|s| !s.is_empty()),
        location: e.location.as_deref(),
        quotes: e
            .quotes
            .iter()
            .map(|q| (q.text.as_str(), look.actor_name(&q.by)))
            .collect(),
    }
}

/// "Kim Jong-un (initiator), Japan · Noto Peninsula": who and where, in one
/// line (unescaped).
fn who_where(e: &Entry) -> String {
    let mut s = actors_line(&e.actors);
    if let Some(l) = e.location {
        if !s.is_empty() {
            s.push_str(" · ");
        }
        s.push_str(l.trim());
    }
    s
}

/// A quote in one line: “words” (speaker), unescaped.
fn quote_line(text: &str, by: &str) -> String {
    format!("“{}” ({by})", text.trim())
}

fn count_line(n: usize) -> String {
    format!("{n} {}", if n == 1 { "event" } else { "events" })
}

/// Plain text for a terminal or a text file; every text is escaped for the
/// terminal and kept on one line.
pub fn text(tl: &Timeline) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", t(&tl.title), count_line(tl.count));
    for y in &tl.years {
        let _ = writeln!(
            out,
            "\n{}\n{}",
            y.heading,
            "=".repeat(y.heading.chars().count())
        );
        for m in &y.months {
            if let Some(head) = &m.heading {
                let _ = writeln!(out, "\n{head}\n{}", "-".repeat(head.chars().count()));
            }
            for e in &m.entries {
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
                let ww = who_where(e);
                if !ww.is_empty() {
                    let _ = writeln!(out, "  {}", t(&ww));
                }
                if let Some(s) = e.summary {
                    let _ = writeln!(out, "  {}", t(s));
                }
                for (q, by) in &e.quotes {
                    let _ = writeln!(out, "  {}", t(&quote_line(q, by)));
                }
                if !e.cites.is_empty() {
                    let cites: Vec<String> = e
                        .cites
                        .iter()
                        .map(|(n, loc)| match loc {
                            Some(l) => format!("[{n}] {}", t(l)),
                            None => format!("[{n}]"),
                        })
                        .collect();
                    let _ = writeln!(out, "  {}", cites.join("; "));
                }
            }
        }
    }
    if !tl.sources.is_empty() {
        let _ = writeln!(out, "\nSources\n=======\n");
        for (i, s) in tl.sources.iter().enumerate() {
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
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n{}.", md(&tl.title), count_line(tl.count));
    for y in &tl.years {
        let _ = writeln!(out, "\n## {}", md(&y.heading));
        for m in &y.months {
            if let Some(head) = &m.heading {
                let _ = writeln!(out, "\n### {head}");
            }
            out.push('\n');
            for e in &m.entries {
                let _ = write!(
                    out,
                    "- <a id=\"{}\"></a>**{}**",
                    h(&event_anchor(e.id)),
                    md(&e.label)
                );
                if let Some(dt) = e.date_text {
                    let _ = write!(out, " ({})", md(dt.trim()));
                }
                let _ = write!(out, " · *{}*", md(&e.kind));
                if let Some(s) = e.status {
                    let _ = write!(out, " · **{s}**");
                }
                let _ = write!(out, "  \n  {}", md(e.title.trim()));
                let ww = who_where(e);
                if !ww.is_empty() {
                    let _ = write!(out, "  \n  {}", md(&ww));
                }
                if let Some(s) = e.summary {
                    let _ = write!(out, "  \n  {}", md(s));
                }
                for (q, by) in &e.quotes {
                    let _ = write!(out, "  \n  {}", md(&quote_line(q, by)));
                }
                if cite == Cite::Pandoc && !e.cites.is_empty() {
                    let _ = write!(out, "  \n  {}", pandoc_cites(tl, &e.cites));
                } else if !e.cites.is_empty() {
                    let cites: Vec<String> = e
                        .cites
                        .iter()
                        .map(|(n, loc)| match loc {
                            Some(l) => format!("[\\[{n}\\]](#source-{n}) {}", md(l.trim())),
                            None => format!("[\\[{n}\\]](#source-{n})"),
                        })
                        .collect();
                    let _ = write!(out, "  \n  {}", cites.join("; "));
                }
                out.push('\n');
            }
        }
    }
    if cite == Cite::Pandoc {
        if tl.sources.iter().any(|s| s.key.is_some()) {
            out.push_str("\n## References\n\n::: {#refs}\n:::\n");
        }
    } else if !tl.sources.is_empty() {
        let _ = writeln!(out, "\n## Sources\n");
        for (i, s) in tl.sources.iter().enumerate() {
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
        let s = &tl.sources[n - 1];
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
            let n: usize = y.months.iter().map(|m| m.entries.len()).sum();
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a> ({})</li>",
                h(&year_anchor(&y.heading)),
                h(&y.heading),
                count_line(n)
            );
        }
        if !tl.sources.is_empty() {
            out.push_str("<li><a href=\"#sources\">Sources</a></li>\n");
        }
        out.push_str("</ul>\n</nav>\n");
    }
    for y in &tl.years {
        let _ = writeln!(
            out,
            "<section>\n<h2 id=\"{}\">{}</h2>",
            h(&year_anchor(&y.heading)),
            h(&y.heading)
        );
        for m in &y.months {
            if let Some(head) = &m.heading {
                let _ = writeln!(out, "<h3>{head}</h3>");
            }
            out.push_str("<ol class=\"events\">\n");
            for e in &m.entries {
                let class = e.status.map_or("", |s| s.split(',').next().unwrap_or(""));
                let _ = write!(out, "<li id=\"{}\"", h(&event_anchor(e.id)));
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
                let ww = who_where(e);
                if !ww.is_empty() {
                    let _ = write!(out, "\n<span class=\"actors\">{}</span>", h(&ww));
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
                    let cites: Vec<String> = e
                        .cites
                        .iter()
                        .map(|(n, loc)| {
                            let a = format!("<a href=\"#source-{n}\">[{n}]</a>");
                            match loc {
                                Some(l) => format!("{a} {}", h(l)),
                                None => a,
                            }
                        })
                        .collect();
                    let _ = write!(out, "\n<span class=\"cites\">{}</span>", cites.join("; "));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ol>\n");
        }
        out.push_str("</section>\n");
    }
    if !tl.sources.is_empty() {
        out.push_str("<h2 id=\"sources\">Sources</h2>\n<ol class=\"sources\">\n");
        for (i, s) in tl.sources.iter().enumerate() {
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
