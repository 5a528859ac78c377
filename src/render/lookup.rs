//! What the renderers look up while writing an event: actor names, kind
//! labels, sources behind references, and the numbering of cited sources.

use crate::date::Date;
use crate::index::FastMap;
use crate::model::{Actor, Record, Role, Source, SourceRef, Status};
use std::borrow::Cow;

/// Actor, source and kind lookups by id over one record. Events are not
/// indexed: the renderers are handed the events they write.
pub struct Lookup<'r> {
    actors: FastMap<&'r str, &'r Actor>,
    sources: FastMap<&'r str, &'r Source>,
    /// Every declared and built-in kind's label, made once: a declared
    /// label, else the id in words.
    kind_labels: FastMap<&'r str, Cow<'r, str>>,
}

impl<'r> Lookup<'r> {
    pub fn new(record: &'r Record) -> Self {
        // foldhash, not SipHash: every event looks up its actors and
        // sources here, and SipHash showed in profiles of large timelines.
        let mut actors = FastMap::with_capacity_and_hasher(record.actors.len(), Default::default());
        for a in &record.actors {
            actors.entry(a.id.as_str()).or_insert(a);
        }
        let mut sources =
            FastMap::with_capacity_and_hasher(record.sources.len(), Default::default());
        for s in &record.sources {
            sources.entry(s.id.as_str()).or_insert(s);
        }
        let mut kind_labels = FastMap::default();
        for k in &record.kinds {
            if let Some(l) = &k.label {
                kind_labels
                    .entry(k.id.as_str())
                    .or_insert(Cow::Borrowed(l.as_str()));
            }
        }
        let unlabelled = record.kinds.iter().map(|k| k.id.as_str());
        for k in crate::model::BUILTIN_KINDS.into_iter().chain(unlabelled) {
            kind_labels
                .entry(k)
                .or_insert_with(|| Cow::Owned(kind_words(k)));
        }
        Lookup {
            actors,
            sources,
            kind_labels,
        }
    }

    pub fn actor(&self, id: &str) -> Option<&'r Actor> {
        self.actors.get(id).copied()
    }

    pub fn source(&self, id: &str) -> Option<&'r Source> {
        self.sources.get(id).copied()
    }

    /// The actor's name, or the id itself when the record does not know it
    /// (which a clean record never does).
    pub fn actor_name<'a>(&self, id: &'a str) -> &'a str
    where
        'r: 'a,
    {
        self.actor(id).map_or(id, |a| a.name.as_str())
    }

    /// A declared kind's label, else the kind id in words (`phone-call`:
    /// "Phone call", as the charts' legends say it), so that built-in and
    /// declared kinds read alike wherever a label is shown.
    pub fn kind_label<'a>(&'a self, kind: &'a str) -> Cow<'a, str> {
        match self.kind_labels.get(kind) {
            Some(l) => Cow::Borrowed(l),
            None => Cow::Owned(kind_words(kind)),
        }
    }

    /// Appends [`Lookup::kind_label`] to `out`, with no string of its own.
    pub fn push_kind_label(&self, kind: &str, out: &mut String) {
        match self.kind_labels.get(kind) {
            Some(l) => out.push_str(l),
            None => push_kind_words(out, kind),
        }
    }

    /// The source a reference points at, whether by id or written inline.
    /// `None` only for an id the record does not know.
    pub fn cited(&self, r: &'r SourceRef) -> Option<SourceView<'r>> {
        match r {
            SourceRef::Id { source, .. } => self.source(source).map(|s| SourceView {
                id: Some(&s.id),
                key: Some(s.cite_key()),
                title: &s.title,
                publisher: &s.publisher,
                authors: &s.authors,
                url: s.url.as_deref(),
                published: s.published.as_ref(),
                accessed: s.accessed.as_ref(),
            }),
            SourceRef::Inline { source, .. } => Some(SourceView {
                id: None,
                key: None,
                title: &source.title,
                publisher: &source.publisher,
                authors: &source.authors,
                url: source.url.as_deref(),
                published: source.published.as_ref(),
                accessed: source.accessed.as_ref(),
            }),
        }
    }
}

/// A source as the renderers need it, named or inline alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceView<'r> {
    pub id: Option<&'r str>,
    /// The citation key of a named source (`key:` or the id).
    pub key: Option<&'r str>,
    pub title: &'r str,
    pub publisher: &'r str,
    pub authors: &'r [String],
    pub url: Option<&'r str>,
    pub published: Option<&'r Date>,
    /// When the source was read (its URL visited).
    pub accessed: Option<&'r Date>,
}

impl SourceView<'_> {
    /// "accessed 30 Nov 2026", for a bibliography; nothing when not given.
    pub fn accessed_words(&self) -> Option<String> {
        self.accessed.map(|d| format!("accessed {}", d.label()))
    }

    /// "Author, Author. Title. Publisher, 4 Apr 2024." without the URL;
    /// the caller escapes it for where it goes.
    pub fn citation_parts(&self) -> (Option<String>, String) {
        let authors = (!self.authors.is_empty()).then(|| self.authors.join(", "));
        let mut tail = self.publisher.to_string();
        if let Some(d) = self.published {
            tail.push_str(", ");
            tail.push_str(&d.label());
        }
        (authors, tail)
    }
}

/// Numbers sources in the order they are first cited, from 1; a source
/// cited twice keeps its number. A named source is known by its id; inline
/// sources with the same title, publisher, URL and date are the same source.
#[derive(Default)]
pub struct Citations<'r> {
    pub sources: Vec<SourceView<'r>>,
    numbers: FastMap<CiteKey<'r>, usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CiteKey<'r> {
    Id(&'r str),
    Inline {
        title: &'r str,
        publisher: &'r str,
        url: Option<&'r str>,
        published: Option<&'r str>,
    },
}

impl<'r> Citations<'r> {
    /// The number of `source`, given one if it has none yet.
    pub fn number(&mut self, source: SourceView<'r>) -> usize {
        let next = self.sources.len() + 1;
        let n = *self.numbers.entry(CiteKey::of(&source)).or_insert(next);
        if n == next {
            self.sources.push(source);
        }
        n
    }

    /// The number [`Citations::number`] gave `source`, without numbering:
    /// renderers number every source in one pass in order, then look the
    /// numbers up from several threads.
    pub fn get(&self, source: &SourceView<'r>) -> Option<usize> {
        self.numbers.get(&CiteKey::of(source)).copied()
    }

    /// [`Citations::get`] of the named source with this id.
    pub fn get_id(&self, id: &'r str) -> Option<usize> {
        self.numbers.get(&CiteKey::Id(id)).copied()
    }
}

impl<'r> CiteKey<'r> {
    fn of(source: &SourceView<'r>) -> Self {
        match source.id {
            Some(id) => CiteKey::Id(id),
            None => CiteKey::Inline {
                title: source.title,
                publisher: source.publisher,
                url: source.url,
                published: source.published.map(Date::text),
            },
        }
    }
}

/// A kind id in words: `phone-call` is "Phone call".
pub fn kind_words(id: &str) -> String {
    let mut s = String::with_capacity(id.len());
    push_kind_words(&mut s, id);
    s
}

/// Appends [`kind_words`]`(id)` to `out`.
fn push_kind_words(out: &mut String, id: &str) {
    for (i, ch) in id.chars().enumerate() {
        match ch {
            '-' => out.push(' '),
            c if i == 0 => out.push(c.to_ascii_uppercase()),
            c => out.push(c),
        }
    }
}

/// "Kim Jong-un (initiator)"; the default role, participant, is not said.
pub fn actor_with_role(name: &str, role: Role) -> String {
    let mut s = String::new();
    push_actor(&mut s, name, role);
    s
}

/// "Kim Jong-un (initiator), Japan": actors with their roles, appended.
pub fn actors_line(actors: &[(&str, Role)]) -> String {
    let mut s = String::new();
    push_actors_line(&mut s, actors);
    s
}

/// [`actors_line`] appended to `s`, for a renderer that reuses one buffer.
pub fn push_actors_line(s: &mut String, actors: &[(&str, Role)]) {
    for (i, (name, role)) in actors.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        push_actor(s, name, *role);
    }
}

fn push_actor(s: &mut String, name: &str, role: Role) {
    s.push_str(name);
    if role != Role::Participant {
        s.push_str(" (");
        s.push_str(role.as_str());
        s.push(')');
    }
}

/// What a timeline says about an event's status; nothing for `occurred`.
pub fn status_note(status: Status) -> Option<&'static str> {
    match status {
        Status::Occurred => None,
        Status::Reported => Some("reported, unconfirmed"),
        Status::Scheduled => Some("scheduled"),
        Status::Cancelled => Some("cancelled"),
    }
}
