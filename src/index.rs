//! Lookups by id over a [`Record`], built once in linear time.

use crate::model::{Actor, Event, ListKind, Record, Source};
use std::collections::HashMap;

/// A hash map with a fast non-cryptographic hasher: ids come from the
/// user's own files, so hash flooding is no concern, and SipHash was a
/// visible share of `check` on a large record.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Id -> position maps for a record. Where an id is defined twice, the first
/// definition wins, and the pair is listed in [`Index::duplicates`].
#[derive(Debug, Default)]
pub struct Index<'r> {
    pub events: FastMap<&'r str, usize>,
    pub actors: FastMap<&'r str, usize>,
    pub sources: FastMap<&'r str, usize>,
    pub kinds: FastMap<&'r str, usize>,
    /// (list, first position, repeated position), in list order.
    pub duplicates: Vec<(ListKind, usize, usize)>,
}

impl<'r> Index<'r> {
    pub fn new(record: &'r Record) -> Self {
        let mut duplicates = Vec::new();
        let mut map = |list: ListKind, ids: &mut dyn ExactSizeIterator<Item = &'r str>| {
            let mut m = FastMap::with_capacity_and_hasher(ids.len(), Default::default());
            for (i, id) in ids.enumerate() {
                match m.entry(id) {
                    std::collections::hash_map::Entry::Occupied(first) => {
                        duplicates.push((list, *first.get(), i));
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(i);
                    }
                }
            }
            m
        };
        let events = map(
            ListKind::Events,
            &mut record.events.iter().map(|e| e.id.as_str()),
        );
        let actors = map(
            ListKind::Actors,
            &mut record.actors.iter().map(|a| a.id.as_str()),
        );
        let sources = map(
            ListKind::Sources,
            &mut record.sources.iter().map(|s| s.id.as_str()),
        );
        let kinds = map(
            ListKind::Kinds,
            &mut record.kinds.iter().map(|k| k.id.as_str()),
        );
        Index {
            events,
            actors,
            sources,
            kinds,
            duplicates,
        }
    }

    pub fn event<'a>(&self, record: &'a Record, id: &str) -> Option<&'a Event> {
        self.events.get(id).map(|&i| &record.events[i])
    }

    pub fn actor<'a>(&self, record: &'a Record, id: &str) -> Option<&'a Actor> {
        self.actors.get(id).map(|&i| &record.actors[i])
    }

    pub fn source<'a>(&self, record: &'a Record, id: &str) -> Option<&'a Source> {
        self.sources.get(id).map(|&i| &record.sources[i])
    }
}
