//! YAML slips a researcher makes, told in the record's terms: a tab used
//! as indentation, an unquoted `: ` inside a value, a comma that split a
//! flow mapping's value, an unclosed `[`, `{` or quote.
//!
//! The parser's own message is kept only where no cause is recognised.
//! These run only for a file with a problem, so they may rescan its text.

use crate::codes::Code;
use crate::diag::{Diagnostic, Place};
use crate::line_index::LineIndex;

/// The 1-based line and column (characters) of a byte place the reader gave.
fn line_col(text: &str, place: &Place) -> Option<(usize, usize)> {
    let Place::Offset(o) = place else {
        return None;
    };
    let idx = LineIndex::new(text);
    let at = idx.line_col(text, idx.clamp(text, *o));
    Some((at.line as usize, at.column as usize))
}

/// The byte place of a 1-based line and column (characters).
fn offset_of(text: &str, line: usize, column: usize) -> Place {
    let idx = LineIndex::new(text);
    let start = idx.line_start(line as u32);
    let col: usize = text[start..]
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    Place::Offset(start + col)
}

/// Rewrites a `yaml-syntax` diagnostic whose cause is clear from the text.
pub(super) fn explain_syntax(text: &str, d: &mut Diagnostic) {
    let Some((line, column)) = line_col(text, &d.locus.place) else {
        return;
    };
    let lines: Vec<&str> = text.lines().collect();
    if d.message.contains("tab") {
        // The tab is on the error line or the first indented with one.
        let found = (line.saturating_sub(1)..lines.len())
            .chain(0..line.saturating_sub(1))
            .find_map(|i| leading_tab(lines[i]).map(|c| (i + 1, c)));
        if let Some((l, c)) = found {
            d.message = format!(
                "a tab is used as indentation (line {l}, column {c}); YAML indents with spaces only"
            );
            d.locus.place = offset_of(text, l, c);
            d.notes.clear();
            d.help("replace the tab (shown as →) with spaces".to_string());
        }
        return;
    }
    if d.message == "mapping values are not allowed in this context" {
        if let Some((key, _, quoted)) = lines
            .get(line.saturating_sub(1))
            .and_then(|l| colon_in_value(l))
        {
            d.message = format!(
                "the value of `{key}` contains \": \", which YAML reads as the start of another key"
            );
            d.help(format!("quote the value: {}", quoted.trim_start()));
        }
        return;
    }
    if d.message
        .starts_with("found character that cannot start any token")
    {
        let text_line = lines.get(line.saturating_sub(1)).copied().unwrap_or("");
        if let Some(c) = text_line.chars().nth(column.saturating_sub(1)) {
            d.message = format!("a plain value cannot start with `{c}`");
            match text_line.trim_start().split_once(": ") {
                Some((key, value)) => {
                    let escaped = value.trim().replace('\\', "\\\\").replace('"', "\\\"");
                    d.help(format!("quote the value: {key}: \"{escaped}\""));
                }
                None => d.help("quote the value".to_string()),
            }
        }
        return;
    }
    if d.message == "block sequence entries are not allowed in this context" {
        d.message = "a `- ` list item cannot follow a key on the same line".to_string();
        d.help("start the list on the next line, indented, or write it as [a, b]".to_string());
        return;
    }
    if d.message.starts_with("did not find expected '-' indicator")
        || d.message.starts_with("did not find expected key")
    {
        d.message = format!("line {line} is indented differently from the lines before it");
        d.help("indent every field of one item by the same number of spaces".to_string());
        if let Some(n) = d.notes.first_mut() {
            n.message = "the item it should belong to starts here".to_string();
        }
        return;
    }
    let context = d
        .notes
        .first()
        .map(|n| (n.message.clone(), n.locus.place.clone()));
    let Some((context, place)) = context else {
        return;
    };
    let Some((opened, _)) = line_col(text, &place) else {
        return;
    };
    let unclosed = if context.starts_with("while parsing a flow sequence") {
        Some(("list", "`]`"))
    } else if context.starts_with("while parsing a flow mapping") {
        Some(("mapping", "`}`"))
    } else if context.starts_with("while scanning a quoted scalar") {
        Some(("quoted value", "the closing quote"))
    } else {
        None
    };
    if let Some((what, closer)) = unclosed {
        d.message = format!("the {what} opened on line {opened} is not closed");
        d.help(format!("add {closer} where the {what} ends"));
        d.notes[0].message = format!("the {what} opens here");
    }
}

/// The 1-based column of a tab in the line's indentation.
fn leading_tab(line: &str) -> Option<usize> {
    line.chars()
        .take_while(|c| c.is_whitespace() || *c == '-')
        .position(|c| c == '\t')
        .map(|i| i + 1)
}

/// `    title: Kishida: open` -> (`title`, `Kishida: open`, the line with the
/// value quoted).
fn colon_in_value(line: &str) -> Option<(&str, &str, String)> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let (dash, body) = match body.strip_prefix("- ") {
        Some(rest) => ("- ", rest),
        None => ("", body),
    };
    let (key, value) = body.split_once(": ")?;
    let value = value.trim();
    if key.is_empty()
        || key.contains([' ', '"', '\'', '{', '['])
        || !value.contains(": ")
        || value.starts_with(['"', '\'', '{', '[', '|', '>'])
    {
        return None;
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some((key, value, format!("{indent}{dash}{key}: \"{escaped}\"")))
}

/// Rewrites an `unknown-field` that is really a comma inside a flow
/// mapping's unquoted value: `{title: Minister, Foreign Affairs, from: x}`
/// reads `Foreign Affairs` as a field with no value.
pub(super) fn explain_split_values(text: &str, diags: &mut [Diagnostic]) {
    for d in diags.iter_mut().filter(|d| d.code == Code::UnknownField) {
        let Some(field) = d.message.strip_prefix("unknown field `") else {
            continue;
        };
        let Some(field) = field.strip_suffix('`') else {
            continue;
        };
        if let Some((before, key, fixed)) = split_value(text, field) {
            d.message = format!(
                "`{field}` is read as another field: the comma after `{before}` split the value of `{key}`"
            );
            d.help(format!("quote the value: {fixed}"));
        }
    }
}

/// Finds `key: before, field,` inside `{...}` on one line; returns the
/// value's first part, the key and the mapping with the value quoted.
fn split_value<'t>(text: &'t str, field: &str) -> Option<(&'t str, &'t str, String)> {
    for line in text.lines() {
        let (Some(open), Some(close)) = (line.find('{'), line.rfind('}')) else {
            continue;
        };
        if close < open {
            continue;
        }
        let inner = &line[open + 1..close];
        let parts: Vec<&str> = inner.split(',').collect();
        for (i, part) in parts.iter().enumerate().skip(1) {
            if part.trim() != field {
                continue;
            }
            let Some((key, before)) = parts[i - 1].split_once(':') else {
                continue;
            };
            // The value runs on until the next part that has a key.
            let mut value = vec![before.trim()];
            let mut j = i;
            while j < parts.len() && !parts[j].contains(':') {
                value.push(parts[j].trim());
                j += 1;
            }
            let joined = value.join(", ").replace('"', "\\\"");
            let mut fixed: Vec<String> = parts[..i - 1]
                .iter()
                .map(|p| p.trim().to_string())
                .collect();
            fixed.push(format!("{}: \"{joined}\"", key.trim()));
            fixed.extend(parts[j..].iter().map(|p| p.trim().to_string()));
            return Some((
                before.trim(),
                key.trim(),
                format!("{{{}}}", fixed.join(", ")),
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colon_in_a_value_is_quoted_on_its_line() {
        let (key, _, fixed) = colon_in_value("    title: Kishida: open to a summit").unwrap();
        assert_eq!(key, "title");
        assert_eq!(fixed, "    title: \"Kishida: open to a summit\"");
        assert!(colon_in_value("    title: \"A: B\"").is_none());
    }

    #[test]
    fn a_comma_split_value_is_found_and_quoted() {
        let text = "      - {title: Minister, Foreign Affairs, from: 2024}\n";
        let (before, key, fixed) = split_value(text, "Foreign Affairs").unwrap();
        assert_eq!((before, key), ("Minister", "title"));
        assert_eq!(fixed, "{title: \"Minister, Foreign Affairs\", from: 2024}");
        assert!(split_value(text, "Somewhere").is_none());
    }
}
