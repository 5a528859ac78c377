//! `add` with its new sources written where the record's sources are: the
//! event to one file, the sources it brings to another, all or nothing
//! (through [`super::change`], so the journal covers the pair). The
//! event's file may be new: it is created as `add` creates files (with
//! the schema line, in folders made for it).

use super::change::{self, ChangeError, Changed, FileEdits};
use super::draft::{self, Draft, Item, Taken};
use super::edit;
use super::edits_of;
use crate::model::ListKind;
use std::path::{Path, PathBuf};

/// Adds `drafts` as `add` would, sources to `sources_file`, the rest to
/// `file`; both must be files of the record. Returns each item with the
/// file it went to.
///
/// # Errors
///
/// See [`ChangeError`]; nothing is written.
pub fn add_split(
    dir: &Path,
    file: &Path,
    sources_file: &Path,
    drafts: &[Draft],
    dry_run: bool,
) -> Result<Changed<Vec<(Item, PathBuf)>>, ChangeError> {
    let file = super::target_path(dir, file).map_err(|e| ChangeError::Usage(e.to_string()))?;
    let sources_file =
        super::target_path(dir, sources_file).map_err(|e| ChangeError::Usage(e.to_string()))?;
    let creating = !file.exists();
    let mut made = Vec::new();
    if creating && !dry_run {
        made = super::make_folders(dir, &file)
            .map_err(|(path, error)| ChangeError::Io { path, error })?;
    }
    let new = if creating {
        vec![file.clone()]
    } else {
        Vec::new()
    };
    let result = change::change_creating(dir, dry_run, &new, |view| {
        let index = |p: &Path| {
            view.record
                .files
                .iter()
                .position(|f| f == p)
                .ok_or_else(|| {
                    ChangeError::Usage(format!("`{}` is not a file of the record", p.display()))
                })
        };
        let (ke, ks) = (index(&file)?, index(&sources_file)?);
        let items = draft::items(drafts, &mut Taken::of(view.record));
        let mut out = Vec::new();
        let mut placed_items = Vec::new();
        let groups: Vec<(usize, &PathBuf, Vec<&Item>)> = if ks == ke {
            vec![(ke, &file, items.iter().collect())]
        } else {
            let (srcs, rest): (Vec<&Item>, Vec<&Item>) =
                items.iter().partition(|i| i.list == ListKind::Sources);
            vec![(ks, &sources_file, srcs), (ke, &file, rest)]
        };
        for (k, path, mine) in groups {
            if mine.is_empty() {
                continue;
            }
            let old = &view.texts[k];
            let new_file = creating && k == ke;
            let mut text = if new_file {
                edit::new_file_header("\n")
            } else {
                old.clone()
            };
            let mut placed: Vec<(usize, usize)> = Vec::new();
            for item in mine {
                let a = edit::append(&text, item.list.key(), &item.value).map_err(|e| {
                    ChangeError::Refused(format!("cannot add to `{}`: {}", path.display(), e.0))
                })?;
                for p in &mut placed {
                    if p.0 >= a.at {
                        p.0 += a.len;
                    }
                }
                placed.push((a.at, a.len));
                text = a.text;
                placed_items.push((item.clone(), path.clone()));
            }
            let edits = if new_file {
                // A new file is one insertion: the header and its items.
                vec![edit::Edit::insert(0, text)]
            } else {
                edits_of(&text, placed)
            };
            out.push(FileEdits {
                file: k as u32,
                edits,
            });
        }
        Ok((out, placed_items))
    });
    if result.is_err() {
        for folder in made.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
    result
}
