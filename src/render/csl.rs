//! CSL-JSON: sources as Citation Style Language items, the bibliography
//! format of pandoc (`--citeproc`), Zotero and citeproc-js.
//!
//! One item per source, its `id` the source's citation key. Fields map to
//! the standard variables (docs/citations.md): `title`, `author`,
//! `container-title` (newspapers and web sites) or `publisher`, `issued`
//! and `accessed` as `date-parts`, `URL`, `archive_location` (the archived
//! copy), `note`. A date whose parts cannot say everything its EDTF text
//! says (`2024-02~`, a one-of set) keeps the text as `raw`, so
//! `annals import csl-json` reads back the very same date.

use super::cite::{DateParts, date_parts};
use crate::date::Date;
use crate::model::{Source, SourceType};
use serde_json::{Map, Value, json};

/// The CSL type of a source type; a source without one is a `document`.
pub fn csl_type(t: Option<SourceType>) -> &'static str {
    match t {
        None => "document",
        Some(SourceType::Legal) => "legislation",
        Some(t) => t.as_str(),
    }
}

/// Whether a source of this type names its publication as CSL's
/// `container-title` (the newspaper, the web site) rather than `publisher`.
pub fn publisher_is_container(t: Option<SourceType>) -> bool {
    matches!(t, Some(SourceType::ArticleNewspaper | SourceType::Webpage))
}

/// The items of `sources` as a pretty-printed CSL-JSON array.
pub fn csl_json(sources: &[&Source]) -> String {
    let items: Vec<Value> = sources.iter().map(|s| item(s)).collect();
    let mut out = serde_json::to_string_pretty(&items).expect("JSON values serialize");
    out.push('\n');
    out
}

fn item(s: &Source) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(s.cite_key()));
    m.insert("type".into(), json!(csl_type(s.source_type)));
    m.insert("title".into(), json!(s.title.trim()));
    if !s.authors.is_empty() {
        let names: Vec<Value> = s.authors.iter().map(|a| name(a)).collect();
        m.insert("author".into(), Value::Array(names));
    }
    let publisher_key = if publisher_is_container(s.source_type) {
        "container-title"
    } else {
        "publisher"
    };
    m.insert(publisher_key.into(), json!(s.publisher.trim()));
    if let Some(d) = &s.published {
        m.insert("issued".into(), date(d));
    }
    if let Some(d) = &s.accessed {
        m.insert("accessed".into(), date(d));
    }
    if let Some(u) = &s.url {
        m.insert("URL".into(), json!(u));
    }
    if let Some(u) = &s.archived {
        m.insert("archive_location".into(), json!(u));
    }
    if let Some(n) = &s.note {
        m.insert("note".into(), json!(n.trim()));
    }
    Value::Object(m)
}

/// A name written `Family, Given` splits into CSL's `family` and `given`;
/// any other name (an agency, a name order we cannot know) is `literal`.
fn name(a: &str) -> Value {
    match a.split_once(',') {
        Some((family, given)) if !family.trim().is_empty() && !given.trim().is_empty() => {
            json!({"family": family.trim(), "given": given.trim()})
        }
        _ => json!({"literal": a.trim()}),
    }
}

/// A CSL date object: `date-parts` (one point, or two for a range),
/// `season`, `circa`, and the EDTF text as `raw` when the parts lose
/// something.
fn date(d: &Date) -> Value {
    let mut m = Map::new();
    if let Some(DateParts {
        from,
        to,
        season,
        circa,
        exact,
    }) = date_parts(d)
    {
        let mut points = vec![json!(from)];
        if let Some(to) = to {
            points.push(json!(to));
        }
        m.insert("date-parts".into(), Value::Array(points));
        if let Some(s) = season {
            m.insert("season".into(), json!(s));
        }
        if circa {
            m.insert("circa".into(), json!(true));
        }
        if !exact {
            m.insert("raw".into(), json!(d.text()));
        }
    } else {
        m.insert("raw".into(), json!(d.text()));
    }
    Value::Object(m)
}
