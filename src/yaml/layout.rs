//! The layout of a record file's top level, for editing it in place.
//!
//! `store` appends items to a file without rewriting it, so it needs to know
//! where each top-level list is and how its items are written: block or
//! flow, at which column, with nested lists indented or not. [`Layout::of`]
//! reads that from `yaml-rust2`'s event stream (its line and column marks are
//! reliable; see `span`), and converts the marks to byte offsets.
//!
//! Only what an append needs is kept; anything unusual is described as
//! [`Value::Other`] and the editor refuses to touch it.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

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
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let body = &text[bom..];
        let mut events = Vec::new();
        let mut parser = Parser::new_from_str(body);
        loop {
            match parser.next_token() {
                Ok((Event::StreamEnd, _)) => break,
                Ok(ev) => events.push(ev),
                Err(e) => {
                    return Err(LayoutError {
                        message: e.info().to_string(),
                        line: e.marker().line(),
                        column: e.marker().col() + 1,
                    });
                }
            }
        }
        let w = Walker {
            events,
            lines: Lines::new(body),
            bom,
        };
        Ok(w.layout())
    }
}

struct Walker<'a> {
    events: Vec<(Event, Marker)>,
    lines: Lines<'a>,
    bom: usize,
}

impl Walker<'_> {
    fn offset(&self, m: Marker) -> usize {
        self.lines.offset(m.line(), m.col()) + self.bom
    }

    fn byte_at(&self, m: Marker) -> Option<u8> {
        self.lines
            .text
            .as_bytes()
            .get(self.lines.offset(m.line(), m.col()))
            .copied()
    }

    fn layout(&self) -> Layout {
        let mut i = 0;
        while matches!(
            self.events.get(i),
            Some((Event::StreamStart | Event::DocumentStart, _))
        ) {
            i += 1;
        }
        match self.events.get(i) {
            None | Some((Event::DocumentEnd, _)) => Layout::Empty,
            Some((Event::Scalar(v, TScalarStyle::Plain, _, None), _)) if v.is_empty() => {
                Layout::Empty
            }
            Some((Event::MappingStart(_, None), m)) if self.byte_at(*m) != Some(b'{') => {
                self.entries(i + 1).map_or(Layout::Other, Layout::Block)
            }
            _ => Layout::Other,
        }
    }

    fn entries(&self, mut i: usize) -> Option<Vec<Entry>> {
        let mut out = Vec::new();
        loop {
            let (ev, m) = self.events.get(i)?;
            if matches!(ev, Event::MappingEnd) {
                return Some(out);
            }
            let key = match ev {
                Event::Scalar(v, TScalarStyle::Plain, _, None) => Some(v.clone()),
                _ => None,
            };
            let key_offset = self.offset(*m);
            let key_col = m.col();
            let vi = self.skip(i);
            let value = self.value(vi);
            i = self.skip(vi);
            out.push(Entry {
                key,
                key_offset,
                key_col,
                value,
            });
        }
    }

    fn value(&self, i: usize) -> Value {
        match self.events.get(i) {
            Some((Event::Scalar(v, TScalarStyle::Plain, _, None), _)) if v.is_empty() => {
                Value::Empty
            }
            Some((Event::SequenceStart(_, None), m)) => {
                if self.byte_at(*m) == Some(b'[') {
                    self.flow_seq(i, *m)
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
            let Some((ev, m)) = self.events.get(i) else {
                return Value::Other;
            };
            match ev {
                Event::SequenceEnd => {
                    return Value::BlockSeq(BlockSeq {
                        items,
                        end: self.offset(*m),
                    });
                }
                Event::MappingStart(_, None) if self.byte_at(*m) == Some(b'{') => {
                    items.push(self.block_item(*m, ItemKind::FlowMap, None));
                }
                Event::MappingStart(_, None) => {
                    // A block mapping's mark is unreliable; its first key's is not.
                    let first = self.events.get(i + 1).map_or(*m, |(_, k)| *k);
                    let nested = self.nested_indent(i);
                    items.push(self.block_item(first, ItemKind::BlockMap, nested));
                }
                _ => items.push(self.block_item(*m, ItemKind::Other, None)),
            }
            i = self.skip(i);
        }
    }

    fn block_item(&self, m: Marker, kind: ItemKind, nested_indent: Option<usize>) -> BlockItem {
        let line = self.lines.line(m.line());
        let before: String = line.chars().take(m.col()).collect();
        let lead = before.len() - before.trim_start_matches(' ').len();
        let dash_col = (before.trim() == "-").then_some(lead);
        BlockItem {
            line_start: self.lines.offset(m.line(), 0) + self.bom,
            col: m.col(),
            dash_col,
            kind,
            nested_indent,
        }
    }

    /// In the block mapping starting at event `i`, the indentation of the
    /// first nested block sequence relative to its key.
    fn nested_indent(&self, i: usize) -> Option<usize> {
        let mut k = i + 1;
        loop {
            let (ev, km) = self.events.get(k)?;
            if matches!(ev, Event::MappingEnd) {
                return None;
            }
            let v = self.skip(k);
            if let Some((Event::SequenceStart(_, None), sm)) = self.events.get(v) {
                if self.byte_at(*sm) != Some(b'[') {
                    let first = self.events.get(v + 1).map(|(_, m)| *m)?;
                    let line = self.lines.line(first.line());
                    let indent = line.len() - line.trim_start_matches(' ').len();
                    if line[indent..].starts_with('-') {
                        return indent.checked_sub(km.col());
                    }
                }
            }
            k = self.skip(v);
        }
    }

    fn flow_seq(&self, start: usize, open: Marker) -> Value {
        let mut items = Vec::new();
        let mut i = start + 1;
        loop {
            let Some((ev, m)) = self.events.get(i) else {
                return Value::Other;
            };
            if matches!(ev, Event::SequenceEnd) {
                return Value::FlowSeq(FlowSeq {
                    open: self.offset(open),
                    close: self.offset(*m),
                    items,
                });
            }
            let next = self.skip(i);
            let end = match ev {
                Event::MappingStart(..) if self.byte_at(*m) == Some(b'{') => self
                    .events
                    .get(next - 1)
                    .filter(|(e, _)| matches!(e, Event::MappingEnd))
                    .map(|(_, em)| self.offset(*em) + 1),
                _ => None,
            };
            items.push(FlowItem {
                start: self.offset(*m),
                col: m.col(),
                end,
            });
            i = next;
        }
    }

    /// The index just past the node that starts at event `i`.
    fn skip(&self, i: usize) -> usize {
        let mut depth = 0usize;
        let mut j = i;
        while let Some((ev, _)) = self.events.get(j) {
            j += 1;
            match ev {
                Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
                Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                break;
            }
        }
        j
    }
}

/// Line starts of a text, for turning (line, character column) into bytes.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// The text of 1-based line `line`, without its line break.
    fn line(&self, line: usize) -> &'a str {
        let start = self.starts.get(line.saturating_sub(1)).copied();
        let Some(start) = start else { return "" };
        let end = self.starts.get(line).map_or(self.text.len(), |e| e - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// Byte offset of character column `col` (from 0) on 1-based `line`.
    fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
    }
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
