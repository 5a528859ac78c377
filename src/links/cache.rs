//! Link answers cached for a day, so `check --links` run again asks no
//! server twice. The cache lives in the user's cache directory
//! (`$XDG_CACHE_HOME/annals/links.json`, else `~/.cache/annals/`), never
//! in the record. A cache that cannot be read is ignored and one that
//! cannot be written is skipped: it only saves time.

use super::Answer;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How long an answer is trusted.
pub const MAX_AGE_SECS: u64 = 24 * 60 * 60;

/// The cache file, from `XDG_CACHE_HOME` or `HOME`; `None` without either.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("annals").join("links.json"))
}

/// Answers younger than a day at `now` (seconds since 1970), by URL.
pub fn load(path: &Path, now: u64) -> HashMap<String, (u64, Answer)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&text) else {
        return HashMap::new();
    };
    m.into_iter()
        .filter_map(|(url, v)| {
            let at = v.get("checked")?.as_u64()?;
            if at > now || now - at >= MAX_AGE_SECS {
                return None;
            }
            let answer = match (v.get("status").and_then(Value::as_u64), v.get("error")) {
                (Some(s), _) => Answer::Status {
                    status: u16::try_from(s).ok()?,
                    redirected_to: v
                        .get("redirected_to")
                        .and_then(Value::as_str)
                        .map(String::from),
                },
                (None, Some(Value::String(e))) => Answer::Failed(e.clone()),
                _ => return None,
            };
            Some((url, (at, answer)))
        })
        .collect()
}

/// Writes the answers (fresh ones and those still valid) through a
/// temporary file and a rename, so a reader never sees half a file.
pub fn store(path: &Path, entries: &HashMap<String, (u64, Answer)>) -> std::io::Result<()> {
    let mut urls: Vec<&String> = entries.keys().collect();
    urls.sort();
    let mut m = Map::new();
    for url in urls {
        let (at, answer) = &entries[url];
        let v = match answer {
            Answer::Status {
                status,
                redirected_to,
            } => json!({"checked": at, "status": status, "redirected_to": redirected_to}),
            Answer::Failed(e) => json!({"checked": at, "error": e}),
        };
        m.insert(url.clone(), v);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    std::fs::write(&tmp, serde_json::to_string(&Value::Object(m))?)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_expire_after_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annals").join("links.json");
        let mut e = HashMap::new();
        e.insert(
            "https://a.example/".to_string(),
            (
                1000,
                Answer::Status {
                    status: 404,
                    redirected_to: None,
                },
            ),
        );
        e.insert(
            "https://b.example/".to_string(),
            (5000, Answer::Failed("timed out".into())),
        );
        store(&path, &e).unwrap();
        let fresh = load(&path, 1000 + MAX_AGE_SECS - 1);
        assert_eq!(fresh.len(), 2);
        assert_eq!(
            fresh["https://b.example/"].1,
            Answer::Failed("timed out".into())
        );
        let later = load(&path, 1000 + MAX_AGE_SECS);
        assert_eq!(later.keys().collect::<Vec<_>>(), vec!["https://b.example/"]);
    }
}
