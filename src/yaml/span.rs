//! Resolves a [`YamlPath`] to a line and column.
//!
//! The fast loader keeps no positions. Only when a diagnostic is rendered is
//! the file parsed again, here, with `yaml-rust2`'s event parser, which marks
//! every event. [`SpanIndex::parse`] keeps one compact node per YAML node
//! (position, kind, child range; key text for mapping keys only) and
//! [`SpanIndex::locate`] walks a path over them.
//!
//! # Where a node is
//!
//! - A scalar: its first character, including an opening quote; `len` covers
//!   the scalar on its first line (quotes included when it closes there).
//! - A block scalar (`|`, `>`): its indicator (`|`, `|-`, `>2+`...), not the
//!   first content line.
//! - A flow collection: its `[` or `{`. A block sequence: its first `-`. A
//!   block mapping: its first key.
//! - An anchored or tagged node: its content, after `&anchor` and `!tag`.
//! - An alias: the `*name` itself (paths do not go through aliases).
//! - An empty value (`title:` then a line break): the key `title`, since the
//!   value has no text of its own; such a path still counts as exact. An
//!   empty block sequence item: its `-`.
//! - The root: its node as above; an empty document: 1:1 with `len` 0.
//!
//! Only the first document of a stream is indexed. A byte order mark is not
//! counted in columns but is in offsets. Line breaks are `\n`, `\r\n` and a
//! lone `\r`, as in YAML.
//!
//! # Why line and column, not the marker's index
//!
//! `yaml-rust2` counts `Marker::index` in characters, and inside block scalars
//! in bytes; its line and column (characters) are reliable. Offsets are
//! therefore found by walking the source to the marker's line and column with
//! a cursor that moves mostly forward, which keeps the whole parse linear.

use std::panic::{AssertUnwindSafe, catch_unwind};

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::path::{Seg, Target, YamlPath};

/// A place in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1, in characters (a byte order mark is not counted).
    pub column: u32,
    /// Byte offset into the source.
    pub offset: usize,
    /// Byte length of the node's text on its first line: at least 1 where
    /// there is a character to point at, 0 at the end of the file.
    pub len: usize,
}

/// The answer to [`SpanIndex::locate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    pub pos: Position,
    /// `false` when the path does not exist in full and `pos` is the deepest
    /// node on it that does.
    pub exact: bool,
}

/// Positions of every node of a document, for resolving paths.
#[derive(Debug, Clone)]
pub struct SpanIndex {
    nodes: Vec<Node>,
    /// Child node ids of collections: a sequence's items, or a mapping's
    /// key and value ids alternating.
    children: Vec<u32>,
    /// Text of mapping keys, concatenated.
    keys: String,
    root: Option<u32>,
    /// Where an empty document is.
    start: Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Alias,
    Seq,
    Map,
}

/// One node, 32 bytes.
#[derive(Debug, Clone, Copy)]
struct Node {
    offset: usize,
    line: u32,
    column: u32,
    len: u32,
    /// Seq, Map: range in `children`. Scalar as a mapping key: range in
    /// `keys` (`NO_TEXT` when not stored). Otherwise unused.
    start: u32,
    count: u32,
    kind: Kind,
}

const NO_TEXT: u32 = u32::MAX;

impl Node {
    fn pos(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
            offset: self.offset,
            len: self.len as usize,
        }
    }

    fn set_pos(&mut self, pos: Position) {
        self.offset = pos.offset;
        self.line = pos.line;
        self.column = pos.column;
        self.len = sat32(pos.len);
    }
}

fn sat32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl SpanIndex {
    /// Parses `src` once. Never fails and never panics: on a syntax error it
    /// keeps the nodes parsed before it (open collections are closed where
    /// the error stopped them).
    pub fn parse(src: &str) -> SpanIndex {
        let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
        let mut b = Builder::new(&src[bom..], bom);
        // yaml-rust2 is not known to panic, but a position is never worth a
        // crash: keep what was built if it does.
        let _ = catch_unwind(AssertUnwindSafe(|| b.run()));
        b.finish()
    }

    /// The position of the node at `path`.
    ///
    /// With [`Target::Key`], the key of the path's last [`Seg::Key`] segment
    /// (the `nth` occurrence among duplicates); when the path has no key
    /// segment, the value, with `exact` false. When the path does not exist
    /// in full, the deepest existing node on it, with `exact` false. The
    /// root path gives the first node, or 1:1 for an empty document.
    pub fn locate(&self, path: &YamlPath) -> Located {
        let Some(mut cur) = self.root else {
            return Located {
                pos: self.start,
                exact: path.segs.is_empty() && path.target == Target::Value,
            };
        };
        let mut last_key = None;
        for seg in &path.segs {
            let next = match seg {
                Seg::Key { name, nth } => self.entry(cur, name, *nth).map(|(k, v)| {
                    last_key = Some(k);
                    v
                }),
                Seg::Index(i) => self.item(cur, *i),
            };
            match next {
                Some(n) => cur = n,
                None => {
                    return Located {
                        pos: self.pos(cur),
                        exact: false,
                    };
                }
            }
        }
        match (path.target, last_key) {
            (Target::Key, Some(k)) => Located {
                pos: self.pos(k),
                exact: true,
            },
            (Target::Key, None) => Located {
                pos: self.pos(cur),
                exact: false,
            },
            (Target::Value, _) => Located {
                pos: self.pos(cur),
                exact: true,
            },
        }
    }

    fn pos(&self, id: u32) -> Position {
        self.nodes.get(id as usize).map_or(self.start, Node::pos)
    }

    fn children_of(&self, id: u32, kind: Kind) -> &[u32] {
        match self.nodes.get(id as usize) {
            Some(n) if n.kind == kind => {
                let start = n.start as usize;
                let end = start.saturating_add(n.count as usize);
                self.children.get(start..end).unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// The `nth` entry with key `name` of mapping `id`: (key id, value id).
    fn entry(&self, id: u32, name: &str, nth: u32) -> Option<(u32, u32)> {
        self.children_of(id, Kind::Map)
            .chunks_exact(2)
            .filter(|kv| self.key_text(kv[0]) == Some(name))
            .nth(nth as usize)
            .map(|kv| (kv[0], kv[1]))
    }

    fn key_text(&self, id: u32) -> Option<&str> {
        let n = self.nodes.get(id as usize)?;
        if n.kind != Kind::Scalar || n.start == NO_TEXT {
            return None;
        }
        let start = n.start as usize;
        self.keys.get(start..start.checked_add(n.count as usize)?)
    }

    fn item(&self, id: u32, i: usize) -> Option<u32> {
        self.children_of(id, Kind::Seq).get(i).copied()
    }
}

/// Where the second document of a stream starts (its `---`), if the text
/// has more than one document. The fast reader refuses such a file without
/// saying where; this finds the place to point at.
pub fn second_document(src: &str) -> Option<Position> {
    let mut docs = 0;
    find_event(src, |e| {
        if matches!(e, Event::DocumentStart) {
            docs += 1;
        }
        docs == 2
    })
}

/// Where the first alias (`*name`) is, if any: the place to point at when
/// aliases expand past the fast reader's limit ("billion laughs").
pub fn first_alias(src: &str) -> Option<Position> {
    find_event(src, |e| matches!(e, Event::Alias(_)))
}

/// The position of the first event `pick` chooses, reading no further.
fn find_event(src: &str, mut pick: impl FnMut(&Event) -> bool) -> Option<Position> {
    let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &src[bom..];
    catch_unwind(AssertUnwindSafe(|| {
        let mut b = Builder::new(text, bom);
        let mut parser = Parser::new_from_str(text);
        loop {
            let (event, mark) = parser.next_token().ok()?;
            if pick(&event) {
                return Some(b.mark_pos(mark, token_len));
            }
            if event == Event::StreamEnd {
                return None;
            }
        }
    }))
    .ok()
    .flatten()
}

/// Byte offset → position, for errors located by other parsers. An offset
/// past the end is clamped to the end, one inside a character is moved to
/// its start. `len` covers the token there (a run of characters up to
/// whitespace or a flow indicator), else one character, and is 0 at the end.
pub fn position_at(src: &str, offset: usize) -> Position {
    let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let mut off = offset.min(src.len());
    while !src.is_char_boundary(off) {
        off -= 1;
    }
    let off = off.max(bom);
    let bytes = src.as_bytes();
    let mut line = 1usize;
    let mut line_start = bom;
    for (i, &b) in bytes.iter().enumerate().take(off).skip(bom) {
        // A `\r` followed by `\n` is counted at the `\n`.
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = src[line_start..off].chars().count() + 1;
    Position {
        line: sat32(line),
        column: sat32(column),
        offset: off,
        len: token_len(src, off),
    }
}

/// An open collection while building.
struct Open {
    node: u32,
    /// Where its children start in `Builder::pending`.
    pending_start: usize,
    is_map: bool,
    /// A block mapping whose position waits for its first key.
    awaits_first_key: bool,
}

struct Builder<'a> {
    /// The source without its byte order mark.
    text: &'a str,
    bom: usize,
    cursor: Cursor<'a>,
    nodes: Vec<Node>,
    children: Vec<u32>,
    keys: String,
    root: Option<u32>,
    stack: Vec<Open>,
    /// Children of the open collections, innermost last.
    pending: Vec<u32>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, bom: usize) -> Self {
        Builder {
            text,
            bom,
            cursor: Cursor::new(text),
            nodes: Vec::new(),
            children: Vec::new(),
            keys: String::new(),
            root: None,
            stack: Vec::new(),
            pending: Vec::new(),
        }
    }

    fn run(&mut self) {
        let mut parser = Parser::new_from_str(self.text);
        loop {
            let Ok((event, mark)) = parser.next_token() else {
                return;
            };
            match event {
                Event::StreamEnd | Event::DocumentEnd => return,
                Event::Scalar(value, style, _, _) => self.scalar(&value, style, mark),
                Event::Alias(_) => {
                    let pos = self.mark_pos(mark, token_len);
                    self.add(Kind::Alias, pos, false);
                }
                Event::SequenceStart(..) => self.open(false, mark),
                Event::MappingStart(..) => self.open(true, mark),
                Event::SequenceEnd | Event::MappingEnd => self.close(),
                Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
            }
        }
    }

    fn finish(mut self) -> SpanIndex {
        while !self.stack.is_empty() {
            self.close();
        }
        self.nodes.shrink_to_fit();
        self.children.shrink_to_fit();
        self.keys.shrink_to_fit();
        let start = self.start();
        SpanIndex {
            nodes: self.nodes,
            children: self.children,
            keys: self.keys,
            root: self.root,
            start,
        }
    }

    fn start(&self) -> Position {
        Position {
            line: 1,
            column: 1,
            offset: self.bom,
            len: 0,
        }
    }

    /// Whether the next node is a mapping key, and the parent's kind.
    fn role(&self) -> (bool, Option<Kind>) {
        match self.stack.last() {
            Some(open) if open.is_map => {
                let n = self.pending.len().saturating_sub(open.pending_start);
                (n % 2 == 0, Some(Kind::Map))
            }
            Some(_) => (false, Some(Kind::Seq)),
            None => (false, None),
        }
    }

    /// Position of a marker, `len` computed by `len_at(text, byte offset)`.
    fn mark_pos(&mut self, mark: Marker, len_at: impl FnOnce(&str, usize) -> usize) -> Position {
        let (byte, line, col) = self.cursor.seek(mark.line(), mark.col());
        self.make_pos(byte, line, col, len_at(self.text, byte))
    }

    fn make_pos(&self, byte: usize, line: usize, col: usize, len: usize) -> Position {
        Position {
            line: sat32(line),
            column: sat32(col.saturating_add(1)),
            offset: byte + self.bom,
            len,
        }
    }

    fn scalar(&mut self, value: &str, style: TScalarStyle, mark: Marker) {
        let (is_key, parent) = self.role();
        let pos = match style {
            TScalarStyle::Plain if value.is_empty() => self.empty_pos(is_key, parent, mark),
            TScalarStyle::Plain => self.mark_pos(mark, |t, o| plain_len(t, o, value)),
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                self.mark_pos(mark, quoted_len)
            }
            TScalarStyle::Literal | TScalarStyle::Folded => self.block_scalar_pos(mark),
        };
        let id = self.add(Kind::Scalar, pos, true);
        if is_key {
            if let (Ok(start), Ok(count)) =
                (u32::try_from(self.keys.len()), u32::try_from(value.len()))
            {
                if start != NO_TEXT && start.checked_add(count).is_some() {
                    self.keys.push_str(value);
                    if let Some(n) = self.nodes.get_mut(id as usize) {
                        n.start = start;
                        n.count = count;
                    }
                }
            }
        }
    }

    /// Where an empty (null) node is: a mapping value at its key, a block
    /// sequence item at its `-`, the root at the start.
    fn empty_pos(&mut self, is_key: bool, parent: Option<Kind>, mark: Marker) -> Position {
        match parent {
            None => self.start(),
            Some(Kind::Map) if !is_key => {
                let key = self
                    .pending
                    .last()
                    .and_then(|&k| self.nodes.get(k as usize));
                match key {
                    Some(k) => k.pos(),
                    None => self.mark_pos(mark, token_len),
                }
            }
            Some(Kind::Seq) => self.empty_item_pos(mark),
            Some(_) => self.mark_pos(mark, token_len),
        }
    }

    /// The `-` of an empty block sequence item. Item 0's `-` is where the
    /// sequence is; a later one is the first line after the previous item's
    /// that has `-` at the sequence's column after spaces only.
    fn empty_item_pos(&mut self, mark: Marker) -> Position {
        let Some(open) = self.stack.last() else {
            return self.mark_pos(mark, token_len);
        };
        let seq = self.nodes.get(open.node as usize).copied();
        let prev = self
            .pending
            .get(open.pending_start..)
            .and_then(<[u32]>::last)
            .and_then(|&p| self.nodes.get(p as usize))
            .copied();
        let Some(seq) = seq else {
            return self.mark_pos(mark, token_len);
        };
        let Some(prev) = prev else {
            return seq.pos();
        };
        let indent = seq.column.saturating_sub(1) as usize;
        let bytes = self.text.as_bytes();
        let mut line = prev.line as usize + 1;
        while line <= mark.line() {
            let (start, at, _) = self.cursor.seek(line, 0);
            if at != line {
                break;
            }
            let dash = start + indent;
            let spaces = bytes
                .get(start..dash)
                .is_some_and(|s| s.iter().all(|&b| b == b' '));
            let is_entry = bytes.get(dash) == Some(&b'-')
                && matches!(
                    bytes.get(dash + 1),
                    None | Some(b' ' | b'\t' | b'\n' | b'\r')
                );
            if spaces && is_entry {
                return self.make_pos(dash, line, indent, 1);
            }
            line += 1;
        }
        self.mark_pos(mark, token_len)
    }

    /// A block scalar's indicator. The marker is at its first content line
    /// (or at the next token if it has none): the indicator ends the last
    /// non-blank, non-comment text before it.
    fn block_scalar_pos(&mut self, mark: Marker) -> Position {
        let (content, _, _) = self.cursor.seek(mark.line(), mark.col());
        if let Some((start, end)) = indicator_before(self.text, content) {
            let (line, col) = self.cursor.back_to(start);
            return self.make_pos(start, line, col, end - start);
        }
        self.mark_pos(mark, rest_of_line_len)
    }

    fn open(&mut self, is_map: bool, mark: Marker) {
        let mut pos = self.mark_pos(mark, char_len);
        let flow = self
            .text
            .as_bytes()
            .get(pos.offset.saturating_sub(self.bom))
            == Some(&b'{');
        let awaits_first_key = is_map && !flow;
        if awaits_first_key {
            // Until its first key arrives (the marker is past it).
            pos.len = pos.len.min(1);
        }
        let kind = if is_map { Kind::Map } else { Kind::Seq };
        let id = self.add(kind, pos, !awaits_first_key);
        if !self.attached(id) {
            return;
        }
        self.stack.push(Open {
            node: id,
            pending_start: self.pending.len(),
            is_map,
            awaits_first_key,
        });
    }

    fn close(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        let start = self.children.len();
        let from = open.pending_start.min(self.pending.len());
        self.children.extend(self.pending.drain(from..));
        let count = self.children.len() - start;
        if let Some(n) = self.nodes.get_mut(open.node as usize) {
            n.start = sat32(start);
            n.count = sat32(count);
        }
    }

    /// Whether node `id` became the root or a child (a node after the root
    /// closed is dropped).
    fn attached(&self, id: u32) -> bool {
        self.root == Some(id) || self.pending.last() == Some(&id)
    }

    /// Adds a node as a child of the innermost open collection, or as the
    /// root. `settled`: its position is final, so it also places the block
    /// mappings that wait for it as their first key.
    fn add(&mut self, kind: Kind, pos: Position, settled: bool) -> u32 {
        let id = sat32(self.nodes.len());
        if self.stack.is_empty() && self.root.is_some() {
            return id;
        }
        self.nodes.push(Node {
            offset: pos.offset,
            line: pos.line,
            column: pos.column,
            len: sat32(pos.len),
            start: if kind == Kind::Scalar { NO_TEXT } else { 0 },
            count: 0,
            kind,
        });
        if self.stack.is_empty() {
            self.root = Some(id);
        } else {
            self.pending.push(id);
        }
        if settled {
            self.settle(pos);
        }
        id
    }

    /// Gives `pos` to the open block mappings of which it is the first key,
    /// directly or through first keys that are themselves collections.
    fn settle(&mut self, pos: Position) {
        for i in (0..self.stack.len()).rev() {
            let open = &mut self.stack[i];
            let children = self.pending.len().saturating_sub(open.pending_start);
            if !open.awaits_first_key || children != 1 {
                break;
            }
            open.awaits_first_key = false;
            if let Some(n) = self.nodes.get_mut(open.node as usize) {
                n.set_pos(pos);
            }
        }
    }
}

/// Walks the text to a marker's line and column, mostly forward.
struct Cursor<'a> {
    text: &'a str,
    /// Current line, from 1, and the byte where it starts.
    line: usize,
    line_start: usize,
    /// Current column (characters, from 0) and its byte offset.
    col: usize,
    byte: usize,
}

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            text,
            line: 1,
            line_start: 0,
            col: 0,
            byte: 0,
        }
    }

    fn next_line(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let Some(p) = bytes[self.byte..].iter().position(|&b| is_break(b)) else {
            return false;
        };
        let p = self.byte + p;
        let next = if bytes[p] == b'\r' && bytes.get(p + 1) == Some(&b'\n') {
            p + 2
        } else {
            p + 1
        };
        self.line += 1;
        self.line_start = next;
        self.byte = next;
        self.col = 0;
        true
    }

    fn prev_line(&mut self) -> bool {
        if self.line_start == 0 || self.line <= 1 {
            return false;
        }
        let bytes = self.text.as_bytes();
        let mut end = self.line_start - 1;
        if bytes[end] == b'\n' && end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let start = bytes[..end]
            .iter()
            .rposition(|&b| is_break(b))
            .map_or(0, |p| p + 1);
        self.line -= 1;
        self.line_start = start;
        self.byte = start;
        self.col = 0;
        true
    }

    /// Moves to `line` (from 1) and `col` (characters, from 0), clamped to
    /// the text; returns the byte offset, line and column reached.
    fn seek(&mut self, line: usize, col: usize) -> (usize, usize, usize) {
        while self.line < line && self.next_line() {}
        while self.line > line && self.prev_line() {}
        if col < self.col {
            if self.col - col > col {
                self.byte = self.line_start;
                self.col = 0;
            } else {
                while self.col > col {
                    let Some(c) = self.text[..self.byte].chars().next_back() else {
                        break;
                    };
                    self.byte -= c.len_utf8();
                    self.col -= 1;
                }
            }
        }
        while self.col < col {
            match self.text[self.byte..].chars().next() {
                Some(c) if c != '\n' && c != '\r' => {
                    self.byte += c.len_utf8();
                    self.col += 1;
                }
                _ => break,
            }
        }
        (self.byte, self.line, self.col)
    }

    /// Moves back to byte offset `byte` (not after the cursor's line);
    /// returns its line and column.
    fn back_to(&mut self, byte: usize) -> (usize, usize) {
        while self.line_start > byte && self.prev_line() {}
        if self.byte > byte {
            self.byte = self.line_start;
            self.col = 0;
        }
        while self.byte < byte {
            match self.text[self.byte..].chars().next() {
                Some(c) if c != '\n' && c != '\r' => {
                    self.byte += c.len_utf8();
                    self.col += 1;
                }
                _ => break,
            }
        }
        (self.line, self.col)
    }
}

/// Byte length of the character at `off`, 0 at the end.
fn char_len(text: &str, off: usize) -> usize {
    text.get(off..)
        .and_then(|s| s.chars().next())
        .map_or(0, char::len_utf8)
}

/// Byte length of the token at `off`: characters up to whitespace or a flow
/// indicator; at least the character there; 0 at the end.
fn token_len(text: &str, off: usize) -> usize {
    let Some(rest) = text.get(off..) else {
        return 0;
    };
    let n: usize = rest
        .chars()
        .take_while(|&c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .map(char::len_utf8)
        .sum();
    if n == 0 { char_len(text, off) } else { n }
}

/// Byte length of the rest of the line from `off`, trailing blanks trimmed.
fn rest_of_line_len(text: &str, off: usize) -> usize {
    let Some(rest) = text.get(off..) else {
        return 0;
    };
    let line = rest.split(['\n', '\r']).next().unwrap_or("");
    let n = line.trim_end_matches([' ', '\t']).len();
    if n == 0 { char_len(text, off) } else { n }
}

/// Byte length of a plain scalar's first line: the part of the source at
/// `off` that matches the start of its value (later lines are folded into
/// the value with spaces, so the match stops at the first line break).
fn plain_len(text: &str, off: usize, value: &str) -> usize {
    let src = text.as_bytes().get(off..).unwrap_or(&[]);
    let v = value.as_bytes();
    let mut n = src
        .iter()
        .zip(v)
        .take_while(|&(s, v)| s == v && !is_break(*s))
        .count();
    while n > 0 && !text.is_char_boundary(off + n) {
        n -= 1;
    }
    while n > 0 && matches!(src[n - 1], b' ' | b'\t') {
        n -= 1;
    }
    if n == 0 { token_len(text, off) } else { n }
}

/// Byte length of a quoted scalar at `off` up to its closing quote, or to
/// the end of its first line (trailing blanks trimmed).
fn quoted_len(text: &str, off: usize) -> usize {
    let b = text.as_bytes();
    let q = match b.get(off) {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => return token_len(text, off),
    };
    let mut i = off + 1;
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' => {
                while i > off + 1 && matches!(b[i - 1], b' ' | b'\t') {
                    i -= 1;
                }
                return i - off;
            }
            b'\\' if q == b'"' => {
                i += 1;
                if i < b.len() && !is_break(b[i]) {
                    // Skip the escaped character (a continuation byte of a
                    // multi-byte one is never a quote or a break).
                    i += 1;
                }
            }
            c if c == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return i + 1 - off;
                }
            }
            _ => i += 1,
        }
    }
    b.len() - off
}

/// The byte range of a block scalar indicator (`|`, `>-`, `|2+`...) that
/// ends the last non-blank text before `content`, skipping blank lines and
/// comments.
fn indicator_before(text: &str, content: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut end = content.min(bytes.len());
    loop {
        let start = bytes[..end]
            .iter()
            .rposition(|&b| is_break(b))
            .map_or(0, |p| p + 1);
        let line = &bytes[start..end];
        let comment = line
            .iter()
            .enumerate()
            .position(|(i, &b)| b == b'#' && (i == 0 || matches!(line[i - 1], b' ' | b'\t')))
            .unwrap_or(line.len());
        let mut stop = comment;
        while stop > 0 && matches!(line[stop - 1], b' ' | b'\t') {
            stop -= 1;
        }
        if stop > 0 {
            let tok = line[..stop]
                .iter()
                .rposition(|&b| matches!(b, b' ' | b'\t'))
                .map_or(0, |p| p + 1);
            let word = &line[tok..stop];
            let ok = matches!(word.first(), Some(b'|' | b'>'))
                && word[1..]
                    .iter()
                    .all(|&b| b.is_ascii_digit() || b == b'+' || b == b'-');
            return ok.then_some((start + tok, start + stop));
        }
        if start == 0 {
            return None;
        }
        end = start - 1;
        if bytes[end] == b'\n' && end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn finds_the_second_document() {
        let p = second_document("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!((p.line, p.column), (2, 1));
        let p = second_document("---\na: 1\n--- \nb: 2\n").unwrap();
        assert_eq!((p.line, p.column), (3, 1));
        assert_eq!(second_document("---\na: 1\n"), None);
        assert_eq!(second_document("a: 1\n"), None);
    }

    #[test]
    fn finds_the_first_alias() {
        let p = first_alias("a: &x [1]\nb: [*x, *x]\n").unwrap();
        assert_eq!((p.line, p.column, p.len), (2, 5, 2));
        assert_eq!(first_alias("a: 1\n"), None);
    }
    use super::*;

    fn root() -> YamlPath {
        YamlPath::root()
    }

    /// Line, column, exactness and the text `pos` covers.
    fn find<'a>(src: &'a str, path: &YamlPath) -> (u32, u32, bool, &'a str) {
        let l = SpanIndex::parse(src).locate(path);
        let p = l.pos;
        (p.line, p.column, l.exact, &src[p.offset..p.offset + p.len])
    }

    const RECORD: &str = "\
title: Treaty of Example
date: 1648-10-24
events:
  - name: first
    actors: [a, b]
  - name: second
  - name: third
  - name: fourth
    actors:
      - France
      - {actor: Sweden, role: signatory}
    notes: |
      Signed at Osnabr\u{fc}ck.
";

    #[test]
    fn block_mapping_values_and_keys() {
        assert_eq!(
            find(RECORD, &root().key("title")),
            (1, 8, true, "Treaty of Example")
        );
        assert_eq!(
            find(RECORD, &root().key("title").at_key()),
            (1, 1, true, "title")
        );
        assert_eq!(
            find(RECORD, &root().key("date")),
            (2, 7, true, "1648-10-24")
        );
        assert_eq!(
            find(RECORD, &root().key("events").at_key()),
            (3, 1, true, "events")
        );
    }

    #[test]
    fn nested_path_through_sequences() {
        let actors = root().key("events").index(3).key("actors");
        assert_eq!(find(RECORD, &actors.index(0)), (10, 9, true, "France"));
        // A flow mapping inside a block list: the `{`, then its entries.
        assert_eq!(find(RECORD, &actors.index(1)), (11, 9, true, "{"));
        assert_eq!(
            find(RECORD, &actors.index(1).key("actor")),
            (11, 17, true, "Sweden")
        );
        assert_eq!(
            find(RECORD, &actors.index(1).key("role")),
            (11, 31, true, "signatory")
        );
        assert_eq!(
            find(RECORD, &actors.index(1).key("role").at_key()),
            (11, 25, true, "role")
        );
        // A flow sequence: its `[`, then its items.
        let first = root().key("events").index(0).key("actors");
        assert_eq!(find(RECORD, &first), (5, 13, true, "["));
        assert_eq!(find(RECORD, &first.index(1)), (5, 17, true, "b"));
    }

    #[test]
    fn collections_point_at_their_first_key_or_dash() {
        // Block sequence: its first `-`; block mapping: its first key.
        assert_eq!(find(RECORD, &root().key("events")), (4, 3, true, "-"));
        assert_eq!(
            find(RECORD, &root().key("events").index(1)),
            (6, 5, true, "name")
        );
        assert_eq!(
            find(RECORD, &root().key("events").index(3).key("actors")),
            (10, 7, true, "-")
        );
        // The root: its first node.
        assert_eq!(find(RECORD, &root()), (1, 1, true, "title"));
        assert_eq!(find("- a\n- b\n", &root()), (1, 1, true, "-"));
        assert_eq!(find("[a, b]\n", &root()), (1, 1, true, "["));
        assert_eq!(find("just text\n", &root()), (1, 1, true, "just text"));
        // A mapping whose first key is on the line after `-`.
        assert_eq!(find("-\n  k: v\n", &root().index(0)), (2, 3, true, "k"));
        // Nested sequences on one line.
        let src = "- - a\n  - b\n";
        assert_eq!(find(src, &root().index(0)), (1, 3, true, "-"));
        assert_eq!(find(src, &root().index(0).index(1)), (2, 5, true, "b"));
    }

    #[test]
    fn duplicate_keys_are_told_apart_by_nth() {
        let src = "title: one\ndate: 1900\ntitle: two\nnested:\n  k: 1\n  k: 2\ntitle: three\n";
        assert_eq!(find(src, &root().key_nth("title", 0)), (1, 8, true, "one"));
        assert_eq!(find(src, &root().key_nth("title", 1)), (3, 8, true, "two"));
        assert_eq!(
            find(src, &root().key_nth("title", 2)),
            (7, 8, true, "three")
        );
        assert_eq!(
            find(src, &root().key_nth("title", 1).at_key()),
            (3, 1, true, "title")
        );
        assert_eq!(
            find(src, &root().key("nested").key_nth("k", 1).at_key()),
            (6, 3, true, "k")
        );
        // A fourth `title` does not exist: the mapping (its first key).
        assert_eq!(
            find(src, &root().key_nth("title", 3)),
            (1, 1, false, "title")
        );
        // Duplicates in flow style.
        let flow = "{a: 1, a: 2}";
        assert_eq!(find(flow, &root().key_nth("a", 1)), (1, 11, true, "2"));
    }

    #[test]
    fn keys_compare_by_value_whatever_their_style() {
        let src = "\"title\": 'it''s'\n'date': \"a \\\"b\\\" c\" # comment\n? complex\n: value\n";
        assert_eq!(find(src, &root().key("title")), (1, 10, true, "'it''s'"));
        assert_eq!(
            find(src, &root().key("title").at_key()),
            (1, 1, true, "\"title\"")
        );
        assert_eq!(
            find(src, &root().key("date")),
            (2, 9, true, "\"a \\\"b\\\" c\"")
        );
        assert_eq!(find(src, &root().key("complex")), (4, 3, true, "value"));
        assert_eq!(
            find(src, &root().key("complex").at_key()),
            (3, 3, true, "complex")
        );
        // Numbers and booleans as keys are matched by their text.
        assert_eq!(
            find("1: one\ntrue: yes\n", &root().key("true")),
            (2, 7, true, "yes")
        );
    }

    #[test]
    fn missing_field_gives_the_deepest_existing_node() {
        let events = root().key("events");
        // Missing key in events[1]: events[1] itself (its first key).
        assert_eq!(
            find(RECORD, &events.index(1).key("date")),
            (6, 5, false, "name")
        );
        // Index out of range: the sequence.
        assert_eq!(
            find(RECORD, &events.index(9).key("name")),
            (4, 3, false, "-")
        );
        // Through a scalar: the scalar.
        assert_eq!(
            find(RECORD, &root().key("title").key("x")),
            (1, 8, false, "Treaty of Example")
        );
        // An index into a mapping, a key into a sequence.
        assert_eq!(find(RECORD, &root().index(0)), (1, 1, false, "title"));
        assert_eq!(find(RECORD, &events.key("name")), (4, 3, false, "-"));
        // A missing field asked as a key: still the deepest node, not exact.
        assert_eq!(
            find(RECORD, &root().key("nope").at_key()),
            (1, 1, false, "title")
        );
    }

    #[test]
    fn key_target_uses_the_last_key_segment() {
        let p = root().key("events").index(2).at_key();
        assert_eq!(find(RECORD, &p), (3, 1, true, "events"));
        // No key segment at all: the value, not exact.
        assert_eq!(find("- a\n", &root().index(0).at_key()), (1, 3, false, "a"));
        assert_eq!(find("- a\n", &root().at_key()), (1, 1, false, "-"));
    }

    #[test]
    fn empty_values_point_at_their_key_or_dash() {
        let src = "title:\ndate: ~\nlist:\n  - x\n  -\n  - # nothing\n  - &a\nend: {e: }\n";
        assert_eq!(find(src, &root().key("title")), (1, 1, true, "title"));
        assert_eq!(find(src, &root().key("date")), (2, 7, true, "~"));
        let list = root().key("list");
        assert_eq!(find(src, &list.index(1)), (5, 3, true, "-"));
        assert_eq!(find(src, &list.index(2)), (6, 3, true, "-"));
        assert_eq!(find(src, &list.index(3)), (7, 3, true, "-"));
        assert_eq!(find(src, &root().key("end").key("e")), (8, 7, true, "e"));
        // An empty first item: the sequence's own `-`.
        assert_eq!(find("-\n- b\n", &root().index(0)), (1, 1, true, "-"));
        assert_eq!(find("-\n- b\n", &root().index(1)), (2, 3, true, "b"));
    }

    #[test]
    fn crlf_line_endings() {
        let src = "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\nc: |\r\n  text\r\n  more\r\nd: end\r\n";
        assert_eq!(find(src, &root().key("b").index(1)), (4, 5, true, "'y'"));
        assert_eq!(find(src, &root().key("c")), (5, 4, true, "|"));
        assert_eq!(find(src, &root().key("d")), (8, 4, true, "end"));
        let l = SpanIndex::parse(src).locate(&root().key("d"));
        assert_eq!(l.pos.offset, src.find("end").unwrap());
        // A lone `\r` is a line break too.
        assert_eq!(find("a: 1\rb: 2\r", &root().key("b")), (2, 4, true, "2"));
    }

    #[test]
    fn byte_order_mark_is_in_offsets_not_columns() {
        let src = "\u{feff}title: x\nk: v\n";
        assert_eq!(find(src, &root().key("title")), (1, 8, true, "x"));
        assert_eq!(
            find(src, &root().key("title").at_key()),
            (1, 1, true, "title")
        );
        assert_eq!(SpanIndex::parse(src).locate(&root()).pos.offset, 3);
        assert_eq!(find("\u{feff}", &root()), (1, 1, true, ""));
    }

    #[test]
    fn columns_count_characters_and_offsets_count_bytes() {
        let src = "\
名前: 日本語のタイトル
한국: '한국어' # 주석
😀: [\u{1f389}, 値]
k: {外交: 条約, b: 🎉x}
";
        let idx = SpanIndex::parse(src);
        let check = |path: &YamlPath, line, column, text: &str| {
            let l = idx.locate(path);
            assert!(l.exact, "{path}");
            assert_eq!((l.pos.line, l.pos.column), (line, column), "{path}");
            assert_eq!(&src[l.pos.offset..l.pos.offset + l.pos.len], text, "{path}");
        };
        check(&root().key("名前"), 1, 5, "日本語のタイトル");
        check(&root().key("한국"), 2, 5, "'한국어'");
        check(&root().key("한국").at_key(), 2, 1, "한국");
        check(&root().key("😀").index(1), 3, 8, "値");
        check(&root().key("😀").index(0), 3, 5, "\u{1f389}");
        check(&root().key("k").key("外交"), 4, 9, "条約");
        check(&root().key("k").key("b"), 4, 16, "🎉x");
    }

    #[test]
    fn non_ascii_inside_block_scalars_does_not_shift_later_nodes() {
        // yaml-rust2 counts bytes, not characters, in block scalar lines.
        let src = "a: |\n  日本語のテキスト\n  한국어 😀\nb: >-\n  折り畳み\nc: after\n";
        assert_eq!(find(src, &root().key("a")), (1, 4, true, "|"));
        assert_eq!(find(src, &root().key("b")), (4, 4, true, ">-"));
        assert_eq!(find(src, &root().key("c")), (6, 4, true, "after"));
    }

    #[test]
    fn multi_line_scalars() {
        let src = "\
lit: |
  line one
  line two
fold: >2- # a comment

  folded

plain: first line
  second line
quoted: \"first
  second\"
keep: |+
empty: |
next: x
";
        assert_eq!(find(src, &root().key("lit")), (1, 6, true, "|"));
        assert_eq!(find(src, &root().key("fold")), (4, 7, true, ">2-"));
        assert_eq!(find(src, &root().key("plain")), (8, 8, true, "first line"));
        assert_eq!(find(src, &root().key("quoted")), (10, 9, true, "\"first"));
        assert_eq!(find(src, &root().key("keep")), (12, 7, true, "|+"));
        assert_eq!(find(src, &root().key("empty")), (13, 8, true, "|"));
        assert_eq!(find(src, &root().key("next")), (14, 7, true, "x"));
        // In a sequence, and at the root after `---`.
        assert_eq!(
            find("- |\n  a\n- >\n  b\n", &root().index(1)),
            (3, 3, true, ">")
        );
        assert_eq!(find("--- |\n  text\n", &root()), (1, 5, true, "|"));
    }

    #[test]
    fn anchors_tags_and_aliases() {
        let src = "\
base: &b !!map
  x: 1
s: &s !!str text
copy: *b
list: [*s, &t [1]]
<<: *b
";
        // Anchored and tagged nodes: their content.
        assert_eq!(find(src, &root().key("base")), (2, 3, true, "x"));
        assert_eq!(find(src, &root().key("s")), (3, 13, true, "text"));
        // Aliases: the alias; paths do not go through them.
        assert_eq!(find(src, &root().key("copy")), (4, 7, true, "*b"));
        assert_eq!(find(src, &root().key("copy").key("x")), (4, 7, false, "*b"));
        assert_eq!(find(src, &root().key("list").index(0)), (5, 8, true, "*s"));
        assert_eq!(find(src, &root().key("list").index(1)), (5, 15, true, "["));
        assert_eq!(find(src, &root().key("<<")), (6, 5, true, "*b"));
    }

    #[test]
    fn syntax_error_keeps_what_came_before() {
        let src = "title: ok\nevents:\n  - name: a\n    when: [1, 2\n  - name: b\nlater: x\n";
        assert_eq!(find(src, &root().key("title")), (1, 8, true, "ok"));
        assert_eq!(
            find(src, &root().key("events").index(0).key("name")),
            (3, 11, true, "a")
        );
        assert_eq!(
            find(src, &root().key("events").index(0).key("when").index(0)),
            (4, 12, true, "1")
        );
        // After the error: the deepest node kept.
        assert_eq!(find(src, &root().key("later")), (1, 1, false, "title"));
        let bad = "a: 1\nb: [unclosed\nc: 3\n";
        assert_eq!(find(bad, &root().key("a")), (1, 4, true, "1"));
        let bad = "a: 1\n  - x\n";
        assert_eq!(find(bad, &root().key("a")), (1, 4, true, "1"));
        let bad = "a: 'open\n";
        assert_eq!(find(bad, &root().key("a")), (1, 1, false, "a"));
    }

    #[test]
    fn empty_documents() {
        for src in ["", "# only a comment\n", "---\n", "\n\n", "--- # c\n...\n"] {
            assert_eq!(find(src, &root()), (1, 1, true, ""), "{src:?}");
            let l = SpanIndex::parse(src).locate(&root().key("title"));
            assert!(!l.exact, "{src:?}");
            assert_eq!((l.pos.line, l.pos.column, l.pos.len), (1, 1, 0), "{src:?}");
        }
    }

    #[test]
    fn only_the_first_document_is_indexed() {
        let src = "a: 1\n---\na: 2\nb: 3\n";
        assert_eq!(find(src, &root().key("a")), (1, 4, true, "1"));
        assert_eq!(find(src, &root().key("b")), (1, 1, false, "a"));
        let src = "---\na: 1\n---\na: 2\n";
        assert_eq!(find(src, &root().key("a")), (2, 4, true, "1"));
    }

    #[test]
    fn position_at_byte_offsets() {
        let src = "ab: cd\r\n日本: 語x\n\u{1f600} z\r";
        let p = |o| {
            let p = position_at(src, o);
            (p.line, p.column, p.offset, &src[p.offset..p.offset + p.len])
        };
        assert_eq!(p(0), (1, 1, 0, "ab:"));
        assert_eq!(p(4), (1, 5, 4, "cd"));
        assert_eq!(p(6), (1, 7, 6, "\r"));
        assert_eq!(p(7), (1, 8, 7, "\n"));
        let o = src.find('語').unwrap();
        assert_eq!(p(o), (2, 5, o, "語x"));
        // Inside a character: moved to its start.
        assert_eq!(p(o + 1), (2, 5, o, "語x"));
        let z = src.find('z').unwrap();
        assert_eq!(p(z), (3, 3, z, "z"));
        // End of file, and past it: len 0.
        assert_eq!(p(src.len()), (4, 1, src.len(), ""));
        assert_eq!(p(usize::MAX), (4, 1, src.len(), ""));
        // A byte order mark is skipped and not counted.
        let bom = "\u{feff}k: v";
        assert_eq!(position_at(bom, 0), position_at(bom, 3));
        assert_eq!(position_at(bom, 3).column, 1);
        assert_eq!(position_at(bom, 6).column, 4);
        assert_eq!(
            position_at("", 5),
            Position {
                line: 1,
                column: 1,
                offset: 0,
                len: 0
            }
        );
    }

    #[test]
    fn position_at_agrees_with_locate() {
        let idx = SpanIndex::parse(RECORD);
        let path = root()
            .key("events")
            .index(3)
            .key("actors")
            .index(1)
            .key("role");
        let l = idx.locate(&path).pos;
        assert_eq!(position_at(RECORD, l.offset), Position { len: l.len, ..l });
    }

    #[test]
    fn never_panics_on_odd_input() {
        let deep_flow = "[".repeat(100_000);
        let deep_block: String = (0..2_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let junk =
            String::from_utf8_lossy(&[0xff, b':', 0xfe, b'\n', 0, b'-', b' ', 0x80, b'\t', b'"'])
                .into_owned();
        let inputs = [
            deep_flow.as_str(),
            deep_block.as_str(),
            junk.as_str(),
            "\0",
            "a: 1\0b: 2",
            "\t- x",
            "- \t: ]",
            "{a: [b, {c: }, ]}",
            "? [a\n: b",
            "*nope",
            "&a",
            "!t",
            "|",
            ">9\n",
            "'",
            "\"\\",
            "a: \"\\\u{1f600}\"",
            "%YAML 1.2\n%YAML 1.2\n---",
            "\u{feff}\u{feff}a: b",
            ": : :",
            "- - - -\n   -\n -",
            "\r\r\n\n\r",
        ];
        let paths = [
            root(),
            root().key("a"),
            root().index(0).index(0),
            root().key("k").key("k").at_key(),
            root().key_nth("a", 7).index(3),
        ];
        for src in inputs {
            let idx = SpanIndex::parse(src);
            for path in &paths {
                let p = idx.locate(path).pos;
                assert!(p.offset + p.len <= src.len(), "{src:?} {path}");
                assert!(src.is_char_boundary(p.offset), "{src:?} {path}");
                assert!(src.is_char_boundary(p.offset + p.len), "{src:?} {path}");
            }
            for o in 0..=src.len().min(64) {
                let p = position_at(src, o);
                assert!(p.offset + p.len <= src.len());
            }
        }
    }

    #[test]
    fn every_prefix_of_a_record_parses() {
        let src = format!("{RECORD}한국: \"x\\ty\"\r\nlast: [1, {{a: *x}}]\n");
        let paths = [
            root()
                .key("events")
                .index(3)
                .key("actors")
                .index(1)
                .key("role"),
            root().key("events").index(3).key("notes"),
            root().key("last").index(1).key("a"),
            root().key("한국").at_key(),
        ];
        for end in (0..=src.len()).filter(|&e| src.is_char_boundary(e)) {
            let part = &src[..end];
            let idx = SpanIndex::parse(part);
            for path in &paths {
                let l = idx.locate(path);
                let p = l.pos;
                assert!(p.offset + p.len <= part.len(), "{end} {path}");
                assert!(part.is_char_boundary(p.offset + p.len), "{end} {path}");
                if l.exact {
                    assert_eq!(position_at(part, p.offset).line, p.line, "{end} {path}");
                    assert_eq!(position_at(part, p.offset).column, p.column, "{end} {path}");
                }
            }
        }
    }

    #[test]
    fn nodes_stay_compact() {
        assert!(std::mem::size_of::<Node>() <= 32);
    }

    #[test]
    fn large_single_line_input_is_linear() {
        // Quadratic work here would take minutes, even in a debug build.
        let items: Vec<String> = (0..50_000)
            .map(|i| format!("{{k: v{i}, \"日本\": {i}}}"))
            .collect();
        let src = format!("list: [{}]\n", items.join(", "));
        let idx = SpanIndex::parse(&src);
        let l = idx.locate(&root().key("list").index(49_999).key("日本"));
        assert!(l.exact);
        assert_eq!(&src[l.pos.offset..l.pos.offset + l.pos.len], "49999");
        assert_eq!(
            position_at(&src, l.pos.offset),
            Position { len: 5, ..l.pos }
        );
        let lines: String = (0..50_000)
            .map(|i| format!("k{i}: \"日本 {i}\"\n"))
            .collect();
        let idx = SpanIndex::parse(&lines);
        assert_eq!(idx.locate(&root().key("k49999")).pos.line, 50_000);
    }
}
