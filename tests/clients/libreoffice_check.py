"""LibreOffice Calc (Debian's libreoffice-calc-nogui, headless) opens
`annals export --format csv` and converts it to xlsx: one row per event,
the readable actors cell ("Kim Yo-jong (initiator); Japan (target)"), the
id columns, CJK titles intact, and no cell run as a formula. The xlsx is
read back with the standard library (it is zipped XML)."""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET

from common import annals, query_events

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
RECORDS = {"sample": "events", "cjk": "tests/fixtures/outputs/cjk"}


def column_index(ref):
    """`C12` -> 2."""
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def read_xlsx(path):
    """The first sheet's rows as lists of cell texts, and whether any cell
    holds a formula."""
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows, formulas = [], False
    for r in sheet.iter(f"{{{NS['m']}}}row"):
        cells = {}
        for c in r.findall("m:c", NS):
            formulas |= c.find("m:f", NS) is not None
            v = c.find("m:v", NS)
            if c.get("t") == "s":
                text = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
            else:
                text = v.text if v is not None else ""
            cells[column_index(c.get("r"))] = text
        width = max(cells) + 1 if cells else 0
        rows.append([cells.get(i, "") for i in range(width)])
    return rows, formulas


def main():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("FAIL: no soffice")
        return 1
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        csvs = []
        for name, record in RECORDS.items():
            path = os.path.join(tmp, f"{name}.csv")
            annals("--dir", record, "-q", "export", "--format", "csv", "-o", path)
            csvs.append(path)
        # One run converts both: LibreOffice's start is most of the time.
        # The CSV import filter: comma (44), double quote (34), UTF-8 (76),
        # from line 1. A profile of its own, so no user's settings apply.
        out = subprocess.run(
            [soffice, "--headless", "--norestore", "--nolockcheck",
             f"-env:UserInstallation=file://{tmp}/profile",
             "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", tmp, *csvs],
            capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            print(f"FAIL: soffice exited {out.returncode}: {out.stderr}")
            return 1
        for name, record in RECORDS.items():
            xlsx = os.path.join(tmp, f"{name}.xlsx")
            if not os.path.exists(xlsx):
                failures.append(f"{name}: no xlsx written ({glob.glob(tmp + '/*')})")
                continue
            rows, formulas = read_xlsx(xlsx)
            events = query_events(record=record)
            header, data = rows[0], [r for r in rows[1:] if any(r)]
            if len(data) != len(events):
                failures.append(f"{name}: {len(data)} rows for {len(events)} events")
            if formulas:
                failures.append(f"{name}: a cell became a formula")
            col = {h: i for i, h in enumerate(header)}
            for needed in ["id", "title", "actors", "actor_ids", "sources", "source_ids"]:
                if needed not in col:
                    failures.append(f"{name}: no column {needed} in {header}")
                    return report(failures)
            for row, e in zip(data, events):
                cell = lambda h: row[col[h]] if col[h] < len(row) else ""
                words = "; ".join(f"{a['name']} ({a['role']})" for a in e["actors"])
                ids = "; ".join(f"{a['id']}:{a['role']}" for a in e["actors"])
                for h, want in [("id", e["id"]), ("title", e["title"]),
                                ("actors", words), ("actor_ids", ids)]:
                    if cell(h) != want:
                        failures.append(f"{name} {e['id']}: {h} {cell(h)!r}, expected {want!r}")
            print(f"{name}: {len(data)} rows, one per event, readable actors")
    return report(failures)


def report(failures):
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
