//! All or nothing across files: a change to several files (a `rename`) is
//! written through a small journal, so that a process killed at any moment
//! leaves the old record or, once the next command has run, the new one.
//!
//! ```text
//! under the record's lock:
//!   journal "prepare" (the files and their temporary files) -> each new
//!   text to its temporary file, synced -> every file still as read? ->
//!   journal "commit"   <- the change happens here, atomically (a rename)
//!   -> rename each temporary file over its file -> remove the journal
//! ```
//!
//! [`recover`], run under the lock by every command that writes and by
//! every command when a journal is there: a "prepare" journal is rolled
//! back (its temporary files removed; the files were never touched), a
//! "commit" journal rolled forward (the temporary files that are left are
//! renamed over their files; each was synced before the journal said
//! "commit"). The journal itself is written by the one atomic write, so it
//! is never half there.

use super::write;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// The journal, in the record directory (hidden, so never loaded).
pub const JOURNAL_FILE: &str = ".annals.journal";

/// Set to a number of milliseconds to sleep between the steps of a
/// journaled write: how the kill test lands its kills in every step.
pub const PAUSE_VAR: &str = "ANNALS_JOURNAL_PAUSE_MS";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum State {
    Prepare,
    Commit,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Journal {
    state: State,
    /// Paths relative to the record directory.
    files: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    file: String,
    tmp: String,
}

/// One file of a journaled write: where, the new bytes, and what the file
/// was when read.
pub struct Write<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub seen: &'a write::Seen,
}

/// Why a journaled write wrote nothing.
#[derive(Debug)]
pub enum JournalError {
    Io(PathBuf, io::Error),
    /// A file changed since it was read.
    Changed(PathBuf),
    /// A temporary file did not read back as written.
    Verify(PathBuf, String),
}

fn pause() {
    if let Some(ms) = std::env::var(PAUSE_VAR)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

fn rel(dir: &Path, path: &Path) -> io::Result<String> {
    let r = path.strip_prefix(dir).unwrap_or(path);
    r.to_str()
        .map(str::to_string)
        .ok_or_else(|| io::Error::other(format!("`{}` is not a UTF-8 path", path.display())))
}

fn save(dir: &Path, journal: &Journal) -> io::Result<()> {
    let path = dir.join(JOURNAL_FILE);
    let tmp = dir.join(".annals.journal.tmp");
    let _ = fs::remove_file(&tmp);
    let bytes = serde_json::to_vec(journal).map_err(io::Error::other)?;
    write::write_atomic(&path, &tmp, &mut |f| f.write_all(&bytes), &mut || Ok(()))
}

fn remove(dir: &Path) -> io::Result<()> {
    match fs::remove_file(dir.join(JOURNAL_FILE)) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes every file's new text, all or nothing. Call under the record's
/// lock, after [`recover`].
///
/// # Errors
///
/// See [`JournalError`]; every file is then as it was (a failure after
/// the commit point is rolled forward by the next command).
pub fn write_all(
    dir: &Path,
    writes: &[Write<'_>],
    verify: &dyn Fn(&Path, &str) -> Result<(), String>,
) -> Result<(), JournalError> {
    let io_at = |p: &Path| {
        let p = p.to_path_buf();
        move |e| JournalError::Io(p, e)
    };
    let jpath = dir.join(JOURNAL_FILE);
    let mut journal = Journal {
        state: State::Prepare,
        files: Vec::with_capacity(writes.len()),
    };
    for w in writes {
        journal.files.push(Entry {
            file: rel(dir, w.path).map_err(io_at(w.path))?,
            tmp: rel(dir, &write::temp_path(w.path)).map_err(io_at(w.path))?,
        });
    }
    save(dir, &journal).map_err(io_at(&jpath))?;
    pause();
    let roll_back = |e: JournalError| {
        for w in writes {
            let _ = fs::remove_file(write::temp_path(w.path));
        }
        let _ = remove(dir);
        e
    };
    for w in writes {
        let tmp = write::temp_path(w.path);
        let _ = fs::remove_file(&tmp);
        let made = (|| {
            let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            if let Ok(meta) = fs::metadata(w.path) {
                f.set_permissions(meta.permissions())?;
            }
            f.write_all(w.text.as_bytes())?;
            f.sync_all()
        })();
        made.map_err(io_at(&tmp)).map_err(roll_back)?;
        if let Err(m) = verify(&tmp, w.text) {
            return Err(roll_back(JournalError::Verify(w.path.to_path_buf(), m)));
        }
        pause();
    }
    for w in writes {
        match write::unchanged(w.path, w.seen) {
            Ok(true) => {}
            Ok(false) => return Err(roll_back(JournalError::Changed(w.path.to_path_buf()))),
            Err(e) => return Err(roll_back(JournalError::Io(w.path.to_path_buf(), e))),
        }
    }
    journal.state = State::Commit;
    save(dir, &journal)
        .map_err(io_at(&jpath))
        .map_err(roll_back)?;
    pause();
    roll_forward(dir, &journal).map_err(|e| JournalError::Io(jpath.clone(), e))
}

/// The renames after the commit point, then the journal's removal.
fn roll_forward(dir: &Path, journal: &Journal) -> io::Result<()> {
    for e in &journal.files {
        let tmp = dir.join(&e.tmp);
        match fs::rename(&tmp, dir.join(&e.file)) {
            Ok(()) => {}
            // Renamed before a kill.
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
        if let Some(parent) = dir.join(&e.file).parent()
            && let Ok(d) = File::open(parent)
        {
            let _ = d.sync_all();
        }
        pause();
    }
    remove(dir)
}

/// Finishes or undoes a journaled write a killed process left. Call
/// under the record's lock. Returns whether there was one.
///
/// # Errors
///
/// When the journal cannot be read or acted on; it is then left in place.
pub fn recover(dir: &Path) -> io::Result<bool> {
    let path = dir.join(JOURNAL_FILE);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|e| {
        io::Error::other(format!(
            "`{}` is not a journal annals can read ({e}); it was left in place",
            path.display()
        ))
    })?;
    // Only names inside the record, as `rel` wrote them.
    let inside = |p: &str| {
        Path::new(p)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    if !journal
        .files
        .iter()
        .all(|e| inside(&e.file) && inside(&e.tmp))
    {
        return Err(io::Error::other(format!(
            "`{}` names files outside the record; it was left in place",
            path.display()
        )));
    }
    match journal.state {
        State::Prepare => {
            for e in &journal.files {
                let _ = fs::remove_file(dir.join(&e.tmp));
            }
            remove(dir)?;
        }
        State::Commit => roll_forward(dir, &journal)?,
    }
    Ok(true)
}

/// Whether a journal is waiting in `dir` (a cheap check for every command).
pub fn pending(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(JOURNAL_FILE)).is_ok()
}

/// Takes the record's lock and runs [`recover`] when a journal is waiting:
/// every command does this first, so that it sees the old record or the
/// new one, never a mix.
///
/// # Errors
///
/// As [`recover`], or when the lock cannot be taken.
pub fn recover_pending(dir: &Path) -> io::Result<bool> {
    if !pending(dir) {
        return Ok(false);
    }
    let _lock = write::lock(dir)?;
    recover(dir)
}
