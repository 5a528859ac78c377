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
    let bytes = text.as_bytes();
    let mut flow: usize = 0;
    let mut i = 0;
    let mut line_start = true;
    let mut line_depth: usize = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                line_start = true;
                line_depth = 0;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                i = skip_to_newline(bytes, i);
                continue;
            }
            b'-' | b'?' | b':' if line_start && next_is_space(bytes, i) => {
                // `- ` / `? ` / `: ` at the start of a line, possibly chained.
                line_depth += 1;
                if flow + line_depth > MAX_DEPTH {
                    return Some(i);
                }
                i += 1;
                continue;
            }
            b'[' | b'{' => {
                flow += 1;
                if flow + line_depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => flow = flow.saturating_sub(1),
            b'"' => i = skip_quoted(bytes, i, b'"'),
            b'\'' => i = skip_quoted(bytes, i, b'\''),
            _ => {}
        }
        line_start = false;
        i += 1;
    }
    None
}

fn next_is_space(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

fn skip_to_newline(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p)
}

/// Returns the index of the closing quote (or the end), so the caller's
/// `i += 1` steps past it. Quotes inside plain words (`don't`) would swallow
/// brackets until the next quote; that only makes the count lower for a
/// stretch, never stops the scan, and real documents stay far below the
/// limit either way.
fn skip_quoted(bytes: &[u8], start: usize, q: u8) -> usize {
    if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
        return start; // an apostrophe inside a word
    }
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' && q == b'"' {
            i += 2;
            continue;
        }
        if b == q {
            if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i;
        }
        i += 1;
    }
    bytes.len()
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

    #[test]
    fn brackets_in_comments_do_not_count() {
        let doc = format!("a: 1 # {}\n", "[".repeat(500));
        assert_eq!(too_deep(&doc), None);
    }
}
