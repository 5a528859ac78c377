//! `annals completions SHELL` and `annals man`: shell integration,
//! generated from the clap definitions so it always matches the flags.

use super::output::print;
use super::{Cli, CommandError, CommandResult};
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
pub fn completions(args: &CompletionsArgs) -> CommandResult {
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
        Err(_) => Err(CommandError::usage("the completion script is not UTF-8")),
    }
}

/// Prints the man page, annals(1), in roff, or writes every page to a folder.
pub fn man(args: &ManArgs) -> CommandResult {
    let cmd = Cli::command();
    if let Some(dir) = &args.out_dir {
        return std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(cmd, dir))
            .map_err(|e| {
                CommandError::usage(format_args!(
                    "cannot write the man pages to `{}`: {e}",
                    dir.display()
                ))
            });
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| CommandError::usage(format_args!("cannot render the man page: {e}")))?;
    match String::from_utf8(out) {
        Ok(text) => print(&text),
        Err(_) => Err(CommandError::usage("the man page is not UTF-8")),
    }
}
