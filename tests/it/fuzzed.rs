//! What the fuzzers found, kept as tests, and the in-memory loader they use
//! checked against the real one. See docs/testing.md.

use annals::load::{load_bytes, load_files};
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

#[test]
fn load_bytes_loads_a_file_as_load_files_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    yaml_files(&root.join("tests/fixtures"), &mut files);
    yaml_files(&root.join("events"), &mut files);
    assert!(files.len() > 40, "{} files", files.len());
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let from_disk = load_files(vec![path.clone()]);
        let from_memory = load_bytes(&path, &bytes);
        assert_eq!(
            format!("{:?}", from_memory.record),
            format!("{:?}", from_disk.record),
            "{}",
            path.display()
        );
        assert_eq!(
            from_memory.diagnostics,
            from_disk.diagnostics,
            "{}",
            path.display()
        );
        assert_eq!(from_memory.seen, from_disk.seen, "{}", path.display());
        assert!(!from_memory.io_failed);
    }
}

/// The diagnostics of one file's text, resolved, as `check` prints them.
fn resolved(text: &str) -> Vec<annals::render::diagnostics::Resolved> {
    let path = Path::new("f.yaml");
    let mut loaded = load_bytes(path, text.as_bytes());
    let found = annals::validate::validate(&loaded.record);
    loaded.diagnostics.extend(found);
    annals::render::diagnostics::resolve_with(
        &loaded.diagnostics,
        &loaded.record.files,
        &[(0, text)],
    )
}

/// Found by `load_bytes`: YAML breaks lines at a lone `\r` (old Mac files)
/// and the reader counts lines so, but the snippet was cut at `\n` only, so
/// it showed the whole file as the line, and a reader's line and column
/// were looked up in `\n` lines.
#[test]
fn lone_carriage_returns_break_lines_in_snippets() {
    let text = "events:\r  - id: a\r    date: 2024-13\r    kind: statement\r    title: T\r    actors: [x]\r    sources: [y]\r";
    let d = resolved(text);
    let date = d
        .iter()
        .find(|d| d.code == annals::codes::Code::InvalidDate)
        .unwrap();
    assert_eq!((date.at.line, date.at.column), (Some(3), Some(11)));
    assert_eq!(date.at.source_line.as_deref(), Some("    date: 2024-13"));
    let actor = d
        .iter()
        .find(|d| d.code == annals::codes::Code::UnknownActor)
        .unwrap();
    assert_eq!(actor.at.source_line.as_deref(), Some("    actors: [x]"));

    // A reader error gives a line and column: the same line, found in
    // `\r` lines; and `\r\n` still counts once.
    for nl in ["\r", "\r\n", "\n"] {
        let text = ["events:", "  - id: a", "  - : [", ""].join(nl);
        let d = resolved(&text);
        let e = d
            .iter()
            .find(|d| d.code == annals::codes::Code::YamlSyntax)
            .unwrap();
        let line = e.at.line.unwrap() as usize;
        let want = text.split(nl).nth(line - 1).unwrap_or("");
        assert_eq!(e.at.source_line.as_deref(), Some(want), "{nl:?}");
    }
}
