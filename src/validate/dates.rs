//! Checks about time: relations, the source-date rule, stale schedules.

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus};
use crate::index::Index;
use crate::model::{Event, ListKind, Record, Relation, SourceRef, Status};
use chrono::NaiveDate;

/// An event does not relate to itself, and a `responds-to` relation does
/// not point at a later event (a warning: the dates may be loose).
pub fn relations(record: &Record, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    for e in &record.events {
        for (i, r) in e.related.iter().enumerate() {
            // Built only when there is something to report.
            let at = || {
                let p = e.origin.path(ListKind::Events).key("related");
                Locus::path(e.origin.file, p.index(i).key("event"))
            };
            if r.event == e.id {
                out.push(
                    Diagnostic::new(Code::SelfRelation, "an event cannot relate to itself", at())
                        .with_id(&e.id)
                        .with_help("name another event's id"),
                );
                continue;
            }
            if r.relation != Relation::RespondsTo {
                continue;
            }
            let Some(target) = index.event(record, &r.event) else {
                continue;
            };
            if let (Some(t_first), Some(e_last)) = (target.date.earliest(), e.date.latest()) {
                if t_first > e_last {
                    out.push(
                        Diagnostic::new(
                            Code::RespondsToLater,
                            format!(
                                "this event ({}) responds to `{}`, which is later ({})",
                                e.date.text(),
                                target.id,
                                target.date.text()
                            ),
                            at(),
                        )
                        .with_id(&e.id)
                        .with_help("check both dates, or use `follows` or `refers-to`"),
                    );
                }
            }
        }
    }
}

/// An `occurred` event dated after the `published` date of every source
/// that reports it could not have been reported yet: it must be `scheduled`.
/// Only applies when every source has a `published` date.
pub fn source_dates(record: &Record, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    for e in &record.events {
        if e.status != Status::Occurred {
            continue;
        }
        let Some(first_day) = e.date.earliest() else {
            continue;
        };
        let Some(newest) = newest_publication(record, index, e) else {
            continue;
        };
        if first_day > newest {
            out.push(
                Diagnostic::new(
                    Code::AfterSources,
                    format!(
                        "this event is dated {} but its latest source was published {}: it cannot have been reported as having happened",
                        e.date.text(),
                        newest
                    ),
                    Locus::path(e.origin.file, e.origin.path(ListKind::Events).key("date")),
                )
                .with_id(&e.id)
                .with_help("if it was announced in advance, mark it `status: scheduled`; otherwise check the date"),
            );
        }
    }
}

/// The last day on which the newest of an event's sources may have been
/// published, or `None` when any source has no `published` date (or names
/// an unknown source: that is reported elsewhere).
fn newest_publication(record: &Record, index: &Index<'_>, e: &Event) -> Option<NaiveDate> {
    let mut newest: Option<NaiveDate> = None;
    for s in &e.sources {
        let published = match s {
            SourceRef::Id { source, .. } => index.source(record, source)?.published.as_ref(),
            SourceRef::Inline { source, .. } => source.published.as_ref(),
        };
        let day = published?.latest()?;
        newest = Some(newest.map_or(day, |n| n.max(day)));
    }
    newest
}

/// A `scheduled` event whose latest day is before the newest publication in
/// the record: the record has moved past it without saying what happened.
pub fn stale_scheduled(record: &Record, out: &mut Vec<Diagnostic>) {
    let published = record
        .sources
        .iter()
        .filter_map(|s| s.published.as_ref())
        .chain(record.events.iter().flat_map(|e| {
            e.sources.iter().filter_map(|s| match s {
                SourceRef::Inline { source, .. } => source.published.as_ref(),
                SourceRef::Id { .. } => None,
            })
        }));
    // The newest publication is the latest "earliest day": a source dated
    // `2024-03` was surely out by 1 March.
    let Some(newest) = published.filter_map(|d| d.earliest()).max() else {
        return;
    };
    for e in &record.events {
        if e.status != Status::Scheduled {
            continue;
        }
        if let Some(last) = e.date.latest() {
            if last < newest {
                out.push(
                    Diagnostic::new(
                        Code::StaleScheduled,
                        format!(
                            "this event was scheduled for {}, but the record has sources up to {newest}",
                            e.date.text()
                        ),
                        Locus::path(e.origin.file, e.origin.path(ListKind::Events).key("status")),
                    )
                    .with_id(&e.id)
                    .with_help("say what happened: `occurred`, `cancelled`, or a new date"),
                );
            }
        }
    }
}
