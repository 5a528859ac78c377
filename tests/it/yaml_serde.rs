//! The tree reader (`annals::yaml`, built on libyaml's events) against
//! serde_yaml, whose reading defined the format: every fixture and sample
//! file, and scalars chosen for YAML's resolution corners, must read the
//! same (same values, same types, mapping entries in order with duplicates),
//! and a text one refuses the other refuses too.

use annals::yaml::{self, Node};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::path::Path;

/// A value as serde_yaml gives it, comparable with a [`Node`].
#[derive(Debug, PartialEq)]
enum V {
    Null,
    Bool(bool),
    Int(i128),
    /// Bits, so that NaN equals NaN.
    Float(u64),
    Str(String),
    Seq(Vec<V>),
    Map(Vec<(V, V)>),
}

fn of_node(n: &Node<'_>) -> V {
    match n {
        Node::Null => V::Null,
        Node::Bool(b) => V::Bool(*b),
        Node::Int(i) => V::Int(*i),
        Node::Float(f) => V::Float(f.to_bits()),
        Node::Str(s) => V::Str(s.to_string()),
        Node::Seq(items) => V::Seq(items.iter().map(of_node).collect()),
        Node::Map(entries) => V::Map(
            entries
                .iter()
                .map(|(k, v)| (of_node(k), of_node(v)))
                .collect(),
        ),
    }
}

impl<'de> Deserialize<'de> for V {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(VVisitor)
    }
}

struct VVisitor;

impl<'de> Visitor<'de> for VVisitor {
    type Value = V;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<V, E> {
        Ok(V::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<V, E> {
        Ok(V::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V, D::Error> {
        V::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V, E> {
        Ok(V::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V, E> {
        Ok(V::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V, E> {
        Ok(V::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V, E> {
        Ok(V::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V, E> {
        Ok(i128::try_from(v).map_or(V::Float((v as f64).to_bits()), V::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V, E> {
        Ok(V::Float(v.to_bits()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V, E> {
        Ok(V::Str(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<V, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(V::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V, A::Error> {
        let mut entries = Vec::new();
        while let Some(kv) = map.next_entry()? {
            entries.push(kv);
        }
        Ok(V::Map(entries))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V, A::Error> {
        // A local tag (`!foo value`): the value, as the loader keeps it.
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        de::VariantAccess::newtype_variant::<V>(variant)
    }
}

fn same(text: &str) {
    let ours = yaml::parse(text).map(|n| of_node(&n));
    let theirs: Result<V, _> = serde_yaml::from_str(text);
    match (ours, theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("{text:?}: ours {a:?}, serde_yaml {b:?}"),
    }
}

#[test]
fn scalars_resolve_as_serde_yaml_resolves_them() {
    let scalars = [
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "nul",
        "true",
        "True",
        "TRUE",
        "tRue",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "0",
        "-0",
        "+0",
        "+5",
        "007",
        "-007",
        "08",
        "0x1F",
        "0X1F",
        "0o17",
        "0b101",
        "-0x10",
        "+0x10",
        "0x-1",
        "1_000",
        "1e3",
        "1E3",
        "-1.5e-3",
        "1.50",
        ".5",
        "5.",
        ".inf",
        "-.Inf",
        "+.INF",
        ".nan",
        ".NaN",
        "1e999",
        "2024",
        "2024-01-06",
        "2024-01",
        "-2024",
        "18446744073709551616",
        "-9223372036854775809",
        "340282366920938463463374607431768211456",
        "'5'",
        "\"5\"",
        "\"\\x41\"",
        "'it''s'",
        "!foo 5",
        "!foo \"5\"",
        "!!int \"5\"",
        "!!str 5",
        "!!float 1",
        "!!bool true",
        "!!null ~",
        "!!int x",
        "!!bool yes",
        "! 5",
        "&a 5",
        "|\n  x\n",
        ">-\n  a\n  b\n",
        "a b",
        "a #c",
        "[1, 2]",
        "{a: 1, a: 2}",
    ];
    for s in scalars {
        same(&format!("k: {s}\n"));
        same(s);
    }
}

#[test]
fn documents_read_as_serde_yaml_reads_them() {
    let docs = [
        "a: &x [1, 2]\nb: *x\n",
        "a: *nope\n",
        "a: &x {b: *x}\n",
        "? [1, 2]\n: v\n",
        "- - - x\n",
        "a: 1\n---\nb: 2\n",
        "---\na: 1\n...\n",
        "a: [1\n",
        "\u{feff}a: 1\n",
        "a: \"\\u00e9\"\n",
        "# only a comment\n",
        "---\n",
    ];
    for d in docs {
        same(d);
    }
}

#[test]
fn every_fixture_and_sample_file_reads_the_same() {
    let mut seen = 0;
    for dir in ["tests/fixtures", "events", "tests/data"] {
        for path in files(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).as_path()) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                same(&text);
                seen += 1;
            }
        }
    }
    assert!(seen > 50, "only {seen} files");
}

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
