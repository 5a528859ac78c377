//! [`add`](super::add) for many drafts that are never all held at once
//! (`annals import csv`): each draft comes from a [`Drafts`] source when
//! asked for, becomes its item and its text, and is dropped.
//!
//! The path and its guarantees are `add`'s (lock, re-read, edits checked
//! against every other byte, verify, validate before write, file unchanged
//! since read, atomic write read back); what differs is what is kept:
//!
//! - no item: each piece of text is read back on its own as it is made
//!   (under its list's key) and must give its item's value; what is kept is
//!   that reading's 128-bit fingerprint, which the whole new file's reading
//!   must then give again (`verify_with`). Only an item appended to the
//!   whole text (the first of a list, or where a batch cannot go on) is
//!   kept, to compare as `add` does;
//! - no copy of the inserted text as edits: the bytes outside the inserted
//!   pieces are compared in place;
//! - per item only its place, list, id and the caller's tag, for the
//!   preview and for telling whose a problem is.
//!
//! So the peak is the new file's text and the record loaded with it, as
//! for `check` on the same record.

use super::draft::{self, Draft, Taken};
use super::edit::{self, Batch, EditError};
use super::emit::Value;
use super::write::{self, ReplaceError};
use super::{AddError, Rejected};
use crate::diag::Diagnostic;
use crate::model::ListKind;
use crate::render::diagnostics::{Resolved, display_path, resolve_with};
use crate::yaml::{self, Node};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

/// Where the drafts come from: asked for one at a time, from the start on
/// every try (a try starts over when the file changed under it).
pub trait Drafts {
    /// Goes back to the first draft.
    ///
    /// # Errors
    ///
    /// A message when the drafts cannot be read again.
    fn restart(&mut self) -> Result<(), String>;

    /// The next draft and the caller's tag for it (what
    /// [`Rejected::owners`] gives back), or `None` after the last.
    fn next_draft(&mut self) -> Option<(usize, Draft)>;

    /// After the last draft: whether what was drafted may be written. A
    /// source that met problems of its own says no: the drafts are then
    /// checked against the record, and nothing is written.
    fn writable(&self) -> bool;
}

/// What was (or would be) written.
#[derive(Debug)]
pub struct Outcome {
    /// The file, as `dir/...`.
    pub path: std::path::PathBuf,
    /// Whether the file is new.
    pub created: bool,
    /// Whether it was written: not in a dry run, nor when the source was
    /// not [`Drafts::writable`], nor when there was nothing to add.
    pub written: bool,
    /// The file's new text, for a preview; empty once written (the
    /// store does not hold a large file's text to the end).
    pub text: String,
    /// Each item's list and the range of `text` it was inserted as, in the
    /// order of the drafts.
    pub items: Vec<(ListKind, Range<usize>)>,
    /// Warnings the addition brings.
    pub warnings: Vec<Resolved>,
}

/// Adds every draft `drafts` gives to `file` in `dir`, in one write, as
/// [`super::add`] does. `Rejected::owners` holds the drafts' tags.
///
/// # Errors
///
/// See [`AddError`]; in every case the file is as it was.
pub fn add(
    dir: &Path,
    file: &Path,
    drafts: &mut dyn Drafts,
    dry_run: bool,
) -> Result<Outcome, AddError> {
    super::under_locks(
        dir,
        file,
        dry_run,
        |path| attempt(dir, path, drafts, dry_run),
        |o| o.written,
    )
}

/// What a new item must read back as in the whole new file.
enum Expect {
    /// The fingerprint its piece gave, read on its own.
    Print(u128),
    /// Its value (an item appended to the whole text).
    Value(Value),
}

/// The new text as it is built: items appended one at a time, and a run of
/// items for one list gathered after the first ([`Batch`]) and inserted
/// once.
struct Builder {
    text: String,
    /// Per item: its place in `text` (offset, length), list, id and tag.
    placed: Vec<(usize, usize)>,
    lists: Vec<ListKind>,
    ids: Vec<Box<str>>,
    tags: Vec<usize>,
    /// Per list key, in the order first added to: what each item must be.
    expected: Vec<(&'static str, Vec<Expect>)>,
    run: Option<Run>,
}

/// Items gathered for one list, to go in at one offset.
struct Run {
    list: ListKind,
    batch: Batch,
    at: usize,
    pieces: String,
    /// The pieces' places, as (offset in `pieces`, length).
    placed: Vec<(usize, usize)>,
}

impl Builder {
    fn expect(&mut self, key: &'static str, e: Expect) {
        match self.expected.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(e),
            None => self.expected.push((key, vec![e])),
        }
    }

    fn push(&mut self, item: draft::Item, tag: usize) -> Result<(), EditError> {
        let key = item.list.key();
        self.lists.push(item.list);
        self.ids.push(item.id.into());
        self.tags.push(tag);
        if let Some(run) = self.run.as_mut().filter(|r| r.list == item.list)
            && let Some(piece) = run.batch.next(&item.value)?
        {
            let print = piece_print(key, &piece, &item.value)?;
            run.placed.push((run.pieces.len(), piece.len()));
            run.pieces.push_str(&piece);
            self.expect(key, Expect::Print(print));
            return Ok(());
        }
        self.flush();
        let a = edit::append(&self.text, key, &item.value)?;
        shift(&mut self.placed, a.at, a.len);
        self.placed.push((a.at, a.len));
        self.text = a.text;
        self.run = Batch::after(&self.text, key, a.at, a.len).map(|batch| Run {
            list: item.list,
            batch,
            at: a.at + a.len,
            pieces: String::new(),
            placed: Vec::new(),
        });
        self.expect(key, Expect::Value(item.value));
        Ok(())
    }

    /// Inserts the gathered run.
    fn flush(&mut self) {
        let Some(run) = self.run.take() else { return };
        shift(&mut self.placed, run.at, run.pieces.len());
        self.placed
            .extend(run.placed.iter().map(|&(o, len)| (run.at + o, len)));
        if run.at == self.text.len() {
            self.text.push_str(&run.pieces);
        } else {
            self.text.insert_str(run.at, &run.pieces);
        }
    }
}

/// Moves the places at or after `at` by `len`, for text inserted there.
fn shift(placed: &mut [(usize, usize)], at: usize, len: usize) {
    for p in placed.iter_mut().filter(|p| p.0 >= at) {
        p.0 += len;
    }
}

/// Reads `piece`, an item of `key`'s list as a batch writes it, on its own
/// under the key: it must be one item reading as `value`. Gives that
/// reading's fingerprint, which the whole file must give again.
fn piece_print(key: &str, piece: &str, value: &Value) -> Result<u128, EditError> {
    let stand_in = format!("{key}:\n{piece}");
    let bad = || {
        EditError(
            "an item would not read back as intended (an internal error); nothing was written. Please report this with the file".into(),
        )
    };
    let tree = yaml::parse_tree(&stand_in).map_err(|_| bad())?;
    match &tree.root {
        Node::Map(entries) => match entries.as_slice() {
            [(_, Node::Seq(items))] => match items.as_slice() {
                [node] if value.matches(node) => Ok(super::fingerprint(node)),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        },
        _ => Err(bad()),
    }
}

/// Whether `new` is `base` with pieces inserted at `placed` (offsets in
/// `new`) and every other byte unchanged: `edit::unchanged_outside`, with
/// the pieces compared where they are rather than copied out as edits.
fn unchanged_around(base: &str, new: &str, placed: &[(usize, usize)]) -> bool {
    let mut order: Vec<(usize, usize)> = placed.to_vec();
    order.sort_unstable();
    let (base, new) = (base.as_bytes(), new.as_bytes());
    let (mut b, mut n) = (0, 0);
    for (at, len) in order {
        let Some(kept) = at.checked_sub(n).and_then(|k| base.get(b..b + k)) else {
            return false;
        };
        if new.get(n..at) != Some(kept) {
            return false;
        }
        b += kept.len();
        n = at + len;
    }
    new.get(n..) == base.get(b..)
}

/// One try, under the locks (none in a dry run).
fn attempt(
    dir: &Path,
    path: &Path,
    drafts: &mut dyn Drafts,
    dry_run: bool,
) -> Result<Outcome, AddError> {
    let path = path.to_path_buf();
    let (mut loaded, mut snapshot, old) = super::read_under_lock(dir, &path)?;
    let file_err = |e: EditError| AddError::File {
        path: path.clone(),
        message: e.0,
    };
    let nl = match &old {
        Some(t) => edit::line_ending(t).map_err(file_err)?,
        None => "\n",
    };
    let header = edit::new_file_header(nl);
    let mut b = Builder {
        text: old.clone().unwrap_or_else(|| header.clone()),
        placed: Vec::new(),
        lists: Vec::new(),
        ids: Vec::new(),
        tags: Vec::new(),
        expected: Vec::new(),
        run: None,
    };
    let mut taken = Taken::of(&loaded.record);
    drafts.restart().map_err(AddError::Request)?;
    while let Some((tag, d)) = drafts.next_draft() {
        for item in draft::items(std::slice::from_ref(&d), &mut taken) {
            b.push(item, tag).map_err(file_err)?;
        }
    }
    b.flush();
    drop(taken);
    let before = super::Before::take(&mut loaded, &path);
    let write = !dry_run && drafts.writable() && !b.placed.is_empty();
    let base = old.as_deref().unwrap_or(&header);
    if !unchanged_around(base, &b.text, &b.placed) {
        return Err(file_err(EditError(
            "the edits do not keep the file's other bytes (an internal error); nothing was written"
                .into(),
        )));
    }
    let counts: Vec<(&str, usize)> = b.expected.iter().map(|(k, v)| (*k, v.len())).collect();
    super::verify_with(old.as_deref(), &b.text, &counts, &mut |key, j, node| {
        let expect = b
            .expected
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.get(j));
        match expect {
            Some(Expect::Print(p)) => super::fingerprint(node) == *p,
            Some(Expect::Value(v)) => v.matches(node),
            None => false,
        }
    })
    .map_err(|message| AddError::File {
        path: path.clone(),
        message,
    })?;
    let created = old.is_none();
    drop(old);
    // What each item had to read as goes now: fields left by a `..`
    // pattern would be held to the end of the function, through the
    // loading of the new text.
    let Builder {
        text,
        placed,
        lists,
        ids,
        tags,
        expected,
        run,
    } = b;
    drop((expected, run));
    // As in `add`: what is to be written goes to the temporary file and is
    // read back, and the record is checked with the file read from there,
    // the text dropped meanwhile (the new file's text and its items are
    // never held together); the rename waits for the checks.
    let mut text = text;
    let staged = match write {
        false => None,
        true => {
            let staged = super::stage_read_back(&path, &text)?;
            text = String::new();
            Some(staged)
        }
    };
    let (new_diags, file) = super::new_diagnostics(&mut loaded, before, |l| match &staged {
        Some(s) => l.set_file_from(&path, s.tmp()),
        None => l.set_file_text(&path, &text),
    });
    // Only the files' names are needed from here on: the items (as many
    // as the text is large) go before the diagnostics are shown, which
    // index the new text's lines (read again from the temporary file).
    let files = std::mem::take(&mut loaded.record.files);
    drop(loaded);
    crate::load::release_freed_memory();
    if let (Some(s), false) = (&staged, new_diags.is_empty()) {
        text = super::read_staged(s.tmp())
            .map_err(|message| super::replace_failed(&path, ReplaceError::Verify(message)))?;
    }
    let resolved = resolve_with(&new_diags, &files, &[(file, &text)]);
    if new_diags.iter().any(Diagnostic::is_error) {
        let owners = owners(&resolved, &path, &text, &placed, &ids, &tags);
        return Err(AddError::Invalid(Rejected {
            diagnostics: resolved,
            owners,
        }));
    }
    if let Some(staged) = staged {
        text = String::new();
        match staged.commit(Some(&snapshot.seen)) {
            // Best effort, as in `add`.
            Ok(()) => drop(write::rescue_appended(&path, &mut snapshot)),
            Err(e) => return Err(super::replace_failed(&path, e)),
        }
    }
    let items = lists
        .into_iter()
        .zip(placed)
        .map(|(list, (at, len))| (list, at..at + len))
        .collect();
    Ok(Outcome {
        path,
        created,
        written: write,
        text,
        items,
        warnings: resolved,
    })
}

/// The tag of the draft each diagnostic concerns: the item whose lines it
/// points into, else the new item whose id it names (`super::owners`,
/// with each item's lines found in one pass over the text).
fn owners(
    diags: &[Resolved],
    path: &Path,
    text: &str,
    placed: &[(usize, usize)],
    ids: &[Box<str>],
    tags: &[usize],
) -> Vec<Option<usize>> {
    let file = display_path(path);
    // Each item's first and last line, by the offsets of its own text
    // (without the line breaks around it), counted in offset order.
    let mut marks: Vec<(usize, usize, bool)> = Vec::with_capacity(placed.len() * 2);
    for (i, &(at, len)) in placed.iter().enumerate() {
        let piece = &text[at..at + len];
        let inner = piece.trim_matches(['\r', '\n']);
        let start = at + piece.find(inner).unwrap_or(0);
        marks.push((start, i, false));
        marks.push((start + inner.len(), i, true));
    }
    marks.sort_unstable();
    let mut lines = vec![(0u32, 0u32); placed.len()];
    let (mut line, mut from) = (1u32, 0usize);
    for (offset, i, end) in marks {
        line += text.as_bytes()[from..offset]
            .iter()
            .filter(|&&c| c == b'\n')
            .count() as u32;
        from = offset;
        if end {
            lines[i].1 = line;
        } else {
            lines[i].0 = line;
        }
    }
    // Lines sorted, to find an item by line in a binary search.
    let mut by_line: Vec<(u32, u32, usize)> = lines
        .iter()
        .enumerate()
        .map(|(i, &(a, b))| (a, b, i))
        .collect();
    by_line.sort_unstable();
    let by_id: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .rev()
        .map(|(i, id)| (&**id, i))
        .collect();
    diags
        .iter()
        .map(|d| {
            let by_line = (d.at.file.as_deref() == Some(file.as_str()))
                .then_some(d.at.line)
                .flatten()
                .and_then(|l| {
                    let k = by_line.partition_point(|&(a, _, _)| a <= l);
                    let &(a, b, i) = by_line.get(k.checked_sub(1)?)?;
                    (a <= l && l <= b).then_some(i)
                });
            by_line
                .or_else(|| by_id.get(d.id.as_deref()?).copied())
                .map(|i| tags[i])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_around_finds_any_changed_byte() {
        let base = "a: 1\nevents:\n- x\n";
        let new = "a: 1\nevents:\n- x\n- y\n- z\n";
        assert!(unchanged_around(base, new, &[(17, 4), (21, 4)]));
        assert!(unchanged_around(base, new, &[(17, 8)]));
        // A byte outside the pieces changed, or the pieces misplaced.
        assert!(!unchanged_around(
            base,
            "a: 2\nevents:\n- x\n- y\n- z\n",
            &[(17, 8)]
        ));
        assert!(!unchanged_around(base, new, &[(17, 4)]));
        assert!(!unchanged_around(base, new, &[(17, 9)]));
    }

    #[test]
    fn a_piece_must_read_back_as_its_value() {
        let v = Value::Map(vec![("id", Value::str("x")), ("title", Value::str("T"))]);
        assert!(piece_print("events", "\n- id: x\n  title: T\n", &v).is_ok());
        assert!(piece_print("events", "- id: x\n  title: U\n", &v).is_err());
        assert!(piece_print("events", "- id: x\n  title: T\n- id: y\n", &v).is_err());
        assert!(piece_print("events", "- id: x\n  title: [\n", &v).is_err());
        let same = piece_print("events", "- {id: x, title: T}\n", &v).unwrap();
        assert_eq!(
            same,
            piece_print("events", "- id: x\n  title: T\n", &v).unwrap()
        );
    }
}
