//! Measures the parse cache's candidate encodings (bitcode, postcard) on a
//! record: encode and decode time and size of every file's items. Used to
//! choose the cache's format (ARCHITECTURE.md, "Parse cache").
//!
//!     cargo run --release --example cache_codec -- DIR

use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "events".into());
    let files = annals::load::discover::discover(std::path::Path::new(&dir))
        .expect("a record directory")
        .files;
    let loads: Vec<_> = files
        .iter()
        .map(|f| annals::load::load_files(vec![f.clone()]))
        .collect();
    let parts: Vec<_> = loads
        .iter()
        .map(|l| {
            (
                &l.record.events,
                &l.record.actors,
                &l.record.sources,
                &l.diagnostics,
            )
        })
        .collect();
    type Owned = (
        Vec<annals::model::Event>,
        Vec<annals::model::Actor>,
        Vec<annals::model::Source>,
        Vec<annals::diag::Diagnostic>,
    );
    let t = Instant::now();
    let b: Vec<Vec<u8>> = parts
        .iter()
        .map(|p| bitcode::serialize(p).unwrap())
        .collect();
    let b_enc = t.elapsed();
    let t = Instant::now();
    for x in &b {
        let _: Owned = bitcode::deserialize(x).unwrap();
    }
    let b_dec = t.elapsed();
    let t = Instant::now();
    let p: Vec<Vec<u8>> = parts
        .iter()
        .map(|p| postcard::to_allocvec(p).unwrap())
        .collect();
    let p_enc = t.elapsed();
    let t = Instant::now();
    for x in &p {
        let _: Owned = postcard::from_bytes(x).unwrap();
    }
    let p_dec = t.elapsed();
    let size = |v: &Vec<Vec<u8>>| v.iter().map(Vec::len).sum::<usize>();
    println!(
        "bitcode  encode {b_enc:?} decode {b_dec:?} bytes {}",
        size(&b)
    );
    println!(
        "postcard encode {p_enc:?} decode {p_dec:?} bytes {}",
        size(&p)
    );
}
