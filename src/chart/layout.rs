//! Boxes on the canvas, and where the chart put its labels and marks, so
//! that tests (and callers) can check that nothing overlaps.

/// An axis-aligned box in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two boxes share any area (touching edges do not count).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
}

/// A placed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub text: String,
    pub rect: Rect,
}

/// A drawn event marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub event: String,
    pub lane: usize,
    /// The marker glyph itself (not its range or bar); the bar's box when
    /// no glyph is drawn.
    pub rect: Rect,
    pub glyph: Glyph,
    /// Left and right end of the range or bar drawn, equal for a day.
    pub span: (f64, f64),
}

/// What stands for an event's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyph {
    /// A solid marker on a day the record gives.
    Day,
    /// A hollow marker crossed by the range: somewhere in the range, not a
    /// day.
    Hollow,
    /// Only the range or bar (too little of it is in the window for a
    /// marker that would not cover the "continues" arrow).
    Bar,
}

/// Where a chart put things.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    /// Event labels.
    pub labels: Vec<Placed>,
    /// Event markers, one per event per lane (not for density lanes).
    pub marks: Vec<Mark>,
    /// Lane names, top to bottom.
    pub lanes: Vec<LaneInfo>,
    /// Time-axis tick labels, left to right.
    pub ticks: Vec<String>,
    /// Kinds (or groups) in the legend, by id.
    pub legend: Vec<String>,
}

/// A lane as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneInfo {
    pub name: String,
    /// Events drawn in the lane (markers or counted), off-chart ones not included.
    pub shown: usize,
    /// Events outside the time window, before and after.
    pub before: usize,
    pub after: usize,
    /// The lane shows counts per bin instead of markers.
    pub density: bool,
    /// Of a density lane's events, those no one bin holds (not counted).
    pub spread: usize,
    pub rect: Rect,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_boxes_do_not_intersect() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(!a.intersects(&Rect::new(10.0, 0.0, 5.0, 5.0)));
        assert!(a.intersects(&Rect::new(9.0, 9.0, 5.0, 5.0)));
    }
}
