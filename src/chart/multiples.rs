//! Small multiples: one panel per kind, actor or country, on a common y
//! scale and a shared time axis. Each panel draws the certain count per bin
//! as a step line and the possible count as a band above it (see
//! `crate::count`), so an uncertain date widens the band instead of being
//! dropped or placed where it may not belong.
//!
//! At most [`CAP`] panels: past that, the quietest groups share one, named
//! "n more kinds" (never "Other", which may be a kind of its own).

use crate::chart::counts::{FONT, events_text, fit, header, nice_axis, rank, wrap};
use crate::chart::draw::{Paint, TextSpec};
use crate::chart::layout::{Layout, Placed, Rect};
use crate::chart::palette::{self, OKABE_ITO, Palette};
use crate::chart::{Bin, Chart, Options, day_text, text};
use crate::count::groups::{By, Grouper, NONE};
use crate::count::table::window;
use crate::count::{Cell, Spans, Tally};
use crate::index::FastMap;
use crate::model::{Event, Record};
use plotters::style::text_anchor::HPos;

/// At most this many panels, the last "n more ..." when there are more groups.
pub const CAP: usize = 12;
/// At most this many bins; a finer bin is coarsened until they fit.
const MAX_BINS: usize = 400;
const SMALL: f64 = 10.0;
const LINE: palette::Rgb = OKABE_ITO[0];

/// Draws one panel per group of `by` (kind, actor or country); with
/// `fold`, members of those actors are counted as them.
pub fn render(record: &Record, events: &[&Event], opts: &Options, by: By, fold: &[usize]) -> Chart {
    let grouper = Grouper::new(record, &[by], fold);
    let index = grouper.index();
    let palette = Palette::new(record);

    // Bins: as asked, else from the window's length; coarser if too many.
    let days = window(events, opts.from, opts.to, None).map_or(0, |(a, b)| (b - a).num_days());
    let mut bin = opts.bin.unwrap_or(match days {
        ..=120 => Bin::Week,
        121..=2200 => Bin::Month,
        2201..=9000 => Bin::Quarter,
        _ => Bin::Year,
    });
    let win = window(events, opts.from, opts.to, Some(bin));
    let spans = loop {
        let s = win.map(|(a, b)| Spans::new(a, b, Some(bin)));
        match s {
            Some(Ok(s)) if s.len() <= MAX_BINS || bin == Bin::Year => break Some(s),
            _ if bin == Bin::Year => break None,
            _ => {
                bin = match bin {
                    Bin::Day => Bin::Week,
                    Bin::Week => Bin::Month,
                    Bin::Month => Bin::Quarter,
                    Bin::Quarter | Bin::Year => Bin::Year,
                }
            }
        }
    };
    let nbins = spans.as_ref().map_or(0, Spans::len);

    // First pass: each event's reach and groups, and each group's total.
    let mut at: FastMap<&str, usize> = FastMap::default();
    let mut keys: Vec<&str> = Vec::new();
    let mut totals: Vec<Cell> = Vec::new();
    let mut counted = Vec::new();
    let mut open = 0;
    for e in events {
        let (lo, hi) = (e.date.earliest(), e.date.latest());
        let Some(reach) = spans.as_ref().and_then(|s| s.reach(lo, hi)) else {
            continue;
        };
        open += usize::from(lo.is_none() || hi.is_none());
        let gs: Vec<usize> = grouper
            .keys(e, by)
            .into_iter()
            .map(|k| {
                let n = at.len();
                *at.entry(k[0]).or_insert_with(|| {
                    keys.push(k[0]);
                    totals.push(Cell::default());
                    n
                })
            })
            .collect();
        for &g in &gs {
            totals[g].possible += 1;
            totals[g].certain += usize::from(reach.inside);
        }
        counted.push((reach, gs));
    }
    let (place, npanels, merged) = rank(&keys, &totals, CAP);
    let mut tally = Tally::new(nbins);
    for _ in 0..npanels {
        tally.add_group();
    }
    let mut ps: Vec<usize> = Vec::new();
    for (reach, gs) in &counted {
        ps.clear();
        ps.extend(gs.iter().map(|&g| place[g]));
        ps.sort_unstable();
        ps.dedup();
        for &p in &ps {
            tally.add(p, reach);
        }
    }
    let panels: Vec<(Vec<Cell>, Cell)> = (0..npanels).map(|p| tally.cells(p)).collect();
    let label = |k: &str| -> String {
        match by {
            By::Kind => palette.style(k).label,
            By::Country if k == NONE => "No country".into(),
            _ if k == NONE => "No actor".into(),
            By::Actor => index
                .actor(record, k)
                .map_or_else(|| k.to_string(), |a| a.name.clone()),
            By::Country => crate::chart::lanes::country_name(record, k),
            _ => k.to_string(),
        }
    };
    let noun = match by {
        By::Country => "countries",
        By::Actor => "actors",
        _ => "kinds",
    };
    let mut names = vec![String::new(); npanels];
    for (g, &p) in place.iter().enumerate() {
        if !(merged && p == npanels - 1) {
            names[p] = text::clean(&label(keys[g])).into_owned();
        }
    }
    if merged {
        let rest = place.iter().filter(|&&p| p == npanels - 1).count();
        names[npanels - 1] = crate::chart::counts::rest_label(rest, noun);
    }

    // Geometry: a grid of panels, all on one y scale.
    let width = opts.width.clamp(320, 20_000);
    let w = f64::from(width);
    let cols = if w >= 960.0 {
        3
    } else if w >= 620.0 {
        2
    } else {
        1
    };
    let rows = npanels.div_ceil(cols).max(1);
    let gap = 28.0;
    let panel_w = (w - 32.0 - gap * (cols - 1) as f64) / cols as f64;
    let max = panels
        .iter()
        .flat_map(|(c, _)| c.iter().map(|c| c.possible))
        .max()
        .unwrap_or(0);
    let (step, top) = nice_axis(max);
    let y_label_w = text::width(&top.to_string(), SMALL, false) + 8.0;
    let (title_h, plot_h, axis_h) = (22.0, 78.0, 18.0);
    let panel_h = title_h + plot_h + axis_h;
    let grid_top = 92.0;
    let note_y = grid_top + rows as f64 * (panel_h + 14.0) + 8.0;
    let mut notes = Vec::new();
    if matches!(by, By::Actor | By::Country) {
        let once = if merged {
            format!(
                " (once in \"{}\", however many of them it holds)",
                names[npanels - 1]
            )
        } else {
            String::new()
        };
        notes.push(format!(
            "An event is in the panel of each of its {noun}{once}."
        ));
    }
    if open > 0 {
        notes.push(format!(
            "{open} {} an open or unknown start or end, possible in every bin {} may reach.",
            if open == 1 {
                "event has"
            } else {
                "events have"
            },
            if open == 1 { "it" } else { "they" }
        ));
    }
    let notes = wrap(&notes, w - 32.0, SMALL);
    // As tall as the content needs (a height asked for is checked by the
    // caller, as for the timeline).
    let height = ((note_y + 14.0 * notes.len() as f64 + 8.0).ceil() as u32).clamp(120, 100_000);

    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| format!("Events per {} by {}", bin.noun(), by.as_str()));
    let all = counted.len();
    let subtitle = match &spans {
        Some(s) if all > 0 => {
            let (a, b) = s.window();
            format!(
                "{all} events, {} to {} \u{b7} one panel per {}, all on one scale",
                day_text(a),
                day_text(b),
                by.as_str()
            )
        }
        _ => "No events match".to_string(),
    };

    let p = header(width, height, &title, &subtitle);

    // Legend: what the line and the band mean.
    p.doc().open_group("legend", &[]);
    let ly = 66.0;
    p.fill_rect(16.0, ly - 6.0, 40.0, ly + 6.0, Paint::solid(LINE));
    let t1 = "certain: the whole date range in the bin";
    p.text(t1, (46.0, ly), TextSpec::new(FONT, palette::INK));
    let bx = 46.0 + text::width(t1, FONT, false) + 24.0;
    p.fill_rect(bx, ly - 6.0, bx + 24.0, ly + 6.0, Paint::faded(LINE, 0.3));
    p.text(
        "possible: the date range overlaps the bin",
        (bx + 30.0, ly),
        TextSpec::new(FONT, palette::INK),
    );
    p.doc().close();

    let mut boxes = Vec::new();
    let mut ticks_out = Vec::new();
    let starts: Vec<chrono::NaiveDate> = spans
        .as_ref()
        .map(|s| s.spans().iter().map(|&(a, _)| bin.start_of(a)).collect())
        .unwrap_or_default();
    for (i, (cells, total)) in panels.iter().enumerate() {
        let (col, row) = (i % cols, i / cols);
        let px = 16.0 + col as f64 * (panel_w + gap);
        let py = grid_top + row as f64 * (panel_h + 14.0);
        let (x0, x1) = (px + y_label_w, px + panel_w);
        let (y0, y1) = (py + title_h, py + title_h + plot_h);
        let bw = (x1 - x0) / nbins.max(1) as f64;
        let yv = |v: usize| y1 - v as f64 / top as f64 * plot_h;
        let i_s = i.to_string();
        p.doc().open_group("panel", &[("panel", &i_s)]);
        let head = fit(&names[i], panel_w - 90.0, FONT, true);
        p.text(
            &head,
            (px, py + 8.0),
            TextSpec::new(FONT, palette::INK).bold(),
        );
        let hw = text::width(&head, FONT, true);
        boxes.push(Placed {
            text: head,
            rect: Rect::new(px, py + 8.0 - 0.6 * FONT, hw, 1.2 * FONT),
        });
        p.text(
            &events_text(*total),
            (x1, py + 8.0),
            TextSpec::new(SMALL, palette::MUTED).anchor(HPos::Right),
        );
        // Grid and y labels: the same on every panel.
        let mut v = 0;
        while v <= top {
            let y = yv(v);
            let paint = if v == 0 { palette::INK } else { palette::GRID };
            p.line(&[(x0, y), (x1, y)], Paint::solid(paint), 1.0);
            p.text(
                &v.to_string(),
                (x0 - 4.0, y),
                TextSpec::new(SMALL, palette::MUTED).anchor(HPos::Right),
            );
            v += step;
        }
        // The possible band, then the certain step line over it.
        if nbins > 0 {
            let mut band: Vec<(f64, f64)> = Vec::with_capacity(4 * nbins);
            for (b, c) in cells.iter().enumerate() {
                let xa = x0 + b as f64 * bw;
                band.push((xa, yv(c.possible)));
                band.push((xa + bw, yv(c.possible)));
            }
            for (b, c) in cells.iter().enumerate().rev() {
                let xa = x0 + b as f64 * bw;
                band.push((xa + bw, yv(c.certain)));
                band.push((xa, yv(c.certain)));
            }
            p.polygon(&band, Paint::faded(LINE, 0.3));
            // The certain count filled down to zero: a solid step under
            // the light band, read like the histogram's bars.
            let mut area: Vec<(f64, f64)> = Vec::with_capacity(2 * nbins + 2);
            area.push((x0, y1));
            for (b, c) in cells.iter().enumerate() {
                let xa = x0 + b as f64 * bw;
                area.push((xa, yv(c.certain)));
                area.push((xa + bw, yv(c.certain)));
            }
            area.push((x1, y1));
            if cells.iter().any(|c| c.certain > 0) {
                p.polygon(&area, Paint::solid(LINE));
            }
        }
        p.line(&[(x0, y1), (x1, y1)], Paint::solid(palette::INK), 1.0);
        // A tooltip per bin with events.
        for (b, c) in cells.iter().enumerate() {
            if c.possible == 0 {
                continue;
            }
            let xa = x0 + b as f64 * bw;
            let b_s = b.to_string();
            p.doc().open_group(
                "bin",
                &[
                    ("bin", &b_s),
                    ("certain", &c.certain.to_string()),
                    ("possible", &c.possible.to_string()),
                ],
            );
            p.doc().tooltip(&format!(
                "{} \u{b7} {}: {}",
                bin.label(starts[b]),
                names[i],
                events_text(*c)
            ));
            p.fill_rect(xa, y0, xa + bw, y1, Paint::faded(palette::WHITE, 0.0));
            p.doc().close();
        }
        // Time labels under the last panel of each column.
        if i + cols >= npanels && nbins > 0 {
            let short: Vec<String> = starts
                .iter()
                .enumerate()
                .map(|(k, &s)| bin.short_label(s, k.checked_sub(1).map(|j| starts[j])))
                .collect();
            let widest = short
                .iter()
                .map(|l| text::width(l, SMALL, false))
                .fold(0.0, f64::max);
            let every = ((widest + 8.0) / bw).ceil().max(1.0) as usize;
            for k in (0..nbins).step_by(every) {
                let prev = k.checked_sub(every).map(|j| starts[j]);
                let l = bin.short_label(starts[k], prev);
                let cx = x0 + k as f64 * bw;
                p.line(&[(cx, y1), (cx, y1 + 3.0)], Paint::solid(palette::INK), 1.0);
                p.text(
                    &l,
                    (cx, y1 + 11.0),
                    TextSpec::new(SMALL, palette::INK).anchor(HPos::Left),
                );
                if col == 0 {
                    ticks_out.push(l);
                }
            }
        }
        p.doc().close();
    }

    p.doc().open_group("note", &[]);
    for (k, n) in notes.iter().enumerate() {
        p.text(
            n,
            (16.0, note_y + 14.0 * k as f64),
            TextSpec::new(SMALL, palette::MUTED),
        );
    }
    p.doc().close();
    let svg = p.finish();
    let chart = Chart {
        svg,
        warnings: Vec::new(),
        layout: Layout {
            width,
            height,
            labels: boxes,
            ticks: ticks_out,
            legend: names,
            ..Layout::default()
        },
    };
    crate::chart::sized(chart, opts)
}
