//! Snapshots of every output format on the sample record (`events/`), and
//! parsing checks: CSV with a CSV reader, JSON with a JSON parser, HTML
//! without script and with every text escaped.

use crate::query::annals;
use serde_json::Value;

const SAMPLE: &str = "events";
const HOSTILE: &str = "tests/fixtures/query/hostile";

fn ok(dir: &str, args: &[&str]) -> String {
    let r = annals(dir, args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    assert_eq!(r.stderr, "", "{args:?} wrote to stderr");
    // Same input, same bytes.
    assert_eq!(
        annals(dir, args).stdout,
        r.stdout,
        "{args:?} is not deterministic"
    );
    r.stdout
}

macro_rules! snapshots {
    ($($name:ident: [$($arg:expr),*];)*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), ok(SAMPLE, &[$($arg),*]));
        }
    )*};
}

snapshots! {
    query_table: ["query"];
    query_md: ["query", "--format", "md"];
    query_json: ["query", "--format", "json"];
    query_ndjson: ["query", "--format", "ndjson"];
    query_csv: ["query", "--format", "csv"];
    query_ids: ["query", "--format", "ids"];
    timeline_text: ["timeline"];
    timeline_md: ["timeline", "--format", "md"];
    timeline_html: ["timeline", "--format", "html"];
    actors_table: ["actors"];
    actors_md: ["actors", "--format", "md"];
    actors_json: ["actors", "--format", "json"];
    actors_csv: ["actors", "--format", "csv"];
    show_event: ["show", "kim-jong-un-sympathy-message"];
    show_actor: ["show", "kishida-fumio"];
    show_source: ["show", "kei-2024-04-04-dim-prospects"];
}

#[test]
fn json_ndjson_and_csv_carry_the_same_rows() {
    let json: Value = serde_json::from_str(&ok(SAMPLE, &["query", "--format", "json"])).unwrap();
    let rows = json.as_array().expect("an array");
    assert_eq!(rows.len(), 27);
    let nd: Vec<Value> = ok(SAMPLE, &["query", "--format", "ndjson"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&nd, rows);
    let csv_text = ok(SAMPLE, &["query", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (rec, row) in records.iter().zip(rows) {
        for (h, cell) in headers.iter().zip(rec) {
            let v = &row[h];
            match v {
                Value::Null => assert_eq!(cell, "", "column {h} of {}", row["id"]),
                Value::String(s) => assert_eq!(cell, s, "column {h} of {}", row["id"]),
                Value::Number(n) => assert_eq!(cell, n.to_string(), "column {h}"),
                // Lists are written as their JSON text.
                other => {
                    let parsed: Value = serde_json::from_str(cell).unwrap();
                    assert_eq!(&parsed, other, "column {h} of {}", row["id"]);
                }
            }
        }
    }
    // Every column of the schema is there, lines are real.
    for h in [
        "id",
        "date",
        "start",
        "end",
        "date_text",
        "precision",
        "qualifiers",
        "kind",
        "title",
        "status",
        "actors",
        "sources",
        "tags",
        "location",
        "file",
        "line",
    ] {
        assert!(headers.iter().any(|x| x == h), "missing column {h}");
    }
    let first = &rows[0];
    assert_eq!(first["start"], Value::Null, "an open start is null");
    assert!(
        rows.iter()
            .all(|r| r["line"].as_u64().is_some_and(|l| l > 0))
    );
}

#[test]
fn actors_json_and_csv_parse() {
    let json: Value = serde_json::from_str(&ok(SAMPLE, &["actors", "--format", "json"])).unwrap();
    let n = json.as_array().unwrap().len();
    let csv_text = ok(SAMPLE, &["actors", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(reader.records().count(), n);
}

#[test]
fn html_is_self_contained_and_escapes_every_text() {
    let html = ok(HOSTILE, &["timeline", "--format", "html"]);
    assert_eq!(html.matches("<script").count(), 0, "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        !html.contains('\x1b'),
        "control characters are shown, not sent"
    );
    assert!(html.contains("A title with &lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt;"), "{html}");
    assert!(
        html.contains("href=\"https://example.org/a?b=1&amp;c=&lt;x&gt;\""),
        "{html}"
    );
    for external in ["src=", "<link", "@import", "url("] {
        assert!(!html.contains(external), "{external} in {html}");
    }
    let sample = ok(SAMPLE, &["timeline", "--format", "html"]);
    assert!(!sample.contains("<script"));
}

#[test]
fn markdown_and_terminal_outputs_escape_every_text() {
    let md = ok(HOSTILE, &["timeline", "--format", "md"]);
    assert!(md.contains("\\</text\\>\\<script\\>"), "{md}");
    assert!(!md.contains('\x1b'));
    let table = ok(HOSTILE, &["query", "--format", "md"]);
    assert!(table.contains("\\| pipe"), "{table}");
    for args in [
        &["query"][..],
        &["timeline"],
        &["actors"],
        &["show", "e-hostile"],
        &["show", "mallory"],
    ] {
        let out = ok(HOSTILE, args);
        assert!(!out.contains('\x1b'), "{args:?}: {out}");
        assert!(out.contains("\\u{1b}"), "{args:?}: {out}");
    }
}

#[test]
fn timeline_says_scheduled_and_date_text_and_numbers_sources() {
    let text = ok(SAMPLE, &["timeline"]);
    assert!(
        text.contains("* one day between 5 and 10 Apr 2024"),
        "{text}"
    );
    assert!(text.contains("· scheduled"), "{text}");
    assert!(
        text.contains("* 1 Jan 2024 (\"New Year's Day\") · earthquake"),
        "{text}"
    );
    assert!(text.contains("\nSources\n=======\n\n[1] "), "{text}");
}
