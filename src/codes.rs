//! Diagnostic codes: every code's name, severity and meaning, declared once.
//!
//! The table below is the only list of codes. Diagnostics carry a [`Code`]
//! and take their severity from it; the kebab-case name is what the text
//! and JSON output, and the language server, show. The code table of
//! docs/format.md is held to this one by a test (`doc_table_matches`).

use crate::diag::Severity;
use std::fmt;

macro_rules! codes {
    ($($variant:ident $name:literal $severity:ident $doc:literal;)+) => {
        /// A diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)+
        }

        impl Code {
            /// Every code, in the order of the table (alphabetical by name).
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The stable kebab-case name, e.g. `unknown-actor`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }

            /// The severity a diagnostic with this code has (`dead-link`
            /// alone may be lowered to a note; see [`crate::links`]).
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)+
                }
            }

            /// What the code means, in one line (the doc table's text).
            pub const fn doc(self) -> &'static str {
                match self {
                    $(Code::$variant => $doc,)+
                }
            }
        }
    };
}

codes! {
    AfterSources "after-sources" Error "an `occurred` event dated after the latest publication of every source that reports it";
    AmbiguousName "ambiguous-name" Error "a name, alias or id that, compared loosely, belongs to two actors";
    DeadLink "dead-link" Warning "`check --links`: a URL or archived copy that no longer answers (a note when an archived copy stands in)";
    DuplicateCitationKey "duplicate-citation-key" Error "two sources with the same citation key, case aside";
    DuplicateId "duplicate-id" Error "an id used twice among events, actors, sources or kinds, or a kind that redefines a built-in one";
    DuplicateKey "duplicate-key" Error "a mapping that has the same key twice";
    DuplicateSetting "duplicate-setting" Error "a setting written in more than one file";
    EmptyList "empty-list" Error "a required list (an event's actors or sources) with nothing in it";
    EmptyName "empty-name" Error "an actor whose name is empty";
    FileTooLarge "file-too-large" Error "a file larger than annals reads";
    InvalidColor "invalid-color" Error "a kind's color that is not `#rgb` or `#rrggbb`";
    InvalidCountry "invalid-country" Error "a country that is not an assigned ISO 3166-1 alpha-3 code in upper case";
    InvalidDate "invalid-date" Error "a date that is not EDTF";
    InvalidId "invalid-id" Error "an id that is not a slug";
    InvalidKey "invalid-key" Error "a citation key that pandoc and BibTeX cannot read";
    InvalidRange "invalid-range" Error "a `to` before its `from`";
    InvalidTag "invalid-tag" Error "a tag that is not a slug";
    InvalidTitle "invalid-title" Error "a title that is empty, longer than 200 characters or more than one line";
    InvalidUrl "invalid-url" Error "a URL that is not an absolute http or https address";
    InvalidValue "invalid-value" Error "a value that is not one of the field's keywords";
    LinkUnchecked "link-unchecked" Note "`check --links`: a link whose request failed, so nothing is known";
    MemberCycle "member-cycle" Error "actors that are members of each other (A in B in A)";
    MissingField "missing-field" Error "a required field that is not there";
    MultipleDocuments "multiple-documents" Error "a file with more than one YAML document";
    NameNotUtf8 "name-not-utf8" Error "a file or folder name that is not UTF-8";
    NotAFile "not-a-file" Error "a path that is not a regular file (a FIFO, socket or device)";
    NotAMapping "not-a-mapping" Error "a file or item that is not a YAML mapping";
    NotAString "not-a-string" Warning "a value YAML reads as a number, boolean or null where text is meant, kept as text";
    NotUtf8 "not-utf8" Error "a file that is not UTF-8";
    OutsideRecord "outside-record" Error "a symbolic link that points outside the record";
    RedirectedLink "redirected-link" Note "`check --links`: a link that redirects elsewhere";
    RespondsToLater "responds-to-later" Warning "a `responds-to` relation to an event that is later than this one";
    SelfRelation "self-relation" Error "an event related to itself";
    StaleScheduled "stale-scheduled" Warning "a `scheduled` event dated before the newest source in the record";
    SymlinkLoop "symlink-loop" Error "a loop of symbolic links in the record";
    TooDeep "too-deep" Error "a file whose YAML is nested deeper than annals reads";
    UnarchivedSource "unarchived-source" Warning "an online source with neither `archived` nor `accessed`";
    UnknownActor "unknown-actor" Error "an actor id that no actor has";
    UnknownEvent "unknown-event" Error "an event id that no event has";
    UnknownField "unknown-field" Error "a field the format does not have";
    UnknownKind "unknown-kind" Error "a kind that is neither built in nor declared";
    UnknownSource "unknown-source" Error "a source id that no source has";
    UnquotedDateSet "unquoted-date-set" Error "an EDTF set written without quotes, which YAML reads as a list or mapping";
    Unreadable "unreadable" Error "a file or folder that could not be read";
    WrongType "wrong-type" Error "a value of the wrong YAML type (a list where text is meant, say)";
    YamlLimit "yaml-limit" Error "a file whose aliases expand past the YAML reader's limit";
    YamlSyntax "yaml-syntax" Error "a file that is not valid YAML";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The code table of docs/format.md, as Markdown.
pub fn doc_table() -> String {
    let mut out = String::from("| code | severity | meaning |\n|---|---|---|\n");
    for c in Code::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.as_str(),
            c.severity(),
            c.doc()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_unique_kebab_case() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        for n in names {
            assert!(
                n.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{n}"
            );
        }
    }

    /// docs/format.md lists every code, with its severity and meaning,
    /// between two markers; on a mismatch, paste the table printed here.
    #[test]
    fn doc_table_matches() {
        let doc = include_str!("../docs/format.md");
        let start = "<!-- codes: generated from src/codes.rs -->\n";
        let end = "<!-- end of codes -->";
        let from = doc.find(start).expect("start marker in docs/format.md") + start.len();
        let to = from + doc[from..].find(end).expect("end marker in docs/format.md");
        let want = doc_table();
        assert!(
            doc[from..to] == want,
            "docs/format.md's code table differs from src/codes.rs; it should read:\n{want}"
        );
    }
}
