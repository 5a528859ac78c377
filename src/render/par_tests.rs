//! The renderers that split their work over the pool (`crate::par`) give
//! the same bytes on one thread as on several: a generated record of a few
//! thousand events (many chunks, years and months, lanes) is rendered with
//! the pool limited to one thread and to four, and the outputs compared.

use crate::chart::{self, ChartType, LaneBy, Options};
use crate::date::Date;
use crate::model::{
    Actor, ActorRef, ActorType, Event, InlineSource, Origin, Quote, Record, Related, Relation,
    Role, Source, SourceRef, Status,
};
use crate::par::with_workers;
use crate::query::sort_events;
use crate::render::{ics, positions, records, timeline, timelinejs};
use chrono::NaiveDateTime;

/// Enough events for more than one chunk of every renderer (the largest
/// chunk is 4,096 events) and a few hundred month groups.
const EVENTS: usize = 5_000;

fn actor(i: usize) -> Actor {
    Actor {
        id: format!("a{i}").into(),
        name: format!("Actor <{i}> & co"),
        kind: if i.is_multiple_of(3) {
            ActorType::State
        } else {
            ActorType::Person
        },
        country: (!i.is_multiple_of(4)).then(|| ["JPN", "PRK", "KOR"][i % 3].to_string()),
        aliases: vec![],
        member_of: vec![],
        roles: vec![],
        note: None,
        origin: Origin::default(),
    }
}

fn source(i: usize) -> Source {
    Source {
        id: format!("s{i}").into(),
        title: format!("Source *{i}*"),
        publisher: "Agency".into(),
        authors: if i.is_multiple_of(2) {
            vec!["A. Writer".into()]
        } else {
            vec![]
        },
        url: Some(format!("https://example.org/{i}?a=1&b=2")),
        published: Date::parse("2020-05-01").ok(),
        accessed: None,
        note: None,
        key: None,
        archived: None,
        source_type: None,
        origin: Origin::default(),
    }
}

/// A record with dates of every shape over 40 years, actors in roles,
/// named and inline sources, quotes, relations and statuses, from a fixed
/// xorshift sequence.
fn generated() -> Record {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let kinds = [
        "statement",
        "meeting",
        "visit",
        "talks",
        "sanction",
        "report",
    ];
    let statuses = [
        Status::Occurred,
        Status::Occurred,
        Status::Reported,
        Status::Scheduled,
        Status::Cancelled,
    ];
    let mut events = Vec::with_capacity(EVENTS);
    for i in 0..EVENTS {
        let (y, m, d) = (1985 + next(40), 1 + next(12), 1 + next(28));
        let date = match next(8) {
            0 => format!("{y}-{m:02}"),
            1 => format!("{y}"),
            2 => format!("{y}-{m:02}-{d:02}/{y}-{m:02}-{:02}", d.min(27) + 1),
            3 => format!("[{y}-{m:02}-{:02}..{y}-{m:02}-28]", d.min(27)),
            4 => format!("{y}-{m:02}-{d:02}~"),
            5 if i.is_multiple_of(50) => "../2000-01-01".to_string(),
            _ => format!("{y}-{m:02}-{d:02}"),
        };
        let first = next(30) as usize;
        let mut e = Event::new(
            format!("e{i:05}"),
            Date::parse(&date).unwrap_or_else(|_| panic!("{date}")),
            kinds[next(kinds.len() as u64) as usize],
            format!(
                "Event {i}: talks on [item] {} | {}",
                next(1000),
                "x".repeat(i % 60)
            ),
        );
        e.status = statuses[next(statuses.len() as u64) as usize];
        e.actors = vec![
            ActorRef {
                actor: format!("a{first}").into(),
                role: Role::Initiator,
            },
            ActorRef {
                actor: format!("a{}", next(30)).into(),
                role: Role::Target,
            },
        ];
        if i.is_multiple_of(3) {
            e.summary = Some(format!("A summary with *marks* and\na second line {i}\n"));
        }
        if i.is_multiple_of(5) {
            e.location = Some("Pyongyang".into());
        }
        if i.is_multiple_of(7) {
            e.quotes = vec![Quote {
                by: format!("a{first}").into(),
                text: "We \"will\" respond; soon, perhaps".into(),
            }];
        }
        if i > 0 && i.is_multiple_of(11) {
            e.related = vec![Related {
                event: format!("e{:05}", i - 1).into(),
                relation: Relation::Follows,
            }];
        }
        e.sources = vec![SourceRef::Id {
            source: format!("s{}", next(200)).into(),
            locator: (i.is_multiple_of(4)).then(|| "para. 3".to_string()),
        }];
        if i.is_multiple_of(13) {
            e.sources.push(SourceRef::Inline {
                source: Box::new(InlineSource {
                    title: format!("Inline report {}", i % 40),
                    publisher: "Press".into(),
                    authors: vec![],
                    url: None,
                    published: None,
                    accessed: None,
                    note: None,
                }),
                locator: None,
            });
        }
        e.tags = vec!["tag".into()];
        events.push(e);
    }
    Record {
        events,
        actors: (0..30).map(actor).collect(),
        sources: (0..200).map(source).collect(),
        ..Record::default()
    }
}

/// Every output that uses the pool, in one list of named byte strings.
fn render_all(record: &Record) -> Vec<(&'static str, Vec<u8>)> {
    let mut events: Vec<&Event> = record.events.iter().collect();
    sort_events(&mut events);
    let tl = timeline::build(record, &events);
    let lines = positions::event_lines(record, &events);
    let stamp = NaiveDateTime::default();
    let mut csv = Vec::new();
    records::write_csv(record, &events, &lines, &mut csv).unwrap();
    let mut ndjson = Vec::new();
    records::write_ndjson(record, &events, &lines, &mut ndjson).unwrap();
    let rows = records::rows(record, &events, &lines);
    let mut ics = Vec::new();
    ics::write(record, &events, stamp, &mut ics).unwrap();
    let mut timelinejs = Vec::new();
    timelinejs::write(record, &events, timelinejs::Group::Kind, &mut timelinejs).unwrap();
    let chart_of = |lanes, chart| {
        let opts = Options {
            lanes: Some(lanes),
            chart,
            relations: true,
            ..Options::default()
        };
        chart::render(record, &events, &opts).svg.into_bytes()
    };
    vec![
        ("timeline text", timeline::text(&tl).into_bytes()),
        ("timeline md", timeline::markdown(&tl).into_bytes()),
        (
            "timeline md pandoc",
            timeline::markdown_cited(&tl, timeline::Cite::Pandoc).into_bytes(),
        ),
        ("timeline html", timeline::html(&tl).into_bytes()),
        ("csv", csv),
        ("csv of rows", records::csv(&rows).into_bytes()),
        ("ndjson", ndjson),
        ("ndjson of rows", records::ndjson(&rows).into_bytes()),
        ("json", records::json(&rows).into_bytes()),
        ("ics", ics),
        ("timelinejs", timelinejs),
        (
            "chart by actor",
            chart_of(LaneBy::Actor, ChartType::Timeline),
        ),
        ("chart by kind", chart_of(LaneBy::Kind, ChartType::Timeline)),
        (
            "chart by country",
            chart_of(LaneBy::Country, ChartType::Timeline),
        ),
        ("histogram", chart_of(LaneBy::Kind, ChartType::Histogram)),
    ]
}

#[test]
fn one_thread_and_four_give_the_same_bytes() {
    let record = generated();
    let one = with_workers(1, || render_all(&record));
    let four = with_workers(4, || render_all(&record));
    assert_eq!(one.len(), four.len());
    for ((name, a), (_, b)) in one.iter().zip(&four) {
        assert!(a == b, "{name}: one thread and four differ");
    }
    // The outputs hold every event: the comparison is of whole renderings.
    let text = |name: &str| {
        let bytes = &one.iter().find(|(n, _)| *n == name).unwrap().1;
        String::from_utf8(bytes.clone()).unwrap()
    };
    assert_eq!(
        text("timeline md").matches("<a id=\"event-").count(),
        EVENTS
    );
    assert_eq!(text("ndjson").lines().count(), EVENTS);
    assert_eq!(text("ndjson"), text("ndjson of rows"));
    assert_eq!(text("csv"), text("csv of rows"));
    assert!(text("ics").matches("BEGIN:VEVENT").count() > EVENTS / 2);
    let slides: serde_json::Value = serde_json::from_str(&text("timelinejs")).unwrap();
    assert_eq!(slides["events"].as_array().unwrap().len(), EVENTS);
}
