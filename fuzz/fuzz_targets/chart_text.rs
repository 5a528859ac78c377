//! Charts of a small record whose text comes from the fuzz input: titles,
//! actor names and countries, kind ids, labels and colours, dates, source
//! URLs and the chart title. Every chart must be well-formed XML with no
//! script, no event-handler attribute and no link but to a web address.
//!
//! Input: the first byte picks the chart and its options; the rest, read as
//! UTF-8 (lossily), is split at line breaks into fields: the chart title,
//! then five fields per event (title, actor name, kind, date, URL).
//!
//! The bin field (bits 4-6) has eight values for six bins: its last two
//! draw the count charts instead, 6 the initiator x target matrix and 7
//! the small multiples (grouped by the lane field), so seeds written for
//! the timeline and histogram keep their meaning.

#![no_main]

use annals::chart::{self, Bin, ChartType, LaneBy, Options, matrix, multiples};
use annals::count::groups::By;
use annals::date::Date;
use annals::model::{
    Actor, ActorRef, ActorType, Event, Id, InlineSource, KindDef, Origin, Record, Related,
    Relation, Role, SourceRef, Status,
};
use libfuzzer_sys::fuzz_target;

fn origin(index: usize) -> Origin {
    Origin {
        file: 0,
        index: index as u32,
        ..Origin::default()
    }
}

fn record(fields: &[&str]) -> Record {
    let mut record = Record::default();
    for (i, f) in fields.chunks(5).take(40).enumerate() {
        let field = |k: usize| f.get(k).copied().unwrap_or("");
        let actor = Id::from(format!("a{i}"));
        record.actors.push(Actor {
            id: actor.clone(),
            name: field(1).to_string(),
            kind: ActorType::Other,
            country: Some(field(1).chars().take(3).collect()),
            aliases: vec![],
            // Every third actor a member of the first, which the count
            // charts fold into it.
            member_of: if i % 3 == 1 {
                vec![Id::from("a0")]
            } else {
                vec![]
            },
            roles: vec![],
            note: None,
            origin: origin(i),
        });
        let kind = Id::from(field(2));
        if i % 2 == 0 {
            record.kinds.push(KindDef {
                id: kind.clone(),
                label: Some(field(0).chars().rev().collect()),
                color: Some(field(2).chars().take(7).collect()),
                origin: origin(i),
            });
        }
        let date = Date::parse(field(3)).unwrap_or_else(|_| {
            Date::parse(["2024-01-06", "2024/..", "[..1900,2024]", "-9999/9999"][i % 4])
                .expect("a fallback date")
        });
        let mut actors = vec![ActorRef {
            actor,
            role: Role::Initiator,
        }];
        if i > 0 {
            actors.push(ActorRef {
                actor: Id::from(format!("a{}", i - 1)),
                role: Role::Target,
            });
        }
        record.events.push(Event {
            date_text: Some(field(3).to_string()),
            summary: Some(field(1).to_string()),
            status: [
                Status::Occurred,
                Status::Reported,
                Status::Scheduled,
                Status::Cancelled,
            ][i % 4],
            actors,
            location: Some(field(4).to_string()),
            related: (i > 0)
                .then(|| Related {
                    event: Id::from(format!("e{}", i - 1)),
                    relation: Relation::RespondsTo,
                })
                .into_iter()
                .collect(),
            sources: vec![SourceRef::Inline {
                source: Box::new(InlineSource {
                    title: field(0).to_string(),
                    publisher: field(1).to_string(),
                    authors: vec![field(2).to_string()],
                    url: Some(field(4).to_string()),
                    published: None,
                    accessed: None,
                    note: None,
                }),
                locator: None,
            }],
            origin: origin(i),
            ..Event::new(format!("e{i}"), date, kind, field(0))
        });
    }
    record
}

fn options(flags: u8, title: &str, record: &Record) -> Options {
    let lanes = [
        None,
        Some(LaneBy::Actor),
        Some(LaneBy::Kind),
        Some(LaneBy::Country),
        Some(LaneBy::None),
    ];
    let bins = [
        None,
        Some(Bin::Day),
        Some(Bin::Week),
        Some(Bin::Month),
        Some(Bin::Quarter),
        Some(Bin::Year),
    ];
    let mut opts = Options {
        chart: if flags & 1 == 0 {
            ChartType::Timeline
        } else {
            ChartType::Histogram
        },
        lanes: lanes[usize::from(flags >> 1 & 7) % lanes.len()],
        bin: bins[usize::from(flags >> 4 & 7) % bins.len()],
        title: (!title.is_empty()).then(|| title.to_string()),
        width: if flags & 8 == 0 { 1200 } else { 320 },
        height: None,
        relations: flags & 0x80 != 0,
        from: None,
        to: None,
        ..Options::default()
    };
    if flags & 0x88 == 0x88 {
        // Narrow the window to the first event's own bounds.
        if let Some(e) = record.events.first() {
            opts.from = e.date.earliest();
            opts.to = e.date.latest();
        }
    }
    opts
}

fn check_svg(svg: &str) {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("the chart is not well-formed XML: {e}"));
    assert!(
        !svg.to_ascii_lowercase().contains("<script"),
        "the chart has a script"
    );
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert!(
            !node.tag_name().name().eq_ignore_ascii_case("script"),
            "a script element"
        );
        for a in node.attributes() {
            let name = a.name().to_ascii_lowercase();
            assert!(!name.starts_with("on"), "an event handler: {name}");
            if name == "href" {
                let v = a.value().trim_start().to_ascii_lowercase();
                assert!(
                    v.starts_with("http://") || v.starts_with("https://"),
                    "a link to {v:?}"
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let fields: Vec<&str> = text.split('\n').collect();
    let (title, fields) = fields.split_first().map_or(("", &[][..]), |(t, f)| (*t, f));
    let record = record(fields);
    let events: Vec<&Event> = record.events.iter().collect();
    let opts = options(flags, title, &record);
    // With the relations bit, members of the first actor count as it
    // (`--members`) in the count charts. Like the command line's, the
    // positions name actors that exist (no fields: no actors).
    let fold: &[usize] = if flags & 0x80 != 0 && !record.actors.is_empty() {
        &[0]
    } else {
        &[]
    };
    let chart = match flags >> 4 & 7 {
        6 => matrix::render(&record, &events, &opts, fold),
        7 => {
            let by = [By::Kind, By::Actor, By::Country][usize::from(flags >> 1 & 7) % 3];
            multiples::render(&record, &events, &opts, by, fold)
        }
        _ => chart::render(&record, &events, &opts),
    };
    check_svg(&chart.svg);
});
