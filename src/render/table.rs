//! Terminal tables: aligned columns that fit a width, colour on request.

use super::escape::terminal_line;
use super::lookup::Lookup;
use crate::model::{Event, Record, Status};
use std::fmt::Write as _;

/// A table of text cells, before it is fitted to a width.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Columns that may be cut to fit, most willing first, each with the
    /// width it is never cut below. Others keep their width.
    pub shrink: Vec<(usize, usize)>,
}

/// How to draw a table.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableStyle {
    /// Fit within this many columns by cutting the shrinkable columns (an
    /// ellipsis marks a cut); `None` never cuts.
    pub width: Option<usize>,
    /// Bold headers (ANSI).
    pub color: bool,
}

const GAP: &str = "  ";

impl Table {
    /// The table as lines of text. Every cell is escaped for the terminal
    /// and kept on one line. Widths count characters.
    pub fn render(&self, style: TableStyle) -> String {
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|c| terminal_line(c).into_owned()).collect())
            .collect();
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &cells {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        if let Some(limit) = style.width {
            fit(&mut widths, &self.shrink, limit);
        }
        let mut out = String::new();
        let line = |out: &mut String, row: &[String], bold: bool| {
            let mut text = String::new();
            for (i, c) in row.iter().enumerate() {
                let last = i + 1 == n;
                let cut = cut(c, widths[i]);
                if last {
                    text.push_str(&cut);
                } else {
                    let pad = widths[i] - cut.chars().count();
                    let _ = write!(text, "{cut}{}{GAP}", " ".repeat(pad));
                }
            }
            let text = text.trim_end();
            if bold {
                let _ = writeln!(out, "\x1b[1m{text}\x1b[0m");
            } else {
                let _ = writeln!(out, "{text}");
            }
        };
        let headers: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        line(&mut out, &headers, style.color);
        for r in &cells {
            line(&mut out, r, false);
        }
        out
    }
}

/// Narrows the shrinkable columns, in order, until the row fits `limit`
/// (or every shrinkable column is at its minimum: then it overflows).
fn fit(widths: &mut [usize], shrink: &[(usize, usize)], limit: usize) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP.len() * w.len().saturating_sub(1);
    for &(c, min) in shrink {
        let over = total(widths).saturating_sub(limit);
        if over == 0 {
            return;
        }
        if let Some(w) = widths.get_mut(c) {
            *w = w.saturating_sub(over).max(min.min(*w));
        }
    }
}

/// `s` cut to `width` characters, the last one an ellipsis when cut.
fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The selected events as a table: date label, kind (with the status unless
/// it occurred), title and id. To fit, the title is cut first (to 30
/// characters at least), then the id, the kind and the date.
pub fn events(record: &Record, events: &[&Event]) -> Table {
    let look = Lookup::new(record);
    Table {
        headers: vec!["DATE", "KIND", "TITLE", "ID"],
        rows: events
            .iter()
            .map(|e| {
                let mut kind = look.kind_label(&e.kind).to_string();
                if e.status != Status::Occurred {
                    kind.push_str(", ");
                    kind.push_str(e.status.as_str());
                }
                vec![e.date.label(), kind, e.title.clone(), e.id.clone()]
            })
            .collect(),
        shrink: vec![(2, 30), (3, 12), (1, 10), (0, 16)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            headers: vec!["ID", "TITLE"],
            rows: vec![
                vec!["a".into(), "a rather long title here".into()],
                vec!["bb".into(), "short\x1b".into()],
            ],
            shrink: vec![(1, 8)],
        }
    }

    #[test]
    fn aligns_and_escapes() {
        let s = table().render(TableStyle::default());
        assert_eq!(
            s,
            "ID  TITLE\na   a rather long title here\nbb  short\\u{1b}\n"
        );
    }

    #[test]
    fn cuts_the_shrinkable_column_to_fit() {
        let s = table().render(TableStyle {
            width: Some(16),
            color: false,
        });
        for l in s.lines() {
            assert!(l.chars().count() <= 16, "{l:?}");
        }
        assert!(s.contains("a   a rather lo…\n"), "{s}");
    }
}
