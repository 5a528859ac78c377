//! What the cursor is on, read from the line it is in and the lines above.
//!
//! Completion is asked for while the user types, when the file often does
//! not parse (`- {actor: ki`): so the cursor's field is found from the
//! text itself, as a person reads it, not from the YAML tree. The line
//! gives the key before the value (`actor: ki`, `member_of: [a, ki`); a
//! list item (`- ki`) takes the key of the nearest line above that is less
//! indented; the top-level key above (`events:`, `actors:`) tells an
//! event's `actors:` list from the file's list of actors.

use crate::model::ListKind;
use std::ops::Range;

/// What a value at the cursor is, by the field it is written under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// An actor id: `actor:`, `by:`, `member_of`, an event's `actors:` item.
    Actor,
    /// A source id: `source:`, an event's `sources:` item.
    Source,
    /// An event id: `event:` in `related`.
    Event,
    /// An event's `kind:`.
    Kind,
    Role,
    Status,
    Relation,
    ActorType,
    SourceType,
    /// `date:`, `published:`, `accessed:`, a role's `from:` and `to:`.
    Date,
    /// The `id:` of an item of this list: where it is defined.
    Id(ListKind),
    Other,
}

impl Field {
    /// The list whose ids the field names (its own, for `id:`).
    pub fn names(self) -> Option<ListKind> {
        match self {
            Field::Actor => Some(ListKind::Actors),
            Field::Source => Some(ListKind::Sources),
            Field::Event => Some(ListKind::Events),
            Field::Kind => Some(ListKind::Kinds),
            Field::Id(l) => Some(l),
            _ => None,
        }
    }
}

/// The cursor's place in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub field: Field,
    /// The value's bytes around the cursor, without quotes and spaces.
    pub value: Range<usize>,
    /// The cursor's byte offset.
    pub at: usize,
    /// On a key rather than a value.
    pub in_key: bool,
}

impl Cursor {
    pub fn value<'t>(&self, text: &'t str) -> &'t str {
        &text[self.value.clone()]
    }

    /// The value typed before the cursor.
    pub fn prefix<'t>(&self, text: &'t str) -> &'t str {
        &text[self.value.start..self.at.clamp(self.value.start, self.value.end)]
    }
}

/// What is at byte `offset` of `text`.
pub fn at(text: &str, offset: usize) -> Cursor {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let col = offset - line_start;
    let before = &line[..col];
    let list = top_list(text, line_start);

    let (start, key, in_key, item) = match last_delimiter(before) {
        Some((i, b':')) => (i + 1, key_before(&before[..i]), false, false),
        Some((i, b'{')) => (i + 1, None, true, false),
        Some((i, _)) => {
            // `[` or `,`: inside a flow list (`member_of: [a, b`) or
            // between a flow mapping's entries (`{actor: a, ro`).
            match open_bracket(before) {
                Some((j, b'[')) => (i + 1, key_before(before[..j].trim_end()), false, true),
                _ => (i + 1, None, true, false),
            }
        }
        None => {
            let indent = before.len() - before.trim_start_matches(' ').len();
            let rest = &line[indent..];
            if rest.starts_with("- ") || rest == "-" {
                let mut start = indent + 1;
                while line[start..].starts_with(' ') || line[start..].starts_with("- ") {
                    start += 1;
                }
                let key = parent_key(text, line_start, indent);
                (start.min(col.max(indent + 1)), key, false, true)
            } else {
                (indent, None, true, false)
            }
        }
    };
    let start = start.min(col);
    // The value: from after the delimiter to the next one, unquoted; a
    // quoted value to its closing quote (`"[2024-01-01..2024-01-06]"`).
    let lead_spaces = line[start..].len() - line[start..].trim_start_matches(' ').len();
    let quote = line[start + lead_spaces..]
        .starts_with(['"', '\''])
        .then(|| line.as_bytes()[start + lead_spaces]);
    let end = match quote {
        Some(q) => line[start + lead_spaces + 1..]
            .find(q as char)
            .map_or(line.len(), |i| start + lead_spaces + 2 + i),
        None => line[col..]
            .find([',', ']', '}', '#'])
            .map_or(line.len(), |i| col + i),
    };
    let end = end.max(col);
    let end = if in_key {
        line[col..]
            .find([':', ',', '}', ' '])
            .map_or(line.len(), |i| col + i)
    } else {
        end
    };
    let raw = &line[start..end];
    let lead = raw.len() - raw.trim_start_matches([' ', '"', '\'']).len();
    let trimmed = raw
        .trim_start_matches([' ', '"', '\''])
        .trim_end_matches([' ', '"', '\'']);
    let v_start = line_start + start + lead;
    let value = v_start..v_start + trimmed.len();
    let field = if in_key {
        Field::Other
    } else {
        field_of(list, key, item)
    };
    Cursor {
        field,
        value,
        at: offset,
        in_key,
    }
}

fn field_of(list: Option<ListKind>, key: Option<&str>, item: bool) -> Field {
    let Some(key) = key else {
        return Field::Other;
    };
    match (list, key) {
        (_, "actor" | "by" | "member_of") => Field::Actor,
        (Some(ListKind::Events), "actors") if item => Field::Actor,
        (_, "source") => Field::Source,
        (Some(ListKind::Events), "sources") if item => Field::Source,
        (_, "event") => Field::Event,
        (Some(ListKind::Events), "kind") => Field::Kind,
        (_, "role") => Field::Role,
        (_, "status") => Field::Status,
        (_, "relation") => Field::Relation,
        (Some(ListKind::Actors), "type") => Field::ActorType,
        (Some(ListKind::Sources), "type") => Field::SourceType,
        (_, "date" | "published" | "accessed" | "from" | "to") => Field::Date,
        (Some(l), "id") => Field::Id(l),
        _ => Field::Other,
    }
}

/// The last `:` (followed by a space or the cursor), `[`, `{` or `,`
/// before the cursor, outside quotes.
fn last_delimiter(before: &str) -> Option<(usize, u8)> {
    let b = before.as_bytes();
    let mut quote: Option<u8> = None;
    let mut found = None;
    for (i, &c) in b.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'[' | b'{' | b',' => found = Some((i, c)),
                b':' if b.get(i + 1).is_none_or(|n| *n == b' ') => found = Some((i, c)),
                _ => {}
            },
        }
    }
    found
}

/// The innermost `[` or `{` still open before the cursor.
fn open_bracket(before: &str) -> Option<(usize, u8)> {
    let mut stack = Vec::new();
    for (i, c) in before.bytes().enumerate() {
        match c {
            b'[' | b'{' => stack.push((i, c)),
            b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

/// The key a value after `text` belongs to: `  - {actor` → `actor`.
fn key_before(text: &str) -> Option<&str> {
    let text = text.strip_suffix(':').unwrap_or(text).trim_end();
    let start = text
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    let key = &text[start..];
    (!key.is_empty()).then_some(key)
}

/// The key of the nearest line above `line_start` indented less than a
/// list item whose dash is at column `dash` (or as much, not being an
/// item itself: `key:` then `- item` at the same column).
fn parent_key(text: &str, line_start: usize, dash: usize) -> Option<&str> {
    for line in text[..line_start].lines().rev() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if indent > dash || (indent == dash && content.starts_with('-')) {
            continue;
        }
        let content = content.trim_start_matches(['-', ' ']);
        let content = match content.find(" #") {
            Some(i) => &content[..i],
            None => content,
        };
        return content.trim_end().strip_suffix(':').and_then(key_before);
    }
    None
}

/// The top-level key (`events`, `actors`, ...) of the list the line at
/// `line_start` is in.
fn top_list(text: &str, line_start: usize) -> Option<ListKind> {
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    for line in text[..line_end].lines().rev() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first == ' ' || first == '#' || first == '-' || first == '\t' {
            continue;
        }
        let key = line.split(':').next().unwrap_or("").trim();
        return ListKind::ALL.into_iter().find(|l| l.key() == key);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor is where `|` is.
    fn cur(text: &str) -> (Field, String, String, bool) {
        let at = text.find('|').unwrap();
        let text = text.replace('|', "");
        let c = at_(&text, at);
        (
            c.field,
            c.value(&text).to_string(),
            c.prefix(&text).to_string(),
            c.in_key,
        )
    }

    fn at_(text: &str, at: usize) -> Cursor {
        super::at(text, at)
    }

    const EVENT: &str = "events:\n  - id: e1\n    date: 2024-01-06\n";

    #[test]
    fn block_and_flow_fields_of_an_event() {
        let f = |tail: &str| cur(&format!("{EVENT}{tail}"));
        assert_eq!(
            f("    actors:\n      - ki|m\n"),
            (Field::Actor, "kim".into(), "ki".into(), false)
        );
        assert_eq!(
            f("    actors:\n    - {actor: ki|, role: target}\n").0,
            Field::Actor
        );
        assert_eq!(
            f("    actors:\n    - {actor: kim, role: ta|}\n"),
            (Field::Role, "ta".into(), "ta".into(), false)
        );
        assert_eq!(
            f("    sources: [a, \"b|c\"]\n"),
            (Field::Source, "bc".into(), "b".into(), false)
        );
        assert_eq!(f("    sources:\n      - |\n").0, Field::Source);
        assert_eq!(f("    kind: mee|\n").0, Field::Kind);
        assert_eq!(f("    related:\n      - {event: e|}\n").0, Field::Event);
        assert_eq!(f("    quotes:\n      - by: k|\n").0, Field::Actor);
        assert_eq!(f("    tags: [a|]\n").0, Field::Other);
        assert!(f("    ti|tle: x\n").3);
        assert_eq!(cur("events:\n  - id: e|1\n").0, Field::Id(ListKind::Events));
        assert_eq!(
            cur("events:\n  - id: e1\n    date: 2024-0|1\n").1,
            "2024-01"
        );
    }

    #[test]
    fn the_top_level_list_tells_actors_from_an_events_actors() {
        let text = "actors:\n  - id: a\n    type: st|\n    member_of: [b, |]\n";
        assert_eq!(cur(text).0, Field::ActorType);
        let text = "actors:\n  - id: a\n    type: state\n    member_of: [b, |]\n";
        assert_eq!(cur(text).0, Field::Actor);
        assert_eq!(cur("actors:\n- i|\n").0, Field::Other);
        assert_eq!(
            cur("sources:\n  - id: s\n    type: re|\n").0,
            Field::SourceType
        );
    }
}
