//! Appending an item to a list in a file's text, keeping every other byte.
//!
//! The new item goes at the end of the file's `events:` (or `actors:`,
//! `sources:`) list, written like the items already there: block or flow,
//! same columns, same nested-list indentation, a blank line between items
//! when the file has them, the file's line ending. When the list is not the
//! last thing in the file, the item goes right after its last item, before
//! any blank lines and comments that introduce what follows. A file without
//! the list gets it at its end.
//!
//! [`append`] only ever inserts text at one offset: the old text is always
//! `new[..at] + new[at + inserted..]`.
//!
//! A change to a file is data: a list of [`Edit`]s, each a byte range of
//! the text as read and the text that replaces it, computed against the
//! places the reader gave ([`Layout`]) and applied once ([`apply`]). The
//! store's invariant is checked on that list: every byte outside the edits
//! is unchanged ([`unchanged_outside`]).

use super::emit::{self, BlockStyle, Value};
use crate::yaml::layout::{self, BlockSeq, FlowSeq, ItemKind, Layout};
use std::ops::Range;

/// One change to a text: the bytes in `range` (of the text as read) are
/// replaced by `text`. An insertion has an empty range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            range: at..at,
            text: text.into(),
        }
    }
}

/// `text` with `edits` applied, in one pass.
///
/// # Errors
///
/// When the edits are not in order, overlap, or fall outside the text or
/// inside a character (edits at one offset apply in the order given).
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let bad = || {
        EditError("the edits do not fit the file (an internal error); nothing was written".into())
    };
    let added: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut at = 0;
    for e in edits {
        if e.range.start < at || e.range.end < e.range.start {
            return Err(bad());
        }
        out.push_str(text.get(at..e.range.start).ok_or_else(bad)?);
        out.push_str(&e.text);
        at = e.range.end;
    }
    out.push_str(text.get(at..).ok_or_else(bad)?);
    Ok(out)
}

/// Whether `edits` fit `text` as [`apply`] needs: in order, not
/// overlapping, each range within the text and on character boundaries.
/// With [`unchanged_outside`], tells that a text is `apply`'s result
/// without building it.
pub fn fits(text: &str, edits: &[Edit]) -> bool {
    let mut at = 0;
    for e in edits {
        if e.range.start < at
            || e.range.end < e.range.start
            || text.get(at..e.range.start).is_none()
        {
            return false;
        }
        at = e.range.end;
    }
    text.get(at..).is_some()
}

/// Whether `new` is `old` with `edits` made and every other byte unchanged.
pub fn unchanged_outside(old: &str, new: &str, edits: &[Edit]) -> bool {
    let (old, new) = (old.as_bytes(), new.as_bytes());
    let (mut o, mut n) = (0, 0);
    for e in edits {
        let Some(kept) = old.get(o..e.range.start) else {
            return false;
        };
        if new.get(n..n + kept.len()) != Some(kept) {
            return false;
        }
        n += kept.len();
        if new.get(n..n + e.text.len()) != Some(e.text.as_bytes()) {
            return false;
        }
        n += e.text.len();
        o = e.range.end;
    }
    old.get(o..).is_some_and(|rest| new.get(n..) == Some(rest))
}

/// The text after an append, and where the insertion is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub text: String,
    /// Byte offset of the inserted text.
    pub at: usize,
    pub len: usize,
}

/// Why a file cannot be appended to safely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

/// The comment a new file starts with.
pub fn new_file_header(nl: &str) -> String {
    format!(
        "# Record file created by `annals add`.{nl}# yaml-language-server: $schema=../docs/annals.schema.json{nl}"
    )
}

/// The file's line ending: `\r\n` when its first line ends so.
pub fn line_ending(text: &str) -> Result<&'static str, EditError> {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            return Err(EditError(
                "the file has old Mac line endings (a lone carriage return); save it with \\n or \\r\\n line endings".into(),
            ));
        }
    }
    Ok(match text.find('\n') {
        Some(i) if i > 0 && bytes[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    })
}

/// Appends `item` to the list under top-level `key`.
///
/// # Errors
///
/// When the file is not valid YAML, or its layout is one this editor does
/// not change safely (a flow mapping at the top, the key twice, the key
/// holding something other than a list).
pub fn append(text: &str, key: &str, item: &Value) -> Result<Appended, EditError> {
    append_styled(text, key, item, None)
}

/// [`append`], with the file's default block style given rather than read
/// from `text` (see [`Batch`], which appends to a small stand-in text).
fn append_styled(
    text: &str,
    key: &str,
    item: &Value,
    file: Option<&BlockStyle>,
) -> Result<Appended, EditError> {
    let nl = line_ending(text)?;
    if ends_in_block_scalar(text) {
        return Err(EditError(
            "the file ends inside a block text (`|` or `>`) with no line break after its last line; \
             a new item would have to add one, and that line break would become part of the text. \
             End the file with a line break (the text then keeps it), or write the block as `|-` or `>-`, and add again"
                .into(),
        ));
    }
    let layout = Layout::of(text).map_err(|e| {
        EditError(format!(
            "the file is not valid YAML ({} at line {} column {}); fix it first (see `annals check`)",
            e.message, e.line, e.column
        ))
    })?;
    let entries = match layout {
        Layout::Empty => Vec::new(),
        Layout::Block(entries) => entries,
        Layout::Other => {
            return Err(EditError(
                "the file's top level is not a block mapping (`events:` at the start of a line); `add` only appends to files in that form".into(),
            ));
        }
    };
    let mine: Vec<&layout::Entry> = entries
        .iter()
        .filter(|e| e.key.as_deref() == Some(key))
        .collect();
    let style = file.cloned().unwrap_or_else(|| file_style(&entries, text));
    match mine.as_slice() {
        [] => Ok(new_list(text, nl, key, item, &style, &entries)),
        [entry] => match &entry.value {
            layout::Value::Empty => Ok(under_empty_key(text, nl, entry, item, &style)),
            layout::Value::BlockSeq(seq) => Ok(block(text, nl, seq, item, &style)),
            layout::Value::FlowSeq(seq) => flow(text, nl, seq, item),
            layout::Value::Other => Err(EditError(format!(
                "`{key}:` does not hold a list here; write it as `{key}:` followed by `- ...` items"
            ))),
        },
        _ => Err(EditError(format!(
            "the file has `{key}:` more than once; merge them first (see `annals check`)"
        ))),
    }
}

/// Whether `text` runs to its end inside a block scalar (`|` or `>`) with
/// no final line break. Appending must first end the last line, and that
/// line break would join the scalar's value (`abc` read back as `abc\n`),
/// so `append` refuses rather than change what the user wrote (found by
/// the `store_append` fuzzer). Read only when the file lacks a final line
/// break, which is rare.
fn ends_in_block_scalar(text: &str) -> bool {
    use crate::yaml::events::{Event, Events, ScalarStyle};
    if text.is_empty() || text.ends_with('\n') {
        return false;
    }
    let mut events = Events::new(text);
    let mut last_block_end = None;
    while let Some(Ok((event, _, end))) = events.next() {
        if let Event::Scalar { style, .. } = event {
            last_block_end =
                matches!(style, ScalarStyle::Literal | ScalarStyle::Folded).then_some(end.offset);
        }
    }
    last_block_end == Some(text.len())
}

/// Appends many items to one block list, each as [`append`] would after
/// the one before, without reading the whole file again for each: `import`
/// adds thousands of rows, and a full re-read per row made it quadratic.
///
/// It works on a stand-in text: the list's key line and its last two items,
/// which is all that decides how the next item is written (its columns, and
/// a blank line between items or not). Each piece goes right after the
/// previous one in the real file.
#[derive(Debug, Clone)]
pub struct Batch {
    key: String,
    key_line: String,
    file: BlockStyle,
    /// The item before the last, without its leading line break.
    prev: String,
    /// The last item as inserted, with its leading blank line if any.
    last: String,
}

impl Batch {
    /// A batch that continues after `last_piece`, the text [`append`] just
    /// inserted into `text` for `key`. `None` when the list is not a block
    /// list ending in that piece (a flow list, an item without its final
    /// line break at the end of the file): then append one by one.
    pub fn after(text: &str, key: &str, at: usize, len: usize) -> Option<Batch> {
        let nl = line_ending(text).ok()?;
        if !text.get(at..at + len)?.ends_with('\n') {
            return None;
        }
        let Ok(Layout::Block(entries)) = Layout::of(text) else {
            return None;
        };
        let entry = entries.iter().find(|e| e.key.as_deref() == Some(key))?;
        let layout::Value::BlockSeq(seq) = &entry.value else {
            return None;
        };
        // The piece must be the list's last item, ending where it ends.
        let last = seq.items.last()?;
        if last.line_start < at || last.line_start >= at + len {
            return None;
        }
        // The item's own lines, with the blank lines just before it (they
        // say whether items are separated), but not a key line the piece
        // may have started with (a list new to the file).
        let mut from = last.line_start;
        while let Some(b) = text[at..from].strip_suffix('\n') {
            let b = b.strip_suffix('\r').unwrap_or(b);
            if !(b.is_empty() || b.ends_with('\n')) {
                break;
            }
            from = at + b.len();
        }
        let item = &text[from..at + len];
        Some(Batch {
            key: key.to_string(),
            key_line: format!("{}{key}:{nl}", " ".repeat(entry.key_col)),
            file: file_style(&entries, text),
            prev: strip_one_break(item).to_string(),
            last: item.to_string(),
        })
    }

    /// The text to insert right after the previous piece for `item`, or
    /// `None` when the stand-in cannot tell (then append one by one).
    pub fn next(&mut self, item: &Value) -> Result<Option<String>, EditError> {
        let stand_in = format!("{}{}{}", self.key_line, self.prev, self.last);
        let a = append_styled(&stand_in, &self.key, item, Some(&self.file))?;
        if a.at != stand_in.len() {
            return Ok(None);
        }
        let piece = a.text[a.at..].to_string();
        if !piece.ends_with('\n') {
            return Ok(None);
        }
        self.prev = strip_one_break(&self.last).to_string();
        self.last = piece.clone();
        Ok(Some(piece))
    }
}

/// `s` without one leading line break (`\n` or `\r\n`).
fn strip_one_break(s: &str) -> &str {
    s.strip_prefix("\r\n")
        .or_else(|| s.strip_prefix('\n'))
        .unwrap_or(s)
}

/// The block style of the file's other lists, for a list it does not have.
fn file_style(entries: &[layout::Entry], text: &str) -> BlockStyle {
    for e in entries {
        if let layout::Value::BlockSeq(seq) = &e.value {
            if let Some(item) = seq.items.iter().find(|i| i.kind == ItemKind::BlockMap) {
                return item_style(item, text).unwrap_or_default();
            }
        }
    }
    BlockStyle::default()
}

fn item_style(item: &layout::BlockItem, _text: &str) -> Option<BlockStyle> {
    let dash_col = item.dash_col?;
    Some(BlockStyle {
        dash_col,
        key_col: item.col,
        nested: item.nested_indent.unwrap_or(2),
    })
}

fn insert(text: &str, at: usize, piece: &str) -> Appended {
    let mut out = String::with_capacity(text.len() + piece.len());
    out.push_str(&text[..at]);
    out.push_str(piece);
    out.push_str(&text[at..]);
    Appended {
        text: out,
        at,
        len: piece.len(),
    }
}

/// `key:` and the item, at the end of the file.
fn new_list(
    text: &str,
    nl: &str,
    key: &str,
    item: &Value,
    style: &BlockStyle,
    entries: &[layout::Entry],
) -> Appended {
    let key_col = entries.first().map_or(0, |e| e.key_col);
    let mut piece = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        piece.push_str(nl);
    }
    if !entries.is_empty() {
        piece.push_str(nl);
    }
    piece.push_str(&" ".repeat(key_col));
    piece.push_str(key);
    piece.push(':');
    piece.push_str(nl);
    let style = BlockStyle {
        dash_col: style.dash_col.max(key_col),
        key_col: style.key_col.max(key_col + 2),
        ..style.clone()
    };
    for line in emit::block_item(item, &style) {
        piece.push_str(&line);
        piece.push_str(nl);
    }
    insert(text, text.len(), &piece)
}

/// `events:` with nothing after it yet.
fn under_empty_key(
    text: &str,
    nl: &str,
    entry: &layout::Entry,
    item: &Value,
    style: &BlockStyle,
) -> Appended {
    let at = line_end(text, entry.key_offset);
    let style = BlockStyle {
        dash_col: style.dash_col.max(entry.key_col),
        key_col: style.key_col.max(entry.key_col + 2),
        ..style.clone()
    };
    let mut piece = String::new();
    for line in emit::block_item(item, &style) {
        piece.push_str(nl);
        piece.push_str(&line);
    }
    insert(text, at, &piece)
}

/// The offset of the line break ending the line that contains `offset`
/// (or the end of the text).
fn line_end(text: &str, offset: usize) -> usize {
    let rest = &text[offset..];
    let n = rest.find('\n').map_or(rest.len(), |i| {
        if i > 0 && rest.as_bytes()[i - 1] == b'\r' {
            i - 1
        } else {
            i
        }
    });
    offset + n
}

fn block(text: &str, nl: &str, seq: &BlockSeq, item: &Value, file: &BlockStyle) -> Appended {
    let last = seq.items.last().expect("a block sequence has an item");
    let dash_col = last.dash_col.unwrap_or(file.dash_col);
    let region = &text[last.line_start..seq.end.max(last.line_start)];
    // The end of the last line that belongs to the item: not blank, and not
    // a comment at or left of the `-` (that one introduces what follows).
    let mut content_end = last.line_start;
    let mut pos = last.line_start;
    for line in region.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let rest = &body[indent..];
        let introduces_next = rest.starts_with('#') && indent <= dash_col;
        let is_content = !rest.is_empty() && !introduces_next;
        pos += line.len();
        if is_content {
            content_end = pos;
        }
    }
    let separated = seq.items.len() > 1 && {
        let before = &text[..last.line_start];
        let before = before
            .strip_suffix('\n')
            .map(|b| b.strip_suffix('\r').unwrap_or(b));
        before.is_some_and(|b| {
            let prev_line = &b[b.rfind('\n').map_or(0, |i| i + 1)..];
            prev_line.trim().is_empty()
        })
    };
    let lines = match last.kind {
        ItemKind::FlowMap => vec![format!(
            "{}-{}{}",
            " ".repeat(dash_col),
            " ".repeat(last.col.saturating_sub(dash_col + 1).max(1)),
            emit::flow_item(item)
        )],
        _ => {
            let style = match last.kind {
                ItemKind::BlockMap if last.dash_col.is_some() => BlockStyle {
                    dash_col,
                    key_col: last.col,
                    nested: last.nested_indent.unwrap_or(file.nested),
                },
                _ => BlockStyle {
                    dash_col,
                    key_col: dash_col + 2,
                    nested: file.nested,
                },
            };
            emit::block_item(item, &style)
        }
    };
    let mut piece = String::new();
    let at_eof_without_break = !text[..content_end].ends_with('\n');
    if at_eof_without_break {
        piece.push_str(nl);
    }
    if separated {
        piece.push_str(nl);
    }
    for (i, line) in lines.iter().enumerate() {
        piece.push_str(line);
        if !at_eof_without_break || i + 1 < lines.len() {
            piece.push_str(nl);
        }
    }
    insert(text, content_end, &piece)
}

fn flow(text: &str, nl: &str, seq: &FlowSeq, item: &Value) -> Result<Appended, EditError> {
    let written = emit::flow_item(item);
    let Some(last) = seq.items.last() else {
        return Ok(insert(text, seq.close, &written));
    };
    let Some(end) = last.end else {
        return Err(EditError(
            "the list's last item is not a mapping `{...}`; fix the file first (see `annals check`)"
                .into(),
        ));
    };
    let same_line = !text[seq.open..last.start].contains('\n');
    let piece = if same_line {
        format!(", {written}")
    } else {
        format!(",{nl}{}{written}", " ".repeat(last.col))
    };
    Ok(insert(text, end, &piece))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_text_at_the_end_without_a_line_break_is_refused_not_changed() {
        for text in [
            "sources:\n  - id: s\n    note: |\n      abc",
            "sources:\n  - id: s\n    note: >\n      abc",
            "events:\n  - id: a\n    summary: |+\n      abc",
        ] {
            let err = append(text, "events", &item()).unwrap_err();
            assert!(err.0.contains("block text"), "{text:?}: {}", err.0);
        }
        // The same files with their final line break, or a block scalar
        // that is not last, are appended to as before.
        for text in [
            "sources:\n  - id: s\n    note: |\n      abc\n",
            "sources:\n  - id: s\n    note: |\n      abc\n    type: web",
        ] {
            assert!(append(text, "events", &item()).is_ok(), "{text:?}");
        }
    }

    fn item() -> Value {
        Value::Map(vec![
            ("id", Value::str("new")),
            ("date", Value::Date("2024".into())),
            (
                "actors",
                Value::List {
                    items: vec![Value::str("x")],
                    flow: false,
                },
            ),
        ])
    }

    fn numbered(n: usize) -> Value {
        Value::Map(vec![
            ("id", Value::str(format!("new-{n}"))),
            ("date", Value::Date("2024".into())),
            (
                "actors",
                Value::List {
                    items: vec![Value::str("x"), Value::str("y")],
                    flow: n.is_multiple_of(2),
                },
            ),
            ("title", Value::str("A: title # with [odd] text")),
        ])
    }

    /// Appending one by one, and through a `Batch` after the first, give
    /// the same bytes, whatever the file's layout.
    #[test]
    fn batch_matches_one_by_one() {
        let files = [
            "",
            "# only a comment\n",
            "events:\n  - id: a\n    actors:\n      - x\n",
            "events:\n- id: a\n  actors:\n  - x\n",
            "events:\n  - id: a\n\n  - id: b\n\nactors:\n  - id: x\n",
            "events:\r\n  - id: a\r\n    actors:\r\n        - x\r\n",
            "actors:\n    - id: x\n      aliases:\n          - X\n",
            "events:\n  - {id: a, date: 2024}\n# trailing comment\n",
            "events:\n",
            "sources:\n  - id: s\nevents:\n  - id: a\n    tags: [t]\n# about what follows\nkinds:\n  - {id: k}\n",
        ];
        for file in files {
            let mut one = file.to_string();
            for n in 0..6 {
                one = append(&one, "events", &numbered(n)).unwrap().text;
            }
            let first = append(file, "events", &numbered(0)).unwrap();
            let mut batched = first.text.clone();
            match Batch::after(&first.text, "events", first.at, first.len) {
                Some(mut batch) => {
                    let mut at = first.at + first.len;
                    for n in 1..6 {
                        let piece = batch.next(&numbered(n)).unwrap().expect("a piece");
                        batched.insert_str(at, &piece);
                        at += piece.len();
                    }
                }
                None => {
                    for n in 1..6 {
                        batched = append(&batched, "events", &numbered(n)).unwrap().text;
                    }
                }
            }
            assert_eq!(batched, one, "file: {file:?}");
        }
        // The common layouts do take the fast path.
        let t = append("events:\n  - id: a\n", "events", &numbered(0)).unwrap();
        assert!(Batch::after(&t.text, "events", t.at, t.len).is_some());
    }

    fn check(old: &str, expected: &str) {
        let a = append(old, "events", &item()).unwrap();
        assert_eq!(a.text, expected);
        assert_eq!(
            format!("{}{}", &a.text[..a.at], &a.text[a.at + a.len..]),
            old
        );
    }

    #[test]
    fn block_list_last() {
        check(
            "events:\n  - id: a\n    actors:\n      - y\n",
            "events:\n  - id: a\n    actors:\n      - y\n  - id: new\n    date: 2024\n    actors:\n      - x\n",
        );
    }

    #[test]
    fn separated_items_and_following_key() {
        check(
            "events:\n- id: a\n\n- id: b\n  actors:\n  - y\n\n# people\nactors: []\n",
            "events:\n- id: a\n\n- id: b\n  actors:\n  - y\n\n- id: new\n  date: 2024\n  actors:\n  - x\n\n# people\nactors: []\n",
        );
    }

    #[test]
    fn crlf_and_no_final_break() {
        check(
            "events:\r\n  - {id: a}",
            "events:\r\n  - {id: a}\r\n  - {id: new, date: 2024, actors: [x]}",
        );
    }

    #[test]
    fn flow_lists() {
        check(
            "events: []\n",
            "events: [{id: new, date: 2024, actors: [x]}]\n",
        );
        check(
            "events: [{id: a}]  # c\n",
            "events: [{id: a}, {id: new, date: 2024, actors: [x]}]  # c\n",
        );
        check(
            "events: [\n    {id: a},\n]\n",
            "events: [\n    {id: a},\n    {id: new, date: 2024, actors: [x]},\n]\n",
        );
    }

    #[test]
    fn missing_or_empty_list() {
        check(
            "# c\nactors:\n   -   id: a\n",
            "# c\nactors:\n   -   id: a\n\nevents:\n   -   id: new\n       date: 2024\n       actors:\n         - x\n",
        );
        check(
            "events:\n",
            "events:\n  - id: new\n    date: 2024\n    actors:\n      - x\n",
        );
        check(
            "",
            "events:\n  - id: new\n    date: 2024\n    actors:\n      - x\n",
        );
    }

    #[test]
    fn refuses_what_it_cannot_do_safely() {
        for bad in [
            "{events: []}\n",
            "events: 3\n",
            "events: []\nevents: []\n",
            "events: [a\n",
            "events:\r- a\r",
        ] {
            assert!(append(bad, "events", &item()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn edits_apply_once_and_keep_every_other_byte() {
        let old = "events:\n  - id: a\nactors: []\n";
        let edits = [
            Edit::insert(18, "  - id: b\n"),
            Edit::insert(18, "  - id: c\n"),
            Edit {
                range: 26..28,
                text: "[{id: x}]".into(),
            },
        ];
        let new = apply(old, &edits).unwrap();
        assert_eq!(
            new,
            "events:\n  - id: a\n  - id: b\n  - id: c\nactors: [{id: x}]\n"
        );
        assert!(unchanged_outside(old, &new, &edits));
        let tampered = new.replace("actors", "actorz");
        assert!(!unchanged_outside(old, &tampered, &edits));
        assert!(!unchanged_outside(old, &new, &edits[..2]));
        assert!(apply(old, &[Edit::insert(5, ""), Edit::insert(2, "")]).is_err());
        assert!(apply(old, &[Edit::insert(99, "")]).is_err());
    }
}
