//! Why a date was refused, in words that quote it.

use std::fmt;

use edtf_core as edtf;

use super::calendar::{MONTH_NAMES, days_in_month};
use super::hint;

/// The forms a researcher most likely meant, shown when a date is not EDTF.
pub(super) const EXPECTED: &str = "expected an EDTF date such as 2024-01-06, 2024-02, 2024-02-05?, \
     2024-21 (spring), 2024-04-08/2024-04-11 or \"[2024-02-01..2024-02-10]\"";

const YEARS: &str = "annals only accepts years -9999..9999, written with four digits \
     (a diplomatic timeline has no use for others)";

/// A date that could not be parsed: what is wrong, quoting the text, and
/// when possible what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError {
    /// What is wrong, quoting the text: `"2024-02-30" is not a valid date:
    /// February 2024 has 29 days`.
    pub message: String,
    /// What to write instead, when there is something useful to say.
    pub help: Option<String>,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

impl DateError {
    fn new(text: &str, why: impl fmt::Display, help: Option<String>) -> Self {
        Self {
            message: format!("{} is not a valid date: {why}", quote(text)),
            help,
        }
    }

    fn expected(text: &str, why: impl fmt::Display) -> Self {
        Self::new(text, why, Some(EXPECTED.to_owned()))
    }
}

/// Quotes user text for a message: escaped, and cut short if very long.
fn quote(text: &str) -> String {
    const MAX: usize = 60;
    if text.len() <= MAX {
        return format!("{text:?}");
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{:?}...", &text[..end])
}

/// Refuses what edtf-core would accept but annals does not: `Y` years.
pub(super) fn precheck(text: &str) -> Result<(), DateError> {
    if text.trim().is_empty() {
        return Err(DateError {
            message: "the date is empty".to_owned(),
            help: Some(EXPECTED.to_owned()),
        });
    }
    if text.contains('Y') {
        // `MAY 8, 2018` is a human date, not a Y-prefixed year.
        if let Some(err) = human_form(text) {
            return Err(err);
        }
        return Err(DateError::new(
            text,
            format_args!("Y-prefixed years are not accepted: {YEARS}"),
            None,
        ));
    }
    Ok(())
}

/// Turns an edtf-core error into one that says what is wrong in the
/// researcher's terms. Runs only for bad dates, so it may take its time.
pub(super) fn from_edtf(text: &str, e: edtf::ParseError) -> DateError {
    if let Some(err) = human_form(text).or_else(|| common_slip(text)) {
        return err;
    }
    match e.message {
        "day is out of range for the month" => day_out_of_range(text, e.offset),
        "month must be 01-12 or a sub-year code 21-41" => {
            let month = text.get(e.offset..e.offset + 2).unwrap_or("");
            DateError::new(
                text,
                format_args!(
                    "month {month} does not exist: months are 01-12 \
                     (21-24 are seasons, 25-41 other parts of a year)"
                ),
                None,
            )
        }
        "interval end precedes interval start" => {
            let (start, end) = text.split_once('/').unwrap_or((text, ""));
            DateError::new(
                text,
                format_args!("interval end {end} is before its start {start}"),
                Some(format!("did you mean {end}/{start}?")),
            )
        }
        "set range end precedes range start" => {
            let element = member_at(text, e.offset);
            let (a, b) = element.split_once("..").unwrap_or((element, ""));
            DateError::new(
                text,
                format_args!("in the range {element}, the end {b} is before the start {a}"),
                None,
            )
        }
        other => DateError::expected(
            text,
            format_args!("{other} (at character {})", e.offset + 1),
        ),
    }
}

/// A date written the way people write them, with the EDTF text to write.
fn human_form(text: &str) -> Option<DateError> {
    hint::human_form(text).map(|h| DateError::new(text, h.why, Some(h.help)))
}

/// Recognizes mistakes worth their own message: typographic dashes, spaces,
/// lower-case letters, five-digit years and the ISO basic format.
fn common_slip(text: &str) -> Option<DateError> {
    if let Some(c) = text
        .chars()
        .find(|c| matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}'))
    {
        return Some(DateError::new(
            text,
            format_args!("it contains the dash {c:?}"),
            Some("use a plain hyphen - between parts and / between interval ends".to_owned()),
        ));
    }
    if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
        return Some(DateError::expected(
            text,
            format_args!("{c:?} is not a character EDTF uses"),
        ));
    }
    let trimmed = text.trim();
    if trimmed != text && edtf::is_valid(trimmed) {
        return Some(DateError::new(
            text,
            "it has spaces around it",
            Some(format!("write {trimmed}")),
        ));
    }
    if let Some(b) = text
        .bytes()
        .find(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        // Say what the character is: "a space" for ESC misleads.
        let what = match b {
            b' ' => "it contains a space".to_string(),
            b'\t' => "it contains a tab".to_string(),
            b'\n' | b'\r' => "it contains a line break".to_string(),
            b => format!("it contains a control character U+{b:04X}"),
        };
        return Some(DateError::expected(text, what));
    }
    let upper = text.to_ascii_uppercase();
    if upper != text && edtf::is_valid(&upper) {
        return Some(DateError::new(
            text,
            "EDTF letters (X, T, Z) are upper case",
            Some(format!("write {upper}")),
        ));
    }
    let longest_digit_run = text
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    if let Some(extended) = basic_to_extended(text) {
        return Some(DateError::new(
            text,
            "the ISO 8601 basic format (no separators) is not EDTF",
            Some(format!("write {extended}")),
        ));
    }
    if longest_digit_run > 4 {
        return Some(DateError::new(
            text,
            format_args!("a year has more than four digits: {YEARS}"),
            None,
        ));
    }
    None
}

/// `20050924` -> `2005-09-24`, `20050924T100000Z` -> `2005-09-24T10:00:00Z`,
/// when the result is valid EDTF.
fn basic_to_extended(text: &str) -> Option<String> {
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]);
    if let Some(time) = time {
        let digits = time
            .get(..6)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))?;
        let zone = &time[6..];
        out.push_str(&format!(
            "T{}:{}:{}{zone}",
            &digits[..2],
            &digits[2..4],
            &digits[4..]
        ));
    }
    edtf::is_valid(&out).then_some(out)
}

/// The date around byte `at`, cut at interval, set and time separators:
/// `2024-02-30` in `2024-01-06/2024-02-30`.
fn date_at(text: &str, at: usize) -> &str {
    let stop = |b: &u8| matches!(b, b'/' | b',' | b'[' | b']' | b'{' | b'}' | b'.' | b'T');
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = bytes[..at].iter().rposition(stop).map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(stop)
        .map_or(bytes.len(), |i| at + i);
    text.get(start..end).unwrap_or(text)
}

/// The set member around byte `at`: `2024..2023` in `[1999,2024..2023]`.
fn member_at(text: &str, at: usize) -> &str {
    let stop = |b: &u8| matches!(b, b',' | b'[' | b']' | b'{' | b'}');
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = bytes[..at].iter().rposition(stop).map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(stop)
        .map_or(bytes.len(), |i| at + i);
    text.get(start..end).unwrap_or(text)
}

/// `2024-02-30` -> "February 2024 has 29 days"; masked days and interval or
/// set members are named.
fn day_out_of_range(text: &str, at: usize) -> DateError {
    let part = date_at(text, at);
    let plain: String = part
        .chars()
        .filter(|c| !matches!(c, '?' | '~' | '%'))
        .collect();
    let (negative, rest) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.as_str()),
    };
    let mut fields = rest.splitn(3, '-');
    let (year, month, day) = (fields.next(), fields.next(), fields.next());
    let year: Option<i32> = year
        .and_then(|y| y.parse().ok())
        .map(|y: i32| if negative { -y } else { y });
    let month: Option<usize> = month.and_then(|m| m.parse().ok());
    let why = match (year, month) {
        (Some(y), Some(m @ 1..=12)) => {
            let name = MONTH_NAMES[m - 1];
            let days = days_in_month(y.into(), m as u8);
            match day {
                Some(d) if d.contains('X') => format!("no day of {name} {y} matches {d}"),
                _ => format!("{name} {y} has {days} days"),
            }
        }
        _ => format!("no calendar day matches {part}"),
    };
    let why = if part.len() == text.len() {
        why
    } else {
        format!("in {part}, {why}")
    };
    DateError::new(text, why, None)
}
