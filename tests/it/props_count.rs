//! Property tests of the counting rule (`annals::count`): generated records
//! with random EDTF dates, random windows and bins, counted by
//! `count::table::count` and by a day-by-day model that knows nothing of
//! the rule's arithmetic.

use super::props::record;
use annals::chart::Bin;
use annals::count::groups::{By, Grouper};
use annals::count::table::count;
use annals::count::{Cell, Spans};
use annals::model::{Event, Record};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::select as pick;

fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Counts `e` in the days `first..=last` by walking them: possible when a
/// day of the span is in the event's range, certain when every day of the
/// range (both ends known) is among them.
fn model_meet(e: &Event, first: NaiveDate, last: NaiveDate) -> Cell {
    let (lo, hi) = (e.date.earliest(), e.date.latest());
    let mut inside = 0i64;
    let mut d = first;
    loop {
        if lo.is_none_or(|l| l <= d) && hi.is_none_or(|h| d <= h) {
            inside += 1;
        }
        match d.succ_opt() {
            Some(n) if n <= last => d = n,
            _ => break,
        }
    }
    let whole = match (lo, hi) {
        (Some(l), Some(h)) => (h - l).num_days() + 1 == inside,
        _ => false,
    };
    Cell {
        certain: usize::from(whole),
        possible: usize::from(inside > 0),
    }
}

/// A window near the record's dates (so that events meet it), and a bin.
fn case() -> BoxedStrategy<(Record, usize, i64, i64, Bin)> {
    (
        record(),
        any::<usize>(),
        -400..400i64,
        0..1200i64,
        pick(vec![
            Bin::Day,
            Bin::Week,
            Bin::Month,
            Bin::Quarter,
            Bin::Year,
        ]),
    )
        .boxed()
}

fn window_of(r: &Record, anchor: usize, offset: i64, len: i64) -> Option<(NaiveDate, NaiveDate)> {
    let base = if r.events.is_empty() {
        NaiveDate::from_ymd_opt(2024, 1, 1)
    } else {
        let e = &r.events[anchor % r.events.len()];
        e.date.earliest().or(e.date.latest())
    }
    .or(NaiveDate::from_ymd_opt(2024, 1, 1))?;
    let from = if offset < 0 {
        base.checked_sub_days(Days::new(offset.unsigned_abs()))?
    } else {
        base.checked_add_days(Days::new(offset as u64))?
    };
    Some((from, from.checked_add_days(Days::new(len as u64))?))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn counts_agree_with_a_day_by_day_model((r, anchor, offset, len, bin) in case()) {
        let Some((from, to)) = window_of(&r, anchor, offset, len) else {
            return Ok(());
        };
        let events: Vec<&Event> = r.events.iter().collect();
        let grouper = Grouper::new(&r, &[By::Kind], &[]);
        let t = count(&events, &grouper, Some((from, to)), Some(bin)).unwrap();
        let spans = t.spans.spans().to_vec();
        prop_assert_eq!(spans.first().map(|s| s.0), Some(from));
        prop_assert_eq!(spans.last().map(|s| s.1), Some(to));

        // The total row against the model, bin by bin and over the window.
        for (i, &(a, b)) in spans.iter().enumerate() {
            let mut want = Cell::default();
            for e in &events {
                let m = model_meet(e, a, b);
                want.certain += m.certain;
                want.possible += m.possible;
            }
            prop_assert_eq!(t.total.cells[i], want, "bin {} ({}..{})", i, a, b);
            prop_assert!(t.total.cells[i].certain <= t.total.cells[i].possible);
        }
        let mut want = Cell::default();
        for e in &events {
            let m = model_meet(e, from, to);
            want.certain += m.certain;
            want.possible += m.possible;
        }
        prop_assert_eq!(t.total.total, want, "the window");

        // Certain counts over the bins (a partition of the window) add up
        // to at most the events counted.
        let certain: usize = t.total.cells.iter().map(|c| c.certain).sum();
        prop_assert!(certain <= t.total.total.possible);

        // Every event that meets the window is possible in one of its bins:
        // count each alone.
        for e in &events {
            let one = count(&[*e], &grouper, Some((from, to)), Some(bin)).unwrap();
            if model_meet(e, from, to).possible == 1 {
                prop_assert!(one.total.cells.iter().any(|c| c.possible == 1), "{}", e.date.text());
            }
        }

        // Kinds partition the events: in each bin the rows add up to the total.
        for i in 0..spans.len() {
            let certain: usize = t.rows.iter().map(|row| row.cells[i].certain).sum();
            let possible: usize = t.rows.iter().map(|row| row.cells[i].possible).sum();
            prop_assert_eq!(Cell { certain, possible }, t.total.cells[i]);
        }
    }

    #[test]
    fn a_group_counts_an_event_once_however_many_keys_fold_into_it(
        (r, anchor, offset, len, bin) in case()
    ) {
        let Some((from, to)) = window_of(&r, anchor, offset, len) else {
            return Ok(());
        };
        let events: Vec<&Event> = r.events.iter().collect();
        // japan (0) holds japan-government and kishida-fumio.
        let grouper = Grouper::new(&r, &[By::Actor], &[0]);
        let t = count(&events, &grouper, Some((from, to)), Some(bin)).unwrap();
        for row in &t.rows {
            prop_assert!(row.key[0] != "kishida-fumio" && row.key[0] != "japan-government");
            for (c, all) in row.cells.iter().zip(&t.total.cells) {
                prop_assert!(c.certain <= c.possible);
                prop_assert!(c.possible <= all.possible && c.certain <= all.certain);
            }
        }
        // No group has more than the total: each event once per group.
        for row in &t.rows {
            prop_assert!(row.total.possible <= t.total.total.possible);
        }
    }

    #[test]
    fn spans_cover_the_window_without_gaps(a in 0i64..4000, len in 0i64..3000, bin in pick(vec![Bin::Day, Bin::Week, Bin::Month, Bin::Quarter, Bin::Year])) {
        let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(a as u64);
        let to = from + Days::new(len as u64);
        let s = Spans::new(from, to, Some(bin)).unwrap();
        prop_assert_eq!(s.window(), (from, to));
        for w in s.spans().windows(2) {
            prop_assert_eq!(w[0].1.succ_opt(), Some(w[1].0));
        }
        for &(a, b) in s.spans() {
            prop_assert!(a <= b);
        }
    }
}
