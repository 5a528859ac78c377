//! The loader on arbitrary bytes as one record file, then validation and
//! both diagnostic renderers: never panics, and every diagnostic resolves
//! to a place inside the file.

#![no_main]

use annals::load::load_bytes;
use annals::render::diagnostics::{Style, human, json, resolve_with};
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
                // The snippet is the line the diagnostic names.
                assert_eq!(l, all[line as usize - 1], "{}: the snippet", d.code);
            }
        }
    }
    let _ = human(&resolved, Style { color: true });
    let out = json(&resolved);
    assert!(out.starts_with('['));
});
