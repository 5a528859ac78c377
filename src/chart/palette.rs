//! Colours and marker shapes of event kinds.
//!
//! Colours come from the Okabe-Ito palette, chosen to stay distinguishable
//! for readers with the common forms of colour blindness; its yellow (too
//! pale on white) and black (read as text) are left out. With six colours
//! and six shapes, up to 36 kinds get a unique pair, and any two kinds that
//! share a colour differ in shape. A declared kind's `color` wins.
//!
//! Kinds are numbered over the whole record, not the chart, so that every
//! chart of one record draws a kind the same way. Actors and countries get
//! a colour the same way ([`Palette::actor_color`]): by their rank in the
//! whole record, so Japan is one colour in every chart of it.
//!
//! Declared colours are checked ([`color_warnings`]): two kinds whose
//! colours are nearly the same, for normal vision or under simulated
//! protanopia or deuteranopia, or a colour that reads as black ink.

use crate::index::Index;
use crate::model::{BUILTIN_KINDS, Record};
use std::collections::BTreeMap;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rrggbb`.
    pub fn parse(s: &str) -> Option<Rgb> {
        let h = s.strip_prefix('#')?;
        if h.len() != 6 || !h.is_ascii() {
            return None;
        }
        let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
        Some(Rgb(c(0)?, c(2)?, c(4)?))
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Okabe-Ito without yellow and black, most distinct first.
pub const OKABE_ITO: [Rgb; 6] = [
    Rgb(0x00, 0x72, 0xB2), // blue
    Rgb(0xD5, 0x5E, 0x00), // vermillion
    Rgb(0x00, 0x9E, 0x73), // bluish green
    Rgb(0xCC, 0x79, 0xA7), // reddish purple
    Rgb(0xE6, 0x9F, 0x00), // orange
    Rgb(0x56, 0xB4, 0xE9), // sky blue
];

/// Text, axes and density bars.
pub const INK: Rgb = Rgb(0x22, 0x22, 0x22);
/// Secondary text.
pub const MUTED: Rgb = Rgb(0x66, 0x66, 0x66);
/// Grid lines and lane separators.
pub const GRID: Rgb = Rgb(0xDD, 0xDD, 0xDD);
/// Every other lane's background.
pub const ZEBRA: Rgb = Rgb(0xF4, 0xF5, 0xF7);
pub const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
/// Relations and off-chart arrows.
pub const ARROW: Rgb = Rgb(0x55, 0x55, 0x55);

/// A marker's outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    TriangleUp,
    TriangleDown,
    Star,
}

impl Shape {
    pub const ALL: [Shape; 6] = [
        Shape::Circle,
        Shape::Square,
        Shape::Diamond,
        Shape::TriangleUp,
        Shape::TriangleDown,
        Shape::Star,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Square => "square",
            Shape::Diamond => "diamond",
            Shape::TriangleUp => "triangle-up",
            Shape::TriangleDown => "triangle-down",
            Shape::Star => "star",
        }
    }
}

/// How one kind is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindStyle {
    pub id: String,
    /// The declared label, or the id in words ("phone-call" -> "Phone call").
    pub label: String,
    pub color: Rgb,
    pub shape: Shape,
    /// Position in the record's kind order, for sorting legends.
    pub rank: usize,
    /// The colour was declared in the record (not from the palette).
    pub declared: bool,
}

/// The style of every kind a record uses.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    kinds: Vec<KindStyle>,
    /// Actor id and country code to colour, over the whole record.
    actors: BTreeMap<String, Rgb>,
    countries: BTreeMap<String, Rgb>,
}

impl Palette {
    /// Numbers the kinds `record`'s events use: built-in kinds in their
    /// documented order, then declared kinds in file order, then any other.
    pub fn new(record: &Record) -> Palette {
        // Gathered in hash sets, a block of events on each core, then
        // ordered: a record has few kinds and many events, and a B-tree
        // compared strings for every event.
        type KindSet<'a> = std::collections::HashSet<&'a str, foldhash::fast::RandomState>;
        let blocks: Vec<&[crate::model::Event]> = record.events.chunks(16_384).collect();
        let sets: Vec<KindSet> =
            crate::par::map(&blocks, |b| b.iter().map(|e| e.kind.as_str()).collect());
        let used: std::collections::BTreeSet<&str> = sets.into_iter().flatten().collect();
        let mut order: Vec<&str> = BUILTIN_KINDS
            .iter()
            .copied()
            .filter(|k| used.contains(k))
            .collect();
        for k in &record.kinds {
            if used.contains(k.id.as_str()) && !order.contains(&k.id.as_str()) {
                order.push(&k.id);
            }
        }
        for k in &used {
            if !order.contains(k) {
                order.push(k);
            }
        }
        let kinds = order
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let def = record.kinds.iter().find(|k| k.id == *id);
                let declared = def.and_then(|d| d.color.as_deref()).and_then(Rgb::parse);
                KindStyle {
                    id: (*id).to_string(),
                    label: def
                        .and_then(|d| d.label.clone())
                        .unwrap_or_else(|| humanize(id)),
                    color: declared.unwrap_or(OKABE_ITO[i % OKABE_ITO.len()]),
                    shape: Shape::ALL[(i + i / OKABE_ITO.len()) % Shape::ALL.len()],
                    rank: i,
                    declared: declared.is_some(),
                }
            })
            .collect();
        Palette {
            kinds,
            ..Palette::default()
        }
    }

    /// With colours for the record's actors and countries too (a pass over
    /// every event, so only for the charts that colour by them).
    pub fn with_actor_colors(mut self, record: &Record) -> Palette {
        (self.actors, self.countries) = actor_colors(record);
        self
    }

    /// The colour of actor `id` in every chart of the record (grey unless
    /// made [`Palette::with_actor_colors`]).
    pub fn actor_color(&self, id: &str) -> Rgb {
        self.actors.get(id).copied().unwrap_or(MUTED)
    }

    /// The colour of country `code` in every chart of the record.
    pub fn country_color(&self, code: &str) -> Rgb {
        self.countries.get(code).copied().unwrap_or(MUTED)
    }

    /// The rank of `kind` ([`KindStyle::rank`]) without copying its
    /// style: asked once per event of a large record.
    pub fn rank(&self, kind: &str) -> usize {
        self.kinds
            .iter()
            .find(|k| k.id == kind)
            .map_or(usize::MAX, |k| k.rank)
    }

    /// The style of `kind`; a kind the record does not use gets a grey circle.
    pub fn style(&self, kind: &str) -> KindStyle {
        self.kinds
            .iter()
            .find(|k| k.id == kind)
            .cloned()
            .unwrap_or_else(|| KindStyle {
                id: kind.to_string(),
                label: humanize(kind),
                color: MUTED,
                shape: Shape::Circle,
                rank: usize::MAX,
                declared: false,
            })
    }

    /// Every kind, in order.
    pub fn kinds(&self) -> &[KindStyle] {
        &self.kinds
    }
}

/// Colours of actors and countries by their rank in the whole record (most
/// events first, then id): the busiest six get the six palette colours,
/// the next six the same again, and so on. A chart that shows two of one
/// colour gives the quieter another ([`crate::chart::histogram`]).
fn actor_colors(record: &Record) -> (BTreeMap<String, Rgb>, BTreeMap<String, Rgb>) {
    let index = Index::new(record);
    let mut actors: BTreeMap<&str, usize> = BTreeMap::new();
    let mut countries: BTreeMap<&str, usize> = BTreeMap::new();
    let mut seen: Vec<&str> = Vec::new();
    for e in &record.events {
        seen.clear();
        for a in &e.actors {
            if !seen.contains(&a.actor.as_str()) {
                seen.push(&a.actor);
                *actors.entry(&a.actor).or_default() += 1;
            }
        }
        let n = seen.len();
        for i in 0..n {
            let c = index
                .actor(record, seen[i])
                .and_then(|x| x.country.as_deref());
            if let Some(c) = c {
                if !seen[n..].contains(&c) {
                    seen.push(c);
                    *countries.entry(c).or_default() += 1;
                }
            }
        }
    }
    let ranked = |m: BTreeMap<&str, usize>| -> BTreeMap<String, Rgb> {
        let mut v: Vec<(&str, usize)> = m.into_iter().collect();
        v.sort_by_key(|&(k, n)| (std::cmp::Reverse(n), k));
        v.into_iter()
            .enumerate()
            .map(|(i, (k, _))| (k.to_string(), OKABE_ITO[i % OKABE_ITO.len()]))
            .collect()
    };
    (ranked(actors), ranked(countries))
}

/// How far apart two colours look: CIE76 distance in CIELAB, after
/// `cvd` (a colour-vision simulation on linear RGB).
fn distance(a: Rgb, b: Rgb, cvd: &[[f64; 3]; 3]) -> f64 {
    let (p, q) = (lab(a, cvd), lab(b, cvd));
    ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2) + (p.2 - q.2).powi(2)).sqrt()
}

/// Colour-vision simulations of Machado, Oliveira and Fernandes (2009),
/// severity 1, on linear RGB.
const NORMAL: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
const PROTANOPIA: [[f64; 3]; 3] = [
    [0.152_286, 1.052_583, -0.204_868],
    [0.114_503, 0.786_281, 0.099_216],
    [-0.003_882, -0.048_116, 1.051_998],
];
const DEUTERANOPIA: [[f64; 3]; 3] = [
    [0.367_322, 0.860_646, -0.227_968],
    [0.280_085, 0.672_501, 0.047_413],
    [-0.011_820, 0.042_940, 0.968_881],
];
const VISIONS: [(&str, [[f64; 3]; 3]); 3] = [
    ("", NORMAL),
    (" under simulated protanopia", PROTANOPIA),
    (" under simulated deuteranopia", DEUTERANOPIA),
];
/// Colours closer than this (CIE76) are hard to tell apart; the six
/// palette colours are at least 17 apart under every simulation.
const TOO_CLOSE: f64 = 12.0;
/// A colour darker than this (L*) reads as black ink.
const NEAR_BLACK: f64 = 32.0;

/// CIELAB (D65) of `c` after `cvd`.
fn lab(c: Rgb, cvd: &[[f64; 3]; 3]) -> (f64, f64, f64) {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.040_45 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = [lin(c.0), lin(c.1), lin(c.2)];
    let m = |r: usize| (cvd[r][0] * l[0] + cvd[r][1] * l[1] + cvd[r][2] * l[2]).clamp(0.0, 1.0);
    let (r, g, b) = (m(0), m(1), m(2));
    let x = 0.4124 * r + 0.3576 * g + 0.1805 * b;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
    let f = |t: f64| {
        if t > 0.008_856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.950_47), f(y), f(z / 1.088_83));
    (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz))
}

/// Warnings about declared kind colours: one nearly indistinguishable from
/// another kind's (declared or not), or reading as black, for normal
/// vision or under simulated protanopia or deuteranopia. At most one
/// warning per pair or colour, naming the first vision it fails.
pub fn color_warnings(palette: &Palette) -> Vec<String> {
    let kinds = palette.kinds();
    let mut out = Vec::new();
    for (i, a) in kinds.iter().enumerate() {
        if a.declared {
            let dark = VISIONS.iter().find(|(_, m)| lab(a.color, m).0 < NEAR_BLACK);
            if let Some((vision, _)) = dark {
                out.push(format!(
                    "the colour {} of kind `{}` reads almost as black{vision}; choose a lighter one",
                    a.color.hex(),
                    a.id
                ));
            }
        }
        for b in &kinds[i + 1..] {
            if !(a.declared || b.declared) || a.color == b.color && !(a.declared && b.declared) {
                // Two palette colours, or a palette colour shared on
                // purpose (the kinds then differ in shape).
                continue;
            }
            let close = VISIONS
                .iter()
                .find(|(_, m)| distance(a.color, b.color, m) < TOO_CLOSE);
            if let Some((vision, _)) = close {
                out.push(format!(
                    "kinds `{}` ({}) and `{}` ({}) have nearly the same colour{vision}; \
                     declare a more distinct `color` for one of them",
                    a.id,
                    a.color.hex(),
                    b.id,
                    b.color.hex()
                ));
            }
        }
    }
    out
}

/// "phone-call" -> "Phone call".
pub fn humanize(id: &str) -> String {
    let mut s = id.replace('-', " ");
    if let Some(first) = s.get(..1) {
        let up = first.to_ascii_uppercase();
        s.replace_range(..1, &up);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_unique_for_36_kinds() {
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..36 {
            let pair = (OKABE_ITO[i % 6], Shape::ALL[(i + i / 6) % 6]);
            assert!(seen.insert(pair), "{i}");
        }
    }

    #[test]
    fn close_and_dark_declared_colours_are_warned() {
        let style = |id: &str, hex: &str, declared| KindStyle {
            id: id.into(),
            label: id.into(),
            color: Rgb::parse(hex).unwrap(),
            shape: Shape::Circle,
            rank: 0,
            declared,
        };
        let p = |kinds| Palette {
            kinds,
            ..Palette::default()
        };
        let w = color_warnings(&p(vec![
            style("a", "#1b9e77", true),
            style("b", "#009E73", false),
        ]));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("`a` (#1b9e77) and `b` (#009e73)"), "{w:?}");
        let w = color_warnings(&p(vec![style("firebrick", "#b22222", true)]));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("under simulated protanopia"), "{w:?}");
        // The palette's own colours are never warned about.
        let own: Vec<KindStyle> = OKABE_ITO
            .iter()
            .map(|c| style("k", &c.hex(), false))
            .collect();
        assert!(color_warnings(&p(own.clone())).is_empty());
        // Declared as palette colours, they are still far enough apart.
        let declared: Vec<KindStyle> = own
            .into_iter()
            .map(|k| KindStyle {
                declared: true,
                ..k
            })
            .collect();
        assert!(color_warnings(&p(declared)).is_empty());
    }

    #[test]
    fn parses_colours_and_words() {
        assert_eq!(Rgb::parse("#6a3d9a"), Some(Rgb(0x6a, 0x3d, 0x9a)));
        assert_eq!(Rgb::parse("#6a3d9"), None);
        assert_eq!(Rgb::parse("#ééé"), None);
        assert_eq!(humanize("phone-call"), "Phone call");
        assert_eq!(humanize(""), "");
    }
}
