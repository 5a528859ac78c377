//! Code actions on `check`'s diagnostics: the "did you mean" fix, a stub
//! for an unknown actor, a human date written as EDTF.
//!
//! Every action is a workspace edit for the editor to apply: the server
//! never writes a file. The actor stub is appended by the store's own
//! editor (`store::edit::append`), the code `annals add` writes with, so
//! it lands in the file's own style.

use super::diagnostics::{bytes, convert};
use super::position::Lines;
use super::uri;
use super::workspace::Workspace;
use crate::codes::Code;
use crate::date::edtf_for_human;
use crate::diag::Diagnostic;
use crate::model::Record;
use crate::store::edit::append;
use crate::store::emit::Value;
use lsp_types::{CodeAction, CodeActionKind, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;
use std::ops::Range;

/// The actions for the diagnostics of file `k` that touch `range` (bytes
/// of `lines`' text, the buffer as typed).
pub fn actions(ws: &Workspace, k: u32, lines: &Lines, range: Range<usize>) -> Vec<CodeAction> {
    let text = lines.text();
    let Some(path) = ws.current().files.get(k as usize) else {
        return Vec::new();
    };
    let here = uri::from_path(path);
    let mut out = Vec::new();
    for d in ws.diagnostics().iter().filter(|d| d.locus.file == Some(k)) {
        let Some(at) = bytes(&d.locus.place, text) else {
            continue;
        };
        if at.end < range.start || at.start > range.end || at.end > text.len() {
            continue;
        }
        let written = &text[at.clone()];
        if written.contains(['\n', '\r']) {
            continue;
        }
        // The diagnostic each action fixes, so that the editor offers it
        // on the squiggle.
        let fixes = vec![convert(d, lines.range(at.start, at.end), Vec::new())];
        if let Some(fix) = did_you_mean(d) {
            out.push(action(
                format!("Replace with `{fix}`"),
                edit(&here, lines.range(at.start, at.end), fix.to_string()),
                true,
                &fixes,
            ));
        }
        if d.code == Code::UnknownActor {
            if let Some(a) = add_actor(ws, k, written.trim_matches(['"', '\'']), &fixes) {
                out.push(a);
            }
        }
        if d.code == Code::InvalidDate {
            let value = written.trim_matches(['"', '\'']);
            if let Some(edtf) = edtf_for_human(value) {
                let new = if edtf.starts_with(['[', '{']) {
                    format!("\"{edtf}\"")
                } else {
                    edtf.clone()
                };
                out.push(action(
                    format!("Write this date as EDTF: {edtf}"),
                    edit(&here, lines.range(at.start, at.end), new),
                    true,
                    &fixes,
                ));
            }
        }
    }
    out
}

/// The one id a diagnostic's help suggests: "did you mean `x`?".
fn did_you_mean(d: &Diagnostic) -> Option<&str> {
    let help = d.help.as_deref()?;
    let id = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
    (!id.is_empty() && !id.contains('`')).then_some(id)
}

/// "Add actor `x`": a stub at the end of the `actors:` list of the file
/// that holds the most actors (this file, when none does).
fn add_actor(
    ws: &Workspace,
    here: u32,
    id: &str,
    fixes: &[lsp_types::Diagnostic],
) -> Option<CodeAction> {
    if !crate::names::is_slug(id) {
        return None;
    }
    let record = ws.current();
    let k = actors_file(record).unwrap_or(here);
    let text = ws.text(k)?;
    let stub = Value::Map(vec![
        ("id", Value::str(id)),
        ("name", Value::str(name_of(id))),
        ("type", Value::str("other")),
    ]);
    let appended = append(&text, "actors", &stub).ok()?;
    let inserted = appended.text.get(appended.at..appended.at + appended.len)?;
    let lines = Lines::new(text.clone());
    let at = lines.position(appended.at);
    let target = uri::from_path(&record.files[k as usize]);
    let name = record.files[k as usize]
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Some(action(
        format!("Add actor `{id}` to {name}"),
        edit(&target, lsp_types::Range::new(at, at), inserted.to_string()),
        false,
        fixes,
    ))
}

/// The file with the most actors; the first such file on a tie.
fn actors_file(record: &Record) -> Option<u32> {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for a in &record.actors {
        *counts.entry(a.origin.file).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(k, _)| k)
}

/// A name to start from: the id's words, capitalised.
fn name_of(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// `Uri` caches its parse in a cell, which clippy takes for a mutable key;
// it is never changed once made, and the protocol's type is a map by URI.
#[allow(clippy::mutable_key_type)]
fn edit(uri: &Uri, range: lsp_types::Range, new_text: String) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), vec![TextEdit { range, new_text }]);
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

fn action(
    title: String,
    edit: WorkspaceEdit,
    preferred: bool,
    fixes: &[lsp_types::Diagnostic],
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(fixes.to_vec()),
        edit: Some(edit),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    }
}
