//! "Did you mean": the known id a mistyped one most likely meant, or
//! nothing.
//!
//! Ids are made of tokens (`dprk-government`: `dprk`, `government`), and a
//! token is what tells two items apart: `dprk-government` and
//! `rok-government` are one edit apart but different countries. So
//! candidates are ranked by the tokens they share with the word (exactly,
//! then as a prefix, `gov` for `government`, then as a typo, a token within
//! an edit or two), and a candidate is offered only when every token of the word
//! is found in it. Two equally good candidates, or two that both add
//! tokens the word lacks, mean the word does not say which: nothing is
//! suggested, since a wrong suggestion misattributes.

use std::cmp::Ordering;

/// How well a token of the word is found in a candidate; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Found {
    Exact,
    Prefix,
    Typo,
    /// A typo in a three-letter token (`wan` for `won`): such a token is
    /// too easily another word (`rok`, `roc`), so it counts only when at
    /// least two other tokens agree exactly.
    ShortTypo,
    Missing,
}

/// A candidate's rank; compared field by field, lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// Tokens of the word not found exactly, as a prefix, as a typo.
    not_exact: usize,
    not_prefix: usize,
    not_typo: usize,
    /// Tokens of the candidate that match no token of the word.
    extra: usize,
}

/// The known candidate `word` most likely meant, if one is clearly best.
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    nearest_item(word, candidates.into_iter().map(|c| (c, c)))
}

/// As [`nearest`], for candidates that name items: several spellings of
/// one item (an actor's id, name and aliases) do not compete.
pub fn nearest_item<'a, T, I>(word: &str, candidates: I) -> Option<T>
where
    T: Copy + Eq,
    I: IntoIterator<Item = (&'a str, T)>,
{
    let word_lower = word.to_lowercase();
    let wanted = tokens(&word_lower);
    if wanted.is_empty() {
        return None;
    }
    let mut best: Option<(Rank, T)> = None;
    let mut tied = false;
    let mut accepted: Vec<T> = Vec::new();
    for (c, item) in candidates {
        let Some(rank) = rank(&wanted, c) else {
            continue;
        };
        if !accepted.contains(&item) {
            accepted.push(item);
        }
        match best.map(|(r, b)| (rank.cmp(&r), b)) {
            None | Some((Ordering::Less, _)) => {
                best = Some((rank, item));
                tied = false;
            }
            Some((Ordering::Equal, b)) if b != item => tied = true,
            Some(_) => {}
        }
    }
    match best {
        // A candidate with tokens the word lacks (`rok-government` for
        // `government`) is a guess at what the word left out: only safe
        // when nothing else contains the word.
        Some((rank, item)) if !tied && (rank.extra == 0 || accepted.len() == 1) => Some(item),
        _ => None,
    }
}

/// The rank of `candidate`, or `None` when some token of the word is not in
/// it at all (it would name something else).
fn rank(wanted: &[&str], candidate: &str) -> Option<Rank> {
    let lower = candidate.to_lowercase();
    let have = tokens(&lower);
    let mut counts = [0usize; 5];
    let mut used = vec![false; have.len()];
    for w in wanted {
        let (found, at) = have
            .iter()
            .enumerate()
            .map(|(i, h)| (found(w, h), i))
            .min()
            .unwrap_or((Found::Missing, 0));
        if found == Found::Missing {
            return None;
        }
        used[at] = true;
        counts[found as usize] += 1;
    }
    if counts[Found::ShortTypo as usize] > 0 && counts[Found::Exact as usize] < 2 {
        return None;
    }
    let n = wanted.len();
    let typos = counts[Found::Typo as usize] + counts[Found::ShortTypo as usize];
    Some(Rank {
        not_exact: n - counts[0],
        not_prefix: n - counts[0] - counts[1],
        not_typo: n - counts[0] - counts[1] - typos,
        extra: used.iter().filter(|u| !**u).count(),
    })
}

fn found(w: &str, h: &str) -> Found {
    if w == h {
        return Found::Exact;
    }
    // `gov` for `government`, `kishidafumio` for `kishida`: a shortened or
    // run-together token, long enough not to match by chance.
    let (short, long) = if w.len() < h.len() { (w, h) } else { (h, w) };
    if short.len() >= 3 && long.starts_with(short) {
        return Found::Prefix;
    }
    let limit = match w.len().min(h.len()) {
        0..=2 => 0,
        3 => 1,
        4..=7 => 1,
        _ => 2,
    };
    if limit == 0 || w.len().abs_diff(h.len()) > limit || strsim::osa_distance(w, h) > limit {
        return Found::Missing;
    }
    if w.len().min(h.len()) == 3 {
        Found::ShortTypo
    } else {
        Found::Typo
    }
}

/// The tokens of an id, name or key: `kim-jong-un`, `Kim Jong_un` both give
/// `kim`, `jong`, `un` (the text is already lower-cased).
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::nearest;
    use proptest::prelude::*;

    #[test]
    fn never_crosses_a_distinguishing_token() {
        let ids = ["dprk-gov", "rok-government"];
        assert_eq!(nearest("dprk-government", ids), Some("dprk-gov"));
        assert_eq!(nearest("dprk-government", ["rok-government"]), None);
        assert_eq!(nearest("rok-gov", ids), Some("rok-government"));
        assert_eq!(nearest("roc-gov", ids), None, "Taiwan is not Korea");
        assert_eq!(nearest("park ji wan", ["park ji won"]), Some("park ji won"));
    }

    #[test]
    fn typos_and_shortenings() {
        let ids = ["kishida-fumio", "kim-jong-un", "kim-yo-jong"];
        assert_eq!(nearest("kishida-fumo", ids), Some("kishida-fumio"));
        assert_eq!(nearest("kim-yo-jung", ids), Some("kim-yo-jong"));
        assert_eq!(nearest("kishida", ids), Some("kishida-fumio"));
        assert_eq!(nearest("kimjong-un", ids), Some("kim-jong-un"));
        assert_eq!(nearest("biden", ids), None);
        assert_eq!(nearest("titel", ["title", "date"]), Some("title"));
    }

    const WORDS: &[&str] = &[
        "dprk",
        "rok",
        "gov",
        "government",
        "kim",
        "jong",
        "un",
        "yo",
        "army",
        "japan",
        "japn",
        "us",
        "state",
        "statement",
    ];

    fn ids() -> impl Strategy<Value = Vec<String>> {
        let id = proptest::collection::vec(proptest::sample::select(WORDS), 2..5)
            .prop_map(|tokens| tokens.join("-"));
        proptest::collection::vec(id, 1..10)
    }

    proptest! {
        /// A suggestion is never worse than none: with one token of a known
        /// id left out, whatever is suggested has every token that remains.
        #[test]
        fn a_suggestion_keeps_the_remaining_tokens(
            ids in ids(),
            pick in any::<prop::sample::Index>(),
            drop in any::<prop::sample::Index>(),
        ) {
            let id = pick.get(&ids);
            let tokens: Vec<&str> = id.split('-').collect();
            let gone = drop.index(tokens.len());
            let rest: Vec<&str> = tokens
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != gone)
                .map(|(_, t)| *t)
                .collect();
            let word = rest.join("-");
            prop_assume!(!ids.contains(&word));
            if let Some(s) = nearest(&word, ids.iter().map(String::as_str)) {
                let have: Vec<&str> = s.split('-').collect();
                for t in &rest {
                    prop_assert!(have.contains(t), "{word} -> {s} loses `{t}`");
                }
            }
        }
    }

    #[test]
    fn two_equally_good_candidates_mean_nothing() {
        assert_eq!(
            nearest("government", ["dprk-government", "rok-government"]),
            None
        );
        assert_eq!(nearest("kim", ["kim-jong-un", "kim-yo-jong"]), None);
        assert_eq!(nearest("government", ["dprk-gov", "rok-government"]), None);
        assert_eq!(nearest("japn", ["japan", "japan-gov"]), Some("japan"));
    }
}
