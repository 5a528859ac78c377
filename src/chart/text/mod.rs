//! Text for charts: how wide a string is drawn, shortening with an ellipsis,
//! and cleaning what a record may contain before it goes into SVG.
//!
//! Widths are measured per character from the advance widths of DejaVu Sans
//! (the first family of [`FONT_FAMILY`]), taken from the font files by
//! `tools/fontwidths.py`. Characters outside the table are estimated by
//! class: East Asian wide and fullwidth characters (CJK, kana, Hangul) are a
//! full em, combining marks and zero-width characters nothing, other scripts
//! a generous 0.7 em. Kerning is ignored; a 3% margin covers it and the
//! fallback fonts of Verdana's family, which are a little wider.

mod widths;

use std::borrow::Cow;

/// The font stack every chart text uses; the widths below are DejaVu Sans'.
pub const FONT_FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// The ellipsis that ends a shortened label.
pub const ELLIPSIS: char = '\u{2026}';

const MARGIN: f64 = 1.03;

/// Far below a pixel, far above float round-off.
const FIT_TOLERANCE: f64 = 1e-6;

/// The advance width of `c` in ems.
pub fn char_em(c: char, bold: bool) -> f64 {
    let cp = c as u32;
    let mut offset = 0usize;
    for (lo, hi) in widths::RANGES {
        if (lo..=hi).contains(&cp) {
            let table: &[u16] = if bold {
                &widths::BOLD
            } else {
                &widths::REGULAR
            };
            return f64::from(table[offset + (cp - lo) as usize]) / 1000.0;
        }
        offset += (hi - lo + 1) as usize;
    }
    let em = if is_zero_width(cp) {
        0.0
    } else if is_wide(cp) {
        1.0
    } else if (0x370..=0x52F).contains(&cp) {
        // Greek and Cyrillic: about as wide as Latin capitals.
        0.68
    } else {
        0.7
    };
    if bold { em * 1.08 } else { em }
}

fn is_zero_width(cp: u32) -> bool {
    matches!(cp,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F | 0xFEFF | 0xE0100..=0xE01EF)
}

/// East Asian Wide (W) and Fullwidth (F) ranges, and emoji.
fn is_wide(cp: u32) -> bool {
    matches!(cp,
        0x1100..=0x115F | 0x231A..=0x231B | 0x2329..=0x232A | 0x23E9..=0x23EC
        | 0x25FD..=0x25FE | 0x2614..=0x2615 | 0x2E80..=0x303E | 0x3041..=0x33FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xA960..=0xA97F
        | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F000..=0x1FAFF | 0x20000..=0x3FFFD)
}

/// The width of `s` drawn at `size` pixels, in pixels.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    s.chars().map(|c| char_em(c, bold)).sum::<f64>() * size * MARGIN
}

/// `s` shortened to fit `max` pixels, ending with an ellipsis when it was
/// cut; `None` when not even one character and the ellipsis fit.
pub fn fit(s: &str, max: f64, size: f64, bold: bool) -> Option<Cow<'_, str>> {
    // A room computed as `end - (end - width)` can come out a few units in
    // the last place short of `width`: that is not a reason to cut.
    if width(s, size, bold) <= max + FIT_TOLERANCE {
        return Some(Cow::Borrowed(s));
    }
    let budget = max - width(&ELLIPSIS.to_string(), size, bold);
    let mut used = 0.0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = char_em(c, bold) * size * MARGIN;
        if used + w > budget {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    let kept = s[..end].trim_end();
    if kept.is_empty() {
        return None;
    }
    Some(Cow::Owned(format!("{kept}{ELLIPSIS}")))
}

/// `s` broken at spaces into lines at most `max` wide; a word wider than
/// `max` is shortened with an ellipsis ([`fit`]). Empty for an empty `s`.
pub fn wrap(s: &str, max: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) <= max + FIT_TOLERANCE || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .filter_map(|l| fit(&l, max, size, bold).map(Cow::into_owned))
        .collect()
}

/// `s` made safe and single-line for SVG text: C0 and C1 control
/// characters are removed (line breaks and tabs become spaces), as are the
/// noncharacters XML forbids; runs of spaces stay as written.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_cleaning) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if needs_cleaning(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_cleaning(c: char) -> bool {
    c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_widths_come_from_the_font() {
        // DejaVu Sans: "i" is 278/1000 em... (rounded down in the table), "m" 974.
        assert!(char_em('i', false) < 0.3);
        assert!(char_em('m', false) > 0.95);
        assert!(char_em('W', true) > char_em('W', false));
        assert_eq!(char_em('é', false), char_em('e', false));
    }

    #[test]
    fn cjk_is_a_full_em_and_bytes_do_not_count() {
        let kanji = "岸田文雄";
        assert_eq!(kanji.len(), 12);
        let w = width(kanji, 10.0, false);
        assert!((w - 4.0 * 10.0 * MARGIN).abs() < 1e-9, "{w}");
        assert!(width("김정은", 10.0, false) > width("Kim", 10.0, false));
        assert_eq!(width("e\u{301}", 10.0, false), width("e", 10.0, false));
    }

    #[test]
    fn fit_shortens_with_an_ellipsis() {
        let s = "Kim Yo-jong says friendly relations could lead to a visit";
        assert_eq!(fit(s, 1000.0, 11.0, false).unwrap(), s);
        let short = fit(s, 80.0, 11.0, false).unwrap();
        assert!(short.ends_with(ELLIPSIS), "{short}");
        assert!(width(&short, 11.0, false) <= 80.0);
        assert!(fit(s, 3.0, 11.0, false).is_none());
        let cjk = fit("岸田文雄首相", 40.0, 10.0, false).unwrap();
        assert_eq!(cjk, "岸田…");
    }

    #[test]
    fn clean_strips_control_characters() {
        assert_eq!(clean("plain"), "plain");
        assert_eq!(clean("a\u{0}b\u{1b}[31mc\u{7f}d\u{85}e"), "ab[31mcde");
        assert_eq!(clean("two\nlines\tand\rmore"), "two lines and more");
        assert_eq!(clean("x\u{FFFE}y"), "xy");
    }
}
