//! Interactive `add`: asks for each field the flags did not give, checks
//! each answer at once (a bad one is asked again with the reason), offers
//! Tab completion of known ids, shows the YAML and asks to confirm.

use super::{
    ActorArgs, Bad, EventArgs, SourceArgs, What, is_url, parse_related, parse_status, parse_type,
    preview,
};
use crate::cli::Context;
use annals::check::check_dir;
use annals::date::Date;
use annals::model::{ActorType, BUILTIN_KINDS, Record, Relation, Role, Status};
use annals::names::is_slug;
use annals::render::diagnostics::display_path;
use annals::render::escape::{terminal, terminal_line};
use annals::store::draft::{ActorDraft, Draft, EventDraft, SourceCite, SourceDraft};
use annals::store::{self, Request, target_path};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Completion, Confirm, Input};
use std::path::{Path, PathBuf};

/// Completes what is typed to the longest prefix shared by the candidates
/// that start with it; after a `:` (`id:role`), from `after` instead.
struct Ids(Vec<String>, Vec<String>);

impl Ids {
    /// Candidates that would need escaping on a terminal (a file name with
    /// an escape sequence, say) are left out: completion echoes its text
    /// as typed, and an escaped spelling would name another file.
    fn new(ids: Vec<String>) -> Ids {
        let ids = ids
            .into_iter()
            .filter(|c| matches!(terminal_line(c), std::borrow::Cow::Borrowed(_)))
            .collect();
        Ids(ids, Vec::new())
    }
}

impl Completion for Ids {
    fn get(&self, input: &str) -> Option<String> {
        let (head, word, candidates) = match input.find(':') {
            Some(i) => (&input[..=i], &input[i + 1..], &self.1),
            None => ("", input, &self.0),
        };
        let mut matching = candidates.iter().filter(|c| c.starts_with(word));
        let first = matching.next()?;
        let common = matching.fold(first.as_str(), |acc, c| {
            let n = acc
                .char_indices()
                .zip(c.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, a), _)| i + a.len_utf8());
            &acc[..n]
        });
        (common.len() > word.len()).then(|| format!("{head}{common}"))
    }
}

struct Asker<'r> {
    theme: Box<dyn Theme>,
    record: &'r Record,
    dir: PathBuf,
}

type Check<'c> = &'c dyn Fn(&str) -> Result<(), String>;

impl Asker<'_> {
    /// One answer. `required`: empty is re-asked. The answer is checked by
    /// `check`, and re-asked with its message until it passes.
    fn ask(
        &self,
        prompt: &str,
        required: bool,
        ids: Option<&Ids>,
        check: Check<'_>,
    ) -> Result<String, Bad> {
        let validate = |s: &String| -> Result<(), String> {
            if s.trim().is_empty() {
                return if required {
                    Err("an answer is required".into())
                } else {
                    Ok(())
                };
            }
            check(s.trim()).map_err(|m| terminal(&m).into_owned())
        };
        let mut input = Input::<String>::with_theme(self.theme.as_ref())
            .with_prompt(terminal(prompt).into_owned())
            .allow_empty(true)
            .validate_with(validate);
        if let Some(ids) = ids {
            input = input.completion_with(ids);
        }
        input
            .interact_text()
            .map(|s| s.trim().to_string())
            .map_err(|e| format!("cannot read the answer: {e}"))
    }

    fn optional(&self, prompt: &str, check: Check<'_>) -> Result<Option<String>, Bad> {
        let a = self.ask(&format!("{prompt} (optional)"), false, None, check)?;
        Ok((!a.is_empty()).then_some(a))
    }

    /// Answers until an empty one; at least `min`.
    fn many(
        &self,
        prompt: &str,
        min: usize,
        ids: Option<&Ids>,
        check: Check<'_>,
    ) -> Result<Vec<String>, Bad> {
        let mut out = Vec::new();
        loop {
            let more = if out.len() < min {
                ""
            } else {
                " (empty to finish)"
            };
            let a = self.ask(
                &format!("{prompt} #{}{more}", out.len() + 1),
                out.len() < min,
                ids,
                check,
            )?;
            if a.is_empty() {
                return Ok(out);
            }
            out.push(a);
        }
    }

    fn file(&self, given: &Option<PathBuf>) -> Result<PathBuf, Bad> {
        if let Some(f) = given {
            return Ok(f.clone());
        }
        let files = Ids::new(
            self.record
                .files
                .iter()
                .filter_map(|f| f.strip_prefix(&self.dir).ok())
                .map(display_path)
                .collect(),
        );
        let dir = self.dir.clone();
        let check = move |s: &str| {
            target_path(&dir, Path::new(s))
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        self.ask(
            "File (in the record directory; Tab completes)",
            true,
            Some(&files),
            &check,
        )
        .map(PathBuf::from)
    }
}

fn no_check(_: &str) -> Result<(), String> {
    Ok(())
}

fn check_date(s: &str) -> Result<(), String> {
    Date::parse(s).map(|_| ()).map_err(|e| e.message)
}

fn check_title(s: &str) -> Result<(), String> {
    if s.chars().count() > 200 {
        Err("a title has at most 200 characters".into())
    } else {
        Ok(())
    }
}

fn check_slug(s: &str) -> Result<(), String> {
    if is_slug(s) {
        Ok(())
    } else {
        Err("an id is lower-case letters, digits and single hyphens, e.g. `kim-jong-un`".into())
    }
}

pub fn ask(ctx: &Context, what: &What) -> Result<Option<Request>, Bad> {
    let checked = check_dir(&ctx.dir).map_err(|e| {
        format!(
            "cannot read the record directory `{}`: {e}",
            ctx.dir.display()
        )
    })?;
    let theme: Box<dyn Theme> = if ctx.stderr_color {
        Box::new(ColorfulTheme::default())
    } else {
        Box::new(SimpleTheme)
    };
    let asker = Asker {
        theme,
        record: &checked.record,
        dir: ctx.dir.clone(),
    };
    let (file, draft, dry_run) = match what {
        What::Event(a) => {
            let (f, d) = event(&asker, a)?;
            (f, d, a.common.dry_run)
        }
        What::Actor(a) => {
            let (f, d) = actor(&asker, a)?;
            (f, d, a.common.dry_run)
        }
        What::Source(a) => {
            let (f, d) = source(&asker, a)?;
            (f, d, a.common.dry_run)
        }
    };
    let request = Request {
        dir: ctx.dir.clone(),
        file,
        drafts: vec![draft],
        dry_run: true,
    };
    let outcome = match store::add(&request) {
        Ok(o) => o,
        Err(e) => {
            // Said here; `run` then says that nothing was written.
            super::fail(ctx, &e).eprint();
            return Ok(None);
        }
    };
    eprintln!("{}", terminal(&preview(&outcome)));
    if dry_run {
        return Ok(Some(request));
    }
    let yes = Confirm::with_theme(asker.theme.as_ref())
        .with_prompt("Write this?")
        .default(true)
        .interact()
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    Ok(yes.then_some(Request {
        dry_run: false,
        ..request
    }))
}

fn event(asker: &Asker<'_>, a: &EventArgs) -> Result<(PathBuf, Draft), Bad> {
    let r = asker.record;
    let file = asker.file(&a.common.file)?;
    let title = match &a.title {
        Some(t) => t.clone(),
        None => asker.ask("Title", true, None, &check_title)?,
    };
    // An id the user can change: the slug `add` would make, cut short.
    let id = match &a.common.id {
        Some(id) => Some(id.clone()),
        None => {
            let suggested = suggested_id(&title);
            let check = |s: &str| check_slug(s);
            let given = asker.optional(&format!("Id (empty for `{suggested}`)"), &check)?;
            Some(given.unwrap_or(suggested))
        }
    };
    let date = match &a.date {
        Some(d) => d.clone(),
        None => asker.ask("Date (EDTF, e.g. 2024-01-06)", true, None, &check_date)?,
    };
    let date_text = match &a.date_text {
        Some(t) => Some(t.clone()),
        None => asker.optional("Date as the source words it", &no_check)?,
    };
    let mut kinds: Vec<String> = BUILTIN_KINDS.iter().map(|k| k.to_string()).collect();
    kinds.extend(r.kinds.iter().map(|k| k.id.to_string()));
    kinds.sort();
    let kind = match &a.kind {
        Some(k) => k.clone(),
        None => {
            let known = kinds.clone();
            let check = move |s: &str| {
                if known.iter().any(|k| k == s) {
                    Ok(())
                } else {
                    Err(format!("unknown kind `{s}`; known: {}", known.join(", ")))
                }
            };
            asker.ask("Kind (Tab completes)", true, Some(&Ids::new(kinds)), &check)?
        }
    };
    let actor_ids = Ids(
        sorted(r.actors.iter().map(|x| x.id.to_string())),
        Role::NAMES.iter().map(|s| s.to_string()).collect(),
    );
    let actors = if a.actors.is_empty() {
        let check = |s: &str| {
            let ar = super::resolve::actor(r, s)?;
            if r.actors.iter().any(|x| x.id == ar.actor) {
                Ok(())
            } else {
                Err(format!(
                    "no actor `{}`; add it first with `annals add actor` (roles: {})",
                    ar.actor,
                    Role::NAMES.join(", ")
                ))
            }
        };
        asker.many(
            "Actor id[:role] (Tab completes)",
            1,
            Some(&actor_ids),
            &check,
        )?
    } else {
        a.actors.clone()
    };
    let actors = actors
        .iter()
        .map(|s| super::resolve::actor(r, s))
        .collect::<Result<_, _>>()?;
    let source_ids = Ids::new(sorted(r.sources.iter().map(|x| x.id.to_string())));
    let sources = if a.sources.is_empty() {
        let check = |s: &str| {
            let id = s.split(':').next().unwrap_or(s);
            if is_url(s) || r.sources.iter().any(|x| x.id == id) {
                Ok(())
            } else {
                Err(format!(
                    "no source `{s}`; give its id, or the URL of a new source"
                ))
            }
        };
        asker.many(
            "Source id or URL (Tab completes)",
            1,
            Some(&source_ids),
            &check,
        )?
    } else {
        a.sources.clone()
    };
    let mut cites = Vec::new();
    for s in sources {
        if !is_url(&s) {
            match super::resolve::source(r, &s, false) {
                super::resolve::Cited::Cite(SourceCite::Id(id)) if a.sources.is_empty() => {
                    // Asked: where in it, as a citation would say.
                    let loc = asker.optional(
                        &format!("  Locator in `{id}` (e.g. p. 5, para. 2)"),
                        &no_check,
                    )?;
                    cites.push(match loc {
                        Some(locator) => SourceCite::Located {
                            source: id,
                            locator,
                        },
                        None => SourceCite::Id(id),
                    });
                }
                super::resolve::Cited::Cite(c) => cites.push(c),
                super::resolve::Cited::NewUrl(u) => cites.push(SourceCite::Id(u)),
            }
            continue;
        }
        if r.sources.iter().any(|x| x.url.as_deref() == Some(&s)) {
            // The store cites the source that has this URL already.
            cites.push(SourceCite::New(SourceDraft {
                url: Some(s),
                ..Default::default()
            }));
            continue;
        }
        let title = match &a.source_title {
            Some(t) => t.clone(),
            None => asker.ask("  New source's title", true, None, &check_title)?,
        };
        let publisher = match &a.source_publisher {
            Some(p) => p.clone(),
            None => asker.ask("  New source's publisher", true, None, &no_check)?,
        };
        let published = match &a.source_published {
            Some(p) => Some(p.clone()),
            None => asker.optional("  New source's publication date", &check_date)?,
        };
        cites.push(SourceCite::New(SourceDraft {
            title,
            publisher,
            url: Some(s),
            published,
            ..Default::default()
        }));
    }
    let summary = match &a.summary {
        Some(s) => Some(s.clone()),
        None => asker.optional("Summary", &no_check)?,
    };
    let status = match &a.status {
        Some(s) => Some(parse_status(s)?),
        None => {
            let check = |s: &str| parse_status(s).map(|_| ());
            asker
                .optional(&format!("Status ({})", Status::NAMES.join(", ")), &check)?
                .map(|s| parse_status(&s))
                .transpose()?
        }
    };
    let location = match &a.location {
        Some(l) => Some(l.clone()),
        None => asker.optional("Location", &no_check)?,
    };
    let tags = if a.tags.is_empty() {
        asker.many("Tag", 0, None, &check_slug)?
    } else {
        a.tags.clone()
    };
    let related = if a.related.is_empty() {
        let event_ids = Ids(
            sorted(r.events.iter().map(|x| x.id.to_string())),
            Relation::NAMES.iter().map(|s| s.to_string()).collect(),
        );
        let check = |s: &str| {
            let rel = parse_related(s)?;
            if r.events.iter().any(|x| x.id == rel.event) {
                Ok(())
            } else {
                Err(format!("no event `{}`", rel.event))
            }
        };
        asker.many(
            &format!("Related event id:relation ({})", Relation::NAMES.join(", ")),
            0,
            Some(&event_ids),
            &check,
        )?
    } else {
        a.related.clone()
    };
    let related = related
        .iter()
        .map(|s| parse_related(s))
        .collect::<Result<_, _>>()?;
    let quotes = if a.quotes.is_empty() {
        let check = |s: &str| super::resolve::quote(r, s).map(|_| ());
        asker.many(
            "Quote as BY: text (an actor id, name or alias)",
            0,
            None,
            &check,
        )?
    } else {
        a.quotes.clone()
    };
    let quotes = quotes
        .iter()
        .map(|q| super::resolve::quote(r, q))
        .collect::<Result<_, _>>()?;
    Ok((
        file,
        Draft::Event(EventDraft {
            id,
            date,
            date_text,
            kind,
            title,
            summary,
            status,
            actors,
            location,
            tags,
            related,
            quotes,
            sources: cites,
        }),
    ))
}

/// The id `add` would make from `title` (before making it unique).
fn suggested_id(title: &str) -> String {
    let slug = annals::names::slugify(title);
    if slug.is_empty() {
        return "event".into();
    }
    let max = annals::store::draft::NEW_ID_MAX;
    if slug.len() <= max {
        return slug;
    }
    let cut = &slug[..max];
    cut.rfind('-').map_or(cut, |i| &cut[..i]).to_string()
}

fn sorted(ids: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = ids.collect();
    v.sort();
    v.dedup();
    v
}

fn actor(asker: &Asker<'_>, a: &ActorArgs) -> Result<(PathBuf, Draft), Bad> {
    let r = asker.record;
    let file = asker.file(&a.common.file)?;
    let name = match &a.name {
        Some(n) => n.clone(),
        None => asker.ask("Name", true, None, &no_check)?,
    };
    let kind = match &a.kind {
        Some(k) => parse_type(k)?,
        None => {
            let types = Ids::new(ActorType::NAMES.iter().map(|s| s.to_string()).collect());
            let check = |s: &str| parse_type(s).map(|_| ());
            let t = asker.ask(
                &format!("Type ({})", ActorType::NAMES.join(", ")),
                true,
                Some(&types),
                &check,
            )?;
            parse_type(&t)?
        }
    };
    let country = match &a.country {
        Some(c) => Some(c.clone()),
        None => {
            let check = |s: &str| {
                if annals::names::is_country_code(s) {
                    Ok(())
                } else {
                    Err("an ISO 3166-1 alpha-3 code in capitals, e.g. JPN".to_string())
                }
            };
            asker.optional("Country (ISO 3166-1 alpha-3)", &check)?
        }
    };
    let aliases = if a.aliases.is_empty() {
        asker.many("Alias", 0, None, &no_check)?
    } else {
        a.aliases.clone()
    };
    let member_of = if a.member_of.is_empty() {
        let ids = Ids::new(sorted(r.actors.iter().map(|x| x.id.to_string())));
        let check = |s: &str| {
            if r.actors.iter().any(|x| x.id == s) {
                Ok(())
            } else {
                Err(format!("no actor `{s}`"))
            }
        };
        asker.many("Member of (actor id; Tab completes)", 0, Some(&ids), &check)?
    } else {
        a.member_of.clone()
    };
    let note = match &a.note {
        Some(n) => Some(n.clone()),
        None => asker.optional("Note", &no_check)?,
    };
    Ok((
        file,
        Draft::Actor(ActorDraft {
            id: a.common.id.clone(),
            name,
            kind,
            country,
            aliases,
            member_of,
            note,
        }),
    ))
}

fn source(asker: &Asker<'_>, a: &SourceArgs) -> Result<(PathBuf, Draft), Bad> {
    let file = asker.file(&a.common.file)?;
    let title = match &a.title {
        Some(t) => t.clone(),
        None => asker.ask("Title", true, None, &check_title)?,
    };
    let publisher = match &a.publisher {
        Some(p) => p.clone(),
        None => asker.ask("Publisher", true, None, &no_check)?,
    };
    let authors = if a.authors.is_empty() {
        asker.many("Author", 0, None, &no_check)?
    } else {
        a.authors.clone()
    };
    let url = match &a.url {
        Some(u) => Some(u.clone()),
        None => {
            let check = |s: &str| {
                if is_url(s) {
                    Ok(())
                } else {
                    Err("an absolute http:// or https:// URL".to_string())
                }
            };
            asker.optional("URL", &check)?
        }
    };
    let published = match &a.published {
        Some(p) => Some(p.clone()),
        None => asker.optional("Published (EDTF date)", &check_date)?,
    };
    let accessed = match &a.accessed {
        Some(p) => Some(p.clone()),
        None => asker.optional("Accessed (EDTF date)", &check_date)?,
    };
    let note = match &a.note {
        Some(n) => Some(n.clone()),
        None => asker.optional("Note", &no_check)?,
    };
    Ok((
        file,
        Draft::Source(SourceDraft {
            id: a.common.id.clone(),
            title,
            publisher,
            authors,
            url,
            published,
            accessed,
            note,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_extends_to_the_common_prefix() {
        let ids = Ids(
            vec![
                "kim-jong-un".into(),
                "kim-yo-jong".into(),
                "kishida-fumio".into(),
            ],
            vec!["target".into(), "participant".into()],
        );
        assert_eq!(ids.get("kis").as_deref(), Some("kishida-fumio"));
        assert_eq!(ids.get("kim-j").as_deref(), Some("kim-jong-un"));
        assert_eq!(ids.get("k").as_deref(), Some("ki"));
        assert_eq!(ids.get("ki"), None);
        assert_eq!(ids.get("x"), None);
        assert_eq!(
            ids.get("kim-jong-un:t").as_deref(),
            Some("kim-jong-un:target")
        );
        assert_eq!(ids.get("kim-jong-un:x"), None);
    }

    #[test]
    fn completion_never_echoes_control_characters() {
        let files = Ids::new(vec![
            "a\u{1b}]52;c;cHduZWQ=\u{7}.yaml".into(),
            "ab\u{1b}[2J.yaml".into(),
            "b\nc.yaml".into(),
            "good.yaml".into(),
        ]);
        assert_eq!(files.get("a"), None);
        assert_eq!(files.get("b"), None);
        assert_eq!(files.get("g").as_deref(), Some("good.yaml"));
    }
}
