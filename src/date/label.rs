//! Labels: what a date means, in words, for timelines.
//!
//! Every form and its label is listed in `docs/dates.md`. Ranges use a
//! plain hyphen without spaces (`8-11 Apr 2024`); phrases that an unspaced
//! hyphen would make ambiguous use words (`from .. to ..`).

use std::fmt::Write as _;

use edtf_core as edtf;

use super::calendar::{MONTH_ABBREVS, days_in_month};

/// The label of a parsed expression.
pub(super) fn label(parsed: &edtf::Edtf) -> String {
    match parsed {
        edtf::Edtf::Date(d) => date(d),
        edtf::Edtf::DateTime(dt) => date_time(dt),
        edtf::Edtf::Interval(iv) => interval(iv),
        edtf::Edtf::Set(s) => set(s),
    }
}

fn month_name(m: u8) -> &'static str {
    MONTH_ABBREVS
        .get(usize::from(m).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// A fully specified, unqualified-or-not date without masks or sub-year
/// codes: what compact ranges are made of.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Plain {
    year: i64,
    month: Option<u8>,
    day: Option<u8>,
}

impl Plain {
    fn of(d: &edtf::Date) -> Option<Self> {
        let edtf::YearKind::Standard { .. } = d.year.kind else {
            return None;
        };
        if d.year.significant_digits.is_some() {
            return None;
        }
        let year = d.year.value()?;
        let month = match d.month {
            None => None,
            Some(m) => Some(m.value().filter(|v| (1..=12).contains(v))?),
        };
        let day = match d.day {
            None => None,
            Some(f) => Some(f.value()?),
        };
        Some(Self { year, month, day })
    }

    const fn unit(self) -> &'static str {
        match (self.month, self.day) {
            (_, Some(_)) => "day",
            (Some(_), None) => "month",
            (None, None) => "year",
        }
    }

    fn write(self, out: &mut String) {
        if let Some(d) = self.day {
            push_number(out, i64::from(d));
            out.push(' ');
        }
        if let Some(m) = self.month {
            out.push_str(month_name(m));
            out.push(' ');
        }
        push_number(out, self.year);
    }

    fn text(self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// Appends `n` in decimal: what `write!(out, "{n}")` gives, without the
/// formatting machinery, which was most of the cost of a plain label.
pub(super) fn push_number(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_decimal(out, n.unsigned_abs());
}

/// Appends `n` in decimal, as `write!` would, without the formatting
/// machinery: for numbers written once per event of a large record.
pub fn push_decimal(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut rest = n;
    let mut at = digits.len();
    loop {
        at -= 1;
        // A digit is below 10, so the cast keeps it whole.
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // ASCII digits: one copy of the run, not a push per character.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// `a` to `b` with the shared tail written once: `8-11 Apr 2024`,
/// `29 Feb-2 Mar 2024`, `Dec 2023-Jan 2024`, `1964-2008`.
fn compact(a: Plain, b: Plain, sep: &str) -> String {
    if a == b {
        return a.text();
    }
    let sep = if sep == "-" && (a.year < 0 || b.year < 0) {
        " to "
    } else {
        sep
    };
    let same_shape = a.month.is_some() == b.month.is_some() && a.day.is_some() == b.day.is_some();
    let mut out = String::new();
    if same_shape && a.year == b.year && a.month.is_some() {
        if let (Some(da), Some(db), true) = (a.day, b.day, a.month == b.month) {
            let _ = write!(out, "{da}{sep}{db} {} ", month_name(a.month.unwrap_or(0)));
        } else {
            if let Some(da) = a.day {
                let _ = write!(out, "{da} ");
            }
            out.push_str(month_name(a.month.unwrap_or(0)));
            out.push_str(sep);
            if let Some(db) = b.day {
                let _ = write!(out, "{db} ");
            }
            out.push_str(month_name(b.month.unwrap_or(0)));
            out.push(' ');
        }
        let _ = write!(out, "{}", a.year);
        return out;
    }
    a.write(&mut out);
    out.push_str(sep);
    b.write(&mut out);
    out
}

// ------------------------------------------------------------ plain digits

/// Writes the label of a date in plain digits to `out` straight from its
/// text, without the parser, and says whether it did: four year digits,
/// optionally a month `01`-`12` and a day, optionally one qualifier for
/// the whole date (`~`, `?`, `%`); or an interval between two such dates
/// without qualifiers. Every other text (`false`) is labelled from its
/// parse. Only a text that parsed gets here, so its days exist; the words
/// are those of [`date`] and [`interval`] for the same forms
/// (`tests::plain_labels_match_the_parsed_ones`).
pub(super) fn plain(text: &[u8], out: &mut String) -> bool {
    if let Some(slash) = text.iter().position(|&b| b == b'/') {
        let (a, b) = (&text[..slash], &text[slash + 1..]);
        return match (plain_digits(a), plain_digits(b)) {
            (Some(pa), Some(pb)) => {
                out.push_str(&compact(pa, pb, "-"));
                true
            }
            _ => false,
        };
    }
    let (digits, suffix) = match text.split_last() {
        Some((b'~', head)) => (head, " (approx.)"),
        Some((b'?', head)) => (head, " (uncertain)"),
        Some((b'%', head)) => (head, " (approx., uncertain)"),
        _ => (text, ""),
    };
    match plain_digits(digits) {
        Some(p) => {
            p.write(out);
            out.push_str(suffix);
            true
        }
        None => false,
    }
}

/// `YYYY`, `YYYY-MM` (a month 1-12) or `YYYY-MM-DD`, as a [`Plain`].
fn plain_digits(text: &[u8]) -> Option<Plain> {
    let number = |b: &[u8]| {
        b.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let two = |b: &[u8]| number(b).and_then(|n| u8::try_from(n).ok());
    let (year, month, day) = match text {
        [_, _, _, _] => (text, None, None),
        [y0, y1, y2, y3, b'-', m0, m1] => (&[*y0, *y1, *y2, *y3][..], Some([*m0, *m1]), None),
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => (
            &[*y0, *y1, *y2, *y3][..],
            Some([*m0, *m1]),
            Some([*d0, *d1]),
        ),
        _ => return None,
    };
    let month = match month {
        Some(m) => Some(two(&m).filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let day = match day {
        Some(d) => Some(two(&d)?),
        None => None,
    };
    Some(Plain {
        year: number(year)?,
        month,
        day,
    })
}

// ------------------------------------------------------------ qualifiers

/// ` (approx.)`, ` (uncertain)`, ` (approx., uncertain)` when the whole date
/// is qualified alike; otherwise the parts: ` (year and month approx.)`,
/// ` (day approx.; year uncertain)`.
fn qualifier_suffix(d: &edtf::Date) -> String {
    let parts = [
        ("year", Some(d.year.qualifier)),
        ("month", d.month.map(|m| m.qualifier)),
        ("day", d.day.map(|f| f.qualifier)),
    ];
    let present = parts.iter().filter_map(|(name, q)| q.map(|q| (*name, q)));
    let mut approx = Vec::new();
    let mut uncertain = Vec::new();
    let mut count = 0;
    for (name, q) in present {
        count += 1;
        if q.approximate {
            approx.push(name);
        }
        if q.uncertain {
            uncertain.push(name);
        }
    }
    let whole = |names: &[&str]| names.len() == count;
    match (approx.is_empty(), uncertain.is_empty()) {
        (true, true) => String::new(),
        _ if whole(&approx) && whole(&uncertain) => " (approx., uncertain)".to_owned(),
        (false, true) if whole(&approx) => " (approx.)".to_owned(),
        (true, false) if whole(&uncertain) => " (uncertain)".to_owned(),
        _ if approx == uncertain => format!(" ({} approx., uncertain)", approx.join(" and ")),
        _ => {
            let mut groups = Vec::new();
            if !approx.is_empty() {
                groups.push(format!("{} approx.", approx.join(" and ")));
            }
            if !uncertain.is_empty() {
                groups.push(format!("{} uncertain", uncertain.join(" and ")));
            }
            format!(" ({})", groups.join("; "))
        }
    }
}

// ------------------------------------------------------------ single dates

fn date(d: &edtf::Date) -> String {
    let mut out = date_core(d);
    out.push_str(&qualifier_suffix(d));
    out
}

/// The candidates a two-digit field with `X` digits allows, within `range`.
fn candidates(field: edtf::DateField, range: std::ops::RangeInclusive<u8>) -> Vec<u8> {
    range
        .filter(|v| {
            field.digits[0].is_none_or(|p| p == v / 10)
                && field.digits[1].is_none_or(|p| p == v % 10)
        })
        .collect()
}

/// `10-19`, `Oct-Dec`, or `1, 11, 21 or 31`.
fn alternatives(values: &[u8], name: impl Fn(u8) -> String) -> String {
    let (Some(&first), Some(&last)) = (values.first(), values.last()) else {
        return String::new();
    };
    if usize::from(last - first) + 1 == values.len() {
        if first == last {
            return name(first);
        }
        return format!("{}-{}", name(first), name(last));
    }
    let names: Vec<String> = values.iter().map(|v| name(*v)).collect();
    match names.split_last() {
        Some((tail, head)) => format!("{} or {tail}", head.join(", ")),
        None => String::new(),
    }
}

/// The label without qualifiers.
fn date_core(d: &edtf::Date) -> String {
    let edtf::YearKind::Standard { digits, .. } = d.year.kind else {
        return fallback(d);
    };
    if let Some(code) = d.month.and_then(|m| m.value()).filter(|v| *v >= 21) {
        return match d.year.value() {
            Some(y) => sub_year(code, y),
            None => fallback(d),
        };
    }
    match d.year.value() {
        Some(y) => match d.year.significant_digits {
            Some(s) => significant(y, s),
            None => known_year(d, y),
        },
        None => masked_year(d, digits),
    }
}

/// Stand-in for combinations too odd to phrase: `some day matching 2024-XX-13`.
fn fallback(d: &edtf::Date) -> String {
    let unit = match (d.month.is_some(), d.day.is_some()) {
        (_, true) => "day",
        (true, false) => "month",
        (false, false) => "year",
    };
    format!("some {unit} matching {}", unqualified(d))
}

/// The date written again without qualifiers.
fn unqualified(d: &edtf::Date) -> String {
    let mut out = String::new();
    if let edtf::YearKind::Standard { negative, digits } = d.year.kind {
        if negative {
            out.push('-');
        }
        for digit in digits {
            out.push(digit.map_or('X', |v| char::from(b'0' + v)));
        }
    }
    for field in [d.month, d.day].into_iter().flatten() {
        out.push('-');
        for digit in field.digits {
            out.push(digit.map_or('X', |v| char::from(b'0' + v)));
        }
    }
    out
}

/// `1950S2`: `1900-1999 (est. 1950)`.
fn significant(y: i64, s: u32) -> String {
    let width = 10i64.pow(4u32.saturating_sub(s).min(4));
    if width == 1 {
        return y.to_string();
    }
    let lo = y - y.rem_euclid(width);
    let span = if width == 10 {
        format!("{lo}s")
    } else {
        format!("{lo}-{}", lo + width - 1)
    };
    format!("{span} (est. {y})")
}

fn known_year(d: &edtf::Date, y: i64) -> String {
    let Some(month) = d.month else {
        return y.to_string();
    };
    if let Some(m) = month.value() {
        let Some(day) = d.day else {
            return format!("{} {y}", month_name(m));
        };
        if let Some(dd) = day.value() {
            return format!("{dd} {} {y}", month_name(m));
        }
        let days = candidates(day, 1..=days_in_month(y, m));
        if days.len() == 1 {
            return format!("{} {} {y}", days[0], month_name(m));
        }
        if !day.has_unspecified() || day.digits == [None, None] {
            return format!("some day of {} {y}", month_name(m));
        }
        let list = alternatives(&days, |v| v.to_string());
        return if list.contains(" or ") {
            format!("{list} {} {y}", month_name(m))
        } else {
            format!("some day of {list} {} {y}", month_name(m))
        };
    }
    let months = candidates(month, 1..=12);
    let all_months = month.digits == [None, None];
    match d.day {
        None if all_months => format!("some month of {y}"),
        None if months.len() == 1 => format!("{} {y}", month_name(months[0])),
        None => {
            let list = alternatives(&months, |v| month_name(v).to_owned());
            if list.contains(" or ") {
                format!("{list} {y}")
            } else {
                format!("some month of {list} {y}")
            }
        }
        Some(day) if day.digits == [None, None] => {
            if all_months {
                format!("some day of {y}")
            } else {
                let list = alternatives(&months, |v| month_name(v).to_owned());
                format!("some day of {list} {y}")
            }
        }
        Some(_) => fallback(d),
    }
}

/// Years with `X` digits: `2010s`, `some year of 2000-2099`, and with a
/// month or day `25 Dec of some year in the 1560s`.
fn masked_year(d: &edtf::Date, digits: [Option<u8>; 4]) -> String {
    let hidden = digits.iter().rev().take_while(|x| x.is_none()).count();
    if digits[..4 - hidden].iter().any(Option::is_none) {
        return fallback(d);
    }
    let fill = |with: u8| {
        digits
            .iter()
            .fold(0i64, |acc, x| acc * 10 + i64::from(x.unwrap_or(with)))
    };
    let (lo, hi) = (fill(0), fill(9));
    let years = match hidden {
        1 => format!("the {lo}s"),
        2 | 3 => format!("{lo}-{hi}"),
        _ => String::new(),
    };
    let Some(month) = d.month else {
        return match hidden {
            1 => format!("{lo}s"),
            2 | 3 => format!("some year of {years}"),
            _ => "some year".to_owned(),
        };
    };
    let day_and_month = match (month.value(), d.day) {
        (Some(m), None) => month_name(m).to_owned(),
        (Some(m), Some(day)) => match day.value() {
            Some(dd) => format!("{dd} {}", month_name(m)),
            None if day.digits == [None, None] => format!("some day in {}", month_name(m)),
            None => return fallback(d),
        },
        (None, None) if month.digits == [None, None] => "some month".to_owned(),
        (None, Some(day)) if month.digits == [None, None] && day.digits == [None, None] => {
            "some day".to_owned()
        }
        (None, _) => return fallback(d),
    };
    if years.is_empty() {
        format!("{day_and_month} of an unknown year")
    } else {
        format!("{day_and_month} of some year in {years}")
    }
}

/// `2024-21` spring 2024 .. `2024-24` winter 2024-25; codes 25-41.
fn sub_year(code: u8, y: i64) -> String {
    let next = y + 1;
    let across = if y >= 1000 && y / 100 == next / 100 {
        format!("{y}-{:02}", next % 100)
    } else {
        format!("{y}-{next}")
    };
    match code {
        21 => format!("spring {y}"),
        22 => format!("summer {y}"),
        23 => format!("autumn {y}"),
        24 => format!("winter {across}"),
        25 => format!("spring {y} (north)"),
        26 => format!("summer {y} (north)"),
        27 => format!("autumn {y} (north)"),
        28 => format!("winter {across} (north)"),
        29 => format!("spring {y} (south)"),
        30 => format!("summer {across} (south)"),
        31 => format!("autumn {y} (south)"),
        32 => format!("winter {y} (south)"),
        33..=36 => format!("Q{} {y}", code - 32),
        37 => format!("first third of {y}"),
        38 => format!("second third of {y}"),
        39 => format!("last third of {y}"),
        40 => format!("first half of {y}"),
        41 => format!("second half of {y}"),
        _ => format!("{y}-{code}"),
    }
}

// ------------------------------------------------------------ date-times

/// `6 Jan 2024, 10:30 +09:00`; seconds only when not zero, `UTC` for `Z`,
/// nothing for local time.
fn date_time(dt: &edtf::DateTime) -> String {
    let mut out = date_core(&dt.date);
    let t = dt.time;
    let _ = write!(out, ", {:02}:{:02}", t.hour, t.minute);
    if t.second != 0 {
        let _ = write!(out, ":{:02}", t.second);
    }
    match t.shift {
        None => {}
        Some(edtf::TimeShift::Utc) => out.push_str(" UTC"),
        Some(edtf::TimeShift::Offset { minutes, .. }) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let m = minutes.unsigned_abs();
            let _ = write!(out, " {sign}{:02}:{:02}", m / 60, m % 60);
        }
    }
    out
}

// ------------------------------------------------------------ intervals

fn interval(iv: &edtf::Interval) -> String {
    use edtf::IntervalEndpoint as E;
    if let (E::Date(a), E::Date(b)) = (&iv.start, &iv.end) {
        let suffix = qualifier_suffix(a);
        if let (Some(pa), Some(pb), true) =
            (Plain::of(a), Plain::of(b), suffix == qualifier_suffix(b))
        {
            return compact(pa, pb, "-") + &suffix;
        }
    }
    let from = match &iv.start {
        E::Date(a) => Some(format!("from {}", date(a))),
        E::OnOrBefore(a) => Some(format!("from {} or before", date(a))),
        _ => None,
    };
    let to = match &iv.end {
        E::Date(b) => Some(date(b)),
        E::OnOrAfter(b) => Some(format!("{} or later", date(b))),
        _ => None,
    };
    match (from, to) {
        (Some(from), Some(to)) => format!("{from} to {to}"),
        (Some(from), None) if iv.end == E::Open => format!("{from} on"),
        (Some(from), None) => format!("{from}, end unknown"),
        (None, Some(to)) if iv.start == E::Open => format!("until {to}"),
        (None, Some(to)) => format!("until {to}, start unknown"),
        // edtf-core refuses intervals without a dated end.
        (None, None) => "unknown".to_owned(),
    }
}

// ------------------------------------------------------------ sets

/// A set member: `Mar 2024 or before` / `Mar 2024 and before` and so on.
fn member(e: &edtf::SetElement, one_of: bool) -> String {
    let (before, later) = if one_of {
        ("or before", "or later")
    } else {
        ("and before", "and later")
    };
    match e {
        edtf::SetElement::Date(d) => date(d),
        edtf::SetElement::OnOrBefore(d) => match Plain::of(d).filter(|_| one_of) {
            Some(p) if qualifier_suffix(d).is_empty() && ends_month(p) => {
                let (y, m) = (p.year, p.month.unwrap_or(12));
                if m == 12 {
                    format!("before {}", y + 1)
                } else {
                    format!("before {} {y}", month_name(m + 1))
                }
            }
            _ => format!("{} {before}", date(d)),
        },
        edtf::SetElement::OnOrAfter(d) => match Plain::of(d).filter(|_| one_of) {
            Some(p) if qualifier_suffix(d).is_empty() && p.day == Some(1) => {
                let (y, m) = (p.year, p.month.unwrap_or(1));
                if m == 1 {
                    format!("after {}", y - 1)
                } else {
                    format!("after {} {y}", month_name(m - 1))
                }
            }
            _ => format!("{} {later}", date(d)),
        },
        edtf::SetElement::Range(a, b) => match (Plain::of(a), Plain::of(b)) {
            (Some(pa), Some(pb)) => compact(pa, pb, "-"),
            _ => format!("{} to {}", date(a), date(b)),
        },
    }
}

/// A day written as the last day of its month: `2024-03-31`, `2024-02-29`.
fn ends_month(p: Plain) -> bool {
    matches!((p.month, p.day), (Some(m), Some(d)) if d == days_in_month(p.year, m))
}

fn set(s: &edtf::Set) -> String {
    let one_of = s.kind == edtf::SetKind::OneMember;
    if let [edtf::SetElement::Range(a, b)] = s.elements.as_slice() {
        if let (Some(pa), Some(pb)) = (Plain::of(a), Plain::of(b)) {
            return if one_of {
                format!("one {} between {}", pa.unit(), compact(pa, pb, " and "))
            } else {
                format!("every {} from {}", pa.unit(), compact(pa, pb, " to "))
            };
        }
    }
    let members: Vec<String> = s.elements.iter().map(|e| member(e, one_of)).collect();
    match members.split_last() {
        None => String::new(),
        Some((only, [])) => only.clone(),
        Some((last, head)) => {
            let (lead, joint) = if one_of {
                ("one of", "or")
            } else {
                ("all of", "and")
            };
            format!("{lead} {} {joint} {last}", head.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_decimal_writes_what_format_writes() {
        let mut n = 1u64;
        let mut numbers = vec![0, 9, 10, 99, 100, 2000, u64::MAX];
        while n < u64::MAX / 7 {
            numbers.push(n);
            n = n * 7 + 3;
        }
        for n in numbers {
            let mut out = String::from("x");
            super::push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }
}
