//! Counting events in calendar bins with the uncertainty of their dates
//! shown, never dropped and never invented.
//!
//! This is the one place the counting rule is written. An event's date is a
//! range of days, `[earliest, latest]`; an open or unknown side reaches as
//! far as it may. For a span of days (a bin, or the whole window):
//!
//! - **certain**: the event's whole range lies in the span (both ends known);
//! - **possible**: the event's range overlaps the span.
//!
//! Every certain event is also possible, an event is certain in at most one
//! of a set of disjoint spans, and an event that overlaps the window is
//! possible in at least one of its bins. `tests/it/props_count.rs` checks
//! [`Spans::reach`] against a day-by-day model.
//!
//! ```
//! use annals::count::{Meet, meet};
//! use chrono::NaiveDate;
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day);
//! // "2024-02" (1 to 29 February) in the bin February: certain.
//! assert_eq!(meet(d(2, 1), d(2, 29), d(2, 1).unwrap(), d(2, 29).unwrap()), Meet::Certain);
//! // In the bin 15 to 29 February: only possible.
//! assert_eq!(meet(d(2, 1), d(2, 29), d(2, 15).unwrap(), d(2, 29).unwrap()), Meet::Possible);
//! // An open end (`2024-01/..`) reaches every later bin, possibly.
//! assert_eq!(meet(d(1, 1), None, d(3, 1).unwrap(), d(3, 31).unwrap()), Meet::Possible);
//! ```

pub mod groups;
pub mod table;

use crate::chart::Bin;
use chrono::{Datelike, NaiveDate};

/// How an event's date range meets a span of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Meet {
    /// No day of the range is in the span.
    Outside,
    /// Some day of the range may be in the span.
    Possible,
    /// Every day of the range is in the span.
    Certain,
}

/// The rule: how the range `lo..=hi` (`None` = open or unknown, reaching
/// forever) meets the span `first..=last`.
pub fn meet(
    lo: Option<NaiveDate>,
    hi: Option<NaiveDate>,
    first: NaiveDate,
    last: NaiveDate,
) -> Meet {
    let overlaps = lo.is_none_or(|l| l <= last) && hi.is_none_or(|h| h >= first);
    match (lo, hi) {
        _ if !overlaps => Meet::Outside,
        (Some(l), Some(h)) if first <= l && h <= last => Meet::Certain,
        _ => Meet::Possible,
    }
}

/// A count with its uncertainty: `certain <= possible`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    pub certain: usize,
    pub possible: usize,
}

impl Cell {
    /// `3` when both counts agree, else `certain–possible` (an en dash).
    pub fn text(self) -> String {
        if self.certain == self.possible {
            self.certain.to_string()
        } else {
            format!("{}\u{2013}{}", self.certain, self.possible)
        }
    }
}

/// More bins than this is a usage error rather than a huge table.
pub const MAX_SPANS: usize = 5_000;

/// Too many bins for the window; the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooManyBins {
    pub bins: usize,
    pub bin: Bin,
}

impl std::fmt::Display for TooManyBins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the window holds more than {} {}s; choose a coarser --bin or a narrower --from/--to",
            self.bins,
            self.bin.noun()
        )
    }
}

impl std::error::Error for TooManyBins {}

/// The spans of days counts are made over: the calendar bins that meet a
/// window, each clipped to it (so a window from 15 January makes the first
/// month bin 15 to 31 January), or the window itself when there are no bins.
/// Consecutive, ascending, covering the window without gaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spans {
    bin: Option<Bin>,
    spans: Vec<(NaiveDate, NaiveDate)>,
}

/// Which spans an event's range reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// The first and last span the range overlaps.
    pub first: usize,
    pub last: usize,
    /// The span holding the whole range, if one does.
    pub certain: Option<usize>,
    /// Whether the whole range lies in the window.
    pub inside: bool,
}

impl Spans {
    /// The spans of `bin` over `from..=to` (swapped if backwards), or the
    /// window as one span when `bin` is `None`.
    ///
    /// # Errors
    ///
    /// More than [`MAX_SPANS`] bins.
    pub fn new(from: NaiveDate, to: NaiveDate, bin: Option<Bin>) -> Result<Spans, TooManyBins> {
        let (from, to) = if to < from { (to, from) } else { (from, to) };
        let Some(b) = bin else {
            return Ok(Spans {
                bin,
                spans: vec![(from, to)],
            });
        };
        let starts = b.starts(from, to, MAX_SPANS + 1);
        if starts.len() > MAX_SPANS {
            return Err(TooManyBins {
                bins: MAX_SPANS,
                bin: b,
            });
        }
        let spans = starts
            .iter()
            .map(|&s| (s.max(from), b.last_day(s).min(to)))
            .collect();
        Ok(Spans { bin, spans })
    }

    pub fn bin(&self) -> Option<Bin> {
        self.bin
    }

    /// Each span's first and last day.
    pub fn spans(&self) -> &[(NaiveDate, NaiveDate)] {
        &self.spans
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The window's first and last day.
    pub fn window(&self) -> (NaiveDate, NaiveDate) {
        let first = self.spans.first().map_or(NaiveDate::MIN, |s| s.0);
        let last = self.spans.last().map_or(NaiveDate::MIN, |s| s.1);
        (first, last)
    }

    /// What the range `lo..=hi` reaches, or `None` when it misses the
    /// window. Logarithmic in the number of spans.
    pub fn reach(&self, lo: Option<NaiveDate>, hi: Option<NaiveDate>) -> Option<Reach> {
        let (wfirst, wlast) = self.window();
        if self.spans.is_empty() || meet(lo, hi, wfirst, wlast) == Meet::Outside {
            return None;
        }
        let first = lo.map_or(0, |l| self.spans.partition_point(|s| s.1 < l));
        let last = hi.map_or(self.spans.len() - 1, |h| {
            self.spans.partition_point(|s| s.0 <= h).saturating_sub(1)
        });
        let certain = (first == last
            && meet(lo, hi, self.spans[first].0, self.spans[first].1) == Meet::Certain)
            .then_some(first);
        Some(Reach {
            first,
            last,
            certain,
            inside: meet(lo, hi, wfirst, wlast) == Meet::Certain,
        })
    }

    /// A short name of span `i`: `2024-W05`, `2024-02`, `2024-Q1`, `2024`,
    /// or `from..to` for the window itself.
    pub fn label(&self, i: usize) -> String {
        let Some(&(first, last)) = self.spans.get(i) else {
            return String::new();
        };
        match self.bin {
            None => format!("{first}..{last}"),
            Some(b) => bin_label(b, b.start_of(first)),
        }
    }
}

/// A short, sortable name of the calendar bin starting at `start`:
/// `2024-01-06` (day), `2024-W05` (ISO week), `2024-02`, `2024-Q1`, `2024`.
pub fn bin_label(bin: Bin, start: NaiveDate) -> String {
    let year = |y: i32| {
        if y < 0 {
            format!("-{:04}", -y)
        } else {
            format!("{y:04}")
        }
    };
    match bin {
        Bin::Day => format!(
            "{}-{:02}-{:02}",
            year(start.year()),
            start.month(),
            start.day()
        ),
        Bin::Week => {
            let w = start.iso_week();
            format!("{}-W{:02}", year(w.year()), w.week())
        }
        Bin::Month => format!("{}-{:02}", year(start.year()), start.month()),
        Bin::Quarter => format!("{}-Q{}", year(start.year()), start.month0() / 3 + 1),
        Bin::Year => year(start.year()),
    }
}

/// Certain and possible counts per group and span, accumulated event by
/// event in constant time per event and group (possible counts are kept as
/// differences and summed once at the end).
#[derive(Debug, Clone)]
pub struct Tally {
    n: usize,
    groups: Vec<Acc>,
}

#[derive(Debug, Clone)]
struct Acc {
    certain: Vec<usize>,
    /// `possible[i] = sum(diff[..=i])`.
    diff: Vec<isize>,
    total: Cell,
}

impl Tally {
    /// An empty tally over `spans` spans.
    pub fn new(spans: usize) -> Tally {
        Tally {
            n: spans,
            groups: Vec::new(),
        }
    }

    /// A new group, its counts zero; returns its number.
    pub fn add_group(&mut self) -> usize {
        self.groups.push(Acc {
            certain: vec![0; self.n],
            diff: vec![0; self.n + 1],
            total: Cell::default(),
        });
        self.groups.len() - 1
    }

    pub fn groups(&self) -> usize {
        self.groups.len()
    }

    /// Counts one event with reach `r` in group `g`. Call at most once per
    /// event and group.
    pub fn add(&mut self, g: usize, r: &Reach) {
        let acc = &mut self.groups[g];
        acc.diff[r.first] += 1;
        acc.diff[r.last + 1] -= 1;
        if let Some(c) = r.certain {
            acc.certain[c] += 1;
        }
        acc.total.possible += 1;
        acc.total.certain += usize::from(r.inside);
    }

    /// Group `g`'s cells, one per span, and its count over the whole window.
    pub fn cells(&self, g: usize) -> (Vec<Cell>, Cell) {
        let acc = &self.groups[g];
        let mut run = 0isize;
        let cells = (0..self.n)
            .map(|i| {
                run += acc.diff[i];
                Cell {
                    certain: acc.certain[i],
                    possible: run.max(0) as usize,
                }
            })
            .collect();
        (cells, acc.total)
    }

    /// Group `g`'s count over the whole window.
    pub fn total(&self, g: usize) -> Cell {
        self.groups[g].total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn bins_are_clipped_to_the_window() {
        let s = Spans::new(d("2024-01-15"), d("2024-03-10"), Some(Bin::Month)).unwrap();
        assert_eq!(
            s.spans(),
            [
                (d("2024-01-15"), d("2024-01-31")),
                (d("2024-02-01"), d("2024-02-29")),
                (d("2024-03-01"), d("2024-03-10")),
            ]
        );
        assert_eq!(s.label(0), "2024-01");
    }

    #[test]
    fn a_range_across_two_bins_is_possible_in_both_and_certain_in_none() {
        let s = Spans::new(d("2024-01-01"), d("2024-12-31"), Some(Bin::Month)).unwrap();
        let r = s
            .reach(Some(d("2024-01-20")), Some(d("2024-02-10")))
            .unwrap();
        assert_eq!((r.first, r.last, r.certain, r.inside), (0, 1, None, true));
        let r = s
            .reach(Some(d("2024-02-01")), Some(d("2024-02-29")))
            .unwrap();
        assert_eq!((r.first, r.last, r.certain), (1, 1, Some(1)));
    }

    #[test]
    fn open_ends_reach_every_bin_on_their_side() {
        let s = Spans::new(d("2024-01-01"), d("2024-12-31"), Some(Bin::Quarter)).unwrap();
        let r = s.reach(Some(d("2024-05-01")), None).unwrap();
        assert_eq!((r.first, r.last, r.certain, r.inside), (1, 3, None, false));
        let r = s.reach(None, None).unwrap();
        assert_eq!((r.first, r.last), (0, 3));
        assert_eq!(s.reach(Some(d("2025-01-01")), None), None);
    }

    #[test]
    fn a_tally_sums_its_differences() {
        let s = Spans::new(d("2024-01-01"), d("2024-12-31"), Some(Bin::Quarter)).unwrap();
        let mut t = Tally::new(s.len());
        let g = t.add_group();
        t.add(
            g,
            &s.reach(Some(d("2024-02-01")), Some(d("2024-05-01")))
                .unwrap(),
        );
        t.add(
            g,
            &s.reach(Some(d("2024-02-01")), Some(d("2024-02-03")))
                .unwrap(),
        );
        let (cells, total) = t.cells(g);
        let text: Vec<String> = cells.iter().map(|c| c.text()).collect();
        assert_eq!(text, ["1\u{2013}2", "0\u{2013}1", "0", "0"]);
        assert_eq!(
            total,
            Cell {
                certain: 2,
                possible: 2
            }
        );
    }

    #[test]
    fn labels_sort_and_name_iso_weeks() {
        assert_eq!(bin_label(Bin::Week, d("2024-12-30")), "2025-W01");
        assert_eq!(bin_label(Bin::Quarter, d("2024-04-01")), "2024-Q2");
        assert_eq!(bin_label(Bin::Year, d("0044-01-01")), "0044");
    }
}
