//! `check`: load a directory and validate it, the pipeline every command
//! stands on.

use crate::diag::{Diagnostic, Tally};
use crate::load;
use crate::model::{ListKind, Record};
use crate::validate::validate;
use std::io;
use std::path::Path;

/// A loaded, validated record.
#[derive(Debug, Default)]
pub struct Checked {
    pub record: Record,
    /// Every problem found, shape and cross-record, unsorted.
    pub diagnostics: Vec<Diagnostic>,
    /// A file or folder could not be read.
    pub io_failed: bool,
    /// Items per list, broken ones included (see [`load::Loaded::seen`]).
    pub seen: [usize; 4],
}

impl Checked {
    pub fn tally(&self) -> Tally {
        Tally::of(&self.diagnostics)
    }

    /// "checked N events, M actors, K sources in F files: E errors, W
    /// warnings", and ", N notes" when there are any (`--links`).
    pub fn summary(&self) -> String {
        let t = self.tally();
        let n = |k: ListKind| self.seen[k as usize];
        let notes = if t.notes > 0 {
            format!(", {} {}", t.notes, plural(t.notes, "note"))
        } else {
            String::new()
        };
        format!(
            "checked {} {}, {} {}, {} {} in {} {}: {} {}, {} {}{notes}",
            n(ListKind::Events),
            plural(n(ListKind::Events), "event"),
            n(ListKind::Actors),
            plural(n(ListKind::Actors), "actor"),
            n(ListKind::Sources),
            plural(n(ListKind::Sources), "source"),
            self.record.files.len(),
            plural(self.record.files.len(), "file"),
            t.errors,
            plural(t.errors, "error"),
            t.warnings,
            plural(t.warnings, "warning"),
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Loads every file under `dir` and runs every check.
///
/// # Errors
///
/// Only when `dir` does not exist or cannot be read; problems in the data
/// are diagnostics.
pub fn check_dir(dir: &Path) -> io::Result<Checked> {
    let loaded = load::load_dir(dir)?;
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(validate(&loaded.record));
    Ok(Checked {
        record: loaded.record,
        diagnostics,
        io_failed: loaded.io_failed,
        seen: loaded.seen,
    })
}
