//! Terminal tables: aligned columns that fit a width, colour on request.

use super::escape::terminal_line;
use super::lookup::{Lookup, actors_line};
use crate::model::{Event, Record, Status};
use std::fmt::Write as _;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A table of text cells, before it is fitted to a width.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// How to make the table narrower, tried in order until it fits.
    pub fit: Vec<Fit>,
    /// A column whose cells are wrapped at spaces onto more lines, rather
    /// than cut, when it is the last column shown (the events' titles).
    pub wrap: Option<usize>,
}

/// One way of making a table narrower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Cut the column, never below this width (an ellipsis marks a cut).
    Cut(usize, usize),
    /// Leave the column out: for a column that is of no use cut (an id).
    Drop(usize),
}

/// How to draw a table.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableStyle {
    /// Fit within this many terminal columns, as the table's [`Fit`]
    /// steps allow; `None` never cuts.
    pub width: Option<usize>,
    /// Bold headers (ANSI).
    pub color: bool,
}

const GAP: &str = "  ";

/// How many terminal columns `s` takes: a wide (CJK) character two, a
/// combining mark none (Unicode's East Asian Width, `unicode-width`).
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

impl Table {
    /// The table as lines of text. Every cell is escaped for the terminal
    /// and kept on one line. Widths are display widths, so wide characters
    /// stay aligned.
    pub fn render(&self, style: TableStyle) -> String {
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|c| terminal_line(c).into_owned()).collect())
            .collect();
        let mut widths: Vec<Option<usize>> = self
            .headers
            .iter()
            .map(|h| Some(display_width(h)))
            .collect();
        for r in &cells {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(Some(display_width(c)));
            }
        }
        if let Some(limit) = style.width {
            fit(&mut widths, &self.fit, limit);
        }
        let shown: Vec<usize> = (0..widths.len()).filter(|&i| widths[i].is_some()).collect();
        let mut out = String::new();
        let last = shown.last().copied();
        let wraps = self.wrap.is_some() && self.wrap == last;
        let line = |out: &mut String, row: &[String], bold: bool| {
            let mut text = String::new();
            let mut indent = 0;
            let mut more = Vec::new();
            for (k, &i) in shown.iter().enumerate() {
                let w = widths[i].unwrap_or(0);
                if wraps && Some(i) == last {
                    let mut parts = wrap(&row[i], w).into_iter();
                    text.push_str(&parts.next().unwrap_or_default());
                    more.extend(parts);
                    continue;
                }
                let cut = cut(&row[i], w);
                text.push_str(&cut);
                if k + 1 < shown.len() {
                    let pad = w.saturating_sub(display_width(&cut));
                    let _ = write!(text, "{}{GAP}", " ".repeat(pad));
                    indent += w + GAP.len();
                }
            }
            for m in more {
                let _ = write!(text, "\n{}{m}", " ".repeat(indent));
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

/// Takes the fit steps in order until the row fits `limit` (or no step is
/// left: then it overflows). A dropped column is `None`.
fn fit(widths: &mut [Option<usize>], steps: &[Fit], limit: usize) {
    let total = |w: &[Option<usize>]| {
        let shown: Vec<usize> = w.iter().flatten().copied().collect();
        shown.iter().sum::<usize>() + GAP.len() * shown.len().saturating_sub(1)
    };
    for &step in steps {
        let over = total(widths).saturating_sub(limit);
        if over == 0 {
            return;
        }
        match step {
            Fit::Cut(c, min) => {
                if let Some(Some(w)) = widths.get_mut(c) {
                    *w = w.saturating_sub(over).max(min.min(*w));
                }
            }
            Fit::Drop(c) => {
                if let Some(w) = widths.get_mut(c) {
                    *w = None;
                }
            }
        }
    }
}

/// `s` cut to `width` terminal columns, the last one an ellipsis when cut.
fn cut(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// `s` in lines of at most `width` terminal columns, broken at spaces; a
/// word longer than a line is cut there.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let needed = display_width(&line) + usize::from(!line.is_empty()) + display_width(word);
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while display_width(&line) > width {
            let mut head = String::new();
            let mut used = 0;
            let mut rest = line.chars().peekable();
            while let Some(&ch) = rest.peek() {
                let w = UnicodeWidthChar::width(ch).unwrap_or(0);
                if used + w > width && used > 0 {
                    break;
                }
                head.push(ch);
                used += w;
                rest.next();
            }
            lines.push(head);
            line = rest.collect();
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A column of the events table (`query --columns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The date in words.
    Date,
    /// The kind's label, with the status unless it occurred.
    Kind,
    Title,
    Id,
    /// The actors with their roles.
    Actors,
    Location,
}

impl Column {
    pub const NAMES: [&'static str; 6] = ["date", "kind", "title", "id", "actors", "location"];

    /// The columns a table shows unless told.
    pub const DEFAULT: [Column; 4] = [Column::Date, Column::Kind, Column::Title, Column::Id];

    pub fn parse(s: &str) -> Option<Column> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "date" => Column::Date,
            "kind" => Column::Kind,
            "title" => Column::Title,
            "id" => Column::Id,
            "actors" => Column::Actors,
            "location" => Column::Location,
            _ => return None,
        })
    }

    fn header(self) -> &'static str {
        match self {
            Column::Date => "DATE",
            Column::Kind => "KIND",
            Column::Title => "TITLE",
            Column::Id => "ID",
            Column::Actors => "ACTORS",
            Column::Location => "LOCATION",
        }
    }
}

/// The selected events as a table of `columns` (in that order; usually
/// [`Column::DEFAULT`]: date, kind, title, id). Titles matter most: to fit
/// a width, the id is left out first when the default columns are shown
/// (a cut id names nothing), then actors, location, kind and date are cut,
/// and the title last, to no less than 30 columns; a title that is the last
/// column shown is wrapped onto more lines instead of cut. Columns asked
/// for with `--columns` are never left out, only cut.
pub fn events(record: &Record, events: &[&Event], columns: &[Column]) -> Table {
    let look = Lookup::new(record);
    let rows = events
        .iter()
        .map(|e| {
            columns
                .iter()
                .map(|c| match c {
                    Column::Date => e.date.label(),
                    Column::Kind => {
                        let mut kind = look.kind_label(&e.kind).into_owned();
                        if e.status != Status::Occurred {
                            kind.push_str(", ");
                            kind.push_str(e.status.as_str());
                        }
                        kind
                    }
                    Column::Title => e.title.clone(),
                    Column::Id => e.id.to_string(),
                    Column::Actors => {
                        let actors: Vec<(&str, _)> = e
                            .actors
                            .iter()
                            .map(|a| (look.actor_name(&a.actor), a.role))
                            .collect();
                        actors_line(&actors)
                    }
                    Column::Location => e.location.clone().unwrap_or_default(),
                })
                .collect()
        })
        .collect();
    let at = |c: Column| columns.iter().position(|&x| x == c);
    let mut fit = Vec::new();
    if columns == Column::DEFAULT
        && let Some(i) = at(Column::Id)
    {
        fit.push(Fit::Drop(i));
    }
    // Each column first keeps what says most of it (a date label's day and
    // month, a kind's word), then gives more, the title last.
    for (c, min) in [
        (Column::Id, 12),
        (Column::Actors, 24),
        (Column::Location, 16),
        (Column::Kind, 14),
        (Column::Date, 22),
        (Column::Title, 40),
        (Column::Actors, 12),
        (Column::Location, 10),
        (Column::Kind, 10),
        (Column::Date, 16),
        (Column::Title, 30),
    ] {
        if let Some(i) = at(c) {
            fit.push(Fit::Cut(i, min));
        }
    }
    Table {
        headers: columns.iter().map(|c| c.header()).collect(),
        rows,
        fit,
        wrap: at(Column::Title),
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
            fit: vec![Fit::Cut(1, 8)],
            wrap: None,
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

    #[test]
    fn wide_characters_count_twice_and_stay_aligned() {
        let t = Table {
            headers: vec!["TITLE", "ID"],
            rows: vec![
                vec!["金正恩".into(), "a".into()],
                vec!["abc".into(), "b".into()],
            ],
            fit: vec![Fit::Cut(0, 3)],
            wrap: None,
        };
        let s = t.render(TableStyle::default());
        assert_eq!(s, "TITLE   ID\n金正恩  a\nabc     b\n");
        let s = t.render(TableStyle {
            width: Some(9),
            color: false,
        });
        // Cut to 5 columns: two wide characters (4) and the ellipsis.
        assert_eq!(s, "TITLE  ID\n金正…  a\nabc    b\n");
    }

    #[test]
    fn the_id_is_dropped_before_the_title_is_cut() {
        let t = Table {
            headers: vec!["TITLE", "ID"],
            rows: vec![vec![
                "Kim Jong-un and Moon Jae-in meet".into(),
                "panmunjom-summit".into(),
            ]],
            fit: vec![Fit::Drop(1), Fit::Cut(0, 10)],
            wrap: None,
        };
        let s = t.render(TableStyle {
            width: Some(40),
            color: false,
        });
        assert_eq!(s, "TITLE\nKim Jong-un and Moon Jae-in meet\n");
    }

    #[test]
    fn a_last_title_column_wraps_at_spaces() {
        let t = Table {
            headers: vec!["DATE", "TITLE"],
            rows: vec![vec!["6 Jan".into(), "Kim Jong-un sends a message".into()]],
            fit: vec![Fit::Cut(1, 10)],
            wrap: Some(1),
        };
        let s = t.render(TableStyle {
            width: Some(20),
            color: false,
        });
        assert_eq!(
            s,
            "DATE   TITLE\n6 Jan  Kim Jong-un\n       sends a\n       message\n"
        );
        assert_eq!(wrap("金正恩金正恩", 4), ["金正", "恩金", "正恩"]);
    }
}
