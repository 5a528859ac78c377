//! Hostile records, the read side of issue 11: links out of the record,
//! FIFOs and devices, huge lines and files, deep folders, odd names and
//! characters. Each is made at test time in a temporary directory and run
//! through the built binary under the kill-timer of `check::run`, so a hang
//! fails instead of blocking; where memory is the point, the run also gets
//! an address-space limit (`ulimit -v`), so a file read without bound makes
//! the process fail rather than the machine swap.

use crate::check::{Run, annals, check, human_codes, json, only, run, run_for, summary};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// One actor and one source, so that events can be valid.
const BASE: &str = "actors:\n  - {id: a, name: A, type: other}\n\
                    sources:\n  - {id: s, title: S, publisher: P}\n";

/// A valid event with `title` written as given (raw YAML).
fn event(id: &str, title: &str) -> String {
    format!(
        "  - id: {id}\n    date: 2024-01-02\n    kind: statement\n    title: {title}\n    \
         actors: [a]\n    sources: [s]\n"
    )
}

fn record_with_titles(titles: &[&str]) -> String {
    let mut s = format!("{BASE}events:\n");
    for (i, t) in titles.iter().enumerate() {
        s.push_str(&event(&format!("e{i}"), t));
    }
    s
}

/// `annals --dir DIR check ARGS...` with its address space limited to
/// `mib` MiB.
pub(crate) fn check_limited(dir: &Path, args: &[&str], mib: u64) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mib * 1024))
        .arg(env!("CARGO_BIN_EXE_annals"))
        .arg("--dir")
        .arg(dir)
        .arg("check")
        .args(args)
        .env_remove("ANNALS_DIR")
        .env_remove("NO_COLOR");
    run(cmd)
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {path:?}");
}

// ---------------------------------------------------------------------------
// Item 2: links out of the record.

/// A link to a file outside the record, and one to a folder outside it, are
/// reported as `outside-record` and never read: their secret never shows.
#[cfg(unix)]
#[test]
fn links_out_of_the_record_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let rec = tmp.path().join("rec");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&rec).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("key.yaml"), "SECRET-KEY-LINE: 1\nevents: 3\n").unwrap();
    std::fs::write(rec.join("ok.yaml"), BASE).unwrap();
    std::os::unix::fs::symlink(outside.join("key.yaml"), rec.join("key.yaml")).unwrap();
    std::os::unix::fs::symlink("../outside", rec.join("more")).unwrap();
    for format in ["json", "human"] {
        let r = check(&rec, &["--format", format]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(!r.stdout.contains("SECRET"), "{}", r.stdout);
        assert!(!r.stderr.contains("SECRET"), "{}", r.stderr);
        if format == "json" {
            let d = json(&r);
            assert_eq!(codes(&d), ["outside-record", "outside-record"], "{d:#?}");
            assert!(d.iter().all(|d| d["line"].is_null()), "{d:#?}");
        }
    }
}

/// The issue's own case: a link to `/proc/self/environ` printed the
/// environment in its snippet.
#[cfg(target_os = "linux")]
#[test]
fn a_link_to_the_environment_is_not_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", tmp.path().join("env.yaml")).unwrap();
    let mut cmd = annals();
    cmd.env("ANNALS_TEST_TOKEN", "ci-token-7f3a9")
        .arg("--dir")
        .arg(tmp.path())
        .arg("check");
    let r = run(cmd);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(!r.stdout.contains("ci-token-7f3a9"), "{}", r.stdout);
    assert_eq!(human_codes(&r.stdout), ["outside-record"], "{}", r.stdout);
}

/// `ln -s /dev/zero rec/z.yaml` reached 7.8 GB: now it is outside the
/// record and never opened, under a 512 MiB address-space limit.
#[cfg(target_os = "linux")]
#[test]
fn a_link_to_dev_zero_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join("z.yaml")).unwrap();
    let r = check_limited(tmp.path(), &[], 512);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(human_codes(&r.stdout), ["outside-record"], "{}", r.stdout);
}

/// A link that stays inside the record is followed as before.
#[cfg(unix)]
#[test]
fn links_inside_the_record_are_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let hidden = tmp.path().join(".drafts");
    std::fs::create_dir(&hidden).unwrap();
    std::fs::write(hidden.join("x.yaml"), BASE).unwrap();
    std::os::unix::fs::symlink(".drafts/x.yaml", tmp.path().join("x.yaml")).unwrap();
    let r = check(tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(summary(&r.stdout).contains("1 actor, 1 source in 1 file"));
}

// ---------------------------------------------------------------------------
// Item 7: FIFOs and other non-regular files.

/// A FIFO named like a record file hung every command in `open`. Now it is
/// reported as `not-a-file` and not opened; so is a link to one.
#[cfg(unix)]
#[test]
fn a_fifo_in_the_record_is_reported_not_opened() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("ok.yaml"), BASE).unwrap();
    mkfifo(&tmp.path().join("pipe.yaml"));
    std::fs::create_dir(tmp.path().join(".p")).unwrap();
    mkfifo(&tmp.path().join(".p/fifo"));
    std::os::unix::fs::symlink(".p/fifo", tmp.path().join("link.yaml")).unwrap();
    // A FIFO without a YAML name is skipped, as other such files are.
    mkfifo(&tmp.path().join("notes"));
    let r = run_for(
        {
            let mut c = annals();
            c.arg("--dir")
                .arg(tmp.path())
                .args(["check", "--format", "json"]);
            c
        },
        Duration::from_secs(20),
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = json(&r);
    assert_eq!(codes(&d), ["not-a-file", "not-a-file"], "{d:#?}");
    assert!(summary(&r.stderr).contains("1 actor, 1 source in 1 file"));
}

// ---------------------------------------------------------------------------
// Item 8: a diagnostic about a file's size never reads the file.

/// A 1 GiB sparse file was read whole (2 GB) just to print
/// `file-too-large`. Under a 768 MiB limit, that fails; the diagnostic is
/// about the file as a whole, so it has no position and no snippet.
#[test]
fn an_oversized_file_is_not_read_to_report_it() {
    let tmp = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(tmp.path().join("huge.yaml")).unwrap();
    f.set_len(1024 * 1024 * 1024).unwrap();
    let r = check_limited(tmp.path(), &[], 768);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(human_codes(&r.stdout), ["file-too-large"]);
    assert!(!r.stdout.contains(" | "), "no snippet:\n{}", r.stdout);
    let r = check_limited(tmp.path(), &["--format", "json"], 768);
    let d = only(&r);
    assert!(d["line"].is_null() && d["column"].is_null(), "{d:#}");
}

// ---------------------------------------------------------------------------
// Item 9 and 18: the cost and size of rendered diagnostics.

/// A one-line record with `n` events whose titles are decimals, each a
/// `not-a-string` warning, padded with long summaries.
fn one_line_record(n: usize) -> String {
    let pad = "x".repeat(100);
    let mut s = String::from(
        "{actors: [{id: a, name: A, type: other}], sources: [{id: s, title: S, publisher: P}], events: [",
    );
    for i in 0..n {
        s.push_str(&format!(
            "{{id: e{i}, date: 2024-01-02, kind: statement, title: 1.5, summary: {pad}, actors: [a], sources: [s]}}, "
        ));
    }
    s.push_str("]}\n");
    s
}

/// Every warning in a one-line record used to quote the whole line: output
/// (and memory) grew with warnings x line length. Snippets are now a window
/// around the column, so output grows with the number of warnings only.
#[test]
fn snippets_of_a_long_line_are_windows() {
    let n = 1000;
    let text = one_line_record(n);
    assert!(text.len() > 150_000);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("one.yaml"), &text).unwrap();
    let r = check(tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", &r.stdout[..r.stdout.len().min(3000)]);
    assert_eq!(human_codes(&r.stdout).len(), n);
    assert!(
        r.stdout.len() < n * 1000,
        "{} bytes of output for {n} warnings",
        r.stdout.len()
    );
    // Each snippet still puts the caret under the value it names.
    let lines: Vec<&str> = r.stdout.lines().collect();
    let mut checked = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("1 | ") {
            let caret = lines[i + 1];
            let col = caret.find('^').expect("a caret line");
            let under: String = l.chars().skip(col).take(3).collect();
            assert_eq!(under, "1.5", "{l}\n{caret}");
            assert!(l.contains('…'), "a cut line is marked: {l}");
            assert!(l.chars().count() < 200, "{l}");
            checked += 1;
        }
    }
    assert_eq!(checked, n);
}

/// A 5 MB title gave 10 MB of output: the line and as many carets.
#[test]
fn a_huge_title_is_not_quoted_whole() {
    let title = "word ".repeat(1_000_000);
    let text = record_with_titles(&[title.trim_end()]);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("t.yaml"), &text).unwrap();
    let r = check(tmp.path(), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(human_codes(&r.stdout), ["invalid-title"]);
    assert!(r.stdout.len() < 2000, "{} bytes", r.stdout.len());
}

/// A date several megabytes long is quoted in its message; the message is
/// capped too.
#[test]
fn a_huge_value_in_a_message_is_capped() {
    let date = "9".repeat(3_000_000) + "x";
    let text = format!(
        "{BASE}events:\n  - id: e\n    date: {date}\n    kind: statement\n    title: T\n    actors: [a]\n    sources: [s]\n"
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("d.yaml"), &text).unwrap();
    for format in ["json", "human"] {
        let r = check(tmp.path(), &["--format", format]);
        assert_eq!(r.code, 1);
        assert!(r.stdout.len() < 5000, "{format}: {} bytes", r.stdout.len());
    }
}

// ---------------------------------------------------------------------------
// Item 12: deep folders.

/// 2,000 nested folders: discovery canonicalised each one (cubic in depth,
/// about a minute); loops are now found by (device, inode).
#[cfg(unix)]
#[test]
fn deep_folders_are_quick() {
    let tmp = tempfile::tempdir().unwrap();
    let mut deep = tmp.path().to_path_buf();
    for _ in 0..2000 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("r.yaml"), BASE).unwrap();
    let mut cmd = annals();
    cmd.arg("--dir").arg(tmp.path()).arg("check");
    let r = run_for(cmd, Duration::from_secs(15));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(summary(&r.stdout).contains("in 1 file"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------
// Items 13, 14 and 18: names and links.

/// A file with a name that is not UTF-8 was skipped as if hidden.
#[cfg(target_os = "linux")]
#[test]
fn a_name_that_is_not_utf8_is_reported() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(tmp.path().join(name), BASE).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = only(&r);
    assert_eq!(d["code"], "name-not-utf8");
    assert!(
        d["message"].as_str().unwrap().contains("caf\u{fffd}.yaml"),
        "{d:#}"
    );
}

/// A dangling link without a YAML name is skipped like any such file.
#[cfg(unix)]
#[test]
fn a_dangling_link_without_a_yaml_name_is_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("ok.yaml"), BASE).unwrap();
    std::os::unix::fs::symlink("nowhere", tmp.path().join("README")).unwrap();
    let r = check(tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

/// A second link to a folder inside the record: the link is blamed, not
/// the folder, whichever sorts first.
#[cfg(unix)]
#[test]
fn a_second_way_into_a_folder_blames_the_link() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::write(real.join("r.yaml"), BASE).unwrap();
    // `a-link` sorts before `real`, `z-link` after it.
    std::os::unix::fs::symlink("real", tmp.path().join("a-link")).unwrap();
    std::os::unix::fs::symlink("real", tmp.path().join("z-link")).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = json(&r);
    assert_eq!(d.len(), 2, "{d:#?}");
    for (d, link) in d.iter().zip(["a-link", "z-link"]) {
        let m = d["message"].as_str().unwrap();
        assert!(
            m.starts_with(&format!("`{}", tmp.path().join(link).display())),
            "{m}"
        );
    }
    assert!(summary(&r.stderr).contains("in 1 file"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// Items 16 and 17: what a title may be.

/// Integers YAML reads from other spellings were silently kept as decimal.
#[test]
fn integers_not_written_in_decimal_are_warned_about() {
    let text = record_with_titles(&["0x1F", "0o17", "0b101", "+5", "-0", "1984", "-7"]);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("n.yaml"), &text).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let d = json(&r);
    let lines: Vec<u64> = d.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(codes(&d), ["not-a-string"; 5], "{d:#?}");
    // The titles are on lines 9, 15, 21, ...: the first five events.
    assert_eq!(lines, [9, 15, 21, 27, 33], "{d:#?}");
    let m = d[0]["message"].as_str().unwrap();
    assert!(m.contains("`0x1F`") && m.contains("`31`"), "{m}");
}

/// Line and paragraph separators, NEL, vertical tab and form feed break a
/// line too.
#[test]
fn unicode_line_breaks_in_a_title_are_refused() {
    let text = record_with_titles(&[
        "\"a\\Lb\"",
        "\"a\\Pb\"",
        "\"a\\Nb\"",
        "\"a\\vb\"",
        "\"a\\fb\"",
        "\"fine\"",
    ]);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("t.yaml"), &text).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = json(&r);
    assert_eq!(codes(&d), ["invalid-title"; 5], "{d:#?}");
}

// ---------------------------------------------------------------------------
// Item 18: the rest of the read side.

/// Two byte order marks: a diagnostic with a place.
#[test]
fn two_byte_order_marks_have_a_position() {
    let text = format!("\u{feff}\u{feff}{BASE}");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("b.yaml"), &text).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = only(&r);
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(1)),
        "{d:#}"
    );
}

/// NEL and U+2028 in a comment are not line breaks (YAML 1.2): the line
/// numbers after them stay right, in every place lines are counted. (libyaml,
/// the fast reader, ends a comment at them, so the text after one on the
/// same line would be read as YAML: here each ends its comment.)
#[test]
fn unicode_breaks_in_comments_do_not_shift_lines() {
    for brk in ["\u{85}", "\u{2028}", "\u{2029}"] {
        let text = format!("# one{brk}\n{BASE}events:\n{}", event("e", "1.5"));
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("c.yaml"), &text).unwrap();
        let r = check(tmp.path(), &["--format", "json"]);
        let d = only(&r);
        assert_eq!(d["code"], "not-a-string");
        assert_eq!(d["line"].as_u64(), Some(10), "{brk:?}: {d:#}");
        let human = check(tmp.path(), &[]);
        assert!(human.stdout.contains("c.yaml:10:12"), "{}", human.stdout);
        assert!(
            human.stdout.contains("10 |     title: 1.5\n"),
            "{}",
            human.stdout
        );
        // A reader error after the comment, too.
        let bad = format!("# one{brk}\n# two{brk}\nb: 2\n c: x\nd: 1\ne: 2\nf: 3\n");
        std::fs::write(tmp.path().join("c.yaml"), &bad).unwrap();
        let r = check(tmp.path(), &["--format", "json"]);
        let d = only(&r);
        assert_eq!(d["code"], "yaml-syntax");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(4), Some(3)),
            "{brk:?}: {d:#}"
        );
    }
}

/// An invalid date holding ESC was said to "contain a space".
#[test]
fn a_control_character_in_a_date_is_named() {
    let text = format!(
        "{BASE}events:\n  - id: e\n    date: \"2024\\e-01\"\n    kind: statement\n    title: T\n    actors: [a]\n    sources: [s]\n"
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("d.yaml"), &text).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    let d = only(&r);
    assert_eq!(d["code"], "invalid-date");
    let m = d["message"].as_str().unwrap();
    assert!(m.contains("U+001B"), "{m}");
    assert!(!m.contains("space"), "{m}");
}

/// Bidirectional controls (U+202A-202E, U+2066-2069) never reach an SVG.
#[test]
fn bidi_controls_never_reach_svg() {
    let title = "\"evil \\u202Etxt.exe \\u2066x\\u2069 \\u202Ay\\u202C\"";
    let text = record_with_titles(&[title]);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("r.yaml"), &text).unwrap();
    let mut cmd = annals();
    cmd.arg("--dir").arg(tmp.path()).args(["chart", "-o", "-"]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("<svg"));
    for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
        assert!(!r.stdout.contains(c), "{c:?} in the SVG");
    }
    assert!(r.stdout.contains("evil"), "the rest of the title is kept");
}
