//! Finding the record's files: every `*.yaml` / `*.yml` under the directory.

use crate::diag::{Diagnostic, Locus, Place};
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The files found, sorted by path, and problems met on the way.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    /// Problems with the directory tree itself (symlink loops, unreadable
    /// folders); they have no file of their own.
    pub problems: Vec<Diagnostic>,
}

/// Walks `dir` in sorted order, following symbolic links but never in a loop.
/// Hidden files and folders (names starting with `.`) are skipped.
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
    let mut found = Found::default();
    let mut seen = HashSet::new();
    seen.insert(fs::canonicalize(dir)?);
    // An explicit stack, so a deep tree cannot exhaust ours.
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<PathBuf> = match fs::read_dir(&d) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                found.problems.push(dir_problem(
                    "unreadable",
                    format!("cannot read directory `{}`: {e}", d.display()),
                ));
                continue;
            }
        };
        entries.sort();
        let mut subdirs = Vec::new();
        for path in entries {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_none_or(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            match fs::metadata(&path) {
                Ok(m) if m.is_dir() => match fs::canonicalize(&path) {
                    Ok(canon) if !seen.insert(canon.clone()) => {
                        found.problems.push(
                            dir_problem(
                                "symlink-loop",
                                format!(
                                    "`{}` leads back to `{}`, which is already being read",
                                    path.display(),
                                    canon.display()
                                ),
                            )
                            .with_help("remove the link, or point it outside the record"),
                        );
                    }
                    Ok(_) => subdirs.push(path),
                    Err(e) => found.problems.push(dir_problem(
                        "unreadable",
                        format!("cannot resolve `{}`: {e}", path.display()),
                    )),
                },
                Ok(_) => {
                    if is_yaml(&path) {
                        found.files.push(path);
                    }
                }
                Err(e) => {
                    // A dangling link or a loop of file links.
                    if is_yaml(&path) || fs::symlink_metadata(&path).is_ok() {
                        let code = if e.raw_os_error() == Some(40) {
                            "symlink-loop"
                        } else {
                            "unreadable"
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

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

fn dir_problem(code: &'static str, message: String) -> Diagnostic {
    Diagnostic::error(
        code,
        message,
        Locus {
            file: None,
            place: Place::File,
        },
    )
}
