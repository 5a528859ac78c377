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

const FIELD_TABLE_HEAD: &str = "| field | rule | code |\n|---|---|---|\n";

/// The byte range of the first `| field | rule | code |` table of the
/// section of `doc` under `heading`, rows only.
fn field_table_rows(doc: &str, heading: &str) -> std::ops::Range<usize> {
    let sec = section(doc, heading);
    let sec_at = sec.as_ptr() as usize - doc.as_ptr() as usize;
    let head = sec
        .find(FIELD_TABLE_HEAD)
        .expect("the section has a field table");
    let start = sec_at + head + FIELD_TABLE_HEAD.len();
    let len: usize = doc[start..]
        .split_inclusive('\n')
        .take_while(|l| l.starts_with('|'))
        .map(str::len)
        .sum();
    start..start + len
}

/// The rows a table gives, each field's code cell kept from `old` (the
/// codes are the diagnostics', not the table's).
fn render_rows(table: &Table, old: &str) -> String {
    let code = |name: &str| {
        old.lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .and_then(|l| l.trim_end_matches('|').rsplit(" | ").next())
            .map_or(String::new(), |c| c.trim().to_string())
    };
    table
        .fields
        .iter()
        .map(|f| {
            let c = code(f.name);
            let c = if c.is_empty() {
                String::from(" ")
            } else {
                format!(" {c} ")
            };
            format!("| `{}` | {} |{c}|\n", f.name, f.rule)
        })
        .collect()
}

/// The keys of the first YAML example's first item, with whether the
/// comment beside each says `required`.
fn example_keys(section: &str) -> Vec<(String, bool)> {
    let start = section
        .find("```yaml\n")
        .expect("the section has an example");
    let block = &section[start + 8..];
    let block = &block[..block.find("```").expect("the example ends")];
    let mut keys = Vec::new();
    for line in block.lines() {
        // The item's own keys: `  - key:` for the first, `    key:` after.
        let body = match line
            .strip_prefix("  - ")
            .or_else(|| line.strip_prefix("    "))
        {
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
        keys.push((
            key.to_string(),
            comment.trim_start().starts_with("required"),
        ));
    }
    keys
}

fn names_required(t: &Table) -> Vec<(String, bool)> {
    t.fields
        .iter()
        .map(|f| (f.name.to_string(), f.required))
        .collect()
}

/// docs/format.md's field tables are rendered from the tables (name and
/// rule; the code column is kept). `ANNALS_BLESS=1 cargo test --lib
/// fields::` rewrites them after a table changes.
#[test]
fn format_md_field_tables_are_the_tables() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md");
    let mut doc = FORMAT.to_string();
    for (heading, table) in [("Events", &event::TABLE), ("Actors", &actor::TABLE)] {
        let rows = field_table_rows(&doc, heading);
        let want = render_rows(table, &doc[rows.clone()]);
        doc.replace_range(rows, &want);
    }
    if doc != FORMAT && std::env::var_os("ANNALS_BLESS").is_some() {
        std::fs::write(path, &doc).expect("docs/format.md is writable");
        return;
    }
    assert!(
        doc == FORMAT,
        "docs/format.md's field tables differ from src/fields; run `ANNALS_BLESS=1 cargo test --lib fields::` to rewrite them"
    );
}

#[test]
fn format_md_examples_follow_the_tables() {
    for (heading, table) in [
        ("Events", &event::TABLE),
        ("Actors", &actor::TABLE),
        ("Sources", &source::TABLE),
    ] {
        let shown = example_keys(section(FORMAT, heading));
        let fields = names_required(table);
        // In the table's order, each field once, `# required` where the
        // table says so; every required field shown.
        let mut at = 0;
        for key in &shown {
            let i = fields[at..]
                .iter()
                .position(|f| f.0 == key.0)
                .unwrap_or_else(|| {
                    panic!(
                        "docs/format.md, {heading}: `{}` is not a field or out of order",
                        key.0
                    )
                });
            assert_eq!(
                &fields[at + i],
                key,
                "docs/format.md, {heading}: `# required` is wrong"
            );
            at += i + 1;
        }
        for f in fields.iter().filter(|f| f.1) {
            assert!(
                shown.contains(f),
                "docs/format.md, {heading}: required `{}` not shown",
                f.0
            );
        }
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

const OUTPUT: &str = include_str!("../../docs/output.md");

#[test]
fn output_md_row_schema_is_the_row_table() {
    let start = OUTPUT
        .find("| field | JSON type | meaning | null / empty when |")
        .expect("docs/output.md has the event schema");
    let documented: Vec<Vec<String>> = OUTPUT[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let declared: Vec<Vec<String>> = row::ROW
        .iter()
        .map(|c| {
            vec![
                format!("`{}`", c.name),
                c.json.to_string(),
                c.meaning.to_string(),
                c.empty_when.to_string(),
            ]
        })
        .collect();
    assert_eq!(
        documented, declared,
        "docs/output.md differs from src/fields/row.rs"
    );
}

#[test]
fn every_event_column_is_in_the_row_and_every_row_key_is_a_column() {
    let names: Vec<&str> = row::ROW.iter().map(|c| c.name).collect();
    for f in event::TABLE.fields {
        if let Some(c) = f.column {
            assert!(
                names.contains(&c),
                "event field `{}`: no column `{c}`",
                f.name
            );
        }
    }
    // The keys a row serializes to, in order, are the row table's.
    let r = crate::render::records::Row {
        id: "a",
        date: "2024",
        start: None,
        end: None,
        label: String::new(),
        date_text: None,
        precision: "year",
        shape: "point",
        qualifiers: &[],
        kind: "statement",
        title: "t",
        summary: None,
        status: "occurred",
        actors: Vec::new(),
        sources: Vec::new(),
        tags: &[],
        location: None,
        related: Vec::new(),
        quotes: Vec::new(),
        file: String::new(),
        line: None,
    };
    let v = serde_json::to_value(&r).expect("a row serializes");
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    keys.sort_unstable();
    assert_eq!(keys, sorted);
    // And in the table's order (the text keeps the struct's order).
    let text = serde_json::to_string(&r).expect("a row serializes");
    let at: Vec<usize> = names
        .iter()
        .map(|n| text.find(&format!("\"{n}\":")).expect("the key is written"))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
    let csv = row::csv_columns();
    assert_eq!(csv.len(), names.len() + row::CSV_EXTRA.len());
    assert_eq!(
        csv[csv.iter().position(|c| *c == "actors").unwrap() + 1],
        "actor_ids"
    );
}
