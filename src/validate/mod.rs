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
pub fn validate(record: &Record) -> Vec<Diagnostic> {
    let index = Index::new(record);
    let mut out = Vec::new();
    ids::duplicate_ids(record, &index, &mut out);
    refs::references(record, &index, &mut out);
    actors::ambiguous_names(record, &index, &mut out);
    actors::membership_cycles(record, &index, &mut out);
    dates::relations(record, &index, &mut out);
    dates::source_dates(record, &index, &mut out);
    dates::stale_scheduled(record, &mut out);
    citations::duplicate_keys(record, &mut out);
    citations::unarchived(record, &mut out);
    citations::duplicate_settings(record, &mut out);
    out
}
