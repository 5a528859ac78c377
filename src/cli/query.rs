//! `annals query`: the events that answer the filters, in one of several
//! formats.

use super::common::select_events;
use super::filters::FilterArgs;
use super::output::{for_stdout, print, table_width};
use super::{CommandError, CommandResult, Context};
use annals::render::table::{Column, TableStyle};
use annals::render::{markdown, positions, records, table};
use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Output format. The table fits a terminal's width; piped, it is
    /// written in full, without colour.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Table: the columns to show, in order, from date, kind, title, id,
    /// actors, location [default: date,kind,title,id; to fit a terminal
    /// the id is left out first, and the title cut last].
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_column)]
    pub columns: Vec<Column>,
}

fn parse_column(s: &str) -> Result<Column, String> {
    Column::parse(s).ok_or_else(|| annals::keyword::not_a::<Column>(s))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns: date, id, kind, title.
    Table,
    /// A Markdown table.
    Md,
    /// A JSON array of events (schema in docs/output.md).
    Json,
    /// One JSON object per line.
    Ndjson,
    /// CSV with a header row.
    Csv,
    /// One event id per line.
    Ids,
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let query = args.filters.to_query().map_err(CommandError::usage)?;
    if !args.columns.is_empty() && args.format != Format::Table {
        return Err(CommandError::usage(
            "--columns applies to the table (--format table)",
        ));
    }
    let (record, events) = select_events(ctx, &query)?;
    let text = match args.format {
        Format::Ids => {
            let mut s = String::with_capacity(events.len() * 24);
            for e in &events {
                s.push_str(&e.id);
                s.push('\n');
            }
            s
        }
        Format::Table => {
            let columns = if args.columns.is_empty() {
                &Column::DEFAULT[..]
            } else {
                &args.columns[..]
            };
            table::events(record, &events, columns).render(TableStyle {
                width: table_width(),
                color: ctx.color,
            })
        }
        Format::Md => markdown::events(record, &events),
        Format::Json | Format::Ndjson | Format::Csv => {
            let lines = positions::event_lines(record, &events);
            let rows = records::rows(record, &events, &lines);
            for_stdout(match args.format {
                Format::Json => records::json(&rows),
                Format::Ndjson => records::ndjson(&rows),
                _ => records::csv(&rows),
            })
        }
    };
    print(&text)
}
