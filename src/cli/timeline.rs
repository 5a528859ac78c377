//! `annals timeline`: the selected events under year and month headings.

use super::common::select_events;
use super::error::write_error;
use super::filters::FilterArgs;
use super::output::{print_with, write_output_with};
use super::{CommandError, CommandResult, Context};
use annals::render::timeline;
use clap::ValueEnum;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Output format [default: from the -o file's extension (.md, .html),
    /// else text].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Markdown: cite sources as pandoc citations (`[@key, para. 3]`) for
    /// `pandoc --citeproc` with the bibliography of `annals export
    /// --format csl-json` or `bibtex` (docs/citations.md).
    #[arg(long, value_enum, value_name = "STYLE")]
    pub cite: Option<CiteStyle>,

    /// The heading (and the HTML page's title) [default: Timeline].
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiteStyle {
    /// Pandoc citations.
    Pandoc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text.
    Text,
    /// Markdown, with sources as links.
    Md,
    /// One self-contained HTML file, no script, no external assets.
    Html,
}

impl Format {
    fn from_path(p: &Path) -> Option<Self> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Md),
            "html" | "htm" => Some(Format::Html),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let query = args.filters.to_query().map_err(CommandError::usage)?;
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Text);
    if args.cite.is_some() && format != Format::Md {
        return Err(CommandError::usage("--cite pandoc needs --format md"));
    }
    let (record, events) = select_events(ctx, &query)?;
    let mut tl = timeline::build(record, &events);
    if let Some(t) = &args.title {
        tl.title.clone_from(t);
    }
    // Written as it is rendered: a large record's timeline is never held
    // whole in memory.
    let mut write = |out: &mut dyn std::io::Write| match format {
        Format::Text => timeline::write_text(&tl, out),
        Format::Md => {
            let cite = match args.cite {
                Some(CiteStyle::Pandoc) => timeline::Cite::Pandoc,
                None => timeline::Cite::Links,
            };
            timeline::write_markdown(&tl, cite, out)
        }
        Format::Html => timeline::write_html(&tl, out),
    };
    match &args.output {
        None => print_with(&mut write),
        Some(path) => write_output_with(path, &mut write).map_err(|e| write_error(path, &e)),
    }
}
