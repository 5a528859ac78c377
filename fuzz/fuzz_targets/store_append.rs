//! The store's append path (`annals add`, `import`) on any file text and a
//! drafted item: `store::edit::append` either refuses, or inserts text at
//! one offset (every other byte of the file kept) so that the file reads
//! back as the old one with the new item at the end of its list, and every
//! other top-level entry unchanged. When `edit::Batch` (import's fast path)
//! can continue after that item, the piece it gives for a second item is
//! exactly what a second `append` inserts.
//!
//! Input: up to the first NUL byte, the file's text (UTF-8, lossily); after
//! it, the item's fields split at line breaks (id, date, title, actor,
//! role, tag, a second tag). The first field byte's low bits pick the
//! list (`events`, `actors`, `sources`) and whether nested lists are flow.

#![no_main]

use annals::store::edit::{Batch, append};
use annals::store::emit::Value;
use annals::yaml::{Node, parse};
use libfuzzer_sys::fuzz_target;

fn item(fields: &[&str], flow: bool, n: usize) -> Value {
    let field = |k: usize| fields.get(k).copied().unwrap_or("").to_string();
    let id = if n == 0 {
        field(0)
    } else {
        format!("{}-{n}", field(0))
    };
    Value::Map(vec![
        ("id", Value::Str(id)),
        ("date", Value::Date(field(1))),
        ("title", Value::Str(field(2))),
        (
            "actors",
            Value::List {
                items: vec![Value::Map(vec![
                    ("actor", Value::Str(field(3))),
                    ("role", Value::Str(field(4))),
                ])],
                flow: false,
            },
        ),
        (
            "tags",
            Value::List {
                items: vec![Value::Str(field(5)), Value::Str(field(6))],
                flow,
            },
        ),
    ])
}

/// The top level as (key, value) pairs; a text that reads as nothing has
/// none. `None`: not a mapping, so there is nothing to compare.
fn entries<'a>(root: Node<'a>) -> Option<Vec<(Node<'a>, Node<'a>)>> {
    match root {
        Node::Null => Some(Vec::new()),
        Node::Map(entries) => Some(entries),
        _ => None,
    }
}

/// Values compared as written out, so that a `.nan` equals itself.
fn same(a: &Node<'_>, b: &Node<'_>) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn is_key(node: &Node<'_>, key: &str) -> bool {
    matches!(node, Node::Str(k) if k == key)
}

/// `new` (the text after appending `value` under `key` to `old`) reads
/// as `old` with `value` as the list's last item and nothing else changed.
fn check_reads_back(old: &str, new: &str, key: &str, value: &Value) {
    // What this reader refuses (nesting and alias limits), append's own
    // reader of the layout may still take: then only the bytes are held.
    let Some(before) = parse(old).ok().and_then(entries) else {
        return;
    };
    let after = parse(new).unwrap_or_else(|e| panic!("the new text does not read: {e:?}"));
    let after = entries(after).expect("the new text's top level is a mapping");
    let list = |e: &[(Node<'_>, Node<'_>)]| -> Vec<String> {
        e.iter()
            .filter(|(k, _)| !is_key(k, key))
            .map(|(k, v)| format!("{k:?}: {v:?}"))
            .collect()
    };
    assert_eq!(list(&before), list(&after), "the other entries changed");
    let old_items: Vec<Node<'_>> = match before.iter().find(|(k, _)| is_key(k, key)) {
        None | Some((_, Node::Null)) => Vec::new(),
        Some((_, Node::Seq(items))) => items.clone(),
        Some((_, other)) => panic!("append took `{key}:` holding {other:?}"),
    };
    let Some((_, Node::Seq(new_items))) = after.iter().find(|(k, _)| is_key(k, key)) else {
        panic!("no `{key}:` list after the append");
    };
    assert_eq!(new_items.len(), old_items.len() + 1, "one item more");
    for (o, n) in old_items.iter().zip(new_items) {
        assert!(same(o, n), "an old item changed: {o:?} became {n:?}");
    }
    let last = new_items.last().expect("one item");
    assert!(value.matches(last), "the new item reads as {last:?}");
}

fuzz_target!(|data: &[u8]| {
    let (text, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let old = String::from_utf8_lossy(text);
    let flags = rest.first().copied().unwrap_or(0);
    let fields_text = String::from_utf8_lossy(rest.get(1..).unwrap_or(&[]));
    let fields: Vec<&str> = fields_text.split('\n').collect();
    let key = ["events", "actors", "sources"][usize::from(flags & 3) % 3];
    let flow = flags & 4 != 0;
    let first = item(&fields, flow, 0);
    let Ok(a) = append(&old, key, &first) else {
        return;
    };
    // One insertion at `at`, every other byte kept.
    let new = &a.text;
    assert!(
        a.at <= old.len() && a.at + a.len <= new.len(),
        "the insertion's place"
    );
    assert_eq!(
        new.len(),
        old.len() + a.len,
        "only the insertion's bytes were added"
    );
    assert_eq!(&new[..a.at], &old[..a.at], "the bytes before the insertion");
    assert_eq!(
        &new[a.at + a.len..],
        &old[a.at..],
        "the bytes after the insertion"
    );
    check_reads_back(&old, new, key, &first);

    // import's batch: its piece for a second item is what append inserts.
    let second = item(&fields, flow, 2);
    if let Some(mut batch) = Batch::after(new, key, a.at, a.len) {
        let piece = batch.next(&second);
        let again = append(new, key, &second);
        match (piece, again) {
            (Ok(Some(piece)), Ok(b)) => {
                let mut batched = new.clone();
                batched.insert_str(a.at + a.len, &piece);
                assert_eq!(batched, b.text, "the batch and append disagree");
            }
            (Ok(Some(_)), Err(e)) => panic!("the batch wrote what append refuses: {}", e.0),
            // The store stops the whole import on the batch's error.
            (Err(e), Ok(_)) => panic!("the batch refused what append writes: {}", e.0),
            // The batch may give up (then the store appends one by one)
            // or refuse what append also refuses.
            _ => {}
        }
    }
});
