//! `annals actors`: every actor with its type, country, memberships, event
//! count, and first and last event day.

use super::common::load_clean;
use super::output::{for_stdout, print, table_width};
use super::{CommandResult, Context};
use annals::render::actors;
use annals::render::table::TableStyle;
use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, fitted to a terminal.
    Table,
    /// A Markdown table.
    Md,
    /// A JSON array (schema in docs/output.md).
    Json,
    /// CSV with a header row.
    Csv,
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let checked = load_clean(ctx)?;
    let rows = actors::rows(&checked.record);
    let text = match args.format {
        Format::Table => actors::table(&rows).render(TableStyle {
            width: table_width(),
            color: ctx.color,
        }),
        Format::Md => actors::markdown(&rows),
        Format::Json => for_stdout(actors::json(&rows)),
        Format::Csv => for_stdout(actors::csv(&rows)),
    };
    print(&text)
}
