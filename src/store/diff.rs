//! The unified diff of a change, made from its edits (no diff algorithm:
//! the edits already say which lines change). `--dry-run` prints it.

use super::edit::Edit;
use super::item_edit::{line_after, line_start};

/// One hunk: old lines `old_lo..old_hi` became new lines `new_lo..new_hi`
/// (byte ranges, whole lines).
struct Hunk {
    old: (usize, usize),
    new: (usize, usize),
}

fn lines_of(text: &str, (lo, hi): (usize, usize)) -> Vec<&str> {
    if lo >= hi {
        return Vec::new();
    }
    text[lo..hi]
        .split_inclusive('\n')
        .map(|l| l.trim_end_matches(['\n', '\r']))
        .collect()
}

fn line_no(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// `old` → `new` (made by `edits`, sorted) as a unified diff with no
/// context lines, headed `--- a/NAME` / `+++ b/NAME`.
pub fn unified(name: &str, old: &str, new: &str, edits: &[Edit]) -> String {
    let mut hunks: Vec<Hunk> = Vec::new();
    let mut delta: isize = 0;
    for e in edits {
        let lo = line_start(old, e.range.start);
        let hi = if e.range.end > lo && old[..e.range.end].ends_with('\n') {
            e.range.end
        } else {
            line_after(old, e.range.end)
        };
        let grow = e.text.len() as isize - e.range.len() as isize;
        let nlo = (lo as isize + delta) as usize;
        let nhi = (hi as isize + delta + grow) as usize;
        let nhi = if nhi > nlo && !new[..nhi].ends_with('\n') {
            line_after(new, nhi)
        } else {
            nhi
        };
        delta += grow;
        match hunks.last_mut() {
            Some(h) if lo <= h.old.1 => {
                h.old.1 = h.old.1.max(hi);
                h.new.1 = h.new.1.max(nhi);
            }
            _ => hunks.push(Hunk {
                old: (lo, hi),
                new: (nlo, nhi),
            }),
        }
    }
    if hunks.is_empty() {
        return String::new();
    }
    let mut out = if name.starts_with('/') {
        format!("--- {name}\n+++ {name}\n")
    } else {
        format!("--- a/{name}\n+++ b/{name}\n")
    };
    for h in hunks {
        let (o, n) = (lines_of(old, h.old), lines_of(new, h.new));
        let ol = line_no(old, h.old.0) - usize::from(o.is_empty());
        let nl = line_no(new, h.new.0) - usize::from(n.is_empty());
        out.push_str(&format!("@@ -{ol},{} +{nl},{} @@\n", o.len(), n.len()));
        for l in o {
            out.push_str(&format!("-{l}\n"));
        }
        for l in n {
            out.push_str(&format!("+{l}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_from_edits() {
        let old = "a: 1\nb: 2\nc: 3\n";
        let edits = [Edit {
            range: 8..9,
            text: "20".into(),
        }];
        let new = super::super::edit::apply(old, &edits).unwrap();
        assert_eq!(
            unified("f.yaml", old, &new, &edits),
            "--- a/f.yaml\n+++ b/f.yaml\n@@ -2,1 +2,1 @@\n-b: 2\n+b: 20\n"
        );
        let edits = [Edit {
            range: 5..10,
            text: String::new(),
        }];
        let new = super::super::edit::apply(old, &edits).unwrap();
        assert_eq!(
            unified("f.yaml", old, &new, &edits),
            "--- a/f.yaml\n+++ b/f.yaml\n@@ -2,1 +1,0 @@\n-b: 2\n"
        );
    }
}
