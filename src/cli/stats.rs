//! `annals stats`: counts of events per group and bin, each a
//! certain–possible pair (see `annals::count`).

use super::common::{compile, load_clean};
use super::filters::FilterArgs;
use super::keyword::keyword_of;
use super::output::print;
use super::{CommandError, CommandResult, Context};
use annals::chart::Bin;
use annals::count::groups::{By, Grouper};
use annals::count::table::{count, window};
use annals::model::{Event, Record, Status};
use annals::query::{ActorNames, Query};
use annals::render::stats;
use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Group by: kind, actor, country, initiator, target, dyad (initiator →
    /// target), status or tag. Repeat for every combination of several.
    #[arg(long = "by", value_name = "BY", value_parser = by_value)]
    pub by: Vec<By>,

    /// Count per calendar bin (default: over the whole window only).
    #[arg(long, value_parser = keyword_of::<Bin>(&["week", "month", "quarter", "year"]))]
    pub bin: Option<Bin>,

    /// Output format: cells `certain–possible` in table and md, both numbers
    /// as columns in csv and json (schema in docs/output.md).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn by_value(s: &str) -> Result<By, String> {
    By::parse(s).ok_or_else(|| annals::keyword::not_one_of::<By>(s))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns.
    Table,
    /// A Markdown table.
    Md,
    /// Long CSV: one line per group and bin.
    Csv,
    /// One JSON object.
    Json,
}

/// Cancelled events are left out unless --status asks for them, and
/// scheduled ones counted only with --status scheduled: neither happened.
pub fn default_statuses(query: &mut Query) {
    if query.statuses.is_empty() {
        query.statuses = vec![Status::Occurred, Status::Reported];
    }
}

/// With --members, the positions of the --actor actors, whose members are
/// counted as them.
pub fn fold_targets(query: &Query, record: &Record) -> Vec<usize> {
    if !query.members {
        return Vec::new();
    }
    let names = ActorNames::new(record);
    // Unknown names were refused when the query compiled.
    query
        .actors
        .iter()
        .filter_map(|a| names.resolve(a).ok())
        .collect()
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let mut query = args.filters.to_query().map_err(CommandError::usage)?;
    let mut seen: Vec<&str> = Vec::new();
    for b in &args.by {
        for c in b.columns() {
            if seen.contains(c) {
                return Err(CommandError::usage(format_args!(
                    "--by {}: the column `{c}` is already there; give each of initiator, target and dyad at most once, and not dyad with either of the others",
                    b.as_str()
                )));
            }
            seen.push(c);
        }
    }
    default_statuses(&mut query);
    let record = &load_clean(ctx)?.record;
    let filter = compile(&query, record)?;
    // Counting needs no order: the timeline sort `select` does would be
    // the largest cost after loading on a big record.
    let events: Vec<&Event> = record.events.iter().filter(|e| filter.matches(e)).collect();
    let bin = args.bin;
    let from = query.from.as_ref().and_then(|d| d.earliest());
    let to = query.to.as_ref().and_then(|d| d.latest());
    let grouper = Grouper::new(record, &args.by, &fold_targets(&query, record));
    let table = count(&events, &grouper, window(&events, from, to, bin), bin)
        .map_err(CommandError::usage)?;
    let text = match args.format {
        Format::Table => stats::text(&table, &args.by),
        Format::Md => stats::md(&table, &args.by),
        Format::Csv => stats::csv(&table, &args.by),
        Format::Json => stats::json(&table, &args.by),
    };
    print(&text)
}
