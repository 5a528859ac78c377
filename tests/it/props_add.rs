//! Property tests of what `add` writes: every string reads back exactly,
//! and any sequence of adds leaves a record that checks clean.
//!
//! Strings are built from the pieces YAML treats specially (quotes, `: `,
//! `#`, `---`, `...`, indicators, tabs, spaces at either end, the words YAML
//! 1.1 reads as booleans or null, numbers, dates, line breaks and the
//! characters YAML 1.1 counts as line breaks, byte order marks, controls)
//! mixed with non-Latin scripts, emoji and arbitrary characters. Run harder
//! with `PROPTEST_CASES=5000 cargo test --test it props_add`.

use annals::check::check_dir;
use annals::model::{ActorRef, ActorType, ListKind, Role, SourceRef};
use annals::store::draft::{ActorDraft, Draft, EventDraft, SourceCite, SourceDraft};
use annals::store::emit::{self, Context};
use annals::store::{self, Request};
use annals::yaml::{self, Node};
use proptest::prelude::*;
use proptest::sample::select as pick;
use std::fs;
use std::path::Path;

fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces YAML reads specially, and text from other scripts.
const PIECES: &[&str] = &[
    "\"",
    "'",
    "''",
    ":",
    ": ",
    " :",
    "#",
    " #",
    "# ",
    " ",
    "  ",
    "\t",
    "---",
    "...",
    "--- ",
    "- ",
    "-",
    "? ",
    "?",
    "{",
    "}",
    "[",
    "]",
    "{a: b}",
    "[a, b]",
    ",",
    ", ",
    "&",
    "&a",
    "*",
    "*a",
    "!",
    "!!str",
    "|",
    "|-",
    ">",
    ">-",
    "%",
    "%YAML 1.1",
    "@",
    "`",
    "\\",
    "\\n",
    "\\\"",
    "=",
    "<<",
    "yes",
    "no",
    "on",
    "off",
    "null",
    "~",
    "Yes",
    "NO",
    "On",
    "OFF",
    "Null",
    "y",
    "n",
    "Y",
    "N",
    "true",
    "False",
    "TRUE",
    ".inf",
    "-.inf",
    ".NaN",
    "NaN",
    "0",
    "-1",
    "+1",
    "007",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1e3",
    "1.50",
    "1:20",
    "190:20:30",
    "2024-01-06",
    "2024-01-06T10:30:00Z",
    "2024",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{a0}",
    "\u{feff}",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{200b}",
    "\u{202e}",
    "e\u{301}",
    "金与正",
    "김정은",
    "Кремль",
    "עברית",
    "العربية",
    "日本国",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "🇯🇵",
    "\u{10ffff}",
    "\u{fffd}",
    "a",
    "Kim",
    "word",
];

/// Text of any kind, including empty.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => pick(PIECES).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        2 => "[a-zA-Z0-9 ]{1,8}",
    ];
    prop_oneof![
        // One piece alone: a word like `yes` is special only on its own.
        1 => pick(PIECES).prop_map(String::from),
        3 => proptest::collection::vec(piece, 0..8).prop_map(|p| p.concat()),
    ]
}

/// What YAML 1.1 reads as something other than a string when plain.
fn yaml11_special(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "",
    ];
    WORDS.contains(&s)
        || s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
}

/// The string a one-key document holds, if it holds one.
fn read_value(doc: &str) -> Option<String> {
    match yaml::parse(doc).ok()? {
        Node::Map(entries) if entries.len() == 1 => match &entries[0].1 {
            Node::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn read_list(doc: &str) -> Option<Vec<String>> {
    match yaml::parse(doc).ok()? {
        Node::Map(entries) if entries.len() == 1 => match &entries[0].1 {
            Node::Seq(items) => items
                .iter()
                .map(|n| match n {
                    Node::Str(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect(),
            _ => None,
        },
        _ => None,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn scalars_read_back_exactly(s in text(), t in text()) {
        let block = emit::scalar(&s, Context::Block);
        prop_assert_eq!(read_value(&format!("k: {block}\n")), Some(s.clone()), "block: {}", block);
        prop_assert_eq!(read_value(&format!("k: {block} # comment\n")), Some(s.clone()), "before a comment: {}", block);
        let (fs, ft) = (emit::scalar(&s, Context::Flow), emit::scalar(&t, Context::Flow));
        prop_assert_eq!(read_list(&format!("k: [{fs}, {ft}]\n")), Some(vec![s.clone(), t.clone()]), "flow: [{}, {}]", fs, ft);
        prop_assert_eq!(read_list(&format!("k:\n  - {fs}\n  - {ft}\n")), Some(vec![s.clone(), t.clone()]), "block list: {} {}", fs, ft);
        if block == s.as_str() {
            // Written plain: no YAML 1.1 reader may take it for anything else.
            prop_assert!(!yaml11_special(&s), "{:?} is plain", s);
            prop_assert!(!s.starts_with([' ', '\t']) && !s.ends_with([' ', '\t']));
        }
    }
}

// ---------------------------------------------------------------------------
// Sequences of adds

/// One `add` call.
#[derive(Clone, Debug)]
enum Op {
    /// An event citing `src`, or a new source in the same write.
    Event {
        title: String,
        summary: Option<String>,
        date_text: Option<String>,
        location: Option<String>,
        date: String,
        new_source: Option<Src>,
        /// Cite actors added earlier as well.
        with_actors: bool,
        file: usize,
    },
    Actor {
        name: String,
        aliases: Vec<String>,
        note: Option<String>,
        kind: ActorType,
        file: usize,
    },
    Source(Src, usize),
}

#[derive(Clone, Debug)]
struct Src {
    title: String,
    publisher: String,
    authors: Vec<String>,
    note: Option<String>,
}

/// Files to add to: new ones, and ones that exist in block, flow and CRLF
/// styles (see [`start_record`]).
const FILES: &[&str] = &[
    "new.yaml",
    "deep/new.yml",
    "block.yaml",
    "flow.yaml",
    "crlf.yaml",
];

/// One line of text: titles must be one line (no line break of any
/// reader: NEL, the Unicode separators, vertical tab and form feed count),
/// and not blank.
fn title() -> impl Strategy<Value = String> {
    text().prop_map(|t| {
        let line: String = t
            .chars()
            .filter(|c| !annals::load::convert::LINE_BREAKS.contains(c))
            .take(190)
            .collect();
        if line.trim().is_empty() {
            format!("T{line}")
        } else {
            line
        }
    })
}

fn src() -> impl Strategy<Value = Src> {
    (
        text(),
        text(),
        proptest::collection::vec(text(), 0..3),
        proptest::option::of(text()),
    )
        .prop_map(|(title, publisher, authors, note)| Src {
            title,
            publisher,
            authors,
            note,
        })
}

fn op() -> impl Strategy<Value = Op> {
    let file = 0..FILES.len();
    let date = pick(vec![
        "2024-01-06",
        "2024",
        "2024-02~",
        "2024-04-08/2024-04-11",
        "[2024-02-01..2024-02-10]",
        "{2024-01,2024-03}",
        "2024-01-06T10:30:00+09:00",
        "../2024-03",
        "2024-21",
        "2024-XX",
    ])
    .prop_map(String::from);
    prop_oneof![
        3 => (
            title(),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            date,
            proptest::option::of(src()),
            any::<bool>(),
            file.clone(),
        )
            .prop_map(|(title, summary, date_text, location, date, new_source, with_actors, file)| Op::Event {
                title,
                summary,
                date_text,
                location,
                date,
                new_source,
                with_actors,
                file,
            }),
        2 => (
            title(),
            proptest::collection::vec(title(), 0..3),
            proptest::option::of(text()),
            pick(vec![ActorType::Person, ActorType::State, ActorType::Media]),
            file.clone(),
        )
            .prop_map(|(name, aliases, note, kind, file)| Op::Actor {
                name,
                aliases,
                note,
                kind,
                file,
            }),
        1 => (src(), file).prop_map(|(s, f)| Op::Source(s, f)),
    ]
}

fn start_record(dir: &Path) {
    fs::write(
        dir.join("people.yaml"),
        "actors:\n  - {id: japan, name: Japan, type: state}\n",
    )
    .unwrap();
    fs::write(
        dir.join("block.yaml"),
        "# Block style, with a comment.\nsources:\n  - id: src\n    title: A report\n    publisher: A publisher\n\nevents:\n",
    )
    .unwrap();
    fs::write(
        dir.join("flow.yaml"),
        "events: []\nactors: []\nsources: []\n",
    )
    .unwrap();
    fs::write(dir.join("crlf.yaml"), "events:\r\nactors:\r\n").unwrap();
}

/// A name no other name folds to: ambiguous names are refused, rightly.
fn unique(name: &str, n: usize) -> String {
    // The marker sits in the middle so that both ends stay as generated.
    let mid = name
        .char_indices()
        .nth(name.chars().count() / 2)
        .map_or(name.len(), |(i, _)| i);
    format!("{} ꙮ{n}ꙮ {}", &name[..mid], &name[mid..])
}

fn source_draft(s: &Src) -> SourceDraft {
    SourceDraft {
        id: None,
        title: s.title.clone(),
        publisher: s.publisher.clone(),
        authors: s.authors.clone(),
        url: None,
        published: None,
        accessed: None,
        note: s.note.clone(),
    }
}

fn check_source(
    rec: &annals::model::Record,
    id: &str,
    s: &SourceDraft,
) -> Result<(), TestCaseError> {
    let got = rec.sources.iter().find(|x| x.id == id);
    prop_assert!(got.is_some(), "source {} is missing", id);
    let got = got.unwrap();
    prop_assert_eq!(&got.title, &s.title);
    prop_assert_eq!(&got.publisher, &s.publisher);
    prop_assert_eq!(&got.authors, &s.authors);
    prop_assert_eq!(&got.note, &s.note);
    Ok(())
}

/// The drafts of one add as the items it writes, in writing order: a new
/// source an event cites comes before the event.
fn flatten(drafts: &[Draft]) -> Vec<Draft> {
    let mut out = vec![];
    for d in drafts {
        if let Draft::Event(e) = d {
            for s in &e.sources {
                if let SourceCite::New(s) = s {
                    out.push(Draft::Source(s.clone()));
                }
            }
        }
        out.push(d.clone());
    }
    out
}

fn drafts_for(op: &Op, n: usize, actors: &[String]) -> (usize, Vec<Draft>) {
    match op.clone() {
        Op::Event {
            title,
            summary,
            date_text,
            location,
            date,
            new_source,
            with_actors,
            file,
        } => {
            let mut refs = vec![ActorRef {
                actor: "japan".into(),
                role: Role::Initiator,
            }];
            if with_actors {
                refs.extend(actors.iter().map(|a| ActorRef {
                    actor: a.as_str().into(),
                    role: Role::Mentioned,
                }));
            }
            let sources = vec![match &new_source {
                Some(s) => SourceCite::New(source_draft(s)),
                None => SourceCite::Id("src".into()),
            }];
            let e = EventDraft {
                id: None,
                date,
                date_text,
                kind: "statement".into(),
                title,
                summary,
                status: None,
                actors: refs,
                location,
                tags: vec![],
                related: vec![],
                quotes: vec![],
                sources,
            };
            (file, vec![Draft::Event(e)])
        }
        Op::Actor {
            name,
            aliases,
            note,
            kind,
            file,
        } => {
            let a = ActorDraft {
                id: None,
                name: unique(&name, 1000 * n),
                kind,
                country: None,
                aliases: aliases
                    .iter()
                    .enumerate()
                    .map(|(i, a)| unique(a, 1000 * n + i + 1))
                    .collect(),
                member_of: vec![],
                note,
            };
            (file, vec![Draft::Actor(a)])
        }
        Op::Source(s, file) => (file, vec![Draft::Source(source_draft(&s))]),
    }
}

/// Whether the record holds exactly what `draft` asked for under `id`.
fn check_item(rec: &annals::model::Record, id: &str, draft: &Draft) -> Result<(), TestCaseError> {
    match draft {
        Draft::Event(d) => {
            let e = rec.events.iter().find(|e| e.id == id);
            prop_assert!(e.is_some(), "event {} is missing", id);
            let e = e.unwrap();
            prop_assert_eq!(&e.title, &d.title);
            prop_assert_eq!(&e.summary, &d.summary);
            prop_assert_eq!(&e.date_text, &d.date_text);
            prop_assert_eq!(&e.location, &d.location);
            prop_assert_eq!(e.date.text(), d.date.as_str());
            prop_assert_eq!(&e.actors, &d.actors);
            prop_assert_eq!(e.sources.len(), 1);
            if let (SourceRef::Id { source, .. }, SourceCite::Id(want)) =
                (&e.sources[0], &d.sources[0])
            {
                prop_assert_eq!(source, want);
            }
        }
        Draft::Actor(d) => {
            let a = rec.actors.iter().find(|a| a.id == id);
            prop_assert!(a.is_some(), "actor {} is missing", id);
            let a = a.unwrap();
            prop_assert_eq!(&a.name, &d.name);
            prop_assert_eq!(&a.aliases, &d.aliases);
            prop_assert_eq!(&a.note, &d.note);
            prop_assert_eq!(a.kind, d.kind);
        }
        Draft::Source(d) => check_source(rec, id, d)?,
        Draft::Reference(r) => check_source(rec, id, &r.source)?,
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Each case writes real files and fsyncs them: fewer cases.
        cases: 64,
        ..config()
    })]

    #[test]
    fn any_sequence_of_adds_reads_back_exactly_and_checks_clean(ops in proptest::collection::vec(op(), 1..8)) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        start_record(dir);
        let mut actors: Vec<String> = vec![];
        // Each written item's id and the draft it came from.
        let mut written: Vec<(String, Draft)> = vec![];
        for (n, op) in ops.iter().enumerate() {
            let (file, drafts) = drafts_for(op, n, &actors);
            let req = Request {
                dir: dir.to_path_buf(),
                file: FILES[file].into(),
                drafts: drafts.clone(),
                dry_run: false,
            };
            let out = store::add(&req).map_err(|e| match e {
                store::AddError::Invalid(d) => format!("add {n} refused: {d:#?}"),
                e => format!("add {n} refused: {e}"),
            });
            prop_assert!(out.is_ok(), "{}", out.unwrap_err());
            let out = out.unwrap();
            prop_assert!(out.warnings.is_empty(), "add {} warned: {:?}", n, out.warnings);
            let flat = flatten(&drafts);
            prop_assert_eq!(out.items.len(), flat.len());
            for (item, draft) in out.items.iter().zip(flat) {
                if item.list == ListKind::Actors {
                    actors.push(item.id.clone());
                }
                written.push((item.id.clone(), draft));
            }
            // And each write is a record that checks clean on its own.
            let checked = check_dir(dir).unwrap();
            prop_assert!(checked.diagnostics.is_empty(), "after add {}: {:#?}", n, checked.diagnostics);
        }

        let rec = check_dir(dir).unwrap().record;
        for (id, draft) in &written {
            check_item(&rec, id, draft)?;
        }
        // Cited new sources are the ones written just before their event.
        for w in written.windows(2) {
            if let ((src_id, Draft::Source(_)), (ev_id, Draft::Event(e))) = (&w[0], &w[1]) {
                if matches!(e.sources[0], SourceCite::New(_)) {
                    let ev = rec.events.iter().find(|x| x.id == *ev_id).unwrap();
                    let cites = matches!(&ev.sources[0], SourceRef::Id { source, .. } if source == src_id);
                    prop_assert!(cites, "{} does not cite {}", ev_id, src_id);
                }
            }
        }
    }
}
