//! Rendering diagnostics: rustc-style text, or JSON.
//!
//! Positions are resolved here, per file, and only for files that have
//! diagnostics: the file is read again and parsed once with the
//! span-preserving reader (`yaml::span`).

use crate::diag::{Diagnostic, Locus, Place, Severity};
use crate::render::escape::terminal;
use crate::yaml::span::{Position, SpanIndex, position_at};
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
    /// The source line, for the snippet.
    #[serde(skip)]
    pub source_line: Option<String>,
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
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(groups.len())
        .max(1);
    let done: Vec<Vec<(usize, Where)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let g = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((f, members)) = groups.get(g) else {
                            break;
                        };
                        let spans = members
                            .iter()
                            .any(|&i| matches!(loci[i].place, Place::Path(_)));
                        let text = match given.iter().find(|(gf, _)| gf == f) {
                            Some((_, t)) => {
                                Some((t.to_string(), spans.then(|| SpanIndex::parse(t))))
                            }
                            None => read_indexed(files, *f, spans),
                        };
                        let name = files.get(*f as usize).map(|p| display_path(p));
                        for &i in members {
                            mine.push((i, resolve_in(loci[i], name.clone(), text.as_ref())));
                        }
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
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

/// A file's text, and its span index when paths in it must be resolved.
type FileText = (String, Option<SpanIndex>);

/// No file, no position (a problem with the directory itself).
fn nowhere() -> Where {
    Where {
        file: None,
        line: None,
        column: None,
        source_line: None,
        width: 0,
    }
}

/// A place in file `file` (display name), given that file's text.
fn resolve_in(locus: &Locus, file: Option<String>, text: Option<&FileText>) -> Where {
    let pos = match (&locus.place, text) {
        (Place::File, _) => None,
        (Place::Resolved(p), _) => Some(*p),
        (Place::Offset(o), Some((t, _))) => Some(position_at(t, *o)),
        (Place::LineCol(l, c), Some((t, _))) => Some(position_of_line_col(t, *l, *c)),
        (Place::Path(path), Some((_, Some(idx)))) => Some(idx.locate(path).pos),
        _ => None,
    };
    let (source_line, width) = match (pos, text) {
        (Some(p), Some((t, _))) => {
            let line = line_text(t, p);
            let after: String = t
                .get(p.offset..)
                .unwrap_or("")
                .chars()
                .take_while(|c| *c != '\n' && *c != '\r')
                .collect();
            let node = t
                .get(p.offset..(p.offset + p.len).min(t.len()))
                .unwrap_or("");
            let width = node.chars().count().min(after.chars().count()).max(1);
            (Some(line.to_string()), width)
        }
        _ => (None, 0),
    };
    Where {
        file,
        line: pos.map(|p| p.line),
        column: pos.map(|p| p.column),
        source_line,
        width,
    }
}

/// A file's text, and its span index when `index` is set.
fn read_indexed(files: &[PathBuf], f: u32, index: bool) -> Option<FileText> {
    let bytes = std::fs::read(files.get(f as usize)?).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let spans = index.then(|| SpanIndex::parse(&text));
    Some((text, spans))
}

/// Paths print with forward slashes on every platform, for stable output.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The lines of `text`, each with its line break, broken where YAML breaks
/// them: at `\n`, `\r\n` and a lone `\r` (as [`position_at`] counts).
fn yaml_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

fn position_of_line_col(text: &str, line: usize, col: usize) -> Position {
    let mut offset = 0;
    for (i, l) in yaml_lines(text).enumerate() {
        if i + 1 == line {
            let col_bytes: usize = l
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return position_at(text, offset + col_bytes);
        }
        offset += l.len();
    }
    position_at(text, text.len())
}

/// The line holding `p`, without its line break (`\n`, `\r\n` or `\r`).
fn line_text(text: &str, p: Position) -> &str {
    let start = text[..p.offset.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let rest = &text[start..];
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    &rest[..end]
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
    let (Some(line), Some(l), Some(c)) = (&at.source_line, at.line, at.column) else {
        return;
    };
    let bar = style.paint("1;34", "|");
    // Tabs become spaces so the caret lines up.
    let shown = terminal(line).replace('\t', "    ");
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
