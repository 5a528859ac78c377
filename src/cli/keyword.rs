//! One clap value parser for every library [`Keyword`]: the accepted
//! words, the `[possible values: ...]` of `--help`, the completions and
//! the "invalid value" error all come from the keyword's own list, as a
//! `ValueEnum` would give them, without an enum mirrored for clap.

use annals::keyword::Keyword;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::ffi::OsStr;
use std::marker::PhantomData;

/// Parses one of `names`, words of `T`.
pub struct KeywordParser<T> {
    names: &'static [&'static str],
    of: PhantomData<fn() -> T>,
}

// Derived `Clone` would ask `T: Clone` of the marker too.
impl<T> Clone for KeywordParser<T> {
    fn clone(&self) -> Self {
        KeywordParser {
            names: self.names,
            of: PhantomData,
        }
    }
}

/// Every word of `T`.
pub fn keyword<T: Keyword>() -> KeywordParser<T> {
    KeywordParser {
        names: T::NAMES,
        of: PhantomData,
    }
}

/// Only these words of `T` (`stats --bin` has no `day`), in this order.
pub fn keyword_of<T: Keyword>(names: &'static [&'static str]) -> KeywordParser<T> {
    debug_assert!(names.iter().all(|n| T::NAMES.contains(n)));
    KeywordParser {
        names,
        of: PhantomData,
    }
}

impl<T: Keyword + Clone + Send + Sync + 'static> TypedValueParser for KeywordParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // clap's own parser for a list of words: the same error, with its
        // "did you mean", as for a `ValueEnum`.
        let word =
            PossibleValuesParser::new(self.names.iter().copied()).parse_ref(cmd, arg, value)?;
        T::parse(&word).ok_or_else(|| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("`{word}` is listed but not a keyword of its type\n"),
            )
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().map(|n| PossibleValue::new(*n))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals::chart::{Bin, LaneBy};
    use annals::count::groups::By;
    use annals::model::ListKind;

    /// Every word of every keyword the command line takes parses back to a
    /// value whose word it is: no list and parser out of step.
    #[test]
    fn every_word_parses() {
        fn all<T: Keyword>() {
            for n in T::NAMES {
                assert!(T::parse(n).is_some(), "{n}");
            }
            assert!(T::parse("no-such-word").is_none());
        }
        all::<Bin>();
        all::<LaneBy>();
        all::<By>();
        all::<ListKind>();
        all::<annals::chart::export::Format>();
    }

    #[test]
    fn a_subset_accepts_only_its_words() {
        let cmd = clap::Command::new("t");
        let p = keyword_of::<Bin>(&["week", "month"]);
        assert_eq!(
            p.parse_ref(&cmd, None, OsStr::new("month")).ok(),
            Some(Bin::Month)
        );
        assert!(p.parse_ref(&cmd, None, OsStr::new("day")).is_err());
        let shown: Vec<String> = p
            .possible_values()
            .into_iter()
            .flatten()
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(shown, ["week", "month"]);
    }
}
