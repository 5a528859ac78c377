//! The second pass: draws a [`Plan`] as SVG. Every position comes from
//! the plan; nothing here decides where things go.

use super::*;
use crate::chart::backend::num;
use crate::chart::counts::fit;

pub(super) fn paint(record: &Record, plan: &Plan<'_>, palette: &Palette) -> String {
    // Names and sources for tooltips: the events' own id map (a hundred
    // thousand entries on a large record) is never needed here.
    let look = Lookup::new(record);
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
        &fit(&text::clean(&plan.title), w - 32.0, 16.0, true),
        (16.0, 22.0),
        TextSpec::new(16.0, palette::INK).bold(),
    );
    p.text(
        &fit(&plan.subtitle, w - 32.0, 11.0, false),
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
            lp.top + 14.0
        } else {
            lp.top + LANE_PAD + MARK_DY.min(lp.height / 2.0)
        };
        let li_s = li.to_string();
        p.doc().open_group("lane", &[("lane", &li_s)]);
        p.doc().tooltip(&name);
        // A long name wraps onto a second line (a density lane's second
        // and third lines hold its counts), and is shortened only past that.
        let room = plan.label_col - 24.0;
        let mut lines = text::wrap(&name, room, LANE_FONT, false);
        let max_lines = if lp.density.is_some() { 1 } else { 2 };
        if lines.len() > max_lines {
            let rest = lines.split_off(max_lines - 1).join(" ");
            lines.push(rest);
        }
        let lead = (lines.len() as f64 - 1.0) * LANE_FONT * 0.6;
        for (i, line) in lines.iter().enumerate() {
            p.text(
                &fit(line, room, LANE_FONT, false),
                (16.0, cy - lead + i as f64 * LANE_FONT * 1.2),
                TextSpec::new(LANE_FONT, palette::INK),
            );
        }
        if lp.density.is_some() {
            let most = lp
                .density
                .as_ref()
                .and_then(|b| b.iter().map(|x| x.1).max())
                .unwrap_or(0);
            // Short lines, so that they fit the name column unshortened.
            let bin = plan.bin_for(lp);
            let mut notes = [
                format!("{} events", lp.in_window),
                format!("max {most} per {}", bin.noun()),
            ];
            if lp.spread > 0 {
                notes[0] = format!("{} events, {} not binned", lp.in_window, lp.spread);
            }
            for (i, note) in notes.iter().enumerate() {
                p.text(
                    &fit(note, plan.label_col - 24.0, 10.0, false),
                    (16.0, cy + 14.0 + 12.0 * i as f64),
                    TextSpec::new(10.0, palette::MUTED),
                );
            }
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
            let url = tooltip::first_url(&look, e);
            let linked = url.is_some_and(|u| p.doc().open_link(u));
            let li_s = li.to_string();
            p.doc().open_group(
                "mark",
                &[("event", &e.id), ("lane", &li_s), ("kind", &e.kind)],
            );
            p.doc().tooltip(&tooltip::tooltip(&look, e, &style.label));
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

    paint_density(&p, plan, palette);
    paint_axis(&p, plan);
    paint_legend(&p, plan);
    p.finish()
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
            fading_line(p, (lo, hi.max(lo)), cy, c, 1.5, (g.fade_lo, g.fade_hi));
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
            } else if g.fade_lo || g.fade_hi {
                fading_line(
                    p,
                    (lo, hi.max(lo + 1.0)),
                    cy,
                    c,
                    6.0,
                    (g.fade_lo, g.fade_hi),
                );
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
            // `~` a soft disk, `?` a dotted ring beyond the reported
            // status's dashed ring (R + 3), so neither hides the other.
            if let Some(mx) = g.mx {
                if g.approximate {
                    p.circle((mx, cy), R + 4.0, Paint::faded(c, 0.25), true, 0.0);
                }
                if g.uncertain {
                    p.doc().set_dash(Some("15 22"));
                    p.circle((mx, cy), R + 6.0, Paint::solid(c), false, 1.2);
                    p.doc().set_dash(None);
                }
            }
        }
        Geom::Point => {}
    }
    // An open end's arrowhead is as faint as the end of its stub.
    let head = |fade: bool| Paint::faded(c, if fade { 0.3 } else { 0.85 });
    if g.arrow_lo {
        arrowhead(p, (g.lo, cy), -1.0, ARROW, head(g.fade_lo));
    }
    if g.arrow_hi {
        arrowhead(p, (g.hi, cy), 1.0, ARROW, head(g.fade_hi));
    }
    match (g.mx, g.glyph) {
        (Some(mx), Glyph::Day) => paint_marker(p, k.shape, (mx, cy), c, status),
        (Some(mx), _) => paint_hollow(p, k.shape, (mx, cy), c, status),
        (None, _) => {}
    }
}

/// A horizontal line from `x.0` to `x.1` at `y`, fading out over the
/// [`STUB`] at each end that `fade` marks (an open end: "continues, nobody
/// knows how far"), in steps, as plain segments every renderer draws alike.
fn fading_line(p: &Painter, x: (f64, f64), y: f64, c: Rgb, width: f64, fade: (bool, bool)) {
    const STEPS: [f64; 4] = [0.2, 0.4, 0.6, 0.8];
    // Rectangles, not stroked lines: round caps would overlap and bead.
    let seg = |a: f64, b: f64, alpha: f64| {
        p.fill_rect(
            a,
            y - width / 2.0,
            b,
            y + width / 2.0,
            Paint::faded(c, alpha),
        );
    };
    let (mut a, mut b) = x;
    let len = STUB.min(b - a);
    if fade.0 && len > 0.0 {
        for (i, alpha) in STEPS.iter().enumerate() {
            let s = a + len * i as f64 / 4.0;
            seg(s, s + len / 4.0, *alpha);
        }
        a += len;
    }
    if fade.1 && len > 0.0 && b - a > 0.0 {
        let len = len.min(b - a);
        for (i, alpha) in STEPS.iter().rev().enumerate() {
            let s = b - len + len * i as f64 / 4.0;
            seg(s, s + len / 4.0, *alpha);
        }
        b -= len;
    }
    if b > a {
        seg(a, b, 0.85);
    }
}

/// The marker of an event known only to a range: the kind's shape hollow,
/// crossed by a line, so it reads as "somewhere along here", never as a
/// day. The status shows as on a day's marker (a cross, a dashed ring).
fn paint_hollow(p: &Painter, shape: Shape, at: (f64, f64), c: Rgb, status: Status) {
    let (x, y) = at;
    let width = if status == Status::Scheduled {
        1.0
    } else {
        1.6
    };
    p.marker(
        shape,
        at,
        R,
        Some(Paint::solid(palette::WHITE)),
        Some((Paint::solid(c), width)),
    );
    p.line(&[(x - R - 1.0, y), (x + R + 1.0, y)], Paint::solid(c), 1.5);
    match status {
        Status::Cancelled => {
            let a = R * 0.95;
            for (dx, dy) in [(a, a), (a, -a)] {
                p.line(
                    &[(x - dx, y - dy), (x + dx, y + dy)],
                    Paint::solid(palette::INK),
                    1.5,
                );
            }
        }
        Status::Reported => {
            p.doc().set_dash(Some("20 15"));
            p.circle(at, R + 3.0, Paint::solid(c), false, 1.0);
            p.doc().set_dash(None);
        }
        Status::Occurred | Status::Scheduled => {}
    }
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
    for r in &plan.routes {
        // From the edge of the source's marker to the edge of the
        // target's, along the arc the plan chose: the tip touches the target.
        let at = |t: f64| r.at(t);
        let t0 = curve_exit(&at, r.a, TIP_GAP, false);
        let t1 = curve_exit(&at, r.b, TIP_GAP, true);
        let pts: Vec<(f64, f64)> = if t1 > t0 {
            (0..=40)
                .map(|i| at(t0 + (t1 - t0) * f64::from(i) / 40.0))
                .collect()
        } else {
            Vec::new()
        };
        let ids = format!("{} {}", plan.events[r.from].id, plan.events[r.to].id);
        let target = format!("{} {}", num(r.b.0), num(r.b.1));
        let tip = pts
            .last()
            .map_or_else(String::new, |&(x, y)| format!("{} {}", num(x), num(y)));
        let crossings = r.crossings.to_string();
        p.doc().open_group(
            "relation",
            &[
                ("relation", r.rel.as_str()),
                ("events", &ids),
                ("target", &target),
                ("tip", &tip),
                ("crossings", &crossings),
            ],
        );
        if pts.len() >= 2 {
            let paint = Paint::faded(palette::ARROW, 0.75);
            if r.rel == Relation::Follows {
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

/// How far from a marker's centre an arrow starts or ends: its edge.
pub(super) const TIP_GAP: f64 = R + 1.0;

/// The parameter where the curve `at` (from t = 0 to 1) crosses the circle
/// of radius `gap` around `centre`: the last crossing into it when
/// `entering` (the target), else the first crossing out (the source).
/// Found by bisection, so the arrow ends on the circle, not up to a
/// sampling step short of it.
pub(super) fn curve_exit(
    at: &impl Fn(f64) -> (f64, f64),
    centre: (f64, f64),
    gap: f64,
    entering: bool,
) -> f64 {
    let inside = |t: f64| {
        let (x, y) = at(t);
        (x - centre.0).hypot(y - centre.1) < gap
    };
    // The end of the curve inside the circle, and a point outside it.
    let (mut a, mut b) = if entering { (1.0, 0.0) } else { (0.0, 1.0) };
    if !inside(a) || inside(b) {
        return a;
    }
    for _ in 0..60 {
        let m = (a + b) / 2.0;
        if inside(m) {
            a = m;
        } else {
            b = m;
        }
    }
    b
}

fn paint_density(p: &Painter, plan: &Plan<'_>, kinds: &Palette) {
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
        // One scale for every lane (the busiest bin of all), so that bars
        // compare across lanes, unless each lane is asked to have its own;
        // each lane's own maximum is in its label.
        let own = bins.iter().map(|b| b.1).max().unwrap_or(0);
        let lane_max = if plan.density_per_lane {
            own.max(1)
        } else {
            plan.density_max.max(1)
        };
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
            // The bar stacked by kind, in the kinds' colours (grey when
            // the split is unknown).
            let xr = (x1 - 0.5).max(x0 + 1.0);
            let split = lp.density_kinds.get(i).filter(|k| !k.is_empty());
            match split {
                Some(split) => {
                    let mut y = base;
                    for &(rank, c) in split {
                        let seg = h * c as f64 / n as f64;
                        let color = kinds.kinds().get(rank).map_or(palette::MUTED, |k| k.color);
                        p.fill_rect(x0 + 0.5, y - seg, xr, y, Paint::solid(color));
                        y -= seg;
                    }
                }
                None => p.fill_rect(
                    x0 + 0.5,
                    base - h,
                    xr,
                    base,
                    Paint::faded(palette::INK, 0.7),
                ),
            }
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
    if plan.top_axis {
        // The same ticks above the lanes, labels upwards; in their own
        // group, so the axis's ticks are still read once.
        let y = plan.lanes_top;
        p.doc().open_group("ticks-top", &[]);
        p.line(&[(s.x0, y), (s.x1, y)], Paint::solid(palette::INK), 1.0);
        for t in &plan.ticks {
            p.line(&[(t.x, y), (t.x, y - 4.0)], Paint::solid(palette::INK), 1.0);
            p.text(
                &t.label,
                (t.x, y - 11.0),
                TextSpec::new(TICK_FONT, palette::INK).anchor(HPos::Center),
            );
        }
        p.doc().close();
    }
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
        let room = f64::from(plan.width) - 8.0 - (x + glyph_w + 6.0);
        p.text(
            &fit(&e.text, room, LEGEND_FONT, false),
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
        Notation::Halo => "approximate",
        Notation::Uncertain => "uncertain",
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
        declared: false,
    };
    let geo = |geom, lo: f64, hi: f64, mx: f64, arrow_hi| Geo {
        geom,
        lo,
        hi,
        arrow_lo: false,
        arrow_hi,
        mx: Some(mx),
        glyph: if geom == Geom::Range {
            Glyph::Hollow
        } else {
            Glyph::Day
        },
        ext: (lo, hi),
        span: None,
        approximate: geom == Geom::Halo,
        uncertain: false,
        fade_lo: false,
        fade_hi: false,
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
        Notation::Halo | Notation::Uncertain => {
            // The dotted ring is wider than a marker: centred in more room.
            let w = if n == Notation::Uncertain { 24.0 } else { 16.0 };
            let g = Geo {
                approximate: n == Notation::Halo,
                uncertain: n == Notation::Uncertain,
                ..geo(Geom::Halo, x + w / 2.0, x + w / 2.0, x + w / 2.0, false)
            };
            paint_item(p, &g, y, &grey, Status::Occurred);
            w
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
