"""DuckDB reads the NDJSON and CSV exports (read_json_auto, read_csv_auto),
and its GROUP BY kind count matches `annals query`."""

import collections
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
        # and the CSV's JSON cells parse.
        roles = con.execute(
            f"SELECT a.role, count(*) FROM (SELECT unnest(actors) AS a FROM read_json_auto('{nd}')) "
            "GROUP BY a.role ORDER BY a.role").fetchall()
        want_roles = collections.Counter(a["role"] for e in query_events() for a in e["actors"])
        if collections.Counter(dict(roles)) != want_roles:
            failures.append(f"actors by role: {roles}, expected {dict(want_roles)}")
        n = con.execute(
            f"SELECT sum(json_array_length(sources::JSON)) FROM read_csv_auto('{cs}')").fetchone()[0]
        want_n = sum(len(e["sources"]) for e in query_events())
        if n != want_n:
            failures.append(f"CSV sources cells hold {n} sources, expected {want_n}")
    for f in failures:
        print(f"FAIL: {f}")
    print(f"duckdb {duckdb.__version__}: GROUP BY kind over NDJSON and CSV matches annals query "
          f"({sum(expected.values())} events, {len(expected)} kinds)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
