//! `annals check`

use super::error::Kind;
use super::output::print;
use super::{CommandError, CommandResult, Context};
use annals::check::check_dir;
use annals::links;
use annals::render::diagnostics::{self, Style};
use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Also check every source's `url` and `archived` copy over HTTP (at
    /// most 8 at once; answers cached for a day in the user's cache
    /// directory). Network failures are notes, never a failed check.
    #[arg(long)]
    pub links: bool,

    /// --links: seconds to wait for each request.
    #[arg(long, value_name = "SECS", default_value_t = 10, requires = "links",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub link_timeout: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let mut checked = check_dir(&ctx.dir).map_err(|e| {
        CommandError::usage(format_args!(
            "cannot read the record directory `{}`: {e}",
            ctx.dir.display()
        ))
    })?;
    if args.links {
        let opts = links::Options {
            timeout: std::time::Duration::from_secs(args.link_timeout),
            ..links::Options::default()
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let cache = links::cache::default_path();
        let (diags, stats) = links::check(&checked.record, &opts, cache.as_deref(), now);
        eprintln!(
            "checked {} link{} ({} from the cache of the last day)",
            stats.urls,
            if stats.urls == 1 { "" } else { "s" },
            stats.cached
        );
        checked.diagnostics.extend(diags);
    }
    if !checked.diagnostics.is_empty() {
        // Rendering reads the files again for snippets and needs only their
        // names, so the items are freed first: their memory is reused for
        // the files read again and the report. Leaving them to the OS
        // instead saved a tenth of a second on 100,000 events but held
        // them beside the report: 176 MB instead of 146 MB for one 41 MB
        // file with 10,000 warnings (bench/single_file), over the 3x the
        // documentation promises. Memory wins; a clean record renders
        // nothing and frees nothing.
        let files = checked.record.files.clone();
        drop(std::mem::replace(
            &mut checked.record,
            annals::model::Record {
                files,
                ..Default::default()
            },
        ));
        annals::load::release_freed_memory();
    }
    let resolved = diagnostics::resolve(&checked.diagnostics, &checked.record.files);
    let summary = checked.summary();
    match args.format {
        Format::Human => {
            let text = diagnostics::human(&resolved, Style { color: ctx.color });
            print(&format!("{text}{summary}\n"))?;
        }
        Format::Json => {
            // After the JSON: a closed pipe ends the command before it.
            print(&diagnostics::json(&resolved))?;
            eprintln!("{summary}");
        }
    }
    let tally = checked.tally();
    let io_failed = checked.io_failed;
    // Freeing a large record item by item takes a tenth of a second; the
    // process is about to exit and the OS reclaims it all at once.
    std::mem::forget(checked);
    // The report above says what failed.
    if io_failed {
        Err(CommandError::exit(Kind::Usage))
    } else if tally.errors > 0 || (args.deny_warnings && tally.warnings > 0) {
        Err(CommandError::exit(Kind::Data))
    } else {
        Ok(())
    }
}
