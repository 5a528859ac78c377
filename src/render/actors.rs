//! The actors list: every actor with its type, country, memberships, event
//! count and first and last event day, as a table, Markdown, JSON or CSV.
//! Only events that occurred or were reported are appearances (counted,
//! first, last); scheduled and cancelled events are counted apart.

use super::markdown;
use super::table::{Fit, Table};
use crate::model::{Record, Status};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// One actor with what the record says it did.
#[derive(Debug, Clone, Serialize)]
pub struct ActorRow<'r> {
    pub id: &'r str,
    pub name: &'r str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub country: Option<&'r str>,
    pub aliases: &'r [String],
    pub member_of: &'r [crate::model::Id],
    /// Events that name the actor directly (not through its members) and
    /// occurred or were reported.
    pub events: usize,
    /// The earliest known day of those events; open starts are skipped.
    pub first: Option<String>,
    /// The latest known day of those events; open ends are skipped. A
    /// scheduled or cancelled event is no appearance.
    pub last: Option<String>,
    /// Scheduled events that name the actor, counted apart.
    pub scheduled: usize,
    /// Cancelled events that name the actor, counted apart.
    pub cancelled: usize,
}

/// Every actor, sorted by id, with its counts from one pass over the events.
pub fn rows(record: &Record) -> Vec<ActorRow<'_>> {
    #[derive(Default, Clone, Copy)]
    struct Stats {
        events: usize,
        first: Option<NaiveDate>,
        last: Option<NaiveDate>,
        scheduled: usize,
        cancelled: usize,
    }
    let mut stats: HashMap<&str, Stats> = HashMap::with_capacity(record.actors.len());
    for e in &record.events {
        let (lo, hi) = (e.date.earliest(), e.date.latest());
        // An actor named twice in one event counts once.
        let mut seen: Vec<&str> = Vec::with_capacity(e.actors.len());
        for a in &e.actors {
            if seen.contains(&a.actor.as_str()) {
                continue;
            }
            seen.push(&a.actor);
            let s = stats.entry(&a.actor).or_default();
            match e.status {
                Status::Occurred | Status::Reported => {}
                Status::Scheduled => {
                    s.scheduled += 1;
                    continue;
                }
                Status::Cancelled => {
                    s.cancelled += 1;
                    continue;
                }
            }
            s.events += 1;
            s.first = match (s.first, lo) {
                (Some(f), Some(l)) => Some(f.min(l)),
                (f, l) => f.or(l),
            };
            s.last = match (s.last, hi) {
                (Some(f), Some(h)) => Some(f.max(h)),
                (f, h) => f.or(h),
            };
        }
    }
    let mut rows: Vec<ActorRow> = record
        .actors
        .iter()
        .map(|a| {
            let s = stats.get(a.id.as_str()).copied().unwrap_or_default();
            ActorRow {
                id: &a.id,
                name: &a.name,
                kind: a.kind.as_str(),
                country: a.country.as_deref(),
                aliases: &a.aliases,
                member_of: &a.member_of,
                events: s.events,
                first: s.first.map(|d| d.to_string()),
                last: s.last.map(|d| d.to_string()),
                scheduled: s.scheduled,
                cancelled: s.cancelled,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.id.cmp(b.id));
    rows
}

fn cells(r: &ActorRow) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.name.to_string(),
        r.kind.to_string(),
        r.country.unwrap_or("").to_string(),
        r.member_of.join(", "),
        r.events.to_string(),
        r.first.clone().unwrap_or_default(),
        r.last.clone().unwrap_or_default(),
        r.scheduled.to_string(),
    ]
}

const HEADERS: [&str; 9] = [
    "ID",
    "NAME",
    "TYPE",
    "COUNTRY",
    "MEMBER OF",
    "EVENTS",
    "FIRST",
    "LAST",
    "SCHEDULED",
];

/// A terminal table; to fit, the name, then the memberships, then the id
/// are cut.
pub fn table(rows: &[ActorRow]) -> Table {
    Table {
        headers: HEADERS.to_vec(),
        rows: rows.iter().map(cells).collect(),
        fit: vec![Fit::Cut(1, 20), Fit::Cut(4, 12), Fit::Cut(0, 12)],
        wrap: None,
    }
}

/// A Markdown table.
pub fn markdown(rows: &[ActorRow]) -> String {
    let headers = [
        "Id",
        "Name",
        "Type",
        "Country",
        "Member of",
        "Events",
        "First",
        "Last",
        "Scheduled",
    ];
    let cells: Vec<Vec<String>> = rows.iter().map(cells).collect();
    markdown::table(&headers, &cells)
}

/// A pretty-printed JSON array.
pub fn json(rows: &[ActorRow]) -> String {
    let mut s = serde_json::to_string_pretty(rows).expect("rows serialize");
    s.push('\n');
    s
}

/// CSV with a header row; lists are written as their JSON text and nulls as
/// empty cells, and formula cells neutralised, as in the events' CSV.
pub fn csv(rows: &[ActorRow]) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record([
        "id",
        "name",
        "type",
        "country",
        "aliases",
        "member_of",
        "events",
        "first",
        "last",
        "scheduled",
        "cancelled",
    ])
    .expect("writing to memory");
    for r in rows {
        fn list<T: serde::Serialize>(v: &[T]) -> String {
            serde_json::to_string(v).expect("strings serialize")
        }
        w.write_record(
            [
                r.id,
                r.name,
                r.kind,
                r.country.unwrap_or(""),
                &list(r.aliases),
                &list(r.member_of),
                &r.events.to_string(),
                r.first.as_deref().unwrap_or(""),
                r.last.as_deref().unwrap_or(""),
                &r.scheduled.to_string(),
                &r.cancelled.to_string(),
            ]
            .map(|c| super::records::neutralise(c).into_owned()),
        )
        .expect("writing to memory");
    }
    let bytes = w.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8")
}
