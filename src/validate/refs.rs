//! Everything an event names exists: actors, sources, kinds, related events
//! and quote speakers; actors' `member_of` names actors.

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus, did_you_mean};
use crate::index::Index;
use crate::model::{BUILTIN_KINDS, ListKind, Record, SourceRef};

pub fn references(record: &Record, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let missing = Missing {
        broken: record
            .broken
            .iter()
            .map(|(list, id)| (*list, id.as_str()))
            .collect(),
        suggestions: std::cell::Cell::new(200),
    };
    for e in &record.events {
        // Paths are built only for a reference that is missing: this loop
        // runs over every reference of a large record.
        let at = |field: &str, i: usize, key: &str| {
            let item = e.origin.path(ListKind::Events).key(field);
            let p = if key.is_empty() {
                item
            } else {
                item.index(i).key(key)
            };
            Locus::path(e.origin.file, p)
        };
        if !BUILTIN_KINDS.contains(&e.kind.as_str()) && !index.kinds.contains_key(e.kind.as_str()) {
            out.push(unknown_kind(&e.kind, index, at("kind", 0, "")).with_id(&e.id));
        }
        for (i, a) in e.actors.iter().enumerate() {
            // A bare id has no `actor` key; its path then resolves to the id itself.
            missing.check(
                ListKind::Actors,
                &a.actor,
                &index.actors,
                || at("actors", i, "actor"),
                &e.id,
                out,
            );
        }
        for (i, q) in e.quotes.iter().enumerate() {
            missing.check(
                ListKind::Actors,
                &q.by,
                &index.actors,
                || at("quotes", i, "by"),
                &e.id,
                out,
            );
        }
        for (i, s) in e.sources.iter().enumerate() {
            if let SourceRef::Id { source, .. } = s {
                missing.check(
                    ListKind::Sources,
                    source,
                    &index.sources,
                    || at("sources", i, "source"),
                    &e.id,
                    out,
                );
            }
        }
        for (i, r) in e.related.iter().enumerate() {
            missing.check(
                ListKind::Events,
                &r.event,
                &index.events,
                || at("related", i, "event"),
                &e.id,
                out,
            );
        }
    }
    for o in &record.orphan_refs {
        let known = match o.target {
            ListKind::Actors => &index.actors,
            ListKind::Sources => &index.sources,
            ListKind::Events => &index.events,
            ListKind::Kinds => {
                if !BUILTIN_KINDS.contains(&o.id.as_str())
                    && !index.kinds.contains_key(o.id.as_str())
                {
                    out.push(
                        unknown_kind(&o.id, index, Locus::path(o.file, o.path.clone()))
                            .with_id_opt(o.owner.as_deref()),
                    );
                }
                continue;
            }
        };
        missing.check(
            o.target,
            &o.id,
            known,
            || Locus::path(o.file, o.path.clone()),
            o.owner.as_deref().unwrap_or(""),
            out,
        );
    }
    for a in &record.actors {
        for (i, m) in a.member_of.iter().enumerate() {
            let p = a.origin.path(ListKind::Actors).key("member_of").index(i);
            missing.check(
                ListKind::Actors,
                m,
                &index.actors,
                || Locus::path(a.origin.file, p.clone()),
                &a.id,
                out,
            );
        }
    }
}

fn unknown_kind(kind: &str, index: &Index<'_>, locus: Locus) -> Diagnostic {
    let mut declared: Vec<&str> = index.kinds.keys().copied().collect();
    declared.sort_unstable();
    let cands = BUILTIN_KINDS.iter().copied().chain(declared);
    Diagnostic::new(Code::UnknownKind, format!("unknown kind `{kind}`"), locus).with_help(
        match did_you_mean(kind, cands) {
            Some(k) => format!("did you mean `{k}`?"),
            None => {
                format!("declare it in a `kinds:` list, e.g. `kinds: [{{id: {kind}, label: ...}}]`")
            }
        },
    )
}

struct Missing<'r> {
    /// Ids of items that failed to load, by list: already reported.
    broken: std::collections::HashSet<(ListKind, &'r str)>,
    /// How many more "did you mean" searches to make.
    suggestions: std::cell::Cell<usize>,
}

impl Missing<'_> {
    fn check(
        &self,
        list: ListKind,
        id: &str,
        known: &crate::index::FastMap<&str, usize>,
        locus: impl FnOnce() -> Locus,
        owner: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        if known.contains_key(id) || self.broken.contains(&(list, id)) {
            return;
        }
        // A suggestion scans every known id; past a budget of suggestions
        // (a record full of dangling ids) stop suggesting, so checking stays
        // linear in the record's size.
        let budget = self.suggestions.get();
        let nearest = if budget > 0 {
            self.suggestions.set(budget - 1);
            did_you_mean(id, known.keys().copied())
        } else {
            None
        };
        let locus = locus();
        let what = list.noun();
        let help = nearest
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| {
                format!(
                    "define the {what} under `{}:` in any file, or fix the id",
                    list.key()
                )
            });
        out.push(
            Diagnostic::new(code(list), format!("unknown {what} `{id}`"), locus)
                .with_id_opt((!owner.is_empty()).then_some(owner))
                .with_help(help),
        );
    }
}

fn code(list: ListKind) -> Code {
    match list {
        ListKind::Actors => Code::UnknownActor,
        ListKind::Sources => Code::UnknownSource,
        ListKind::Events => Code::UnknownEvent,
        ListKind::Kinds => Code::UnknownKind,
    }
}
