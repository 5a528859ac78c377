//! Replacing a file atomically, under the record's lock.
//!
//! The new text goes to a hidden temporary file in the same directory
//! (`.NAME.annals-tmp`, skipped by the loader), is synced, and renamed over
//! the original; then the directory is synced. A reader sees the old file
//! or the new one, never a mix, and a crash leaves at most the temporary
//! file, which the next `add` removes (temporary files only exist while
//! their writer holds the lock).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The lock file, in the record directory (hidden, so never loaded).
pub const LOCK_FILE: &str = ".annals.lock";

/// Set to `write` (fail halfway through writing the temporary file),
/// `rename` (fail just before the rename), `abort` (kill the process
/// halfway through writing) or `readback` (damage the file after the
/// rename, so the read-back check fails): how the tests prove that a
/// failure never damages a file.
pub const FAULT_VAR: &str = "ANNALS_FAULT";

/// An exclusive lock on the record, released when dropped.
pub struct Lock {
    _file: File,
}

/// Waits for and takes the record's lock.
///
/// # Errors
///
/// When the lock file cannot be created or locked.
pub fn lock(dir: &Path) -> io::Result<Lock> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))?;
    file.lock()?;
    Ok(Lock { _file: file })
}

/// The injected fault, once per process (restoring the original after it
/// must work).
fn fault() -> Option<String> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static USED: AtomicBool = AtomicBool::new(false);
    let f = std::env::var(FAULT_VAR).ok()?;
    (!USED.swap(true, Ordering::Relaxed)).then_some(f)
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

/// Replaces `path` by `text` atomically. Call under the lock.
///
/// # Errors
///
/// Any I/O failure; the original is then untouched and the temporary file
/// removed.
pub fn replace(path: &Path, text: &str) -> io::Result<()> {
    let tmp = temp_path(path);
    let fault = fault();
    let result = write_temp(&tmp, path, text, fault.as_deref()).and_then(|()| {
        if fault.as_deref() == Some("rename") {
            return Err(io::Error::other("injected failure before the rename"));
        }
        fs::rename(&tmp, path)
    });
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(path);
    if fault.as_deref() == Some("readback") {
        fs::write(path, "events: [damaged\n")?;
    }
    Ok(())
}

fn write_temp(tmp: &Path, original: &Path, text: &str, fault: Option<&str>) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(tmp)?;
    if let Ok(meta) = fs::metadata(original) {
        f.set_permissions(meta.permissions())?;
    }
    let bytes = text.as_bytes();
    if matches!(fault, Some("write" | "abort")) {
        f.write_all(&bytes[..bytes.len() / 2])?;
        f.sync_all()?;
        if fault == Some("abort") {
            std::process::abort();
        }
        return Err(io::Error::other(
            "injected failure halfway through the write",
        ));
    }
    f.write_all(bytes)?;
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
