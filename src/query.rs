//! Filters over a record: which events answer a question.
//!
//! A [`Query`] is what the user asked (actor names, kinds, dates as typed);
//! [`Query::compile`] resolves it against a record into a [`Filter`], which
//! tests events cheaply. Repeating one filter means OR; different filters
//! combine with AND. [`select`] returns matches in timeline order.

use crate::date::Date;
use crate::diag::did_you_mean;
use crate::model::{Actor, BUILTIN_KINDS, Event, Record, Role, SourceRef, Status};
use crate::names::name_key;
use chrono::{Datelike, NaiveDate};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// What the user asked for, before it is resolved against a record.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Actor ids, names or aliases (any spelling [`name_key`] folds together).
    pub actors: Vec<String>,
    /// Also match every actor that is, transitively, `member_of` an actor.
    pub members: bool,
    /// Keep only events where a matched actor plays one of these roles.
    pub roles: Vec<Role>,
    pub kinds: Vec<String>,
    pub statuses: Vec<Status>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Require the event's whole span inside the range, not just overlap.
    pub within: bool,
    pub tags: Vec<String>,
    /// Source ids.
    pub sources: Vec<String>,
    /// Each is a set of words that must all occur (ignoring case) in the
    /// title, summary, quotes or date_text.
    pub text: Vec<String>,
}

/// A query that cannot be answered: an unknown actor, kind or source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    pub help: Option<String>,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.help {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

/// A compiled query: tests an event without allocating.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Actor ids to match; `None` = any actor. Looked up once per actor
    /// reference of every event, so hashed with foldhash (SipHash was a
    /// tenth of a warm query's instructions).
    actors: Option<HashSet<crate::model::Id, foldhash::fast::RandomState>>,
    roles: Vec<Role>,
    kinds: Vec<String>,
    statuses: Vec<Status>,
    /// The range's first and last day; `None` sides are unbounded.
    range: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    within: bool,
    tags: Vec<String>,
    sources: Vec<String>,
    /// Publishers (in [`name_key`] form) whose inline sources match `--source`.
    publishers: Vec<String>,
    /// Lower-cased words, per `--text`.
    text: Vec<Vec<String>>,
    /// Actor id -> its name and aliases, lower-cased, for `--text`.
    actor_names: HashMap<crate::model::Id, String>,
    /// How loose names were understood (`Trump` as `donald-trump`), for
    /// the user to see on stderr.
    notes: Vec<String>,
}

impl Query {
    /// Resolves names against `record`.
    ///
    /// # Errors
    ///
    /// An actor, kind or source that the record does not know, with the
    /// nearest known one as help.
    pub fn compile(&self, record: &Record) -> Result<Filter, QueryError> {
        // Only sources are looked up by id here: an index of every event
        // would be a hundred thousand entries built for nothing.
        let source_ids: HashSet<&str> = if self.sources.is_empty() {
            HashSet::default()
        } else {
            record.sources.iter().map(|s| s.id.as_str()).collect()
        };
        let mut notes = Vec::new();
        let actors = if self.actors.is_empty() {
            None
        } else {
            let names = ActorNames::new(record);
            let mut set = HashSet::default();
            for a in &self.actors {
                let found = names.lookup(a)?;
                notes.extend(found.note);
                let i = found.index;
                set.insert(record.actors[i].id.clone());
                if self.members {
                    for m in members_of(record, i) {
                        set.insert(record.actors[m].id.clone());
                    }
                }
            }
            Some(set)
        };
        let mut kinds = Vec::with_capacity(self.kinds.len());
        for k in &self.kinds {
            let (id, note) = kind_id(record, k)?;
            notes.extend(note);
            kinds.push(id);
        }
        let mut sources = Vec::with_capacity(self.sources.len());
        let mut publishers = Vec::new();
        for s in &self.sources {
            if source_ids.contains(s.as_str()) {
                sources.push(s.clone());
                continue;
            }
            // A publisher: every source it published, listed or inline.
            let key = name_key(s);
            let listed: Vec<&str> = record
                .sources
                .iter()
                .filter(|x| name_key(&x.publisher) == key)
                .map(|x| x.id.as_str())
                .collect();
            let inline = record.events.iter().flat_map(|e| &e.sources).any(|r| {
                matches!(r, SourceRef::Inline { source, .. } if name_key(&source.publisher) == key)
            });
            if listed.is_empty() && !inline {
                let mut cands: Vec<&str> = source_ids.iter().copied().collect();
                cands.sort_unstable();
                return Err(QueryError {
                    message: format!("no source has the id or publisher `{s}`"),
                    help: did_you_mean(s, cands.iter().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                });
            }
            notes.push(format!(
                "`{s}` taken as the publisher of {} source{}",
                listed.len() + usize::from(inline),
                if listed.len() + usize::from(inline) == 1 {
                    ""
                } else {
                    "s"
                }
            ));
            sources.extend(listed.into_iter().map(str::to_string));
            publishers.push(key);
        }
        let actor_names = if self.text.is_empty() {
            HashMap::new()
        } else {
            record
                .actors
                .iter()
                .map(|a| {
                    let mut names = a.name.to_lowercase();
                    for alias in &a.aliases {
                        names.push('\n');
                        names.push_str(&alias.to_lowercase());
                    }
                    (a.id.clone(), names)
                })
                .collect()
        };
        let range = if self.from.is_some() || self.to.is_some() {
            Some((
                self.from.as_ref().and_then(Date::earliest),
                self.to.as_ref().and_then(Date::latest),
            ))
        } else {
            None
        };
        Ok(Filter {
            actors,
            roles: self.roles.clone(),
            kinds,
            statuses: self.statuses.clone(),
            range,
            within: self.within,
            tags: self.tags.clone(),
            sources,
            publishers,
            actor_names,
            notes,
            text: self
                .text
                .iter()
                .map(|t| t.split_whitespace().map(str::to_lowercase).collect())
                .collect(),
        })
    }
}

/// The kind `k` names: an id, or a kind's label or id in other spelling
/// (`Missile launch` for `missile-launch`), with a note saying so.
fn kind_id(record: &Record, k: &str) -> Result<(String, Option<String>), QueryError> {
    if record.has_kind(k) {
        return Ok((k.to_string(), None));
    }
    let key = name_key(k);
    let builtin = BUILTIN_KINDS.iter().map(|id| (*id, None));
    let declared = record
        .kinds
        .iter()
        .map(|d| (d.id.as_str(), d.label.as_deref()));
    let mut found: Vec<&str> = builtin
        .chain(declared)
        .filter(|(id, label)| name_key(id) == key || label.is_some_and(|l| name_key(l) == key))
        .map(|(id, _)| id)
        .collect();
    found.dedup();
    if let [id] = found.as_slice() {
        return Ok((
            id.to_string(),
            Some(format!("`{k}` taken as the kind `{id}`")),
        ));
    }
    let declared = record.kinds.iter().map(|k| k.id.as_str());
    let cands: Vec<&str> = BUILTIN_KINDS.iter().copied().chain(declared).collect();
    Err(QueryError {
        message: format!("unknown kind `{k}`"),
        help: did_you_mean(k, cands.iter().copied()).map(|s| format!("did you mean `{s}`?")),
    })
}

impl Filter {
    /// How loose names in the query were understood, one line each
    /// (`` `Trump` taken as `donald-trump` (Donald Trump) ``).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Whether `e` answers the query.
    pub fn matches(&self, e: &Event) -> bool {
        self.actor_ok(e)
            && (self.kinds.is_empty() || self.kinds.iter().any(|k| k.as_str() == e.kind.as_str()))
            && (self.statuses.is_empty() || self.statuses.contains(&e.status))
            && self.date_ok(e)
            && (self.tags.is_empty()
                || e.tags
                    .iter()
                    .any(|t| self.tags.iter().any(|x| x.as_str() == t.as_str())))
            && ((self.sources.is_empty() && self.publishers.is_empty())
                || e.sources.iter().any(|s| match s {
                    SourceRef::Id { source, .. } => {
                        self.sources.iter().any(|x| x.as_str() == source.as_str())
                    }
                    SourceRef::Inline { source, .. } => {
                        !self.publishers.is_empty()
                            && self.publishers.contains(&name_key(&source.publisher))
                    }
                }))
            && (self.text.is_empty() || self.text.iter().any(|words| self.text_ok(e, words)))
    }

    fn actor_ok(&self, e: &Event) -> bool {
        let role_ok = |r: Role| self.roles.is_empty() || self.roles.contains(&r);
        match &self.actors {
            None => self.roles.is_empty() || e.actors.iter().any(|a| role_ok(a.role)),
            Some(set) => e
                .actors
                .iter()
                .any(|a| set.contains(&a.actor) && role_ok(a.role)),
        }
    }

    fn date_ok(&self, e: &Event) -> bool {
        let Some((from, to)) = self.range else {
            return true;
        };
        let (lo, hi) = (e.date.earliest(), e.date.latest());
        if self.within {
            // Inside: an open event side is never inside a bounded range side.
            let lo_ok = from.is_none_or(|f| lo.is_some_and(|l| l >= f));
            let hi_ok = to.is_none_or(|t| hi.is_some_and(|h| h <= t));
            lo_ok && hi_ok
        } else {
            // Overlap: the event ends on or after the range starts, and
            // starts on or before the range ends; open sides reach forever.
            let ends_after = from.is_none_or(|f| hi.is_none_or(|h| h >= f));
            let starts_before = to.is_none_or(|t| lo.is_none_or(|l| l <= t));
            ends_after && starts_before
        }
    }

    /// Every word occurs in the title, summary, date_text, location, a tag,
    /// a quote or the name or an alias of one of the event's actors.
    fn text_ok(&self, e: &Event, words: &[String]) -> bool {
        let fields = [
            Some(e.title.as_str()),
            e.summary.as_deref(),
            e.date_text.as_deref(),
            e.location.as_deref(),
        ];
        words.iter().all(|w| {
            fields.iter().flatten().any(|f| contains_ci(f, w))
                || e.tags.iter().any(|t| contains_ci(t, w))
                || e.quotes.iter().any(|q| contains_ci(&q.text, w))
                || e.actors.iter().any(|a| {
                    self.actor_names
                        .get(&a.actor)
                        .is_some_and(|n| n.contains(w.as_str()))
                })
        })
    }
}

/// Case-insensitive substring test; `needle` is already lower case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() && needle.is_ascii() {
        hay.as_bytes()
            .windows(needle.len().max(1))
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    } else {
        hay.to_lowercase().contains(needle)
    }
}

/// Events matching `filter`, in timeline order.
pub fn select<'r>(record: &'r Record, filter: &Filter) -> Vec<&'r Event> {
    let mut out: Vec<&Event> = record.events.iter().filter(|e| filter.matches(e)).collect();
    sort_events(&mut out);
    out
}

/// Timeline order: earliest day (open first), latest day (open last); among
/// events with the same bounds, an event comes after those it
/// `responds-to`, `follows` or is `part-of`; then file order, then id.
///
/// This is the one order of timelines, queries, exports and charts.
pub fn sort_events(events: &mut [&Event]) {
    let order = timeline_sequence(events);
    let old: Vec<&Event> = events.to_vec();
    for (slot, i) in events.iter_mut().zip(order) {
        *slot = old[i];
    }
}

/// The position of each event of `events` in [`sort_events`] order.
pub fn timeline_positions(events: &[&Event]) -> Vec<usize> {
    let mut at = vec![0; events.len()];
    for (position, i) in timeline_sequence(events).into_iter().enumerate() {
        at[i] = position;
    }
    at
}

/// The indices of `events` in [`sort_events`] order.
///
/// The base order is sorted on keys made once per event rather than on
/// [`timeline_order`] calls (a 100,000-event timeline spent 13% of its
/// instructions in that comparator); input already in order, as a
/// selection re-sorted for a chart is, then costs one linear pass.
fn timeline_sequence(events: &[&Event]) -> Vec<usize> {
    // Made on every core, in blocks: a key reads two dates' day numbers.
    let mut keys: Vec<(BaseKey, usize)> =
        crate::par::map_chunked(events, 16_384, |e| BaseKey::of(e))
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i))
            .collect();
    // Ties end at the position, so the order is total and the same on
    // any number of threads.
    crate::par::sort_by(&mut keys, |a, b| {
        a.0.cmp(&b.0)
            .then_with(|| events[a.1].id.cmp(&events[b.1].id))
            .then(a.1.cmp(&b.1))
    });
    let mut order: Vec<usize> = keys.iter().map(|k| k.1).collect();
    let mut start = 0;
    while start < keys.len() {
        let bounds = keys[start].0.bounds();
        let end = start
            + keys[start..]
                .iter()
                .position(|k| k.0.bounds() != bounds)
                .unwrap_or(keys.len() - start);
        if end - start > 1 {
            causes_first(events, &mut order[start..end]);
        }
        start = end;
    }
    order
}

/// [`timeline_order`] without the id: bounds as day numbers, then place,
/// packed into two words that compare as the tuple would (two comparisons
/// instead of four in the sort of a large selection).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct BaseKey {
    /// Earliest day, then latest, each offset to compare unsigned.
    bounds: u64,
    /// File, then position in the file.
    place: u64,
}

impl BaseKey {
    fn of(e: &Event) -> Self {
        // NaiveDate::MIN and MAX stand for open ends, as in
        // `timeline_order`; day numbers order as the dates do.
        let day = |d: NaiveDate| u64::from(d.num_days_from_ce().cast_unsigned() ^ 0x8000_0000);
        Self {
            bounds: day(e.date.earliest().unwrap_or(NaiveDate::MIN)) << 32
                | day(e.date.latest().unwrap_or(NaiveDate::MAX)),
            place: u64::from(e.origin.file) << 32 | u64::from(e.origin.index),
        }
    }

    const fn bounds(self) -> u64 {
        self.bounds
    }
}

/// Reorders events with equal bounds, already in base order, so that each
/// comes after the events it responds to, follows or is part of. Kahn's
/// algorithm taking the earliest ready event in base order each time, so
/// unrelated events keep their order; a cycle (already reported by
/// `check`) is left in base order.
fn causes_first(events: &[&Event], group: &mut [usize]) {
    use crate::model::Relation;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    // Most groups are a few events of one day with no relation inside the
    // group: those are found without building a map or any list.
    const SCAN: usize = 32;
    let id = |i: usize| events[group[i]].id.as_str();
    let at: HashMap<&str, usize> = if group.len() > SCAN {
        (0..group.len()).map(|i| (id(i), i)).collect()
    } else {
        HashMap::new()
    };
    // The last of a repeated id, as the map keeps it.
    let find = |target: &str| {
        if group.len() > SCAN {
            at.get(target).copied()
        } else {
            (0..group.len()).rposition(|i| id(i) == target)
        }
    };
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (i, &e) in group.iter().enumerate() {
        for r in &events[e].related {
            if !matches!(
                r.relation,
                Relation::RespondsTo | Relation::Follows | Relation::PartOf
            ) {
                continue;
            }
            if let Some(cause) = find(r.event.as_str()) {
                if cause != i {
                    edges.push((cause, i));
                }
            }
        }
    }
    if edges.is_empty() {
        return;
    }
    let mut waits = vec![0usize; group.len()];
    let mut then: Vec<Vec<usize>> = vec![Vec::new(); group.len()];
    for (cause, i) in edges {
        waits[i] += 1;
        then[cause].push(i);
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..group.len())
        .filter(|&i| waits[i] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(group.len());
    let mut placed = vec![false; group.len()];
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        placed[i] = true;
        for &j in &then[i] {
            waits[j] -= 1;
            if waits[j] == 0 {
                ready.push(Reverse(j));
            }
        }
    }
    // Events in a cycle: after the rest, in base order.
    order.extend((0..group.len()).filter(|&i| !placed[i]));
    let old: Vec<usize> = group.to_vec();
    for (slot, i) in group.iter_mut().zip(order) {
        *slot = old[i];
    }
}

/// The base order of [`sort_events`] for two events: bounds, then file
/// order, then id (without the relations, which need the whole group).
pub fn timeline_order(a: &Event, b: &Event) -> Ordering {
    let lo = |e: &Event| e.date.earliest().unwrap_or(NaiveDate::MIN);
    let hi = |e: &Event| e.date.latest().unwrap_or(NaiveDate::MAX);
    let place = |e: &Event| (e.origin.file, e.origin.index);
    lo(a)
        .cmp(&lo(b))
        .then(hi(a).cmp(&hi(b)))
        .then(place(a).cmp(&place(b)))
        .then(a.id.cmp(&b.id))
}

/// An actor found by [`ActorNames::lookup`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index into the record's actors.
    pub index: usize,
    /// How a loose name was understood, when it was not an exact id, name
    /// or alias.
    pub note: Option<String>,
}

/// Looks actors up by id, name or alias, however spelt.
pub struct ActorNames<'r> {
    record: &'r Record,
    by_key: HashMap<String, usize>,
}

impl<'r> ActorNames<'r> {
    pub fn new(record: &'r Record) -> Self {
        let mut by_key = HashMap::new();
        for (i, a) in record.actors.iter().enumerate() {
            for n in names_of(a) {
                by_key.entry(name_key(n)).or_insert(i);
            }
        }
        ActorNames { record, by_key }
    }

    /// The actor `name` means: its id, name or alias in any spelling.
    ///
    /// # Errors
    ///
    /// No actor has that id, name or alias; the help names the nearest.
    pub fn resolve(&self, name: &str) -> Result<usize, QueryError> {
        self.lookup(name).map(|found| found.index)
    }

    /// The actor `name` means: its id, name or alias in any spelling, or
    /// else the one actor with a name or alias containing `name` as whole
    /// words (`Trump` for Donald Trump), with a note saying so.
    ///
    /// # Errors
    ///
    /// No actor matches (the help names the nearest), or several match as
    /// whole words (the message lists them).
    pub fn lookup(&self, name: &str) -> Result<Found, QueryError> {
        let key = name_key(name);
        if let Some(&i) = self.by_key.get(&key) {
            return Ok(Found {
                index: i,
                note: None,
            });
        }
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let mut matches: Vec<usize> = Vec::new();
        if !words.is_empty() {
            for (i, a) in self.record.actors.iter().enumerate() {
                // Names and aliases only: every id has its own words
                // (`minister-a` is no answer to `A`).
                let hit = names_of(a).skip(1).any(|n| {
                    let k = name_key(n);
                    let have: Vec<&str> = k.split(' ').collect();
                    have.windows(words.len()).any(|w| w == words.as_slice())
                });
                if hit {
                    matches.push(i);
                }
            }
        }
        let describe = |i: usize| {
            let a = &self.record.actors[i];
            format!("`{}` ({})", a.id, a.name)
        };
        match matches.as_slice() {
            [i] => {
                return Ok(Found {
                    index: *i,
                    note: Some(format!("`{name}` taken as {}", describe(*i))),
                });
            }
            [] => {}
            many => {
                const SHOWN: usize = 10;
                let mut list: Vec<String> = many.iter().take(SHOWN).map(|&i| describe(i)).collect();
                if many.len() > SHOWN {
                    list.push(format!("and {} more", many.len() - SHOWN));
                }
                return Err(QueryError {
                    message: format!(
                        "`{name}` could be any of {} actors: {}",
                        many.len(),
                        list.join(", ")
                    ),
                    help: Some("give the id of the one you mean".into()),
                });
            }
        }
        // The nearest id, name or alias, compared in their folded forms.
        // Several spellings of one actor are one candidate.
        let cands = self.by_key.iter().map(|(k, &i)| (k.as_str(), i));
        let help = crate::suggest::nearest_item(&key, cands).map(|i| {
            let a = &self.record.actors[i];
            format!("did you mean `{}` ({})?", a.id, a.name)
        });
        Err(QueryError {
            message: format!("no actor is called `{name}`"),
            help: help.or_else(|| Some("see `annals actors` for the list".into())),
        })
    }
}

fn names_of(a: &Actor) -> impl Iterator<Item = &str> {
    std::iter::once(a.id.as_str())
        .chain(std::iter::once(a.name.as_str()))
        .chain(a.aliases.iter().map(String::as_str))
}

/// Every actor that is, directly or through others, `member_of` actor `of`
/// (not `of` itself). Breadth-first over the reversed links; linear.
pub fn members_of(record: &Record, of: usize) -> Vec<usize> {
    let ids: HashMap<&str, usize> = record
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); record.actors.len()];
    for (i, a) in record.actors.iter().enumerate() {
        for m in &a.member_of {
            if let Some(&p) = ids.get(m.as_str()) {
                children[p].push(i);
            }
        }
    }
    let mut seen = vec![false; record.actors.len()];
    seen[of] = true;
    let mut queue = std::collections::VecDeque::from([of]);
    let mut out = Vec::new();
    while let Some(p) = queue.pop_front() {
        for &c in &children[p] {
            if !seen[c] {
                seen[c] = true;
                out.push(c);
                queue.push_back(c);
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActorRef, Origin};

    fn event(id: &str, date: &str) -> Event {
        Event {
            actors: vec![ActorRef {
                actor: "a".into(),
                role: Role::Initiator,
            }],
            ..Event::new(
                id,
                Date::parse(date).unwrap(),
                "statement",
                format!("Event {id}"),
            )
        }
    }

    fn range(from: &str, to: &str, within: bool) -> Filter {
        let q = Query {
            from: Some(Date::parse(from).unwrap()),
            to: Some(Date::parse(to).unwrap()),
            within,
            ..Query::default()
        };
        q.compile(&Record::default()).unwrap()
    }

    #[test]
    fn a_month_overlaps_a_range_that_cuts_it_but_is_not_within_it() {
        let e = event("x", "2024-02");
        assert!(range("2024-02-15", "2024-03-31", false).matches(&e));
        assert!(!range("2024-02-15", "2024-03-31", true).matches(&e));
        assert!(range("2024-01", "2024-02", true).matches(&e));
        assert!(!range("2024-03-01", "2024-03-31", false).matches(&e));
    }

    #[test]
    fn open_ends_overlap_but_are_never_within() {
        let e = event("x", "2024-02/..");
        assert!(range("2025", "2025", false).matches(&e));
        assert!(!range("2024", "2030", true).matches(&e));
    }

    #[test]
    fn timeline_order_is_earliest_then_latest_then_id() {
        let a = event("b", "2024-02");
        let b = event("a", "2024-02-01");
        let c = event("c", "2024-02");
        let mut v = vec![&c, &a, &b];
        sort_events(&mut v);
        let ids: Vec<_> = v.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    #[test]
    fn a_kind_by_its_label_or_its_id_spelt_as_words() {
        let mut record = Record::default();
        record.kinds.push(crate::model::KindDef {
            id: "missile-launch".into(),
            label: Some("Missile launch".into()),
            color: None,
            origin: Origin::default(),
        });
        let mut e = event("x", "2024");
        e.kind = "missile-launch".into();
        for k in [
            "missile-launch",
            "Missile launch",
            "MISSILE LAUNCH",
            "Phone call",
        ] {
            let q = Query {
                kinds: vec![k.into()],
                ..Query::default()
            };
            let f = q.compile(&record).unwrap();
            assert_eq!(f.matches(&e), k != "Phone call", "{k}");
            assert_eq!(f.notes().len(), usize::from(k != "missile-launch"), "{k}");
        }
    }

    fn related(e: &mut Event, to: &str, relation: crate::model::Relation) {
        e.related.push(crate::model::Related {
            event: to.into(),
            relation,
        });
    }

    #[test]
    fn a_response_on_the_same_day_comes_after_its_cause() {
        use crate::model::Relation;
        let mut answer = event("a-answer", "2024-02-05");
        related(&mut answer, "b-statement", Relation::RespondsTo);
        let statement = event("b-statement", "2024-02-05");
        let mut other = event("c-other", "2024-02-05");
        related(&mut other, "a-answer", Relation::RefersTo);
        let mut v = vec![&answer, &statement, &other];
        sort_events(&mut v);
        let ids: Vec<_> = v.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["b-statement", "a-answer", "c-other"]);
        // File order before id.
        let mut first = event("z-first", "2024-02-05");
        first.origin.index = 0;
        let mut second = event("a-second", "2024-02-05");
        second.origin.index = 1;
        let mut v = vec![&second, &first];
        sort_events(&mut v);
        assert_eq!(v[0].id, "z-first");
        assert_eq!(timeline_positions(&[&second, &first]), [1, 0]);
    }

    #[test]
    fn packed_keys_order_as_bounds_then_place() {
        // Open ends, years before the common era, the two ends of a day
        // and the file places' extremes.
        let dates = [
            "../2024",
            "2024/..",
            "-0500",
            "-0001-12-31",
            "0000",
            "2024-02-05",
            "1999/2001",
            "2024",
        ];
        let places = [(0, 0), (0, 1), (1, 0), (u32::MAX, u32::MAX)];
        let mut all = Vec::new();
        for d in dates {
            for &(file, index) in &places {
                let mut e = event("x", d);
                e.origin.file = file;
                e.origin.index = index;
                all.push(e);
            }
        }
        let tuple = |e: &Event| {
            let day = |d: NaiveDate| d.num_days_from_ce();
            (
                day(e.date.earliest().unwrap_or(NaiveDate::MIN)),
                day(e.date.latest().unwrap_or(NaiveDate::MAX)),
                e.origin.file,
                e.origin.index,
            )
        };
        for a in &all {
            for b in &all {
                assert_eq!(
                    BaseKey::of(a).cmp(&BaseKey::of(b)),
                    tuple(a).cmp(&tuple(b)),
                    "{} {:?} / {} {:?}",
                    a.date.text(),
                    (a.origin.file, a.origin.index),
                    b.date.text(),
                    (b.origin.file, b.origin.index)
                );
                assert_eq!(
                    BaseKey::of(a).bounds() == BaseKey::of(b).bounds(),
                    tuple(a).0 == tuple(b).0 && tuple(a).1 == tuple(b).1
                );
            }
        }
    }

    proptest::proptest! {
        /// Whatever the ids, file places and dates, an event never comes
        /// before an event with the same bounds that it responds to,
        /// follows or is part of; and the order is a sort of the bounds.
        #[test]
        fn causes_come_first_among_equal_bounds(
            n in 1usize..12,
            dates in proptest::collection::vec(0usize..3, 12),
            places in proptest::collection::vec(0u32..5, 12),
            links in proptest::collection::vec((0usize..12, 0usize..12, 0usize..4), 0..20),
        ) {
            use crate::model::Relation;
            const DATES: [&str; 3] = ["2024-02-05", "2024-02", "2024-02-05"];
            let rels = [Relation::RespondsTo, Relation::Follows, Relation::PartOf, Relation::RefersTo];
            let mut events: Vec<Event> = (0..n)
                .map(|i| {
                    // Ids that sort against the order of generation.
                    let mut e = event(&format!("e{:02}", n - i), DATES[dates[i]]);
                    e.origin.index = places[i];
                    e
                })
                .collect();
            // Links only from a later-generated event to an earlier one: no cycles.
            for &(a, b, r) in &links {
                let (a, b) = (a % n, b % n);
                if a > b {
                    let to = events[b].id.clone();
                    related(&mut events[a], &to, rels[r]);
                }
            }
            let mut v: Vec<&Event> = events.iter().collect();
            sort_events(&mut v);
            let at: HashMap<&str, usize> = v.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
            for w in v.windows(2) {
                let key = |e: &Event| (e.date.earliest(), e.date.latest());
                proptest::prop_assert!(key(w[0]) <= key(w[1]));
            }
            for e in &events {
                for r in &e.related {
                    let cause = &events.iter().find(|x| x.id == r.event).unwrap();
                    let same = (cause.date.earliest(), cause.date.latest()) == (e.date.earliest(), e.date.latest());
                    if same && r.relation != Relation::RefersTo {
                        proptest::prop_assert!(at[r.event.as_str()] < at[e.id.as_str()], "{} before {}", e.id, r.event);
                    }
                }
            }
        }
    }

    #[test]
    fn text_needs_every_word_ignoring_case() {
        let mut e = event("x", "2024");
        e.title = "Kim Yo-jong statement on Japan".into();
        let f = |t: &str| {
            Query {
                text: vec![t.into()],
                ..Query::default()
            }
            .compile(&Record::default())
            .unwrap()
        };
        assert!(f("japan KIM").matches(&e));
        assert!(!f("japan summit").matches(&e));
    }
}
