//! Filters over a record: which events answer a question.
//!
//! A [`Query`] is what the user asked (actor names, kinds, dates as typed);
//! [`Query::compile`] resolves it against a record into a [`Filter`], which
//! tests events cheaply. Repeating one filter means OR; different filters
//! combine with AND. [`select`] returns matches in timeline order.

use crate::date::Date;
use crate::diag::did_you_mean;
use crate::index::Index;
use crate::model::{Actor, BUILTIN_KINDS, Event, Record, Role, SourceRef, Status};
use crate::names::name_key;
use chrono::NaiveDate;
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
    /// Actor ids to match; `None` = any actor.
    actors: Option<HashSet<crate::model::Id>>,
    roles: Vec<Role>,
    kinds: Vec<String>,
    statuses: Vec<Status>,
    /// The range's first and last day; `None` sides are unbounded.
    range: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    within: bool,
    tags: Vec<String>,
    sources: Vec<String>,
    /// Lower-cased words, per `--text`.
    text: Vec<Vec<String>>,
}

impl Query {
    /// Resolves names against `record`.
    ///
    /// # Errors
    ///
    /// An actor, kind or source that the record does not know, with the
    /// nearest known one as help.
    pub fn compile(&self, record: &Record) -> Result<Filter, QueryError> {
        let index = Index::new(record);
        let actors = if self.actors.is_empty() {
            None
        } else {
            let names = ActorNames::new(record);
            let mut set = HashSet::new();
            for a in &self.actors {
                let i = names.resolve(a)?;
                set.insert(record.actors[i].id.clone());
                if self.members {
                    for m in members_of(record, i) {
                        set.insert(record.actors[m].id.clone());
                    }
                }
            }
            Some(set)
        };
        for k in &self.kinds {
            if !record.has_kind(k) {
                let declared = record.kinds.iter().map(|k| k.id.as_str());
                let cands: Vec<&str> = BUILTIN_KINDS.iter().copied().chain(declared).collect();
                return Err(QueryError {
                    message: format!("unknown kind `{k}`"),
                    help: did_you_mean(k, cands.iter().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                });
            }
        }
        for s in &self.sources {
            if !index.sources.contains_key(s.as_str()) {
                return Err(QueryError {
                    message: format!("unknown source `{s}`"),
                    help: did_you_mean(s, index.sources.keys().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                });
            }
        }
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
            kinds: self.kinds.clone(),
            statuses: self.statuses.clone(),
            range,
            within: self.within,
            tags: self.tags.clone(),
            sources: self.sources.clone(),
            text: self
                .text
                .iter()
                .map(|t| t.split_whitespace().map(str::to_lowercase).collect())
                .collect(),
        })
    }
}

impl Filter {
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
            && (self.sources.is_empty()
                || e.sources.iter().any(|s| match s {
                    SourceRef::Id { source, .. } => {
                        self.sources.iter().any(|x| x.as_str() == source.as_str())
                    }
                    SourceRef::Inline { .. } => false,
                }))
            && (self.text.is_empty() || self.text.iter().any(|words| text_ok(e, words)))
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
}

fn text_ok(e: &Event, words: &[String]) -> bool {
    let fields = [
        Some(e.title.as_str()),
        e.summary.as_deref(),
        e.date_text.as_deref(),
    ];
    words.iter().all(|w| {
        fields.iter().flatten().any(|f| contains_ci(f, w))
            || e.quotes.iter().any(|q| contains_ci(&q.text, w))
    })
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

/// Timeline order: earliest day (open first), latest day (open last), id.
pub fn sort_events(events: &mut [&Event]) {
    events.sort_unstable_by(|a, b| timeline_order(a, b));
}

/// The order of [`sort_events`] for two events.
pub fn timeline_order(a: &Event, b: &Event) -> Ordering {
    let lo = |e: &Event| e.date.earliest().unwrap_or(NaiveDate::MIN);
    let hi = |e: &Event| e.date.latest().unwrap_or(NaiveDate::MAX);
    lo(a)
        .cmp(&lo(b))
        .then(hi(a).cmp(&hi(b)))
        .then(a.id.cmp(&b.id))
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

    /// The actor `name` means.
    ///
    /// # Errors
    ///
    /// No actor has that id, name or alias; the help names the nearest.
    pub fn resolve(&self, name: &str) -> Result<usize, QueryError> {
        if let Some(&i) = self.by_key.get(&name_key(name)) {
            return Ok(i);
        }
        // The nearest id, name or alias, compared in their folded forms.
        let key = name_key(name);
        let help = did_you_mean(&key, self.by_key.keys().map(String::as_str)).map(|k| {
            let a = &self.record.actors[self.by_key[k]];
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
            id: id.into(),
            date: Date::parse(date).unwrap(),
            date_text: None,
            kind: "statement".into(),
            title: format!("Event {id}"),
            summary: None,
            status: Status::Occurred,
            actors: vec![ActorRef {
                actor: "a".into(),
                role: Role::Initiator,
            }],
            location: None,
            tags: vec![],
            related: vec![],
            quotes: vec![],
            sources: vec![],
            origin: Origin::default(),
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
