//! Everything an event names exists: actors, sources, kinds, related events
//! and quote speakers; actors' `member_of` names actors.

use crate::diag::{Diagnostic, Locus, did_you_mean};
use crate::index::Index;
use crate::model::{BUILTIN_KINDS, ListKind, Record, SourceRef};
use crate::yaml::YamlPath;

pub fn references(record: &Record, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let missing = Missing {
        broken: record.broken.iter().map(|(_, id)| id.as_str()).collect(),
    };
    for e in &record.events {
        let at = |p: YamlPath| Locus::path(e.origin.file, p);
        let item = e.origin.path(ListKind::Events);
        if !BUILTIN_KINDS.contains(&e.kind.as_str()) && !index.kinds.contains_key(e.kind.as_str()) {
            out.push(unknown_kind(&e.kind, index, at(item.key("kind"))).with_id(&e.id));
        }
        for (i, a) in e.actors.iter().enumerate() {
            // A bare id has no `actor` key; its path then resolves to the id itself.
            let p = item.key("actors").index(i).key("actor");
            missing.check("actor", &a.actor, &index.actors, at(p), &e.id, out);
        }
        for (i, q) in e.quotes.iter().enumerate() {
            let p = item.key("quotes").index(i).key("by");
            missing.check("actor", &q.by, &index.actors, at(p), &e.id, out);
        }
        for (i, s) in e.sources.iter().enumerate() {
            if let SourceRef::Id { source, .. } = s {
                let p = item.key("sources").index(i).key("source");
                missing.check("source", source, &index.sources, at(p), &e.id, out);
            }
        }
        for (i, r) in e.related.iter().enumerate() {
            let p = item.key("related").index(i).key("event");
            missing.check("event", &r.event, &index.events, at(p), &e.id, out);
        }
    }
    for o in &record.orphan_refs {
        let (what, known) = match o.target {
            ListKind::Actors => ("actor", &index.actors),
            ListKind::Sources => ("source", &index.sources),
            ListKind::Events => ("event", &index.events),
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
            what,
            &o.id,
            known,
            Locus::path(o.file, o.path.clone()),
            o.owner.as_deref().unwrap_or(""),
            out,
        );
    }
    for a in &record.actors {
        for (i, m) in a.member_of.iter().enumerate() {
            let p = a.origin.path(ListKind::Actors).key("member_of").index(i);
            missing.check(
                "actor",
                m,
                &index.actors,
                Locus::path(a.origin.file, p),
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
    Diagnostic::error("unknown-kind", format!("unknown kind `{kind}`"), locus).with_help(
        match did_you_mean(kind, cands) {
            Some(k) => format!("did you mean `{k}`?"),
            None => {
                format!("declare it in a `kinds:` list, e.g. `kinds: [{{id: {kind}, label: ...}}]`")
            }
        },
    )
}

struct Missing<'r> {
    /// Ids of items that failed to load: already reported.
    broken: std::collections::HashSet<&'r str>,
}

impl Missing<'_> {
    fn check(
        &self,
        what: &str,
        id: &str,
        known: &crate::index::FastMap<&str, usize>,
        locus: Locus,
        owner: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        if known.contains_key(id) || self.broken.contains(id) {
            return;
        }
        let help = did_you_mean(id, known.keys().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("add the {what} to a `{what}s:` list, or fix the id"));
        out.push(
            Diagnostic::error(format_code(what), format!("unknown {what} `{id}`"), locus)
                .with_id_opt((!owner.is_empty()).then_some(owner))
                .with_help(help),
        );
    }
}

fn format_code(what: &str) -> &'static str {
    match what {
        "actor" => "unknown-actor",
        "source" => "unknown-source",
        _ => "unknown-event",
    }
}
