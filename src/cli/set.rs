//! `annals set ID --title ... --add-actor ...`: changes fields of one
//! event, actor or source where it stands (`store::set` computes the edits,
//! `store::change` checks and writes them). The id says which item; an id
//! that names items of two lists is told apart by the flags.

use super::change::{self, place};
use super::{CommandError, CommandResult, Context};
use annals::model::{ListKind, Record, Relation, Role};
use annals::store::change::{ChangeError, FileEdits, change as store_change};
use annals::store::rename::{RenameError, unknown};
use annals::store::set::{
    Element, SetActor, SetEvent, SetSource, set_actor, set_event, set_source,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The event's, actor's or source's id.
    pub id: String,
    /// An event's date, in EDTF (for a source: its `published` date).
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
    /// An actor's name.
    #[arg(long, help_heading = "Actors")]
    pub name: Option<String>,
    /// An actor's type (state, government, person, ...) or a source's
    /// (article, report, ...).
    #[arg(long = "type", help_heading = "Actors and sources")]
    pub item_type: Option<String>,
    /// An actor's country, ISO 3166-1 alpha-3 (`JPN`).
    #[arg(long, help_heading = "Actors")]
    pub country: Option<String>,
    /// Repeatable.
    #[arg(long = "add-alias", value_name = "NAME", help_heading = "Actors")]
    pub add_alias: Vec<String>,
    #[arg(long = "remove-alias", value_name = "NAME", help_heading = "Actors")]
    pub remove_alias: Vec<String>,
    /// An actor this one belongs to. Repeatable.
    #[arg(long = "add-member-of", value_name = "ID", help_heading = "Actors")]
    pub add_member_of: Vec<String>,
    #[arg(long = "remove-member-of", value_name = "ID", help_heading = "Actors")]
    pub remove_member_of: Vec<String>,
    /// An actor's or a source's note.
    #[arg(long, help_heading = "Actors and sources")]
    pub note: Option<String>,
    #[arg(long, help_heading = "Sources")]
    pub publisher: Option<String>,
    #[arg(long, help_heading = "Sources")]
    pub url: Option<String>,
    /// A source's publication date, in EDTF (`--date` says the same).
    #[arg(long, help_heading = "Sources")]
    pub published: Option<String>,
    /// When the source was read online, in EDTF.
    #[arg(long, help_heading = "Sources")]
    pub accessed: Option<String>,
    /// The URL of an archived copy.
    #[arg(long, help_heading = "Sources")]
    pub archived: Option<String>,
    /// The citation key.
    #[arg(long, help_heading = "Sources")]
    pub key: Option<String>,
    /// Repeatable.
    #[arg(long = "add-author", value_name = "NAME", help_heading = "Sources")]
    pub add_author: Vec<String>,
    #[arg(long = "remove-author", value_name = "NAME", help_heading = "Sources")]
    pub remove_author: Vec<String>,
    /// Print the diff that would be applied; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

fn event_changes(args: &Args) -> Result<SetEvent, String> {
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
    Ok(s)
}

fn actor_changes(args: &Args) -> SetActor {
    SetActor {
        name: args.name.clone(),
        actor_type: args.item_type.clone(),
        country: args.country.clone(),
        note: args.note.clone(),
        add_aliases: args.add_alias.clone(),
        remove_aliases: args.remove_alias.clone(),
        add_member_of: args.add_member_of.clone(),
        remove_member_of: args.remove_member_of.clone(),
    }
}

fn source_changes(args: &Args) -> Result<SetSource, String> {
    if args.date.is_some() && args.published.is_some() {
        return Err("give a source's date once: `--date` and `--published` say the same".into());
    }
    Ok(SetSource {
        title: args.title.clone(),
        publisher: args.publisher.clone(),
        url: args.url.clone(),
        published: args.published.clone().or_else(|| args.date.clone()),
        accessed: args.accessed.clone(),
        archived: args.archived.clone(),
        key: args.key.clone(),
        source_type: args.item_type.clone(),
        note: args.note.clone(),
        add_authors: args.add_author.clone(),
        remove_authors: args.remove_author.clone(),
    })
}

/// The flags given, by the item kinds they apply to.
struct Given {
    event: Vec<&'static str>,
    actor: Vec<&'static str>,
    source: Vec<&'static str>,
}

impl Given {
    fn of(args: &Args) -> Given {
        let some = |b: bool, name: &'static str| b.then_some(name);
        let event = [
            some(args.date.is_some(), "--date"),
            some(args.date_text.is_some(), "--date-text"),
            some(args.title.is_some(), "--title"),
            some(args.kind.is_some(), "--kind"),
            some(args.status.is_some(), "--status"),
            some(args.summary.is_some(), "--summary"),
            some(args.location.is_some(), "--location"),
            some(!args.add_actor.is_empty(), "--add-actor"),
            some(!args.remove_actor.is_empty(), "--remove-actor"),
            some(!args.add_source.is_empty(), "--add-source"),
            some(!args.remove_source.is_empty(), "--remove-source"),
            some(!args.add_tag.is_empty(), "--add-tag"),
            some(!args.remove_tag.is_empty(), "--remove-tag"),
            some(!args.add_relation.is_empty(), "--add-relation"),
            some(!args.remove_relation.is_empty(), "--remove-relation"),
        ];
        let actor = [
            some(args.name.is_some(), "--name"),
            some(args.item_type.is_some(), "--type"),
            some(args.country.is_some(), "--country"),
            some(args.note.is_some(), "--note"),
            some(!args.add_alias.is_empty(), "--add-alias"),
            some(!args.remove_alias.is_empty(), "--remove-alias"),
            some(!args.add_member_of.is_empty(), "--add-member-of"),
            some(!args.remove_member_of.is_empty(), "--remove-member-of"),
        ];
        let source = [
            some(args.title.is_some(), "--title"),
            some(args.date.is_some(), "--date"),
            some(args.published.is_some(), "--published"),
            some(args.publisher.is_some(), "--publisher"),
            some(args.url.is_some(), "--url"),
            some(args.accessed.is_some(), "--accessed"),
            some(args.archived.is_some(), "--archived"),
            some(args.key.is_some(), "--key"),
            some(args.item_type.is_some(), "--type"),
            some(args.note.is_some(), "--note"),
            some(!args.add_author.is_empty(), "--add-author"),
            some(!args.remove_author.is_empty(), "--remove-author"),
        ];
        let keep = |v: &[Option<&'static str>]| v.iter().flatten().copied().collect();
        Given {
            event: keep(&event),
            actor: keep(&actor),
            source: keep(&source),
        }
    }

    fn of_kind(&self, kind: ListKind) -> &[&'static str] {
        match kind {
            ListKind::Events => &self.event,
            ListKind::Actors => &self.actor,
            _ => &self.source,
        }
    }

    fn all(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self
            .event
            .iter()
            .chain(&self.actor)
            .chain(&self.source)
            .copied()
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// "an event", "a source".
fn a(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// Which list the item is in: the one that has the id; when several do,
/// the one every flag given applies to.
fn which(record: &Record, id: &str, given: &Given) -> Result<ListKind, RenameError> {
    let lists = [ListKind::Events, ListKind::Actors, ListKind::Sources];
    let has: Vec<ListKind> = lists
        .into_iter()
        .filter(|&l| annals::store::rename::ids(record, l).contains(&id))
        .collect();
    let all = given.all();
    let fits = |l: ListKind| all.iter().all(|f| given.of_kind(l).contains(f));
    let kind = match has.as_slice() {
        [] => {
            // Said as the flags' kind would say it: "no actor `x`; did you
            // mean ...".
            let guess = lists
                .into_iter()
                .find(|&l| fits(l))
                .unwrap_or(ListKind::Events);
            return Err(RenameError(unknown(record, guess, id)));
        }
        [one] => *one,
        several => match several
            .iter()
            .copied()
            .filter(|&l| fits(l))
            .collect::<Vec<_>>()[..]
        {
            [one] => one,
            _ => {
                let nouns: Vec<String> = several.iter().map(|l| a(l.noun())).collect();
                return Err(RenameError(format!(
                    "`{id}` is the id of {}; give flags that only one of them takes",
                    nouns.join(" and of ")
                )));
            }
        },
    };
    let wrong: Vec<&str> = all
        .iter()
        .filter(|f| !given.of_kind(kind).contains(f))
        .copied()
        .collect();
    if !wrong.is_empty() {
        return Err(RenameError(format!(
            "`{id}` is {}, which has no {}",
            a(kind.noun()),
            wrong.join(", ")
        )));
    }
    Ok(kind)
}
pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let given = Given::of(args);
    if given.all().is_empty() {
        return Err(CommandError::usage(
            "nothing to set: give at least one field flag (see `annals set --help`)",
        ));
    }
    let (event, source) = match (event_changes(args), source_changes(args)) {
        (Ok(e), Ok(s)) => (e, s),
        (Err(m), _) | (_, Err(m)) => return Err(CommandError::usage(m)),
    };
    let actor = actor_changes(args);
    let result = store_change(&ctx.dir, args.dry_run, |view| {
        let refused = |e: RenameError| ChangeError::Refused(e.0);
        let kind = which(view.record, &args.id, &given).map_err(refused)?;
        let (edits, fields): (FileEdits, Vec<&'static str>) = match kind {
            ListKind::Events => (
                set_event(view.record, view.texts, &args.id, &event).map_err(refused)?,
                event.fields(),
            ),
            ListKind::Actors => (
                set_actor(view.record, view.texts, &args.id, &actor).map_err(refused)?,
                actor.fields(),
            ),
            _ => (
                set_source(view.record, view.texts, &args.id, &source).map_err(refused)?,
                source.fields(),
            ),
        };
        Ok((vec![edits], (kind, fields)))
    });
    match result {
        Ok(done) => {
            let at = done.files.first().map(place).unwrap_or_default();
            let (kind, fields) = &done.extra;
            let line = format!(
                "set {} of {} `{}` at {at}",
                fields.join(", "),
                kind.noun(),
                args.id
            );
            change::report(ctx, args.dry_run, &done, &line)
        }
        Err(e) => Err(change::fail(ctx, &e)),
    }
}
