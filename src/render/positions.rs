//! Lines of events in their files, for the outputs that report them.
//!
//! Each event keeps its span from the parse that read it
//! ([`crate::model::Origin`]); each file that holds at least one of the
//! given events is read again only to count its lines ([`LineIndex`]), the
//! files on the pool.

use crate::line_index::LineIndex;
use crate::model::{Event, Record};
use std::collections::BTreeMap;

/// The line (from 1) of each event's item in its file, in the order given;
/// `None` where the file cannot be read again or the event was not read
/// from a file.
pub fn event_lines(record: &Record, events: &[&Event]) -> Vec<Option<u32>> {
    let mut by_file: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        by_file.entry(e.origin.file).or_default().push(i);
    }
    // Each file is read and its lines counted on the pool.
    let by_file: Vec<(u32, Vec<usize>)> = by_file.into_iter().collect();
    let found = crate::par::map(&by_file, |(file, members)| {
        let Some(path) = record.files.get(*file as usize) else {
            return Vec::new();
        };
        // Read as the loader reads it: a regular file within the limit.
        let Some(bytes) = crate::load::read::read_again(path) else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(&bytes);
        let index = LineIndex::new(&text);
        members
            .iter()
            .filter_map(|&i| {
                let span = events[i].origin.span;
                (!span.is_empty() && span.end() <= text.len())
                    .then(|| (i, index.line_col(&text, span.start()).line))
            })
            .collect()
    });
    let mut lines = vec![None; events.len()];
    for (i, line) in found.into_iter().flatten() {
        lines[i] = Some(line);
    }
    lines
}
