//! Property test of the commands that change the record: any sequence of
//! set, rename, rm, fmt and add on a generated record (block, flow, CRLF,
//! comments, no final newline) leaves a record that checks clean, and fmt
//! is idempotent. Each step goes through the store's change path (the
//! engines and `store::change`) exactly as the commands do; a step the
//! store refuses (a referrer, a taken id) must leave every file as it was.

use annals::check::check_dir;
use annals::model::ListKind;
use annals::store::change::{ChangeError, change};
use annals::store::draft::{Draft, EventDraft, SourceCite};
use annals::store::{self, Request, fmt, remove, rename, set};
use proptest::prelude::*;
use proptest::sample::select as pick;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

#[derive(Debug, Clone)]
enum Step {
    Set {
        event: usize,
        title: String,
        tag: bool,
        actor: usize,
    },
    Rename {
        actor: usize,
        to: String,
    },
    RenameEvent {
        event: usize,
        to: String,
    },
    Rm {
        event: usize,
    },
    RmActor {
        actor: usize,
    },
    Fmt,
    Add {
        date: u8,
        actor: usize,
    },
}

const TITLES: &[&str] = &[
    "Plain",
    "With: colon",
    "yes",
    "# not a comment",
    "'quoted'",
    "金正恩 meets",
    "[x]",
];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..8usize, pick(TITLES), any::<bool>(), 0..4usize).prop_map(|(event, t, tag, actor)| {
            Step::Set {
                event,
                title: t.to_string(),
                tag,
                actor,
            }
        }),
        (0..4usize, pick(&["dprk", "usa-gov", "moon", "x-1"][..])).prop_map(|(actor, to)| {
            Step::Rename {
                actor,
                to: to.to_string(),
            }
        }),
        (0..8usize, pick(&["ev-a", "ev-b", "summit"][..])).prop_map(|(event, to)| {
            Step::RenameEvent {
                event,
                to: to.to_string(),
            }
        }),
        (0..8usize).prop_map(|event| Step::Rm { event }),
        (0..4usize).prop_map(|actor| Step::RmActor { actor }),
        Just(Step::Fmt),
        (1..28u8, 0..4usize).prop_map(|(date, actor)| Step::Add { date, actor }),
    ]
}

fn layout() -> impl Strategy<Value = (bool, bool, bool, bool)> {
    // (flow events, CRLF, comments, final newline)
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>())
}

fn events_file(flow: bool, crlf: bool, comments: bool, final_nl: bool) -> String {
    let dates = ["2024-05-09", "2024-05-03", "2024-05-20"];
    let mut s = String::new();
    if comments {
        s.push_str("# May\n");
    }
    if flow {
        let items: Vec<String> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| format!("{{id: e{i}, date: {d}, kind: statement, title: E{i}, actors: [a{i}], sources: [src]}}"))
            .collect();
        s.push_str(&format!("events: [{}]\n", items.join(", ")));
    } else {
        s.push_str("events:\n");
        for (i, d) in dates.iter().enumerate() {
            if comments {
                s.push_str(&format!("  # about e{i}\n"));
            }
            s.push_str(&format!(
                "  - id: e{i}\n    date: {d}\n    kind: statement\n    title: E{i}\n    actors:\n      - a{i}\n    sources: [src]\n"
            ));
        }
    }
    if comments {
        s.push_str("# the end\n");
    }
    if !final_nl {
        s.pop();
    }
    if crlf {
        s = s.replace('\n', "\r\n");
    }
    s
}

fn texts(dir: &Path) -> BTreeMap<String, String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

fn nth(ids: Vec<&str>, i: usize) -> Option<String> {
    (!ids.is_empty()).then(|| ids[i % ids.len()].to_string())
}

/// Runs one step; `Ok(false)` when the store refused it.
fn run(dir: &Path, step: &Step) -> Result<bool, String> {
    let checked = check_dir(dir).unwrap();
    let r = &checked.record;
    let event = |i: usize| nth(r.events.iter().map(|e| e.id.as_str()).collect(), i);
    let actor = |i: usize| nth(r.actors.iter().map(|a| a.id.as_str()).collect(), i);
    let result = match step {
        Step::Set {
            event: e,
            title,
            tag,
            actor: a,
        } => {
            let (Some(id), Some(actor)) = (event(*e), actor(*a)) else {
                return Ok(false);
            };
            let s = set::SetEvent {
                title: Some(title.clone()),
                add_tags: if *tag { vec!["t".into()] } else { Vec::new() },
                add_actors: vec![set::Element {
                    id: actor,
                    with: vec![("role", "target".into())],
                }],
                ..Default::default()
            };
            change(dir, false, |v| {
                Ok((
                    vec![
                        set::set_event(v.record, v.texts, &id, &s)
                            .map_err(|e| ChangeError::Refused(e.0))?,
                    ],
                    (),
                ))
            })
            .map(|_| ())
        }
        Step::Rename { actor: a, to } => {
            let Some(old) = actor(*a) else {
                return Ok(false);
            };
            let req = rename::Rename {
                kind: ListKind::Actors,
                old,
                new: to.clone(),
                keep_alias: true,
            };
            change(dir, false, |v| {
                Ok((
                    rename::rename(v.record, v.texts, &req)
                        .map_err(|e| ChangeError::Refused(e.0))?
                        .files,
                    (),
                ))
            })
            .map(|_| ())
        }
        Step::RenameEvent { event: e, to } => {
            let Some(old) = event(*e) else {
                return Ok(false);
            };
            let req = rename::Rename {
                kind: ListKind::Events,
                old,
                new: to.clone(),
                keep_alias: false,
            };
            change(dir, false, |v| {
                Ok((
                    rename::rename(v.record, v.texts, &req)
                        .map_err(|e| ChangeError::Refused(e.0))?
                        .files,
                    (),
                ))
            })
            .map(|_| ())
        }
        Step::Rm { event: e } | Step::RmActor { actor: e } => {
            let (kind, id) = match step {
                Step::Rm { .. } => (ListKind::Events, event(*e)),
                _ => (ListKind::Actors, actor(*e)),
            };
            let Some(id) = id else { return Ok(false) };
            change(dir, false, |v| {
                let (edits, _) = remove::remove(v.record, v.texts, kind, &id)
                    .map_err(|e| ChangeError::Refused(format!("{e:?}")))?;
                Ok((vec![edits], ()))
            })
            .map(|_| ())
        }
        Step::Fmt => change(dir, false, |v| {
            Ok((
                fmt::fmt(v.record, v.texts, &[]).map_err(|e| ChangeError::Refused(e.0))?,
                (),
            ))
        })
        .map(|_| ()),
        Step::Add { date, actor: a } => {
            let Some(actor) = actor(*a) else {
                return Ok(false);
            };
            let d = EventDraft {
                date: format!("2024-05-{date:02}"),
                kind: "statement".into(),
                title: "Added".into(),
                actors: vec![annals::model::ActorRef {
                    actor: actor.into(),
                    role: annals::model::Role::Participant,
                }],
                sources: vec![SourceCite::Id("src".into())],
                ..Default::default()
            };
            return store::add(&Request {
                dir: dir.to_path_buf(),
                file: "may.yaml".into(),
                drafts: vec![Draft::Event(d)],
                dry_run: false,
            })
            .map(|_| true)
            .map_err(|e| format!("add: {e}"));
        }
    };
    match result {
        Ok(()) => Ok(true),
        Err(ChangeError::Refused(_) | ChangeError::Invalid(_)) => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_of_changes_leaves_a_clean_record((flow, crlf, comments, final_nl) in layout(), steps in prop::collection::vec(step(), 1..10)) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("actors.yaml"), "actors:\n  - {id: a0, name: A0, type: state}\n  - id: a1\n    name: A1\n    type: person\n    member_of: [a0]\n  - {id: a2, name: A2, type: person}\n").unwrap();
        fs::write(dir.join("sources.yaml"), "sources:\n  - {id: src, title: S, publisher: P, published: 2024-12-31}\n").unwrap();
        fs::write(dir.join("may.yaml"), events_file(flow, crlf, comments, final_nl)).unwrap();
        prop_assert!(check_dir(dir).unwrap().diagnostics.is_empty());
        for step in &steps {
            let before = texts(dir);
            let done = run(dir, step).map_err(TestCaseError::fail)?;
            let checked = check_dir(dir).unwrap();
            prop_assert!(checked.diagnostics.is_empty(), "after {:?}: {:#?}\n{:#?}", step, checked.diagnostics, texts(dir));
            if !done {
                prop_assert_eq!(&texts(dir), &before, "a refused {:?} wrote", step);
            }
            let may = &texts(dir)["may.yaml"];
            if crlf {
                prop_assert!(!may.replace("\r\n", "").contains('\n'), "a bare LF after {:?}", step);
            }
            prop_assert_eq!(may.ends_with('\n'), final_nl, "the final line break after {:?}", step);
        }
        // fmt twice: the second changes nothing.
        run(dir, &Step::Fmt).map_err(TestCaseError::fail)?;
        let once = texts(dir);
        run(dir, &Step::Fmt).map_err(TestCaseError::fail)?;
        prop_assert_eq!(texts(dir), once);
    }
}
