//! The histogram: events per calendar bin, stacked by kind (or by actor or
//! country), with axis titles, bar totals and a legend.
//!
//! An event is counted in a bin only when its whole date range falls in
//! that bin; one whose range spans several bins, or has an open or unknown
//! side, is not counted, and the note under the chart says how many were
//! left out. Spreading them over the bins would invent precision.

use crate::chart::draw::{Paint, Painter, TextSpec};
use crate::chart::layout::{Layout, Placed, Rect};
use crate::chart::palette::{self, OKABE_ITO, Palette, Rgb};
use crate::chart::scale::Bin;
use crate::chart::{Chart, LaneBy, Options, day_text, lanes, text, window};
use crate::model::{Event, Record};

use plotters::style::text_anchor::HPos;

const MAX_BINS: usize = 600;
const GROUPS: usize = 6;
const FONT: f64 = 11.0;

/// A stack: a kind, or an actor or country (the busiest get colours, the
/// rest share "Other").
#[derive(Debug, Clone)]
struct Group {
    id: String,
    label: String,
    color: Rgb,
    /// 0 solid, 1 and 2 hatched: kinds beyond the six colours.
    hatch: usize,
}

/// Draws the histogram of `events`.
pub fn render(record: &Record, events: &[&Event], opts: &Options) -> Chart {
    let palette = Palette::new(record);
    let width = opts.width.clamp(320, 20_000);
    let w = f64::from(width);
    let mut bin = opts.bin.unwrap_or(Bin::Month);
    let (start, end) = window(events, opts);
    let mut starts = bin.starts(start, end, MAX_BINS + 1);
    while starts.len() > MAX_BINS && bin != Bin::Year {
        bin = match bin {
            Bin::Day => Bin::Week,
            Bin::Week => Bin::Month,
            Bin::Month => Bin::Quarter,
            Bin::Quarter | Bin::Year => Bin::Year,
        };
        starts = bin.starts(start, end, MAX_BINS + 1);
    }
    starts.truncate(MAX_BINS);

    // Groups and the events in each.
    let by = opts.lanes.unwrap_or(LaneBy::Kind);
    let lanes = lanes::build(record, events, by, &palette);
    let mut groups: Vec<(Group, Vec<usize>)> = match by {
        LaneBy::Kind => lanes
            .into_iter()
            .map(|l| {
                let k = palette.style(&l.key);
                (
                    Group {
                        id: k.id.clone(),
                        label: k.label.clone(),
                        color: k.color,
                        hatch: (k.rank / OKABE_ITO.len()) % 3,
                    },
                    l.events,
                )
            })
            .collect(),
        _ => {
            let mut order: Vec<usize> = (0..lanes.len()).collect();
            order.sort_by_key(|&i| (std::cmp::Reverse(lanes[i].events.len()), i));
            let mut out: Vec<(Group, Vec<usize>)> = Vec::new();
            let mut rest: Vec<usize> = Vec::new();
            for (n, &i) in order.iter().enumerate() {
                if n < GROUPS && lanes[i].key != "~" {
                    out.push((
                        Group {
                            id: lanes[i].key.clone(),
                            label: lanes[i].name.clone(),
                            color: OKABE_ITO[n],
                            hatch: 0,
                        },
                        lanes[i].events.clone(),
                    ));
                } else {
                    rest.extend(&lanes[i].events);
                }
            }
            if !rest.is_empty() {
                rest.sort_unstable();
                rest.dedup();
                out.push((
                    Group {
                        id: "~".into(),
                        label: "Other".into(),
                        color: Rgb(0xBB, 0xBB, 0xBB),
                        hatch: 0,
                    },
                    rest,
                ));
            }
            out
        }
    };

    // Which bin each event falls in, if one.
    let bin_of = |e: &Event| -> Option<usize> {
        let (a, b) = (e.date.earliest()?, e.date.latest()?);
        let first = *starts.first()?;
        if a < first || b > bin.last_day(*starts.last()?) {
            return None;
        }
        let i = starts.partition_point(|&s| s <= a).checked_sub(1)?;
        (b <= bin.last_day(starts[i])).then_some(i)
    };
    let bins_of: Vec<Option<usize>> = events.iter().map(|e| bin_of(e)).collect();
    let counted = bins_of.iter().filter(|b| b.is_some()).count();
    let spanning = events
        .iter()
        .zip(&bins_of)
        .filter(|(e, b)| {
            b.is_none()
                && e.date.earliest().is_some_and(|a| a <= end)
                && e.date.latest().is_some_and(|z| z >= start)
        })
        .count();
    let open = events
        .iter()
        .filter(|e| e.date.earliest().is_none() || e.date.latest().is_none())
        .count();
    let outside = events.len() - counted - spanning - open;

    // counts[group][bin]
    let mut counts = vec![vec![0usize; starts.len()]; groups.len()];
    for (gi, (_, evs)) in groups.iter().enumerate() {
        for &i in evs {
            if let Some(b) = bins_of[i] {
                counts[gi][b] += 1;
            }
        }
    }
    // Only groups with something counted appear.
    let keep: Vec<bool> = counts.iter().map(|c| c.iter().any(|&n| n > 0)).collect();
    let mut k = keep.iter();
    groups.retain(|_| *k.next().unwrap_or(&false));
    let mut k = keep.iter();
    counts.retain(|_| *k.next().unwrap_or(&false));

    let totals: Vec<usize> = (0..starts.len())
        .map(|b| counts.iter().map(|c| c[b]).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let (step, top) = nice_axis(max);

    // Geometry.
    let header_h = 62.0;
    let plot_h = 320.0;
    let y_label_w = text::width(&top.to_string(), FONT, false) + 14.0;
    let x0 = 44.0 + y_label_w;
    let x1 = w - 24.0;
    let y0 = header_h + 10.0;
    let y1 = y0 + plot_h;
    let n = starts.len().max(1) as f64;
    let bw = (x1 - x0) / n;
    let yv = |v: f64| y1 - v / top.max(1) as f64 * plot_h;

    // X labels: every k-th bin so that labels do not overlap.
    let short: Vec<String> = starts
        .iter()
        .enumerate()
        .map(|(i, &s)| bin.short_label(s, i.checked_sub(1).map(|j| starts[j])))
        .collect();
    let widest = short
        .iter()
        .map(|l| text::width(l, FONT, false))
        .fold(0.0, f64::max);
    let every = ((widest + 10.0) / bw).ceil().max(1.0) as usize;
    let shown_labels: Vec<(usize, String)> = starts
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, &s)| {
            let prev = i.checked_sub(every).map(|j| starts[j]);
            (i, bin.short_label(s, prev))
        })
        .collect();

    // Legend flows under the axis.
    let legend_top = y1 + 58.0;
    let mut legend: Vec<(usize, f64, f64)> = Vec::new();
    let (mut lx, mut ly) = (16.0 + 64.0, legend_top);
    for (gi, (g, _)) in groups.iter().enumerate() {
        let ew = 16.0 + 6.0 + text::width(&text::clean(&g.label), FONT, false) + 18.0;
        if lx + ew > w - 8.0 && lx > 80.0 {
            lx = 80.0;
            ly += 22.0;
        }
        legend.push((gi, lx, ly));
        lx += ew;
    }
    let note_y = ly + 26.0;
    let height = opts
        .height
        .unwrap_or((note_y + 20.0).ceil() as u32)
        .clamp(120, 100_000);

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
    let subtitle = if events.is_empty() {
        "No events match".to_string()
    } else {
        format!(
            "{counted} of {} events, {} to {} \u{b7} {stack_word}",
            events.len(),
            day_text(starts.first().copied().unwrap_or(start)),
            day_text(starts.last().map_or(end, |&s| bin.last_day(s)))
        )
    };
    let mut note_parts = Vec::new();
    if spanning > 0 {
        note_parts.push(format!(
            "{spanning} whose date range spans more than one {}",
            bin.noun()
        ));
    }
    if open > 0 {
        note_parts.push(format!("{open} with an open or unknown start or end"));
    }
    if outside > 0 {
        note_parts.push(format!("{outside} outside the window"));
    }
    let note = if note_parts.is_empty() {
        format!(
            "Each event is counted in the {} its date falls in.",
            bin.noun()
        )
    } else {
        format!(
            "Each event is counted in the {} its date falls in. Not counted: {}.",
            bin.noun(),
            note_parts.join("; ")
        )
    };

    // Paint.
    let p = Painter::new(width, height, &text::clean(&title));
    p.fill_rect(0.0, 0.0, w, f64::from(height), Paint::solid(palette::WHITE));
    p.doc().open_group("header", &[]);
    p.text(
        &fit(&text::clean(&title), w - 32.0, 16.0, true),
        (16.0, 22.0),
        TextSpec::new(16.0, palette::INK).bold(),
    );
    p.text(
        &fit(&subtitle, w - 32.0, FONT, false),
        (16.0, 42.0),
        TextSpec::new(FONT, palette::MUTED),
    );
    p.doc().close();

    // Y axis, grid and title.
    p.doc().open_group("y-axis", &[]);
    let mut v = 0;
    while v <= top {
        let y = yv(v as f64);
        p.line(&[(x0, y), (x1, y)], Paint::solid(palette::GRID), 1.0);
        p.text(
            &v.to_string(),
            (x0 - 6.0, y),
            TextSpec::new(FONT, palette::INK).anchor(HPos::Right),
        );
        v += step;
    }
    p.text(
        &format!("Events per {}", bin.noun()),
        (18.0, (y0 + y1) / 2.0),
        TextSpec::new(FONT, palette::INK)
            .anchor(HPos::Center)
            .vertical(),
    );
    p.doc().close();

    // Bars.
    p.doc().open_group("bars", &[]);
    let mut label_boxes = Vec::new();
    for (b, &s) in starts.iter().enumerate() {
        let bar = (bw * 0.72).min(90.0);
        let cx = x0 + (b as f64 + 0.5) * bw;
        let (bx0, bx1) = (cx - bar / 2.0, cx + bar / 2.0);
        let mut acc = 0usize;
        for (gi, (g, _)) in groups.iter().enumerate() {
            let c = counts[gi][b];
            if c == 0 {
                continue;
            }
            let (ya, yb) = (yv((acc + c) as f64), yv(acc as f64));
            let b_s = b.to_string();
            let c_s = c.to_string();
            p.doc()
                .open_group("bar", &[("bin", &b_s), ("group", &g.id), ("count", &c_s)]);
            p.doc().tooltip(&format!(
                "{} \u{b7} {}: {c} {}",
                bin.label(s),
                text::clean(&g.label),
                if c == 1 { "event" } else { "events" }
            ));
            p.fill_rect(bx0, ya, bx1.max(bx0 + 1.0), yb, Paint::solid(g.color));
            hatch(&p, g.hatch, (bx0, ya, bx1.max(bx0 + 1.0), yb));
            if yb - ya >= 3.0 {
                p.line(
                    &[(bx0, ya), (bx1.max(bx0 + 1.0), ya)],
                    Paint::solid(palette::WHITE),
                    1.0,
                );
            }
            p.doc().close();
            acc += c;
        }
        if totals[b] > 0 {
            let t = totals[b].to_string();
            let tw = text::width(&t, FONT, false);
            if tw <= bw {
                let cy = yv(totals[b] as f64) - 9.0;
                label_boxes.push(Placed {
                    text: t.clone(),
                    rect: Rect::new(
                        (bx0 + bx1) / 2.0 - tw / 2.0,
                        cy - 0.6 * FONT,
                        tw,
                        1.2 * FONT,
                    ),
                });
                p.text(
                    &t,
                    ((bx0 + bx1) / 2.0, cy),
                    TextSpec::new(FONT, palette::INK).anchor(HPos::Center),
                );
            }
        }
    }
    p.doc().close();

    // X axis.
    p.doc().open_group("axis", &[]);
    p.line(&[(x0, y1), (x1, y1)], Paint::solid(palette::INK), 1.0);
    p.doc().open_group("ticks", &[]);
    for (i, l) in &shown_labels {
        let cx = x0 + (*i as f64 + 0.5) * bw;
        p.line(&[(cx, y1), (cx, y1 + 4.0)], Paint::solid(palette::INK), 1.0);
        p.text(
            l,
            (cx, y1 + 15.0),
            TextSpec::new(FONT, palette::INK).anchor(HPos::Center),
        );
    }
    p.doc().close();
    p.doc().close();

    // Legend and note.
    p.doc().open_group("legend", &[]);
    if !legend.is_empty() {
        p.text(
            if by == LaneBy::Kind {
                "Kinds"
            } else {
                "Stacks"
            },
            (16.0, legend_top),
            TextSpec::new(FONT, palette::INK).bold(),
        );
    }
    for &(gi, x, y) in &legend {
        let g = &groups[gi].0;
        p.doc().open_group("legend-kind", &[("kind", &g.id)]);
        p.fill_rect(x, y - 6.0, x + 14.0, y + 6.0, Paint::solid(g.color));
        hatch(&p, g.hatch, (x, y - 6.0, x + 14.0, y + 6.0));
        p.text(
            &text::clean(&g.label),
            (x + 20.0, y),
            TextSpec::new(FONT, palette::INK),
        );
        p.doc().close();
    }
    p.doc().close();
    p.doc().open_group("note", &[]);
    p.text(
        &fit(&note, w - 32.0, 10.0, false),
        (16.0, note_y),
        TextSpec::new(10.0, palette::MUTED),
    );
    p.doc().close();
    let svg = p.finish();

    let layout = Layout {
        width,
        height,
        labels: label_boxes,
        marks: Vec::new(),
        lanes: Vec::new(),
        ticks: shown_labels.into_iter().map(|(_, l)| l).collect(),
        legend: groups.iter().map(|(g, _)| g.id.clone()).collect(),
    };
    Chart { svg, layout }
}

fn fit(s: &str, max: f64, size: f64, bold: bool) -> String {
    text::fit(s, max, size, bold).map_or_else(String::new, |c| c.into_owned())
}

/// A step of 1, 2 or 5 times a power of ten giving at most about five
/// gridlines, and the axis top (a multiple of the step, at least 1).
fn nice_axis(max: usize) -> (usize, usize) {
    let max = max.max(1);
    let mut step = 1usize;
    'outer: loop {
        for m in [1usize, 2, 5] {
            let s = step.saturating_mul(m);
            if max.div_ceil(s) <= 5 {
                step = s;
                break 'outer;
            }
        }
        step = step.saturating_mul(10);
        if step >= usize::MAX / 10 {
            break;
        }
    }
    (step, max.div_ceil(step).max(1) * step)
}

/// White diagonal lines over a rectangle: `/` for style 1, `\\` for 2.
fn hatch(p: &Painter, style: usize, (x0, y0, x1, y1): (f64, f64, f64, f64)) {
    if style == 0 || x1 - x0 < 2.0 || y1 - y0 < 2.0 {
        return;
    }
    let gap = 5.0;
    let (w, h) = (x1 - x0, y1 - y0);
    let mut c = gap;
    while c < w + h {
        // The line x + y = c (style 1) or x - y = c - h (style 2), clipped.
        let (ax, ay) = if c <= h { (0.0, c) } else { (c - h, h) };
        let (bx, by) = if c <= w { (c, 0.0) } else { (w, c - w) };
        let (a, b) = if style == 1 {
            ((x0 + ax, y0 + ay), (x0 + bx, y0 + by))
        } else {
            ((x0 + ax, y1 - ay), (x0 + bx, y1 - by))
        };
        p.line(&[a, b], Paint::faded(palette::WHITE, 0.8), 1.0);
        c += gap;
    }
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
