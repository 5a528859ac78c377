//! A lenient YAML tree with the byte span of every node, from one parse.
//!
//! The loader does not deserialize straight into typed records: one misspelt
//! field would then stop the whole file at the first problem. It reads each
//! file into a [`Node`] tree instead and checks the shape itself, so every
//! problem in every record is reported in one run. The tree is built from
//! libyaml's events ([`super::events`]), the same reader serde_yaml uses,
//! with serde_yaml's scalar rules ([`super::resolve`]) and limits (nesting
//! 128 deep, alias expansion 100 times the document's events), and keeps
//! where each node starts and ends ([`Tree::locate`]). Strings borrow from
//! the file's text where YAML allows it.

use super::events::{Event, Events, Failure, Mark, Read};
use super::path::{Seg, Target, YamlPath};
use super::resolve;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A YAML value with its mapping entries in file order (duplicates kept).
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

impl<'a> Node<'a> {
    /// A short name of the node's type, for messages ("a list", "a number").
    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "nothing (null)",
            Node::Bool(_) => "a boolean",
            Node::Int(_) | Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }

    /// The node as text when it is a scalar. Numbers and booleans are given
    /// back in YAML's canonical spelling; see [`Node::is_exact_text`].
    pub fn scalar_text(&self) -> Option<Cow<'a, str>> {
        match self {
            Node::Str(s) => Some(s.clone()),
            Node::Int(i) => Some(Cow::Owned(i.to_string())),
            Node::Float(f) => Some(Cow::Owned(format_float(*f))),
            Node::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Node::Null | Node::Seq(_) | Node::Map(_) => None,
        }
    }

    /// True when [`Node::scalar_text`] is surely what the file says. A float
    /// or boolean may have been spelt otherwise (`1.50`, `True`).
    pub fn is_exact_text(&self) -> bool {
        matches!(self, Node::Str(_) | Node::Int(_))
    }

    /// A key as text, for field-name matching. Non-string keys get a
    /// readable stand-in so they can still be reported.
    pub fn key_text(&self) -> Cow<'a, str> {
        self.scalar_text().unwrap_or(Cow::Borrowed(match self {
            Node::Null => "~",
            Node::Seq(_) => "[...]",
            _ => "{...}",
        }))
    }
}

fn format_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else {
        f.to_string()
    }
}

/// Nesting deeper than this is refused, as serde_yaml refuses it.
const MAX_NESTING: usize = 128;

/// Aliases may be expanded at most this many times the document's events,
/// as in serde_yaml ("billion laughs"), and the nodes they copy number at
/// most this many times the events read before each copy (stricter than
/// serde_yaml, whose count lets one alias copy a list of any width).
const EXPANSION_FACTOR: u64 = 100;

/// A parsed document: its root and where every node is.
#[derive(Debug, Clone)]
pub struct Tree<'a> {
    pub root: Node<'a>,
    /// The text the spans point into, from byte `base` of the file on: the
    /// whole file, or for an item read from a file not held whole
    /// ([`parse_tree_read`]) the item's own bytes and the blanks before it.
    text: Cow<'a, str>,
    base: usize,
    /// Per node in document order (a mapping, then its first key, that
    /// key's value, the next key...): byte start, byte end and how many
    /// nodes its subtree holds (itself included). The nodes an alias
    /// expands to all take the alias's place.
    spans: Vec<NodeSpan>,
}

#[derive(Debug, Clone, Copy)]
struct NodeSpan {
    start: u32,
    end: u32,
    size: u32,
}

/// A byte range in a file's text, from the parse that read it. Files are
/// at most 256 MiB, so offsets fit in 32 bits.
#[derive(
    serde::Serialize,
    serde::Deserialize,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    PartialOrd,
    Ord,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: sat32(start),
            end: sat32(end.max(start)),
        }
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn len(self) -> usize {
        self.end() - self.start()
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// Where a node is: [`Tree::locate`]'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// Byte offset of what to point at.
    pub offset: usize,
    /// Byte length of it (0 at the end of the file, or for an empty
    /// document).
    pub len: usize,
    /// `false` when the path does not exist in full and this is the
    /// deepest node on it that does.
    pub exact: bool,
}

/// A failure of the YAML reader itself, with the byte offset it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// Where the problem is, when known.
    pub at: Option<usize>,
    /// What the reader was in the middle of, and where that began ("while
    /// scanning a quoted scalar" at the opening quote), when that is
    /// elsewhere.
    pub context: Option<(String, Option<usize>)>,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    Syntax,
    MultipleDocuments,
    /// Alias expansion past the reader's limit ("billion laughs").
    Limit,
    /// Nesting past the reader's recursion limit.
    TooDeep,
}

impl ParseError {
    fn new(kind: ParseErrorKind, message: impl Into<String>, at: Option<usize>) -> Self {
        ParseError {
            message: message.into(),
            at,
            context: None,
            kind,
        }
    }

    fn of_failure(f: Failure) -> Self {
        // serde_yaml's rules: a problem has a line, else an offset (reader
        // problems), and a context is placed only where it differs.
        let at = if f.problem_mark.has_line() || f.problem_offset == 0 {
            f.problem_mark.offset
        } else {
            f.problem_offset
        };
        let context = f.context.map(|(c, m)| {
            let elsewhere = m.has_line()
                && (m.line != f.problem_mark.line || m.column != f.problem_mark.column);
            (c, elsewhere.then_some(m.offset))
        });
        ParseError {
            message: f.problem,
            at: Some(at),
            context,
            kind: ParseErrorKind::Syntax,
        }
    }
}

/// Parses one YAML document into a [`Node`]. An empty document is `Null`.
///
/// # Errors
///
/// As [`parse_tree`].
pub fn parse(text: &str) -> Result<Node<'_>, ParseError> {
    parse_tree(text).map(|t| t.root)
}

/// Parses one YAML document into a [`Tree`].
///
/// # Errors
///
/// Syntax errors, more than one document, and the limits on alias
/// expansion ("billion laughs") and nesting.
pub fn parse_tree(text: &str) -> Result<Tree<'_>, ParseError> {
    build(text, None)
}

/// One item of a top-level list (`events:`, ...), read in full: what
/// [`parse_tree_streaming`] hands over as soon as the item ends.
pub struct StreamedItem<'t, 'a> {
    /// The key of the root mapping's entry whose list holds the item.
    pub key: &'t Node<'a>,
    /// The root mapping's entries before that one (their lists streamed,
    /// so empty).
    pub before: &'t [(Node<'a>, Node<'a>)],
    /// The item's index in its list.
    pub index: usize,
    /// The item alone, as a tree whose root is the item (spans are the
    /// file's byte offsets).
    pub tree: Tree<'a>,
}

/// [`parse_tree`] for large files: each item of a list directly under the
/// root mapping goes to `sink` once read, with its own tree, and is not
/// kept; the tree returned has those lists empty. A caller that converts
/// each item as it comes holds one item's tree at a time, never the whole
/// file's. A list written with an anchor (`events: &x`) is kept whole,
/// since an alias may copy it. When the parse fails, the items already
/// handed over are the failed file's and must be dropped.
///
/// # Errors
///
/// As [`parse_tree`].
pub fn parse_tree_streaming<'a>(
    text: &'a str,
    sink: &mut dyn FnMut(StreamedItem<'_, 'a>),
) -> Result<Tree<'a>, ParseError> {
    build(text, Some(sink))
}

/// [`parse_tree_streaming`] for a file not held whole: `read` gives its
/// `len` bytes a block at a time, as the reader asks. Each item handed to
/// `sink` carries its own bytes (and the blanks before it) for
/// [`Tree::locate`]; the tree returned carries none, so `locate` on it
/// finds the node but not how much of it to show, and its errors say what
/// failed but, for a second document, not always where. A caller that
/// needs either reads the text whole and parses it again.
///
/// # Errors
///
/// As [`parse_tree`], and a failed read.
pub fn parse_tree_read<'a>(
    read: Read<'a>,
    len: usize,
    sink: &mut dyn FnMut(StreamedItem<'_, 'a>),
) -> Result<Tree<'a>, ParseError> {
    let window = Rc::new(RefCell::new(Window::default()));
    let seen = Rc::clone(&window);
    let mut read = read;
    let events = Events::from_reader(Box::new(move |buf: &mut [u8]| {
        let n = read(buf)?;
        seen.borrow_mut().push(&buf[..n]);
        Ok(n)
    }));
    build_from(events, "", len, Some(window), Some(sink))
}

/// The bytes the reader was given since the end of the last item handed
/// over: what the next item's tree shows from.
#[derive(Default)]
struct Window {
    bytes: Vec<u8>,
    /// The first byte still kept, in `bytes`, and its offset in the file.
    from: usize,
    base: usize,
}

impl Window {
    fn push(&mut self, more: &[u8]) {
        // What was handed over is dropped only once it is half the buffer:
        // each byte is moved at most once or twice.
        if self.from > 0 && self.from >= self.bytes.len() / 2 {
            self.bytes.drain(..self.from);
            self.from = 0;
        }
        self.bytes.extend_from_slice(more);
    }

    /// The bytes from the last cut to `end` (a file offset), which becomes
    /// the next cut: its offset and its text.
    fn cut(&mut self, end: usize) -> (usize, String) {
        let base = self.base;
        let to = (self.from + end.saturating_sub(base)).min(self.bytes.len());
        let text = String::from_utf8_lossy(&self.bytes[self.from..to]).into_owned();
        self.base += to - self.from;
        self.from = to;
        (base, text)
    }

    /// Whether the text starts with a byte order mark (nothing cut yet).
    fn starts_with_bom(&self) -> bool {
        self.base == 0 && self.bytes[self.from..].starts_with("\u{feff}".as_bytes())
    }
}

fn build<'a, 's>(
    text: &'a str,
    sink: Option<&'s mut dyn FnMut(StreamedItem<'_, 'a>)>,
) -> Result<Tree<'a>, ParseError> {
    build_from(Events::new(text), text, text.len(), None, sink)
}

fn build_from<'a, 's>(
    mut events: Events<'a>,
    text: &'a str,
    len: usize,
    window: Option<Rc<RefCell<Window>>>,
    sink: Option<&'s mut dyn FnMut(StreamedItem<'_, 'a>)>,
) -> Result<Tree<'a>, ParseError> {
    let mut b = Builder {
        text,
        len,
        window,
        stack: Vec::new(),
        spans: Vec::new(),
        anchors: HashMap::new(),
        jumps: 0,
        copied: 0,
        events: 0,
        first_alias: None,
        root: None,
        sink,
    };
    let mut documents = 0;
    while let Some(next) = events.next() {
        let (event, start, end) = match next {
            Ok(e) => e,
            Err(f) => {
                b.check_expansion()?;
                return Err(ParseError::of_failure(f));
            }
        };
        match event {
            Event::StreamStart => {}
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
            }
            Event::DocumentEnd => {
                b.check_expansion()?;
                // Anything but the end of the stream is a second document.
                match events.next() {
                    Some(Ok((Event::StreamEnd, ..))) | None => break,
                    Some(Ok((_, m, _))) => return Err(second_document(text, Some(m.offset))),
                    Some(Err(_)) => return Err(second_document(text, None)),
                }
            }
            other => b.event(other, start, end)?,
        }
    }
    debug_assert!(documents <= 1);
    b.check_expansion()?;
    let root = match b.root {
        Some(root) => root,
        None => {
            // An empty stream: one null node at the start.
            let bom = match &b.window {
                Some(w) => w.borrow().starts_with_bom(),
                None => text.starts_with('\u{feff}'),
            };
            let at = if bom { 3 } else { 0 };
            b.spans.push(NodeSpan {
                start: at,
                end: at,
                size: 1,
            });
            Node::Null
        }
    };
    Ok(Tree {
        root,
        text: Cow::Borrowed(text),
        base: 0,
        spans: b.spans,
    })
}

/// A second document, at `at` or, where the reader gave no place, at a
/// second byte order mark (which starts a document too).
fn second_document(text: &str, at: Option<usize>) -> ParseError {
    let from = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let bom = text[from..].find('\u{feff}').map(|i| i + from);
    ParseError::new(
        ParseErrorKind::MultipleDocuments,
        "the file holds more than one YAML document",
        at.or(bom),
    )
}

fn sat32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A collection being read.
struct Open<'a> {
    node: Node<'a>,
    key: Option<Node<'a>>,
    /// Its entry in `Builder::spans`.
    span: usize,
    /// Deepest nesting below it (1 for a collection of scalars).
    height: usize,
    anchor: Option<Vec<u8>>,
    /// `Builder::jumps` when it opened.
    jumps: u64,
    /// Items handed to the sink (a streamed list's own count).
    streamed: usize,
}

/// An anchored node, for aliases to copy.
struct Anchored<'a> {
    /// `None` while the node is still open: an alias to it would recurse.
    node: Option<Node<'a>>,
    height: usize,
    /// Alias expansions its own copy costs (the aliases inside it).
    cost: u64,
    /// Nodes in its subtree.
    size: usize,
}

struct Builder<'a, 's> {
    /// The whole text, or "" when it is read a block at a time (`window`).
    text: &'a str,
    /// The text's length in bytes.
    len: usize,
    window: Option<Rc<RefCell<Window>>>,
    stack: Vec<Open<'a>>,
    spans: Vec<NodeSpan>,
    anchors: HashMap<Vec<u8>, Anchored<'a>>,
    /// Alias expansions so far, counted as serde_yaml counts them.
    jumps: u64,
    /// Nodes the aliases so far copied. serde_yaml's count of jumps does
    /// not bound them: one alias of a wide list copies all of it.
    copied: u64,
    /// Events of the document so far (scalars, aliases, starts and ends).
    events: u64,
    first_alias: Option<usize>,
    root: Option<Node<'a>>,
    /// Where the items of top-level lists go, when streaming.
    sink: Option<&'s mut dyn FnMut(StreamedItem<'_, 'a>)>,
}

impl<'a> Builder<'a, '_> {
    fn event(&mut self, event: Event<'a>, start: Mark, end: Mark) -> Result<(), ParseError> {
        self.events += 1;
        match event {
            Event::Scalar {
                anchor,
                tag,
                value,
                style,
            } => {
                let node = resolve::scalar(value, style, tag.as_deref())
                    .map_err(|m| ParseError::new(ParseErrorKind::Syntax, m, Some(start.offset)))?;
                let span = self.spans.len();
                self.spans.push(NodeSpan {
                    start: sat32(start.offset),
                    end: sat32(end.offset),
                    size: 1,
                });
                if let Some(a) = anchor {
                    self.anchors.insert(
                        a,
                        Anchored {
                            node: Some(node.clone()),
                            height: 0,
                            cost: 0,
                            size: 1,
                        },
                    );
                }
                debug_assert_eq!(span + 1, self.spans.len());
                self.attach(node, 0, span);
            }
            Event::SequenceStart { anchor, .. } => {
                self.open(Node::Seq(Vec::new()), anchor, start)?
            }
            Event::MappingStart { anchor, .. } => {
                self.open(Node::Map(Vec::new()), anchor, start)?
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(end),
            Event::Alias { anchor } => self.alias(&anchor, start, end)?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn open(
        &mut self,
        node: Node<'a>,
        anchor: Option<Vec<u8>>,
        start: Mark,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_NESTING {
            return Err(too_deep(start.offset));
        }
        if let Some(a) = &anchor {
            self.anchors.insert(
                a.clone(),
                Anchored {
                    node: None,
                    height: 0,
                    cost: 0,
                    size: 0,
                },
            );
        }
        self.stack.push(Open {
            node,
            key: None,
            span: self.spans.len(),
            height: 1,
            anchor,
            jumps: self.jumps,
            streamed: 0,
        });
        self.spans.push(NodeSpan {
            start: sat32(start.offset),
            end: sat32(start.offset),
            size: 1,
        });
        Ok(())
    }

    fn close(&mut self, end: Mark) {
        let Some(open) = self.stack.pop() else { return };
        let size = self.spans.len() - open.span;
        if let Some(s) = self.spans.get_mut(open.span) {
            s.end = sat32(end.offset);
            s.size = sat32(size);
        }
        if let Some(a) = open.anchor {
            self.anchors.insert(
                a,
                Anchored {
                    node: Some(open.node.clone()),
                    height: open.height,
                    cost: self.jumps - open.jumps,
                    size,
                },
            );
        }
        self.attach(open.node, open.height, open.span);
    }

    fn alias(&mut self, anchor: &[u8], start: Mark, end: Mark) -> Result<(), ParseError> {
        self.first_alias.get_or_insert(start.offset);
        let Some(a) = self.anchors.get(anchor) else {
            return Err(ParseError::new(
                ParseErrorKind::Syntax,
                "unknown anchor",
                Some(start.offset),
            ));
        };
        // An alias inside its own anchor expands without end.
        let Some(node) = &a.node else {
            return Err(too_deep(start.offset));
        };
        if self.stack.len() + a.height > MAX_NESTING {
            return Err(too_deep(start.offset));
        }
        self.jumps += 1 + a.cost;
        // The exact limit needs the document's event count, known only at
        // its end; stop at once past what the rest of the text could hold
        // (fewer than four events a byte), so a bomb never grows memory.
        let rest = self.len.saturating_sub(end.offset) as u64;
        if self.jumps > EXPANSION_FACTOR * (self.events + 4 * rest + 16) {
            return Err(self.limit());
        }
        // Memory follows the text: the copies may hold at most the
        // factor times the events read so far, checked before copying.
        // The jump limit above alone let a bomb followed by a long tail
        // (comments count as events it might hold) or many aliases of a
        // wide list grow to gigabytes before it refused.
        self.copied += a.size as u64;
        if self.copied > EXPANSION_FACTOR * (self.events + 16) {
            return Err(self.limit());
        }
        let (node, height, size) = (node.clone(), a.height, a.size);
        let here = NodeSpan {
            start: sat32(start.offset),
            end: sat32(end.offset),
            size: 1,
        };
        let first = self.spans.len();
        self.spans.resize(first + size, here);
        // The copy's subtree sizes, so that paths into it can be walked.
        if let Some(s) = self.spans.get_mut(first) {
            s.size = sat32(size);
        }
        self.attach(node, height, first);
        Ok(())
    }

    /// The limit on alias expansion, checked against every event so far.
    fn check_expansion(&self) -> Result<(), ParseError> {
        if self.jumps > EXPANSION_FACTOR * self.events.max(1) {
            return Err(self.limit());
        }
        Ok(())
    }

    fn limit(&self) -> ParseError {
        ParseError::new(
            ParseErrorKind::Limit,
            "aliases expand to more values than the reader allows",
            self.first_alias,
        )
    }

    /// Adds a finished node to the open collection, or makes it the root.
    /// `first` is its first entry in `spans` (its subtree's run from there).
    fn attach(&mut self, node: Node<'a>, height: usize, first: usize) {
        if self.streams() {
            self.stream(node, height, first);
            return;
        }
        let Some(top) = self.stack.last_mut() else {
            self.root.get_or_insert(node);
            return;
        };
        top.height = top.height.max(height + 1);
        match &mut top.node {
            Node::Seq(items) => items.push(node),
            Node::Map(entries) => match top.key.take() {
                Some(k) => entries.push((k, node)),
                None => top.key = Some(node),
            },
            _ => {}
        }
    }

    /// Whether a node finished now is an item of a top-level list that
    /// goes to the sink: the open collections are the root mapping (at a
    /// value) and a sequence without an anchor.
    fn streams(&self) -> bool {
        self.sink.is_some()
            && matches!(
                self.stack.as_slice(),
                [root, list] if matches!(root.node, Node::Map(_))
                    && root.key.is_some()
                    && matches!(list.node, Node::Seq(_))
                    && list.anchor.is_none()
            )
    }

    /// Hands a top-level list's item to the sink with its spans, and keeps
    /// neither. The list's height is counted as if the item were kept, so
    /// alias limits stay the same.
    fn stream(&mut self, node: Node<'a>, height: usize, first: usize) {
        let spans = self.spans.split_off(first.min(self.spans.len()));
        let [root, list] = self.stack.as_mut_slice() else {
            return;
        };
        let (Some(sink), Node::Map(before), Some(key)) =
            (self.sink.as_mut(), &root.node, root.key.as_ref())
        else {
            return;
        };
        list.height = list.height.max(height + 1);
        let index = list.streamed;
        list.streamed += 1;
        let (text, base) = match &self.window {
            None => (Cow::Borrowed(self.text), 0),
            Some(w) => {
                let end = spans.first().map_or(0, |s| s.end as usize);
                let (base, text) = w.borrow_mut().cut(end);
                (Cow::Owned(text), base)
            }
        };
        sink(StreamedItem {
            key,
            before,
            index,
            tree: Tree {
                root: node,
                text,
                base,
                spans,
            },
        });
    }
}

fn too_deep(at: usize) -> ParseError {
    ParseError::new(
        ParseErrorKind::TooDeep,
        "the YAML is nested deeper than the reader allows",
        Some(at),
    )
}

impl<'a> Tree<'a> {
    /// A cursor on the root, to walk nodes with their spans (the store's
    /// edits are computed against them).
    pub fn cursor(&self) -> Cursor<'_, 'a> {
        Cursor {
            tree: self,
            node: &self.root,
            at: 0,
        }
    }

    /// Where the node at `path` is, to point at in a diagnostic.
    ///
    /// With [`Target::Key`], the key of the path's last [`Seg::Key`]
    /// segment; when the path has no key segment, the value, with `exact`
    /// false. When the path does not exist in full, the deepest existing
    /// node on it, with `exact` false.
    ///
    /// What is pointed at: a scalar's text (an opening quote included, a
    /// block scalar's `|` or `>` indicator); a flow collection's `[` or
    /// `{`; a block sequence's first `-`; a block mapping's first key; an
    /// empty value's key, an empty sequence item's `-`; an alias's
    /// `*name`; an anchored or tagged node's content after `&a` and `!t`.
    pub fn locate(&self, path: &YamlPath) -> Located {
        let w = self.walk(path);
        match (path.target, w.last_key) {
            (Target::Key, Some((k, k_at))) if w.exact => self.shown(k_at, k, None, true),
            (Target::Key, _) => self.shown(w.at, w.node, w.parent_key, false),
            (Target::Value, _) => self.shown(w.at, w.node, w.parent_key, w.exact),
        }
    }

    /// The whole span of each item of the top-level list `key` (its first
    /// occurrence), in order; empty when there is no such list.
    pub fn item_spans(&self, key: &str) -> Vec<Span> {
        let w = self.walk(&YamlPath::root().key(key));
        let Node::Seq(items) = w.node else {
            return Vec::new();
        };
        if !w.exact {
            return Vec::new();
        }
        let mut child = w.at + 1;
        let mut out = Vec::with_capacity(items.len());
        for _ in items {
            let s = self.spans.get(child).copied();
            out.push(s.map_or(Span::default(), |s| Span {
                start: s.start,
                end: s.end,
            }));
            child += self.size(child);
        }
        out
    }

    /// The whole span of the node at `path`, when it exists.
    pub fn node_span(&self, path: &YamlPath) -> Option<Span> {
        let w = self.walk(path);
        let s = self.spans.get(w.at).filter(|_| w.exact)?;
        Some(Span {
            start: s.start,
            end: s.end,
        })
    }

    /// Follows `path` as far as it exists.
    fn walk(&self, path: &YamlPath) -> Walked<'_, 'a> {
        let mut w = Walked {
            node: &self.root,
            at: 0,
            last_key: None,
            parent_key: None,
            exact: true,
        };
        for seg in &path.segs {
            let next = match (seg, w.node) {
                (Seg::Key { name, nth }, Node::Map(entries)) => {
                    let mut child = w.at + 1;
                    let mut found = None;
                    let mut seen = 0;
                    for (k, v) in entries {
                        let v_at = child + self.size(child);
                        if k.key_text() == name.as_str() {
                            if seen == *nth {
                                found = Some((k, child, v, v_at));
                                break;
                            }
                            seen += 1;
                        }
                        child = v_at + self.size(v_at);
                    }
                    found.map(|(k, k_at, v, v_at)| {
                        w.last_key = Some((k, k_at));
                        w.parent_key = Some((k, k_at));
                        (v, v_at)
                    })
                }
                (Seg::Index(i), Node::Seq(items)) if *i < items.len() => {
                    let mut child = w.at + 1;
                    for _ in 0..*i {
                        child += self.size(child);
                    }
                    w.parent_key = None;
                    Some((&items[*i], child))
                }
                _ => None,
            };
            match next {
                Some((n, i)) => {
                    w.node = n;
                    w.at = i;
                }
                None => {
                    w.exact = false;
                    break;
                }
            }
        }
        w
    }

    fn size(&self, i: usize) -> usize {
        self.spans.get(i).map_or(1, |s| s.size.max(1) as usize)
    }

    /// What to point at for `node`, number `i` (see [`Tree::locate`]).
    fn shown(
        &self,
        i: usize,
        node: &Node<'a>,
        key: Option<(&Node<'a>, usize)>,
        exact: bool,
    ) -> Located {
        let Some(s) = self.spans.get(i) else {
            return Located {
                offset: 0,
                len: 0,
                exact,
            };
        };
        // Offsets into `text`, which starts at byte `base` of the file.
        let Some((start, end)) = (s.start as usize)
            .checked_sub(self.base)
            .zip((s.end as usize).checked_sub(self.base))
        else {
            return Located {
                offset: s.start as usize,
                len: 0,
                exact,
            };
        };
        let (text, base) = (self.text.as_ref(), self.base);
        let bytes = text.as_bytes();
        if start == end {
            // An empty scalar: its key, or the `-` before it; its own place
            // otherwise (the root of an empty document).
            if let Some((k, k_at)) = key {
                return self.shown(k_at, k, None, exact);
            }
            if start > 0 && bytes.get(start - 1) == Some(&b'-') {
                return Located {
                    offset: base + start - 1,
                    len: 1,
                    exact,
                };
            }
            return Located {
                offset: base + start,
                len: 0,
                exact,
            };
        }
        let content = skip_properties(text, start, end);
        let first = bytes.get(content).copied();
        let len = match node {
            Node::Map(entries) if !entries.is_empty() && first != Some(b'{') => {
                return self.shown(i + 1, &entries[0].0, None, exact);
            }
            Node::Seq(_) | Node::Map(_) => char_len(text, content),
            _ if matches!(first, Some(b'|' | b'>')) => token_len(text, content),
            _ => end.saturating_sub(content),
        };
        Located {
            offset: base + content,
            len,
            exact,
        }
    }
}

/// Bytes of the character at `at` (0 at the end).
fn char_len(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8)
}

/// How far a path goes in a tree: the node reached, its number, the last
/// key on the way and the key of the node reached (if it is a value).
struct Walked<'t, 'a> {
    node: &'t Node<'a>,
    at: usize,
    last_key: Option<(&'t Node<'a>, usize)>,
    parent_key: Option<(&'t Node<'a>, usize)>,
    exact: bool,
}

/// Where `path` is, read from the bytes of the item it is in alone: its
/// first segments name the item (`events[3]`, or the `settings` mapping),
/// whose span the load kept (`path.item`). A block item is read from the start of its line
/// (`  - id: ...` is a one-item list); a flow item is read as it is.
/// `None` when the item's bytes do not read as an item any more (the file
/// changed since it was loaded).
pub fn locate_in_item(text: &str, path: &YamlPath) -> Option<Located> {
    let (item, depth) = path.item?;
    let (start, end) = (item.start(), item.end().min(text.len()));
    let bytes = text.as_bytes();
    let (from, in_list) = if matches!(bytes.get(start), Some(b'{' | b'[')) {
        (start, false)
    } else {
        let line = text.get(..start)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line = line.max(crate::line_index::bom_len(text));
        let lead = text.get(line..start)?;
        if !lead.bytes().all(|b| matches!(b, b' ' | b'-')) {
            return None;
        }
        (line, lead.contains('-'))
    };
    let tree = parse_tree(text.get(from..end)?).ok()?;
    let mut segs = Vec::with_capacity(path.segs.len());
    if in_list {
        segs.push(Seg::Index(0));
    }
    segs.extend(path.segs.iter().skip(depth).cloned());
    let inner = YamlPath {
        segs,
        target: path.target,
        item: None,
    };
    let mut found = tree.locate(&inner);
    found.offset += from;
    Some(found)
}

/// The offset of a node's content after its `&anchor` and `!tag`.
pub(crate) fn skip_properties(text: &str, mut at: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    for _ in 0..2 {
        if !matches!(bytes.get(at), Some(b'&' | b'!')) || at >= end {
            break;
        }
        while at < end && !matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
            at += 1;
        }
        while at < end && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
            at += 1;
        }
    }
    at
}

/// Bytes of the token at `at`: up to whitespace.
fn token_len(text: &str, at: usize) -> usize {
    text[at..]
        .find([' ', '\t', '\n', '\r'])
        .unwrap_or(text.len() - at)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_duplicate_keys_and_order() {
        let n = parse("b: 1\na: x\nb: 2\n").unwrap();
        let Node::Map(entries) = n else { panic!() };
        let keys: Vec<_> = entries.iter().map(|(k, _)| k.key_text()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
    }

    #[test]
    fn dates_stay_strings_and_years_are_ints() {
        let n = parse("a: 2024-01-06\nb: 2024\nc: '2024'\n").unwrap();
        let Node::Map(e) = n else { panic!() };
        assert_eq!(e[0].1, Node::Str("2024-01-06".into()));
        assert_eq!(e[1].1, Node::Int(2024));
        assert_eq!(e[2].1, Node::Str("2024".into()));
    }

    #[test]
    fn plain_strings_borrow_from_the_text() {
        let n = parse("key: value\n").unwrap();
        let Node::Map(e) = n else { panic!() };
        assert!(matches!(e[0].1, Node::Str(Cow::Borrowed("value"))));
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("").unwrap(), Node::Null);
        assert_eq!(parse("# only a comment\n").unwrap(), Node::Null);
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::Syntax);
        assert!(e.at.is_some());
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn context_keeps_its_own_place() {
        let e = parse("a: 1\nb: \"open\n").unwrap_err();
        assert_eq!(e.message, "found unexpected end of stream");
        assert_eq!(e.at, Some(14));
        assert_eq!(
            e.context,
            Some(("while scanning a quoted scalar".to_string(), Some(8)))
        );
    }

    #[test]
    fn reader_errors_before_lines_are_counted_keep_their_offset() {
        let e = parse("a: 1\nb: \"x\x1by\"\n").unwrap_err();
        assert_eq!(e.message, "control characters are not allowed");
        assert_eq!(e.at, Some(10));
    }

    #[test]
    fn deep_nesting_is_its_own_kind() {
        let e = parse(&"[".repeat(1000)).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::TooDeep);
        assert_eq!(e.at, Some(128));
    }

    #[test]
    fn two_documents_are_refused() {
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::MultipleDocuments);
        assert_eq!(e.at, Some(5));
    }

    #[test]
    fn alias_bomb_hits_the_limit() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse(&s).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::Limit);
        assert_eq!(e.at, s.find("*a0"));
    }

    #[test]
    fn spans_locate_paths() {
        let text = "events:\n  - id: a\n    title: 'T'\n    empty:\n  - [x, y]\n";
        let t = parse_tree(text).unwrap();
        let at = |p: YamlPath| {
            let l = t.locate(&p);
            (&text[l.offset..l.offset + l.len], l.exact)
        };
        let ev = YamlPath::root().key("events");
        assert_eq!(at(ev.clone()), ("-", true));
        assert_eq!(at(ev.index(0)), ("id", true));
        assert_eq!(at(ev.index(0).key("title")), ("'T'", true));
        assert_eq!(at(ev.index(0).key("title").at_key()), ("title", true));
        assert_eq!(at(ev.index(0).key("empty")), ("empty", true));
        assert_eq!(at(ev.index(0).key("nope")), ("id", false));
        assert_eq!(at(ev.index(1)), ("[", true));
        assert_eq!(at(ev.index(1).index(1)), ("y", true));
    }

    #[test]
    fn aliases_expand_and_point_at_the_alias() {
        let text = "a: &x {k: v}\nb: *x\n";
        let t = parse_tree(text).unwrap();
        let Node::Map(e) = &t.root else { panic!() };
        assert_eq!(e[0].1, e[1].1);
        let l = t.locate(&YamlPath::root().key("b").key("k"));
        assert_eq!(&text[l.offset..l.offset + l.len], "*x");
        let l = t.locate(&YamlPath::root().key("a").key("k"));
        assert_eq!(&text[l.offset..l.offset + l.len], "v");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = "\u{feff}a: b\n";
        let t = parse_tree(text).unwrap();
        let l = t.locate(&YamlPath::root().key("a"));
        assert_eq!(&text[l.offset..l.offset + l.len], "b");
    }
}

/// A node of a [`Tree`] with its place: walk a tree with spans without
/// building paths.
#[derive(Debug, Clone, Copy)]
pub struct Cursor<'t, 'a> {
    tree: &'t Tree<'a>,
    node: &'t Node<'a>,
    at: usize,
}

impl<'t, 'a> Cursor<'t, 'a> {
    pub fn node(&self) -> &'t Node<'a> {
        self.node
    }

    /// The node's whole span (an `&anchor` or `!tag` included).
    pub fn span(&self) -> Span {
        self.tree
            .spans
            .get(self.at)
            .map_or(Span::default(), |s| Span {
                start: s.start,
                end: s.end,
            })
    }

    /// A mapping's entries as (key, value) cursors; empty for other nodes.
    pub fn entries(&self) -> Vec<(Cursor<'t, 'a>, Cursor<'t, 'a>)> {
        let Node::Map(entries) = self.node else {
            return Vec::new();
        };
        let mut child = self.at + 1;
        let mut out = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let v_at = child + self.tree.size(child);
            out.push((self.at_node(k, child), self.at_node(v, v_at)));
            child = v_at + self.tree.size(v_at);
        }
        out
    }

    /// A sequence's items; empty for other nodes.
    pub fn items(&self) -> Vec<Cursor<'t, 'a>> {
        let Node::Seq(items) = self.node else {
            return Vec::new();
        };
        let mut child = self.at + 1;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(self.at_node(item, child));
            child += self.tree.size(child);
        }
        out
    }

    /// The value of the first entry whose key is `key`.
    pub fn get(&self, key: &str) -> Option<Cursor<'t, 'a>> {
        self.entries()
            .into_iter()
            .find(|(k, _)| k.node.key_text() == key)
            .map(|(_, v)| v)
    }

    fn at_node(&self, node: &'t Node<'a>, at: usize) -> Cursor<'t, 'a> {
        Cursor {
            tree: self.tree,
            node,
            at,
        }
    }
}
