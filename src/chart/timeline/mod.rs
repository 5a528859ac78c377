//! The timeline chart: a time axis, one lane per actor, kind or country,
//! a marker per event per lane, labels that never overlap, and a legend.
//!
//! Rendering is two passes: [`plan`] computes every position (lanes, rows,
//! labels, density bins, the legend), then [`paint`] draws them. Only the
//! second pass touches SVG. The types both passes share live here.

mod paint;
mod plan;
mod route;

use crate::chart::draw::{Paint, Painter, TextSpec};
use crate::chart::layout::{Glyph, LaneInfo, Layout, Mark, Placed, Rect};
use crate::chart::palette::{self, KindStyle, Palette, Rgb, Shape};
use crate::chart::scale::{self, Bin, Tick, TimeScale};
use crate::chart::{Chart, LaneBy, Options, day_text, lanes, text, tooltip, window};
use crate::date::{Precision, Shape as DateShape};
use crate::model::{Event, Record, Relation, Status};
use crate::render::lookup::Lookup;
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
/// How far an open or unknown end is drawn from the known one.
const STUB: f64 = 30.0;
/// Length of a "continues" arrowhead.
const ARROW: f64 = 7.0;
const LANE_PAD: f64 = 4.0;
/// Space kept between neighbours in a row.
const GAP: f64 = 6.0;
const MAX_ROWS: usize = 12;
/// A lane with more events than this in the window shows density.
pub const DENSITY_EVENTS: usize = 150;
/// A lane with more events than this shows density when most of their
/// labels would be shortened or left out.
const CROWDED_EVENTS: usize = 20;
const DENSITY_H: f64 = 58.0;
const HEADER_H: f64 = 62.0;
const AXIS_H: f64 = 36.0;
/// The room a repeated axis above the lanes takes.
const TOP_AXIS_H: f64 = 22.0;
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

/// Where an event falls relative to the window, with its marks (`G`) when
/// in it; plain `Place` when only the side is asked.
#[derive(Debug, Clone)]
enum Place<G = ()> {
    Before,
    After,
    In(G),
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
    /// Marker centre, if a marker is drawn.
    mx: Option<f64>,
    glyph: Glyph,
    /// The horizontal extent of everything drawn in the mark band.
    ext: (f64, f64),
    /// The earliest and latest day, when both are known: density counts
    /// the event in the bin that holds both, if one does.
    span: Option<(NaiveDate, NaiveDate)>,
    /// The low (high) side is an open or unknown end: a stub fading out
    /// towards it, not a line that stops as if the date ended there.
    fade_lo: bool,
    fade_hi: bool,
    /// The date is marked approximate (`~`, `%`): a soft halo.
    approximate: bool,
    /// The date is marked uncertain (`?`, `%`): a dotted ring, outside
    /// the dashed ring of a reported event.
    uncertain: bool,
}

impl Geo {
    /// Where a relation arrow meets the mark: the marker, else the middle
    /// of the bar.
    fn anchor(&self) -> f64 {
        self.mx.unwrap_or((self.lo + self.hi) / 2.0)
    }
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
    /// Per density bin, its count of each kind: (kind rank, count).
    density_kinds: Vec<Vec<(usize, usize)>>,
    /// Events of a density lane that no one bin holds, so not counted.
    spread: usize,
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
    Uncertain,
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
            Notation::Range => "somewhere in the range (a month, a year, one of some days)".into(),
            Notation::Halo => "approximate day (~)".into(),
            Notation::Uncertain => "uncertain day (?)".into(),
            Notation::Open => "open end or beyond the window".into(),
            Notation::Scheduled => "scheduled".into(),
            Notation::Cancelled => "cancelled".into(),
            Notation::Reported => "reported, unconfirmed".into(),
            Notation::Density => format!(
                "crowded lane: events per {} that holds their whole date, one scale",
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
    /// The time axis is repeated above the lanes (a tall chart).
    top_axis: bool,
    lanes_bottom: f64,
    bin: Bin,
    density_max: usize,
    /// Each density lane on its own scale (`--scale lane`).
    density_per_lane: bool,
    legend: Vec<LegendEntry>,
    /// Kind legend captions at (x, y) and section captions.
    captions: Vec<(String, f64, f64)>,
    relations: Vec<(usize, usize, Relation)>,
    /// The relation arrows drawn, each with its arc.
    routes: Vec<route::Route>,
    /// What the plan could not do as asked, for stderr.
    warnings: Vec<String>,
    events: &'a [&'a Event],
    gutter_lo: bool,
    gutter_hi: bool,
}

/// Draws the timeline of `events`.
pub fn render(record: &Record, events: &[&Event], opts: &Options) -> Chart {
    let palette = Palette::new(record);
    let plan = plan::plan(record, events, opts, &palette);
    let layout = layout_of(&plan);
    let svg = paint::paint(record, &plan, &palette);
    Chart {
        svg,
        layout,
        warnings: plan.warnings.clone(),
    }
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
            spread: lp.spread,
            rect: Rect::new(0.0, lp.top, f64::from(plan.width), lp.height),
        });
        for it in &lp.items {
            let row_top = lp.top + LANE_PAD + it.row as f64 * ROW_H;
            let cy = row_top + MARK_DY;
            let g = &it.geo;
            layout.marks.push(Mark {
                event: plan.events[it.ev].id.to_string(),
                lane: li,
                rect: match g.mx {
                    Some(mx) => Rect::new(mx - 1.3 * R, cy - 1.3 * R, 2.6 * R, 2.6 * R),
                    None => Rect::new(g.lo, cy - 4.0, (g.hi - g.lo).max(1.0), 8.0),
                },
                glyph: g.glyph,
                span: (g.lo, g.hi),
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
