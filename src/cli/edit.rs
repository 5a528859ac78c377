//! `annals edit [KIND] ID`: opens that item's YAML in `$VISUAL` or
//! `$EDITOR`, checks the result against the whole record, and writes it
//! back in place (`store::change`). On errors it shows them and offers to
//! reopen; it never writes a broken record. Without a terminal it refuses.

use super::change;
use super::error::Kind;
use super::{CommandError, CommandResult, Context};
use annals::keyword::Keyword;
use annals::model::ListKind;
use annals::store::change::{ChangeError, FileEdits, change as store_change};
use annals::store::item_text::{item_text, replace_item};
use annals::store::rename::ids;
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// `[event|actor|source|kind] ID`.
    #[arg(num_args = 1..=2, required = true, value_name = "[KIND] ID")]
    pub words: Vec<String>,
}

fn editor() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(CommandError::usage(
            "`annals edit` opens an editor and needs a terminal; in a script, use `annals set`",
        ));
    }
    let Some(editor) = editor() else {
        return Err(CommandError::usage(
            "set $VISUAL or $EDITOR to the editor to open",
        ));
    };
    let (given, id) = match args.words.as_slice() {
        [id] => (None, id.clone()),
        [kind, id] => match ListKind::parse(kind) {
            Some(k) => (Some(k), id.clone()),
            None => {
                return Err(CommandError::usage(format_args!(
                    "`{kind}` is not event, actor, source or kind"
                )));
            }
        },
        _ => return Err(CommandError::usage("usage: annals edit [KIND] ID")),
    };
    // The item's text as it is now.
    let loaded = annals::load::load_dir(&ctx.dir)
        .map_err(|e| CommandError::usage(format_args!("`{}`: {e}", ctx.dir.display())))?;
    let record = &loaded.record;
    let kind = given.unwrap_or_else(|| {
        ListKind::ALL
            .into_iter()
            .find(|k| ids(record, *k).contains(&id.as_str()))
            .unwrap_or(ListKind::Events)
    });
    let texts: Vec<String> = record
        .files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let (file, range) =
        item_text(record, &texts, kind, &id).map_err(|e| CommandError::data(e.0))?;
    let original = texts[file as usize][range.clone()].replace("\r\n", "\n");
    let tmp = TempFile::new()
        .map_err(|e| CommandError::usage(format_args!("cannot make a temporary file: {e}")))?;
    let file_error =
        |e: std::io::Error| CommandError::usage(format_args!("`{}`: {e}", tmp.0.display()));
    let mut draft = original.clone();
    loop {
        std::fs::write(&tmp.0, &draft).map_err(file_error)?;
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&tmp.0)
            .status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => {
                return Err(CommandError::usage(format_args!(
                    "the editor exited with {s}; nothing was written"
                )));
            }
            Err(e) => {
                return Err(CommandError::usage(format_args!(
                    "cannot run `{editor}`: {e}"
                )));
            }
        }
        draft = std::fs::read_to_string(&tmp.0).map_err(file_error)?;
        if draft == original {
            eprintln!("no change; nothing was written");
            return Ok(());
        }
        let result = store_change(&ctx.dir, false, |view| {
            let (f, r) = item_text(view.record, view.texts, kind, &id)
                .map_err(|e| ChangeError::Refused(e.0))?;
            let text = &view.texts[f as usize];
            if text[r.clone()].replace("\r\n", "\n") != original {
                return Err(ChangeError::Refused(format!(
                    "the {} `{id}` changed in its file while it was being edited; nothing was written",
                    kind.noun()
                )));
            }
            Ok((
                vec![FileEdits {
                    file: f,
                    edits: vec![replace_item(text, r, &draft)],
                }],
                (),
            ))
        });
        match result {
            Ok(done) => {
                let at = done.files.first().map(change::place).unwrap_or_default();
                let line = format!("edited {} `{id}` at {at}", kind.noun());
                return change::report(ctx, false, &done, &line);
            }
            Err(e @ (ChangeError::Invalid(_) | ChangeError::Refused(_))) => {
                // Shown now, before the question, not when the command ends.
                change::fail(ctx, &e).eprint();
                eprint!("Reopen the editor? [Y/n] ");
                let _ = std::io::stderr().flush();
                let mut answer = String::new();
                if std::io::stdin().lock().read_line(&mut answer).is_err()
                    || answer.trim().eq_ignore_ascii_case("n")
                {
                    eprintln!("nothing was written");
                    return Err(CommandError::exit(Kind::Data));
                }
            }
            Err(e) => return Err(change::fail(ctx, &e)),
        }
    }
}

/// The file the editor opens, made new (never an existing file) in the
/// temporary directory and removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new() -> std::io::Result<TempFile> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path =
            std::env::temp_dir().join(format!("annals-edit-{}-{nanos}.yaml", std::process::id()));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(TempFile(path))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
