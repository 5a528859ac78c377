//! The days an event covers, as the calendar-like exports place it.
//!
//! TimelineJS and iCalendar both need a start day, and cannot say "one day
//! between 1 and 10 Feb" or "before April": an event is placed over its
//! bounds, except that a one-of range is placed on its first possible day
//! ([`Span::drawn`]; never as an event that lasted the range), and whether
//! the placement is exact tells the export to say the date in words as
//! well.

use crate::date::{Date, Precision, Shape};
use chrono::{Datelike, NaiveDate};

/// Where an export places an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The first day.
    pub start: NaiveDate,
    /// The last day (inclusive); equal to `start` for one day.
    pub end: NaiveDate,
    /// Whether the days are the date itself: a day, or an interval of
    /// days, with no qualifier and both ends known. Otherwise the span is
    /// only the date's bounds (a month, "one day between", an open end, an
    /// approximate day) and the export says the date in words too.
    pub exact: bool,
    /// Only one side of the date is known (`[..2024-01-06]`,
    /// `2024-01-01/..`): the span is that one day.
    pub one_sided: bool,
    /// The event happened on one day of the span, which one unknown
    /// (`[2024-09-20..2024-12-31]`, EDTF's "one of a set").
    pub one_of: bool,
}

/// The span of `date`; `None` when neither end is known (`../..`).
pub fn span(date: &Date) -> Option<Span> {
    let (start, end, one_sided) = match (date.earliest(), date.latest()) {
        (Some(e), Some(l)) => (e, l, false),
        (Some(e), None) => (e, e, true),
        (None, Some(l)) => (l, l, true),
        (None, None) => return None,
    };
    let bounded_shape = match date.shape() {
        Shape::Point => true,
        Shape::Interval {
            start_open,
            end_open,
            start_unknown,
            end_unknown,
        } => !(start_open || end_open || start_unknown || end_unknown),
        Shape::OneOf | Shape::AllOf => false,
    };
    let exact = !one_sided
        && bounded_shape
        && date.qualifiers().is_empty()
        && matches!(date.precision(), Precision::Day | Precision::Time);
    Some(Span {
        start,
        end,
        exact,
        one_sided,
        one_of: matches!(date.shape(), Shape::OneOf),
    })
}

/// The coarsest calendar unit both ends of a span fall on the edges of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Year,
    Month,
    Day,
}

impl Span {
    /// The days a calendar-like export draws the event over: its span,
    /// except that a one-of range is drawn on its first possible day
    /// alone. Drawn over the span, "one day between 20 Sep and 31 Dec"
    /// would read as an event that lasted 103 days; no calendar can say
    /// "one of these days", so the export puts it on the first day it may
    /// have been and says the range in words (the span is not `exact`).
    pub fn drawn(&self) -> (NaiveDate, NaiveDate) {
        if self.one_of {
            (self.start, self.start)
        } else {
            (self.start, self.end)
        }
    }

    /// Whole years (1 Jan to 31 Dec), whole months, or days.
    pub fn unit(&self) -> Unit {
        let month_end = |d: NaiveDate| d.succ_opt().is_none_or(|n| n.month() != d.month());
        if self.start.ordinal() == 1 && self.end.month() == 12 && self.end.day() == 31 {
            Unit::Year
        } else if self.start.day() == 1 && month_end(self.end) {
            Unit::Month
        } else {
            Unit::Day
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(text: &str) -> Option<Span> {
        span(&Date::parse(text).unwrap())
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn days_and_intervals_of_days_are_exact() {
        let s = sp("2024-01-06").unwrap();
        assert_eq!(
            (s.start, s.end, s.exact),
            (d("2024-01-06"), d("2024-01-06"), true)
        );
        let s = sp("2024-04-08/2024-04-11").unwrap();
        assert_eq!(
            (s.start, s.end, s.exact),
            (d("2024-04-08"), d("2024-04-11"), true)
        );
        assert_eq!(s.unit(), Unit::Day);
    }

    #[test]
    fn imprecise_dates_span_their_bounds_and_are_not_exact() {
        let s = sp("2024-02").unwrap();
        assert_eq!(
            (s.start, s.end, s.exact),
            (d("2024-02-01"), d("2024-02-29"), false)
        );
        assert_eq!(s.unit(), Unit::Month);
        let s = sp("2023").unwrap();
        assert_eq!(s.unit(), Unit::Year);
        assert!(!sp("2024-01-06~").unwrap().exact);
        assert!(!sp("[2024-02-01..2024-02-10]").unwrap().exact);
        let s = sp("[..2024-01-06]").unwrap();
        assert_eq!(
            (s.start, s.end, s.one_sided),
            (d("2024-01-06"), d("2024-01-06"), true)
        );
        let s = sp("[2024-09-20..2024-12-31]").unwrap();
        assert_eq!((s.start, s.end), (d("2024-09-20"), d("2024-12-31")));
        assert_eq!(s.drawn(), (d("2024-09-20"), d("2024-09-20")));
        let s = sp("2024-04-08/2024-04-11").unwrap();
        assert_eq!(s.drawn(), (d("2024-04-08"), d("2024-04-11")));
        let s = sp("2024-01-01/..").unwrap();
        assert_eq!(
            (s.start, s.one_sided, s.exact),
            (d("2024-01-01"), true, false)
        );
    }
}
