//! `annals rename`, `rm` (and the change path they share): every layout
//! `add` is tested on, bytes outside the edits kept, refusals that write
//! nothing, the journal, and the kill test across a 5-file record.

use annals::check::check_dir;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_annals");

pub fn annals(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .args(["--color", "never"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A record directory holding `files`.
pub fn record(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(tmp.path().join(name), text).unwrap();
    }
    tmp
}

/// Every file's text, by name.
pub fn texts(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") {
            out.insert(name, fs::read_to_string(e.path()).unwrap());
        }
    }
    out
}

pub fn assert_clean(dir: &Path) {
    let checked = check_dir(dir).unwrap();
    assert!(
        checked.diagnostics.is_empty(),
        "{:#?}\n{:#?}",
        checked.diagnostics,
        texts(dir)
    );
}

const PEOPLE: &str = "actors:\n  - {id: japan, name: Japan, type: state}\n";
const SOURCES: &str =
    "sources:\n  - {id: src, title: A report, publisher: P, published: 2024-12-31}\n";

/// The layouts `add` is tested on, each an events file where `kim` is
/// defined, referred to, and followed by other items.
pub fn layouts() -> Vec<(&'static str, String)> {
    let block = "# Events of May\nevents:\n  # the first\n  - id: e1\n    date: 2024-05-01\n    kind: statement\n    title: One\n    actors:\n      - kim\n      - actor: japan\n        role: target\n    sources: [src]\n\n  - id: e2\n    date: 2024-05-02\n    kind: statement\n    title: Two\n    actors: [kim]\n    quotes:\n      - by: kim\n        text: \"kim\"\n    sources:\n      - src\n    related:\n      - {event: e1, relation: follows}\n\n# people\nactors:\n  - id: kim\n    name: Kim\n    type: person\n  - id: aide\n    name: Aide\n    type: person\n    member_of:\n      - kim\n";
    let flow = "events: [{id: e1, date: 2024-05-01, kind: statement, title: One, actors: [kim, {actor: japan, role: target}], sources: [src]}, {id: e2, date: 2024-05-02, kind: statement, title: Two, actors: ['kim'], sources: [src], related: [{event: e1, relation: follows}]}]\nactors: [{id: kim, name: Kim, type: person}, {id: aide, name: Aide, type: person, member_of: [\"kim\"]}]\n";
    let zero_indent = "events:\n- id: e1\n  date: 2024-05-01\n  kind: statement\n  title: One\n  actors:\n  - kim\n  sources:\n  - src\n- id: e2\n  date: 2024-05-02\n  kind: statement\n  title: Two\n  actors:\n  - kim\n  sources:\n  - src\n  related:\n  - event: e1\n    relation: follows\nactors:\n- id: kim\n  name: Kim\n  type: person\n- {id: aide, name: Aide, type: person, member_of: [kim]}";
    vec![
        ("block", block.to_string()),
        ("crlf", block.replace('\n', "\r\n")),
        ("flow", flow.to_string()),
        ("no-final-newline", block.trim_end_matches('\n').to_string()),
        (
            "zero-indent, list not last, no final newline",
            zero_indent.to_string(),
        ),
    ]
}

fn layout_record(text: &str) -> tempfile::TempDir {
    record(&[
        ("people.yaml", PEOPLE),
        ("reading.yaml", SOURCES),
        ("may.yaml", text),
    ])
}

#[test]
fn rename_keeps_every_other_byte_on_every_layout() {
    for (name, text) in layouts() {
        let dir = layout_record(&text);
        assert_clean(dir.path());
        let before = texts(dir.path());
        let out = annals(
            dir.path(),
            &["rename", "actor", "kim", "kim-jong-un", "--no-alias"],
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("renamed actor `kim` to `kim-jong-un` at "),
            "{name}"
        );
        assert!(
            stdout(&out).contains("may.yaml:"),
            "{name}: {}",
            stdout(&out)
        );
        assert_clean(dir.path());
        let after = texts(dir.path());
        // The quote's text "kim" is not an id: it stays.
        assert!(after["may.yaml"].contains("kim-jong-un"), "{name}");
        assert_eq!(
            after["may.yaml"].replace("kim-jong-un", "kim"),
            before["may.yaml"],
            "{name}: only the ids changed"
        );
        assert_eq!(after["people.yaml"], before["people.yaml"]);
        let checked = check_dir(dir.path()).unwrap();
        let e2 = checked.record.events.iter().find(|e| e.id == "e2").unwrap();
        assert!(e2.actors.iter().all(|a| a.actor == "kim-jong-un"), "{name}");
        let aide = checked
            .record
            .actors
            .iter()
            .find(|a| a.id == "aide")
            .unwrap();
        assert_eq!(aide.member_of, ["kim-jong-un"], "{name}");
    }
}

#[test]
fn rename_actor_keeps_the_old_id_as_an_alias_in_the_items_style() {
    for (name, text) in layouts() {
        let dir = layout_record(&text);
        let out = annals(dir.path(), &["rename", "actor", "kim", "kim-jong-un"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(stdout(&out).contains("(`kim` kept as an alias)"));
        assert_clean(dir.path());
        let checked = check_dir(dir.path()).unwrap();
        let kim = checked
            .record
            .actors
            .iter()
            .find(|a| a.id == "kim-jong-un")
            .unwrap();
        assert_eq!(kim.aliases, ["kim"], "{name}");
        let new = &texts(dir.path())["may.yaml"];
        if name == "crlf" {
            assert!(!new.replace("\r\n", "").contains('\n'), "{name}: a bare LF");
        }
        if name == "flow" {
            assert!(new.contains("{id: kim-jong-un, name: Kim, type: person, aliases: [kim]}"));
        }
    }
}

#[test]
fn rename_event_source_and_kind() {
    let dir = layout_record(&layouts()[0].1);
    let out = annals(dir.path(), &["rename", "event", "e1", "first"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = annals(dir.path(), &["rename", "source", "src", "report"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 reference(s) in 2 file(s)"),
        "{}",
        stdout(&out)
    );
    assert_clean(dir.path());
    let checked = check_dir(dir.path()).unwrap();
    let e2 = checked.record.events.iter().find(|e| e.id == "e2").unwrap();
    assert_eq!(e2.related[0].event, "first");
    fs::write(
        dir.path().join("kinds.yaml"),
        "kinds:\n  - {id: courtesy-call, label: Courtesy call}\nevents:\n  - {id: v, date: 2024-05-03, kind: courtesy-call, title: V, actors: [japan], sources: [report]}\n",
    )
    .unwrap();
    let out = annals(dir.path(), &["rename", "kind", "courtesy-call", "call"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_clean(dir.path());
    let out = annals(dir.path(), &["rm", "kind", "call"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("kinds.yaml:4: event `v` (kind)"),
        "{}",
        stderr(&out)
    );
    assert!(annals(dir.path(), &["rm", "v"]).status.success());
    let out = annals(dir.path(), &["rm", "kind", "call"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(texts(dir.path())["kinds.yaml"], "kinds: []\nevents: []\n");
    assert_clean(dir.path());
    let out = annals(dir.path(), &["rename", "kind", "statement", "said"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("built-in kind"), "{}", stderr(&out));
}

#[test]
fn rename_refuses_unknown_taken_and_anchored_and_writes_nothing() {
    let dir = layout_record(&layouts()[0].1);
    let before = texts(dir.path());
    let out = annals(dir.path(), &["rename", "actor", "japn", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `japan`?"),
        "{}",
        stderr(&out)
    );
    let out = annals(dir.path(), &["rename", "actor", "kim", "japan"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already taken"), "{}", stderr(&out));
    // An id the record's rules refuse: said so, with the slug to write.
    let out = annals(dir.path(), &["rename", "actor", "kim", "Kim Jong Un"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        "error: `Kim Jong Un` is not a valid id: use lower-case letters, digits and single hyphens, e.g. `kim-jong-un`\n"
    );
    assert_eq!(texts(dir.path()), before);

    let anchored = "events:\n  - &base\n    id: e1\n    date: 2024-05-01\n    kind: statement\n    title: One\n    actors: [japan]\n    sources: [src]\n  - <<: *base\n    id: e3\n";
    let dir = record(&[
        ("people.yaml", PEOPLE),
        ("reading.yaml", SOURCES),
        ("a.yaml", anchored),
    ]);
    let before = texts(dir.path());
    let out = annals(dir.path(), &["rename", "actor", "japan", "nippon"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("a.yaml:2"), "{err}");
    assert!(err.contains("YAML anchor (`&name`)"), "{err}");
    assert_eq!(texts(dir.path()), before);
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let dir = layout_record(&layouts()[0].1);
    let before = texts(dir.path());
    let out = annals(
        dir.path(),
        &["rename", "actor", "kim", "kim-jong-un", "--dry-run"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(
        diff.contains("may.yaml\n@@ -9,1 +9,1 @@\n-      - kim\n+      - kim-jong-un\n"),
        "{diff}"
    );
    assert!(diff.contains("+    aliases:\n+      - kim\n"), "{diff}");
    assert!(stderr(&out).contains("dry run: nothing was written"));
    assert_eq!(texts(dir.path()), before);
    let out = annals(dir.path(), &["rm", "e2", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("-  - id: e2\n"), "{}", stdout(&out));
    assert_eq!(texts(dir.path()), before);
}

/// `old` is `new` with one contiguous piece taken out; that piece.
fn removed_piece(old: &str, new: &str) -> String {
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count()
        .min(new.len() - prefix);
    assert_eq!(
        prefix + suffix,
        new.len(),
        "more than one piece changed:\n{old}\n---\n{new}"
    );
    old[prefix..old.len() - suffix].to_string()
}

#[test]
fn rm_takes_out_one_piece_on_every_layout() {
    for (name, text) in layouts() {
        let dir = layout_record(&text);
        // `e1` is referred to by e2's `related`: first remove e2.
        let out = annals(dir.path(), &["rm", "e1"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            stderr(&out).contains("may.yaml:"),
            "{name}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("event `e2` (related)"),
            "{name}: {}",
            stderr(&out)
        );
        let before = texts(dir.path())["may.yaml"].clone();
        assert_eq!(texts(dir.path())["may.yaml"], text);
        let out = annals(dir.path(), &["rm", "event", "e2"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(stdout(&out).contains("removed event `e2` from "), "{name}");
        assert_clean(dir.path());
        let after = texts(dir.path())["may.yaml"].clone();
        let piece = removed_piece(&before, &after);
        assert!(
            piece.contains("id: e2") && !piece.contains("id: e1"),
            "{name}: {piece:?}"
        );
        if name == "crlf" {
            assert!(!after.replace("\r\n", "").contains('\n'), "{name}");
        }
        if name != "flow" && !name.starts_with("zero") {
            assert!(
                after.contains("# people"),
                "{name}: the next list's comment stays"
            );
        }
        let out = annals(dir.path(), &["rm", "e1"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_clean(dir.path());
        let checked = check_dir(dir.path()).unwrap();
        assert!(checked.record.events.is_empty(), "{name}");
    }
}

#[test]
fn rm_takes_the_comments_about_the_item_and_keeps_the_rest() {
    let dir = layout_record(&layouts()[0].1);
    let out = annals(dir.path(), &["rm", "aide"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = annals(dir.path(), &["rm", "e2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = annals(dir.path(), &["rm", "e1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        texts(dir.path())["may.yaml"],
        "# Events of May\nevents: []\n\n# people\nactors:\n  - id: kim\n    name: Kim\n    type: person\n"
    );
}

#[test]
fn rm_lists_every_referrer_with_file_and_line() {
    let dir = layout_record(&layouts()[0].1);
    let before = texts(dir.path());
    let out = annals(dir.path(), &["rm", "kim"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "may.yaml:9: event `e1` (actors)",
        "may.yaml:18: event `e2` (actors)",
        "may.yaml:20: event `e2` (quotes.by)",
        "may.yaml:36: actor `aide` (member_of)",
    ] {
        assert!(err.contains(line), "{line} in {err}");
    }
    assert_eq!(texts(dir.path()), before);
    let out = annals(dir.path(), &["rm", "src"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("(sources)"));
    let out = annals(dir.path(), &["rm", "japn"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("did you mean"), "{}", stderr(&out));
}

#[test]
fn a_journal_left_by_a_killed_writer_is_rolled_back_or_forward() {
    let dir = layout_record(&layouts()[0].1);
    let d = dir.path();
    let before = texts(d);
    // Killed before its commit point: the temporary files are dropped.
    fs::write(d.join(".may.yaml.annals-tmp"), "events: [half").unwrap();
    fs::write(
        d.join(".annals.journal"),
        r#"{"state":"prepare","files":[{"file":"may.yaml","tmp":".may.yaml.annals-tmp"}]}"#,
    )
    .unwrap();
    let out = annals(d, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!d.join(".annals.journal").exists());
    assert!(!d.join(".may.yaml.annals-tmp").exists());
    assert_eq!(texts(d), before);
    // Killed after it: the temporary files that are left are renamed.
    let new_people = "actors:\n  - {id: japan, name: Nippon, type: state}\n";
    fs::write(d.join(".people.yaml.annals-tmp"), new_people).unwrap();
    fs::write(
        d.join(".annals.journal"),
        r#"{"state":"commit","files":[{"file":"may.yaml","tmp":".may.yaml.annals-tmp"},{"file":"people.yaml","tmp":".people.yaml.annals-tmp"}]}"#,
    )
    .unwrap();
    let out = annals(d, &["query", "--format", "ids"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(texts(d)["people.yaml"], new_people);
    assert_eq!(texts(d)["may.yaml"], before["may.yaml"]);
    assert!(!d.join(".annals.journal").exists());
    // A journal naming files outside the record is not acted on.
    fs::write(
        d.join(".annals.journal"),
        r#"{"state":"commit","files":[{"file":"../x.yaml","tmp":".x"}]}"#,
    )
    .unwrap();
    let out = annals(d, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("outside the record"),
        "{}",
        stderr(&out)
    );
}

/// xorshift64*, replayable from the seed printed on failure.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// Five files, each referring to `dprk`.
fn five_files() -> Vec<(String, String)> {
    let mut files = vec![(
        "actors.yaml".to_string(),
        "actors:\n  - id: dprk\n    name: North Korea\n    type: state\n  - {id: kim, name: Kim, type: person, member_of: [dprk]}\n".to_string(),
    )];
    files.push(("sources.yaml".into(), SOURCES.into()));
    for (i, month) in ["05", "06", "07"].iter().enumerate() {
        files.push((
            format!("2024-{month}.yaml"),
            format!(
                "events:\n  - id: e{i}\n    date: 2024-{month}-01\n    kind: statement\n    title: Event {i}\n    actors: [dprk, kim]\n    sources: [src]\n"
            ),
        ));
    }
    files
}

#[test]
fn killed_renames_leave_the_old_or_the_new_record_never_a_mix() {
    let seed = std::env::var("ANNALS_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    let mut rng = Rng(seed);
    let files = five_files();
    let make = || {
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        record(&refs)
    };
    // The new record, from a rename left alone.
    let done = make();
    let rename = |dir: &Path| {
        Command::new(BIN)
            .arg("--dir")
            .arg(dir)
            .args(["rename", "actor", "dprk", "dprk-state", "--no-alias"])
            .env("ANNALS_JOURNAL_PAUSE_MS", "10")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a rename takes here, so that the kills spread over all of it.
    let t0 = Instant::now();
    assert!(rename(done.path()).wait().unwrap().success());
    let took = t0.elapsed().as_millis() as u64;
    let new = texts(done.path());
    let old = texts(make().path());
    assert_ne!(new, old);
    let (mut olds, mut news, mut in_journal) = (0, 0, 0);
    let started = Instant::now();
    for round in 0..12 {
        let dir = make();
        let mut child = rename(dir.path());
        std::thread::sleep(Duration::from_millis(rng.below(took + took / 4 + 1)));
        let _ = child.kill();
        let _ = child.wait();
        if dir.path().join(".annals.journal").exists() {
            in_journal += 1;
        }
        // The next command finishes or undoes what was left.
        let out = annals(dir.path(), &["check"]);
        assert!(
            out.status.success(),
            "seed {seed}, round {round}: {}",
            stderr(&out)
        );
        let now = texts(dir.path());
        if now == old {
            olds += 1;
        } else if now == new {
            news += 1;
        } else {
            panic!("seed {seed}, round {round}: a mix of old and new: {now:#?}");
        }
        assert!(!dir.path().join(".annals.journal").exists());
    }
    eprintln!(
        "rename kill test: seed {seed}, a rename takes {took} ms; {olds} old, {news} new, {in_journal} killed with a journal, {:?}",
        started.elapsed()
    );
}

#[test]
fn set_changes_only_the_fields_text_on_every_layout() {
    for (name, text) in layouts() {
        let dir = layout_record(&text);
        let out = annals(
            dir.path(),
            &[
                "set",
                "e2",
                "--title",
                "Two: again",
                "--date",
                "2024-05-03",
                "--summary",
                "yes",
                "--add-tag",
                "summit",
                "--add-actor",
                "japan:target",
                "--remove-actor",
                "kim",
                "--add-source",
                "src:p. 5",
                "--remove-relation",
                "e1",
            ],
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with(
                "set date, title, summary, actors, tags, related, sources of event `e2` at "
            ),
            "{name}: {}",
            stdout(&out)
        );
        // The quote by kim keeps kim an actor of e2 in the record's eyes
        // only through `quotes`; the record still checks clean.
        assert_clean(dir.path());
        let after = texts(dir.path())["may.yaml"].clone();
        assert_eq!(
            after.ends_with('\n'),
            text.ends_with('\n'),
            "{name}: the final line break"
        );
        if name == "crlf" {
            assert!(
                !after.replace("\r\n", "").contains('\n'),
                "{name}: a bare LF"
            );
        }
        if text.contains("# people") {
            assert!(after.contains("# Events of May\n") || after.contains("# Events of May\r\n"));
            assert!(after.contains("# the first"), "{name}");
        }
        let checked = check_dir(dir.path()).unwrap();
        let e2 = checked.record.events.iter().find(|e| e.id == "e2").unwrap();
        assert_eq!(e2.title, "Two: again", "{name}");
        assert_eq!(e2.summary.as_deref(), Some("yes"), "{name}");
        assert_eq!(e2.tags, ["summit"], "{name}");
        assert_eq!(e2.actors.len(), 1, "{name}");
        assert_eq!(e2.actors[0].actor, "japan", "{name}");
        assert!(e2.related.is_empty(), "{name}");
        assert_eq!(e2.sources.len(), 2, "{name}");
        assert_eq!(e2.sources[1].locator(), Some("p. 5"), "{name}");
        // e1 and the actors are byte for byte as they were.
        let e1_then = &text[text.find("id: e1").unwrap()..text.find("e2").unwrap()];
        assert!(after.contains(e1_then), "{name}");
        let actors_then = &text[text.rfind("id: kim").unwrap()..];
        assert!(after.ends_with(actors_then), "{name}");
    }
}

#[test]
fn set_exact_text_block_and_flow() {
    let dir = record(&[
        ("people.yaml", PEOPLE),
        ("reading.yaml", SOURCES),
        (
            "a.yaml",
            "events:\n  - id: a  # the first\n    date: 2024-05-01\n    kind: statement\n    title: 'One'\n    actors:\n      - japan\n    sources: [src]\n  - {id: b, date: 2024-05-02, kind: statement, title: B, actors: [japan], sources: [src]}\n",
        ),
    ]);
    let out = annals(
        dir.path(),
        &[
            "set",
            "a",
            "--title",
            "Uno",
            "--add-tag",
            "t",
            "--add-actor",
            "japan:target",
            "--remove-actor",
            "japan",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = annals(
        dir.path(),
        &[
            "set",
            "b",
            "--title",
            "Bee: two",
            "--add-tag",
            "t",
            "--location",
            "Hanoi",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        texts(dir.path())["a.yaml"],
        "events:\n  - id: a  # the first\n    date: 2024-05-01\n    kind: statement\n    title: 'Uno'\n    actors:\n      - {actor: japan, role: target}\n    sources: [src]\n    tags:\n      - t\n  - {id: b, date: 2024-05-02, kind: statement, title: \"Bee: two\", actors: [japan], sources: [src], location: Hanoi, tags: [t]}\n"
    );
    assert_clean(dir.path());
}

#[test]
fn set_refuses_what_would_break_the_record_and_writes_nothing() {
    let dir = layout_record(&layouts()[0].1);
    let before = texts(dir.path());
    for (args, says) in [
        (&["set", "e3", "--title", "x"][..], "no event `e3`"),
        (&["set", "e2", "--date", "May 2024"], "error["),
        (&["set", "e2", "--add-actor", "kimm"], "kim"),
        (&["set", "e2", "--remove-tag", "none"], "has no `tags`"),
        (&["set", "e2", "--kind", "unheard-of"], "error["),
    ] {
        let out = annals(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(texts(dir.path()), before, "{args:?}");
    }
    let out = annals(dir.path(), &["set", "e2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nothing to set"));
}

#[test]
fn set_an_actor_on_every_layout() {
    for (name, text) in layouts() {
        let dir = layout_record(&text);
        let out = annals(
            dir.path(),
            &[
                "set",
                "kim",
                "--name",
                "Kim Jong Un",
                "--country",
                "PRK",
                "--add-alias",
                "Kim",
                "--note",
                "leader: since 2011",
            ],
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("set name, country, note, aliases of actor `kim` at "),
            "{name}: {}",
            stdout(&out)
        );
        let out = annals(
            dir.path(),
            &[
                "set",
                "aide",
                "--remove-member-of",
                "kim",
                "--add-member-of",
                "japan",
                "--type",
                "government",
            ],
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_clean(dir.path());
        let after = texts(dir.path())["may.yaml"].clone();
        assert_eq!(after.ends_with('\n'), text.ends_with('\n'), "{name}");
        if name == "crlf" {
            assert!(
                !after.replace("\r\n", "").contains('\n'),
                "{name}: a bare LF"
            );
        }
        // Everything before the actors is byte for byte as it was.
        let events_then = &text[..text.find("id: kim").unwrap()];
        assert!(after.starts_with(events_then), "{name}:\n{after}");
        let checked = check_dir(dir.path()).unwrap();
        let kim = checked
            .record
            .actors
            .iter()
            .find(|a| a.id == "kim")
            .unwrap();
        assert_eq!(kim.name, "Kim Jong Un", "{name}");
        assert_eq!(kim.country.as_deref(), Some("PRK"), "{name}");
        assert_eq!(kim.aliases, ["Kim"], "{name}");
        assert_eq!(kim.note.as_deref(), Some("leader: since 2011"), "{name}");
        let aide = checked
            .record
            .actors
            .iter()
            .find(|a| a.id == "aide")
            .unwrap();
        assert_eq!(aide.member_of, ["japan"], "{name}");
        assert_eq!(aide.kind.as_str(), "government", "{name}");
    }
}

/// Sources written in each layout `add` is tested on: block with
/// comments and the list not last, CRLF, flow, no final newline.
fn source_layouts() -> Vec<(&'static str, String)> {
    let block = "# reading\nsources:\n  # the report\n  - id: src\n    title: A report  # kept\n    publisher: P\n    published: 2024-12-31\n    author:\n      - Lee\n  - id: other\n    title: Other\n    publisher: Q\nsettings:\n  warn-unarchived: false\n";
    let last = "sources:\n  - id: src\n    title: A report\n    publisher: P\n    published: 2024-12-31\n    author: Lee";
    let flow = "sources: [{id: src, title: A report, publisher: P, published: 2024-12-31, author: [Lee]}, {id: other, title: Other, publisher: Q}]\n";
    vec![
        ("block, list not last", block.to_string()),
        ("crlf", block.replace('\n', "\r\n")),
        ("flow", flow.to_string()),
        ("no final newline", last.to_string()),
    ]
}

#[test]
fn set_a_source_on_every_layout() {
    for (name, text) in source_layouts() {
        let dir = record(&[("people.yaml", PEOPLE), ("reading.yaml", &text)]);
        assert_clean(dir.path());
        let out = annals(
            dir.path(),
            &[
                "set",
                "src",
                "--title",
                "A report: revised",
                "--date",
                "2025-01",
                "--url",
                "https://example.org/r",
                "--archived",
                "https://web.archive.org/web/2025/https://example.org/r",
                "--add-author",
                "Park",
                "--remove-author",
                "Lee",
            ],
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            stdout(&out)
                .starts_with("set title, url, published, archived, author of source `src` at "),
            "{name}: {}",
            stdout(&out)
        );
        assert_clean(dir.path());
        let after = texts(dir.path())["reading.yaml"].clone();
        assert_eq!(after.ends_with('\n'), text.ends_with('\n'), "{name}");
        if name == "crlf" {
            assert!(
                !after.replace("\r\n", "").contains('\n'),
                "{name}: a bare LF"
            );
        }
        if text.contains("# kept") {
            assert!(
                after.contains("title: \"A report: revised\"  # kept"),
                "{name}:\n{after}"
            );
            assert!(after.starts_with("# reading"), "{name}");
            assert!(after.contains("  # the report"), "{name}");
        }
        if let Some(at) = text.find("id: other") {
            // The next source is byte for byte as it was.
            let other = &text[at..];
            assert!(after.ends_with(other), "{name}:\n{after}");
        }
        let checked = check_dir(dir.path()).unwrap();
        let src = checked
            .record
            .sources
            .iter()
            .find(|s| s.id == "src")
            .unwrap();
        assert_eq!(src.title, "A report: revised", "{name}");
        assert_eq!(
            src.published.as_ref().map(|d| d.to_string()).as_deref(),
            Some("2025-01"),
            "{name}"
        );
        assert_eq!(src.url.as_deref(), Some("https://example.org/r"), "{name}");
        assert_eq!(src.authors, ["Park"], "{name}");
    }
}

#[test]
fn set_tells_the_item_by_its_id_and_refuses_flags_it_does_not_have() {
    let dir = layout_record(&layouts()[0].1);
    let before = texts(dir.path());
    for (args, says) in [
        (
            &["set", "kim", "--title", "x"][..],
            "error: `kim` is an actor, which has no --title\n",
        ),
        (
            &["set", "e1", "--name", "x"],
            "error: `e1` is an event, which has no --name\n",
        ),
        (
            &["set", "src", "--kind", "x"],
            "error: `src` is a source, which has no --kind\n",
        ),
        (
            &["set", "kimm", "--name", "x"],
            "error: there is no actor `kimm` in the record; did you mean `kim`?\n",
        ),
        (
            &["set", "kim", "--remove-alias", "K"],
            "error: actor `kim`: has no `aliases`, so no `K` to remove\n",
        ),
    ] {
        let out = annals(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), says, "{args:?}");
        assert_eq!(texts(dir.path()), before, "{args:?}");
    }
    // An actor's change validated as a whole: an unknown `member_of`.
    let out = annals(dir.path(), &["set", "aide", "--add-member-of", "nobody"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nobody"), "{}", stderr(&out));
    assert_eq!(texts(dir.path()), before);
    // A dry run prints the diff.
    let out = annals(
        dir.path(),
        &["set", "kim", "--add-alias", "Kim", "--dry-run"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("+    aliases:\n+      - Kim\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(texts(dir.path()), before);
}

/// `layouts()` with e2 before e1 (and the actors out of order too).
fn unordered(text: &str) -> String {
    let swapped = text
        .replace("e1", "eX")
        .replace("e2", "e1")
        .replace("eX", "e2");
    swapped
        .replace("2024-05-01", "2024-05-0X")
        .replace("2024-05-02", "2024-05-01")
        .replace("2024-05-0X", "2024-05-02")
}

#[test]
fn fmt_moves_items_with_their_comments_and_is_idempotent_on_every_layout() {
    for (name, text) in layouts() {
        // In the layouts e1 comes first and is dated first: swapping the
        // ids and dates puts the file out of order.
        let text = unordered(&text);
        let dir = layout_record(&text);
        assert_clean(dir.path());
        let out = annals(dir.path(), &["fmt", "--check"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            stdout(&out).contains("may.yaml: out of order"),
            "{name}: {}",
            stdout(&out)
        );
        assert_eq!(
            texts(dir.path())["may.yaml"],
            text,
            "--check writes nothing"
        );
        let out = annals(dir.path(), &["fmt"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(stdout(&out).contains("put in order: "), "{name}");
        assert_clean(dir.path());
        let after = texts(dir.path())["may.yaml"].clone();
        let checked = check_dir(dir.path()).unwrap();
        let ids: Vec<&str> = checked
            .record
            .events
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["e1", "e2"], "{name}");
        let actors: Vec<&str> = checked
            .record
            .actors
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(
            actors,
            ["aide", "kim", "japan"],
            "{name}: by id in each file"
        );
        // The same bytes, moved: every line is still there.
        let mut old_lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches(", ")).collect();
        let mut new_lines: Vec<&str> = after.lines().map(|l| l.trim_end_matches(", ")).collect();
        old_lines.sort_unstable();
        new_lines.sort_unstable();
        if name != "flow" {
            assert_eq!(old_lines, new_lines, "{name}");
        }
        assert_eq!(after.ends_with('\n'), text.ends_with('\n'), "{name}");
        if name == "crlf" {
            assert!(!after.replace("\r\n", "").contains('\n'), "{name}");
        }
        if name == "block" {
            // The comment about e1 (now e2) moved with it.
            assert!(after.contains("  # the first\n  - id: e2\n"), "{after}");
            assert!(
                after.starts_with("# Events of May\nevents:\n  - id: e1\n"),
                "{after}"
            );
        }
        let out = annals(dir.path(), &["fmt", "--check"]);
        assert!(out.status.success(), "{name}: {}", stdout(&out));
        let out = annals(dir.path(), &["fmt"]);
        assert!(out.status.success());
        assert_eq!(texts(dir.path())["may.yaml"], after, "{name}: idempotent");
    }
}

#[test]
fn fmt_keeps_each_items_bytes_in_a_multi_line_flow_list_and_orders_kinds() {
    // Items on lines of their own, one spread over two lines, with
    // uneven spacing and a comment: each item moves as its bytes, the
    // separators and line breaks stay where they were.
    let events = "events: [\n  {id: b, date: 2024-05-02, kind: statement, title: B,\n     actors: [japan], sources: [src]},   # late\n  { id: a, date: 2024-05-01, kind: said, title: A, actors: [japan], sources: [src] }\n]\nkinds: [{id: said, label: Said}, {id: asked, label: Asked}]\n";
    let kinds = "kinds:\n  - id: zeal\n    label: Zeal\n  # the first\n  - id: awe\n    label: Awe";
    let dir = record(&[
        ("people.yaml", PEOPLE),
        ("reading.yaml", SOURCES),
        ("may.yaml", events),
        ("kinds.yaml", kinds),
    ]);
    assert_clean(dir.path());
    let out = annals(dir.path(), &["fmt", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let d = dir.path().display();
    assert_eq!(
        stdout(&out),
        format!(
            "{d}/kinds.yaml: out of order (run `annals fmt`)\n{d}/may.yaml: out of order (run `annals fmt`)\n"
        )
    );
    let out = annals(dir.path(), &["fmt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = texts(dir.path());
    assert_eq!(
        after["may.yaml"],
        "events: [\n  { id: a, date: 2024-05-01, kind: said, title: A, actors: [japan], sources: [src] },   # late\n  {id: b, date: 2024-05-02, kind: statement, title: B,\n     actors: [japan], sources: [src]}\n]\nkinds: [{id: asked, label: Asked}, {id: said, label: Said}]\n"
    );
    assert_eq!(
        after["kinds.yaml"],
        "kinds:\n  # the first\n  - id: awe\n    label: Awe\n  - id: zeal\n    label: Zeal"
    );
    assert_clean(dir.path());
    let out = annals(dir.path(), &["fmt", "--check"]);
    assert!(out.status.success(), "{}", stdout(&out));

    // A comment line directly above a flow item on its own line goes
    // with it, as in a block list; the blank line between stays.
    let commented = "events: [\n    {id: b, date: 2024-05-02, kind: statement, title: B, actors: [japan], sources: [src]},\n\n    # early\n    {id: a, date: 2024-05-01,\n      kind: statement, title: A, actors: [japan], sources: [src]},\n]\n";
    fs::write(dir.path().join("may.yaml"), commented).unwrap();
    let out = annals(dir.path(), &["fmt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        texts(dir.path())["may.yaml"],
        "events: [\n    # early\n    {id: a, date: 2024-05-01,\n      kind: statement, title: A, actors: [japan], sources: [src]},\n\n    {id: b, date: 2024-05-02, kind: statement, title: B, actors: [japan], sources: [src]},\n]\n"
    );
    assert_clean(dir.path());
}

#[test]
fn fmt_takes_files_and_refuses_broken_items() {
    let dir = layout_record(&unordered(&layouts()[0].1));
    let out = annals(dir.path(), &["fmt", "--check", "people.yaml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = annals(dir.path(), &["fmt", "--dry-run", "may.yaml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("@@ "), "{}", stdout(&out));
    let out = annals(dir.path(), &["fmt", "nowhere.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    fs::write(dir.path().join("bad.yaml"), "events:\n  - {id: b, date: 2024-05-03}\n  - {id: a, date: 2024-05-01, kind: statement, title: A, actors: [japan], sources: [src]}\n").unwrap();
    let before = texts(dir.path());
    let out = annals(dir.path(), &["fmt", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("left out"), "{}", stderr(&out));
    assert_eq!(texts(dir.path()), before);
}

#[test]
fn init_starts_a_clean_record_and_refuses_a_non_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    let out = Command::new(BIN)
        .args(["init", "--dry-run"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("+events: []"), "{}", stdout(&out));
    assert!(!dir.exists(), "a dry run writes nothing");
    let out = Command::new(BIN).arg("init").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("(use `--dir "), "{}", stdout(&out));
    for f in [
        "actors.yaml",
        "sources.yaml",
        "events.yaml",
        "annals.schema.json",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert!(
        fs::read_to_string(dir.join("events.yaml"))
            .unwrap()
            .contains("#   - id: singapore-summit")
    );
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("annals.schema.json")).unwrap()).unwrap();
    assert!(schema.is_object());
    assert_clean(&dir);
    let before = texts(&dir);
    let out = Command::new(BIN).arg("init").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not empty"));
    assert_eq!(texts(&dir), before);
    // In the record's folder, without `events/`: the hint.
    let out = Command::new(BIN)
        .current_dir(&dir)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("use `--dir .`"), "{}", stderr(&out));
    let out = Command::new(BIN)
        .current_dir(&dir)
        .args(["--dir", ".", "check"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn twenty_concurrent_sets_and_adds_on_one_file_lose_nothing() {
    let mut events = String::from("events:\n");
    for i in 0..10 {
        events.push_str(&format!(
            "  - id: e{i}\n    date: 2024-05-01\n    kind: statement\n    title: Event {i}\n    actors: [japan]\n    sources: [src]\n"
        ));
    }
    let dir = record(&[
        ("people.yaml", PEOPLE),
        ("reading.yaml", SOURCES),
        ("may.yaml", &events),
    ]);
    let d = dir.path();
    let children: Vec<_> = (0..20)
        .map(|i| {
            let mut c = Command::new(BIN);
            c.arg("--dir").arg(d);
            if i % 2 == 0 {
                c.args([
                    "set",
                    &format!("e{}", i / 2),
                    "--title",
                    &format!("Changed {i}"),
                    "--add-tag",
                    "t",
                ]);
            } else {
                c.args([
                    "add",
                    "event",
                    "--file",
                    "may.yaml",
                    "--id",
                    &format!("n{i}"),
                ])
                .args([
                    "--date",
                    "2024-05-02",
                    "--kind",
                    "statement",
                    "--title",
                    "New",
                ])
                .args(["--actor", "japan", "--source", "src"]);
            }
            c.stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_clean(d);
    let checked = check_dir(d).unwrap();
    assert_eq!(checked.record.events.len(), 20);
    for i in (0..20).step_by(2) {
        let e = checked
            .record
            .events
            .iter()
            .find(|e| e.id == format!("e{}", i / 2))
            .unwrap();
        assert_eq!(e.title, format!("Changed {i}"));
        assert_eq!(e.tags, ["t"]);
    }
    for i in (1..20).step_by(2) {
        assert!(
            checked
                .record
                .events
                .iter()
                .any(|e| e.id == format!("n{i}"))
        );
    }
}

/// Runs `annals ARGS` on a pseudo-terminal (util-linux `script`), with
/// `input` typed in.
fn on_terminal(dir: &Path, args: &str, editor: &str, input: &str) -> Output {
    use std::io::Write;
    let cmd = format!("{BIN} --color never --dir {} {args}", dir.display());
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("VISUAL", editor)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs the command on a terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn edit_opens_the_item_in_the_editor_and_writes_it_back_checked() {
    for (name, text) in layouts() {
        let dir = layout_record(&text);
        let out = annals(dir.path(), &["edit", "e1"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains("needs a terminal"), "{name}");
        // A scripted editor: changes the title of the item it is given.
        let out = on_terminal(dir.path(), "edit e1", "sed -i -e s/One/Uno/", "");
        assert!(out.status.success(), "{name}: {}", stdout(&out));
        assert!(
            stdout(&out).contains("edited event `e1` at "),
            "{name}: {}",
            stdout(&out)
        );
        assert_clean(dir.path());
        let after = texts(dir.path())["may.yaml"].clone();
        assert_eq!(after, text.replace("title: One", "title: Uno"), "{name}");
        // A broken edit: the problems, then "Reopen?"; "n" writes nothing.
        let out = on_terminal(dir.path(), "edit e2", "sed -i -e s/2024-05-02/May/", "n\n");
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stdout(&out));
        let shown = stdout(&out);
        assert!(
            shown.contains("error[") && shown.contains("Reopen the editor?"),
            "{name}: {shown}"
        );
        assert_eq!(texts(dir.path())["may.yaml"], after, "{name}");
    }
}

#[test]
fn rm_and_set_keep_a_missing_final_line_break_and_refuse_anchors() {
    let text = "events:\n  - {id: a, date: 2024-05-01, kind: statement, title: A, actors: [japan], sources: [src]}\n  - id: b\n    date: 2024-05-02\n    kind: statement\n    title: B\n    actors: [japan]\n    sources: [src]";
    let dir = record(&[
        ("people.yaml", PEOPLE),
        ("reading.yaml", SOURCES),
        ("f.yaml", text),
    ]);
    let out = annals(dir.path(), &["rm", "b"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        texts(dir.path())["f.yaml"],
        "events:\n  - {id: a, date: 2024-05-01, kind: statement, title: A, actors: [japan], sources: [src]}"
    );
    assert_clean(dir.path());
    let anchored = "events:\n  - &e\n    id: c\n    date: 2024-05-01\n    kind: statement\n    title: C\n    actors: [japan]\n    sources: [src]\n";
    fs::write(dir.path().join("g.yaml"), anchored).unwrap();
    for args in [
        &["set", "c", "--title", "x"][..],
        &["rm", "c"],
        &["edit", "c"],
    ] {
        let out = if args[0] == "edit" {
            on_terminal(dir.path(), "edit c", "true", "")
        } else {
            annals(dir.path(), args)
        };
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            said.contains("g.yaml:2") && said.contains("YAML anchor"),
            "{args:?}: {said}"
        );
        assert_eq!(texts(dir.path())["g.yaml"], anchored);
    }
}
