//! Cause before consequence: references a broken file may define.
//!
//! A file that does not parse defines nothing, so every reference to the
//! actors, sources, events or kinds written in it is "unknown". One missing
//! `]` in `people.yaml` then shows as twenty `unknown-actor` errors in other
//! files and the real cause last. Here such references (an id that occurs
//! in the broken file's text) are taken out and counted, as one note under
//! that file's syntax error: they are checked once it parses.

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Codes of a file that could not be parsed at all.
pub const PARSE_FAILURES: &[Code] = &[
    Code::YamlSyntax,
    Code::MultipleDocuments,
    Code::YamlLimit,
    Code::TooDeep,
];

/// The reference codes, with the noun their note uses.
const REFERENCES: &[(Code, &str)] = &[
    (Code::UnknownActor, "actors"),
    (Code::UnknownSource, "sources"),
    (Code::UnknownEvent, "events"),
    (Code::UnknownKind, "kinds"),
];

/// Collapses references that files which failed to parse may define;
/// returns how many were taken out.
pub fn defer(diagnostics: &mut Vec<Diagnostic>, files: &[PathBuf]) -> usize {
    defer_with(diagnostics, |file| {
        std::fs::read_to_string(files.get(file as usize)?).ok()
    })
}

/// [`defer`], with each broken file's text from `text_of` (by file index)
/// rather than the disk: `annals lsp` checks unsaved buffers.
pub fn defer_with(
    diagnostics: &mut Vec<Diagnostic>,
    text_of: impl Fn(u32) -> Option<String>,
) -> usize {
    let broken: Vec<(usize, u32, String)> = diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| PARSE_FAILURES.contains(&d.code))
        .filter_map(|(i, d)| {
            let file = d.locus.file?;
            Some((i, file, text_of(file)?))
        })
        .collect();
    if broken.is_empty() {
        return 0;
    }
    // (diagnostic index of the syntax error, noun) -> count.
    let mut counts: BTreeMap<(usize, &'static str), usize> = BTreeMap::new();
    let mut keep = Vec::with_capacity(diagnostics.len());
    let mut taken = 0;
    for d in diagnostics.drain(..) {
        let noun = REFERENCES
            .iter()
            .find(|(c, _)| *c == d.code)
            .map(|(_, n)| *n);
        let id = noun.and_then(|_| d.message.split('`').nth(1));
        let owner = id.and_then(|id| {
            broken
                .iter()
                .find(|(_, _, text)| mentions(text, id))
                .map(|(i, _, _)| *i)
        });
        match (owner, noun) {
            (Some(i), Some(noun)) => {
                *counts.entry((i, noun)).or_default() += 1;
                taken += 1;
            }
            _ => keep.push(d),
        }
    }
    *diagnostics = keep;
    for ((i, noun), n) in counts {
        let file = broken.iter().find(|(j, _, _)| *j == i).map(|(_, f, _)| *f);
        let Some(file) = file else { continue };
        let (refs, these) = if n == 1 {
            ("reference", "is")
        } else {
            ("references", "are")
        };
        diagnostics[i].notes.push(crate::diag::Note {
            message: format!(
                "{n} {refs} to {noun} this file may define {these} not checked until it parses"
            ),
            locus: Locus::file(file),
        });
    }
    taken
}

/// Whether `id` occurs in `text` as a whole id (not inside a longer one).
fn mentions(text: &str, id: &str) -> bool {
    if id.is_empty() {
        return false;
    }
    let is_id = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(is_id) && !after.is_some_and(is_id)
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn an_id_is_mentioned_only_whole() {
        assert!(mentions("  - id: kim-jong-un\n", "kim-jong-un"));
        assert!(!mentions("  - id: kim-jong-un-2\n", "kim-jong-un"));
        assert!(!mentions("  - id: north-kim-jong-un\n", "kim-jong-un"));
    }
}
