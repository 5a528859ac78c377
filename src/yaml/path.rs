//! Paths into a YAML document, such as `events[3].actors[1]`.
//!
//! The loader's diagnostics name their place by path while converting, and
//! the loader turns each path into a byte span on the tree it just read.
//! A cross-record check names a place inside a loaded item by path too,
//! with the item's span: the place is found within that item's bytes when
//! the diagnostic is rendered.

use super::node::Span;
use std::fmt;

/// One step into a YAML node.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
pub enum Seg {
    /// The value of a mapping key. `nth` picks among duplicate keys (0 = first).
    Key { name: String, nth: u32 },
    /// An item of a sequence, from 0.
    Index(usize),
}

/// What a path points at in its last mapping entry: the value, or the key itself.
#[derive(
    serde::Serialize,
    serde::Deserialize,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    PartialOrd,
    Ord,
)]
pub enum Target {
    #[default]
    Value,
    Key,
}

/// A path from the document root to a node.
#[derive(
    serde::Serialize,
    serde::Deserialize,
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    Default,
    PartialOrd,
    Ord,
)]
pub struct YamlPath {
    pub segs: Vec<Seg>,
    pub target: Target,
    /// Where the node named by the path's first segments is (the item
    /// `events[3]`: two; the mapping `settings`: one), when the path was
    /// made from a loaded item: the place is then found within that node's
    /// bytes (`node::locate_in_item`).
    pub item: Option<(Span, usize)>,
}

impl YamlPath {
    /// The document root.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by the value of mapping key `name`.
    pub fn key(&self, name: &str) -> Self {
        self.key_nth(name, 0)
    }

    /// This path extended by the `nth` occurrence (from 0) of key `name`.
    pub fn key_nth(&self, name: &str, nth: u32) -> Self {
        let mut p = self.clone();
        p.segs.push(Seg::Key {
            name: name.to_string(),
            nth,
        });
        p.target = Target::Value;
        p
    }

    /// This path extended by sequence item `i`.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.segs.push(Seg::Index(i));
        p.target = Target::Value;
        p
    }

    /// The same path, pointing at the last key rather than its value.
    pub fn at_key(mut self) -> Self {
        self.target = Target::Key;
        self
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.segs {
            match seg {
                Seg::Key { name, nth } => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                    if *nth > 0 {
                        write!(f, "#{}", nth + 1)?;
                    }
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        if first {
            f.write_str("(root)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_field_access() {
        let p = YamlPath::root()
            .key("events")
            .index(3)
            .key("actors")
            .index(1);
        assert_eq!(p.to_string(), "events[3].actors[1]");
        assert_eq!(YamlPath::root().key_nth("title", 1).to_string(), "title#2");
        assert_eq!(YamlPath::root().to_string(), "(root)");
    }
}
