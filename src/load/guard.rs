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
    /// Scans the next piece of the text. The state lives in locals while a
    /// piece is scanned (the scan runs over every file a load reads).
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.found.is_some() || bytes.is_empty() {
            return;
        }
        let base = self.at;
        let last = self.prev;
        let prev = |i: usize| if i == 0 { last } else { bytes[i - 1] };
        let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let (mut flow, mut line_depth, mut mid) = (self.flow, self.line_depth, self.mid_line);
        let mut state = self.state;
        let mut found = None;
        let mut i = 0;
        while i < bytes.len() {
            match state {
                // Plain text runs until a comment, quote or indicator
                // changes the state: one loop, not one dispatch per byte.
                State::Plain => {
                    while i < bytes.len() {
                        let b = bytes[i];
                        match b {
                            b'\n' => {
                                mid = false;
                                line_depth = 0;
                                i += 1;
                                continue;
                            }
                            b' ' | b'\t' | b'\r' => {
                                i += 1;
                                continue;
                            }
                            b'#' if base + i == 0 || matches!(prev(i), b' ' | b'\t' | b'\n') => {
                                state = State::Comment;
                                i += 1;
                                break;
                            }
                            b'-' | b'?' | b':' if !mid => {
                                // An indicator when a blank (or the end)
                                // follows, which may be in the next piece.
                                match bytes.get(i + 1) {
                                    None => {
                                        state = State::Indicator(base + i);
                                        i += 1;
                                        break;
                                    }
                                    Some(&n) if blank(n) => {
                                        line_depth += 1;
                                        if flow + line_depth > MAX_DEPTH {
                                            found = Some(base + i);
                                            break;
                                        }
                                    }
                                    Some(_) => mid = true,
                                }
                                i += 1;
                                continue;
                            }
                            b'[' | b'{' => {
                                flow += 1;
                                if flow + line_depth > MAX_DEPTH {
                                    found = Some(base + i);
                                    break;
                                }
                            }
                            b']' | b'}' => flow = flow.saturating_sub(1),
                            // An apostrophe inside a word (`don't`) opens
                            // nothing. Quotes inside plain words that do
                            // open one swallow brackets until the next
                            // quote; that only makes the count lower for a
                            // stretch, and real documents stay far below
                            // the limit.
                            b'"' | b'\'' if !(base + i > 0 && prev(i).is_ascii_alphanumeric()) => {
                                state = State::Quoted(b);
                                mid = true;
                                i += 1;
                                break;
                            }
                            _ => {}
                        }
                        mid = true;
                        i += 1;
                    }
                    if found.is_some() {
                        break;
                    }
                }
                State::Comment => {
                    // Up to the line break, which is read as plain text.
                    match bytes[i..].iter().position(|&b| b == b'\n') {
                        Some(p) => {
                            i += p;
                            state = State::Plain;
                        }
                        None => i = bytes.len(),
                    }
                }
                State::Quoted(q) => {
                    let stop = bytes[i..]
                        .iter()
                        .position(|&c| c == q || (q == b'"' && c == b'\\'));
                    match stop {
                        Some(p) => {
                            i += p + 1;
                            state = match (q, bytes[i - 1]) {
                                (b'"', b'\\') => State::Escape,
                                (b'"', _) => State::Plain,
                                _ => State::SingleEnd,
                            };
                        }
                        None => i = bytes.len(),
                    }
                }
                State::Escape => {
                    i += 1;
                    state = State::Quoted(b'"');
                }
                State::SingleEnd => {
                    if bytes[i] == b'\'' {
                        i += 1;
                        state = State::Quoted(b'\'');
                    } else {
                        // Closed: this byte is read as plain text.
                        state = State::Plain;
                    }
                }
                State::Indicator(at) => {
                    // The byte after is read as plain text either way.
                    state = State::Plain;
                    if blank(bytes[i]) {
                        line_depth += 1;
                        if flow + line_depth > MAX_DEPTH {
                            found = Some(at);
                            break;
                        }
                    } else {
                        mid = true;
                    }
                }
            }
        }
        self.at = base + bytes.len();
        self.prev = bytes[bytes.len() - 1];
        (self.flow, self.line_depth, self.mid_line) = (flow, line_depth, mid);
        self.state = state;
        self.found = found;
    }

    /// The offset where nesting first passed the limit, once every piece
    /// is fed.
    pub fn finish(&mut self) -> Option<usize> {
        if let (None, State::Indicator(at)) = (self.found, self.state) {
            // The end counts as the blank after an indicator.
            self.state = State::Plain;
            self.line_depth += 1;
            if self.flow + self.line_depth > MAX_DEPTH {
                self.found = Some(at);
            }
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
