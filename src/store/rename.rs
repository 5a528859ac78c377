//! The rename engine: a record and its files' texts, a kind, an old and a
//! new id → the edits to every file. Pure: no I/O, so that the command
//! (`annals rename`, through [`super::change`]) and the language server's
//! rename share it.
//!
//! It rewrites the definition and every reference ([`super::refs`]): each
//! scalar keeps its quoting where it can. An actor keeps its old id as an
//! alias unless asked not to (so old notes and searches still find it).
//! An item that uses anchors, aliases or merge keys is refused: an edit to
//! its bytes could change what another item reads as.

use super::change::FileEdits;
use super::edit::Edit;
use super::emit::Value;
use super::item_edit;
use super::refs::{self, Place};
use crate::line_index::LineIndex;
use crate::load::convert::MAX_ID_CHARS;
use crate::model::{ListKind, Record};
use crate::yaml::{self, Node, layout};

/// What to rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub kind: ListKind,
    pub old: String,
    pub new: String,
    /// For actors: keep `old` in the actor's `aliases:`.
    pub keep_alias: bool,
}

/// The edits, and how many references they rewrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub files: Vec<FileEdits>,
    /// References rewritten (the definition not counted).
    pub references: usize,
    /// Where the definition is: its file and the byte offset of its id
    /// (the same before and after: ids are on one line, and the edits
    /// before it in its file replace one-line scalars).
    pub definition: (u32, usize),
}

/// Why a rename cannot be made; the message is for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

/// The ids of `kind` in the record.
pub fn ids(record: &Record, kind: ListKind) -> Vec<&str> {
    match kind {
        ListKind::Events => record.events.iter().map(|e| e.id.as_str()).collect(),
        ListKind::Actors => record.actors.iter().map(|a| a.id.as_str()).collect(),
        ListKind::Sources => record.sources.iter().map(|s| s.id.as_str()).collect(),
        ListKind::Kinds => record.kinds.iter().map(|k| k.id.as_str()).collect(),
    }
}

/// "no actor `x`; did you mean `y`?"
pub fn unknown(record: &Record, kind: ListKind, id: &str) -> String {
    let ids = ids(record, kind);
    let mut m = format!("there is no {} `{id}` in the record", kind.noun());
    if let Some(s) = crate::diag::did_you_mean(id, ids.iter().copied()) {
        m.push_str(&format!("; did you mean `{s}`?"));
    }
    if kind == ListKind::Kinds && crate::model::BUILTIN_KINDS.contains(&id) {
        m = format!(
            "`{id}` is a built-in kind; only kinds declared under `kinds:` can be renamed or removed"
        );
    }
    m
}

/// Refuses when an item holding one of `places` uses anchors, aliases or
/// merge keys, naming the construct and where it is.
pub fn refuse_constructs(
    path: &std::path::Path,
    text: &str,
    places: &[Place],
) -> Result<(), RenameError> {
    if !text.contains(['&', '*', '<']) {
        return Ok(());
    }
    let found = layout::constructs(text).map_err(|e| RenameError(e.message))?;
    for p in places {
        if let Some((at, c)) = found
            .iter()
            .find(|(at, _)| p.item.start() <= *at && *at < p.item.end())
        {
            let line = LineIndex::new(text).line_col(text, *at).line;
            return Err(RenameError(format!(
                "{}:{line}: the {} `{}` uses {}, which annals cannot edit safely (an edit could change other items); nothing was written. Write the item out in full first",
                crate::render::diagnostics::display_path(path),
                p.owner.0.noun(),
                p.owner.1.as_deref().unwrap_or("?"),
                c.describe()
            )));
        }
    }
    Ok(())
}

/// Why `id` cannot be an id (the loader's rule: a slug of at most
/// [`MAX_ID_CHARS`] characters), with the slug to write instead.
pub fn invalid_id(id: &str) -> Option<String> {
    let long = id.chars().count() > MAX_ID_CHARS;
    if crate::names::is_slug(id) && !long {
        return None;
    }
    let mut m = if long {
        format!("`{id}` is not a valid id: it is longer than {MAX_ID_CHARS} characters")
    } else {
        format!("`{id}` is not a valid id: use lower-case letters, digits and single hyphens")
    };
    let slug: String = crate::names::slugify(id)
        .chars()
        .take(MAX_ID_CHARS)
        .collect();
    if !slug.is_empty() && slug != id {
        m.push_str(&format!(", e.g. `{slug}`"));
    }
    Some(m)
}

/// The edits that rename `r.old` to `r.new` across the record.
///
/// # Errors
///
/// An unknown old id (with "did you mean"), a new id that is not an id,
/// already taken or the same, a file that does not parse but mentions the id, an item using
/// anchors or merge keys.
pub fn rename(record: &Record, texts: &[String], r: &Rename) -> Result<Renamed, RenameError> {
    let ids = ids(record, r.kind);
    if !ids.contains(&r.old.as_str()) {
        return Err(RenameError(unknown(record, r.kind, &r.old)));
    }
    if r.new == r.old {
        return Err(RenameError(format!("`{}` is already its id", r.old)));
    }
    if r.new.is_empty() {
        return Err(RenameError("the new id is empty".into()));
    }
    if let Some(why) = invalid_id(&r.new) {
        return Err(RenameError(why));
    }
    if ids.contains(&r.new.as_str()) {
        return Err(RenameError(format!(
            "the {} id `{}` is already taken",
            r.kind.noun(),
            r.new
        )));
    }
    let mut out = Renamed {
        files: Vec::new(),
        references: 0,
        definition: (0, 0),
    };
    for (k, text) in texts.iter().enumerate() {
        if !text.contains(r.old.as_str()) {
            continue;
        }
        let path = &record.files[k];
        let tree = yaml::parse_tree(text).map_err(|e| {
            RenameError(format!(
                "`{}` does not parse ({}) and mentions `{}`; fix it first (see `annals check`)",
                path.display(),
                e.message,
                r.old
            ))
        })?;
        let places = refs::find(&tree, r.kind, &r.old);
        if places.is_empty() {
            continue;
        }
        refuse_constructs(path, text, &places)?;
        let mut edits = Vec::new();
        for p in &places {
            let old = &text[p.span.start()..p.span.end()];
            edits.push(Edit {
                range: p.span.start()..p.span.end(),
                text: item_edit::scalar_like(old, &r.new),
            });
            if p.is_definition() {
                out.definition = (k as u32, p.span.start());
                if r.kind == ListKind::Actors && r.keep_alias {
                    edits.push(alias_edit(text, &tree, p, &r.old)?);
                }
            } else {
                out.references += 1;
            }
        }
        out.files.push(FileEdits {
            file: k as u32,
            edits,
        });
    }
    Ok(out)
}

/// The edit that adds `old` to the actor's `aliases:`.
fn alias_edit(
    text: &str,
    tree: &yaml::Tree<'_>,
    def: &Place,
    old: &str,
) -> Result<Edit, RenameError> {
    let err = |e: super::edit::EditError| RenameError(e.0);
    let Some(actors) = tree.cursor().get("actors") else {
        return Err(RenameError("the actor's list was not found".into()));
    };
    let Some(item) = actors.items().into_iter().find(|i| i.span() == def.item) else {
        return Err(RenameError("the actor was not found in its list".into()));
    };
    let value = Value::str(old);
    match item
        .entries()
        .into_iter()
        .find(|(k, _)| k.node().key_text() == "aliases")
    {
        Some((k, v)) if matches!(v.node(), Node::Seq(s) if !s.is_empty()) => {
            item_edit::append_element(text, &k, &v, &value).map_err(err)
        }
        Some((_, v)) if matches!(v.node(), Node::Seq(_)) => {
            // `aliases: []`
            let close = v.span().end() - 1;
            Ok(Edit::insert(close, item_edit::flow_text(&value)))
        }
        Some((_, v)) => item_edit::replace_scalar(
            text,
            &v,
            &Value::List {
                items: vec![value],
                flow: true,
            },
        )
        .map_err(err),
        None => item_edit::add_entry(
            text,
            &item,
            "aliases",
            &Value::List {
                items: vec![value],
                flow: false,
            },
        )
        .map_err(err),
    }
}
