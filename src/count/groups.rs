//! What an event is counted under: its kind, actors, countries, initiators,
//! targets, dyads (initiator → target), status or tags.

use crate::index::{FastMap, Index};
use crate::keyword::keyword_enum;
use crate::model::{Event, Record, Role};
use crate::query::members_of;

keyword_enum!(
    /// A dimension to group counts by.
    By ("dimension") {
        Kind = "kind",
        /// Every actor of the event, whatever its role.
        Actor = "actor",
        /// The countries of the event's actors.
        Country = "country",
        Initiator = "initiator",
        Target = "target",
        /// Every (initiator, target) pair of the event.
        Dyad = "dyad",
        Status = "status",
        Tag = "tag",
    }
);

/// The key of an event that has nothing in a dimension (no tag, no
/// target, an actor without a country). It cannot be mistaken for an id,
/// which is a slug, or a country code.
pub const NONE: &str = "(none)";

impl By {
    /// The columns a key of this dimension fills: a dyad has two.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            By::Dyad => &["initiator", "target"],
            By::Kind => &["kind"],
            By::Actor => &["actor"],
            By::Country => &["country"],
            By::Initiator => &["initiator"],
            By::Target => &["target"],
            By::Status => &["status"],
            By::Tag => &["tag"],
        }
    }
}

/// Finds the groups of events. With `fold`, members (transitively) of the
/// given actors are counted as those actors: ministers as their government.
pub struct Grouper<'r> {
    record: &'r Record,
    index: Index<'r>,
    fold: FastMap<&'r str, &'r str>,
    by: Vec<By>,
}

impl<'r> Grouper<'r> {
    /// Groups by the dimensions `by` (none: one group of everything),
    /// folding the members of the actors at positions `fold` into them. An
    /// actor that is a member of two of them folds into the first given.
    pub fn new(record: &'r Record, by: &[By], fold: &[usize]) -> Grouper<'r> {
        let mut map: FastMap<&'r str, &'r str> = FastMap::default();
        for &g in fold {
            let group = record.actors[g].id.as_str();
            map.entry(group).or_insert(group);
            for m in members_of(record, g) {
                map.entry(record.actors[m].id.as_str()).or_insert(group);
            }
        }
        Grouper {
            record,
            index: Index::new(record),
            fold: map,
            by: by.to_vec(),
        }
    }

    pub fn by(&self) -> &[By] {
        &self.by
    }

    /// The record's index, for callers that need names (built once).
    pub fn index(&self) -> &Index<'r> {
        &self.index
    }

    /// The actor `id` counts as.
    pub fn actor(&self, id: &'r str) -> &'r str {
        self.fold.get(id).copied().unwrap_or(id)
    }

    fn actors_in(&self, e: &'r Event, role: Option<Role>) -> Vec<&'r str> {
        let mut v: Vec<&'r str> = e
            .actors
            .iter()
            .filter(|a| role.is_none_or(|r| a.role == r))
            .map(|a| self.actor(a.actor.as_str()))
            .collect();
        v.sort_unstable();
        v.dedup();
        if v.is_empty() {
            v.push(NONE);
        }
        v
    }

    /// The keys of `e` in dimension `by`, sorted, each once, each with
    /// `by.columns().len()` parts; `[NONE, ..]` when it has none.
    pub fn keys(&self, e: &'r Event, by: By) -> Vec<Vec<&'r str>> {
        let one = |v: Vec<&'r str>| v.into_iter().map(|k| vec![k]).collect();
        match by {
            By::Kind => vec![vec![e.kind.as_str()]],
            By::Status => vec![vec![e.status.as_str()]],
            By::Tag => {
                let mut v: Vec<&'r str> = e.tags.iter().map(|t| t.as_str()).collect();
                v.sort_unstable();
                v.dedup();
                if v.is_empty() {
                    v.push(NONE);
                }
                one(v)
            }
            By::Actor => one(self.actors_in(e, None)),
            By::Initiator => one(self.actors_in(e, Some(Role::Initiator))),
            By::Target => one(self.actors_in(e, Some(Role::Target))),
            By::Country => {
                let mut v: Vec<&'r str> = self
                    .actors_in(e, None)
                    .into_iter()
                    .map(|a| {
                        self.index
                            .actor(self.record, a)
                            .and_then(|x| x.country.as_deref())
                            .unwrap_or(NONE)
                    })
                    .collect();
                v.sort_unstable();
                v.dedup();
                one(v)
            }
            By::Dyad => {
                let from = self.actors_in(e, Some(Role::Initiator));
                let to = self.actors_in(e, Some(Role::Target));
                from.iter()
                    .flat_map(|&i| to.iter().map(move |&t| vec![i, t]))
                    .collect()
            }
        }
    }

    /// The groups `e` is counted in: every combination of its keys in each
    /// dimension, each once.
    pub fn groups(&self, e: &'r Event) -> Vec<Vec<&'r str>> {
        let mut out: Vec<Vec<&'r str>> = vec![Vec::new()];
        for &by in &self.by {
            let keys = self.keys(e, by);
            out = out
                .iter()
                .flat_map(|prefix| {
                    keys.iter().map(move |k| {
                        let mut g = prefix.clone();
                        g.extend_from_slice(k);
                        g
                    })
                })
                .collect();
        }
        out
    }
}
