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
use std::collections::BTreeMap;
use std::ops::Range as Bytes;
use std::path::PathBuf;

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

/// Every file of the record with its diagnostics (none for a clean
/// file, so that the editor clears what it showed), in file order.
pub fn by_file(ws: &Workspace) -> Vec<(PathBuf, Vec<Diagnostic>)> {
    let files = &ws.current().files;
    let mut out: BTreeMap<u32, Vec<Diagnostic>> =
        (0..files.len() as u32).map(|k| (k, Vec::new())).collect();
    // Each file's line index is built once, for every place in it.
    let mut cache: BTreeMap<u32, Option<Lines>> = BTreeMap::new();
    for d in ws.diagnostics() {
        let Some(k) = d.locus.file else { continue };
        let range = range_of(&d.locus, &mut cache, ws);
        let related: Vec<DiagnosticRelatedInformation> = d
            .notes
            .iter()
            .filter_map(|n| {
                let f = n.locus.file?;
                let path = files.get(f as usize)?;
                Some(DiagnosticRelatedInformation {
                    location: Location::new(
                        uri::from_path(path),
                        range_of(&n.locus, &mut cache, ws),
                    ),
                    message: n.message.clone(),
                })
            })
            .collect();
        out.entry(k).or_default().push(convert(d, range, related));
    }
    out.into_iter()
        .filter_map(|(k, mut ds)| {
            ds.sort_by(|a, b| {
                (a.range.start, a.range.end, code(a), &a.message).cmp(&(
                    b.range.start,
                    b.range.end,
                    code(b),
                    &b.message,
                ))
            });
            Some((files.get(k as usize)?.clone(), ds))
        })
        .collect()
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

fn convert(
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
