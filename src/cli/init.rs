//! `annals init [DIR]`: starts a record: `actors.yaml`, `sources.yaml` and
//! `events.yaml`, each with a commented example, and
//! `annals.schema.json` beside them so editors validate the files outside
//! this repository too. Refuses a directory that is not empty.

use super::output::{print, println};
use super::{CommandError, CommandResult, Context};
use annals::render::escape::terminal;
use std::fs;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The directory to start the record in (default: `--dir`, `events`).
    #[arg(value_name = "DIR")]
    pub target: Option<PathBuf>,
    /// Print the files that would be written, as a diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

const HEADER: &str = "# yaml-language-server: $schema=annals.schema.json\n";

const ACTORS: &str = "# The people, states, governments and organisations of the record.
# An id is a short slug; events name actors by it. Example:
#
#   - id: kim-jong-un
#     name: Kim Jong Un
#     type: person          # person, state, government, organization, party, media, group, other
#     country: PRK          # ISO 3166-1 alpha-3
#     aliases: [Kim Jong-un]
#     member_of: [dprk-government]
actors: []
";

const SOURCES: &str = "# Where the record's events are reported. Example:
#
#   - id: kcna-2018-06-13
#     title: Historic first DPRK-U.S. summit
#     publisher: KCNA
#     published: 2018-06-13
#     url: https://example.org/kcna-2018-06-13
sources: []
";

const EVENTS: &str =
    "# The events, each dated in EDTF (2018-06-12, 2018-06~, [2018-06-10..2018-06-12]).
# Example:
#
#   - id: singapore-summit
#     date: 2018-06-12
#     kind: summit
#     title: Kim and Trump meet in Singapore
#     actors:
#       - kim-jong-un
#       - {actor: donald-trump, role: participant}
#     sources:
#       - {source: kcna-2018-06-13, locator: para. 2}
#
# Add one with `annals add event`, check with `annals check`.
events: []
";

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let dir = args.target.clone().unwrap_or_else(|| ctx.dir.clone());
    match fs::read_dir(&dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(CommandError::usage(format_args!(
                    "`{}` is not empty; `annals init` starts a record only in a new or empty directory",
                    dir.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !args.dry_run {
                fs::create_dir_all(&dir).map_err(|e| {
                    CommandError::usage(format_args!("cannot create `{}`: {e}", dir.display()))
                })?;
            }
        }
        Err(e) => {
            return Err(CommandError::usage(format_args!(
                "`{}`: {e}",
                dir.display()
            )));
        }
    }
    let files = [
        ("actors.yaml", format!("{HEADER}{ACTORS}")),
        ("sources.yaml", format!("{HEADER}{SOURCES}")),
        ("events.yaml", format!("{HEADER}{EVENTS}")),
        ("annals.schema.json", annals::schema::json()),
    ];
    if args.dry_run {
        for (name, text) in &files[..3] {
            let path = dir.join(name).display().to_string();
            let diff = annals::store::diff::unified(
                &path,
                "",
                text,
                &[annals::store::edit::Edit::insert(0, text.clone())],
            );
            print(&terminal(&diff))?;
        }
        eprintln!(
            "dry run: nothing was written (would start a record in {} with annals.schema.json beside it)",
            terminal(&dir.display().to_string())
        );
        return Ok(());
    }
    for (name, text) in &files {
        let path = dir.join(name);
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        written.map_err(|e| {
            CommandError::usage(format_args!("cannot write `{}`: {e}", path.display()))
        })?;
    }
    let hint = if dir == ctx.dir {
        String::new()
    } else {
        format!(" (use `--dir {}`)", dir.display())
    };
    println(&terminal(&format!(
        "started a record in {}: actors.yaml, sources.yaml, events.yaml, annals.schema.json{hint}",
        dir.display()
    )))
}

/// The hint for a command run where the record files are but `DIR` is
/// not: `annals check` in a folder of YAML files without `events/`.
pub fn dir_hint(dir: &std::path::Path) -> Option<String> {
    if dir.exists() {
        return None;
    }
    let here = fs::read_dir(".").ok()?;
    let has_yaml = here.filter_map(Result::ok).any(|e| {
        let n = e.file_name();
        let n = n.to_string_lossy();
        n.ends_with(".yaml") || n.ends_with(".yml")
    });
    has_yaml.then(|| {
        format!(
            "there is no `{}` here, but this folder has YAML files: if they are the record, use `--dir .`",
            dir.display()
        )
    })
}
