#!/usr/bin/env python3
"""Latencies of `annals lsp` on a generated record, as an editor sees them.

usage: lsp_latency.py ANNALS RECORD_DIR [ROUNDS]

RECORD_DIR is made by `bench/gencorpus.py RECORD_DIR 10000 100` (100
files of 100 events). The script client (bench/lsp_client.py) opens one
event file and measures, from sending to receiving:

- open:        didOpen -> the file's first diagnostics (the whole record
               loaded and checked);
- keystroke:   one typed character that makes an actor unknown (or known
               again) -> the new diagnostics; includes the server's
               debounce (25 ms of quiet);
- completion:  after `actor: ` (50 actors) and after `event: ` (10,000
               events, the answer cut to the best 100).

Prints one Markdown table row per measure: median, 95th percentile, max.
"""
import glob
import statistics
import sys

from lsp_client import Client, uri


def row(name, secs):
    ms = sorted(s * 1000 for s in secs)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"| {name} | {len(ms)} | {statistics.median(ms):.1f} | {p95:.1f} | {ms[-1]:.1f} |")


def main():
    annals, record = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    # The middle events file: bench/run's 10,000-event record has 10 files
    # of 1,000 events, a hand-made one may have 100 of 100.
    files = sorted(glob.glob(f"{record}/events-*.yaml"))
    if not files:
        sys.exit(f"lsp_latency.py: no events-*.yaml in {record}")
    path = files[len(files) // 2]
    text = open(path).read()
    lines = text.split("\n")
    # A block-list actor: `      - actor-00039`.
    line = next(i for i, l in enumerate(lines) if l.startswith("      - actor-"))
    col = len(lines[line])
    rel = next(i for i, l in enumerate(lines) if "{event: " in l)
    rel_col = lines[rel].index("{event: ") + len("{event: ")

    print("| measure | n | median ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    opens = []
    for _ in range(3):
        c = Client([annals, "--dir", record, "lsp"])
        c.initialize(record)
        c.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(path), "languageId": "yaml", "version": 1, "text": text}})
        import time
        start = time.perf_counter()
        stamp, _ = c.diagnostics(uri(path), timeout=60)
        opens.append(stamp - start)
        c.close()
    row("first diagnostics after opening", opens)

    c = Client([annals, "--dir", record, "lsp"])
    c.initialize(record)
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(path), "languageId": "yaml", "version": 1, "text": text}})
    c.diagnostics(uri(path), timeout=60)
    import time
    keys = []
    version = 1
    for i in range(rounds):
        version += 1
        at = {"line": line, "character": col}
        if i % 2 == 0:  # type `x`: the actor becomes unknown
            change = {"range": {"start": at, "end": at}, "text": "x"}
        else:  # delete it again
            change = {"range": {"start": {"line": line, "character": col},
                                "end": {"line": line, "character": col + 1}}, "text": ""}
        start = time.perf_counter()
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(path), "version": version}, "contentChanges": [change]})
        stamp, diags = c.diagnostics(uri(path), timeout=30, since=start)
        keys.append(stamp - start)
        unknown = [d for d in diags if d["code"] == "unknown-actor"]
        assert (len(unknown) > 0) == (i % 2 == 0), unknown
    row(f"diagnostics after one keystroke ({text.count(chr(10) + '  - id: '):,}-event file)", keys)

    comp = []
    for _ in range(rounds):
        _, secs = c.request("textDocument/completion", {
            "textDocument": {"uri": uri(path)}, "position": {"line": line, "character": col - 3}})
        comp.append(secs)
    row("completion of actor ids (50 actors)", comp)
    comp = []
    for _ in range(rounds):
        res, secs = c.request("textDocument/completion", {
            "textDocument": {"uri": uri(path)}, "position": {"line": rel, "character": rel_col + 4}})
        comp.append(secs)
    assert res["items"], res
    row("completion of event ids (10,000 events)", comp)
    hov = []
    for _ in range(rounds):
        _, secs = c.request("textDocument/hover", {
            "textDocument": {"uri": uri(path)}, "position": {"line": line, "character": col - 3}})
        hov.append(secs)
    row("hover on an actor id", hov)
    c.close()


if __name__ == "__main__":
    main()
