//! The kill test: concurrent `annals add` processes, SIGKILLed at random
//! moments, leave a record that loads and checks clean, with every event
//! whose add was acknowledged (exit 0) present.
//!
//! Bounded: a few rounds of a few processes each, about two seconds. The
//! random delays come from a seed printed on failure; set
//! `ANNALS_KILL_SEED` to replay one, `ANNALS_KILL_ROUNDS` to run longer.

use annals::check::check_dir;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_annals");

/// xorshift64*: enough randomness for delays, and replayable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn seed() -> u64 {
    std::env::var("ANNALS_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            (t.as_nanos() as u64) | 1
        })
}

/// Starts `annals add event` for event `id` in `file`.
fn add(dir: &Path, file: &str, id: &str) -> Child {
    Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .args(["add", "event", "--file", file, "--id", id])
        .args(["--date", "2024-05-01", "--kind", "statement"])
        .args([
            "--title",
            &format!("Event {id}: \"quoted\" # not a comment"),
        ])
        .args(["--summary", "yes"])
        .args(["--actor", "japan:initiator", "--source", "src"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".annals-tmp"))
        .collect()
}

/// Loads and checks `dir`: no diagnostic at all, and every acknowledged
/// event present.
fn assert_clean(dir: &Path, acked: &BTreeSet<String>, seed: u64) -> usize {
    let checked = check_dir(dir).unwrap();
    assert!(
        checked.diagnostics.is_empty(),
        "seed {seed}: the record has problems: {:#?}",
        checked.diagnostics
    );
    let present: BTreeSet<String> = checked
        .record
        .events
        .iter()
        .map(|e| e.id.to_string())
        .collect();
    let lost: Vec<_> = acked.difference(&present).collect();
    assert!(
        lost.is_empty(),
        "seed {seed}: acknowledged but lost: {lost:?}"
    );
    present.len()
}

#[test]
fn killed_concurrent_adds_leave_a_clean_record_with_every_acknowledged_event() {
    let seed = seed();
    let mut rng = Rng(seed);
    let rounds: usize = std::env::var("ANNALS_KILL_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("people.yaml"),
        "actors:\n  - {id: japan, name: Japan, type: state}\n",
    )
    .unwrap();
    fs::write(
        dir.join("reading.yaml"),
        "sources:\n  - {id: src, title: A report, publisher: A publisher}\n",
    )
    .unwrap();
    fs::write(dir.join("block.yaml"), "# kept\nevents:\n").unwrap();
    fs::write(dir.join("flow.yaml"), "events: []\n").unwrap();
    // `new.yaml` does not exist: the first add to finish creates it.
    let files = ["block.yaml", "flow.yaml", "new.yaml"];

    let mut acked = BTreeSet::new();
    let (mut killed, mut n) = (0, 0);
    let started = Instant::now();
    for _ in 0..rounds {
        let mut children: Vec<(u64, String, Child)> = (0..6)
            .map(|_| {
                n += 1;
                let id = format!("e{n}");
                let file = files[rng.below(files.len() as u64) as usize];
                // Some are killed before they start, most while working,
                // some never.
                let delay = rng.below(80);
                (delay, id.clone(), add(dir, file, &id))
            })
            .collect();
        let t0 = Instant::now();
        children.sort_by_key(|(d, ..)| *d);
        for (delay, _, child) in &mut children {
            let at = t0 + Duration::from_millis(*delay);
            std::thread::sleep(at.saturating_duration_since(Instant::now()));
            // SIGKILL; a child that already exited is not affected.
            let _ = child.kill();
        }
        for (_, id, mut child) in children {
            let status = child.wait().unwrap();
            if status.success() {
                acked.insert(id);
            } else {
                killed += 1;
            }
        }
        assert_clean(dir, &acked, seed);
    }
    // One unkilled add per file: it succeeds and clears what killed
    // writers left behind.
    for file in files {
        n += 1;
        let id = format!("e{n}");
        let status = add(dir, file, &id).wait().unwrap();
        assert!(
            status.success(),
            "seed {seed}: the last add to {file} failed"
        );
        acked.insert(id);
    }
    let total = assert_clean(dir, &acked, seed);
    assert!(
        temp_files(dir).is_empty(),
        "seed {seed}: temporary files left: {:?}",
        temp_files(dir)
    );
    assert!(
        killed > 0,
        "seed {seed}: no add was killed, nothing was tested"
    );
    assert!(
        fs::read_to_string(dir.join("block.yaml"))
            .unwrap()
            .starts_with("# kept\nevents:\n")
    );
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .arg("check")
        .output()
        .unwrap();
    assert!(out.status.success(), "seed {seed}: `annals check` failed");
    eprintln!(
        "kill test: seed {seed}, {n} adds, {} acknowledged, {killed} killed, {total} events, {:?}",
        acked.len(),
        started.elapsed()
    );
}
