//! Go to definition, find references, document and workspace symbols.
//!
//! Items know their span; a field inside one is found by its YAML path
//! within the item's bytes (`yaml::locate_in_item`), as `check` finds the
//! place of a cross-record diagnostic: no file is parsed whole again.

use super::context::{self, Field};
use super::position::Lines;
use super::uri;
use super::workspace::Workspace;
use crate::model::{ListKind, Origin, Record, SourceRef};
use crate::yaml::{self, YamlPath};
use lsp_types::{DocumentSymbol, Location, SymbolInformation, SymbolKind};
use std::collections::BTreeMap;
use std::ops::Range;

/// The lines of the record's files, each read and indexed once per request.
pub struct Files<'w> {
    ws: &'w Workspace,
    lines: BTreeMap<u32, Option<Lines>>,
}

impl<'w> Files<'w> {
    pub fn new(ws: &'w Workspace) -> Self {
        Files {
            ws,
            lines: BTreeMap::new(),
        }
    }

    /// The lines of file `k` as [`Workspace::record`] read it.
    pub fn lines(&mut self, k: u32) -> Option<&Lines> {
        let ws = self.ws;
        self.lines
            .entry(k)
            .or_insert_with(|| ws.record_text(k).map(Lines::new))
            .as_ref()
    }

    /// Where `path` (inside an item of file `k`) is.
    pub fn location(&mut self, k: u32, path: &YamlPath) -> Option<Location> {
        let file = self.ws.record().files.get(k as usize)?.clone();
        let lines = self.lines(k)?;
        let at = yaml::locate_in_item(lines.text(), path)?;
        Some(Location::new(
            uri::from_path(&file),
            lines.range(at.offset, at.offset + at.len),
        ))
    }

    /// Where an item is: its span without the line breaks and blank lines
    /// that follow it up to the next item.
    pub fn span_location(&mut self, k: u32, span: Range<usize>) -> Option<Location> {
        let file = self.ws.record().files.get(k as usize)?.clone();
        let lines = self.lines(k)?;
        let text = lines.text().get(span.clone()).unwrap_or("");
        let end = span.start + text.trim_end().len();
        Some(Location::new(
            uri::from_path(&file),
            lines.range(span.start, end),
        ))
    }
}

/// The id at the cursor and the list it names.
pub fn id_at(text: &str, at: usize) -> Option<(ListKind, String, Range<usize>)> {
    let cursor = context::at(text, at);
    if cursor.in_key || cursor.value.is_empty() {
        return None;
    }
    let list = match cursor.field {
        Field::Date | Field::Other => return None,
        f => f.names()?,
    };
    Some((list, cursor.value(text).to_string(), cursor.value))
}

/// The origin of the item `id` of `list`.
pub fn item(record: &Record, list: ListKind, id: &str) -> Option<Origin> {
    match list {
        ListKind::Events => record.events.iter().find(|e| e.id == id).map(|e| e.origin),
        ListKind::Actors => record.actors.iter().find(|a| a.id == id).map(|a| a.origin),
        ListKind::Sources => record.sources.iter().find(|s| s.id == id).map(|s| s.origin),
        ListKind::Kinds => record.kinds.iter().find(|k| k.id == id).map(|k| k.origin),
    }
}

/// Where item `id` of `list` is defined: its `id:` value.
pub fn definition(ws: &Workspace, list: ListKind, id: &str) -> Option<Location> {
    let o = item(ws.record(), list, id)?;
    Files::new(ws).location(o.file, &o.path(list).key("id"))
}

/// Every place that names `id` of `list` (and its definition, when asked),
/// in file order, then by position.
pub fn references(ws: &Workspace, list: ListKind, id: &str, declaration: bool) -> Vec<Location> {
    let record = ws.record();
    let mut places: Vec<(u32, YamlPath)> = Vec::new();
    if declaration {
        if let Some(o) = item(record, list, id) {
            places.push((o.file, o.path(list).key("id")));
        }
    }
    for e in &record.events {
        let at = |field: &str, i: usize, key: &str| {
            let p = e.origin.path(ListKind::Events).key(field);
            if key.is_empty() {
                p
            } else {
                p.index(i).key(key)
            }
        };
        match list {
            ListKind::Actors => {
                for (i, a) in e.actors.iter().enumerate() {
                    if a.actor == id {
                        places.push((e.origin.file, at("actors", i, "actor")));
                    }
                }
                for (i, q) in e.quotes.iter().enumerate() {
                    if q.by == id {
                        places.push((e.origin.file, at("quotes", i, "by")));
                    }
                }
            }
            ListKind::Sources => {
                for (i, s) in e.sources.iter().enumerate() {
                    if matches!(s, SourceRef::Id { source, .. } if source == id) {
                        places.push((e.origin.file, at("sources", i, "source")));
                    }
                }
            }
            ListKind::Events => {
                for (i, r) in e.related.iter().enumerate() {
                    if r.event == id {
                        places.push((e.origin.file, at("related", i, "event")));
                    }
                }
            }
            ListKind::Kinds => {
                if e.kind == id {
                    places.push((e.origin.file, at("kind", 0, "")));
                }
            }
        }
    }
    if list == ListKind::Actors {
        for a in &record.actors {
            for (i, m) in a.member_of.iter().enumerate() {
                if m == id {
                    let p = a.origin.path(ListKind::Actors).key("member_of").index(i);
                    places.push((a.origin.file, p));
                }
            }
        }
    }
    for o in &record.orphan_refs {
        if o.target == list && o.id == id {
            places.push((o.file, o.path.clone()));
        }
    }
    let mut files = Files::new(ws);
    let mut out: Vec<(u32, Location)> = places
        .into_iter()
        .filter_map(|(k, p)| Some((k, files.location(k, &p)?)))
        .collect();
    out.sort_by_key(|(k, l)| (*k, l.range.start, l.range.end));
    out.dedup_by(|a, b| a.1 == b.1);
    out.into_iter().map(|(_, l)| l).collect()
}

/// The items of file `k`: events with their date and title, then actors,
/// sources and kinds.
#[allow(
    deprecated,
    reason = "DocumentSymbol's `deprecated` field must be written"
)]
pub fn document_symbols(ws: &Workspace, k: u32) -> Vec<DocumentSymbol> {
    let record = ws.record();
    let mut files = Files::new(ws);
    let mut out = Vec::new();
    let mut symbol = |origin: Origin, list: ListKind, name: String, detail: String, kind| {
        let whole = files.span_location(k, origin.span.start()..origin.span.end())?;
        let id = files
            .location(k, &origin.path(list).key("id"))
            .map_or(whole.range, |l| l.range);
        Some(DocumentSymbol {
            name: if name.trim().is_empty() {
                "(untitled)".into()
            } else {
                name
            },
            detail: Some(detail),
            kind,
            tags: None,
            deprecated: None,
            range: whole.range,
            selection_range: id,
            children: None,
        })
    };
    for e in record.events.iter().filter(|e| e.origin.file == k) {
        out.extend(symbol(
            e.origin,
            ListKind::Events,
            e.title.clone(),
            format!("{} · {}", e.date, e.id),
            SymbolKind::EVENT,
        ));
    }
    for a in record.actors.iter().filter(|a| a.origin.file == k) {
        out.extend(symbol(
            a.origin,
            ListKind::Actors,
            a.name.clone(),
            a.id.to_string(),
            SymbolKind::OBJECT,
        ));
    }
    for s in record.sources.iter().filter(|s| s.origin.file == k) {
        out.extend(symbol(
            s.origin,
            ListKind::Sources,
            s.title.clone(),
            s.id.to_string(),
            SymbolKind::FILE,
        ));
    }
    for d in record.kinds.iter().filter(|d| d.origin.file == k) {
        let label = d.label.clone().unwrap_or_else(|| d.id.to_string());
        out.extend(symbol(
            d.origin,
            ListKind::Kinds,
            label,
            d.id.to_string(),
            SymbolKind::ENUM_MEMBER,
        ));
    }
    out
}

/// Most answers to a workspace symbol search.
pub const MAX_SYMBOLS: usize = 200;

/// Events by title or id, actors by name, alias or id, containing `query`
/// (case and punctuation folded); events first, in record order.
#[allow(
    deprecated,
    reason = "SymbolInformation's `deprecated` field must be written"
)]
pub fn workspace_symbols(ws: &Workspace, query: &str) -> Vec<SymbolInformation> {
    let record = ws.record();
    let q = crate::names::name_key(query);
    let hit = |s: &str| q.is_empty() || crate::names::name_key(s).contains(&q);
    let mut found: Vec<(Origin, String, SymbolKind, Option<String>)> = Vec::new();
    for e in &record.events {
        if found.len() >= MAX_SYMBOLS {
            break;
        }
        if hit(&e.title) || hit(&e.id) {
            found.push((
                e.origin,
                e.title.clone(),
                SymbolKind::EVENT,
                Some(e.date.to_string()),
            ));
        }
    }
    for a in &record.actors {
        if found.len() >= MAX_SYMBOLS {
            break;
        }
        if hit(&a.name) || hit(&a.id) || a.aliases.iter().any(|x| hit(x)) {
            found.push((
                a.origin,
                a.name.clone(),
                SymbolKind::OBJECT,
                Some(a.id.to_string()),
            ));
        }
    }
    let mut files = Files::new(ws);
    found
        .into_iter()
        .filter_map(|(o, name, kind, container)| {
            Some(SymbolInformation {
                name,
                kind,
                tags: None,
                deprecated: None,
                location: files.span_location(o.file, o.span.start()..o.span.end())?,
                container_name: container,
            })
        })
        .collect()
}
