//! Serde for `Diagnostic::code`, a `&'static str`: written as its text,
//! read back as the one static copy of that text.
//!
//! Codes are a small fixed set, so each distinct text read from the cache
//! is leaked once and shared from then on; a code never costs more than
//! its bytes, whatever the number of entries read.

use serde::{Deserialize, Deserializer, Serializer};
use std::sync::Mutex;

pub fn serialize<S: Serializer>(code: &&'static str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let text = String::deserialize(d)?;
    Ok(intern(&text))
}

fn intern(text: &str) -> &'static str {
    static CODES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut codes = CODES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = codes.iter().find(|c| **c == text) {
        return c;
    }
    let c: &'static str = Box::leak(text.to_owned().into_boxed_str());
    codes.push(c);
    c
}
