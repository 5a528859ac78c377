//! Markdown tables (CommonMark with the GitHub table extension).

use super::escape::markdown;
use super::lookup::{Lookup, actor_with_role, status_note};
use crate::model::{Event, Record};
use std::fmt::Write as _;

/// A Markdown table; every cell is escaped and kept on one line.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        headers.iter().map(|_| " --- |").collect::<String>()
    );
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| markdown(c.trim()).into_owned()).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

/// The selected events as a Markdown table: date label (with the source's
/// words for the date), kind, title, actors and id.
pub fn events(record: &Record, events: &[&Event]) -> String {
    let look = Lookup::new(record);
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            let mut date = e.date.label();
            if let Some(t) = &e.date_text {
                let _ = write!(date, " ({t})");
            }
            if let Some(s) = status_note(e.status) {
                let _ = write!(date, ", {s}");
            }
            let actors: Vec<String> = e
                .actors
                .iter()
                .map(|a| actor_with_role(look.actor_name(&a.actor), a.role))
                .collect();
            vec![
                date,
                look.kind_label(&e.kind).to_string(),
                e.title.clone(),
                actors.join(", "),
                e.id.clone(),
            ]
        })
        .collect();
    table(&["Date", "Kind", "Title", "Actors", "Id"], &rows)
}
