//! `annals add`: byte preservation, validation, concurrency, failures,
//! interactive mode, and exact round trips of awkward strings.

use annals::check::check_dir;
use annals::model::{ActorRef, Role};
use annals::store::draft::{Draft, EventDraft, SourceCite};
use annals::store::{self, Request};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_annals");

/// A temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A fresh record directory with one actor and one source.
fn record() -> TempDir {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "annals-it-add-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("people.yaml"),
        "actors:\n  - {id: japan, name: Japan, type: state}\n  - {id: kcna, name: KCNA, type: media}\n",
    )
    .unwrap();
    fs::write(
        dir.join("reading.yaml"),
        "sources:\n  - {id: src, title: A report, publisher: A publisher, published: 2024-12-31}\n",
    )
    .unwrap();
    TempDir(dir)
}

fn annals(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap()
}

fn check_is_clean(dir: &Path) -> usize {
    let out = annals(dir, &["check"]);
    assert!(
        out.status.success(),
        "check failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    check_dir(dir).unwrap().record.events.len()
}

const ADD: &[&str] = &[
    "add",
    "event",
    "--file",
    "f.yaml",
    "--date",
    "2024-05-01",
    "--kind",
    "statement",
    "--title",
    "Japan says something",
    "--actor",
    "japan:initiator",
    "--source",
    "src",
];

/// Old text is the new text with one contiguous piece taken out.
fn inserted_piece(old: &str, new: &str) -> String {
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old[prefix..]
        .bytes()
        .rev()
        .zip(new[prefix..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        old.len(),
        "old bytes were changed:\n{old}\n---\n{new}"
    );
    new[prefix..new.len() - suffix].to_string()
}

fn add_to(old: &str) -> (String, String) {
    let dir = record();
    fs::write(dir.join("f.yaml"), old).unwrap();
    let before = check_is_clean(&dir);
    let out = annals(&dir, ADD);
    assert!(
        out.status.success(),
        "add failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(check_is_clean(&dir), before + 1);
    let new = fs::read_to_string(dir.join("f.yaml")).unwrap();
    let piece = inserted_piece(old, &new);
    (new, piece)
}

#[test]
fn comments_and_blank_lines_are_kept_and_the_old_text_is_a_prefix() {
    let old = "# A file with comments.\n# yaml-language-server: $schema=../docs/annals.schema.json\nevents:\n  # first\n  - id: a   # trailing\n    date: '2024-01-01'\n    kind: statement\n    title: \"Quoted\"\n    actors: [japan]\n    sources: [src]\n\n  - id: b\n    date: 2024-01-02\n    kind: statement\n    title: B\n    actors:\n      - japan\n    sources:\n      - src\n";
    let (new, piece) = add_to(old);
    assert!(new.starts_with(old));
    assert_eq!(
        piece,
        "\n  - id: japan-says-something\n    date: 2024-05-01\n    kind: statement\n    title: Japan says something\n    actors:\n      - {actor: japan, role: initiator}\n    sources:\n      - src\n"
    );
}

#[test]
fn flow_items_get_a_flow_item() {
    let old = "events:\n- {id: a, date: 2024-01-01, kind: statement, title: A, actors: [japan], sources: [src]}\n";
    let (new, piece) = add_to(old);
    assert!(new.starts_with(old));
    assert_eq!(
        piece,
        "- {id: japan-says-something, date: 2024-05-01, kind: statement, title: Japan says something, actors: [{actor: japan, role: initiator}], sources: [src]}\n"
    );
}

#[test]
fn a_flow_list_gets_one_more_item() {
    let old = "events: [\n    {id: a, date: 2024-01-01, kind: statement, title: A, actors: [japan], sources: [src]}\n]  # end\n";
    let (_, piece) = add_to(old);
    assert!(
        piece.starts_with(",\n    {id: japan-says-something,"),
        "{piece}"
    );
}

#[test]
fn crlf_files_stay_crlf() {
    let old = "# windows\r\nevents:\r\n  - id: a\r\n    date: 2024-01-01\r\n    kind: statement\r\n    title: A\r\n    actors: [japan]\r\n    sources: [src]\r\n";
    let (new, piece) = add_to(old);
    assert!(new.starts_with(old));
    assert!(!piece.replace("\r\n", "").contains('\n'), "{piece:?}");
    assert!(piece.ends_with("\r\n"));
}

#[test]
fn no_trailing_newline_is_handled() {
    let old = "events:\n  - id: a\n    date: 2024-01-01\n    kind: statement\n    title: A\n    actors: [japan]\n    sources: [src]";
    let (new, piece) = add_to(old);
    assert!(new.starts_with(old));
    assert!(
        piece.starts_with("\n  - id: japan-says-something\n"),
        "{piece:?}"
    );
}

#[test]
fn a_list_that_is_not_last_gets_the_item_where_it_ends() {
    let old = "events:\n  - id: a\n    date: 2024-01-01\n    kind: statement\n    title: A\n    actors: [japan]\n    sources: [src]\n\n# Kinds of this file\nkinds:\n  - {id: extra, label: Extra}\n";
    let (new, piece) = add_to(old);
    let at = new.find(&piece).unwrap();
    assert_eq!(&new[..at], &old[..at]);
    assert!(new[at + piece.len()..].starts_with("\n# Kinds of this file\nkinds:"));
    assert!(
        piece.starts_with("  - id: japan-says-something\n"),
        "{piece:?}"
    );
}

#[test]
fn a_new_file_starts_with_a_header() {
    let dir = record();
    let out = annals(&dir, ADD);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(dir.join("f.yaml")).unwrap();
    assert!(text.starts_with("# Record file created by `annals add`.\n# yaml-language-server: $schema=../docs/annals.schema.json\nevents:\n  - id: japan-says-something\n"), "{text}");
    assert_eq!(check_is_clean(&dir), 1);
}

#[test]
fn a_url_source_is_added_in_the_same_write() {
    let dir = record();
    let mut args = ADD.to_vec();
    *args.last_mut().unwrap() = "https://example.org/report?id=1";
    args.extend([
        "--source-title",
        "Report: one",
        "--source-publisher",
        "Example",
        "--source-published",
        "2024-05-02",
    ]);
    let out = annals(&dir, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_is_clean(&dir);
    let rec = check_dir(&dir).unwrap().record;
    let s = rec.sources.iter().find(|s| s.id == "report-one").unwrap();
    assert_eq!(s.url.as_deref(), Some("https://example.org/report?id=1"));
    let e = rec
        .events
        .iter()
        .find(|e| e.id == "japan-says-something")
        .unwrap();
    assert!(
        matches!(&e.sources[0], annals::model::SourceRef::Id { source, .. } if source == "report-one")
    );
    // The same URL again cites the source rather than adding another.
    let out = annals(&dir, &args);
    assert!(out.status.success());
    let rec = check_dir(&dir).unwrap().record;
    assert_eq!(rec.sources.len(), 2);
    assert!(rec.events.iter().any(|e| e.id == "japan-says-something-2"));
}

#[test]
fn an_invalid_addition_writes_nothing_and_says_why() {
    let dir = record();
    let old = "events: []\n";
    fs::write(dir.join("f.yaml"), old).unwrap();
    let mut args = ADD.to_vec();
    args[11] = "japn";
    args[5] = "2024-02-30";
    let out = annals(&dir, &args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[unknown-actor]"), "{err}");
    assert!(err.contains("did you mean `japan`?"), "{err}");
    assert!(err.contains("error[invalid-date]"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(fs::read_to_string(dir.join("f.yaml")).unwrap(), old);
    // A duplicate id, and the source-date rule.
    let mut args = ADD.to_vec();
    args.extend(["--id", "dup"]);
    assert!(annals(&dir, &args).status.success());
    let out = annals(&dir, &args);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[duplicate-id]"));
    let mut args = ADD.to_vec();
    args[5] = "2025-01-01";
    let out = annals(&dir, &args);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[after-sources]"));
    assert_eq!(check_is_clean(&dir), 1);
}

#[test]
fn missing_flags_without_a_terminal_are_named() {
    let dir = record();
    let out = annals(&dir, &["add", "event", "--file", "f.yaml", "--title", "T"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing --date, --kind, --actor, --source"),
        "{err}"
    );
    assert!(!dir.join("f.yaml").exists());
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let dir = record();
    let mut args = ADD.to_vec();
    args.push("--dry-run");
    let out = annals(&dir, &args);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "--- DIR/f.yaml\n+++ DIR/f.yaml\n@@ -0,0 +1,11 @@\n+# Record file created by `annals add`.\n+# yaml-language-server: $schema=../docs/annals.schema.json\n+events:\n+  - id: japan-says-something\n+    date: 2024-05-01\n+    kind: statement\n+    title: Japan says something\n+    actors:\n+      - {actor: japan, role: initiator}\n+    sources:\n+      - src\n"
            .replace("DIR", &dir.display().to_string())
    );
    assert!(!dir.join("f.yaml").exists());
    assert!(!dir.join(".annals.lock").exists());
}

#[test]
fn twenty_concurrent_adds_lose_nothing() {
    let dir = record();
    fs::write(dir.join("f.yaml"), "# shared\nevents:\n").unwrap();
    let children: Vec<_> = (0..20)
        .map(|_| {
            Command::new(BIN)
                .arg("--dir")
                .arg(&*dir)
                .args(ADD)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(check_is_clean(&dir), 20);
    let rec = check_dir(&dir).unwrap().record;
    let mut ids: Vec<_> = rec.events.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20);
    assert!(ids.iter().any(|i| i == "japan-says-something-20"));
    assert!(
        fs::read_to_string(dir.join("f.yaml"))
            .unwrap()
            .starts_with("# shared\nevents:\n")
    );
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("annals-tmp"))
        .collect()
}

#[test]
fn a_failed_write_leaves_the_original_and_no_temporary_file() {
    let dir = record();
    let old = "events:\n  - id: a\n    date: 2024-01-01\n    kind: statement\n    title: A\n    actors: [japan]\n    sources: [src]\n";
    fs::write(dir.join("f.yaml"), old).unwrap();
    for fault in ["write", "rename", "readback"] {
        let out = Command::new(BIN)
            .arg("--dir")
            .arg(&*dir)
            .args(ADD)
            .env("ANNALS_FAULT", fault)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{fault}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: "), "{fault}: {err}");
        assert_eq!(
            fs::read_to_string(dir.join("f.yaml")).unwrap(),
            old,
            "{fault}"
        );
        assert_eq!(leftovers(&dir), Vec::<String>::new(), "{fault}");
    }
    // A process killed halfway through the write.
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(&*dir)
        .args(ADD)
        .env("ANNALS_FAULT", "abort")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(fs::read_to_string(dir.join("f.yaml")).unwrap(), old);
    assert_eq!(
        check_is_clean(&dir),
        1,
        "the half-written temporary file is hidden from the loader"
    );
    // The next add clears what the killed one left.
    assert!(annals(&dir, ADD).status.success());
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    assert_eq!(check_is_clean(&dir), 2);
}

#[test]
fn interactive_mode_asks_checks_completes_and_confirms() {
    let dir = record();
    fs::write(dir.join("f.yaml"), "events:\n").unwrap();
    let mut cmd = Command::new(BIN);
    cmd.arg("--dir")
        .arg(&*dir)
        .args(["--color", "never", "add", "event", "--file", "f.yaml"]);
    let mut p = rexpect::session::spawn_command(cmd, Some(10_000)).unwrap();
    let answer = |p: &mut rexpect::session::PtySession, prompt: &str, text: &str| {
        p.exp_string(prompt).unwrap();
        p.send(text).unwrap();
        p.send("\r").unwrap();
        p.flush().unwrap();
    };
    answer(&mut p, "Title", "Japan answers");
    // An id the user can change, suggested from the title.
    answer(&mut p, "Id (empty for `japan-answers`)", "");
    answer(&mut p, "Date", "2024-02-30");
    // A bad date is asked again, with the reason.
    p.exp_string("February 2024 has 29 days").unwrap();
    answer(&mut p, "Date", "2024-02-29");
    answer(&mut p, "Date as the source words it", "");
    // Tab completes the kind.
    answer(&mut p, "Kind", "stat\t");
    answer(&mut p, "Actor id[:role] (Tab completes) #1", "ja\t:targ\t");
    answer(&mut p, "#2 (empty to finish)", "");
    answer(&mut p, "Source id or URL", "sr\t");
    answer(&mut p, "#2 (empty to finish)", "");
    answer(&mut p, "Locator in `src`", "p. 5");
    answer(&mut p, "Summary", "");
    answer(&mut p, "Status", "");
    answer(&mut p, "Location", "");
    answer(&mut p, "Tag #1", "");
    answer(&mut p, "Related", "");
    // A quote by an actor's name.
    answer(&mut p, "Quote as BY: text", "Japan: We answer.");
    answer(&mut p, "#2 (empty to finish)", "");
    p.exp_string("- id: japan-answers").unwrap();
    p.exp_string("{actor: japan, role: target}").unwrap();
    p.exp_string("Write this?").unwrap();
    p.send("y").unwrap();
    p.flush().unwrap();
    p.exp_string("added event `japan-answers`").unwrap();
    p.exp_eof().unwrap();
    let rec = check_dir(&dir).unwrap().record;
    let e = &rec.events[0];
    assert_eq!(
        (e.id.as_str(), e.kind.as_str(), e.date.text()),
        ("japan-answers", "statement", "2024-02-29")
    );
    assert_eq!(
        e.actors,
        [ActorRef {
            actor: "japan".into(),
            role: Role::Target
        }]
    );
    assert_eq!(e.sources[0].locator(), Some("p. 5"));
    assert_eq!(
        (e.quotes[0].by.as_str(), e.quotes[0].text.as_str()),
        ("japan", "We answer.")
    );
    check_is_clean(&dir);
}

/// Strings YAML readers like to misread.
const TRICKY: &[&str] = &[
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "null",
    "~",
    "",
    "#hash",
    "a #b",
    "a: b",
    "key:",
    " leading",
    "trailing ",
    "---",
    "...",
    "[x]",
    "{x}",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%percent",
    "@at",
    "`tick`",
    "tab\there",
    "new\nline",
    "two\n\nbreaks\n",
    "\"quoted\"",
    "'single'",
    "back\\slash",
    "1.5",
    "0x1F",
    "1e3",
    ".inf",
    "2024-01-06",
    "12:30",
    "- dash",
    "? q",
    "金正恩の声明",
    "Ünïcödé",
    "emoji 🕊️ peace",
    "rtl \u{202e}x",
    "bell\u{7}",
    "nbsp\u{a0}",
    "ls\u{2028}ps\u{2029}",
    "bom\u{feff}",
    "del\u{7f}",
    "c1\u{85}",
    "=",
    "<<",
    "a,b",
    "a, [b]",
];

#[test]
fn awkward_strings_read_back_exactly() {
    for flow in [false, true] {
        let dir = record();
        let start = if flow { "events: []\n" } else { "events:\n" };
        fs::write(dir.join("f.yaml"), start).unwrap();
        for (i, s) in TRICKY.iter().enumerate() {
            let draft = EventDraft {
                date: "2024-05-01".into(),
                kind: "statement".into(),
                title: format!("Tricky {i}"),
                summary: Some(s.to_string()),
                location: Some(s.to_string()),
                date_text: Some(s.to_string()),
                actors: vec![ActorRef {
                    actor: "japan".into(),
                    role: Role::Participant,
                }],
                sources: vec![SourceCite::Id("src".into())],
                ..Default::default()
            };
            let req = Request {
                dir: dir.clone(),
                file: "f.yaml".into(),
                drafts: vec![Draft::Event(draft)],
                dry_run: false,
            };
            store::add(&req).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        }
        let checked = check_dir(&dir).unwrap();
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        for (i, s) in TRICKY.iter().enumerate() {
            let e = &checked.record.events[i];
            assert_eq!(e.title, format!("Tricky {i}"));
            assert_eq!(e.summary.as_deref(), Some(*s), "summary, flow={flow}");
            assert_eq!(e.location.as_deref(), Some(*s), "location, flow={flow}");
            assert_eq!(e.date_text.as_deref(), Some(*s), "date_text, flow={flow}");
        }
    }
}

#[test]
fn incremental_validation_matches_a_full_reload() {
    // `add` reloads one file; a full load with the same text must agree.
    let dir = record();
    let text = "events:\n  - id: a\n    date: 2024-01-01\n    kind: nope\n    title: A\n    actors: [japan, ghost]\n    sources: [src]\n";
    fs::write(dir.join("f.yaml"), "events: []\n").unwrap();
    let mut loaded = annals::load::load_dir(&dir).unwrap();
    loaded.set_file_text(&dir.join("f.yaml"), text);
    let mut inc = loaded.diagnostics.clone();
    inc.extend(annals::validate::validate(&loaded.record));
    let full = annals::load::load_dir_with(&dir, &[(dir.join("f.yaml"), text)]).unwrap();
    let mut all = full.diagnostics.clone();
    all.extend(annals::validate::validate(&full.record));
    let key = |d: &annals::diag::Diagnostic| format!("{}{}{:?}", d.code, d.message, d.id);
    let mut a: Vec<_> = inc.iter().map(key).collect();
    let mut b: Vec<_> = all.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(a.len(), 2, "{a:?}");
}

/// Adds through two spellings of one file (`--dir r --file sub/x.yaml` and
/// `--dir r/sub --file x.yaml`) while a hand editor appends comment lines
/// to it: every acknowledged event and every hand-written line is there.
#[test]
fn two_spellings_and_a_hand_editor_during_concurrent_adds_lose_nothing() {
    use std::io::Write as _;
    let root = record();
    let sub = root.join("sub");
    fs::create_dir(&sub).unwrap();
    // The people and sources inside `sub` too, so that `sub` is a record.
    fs::rename(root.join("people.yaml"), sub.join("people.yaml")).unwrap();
    fs::rename(root.join("reading.yaml"), sub.join("reading.yaml")).unwrap();
    let target = sub.join("x.yaml");
    fs::write(&target, "events:\n").unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let (target, stop) = (target.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) && n < 60 {
                let mut f = fs::OpenOptions::new().append(true).open(&target).unwrap();
                f.write_all(format!("# hand {n}\n").as_bytes()).unwrap();
                drop(f);
                n += 1;
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            n
        })
    };
    let children: Vec<_> = (0..16)
        .map(|i| {
            let id = format!("e{i}");
            let (dir, file) = if i % 2 == 0 {
                (root.to_path_buf(), "sub/x.yaml")
            } else {
                (sub.clone(), "x.yaml")
            };
            let child = Command::new(BIN)
                .arg("--dir")
                .arg(&dir)
                .args(["add", "event", "--file", file, "--id", &id])
                .args(["--date", "2024-05-01", "--kind", "statement"])
                .args(["--title", "Said", "--actor", "japan", "--source", "src"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            (id, child)
        })
        .collect();
    let mut acked = Vec::new();
    for (id, c) in children {
        let out = c.wait_with_output().unwrap();
        if out.status.success() {
            acked.push(id);
        } else {
            // Refusing is allowed (the file kept changing); losing is not.
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("changed while"), "{id}: {err}");
        }
    }
    stop.store(true, Ordering::Relaxed);
    let hand = editor.join().unwrap();
    let text = fs::read_to_string(&target).unwrap();
    for n in 0..hand {
        assert!(
            text.contains(&format!("# hand {n}\n")),
            "hand line {n} lost:\n{text}"
        );
    }
    let rec = check_dir(&root).unwrap();
    assert!(rec.diagnostics.is_empty(), "{:#?}", rec.diagnostics);
    let present: Vec<String> = rec.record.events.iter().map(|e| e.id.to_string()).collect();
    for id in &acked {
        assert!(
            present.contains(id),
            "{id} was acknowledged but lost:\n{text}"
        );
    }
    // Refusals depend on timing; that some adds got through while the
    // editor wrote, and that the editor wrote, is what makes this a test.
    assert!(
        !acked.is_empty() && hand > 0,
        "{acked:?}, {hand} hand lines"
    );
}

#[test]
fn names_locators_quotes_and_a_new_source_where_the_sources_are() {
    let dir = record();
    fs::write(dir.join("f.yaml"), "events: []\n").unwrap();
    let out = annals(
        &dir,
        &[
            "add",
            "event",
            "--file",
            "f.yaml",
            "--date",
            "2025-01-02",
            "--kind",
            "statement",
            "--title",
            "Japan and KCNA trade words",
            "--actor",
            "Japan:initiator",
            "--actor",
            "kcna",
            "--source",
            "src:p. 5",
            "--quote",
            "Japan: We are ready.",
            "--source",
            "https://example.org/new",
            "--source-title",
            "New report",
            "--source-publisher",
            "Example",
            "--source-published",
            "2025-01-03",
            "--source-id",
            "new-report",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("added source `new-report` to "), "{stdout}");
    assert!(stdout.contains("reading.yaml"), "{stdout}");
    check_is_clean(&dir);
    let rec = check_dir(&dir).unwrap().record;
    let e = rec
        .events
        .iter()
        .find(|e| e.id == "japan-and-kcna-trade-words")
        .unwrap();
    assert_eq!(e.actors[0].actor, "japan");
    assert_eq!(e.actors[0].role, Role::Initiator);
    assert_eq!(e.sources[0].locator(), Some("p. 5"));
    assert_eq!(e.quotes[0].by, "japan");
    assert_eq!(e.quotes[0].text, "We are ready.");
    let s = rec.sources.iter().find(|s| s.id == "new-report").unwrap();
    assert_eq!(
        rec.files[s.origin.file as usize].file_name().unwrap(),
        "reading.yaml"
    );
    // A name no actor has: "did you mean", nothing written.
    let before = fs::read_to_string(dir.join("f.yaml")).unwrap();
    let out = annals(
        &dir,
        &[
            "add",
            "event",
            "--file",
            "f.yaml",
            "--date",
            "2025-01-02",
            "--kind",
            "statement",
            "--title",
            "T",
            "--actor",
            "Japon State",
            "--source",
            "src",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(dir.join("f.yaml")).unwrap(), before);
}

#[test]
fn a_new_event_file_leaves_its_new_source_where_the_sources_are_on_every_layout() {
    let layouts = [
        (
            "block, comments, list not last",
            "# reading\nsources:\n  # the report\n  - id: src\n    title: A report\n    publisher: A publisher\n    published: 2024-12-31\nsettings:\n  warn-unarchived: false\n".to_string(),
        ),
        (
            "crlf",
            "sources:\r\n  - id: src\r\n    title: A report\r\n    publisher: A publisher\r\n    published: 2024-12-31\r\n".to_string(),
        ),
        (
            "flow",
            "sources: [{id: src, title: A report, publisher: A publisher, published: 2024-12-31}]\n".to_string(),
        ),
        (
            "no final newline",
            "sources:\n  - id: src\n    title: A report\n    publisher: A publisher\n    published: 2024-12-31".to_string(),
        ),
    ];
    for (name, reading) in layouts {
        let dir = record();
        fs::write(dir.join("reading.yaml"), &reading).unwrap();
        let args = [
            "add",
            "event",
            "--file",
            "2025/jan.yaml",
            "--date",
            "2025-01-02",
            "--kind",
            "statement",
            "--title",
            "Japan speaks",
            "--actor",
            "japan",
            "--source",
            "https://example.org/new",
            "--source-title",
            "New report",
            "--source-publisher",
            "Example",
            "--source-published",
            "2025-01-03",
        ];
        // A dry run makes neither the file nor its folder.
        let out = annals(&dir, &[&args[..], &["--dry-run"]].concat());
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!dir.join("2025").exists(), "{name}");
        assert_eq!(
            fs::read_to_string(dir.join("reading.yaml")).unwrap(),
            reading
        );
        let out = annals(&dir, &args);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("added source `new-report` to "),
            "{name}: {stdout}"
        );
        check_is_clean(&dir);
        let after = fs::read_to_string(dir.join("reading.yaml")).unwrap();
        // The old text is kept; the new source follows in its style.
        let kept = reading.trim_end_matches(['\n', '\r']).trim_end_matches(']');
        let kept = kept.split("settings:").next().unwrap();
        assert!(after.starts_with(kept), "{name}:\n{after}");
        assert_eq!(after.ends_with('\n'), reading.ends_with('\n'), "{name}");
        if name == "crlf" {
            assert!(
                !after.replace("\r\n", "").contains('\n'),
                "{name}: a bare LF"
            );
        }
        let event_file = fs::read_to_string(dir.join("2025/jan.yaml")).unwrap();
        assert!(
            event_file.starts_with("# Record file created by `annals add`.\n"),
            "{event_file}"
        );
        assert!(
            !event_file.contains("sources:\n  - id"),
            "{name}: {event_file}"
        );
        let rec = check_dir(&dir).unwrap().record;
        let s = rec.sources.iter().find(|s| s.id == "new-report").unwrap();
        assert_eq!(
            rec.files[s.origin.file as usize].file_name().unwrap(),
            "reading.yaml"
        );
        let e = rec.events.iter().find(|e| e.id == "japan-speaks").unwrap();
        assert!(
            rec.files[e.origin.file as usize].ends_with("2025/jan.yaml"),
            "{name}"
        );
    }
}

/// Without a new source, the flags' names are resolved by the store under
/// its lock (one load of the record), and the line reported is the one the
/// item starts on in the file as written, in block and flow lists alike.
#[test]
fn names_resolve_in_the_store_and_the_report_gives_the_items_line() {
    for old in [
        "# notes\nevents:\n  - id: a\n    date: 2024-01-01\n    kind: statement\n    title: A\n    actors: [japan]\n    sources: [src]\n\nkinds: []\n",
        "events: [{id: a, date: 2024-01-01, kind: statement, title: A, actors: [japan], sources: [src]}]\n",
        "",
    ] {
        let dir = record();
        if !old.is_empty() {
            fs::write(dir.join("f.yaml"), old).unwrap();
        }
        let out = annals(
            &dir,
            &[
                "add",
                "event",
                "--file",
                "f.yaml",
                "--date",
                "2024-05-01",
                "--kind",
                "statement",
                "--title",
                "KCNA answers",
                "--actor",
                "KCNA:initiator",
                "--quote",
                "Japan: No.",
                "--source",
                "src:p. 2",
            ],
        );
        assert!(
            out.status.success(),
            "{old:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let new = fs::read_to_string(dir.join("f.yaml")).unwrap();
        let at = new.find("kcna-answers").unwrap();
        let line = new[..at].matches('\n').count() + 1;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.starts_with("added event `kcna-answers` to ")
                && stdout.ends_with(&format!("f.yaml:{line}\n")),
            "{old:?}: {stdout}"
        );
        let rec = check_dir(&dir).unwrap().record;
        let e = rec.events.iter().find(|e| e.id == "kcna-answers").unwrap();
        assert_eq!(e.actors[0].actor, "kcna");
        assert_eq!(e.actors[0].role, Role::Initiator);
        assert_eq!(e.quotes[0].by, "japan");
        assert_eq!(e.sources[0].locator(), Some("p. 2"));
        // A name no actor has is the request's error (exit 2), said before
        // anything is written.
        let out = annals(
            &dir,
            &[
                "add",
                "event",
                "--file",
                "f.yaml",
                "--date",
                "2024-05-02",
                "--kind",
                "statement",
                "--title",
                "Other",
                "--actor",
                "Nobody At All",
                "--source",
                "src",
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{old:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--actor"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(fs::read_to_string(dir.join("f.yaml")).unwrap(), new);
    }
}
