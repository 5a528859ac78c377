//! Print sizes: `--size 17cm`, `17cmx12cm`, `x12cm`, `6.5in`, `1200px` and
//! `--font-size 7pt`, turned into the chart's layout width in pixels and the
//! physical size of one such pixel.
//!
//! Charts are laid out in pixels with fixed proportions (text, markers,
//! strokes, gaps). A print size does not scale the chart down after layout;
//! it chooses how many pixels wide the layout is, so that the smallest text
//! ([`SMALLEST_TEXT_PX`]) comes out at the requested font size once the SVG
//! is printed at the requested width. Everything else keeps its proportion
//! to that text, so markers, strokes and gaps are physical sizes too.

/// The smallest text any chart draws, in layout pixels (lane notes, the
/// histogram's note); `--font-size` is the size this text prints at.
pub const SMALLEST_TEXT_PX: f64 = 10.0;

/// Millimetres per CSS pixel (96 per inch).
pub const MM_PER_CSS_PX: f64 = 25.4 / 96.0;

/// A length with its unit, as the user wrote it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Length {
    pub value: f64,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Mm,
    Cm,
    In,
    Pt,
    Px,
}

impl Length {
    pub fn mm(self) -> f64 {
        self.value
            * match self.unit {
                Unit::Mm => 1.0,
                Unit::Cm => 10.0,
                Unit::In => 25.4,
                Unit::Pt => 25.4 / 72.0,
                Unit::Px => MM_PER_CSS_PX,
            }
    }

    /// `value` millimetres in `unit`, for messages.
    pub fn from_mm(mm: f64, unit: Unit) -> Length {
        let one = Length { value: 1.0, unit }.mm();
        Length {
            value: mm / one,
            unit,
        }
    }
}

impl std::fmt::Display for Length {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            Unit::Mm => "mm",
            Unit::Cm => "cm",
            Unit::In => "in",
            Unit::Pt => "pt",
            Unit::Px => "px",
        };
        // Enough digits to be exact at a tenth of a millimetre.
        let v = format!("{:.2}", self.value);
        let v = v.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{v}{unit}")
    }
}

/// Parses `17cm`, `170mm`, `6.5in`, `7pt`, `1200px`.
pub fn parse_length(s: &str) -> Result<Length, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or_else(|| format!("`{s}` has no unit (cm, mm, in, pt or px)"))?;
    let (num, unit) = s.split_at(split);
    let unit = match unit.to_ascii_lowercase().as_str() {
        "mm" => Unit::Mm,
        "cm" => Unit::Cm,
        "in" => Unit::In,
        "pt" => Unit::Pt,
        "px" => Unit::Px,
        other => return Err(format!("`{other}` is not a unit: use cm, mm, in, pt or px")),
    };
    let value: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{num}` in `{s}` is not a number"))?;
    if !value.is_finite() || value <= 0.0 {
        return Err(format!("`{s}` must be more than zero"));
    }
    Ok(Length { value, unit })
}

/// Parses `W`, `WxH` or `xH` (each a [`parse_length`]).
pub fn parse_size(s: &str) -> Result<(Option<Length>, Option<Length>), String> {
    let (w, h) = match s.split_once(['x', 'X']) {
        Some((w, h)) => (w, Some(h)),
        None => (s, None),
    };
    let w = if w.trim().is_empty() {
        None
    } else {
        Some(parse_length(w)?)
    };
    let h = h.map(parse_length).transpose()?;
    if w.is_none() && h.is_none() {
        return Err(format!("`{s}` gives neither a width nor a height"));
    }
    Ok((w, h))
}

/// A chart's print geometry: its layout width and the size of one layout
/// pixel on paper.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Print {
    /// Layout pixels across.
    pub width_px: u32,
    /// Millimetres per layout pixel.
    pub mm_per_px: f64,
}

impl Print {
    /// The layout for a chart `width` wide whose smallest text prints at
    /// `font`. `None` when the layout would be narrower than 320 or wider
    /// than 20,000 pixels (say, `--size 1cm` or `--font-size 0.1pt`).
    pub fn new(width: Length, font: Length) -> Option<Print> {
        let mm_per_px = font.mm() / SMALLEST_TEXT_PX;
        let px = (width.mm() / mm_per_px).round();
        if !(320.0..=20_000.0).contains(&px) {
            return None;
        }
        // The pixel size is taken from the rounded width, so the width is
        // exact on paper and text a hair off instead.
        Some(Print {
            width_px: px as u32,
            mm_per_px: width.mm() / px,
        })
    }

    /// Layout pixels for `length` (a height).
    pub fn px(&self, length: Length) -> f64 {
        length.mm() / self.mm_per_px
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        let cm = |v| Length {
            value: v,
            unit: Unit::Cm,
        };
        assert_eq!(parse_size("17cm").unwrap(), (Some(cm(17.0)), None));
        assert_eq!(
            parse_size("17cmx12cm").unwrap(),
            (Some(cm(17.0)), Some(cm(12.0)))
        );
        assert_eq!(parse_size("x12cm").unwrap(), (None, Some(cm(12.0))));
        assert_eq!(parse_length("6.5in").unwrap().mm(), 165.1);
        assert!(parse_size("17").is_err());
        assert!(parse_size("17furlongs").is_err());
        assert!(parse_size("-3cm").is_err());
        assert!(parse_size("x").is_err());
        assert_eq!(Length::from_mm(120.0, Unit::Cm).to_string(), "12cm");
    }

    #[test]
    fn the_smallest_text_prints_at_the_font_size() {
        let p = Print::new(parse_length("17cm").unwrap(), parse_length("7pt").unwrap()).unwrap();
        let pt = SMALLEST_TEXT_PX * p.mm_per_px / (25.4 / 72.0);
        assert!((pt - 7.0).abs() < 0.02, "{pt}");
        assert!((f64::from(p.width_px) * p.mm_per_px - 170.0).abs() < 1e-9);
        assert!(Print::new(parse_length("1cm").unwrap(), parse_length("7pt").unwrap()).is_none());
    }
}
