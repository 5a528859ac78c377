//! Hostile records and hostile places to write, from the adversarial review
//! of issue 11 (the write and export side): formula and terminal injection
//! in CSV, dates iCalendar cannot hold, Markdown link destinations, `-o`
//! onto things that are not regular files, and `add` through links, two
//! spellings of one file, and hand edits. docs/testing.md lists each case.

use crate::query::annals;
use std::fs;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_annals");

/// A record whose text attacks every output: script in names and labels
/// (raw and entity-encoded), formula-leading titles, a title that really
/// begins with `'=`, a leading tab, years iCalendar cannot write, a URL
/// with a backslash and an entity.
const HOSTILE: &str = r#"actors:
  - {id: japan, name: "&lt;img src=x onerror=&quot;document.title='XSS'&quot;&gt;", type: state}
  - {id: kcna, name: "<img src=x onerror=\"window.pwned=1\">", type: media}
sources:
  - {id: src, title: A report, publisher: A publisher, url: "https://example.org/a\\b?x=1&amp;y=2"}
kinds:
  - {id: evil, label: "<b onmouseover=\"window.pwned=2\">javascript:alert(1)</b>"}
events:
  - {id: a, date: -0500, kind: evil, title: "=HYPERLINK(\"http://x\")", actors: [japan], sources: [src]}
  - {id: b, date: 0000-01-01, kind: statement, title: "+1", actors: [kcna], sources: [src]}
  - {id: c, date: 9999-12-31, kind: statement, title: "'=quoted", actors: [japan], sources: [src]}
  - {id: d, date: 2024-01-01, kind: statement, title: "@SUM(A1)", summary: "\tleading tab", actors: [japan], sources: [src]}
  - {id: e, date: 2024-01-02, kind: statement, title: "-2", summary: "'plain", location: "'Tis here", actors: [kcna], sources: [src]}
"#;

fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("base.yaml"), HOSTILE).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn ok(dir: &str, args: &[&str]) -> String {
    let r = annals(dir, args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

/// The events as `query --format json` gives them, without `file`/`line`.
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

#[test]
fn csv_neutralises_formula_cells_and_import_restores_them_exactly() {
    let rec = hostile();
    let dir = s(rec.path());
    for args in [
        &["export", "--format", "csv"][..],
        &["query", "--format", "csv"][..],
    ] {
        let csv = ok(dir, args);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        for row in r.records() {
            for cell in row.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{args:?}: a cell a spreadsheet would run: {cell:?}"
                );
            }
        }
        assert!(csv.contains(",\"'=HYPERLINK("), "{csv}");
        assert!(csv.contains(",''=quoted,"), "{csv}");
        assert!(csv.contains(",'-0500,"), "{csv}");
    }
    // Export, then import into a record without the events: the same
    // events, a title that really begins with `'=` included.
    let csv = ok(dir, &["export", "--format", "csv"]);
    let empty = tempfile::tempdir().unwrap();
    let base = HOSTILE.split("events:").next().unwrap();
    fs::write(empty.path().join("base.yaml"), base).unwrap();
    let file = empty.path().join("in.csv.txt");
    fs::write(&file, &csv).unwrap();
    let r = annals(
        s(empty.path()),
        &["import", "csv", s(&file), "--into", "imported.yaml"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(events_of(s(empty.path())), events_of(dir));
    // A hand-made sheet: a leading `'` before anything else is kept.
    let text = fs::read_to_string(empty.path().join("imported.yaml")).unwrap();
    assert!(text.contains("'Tis here"), "{text}");
}

#[test]
fn an_unclosed_csv_quote_is_named_with_its_line() {
    let rec = hostile();
    let dir = s(rec.path());
    let file = rec.path().join("bad.csv.txt");
    fs::write(
        &file,
        "date,kind,title,actors,sources\n2024-01-01,statement,Fine,japan,src\n2024-01-02,statement,\"Open quote,japan,src\n2024-01-03,statement,Late,japan,src\n",
    )
    .unwrap();
    let r = annals(dir, &["import", "csv", s(&file), "--into", "x.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(":3: the quote opened on line 3 is never closed"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("cells"), "{}", r.stderr);
}

#[test]
fn csv_on_a_terminal_escapes_control_characters() {
    let rec = tempfile::tempdir().unwrap();
    fs::write(
        rec.path().join("base.yaml"),
        "actors:\n  - {id: japan, name: Japan, type: state}\nsources:\n  - {id: src, title: A report, publisher: A publisher}\nevents:\n  - {id: a, date: 2024-01-01, kind: statement, title: \"x\\e]52;c;cHduZWQ=\\u0007y\", actors: [japan], sources: [src]}\n",
    )
    .unwrap();
    // `script` gives annals a terminal for its stdout.
    let out = Command::new("script")
        .args(["-qec"])
        .arg(format!("{BIN} --dir {} export --format csv", s(rec.path())))
        .arg("/dev/null")
        .output()
        .expect("script(1) from util-linux runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(text.contains("x\\u{1b}]52;c;cHduZWQ=\\u{7}y"), "{text:?}");
    // Piped, the bytes are the record's.
    let piped = ok(s(rec.path()), &["export", "--format", "csv"]);
    assert!(piped.contains("x\x1b]52;c;cHduZWQ=\x07y"), "{piped:?}");
}

#[test]
fn ics_leaves_out_years_it_cannot_write_and_warns() {
    let rec = hostile();
    let r = annals(s(rec.path()), &["export", "--format", "ics"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in r.stdout.lines().filter(|l| l.starts_with("DT")) {
        let value = line.rsplit(':').next().unwrap();
        assert!(
            value.len() >= 8 && value.starts_with(|c: char| c.is_ascii_digit()),
            "{line}"
        );
        let year: u32 = value[..4].parse().unwrap();
        assert!((1..=9999).contains(&year) && value.len() <= 16, "{line}");
    }
    assert_eq!(r.stdout.matches("BEGIN:VEVENT").count(), 2, "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "warning: left out 3 events whose dates iCalendar cannot write (years 1 to 9999 only): a, b, c"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn markdown_link_destinations_keep_backslashes_and_entities() {
    let rec = hostile();
    let md = ok(s(rec.path()), &["timeline", "--format", "md"]);
    // CommonMark reads `\\` as `\` and `\&` as `&` in a destination, so the
    // link goes to the URL as written, not `a%5Cb` or `&y=2`.
    assert!(
        md.contains("](https://example.org/a\\\\b?x=1\\&amp;y=2)"),
        "{md}"
    );
}

#[test]
fn timelinejs_encodes_every_text_it_renders() {
    for group in ["actor", "kind"] {
        let rec = hostile();
        let json = ok(
            s(rec.path()),
            &["export", "--format", "timelinejs", "--group", group],
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for e in v["events"].as_array().unwrap() {
            // TimelineJS decodes a group's entities once and sets what it
            // gets as HTML: decoded once, it must still hold no markup, so
            // no `<` at all and every `&` is `&amp;`.
            let g = e["group"].as_str().unwrap();
            assert!(!g.contains(['<', '>', '"']), "{group}: {g}");
            assert_eq!(
                g.matches('&').count(),
                g.matches("&amp;").count(),
                "{group}: {g}"
            );
            for field in ["headline", "text"] {
                let t = e["text"][field].as_str().unwrap();
                assert!(!t.contains("<img") && !t.contains("<b "), "{t}");
            }
        }
    }
}

// ---- `-o` onto what is not a regular file -------------------------------

#[cfg(unix)]
#[test]
fn output_writes_through_links_and_into_fifos_and_devices() {
    use std::os::unix::fs::FileTypeExt;
    let rec = hostile();
    let dir = s(rec.path());
    let tmp = tempfile::tempdir().unwrap();
    // A symlink stays a link; its target gets the export.
    let target = tmp.path().join("target.csv");
    fs::write(&target, "old\n").unwrap();
    let link = tmp.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let csv = ok(dir, &["export", "--format", "csv"]);
    ok(dir, &["export", "--format", "csv", "-o", s(&link)]);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), csv);
    // Charts too.
    let svg_target = tmp.path().join("chart-target.svg");
    let svg_link = tmp.path().join("chart.svg");
    std::os::unix::fs::symlink(&svg_target, &svg_link).unwrap();
    ok(dir, &["chart", "-o", s(&svg_link)]);
    assert!(
        fs::symlink_metadata(&svg_link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&svg_target).unwrap().contains("<svg"));
    // A FIFO is written into and stays a FIFO.
    let fifo = tmp.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let r = annals(dir, &["timeline", "--format", "md", "-o", s(&fifo)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got = reader.join().unwrap();
    assert!(got.contains("## Sources"), "{got}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // A character device (a null device made here, where we may) is written
    // into and stays a device.
    let null = tmp.path().join("null");
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        ok(dir, &["export", "--format", "ics", "-o", s(&null)]);
        assert!(
            fs::symlink_metadata(&null)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    } else {
        eprintln!("mknod is not allowed here: the character-device case was not run");
    }
    // /dev/stdout is our standard output.
    let out = Command::new(BIN)
        .args([
            "--dir",
            dir,
            "export",
            "--format",
            "csv",
            "-o",
            "/dev/stdout",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), csv);
    assert!(
        fs::symlink_metadata("/dev/stdout")
            .map(|m| !m.file_type().is_file())
            .unwrap_or(true)
    );
    // A regular file is still replaced atomically, keeping its mode.
    let plain = tmp.path().join("plain.csv");
    fs::write(&plain, "old\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&plain, fs::Permissions::from_mode(0o640)).unwrap();
    ok(dir, &["export", "--format", "csv", "-o", s(&plain)]);
    assert_eq!(fs::read_to_string(&plain).unwrap(), csv);
    assert_eq!(
        fs::metadata(&plain).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

// ---- `add` through links and locks --------------------------------------

const PEOPLE: &str = "actors:\n  - {id: japan, name: Japan, type: state}\nsources:\n  - {id: src, title: A report, publisher: A publisher}\n";

fn add_args<'a>(file: &'a str, id: &'a str) -> Vec<&'a str> {
    vec![
        "add",
        "event",
        "--file",
        file,
        "--id",
        id,
        "--date",
        "2024-05-01",
        "--kind",
        "statement",
        "--title",
        "Said",
        "--actor",
        "japan",
        "--source",
        "src",
    ]
}

#[cfg(unix)]
#[test]
fn add_refuses_a_symlinked_lock_file() {
    let rec = tempfile::tempdir().unwrap();
    fs::write(rec.path().join("base.yaml"), PEOPLE).unwrap();
    let victim = rec.path().join("victim");
    std::os::unix::fs::symlink(&victim, rec.path().join(".annals.lock")).unwrap();
    let r = annals(s(rec.path()), &add_args("f.yaml", "x"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(!victim.exists(), "the lock link was followed");
    assert!(!rec.path().join("f.yaml").exists());
}

#[cfg(unix)]
#[test]
fn add_refuses_targets_reached_through_links() {
    let rec = tempfile::tempdir().unwrap();
    let root = rec.path();
    fs::write(root.join("base.yaml"), PEOPLE).unwrap();
    fs::create_dir(root.join("real")).unwrap();
    fs::write(root.join("real/x.yaml"), "events:\n").unwrap();
    // A folder reached through a symlink.
    std::os::unix::fs::symlink(root.join("real"), root.join("linked")).unwrap();
    let r = annals(s(root), &add_args("linked/x.yaml", "x1"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    fs::remove_file(root.join("linked")).unwrap();
    // A second (hard) link to a file already in the record.
    fs::hard_link(root.join("real/x.yaml"), root.join("again.yaml")).unwrap();
    let r = annals(s(root), &add_args("again.yaml", "x2"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("real/x.yaml"), "{}", r.stderr);
    fs::remove_file(root.join("again.yaml")).unwrap();
    // A symlink elsewhere in the record to the target: the target is read
    // twice, so adding to it would make duplicate ids.
    std::os::unix::fs::symlink(root.join("real/x.yaml"), root.join("alias.yaml")).unwrap();
    let r = annals(s(root), &add_args("real/x.yaml", "x3"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("alias.yaml"), "{}", r.stderr);
    fs::remove_file(root.join("alias.yaml")).unwrap();
    assert_eq!(
        fs::read_to_string(root.join("real/x.yaml")).unwrap(),
        "events:\n"
    );
    ok(s(root), &add_args("real/x.yaml", "x4"));
}

#[test]
fn a_failed_add_removes_the_folders_it_made() {
    let rec = tempfile::tempdir().unwrap();
    fs::write(rec.path().join("base.yaml"), PEOPLE).unwrap();
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(rec.path())
        .args(add_args("new/deeper/x.yaml", "x"))
        .env("ANNALS_FAULT", "rename")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!rec.path().join("new").exists(), "the folders were left");
    // An add refused for its content makes none either.
    let r = annals(
        s(rec.path()),
        &[
            "add",
            "event",
            "--file",
            "new/x.yaml",
            "--date",
            "2024-05-01",
            "--kind",
            "statement",
            "--title",
            "T",
            "--actor",
            "nobody",
            "--source",
            "src",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!rec.path().join("new").exists(), "the folders were left");
}

#[test]
fn a_hand_edit_during_add_is_kept() {
    let rec = tempfile::tempdir().unwrap();
    fs::write(rec.path().join("base.yaml"), PEOPLE).unwrap();
    fs::write(rec.path().join("f.yaml"), "events:\n").unwrap();
    // `handedit` appends a line to the file just before `add` would rename
    // its new text over it: the worst moment for an editor to save.
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(rec.path())
        .args(add_args("f.yaml", "x"))
        .env("ANNALS_FAULT", "handedit")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(rec.path().join("f.yaml")).unwrap();
    assert!(text.contains("# edited by hand\n"), "{text}");
    assert!(text.contains("id: x"), "{text}");
    // A line written across the rename, into the file being replaced (a
    // `>>` opened before it), is carried over to the new file.
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(rec.path())
        .args(add_args("f.yaml", "x2"))
        .env("ANNALS_FAULT", "lateappend")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(rec.path().join("f.yaml")).unwrap();
    assert_eq!(text.matches("# edited by hand\n").count(), 2, "{text}");
    assert!(text.ends_with("# edited by hand\n"), "{text}");
    assert!(text.contains("id: x2"), "{text}");
    // A new file made by hand meanwhile is not replaced either.
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(rec.path())
        .args(add_args("g.yaml", "yy"))
        .env("ANNALS_FAULT", "handedit")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(rec.path().join("g.yaml")).unwrap();
    assert!(text.contains("# edited by hand\n"), "{text}");
    assert!(text.contains("id: yy"), "{text}");
}

#[test]
fn the_actors_csv_neutralises_formula_cells_too() {
    let rec = tempfile::tempdir().unwrap();
    fs::write(
        rec.path().join("base.yaml"),
        "actors:\n  - {id: calc, name: \"=cmd|' /C calc'!A0\", type: person, aliases: [\"@x\"]}\n",
    )
    .unwrap();
    let csv = ok(s(rec.path()), &["actors", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    for row in r.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    assert!(csv.contains(",'=cmd|"), "{csv}");
}
