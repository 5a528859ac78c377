//! Actor checks: names that resolve to two actors, and `member_of` cycles.

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus};
use crate::index::Index;
use crate::model::{ListKind, Record};
use crate::names::name_key;
use std::collections::HashMap;

/// A name or alias (or id) that, compared as queries compare them, belongs
/// to two different actors.
/// A second actor with an already used id is a `duplicate-id` error and is
/// not looked at here: its names would all clash with the first's.
pub fn ambiguous_names(record: &Record, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    // name key -> actor index
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (ai, a) in record.actors.iter().enumerate() {
        if index.actors.get(a.id.as_str()) != Some(&ai) {
            continue;
        }
        let item = a.origin.path(ListKind::Actors);
        let names = std::iter::once((a.id.as_str(), item.key("id")))
            .chain(std::iter::once((a.name.as_str(), item.key("name"))))
            .chain(
                a.aliases
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.as_str(), item.key("aliases").index(i))),
            );
        for (written, path) in names {
            let key = name_key(written);
            if key.is_empty() {
                continue;
            }
            match owner.get(&key) {
                Some(&other) if other != ai => {
                    let o = &record.actors[other];
                    out.push(
                        Diagnostic::new(
                            Code::AmbiguousName,
                            format!("`{written}` also names actor `{}` ({})", o.id, o.name),
                            Locus::path(a.origin.file, path),
                        )
                        .with_id(&a.id)
                        .with_help("a name or alias must lead to one actor; drop it or make it more specific")
                        .with_note(
                            format!("`{}` is defined here", o.id),
                            Locus::path(o.origin.file, o.origin.path(ListKind::Actors).key("id")),
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    owner.insert(key, ai);
                }
            }
        }
    }
}

/// `member_of` must not loop back: a cycle is reported once, at the link
/// that closes it. Iterative depth-first search, linear in the links.
pub fn membership_cycles(record: &Record, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let n = record.actors.len();
    let mut state = vec![State::New; n];
    for start in 0..n {
        if state[start] != State::New {
            continue;
        }
        // (actor, next member_of link to follow)
        let mut stack = vec![(start, 0usize)];
        state[start] = State::Open;
        while let Some(&mut (a, ref mut link)) = stack.last_mut() {
            let actor = &record.actors[a];
            let Some(target) = actor.member_of.get(*link) else {
                state[a] = State::Done;
                stack.pop();
                continue;
            };
            let this_link = *link;
            *link += 1;
            let Some(&t) = index.actors.get(target.as_str()) else {
                continue;
            };
            match state[t] {
                State::New => {
                    state[t] = State::Open;
                    stack.push((t, 0));
                }
                State::Open => {
                    let pos = stack.iter().position(|&(x, _)| x == t).unwrap_or(0);
                    let chain: Vec<&str> = stack[pos..]
                        .iter()
                        .map(|&(x, _)| record.actors[x].id.as_str())
                        .chain(std::iter::once(record.actors[t].id.as_str()))
                        .collect();
                    out.push(
                        Diagnostic::new(
                            Code::MemberCycle,
                            format!("`member_of` goes round in a circle: {}", chain.join(" -> ")),
                            Locus::path(
                                actor.origin.file,
                                actor.origin.path(ListKind::Actors).key("member_of").index(this_link),
                            ),
                        )
                        .with_id(&actor.id)
                        .with_help("an actor cannot be, even indirectly, a member of itself; remove one link"),
                    );
                }
                State::Done => {}
            }
        }
    }
}
