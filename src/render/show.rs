//! `show`: one event, actor or source in full, as terminal text.
//!
//! An event lists the events it relates to and the events that relate to
//! it; an actor and a source list their events in timeline order. Every text
//! is escaped for the terminal.

use super::escape::{terminal, terminal_line as t};
use super::lookup::Lookup;
use crate::date::Date;
use crate::model::{Actor, Event, Record, Relation, Source, SourceRef};
use crate::query::{members_of, sort_events};
use std::fmt::Write as _;

/// Width of the field names column.
const KEY: usize = 12;

fn field(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "  {key:<KEY$}{}", t(value));
}

fn opt_field(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        field(out, key, v);
    }
}

/// A free text, possibly several lines, under its key.
fn block(out: &mut String, key: &str, value: Option<&str>) {
    let Some(v) = value.map(str::trim_end).filter(|v| !v.is_empty()) else {
        return;
    };
    let _ = writeln!(out, "  {key}");
    for line in terminal(v).lines() {
        let _ = writeln!(out, "    {line}");
    }
}

fn date_field(out: &mut String, key: &str, d: Option<&Date>) {
    if let Some(d) = d {
        field(out, key, &format!("{} ({})", d.label(), d.text()));
    }
}

/// "6 Jan 2024 · message · Title (id)": an event in a list.
fn event_line(look: &Lookup, e: &Event) -> String {
    format!(
        "{} · {} · {} ({})",
        e.date.label(),
        look.kind_label(&e.kind),
        e.title,
        e.id
    )
}

/// How an event that relates to this one is described from this side.
fn inverse(r: Relation) -> &'static str {
    match r {
        Relation::RespondsTo => "responded to by",
        Relation::Follows => "followed by",
        Relation::PartOf => "has part",
        Relation::RefersTo => "referred to by",
        Relation::Contradicts => "contradicted by",
    }
}

/// An event in full. `place` is "file:line" when known.
pub fn event(record: &Record, e: &Event, place: Option<&str>) -> String {
    let look = Lookup::new(record);
    let mut out = String::new();
    let _ = writeln!(out, "event {}", t(&e.id));
    field(&mut out, "title", &e.title);
    let mut date = format!("{} ({})", e.date.label(), e.date.text());
    match (e.date.earliest(), e.date.latest()) {
        (Some(a), Some(b)) if a == b => {
            let _ = write!(date, ", on {a}");
        }
        (a, b) => {
            let side =
                |d: Option<chrono::NaiveDate>| d.map_or("open".to_string(), |d| d.to_string());
            let _ = write!(date, ", {} to {}", side(a), side(b));
        }
    }
    field(&mut out, "date", &date);
    opt_field(&mut out, "date text", e.date_text.as_deref());
    field(&mut out, "kind", &look.kind_label(&e.kind));
    field(&mut out, "status", e.status.as_str());
    opt_field(&mut out, "location", e.location.as_deref());
    if !e.tags.is_empty() {
        field(&mut out, "tags", &e.tags.join(", "));
    }
    opt_field(&mut out, "file", place);
    block(&mut out, "summary", e.summary.as_deref());
    let _ = writeln!(out, "  actors");
    for a in &e.actors {
        let name = look.actor_name(&a.actor);
        let _ = writeln!(
            out,
            "    {}",
            t(&format!("{name} ({}), {}", a.actor, a.role.as_str()))
        );
    }
    if !e.quotes.is_empty() {
        let _ = writeln!(out, "  quotes");
        for q in &e.quotes {
            let _ = writeln!(
                out,
                "    {}: \"{}\"",
                t(look.actor_name(&q.by)),
                t(q.text.trim())
            );
        }
    }
    let _ = writeln!(out, "  sources");
    for r in &e.sources {
        let Some(v) = look.cited(r) else { continue };
        let mut s = format!("{}, {}", v.title, v.publisher);
        if let Some(d) = v.published {
            let _ = write!(s, ", {}", d.label());
        }
        match v.id {
            Some(id) => {
                let _ = write!(s, " ({id})");
            }
            None => s.push_str(" (inline)"),
        }
        if let Some(u) = v.url {
            let _ = write!(s, " {u}");
        }
        if let Some(l) = r.locator() {
            let _ = write!(s, ", {l}");
        }
        let _ = writeln!(out, "    {}", t(&s));
    }
    // Both directions: what this event relates to, and what relates to it.
    let mut outgoing: Vec<(&str, &Event)> = Vec::new();
    for r in &e.related {
        if let Some(other) = record.events.iter().find(|o| o.id == r.event) {
            outgoing.push((r.relation.as_str(), other));
        }
    }
    let mut incoming: Vec<(&str, &Event)> = Vec::new();
    for o in &record.events {
        for r in o.related.iter().filter(|r| r.event == e.id) {
            incoming.push((inverse(r.relation), o));
        }
    }
    for (head, list) in [
        ("relates to", &mut outgoing),
        ("related from", &mut incoming),
    ] {
        if list.is_empty() {
            continue;
        }
        list.sort_by(|a, b| crate::query::timeline_order(a.1, b.1).then(a.0.cmp(b.0)));
        let _ = writeln!(out, "  {head}");
        for (rel, o) in list.iter() {
            let _ = writeln!(out, "    {rel}: {}", t(&event_line(&look, o)));
        }
    }
    out
}

/// An actor in full, with its memberships, members and events.
pub fn actor(record: &Record, a: &Actor) -> String {
    let look = Lookup::new(record);
    let mut out = String::new();
    let _ = writeln!(out, "actor {}", t(&a.id));
    field(&mut out, "name", &a.name);
    field(&mut out, "type", a.kind.as_str());
    opt_field(&mut out, "country", a.country.as_deref());
    if !a.aliases.is_empty() {
        field(&mut out, "aliases", &a.aliases.join(", "));
    }
    let named = |id: &str| format!("{} ({id})", look.actor_name(id));
    if !a.member_of.is_empty() {
        let list: Vec<String> = a.member_of.iter().map(|m| named(m)).collect();
        field(&mut out, "member of", &list.join(", "));
    }
    if let Some(i) = record.actors.iter().position(|x| std::ptr::eq(x, a)) {
        let members = members_of(record, i);
        if !members.is_empty() {
            let mut list: Vec<String> = members
                .iter()
                .map(|&m| named(&record.actors[m].id))
                .collect();
            list.sort();
            field(&mut out, "members", &list.join(", "));
        }
    }
    for r in &a.roles {
        let mut s = r.title.clone();
        match (&r.from, &r.to) {
            (Some(f), Some(to)) => {
                let _ = write!(s, ", {} to {}", f.label(), to.label());
            }
            (Some(f), None) => {
                let _ = write!(s, ", from {}", f.label());
            }
            (None, Some(to)) => {
                let _ = write!(s, ", until {}", to.label());
            }
            (None, None) => {}
        }
        field(&mut out, "role", &s);
    }
    block(&mut out, "note", a.note.as_deref());
    let mut events: Vec<&Event> = record
        .events
        .iter()
        .filter(|e| e.actors.iter().any(|r| r.actor == a.id))
        .collect();
    sort_events(&mut events);
    let _ = writeln!(out, "  events ({})", events.len());
    for e in events {
        let roles: Vec<&str> = e
            .actors
            .iter()
            .filter(|r| r.actor == a.id)
            .map(|r| r.role.as_str())
            .collect();
        let _ = writeln!(
            out,
            "    {} [{}]",
            t(&event_line(&look, e)),
            roles.join(", ")
        );
    }
    out
}

/// A source in full, with the events that cite it.
pub fn source(record: &Record, s: &Source) -> String {
    let look = Lookup::new(record);
    let mut out = String::new();
    let _ = writeln!(out, "source {}", t(&s.id));
    field(&mut out, "title", &s.title);
    field(&mut out, "publisher", &s.publisher);
    if !s.authors.is_empty() {
        field(&mut out, "author", &s.authors.join(", "));
    }
    opt_field(&mut out, "url", s.url.as_deref());
    date_field(&mut out, "published", s.published.as_ref());
    date_field(&mut out, "accessed", s.accessed.as_ref());
    block(&mut out, "note", s.note.as_deref());
    fn cites<'e>(e: &'e Event, id: &str) -> Vec<Option<&'e str>> {
        e.sources
            .iter()
            .filter_map(|r| match r {
                SourceRef::Id { source, locator } if *source == id => Some(locator.as_deref()),
                _ => None,
            })
            .collect()
    }
    let mut events: Vec<&Event> = record
        .events
        .iter()
        .filter(|e| !cites(e, &s.id).is_empty())
        .collect();
    sort_events(&mut events);
    let _ = writeln!(out, "  events ({})", events.len());
    for e in events {
        let locs: Vec<&str> = cites(e, &s.id).into_iter().flatten().collect();
        let mut line = event_line(&look, e);
        if !locs.is_empty() {
            let _ = write!(line, ", {}", locs.join("; "));
        }
        let _ = writeln!(out, "    {}", t(&line));
    }
    out
}
