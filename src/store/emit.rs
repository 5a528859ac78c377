//! Writing new items as YAML text that reads back exactly.
//!
//! A [`Value`] is what `add` means to write; [`block_item`] and
//! [`flow_item`] turn it into lines in the style of the file. Every scalar
//! goes through [`scalar`], which writes it plain only when it is surely read
//! back as the same string (by this reader and by YAML 1.1 readers, which
//! take `yes`, `on` or `off` for booleans) and double-quoted with escapes
//! otherwise. [`Value::matches`] is the check that it did.

use crate::yaml::Node;
use std::borrow::Cow;
use std::fmt::Write as _;

/// A value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string that must read back as a string.
    Str(String),
    /// A date: may be written plain when it reads back as the same text,
    /// even as a number (`2024`).
    Date(String),
    /// A list; `flow` writes it `[a, b]` inside a block item.
    List { items: Vec<Value>, flow: bool },
    /// A mapping with keys in writing order.
    Map(Vec<(&'static str, Value)>),
}

/// Where a scalar goes: block context allows `,` `[` `]` `{` `}` inside
/// plain scalars; flow context does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Block,
    Flow,
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    /// Whether `node`, read back from the text written for `self`, is the
    /// same value.
    pub fn matches(&self, node: &Node<'_>) -> bool {
        match (self, node) {
            (Value::Str(s), Node::Str(n)) => s == n,
            (Value::Date(s), Node::Str(n)) => s == n,
            (Value::Date(s), Node::Int(i)) => *s == i.to_string(),
            (Value::List { items, .. }, Node::Seq(nodes)) => {
                items.len() == nodes.len() && items.iter().zip(nodes).all(|(v, n)| v.matches(n))
            }
            (Value::Map(entries), Node::Map(nodes)) => {
                entries.len() == nodes.len()
                    && entries.iter().zip(nodes).all(|((k, v), (nk, nv))| {
                        matches!(nk, Node::Str(t) if t == k) && v.matches(nv)
                    })
            }
            _ => false,
        }
    }
}

/// How block items are laid out in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockStyle {
    /// Column of the item's `-`.
    pub dash_col: usize,
    /// Column of the item's keys (at least `dash_col + 2`).
    pub key_col: usize,
    /// Indentation of a nested block list's `-` past its key (0 or more).
    pub nested: usize,
}

impl Default for BlockStyle {
    fn default() -> Self {
        BlockStyle {
            dash_col: 2,
            key_col: 4,
            nested: 2,
        }
    }
}

/// The lines of a block sequence item (without line breaks). `item` must be
/// a [`Value::Map`]; lists in it are written as block lists of flow values,
/// or as flow lists when marked `flow`.
pub fn block_item(item: &Value, style: &BlockStyle) -> Vec<String> {
    let Value::Map(entries) = item else {
        return vec![format!("{}- {}", spaces(style.dash_col), flow(item))];
    };
    let key_col = style.key_col.max(style.dash_col + 2);
    let mut lines = Vec::new();
    for (i, (key, value)) in entries.iter().enumerate() {
        let indent = if i == 0 {
            format!(
                "{}-{}",
                spaces(style.dash_col),
                spaces(key_col - style.dash_col - 1)
            )
        } else {
            spaces(key_col)
        };
        match value {
            Value::List { items, flow: false } => {
                lines.push(format!("{indent}{key}:"));
                for v in items {
                    lines.push(format!("{}- {}", spaces(key_col + style.nested), flow(v)));
                }
            }
            Value::Map(_) => {
                lines.push(format!("{indent}{key}: {}", flow(value)));
            }
            _ => lines.push(format!(
                "{indent}{key}: {}",
                scalar_of(value, Context::Block)
            )),
        }
    }
    lines
}

/// An item written as one flow mapping: `{id: a, actors: [x, y]}`.
pub fn flow_item(item: &Value) -> String {
    flow(item)
}

fn flow(v: &Value) -> String {
    match v {
        Value::Str(_) | Value::Date(_) => scalar_of(v, Context::Flow).into_owned(),
        Value::List { items, .. } => {
            let parts: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(entries) => {
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", flow(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

fn scalar_of(v: &Value, cx: Context) -> Cow<'_, str> {
    match v {
        Value::Str(s) => scalar(s, cx),
        Value::Date(d) => date(d, cx),
        _ => Cow::Owned(flow(v)),
    }
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// A string as a YAML scalar that reads back as exactly that string.
pub fn scalar(s: &str, cx: Context) -> Cow<'_, str> {
    if plain_is_safe(s, cx) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(double_quoted(s))
    }
}

/// A date: plain when it is made of date characters and reads back as the
/// same text (`2024-01-06`, `2024-02~`, `2024`), quoted otherwise
/// (`"[2024-02-01..2024-02-10]"`, times with `:`).
pub fn date(s: &str, cx: Context) -> Cow<'_, str> {
    let plain = s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | 'X' | '~' | '?' | '%'))
        && reads_back(s, cx, |n| match n {
            Node::Str(t) => t == s,
            Node::Int(i) => i.to_string() == s,
            _ => false,
        });
    if plain {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(double_quoted(s))
    }
}

/// Words that YAML 1.1 readers take for booleans or null.
const RESERVED: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
];

fn plain_is_safe(s: &str, cx: Context) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    // A letter first rules out every indicator, quote, sign and digit
    // (numbers, dates, `-`, `?`, `:`, `#`, `&`, `*`, `!`, `|`, `>`, `%`, `@`,
    // backtick, `[`, `{`).
    first.is_alphabetic()
        && !s.ends_with(' ')
        && s.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | '-' | '_' | '.' | '\'' | '(' | ')' | '/' | ';' | '!' | '?' | '&' | '+'
                )
                || (matches!(c, ',' | ':' | '#' | '@' | '%' | '=' | '*' | '"' | '~')
                    && cx == Context::Block)
        })
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| c.is_control() || is_special_space(c))
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
        && reads_back(s, cx, |n| matches!(n, Node::Str(t) if t == s))
}

/// Characters that are letters or digits to Rust but that YAML or a
/// terminal treat specially.
fn is_special_space(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{a0}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
    )
}

/// Whether `plain` read back in context `cx` satisfies `ok`.
fn reads_back(plain: &str, cx: Context, ok: impl Fn(&Node<'_>) -> bool) -> bool {
    let doc = match cx {
        Context::Block => format!("k: {plain}\n"),
        Context::Flow => format!("[{plain}]\n"),
    };
    match crate::yaml::parse(&doc) {
        Ok(Node::Map(e)) if cx == Context::Block => e.len() == 1 && ok(&e[0].1),
        Ok(Node::Seq(items)) if cx == Context::Flow => items.len() == 1 && ok(&items[0]),
        _ => false,
    }
}

/// A double-quoted scalar: `\` and `"` escaped, and every character that
/// YAML does not keep as written (controls, line and paragraph
/// separators, the byte order mark, non-characters) as an escape.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || is_special_space(c) || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                let n = c as u32;
                if n <= 0xff {
                    let _ = write!(out, "\\x{n:02x}");
                } else {
                    let _ = write!(out, "\\u{n:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_when_safe() {
        assert_eq!(
            scalar("Kim Jong-un's message", Context::Block),
            "Kim Jong-un's message"
        );
        assert_eq!(
            scalar("Noto Peninsula, Japan", Context::Block),
            "Noto Peninsula, Japan"
        );
        assert_eq!(
            scalar("Noto Peninsula, Japan", Context::Flow),
            "\"Noto Peninsula, Japan\""
        );
        assert_eq!(scalar("金正恩", Context::Block), "金正恩");
        assert_eq!(
            scalar("https://example.org/a#b", Context::Block),
            "https://example.org/a#b"
        );
        assert_eq!(
            scalar("https://example.org/a", Context::Flow),
            "\"https://example.org/a\""
        );
    }

    #[test]
    fn quoted_when_not() {
        for s in [
            "yes", "No", "ON", "off", "null", "~", "", " x", "x ", "a: b", "a #b", "#x", "1.5",
            "2024",
        ] {
            assert!(scalar(s, Context::Block).starts_with('"'), "{s}");
        }
        assert_eq!(
            double_quoted("a\"b\\c\nd\te\u{7}"),
            "\"a\\\"b\\\\c\\nd\\te\\x07\""
        );
        assert_eq!(double_quoted("\u{2028}"), "\"\\u2028\"");
    }

    #[test]
    fn dates() {
        assert_eq!(date("2024-01-06", Context::Block), "2024-01-06");
        assert_eq!(date("2024", Context::Flow), "2024");
        assert_eq!(date("2024-02~", Context::Block), "2024-02~");
        assert_eq!(
            date("[2024-02-01..2024-02-10]", Context::Block),
            "\"[2024-02-01..2024-02-10]\""
        );
        assert_eq!(
            date("2024-01-06T10:30:00Z", Context::Block),
            "\"2024-01-06T10:30:00Z\""
        );
        assert_eq!(date("1.5", Context::Block), "\"1.5\"");
    }

    #[test]
    fn block_items_follow_the_style() {
        let item = Value::Map(vec![
            ("id", Value::str("a")),
            (
                "tags",
                Value::List {
                    items: vec![Value::str("x")],
                    flow: true,
                },
            ),
            (
                "actors",
                Value::List {
                    items: vec![
                        Value::str("b"),
                        Value::Map(vec![
                            ("actor", Value::str("c")),
                            ("role", Value::str("target")),
                        ]),
                    ],
                    flow: false,
                },
            ),
        ]);
        let lines = block_item(
            &item,
            &BlockStyle {
                dash_col: 0,
                key_col: 2,
                nested: 0,
            },
        );
        assert_eq!(
            lines,
            [
                "- id: a",
                "  tags: [x]",
                "  actors:",
                "  - b",
                "  - {actor: c, role: target}"
            ]
        );
        assert_eq!(
            flow_item(&item),
            "{id: a, tags: [x], actors: [b, {actor: c, role: target}]}"
        );
    }
}
