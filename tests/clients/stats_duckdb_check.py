"""`annals stats --format csv` read by DuckDB gives the same numbers as SQL
over `annals export --format ndjson` with the counting rule written in SQL:
certain = the event's whole [start, end] inside the bin, possible = its range
overlaps the bin (a null side reaching forever); cancelled and scheduled
events left out; bins clipped to the window; the total row counts each event
once, the total column is the window."""

import os
import sys
import tempfile

import duckdb

from common import annals

FROM, TO = "2023-12-15", "2024-05-31"

RULE = """
    count(*) FILTER (WHERE lo IS NOT NULL AND hi IS NOT NULL AND lo >= first AND hi <= last) AS certain,
    count(*) FILTER (WHERE (lo IS NULL OR lo <= last) AND (hi IS NULL OR hi >= first)) AS possible
"""

EVENTS = """
WITH ev AS (
    SELECT id, kind, try_cast(start AS DATE) AS lo, try_cast("end" AS DATE) AS hi,
        list_distinct(list_transform(list_filter(actors, a -> a.role = 'initiator'), a -> a.id)) AS ini,
        list_distinct(list_transform(list_filter(actors, a -> a.role = 'target'), a -> a.id)) AS tgt
    FROM read_json_auto('{nd}')
    WHERE status IN ('occurred', 'reported')
),
win AS (SELECT DATE '{frm}' AS wf, DATE '{to}' AS wt),
inwin AS (
    SELECT ev.* FROM ev, win WHERE (lo IS NULL OR lo <= wt) AND (hi IS NULL OR hi >= wf)
),
bins AS (
    SELECT strftime(b, '%Y-%m') AS bin, greatest(b::DATE, wf) AS first,
        least((b + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE, wt) AS last
    FROM win, generate_series(date_trunc('month', wf), date_trunc('month', wt), INTERVAL 1 MONTH) AS s(b)
    UNION ALL SELECT NULL, wf, wt FROM win
)
"""

BY_KIND = EVENTS + """,
grp AS (SELECT kind AS g, lo, hi FROM inwin UNION ALL SELECT NULL, lo, hi FROM inwin)
SELECT g, bin, first::VARCHAR, last::VARCHAR, """ + RULE + """
FROM grp, bins GROUP BY ALL ORDER BY ALL
"""

BY_DYAD = EVENTS + """,
sides AS (
    SELECT id, lo, hi,
        CASE WHEN len(ini) = 0 THEN ['(none)'] ELSE ini END AS ini,
        CASE WHEN len(tgt) = 0 THEN ['(none)'] ELSE tgt END AS tgt
    FROM inwin
),
pairs AS (
    SELECT DISTINCT id, i, t, lo, hi FROM (
        SELECT id, lo, hi, unnest(ini) AS i, tgt FROM sides
    ) AS a, unnest(a.tgt) AS u(t)
),
grp AS (
    SELECT i, t, lo, hi FROM pairs UNION ALL SELECT NULL, NULL, lo, hi FROM inwin
)
SELECT i, t, bin, first::VARCHAR, last::VARCHAR, """ + RULE + """
FROM grp, bins GROUP BY ALL ORDER BY ALL
"""


def from_csv(con, path):
    cols = con.execute(f"SELECT * FROM read_csv('{path}', header = true, all_varchar = true) LIMIT 0").description
    names = [c[0] for c in cols]
    keys = names[: names.index("bin")]
    sel = ", ".join(f'"{k}"' for k in keys)
    return con.execute(
        f"SELECT {sel}, bin, first, last, certain::BIGINT, possible::BIGINT "
        f"FROM read_csv('{path}', header = true, all_varchar = true) ORDER BY ALL"
    ).fetchall()


def main():
    failures = []
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        nd = os.path.join(tmp, "events.ndjson")
        annals("export", "--format", "ndjson", "-o", nd)
        for by, sql in [("kind", BY_KIND), ("dyad", BY_DYAD)]:
            cs = os.path.join(tmp, f"stats-{by}.csv")
            with open(cs, "w", encoding="utf-8") as f:
                f.write(annals("stats", "--by", by, "--bin", "month", "--from", FROM, "--to", TO,
                               "--format", "csv"))
            got = from_csv(con, cs)
            want = con.execute(sql.format(nd=nd, frm=FROM, to=TO)).fetchall()
            if got != want:
                extra = sorted(set(got) - set(want), key=repr)[:5]
                missing = sorted(set(want) - set(got), key=repr)[:5]
                failures.append(f"--by {by}: stats CSV has {len(got)} rows, SQL {len(want)}; "
                                f"only in CSV {extra}; only in SQL {missing}")
            else:
                print(f"--by {by}: {len(got)} cells agree")
    for f in failures:
        print(f"FAIL: {f}")
    print(f"duckdb {duckdb.__version__}: stats CSV against the certain/possible rule in SQL")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
