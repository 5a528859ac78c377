//! Checks across the whole record, after every file has loaded.
//!
//! Each check is a small function from the record to diagnostics, run in a
//! fixed order; all are linear in the record's size.

mod actors;
mod citations;
mod dates;
mod ids;
mod refs;

use crate::diag::Diagnostic;
use crate::index::Index;
use crate::model::Record;

/// Runs every cross-record check.
///
/// The checks run on two threads, each into its own list; the lists are
/// joined in the fixed order below, so the result is the same as running
/// them one after another. On a large record validation is the longest
/// stretch a warm command spends on one core: the checks that need no index
/// run while the index is built, and the reference check (every reference
/// of every event) runs beside the other indexed checks.
pub fn validate(record: &Record) -> Vec<Diagnostic> {
    let mut unindexed = Vec::new();
    let index = std::thread::scope(|s| {
        s.spawn(|| {
            dates::stale_scheduled(record, &mut unindexed);
            citations::duplicate_keys(record, &mut unindexed);
            citations::unarchived(record, &mut unindexed);
            citations::duplicate_settings(record, &mut unindexed);
        });
        Index::new(record)
    });
    let mut out = Vec::new();
    let mut references = Vec::new();
    let mut rest = Vec::new();
    std::thread::scope(|s| {
        s.spawn(|| refs::references(record, &index, &mut references));
        ids::duplicate_ids(record, &index, &mut out);
        actors::ambiguous_names(record, &index, &mut rest);
        actors::membership_cycles(record, &index, &mut rest);
        dates::relations(record, &index, &mut rest);
        dates::source_dates(record, &index, &mut rest);
    });
    out.append(&mut references);
    out.append(&mut rest);
    out.append(&mut unindexed);
    out
}
