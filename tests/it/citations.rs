//! Sources as references: the CSL-JSON and BibTeX exports, pandoc
//! citations in the Markdown timeline, `import csl-json` and its round
//! trip, the record's `settings:`. pandoc itself reads these files in
//! `tests/clients/pandoc_check.py`.

use crate::query::annals;
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `annals --dir DIR ARGS..` for a directory anywhere (a temporary one).
fn run_in(dir: &Path, args: &[&str]) -> crate::query::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .current_dir(ROOT)
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env_remove("ANNALS_DIR")
        .env("NO_COLOR", "1")
        .output()
        .expect("the annals binary runs");
    crate::query::Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap(),
    }
}

/// The sample record without its sources file, in a temporary directory.
fn sample_without_sources() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(format!("{ROOT}/events")).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap() != "sources.yaml" {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

#[test]
fn csl_json_of_the_sample_record() {
    let r = annals("events", &["export", "--format", "csl-json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let items: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let items = items.as_array().unwrap();
    // Every source of the sample is cited by some event.
    assert_eq!(items.len(), 8);
    for it in items {
        for key in ["id", "type", "title"] {
            assert!(it[key].is_string(), "{key} in {it}");
        }
    }
    insta::assert_snapshot!("csl-json-sample", r.stdout);
}

#[test]
fn bibtex_of_the_sample_record() {
    let r = annals("events", &["export", "--format", "bibtex"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches("\n@").count() + 1, 8);
    insta::assert_snapshot!("bibtex-sample", r.stdout);
}

#[test]
fn exports_hold_the_sources_the_selected_events_cite_or_all() {
    // Only the KEI article and the KCNA report are cited by the events
    // wholly inside January's first week.
    let r = annals(
        "events",
        &[
            "export",
            "--format",
            "csl-json",
            "--from",
            "2024-01-01",
            "--to",
            "2024-01-06",
            "--within",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "kcna-2024-01-06-kim-sympathy-message",
            "kei-2024-04-04-dim-prospects"
        ]
    );
    let all = annals(
        "events",
        &[
            "export",
            "--format",
            "bibtex",
            "--all-sources",
            "--from",
            "2024-01-01",
            "--to",
            "2024-01-06",
        ],
    );
    assert_eq!(all.stdout.matches('@').count(), 8);
    let wrong = annals("events", &["export", "--format", "csv", "--all-sources"]);
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
}

#[test]
fn keys_types_dates_and_specials_reach_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.yaml"),
        r#"sources:
  - id: odd
    key: ono2024
    type: webpage
    title: 'Odd {x} 50% & #1 a_b back\slash'
    publisher: 'P&Co'
    author: ['Ōno, Yōko', Korean Central News Agency]
    url: https://example.org/a_b%20c#frag
    archived: https://web.archive.org/web/2024/https://example.org/a_b
    published: 2024-02~
    accessed: "[2024-03-25..2024-03-31]"
actors: [{id: a, name: A, type: state}]
events:
  - {id: e, date: 2024-01-01, kind: other, title: T, actors: [a], sources: [{source: odd, locator: "para. 3"}]}
"#,
    )
    .unwrap();
    let csl = run_in(dir.path(), &["export", "--format", "csl-json"]);
    assert_eq!(csl.code, 0, "{}", csl.stderr);
    let v: serde_json::Value = serde_json::from_str(&csl.stdout).unwrap();
    let it = &v[0];
    assert_eq!(it["id"], "ono2024");
    assert_eq!(it["type"], "webpage");
    assert_eq!(it["container-title"], "P&Co");
    assert_eq!(it["title"], r"Odd {x} 50% & #1 a_b back\slash");
    assert_eq!(it["author"][0]["family"], "Ōno");
    assert_eq!(it["author"][0]["given"], "Yōko");
    assert_eq!(it["author"][1]["literal"], "Korean Central News Agency");
    assert_eq!(it["issued"]["date-parts"], serde_json::json!([[2024, 2]]));
    assert_eq!(it["issued"]["circa"], true);
    assert_eq!(it["issued"]["raw"], "2024-02~");
    assert_eq!(
        it["accessed"]["date-parts"],
        serde_json::json!([[2024, 3, 25], [2024, 3, 31]])
    );
    assert_eq!(
        it["archive_location"],
        "https://web.archive.org/web/2024/https://example.org/a_b"
    );
    let bib = run_in(dir.path(), &["export", "--format", "bibtex"]);
    assert!(
        bib.stdout.starts_with("@online{ono2024,\n"),
        "{}",
        bib.stdout
    );
    assert!(
        bib.stdout
            .contains(r"title = {{Odd \{x\} 50\% \& \#1 a\_b back\textbackslash{}slash}},"),
        "{}",
        bib.stdout
    );
    assert!(
        bib.stdout
            .contains("author = {{Ōno}, Yōko and {Korean Central News Agency}},")
    );
    assert!(bib.stdout.contains("date = {2024-02},"));
    assert!(bib.stdout.contains("urldate = {2024-03-25/2024-03-31},"));
    let md = run_in(
        dir.path(),
        &["timeline", "--format", "md", "--cite", "pandoc"],
    );
    assert!(
        md.stdout.contains("  [@ono2024, para. 3]\n"),
        "{}",
        md.stdout
    );
}

#[test]
fn pandoc_timeline_of_the_sample_record() {
    let r = annals(
        "events",
        &["timeline", "--format", "md", "--cite", "pandoc"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("[@kei-2024-04-04-dim-prospects, paras. 1-2]")
    );
    assert!(r.stdout.ends_with("::: {#refs}\n:::\n"));
    insta::assert_snapshot!("timeline-pandoc-sample", r.stdout);
    let bad = annals(
        "events",
        &["timeline", "--format", "html", "--cite", "pandoc"],
    );
    assert_eq!(bad.code, 2);
}

#[test]
fn csl_json_round_trip_gives_the_same_sources() {
    let exported = annals(
        "events",
        &["export", "--format", "csl-json", "--all-sources"],
    );
    assert_eq!(exported.code, 0);
    let dir = sample_without_sources();
    let file = dir.path().join("refs.json");
    std::fs::write(&file, &exported.stdout).unwrap();
    let r = run_in(dir.path(), &["import", "csl-json", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("imported 8 sources into "),
        "{}",
        r.stdout
    );
    std::fs::remove_file(&file).unwrap();

    let original = annals::check::check_dir(Path::new(&format!("{ROOT}/events"))).unwrap();
    let again = annals::check::check_dir(dir.path()).unwrap();
    assert_eq!(again.tally().errors + again.tally().warnings, 0);
    let fields = |s: &annals::model::Source| {
        (
            s.id.to_string(),
            s.cite_key().to_string(),
            s.title.clone(),
            s.publisher.clone(),
            s.authors.clone(),
            s.url.clone(),
            s.published.clone(),
            s.accessed.clone(),
            s.note.as_deref().map(str::trim).map(String::from),
            s.archived.clone(),
            s.source_type,
        )
    };
    let a: Vec<_> = original.record.sources.iter().map(fields).collect();
    let b: Vec<_> = again.record.sources.iter().map(fields).collect();
    assert_eq!(a, b);
    let back = run_in(
        dir.path(),
        &["export", "--format", "csl-json", "--all-sources"],
    );
    assert_eq!(back.stdout, exported.stdout);

    // Importing again adds nothing: every key is already there.
    std::fs::write(&file, &exported.stdout).unwrap();
    let r = run_in(dir.path(), &["import", "csl-json", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("skipped: the record already has").count(),
        8
    );
}

#[test]
fn import_reports_every_bad_entry_and_writes_nothing() {
    let dir = sample_without_sources();
    let file = dir.path().join("refs.json");
    let target = dir.path().join("sources.yaml");

    std::fs::write(&file, r#"{"id": "x"}"#).unwrap();
    let r = run_in(dir.path(), &["import", "csl-json", file.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("a CSL-JSON file is an array of items, found an object"),
        "{}",
        r.stderr
    );

    std::fs::write(&file, "[1, 2").unwrap();
    let r = run_in(dir.path(), &["import", "csl-json", file.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not a JSON file"), "{}", r.stderr);

    std::fs::write(
        &file,
        r#"[
  {"title": "No id", "publisher": "P"},
  {"id": "bad-date", "title": "T", "publisher": "P", "issued": {"date-parts": [[2024, 13]]}},
  {"id": "words", "title": "T", "publisher": "P", "issued": {"literal": "last spring"}},
  "not an item",
  {"id": "good", "type": "report", "title": "Good", "publisher": "P", "accessed": {"date-parts": [["2024", "5", "1"]]}, "URL": "https://example.org/good"}
]"#,
    )
    .unwrap();
    let r = run_in(dir.path(), &["import", "csl-json", file.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!target.exists(), "nothing is written");
    for needle in [
        "entry 1: has no `id`",
        "entry 2 (`bad-date`): `issued`: cannot read `2024-13`",
        "entry 3 (`words`): `issued`: cannot read `last spring` as a date",
        "entry 4: an item must be an object, found a string",
        "4 of 5 entries are invalid; nothing was written",
    ] {
        assert!(r.stderr.contains(needle), "no `{needle}` in\n{}", r.stderr);
    }
    let r = run_in(
        dir.path(),
        &[
            "import",
            "csl-json",
            file.to_str().unwrap(),
            "--skip-invalid",
            "--dry-run",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!target.exists(), "a dry run writes nothing");
    let r = run_in(
        dir.path(),
        &[
            "import",
            "csl-json",
            file.to_str().unwrap(),
            "--skip-invalid",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("imported 1 source into"), "{}", r.stdout);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("  - id: good\n"), "{text}");
    assert!(text.contains("    accessed: 2024-05-01\n"), "{text}");
    assert!(text.contains("    type: report\n"), "{text}");

    // The same URL under another key is skipped, with a note.
    std::fs::write(
        &file,
        r#"[{"id": "other-key", "title": "Good", "publisher": "P", "URL": "https://example.org/good"}]"#,
    )
    .unwrap();
    let r = run_in(dir.path(), &["import", "csl-json", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("already has a source with URL `https://example.org/good`"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_unarchived_warning_can_be_turned_off_in_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = format!("{ROOT}/tests/fixtures/invalid/unarchived-source/record.yaml");
    std::fs::copy(&fixture, dir.path().join("record.yaml")).unwrap();
    let r = run_in(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.stdout.matches("warning[unarchived-source]").count(), 1);
    std::fs::write(
        dir.path().join("settings.yaml"),
        "settings:\n  warn-unarchived: false\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}
