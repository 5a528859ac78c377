//! Everything that touches YAML: the only module that names a YAML crate.
//!
//! - [`path`]: paths such as `events[3].actors[1]` that diagnostics carry.
//! - [`span`]: resolves a path to a line and column (span-preserving parse).

pub mod path;
pub mod span;

pub use path::{Seg, Target, YamlPath};
pub mod node;

pub use node::{ErrorPlace, Node, ParseError, ParseErrorKind, parse};
pub mod layout;
