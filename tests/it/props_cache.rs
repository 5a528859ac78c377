//! The parse cache never changes output (issue 18): random edits to a
//! generated record, and after each one the bytes of check, query, timeline
//! and export with the cache equal those without it. Also damaged entries,
//! and eight processes reading and adding on one record with one cache.

use proptest::prelude::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_annals");

/// What each step compares: the commands a reader runs most.
const COMMANDS: &[&[&str]] = &[
    &["check"],
    &["query", "--format", "json"],
    &["timeline"],
    &["export", "--format", "ndjson"],
];

fn run(dir: &Path, cache: &Path, no_cache: bool, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.arg("--dir").arg(dir).args(["--color", "never"]);
    c.env("ANNALS_CACHE_DIR", cache)
        .env_remove("ANNALS_NO_CACHE");
    if no_cache {
        c.arg("--no-cache");
    }
    c.args(args).output().unwrap()
}

/// One events file: `n` events, some with a per-file problem (a bad
/// date), some with a cross-file one (an unknown actor), or a YAML error.
fn events_file(seed: u32, n: u32) -> String {
    if seed % 11 == 10 {
        return "events:\n  - {id: broken, date: [\n".to_string();
    }
    let mut s = String::from("events:\n");
    for i in 0..n {
        let k = seed.wrapping_mul(31).wrapping_add(i);
        let date = match k % 9 {
            0 => "2024-13-40".to_string(),
            1 => "2023-XX".to_string(),
            _ => format!("20{:02}-{:02}-{:02}", 10 + k % 15, 1 + k % 12, 1 + k % 28),
        };
        let actor = if k % 7 == 0 { "nobody" } else { "japan" };
        s.push_str(&format!(
            "  - id: e-{seed}-{i}\n    date: {date}\n    kind: statement\n    title: Event {k}\n    actors: [{{actor: {actor}, role: initiator}}]\n    sources: [src]\n"
        ));
    }
    s
}

fn base(dir: &Path) {
    fs::write(
        dir.join("actors.yaml"),
        "actors:\n  - {id: japan, name: Japan, type: state}\n",
    )
    .unwrap();
    fs::write(
        dir.join("sources.yaml"),
        "sources:\n  - {id: src, title: A report, publisher: P, published: 2024-12-31}\n",
    )
    .unwrap();
}

#[derive(Debug, Clone)]
enum Step {
    Add(u32, u32),
    Change(usize, u32, u32),
    Delete(usize),
    Rename(usize, u32),
    Touch(usize),
    Truncate(usize, usize),
    Corrupt(usize, usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (any::<u32>(), 0..6u32).prop_map(|(s, n)| Step::Add(s, n)),
        (any::<usize>(), any::<u32>(), 0..6u32).prop_map(|(f, s, n)| Step::Change(f, s, n)),
        any::<usize>().prop_map(Step::Delete),
        (any::<usize>(), any::<u32>()).prop_map(|(f, s)| Step::Rename(f, s)),
        any::<usize>().prop_map(Step::Touch),
        (any::<usize>(), any::<usize>()).prop_map(|(f, n)| Step::Truncate(f, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(f, n)| Step::Corrupt(f, n)),
    ]
}

/// The files of `dir` named `events-*.yaml`, sorted.
fn event_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("events-")
        })
        .collect();
    v.sort();
    v
}

/// The cache entries under `cache`, sorted.
fn entries(cache: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for folder in fs::read_dir(cache).into_iter().flatten().flatten() {
        for e in fs::read_dir(folder.path()).into_iter().flatten().flatten() {
            if e.path().extension().is_some_and(|x| x == "bin") {
                v.push(e.path());
            }
        }
    }
    v.sort();
    v
}

fn apply(dir: &Path, cache: &Path, s: &Step) {
    let files = event_files(dir);
    let pick = |i: usize| files.get(i % files.len().max(1)).cloned();
    match *s {
        Step::Add(seed, n) => fs::write(
            dir.join(format!("events-{seed:010}.yaml")),
            events_file(seed, n),
        )
        .unwrap(),
        Step::Change(f, seed, n) => {
            if let Some(p) = pick(f) {
                fs::write(p, events_file(seed, n)).unwrap();
            }
        }
        Step::Delete(f) => {
            if let Some(p) = pick(f) {
                fs::remove_file(p).unwrap();
            }
        }
        Step::Rename(f, seed) => {
            if let Some(p) = pick(f) {
                fs::rename(p, dir.join(format!("events-{seed:010}-r.yaml"))).unwrap();
            }
        }
        Step::Touch(f) => {
            if let Some(p) = pick(f) {
                let bytes = fs::read(&p).unwrap();
                fs::write(&p, bytes).unwrap();
            }
        }
        Step::Truncate(f, n) => {
            let e = entries(cache);
            if let Some(p) = e.get(f % e.len().max(1)) {
                let bytes = fs::read(p).unwrap();
                fs::write(p, &bytes[..n % bytes.len().max(1)]).unwrap();
            }
        }
        Step::Corrupt(f, n) => {
            let e = entries(cache);
            if let Some(p) = e.get(f % e.len().max(1)) {
                let mut bytes = fs::read(p).unwrap();
                if !bytes.is_empty() {
                    let i = n % bytes.len();
                    bytes[i] = bytes[i].wrapping_add(1 + (n % 250) as u8);
                    fs::write(p, bytes).unwrap();
                }
            }
        }
    }
}

fn same_output(dir: &Path, cache: &Path) -> Result<(), TestCaseError> {
    for args in COMMANDS {
        let with = run(dir, cache, false, args);
        let without = run(dir, cache, true, args);
        prop_assert_eq!(with.status.code(), without.status.code(), "{:?}", args);
        prop_assert_eq!(
            String::from_utf8_lossy(&with.stdout),
            String::from_utf8_lossy(&without.stdout),
            "stdout of {:?}",
            args
        );
        prop_assert_eq!(
            String::from_utf8_lossy(&with.stderr),
            String::from_utf8_lossy(&without.stderr),
            "stderr of {:?}",
            args
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn the_cache_never_changes_output(
        seeds in prop::collection::vec((any::<u32>(), 1..6u32), 1..4),
        steps in prop::collection::vec(step(), 1..7),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        base(dir.path());
        for (seed, n) in &seeds {
            apply(dir.path(), cache.path(), &Step::Add(*seed, *n));
        }
        same_output(dir.path(), cache.path())?;
        // The first run filled the cache: there is something to damage.
        prop_assert!(!entries(cache.path()).is_empty());
        for s in &steps {
            apply(dir.path(), cache.path(), s);
            same_output(dir.path(), cache.path())?;
        }
        // Nothing was written into the record.
        for e in fs::read_dir(dir.path()).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            prop_assert!(name.ends_with(".yaml"), "{}", name);
        }
    }
}

#[test]
fn stale_entries_are_removed_and_clean_empties_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    base(dir.path());
    let f = dir.path().join("events-1.yaml");
    fs::write(&f, events_file(1, 3)).unwrap();
    assert!(
        run(dir.path(), cache.path(), false, &["check"])
            .status
            .success()
    );
    assert_eq!(entries(cache.path()).len(), 3);
    for seed in 2..6 {
        fs::write(&f, events_file(seed, 3)).unwrap();
        run(dir.path(), cache.path(), false, &["check"]);
    }
    // Each edit's old entry went when the new one was written.
    assert_eq!(entries(cache.path()).len(), 3);
    let out = run(dir.path(), cache.path(), false, &["cache", "clean"]);
    assert!(out.status.success());
    assert!(entries(cache.path()).is_empty());
    // --no-cache writes nothing.
    run(dir.path(), cache.path(), true, &["check"]);
    assert!(entries(cache.path()).is_empty());
}

/// Eight processes on one record and one cache: four add events, four
/// read. Nothing is lost, every read answers a whole record, and the end
/// state checks clean and reads the same with and without the cache.
#[test]
fn eight_processes_share_one_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    base(dir.path());
    fs::write(dir.path().join("events-a.yaml"), "events:\n").unwrap();
    fs::write(dir.path().join("events-b.yaml"), "events:\n").unwrap();
    let (d, c) = (dir.path().to_path_buf(), cache.path().to_path_buf());
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (d, c) = (d.clone(), c.clone());
            std::thread::spawn(move || {
                let mut added = Vec::new();
                for i in 0..5 {
                    if w % 2 == 0 {
                        let id = format!("w{w}-{i}");
                        let file = if i % 2 == 0 {
                            "events-a.yaml"
                        } else {
                            "events-b.yaml"
                        };
                        let out = run(
                            &d,
                            &c,
                            false,
                            &[
                                "add",
                                "event",
                                "--file",
                                file,
                                "--id",
                                &id,
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
                            ],
                        );
                        let err = String::from_utf8_lossy(&out.stderr).into_owned();
                        if out.status.success() {
                            added.push(id);
                        } else {
                            // Refused because another writer changed the file is
                            // allowed; anything else is not.
                            assert!(err.contains("changed while"), "{id}: {err}");
                        }
                    } else {
                        let out = run(&d, &c, false, &["query", "--format", "json"]);
                        assert!(
                            out.status.success(),
                            "{}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                        assert!(v.is_array(), "{v}");
                        let out = run(&d, &c, false, &["check"]);
                        assert!(
                            out.status.success(),
                            "{}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                }
                added
            })
        })
        .collect();
    let added: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(!added.is_empty());
    let out = run(&d, &c, false, &["query", "--format", "ids"]);
    let ids = String::from_utf8_lossy(&out.stdout).into_owned();
    for id in &added {
        assert!(ids.lines().any(|l| l == id), "{id} lost: {ids}");
    }
    assert!(
        run(&d, &c, false, &["check", "--deny-warnings"])
            .status
            .success()
    );
    for args in COMMANDS {
        let with = run(&d, &c, false, args);
        let without = run(&d, &c, true, args);
        assert_eq!(with.stdout, without.stdout, "{args:?}");
        assert_eq!(with.stderr, without.stderr, "{args:?}");
    }
}
