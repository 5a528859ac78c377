//! Byte offsets to lines and columns, for display.
//!
//! Every place annals knows is a byte offset into a file's text, from the
//! parse that read it. [`LineIndex`] turns one into the line and column a
//! person reads, with one set of rules (as ruff's `LineIndex`): lines break
//! at `\n`, `\r\n` and a lone `\r`, as YAML breaks them; lines and columns
//! count from 1; columns count characters; a byte order mark at the start
//! of the file is not counted. Built once per file, with one pass over its
//! bytes; each lookup is a binary search.

/// Where each line of one text starts.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0, or 3 after a
    /// byte order mark.
    starts: Vec<usize>,
    /// An ASCII text's columns are byte differences: no character counting,
    /// so a one-line file of megabytes costs the same per lookup.
    ascii: bool,
}

/// A line and a column, both from 1; the column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![bom_len(text)];
        for (i, &b) in bytes.iter().enumerate() {
            // A `\r` followed by `\n` breaks at the `\n`.
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            ascii: text.is_ascii(),
        }
    }

    /// `offset` moved to where a position can be: clamped to the text,
    /// back to the start of its character, and past a byte order mark.
    pub fn clamp(&self, text: &str, offset: usize) -> usize {
        let mut off = offset.min(text.len());
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        off.max(self.starts[0])
    }

    /// The line and column of `offset` (see [`LineIndex::clamp`]).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let off = self.clamp(text, offset);
        let line = self.starts.partition_point(|&s| s <= off) - 1;
        let before = &text[self.starts[line]..off];
        let column = if self.ascii {
            before.len()
        } else {
            before.chars().count()
        } + 1;
        LineCol {
            line: sat32(line + 1),
            column: sat32(column),
        }
    }

    /// How many lines the text has (a text ending in a line break has an
    /// empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset of the start of line `line` (from 1).
    pub fn line_start(&self, line: u32) -> usize {
        let i = (line as usize).saturating_sub(1);
        self.starts
            .get(i)
            .or(self.starts.last())
            .copied()
            .unwrap_or(0)
    }

    /// The text of line `line` (from 1), without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let i = (line as usize).saturating_sub(1);
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self.starts.get(i + 1).copied().unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches('\n')
            .trim_end_matches('\r')
    }
}

/// 3 when `text` starts with a byte order mark, else 0.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

fn sat32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(text: &str, off: usize) -> (u32, u32) {
        let p = LineIndex::new(text).line_col(text, off);
        (p.line, p.column)
    }

    #[test]
    fn breaks_at_lf_crlf_and_lone_cr() {
        let t = "a\nb\r\nc\rd";
        assert_eq!(lc(t, 0), (1, 1));
        assert_eq!(lc(t, 2), (2, 1));
        assert_eq!(lc(t, 3), (2, 2));
        assert_eq!(lc(t, 5), (3, 1));
        assert_eq!(lc(t, 7), (4, 1));
        assert_eq!(lc(t, 99), (4, 2));
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_text(t, 2), "b");
        assert_eq!(idx.line_text(t, 3), "c");
        assert_eq!(idx.line_text(t, 4), "d");
    }

    #[test]
    fn columns_count_characters_not_a_bom() {
        let t = "\u{feff}é: x\n";
        assert_eq!(lc(t, 0), (1, 1));
        assert_eq!(lc(t, 3), (1, 1));
        assert_eq!(lc(t, 5), (1, 2));
        assert_eq!(lc(t, 4), (1, 1));
        assert_eq!(LineIndex::new(t).line_text(t, 1), "é: x");
    }

    #[test]
    fn other_unicode_breaks_are_not_lines() {
        let t = "a\u{2028}b\u{85}c\nd";
        assert_eq!(lc(t, t.len() - 1), (2, 1));
    }
}
