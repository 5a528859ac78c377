//! The loader on arbitrary bytes as one record file, then validation and
//! both diagnostic renderers: never panics, and every diagnostic resolves
//! to a place inside the file.

#![no_main]

use annals::load::load_bytes;
use annals::render::diagnostics::{SNIPPET_CHARS, Style, human, json, resolve_with};
use annals::validate::validate;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz/record.yaml");
    let mut loaded = load_bytes(path, bytes);
    let found = validate(&loaded.record);
    loaded.diagnostics.extend(found);
    let given: Vec<(u32, &str)> = std::str::from_utf8(bytes)
        .map(|t| vec![(0, t)])
        .unwrap_or_default();
    let resolved = resolve_with(&loaded.diagnostics, &loaded.record.files, &given);
    assert_eq!(resolved.len(), loaded.diagnostics.len());
    if let Some((_, text)) = given.first() {
        // YAML counts a lone `\r` as a line break too; the reader's lines
        // are YAML's.
        // A leading byte order mark is not part of line 1's text.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let unix = text.replace("\r\n", "\n").replace('\r', "\n");
        let all: Vec<&str> = unix.split('\n').collect();
        let lines = all.len() as u32;
        for d in &resolved {
            if let Some(line) = d.at.line {
                assert!(
                    line >= 1 && line <= lines,
                    "{}: line {line} of {lines}",
                    d.code
                );
            }
            if let (Some(l), Some(line)) = (&d.at.source_line, d.at.line) {
                // The snippet is the line the diagnostic names: whole when
                // short, else a window of it with `…` at cut ends, and the
                // caret inside it.
                let whole = all[line as usize - 1];
                if whole.chars().count() <= SNIPPET_CHARS {
                    assert_eq!(l, whole, "{}: the snippet", d.code);
                } else {
                    let core = l.strip_prefix('…').unwrap_or(l);
                    let core = core.strip_suffix('…').unwrap_or(core);
                    assert!(whole.contains(core), "{}: the snippet", d.code);
                    assert!(l.chars().count() <= SNIPPET_CHARS + 2, "{}: width", d.code);
                }
                let shown = l.chars().count() as u32;
                assert!(
                    d.at.snippet_column >= 1 && d.at.snippet_column <= shown + 1,
                    "{}: caret at {} of {shown}",
                    d.code,
                    d.at.snippet_column
                );
            }
        }
    }
    let _ = human(&resolved, Style { color: true });
    let out = json(&resolved);
    assert!(out.starts_with('['));
});
