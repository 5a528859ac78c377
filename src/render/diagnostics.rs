//! Rendering diagnostics: rustc-style text, or JSON.
//!
//! Positions are resolved here, per file, and only for files that have
//! diagnostics: the file's text is read again for the snippet, and byte
//! offsets (from the parse that read the file) become lines and columns
//! through one [`LineIndex`]. A place a cross-record check names by path
//! inside an item is found within that item's bytes (`yaml::locate_in_item`).
//! The file is read again bounded, as the loader reads it; a diagnostic
//! about a file as a whole (`file-too-large`, `unreadable`) never reads it
//! and has no snippet.
//!
//! What a diagnostic quotes is bounded: a line longer than
//! [`SNIPPET_CHARS`] characters is shown as a window of that many around the
//! column (at least [`SNIPPET_BEFORE`] before it), cut ends marked `…`, and
//! messages are cut at [`MAX_MESSAGE_CHARS`]. So the cost of rendering grows
//! with the number of diagnostics, never with that number times the length
//! of the lines they point into. Each file's line index is built once and
//! shared by every place in it.

use crate::diag::{Code, Diagnostic, Locus, Place, Severity};
use crate::line_index::LineIndex;
use crate::load::read::read_again;
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
    /// The source line, for the snippet: a window around the column, with
    /// `…` where the line was cut.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// The column within `source_line` (1-based, characters).
    #[serde(skip)]
    pub snippet_column: u32,
    /// Caret width in characters.
    #[serde(skip)]
    pub width: usize,
}

/// A diagnostic with its places resolved, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub severity: Severity,
    pub code: Code,
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
        // A diagnostic about the whole file (its size, say) needs no text:
        // the file is not read again.
        let needs_text = members
            .iter()
            .any(|&i| !matches!(loci[i].place, Place::File));
        let text = match given.iter().find(|(gf, _)| gf == f) {
            _ if !needs_text => None,
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
                    message: capped(&n.message),
                    at: wheres.next().unwrap_or_else(nowhere),
                })
                .collect();
            (
                d.locus.file,
                Resolved {
                    severity: d.severity,
                    code: d.code,
                    message: capped(&d.message),
                    at,
                    id: d.id.as_deref().map(capped),
                    help: d.help.as_deref().map(capped),
                    notes,
                },
            )
        })
        .collect();
    // A file that does not parse comes first: it is the cause of much
    // that follows.
    let consequence = |r: &Resolved| !crate::deferred::PARSE_FAILURES.contains(&r.code);
    out.sort_by(|(fa, a), (fb, b)| {
        consequence(a)
            .cmp(&consequence(b))
            .then(fa.cmp(fb))
            .then(a.at.line.cmp(&b.at.line))
            .then(a.at.column.cmp(&b.at.column))
            .then(a.code.as_str().cmp(b.code.as_str()))
            .then(a.message.cmp(&b.message))
    });
    out.into_iter().map(|(_, r)| r).collect()
}

/// Longest message, help or id printed, in characters; longer ones (a
/// message quoting a 3 MB date) are cut with `…`.
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// Most characters of a source line a snippet shows.
pub const SNIPPET_CHARS: usize = 120;
/// Characters shown before the column when a line is cut, at least.
pub const SNIPPET_BEFORE: usize = 40;

fn capped(s: &str) -> String {
    match s.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// A file's text and its line index (built once, shared by every place
/// in the file).
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
    let Window {
        text: shown,
        column: snippet_column,
        width,
    } = window(line, offset.saturating_sub(line_start), len);
    Where {
        file,
        line: Some(at.line),
        column: Some(at.column),
        source_line: Some(shown),
        snippet_column,
        width,
    }
}

/// What a snippet shows of one line.
struct Window {
    text: String,
    /// The column within `text`, 1-based, in characters.
    column: u32,
    /// Caret width in characters, at least 1.
    width: usize,
}

/// `line` whole if it has at most [`SNIPPET_CHARS`] characters, else a
/// window of that many around byte `at` (at least [`SNIPPET_BEFORE`]
/// before it), with `…` at a cut end; the caret covers `len` bytes from
/// `at`, within the window. Costs the window's size, not the line's.
fn window(line: &str, at: usize, len: usize) -> Window {
    let mut at = at.min(line.len());
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    let short = line.char_indices().nth(SNIPPET_CHARS).is_none();
    // Characters from `at` to the end of the window: as many as fit after
    // the least context before it, fewer if the line ends sooner.
    let after_end = match line[at..]
        .char_indices()
        .nth(SNIPPET_CHARS - SNIPPET_BEFORE)
    {
        Some((i, _)) if !short => at + i,
        _ => line.len(),
    };
    let start = if short {
        0
    } else {
        // At most `SNIPPET_CHARS - SNIPPET_BEFORE` after: the rest before.
        let after_chars = line[at..after_end].chars().count();
        line[..at]
            .char_indices()
            .rev()
            .nth(SNIPPET_CHARS - after_chars - 1)
            .map_or(0, |(i, _)| i)
    };
    let end = after_end;
    let mut text = String::with_capacity(end - start + 6);
    let mut column = 1;
    if start > 0 {
        text.push('…');
        column += 1;
    }
    text.push_str(&line[start..end]);
    if end < line.len() {
        text.push('…');
    }
    column += line[start..at].chars().count();
    let node_end = (at + len).min(end);
    let width = line
        .get(at..node_end)
        .map_or(0, |s| s.chars().count())
        .max(1);
    Window {
        text,
        column: column as u32,
        width,
    }
}

/// The file's text, read again for display as the loader reads it (a
/// regular file, within the size limit), or not at all.
fn read_text(files: &[PathBuf], f: u32) -> Option<String> {
    let bytes = read_again(files.get(f as usize)?)?;
    // Valid text becomes the string in place: `from_utf8_lossy` copies it,
    // holding a large file twice (82 MB for one of 41 MB).
    Some(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Byte length of the token at `off`: characters up to whitespace or a flow
/// indicator; at least the character there; 0 at the end.
pub(crate) fn token_len(text: &str, off: usize) -> usize {
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
        let sev_color = if d.severity == Severity::Error {
            "1;31"
        } else if d.severity == Severity::Note {
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
    let (Some(line), Some(l)) = (&at.source_line, at.line) else {
        return;
    };
    let c = at.snippet_column.max(1);
    let bar = style.paint("1;34", "|");
    // Tabs become an arrow and spaces: visible (a tab looks like correct
    // indentation), and the caret lines up.
    let shown = terminal(line).replace('\t', "→   ");
    let prefix: String = line
        .chars()
        .take(c as usize - 1)
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
    fn a_short_line_is_shown_whole() {
        let w = window("  - id: x", 8, 1);
        assert_eq!((w.text.as_str(), w.column, w.width), ("  - id: x", 9, 1));
    }

    #[test]
    fn a_long_line_is_a_window_with_the_caret_on_its_value() {
        let line = format!("{}key: välue{}", "é".repeat(5000), "ü".repeat(5000));
        let at = line.find("välue").unwrap();
        let w = window(&line, at, "välue".len());
        assert!(w.text.starts_with('…') && w.text.ends_with('…'));
        assert_eq!(w.text.chars().count(), SNIPPET_CHARS + 2);
        let under: String = w
            .text
            .chars()
            .skip(w.column as usize - 1)
            .take(w.width)
            .collect();
        assert_eq!(under, "välue");
    }

    #[test]
    fn near_the_end_the_window_keeps_more_before() {
        let line = format!("{}end", "x".repeat(1000));
        let w = window(&line, 1000, 3);
        assert!(w.text.starts_with('…') && w.text.ends_with("end"));
        assert_eq!(w.text.chars().count(), SNIPPET_CHARS + 1);
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_whole() {
        let line = "x".repeat(SNIPPET_CHARS);
        for at in [0, 60, SNIPPET_CHARS] {
            let w = window(&line, at, 1);
            assert_eq!(w.text, line);
            assert_eq!(w.column as usize, at + 1);
        }
    }

    #[test]
    fn long_messages_are_capped() {
        let m = capped(&"ab".repeat(MAX_MESSAGE_CHARS));
        assert_eq!(m.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(m.ends_with('…'));
        assert_eq!(capped("short"), "short");
    }
}
