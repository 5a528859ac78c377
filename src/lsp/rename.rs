//! Rename and prepareRename: `annals rename`'s own engine
//! (`store::rename`) on the buffers' text as typed, its edits checked as
//! the command checks them (`store::change::check_edits`: every other
//! byte kept, each file still parses, no new error in the record), and
//! sent back as one workspace edit across the record's files. The server
//! writes nothing: the editor applies the edit to its buffers.
//!
//! An actor keeps its old id as an alias, as `annals rename` does by
//! default, so that notes and searches that use it still find it.

use super::navigation::id_at;
use super::position::Lines;
use super::uri;
use super::workspace::Workspace;
use crate::model::ListKind;
use crate::render::diagnostics::Resolved;
use crate::store::change::{ChangeError, check_edits};
use crate::store::rename::{self as engine, Rename};
use lsp_types::{PrepareRenameResponse, TextEdit, WorkspaceEdit};
use std::collections::HashMap;
use std::ops::Range;

/// The id at byte `at` of `lines` (the buffer as typed) that can be
/// renamed: its list, the id and its bytes.
///
/// # Errors
///
/// The message for the user: the cursor is not on an id, or on one the
/// record does not define (a built-in kind, a misspelt reference).
pub fn target(
    ws: &Workspace,
    lines: &Lines,
    at: usize,
) -> Result<(ListKind, String, Range<usize>), String> {
    let Some((list, id, range)) = id_at(lines.text(), at) else {
        return Err(
            "annals renames ids only: put the cursor on the id of an actor, source, event or kind, or on a reference to one".into(),
        );
    };
    if !engine::ids(ws.current(), list).contains(&id.as_str()) {
        return Err(engine::unknown(ws.current(), list, &id));
    }
    Ok((list, id, range))
}

/// `textDocument/prepareRename`: the id's range and the id itself.
///
/// # Errors
///
/// As [`target`].
pub fn prepare(ws: &Workspace, lines: &Lines, at: usize) -> Result<PrepareRenameResponse, String> {
    let (_, id, range) = target(ws, lines, at)?;
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: lines.range(range.start, range.end),
        placeholder: id,
    })
}

/// `textDocument/rename`: the edit `annals rename` would make, as one
/// workspace edit.
///
/// # Errors
///
/// Why the rename cannot be made, as the command says it: not an id,
/// an unknown old id, a new id that is not valid or already taken, a file
/// that does not parse but mentions the id, an item built with anchors,
/// or the new errors the record would have.
// `Uri` caches its parse in a cell, which clippy takes for a mutable key;
// it is never changed once made, and the protocol's type is a map by URI.
#[allow(clippy::mutable_key_type)]
pub fn rename(
    ws: &Workspace,
    lines: &Lines,
    at: usize,
    new: &str,
) -> Result<WorkspaceEdit, String> {
    let (kind, old, _) = target(ws, lines, at)?;
    let r = Rename {
        kind,
        old,
        new: new.trim().to_string(),
        keep_alias: true,
    };
    let (texts, utf8) = ws.texts();
    let renamed = engine::rename(ws.current(), &texts, &r).map_err(|e| e.0)?;
    let mut loaded = ws.loaded().clone();
    let (written, _warnings) =
        check_edits(&mut loaded, &texts, &utf8, renamed.files).map_err(|e| refusal(&e))?;
    let mut changes = HashMap::new();
    for w in written {
        let lines = Lines::new(w.old.as_str().into());
        let edits: Vec<TextEdit> = w
            .edits
            .iter()
            .map(|e| TextEdit {
                range: lines.range(e.range.start, e.range.end),
                new_text: e.text.clone(),
            })
            .collect();
        changes.insert(uri::from_path(&w.path), edits);
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// What the command would print, on one line or a few.
fn refusal(e: &ChangeError) -> String {
    match e {
        ChangeError::Invalid(diags) => {
            let errors: Vec<&Resolved> = diags
                .iter()
                .filter(|d| d.severity == crate::diag::Severity::Error)
                .collect();
            let mut m = format!(
                "the rename would give the record {} new error(s):",
                errors.len()
            );
            for d in errors.iter().take(3) {
                let at = match (&d.at.file, d.at.line) {
                    (Some(f), Some(l)) => format!("{f}:{l}: "),
                    (Some(f), None) => format!("{f}: "),
                    _ => String::new(),
                };
                m.push_str(&format!("\n{at}{} [{}]", d.message, d.code));
            }
            if errors.len() > 3 {
                m.push_str(&format!("\n… and {} more", errors.len() - 3));
            }
            m
        }
        other => other.to_string(),
    }
}
