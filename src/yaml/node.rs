//! A lenient YAML tree, read through serde so that any shape loads.
//!
//! The loader does not deserialize straight into typed records: one misspelt
//! field would then stop the whole file at the first problem. It reads each
//! file into a [`Node`] tree instead and checks the shape itself, so every
//! problem in every record is reported in one run. Strings borrow from the
//! file's text where YAML allows it, which keeps this as cheap as typed
//! deserialization.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

use super::span;

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

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Node::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Node::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Node::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Ok(i128::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Node::Float(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Node::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Node::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Node::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
        while let Some((k, v)) = map.next_entry()? {
            entries.push((k, v));
        }
        Ok(Node::Map(entries))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A YAML tag such as `!foo value`: keep the value, drop the tag.
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        de::VariantAccess::newtype_variant::<Node<'de>>(variant)
    }
}

/// A failure of the YAML reader itself, with the position it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// Where the problem is.
    pub at: ErrorPlace,
    /// What the reader was in the middle of, and where that began ("while
    /// scanning a quoted scalar" at the opening quote).
    pub context: Option<(String, ErrorPlace)>,
    pub kind: ParseErrorKind,
}

/// Where a reader error is, in the form the reader gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPlace {
    /// 1-based line and column.
    LineCol(usize, usize),
    /// A byte offset (the reader's own checks, before it counts lines).
    Offset(usize),
    /// Unknown.
    Nowhere,
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

/// Parses one YAML document into a [`Node`]. An empty document is `Null`.
///
/// # Errors
///
/// Syntax errors, more than one document, and the reader's limits on alias
/// expansion ("billion laughs") and recursion.
pub fn parse(text: &str) -> Result<Node<'_>, ParseError> {
    let de = serde_yaml::Deserializer::from_str(text);
    Node::deserialize(de).map_err(|e| {
        let msg = e.to_string();
        let kind = if msg.contains("more than one document") {
            ParseErrorKind::MultipleDocuments
        } else if msg.contains("repetition limit") {
            ParseErrorKind::Limit
        } else if msg.contains("recursion limit") {
            ParseErrorKind::TooDeep
        } else {
            ParseErrorKind::Syntax
        };
        // The reader's message is "PROBLEM at PLACE, CONTEXT at PLACE"; we
        // render places ourselves.
        let (problem, context) = match msg.split_once(", while ") {
            Some((p, c)) => (p, Some(format!("while {c}"))),
            None => (msg.as_str(), None),
        };
        let (problem, problem_at) = split_place(problem);
        let at = match (problem_at, e.location()) {
            (ErrorPlace::Nowhere, Some(l)) => ErrorPlace::LineCol(l.line(), l.column()),
            (at, _) => at,
        };
        let at = yaml12_place(text, at);
        let context = context.map(|c| {
            let (c, at) = split_place(&c);
            (c.to_string(), yaml12_place(text, at))
        });
        let (message, at) = match kind {
            // serde_yaml says neither what nor where for these two.
            ParseErrorKind::MultipleDocuments => (
                "the file holds more than one YAML document".to_string(),
                match place_of(span::second_document(text)) {
                    // A second byte order mark starts a document too.
                    ErrorPlace::Nowhere => second_bom(text).map_or(ErrorPlace::Nowhere, |o| {
                        let p = span::position_at(text, o);
                        ErrorPlace::LineCol(p.line as usize, p.column as usize)
                    }),
                    p => p,
                },
            ),
            ParseErrorKind::Limit => (
                "aliases expand to more values than the reader allows".to_string(),
                place_of(span::first_alias(text)),
            ),
            ParseErrorKind::TooDeep => (
                "the YAML is nested deeper than the reader allows".to_string(),
                at,
            ),
            ParseErrorKind::Syntax => (problem.to_string(), at),
        };
        ParseError {
            message,
            at,
            context: context.filter(|_| kind == ParseErrorKind::Syntax),
            kind,
        }
    })
}

/// The first byte order mark after the start of `text`, if any.
fn second_bom(text: &str) -> Option<usize> {
    let from = if text.starts_with('\u{feff}') { 3 } else { 0 };
    text[from..].find('\u{feff}').map(|i| i + from)
}

/// libyaml counts lines as YAML 1.1 does, also at NEL (U+0085) and the
/// Unicode line and paragraph separators; YAML 1.2, the span reader and
/// everything else here break lines only at `\n`, `\r\n` and a lone `\r`.
/// Turns libyaml's 1-based line and column into that count, so a
/// separator in a comment does not shift the lines below it.
fn yaml12_place(text: &str, at: ErrorPlace) -> ErrorPlace {
    let ErrorPlace::LineCol(line, col) = at else {
        return at;
    };
    if !text.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        return at;
    }
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut chars = text[bom..].char_indices().peekable();
    let mut offset = text.len();
    let (mut l, mut c) = (1, 1);
    while let Some((i, ch)) = chars.next() {
        if l == line && c == col {
            offset = bom + i;
            break;
        }
        match ch {
            '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {}
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                if l == line {
                    // Past the end of the line: its break.
                    offset = bom + i;
                    break;
                }
                l += 1;
                c = 1;
            }
            _ => c += 1,
        }
    }
    let p = span::position_at(text, offset);
    ErrorPlace::LineCol(p.line as usize, p.column as usize)
}

fn place_of(p: Option<span::Position>) -> ErrorPlace {
    p.map_or(ErrorPlace::Nowhere, |p| {
        ErrorPlace::LineCol(p.line as usize, p.column as usize)
    })
}

/// Splits "MESSAGE at line L column C" or "MESSAGE at position N" into the
/// message and the place.
fn split_place(s: &str) -> (&str, ErrorPlace) {
    if let Some((m, place)) = s.rsplit_once(" at line ") {
        if let Some((l, c)) = place.split_once(" column ") {
            if let (Ok(l), Ok(c)) = (l.parse(), c.parse()) {
                return (m, ErrorPlace::LineCol(l, c));
            }
        }
    }
    if let Some((m, n)) = s.rsplit_once(" at position ") {
        if let Ok(n) = n.parse() {
            return (m, ErrorPlace::Offset(n));
        }
    }
    (s, ErrorPlace::Nowhere)
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
        assert!(matches!(e.at, ErrorPlace::LineCol(..)));
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn context_keeps_its_own_place() {
        let e = parse("a: 1\nb: \"open\n").unwrap_err();
        assert_eq!(e.message, "found unexpected end of stream");
        assert_eq!(e.at, ErrorPlace::LineCol(3, 1));
        assert_eq!(
            e.context,
            Some((
                "while scanning a quoted scalar".to_string(),
                ErrorPlace::LineCol(2, 4)
            ))
        );
    }

    #[test]
    fn reader_errors_before_lines_are_counted_keep_their_offset() {
        let e = parse("a: 1\nb: \"x\x1by\"\n").unwrap_err();
        assert_eq!(e.message, "control characters are not allowed");
        assert_eq!(e.at, ErrorPlace::Offset(10));
    }

    #[test]
    fn deep_nesting_is_its_own_kind() {
        let e = parse(&"[".repeat(1000)).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::TooDeep);
        assert!(matches!(e.at, ErrorPlace::LineCol(1, _)));
    }

    #[test]
    fn two_documents_are_refused() {
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::MultipleDocuments);
        assert_eq!(e.at, ErrorPlace::LineCol(2, 1));
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
        assert_eq!(e.at, ErrorPlace::LineCol(2, 10));
    }
}
