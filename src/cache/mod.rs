//! The parse cache: each record file's loader result, kept on disk by the
//! hash of the file's bytes, so that a file whose bytes have not changed is
//! not parsed again.
//!
//! ```text
//! read (load::read, bounded) -> hash the bytes -> entry found and whole? -> decode
//!                                              -> otherwise parse, then write the entry
//! ```
//! What is kept is exactly what parsing one file gives the rest of the
//! loader: its items (with their spans), its own diagnostics (their places
//! already resolved to spans), the counts of items seen. Validation across
//! files is not cached: it runs on every load.
//!
//! Invariants:
//! - **Output never depends on the cache.** An entry holds the result of
//!   the same pure function of the file's bytes that a miss computes; the
//!   file's index in the record, the only thing that depends on anything
//!   else, is set on the way out ([`set_file`]).
//! - **A bad entry is never used.** The key covers the bytes, the annals
//!   version and [`SCHEMA`]; the entry's header repeats the key and carries
//!   the payload's length and checksum (`entry.rs`). An entry whose header
//!   does not hold is a miss; one whose payload fails its checksum (known
//!   once it is read through) or does not decode is removed, and the file
//!   loaded without the cache.
//! - **Writes are atomic** (temporary file + rename) and entries are named
//!   by their key, so concurrent processes write identical bytes to the
//!   same name and never see each other's partial files.
//! - **Nothing is written into the record's directory**, and the cache
//!   never fails a command: any I/O error means "parse it".
//!
//! Where: `$ANNALS_CACHE_DIR` / `--cache-dir`, else `$XDG_CACHE_HOME/annals`,
//! else `~/.cache/annals`; inside it one folder per record, named by the
//! hash of the record directory's canonical path.

mod entry;

use crate::diag::Diagnostic;
use crate::load::convert::FileItems;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// The version of the cached data's shape. Bump it when anything an entry
/// holds changes form (a model field, a diagnostic field); the annals
/// version is in the key as well, so a release always starts afresh.
pub const SCHEMA: u32 = 3;

static ROOT: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Turns the cache on under `root` (or off with `None`) for this process.
/// The library leaves it off unless told: only the command line, which
/// knows the user's wishes, turns it on. Later calls are ignored.
pub fn configure(root: Option<PathBuf>) {
    let _ = ROOT.set(root);
}

/// The user's cache folder for annals: `$XDG_CACHE_HOME/annals`, else
/// `$HOME/.cache/annals` (relative XDG paths are ignored, as the XDG
/// specification asks).
pub fn default_root() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .map(|h| h.join(".cache"))
    })?;
    Some(base.join("annals"))
}

/// The folder of one record's entries under `root`.
pub fn record_folder(root: &Path, record_dir: &Path) -> Option<PathBuf> {
    let canonical = fs::canonicalize(record_dir).ok()?;
    let root_abs = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Never write into the record: a cache folder inside it is not used.
    if root_abs.starts_with(&canonical) {
        return None;
    }
    let name = xxh3_64(canonical.as_os_str().as_encoded_bytes());
    Some(root.join(format!("{name:016x}")))
}

/// The cache of one record's files, when the cache is on.
pub fn for_record(record_dir: &Path) -> Option<RecordCache> {
    let root = ROOT.get()?.as_ref()?;
    Some(RecordCache {
        folder: record_folder(root, record_dir)?,
        used: Mutex::new(HashSet::new()),
        wrote: Mutex::new(false),
    })
}

/// One record's entries, for one load.
pub struct RecordCache {
    folder: PathBuf,
    /// The entries this load used or wrote: the rest are stale.
    used: Mutex<HashSet<u128>>,
    wrote: Mutex<bool>,
}

/// The first frame of a payload: the file's items but its events, its
/// diagnostics, and how many events the frames after it hold.
#[derive(Serialize)]
struct HeadRef<'a> {
    items: &'a FileItems,
    diagnostics: &'a [Diagnostic],
    events: u64,
}

#[derive(Deserialize)]
struct Head {
    items: FileItems,
    diagnostics: Vec<Diagnostic>,
    events: u64,
}

/// Events per frame of a payload. bitcode encodes and decodes a value
/// through buffers of its own, about three times the encoded size: one
/// frame of a whole 100,000-event file took 80 MB beside its items, the
/// peak of a cold `check` on one 41 MB file. Frames of 4,096 events keep
/// those buffers to a few megabytes, and let the decoded events go into a
/// vector of exactly their number.
const EVENTS_PER_FRAME: usize = 4096;

impl RecordCache {
    /// The result of `parse` for a file with these `bytes`, from the cache
    /// when an entry is there and whole; otherwise parsed, and the entry
    /// written. `parse` pushes the file's diagnostics after those already
    /// in `diagnostics`.
    ///
    /// The bytes are taken, not borrowed, so that they are freed as soon as
    /// they are no longer needed: on a hit before the entry is decoded, on
    /// a miss before it is encoded. The entry is written a frame at a time
    /// and, when large, read a frame at a time (`entry::write_with`,
    /// `entry::read_with`): a 41 MB file's items (70 MB) are held with one
    /// frame of its 31 MB entry. An entry whose payload fails its checksum or does not
    /// decode is removed and the file loaded without the cache by
    /// `fallback`, which reads it again.
    pub fn parse(
        &self,
        bytes: Vec<u8>,
        file: u32,
        diagnostics: &mut Vec<Diagnostic>,
        parse: impl FnOnce(&[u8], &mut Vec<Diagnostic>) -> FileItems,
        fallback: impl FnOnce(&mut Vec<Diagnostic>) -> FileItems,
    ) -> FileItems {
        let mut key = Key::new();
        key.update(&bytes);
        let parse = move |d: &mut Vec<Diagnostic>| (parse(&bytes, d), true);
        self.parse_keyed(key.finish(), file, diagnostics, parse, fallback)
    }

    /// [`RecordCache::parse`] for a file whose key is known ([`Key`] fed its
    /// bytes) and whose bytes are not held (`load::stream` reads a large
    /// file a block at a time). `parse` tells besides the items whether
    /// they are those of the bytes keyed (a file that changed since is
    /// not cached); it is dropped unused on a hit, before the decoding.
    pub(crate) fn parse_keyed<P>(
        &self,
        key: u128,
        file: u32,
        diagnostics: &mut Vec<Diagnostic>,
        parse: P,
        fallback: impl FnOnce(&mut Vec<Diagnostic>) -> FileItems,
    ) -> FileItems
    where
        P: FnOnce(&mut Vec<Diagnostic>) -> (FileItems, bool),
    {
        lock(&self.used).insert(key);
        let path = self.entry_path(key);
        // `parse` (and the bytes it may hold) goes once an entry is found,
        // before its payload is decoded.
        let mut parse = Some(parse);
        let found = entry::read_with(&path, key, |payload| {
            drop(parse.take());
            match payload {
                entry::Payload::Whole(p) => decode(&mut SliceFrames(p)),
                entry::Payload::Read(r, len) => decode(&mut ReadFrames {
                    r,
                    left: len,
                    buf: Vec::new(),
                }),
            }
        });
        let parse = match (found, parse) {
            (entry::Found::Decoded((mut items, mut diags)), _) => {
                set_file(&mut items, &mut diags, file);
                diagnostics.append(&mut diags);
                return items;
            }
            (entry::Found::Missing, Some(parse)) => parse,
            // Damaged, or not decodable by this version.
            _ => {
                let _ = fs::remove_file(&path);
                return fallback(diagnostics);
            }
        };
        let first = diagnostics.len();
        let (mut items, keyed) = parse(diagnostics);
        if !keyed {
            return items;
        }
        let written = fs::create_dir_all(&self.folder).and_then(|()| {
            entry::write_with(&path, key, |w| encode(w, &mut items, &diagnostics[first..]))
        });
        if written.is_ok() {
            *lock(&self.wrote) = true;
        }
        items
    }

    /// Ends the load: when it wrote entries, removes those it did not use
    /// (older versions of the files), so the cache stays about one
    /// record's size. Another process's entry removed here is only a miss
    /// for it later.
    pub fn finish(self) {
        if !*lock(&self.wrote) {
            return;
        }
        let used = lock(&self.used);
        let Ok(list) = fs::read_dir(&self.folder) else {
            return;
        };
        let now = SystemTime::now();
        for e in list.flatten() {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let stale = if let Some(hex) = name.strip_suffix(".bin") {
                u128::from_str_radix(hex, 16).map_or(true, |k| !used.contains(&k))
            } else {
                // A temporary file left by a process that was killed;
                // a live writer's is seconds old.
                name.ends_with(".tmp")
                    && e.metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_TMP)
            };
            if stale {
                let _ = fs::remove_file(e.path());
            }
        }
    }

    /// A cache whose entries are in `folder`, for tests.
    #[cfg(test)]
    pub(crate) fn in_folder(folder: PathBuf) -> Self {
        RecordCache {
            folder,
            used: Mutex::new(HashSet::new()),
            wrote: Mutex::new(false),
        }
    }

    fn entry_path(&self, key: u128) -> PathBuf {
        self.folder.join(format!("{key:032x}.bin"))
    }
}

const STALE_TMP: Duration = Duration::from_secs(3600);

/// The entry key of a file: its bytes, the annals version and [`SCHEMA`],
/// the bytes fed as they come (all at once, or a block at a time).
pub(crate) struct Key(Xxh3);

impl Key {
    pub fn new() -> Self {
        Key(Xxh3::new())
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(mut self) -> u128 {
        self.0.update(env!("CARGO_PKG_VERSION").as_bytes());
        self.0.update(&SCHEMA.to_le_bytes());
        self.0.digest128()
    }
}

/// Writes a payload: frames, each its length (u64, little-endian) and its
/// bitcode bytes; the first a [`HeadRef`], then the events,
/// [`EVENTS_PER_FRAME`] to a frame, each frame written as it is made.
/// `items` is given back as it came.
fn encode(
    w: &mut dyn std::io::Write,
    items: &mut FileItems,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let mut frame = |bytes: Result<Vec<u8>, bitcode::Error>| {
        let bytes = bytes.map_err(std::io::Error::other)?;
        w.write_all(&(bytes.len() as u64).to_le_bytes())?;
        w.write_all(&bytes)
    };
    // The events are taken out for the head, so that it does not hold them.
    let events = std::mem::take(&mut items.events);
    let head = bitcode::serialize(&HeadRef {
        items,
        diagnostics,
        events: events.len() as u64,
    });
    let written = frame(head).and_then(|()| {
        events
            .chunks(EVENTS_PER_FRAME)
            .try_for_each(|c| frame(bitcode::serialize(c)))
    });
    items.events = events;
    written
}

/// A payload's frames, one at a time ([`encode`]).
trait Frames {
    /// The next frame's bytes; `None` when there is none whole.
    fn next(&mut self) -> Option<&[u8]>;
    /// The payload's bytes not yet read.
    fn left(&self) -> u64;
    /// Whether the payload ended with the last frame.
    fn done(&self) -> bool {
        self.left() == 0
    }
}

/// The frames of a payload held whole.
struct SliceFrames<'a>(&'a [u8]);

impl Frames for SliceFrames<'_> {
    fn next(&mut self) -> Option<&[u8]> {
        let (len, after) = self.0.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        let (frame, after) = after.split_at_checked(len)?;
        self.0 = after;
        Some(frame)
    }

    fn left(&self) -> u64 {
        self.0.len() as u64
    }
}

/// The frames of a payload of `left` more bytes, read from `r` one at a
/// time into `buf`.
struct ReadFrames<'a> {
    r: &'a mut dyn std::io::Read,
    left: u64,
    buf: Vec<u8>,
}

impl Frames for ReadFrames<'_> {
    fn next(&mut self) -> Option<&[u8]> {
        let mut n = [0u8; 8];
        self.r.read_exact(&mut n).ok()?;
        let n = u64::from_le_bytes(n);
        // A frame holds no more than the payload has left.
        self.left = self.left.checked_sub(8)?.checked_sub(n)?;
        // Resized, not cleared: only bytes past the last frame's are
        // zeroed before the read.
        self.buf.resize(usize::try_from(n).ok()?, 0);
        self.r.read_exact(&mut self.buf).ok()?;
        Some(&self.buf)
    }

    fn left(&self) -> u64 {
        self.left
    }
}

/// The items and diagnostics a payload holds ([`encode`]); `None` when it
/// does not decode whole.
fn decode(frames: &mut dyn Frames) -> Option<(FileItems, Vec<Diagnostic>)> {
    let head: Head = bitcode::deserialize(frames.next()?).ok()?;
    let mut items = head.items;
    let count = usize::try_from(head.events).ok()?;
    // Reserved for no more events than the payload could hold (a frame's
    // event takes a byte at least), whatever the count says.
    items.events = Vec::with_capacity(count.min(usize::try_from(frames.left()).ok()?));
    while items.events.len() < count {
        let mut chunk: Vec<crate::model::Event> = bitcode::deserialize(frames.next()?).ok()?;
        items.events.append(&mut chunk);
    }
    (items.events.len() == count && frames.done()).then_some((items, head.diagnostics))
}

/// Gives a file's items and diagnostics the file's index in this load.
fn set_file(items: &mut FileItems, diagnostics: &mut [Diagnostic], file: u32) {
    items.events.iter_mut().for_each(|x| x.origin.file = file);
    items.actors.iter_mut().for_each(|x| x.origin.file = file);
    items.sources.iter_mut().for_each(|x| x.origin.file = file);
    items.kinds.iter_mut().for_each(|x| x.origin.file = file);
    if let Some(s) = &mut items.settings {
        s.origin.file = file;
    }
    items.orphan_refs.iter_mut().for_each(|o| o.file = file);
    for d in diagnostics {
        let loci = std::iter::once(&mut d.locus).chain(d.notes.iter_mut().map(|n| &mut n.locus));
        for l in loci {
            if l.file.is_some() {
                l.file = Some(file);
            }
        }
    }
}

/// Removes the entries of the record at `record_dir` under `root` (or of
/// every record when `record_dir` is `None`). Only what the cache writes
/// is removed (record folders, `.bin` entries, temporary files), so a
/// mistaken `--cache-dir` cannot cost anything else. Returns how many
/// entries were removed.
pub fn clean(root: &Path, record_dir: Option<&Path>) -> std::io::Result<usize> {
    let folders = match record_dir {
        Some(d) => record_folder(root, d).into_iter().collect(),
        None => match fs::read_dir(root) {
            Ok(list) => list
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(is_folder_name)
                })
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        },
    };
    let mut removed = 0;
    for folder in folders {
        let list = match fs::read_dir(&folder) {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for e in list.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".bin") || name.ends_with(".tmp") {
                fs::remove_file(e.path())?;
                removed += usize::from(name.ends_with(".bin"));
            }
        }
        // Left in place if anything else is in it.
        let _ = fs::remove_dir(&folder);
    }
    Ok(removed)
}

/// Whether `name` is a record folder's: 16 hexadecimal digits.
fn is_folder_name(name: &str) -> bool {
    name.len() == 16 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::{EVENTS_PER_FRAME, ReadFrames, SliceFrames, decode, encode};
    use crate::date::Date;
    use crate::load::convert::FileItems;
    use std::fmt::Write as _;

    /// Events over several frames come back whole and in order, in a
    /// vector of exactly their number; a payload with a frame lost, cut or
    /// added does not decode.
    #[test]
    fn events_in_frames_come_back_whole() {
        let mut text = String::from("events:\n");
        for i in 0..2 * EVENTS_PER_FRAME + 5 {
            writeln!(
                text,
                "  - {{id: e{i}, date: 2024-01-02, kind: statement, title: T{i}, actors: [a], sources: [s]}}"
            )
            .unwrap();
        }
        let loaded = crate::load::load_bytes(std::path::Path::new("f.yaml"), text.as_bytes());
        let events = loaded.record.events;
        assert_eq!(events.len(), 2 * EVENTS_PER_FRAME + 5);
        let mut items = FileItems {
            events: events.clone(),
            ..FileItems::default()
        };
        let mut payload = Vec::new();
        encode(&mut payload, &mut items, &loaded.diagnostics).unwrap();
        assert_eq!(items.events, events, "the items are given back");
        // Whole, and read a frame at a time.
        let whole = |p: &[u8]| decode(&mut SliceFrames(p));
        let read = |p: &[u8]| {
            let mut r = p;
            decode(&mut ReadFrames {
                r: &mut r,
                left: p.len() as u64,
                buf: Vec::new(),
            })
        };
        for decode in [&whole as &dyn Fn(&[u8]) -> _, &read] {
            let (back, diags) = decode(&payload).unwrap();
            assert_eq!(back.events, events);
            assert_eq!(back.events.capacity(), events.len());
            assert_eq!(diags.len(), loaded.diagnostics.len());
            let head = 8 + u64::from_le_bytes(payload[..8].try_into().unwrap()) as usize;
            assert!(decode(&payload[..head]).is_none(), "frames lost");
            assert!(decode(&payload[..payload.len() - 1]).is_none(), "cut");
            let mut longer = payload.clone();
            longer.extend_from_slice(&payload[head..]);
            assert!(decode(&longer).is_none(), "frames added");
        }
    }

    /// An entry keeps a date's every field: its bounds as day numbers
    /// (chrono's own serde form is a text), its precision, its shape.
    #[test]
    fn dates_come_back_whole() {
        let texts = [
            "2024",
            "2024-02-29",
            "-0044-03-15",
            "156X-12-25",
            "2004-06/2006-08",
            "../2024-05",
            "2024-06-?",
            "2001-21",
            "[1667,1668,1670..1672]",
            "Y170000002",
        ];
        let mut seen = 0;
        for text in texts {
            let Ok(d) = Date::parse(text) else { continue };
            seen += 1;
            let bytes = bitcode::serialize(&d).unwrap();
            let back: Date = bitcode::deserialize(&bytes).unwrap();
            assert_eq!(format!("{back:?}"), format!("{d:?}"), "{text}");
        }
        assert!(seen >= 8, "only {seen} dates parsed");
    }
}
