// Starts `annals lsp` for YAML files of the workspace (docs/editors.md).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const config = vscode.workspace.getConfiguration("annals");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const server = {
    command: config.get("path", "annals"),
    args: ["--dir", config.get("dir", "events"), "lsp"],
    options: folder ? { cwd: folder } : {},
  };
  client = new LanguageClient("annals", "annals", server, {
    documentSelector: [{ scheme: "file", language: "yaml" }],
    synchronize: {
      // Files saved or created by other programs reload the record.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{yaml,yml}"),
    },
  });
  return client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
