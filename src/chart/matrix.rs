//! Who acts on whom: an initiator × target matrix of event counts over the
//! window, each cell `certain–possible` (see `crate::count`), coloured by
//! its certain count, with the events of the cell in its tooltip.
//!
//! Rows and columns are ordered by their totals, busiest first; past
//! [`CAP`] the quietest are merged into "Other". Events with no initiator
//! or no target have no cell; the note says how many.

use crate::chart::counts::{FONT, dark, events_text, fit, header, heat, rank, wrap};
use crate::chart::draw::{Paint, TextSpec};
use crate::chart::layout::{Layout, Placed, Rect};
use crate::chart::{Chart, Options, day_text, palette, text};
use crate::count::groups::{By, Grouper, NONE};
use crate::count::table::window;
use crate::count::{Cell, Spans};
use crate::index::FastMap;
use crate::model::{Event, Record};
use chrono::NaiveDate;
use plotters::style::text_anchor::HPos;

/// At most this many rows and columns, the last "Other" when more.
pub const CAP: usize = 25;
/// Events listed in a cell's tooltip before "and N more".
const LISTED: usize = 12;

/// Draws the matrix of `events`; with `fold`, members of those actors are
/// counted as them.
pub fn render(record: &Record, events: &[&Event], opts: &Options, fold: &[usize]) -> Chart {
    let grouper = Grouper::new(record, &[By::Dyad], fold);
    let index = grouper.index();
    let win = window(events, opts.from, opts.to, None);
    let spans = match win {
        Some((a, b)) => Spans::new(a, b, None),
        None => Spans::new(NaiveDate::MIN, NaiveDate::MAX, None),
    }
    .unwrap_or_else(|_| unreachable!("one span needs no bins"));

    // Each event's reach and its (initiator, target) pairs.
    struct Counted {
        event: usize,
        inside: bool,
        pairs: Vec<(usize, usize)>,
    }
    let mut rows_at: FastMap<&str, usize> = FastMap::default();
    let mut cols_at: FastMap<&str, usize> = FastMap::default();
    let (mut row_keys, mut col_keys): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let mut counted: Vec<Counted> = Vec::new();
    let (mut undirected, mut open) = (0usize, 0usize);
    for (i, e) in events.iter().enumerate() {
        let (lo, hi) = (e.date.earliest(), e.date.latest());
        let Some(reach) = spans.reach(lo, hi) else {
            continue;
        };
        let mut pairs = Vec::new();
        for k in grouper.keys(e, By::Dyad) {
            if k[0] == NONE || k[1] == NONE {
                continue;
            }
            let r = at(&mut rows_at, &mut row_keys, k[0]);
            let c = at(&mut cols_at, &mut col_keys, k[1]);
            pairs.push((r, c));
        }
        if pairs.is_empty() {
            undirected += 1;
            continue;
        }
        open += usize::from(lo.is_none() || hi.is_none());
        counted.push(Counted {
            event: i,
            inside: reach.inside,
            pairs,
        });
    }

    // Totals per initiator and per target (each event once), for the order.
    let totals = |n: usize, side: fn(&(usize, usize)) -> usize| {
        let mut t = vec![Cell::default(); n];
        let mut seen: Vec<usize> = Vec::new();
        for c in &counted {
            seen.clear();
            seen.extend(c.pairs.iter().map(side));
            seen.sort_unstable();
            seen.dedup();
            for &g in &seen {
                t[g].possible += 1;
                t[g].certain += usize::from(c.inside);
            }
        }
        t
    };
    let row_tot = totals(row_keys.len(), |p| p.0);
    let col_tot = totals(col_keys.len(), |p| p.1);
    let (row_place, nrows, rows_merged) = rank(&row_keys, &row_tot, CAP);
    let (col_place, ncols, cols_merged) = rank(&col_keys, &col_tot, CAP);

    // Cells, row and column totals, and the events of each cell, with the
    // merged rows and columns each counting an event once.
    let mut cells = vec![Cell::default(); nrows * ncols];
    let mut listed: Vec<Vec<(usize, bool)>> = vec![Vec::new(); nrows * ncols];
    let mut row_sum = vec![Cell::default(); nrows];
    let mut col_sum = vec![Cell::default(); ncols];
    let mut all = Cell::default();
    let mut placed: Vec<(usize, usize)> = Vec::new();
    let add = |c: &mut Cell, inside: bool| {
        c.possible += 1;
        c.certain += usize::from(inside);
    };
    for c in &counted {
        placed.clear();
        placed.extend(c.pairs.iter().map(|&(r, k)| (row_place[r], col_place[k])));
        placed.sort_unstable();
        placed.dedup();
        for &(r, k) in &placed {
            add(&mut cells[r * ncols + k], c.inside);
            listed[r * ncols + k].push((c.event, c.inside));
        }
        let mut rs: Vec<usize> = placed.iter().map(|p| p.0).collect();
        rs.dedup();
        for r in rs {
            add(&mut row_sum[r], c.inside);
        }
        let mut ks: Vec<usize> = placed.iter().map(|p| p.1).collect();
        ks.sort_unstable();
        ks.dedup();
        for k in ks {
            add(&mut col_sum[k], c.inside);
        }
        add(&mut all, c.inside);
    }

    // Labels, in display order.
    let name = |id: &str| {
        index
            .actor(record, id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
    let labels = |keys: &[&str], place: &[usize], n: usize, merged: bool| {
        let mut v = vec![String::new(); n];
        for (g, &p) in place.iter().enumerate() {
            if !(merged && p == n - 1) {
                v[p] = text::clean(&name(keys[g])).into_owned();
            }
        }
        if merged {
            let rest = place.iter().filter(|&&p| p == n - 1).count();
            v[n - 1] = crate::chart::counts::rest_label(rest, "actors");
        }
        v
    };
    let row_labels = labels(&row_keys, &row_place, nrows, rows_merged);
    let col_labels = labels(&col_keys, &col_place, ncols, cols_merged);

    // Geometry.
    let width = opts.width.clamp(320, 20_000);
    let w = f64::from(width);
    let widest = |v: &[String]| {
        v.iter()
            .map(|l| text::width(l, FONT, false))
            .fold(0.0, f64::max)
    };
    // At least room for "Total" at the foot of the row labels.
    let row_label_w = widest(&row_labels)
        .max(text::width("Total", FONT, true))
        .min(220.0)
        + 10.0;
    let col_label_h = widest(&col_labels).min(220.0) + 10.0;
    let total_w = 56.0;
    let x0 = 16.0 + row_label_w;
    let avail = (w - x0 - 16.0 - total_w).max(16.0);
    let s = (avail / ncols.max(1) as f64).clamp(14.0, 64.0);
    let y0 = 70.0 + col_label_h;
    let x1 = x0 + s * ncols as f64;
    let y1 = y0 + s * nrows as f64;
    let total_h = s.min(26.0);
    let legend_y = y1 + total_h + 34.0;
    let note_y = legend_y + 46.0;
    let mut note = vec![
        "A cell c\u{2013}p: c events certainly in the window (their whole date range), p possibly (their range overlaps it); the colour is c. An event with several initiators or targets is in each of their cells.".to_string(),
    ];
    if open > 0 {
        note.push(format!(
            "{open} {} an open or unknown start or end, counted as possible.",
            if open == 1 {
                "event has"
            } else {
                "events have"
            }
        ));
    }
    if undirected > 0 {
        note.push(format!(
            "{undirected} {} no initiator or no target, and no cell.",
            if undirected == 1 {
                "event has"
            } else {
                "events have"
            }
        ));
    }
    // Cells with possible events only are hatched; said in the legend, or
    // in the note when the legend has no room for it.
    let possible_only = cells.iter().any(|c| c.certain == 0 && c.possible > 0);
    let hatch_in_legend = {
        let lx = 16.0 + text::width("Certain events per cell", FONT, true) + 14.0;
        let lw = 240.0_f64.min(w - lx - 24.0).max(40.0);
        lx + lw + 24.0 + 14.0 + 8.0 + text::width(HATCH_LABEL, FONT, false) <= w - 16.0
    };
    if possible_only && !hatch_in_legend {
        note.push(format!("A hatched cell: {HATCH_LABEL}."));
    }
    let note = wrap(&note, w - 32.0, 10.0);
    let natural = if counted.is_empty() {
        64.0
    } else {
        note_y + 14.0 * note.len() as f64 + 8.0
    };
    // As tall as the content needs: a height asked for is checked against
    // this by the caller (refused when less, trimmed when more), never
    // allowed to cut the drawing.
    let height = (natural.ceil() as u32).clamp(120, 100_000);
    let max = cells.iter().map(|c| c.certain).max().unwrap_or(0).max(1);

    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Who acts on whom".to_string());
    let (wfirst, wlast) = spans.window();
    let subtitle = if counted.is_empty() {
        "No events with an initiator and a target".to_string()
    } else if win.is_some() {
        format!(
            "{} events with an initiator and a target, {} to {} \u{b7} rows: initiator, columns: target",
            all.text(),
            day_text(wfirst),
            day_text(wlast)
        )
    } else {
        format!(
            "{} events with an initiator and a target, none with a known day",
            all.text()
        )
    };

    let p = header(width, height, &title, &subtitle);

    let mut boxes = Vec::new();
    if counted.is_empty() {
        let svg = p.finish();
        return Chart {
            svg,
            warnings: Vec::new(),
            layout: Layout {
                width,
                height,
                ..Layout::default()
            },
        };
    }
    p.doc().open_group("rows", &[]);
    for (r, l) in row_labels.iter().enumerate() {
        let y = y0 + (r as f64 + 0.5) * s;
        let t = fit(l, row_label_w - 10.0, FONT, false);
        p.text(
            &t,
            (x0 - 8.0, y),
            TextSpec::new(FONT, palette::INK).anchor(HPos::Right),
        );
        let tw = text::width(&t, FONT, false);
        boxes.push(Placed {
            text: t,
            rect: Rect::new(x0 - 8.0 - tw, y - 0.6 * FONT, tw, 1.2 * FONT),
        });
    }
    p.doc().close();
    p.doc().open_group("columns", &[]);
    for (k, l) in col_labels.iter().enumerate() {
        let x = x0 + (k as f64 + 0.5) * s;
        let t = fit(l, col_label_h - 10.0, FONT, false);
        p.text(
            &t,
            (x, y0 - 8.0),
            TextSpec::new(FONT, palette::INK).vertical(),
        );
        let tw = text::width(&t, FONT, false);
        boxes.push(Placed {
            text: t,
            rect: Rect::new(x - 0.6 * FONT, y0 - 8.0 - tw, 1.2 * FONT, tw),
        });
    }
    p.doc().close();

    // Cells.
    p.doc().open_group("cells", &[]);
    for r in 0..nrows {
        for k in 0..ncols {
            let c = cells[r * ncols + k];
            let (cx0, cy0) = (x0 + k as f64 * s, y0 + r as f64 * s);
            if c.possible == 0 {
                p.stroke_rect(cx0, cy0, cx0 + s, cy0 + s, Paint::solid(palette::GRID), 1.0);
                continue;
            }
            let fill = if c.certain == 0 {
                palette::WHITE
            } else {
                heat(c.certain as f64 / max as f64)
            };
            let (rs, ks, cs, ps) = (
                r.to_string(),
                k.to_string(),
                c.certain.to_string(),
                c.possible.to_string(),
            );
            p.doc().open_group(
                "cell",
                &[
                    ("row", &rs),
                    ("column", &ks),
                    ("certain", &cs),
                    ("possible", &ps),
                ],
            );
            let mut tip = format!(
                "{} \u{2192} {}: {}",
                row_labels[r],
                col_labels[k],
                events_text(c)
            );
            for &(i, inside) in listed[r * ncols + k].iter().take(LISTED) {
                let e = events[i];
                tip.push_str(&format!(
                    "\n\u{2022} {} \u{b7} {}{}",
                    e.date.label(),
                    text::clean(&e.title),
                    if inside {
                        ""
                    } else {
                        " (possibly in the window)"
                    }
                ));
            }
            let more = listed[r * ncols + k].len().saturating_sub(LISTED);
            if more > 0 {
                tip.push_str(&format!("\n\u{2026} and {more} more"));
            }
            p.doc().tooltip(&tip);
            if c.certain == 0 {
                // Possible only: no certain count to colour, and the
                // scale's end colour would read as "none" or as "most".
                // White with a light hatch says "maybe" instead.
                p.fill_rect(cx0, cy0, cx0 + s, cy0 + s, Paint::solid(palette::WHITE));
                hatch(&p, (cx0, cy0), s);
            } else {
                p.fill_rect(cx0, cy0, cx0 + s, cy0 + s, Paint::solid(fill));
            }
            p.stroke_rect(
                cx0,
                cy0,
                cx0 + s,
                cy0 + s,
                Paint::solid(palette::WHITE),
                1.0,
            );
            let label = c.text();
            if text::width(&label, FONT, false) <= s - 4.0 {
                let ink = if dark(fill) {
                    palette::WHITE
                } else {
                    palette::INK
                };
                p.text(
                    &label,
                    (cx0 + s / 2.0, cy0 + s / 2.0),
                    TextSpec::new(FONT, ink).anchor(HPos::Center),
                );
            }
            p.doc().close();
        }
    }
    p.doc().close();

    // Totals: a column on the right, a row below.
    p.doc().open_group("totals", &[]);
    p.text(
        "Total",
        (x1 + total_w / 2.0, y0 - 8.0),
        TextSpec::new(FONT, palette::INK).bold().vertical(),
    );
    for (r, c) in row_sum.iter().enumerate() {
        p.text(
            &c.text(),
            (x1 + total_w / 2.0, y0 + (r as f64 + 0.5) * s),
            TextSpec::new(FONT, palette::INK).anchor(HPos::Center),
        );
    }
    p.text(
        "Total",
        (x0 - 8.0, y1 + total_h / 2.0),
        TextSpec::new(FONT, palette::INK).bold().anchor(HPos::Right),
    );
    for (k, c) in col_sum.iter().enumerate() {
        let t = c.text();
        if text::width(&t, FONT, false) <= s - 2.0 {
            p.text(
                &t,
                (x0 + (k as f64 + 0.5) * s, y1 + total_h / 2.0),
                TextSpec::new(FONT, palette::INK).anchor(HPos::Center),
            );
        }
    }
    p.text(
        &all.text(),
        (x1 + total_w / 2.0, y1 + total_h / 2.0),
        TextSpec::new(FONT, palette::INK)
            .bold()
            .anchor(HPos::Center),
    );
    p.doc().close();

    // Legend: the colour scale.
    p.doc().open_group("legend", &[]);
    p.text(
        "Certain events per cell",
        (16.0, legend_y),
        TextSpec::new(FONT, palette::INK).bold(),
    );
    let lx = 16.0 + text::width("Certain events per cell", FONT, true) + 14.0;
    let lw = 240.0_f64.min(w - lx - 24.0).max(40.0);
    let steps = 48;
    for i in 0..steps {
        let t = i as f64 / (steps - 1) as f64;
        let a = lx + lw * i as f64 / steps as f64;
        let b = lx + lw * (i + 1) as f64 / steps as f64;
        p.fill_rect(
            a,
            legend_y - 7.0,
            b + 0.3,
            legend_y + 7.0,
            Paint::solid(heat(t)),
        );
    }
    // The hatch of possible-only cells, after the scale.
    let hx = lx + lw + 24.0;
    let hs = 14.0;
    if possible_only && hx + hs + 8.0 + text::width(HATCH_LABEL, FONT, false) <= w - 16.0 {
        p.doc().open_group("hatch-key", &[]);
        p.fill_rect(
            hx,
            legend_y - 7.0,
            hx + hs,
            legend_y + 7.0,
            Paint::solid(palette::WHITE),
        );
        hatch(&p, (hx, legend_y - 7.0), hs);
        p.stroke_rect(
            hx,
            legend_y - 7.0,
            hx + hs,
            legend_y + 7.0,
            Paint::solid(palette::GRID),
            1.0,
        );
        p.text(
            HATCH_LABEL,
            (hx + hs + 6.0, legend_y),
            TextSpec::new(FONT, palette::INK),
        );
        p.doc().close();
    }
    for (v, x) in [(0, lx), (max, lx + lw)] {
        p.line(
            &[(x, legend_y + 7.0), (x, legend_y + 11.0)],
            Paint::solid(palette::INK),
            1.0,
        );
        p.text(
            &v.to_string(),
            (x, legend_y + 19.0),
            TextSpec::new(FONT, palette::INK).anchor(HPos::Center),
        );
    }
    p.doc().close();

    p.doc().open_group("note", &[]);
    for (i, n) in note.iter().enumerate() {
        p.text(
            n,
            (16.0, note_y + 14.0 * i as f64),
            TextSpec::new(10.0, palette::MUTED),
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
            ..Layout::default()
        },
    };
    crate::chart::sized(chart, opts)
}

/// What a hatched cell means, in the legend.
const HATCH_LABEL: &str = "possible events only (0 certain)";

/// Light diagonal lines across the square of side `s` at `(x0, y0)`, the
/// mark of a cell with possible events but no certain one.
fn hatch(p: &crate::chart::draw::Painter, (x0, y0): (f64, f64), s: f64) {
    const GAP: f64 = 4.0;
    p.doc().open_group("hatch", &[]);
    // Lines u + v = d, u rightwards and v upwards from the bottom-left
    // corner, clipped to the square.
    let mut d = GAP;
    while d < 2.0 * s {
        let (ua, ub) = ((d - s).max(0.0), d.min(s));
        p.line(
            &[(x0 + ua, y0 + s - (d - ua)), (x0 + ub, y0 + s - (d - ub))],
            Paint::solid(palette::Rgb(0xA8, 0xA8, 0xA8)),
            0.7,
        );
        d += GAP;
    }
    p.doc().close();
}

/// The number of key `k`, numbering it next when new.
fn at<'a>(m: &mut FastMap<&'a str, usize>, keys: &mut Vec<&'a str>, k: &'a str) -> usize {
    let n = m.len();
    *m.entry(k).or_insert_with(|| {
        keys.push(k);
        n
    })
}
