//! Turning data into text: diagnostics, tables, records, timelines, and
//! single items. Every renderer is a pure function from data to a `String`,
//! except [`positions`], which reads files again to find lines. The large
//! outputs (timelines, CSV and NDJSON rows) can also be written piece by
//! piece to a writer; their work is split over the pool (`crate::par`) a
//! chunk of events or a month at a time and joined in order, so the bytes
//! do not depend on the number of threads (`par_tests`).

pub mod actors;
pub mod bibtex;
pub mod cite;
pub mod csl;
pub mod diagnostics;
pub mod escape;
pub mod ics;
pub(crate) mod lookup;
pub mod markdown;
#[cfg(test)]
mod par_tests;
pub mod positions;
pub mod records;
pub mod show;
pub(crate) mod span;
pub mod stats;
pub mod table;
pub mod timeline;
pub mod timelinejs;
