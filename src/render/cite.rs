//! What the reference exports (CSL-JSON, BibTeX) share: which sources to
//! write, and a record date as the year-month-day parts citation formats
//! hold.

use crate::date::{Date, Shape};
use crate::model::{Event, Record, Source, SourceRef};
use chrono::Datelike;
use std::collections::HashSet;

/// The named sources cited by `events`, or every source with `all`, in
/// record order (file order, then list order) so the output is stable.
/// Inline sources have no key and are not references: they stay in the
/// timeline's text.
pub fn selected_sources<'r>(record: &'r Record, events: &[&Event], all: bool) -> Vec<&'r Source> {
    if all {
        return record.sources.iter().collect();
    }
    let cited: HashSet<&str> = events
        .iter()
        .flat_map(|e| &e.sources)
        .filter_map(|r| match r {
            SourceRef::Id { source, .. } => Some(source.as_str()),
            SourceRef::Inline { .. } => None,
        })
        .collect();
    record
        .sources
        .iter()
        .filter(|s| cited.contains(s.id.as_str()))
        .collect()
}

/// A date as citation formats hold it: one or two points of one to three
/// parts (year, month, day), a season, and whether it is approximate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParts {
    pub from: Vec<i32>,
    pub to: Option<Vec<i32>>,
    /// 1 spring, 2 summer, 3 autumn, 4 winter (CSL `season`).
    pub season: Option<u8>,
    /// Marked uncertain or approximate (CSL `circa`).
    pub circa: bool,
    /// The parts say everything the EDTF text says. When false, writers
    /// keep the text too (CSL `raw`), so an import gets the date back.
    pub exact: bool,
}

/// The parts of `d`: its own year, month and day where it is a plain date
/// or interval of plain dates (EDTF precision kept: `2024-02` stays a
/// month); otherwise the bounds of the days it may fall on, marked inexact.
/// `None` when no day is known at all (`../..`).
pub fn date_parts(d: &Date) -> Option<DateParts> {
    let circa = !d.qualifiers().is_empty();
    let plain: String = d
        .text()
        .chars()
        .filter(|c| !matches!(c, '?' | '~' | '%'))
        .collect();
    let own = match d.shape() {
        Shape::Point => point(&plain).map(|(from, season, timed)| DateParts {
            from,
            to: None,
            season,
            circa,
            exact: !circa && !timed,
        }),
        Shape::Interval { .. } => plain.split_once('/').and_then(|(a, b)| {
            let (from, s1, t1) = point(a)?;
            let (to, s2, t2) = point(b)?;
            (s1.is_none() && s2.is_none()).then_some(DateParts {
                from,
                to: Some(to),
                season: None,
                circa,
                exact: !circa && !t1 && !t2,
            })
        }),
        Shape::OneOf | Shape::AllOf => None,
    };
    own.or_else(|| {
        let day = |x: chrono::NaiveDate| vec![x.year(), x.month() as i32, x.day() as i32];
        let (from, to) = match (d.earliest(), d.latest()) {
            (Some(e), Some(l)) if e == l => (day(e), None),
            (Some(e), Some(l)) => (day(e), Some(day(l))),
            (Some(x), None) | (None, Some(x)) => (day(x), None),
            (None, None) => return None,
        };
        Some(DateParts {
            from,
            to,
            season: None,
            circa,
            exact: false,
        })
    })
}

/// A plain EDTF point `[-]YYYY[-MM[-DD]][Thh:mm:ss...]`: its parts, its
/// season (months 21-24) and whether a time of day was dropped. `None` for
/// anything else (unspecified digits, exponents, other sub-year codes).
fn point(s: &str) -> Option<(Vec<i32>, Option<u8>, bool)> {
    let (date, timed) = match s.split_once('T') {
        Some((d, _)) => (d, true),
        None => (s, false),
    };
    let (neg, body) = match date.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    let mut fields = body.split('-');
    let year = fields.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut parts = vec![if neg { -1 } else { 1 } * year.parse::<i32>().ok()?];
    let mut season = None;
    for (i, f) in fields.enumerate() {
        if f.len() != 2 || !f.bytes().all(|b| b.is_ascii_digit()) || i > 1 {
            return None;
        }
        let n: i32 = f.parse().ok()?;
        match (i, n) {
            (0, 1..=12) => parts.push(n),
            (0, 21..=24) => season = Some((n - 20) as u8),
            (1, 1..=31) if season.is_none() => parts.push(n),
            _ => return None,
        }
    }
    Some((parts, season, timed))
}

/// Parts as EDTF text: `2024`, `2024-02`, `2024-02-05`, `-0044`.
pub fn parts_text(parts: &[i32]) -> String {
    let mut out = match parts.first() {
        Some(y) if *y < 0 => format!("-{:04}", -y),
        Some(y) => format!("{y:04}"),
        None => String::new(),
    };
    for p in parts.iter().skip(1) {
        out.push_str(&format!("-{p:02}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Option<DateParts> {
        date_parts(&Date::parse(text).unwrap())
    }

    #[test]
    fn plain_dates_keep_their_precision() {
        let p = parts("2024-02").unwrap();
        assert_eq!((p.from, p.to, p.exact), (vec![2024, 2], None, true));
        let p = parts("2024").unwrap();
        assert_eq!(p.from, vec![2024]);
        let p = parts("2024-04-08/2024-04-11").unwrap();
        assert_eq!(
            (p.from, p.to, p.exact),
            (vec![2024, 4, 8], Some(vec![2024, 4, 11]), true)
        );
    }

    #[test]
    fn qualified_seasons_and_sets_are_marked() {
        let p = parts("2024-02~").unwrap();
        assert!(p.circa && !p.exact);
        assert_eq!(p.from, vec![2024, 2]);
        let p = parts("2024-21").unwrap();
        assert_eq!((p.from, p.season, p.exact), (vec![2024], Some(1), true));
        let p = parts("[2024-03-25..2024-03-31]").unwrap();
        assert_eq!(
            (p.from, p.to, p.exact),
            (vec![2024, 3, 25], Some(vec![2024, 3, 31]), false)
        );
        let p = parts("2024-XX").unwrap();
        assert_eq!(
            (p.from, p.to, p.exact),
            (vec![2024, 1, 1], Some(vec![2024, 12, 31]), false)
        );
        let p = parts("2024-02/..").unwrap();
        assert_eq!((p.from, p.to, p.exact), (vec![2024, 2, 1], None, false));
    }

    #[test]
    fn parts_read_back_as_the_same_text() {
        for t in ["2024", "2024-02", "2024-02-05", "-0044-03-15"] {
            let p = parts(t).unwrap();
            assert_eq!(parts_text(&p.from), t);
        }
    }
}
