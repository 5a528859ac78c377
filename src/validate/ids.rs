//! Ids are unique within their list type across all files.

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus};
use crate::index::Index;
use crate::model::{ListKind, Origin, Record};

/// Reports every repeated id at the repetition, with a note at the first.
pub fn duplicate_ids(record: &Record, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    for &(list, first, dup) in &index.duplicates {
        let (id, a, b) = match list {
            ListKind::Events => item(&record.events, first, dup, |e| (e.id.as_str(), e.origin)),
            ListKind::Actors => item(&record.actors, first, dup, |a| (a.id.as_str(), a.origin)),
            ListKind::Sources => item(&record.sources, first, dup, |s| (s.id.as_str(), s.origin)),
            ListKind::Kinds => item(&record.kinds, first, dup, |k| (k.id.as_str(), k.origin)),
        };
        let at = |o: Origin| Locus::path(o.file, o.path(list).key("id"));
        out.push(
            Diagnostic::new(
                Code::DuplicateId,
                format!("{} id `{id}` is already used", list.noun()),
                at(b),
            )
            .with_id(id)
            .with_help(format!(
                "give this {} another id, or merge the two",
                list.noun()
            ))
            .with_note("first defined here", at(a)),
        );
    }
}

fn item<T>(
    items: &[T],
    first: usize,
    dup: usize,
    f: impl Fn(&T) -> (&str, Origin),
) -> (&str, Origin, Origin) {
    let (id, a) = f(&items[first]);
    let (_, b) = f(&items[dup]);
    (id, a, b)
}
