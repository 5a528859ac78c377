//! A table of counts: one row per group, one cell per bin, with totals.

use super::groups::Grouper;
use super::{Cell, Spans, Tally, TooManyBins};
use crate::chart::Bin;
use crate::index::FastMap;
use crate::model::Event;
use chrono::NaiveDate;

/// Counts of events per group and bin, with a total row (each event once,
/// however many groups it is in) and a total column (the whole window).
#[derive(Debug, Clone)]
pub struct CountTable {
    /// The spans counted over; with no bin, the window as one span.
    pub spans: Spans,
    /// Whether the window came from anywhere: `false` when no event has a
    /// known day and no --from/--to was given, so there is nothing to bin.
    pub dated: bool,
    /// Rows by total (possible, then certain) descending, then key.
    pub rows: Vec<Row>,
    pub total: Row,
    /// Events counted that have an open or unknown start or end.
    pub open: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// One part per column of the grouping dimensions; empty for the total.
    pub key: Vec<String>,
    /// One per span.
    pub cells: Vec<Cell>,
    /// Over the whole window.
    pub total: Cell,
}

/// The window to count over: the given sides, the others from the events'
/// known days (widened to whole bins). `None` when neither gives a day.
pub fn window(
    events: &[&Event],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    bin: Option<Bin>,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut lo: Option<NaiveDate> = None;
    let mut hi: Option<NaiveDate> = None;
    for e in events {
        for d in [e.date.earliest(), e.date.latest()].into_iter().flatten() {
            lo = Some(lo.map_or(d, |l| l.min(d)));
            hi = Some(hi.map_or(d, |h| h.max(d)));
        }
    }
    let lo = from.or_else(|| lo.map(|l| bin.map_or(l, |b| b.start_of(l))));
    let hi = to.or_else(|| hi.map(|h| bin.map_or(h, |b| b.last_day(b.start_of(h)))));
    match (lo, hi) {
        (Some(l), Some(h)) => Some((l.min(h), h.max(l))),
        (Some(d), None) | (None, Some(d)) => Some((d, d)),
        (None, None) => None,
    }
}

/// Counts `events` in the groups `grouper` finds, over `window` (see
/// [`window`]) cut into `bin`s.
///
/// # Errors
///
/// The window holds too many bins.
pub fn count<'r>(
    events: &[&'r Event],
    grouper: &Grouper<'r>,
    window: Option<(NaiveDate, NaiveDate)>,
    bin: Option<Bin>,
) -> Result<CountTable, TooManyBins> {
    let dated = window.is_some();
    let spans = match window {
        Some((from, to)) => Spans::new(from, to, bin)?,
        // Nothing to place the events in time: one span of all days, where
        // every event is possible and none certain.
        None => Spans::new(NaiveDate::MIN, NaiveDate::MAX, None)?,
    };
    let mut tally = Tally::new(spans.len());
    let all = tally.add_group();
    let mut index: FastMap<Vec<&'r str>, usize> = FastMap::default();
    let mut keys: Vec<Vec<&'r str>> = Vec::new();
    let mut open = 0;
    for e in events {
        let (lo, hi) = (e.date.earliest(), e.date.latest());
        let Some(reach) = spans.reach(lo, hi) else {
            continue;
        };
        tally.add(all, &reach);
        open += usize::from(lo.is_none() || hi.is_none());
        for g in grouper.groups(e) {
            let i = match index.get(&g) {
                Some(&i) => i,
                None => {
                    let i = tally.add_group();
                    index.insert(g.clone(), i);
                    keys.push(g);
                    i
                }
            };
            tally.add(i, &reach);
        }
    }
    let row = |g: usize, key: Vec<String>| {
        let (cells, total) = tally.cells(g);
        Row { key, cells, total }
    };
    let mut rows: Vec<Row> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| row(i + 1, k.iter().map(|s| (*s).to_string()).collect()))
        .collect();
    rows.sort_by(|a, b| {
        (b.total.possible, b.total.certain)
            .cmp(&(a.total.possible, a.total.certain))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(CountTable {
        spans,
        dated,
        rows,
        total: row(all, Vec::new()),
        open,
    })
}
