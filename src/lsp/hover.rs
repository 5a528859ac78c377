//! Hover: what an id names, what a date means.

use super::context::{self, Field};
use super::position::Lines;
use crate::date::Date;
use crate::model::{BUILTIN_KINDS, ListKind, Record};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

/// The hover at byte `at` of `lines`' text, in Markdown.
pub fn hover(record: &Record, lines: &Lines, at: usize) -> Option<Hover> {
    let text = lines.text();
    let cursor = context::at(text, at);
    if cursor.in_key || cursor.value.is_empty() {
        return None;
    }
    let value = cursor.value(text);
    let body = match cursor.field {
        Field::Date => date(value),
        f => match f.names()? {
            ListKind::Actors => actor(record, value)?,
            ListKind::Sources => source(record, value)?,
            ListKind::Events => event(record, value)?,
            ListKind::Kinds => kind(record, value)?,
        },
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: body,
        }),
        range: Some(lines.range(cursor.value.start, cursor.value.end)),
    })
}

/// Record text in Markdown: characters Markdown would read as markup are
/// escaped, so a name cannot format (or link) the hover.
fn md(s: &str) -> String {
    crate::render::escape::markdown(s).into_owned()
}

fn actor(record: &Record, id: &str) -> Option<String> {
    let a = record.actors.iter().find(|a| a.id == id)?;
    let mut out = format!("**{}** (`{}`)\n\n{}", md(&a.name), a.id, a.kind.as_str());
    if let Some(c) = &a.country {
        out.push_str(&format!(" · {c}"));
    }
    if !a.aliases.is_empty() {
        let aliases: Vec<String> = a.aliases.iter().map(|s| md(s)).collect();
        out.push_str(&format!("\n\nalso: {}", aliases.join(", ")));
    }
    if !a.member_of.is_empty() {
        let of: Vec<String> = a.member_of.iter().map(|m| format!("`{m}`")).collect();
        out.push_str(&format!("\n\nmember of: {}", of.join(", ")));
    }
    let n = record
        .events
        .iter()
        .filter(|e| e.actors.iter().any(|r| r.actor == id))
        .count();
    out.push_str(&format!(
        "\n\n{n} {}",
        if n == 1 { "event" } else { "events" }
    ));
    Some(out)
}

fn source(record: &Record, id: &str) -> Option<String> {
    let s = record.sources.iter().find(|s| s.id == id)?;
    let mut out = String::new();
    if !s.authors.is_empty() {
        let authors: Vec<String> = s.authors.iter().map(|a| md(a)).collect();
        out.push_str(&format!("{}. ", authors.join(", ")));
    }
    out.push_str(&format!("*{}*. {}", md(&s.title), md(&s.publisher)));
    if let Some(d) = &s.published {
        out.push_str(&format!(", {}", d.label()));
    }
    out.push('.');
    if let Some(u) = &s.url {
        out.push_str(&format!("\n\n<{}>", md(u)));
    }
    Some(out)
}

fn event(record: &Record, id: &str) -> Option<String> {
    let e = record.events.iter().find(|e| e.id == id)?;
    Some(format!(
        "**{}** — {}\n\n{} · {}",
        md(&e.date.label()),
        md(&e.title),
        e.status.as_str(),
        e.kind
    ))
}

fn kind(record: &Record, id: &str) -> Option<String> {
    if BUILTIN_KINDS.contains(&id) {
        return Some(format!("`{id}`: a built-in kind"));
    }
    let k = record.kinds.iter().find(|k| k.id == id)?;
    Some(match &k.label {
        Some(l) => format!("`{id}`: {}", md(l)),
        None => format!("`{id}`: a declared kind"),
    })
}

/// What a date means: its label, its bounds and how EDTF reads it.
pub fn date(text: &str) -> String {
    match Date::parse(text) {
        Ok(d) => {
            let day =
                |x: Option<chrono::NaiveDate>| x.map_or("open".to_string(), |d| d.to_string());
            let q = d.qualifiers();
            let mut reading = vec![d.shape().as_str(), d.precision().as_str()];
            if q.uncertain {
                reading.push("uncertain");
            }
            if q.approximate {
                reading.push("approximate");
            }
            format!(
                "**{}**\n\nfrom {} to {}\n\nEDTF level {}: {}",
                md(&d.label()),
                day(d.earliest()),
                day(d.latest()),
                d.level(),
                reading.join(", "),
            )
        }
        Err(e) => {
            let mut out = md(&e.message);
            if let Some(h) = &e.help {
                out.push_str(&format!("\n\n{}", md(h)));
            }
            out
        }
    }
}
