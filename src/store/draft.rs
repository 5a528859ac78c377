//! What `add` is asked to write: new events, actors and sources as given,
//! before they have ids and YAML.
//!
//! Fields are kept as the user wrote them (a date as its text, a kind as its
//! id): the loader and validator judge the written item like any other, so
//! `add` accepts exactly what `check` accepts.

use super::emit::Value;
use crate::model::{ActorRef, ActorType, ListKind, Quote, Record, Related, Role, Status};
use crate::names::slugify;
use std::collections::{HashMap, HashSet};

/// An event to add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventDraft {
    /// `None`: a slug of the title, made unique.
    pub id: Option<String>,
    pub date: String,
    pub date_text: Option<String>,
    pub kind: String,
    pub title: String,
    pub summary: Option<String>,
    pub status: Option<Status>,
    pub actors: Vec<ActorRef>,
    pub location: Option<String>,
    pub tags: Vec<String>,
    pub related: Vec<Related>,
    pub quotes: Vec<Quote>,
    pub sources: Vec<SourceCite>,
}

/// A source an event cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceCite {
    /// An existing source, by id.
    Id(String),
    /// A source added in the same write; the event cites its id.
    New(SourceDraft),
    /// An existing source, by id, and the place in it ("para. 2").
    Located { source: String, locator: String },
    /// A source written out in the event (its `id` is not used), with an
    /// optional place in it.
    Inline {
        source: SourceDraft,
        locator: Option<String>,
    },
}

/// An actor to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorDraft {
    pub id: Option<String>,
    pub name: String,
    pub kind: ActorType,
    pub country: Option<String>,
    pub aliases: Vec<String>,
    pub member_of: Vec<String>,
    pub note: Option<String>,
}

/// A source to add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDraft {
    pub id: Option<String>,
    pub title: String,
    pub publisher: String,
    pub authors: Vec<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub accessed: Option<String>,
    pub note: Option<String>,
}

/// A source with its citation fields (format 1.1), as `annals import
/// csl-json` adds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceDraft {
    pub source: SourceDraft,
    pub key: Option<String>,
    pub archived: Option<String>,
    /// A source type keyword (`report`, `webpage`...).
    pub source_type: Option<String>,
}

/// One thing to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Draft {
    Event(EventDraft),
    Actor(ActorDraft),
    Source(SourceDraft),
    Reference(ReferenceDraft),
}

/// An item ready to write: its list, id and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub list: ListKind,
    pub id: String,
    pub value: Value,
    /// The index of the draft this item was made for (a new source an
    /// event cites belongs to the event's draft).
    pub draft: usize,
}

/// Ids already taken, per list, across the record and this write.
pub struct Taken {
    ids: [HashSet<String>; 3],
    /// Sources by URL, so a URL already in the record is cited, not added.
    urls: HashMap<String, String>,
}

impl Taken {
    pub fn of(record: &Record) -> Taken {
        let mut ids: [HashSet<String>; 3] = Default::default();
        ids[0].extend(record.events.iter().map(|e| e.id.to_string()));
        ids[1].extend(record.actors.iter().map(|a| a.id.to_string()));
        ids[2].extend(record.sources.iter().map(|s| s.id.to_string()));
        for (list, id) in &record.broken {
            if let Some(slot) = Self::slot(*list) {
                ids[slot].insert(id.to_string());
            }
        }
        let urls = record
            .sources
            .iter()
            .filter_map(|s| Some((s.url.clone()?, s.id.to_string())))
            .collect();
        Taken { ids, urls }
    }

    fn slot(list: ListKind) -> Option<usize> {
        match list {
            ListKind::Events => Some(0),
            ListKind::Actors => Some(1),
            ListKind::Sources => Some(2),
            ListKind::Kinds => None,
        }
    }

    /// `given` as is, or a slug of `name` made unique with `-2`, `-3`...
    /// Either way the id is then taken.
    fn id(&mut self, list: ListKind, given: Option<&str>, name: &str) -> String {
        let set = &mut self.ids[Self::slot(list).expect("events, actors or sources")];
        if let Some(g) = given {
            // A duplicate is the validator's to report, with its place.
            set.insert(g.to_string());
            return g.to_string();
        }
        let mut base = slugify(name);
        if base.is_empty() {
            base = list.noun().to_string();
        }
        let base = truncate_slug(&base, NEW_ID_MAX);
        let mut id = base.to_string();
        let mut n = 2;
        while set.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        set.insert(id.clone());
        id
    }
}

/// How long a made id may be before its `-2`: short enough to type and
/// read in a list, cut at a word (issue 13).
pub const NEW_ID_MAX: usize = 48;

/// At most `max` bytes, cut at a hyphen when it has to be cut.
fn truncate_slug(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let cut = &s[..max];
    cut.rfind('-').map_or(cut, |i| &cut[..i])
}

/// The items to write for `drafts`, in writing order (a source an event
/// cites comes before the event).
pub fn items(drafts: &[Draft], taken: &mut Taken) -> Vec<Item> {
    let mut out = Vec::new();
    for (n, d) in drafts.iter().enumerate() {
        let start = out.len();
        match d {
            Draft::Event(e) => {
                let mut cited = Vec::new();
                for s in &e.sources {
                    match s {
                        SourceCite::Id(id) => cited.push(Value::Str(id.clone())),
                        SourceCite::Located { source, locator } => cited.push(Value::Map(vec![
                            ("source", Value::Str(source.clone())),
                            ("locator", Value::Str(locator.clone())),
                        ])),
                        SourceCite::Inline { source, locator } => {
                            let mut f = source_fields(source);
                            f.text("locator", locator);
                            cited.push(Value::Map(f.0));
                        }
                        SourceCite::New(src)
                            if src.url.as_ref().is_some_and(|u| taken.urls.contains_key(u)) =>
                        {
                            let url = src.url.as_ref().expect("checked");
                            cited.push(Value::Str(taken.urls[url].clone()));
                        }
                        SourceCite::New(src) => {
                            let item = source(src, taken);
                            if let Some(url) = &src.url {
                                taken.urls.insert(url.clone(), item.id.clone());
                            }
                            cited.push(Value::Str(item.id.clone()));
                            out.push(item);
                        }
                    }
                }
                out.push(event(e, cited, taken));
            }
            Draft::Actor(a) => out.push(actor(a, taken)),
            Draft::Source(s) => out.push(source(s, taken)),
            Draft::Reference(r) => out.push(reference(r, taken)),
        }
        for item in &mut out[start..] {
            item.draft = n;
        }
    }
    out
}

fn list(items: Vec<Value>, flow: bool) -> Option<Value> {
    (!items.is_empty()).then_some(Value::List { items, flow })
}

fn strs(v: &[String]) -> Vec<Value> {
    v.iter().map(|s| Value::Str(s.clone())).collect()
}

struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    fn put(&mut self, key: &'static str, v: Option<Value>) {
        if let Some(v) = v {
            self.0.push((key, v));
        }
    }
    fn text(&mut self, key: &'static str, v: &Option<String>) {
        self.put(key, v.clone().map(Value::Str));
    }
}

fn event(e: &EventDraft, cited: Vec<Value>, taken: &mut Taken) -> Item {
    let id = taken.id(ListKind::Events, e.id.as_deref(), &e.title);
    let mut f = Fields(vec![("id", Value::Str(id.clone()))]);
    f.put("date", Some(Value::Date(e.date.clone())));
    f.text("date_text", &e.date_text);
    f.put("kind", Some(Value::Str(e.kind.clone())));
    f.put("title", Some(Value::Str(e.title.clone())));
    f.text("summary", &e.summary);
    f.put("status", e.status.map(|s| Value::str(s.as_str())));
    let actors = e
        .actors
        .iter()
        .map(|a| match a.role {
            Role::Participant => Value::Str(a.actor.to_string()),
            role => Value::Map(vec![
                ("actor", Value::Str(a.actor.to_string())),
                ("role", Value::str(role.as_str())),
            ]),
        })
        .collect();
    f.put("actors", list(actors, false));
    f.text("location", &e.location);
    f.put("tags", list(strs(&e.tags), true));
    let related = e
        .related
        .iter()
        .map(|r| {
            Value::Map(vec![
                ("event", Value::Str(r.event.to_string())),
                ("relation", Value::str(r.relation.as_str())),
            ])
        })
        .collect();
    f.put("related", list(related, false));
    let quotes = e
        .quotes
        .iter()
        .map(|q| {
            Value::Map(vec![
                ("by", Value::Str(q.by.to_string())),
                ("text", Value::Str(q.text.clone())),
            ])
        })
        .collect();
    f.put("quotes", list(quotes, false));
    f.put("sources", list(cited, false));
    Item {
        list: ListKind::Events,
        id,
        value: Value::Map(f.0),
        draft: 0,
    }
}

fn actor(a: &ActorDraft, taken: &mut Taken) -> Item {
    let id = taken.id(ListKind::Actors, a.id.as_deref(), &a.name);
    let mut f = Fields(vec![("id", Value::Str(id.clone()))]);
    f.put("name", Some(Value::Str(a.name.clone())));
    f.put("type", Some(Value::str(a.kind.as_str())));
    f.text("country", &a.country);
    f.put("aliases", list(strs(&a.aliases), true));
    f.put("member_of", list(strs(&a.member_of), true));
    f.text("note", &a.note);
    Item {
        list: ListKind::Actors,
        id,
        value: Value::Map(f.0),
        draft: 0,
    }
}

fn source(s: &SourceDraft, taken: &mut Taken) -> Item {
    let id = taken.id(ListKind::Sources, s.id.as_deref(), &s.title);
    let mut f = Fields(vec![("id", Value::Str(id.clone()))]);
    f.0.extend(source_fields(s).0);
    Item {
        list: ListKind::Sources,
        id,
        value: Value::Map(f.0),
        draft: 0,
    }
}

fn reference(r: &ReferenceDraft, taken: &mut Taken) -> Item {
    let mut item = source(&r.source, taken);
    if let Value::Map(f) = &mut item.value {
        let mut more = Fields(Vec::new());
        more.text("key", &r.key);
        more.text("archived", &r.archived);
        more.text("type", &r.source_type);
        f.extend(more.0);
    }
    item
}

/// A source's fields but its id, in the format's order.
fn source_fields(s: &SourceDraft) -> Fields {
    let mut f = Fields(Vec::new());
    f.put("title", Some(Value::Str(s.title.clone())));
    f.put("publisher", Some(Value::Str(s.publisher.clone())));
    match s.authors.as_slice() {
        [] => {}
        [one] => f.put("author", Some(Value::Str(one.clone()))),
        many => f.put("author", list(strs(many), true)),
    }
    f.text("url", &s.url);
    f.put("published", s.published.clone().map(Value::Date));
    f.put("accessed", s.accessed.clone().map(Value::Date));
    f.text("note", &s.note);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_made_unique() {
        let mut taken = Taken::of(&Record::default());
        let e = EventDraft {
            title: "Kim Jong-un's message!".into(),
            ..Default::default()
        };
        let drafts = vec![Draft::Event(e.clone()), Draft::Event(e)];
        let items = items(&drafts, &mut taken);
        assert_eq!(items[0].id, "kim-jong-un-s-message");
        assert_eq!(items[1].id, "kim-jong-un-s-message-2");
        let long = "word ".repeat(40);
        let id = taken.id(ListKind::Events, None, &long);
        assert!(id.len() <= NEW_ID_MAX && !id.ends_with('-'), "{id}");
        let cut = taken.id(
            ListKind::Events,
            None,
            "Trump and Kim meet in Singapore for the first summit between the two",
        );
        assert_eq!(cut, "trump-and-kim-meet-in-singapore-for-the-first");
        assert_eq!(taken.id(ListKind::Events, None, "金正恩"), "event");
    }

    /// The keys of a written mapping, checked against its table: each
    /// known, in the table's order, the required ones present.
    fn held_to(value: &Value, table: &crate::fields::Table) {
        let Value::Map(entries) = value else {
            panic!("{}: not a mapping", table.name)
        };
        let mut at = 0;
        for (key, v) in entries {
            let i = table
                .names()
                .position(|n| n == *key)
                .unwrap_or_else(|| panic!("{}: `{key}` is not a field", table.name));
            assert!(i >= at, "{}: `{key}` written out of order", table.name);
            at = i;
            let nested = match (key, v) {
                (&"actors", Value::List { items, .. }) => {
                    Some((items, &crate::fields::actor_ref::TABLE))
                }
                (&"related", Value::List { items, .. }) => {
                    Some((items, &crate::fields::related::TABLE))
                }
                (&"quotes", Value::List { items, .. }) => {
                    Some((items, &crate::fields::quote::TABLE))
                }
                _ => None,
            };
            if let Some((items, t)) = nested {
                // A bare id is no mapping; the others are held to theirs.
                for i in items.iter().filter(|i| matches!(i, Value::Map(_))) {
                    held_to(i, t);
                }
            }
        }
        for f in table.fields.iter().filter(|f| f.required) {
            assert!(
                entries.iter().any(|(k, _)| *k == f.name),
                "{}: required `{}` not written",
                table.name,
                f.name
            );
        }
    }

    #[test]
    fn drafts_write_the_tables_fields_in_their_order() {
        use crate::fields::{actor, event, source};
        use crate::model::{Id, Relation};
        let full_source = SourceDraft {
            id: Some("s".into()),
            title: "T".into(),
            publisher: "P".into(),
            authors: vec!["A".into(), "B".into()],
            url: Some("https://example.org/".into()),
            published: Some("2024".into()),
            accessed: Some("2024".into()),
            note: Some("n".into()),
        };
        let drafts = vec![
            Draft::Event(EventDraft {
                id: Some("e".into()),
                date: "2024".into(),
                date_text: Some("then".into()),
                kind: "statement".into(),
                title: "T".into(),
                summary: Some("s".into()),
                status: Some(Status::Reported),
                actors: vec![ActorRef {
                    actor: Id::from("a"),
                    role: Role::Target,
                }],
                location: Some("here".into()),
                tags: vec!["t".into()],
                related: vec![Related {
                    event: Id::from("f"),
                    relation: Relation::Follows,
                }],
                quotes: vec![Quote {
                    by: Id::from("a"),
                    text: "q".into(),
                }],
                sources: vec![SourceCite::Id("s".into())],
            }),
            Draft::Actor(ActorDraft {
                id: Some("a".into()),
                name: "A".into(),
                kind: ActorType::Person,
                country: Some("JPN".into()),
                aliases: vec!["B".into()],
                member_of: vec!["c".into()],
                note: Some("n".into()),
            }),
            Draft::Reference(ReferenceDraft {
                source: full_source,
                key: Some("k".into()),
                archived: Some("https://example.org/a".into()),
                source_type: Some("report".into()),
            }),
        ];
        let items = items(&drafts, &mut Taken::of(&Record::default()));
        let tables = [&event::TABLE, &actor::TABLE, &source::TABLE];
        assert_eq!(items.len(), tables.len());
        for (item, table) in items.iter().zip(tables) {
            held_to(&item.value, table);
        }
    }
}
