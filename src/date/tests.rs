//! Unit tests: bounds, precision, shape, labels, ordering and errors.

use super::*;
use chrono::Datelike;

fn ymd(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn bounds(text: &str) -> (Option<String>, Option<String>) {
    let d = date(text);
    (
        d.earliest().map(|x| x.to_string()),
        d.latest().map(|x| x.to_string()),
    )
}

fn check_bounds(cases: &[(&str, Option<&str>, Option<&str>)]) {
    for (text, lo, hi) in cases {
        let want = (lo.map(str::to_owned), hi.map(str::to_owned));
        assert_eq!(bounds(text), want, "bounds of {text}");
    }
}

fn error(text: &str) -> DateError {
    match Date::parse(text) {
        Ok(d) => panic!("{text} was accepted: {d:?}"),
        Err(e) => e,
    }
}

#[test]
fn every_form_in_the_spec_table_has_its_bounds() {
    check_bounds(&[
        ("2024", Some("2024-01-01"), Some("2024-12-31")),
        ("2024-02", Some("2024-02-01"), Some("2024-02-29")),
        ("2023-02", Some("2023-02-01"), Some("2023-02-28")),
        ("2024-02-05", Some("2024-02-05"), Some("2024-02-05")),
        (
            "2024-01-06T10:30:00+09:00",
            Some("2024-01-06"),
            Some("2024-01-06"),
        ),
        (
            "2024-01-06T23:30:00-11:00",
            Some("2024-01-06"),
            Some("2024-01-06"),
        ),
        (
            "2024-01-06T10:30:00Z",
            Some("2024-01-06"),
            Some("2024-01-06"),
        ),
        ("2024-02-05?", Some("2024-02-05"), Some("2024-02-05")),
        ("2024-02~", Some("2024-02-01"), Some("2024-02-29")),
        ("2024%", Some("2024-01-01"), Some("2024-12-31")),
        ("201X", Some("2010-01-01"), Some("2019-12-31")),
        ("2024-XX", Some("2024-01-01"), Some("2024-12-31")),
        ("2024-02-XX", Some("2024-02-01"), Some("2024-02-29")),
        ("2024-21", Some("2024-03-01"), Some("2024-05-31")),
        ("2024-22", Some("2024-06-01"), Some("2024-08-31")),
        ("2024-23", Some("2024-09-01"), Some("2024-11-30")),
        ("2024-24", Some("2024-12-01"), Some("2025-02-28")),
        ("2023-24", Some("2023-12-01"), Some("2024-02-29")),
        (
            "2024-04-08/2024-04-11",
            Some("2024-04-08"),
            Some("2024-04-11"),
        ),
        (
            "[2024-02-01..2024-02-10]",
            Some("2024-02-01"),
            Some("2024-02-10"),
        ),
        ("2024-02/..", Some("2024-02-01"), None),
        ("../2024", None, Some("2024-12-31")),
        ("2024-02/", Some("2024-02-01"), None),
        ("/2024-02", None, Some("2024-02-29")),
    ]);
}

#[test]
fn sub_year_groupings_and_masks() {
    check_bounds(&[
        ("2024-25", Some("2024-03-01"), Some("2024-05-31")),
        ("2024-28", Some("2024-12-01"), Some("2025-02-28")),
        ("2024-29", Some("2024-09-01"), Some("2024-11-30")),
        ("2024-30", Some("2024-12-01"), Some("2025-02-28")),
        ("2024-32", Some("2024-06-01"), Some("2024-08-31")),
        ("2024-33", Some("2024-01-01"), Some("2024-03-31")),
        ("2024-36", Some("2024-10-01"), Some("2024-12-31")),
        ("2024-38", Some("2024-05-01"), Some("2024-08-31")),
        ("2024-40", Some("2024-01-01"), Some("2024-06-30")),
        ("2024-41", Some("2024-07-01"), Some("2024-12-31")),
        ("20XX", Some("2000-01-01"), Some("2099-12-31")),
        ("1984-1X", Some("1984-10-01"), Some("1984-12-31")),
        ("202X-02-29", Some("2020-02-29"), Some("2028-02-29")),
        ("XXXX-12-XX", Some("0000-12-01"), Some("9999-12-31")),
        ("1950S2", Some("1900-01-01"), Some("1999-12-31")),
        ("-0001", Some("-0001-01-01"), Some("-0001-12-31")),
        ("9999-24", Some("9999-12-01"), Some("+10000-02-29")),
    ]);
}

#[test]
fn intervals_and_sets_span_their_members() {
    check_bounds(&[
        ("2004-02-01/2005-02", Some("2004-02-01"), Some("2005-02-28")),
        ("2024-24/2025-01", Some("2024-12-01"), Some("2025-01-31")),
        ("2024/2024", Some("2024-01-01"), Some("2024-12-31")),
        ("..2024/2025", None, Some("2025-12-31")),
        ("2024/2025..", Some("2024-01-01"), None),
        ("[1667,1760-12]", Some("1667-01-01"), Some("1760-12-31")),
        ("[..2024-03]", None, Some("2024-03-31")),
        ("[2024-03..]", Some("2024-03-01"), None),
        ("{1960,1961-12}", Some("1960-01-01"), Some("1961-12-31")),
        (
            "{2024-02-01..2024-02-10}",
            Some("2024-02-01"),
            Some("2024-02-10"),
        ),
    ]);
}

#[test]
fn leap_years_follow_the_gregorian_rule() {
    for ok in [
        "2024-02-29",
        "2000-02-29",
        "2400-02-29",
        "0000-02-29",
        "-0004-02-29",
    ] {
        assert_eq!(date(ok).earliest(), date(ok).latest(), "{ok}");
    }
    for (bad, days) in [
        ("2023-02-29", "February 2023 has 28 days"),
        ("1900-02-29", "February 1900 has 28 days"),
        ("2100-02-29", "February 2100 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2024-04-31", "April 2024 has 30 days"),
        ("2024-01-32", "January 2024 has 31 days"),
        ("2024-01-00", "January 2024 has 31 days"),
    ] {
        let e = error(bad);
        assert_eq!(e.message, format!("\"{bad}\" is not a valid date: {days}"));
    }
}

#[test]
fn precision_names_the_known_granularity() {
    use Precision as P;
    for (text, want) in [
        ("2024-01-06T10:30:00Z", P::Time),
        ("2024-01-06", P::Day),
        ("2024-01-06?", P::Day),
        ("2024-02", P::Month),
        ("2024-02-XX", P::Month),
        ("2024-21", P::Season),
        ("2024-34", P::SubYear),
        ("2024", P::Year),
        ("2024-XX", P::Year),
        ("201X", P::Decade),
        ("2010S3", P::Decade),
        ("20XX", P::Century),
        ("1950S2", P::Century),
        ("1XXX", P::Millennium),
        ("XXXX-12-25", P::Unknown),
        ("156X-12-25", P::Decade),
        ("2024-04-08/2024-04-11", P::Day),
        ("2024-02/..", P::Month),
        ("2004-02-01/2005", P::Mixed),
        ("[2024-02-01..2024-02-10]", P::Day),
        ("{1960,1961-12}", P::Mixed),
    ] {
        assert_eq!(date(text).precision(), want, "{text}");
    }
    assert_eq!(P::SubYear.as_str(), "subyear");
    assert_eq!(P::Day.to_string(), "day");
}

#[test]
fn qualifiers_flag_any_part_and_leave_bounds_alone() {
    let q = |t: &str| date(t).qualifiers();
    assert!(q("2024").is_empty());
    assert_eq!(q("2024?").as_strs(), ["uncertain"]);
    assert_eq!(q("2024-02~").as_strs(), ["approximate"]);
    assert_eq!(q("2024%").as_strs(), ["uncertain", "approximate"]);
    assert_eq!(q("2004-06-~11").as_strs(), ["approximate"]);
    assert_eq!(q("1984?/2004").as_strs(), ["uncertain"]);
    assert_eq!(q("[2024~,2025]").as_strs(), ["approximate"]);
    assert_eq!(bounds("2024-02~"), bounds("2024-02"));
    assert_eq!(bounds("?2004-06-~11"), bounds("2004-06-11"));
}

#[test]
fn shapes_tell_spans_from_points() {
    let open = |so, eo, su, eu| Shape::Interval {
        start_open: so,
        end_open: eo,
        start_unknown: su,
        end_unknown: eu,
    };
    for (text, want) in [
        ("2024-02", Shape::Point),
        ("2024-01-06T10:30:00Z", Shape::Point),
        ("2024-04-08/2024-04-11", open(false, false, false, false)),
        ("2024-02/..", open(false, true, false, false)),
        ("../2024", open(true, false, false, false)),
        ("2024-02/", open(false, false, false, true)),
        ("/2024", open(false, false, true, false)),
        ("..2024/2025", open(true, false, false, false)),
        ("[2024-02-01..2024-02-10]", Shape::OneOf),
        ("{2024,2025}", Shape::AllOf),
    ] {
        assert_eq!(date(text).shape(), want, "{text}");
    }
    assert_eq!(Shape::OneOf.as_str(), "one-of");
}

#[test]
fn levels_follow_iso_annex_a() {
    for (text, level) in [
        ("2024-01-06", 0),
        ("2024-04-08/2024-04-11", 0),
        ("2024-01-06T10:30:00+09:00", 0),
        ("2024-21", 1),
        ("2024-02-05?", 1),
        ("2004-06-11%", 1),
        ("201X", 1),
        ("2024-02/..", 1),
        ("-1985", 1),
        ("2024-34", 2),
        ("2004-06~-11", 2),
        ("1XXX", 2),
        ("[2024-02-01..2024-02-10]", 2),
    ] {
        assert_eq!(date(text).level(), level, "{text}");
    }
}

#[test]
fn required_labels() {
    for (text, label) in [
        ("2024-01-06", "6 Jan 2024"),
        ("2024-02~", "Feb 2024 (approx.)"),
        (
            "[2024-02-01..2024-02-10]",
            "one day between 1 and 10 Feb 2024",
        ),
        ("2024-04-08/2024-04-11", "8-11 Apr 2024"),
        ("2024-21", "spring 2024"),
    ] {
        assert_eq!(date(text).label(), label, "{text}");
    }
}

#[test]
fn designed_labels() {
    for (text, label) in [
        ("2024-02-05?", "5 Feb 2024 (uncertain)"),
        ("2024%", "2024 (approx., uncertain)"),
        ("2004-06~-11", "11 Jun 2004 (year and month approx.)"),
        ("?2004-06-~11", "11 Jun 2004 (day approx.; year uncertain)"),
        ("2004-%06-11", "11 Jun 2004 (month approx., uncertain)"),
        ("2024", "2024"),
        ("-1985", "-1985"),
        ("0985", "985"),
        ("201X", "2010s"),
        ("20XX", "some year of 2000-2099"),
        ("XXXX", "some year"),
        ("1950S2", "1900-1999 (est. 1950)"),
        ("2024-XX", "some month of 2024"),
        ("2024-02-XX", "some day of Feb 2024"),
        ("1985-XX-XX", "some day of 1985"),
        ("1984-1X", "some month of Oct-Dec 1984"),
        ("2024-X2", "Feb or Dec 2024"),
        ("2024-02-1X", "some day of 10-19 Feb 2024"),
        ("2024-04-3X", "30 Apr 2024"),
        ("2024-01-X1", "1, 11, 21 or 31 Jan 2024"),
        ("156X-12-25", "25 Dec of some year in the 1560s"),
        ("XXXX-12-XX", "some day in Dec of an unknown year"),
        ("2024-XX-13", "some day matching 2024-XX-13"),
        ("2024-24", "winter 2024-25"),
        ("1999-24", "winter 1999-2000"),
        ("2024-30", "summer 2024-25 (south)"),
        ("2024-34", "Q2 2024"),
        ("2024-41", "second half of 2024"),
        ("2024-01-06T10:30:00+09:00", "6 Jan 2024, 10:30 +09:00"),
        ("2024-01-06T10:30:15Z", "6 Jan 2024, 10:30:15 UTC"),
        ("1985-04-12T23:20:30-04", "12 Apr 1985, 23:20:30 -04:00"),
        ("2024-02-29/2024-03-02", "29 Feb-2 Mar 2024"),
        ("2023-12-30/2024-01-02", "30 Dec 2023-2 Jan 2024"),
        ("2024-02/2024-04", "Feb-Apr 2024"),
        ("2023-12/2024-01", "Dec 2023-Jan 2024"),
        ("1964/2008", "1964-2008"),
        ("2004-02-01/2005-02", "1 Feb 2004-Feb 2005"),
        ("1984~/2004~", "1984-2004 (approx.)"),
        (
            "1984?/2004-06~",
            "from 1984 (uncertain) to Jun 2004 (approx.)",
        ),
        ("2024-21/2024-22", "from spring 2024 to summer 2024"),
        ("-0100/-0050", "-100 to -50"),
        ("2024-02/..", "from Feb 2024 on"),
        ("../2024-03", "until Mar 2024"),
        ("2024-02/", "from Feb 2024, end unknown"),
        ("/2024-03", "until Mar 2024, start unknown"),
        ("..2024/2025", "from 2024 or before to 2025"),
        ("[..2024-03]", "Mar 2024 or before"),
        ("[..2024-03-31]", "before Apr 2024"),
        ("[..2024-02-29]", "before Mar 2024"),
        ("[..2024-12-31]", "before 2025"),
        ("[..2024-03-30]", "30 Mar 2024 or before"),
        ("[2024-03..]", "Mar 2024 or later"),
        ("[2024-03-01..]", "after Feb 2024"),
        ("[2024-01-01..]", "after 2023"),
        ("[2024-01..2024-03]", "one month between Jan and Mar 2024"),
        ("[1670..1672]", "one year between 1670 and 1672"),
        ("[1667,1668,1670..1672]", "one of 1667, 1668 or 1670-1672"),
        ("{1667,1668,1670..1672}", "all of 1667, 1668 and 1670-1672"),
        (
            "{2024-02-01..2024-02-10}",
            "every day from 1 to 10 Feb 2024",
        ),
        ("{..1984}", "1984 and before"),
        ("[2024-02]", "Feb 2024"),
    ] {
        assert_eq!(date(text).label(), label, "{text}");
    }
}

#[test]
fn ordering_is_earliest_then_latest_then_text() {
    let mut dates: Vec<Date> = [
        "2024-02",
        "2024",
        "../2024-01",
        "2024-02-01",
        "2024-02/..",
        "2024-02/",
        "/2024",
        "2024-02~",
        "2023-24",
    ]
    .iter()
    .map(|t| date(t))
    .collect();
    dates.sort();
    let texts: Vec<&str> = dates.iter().map(Date::text).collect();
    assert_eq!(
        texts,
        [
            "../2024-01",
            "/2024",
            "2023-24",
            "2024",
            "2024-02-01",
            "2024-02",
            "2024-02~",
            "2024-02/",
            "2024-02/..",
        ]
    );
    assert!(date("2024-02") < date("2024-02~"));
    assert_eq!(date("2024-02").cmp(&date("2024-02")), Ordering::Equal);
    assert_ne!(date("2024-02"), date("2024-02-01/2024-02-29"));
}

#[test]
fn text_is_kept_exactly() {
    for text in ["2024-02-05?", "?2004-?06-?11", "[2024-02-01..2024-02-10]"] {
        assert_eq!(date(text).text(), text);
        assert_eq!(date(text).to_string(), text);
    }
    assert_eq!(
        serde_json::to_string(&date("2024-21")).unwrap(),
        "\"2024-21\""
    );
}

#[test]
fn errors_quote_the_text_and_say_what_was_expected() {
    let e = error("2024-03-01/2024-01-01");
    assert_eq!(
        e.message,
        "\"2024-03-01/2024-01-01\" is not a valid date: \
         interval end 2024-01-01 is before its start 2024-03-01"
    );
    assert_eq!(e.to_string(), e.message);
    let e = error("2024-01-06/2024-02-30");
    assert!(
        e.message
            .ends_with("in 2024-02-30, February 2024 has 29 days"),
        "{e}"
    );
    let e = error("2024-02-3X");
    assert!(
        e.message.ends_with("no day of February 2024 matches 3X"),
        "{e}"
    );
    let e = error("[2024..2023]");
    assert!(
        e.message.contains("the end 2023 is before the start 2024"),
        "{e}"
    );
    let e = error("2024-13");
    assert!(e.message.contains("month 13 does not exist"), "{e}");
    for text in [
        "Y170000002",
        "Y-170000002",
        "-Y170000002",
        "Y-17E7",
        "Y3388E2S3",
        "Y12345",
    ] {
        let e = error(text);
        assert!(e.message.starts_with(&format!("\"{text}\"")), "{e}");
        assert!(e.message.contains("only accepts years -9999..9999"), "{e}");
    }
    for text in ["12345", "-10000", "10000-01-01"] {
        assert!(error(text).message.contains("-9999..9999"), "{text}");
    }
    let e = error("20050924T100000");
    assert!(e.message.contains("basic format"), "{e}");
    assert_eq!(e.help.as_deref(), Some("write 2005-09-24T10:00:00"));
    assert_eq!(error("20240106").help.as_deref(), Some("write 2024-01-06"));
    assert_eq!(error("201x").help.as_deref(), Some("write 201X"));
    assert_eq!(
        error(" 2024-01-06").help.as_deref(),
        Some("write 2024-01-06")
    );
    assert!(
        error("2024-04-08\u{2013}2024-04-11")
            .message
            .contains("dash")
    );
    for text in ["January 6", "2024-01-06T10:30", "[2024", "2024??", "x"] {
        let e = error(text);
        assert!(
            e.message
                .starts_with(&format!("{text:?} is not a valid date: ")),
            "{e}"
        );
        assert!(
            e.help
                .is_some_and(|h| h.starts_with("expected an EDTF date such as")),
            "{text}"
        );
    }
    // Human forms get the EDTF text to write instead (src/date/hint.rs).
    for (text, help) in [
        ("2024-1", "write 2024-01"),
        ("6/13/2024", "write 2024-06-13"),
        ("MAY 8, 2018", "write 2018-05-08"),
    ] {
        let e = error(text);
        assert!(
            e.message
                .starts_with(&format!("{text:?} is not a valid date: ")),
            "{e}"
        );
        assert_eq!(e.help.as_deref(), Some(help), "{text}");
    }
    assert_eq!(error("").message, "the date is empty");
    assert!(error(&"9".repeat(500)).message.len() < 250);
}

/// A small deterministic generator, so the test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 33) as usize
    }
}

#[test]
fn never_panics_on_arbitrary_text() {
    const ALPHABET: &[u8] = b"0123456789000011112222--//..,,[]{}XX?~%TZ:+SYEx ";
    const SEEDS: &[&str] = &[
        "2024-02-29T10:30:00+09:00",
        "[1760-01,1760-02,1760-12..]",
        "2004-06-~01/2004-06-~20",
        "?2004-06-~11",
        "XXXX-02-29",
        "{..1984}",
        "1950S2",
    ];
    let mut rng = Rng(0x2024_0106_1030_0900);
    for i in 0..40_000 {
        let text: String = if i % 2 == 0 {
            let len = rng.next() % 28;
            (0..len)
                .map(|_| char::from(ALPHABET[rng.next() % ALPHABET.len()]))
                .collect()
        } else {
            let mut bytes = SEEDS[rng.next() % SEEDS.len()].as_bytes().to_vec();
            for _ in 0..=rng.next() % 3 {
                let at = rng.next() % bytes.len();
                bytes[at] = ALPHABET[rng.next() % ALPHABET.len()];
            }
            String::from_utf8(bytes).unwrap_or_default()
        };
        match Date::parse(&text) {
            Ok(d) => {
                assert!(!d.label().is_empty(), "{text}");
                if let (Some(lo), Some(hi)) = (d.earliest(), d.latest()) {
                    assert!(lo <= hi || d.text().contains('/'), "{text}: {lo} > {hi}");
                }
            }
            Err(e) => assert!(!e.message.is_empty()),
        }
    }
    for odd in [
        "\u{0}",
        "é",
        "２０２４",
        "2024-02-29\u{2212}",
        "[]",
        "{",
        "/",
        "../..",
        "..",
    ] {
        assert!(Date::parse(odd).is_err(), "{odd}");
    }
    assert_eq!(ymd("2024-01-06"), date("2024-01-06").earliest().unwrap());
}

#[test]
fn day_errors_name_the_member_inside_sets_and_times() {
    let e = error("[2024-01-01,2024-02-30..]");
    assert!(
        e.message
            .ends_with("in 2024-02-30, February 2024 has 29 days"),
        "{e}"
    );
    let e = error("2023-02-29T10:00:00Z");
    assert!(
        e.message
            .ends_with("in 2023-02-29, February 2023 has 28 days"),
        "{e}"
    );
    assert_eq!(
        date("[..2024-03-~31]").label(),
        "31 Mar 2024 (day approx.) or before"
    );
}

#[test]
fn documented_decisions_hold() {
    check_bounds(&[
        ("2024/2024-03", Some("2024-01-01"), Some("2024-03-31")),
        ("2024-24/2024-12", Some("2024-12-01"), Some("2024-12-31")),
        ("2024-XX-13", Some("2024-01-13"), Some("2024-12-13")),
    ]);
    for refused in [
        "2024-2X",
        "2024-01-06T24:00:00",
        "2024-01-06T10:00:00-00",
        "-0000",
    ] {
        error(refused);
    }
}

#[test]
fn plain_labels_match_the_parsed_ones() {
    // Every day of years where a shortcut could slip (leading zeros, year
    // 0, leap rules, the last year), every month and season code of some
    // years, and every year as a bare year.
    let mut texts = Vec::new();
    for y in [
        0, 1, 9, 10, 99, 100, 999, 1000, 1582, 1900, 2000, 2024, 2100, 9999,
    ] {
        let mut d = NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        while d.year() == y {
            texts.push(format!("{y:04}-{:02}-{:02}", d.month(), d.day()));
            d = d.succ_opt().unwrap();
        }
        for m in 1..=41 {
            texts.push(format!("{y:04}-{m:02}"));
        }
    }
    texts.extend((0..=9999).map(|y| format!("{y:04}")));
    // Each qualified for the whole date.
    let qualified: Vec<String> = texts
        .iter()
        .step_by(7)
        .flat_map(|t| ["~", "?", "%"].map(|q| format!("{t}{q}")))
        .collect();
    texts.extend(qualified);
    // Intervals between plain dates of every precision.
    let ends = [
        "2024",
        "2025",
        "2024-03",
        "2024-04",
        "2023-12",
        "2024-03-08",
        "2024-03-11",
        "2024-04-02",
        "0999-12-31",
        "1000-01-01",
    ];
    for a in ends {
        for b in ends {
            texts.push(format!("{a}/{b}"));
            texts.push(format!("{a}~/{b}"));
        }
    }
    // Forms that must not take the shortcut.
    texts.extend(
        [
            "2024-01-?06",
            "?2024-01",
            "2024~-01",
            "-2024",
            "2024-XX",
            "202X",
            "Y20240",
            "2024-01-06T10:30:00Z",
            "2024-01/2024-02",
        ]
        .map(str::to_owned),
    );
    let mut shortcut = 0;
    for t in &texts {
        let Ok(d) = Date::parse(t) else { continue };
        shortcut += usize::from(label::plain(t.as_bytes(), &mut String::new()));
        assert_eq!(d.label(), d.parsed_label(), "label of {t}");
    }
    // The shortcut was taken for the plain forms (so the test compares
    // two ways, not one with itself).
    assert!(shortcut > 15_000, "{shortcut}");
}

#[test]
fn numbers_are_written_as_format_writes_them() {
    for n in [
        0,
        1,
        9,
        10,
        99,
        100,
        2024,
        9999,
        -1,
        -2024,
        i64::MAX,
        i64::MIN,
    ] {
        let mut out = String::from("x");
        label::push_number(&mut out, n);
        assert_eq!(out, format!("x{n}"));
    }
}
