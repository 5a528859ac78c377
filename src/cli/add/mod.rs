//! `annals add event|actor|source`: flags to drafts, prompts for what is
//! missing on a terminal, then `store::add` does the checking and writing.

mod prompt;
mod resolve;

use super::error::Kind;
use super::output::{print, println};
use super::{CommandError, CommandResult, Context};
use annals::model::{ActorRef, ActorType, Record, Related, Relation, Role, Status};
use annals::render::diagnostics::{self, Style};
use annals::render::escape::terminal;
use annals::store::draft::{ActorDraft, Draft, EventDraft, SourceCite, SourceDraft};
use annals::store::{self, AddError, Outcome, Request};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Append an event.
    Event(Box<EventArgs>),
    /// Append an actor.
    Actor(ActorArgs),
    /// Append a source.
    Source(SourceArgs),
}

/// Flags every `add` takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// The file to append to, relative to the record directory (created if
    /// it does not exist).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// The id; by default a slug of the title or name, made unique.
    #[arg(long)]
    pub id: Option<String>,

    /// Check and print the diff that would be applied; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct EventArgs {
    #[command(flatten)]
    pub common: Common,
    /// The date, in EDTF (`2024-01-06`, `2024-02~`, `[2024-02-01..2024-02-10]`).
    #[arg(long)]
    pub date: Option<String>,
    /// The source's own words for the date ("early February").
    #[arg(long)]
    pub date_text: Option<String>,
    /// A built-in or declared kind.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub summary: Option<String>,
    /// occurred (default), reported, scheduled or cancelled.
    #[arg(long)]
    pub status: Option<String>,
    /// An actor id, name or alias, with an optional role:
    /// `kishida-fumio:target`, `"Kim Jong Un:initiator"`. Repeatable.
    #[arg(long = "actor", value_name = "ACTOR[:ROLE]")]
    pub actors: Vec<String>,
    /// A source id, or the URL of a new source (see --source-title), with
    /// an optional locator after the first colon: `aca-chronology:p. 5`.
    /// Repeatable.
    #[arg(long = "source", value_name = "ID|URL[:LOCATOR]")]
    pub sources: Vec<String>,
    /// A quote: `BY: text`, BY an actor id, name or alias. Repeatable.
    #[arg(long = "quote", value_name = "BY: TEXT")]
    pub quotes: Vec<String>,
    /// The id of the new source a URL --source adds (default: a slug of
    /// its title).
    #[arg(long)]
    pub source_id: Option<String>,
    /// The file the new source a URL --source adds goes to (default: the
    /// file with most of the record's sources, else the event's file).
    #[arg(long, value_name = "FILE")]
    pub source_file: Option<PathBuf>,
    /// Title of the new source a URL --source adds.
    #[arg(long)]
    pub source_title: Option<String>,
    /// Publisher of the new source a URL --source adds.
    #[arg(long)]
    pub source_publisher: Option<String>,
    /// Publication date of the new source a URL --source adds.
    #[arg(long)]
    pub source_published: Option<String>,
    /// Repeatable.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    #[arg(long)]
    pub location: Option<String>,
    /// A related event: `ID:RELATION`, e.g. `noto-earthquake:responds-to`. Repeatable.
    #[arg(long = "related", value_name = "ID:RELATION")]
    pub related: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ActorArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long)]
    pub name: Option<String>,
    /// person, state, government, organization, party, media, group or other.
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-3 code, e.g. JPN.
    #[arg(long)]
    pub country: Option<String>,
    /// Repeatable.
    #[arg(long = "alias")]
    pub aliases: Vec<String>,
    /// An actor id this one belongs to. Repeatable.
    #[arg(long = "member-of")]
    pub member_of: Vec<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct SourceArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub publisher: Option<String>,
    /// Repeatable.
    #[arg(long = "author")]
    pub authors: Vec<String>,
    #[arg(long)]
    pub url: Option<String>,
    #[arg(long)]
    pub published: Option<String>,
    #[arg(long)]
    pub accessed: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

/// A flag-level mistake: the message, for exit code 2.
type Bad = String;

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let (common, missing) = match &args.what {
        What::Event(a) => (&a.common, missing_event(a)),
        What::Actor(a) => (&a.common, missing_actor(a)),
        What::Source(a) => (&a.common, missing_source(a)),
    };
    if missing.is_empty()
        && let What::Event(a) = &args.what
        && !a.sources.iter().any(|s| is_url(s))
    {
        // No new source, so one file: the store resolves the names under
        // its lock, against the record it loads anyway (one load, not two).
        let request = Request {
            dir: ctx.dir.clone(),
            file: a.common.file.clone().unwrap_or_default(),
            drafts: Vec::new(),
            dry_run: a.common.dry_run,
        };
        let resolve = |record: &Record| event_draft(a, record).map(|d| vec![d]);
        return finish_resolving(ctx, &request, Some(&resolve));
    }
    let request = if missing.is_empty() {
        from_flags(ctx, &args.what).map(Some)
    } else if interactive {
        prompt::ask(ctx, &args.what)
    } else {
        Err(format!(
            "missing {}; give them as flags, or run `annals add` on a terminal to be asked",
            missing.join(", ")
        ))
    };
    let request = match request {
        Ok(Some(r)) => r,
        Ok(None) => {
            eprintln!("nothing was written");
            return Err(CommandError::exit(Kind::Data));
        }
        Err(msg) => return Err(CommandError::usage(msg)),
    };
    let _ = common;
    if let What::Event(a) = &args.what
        && let Some(result) = split(ctx, &request, a.source_file.as_ref())
    {
        return result;
    }
    finish(ctx, &request)
}

/// When the event brings a new source and the record keeps its sources in
/// another file (or `--source-file` names one), writes the source there and
/// the event to its file, all or nothing; `None` when it all goes to one
/// file (then `finish`).
fn split(ctx: &Context, request: &Request, given: Option<&PathBuf>) -> Option<CommandResult> {
    let brings_source = request.drafts.iter().any(|d| {
        matches!(d, Draft::Event(e) if e.sources.iter().any(|s| matches!(s, SourceCite::New(_))))
    });
    if !brings_source {
        return None;
    }
    let target = match given {
        Some(f) => f.clone(),
        None => {
            let record = annals::load::load_dir(&ctx.dir).ok()?.record;
            let f = resolve::sources_file(&record)?;
            f.strip_prefix(&ctx.dir).map(PathBuf::from).unwrap_or(f)
        }
    };
    let same = |a: &PathBuf, b: &PathBuf| {
        store::target_path(&ctx.dir, a).ok() == store::target_path(&ctx.dir, b).ok()
    };
    // The event's file may not exist yet: the split path creates it.
    if same(&target, &request.file) {
        return None;
    }
    let result = annals::store::add_split::add_split(
        &ctx.dir,
        &request.file,
        &target,
        &request.drafts,
        request.dry_run,
    );
    Some(match result {
        Ok(done) => {
            let lines: Vec<String> = done
                .extra
                .iter()
                .map(|(item, path)| {
                    format!(
                        "added {} `{}` to {}",
                        item.list.noun(),
                        item.id,
                        diagnostics::display_path(path)
                    )
                })
                .collect();
            super::change::report(ctx, request.dry_run, &done, &lines.join("\n"))
        }
        Err(e) => Err(super::change::fail(ctx, &e)),
    })
}

/// Runs the request and reports.
pub fn finish(ctx: &Context, request: &Request) -> CommandResult {
    finish_resolving(ctx, request, None)
}

/// [`finish`], the drafts made by `resolve` (see [`store::add_resolving`]).
fn finish_resolving(
    ctx: &Context,
    request: &Request,
    resolve: Option<store::Resolve<'_>>,
) -> CommandResult {
    match store::add_resolving(request, resolve) {
        Ok(outcome) => report(ctx, request, &outcome),
        Err(e) => Err(fail(ctx, &e)),
    }
}

fn report(ctx: &Context, request: &Request, outcome: &Outcome) -> CommandResult {
    show_warnings(ctx, &outcome.warnings);
    let file = diagnostics::display_path(&outcome.path);
    if request.dry_run {
        print(&terminal(&outcome.diff))?;
        eprintln!("dry run: nothing was written to `{}`", terminal(&file));
        return Ok(());
    }
    for (item, line) in outcome.items.iter().zip(&outcome.lines) {
        let at = line.map_or(file.clone(), |l| format!("{file}:{l}"));
        println(&format!(
            "added {} `{}` to {}",
            item.list.noun(),
            terminal(&item.id),
            terminal(&at)
        ))?;
    }
    Ok(())
}

/// The YAML written for each item, each under a comment naming its list.
pub fn preview(outcome: &Outcome) -> String {
    let file = diagnostics::display_path(&outcome.path);
    let mut out = String::new();
    for (item, text) in outcome.items.iter().zip(&outcome.written) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("# {}: in {file}\n{text}\n", item.list.key()));
    }
    out.trim_end().to_string()
}

pub fn show_warnings(ctx: &Context, warnings: &[diagnostics::Resolved]) {
    if !warnings.is_empty() {
        let style = Style {
            color: ctx.stderr_color,
        };
        eprint!("{}", diagnostics::human(warnings, style));
    }
}

/// Why nothing was added, as the command's error.
pub fn fail(ctx: &Context, e: &AddError) -> CommandError {
    match e {
        AddError::Invalid(rejected) => {
            let style = Style {
                color: ctx.stderr_color,
            };
            CommandError::data("nothing was written: the record would have the problems above")
                .with_detail(diagnostics::human(&rejected.diagnostics, style))
        }
        AddError::File { .. } => CommandError::data(e),
        AddError::Request(_)
        | AddError::Io { .. }
        | AddError::Changed { .. }
        | AddError::ReadBack { .. } => CommandError::usage(e),
    }
}

fn missing_event(a: &EventArgs) -> Vec<&'static str> {
    let mut m = Vec::new();
    if a.common.file.is_none() {
        m.push("--file");
    }
    if a.date.is_none() {
        m.push("--date");
    }
    if a.kind.is_none() {
        m.push("--kind");
    }
    if a.title.is_none() {
        m.push("--title");
    }
    if a.actors.is_empty() {
        m.push("--actor");
    }
    if a.sources.is_empty() {
        m.push("--source");
    }
    if a.sources.iter().any(|s| is_url(s)) {
        if a.source_title.is_none() {
            m.push("--source-title");
        }
        if a.source_publisher.is_none() {
            m.push("--source-publisher");
        }
    }
    m
}

fn missing_actor(a: &ActorArgs) -> Vec<&'static str> {
    let mut m = Vec::new();
    if a.common.file.is_none() {
        m.push("--file");
    }
    if a.name.is_none() {
        m.push("--name");
    }
    if a.kind.is_none() {
        m.push("--type");
    }
    m
}

fn missing_source(a: &SourceArgs) -> Vec<&'static str> {
    let mut m = Vec::new();
    if a.common.file.is_none() {
        m.push("--file");
    }
    if a.title.is_none() {
        m.push("--title");
    }
    if a.publisher.is_none() {
        m.push("--publisher");
    }
    m
}

pub fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// `id` or `id:role`.
pub fn parse_actor(s: &str) -> Result<ActorRef, Bad> {
    let (actor, role) = match s.split_once(':') {
        Some((a, r)) => {
            let role = Role::parse(r).ok_or_else(|| {
                format!(
                    "unknown role `{r}` in `{s}`; expected one of {}",
                    Role::NAMES.join(", ")
                )
            })?;
            (a, role)
        }
        None => (s, Role::Participant),
    };
    Ok(ActorRef {
        actor: actor.into(),
        role,
    })
}

/// `id:relation`.
pub fn parse_related(s: &str) -> Result<Related, Bad> {
    let Some((event, r)) = s.split_once(':') else {
        return Err(format!(
            "`{s}` needs a relation: `ID:RELATION`, with one of {}",
            Relation::NAMES.join(", ")
        ));
    };
    let relation = Relation::parse(r).ok_or_else(|| {
        format!(
            "unknown relation `{r}` in `{s}`; expected one of {}",
            Relation::NAMES.join(", ")
        )
    })?;
    Ok(Related {
        event: event.into(),
        relation,
    })
}

pub fn parse_status(s: &str) -> Result<Status, Bad> {
    Status::parse(s).ok_or_else(|| {
        format!(
            "unknown status `{s}`; expected one of {}",
            Status::NAMES.join(", ")
        )
    })
}

pub fn parse_type(s: &str) -> Result<ActorType, Bad> {
    ActorType::parse(s).ok_or_else(|| {
        format!(
            "unknown actor type `{s}`; expected one of {}",
            ActorType::NAMES.join(", ")
        )
    })
}

fn from_flags(ctx: &Context, what: &What) -> Result<Request, Bad> {
    let (common, draft) = match what {
        What::Event(a) => {
            // A URL --source: whether the record has it decides where the
            // new source goes (`split`), before the store is called.
            let record = annals::load::load_dir(&ctx.dir)
                .map(|l| l.record)
                .unwrap_or_default();
            (&a.common, event_draft(a, &record)?)
        }
        What::Actor(a) => (
            &a.common,
            Draft::Actor(ActorDraft {
                id: a.common.id.clone(),
                name: a.name.clone().unwrap_or_default(),
                kind: parse_type(a.kind.as_deref().unwrap_or_default())?,
                country: a.country.clone(),
                aliases: a.aliases.clone(),
                member_of: a.member_of.clone(),
                note: a.note.clone(),
            }),
        ),
        What::Source(a) => (
            &a.common,
            Draft::Source(SourceDraft {
                id: a.common.id.clone(),
                title: a.title.clone().unwrap_or_default(),
                publisher: a.publisher.clone().unwrap_or_default(),
                authors: a.authors.clone(),
                url: a.url.clone(),
                published: a.published.clone(),
                accessed: a.accessed.clone(),
                note: a.note.clone(),
            }),
        ),
    };
    Ok(Request {
        dir: ctx.dir.clone(),
        file: common.file.clone().unwrap_or_default(),
        drafts: vec![draft],
        dry_run: common.dry_run,
    })
}

/// The event draft `add event`'s flags give, names resolved against `record`.
fn event_draft(a: &EventArgs, record: &Record) -> Result<Draft, Bad> {
    let cited: Vec<resolve::Cited> = a
        .sources
        .iter()
        .map(|s| resolve::source(record, s, is_url(s)))
        .collect();
    let urls = cited
        .iter()
        .filter(|c| matches!(c, resolve::Cited::NewUrl(_)))
        .count();
    if urls > 1 {
        return Err(
            "only one --source may be a URL when the new source is given by flags; add the others with `annals add source` first".into(),
        );
    }
    let sources = cited
        .into_iter()
        .map(|c| match c {
            resolve::Cited::NewUrl(url) => SourceCite::New(SourceDraft {
                id: a.source_id.clone(),
                title: a.source_title.clone().unwrap_or_default(),
                publisher: a.source_publisher.clone().unwrap_or_default(),
                url: Some(url),
                published: a.source_published.clone(),
                ..Default::default()
            }),
            resolve::Cited::Cite(c) => c,
        })
        .collect();
    Ok(Draft::Event(EventDraft {
        id: a.common.id.clone(),
        date: a.date.clone().unwrap_or_default(),
        date_text: a.date_text.clone(),
        kind: a.kind.clone().unwrap_or_default(),
        title: a.title.clone().unwrap_or_default(),
        summary: a.summary.clone(),
        status: a.status.as_deref().map(parse_status).transpose()?,
        actors: a
            .actors
            .iter()
            .map(|s| resolve::actor(record, s))
            .collect::<Result<_, _>>()?,
        location: a.location.clone(),
        tags: a.tags.clone(),
        related: a
            .related
            .iter()
            .map(|s| parse_related(s))
            .collect::<Result<_, _>>()?,
        quotes: a
            .quotes
            .iter()
            .map(|q| resolve::quote(record, q))
            .collect::<Result<_, _>>()?,
        sources,
    }))
}
