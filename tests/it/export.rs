//! `export --format timelinejs` and `ics` are written as they are rendered,
//! a chunk of events at a time (issue 18): the same bytes on stdout, in a
//! file and through a FIFO, whole over many chunks, the warnings and the
//! "wrote" line counted over every chunk, and a terminal still shown
//! escaped TimelineJS and iCalendar as it is.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_annals");

/// More events than two of the renderers' chunks (1,024 events), and two
/// that iCalendar cannot write, one in the first chunk and one in the last.
const EVENTS: usize = 2_500;

fn record() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from(
        "actors:\n  - {id: japan, name: Japan, type: state}\n  - {id: kcna, name: KCNA, type: media}\nsources:\n  - {id: src, title: A report, publisher: A publisher}\nevents:\n",
    );
    for i in 0..EVENTS {
        let date = match i {
            3 => "0000-06-01".to_string(),
            2_400 => "9999-12-31".to_string(),
            _ => format!("{}-{:02}-{:02}", 1990 + i / 100, 1 + i % 12, 1 + i % 28),
        };
        let actor = if i % 2 == 0 { "japan" } else { "kcna" };
        let kind = ["statement", "meeting", "visit"][i % 3];
        yaml.push_str(&format!(
            "  - {{id: e{i:05}, date: \"{date}\", kind: {kind}, title: \"Event {i}, with; text\", actors: [{actor}], sources: [src]}}\n"
        ));
    }
    fs::write(dir.path().join("base.yaml"), yaml).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1712188800")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[cfg(unix)]
#[test]
fn timelinejs_and_ics_are_the_same_bytes_on_stdout_in_a_file_and_through_a_fifo() {
    let rec = record();
    let tmp = tempfile::tempdir().unwrap();
    // Every event, in the order the exports write them.
    let ids = run(rec.path(), &["query", "--format", "ids"]).stdout;
    let selection: Vec<&str> = std::str::from_utf8(&ids).unwrap().lines().collect();
    assert_eq!(selection.len(), EVENTS);
    let ics_warning = "warning: left out 2 events whose dates iCalendar cannot write (years 1 to 9999 only): e00003, e02400";
    for (format, wrote) in [
        // Two first actors: grouped by actor.
        ("timelinejs", format!("{EVENTS} events, 2 groups")),
        ("ics", format!("{} events", EVENTS - 2)),
    ] {
        let piped = run(rec.path(), &["export", "--format", format]);
        let file = tmp.path().join(format!("out.{format}"));
        let to_file = run(
            rec.path(),
            &["export", "--format", format, "-o", file.to_str().unwrap()],
        );
        assert!(fs::read(&file).unwrap() == piped.stdout, "{format}: file");
        let said = stderr(&to_file);
        assert!(
            said.ends_with(&format!("wrote {}: {wrote}\n", file.display())),
            "{format}: {said}"
        );
        let fifo = tmp.path().join(format!("fifo-{format}"));
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        run(
            rec.path(),
            &["export", "--format", format, "-o", fifo.to_str().unwrap()],
        );
        assert!(reader.join().unwrap() == piped.stdout, "{format}: FIFO");

        let text = String::from_utf8(piped.stdout.clone()).unwrap();
        if format == "ics" {
            assert_eq!(stderr(&piped), format!("{ics_warning}\n"));
            assert!(said.starts_with(ics_warning), "{said}");
            let uids: Vec<&str> = text
                .split("\r\n")
                .filter_map(|l| l.strip_prefix("UID:"))
                .collect();
            let want: Vec<String> = selection
                .iter()
                .filter(|id| !["e00003", "e02400"].contains(id))
                .map(|id| format!("{id}@annals"))
                .collect();
            assert_eq!(uids, want);
            assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        } else {
            assert_eq!(stderr(&piped), "");
            // Valid JSON over every chunk, every slide in order.
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let ids: Vec<&str> = v["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["unique_id"].as_str().unwrap())
                .collect();
            assert_eq!(ids, selection);
            // One pretty-printed document, its slides joined alike across
            // the chunks' seams (serde_json's `Value` would reorder the keys,
            // so the layout is checked, not re-serialized).
            assert!(text.starts_with("{\n  \"events\": [\n    {\n      \"unique_id\": "));
            assert!(text.ends_with("\n    }\n  ]\n}\n"));
            assert_eq!(text.matches("\n    },\n    {\n").count(), EVENTS - 1);
            assert_eq!(text.matches("\"events\"").count(), 1);
        }
    }
}

#[test]
fn an_empty_selection_is_an_empty_timeline_and_calendar() {
    let rec = record();
    let none = ["--tag", "nothing-has-this"];
    let json = run(
        rec.path(),
        &[&["export", "--format", "timelinejs"][..], &none].concat(),
    );
    assert_eq!(
        String::from_utf8(json.stdout).unwrap(),
        "{\n  \"events\": []\n}\n"
    );
    let ics = run(
        rec.path(),
        &[&["export", "--format", "ics"][..], &none].concat(),
    );
    assert_eq!(
        String::from_utf8(ics.stdout).unwrap(),
        concat!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//annals//annals ",
            env!("CARGO_PKG_VERSION"),
            "//EN\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n"
        )
    );
}

/// A record of one event titled `title` (YAML double-quoted text).
fn one_event(title: &str) -> tempfile::TempDir {
    let rec = tempfile::tempdir().unwrap();
    fs::write(
        rec.path().join("base.yaml"),
        format!("actors:\n  - {{id: japan, name: Japan, type: state}}\nsources:\n  - {{id: src, title: A report, publisher: A publisher}}\nevents:\n  - {{id: a, date: 2024-01-01, kind: statement, title: \"{title}\", actors: [japan], sources: [src]}}\n"),
    )
    .unwrap();
    rec
}

/// What `export --format FORMAT` shows on a terminal (`script` gives
/// annals one for its stdout), with the terminal's CR before each line
/// feed taken out again.
fn on_terminal(rec: &Path, format: &str) -> String {
    let out = Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "{BIN} --dir {} export --format {format}",
            rec.display()
        ))
        .arg("/dev/null")
        .env("SOURCE_DATE_EPOCH", "1712188800")
        .output()
        .expect("script(1) from util-linux runs");
    assert!(out.status.success(), "{format}: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .replace("\r\r\n", "\r\n")
        .replace("\r\n", "\n")
}

fn piped(rec: &Path, format: &str) -> String {
    String::from_utf8(run(rec, &["export", "--format", format]).stdout).unwrap()
}

#[cfg(unix)]
#[test]
fn on_a_terminal_timelinejs_and_ics_are_shown_whole_and_ics_keeps_its_crlf() {
    let rec = one_event("A title, with; text & <b>");
    // TimelineJS goes through the terminal escaping whole (its texts are
    // HTML-escaped, so there is nothing left to escape), not chunk by chunk.
    let json = piped(rec.path(), "timelinejs");
    assert!(
        json.contains("A title, with; text &amp; &lt;b&gt;"),
        "{json}"
    );
    assert_eq!(on_terminal(rec.path(), "timelinejs"), json);
    // iCalendar's CR LF line ends are the format's, not the record's: a
    // terminal gets them as they are, not `\u{d}`.
    let ics = piped(rec.path(), "ics");
    assert!(
        ics.contains("SUMMARY:A title\\, with\\; text & <b>\r\n"),
        "{ics:?}"
    );
    let shown = on_terminal(rec.path(), "ics");
    assert!(!shown.contains("\\u{d}"), "{shown:?}");
    assert_eq!(shown, ics.replace("\r\n", "\n"));
}

#[cfg(unix)]
#[test]
fn on_a_terminal_ics_escapes_bidi_controls_and_a_file_keeps_them() {
    // U+202E (right-to-left override) would reorder what the terminal
    // shows after it; iCalendar text keeps it (it is text, not a control
    // of the format), so only the terminal view escapes it.
    let rec = one_event("Talks \u{202e}gnoL\u{202c} end");
    let ics = piped(rec.path(), "ics");
    assert!(
        ics.contains("SUMMARY:Talks \u{202e}gnoL\u{202c} end\r\n"),
        "{ics:?}"
    );
    let shown = on_terminal(rec.path(), "ics");
    assert!(!shown.contains('\u{202e}'), "{shown:?}");
    assert!(
        shown.contains("SUMMARY:Talks \\u{202e}gnoL\\u{202c} end\n"),
        "{shown:?}"
    );
    assert!(!shown.contains("\\u{d}"), "{shown:?}");
}
