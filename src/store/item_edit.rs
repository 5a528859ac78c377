//! Edits inside one item of a file, in the item's own style: replace a
//! scalar, add a mapping entry, append a list element.
//!
//! Each function looks at the nodes the reader gave (a [`Cursor`] with
//! byte spans) and returns one [`Edit`] against the file as read; nothing
//! here parses, writes or applies. Block collections are edited by whole
//! lines (so the line's indentation, comments on other lines and the line
//! ending stay), flow collections by their `,`-separated pieces.
//!
//! Line rules, shared with `edit::append`: a line belongs to a block node
//! when it is content, or a comment indented further than the node's
//! column; a comment at or left of it introduces what follows.

use super::edit::{Edit, EditError};
use super::emit::{self, Context, Value};
use crate::yaml::{Cursor, Node};

/// Offset of the start of the line holding `at`.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Offset just past the line break ending the line holding `at` (the
/// text's end when the line has none).
pub fn line_after(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The file's line ending.
fn nl(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The column (in bytes) of `at` on its line.
fn col(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

/// Whether the byte at `at` opens a flow collection.
fn is_flow(text: &str, c: &Cursor<'_, '_>) -> bool {
    matches!(text.as_bytes().get(c.span().start()), Some(b'[' | b'{'))
}

/// The end (after its line break) of the last line, from `from` up to
/// `to`, that belongs to the node whose first line starts at `from`: the
/// first line always; then every line indented at least `min_indent`
/// (content or comment), up to the first content line indented less.
/// Blank lines between count only when a line after them does.
pub fn content_end(text: &str, from: usize, to: usize, min_indent: usize) -> usize {
    let mut end = from;
    let mut pos = from;
    for (n, line) in text[from..to.clamp(from, text.len())]
        .split_inclusive('\n')
        .enumerate()
    {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches([' ', '\t']).len();
        let rest = &body[indent..];
        pos += line.len();
        if n == 0 {
            end = pos;
            continue;
        }
        if rest.is_empty() {
            continue;
        }
        if indent < min_indent {
            break;
        }
        end = pos;
    }
    end
}

/// Where list element `el` ends: a scalar's or flow collection's last
/// byte; a block collection's last content line, without its line break
/// (its span runs on to whatever follows it).
pub fn element_end(text: &str, el: &Cursor<'_, '_>) -> usize {
    let block = matches!(el.node(), Node::Map(m) if !m.is_empty())
        || matches!(el.node(), Node::Seq(s) if !s.is_empty());
    if !block || is_flow(text, el) {
        return el.span().end();
    }
    let start = el.span().start();
    let dash = text[..start].rfind('-').unwrap_or(start);
    let from = line_start(text, dash);
    let end = content_end(text, from, text.len(), dash - from + 1);
    text[..end].trim_end_matches(['\n', '\r']).len()
}

/// The text a scalar is replaced by: `new` in the quoting the old scalar
/// had when that still reads back as `new`, else plain or double-quoted
/// as `emit` decides.
pub fn scalar_like(old: &str, new: &str) -> String {
    if old.starts_with('"') {
        return emit::double_quoted(new);
    }
    if old.starts_with('\'') && !new.contains(['\'', '\n', '\r']) && !new.is_empty() {
        return format!("'{new}'");
    }
    emit::scalar(new, Context::Flow).into_owned()
}

/// Replaces a scalar node by `new` (a string, or a date that may be
/// written plain).
///
/// # Errors
///
/// When the node is a block scalar (`|`, `>`) that a one-line value
/// cannot replace in place safely, or a collection.
pub fn replace_scalar(text: &str, node: &Cursor<'_, '_>, new: &Value) -> Result<Edit, EditError> {
    let span = node.span();
    let old = &text[span.start()..span.end()];
    if matches!(node.node(), Node::Seq(_) | Node::Map(_)) {
        return Err(EditError(format!(
            "expected a single value but found {}",
            node.node().type_name()
        )));
    }
    let written = match new {
        Value::Str(s) => scalar_like(old, s),
        Value::Date(d) => emit::date(d, Context::Flow).into_owned(),
        other => flow_text(other),
    };
    if span.is_empty() {
        // `key:` with nothing after it: the value goes after the colon.
        return Ok(Edit::insert(span.start(), format!(" {written}")));
    }
    let mut end = span.end();
    if old.starts_with(['|', '>']) {
        // A block scalar's span runs over its line breaks: keep the last.
        end = span.start() + old.trim_end_matches(['\n', '\r']).len();
        return Ok(Edit {
            range: span.start()..end,
            text: written,
        });
    }
    Ok(Edit {
        range: span.start()..end,
        text: written,
    })
}

/// A value written inline (flow style).
pub fn flow_text(v: &Value) -> String {
    match v {
        Value::Map(_) | Value::List { .. } => {
            let line = emit::block_item(
                &Value::Map(vec![("x", v.clone())]),
                &emit::BlockStyle {
                    dash_col: 0,
                    key_col: 2,
                    nested: 0,
                },
            );
            match v {
                Value::List { flow: true, .. } | Value::Map(_) => line[0]
                    .strip_prefix("- x: ")
                    .unwrap_or(&line[0])
                    .to_string(),
                Value::List { items, .. } => {
                    let parts: Vec<String> = items.iter().map(flow_text).collect();
                    format!("[{}]", parts.join(", "))
                }
                _ => unreachable!(),
            }
        }
        Value::Str(s) => emit::scalar(s, Context::Flow).into_owned(),
        Value::Date(d) => emit::date(d, Context::Flow).into_owned(),
    }
}

/// Adds `key: value` to the mapping `item` (which lacks `key`): a new line
/// after the item's last content line for a block mapping, `, key: value`
/// before the `}` of a flow mapping.
pub fn add_entry(
    text: &str,
    item: &Cursor<'_, '_>,
    key: &str,
    value: &Value,
) -> Result<Edit, EditError> {
    let entries = item.entries();
    let Some((first_key, _)) = entries.first() else {
        return Err(EditError("the item is an empty mapping".into()));
    };
    if is_flow(text, item) {
        let close = item.span().end() - 1;
        if text.as_bytes().get(close) != Some(&b'}') {
            return Err(EditError(
                "the item's `{...}` is not closed where expected".into(),
            ));
        }
        let last_end = entries.last().map_or(close, |(_, v)| v.span().end());
        return Ok(Edit::insert(
            last_end,
            format!(", {key}: {}", flow_text(value)),
        ));
    }
    let key_col = col(text, first_key.span().start());
    let nl = nl(text);
    let (_, last_v) = entries.last().expect("not empty");
    let end = block_end(text, item, key_col, last_v);
    let mut piece = String::new();
    let at_eof = !text[..end].ends_with('\n');
    if at_eof {
        piece.push_str(nl);
    }
    let pad = " ".repeat(key_col);
    match value {
        Value::List { items, flow: false } => {
            let nested = nested_indent(text, item).unwrap_or(2);
            piece.push_str(&format!("{pad}{key}:"));
            for v in items {
                piece.push_str(nl);
                piece.push_str(&format!("{pad}{}- {}", " ".repeat(nested), flow_text(v)));
            }
        }
        _ => piece.push_str(&format!("{pad}{key}: {}", block_scalar_text(value))),
    }
    if !at_eof {
        piece.push_str(nl);
    }
    Ok(Edit::insert(end, piece))
}

fn block_scalar_text(v: &Value) -> String {
    match v {
        Value::Str(s) => emit::scalar(s, Context::Block).into_owned(),
        Value::Date(d) => emit::date(d, Context::Block).into_owned(),
        other => flow_text(other),
    }
}

/// How much further than its key a nested block list's `-` is indented in
/// this item (0 for `key:\n- x`).
fn nested_indent(text: &str, item: &Cursor<'_, '_>) -> Option<usize> {
    for (k, v) in item.entries() {
        if matches!(v.node(), Node::Seq(s) if !s.is_empty()) && !is_flow(text, &v) {
            let first = v.items()[0].span().start();
            let dash = text[..first].rfind('-')?;
            return col(text, dash).checked_sub(col(text, k.span().start()));
        }
    }
    None
}

/// The end of the block mapping `item`'s last line of content (after its
/// line break), its keys being at `key_col`.
fn block_end(text: &str, item: &Cursor<'_, '_>, key_col: usize, last_v: &Cursor<'_, '_>) -> usize {
    let from = line_start(text, last_v.span().start().max(item.span().start()));
    content_end(text, from, text.len(), key_col)
}

/// Appends `value` to the list `list` (block or flow).
///
/// # Errors
///
/// When `list` is not a list.
pub fn append_element(
    text: &str,
    key: &Cursor<'_, '_>,
    list: &Cursor<'_, '_>,
    value: &Value,
) -> Result<Edit, EditError> {
    let Node::Seq(_) = list.node() else {
        return Err(EditError(format!(
            "`{}` holds {}, not a list",
            key.node().key_text(),
            list.node().type_name()
        )));
    };
    let items = list.items();
    let written = flow_text(value);
    if is_flow(text, list) {
        let close = list.span().end() - 1;
        return Ok(match items.last() {
            None => Edit::insert(close, written),
            Some(last) => {
                let same_line = !text[list.span().start()..last.span().start()].contains('\n');
                if same_line {
                    Edit::insert(last.span().end(), format!(", {written}"))
                } else {
                    Edit::insert(
                        last.span().end(),
                        format!(
                            ",{}{}{written}",
                            nl(text),
                            " ".repeat(col(text, last.span().start()))
                        ),
                    )
                }
            }
        });
    }
    let last = items.last().expect("a block list has an item");
    let dash = text[..last.span().start()]
        .rfind('-')
        .unwrap_or(last.span().start());
    let dash_col = col(text, dash);
    let end = content_end(text, line_start(text, dash), text.len(), dash_col + 1);
    let mut piece = String::new();
    let at_eof = !text[..end].ends_with('\n');
    if at_eof {
        piece.push_str(nl(text));
    }
    piece.push_str(&format!("{}- {written}", " ".repeat(dash_col)));
    if !at_eof {
        piece.push_str(nl(text));
    }
    Ok(Edit::insert(end, piece))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::edit::apply;

    fn first_item<'t, 'a>(tree: &'t crate::yaml::Tree<'a>) -> Cursor<'t, 'a> {
        tree.cursor().get("actors").unwrap().items()[0]
    }

    #[test]
    fn add_entry_block_and_flow() {
        let text = "actors:\n  # c\n  - id: a\n    name: A\n  - {id: b, name: B}\n";
        let tree = crate::yaml::parse_tree(text).unwrap();
        let list = Value::List {
            items: vec![Value::str("x")],
            flow: false,
        };
        let e = add_entry(text, &first_item(&tree), "aliases", &list).unwrap();
        assert_eq!(
            apply(text, &[e]).unwrap(),
            "actors:\n  # c\n  - id: a\n    name: A\n    aliases:\n      - x\n  - {id: b, name: B}\n"
        );
        let second = tree.cursor().get("actors").unwrap().items()[1];
        let e = add_entry(text, &second, "aliases", &list).unwrap();
        assert_eq!(
            apply(text, &[e]).unwrap(),
            "actors:\n  # c\n  - id: a\n    name: A\n  - {id: b, name: B, aliases: [x]}\n"
        );
    }
}
