//! `annals show ID`: one event, actor or source in full.

use super::common::load_clean;
use super::output::print;
use super::{CommandError, CommandResult, Context};
use annals::diag::did_you_mean;
use annals::query::ActorNames;
use annals::render::diagnostics::display_path;
use annals::render::{positions, show};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An event, actor or source id; an actor's name or alias also works.
    pub id: String,
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let checked = load_clean(ctx)?;
    let record = &checked.record;
    let id = args.id.as_str();
    // Ids are unique within a list, not across lists: show every match.
    let mut parts = Vec::new();
    if let Some(e) = record.events.iter().find(|e| e.id == id) {
        let line = positions::event_lines(record, &[e])[0];
        let place = record.files.get(e.origin.file as usize).map(|p| {
            let p = display_path(p);
            line.map_or(p.clone(), |l| format!("{p}:{l}"))
        });
        parts.push(show::event(record, e, place.as_deref()));
    }
    if let Some(a) = record.actors.iter().find(|a| a.id == id) {
        parts.push(show::actor(record, a));
    }
    if let Some(s) = record.sources.iter().find(|s| s.id == id) {
        parts.push(show::source(record, s));
    }
    if parts.is_empty() {
        if let Ok(i) = ActorNames::new(record).resolve(id) {
            parts.push(show::actor(record, &record.actors[i]));
        }
    }
    if parts.is_empty() {
        let ids = record
            .events
            .iter()
            .map(|e| e.id.as_str())
            .chain(record.actors.iter().map(|a| a.id.as_str()))
            .chain(record.sources.iter().map(|s| s.id.as_str()));
        let mut err =
            CommandError::usage(format_args!("no event, actor or source has the id `{id}`"));
        let ids: Vec<&str> = ids.collect();
        if let Some(near) = did_you_mean(id, ids.iter().copied()) {
            err = err.with_hint(format_args!("did you mean `{near}`?"));
        } else {
            let mut starting: Vec<&str> = ids.into_iter().filter(|i| i.starts_with(id)).collect();
            starting.sort_unstable();
            starting.dedup();
            if !starting.is_empty() && !id.is_empty() {
                let shown: Vec<String> =
                    starting.iter().take(5).map(|i| format!("`{i}`")).collect();
                let more = if starting.len() > 5 { ", ..." } else { "" };
                err = err.with_hint(format_args!(
                    "ids that start with `{id}`: {}{more}",
                    shown.join(", ")
                ));
            }
        }
        return Err(err);
    }
    print(&parts.join("\n"))
}
