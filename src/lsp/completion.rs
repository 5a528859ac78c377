//! Completion of ids and keywords at the cursor.
//!
//! Ids are offered with what tells them apart (an actor's name, type and
//! event count; a source's title and publisher; an event's date and
//! title), and match what was typed in their id, name or aliases, so that
//! typing a name completes to the id. The list is cut at [`MAX_ITEMS`]
//! (best matches first) and marked incomplete, so a record of 10,000
//! events never sends them all.

use super::context::{self, Field};
use super::position::Lines;
use crate::model::{ActorType, BUILTIN_KINDS, Record, Relation, Role, SourceType, Status};
use crate::names::name_key;
use lsp_types::{CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, TextEdit};
use std::collections::HashMap;

pub const MAX_ITEMS: usize = 100;

/// A candidate before it is an item: its rank (lower is better), id and
/// detail.
struct Candidate {
    rank: u8,
    id: String,
    detail: String,
    filter: String,
}

/// The completions at byte `at` of `lines`' text.
pub fn complete(record: &Record, lines: &Lines, at: usize) -> CompletionList {
    let text = lines.text();
    let cursor = context::at(text, at);
    let empty = CompletionList {
        is_incomplete: false,
        items: Vec::new(),
    };
    if cursor.in_key {
        return empty;
    }
    let typed = name_key(cursor.prefix(text));
    let mut cands: Vec<Candidate> = Vec::new();
    let mut offer = |id: &str, names: &[&str], detail: &dyn Fn() -> String| {
        if let Some(rank) = rank(&typed, id, names) {
            cands.push(Candidate {
                rank,
                id: id.to_string(),
                detail: detail(),
                filter: std::iter::once(id)
                    .chain(names.iter().copied())
                    .collect::<Vec<_>>()
                    .join(" "),
            });
        }
    };
    match cursor.field {
        Field::Actor => {
            let counts = event_counts(record);
            for a in &record.actors {
                let names: Vec<&str> = std::iter::once(a.name.as_str())
                    .chain(a.aliases.iter().map(String::as_str))
                    .collect();
                let n = counts.get(a.id.as_str()).copied().unwrap_or(0);
                offer(&a.id, &names, &|| {
                    format!("{} · {} · {}", a.name, a.kind.as_str(), events(n))
                });
            }
        }
        Field::Source => {
            for s in &record.sources {
                offer(&s.id, &[s.title.as_str()], &|| {
                    format!("{} — {}", s.title, s.publisher)
                });
            }
        }
        Field::Event => {
            for e in &record.events {
                offer(&e.id, &[e.title.as_str()], &|| {
                    format!("{} · {}", e.date.label(), e.title)
                });
            }
        }
        Field::Kind => {
            for k in BUILTIN_KINDS {
                offer(k, &[], &|| "built-in kind".to_string());
            }
            for k in &record.kinds {
                let label = k.label.as_deref().unwrap_or("");
                offer(&k.id, &[label], &|| format!("declared kind {label}"));
            }
        }
        Field::Role => keywords(Role::NAMES, &mut offer),
        Field::Status => keywords(Status::NAMES, &mut offer),
        Field::Relation => keywords(Relation::NAMES, &mut offer),
        Field::ActorType => keywords(ActorType::NAMES, &mut offer),
        Field::SourceType => keywords(SourceType::NAMES, &mut offer),
        Field::Date | Field::Id(_) | Field::Other => return empty,
    }
    cands.sort_by(|a, b| (a.rank, &a.id).cmp(&(b.rank, &b.id)));
    let is_incomplete = cands.len() > MAX_ITEMS;
    cands.truncate(MAX_ITEMS);
    let range = lines.range(cursor.value.start.min(at), cursor.value.end.max(at));
    let items = cands
        .into_iter()
        .enumerate()
        .map(|(i, c)| CompletionItem {
            label: c.id.clone(),
            kind: Some(CompletionItemKind::VALUE),
            detail: Some(c.detail),
            sort_text: Some(format!("{i:04}")),
            filter_text: Some(c.filter),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: c.id,
            })),
            ..CompletionItem::default()
        })
        .collect();
    CompletionList {
        is_incomplete,
        items,
    }
}

/// Offers a candidate: its id, the names it also matches, its detail.
type Offer<'a> = dyn FnMut(&str, &[&str], &dyn Fn() -> String) + 'a;

fn keywords(names: &[&str], offer: &mut Offer<'_>) {
    for n in names {
        offer(n, &[], &String::new);
    }
}

fn events(n: usize) -> String {
    if n == 1 {
        "1 event".into()
    } else {
        format!("{n} events")
    }
}

/// How well `typed` (folded) matches an id or one of its names: the id's
/// start, then the start of a name's word, then anywhere.
fn rank(typed: &str, id: &str, names: &[&str]) -> Option<u8> {
    let id_words = id.replace('-', " ");
    if typed.is_empty() || id_words.starts_with(typed) {
        return Some(0);
    }
    let folded: Vec<String> = names.iter().map(|n| name_key(n)).collect();
    if folded
        .iter()
        .any(|n| n.starts_with(typed) || n.split(' ').any(|w| w.starts_with(typed)))
    {
        return Some(1);
    }
    if id_words.contains(typed) || folded.iter().any(|n| n.contains(typed)) {
        return Some(2);
    }
    None
}

/// Events per actor id, counting each event once per actor it names.
pub fn event_counts(record: &Record) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in &record.events {
        let mut seen: Vec<&str> = Vec::with_capacity(e.actors.len());
        for a in &e.actors {
            if !seen.contains(&a.actor.as_str()) {
                seen.push(&a.actor);
                *counts.entry(&a.actor).or_default() += 1;
            }
        }
    }
    counts
}
