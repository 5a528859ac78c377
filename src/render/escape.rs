//! Escaping text for the places it goes.

use std::borrow::Cow;

/// Text safe to print on a terminal: control characters (C0 but tab, DEL,
/// C1) are shown as `\u{..}` escapes, so a record cannot move the cursor,
/// change colours or ring the bell.
pub fn terminal(s: &str) -> Cow<'_, str> {
    // Fast path: every character escaped here is a C0 control (one byte
    // below 0x20), DEL (0x7f), a C1 control (U+0080-U+009F: a 0xC2 lead
    // byte) or a bidi control (U+202A-U+202E, U+2066-U+2069: a 0xE2 lead
    // byte). Text with none of those bytes, which is nearly all text, is
    // passed through after one branch-free scan that the compiler
    // vectorizes; only text that has one is decoded (markdown output of
    // 100,000 events spent a sixth of its instructions here).
    if !any_byte(s.as_bytes(), CONTROL) || !s.chars().any(is_unsafe_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        if is_unsafe_control(ch) {
            out.push_str(&format!("\\u{{{:x}}}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    Cow::Owned(out)
}

/// Whether `b` may begin a character that [`terminal`] escapes.
#[inline]
const fn may_start_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n') | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
}

/// Byte classes, as bits of [`CLASS`]: a byte that may start a character
/// [`terminal`] escapes, one that Markdown escapes or folds, one that HTML
/// turns into an entity.
const CONTROL: u8 = 1;
const MARKDOWN: u8 = 2;
const HTML: u8 = 4;

/// Every byte's classes. One table load per byte tests any set of classes
/// at once: a chain of comparisons per class was most of the scanning in a
/// 100,000-event Markdown timeline.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if may_start_control(b) { CONTROL } else { 0 }
            | if markdown_special(b) { MARKDOWN } else { 0 }
            | if matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') {
                HTML
            } else {
                0
            };
        i += 1;
    }
    t
};

/// Whether any byte of `bytes` is in one of the classes of `mask`,
/// scanned in blocks without an early exit inside a block.
#[inline]
fn any_byte(bytes: &[u8], mask: u8) -> bool {
    bytes.chunks(16).any(|block| {
        block
            .iter()
            .fold(0, |found, &b| found | CLASS[usize::from(b)])
            & mask
            != 0
    })
}

fn is_unsafe_control(ch: char) -> bool {
    (ch.is_control() && ch != '\t' && ch != '\n')
        || matches!(ch, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text safe inside HTML element content and quoted attribute values: the
/// five characters with meaning in markup become entities, and control
/// characters are shown as [`terminal`] shows them.
pub fn html(s: &str) -> Cow<'_, str> {
    if !any_byte(s.as_bytes(), CONTROL | HTML) {
        return Cow::Borrowed(s);
    }
    let s = terminal(s);
    if !any_byte(s.as_bytes(), HTML) {
        return s;
    }
    // The runs between the five bytes are copied whole; each of the five
    // is ASCII, so every cut falls on a character boundary.
    let mut out = String::with_capacity(s.len() + 16);
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(entity);
        run = i + 1;
    }
    out.push_str(&s[run..]);
    Cow::Owned(out)
}

/// Appends [`html`]`(s)` to `out`, without a copy of its own when nothing
/// needs escaping (an id, nearly always).
pub fn push_html(out: &mut String, s: &str) {
    if any_byte(s.as_bytes(), CONTROL | HTML) {
        out.push_str(&html(s));
    } else {
        out.push_str(s);
    }
}

/// Text safe inline in CommonMark: characters that could start emphasis,
/// code, links, raw HTML, entities or table cells are backslash-escaped, and
/// line breaks become spaces so that an item stays one paragraph. Hyphens,
/// dots and `#` are left alone: the text never starts a line. Control
/// characters are shown as [`terminal`] shows them.
pub fn markdown(s: &str) -> Cow<'_, str> {
    let s = terminal(s);
    if !any_byte(s.as_bytes(), MARKDOWN) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    push_markdown_escaped(&mut out, &s);
    Cow::Owned(out)
}

/// Appends [`markdown`]`(s)` to `out`, without a copy of its own: what a
/// renderer writing thousands of entries into one buffer uses.
pub fn push_markdown(out: &mut String, s: &str) {
    // One scan finds text that neither escaping touches, nearly all text.
    if !any_byte(s.as_bytes(), CONTROL | MARKDOWN) {
        out.push_str(s);
        return;
    }
    let s = terminal(s);
    if any_byte(s.as_bytes(), MARKDOWN) {
        push_markdown_escaped(out, &s);
    } else {
        out.push_str(&s);
    }
}

/// Every character escaped or folded in Markdown is ASCII, so a scan of
/// the bytes decides (a `char` pattern decodes each character: it showed
/// in profiles of a 100,000-event timeline).
#[inline]
const fn markdown_special(b: u8) -> bool {
    matches!(
        b,
        b'\\'
            | b'`'
            | b'*'
            | b'_'
            | b'['
            | b']'
            | b'<'
            | b'>'
            | b'|'
            | b'~'
            | b'&'
            | b'!'
            | b'\n'
            | b'\r'
    )
}

/// The escaping of [`markdown`] for text already safe for a terminal,
/// appended to `out`: the runs between special bytes are copied whole.
/// A line break becomes one space, none after a space this call wrote.
fn push_markdown_escaped(out: &mut String, s: &str) {
    let start = out.len();
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        if !markdown_special(b) {
            continue;
        }
        // `i` is a character boundary: the byte is ASCII.
        out.push_str(&s[run..i]);
        run = i + 1;
        if b == b'\n' || b == b'\r' {
            if !(out.len() > start && out.ends_with(' ')) {
                out.push(' ');
            }
        } else {
            out.push('\\');
            out.push(char::from(b));
        }
    }
    out.push_str(&s[run..]);
}

/// One line of terminal text: [`terminal`] escaping, and line breaks (which
/// would break a table row or a list entry) folded into spaces.
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    if !s.contains(['\n', '\r']) {
        return terminal(s);
    }
    let folded = s
        .split(['\n', '\r'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Cow::Owned(terminal(&folded).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_misses_no_character_that_is_escaped() {
        // Every character of the Basic Multilingual Plane and a few beyond,
        // alone and inside ASCII and non-ASCII text: `terminal` escapes it
        // exactly when it is an unsafe control, whatever the fast path saw.
        let chars = (0u32..0x1_0000)
            .chain([0x1_f600, 0x10_ffff])
            .filter_map(char::from_u32);
        for ch in chars {
            for text in [format!("{ch}"), format!("ab{ch}cd"), format!("é{ch}日")] {
                let escaped = matches!(terminal(&text), Cow::Owned(_));
                assert_eq!(escaped, is_unsafe_control(ch), "U+{:04X}", ch as u32);
            }
        }
    }

    /// The Markdown escaping as first written, a character at a time: the
    /// oracle for the run-copying one.
    fn markdown_by_chars(s: &str) -> String {
        const SPECIAL: [char; 12] = ['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '!'];
        let mut out = String::new();
        for ch in terminal(s).chars() {
            if SPECIAL.contains(&ch) {
                out.push('\\');
                out.push(ch);
            } else if ch == '\n' || ch == '\r' {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(ch);
            }
        }
        out
    }

    #[test]
    fn markdown_escaping_matches_the_character_by_character_oracle() {
        let chars = (0u32..0x3000)
            .chain([0x202e, 0x1_f600])
            .filter_map(char::from_u32);
        for ch in chars {
            for text in [
                format!("{ch}"),
                format!("a*{ch}\n\n b"),
                format!(" \r\n{ch}_é[日]\n"),
            ] {
                let want = markdown_by_chars(&text);
                assert_eq!(markdown(&text), want, "U+{:04X}", ch as u32);
                // Appended after text ending in a space, the first line
                // break still becomes a space of its own.
                let mut out = String::from("x ");
                push_markdown(&mut out, &text);
                assert_eq!(out, format!("x {want}"), "U+{:04X}", ch as u32);
            }
        }
    }

    /// The HTML escaping as first written, a character at a time: the
    /// oracle for the one that scans bytes first.
    fn html_by_chars(s: &str) -> String {
        let mut out = String::new();
        for ch in terminal(s).chars() {
            match ch {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                _ => out.push(ch),
            }
        }
        out
    }

    #[test]
    fn html_escaping_matches_the_character_by_character_oracle() {
        let chars = (0u32..0x3000)
            .chain([0x202e, 0x2066, 0x1_f600])
            .filter_map(char::from_u32);
        for ch in chars {
            for text in [
                format!("{ch}"),
                format!("id-{ch}-x"),
                format!("é{ch}日 & more text past one block of sixteen"),
            ] {
                assert_eq!(html(&text), html_by_chars(&text), "U+{:04X}", ch as u32);
            }
        }
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(terminal("plain"), "plain");
        assert_eq!(terminal("a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(terminal("bell\x07"), "bell\\u{7}");
        assert_eq!(terminal("c1\u{9b}x"), "c1\\u{9b}x");
        assert_eq!(terminal("rtl\u{202e}x"), "rtl\\u{202e}x");
        assert_eq!(terminal("tab\tok"), "tab\tok");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(html("plain"), "plain");
        assert_eq!(
            html("</text><script>alert('x')</script> & \"q\""),
            "&lt;/text&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(html("a\x1b[2J"), "a\\u{1b}[2J");
    }

    #[test]
    fn escapes_markdown() {
        assert_eq!(markdown("Kim Jong-un's #1 (a.b)"), "Kim Jong-un's #1 (a.b)");
        assert_eq!(markdown("*b* [x](y) <b>"), "\\*b\\* \\[x\\](y) \\<b\\>");
        assert_eq!(markdown("a |b|\nc\n"), "a \\|b\\| c ");
    }

    #[test]
    fn folds_lines_for_the_terminal() {
        assert_eq!(terminal_line("a\nb\x1b"), "a b\\u{1b}");
    }
}
