//! `annals lsp`: the language server, on stdin and stdout.

use super::{CommandError, CommandResult, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it (VS Code's clients do); the
    /// protocol always runs on stdin and stdout.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

pub fn run(ctx: &Context, _args: &Args) -> CommandResult {
    // `--dir` (default `events`) names the record when it exists; files
    // elsewhere belong to the record found above them.
    let dir = std::fs::canonicalize(&ctx.dir).ok().filter(|d| d.is_dir());
    annals::lsp::run_stdio(dir).map_err(CommandError::usage)
}
