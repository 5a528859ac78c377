//! SVG charts of a record: a timeline with one lane per actor, kind or
//! country, and a histogram of events per calendar bin.
//!
//! Charts are drawn with plotters onto our own backend ([`backend`]), which
//! adds tooltips and links, escapes every string and keeps the output
//! byte-for-byte deterministic. Layout is computed before anything is drawn
//! and returned with the SVG ([`Layout`]), so callers and tests can check
//! that labels do not overlap.
//!
//! ```
//! use annals::chart::{self, Options};
//! use annals::model::Record;
//!
//! let chart = chart::render(&Record::default(), &[], &Options::default());
//! assert!(chart.svg.starts_with("<svg"));
//! ```
//!
//! Invariants: rendering never panics, whatever the record (empty, one
//! event, only open dates, a zero-width window); every string from the
//! record goes through [`backend::push_escaped`]; nothing depends on the
//! clock, the locale or hash order.

pub mod backend;
pub mod draw;
pub mod export;
pub mod histogram;
pub mod lanes;
pub mod layout;
pub mod palette;
pub mod scale;
pub mod size;
pub mod text;
pub mod timeline;
mod tooltip;

// Count charts (issue 16): certain and possible counts, see crate::count.
pub mod counts;
pub mod matrix;
pub mod multiples;

use crate::keyword::keyword_enum;
use crate::model::{Event, Record, Role, Status};
use chrono::NaiveDate;
pub use layout::{Glyph, Layout, Rect};
pub use scale::Bin;

/// Which chart to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartType {
    #[default]
    Timeline,
    Histogram,
}

keyword_enum!(
    /// What a lane (or a histogram stack) stands for.
    LaneBy ("lane") {
        /// One lane per actor; an event is in the lane of each of its actors.
        Actor = "actor",
        Kind = "kind",
        /// One lane per country of the event's actors.
        Country = "country",
        /// A single lane.
        None = "none",
    }
);

/// What to draw and how big.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub chart: ChartType,
    /// Lanes of a timeline (default: actor) or stacks of a histogram
    /// (default: kind).
    pub lanes: Option<LaneBy>,
    /// Histogram bins (default: month) and density bins of crowded lanes
    /// (default: chosen from the span).
    pub bin: Option<Bin>,
    pub title: Option<String>,
    /// Layout pixels, clamped to 320..=20000.
    pub width: u32,
    /// Layout pixels asked for; by default as tall as the content needs.
    /// The histogram gives its plot what is left of it (down to a least
    /// plot height); the other charts are as tall as their content.
    /// [`render`] never refuses a height: the caller compares it with
    /// [`Layout::height`] (the command line refuses less than the chart
    /// needs and says that more is trimmed).
    pub height: Option<u32>,
    /// Millimetres per layout pixel on paper: the SVG then states its
    /// width and height in millimetres (see [`size`]). `None`: plain pixels.
    pub mm_per_px: Option<f64>,
    /// Draw `responds-to` and `follows` as arrows.
    pub relations: bool,
    /// The first day shown; by default the earliest known date.
    pub from: Option<NaiveDate>,
    /// The last day shown; by default the latest known date.
    pub to: Option<NaiveDate>,
    /// The statuses a histogram counts; empty: occurred and reported
    /// (scheduled and cancelled events did not happen).
    pub statuses: Vec<Status>,
    /// Actor ids whose lanes come first (the actors a chart is filtered
    /// to, `--actor`).
    pub pinned: Vec<String>,
    /// The roles that put an event in an actor's lane (`--roles`); empty:
    /// every role.
    pub roles: Vec<Role>,
    /// Density lanes each on their own scale instead of one shared by all
    /// (`--scale lane`).
    pub density_per_lane: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            chart: ChartType::Timeline,
            lanes: None,
            bin: None,
            title: None,
            width: 1200,
            height: None,
            mm_per_px: None,
            relations: false,
            from: None,
            to: None,
            statuses: Vec::new(),
            pinned: Vec::new(),
            roles: Vec::new(),
            density_per_lane: false,
        }
    }
}

/// A rendered chart.
#[derive(Debug, Clone)]
pub struct Chart {
    pub svg: String,
    pub layout: Layout,
    /// What the chart changed from what was asked (a coarser bin, a
    /// trimmed height), for the command line to print on stderr.
    pub warnings: Vec<String>,
}

/// Draws `events` (a selection from `record`, in any order) as `opts` say.
pub fn render(record: &Record, events: &[&Event], opts: &Options) -> Chart {
    let mut chart = match opts.chart {
        ChartType::Timeline => timeline::render(record, events, opts),
        ChartType::Histogram => histogram::render(record, events, opts),
    };
    // Both draw kinds in their colours: say when declared ones clash.
    chart
        .warnings
        .extend(palette::color_warnings(&palette::Palette::new(record)));
    sized(chart, opts)
}

/// `chart` with its SVG in millimetres when `opts` asks for a print size
/// (every chart type goes through this, so all print alike).
pub(crate) fn sized(mut chart: Chart, opts: &Options) -> Chart {
    if let Some(mm) = opts.mm_per_px {
        chart.svg = with_physical_size(&chart.svg, &chart.layout, mm);
    }
    chart
}

/// `svg` with its `width` and `height` in millimetres, `mm` per pixel; the
/// viewBox, and so the drawing, is unchanged.
fn with_physical_size(svg: &str, layout: &Layout, mm: f64) -> String {
    let plain = format!("width=\"{}\" height=\"{}\"", layout.width, layout.height);
    let physical = format!(
        "width=\"{}mm\" height=\"{}mm\"",
        backend::num(f64::from(layout.width) * mm),
        backend::num(f64::from(layout.height) * mm)
    );
    // The first occurrence is the <svg> element's own (see backend::SvgDoc::new).
    svg.replacen(&plain, &physical, 1)
}

/// The days to show: the given sides, the others from the events' known
/// dates (padded a little), at least a week when the dates give no span.
pub(crate) fn window(events: &[&Event], opts: &Options) -> (NaiveDate, NaiveDate) {
    let (mut lo, mut hi) = match core(events) {
        Some((a, z)) => (Some(a), Some(z)),
        None => {
            let known = events
                .iter()
                .flat_map(|e| [e.date.earliest(), e.date.latest()])
                .flatten();
            (known.clone().min(), known.max())
        }
    };
    if let Some(f) = opts.from {
        hi = Some(hi.map_or(f, |h| h.max(f)));
    }
    if let Some(t) = opts.to {
        lo = Some(lo.map_or(t, |l| l.min(t)));
    }
    let fallback = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let (lo, hi) = match (lo, hi) {
        (Some(l), Some(h)) => (l, h),
        _ => (fallback, fallback),
    };
    let (base_start, base_end) = (opts.from.unwrap_or(lo), opts.to.unwrap_or(hi));
    let span = (base_end - base_start).num_days().abs();
    let pad = chrono::Days::new(((span as f64 * 0.02).ceil() as u64).max(1));
    let mut start = opts
        .from
        .unwrap_or_else(|| lo.checked_sub_days(pad).unwrap_or(lo));
    let mut end = opts
        .to
        .unwrap_or_else(|| hi.checked_add_days(pad).unwrap_or(hi));
    if end < start {
        std::mem::swap(&mut start, &mut end);
    }
    if (end - start).num_days() < 6 {
        let missing = 6 - (end - start).num_days();
        let before = chrono::Days::new((missing / 2) as u64);
        let after = chrono::Days::new((missing - missing / 2) as u64);
        if opts.from.is_none() {
            start = start.checked_sub_days(before).unwrap_or(start);
        }
        if opts.to.is_none() {
            end = end.checked_add_days(after).unwrap_or(end);
        }
    }
    (start, end)
}

/// The span of the bounded events (both ends known) that a default window
/// shows: all of them, unless nine in ten fit in under half that span, in
/// which case those nine in ten (the outliers are then counted in the
/// lanes' ◀n/n▶ gutters instead of squeezing the rest into a corner).
/// Open and unknown ends never set the window.
fn core(events: &[&Event]) -> Option<(NaiveDate, NaiveDate)> {
    let spans: Vec<(NaiveDate, NaiveDate)> = events
        .iter()
        .filter_map(|e| Some((e.date.earliest()?, e.date.latest()?)))
        .collect();
    if spans.is_empty() {
        return None;
    }
    let all = (
        spans.iter().map(|s| s.0).min()?,
        spans.iter().map(|s| s.1).max()?,
    );
    // By midpoint, as days from the earliest start; the key is made once
    // per span (a comparator computing it showed as a third of a 100,000-
    // event chart's instructions).
    let day = |d: NaiveDate| i64::from(chrono::Datelike::num_days_from_ce(&d));
    let mid = |s: &(NaiveDate, NaiveDate)| (day(s.0) - day(all.0)) + (day(s.1) - day(s.0)) / 2;
    let mut spans: Vec<(i64, NaiveDate, NaiveDate)> =
        spans.iter().map(|s| (mid(s), s.0, s.1)).collect();
    // Equal items are equal values, so the halves' merge gives the
    // one-thread order.
    crate::par::sort_by(&mut spans, Ord::cmp);
    let k = (spans.len() * 9).div_ceil(10).max(1);
    let best = (0..=spans.len() - k).min_by_key(|&i| (spans[i + k - 1].0 - spans[i].0, i))?;
    let kept = &spans[best..best + k];
    let core = (
        kept.iter().map(|s| s.1).min()?,
        kept.iter().map(|s| s.2).max()?,
    );
    let width = |(a, z): (NaiveDate, NaiveDate)| (z - a).num_days();
    Some(if width(core) * 2 < width(all) {
        core
    } else {
        all
    })
}

/// `1 Dec 2023`.
pub(crate) fn day_text(d: NaiveDate) -> String {
    Bin::Day.label(d)
}
