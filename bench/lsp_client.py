"""A minimal LSP client over stdio (standard library only), for the
latency measurement (bench/lsp_latency.py) and quick trials by hand."""

import json
import os
import queue
import subprocess
import threading
import time
import urllib.parse


def uri(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


class Client:
    def __init__(self, cmd, cwd=None):
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.responses = {}
        self.notes = queue.Queue()
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                k, v = line.split(b":", 1)
                headers[k.strip().lower()] = v.strip()
            body = json.loads(out.read(int(headers[b"content-length"])))
            stamp = time.perf_counter()
            if "id" in body and "method" not in body:
                with self.cond:
                    self.responses[body["id"]] = (stamp, body)
                    self.cond.notify_all()
            else:
                self.notes.put((stamp, body))

    def _send(self, msg):
        data = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=60):
        """The result, and the seconds from sending to the answer."""
        self.next_id += 1
        rid = self.next_id
        start = time.perf_counter()
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        with self.cond:
            self.cond.wait_for(lambda: rid in self.responses, timeout)
            stamp, body = self.responses.pop(rid)
        if "error" in body:
            raise RuntimeError(body["error"])
        return body["result"], stamp - start

    def initialize(self, root):
        self.request("initialize", {"processId": None, "rootUri": uri(root), "capabilities": {}})
        self.notify("initialized", {})

    def diagnostics(self, file_uri, timeout=30, since=None):
        """The next diagnostics published for `file_uri` (and when)."""
        end = time.time() + timeout
        while time.time() < end:
            try:
                stamp, n = self.notes.get(timeout=max(0.0, end - time.time()))
            except queue.Empty:
                break
            if n.get("method") == "textDocument/publishDiagnostics" and n["params"]["uri"] == file_uri:
                if since is None or stamp >= since:
                    return stamp, n["params"]["diagnostics"]
        raise TimeoutError(f"no diagnostics for {file_uri}")

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
