//! Lines of events in their files, for the outputs that report them.
//!
//! Each file that holds at least one of the given events is read again,
//! parsed with the loader's reader (`yaml::parse_tree`), and each event's
//! place turned into a line with a [`LineIndex`]; files without such
//! events are not touched.

use crate::line_index::LineIndex;
use crate::model::{Event, ListKind, Record};
use crate::yaml;
use std::collections::BTreeMap;

/// The line (from 1) of each event's item in its file, in the order given;
/// `None` where the file cannot be read or parsed again.
pub fn event_lines(record: &Record, events: &[&Event]) -> Vec<Option<u32>> {
    let mut by_file: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        by_file.entry(e.origin.file).or_default().push(i);
    }
    let mut lines = vec![None; events.len()];
    for (file, members) in by_file {
        let Some(path) = record.files.get(file as usize) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let Ok(tree) = yaml::parse_tree(&text) else {
            continue;
        };
        let index = LineIndex::new(&text);
        for i in members {
            let located = tree.locate(&events[i].origin.path(ListKind::Events));
            lines[i] = located
                .exact
                .then(|| index.line_col(&text, located.offset).line);
        }
    }
    lines
}
