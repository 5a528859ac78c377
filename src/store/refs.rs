//! Where an id is defined and referred to in a file's text, by byte span:
//! what `rename` rewrites and what `rm` lists.
//!
//! References are the fields the format names (docs/format.md): an
//! event's `actors` (a bare id or `actor:`), `quotes[].by`, `sources` (a
//! bare id or `source:`), `related[].event` and `kind`, and an actor's
//! `member_of`.

use crate::model::ListKind;
use crate::yaml::{Cursor, Node, Span, Tree};

/// One place an id is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The scalar's span (its quotes included).
    pub span: Span,
    /// The list of the item it is in, and that item's id (when it has one).
    pub owner: (ListKind, Option<String>),
    /// The whole span of the item it is in.
    pub item: Span,
    /// The field, e.g. `actors`, `member_of`, `quotes.by`; `id` for the
    /// definition itself.
    pub field: &'static str,
}

impl Place {
    pub fn is_definition(&self) -> bool {
        self.field == "id"
    }
}

fn text_of(c: &Cursor<'_, '_>) -> Option<String> {
    c.node().scalar_text().map(|s| s.into_owned())
}

/// Every place in `tree` where `id`, an id of `target`, is defined or
/// referred to, in file order.
pub fn find(tree: &Tree<'_>, target: ListKind, id: &str) -> Vec<Place> {
    let mut out = Vec::new();
    let root = tree.cursor();
    for (key, list) in root.entries() {
        let Some(kind) = ListKind::ALL
            .into_iter()
            .find(|l| key.node().key_text() == l.key())
        else {
            continue;
        };
        for item in list.items() {
            let item_id = item.get("id").and_then(|c| text_of(&c));
            let mut push = |c: &Cursor<'_, '_>, field: &'static str| {
                if text_of(c).as_deref() == Some(id) {
                    out.push(Place {
                        span: c.span(),
                        owner: (kind, item_id.clone()),
                        item: item.span(),
                        field,
                    });
                }
            };
            if kind == target
                && let Some(c) = item.get("id")
            {
                push(&c, "id");
            }
            for_each_ref(&item, kind, target, &mut push);
        }
    }
    out.sort_by_key(|p| p.span.start);
    out
}

/// Calls `f` with each scalar in `item` (of list `kind`) that names an id
/// of `target`.
fn for_each_ref(
    item: &Cursor<'_, '_>,
    kind: ListKind,
    target: ListKind,
    f: &mut dyn FnMut(&Cursor<'_, '_>, &'static str),
) {
    let in_list = |field: &str,
                   sub: Option<&str>,
                   name: &'static str,
                   f: &mut dyn FnMut(&Cursor<'_, '_>, &'static str)| {
        let Some(list) = item.get(field) else { return };
        for el in list.items() {
            match (el.node(), sub) {
                (Node::Map(_), Some(sub)) => {
                    if let Some(c) = el.get(sub) {
                        f(&c, name);
                    }
                }
                (Node::Map(_), None) => {}
                _ => f(&el, name),
            }
        }
    };
    match (kind, target) {
        (ListKind::Events, ListKind::Actors) => {
            in_list("actors", Some("actor"), "actors", f);
            if let Some(list) = item.get("quotes") {
                for q in list.items() {
                    if let Some(c) = q.get("by") {
                        f(&c, "quotes.by");
                    }
                }
            }
        }
        (ListKind::Events, ListKind::Sources) => in_list("sources", Some("source"), "sources", f),
        (ListKind::Events, ListKind::Events) => {
            if let Some(list) = item.get("related") {
                for r in list.items() {
                    if let Some(c) = r.get("event") {
                        f(&c, "related");
                    }
                }
            }
        }
        (ListKind::Events, ListKind::Kinds) => {
            if let Some(c) = item.get("kind") {
                f(&c, "kind");
            }
        }
        (ListKind::Actors, ListKind::Actors) => in_list("member_of", None, "member_of", f),
        _ => {}
    }
}
