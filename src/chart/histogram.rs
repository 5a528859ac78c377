//! The histogram: events per calendar bin, stacked by kind (or by actor or
//! country), with axis titles, bar totals and a legend.
//!
//! Events are counted by the one counting rule of [`crate::count`], as
//! `annals stats` counts them: in each bin, the events whose whole date
//! range falls in it are **certain** and drawn as solid segments; those whose
//! range only overlaps it (a range over several bins, an open or unknown
//! side) are **possible** there and drawn as a hatched segment on top (in
//! the stack's own colour, so it is never mistaken for another stack's
//! solid colour), in every bin they may fall in. Nothing in the window is dropped, and no
//! event is placed on a day the record does not give.
//!
//! Scheduled and cancelled events did not happen (yet), so they are not
//! counted unless `--status` asks for them ([`Options::statuses`]). The
//! bins run from the first to the last day of the window with no padding
//! bins, and a `--bin` too fine for the window is coarsened with a warning
//! ([`Chart::warnings`]), never silently.
//!
//! [`render`] is a pipeline of small steps: [`Bins::new`] (the calendar),
//! [`tally`] (which bins each event reaches), [`groups`] (the stacks, at
//! most six plus "Other"), [`count`] (certain and possible counts per stack
//! and bin), [`Frame::new`] (where everything goes), then one painter per
//! part.

use crate::chart::counts::{fit, nice_axis};
use crate::chart::draw::{Paint, Painter, TextSpec};
use crate::chart::layout::{Layout, Placed, Rect};
use crate::chart::palette::{self, OKABE_ITO, Palette, Rgb};
use crate::chart::scale::{self, Bin, Tick};
use crate::chart::{Chart, LaneBy, Options, day_text, lanes, text};
use crate::count::{Cell, Reach, Spans};
use crate::model::{Event, Record, Status};
use chrono::{Datelike, NaiveDate};
use plotters::style::text_anchor::HPos;

const MAX_BINS: usize = 600;
/// The least slot per bin, in pixels, of a default (unasked) bin.
const MIN_BAR: f64 = 5.0;
/// Stacks with their own colour; the rest share "Other".
const GROUPS: usize = 6;
const FONT: f64 = 11.0;
const NOTE_FONT: f64 = 10.0;
const HEADER_H: f64 = 62.0;
/// The plot's height when none is asked for, and the least it may have.
const PLOT_H: f64 = 320.0;
const MIN_PLOT_H: f64 = 120.0;
const OTHER: Rgb = Rgb(0xBB, 0xBB, 0xBB);
/// A possible segment is hatched and outlined in its stack's own colour
/// over a faint tint of it: a plain light tint of one colour looked like
/// another stack's solid colour (Statement's blue, lightened, is close to
/// Editorial's sky blue).
const POSSIBLE_TINT: f64 = 0.12;
const HATCH_GAP: f64 = 4.0;
const HATCH_W: f64 = 1.0;
const OUTLINE_W: f64 = 1.0;
/// The legend's entries for the two kinds of segment.
const SEGMENTS: [&str; 2] = [
    "solid: certainly in the bin (the whole date)",
    "hatched: possibly (the date range overlaps the bin)",
];

/// A stack: a kind, or an actor or country.
#[derive(Debug, Clone)]
struct Group {
    id: String,
    label: String,
    color: Rgb,
    /// Indexes of the events in the stack.
    events: Vec<usize>,
}

/// The calendar bins of the window.
#[derive(Debug, Clone)]
struct Bins {
    bin: Bin,
    starts: Vec<NaiveDate>,
}

impl Bins {
    /// The bins of `opts.bin` (default: month) from the window's first to
    /// its last day, coarsened (and said so in `warnings`) past
    /// [`MAX_BINS`].
    fn new(
        (start, end): (NaiveDate, NaiveDate),
        opts: &Options,
        warnings: &mut Vec<String>,
    ) -> Bins {
        let asked = opts.bin.unwrap_or(Bin::Month);
        let mut bin = asked;
        let mut starts = bin.starts(start, end, MAX_BINS + 1);
        // Unasked, months are only the default while a bar stays a bar:
        // over decades, quarters or years (no warning: nothing was asked).
        let slots = f64::from(opts.width.clamp(320, 20_000)) - 120.0;
        while opts.bin.is_none() && bin != Bin::Year && slots / (starts.len() as f64) < MIN_BAR {
            bin = coarser(bin);
            starts = bin.starts(start, end, MAX_BINS + 1);
        }
        let asked = if opts.bin.is_none() { bin } else { asked };
        while starts.len() > MAX_BINS && bin != Bin::Year {
            bin = coarser(bin);
            starts = bin.starts(start, end, MAX_BINS + 1);
        }
        if bin != asked {
            warnings.push(format!(
                "{} to {} is more than {MAX_BINS} {}s: drawing events per {} instead \
                 (narrow the window with --from and --to for finer bins)",
                day_text(start),
                day_text(end),
                asked.noun(),
                bin.noun()
            ));
        }
        starts.truncate(MAX_BINS);
        Bins { bin, starts }
    }

    /// Drops the bins before the first and after the last that an event
    /// with both ends known reaches, on the sides the window was not asked
    /// for: there they are padding, not a measured zero (an open end
    /// reaches every bin, so does not count). Whether any was dropped.
    fn trim(&mut self, tally: &Tally, opts: &Options) -> bool {
        let mut used = vec![false; self.starts.len()];
        for r in tally.reach.iter().zip(&tally.bounded) {
            if let (Some(r), true) = r {
                used[r.first] = true;
                used[r.last] = true;
            }
        }
        let (Some(first), Some(last)) =
            (used.iter().position(|&u| u), used.iter().rposition(|&u| u))
        else {
            return false;
        };
        let lo = if opts.from.is_none() { first } else { 0 };
        let hi = if opts.to.is_none() {
            last + 1
        } else {
            self.starts.len()
        };
        if lo == 0 && hi == self.starts.len() {
            return false;
        }
        self.starts = self.starts[lo..hi].to_vec();
        true
    }

    fn first_day(&self) -> Option<NaiveDate> {
        self.starts.first().copied()
    }

    fn last_day(&self) -> Option<NaiveDate> {
        self.starts.last().map(|&s| self.bin.last_day(s))
    }
}

fn coarser(bin: Bin) -> Bin {
    match bin {
        Bin::Day => Bin::Week,
        Bin::Week => Bin::Month,
        Bin::Month => Bin::Quarter,
        Bin::Quarter | Bin::Year => Bin::Year,
    }
}

/// The bins as spans of days for [`crate::count`]: whole calendar bins,
/// so that a count in a bin means the bin's every day.
fn spans(bins: &Bins) -> Option<Spans> {
    let (first, last) = (bins.first_day()?, bins.last_day()?);
    Spans::new(first, last, Some(bins.bin)).ok()
}

/// Whether `e`'s status is counted: the statuses asked for, or by default
/// what happened or is reported to have happened.
fn status_counted(e: &Event, opts: &Options) -> bool {
    if opts.statuses.is_empty() {
        matches!(e.status, Status::Occurred | Status::Reported)
    } else {
        opts.statuses.contains(&e.status)
    }
}

/// Which bins each event reaches ([`Spans::reach`], the one counting
/// rule), and why the others are not counted.
#[derive(Debug, Clone, Default)]
struct Tally {
    /// Per event: the bins it reaches, `None` when not counted.
    reach: Vec<Option<Reach>>,
    /// Per event: both ends known.
    bounded: Vec<bool>,
    /// Events counted: possible in at least one bin.
    counted: usize,
    /// Of those, certain in one bin.
    certain: usize,
    /// Counted with a range over several bins (or past the window).
    spanning: usize,
    /// Counted with an open or unknown side.
    open: usize,
    outside: usize,
    /// Scheduled or cancelled (or whatever `--status` left out).
    status: usize,
}

fn tally(events: &[&Event], bins: &Bins, opts: &Options) -> Tally {
    let mut t = Tally::default();
    let spans = spans(bins);
    for e in events {
        let wanted = status_counted(e, opts);
        let (a, z) = (e.date.earliest(), e.date.latest());
        let r = spans
            .as_ref()
            .filter(|_| wanted)
            .and_then(|s| s.reach(a, z));
        t.reach.push(r);
        t.bounded.push(a.is_some() && z.is_some());
        match r {
            _ if !wanted => t.status += 1,
            None => t.outside += 1,
            Some(r) => {
                t.counted += 1;
                if r.certain.is_some() {
                    t.certain += 1;
                } else if a.is_none() || z.is_none() {
                    t.open += 1;
                } else {
                    t.spanning += 1;
                }
            }
        }
    }
    t
}

/// The stacks: the [`GROUPS`] with most counted events keep their own
/// colour, the rest share "Other" (for kinds as for actors and countries).
fn groups(
    record: &Record,
    events: &[&Event],
    by: LaneBy,
    palette: &Palette,
    tally: &Tally,
    roles: &[crate::model::Role],
) -> Vec<Group> {
    let counted: Vec<bool> = tally.reach.iter().map(Option::is_some).collect();
    let lanes = lanes::build_with(
        record,
        events,
        by,
        palette,
        lanes::Choice {
            counted: &counted,
            pinned: &[],
            roles,
        },
    );
    let counted = |evs: &[usize]| evs.iter().filter(|&&i| tally.reach[i].is_some()).count();
    let mut order: Vec<usize> = (0..lanes.len())
        .filter(|&i| counted(&lanes[i].events) > 0)
        .collect();
    // Busiest first; ties in the lanes' own order (kinds in the record's).
    order.sort_by_key(|&i| (std::cmp::Reverse(counted(&lanes[i].events)), i));
    let (mut out, mut rest) = (Vec::<Group>::new(), Vec::<usize>::new());
    for &i in &order {
        let lane = &lanes[i];
        if out.len() < GROUPS && lane.key != "~" {
            out.push(Group {
                id: lane.key.clone(),
                label: lane.name.clone(),
                color: OKABE_ITO[out.len() % OKABE_ITO.len()],
                events: lane.events.clone(),
            });
        } else {
            rest.extend(&lane.events);
        }
    }
    if by != LaneBy::None {
        // Kinds, actors and countries keep their own colour, the same in
        // every chart of the record (a kind's as in the timeline), unless
        // a busier stack already has it; only those then take a colour no
        // stack has.
        let own: Vec<Rgb> = out
            .iter()
            .map(|g| match by {
                LaneBy::Actor => palette.actor_color(&g.id),
                LaneBy::Country => palette.country_color(&g.id),
                _ => palette.style(&g.id).color,
            })
            .collect();
        let mut taken: Vec<Rgb> = Vec::new();
        let mut clash = Vec::new();
        for (i, g) in out.iter_mut().enumerate() {
            if taken.contains(&own[i]) {
                clash.push(i);
            } else {
                g.color = own[i];
                taken.push(own[i]);
            }
        }
        for i in clash {
            let free = OKABE_ITO.iter().copied().find(|c| !taken.contains(c));
            out[i].color = free.unwrap_or(own[i]);
            taken.push(out[i].color);
        }
    }
    out.sort_by_key(|g| lanes.iter().position(|l| l.key == g.id));
    if !rest.is_empty() {
        rest.sort_unstable();
        rest.dedup();
        // Named apart from a kind called "other", which may stand beside it.
        let merged = order.len() - out.len();
        let noun = match by {
            LaneBy::Kind => "kinds",
            LaneBy::Actor => "actors",
            LaneBy::Country => "countries",
            LaneBy::None => "groups",
        };
        out.push(Group {
            id: "~".into(),
            label: if merged > 0 {
                crate::chart::counts::rest_label(merged, noun)
            } else {
                format!("Rest of the {noun}")
            },
            color: OTHER,
            events: rest,
        });
    }
    out
}

/// `counts[group][bin]`: each group's certain and possible counts per bin.
fn count(groups: &[Group], bins: &Bins, tally: &Tally) -> Vec<Vec<Cell>> {
    let mut t = crate::count::Tally::new(bins.starts.len());
    for g in groups {
        let gi = t.add_group();
        for &i in &g.events {
            if let Some(r) = &tally.reach[i] {
                t.add(gi, r);
            }
        }
    }
    (0..groups.len()).map(|g| t.cells(g).0).collect()
}

/// Where everything goes.
#[derive(Debug, Clone)]
struct Frame {
    width: u32,
    height: u32,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    /// Width of one bin's slot.
    bw: f64,
    step: usize,
    top: usize,
    ticks: Vec<Tick>,
    legend_top: f64,
    /// (entry, x, y) of each legend entry: a group, or past the groups
    /// one of [`SEGMENTS`].
    legend: Vec<(usize, f64, f64)>,
    note_y: f64,
    /// The note under the chart, wrapped to the width.
    note: Vec<String>,
}

impl Frame {
    fn new(
        width: u32,
        plot_h: f64,
        bins: &Bins,
        groups: &[Group],
        totals: &[Cell],
        note: &str,
    ) -> Frame {
        let w = f64::from(width);
        let max = totals.iter().map(|c| c.possible).max().unwrap_or(0);
        let uncertain = totals.iter().any(|c| c.possible > c.certain);
        let (step, top) = nice_axis(max);
        let y_label_w = text::width(&top.to_string(), FONT, false) + 14.0;
        let (x0, x1) = (44.0 + y_label_w, w - 24.0);
        let y0 = HEADER_H + 10.0;
        let y1 = y0 + plot_h;
        let bw = (x1 - x0) / bins.starts.len().max(1) as f64;
        let ticks = bin_ticks(bins, x0, bw, w);

        // The legend flows under the axis.
        let legend_top = y1 + 58.0;
        let mut legend = Vec::new();
        let (mut lx, mut ly) = (16.0 + 64.0, legend_top);
        let mut entries: Vec<String> = groups
            .iter()
            .map(|g| text::clean(&g.label).into_owned())
            .collect();
        if uncertain {
            entries.extend(SEGMENTS.iter().map(|s| s.to_string()));
        }
        for (gi, label) in entries.iter().enumerate() {
            if gi == groups.len() {
                // The segments start a row of their own.
                lx = 80.0;
                ly += 22.0;
            }
            let ew = 16.0 + 6.0 + text::width(label, FONT, false) + 18.0;
            if lx + ew > w - 8.0 && lx > 80.0 {
                lx = 80.0;
                ly += 22.0;
            }
            legend.push((gi, lx, ly));
            lx += ew;
        }
        let note_y = ly + 26.0;
        let note = text::wrap(note, w - 32.0, NOTE_FONT, false);
        let note_h = 14.0 * note.len().saturating_sub(1) as f64;
        Frame {
            width,
            height: (note_y + note_h + 20.0).ceil() as u32,
            x0,
            x1,
            y0,
            y1,
            bw,
            step,
            top,
            ticks,
            legend_top,
            legend,
            note_y,
            note,
        }
    }

    /// The height of everything but the plot.
    fn chrome(&self) -> f64 {
        f64::from(self.height) - (self.y1 - self.y0)
    }

    fn y(&self, v: f64) -> f64 {
        self.y1 - v / self.top.max(1) as f64 * (self.y1 - self.y0)
    }

    fn centre(&self, b: usize) -> f64 {
        self.x0 + (b as f64 + 0.5) * self.bw
    }
}

/// Ticks on calendar boundaries (months counted from January, years), the
/// finest whose labels fit. When every tick starts a bin, the label goes
/// under that bin's bar and names it; otherwise (months over week bins) at
/// the day's place within its bin.
fn bin_ticks(bins: &Bins, x0: f64, bw: f64, canvas: f64) -> Vec<Tick> {
    let (Some(first), Some(last)) = (bins.first_day(), bins.last_day()) else {
        return Vec::new();
    };
    let slot = |d: NaiveDate| -> (usize, f64) {
        let i = bins
            .starts
            .partition_point(|&s| s <= d)
            .saturating_sub(1)
            .min(bins.starts.len() - 1);
        let s = bins.starts[i];
        let len = (bins.bin.last_day(s) - s).num_days() as f64 + 1.0;
        (i, (d - s).num_days() as f64 / len)
    };
    let starts_bin = |d: NaiveDate| bins.starts.binary_search(&d).is_ok();
    let x_of = |d: NaiveDate| {
        let (i, frac) = slot(d);
        if starts_bin(d) {
            x0 + (i as f64 + 0.5) * bw
        } else {
            x0 + (i as f64 + frac) * bw
        }
    };
    let label = |dates: &[NaiveDate]| -> Vec<String> {
        let yearly = dates.len() >= 2 && dates.iter().all(|d| d.month() == 1 && d.day() == 1);
        if yearly {
            dates.iter().map(|d| d.year().to_string()).collect()
        } else if dates.iter().all(|&d| starts_bin(d)) {
            let mut prev = None;
            dates
                .iter()
                .map(|&d| {
                    let l = bins.bin.short_label(d, prev);
                    prev = Some(d);
                    l
                })
                .collect()
        } else {
            let mut prev: Option<NaiveDate> = None;
            dates
                .iter()
                .map(|&d| {
                    let l = Bin::Month.short_label(d, prev);
                    prev = Some(d);
                    l
                })
                .collect()
        }
    };
    let bin_days = match bins.bin {
        Bin::Day => 1.0,
        Bin::Week => 7.0,
        Bin::Month => 28.0,
        Bin::Quarter => 89.0,
        Bin::Year => 365.0,
    };
    scale::aligned_ticks((first, last), bin_days, x_of, label, FONT, canvas)
}

/// The title, subtitle and note.
struct Texts {
    title: String,
    subtitle: String,
    note: String,
}

fn texts(events: &[&Event], bins: &Bins, t: &Tally, opts: &Options, by: LaneBy) -> Texts {
    let bin = bins.bin;
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| format!("Events per {}", bin.noun()));
    let stack_word = match by {
        LaneBy::Kind => "stacked by kind",
        LaneBy::Actor => "stacked by actor (an event counts once for each of its actors)",
        LaneBy::Country => "stacked by country (an event counts once for each country)",
        LaneBy::None => "all events",
    };
    let subtitle = match (bins.first_day(), bins.last_day()) {
        (Some(a), Some(z)) if !events.is_empty() => format!(
            "{} of {} events, {} to {} \u{b7} {stack_word}",
            Cell {
                certain: t.certain,
                possible: t.counted
            }
            .text(),
            events.len(),
            day_text(a),
            day_text(z)
        ),
        _ => "No events match".to_string(),
    };
    let noun = bin.noun();
    let uncertain = t.counted > t.certain;
    let mut rule = if !uncertain {
        format!("Each event is counted in the {noun} its whole date falls in.")
    } else {
        format!(
            "Solid: events whose whole date falls in the {noun} (certain). \
         Hatched: events whose date range overlaps the {noun} but may lie outside it \
         (possible), drawn in every {noun} they may fall in; a bar's label is certain\u{2013}possible."
        )
    };
    let mut counted = Vec::new();
    if t.spanning > 0 {
        counted.push(format!(
            "{} whose date range spans more than one {noun}",
            t.spanning
        ));
    }
    if t.open > 0 {
        counted.push(format!("{} with an open or unknown start or end", t.open));
    }
    if !counted.is_empty() {
        rule.push_str(&format!(" Possible only: {}.", counted.join("; ")));
    }
    let mut parts = Vec::new();
    if t.outside > 0 {
        parts.push(format!("{} outside the window", t.outside));
    }
    if t.status > 0 {
        parts.push(if opts.statuses.is_empty() {
            format!("{} scheduled or cancelled (--status counts them)", t.status)
        } else {
            format!("{} of other statuses", t.status)
        });
    }
    let note = if parts.is_empty() {
        rule
    } else {
        format!("{rule} Not counted: {}.", parts.join("; "))
    };
    Texts {
        title,
        subtitle,
        note,
    }
}

/// The window: `--from`/`--to`, else the first and last day of the counted
/// events' dates, with no padding (a padding bin would read as a zero).
fn window(events: &[&Event], opts: &Options) -> (NaiveDate, NaiveDate) {
    let bounded = events
        .iter()
        .filter(|e| status_counted(e, opts))
        .filter_map(|e| Some((e.date.earliest()?, e.date.latest()?)));
    let (mut lo, mut hi) = (None::<NaiveDate>, None::<NaiveDate>);
    for (a, z) in bounded {
        lo = Some(lo.map_or(a, |l| l.min(a)));
        hi = Some(hi.map_or(z, |h| h.max(z)));
    }
    let fallback = crate::chart::window(events, opts);
    let start = opts.from.or(lo).unwrap_or(fallback.0);
    let end = opts.to.or(hi).unwrap_or(fallback.1);
    if end < start {
        (end, start)
    } else {
        (start, end)
    }
}

/// Draws the histogram of `events`.
pub fn render(record: &Record, events: &[&Event], opts: &Options) -> Chart {
    let by = opts.lanes.unwrap_or(LaneBy::Kind);
    let palette = match by {
        LaneBy::Actor | LaneBy::Country => Palette::new(record).with_actor_colors(record),
        _ => Palette::new(record),
    };
    let width = opts.width.clamp(320, 20_000);
    let mut warnings = Vec::new();
    let mut bins = Bins::new(window(events, opts), opts, &mut warnings);
    let mut tally = tally(events, &bins, opts);
    if bins.trim(&tally, opts) {
        tally = self::tally(events, &bins, opts);
    }
    let groups = groups(record, events, by, &palette, &tally, &opts.roles);
    let counts = count(&groups, &bins, &tally);
    let totals: Vec<Cell> = (0..bins.starts.len())
        .map(|b| Cell {
            certain: counts.iter().map(|c| c[b].certain).sum(),
            possible: counts.iter().map(|c| c[b].possible).sum(),
        })
        .collect();
    let texts = texts(events, &bins, &tally, opts, by);
    let mut frame = Frame::new(width, PLOT_H, &bins, &groups, &totals, &texts.note);
    if let Some(h) = opts.height {
        // The plot takes the height asked for, down to its least.
        let plot_h = (f64::from(h) - frame.chrome()).max(MIN_PLOT_H);
        frame = Frame::new(width, plot_h, &bins, &groups, &totals, &texts.note);
    }

    let p = Painter::new(frame.width, frame.height, &text::clean(&texts.title));
    let w = f64::from(frame.width);
    p.fill_rect(
        0.0,
        0.0,
        w,
        f64::from(frame.height),
        Paint::solid(palette::WHITE),
    );
    paint_header(&p, &texts, w);
    paint_y_axis(&p, &frame, bins.bin);
    let labels = paint_bars(&p, &frame, &bins, &groups, &counts, &totals);
    paint_x_axis(&p, &frame);
    paint_legend(&p, &frame, &groups, by);
    p.doc().open_group("note", &[]);
    for (i, line) in frame.note.iter().enumerate() {
        p.text(
            line,
            (16.0, frame.note_y + 14.0 * i as f64),
            TextSpec::new(NOTE_FONT, palette::MUTED),
        );
    }
    p.doc().close();
    let svg = p.finish();

    let layout = Layout {
        width: frame.width,
        height: frame.height,
        labels,
        marks: Vec::new(),
        lanes: Vec::new(),
        ticks: frame.ticks.iter().map(|t| t.label.clone()).collect(),
        legend: groups.iter().map(|g| g.id.clone()).collect(),
    };
    Chart {
        svg,
        layout,
        warnings,
    }
}

fn paint_header(p: &Painter, texts: &Texts, w: f64) {
    p.doc().open_group("header", &[]);
    p.text(
        &fit(&text::clean(&texts.title), w - 32.0, 16.0, true),
        (16.0, 22.0),
        TextSpec::new(16.0, palette::INK).bold(),
    );
    p.text(
        &fit(&texts.subtitle, w - 32.0, FONT, false),
        (16.0, 42.0),
        TextSpec::new(FONT, palette::MUTED),
    );
    p.doc().close();
}

/// The y axis: gridlines, their values and the axis title.
fn paint_y_axis(p: &Painter, f: &Frame, bin: Bin) {
    p.doc().open_group("y-axis", &[]);
    let mut v = 0;
    while v <= f.top {
        let y = f.y(v as f64);
        p.line(&[(f.x0, y), (f.x1, y)], Paint::solid(palette::GRID), 1.0);
        p.text(
            &v.to_string(),
            (f.x0 - 6.0, y),
            TextSpec::new(FONT, palette::INK).anchor(HPos::Right),
        );
        v += f.step;
    }
    p.text(
        &format!("Events per {}", bin.noun()),
        (18.0, (f.y0 + f.y1) / 2.0),
        TextSpec::new(FONT, palette::INK)
            .anchor(HPos::Center)
            .vertical(),
    );
    p.doc().close();
}

/// The stacked bars and their totals; returns the totals' boxes. Each bin
/// stacks the certain counts (solid, in the stacks' order), then the
/// possible-only counts (hatched, same order) above them.
fn paint_bars(
    p: &Painter,
    f: &Frame,
    bins: &Bins,
    groups: &[Group],
    counts: &[Vec<Cell>],
    totals: &[Cell],
) -> Vec<Placed> {
    p.doc().open_group("bars", &[]);
    let mut label_boxes = Vec::new();
    let noun = bins.bin.noun();
    for (b, &s) in bins.starts.iter().enumerate() {
        let bar = (f.bw * 0.72).min(90.0);
        let cx = f.centre(b);
        let (bx0, bx1) = (cx - bar / 2.0, (cx + bar / 2.0).max(cx - bar / 2.0 + 1.0));
        let mut acc = 0usize;
        for certain in [true, false] {
            for (gi, g) in groups.iter().enumerate() {
                let cell = counts[gi][b];
                let c = if certain {
                    cell.certain
                } else {
                    cell.possible - cell.certain
                };
                if c == 0 {
                    continue;
                }
                let (ya, yb) = (f.y((acc + c) as f64), f.y(acc as f64));
                let (b_s, c_s) = (b.to_string(), c.to_string());
                let class = if certain { "bar" } else { "bar-possible" };
                p.doc()
                    .open_group(class, &[("bin", &b_s), ("group", &g.id), ("count", &c_s)]);
                let events = if c == 1 { "event" } else { "events" };
                p.doc().tooltip(&if certain {
                    format!(
                        "{} \u{b7} {}: {c} {events} certainly in the {noun}",
                        bins.bin.label(s),
                        text::clean(&g.label),
                    )
                } else {
                    format!(
                        "{} \u{b7} {}: {c} more {events} possibly in the {noun} \
                         (the date range reaches beyond it)",
                        bins.bin.label(s),
                        text::clean(&g.label),
                    )
                });
                if certain {
                    p.fill_rect(bx0, ya, bx1, yb, Paint::solid(g.color));
                } else {
                    possible_segment(p, (bx0, ya, bx1, yb), g.color);
                }
                if yb - ya >= 3.0 {
                    p.line(&[(bx0, ya), (bx1, ya)], Paint::solid(palette::WHITE), 1.0);
                }
                p.doc().close();
                acc += c;
            }
        }
        if totals[b].possible > 0 {
            let t = totals[b].text();
            let tw = text::width(&t, FONT, false);
            if tw <= f.bw {
                let cy = f.y(totals[b].possible as f64) - 9.0;
                label_boxes.push(Placed {
                    text: t.clone(),
                    rect: Rect::new(cx - tw / 2.0, cy - 0.6 * FONT, tw, 1.2 * FONT),
                });
                p.text(
                    &t,
                    (cx, cy),
                    TextSpec::new(FONT, palette::INK).anchor(HPos::Center),
                );
            }
        }
    }
    p.doc().close();
    label_boxes
}

fn paint_x_axis(p: &Painter, f: &Frame) {
    p.doc().open_group("axis", &[]);
    p.line(
        &[(f.x0, f.y1), (f.x1, f.y1)],
        Paint::solid(palette::INK),
        1.0,
    );
    p.doc().open_group("ticks", &[]);
    for t in &f.ticks {
        p.line(
            &[(t.x, f.y1), (t.x, f.y1 + 4.0)],
            Paint::solid(palette::INK),
            1.0,
        );
        p.text(
            &t.label,
            (t.x, f.y1 + 15.0),
            TextSpec::new(FONT, palette::INK).anchor(HPos::Center),
        );
    }
    p.doc().close();
    p.doc().close();
}

fn paint_legend(p: &Painter, f: &Frame, groups: &[Group], by: LaneBy) {
    p.doc().open_group("legend", &[]);
    if !f.legend.is_empty() {
        p.text(
            if by != LaneBy::None {
                "Kinds"
            } else {
                "Stacks"
            },
            (16.0, f.legend_top),
            TextSpec::new(FONT, palette::INK).bold(),
        );
    }
    for &(gi, x, y) in &f.legend {
        let Some(g) = groups.get(gi) else {
            // A segment: solid (certain) or hatched (possible), in grey.
            let k = gi - groups.len();
            if k == 0 {
                p.text("Bars", (16.0, y), TextSpec::new(FONT, palette::INK).bold());
            }
            p.doc().open_group("legend-segment", &[]);
            if k == 0 {
                p.fill_rect(x, y - 6.0, x + 14.0, y + 6.0, Paint::solid(palette::MUTED));
            } else {
                possible_segment(p, (x, y - 6.0, x + 14.0, y + 6.0), palette::MUTED);
            }
            p.text(
                SEGMENTS[k],
                (x + 20.0, y),
                TextSpec::new(FONT, palette::INK),
            );
            p.doc().close();
            continue;
        };
        p.doc().open_group("legend-kind", &[("kind", &g.id)]);
        p.fill_rect(x, y - 6.0, x + 14.0, y + 6.0, Paint::solid(g.color));
        p.text(
            &text::clean(&g.label),
            (x + 20.0, y),
            TextSpec::new(FONT, palette::INK),
        );
        p.doc().close();
    }
    p.doc().close();
}

/// A possible segment: a faint tint, hatched and outlined in `color`.
fn possible_segment(p: &Painter, (x0, y0, x1, y1): (f64, f64, f64, f64), color: Rgb) {
    p.doc().open_group("possible", &[]);
    p.fill_rect(x0, y0, x1, y1, Paint::faded(color, POSSIBLE_TINT));
    p.hatch_rect((x0, y0, x1, y1), Paint::solid(color), HATCH_GAP, HATCH_W);
    let inset = OUTLINE_W / 2.0;
    if x1 - x0 > OUTLINE_W && y1 - y0 > OUTLINE_W {
        p.stroke_rect(
            x0 + inset,
            y0 + inset,
            x1 - inset,
            y1 - inset,
            Paint::solid(color),
            OUTLINE_W,
        );
    }
    p.doc().close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(nice_axis(0), (1, 1));
        assert_eq!(nice_axis(4), (1, 4));
        assert_eq!(nice_axis(7), (2, 8));
        assert_eq!(nice_axis(23), (5, 25));
        assert_eq!(nice_axis(1234), (500, 1500));
    }
}
