//! Colours and marker shapes of event kinds.
//!
//! Colours come from the Okabe-Ito palette, chosen to stay distinguishable
//! for readers with the common forms of colour blindness; its yellow (too
//! pale on white) and black (read as text) are left out. With six colours
//! and six shapes, up to 36 kinds get a unique pair, and any two kinds that
//! share a colour differ in shape. A declared kind's `color` wins.
//!
//! Kinds are numbered over the whole record, not the chart, so that every
//! chart of one record draws a kind the same way.

use crate::model::{BUILTIN_KINDS, Record};

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
}

/// The style of every kind a record uses.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    kinds: Vec<KindStyle>,
}

impl Palette {
    /// Numbers the kinds `record`'s events use: built-in kinds in their
    /// documented order, then declared kinds in file order, then any other.
    pub fn new(record: &Record) -> Palette {
        let used: std::collections::BTreeSet<&str> =
            record.events.iter().map(|e| e.kind.as_str()).collect();
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
                KindStyle {
                    id: (*id).to_string(),
                    label: def
                        .and_then(|d| d.label.clone())
                        .unwrap_or_else(|| humanize(id)),
                    color: def
                        .and_then(|d| d.color.as_deref())
                        .and_then(Rgb::parse)
                        .unwrap_or(OKABE_ITO[i % OKABE_ITO.len()]),
                    shape: Shape::ALL[(i + i / OKABE_ITO.len()) % Shape::ALL.len()],
                    rank: i,
                }
            })
            .collect();
        Palette { kinds }
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
            })
    }

    /// Every kind, in order.
    pub fn kinds(&self) -> &[KindStyle] {
        &self.kinds
    }
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
    fn parses_colours_and_words() {
        assert_eq!(Rgb::parse("#6a3d9a"), Some(Rgb(0x6a, 0x3d, 0x9a)));
        assert_eq!(Rgb::parse("#6a3d9"), None);
        assert_eq!(Rgb::parse("#ééé"), None);
        assert_eq!(humanize("phone-call"), "Phone call");
        assert_eq!(humanize(""), "");
    }
}
