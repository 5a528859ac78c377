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
        for sub in ["check", "query", "export", "schema"] {
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
