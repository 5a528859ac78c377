//! `annals rename actor|source|event|kind OLD NEW`: the definition and
//! every reference, in every file, all or nothing (`store::rename` computes
//! the edits, `store::change` checks and writes them).

use super::change;
use super::keyword::keyword;
use super::{CommandResult, Context};
use annals::line_index::LineIndex;
use annals::model::ListKind;
use annals::render::diagnostics::display_path;
use annals::store::change::{ChangeError, change as store_change};
use annals::store::rename::{Rename, rename};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the id names.
    #[arg(value_parser = keyword::<ListKind>())]
    pub kind: ListKind,
    /// The id now.
    pub old: String,
    /// The new id.
    pub new: String,
    /// For an actor: do not keep the old id as an alias.
    #[arg(long)]
    pub no_alias: bool,
    /// Print the diff that would be applied; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let r = Rename {
        kind: args.kind,
        old: args.old.clone(),
        new: args.new.clone(),
        keep_alias: !args.no_alias,
    };
    let result = store_change(&ctx.dir, args.dry_run, |view| {
        let renamed = rename(view.record, view.texts, &r).map_err(|e| ChangeError::Refused(e.0))?;
        let (file, offset) = renamed.definition;
        let text = &view.texts[file as usize];
        let line = LineIndex::new(text).line_col(text, offset).line;
        let at = format!("{}:{line}", display_path(&view.record.files[file as usize]));
        Ok((renamed.files, (renamed.references, at)))
    });
    match result {
        Ok(done) => {
            let (references, at) = &done.extra;
            let alias = if r.kind == ListKind::Actors && r.keep_alias {
                format!(" (`{}` kept as an alias)", r.old)
            } else {
                String::new()
            };
            let line = format!(
                "renamed {} `{}` to `{}` at {at}{alias}: {references} reference(s) in {} file(s)",
                r.kind.noun(),
                r.old,
                r.new,
                done.files.len()
            );
            change::report(ctx, args.dry_run, &done, &line)
        }
        Err(e) => Err(change::fail(ctx, &e)),
    }
}
