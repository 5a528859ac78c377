//! Everything that touches YAML: the only module that names a YAML crate.
//!
//! - [`events`]: libyaml's event stream with byte offsets (the one parser).
//! - [`node`]: the lenient tree built from it, with every node's span.
//! - [`resolve`]: what a scalar means (serde_yaml's rules).
//! - [`path`]: paths such as `events[3].actors[1]` that diagnostics carry.
//! - [`layout`]: where a file's top-level lists are, for the store.

pub(crate) mod events;
pub mod layout;
pub(crate) mod node;
pub mod path;
pub mod resolve;

pub use events::Read;
pub use node::{
    Cursor, Located, Node, ParseError, ParseErrorKind, Span, StreamedItem, Tree, locate_in_item,
    parse, parse_tree, parse_tree_read, parse_tree_streaming,
};
pub use path::{Seg, Target, YamlPath};
