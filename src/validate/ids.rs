//! Ids are unique within their list type across all files.

use crate::diag::{Diagnostic, Locus};
use crate::model::{ListKind, Origin, Record};
use crate::yaml::YamlPath;
use std::collections::HashMap;

pub fn duplicate_ids(record: &Record, out: &mut Vec<Diagnostic>) {
    check(
        ListKind::Events,
        record.events.iter().map(|e| (e.id.as_str(), e.origin)),
        out,
    );
    check(
        ListKind::Actors,
        record.actors.iter().map(|a| (a.id.as_str(), a.origin)),
        out,
    );
    check(
        ListKind::Sources,
        record.sources.iter().map(|s| (s.id.as_str(), s.origin)),
        out,
    );
    check(
        ListKind::Kinds,
        record.kinds.iter().map(|k| (k.id.as_str(), k.origin)),
        out,
    );
}

fn check<'r>(
    list: ListKind,
    items: impl Iterator<Item = (&'r str, Origin)>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, Origin> = HashMap::new();
    for (id, origin) in items {
        if let Some(prev) = first.get(id) {
            out.push(
                Diagnostic::error(
                    "duplicate-id",
                    format!("{} id `{id}` is already used", list.noun()),
                    Locus::path(origin.file, id_path(list, origin)),
                )
                .with_id(id)
                .with_help(format!(
                    "give this {} another id, or merge the two",
                    list.noun()
                ))
                .with_note(
                    "first defined here",
                    Locus::path(prev.file, id_path(list, *prev)),
                ),
            );
        } else {
            first.insert(id, origin);
        }
    }
}

fn id_path(list: ListKind, origin: Origin) -> YamlPath {
    origin.path(list).key("id")
}
