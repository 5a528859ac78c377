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

/// Declares an enum read from words: its variants with their spellings,
/// `NAMES` (in documentation order), `parse`, `as_str`, and its
/// [`Keyword`] impl.
macro_rules! keyword_enum {
    ($(#[$m:meta])* $name:ident ($noun:literal) {
        $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)?
    }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every spelling the format accepts, in documentation order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl $crate::keyword::Keyword for $name {
            const NAMES: &'static [&'static str] = <$name>::NAMES;
            const NOUN: &'static str = $noun;

            fn parse(s: &str) -> Option<Self> {
                <$name>::parse(s)
            }
        }
    };
}
pub(crate) use keyword_enum;

/// Implements [`Keyword`] for a type that reads its words its own way
/// (a column name ignores case).
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
