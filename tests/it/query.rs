//! `annals query` on a fixture record with known answers: every filter,
//! OR within a flag, AND across flags, sorting, and the refusals.

use std::path::Path;
use std::process::Command;

/// What a run of the binary gave.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs `annals --dir DIR ARGS..` without colour, terminal width or a
/// record directory from the environment.
pub fn annals(dir: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env_remove("COLUMNS")
        .env_remove("ANNALS_DIR")
        .env("NO_COLOR", "1")
        .output()
        .expect("the annals binary runs");
    Run {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().expect("exited, not killed"),
    }
}

const RECORD: &str = "tests/fixtures/query/record";

/// The ids `query ARGS --format ids` prints, asserting success.
fn ids(args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["--format", "ids"]);
    let r = annals(RECORD, &all);
    assert_eq!(r.code, 0, "query {args:?} failed:\n{}", r.stderr);
    assert_eq!(r.stderr, "", "query {args:?} said something on stderr");
    r.stdout.lines().map(str::to_string).collect()
}

#[track_caller]
fn answers(args: &[&str], expected: &[&str]) {
    assert_eq!(ids(args), expected, "query {args:?}");
}

#[test]
fn the_fixture_is_clean() {
    let r = annals(RECORD, &["check", "--deny-warnings"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(Path::new(RECORD).is_dir());
}

#[test]
fn no_filter_gives_everything_sorted_by_earliest_then_latest_then_id() {
    answers(
        &["query"],
        &[
            "e-year",
            "e-jan-day",
            "e-feb-month",
            "e-open-end",
            "e-mar-day",
            "e-apr-scheduled",
        ],
    );
}

#[test]
fn actor_by_id_name_alias_in_any_spelling() {
    let park = ["e-year", "e-mar-day", "e-apr-scheduled"];
    answers(&["query", "--actor", "person-b"], &park);
    answers(&["query", "--actor", "Park Ji-won"], &park);
    answers(&["query", "--actor", "park ji won"], &park);
    answers(&["query", "--actor", "PARK-JI-WON"], &park);
    answers(&["query", "--actor", "ji-won park"], &park);
    answers(&["query", "--actor", "a government"], &["e-mar-day"]);
}

#[test]
fn members_reach_two_levels_down() {
    answers(
        &["query", "--actor", "state-a"],
        &["e-jan-day", "e-apr-scheduled"],
    );
    // gov-a is a member of state-a, minister-a a member of gov-a.
    answers(
        &["query", "--actor", "state-a", "--members"],
        &["e-jan-day", "e-feb-month", "e-mar-day", "e-apr-scheduled"],
    );
    answers(
        &["query", "--actor", "gov-a", "--members"],
        &["e-feb-month", "e-mar-day"],
    );
    answers(
        &["query", "--actor", "minister-a", "--members"],
        &["e-feb-month"],
    );
}

#[test]
fn role_narrows_the_actor() {
    answers(
        &["query", "--actor", "person-b", "--role", "initiator"],
        &["e-apr-scheduled"],
    );
    answers(
        &[
            "query",
            "--actor",
            "person-b",
            "--role",
            "target",
            "--role",
            "mentioned",
        ],
        &["e-year", "e-mar-day"],
    );
}

#[test]
fn kind_status_tag_source_and_text() {
    answers(
        &["query", "--kind", "statement"],
        &["e-jan-day", "e-feb-month"],
    );
    answers(&["query", "--status", "scheduled"], &["e-apr-scheduled"]);
    answers(&["query", "--tag", "alpha"], &["e-feb-month"]);
    answers(
        &["query", "--source", "src-two"],
        &["e-year", "e-open-end", "e-mar-day"],
    );
    // Summary, date_text, quotes and title, ignoring case.
    answers(&["query", "--text", "sanctions"], &["e-jan-day"]);
    answers(&["query", "--text", "EARLY march"], &["e-mar-day"]);
    answers(&["query", "--text", "meet spring"], &["e-apr-scheduled"]);
    answers(&["query", "--text", "trade minister"], &["e-feb-month"]);
    answers(&["query", "--text", "trade spring"], &[]);
}

#[test]
fn a_month_against_a_range_that_cuts_it() {
    // 2024-02 runs 1-29 Feb; the range starts on 15 Feb.
    answers(
        &["query", "--from", "2024-02-15", "--to", "2024-03-31"],
        &["e-feb-month", "e-open-end", "e-mar-day"],
    );
    // Within: the month is cut, and an open end is never inside.
    answers(
        &[
            "query",
            "--from",
            "2024-02-15",
            "--to",
            "2024-03-31",
            "--within",
        ],
        &["e-mar-day"],
    );
    // A range ending mid-month overlaps it, and holds it only when whole.
    answers(
        &["query", "--to", "2024-02-10"],
        &["e-year", "e-jan-day", "e-feb-month"],
    );
    answers(
        &["query", "--to", "2024-02-10", "--within"],
        &["e-year", "e-jan-day"],
    );
    answers(
        &["query", "--to", "2024-02", "--within"],
        &["e-year", "e-jan-day", "e-feb-month"],
    );
    // An imprecise bound covers its whole span: --from 2024 starts 1 Jan.
    answers(
        &["query", "--from", "2024-04", "--within"],
        &["e-apr-scheduled"],
    );
    answers(
        &["query", "--from", "2024-04"],
        &["e-open-end", "e-apr-scheduled"],
    );
}

#[test]
fn repeating_a_flag_is_or() {
    answers(
        &["query", "--actor", "state-a", "--actor", "state-b"],
        &["e-jan-day", "e-open-end", "e-apr-scheduled"],
    );
    answers(
        &["query", "--kind", "statement", "--kind", "summit"],
        &["e-jan-day", "e-feb-month", "e-apr-scheduled"],
    );
    answers(
        &["query", "--tag", "alpha", "--tag", "beta"],
        &["e-feb-month", "e-mar-day"],
    );
    answers(
        &["query", "--text", "sanctions", "--text", "spring"],
        &["e-jan-day", "e-apr-scheduled"],
    );
}

#[test]
fn different_flags_are_and() {
    answers(
        &[
            "query",
            "--actor",
            "state-a",
            "--members",
            "--kind",
            "statement",
        ],
        &["e-jan-day", "e-feb-month"],
    );
    answers(
        &[
            "query",
            "--actor",
            "state-a",
            "--members",
            "--kind",
            "statement",
            "--from",
            "2024-02",
        ],
        &["e-feb-month"],
    );
    answers(
        &[
            "query", "--source", "src-two", "--kind", "talks", "--kind", "meeting",
        ],
        &["e-open-end", "e-mar-day"],
    );
    answers(&["query", "--tag", "alpha", "--status", "scheduled"], &[]);
}

/// The ids `query ARGS --format ids` prints and what it said on stderr.
fn ids_and_note(args: &[&str]) -> (Vec<String>, String) {
    let mut all = args.to_vec();
    all.extend(["--format", "ids"]);
    let r = annals(RECORD, &all);
    assert_eq!(r.code, 0, "query {args:?} failed:\n{}", r.stderr);
    (r.stdout.lines().map(str::to_string).collect(), r.stderr)
}

#[test]
fn a_whole_word_of_one_actor_is_accepted_and_said() {
    let park = ["e-year", "e-mar-day", "e-apr-scheduled"];
    let (found, said) = ids_and_note(&["query", "--actor", "Park"]);
    assert_eq!(found, park);
    assert_eq!(said, "note: `Park` taken as `person-b` (Park Ji-won)\n");
    let (found, said) = ids_and_note(&["query", "--actor", "alpha"]);
    assert_eq!(found, ["e-feb-month"]);
    assert_eq!(
        said,
        "note: `alpha` taken as `minister-a` (Minister Alpha)\n"
    );
    // A part of a word is no match: `Par` is not `Park`.
    assert_eq!(annals(RECORD, &["query", "--actor", "Par"]).code, 2);
}

#[test]
fn a_whole_word_of_several_actors_lists_them() {
    let r = annals(RECORD, &["query", "--actor", "A"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "error: `A` could be any of 2 actors: `state-a` (State A), `gov-a` (Government of A)\n\
         help: give the id of the one you mean\n"
    );
}

#[test]
fn a_kind_by_label_a_source_by_publisher_and_text_everywhere() {
    let (found, said) = ids_and_note(&["query", "--kind", "Statement"]);
    assert_eq!(found, ["e-jan-day", "e-feb-month"]);
    assert_eq!(said, "note: `Statement` taken as the kind `statement`\n");
    let (found, said) = ids_and_note(&["query", "--source", "Press One"]);
    assert_eq!(found, ["e-jan-day", "e-feb-month"]);
    assert_eq!(
        said,
        "note: `Press One` taken as the publisher of 1 source\n"
    );
    // An inline source's publisher too.
    let (found, _) = ids_and_note(&["query", "--source", "wire"]);
    assert_eq!(found, ["e-apr-scheduled"]);
    // Location, tags and the names of the event's actors.
    answers(&["query", "--text", "panmunjom"], &["e-open-end"]);
    answers(&["query", "--text", "beta"], &["e-mar-day"]);
    answers(
        &["query", "--text", "ji-won"],
        &["e-year", "e-mar-day", "e-apr-scheduled"],
    );
    let r = annals(RECORD, &["query", "--source", "src_two"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `src-two`?"), "{}", r.stderr);
    let r = annals(RECORD, &["query", "--source", "Press Tree"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: no source has the id or publisher `Press Tree`"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_actor_exits_2_with_a_suggestion() {
    let r = annals(RECORD, &["query", "--actor", "Park Ji-wan"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("no actor is called `Park Ji-wan`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `person-b` (Park Ji-won)?"),
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_kind_source_and_bad_flags_exit_2() {
    for args in [
        &["query", "--kind", "statment"][..],
        &["query", "--source", "src-three"],
        &["query", "--from", "2024-02-30"],
        &["query", "--status", "done"],
        &["query", "--role", "boss"],
        &["query", "--members"],
        &["timeline", "--actor", "nobody-at-all"],
    ] {
        let r = annals(RECORD, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("error"), "{args:?}: {}", r.stderr);
    }
    let r = annals(RECORD, &["query", "--kind", "statment"]);
    assert!(
        r.stderr.contains("did you mean `statement`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_broken_record_refuses_to_answer() {
    for args in [
        &["query"][..],
        &["query", "--format", "json"],
        &["timeline"],
        &["actors"],
        &["show", "e-one"],
    ] {
        let r = annals("tests/fixtures/query/broken", args);
        assert_eq!(r.code, 1, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert!(r.stderr.contains("unknown actor `state-x`"), "{}", r.stderr);
        assert!(r.stderr.contains("the record has errors"), "{}", r.stderr);
    }
}

#[test]
fn a_missing_directory_exits_2() {
    let r = annals("tests/fixtures/query/no-such-dir", &["query"]);
    assert_eq!(r.code, 2);
}

#[test]
fn show_finds_ids_and_actor_names_and_refuses_unknown_ones() {
    let r = annals(RECORD, &["show", "e-mar-day"]);
    assert_eq!(r.code, 0);
    // Both directions: it follows e-feb-month; e-apr-scheduled responds to it.
    assert!(r.stdout.contains("follows: Feb 2024"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("responded to by: one day between 5 and 10 Apr 2024"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("file        tests/fixtures/query/record/events.yaml:36"),
        "{}",
        r.stdout
    );
    let r = annals(RECORD, &["show", "alpha minister"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("actor minister-a\n"), "{}", r.stdout);
    let r = annals(RECORD, &["show", "e-mar-dya"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `e-mar-day`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn timeline_writes_a_file_atomically_in_the_format_of_its_extension() {
    let dir = std::env::temp_dir().join(format!("annals-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("out.html");
    let r = annals(RECORD, &["timeline", "-o", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file is left behind");
    let r = annals(
        RECORD,
        &[
            "timeline",
            "-o",
            dir.join("missing/out.md").to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_reversed_window_is_a_usage_error() {
    for cmd in ["query", "timeline", "chart"] {
        let r = annals(RECORD, &[cmd, "--from", "2019", "--to", "2018"]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert_eq!(r.stdout, "");
        assert_eq!(
            r.stderr,
            "error: the window is reversed: --from 2019 is after --to 2018 \
             (did you mean --from 2018 --to 2019?)\n",
            "{cmd}"
        );
    }
    // One day, or a month and a day inside it, are windows.
    assert_eq!(
        annals(
            RECORD,
            &["query", "--from", "2024-03", "--to", "2024-03-05"]
        )
        .code,
        0
    );
}

/// The reminder that the record has warnings is for a person at a
/// terminal: piped, or with `--quiet`, stderr stays empty.
#[test]
fn the_warnings_reminder_only_on_a_terminal_and_not_with_quiet() {
    const WARNED: &str = "tests/fixtures/invalid/responds-to-later";
    let piped = annals(WARNED, &["query", "--format", "ids"]);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert_eq!(piped.stderr, "");
    let on_tty = |quiet: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["--dir", WARNED, "--color", "never"])
            .args(quiet.then_some("-q"))
            .args(["query", "--format", "ids"]);
        let mut p = rexpect::session::spawn_command(cmd, Some(10_000)).unwrap();
        p.exp_eof().unwrap()
    };
    let said = on_tty(false);
    assert!(
        said.contains("warning: the record has 1 warning (see `annals check`)"),
        "{said}"
    );
    let said = on_tty(true);
    assert!(!said.contains("the record has"), "{said}");
}
