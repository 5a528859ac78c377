//! Property tests: EDTF dates against a model of their meaning, the order of
//! dates, and query filters that commute.
//!
//! Every property runs 256 generated cases (proptest's default); run harder
//! with `PROPTEST_CASES=20000 cargo test --test it props`. A failure prints
//! the smallest input proptest could shrink it to; failing seeds are not
//! persisted (add the input as a plain test instead).
//!
//! The date generator writes EDTF text and, independently, works out what
//! it means (earliest and latest day with `chrono`, precision, qualifiers,
//! shape), so the tests check `Date::parse` against the grammar's meaning,
//! not only against itself.

use annals::date::{Date, Precision, Qualifiers, Shape};
use annals::model::{
    Actor, ActorRef, ActorType, Event, Origin, Quote, Record, Role, Source, SourceRef, Status,
};
use annals::query::{Query, select, timeline_order};
use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::{select as pick, subsequence};
use std::cmp::Ordering;

fn config() -> ProptestConfig {
    ProptestConfig {
        // Shrunk failures are reported in the test output; a file of seeds
        // inside tests/ would be left behind by every run.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// The date model

/// EDTF text and what it means, worked out without the parser.
#[derive(Clone, Debug)]
struct Model {
    text: String,
    lo: Option<NaiveDate>,
    hi: Option<NaiveDate>,
    precision: Precision,
    q: Qualifiers,
    shape: Shape,
}

/// One date (no interval, no set).
#[derive(Clone, Debug)]
struct Point {
    text: String,
    lo: NaiveDate,
    hi: NaiveDate,
    precision: Precision,
    q: Qualifiers,
}

impl Point {
    fn model(self) -> Model {
        Model {
            text: self.text,
            lo: Some(self.lo),
            hi: Some(self.hi),
            precision: self.precision,
            q: self.q,
            shape: Shape::Point,
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
}

fn last_day(y: i32, m: u32) -> NaiveDate {
    let next = if m == 12 {
        ymd(y + 1, 1, 1)
    } else {
        ymd(y, m + 1, 1)
    };
    next.pred_opt().unwrap()
}

fn year_text(y: i32) -> String {
    if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

fn year() -> BoxedStrategy<i32> {
    prop_oneof![
        3 => 1800..=2100i32,
        2 => -9999..=9999i32,
        1 => pick(vec![-9999, -1, 0, 1, 1900, 2000, 2100, 2400, 9999]),
    ]
    .boxed()
}

fn plain(text: String, lo: NaiveDate, hi: NaiveDate, precision: Precision) -> Point {
    Point {
        text,
        lo,
        hi,
        precision,
        q: Qualifiers::default(),
    }
}

fn day_point() -> BoxedStrategy<Point> {
    (year(), 1..=12u32, 1..=31u32)
        .prop_map(|(y, m, d)| {
            let d = d.min(last_day(y, m).format("%d").to_string().parse().unwrap());
            let text = format!("{}-{m:02}-{d:02}", year_text(y));
            plain(text, ymd(y, m, d), ymd(y, m, d), Precision::Day)
        })
        .boxed()
}

fn month_point() -> BoxedStrategy<Point> {
    (year(), 1..=12u32)
        .prop_map(|(y, m)| {
            let text = format!("{}-{m:02}", year_text(y));
            plain(text, ymd(y, m, 1), last_day(y, m), Precision::Month)
        })
        .boxed()
}

fn year_point() -> BoxedStrategy<Point> {
    year()
        .prop_map(|y| plain(year_text(y), ymd(y, 1, 1), ymd(y, 12, 31), Precision::Year))
        .boxed()
}

/// Sub-year codes 21-41: (first month, months after it, in the same year
/// or running into the next).
fn sub_year(code: u32) -> (u32, u32) {
    match code {
        21 | 25 | 31 => (3, 2),  // spring; southern autumn
        22 | 26 | 32 => (6, 2),  // summer; southern winter
        23 | 27 | 29 => (9, 2),  // autumn; southern spring
        24 | 28 | 30 => (12, 2), // winter; southern summer
        33..=36 => (1 + 3 * (code - 33), 2),
        37..=39 => (1 + 4 * (code - 37), 3),
        40 | 41 => (1 + 6 * (code - 40), 5),
        _ => unreachable!(),
    }
}

fn season_point() -> BoxedStrategy<Point> {
    (year(), 21..=41u32)
        .prop_map(|(y, code)| {
            let (first, more) = sub_year(code);
            let end = first + more;
            let hi = if end > 12 {
                last_day(y + 1, end - 12)
            } else {
                last_day(y, end)
            };
            let precision = if code <= 24 {
                Precision::Season
            } else {
                Precision::SubYear
            };
            plain(
                format!("{}-{code}", year_text(y)),
                ymd(y, first, 1),
                hi,
                precision,
            )
        })
        .boxed()
}

fn coarse(hidden: u32) -> Precision {
    match hidden {
        0 => Precision::Year,
        1 => Precision::Decade,
        2 => Precision::Century,
        3 => Precision::Millennium,
        _ => Precision::Unknown,
    }
}

/// `201X`, `20XX`, `XXXX`: the last `hidden` digits of the year unknown.
fn masked_year_point() -> BoxedStrategy<Point> {
    (0..=9999i32, 1..=4u32)
        .prop_map(|(y, hidden)| {
            let span = 10i32.pow(hidden);
            let first = y / span * span;
            let digits = format!("{y:04}");
            let text = format!(
                "{}{}",
                &digits[..4 - hidden as usize],
                "X".repeat(hidden as usize)
            );
            plain(
                text,
                ymd(first, 1, 1),
                ymd(first + span - 1, 12, 31),
                coarse(hidden),
            )
        })
        .boxed()
}

/// `2024-XX`, `1985-XX-XX`, `2024-02-XX`.
fn masked_part_point() -> BoxedStrategy<Point> {
    (0..=9999i32, 1..=12u32, 0..3u8)
        .prop_map(|(y, m, form)| {
            let yt = year_text(y);
            match form {
                0 => plain(
                    format!("{yt}-XX"),
                    ymd(y, 1, 1),
                    ymd(y, 12, 31),
                    Precision::Year,
                ),
                1 => plain(
                    format!("{yt}-XX-XX"),
                    ymd(y, 1, 1),
                    ymd(y, 12, 31),
                    Precision::Year,
                ),
                _ => plain(
                    format!("{yt}-{m:02}-XX"),
                    ymd(y, m, 1),
                    last_day(y, m),
                    Precision::Month,
                ),
            }
        })
        .boxed()
}

/// `1950S2`: a year known to `significant` leading digits.
fn significant_point() -> BoxedStrategy<Point> {
    (1000..=9999i32, 1..=3u32)
        .prop_map(|(y, significant)| {
            let hidden = 4 - significant;
            let span = 10i32.pow(hidden);
            let first = y / span * span;
            plain(
                format!("{y}S{significant}"),
                ymd(first, 1, 1),
                ymd(first + span - 1, 12, 31),
                coarse(hidden),
            )
        })
        .boxed()
}

fn qualifier() -> BoxedStrategy<Option<char>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some('?')),
        1 => Just(Some('~')),
        1 => Just(Some('%')),
    ]
    .boxed()
}

fn flags(q: Option<char>) -> Qualifiers {
    Qualifiers {
        uncertain: matches!(q, Some('?' | '%')),
        approximate: matches!(q, Some('~' | '%')),
    }
}

fn or(a: Qualifiers, b: Qualifiers) -> Qualifiers {
    Qualifiers {
        uncertain: a.uncertain || b.uncertain,
        approximate: a.approximate || b.approximate,
    }
}

/// A day, month, year or season, qualified as a whole: `2024-02~`.
fn qualified_point() -> BoxedStrategy<Point> {
    let base = prop_oneof![day_point(), month_point(), year_point(), season_point()];
    (base, qualifier())
        .prop_map(|(mut p, q)| {
            if let Some(c) = q {
                p.text.push(c);
            }
            p.q = flags(q);
            p
        })
        .boxed()
}

/// A day with each part qualified on its own (level 2): `?2004-06-~11`.
fn part_qualified_point() -> BoxedStrategy<Point> {
    (day_point(), qualifier(), qualifier(), qualifier())
        .prop_map(|(mut p, qy, qm, qd)| {
            let (y, rest) = p.text.split_at(p.text.len() - 6);
            let (m, d) = (&rest[1..3], &rest[4..6]);
            let pre = |q: Option<char>| q.map(String::from).unwrap_or_default();
            p.text = format!("{}{y}-{}{m}-{}{d}", pre(qy), pre(qm), pre(qd));
            p.q = or(or(flags(qy), flags(qm)), flags(qd));
            p
        })
        .boxed()
}

/// `2024-01-06T10:30:00+09:00`, `...Z`, `...-04`, or no zone.
fn time_point() -> BoxedStrategy<Point> {
    let zone = prop_oneof![
        Just(String::new()),
        Just("Z".to_string()),
        (
            any::<bool>(),
            0..=14u32,
            pick(vec![0u32, 30, 45]),
            any::<bool>()
        )
            .prop_map(|(minus, h, m, short)| {
                let m = if h == 14 { 0 } else { m };
                // `-00` and `-00:00` are refused: there is no negative zero.
                let sign = if minus && (h, m) != (0, 0) { '-' } else { '+' };
                if short && m == 0 {
                    format!("{sign}{h:02}")
                } else {
                    format!("{sign}{h:02}:{m:02}")
                }
            }),
    ];
    (
        day_point().prop_filter("a time needs a year 0000-9999", |p| {
            !p.text.starts_with('-')
        }),
        0..24u32,
        0..60u32,
        0..60u32,
        zone,
    )
        .prop_map(|(mut p, h, m, s, zone)| {
            p.text = format!("{}T{h:02}:{m:02}:{s:02}{zone}", p.text);
            p.precision = Precision::Time;
            p
        })
        .boxed()
}

/// Any single date.
fn point() -> BoxedStrategy<Point> {
    prop_oneof![
        4 => qualified_point(),
        1 => masked_year_point(),
        1 => masked_part_point(),
        1 => significant_point(),
        1 => part_qualified_point(),
        1 => time_point(),
    ]
    .boxed()
}

/// A single date that may be an interval end: anything but a time.
fn end_point() -> BoxedStrategy<Point> {
    prop_oneof![
        4 => qualified_point(),
        1 => masked_year_point(),
        1 => masked_part_point(),
        1 => part_qualified_point(),
    ]
    .boxed()
}

#[derive(Clone, Copy, Debug)]
enum End {
    Dated,
    /// `..` alone.
    Open,
    /// Empty.
    Unknown,
    /// `..date` at the start, `date..` at the end.
    Beyond,
}

fn end_kind() -> BoxedStrategy<End> {
    prop_oneof![
        5 => Just(End::Dated),
        1 => Just(End::Open),
        1 => Just(End::Unknown),
        1 => Just(End::Beyond),
    ]
    .boxed()
}

fn combine(precisions: impl IntoIterator<Item = Precision>) -> Precision {
    let mut acc = None;
    for p in precisions {
        acc = match acc {
            Some(a) if a != p => Some(Precision::Mixed),
            _ => Some(p),
        };
    }
    acc.unwrap_or(Precision::Mixed)
}

/// `start/end` with dated, open (`..`), unknown (empty) and on-or-before /
/// on-or-after ends; at least one end is dated.
fn interval() -> BoxedStrategy<Model> {
    (end_point(), end_point(), end_kind(), end_kind())
        .prop_filter("an interval needs a dated end", |(_, _, s, e)| {
            matches!(s, End::Dated | End::Beyond) || matches!(e, End::Dated | End::Beyond)
        })
        .prop_map(|(a, b, sk, ek)| {
            // Order the ends as the grammar asks: the start's earliest day
            // not after the end's latest day.
            let (a, b) = if a.lo > b.hi { (b, a) } else { (a, b) };
            let dated_start = matches!(sk, End::Dated | End::Beyond);
            let dated_end = matches!(ek, End::Dated | End::Beyond);
            let start = match sk {
                End::Dated => a.text.clone(),
                End::Open => "..".into(),
                End::Unknown => String::new(),
                End::Beyond => format!("..{}", a.text),
            };
            let end = match ek {
                End::Dated => b.text.clone(),
                End::Open => "..".into(),
                End::Unknown => String::new(),
                End::Beyond => format!("{}..", b.text),
            };
            let mut q = Qualifiers::default();
            let mut precisions = vec![];
            if dated_start {
                q = or(q, a.q);
                precisions.push(a.precision);
            }
            if dated_end {
                q = or(q, b.q);
                precisions.push(b.precision);
            }
            Model {
                text: format!("{start}/{end}"),
                lo: matches!(sk, End::Dated).then_some(a.lo),
                hi: matches!(ek, End::Dated).then_some(b.hi),
                precision: combine(precisions),
                q,
                shape: Shape::Interval {
                    start_open: matches!(sk, End::Open | End::Beyond),
                    end_open: matches!(ek, End::Open | End::Beyond),
                    start_unknown: matches!(sk, End::Unknown),
                    end_unknown: matches!(ek, End::Unknown),
                },
            }
        })
        .boxed()
}

/// A set member: a plain date or a range of two plain dates of one
/// precision.
fn member() -> BoxedStrategy<(String, Point)> {
    let single =
        prop_oneof![day_point(), month_point(), year_point()].prop_map(|p| (p.text.clone(), p));
    let range = prop_oneof![
        (day_point(), day_point()),
        (month_point(), month_point()),
        (year_point(), year_point()),
    ]
    .prop_map(|(a, b)| {
        let (a, b) = if a.lo > b.lo { (b, a) } else { (a, b) };
        let text = format!("{}..{}", a.text, b.text);
        let p = Point {
            text: text.clone(),
            lo: a.lo,
            hi: b.hi,
            precision: a.precision,
            q: Qualifiers::default(),
        };
        (text, p)
    });
    prop_oneof![2 => single, 1 => range].boxed()
}

/// `[a, b..c]` (one of) or `{a, b..c}` (all of), possibly opening with
/// `..date` or closing with `date..`.
fn set() -> BoxedStrategy<Model> {
    (
        proptest::collection::vec(member(), 1..5),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        day_point(),
        day_point(),
    )
        .prop_map(|(members, one_of, open_start, open_end, first, last)| {
            let mut texts: Vec<String> = members.iter().map(|(t, _)| t.clone()).collect();
            let mut lo = members.iter().map(|(_, p)| p.lo).min();
            let mut hi = members.iter().map(|(_, p)| p.hi).max();
            let mut precisions: Vec<Precision> = members.iter().map(|(_, p)| p.precision).collect();
            if open_start {
                texts.insert(0, format!("..{}", first.text));
                precisions.insert(0, Precision::Day);
                lo = None;
                hi = hi.max(Some(first.hi));
            }
            if open_end {
                texts.push(format!("{}..", last.text));
                precisions.push(Precision::Day);
                hi = None;
                lo = lo.map(|l| l.min(last.lo));
            }
            let (open, close, shape) = if one_of {
                ('[', ']', Shape::OneOf)
            } else {
                ('{', '}', Shape::AllOf)
            };
            Model {
                text: format!("{open}{}{close}", texts.join(",")),
                lo,
                hi,
                precision: combine(precisions),
                q: Qualifiers::default(),
                shape,
            }
        })
        .boxed()
}

/// Any date the grammar accepts, with its meaning.
fn model() -> BoxedStrategy<Model> {
    prop_oneof![
        3 => point().prop_map(Point::model),
        2 => interval(),
        1 => set(),
    ]
    .boxed()
}

fn parsed(m: &Model) -> Date {
    Date::parse(&m.text).unwrap_or_else(|e| panic!("{:?} refused: {e}", m.text))
}

/// Everything a date says, for comparing two parses.
fn facts(d: &Date) -> impl PartialEq + std::fmt::Debug {
    (
        d.text().to_string(),
        d.earliest(),
        d.latest(),
        d.precision(),
        d.qualifiers(),
        d.shape(),
        d.level(),
        d.label(),
    )
}

/// The bound order `Date` promises: earliest (unbounded first), then latest
/// (unbounded last).
fn bound_key(d: &Date) -> (Option<NaiveDate>, (bool, Option<NaiveDate>)) {
    (d.earliest(), (d.latest().is_none(), d.latest()))
}

/// Checks what holds for every date that parses.
fn check_invariants(d: &Date) {
    if let (Some(lo), Some(hi)) = (d.earliest(), d.latest()) {
        assert!(lo <= hi, "{}: earliest {lo} after latest {hi}", d.text());
    }
    let again = Date::parse(d.text()).expect("a parsed date parses again");
    assert_eq!(facts(&again), facts(d));
    assert_eq!(again, *d);
    assert_eq!(again.cmp(d), Ordering::Equal);
    assert!(!d.label().is_empty());
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn dates_parse_to_what_they_mean(m in model()) {
        let d = parsed(&m);
        prop_assert_eq!(d.earliest(), m.lo, "earliest of {}", m.text);
        prop_assert_eq!(d.latest(), m.hi, "latest of {}", m.text);
        prop_assert_eq!(d.precision(), m.precision, "precision of {}", m.text);
        prop_assert_eq!(d.qualifiers(), m.q, "qualifiers of {}", m.text);
        prop_assert_eq!(d.shape(), m.shape, "shape of {}", m.text);
        prop_assert!((0..=2).contains(&d.level()));
    }

    #[test]
    fn dates_round_trip_through_their_text(m in model()) {
        let d = parsed(&m);
        prop_assert_eq!(d.text(), m.text.as_str());
        prop_assert_eq!(d.to_string(), m.text.clone());
        let again: Date = d.text().parse().unwrap();
        prop_assert_eq!(facts(&again), facts(&d));
        prop_assert_eq!(&again, &d);
        let json = serde_json::to_string(&d).unwrap();
        prop_assert_eq!(json, serde_json::to_string(&m.text).unwrap());
    }

    #[test]
    fn earliest_is_never_after_latest(m in model()) {
        check_invariants(&parsed(&m));
    }

    #[test]
    fn qualifiers_never_move_bounds(p in prop_oneof![day_point(), month_point(), year_point(), season_point()], q in pick(vec!['?', '~', '%'])) {
        let plain = Date::parse(&p.text).unwrap();
        let qualified = Date::parse(&format!("{}{q}", p.text)).unwrap();
        prop_assert_eq!(plain.earliest(), qualified.earliest());
        prop_assert_eq!(plain.latest(), qualified.latest());
        prop_assert_eq!(plain.precision(), qualified.precision());
        prop_assert!(plain.qualifiers().is_empty());
        prop_assert!(!qualified.qualifiers().is_empty());
    }

    #[test]
    fn an_interval_spans_from_its_start_to_its_end(a in end_point(), b in end_point()) {
        let (a, b) = if a.lo > b.hi { (b, a) } else { (a, b) };
        let (da, db) = (Date::parse(&a.text).unwrap(), Date::parse(&b.text).unwrap());
        let iv = Date::parse(&format!("{}/{}", a.text, b.text)).unwrap();
        prop_assert_eq!(iv.earliest(), da.earliest());
        prop_assert_eq!(iv.latest(), db.latest());
        // Reversed, it is refused unless the ends overlap.
        let back = Date::parse(&format!("{}/{}", b.text, a.text));
        prop_assert_eq!(back.is_ok(), b.lo <= a.hi, "{}/{}", b.text, a.text);
    }

    #[test]
    fn the_order_of_dates_is_total_and_follows_the_bounds(ms in proptest::collection::vec(model(), 2..12)) {
        let ds: Vec<Date> = ms.iter().map(parsed).collect();
        for a in &ds {
            for b in &ds {
                let ab = a.cmp(b);
                prop_assert_eq!(ab, b.cmp(a).reverse(), "antisymmetry: {} {}", a, b);
                prop_assert_eq!(ab == Ordering::Equal, a == b, "equal iff same: {} {}", a, b);
                prop_assert_eq!(a.partial_cmp(b), Some(ab));
                if bound_key(a) != bound_key(b) {
                    prop_assert_eq!(ab, bound_key(a).cmp(&bound_key(b)), "bounds decide: {} {}", a, b);
                }
                for c in &ds {
                    if a <= b && b <= c {
                        prop_assert!(a <= c, "transitivity: {} {} {}", a, b, c);
                    }
                }
            }
        }
        let mut sorted = ds.clone();
        sorted.sort();
        let mut reversed: Vec<Date> = ds.iter().rev().cloned().collect();
        reversed.sort_unstable();
        prop_assert_eq!(&sorted, &reversed, "the order does not depend on the input order");
        for w in sorted.windows(2) {
            prop_assert!(bound_key(&w[0]) <= bound_key(&w[1]));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        if let Ok(d) = Date::parse(&s) {
            check_invariants(&d);
        }
    }

    #[test]
    fn edtf_shaped_text_never_panics(s in "[-0-9X?~%/.,\\[\\]{}STZ:+ ]{0,32}") {
        match Date::parse(&s) {
            Ok(d) => check_invariants(&d),
            Err(e) => prop_assert!(!e.message.is_empty()),
        }
    }

    #[test]
    fn mutated_dates_never_panic(m in model(), at in any::<prop::sample::Index>(), with in "[-0-9X?~%/.\\[\\]{}]{0,3}", cut in 0..4usize) {
        let mut s = m.text.clone();
        let i = at.index(s.len() + 1);
        let j = (i + cut).min(s.len());
        s.replace_range(i..j, &with);
        if let Ok(d) = Date::parse(&s) {
            check_invariants(&d);
        }
    }
}

// ---------------------------------------------------------------------------
// Filters

const ACTORS: [(&str, &str, &[&str], &[&str]); 5] = [
    ("japan", "Japan", &["Nippon"], &[]),
    ("japan-government", "Government of Japan", &[], &["japan"]),
    (
        "kishida-fumio",
        "Kishida Fumio",
        &["Fumio Kishida"],
        &["japan-government"],
    ),
    ("north-korea", "North Korea", &["DPRK"], &[]),
    ("kim-jong-un", "Kim Jong Un", &[], &["north-korea"]),
];
const KINDS: [&str; 4] = ["statement", "summit", "message", "visit"];
const TAGS: [&str; 3] = ["nuclear", "trade", "quake"];
const SOURCES: [&str; 3] = ["src-a", "src-b", "src-c"];
const WORDS: [&str; 6] = ["Summit", "missile", "talks", "Japan", "quake", "abductees"];
const ROLES: [Role; 4] = [
    Role::Initiator,
    Role::Target,
    Role::Participant,
    Role::Mentioned,
];
const STATUSES: [Status; 4] = [
    Status::Occurred,
    Status::Reported,
    Status::Scheduled,
    Status::Cancelled,
];

fn origin(index: usize) -> Origin {
    Origin {
        file: 0,
        index: index as u32,
        ..Origin::default()
    }
}

fn fixed_actors() -> Vec<Actor> {
    ACTORS
        .iter()
        .enumerate()
        .map(|(i, (id, name, aliases, member_of))| Actor {
            id: (*id).into(),
            name: (*name).into(),
            kind: ActorType::Other,
            country: None,
            aliases: aliases.iter().map(|s| (*s).into()).collect(),
            member_of: member_of.iter().map(|s| (*s).into()).collect(),
            roles: vec![],
            note: None,
            origin: origin(i),
        })
        .collect()
}

fn fixed_sources() -> Vec<Source> {
    SOURCES
        .iter()
        .enumerate()
        .map(|(i, id)| Source {
            id: (*id).into(),
            title: format!("Source {id}"),
            publisher: "Publisher".into(),
            authors: vec![],
            url: None,
            published: None,
            accessed: None,
            note: None,
            key: None,
            archived: None,
            source_type: None,
            origin: origin(i),
        })
        .collect()
}

fn words() -> BoxedStrategy<String> {
    proptest::collection::vec(pick(WORDS.to_vec()), 1..4)
        .prop_map(|w| w.join(" "))
        .boxed()
}

/// An event with an id to be set, dates from the date model.
fn event() -> BoxedStrategy<Event> {
    (
        model(),
        pick(KINDS.to_vec()),
        pick(STATUSES.to_vec()),
        proptest::collection::vec((0..ACTORS.len(), pick(ROLES.to_vec())), 1..4),
        subsequence(TAGS.to_vec(), 0..=TAGS.len()),
        subsequence(SOURCES.to_vec(), 0..=SOURCES.len()),
        words(),
        proptest::option::of(words()),
        proptest::option::of(words()),
    )
        .prop_map(
            |(m, kind, status, actors, tags, sources, title, summary, quote)| Event {
                summary,
                status,
                actors: actors
                    .into_iter()
                    .map(|(a, role)| ActorRef {
                        actor: ACTORS[a].0.into(),
                        role,
                    })
                    .collect(),
                tags: tags.into_iter().map(Into::into).collect(),
                quotes: quote
                    .map(|text| Quote {
                        by: "japan".into(),
                        text,
                    })
                    .into_iter()
                    .collect(),
                sources: sources
                    .into_iter()
                    .map(|s| SourceRef::Id {
                        source: s.into(),
                        locator: None,
                    })
                    .collect(),
                origin: origin(0),
                ..Event::new("", Date::parse(&m.text).unwrap(), kind, title)
            },
        )
        .boxed()
}

/// A record of up to 40 generated events over fixed actors and sources
/// (also used by `props_count`).
pub(crate) fn record() -> BoxedStrategy<Record> {
    proptest::collection::vec(event(), 0..40)
        .prop_map(|events| Record {
            events: events
                .into_iter()
                .enumerate()
                .map(|(i, mut e)| {
                    e.id = format!("e{i:02}").into();
                    e.origin = origin(i);
                    e
                })
                .collect(),
            actors: fixed_actors(),
            sources: fixed_sources(),
            ..Record::default()
        })
        .boxed()
}

/// One filter dimension of a query; actors carry their roles and the
/// members flag, dates carry `within`, since those only mean something
/// together.
#[derive(Clone, Debug)]
enum Part {
    Actors(Vec<String>, bool, Vec<Role>),
    Roles(Vec<Role>),
    Kinds(Vec<String>),
    Statuses(Vec<Status>),
    Dates(Option<Date>, Option<Date>, bool),
    Tags(Vec<String>),
    Sources(Vec<String>),
    Text(Vec<String>),
}

impl Part {
    fn add_to(&self, q: &mut Query) {
        match self.clone() {
            Part::Actors(names, members, roles) => {
                q.actors = names;
                q.members = members;
                q.roles = roles;
            }
            Part::Roles(roles) => q.roles = roles,
            Part::Kinds(k) => q.kinds = k,
            Part::Statuses(s) => q.statuses = s,
            Part::Dates(from, to, within) => {
                q.from = from;
                q.to = to;
                q.within = within;
            }
            Part::Tags(t) => q.tags = t,
            Part::Sources(s) => q.sources = s,
            Part::Text(t) => q.text = t,
        }
    }

    /// Which query fields it sets; two parts in one query must not share.
    fn slot(&self) -> u8 {
        match self {
            Part::Actors(..) | Part::Roles(_) => 0,
            Part::Kinds(_) => 1,
            Part::Statuses(_) => 2,
            Part::Dates(..) => 3,
            Part::Tags(_) => 4,
            Part::Sources(_) => 5,
            Part::Text(_) => 6,
        }
    }
}

fn simple_date() -> BoxedStrategy<Date> {
    prop_oneof![day_point(), month_point(), year_point()]
        .prop_map(|p| Date::parse(&p.text).unwrap())
        .boxed()
}

fn part() -> BoxedStrategy<Part> {
    // Names as a user might type them: ids, names, aliases, other spellings.
    let name = pick(vec![
        "japan",
        "Japan",
        "NIPPON",
        "kishida-fumio",
        "Fumio Kishida",
        "north korea",
        "dprk",
        "Kim Jong-un",
        "government of japan",
    ])
    .prop_map(String::from);
    let some_roles = || proptest::collection::vec(pick(ROLES.to_vec()), 0..3);
    prop_oneof![
        (
            proptest::collection::vec(name, 1..3),
            any::<bool>(),
            some_roles()
        )
            .prop_map(|(n, m, r)| Part::Actors(n, m, r)),
        proptest::collection::vec(pick(ROLES.to_vec()), 1..3).prop_map(Part::Roles),
        proptest::collection::vec(pick(KINDS.to_vec()).prop_map(String::from), 1..3)
            .prop_map(Part::Kinds),
        proptest::collection::vec(pick(STATUSES.to_vec()), 1..3).prop_map(Part::Statuses),
        (
            proptest::option::of(simple_date()),
            proptest::option::of(simple_date()),
            any::<bool>()
        )
            .prop_filter("a range has a side", |(f, t, _)| f.is_some() || t.is_some())
            .prop_map(|(f, t, w)| Part::Dates(f, t, w)),
        proptest::collection::vec(pick(TAGS.to_vec()).prop_map(String::from), 1..3)
            .prop_map(Part::Tags),
        proptest::collection::vec(pick(SOURCES.to_vec()).prop_map(String::from), 1..3)
            .prop_map(Part::Sources),
        proptest::collection::vec(words().prop_map(|w| w.to_lowercase()), 1..3)
            .prop_map(Part::Text),
    ]
    .boxed()
}

fn query(parts: &[Part]) -> Query {
    let mut q = Query::default();
    for p in parts {
        p.add_to(&mut q);
    }
    q
}

/// Two queries over different fields.
fn two_queries() -> BoxedStrategy<(Vec<Part>, Vec<Part>)> {
    (
        proptest::collection::vec(part(), 1..4),
        proptest::collection::vec(part(), 1..4),
    )
        .prop_map(|(x, y)| {
            let mut used = [false; 7];
            let mut keep = |parts: Vec<Part>| -> Vec<Part> {
                parts
                    .into_iter()
                    .filter(|p| !std::mem::replace(&mut used[p.slot() as usize], true))
                    .collect()
            };
            let x = keep(x);
            let y = keep(y);
            (x, y)
        })
        .boxed()
}

fn ids(events: &[&Event]) -> Vec<String> {
    events.iter().map(|e| e.id.to_string()).collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn filters_commute_and_results_stay_sorted(rec in record(), (x, y) in two_queries()) {
        let fx = query(&x).compile(&rec).unwrap();
        let fy = query(&y).compile(&rec).unwrap();
        let both = query(&[x.clone(), y.clone()].concat()).compile(&rec).unwrap();

        let x_then_y: Vec<&Event> = select(&rec, &fx).into_iter().filter(|e| fy.matches(e)).collect();
        let y_then_x: Vec<&Event> = select(&rec, &fy).into_iter().filter(|e| fx.matches(e)).collect();
        let at_once = select(&rec, &both);
        prop_assert_eq!(ids(&x_then_y), ids(&at_once));
        prop_assert_eq!(ids(&y_then_x), ids(&at_once));

        // Sorted, strictly: ids are unique, so no two events tie.
        for w in at_once.windows(2) {
            prop_assert_eq!(timeline_order(w[0], w[1]), Ordering::Less, "{} before {}", &w[0].id, &w[1].id);
        }
        // And it is the record's events in timeline order, filtered.
        let mut all: Vec<&Event> = rec.events.iter().collect();
        all.sort_by(|a, b| timeline_order(a, b));
        let expected: Vec<&Event> = all.into_iter().filter(|e| fx.matches(e) && fy.matches(e)).collect();
        prop_assert_eq!(ids(&expected), ids(&at_once));
    }

    #[test]
    fn the_timeline_order_is_total(rec in record()) {
        let es: Vec<&Event> = rec.events.iter().collect();
        for a in &es {
            for b in &es {
                let ab = timeline_order(a, b);
                prop_assert_eq!(ab, timeline_order(b, a).reverse());
                prop_assert_eq!(ab == Ordering::Equal, a.id == b.id);
                for c in &es {
                    if ab != Ordering::Greater && timeline_order(b, c) != Ordering::Greater {
                        prop_assert_ne!(timeline_order(a, c), Ordering::Greater);
                    }
                }
            }
        }
    }
}
