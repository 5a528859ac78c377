//! Reading one record file, bounded: only a regular file, never more than
//! [`guard::MAX_FILE_BYTES`], and never blocking in `open`.
//!
//! Discovery already skips FIFOs and devices, but a file can be swapped for
//! one between discovery and reading, or between loading and rendering
//! diagnostics (which read the file again). So every read of a record file
//! goes through here: the file is opened non-blocking (a FIFO with no
//! writer would otherwise block `open` forever) and its type and size are
//! checked on the open handle before a byte is read.

use super::guard;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

pub enum ReadError {
    /// Larger than the limit; the size found.
    TooLarge(u64),
    /// Not a regular file (a FIFO, socket or device).
    NotAFile,
    Io(io::Error),
}

/// Reads a record file, refusing one larger than [`guard::MAX_FILE_BYTES`]
/// before reading it (and again after, should it grow meanwhile), and one
/// that is not a regular file.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    let (mut f, len) = open_limited(path)?;
    read_rest(&mut f, len)
}

/// Opens a record file for reading, refusing one that is not a regular
/// file or is larger than [`guard::MAX_FILE_BYTES`]; its size then.
pub fn open_limited(path: &Path) -> Result<(fs::File, u64), ReadError> {
    let f = open_nonblocking(path).map_err(ReadError::Io)?;
    let meta = f.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    let len = meta.len();
    if len > guard::MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(len));
    }
    Ok((f, len))
}

/// The rest of an open record file (`len`: its size, a hint), refused past
/// [`guard::MAX_FILE_BYTES`].
pub fn read_rest(f: &mut fs::File, len: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(len.min(guard::MAX_FILE_BYTES) as usize);
    f.take(guard::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > guard::MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a record file again for rendering (snippets, line numbers): as
/// [`read_limited`], `None` when that refuses it.
pub fn read_again(path: &Path) -> Option<Vec<u8>> {
    read_limited(path).ok()
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    fs::File::open(path)
}
