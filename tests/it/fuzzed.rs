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
