//! Lanes: which events go in which row of a timeline (or which stack of a
//! histogram).

use crate::chart::LaneBy;
use crate::chart::palette::Palette;
use crate::index::Index;
use crate::model::{ActorType, Event, Record};
use std::collections::BTreeMap;

/// More lanes than this are merged: the busiest keep their lane, the rest
/// share a last lane "Other".
pub const MAX_LANES: usize = 40;

/// A lane and the events in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// What the lane stands for: an actor id, kind id, country code, or
    /// `*` for everything and `~` for the merged rest.
    pub key: String,
    pub name: String,
    /// Indexes into the events given, ascending, each once.
    pub events: Vec<usize>,
}

/// The lanes of `events`, in display order, at most [`MAX_LANES`].
pub fn build(record: &Record, events: &[&Event], by: LaneBy, palette: &Palette) -> Vec<Lane> {
    let index = Index::new(record);
    let mut lanes: Vec<Lane> = match by {
        LaneBy::None => vec![Lane {
            key: "*".into(),
            name: "All events".into(),
            events: (0..events.len()).collect(),
        }],
        LaneBy::Kind => {
            let mut m: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
            for (i, e) in events.iter().enumerate() {
                let rank = palette.style(&e.kind).rank;
                m.entry((rank, e.kind.as_str())).or_default().push(i);
            }
            m.into_iter()
                .map(|((_, k), ev)| Lane {
                    key: k.to_string(),
                    name: palette.style(k).label,
                    events: ev,
                })
                .collect()
        }
        LaneBy::Actor => {
            // Grouped by country (none last), then states before
            // governments before people ..., then name.
            let mut m: BTreeMap<(bool, String, usize, String, String), Vec<usize>> =
                BTreeMap::new();
            for (i, e) in events.iter().enumerate() {
                let mut seen: Vec<&str> = Vec::new();
                for a in &e.actors {
                    if seen.contains(&a.actor.as_str()) {
                        continue;
                    }
                    seen.push(&a.actor);
                    let actor = index.actor(record, &a.actor);
                    let country = actor.and_then(|x| x.country.clone());
                    let key = (
                        country.is_none(),
                        country.unwrap_or_default(),
                        type_rank(actor.map_or(ActorType::Other, |x| x.kind)),
                        actor.map_or_else(|| a.actor.to_string(), |x| x.name.clone()),
                        a.actor.to_string(),
                    );
                    m.entry(key).or_default().push(i);
                }
            }
            m.into_iter()
                .map(|((_, _, _, name, id), ev)| Lane {
                    key: id,
                    name,
                    events: ev,
                })
                .collect()
        }
        LaneBy::Country => {
            let mut m: BTreeMap<Option<String>, Vec<usize>> = BTreeMap::new();
            for (i, e) in events.iter().enumerate() {
                let mut seen: Vec<Option<String>> = Vec::new();
                for a in &e.actors {
                    let c = index
                        .actor(record, &a.actor)
                        .and_then(|x| x.country.clone());
                    if !seen.contains(&c) {
                        seen.push(c.clone());
                        m.entry(c).or_default().push(i);
                    }
                }
            }
            let mut v: Vec<Lane> = m
                .into_iter()
                .map(|(c, ev)| Lane {
                    key: c.clone().unwrap_or_else(|| "-".into()),
                    name: c.unwrap_or_else(|| "No country".into()),
                    events: ev,
                })
                .collect();
            // Busiest first; "No country" last.
            v.sort_by(|a, b| {
                (a.key == "-", std::cmp::Reverse(a.events.len()), &a.key).cmp(&(
                    b.key == "-",
                    std::cmp::Reverse(b.events.len()),
                    &b.key,
                ))
            });
            v
        }
    };
    if lanes.len() > MAX_LANES {
        let mut by_size: Vec<usize> = (0..lanes.len()).collect();
        by_size.sort_by_key(|&i| (std::cmp::Reverse(lanes[i].events.len()), i));
        let keep: std::collections::BTreeSet<usize> =
            by_size[..MAX_LANES - 1].iter().copied().collect();
        let mut rest: Vec<usize> = Vec::new();
        let mut merged = 0;
        let mut kept = Vec::with_capacity(MAX_LANES);
        for (i, lane) in lanes.into_iter().enumerate() {
            if keep.contains(&i) {
                kept.push(lane);
            } else {
                merged += 1;
                rest.extend(lane.events);
            }
        }
        rest.sort_unstable();
        rest.dedup();
        kept.push(Lane {
            key: "~".into(),
            name: format!("Other ({merged} lanes)"),
            events: rest,
        });
        lanes = kept;
    }
    lanes
}

/// States first, then governments, people, organizations, ...
fn type_rank(t: ActorType) -> usize {
    match t {
        ActorType::State => 0,
        ActorType::Government => 1,
        ActorType::Person => 2,
        ActorType::Organization => 3,
        ActorType::Party => 4,
        ActorType::Group => 5,
        ActorType::Media => 6,
        ActorType::Other => 7,
    }
}
