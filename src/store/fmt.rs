//! The fmt engine: each file's events in timeline order
//! (`query::sort_events`, the one order), its actors, sources and
//! declared kinds by id.
//! Pure, like [`super::rename`].
//!
//! Nothing is reformatted: each item moves as its own bytes, with the
//! comment lines directly above it (its comments). What lies between items
//! (blank lines, a comment set apart by a blank line, a flow list's `, `)
//! stays where it is, so the list's spacing is kept. One edit per list
//! that is out of order: the span from its first item to its last.

use super::change::FileEdits;
use super::edit::Edit;
use super::item_edit::{content_end, line_start};
use crate::model::{Event, ListKind, Record};
use crate::query::sort_events;
use crate::yaml::{self, Cursor, Span};

/// Why a file cannot be put in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FmtError(pub String);

/// The edits that put every file in `files` (indices into
/// `record.files`; all when empty) in order. Files already in order get
/// no edit.
///
/// # Errors
///
/// A file that does not parse, or has an item the record left out (a
/// broken item: its place in the order is unknown), or uses anchors.
pub fn fmt(record: &Record, texts: &[String], files: &[u32]) -> Result<Vec<FileEdits>, FmtError> {
    let mut out = Vec::new();
    for (k, text) in texts.iter().enumerate() {
        let k = k as u32;
        if !files.is_empty() && !files.contains(&k) {
            continue;
        }
        let path = &record.files[k as usize];
        let name = crate::render::diagnostics::display_path(path);
        let tree = yaml::parse_tree(text).map_err(|e| {
            FmtError(format!(
                "`{name}` does not parse ({}); fix it first (see `annals check`)",
                e.message
            ))
        })?;
        let mut edits = Vec::new();
        for kind in [
            ListKind::Events,
            ListKind::Actors,
            ListKind::Sources,
            ListKind::Kinds,
        ] {
            let Some(list) = tree.cursor().get(kind.key()) else {
                continue;
            };
            let items = list.items();
            if items.len() < 2 {
                continue;
            }
            let order = order_of(record, k, kind, &items).ok_or_else(|| {
                FmtError(format!(
                    "`{name}` has {} that the record left out (see `annals check`); fix them first",
                    kind.key()
                ))
            })?;
            if order.iter().enumerate().all(|(i, &j)| i == j) {
                continue;
            }
            if text.contains(['&', '*']) {
                let found = yaml::layout::constructs(text).map_err(|e| FmtError(e.message))?;
                if let Some((_, c)) = found.first() {
                    return Err(FmtError(format!(
                        "`{name}` uses {}, which annals cannot move safely; nothing was written",
                        c.describe()
                    )));
                }
            }
            edits.push(reorder(text, &list, &items, &order));
        }
        if !edits.is_empty() {
            out.push(FileEdits { file: k, edits });
        }
    }
    Ok(out)
}

/// The new order of `items` (indices), or `None` when one is not in the
/// record.
fn order_of(
    record: &Record,
    file: u32,
    kind: ListKind,
    items: &[Cursor<'_, '_>],
) -> Option<Vec<usize>> {
    let spans: Vec<Span> = items.iter().map(Cursor::span).collect();
    let at = |s: Span| spans.iter().position(|x| *x == s);
    match kind {
        ListKind::Events => {
            let mut mine: Vec<&Event> = record
                .events
                .iter()
                .filter(|e| e.origin.file == file)
                .collect();
            if mine.len() != items.len() {
                return None;
            }
            sort_events(&mut mine);
            mine.iter().map(|e| at(e.origin.span)).collect()
        }
        ListKind::Actors | ListKind::Sources | ListKind::Kinds => {
            let ids: Vec<(&str, crate::model::Origin)> = match kind {
                ListKind::Actors => record
                    .actors
                    .iter()
                    .map(|a| (a.id.as_str(), a.origin))
                    .collect(),
                ListKind::Sources => record
                    .sources
                    .iter()
                    .map(|s| (s.id.as_str(), s.origin))
                    .collect(),
                _ => record
                    .kinds
                    .iter()
                    .map(|d| (d.id.as_str(), d.origin))
                    .collect(),
            };
            let mut mine: Vec<(&str, Span)> = ids
                .into_iter()
                .filter(|(_, o)| o.file == file)
                .map(|(id, o)| (id, o.span))
                .collect();
            if mine.len() != items.len() {
                return None;
            }
            mine.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
            mine.iter().map(|(_, s)| at(*s)).collect()
        }
    }
}

/// The chunk of each item: `(start, end)`; block items with their lines
/// and the comment lines directly above, flow items as their span.
fn chunks(text: &str, list: &Cursor<'_, '_>, items: &[Cursor<'_, '_>]) -> Vec<(usize, usize)> {
    if matches!(text.as_bytes().get(list.span().start()), Some(b'[')) {
        // A flow item on a line of its own takes the comment lines directly
        // above it at its column, as a block item does; the line breaks and
        // indentation before them stay in the gap.
        let mut out: Vec<(usize, usize)> = Vec::with_capacity(items.len());
        for c in items {
            let (start, end) = (c.span().start(), c.span().end());
            let line = line_start(text, start);
            let col = start - line;
            let mut first = start;
            if text[line..start].trim().is_empty() {
                let floor = out.last().map_or(list.span().start() + 1, |&(_, e)| e);
                let mut at = line;
                while at > floor {
                    let prev = line_start(text, at - 1);
                    let l = text[prev..at].trim_end_matches(['\n', '\r']);
                    let trimmed = l.trim_start();
                    if prev + col >= floor
                        && trimmed.starts_with('#')
                        && l.len() - trimmed.len() == col
                    {
                        first = prev + col;
                        at = prev;
                    } else {
                        break;
                    }
                }
            }
            out.push((first, end));
        }
        return out;
    }
    let dashes: Vec<usize> = items
        .iter()
        .map(|c| {
            text[..c.span().start()]
                .rfind('-')
                .unwrap_or(c.span().start())
        })
        .collect();
    let mut out = Vec::with_capacity(items.len());
    for (i, &dash) in dashes.iter().enumerate() {
        let start = line_start(text, dash);
        let col = dash - start;
        let bound = dashes
            .get(i + 1)
            .map_or(text.len(), |&d| line_start(text, d));
        let end = content_end(text, start, bound, col + 1);
        // The comments directly above (no blank line between) are its own.
        let mut first = start;
        let floor = out.last().map_or(0, |&(_, e): &(usize, usize)| e);
        while first > floor {
            let prev = line_start(text, first - 1);
            let line = text[prev..first].trim_end_matches(['\n', '\r']);
            let trimmed = line.trim_start();
            if prev >= floor && trimmed.starts_with('#') && line.len() - trimmed.len() == col {
                first = prev;
            } else {
                break;
            }
        }
        out.push((first, end));
    }
    out
}

/// One edit: the chunks in `order`, the gaps between them where they were.
fn reorder(text: &str, list: &Cursor<'_, '_>, items: &[Cursor<'_, '_>], order: &[usize]) -> Edit {
    let chunks = chunks(text, list, items);
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let block = !matches!(text.as_bytes().get(list.span().start()), Some(b'['));
    let piece = |i: usize| {
        let (s, e) = chunks[i];
        let t = &text[s..e];
        if block && !t.ends_with('\n') {
            format!("{t}{nl}")
        } else {
            t.to_string()
        }
    };
    let (from, to) = (chunks[0].0, chunks[chunks.len() - 1].1);
    let mut out = String::with_capacity(to - from + nl.len());
    for (slot, &i) in order.iter().enumerate() {
        out.push_str(&piece(i));
        if let Some(next) = chunks.get(slot + 1) {
            out.push_str(&text[chunks[slot].1..next.0]);
        }
    }
    if block && !text[..to].ends_with('\n') {
        // The file ended without a line break: it still does.
        let trimmed = out.strip_suffix(nl).unwrap_or(&out).to_string();
        out = trimmed;
    }
    Edit {
        range: from..to,
        text: out,
    }
}
