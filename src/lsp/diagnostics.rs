//! `check`'s diagnostics as the protocol's, with ranges.
//!
//! The places are resolved exactly as `check` resolves them for display
//! (`render::diagnostics`): a span as it is, an offset as the token there,
//! a path inside an item found within that item's bytes, a whole file at
//! its start; only here the text is the editor's buffer when it is open.

use super::position::Lines;
use super::uri;
use super::workspace::Workspace;
use crate::diag::{self, Locus, Place, Severity};
use crate::render::diagnostics::token_len;
use crate::yaml;
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range,
};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range as Bytes;
use std::path::PathBuf;
use std::rc::Rc;

/// The bytes a place points at in `text`: what `check` underlines.
pub fn bytes(place: &Place, text: &str) -> Option<Bytes<usize>> {
    match place {
        Place::File => None,
        Place::Offset(o) => {
            let o = (*o).min(text.len());
            Some(o..o + token_len(text, o))
        }
        Place::Span(s) => Some(s.start()..s.end()),
        Place::Path(p) => yaml::locate_in_item(text, p).map(|l| l.offset..l.offset + l.len),
    }
}

/// Converted diagnostics kept per file between checks: a file whose
/// diagnostics and texts (its own, and those its notes point into) are
/// the same objects as last time is not converted again. On 10,000 events
/// with a thousand warnings, this is most of a keystroke's work.
#[derive(Default)]
pub struct Converted {
    files: HashMap<u32, Entry>,
    loads: u64,
}

struct Entry {
    diags: Vec<diag::Diagnostic>,
    texts: Vec<(u32, Option<Rc<str>>)>,
    out: Vec<Diagnostic>,
}

/// Every file of the record with its diagnostics (none for a clean
/// file, so that the editor clears what it showed), in file order.
pub fn by_file(ws: &Workspace, kept: &mut Converted) -> Vec<(PathBuf, Vec<Diagnostic>)> {
    if kept.loads != ws.loads() {
        *kept = Converted {
            files: HashMap::new(),
            loads: ws.loads(),
        };
    }
    let files = &ws.current().files;
    let mut groups: BTreeMap<u32, Vec<&diag::Diagnostic>> =
        (0..files.len() as u32).map(|k| (k, Vec::new())).collect();
    for d in ws.diagnostics() {
        if let Some(k) = d.locus.file {
            groups.entry(k).or_default().push(d);
        }
    }
    // Each file's line index is built once, for every place in it.
    let mut lines: BTreeMap<u32, Option<Lines>> = BTreeMap::new();
    let mut out = Vec::with_capacity(groups.len());
    for (k, group) in groups {
        let Some(path) = files.get(k as usize) else {
            continue;
        };
        let mut involved: Vec<u32> = std::iter::once(k)
            .chain(
                group
                    .iter()
                    .flat_map(|d| d.notes.iter().filter_map(|n| n.locus.file)),
            )
            .collect();
        involved.sort_unstable();
        involved.dedup();
        let texts: Vec<(u32, Option<Rc<str>>)> =
            involved.iter().map(|&f| (f, ws.text(f))).collect();
        let same = |e: &Entry| {
            e.diags.len() == group.len()
                && e.diags.iter().zip(&group).all(|(a, b)| a == *b)
                && e.texts.len() == texts.len()
                && e.texts.iter().zip(&texts).all(|((fa, a), (fb, b))| {
                    fa == fb
                        && match (a, b) {
                            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                            (None, None) => true,
                            _ => false,
                        }
                })
        };
        if let Some(e) = kept.files.get(&k).filter(|e| same(e)) {
            out.push((path.clone(), e.out.clone()));
            continue;
        }
        let mut ds: Vec<Diagnostic> = group
            .iter()
            .map(|d| {
                let range = range_of(&d.locus, &mut lines, ws);
                let related = d
                    .notes
                    .iter()
                    .filter_map(|n| {
                        let f = n.locus.file?;
                        let path = files.get(f as usize)?;
                        Some(DiagnosticRelatedInformation {
                            location: Location::new(
                                uri::from_path(path),
                                range_of(&n.locus, &mut lines, ws),
                            ),
                            message: n.message.clone(),
                        })
                    })
                    .collect();
                convert(d, range, related)
            })
            .collect();
        ds.sort_by(|a, b| {
            (a.range.start, a.range.end, code(a), &a.message).cmp(&(
                b.range.start,
                b.range.end,
                code(b),
                &b.message,
            ))
        });
        kept.files.insert(
            k,
            Entry {
                diags: group.into_iter().cloned().collect(),
                texts,
                out: ds.clone(),
            },
        );
        out.push((path.clone(), ds));
    }
    out
}

fn code(d: &Diagnostic) -> Option<&str> {
    match &d.code {
        Some(NumberOrString::String(s)) => Some(s),
        _ => None,
    }
}

fn range_of(locus: &Locus, cache: &mut BTreeMap<u32, Option<Lines>>, ws: &Workspace) -> Range {
    let Some(k) = locus.file else {
        return Range::default();
    };
    let lines = cache.entry(k).or_insert_with(|| ws.text(k).map(Lines::new));
    match lines {
        Some(l) => match bytes(&locus.place, l.text()) {
            Some(b) => l.range(b.start, b.end),
            None => Range::default(),
        },
        None => Range::default(),
    }
}

pub fn convert(
    d: &diag::Diagnostic,
    range: Range,
    related: Vec<DiagnosticRelatedInformation>,
) -> Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("annals".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}
