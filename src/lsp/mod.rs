//! `annals lsp`: the Language Server Protocol over stdio.
//!
//! ```text
//! editor ──didOpen/didChange──▶ workspace (buffers over the disk) ──debounce──▶
//!     one file re-parsed (load::Loaded::set_file_text), the rest reused
//!     → validate + deferred, as `check` → diagnostics (ranges in UTF-16)
//! editor ◀──publishDiagnostics── only the files whose diagnostics changed
//! requests: completion, hover, definition, references, symbols, code
//!     actions, answered from the record (the last one that parsed, for a
//!     file being typed) and the buffer's text at the cursor; rename, by
//!     `annals rename`'s engine on the buffers as typed
//! ```
//!
//! rust-analyzer's `lsp-server` (synchronous: a channel and two I/O
//! threads) and `lsp-types`; the server itself is one thread. It never
//! writes a file: edits go back to the editor as workspace edits.

mod actions;
mod completion;
mod context;
mod diagnostics;
mod hover;
mod navigation;
mod position;
mod rename;
mod server;
mod uri;
mod workspace;

use lsp_server::Connection;
use std::path::PathBuf;

/// Speaks the protocol on stdin and stdout until the editor exits. `dir`
/// is the record of every file inside it (`--dir`); other files belong to
/// the record found above them.
///
/// # Errors
///
/// When the editor breaks the protocol before initializing, or the
/// streams fail.
pub fn run_stdio(dir: Option<PathBuf>) -> Result<(), String> {
    let (conn, io) = Connection::stdio();
    let init = serde_json::json!({
        "capabilities": server::capabilities(),
        "serverInfo": {"name": "annals", "version": env!("CARGO_PKG_VERSION")},
    });
    let (id, _params) = conn
        .initialize_start()
        .map_err(|e| format!("the editor did not initialize the server: {e}"))?;
    conn.initialize_finish(id, init)
        .map_err(|e| format!("the editor did not initialize the server: {e}"))?;
    let mut s = server::Server::new(conn, dir);
    s.run();
    drop(s);
    io.join().map_err(|e| e.to_string())
}
