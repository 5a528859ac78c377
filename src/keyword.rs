//! Closed sets of words (roles, statuses, dimensions, columns) and the one
//! error a word outside its set gets.
//!
//! Every flag, cell and field that takes such a word says the same thing
//! when it is not one: "`x` is not one of a, b, c", or, where the context
//! does not name the set, "`x` is not a role: one of a, b, c".

/// A type read from one of a fixed list of words.
pub trait Keyword: Sized {
    /// Every spelling accepted, in documentation order.
    const NAMES: &'static [&'static str];
    /// What one of them is called in an error ("role", "column").
    const NOUN: &'static str;

    fn parse(s: &str) -> Option<Self>;
}

/// "`written` is not one of a, b, c".
pub fn not_one_of<K: Keyword>(written: &str) -> String {
    format!("`{written}` is not one of {}", K::NAMES.join(", "))
}

/// "`written` is not a role: one of a, b, c".
pub fn not_a<K: Keyword>(written: &str) -> String {
    format!(
        "`{written}` is not a {}: one of {}",
        K::NOUN,
        K::NAMES.join(", ")
    )
}

/// Implements [`Keyword`] for types that have `NAMES` and `parse` of
/// their own.
macro_rules! keywords {
    ($($t:ty => $noun:literal),+ $(,)?) => {
        $(impl Keyword for $t {
            const NAMES: &'static [&'static str] = &<$t>::NAMES;
            const NOUN: &'static str = $noun;

            fn parse(s: &str) -> Option<Self> {
                <$t>::parse(s)
            }
        })+
    };
}

keywords! {
    crate::model::Role => "role",
    crate::model::Status => "status",
    crate::model::Relation => "relation",
    crate::model::ActorType => "actor type",
    crate::count::groups::By => "dimension",
    crate::render::table::Column => "column",
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    #[test]
    fn both_wordings() {
        assert_eq!(
            not_one_of::<Role>("boss"),
            "`boss` is not one of initiator, target, participant, mentioned"
        );
        assert_eq!(
            not_a::<Role>("boss"),
            "`boss` is not a role: one of initiator, target, participant, mentioned"
        );
        assert_eq!(<Role as Keyword>::parse("target"), Some(Role::Target));
    }
}
