//! The first pass: where every lane, row, label, density bin and legend
//! entry goes. Nothing here touches SVG.

use super::*;

/// Events per job when their marks are placed on the pool.
const GEO_CHUNK: usize = 4096;

/// Whether `e` falls before the window, after it, or in it (`geo`'s
/// answer without the marks: it depends on the window's days alone).
fn side(e: &Event, s: &TimeScale) -> Place {
    if e.date.latest().is_some_and(|h| h < s.start) {
        Place::Before
    } else if e.date.earliest().is_some_and(|l| l > s.end) {
        Place::After
    } else {
        Place::In(())
    }
}

pub(super) fn geo(e: &Event, s: &TimeScale) -> Place<Geo> {
    let (lo_d, hi_d) = (e.date.earliest(), e.date.latest());
    match side(e, s) {
        Place::Before => return Place::Before,
        Place::After => return Place::After,
        Place::In(_) => {}
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
    // An open or unknown end is a short stub with its arrowhead, not a bar
    // to the window's edge: "continues, nobody knows how far".
    let (lo, hi, fade) = match (lo_d, hi_d) {
        (None, Some(_)) if !arrow_hi => ((hi - STUB).max(lo), hi, (true, false)),
        (Some(_), None) if !arrow_lo => (lo, (lo + STUB).min(hi), (false, true)),
        _ => (lo, hi, (false, false)),
    };
    let day_given = lo_d.is_some() && lo_d == hi_d;
    // The marker: solid on a day the record gives (a day, or the first day
    // of an interval that starts in the window); otherwise hollow, crossed
    // by the range, in the middle of what is drawn of it, and only where
    // it leaves the "continues" arrowheads clear. Never clamped or moved.
    let (mx, glyph) = match geom {
        Geom::Point | Geom::Halo if day_given => (lo_d.map(|d| s.x_mid(d)), Glyph::Day),
        Geom::Bar if exact && !arrow_lo => (Some(lo), Glyph::Day),
        _ => {
            let mid = (lo + hi) / 2.0;
            let clear = |edge_arrow: bool, room: f64| !edge_arrow || room >= R + ARROW + 2.0;
            if clear(arrow_lo, mid - lo) && clear(arrow_hi, hi - mid) {
                (Some(mid), Glyph::Hollow)
            } else {
                (None, Glyph::Bar)
            }
        }
    };
    let span = match (lo_d, hi_d) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    };
    // An uncertain day's dotted ring reaches further than a marker.
    let reach = if geom == Geom::Halo && e.date.qualifiers().uncertain {
        R + 7.5
    } else {
        R + 1.5
    };
    let ext = match mx {
        Some(m) => (lo.min(m - reach), hi.max(m + reach)),
        None => (lo, hi.max(lo + 1.0)),
    };
    let (arrow_lo, arrow_hi) = if glyph == Glyph::Day && geom != Geom::Bar {
        (false, false)
    } else {
        (arrow_lo, arrow_hi)
    };
    let quals = e.date.qualifiers();
    Place::In(Geo {
        fade_lo: fade.0,
        fade_hi: fade.1,
        approximate: quals.approximate,
        uncertain: quals.uncertain,
        geom,
        lo,
        hi,
        arrow_lo,
        arrow_hi,
        mx,
        glyph,
        ext,
        span,
    })
}

/// Puts items in rows: each item's marks and label in one row, neither
/// touching a neighbour's. A label goes left-aligned above its marks, or
/// right-aligned when it would run past `limit`; labels are shortened where
/// the rows run out. `labels[k]` is the full label of `items[k]`. `None`
/// when even the marks need more than `max_rows` rows.
pub(super) fn pack(
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
    for (it, label) in items.iter_mut().zip(labels) {
        let (x0, x1) = it.geo.ext;
        let full = text::width(label, LABEL_SIZE, false);
        let (start, end, label_x) = if x0 + full <= limit {
            (x0, x1.max(x0 + full), x0)
        } else if x1 - full >= left {
            let lx = x0.min(x1 - full);
            (lx, x1, lx)
        } else if x1 - left > limit - x0 {
            // Too long either way: shortened, on the side with more room.
            (left, x1, left)
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
    for ((it, start), label) in items.iter_mut().zip(starts).zip(labels).rev() {
        let right = if it.label_x < it.geo.ext.0 {
            it.geo.ext.1
        } else {
            next_start[it.row] - GAP
        };
        let room = right - it.label_x;
        it.label = if room >= MIN_LABEL {
            text::fit(label, room, LABEL_SIZE, false).map(|c| c.into_owned())
        } else {
            None
        };
        next_start[it.row] = start;
    }
    Some(rows.len().max(1))
}

/// The window's first and last day, which side of it each event is on,
/// and the lanes, ranked by what they show in the window rather than over
/// the whole selection (a 3-week chart of a 17-year record).
fn window_and_lanes(
    record: &Record,
    events: &[&Event],
    opts: &Options,
    by: LaneBy,
    palette: &Palette,
) -> (NaiveDate, NaiveDate, Vec<Place>, Vec<lanes::Lane>) {
    let (start, end) = window(events, opts);
    let provisional = TimeScale::new(start, end, 0.0, 1.0);
    // Which side of the window each event is on depends on the window's
    // days only, so the provisional scale gives the final answer; only
    // the side is kept (a mark's geometry per event is a tenth of the
    // record's size).
    let places0: Vec<Place> = crate::par::map_chunked(events, GEO_CHUNK, |e| side(e, &provisional));
    let in_window: Vec<bool> = places0.iter().map(|p| matches!(p, Place::In(_))).collect();
    let lanes = lanes::build_with(
        record,
        events,
        by,
        palette,
        lanes::Choice {
            counted: &in_window,
            pinned: &opts.pinned,
            roles: &opts.roles,
        },
    );
    (start, end, places0, lanes)
}

pub(super) fn plan<'a>(
    record: &Record,
    events: &'a [&'a Event],
    opts: &Options,
    palette: &Palette,
) -> Plan<'a> {
    let width = opts.width.clamp(320, 20_000);
    let w = f64::from(width);
    let by = opts.lanes.unwrap_or(LaneBy::Actor);
    // The events' timeline positions (for ties at one x) and kinds' ranks
    // depend on nothing else here: worked out beside the window and lanes.
    let ((start, end, places0, lanes), (position, ranks)) = crate::par::join(
        || window_and_lanes(record, events, opts, by, palette),
        || {
            let position = crate::query::timeline_positions(events);
            // Each event's kind, by rank, for density bars in kind colours.
            let ranks: Vec<usize> = events.iter().map(|e| palette.rank(&e.kind)).collect();
            (position, ranks)
        },
    );

    let longest = lanes
        .iter()
        .map(|l| text::width(&text::clean(&l.name), LANE_FONT, false))
        .fold(0.0, f64::max);
    // A lane that may show density writes its counts under its name.
    let note = if lanes.iter().any(|l| l.events.len() > CROWDED_EVENTS) {
        text::width("max 9999 per quarter", 10.0, false)
    } else {
        0.0
    };
    let label_col = (longest.max(note) + 28.0).clamp(90.0, (w * 0.22).max(90.0));

    // Off-chart counts need gutters; found with the provisional scale.
    let gutter_lo = places0.iter().any(|p| matches!(p, Place::Before));
    let gutter_hi = places0.iter().any(|p| matches!(p, Place::After));
    let x0 = label_col + if gutter_lo { GUTTER } else { 8.0 };
    let x1 = w - if gutter_hi { GUTTER + 8.0 } else { 24.0 };
    let scale = TimeScale::new(start, end, x0, x1.max(x0 + 40.0));
    let places: Vec<Place<Geo>> = crate::par::map_chunked(events, GEO_CHUNK, |e| geo(e, &scale));
    let label_limit = if gutter_hi { scale.x1 } else { w - 8.0 };
    let ticks = scale::ticks(&scale, TICK_FONT, w);
    let minor = scale::minor_ticks(&scale, TICK_FONT, w);
    let bin = opts.bin.unwrap_or_else(|| Bin::auto(scale.days()));
    // Each lane is planned on its own, so lanes are planned on the pool.
    let build = |max_rows: usize| -> Vec<LanePlan> {
        crate::par::map(&lanes, |lane| {
            let (mut before, mut after) = (0, 0);
            let mut order: Vec<(f64, usize)> = Vec::new();
            for &i in &lane.events {
                match &places[i] {
                    Place::Before => before += 1,
                    Place::After => after += 1,
                    Place::In(g) => order.push((g.ext.0, i)),
                }
            }
            let in_window = order.len();
            // A lane too crowded to draw event by event shows density
            // only: its bins count events in any order, so it is neither
            // sorted nor made into items (the merged lane of a large
            // record holds most of its events).
            if in_window > DENSITY_EVENTS {
                let spans: Vec<_> = order
                    .iter()
                    .filter_map(|&(_, i)| match &places[i] {
                        Place::In(g) => Some((g.span, i)),
                        _ => None,
                    })
                    .collect();
                // In bins coarse enough to hold most of the events'
                // whole dates.
                let mut b = bin;
                let (mut bins, mut spread, mut kinds) = density_bins(&spans, &scale, b, &ranks);
                while spread * 2 > in_window && b != Bin::Year {
                    b = b.coarser();
                    (bins, spread, kinds) = density_bins(&spans, &scale, b, &ranks);
                }
                return LanePlan {
                    name: lane.name.clone(),
                    items: Vec::new(),
                    rows: 0,
                    before,
                    after,
                    density: Some(bins),
                    density_kinds: kinds,
                    spread,
                    in_window,
                    top: 0.0,
                    height: 0.0,
                };
            }
            // Sorted as small (x, event) pairs, the items made after: an
            // item is a tenth of a kilobyte, and moving items was most of
            // a 100,000-event chart's sort.
            order.sort_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then_with(|| position[a.1].cmp(&position[b.1]))
            });
            let mut items: Vec<Item> = order
                .iter()
                .filter_map(|&(_, i)| match &places[i] {
                    Place::In(g) => Some(Item {
                        ev: i,
                        geo: g.clone(),
                        row: 0,
                        label: None,
                        label_x: g.ext.0,
                    }),
                    _ => None,
                })
                .collect();
            let labels: Vec<String> = items
                .iter()
                .map(|it| text::clean(&events[it.ev].title).into_owned())
                .collect();
            let packed = pack(&mut items, &labels, max_rows, scale.x0, label_limit);
            let spans: Vec<_> = items.iter().map(|it| (it.geo.span, it.ev)).collect();
            let (bins, spread, kinds) = density_bins(&spans, &scale, bin, &ranks);
            // Crowded labels alone switch a lane to density only when
            // density can show most of its events: bars that leave
            // out most of them (ranges over several bins) would say
            // less than the shortened labels.
            let (rows, density, spread, kinds) = match packed {
                Some(rows) if !(illegible(&items, &labels) && spread * 2 <= in_window) => {
                    (rows, None, 0, Vec::new())
                }
                _ => {
                    // Too many to draw (the marks need more rows than
                    // there are) or too crowded to read: density, in bins
                    // coarse enough to hold most of the events' whole
                    // dates.
                    let (mut bins, mut spread, mut kinds, mut b) = (bins, spread, kinds, bin);
                    if packed.is_none() {
                        while spread * 2 > in_window && b != Bin::Year {
                            b = b.coarser();
                            (bins, spread, kinds) = density_bins(&spans, &scale, b, &ranks);
                        }
                    }
                    items.clear();
                    (0, Some(bins), spread, kinds)
                }
            };
            LanePlan {
                name: lane.name.clone(),
                items,
                rows,
                before,
                after,
                density,
                density_kinds: kinds,
                spread,
                in_window,
                top: 0.0,
                height: 0.0,
            }
        })
    };

    let relations = if opts.relations {
        relations_of(events)
    } else {
        Vec::new()
    };
    // Density is decided by crowding alone: a height asked for never
    // changes it (a chart that does not fit is refused by the caller).
    let mut lane_plans = build(MAX_ROWS);
    // A lane with nothing in the window is left out (its events are in the
    // subtitle's count of those not shown), unless every lane is empty.
    if lane_plans.iter().any(|l| l.in_window > 0) {
        lane_plans.retain(|l| l.in_window > 0);
    }
    // Density bars keep their kinds' colours while those are few enough to
    // tell apart (the six palette colours); more would be confetti, and the
    // bars stay grey.
    let dense_kinds: BTreeSet<usize> = lane_plans
        .iter()
        .flat_map(|l| l.density_kinds.iter().flatten().map(|k| k.0))
        .collect();
    let kind_colors = dense_kinds.len() <= palette::OKABE_ITO.len();
    if !kind_colors {
        for lp in &mut lane_plans {
            lp.density_kinds.clear();
        }
    }
    let density_note = format!(
        "crowded lane: events per {} that holds their whole date{}, {}",
        bin.noun(),
        if kind_colors { ", in kind colours" } else { "" },
        if opts.density_per_lane {
            "each lane on its own scale"
        } else {
            "one scale"
        }
    );
    let (legend_entries, captions, legend_h) = legend(
        &lane_plans,
        events,
        palette,
        &relations,
        (bin, &density_note),
        w,
    );

    // A chart taller than it is wide repeats the time axis above the
    // lanes, so the top lanes can be read without running an eye down.
    let lanes_h: f64 = lane_plans.iter().map(lane_height).sum();
    let top_axis = lanes_h > w;
    let lanes_top = HEADER_H + if top_axis { TOP_AXIS_H } else { 0.0 };
    let mut y = lanes_top;
    for lp in &mut lane_plans {
        lp.top = y;
        lp.height = lane_height(lp);
        y += lp.height;
    }
    let lanes_bottom = y;
    let height = (lanes_bottom + AXIS_H + legend_h + 12.0).ceil() as u32;
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
            positions
                .entry(it.ev)
                .or_default()
                .push((li, it.geo.anchor(), y));
        }
    }
    let routes = super::route::routes(
        &relations,
        &positions,
        &super::route::obstacles(&lane_plans),
        (
            scale.x0,
            lane_plans.first().map_or(0.0, |l| l.top),
            scale.x1,
            lane_plans.last().map_or(0.0, |l| l.top + l.height),
        ),
    );
    let mut warnings = Vec::new();
    let crossing = routes.iter().filter(|r| r.crossings > 0).count();
    if crossing > 0 {
        warnings.push(format!(
            "{crossing} of {} relation arrows cross another event's label or marker on every route tried; \
             a wider --size or fewer lanes (--roles, a filter) may help",
            routes.len()
        ));
    }
    let density_max = lane_plans
        .iter()
        .filter_map(|l| l.density.as_ref())
        .flat_map(|b| b.iter().map(|(_, c)| *c))
        .max()
        .unwrap_or(0);

    let shown = places0.iter().filter(|p| matches!(p, Place::In(_))).count();
    let before = places0
        .iter()
        .filter(|p| matches!(p, Place::Before))
        .count();
    let after = places0.iter().filter(|p| matches!(p, Place::After)).count();
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Timeline of events".into());
    let lane_word = match by {
        LaneBy::Actor if opts.roles.is_empty() => "one lane per actor".to_string(),
        LaneBy::Actor => {
            let names: Vec<&str> = opts.roles.iter().map(|r| r.as_str()).collect();
            format!("one lane per actor, as {}", names.join(" or "))
        }
        LaneBy::Kind => "one lane per kind".to_string(),
        LaneBy::Country => "one lane per country".to_string(),
        LaneBy::None => "all events in one lane".to_string(),
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
        top_axis,
        lanes_bottom,
        bin,
        density_max,
        density_per_lane: opts.density_per_lane,
        legend: legend_entries,
        captions,
        relations,
        routes,
        warnings,
        events,
        gutter_lo,
        gutter_hi,
    }
}

pub(super) fn lane_height(lp: &LanePlan) -> f64 {
    if lp.density.is_some() {
        DENSITY_H
    } else {
        LANE_PAD * 2.0 + lp.rows.max(1) as f64 * ROW_H
    }
}

/// Whether a packed lane is too crowded to read: more than
/// [`CROWDED_EVENTS`] events, most of them with a shortened label or none.
/// Such a lane shows density instead; a smaller one keeps its markers.
fn illegible(items: &[Item], labels: &[String]) -> bool {
    if items.len() <= CROWDED_EVENTS {
        return false;
    }
    let cut = items
        .iter()
        .zip(labels)
        .filter(|(it, label)| it.label.as_deref() != Some(label.as_str()))
        .count();
    cut * 2 > items.len()
}

/// A density lane's bins with their counts, how many events no bin holds,
/// and per bin its (kind rank, count) pairs.
pub(super) type Density = (Vec<(NaiveDate, usize)>, usize, Vec<Vec<(usize, usize)>>);

/// Bin starts and counts for a density lane, and how many events were not
/// counted because no one bin holds their whole date (a range over several
/// bins, an open side): counting them at some day would invent one.
/// And per bin the counts of each kind (by its rank in `ranks`, indexed by
/// event), in rank order, for bars in kind colours. `spans` holds each of
/// the lane's events in the window, in any order: its whole date span
/// (`None`: an open or unknown end) and its index in the selection.
pub(super) fn density_bins(
    spans: &[(Option<(NaiveDate, NaiveDate)>, usize)],
    s: &TimeScale,
    bin: Bin,
    ranks: &[usize],
) -> Density {
    let mut bin = bin;
    let mut starts = bin.starts(s.start, s.end, 2001);
    // Too fine for the window: coarsen.
    while starts.len() > 2000 || (s.x1 - s.x0) / (starts.len().max(1) as f64) < 2.0 {
        bin = bin.coarser();
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
    let mut kinds: Vec<Vec<(usize, usize)>> = vec![Vec::new(); starts.len()];
    let mut spread = 0;
    // Each bin's last day worked out once, not once an event (calendar
    // arithmetic per event was half of a crowded lane's bins).
    let lasts: Vec<NaiveDate> = starts.iter().map(|&b| bin.last_day(b)).collect();
    for &(span, ev) in spans {
        let whole = span.and_then(|(a, z)| {
            let i = starts.partition_point(|&b| b <= a).checked_sub(1)?;
            (z <= lasts[i]).then_some(i)
        });
        match whole.filter(|&i| i < counts.len()) {
            Some(i) => {
                counts[i] += 1;
                if let Some(&r) = ranks.get(ev) {
                    match kinds[i].iter_mut().find(|k| k.0 == r) {
                        Some(k) => k.1 += 1,
                        None => kinds[i].push((r, 1)),
                    }
                }
            }
            None => spread += 1,
        }
    }
    for k in &mut kinds {
        k.sort_unstable();
    }
    (starts.into_iter().zip(counts).collect(), spread, kinds)
}

pub(super) fn relations_of(events: &[&Event]) -> Vec<(usize, usize, Relation)> {
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
pub(super) fn legend(
    lanes: &[LanePlan],
    events: &[&Event],
    palette: &Palette,
    relations: &[(usize, usize, Relation)],
    (bin, density_note): (Bin, &str),
    w: f64,
) -> (Vec<LegendEntry>, Vec<(String, f64, f64)>, f64) {
    let mut kinds: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut notes: BTreeSet<Notation> = BTreeSet::new();
    for lp in lanes {
        if lp.density.is_some() {
            notes.insert(Notation::Density);
            // Density bars are in their kinds' colours.
            for &(rank, _) in lp.density_kinds.iter().flatten() {
                if let Some(k) = palette.kinds().get(rank) {
                    kinds.insert((rank, k.id.clone()));
                }
            }
        }
        if lp.before + lp.after > 0 {
            notes.insert(Notation::OffChart);
        }
        for it in &lp.items {
            let e = events[it.ev];
            kinds.insert((palette.style(&e.kind).rank, e.kind.to_string()));
            notes.insert(match it.geo.geom {
                Geom::Point => Notation::Point,
                Geom::Halo if !it.geo.approximate => Notation::Uncertain,
                Geom::Halo => Notation::Halo,
                Geom::Bar => Notation::Bar,
                Geom::Range => Notation::Range,
            });
            if it.geo.geom == Geom::Halo && it.geo.approximate && it.geo.uncertain {
                notes.insert(Notation::Uncertain);
            }
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
    // Only the relations drawn: both ends have a marker (not a density lane).
    let marked: BTreeSet<usize> = lanes
        .iter()
        .flat_map(|lp| lp.items.iter().map(|it| it.ev))
        .collect();
    for (_, _, r) in relations
        .iter()
        .filter(|(a, b, _)| marked.contains(a) && marked.contains(b))
    {
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
                LegendGlyph::Notation(Notation::Density) => density_note.to_string(),
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
                LegendGlyph::Notation(Notation::Uncertain) => 24.0,
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
