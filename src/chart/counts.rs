//! What the count charts (matrix, small multiples) share: a sequential
//! colour scale, round axis steps, and the busiest groups kept with the rest
//! merged into one group, named by [`rest_label`].

use crate::chart::draw::{Paint, Painter, TextSpec};
use crate::chart::palette::{self, Rgb};
use crate::chart::text;
use crate::count::Cell;

/// Viridis (van der Walt and Smith, matplotlib), sampled at nine stops:
/// perceptually uniform, readable in grey, and ordered for the common
/// forms of colour blindness.
const VIRIDIS: [Rgb; 9] = [
    Rgb(0x44, 0x01, 0x54),
    Rgb(0x47, 0x2d, 0x7b),
    Rgb(0x3b, 0x52, 0x8b),
    Rgb(0x2c, 0x72, 0x8e),
    Rgb(0x21, 0x91, 0x8c),
    Rgb(0x28, 0xae, 0x80),
    Rgb(0x5e, 0xc9, 0x62),
    Rgb(0xad, 0xdc, 0x30),
    Rgb(0xfd, 0xe7, 0x25),
];

/// The colour of `t` in 0..=1 on viridis run from light (few) to dark
/// (many), so that on a white page more reads as more ink.
pub fn heat(t: f64) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = (1.0 - t) * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * f).round() as u8;
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Whether text on `c` should be white rather than ink (WCAG relative
/// luminance below the point where white has the better contrast).
pub fn dark(c: Rgb) -> bool {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.040_45 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    l < 0.179
}

/// A step of 1, 2 or 5 times a power of ten giving at most about five
/// gridlines, and the axis top (a multiple of the step, at least 1).
pub fn nice_axis(max: usize) -> (usize, usize) {
    let max = max.max(1);
    let mut step = 1usize;
    'outer: loop {
        for m in [1usize, 2, 5] {
            let s = step.saturating_mul(m);
            if max.div_ceil(s) <= 5 {
                step = s;
                break 'outer;
            }
        }
        step = step.saturating_mul(10);
        if step >= usize::MAX / 10 {
            break;
        }
    }
    (step, max.div_ceil(step).max(1) * step)
}

/// The order to show groups in, busiest first: by possible count, then
/// certain count (both descending), then key. When there are more than
/// `cap`, the first `cap - 1` keep their place and the rest are merged:
/// returns, for each group, its place, with `cap - 1` meaning "Other".
pub fn rank(keys: &[&str], totals: &[Cell], cap: usize) -> (Vec<usize>, usize, bool) {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| {
        (totals[b].possible, totals[b].certain)
            .cmp(&(totals[a].possible, totals[a].certain))
            .then_with(|| keys[a].cmp(keys[b]))
    });
    let merged = keys.len() > cap;
    let kept = if merged {
        cap.saturating_sub(1)
    } else {
        keys.len()
    };
    let mut place = vec![0; keys.len()];
    for (p, &g) in order.iter().enumerate() {
        place[g] = p.min(kept);
    }
    let places = if merged { kept + 1 } else { kept };
    (place, places, merged)
}

/// The name of the group that merges the `n` quietest groups, e.g. "5 more
/// kinds": never "Other", which is also a kind of its own (and a common
/// one), so the two could stand side by side in a legend. `noun` is the
/// plural; one group gives the singular.
pub fn rest_label(n: usize, noun: &str) -> String {
    let noun = if n == 1 {
        match noun {
            "countries" => "country",
            _ => noun.strip_suffix('s').unwrap_or(noun),
        }
    } else {
        noun
    };
    format!("{n} more {noun}")
}

/// `notes` broken into lines at spaces so that each fits `max` pixels at
/// `size` (a word longer than a line is cut with an ellipsis).
pub fn wrap(notes: &[String], max: f64, size: f64) -> Vec<String> {
    let mut out = Vec::new();
    for n in notes {
        let mut line = String::new();
        for word in n.split(' ') {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text::width(&candidate, size, false) <= max || line.is_empty() {
                line = candidate;
            } else {
                out.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
        out.push(line);
    }
    out.into_iter().map(|l| fit(&l, max, size, false)).collect()
}

/// `1 event`, `3 events`, `1–3 events`.
pub fn events_text(c: Cell) -> String {
    let n = if c.possible == 1 { "event" } else { "events" };
    format!("{} {n}", c.text())
}

/// The count charts' text size, in pixels.
pub const FONT: f64 = 11.0;

/// `s` cut to `max` pixels with `…`, or empty when nothing fits.
pub fn fit(s: &str, max: f64, size: f64, bold: bool) -> String {
    text::fit(s, max, size, bold).map_or_else(String::new, |c| c.into_owned())
}

/// A count chart's canvas with its title and subtitle drawn.
pub fn header(width: u32, height: u32, title: &str, subtitle: &str) -> Painter {
    let w = f64::from(width);
    let p = Painter::new(width, height, &text::clean(title));
    p.fill_rect(0.0, 0.0, w, f64::from(height), Paint::solid(palette::WHITE));
    p.doc().open_group("header", &[]);
    p.text(
        &fit(&text::clean(title), w - 32.0, 16.0, true),
        (16.0, 22.0),
        TextSpec::new(16.0, palette::INK).bold(),
    );
    p.text(
        &fit(subtitle, w - 32.0, FONT, false),
        (16.0, 42.0),
        TextSpec::new(FONT, palette::MUTED),
    );
    p.doc().close();
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_label_is_never_other() {
        assert_eq!(rest_label(5, "kinds"), "5 more kinds");
        assert_eq!(rest_label(1, "kinds"), "1 more kind");
        assert_eq!(rest_label(1, "countries"), "1 more country");
        assert_eq!(rest_label(3, "actors"), "3 more actors");
    }

    #[test]
    fn heat_runs_from_light_yellow_to_dark_purple() {
        assert_eq!(heat(0.0), Rgb(0xfd, 0xe7, 0x25));
        assert_eq!(heat(1.0), Rgb(0x44, 0x01, 0x54));
        assert!(dark(heat(1.0)) && !dark(heat(0.0)));
        assert_eq!(heat(f64::NAN), heat(0.0));
    }

    #[test]
    fn notes_wrap_at_spaces_within_the_width() {
        let lines = wrap(
            &["aaa bbb ccc ddd".to_string()],
            text::width("aaa bbb", 10.0, false),
            10.0,
        );
        assert_eq!(lines, ["aaa bbb", "ccc ddd"]);
    }

    #[test]
    fn rank_merges_the_quietest_into_other() {
        let c = |n| Cell {
            certain: n,
            possible: n,
        };
        let (place, n, merged) = rank(&["a", "b", "c", "d"], &[c(1), c(5), c(3), c(1)], 3);
        assert_eq!((place, n, merged), (vec![2, 0, 1, 2], 3, true));
        let (place, n, merged) = rank(&["a", "b"], &[c(1), c(1)], 3);
        assert_eq!((place, n, merged), (vec![0, 1], 2, false));
    }
}
