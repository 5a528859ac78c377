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
            if matches!(h, "actor_ids" | "source_ids") {
                continue;
            }
            let v = &row[h];
            match v {
                Value::Null => assert_eq!(cell, "", "column {h} of {}", row["id"]),
                Value::String(s) => assert_eq!(cell, s, "column {h} of {}", row["id"]),
                Value::Number(n) => assert_eq!(cell, n.to_string(), "column {h}"),
                // Lists are written as words, items separated by `; `;
                // quotes alone as their JSON text.
                Value::Array(items) => {
                    let words: Vec<String> = items
                        .iter()
                        .map(|i| match (h, i) {
                            (_, Value::String(s)) => s.clone(),
                            ("actors", a) => format!(
                                "{} ({})",
                                a["name"].as_str().unwrap(),
                                a["role"].as_str().unwrap()
                            ),
                            ("related", r) => format!(
                                "{}:{}",
                                r["event"].as_str().unwrap(),
                                r["relation"].as_str().unwrap()
                            ),
                            ("sources", s) => s["title"].as_str().unwrap().to_string(),
                            _ => String::new(),
                        })
                        .collect();
                    match h {
                        "quotes" => {
                            let lines: Vec<String> = items
                                .iter()
                                .map(|q| {
                                    format!(
                                        "{}: {}",
                                        q["by"].as_str().unwrap(),
                                        q["text"].as_str().unwrap()
                                    )
                                })
                                .collect();
                            assert_eq!(cell, lines.join("\n"), "column {h} of {}", row["id"]);
                        }
                        "sources" => {
                            for w in &words {
                                assert!(cell.contains(w.as_str()), "{cell} lacks {w}");
                            }
                            assert_eq!(cell.matches("; ").count() + 1, items.len().max(1));
                        }
                        _ => assert_eq!(cell, words.join("; "), "column {h} of {}", row["id"]),
                    }
                }
                other => panic!("column {h}: {other}"),
            }
            if h == "actors" {
                let ids: Vec<String> = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        format!(
                            "{}:{}",
                            a["id"].as_str().unwrap(),
                            a["role"].as_str().unwrap()
                        )
                    })
                    .collect();
                assert_eq!(
                    rec.get(headers.iter().position(|x| x == "actor_ids").unwrap()),
                    Some(ids.join("; ").as_str())
                );
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
    for external in ["<link", "@import", "url("] {
        assert!(!html.contains(external), "{external} in {html}");
    }
    // No element loads anything (the record's `src=` is text, escaped).
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        assert!(!tag.contains("src="), "<{tag}> in {html}");
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
        text.contains("* 1 Jan 2024 (\"New Year's Day\") · Earthquake"),
        "{text}"
    );
    assert!(text.contains("\nSources\n=======\n\n[1] "), "{text}");
}

const CJK: &str = "tests/fixtures/outputs/cjk";

/// `annals --dir DIR ARGS` with `env` set, asserting success, an empty
/// stderr and the same bytes twice.
fn ok_env(dir: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let run = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_annals"));
        c.current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("--dir")
            .arg(dir)
            .args(args)
            .env_remove("COLUMNS")
            .env_remove("ANNALS_DIR")
            .env("NO_COLOR", "1");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let out = run();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{args:?}: {stderr}");
    assert_eq!(stderr, "", "{args:?} wrote to stderr");
    assert_eq!(run().stdout, out.stdout, "{args:?} is not deterministic");
    String::from_utf8(out.stdout).unwrap()
}

const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1712188800");

macro_rules! snapshots_env {
    ($($name:ident: $dir:expr, [$($arg:expr),*], $env:expr;)*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), ok_env($dir, &[$($arg),*], $env));
        }
    )*};
}

snapshots_env! {
    query_table_100_columns: SAMPLE, ["query"], &[("COLUMNS", "100")];
    query_table_chosen_columns: SAMPLE, ["query", "--columns", "date,title,actors", "--to", "2024-01"], &[("COLUMNS", "100")];
    timeline_md_titled: SAMPLE, ["timeline", "--format", "md", "--title", "Japan and North Korea, 2024", "--from", "2024-03"], &[];
    export_timelinejs: SAMPLE, ["export", "--format", "timelinejs"], &[];
    export_ics: SAMPLE, ["export", "--format", "ics"], &[EPOCH];
    cjk_query_table: CJK, ["query"], &[];
    cjk_query_table_80_columns: CJK, ["query"], &[("COLUMNS", "80")];
    cjk_query_md: CJK, ["query", "--format", "md"], &[];
    cjk_query_csv: CJK, ["query", "--format", "csv"], &[];
    cjk_query_json: CJK, ["query", "--format", "json"], &[];
    cjk_actors_csv: CJK, ["actors", "--format", "csv"], &[];
    cjk_show_event: CJK, ["show", "talks-in-beijing"], &[];
    cjk_timeline_text: CJK, ["timeline"], &[];
    cjk_timeline_md: CJK, ["timeline", "--format", "md", "--title", "日朝協議 2024"], &[];
    cjk_timeline_html: CJK, ["timeline", "--format", "html", "--title", "日朝協議 2024"], &[];
    cjk_actors_table: CJK, ["actors"], &[];
    cjk_export_timelinejs: CJK, ["export", "--format", "timelinejs"], &[];
    cjk_export_ics: CJK, ["export", "--format", "ics"], &[EPOCH];
}

#[test]
fn wide_characters_keep_table_columns_aligned() {
    let table = ok_env(CJK, &["query", "--columns", "title,id"], &[]);
    // The id column starts at the same display column on every line.
    let starts: std::collections::BTreeSet<usize> = table
        .lines()
        .map(|l| {
            let at = l.rfind("  ").unwrap() + 2;
            unicode_width::UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert_eq!(starts.len(), 1, "{table}");
}

#[test]
fn an_actors_last_appearance_is_what_occurred_or_was_reported() {
    let json: Value = serde_json::from_str(&ok(CJK, &["actors", "--format", "json"])).unwrap();
    let kim = json
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "kim-myong-gil")
        .unwrap();
    // A scheduled follow-up (15 Jun) and a cancelled visit (Jul) are no
    // appearance: the last is the talks of 6-8 May.
    assert_eq!(kim["last"], "2024-05-08");
    assert_eq!(kim["events"], 2);
    assert_eq!(kim["scheduled"], 1);
    assert_eq!(kim["cancelled"], 1);
}

#[test]
fn chart_and_export_say_what_they_wrote_unless_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("story.json");
    let out = out.to_str().unwrap();
    let r = annals(SAMPLE, &["export", "-o", out]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, format!("wrote {out}: 27 events, 12 groups\n"));
    let r = annals(SAMPLE, &["-q", "export", "-o", out]);
    assert_eq!(r.stderr, "");
    let ics = dir.path().join("a.ics");
    let r = annals(
        SAMPLE,
        &[
            "export",
            "--actor",
            "Kim Yo-jong",
            "-o",
            ics.to_str().unwrap(),
        ],
    );
    assert_eq!(r.stderr, format!("wrote {}: 4 events\n", ics.display()));
    let svg = dir.path().join("t.svg");
    let r = annals(
        SAMPLE,
        &["chart", "--lanes", "kind", "-o", svg.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with(&format!("wrote {}: 27 events, ", svg.display()))
            && r.stderr.ends_with(" lanes\n"),
        "{}",
        r.stderr
    );
    let r = annals(SAMPLE, &["--quiet", "chart", "-o", svg.to_str().unwrap()]);
    assert_eq!(r.stderr, "");
}
