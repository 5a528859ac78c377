//! `annals check` end to end: the built binary on the fixtures, with exit
//! codes, snapshots of both output formats, and hostile input.
//!
//! Every run goes through [`run`], which kills the process and fails the test
//! after [`TIMEOUT`], so a hang fails instead of blocking CI. Runs start in
//! the crate root with a relative `--dir`, so paths in the output are stable.

use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// The binary, started in the crate root with a clean environment for the
/// settings it reads.
pub(crate) fn annals() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.current_dir(ROOT)
        .env_remove("ANNALS_DIR")
        .env_remove("NO_COLOR");
    cmd
}

/// Runs `annals --dir DIR check ARGS...`.
pub(crate) fn check(dir: impl AsRef<Path>, args: &[&str]) -> Run {
    let mut cmd = annals();
    cmd.arg("--dir").arg(dir.as_ref()).arg("check").args(args);
    run(cmd)
}

/// Runs a command to completion, killing it and failing after [`TIMEOUT`].
pub(crate) fn run(cmd: Command) -> Run {
    run_for(cmd, TIMEOUT)
}

pub(crate) fn run_for(mut cmd: Command, timeout: Duration) -> Run {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the annals binary starts");
    // Drain both pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for annals") {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("annals did not finish within {timeout:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().expect("stdout reader");
    let stderr = err.join().expect("stderr reader");
    Run {
        code: status
            .code()
            .expect("annals exited, not killed by a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// The diagnostics of a `--format json` run.
pub(crate) fn json(run: &Run) -> Vec<Value> {
    match serde_json::from_str(&run.stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!("stdout is not a JSON array: {other:?}\n{}", run.stdout),
    }
}

/// The codes of the diagnostics in human output, from `error[code]:` lines.
pub(crate) fn human_codes(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter_map(|l| {
            let rest = l
                .strip_prefix("error[")
                .or_else(|| l.strip_prefix("warning["))?;
            rest.split(']').next()
        })
        .collect()
}

/// The one diagnostic with `code` and a message containing `needle`.
fn find<'a>(diags: &'a [Value], code: &str, needle: &str) -> &'a Value {
    let found: Vec<_> = diags
        .iter()
        .filter(|d| d["code"] == code && d["message"].as_str().unwrap().contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "one {code} about {needle:?} in {diags:#?}");
    found[0]
}

fn line_col(d: &Value) -> (u64, u64) {
    (
        d["line"].as_u64().expect("a line"),
        d["column"].as_u64().expect("a column"),
    )
}

/// The text of `file` (relative to the crate root) from `line`:`column`
/// (1-based, column in characters) to the end of that line.
fn text_at(file: &str, line: u64, column: u64) -> String {
    let bytes = std::fs::read(Path::new(ROOT).join(file)).expect("the file the diagnostic names");
    let text = String::from_utf8_lossy(&bytes);
    let l = text
        .lines()
        .nth(line as usize - 1)
        .expect("the line exists");
    l.chars().skip(column as usize - 1).collect()
}

/// The summary line: "checked N events, M actors, K sources in F files: E errors, W warnings".
pub(crate) fn summary(text: &str) -> &str {
    text.lines().last().expect("a summary line")
}

// ---------------------------------------------------------------------------
// The fixtures: one directory per diagnostic code.

/// Checks one invalid fixture: exit code, only its own code reported, every
/// diagnostic complete and placed, and both outputs snapshot.
fn invalid(code: &str, warning_only: bool) {
    let dir = format!("tests/fixtures/invalid/{code}");

    let human = check(&dir, &[]);
    assert_eq!(human.stderr, "", "human output goes to stdout only");
    assert_eq!(
        human.code,
        if warning_only { 0 } else { 1 },
        "exit code\n{}",
        human.stdout
    );
    let found = human_codes(&human.stdout);
    assert!(!found.is_empty(), "no diagnostic\n{}", human.stdout);
    assert!(
        found.iter().all(|c| *c == code),
        "the fixture shows only `{code}`, found {found:?}\n{}",
        human.stdout
    );
    let n = found.len();
    let (errors, warnings) = if warning_only { (0, n) } else { (n, 0) };
    let tail = summary(&human.stdout);
    assert!(
        tail.ends_with(&format!(
            ": {errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        )),
        "summary: {tail}"
    );
    insta::assert_snapshot!(format!("{code}-human"), human.stdout);

    let out = check(&dir, &["--format", "json"]);
    assert_eq!(out.code, human.code);
    assert_eq!(summary(&out.stderr), tail, "the summary goes to stderr");
    let diags = json(&out);
    assert_eq!(diags.len(), n);
    for d in &diags {
        for key in [
            "severity", "code", "message", "file", "line", "column", "id", "help",
        ] {
            assert!(d.get(key).is_some(), "`{key}` missing in {d:#}");
        }
        assert_eq!(d["code"], code);
        assert_eq!(
            d["severity"],
            if warning_only { "warning" } else { "error" }
        );
        let file = d["file"].as_str().expect("a file");
        assert!(file.starts_with(&format!("{dir}/")), "{file}");
        assert!(!d["message"].as_str().unwrap().is_empty());
        let (line, column) = line_col(d);
        assert!(line >= 1 && column >= 1);
        assert_value_under_caret(d, file, line, column);
    }
    insta::assert_snapshot!(format!("{code}-json"), out.stdout);

    if warning_only {
        let denied = check(&dir, &["--deny-warnings"]);
        assert_eq!(denied.code, 1, "--deny-warnings fails on warnings");
        assert_eq!(denied.stdout, human.stdout);
    }
}

/// Where a message quotes the offending value first (`unknown actor
/// `kim-jong-un``), the position must point at that value in the file.
fn assert_value_under_caret(d: &Value, file: &str, line: u64, column: u64) {
    const QUOTING: &[&str] = &[
        "unknown-actor",
        "unknown-source",
        "unknown-kind",
        "unknown-event",
        "unknown-field",
        "invalid-value",
        "invalid-country",
        "invalid-url",
        "invalid-tag",
        "invalid-color",
        "duplicate-key",
        "ambiguous-name",
    ];
    let code = d["code"].as_str().unwrap();
    if !QUOTING.contains(&code) {
        return;
    }
    let msg = d["message"].as_str().unwrap();
    let quoted = msg.split('`').nth(1).expect("a value in backticks");
    let there = text_at(file, line, column);
    let there = there.trim_start_matches(['"', '\'']);
    assert!(
        there.starts_with(quoted),
        "{code} at {file}:{line}:{column} should point at `{quoted}`, points at `{there}`"
    );
}

macro_rules! fixtures {
    ($($name:ident: $code:literal $(, $warn:ident)?;)*) => {
        $(
            #[test]
            fn $name() {
                invalid($code, fixtures!(@warn $($warn)?));
            }
        )*
        /// Every fixture directory, as listed here.
        const FIXTURES: &[&str] = &[$($code),*];
    };
    (@warn warning) => { true };
    (@warn) => { false };
}

mod invalid {
    use super::invalid;

    fixtures! {
        after_sources: "after-sources";
        ambiguous_name: "ambiguous-name";
        duplicate_citation_key: "duplicate-citation-key";
        duplicate_id: "duplicate-id";
        duplicate_key: "duplicate-key";
        duplicate_setting: "duplicate-setting";
        empty_list: "empty-list";
        empty_name: "empty-name";
        invalid_color: "invalid-color";
        invalid_country: "invalid-country";
        invalid_date: "invalid-date";
        invalid_id: "invalid-id";
        invalid_key: "invalid-key";
        invalid_range: "invalid-range";
        invalid_tag: "invalid-tag";
        invalid_title: "invalid-title";
        invalid_url: "invalid-url";
        invalid_value: "invalid-value";
        member_cycle: "member-cycle";
        missing_field: "missing-field";
        multiple_documents: "multiple-documents";
        not_a_mapping: "not-a-mapping";
        not_a_string: "not-a-string", warning;
        not_utf8: "not-utf8";
        responds_to_later: "responds-to-later", warning;
        self_relation: "self-relation";
        stale_scheduled: "stale-scheduled", warning;
        too_deep: "too-deep";
        unarchived_source: "unarchived-source", warning;
        unknown_actor: "unknown-actor";
        unknown_event: "unknown-event";
        unknown_field: "unknown-field";
        unknown_kind: "unknown-kind";
        unknown_source: "unknown-source";
        unquoted_date_set: "unquoted-date-set";
        wrong_type: "wrong-type";
        yaml_limit: "yaml-limit";
        yaml_syntax: "yaml-syntax";
    }

    #[test]
    fn every_fixture_directory_has_a_test() {
        let mut dirs: Vec<String> =
            std::fs::read_dir(format!("{}/tests/fixtures/invalid", super::ROOT))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
        dirs.sort();
        assert_eq!(dirs, FIXTURES);
    }
}

#[test]
fn valid_fixture_checks_clean() {
    let r = check("tests/fixtures/valid", &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // Hidden files and folders hold broken YAML: they must not be read.
    assert_eq!(
        r.stdout,
        "checked 15 events, 9 actors, 2 sources in 6 files: 0 errors, 0 warnings\n"
    );
    let j = check(
        "tests/fixtures/valid",
        &["--format", "json", "--deny-warnings"],
    );
    assert_eq!(j.code, 0);
    assert_eq!(j.stdout, "[]\n");
}

#[test]
fn sample_record_checks_clean_without_warnings() {
    let r = check("events", &["--deny-warnings"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let tail = summary(&r.stdout);
    assert!(tail.ends_with(": 0 errors, 0 warnings"), "{tail}");
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn summary_line_counts_items_files_and_problems() {
    let r = check("tests/fixtures/invalid/missing-field", &[]);
    assert_eq!(
        summary(&r.stdout),
        "checked 2 events, 2 actors, 2 sources in 1 file: 4 errors, 0 warnings"
    );
    let r = check("tests/fixtures/invalid/after-sources", &[]);
    assert_eq!(
        summary(&r.stdout),
        "checked 1 event, 1 actor, 1 source in 1 file: 1 error, 0 warnings"
    );
    let r = check("tests/fixtures/invalid/responds-to-later", &[]);
    assert_eq!(
        summary(&r.stdout),
        "checked 2 events, 1 actor, 1 source in 1 file: 0 errors, 1 warning"
    );
}

#[test]
fn unknown_actor_deep_in_an_event_is_pointed_at() {
    let d = json(&check(
        "tests/fixtures/invalid/unknown-actor",
        &["--format", "json"],
    ));
    let file = "tests/fixtures/invalid/unknown-actor/record.yaml";
    let deep = find(&d, "unknown-actor", "`kim-jong-un`");
    assert_eq!(line_col(deep), (29, 17));
    assert_eq!(deep["id"], "kishida-statement");
    assert_eq!(deep["file"], file);
    let quote = find(&d, "unknown-actor", "`kishida-fumi`");
    assert_eq!(line_col(quote), (32, 14));
    assert_eq!(quote["help"], "did you mean `kishida-fumio`?");
    let member = find(&d, "unknown-actor", "`japan-goverment`");
    assert_eq!(line_col(member), (5, 17));
    assert_eq!(member["id"], "kishida-fumio");
    assert_eq!(member["help"], "did you mean `japan-government`?");
    // The renamed id is suggested, never the other Korea; a bare
    // `government` could be either, so nothing is.
    let renamed = find(&d, "unknown-actor", "`dprk-government`");
    assert_eq!(renamed["help"], "did you mean `dprk-gov`?");
    let vague = find(&d, "unknown-actor", "`government`");
    assert!(!vague["help"].as_str().unwrap().contains("did you mean"));
}

#[test]
fn duplicate_key_is_reported_at_the_duplicate() {
    let d = json(&check(
        "tests/fixtures/invalid/duplicate-key",
        &["--format", "json"],
    ));
    // The first `title:` is on line 14; the repeated one on line 17.
    assert_eq!(line_col(find(&d, "duplicate-key", "`title`")), (17, 5));
}

#[test]
fn every_problem_of_every_file_in_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    // Fixtures whose ids do not clash, at several depths and both extensions.
    let files = [
        ("unknown-field", "a.yaml", 4),
        ("invalid-color", "b/c.yaml", 3),
        ("member-cycle", "b/d/e.yml", 2),
        ("yaml-syntax", "f.yaml", 1),
        ("not-utf8", "g.yaml", 1),
    ];
    for (code, name, _) in files {
        let to = tmp.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let from = format!("{ROOT}/tests/fixtures/invalid/{code}/record.yaml");
        std::fs::copy(from, to).unwrap();
    }
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 1);
    let d = json(&r);
    for (code, name, n) in files {
        let here: Vec<_> = d
            .iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with(name))
            .collect();
        assert_eq!(here.len(), n, "{name}: {here:#?}");
        assert!(here.iter().all(|d| d["code"] == code), "{here:#?}");
    }
    assert_eq!(d.len(), 11, "{d:#?}");
    assert!(summary(&r.stderr).ends_with(" in 5 files: 11 errors, 0 warnings"));
}

/// A problem that leaves an item out of the record must not hide, or
/// misplace, the problems in what it names.
#[test]
fn problems_behind_other_problems_are_still_reported() {
    let (r, _tmp) = check_file(
        "record.yaml",
        b"actors:
  - id: cabinet
    name: Cabinet
    member_of: [Not A Slug, no-such-government]
    type: government
events:
  - id: japan
    date: 2024-02-30
    kind: statement
    title: An event whose id is also named as an actor
    actors: [japan]
    sources: [{title: S, publisher: P}]
",
    );
    assert_eq!(r.code, 1);
    let d = json(&r);
    assert_eq!(d.len(), 4, "{d:#?}");
    assert_eq!(line_col(find(&d, "invalid-id", "`Not A Slug`")), (4, 17));
    // Before: reported at `member_of[0]`, the slug error's place.
    assert_eq!(
        line_col(find(&d, "unknown-actor", "`no-such-government`")),
        (4, 29)
    );
    assert_eq!(line_col(find(&d, "invalid-date", "2024-02-30")), (8, 11));
    // Before: hidden, because an *event* `japan` had failed to load.
    assert_eq!(line_col(find(&d, "unknown-actor", "`japan`")), (11, 14));
}

#[test]
fn output_is_the_same_bytes_every_run() {
    // The whole invalid tree as one record: many files, loaded in parallel.
    for args in [&[][..], &["--format", "json"]] {
        let a = check("tests/fixtures/invalid", args);
        let b = check("tests/fixtures/invalid", args);
        assert_eq!(a.code, 1);
        assert!(a.stdout.len() > 10_000, "{}", a.stdout);
        assert_eq!(a.stdout, b.stdout);
        assert_eq!(a.stderr, b.stderr);
    }
}

#[test]
fn annals_dir_names_the_record_and_dir_overrides_it() {
    let mut cmd = annals();
    cmd.env("ANNALS_DIR", "tests/fixtures/invalid/unknown-kind")
        .arg("check");
    let r = run(cmd);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("tests/fixtures/invalid/unknown-kind/record.yaml:15:11")
    );

    let mut cmd = annals();
    cmd.env("ANNALS_DIR", "tests/fixtures/invalid/unknown-kind")
        .args(["--dir", "tests/fixtures/valid", "check"]);
    assert_eq!(run(cmd).code, 0);
}

#[test]
fn the_default_dir_is_events() {
    let mut cmd = annals();
    cmd.arg("check");
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        r.stdout,
        check("events", &[]).stdout,
        "without --dir, annals reads events/"
    );
}

/// A record may hold text that, printed raw, would drive the terminal.
#[test]
fn control_characters_are_escaped_in_output() {
    let tmp = tempfile::tempdir().unwrap();
    // An id written with YAML escapes: the message quotes it.
    std::fs::write(
        tmp.path().join("escaped.yaml"),
        "actors:\n  - id: \"evil\\e[2J\\e]0;owned\\a\"\n    name: Evil\n    type: other\n",
    )
    .unwrap();
    // A raw ESC byte in the file: the reader refuses it, and the snippet
    // shows the line.
    std::fs::write(
        tmp.path().join("raw.yaml"),
        b"actors:\n  - id: raw\n    name: \"Raw \x1b[31mred\"\n    type: other\n",
    )
    .unwrap();
    for args in [&[][..], &["--format", "json"]] {
        let r = check(tmp.path(), args);
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(
            !r.stdout.contains('\x1b'),
            "raw ESC in output:\n{}",
            r.stdout
        );
        assert!(
            !r.stdout.contains('\x07'),
            "raw BEL in output:\n{}",
            r.stdout
        );
    }
    let human = check(tmp.path(), &[]).stdout;
    assert!(
        human.contains("evil\\u{1b}[2J\\u{1b}]0;owned\\u{7}"),
        "{human}"
    );
    assert!(human.contains("Raw \\u{1b}[31mred"), "{human}");
    let d = json(&check(tmp.path(), &["--format", "json"]));
    let bad = find(&d, "invalid-id", "evil");
    assert_eq!(
        bad["id"], "evil\x1b[2J\x1b]0;owned\x07",
        "JSON keeps the text exactly"
    );
    // The reader's complaint points at the raw byte itself.
    assert_eq!(
        line_col(find(&d, "yaml-syntax", "control characters")),
        (3, 16)
    );
}

// ---------------------------------------------------------------------------
// Hostile input: each finishes, exits 1 with the right code, never crashes.

/// Writes `name` with `contents` into a fresh directory and checks it.
fn check_file(name: &str, contents: &[u8]) -> (Run, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(name), contents).unwrap();
    (check(tmp.path(), &["--format", "json"]), tmp)
}

/// The single diagnostic of a run that must have exactly one.
pub(crate) fn only(r: &Run) -> Value {
    let d = json(r);
    assert_eq!(d.len(), 1, "{d:#?}");
    d.into_iter().next().unwrap()
}

#[test]
fn alias_bomb() {
    // Nine levels of ten aliases each: a billion `lol`s if expanded.
    let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=9 {
        let prev = format!("*a{}", i - 1);
        let items = [prev.as_str(); 10].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    s.push_str("events: *a9\n");
    let (r, _tmp) = check_file("bomb.yaml", s.as_bytes());
    assert_eq!(r.code, 1);
    let d = only(&r);
    assert_eq!(d["code"], "yaml-limit");
    assert!(d["line"].is_u64(), "{d:#}");
}

#[test]
fn deep_flow_nesting() {
    let (r, _tmp) = check_file("deep.yaml", "[".repeat(100_000).as_bytes());
    assert_eq!(r.code, 1);
    let d = only(&r);
    assert_eq!(d["code"], "too-deep");
    assert_eq!(line_col(&d), (1, 101));
}

#[test]
fn deep_block_nesting_on_one_line() {
    let s = "- ".repeat(100_000) + "x\n";
    let (r, _tmp) = check_file("deep.yaml", s.as_bytes());
    assert_eq!(r.code, 1);
    assert_eq!(only(&r)["code"], "too-deep");
}

/// Block nesting spread over lines: each line opens 90 levels (below the
/// one-line guard), the next line indented past them opens 90 more.
#[test]
fn deep_block_nesting_over_lines() {
    let mut s = String::new();
    let mut indent = 0;
    for _ in 0..(20_000 / 90) {
        s.push_str(&" ".repeat(indent));
        s.push_str(&"- ".repeat(90));
        s.push('\n');
        indent += 180;
    }
    s.push_str(&" ".repeat(indent));
    s.push_str("x\n");
    let (r, _tmp) = check_file("deep.yaml", s.as_bytes());
    assert_eq!(r.code, 1);
    let d = only(&r);
    assert_eq!(d["code"], "too-deep");
    assert!(d["line"].is_u64(), "{d:#}");
}

/// Events with every kind of field, `n` of them, about 300 bytes each.
fn big_record(n: usize) -> String {
    let mut s = String::with_capacity(n * 320 + 512);
    s.push_str(
        "actors:\n  - {id: kishida-fumio, name: Kishida Fumio, type: person, country: JPN}\n\
         sources:\n  - {id: kei-report, title: Dim Prospects, publisher: KEI, published: 2024-04-04}\n\
         events:\n",
    );
    for i in 0..n {
        let day = i % 28 + 1;
        s.push_str(&format!(
            "  - id: event-{i}\n    date: 2024-02-{day:02}\n    kind: statement\n    \
             title: Statement number {i} on the prospects of a summit\n    \
             actors: [{{actor: kishida-fumio, role: initiator}}]\n    \
             tags: [summit, statement]\n    \
             sources: [{{source: kei-report, locator: \"para. {day}\"}}]\n"
        ));
    }
    s
}

/// Checks a generated valid record of at least `mb` megabytes.
fn big_valid_file(mb: usize) {
    let one = big_record(1).len() - big_record(0).len();
    let n = (mb * 1_000_000).div_ceil(one);
    let text = big_record(n);
    assert!(text.len() >= mb * 1_000_000, "{} bytes", text.len());
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("big.yaml"), &text).unwrap();
    let r = check(tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", &r.stdout[..r.stdout.len().min(2000)]);
    assert_eq!(
        r.stdout,
        format!("checked {n} events, 1 actor, 1 source in 1 file: 0 errors, 0 warnings\n")
    );
}

/// A valid 5 MB file in every build; see [`big_valid_file_50_mb`].
#[test]
fn big_valid_file_5_mb() {
    big_valid_file(5);
}

/// A valid 50 MB file, in release builds only (`cargo test --release`):
/// annals's own code unoptimized takes over ten seconds on it.
#[test]
#[cfg_attr(debug_assertions, ignore = "slow unoptimized; runs under --release")]
fn big_valid_file_50_mb() {
    big_valid_file(50);
}

/// 50 MB of printable junk: YAML-ish punctuation, words and line breaks.
#[test]
fn fifty_megabytes_of_junk() {
    let alphabet = b"abc xyz:-[]{}?,'\"#&*!|>%@`\n\t 0123456789";
    let mut state: u32 = 0x2545_f491;
    let junk: Vec<u8> = (0..50_000_000)
        .map(|_| {
            // xorshift32: deterministic, no dependency.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            alphabet[state as usize % alphabet.len()]
        })
        .collect();
    let (r, _tmp) = check_file("junk.yaml", &junk);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = only(&r);
    assert!(d["line"].is_u64(), "{d:#}");
}

/// 50 MB of random bytes: refused as not UTF-8 before any parsing.
#[test]
fn fifty_megabytes_of_binary() {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let junk: Vec<u8> = (0..50_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect();
    let (r, _tmp) = check_file("junk.yaml", &junk);
    assert_eq!(r.code, 1);
    assert_eq!(only(&r)["code"], "not-utf8");
}

/// A file over the size limit is refused without being read: a sparse file
/// costs no disk.
#[test]
fn file_over_the_size_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(tmp.path().join("huge.yaml")).unwrap();
    f.set_len(300 * 1024 * 1024).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 1);
    let d = only(&r);
    assert_eq!(d["code"], "file-too-large");
    assert!(d["message"].as_str().unwrap().contains("300 MiB"), "{d:#}");
}

#[test]
fn not_utf8_points_at_the_bad_byte() {
    let (r, _tmp) = check_file(
        "latin1.yaml",
        b"actors:\n  - id: cafe\n    name: Caf\xe9 owner\n    type: other\n",
    );
    assert_eq!(r.code, 1);
    let d = only(&r);
    assert_eq!(d["code"], "not-utf8");
    assert_eq!(line_col(&d), (3, 14));
}

#[test]
fn top_level_list() {
    let (r, _tmp) = check_file("list.yaml", b"- id: a\n- id: b\n");
    assert_eq!(r.code, 1);
    let d = only(&r);
    assert_eq!(d["code"], "not-a-mapping");
    assert_eq!(line_col(&d), (1, 1));
}

#[test]
fn duplicate_key_at_its_own_line() {
    let (r, _tmp) = check_file(
        "dup.yaml",
        b"actors:\n  - id: a\n    name: A\n    type: other\n    name: A again\n",
    );
    assert_eq!(r.code, 1);
    let d = only(&r);
    assert_eq!(d["code"], "duplicate-key");
    assert_eq!(line_col(&d), (5, 5));
}

#[cfg(unix)]
#[test]
fn symlink_loop_under_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("record.yaml"),
        "actors:\n  - {id: a, name: A, type: other}\n",
    )
    .unwrap();
    // A folder link back to the top, and two file links pointing at each other.
    std::os::unix::fs::symlink(tmp.path(), sub.join("up")).unwrap();
    std::os::unix::fs::symlink("b.yaml", tmp.path().join("a.yaml")).unwrap();
    std::os::unix::fs::symlink("a.yaml", tmp.path().join("b.yaml")).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 1, "a loop is a problem in the record\n{}", r.stdout);
    let d = json(&r);
    assert_eq!(d.len(), 3, "{d:#?}");
    assert!(d.iter().all(|d| d["code"] == "symlink-loop"), "{d:#?}");
    // The real file was still read once.
    assert!(summary(&r.stderr).starts_with("checked 0 events, 1 actor, 0 sources in 1 file:"));
}

#[cfg(unix)]
#[test]
fn dangling_link_is_an_io_failure() {
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("nowhere.yaml", tmp.path().join("a.yaml")).unwrap();
    let r = check(tmp.path(), &["--format", "json"]);
    assert_eq!(r.code, 2);
    assert_eq!(only(&r)["code"], "unreadable");
}

#[test]
fn missing_dir_is_a_usage_error() {
    let r = check("no/such/dir", &[]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("error: cannot read the record directory `no/such/dir`: "),
        "{}",
        r.stderr
    );
}

#[test]
fn a_file_as_dir_is_a_usage_error() {
    let r = check("Cargo.toml", &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`Cargo.toml`"), "{}", r.stderr);
    assert!(r.stderr.contains("not a directory"), "{}", r.stderr);
}

/// Keeps the helper honest: the timeout kills a process that hangs.
#[cfg(unix)]
#[test]
#[should_panic(expected = "did not finish")]
fn the_timeout_fails_a_hang() {
    let mut cmd = Command::new("sleep");
    cmd.arg("120");
    run_for(cmd, Duration::from_millis(200));
}

/// One missing `]` in `people.yaml`: its syntax error comes first, with one
/// note for the references to the actors it may define, instead of one
/// `unknown-actor` error each; an id it does not mention is still an error.
#[test]
fn a_file_that_does_not_parse_comes_before_what_it_causes() {
    let r = check("tests/fixtures/cause-first", &[]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("error[yaml-syntax]"), "{}", r.stdout);
    assert_eq!(human_codes(&r.stdout), ["yaml-syntax", "unknown-actor"]);
    assert!(r.stdout.contains("`hayashi-yoshimasa`"), "{}", r.stdout);
    assert_eq!(
        summary(&r.stdout),
        "checked 2 events, 0 actors, 0 sources in 2 files: 2 errors, 0 warnings, \
         4 references not checked"
    );
    insta::assert_snapshot!("cause-first-human", r.stdout);
}
