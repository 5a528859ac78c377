//! Cheap checks that run before the YAML reader sees a file.
//!
//! libyaml slows down quadratically on deep nesting (40,000 levels take
//! seconds), so nesting is measured with a linear scan first. The scan is
//! deliberately rough: it over-counts rather than under-counts, and its limit
//! is far above anything the event format needs (about six levels).

/// Files larger than this are refused unread.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Deepest nesting accepted. The format needs about six levels.
pub const MAX_DEPTH: usize = 100;

/// The byte offset where nesting first passes [`MAX_DEPTH`], if it does.
///
/// Counts open flow brackets (`[`, `{`) outside quotes and comments, plus the
/// block nesting that one line can open by itself (`- - - x`, `? ? x`).
/// Block nesting spread over lines needs indentation that grows with depth,
/// which the file size limit already bounds.
pub fn too_deep(text: &str) -> Option<usize> {
    let mut scan = DepthScan::default();
    scan.feed(text.as_bytes());
    scan.finish()
}

/// [`too_deep`] over a text given in pieces (a large file read a block at
/// a time, `load::stream`): the same answer whatever the cuts, since every
/// state that a cut can fall inside (a comment, a quote, an indicator
/// waiting for the byte after it) is kept between pieces.
#[derive(Debug, Default, Clone)]
pub struct DepthScan {
    /// Bytes fed so far.
    at: usize,
    /// The last byte fed (0 before any): a `#` starts a comment only after
    /// a blank, a quote opens only after a non-word byte.
    prev: u8,
    flow: usize,
    line_depth: usize,
    /// Nothing but blanks and indicators yet on this line.
    mid_line: bool,
    state: State,
    found: Option<usize>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Plain,
    /// In a comment, up to the line break.
    Comment,
    /// Inside a quote opened by this byte.
    Quoted(u8),
    /// Inside a double quote, just after a backslash.
    Escape,
    /// Inside a single quote, just after a `'`: closed, unless a second
    /// one follows (`''` is a quote inside).
    SingleEnd,
    /// After `-`, `?` or `:` at the start of a line (offset): an indicator
    /// if a blank or the end follows.
    Indicator(usize),
}

impl DepthScan {
    /// Scans the next piece of the text.
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() && self.found.is_none() {
            let b = bytes[i];
            match self.state {
                State::Comment => {
                    // Up to the line break, which is read as plain text.
                    match bytes[i..].iter().position(|&b| b == b'\n') {
                        Some(p) => {
                            self.skip(bytes, i, p);
                            i += p;
                            self.state = State::Plain;
                        }
                        None => {
                            self.skip(bytes, i, bytes.len() - i);
                            i = bytes.len();
                        }
                    }
                    continue;
                }
                State::Quoted(q) => {
                    let stop = bytes[i..]
                        .iter()
                        .position(|&c| c == q || (q == b'"' && c == b'\\'));
                    match stop {
                        Some(p) => {
                            self.skip(bytes, i, p + 1);
                            i += p + 1;
                            self.state = match (q, bytes[i - 1]) {
                                (b'"', b'\\') => State::Escape,
                                (b'"', _) => State::Plain,
                                _ => State::SingleEnd,
                            };
                        }
                        None => {
                            self.skip(bytes, i, bytes.len() - i);
                            i = bytes.len();
                        }
                    }
                    continue;
                }
                State::Escape => {
                    self.skip(bytes, i, 1);
                    i += 1;
                    self.state = State::Quoted(b'"');
                    continue;
                }
                State::SingleEnd => {
                    if b == b'\'' {
                        self.skip(bytes, i, 1);
                        i += 1;
                        self.state = State::Quoted(b'\'');
                        continue;
                    }
                    // Closed: this byte is read as plain text.
                    self.state = State::Plain;
                }
                State::Indicator(at) => {
                    self.state = State::Plain;
                    if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                        self.indicator(at);
                    } else {
                        self.mid_line = true;
                    }
                    continue;
                }
                State::Plain => {}
            }
            self.plain(b);
            i += 1;
        }
    }

    /// Steps over `n` bytes of a comment or quote from `bytes[i]`.
    fn skip(&mut self, bytes: &[u8], i: usize, n: usize) {
        if n > 0 {
            self.prev = bytes[i + n - 1];
            self.at += n;
        }
    }

    fn indicator(&mut self, at: usize) {
        self.line_depth += 1;
        if self.flow + self.line_depth > MAX_DEPTH {
            self.found = Some(at);
        }
    }

    /// One byte outside comments and quotes.
    fn plain(&mut self, b: u8) {
        let at = self.at;
        let prev = std::mem::replace(&mut self.prev, b);
        self.at += 1;
        match b {
            b'\n' => {
                self.mid_line = false;
                self.line_depth = 0;
                return;
            }
            b' ' | b'\t' | b'\r' => return,
            b'#' if at == 0 || matches!(prev, b' ' | b'\t' | b'\n') => {
                self.state = State::Comment;
                return;
            }
            b'-' | b'?' | b':' if !self.mid_line => {
                self.state = State::Indicator(at);
                return;
            }
            b'[' | b'{' => {
                self.flow += 1;
                if self.flow + self.line_depth > MAX_DEPTH {
                    self.found = Some(at);
                }
            }
            b']' | b'}' => self.flow = self.flow.saturating_sub(1),
            // An apostrophe inside a word (`don't`) opens nothing. Quotes
            // inside plain words that do open one swallow brackets until
            // the next quote; that only makes the count lower for a
            // stretch, and real documents stay far below the limit.
            b'"' | b'\'' if !(at > 0 && prev.is_ascii_alphanumeric()) => {
                self.state = State::Quoted(b);
            }
            _ => {}
        }
        self.mid_line = true;
    }

    /// The offset where nesting first passed the limit, once every piece
    /// is fed.
    pub fn finish(&mut self) -> Option<usize> {
        if let (None, State::Indicator(at)) = (self.found, self.state) {
            // The end counts as the blank after an indicator.
            self.state = State::Plain;
            self.indicator(at);
        }
        self.found
    }

    /// Whether nesting has passed the limit in what was fed so far.
    pub fn failed(&self) -> bool {
        self.found.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_documents_pass() {
        let doc = "events:\n  - id: a\n    actors: [x, {actor: y, role: target}]\n    title: \"[not a bracket\"\n    summary: 'it''s [fine'\n";
        assert_eq!(too_deep(doc), None);
    }

    #[test]
    fn deep_flow_nesting_is_caught_early() {
        let doc = "[".repeat(100_000);
        assert_eq!(too_deep(&doc), Some(MAX_DEPTH));
    }

    #[test]
    fn deep_block_nesting_on_one_line_is_caught() {
        let doc = "- ".repeat(100_000) + "x\n";
        assert!(too_deep(&doc).is_some());
    }

    /// The scan given a text in pieces finds what it finds in the whole
    /// text, wherever the cuts fall: random texts of YAML's own characters
    /// (a limit reached early or not at all), cut at every place, and cut
    /// into many small pieces.
    #[test]
    fn pieces_give_what_the_whole_text_gives() {
        let alphabet = b"[{]}-?: \t\n\r#\"'\\ax";
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for round in 0..400 {
            let len = 1 + next(if round % 2 == 0 { 40 } else { 400 });
            let mut text: Vec<u8> = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            if round % 3 == 0 {
                // Deep enough to pass the limit somewhere.
                let at = next(text.len());
                text.splice(at..at, std::iter::repeat_n(b'[', MAX_DEPTH));
            }
            let text = String::from_utf8(text).unwrap();
            let whole = too_deep(&text);
            let cuts = if text.len() < 60 { text.len() } else { 20 };
            for k in 0..=cuts {
                let at = if text.len() < 60 {
                    k
                } else {
                    next(text.len() + 1)
                };
                let mut scan = DepthScan::default();
                scan.feed(&text.as_bytes()[..at]);
                scan.feed(&text.as_bytes()[at..]);
                assert_eq!(scan.finish(), whole, "{text:?} cut at {at}");
            }
            let mut scan = DepthScan::default();
            let mut rest = text.as_bytes();
            while !rest.is_empty() {
                let (piece, after) = rest.split_at(1 + next(3).min(rest.len() - 1));
                scan.feed(piece);
                rest = after;
            }
            assert_eq!(scan.finish(), whole, "{text:?} in small pieces");
        }
    }

    #[test]
    fn brackets_in_comments_do_not_count() {
        let doc = format!("a: 1 # {}\n", "[".repeat(500));
        assert_eq!(too_deep(&doc), None);
    }
}
