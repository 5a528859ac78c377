//! Turning data into text: diagnostics, tables, records, timelines, and
//! single items. Every renderer is a pure function from data to a `String`,
//! except [`positions`], which reads files again to find lines.

pub mod actors;
pub mod bibtex;
pub mod cite;
pub mod csl;
pub mod diagnostics;
pub mod escape;
pub mod ics;
pub(crate) mod lookup;
pub mod markdown;
pub mod positions;
pub mod records;
pub mod show;
pub(crate) mod span;
pub mod stats;
pub mod table;
pub mod timeline;
pub mod timelinejs;
