//! Lines of events in their files, for the outputs that report them.
//!
//! Each event keeps its span from the parse that read it
//! ([`crate::model::Origin`]); each file that holds at least one of the
//! given events is read again only to count its lines ([`LineIndex`]).

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
        let index = LineIndex::new(&text);
        for i in members {
            let span = events[i].origin.span;
            if !span.is_empty() && span.end() <= text.len() {
                lines[i] = Some(index.line_col(&text, span.start()).line);
            }
        }
    }
    lines
}
