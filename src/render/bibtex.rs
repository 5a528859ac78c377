//! BibTeX for biblatex and biber (and pandoc's `--bibliography refs.bib`):
//! one entry per source, keyed by the same citation key as CSL-JSON.
//!
//! Types: `@article` (newspaper), `@report`, `@online` (web page),
//! `@letter` (personal communication), `@misc` (the rest). Dates go in
//! `date` and `urldate` as biblatex's ISO forms (`2024-02`,
//! `2024-04-08/2024-04-11`). Titles are brace-protected so no style
//! changes their case; every field escapes TeX's specials, so biber and
//! pandoc read back exactly the record's text. Text stays UTF-8, which
//! biber and pandoc read as it is.

use super::cite::{date_parts, parts_text};
use crate::date::Date;
use crate::model::{Source, SourceType};
use std::fmt::Write as _;

/// `sources` as a `.bib` file.
pub fn bibtex(sources: &[&Source]) -> String {
    let mut out = String::new();
    for (i, s) in sources.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        entry(&mut out, s);
    }
    out
}

fn entry(out: &mut String, s: &Source) {
    let (kind, publisher_field) = match s.source_type {
        Some(SourceType::ArticleNewspaper) => ("article", "journaltitle"),
        Some(SourceType::Report) => ("report", "institution"),
        Some(SourceType::Webpage) => ("online", "organization"),
        Some(SourceType::PersonalCommunication) => ("letter", "publisher"),
        _ => ("misc", "publisher"),
    };
    let _ = writeln!(out, "@{kind}{{{},", s.cite_key());
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "  {name} = {{{value}}},");
    };
    // The inner braces protect the title's case from styles that change it.
    field("title", format!("{{{}}}", tex(s.title.trim())));
    if !s.authors.is_empty() {
        let names: Vec<String> = s.authors.iter().map(|a| name(a)).collect();
        field("author", names.join(" and "));
    }
    field(publisher_field, tex(s.publisher.trim()));
    if s.source_type == Some(SourceType::Report) {
        field("type", "Report".into());
    }
    if let Some(t) = match s.source_type {
        Some(SourceType::Broadcast) => Some("Broadcast"),
        Some(SourceType::Interview) => Some("Interview"),
        Some(SourceType::Legal) => Some("Legal document"),
        _ => None,
    } {
        field("howpublished", t.into());
    }
    if let Some(d) = s.published.as_ref().and_then(date) {
        field("date", d);
    }
    if let Some(d) = s.accessed.as_ref().and_then(date) {
        field("urldate", d);
    }
    if let Some(u) = &s.url {
        field("url", url(u));
    }
    if let Some(n) = &s.note {
        // `annotation`, not `note`: the record's note is the researcher's
        // comment, which standard styles should not print.
        field("annotation", tex(n.trim()));
    }
    out.push_str("}\n");
}

/// A name written `Family, Given` is passed as it is, which BibTeX splits
/// the same way; any other is braced whole, so an agency's name is never
/// read as a given and a family name.
fn name(a: &str) -> String {
    let a = a.trim();
    match a.split_once(',') {
        Some((f, g)) if !f.trim().is_empty() && !g.trim().is_empty() => {
            format!("{{{}}}, {}", tex(f.trim()), tex(g.trim()))
        }
        _ => format!("{{{}}}", tex(a)),
    }
}

/// A date in biblatex's ISO 8601 forms, precision kept; a date those forms
/// cannot hold (a set, unspecified digits) becomes the range of days it
/// may fall on. Seasons and qualifiers are dropped: pandoc does not read
/// them in `.bib` dates.
fn date(d: &Date) -> Option<String> {
    let p = date_parts(d)?;
    Some(match p.to {
        Some(to) => format!("{}/{}", parts_text(&p.from), parts_text(&to)),
        None => parts_text(&p.from),
    })
}

/// Text with TeX's special characters escaped and line breaks as spaces.
pub fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '{' | '}' | '%' | '&' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL for the verbatim `url` field: the braces and spaces that would
/// end or break the field are percent-encoded, nothing else is touched.
fn url(u: &str) -> String {
    let mut out = String::with_capacity(u.len());
    for ch in u.chars() {
        match ch {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(
            tex(r"50% of {x} & #1_a\b"),
            r"50\% of \{x\} \& \#1\_a\textbackslash{}b"
        );
    }

    #[test]
    fn names_are_split_only_where_written_so() {
        assert_eq!(name("Matsuo, Terrence"), "{Matsuo}, Terrence");
        assert_eq!(
            name("Korean Central News Agency"),
            "{Korean Central News Agency}"
        );
    }
}
