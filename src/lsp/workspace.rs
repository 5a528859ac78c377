//! The record as the editor has it: the files on disk, overlaid by the
//! unsaved text of the open buffers, loaded and checked incrementally.
//!
//! The loader keeps each file's items apart ([`Loaded::set_file_text`]), so
//! a change to one buffer re-parses that file alone and reuses every other
//! file's items; the cross-record checks then run over the whole record, as
//! `check` runs them. Only a change the editor did not make (a file saved
//! or created by another program) loads the directory again.
//!
//! Half-typed YAML must not take completion away: while a file does not
//! parse, a second record (`good`) keeps that file's last text that did,
//! and the questions about the record (completion, hover, navigation) are
//! answered from it. Diagnostics always come from the record as typed.
//! `good` is made the first time a file breaks and then kept in step.

use crate::deferred::{self, PARSE_FAILURES};
use crate::diag::Diagnostic;
use crate::load::{self, Loaded, read::read_limited};
use crate::model::Record;
use crate::validate::validate;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;

pub struct Workspace {
    dir: PathBuf,
    current: Loaded,
    good: Option<Loaded>,
    /// The last text that parsed of each file that does not parse now.
    good_texts: HashMap<u32, Rc<str>>,
    /// Files that do not parse now (by index).
    broken: BTreeSet<u32>,
    /// The open buffers' texts, by path.
    open: HashMap<PathBuf, Rc<str>>,
    /// The text of each buffer as last checked (what the record holds).
    checked: HashMap<PathBuf, Rc<str>>,
    /// Texts of files not open, read from the disk when first needed.
    disk: RefCell<HashMap<u32, Option<Rc<str>>>>,
    index_of: HashMap<PathBuf, u32>,
    /// Buffers changed since the last check.
    dirty: BTreeSet<PathBuf>,
    /// A file changed on the disk: load the directory again.
    reload: bool,
    diagnostics: Vec<Diagnostic>,
    /// How many times the directory was loaded: file indices change then.
    loads: u64,
}

impl Workspace {
    /// Loads the record in `dir` (absolute) and checks it.
    ///
    /// # Errors
    ///
    /// When `dir` cannot be read at all, as `check`.
    pub fn load(dir: &Path) -> io::Result<Self> {
        let mut ws = Workspace {
            dir: dir.to_path_buf(),
            current: Loaded::default(),
            good: None,
            good_texts: HashMap::new(),
            broken: BTreeSet::new(),
            open: HashMap::new(),
            checked: HashMap::new(),
            disk: RefCell::new(HashMap::new()),
            index_of: HashMap::new(),
            dirty: BTreeSet::new(),
            reload: false,
            diagnostics: Vec::new(),
            loads: 0,
        };
        ws.load_all()?;
        ws.recheck();
        Ok(ws)
    }

    /// Whether `path` is, or would be, one of the record's files.
    pub fn contains(&self, path: &Path) -> bool {
        if self.index_of.contains_key(path) {
            return true;
        }
        let Ok(rel) = path.strip_prefix(&self.dir) else {
            return false;
        };
        let hidden = rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        yaml && !hidden
    }

    /// A buffer was opened or changed: its text replaces the file's.
    pub fn set_buffer(&mut self, path: &Path, text: &str) {
        self.open.insert(path.to_path_buf(), Rc::from(text));
        self.dirty.insert(path.to_path_buf());
    }

    /// The buffer's text, when it is open.
    pub fn buffer(&self, path: &Path) -> Option<Rc<str>> {
        self.open.get(path).cloned()
    }

    /// A buffer was closed: the file is what the disk holds again.
    pub fn close_buffer(&mut self, path: &Path) {
        if self.open.remove(path).is_some() {
            self.reload = true;
        }
    }

    /// A file changed on the disk (saved by another program, created,
    /// deleted); open buffers keep their text.
    pub fn disk_changed(&mut self, path: &Path) {
        if !self.open.contains_key(path) {
            self.reload = true;
        }
    }

    /// Whether changes wait to be checked.
    pub fn pending(&self) -> bool {
        self.reload || !self.dirty.is_empty()
    }

    /// Checks the record with the changes made since the last check.
    /// Returns whether anything was checked.
    pub fn flush(&mut self) -> bool {
        if !self.pending() {
            return false;
        }
        let dirty = std::mem::take(&mut self.dirty);
        let new_file = dirty.iter().any(|p| !self.index_of.contains_key(p));
        if self.reload || new_file {
            self.reload = false;
            // Only when the directory cannot be read at all; the last
            // record is kept and its diagnostics stand.
            let _ = self.load_all();
        } else {
            for path in dirty {
                self.apply(&path);
            }
        }
        self.recheck();
        true
    }

    /// How many times the directory was loaded (file indices change then).
    pub fn loads(&self) -> u64 {
        self.loads
    }

    /// The diagnostics of the record as typed: exactly `check`'s.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The record as typed, for diagnostics' places.
    pub fn current(&self) -> &Record {
        &self.current.record
    }

    /// The record as typed with its loader's state, for an edit to be
    /// checked against (`store::change::check_edits`).
    pub fn loaded(&self) -> &Loaded {
        &self.current
    }

    /// The text of every file of [`Workspace::current`] as typed, and
    /// whether it could be read as text (an empty text when not).
    pub fn texts(&self) -> (Vec<String>, Vec<bool>) {
        (0..self.current.record.files.len() as u32)
            .map(|k| match self.text(k) {
                Some(t) => (t.to_string(), true),
                None => (String::new(), false),
            })
            .unzip()
    }

    /// The record to answer questions from: as typed, but with the last
    /// text that parsed of each file that does not parse now.
    pub fn record(&self) -> &Record {
        &self.good.as_ref().unwrap_or(&self.current).record
    }

    /// The index of `path` among the record's files.
    pub fn file_index(&self, path: &Path) -> Option<u32> {
        self.index_of.get(path).copied()
    }

    /// The text of file `k` as typed (the buffer, or the disk).
    pub fn text(&self, k: u32) -> Option<Rc<str>> {
        let path = self.current.record.files.get(k as usize)?;
        if let Some(t) = self.open.get(path) {
            return Some(t.clone());
        }
        self.text_on_disk(k)
    }

    fn text_on_disk(&self, k: u32) -> Option<Rc<str>> {
        let path = self.current.record.files.get(k as usize)?;
        self.disk
            .borrow_mut()
            .entry(k)
            .or_insert_with(|| read_text(path))
            .clone()
    }

    /// The text [`Workspace::record`]'s items of file `k` were read from.
    pub fn record_text(&self, k: u32) -> Option<Rc<str>> {
        if self.good.is_some() {
            if let Some(t) = self.good_texts.get(&k) {
                return Some(t.clone());
            }
        }
        self.text(k)
    }

    fn load_all(&mut self) -> io::Result<()> {
        let overrides: Vec<(PathBuf, &str)> = self
            .open
            .iter()
            .filter(|(p, _)| self.contains(p))
            .map(|(p, t)| (p.clone(), &**t))
            .collect();
        let loaded = load::load_dir_with(&self.dir, &overrides)?;
        self.loads += 1;
        self.checked = overrides
            .iter()
            .map(|(p, _)| (p.clone(), self.open[p].clone()))
            .collect();
        self.current = loaded;
        self.good = None;
        self.good_texts.clear();
        self.disk.borrow_mut().clear();
        self.index_of = (self.current.record.files.iter().enumerate())
            .map(|(i, p)| (p.clone(), i as u32))
            .collect();
        self.broken = (0..self.current.record.files.len() as u32)
            .filter(|&k| self.parse_failed(k))
            .collect();
        Ok(())
    }

    /// Re-reads one changed buffer into both records.
    fn apply(&mut self, path: &Path) {
        let Some(k) = self.file_index(path) else {
            return;
        };
        let Some(text) = self.open.get(path).cloned() else {
            return;
        };
        // What the record held: the text checked last, or the disk's.
        let old = match self.checked.get(path) {
            Some(t) => Some(t.clone()),
            None => self.text_on_disk(k),
        };
        self.current.set_file_text(path, &text);
        self.checked.insert(path.to_path_buf(), text.clone());
        self.disk.borrow_mut().remove(&k);
        if self.parse_failed(k) {
            if self.broken.insert(k) {
                if let Some(old) = old {
                    self.good_texts.insert(k, old);
                }
                if self.good.is_none() {
                    self.good = self.load_good();
                }
            }
        } else {
            self.broken.remove(&k);
            self.good_texts.remove(&k);
            if let Some(good) = &mut self.good {
                good.set_file_text(path, &text);
            }
        }
    }

    /// The record with every buffer as typed but the broken files as they
    /// last parsed.
    fn load_good(&self) -> Option<Loaded> {
        let files = &self.current.record.files;
        let mut overrides: Vec<(PathBuf, &str)> = Vec::new();
        for (path, text) in &self.open {
            if let Some(&k) = self.index_of.get(path) {
                let text = self.good_texts.get(&k).unwrap_or(text);
                overrides.push((path.clone(), text));
            }
        }
        for (k, text) in &self.good_texts {
            let path = &files[*k as usize];
            if !self.open.contains_key(path) {
                overrides.push((path.clone(), text));
            }
        }
        let good = load::load_files_with(files.clone(), &overrides);
        Some(good)
    }

    fn parse_failed(&self, k: u32) -> bool {
        self.current
            .diagnostics
            .iter()
            .any(|d| d.locus.file == Some(k) && PARSE_FAILURES.contains(&d.code))
    }

    /// `check`'s pipeline after loading: validate, then set aside what a
    /// broken file may define.
    fn recheck(&mut self) {
        let mut diags = self.current.diagnostics.clone();
        diags.extend(validate(&self.current.record));
        deferred::defer_with(&mut diags, |k| self.text(k).map(|t| t.to_string()));
        self.diagnostics = diags;
    }
}

/// A file's text as the loader reads it; `None` when it cannot be read or
/// is not UTF-8 (its diagnostics then have no range in it).
fn read_text(path: &Path) -> Option<Rc<str>> {
    let bytes = read_limited(path).ok()?;
    String::from_utf8(bytes).ok().map(Rc::from)
}
