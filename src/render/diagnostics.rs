//! Rendering diagnostics: rustc-style text, or JSON.
//!
//! Positions are resolved here, per file, and only for files that have
//! diagnostics: the file's text is read again for the snippet, and byte
//! offsets (from the parse that read the file) become lines and columns
//! through one [`LineIndex`]. A place a cross-record check names by path
//! inside an item is found within that item's bytes (`yaml::locate_in_item`).

use crate::diag::{Diagnostic, Locus, Place, Severity};
use crate::line_index::LineIndex;
use crate::par;
use crate::render::escape::terminal;
use crate::yaml::{self, Located};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A place resolved to a file, a line and a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Where {
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// The source line for the snippet, or a window of it around the
    /// place when it is long (cut ends shown as `…`).
    #[serde(skip)]
    pub source_line: Option<String>,
    /// The place's column (from 1, characters) in `source_line`.
    #[serde(skip)]
    pub snippet_column: usize,
    /// Caret width in characters.
    #[serde(skip)]
    pub width: usize,
}

/// A diagnostic with its places resolved, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub at: Where,
    pub id: Option<String>,
    pub help: Option<String>,
    pub notes: Vec<ResolvedNote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResolvedNote {
    pub message: String,
    #[serde(flatten)]
    pub at: Where,
}

/// Resolves every diagnostic's place, then sorts them by file order, line,
/// column and code, so the output is the same on every run.
pub fn resolve(diags: &[Diagnostic], files: &[PathBuf]) -> Vec<Resolved> {
    resolve_with(diags, files, &[])
}

/// [`resolve`], with the text of some files (by index) given rather than
/// read: `add` shows diagnostics in a file it has not written yet.
///
/// Files are handled one at a time per worker, in parallel: each is read,
/// indexed (only when a path in it must be resolved), used for every place
/// that points into it, and dropped, so a record with thousands of
/// diagnostics never holds every file's span index at once.
pub fn resolve_with(
    diags: &[Diagnostic],
    files: &[PathBuf],
    given: &[(u32, &str)],
) -> Vec<Resolved> {
    // Every place, main and notes, numbered in diagnostic order.
    let loci: Vec<&Locus> = diags
        .iter()
        .flat_map(|d| std::iter::once(&d.locus).chain(d.notes.iter().map(|n| &n.locus)))
        .collect();
    let mut by_file: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, l) in loci.iter().enumerate() {
        if let Some(f) = l.file {
            by_file.entry(f).or_default().push(i);
        }
    }
    let groups: Vec<(u32, Vec<usize>)> = by_file.into_iter().collect();
    let mut wheres: Vec<Option<Where>> = vec![None; loci.len()];
    let done = par::map(&groups, |(f, members)| {
        let read;
        let text = match given.iter().find(|(gf, _)| gf == f) {
            Some((_, t)) => Some(*t),
            None => {
                read = read_text(files, *f);
                read.as_deref()
            }
        };
        let name = files.get(*f as usize).map(|p| display_path(p));
        let Some(text) = text else {
            return members
                .iter()
                .map(|&i| (i, resolve_in(loci[i], name.clone(), None)))
                .collect();
        };
        let lines = LineIndex::new(text);
        let file = FileText {
            text,
            lines: &lines,
        };
        members
            .iter()
            .map(|&i| (i, resolve_in(loci[i], name.clone(), Some(&file))))
            .collect::<Vec<_>>()
    });
    for (i, w) in done.into_iter().flatten() {
        wheres[i] = Some(w);
    }
    let mut wheres = wheres.into_iter().map(|w| w.unwrap_or_else(nowhere));
    let mut out: Vec<(Option<u32>, Resolved)> = diags
        .iter()
        .map(|d| {
            let at = wheres.next().unwrap_or_else(nowhere);
            let notes = d
                .notes
                .iter()
                .map(|n| ResolvedNote {
                    message: n.message.clone(),
                    at: wheres.next().unwrap_or_else(nowhere),
                })
                .collect();
            (
                d.locus.file,
                Resolved {
                    severity: d.severity.as_str(),
                    code: d.code,
                    message: d.message.clone(),
                    at,
                    id: d.id.clone(),
                    help: d.help.clone(),
                    notes,
                },
            )
        })
        .collect();
    out.sort_by(|(fa, a), (fb, b)| {
        fa.cmp(fb)
            .then(a.at.line.cmp(&b.at.line))
            .then(a.at.column.cmp(&b.at.column))
            .then(a.code.cmp(b.code))
            .then(a.message.cmp(&b.message))
    });
    out.into_iter().map(|(_, r)| r).collect()
}

/// A file's text and its line index.
struct FileText<'t> {
    text: &'t str,
    lines: &'t LineIndex,
}

/// No file, no position (a problem with the directory itself).
fn nowhere() -> Where {
    Where {
        file: None,
        line: None,
        column: None,
        source_line: None,
        snippet_column: 0,
        width: 0,
    }
}

/// A place in file `file` (display name), given that file's text.
fn resolve_in(locus: &Locus, file: Option<String>, text: Option<&FileText<'_>>) -> Where {
    let found = match (&locus.place, text) {
        (Place::File, _) | (_, None) => None,
        (Place::Offset(o), Some(f)) => {
            let offset = f.lines.clamp(f.text, *o);
            Some((f, offset, token_len(f.text, offset)))
        }
        (Place::Span(s), Some(f)) => Some((f, f.lines.clamp(f.text, s.start()), s.len())),
        (Place::Path(path), Some(f)) => yaml::locate_in_item(f.text, path).map(|l| {
            let Located { offset, len, .. } = l;
            (f, f.lines.clamp(f.text, offset), len)
        }),
    };
    let Some((f, offset, len)) = found else {
        return Where { file, ..nowhere() };
    };
    let at = f.lines.line_col(f.text, offset);
    let line = f.lines.line_text(f.text, at.line);
    let line_start = f.lines.line_start(at.line);
    let (shown, snippet_column, after) = window(line, offset.saturating_sub(line_start));
    let node = f.text.get(offset..offset + len).unwrap_or("");
    let width = node.chars().take(after).count().min(after).max(1);
    Where {
        file,
        line: Some(at.line),
        column: Some(at.column),
        source_line: Some(shown),
        snippet_column,
        width,
    }
}

/// Characters of a long line kept before and after the place pointed at:
/// a line is cut only where it is half as long again, so ordinary lines
/// (and every line of a hand-written record) are shown whole.
const BEFORE: usize = 80;
const AFTER: usize = 160;

/// The part of `line` to show around byte `at`: the whole line when it is
/// short, else a window with `…` where it is cut, so that a diagnostic in
/// a one-line file of megabytes prints a line of bounded length. Returns
/// the text, the place's column in it (from 1), and how many characters
/// from the place to the end of the text.
fn window(line: &str, at: usize) -> (String, usize, usize) {
    let mut at = at.min(line.len());
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    let (before, after) = line.split_at(at);
    let cut_before = before.chars().rev().nth(BEFORE + BEFORE / 2).is_some();
    let before = if cut_before {
        let keep = before
            .char_indices()
            .rev()
            .nth(BEFORE - 1)
            .map_or(0, |(i, _)| i);
        format!("…{}", &before[keep..])
    } else {
        before.to_string()
    };
    let cut_after = after.chars().nth(AFTER + AFTER / 2).is_some();
    let after = if cut_after {
        let keep = after
            .char_indices()
            .nth(AFTER)
            .map_or(after.len(), |(i, _)| i);
        format!("{}…", &after[..keep])
    } else {
        after.to_string()
    };
    let column = before.chars().count() + 1;
    let rest = after.chars().count() - usize::from(cut_after);
    (before + &after, column, rest)
}

/// The file's text, read again for display.
fn read_text(files: &[PathBuf], f: u32) -> Option<String> {
    let bytes = std::fs::read(files.get(f as usize)?).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
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
    if n == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        n
    }
}

/// Paths print with forward slashes on every platform, for stable output.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Options for human-readable output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// rustc-style text for each diagnostic, separated by blank lines.
pub fn human(diags: &[Resolved], style: Style) -> String {
    let mut out = String::new();
    for d in diags {
        let sev_color = if d.severity == Severity::Error.as_str() {
            "1;31"
        } else if d.severity == Severity::Note.as_str() {
            "1;36"
        } else {
            "1;33"
        };
        let head = format!("{}[{}]", d.severity, d.code);
        let _ = writeln!(
            out,
            "{}{}",
            style.paint(sev_color, &head),
            style.paint("1", &format!(": {}", terminal(&d.message)))
        );
        snippet(&mut out, &d.at, sev_color, style);
        if let Some(id) = &d.id {
            let _ = writeln!(
                out,
                "   {} in `{}`",
                style.paint("1;34", "= note:"),
                terminal(id)
            );
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "   {} {}", style.paint("1;36", "= help:"), terminal(h));
        }
        for n in &d.notes {
            let _ = writeln!(
                out,
                "{}: {}",
                style.paint("1;32", "note"),
                terminal(&n.message)
            );
            snippet(&mut out, &n.at, "1;32", style);
        }
        out.push('\n');
    }
    out
}

fn snippet(out: &mut String, at: &Where, color: &str, style: Style) {
    let Some(file) = &at.file else { return };
    let gutter = at.line.map_or(1, |l| l.to_string().len());
    let pad = " ".repeat(gutter);
    let arrow = style.paint("1;34", "-->");
    match (at.line, at.column) {
        (Some(l), Some(c)) => {
            let _ = writeln!(out, "{pad}{arrow} {}:{l}:{c}", terminal(file));
        }
        _ => {
            let _ = writeln!(out, "{pad}{arrow} {}", terminal(file));
            return;
        }
    }
    let (Some(line), Some(l), Some(_)) = (&at.source_line, at.line, at.column) else {
        return;
    };
    let bar = style.paint("1;34", "|");
    // Tabs become spaces so the caret lines up.
    let shown = terminal(line).replace('\t', "    ");
    let prefix: String = line
        .chars()
        .take(at.snippet_column.saturating_sub(1))
        .map(|ch| {
            if ch == '\t' {
                "    ".to_string()
            } else {
                terminal(&ch.to_string()).into_owned()
            }
        })
        .collect();
    let indent = prefix.chars().count();
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(out, "{} {bar} {shown}", style.paint("1;34", &l.to_string()));
    let carets = "^".repeat(at.width.max(1));
    let _ = writeln!(
        out,
        "{pad} {bar} {}{}",
        " ".repeat(indent),
        style.paint(color, &carets)
    );
}

/// The diagnostics as a JSON array.
pub fn json(diags: &[Resolved]) -> String {
    serde_json::to_string_pretty(diags).expect("diagnostics serialize") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_shown_whole() {
        assert_eq!(window("id: x", 4), ("id: x".to_string(), 5, 1));
    }

    #[test]
    fn long_lines_are_cut_around_the_place() {
        let line = format!("{}é{}", "a".repeat(5000), "b".repeat(5000));
        let (shown, column, rest) = window(&line, 5000);
        assert_eq!(shown.chars().count(), 1 + BEFORE + AFTER + 1);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(column - 1), Some('é'));
        assert_eq!(rest, AFTER);
    }
}
