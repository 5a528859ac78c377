//! The loader: a directory of YAML files -> a [`Record`] plus diagnostics.
//!
//! ```text
//! discover (sorted paths) -> per file, in parallel: read, guard, parse, convert
//!                         -> merge in file order
//! ```
//! Loading never fails on bad data: problems become diagnostics. Only a
//! directory that cannot be read at all is an `Err`.

pub mod convert;
pub mod discover;
pub(crate) mod guard;
pub(crate) mod read;
mod slips;
mod stream;

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus, Place};
use crate::model::{ListKind, Origin, Record};
use crate::par;
use crate::yaml::{self, ParseErrorKind};
use convert::FileItems;
use read::ReadError;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A loaded record and everything found wrong with its files' shape.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub record: Record,
    pub diagnostics: Vec<Diagnostic>,
    /// True when a file or folder could not be read (an I/O failure rather
    /// than a problem in the data).
    pub io_failed: bool,
    /// How many events, actors, sources and kinds the files held, broken
    /// ones included (indexed by `ListKind as usize`).
    pub seen: [usize; 4],
    /// Per file: its index in `record.files` for each `record.broken`
    /// entry, and what it added to `seen` (for [`Loaded::set_file_text`]).
    broken_file: Vec<u32>,
    file_seen: Vec<[usize; 4]>,
}

/// Loads every record file under `dir`.
///
/// # Errors
///
/// Only when `dir` does not exist or cannot be read.
pub fn load_dir(dir: &Path) -> io::Result<Loaded> {
    let found = discover::discover(dir)?;
    let mut loaded = load_through_cache(dir, found.files, &[]);
    // A symlink loop is a problem in the record's tree, not an I/O failure.
    loaded.io_failed |= found.problems.iter().any(|d| d.code == Code::Unreadable);
    loaded.diagnostics.extend(found.problems);
    Ok(loaded)
}

/// Loads every record file under `dir`, taking the text of the files named
/// in `overrides` from memory instead of the disk. An override for a file
/// that does not exist yet adds it, in path order.
///
/// # Errors
///
/// Only when `dir` does not exist or cannot be read.
pub fn load_dir_with(dir: &Path, overrides: &[(PathBuf, &str)]) -> io::Result<Loaded> {
    let mut found = discover::discover(dir)?;
    for (path, _) in overrides {
        if !found.files.contains(path) {
            found.files.push(path.clone());
        }
    }
    found.files.sort();
    let mut loaded = load_through_cache(dir, found.files, overrides);
    loaded.io_failed |= !found.problems.is_empty();
    loaded.diagnostics.extend(found.problems);
    Ok(loaded)
}

/// Loads `files` of the record in `dir` through its parse cache, when one
/// is configured, then lets the cache drop the entries this load did not use.
fn load_through_cache(dir: &Path, files: Vec<PathBuf>, overrides: &[(PathBuf, &str)]) -> Loaded {
    let cache = crate::cache::for_record(dir);
    let loaded = load_files_in(files, overrides, cache.as_ref());
    if let Some(c) = cache {
        c.finish();
    }
    loaded
}

/// Loads the given files, in parallel, into one record in the given order.
pub fn load_files(files: Vec<PathBuf>) -> Loaded {
    load_files_with(files, &[])
}

/// [`load_files`], with the text of the files named in `overrides` taken
/// from memory instead of the disk.
pub fn load_files_with(files: Vec<PathBuf>, overrides: &[(PathBuf, &str)]) -> Loaded {
    load_files_in(files, overrides, None)
}

/// [`load_files_with`], each file read from the disk parsed through
/// `cache` when given (src/cache/).
fn load_files_in(
    files: Vec<PathBuf>,
    overrides: &[(PathBuf, &str)],
    cache: Option<&crate::cache::RecordCache>,
) -> Loaded {
    let text_of = |path: &PathBuf| overrides.iter().find(|(p, _)| p == path).map(|(_, t)| *t);
    let sizes: Vec<u64> = files
        .iter()
        .map(|p| match text_of(p) {
            Some(t) => t.len() as u64,
            None => fs::metadata(p).map_or(0, |m| m.len()),
        })
        .collect();
    if sizes.iter().any(|&s| s >= stream::STREAM_FROM) {
        tune_allocator();
    }
    let mut loaded = Loaded::default();
    let mut merged_bytes = 0u64;
    let total_bytes: u64 = sizes.iter().sum();
    let mut reserved = false;
    // Merge in file order while the workers go on, so that each file's
    // items are moved into the record (and freed) as soon as the files
    // before it are in: all files' items never sit in memory twice.
    par::ordered(
        files.len(),
        |i| match text_of(&files[i]) {
            Some(t) => load_text(t, i as u32),
            None => load_file(&files[i], i as u32, cache),
        },
        |i, r| {
            merged_bytes += sizes[i];
            // A file that holds most of the record is moved in as it is
            // (see `push_file`): no reserve, no copy of its events.
            let most = sizes[i].saturating_mul(2) >= total_bytes;
            if !reserved && !most && !r.items.events.is_empty() && merged_bytes > 0 {
                // Reserve the events for the whole record once, from the
                // first files' events per byte (plus a margin): growing a
                // vector of 100,000 events by doubling would hold two
                // copies at once.
                let seen = (loaded.record.events.len() + r.items.events.len()) as u64;
                let estimate = seen.saturating_mul(total_bytes) / merged_bytes;
                let estimate = estimate + estimate / 16;
                loaded.record.events.reserve_exact(estimate as usize);
                reserved = true;
            }
            loaded.push_file(i as u32, r);
        },
    );
    loaded.record.files = files;
    loaded
}

/// Loads a record of one file, `path`, whose bytes are given rather than
/// read: the same checks and diagnostics as [`load_files`] gives that file,
/// without touching the disk (the size limit aside). For fuzzing and tests.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Loaded {
    let mut diagnostics = Vec::new();
    let items = bytes_into(bytes, 0, &mut diagnostics);
    let mut loaded = Loaded::default();
    loaded.push_file(
        0,
        FileResult {
            items,
            diagnostics,
            io_failed: false,
        },
    );
    loaded.record.files = vec![path.to_path_buf()];
    loaded
}

impl Loaded {
    /// Appends one file's items (they must be the last file's).
    fn push_file(&mut self, file: u32, r: FileResult) {
        self.io_failed |= r.io_failed;
        self.diagnostics.extend(r.diagnostics);
        let items = r.items;
        if self.record.events.capacity() == 0 {
            // Nothing reserved (a one-file record): the file's events are
            // the record's, moved rather than copied, so that they are
            // never held twice.
            self.record.events = items.events;
        } else {
            self.record.events.extend(items.events);
        }
        self.record.actors.extend(items.actors);
        self.record.sources.extend(items.sources);
        self.record.kinds.extend(items.kinds);
        self.record.settings.extend(items.settings);
        self.broken_file
            .extend(std::iter::repeat_n(file, items.broken.len()));
        self.record.broken.extend(items.broken);
        self.record.orphan_refs.extend(items.orphan_refs);
        for (total, n) in self.seen.iter_mut().zip(items.seen) {
            *total += n;
        }
        self.file_seen.push(items.seen);
    }

    /// Drops the events, actors, sources and kinds of the file at `path`
    /// (if it is in the record), ahead of [`Loaded::set_file_text`] giving
    /// it new ones: the caller can then build the new text without the old
    /// items held beside it. Until then the record lacks them.
    pub fn clear_file(&mut self, path: &Path) {
        let Some(k) = self.record.files.iter().position(|p| p == path) else {
            return;
        };
        let (k, record) = (k as u32, &mut self.record);
        splice(&mut record.events, k, &mut Vec::new(), |e| e.origin);
        splice(&mut record.actors, k, &mut Vec::new(), |a| a.origin);
        splice(&mut record.sources, k, &mut Vec::new(), |s| s.origin);
        splice(&mut record.kinds, k, &mut Vec::new(), |d| d.origin);
    }

    /// Replaces what one file holds by what `text` holds, exactly as loading
    /// again with that file's text would, but without reading any other
    /// file: this is how `add` checks a new version of one file against a
    /// large record. A path not in the record is added as its last file.
    ///
    /// Returns the file's index in `record.files`.
    pub fn set_file_text(&mut self, path: &Path, text: &str) -> u32 {
        self.set_file_with(path, |k| load_text(text, k))
    }

    /// [`Loaded::set_file_text`] with the new text read from the file at
    /// `from` (the temporary file of a write not yet renamed): the store
    /// checks a large file's new version without holding its text, since a
    /// large file is read a block at a time. Read without the parse cache.
    pub fn set_file_from(&mut self, path: &Path, from: &Path) -> u32 {
        self.set_file_with(path, |k| load_file(from, k, None))
    }

    /// [`Loaded::set_file_text`] with the file's new result from `load`,
    /// given the file's index.
    fn set_file_with(&mut self, path: &Path, load: impl FnOnce(u32) -> FileResult) -> u32 {
        let Some(k) = self.record.files.iter().position(|p| p == path) else {
            let k = self.record.files.len() as u32;
            self.push_file(k, load(k));
            self.record.files.push(path.to_path_buf());
            return k;
        };
        let k = k as u32;
        // The file's old items go before its new text is read: a large
        // file's items are never held twice.
        self.clear_file(path);
        let mut r = load(k);
        let r_items = &mut r.items;
        splice(&mut self.record.events, k, &mut r_items.events, |e| {
            e.origin
        });
        splice(&mut self.record.actors, k, &mut r_items.actors, |a| {
            a.origin
        });
        splice(&mut self.record.sources, k, &mut r_items.sources, |s| {
            s.origin
        });
        splice(&mut self.record.kinds, k, &mut r_items.kinds, |d| d.origin);
        let mut settings: Vec<_> = r_items.settings.take().into_iter().collect();
        splice(&mut self.record.settings, k, &mut settings, |s| s.origin);
        // Broken ids and orphan references are few: rebuild their lists.
        let mut broken = Vec::new();
        let mut broken_file = Vec::new();
        let old = std::mem::take(&mut self.record.broken);
        let mut inserted = false;
        for (entry, f) in old.into_iter().zip(std::mem::take(&mut self.broken_file)) {
            if f > k && !inserted {
                broken_file.extend(std::iter::repeat_n(k, r_items.broken.len()));
                broken.append(&mut r_items.broken);
                inserted = true;
            }
            if f != k {
                broken.push(entry);
                broken_file.push(f);
            }
        }
        if !inserted {
            broken_file.extend(std::iter::repeat_n(k, r_items.broken.len()));
            broken.append(&mut r_items.broken);
        }
        self.record.broken = broken;
        self.broken_file = broken_file;
        self.record.orphan_refs.retain(|o| o.file != k);
        self.record.orphan_refs.append(&mut r_items.orphan_refs);
        self.diagnostics.retain(|d| d.locus.file != Some(k));
        self.diagnostics.append(&mut r.diagnostics);
        let old_seen = std::mem::replace(&mut self.file_seen[k as usize], r_items.seen);
        for ((total, old), new) in self.seen.iter_mut().zip(old_seen).zip(r_items.seen) {
            *total = *total - old + new;
        }
        k
    }
}

/// Hands memory freed by this process back to the system, where the
/// allocator kept it for reuse. glibc's `free` returns a large block at
/// once but keeps the small ones (an item's texts and lists) in its arenas,
/// and the arenas of the loader's worker threads are not reused by the
/// main thread: a record freed before the files are read again for
/// diagnostics would otherwise still count, beside those files, towards
/// the process's memory (150 MB instead of about 100 MB for `check` of one
/// 41 MB file, warm). Elsewhere a no-op.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it
    // takes the arenas' locks like any malloc call.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Sets glibc's allocator for a process that holds a large file's items
/// and then frees them, once, when a record with a file of
/// [`stream::STREAM_FROM`] bytes or more is loaded, before the load starts
/// its threads (a record of small files keeps glibc's defaults, and its
/// loader's threads their own arenas):
/// - one arena for every thread: memory a loader's worker freed is reused
///   by the main thread and the validation's threads, rather than kept in
///   the worker's arena beside what they allocate anew;
/// - freed memory at the top of the heap is handed back from 1 MiB on,
///   whatever was freed before: by default a large block freed (a file's
///   text) raises that threshold to 64 MiB, so a record's worth of freed
///   items stayed counted while the next file's text was read.
///
/// Together they took `add` on one 41 MB file from 140 to 113 MB of
/// resident memory. Elsewhere a no-op.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: mallopt only sets the allocator's parameters; it takes
        // the main arena's lock like any malloc call.
        ONCE.call_once(|| unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
        });
    }
}

/// Replaces the items of file `k` in `list` (kept in file order) by `new`.
fn splice<T>(list: &mut Vec<T>, k: u32, new: &mut Vec<T>, origin: impl Fn(&T) -> Origin) {
    let start = list.partition_point(|x| origin(x).file < k);
    let end = list.partition_point(|x| origin(x).file <= k);
    if start == 0 && end == list.len() {
        // The file holds the whole list (a one-file record): the list's
        // buffer is freed, or the new items moved in whole, never a large
        // buffer kept empty beside the new one, nor copied into it.
        *list = std::mem::take(new);
        return;
    }
    list.splice(start..end, new.drain(..));
}

struct FileResult {
    items: FileItems,
    diagnostics: Vec<Diagnostic>,
    io_failed: bool,
}

/// Checks and converts one file's text, as if read from the disk as file
/// number `file`.
/// An editor's unsaved buffer (`annals lsp`) comes here too, so the size
/// limit is checked on the text as it is on a file.
fn load_text(text: &str, file: u32) -> FileResult {
    let mut diagnostics = Vec::new();
    if text.len() as u64 > guard::MAX_FILE_BYTES {
        diagnostics.push(too_large(text.len() as u64, file));
        return FileResult {
            items: FileItems::default(),
            diagnostics,
            io_failed: false,
        };
    }
    let items = parse_into(text, file, &mut diagnostics);
    FileResult {
        items,
        diagnostics,
        io_failed: false,
    }
}

fn load_file(path: &Path, file: u32, cache: Option<&crate::cache::RecordCache>) -> FileResult {
    let (mut f, len) = match read::open_limited(path) {
        Ok(opened) => opened,
        Err(e) => return read_failed(e, file, Vec::new()),
    };
    // A large file is read a block at a time, never held whole.
    if len >= stream::STREAM_FROM {
        return stream::load(f, len, path, file, cache);
    }
    let bytes = match read::read_rest(&mut f, len) {
        Ok(b) => b,
        Err(e) => return read_failed(e, file, Vec::new()),
    };
    drop(f);
    let mut diagnostics = Vec::new();
    // The cache sits after the bounded read, before the parse.
    let items = match cache {
        Some(c) => c.parse(
            bytes,
            file,
            &mut diagnostics,
            |b, d| bytes_into(b, file, d),
            |d| load_uncached(path, file, d),
        ),
        None => bytes_into(&bytes, file, &mut diagnostics),
    };
    FileResult {
        items,
        diagnostics,
        io_failed: false,
    }
}

/// The file loaded again without the cache (its entry was damaged), its
/// diagnostics after `diagnostics`.
fn load_uncached(path: &Path, file: u32, diagnostics: &mut Vec<Diagnostic>) -> FileItems {
    let r = load_file(path, file, None);
    diagnostics.extend(r.diagnostics);
    r.items
}

/// What a file that could not be read gives: its diagnostic after
/// `diagnostics`, and whether it was an I/O failure.
fn read_failed(e: ReadError, file: u32, mut diagnostics: Vec<Diagnostic>) -> FileResult {
    let io_failed = matches!(e, ReadError::Io(_));
    diagnostics.push(match e {
        ReadError::TooLarge(n) => too_large(n, file),
        ReadError::NotAFile => Diagnostic::new(
            Code::NotAFile,
            "the file is not read: it is not a regular file (a FIFO, socket or device)",
            Locus::file(file),
        )
        .with_help("record files are regular files; move it out of the record"),
        ReadError::Io(e) => Diagnostic::new(
            Code::Unreadable,
            format!("cannot read the file: {e}"),
            Locus::file(file),
        ),
    });
    FileResult {
        items: FileItems::default(),
        diagnostics,
        io_failed,
    }
}

fn too_large(n: u64, file: u32) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        format!(
            "the file is {} MiB; record files are limited to {} MiB",
            n / (1024 * 1024),
            guard::MAX_FILE_BYTES / (1024 * 1024)
        ),
        Locus::file(file),
    )
    .with_help("split the record into several files")
}

/// Checks and converts one file's bytes: UTF-8, then [`parse_into`].
fn bytes_into(bytes: &[u8], file: u32, diagnostics: &mut Vec<Diagnostic>) -> FileItems {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_into(text, file, diagnostics),
        Err(e) => {
            diagnostics.push(not_utf8(e.valid_up_to(), file));
            FileItems::default()
        }
    }
}

fn not_utf8(at: usize, file: u32) -> Diagnostic {
    Diagnostic::new(
        Code::NotUtf8,
        "the file is not valid UTF-8".to_string(),
        Locus {
            file: Some(file),
            place: Place::Offset(at),
        },
    )
    .with_help("save the file as UTF-8")
}

fn too_deep(at: usize, file: u32) -> Diagnostic {
    Diagnostic::new(
        Code::TooDeep,
        format!(
            "the YAML is nested more than {} levels deep",
            guard::MAX_DEPTH
        ),
        Locus {
            file: Some(file),
            place: Place::Offset(at),
        },
    )
    .with_help(TOO_DEEP_HELP)
}

/// Guards, parses and converts one file's text.
fn parse_into(text: &str, file: u32, diagnostics: &mut Vec<Diagnostic>) -> FileItems {
    if let Some(at) = guard::too_deep(text) {
        diagnostics.push(too_deep(at, file));
        return FileItems::default();
    }
    // Each item of a top-level list is converted as soon as it is read and
    // its tree dropped: a large file is never held as a whole tree.
    let mut conv = convert::Converter::new(text, file);
    let parsed = convert_items(&mut conv, |sink| yaml::parse_tree_streaming(text, sink));
    let (doc, mut items, streamed) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let (code, help) = match e.kind {
                ParseErrorKind::Syntax => (Code::YamlSyntax, None),
                ParseErrorKind::MultipleDocuments => (
                    Code::MultipleDocuments,
                    Some(
                        "a record file holds one YAML document: remove the `---` separators or split the file",
                    ),
                ),
                ParseErrorKind::Limit => (
                    Code::YamlLimit,
                    Some(
                        "aliases expand past the reader's limit (a \"billion laughs\" file?); write the values out",
                    ),
                ),
                ParseErrorKind::TooDeep => (Code::TooDeep, Some(TOO_DEEP_HELP)),
            };
            let at = |p: Option<usize>| Locus {
                file: Some(file),
                place: p.map_or(Place::File, Place::Offset),
            };
            let mut d = Diagnostic::new(code, e.message, at(e.at));
            if let Some(h) = help {
                d = d.with_help(h);
            }
            if let Some((context, place)) = e.context {
                d = match place {
                    None => {
                        d.message = format!("{}, {context}", d.message);
                        d
                    }
                    p => d.with_note(format!("{context} that starts here"), at(p)),
                };
            }
            if code == Code::YamlSyntax {
                slips::explain_syntax(text, &mut d);
            }
            diagnostics.push(d);
            return FileItems::default();
        }
    };
    let first = diagnostics.len();
    conv.finish(&doc.root, &mut items, streamed, diagnostics);
    slips::explain_split_values(text, &mut diagnostics[first..]);
    place(&doc, &mut items, &mut diagnostics[first..]);
    // What slack growing left (an eighth at most, `convert::push`) is given
    // back: the events are held for the whole run.
    items.events.shrink_to_fit();
    items
}

/// Runs the reader (`parse`, given the sink for the items it hands over)
/// and converts each item of a top-level list as it comes, placing it and
/// its diagnostics on its own tree: the file's tree with those lists
/// empty, their items, and what converting them found besides.
#[allow(clippy::type_complexity)]
fn convert_items<'a>(
    conv: &mut convert::Converter<'_>,
    parse: impl FnOnce(
        &mut dyn FnMut(yaml::StreamedItem<'_, 'a>),
    ) -> Result<yaml::Tree<'a>, yaml::ParseError>,
) -> Result<(yaml::Tree<'a>, FileItems, [convert::ItemsOut; 4]), yaml::ParseError> {
    let mut items = FileItems::default();
    let mut streamed: [convert::ItemsOut; 4] = Default::default();
    let mut sink = |item: yaml::StreamedItem<'_, 'a>| {
        let Some(list) = list_of(item.key, item.before) else {
            return;
        };
        let out = &mut streamed[list as usize];
        let first = out.diagnostics.len();
        let kept = conv.item(list, item.index, &item.tree.root, &mut items, out);
        place_item(&item.tree, list, kept, &mut items, out, first);
    };
    let doc = parse(&mut sink)?;
    Ok((doc, items, streamed))
}

/// The list a streamed item is in: its entry's key names a list, and no
/// entry before it has that key (a repeated key is reported, not read).
fn list_of(key: &yaml::Node<'_>, before: &[(yaml::Node<'_>, yaml::Node<'_>)]) -> Option<ListKind> {
    let name = key.key_text();
    let list = ListKind::ALL.into_iter().find(|l| l.key() == name)?;
    let first = !before.iter().any(|(k, _)| k.key_text() == name);
    first.then_some(list)
}

/// Gives a streamed item, and what converting it found, their places on
/// the item's own tree: its span when it was kept, and the spans of the
/// paths its diagnostics (from `first` on) and orphan references name,
/// whose first two segments (`events[3]`) are the item.
fn place_item(
    tree: &yaml::Tree<'_>,
    list: ListKind,
    kept: bool,
    items: &mut FileItems,
    out: &mut convert::ItemsOut,
    first: usize,
) {
    let span = tree.cursor().span();
    if kept {
        let origin = match list {
            ListKind::Events => items.events.last_mut().map(|e| &mut e.origin),
            ListKind::Actors => items.actors.last_mut().map(|a| &mut a.origin),
            ListKind::Sources => items.sources.last_mut().map(|s| &mut s.origin),
            ListKind::Kinds => items.kinds.last_mut().map(|k| &mut k.origin),
        };
        if let Some(o) = origin {
            o.span = span;
        }
    }
    for o in &mut out.orphan_refs {
        if o.path.item.is_none() {
            o.path.item = Some((span, 2));
        }
    }
    for d in &mut out.diagnostics[first..] {
        let loci = std::iter::once(&mut d.locus).chain(d.notes.iter_mut().map(|n| &mut n.locus));
        for locus in loci {
            if let Place::Path(p) = &locus.place {
                let inner = yaml::YamlPath {
                    segs: p.segs.iter().skip(2).cloned().collect(),
                    target: p.target,
                    item: None,
                };
                let at = tree.locate(&inner);
                locus.place = Place::Span(yaml::Span::new(at.offset, at.offset + at.len));
            }
        }
    }
}

/// Gives the file's items and diagnostics their places on `tree`, the parse
/// that read them: each item its span, each path a diagnostic names the
/// bytes it points at.
fn place(tree: &yaml::Tree<'_>, items: &mut FileItems, diagnostics: &mut [Diagnostic]) {
    let spans: [Vec<yaml::Span>; 4] = ListKind::ALL.map(|l| {
        if items.seen[l as usize] == 0 {
            Vec::new()
        } else {
            tree.item_spans(l.key())
        }
    });
    let span_of = |list: ListKind, o: &mut Origin| {
        if let Some(s) = spans[list as usize].get(o.index as usize) {
            o.span = *s;
        }
    };
    items
        .events
        .iter_mut()
        .for_each(|e| span_of(ListKind::Events, &mut e.origin));
    items
        .actors
        .iter_mut()
        .for_each(|a| span_of(ListKind::Actors, &mut a.origin));
    items
        .sources
        .iter_mut()
        .for_each(|s| span_of(ListKind::Sources, &mut s.origin));
    items
        .kinds
        .iter_mut()
        .for_each(|k| span_of(ListKind::Kinds, &mut k.origin));
    if let Some(s) = &mut items.settings {
        if let Some(span) = tree.node_span(&yaml::YamlPath::root().key("settings")) {
            s.origin.span = span;
        }
    }
    // An orphan reference is reported by validation, after this tree is
    // gone: its path keeps its item's span.
    for o in items
        .orphan_refs
        .iter_mut()
        .filter(|o| o.path.item.is_none())
    {
        if let [yaml::Seg::Key { name, .. }, yaml::Seg::Index(i), ..] = o.path.segs.as_slice() {
            let list = ListKind::ALL.into_iter().find(|l| l.key() == name);
            o.path.item = list.and_then(|l| spans[l as usize].get(*i).map(|s| (*s, 2)));
        }
    }
    for d in diagnostics {
        let loci = std::iter::once(&mut d.locus).chain(d.notes.iter_mut().map(|n| &mut n.locus));
        for locus in loci {
            if let Place::Path(p) = &locus.place {
                let at = tree.locate(p);
                locus.place = Place::Span(yaml::Span::new(at.offset, at.offset + at.len));
            }
        }
    }
}

const TOO_DEEP_HELP: &str =
    "record files need about six levels; this looks like a damaged or hostile file";

#[cfg(test)]
mod tests {
    use super::*;

    /// The file read the way the loader read it before streaming: the
    /// whole tree, converted at once, placed on that tree.
    fn whole_tree(text: &str) -> (FileItems, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let Ok(doc) = yaml::parse_tree(text) else {
            return (FileItems::default(), diagnostics);
        };
        let mut items = convert::convert(&doc.root, text, 0, &mut diagnostics);
        slips::explain_split_values(text, &mut diagnostics);
        place(&doc, &mut items, &mut diagnostics);
        (items, diagnostics)
    }

    fn same_as_whole_tree(text: &str) {
        let mut diagnostics = Vec::new();
        let streamed = parse_into(text, 0, &mut diagnostics);
        same_read_in_blocks(text, &streamed, &diagnostics);
        if yaml::parse_tree(text).is_err() {
            return;
        }
        let (items, whole) = whole_tree(text);
        assert_eq!(format!("{streamed:?}"), format!("{items:?}"), "{text}");
        assert_eq!(format!("{diagnostics:?}"), format!("{whole:?}"), "{text}");
    }

    /// A large file's load (`stream`, which the unit tests read a few
    /// bytes at a time) gives what the whole text gives, through the cache
    /// too (a miss, then a hit).
    fn same_read_in_blocks(text: &str, items: &FileItems, diagnostics: &[Diagnostic]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.yaml");
        fs::write(&path, text).unwrap();
        let open = || {
            let f = fs::File::open(&path).unwrap();
            (f, text.len() as u64)
        };
        let want = (format!("{items:?}"), format!("{diagnostics:?}"));
        let (f, len) = open();
        let r = stream::load(f, len, &path, 0, None);
        assert_eq!(
            (format!("{:?}", r.items), format!("{:?}", r.diagnostics)),
            want,
            "{text}"
        );
        let cache = crate::cache::RecordCache::in_folder(dir.path().join("cache"));
        for _ in 0..2 {
            let (f, len) = open();
            let r = stream::load(f, len, &path, 0, Some(&cache));
            let got = (format!("{:?}", r.items), format!("{:?}", r.diagnostics));
            assert_eq!(got, want, "cached: {text}");
        }
    }

    #[test]
    fn streaming_gives_what_the_whole_tree_gives() {
        let mut files = vec![std::path::PathBuf::from("tests/fixtures")];
        let mut seen = 0;
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            } else if p.extension().is_some_and(|e| e == "yaml") {
                if let Ok(text) = fs::read_to_string(&p) {
                    same_as_whole_tree(&text);
                    seen += 1;
                }
            }
        }
        assert!(seen > 20);
    }

    /// Mutated fixtures (bytes cut, lines repeated, YAML's own characters
    /// put in), deterministically: the streamed load still gives exactly
    /// what the whole tree gives, for files that parse and files that do not.
    #[test]
    fn streaming_agrees_on_mutated_files() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let pieces = [
            "&a ",
            "*a",
            "- ",
            ": ",
            "\n  - ",
            "{",
            "[",
            "events:\n",
            "<<: *a\n",
            "#",
        ];
        let mut texts = Vec::new();
        for dir in ["tests/fixtures/valid", "tests/fixtures/invalid"] {
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                if let Ok(t) = fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
        assert!(!texts.is_empty());
        for round in 0..1500 {
            let mut t = texts[round % texts.len()].clone().into_bytes();
            for _ in 0..1 + next(3) {
                let at = next(t.len() + 1);
                match next(3) {
                    0 => {
                        let end = (at + next(12)).min(t.len());
                        t.drain(at..end);
                    }
                    1 => {
                        let p = pieces[next(pieces.len())];
                        t.splice(at..at, p.bytes());
                    }
                    _ => {
                        let line: Vec<u8> = t[at..]
                            .split(|&b| b == b'\n')
                            .next()
                            .unwrap_or(&[])
                            .to_vec();
                        t.splice(at..at, line.into_iter().chain([b'\n']));
                    }
                }
            }
            if let Ok(text) = std::str::from_utf8(&t) {
                same_as_whole_tree(text);
            }
        }
    }

    #[test]
    fn streaming_keeps_repeated_anchored_and_aliased_lists() {
        for text in [
            // A repeated list: the second is reported, not read.
            "events:\n  - id: a\n    date: 2024\n    kind: statement\n    title: A\nevents:\n  - id: b\n",
            // A list with an anchor is kept whole; an alias copies it.
            "actors: &x\n  - id: a\n    name: A\n    type: person\n    bogus: 1\nevents: *x\n",
            // An anchor inside an item, an alias in a later one.
            "actors:\n  - &p {id: a, name: A, type: person}\n  - *p\n  - id: b\n    name: B\n    type: person\n    bogus: 2\n",
            // Items that are not mappings, a null item, an unknown key first.
            "zzz: 1\nkinds:\n  - 5\n  -\n  - [x]\n  - id: k\n    label: K\n    color: nope\n",
            "events: 5\nactors: []\nsources:\n",
            "- a\n- b\n",
        ] {
            same_as_whole_tree(text);
        }
    }
}
