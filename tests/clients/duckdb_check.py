"""DuckDB reads the NDJSON and CSV exports (read_json_auto, read_csv_auto),
and its GROUP BY kind count matches `annals query`; DuckDB and Python's
csv module read the CSV's list cells: readable actors, and the actor_ids
and source_ids that `import csv` reads back."""

import collections
import csv
import os
import sys
import tempfile

import duckdb

from common import annals, query_events


def main():
    failures = []
    expected = collections.Counter(e["kind"] for e in query_events())
    with tempfile.TemporaryDirectory() as tmp:
        nd = os.path.join(tmp, "events.ndjson")
        cs = os.path.join(tmp, "events.csv")
        annals("export", "--format", "ndjson", "-o", nd)
        annals("export", "--format", "csv", "-o", cs)
        con = duckdb.connect()
        for label, source in [("read_json_auto", f"read_json_auto('{nd}')"),
                              ("read_csv_auto", f"read_csv_auto('{cs}')")]:
            rows = con.execute(
                f"SELECT kind, count(*) FROM {source} GROUP BY kind ORDER BY kind").fetchall()
            got = collections.Counter(dict(rows))
            if got != expected:
                failures.append(f"{label}: GROUP BY kind gives {dict(got)}, annals query {dict(expected)}")
        # The nested columns are usable: actors per role from the NDJSON,
        # and from the CSV's actor_ids (`id:role; id:role`).
        roles = con.execute(
            f"SELECT a.role, count(*) FROM (SELECT unnest(actors) AS a FROM read_json_auto('{nd}')) "
            "GROUP BY a.role ORDER BY a.role").fetchall()
        want_roles = collections.Counter(a["role"] for e in query_events() for a in e["actors"])
        if collections.Counter(dict(roles)) != want_roles:
            failures.append(f"actors by role: {roles}, expected {dict(want_roles)}")
        csv_roles = con.execute(
            "SELECT split_part(a, ':', 2) AS role, count(*) FROM "
            f"(SELECT unnest(string_split(actor_ids, '; ')) AS a FROM read_csv_auto('{cs}')) "
            "GROUP BY role ORDER BY role").fetchall()
        if collections.Counter(dict(csv_roles)) != want_roles:
            failures.append(f"CSV actor_ids by role: {csv_roles}, expected {dict(want_roles)}")
        # Python's csv module: one row per event, the readable actors cell
        # and the id columns as docs/output.md says.
        with open(cs, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        events = query_events()
        if len(rows) != len(events):
            failures.append(f"csv module: {len(rows)} rows for {len(events)} events")
        for row, e in zip(rows, events):
            words = "; ".join(f"{a['name']} ({a['role']})" for a in e["actors"])
            ids = "; ".join(f"{a['id']}:{a['role']}" for a in e["actors"])
            if (row["id"], row["actors"], row["actor_ids"]) != (e["id"], words, ids):
                failures.append(f"csv module: {e['id']}: actors {row['actors']!r} / {row['actor_ids']!r}")
            named = [s["id"] for s in e["sources"] if s["id"]]
            for sid in named:
                if sid not in row["source_ids"]:
                    failures.append(f"csv module: {e['id']}: source_ids {row['source_ids']!r} lacks {sid}")
            for s in e["sources"]:
                if s["title"] not in row["sources"]:
                    failures.append(f"csv module: {e['id']}: sources {row['sources']!r} lacks {s['title']!r}")
    for f in failures:
        print(f"FAIL: {f}")
    print(f"duckdb {duckdb.__version__}: GROUP BY kind over NDJSON and CSV matches annals query "
          f"({sum(expected.values())} events, {len(expected)} kinds)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
