//! The filter flags shared by `query`, `timeline`, `chart` and `export`.

use annals::date::Date;
use annals::model::{Role, Status};
use annals::query::Query;

#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Events involving this actor (id, name or alias; repeat for any of several).
    #[arg(long = "actor", value_name = "A")]
    pub actors: Vec<String>,
    /// With --actor: also every actor that is, transitively, a member of it.
    #[arg(long, requires = "actors")]
    pub members: bool,
    /// With --actor: only where the actor plays this role
    /// (initiator, target, participant, mentioned).
    #[arg(long = "role", value_name = "R")]
    pub roles: Vec<String>,
    /// Events of this kind (repeatable).
    #[arg(long = "kind", value_name = "K")]
    pub kinds: Vec<String>,
    /// Events with this status: occurred, reported, scheduled, cancelled (repeatable).
    #[arg(long = "status", value_name = "S")]
    pub statuses: Vec<String>,
    /// From this EDTF date on (events overlapping the range match).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Up to this EDTF date (inclusive of its whole span: `--to 2024-02` is up to 29 Feb).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Require the event's whole date span inside --from/--to, not just overlap.
    #[arg(long)]
    pub within: bool,
    /// Events with this tag (repeatable).
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// Events citing this source id (repeatable).
    #[arg(long = "source", value_name = "ID")]
    pub sources: Vec<String>,
    /// Events whose title, summary, quotes or date_text contain all these words, ignoring case (repeatable: any).
    #[arg(long = "text", value_name = "WORDS")]
    pub text: Vec<String>,
}

impl FilterArgs {
    /// The query these flags describe.
    ///
    /// # Errors
    ///
    /// A date, role or status that does not parse, as a message for the user.
    pub fn to_query(&self) -> Result<Query, String> {
        let date = |flag: &str, s: &Option<String>| -> Result<Option<Date>, String> {
            s.as_deref()
                .map(|t| Date::parse(t).map_err(|e| format!("{flag}: {e}")))
                .transpose()
        };
        let roles = self
            .roles
            .iter()
            .map(|r| {
                Role::parse(r)
                    .ok_or_else(|| format!("--role: {}", annals::keyword::not_one_of::<Role>(r)))
            })
            .collect::<Result<_, _>>()?;
        let statuses = self
            .statuses
            .iter()
            .map(|s| {
                Status::parse(s).ok_or_else(|| {
                    format!("--status: {}", annals::keyword::not_one_of::<Status>(s))
                })
            })
            .collect::<Result<_, _>>()?;
        let (from, to) = (date("--from", &self.from)?, date("--to", &self.to)?);
        if let (Some(f), Some(t)) = (&from, &to) {
            // Compared as days: `--from 2018 --to 2018-06` is a fine window.
            if f.earliest().zip(t.latest()).is_some_and(|(a, b)| a > b) {
                return Err(format!(
                    "the window is reversed: --from {} is after --to {} \
                     (did you mean --from {} --to {}?)",
                    f.text(),
                    t.text(),
                    t.text(),
                    f.text()
                ));
            }
        }
        Ok(Query {
            actors: self.actors.clone(),
            members: self.members,
            roles,
            kinds: self.kinds.clone(),
            statuses,
            from,
            to,
            within: self.within,
            tags: self.tags.clone(),
            sources: self.sources.clone(),
            text: self.text.clone(),
        })
    }
}
