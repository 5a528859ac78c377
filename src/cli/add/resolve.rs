//! What `add event`'s flags name, resolved against the record: actors by
//! id, name or alias (as `query` resolves them, with its "did you mean"),
//! sources with a locator after the first colon, quotes as `BY: text`.
//!
//! What cannot be resolved is passed on as written when it could be an id,
//! so that validation reports it with its place and "did you mean".

use super::Bad;
use super::parse_actor;
use annals::model::{ActorRef, Quote, Record, Role};
use annals::query::ActorNames;
use annals::store::draft::SourceCite;

/// Whether `s` could be an id (a slug): then an unknown one is left to
/// validation.
fn slug_like(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The actor id `name` means.
fn actor_id(record: &Record, name: &str) -> Result<String, Bad> {
    if record.actors.iter().any(|a| a.id == name) || record.actors.is_empty() {
        return Ok(name.to_string());
    }
    match ActorNames::new(record).resolve(name) {
        Ok(i) => Ok(record.actors[i].id.to_string()),
        Err(_) if slug_like(name) => Ok(name.to_string()),
        Err(e) => Err(format!("--actor: {e}")),
    }
}

/// `ID|NAME|ALIAS[:ROLE]`: the role is the part after the last colon when
/// it is a role (names may hold colons).
pub fn actor(record: &Record, s: &str) -> Result<ActorRef, Bad> {
    let (name, role) = match s.rsplit_once(':') {
        Some((n, r)) if Role::parse(r).is_some() => (n, r),
        Some((_, r)) if slug_like(s.split(':').next().unwrap_or("")) && !r.contains(' ') => {
            // `id:bogus`: the role is the mistake.
            return parse_actor(s);
        }
        _ => (s, ""),
    };
    let id = actor_id(record, name)?;
    if role.is_empty() {
        return parse_actor(&id);
    }
    parse_actor(&format!("{id}:{role}"))
}

/// `BY: text`, `BY` an actor id, name or alias.
pub fn quote(record: &Record, s: &str) -> Result<Quote, Bad> {
    let Some((by, text)) = s.split_once(':') else {
        return Err(format!(
            "--quote `{s}`: write `BY: text` (an actor, a colon, the words)"
        ));
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("--quote `{s}`: the quote's text is empty"));
    }
    Ok(Quote {
        by: actor_id(record, by.trim())?.into(),
        text: text.to_string(),
    })
}

/// What a `--source` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cited {
    /// A cite of a source the record has (or an id left to validation).
    Cite(SourceCite),
    /// A URL the record does not have: a new source.
    NewUrl(String),
}

/// `ID[:LOCATOR]` or `URL[:LOCATOR]`: the locator is what follows the
/// first colon after the id, or after a URL the record has. A URL the
/// record does not have is taken whole.
pub fn source(record: &Record, s: &str, is_url: bool) -> Cited {
    let located = |id: &str, loc: &str| {
        let loc = loc.trim();
        if loc.is_empty() {
            SourceCite::Id(id.to_string())
        } else {
            SourceCite::Located {
                source: id.to_string(),
                locator: loc.to_string(),
            }
        }
    };
    if is_url {
        for src in &record.sources {
            let Some(url) = &src.url else { continue };
            if s == url {
                return Cited::Cite(SourceCite::Id(src.id.to_string()));
            }
            if let Some(loc) = s
                .strip_prefix(url.as_str())
                .and_then(|r| r.strip_prefix(':'))
            {
                return Cited::Cite(located(&src.id, loc));
            }
        }
        return Cited::NewUrl(s.to_string());
    }
    // Ids have no colon: whatever follows the first one is the locator.
    match s.split_once(':') {
        Some((id, loc)) => Cited::Cite(located(id, loc)),
        None => Cited::Cite(SourceCite::Id(s.to_string())),
    }
}

/// The file a new source goes to by default: the one holding most of the
/// record's sources (the first of them on a tie), if any.
pub fn sources_file(record: &Record) -> Option<std::path::PathBuf> {
    let mut counts = vec![0usize; record.files.len()];
    for s in &record.sources {
        counts[s.origin.file as usize] += 1;
    }
    let best = counts.iter().copied().max().filter(|&n| n > 0)?;
    let k = counts.iter().position(|&n| n == best)?;
    Some(record.files[k].clone())
}
