//! TimelineJS (Knight Lab, version 3) JSON: one slide per event.
//!
//! Dates are given at the precision the record knows: a day as year, month
//! and day, a month as year and month, a year alone; anything else as its
//! bounds, each at the coarsest unit both bounds fall on the edges of. The
//! slide's `display_date` is the date in words (`docs/dates.md`), so "one
//! day between 1 and 10 Feb 2024" is never shown as ten days. TimelineJS
//! renders headlines and text as HTML, so every text from the record is
//! HTML-escaped; links are the sources' URLs, which the loader has checked
//! are http or https.
//!
//! The `group` and `display_date` are different: TimelineJS 3 decodes them
//! as HTML to plain text (`stripMarkup`), then sets the result as HTML (a
//! group's label is `innerHTML`). Escaped once, `<img onerror>` would come
//! back as markup after that decoding, and an actor named
//! `&lt;img onerror=…&gt;` even unescaped. So these are escaped twice
//! ([`twice`]): decoded once, they are escaped text, shown as written.

use super::escape::html;
use super::lookup::{Lookup, actors_line, status_note};
use super::span::{Span, Unit, span};
use crate::date::{Precision, Shape};
use crate::model::{Event, Record};
use crate::par;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io;

/// At most this many actor rows keep TimelineJS's time bar readable;
/// with more, [`Group::Auto`] groups by kind.
pub const MAX_ACTOR_GROUPS: usize = 8;

/// What a slide's `group` (its row in the timeline) is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The first actor when the slides have at most [`MAX_ACTOR_GROUPS`]
    /// first actors, else the kind.
    Auto,
    /// The event's first actor's name.
    FirstActor,
    /// The kind's label.
    Kind,
    /// No groups: one row for everything.
    None,
}

/// The TimelineJS document: `{"events": [slides]}`.
#[derive(Serialize)]
struct Timeline<'a> {
    events: &'a [Slide],
}

/// What serde_json writes, pretty-printed, before a timeline's first slide
/// and after its last.
const HEAD: &[u8] = b"{\n  \"events\": [";
const TAIL: &[u8] = b"\n  ]\n}";

#[derive(Serialize)]
struct Slide {
    unique_id: String,
    start_date: TDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TDate>,
    display_date: String,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
}

#[derive(Serialize, PartialEq, Eq)]
struct TDate {
    year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u32>,
}

#[derive(Serialize)]
struct Text {
    headline: String,
    text: String,
}

/// What [`write`] says besides the slides: the events that cannot be
/// placed (neither end of the date known), left out, by id, for the caller
/// to report, and how many groups (rows of the time bar) the slides fall
/// in; 0 for none.
pub struct Summary {
    pub left_out: Vec<String>,
    pub groups: usize,
}

/// Events per job on the pool.
const CHUNK: usize = 1024;

/// Writes the TimelineJS JSON of `events`, in the order given, to `out`.
///
/// The slides are made and serialized on the pool a chunk at a time and
/// written in order as they come, so that neither all slides nor the whole
/// text is held (the JSON is bigger than the record). The bytes are those
/// of `serde_json::to_string_pretty` of the whole `{"events": [slides]}`
/// and a line break.
///
/// # Errors
///
/// What writing to `out` gives.
pub fn write(
    record: &Record,
    events: &[&Event],
    group: Group,
    out: &mut dyn io::Write,
) -> io::Result<Summary> {
    let look = Lookup::new(record);
    let mut placed: Vec<(&Event, Span)> = Vec::with_capacity(events.len());
    let mut left_out = Vec::new();
    for e in events {
        match span(&e.date) {
            Some(s) => placed.push((*e, s)),
            None => left_out.push(e.id.to_string()),
        }
    }
    let group = match group {
        Group::Auto => {
            let actors = distinct(placed.iter().filter_map(|(e, _)| first_actor(&look, e)));
            if actors <= MAX_ACTOR_GROUPS {
                Group::FirstActor
            } else {
                Group::Kind
            }
        }
        g => g,
    };
    out.write_all(HEAD)?;
    // The groups seen so far, by name: counting them needs every slide's,
    // but not the slides.
    let mut groups = BTreeSet::new();
    par::write_ordered(
        out,
        placed.len().div_ceil(CHUNK),
        |c| {
            let slides: Vec<Slide> = placed[c * CHUNK..((c + 1) * CHUNK).min(placed.len())]
                .iter()
                .map(|(e, s)| slide(&look, e, *s, group))
                .collect();
            // A chunk is serialized as a timeline of its own and written
            // without its head and tail: the slides come out at the depth
            // and with the separators they have in the whole timeline.
            let text =
                serde_json::to_vec_pretty(&Timeline { events: &slides }).expect("slides serialize");
            let names: BTreeSet<String> = slides.into_iter().filter_map(|s| s.group).collect();
            (text, names)
        },
        |out, c, (text, names)| {
            groups.extend(names);
            debug_assert!(text.starts_with(HEAD) && text.ends_with(TAIL));
            let slides = &text[HEAD.len()..text.len() - TAIL.len()];
            if c > 0 {
                out.write_all(b",")?;
            }
            out.write_all(slides)
        },
    )?;
    // An empty array is `[]`; a full one closes on a line of its own.
    out.write_all(if placed.is_empty() { b"]\n}" } else { TAIL })?;
    out.write_all(b"\n")?;
    Ok(Summary {
        left_out,
        groups: groups.len(),
    })
}

fn first_actor<'r>(look: &Lookup<'r>, e: &'r Event) -> Option<&'r str> {
    e.actors.first().map(|a| look.actor_name(&a.actor))
}

/// How many different items `items` yields.
fn distinct<T: Ord>(items: impl Iterator<Item = T>) -> usize {
    items.collect::<BTreeSet<T>>().len()
}

fn slide(look: &Lookup, e: &Event, s: Span, group: Group) -> Slide {
    let (start_date, end_date) = dates(e, s);
    Slide {
        unique_id: e.id.to_string(),
        start_date,
        end_date,
        display_date: twice(&e.date.label()),
        text: Text {
            headline: html(&e.title).into_owned(),
            text: body(look, e),
        },
        group: match group {
            Group::FirstActor => first_actor(look, e).map(twice),
            Group::Kind | Group::Auto => Some(twice(&look.kind_label(&e.kind))),
            Group::None => None,
        },
    }
}

/// Text for a field TimelineJS decodes once and then sets as HTML: HTML
/// escaping applied twice (`<` becomes `&amp;lt;`, shown as `<`).
fn twice(s: &str) -> String {
    html(&html(s)).into_owned()
}

/// The start and end at the precision the date is known to. A one-of
/// range is its first possible day alone ([`Span::drawn`]): drawn over the
/// range, TimelineJS's navigator would show an event that lasted it; the
/// `display_date` says the range.
fn dates(e: &Event, s: Span) -> (TDate, Option<TDate>) {
    if s.one_of {
        return (tdate(s.drawn().0, Unit::Day), None);
    }
    let point = matches!(e.date.shape(), Shape::Point) && !s.one_sided;
    let unit = match e.date.precision() {
        Precision::Day | Precision::Time if point => Unit::Day,
        Precision::Month if point => Unit::Month,
        Precision::Year if point => Unit::Year,
        _ => s.unit(),
    };
    let start = tdate(s.start, unit);
    let end = tdate(s.end, unit);
    if start == end {
        (start, None)
    } else {
        (start, Some(end))
    }
}

fn tdate(d: NaiveDate, unit: Unit) -> TDate {
    TDate {
        year: d.year(),
        month: (unit != Unit::Year).then(|| d.month()),
        day: (unit == Unit::Day).then(|| d.day()),
    }
}

/// The slide's text, as HTML: summary, the source's words for the date,
/// actors, status, quotes, and the sources as links.
fn body(look: &Lookup, e: &Event) -> String {
    let mut out = String::new();
    if let Some(s) = &e.summary {
        out.push_str(&format!("<p>{}</p>", html(s.trim_end())));
    }
    if let Some(t) = &e.date_text {
        out.push_str(&format!("<p>Date in the source: <em>{}</em></p>", html(t)));
    }
    let actors: Vec<(&str, _)> = e
        .actors
        .iter()
        .map(|a| (look.actor_name(&a.actor), a.role))
        .collect();
    out.push_str(&format!(
        "<p>{} · {}",
        html(&actors_line(&actors)),
        html(&look.kind_label(&e.kind))
    ));
    if let Some(note) = status_note(e.status) {
        out.push_str(&format!(" · <strong>{}</strong>", html(note)));
    }
    if let Some(l) = &e.location {
        out.push_str(&format!(" · {}", html(l)));
    }
    out.push_str("</p>");
    for q in &e.quotes {
        out.push_str(&format!(
            "<blockquote>{} <cite>{}</cite></blockquote>",
            html(&q.text),
            html(look.actor_name(&q.by))
        ));
    }
    let mut cites = Vec::new();
    for r in &e.sources {
        let Some(v) = look.cited(r) else { continue };
        let (authors, tail) = v.citation_parts();
        let mut c = String::new();
        if let Some(a) = authors {
            c.push_str(&html(&a));
            c.push_str(". ");
        }
        match v.url {
            Some(u) => c.push_str(&format!(
                "<a href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a>",
                html(u),
                html(v.title)
            )),
            None => c.push_str(&format!("<em>{}</em>", html(v.title))),
        }
        c.push_str(". ");
        c.push_str(&html(&tail));
        if let Some(l) = r.locator() {
            c.push_str(", ");
            c.push_str(&html(l));
        }
        c.push('.');
        cites.push(format!("<li>{c}</li>"));
    }
    if !cites.is_empty() {
        out.push_str(&format!("<p>Sources:</p><ol>{}</ol>", cites.concat()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::twice;

    #[test]
    fn decoded_once_a_twice_escaped_text_is_still_text() {
        assert_eq!(twice("<img onerror=x>"), "&amp;lt;img onerror=x&amp;gt;");
        assert_eq!(twice("&lt;b&gt;"), "&amp;amp;lt;b&amp;amp;gt;");
        assert_eq!(twice("Kim & Co"), "Kim &amp;amp; Co");
    }
}
