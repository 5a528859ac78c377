//! The JSON Schema of a record file, for editors (`annals schema`).
//!
//! The model types are not the file's shape (a file holds bare ids or
//! mappings where the model holds one type, YAML numbers where the model
//! holds text), so this module has its own types that mirror the file as
//! written, described in `docs/format.md`. The schema is generated from them
//! with `schemars`, and kept from drifting two ways: its field names are
//! tested against the field names `load::convert` accepts, and its keyword
//! lists (statuses, roles, relations, actor types, built-in kinds, country
//! codes) are taken from the constants the loader checks against.
//!
//! The schema checks the shape of one file. What needs the whole record
//! (references, duplicate ids, the date rules) and the EDTF grammar itself
//! are left to `annals check`.

mod leaf;

use leaf::{ActorType, Colour, Country, Date, KindId, Relation, Role, Slug, Status, Text, Url};
use schemars::{JsonSchema, Schema};

/// The schema as pretty-printed JSON, ending in a line break. Deterministic.
pub fn json() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).expect("a schema serializes");
    s.push('\n');
    s
}

/// The schema (draft 2020-12) of one record file.
pub fn schema() -> Schema {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<RecordFile>()
}

/// A record file of annals (format version 1): any of the lists `events`,
/// `actors`, `sources` and `kinds`. An empty file is allowed. See
/// docs/format.md.
#[derive(JsonSchema)]
#[schemars(
    title = "annals record file",
    deny_unknown_fields,
    transform = allow_empty_document
)]
pub struct RecordFile {
    /// Dated events. `events:` with nothing after it is an empty list.
    pub events: Option<Vec<Event>>,
    /// People, states, governments, organizations, media and groups.
    pub actors: Option<Vec<Actor>>,
    /// Publications the events are reported in.
    pub sources: Option<Vec<Source>>,
    /// Event kinds beyond the built-in ones.
    pub kinds: Option<Vec<Kind>>,
    /// Record-wide settings; each setting in at most one file.
    pub settings: Option<Settings>,
}

/// Record-wide settings (docs/format.md).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Settings {
    /// Warn about an online source with neither `archived:` nor `accessed:`
    /// (default true).
    #[schemars(rename = "warn-unarchived")]
    pub warn_unarchived: Option<bool>,
}

/// An empty file (or one with only comments) is a null document.
fn allow_empty_document(schema: &mut Schema) {
    schema.insert("type".into(), serde_json::json!(["object", "null"]));
}

/// A dated event.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Event {
    /// A slug unique among events, e.g. `kim-jong-un-sympathy-message`.
    pub id: Slug,
    /// An EDTF date: `2024-01-06`, `2024-02~`, `"[2024-02-01..2024-02-10]"`
    /// (a set must be quoted). See docs/dates.md.
    pub date: Date,
    /// The source's own words for the date ("a few days after New Year's Day").
    pub date_text: Option<Text>,
    /// A built-in kind or one declared under `kinds:`.
    pub kind: KindId,
    /// One line of 1 to 200 characters.
    #[schemars(schema_with = "leaf::title")]
    pub title: Text,
    pub summary: Option<Text>,
    /// Default `occurred`.
    pub status: Option<Status>,
    /// At least one: a bare actor id (role `participant`) or `{actor, role}`.
    #[schemars(length(min = 1))]
    pub actors: Vec<ActorRef>,
    pub location: Option<Text>,
    /// Slugs.
    pub tags: Option<Vec<Slug>>,
    pub related: Option<Vec<Related>>,
    pub quotes: Option<Vec<Quote>>,
    /// At least one: a source id, `{source, locator}`, or a source written
    /// out inline.
    #[schemars(length(min = 1))]
    pub sources: Vec<SourceRef>,
}

/// An actor taking part in an event.
#[derive(JsonSchema)]
#[schemars(untagged)]
pub enum ActorRef {
    /// An actor id; the role is `participant`.
    Id(Slug),
    /// An actor id with its role.
    WithRole(ActorWithRole),
}

/// An actor id with its role in the event.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ActorWithRole {
    pub actor: Slug,
    /// Default `participant`.
    pub role: Option<Role>,
}

/// How an event relates to another.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Related {
    /// The other event's id.
    pub event: Slug,
    pub relation: Relation,
}

/// Words an actor said or wrote.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Quote {
    /// The speaker's actor id.
    pub by: Slug,
    pub text: Text,
}

/// A source an event cites.
#[derive(JsonSchema)]
#[schemars(untagged)]
pub enum SourceRef {
    /// A source id.
    Id(Slug),
    /// A source id with the place in it.
    Cited(CitedSource),
    /// A source written out in the event.
    Inline(InlineSource),
}

/// A source id and the place in it, e.g. `{source: kcna-2024-01-06, locator: "para. 2"}`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CitedSource {
    pub source: Slug,
    /// Where in the source: a page, a paragraph.
    pub locator: Option<Text>,
}

/// A source written out in the event: the fields of a source without `id`,
/// plus `locator`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct InlineSource {
    pub title: Text,
    pub publisher: Text,
    pub author: Option<Authors>,
    pub url: Option<Url>,
    pub published: Option<Date>,
    pub accessed: Option<Date>,
    pub note: Option<Text>,
    /// Where in the source: a page, a paragraph.
    pub locator: Option<Text>,
}

/// A person, state, government, organization, party, medium or group.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Actor {
    /// A slug unique among actors, e.g. `kishida-fumio`.
    pub id: Slug,
    /// The name the sources use; not empty.
    #[schemars(schema_with = "leaf::name")]
    pub name: Text,
    #[schemars(rename = "type")]
    pub kind: ActorType,
    /// ISO 3166-1 alpha-3, upper case.
    pub country: Option<Country>,
    /// Other names a query should find the actor by.
    pub aliases: Option<Vec<Text>>,
    /// Ids of actors this one belongs to (no cycles).
    pub member_of: Option<Vec<Slug>>,
    /// Titles the actor held.
    pub roles: Option<Vec<ActorRole>>,
    pub note: Option<Text>,
}

/// A title an actor held, such as "Prime Minister of Japan".
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ActorRole {
    pub title: Text,
    pub from: Option<Date>,
    /// Not before `from`.
    pub to: Option<Date>,
}

/// A publication the events are reported in.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Source {
    /// A slug unique among sources.
    pub id: Slug,
    pub title: Text,
    pub publisher: Text,
    pub author: Option<Authors>,
    pub url: Option<Url>,
    pub published: Option<Date>,
    pub accessed: Option<Date>,
    pub note: Option<Text>,
    // Citation fields (format 1.1, issue 17).
    /// The citation key (default: the id): letters, digits and `_`, with
    /// `-`, `:` or `.` inside; unique among sources.
    #[schemars(regex(pattern = r"^[A-Za-z0-9_]([A-Za-z0-9_:.-]*[A-Za-z0-9_])?$"))]
    pub key: Option<String>,
    /// The URL of an archived copy, e.g. a Wayback Machine snapshot.
    pub archived: Option<Url>,
    /// What the source is; picks its CSL and BibTeX type.
    #[schemars(rename = "type")]
    pub source_type: Option<leaf::SourceType>,
}

/// One author, or a list of them.
#[derive(JsonSchema)]
#[schemars(untagged)]
pub enum Authors {
    One(Text),
    Many(Vec<Text>),
}

/// An event kind beyond the built-in ones.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Kind {
    /// A slug that is not a built-in kind.
    pub id: Slug,
    pub label: Option<Text>,
    /// `"#rgb"` or `"#rrggbb"`, quoted (`#` starts a YAML comment). Never
    /// null: `color: #b22222` unquoted reads as `color:` and a comment, which
    /// annals reports.
    #[schemars(default, schema_with = "leaf::colour_not_null")]
    pub color: Option<Colour>,
}

#[cfg(test)]
mod tests;
