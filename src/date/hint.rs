//! Dates written the way people write them: `March 8, 2018`, `07.07.2018`,
//! `early March 2018`. Recognised only to say what EDTF text to write; a
//! date is never read this way (annals never reinterprets a date silently).
//!
//! The forms recognised are listed in `docs/format.md`, "Dates written the
//! way people write them".

use edtf_core as edtf;

use super::calendar::{MONTH_NAMES, days_in_month};

/// What a human-written date most likely meant: why it is not EDTF and
/// the help line saying what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Hint {
    pub why: String,
    pub help: String,
    /// The one EDTF text to write, when the form says which (not for an
    /// ambiguous `07/08/2018`): the editor's "Write this date as EDTF".
    pub edtf: Option<String>,
}

/// The hint for `text` when it is one of the human or spreadsheet forms,
/// and what it meant is valid EDTF.
pub(super) fn human_form(text: &str) -> Option<Hint> {
    let text = text.trim();
    words(text).or_else(|| numeric(text))
}

const NOT_EDTF: &str = "dates are written in EDTF, year first";

fn write(edtf: String) -> Option<Hint> {
    edtf::is_valid(&edtf).then(|| Hint {
        why: NOT_EDTF.to_owned(),
        help: format!("write {edtf}"),
        edtf: Some(edtf.clone()),
    })
}

/// Forms with words: month names, parts of a month, seasons, `c. 1990`.
fn words(text: &str) -> Option<Hint> {
    if !text.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    // "mid-March" and "March 8,2018" are the same words as "mid March 8 2018".
    let spaced = lower.replace([',', '-'], " ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    match tokens.as_slice() {
        [c, year] if is_circa(c) => write(format!("{}~", year4(year)?)),
        [one] => {
            let year = one.strip_prefix("c.").or_else(|| one.strip_prefix("ca."))?;
            write(format!("{}~", year4(year)?))
        }
        [part, month, year] if part_of_month(part).is_some() => {
            let (first, last) = part_of_month(part)?;
            let y = year4(year)?;
            let m = month_number(month)?;
            let year: i32 = y.parse().ok()?;
            let last = last.unwrap_or_else(|| u32::from(days_in_month(year.into(), m as u8)));
            let set = format!("[{y}-{m:02}-{first:02}..{y}-{m:02}-{last:02}]");
            edtf::is_valid(&set).then(|| Hint {
                why: NOT_EDTF.to_owned(),
                help: format!("for \"{text}\" write \"{set}\" with date_text: {text}"),
                edtf: Some(set.clone()),
            })
        }
        [season, year] if season_code(season).is_some() => {
            let code = season_code(season)?;
            let y = year4(year)?;
            edtf::is_valid(&format!("{y}-{code}")).then(|| Hint {
                why: NOT_EDTF.to_owned(),
                help: format!("for \"{text}\" write {y}-{code} (EDTF season {code})"),
                edtf: Some(format!("{y}-{code}")),
            })
        }
        [a, year] => write(format!("{}-{:02}", year4(year)?, month_number(a)?)),
        [a, b, year] => {
            let y = year4(year)?;
            let (m, d) = match (month_number(a), month_number(b)) {
                (Some(m), None) => (m, day(b)?),
                (None, Some(m)) => (m, day(a)?),
                _ => return None,
            };
            write(format!("{y}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}

fn is_circa(word: &str) -> bool {
    matches!(
        word,
        "c." | "c" | "ca." | "ca" | "circa" | "about" | "around"
    )
}

fn year4(word: &str) -> Option<&str> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit())).then_some(word)
}

/// January is 1; full names, three-letter abbreviations (with or without a
/// dot) and `Sept`.
fn month_number(word: &str) -> Option<u32> {
    let word = word.strip_suffix('.').unwrap_or(word);
    if word.len() < 3 {
        return None;
    }
    MONTH_NAMES
        .iter()
        .position(|name| {
            let name = name.to_ascii_lowercase();
            name == word
                || (word.len() == 3 && name.starts_with(word))
                || word == "sept" && name == "september"
        })
        .map(|i| i as u32 + 1)
}

/// `8`, `08`, `8th`, `1st`.
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// Early, mid and late as the sample record writes them: days 1-10, 11-20
/// and 21 to the end (`None`: the month's last day).
fn part_of_month(word: &str) -> Option<(u32, Option<u32>)> {
    match word {
        "early" | "beginning" => Some((1, Some(10))),
        "mid" | "middle" => Some((11, Some(20))),
        "late" | "end" => Some((21, None)),
        _ => None,
    }
}

/// EDTF season codes (21 spring .. 24 winter).
fn season_code(word: &str) -> Option<u32> {
    match word {
        "spring" => Some(21),
        "summer" => Some(22),
        "autumn" | "fall" => Some(23),
        "winter" => Some(24),
        _ => None,
    }
}

/// Forms with digits only: `2018/05/24`, `2018.05.24`, `2018-1-1`,
/// `07.07.2018`, `24/05/2018`, `05/24/2018` and the ambiguous `07/08/2018`.
fn numeric(text: &str) -> Option<Hint> {
    let sep = text.bytes().find(|b| matches!(b, b'/' | b'.' | b'-'))?;
    let parts: Vec<&str> = text.split(sep as char).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let num = |p: &str| p.parse::<u32>().ok();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            write(format!("{y}-{:02}-{:02}", num(m)?, num(d)?))
        }
        [y, m] if y.len() == 4 && m.len() == 1 && sep == b'-' => {
            write(format!("{y}-{:02}", num(m)?))
        }
        [a, b, y] if y.len() == 4 && a.len() <= 2 && b.len() <= 2 => {
            let (a, b) = (num(a)?, num(b)?);
            let day_first = format!("{y}-{b:02}-{a:02}");
            let month_first = format!("{y}-{a:02}-{b:02}");
            let day_first_ok = edtf::is_valid(&day_first);
            let month_first_ok = edtf::is_valid(&month_first);
            // Dots are written day first wherever they are used.
            if sep == b'.' || a == b || !month_first_ok {
                return write(day_first);
            }
            if !day_first_ok {
                return write(month_first);
            }
            let name = |m: u32| MONTH_NAMES[m as usize - 1];
            Some(Hint {
                why: "dates are written in EDTF, year first; here day and month could be either"
                    .to_owned(),
                help: format!(
                    "if day first ({a} {} {y}) write {day_first}; \
                     if month first ({} {b}, {y}) write {month_first}",
                    name(b),
                    name(a)
                ),
                edtf: None,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::human_form;

    fn help(text: &str) -> Option<String> {
        human_form(text).map(|h| h.help)
    }

    #[test]
    fn the_edtf_to_write_is_given_only_when_the_form_decides() {
        let edtf = super::super::edtf_for_human;
        assert_eq!(edtf("March 8, 2018").as_deref(), Some("2018-03-08"));
        assert_eq!(
            edtf("early March 2018").as_deref(),
            Some("[2018-03-01..2018-03-10]")
        );
        assert_eq!(edtf("spring 2018").as_deref(), Some("2018-21"));
        assert_eq!(edtf("07/08/2018"), None, "day or month first");
        assert_eq!(edtf("2018-03-08"), None, "EDTF already");
    }

    #[test]
    fn month_names_in_either_order() {
        for text in [
            "March 8, 2018",
            "March 8 2018",
            "8 March 2018",
            "8th March, 2018",
            "Mar 8, 2018",
            "mar. 8 2018",
            "8 MAR 2018",
        ] {
            assert_eq!(help(text).as_deref(), Some("write 2018-03-08"), "{text}");
        }
        assert_eq!(help("19 September 2018").unwrap(), "write 2018-09-19");
        assert_eq!(help("Sept 19, 2018").unwrap(), "write 2018-09-19");
        assert_eq!(help("March 2018").unwrap(), "write 2018-03");
        assert_eq!(help("February 30, 2018"), None, "no such day");
        assert_eq!(help("March 8"), None, "no year, nothing to write");
    }

    #[test]
    fn parts_of_months_seasons_and_circa() {
        assert_eq!(
            help("early February 2024").unwrap(),
            "for \"early February 2024\" write \"[2024-02-01..2024-02-10]\" \
             with date_text: early February 2024"
        );
        assert!(
            help("mid-March 2018")
                .unwrap()
                .contains("[2018-03-11..2018-03-20]")
        );
        assert!(
            help("late February 2024")
                .unwrap()
                .contains("[2024-02-21..2024-02-29]")
        );
        assert!(
            help("late February 2023")
                .unwrap()
                .contains("[2023-02-21..2023-02-28]")
        );
        assert_eq!(
            help("spring 2018").unwrap(),
            "for \"spring 2018\" write 2018-21 (EDTF season 21)"
        );
        for text in ["c. 1990", "c.1990", "circa 1990", "ca. 1990"] {
            assert_eq!(help(text).as_deref(), Some("write 1990~"), "{text}");
        }
    }

    #[test]
    fn spreadsheet_forms() {
        assert_eq!(help("2018/05/24").unwrap(), "write 2018-05-24");
        assert_eq!(help("2018.05.24").unwrap(), "write 2018-05-24");
        assert_eq!(help("2018-1-1").unwrap(), "write 2018-01-01");
        assert_eq!(help("2024-1").unwrap(), "write 2024-01");
        assert_eq!(help("07.07.2018").unwrap(), "write 2018-07-07");
        assert_eq!(
            help("08.07.2018").unwrap(),
            "write 2018-07-08",
            "dots: day first"
        );
        assert_eq!(help("24/05/2018").unwrap(), "write 2018-05-24");
        assert_eq!(help("05/24/2018").unwrap(), "write 2018-05-24");
        assert_eq!(
            help("07/08/2018").unwrap(),
            "if day first (7 August 2018) write 2018-08-07; \
             if month first (July 8, 2018) write 2018-07-08"
        );
        assert_eq!(help("31/31/2018"), None);
        assert_eq!(
            help("2018/2019"),
            None,
            "an interval is not a hint's business"
        );
    }
}
