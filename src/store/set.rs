//! The set engine: an event's, actor's or source's id and the changes to
//! its fields → the edits to its file. Pure, like [`super::rename`].
//!
//! Only the changed fields' text changes: a scalar is replaced where it
//! stands (in its quoting when it can be), a missing field is added after
//! the item's last line (or before a flow item's `}`), a list element is
//! appended or removed in the list's own style. Comments and the rest of
//! the item are kept.

use super::change::FileEdits;
use super::edit::{Edit, EditError};
use super::emit::Value;
use super::item_edit;
use super::refs::Place;
use super::rename::{RenameError, refuse_constructs, unknown};
use crate::model::{ListKind, Record};
use crate::yaml::{self, Cursor, Node};

/// A list element to add or remove: its id, and for an addition the
/// other fields of its mapping form (`role`, `locator`, `relation`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub id: String,
    /// `(key, value)`: when empty the element is written as the bare id.
    pub with: Vec<(&'static str, String)>,
}

/// The changes to one event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetEvent {
    pub date: Option<String>,
    pub date_text: Option<String>,
    pub title: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub summary: Option<String>,
    pub location: Option<String>,
    pub add_actors: Vec<Element>,
    pub remove_actors: Vec<String>,
    pub add_sources: Vec<Element>,
    pub remove_sources: Vec<String>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    pub add_related: Vec<Element>,
    pub remove_related: Vec<String>,
}

impl SetEvent {
    /// The fields this changes, in the order the format lists them.
    pub fn fields(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let scalars = [
            ("date", &self.date),
            ("date_text", &self.date_text),
            ("kind", &self.kind),
            ("title", &self.title),
            ("summary", &self.summary),
            ("status", &self.status),
            ("location", &self.location),
        ];
        for (name, v) in scalars {
            if v.is_some() {
                out.push(name);
            }
        }
        let lists = [
            (
                "actors",
                !self.add_actors.is_empty() || !self.remove_actors.is_empty(),
            ),
            (
                "tags",
                !self.add_tags.is_empty() || !self.remove_tags.is_empty(),
            ),
            (
                "related",
                !self.add_related.is_empty() || !self.remove_related.is_empty(),
            ),
            (
                "sources",
                !self.add_sources.is_empty() || !self.remove_sources.is_empty(),
            ),
        ];
        for (name, changed) in lists {
            if changed {
                out.push(name);
            }
        }
        out
    }
}

/// Which sub-key of a list's mapping elements holds the id.
fn id_key(field: &str) -> Option<&'static str> {
    match field {
        "actors" => Some("actor"),
        "sources" => Some("source"),
        "related" => Some("event"),
        _ => None,
    }
}

fn element_id(el: &Cursor<'_, '_>, field: &str) -> Option<String> {
    let c = match el.node() {
        Node::Map(_) => el.get(id_key(field)?)?,
        _ => *el,
    };
    c.node().scalar_text().map(|s| s.into_owned())
}

fn element_value(field: &str, e: &Element) -> Value {
    if e.with.is_empty() {
        return Value::str(&e.id);
    }
    let mut entries = vec![(id_key(field).unwrap_or("id"), Value::str(&e.id))];
    entries.extend(e.with.iter().map(|(k, v)| (*k, Value::str(v))));
    Value::Map(entries)
}

/// The changes to one actor (the `annals set` flags for an actor).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetActor {
    pub name: Option<String>,
    /// `type:`.
    pub actor_type: Option<String>,
    pub country: Option<String>,
    pub note: Option<String>,
    pub add_aliases: Vec<String>,
    pub remove_aliases: Vec<String>,
    pub add_member_of: Vec<String>,
    pub remove_member_of: Vec<String>,
}

impl SetActor {
    fn scalars(&self) -> Vec<(&'static str, Option<Value>)> {
        vec![
            ("name", self.name.clone().map(Value::Str)),
            ("type", self.actor_type.clone().map(Value::Str)),
            ("country", self.country.clone().map(Value::Str)),
            ("note", self.note.clone().map(Value::Str)),
        ]
    }

    fn lists(&self) -> Vec<(&'static str, Vec<Element>, &[String])> {
        vec![
            ("aliases", bare(&self.add_aliases), &self.remove_aliases),
            (
                "member_of",
                bare(&self.add_member_of),
                &self.remove_member_of,
            ),
        ]
    }

    /// The fields this changes, in the order the format lists them.
    pub fn fields(&self) -> Vec<&'static str> {
        names(&self.scalars(), &self.lists())
    }
}

/// The changes to one source (the `annals set` flags for a source).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetSource {
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub accessed: Option<String>,
    pub archived: Option<String>,
    pub key: Option<String>,
    /// `type:`.
    pub source_type: Option<String>,
    pub note: Option<String>,
    pub add_authors: Vec<String>,
    pub remove_authors: Vec<String>,
}

impl SetSource {
    fn scalars(&self) -> Vec<(&'static str, Option<Value>)> {
        vec![
            ("title", self.title.clone().map(Value::Str)),
            ("publisher", self.publisher.clone().map(Value::Str)),
            ("url", self.url.clone().map(Value::Str)),
            ("published", self.published.clone().map(Value::Date)),
            ("accessed", self.accessed.clone().map(Value::Date)),
            ("archived", self.archived.clone().map(Value::Str)),
            ("key", self.key.clone().map(Value::Str)),
            ("type", self.source_type.clone().map(Value::Str)),
            ("note", self.note.clone().map(Value::Str)),
        ]
    }

    fn lists(&self) -> Vec<(&'static str, Vec<Element>, &[String])> {
        vec![("author", bare(&self.add_authors), &self.remove_authors)]
    }

    /// The fields this changes, in the order the format lists them.
    pub fn fields(&self) -> Vec<&'static str> {
        names(&self.scalars(), &self.lists())
    }
}

/// Plain list elements (tags, aliases, authors, `member_of` ids).
fn bare(v: &[String]) -> Vec<Element> {
    v.iter()
        .map(|t| Element {
            id: t.clone(),
            with: Vec::new(),
        })
        .collect()
}

fn names(
    scalars: &[(&'static str, Option<Value>)],
    lists: &[(&'static str, Vec<Element>, &[String])],
) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = scalars
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| *k)
        .collect();
    out.extend(
        lists
            .iter()
            .filter(|(_, add, remove)| !add.is_empty() || !remove.is_empty())
            .map(|(k, _, _)| *k),
    );
    out
}

/// The edits that make `changes` to the event `id`, and the event's file.
///
/// # Errors
///
/// An unknown event (with "did you mean"), an element to remove that the
/// event does not have, an item that uses anchors or merge keys, a field
/// annals cannot rewrite in place.
pub fn set_event(
    record: &Record,
    texts: &[String],
    id: &str,
    changes: &SetEvent,
) -> Result<FileEdits, RenameError> {
    let Some(event) = record.events.iter().find(|e| e.id == id) else {
        return Err(RenameError(unknown(record, ListKind::Events, id)));
    };
    let scalars = vec![
        ("date", changes.date.clone().map(Value::Date)),
        ("date_text", changes.date_text.clone().map(Value::Str)),
        ("kind", changes.kind.clone().map(Value::Str)),
        ("title", changes.title.clone().map(Value::Str)),
        ("summary", changes.summary.clone().map(Value::Str)),
        ("status", changes.status.clone().map(Value::Str)),
        ("location", changes.location.clone().map(Value::Str)),
    ];
    let lists = vec![
        (
            "actors",
            changes.add_actors.clone(),
            &changes.remove_actors[..],
        ),
        ("tags", bare(&changes.add_tags), &changes.remove_tags[..]),
        (
            "related",
            changes.add_related.clone(),
            &changes.remove_related[..],
        ),
        (
            "sources",
            changes.add_sources.clone(),
            &changes.remove_sources[..],
        ),
    ];
    set_fields(
        record,
        texts,
        (ListKind::Events, id),
        event.origin,
        &scalars,
        &lists,
    )
}

/// The edits that make `changes` to the actor `id`.
///
/// # Errors
///
/// As [`set_event`].
pub fn set_actor(
    record: &Record,
    texts: &[String],
    id: &str,
    changes: &SetActor,
) -> Result<FileEdits, RenameError> {
    let Some(actor) = record.actors.iter().find(|a| a.id == id) else {
        return Err(RenameError(unknown(record, ListKind::Actors, id)));
    };
    set_fields(
        record,
        texts,
        (ListKind::Actors, id),
        actor.origin,
        &changes.scalars(),
        &changes.lists(),
    )
}

/// The edits that make `changes` to the source `id`.
///
/// # Errors
///
/// As [`set_event`].
pub fn set_source(
    record: &Record,
    texts: &[String],
    id: &str,
    changes: &SetSource,
) -> Result<FileEdits, RenameError> {
    let Some(source) = record.sources.iter().find(|s| s.id == id) else {
        return Err(RenameError(unknown(record, ListKind::Sources, id)));
    };
    set_fields(
        record,
        texts,
        (ListKind::Sources, id),
        source.origin,
        &changes.scalars(),
        &changes.lists(),
    )
}

/// The edits to one item of any list: `scalars` written (replaced where
/// they stand, else added), `lists` with elements added and removed.
fn set_fields(
    record: &Record,
    texts: &[String],
    (list_kind, id): (ListKind, &str),
    origin: crate::model::Origin,
    scalars: &[(&'static str, Option<Value>)],
    lists: &[(&'static str, Vec<Element>, &[String])],
) -> Result<FileEdits, RenameError> {
    let noun = list_kind.noun();
    let k = origin.file as usize;
    let text = &texts[k];
    let path = &record.files[k];
    let tree = yaml::parse_tree(text).map_err(|e| RenameError(e.message))?;
    let items = tree
        .cursor()
        .get(list_kind.key())
        .ok_or_else(|| RenameError(format!("the {noun}'s list was not found")))?;
    let item = items
        .items()
        .into_iter()
        .find(|c| c.span() == origin.span)
        .ok_or_else(|| RenameError(format!("the {noun} was not found in its file")))?;
    refuse_constructs(
        path,
        text,
        &[Place {
            span: item.span(),
            owner: (list_kind, Some(id.to_string())),
            item: item.span(),
            field: "id",
        }],
    )?;
    let err = |e: EditError| RenameError(format!("{noun} `{id}`: {}", e.0));
    let mut edits = Vec::new();
    // New fields go after the item's last line, where an element appended
    // to its last list goes too: they come after it.
    let mut new_fields = Vec::new();
    for (key, value) in scalars {
        let Some(value) = value else { continue };
        match item.get(key) {
            Some(v) => edits.push(item_edit::replace_scalar(text, &v, value).map_err(err)?),
            None => new_fields.push(item_edit::add_entry(text, &item, key, value).map_err(err)?),
        }
    }
    for (field, add, remove) in lists {
        if add.is_empty() && remove.is_empty() {
            continue;
        }
        let add: Vec<Value> = add.iter().map(|e| element_value(field, e)).collect();
        let (changed, added) = list_edits(text, &item, field, &add, remove).map_err(err)?;
        edits.extend(changed);
        new_fields.extend(added);
    }
    edits.extend(new_fields);
    Ok(FileEdits {
        file: k as u32,
        edits,
    })
}

/// The edits that remove `remove` (by id) from the list `field` of `item`
/// and append `add`: to the list, or as a new field (the second vector).
fn list_edits(
    text: &str,
    item: &Cursor<'_, '_>,
    field: &str,
    add: &[Value],
    remove: &[String],
) -> Result<(Vec<Edit>, Vec<Edit>), EditError> {
    list_edits_in(text, item, field, add, remove).map(|(edits, new)| {
        if new {
            (Vec::new(), edits)
        } else {
            (edits, Vec::new())
        }
    })
}

fn list_edits_in(
    text: &str,
    item: &Cursor<'_, '_>,
    field: &str,
    add: &[Value],
    remove: &[String],
) -> Result<(Vec<Edit>, bool), EditError> {
    let entry = item
        .entries()
        .into_iter()
        .find(|(k, _)| k.node().key_text() == field);
    let Some((key, list)) = entry else {
        if let Some(r) = remove.first() {
            return Err(EditError(format!(
                "has no `{field}`, so no `{r}` to remove"
            )));
        }
        let edit = item_edit::add_entry(
            text,
            item,
            field,
            &Value::List {
                items: add.to_vec(),
                flow: false,
            },
        )?;
        return Ok((vec![edit], true));
    };
    if !matches!(list.node(), Node::Seq(_)) {
        let one = list
            .node()
            .scalar_text()
            .filter(|_| !list.span().is_empty());
        let removed = |one: &str| remove.len() == 1 && remove[0] == one;
        if let Some(one) = one.filter(|o| remove.is_empty() || removed(o)) {
            // One value written alone (`author: Lee`): a flow list of it
            // (unless removed) and the additions.
            let mut parts = Vec::new();
            if remove.is_empty() {
                parts.push(item_edit::flow_text(&Value::str(one.as_ref())));
            }
            parts.extend(add.iter().map(item_edit::flow_text));
            let span = list.span();
            return Ok((
                vec![Edit {
                    range: span.start()..span.end(),
                    text: format!("[{}]", parts.join(", ")),
                }],
                false,
            ));
        }
    }
    let elements = list.items();
    let ids: Vec<Option<String>> = elements.iter().map(|e| element_id(e, field)).collect();
    let mut gone = vec![false; elements.len()];
    for r in remove {
        let Some(i) = ids
            .iter()
            .enumerate()
            .position(|(i, id)| !gone[i] && id.as_deref() == Some(r.as_str()))
        else {
            return Err(EditError(format!("has no `{r}` in `{field}`")));
        };
        gone[i] = true;
    }
    let flow = matches!(text.as_bytes().get(list.span().start()), Some(b'['));
    let Node::Seq(_) = list.node() else {
        if list.span().is_empty() && remove.is_empty() {
            // `field:` with no value yet.
            let edit = item_edit::replace_scalar(
                text,
                &list,
                &Value::List {
                    items: add.to_vec(),
                    flow: true,
                },
            )?;
            return Ok((vec![edit], false));
        }
        return Err(EditError(format!(
            "`{field}` holds {}, not a list",
            list.node().type_name()
        )));
    };
    if flow || elements.is_empty() {
        // The list is written again from its kept elements' own text.
        let mut parts: Vec<String> = elements
            .iter()
            .zip(&gone)
            .filter(|(_, g)| !**g)
            .map(|(e, _)| text[e.span().start()..e.span().end()].to_string())
            .collect();
        parts.extend(add.iter().map(item_edit::flow_text));
        if !remove.is_empty() || elements.is_empty() {
            let span = list.span();
            return Ok((
                vec![Edit {
                    range: span.start()..span.end(),
                    text: format!("[{}]", parts.join(", ")),
                }],
                false,
            ));
        }
    }
    let mut edits = Vec::new();
    let kept = gone.iter().filter(|g| !**g).count();
    if kept == 0 && add.is_empty() {
        // Every element goes: `field: []`.
        let first = elements[0].span().start();
        let dash = text[..first].rfind('-').unwrap_or(first);
        let key_end = text[..item_edit::line_start(text, dash)]
            .trim_end_matches(['\n', '\r'])
            .len()
            .max(key.span().end() + 1);
        let last = elements.last().expect("not empty");
        return Ok((
            vec![Edit {
                range: key_end..item_edit::element_end(text, last),
                text: " []".into(),
            }],
            false,
        ));
    }
    let mut add = add.iter();
    for (i, el) in elements.iter().enumerate() {
        if !gone[i] {
            continue;
        }
        if kept == 0 && i == elements.len() - 1 {
            // The last one left: an addition takes its place.
            if let Some(v) = add.next() {
                edits.push(Edit {
                    range: el.span().start()..item_edit::element_end(text, el),
                    text: item_edit::flow_text(v),
                });
                continue;
            }
        }
        edits.push(remove_block_element(text, &elements, i, &gone)?);
    }
    for v in add {
        edits.push(item_edit::append_element(text, &key, &list, v)?);
    }
    Ok((edits, false))
}

/// Removes element `i` of a block list that keeps at least one element.
fn remove_block_element(
    text: &str,
    elements: &[Cursor<'_, '_>],
    i: usize,
    _gone: &[bool],
) -> Result<Edit, EditError> {
    let el = &elements[i];
    let dash = text[..el.span().start()]
        .rfind('-')
        .unwrap_or(el.span().start());
    let start = item_edit::line_start(text, dash);
    let dash_col = dash - start;
    let end = match elements.get(i + 1) {
        Some(next) => {
            let nd = text[..next.span().start()]
                .rfind('-')
                .unwrap_or(next.span().start());
            item_edit::content_end(text, start, item_edit::line_start(text, nd), dash_col + 1)
        }
        None => item_edit::content_end(text, start, text.len(), dash_col + 1),
    };
    if end == text.len() && !text.ends_with('\n') && i > 0 {
        // The file's last line, without a line break: the break before it
        // goes instead, so the file still ends without one.
        let before = text[..start].trim_end_matches('\n').trim_end_matches('\r');
        return Ok(Edit {
            range: before.len()..end,
            text: String::new(),
        });
    }
    Ok(Edit {
        range: start..end,
        text: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::edit::apply;

    fn run(text: &str, f: impl Fn(&Cursor<'_, '_>) -> Vec<Edit>) -> String {
        let tree = yaml::parse_tree(text).unwrap();
        let item = tree.cursor().get("events").unwrap().items()[0];
        let mut edits = f(&item);
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        apply(text, &edits).unwrap()
    }

    #[test]
    fn zero_indented_lists() {
        let text = "events:\n- id: a\n  actors:\n  - kim\n  - x\n  sources:\n  - src\nactors: []\n";
        let out = run(text, |item| {
            let (a, b) =
                list_edits(text, item, "actors", &[Value::str("j")], &["kim".into()]).unwrap();
            assert!(b.is_empty());
            a
        });
        assert_eq!(
            out,
            "events:\n- id: a\n  actors:\n  - x\n  - j\n  sources:\n  - src\nactors: []\n"
        );
        let out = run(text, |item| {
            list_edits(text, item, "sources", &[Value::str("s2")], &[])
                .unwrap()
                .0
        });
        assert_eq!(
            out,
            "events:\n- id: a\n  actors:\n  - kim\n  - x\n  sources:\n  - src\n  - s2\nactors: []\n"
        );
    }
}
