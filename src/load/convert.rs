//! From a file's [`Node`] tree to model items, checking the shape.
//!
//! Every field of every item is checked, and each problem becomes a
//! diagnostic; an item with a broken required field is left out of the
//! record (its problems are already reported), so later checks never see
//! half-built items.

use crate::codes::Code;
use crate::date::Date;
use crate::diag::{Diagnostic, Locus, Severity, did_you_mean};
use crate::fields::{
    Key, actor as a, actor_ref as ar, event as e, inline_source as is, kind as k, quote as q,
    related as rl, role as ro, settings as st, source as s, source_ref as sr, top,
};
use crate::model::{
    Actor, ActorRef, ActorRole, ActorType, BUILTIN_KINDS, Event, Id, InlineSource, KindDef,
    ListKind, Origin, OrphanRef, Quote, Related, Relation, Role, Settings, Source, SourceRef,
    SourceType, Status,
};
use crate::names::{is_country_code, is_slug};
use crate::yaml::{Node, YamlPath};
use std::marker::PhantomData;
use std::ops::Index;

/// The items of one file.
#[derive(serde::Serialize, serde::Deserialize, Debug, Default)]
pub struct FileItems {
    pub events: Vec<Event>,
    pub actors: Vec<Actor>,
    pub sources: Vec<Source>,
    pub kinds: Vec<KindDef>,
    /// The file's `settings:`, if it has them.
    pub settings: Option<Settings>,
    /// Ids of items left out because of shape errors.
    pub broken: Vec<(ListKind, Id)>,
    /// How many items each list held, broken ones included.
    pub seen: [usize; 4],
    /// References made by items left out (see `Record::orphan_refs`).
    pub orphan_refs: Vec<OrphanRef>,
}

/// Characters that end a line for some reader: YAML's own breaks (`\n`,
/// `\r`), and those of YAML 1.1, Unicode and terminals (NEL, the line and
/// paragraph separators, vertical tab, form feed). A one-line field holds
/// none of them.
pub const LINE_BREAKS: &[char] = &[
    '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// How a message names a line break or control character.
pub fn char_name(c: char) -> String {
    let name = match c {
        '\n' => "a line feed",
        '\r' => "a carriage return",
        '\u{b}' => "a vertical tab",
        '\u{c}' => "a form feed",
        '\u{85}' => "a next-line character, NEL",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        c if c.is_control() => "a control character",
        _ => "the character",
    };
    format!("{name} U+{:04X}", c as u32)
}

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest id, in characters.
pub const MAX_ID_CHARS: usize = 80;

/// Converts one file's document, read from `source`. `file` is the file's
/// index in the record.
pub fn convert(doc: &Node<'_>, source: &str, file: u32, diags: &mut Vec<Diagnostic>) -> FileItems {
    let mut items = FileItems::default();
    Converter::new(source, file).finish(doc, &mut items, Default::default(), diags);
    items
}

/// What converting a list's items gave besides the items: their
/// diagnostics, the ids of those left out, their orphan references.
#[derive(Debug, Default)]
pub struct ItemsOut {
    pub diagnostics: Vec<Diagnostic>,
    pub broken: Vec<(ListKind, Id)>,
    pub orphan_refs: Vec<OrphanRef>,
}

/// [`convert`] in two steps, so that the loader can convert each item of
/// a large file as soon as the reader has it ([`Converter::item`]) and
/// drop its tree, then the rest of the file ([`Converter::finish`]).
pub struct Converter<'s> {
    cx: Cx<'s>,
}

impl<'s> Converter<'s> {
    pub fn new(source: &'s str, file: u32) -> Self {
        Converter {
            cx: Cx {
                file,
                source,
                odd_ints: None,
                diags: Vec::new(),
                id: None,
                orphans: Vec::new(),
            },
        }
    }

    /// A converter for a file whose text is not held (`load::stream`): the
    /// integers its text spells otherwise than in decimal are given, as
    /// [`OddInts`] found them.
    pub(crate) fn with_odd_ints(odd: &'s [(i128, String)], file: u32) -> Self {
        let mut c = Converter::new("", file);
        c.cx.odd_ints = Some(odd.iter().map(|(v, w)| (*v, w.as_str())).collect());
        c
    }

    /// Converts item `index` of `list` into `items` (counted in
    /// `items.seen`); what else it gives goes to `out`. True when the item
    /// was kept (it is then the last of its list in `items`).
    pub fn item(
        &mut self,
        list: ListKind,
        index: usize,
        item: &Node<'_>,
        items: &mut FileItems,
        out: &mut ItemsOut,
    ) -> bool {
        let cx = &mut self.cx;
        items.seen[list as usize] += 1;
        // The loader sets the item's span from its tree (`load::parse_into`).
        let origin = Origin {
            file: cx.file,
            index: index as u32,
            ..Origin::default()
        };
        cx.id = None;
        let ok = match list {
            ListKind::Events => push(&mut items.events, cx.event(item, origin)),
            ListKind::Actors => push(&mut items.actors, cx.actor(item, origin)),
            ListKind::Sources => push(&mut items.sources, cx.source(item, origin)),
            ListKind::Kinds => push(&mut items.kinds, cx.kind(item, origin)),
        };
        if let (false, Some(id)) = (ok, cx.id.take()) {
            out.broken.push((list, id));
        }
        out.diagnostics.append(&mut cx.diags);
        out.orphan_refs.append(&mut cx.orphans);
        ok
    }

    /// Converts the rest of the file: the top level, the items of lists
    /// still in `doc`, the settings. `streamed` holds what
    /// [`Converter::item`] gave per list (by `ListKind as usize`); the
    /// diagnostics come out in the order [`convert`] gives them.
    pub fn finish(
        mut self,
        doc: &Node<'_>,
        items: &mut FileItems,
        mut streamed: [ItemsOut; 4],
        diags: &mut Vec<Diagnostic>,
    ) {
        let entries = match doc {
            Node::Null => return,
            Node::Map(entries) => entries,
            other => {
                self.cx.error(
                    Code::NotAMapping,
                    format!(
                        "the top level of a record file must be a mapping, found {}",
                        other.type_name()
                    ),
                    YamlPath::root(),
                )
                .help("start the file with `events:`, `actors:`, `sources:` or `kinds:`, each holding a list, or `settings:`");
                diags.append(&mut self.cx.diags);
                return;
            }
        };
        let slots = self.cx.fields::<top::Key>(entries, &YamlPath::root());
        diags.append(&mut self.cx.diags);
        let lists = [
            (top::Key::Events, ListKind::Events),
            (top::Key::Actors, ListKind::Actors),
            (top::Key::Sources, ListKind::Sources),
            (top::Key::Kinds, ListKind::Kinds),
        ];
        for ((key, list), out) in lists.into_iter().zip(&mut streamed) {
            if let Some(node) = slots[key] {
                match node {
                    Node::Seq(seq) => {
                        for (index, item) in seq.iter().enumerate() {
                            self.item(list, index, item, items, out);
                        }
                    }
                    // `events:` with nothing after it: a list not yet begun.
                    Node::Null => {}
                    other => {
                        self.cx
                            .error(
                                Code::WrongType,
                                format!(
                                    "`{}` must hold a list, found {}",
                                    list.key(),
                                    other.type_name()
                                ),
                                YamlPath::root().key(list.key()),
                            )
                            .help(format!("write each {} as an item `- ...`", list.noun()));
                        diags.append(&mut self.cx.diags);
                    }
                }
            }
            diags.append(&mut out.diagnostics);
            items.broken.append(&mut out.broken);
            items.orphan_refs.append(&mut out.orphan_refs);
        }
        if let Some(node) = slots[top::Key::Settings] {
            items.settings = self.cx.settings(node, self.cx.file);
            diags.append(&mut self.cx.diags);
        }
        items.orphan_refs.append(&mut self.cx.orphans);
    }
}

/// A list that is present and has no broken item.
fn all_some<T>(v: &Option<Vec<Option<T>>>) -> bool {
    v.as_ref().is_some_and(|v| v.iter().all(Option::is_some))
}

/// The items of a list checked whole, in a vector of exactly their number:
/// `collect` over `flatten` cannot know the length, and would leave up to
/// three slots of slack (or the `Option`s' capacity) in every event's
/// lists, held for the whole run.
fn exact<T>(v: Vec<Option<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(v.iter().flatten().count());
    out.extend(v.into_iter().flatten());
    out
}

/// Pushes a kept item. A long list grows by an eighth rather than doubling:
/// the items of a one-file record are its largest block (100,000 events of
/// 328 bytes), and doubling left up to half of it as unused capacity while
/// the file's text was still held (43 MB for 33 MB of events, the peak of
/// `check` on one 41 MB file; `load::parse_into` trims what slack is left).
fn push<T>(list: &mut Vec<T>, item: Option<T>) -> bool {
    let Some(item) = item else { return false };
    if list.len() == list.capacity() && list.len() >= GROW_BY_EIGHTHS {
        list.reserve_exact(list.len() / 8);
    }
    list.push(item);
    true
}

/// From this length on, a list grows by an eighth (see [`push`]).
const GROW_BY_EIGHTHS: usize = 1024;

/// The conversion context: the file, the diagnostics, and the id of the
/// item being converted (for the diagnostics' `id`).
struct Cx<'d> {
    file: u32,
    /// The file's text, for how its integers were spelt.
    source: &'d str,
    /// Integers spelt otherwise than in decimal, found on first need.
    odd_ints: Option<Vec<(i128, &'d str)>>,
    /// What the item or part being converted found wrong.
    diags: Vec<Diagnostic>,
    id: Option<Id>,
    orphans: Vec<OrphanRef>,
}

type Entries<'n, 'a> = &'n [(Node<'a>, Node<'a>)];

/// A mapping's values sorted into its table's fields (`crate::fields`),
/// read by typed key: `slots[event::Key::Date]`. A key of another table does
/// not compile, and no slot is read by its position.
struct Slots<'n, 'a, K> {
    slots: Vec<Option<&'n Node<'a>>>,
    key: PhantomData<K>,
}

impl<'n, 'a, K: Key> Index<K> for Slots<'n, 'a, K> {
    type Output = Option<&'n Node<'a>>;
    fn index(&self, key: K) -> &Self::Output {
        &self.slots[key.index()]
    }
}

impl Cx<'_> {
    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        let d = d.with_id_opt(self.id.as_deref());
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    fn error(&mut self, code: Code, msg: String, path: YamlPath) -> &mut Diagnostic {
        debug_assert_eq!(code.severity(), Severity::Error, "{code}");
        let locus = Locus::path(self.file, path);
        self.push(Diagnostic::new(code, msg, locus))
    }

    fn warning(&mut self, code: Code, msg: String, path: YamlPath) -> &mut Diagnostic {
        debug_assert_eq!(code.severity(), Severity::Warning, "{code}");
        let locus = Locus::path(self.file, path);
        self.push(Diagnostic::new(code, msg, locus))
    }

    /// Sorts a mapping's entries into the known fields' slots (first
    /// occurrence), reporting unknown and duplicate keys.
    fn fields<'n, 'a, K: Key>(
        &mut self,
        entries: Entries<'n, 'a>,
        path: &YamlPath,
    ) -> Slots<'n, 'a, K> {
        let known = K::TABLE;
        let mut slots: Vec<Option<&'n Node<'a>>> = vec![None; known.fields.len()];
        let mut counts = vec![0u32; known.fields.len()];
        for (key, value) in entries {
            let name = key.key_text();
            match known.names().position(|k| k == name) {
                Some(i) => {
                    if counts[i] == 0 {
                        slots[i] = Some(value);
                    } else {
                        let nth = counts[i];
                        self.error(
                            Code::DuplicateKey,
                            format!("duplicate key `{name}`"),
                            path.key_nth(&name, nth).at_key(),
                        )
                        .help(
                            "a key may appear once in a mapping; remove or merge the repeated one",
                        );
                    }
                    counts[i] += 1;
                }
                None => {
                    let help = did_you_mean(&name, known.names())
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            format!(
                                "known fields: {}",
                                known.names().collect::<Vec<_>>().join(", ")
                            )
                        });
                    // Count earlier occurrences so the path finds this very key.
                    let nth = entries
                        .iter()
                        .take_while(|(k, _)| !std::ptr::eq(k, key))
                        .filter(|(k, _)| k.key_text() == name)
                        .count() as u32;
                    let what = if path.segs.is_empty() {
                        "top-level key"
                    } else {
                        "field"
                    };
                    self.error(
                        Code::UnknownField,
                        format!("unknown {what} `{name}`"),
                        path.key_nth(&name, nth).at_key(),
                    )
                    .help(help);
                }
            }
        }
        Slots {
            slots,
            key: PhantomData,
        }
    }

    /// The mapping entries of an item, or an error naming what it should be.
    fn mapping<'n, 'a>(
        &mut self,
        node: &'n Node<'a>,
        path: &YamlPath,
        what: &str,
    ) -> Option<Entries<'n, 'a>> {
        match node {
            Node::Map(e) => Some(e),
            other => {
                self.error(
                    Code::WrongType,
                    format!("{what} must be a mapping, found {}", other.type_name()),
                    path.clone(),
                );
                None
            }
        }
    }

    /// A text field. Numbers and booleans are accepted with their YAML
    /// spelling, with a warning where that spelling may not be what was
    /// written. A missing or null value is `None`.
    fn text(&mut self, node: Option<&Node<'_>>, path: impl FnOnce() -> YamlPath) -> Option<String> {
        let node = node?;
        match node {
            Node::Null => None,
            Node::Str(s) => Some(s.to_string()),
            Node::Int(i) => {
                let t = i.to_string();
                // YAML reads `0x1F`, `0o17`, `0b101`, `+5` and `-0` as
                // integers too; their digits are not what was written.
                let odd = self.odd_ints.get_or_insert_with(|| odd_ints(self.source));
                if let Some((_, written)) = odd.iter().find(|(v, _)| v == i) {
                    let written = *written;
                    self.warning(
                        Code::NotAString,
                        format!("YAML reads `{written}` as the number {t}, kept as the text `{t}`"),
                        path(),
                    )
                    .help("put it in quotes to keep exactly what you wrote");
                }
                Some(t)
            }
            Node::Float(_) | Node::Bool(_) => {
                let t = node.scalar_text()?.into_owned();
                self.warning(
                    Code::NotAString,
                    format!(
                        "YAML reads this as {}, kept as the text `{t}`",
                        node.type_name()
                    ),
                    path(),
                )
                .help("put it in quotes to keep exactly what you wrote");
                Some(t)
            }
            Node::Seq(_) | Node::Map(_) => {
                self.error(
                    Code::WrongType,
                    format!("expected text, found {}", node.type_name()),
                    path(),
                );
                None
            }
        }
    }

    /// A required text field; reports it missing (at the item) when absent.
    fn required_text(
        &mut self,
        node: Option<&Node<'_>>,
        item: &YamlPath,
        field: &str,
        what: &str,
    ) -> Option<String> {
        match node {
            None | Some(Node::Null) => {
                let path = if node.is_some() {
                    item.key(field).at_key()
                } else {
                    item.clone()
                };
                self.error(Code::MissingField, format!("{what} has no `{field}`"), path)
                    .help(format!("add `{field}:`"));
                None
            }
            Some(_) => self.text(node, || item.key(field)),
        }
    }

    /// An id: a slug of at most 80 characters.
    fn id(&mut self, node: Option<&Node<'_>>, item: &YamlPath, what: &str) -> Option<Id> {
        let id = Id::from(self.required_text(node, item, "id", what)?);
        self.id = Some(id.clone());
        if self.check_slug(&id, || item.key("id"), "id") {
            Some(id)
        } else {
            None
        }
    }

    /// Checks an id or reference is a slug; reports it if not.
    fn check_slug(&mut self, s: &str, path: impl FnOnce() -> YamlPath, what: &str) -> bool {
        if is_slug(s) && s.chars().count() <= MAX_ID_CHARS {
            return true;
        }
        let msg = if s.chars().count() > MAX_ID_CHARS {
            format!("{what} `{s}` is longer than {MAX_ID_CHARS} characters")
        } else {
            format!("{what} `{s}` is not a slug")
        };
        let suggestion = crate::names::slugify(s);
        let help = if suggestion.is_empty() {
            "use lower-case letters, digits and single hyphens, e.g. `kishida-fumio`".to_string()
        } else {
            format!(
                "use lower-case letters, digits and single hyphens: `{}`",
                suggestion.chars().take(MAX_ID_CHARS).collect::<String>()
            )
        };
        let code = if what == "tag" {
            Code::InvalidTag
        } else {
            Code::InvalidId
        };
        self.error(code, msg, path()).help(help);
        false
    }

    /// A reference to another item by id (an actor, a source, an event).
    fn reference(
        &mut self,
        node: &Node<'_>,
        path: impl Fn() -> YamlPath,
        what: &str,
    ) -> Option<Id> {
        // Straight from the node's text: no intermediate `String` for the
        // short ids that a `CompactString` keeps inline.
        let s = match node {
            Node::Str(s) => Id::from(s.as_ref()),
            other => Id::from(self.text(Some(other), &path)?),
        };
        self.check_slug(&s, path, what).then_some(s)
    }

    /// A list field: a missing or null value is an empty list; a single
    /// scalar where a list is expected is an error.
    fn list<'n, 'a>(
        &mut self,
        node: Option<&'n Node<'a>>,
        path: impl FnOnce() -> YamlPath,
    ) -> &'n [Node<'a>] {
        match node {
            None | Some(Node::Null) => &[],
            Some(Node::Seq(items)) => items,
            Some(other) => {
                let help = match other {
                    Node::Str(s) => format!("write it as a list: `[{s}]`"),
                    _ => "write it as a list: `[a, b]` or items `- a`".to_string(),
                };
                self.error(
                    Code::WrongType,
                    format!("expected a list, found {}", other.type_name()),
                    path(),
                )
                .help(help);
                &[]
            }
        }
    }

    /// A keyword from a fixed set (status, role, relation, actor type).
    fn keyword<T>(
        &mut self,
        node: &Node<'_>,
        path: impl Fn() -> YamlPath,
        what: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let s = self.text(Some(node), &path)?;
        if let Some(v) = parse(&s) {
            return Some(v);
        }
        let help = match did_you_mean(&s, names.iter().copied()) {
            Some(m) => format!("did you mean `{m}`? expected one of: {}", names.join(", ")),
            None => format!("expected one of: {}", names.join(", ")),
        };
        self.error(
            Code::InvalidValue,
            format!("`{s}` is not a valid {what}"),
            path(),
        )
        .help(help);
        None
    }

    /// A date in the EDTF grammar.
    fn date(&mut self, node: Option<&Node<'_>>, path: impl Fn() -> YamlPath) -> Option<Date> {
        let node = node?;
        let text = match node {
            Node::Null => return None,
            Node::Str(s) => s.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Seq(_) | Node::Map(_) => {
                let written = unquoted_set_text(node);
                self.error(
                    Code::UnquotedDateSet,
                    format!(
                        "this date was read as a YAML {}, not a date",
                        if matches!(node, Node::Seq(_)) {
                            "list"
                        } else {
                            "mapping"
                        }
                    ),
                    path(),
                )
                .help(format!(
                    "a date that starts with `[` or `{{` must be quoted: `\"{written}\"`"
                ));
                return None;
            }
            // No EDTF date reads as a YAML number with a point or exponent,
            // or as a boolean: `2024.0` is not the year 2024.
            Node::Float(_) | Node::Bool(_) => {
                self.error(
                    Code::InvalidDate,
                    format!(
                        "YAML reads this date as {}, not as a date",
                        node.type_name()
                    ),
                    path(),
                )
                .help("write an EDTF date such as 2024, 2024-02 or 2024-02-05");
                return None;
            }
        };
        match Date::parse(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(Code::InvalidDate, e.message.clone(), path())
                    .set_help_opt(e.help.clone());
                None
            }
        }
    }

    fn event(&mut self, node: &Node<'_>, origin: Origin) -> Option<Event> {
        let item = origin.path(ListKind::Events);
        let entries = self.mapping(node, &item, "an event")?;
        let id_node = find(entries, "id");
        let id = self.id(id_node, &item, "this event");
        let f = self.fields::<e::Key>(entries, &item);
        let date = f[e::Key::Date];
        let date_text = f[e::Key::DateText];
        let kind = f[e::Key::Kind];
        let title = f[e::Key::Title];
        let summary = f[e::Key::Summary];
        let status = f[e::Key::Status];
        let actors = f[e::Key::Actors];
        let location = f[e::Key::Location];
        let tags = f[e::Key::Tags];
        let related = f[e::Key::Related];
        let quotes = f[e::Key::Quotes];
        let sources = f[e::Key::Sources];

        let date = match date {
            None | Some(Node::Null) => {
                self.missing::<()>(&item, date, "date", "this event");
                None
            }
            some => self.date(some, || item.key("date")),
        };
        let date_text = self.text(date_text, || item.key("date_text"));
        let kind = self
            .required_text(kind, &item, "kind", "this event")
            .map(Id::from);
        if let Some(k) = &kind {
            self.check_slug(k, || item.key("kind"), "kind");
        }
        let title = self
            .required_text(title, &item, "title", "this event")
            .and_then(|t| self.title(t, || item.key("title")));
        let summary = self.text(summary, || item.key("summary"));
        let status = match status {
            None | Some(Node::Null) => Some(Status::Occurred),
            Some(n) => self.keyword(
                n,
                || item.key("status"),
                "status",
                Status::NAMES,
                Status::parse,
            ),
        };
        let location = self.text(location, || item.key("location"));

        let actors = self.actor_refs(actors, &item);
        let sources = self.source_refs(sources, &item);

        // Every list is sized exactly (here and below): a vector grown by
        // `push` starts at four slots, and the slack of a few lists per
        // event is several megabytes of a large record.
        let tag_nodes = self.list(tags, || item.key("tags"));
        let mut tag_list = Vec::with_capacity(tag_nodes.len());
        for (i, t) in tag_nodes.iter().enumerate() {
            if let Some(t) = self.reference(t, || item.key("tags").index(i), "tag") {
                tag_list.push(t);
            }
        }

        let related_nodes = self.list(related, || item.key("related"));
        let mut related_list = Vec::with_capacity(related_nodes.len());
        for (i, r) in related_nodes.iter().enumerate() {
            let p = item.key("related").index(i);
            let Some(e) = self.mapping(r, &p, "a related entry") else {
                related_list.push(None);
                continue;
            };
            let f = self.fields::<rl::Key>(e, &p);
            let (ev, rel) = (f[rl::Key::Event], f[rl::Key::Relation]);
            let ev = match ev {
                Some(n) => self.reference(n, || p.key("event"), "event id"),
                None => self.missing(&p, ev, "event", "this related entry"),
            };
            let rel = match rel {
                Some(n) => self.keyword(
                    n,
                    || p.key("relation"),
                    "relation",
                    Relation::NAMES,
                    Relation::parse,
                ),
                None => self.missing(&p, rel, "relation", "this related entry"),
            };
            related_list.push(
                ev.zip(rel)
                    .map(|(event, relation)| Related { event, relation }),
            );
        }

        let quote_nodes = self.list(quotes, || item.key("quotes"));
        let mut quote_list = Vec::with_capacity(quote_nodes.len());
        for (i, q) in quote_nodes.iter().enumerate() {
            let p = item.key("quotes").index(i);
            let Some(e) = self.mapping(q, &p, "a quote") else {
                quote_list.push(None);
                continue;
            };
            let f = self.fields::<q::Key>(e, &p);
            let (by, text) = (f[q::Key::By], f[q::Key::Text]);
            let by = match by {
                Some(n) => self.reference(n, || p.key("by"), "actor id"),
                None => self.missing(&p, by, "by", "this quote"),
            };
            let text = self.required_text(text, &p, "text", "this quote");
            quote_list.push(by.zip(text).map(|(by, text)| Quote { by, text }));
        }

        let complete = id.is_some()
            && date.is_some()
            && kind.is_some()
            && title.is_some()
            && status.is_some()
            && all_some(&actors)
            && all_some(&sources)
            && related_list.iter().all(Option::is_some)
            && quote_list.iter().all(Option::is_some);
        if !complete {
            // The event is left out, but what it names is still checked,
            // so that every problem shows in one run.
            if let Some(k) = kind {
                self.orphan(ListKind::Kinds, k, item.key("kind"));
            }
            for (i, a) in actors.iter().flatten().enumerate() {
                if let Some(a) = a {
                    self.orphan(
                        ListKind::Actors,
                        a.actor.clone(),
                        item.key("actors").index(i).key("actor"),
                    );
                }
            }
            for (i, s) in sources.iter().flatten().enumerate() {
                if let Some(SourceRef::Id { source, .. }) = s {
                    self.orphan(
                        ListKind::Sources,
                        source.clone(),
                        item.key("sources").index(i).key("source"),
                    );
                }
            }
            for (i, r) in related_list.iter().enumerate() {
                if let Some(r) = r {
                    self.orphan(
                        ListKind::Events,
                        r.event.clone(),
                        item.key("related").index(i).key("event"),
                    );
                }
            }
            for (i, q) in quote_list.iter().enumerate() {
                if let Some(q) = q {
                    self.orphan(
                        ListKind::Actors,
                        q.by.clone(),
                        item.key("quotes").index(i).key("by"),
                    );
                }
            }
            return None;
        }
        Some(Event {
            id: id?,
            date: date?,
            date_text,
            kind: kind?,
            title: title?,
            summary,
            status: status?,
            actors: exact(actors?),
            location,
            tags: tag_list,
            related: exact(related_list),
            quotes: exact(quote_list),
            sources: exact(sources?),
            origin,
        })
    }

    /// Records a reference made by an item that is being left out.
    fn orphan(&mut self, target: ListKind, id: Id, path: YamlPath) {
        self.orphans.push(OrphanRef {
            target,
            id,
            file: self.file,
            path,
            owner: self.id.as_ref().map(|i| i.to_string()),
        });
    }

    /// Reports a missing required field and returns `None`.
    fn missing<T>(
        &mut self,
        item: &YamlPath,
        node: Option<&Node<'_>>,
        field: &str,
        what: &str,
    ) -> Option<T> {
        self.required_text(node, item, field, what);
        None
    }

    fn title(&mut self, t: String, path: impl FnOnce() -> YamlPath) -> Option<String> {
        let n = t.chars().count();
        let problem = if t.trim().is_empty() {
            Some("the title is empty".to_string())
        } else if let Some(c) = t
            .trim_end_matches(['\n', '\r', ' ', '\t'])
            .chars()
            .find(|c| LINE_BREAKS.contains(c))
        {
            Some(format!(
                "the title must be one line; it holds a line break ({})",
                char_name(c)
            ))
        } else if n > MAX_TITLE_CHARS {
            Some(format!(
                "the title is {n} characters long; the limit is {MAX_TITLE_CHARS}"
            ))
        } else {
            None
        };
        match problem {
            None => Some(t.trim_end_matches(['\n', '\r']).to_string()),
            Some(msg) => {
                self.error(Code::InvalidTitle, msg, path())
                    .help("keep the title to one line of at most 200 characters; put the rest in `summary`");
                None
            }
        }
    }

    /// Each actor reference, `None` where one is broken (already reported);
    /// `None` for the whole when the list is missing or empty.
    fn actor_refs(
        &mut self,
        node: Option<&Node<'_>>,
        item: &YamlPath,
    ) -> Option<Vec<Option<ActorRef>>> {
        let list = self.required_list(node, item, "actors", "actor")?;
        let mut out = Vec::with_capacity(list.len());
        for (i, a) in list.iter().enumerate() {
            let p = || item.key("actors").index(i);
            let r = match a {
                Node::Map(e) => {
                    let pp = p();
                    let f = self.fields::<ar::Key>(e, &pp);
                    let (actor, role) = (f[ar::Key::Actor], f[ar::Key::Role]);
                    let actor = match actor {
                        Some(n) => self.reference(n, || pp.key("actor"), "actor id"),
                        None => self.missing(&pp, actor, "actor", "this actor entry"),
                    };
                    let role = match role {
                        None | Some(Node::Null) => Some(Role::Participant),
                        Some(n) => {
                            self.keyword(n, || pp.key("role"), "role", Role::NAMES, Role::parse)
                        }
                    };
                    actor
                        .zip(role)
                        .map(|(actor, role)| ActorRef { actor, role })
                }
                n => self.reference(n, p, "actor id").map(|actor| ActorRef {
                    actor,
                    role: Role::Participant,
                }),
            };
            out.push(r);
        }
        Some(out)
    }

    /// A list that must have at least one item.
    fn required_list<'n, 'a>(
        &mut self,
        node: Option<&'n Node<'a>>,
        item: &YamlPath,
        field: &str,
        noun: &str,
    ) -> Option<&'n [Node<'a>]> {
        if node.is_none() {
            return self.missing(item, node, field, "this event");
        }
        let list = self.list(node, || item.key(field));
        if list.is_empty() {
            if matches!(node, Some(Node::Seq(_) | Node::Null)) {
                self.error(
                    Code::EmptyList,
                    format!("an event needs at least one {noun}"),
                    item.key(field),
                )
                .help(format!("name the {noun} by id in `{field}:`"));
            }
            return None;
        }
        Some(list)
    }

    /// Each source reference, `None` where one is broken (already reported).
    fn source_refs(
        &mut self,
        node: Option<&Node<'_>>,
        item: &YamlPath,
    ) -> Option<Vec<Option<SourceRef>>> {
        let list = self.required_list(node, item, "sources", "source")?;
        let mut out = Vec::with_capacity(list.len());
        for (i, s) in list.iter().enumerate() {
            let p = item.key("sources").index(i);
            let r = match s {
                Node::Map(e) if find(e, "source").is_some() => {
                    let f = self.fields::<sr::Key>(e, &p);
                    let (source, locator) = (f[sr::Key::Source], f[sr::Key::Locator]);
                    let source =
                        source.and_then(|n| self.reference(n, || p.key("source"), "source id"));
                    let locator = self.text(locator, || p.key("locator"));
                    source.map(|source| SourceRef::Id { source, locator })
                }
                Node::Map(e) => {
                    let f = self.fields::<is::Key>(e, &p);
                    let locator = self.text(f[is::Key::Locator], || p.key("locator"));
                    let body = Body {
                        title: f[is::Key::Title],
                        publisher: f[is::Key::Publisher],
                        author: f[is::Key::Author],
                        url: f[is::Key::Url],
                        published: f[is::Key::Published],
                        accessed: f[is::Key::Accessed],
                        note: f[is::Key::Note],
                    };
                    self.source_body(body, &p, "this inline source")
                        .map(|source| SourceRef::Inline {
                            source: Box::new(source),
                            locator,
                        })
                }
                n => self
                    .reference(n, || p.clone(), "source id")
                    .map(|source| SourceRef::Id {
                        source,
                        locator: None,
                    }),
            };
            out.push(r);
        }
        Some(out)
    }

    /// The fields a source and an inline source share:
    /// title, publisher, author, url, published, accessed, note.
    fn source_body(&mut self, f: Body<'_, '_>, p: &YamlPath, what: &str) -> Option<InlineSource> {
        let title = self.required_text(f.title, p, "title", what);
        let publisher = self.required_text(f.publisher, p, "publisher", what);
        let authors = match f.author {
            Some(Node::Seq(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, a)| self.text(Some(a), || p.key("author").index(i)))
                .collect(),
            other => self.text(other, || p.key("author")).into_iter().collect(),
        };
        let url = self.text(f.url, || p.key("url"));
        if let Some(u) = &url {
            if !is_http_url(u) {
                self.error(
                    Code::InvalidUrl,
                    format!("`{u}` is not an absolute http or https URL"),
                    p.key("url"),
                )
                .help("write the full address, starting with `https://`");
            }
        }
        let published = self.date(f.published, || p.key("published"));
        let accessed = self.date(f.accessed, || p.key("accessed"));
        let note = self.text(f.note, || p.key("note"));
        Some(InlineSource {
            title: title?,
            publisher: publisher?,
            authors,
            url: url.filter(|u| is_http_url(u)),
            published,
            accessed,
            note,
        })
    }

    fn source(&mut self, node: &Node<'_>, origin: Origin) -> Option<Source> {
        let item = origin.path(ListKind::Sources);
        let entries = self.mapping(node, &item, "a source")?;
        let id = self.id(find(entries, "id"), &item, "this source");
        let f = self.fields::<s::Key>(entries, &item);
        let body = Body {
            title: f[s::Key::Title],
            publisher: f[s::Key::Publisher],
            author: f[s::Key::Author],
            url: f[s::Key::Url],
            published: f[s::Key::Published],
            accessed: f[s::Key::Accessed],
            note: f[s::Key::Note],
        };
        let body = self.source_body(body, &item, "this source");
        let (key, archived, source_type) = self.citation_fields(&f, &item);
        let b = body?;
        Some(Source {
            id: id?,
            title: b.title,
            publisher: b.publisher,
            authors: b.authors,
            url: b.url,
            published: b.published,
            accessed: b.accessed,
            note: b.note,
            key: key?,
            archived: archived?,
            source_type: source_type?,
            origin,
        })
    }

    /// A source's citation fields `key`, `archived` and `type` (format 1.1).
    /// Each is `None` when broken (reported), `Some(None)` when absent.
    #[allow(clippy::type_complexity)]
    fn citation_fields(
        &mut self,
        f: &Slots<'_, '_, s::Key>,
        item: &YamlPath,
    ) -> (
        Option<Option<String>>,
        Option<Option<String>>,
        Option<Option<SourceType>>,
    ) {
        let key = match self.text(f[s::Key::Key], || item.key("key")) {
            Some(k) if !is_cite_key(&k) => {
                self.error(
                    Code::InvalidKey,
                    format!("`{k}` is not a citation key pandoc and BibTeX can read"),
                    item.key("key"),
                )
                .help("use letters, digits and `_`, with `-`, `:` or `.` inside, e.g. `matsuo2024dim`");
                None
            }
            k => Some(k),
        };
        let archived = match self.text(f[s::Key::Archived], || item.key("archived")) {
            Some(u) if !is_http_url(&u) => {
                self.error(
                    Code::InvalidUrl,
                    format!("`{u}` is not an absolute http or https URL"),
                    item.key("archived"),
                )
                .help("write the archived copy's full address, e.g. `https://web.archive.org/web/...`");
                None
            }
            u => Some(u),
        };
        let source_type = match f[s::Key::Type] {
            None | Some(Node::Null) => Some(None),
            Some(n) => self
                .keyword(
                    n,
                    || item.key("type"),
                    "source type",
                    SourceType::NAMES,
                    SourceType::parse,
                )
                .map(Some),
        };
        (key, archived, source_type)
    }

    /// A file's `settings:` mapping.
    fn settings(&mut self, node: &Node<'_>, file: u32) -> Option<Settings> {
        let path = YamlPath::root().key("settings");
        let entries = self.mapping(node, &path, "the settings")?;
        let warn_unarchived = self.fields::<st::Key>(entries, &path)[st::Key::WarnUnarchived];
        let warn_unarchived = match warn_unarchived {
            None | Some(Node::Null) => None,
            Some(Node::Bool(b)) => Some(*b),
            Some(other) => {
                self.error(
                    Code::WrongType,
                    format!("expected true or false, found {}", other.type_name()),
                    path.key("warn-unarchived"),
                )
                .help("write `warn-unarchived: false` to turn the warning off");
                None
            }
        };
        Some(Settings {
            warn_unarchived,
            origin: Origin {
                file,
                ..Origin::default()
            },
        })
    }

    fn actor(&mut self, node: &Node<'_>, origin: Origin) -> Option<Actor> {
        let item = origin.path(ListKind::Actors);
        let entries = self.mapping(node, &item, "an actor")?;
        let id = self.id(find(entries, "id"), &item, "this actor");
        let f = self.fields::<a::Key>(entries, &item);
        let name = f[a::Key::Name];
        let kind = f[a::Key::Type];
        let country = f[a::Key::Country];
        let aliases = f[a::Key::Aliases];
        let member_of = f[a::Key::MemberOf];
        let roles = f[a::Key::Roles];
        let note = f[a::Key::Note];
        let name = self.required_text(name, &item, "name", "this actor");
        let name = match name {
            Some(n) if n.trim().is_empty() => {
                self.error(
                    Code::EmptyName,
                    "the actor's name is empty".into(),
                    item.key("name"),
                )
                .help("write the name the sources use, e.g. `name: Kishida Fumio`");
                None
            }
            n => n,
        };
        let kind = match kind {
            None | Some(Node::Null) => self.missing(&item, kind, "type", "this actor"),
            Some(n) => self.keyword(
                n,
                || item.key("type"),
                "actor type",
                ActorType::NAMES,
                ActorType::parse,
            ),
        };
        let country = self.text(country, || item.key("country"));
        if let Some(c) = &country {
            if !is_country_code(c) {
                let upper = c.to_ascii_uppercase();
                let help = if is_country_code(&upper) {
                    format!("country codes are upper case: `{upper}`")
                } else {
                    "use an ISO 3166-1 alpha-3 code such as JPN, PRK, KOR or USA".to_string()
                };
                self.error(
                    Code::InvalidCountry,
                    format!("`{c}` is not an ISO 3166-1 alpha-3 country code"),
                    item.key("country"),
                )
                .help(help);
            }
        }
        // Kept by position, so that later checks can point at `aliases[i]`
        // and `member_of[i]`; an actor with a broken one is left out.
        let aliases: Vec<Option<String>> = self
            .list(aliases, || item.key("aliases"))
            .iter()
            .enumerate()
            .map(|(i, a)| self.text(Some(a), || item.key("aliases").index(i)))
            .collect();
        let member_of: Vec<Option<Id>> = self
            .list(member_of, || item.key("member_of"))
            .iter()
            .enumerate()
            .map(|(i, m)| self.reference(m, || item.key("member_of").index(i), "actor id"))
            .collect();
        let role_nodes = self.list(roles, || item.key("roles"));
        let mut role_list = Vec::with_capacity(role_nodes.len());
        for (i, r) in role_nodes.iter().enumerate() {
            let p = item.key("roles").index(i);
            let Some(e) = self.mapping(r, &p, "a role") else {
                continue;
            };
            let f = self.fields::<ro::Key>(e, &p);
            let (title, from, to) = (f[ro::Key::Title], f[ro::Key::From], f[ro::Key::To]);
            let title = self.required_text(title, &p, "title", "this role");
            let from = self.date(from, || p.key("from"));
            let to = self.date(to, || p.key("to"));
            if let (Some(f), Some(t)) = (&from, &to) {
                if let (Some(fe), Some(tl)) = (f.earliest(), t.latest()) {
                    if tl < fe {
                        self.error(
                            Code::InvalidRange,
                            format!(
                                "the role ends ({}) before it starts ({})",
                                t.text(),
                                f.text()
                            ),
                            p.key("to"),
                        )
                        .help("swap `from` and `to`, or check the dates");
                    }
                }
            }
            if let Some(title) = title {
                role_list.push(ActorRole { title, from, to });
            }
        }
        let note = self.text(note, || item.key("note"));
        let complete = id.is_some()
            && name.is_some()
            && kind.is_some()
            && aliases.iter().all(Option::is_some)
            && member_of.iter().all(Option::is_some);
        if !complete {
            // Left out, but whom it names is still checked (as for events).
            for (i, m) in member_of.into_iter().enumerate() {
                if let Some(m) = m {
                    self.orphan(ListKind::Actors, m, item.key("member_of").index(i));
                }
            }
            return None;
        }
        Some(Actor {
            id: id?,
            name: name?,
            kind: kind?,
            country: country.filter(|c| is_country_code(c)),
            aliases: exact(aliases),
            member_of: exact(member_of),
            roles: role_list,
            note,
            origin,
        })
    }

    fn kind(&mut self, node: &Node<'_>, origin: Origin) -> Option<KindDef> {
        let item = origin.path(ListKind::Kinds);
        let entries = self.mapping(node, &item, "a kind")?;
        let id = self.id(find(entries, "id"), &item, "this kind");
        let f = self.fields::<k::Key>(entries, &item);
        let (label, color) = (f[k::Key::Label], f[k::Key::Color]);
        if let Some(i) = &id {
            if BUILTIN_KINDS.contains(&i.as_str()) {
                self.error(
                    Code::DuplicateId,
                    format!("kind `{i}` is built in and cannot be declared again"),
                    item.key("id"),
                )
                .help("use the built-in kind as it is, or choose another id");
                return None;
            }
        }
        let label = self.text(label, || item.key("label"));
        if let Some(Node::Null) = color {
            // `color: #b22222` unquoted: YAML reads a comment and no value.
            self.error(
                Code::InvalidColor,
                "`color:` has no value".into(),
                item.key("color").at_key(),
            )
            .help("quote the colour: `color: \"#b22222\"` (unquoted, `#` starts a YAML comment)");
        }
        let color =
            self.text(color, || item.key("color"))
                .and_then(|c| match normalize_color(&c) {
                    Some(c) => Some(c),
                    None => {
                        self.error(
                    Code::InvalidColor,
                    format!("`{c}` is not a colour"),
                    item.key("color"),
                )
                .help("write a hex colour such as \"#b22222\" (quoted: `#` starts a YAML comment)");
                        None
                    }
                });
        Some(KindDef {
            id: id?,
            label,
            color,
            origin,
        })
    }
}

/// The fields a source and an inline source share, each by name.
#[derive(Clone, Copy)]
struct Body<'n, 'a> {
    title: Option<&'n Node<'a>>,
    publisher: Option<&'n Node<'a>>,
    author: Option<&'n Node<'a>>,
    url: Option<&'n Node<'a>>,
    published: Option<&'n Node<'a>>,
    accessed: Option<&'n Node<'a>>,
    note: Option<&'n Node<'a>>,
}

fn find<'n, 'a>(entries: Entries<'n, 'a>, key: &str) -> Option<&'n Node<'a>> {
    entries
        .iter()
        .find(|(k, _)| matches!(k, Node::Str(s) if s == key))
        .map(|(_, v)| v)
}

/// `#rgb` or `#rrggbb`, returned as lower-case `#rrggbb`.
pub fn normalize_color(c: &str) -> Option<String> {
    let hex = c.strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(
            hex.chars()
                .flat_map(|ch| [ch, ch])
                .fold(String::from("#"), |mut s, ch| {
                    s.push(ch.to_ascii_lowercase());
                    s
                }),
        ),
        _ => None,
    }
}

/// An absolute http(s) URL with a host and no spaces.
pub fn is_http_url(u: &str) -> bool {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && !u.chars().any(|c| c.is_whitespace() || c.is_control())
                && host.chars().all(|c| {
                    c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '@' | '_')
                })
        }
        None => false,
    }
}

/// What an unquoted set looked like, for the help: `[a..b]` read as a list.
fn unquoted_set_text(node: &Node<'_>) -> String {
    match node {
        Node::Seq(items) => {
            let inner: Vec<String> = items.iter().map(unquoted_set_text).collect();
            format!("[{}]", inner.join(","))
        }
        Node::Map(entries) => {
            let inner: Vec<String> = entries.iter().map(|(k, _)| unquoted_set_text(k)).collect();
            format!("{{{}}}", inner.join(","))
        }
        other => other
            .scalar_text()
            .map(|t| t.into_owned())
            .unwrap_or_default(),
    }
}

/// A citation key pandoc reads without braces and BibTeX accepts: it starts
/// and ends with a letter, digit or `_`, with `-`, `:` or `.` allowed inside.
pub fn is_cite_key(k: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let (Some(first), Some(last)) = (k.chars().next(), k.chars().last()) else {
        return false;
    };
    word(first)
        && word(last)
        && k.len() <= 200
        && k.chars().all(|c| word(c) || matches!(c, '-' | ':' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_normalize() {
        assert_eq!(normalize_color("#B22222").as_deref(), Some("#b22222"));
        assert_eq!(normalize_color("#abc").as_deref(), Some("#aabbcc"));
        assert_eq!(normalize_color("red"), None);
        assert_eq!(normalize_color("#12345"), None);
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(is_http_url("https://keia.org/the-peninsula/x"));
        assert!(is_http_url("http://example.org"));
        assert!(!is_http_url("keia.org/x"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("ftp://example.org"));
        assert!(!is_http_url("https://exa mple.org"));
    }

    /// The lists of a loaded item are held for the whole run: each is
    /// sized to its items, with no slack from growing (see `exact`).
    #[test]
    fn lists_hold_no_slack() {
        let text = "events:\n  - id: e1\n    date: 2024-01-06\n    kind: statement\n    title: T\n    actors: [a, {actor: b, role: target}, c]\n    tags: [x]\n    related:\n      - {event: e0, relation: follows}\n    quotes:\n      - {by: a, text: Q}\n    sources: [s1, {source: s2, locator: p. 2}, {title: I, publisher: P}]\nactors:\n  - id: a\n    name: A\n    type: person\n    aliases: [A1, A2, A3]\n    member_of: [g]\n    roles:\n      - {title: R}\n";
        let loaded = crate::load::load_bytes(std::path::Path::new("x.yaml"), text.as_bytes());
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let e = &loaded.record.events[0];
        let a = &loaded.record.actors[0];
        let lists = [
            (e.actors.len(), e.actors.capacity()),
            (e.tags.len(), e.tags.capacity()),
            (e.related.len(), e.related.capacity()),
            (e.quotes.len(), e.quotes.capacity()),
            (e.sources.len(), e.sources.capacity()),
            (a.aliases.len(), a.aliases.capacity()),
            (a.member_of.len(), a.member_of.capacity()),
            (a.roles.len(), a.roles.capacity()),
        ];
        let lens: Vec<usize> = lists.iter().map(|l| l.0).collect();
        assert_eq!(lens, [3, 1, 1, 1, 3, 3, 1, 1]);
        for (len, capacity) in lists {
            assert_eq!(len, capacity, "{lists:?}");
        }
    }

    #[test]
    fn unquoted_sets_are_shown_quoted() {
        let n = crate::yaml::parse("[2024-02-01..2024-02-10]").unwrap();
        assert_eq!(unquoted_set_text(&n), "[2024-02-01..2024-02-10]");
        let n = crate::yaml::parse("{1960,1961-12}").unwrap();
        assert_eq!(unquoted_set_text(&n), "{1960,1961-12}");
    }
}

/// The integers in `source` that YAML reads from a spelling other than
/// their decimal digits (`0x1F`, `0o17`, `0b101`, `+5`, `-0`), with that
/// spelling. The reader gives integers without their text, so a text field
/// holding an integer looks its value up here: a value found was (or may
/// have been) written so. The scan is rough on purpose (words between
/// YAML's separators, quoted ones included): a stray match can only add a
/// warning to a number that already has the same value.
fn odd_ints(source: &str) -> Vec<(i128, &str)> {
    source
        .split(WORD_ENDS)
        .filter_map(|w| odd_int(w).map(|v| (v, w)))
        .collect()
}

/// What ends a word for [`odd_ints`]: YAML's blanks and flow indicators.
const WORD_ENDS: [char; 9] = [' ', '\t', '\n', '\r', ',', '[', ']', '{', '}'];

/// [`odd_ints`] over a text given in pieces (a large file read a block at
/// a time, `load::stream`), the words found kept as texts of their own.
/// A word cut by a piece's end waits for the rest.
#[derive(Debug, Default)]
pub(crate) struct OddInts {
    /// The start of a word the last piece ended in.
    partial: Vec<u8>,
    pub found: Vec<(i128, String)>,
}

impl OddInts {
    pub fn feed(&mut self, bytes: &[u8]) {
        let is_end = |b: &u8| b.is_ascii() && WORD_ENDS.contains(&char::from(*b));
        let mut rest = bytes;
        while let Some(end) = rest.iter().position(is_end) {
            if self.partial.is_empty() {
                self.word(&rest[..end]);
            } else {
                let mut w = std::mem::take(&mut self.partial);
                w.extend_from_slice(&rest[..end]);
                self.word(&w);
            }
            rest = &rest[end + 1..];
        }
        self.partial.extend_from_slice(rest);
    }

    fn word(&mut self, w: &[u8]) {
        // Only ASCII words spell integers; a word cut inside a character
        // is whole by now.
        if let Some(v) = std::str::from_utf8(w).ok().and_then(odd_int) {
            self.found
                .push((v, String::from_utf8_lossy(w).into_owned()));
        }
    }

    /// The words, once every piece is fed.
    pub fn finish(mut self) -> Vec<(i128, String)> {
        let last = std::mem::take(&mut self.partial);
        self.word(&last);
        self.found
    }
}

/// The value of a word YAML reads as an integer written otherwise than in
/// plain decimal digits.
fn odd_int(w: &str) -> Option<i128> {
    let (neg, unsigned) = match w.as_bytes().first()? {
        b'+' => (false, &w[1..]),
        b'-' => (true, &w[1..]),
        _ => (false, w),
    };
    let (radix, digits) = if let Some(d) = unsigned.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = unsigned.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = unsigned.strip_prefix("0b") {
        (2, d)
    } else if w.starts_with('+') || unsigned == "0" && neg {
        (10, unsigned)
    } else {
        return None;
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let v = i128::from_str_radix(digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod int_spelling_tests {
    use super::{OddInts, odd_int, odd_ints};

    #[test]
    fn integers_spelt_otherwise_are_found() {
        assert_eq!(odd_int("0x1F"), Some(31));
        assert_eq!(odd_int("0o17"), Some(15));
        assert_eq!(odd_int("0b101"), Some(5));
        assert_eq!(odd_int("+5"), Some(5));
        assert_eq!(odd_int("-0"), Some(0));
        assert_eq!(odd_int("-0x10"), Some(-16));
        for plain in [
            "1984",
            "-7",
            "0",
            "-",
            "+",
            "0x",
            "title:",
            "2024-01-02",
            "0x1F:",
        ] {
            assert_eq!(odd_int(plain), None, "{plain}");
        }
        assert_eq!(odd_ints("a: 0x1F\nb: [+5, 7]\n"), [(31, "0x1F"), (5, "+5")]);
        // In pieces, cut anywhere (inside a word too), the same words.
        let text = "a: 0x1F\nb: [+5, 7, -0]\nc: 0b101";
        let whole: Vec<(i128, String)> = odd_ints(text)
            .into_iter()
            .map(|(v, w)| (v, w.to_string()))
            .collect();
        for cut in 0..=text.len() {
            let mut o = OddInts::default();
            o.feed(&text.as_bytes()[..cut]);
            o.feed(&text.as_bytes()[cut..]);
            assert_eq!(o.finish(), whole, "cut at {cut}");
        }
    }
}
