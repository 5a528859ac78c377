//! PDF and PNG from a chart's SVG, with the DejaVu Sans files embedded in
//! the binary (`src/chart/fonts/`, Bitstream Vera licence, which allows
//! embedding), the font whose advance widths `text` measures with. No system
//! font is ever looked up, so the same SVG gives the same bytes on every
//! machine, and labels fit exactly as packed.
//!
//! PDF: typst's `svg2pdf` writes text as text in a subset of the embedded
//! font, so it can be searched and selected. PNG: `resvg` renders at the
//! requested dots per inch, and the file records them (pHYs), so word
//! processors place it at the chart's physical size.

use crate::keyword::keyword_enum;
use std::sync::Arc;

keyword_enum!(
    /// An output format.
    Format ("format") {
        Svg = "svg",
        Pdf = "pdf",
        Png = "png",
    }
);

impl Format {
    /// The format a file name asks for: `.pdf` and `.png` (any case), else SVG.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("pdf") => Format::Pdf,
            Some("png") => Format::Png,
            _ => Format::Svg,
        }
    }
}

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

fn options() -> resvg::usvg::Options<'static> {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    // Whatever family a stack falls back to resolves to DejaVu Sans.
    db.set_sans_serif_family("DejaVu Sans");
    db.set_serif_family("DejaVu Sans");
    db.set_monospace_family("DejaVu Sans");
    resvg::usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: Arc::new(db),
        ..resvg::usvg::Options::default()
    }
}

fn tree(svg: &str) -> Result<resvg::usvg::Tree, String> {
    resvg::usvg::Tree::from_str(svg, &options())
        .map_err(|e| format!("cannot read the chart's SVG: {e}"))
}

/// A one-page vector PDF of `svg`, the page the SVG's width and height.
pub fn pdf(svg: &str) -> Result<Vec<u8>, String> {
    let tree = tree(svg)?;
    // usvg reads lengths as CSS pixels (96 per inch); at 96 dpi svg2pdf
    // makes the page exactly the SVG's physical size.
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page)
        .map_err(|e| format!("cannot convert the chart to PDF: {e}"))
}

/// A PNG of `svg` at `dpi` dots per inch of its physical size (an SVG in
/// plain pixels is 96 per inch).
pub fn png(svg: &str, dpi: f64) -> Result<Vec<u8>, String> {
    let tree = tree(svg)?;
    let zoom = (dpi / 96.0) as f32;
    let size = tree.size();
    let (w, h) = (
        (size.width() * zoom).round() as u32,
        (size.height() * zoom).round() as u32,
    );
    if u64::from(w) * u64::from(h) > 400_000_000 {
        return Err(format!(
            "a PNG of {w} x {h} pixels is too large; lower --dpi or --size"
        ));
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1))
        .ok_or_else(|| format!("cannot make a PNG of {w} x {h} pixels"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(zoom, zoom),
        &mut pixmap.as_mut(),
    );
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let per_metre = (dpi / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc
            .write_header()
            .map_err(|e| format!("cannot write the PNG: {e}"))?;
        writer
            .write_image_data(&rgba)
            .map_err(|e| format!("cannot write the PNG: {e}"))?;
    }
    Ok(out)
}
