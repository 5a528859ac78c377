//! `annals lsp` driven over stdio as an editor drives it: exact ranges,
//! cross-file updates, half-typed YAML, files outside the record.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

const ACTORS: &str = "actors:
  - id: kishida-fumio
    name: Kishida Fumio
    type: person
    aliases: [Fumio Kishida]
  - id: japan
    name: Japan
    type: state
";

const SOURCES: &str = "sources:
  - id: kei-report
    title: Dim Prospects
    publisher: KEI
    published: 2024-04-04
";

const EVENTS: &str = "events:
  - id: quake
    date: 2024-01-01
    kind: earthquake
    title: Earthquake
    actors: [japan]
    sources: [kei-report]
  - id: message
    date: \"[2024-01-01..2024-01-06]\"
    kind: message
    title: A message
    actors:
      - {actor: kishida-fumo, role: target}
    related:
      - {event: quake, relation: responds-to}
    sources:
      - kei-report
";

struct Lsp {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next: u64,
    /// Notifications read while waiting for a response.
    held: Vec<Value>,
}

impl Lsp {
    fn start(dir: &Path) -> Lsp {
        let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
            .arg("--dir")
            .arg(dir)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        len = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.unwrap()];
                out.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut lsp = Lsp {
            child,
            stdin,
            rx,
            next: 0,
            held: Vec::new(),
        };
        let init = lsp.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        assert!(init["capabilities"]["completionProvider"].is_object());
        lsp.notify("initialized", json!({}));
        lsp
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.recv();
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                assert!(msg.get("error").is_none(), "{msg}");
                return msg["result"].clone();
            }
            self.held.push(msg);
        }
    }

    fn recv(&mut self) -> Value {
        self.rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_it = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.held.iter().position(is_it) {
            let m = self.held.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let m = self.recv();
            if is_it(&m) {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.held.push(m);
        }
    }

    fn open(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(path), "version": 2}, "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&mut self, method: &str, path: &Path, line: u32, character: u32) -> Value {
        let mut params = json!({"textDocument": {"uri": uri(path)},
                                "position": {"line": line, "character": character}});
        if method == "textDocument/references" {
            params["context"] = json!({"includeDeclaration": true});
        }
        self.request(method, params)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success());
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

/// A record of three files in a fresh directory (canonical, as the server
/// names files).
fn record() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    std::fs::write(dir.join("actors.yaml"), ACTORS).unwrap();
    std::fs::write(dir.join("sources.yaml"), SOURCES).unwrap();
    std::fs::write(dir.join("events.yaml"), EVENTS).unwrap();
    (tmp, dir)
}

#[test]
fn diagnostics_have_checks_ranges_and_the_quick_fix_clears_them() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, EVENTS);
    let diags = lsp.diagnostics(&uri(&events));
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], "unknown-actor");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["range"], range(12, 16, 12, 28));
    assert_eq!(
        d["message"],
        "unknown actor `kishida-fumo`\nhelp: did you mean `kishida-fumio`?"
    );

    let actions = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&events)}, "range": range(12, 20, 12, 20),
               "context": {"diagnostics": diags}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Replace with `kishida-fumio`",
            "Add actor `kishida-fumo` to actors.yaml"
        ]
    );
    let fix = &actions[0]["edit"]["changes"][uri(&events)][0];
    assert_eq!(fix["range"], range(12, 16, 12, 28));
    assert_eq!(fix["newText"], "kishida-fumio");
    let stub = &actions[1]["edit"]["changes"][uri(&dir.join("actors.yaml"))][0];
    assert_eq!(stub["range"], range(8, 0, 8, 0));
    assert_eq!(
        stub["newText"],
        "  - id: kishida-fumo\n    name: Kishida Fumo\n    type: other\n"
    );

    lsp.change(&events, &EVENTS.replace("kishida-fumo,", "kishida-fumio,"));
    assert_eq!(lsp.diagnostics(&uri(&events)), Vec::<Value>::new());
    lsp.stop();
}

#[test]
fn a_change_to_the_actors_file_updates_the_files_that_name_them() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let actors = dir.join("actors.yaml");
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, EVENTS);
    assert_eq!(lsp.diagnostics(&uri(&events)).len(), 1);
    lsp.open(&actors, ACTORS);
    assert_eq!(lsp.diagnostics(&uri(&actors)), Vec::<Value>::new());
    // `japan` renamed in the actors file: the events file, not touched,
    // now names an unknown actor at its `actors: [japan]`.
    lsp.change(&actors, &ACTORS.replace("id: japan", "id: nippon"));
    let diags = lsp.diagnostics(&uri(&events));
    let codes: Vec<(&str, &Value)> = diags
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), &d["range"]))
        .collect();
    assert_eq!(
        codes,
        [
            ("unknown-actor", &range(5, 13, 5, 18)),
            ("unknown-actor", &range(12, 16, 12, 28))
        ]
    );
    lsp.stop();
}

#[test]
fn half_typed_yaml_is_reported_and_the_last_good_record_still_completes() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let actors = dir.join("actors.yaml");
    let mut lsp = Lsp::start(&dir);
    lsp.open(&actors, ACTORS);
    assert_eq!(lsp.diagnostics(&uri(&actors)), Vec::<Value>::new());
    lsp.open(&events, EVENTS);
    lsp.diagnostics(&uri(&events));
    // An unclosed flow list in the actors file: a syntax error there...
    lsp.change(
        &actors,
        &ACTORS.replace("[Fumio Kishida]", "[Fumio Kishida"),
    );
    let diags = lsp.diagnostics(&uri(&actors));
    assert_eq!(diags[0]["code"], "yaml-syntax", "{diags:?}");
    // ...and completion in the events file still knows its actors, by
    // name as well as by id.
    let typed = EVENTS.replace("{actor: kishida-fumo,", "{actor: Fumio,");
    lsp.change(&events, &typed);
    let list = lsp.at("textDocument/completion", &events, 12, 21);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["label"], "kishida-fumio");
    assert_eq!(items[0]["detail"], "Kishida Fumio · person · 0 events");
    assert_eq!(items[0]["textEdit"]["range"], range(12, 16, 12, 21));
    assert_eq!(items[0]["textEdit"]["newText"], "kishida-fumio");
    lsp.stop();
}

#[test]
fn hover_definition_and_references() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, EVENTS);
    lsp.diagnostics(&uri(&events));
    // `japan` in `actors: [japan]`.
    let hover = lsp.at("textDocument/hover", &events, 5, 15);
    assert_eq!(
        hover["contents"]["value"],
        "**Japan** (`japan`)\n\nstate\n\n1 event"
    );
    assert_eq!(hover["range"], range(5, 13, 5, 18));
    let date = lsp.at("textDocument/hover", &events, 8, 12);
    assert_eq!(
        date["contents"]["value"],
        "**one day between 1 and 6 Jan 2024**\n\nfrom 2024-01-01 to 2024-01-06\n\nEDTF level 2: one-of, day"
    );
    let def = lsp.at("textDocument/definition", &events, 5, 15);
    assert_eq!(def["uri"], uri(&dir.join("actors.yaml")));
    assert_eq!(def["range"], range(5, 8, 5, 13));
    // The source: its definition and both references.
    let refs = lsp.at("textDocument/references", &events, 16, 10);
    let got: Vec<(String, Value)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap().to_string(), l["range"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            (uri(&events), range(6, 14, 6, 24)),
            (uri(&events), range(16, 8, 16, 18)),
            (uri(&dir.join("sources.yaml")), range(1, 8, 1, 18)),
        ]
    );
    lsp.stop();
}

#[test]
fn columns_are_utf16_code_units() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    // A quote's text with a character outside the BMP (two UTF-16 units,
    // four bytes) before the misspelt speaker on the same line.
    let text = EVENTS.replace(
        "    related:\n",
        "    quotes:\n      - {text: \"𝄞\", by: kishida-fumo}\n    related:\n",
    );
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, &text);
    let diags = lsp.diagnostics(&uri(&events));
    let unknown: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "unknown-actor")
        .map(|d| &d["range"])
        .collect();
    // `      - {text: "𝄞", by: ` is 25 UTF-16 units (27 bytes).
    assert_eq!(unknown, [&range(12, 16, 12, 28), &range(14, 25, 14, 37)]);
    lsp.stop();
}

#[test]
fn files_outside_the_record_get_empty_answers() {
    let (_tmp, dir) = record();
    let other = tempfile::tempdir().unwrap();
    let outside = other.path().canonicalize().unwrap().join("notes.md");
    std::fs::write(&outside, "actor: japan\n").unwrap();
    let mut lsp = Lsp::start(&dir);
    lsp.open(&dir.join("events.yaml"), EVENTS);
    lsp.diagnostics(&uri(&dir.join("events.yaml")));
    lsp.open(&outside, "actor: japan\n");
    assert_eq!(lsp.at("textDocument/hover", &outside, 0, 9), Value::Null);
    assert_eq!(
        lsp.at("textDocument/completion", &outside, 0, 9),
        Value::Null
    );
    assert_eq!(
        lsp.at("textDocument/definition", &outside, 0, 9),
        Value::Null
    );
    lsp.stop();
}

#[test]
fn a_nesting_bomb_in_a_buffer_gets_checks_guard() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, EVENTS);
    lsp.diagnostics(&uri(&events));
    let bomb = format!("events: {}", "[".repeat(100_000));
    lsp.change(&events, &bomb);
    let diags = lsp.diagnostics(&uri(&events));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "too-deep");
    // The server is still there, and the record it had still answers.
    let hover = lsp.at("textDocument/hover", &events, 0, 10);
    assert_eq!(hover, Value::Null);
    lsp.change(&events, EVENTS);
    assert_eq!(lsp.diagnostics(&uri(&events)).len(), 1);
    lsp.stop();
}

#[test]
fn a_human_date_gets_the_edtf_rewrite() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let text = EVENTS.replace("date: 2024-01-01", "date: March 8, 2018");
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, &text);
    let diags = lsp.diagnostics(&uri(&events));
    let date = diags.iter().find(|d| d["code"] == "invalid-date").unwrap();
    assert_eq!(date["range"], range(2, 10, 2, 23));
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&events)}, "range": range(2, 12, 2, 12),
               "context": {"diagnostics": []}}),
    );
    assert_eq!(actions[0]["title"], "Write this date as EDTF: 2018-03-08");
    let edit = &actions[0]["edit"]["changes"][uri(&events)][0];
    assert_eq!(edit["range"], range(2, 10, 2, 23));
    assert_eq!(edit["newText"], "2018-03-08");
    lsp.stop();
}

/// What `check --format json` reports: (file, code, line, UTF-16 column,
/// message with help) per diagnostic, positions from 0 as the protocol's.
fn check_json(dir: &Path) -> Vec<(String, String, u64, u64, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("--dir")
        .arg(dir)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let diags: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<_> = diags
        .iter()
        .filter(|d| d["file"].is_string())
        .map(|d| {
            let file = d["file"].as_str().unwrap().to_string();
            let (line, column) = match (d["line"].as_u64(), d["column"].as_u64()) {
                (Some(l), Some(c)) => {
                    let text = std::fs::read(&file).unwrap();
                    let text = String::from_utf8_lossy(&text);
                    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                    let l_text = text
                        .split_inclusive(['\n', '\r'])
                        .nth(l as usize - 1)
                        .unwrap_or("");
                    let units: usize = l_text
                        .chars()
                        .take(c as usize - 1)
                        .map(char::len_utf16)
                        .sum();
                    (l - 1, units as u64)
                }
                _ => (0, 0),
            };
            let mut message = d["message"].as_str().unwrap().to_string();
            if let Some(h) = d["help"].as_str() {
                message = format!("{message}\nhelp: {h}");
            }
            let name = Path::new(&file)
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string();
            (
                name,
                d["code"].as_str().unwrap().to_string(),
                line,
                column,
                message,
            )
        })
        .collect();
    got.sort();
    got
}

#[test]
fn the_diagnostics_are_exactly_checks_on_every_fixture() {
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir("tests/fixtures/invalid")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.push("tests/fixtures/valid".into());
    dirs.push("events".into());
    dirs.sort();
    let mut compared = 0;
    for dir in dirs {
        let dir = dir.canonicalize().unwrap();
        let expected = check_json(&dir);
        // Open one file that is text (with its text as on the disk) and
        // wait for the first check: a request is answered after it.
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        files.sort();
        let Some((open, text)) = files
            .iter()
            .find_map(|p| Some((p.clone(), String::from_utf8(std::fs::read(p).ok()?).ok()?)))
        else {
            continue;
        };
        let mut lsp = Lsp::start(&dir);
        lsp.open(&open, &text);
        lsp.request("workspace/symbol", json!({"query": "zzz-none"}));
        let mut got = Vec::new();
        for m in std::mem::take(&mut lsp.held) {
            if m["method"] != "textDocument/publishDiagnostics" {
                continue;
            }
            let uri = m["params"]["uri"].as_str().unwrap();
            let name = uri
                .strip_prefix(&format!("file://{}/", dir.display()))
                .unwrap()
                .to_string();
            for d in m["params"]["diagnostics"].as_array().unwrap() {
                let start = &d["range"]["start"];
                got.push((
                    name.clone(),
                    d["code"].as_str().unwrap().to_string(),
                    start["line"].as_u64().unwrap(),
                    start["character"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                ));
            }
        }
        got.sort();
        assert_eq!(got, expected, "{}", dir.display());
        compared += got.len();
        lsp.stop();
    }
    assert!(compared > 40, "only {compared} diagnostics compared");
}

#[test]
fn hostile_buffers_and_edits_leave_the_server_answering() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, EVENTS);
    lsp.diagnostics(&uri(&events));
    let long_line = format!("events: [{}]", "a, ".repeat(200_000));
    let texts = [
        "\u{feff}\u{feff}events: x",
        "\0\u{1}\u{7f}\u{202e}",
        "&a [*a, *a, *a]",
        "a: &a [*a, *a]\nb: &b [*b, *b, *b, *b]\n",
        "events:\n  - id: é\u{10ffff}\r\n\r\r",
        long_line.as_str(),
        "",
    ];
    for (i, text) in texts.iter().enumerate() {
        lsp.change(&events, text);
        // Edits that fall outside the text, or end before they start.
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&events), "version": 10 + i},
                   "contentChanges": [
                       {"range": range(999, 5, 1000, 0), "text": "x"},
                       {"range": range(0, 9, 0, 2), "text": "y"},
                       {"range": range(0, 400, 0, 401), "text": ""}]}),
        );
        lsp.at("textDocument/hover", &events, 0, 1);
        lsp.at("textDocument/completion", &events, 0, 3);
        lsp.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri(&events)}}),
        );
    }
    // Back to the real text: the record is whole again. (A request
    // checks what is pending first; the last diagnostics published count.)
    lsp.change(&events, EVENTS);
    lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&events)}}),
    );
    let last = lsp
        .held
        .iter()
        .rev()
        .find(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri(&events)
        })
        .unwrap();
    let codes: Vec<&Value> = last["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert_eq!(codes, [&json!("unknown-actor")]);
    let def = lsp.at("textDocument/definition", &events, 5, 15);
    assert_eq!(def["range"], range(5, 8, 5, 13));
    lsp.stop();
}

impl Lsp {
    /// The error a request is answered with.
    fn request_error(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.recv();
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                assert!(msg.get("result").is_none(), "{msg}");
                return msg["error"].clone();
            }
            self.held.push(msg);
        }
    }
}

fn at_params(path: &Path, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": character}})
}

/// `text` with the protocol's edits applied (ranges in `text`, UTF-8
/// here: the test texts are ASCII).
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    ranges.sort_by_key(|r| (r.0, r.1));
    let mut out = text.to_string();
    for (a, b, t) in ranges.into_iter().rev() {
        out.replace_range(a..b, t);
    }
    out
}

#[test]
fn rename_is_the_commands_edit_on_the_buffers_as_typed() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let actors = dir.join("actors.yaml");
    // An unsaved reference: the rename finds it in the buffer.
    let typed = EVENTS.replace(
        "      - {actor: kishida-fumo, role: target}\n",
        "      - {actor: kishida-fumo, role: target}\n      - japan\n",
    );
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, &typed);
    lsp.diagnostics(&uri(&events));

    // prepareRename: the id's range and the id.
    let prep = lsp.request("textDocument/prepareRename", at_params(&events, 5, 15));
    assert_eq!(
        prep,
        json!({"range": range(5, 13, 5, 18), "placeholder": "japan"})
    );
    // On its definition too.
    let prep = lsp.request("textDocument/prepareRename", at_params(&actors, 5, 10));
    assert_eq!(prep["range"], range(5, 8, 5, 13));

    let edit = lsp.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri(&events)}, "position": {"line": 5, "character": 15},
               "newName": "nippon"}),
    );
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "{edit}");
    let in_events = changes[&uri(&events)].as_array().unwrap();
    assert_eq!(
        in_events,
        &[
            json!({"range": range(5, 13, 5, 18), "newText": "nippon"}),
            json!({"range": range(13, 8, 13, 13), "newText": "nippon"}),
        ]
    );
    let in_actors = changes[&uri(&actors)].as_array().unwrap();
    assert_eq!(
        in_actors,
        &[
            json!({"range": range(5, 8, 5, 13), "newText": "nippon"}),
            json!({"range": range(8, 0, 8, 0), "newText": "    aliases:\n      - japan\n"}),
        ]
    );

    // The same edit `annals rename` writes, given the same text.
    std::fs::write(&events, &typed).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("--dir")
        .arg(&dir)
        .args(["rename", "actor", "japan", "nippon"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&events).unwrap(),
        apply_edits(&typed, in_events)
    );
    assert_eq!(
        std::fs::read_to_string(&actors).unwrap(),
        apply_edits(ACTORS, in_actors)
    );
    lsp.stop();
}

#[test]
fn rename_refuses_what_the_command_refuses() {
    let (_tmp, dir) = record();
    let events = dir.join("events.yaml");
    let actors = dir.join("actors.yaml");
    let mut lsp = Lsp::start(&dir);
    lsp.open(&events, EVENTS);
    lsp.diagnostics(&uri(&events));
    let rename = |lsp: &mut Lsp, path: &Path, line, character, new: &str| {
        lsp.request_error(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri(path)},
                   "position": {"line": line, "character": character}, "newName": new}),
        )
    };
    // Not an id: a title, a date, a key.
    for (line, character) in [(4, 14), (2, 12), (4, 5)] {
        let e = lsp.request_error(
            "textDocument/prepareRename",
            at_params(&events, line, character),
        );
        assert_eq!(e["code"], -32803);
        assert_eq!(
            e["message"],
            "annals renames ids only: put the cursor on the id of an actor, source, event or kind, or on a reference to one"
        );
    }
    // A reference to no actor, a built-in kind.
    let e = lsp.request_error("textDocument/prepareRename", at_params(&events, 12, 20));
    assert_eq!(
        e["message"],
        "there is no actor `kishida-fumo` in the record; did you mean `kishida-fumio`?"
    );
    let e = lsp.request_error("textDocument/prepareRename", at_params(&events, 3, 12));
    assert_eq!(
        e["message"],
        "`earthquake` is a built-in kind; only kinds declared under `kinds:` can be renamed or removed"
    );
    // Not a valid id, an id taken.
    let e = rename(&mut lsp, &events, 5, 15, "Nippon State");
    assert_eq!(
        e["message"],
        "`Nippon State` is not a valid id: use lower-case letters, digits and single hyphens, e.g. `nippon-state`"
    );
    let e = rename(&mut lsp, &events, 5, 15, "kishida-fumio");
    assert_eq!(
        e["message"],
        "the actor id `kishida-fumio` is already taken"
    );
    // A file being typed that does not parse but names the actor.
    lsp.open(&actors, ACTORS);
    lsp.change(
        &events,
        &EVENTS.replace("actors: [japan]", "actors: [japan"),
    );
    let e = rename(&mut lsp, &actors, 5, 10, "nippon");
    let m = e["message"].as_str().unwrap();
    assert!(
        m.starts_with(&format!("`{}` does not parse (", events.display())),
        "{m}"
    );
    assert!(
        m.ends_with("and mentions `japan`; fix it first (see `annals check`)"),
        "{m}"
    );
    lsp.stop();
}
