//! The benchmark's floor: bare, single-threaded, typed deserialization of a
//! record's files with our YAML crate (serde_yaml's API, yaml_serde), and
//! nothing else: no checks, no dates, no diagnostics.
//!
//! `cargo run --release --example bare_deser -- DIR` prints the item counts.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[derive(Deserialize)]
struct File {
    #[serde(default)]
    events: Vec<Event>,
    #[serde(default)]
    actors: Vec<Actor>,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    kinds: Vec<Kind>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Event {
    id: String,
    date: String,
    date_text: Option<String>,
    kind: String,
    title: String,
    summary: Option<String>,
    status: Option<String>,
    actors: Vec<ActorRef>,
    location: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    related: Vec<Related>,
    #[serde(default)]
    quotes: Vec<Quote>,
    sources: Vec<SourceRef>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(untagged)]
enum ActorRef {
    Id(String),
    Full { actor: String, role: Option<String> },
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Related {
    event: String,
    relation: String,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Quote {
    by: String,
    text: String,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(untagged)]
enum SourceRef {
    Id(String),
    Full {
        source: String,
        locator: Option<String>,
    },
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Actor {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    country: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    member_of: Vec<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Source {
    id: String,
    title: String,
    publisher: String,
    url: Option<String>,
    published: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Kind {
    id: String,
    label: Option<String>,
    color: Option<String>,
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable directory")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "events".into());
    let mut files = Vec::new();
    yaml_files(Path::new(&dir), &mut files);
    let (mut events, mut actors, mut sources) = (0, 0, 0);
    for f in &files {
        let text = std::fs::read_to_string(f).expect("UTF-8 file");
        let file: File =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        events += file.events.len();
        actors += file.actors.len();
        sources += file.sources.len();
    }
    println!(
        "{events} events, {actors} actors, {sources} sources in {} files",
        files.len()
    );
}
