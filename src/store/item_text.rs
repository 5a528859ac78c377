//! An item's own text, for `annals edit`: the whole lines of a block item
//! (from its `-` line to its last content line), or a flow item's `{...}`.
//! Pure, like the other engines.

use super::edit::Edit;
use super::item_edit::{content_end, line_start};
use super::refs::Place;
use super::rename::{RenameError, ids, refuse_constructs, unknown};
use crate::model::{ListKind, Record};
use crate::yaml;
use std::ops::Range;

/// The item `id` of `kind`: its file, and the byte range of its text.
///
/// # Errors
///
/// An unknown id (with "did you mean"), an item built with anchors or
/// merge keys, a file that does not parse.
pub fn item_text(
    record: &Record,
    texts: &[String],
    kind: ListKind,
    id: &str,
) -> Result<(u32, Range<usize>), RenameError> {
    let span = match kind {
        ListKind::Events => record.events.iter().find(|e| e.id == id).map(|e| e.origin),
        ListKind::Actors => record.actors.iter().find(|a| a.id == id).map(|a| a.origin),
        ListKind::Sources => record.sources.iter().find(|s| s.id == id).map(|s| s.origin),
        ListKind::Kinds => record.kinds.iter().find(|k| k.id == id).map(|k| k.origin),
    };
    let Some(origin) = span.filter(|_| ids(record, kind).contains(&id)) else {
        return Err(RenameError(unknown(record, kind, id)));
    };
    let k = origin.file as usize;
    let text = &texts[k];
    let tree = yaml::parse_tree(text).map_err(|e| RenameError(e.message))?;
    let list = tree
        .cursor()
        .get(kind.key())
        .ok_or_else(|| RenameError("the item's list was not found".into()))?;
    let items = list.items();
    let i = items
        .iter()
        .position(|c| c.span() == origin.span)
        .ok_or_else(|| RenameError("the item was not found in its file".into()))?;
    refuse_constructs(
        &record.files[k],
        text,
        &[Place {
            span: origin.span,
            owner: (kind, Some(id.to_string())),
            item: origin.span,
            field: "id",
        }],
    )?;
    let el = &items[i];
    if matches!(text.as_bytes().get(list.span().start()), Some(b'[')) {
        return Ok((origin.file, el.span().start()..el.span().end()));
    }
    let dash = text[..el.span().start()]
        .rfind('-')
        .unwrap_or(el.span().start());
    let start = line_start(text, dash);
    let bound = items.get(i + 1).map_or(text.len(), |n| {
        line_start(
            text,
            text[..n.span().start()]
                .rfind('-')
                .unwrap_or(n.span().start()),
        )
    });
    Ok((
        origin.file,
        start..content_end(text, start, bound, dash - start + 1),
    ))
}

/// The edit that replaces the item's text by `new`, keeping the file's
/// line endings and a line break at the end when the old text had one.
pub fn replace_item(text: &str, range: Range<usize>, new: &str) -> Edit {
    let crlf = text.contains("\r\n");
    let mut new = new.replace("\r\n", "\n");
    let old = &text[range.clone()];
    if old.ends_with('\n') && !new.ends_with('\n') {
        new.push('\n');
    }
    if !old.ends_with('\n') {
        while new.ends_with('\n') {
            new.pop();
        }
    }
    if crlf {
        new = new.replace('\n', "\r\n");
    }
    Edit { range, text: new }
}
