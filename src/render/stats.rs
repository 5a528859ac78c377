//! `annals stats` output: a count table as text, Markdown, CSV or JSON
//! (schema in docs/output.md).
//!
//! Text and Markdown show a cell as `certain–possible` where the two
//! differ; CSV and JSON give both numbers, always.

use super::escape::{markdown, terminal_line};
use crate::count::table::{CountTable, Row};
use crate::count::{Cell, groups::By};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

/// The column names of the grouping keys, in order.
pub fn key_columns(by: &[By]) -> Vec<&'static str> {
    by.iter()
        .flat_map(|b| b.columns().iter().copied())
        .collect()
}

/// Whether the table has bin columns (else only the total column).
fn binned(t: &CountTable) -> bool {
    t.dated && t.spans.bin().is_some()
}

/// The rows to print: the groups, then the total. Without grouping there is
/// a single group, the same as the total, so only the total is printed.
fn rows<'t>(t: &'t CountTable, by: &[By]) -> Vec<&'t Row> {
    let groups = if by.is_empty() { &[][..] } else { &t.rows[..] };
    groups.iter().chain(std::iter::once(&t.total)).collect()
}

/// Header and cells as strings, shared by text and Markdown.
fn grid(t: &CountTable, by: &[By]) -> (Vec<String>, Vec<Vec<String>>) {
    let cols = key_columns(by);
    let mut header: Vec<String> = cols.iter().map(|c| (*c).to_string()).collect();
    if header.is_empty() {
        header.push(String::new());
    }
    if binned(t) {
        header.extend((0..t.spans.len()).map(|i| t.spans.label(i)));
    }
    header.push("total".into());
    let body = rows(t, by)
        .into_iter()
        .map(|r| {
            let mut line: Vec<String> = if r.key.is_empty() {
                let mut v = vec![String::new(); cols.len().max(1)];
                v[0] = "total".into();
                v
            } else {
                r.key.clone()
            };
            if binned(t) {
                line.extend(r.cells.iter().map(|c| c.text()));
            }
            line.push(r.total.text());
            line
        })
        .collect();
    (header, body)
}

/// What a reader needs to read the numbers.
fn notes(t: &CountTable) -> Vec<String> {
    let (first, last) = t.spans.window();
    let mut v = Vec::new();
    if t.dated {
        v.push(format!(
            "{} events from {first} to {last}{}.",
            t.total.total.possible,
            t.spans
                .bin()
                .map(|b| format!(", per {}", b.noun()))
                .unwrap_or_default()
        ));
    } else {
        v.push(format!(
            "{} events, none with a known day.",
            t.total.total.possible
        ));
    }
    v.push(
        "A cell `c–p`: c events certainly in it (their whole date range), p possibly (their range overlaps it)."
            .into(),
    );
    if t.open > 0 {
        v.push(format!(
            "{} {} an open or unknown start or end, counted as possible in every bin {} may reach.",
            t.open,
            if t.open == 1 {
                "event has"
            } else {
                "events have"
            },
            if t.open == 1 { "it" } else { "they" },
        ));
    }
    v
}

/// Aligned columns: keys left, counts right, notes below.
pub fn text(t: &CountTable, by: &[By]) -> String {
    let (header, body) = grid(t, by);
    let keys = key_columns(by).len().max(1);
    let header: Vec<String> = header
        .iter()
        .map(|h| terminal_line(h).into_owned())
        .collect();
    let body: Vec<Vec<String>> = body
        .iter()
        .map(|r| r.iter().map(|c| terminal_line(c).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &body {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = w - c.chars().count();
            if i < keys {
                s.push_str(c);
                s.extend(std::iter::repeat_n(' ', pad));
            } else {
                s.extend(std::iter::repeat_n(' ', pad));
                s.push_str(c);
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&header);
    for r in &body {
        line(r);
    }
    out.push('\n');
    for n in notes(t) {
        let _ = writeln!(out, "{}", n.replace('`', ""));
    }
    out
}

/// A Markdown table (counts right-aligned), notes below.
pub fn md(t: &CountTable, by: &[By]) -> String {
    let (header, body) = grid(t, by);
    let keys = key_columns(by).len().max(1);
    let mut out = String::new();
    let cell = |c: &str| markdown(c.trim()).into_owned();
    let _ = writeln!(
        out,
        "| {} |",
        header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(
        out,
        "|{}",
        (0..header.len())
            .map(|i| if i < keys { " --- |" } else { " ---: |" })
            .collect::<String>()
    );
    for r in &body {
        let _ = writeln!(
            out,
            "| {} |",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    out.push('\n');
    for n in notes(t) {
        let _ = writeln!(out, "{n}\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Long CSV, one line per group and bin: the key columns, `bin`, `first`,
/// `last`, `certain`, `possible`. The total column has an empty `bin`, the
/// total row empty keys.
pub fn csv(t: &CountTable, by: &[By]) -> String {
    let cols = key_columns(by);
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header: Vec<&str> = cols.clone();
    header.extend(["bin", "first", "last", "certain", "possible"]);
    w.write_record(&header).expect("writing to memory");
    let (wfirst, wlast) = if t.dated {
        let (a, b) = t.spans.window();
        (a.to_string(), b.to_string())
    } else {
        (String::new(), String::new())
    };
    for r in rows(t, by) {
        let key: Vec<String> = if r.key.is_empty() {
            vec![String::new(); cols.len()]
        } else {
            r.key.clone()
        };
        let mut put = |bin: String, first: String, last: String, c: Cell| {
            let mut rec = key.clone();
            rec.extend([
                bin,
                first,
                last,
                c.certain.to_string(),
                c.possible.to_string(),
            ]);
            w.write_record(&rec).expect("writing to memory");
        };
        if binned(t) {
            for (i, (c, &(a, b))) in r.cells.iter().zip(t.spans.spans()).enumerate() {
                put(t.spans.label(i), a.to_string(), b.to_string(), *c);
            }
        }
        put(String::new(), wfirst.clone(), wlast.clone(), r.total);
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}

fn cell(c: Cell) -> Value {
    json!({"certain": c.certain, "possible": c.possible})
}

/// One JSON object: the grouping, the bins, a row per group and the total.
pub fn json(t: &CountTable, by: &[By]) -> String {
    let cols = key_columns(by);
    let (first, last) = t.spans.window();
    let bins: Vec<Value> = if binned(t) {
        t.spans
            .spans()
            .iter()
            .enumerate()
            .map(|(i, (a, b))| json!({"bin": t.spans.label(i), "first": a.to_string(), "last": b.to_string()}))
            .collect()
    } else {
        Vec::new()
    };
    let row = |r: &Row| {
        let mut o = Map::new();
        if !r.key.is_empty() {
            let key: Map<String, Value> = cols
                .iter()
                .zip(&r.key)
                .map(|(c, k)| ((*c).to_string(), Value::String(k.clone())))
                .collect();
            o.insert("key".into(), Value::Object(key));
        }
        if binned(t) {
            o.insert(
                "cells".into(),
                Value::Array(r.cells.iter().map(|&c| cell(c)).collect()),
            );
        }
        o.insert("total".into(), cell(r.total));
        Value::Object(o)
    };
    let groups = if by.is_empty() { &[][..] } else { &t.rows[..] };
    let v = json!({
        "by": by.iter().map(|b| b.as_str()).collect::<Vec<_>>(),
        "columns": cols,
        "bin": if binned(t) { t.spans.bin().map(|b| b.noun()) } else { None },
        "from": t.dated.then(|| first.to_string()),
        "to": t.dated.then(|| last.to_string()),
        "open": t.open,
        "bins": bins,
        "rows": groups.iter().map(row).collect::<Vec<_>>(),
        "total": row(&t.total),
    });
    let mut s = serde_json::to_string_pretty(&v).expect("JSON of plain values");
    s.push('\n');
    s
}
