//! The record: events, actors, sources and kinds as plain data.
//!
//! Everything here has passed the shape checks in `load::convert`; the
//! cross-record checks live in `validate`. Each item remembers where it came
//! from ([`Origin`]) so that later diagnostics can point back into its file.

use crate::date::Date;
use crate::keyword::keyword_enum;
use crate::yaml::{Span, YamlPath};
use std::path::PathBuf;

/// Where a record item was written: its file and its place in that file's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Origin {
    /// Index into [`Record::files`].
    pub file: u32,
    /// Index within the file's `events:` / `actors:` / `sources:` / `kinds:` list.
    pub index: u32,
    /// Where the item is in the file, from the parse that read it (empty
    /// for items made rather than read).
    pub span: Span,
}

/// The four lists a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListKind {
    Events,
    Actors,
    Sources,
    Kinds,
}

impl ListKind {
    pub const ALL: [ListKind; 4] = [
        ListKind::Events,
        ListKind::Actors,
        ListKind::Sources,
        ListKind::Kinds,
    ];

    /// The top-level key of the list.
    pub fn key(self) -> &'static str {
        match self {
            ListKind::Events => "events",
            ListKind::Actors => "actors",
            ListKind::Sources => "sources",
            ListKind::Kinds => "kinds",
        }
    }

    /// The singular noun, for messages ("duplicate event id").
    pub fn noun(self) -> &'static str {
        match self {
            ListKind::Events => "event",
            ListKind::Actors => "actor",
            ListKind::Sources => "source",
            ListKind::Kinds => "kind",
        }
    }
}

/// A list named by its singular noun, as commands take it (`annals rm
/// actor ID`).
impl crate::keyword::Keyword for ListKind {
    const NAMES: &'static [&'static str] = &["event", "actor", "source", "kind"];
    const NOUN: &'static str = "kind of item";

    fn parse(s: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.noun() == s)
    }
}

impl Origin {
    /// The YAML path of the item itself, e.g. `events[3]`.
    pub fn path(self, list: ListKind) -> YamlPath {
        let mut p = YamlPath::root().key(list.key()).index(self.index as usize);
        p.item = (!self.span.is_empty()).then_some((self.span, 2));
        p
    }

    /// The YAML path of a top-level mapping item, e.g. `settings`.
    pub fn top_path(self, key: &str) -> YamlPath {
        let mut p = YamlPath::root().key(key);
        p.item = (!self.span.is_empty()).then_some((self.span, 1));
        p
    }
}

/// A text value and whether it was written as a YAML string. A title written
/// `1.50` is read by YAML as a number; we keep its text but can warn.
pub type Text = String;

/// An id or a reference to one. Ids are short slugs, mostly under 24
/// bytes, which a `CompactString` keeps inline: on a record of 100,000
/// events this saves about seven heap allocations per event, a fifth of the
/// memory `check` needs.
pub type Id = compact_str::CompactString;

keyword_enum!(
    /// What kind of actor this is.
    ActorType ("actor type") {
        Person = "person",
        State = "state",
        Government = "government",
        Organization = "organization",
        Party = "party",
        Media = "media",
        Group = "group",
        Other = "other",
    }
);

/// A title an actor held, such as "Prime Minister of Japan".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorRole {
    pub title: Text,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Id,
    pub name: Text,
    pub kind: ActorType,
    /// ISO 3166-1 alpha-3, upper case.
    pub country: Option<String>,
    pub aliases: Vec<Text>,
    pub member_of: Vec<Id>,
    pub roles: Vec<ActorRole>,
    pub note: Option<Text>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: Id,
    pub title: Text,
    pub publisher: Text,
    pub authors: Vec<Text>,
    pub url: Option<String>,
    pub published: Option<Date>,
    pub accessed: Option<Date>,
    pub note: Option<Text>,
    // Citation fields (format 1.1, issue 17): `key`, `archived`, `type`.
    /// The citation key written as `key:`; [`Source::cite_key`] falls back
    /// to the id.
    pub key: Option<Text>,
    /// The URL of an archived copy (`archived:`), e.g. a Wayback Machine
    /// snapshot.
    pub archived: Option<String>,
    /// What the source is (`type:`), which picks its CSL and BibTeX type.
    pub source_type: Option<SourceType>,
    pub origin: Origin,
}

impl Source {
    /// The key a manuscript cites this source by: `key:`, else the id.
    pub fn cite_key(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.id)
    }
}

/// Record-wide settings, written under a file's top-level `settings:` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `warn-unarchived:` whether `check` warns about an online source with
    /// neither `archived:` nor `accessed:` (on when not given).
    pub warn_unarchived: Option<bool>,
    /// The file; `index` is always 0.
    pub origin: Origin,
}

/// A declared event kind beyond the built-in ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindDef {
    pub id: Id,
    pub label: Option<Text>,
    /// `#rrggbb`, lower case.
    pub color: Option<String>,
    pub origin: Origin,
}

/// The kinds every record knows without declaring them.
pub const BUILTIN_KINDS: [&str; 21] = [
    "statement",
    "message",
    "letter",
    "summit",
    "meeting",
    "talks",
    "visit",
    "phone-call",
    "briefing",
    "speech",
    "interview",
    "editorial",
    "report",
    "legislative",
    "agreement",
    "sanction",
    "military",
    "earthquake",
    "disaster",
    "election",
    "other",
];

keyword_enum!(
    /// Whether an event happened, as far as the record knows.
    Status ("status") {
        Occurred = "occurred",
        Reported = "reported",
        Scheduled = "scheduled",
        Cancelled = "cancelled",
    }
);

keyword_enum!(
    /// What a source is; each maps to a CSL type of the same name and to a
    /// biblatex entry type (docs/citations.md).
    SourceType ("source type") {
        ArticleNewspaper = "article-newspaper",
        Report = "report",
        Webpage = "webpage",
        Broadcast = "broadcast",
        Interview = "interview",
        Legal = "legal",
        PersonalCommunication = "personal_communication",
    }
);

keyword_enum!(
    /// The part an actor plays in an event.
    Role ("role") {
        Initiator = "initiator",
        Target = "target",
        Participant = "participant",
        Mentioned = "mentioned",
    }
);

keyword_enum!(
    /// How one event relates to another.
    Relation ("relation") {
        RespondsTo = "responds-to",
        Follows = "follows",
        PartOf = "part-of",
        RefersTo = "refers-to",
        Contradicts = "contradicts",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorRef {
    pub actor: Id,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub event: Id,
    pub relation: Relation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// An actor id.
    pub by: Id,
    pub text: Text,
}

/// A source written out in the event rather than named by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineSource {
    pub title: Text,
    pub publisher: Text,
    pub authors: Vec<Text>,
    pub url: Option<String>,
    pub published: Option<Date>,
    pub accessed: Option<Date>,
    pub note: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRef {
    /// A source id with an optional place in it ("para. 2").
    Id { source: Id, locator: Option<Text> },
    Inline {
        source: Box<InlineSource>,
        locator: Option<Text>,
    },
}

impl SourceRef {
    pub fn locator(&self) -> Option<&str> {
        match self {
            SourceRef::Id { locator, .. } | SourceRef::Inline { locator, .. } => locator.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: Id,
    pub date: Date,
    pub date_text: Option<Text>,
    pub kind: Id,
    pub title: Text,
    pub summary: Option<Text>,
    pub status: Status,
    pub actors: Vec<ActorRef>,
    pub location: Option<Text>,
    pub tags: Vec<Id>,
    pub related: Vec<Related>,
    pub quotes: Vec<Quote>,
    pub sources: Vec<SourceRef>,
    pub origin: Origin,
}

impl Event {
    /// An event with its required scalars and nothing else: no actors or
    /// sources, status `occurred`, every optional field empty. Code that
    /// builds events by hand (tests, fuzz targets) starts from it with
    /// `..Event::new(..)`, so a new optional field changes no caller.
    pub fn new(
        id: impl Into<Id>,
        date: Date,
        kind: impl Into<Id>,
        title: impl Into<Text>,
    ) -> Event {
        Event {
            id: id.into(),
            date,
            date_text: None,
            kind: kind.into(),
            title: title.into(),
            summary: None,
            status: Status::Occurred,
            actors: Vec::new(),
            location: None,
            tags: Vec::new(),
            related: Vec::new(),
            quotes: Vec::new(),
            sources: Vec::new(),
            origin: Origin::default(),
        }
    }
}

/// The whole record of a directory, in file order then list order.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The files read, in sorted path order, as given (relative to the cwd
    /// when the directory was given relative).
    pub files: Vec<PathBuf>,
    pub events: Vec<Event>,
    pub actors: Vec<Actor>,
    pub sources: Vec<Source>,
    pub kinds: Vec<KindDef>,
    /// The `settings:` of each file that has them, in file order.
    pub settings: Vec<Settings>,
    /// Ids of items left out because their shape was wrong. They were
    /// reported already; references to them are not reported again.
    pub broken: Vec<(ListKind, Id)>,
    /// References made by items that were left out, so that a misspelt
    /// actor in a broken event is still reported in the same run.
    pub orphan_refs: Vec<OrphanRef>,
}

/// A reference from an item that failed its shape checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanRef {
    /// What the id should name.
    pub target: ListKind,
    pub id: Id,
    pub file: u32,
    pub path: YamlPath,
    /// The id of the item that makes the reference, if it had one.
    pub owner: Option<String>,
}

impl Record {
    /// Whether `check` warns about online sources with neither `archived:`
    /// nor `accessed:`: on unless a file's settings turn it off.
    pub fn warn_unarchived(&self) -> bool {
        self.settings
            .iter()
            .filter_map(|s| s.warn_unarchived)
            .next()
            .unwrap_or(true)
    }

    /// Whether `kind` is built in or declared.
    pub fn has_kind(&self, kind: &str) -> bool {
        BUILTIN_KINDS.contains(&kind) || self.kinds.iter().any(|k| k.id == kind)
    }
}
