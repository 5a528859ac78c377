//! A small painter over plotters' drawing area and our backend: shapes in
//! pixel coordinates (fractions kept to a tenth of a pixel), marker shapes,
//! and text.

use crate::chart::backend::{SvgBackend, SvgDoc};
use crate::chart::palette::{Rgb, Shape};
use plotters::coord::Shift;
use plotters::prelude::{
    Circle, DrawingArea, IntoDrawingArea, PathElement, Polygon, RGBAColor, Rectangle, ShapeStyle,
    Text,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, TextStyle};
use std::cell::{RefCell, RefMut};
use std::rc::Rc;

/// Drawing units per pixel.
pub const SCALE: f64 = 10.0;

/// How a shape is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paint {
    pub color: Rgb,
    pub alpha: f64,
}

impl Paint {
    pub const fn solid(color: Rgb) -> Paint {
        Paint { color, alpha: 1.0 }
    }

    pub const fn faded(color: Rgb, alpha: f64) -> Paint {
        Paint { color, alpha }
    }

    fn rgba(self) -> RGBAColor {
        RGBAColor(self.color.0, self.color.1, self.color.2, self.alpha)
    }
}

/// How a text is set.
#[derive(Clone, Copy)]
pub struct TextSpec {
    pub size: f64,
    pub bold: bool,
    pub anchor: HPos,
    pub color: Rgb,
    /// Rotated a quarter turn counter-clockwise (a vertical axis title).
    pub vertical: bool,
}

impl TextSpec {
    pub const fn new(size: f64, color: Rgb) -> TextSpec {
        TextSpec {
            size,
            bold: false,
            anchor: HPos::Left,
            color,
            vertical: false,
        }
    }

    pub const fn bold(mut self) -> TextSpec {
        self.bold = true;
        self
    }

    pub const fn anchor(mut self, anchor: HPos) -> TextSpec {
        self.anchor = anchor;
        self
    }

    pub const fn vertical(mut self) -> TextSpec {
        self.vertical = true;
        self
    }
}

/// Draws through plotters onto an [`SvgDoc`].
pub struct Painter {
    area: DrawingArea<SvgBackend, Shift>,
    doc: Rc<RefCell<SvgDoc>>,
}

fn p(v: f64) -> i32 {
    let v = (v * SCALE).round();
    if v.is_finite() {
        v.clamp(-1e9, 1e9) as i32
    } else {
        0
    }
}

fn pt((x, y): (f64, f64)) -> (i32, i32) {
    (p(x), p(y))
}

/// A stroke width in drawing units.
fn sw(px: f64) -> u32 {
    (px * SCALE).round().max(1.0) as u32
}

impl Painter {
    /// A blank `width` x `height` pixel canvas.
    pub fn new(width: u32, height: u32, title: &str) -> Painter {
        let doc = Rc::new(RefCell::new(SvgDoc::new(
            width,
            height,
            SCALE as u32,
            title,
        )));
        let size = (
            width.saturating_mul(SCALE as u32),
            height.saturating_mul(SCALE as u32),
        );
        let area = SvgBackend::new(Rc::clone(&doc), size).into_drawing_area();
        Painter { area, doc }
    }

    /// The document, for groups, links and tooltips. Do not hold the guard
    /// across drawing calls.
    pub fn doc(&self) -> RefMut<'_, SvgDoc> {
        self.doc.borrow_mut()
    }

    /// The finished SVG.
    pub fn finish(self) -> String {
        drop(self.area);
        self.doc.borrow_mut().finish()
    }

    fn draw<E>(&self, r: Result<(), E>) {
        // Our backend cannot fail; see backend::Never.
        debug_assert!(r.is_ok());
    }

    pub fn fill_rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, paint: Paint) {
        let style = ShapeStyle {
            color: paint.rgba(),
            filled: true,
            stroke_width: 0,
        };
        self.draw(
            self.area
                .draw(&Rectangle::new([pt((x0, y0)), pt((x1, y1))], style)),
        );
    }

    pub fn stroke_rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, paint: Paint, width: f64) {
        let style = ShapeStyle {
            color: paint.rgba(),
            filled: false,
            stroke_width: sw(width),
        };
        self.draw(
            self.area
                .draw(&Rectangle::new([pt((x0, y0)), pt((x1, y1))], style)),
        );
    }

    /// Diagonal lines (bottom-left to top-right) every `gap` pixels across
    /// the rectangle, clipped to it: a fill that reads as "not solid" in
    /// the colour of `paint`, so it is told apart from a light tint of
    /// another colour.
    pub fn hatch_rect(
        &self,
        (x0, y0, x1, y1): (f64, f64, f64, f64),
        paint: Paint,
        gap: f64,
        width: f64,
    ) {
        let (w, h) = (x1 - x0, y1 - y0);
        if w <= 0.0 || h <= 0.0 || gap <= 0.0 {
            return;
        }
        // Lines u + v = d, u rightwards from the left side and v upwards
        // from the bottom; d is phased on the canvas so that the lines of
        // stacked rectangles meet.
        let mut d = gap - (x0 - y1).rem_euclid(gap);
        while d < w + h {
            let (ua, ub) = ((d - h).max(0.0), d.min(w));
            self.line(
                &[(x0 + ua, y1 - (d - ua)), (x0 + ub, y1 - (d - ub))],
                paint,
                width,
            );
            d += gap;
        }
    }

    /// An open polyline.
    pub fn line(&self, pts: &[(f64, f64)], paint: Paint, width: f64) {
        let style = ShapeStyle {
            color: paint.rgba(),
            filled: false,
            stroke_width: sw(width),
        };
        let pts: Vec<(i32, i32)> = pts.iter().copied().map(pt).collect();
        self.draw(self.area.draw(&PathElement::new(pts, style)));
    }

    pub fn polygon(&self, pts: &[(f64, f64)], paint: Paint) {
        let style = ShapeStyle {
            color: paint.rgba(),
            filled: true,
            stroke_width: 0,
        };
        let pts: Vec<(i32, i32)> = pts.iter().copied().map(pt).collect();
        self.draw(self.area.draw(&Polygon::new(pts, style)));
    }

    pub fn circle(&self, (x, y): (f64, f64), r: f64, paint: Paint, fill: bool, width: f64) {
        let style = ShapeStyle {
            color: paint.rgba(),
            filled: fill,
            stroke_width: sw(width),
        };
        let r = (r * SCALE).round().max(1.0) as i32;
        self.draw(self.area.draw(&Circle::new(pt((x, y)), r, style)));
    }

    /// A marker of `shape` around `c` with radius about `r`: filled with
    /// `fill` if given, outlined with `outline` if given.
    pub fn marker(
        &self,
        shape: Shape,
        c: (f64, f64),
        r: f64,
        fill: Option<Paint>,
        outline: Option<(Paint, f64)>,
    ) {
        if shape == Shape::Circle {
            if let Some(f) = fill {
                self.circle(c, r, f, true, 0.0);
            }
            if let Some((o, w)) = outline {
                self.circle(c, r - w / 2.0, o, false, w);
            }
            return;
        }
        let mut pts = marker_points(shape, c, r);
        if let Some(f) = fill {
            self.polygon(&pts, f);
        }
        if let Some((o, w)) = outline {
            // Inset so the outline stays within the filled shape's size.
            let inset = marker_points(shape, c, (r - w / 2.0).max(0.5));
            pts = inset;
            pts.push(pts[0]);
            self.line(&pts, o, w);
        }
    }

    pub fn text(&self, s: &str, (x, y): (f64, f64), spec: TextSpec) {
        let family = FontFamily::Name(crate::chart::text::FONT_FAMILY);
        let weight = if spec.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let mut font = FontDesc::new(family, spec.size * SCALE, weight);
        if spec.vertical {
            font = font.transform(FontTransform::Rotate270);
        }
        let color = RGBAColor(spec.color.0, spec.color.1, spec.color.2, 1.0);
        let style = TextStyle::from(font)
            .color(&color)
            .pos(Pos::new(spec.anchor, VPos::Center));
        self.draw(self.area.draw(&Text::new(s, pt((x, y)), style)));
    }
}

/// The corners of a marker, clockwise from the top.
pub fn marker_points(shape: Shape, (x, y): (f64, f64), r: f64) -> Vec<(f64, f64)> {
    match shape {
        Shape::Circle => (0..16)
            .map(|i| {
                let a = f64::from(i) * std::f64::consts::TAU / 16.0;
                (x + r * a.sin(), y - r * a.cos())
            })
            .collect(),
        Shape::Square => {
            let s = r * 0.85;
            vec![
                (x - s, y - s),
                (x + s, y - s),
                (x + s, y + s),
                (x - s, y + s),
            ]
        }
        Shape::Diamond => {
            let s = r * 1.2;
            vec![(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
        }
        Shape::TriangleUp => vec![
            (x, y - r * 1.15),
            (x + r * 1.1, y + r * 0.8),
            (x - r * 1.1, y + r * 0.8),
        ],
        Shape::TriangleDown => vec![
            (x - r * 1.1, y - r * 0.8),
            (x + r * 1.1, y - r * 0.8),
            (x, y + r * 1.15),
        ],
        Shape::Star => (0..10)
            .map(|i| {
                let a = f64::from(i) * std::f64::consts::PI / 5.0;
                let rr = if i % 2 == 0 { r * 1.3 } else { r * 0.58 };
                (x + rr * a.sin(), y - rr * a.cos())
            })
            .collect(),
    }
}
