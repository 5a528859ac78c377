//! The timeline chart: a time axis, one lane per actor, kind or country,
//! a marker per event per lane, labels that never overlap, and a legend.
//!
//! Rendering is two passes: [`plan`] computes every position (lanes, rows,
//! labels, density bins, the legend), then [`paint`] draws them. Only the
//! second pass touches SVG.

use crate::chart::draw::{Paint, Painter, TextSpec};
use crate::chart::layout::{LaneInfo, Layout, Mark, Placed, Rect};
use crate::chart::palette::{self, KindStyle, Palette, Rgb, Shape};
use crate::chart::scale::{self, Bin, Tick, TimeScale};
use crate::chart::{Chart, LaneBy, Options, day_text, lanes, text, tooltip, window};
use crate::date::{Precision, Shape as DateShape};
use crate::index::Index;
use crate::model::{Event, Record, Relation, Status};
use chrono::NaiveDate;
use plotters::style::text_anchor::HPos;
use std::collections::{BTreeSet, HashMap};

const ROW_H: f64 = 32.0;
const LABEL_SIZE: f64 = 10.5;
/// Label centre below the row top.
const LABEL_DY: f64 = 9.0;
/// Marker centre below the row top.
const MARK_DY: f64 = 23.0;
/// Marker radius.
const R: f64 = 5.0;
const LANE_PAD: f64 = 4.0;
/// Space kept between neighbours in a row.
const GAP: f64 = 6.0;
const MAX_ROWS: usize = 12;
/// A lane with more events than this in the window shows density.
pub const DENSITY_EVENTS: usize = 150;
const DENSITY_H: f64 = 48.0;
const HEADER_H: f64 = 62.0;
const AXIS_H: f64 = 36.0;
const LANE_FONT: f64 = 12.0;
const TICK_FONT: f64 = 11.0;
const LEGEND_FONT: f64 = 11.0;
const LEGEND_ROW: f64 = 22.0;
/// A label narrower than this is left out (the tooltip still has it).
const MIN_LABEL: f64 = 30.0;
const GUTTER: f64 = 40.0;

/// How an event's date is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Geom {
    /// A known day.
    Point,
    /// A known day, marked uncertain or approximate.
    Halo,
    /// An interval: the event lasted the span.
    Bar,
    /// One day somewhere in the span, or a date known to a month or year.
    Range,
}

/// Where an event falls relative to the window.
#[derive(Debug, Clone)]
enum Place {
    Before,
    After,
    In(Geo),
}

/// An event's marks, independent of lane and row.
#[derive(Debug, Clone)]
struct Geo {
    geom: Geom,
    lo: f64,
    hi: f64,
    /// The range runs on beyond the left (right) edge: open, unknown or
    /// outside the window.
    arrow_lo: bool,
    arrow_hi: bool,
    /// Marker centre.
    mx: f64,
    /// The horizontal extent of everything drawn in the mark band.
    ext: (f64, f64),
    /// The day the marker stands for, for density bins.
    day: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
struct Item {
    ev: usize,
    geo: Geo,
    row: usize,
    label: Option<String>,
    /// Where the label begins: at the left of the marks, or ending at their
    /// right when there is no room to the right.
    label_x: f64,
}

#[derive(Debug, Clone)]
struct LanePlan {
    name: String,
    items: Vec<Item>,
    rows: usize,
    before: usize,
    after: usize,
    /// Bin starts and counts, when the lane shows density.
    density: Option<Vec<(NaiveDate, usize)>>,
    in_window: usize,
    top: f64,
    height: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Notation {
    Point,
    Bar,
    Range,
    Halo,
    Open,
    Scheduled,
    Cancelled,
    Reported,
    Density,
    RespondsTo,
    Follows,
    OffChart,
}

impl Notation {
    fn text(self, bin: Bin) -> String {
        match self {
            Notation::Point => "day".into(),
            Notation::Bar => "lasted the span".into(),
            Notation::Range => "one day in the range, or month/year only".into(),
            Notation::Halo => "uncertain or approximate day".into(),
            Notation::Open => "open end or beyond the window".into(),
            Notation::Scheduled => "scheduled".into(),
            Notation::Cancelled => "cancelled".into(),
            Notation::Reported => "reported, unconfirmed".into(),
            Notation::Density => format!(
                "crowded lane: events per {}, scaled to the lane's busiest",
                bin.noun()
            ),
            Notation::RespondsTo => "responds to".into(),
            Notation::Follows => "follows".into(),
            Notation::OffChart => "n events before / after the window".into(),
        }
    }
}

#[derive(Debug, Clone)]
enum LegendGlyph {
    Kind(KindStyle),
    Notation(Notation),
}

#[derive(Debug, Clone)]
struct LegendEntry {
    glyph: LegendGlyph,
    text: String,
    x: f64,
    y: f64,
}

struct Plan<'a> {
    width: u32,
    height: u32,
    title: String,
    subtitle: String,
    scale: TimeScale,
    ticks: Vec<Tick>,
    minor: Vec<f64>,
    label_col: f64,
    lanes: Vec<LanePlan>,
    lanes_top: f64,
    lanes_bottom: f64,
    bin: Bin,
    density_max: usize,
    legend: Vec<LegendEntry>,
    /// Kind legend captions at (x, y) and section captions.
    captions: Vec<(String, f64, f64)>,
    relations: Vec<(usize, usize, Relation)>,
    positions: HashMap<usize, Vec<(usize, f64, f64)>>,
    events: &'a [&'a Event],
    gutter_lo: bool,
    gutter_hi: bool,
}

/// Draws the timeline of `events`.
pub fn render(record: &Record, events: &[&Event], opts: &Options) -> Chart {
    let palette = Palette::new(record);
    let plan = plan(record, events, opts, &palette);
    let layout = layout_of(&plan);
    let svg = paint(record, &plan, &palette);
    Chart { svg, layout }
}

fn geo(e: &Event, s: &TimeScale) -> Place {
    let (lo_d, hi_d) = (e.date.earliest(), e.date.latest());
    if hi_d.is_some_and(|h| h < s.start) {
        return Place::Before;
    }
    if lo_d.is_some_and(|l| l > s.end) {
        return Place::After;
    }
    let exact = matches!(e.date.precision(), Precision::Day | Precision::Time);
    let geom = match e.date.shape() {
        DateShape::Interval { .. } => Geom::Bar,
        _ if lo_d.is_some() && lo_d == hi_d && (exact || e.date.shape() != DateShape::Point) => {
            if e.date.qualifiers().is_empty() {
                Geom::Point
            } else {
                Geom::Halo
            }
        }
        _ => Geom::Range,
    };
    let (lo, arrow_lo) = match lo_d {
        Some(d) if d >= s.start => (s.x(d), false),
        _ => (s.x0, true),
    };
    let (hi, arrow_hi) = match hi_d {
        Some(d) if d <= s.end => (s.x_end(d), false),
        _ => (s.x1, true),
    };
    let hi = hi.max(lo);
    let visible = |d: NaiveDate| s.contains(d);
    let (mx, day) = match geom {
        Geom::Point | Geom::Halo => {
            let d = lo_d.unwrap_or(s.start);
            (s.x_mid(d), Some(d))
        }
        Geom::Bar => match (lo_d, hi_d) {
            (Some(d), _) if visible(d) => (lo, Some(d)),
            (_, Some(d)) if visible(d) => (hi, Some(d)),
            _ => ((lo + hi) / 2.0, None),
        },
        Geom::Range => match (lo_d, hi_d) {
            (Some(a), Some(b)) => {
                let mid = a + chrono::Days::new(((b - a).num_days() / 2) as u64);
                let m = (s.x(a) + s.x_end(b)) / 2.0;
                (m.clamp(lo + R, (hi - R).max(lo + R)), Some(mid))
            }
            (None, Some(d)) if visible(d) => (s.x_mid(d), Some(d)),
            (Some(d), None) if visible(d) => (s.x_mid(d), Some(d)),
            _ => ((lo + hi) / 2.0, None),
        },
    };
    let mx = mx.clamp(s.x0, s.x1);
    let day = day.map(|d| d.clamp(s.start, s.end)).or_else(|| {
        let i = ((mx - s.x0) / s.px_per_day()).floor().max(0.0) as u64;
        s.start.checked_add_days(chrono::Days::new(i))
    });
    let ext = (lo.min(mx - R - 1.5), hi.max(mx + R + 1.5));
    Place::In(Geo {
        geom,
        lo,
        hi,
        arrow_lo: arrow_lo && geom != Geom::Point && geom != Geom::Halo,
        arrow_hi: arrow_hi && geom != Geom::Point && geom != Geom::Halo,
        mx,
        ext,
        day,
    })
}

/// Puts items in rows: each item's marks and label in one row, neither
/// touching a neighbour's. A label goes left-aligned above its marks, or
/// right-aligned when it would run past `limit`; labels are shortened where
/// the rows run out. `None` when even the marks need more than `max_rows`
/// rows.
fn pack(
    items: &mut [Item],
    labels: &[String],
    max_rows: usize,
    left: f64,
    limit: f64,
) -> Option<usize> {
    struct Row {
        end: f64,
        mark_end: f64,
    }
    let mut rows: Vec<Row> = Vec::new();
    // Where each item's row space begins (its label may start left of its marks).
    let mut starts: Vec<f64> = Vec::with_capacity(items.len());
    for it in items.iter_mut() {
        let (x0, x1) = it.geo.ext;
        let full = text::width(&labels[it.ev], LABEL_SIZE, false);
        let (start, end, label_x) = if x0 + full <= limit {
            (x0, x1.max(x0 + full), x0)
        } else if x1 - full >= left {
            let lx = x0.min(x1 - full);
            (lx, x1, lx)
        } else {
            (x0, x1.max(limit), x0)
        };
        let free = rows.iter().position(|r| r.end + GAP <= start);
        let (row, start, end, label_x) = match free {
            Some(r) => (r, start, end, label_x),
            None if rows.len() < max_rows => {
                rows.push(Row {
                    end: f64::NEG_INFINITY,
                    mark_end: f64::NEG_INFINITY,
                });
                (rows.len() - 1, start, end, label_x)
            }
            None => {
                // Share a row whose last label can be shortened.
                let r = rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.mark_end + GAP <= x0)
                    .min_by(|a, b| a.1.mark_end.total_cmp(&b.1.mark_end))
                    .map(|(i, _)| i)?;
                (r, x0, x1.max(limit.min(x0 + full)), x0)
            }
        };
        rows[row].end = end;
        rows[row].mark_end = x1;
        it.row = row;
        it.label_x = label_x;
        starts.push(start);
    }
    // Left-aligned labels end before the next item of the row begins;
    // right-aligned ones were given room when placed.
    let mut next_start: Vec<f64> = vec![limit + GAP; rows.len()];
    for (it, start) in items.iter_mut().zip(starts).rev() {
        let right = if it.label_x < it.geo.ext.0 {
            it.geo.ext.1
        } else {
            next_start[it.row] - GAP
        };
        let room = right - it.label_x;
        it.label = if room >= MIN_LABEL {
            text::fit(&labels[it.ev], room, LABEL_SIZE, false).map(|c| c.into_owned())
        } else {
            None
        };
        next_start[it.row] = start;
    }
    Some(rows.len().max(1))
}

fn plan<'a>(
    record: &Record,
    events: &'a [&'a Event],
    opts: &Options,
    palette: &Palette,
) -> Plan<'a> {
    let width = opts.width.clamp(320, 20_000);
    let w = f64::from(width);
    let by = opts.lanes.unwrap_or(LaneBy::Actor);
    let lanes = lanes::build(record, events, by, palette);
    let (start, end) = window(events, opts);

    let longest = lanes
        .iter()
        .map(|l| text::width(&text::clean(&l.name), LANE_FONT, false))
        .fold(0.0, f64::max);
    let label_col = (longest + 28.0).clamp(90.0, (w * 0.22).max(90.0));

    // Off-chart counts need gutters; find out with a provisional scale.
    let provisional = TimeScale::new(start, end, 0.0, 1.0);
    let places0: Vec<Place> = events.iter().map(|e| geo(e, &provisional)).collect();
    let gutter_lo = places0.iter().any(|p| matches!(p, Place::Before));
    let gutter_hi = places0.iter().any(|p| matches!(p, Place::After));
    let x0 = label_col + if gutter_lo { GUTTER } else { 8.0 };
    let x1 = w - if gutter_hi { GUTTER + 8.0 } else { 24.0 };
    let scale = TimeScale::new(start, end, x0, x1.max(x0 + 40.0));
    let places: Vec<Place> = events.iter().map(|e| geo(e, &scale)).collect();
    // Events at one x keep the timeline's order (causes first).
    let position = crate::query::timeline_positions(events);
    let label_limit = if gutter_hi { scale.x1 } else { w - 8.0 };
    let labels: Vec<String> = events
        .iter()
        .map(|e| text::clean(&e.title).into_owned())
        .collect();
    let ticks = scale::ticks(&scale, TICK_FONT, w);
    let minor = scale::minor_ticks(&scale, TICK_FONT, w);
    let bin = opts.bin.unwrap_or_else(|| Bin::auto(scale.days()));

    let build = |max_rows: usize| -> Vec<LanePlan> {
        lanes
            .iter()
            .map(|lane| {
                let (mut before, mut after) = (0, 0);
                let mut items = Vec::new();
                for &i in &lane.events {
                    match &places[i] {
                        Place::Before => before += 1,
                        Place::After => after += 1,
                        Place::In(g) => items.push(Item {
                            ev: i,
                            geo: g.clone(),
                            row: 0,
                            label: None,
                            label_x: g.ext.0,
                        }),
                    }
                }
                items.sort_by(|a, b| {
                    a.geo
                        .ext
                        .0
                        .total_cmp(&b.geo.ext.0)
                        .then_with(|| position[a.ev].cmp(&position[b.ev]))
                });
                let in_window = items.len();
                let packed = if in_window > DENSITY_EVENTS {
                    None
                } else {
                    pack(&mut items, &labels, max_rows, scale.x0, label_limit)
                };
                let (rows, density) = match packed {
                    Some(rows) => (rows, None),
                    None => {
                        let bins = density_bins(&items, &scale, bin);
                        items.clear();
                        (0, Some(bins))
                    }
                };
                LanePlan {
                    name: lane.name.clone(),
                    items,
                    rows,
                    before,
                    after,
                    density,
                    in_window,
                    top: 0.0,
                    height: 0.0,
                }
            })
            .collect()
    };

    let relations = if opts.relations {
        relations_of(events)
    } else {
        Vec::new()
    };
    let mut lane_plans = build(MAX_ROWS);
    let mut legend_plan = legend(&lane_plans, events, palette, &relations, bin, w);
    let total =
        |lp: &[LanePlan], legend_h: f64| HEADER_H + lanes_height(lp) + AXIS_H + legend_h + 12.0;
    if let Some(h) = opts.height {
        let mut max_rows = MAX_ROWS;
        while max_rows > 1 && total(&lane_plans, legend_plan.2) > f64::from(h) {
            max_rows -= 1;
            lane_plans = build(max_rows);
            legend_plan = legend(&lane_plans, events, palette, &relations, bin, w);
        }
    }
    let (legend_entries, captions, legend_h) = legend_plan;

    let lanes_top = HEADER_H;
    let mut y = lanes_top;
    for lp in &mut lane_plans {
        lp.top = y;
        lp.height = lane_height(lp);
        y += lp.height;
    }
    let lanes_bottom = y;
    let natural = (lanes_bottom + AXIS_H + legend_h + 12.0).ceil() as u32;
    let height = opts.height.unwrap_or(natural).clamp(120, 100_000);
    let legend_top = lanes_bottom + AXIS_H;
    let legend_entries = legend_entries
        .into_iter()
        .map(|mut e| {
            e.y += legend_top;
            e
        })
        .collect();
    let captions = captions
        .into_iter()
        .map(|(t, x, y)| (t, x, y + legend_top))
        .collect();

    let mut positions: HashMap<usize, Vec<(usize, f64, f64)>> = HashMap::new();
    for (li, lp) in lane_plans.iter().enumerate() {
        for it in &lp.items {
            let y = lp.top + LANE_PAD + it.row as f64 * ROW_H + MARK_DY;
            positions.entry(it.ev).or_default().push((li, it.geo.mx, y));
        }
    }
    let density_max = lane_plans
        .iter()
        .filter_map(|l| l.density.as_ref())
        .flat_map(|b| b.iter().map(|(_, c)| *c))
        .max()
        .unwrap_or(0);

    let shown = places.iter().filter(|p| matches!(p, Place::In(_))).count();
    let before = places.iter().filter(|p| matches!(p, Place::Before)).count();
    let after = places.iter().filter(|p| matches!(p, Place::After)).count();
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Timeline of events".into());
    let lane_word = match by {
        LaneBy::Actor => "one lane per actor",
        LaneBy::Kind => "one lane per kind",
        LaneBy::Country => "one lane per country",
        LaneBy::None => "all events in one lane",
    };
    let mut subtitle = format!(
        "{} {} from {} to {} \u{b7} {lane_word}",
        shown,
        if shown == 1 { "event" } else { "events" },
        day_text(scale.start),
        day_text(scale.end)
    );
    let plural = |n: usize| if n == 1 { "event" } else { "events" };
    match (before, after) {
        (0, 0) => {}
        (b, 0) => subtitle.push_str(&format!(" \u{b7} {b} earlier {} not shown", plural(b))),
        (0, a) => subtitle.push_str(&format!(" \u{b7} {a} later {} not shown", plural(a))),
        (b, a) => subtitle.push_str(&format!(
            " \u{b7} {b} earlier and {a} later {} not shown",
            plural(a)
        )),
    }
    if events.is_empty() {
        subtitle = "No events match".into();
    }

    Plan {
        width,
        height,
        title,
        subtitle,
        scale,
        ticks,
        minor,
        label_col,
        lanes: lane_plans,
        lanes_top,
        lanes_bottom,
        bin,
        density_max,
        legend: legend_entries,
        captions,
        relations,
        positions,
        events,
        gutter_lo,
        gutter_hi,
    }
}

fn lane_height(lp: &LanePlan) -> f64 {
    if lp.density.is_some() {
        DENSITY_H
    } else {
        LANE_PAD * 2.0 + lp.rows.max(1) as f64 * ROW_H
    }
}

fn lanes_height(lanes: &[LanePlan]) -> f64 {
    lanes.iter().map(lane_height).sum()
}

fn density_bins(items: &[Item], s: &TimeScale, bin: Bin) -> Vec<(NaiveDate, usize)> {
    let mut bin = bin;
    let mut starts = bin.starts(s.start, s.end, 2001);
    // Too fine for the window: coarsen.
    while starts.len() > 2000 || (s.x1 - s.x0) / (starts.len().max(1) as f64) < 2.0 {
        bin = match bin {
            Bin::Day => Bin::Week,
            Bin::Week => Bin::Month,
            Bin::Month => Bin::Quarter,
            Bin::Quarter | Bin::Year => Bin::Year,
        };
        let next = bin.starts(s.start, s.end, 2001);
        if bin == Bin::Year && next.len() == starts.len() {
            break;
        }
        starts = next;
        if bin == Bin::Year {
            break;
        }
    }
    let mut counts = vec![0usize; starts.len()];
    for it in items {
        if let Some(d) = it.geo.day {
            let i = starts.partition_point(|&b| b <= d).saturating_sub(1);
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
        }
    }
    starts.into_iter().zip(counts).collect()
}

fn relations_of(events: &[&Event]) -> Vec<(usize, usize, Relation)> {
    let ids: HashMap<&str, usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        for r in &e.related {
            if matches!(r.relation, Relation::RespondsTo | Relation::Follows) {
                if let Some(&t) = ids.get(r.event.as_str()) {
                    if t != i {
                        out.push((t, i, r.relation));
                    }
                }
            }
        }
    }
    out.sort_by_key(|&(t, i, r)| (events[i].id.as_str(), events[t].id.as_str(), r));
    out
}

/// Legend entries (relative to the legend's top), section captions, and height.
fn legend(
    lanes: &[LanePlan],
    events: &[&Event],
    palette: &Palette,
    relations: &[(usize, usize, Relation)],
    bin: Bin,
    w: f64,
) -> (Vec<LegendEntry>, Vec<(String, f64, f64)>, f64) {
    let mut kinds: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut notes: BTreeSet<Notation> = BTreeSet::new();
    for lp in lanes {
        if lp.density.is_some() {
            notes.insert(Notation::Density);
        }
        if lp.before + lp.after > 0 {
            notes.insert(Notation::OffChart);
        }
        for it in &lp.items {
            let e = events[it.ev];
            kinds.insert((palette.style(&e.kind).rank, e.kind.to_string()));
            notes.insert(match it.geo.geom {
                Geom::Point => Notation::Point,
                Geom::Halo => Notation::Halo,
                Geom::Bar => Notation::Bar,
                Geom::Range => Notation::Range,
            });
            if it.geo.arrow_lo || it.geo.arrow_hi {
                notes.insert(Notation::Open);
            }
            match e.status {
                Status::Occurred => {}
                Status::Scheduled => {
                    notes.insert(Notation::Scheduled);
                }
                Status::Cancelled => {
                    notes.insert(Notation::Cancelled);
                }
                Status::Reported => {
                    notes.insert(Notation::Reported);
                }
            }
        }
    }
    for (_, _, r) in relations {
        notes.insert(if *r == Relation::RespondsTo {
            Notation::RespondsTo
        } else {
            Notation::Follows
        });
    }
    let mut entries = Vec::new();
    let mut captions = Vec::new();
    let caption_w = 64.0;
    let mut y = 14.0;
    let sections: [(&str, Vec<LegendGlyph>); 2] = [
        (
            "Kinds",
            kinds
                .iter()
                .map(|(_, k)| LegendGlyph::Kind(palette.style(k)))
                .collect(),
        ),
        (
            "Marks",
            notes.iter().map(|n| LegendGlyph::Notation(*n)).collect(),
        ),
    ];
    for (caption, glyphs) in sections {
        if glyphs.is_empty() {
            continue;
        }
        captions.push((caption.to_string(), 16.0, y));
        let mut x = 16.0 + caption_w;
        for g in glyphs {
            let t = match &g {
                LegendGlyph::Kind(k) => text::clean(&k.label).into_owned(),
                LegendGlyph::Notation(n) => n.text(bin),
            };
            let glyph_w = match &g {
                LegendGlyph::Notation(
                    Notation::Bar
                    | Notation::Range
                    | Notation::Open
                    | Notation::Density
                    | Notation::RespondsTo
                    | Notation::Follows,
                ) => 30.0,
                LegendGlyph::Notation(Notation::OffChart) => 44.0,
                _ => 16.0,
            };
            let tw = text::width(&t, LEGEND_FONT, false);
            let entry_w = glyph_w + 6.0 + tw + 18.0;
            if x + entry_w > w - 8.0 && x > 16.0 + caption_w {
                x = 16.0 + caption_w;
                y += LEGEND_ROW;
            }
            entries.push(LegendEntry {
                glyph: g,
                text: t,
                x,
                y,
            });
            x += entry_w;
        }
        y += LEGEND_ROW;
    }
    (entries, captions, y)
}

fn layout_of(plan: &Plan<'_>) -> Layout {
    let mut layout = Layout {
        width: plan.width,
        height: plan.height,
        ticks: plan.ticks.iter().map(|t| t.label.clone()).collect(),
        ..Layout::default()
    };
    for (li, lp) in plan.lanes.iter().enumerate() {
        layout.lanes.push(LaneInfo {
            name: lp.name.clone(),
            shown: lp.in_window,
            before: lp.before,
            after: lp.after,
            density: lp.density.is_some(),
            rect: Rect::new(0.0, lp.top, f64::from(plan.width), lp.height),
        });
        for it in &lp.items {
            let row_top = lp.top + LANE_PAD + it.row as f64 * ROW_H;
            let cy = row_top + MARK_DY;
            layout.marks.push(Mark {
                event: plan.events[it.ev].id.to_string(),
                lane: li,
                rect: Rect::new(it.geo.mx - 1.3 * R, cy - 1.3 * R, 2.6 * R, 2.6 * R),
            });
            if let Some(l) = &it.label {
                layout.labels.push(Placed {
                    text: l.clone(),
                    rect: label_rect(l, it.label_x, row_top + LABEL_DY),
                });
            }
        }
    }
    for e in &plan.legend {
        if let LegendGlyph::Kind(k) = &e.glyph {
            layout.legend.push(k.id.clone());
        }
    }
    layout
}

fn label_rect(s: &str, x: f64, cy: f64) -> Rect {
    Rect::new(
        x,
        cy - 0.6 * LABEL_SIZE,
        text::width(s, LABEL_SIZE, false),
        1.2 * LABEL_SIZE,
    )
}

fn paint(record: &Record, plan: &Plan<'_>, palette: &Palette) -> String {
    let index = Index::new(record);
    let w = f64::from(plan.width);
    let p = Painter::new(plan.width, plan.height, &text::clean(&plan.title));
    let s = &plan.scale;
    p.fill_rect(
        0.0,
        0.0,
        w,
        f64::from(plan.height),
        Paint::solid(palette::WHITE),
    );

    // Header.
    p.doc().open_group("header", &[]);
    p.text(
        &fit_or_empty(&text::clean(&plan.title), w - 32.0, 16.0, true),
        (16.0, 22.0),
        TextSpec::new(16.0, palette::INK).bold(),
    );
    p.text(
        &fit_or_empty(&plan.subtitle, w - 32.0, 11.0, false),
        (16.0, 42.0),
        TextSpec::new(11.0, palette::MUTED),
    );
    p.doc().close();

    // Lanes: background, name, separators.
    p.doc().open_group("lanes", &[]);
    for (li, lp) in plan.lanes.iter().enumerate() {
        if li % 2 == 1 {
            p.fill_rect(
                0.0,
                lp.top,
                w,
                lp.top + lp.height,
                Paint::solid(palette::ZEBRA),
            );
        }
        let name = text::clean(&lp.name);
        let cy = if lp.density.is_some() {
            lp.top + lp.height / 2.0 - 6.0
        } else {
            lp.top + LANE_PAD + MARK_DY.min(lp.height / 2.0)
        };
        let li_s = li.to_string();
        p.doc().open_group("lane", &[("lane", &li_s)]);
        p.doc().tooltip(&name);
        p.text(
            &fit_or_empty(&name, plan.label_col - 24.0, LANE_FONT, false),
            (16.0, cy),
            TextSpec::new(LANE_FONT, palette::INK),
        );
        if lp.density.is_some() {
            let most = lp
                .density
                .as_ref()
                .and_then(|b| b.iter().map(|x| x.1).max())
                .unwrap_or(0);
            let note = format!(
                "{} events; per {}, max {most}",
                lp.in_window,
                plan.bin_for(lp).noun()
            );
            p.text(
                &fit_or_empty(&note, plan.label_col - 24.0, 10.0, false),
                (16.0, cy + 15.0),
                TextSpec::new(10.0, palette::MUTED),
            );
        }
        p.doc().close();
    }
    p.line(
        &[(0.0, plan.lanes_bottom), (w, plan.lanes_bottom)],
        Paint::solid(palette::GRID),
        1.0,
    );
    p.doc().close();

    // Grid and window edges.
    p.doc().open_group("grid", &[]);
    for &x in &plan.minor {
        p.line(
            &[(x, plan.lanes_top), (x, plan.lanes_bottom)],
            Paint::faded(palette::GRID, 0.45),
            1.0,
        );
    }
    for t in &plan.ticks {
        p.line(
            &[(t.x, plan.lanes_top), (t.x, plan.lanes_bottom)],
            Paint::solid(palette::GRID),
            1.0,
        );
    }
    for x in [s.x0, s.x1] {
        p.line(
            &[(x, plan.lanes_top), (x, plan.lanes_bottom)],
            Paint::faded(palette::MUTED, 0.5),
            1.0,
        );
    }
    p.doc().close();

    paint_offchart(&p, plan);
    if !plan.relations.is_empty() {
        paint_relations(&p, plan);
    }

    // Events.
    p.doc().open_group("events", &[]);
    for (li, lp) in plan.lanes.iter().enumerate() {
        for it in &lp.items {
            let e = plan.events[it.ev];
            let style = palette.style(&e.kind);
            let url = tooltip::first_url(record, &index, e);
            let linked = url.is_some_and(|u| p.doc().open_link(u));
            let li_s = li.to_string();
            p.doc().open_group(
                "mark",
                &[("event", &e.id), ("lane", &li_s), ("kind", &e.kind)],
            );
            p.doc()
                .tooltip(&tooltip::tooltip(record, &index, e, &style.label));
            let row_top = lp.top + LANE_PAD + it.row as f64 * ROW_H;
            paint_item(&p, &it.geo, row_top + MARK_DY, &style, e.status);
            if let Some(l) = &it.label {
                p.doc().set_halo(true);
                p.text(
                    l,
                    (it.label_x, row_top + LABEL_DY),
                    TextSpec::new(LABEL_SIZE, palette::INK),
                );
                p.doc().set_halo(false);
            }
            p.doc().close();
            if linked {
                p.doc().close_link();
            }
        }
    }
    p.doc().close();

    paint_density(&p, plan);
    paint_axis(&p, plan);
    paint_legend(&p, plan);
    p.finish()
}

impl Plan<'_> {
    fn bin_for(&self, lp: &LanePlan) -> Bin {
        // The bin actually used (density_bins may coarsen it).
        match lp.density.as_deref() {
            Some([a, b, ..]) => {
                let days = (b.0 - a.0).num_days();
                match days {
                    ..=1 => Bin::Day,
                    2..=7 => Bin::Week,
                    8..=31 => Bin::Month,
                    32..=92 => Bin::Quarter,
                    _ => Bin::Year,
                }
            }
            _ => self.bin,
        }
    }
}

fn fit_or_empty(s: &str, max: f64, size: f64, bold: bool) -> String {
    text::fit(s, max, size, bold).map_or_else(String::new, |c| c.into_owned())
}

fn arrowhead(p: &Painter, tip: (f64, f64), dir: f64, size: f64, paint: Paint) {
    // `dir` is +1 for right, -1 for left.
    let (x, y) = tip;
    p.polygon(
        &[
            (x, y),
            (x - dir * size, y - size * 0.6),
            (x - dir * size, y + size * 0.6),
        ],
        paint,
    );
}

fn paint_item(p: &Painter, g: &Geo, cy: f64, k: &KindStyle, status: Status) {
    let c = k.color;
    let dashed = status == Status::Reported;
    match g.geom {
        Geom::Range => {
            p.fill_rect(g.lo, cy - 4.0, g.hi, cy + 4.0, Paint::faded(c, 0.16));
            if dashed {
                p.doc().set_dash(Some("40 25"));
            }
            let lo = if g.arrow_lo { g.lo + 6.0 } else { g.lo };
            let hi = if g.arrow_hi { g.hi - 6.0 } else { g.hi };
            p.line(&[(lo, cy), (hi.max(lo), cy)], Paint::faded(c, 0.85), 1.5);
            p.doc().set_dash(None);
            if !g.arrow_lo {
                p.line(
                    &[(g.lo, cy - 4.0), (g.lo, cy + 4.0)],
                    Paint::faded(c, 0.85),
                    1.5,
                );
            }
            if !g.arrow_hi {
                p.line(
                    &[(g.hi, cy - 4.0), (g.hi, cy + 4.0)],
                    Paint::faded(c, 0.85),
                    1.5,
                );
            }
        }
        Geom::Bar => {
            let lo = if g.arrow_lo { g.lo + 6.0 } else { g.lo };
            let hi = if g.arrow_hi { g.hi - 6.0 } else { g.hi };
            if dashed || status == Status::Scheduled {
                p.fill_rect(
                    lo,
                    cy - 3.0,
                    hi.max(lo + 1.0),
                    cy + 3.0,
                    Paint::faded(c, 0.25),
                );
                if dashed {
                    p.doc().set_dash(Some("40 25"));
                }
                p.stroke_rect(
                    lo,
                    cy - 3.0,
                    hi.max(lo + 1.0),
                    cy + 3.0,
                    Paint::solid(c),
                    1.0,
                );
                p.doc().set_dash(None);
            } else {
                p.fill_rect(
                    lo,
                    cy - 3.0,
                    hi.max(lo + 1.0),
                    cy + 3.0,
                    Paint::faded(c, 0.85),
                );
            }
        }
        Geom::Halo => {
            p.circle((g.mx, cy), R + 4.0, Paint::faded(c, 0.25), true, 0.0);
        }
        Geom::Point => {}
    }
    if g.arrow_lo {
        arrowhead(p, (g.lo, cy), -1.0, 7.0, Paint::faded(c, 0.85));
    }
    if g.arrow_hi {
        arrowhead(p, (g.hi, cy), 1.0, 7.0, Paint::faded(c, 0.85));
    }
    paint_marker(p, k.shape, (g.mx, cy), c, status);
}

fn paint_marker(p: &Painter, shape: Shape, at: (f64, f64), c: Rgb, status: Status) {
    match status {
        Status::Occurred => {
            p.marker(
                shape,
                at,
                R,
                Some(Paint::solid(c)),
                Some((Paint::solid(palette::WHITE), 1.0)),
            );
        }
        Status::Scheduled => {
            p.marker(
                shape,
                at,
                R,
                Some(Paint::solid(palette::WHITE)),
                Some((Paint::solid(c), 2.0)),
            );
        }
        Status::Cancelled => {
            p.marker(shape, at, R, Some(Paint::faded(c, 0.35)), None);
            let (x, y) = at;
            let a = R * 0.95;
            p.line(
                &[(x - a, y - a), (x + a, y + a)],
                Paint::solid(palette::INK),
                1.5,
            );
            p.line(
                &[(x - a, y + a), (x + a, y - a)],
                Paint::solid(palette::INK),
                1.5,
            );
        }
        Status::Reported => {
            p.marker(
                shape,
                at,
                R,
                Some(Paint::solid(c)),
                Some((Paint::solid(palette::WHITE), 1.0)),
            );
            p.doc().set_dash(Some("20 15"));
            p.circle(at, R + 3.0, Paint::solid(c), false, 1.0);
            p.doc().set_dash(None);
        }
    }
}

fn paint_offchart(p: &Painter, plan: &Plan<'_>) {
    if !plan.gutter_lo && !plan.gutter_hi {
        return;
    }
    p.doc().open_group("offchart", &[]);
    let s = &plan.scale;
    for (li, lp) in plan.lanes.iter().enumerate() {
        let cy = if lp.density.is_some() {
            lp.top + lp.height / 2.0
        } else {
            lp.top + LANE_PAD + MARK_DY.min(lp.height / 2.0)
        };
        for (n, left) in [(lp.before, true), (lp.after, false)] {
            if n == 0 {
                continue;
            }
            let li_s = li.to_string();
            let n_s = n.to_string();
            let side = if left { "before" } else { "after" };
            p.doc().open_group(
                "offchart-count",
                &[("lane", &li_s), ("side", side), ("count", &n_s)],
            );
            let edge = if left { s.start } else { s.end };
            p.doc().tooltip(&format!(
                "{n} {} {side} {}",
                if n == 1 { "event" } else { "events" },
                day_text(edge)
            ));
            let paint = Paint::solid(palette::ARROW);
            if left {
                arrowhead(p, (s.x0 - GUTTER + 6.0, cy), -1.0, 7.0, paint);
                p.text(
                    &n_s,
                    (s.x0 - GUTTER + 16.0, cy),
                    TextSpec::new(11.0, palette::ARROW),
                );
            } else {
                arrowhead(p, (s.x1 + GUTTER - 6.0, cy), 1.0, 7.0, paint);
                p.text(
                    &n_s,
                    (s.x1 + GUTTER - 16.0, cy),
                    TextSpec::new(11.0, palette::ARROW).anchor(HPos::Right),
                );
            }
            p.doc().close();
        }
    }
    p.doc().close();
}

fn paint_relations(p: &Painter, plan: &Plan<'_>) {
    p.doc().open_group("relations", &[]);
    for &(from, to, rel) in &plan.relations {
        let (Some(a), Some(b)) = (plan.positions.get(&from), plan.positions.get(&to)) else {
            continue;
        };
        // The pair of occurrences closest together, same lane first.
        type Pair = ((f64, f64), (f64, f64), (bool, f64));
        let mut best: Option<Pair> = None;
        for &(la, ax, ay) in a {
            for &(lb, bx, by) in b {
                let key = (la != lb, (ay - by).abs() + (ax - bx).abs() * 0.01);
                if best.is_none_or(|(_, _, k)| (key.0, key.1) < (k.0, k.1)) {
                    best = Some(((ax, ay), (bx, by), key));
                }
            }
        }
        let Some(((ax, ay), (bx, by), _)) = best else {
            continue;
        };
        let ids = format!("{} {}", plan.events[from].id, plan.events[to].id);
        p.doc()
            .open_group("relation", &[("relation", rel_name(rel)), ("events", &ids)]);
        // A gentle arc above both markers, ending short of the target.
        let lift = 10.0 + ((bx - ax).abs() * 0.08).min(30.0);
        let ctrl = ((ax + bx) / 2.0, ay.min(by) - lift);
        let pts: Vec<(f64, f64)> = (0..=20)
            .map(|i| {
                let t = f64::from(i) / 20.0;
                let u = 1.0 - t;
                (
                    u * u * ax + 2.0 * u * t * ctrl.0 + t * t * bx,
                    u * u * ay + 2.0 * u * t * ctrl.1 + t * t * by,
                )
            })
            .filter(|&(x, y)| ((x - bx).powi(2) + (y - by).powi(2)).sqrt() > R + 3.0)
            .filter(|&(x, y)| ((x - ax).powi(2) + (y - ay).powi(2)).sqrt() > R + 1.0)
            .collect();
        if pts.len() >= 2 {
            let paint = Paint::faded(palette::ARROW, 0.75);
            if rel == Relation::Follows {
                p.doc().set_dash(Some("40 30"));
            }
            p.line(&pts, paint, 1.0);
            p.doc().set_dash(None);
            let (tx, ty) = pts[pts.len() - 1];
            let (sx, sy) = pts[pts.len() - 2];
            let len = ((tx - sx).powi(2) + (ty - sy).powi(2)).sqrt().max(1e-6);
            let (dx, dy) = ((tx - sx) / len, (ty - sy) / len);
            let size = 5.0;
            p.polygon(
                &[
                    (tx, ty),
                    (
                        tx - dx * size - dy * size * 0.55,
                        ty - dy * size + dx * size * 0.55,
                    ),
                    (
                        tx - dx * size + dy * size * 0.55,
                        ty - dy * size - dx * size * 0.55,
                    ),
                ],
                paint,
            );
        }
        p.doc().close();
    }
    p.doc().close();
}

fn rel_name(r: Relation) -> &'static str {
    match r {
        Relation::RespondsTo => "responds-to",
        Relation::Follows => "follows",
        Relation::PartOf => "part-of",
        Relation::RefersTo => "refers-to",
        Relation::Contradicts => "contradicts",
    }
}

fn paint_density(p: &Painter, plan: &Plan<'_>) {
    if plan.density_max == 0 && plan.lanes.iter().all(|l| l.density.is_none()) {
        return;
    }
    let s = &plan.scale;
    p.doc().open_group("density", &[]);
    for (li, lp) in plan.lanes.iter().enumerate() {
        let Some(bins) = &lp.density else { continue };
        let bin = plan.bin_for(lp);
        let base = lp.top + lp.height - 6.0;
        let full = lp.height - 14.0;
        let li_s = li.to_string();
        // Each lane is scaled to its own busiest bin (named in its label),
        // so that a quiet lane is not flattened by a busy one.
        let lane_max = bins.iter().map(|b| b.1).max().unwrap_or(0).max(1);
        for (i, &(start, n)) in bins.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let x0 = s.x(start.max(s.start));
            let x1 = match bins.get(i + 1) {
                Some(&(next, _)) => s.x(next),
                None => s.x1,
            }
            .min(s.x1);
            let h = (n as f64 / lane_max as f64 * full).max(1.5);
            let n_s = n.to_string();
            p.doc()
                .open_group("bin", &[("lane", &li_s), ("count", &n_s)]);
            p.doc().tooltip(&format!(
                "{}: {n} {}",
                bin.label(start),
                if n == 1 { "event" } else { "events" }
            ));
            p.fill_rect(
                x0 + 0.5,
                base - h,
                (x1 - 0.5).max(x0 + 1.0),
                base,
                Paint::faded(palette::INK, 0.7),
            );
            p.doc().close();
        }
    }
    p.doc().close();
}

fn paint_axis(p: &Painter, plan: &Plan<'_>) {
    let s = &plan.scale;
    let y = plan.lanes_bottom;
    p.doc().open_group("axis", &[]);
    p.line(&[(s.x0, y), (s.x1, y)], Paint::solid(palette::INK), 1.0);
    for &x in &plan.minor {
        p.line(&[(x, y), (x, y + 3.0)], Paint::solid(palette::MUTED), 1.0);
    }
    p.doc().open_group("ticks", &[]);
    for t in &plan.ticks {
        p.line(&[(t.x, y), (t.x, y + 5.0)], Paint::solid(palette::INK), 1.0);
        p.text(
            &t.label,
            (t.x, y + 16.0),
            TextSpec::new(TICK_FONT, palette::INK).anchor(HPos::Center),
        );
    }
    p.doc().close();
    p.doc().close();
}

fn paint_legend(p: &Painter, plan: &Plan<'_>) {
    if plan.legend.is_empty() {
        return;
    }
    p.doc().open_group("legend", &[]);
    for (c, x, y) in &plan.captions {
        p.text(c, (*x, *y), TextSpec::new(LEGEND_FONT, palette::INK).bold());
    }
    for e in &plan.legend {
        let (x, y) = (e.x, e.y);
        let glyph_w = match &e.glyph {
            LegendGlyph::Kind(k) => {
                p.doc().open_group("legend-kind", &[("kind", &k.id)]);
                paint_marker(p, k.shape, (x + 8.0, y), k.color, Status::Occurred);
                16.0
            }
            LegendGlyph::Notation(n) => {
                p.doc()
                    .open_group("legend-mark", &[("mark", notation_id(*n))]);
                paint_notation(p, *n, x, y)
            }
        };
        p.text(
            &e.text,
            (x + glyph_w + 6.0, y),
            TextSpec::new(LEGEND_FONT, palette::INK),
        );
        p.doc().close();
    }
    p.doc().close();
}

fn notation_id(n: Notation) -> &'static str {
    match n {
        Notation::Point => "point",
        Notation::Bar => "interval",
        Notation::Range => "range",
        Notation::Halo => "qualified",
        Notation::Open => "open",
        Notation::Scheduled => "scheduled",
        Notation::Cancelled => "cancelled",
        Notation::Reported => "reported",
        Notation::Density => "density",
        Notation::RespondsTo => "responds-to",
        Notation::Follows => "follows",
        Notation::OffChart => "off-chart",
    }
}

/// Draws the legend glyph of `n` at (x, y) and returns its width.
fn paint_notation(p: &Painter, n: Notation, x: f64, y: f64) -> f64 {
    let c = palette::MUTED;
    let grey = KindStyle {
        id: String::new(),
        label: String::new(),
        color: c,
        shape: Shape::Circle,
        rank: 0,
    };
    let geo = |geom, lo: f64, hi: f64, mx: f64, arrow_hi| Geo {
        geom,
        lo,
        hi,
        arrow_lo: false,
        arrow_hi,
        mx,
        ext: (lo, hi),
        day: None,
    };
    match n {
        Notation::Point => {
            paint_item(
                p,
                &geo(Geom::Point, x + 8.0, x + 8.0, x + 8.0, false),
                y,
                &grey,
                Status::Occurred,
            );
            16.0
        }
        Notation::Halo => {
            paint_item(
                p,
                &geo(Geom::Halo, x + 8.0, x + 8.0, x + 8.0, false),
                y,
                &grey,
                Status::Occurred,
            );
            16.0
        }
        Notation::Bar => {
            paint_item(
                p,
                &geo(Geom::Bar, x + 5.0, x + 30.0, x + 5.0, false),
                y,
                &grey,
                Status::Occurred,
            );
            30.0
        }
        Notation::Range => {
            paint_item(
                p,
                &geo(Geom::Range, x, x + 30.0, x + 15.0, false),
                y,
                &grey,
                Status::Occurred,
            );
            30.0
        }
        Notation::Open => {
            p.line(&[(x, y), (x + 24.0, y)], Paint::faded(c, 0.85), 1.5);
            arrowhead(p, (x + 30.0, y), 1.0, 7.0, Paint::faded(c, 0.85));
            30.0
        }
        Notation::Scheduled | Notation::Cancelled | Notation::Reported => {
            let status = match n {
                Notation::Scheduled => Status::Scheduled,
                Notation::Cancelled => Status::Cancelled,
                _ => Status::Reported,
            };
            paint_marker(p, Shape::Circle, (x + 8.0, y), c, status);
            16.0
        }
        Notation::Density => {
            for (i, h) in [4.0, 9.0, 6.0, 12.0, 3.0].iter().enumerate() {
                let bx = x + i as f64 * 6.0;
                p.fill_rect(
                    bx,
                    y + 6.0 - h,
                    bx + 5.0,
                    y + 6.0,
                    Paint::faded(palette::INK, 0.7),
                );
            }
            30.0
        }
        Notation::RespondsTo | Notation::Follows => {
            if n == Notation::Follows {
                p.doc().set_dash(Some("40 30"));
            }
            p.line(
                &[(x, y), (x + 25.0, y)],
                Paint::faded(palette::ARROW, 0.75),
                1.0,
            );
            p.doc().set_dash(None);
            arrowhead(
                p,
                (x + 30.0, y),
                1.0,
                5.0,
                Paint::faded(palette::ARROW, 0.75),
            );
            30.0
        }
        Notation::OffChart => {
            arrowhead(p, (x, y), -1.0, 6.0, Paint::solid(palette::ARROW));
            p.text("n", (x + 8.0, y), TextSpec::new(10.0, palette::ARROW));
            p.text("n", (x + 30.0, y), TextSpec::new(10.0, palette::ARROW));
            arrowhead(p, (x + 44.0, y), 1.0, 6.0, Paint::solid(palette::ARROW));
            44.0
        }
    }
}
