//! The store: the only code that writes record files.
//!
//! [`add`] appends new events, actors and sources to one file:
//!
//! ```text
//! lock the record, then the file's folder -> load the record and the file
//!      (remember what it was) -> ids -> new file text (edit) -> verify the text
//!      -> load that one file again and validate the whole record
//!      -> refuse on new errors | temporary file -> read back
//!      -> file unchanged since read? (else start over) -> rename -> unlock
//! ```
//!
//! Invariants: the file's old bytes are kept exactly (the new text is the
//! old text with items inserted at one place per item); nothing is written
//! when the new record has an error the old one did not; a failed write
//! leaves the original file as it was; an edit saved by hand while `add`
//! ran is never overwritten (`write::replace`, `write::rescue_appended`).

pub mod add_split;
pub mod bulk;
pub mod change;
pub mod diff;
pub mod draft;
pub mod edit;
pub mod emit;
pub mod fmt;
pub(crate) mod item_edit;
pub mod item_text;
pub mod journal;
pub(crate) mod refs;
pub mod remove;
pub mod rename;
pub mod set;
pub mod write;

use crate::diag::Diagnostic;
use crate::load::{self, Loaded};
use crate::render::diagnostics::{Resolved, resolve_with};
use crate::validate::validate;
use crate::yaml::{self, Node};
use draft::{Draft, Item, Taken};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use write::ReplaceError;

/// What to add, and where.
#[derive(Debug, Clone)]
pub struct Request {
    /// The record directory.
    pub dir: PathBuf,
    /// The file, relative to the record directory (a path that starts with
    /// the directory is accepted too).
    pub file: PathBuf,
    pub drafts: Vec<Draft>,
    /// Check and show, but write nothing.
    pub dry_run: bool,
}

/// What was (or, in a dry run, would be) written.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The file written, as `dir/...`.
    pub path: PathBuf,
    /// Whether the file is new.
    pub created: bool,
    pub items: Vec<Item>,
    /// The text inserted for each item, without its leading and trailing
    /// line breaks, with `\n` line breaks.
    pub written: Vec<String>,
    /// Warnings the addition brings (it was written all the same).
    pub warnings: Vec<Resolved>,
    /// The unified diff of the change (a new file: every line added), for
    /// `--dry-run`.
    pub diff: String,
    /// The line (from 1) each item starts on in the new text, from the
    /// spans of the load that checked it: the file is not read again to
    /// say where the items went.
    pub lines: Vec<Option<u32>>,
}

/// Makes the drafts from the record as read under the lock: `add event`'s
/// flags name actors by name or alias, which only the record resolves, and
/// resolving them here spares a load of the whole record before the one
/// the store makes. An error is the request's ([`AddError::Request`]).
pub type Resolve<'a> = &'a dyn Fn(&crate::model::Record) -> Result<Vec<Draft>, String>;

/// The problems that stopped a write, each with the draft it concerns.
#[derive(Debug)]
pub struct Rejected {
    pub diagnostics: Vec<Resolved>,
    /// `owners[i]` is the index in [`Request::drafts`] of the draft whose
    /// item `diagnostics[i]` is in (by its lines in the new file text) or
    /// is about (by id); `None` for a problem elsewhere in the record.
    pub owners: Vec<Option<usize>>,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum AddError {
    /// The request itself is wrong (a file outside the record, say).
    Request(String),
    /// The file cannot be appended to safely as it is.
    File {
        path: PathBuf,
        message: String,
    },
    /// The record with the new items has errors it did not have before:
    /// the new diagnostics (warnings too), and for each the index of the
    /// draft it is about, where known (see [`Rejected`]).
    Invalid(Rejected),
    Io {
        path: PathBuf,
        error: io::Error,
    },
    /// The file kept changing (a hand edit, say) between reading it and
    /// replacing it, `tries` times in a row; nothing was written.
    Changed {
        path: PathBuf,
        tries: usize,
    },
    /// The new file did not read back as written (read from the temporary
    /// file, before the rename), so the original was left in place;
    /// `restored` is always true (kept for callers that match on it).
    ReadBack {
        path: PathBuf,
        message: String,
        restored: bool,
    },
}

impl std::fmt::Display for AddError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AddError::Request(m) => f.write_str(m),
            AddError::File { path, message } => {
                write!(f, "cannot add to `{}`: {message}", path.display())
            }
            AddError::Invalid(r) => write!(
                f,
                "the new record would have {} problem(s)",
                r.diagnostics.len()
            ),
            AddError::Io { path, error } => write!(f, "`{}`: {error}", path.display()),
            AddError::Changed { path, tries } => write!(
                f,
                "`{}` changed while annals was adding to it ({tries} times in a row; edited by hand?); nothing was written: try again",
                path.display()
            ),
            AddError::ReadBack {
                path,
                message,
                restored: true,
            } => write!(
                f,
                "`{}` did not read back as written ({message}); the original was left as it was",
                path.display()
            ),
            AddError::ReadBack { path, message, .. } => write!(
                f,
                "`{}` did not read back as written ({message}) and the original could not be restored: check the file now",
                path.display()
            ),
        }
    }
}

/// The file path inside `dir` that `file` names.
///
/// # Errors
///
/// When it is not a `.yaml`/`.yml` file inside the directory, or names a
/// hidden file or folder (which the loader would skip).
pub fn target_path(dir: &Path, file: &Path) -> Result<PathBuf, AddError> {
    let bad = |why: &str| AddError::Request(format!("`{}` {why}", file.display()));
    let rel = if let Ok(r) = file.strip_prefix(dir) {
        r.to_path_buf()
    } else if file.is_absolute() {
        let canon = fs::canonicalize(dir).map_err(|e| AddError::Io {
            path: dir.to_path_buf(),
            error: e,
        })?;
        file.strip_prefix(&canon)
            .map_err(|_| bad("is outside the record directory"))?
            .to_path_buf()
    } else {
        file.to_path_buf()
    };
    let mut parts = 0;
    for c in rel.components() {
        match c {
            Component::Normal(name) => {
                if name.to_string_lossy().starts_with('.') {
                    return Err(bad(
                        "is hidden (a name starts with `.`), so it would not be read",
                    ));
                }
                parts += 1;
            }
            Component::CurDir => {}
            _ => return Err(bad("must be a path inside the record directory")),
        }
    }
    let yaml = matches!(
        rel.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if parts == 0 || !yaml {
        return Err(bad("is not a `.yaml` or `.yml` file"));
    }
    // Every step from the record directory down is checked: a folder
    // reached through a link is another spelling of a folder the record may
    // already hold, and would get a lock of its own.
    let mut path = dir.to_path_buf();
    for c in rel.components() {
        let Component::Normal(name) = c else { continue };
        path.push(name);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let what = if path.as_os_str().len() < dir.join(&rel).as_os_str().len() {
                "goes through a folder that is a symbolic link"
            } else {
                "is a symbolic link"
            };
            return Err(bad(&format!(
                "{what} (`{}`); name the real path instead",
                path.display()
            )));
        }
    }
    Ok(path)
}

/// How many times `add` starts over when the file changes under it.
const TRIES: usize = 5;

/// Adds the request's items to its file; see the module docs.
///
/// # Errors
///
/// See [`AddError`]; in every case the file is as it was.
pub fn add(req: &Request) -> Result<Outcome, AddError> {
    add_resolving(req, None)
}

/// [`add`], with the drafts made by `resolve` from the record the store
/// loads (then [`Request::drafts`] is not used).
///
/// # Errors
///
/// As [`add`]; an error of `resolve` is [`AddError::Request`].
pub fn add_resolving(req: &Request, resolve: Option<Resolve<'_>>) -> Result<Outcome, AddError> {
    under_locks(
        &req.dir,
        &req.file,
        req.dry_run,
        |path| attempt(req, resolve, path),
        |_| true,
    )
}

/// Runs `attempt` on the target of `file` in `dir` the way every add does
/// (`add`, and `import` through [`bulk`]): the record's lock, a journal a
/// killed writer left recovered, the folders the file needs made (so that
/// the folder itself can be locked) and removed again unless the try
/// succeeded and `kept` says the file was written, the folder's lock, a
/// stale temporary file removed; then up to [`TRIES`] tries while the file
/// changes under it. A dry run takes no lock and tries once.
pub(crate) fn under_locks<T>(
    dir: &Path,
    file: &Path,
    dry_run: bool,
    mut attempt: impl FnMut(&Path) -> Result<T, AddError>,
    kept: impl Fn(&T) -> bool,
) -> Result<T, AddError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |error| AddError::Io { path, error }
    };
    if !dir.is_dir() {
        return Err(AddError::Request(format!(
            "the record directory `{}` does not exist",
            dir.display()
        )));
    }
    let path = target_path(dir, file)?;
    if dry_run {
        return attempt(&path);
    }
    let mut lock = write::lock(dir).map_err(io_err(&dir.join(write::LOCK_FILE)))?;
    journal::recover(dir).map_err(io_err(&dir.join(journal::JOURNAL_FILE)))?;
    let made = make_folders(dir, &path).map_err(|(p, e)| io_err(&p)(e))?;
    let result = (|| {
        let folder = path.parent().unwrap_or(dir);
        lock.folder(folder).map_err(io_err(folder))?;
        write::remove_stale_temp(&path).map_err(io_err(&path))?;
        for n in 0..TRIES {
            match attempt(&path) {
                // An editor saving: give it a moment before reading again.
                Err(AddError::Changed { .. }) => {
                    std::thread::sleep(std::time::Duration::from_millis(20 << n));
                }
                other => return other,
            }
        }
        Err(AddError::Changed {
            path: path.clone(),
            tries: TRIES,
        })
    })();
    if !result.as_ref().is_ok_and(kept) {
        for folder in made.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
    }
    result
}

/// Makes the folders `path` needs inside `dir`, and returns those it made,
/// outermost first.
fn make_folders(dir: &Path, path: &Path) -> Result<Vec<PathBuf>, (PathBuf, io::Error)> {
    let mut made = Vec::new();
    let Some(parent) = path.parent() else {
        return Ok(made);
    };
    let Ok(rel) = parent.strip_prefix(dir) else {
        return Ok(made);
    };
    let mut at = dir.to_path_buf();
    for c in rel.components() {
        at.push(c);
        match fs::create_dir(&at) {
            Ok(()) => made.push(at.clone()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && at.is_dir() => {}
            Err(e) => {
                for folder in made.iter().rev() {
                    let _ = fs::remove_dir(folder);
                }
                return Err((at, e));
            }
        }
    }
    Ok(made)
}

/// One try at the add, under the locks (none in a dry run): read, edit,
/// check, write. Fails with [`write::Changed`] when the file changed since
/// it was read.
fn attempt(req: &Request, resolve: Option<Resolve<'_>>, path: &Path) -> Result<Outcome, AddError> {
    let dir = &req.dir;
    let path = path.to_path_buf();
    let mut loaded = load_under_lock(dir, &path)?;
    let resolved_drafts;
    let drafts = match resolve {
        Some(f) => {
            resolved_drafts = f(&loaded.record).map_err(AddError::Request)?;
            &resolved_drafts
        }
        None => &req.drafts,
    };
    let items = draft::items(drafts, &mut Taken::of(&loaded.record));
    // What the rest needs of the old record is taken before the target is
    // read: its text and its items are never held together.
    let before = Before::take(&mut loaded, &path);
    let (mut snapshot, old) = read_target(&path)?;
    let file_err = |e: edit::EditError| AddError::File {
        path: path.clone(),
        message: e.0,
    };
    let nl = match &old {
        Some(t) => edit::line_ending(t).map_err(file_err)?,
        None => "\n",
    };
    let header = edit::new_file_header(nl);
    let base = old.as_deref().unwrap_or(&header);
    // The text being built; the first append reads `base` itself, so the
    // old text is never copied but into the new one.
    let mut text = String::new();
    let mut written = Vec::new();
    // Where each item's text is in `text`, as (offset, length).
    let mut placed: Vec<(usize, usize)> = Vec::with_capacity(items.len());
    let normalized = |piece: &str| piece.replace("\r\n", "\n").trim_matches('\n').to_string();
    let mut i = 0;
    while i < items.len() {
        let item = &items[i];
        let current = if i == 0 { base } else { &text };
        let a = edit::append(current, item.list.key(), &item.value).map_err(file_err)?;
        written.push(normalized(&a.text[a.at..a.at + a.len]));
        for p in &mut placed {
            if p.0 >= a.at {
                p.0 += a.len;
            }
        }
        placed.push((a.at, a.len));
        let (at, len) = (a.at, a.len);
        text = a.text;
        i += 1;
        // More items for the same list go right after this one, in one
        // pass over the file rather than one per item (see `edit::Batch`).
        if i < items.len() && items[i].list == item.list {
            let Some(mut batch) = edit::Batch::after(&text, item.list.key(), at, len) else {
                continue;
            };
            let insert_at = at + len;
            let mut pieces = String::new();
            let mut batch_placed = Vec::new();
            while i < items.len() && items[i].list == item.list {
                let Some(piece) = batch.next(&items[i].value).map_err(file_err)? else {
                    break;
                };
                batch_placed.push((insert_at + pieces.len(), piece.len()));
                written.push(normalized(&piece));
                pieces.push_str(&piece);
                i += 1;
            }
            for p in &mut placed {
                if p.0 >= insert_at {
                    p.0 += pieces.len();
                }
            }
            placed.extend(batch_placed);
            text.insert_str(insert_at, &pieces);
        }
    }
    if items.is_empty() {
        text = base.to_owned();
    }
    // The change as data: one insertion per item, in the file as read. The
    // text built must be the file as read with exactly these insertions,
    // compared in place (a copy made by applying them would hold a large
    // file's text three times).
    let edits = edits_of(&text, placed.clone());
    if !edit::fits(base, &edits) || !edit::unchanged_outside(base, &text, &edits) {
        return Err(file_err(edit::EditError(
            "the edits do not keep the file's other bytes (an internal error); nothing was written"
                .into(),
        )));
    }
    verify(old.as_deref(), &text, &items).map_err(|message| AddError::File {
        path: path.clone(),
        message,
    })?;
    // The diff is shown by a dry run only.
    let name = crate::render::diagnostics::display_path(&path);
    let diff = match &old {
        _ if !req.dry_run => String::new(),
        Some(o) => diff::unified(&name, o, &text, &edits),
        None => diff::unified(&name, "", &text, &[edit::Edit::insert(0, text.clone())]),
    };
    let created = old.is_none();
    drop(edits);
    drop(old);
    // What building and verifying the text freed goes back before the
    // new text is read into items.
    load::release_freed_memory();
    // The new text goes to the temporary file now and is read back; the
    // record is then checked with the file read from there, the text
    // dropped meanwhile: a large file's text and the items made of it are
    // never held together (`load::stream` reads a large file a block at a
    // time). The rename waits for the checks. A dry run writes nothing.
    let staged = match req.dry_run {
        true => None,
        false => {
            let staged = stage_read_back(&path, &text)?;
            text = String::new();
            Some(staged)
        }
    };
    let (new_diags, file) = new_diagnostics(&mut loaded, before, |l| match &staged {
        Some(s) => l.set_file_from(&path, s.tmp()),
        None => l.set_file_text(&path, &text),
    });
    // What the report needs of the record is taken, and the record goes
    // before the new text is read again for it.
    let origins = item_origins(&loaded.record, file, &items);
    let files = std::mem::take(&mut loaded.record.files);
    drop(loaded);
    if let Some(s) = &staged {
        load::release_freed_memory();
        text = read_staged(s.tmp())
            .map_err(|message| replace_failed(&path, ReplaceError::Verify(message)))?;
    }
    let resolved = resolve_with(&new_diags, &files, &[(file, &text)]);
    if new_diags.iter().any(Diagnostic::is_error) {
        let owners = owners(&resolved, &path, &text, &items, &placed);
        return Err(AddError::Invalid(Rejected {
            diagnostics: resolved,
            owners,
        }));
    }
    let lines = item_lines(&origins, &text);
    drop(text);
    let outcome = Outcome {
        path: path.clone(),
        created,
        items,
        written,
        warnings: resolved,
        diff,
        lines,
    };
    let Some(staged) = staged else {
        return Ok(outcome);
    };
    // The new bytes were read back before the rename: a file restored
    // after it could undo an edit made meanwhile.
    match staged.commit(Some(&snapshot.seen)) {
        Ok(()) => {
            // Best effort: the items are written; a failure here only
            // means an appender's bytes stay in the replaced file.
            let _ = write::rescue_appended(&path, &mut snapshot);
            Ok(outcome)
        }
        Err(e) => Err(replace_failed(&path, e)),
    }
}

/// Writes `text` to the temporary file of `path` and reads it back
/// (`write::stage`): the write, not yet renamed over the file.
fn stage_read_back(path: &Path, text: &str) -> Result<write::Staged, AddError> {
    let staged = write::stage(path, text).map_err(|e| replace_failed(path, e))?;
    read_back(staged.tmp(), text)
        .map_err(|message| replace_failed(path, ReplaceError::Verify(message)))?;
    Ok(staged)
}

/// Why the atomic write of `path` wrote nothing, as `add`'s error.
fn replace_failed(path: &Path, e: ReplaceError) -> AddError {
    let path = path.to_path_buf();
    match e {
        ReplaceError::Io(error) => AddError::Io { path, error },
        ReplaceError::Changed => AddError::Changed { path, tries: 1 },
        ReplaceError::Verify(message) => AddError::ReadBack {
            path,
            message,
            restored: true,
        },
    }
}

/// The text of a temporary file the store wrote and read back.
fn read_staged(tmp: &Path) -> Result<String, String> {
    let bytes = fs::read(tmp).map_err(|e| format!("cannot read it: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "its bytes differ from those written".into())
}

/// Where each item is in file number `file` of `record` (its new text's
/// load), for [`item_lines`].
fn item_origins(
    record: &crate::model::Record,
    file: u32,
    items: &[Item],
) -> Vec<Option<crate::model::Origin>> {
    use crate::model::{ListKind, Origin};
    fn find<T>(
        list: &[T],
        file: u32,
        id: &str,
        key: impl Fn(&T) -> (&str, Origin),
    ) -> Option<Origin> {
        // Each list is in file order: only this file's items are looked at.
        let start = list.partition_point(|x| key(x).1.file < file);
        list[start..]
            .iter()
            .map(&key)
            .take_while(|(_, o)| o.file == file)
            .find(|(i, _)| *i == id)
            .map(|(_, o)| o)
    }
    items
        .iter()
        .map(|item| {
            let id = item.id.as_str();
            match item.list {
                ListKind::Events => find(&record.events, file, id, |e| (e.id.as_str(), e.origin)),
                ListKind::Actors => find(&record.actors, file, id, |a| (a.id.as_str(), a.origin)),
                ListKind::Sources => find(&record.sources, file, id, |s| (s.id.as_str(), s.origin)),
                ListKind::Kinds => None,
            }
        })
        .collect()
}

/// The line each item starts on in `text`, the file's new text, from
/// where its load put it ([`item_origins`]).
fn item_lines(origins: &[Option<crate::model::Origin>], text: &str) -> Vec<Option<u32>> {
    let index = crate::line_index::LineIndex::new(text);
    origins
        .iter()
        .map(|o| Some(index.line_col(text, o.as_ref()?.span.start()).line))
        .collect()
}

/// The start of every try of `add` and `import` under the locks: the record
/// as the lock holder left it, the target file as read (remembered, to tell
/// before the rename whether it changed since), and its text (`None` for a
/// file not yet made), refused when not UTF-8 or a second link into the
/// record.
pub(crate) fn read_under_lock(
    dir: &Path,
    path: &Path,
) -> Result<(Loaded, write::Snapshot, Option<String>), AddError> {
    let loaded = load_under_lock(dir, path)?;
    let (snapshot, old) = read_target(path)?;
    Ok((loaded, snapshot, old))
}

/// [`read_under_lock`] in two steps, for `add`: the record (refused when
/// it reads `path` under a second name), and, once what is needed from
/// the record is taken ([`Before::take`]), the target ([`read_target`]),
/// so that the target's text and its items are not both held then.
fn load_under_lock(dir: &Path, path: &Path) -> Result<Loaded, AddError> {
    let loaded = load::load_dir(dir).map_err(|error| AddError::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    second_link(&loaded.record.files, path)?;
    Ok(loaded)
}

/// The target as read (remembered, to tell before the rename whether it
/// changed since) and its text (`None` for a file not yet made), refused
/// when not UTF-8.
fn read_target(path: &Path) -> Result<(write::Snapshot, Option<String>), AddError> {
    let mut snapshot = write::read_seen(path).map_err(|error| AddError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let old = match snapshot.bytes.take() {
        Some(b) => Some(String::from_utf8(b).map_err(|_| AddError::File {
            path: path.to_path_buf(),
            message: "it is not valid UTF-8".into(),
        })?),
        None => None,
    };
    Ok((snapshot, old))
}

/// Refuses a target that the record also reads under another name (a
/// hard link, or a symbolic link to it elsewhere in the record): what is
/// added would be read twice.
fn second_link(files: &[PathBuf], path: &Path) -> Result<(), AddError> {
    let Ok(target) = fs::metadata(path) else {
        return Ok(());
    };
    let same: Vec<&PathBuf> = files
        .iter()
        .filter(|f| fs::metadata(f).is_ok_and(|m| write::same_file(&m, &target)))
        .collect();
    if same.len() < 2 {
        return Ok(());
    }
    let others: Vec<String> = same
        .iter()
        .filter(|f| f.as_path() != path)
        .map(|f| format!("`{}`", f.display()))
        .collect();
    Err(AddError::Request(format!(
        "`{}` is also read as {}: the record has more than one link to this file, so what is added would be read twice; add to a file with one name",
        path.display(),
        others.join(", ")
    )))
}

/// The insertions that turn the file as read into `text`, given where each
/// inserted piece is in `text` (offset, length): each piece's offset in
/// the file as read is its offset less the pieces before it.
fn edits_of(text: &str, mut placed: Vec<(usize, usize)>) -> Vec<edit::Edit> {
    placed.sort_unstable();
    let mut before = 0;
    placed
        .into_iter()
        .map(|(at, len)| {
            let e = edit::Edit::insert(at - before, &text[at..at + len]);
            before += len;
            e
        })
        .collect()
}

/// The draft each diagnostic concerns: the item whose lines it points
/// into, else the new item whose id it names.
fn owners(
    diags: &[Resolved],
    path: &Path,
    text: &str,
    items: &[Item],
    placed: &[(usize, usize)],
) -> Vec<Option<usize>> {
    let file = crate::render::diagnostics::display_path(path);
    let line_of = |offset: usize| text[..offset].matches('\n').count() as u32 + 1;
    let lines: Vec<(u32, u32)> = placed
        .iter()
        .map(|&(at, len)| {
            let inner = text[at..at + len].trim_matches(['\r', '\n']);
            let start = at + text[at..at + len].find(inner).unwrap_or(0);
            (line_of(start), line_of(start + inner.len()))
        })
        .collect();
    diags
        .iter()
        .map(|d| {
            let by_line = (d.at.file.as_deref() == Some(file.as_str()))
                .then_some(d.at.line)
                .flatten()
                .and_then(|l| lines.iter().position(|&(a, b)| a <= l && l <= b));
            by_line
                .or_else(|| {
                    let id = d.id.as_deref()?;
                    items.iter().position(|i| i.id == id)
                })
                .map(|i| items[i].draft)
        })
        .collect()
}

/// The record's problems before a change, found by [`Before::take`]
/// before the changed file's items are dropped.
pub(crate) struct Before(Vec<Diagnostic>);

impl Before {
    /// The record's problems as it is, then the items of the file at `path`
    /// dropped (the new text replaces them, `new_diagnostics`): `add` and
    /// `import` then build the file's new text beside its old one without
    /// the old items (a 41 MB file's 70 MB) held as well. Their memory goes
    /// back to the system, to be counted once with the new text's items.
    fn take(loaded: &mut Loaded, path: &Path) -> Before {
        let mut before = loaded.diagnostics.clone();
        before.extend(validate(&loaded.record));
        loaded.clear_file(path);
        load::release_freed_memory();
        Before(before)
    }
}

/// The diagnostics that the record has with the changed file read anew by
/// `read` (`Loaded::set_file_text` from its new text, or
/// `Loaded::set_file_from` from the temporary file holding it) and did
/// not have `before`, and the file's index (see [`new_diagnostics_in`]).
fn new_diagnostics(
    loaded: &mut Loaded,
    before: Before,
    read: impl FnOnce(&mut Loaded) -> u32,
) -> (Vec<Diagnostic>, u32) {
    let file = read(loaded);
    // What reading the file freed is given back before the validation
    // allocates anew.
    load::release_freed_memory();
    (new_since(loaded, before.0), file)
}

/// The diagnostics that the record has with each `(path, new)` file's
/// text replaced by `new` and did not have before, and each file's index.
/// Reads only those files, from the given texts (`Loaded::set_file_text`),
/// never the record again: the old record is validated before the change
/// and the new one after it.
pub(crate) fn new_diagnostics_in(
    loaded: &mut Loaded,
    changes: &[(&Path, &str)],
) -> (Vec<Diagnostic>, Vec<u32>) {
    // The record's problems before the change, found now: once the new
    // texts are in, the old ones would have to be read again.
    let mut before = loaded.diagnostics.clone();
    before.extend(validate(&loaded.record));
    let files: Vec<u32> = changes
        .iter()
        .map(|(path, text)| loaded.set_file_text(path, text))
        .collect();
    (new_since(loaded, before), files)
}

/// The record's problems now that were not in `before`.
fn new_since(loaded: &Loaded, before: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut after = loaded.diagnostics.clone();
    after.extend(validate(&loaded.record));
    if after.is_empty() {
        return after;
    }
    // A problem the record had is the same problem after an edit moved
    // its bytes (a rename before it on its line, an item removed above):
    // it is told by what it says and about which item, not by offsets.
    let key = |d: &Diagnostic| {
        let place = match (&d.locus.place, &d.id) {
            (crate::diag::Place::Path(p), None) => format!("{:?}{:?}", p.segs, p.target),
            _ => String::new(),
        };
        format!(
            "{:?}|{}|{}|{:?}|{:?}|{place}",
            d.severity, d.code, d.message, d.locus.file, d.id
        )
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in &before {
        *seen.entry(key(d)).or_default() += 1;
    }
    after.retain(|d| match seen.get_mut(&key(d)) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    });
    after
}

/// Checks that `new` reads as `old` with the items appended to their lists
/// and nothing else changed, every new value reading back exactly.
///
/// Neither file is held as a whole tree: both are read item by item
/// ([`yaml::parse_tree_streaming`]), the old file's items kept as
/// fingerprints (a 128-bit hash of the item's value) and the new file's
/// as fingerprints too, save the items past the old ones, which are
/// compared with what was added.
fn verify(old: Option<&str>, new: &str, items: &[Item]) -> Result<(), String> {
    let mut added: Vec<(&str, Vec<&Item>)> = Vec::new();
    for item in items {
        let key = item.list.key();
        match added.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(item),
            None => added.push((key, vec![item])),
        }
    }
    let counts: Vec<(&str, usize)> = added.iter().map(|(k, v)| (*k, v.len())).collect();
    verify_with(old, new, &counts, &mut |key, j, node| {
        added
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, mine)| mine.get(j))
            .is_some_and(|item| item.value.matches(node))
    })
}

/// [`verify`], with the items added given as how many went to each list
/// (`counts`, in the order the lists were first added to) and
/// `matches(key, j, node)`, whether `node` reads as the `j`th item added
/// to `key`'s list: a large import keeps no item, only what it needs to
/// tell each one (`bulk`).
fn verify_with(
    old: Option<&str>,
    new: &str,
    counts: &[(&str, usize)],
    matches: &mut dyn FnMut(&str, usize, &Node<'_>) -> bool,
) -> Result<(), String> {
    let fail = |what: &str| {
        Err(format!(
            "the edited file would not read back as intended ({what}); nothing was written. Please report this with the file"
        ))
    };
    let old_shape = match old.map(|t| Shape::read(t, &mut |_, _, _, _| true)) {
        None => Shape::empty(),
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            return Err(format!(
                "the file does not parse ({}); fix it first (see `annals check`)",
                e.message
            ));
        }
    };
    // Expected: old entries with items appended, new keys last.
    let appended_to = |key: &str| counts.iter().find(|(k, _)| *k == key).map(|(_, n)| *n);
    // The new file's items past the old ones are compared with what was
    // added as they are read (whether the keys agree is checked below).
    let mut check = |entry: usize, key: &Node<'_>, i: usize, node: &Node<'_>| {
        let Some(j) = i.checked_sub(old_shape.item_count(entry)) else {
            return true;
        };
        let key = key.key_text();
        appended_to(&key).is_some_and(|n| j < n) && matches(&key, j, node)
    };
    let Ok(new_shape) = Shape::read(new, &mut check) else {
        return fail("it does not parse");
    };
    let old_entries = match &old_shape.root {
        Node::Null => &[][..],
        Node::Map(e) => e.as_slice(),
        _ => return fail("the old top level is not a mapping"),
    };
    let Node::Map(new_entries) = &new_shape.root else {
        return fail("the new top level is not a mapping");
    };
    let new_keys = counts
        .iter()
        .filter(|(k, _)| {
            !old_entries
                .iter()
                .any(|(ok, _)| matches!(ok, Node::Str(s) if s == k))
        })
        .count();
    if new_entries.len() != old_entries.len() + new_keys {
        return fail("the number of top-level keys changed");
    }
    // Entry `i` of the new file holds the old entry's items (`old_prints`),
    // then exactly `mine`.
    let items_match = |i: usize, old_prints: &[u128], mine: usize| {
        let Some(prints) = new_shape.prints(i) else {
            return false;
        };
        prints.len() == old_prints.len() + mine
            && prints[..old_prints.len()] == *old_prints
            && !new_shape.mismatched.contains(&i)
    };
    for (i, (nk, nv)) in new_entries.iter().enumerate() {
        let ok = match old_entries.get(i) {
            Some((ok, ov)) => {
                nk == ok
                    && match (nk, appended_to(&nk.key_text())) {
                        (Node::Str(_), Some(mine)) => match ov {
                            Node::Seq(_) | Node::Null => {
                                let old_prints = old_shape.prints(i).unwrap_or_default();
                                items_match(i, &old_prints, mine)
                            }
                            _ => false,
                        },
                        _ => nv == ov && new_shape.prints(i) == old_shape.prints(i),
                    }
            }
            None => appended_to(&nk.key_text()).is_some_and(|mine| items_match(i, &[], mine)),
        };
        if !ok {
            return fail(&format!("top-level entry {} differs", i + 1));
        }
    }
    Ok(())
}

/// A file read for [`verify`]: its top level with the lists' items taken
/// out, and each item's fingerprint.
struct Shape<'a> {
    root: Node<'a>,
    /// Per top-level entry, the fingerprints of the items streamed out of
    /// its list, in order.
    streamed: HashMap<usize, Vec<u128>>,
    /// The top-level entries with an item the reader's check refused.
    mismatched: std::collections::HashSet<usize>,
}

impl<'a> Shape<'a> {
    /// A file that does not exist yet.
    fn empty() -> Self {
        Shape {
            root: Node::Null,
            streamed: HashMap::new(),
            mismatched: Default::default(),
        }
    }

    /// Reads `text`, asking `check(entry, key, index, item)` of every item
    /// of a top-level list (streamed or not).
    fn read(
        text: &'a str,
        check: &mut dyn FnMut(usize, &Node<'_>, usize, &Node<'_>) -> bool,
    ) -> Result<Self, yaml::ParseError> {
        let mut streamed: HashMap<usize, Vec<u128>> = HashMap::new();
        let mut mismatched = std::collections::HashSet::new();
        let tree = yaml::parse_tree_streaming(text, &mut |item| {
            let entry = item.before.len();
            streamed
                .entry(entry)
                .or_default()
                .push(fingerprint(&item.tree.root));
            if !check(entry, item.key, item.index, &item.tree.root) {
                mismatched.insert(entry);
            }
        })?;
        // Lists the reader kept whole (written with an anchor).
        if let Node::Map(entries) = &tree.root {
            for (entry, (key, value)) in entries.iter().enumerate() {
                let Node::Seq(items) = value else { continue };
                let from = streamed.get(&entry).map_or(0, Vec::len);
                for (i, item) in items.iter().enumerate() {
                    if !check(entry, key, from + i, item) {
                        mismatched.insert(entry);
                    }
                }
            }
        }
        Ok(Shape {
            root: tree.root,
            streamed,
            mismatched,
        })
    }

    /// The value of top-level entry `i`.
    fn value(&self, i: usize) -> Option<&Node<'a>> {
        match &self.root {
            Node::Map(e) => e.get(i).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The fingerprints of the items of entry `i`'s list (streamed, or
    /// still in the tree); `None` when its value is not a list.
    fn prints(&self, i: usize) -> Option<Vec<u128>> {
        match self.value(i)? {
            Node::Seq(items) => {
                let mut out = self.streamed.get(&i).cloned().unwrap_or_default();
                out.extend(items.iter().map(fingerprint));
                Some(out)
            }
            Node::Null => Some(Vec::new()),
            _ => None,
        }
    }

    /// How many items entry `i`'s list holds (0 when it is not a list).
    fn item_count(&self, i: usize) -> usize {
        match self.value(i) {
            Some(Node::Seq(items)) => self.streamed.get(&i).map_or(0, Vec::len) + items.len(),
            _ => 0,
        }
    }
}

/// A 128-bit hash of a value, for telling items apart without keeping
/// them: one walk into xxh3's 128-bit digest (the cache's hash; two
/// SipHash walks cost a tenth of a large `add`).
fn fingerprint(node: &Node<'_>) -> u128 {
    use std::hash::{Hash, Hasher};
    fn walk(node: &Node<'_>, h: &mut impl Hasher) {
        match node {
            Node::Null => 0u8.hash(h),
            Node::Bool(b) => (1u8, b).hash(h),
            Node::Int(i) => (2u8, i).hash(h),
            Node::Float(f) => (3u8, f.to_bits()).hash(h),
            Node::Str(s) => (4u8, s.as_ref()).hash(h),
            Node::Seq(items) => {
                (5u8, items.len()).hash(h);
                items.iter().for_each(|n| walk(n, h));
            }
            Node::Map(entries) => {
                (6u8, entries.len()).hash(h);
                for (k, v) in entries {
                    walk(k, h);
                    walk(v, h);
                }
            }
        }
    }
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    walk(node, &mut h);
    h.digest128()
}

/// Reads the written (temporary) file back: it must be a regular file
/// holding exactly `text`. Compared a block at a time, so that a large
/// file's text is not held twice.
fn read_back(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Read;
    let cannot = |e: io::Error| format!("cannot read it: {e}");
    let mut f = fs::File::open(path).map_err(cannot)?;
    let meta = f.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err("it cannot be loaded: it is not a regular file".into());
    }
    let differ = || Err("its bytes differ from those written".into());
    let mut want = text.as_bytes();
    let mut block = vec![0u8; 1 << 16];
    loop {
        let n = match f.read(&mut block) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(cannot(e)),
        };
        if n == 0 {
            return if want.is_empty() { Ok(()) } else { differ() };
        }
        match want.split_at_checked(n) {
            Some((head, rest)) if head == &block[..n] => want = rest,
            _ => return differ(),
        }
    }
}
