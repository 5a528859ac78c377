//! One cache entry on disk: a fixed header, then the encoded payload.
//!
//! ```text
//! magic "ANNALSC\0" | key u128 | payload length u64 | payload xxh3 u64 | payload
//! ```
//! (little-endian). An entry is used only when all four agree with what
//! the reader expects and finds, so a truncated, corrupt, foreign or
//! half-written entry reads as a miss; entries are written to a temporary
//! name and renamed into place, so a reader sees a whole entry or none.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use xxhash_rust::xxh3::xxh3_64;

const MAGIC: &[u8; 8] = b"ANNALSC\0";
const HEADER: usize = 8 + 16 + 8 + 8;
/// Larger entries are not read: a record file is at most 256 MiB and its
/// entry is smaller than its text.
const MAX_ENTRY: u64 = 1 << 30;

/// The payload of the entry at `path` if it is whole and written for `key`.
/// The header is read apart from the payload, so that the payload lands in
/// a buffer of its own and is never moved (a warm load reads 30 MB of them).
pub fn read(path: &Path, key: u128) -> Option<Vec<u8>> {
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
    // One byte more than promised is read, so a file that grew shows.
    let mut payload = Vec::with_capacity(len as usize + 1);
    f.take(len + 1).read_to_end(&mut payload).ok()?;
    if payload.len() as u64 != len || field(32) != xxh3_64(&payload) {
        return None;
    }
    Some(payload)
}

/// Writes an entry for `key` at `path`, atomically: a temporary file in the
/// same folder, renamed over `path`. Two processes writing the same entry
/// write the same bytes, and either rename leaves a whole entry.
pub fn write(path: &Path, key: u128, payload: &[u8]) -> io::Result<()> {
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
        let mut head = Vec::with_capacity(HEADER);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&key.to_le_bytes());
        head.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        head.extend_from_slice(&xxh3_64(payload).to_le_bytes());
        f.write_all(&head)?;
        f.write_all(payload)?;
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

    #[test]
    fn damaged_entries_read_as_misses() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("e.bin");
        write(&p, 7, b"payload bytes").unwrap();
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
