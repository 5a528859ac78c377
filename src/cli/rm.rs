//! `annals rm [KIND] ID`: removes an event, actor, source or kind, refusing
//! while anything refers to it (`store::remove` finds the item and its
//! referrers, `store::change` checks and writes).

use super::change;
use super::{CommandError, CommandResult, Context};
use annals::keyword::Keyword;
use annals::model::ListKind;
use annals::store::change::{ChangeError, change as store_change};
use annals::store::remove::{RemoveError, remove};
use annals::store::rename::ids;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// `[event|actor|source|kind] ID`: the id of the item to remove, after
    /// what it names when the id names items of two kinds.
    #[arg(num_args = 1..=2, required = true, value_name = "[KIND] ID")]
    pub words: Vec<String>,
    /// Print the diff that would be applied; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let (given, id) = match args.words.as_slice() {
        [id] => (None, id.as_str()),
        [kind, id] => match ListKind::parse(kind) {
            Some(k) => (Some(k), id.as_str()),
            None => {
                return Err(CommandError::usage(format_args!(
                    "`{kind}` is not event, actor, source or kind (usage: annals rm [KIND] ID)"
                )));
            }
        },
        _ => return Err(CommandError::usage("usage: annals rm [KIND] ID")),
    };
    let result = store_change(&ctx.dir, args.dry_run, |view| {
        let kind = match given {
            Some(k) => k,
            None => {
                let found: Vec<ListKind> = ListKind::ALL
                    .into_iter()
                    .filter(|k| ids(view.record, *k).contains(&id))
                    .collect();
                match found.as_slice() {
                    [k] => *k,
                    [] => {
                        let all: Vec<&str> = ListKind::ALL
                            .into_iter()
                            .flat_map(|k| ids(view.record, k))
                            .collect();
                        let mut m = format!(
                            "there is no event, actor, source or kind `{id}` in the record"
                        );
                        if let Some(s) = annals::diag::did_you_mean(id, all) {
                            m.push_str(&format!("; did you mean `{s}`?"));
                        }
                        return Err(ChangeError::Refused(m));
                    }
                    many => {
                        let names: Vec<&str> = many.iter().map(|k| k.noun()).collect();
                        return Err(ChangeError::Usage(format!(
                            "`{id}` is the id of an {}; say which: `annals rm {} {id}`",
                            names.join(" and of a "),
                            names[0]
                        )));
                    }
                }
            }
        };
        match remove(view.record, view.texts, kind, id) {
            Ok((edits, at)) => Ok((vec![edits], (kind, at))),
            Err(RemoveError::Other(m)) => Err(ChangeError::Refused(m)),
            Err(RemoveError::Referred(refs)) => {
                let mut m = format!(
                    "the {} `{id}` is still referred to {} time(s); nothing was written. Change or remove these first:",
                    kind.noun(),
                    refs.len()
                );
                for r in refs {
                    m.push_str(&format!(
                        "\n  {}: {} `{}` ({})",
                        r.at,
                        r.owner.0.noun(),
                        r.owner.1.as_deref().unwrap_or("?"),
                        r.field
                    ));
                }
                Err(ChangeError::Refused(m))
            }
        }
    });
    match result {
        Ok(done) => {
            let (kind, at) = &done.extra;
            let line = format!("removed {} `{id}` from {at}", kind.noun());
            change::report(ctx, args.dry_run, &done, &line)
        }
        Err(e) => Err(change::fail(ctx, &e)),
    }
}
