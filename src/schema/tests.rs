//! The schema cannot drift from the loader: the same field names (both
//! come from `crate::fields`), the same keywords, and patterns that agree
//! with the loader's own checks.

use super::leaf::{COLOUR_PATTERN, DATE_PATTERN, SLUG_PATTERN, URL_PATTERN};
use super::*;
use serde_json::Value;
use std::collections::BTreeSet;

fn root() -> Value {
    schema().to_value()
}

/// The property names of a definition (or of the root, for `None`).
fn properties(root: &Value, def: Option<&str>) -> BTreeSet<String> {
    let obj = match def {
        None => root,
        Some(d) => &root["$defs"][d],
    };
    obj["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{def:?} has properties"))
        .keys()
        .cloned()
        .collect()
}

fn set(fields: &[&str]) -> BTreeSet<String> {
    fields.iter().map(|s| s.to_string()).collect()
}

/// Each mapping of the format, with the schema definition (`None`: the
/// root) that must name exactly its table's fields.
fn mappings() -> Vec<(Option<&'static str>, Vec<&'static str>)> {
    crate::fields::all()
        .into_iter()
        .map(|t| {
            let def = (t.name != crate::fields::top::TABLE.name).then_some(t.name);
            (def, t.names().collect())
        })
        .collect()
}

#[test]
fn every_field_the_loader_accepts_is_in_the_schema_and_no_other() {
    let root = root();
    for (def, fields) in mappings() {
        assert_eq!(
            properties(&root, def),
            set(&fields),
            "{def:?}: the schema's fields differ from load::convert's"
        );
        let obj = def.map_or(&root, |d| &root["$defs"][d]);
        assert_eq!(
            obj["additionalProperties"],
            Value::Bool(false),
            "{def:?} refuses unknown fields"
        );
    }
}

#[test]
fn every_mapping_in_the_schema_is_checked_against_the_loader() {
    let root = root();
    let with_properties: BTreeSet<String> = root["$defs"]
        .as_object()
        .expect("$defs")
        .iter()
        .filter(|(_, v)| v.get("properties").is_some())
        .map(|(k, _)| k.clone())
        .collect();
    let checked: BTreeSet<String> = mappings()
        .into_iter()
        .filter_map(|(d, _)| d.map(str::to_string))
        .collect();
    assert_eq!(with_properties, checked);
}

#[test]
fn required_fields_are_those_the_format_requires() {
    let root = root();
    let required = |def: &str| -> BTreeSet<String> {
        root["$defs"][def]["required"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        required("Event"),
        set(&["id", "date", "kind", "title", "actors", "sources"])
    );
    assert_eq!(required("Actor"), set(&["id", "name", "type"]));
    assert_eq!(required("Source"), set(&["id", "title", "publisher"]));
    assert_eq!(required("InlineSource"), set(&["title", "publisher"]));
    assert_eq!(required("CitedSource"), set(&["source"]));
    assert_eq!(required("Kind"), set(&["id"]));
    assert_eq!(required("ActorWithRole"), set(&["actor"]));
    assert_eq!(required("Related"), set(&["event", "relation"]));
    assert_eq!(required("Quote"), set(&["by", "text"]));
    assert_eq!(required("ActorRole"), set(&["title"]));
}

#[test]
fn keywords_are_the_models() {
    let root = root();
    let names = |def: &str| -> Vec<String> {
        root["$defs"][def]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{def} is an enum"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("status"), crate::model::Status::NAMES);
    assert_eq!(names("role"), crate::model::Role::NAMES);
    assert_eq!(names("relation"), crate::model::Relation::NAMES);
    assert_eq!(names("actor-type"), crate::model::ActorType::NAMES);
    assert_eq!(names("country").len(), 249);
    assert!(
        names("country")
            .iter()
            .all(|c| crate::names::is_country_code(c))
    );
}

/// A tiny matcher for the character-class patterns used here, so the
/// test needs no regex crate: checks each char is in the class.
fn only_chars(s: &str, class: &str) -> bool {
    s.chars().all(|c| class.contains(c) || c.is_ascii_digit())
}

#[test]
fn patterns_agree_with_the_loaders_checks() {
    assert_eq!(SLUG_PATTERN, "^[a-z0-9]+(-[a-z0-9]+)*$");
    for (s, ok) in [
        ("kishida-fumio", true),
        ("a", true),
        ("Kishida", false),
        ("a--b", false),
    ] {
        assert_eq!(crate::names::is_slug(s), ok, "{s}");
    }
    assert!(COLOUR_PATTERN.contains("{3}") && COLOUR_PATTERN.contains("{6}"));
    assert!(URL_PATTERN.starts_with("^https?://"));
    // Every date annals accepts is written with the characters the
    // pattern allows: the LoC examples and the sample record's forms.
    assert_eq!(DATE_PATTERN, r"^[0-9XS?~%./,\[\]{}+:TZ-]+$");
    let corpus: Value =
        serde_json::from_str(include_str!("../../tests/data/edtf/loc-edtf-examples.json"))
            .expect("the LoC corpus parses");
    let mut accepted = 0;
    for list in ["examples", "invalid"] {
        for ex in corpus[list].as_array().expect("a list") {
            let text = ex["edtf"].as_str().expect("edtf text");
            if crate::date::Date::parse(text).is_ok() {
                accepted += 1;
                assert!(
                    only_chars(text, "XS?~%./,[]{}+:TZ-"),
                    "`{text}` is accepted by annals but not by the schema's date pattern"
                );
            }
        }
    }
    assert!(accepted > 50, "{accepted}");
}

#[test]
fn the_schema_is_draft_2020_12_and_stable() {
    let root = root();
    assert_eq!(
        root["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(root["type"], serde_json::json!(["object", "null"]));
    assert_eq!(json(), json());
}
