//! Loading a large file without holding its text (issue 11: memory on
//! one large file).
//!
//! A file read whole is held beside the items made of it: for a 41 MB file
//! of 100,000 events, 41 MB of text and 66 MB of items. From
//! [`STREAM_FROM`] bytes on, the loader reads the file twice, a block at a
//! time, instead:
//!
//! ```text
//! (cache on: blocks -> cache key -> hit: decoded, never parsed)
//! scan:  blocks -> key, UTF-8, nesting scan, odd integers (convert::OddInts)
//!        -> not UTF-8 / too deep: the same diagnostic as a whole read
//! parse: blocks -> (nesting scan again, key again) -> libyaml reads them as it asks
//!        -> each item of a top-level list converted with its own bytes, then dropped
//! ```
//!
//! The result is exactly what the whole text gives (`super::parse_into`).
//! Where that needs the whole text, the parse gives up and the file is read
//! whole after all: a syntax error or a second document (their
//! diagnostics quote lines of the file), an unknown field (a split flow
//! value is searched for in every line), a place at the top level of the
//! file (pointed at by the text), or bytes that changed between the two
//! passes (the scan's findings would not be theirs). A clean file, and
//! one whose problems lie inside items, is never held whole.

use super::convert::{self, FileItems, OddInts};
use super::guard::{self, DepthScan};
use super::read::{self, ReadError};
use super::{FileResult, bytes_into, convert_items, place, read_failed};
use crate::cache::{Key, RecordCache};
use crate::codes::Code;
use crate::diag::{Diagnostic, Place};
use crate::yaml;
use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

/// Files from this size on are read a block at a time. Below it the text
/// is small beside what the rest of the load holds, and a whole text lets
/// the reader borrow scalars from it rather than copy each.
pub const STREAM_FROM: u64 = 2 * 1024 * 1024;

/// Bytes read at a time at most (by the scan; the parse reads what the
/// reader asks for, a few kilobytes). The unit tests read a few bytes at a
/// time, so that every kind of place is cut between reads.
const BLOCK: usize = if cfg!(test) { 7 } else { 256 * 1024 };

/// Loads a file of at least [`STREAM_FROM`] bytes, opened (`f`, of `len`
/// bytes) at `path` as file number `file`, through `cache` when given:
/// the same result as reading it whole (`super::load_into`).
pub(super) fn load(
    mut f: File,
    len: u64,
    path: &Path,
    file: u32,
    cache: Option<&RecordCache>,
) -> FileResult {
    let mut diagnostics = Vec::new();
    let Some(c) = cache else {
        let scanned = match scan(&mut f, len, Scan::new(true)) {
            Ok(s) => s,
            Err(e) => return read_failed(e, file, diagnostics),
        };
        let mut io_failed = false;
        let items = items_of(&mut f, &scanned, file, &mut diagnostics, &mut io_failed).0;
        return FileResult {
            items,
            diagnostics,
            io_failed,
        };
    };
    // The key alone first: a hit needs nothing else of the bytes.
    let key = match scan(&mut f, len, Scan::new(false)) {
        Ok(s) => s.key,
        Err(e) => return read_failed(e, file, diagnostics),
    };
    let mut io_failed = false;
    let miss = |d: &mut Vec<Diagnostic>| {
        let scanned = f
            .seek(SeekFrom::Start(0))
            .map_err(ReadError::Io)
            .and_then(|_| scan(&mut f, len, Scan::new(true)));
        match scanned {
            // Bytes that changed since they were keyed are not cached.
            Ok(s) => {
                let (items, keyed) = items_of(&mut f, &s, file, d, &mut io_failed);
                (items, keyed && s.key == key)
            }
            Err(e) => {
                let r = read_failed(e, file, std::mem::take(d));
                *d = r.diagnostics;
                io_failed = r.io_failed;
                (FileItems::default(), false)
            }
        }
    };
    let items = c.parse_keyed(key, file, &mut diagnostics, miss, |d| {
        super::load_uncached(path, file, d)
    });
    FileResult {
        items,
        diagnostics,
        io_failed,
    }
}

/// What the scan found in a file's bytes.
struct Scanned {
    key: u128,
    len: u64,
    /// Where the bytes stop being UTF-8, where nesting first passes the
    /// limit.
    not_utf8: Option<usize>,
    too_deep: Option<usize>,
    odd_ints: Vec<(i128, String)>,
}

/// A pass over a file's bytes, a block at a time: the key and length
/// always, the checks when asked for.
struct Scan {
    key: Key,
    len: u64,
    depth: Option<DepthScan>,
    utf8: Option<Utf8Scan>,
    odd: Option<OddInts>,
}

impl Scan {
    /// A scan with every check (`all`), or the key and length alone.
    fn new(all: bool) -> Self {
        Scan {
            key: Key::new(),
            len: 0,
            depth: all.then(DepthScan::default),
            utf8: all.then(Utf8Scan::default),
            odd: all.then(OddInts::default),
        }
    }

    /// The parse's own pass: the key, and the nesting scan that guards
    /// the reader.
    fn guard() -> Self {
        Scan {
            depth: Some(DepthScan::default()),
            ..Scan::new(false)
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.key.update(bytes);
        self.len += bytes.len() as u64;
        if let Some(d) = &mut self.depth {
            d.feed(bytes);
        }
        if let Some(u) = &mut self.utf8 {
            u.feed(bytes);
        }
        if let Some(o) = &mut self.odd {
            o.feed(bytes);
        }
    }

    fn too_deep(&self) -> bool {
        self.depth.as_ref().is_some_and(DepthScan::failed)
    }

    fn finish(self) -> Scanned {
        Scanned {
            key: self.key.finish(),
            len: self.len,
            not_utf8: self.utf8.and_then(|mut u| u.finish()),
            too_deep: self.depth.and_then(|mut d| d.finish()),
            odd_ints: self.odd.map(OddInts::finish).unwrap_or_default(),
        }
    }
}

/// A pass over the whole file from where it is (at most the size limit).
fn scan(f: &mut File, len: u64, mut s: Scan) -> Result<Scanned, ReadError> {
    let mut block = vec![0u8; BLOCK.min(len as usize + 1).max(1)];
    loop {
        let room = (guard::MAX_FILE_BYTES + 1 - s.len).min(block.len() as u64) as usize;
        let n = read_some(f, &mut block[..room]).map_err(ReadError::Io)?;
        if n == 0 {
            return Ok(s.finish());
        }
        s.feed(&block[..n]);
        if s.len > guard::MAX_FILE_BYTES {
            return Err(ReadError::TooLarge(s.len));
        }
    }
}

fn read_some(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match f.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            r => return r,
        }
    }
}

/// The file's items from the scan's findings and a second read: as
/// `super::bytes_into` gives them for the same bytes. The flag is false
/// when they are not the bytes the scan keyed (the file changed between
/// the passes, so it was read whole again), and then not to be cached.
fn items_of(
    f: &mut File,
    scanned: &Scanned,
    file: u32,
    diagnostics: &mut Vec<Diagnostic>,
    io_failed: &mut bool,
) -> (FileItems, bool) {
    if let Some(at) = scanned.not_utf8 {
        diagnostics.push(super::not_utf8(at, file));
        return (FileItems::default(), true);
    }
    if let Some(at) = scanned.too_deep {
        diagnostics.push(super::too_deep(at, file));
        return (FileItems::default(), true);
    }
    let first = diagnostics.len();
    if let Some(items) = parse(f, scanned, file, diagnostics) {
        return (items, true);
    }
    // The whole text is needed after all (see the module).
    diagnostics.truncate(first);
    let bytes = f
        .seek(SeekFrom::Start(0))
        .map_err(ReadError::Io)
        .and_then(|_| read::read_rest(f, scanned.len));
    match bytes {
        Ok(bytes) => {
            let mut key = Key::new();
            key.update(&bytes);
            let same = key.finish() == scanned.key;
            (bytes_into(&bytes, file, diagnostics), same)
        }
        Err(e) => {
            let r = read_failed(e, file, std::mem::take(diagnostics));
            *diagnostics = r.diagnostics;
            *io_failed = r.io_failed;
            (FileItems::default(), false)
        }
    }
}

/// The second pass: the file parsed as libyaml reads it, each item
/// converted with its own bytes. `None` when the whole text is needed.
fn parse(
    f: &mut File,
    scanned: &Scanned,
    file: u32,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<FileItems> {
    f.seek(SeekFrom::Start(0)).ok()?;
    let again = Rc::new(RefCell::new(Scan::guard()));
    let seen = Rc::clone(&again);
    let read: yaml::Read<'_> = Box::new(move |buf: &mut [u8]| {
        let at_most = buf.len().min(BLOCK);
        let n = read_some(f, &mut buf[..at_most])?;
        let mut s = seen.borrow_mut();
        s.feed(&buf[..n]);
        // Bytes changed since the scan never reach the reader too deep
        // or past the limit (libyaml slows down on deep nesting).
        if s.too_deep() || s.len > scanned.len {
            return Err(io::Error::other("the file changed while read"));
        }
        Ok(n)
    });
    let mut conv = convert::Converter::with_odd_ints(&scanned.odd_ints, file);
    let parsed = convert_items(&mut conv, |sink| {
        yaml::parse_tree_read(read, scanned.len as usize, sink)
    });
    let (doc, mut items, streamed) = parsed.ok()?;
    let again = Rc::try_unwrap(again).ok()?.into_inner().finish();
    if again.key != scanned.key || again.len != scanned.len {
        return None;
    }
    let first = diagnostics.len();
    conv.finish(&doc.root, &mut items, streamed, diagnostics);
    if diagnostics[first..].iter().any(needs_text) {
        return None;
    }
    place(&doc, &mut items, &mut diagnostics[first..]);
    items.events.shrink_to_fit();
    Some(items)
}

/// Whether a diagnostic needs the whole text: an unknown field (a split
/// flow value is searched for in every line, `slips`), or a place still a
/// path, at the top level of the file (the tree of the top level has no
/// text to point with).
fn needs_text(d: &Diagnostic) -> bool {
    d.code == Code::UnknownField
        || std::iter::once(&d.locus)
            .chain(d.notes.iter().map(|n| &n.locus))
            .any(|l| matches!(l.place, Place::Path(_)))
}

/// Where bytes given a block at a time stop being UTF-8: what
/// `str::from_utf8`'s `valid_up_to` gives for them whole.
#[derive(Default)]
struct Utf8Scan {
    /// Bytes found valid; then a character the last block cut.
    valid: usize,
    cut: Vec<u8>,
    bad: Option<usize>,
}

impl Utf8Scan {
    fn feed(&mut self, bytes: &[u8]) {
        if self.bad.is_some() {
            return;
        }
        let mut rest = bytes;
        // The cut character, completed a byte at a time.
        while !self.cut.is_empty() {
            let Some((&b, after)) = rest.split_first() else {
                return;
            };
            rest = after;
            self.cut.push(b);
            match std::str::from_utf8(&self.cut) {
                Ok(_) => {
                    self.valid += self.cut.len();
                    self.cut.clear();
                }
                Err(e) if e.error_len().is_none() => {}
                Err(_) => {
                    self.bad = Some(self.valid);
                    return;
                }
            }
        }
        match std::str::from_utf8(rest) {
            Ok(_) => self.valid += rest.len(),
            Err(e) => {
                let ok = e.valid_up_to();
                if e.error_len().is_none() {
                    self.valid += ok;
                    self.cut.extend_from_slice(&rest[ok..]);
                } else {
                    self.bad = Some(self.valid + ok);
                }
            }
        }
    }

    fn finish(&mut self) -> Option<usize> {
        if self.bad.is_none() && !self.cut.is_empty() {
            self.bad = Some(self.valid);
        }
        self.bad
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_in_blocks_fails_where_the_whole_fails() {
        let texts: [&[u8]; 6] = [
            "aé€𝄞b".as_bytes(),
            b"ab\xe2\x82",
            b"a\xe2\x82x\xe2\x82\xac",
            b"\xff",
            b"ok \xf0\x9d\x84",
            b"\xe2\x82\xac\xc3",
        ];
        for t in texts {
            let whole = std::str::from_utf8(t).err().map(|e| e.valid_up_to());
            for cut in 0..=t.len() {
                for cut2 in cut..=t.len() {
                    let mut s = Utf8Scan::default();
                    s.feed(&t[..cut]);
                    s.feed(&t[cut..cut2]);
                    s.feed(&t[cut2..]);
                    assert_eq!(s.finish(), whole, "{t:?} cut at {cut}, {cut2}");
                }
            }
        }
    }
}
