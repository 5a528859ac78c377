//! What the fuzzers found on the span-keeping YAML reader (issue 12,
//! December 2026; see docs/testing.md). Each runs the built binary with
//! its address space limited, so the old behaviour fails the test instead
//! of swapping the machine; `--no-cache` makes every run parse the file.

use crate::check::{json, only};
use crate::hostile_read::check_limited;

/// tests/fixtures/invalid/yaml-limit: nine levels of ten aliases.
const BOMB: &str = include_str!("../fixtures/invalid/yaml-limit/record.yaml");

fn refused_in(text: &str, mib: u64) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("events.yaml"), text).unwrap();
    let r = check_limited(tmp.path(), &["--no-cache", "--format", "json"], mib);
    assert_eq!(r.code, 1, "{r:?}");
    let d = only(&r);
    assert_eq!(d["code"], "yaml-limit", "{:#?}", json(&r));
}

/// `load_bytes` found it: the alias bomb followed by ordinary text. The
/// reader's early stop allowed 100 jumps per event the rest of the text
/// might hold, four a byte, comments included; so 30 KB of comments after
/// the bomb let it grow to 5.4 GB before the exact limit refused it.
#[test]
fn an_alias_bomb_before_a_long_tail_is_refused_in_little_memory() {
    let tail = format!("#{}\n", "x".repeat(99)).repeat(300);
    refused_in(&format!("{BOMB}{tail}"), 512);
}

/// The same flaw without nesting: serde_yaml's limit counts aliases, and
/// each alias here copies a list of 2,000 values, so 20,000 of them (well
/// within 100 per event) would make 40 million nodes from 110 KB.
#[test]
fn aliases_of_a_wide_list_are_refused_in_little_memory() {
    let wide = vec!["lol"; 2000].join(", ");
    let aliases = vec!["*w"; 20_000].join(", ");
    refused_in(&format!("w: &w [{wide}]\nall: [[{aliases}]]\n"), 512);
}
