//! The JSON Schema of a record file, for editors (`annals schema`).
//!
//! The model types are not the file's shape (a file holds bare ids or
//! mappings where the model holds one type, YAML numbers where the model
//! holds text), so the schema is built from the format's own declaration:
//! each mapping's definition (its fields, which are required, their doc
//! lines) comes from its table in `crate::fields`, and each kind of value
//! ([`Val`]) has its schema in `leaf`, built from the constants the loader
//! checks against (statuses, roles, relations, actor types, built-in kinds,
//! country codes). The tests hold what is left over (patterns, keywords)
//! to the loader's own checks.
//!
//! The schema checks the shape of one file. What needs the whole record
//! (references, duplicate ids, the date rules) and the EDTF grammar itself
//! are left to `annals check`.

mod leaf;

use crate::fields::{self, Field, Table, Ty, Val};
use leaf::{ActorType, Colour, Country, Date, KindId, Relation, Role, Slug, Status, Text, Url};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

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

/// Gives each mapping of the format a schema type whose definition is
/// built from its table.
macro_rules! mapping {
    ($($name:ident => $table:path),* $(,)?) => {
        $(
            pub struct $name;

            impl JsonSchema for $name {
                fn schema_name() -> Cow<'static, str> {
                    Cow::Borrowed($table.name)
                }

                fn json_schema(g: &mut SchemaGenerator) -> Schema {
                    object(g, &$table)
                }
            }
        )*
    };
}

mapping! {
    Event => fields::event::TABLE,
    Actor => fields::actor::TABLE,
    Source => fields::source::TABLE,
    Kind => fields::kind::TABLE,
    InlineSource => fields::inline_source::TABLE,
    CitedSource => fields::source_ref::TABLE,
    ActorWithRole => fields::actor_ref::TABLE,
    Related => fields::related::TABLE,
    Quote => fields::quote::TABLE,
    ActorRole => fields::role::TABLE,
    Settings => fields::settings::TABLE,
}

/// A record file of annals: the top-level table, titled, and an empty
/// file allowed.
pub struct RecordFile;

impl JsonSchema for RecordFile {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed(fields::top::TABLE.name)
    }

    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let body = object(g, &fields::top::TABLE);
        let mut s = json_schema!({ "title": "annals record file" });
        for (k, v) in body.as_object().expect("an object schema") {
            s.insert(k.clone(), v.clone());
        }
        allow_empty_document(&mut s);
        s
    }
}

/// A mapping's definition: its fields (no others), the required ones
/// listed in table order.
fn object(g: &mut SchemaGenerator, table: &Table) -> Schema {
    let mut properties = serde_json::Map::new();
    let mut sorted: Vec<&Field> = table.fields.iter().collect();
    sorted.sort_by_key(|f| f.name);
    for f in sorted {
        properties.insert(f.name.to_string(), property(g, f).to_value());
    }
    let required: Vec<&str> = table
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut s = json_schema!({
        "description": table.doc,
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        s.insert("required".into(), required.into());
    }
    s
}

/// One field's schema: its value's, listed and made nullable as the table
/// says, with the field's doc line first.
fn property(g: &mut SchemaGenerator, f: &Field) -> Schema {
    let (val, list) = match f.ty {
        Ty::One(v) => (v, false),
        Ty::List(v) => (v, true),
    };
    let body = match (val, list, f.required) {
        // Values whose schema is written out in place rather than named.
        (Val::Title, false, true) => leaf::title(g),
        (Val::Name, false, true) => leaf::name(g),
        (Val::Colour, false, false) => leaf::colour_not_null(g),
        (Val::CiteKey, false, false) => leaf::cite_key(g),
        _ => shaped(g, val, list, f.required),
    };
    if f.doc.is_empty() {
        return body;
    }
    // The field's doc line stands first and overrides the value's own.
    let mut s = json_schema!({ "description": f.doc });
    for (k, v) in body.as_object().expect("an object schema") {
        if k != "description" {
            s.insert(k.clone(), v.clone());
        }
    }
    s
}

/// The schema of `val`: one or a list, required or nullable.
fn shaped(g: &mut SchemaGenerator, val: Val, list: bool, required: bool) -> Schema {
    fn of<T: JsonSchema>(g: &mut SchemaGenerator, list: bool, required: bool) -> Schema {
        match (list, required) {
            (false, true) => g.subschema_for::<T>(),
            (false, false) => g.subschema_for::<Option<T>>(),
            (true, true) => {
                let mut s = g.subschema_for::<Vec<T>>();
                s.insert("minItems".into(), 1.into());
                s
            }
            (true, false) => g.subschema_for::<Option<Vec<T>>>(),
        }
    }
    match val {
        Val::Slug => of::<Slug>(g, list, required),
        Val::Text | Val::Title | Val::Name => of::<Text>(g, list, required),
        Val::Date => of::<Date>(g, list, required),
        Val::KindId => of::<KindId>(g, list, required),
        Val::Status => of::<Status>(g, list, required),
        Val::Role => of::<Role>(g, list, required),
        Val::Relation => of::<Relation>(g, list, required),
        Val::ActorType => of::<ActorType>(g, list, required),
        Val::SourceType => of::<leaf::SourceType>(g, list, required),
        Val::Country => of::<Country>(g, list, required),
        Val::Url => of::<Url>(g, list, required),
        Val::Colour => of::<Colour>(g, list, required),
        Val::Bool => of::<bool>(g, list, required),
        Val::CiteKey => of::<String>(g, list, required),
        Val::Authors => of::<Authors>(g, list, required),
        Val::ActorRef => of::<ActorRef>(g, list, required),
        Val::SourceRef => of::<SourceRef>(g, list, required),
        Val::Related => of::<Related>(g, list, required),
        Val::Quote => of::<Quote>(g, list, required),
        Val::ActorRole => of::<ActorRole>(g, list, required),
        Val::Event => of::<Event>(g, list, required),
        Val::Actor => of::<Actor>(g, list, required),
        Val::Source => of::<Source>(g, list, required),
        Val::Kind => of::<Kind>(g, list, required),
        Val::Settings => of::<Settings>(g, list, required),
    }
}

/// An empty file (or one with only comments) is a null document.
fn allow_empty_document(schema: &mut Schema) {
    schema.insert("type".into(), serde_json::json!(["object", "null"]));
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

/// One author, or a list of them.
#[derive(JsonSchema)]
#[schemars(untagged)]
pub enum Authors {
    One(Text),
    Many(Vec<Text>),
}

#[cfg(test)]
mod tests;
