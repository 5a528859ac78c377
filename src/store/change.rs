//! The store's one write path for changes to existing items (`set`,
//! `rename`, `rm`, `fmt`, `edit`): a command computes per-file
//! [`Edit`]s against the files as read, and [`change`] does the rest.
//!
//! ```text
//! lock the record (and every folder of it, in inode order) -> roll a
//! journal left by a killed writer forward or back -> load the record and
//! read its files (remember what each was) -> the command's edits ->
//! applied once, every other byte checked unchanged, each file still parses
//! -> validate the record with the new texts (new errors refuse) -> one
//! file: the atomic write; several: the journal (all or nothing) -> unlock
//! ```
//!
//! A file changed by hand between reading and writing makes it start over
//! (up to [`super::TRIES`] times), as `add` does.

use super::edit::{self, Edit};
use super::journal::{self, JournalError};
use super::write::{self, ReplaceError};
use super::{new_diagnostics_in, read_back};
use crate::diag::Diagnostic;
use crate::load;
use crate::model::Record;
use crate::render::diagnostics::{Resolved, resolve_with};
use std::io;
use std::path::{Path, PathBuf};

/// The edits to one file of the record (its index in `Record::files`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    pub file: u32,
    pub edits: Vec<Edit>,
}

/// One file as changed (or, in a dry run, as it would be).
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub old: String,
    pub new: String,
    /// Sorted, against `old`.
    pub edits: Vec<Edit>,
}

/// What [`change`] did.
#[derive(Debug)]
pub struct Changed<T> {
    pub files: Vec<Written>,
    /// Warnings the change brings (it was made all the same).
    pub warnings: Vec<Resolved>,
    /// What the command's computation returned besides the edits.
    pub extra: T,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum ChangeError {
    /// The command refused (unknown id, a referrer, an unsafe construct):
    /// the message says why. Exit 1.
    Refused(String),
    /// A usage problem (exit 2).
    Usage(String),
    /// The record would have new errors.
    Invalid(Vec<Resolved>),
    Io {
        path: PathBuf,
        error: io::Error,
    },
    /// The files kept changing between reading and writing.
    Changed {
        path: PathBuf,
        tries: usize,
    },
    ReadBack {
        path: PathBuf,
        message: String,
    },
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::Refused(m) | ChangeError::Usage(m) => f.write_str(m),
            ChangeError::Invalid(d) => write!(
                f,
                "the change would give the record {} new problem(s); nothing was written",
                d.len()
            ),
            ChangeError::Io { path, error } => write!(f, "`{}`: {error}", path.display()),
            ChangeError::Changed { path, tries } => write!(
                f,
                "`{}` changed while annals was editing it ({tries} times in a row; edited by hand?); nothing was written: try again",
                path.display()
            ),
            ChangeError::ReadBack { path, message } => write!(
                f,
                "`{}` did not read back as written ({message}); the original was left as it was",
                path.display()
            ),
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ChangeError + use<> {
    let path = path.to_path_buf();
    move |error| ChangeError::Io { path, error }
}

/// The record and the text of each of its files, as read under the lock.
pub struct View<'a> {
    pub record: &'a Record,
    /// `texts[i]` is the text of `record.files[i]` (empty when it is not
    /// UTF-8 or could not be read; such a file cannot be edited).
    pub texts: &'a [String],
}

/// Runs `compute` on the record under the lock and writes its edits; see
/// the module docs.
///
/// # Errors
///
/// See [`ChangeError`]; in every case every file is as it was.
pub fn change<T>(
    dir: &Path,
    dry_run: bool,
    compute: impl FnMut(&View<'_>) -> Result<(Vec<FileEdits>, T), ChangeError>,
) -> Result<Changed<T>, ChangeError> {
    change_creating(dir, dry_run, &[], compute)
}

/// [`change`], where `new` are files the change may create (inside `dir`,
/// in folders that exist): each is in the view as an empty file after the
/// record's files (a file that exists by then is read as any other), and
/// is written only when it gets edits.
///
/// # Errors
///
/// As [`change`].
pub fn change_creating<T>(
    dir: &Path,
    dry_run: bool,
    new: &[PathBuf],
    mut compute: impl FnMut(&View<'_>) -> Result<(Vec<FileEdits>, T), ChangeError>,
) -> Result<Changed<T>, ChangeError> {
    if !dir.is_dir() {
        return Err(ChangeError::Usage(format!(
            "the record directory `{}` does not exist",
            dir.display()
        )));
    }
    if dry_run {
        return attempt(dir, true, new, &mut compute);
    }
    let mut lock = write::lock(dir).map_err(io_err(&dir.join(write::LOCK_FILE)))?;
    journal::recover(dir).map_err(io_err(&dir.join(journal::JOURNAL_FILE)))?;
    lock_folders(&mut lock, dir, new)?;
    for n in 0..super::TRIES {
        match attempt(dir, false, new, &mut compute) {
            Err(ChangeError::Changed { .. }) => {
                std::thread::sleep(std::time::Duration::from_millis(20 << n));
            }
            other => return other,
        }
    }
    Err(ChangeError::Changed {
        path: dir.to_path_buf(),
        tries: super::TRIES,
    })
}

/// Locks every folder of the record, in (device, inode) order so that two
/// writers never wait for each other in a circle.
fn lock_folders(lock: &mut write::Lock, dir: &Path, new: &[PathBuf]) -> Result<(), ChangeError> {
    let found = load::discover::discover(dir).map_err(io_err(dir))?;
    let mut folders: Vec<PathBuf> = found
        .files
        .iter()
        .chain(new)
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    folders.push(dir.to_path_buf());
    let mut keyed: Vec<((u64, u64), PathBuf)> = folders
        .into_iter()
        .filter_map(|f| Some((inode(&f)?, f)))
        .collect();
    keyed.sort();
    keyed.dedup_by(|a, b| a.0 == b.0);
    for (_, f) in keyed {
        lock.folder(&f).map_err(io_err(&f))?;
    }
    Ok(())
}

fn inode(p: &Path) -> Option<(u64, u64)> {
    let m = std::fs::metadata(p).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        Some((0, 0))
    }
}

fn attempt<T>(
    dir: &Path,
    dry_run: bool,
    new: &[PathBuf],
    compute: &mut impl FnMut(&View<'_>) -> Result<(Vec<FileEdits>, T), ChangeError>,
) -> Result<Changed<T>, ChangeError> {
    let mut loaded = load::load_dir(dir).map_err(io_err(dir))?;
    for path in new {
        if !loaded.record.files.contains(path) {
            // Read below as absent: an empty text, remembered as absent,
            // so a file made meanwhile by hand makes the change start over.
            loaded.set_file_text(path, "");
        }
    }
    let mut texts = Vec::with_capacity(loaded.record.files.len());
    let mut seens = Vec::with_capacity(loaded.record.files.len());
    let mut utf8 = Vec::with_capacity(loaded.record.files.len());
    for path in &loaded.record.files {
        let snap = write::read_seen(path).map_err(io_err(path))?;
        let (text, ok) = match snap.bytes.map(String::from_utf8) {
            Some(Ok(t)) => (t, true),
            None if new.contains(path) => (String::new(), true),
            _ => (String::new(), false),
        };
        texts.push(text);
        utf8.push(ok);
        seens.push(snap.seen);
    }
    let (changes, extra) = compute(&View {
        record: &loaded.record,
        texts: &texts,
    })?;
    let (mut written, resolved) = check_edits_in(&mut loaded, &texts, &utf8, changes)?;
    // The edited files' old texts move into what is written: a large
    // file's text is not held twice.
    for (w, k) in &mut written {
        w.old = std::mem::take(&mut texts[*k]);
    }
    let written: Vec<Written> = written.into_iter().map(|(w, _)| w).collect();
    let done = Changed {
        files: written,
        warnings: resolved,
        extra,
    };
    if dry_run || done.files.is_empty() {
        return Ok(done);
    }
    let seen_of = |w: &Written| {
        let k = loaded
            .record
            .files
            .iter()
            .position(|p| *p == w.path)
            .expect("a record file");
        &seens[k]
    };
    if let [w] = done.files.as_slice() {
        write::remove_stale_temp(&w.path).map_err(io_err(&w.path))?;
        return match write::replace(&w.path, &w.new, Some(seen_of(w)), &|tmp| {
            read_back(tmp, &w.new)
        }) {
            Ok(()) => Ok(done),
            Err(ReplaceError::Io(e)) => Err(io_err(&w.path)(e)),
            Err(ReplaceError::Changed) => Err(ChangeError::Changed {
                path: w.path.clone(),
                tries: 1,
            }),
            Err(ReplaceError::Verify(message)) => Err(ChangeError::ReadBack {
                path: w.path.clone(),
                message,
            }),
        };
    }
    let writes: Vec<journal::Write<'_>> = done
        .files
        .iter()
        .map(|w| journal::Write {
            path: &w.path,
            text: &w.new,
            seen: seen_of(w),
        })
        .collect();
    match journal::write_all(dir, &writes, &read_back) {
        Ok(()) => Ok(done),
        Err(JournalError::Io(path, error)) => Err(ChangeError::Io { path, error }),
        Err(JournalError::Changed(path)) => Err(ChangeError::Changed { path, tries: 1 }),
        Err(JournalError::Verify(path, message)) => Err(ChangeError::ReadBack { path, message }),
    }
}

/// The checks every change passes before anything is written, pure so
/// that the language server proves its rename as the command does: the
/// edits applied once to `texts` (the text of each of `loaded`'s files;
/// `utf8[k]` false for one that could not be read as text), every other
/// byte unchanged, each edited file still parses, and the record with the
/// new texts has no error it did not have. Returns the changed files and
/// the warnings the change brings. `loaded` is left holding the new texts
/// (only the edited files are read again, from them).
///
/// # Errors
///
/// [`ChangeError::Refused`] for a file that cannot be edited,
/// [`ChangeError::Invalid`] with the new errors (and warnings).
pub fn check_edits(
    loaded: &mut load::Loaded,
    texts: &[String],
    utf8: &[bool],
    changes: Vec<FileEdits>,
) -> Result<(Vec<Written>, Vec<Resolved>), ChangeError> {
    let (written, resolved) = check_edits_in(loaded, texts, utf8, changes)?;
    let written = written
        .into_iter()
        .map(|(w, k)| Written {
            old: texts[k].clone(),
            ..w
        })
        .collect();
    Ok((written, resolved))
}

/// A changed file and its index in the record's files.
type Indexed = (Written, usize);

/// [`check_edits`], each [`Written`] given with its file's index and
/// without its old text (left to the caller: copied, or moved).
fn check_edits_in(
    loaded: &mut load::Loaded,
    texts: &[String],
    utf8: &[bool],
    mut changes: Vec<FileEdits>,
) -> Result<(Vec<Indexed>, Vec<Resolved>), ChangeError> {
    changes.retain(|c| !c.edits.is_empty());
    changes.sort_by_key(|c| c.file);
    let mut written = Vec::with_capacity(changes.len());
    for c in changes {
        let k = c.file as usize;
        let path = loaded.record.files[k].clone();
        let file_err =
            |m: String| ChangeError::Refused(format!("cannot edit `{}`: {m}", path.display()));
        if !utf8.get(k).copied().unwrap_or(false) {
            return Err(file_err("it is not valid UTF-8".into()));
        }
        let old = &texts[k];
        edit::line_ending(old).map_err(|e| file_err(e.0))?;
        let mut edits = c.edits;
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let new = edit::apply(old, &edits).map_err(|e| file_err(e.0))?;
        if !edit::unchanged_outside(old, &new, &edits) {
            return Err(file_err("the edits do not keep the file's other bytes (an internal error); nothing was written".into()));
        }
        // Item by item: a large file is never held as a whole tree.
        if let Err(e) = crate::yaml::parse_tree_streaming(&new, &mut |_| {}) {
            return Err(file_err(format!(
                "the edited file would not parse ({}), an internal error; nothing was written. Please report this with the file",
                e.message
            )));
        }
        written.push((
            Written {
                path,
                old: String::new(),
                new,
                edits,
            },
            k,
        ));
    }
    let triples: Vec<(&Path, &str)> = written
        .iter()
        .map(|(w, _)| (w.path.as_path(), w.new.as_str()))
        .collect();
    let (new_diags, files) = new_diagnostics_in(loaded, &triples);
    // Places are shown in the texts as given (an editor's unsaved
    // buffers), the changed files in their new text.
    let mut given: Vec<(u32, &str)> = files
        .iter()
        .zip(&written)
        .map(|(f, (w, _))| (*f, w.new.as_str()))
        .collect();
    for (k, text) in texts.iter().enumerate() {
        let k = k as u32;
        if utf8.get(k as usize).copied().unwrap_or(false) && !files.contains(&k) {
            given.push((k, text.as_str()));
        }
    }
    let resolved = resolve_with(&new_diags, &loaded.record.files, &given);
    if new_diags.iter().any(Diagnostic::is_error) {
        return Err(ChangeError::Invalid(resolved));
    }
    Ok((written, resolved))
}

/// The 1-based line in `written.new` where its first edit lands.
pub fn first_line(written: &Written) -> usize {
    let Some(first) = written.edits.first() else {
        return 1;
    };
    // Offsets before the first edit are the same in old and new.
    let mut at = first.range.start;
    // Skip the line breaks an inserted piece starts with.
    at += first.text.len() - first.text.trim_start_matches(['\n', '\r']).len();
    written.new[..at.min(written.new.len())]
        .matches('\n')
        .count()
        + 1
}
