//! Peak memory on one large file (issue 11): loading it with and without
//! the parse cache, adding an event to it, and importing as many events
//! into a new file, each against the file's size. Its own test binary, since it counts every allocation of the
//! process through a global allocator: one test, run alone, so that no
//! other test's allocations are counted with its own.
//!
//! The heap is counted rather than the process's resident memory, so the
//! figures do not depend on the allocator's arenas or the machine. What the
//! bounds catch, on this file (10,000 events like `bench/gencorpus.py`'s),
//! measured in a test build before and after the change they guard:
//! - loading without the cache: the events' vector grown by doubling, up to
//!   half of it unused beside the file's text (3.22x before, 2.76x after);
//! - loading through the cache, cold: bitcode's buffers for the whole
//!   file's entry at once (4.18x before, 3.19x after);
//! - `add`: three copies of the file's text beside the whole record (5.13x
//!   before, 2.94x after);
//! - a warm load (2.72x before, 2.80x after) is held under 3x.
//!
//! Then the file (4 MB, above `load::stream`'s 2 MiB) read a block at a
//! time, and `add` and `import` checking the new file from their temporary
//! file rather than from its text in memory:
//! - loading without the cache: the whole text beside its items (2.76x
//!   before, 1.77x after);
//! - `add`: the new text beside its items (2.94x before, 2.80x after, now
//!   the warm load's own peak, 2.69x with the entries below);
//! - `import`: the same for the new file (3.03x before, 2.58x after).
//!
//! Then cache entries read and written a frame at a time:
//! - cold: the whole entry beside the items (3.19x before, 2.46x after);
//! - warm: the same (2.80x before, 2.69x after).

use annals::model::{ActorRef, Role};
use annals::store::bulk::Drafts;
use annals::store::draft::{Draft, EventDraft, SourceCite};
use annals::store::{self, Request};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = NOW.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; the
// counters only observe the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        NOW.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new) };
        if !q.is_null() {
            if new >= layout.size() {
                grew(new - layout.size());
            } else {
                NOW.fetch_sub(layout.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The most bytes held at once while `f` ran, beyond those held before.
fn peak_of<T>(f: impl FnOnce() -> T) -> usize {
    let base = NOW.load(Relaxed);
    PEAK.store(base, Relaxed);
    let kept = f();
    let peak = PEAK.load(Relaxed) - base;
    drop(kept);
    peak
}

/// A record of `n` events in one file, shaped as the generator's (a title,
/// most with a summary, two actors, a source, some tags), with its actors
/// and sources in files of their own. Returns the events file's size.
fn record(dir: &Path, n: usize) -> u64 {
    let mut actors = String::from("actors:\n");
    for a in 0..50 {
        writeln!(
            actors,
            "  - {{id: actor-{a:05}, name: Actor {a}, type: organization}}"
        )
        .unwrap();
    }
    fs::write(dir.join("actors.yaml"), actors).unwrap();
    let mut sources = String::from("sources:\n");
    for s in 0..200 {
        writeln!(
            sources,
            "  - {{id: src-{s:05}, title: Report {s}, publisher: P}}"
        )
        .unwrap();
    }
    fs::write(dir.join("sources.yaml"), sources).unwrap();
    let words = [
        "diet",
        "talks",
        "relations",
        "council",
        "summit",
        "missile",
        "envoy",
        "press",
    ];
    let mut text = String::from("events:\n");
    for i in 0..n {
        let word = |k: usize| words[(i * 7 + k * 3) % words.len()];
        let title: Vec<&str> = (0..8).map(word).collect();
        writeln!(text, "  - id: ev-{i:07}").unwrap();
        writeln!(
            text,
            "    date: \"{}-{:02}-{:02}\"",
            1950 + i % 70,
            1 + i % 12,
            1 + i % 28
        )
        .unwrap();
        writeln!(text, "    kind: statement").unwrap();
        writeln!(text, "    title: \"{}\"", title.join(" ")).unwrap();
        writeln!(text, "    actors:").unwrap();
        writeln!(text, "      - actor-{:05}", i % 50).unwrap();
        writeln!(
            text,
            "      - {{actor: actor-{:05}, role: target}}",
            (i + 1) % 50
        )
        .unwrap();
        if i % 3 != 0 {
            let summary: Vec<&str> = (0..30).map(word).collect();
            writeln!(text, "    summary: >\n      {}", summary.join(" ")).unwrap();
        }
        if i % 2 == 0 {
            writeln!(text, "    tags: [{}, {}]", word(1), word(2)).unwrap();
        }
        writeln!(text, "    sources: [src-{:05}]", i % 200).unwrap();
    }
    fs::write(dir.join("events.yaml"), &text).unwrap();
    text.len() as u64
}

/// Events drafted one at a time, as `import csv` drafts its rows: the
/// title and summary of the record's events, in a file of their own.
struct Imported {
    next: usize,
    n: usize,
}

impl Drafts for Imported {
    fn restart(&mut self) -> Result<(), String> {
        self.next = 0;
        Ok(())
    }

    fn next_draft(&mut self) -> Option<(usize, Draft)> {
        let i = self.next;
        if i == self.n {
            return None;
        }
        self.next += 1;
        let draft = EventDraft {
            id: Some(format!("im-{i:07}")),
            date: format!("{}-{:02}-{:02}", 1950 + i % 70, 1 + i % 12, 1 + i % 28),
            kind: "statement".into(),
            title: format!("Imported event {i} on the council summit talks"),
            summary: (!i.is_multiple_of(3)).then(|| "relations council summit missile ".repeat(8)),
            actors: vec![ActorRef {
                actor: format!("actor-{:05}", i % 50).into(),
                role: Role::Participant,
            }],
            sources: vec![SourceCite::Id(format!("src-{:05}", i % 200))],
            ..Default::default()
        };
        Some((i, Draft::Event(draft)))
    }

    fn writable(&self) -> bool {
        true
    }
}

#[test]
fn one_large_file_is_held_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    fs::create_dir(&dir).unwrap();
    let size = record(&dir, 10_000) as f64;
    let ratio = |bytes: usize| bytes as f64 / size;

    // The library leaves the cache off until told: first without it.
    let nocache = ratio(peak_of(|| annals::load::load_dir(&dir).unwrap()));
    annals::cache::configure(Some(tmp.path().join("cache")));
    let cold = ratio(peak_of(|| annals::load::load_dir(&dir).unwrap()));
    let warm = ratio(peak_of(|| annals::load::load_dir(&dir).unwrap()));
    let draft = EventDraft {
        date: "2024-01-06".into(),
        kind: "statement".into(),
        title: "Benchmark event".into(),
        actors: vec![ActorRef {
            actor: "actor-00001".into(),
            role: Role::Participant,
        }],
        sources: vec![SourceCite::Id("src-00001".into())],
        ..Default::default()
    };
    let req = Request {
        dir: dir.clone(),
        file: "events.yaml".into(),
        drafts: vec![Draft::Event(draft)],
        dry_run: false,
    };
    let add = ratio(peak_of(|| store::add(&req).unwrap()));
    // `import csv` of as many events into a new file of a record of the
    // same actors and sources, against the new file's size.
    let imp = tmp.path().join("imp");
    fs::create_dir(&imp).unwrap();
    for f in ["actors.yaml", "sources.yaml"] {
        fs::copy(dir.join(f), imp.join(f)).unwrap();
    }
    let mut drafts = Imported { next: 0, n: 10_000 };
    let into = Path::new("imported.yaml");
    let import = peak_of(|| store::bulk::add(&imp, into, &mut drafts, false).unwrap());
    let import = import as f64 / fs::metadata(imp.join(into)).unwrap().len() as f64;
    let figures = format!(
        "{size} bytes: no cache {nocache:.2}x, cold {cold:.2}x, warm {warm:.2}x, add {add:.2}x, import {import:.2}x"
    );
    // Shown with `--nocapture`.
    eprintln!("{figures}");
    assert!(nocache < 2.0, "{figures}");
    assert!(cold < 2.7, "{figures}");
    assert!(warm < 2.75, "{figures}");
    assert!(add < 2.8, "{figures}");
    assert!(import < 2.8, "{figures}");
    // The event was written, and the imported ones.
    let text = fs::read_to_string(dir.join("events.yaml")).unwrap();
    assert!(text.contains("Benchmark event"));
    let text = fs::read_to_string(imp.join(into)).unwrap();
    assert!(text.contains("im-0009999"));
}
