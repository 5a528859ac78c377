//! One cache entry on disk: a fixed header, then the encoded payload.
//!
//! ```text
//! magic "ANNALSC\0" | key u128 | payload length u64 | payload xxh3 u64 | payload
//! ```
//! (little-endian). An entry is used only when all four agree with what
//! the reader expects and finds, so a truncated, corrupt, foreign or
//! half-written entry is never used ([`Found`]); entries are written to a
//! temporary name and renamed into place, so a reader sees a whole entry
//! or none. The payload is read and written a block at a time: the
//! checksum is known once it is read through, and written last.

use std::fs;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use xxhash_rust::xxh3::{Xxh3Default, xxh3_64};

const MAGIC: &[u8; 8] = b"ANNALSC\0";
const HEADER: usize = 8 + 16 + 8 + 8;
/// Larger entries are not read: a record file is at most 256 MiB and its
/// entry is smaller than its text.
const MAX_ENTRY: u64 = 1 << 30;

/// What reading an entry gave ([`read_with`]).
pub enum Found<T> {
    /// No entry for the key (none, another key, a header that does not
    /// hold): a miss.
    Missing,
    /// The payload, decoded, and its checksum held.
    Decoded(T),
    /// An entry whose header holds but whose payload does not: damaged, or
    /// from an encoding this version does not read.
    Bad,
}

/// A payload as [`read_with`] gives it: whole, or to be read.
pub enum Payload<'a> {
    Whole(&'a [u8]),
    /// A large one, a block at a time, with its length.
    Read(&'a mut dyn Read, u64),
}

/// Payloads up to this size are read whole, in one read and checked
/// before they are decoded; larger ones (a large file's) a block at a time.
const WHOLE_UP_TO: u64 = 2 * 1024 * 1024;

/// The entry at `path`, when it is written for `key`, its payload given to
/// `decode`: a large one as it is read, a block at a time, never held
/// whole (a warm load would otherwise hold 30 MB of payload beside the
/// items made of it). `decode` must take the whole payload; what it made is
/// dropped when the checksum, known at the end, does not hold.
pub fn read_with<T>(
    path: &Path,
    key: u128,
    decode: impl FnOnce(Payload<'_>) -> Option<T>,
) -> Found<T> {
    let Some((mut f, len, sum)) = open(path, key) else {
        return Found::Missing;
    };
    if len <= WHOLE_UP_TO {
        // One byte more than promised is read, so a file that grew shows.
        let mut payload = Vec::with_capacity(len as usize + 1);
        if (&mut f).take(len + 1).read_to_end(&mut payload).is_err()
            || payload.len() as u64 != len
            || xxh3_64(&payload) != sum
        {
            return Found::Bad;
        }
        return decode(Payload::Whole(&payload)).map_or(Found::Bad, Found::Decoded);
    }
    // One byte more than promised may be read, so a file that grew shows.
    let mut r = Summed {
        inner: BufReader::with_capacity(1 << 16, f.take(len + 1)),
        sum: Xxh3Default::new(),
        n: 0,
    };
    let decoded = decode(Payload::Read(&mut r, len));
    // The rest (all of it when `decode` gave up) is read for the checksum.
    if io::copy(&mut r, &mut io::sink()).is_err() || r.n != len || r.sum.digest() != sum {
        return Found::Bad;
    }
    decoded.map_or(Found::Bad, Found::Decoded)
}

/// The entry file, when its header is written for `key` and its length
/// agrees: the file (at the payload), its length and its checksum.
fn open(path: &Path, key: u128) -> Option<(fs::File, u64, u64)> {
    let mut f = fs::File::open(path).ok()?;
    let meta = f.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_ENTRY || meta.len() < HEADER as u64 {
        return None;
    }
    let mut head = [0u8; HEADER];
    f.read_exact(&mut head).ok()?;
    let field = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().unwrap_or_default());
    let found_key = u128::from_le_bytes(head[8..24].try_into().ok()?);
    let len = field(24);
    if &head[..8] != MAGIC || found_key != key || len != meta.len() - HEADER as u64 {
        return None;
    }
    Some((f, len, field(32)))
}

/// A reader that sums and counts what it gives.
struct Summed<R> {
    inner: R,
    sum: Xxh3Default,
    n: u64,
}

impl<R: Read> Read for Summed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sum.update(&buf[..n]);
        self.n += n as u64;
        Ok(n)
    }
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sum.update(&buf[..n]);
        self.n += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes an entry for `key` at `path`, atomically: a temporary file in the
/// same folder, renamed over `path`. `fill` writes the payload, which goes
/// to the file as it is made (never held whole); the header, which holds
/// its length and checksum, is written last, at the start. Two processes
/// writing the same entry write the same bytes, and either rename leaves
/// a whole entry.
pub fn write_with(
    path: &Path,
    key: u128,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("entry");
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(&[0; HEADER])?;
        let mut w = Summed {
            inner: BufWriter::with_capacity(1 << 16, f),
            sum: Xxh3Default::new(),
            n: 0,
        };
        fill(&mut w)?;
        w.flush()?;
        let (len, sum) = (w.n, w.sum.digest());
        let mut f = w.inner.into_inner().map_err(|e| e.into_error())?;
        let mut head = Vec::with_capacity(HEADER);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&key.to_le_bytes());
        head.extend_from_slice(&len.to_le_bytes());
        head.extend_from_slice(&sum.to_le_bytes());
        f.seek(SeekFrom::Start(0))?;
        f.write_all(&head)?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole payload, when the entry is whole.
    fn read(path: &Path, key: u128) -> Option<Vec<u8>> {
        let all = |p: Payload<'_>| match p {
            Payload::Whole(b) => Some(b.to_vec()),
            Payload::Read(r, _) => {
                let mut v = Vec::new();
                r.read_to_end(&mut v).ok().map(|_| v)
            }
        };
        match read_with(path, key, all) {
            Found::Decoded(v) => Some(v),
            Found::Missing | Found::Bad => None,
        }
    }

    #[test]
    fn damaged_entries_read_as_misses() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("e.bin");
        write_with(&p, 7, |w| w.write_all(b"payload bytes")).unwrap();
        assert_eq!(read(&p, 7).as_deref(), Some(&b"payload bytes"[..]));
        // Another key (another file's bytes, another version).
        assert_eq!(read(&p, 8), None);
        let whole = fs::read(&p).unwrap();
        // Truncated anywhere, header included.
        for n in [0, 5, HEADER - 1, HEADER, whole.len() - 1] {
            fs::write(&p, &whole[..n]).unwrap();
            assert_eq!(read(&p, 7), None, "truncated to {n}");
        }
        // One byte flipped anywhere.
        for i in 0..whole.len() {
            let mut bad = whole.clone();
            bad[i] ^= 0x20;
            fs::write(&p, &bad).unwrap();
            assert_eq!(read(&p, 7), None, "byte {i} flipped");
        }
        // Bytes appended.
        let mut long = whole.clone();
        long.push(0);
        fs::write(&p, &long).unwrap();
        assert_eq!(read(&p, 7), None);
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
