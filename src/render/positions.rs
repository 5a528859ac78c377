//! Lines of events in their files, for the outputs that report them.
//!
//! The fast loader keeps no positions. Here each file that holds at least
//! one of the given events is read again and parsed once with the
//! span-preserving reader (`yaml::span`), as `render::diagnostics` does for
//! diagnostics; files without such events are not touched.

use crate::model::{Event, ListKind, Record};
use crate::yaml::span::SpanIndex;
use std::collections::BTreeMap;

/// The line (from 1) of each event's item in its file, in the order given;
/// `None` where the file cannot be read again.
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
        // Read as the loader reads it: a regular file within the limit.
        let Some(bytes) = crate::load::read::read_again(path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let index = SpanIndex::parse(&text);
        for i in members {
            let located = index.locate(&events[i].origin.path(ListKind::Events));
            lines[i] = located.exact.then_some(located.pos.line);
        }
    }
    lines
}
