//! The remove engine: an event, actor, source or kind → the edit that takes
//! it out of its file, or the list of everything that still refers to it.
//! Pure, like [`super::rename`].
//!
//! A block item goes with its whole lines and the comment lines directly
//! above it (no blank line between), which are about it; a comment after
//! it at or left of its `-` introduces what follows and stays. A flow item
//! goes with one neighbouring `,`. The last item of a block list leaves
//! `key: []`.

use super::change::FileEdits;
use super::edit::Edit;
use super::item_edit::{content_end, line_after, line_start};
use super::refs;
use super::rename::{RenameError, ids, refuse_constructs, unknown};
use crate::line_index::LineIndex;
use crate::model::{ListKind, Record};
use crate::render::diagnostics::display_path;
use crate::yaml::{self, Cursor};

/// One item that still refers to what is to be removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    /// `file:line` of the reference.
    pub at: String,
    pub owner: (ListKind, Option<String>),
    pub field: &'static str,
}

/// Why nothing can be removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveError {
    /// Items still refer to it.
    Referred(Vec<Referrer>),
    Other(String),
}

impl From<RenameError> for RemoveError {
    fn from(e: RenameError) -> Self {
        RemoveError::Other(e.0)
    }
}

/// The edit removing `id` of `kind`, and where it was (`file:line`).
///
/// # Errors
///
/// See [`RemoveError`].
pub fn remove(
    record: &Record,
    texts: &[String],
    kind: ListKind,
    id: &str,
) -> Result<(FileEdits, String), RemoveError> {
    if !ids(record, kind).contains(&id) {
        return Err(RemoveError::Other(unknown(record, kind, id)));
    }
    let mut referrers = Vec::new();
    let mut definition = None;
    for (k, text) in texts.iter().enumerate() {
        if !text.contains(id) {
            continue;
        }
        let path = &record.files[k];
        let Ok(tree) = yaml::parse_tree(text) else {
            return Err(RemoveError::Other(format!(
                "`{}` does not parse and mentions `{id}`; fix it first (see `annals check`)",
                path.display()
            )));
        };
        let index = LineIndex::new(text);
        for p in refs::find(&tree, kind, id) {
            let line = index.line_col(text, p.span.start()).line;
            let at = format!("{}:{line}", display_path(path));
            if p.is_definition() {
                if definition.is_some() {
                    return Err(RemoveError::Other(format!(
                        "the {} id `{id}` is defined more than once ({at}); fix that first (see `annals check`)",
                        kind.noun()
                    )));
                }
                refuse_constructs(path, text, std::slice::from_ref(&p))?;
                let edit = item_removal(text, &tree, kind, p.item).ok_or_else(|| {
                    RemoveError::Other("the item was not found in its list".into())
                })?;
                definition = Some((k, edit, at));
            } else {
                referrers.push(Referrer {
                    at,
                    owner: p.owner.clone(),
                    field: p.field,
                });
            }
        }
    }
    if !referrers.is_empty() {
        return Err(RemoveError::Referred(referrers));
    }
    let Some((k, edit, at)) = definition else {
        return Err(RemoveError::Other(format!(
            "the {} `{id}` was not found in the files' text",
            kind.noun()
        )));
    };
    Ok((
        FileEdits {
            file: k as u32,
            edits: vec![edit],
        },
        at,
    ))
}

/// The edit that removes the item whose span is `item` from the list
/// `kind` of the file.
pub fn item_removal(
    text: &str,
    tree: &yaml::Tree<'_>,
    kind: ListKind,
    item: crate::yaml::Span,
) -> Option<Edit> {
    let list = tree.cursor().get(kind.key())?;
    let items = list.items();
    let i = items.iter().position(|c| c.span() == item)?;
    Some(removal(text, &list, &items, i))
}

fn removal(text: &str, list: &Cursor<'_, '_>, items: &[Cursor<'_, '_>], i: usize) -> Edit {
    let el = &items[i];
    if matches!(text.as_bytes().get(list.span().start()), Some(b'[')) {
        let range = if i > 0 {
            items[i - 1].span().end()..el.span().end()
        } else if let Some(next) = items.get(1) {
            el.span().start()..next.span().start()
        } else {
            el.span().start()..el.span().end()
        };
        return Edit {
            range,
            text: String::new(),
        };
    }
    let dash_of = |c: &Cursor<'_, '_>| {
        text[..c.span().start()]
            .rfind('-')
            .unwrap_or(c.span().start())
    };
    let dash = dash_of(el);
    let dash_col = dash - line_start(text, dash);
    if items.len() == 1 {
        // `events:\n  - ...` becomes `events: []`, its comments gone too.
        let first = comments_above(text, line_start(text, dash), dash_col);
        let key_end = text[..first].trim_end_matches(['\n', '\r']).len();
        let end = content_end(text, line_start(text, dash), text.len(), dash_col + 1);
        let end = text[..end].trim_end_matches(['\n', '\r']).len();
        return Edit {
            range: key_end..end,
            text: " []".into(),
        };
    }
    // The item's own lines: from its `-` line to its last content line.
    let mut start = line_start(text, dash);
    let next_start = items.get(i + 1).map(|n| line_start(text, dash_of(n)));
    let bound = next_start.unwrap_or(text.len());
    let mut end = content_end(text, start, bound, dash_col + 1);
    start = comments_above(text, start, dash_col);
    // Blank lines: keep the separation between the items that stay.
    let blank_before = start > 0 && {
        let prev = line_start(text, start - 1);
        text[prev..start].trim().is_empty()
    };
    if blank_before {
        let mut s = start;
        while s > 0 {
            let prev = line_start(text, s - 1);
            if text[prev..s].trim().is_empty() {
                s = prev;
            } else {
                break;
            }
        }
        if i > 0 {
            start = s;
        } else if next_start.is_some() {
            // The first item: the blank lines after it go instead.
            while end < text.len() {
                let next = line_after(text, end);
                if text[end..next].trim().is_empty() {
                    end = next;
                } else {
                    break;
                }
            }
        }
    } else if i == 0 && next_start.is_some() {
        while end < text.len() {
            let next = line_after(text, end);
            if text[end..next].trim().is_empty() && Some(next) <= next_start {
                end = next;
            } else {
                break;
            }
        }
    }
    if end == text.len() && !text.ends_with('\n') && i > 0 {
        // The file's last line has no line break: the break before the
        // item goes instead, so the file still ends without one.
        start = text[..start]
            .trim_end_matches('\n')
            .trim_end_matches('\r')
            .len();
    }
    Edit {
        range: start..end,
        text: String::new(),
    }
}

/// The start of the comment lines directly above `start` (no blank line
/// between) at column `col`: they are about the item there.
fn comments_above(text: &str, mut start: usize, col: usize) -> usize {
    while start > 0 {
        let prev = line_start(text, start - 1);
        let line = text[prev..start].trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') && line.len() - trimmed.len() == col {
            start = prev;
        } else {
            break;
        }
    }
    start
}
