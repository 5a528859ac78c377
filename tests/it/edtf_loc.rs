//! Every example on the Library of Congress EDTF page, run through
//! `Date::parse`: accepted ones with their level and bounds, refused ones
//! (the `Y` years and the invalid list) with a message that says why.

use annals::date::Date;
use serde_json::Value;

/// Expected earliest and latest day of every accepted LoC example; `None`
/// is an open or unknown side. The JSON carries no bounds, so they are
/// written out here, worked by hand from the meaning column.
const BOUNDS: &[(&str, Option<&str>, Option<&str>)] = &[
    ("1985-04-12", Some("1985-04-12"), Some("1985-04-12")),
    ("1985-04", Some("1985-04-01"), Some("1985-04-30")),
    ("1985", Some("1985-01-01"), Some("1985-12-31")),
    (
        "1985-04-12T23:20:30",
        Some("1985-04-12"),
        Some("1985-04-12"),
    ),
    (
        "1985-04-12T23:20:30Z",
        Some("1985-04-12"),
        Some("1985-04-12"),
    ),
    (
        "1985-04-12T23:20:30-04",
        Some("1985-04-12"),
        Some("1985-04-12"),
    ),
    (
        "1985-04-12T23:20:30+04:30",
        Some("1985-04-12"),
        Some("1985-04-12"),
    ),
    ("1964/2008", Some("1964-01-01"), Some("2008-12-31")),
    ("2004-06/2006-08", Some("2004-06-01"), Some("2006-08-31")),
    (
        "2004-02-01/2005-02-08",
        Some("2004-02-01"),
        Some("2005-02-08"),
    ),
    ("2004-02-01/2005-02", Some("2004-02-01"), Some("2005-02-28")),
    ("2004-02-01/2005", Some("2004-02-01"), Some("2005-12-31")),
    ("2005/2006-02", Some("2005-01-01"), Some("2006-02-28")),
    ("2001-21", Some("2001-03-01"), Some("2001-05-31")),
    ("1984?", Some("1984-01-01"), Some("1984-12-31")),
    ("2004-06~", Some("2004-06-01"), Some("2004-06-30")),
    ("2004-06-11%", Some("2004-06-11"), Some("2004-06-11")),
    ("201X", Some("2010-01-01"), Some("2019-12-31")),
    ("20XX", Some("2000-01-01"), Some("2099-12-31")),
    ("2004-XX", Some("2004-01-01"), Some("2004-12-31")),
    ("1985-04-XX", Some("1985-04-01"), Some("1985-04-30")),
    ("1985-XX-XX", Some("1985-01-01"), Some("1985-12-31")),
    ("1985-04-12/..", Some("1985-04-12"), None),
    ("1985-04/..", Some("1985-04-01"), None),
    ("1985/..", Some("1985-01-01"), None),
    ("../1985-04-12", None, Some("1985-04-12")),
    ("../1985-04", None, Some("1985-04-30")),
    ("../1985", None, Some("1985-12-31")),
    ("1985-04-12/", Some("1985-04-12"), None),
    ("1985-04/", Some("1985-04-01"), None),
    ("1985/", Some("1985-01-01"), None),
    ("/1985-04-12", None, Some("1985-04-12")),
    ("/1985-04", None, Some("1985-04-30")),
    ("/1985", None, Some("1985-12-31")),
    ("-1985", Some("-1985-01-01"), Some("-1985-12-31")),
    ("1950S2", Some("1900-01-01"), Some("1999-12-31")),
    ("2001-34", Some("2001-04-01"), Some("2001-06-30")),
    (
        "[1667,1668,1670..1672]",
        Some("1667-01-01"),
        Some("1672-12-31"),
    ),
    ("[..1760-12-03]", None, Some("1760-12-03")),
    ("[1760-12..]", Some("1760-12-01"), None),
    ("[1760-01,1760-02,1760-12..]", Some("1760-01-01"), None),
    ("[1667,1760-12]", Some("1667-01-01"), Some("1760-12-31")),
    ("[..1984]", None, Some("1984-12-31")),
    (
        "{1667,1668,1670..1672}",
        Some("1667-01-01"),
        Some("1672-12-31"),
    ),
    ("{1960,1961-12}", Some("1960-01-01"), Some("1961-12-31")),
    ("{..1984}", None, Some("1984-12-31")),
    ("2004-06~-11", Some("2004-06-11"), Some("2004-06-11")),
    ("2004?-06-11", Some("2004-06-11"), Some("2004-06-11")),
    ("?2004-06-~11", Some("2004-06-11"), Some("2004-06-11")),
    ("2004-%06-11", Some("2004-06-11"), Some("2004-06-11")),
    ("156X-12-25", Some("1560-12-25"), Some("1569-12-25")),
    ("15XX-12-25", Some("1500-12-25"), Some("1599-12-25")),
    ("XXXX-12-XX", Some("0000-12-01"), Some("9999-12-31")),
    ("1XXX-XX", Some("1000-01-01"), Some("1999-12-31")),
    ("1XXX-12", Some("1000-12-01"), Some("1999-12-31")),
    ("1984-1X", Some("1984-10-01"), Some("1984-12-31")),
    (
        "2004-06-~01/2004-06-~20",
        Some("2004-06-01"),
        Some("2004-06-20"),
    ),
    (
        "2004-06-XX/2004-07-03",
        Some("2004-06-01"),
        Some("2004-07-03"),
    ),
];

fn corpus() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/edtf/loc-edtf-examples.json"
    );
    let text = std::fs::read_to_string(path).expect("LoC corpus is readable");
    serde_json::from_str(&text).expect("LoC corpus is JSON")
}

fn examples<'a>(corpus: &'a Value, list: &str) -> Vec<&'a Value> {
    corpus[list].as_array().expect("a list").iter().collect()
}

fn assert_refused_for_years(text: &str) {
    let e = Date::parse(text).expect_err(text);
    assert!(
        e.message
            .starts_with(&format!("\"{text}\" is not a valid date")),
        "{e}"
    );
    assert!(e.message.contains("only accepts years -9999..9999"), "{e}");
}

#[test]
fn every_valid_example_within_four_digit_years_has_its_level_and_bounds() {
    let corpus = corpus();
    let mut checked = 0;
    for example in examples(&corpus, "examples") {
        let text = example["edtf"].as_str().expect("edtf is a string");
        if text.contains('Y') {
            continue;
        }
        let level = example
            .get("our_level")
            .unwrap_or(&example["level"])
            .as_u64()
            .expect("level is a number");
        let date = Date::parse(text).unwrap_or_else(|e| panic!("{text} refused: {e}"));
        assert_eq!(u64::from(date.level()), level, "level of {text}");
        assert_eq!(date.text(), text);
        let &(_, lo, hi) = BOUNDS
            .iter()
            .find(|(t, ..)| *t == text)
            .unwrap_or_else(|| panic!("{text} has no expected bounds in BOUNDS"));
        let got = (
            date.earliest().map(|d| d.to_string()),
            date.latest().map(|d| d.to_string()),
        );
        assert_eq!(
            got,
            (lo.map(str::to_owned), hi.map(str::to_owned)),
            "bounds of {text}"
        );
        assert!(!date.label().is_empty());
        checked += 1;
    }
    // 64 examples, 5 of them Y years; `2004-06-11%` is listed twice.
    assert_eq!(checked, 59);
}

#[test]
fn every_y_year_example_is_refused_with_the_year_range() {
    let corpus = corpus();
    let y_years: Vec<&str> = examples(&corpus, "examples")
        .into_iter()
        .filter_map(|e| e["edtf"].as_str())
        .filter(|t| t.contains('Y'))
        .collect();
    assert_eq!(
        y_years,
        [
            "Y170000002",
            "Y-170000002",
            "Y-17E7",
            "Y171010000S3",
            "Y3388E2S3"
        ]
    );
    for text in y_years {
        assert_refused_for_years(text);
    }
}

#[test]
fn every_invalid_example_is_refused_with_a_clear_message() {
    let corpus = corpus();
    let invalid = examples(&corpus, "invalid");
    assert_eq!(invalid.len(), 2);
    for example in invalid {
        let text = example["edtf"].as_str().expect("edtf is a string");
        match text {
            "20050924T100000" => {
                let e = Date::parse(text).expect_err(text);
                assert_eq!(
                    e.message,
                    "\"20050924T100000\" is not a valid date: \
                     the ISO 8601 basic format (no separators) is not EDTF"
                );
                assert_eq!(e.help.as_deref(), Some("write 2005-09-24T10:00:00"));
            }
            "-Y170000002" => assert_refused_for_years(text),
            other => panic!("new invalid example {other}: add its expected message"),
        }
    }
}

#[test]
fn the_bounds_table_has_no_stale_rows() {
    let corpus = corpus();
    let texts: Vec<&str> = examples(&corpus, "examples")
        .into_iter()
        .filter_map(|e| e["edtf"].as_str())
        .collect();
    for (text, ..) in BOUNDS {
        assert!(texts.contains(text), "{text} is not in the LoC corpus");
    }
}
