//! `annals lsp`: the language server, on stdin and stdout.

use super::{Context, EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it (VS Code's clients do); the
    /// protocol always runs on stdin and stdout.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

pub fn run(ctx: &Context, _args: &Args) -> i32 {
    // `--dir` (default `events`) names the record when it exists; files
    // elsewhere belong to the record found above them.
    let dir = std::fs::canonicalize(&ctx.dir).ok().filter(|d| d.is_dir());
    match annals::lsp::run_stdio(dir) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {}", annals::render::escape::terminal(&e));
            EXIT_USAGE
        }
    }
}
