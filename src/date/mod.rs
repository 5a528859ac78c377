//! EDTF dates: parse, bounds, ordering, labels.
//!
//! An event's `date:` is an EDTF string (ISO 8601-2:2019 Annex A, levels 0-2,
//! as published by the Library of Congress). [`Date::parse`] checks it once
//! and keeps the text as written together with what the rest of annals asks
//! of a date: its earliest and latest calendar day, precision, qualifiers,
//! shape and EDTF level. [`Date::label`] says what the date means in words.
//!
//! The grammar itself is parsed by the `edtf-core` crate; this module is the
//! only place that names it (see `docs/dates.md`, "Why edtf-core").
//!
//! ```
//! use annals::date::{Date, Precision};
//!
//! let d = Date::parse("2024-02~").unwrap();
//! assert_eq!(d.earliest().unwrap().to_string(), "2024-02-01");
//! assert_eq!(d.latest().unwrap().to_string(), "2024-02-29");
//! assert_eq!(d.precision(), Precision::Month);
//! assert_eq!(d.label(), "Feb 2024 (approx.)");
//! ```
//!
//! Invariants:
//! - parsing never panics, whatever the input;
//! - a [`Date`] owns its text and a few small copies of derived facts, and
//!   nothing else: no parse tree is kept, [`Date::label`] parses again;
//! - years are limited to -9999..9999 (a winter of 9999 ends in 10000).

mod calendar;
mod error;
mod hint;
mod label;

use std::cmp::Ordering;
use std::fmt;

use chrono::NaiveDate;
use edtf_core as edtf;

/// English month names, January first, for labels and headings.
pub use calendar::{MONTH_ABBREVS, MONTH_NAMES, days_in_month};
pub use error::DateError;
pub use label::push_decimal;

/// The EDTF text to write for a date written the human or spreadsheet way
/// (`March 8, 2018` → `2018-03-08`), when the form says which: the same
/// recognition as the `invalid-date` help (`hint.rs`). `None` for EDTF
/// itself, for what is not recognised, and for an ambiguous `07/08/2018`.
pub fn edtf_for_human(text: &str) -> Option<String> {
    if Date::parse(text).is_ok() {
        return None;
    }
    hint::human_form(text).and_then(|h| h.edtf)
}

/// An EDTF date as written in a record, with its bounds and properties.
///
/// Two dates are equal when their texts are equal; `2024-02` and
/// `2024-02-01/2024-02-29` are different dates with the same bounds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    // Inline up to 24 bytes: nearly every date, so no heap allocation.
    text: compact_str::CompactString,
    earliest: Option<NaiveDate>,
    latest: Option<NaiveDate>,
    precision: Precision,
    qualifiers: Qualifiers,
    shape: Shape,
    level: u8,
}

/// The granularity a date is known to.
///
/// For a single date it is the unit of the last leading component that is
/// fully known: `2024-02-XX` is a month, `201X` a decade, `156X-12-25` a
/// decade too (its year is the coarsest unknown). Intervals and sets whose
/// members differ report [`Precision::Mixed`].
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
pub enum Precision {
    /// Date and time of day, `2024-01-06T10:30:00+09:00`.
    Time,
    /// A calendar day, `2024-01-06`.
    Day,
    /// A calendar month, `2024-02`.
    Month,
    /// A season, codes 21-24: `2024-21` is spring 2024.
    Season,
    /// Another part of a year, codes 25-41: hemisphere seasons, quarters,
    /// thirds and halves (`2024-34` is the second quarter).
    SubYear,
    /// A year, `2024`; also `2024-XX` (some month of 2024).
    Year,
    /// A decade, `201X` or `2010S3`.
    Decade,
    /// A century, `20XX` or `1950S2`.
    Century,
    /// A millennium, `1XXX`.
    Millennium,
    /// The year itself is unspecified, `XXXX-12-25`.
    Unknown,
    /// Members of an interval or set with different precisions.
    Mixed,
}

impl Precision {
    /// Returns the stable lowercase name used in JSON output.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Time => "time",
            Self::Day => "day",
            Self::Month => "month",
            Self::Season => "season",
            Self::SubYear => "subyear",
            Self::Year => "year",
            Self::Decade => "decade",
            Self::Century => "century",
            Self::Millennium => "millennium",
            Self::Unknown => "unknown",
            Self::Mixed => "mixed",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether any part of a date is marked uncertain (`?`, `%`) or approximate
/// (`~`, `%`).
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash,
)]
pub struct Qualifiers {
    /// Some part is marked `?` or `%`.
    pub uncertain: bool,
    /// Some part is marked `~` or `%`.
    pub approximate: bool,
}

impl Qualifiers {
    /// Returns true when neither flag is set.
    pub const fn is_empty(self) -> bool {
        !self.uncertain && !self.approximate
    }

    /// Returns the set flags by stable name: `uncertain` before `approximate`.
    pub fn as_strs(self) -> &'static [&'static str] {
        match (self.uncertain, self.approximate) {
            (false, false) => &[],
            (true, false) => &["uncertain"],
            (false, true) => &["approximate"],
            (true, true) => &["uncertain", "approximate"],
        }
    }
}

/// What kind of expression a date is.
///
/// A [`Shape::Point`] and a [`Shape::OneOf`] set both mean "happened once,
/// somewhere in the bounds"; a [`Shape::Interval`] means "lasted the whole
/// span"; an [`Shape::AllOf`] set means "on every member".
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// One date, possibly of reduced precision or with a time of day.
    Point,
    /// `start/end`. An open side (`..`, or `..date` at the start, `date..` at
    /// the end) is unbounded; an unknown side (empty) is not known.
    Interval {
        /// The start is `..` or `..date`: earliest is unbounded.
        start_open: bool,
        /// The end is `..` or `date..`: latest is unbounded.
        end_open: bool,
        /// The start is empty (`/2024`).
        start_unknown: bool,
        /// The end is empty (`2024/`).
        end_unknown: bool,
    },
    /// `[..]`: exactly one of the members, not known which.
    OneOf,
    /// `{..}`: every one of the members.
    AllOf,
}

impl Shape {
    /// Returns the stable lowercase name used in JSON output.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Point => "point",
            Self::Interval { .. } => "interval",
            Self::OneOf => "one-of",
            Self::AllOf => "all-of",
        }
    }
}

impl Date {
    /// Parses an EDTF date, keeping the text exactly as written.
    ///
    /// # Errors
    ///
    /// A [`DateError`] quoting the text when it is not EDTF, names a day that
    /// does not exist (`2024-02-30`), is an interval whose end is before its
    /// start, or uses a year outside -9999..9999 (the `Y` forms).
    pub fn parse(text: &str) -> Result<Self, DateError> {
        error::precheck(text)?;
        let parsed = edtf::Edtf::parse(text).map_err(|e| error::from_edtf(text, e))?;
        let bounds = parsed.bounds();
        let (precision, shape) = match &parsed {
            edtf::Edtf::Date(d) => (date_precision(d), Shape::Point),
            edtf::Edtf::DateTime(_) => (Precision::Time, Shape::Point),
            edtf::Edtf::Interval(iv) => interval_facts(iv),
            edtf::Edtf::Set(s) => set_facts(s),
        };
        Ok(Self {
            text: text.into(),
            earliest: day(bounds.earliest),
            latest: day(bounds.latest),
            precision,
            qualifiers: Qualifiers {
                uncertain: parsed.is_uncertain(),
                approximate: parsed.is_approximate(),
            },
            shape,
            level: parsed.level(),
        })
    }

    /// Returns the date exactly as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns the first calendar day the date can fall on; `None` when the
    /// start is open (`..`) or unknown (empty).
    pub const fn earliest(&self) -> Option<NaiveDate> {
        self.earliest
    }

    /// Returns the last calendar day the date can fall on; `None` when the
    /// end is open (`..`) or unknown (empty).
    pub const fn latest(&self) -> Option<NaiveDate> {
        self.latest
    }

    /// Returns the granularity the date is known to.
    pub const fn precision(&self) -> Precision {
        self.precision
    }

    /// Returns whether any part is uncertain or approximate.
    pub const fn qualifiers(&self) -> Qualifiers {
        self.qualifiers
    }

    /// Returns the kind of expression: point, interval or set.
    pub const fn shape(&self) -> Shape {
        self.shape
    }

    /// Returns the lowest EDTF level (0, 1 or 2) that can express the date.
    pub const fn level(&self) -> u8 {
        self.level
    }

    /// Returns what the date means, in words, for timelines: `6 Jan 2024`,
    /// `8-11 Apr 2024`, `one day between 1 and 10 Feb 2024`.
    ///
    /// The label is built on demand, so call it when rendering, not in a
    /// sort key. The forms are listed in `docs/dates.md`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        self.write_label(&mut out);
        out
    }

    /// Appends [`Date::label`] to `out`.
    ///
    /// Plain `YYYY-MM-DD`, `YYYY-MM` and `YYYY`, qualified as a whole or
    /// not, and intervals between two of them, nearly every date of a
    /// record, are written straight from their digits; the rest parse the
    /// text again (a 100,000-event timeline spent 17% of its instructions
    /// re-parsing plain days). `tests::plain_labels_match_the_parsed_ones`
    /// holds the two ways to the same words.
    pub fn write_label(&self, out: &mut String) {
        if !label::plain(self.text.as_bytes(), out) {
            out.push_str(&self.parsed_label());
        }
    }

    /// The label from the parsed text, whatever its form.
    fn parsed_label(&self) -> String {
        match edtf::Edtf::parse(&self.text) {
            Ok(parsed) => label::label(&parsed),
            // Unreachable: the text was parsed when the Date was made.
            Err(_) => self.text.to_string(),
        }
    }
}

impl Ord for Date {
    /// Orders by earliest day (unbounded or unknown first), then latest day
    /// (unbounded or unknown last), then text.
    fn cmp(&self, other: &Self) -> Ordering {
        let late = |d: &Self| (d.latest.is_none(), d.latest);
        self.earliest
            .cmp(&other.earliest)
            .then_with(|| late(self).cmp(&late(other)))
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    /// Writes the date exactly as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        Self::parse(text)
    }
}

impl serde::Serialize for Date {
    /// Serializes as the text as written (JSON output); in a binary format
    /// (the parse cache, src/cache/) as every field, so that reading it
    /// back needs no parse.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return serializer.serialize_str(&self.text);
        }
        serde::Serialize::serialize(
            &DateFields {
                text: self.text.clone(),
                earliest: self
                    .earliest
                    .map(|d| chrono::Datelike::num_days_from_ce(&d)),
                latest: self.latest.map(|d| chrono::Datelike::num_days_from_ce(&d)),
                precision: self.precision,
                qualifiers: self.qualifiers,
                shape: self.shape,
                level: self.level,
            },
            serializer,
        )
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    /// The text, parsed; in a binary format the fields [`Date::serialize`]
    /// wrote.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let text = <String as serde::Deserialize>::deserialize(d)?;
            return Date::parse(&text).map_err(|e| serde::de::Error::custom(e.to_string()));
        }
        let f = <DateFields as serde::Deserialize>::deserialize(d)?;
        let day = |n: Option<i32>| match n {
            None => Ok(None),
            Some(n) => NaiveDate::from_num_days_from_ce_opt(n)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("day out of range")),
        };
        Ok(Date {
            text: f.text,
            earliest: day(f.earliest)?,
            latest: day(f.latest)?,
            precision: f.precision,
            qualifiers: f.qualifiers,
            shape: f.shape,
            level: f.level,
        })
    }
}

/// A [`Date`]'s fields as the parse cache keeps them. The bounds are day
/// numbers (`num_days_from_ce`), not chrono's own serde form: that is a
/// text, and parsing it back was a quarter of a warm command's work.
#[derive(serde::Serialize, serde::Deserialize)]
struct DateFields {
    text: compact_str::CompactString,
    earliest: Option<i32>,
    latest: Option<i32>,
    precision: Precision,
    qualifiers: Qualifiers,
    shape: Shape,
    level: u8,
}

/// Converts an edtf-core bound to a calendar day; infinite and unknown
/// bounds (and, defensively, days chrono cannot hold) become `None`.
fn day(bound: edtf::Bound) -> Option<NaiveDate> {
    match bound {
        edtf::Bound::Date(d) => NaiveDate::from_ymd_opt(
            i32::try_from(d.year).ok()?,
            u32::from(d.month),
            u32::from(d.day),
        ),
        _ => None,
    }
}

fn date_precision(d: &edtf::Date) -> Precision {
    let coarse = |hidden: usize| match hidden {
        0 => Precision::Year,
        1 => Precision::Decade,
        2 => Precision::Century,
        3 => Precision::Millennium,
        _ => Precision::Unknown,
    };
    match d.year.kind {
        edtf::YearKind::Standard { digits, .. } => {
            if let Some(first_x) = digits.iter().position(Option::is_none) {
                return coarse(4 - first_x);
            }
        }
        // Refused before this point; a year is the honest answer anyway.
        _ => return Precision::Year,
    }
    if let Some(significant) = d.year.significant_digits {
        return coarse(4usize.saturating_sub(significant as usize));
    }
    let Some(month) = d.month else {
        return Precision::Year;
    };
    match month.value() {
        None => Precision::Year,
        Some(21..=24) => Precision::Season,
        Some(25..) => Precision::SubYear,
        Some(_) => match d.day {
            Some(day) if !day.has_unspecified() => Precision::Day,
            _ => Precision::Month,
        },
    }
}

/// Folds member precisions: equal ones stay, different ones are mixed.
fn combine(acc: Option<Precision>, next: Precision) -> Option<Precision> {
    match acc {
        Some(p) if p != next => Some(Precision::Mixed),
        _ => Some(next),
    }
}

fn endpoint_date(end: &edtf::IntervalEndpoint) -> Option<&edtf::Date> {
    match end {
        edtf::IntervalEndpoint::Date(d)
        | edtf::IntervalEndpoint::OnOrBefore(d)
        | edtf::IntervalEndpoint::OnOrAfter(d) => Some(d),
        edtf::IntervalEndpoint::Open | edtf::IntervalEndpoint::Unknown => None,
    }
}

fn interval_facts(iv: &edtf::Interval) -> (Precision, Shape) {
    use edtf::IntervalEndpoint as E;
    let precision = [&iv.start, &iv.end]
        .into_iter()
        .filter_map(endpoint_date)
        .map(date_precision)
        .fold(None, combine)
        .unwrap_or(Precision::Mixed);
    let shape = Shape::Interval {
        start_open: matches!(iv.start, E::Open | E::OnOrBefore(_)),
        end_open: matches!(iv.end, E::Open | E::OnOrAfter(_)),
        start_unknown: matches!(iv.start, E::Unknown),
        end_unknown: matches!(iv.end, E::Unknown),
    };
    (precision, shape)
}

fn set_facts(s: &edtf::Set) -> (Precision, Shape) {
    let precision = s
        .elements
        .iter()
        .map(|e| match e {
            edtf::SetElement::Date(d)
            | edtf::SetElement::OnOrBefore(d)
            | edtf::SetElement::OnOrAfter(d)
            | edtf::SetElement::Range(d, _) => date_precision(d),
        })
        .fold(None, combine)
        .unwrap_or(Precision::Mixed);
    let shape = match s.kind {
        edtf::SetKind::OneMember => Shape::OneOf,
        edtf::SetKind::AllMembers => Shape::AllOf,
    };
    (precision, shape)
}

#[cfg(test)]
mod tests;
