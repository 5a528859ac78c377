//! Lookups by id over a [`Record`], built once in linear time.

use crate::model::{Actor, Event, Record, Source};
use std::collections::HashMap;

/// Id -> position maps for a record. Where an id is defined twice, the first
/// definition wins (the second is a `duplicate-id` error).
#[derive(Debug, Default)]
pub struct Index<'r> {
    pub events: HashMap<&'r str, usize>,
    pub actors: HashMap<&'r str, usize>,
    pub sources: HashMap<&'r str, usize>,
    pub kinds: HashMap<&'r str, usize>,
}

impl<'r> Index<'r> {
    pub fn new(record: &'r Record) -> Self {
        fn map<'r, T>(items: &'r [T], id: impl Fn(&'r T) -> &'r str) -> HashMap<&'r str, usize> {
            let mut m = HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                m.entry(id(item)).or_insert(i);
            }
            m
        }
        Index {
            events: map(&record.events, |e| e.id.as_str()),
            actors: map(&record.actors, |a| a.id.as_str()),
            sources: map(&record.sources, |s| s.id.as_str()),
            kinds: map(&record.kinds, |k| k.id.as_str()),
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
