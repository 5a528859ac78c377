//! Escaping text for the places it goes.

use std::borrow::Cow;

/// Text safe to print on a terminal: control characters (C0 but tab, DEL,
/// C1) are shown as `\u{..}` escapes, so a record cannot move the cursor,
/// change colours or ring the bell.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_control) {
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

fn is_unsafe_control(ch: char) -> bool {
    (ch.is_control() && ch != '\t' && ch != '\n')
        || matches!(ch, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(terminal("plain"), "plain");
        assert_eq!(terminal("a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(terminal("bell\x07"), "bell\\u{7}");
        assert_eq!(terminal("c1\u{9b}x"), "c1\\u{9b}x");
        assert_eq!(terminal("rtl\u{202e}x"), "rtl\\u{202e}x");
        assert_eq!(terminal("tab\tok"), "tab\tok");
    }
}
