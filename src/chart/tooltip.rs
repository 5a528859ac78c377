//! What a marker says when hovered: the full title, the date, kind and
//! status, the actors and the sources; and the link it leads to.

use crate::model::{Event, SourceRef};
use crate::render::lookup::Lookup;
use std::fmt::Write as _;

/// The tooltip lines of `e`. Line breaks separate fields; the backend
/// escapes the text and removes control characters.
pub fn tooltip(look: &Lookup<'_>, e: &Event, kind_label: &str) -> String {
    let mut t = String::new();
    t.push_str(&one_line(&e.title));
    t.push('\n');
    t.push_str(&e.date.label());
    if let Some(dt) = &e.date_text {
        let _ = write!(t, " (\u{201c}{}\u{201d})", one_line(dt));
    }
    let _ = write!(t, "\n{kind_label} \u{b7} {}", e.status.as_str());
    if !e.actors.is_empty() {
        t.push_str("\nActors: ");
        for (i, a) in e.actors.iter().enumerate() {
            if i > 0 {
                t.push_str(", ");
            }
            let name = look.actor_name(&a.actor);
            let _ = write!(t, "{} ({})", one_line(name), a.role.as_str());
        }
    }
    if !e.sources.is_empty() {
        t.push_str("\nSources: ");
        for (i, s) in e.sources.iter().enumerate() {
            if i > 0 {
                t.push_str("; ");
            }
            let title = match s {
                SourceRef::Id { source, .. } => look
                    .source(source)
                    .map_or(source.as_str(), |x| x.title.as_str()),
                SourceRef::Inline { source, .. } => source.title.as_str(),
            };
            t.push_str(&one_line(title));
            if let Some(l) = s.locator() {
                let _ = write!(t, ", {}", one_line(l));
            }
        }
    }
    t
}

/// The URL of the first source that has one.
pub fn first_url<'r>(look: &Lookup<'r>, e: &'r Event) -> Option<&'r str> {
    e.sources.iter().find_map(|s| match s {
        SourceRef::Id { source, .. } => look.source(source)?.url.as_deref(),
        SourceRef::Inline { source, .. } => source.url.as_deref(),
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
