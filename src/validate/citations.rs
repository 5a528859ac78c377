//! Sources as references: citation keys are unique, online sources keep a
//! way back to what they said, and settings are written once.

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus};
use crate::index::FastMap as HashMap;
use crate::model::{ListKind, Record, Source};

/// Two sources cited by the same key (case aside: BibTeX and biber treat
/// keys that differ only in case as one) are an error at the second.
pub fn duplicate_keys(record: &Record, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &Source> = HashMap::default();
    for s in &record.sources {
        let folded = s.cite_key().to_lowercase();
        match seen.get(&folded) {
            None => {
                seen.insert(folded, s);
            }
            Some(first) => out.push(
                Diagnostic::new(
                    Code::DuplicateCitationKey,
                    format!(
                        "citation key `{}` is already the key of source `{}`",
                        s.cite_key(),
                        first.id
                    ),
                    key_locus(s),
                )
                .with_id(&s.id)
                .with_help("give one of the two sources its own `key:`")
                .with_note("first used here", key_locus(first)),
            ),
        }
    }
}

/// Where a source's key is written: its `key:`, else its `id:`.
fn key_locus(s: &Source) -> Locus {
    let field = if s.key.is_some() { "key" } else { "id" };
    Locus::path(s.origin.file, s.origin.path(ListKind::Sources).key(field))
}

/// An online source with neither `archived:` nor `accessed:` cannot be
/// recovered or dated once its page changes: a warning, unless the
/// record's settings say `warn-unarchived: false`.
pub fn unarchived(record: &Record, out: &mut Vec<Diagnostic>) {
    if !record.warn_unarchived() {
        return;
    }
    for s in &record.sources {
        if s.url.is_some() && s.archived.is_none() && s.accessed.is_none() {
            let at = Locus::path(s.origin.file, s.origin.path(ListKind::Sources).key("url"));
            out.push(
                Diagnostic::new(
                    Code::UnarchivedSource,
                    "online source has neither `archived:` nor `accessed:`",
                    at,
                )
                .with_id(&s.id)
                .with_help(
                    "add `archived:` with a Wayback Machine snapshot, or `accessed:` with the day you read it \
                     (or turn this off with `settings: {warn-unarchived: false}`)",
                ),
            );
        }
    }
}

/// A setting written in two files is an error at the second: which one
/// holds would depend on file names.
pub fn duplicate_settings(record: &Record, out: &mut Vec<Diagnostic>) {
    let mut first = None;
    for s in record
        .settings
        .iter()
        .filter(|s| s.warn_unarchived.is_some())
    {
        let at = Locus::path(
            s.origin.file,
            s.origin.top_path("settings").key("warn-unarchived"),
        );
        match &first {
            None => first = Some(at),
            Some(f) => out.push(
                Diagnostic::new(
                    Code::DuplicateSetting,
                    "setting `warn-unarchived` is already set in another file",
                    at,
                )
                .with_help("keep the record's settings in one file")
                .with_note("first set here", f.clone()),
            ),
        }
    }
}
