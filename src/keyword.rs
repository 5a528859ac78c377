//! Keywords: enums written in the file format or on the command line as
//! one of a fixed list of words (`--lanes kind`, `--format png`).
//!
//! The library lists the words and parses them; the command line builds
//! its value parsers, help and completions from the same list
//! (`src/cli/keyword.rs`), so the library never names clap and no enum is
//! mirrored for it.

/// An enum whose values are spelled as fixed words.
pub trait Keyword: Sized {
    /// Every value's word, in the order help and messages list them.
    const NAMES: &'static [&'static str];

    /// The value `s` spells, if any (exact, case-sensitive).
    fn parse(s: &str) -> Option<Self>;
}
