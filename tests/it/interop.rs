//! Interop: the committed schema, completions and man pages, exports and
//! the CSV import. The real clients (TimelineJS, icalendar, DuckDB,
//! jsonschema) are exercised by `tests/clients/run`.

use crate::query::annals;

#[test]
fn the_committed_schema_is_what_annals_schema_prints() {
    let r = annals("events", &["schema"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/annals.schema.json"
    ))
    .expect("docs/annals.schema.json exists");
    assert!(
        r.stdout == committed,
        "docs/annals.schema.json is out of date: run `cargo run -- schema > docs/annals.schema.json`"
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("the schema is JSON");
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

#[test]
fn every_sample_file_names_the_schema() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/events")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# yaml-language-server: $schema=../docs/annals.schema.json"),
            "{} lacks the schema line",
            path.display()
        );
    }
}

#[test]
fn completions_are_printed_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _annals"),
        ("zsh", "#compdef annals"),
        ("fish", "complete -c annals"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[annals]"),
    ] {
        let r = annals("events", &["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains(marker), "{shell}: no `{marker}`");
        for sub in ["check", "query", "export", "import", "schema"] {
            assert!(r.stdout.contains(sub), "{shell}: no `{sub}`");
        }
    }
    let r = annals("events", &["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}

#[test]
fn the_man_page_is_roff_naming_every_subcommand() {
    let r = annals("events", &["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".TH annals 1"), "{}", &r.stdout[..200]);
    for sub in ["check", "query", "export", "schema", "completions"] {
        assert!(r.stdout.contains(sub), "no `{sub}`");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let r = annals("events", &["man", "--out-dir", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in [
        "annals.1",
        "annals-query.1",
        "annals-export.1",
        "annals-add-event.1",
    ] {
        let text =
            std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page}");
    }
}

const HOSTILE: &str = "tests/fixtures/query/hostile";

fn ok(dir: &str, args: &[&str]) -> String {
    let r = annals(dir, args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

/// `annals query --format json` without the `file` and `line` of each
/// event: the events themselves.
fn events_of(dir: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&ok(dir, &["query", "--format", "json"])).unwrap();
    let mut rows = v.as_array().unwrap().clone();
    for r in &mut rows {
        let o = r.as_object_mut().unwrap();
        o.remove("file");
        o.remove("line");
    }
    rows
}

/// A copy of the sample record's actors, sources and kinds: the sample
/// without its events.
fn empty_record() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["actors.yaml", "sources.yaml", "kinds.yaml"] {
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("events")
                .join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    dir
}

#[test]
fn export_csv_then_import_csv_into_an_empty_record_gives_the_same_events() {
    let rec = empty_record();
    let dir = rec.path().to_str().unwrap();
    let csv = rec
        .path()
        .join("..")
        .join(format!("annals-roundtrip-{}.csv", std::process::id()));
    ok("events", &["export", "-o", csv.to_str().unwrap()]);
    let r = annals(
        dir,
        &[
            "import",
            "csv",
            csv.to_str().unwrap(),
            "--into",
            "imported.yaml",
        ],
    );
    std::fs::remove_file(&csv).unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.trim_end(),
        format!("imported 27 events into {dir}/imported.yaml")
    );
    assert!(r.stderr.contains("note: ignored columns"), "{}", r.stderr);
    ok(dir, &["check", "--deny-warnings"]);
    let before = events_of("events");
    assert_eq!(before.len(), 27);
    assert_eq!(events_of(dir), before);
    // Quotes and locators came across too.
    let text = std::fs::read_to_string(rec.path().join("imported.yaml")).unwrap();
    assert!(text.contains("quotes:") && text.contains("locator:"));
}

#[test]
fn invalid_rows_are_reported_by_line_and_nothing_is_written() {
    let rec = empty_record();
    let dir = rec.path().to_str().unwrap();
    let csv = rec.path().join("rows.csv.txt");
    std::fs::write(
        &csv,
        "id,date,kind,title,actors,sources\n\
         fine,2024-03-01,statement,Kishida speaks,kishida-fumio:initiator,kei-2024-04-04-dim-prospects\n\
         misspelt,2024-03-02,statement,\"Two\nlines in a quoted cell, so the next row starts on line 5\",kishida-fumo,kei-2024-04-04-dim-prospects\n\
         no-day,2024-02-30,statement,Bad date,japan,kei-2024-04-04-dim-prospects\n\
         role,2024-03-03,statement,Role,japan:boss,kei-2024-04-04-dim-prospects\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let r = annals(dir, &["import", "csv", path, "--into", "new.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!rec.path().join("new.yaml").exists());
    assert!(
        r.stderr.contains(&format!(
            "{path}:3: error[invalid-title]: the title must be one line"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "{path}:3: error[unknown-actor]: unknown actor `kishida-fumo` (did you mean `kishida-fumio`?)"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("{path}:5: error[invalid-date]")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("{path}:6: column `actors`: `boss` is not a role")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("3 of 4 rows are invalid; nothing was written"),
        "{}",
        r.stderr
    );

    let r = annals(
        dir,
        &[
            "import",
            "csv",
            path,
            "--into",
            "new.yaml",
            "--skip-invalid",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("imported 1 event into") && r.stdout.contains("skipped 3 invalid rows")
    );
    let text = std::fs::read_to_string(rec.path().join("new.yaml")).unwrap();
    assert!(text.contains("id: fine") && !text.contains("misspelt"));
    ok(dir, &["check"]);
}

#[test]
fn import_maps_columns_and_refuses_what_it_cannot_map() {
    let rec = empty_record();
    let dir = rec.path().to_str().unwrap();
    let csv = rec.path().join("sheet.csv.txt");
    std::fs::write(
        &csv,
        "When,Type,Headline,Who,Cited in,Related,Notes\n\
         2024-03-01,statement,Kishida speaks,\"kishida-fumio:initiator; kim-jong-un:target\",kei-2024-04-04-dim-prospects,,private\n\
         2024-03-02,statement,Kim replies,kim-jong-un:initiator,kei-2024-04-04-dim-prospects,kishida-speaks:responds-to,\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let r = annals(dir, &["import", "csv", path, "--into", "x.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("no column gives `date`, `kind`, `title`, `actors`, `sources`"),
        "{}",
        r.stderr
    );
    let maps = [
        "When=date",
        "Type=kind",
        "Headline=title",
        "Who=actors",
        "Cited in=sources",
        "Notes=-",
    ];
    let mut args = vec!["import", "csv", path, "--into", "x.yaml"];
    for m in &maps {
        args.extend(["--map", m]);
    }
    let r = annals(dir, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(rec.path().join("x.yaml")).unwrap();
    assert!(text.contains("- id: kishida-speaks"), "{text}");
    assert!(
        text.contains("- {event: kishida-speaks, relation: responds-to}"),
        "{text}"
    );
    assert!(!text.contains("private"));
    let r = annals(
        dir,
        &[
            "import", "csv", path, "--into", "x.yaml", "--map", "When=dat",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `date`?"), "{}", r.stderr);
}

#[test]
fn ics_is_crlf_folded_escaped_and_stable() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--dir", HOSTILE, "export", "--format", "ics"])
        .env("SOURCE_DATE_EPOCH", "1712188800")
        .output()
        .unwrap();
    assert!(out.status.success());
    let ics = String::from_utf8(out.stdout).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare line feeds");
    assert!(!ics.contains('\u{1b}'), "control characters");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("UID:e-hostile@annals\r\n"));
    assert!(unfolded.contains("DTSTAMP:20240404T000000Z\r\n"));
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20240115\r\nDTEND;VALUE=DATE:20240116\r\n"));
    assert!(unfolded.contains("SUMMARY:A title with </text><script>alert(1)</script> and <b>bold</b> *stars* [link](x) | pipe"));

    let sample = |epoch: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["export", "--format", "ics"])
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let a = sample("1712188800");
    assert_eq!(a, sample("1712188800"), "deterministic");
    let unfolded = a.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 27);
    // A one-of range is one day, its first possible one, never an event
    // lasting the range; the summary says the range.
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20240201\r\nDTEND;VALUE=DATE:20240202\r\nSUMMARY:Kishida tells the Diet Japan expressed gratitude for Kim Jong-un's message (one day between 1 and 10 Feb 2024)\r\n"), "{unfolded}");
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20110311\r\nDTEND;VALUE=DATE:20110312\r\nSUMMARY:North Korea extends earthquake support only to ethnic Koreans living in Japan (one day between 11 Mar 2011 and 4 Apr 2024)\r\n"), "{unfolded}");
    // A month spans its days and says so.
    assert!(
        unfolded.contains("DTSTART;VALUE=DATE:20240201\r\nDTEND;VALUE=DATE:20240301\r\nSUMMARY:"),
        "{unfolded}"
    );
    // A day is one all-day event with the title alone.
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240102\r\nSUMMARY:Earthquake devastates the Noto Peninsula in northern Japan\r\n"));
}

#[test]
fn timelinejs_has_one_slide_per_event_at_the_dates_precision_and_escaped_html() {
    let v: serde_json::Value =
        serde_json::from_str(&ok("events", &["export", "--format", "timelinejs"])).unwrap();
    let slides = v["events"].as_array().unwrap();
    assert_eq!(slides.len(), 27);
    let by_id = |id: &str| {
        slides
            .iter()
            .find(|s| s["unique_id"] == id)
            .unwrap()
            .clone()
    };
    let quake = by_id("noto-peninsula-earthquake-2024");
    assert_eq!(
        quake["start_date"],
        serde_json::json!({"year": 2024, "month": 1, "day": 1})
    );
    assert!(quake.get("end_date").is_none());
    // More than 8 first actors: grouped by kind, by its label.
    assert_eq!(quake["group"], "Earthquake");
    let groups: std::collections::BTreeSet<&str> = slides
        .iter()
        .map(|s| s["group"].as_str().unwrap())
        .collect();
    assert!(
        groups.contains("Statement") && !groups.contains("statement"),
        "{groups:?}"
    );
    let by_actor: serde_json::Value = serde_json::from_str(&ok(
        "events",
        &["export", "--format", "timelinejs", "--actor", "Kim Yo-jong"],
    ))
    .unwrap();
    assert_eq!(by_actor["events"][0]["group"], "Kim Yo-jong");
    let month = by_id("hayashi-briefing-rejects-abduction-claim");
    assert_eq!(
        month["start_date"],
        serde_json::json!({"year": 2024, "month": 2})
    );
    assert_eq!(month["display_date"], "Feb 2024");
    let year = slides.iter().find(|s| s["display_date"] == "2023").unwrap();
    assert_eq!(year["start_date"], serde_json::json!({"year": 2023}));
    let between = by_id("kishida-diet-gratitude-for-message");
    assert_eq!(
        between["start_date"],
        serde_json::json!({"year": 2024, "month": 2, "day": 1})
    );
    // One day of a range: its first possible day, never a bar over the
    // range; the display date says the range.
    assert!(between.get("end_date").is_none(), "{between}");
    assert_eq!(between["display_date"], "one day between 1 and 10 Feb 2024");

    let v: serde_json::Value = serde_json::from_str(&ok(
        HOSTILE,
        &["export", "--format", "timelinejs", "--group", "kind"],
    ))
    .unwrap();
    let s = &v["events"][0];
    assert_eq!(s["group"], "Statement");
    let headline = s["text"]["headline"].as_str().unwrap();
    assert!(
        !headline.contains('<') && headline.contains("&lt;script&gt;"),
        "{headline}"
    );
    let text = s["text"]["text"].as_str().unwrap();
    assert!(
        !text.contains("<script") && !text.contains("<img") && !text.contains('\u{1b}'),
        "{text}"
    );
    assert!(
        text.contains("href=\"https://example.org/a?b=1&amp;c=&lt;x&gt;\""),
        "{text}"
    );
}

#[test]
fn export_needs_a_format_or_a_known_extension() {
    let r = annals("events", &["export"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("give --format"), "{}", r.stderr);
    let a = ok(
        "events",
        &["export", "--format", "ndjson", "--kind", "statement"],
    );
    let b = ok(
        "events",
        &["query", "--format", "ndjson", "--kind", "statement"],
    );
    assert_eq!(a, b);
    assert_eq!(
        ok("events", &["export", "--format", "csv"]),
        ok("events", &["query", "--format", "csv"])
    );
}

#[test]
fn import_reads_semicolons_shows_its_yaml_on_a_dry_run_and_every_problem_of_a_row() {
    let rec = empty_record();
    let dir = rec.path().to_str().unwrap();
    // A European-locale Excel sheet: semicolons, a locator with a comma.
    let sheet = rec.path().join("sheet.csv.txt");
    std::fs::write(
        &sheet,
        "Date;Kind;Title;Actors;Sources\n\
         2024-03-02;statement;Kim answers, again;kim-yo-jong:initiator;kei-2024-04-04-dim-prospects (paras. 1, 2)\n",
    )
    .unwrap();
    let path = sheet.to_str().unwrap();
    let r = annals(
        dir,
        &["import", "csv", path, "--into", "new.yaml", "--dry-run"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("    title: Kim answers, again\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("{source: kei-2024-04-04-dim-prospects, locator: \"paras. 1, 2\"}"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("dry run: would import 1 event into"),
        "{}",
        r.stderr
    );
    assert!(!rec.path().join("new.yaml").exists());
    // --delimiter overrides what the header says.
    let r = annals(
        dir,
        &[
            "import",
            "csv",
            path,
            "--into",
            "new.yaml",
            "--delimiter",
            ",",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no column gives"), "{}", r.stderr);

    // A bad role and a misspelt actor in one row: both reported at once.
    std::fs::write(
        &sheet,
        "date\tkind\ttitle\tactors\tsources\n\
         2024-03-02\tstatement\tT\tkishida-fumo:boss\tkei-2024-04-04-dim-prospects\n",
    )
    .unwrap();
    let r = annals(dir, &["import", "csv", path, "--into", "new.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(":2: column `actors`: `boss` is not a role"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            ":2: error[unknown-actor]: unknown actor `kishida-fumo` (did you mean `kishida-fumio`?)"
        ),
        "{}",
        r.stderr
    );
    assert!(!rec.path().join("new.yaml").exists());
}

/// `import csv` from standard input, which the command reads whole so
/// that a pass leaving rows out can read it again.
fn import_stdin(dir: &str, csv: &str, args: &[&str]) -> crate::query::Run {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--dir", dir, "import", "csv", "-", "--into", "old.yaml"])
        .args(args)
        .env_remove("COLUMNS")
        .env_remove("ANNALS_DIR")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    crate::query::Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap(),
    }
}

#[test]
fn import_appends_rows_inside_a_file_and_sets_aside_rows_leaning_on_skipped_ones() {
    let rec = empty_record();
    let dir = rec.path().to_str().unwrap();
    // The events list is not last: the rows go between it and `kinds:`.
    let old = "# hand-written\nevents:\n\n  - id: first\n    date: 2024-03-01\n    kind: statement\n    title: First\n    actors: [japan]\n    sources: [kei-2024-04-04-dim-prospects]\n\n# kinds of this file\nkinds:\n  - id: test-kind\n    label: Test kind\n";
    std::fs::write(rec.path().join("old.yaml"), old).unwrap();
    // `bad` has an impossible date; `leans` responds to it, so it fails
    // only once `bad` is set aside; `a` and `c` are fine.
    let csv = "id,date,kind,title,actors,sources,related\n\
               a,2024-03-02,statement,A,japan,kei-2024-04-04-dim-prospects,first:follows\n\
               bad,2024-02-30,statement,Bad,japan,kei-2024-04-04-dim-prospects,\n\
               leans,2024-03-04,statement,Leans,japan,kei-2024-04-04-dim-prospects,bad:responds-to\n\
               c,2024-03-05,test-kind,C,japan,kei-2024-04-04-dim-prospects,a:follows\n";
    let r = import_stdin(dir, csv, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("<stdin>:3: error[invalid-date]"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("1 of 4 rows are invalid"), "{}", r.stderr);
    let r = import_stdin(dir, csv, &["--skip-invalid", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("<stdin>:4: error[unknown-event]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("would import 2 events into ")
            && r.stderr.contains("skipped 2 invalid rows"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(rec.path().join("old.yaml")).unwrap(),
        old
    );
    // The preview is each item as written, under the comment `add` shows.
    let file = format!("{dir}/old.yaml");
    let item = |id: &str, date: &str, kind: &str, title: &str, rel: &str| {
        format!(
            "# events: in {file}\n  - id: {id}\n    date: {date}\n    kind: {kind}\n    title: {title}\n    actors:\n      - japan\n    related:\n      - {{event: {rel}, relation: follows}}\n    sources:\n      - kei-2024-04-04-dim-prospects"
        )
    };
    let preview = r.stdout.trim_end();
    let want = format!(
        "{}\n\n{}",
        item("a", "2024-03-02", "statement", "A", "first"),
        item("c", "2024-03-05", "test-kind", "C", "a")
    );
    assert_eq!(preview, want);
    let r = import_stdin(dir, csv, &["--skip-invalid"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(rec.path().join("old.yaml")).unwrap();
    // Every old byte kept, the rows right after the last event.
    let at = old.find("\n# kinds").unwrap();
    assert!(
        text.starts_with(&old[..at]) && text.ends_with(&old[at..]),
        "{text}"
    );
    assert!(
        text.contains("\n  - id: a\n") && text.contains("\n  - id: c\n"),
        "{text}"
    );
    assert!(!text.contains("id: bad") && !text.contains("id: leans"));
    ok(dir, &["check"]);
}
