//! Turning data into text: diagnostics (and, later, tables, timelines, charts).

pub mod diagnostics;
pub mod escape;
