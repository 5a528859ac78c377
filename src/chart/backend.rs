//! Our SVG drawing backend for plotters.
//!
//! plotters' own SVG backend cannot give a mark a tooltip (`<title>`) or a
//! link (`<a href>`), passes control characters through (which makes the
//! SVG invalid XML) and estimates text width by counting bytes. This one
//! implements [`DrawingBackend`] over an [`SvgDoc`] that the chart code also
//! holds, so it can open groups, links and tooltips between plotters'
//! drawing calls and set a dash pattern for the lines that follow.
//!
//! Output is deterministic: coordinates are integers, the few fractional
//! numbers are printed by [`num`], and nothing depends on time or hashing.

use crate::chart::text;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};
use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

/// The SVG being written: a string, plus the state our extensions set.
#[derive(Debug)]
pub struct SvgDoc {
    buf: String,
    dash: Option<&'static str>,
    halo: bool,
    depth: usize,
}

impl SvgDoc {
    /// Starts a document of `width` x `height` pixels with a title for
    /// screen readers. Drawing coordinates are in units of 1/`scale` pixel,
    /// so that integer coordinates (all plotters has) still place marks to
    /// a tenth of a pixel.
    pub fn new(width: u32, height: u32, scale: u32, title: &str) -> Self {
        let mut buf = String::with_capacity(64 * 1024);
        let _ = write!(
            buf,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {} {}\" font-family=\"{}\" role=\"img\">\n<title>",
            u64::from(width) * u64::from(scale),
            u64::from(height) * u64::from(scale),
            text::FONT_FAMILY
        );
        push_escaped(&mut buf, title, false);
        buf.push_str("</title>\n");
        SvgDoc {
            buf,
            dash: None,
            halo: false,
            depth: 0,
        }
    }

    /// Closes every open group and the document, and returns the SVG.
    pub fn finish(&mut self) -> String {
        while self.depth > 0 {
            self.close();
        }
        self.buf.push_str("</svg>\n");
        std::mem::take(&mut self.buf)
    }

    /// Opens `<g class=..>` with `data-*` attributes; close it with [`SvgDoc::close`].
    pub fn open_group(&mut self, class: &str, data: &[(&str, &str)]) {
        self.buf.push_str("<g class=\"");
        push_escaped(&mut self.buf, class, false);
        self.buf.push('"');
        for (k, v) in data {
            self.buf.push_str(" data-");
            push_escaped(&mut self.buf, k, false);
            self.buf.push_str("=\"");
            push_escaped(&mut self.buf, v, false);
            self.buf.push('"');
        }
        self.buf.push_str(">\n");
        self.depth += 1;
    }

    /// Opens a link to `url` when it is an http or https URL and returns
    /// whether it did; close it with [`SvgDoc::close_link`].
    pub fn open_link(&mut self, url: &str) -> bool {
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return false;
        }
        self.buf.push_str("<a href=\"");
        push_escaped(&mut self.buf, url, false);
        self.buf.push_str("\" target=\"_blank\">\n");
        true
    }

    /// Closes a link opened by [`SvgDoc::open_link`].
    pub fn close_link(&mut self) {
        self.buf.push_str("</a>\n");
    }

    /// Closes the innermost group.
    pub fn close(&mut self) {
        if self.depth > 0 {
            self.depth -= 1;
            self.buf.push_str("</g>\n");
        }
    }

    /// Writes a tooltip for the enclosing group; line breaks are kept.
    pub fn tooltip(&mut self, text: &str) {
        self.buf.push_str("<title>");
        push_escaped(&mut self.buf, text, true);
        self.buf.push_str("</title>\n");
    }

    /// Sets the dash pattern (`"4 3"`) of the lines and outlines drawn
    /// next, or solid lines for `None`.
    pub fn set_dash(&mut self, dash: Option<&'static str>) {
        self.dash = dash;
    }

    /// Gives the texts drawn next a white halo, so that lines under them
    /// do not cut through the letters.
    pub fn set_halo(&mut self, halo: bool) {
        self.halo = halo;
    }

    fn paint(&mut self, color: BackendColor, fill: bool, stroke_width: u32) {
        let (r, g, b) = color.rgb;
        let alpha = color.alpha.clamp(0.0, 1.0);
        if fill {
            let _ = write!(self.buf, " fill=\"#{r:02x}{g:02x}{b:02x}\"");
            if alpha < 1.0 {
                let _ = write!(self.buf, " fill-opacity=\"{}\"", num(alpha));
            }
        } else {
            let _ = write!(
                self.buf,
                " fill=\"none\" stroke=\"#{r:02x}{g:02x}{b:02x}\" stroke-width=\"{stroke_width}\""
            );
            if alpha < 1.0 {
                let _ = write!(self.buf, " stroke-opacity=\"{}\"", num(alpha));
            }
            if let Some(d) = self.dash {
                let _ = write!(self.buf, " stroke-dasharray=\"{d}\"");
            }
        }
    }
}

/// A number with at most three decimals and no trailing zeros, the same on
/// every platform.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let milli = (x * 1000.0).round() as i64;
    let (sign, milli) = if milli < 0 {
        ("-", -milli)
    } else {
        ("", milli)
    };
    let (int, frac) = (milli / 1000, milli % 1000);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:03}");
        format!("{sign}{int}.{}", f.trim_end_matches('0'))
    }
}

/// Appends `s` escaped for XML text and attributes, without control
/// characters; `multiline` keeps line breaks (tooltips), otherwise they
/// become spaces.
pub fn push_escaped(buf: &mut String, s: &str, multiline: bool) {
    for c in s.chars() {
        match c {
            '&' => buf.push_str("&amp;"),
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '"' => buf.push_str("&quot;"),
            '\'' => buf.push_str("&#39;"),
            '\n' if multiline => buf.push('\n'),
            '\n' | '\r' | '\t' => buf.push(' '),
            // Bidirectional embeddings, overrides and isolates (U+202A-202E,
            // U+2066-2069) could reorder the rest of the label or page
            // ("txt.exe" shown for "exe.txt"): dropped like controls.
            c if c.is_control()
                || matches!(c, '\u{FFFE}' | '\u{FFFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
                {}
            c => buf.push(c),
        }
    }
}

/// A drawing backend writing into a shared [`SvgDoc`].
pub struct SvgBackend {
    doc: Rc<RefCell<SvgDoc>>,
    size: (u32, u32),
}

impl SvgBackend {
    pub fn new(doc: Rc<RefCell<SvgDoc>>, size: (u32, u32)) -> Self {
        SvgBackend { doc, size }
    }
}

/// Writing to a string cannot fail; the backend never reports an error.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unreachable SVG backend error")
    }
}

impl std::error::Error for Never {}

type Result = std::result::Result<(), DrawingErrorKind<Never>>;

impl DrawingBackend for SvgBackend {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Result {
        if color.alpha == 0.0 {
            return Ok(());
        }
        let mut d = self.doc.borrow_mut();
        let _ = write!(d.buf, "<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\"");
        d.paint(color, true, 0);
        d.buf.push_str("/>\n");
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        (x1, y1): BackendCoord,
        (x2, y2): BackendCoord,
        style: &S,
    ) -> Result {
        let mut d = self.doc.borrow_mut();
        let _ = write!(
            d.buf,
            "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\""
        );
        d.paint(style.color(), false, style.stroke_width());
        d.buf.push_str("/>\n");
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        let (x, y) = (x0.min(x1), y0.min(y1));
        let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
        let mut d = self.doc.borrow_mut();
        let _ = write!(
            d.buf,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\""
        );
        d.paint(style.color(), fill, style.stroke_width());
        d.buf.push_str("/>\n");
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        let mut d = self.doc.borrow_mut();
        d.buf.push_str("<polyline points=\"");
        push_points(&mut d.buf, path);
        d.buf.push('"');
        d.paint(style.color(), false, style.stroke_width());
        d.buf
            .push_str(" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n");
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        let mut d = self.doc.borrow_mut();
        let _ = write!(d.buf, "<circle cx=\"{x}\" cy=\"{y}\" r=\"{radius}\"");
        d.paint(style.color(), fill, style.stroke_width());
        d.buf.push_str("/>\n");
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        let mut d = self.doc.borrow_mut();
        d.buf.push_str("<polygon points=\"");
        push_points(&mut d.buf, vert);
        d.buf.push('"');
        d.paint(style.color(), true, 0);
        d.buf.push_str("/>\n");
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        s: &str,
        style: &T,
        (x, y): BackendCoord,
    ) -> Result {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let size = style.size();
        let anchor = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Center => "middle",
            HPos::Right => "end",
        };
        // Baselines are computed here rather than left to
        // `dominant-baseline`, which renderers treat differently.
        let shift = match style.anchor().v_pos {
            VPos::Top => 0.76 * size,
            VPos::Center => 0.36 * size,
            VPos::Bottom => -0.24 * size,
        };
        let rotate = match style.transform() {
            FontTransform::None => 0,
            FontTransform::Rotate90 => 90,
            FontTransform::Rotate180 => 180,
            FontTransform::Rotate270 => 270,
        };
        let (bx, by) = match rotate {
            90 => (f64::from(x) - shift, f64::from(y)),
            270 => (f64::from(x) + shift, f64::from(y)),
            180 => (f64::from(x), f64::from(y) - shift),
            _ => (f64::from(x), f64::from(y) + shift),
        };
        let mut d = self.doc.borrow_mut();
        let _ = write!(
            d.buf,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"",
            num(bx),
            num(by),
            num(size)
        );
        if anchor != "start" {
            let _ = write!(d.buf, " text-anchor=\"{anchor}\"");
        }
        match style.style() {
            FontStyle::Bold => d.buf.push_str(" font-weight=\"bold\""),
            FontStyle::Italic => d.buf.push_str(" font-style=\"italic\""),
            FontStyle::Oblique => d.buf.push_str(" font-style=\"oblique\""),
            FontStyle::Normal => {}
        }
        if rotate != 0 {
            let _ = write!(
                d.buf,
                " transform=\"rotate({rotate} {} {})\"",
                num(bx),
                num(by)
            );
        }
        d.paint(color, true, 0);
        if d.halo {
            d.buf.push_str(
                " stroke=\"#ffffff\" stroke-width=\"30\" stroke-opacity=\"0.85\" \
                 stroke-linejoin=\"round\" paint-order=\"stroke\"",
            );
        }
        d.buf.push('>');
        push_escaped(&mut d.buf, s, false);
        d.buf.push_str("</text>\n");
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        s: &str,
        style: &T,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<Never>> {
        let bold = matches!(style.style(), FontStyle::Bold);
        let w = text::width(s, style.size(), bold).ceil() as u32;
        Ok((w, style.size().ceil() as u32))
    }
}

fn push_points(buf: &mut String, pts: impl IntoIterator<Item = BackendCoord>) {
    for (i, (x, y)) in pts.into_iter().enumerate() {
        if i > 0 {
            buf.push(' ');
        }
        let _ = write!(buf, "{x},{y}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_the_same_everywhere() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(1.0 / 3.0), "0.333");
        assert_eq!(num(-2.5), "-2.5");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn escaping_removes_controls_and_markup() {
        let mut b = String::new();
        push_escaped(
            &mut b,
            "</text><script>alert(1)</script>\u{0}\u{1b}&\"'\u{202e}\u{2066}",
            false,
        );
        assert_eq!(
            b,
            "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"
        );
    }

    #[test]
    fn links_only_to_web_addresses() {
        let mut d = SvgDoc::new(10, 10, 1, "t");
        assert!(!d.open_link("javascript:alert(1)"));
        assert!(d.open_link("https://example.org/?a=1&b=2"));
        d.close_link();
        let svg = d.finish();
        assert!(svg.contains("href=\"https://example.org/?a=1&amp;b=2\""));
        assert!(!svg.contains("javascript"));
    }
}
