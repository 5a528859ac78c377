//! `annals set ID --title ... --add-actor ...`: changes fields of one event
//! where it stands (`store::set` computes the edits, `store::change` checks
//! and writes them).

use super::change::{self, place};
use super::{CommandError, CommandResult, Context};
use annals::model::{Relation, Role};
use annals::store::change::{ChangeError, change as store_change};
use annals::store::set::{Element, SetEvent, set_event};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The event's id.
    pub id: String,
    /// The date, in EDTF.
    #[arg(long)]
    pub date: Option<String>,
    /// The source's own words for the date.
    #[arg(long)]
    pub date_text: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// A built-in or declared kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// occurred, reported, scheduled or cancelled.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub summary: Option<String>,
    #[arg(long)]
    pub location: Option<String>,
    /// An actor id with an optional role (`kim-jong-un:initiator`). Repeatable.
    #[arg(long = "add-actor", value_name = "ID[:ROLE]")]
    pub add_actor: Vec<String>,
    /// Repeatable.
    #[arg(long = "remove-actor", value_name = "ID")]
    pub remove_actor: Vec<String>,
    /// A source id with an optional locator after the first colon
    /// (`aca-chronology:p. 5`). Repeatable.
    #[arg(long = "add-source", value_name = "ID[:LOCATOR]")]
    pub add_source: Vec<String>,
    #[arg(long = "remove-source", value_name = "ID")]
    pub remove_source: Vec<String>,
    #[arg(long = "add-tag", value_name = "TAG")]
    pub add_tag: Vec<String>,
    #[arg(long = "remove-tag", value_name = "TAG")]
    pub remove_tag: Vec<String>,
    /// `RELATION:EVENT`, e.g. `responds-to:kim-new-year-2024`. Repeatable.
    #[arg(long = "add-relation", value_name = "REL:EVENT")]
    pub add_relation: Vec<String>,
    /// The related event's id. Repeatable.
    #[arg(long = "remove-relation", value_name = "EVENT")]
    pub remove_relation: Vec<String>,
    /// Print the diff that would be applied; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

fn changes(args: &Args) -> Result<SetEvent, String> {
    let mut add_actors = Vec::new();
    for a in &args.add_actor {
        let (id, role) = match a.split_once(':') {
            Some((id, role)) => {
                let r = Role::parse(role).ok_or_else(|| {
                    format!("`{role}` is not a role: initiator, target, participant or mentioned")
                })?;
                (id, Some(r))
            }
            None => (a.as_str(), None),
        };
        let with = match role {
            None | Some(Role::Participant) => Vec::new(),
            Some(r) => vec![("role", r.as_str().to_string())],
        };
        add_actors.push(Element {
            id: id.to_string(),
            with,
        });
    }
    let add_sources = args
        .add_source
        .iter()
        .map(|s| match s.split_once(':') {
            Some((id, loc)) if !loc.is_empty() => Element {
                id: id.to_string(),
                with: vec![("locator", loc.to_string())],
            },
            _ => Element {
                id: s.trim_end_matches(':').to_string(),
                with: Vec::new(),
            },
        })
        .collect();
    let mut add_related = Vec::new();
    for r in &args.add_relation {
        let Some((rel, event)) = r.split_once(':') else {
            return Err(format!("`--add-relation {r}`: write RELATION:EVENT"));
        };
        let rel = Relation::parse(rel).ok_or_else(|| {
            format!(
                "`{rel}` is not a relation: responds-to, follows, part-of, refers-to or contradicts"
            )
        })?;
        add_related.push(Element {
            id: event.to_string(),
            with: vec![("relation", rel.as_str().to_string())],
        });
    }
    let s = SetEvent {
        date: args.date.clone(),
        date_text: args.date_text.clone(),
        title: args.title.clone(),
        kind: args.kind.clone(),
        status: args.status.clone(),
        summary: args.summary.clone(),
        location: args.location.clone(),
        add_actors,
        remove_actors: args.remove_actor.clone(),
        add_sources,
        remove_sources: args.remove_source.clone(),
        add_tags: args.add_tag.clone(),
        remove_tags: args.remove_tag.clone(),
        add_related,
        remove_related: args.remove_relation.clone(),
    };
    if s.fields().is_empty() {
        return Err(
            "nothing to set: give at least one field flag (see `annals set --help`)".into(),
        );
    }
    Ok(s)
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let set = changes(args).map_err(CommandError::usage)?;
    let result = store_change(&ctx.dir, args.dry_run, |view| {
        let edits = set_event(view.record, view.texts, &args.id, &set)
            .map_err(|e| ChangeError::Refused(e.0))?;
        Ok((vec![edits], ()))
    });
    match result {
        Ok(done) => {
            let at = done.files.first().map(place).unwrap_or_default();
            let line = format!(
                "set {} of event `{}` at {at}",
                set.fields().join(", "),
                args.id
            );
            change::report(ctx, args.dry_run, &done, &line)
        }
        Err(e) => Err(change::fail(ctx, &e)),
    }
}
