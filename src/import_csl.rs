//! CSL-JSON references (a Zotero or Better BibTeX export, or `annals
//! export --format csl-json`) to source drafts for `annals import
//! csl-json`; the store checks and writes them.
//!
//! The mapping is the inverse of `render::csl` (docs/citations.md): `id`
//! becomes the source id when it is a slug, else its citation `key`;
//! `container-title` or `publisher` the publisher; `issued` and `accessed`
//! dates (`raw` EDTF text first, else `date-parts`, `season`, `circa`);
//! `URL`, `archive_location` (when it is a URL), `note`.

use crate::date::Date;
use crate::load::convert::{MAX_ID_CHARS, is_cite_key, is_http_url};
use crate::model::{Record, SourceType};
use crate::names::is_slug;
use crate::render::cite::parts_text;
use crate::render::csl::publisher_is_container;
use crate::store::draft::{ReferenceDraft, SourceDraft};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// One item of the file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1-based position in the file's array.
    pub number: usize,
    /// The item's `id`, as text, when it has one.
    pub id: Option<String>,
    /// What to add, or why it cannot be read.
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Add(Box<ReferenceDraft>),
    /// Already in the record: the reason, for a note.
    Skip(String),
    Invalid(Vec<String>),
}

/// Reads a CSL-JSON file: every item mapped, skipped or refused. The whole
/// file is refused only when it is not JSON or not an array.
pub fn read(text: &str, record: &Record) -> Result<Vec<Entry>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not a JSON file: {e}"))?;
    let Value::Array(items) = value else {
        return Err(format!(
            "a CSL-JSON file is an array of items, found {}",
            json_type(&value)
        ));
    };
    let keys: HashSet<&str> = record
        .sources
        .iter()
        .flat_map(|s| [s.cite_key(), s.id.as_str()])
        .collect();
    let urls: HashSet<&str> = record
        .sources
        .iter()
        .filter_map(|s| s.url.as_deref())
        .collect();
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let id = item.get("id").and_then(id_text);
            let outcome = match item {
                Value::Object(m) => match already(m, id.as_deref(), &keys, &urls) {
                    Some(why) => Outcome::Skip(why),
                    None => match reference(m, id.as_deref()) {
                        Ok(d) => Outcome::Add(Box::new(d)),
                        Err(errs) => Outcome::Invalid(errs),
                    },
                },
                other => Outcome::Invalid(vec![format!(
                    "an item must be an object, found {}",
                    json_type(other)
                )]),
            };
            Entry {
                number: i + 1,
                id,
                outcome,
            }
        })
        .collect())
}

/// Why an item is already in the record: its key or its URL is.
fn already(
    m: &Map<String, Value>,
    id: Option<&str>,
    keys: &HashSet<&str>,
    urls: &HashSet<&str>,
) -> Option<String> {
    if let Some(id) = id.filter(|id| keys.contains(id)) {
        return Some(format!("the record already has a source with key `{id}`"));
    }
    let url = m.get("URL").and_then(Value::as_str)?;
    urls.contains(url)
        .then(|| format!("the record already has a source with URL `{url}`"))
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One item as a draft, or every reason it cannot be one.
fn reference(m: &Map<String, Value>, id: Option<&str>) -> Result<ReferenceDraft, Vec<String>> {
    let mut errs = Vec::new();
    let (source_id, key) = match id {
        None => {
            errs.push("has no `id` (its citation key)".to_string());
            (None, None)
        }
        Some(id) if is_slug(id) && id.chars().count() <= MAX_ID_CHARS => {
            (Some(id.to_string()), None)
        }
        Some(id) if is_cite_key(id) => (None, Some(id.to_string())),
        Some(id) => {
            errs.push(format!(
                "`id` `{id}` is not a citation key pandoc and BibTeX can read \
                 (letters, digits and `_`, with `-`, `:` or `.` inside)"
            ));
            (None, None)
        }
    };
    let source_type = m.get("type").and_then(Value::as_str).and_then(source_type);
    let text = |k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let title = text("title");
    if title.is_none() {
        errs.push("has no `title`".into());
    }
    let (first, second) = if publisher_is_container(source_type) {
        ("container-title", "publisher")
    } else {
        ("publisher", "container-title")
    };
    let publisher = text(first)
        .or_else(|| text(second))
        .or_else(|| text("authority"));
    if publisher.is_none() {
        errs.push("has no `publisher` or `container-title`".into());
    }
    let authors = match m.get("author") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(names)) => names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match name(n) {
                Some(s) => Some(s),
                None => {
                    errs.push(format!("author {} has no name", i + 1));
                    None
                }
            })
            .collect(),
        Some(_) => {
            errs.push("`author` must be an array of names".into());
            Vec::new()
        }
    };
    let mut read_date = |field: &str| match m.get(field) {
        None | Some(Value::Null) => None,
        Some(v) => match date(v) {
            Ok(d) => Some(d),
            Err(e) => {
                errs.push(format!("`{field}`: {e}"));
                None
            }
        },
    };
    let published = read_date("issued");
    let accessed = read_date("accessed");
    let url = text("URL");
    let archived = text("archive_location").filter(|u| is_http_url(u));
    let note = text("note");
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(ReferenceDraft {
        source: SourceDraft {
            id: source_id,
            title: title.unwrap_or_default(),
            publisher: publisher.unwrap_or_default(),
            authors,
            url,
            published,
            accessed,
            note,
        },
        key,
        archived,
        source_type: source_type.map(|t| t.as_str().to_string()),
    })
}

/// The source type of a CSL type; types the format has no word for are
/// left without one.
fn source_type(csl: &str) -> Option<SourceType> {
    Some(match csl {
        "article-newspaper" => SourceType::ArticleNewspaper,
        "report" => SourceType::Report,
        "webpage" | "post-weblog" | "post" => SourceType::Webpage,
        "broadcast" => SourceType::Broadcast,
        "interview" => SourceType::Interview,
        "legislation" | "legal_case" | "bill" | "regulation" | "treaty" => SourceType::Legal,
        "personal_communication" => SourceType::PersonalCommunication,
        _ => return None,
    })
}

/// A CSL name as the record writes it: `Family, Given`, or the literal.
fn name(n: &Value) -> Option<String> {
    let part = |k: &str| {
        n.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    if let Some(l) = part("literal") {
        return Some(l.to_string());
    }
    let family = [part("non-dropping-particle"), part("family")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let given = [part("given"), part("dropping-particle")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    match (family.is_empty(), given.is_empty()) {
        (true, true) => None,
        (false, true) => Some(family),
        (true, false) => Some(given),
        (false, false) => Some(format!("{family}, {given}")),
    }
}

/// A CSL date object as an EDTF date the record can hold, as text.
fn date(v: &Value) -> Result<String, String> {
    let Value::Object(m) = v else {
        return Err(format!("a date must be an object, found {}", json_type(v)));
    };
    // The EDTF text annals writes when parts cannot say it all; Zotero
    // writes other `raw` texts, which are tried as EDTF and else left to
    // the parts.
    let raw = m.get("raw").and_then(Value::as_str).map(str::trim);
    if let Some(r) = raw {
        if Date::parse(r).is_ok() {
            return Ok(r.to_string());
        }
    }
    if let Some(parts) = m.get("date-parts") {
        let points = parts
            .as_array()
            .filter(|p| (1..=2).contains(&p.len()))
            .ok_or("`date-parts` must hold one or two dates")?;
        let mut texts = Vec::new();
        for p in points {
            texts.push(point(p)?);
        }
        let season = match m.get("season") {
            None | Some(Value::Null) => None,
            Some(s) => Some(
                number(s)
                    .filter(|n| (1..=4).contains(n))
                    .ok_or("`season` must be 1, 2, 3 or 4")?,
            ),
        };
        let mut text = texts.join("/");
        if let Some(s) = season {
            if texts.len() != 1 || text.len() != 4 {
                return Err("a `season` needs a date of a year alone".into());
            }
            text = format!("{text}-{}", 20 + s);
        }
        if m.get("circa") == Some(&Value::Bool(true)) {
            text = if texts.len() == 1 {
                format!("{text}~")
            } else {
                texts
                    .iter()
                    .map(|t| format!("{t}~"))
                    .collect::<Vec<_>>()
                    .join("/")
            };
        }
        return Date::parse(&text)
            .map(|_| text.clone())
            .map_err(|e| format!("cannot read `{text}` as a date: {e}"));
    }
    if let Some(l) = m.get("literal").and_then(Value::as_str).or(raw) {
        return match Date::parse(l.trim()) {
            Ok(_) => Ok(l.trim().to_string()),
            Err(_) => Err(format!(
                "cannot read `{}` as a date (expected EDTF, e.g. `2024-04-04`)",
                l.trim()
            )),
        };
    }
    Err("a date needs `date-parts`, `raw` or `literal`".into())
}

/// One `date-parts` point: `[year]`, `[year, month]`, `[year, month, day]`;
/// numbers or numeric strings, as Zotero writes either.
fn point(p: &Value) -> Result<String, String> {
    let parts = p
        .as_array()
        .filter(|a| (1..=3).contains(&a.len()))
        .ok_or("each date in `date-parts` must be [year], [year, month] or [year, month, day]")?;
    let nums: Vec<i32> = parts
        .iter()
        .map(|x| number(x).ok_or_else(|| format!("`{x}` in `date-parts` is not a number")))
        .collect::<Result<_, _>>()?;
    Ok(parts_text(&nums))
}

fn number(v: &Value) -> Option<i32> {
    match v {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_read_from_parts_raw_and_literal() {
        assert_eq!(
            date(&json!({"date-parts": [[2024, 4, 4]]})).unwrap(),
            "2024-04-04"
        );
        assert_eq!(
            date(&json!({"date-parts": [["2024", "2"]]})).unwrap(),
            "2024-02"
        );
        assert_eq!(
            date(&json!({"date-parts": [[2024, 4, 8], [2024, 4, 11]]})).unwrap(),
            "2024-04-08/2024-04-11"
        );
        assert_eq!(
            date(&json!({"date-parts": [[2024]], "season": 1})).unwrap(),
            "2024-21"
        );
        assert_eq!(
            date(&json!({"date-parts": [[2024, 2]], "circa": true})).unwrap(),
            "2024-02~"
        );
        assert_eq!(
            date(&json!({"date-parts": [[2024, 3, 25]], "raw": "[2024-03-25..2024-03-31]"}))
                .unwrap(),
            "[2024-03-25..2024-03-31]"
        );
        assert_eq!(date(&json!({"literal": "2024-05"})).unwrap(), "2024-05");
        assert!(date(&json!({"date-parts": [[2024, 13]]})).is_err());
        assert!(date(&json!({"literal": "spring, I think"})).is_err());
        assert!(date(&json!("2024")).is_err());
    }

    #[test]
    fn names_keep_family_and_given_apart() {
        assert_eq!(
            name(&json!({"family": "Matsuo", "given": "Terrence"})).unwrap(),
            "Matsuo, Terrence"
        );
        assert_eq!(name(&json!({"literal": "KCNA"})).unwrap(), "KCNA");
        assert_eq!(
            name(
                &json!({"family": "Beethoven", "non-dropping-particle": "van", "given": "Ludwig"})
            )
            .unwrap(),
            "van Beethoven, Ludwig"
        );
        assert!(name(&json!({})).is_none());
    }
}
