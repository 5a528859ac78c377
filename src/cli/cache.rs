//! `annals cache clean`: removes the parse cache (src/cache/).

use super::Context;
use super::error::{CommandError, CommandResult};
use super::output;
use clap::{Args as ClapArgs, Subcommand};

#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Remove the cached parses of the record (of every record with
    /// --all). Safe at any time: the next command parses again.
    Clean {
        /// Every record's cache, not only this record's.
        #[arg(long)]
        all: bool,
    },
}

pub fn run(ctx: &Context, args: &Args, root: Option<&std::path::Path>) -> CommandResult {
    let Action::Clean { all } = args.action;
    let Some(root) = root else {
        return Err(CommandError::usage(
            "no cache folder: set --cache-dir, ANNALS_CACHE_DIR, XDG_CACHE_HOME or HOME",
        ));
    };
    let record = (!all).then_some(ctx.dir.as_path());
    match annals::cache::clean(root, record) {
        Ok(n) => {
            if !ctx.quiet {
                let whose = if all { "every record" } else { "this record" };
                output::println(&format!(
                    "removed {n} cache {} of {whose} from {}",
                    if n == 1 { "entry" } else { "entries" },
                    annals::render::escape::terminal(&root.display().to_string())
                ))?;
            }
            Ok(())
        }
        Err(e) => Err(CommandError::usage(format!(
            "cannot clean the cache in `{}`: {e}",
            root.display()
        ))),
    }
}
