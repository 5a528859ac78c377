//! Diagnostics: problems in the user's data, as plain data.
//!
//! A diagnostic names its place in a file by byte span or offset, from the
//! parse that read the file: the loader turns the YAML paths its checks
//! name into spans on the tree it just read. A cross-record check names a
//! place inside a loaded item by path, with the item's span (see
//! [`YamlPath::item`]). Lines and columns are computed only when rendering
//! (`render::diagnostics`).

pub use crate::codes::Code;
use crate::yaml::{Span, YamlPath};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, never a failure (`check --links`: a redirect, a
    /// link that could not be checked).
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where in a file a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole (an unreadable file, say).
    File,
    /// A value or key inside the document, resolved when rendered.
    Path(YamlPath),
    /// A byte offset: where a reader stopped (bad UTF-8, nesting, a YAML
    /// syntax error).
    Offset(usize),
    /// The bytes to point at, from the parse that read the file.
    Span(Span),
}

/// A place in one of the record's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locus {
    /// Index into the list of files read; `None` for the directory itself.
    pub file: Option<u32>,
    pub place: Place,
}

impl Locus {
    pub fn path(file: u32, path: YamlPath) -> Self {
        Locus {
            file: Some(file),
            place: Place::Path(path),
        }
    }

    pub fn file(file: u32) -> Self {
        Locus {
            file: Some(file),
            place: Place::File,
        }
    }
}

/// A secondary place with a message: "first defined here".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub locus: Locus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Which problem: its name (`unknown-actor`), usual severity and
    /// meaning are declared in [`crate::codes`].
    pub code: Code,
    pub message: String,
    pub locus: Locus,
    /// The id of the event, actor, source or kind concerned, where known.
    pub id: Option<String>,
    pub help: Option<String>,
    pub notes: Vec<Note>,
}

impl Diagnostic {
    /// A diagnostic with the severity its code declares.
    pub fn new(code: Code, message: impl Into<String>, locus: Locus) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            locus,
            id: None,
            help: None,
            notes: Vec::new(),
        }
    }

    /// Lowers the diagnostic to a note (`dead-link` with an archived copy
    /// that stands in).
    pub fn as_note(mut self) -> Self {
        self.severity = Severity::Note;
        self
    }

    pub fn with_id(mut self, id: impl AsRef<str>) -> Self {
        self.id = Some(id.as_ref().to_string());
        self
    }

    pub fn with_id_opt(mut self, id: Option<&str>) -> Self {
        self.id = id.map(str::to_string);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Sets the help of a diagnostic already pushed (the loader reports
    /// through `&mut Diagnostic`).
    pub fn help(&mut self, help: impl Into<String>) {
        self.help = Some(help.into());
    }

    /// Sets the help when there is one, keeping any already set.
    pub fn set_help_opt(&mut self, help: Option<String>) {
        if help.is_some() {
            self.help = help;
        }
    }

    pub fn with_note(mut self, message: impl Into<String>, locus: Locus) -> Self {
        self.notes.push(Note {
            message: message.into(),
            locus,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Counts of errors and warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Tally {
    pub fn of(diags: &[Diagnostic]) -> Self {
        let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
        Tally {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
        }
    }
}

/// The known candidate `word` most likely meant, or `None` rather than a
/// wrong one: ranked by shared tokens before edit distance (see
/// [`crate::suggest`]).
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    crate::suggest::nearest(word, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let ids = ["kishida-fumio", "kim-jong-un", "kim-yo-jong"];
        assert_eq!(did_you_mean("kishida-fumo", ids), Some("kishida-fumio"));
        assert_eq!(did_you_mean("kim-yo-jung", ids), Some("kim-yo-jong"));
        assert_eq!(did_you_mean("biden", ids), None);
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
    }
}
