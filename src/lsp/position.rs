//! Byte offsets ↔ protocol positions: the only place that knows the
//! protocol counts columns in UTF-16 code units.
//!
//! Everything annals knows is a byte offset from the parse that read a
//! text; lines come from [`LineIndex`] (the same line breaks `check`
//! uses: `\n`, `\r\n`, a lone `\r`), and only the column within a line is
//! counted here, in UTF-16 as the protocol's default encoding asks.

use crate::line_index::LineIndex;
use lsp_types::{Position, Range};
use std::rc::Rc;

/// One text and its line index, for converting positions both ways.
pub struct Lines {
    text: Rc<str>,
    index: LineIndex,
}

impl Lines {
    pub fn new(text: Rc<str>) -> Self {
        let index = LineIndex::new(&text);
        Lines { text, index }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The position of byte `offset` (clamped to the text and to the start
    /// of its character).
    pub fn position(&self, offset: usize) -> Position {
        let off = self.index.clamp(&self.text, offset);
        let at = self.index.line_col(&self.text, off);
        let start = self.index.line_start(at.line).min(off);
        let column = self.text[start..off].encode_utf16().count();
        Position::new(at.line - 1, u32::try_from(column).unwrap_or(u32::MAX))
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end.max(start)))
    }

    /// The byte offset of `pos`: a column past the line's end is its end,
    /// a line past the text's end is the text's end, and a column inside a
    /// surrogate pair is the start of that character.
    pub fn offset(&self, pos: Position) -> usize {
        let line = pos.line as usize + 1;
        if line > self.index.line_count() {
            return self.text.len();
        }
        let start = self.index.line_start(line as u32);
        let content = self.index.line_text(&self.text, line as u32);
        let mut units = 0usize;
        for (i, c) in content.char_indices() {
            let next = units + c.len_utf16();
            if next > pos.character as usize {
                return start + i;
            }
            units = next;
        }
        start + content.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_utf16_units_both_ways() {
        // `é` is one unit, `𝄞` two (a surrogate pair), in 2 and 4 bytes.
        let text = "a: é𝄞x\r\nb\rc";
        let lines = Lines::new(Rc::from(text));
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(x), Position::new(0, 6));
        assert_eq!(lines.offset(Position::new(0, 6)), x);
        // Inside the pair: the start of the character.
        assert_eq!(lines.offset(Position::new(0, 5)), text.find('𝄞').unwrap());
        assert_eq!(lines.position(text.find('b').unwrap()), Position::new(1, 0));
        assert_eq!(lines.position(text.find('c').unwrap()), Position::new(2, 0));
        // Past the line's end, past the text's end.
        assert_eq!(
            lines.offset(Position::new(1, 40)),
            text.find('b').unwrap() + 1
        );
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
    }
}
