//! Relation arrows: which occurrences of two events an arrow joins, and
//! the arc it takes. Each arrow is a quadratic curve from the edge of the
//! source's marker to the edge of the target's; among a few arcs (above or
//! below the markers, flat or high, or hugging a corner; failing those, a
//! wider grid of arcs out to the sides, kept on the plot) the one crossing
//! the fewest labels and markers of other events is taken, the first tried
//! (flattest above) on a tie. An arrow
//! that crosses something whichever arc it takes is still drawn, and
//! counted for a warning ([`Route::crossings`]).

use super::*;

/// An arrow's route.
#[derive(Debug, Clone)]
pub(super) struct Route {
    pub from: usize,
    pub to: usize,
    pub rel: Relation,
    /// The centres of the source's and target's markers.
    pub a: (f64, f64),
    pub b: (f64, f64),
    /// The curve's control point.
    pub ctrl: (f64, f64),
    /// Labels and markers of other events the arc crosses.
    pub crossings: usize,
}

impl Route {
    /// The point at `t` (0 at `a`, 1 at `b`).
    pub fn at(&self, t: f64) -> (f64, f64) {
        bezier(self.a, self.ctrl, self.b, t)
    }
}

fn bezier(a: (f64, f64), c: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    (
        u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0,
        u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1,
    )
}

/// What an arrow should not cross: the label and marker boxes of every
/// event, with the event's index.
pub(super) fn obstacles(lanes: &[LanePlan]) -> Vec<(usize, Rect)> {
    let mut out = Vec::new();
    for lp in lanes {
        for it in &lp.items {
            let row_top = lp.top + LANE_PAD + it.row as f64 * ROW_H;
            if let Some(l) = &it.label {
                out.push((it.ev, label_rect(l, it.label_x, row_top + LABEL_DY)));
            }
            if let Some(mx) = it.geo.mx {
                let cy = row_top + MARK_DY;
                out.push((it.ev, Rect::new(mx - R, cy - R, 2.0 * R, 2.0 * R)));
            }
        }
    }
    out
}

/// The routes of `relations` between events with markers at `positions`,
/// their arcs kept within `bounds` (left, top, right, bottom: the plot).
pub(super) fn routes(
    relations: &[(usize, usize, Relation)],
    positions: &HashMap<usize, Vec<(usize, f64, f64)>>,
    obstacles: &[(usize, Rect)],
    bounds: (f64, f64, f64, f64),
) -> Vec<Route> {
    let mut out = Vec::new();
    for &(from, to, rel) in relations {
        let (Some(pa), Some(pb)) = (positions.get(&from), positions.get(&to)) else {
            continue;
        };
        // The pair of occurrences closest together, same lane first.
        type Pair = ((f64, f64), (f64, f64), (bool, f64));
        let mut best: Option<Pair> = None;
        for &(la, ax, ay) in pa {
            for &(lb, bx, by) in pb {
                let key = (la != lb, (ay - by).abs() + (ax - bx).abs() * 0.01);
                if best.is_none_or(|(_, _, k)| (key.0, key.1) < (k.0, k.1)) {
                    best = Some(((ax, ay), (bx, by), key));
                }
            }
        }
        let Some((a, b, _)) = best else {
            continue;
        };
        let lift = 10.0 + ((b.0 - a.0).abs() * 0.08).min(30.0);
        let mid = (a.0 + b.0) / 2.0;
        let (top, bottom) = (a.1.min(b.1), a.1.max(b.1));
        let preferred = [
            (mid, top - lift),
            (mid, top - 2.5 * lift),
            (mid, bottom + lift),
            (mid, bottom + 2.5 * lift),
            // Hugging a corner: up or down first at one end, across at the
            // other, through the gaps between rows.
            (a.0, b.1),
            (b.0, a.1),
        ];
        // Failing those, a wider search: control points out to either side
        // and above or below, so the arc can pass round the ends of the
        // labels in its way (labels run rightwards from their marker, so
        // the free space is often to the left). Taken only when it crosses
        // strictly less, so the plain arcs above stay the rule.
        let span = (b.0 - a.0).abs().max(40.0);
        let (left, upper, right, lower) = bounds;
        let mut xs: Vec<f64> = [-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0]
            .iter()
            .map(|fx| a.0.min(b.0) + fx * span)
            .collect();
        // And across the whole plot, for arrows that run mostly up or down.
        xs.extend((0..=8).map(|i| left + (right - left) * f64::from(i) / 8.0));
        let mut wider = Vec::new();
        for x in xs {
            for y in [
                top - 4.0 * lift,
                top - 6.0 * lift,
                (a.1 + b.1) / 2.0,
                bottom + 4.0 * lift,
                bottom + 6.0 * lift,
            ] {
                wider.push((x, y));
            }
        }
        // The whole arc on the plot (a quadratic bulges at most halfway to
        // its control point, so a few samples find its extremes closely).
        let on_plot = |c: &(f64, f64)| {
            (0..=16).all(|i| {
                let (x, y) = bezier(a, *c, b, f64::from(i) / 16.0);
                x >= left - 0.5 && x <= right + 0.5 && y >= upper - 0.5 && y <= lower + 0.5
            })
        };
        let mut chosen: Option<Route> = None;
        for ctrl in preferred
            .into_iter()
            .chain(wider.into_iter().filter(|c| on_plot(c)))
        {
            if chosen.as_ref().is_some_and(|c| c.crossings == 0) {
                break;
            }
            let crossings = crossings(a, ctrl, b, from, to, obstacles);
            if chosen.as_ref().is_none_or(|c| crossings < c.crossings) {
                chosen = Some(Route {
                    from,
                    to,
                    rel,
                    a,
                    b,
                    ctrl,
                    crossings,
                });
            }
        }
        out.extend(chosen);
    }
    out
}

/// How many obstacles of events other than `from` and `to` the arc from
/// `a` to `b` about `ctrl` passes through (sampled every few pixels).
fn crossings(
    a: (f64, f64),
    ctrl: (f64, f64),
    b: (f64, f64),
    from: usize,
    to: usize,
    obstacles: &[(usize, Rect)],
) -> usize {
    let len = (a.0 - ctrl.0).hypot(a.1 - ctrl.1) + (ctrl.0 - b.0).hypot(ctrl.1 - b.1);
    let n = ((len / 3.0).ceil() as usize).clamp(8, 2000);
    let pts: Vec<(f64, f64)> = (0..=n)
        .map(|i| bezier(a, ctrl, b, i as f64 / n as f64))
        .collect();
    let (x0, x1) = (a.0.min(b.0) - 1.0, a.0.max(b.0) + 1.0);
    obstacles
        .iter()
        .filter(|(ev, r)| {
            *ev != from && *ev != to && r.x <= x1 && r.x + r.w >= x0 && {
                pts.iter()
                    .any(|&(x, y)| x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h)
            }
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: (f64, f64, f64, f64) = (0.0, 0.0, 1000.0, 1000.0);

    #[test]
    fn an_arrow_goes_around_a_label_in_its_way() {
        let positions: HashMap<usize, Vec<(usize, f64, f64)>> =
            [(0, vec![(0, 100.0, 200.0)]), (1, vec![(0, 300.0, 200.0)])]
                .into_iter()
                .collect();
        let rel = [(0, 1, Relation::RespondsTo)];
        let free = routes(&rel, &positions, &[], BOUNDS);
        assert_eq!(free[0].crossings, 0);
        assert!(free[0].ctrl.1 < 200.0, "above by default");
        // Another event's label right where the arc above runs.
        let label = (2, Rect::new(150.0, 170.0, 100.0, 20.0));
        let routed = routes(&rel, &positions, &[label], BOUNDS);
        assert_eq!(routed[0].crossings, 0, "{:?}", routed[0]);
        assert!(routed[0].ctrl.1 > 200.0, "below instead");
        // The events' own labels are no obstacle.
        let own = (1, Rect::new(150.0, 170.0, 100.0, 20.0));
        assert!(routes(&rel, &positions, &[own], BOUNDS)[0].ctrl.1 < 200.0);
    }

    #[test]
    fn the_wider_search_goes_round_a_wall_of_labels() {
        // Source and target two rows apart, a label filling the whole width
        // between them above and below but the left end of the plot free:
        // every preferred arc crosses, one swinging out to the left does not.
        let positions: HashMap<usize, Vec<(usize, f64, f64)>> =
            [(0, vec![(0, 300.0, 200.0)]), (1, vec![(0, 320.0, 260.0)])]
                .into_iter()
                .collect();
        let rel = [(0, 1, Relation::RespondsTo)];
        let wall = [
            (2, Rect::new(200.0, 222.0, 750.0, 16.0)),
            (3, Rect::new(200.0, 120.0, 750.0, 16.0)),
            (4, Rect::new(200.0, 300.0, 750.0, 16.0)),
        ];
        let r = &routes(&rel, &positions, &wall, BOUNDS)[0];
        assert_eq!(r.crossings, 0, "{r:?}");
        assert!(r.ctrl.0 < 200.0, "round the labels' left ends: {r:?}");
        // Kept on the plot: with the plot starting at the labels, no arc
        // is free, and none leaves the plot.
        let r = &routes(&rel, &positions, &wall, (200.0, 0.0, 1000.0, 1000.0))[0];
        assert!(r.crossings > 0);
        let lowest_x = (0..=20)
            .map(|i| r.at(f64::from(i) / 20.0).0)
            .fold(f64::INFINITY, f64::min);
        assert!(lowest_x >= 199.0, "{r:?}");
    }
}
