//! Lanes: which events go in which row of a timeline (or which stack of a
//! histogram).

use crate::chart::LaneBy;
use crate::chart::palette::Palette;
use crate::index::FastMap;
use crate::model::{ActorType, Event, Record, Role};
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

/// Which lanes to make, and how to rank them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Choice<'a> {
    /// Per event: whether it counts for ranking (in the window); empty:
    /// every event counts.
    pub counted: &'a [bool],
    /// Actor lanes to put first, in this order, never merged (`--actor`).
    pub pinned: &'a [String],
    /// The roles that make actor lanes (`--roles`); empty: every role. An
    /// event with no actor in these roles goes in all its actors' lanes.
    pub roles: &'a [Role],
}

/// The lanes of `events`, in display order, at most [`MAX_LANES`], every
/// event counted and every role making a lane.
pub fn build(record: &Record, events: &[&Event], by: LaneBy, palette: &Palette) -> Vec<Lane> {
    build_with(record, events, by, palette, Choice::default())
}

/// The name a country lane shows: the name of the record's state actor for
/// that code (`Japan` for `JPN`), else the code itself.
pub fn country_name(record: &Record, code: &str) -> String {
    record
        .actors
        .iter()
        .find(|a| a.kind == ActorType::State && a.country.as_deref() == Some(code))
        .map_or_else(|| code.to_string(), |a| a.name.to_string())
}

/// The lanes of `events` as `choice` says: past [`MAX_LANES`], the lanes
/// with most counted events keep theirs (the pinned always do).
pub fn build_with(
    record: &Record,
    events: &[&Event],
    by: LaneBy,
    palette: &Palette,
    choice: Choice<'_>,
) -> Vec<Lane> {
    let counted = |i: &usize| choice.counted.get(*i).copied().unwrap_or(true);
    let weight = |lane: &Lane| lane.events.iter().filter(|i| counted(i)).count();
    // Actors by id; the first of a duplicated id, as `Index` has it.
    let mut index: FastMap<&str, usize> = FastMap::default();
    for (i, a) in record.actors.iter().enumerate() {
        index.entry(a.id.as_str()).or_insert(i);
    }
    let mut lanes: Vec<Lane> = match by {
        LaneBy::None => vec![Lane {
            key: "*".into(),
            name: "All events".into(),
            events: (0..events.len()).collect(),
        }],
        LaneBy::Kind => {
            let mut m: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
            for (i, e) in events.iter().enumerate() {
                let rank = palette.rank(&e.kind);
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
            // Events are gathered per actor id first, and each lane's sort
            // key made once per actor, not once per mention (a large
            // record has hundreds of thousands).
            let mut at: FastMap<&str, usize> = FastMap::default();
            let mut gathered: Vec<(&str, Vec<usize>)> = Vec::new();
            for (i, e) in events.iter().enumerate() {
                // An event with no actor in the chosen roles keeps the
                // lanes of all its actors: drawn, never silently dropped.
                let any_role = choice.roles.is_empty()
                    || !e.actors.iter().any(|a| choice.roles.contains(&a.role));
                for a in &e.actors {
                    if !(any_role || choice.roles.contains(&a.role)) {
                        continue;
                    }
                    let lane = *at.entry(a.actor.as_str()).or_insert_with(|| {
                        gathered.push((a.actor.as_str(), Vec::new()));
                        gathered.len() - 1
                    });
                    let members = &mut gathered[lane].1;
                    // An actor named twice in one event: one mark.
                    if members.last() != Some(&i) {
                        members.push(i);
                    }
                }
            }
            // Grouped by country (none last), then states before
            // governments before people ..., then name, then id.
            let mut keyed: Vec<_> = gathered
                .into_iter()
                .map(|(id, ev)| {
                    let actor = index.get(id).map(|&i| &record.actors[i]);
                    let country = actor.and_then(|x| x.country.as_deref());
                    let key = (
                        country.is_none(),
                        country.unwrap_or_default(),
                        type_rank(actor.map_or(ActorType::Other, |x| x.kind)),
                        actor.map_or(id, |x| x.name.as_str()),
                        id,
                    );
                    (key, ev)
                })
                .collect();
            keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            keyed
                .into_iter()
                .map(|((_, _, _, name, id), ev)| Lane {
                    key: id.to_string(),
                    name: name.to_string(),
                    events: ev,
                })
                .collect()
        }
        LaneBy::Country => {
            let mut m: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
            for (i, e) in events.iter().enumerate() {
                let mut seen: Vec<Option<&str>> = Vec::new();
                for a in &e.actors {
                    let c = index
                        .get(a.actor.as_str())
                        .and_then(|&x| record.actors[x].country.as_deref());
                    if !seen.contains(&c) {
                        seen.push(c);
                        m.entry(c).or_default().push(i);
                    }
                }
            }
            let mut v: Vec<Lane> = m
                .into_iter()
                .map(|(c, ev)| Lane {
                    key: c.unwrap_or("-").to_string(),
                    name: c.map_or_else(|| "No country".into(), |c| country_name(record, c)),
                    events: ev,
                })
                .collect();
            // Busiest (in the window) first; "No country" last.
            v.sort_by_cached_key(|l| (l.key == "-", std::cmp::Reverse(weight(l)), l.key.clone()));
            v
        }
    };
    if by == LaneBy::Actor && !choice.pinned.is_empty() {
        // A filtered actor's lane first: the chart is about it.
        let pin = |l: &Lane| choice.pinned.iter().position(|p| *p == l.key);
        lanes.sort_by_key(|l| pin(l).unwrap_or(usize::MAX));
    }
    if lanes.len() > MAX_LANES {
        let pinned = |l: &Lane| choice.pinned.contains(&l.key);
        // Each lane's rank key made once: a lane's weight counts its
        // events, and a comparator counting them was a third of a
        // 100,000-event chart's lanes.
        let mut by_size: Vec<_> = lanes
            .iter()
            .enumerate()
            .map(|(i, l)| ((!pinned(l), std::cmp::Reverse(weight(l)), i), i))
            .collect();
        by_size.sort_unstable();
        let mut keep = vec![false; lanes.len()];
        for &(_, i) in &by_size[..MAX_LANES - 1] {
            keep[i] = true;
        }
        // The merged lane's events, ascending and each once: marked, then
        // read off in order (sorting the lanes' concatenation cost more
        // than all the rest of the lanes).
        let mut in_rest = vec![false; events.len()];
        let mut merged = 0;
        let mut kept = Vec::with_capacity(MAX_LANES);
        for (i, lane) in lanes.into_iter().enumerate() {
            if keep[i] {
                kept.push(lane);
            } else {
                merged += 1;
                for e in lane.events {
                    in_rest[e] = true;
                }
            }
        }
        let rest: Vec<usize> = (0..events.len()).filter(|&e| in_rest[e]).collect();
        kept.push(Lane {
            key: "~".into(),
            name: crate::chart::counts::rest_label(merged, "lanes"),
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
