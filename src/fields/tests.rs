//! The places that spell out fields by hand are held to the tables:
//! docs/format.md (its field tables and its YAML examples) and the row
//! schema (src/render/records.rs, docs/output.md).

use super::*;

const FORMAT: &str = include_str!("../../docs/format.md");

/// The text of a section of docs/format.md, from its `## ` heading to the
/// next one.
fn section<'d>(doc: &'d str, heading: &str) -> &'d str {
    let start = doc
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("docs/format.md has a section `{heading}`"));
    let rest = &doc[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 4);
    &rest[..end]
}

/// The rows of the first `| field | rule | code |` table of a section, as
/// (field, rule).
fn field_table(section: &str) -> Vec<(String, String)> {
    let start = section
        .find("| field | rule | code |")
        .expect("the section has a field table");
    section[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            (cells[0].trim_matches('`').to_string(), cells[1].to_string())
        })
        .collect()
}

/// The keys of the first YAML example's first item, with whether the
/// comment beside each says `required`.
fn example_keys(section: &str) -> Vec<(String, bool)> {
    let start = section.find("```yaml\n").expect("the section has an example");
    let block = &section[start + 8..];
    let block = &block[..block.find("```").expect("the example ends")];
    let mut keys = Vec::new();
    for line in block.lines() {
        // The item's own keys: `  - key:` for the first, `    key:` after.
        let body = match line.strip_prefix("  - ").or_else(|| line.strip_prefix("    ")) {
            Some(b) if !b.starts_with(' ') && !b.starts_with('-') => b,
            _ => continue,
        };
        if line.starts_with("  - ") && !keys.is_empty() {
            break;
        }
        let Some((key, rest)) = body.split_once(':') else {
            continue;
        };
        let comment = rest.split_once(" # ").map_or("", |(_, c)| c);
        keys.push((key.to_string(), comment.trim_start().starts_with("required")));
    }
    keys
}

fn names_required(t: &Table) -> Vec<(String, bool)> {
    t.fields
        .iter()
        .map(|f| (f.name.to_string(), f.required))
        .collect()
}

#[test]
fn format_md_field_tables_are_the_tables() {
    for (heading, table) in [("Events", &event::TABLE), ("Actors", &actor::TABLE)] {
        let rows: Vec<(String, String)> = table
            .fields
            .iter()
            .map(|f| (f.name.to_string(), f.rule.to_string()))
            .collect();
        assert_eq!(
            field_table(section(FORMAT, heading)),
            rows,
            "docs/format.md, {heading}: the field table differs from src/fields (name, rule)"
        );
    }
}

#[test]
fn format_md_examples_show_every_field_and_which_are_required() {
    for (heading, table) in [
        ("Events", &event::TABLE),
        ("Actors", &actor::TABLE),
        ("Sources", &source::TABLE),
    ] {
        assert_eq!(
            example_keys(section(FORMAT, heading)),
            names_required(table),
            "docs/format.md, {heading}: the example's keys and `# required` comments differ from src/fields"
        );
    }
}

#[test]
fn every_field_of_an_item_table_has_a_rule_or_none_does() {
    // A rule is the docs/format.md table's text; an item with a table
    // gives one for each field, so the table test above sees them all.
    for t in all() {
        let with = t.fields.iter().filter(|f| !f.rule.is_empty()).count();
        assert!(
            with == 0 || with == t.fields.len(),
            "{}: some fields have a rule and some not",
            t.name
        );
    }
}

#[test]
fn keys_and_table_rows_agree() {
    use crate::fields::Key as _;
    assert_eq!(event::Key::Date.name(), "date");
    assert_eq!(event::Key::Sources.name(), "sources");
    assert_eq!(source::Key::Type.name(), "type");
    assert_eq!(actor::Key::Note.name(), "note");
    for t in all() {
        let mut names: Vec<&str> = t.names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), t.fields.len(), "{}: a field twice", t.name);
    }
}
