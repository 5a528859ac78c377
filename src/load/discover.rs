//! Finding the record's files: every `*.yaml` / `*.yml` under the directory.
//!
//! Only regular files inside the record are ever opened. Links are followed
//! while they stay inside the record's directory; one that leads out of it
//! (`ln -s /proc/self/environ rec/env.yaml`) is reported as `outside-record`
//! and never read, so no error snippet can quote a file the record does not
//! own. FIFOs, devices and sockets are reported as `not-a-file` and never
//! opened: opening a FIFO blocks until someone writes to it.

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus, Place};
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The files found, sorted by path, and problems met on the way.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    /// Problems with the directory tree itself (links out of the record or
    /// in a loop, unreadable folders, names that are not UTF-8); they have
    /// no file of their own.
    pub problems: Vec<Diagnostic>,
}

/// Walks `dir` in sorted order, following symbolic links that stay inside
/// it but never in a loop. Hidden files and folders (names starting with
/// `.`) are skipped, and so are files without a YAML name.
///
/// A folder is known by its (device, inode), so a loop or a second way into
/// a folder is caught without resolving every path (which costs time
/// growing with depth for each folder). Folders reached through a link are
/// walked after every real folder, so that a second way into a folder is
/// blamed on the link, never on the folder itself.
///
/// # Errors
///
/// When `dir` itself cannot be read or is not a directory.
pub fn discover(dir: &Path) -> io::Result<Found> {
    let meta = fs::metadata(dir)?;
    if !meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            "not a directory",
        ));
    }
    let root = fs::canonicalize(dir)?;
    let mut found = Found::default();
    let mut seen = HashSet::new();
    seen.insert(FolderId::of(dir, &meta)?);
    // Explicit stacks, so a deep tree cannot exhaust ours: real folders
    // first, then those reached through a link.
    let mut stack = vec![dir.to_path_buf()];
    let mut linked: Vec<PathBuf> = Vec::new();
    loop {
        let d = match stack.pop() {
            Some(d) => d,
            None => match linked.pop() {
                Some(link) => match fs::metadata(&link).and_then(|m| FolderId::of(&link, &m)) {
                    Ok(id) if !seen.insert(id.clone()) => {
                        found.problems.push(second_way_in(&link));
                        continue;
                    }
                    Ok(_) => link,
                    Err(e) => {
                        found.problems.push(dir_problem(
                            Code::Unreadable,
                            format!("cannot resolve `{}`: {e}", link.display()),
                        ));
                        continue;
                    }
                },
                None => break,
            },
        };
        let mut entries: Vec<PathBuf> = match fs::read_dir(&d) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                found.problems.push(dir_problem(
                    Code::Unreadable,
                    format!("cannot read directory `{}`: {e}", d.display()),
                ));
                continue;
            }
        };
        entries.sort();
        let mut subdirs = Vec::new();
        for path in entries {
            let Some(name) = path.file_name() else {
                continue;
            };
            if name.as_encoded_bytes().first() == Some(&b'.') {
                continue;
            }
            let Ok(lstat) = fs::symlink_metadata(&path) else {
                continue; // gone since the listing
            };
            let is_link = lstat.file_type().is_symlink();
            if name.to_str().is_none() {
                // Not hidden, and not skippable as "not YAML" either: a
                // folder, or a file whose name ends in `.yaml`, would be
                // part of the record.
                if is_yaml(&path) || fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                    found.problems.push(
                        dir_problem(
                            Code::NameNotUtf8,
                            format!(
                                "`{}` is not read: its name is not valid UTF-8",
                                path.display()
                            ),
                        )
                        .with_help("rename it with a UTF-8 name"),
                    );
                }
                continue;
            }
            let meta = if is_link {
                match inside(&root, &path) {
                    Ok(true) => fs::metadata(&path),
                    Ok(false) => {
                        let folder = fs::metadata(&path).is_ok_and(|m| m.is_dir());
                        if folder || is_yaml(&path) {
                            found.problems.push(outside(&path, folder));
                        }
                        continue;
                    }
                    Err(e) => Err(e),
                }
            } else {
                Ok(lstat)
            };
            match meta {
                Ok(m) if m.is_dir() => {
                    if is_link {
                        linked.push(path);
                    } else {
                        // A real folder is new unless a bind mount or a
                        // hard-linked folder shows it twice.
                        match FolderId::of(&path, &m) {
                            Ok(id) if !seen.insert(id.clone()) => {
                                found.problems.push(second_way_in(&path));
                            }
                            Ok(_) => subdirs.push(path),
                            Err(e) => found.problems.push(dir_problem(
                                Code::Unreadable,
                                format!("cannot resolve `{}`: {e}", path.display()),
                            )),
                        }
                    }
                }
                Ok(m) if m.is_file() => {
                    if is_yaml(&path) {
                        found.files.push(path);
                    }
                }
                Ok(_) => {
                    if is_yaml(&path) {
                        found.problems.push(
                            dir_problem(
                                Code::NotAFile,
                                format!(
                                    "`{}` is not read: it is not a regular file (a FIFO, socket or device)",
                                    path.display()
                                ),
                            )
                            .with_help("record files are regular files; move it out of the record"),
                        );
                    }
                }
                Err(e) => {
                    // A dangling link or a loop of file links. A name that
                    // is not YAML is skipped, as it would be if it resolved.
                    let looped = e.raw_os_error() == Some(ELOOP);
                    if is_yaml(&path) || looped {
                        let code = if looped {
                            Code::SymlinkLoop
                        } else {
                            Code::Unreadable
                        };
                        found.problems.push(dir_problem(
                            code,
                            format!("cannot read `{}`: {e}", path.display()),
                        ));
                    }
                }
            }
        }
        // Reversed so that popping visits them in sorted order.
        stack.extend(subdirs.into_iter().rev());
    }
    found.files.sort();
    Ok(found)
}

/// `ELOOP`, "too many levels of symbolic links", on Linux and the BSDs
/// alike (40 and 62).
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

/// Whether the link `path` resolves to a place inside `root` (canonical).
/// Only links are resolved, so this costs nothing for ordinary trees.
fn inside(root: &Path, path: &Path) -> io::Result<bool> {
    Ok(fs::canonicalize(path)?.starts_with(root))
}

/// A folder's identity, whatever path leads to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FolderId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Canonical(PathBuf),
}

impl FolderId {
    #[cfg(unix)]
    fn of(_path: &Path, meta: &fs::Metadata) -> io::Result<Self> {
        use std::os::unix::fs::MetadataExt;
        Ok(FolderId::Inode(meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    fn of(path: &Path, _meta: &fs::Metadata) -> io::Result<Self> {
        Ok(FolderId::Canonical(fs::canonicalize(path)?))
    }
}

fn outside(path: &Path, folder: bool) -> Diagnostic {
    dir_problem(
        Code::OutsideRecord,
        format!(
            "`{}` is not read: it is a link to a {} outside the record's directory",
            path.display(),
            if folder { "folder" } else { "file" }
        ),
    )
    .with_help("copy the file into the record, or point the link inside it")
}

fn second_way_in(link: &Path) -> Diagnostic {
    let target = fs::canonicalize(link)
        .map_or_else(|_| "a folder".to_string(), |p| format!("`{}`", p.display()));
    dir_problem(
        Code::SymlinkLoop,
        format!(
            "`{}` leads to {target}, which is already being read",
            link.display()
        ),
    )
    .with_help("remove the link: the folder is read once, by its own path")
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

fn dir_problem(code: Code, message: String) -> Diagnostic {
    Diagnostic::new(
        code,
        message,
        Locus {
            file: None,
            place: Place::File,
        },
    )
}
