//! The server loop: one thread, messages in order, checks debounced.
//!
//! A change to a buffer is recorded at once (cheap) and checked when the
//! editor has been quiet for [`QUIET`], or at the latest [`MAX_WAIT`] after
//! the first unchecked change, so a burst of keystrokes is one check.
//! Requests are answered from the state as of the last check, after
//! checking pending changes first, except completion, which reads the
//! buffer as typed and the record as last checked (it must be fast).
//! A handler that panics answers with an error and the server goes on.

use super::position::Lines;
use super::workspace::Workspace;
use super::{actions, completion, diagnostics, hover, navigation, rename, uri};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, CompletionOptions,
    CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, HoverParams,
    HoverProviderCapability, OneOf, PublishDiagnosticsParams, ReferenceParams, RenameOptions,
    RenameParams, ServerCapabilities, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Quiet time after a change before checking.
pub const QUIET: Duration = Duration::from_millis(25);
/// Longest a change waits while the editor keeps sending.
pub const MAX_WAIT: Duration = Duration::from_millis(60);

pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([":", " ", "[", ",", "-", "{"].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        ..ServerCapabilities::default()
    }
}

pub struct Server {
    conn: Connection,
    /// `--dir`, when it exists: the record of every file inside it.
    dir: Option<PathBuf>,
    /// Made when the first file of a record is opened.
    ws: Option<Workspace>,
    /// What was last published per file, to send only what changed.
    published: HashMap<Uri, Vec<lsp_types::Diagnostic>>,
    converted: diagnostics::Converted,
    /// When the oldest and the newest unchecked change came.
    first_change: Option<Instant>,
    last_change: Instant,
}

impl Server {
    pub fn new(conn: Connection, dir: Option<PathBuf>) -> Self {
        Server {
            conn,
            dir,
            ws: None,
            published: HashMap::new(),
            converted: diagnostics::Converted::default(),
            first_change: None,
            last_change: Instant::now(),
        }
    }

    /// Serves until the editor says `exit` or closes the stream.
    pub fn run(&mut self) {
        loop {
            let msg = match self.first_change {
                Some(first) => {
                    let due = (self.last_change + QUIET).min(first + MAX_WAIT);
                    let wait = due.saturating_duration_since(Instant::now());
                    match self.conn.receiver.recv_timeout(wait) {
                        Ok(m) => Some(m),
                        Err(crossbeam_timeout) if crossbeam_timeout.is_timeout() => None,
                        Err(_) => return,
                    }
                }
                None => match self.conn.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return,
                },
            };
            match msg {
                None => {
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.check_and_publish()
                    }));
                }
                Some(Message::Request(req)) => {
                    match self.conn.handle_shutdown(&req) {
                        Ok(true) => return,
                        Ok(false) => {}
                        Err(_) => return,
                    }
                    let id = req.id.clone();
                    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.request(req)
                    }));
                    let resp = match answer {
                        Ok(Ok(v)) => Response::new_ok(id, v),
                        Ok(Err((code, msg))) => Response::new_err(id, code as i32, msg),
                        Err(_) => Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            "annals lsp: internal error (please report it)".into(),
                        ),
                    };
                    self.send(resp.into());
                }
                Some(Message::Notification(n)) => {
                    if n.method == "exit" {
                        return;
                    }
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.notification(n)
                    }));
                }
                Some(Message::Response(_)) => {}
            }
        }
    }

    fn send(&self, msg: Message) {
        // The editor has gone: the loop ends on the next receive.
        let _ = self.conn.sender.send(msg);
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(path) = uri::to_path(&p.text_document.uri) else {
                    return;
                };
                if self.ws.is_none() {
                    let dir = record_dir(&path, self.dir.as_deref());
                    match Workspace::load(&dir) {
                        Ok(ws) => self.ws = Some(ws),
                        Err(_) => return,
                    }
                    // The whole record's diagnostics, at once.
                    self.changed();
                }
                // Opened again: its diagnostics are sent again.
                self.published.remove(&p.text_document.uri);
                if let Some(ws) = &mut self.ws {
                    if ws.contains(&path) {
                        ws.set_buffer(&path, &p.text_document.text);
                        self.changed();
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(path) = uri::to_path(&p.text_document.uri) else {
                    return;
                };
                let Some(ws) = &mut self.ws else { return };
                let Some(mut text) = ws.buffer(&path).map(|t| t.to_string()) else {
                    return;
                };
                for change in p.content_changes {
                    match change.range {
                        None => text = change.text,
                        Some(r) => {
                            let lines = Lines::new(Rc::from(text.as_str()));
                            let (a, b) = (lines.offset(r.start), lines.offset(r.end));
                            if a <= b {
                                text.replace_range(a..b, &change.text);
                            }
                        }
                    }
                }
                ws.set_buffer(&path, &text);
                self.changed();
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                if let (Some(ws), Some(path)) = (&mut self.ws, uri::to_path(&p.text_document.uri)) {
                    ws.close_buffer(&path);
                    self.changed();
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) else {
                    return;
                };
                if let Some(ws) = &mut self.ws {
                    for c in p.changes {
                        if let Some(path) = uri::to_path(&c.uri) {
                            ws.disk_changed(&path);
                        }
                    }
                    self.changed();
                }
            }
            _ => {}
        }
    }

    fn changed(&mut self) {
        let now = Instant::now();
        self.first_change.get_or_insert(now);
        self.last_change = now;
    }

    /// Checks what changed and publishes the diagnostics that differ from
    /// what the editor shows.
    fn check_and_publish(&mut self) {
        self.first_change = None;
        let Some(ws) = &mut self.ws else { return };
        ws.flush();
        let files: Vec<_> = diagnostics::by_file(ws, &mut self.converted)
            .into_iter()
            .map(|(path, diags)| {
                let open = ws.buffer(&path).is_some();
                (path, open, diags)
            })
            .collect();
        let mut seen = Vec::new();
        for (path, open, diags) in files {
            let uri = uri::from_path(&path);
            seen.push(uri.clone());
            if self.published.get(&uri) == Some(&diags) {
                continue;
            }
            // A clean file is told so only when it showed something, or
            // is open (the editor waits for its first diagnostics).
            if diags.is_empty() && !self.published.contains_key(&uri) && !open {
                continue;
            }
            self.publish(uri, diags);
        }
        // Files no longer in the record: clear what they showed.
        let gone: Vec<Uri> = self
            .published
            .keys()
            .filter(|u| !seen.contains(u))
            .cloned()
            .collect();
        for uri in gone {
            self.publish(uri.clone(), Vec::new());
            self.published.remove(&uri);
        }
    }

    fn publish(&mut self, uri: Uri, diags: Vec<lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: diags.clone(),
            version: None,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
        self.published.insert(uri, diags);
    }

    /// The checked workspace and the record file `uri` names with its
    /// text as typed; `None` (an empty answer) for any other file.
    fn file(&mut self, uri: &Uri, check: bool) -> Option<(&Workspace, u32, Lines)> {
        if check && self.first_change.is_some() {
            self.check_and_publish();
        }
        let ws = self.ws.as_ref()?;
        let path = uri::to_path(uri)?;
        let k = ws.file_index(&path)?;
        let text = ws.buffer(&path).or_else(|| ws.text(k))?;
        Some((ws, k, Lines::new(text)))
    }

    fn request(&mut self, req: Request) -> Result<Value, (ErrorCode, String)> {
        fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, (ErrorCode, String)> {
            serde_json::from_value(v).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
        }
        let json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match req.method.as_str() {
            Completion::METHOD => {
                let p: CompletionParams = params(req.params)?;
                let pos = p.text_document_position;
                let Some((ws, _, lines)) = self.file(&pos.text_document.uri, false) else {
                    return Ok(Value::Null);
                };
                let at = lines.offset(pos.position);
                let list = completion::complete(ws.record(), &lines, at);
                json(serde_json::to_value(CompletionResponse::List(list)))
            }
            HoverRequest::METHOD => {
                let p: HoverParams = params(req.params)?;
                let pos = p.text_document_position_params;
                let Some((ws, _, lines)) = self.file(&pos.text_document.uri, true) else {
                    return Ok(Value::Null);
                };
                let at = lines.offset(pos.position);
                json(serde_json::to_value(hover::hover(ws.record(), &lines, at)))
            }
            GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(req.params)?;
                let pos = p.text_document_position_params;
                let Some((ws, _, lines)) = self.file(&pos.text_document.uri, true) else {
                    return Ok(Value::Null);
                };
                let at = lines.offset(pos.position);
                let found = navigation::id_at(lines.text(), at)
                    .and_then(|(list, id, _)| navigation::definition(ws, list, &id));
                json(serde_json::to_value(
                    found.map(GotoDefinitionResponse::Scalar),
                ))
            }
            References::METHOD => {
                let p: ReferenceParams = params(req.params)?;
                let pos = p.text_document_position;
                let Some((ws, _, lines)) = self.file(&pos.text_document.uri, true) else {
                    return Ok(Value::Null);
                };
                let at = lines.offset(pos.position);
                let found = navigation::id_at(lines.text(), at).map(|(list, id, _)| {
                    navigation::references(ws, list, &id, p.context.include_declaration)
                });
                json(serde_json::to_value(found.unwrap_or_default()))
            }
            DocumentSymbolRequest::METHOD => {
                let p: DocumentSymbolParams = params(req.params)?;
                let Some((ws, k, _)) = self.file(&p.text_document.uri, true) else {
                    return Ok(Value::Null);
                };
                let symbols = navigation::document_symbols(ws, k);
                json(serde_json::to_value(DocumentSymbolResponse::Nested(
                    symbols,
                )))
            }
            WorkspaceSymbolRequest::METHOD => {
                let p: WorkspaceSymbolParams = params(req.params)?;
                if self.first_change.is_some() {
                    self.check_and_publish();
                }
                let Some(ws) = &self.ws else {
                    return Ok(Value::Null);
                };
                let found = navigation::workspace_symbols(ws, &p.query);
                json(serde_json::to_value(WorkspaceSymbolResponse::Flat(found)))
            }
            CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(req.params)?;
                let Some((ws, k, lines)) = self.file(&p.text_document.uri, true) else {
                    return Ok(Value::Null);
                };
                let range = lines.offset(p.range.start)..lines.offset(p.range.end);
                let found: Vec<CodeActionOrCommand> = actions::actions(ws, k, &lines, range)
                    .into_iter()
                    .map(CodeActionOrCommand::CodeAction)
                    .collect();
                json(serde_json::to_value(found))
            }
            PrepareRenameRequest::METHOD => {
                let p: TextDocumentPositionParams = params(req.params)?;
                let Some((ws, _, lines)) = self.file(&p.text_document.uri, true) else {
                    return Ok(Value::Null);
                };
                let at = lines.offset(p.position);
                let found = rename::prepare(ws, &lines, at).map_err(refused)?;
                json(serde_json::to_value(found))
            }
            Rename::METHOD => {
                let p: RenameParams = params(req.params)?;
                let pos = p.text_document_position;
                let Some((ws, _, lines)) = self.file(&pos.text_document.uri, true) else {
                    return Ok(Value::Null);
                };
                let at = lines.offset(pos.position);
                let edit = rename::rename(ws, &lines, at, &p.new_name).map_err(refused)?;
                json(serde_json::to_value(edit))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("annals lsp does not answer `{}`", req.method),
            )),
        }
    }
}

/// A request the record refuses (a rename that cannot be made): the
/// editor shows the message.
fn refused(message: String) -> (ErrorCode, String) {
    (ErrorCode::RequestFailed, message)
}

/// The record the server serves: `--dir` when that folder exists (a file
/// opened outside it gets empty answers), else the highest folder above
/// the first file opened whose every level up holds YAML files
/// (`events/2024/x.yaml` with `events/actors.yaml` gives `events`).
pub fn record_dir(file: &Path, dir: Option<&Path>) -> PathBuf {
    if let Some(d) = dir {
        return d.to_path_buf();
    }
    let mut found = file.parent().unwrap_or(Path::new("/")).to_path_buf();
    while let Some(up) = found.parent() {
        if !holds_yaml(up) {
            break;
        }
        found = up.to_path_buf();
    }
    found
}

fn holds_yaml(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        !name.starts_with('.')
            && (name.ends_with(".yaml") || name.ends_with(".yml"))
            && e.file_type().is_ok_and(|t| t.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::record_dir;
    use std::fs;
    use std::path::Path;

    #[test]
    fn the_record_is_dir_or_the_highest_folder_of_yaml_files_above() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("events/2024")).unwrap();
        fs::write(root.join("README.md"), "").unwrap();
        fs::write(root.join("events/actors.yaml"), "").unwrap();
        fs::write(root.join("events/2024/jan.yaml"), "").unwrap();
        let jan = root.join("events/2024/jan.yaml");
        assert_eq!(record_dir(&jan, None), root.join("events"));
        assert_eq!(record_dir(&jan, Some(Path::new("/r"))), Path::new("/r"));
        fs::write(root.join("mkdocs.yml"), "").unwrap();
        assert_eq!(record_dir(&jan, None), root);
    }
}
