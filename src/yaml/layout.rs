//! The layout of a record file's top level, for editing it in place.
//!
//! `store` appends items to a file without rewriting it, so it needs to know
//! where each top-level list is and how its items are written: block or
//! flow, at which column, with nested lists indented or not. [`Layout::of`]
//! reads that from the loader's reader ([`super::events`]), whose marks are
//! byte offsets: no line or column is ever walked, so a one-line file of
//! megabytes is read in one linear pass.
//!
//! Only what an append needs is kept; anything unusual is described as
//! [`Value::Other`] and the editor refuses to touch it.

use super::events::{Event, Events, ScalarStyle};
use super::node::skip_properties;

/// The top level of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// No content at all (empty, or only comments).
    Empty,
    /// A block mapping: the normal record file.
    Block(Vec<Entry>),
    /// A flow mapping (`{events: [...]}`) or a non-mapping top level.
    Other,
}

/// One top-level `key: value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key text, `None` when the key is not a plain string.
    pub key: Option<String>,
    /// Byte offset of the key.
    pub key_offset: usize,
    /// Column of the key, from 0.
    pub key_col: usize,
    pub value: Value,
}

/// What a top-level key holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Nothing: `events:` and a line break.
    Empty,
    BlockSeq(BlockSeq),
    FlowSeq(FlowSeq),
    /// Anything else (a scalar, a mapping, an alias, a tagged node).
    Other,
}

/// A block sequence (`- item` lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockSeq {
    pub items: Vec<BlockItem>,
    /// Byte offset of whatever follows the sequence (the next top-level key,
    /// or the end of the document); comments and blank lines before it are
    /// inside this bound.
    pub end: usize,
}

/// One item of a block sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockItem {
    /// Byte offset of the start of the line the item's content starts on.
    pub line_start: usize,
    /// Column (from 0) of the item's content: its first key, or `{`.
    pub col: usize,
    /// Column of the item's `-` when it is on the same line as the content.
    pub dash_col: Option<usize>,
    pub kind: ItemKind,
    /// For block mappings: how much further than its key a nested block
    /// sequence's `-` is indented (0 for `key:\n- x`), if the item has one.
    pub nested_indent: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    BlockMap,
    FlowMap,
    Other,
}

/// A flow sequence (`[a, b]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSeq {
    /// Byte offset of `[`.
    pub open: usize,
    /// Byte offset of `]`.
    pub close: usize,
    pub items: Vec<FlowItem>,
}

/// One item of a flow sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowItem {
    pub start: usize,
    /// Column (from 0) of the item's start.
    pub col: usize,
    /// Byte offset just past a flow mapping's `}`; `None` for other items.
    pub end: Option<usize>,
}

/// The YAML reader's complaint, with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl Layout {
    /// Reads the layout of `text`'s first document.
    ///
    /// # Errors
    ///
    /// When the text is not valid YAML.
    pub fn of(text: &str) -> Result<Layout, LayoutError> {
        // Only the events of the top level, its values and their items
        // (nesting depth 2 and less) are kept: what an item holds is read
        // as it streams by (its first key, `nested_indent`) and dropped, so
        // a large file's layout costs a few events per item, not one per
        // node of the file.
        let mut events = Vec::new();
        let mut depth = 0usize;
        let mut item = ItemScan::default();
        let mut reader = Events::new(text);
        while let Some(next) = reader.next() {
            let (event, start, end) = next.map_err(|f| LayoutError {
                message: f.problem,
                line: f.problem_mark.line + 1,
                column: f.problem_mark.column + 1,
            })?;
            let (kind, bare) = match event {
                Event::StreamEnd => break,
                Event::StreamStart | Event::DocumentStart => continue,
                Event::DocumentEnd => (Kind::DocumentEnd, true),
                Event::Alias { .. } => (Kind::Other, false),
                Event::Scalar {
                    tag, style, value, ..
                } => {
                    let plain = style == ScalarStyle::Plain && tag.is_none();
                    let kind = if plain && value.is_empty() {
                        Kind::Empty
                    } else {
                        Kind::Scalar
                    };
                    (kind, plain)
                }
                Event::SequenceStart { tag, flow, .. } => (Kind::SeqStart { flow }, tag.is_none()),
                Event::MappingStart { tag, flow, .. } => (Kind::MapStart { flow }, tag.is_none()),
                Event::SequenceEnd => (Kind::SeqEnd, true),
                Event::MappingEnd => (Kind::MapEnd, true),
            };
            // A node's place is its content, after any `&anchor` or `!tag`.
            let at = skip_properties(text, start.offset, text.len());
            let column = start.column + text[start.offset..at].chars().count();
            let ev = Ev {
                kind,
                bare,
                at,
                end: end.offset.max(at),
                column,
                first: None,
                nested: None,
            };
            // A start and its end are at the same depth: the depth outside
            // the node.
            let d = match kind {
                Kind::SeqEnd | Kind::MapEnd => {
                    depth = depth.saturating_sub(1);
                    depth
                }
                Kind::SeqStart { .. } | Kind::MapStart { .. } => {
                    depth += 1;
                    depth - 1
                }
                _ => depth,
            };
            item.see(&ev, d, text, &mut events);
            if d <= 2 {
                if d == 2 && kind == (Kind::MapStart { flow: false }) && bare {
                    item = ItemScan {
                        at: Some(events.len()),
                        ..ItemScan::default()
                    };
                }
                events.push(ev);
            }
        }
        Ok(Walker { events, text }.layout())
    }
}

/// What the layout needs from inside a block mapping at depth 2 (an item
/// of a top-level list), read as its events stream by.
#[derive(Default)]
struct ItemScan {
    /// The item's start event, in the kept events.
    at: Option<usize>,
    /// Whether the next node inside the item is a value (else a key).
    value_next: bool,
    /// The column of the key whose value is being read.
    key_col: usize,
    /// A block sequence value just started: the next event is its first
    /// element, under the key at this column.
    seq_of: Option<usize>,
    /// `nested_indent` is decided (found, or given up).
    decided: bool,
}

impl ItemScan {
    /// Takes event `ev`, at depth `d`, into the item being read.
    fn see(&mut self, ev: &Ev, d: usize, text: &str, events: &mut [Ev]) {
        let Some(k) = self.at else { return };
        if events[k].first.is_none() {
            // The event right after the item's start: its first key (or
            // its end).
            events[k].first = Some((ev.at, ev.column));
        }
        if let Some(key_col) = self.seq_of.take() {
            let start = line_start(text, ev.at);
            let line = &text[start..];
            let indent = line.len() - line.trim_start_matches(' ').len();
            if line[indent..].starts_with('-') {
                events[k].nested = indent.checked_sub(key_col);
                self.decided = true;
            }
        }
        if d == 2 && ev.kind == Kind::MapEnd {
            self.at = None;
            return;
        }
        let starts_node = !matches!(ev.kind, Kind::SeqEnd | Kind::MapEnd | Kind::DocumentEnd);
        if d != 3 || !starts_node || self.decided {
            return;
        }
        if self.value_next {
            if ev.kind == (Kind::SeqStart { flow: false }) && ev.bare {
                self.seq_of = Some(self.key_col);
            }
        } else {
            self.key_col = ev.column;
        }
        self.value_next = !self.value_next;
    }
}

/// One event, as much of it as a layout needs.
#[derive(Debug, Clone, Copy)]
struct Ev {
    kind: Kind,
    /// A plain untagged scalar, or an untagged collection.
    bare: bool,
    /// Byte offset of the node's content.
    at: usize,
    /// Byte offset of its end (of a scalar; of a start or end event).
    end: usize,
    /// Its column (from 0), in characters.
    column: usize,
    /// For a block mapping at depth 2: the offset and column of the event
    /// after its start (its first key), whose events are not kept.
    first: Option<(usize, usize)>,
    /// For a block mapping at depth 2: see [`Walker::nested_indent`].
    nested: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A plain empty scalar: no value at all.
    Empty,
    Scalar,
    Other,
    SeqStart {
        flow: bool,
    },
    SeqEnd,
    MapStart {
        flow: bool,
    },
    MapEnd,
    DocumentEnd,
}

struct Walker<'a> {
    events: Vec<Ev>,
    text: &'a str,
}

impl Walker<'_> {
    fn layout(&self) -> Layout {
        match self.events.first() {
            None
            | Some(Ev {
                kind: Kind::DocumentEnd,
                ..
            }) => Layout::Empty,
            Some(Ev {
                kind: Kind::Empty,
                bare: true,
                ..
            }) => Layout::Empty,
            Some(Ev {
                kind: Kind::MapStart { flow: false },
                bare: true,
                ..
            }) => self.entries(1).map_or(Layout::Other, Layout::Block),
            _ => Layout::Other,
        }
    }

    fn entries(&self, mut i: usize) -> Option<Vec<Entry>> {
        let mut out = Vec::new();
        loop {
            let ev = self.events.get(i)?;
            if ev.kind == Kind::MapEnd {
                return Some(out);
            }
            let key =
                (ev.bare && ev.kind == Kind::Scalar).then(|| self.text[ev.at..ev.end].to_string());
            let vi = self.skip(i);
            let value = self.value(vi);
            i = self.skip(vi);
            out.push(Entry {
                key,
                key_offset: ev.at,
                key_col: ev.column,
                value,
            });
        }
    }

    fn value(&self, i: usize) -> Value {
        match self.events.get(i) {
            Some(Ev {
                kind: Kind::Empty,
                bare: true,
                ..
            }) => Value::Empty,
            Some(
                ev @ Ev {
                    kind: Kind::SeqStart { flow },
                    bare: true,
                    ..
                },
            ) => {
                if *flow {
                    self.flow_seq(i, ev.at)
                } else {
                    self.block_seq(i)
                }
            }
            _ => Value::Other,
        }
    }

    fn block_seq(&self, start: usize) -> Value {
        let mut items = Vec::new();
        let mut i = start + 1;
        loop {
            let Some(ev) = self.events.get(i) else {
                return Value::Other;
            };
            match ev.kind {
                Kind::SeqEnd => {
                    return Value::BlockSeq(BlockSeq { items, end: ev.at });
                }
                Kind::MapStart { flow: true } if ev.bare => {
                    items.push(self.block_item(ev, ItemKind::FlowMap, None));
                }
                Kind::MapStart { flow: false } if ev.bare => {
                    // Where a block mapping is: its first key (read as the
                    // item streamed by, with `nested`).
                    let first = match ev.first {
                        Some((at, column)) => Ev { at, column, ..*ev },
                        None => *ev,
                    };
                    items.push(self.block_item(&first, ItemKind::BlockMap, ev.nested));
                }
                _ => items.push(self.block_item(ev, ItemKind::Other, None)),
            }
            i = self.skip(i);
        }
    }

    fn block_item(&self, ev: &Ev, kind: ItemKind, nested_indent: Option<usize>) -> BlockItem {
        let line_start = line_start(self.text, ev.at);
        let before = &self.text[line_start..ev.at];
        let lead = before.len() - before.trim_start_matches(' ').len();
        let dash_col = (before.trim() == "-").then_some(lead);
        BlockItem {
            line_start,
            col: ev.column,
            dash_col,
            kind,
            nested_indent,
        }
    }

    fn flow_seq(&self, start: usize, open: usize) -> Value {
        let mut items = Vec::new();
        let mut i = start + 1;
        loop {
            let Some(ev) = self.events.get(i) else {
                return Value::Other;
            };
            if ev.kind == Kind::SeqEnd {
                return Value::FlowSeq(FlowSeq {
                    open,
                    close: ev.at,
                    items,
                });
            }
            let next = self.skip(i);
            let end = match ev.kind {
                Kind::MapStart { flow: true } => self
                    .events
                    .get(next - 1)
                    .filter(|e| e.kind == Kind::MapEnd)
                    .map(|e| e.at + 1),
                _ => None,
            };
            items.push(FlowItem {
                start: ev.at,
                col: ev.column,
                end,
            });
            i = next;
        }
    }

    /// The index just past the node that starts at event `i`.
    fn skip(&self, i: usize) -> usize {
        let mut depth = 0usize;
        let mut j = i;
        while let Some(ev) = self.events.get(j) {
            j += 1;
            match ev.kind {
                Kind::SeqStart { .. } | Kind::MapStart { .. } => depth += 1,
                Kind::SeqEnd | Kind::MapEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                break;
            }
        }
        j
    }
}

/// A YAML construct whose meaning is spread over the file: an edit to
/// the bytes of one item could change what another item reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construct {
    /// `&name`: an anchor other nodes may repeat.
    Anchor,
    /// `*name`: a copy of an anchored node.
    Alias,
    /// `<<: *name`: a merge key.
    MergeKey,
}

impl Construct {
    pub fn describe(self) -> &'static str {
        match self {
            Construct::Anchor => "a YAML anchor (`&name`)",
            Construct::Alias => "a YAML alias (`*name`)",
            Construct::MergeKey => "a YAML merge key (`<<:`)",
        }
    }
}

/// Where `text` uses anchors, aliases and merge keys (byte offsets, in
/// order), read by the same reader.
///
/// # Errors
///
/// When the text is not valid YAML.
pub fn constructs(text: &str) -> Result<Vec<(usize, Construct)>, LayoutError> {
    let mut out = Vec::new();
    let mut reader = Events::new(text);
    while let Some(next) = reader.next() {
        let (event, start, _) = next.map_err(|f| LayoutError {
            message: f.problem,
            line: f.problem_mark.line + 1,
            column: f.problem_mark.column + 1,
        })?;
        let found = match event {
            Event::StreamEnd => break,
            Event::Alias { .. } => Some(Construct::Alias),
            Event::Scalar {
                anchor,
                value,
                style,
                tag,
            } => {
                if anchor.is_some() {
                    Some(Construct::Anchor)
                } else if value == "<<" && style == ScalarStyle::Plain && tag.is_none() {
                    Some(Construct::MergeKey)
                } else {
                    None
                }
            }
            Event::SequenceStart { anchor, .. } | Event::MappingStart { anchor, .. } => {
                anchor.map(|_| Construct::Anchor)
            }
            _ => None,
        };
        if let Some(c) = found {
            out.push((start.offset, c));
        }
    }
    Ok(out)
}

/// Byte offset of the start of the line holding `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<Entry> {
        match Layout::of(text).unwrap() {
            Layout::Block(e) => e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn block_lists_with_nested_lists() {
        let text = "# c\nevents:\n  - id: a\n    actors:\n    - x\n\n  - {id: b}\n\n# end\nactors: [ {id: c} ,{id: d}, ]\nkinds:\nsources: []\n";
        let e = entries(text);
        assert_eq!(e.len(), 4);
        assert_eq!(e[0].key.as_deref(), Some("events"));
        let Value::BlockSeq(seq) = &e[0].value else {
            panic!()
        };
        assert_eq!(seq.items.len(), 2);
        assert_eq!(seq.items[0].kind, ItemKind::BlockMap);
        assert_eq!(seq.items[0].col, 4);
        assert_eq!(seq.items[0].dash_col, Some(2));
        assert_eq!(seq.items[0].nested_indent, Some(0));
        assert_eq!(seq.items[1].kind, ItemKind::FlowMap);
        assert_eq!(&text[seq.end..seq.end + 6], "actors");
        let Value::FlowSeq(flow) = &e[1].value else {
            panic!()
        };
        assert_eq!(&text[flow.open..=flow.open], "[");
        assert_eq!(&text[flow.close..=flow.close], "]");
        assert_eq!(flow.items.len(), 2);
        assert_eq!(
            &text[flow.items[1].start..flow.items[1].end.unwrap()],
            "{id: d}"
        );
        assert_eq!(e[2].value, Value::Empty);
        assert!(matches!(&e[3].value, Value::FlowSeq(f) if f.items.is_empty()));
    }

    #[test]
    fn offsets_count_bytes_not_characters() {
        let text = "\u{feff}# 金正恩\nevents:\n  - {id: a, title: 金正恩}\n";
        let e = entries(text);
        assert_eq!(&text[e[0].key_offset..e[0].key_offset + 6], "events");
        let Value::BlockSeq(seq) = &e[0].value else {
            panic!()
        };
        assert_eq!(
            &text[seq.items[0].line_start..seq.items[0].line_start + 4],
            "  - "
        );
    }

    #[test]
    fn unusual_tops() {
        assert_eq!(Layout::of("").unwrap(), Layout::Empty);
        assert_eq!(Layout::of("# only\n").unwrap(), Layout::Empty);
        assert_eq!(Layout::of("{events: []}\n").unwrap(), Layout::Other);
        assert_eq!(Layout::of("- a\n").unwrap(), Layout::Other);
        assert!(Layout::of("events: [a\n").is_err());
    }
}
