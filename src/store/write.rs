//! Writing files atomically, and the locks and checks around the store's
//! writes.
//!
//! [`write_atomic`] is the one atomic write of annals (the store's and
//! `-o`'s): the new bytes go to a temporary file in the same directory,
//! are synced, and renamed over the original; then the directory is
//! synced. A reader sees the old file or the new one, never a mix.
//!
//! The store's temporary file is `.NAME.annals-tmp` (hidden, so the loader
//! skips it); a crash leaves at most that file, which the next `add`
//! removes (temporary files only exist while their writer holds the lock).
//! Just before its rename, the store checks that the file is still exactly
//! what it read ([`Seen`]), so a hand edit saved meanwhile is not lost.

use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The lock file, in the record directory (hidden, so never loaded).
pub const LOCK_FILE: &str = ".annals.lock";

/// Set to `write` (fail halfway through writing the temporary file),
/// `rename` (fail just before the rename), `abort` (kill the process
/// halfway through writing), `readback` (write damaged bytes, so the
/// read-back check fails) or `handedit` (append a line to the file just
/// before the rename, as an editor saving then would) or `lateappend`
/// (open the file for appending before the rename and write after it, as a
/// shell's `>>` caught across the rename would): how the tests prove that
/// a failure or a race never damages a file. Read only when built with
/// the `fault-injection` feature, which `cargo test` turns on (Cargo.toml);
/// a release binary ignores it.
#[cfg(feature = "fault-injection")]
pub const FAULT_VAR: &str = "ANNALS_FAULT";

/// What the `handedit` fault appends.
pub const HAND_EDIT: &str = "# edited by hand\n";

/// The record's lock, and the lock on the target file's folder; released
/// when dropped.
pub struct Lock {
    _files: Vec<File>,
}

/// Waits for and takes the record's lock, `DIR/.annals.lock`.
///
/// # Errors
///
/// When the lock file cannot be created or locked, or is a symbolic link
/// or not a regular file (a link would make `add` create a file wherever
/// it points).
pub fn lock(dir: &Path) -> io::Result<Lock> {
    let path = dir.join(LOCK_FILE);
    let refuse = |what: &str| {
        io::Error::other(format!(
            "`{}` is {what}; annals will not follow it (remove it)",
            path.display()
        ))
    };
    let not_regular = |m: &fs::Metadata| {
        if m.file_type().is_symlink() {
            Some(refuse("a symbolic link"))
        } else if !m.is_file() {
            Some(refuse("not a regular file"))
        } else {
            None
        }
    };
    if let Some(e) = fs::symlink_metadata(&path)
        .ok()
        .as_ref()
        .and_then(not_regular)
    {
        return Err(e);
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    // A link made between the check and the open: the name no longer
    // names what was opened.
    let now = fs::symlink_metadata(&path)?;
    if let Some(e) = not_regular(&now) {
        return Err(e);
    }
    if !same_file(&now, &file.metadata()?) {
        return Err(refuse("being replaced"));
    }
    file.lock()?;
    Ok(Lock { _files: vec![file] })
}

impl Lock {
    /// Also locks `folder` itself (by its inode, so every spelling of a
    /// path into it, whichever record directory it is named from, takes
    /// the same lock). Call with the record's lock held; the order
    /// (record, then folder inside it) cannot deadlock.
    ///
    /// # Errors
    ///
    /// When the folder cannot be opened or locked.
    pub fn folder(&mut self, folder: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            let f = File::open(folder)?;
            f.lock()?;
            self._files.push(f);
        }
        #[cfg(not(unix))]
        let _ = folder;
        Ok(())
    }
}

/// Whether two metadata are of one file (device and inode; always true
/// where they are not known).
pub fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        true
    }
}

/// The injected fault, once per process (restoring the original after it,
/// or the retry after a hand edit, must work).
#[cfg(feature = "fault-injection")]
fn fault() -> Option<String> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static USED: AtomicBool = AtomicBool::new(false);
    let f = std::env::var(FAULT_VAR).ok()?;
    (!USED.swap(true, Ordering::Relaxed)).then_some(f)
}

/// Without the `fault-injection` feature there is never a fault, and the
/// environment is not read.
#[cfg(not(feature = "fault-injection"))]
fn fault() -> Option<String> {
    None
}

/// The temporary file for `path`.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.annals-tmp"))
}

/// Removes a temporary file a crashed writer left. Call under the lock.
///
/// # Errors
///
/// When it exists and cannot be removed.
pub fn remove_stale_temp(path: &Path) -> io::Result<bool> {
    match fs::remove_file(temp_path(path)) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// What a file was when the store read it: absent, or its size, time,
/// identity and a hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Absent,
    File {
        len: u64,
        modified: Option<SystemTime>,
        ino: u64,
        hash: u64,
    },
}

/// A file as the store read it: its bytes (`None` when it does not
/// exist), what it was, and the file itself, kept open (see
/// [`rescue_appended`]).
pub struct Snapshot {
    pub bytes: Option<Vec<u8>>,
    pub seen: Seen,
    file: Option<File>,
}

/// Reads `path`: exactly the bytes its size said when opened.
///
/// # Errors
///
/// Any I/O failure but "not found".
pub fn read_seen(path: &Path) -> io::Result<Snapshot> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Snapshot {
                bytes: None,
                seen: Seen::Absent,
                file: None,
            });
        }
        Err(e) => return Err(e),
    };
    let meta = f.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    (&mut f).take(meta.len()).read_to_end(&mut bytes)?;
    let seen = seen_of(&meta, hash_blocks(&mut bytes.as_slice())?);
    Ok(Snapshot {
        bytes: Some(bytes),
        seen,
        file: Some(f),
    })
}

/// After the rename: bytes a writer appended to the old file after the
/// last check (it had the old file open across the rename, as a shell's
/// `>>` may) went to the replaced file, not the new one. They are appended
/// to the new file, as their writer meant, and their number returned.
/// What closes the window is the folder lock for annals and this for
/// appenders; an editor that rewrites a file in place at that instant is
/// the one case left.
///
/// # Errors
///
/// Any I/O failure.
pub fn rescue_appended(path: &Path, snapshot: &mut Snapshot) -> io::Result<u64> {
    use std::io::{Seek, SeekFrom};
    let (Some(old), Seen::File { len, .. }) = (snapshot.file.as_mut(), &snapshot.seen) else {
        return Ok(0);
    };
    if old.metadata()?.len() <= *len {
        return Ok(0);
    }
    old.seek(SeekFrom::Start(*len))?;
    let mut tail = Vec::new();
    old.read_to_end(&mut tail)?;
    let mut new = OpenOptions::new().append(true).open(path)?;
    new.write_all(&tail)?;
    new.sync_all()?;
    Ok(tail.len() as u64)
}

fn seen_of(meta: &fs::Metadata, hash: u64) -> Seen {
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let ino = 0;
    Seen::File {
        len: meta.len(),
        modified: meta.modified().ok(),
        ino,
        hash,
    }
}

/// Whether `path` is still what `seen` says: the size, time and inode
/// first (cheap), then the bytes' hash, read in blocks.
///
/// # Errors
///
/// Any I/O failure but "not found".
pub fn unchanged(path: &Path, seen: &Seen) -> io::Result<bool> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(*seen == Seen::Absent),
        Err(e) => return Err(e),
    };
    let Seen::File {
        len, modified, ino, ..
    } = seen
    else {
        return Ok(false);
    };
    let meta = f.metadata()?;
    if seen_of(&meta, 0)
        != (Seen::File {
            len: *len,
            modified: *modified,
            ino: *ino,
            hash: 0,
        })
    {
        return Ok(false);
    }
    Ok(seen_of(&meta, hash_blocks(&mut f)?) == *seen)
}

/// A hash of everything `r` gives, fed in whole 64 KiB blocks so a file
/// and the same bytes in memory hash alike however reads split.
fn hash_blocks(r: &mut dyn Read) -> io::Result<u64> {
    let mut h = std::hash::DefaultHasher::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let mut filled = 0;
        while filled < buf.len() {
            match r.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        h.write(&buf[..filled]);
        if filled < buf.len() {
            return Ok(h.finish());
        }
    }
}

/// Why [`replace`] wrote nothing.
#[derive(Debug)]
pub enum ReplaceError {
    Io(io::Error),
    /// The file changed since it was read (see [`Seen`]).
    Changed,
    /// The new bytes, read back from the temporary file, failed the check.
    Verify(String),
}

/// Replaces `path` by `text` atomically. Call under the lock. Before the
/// rename, the temporary file is given to `verify` (so a bad write is
/// caught while the original is still in place), and then, with `expect`,
/// the file must still be as it was read, else nothing is written
/// ([`ReplaceError::Changed`]). Only a change in the instant between that
/// check and the rename can slip through: an editor does not take annals'
/// lock.
///
/// # Errors
///
/// See [`ReplaceError`]; the original is then untouched and the temporary
/// file removed.
pub fn replace(
    path: &Path,
    text: &str,
    expect: Option<&Seen>,
    verify: &dyn Fn(&Path) -> Result<(), String>,
) -> Result<(), ReplaceError> {
    let staged = stage(path, text)?;
    verify(staged.tmp()).map_err(ReplaceError::Verify)?;
    staged.commit(expect)
}

/// A new version of a file, written to its temporary file and synced but
/// not yet renamed over the file ([`stage`]): [`replace`] in two steps, so
/// that the writer can drop the new text and check the file from the
/// temporary file before it commits. Dropped without [`Staged::commit`],
/// the temporary file is removed and the file is as it was.
pub struct Staged {
    path: PathBuf,
    tmp: PathBuf,
    fault: Option<String>,
    /// The temporary file is still there (removed on drop).
    pending: bool,
}

/// Writes `text` to the temporary file of `path` (see [`Staged`]). Call
/// under the lock.
///
/// # Errors
///
/// Any I/O failure; the temporary file is then removed.
pub fn stage(path: &Path, text: &str) -> Result<Staged, ReplaceError> {
    let fault = fault();
    let bytes = text.as_bytes();
    let tmp = temp_path(path);
    let fill = &mut |f: &mut File| {
        if matches!(fault.as_deref(), Some("write" | "abort")) {
            f.write_all(&bytes[..bytes.len() / 2])?;
            f.sync_all()?;
            if fault.as_deref() == Some("abort") {
                std::process::abort();
            }
            return Err(io::Error::other(
                "injected failure halfway through the write",
            ));
        }
        if fault.as_deref() == Some("readback") {
            return f.write_all(b"events: [damaged\n");
        }
        f.write_all(bytes)
    };
    if let Err(e) = write_temp(path, &tmp, fill) {
        let _ = fs::remove_file(&tmp);
        return Err(ReplaceError::Io(e));
    }
    Ok(Staged {
        path: path.to_path_buf(),
        tmp,
        fault,
        pending: true,
    })
}

impl Staged {
    /// The temporary file, holding the new version.
    pub fn tmp(&self) -> &Path {
        &self.tmp
    }

    /// Renames the new version over the file when, with `expect`, the file
    /// is still as it was read (else [`ReplaceError::Changed`], and nothing
    /// is written).
    ///
    /// # Errors
    ///
    /// See [`ReplaceError`]; the original is then untouched and the
    /// temporary file removed.
    pub fn commit(mut self, expect: Option<&Seen>) -> Result<(), ReplaceError> {
        let (path, tmp) = (self.path.clone(), self.tmp.clone());
        let mut late = None;
        let checked = (|| {
            match self.fault.as_deref() {
                Some("rename") => {
                    return Err(ReplaceError::Io(io::Error::other(
                        "injected failure before the rename",
                    )));
                }
                Some("handedit") => {
                    let mut f = OpenOptions::new().append(true).create(true).open(&path)?;
                    f.write_all(HAND_EDIT.as_bytes())?;
                }
                _ => {}
            }
            if let Some(seen) = expect
                && !unchanged(&path, seen)?
            {
                return Err(ReplaceError::Changed);
            }
            if self.fault.as_deref() == Some("lateappend") {
                late = Some(OpenOptions::new().append(true).open(&path)?);
            }
            fs::rename(&tmp, &path)?;
            Ok(())
        })();
        checked?;
        self.pending = false;
        sync_dir(&path);
        if let Some(mut f) = late {
            f.write_all(HAND_EDIT.as_bytes())?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.pending {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

impl From<io::Error> for ReplaceError {
    fn from(e: io::Error) -> Self {
        ReplaceError::Io(e)
    }
}

/// Writes a regular file atomically: `fill` writes the temporary file
/// `tmp` (made new, with the mode of the file it replaces), which is
/// synced; `before_rename` has the last word; then `tmp` is renamed over
/// `path` and the directory synced. On any failure `tmp` is removed and
/// `path` is as it was.
///
/// # Errors
///
/// Any I/O failure, or `before_rename`'s error.
pub fn write_atomic(
    path: &Path,
    tmp: &Path,
    fill: &mut dyn FnMut(&mut File) -> io::Result<()>,
    before_rename: &mut dyn FnMut() -> io::Result<()>,
) -> io::Result<()> {
    let result = (|| {
        write_temp(path, tmp, fill)?;
        before_rename()?;
        fs::rename(tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(tmp);
        return Err(e);
    }
    sync_dir(path);
    Ok(())
}

/// Makes `tmp` new, with the mode of the regular file at `path` it is to
/// replace, has `fill` write it, and syncs it.
fn write_temp(
    path: &Path,
    tmp: &Path,
    fill: &mut dyn FnMut(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(tmp)?;
    if let Ok(meta) = fs::metadata(path)
        && meta.is_file()
    {
        f.set_permissions(meta.permissions())?;
    }
    fill(&mut f)?;
    f.sync_all()
}

/// Syncs the directory holding `path`, so the rename itself is durable.
/// Best effort: not every platform or file system allows it.
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_hashes_as_its_bytes_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.yaml");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let snap = read_seen(&path).unwrap();
        let seen = snap.seen.clone();
        assert_eq!(snap.bytes.as_deref(), Some(&bytes[..]));
        assert!(unchanged(&path, &seen).unwrap());
        let mut other = bytes.clone();
        other[150_000] ^= 1;
        fs::write(&path, &other).unwrap();
        assert!(!unchanged(&path, &seen).unwrap());
        fs::remove_file(&path).unwrap();
        assert!(!unchanged(&path, &seen).unwrap());
        assert!(unchanged(&path, &Seen::Absent).unwrap());
    }
}
