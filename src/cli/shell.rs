//! `annals completions SHELL` and `annals man`: shell integration,
//! generated from the clap definitions so it always matches the flags.

use super::output::print;
use super::{Cli, EXIT_OK, usage_error};
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write a page for annals and one for each subcommand
    /// (annals.1, annals-query.1, ...) into this folder instead of
    /// printing annals(1).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Prints the completion script for the shell.
pub fn completions(args: &CompletionsArgs) -> i32 {
    let shell = match args.shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
        CompletionShell::Elvish => Shell::Elvish,
    };
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "annals", &mut out);
    match String::from_utf8(out) {
        Ok(text) => print(&text),
        Err(_) => usage_error("the completion script is not UTF-8"),
    }
}

/// Prints the man page, annals(1), in roff, or writes every page to a folder.
pub fn man(args: &ManArgs) -> i32 {
    let cmd = Cli::command();
    if let Some(dir) = &args.out_dir {
        if let Err(e) =
            std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir))
        {
            return usage_error(format_args!(
                "cannot write the man pages to `{}`: {e}",
                dir.display()
            ));
        }
        return EXIT_OK;
    }
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
        return usage_error(format_args!("cannot render the man page: {e}"));
    }
    match String::from_utf8(out) {
        Ok(text) => print(&text),
        Err(_) => usage_error("the man page is not UTF-8"),
    }
}
