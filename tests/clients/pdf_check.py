"""annals chart's PDF and PNG output, read by poppler (pdfinfo, pdftotext)
and by the PNG header.

For each chart: the PDF's page is the size asked for with --size (the SVG's
height when only the width is given), every text the SVG shows is in the
PDF as text (searchable, selectable: not drawn as outlines), the fonts are
embedded, and the PNG has the pixel size --size and --dpi give.

Usage: pdf_check.py   (ANNALS names the binary; pdfinfo and pdftotext on PATH)
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ANNALS = os.environ.get("ANNALS", "annals")
PT_PER_MM = 72 / 25.4
CHARTS = [
    # (name, arguments, expected width mm, expected height mm or None)
    ("timeline-by-kind", ["--lanes", "kind", "--relations"], "17cm", 170.0, None),
    ("timeline-by-actor", ["--lanes", "actor"], "12cm", 120.0, None),
    ("histogram", ["--type", "histogram", "--bin", "month"], "17cmx12cm", 170.0, 120.0),
    ("histogram-in", ["--type", "histogram", "--font-size", "8pt"], "6.5in", 165.1, None),
]
WINDOW = ["--dir", "events", "--from", "2023-12"]


def annals(*args):
    subprocess.run([ANNALS, "chart", *WINDOW, *args], check=True)


def svg_texts(path):
    """Every text the SVG draws, whitespace-normalised."""
    root = ET.parse(path).getroot()
    out = []
    for el in root.iter("{http://www.w3.org/2000/svg}text"):
        t = " ".join("".join(el.itertext()).split())
        if t:
            out.append(t)
    return out


def svg_height_mm(path):
    h = ET.parse(path).getroot().get("height")
    assert h.endswith("mm"), h
    return float(h[:-2])


def page_size(pdf):
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert m, info
    pages = re.search(r"Pages:\s+(\d+)", info).group(1)
    assert pages == "1", info
    return float(m.group(1)), float(m.group(2))


def fonts_embedded(pdf):
    out = subprocess.run(["pdffonts", pdf], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "the PDF has fonts (its text is text)"
    for row in rows:
        assert "DejaVuSans" in row, row
        cols = row.split()
        # name type [encoding] emb sub uni object ID
        assert cols[-5] == "yes", f"font not embedded: {row}"
    return len(rows)


def pdf_text(pdf):
    out = subprocess.run(["pdftotext", "-raw", pdf, "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", head[:8]
    return struct.unpack(">II", head[16:24])


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, args, size, want_w, want_h in CHARTS:
            svg, pdf, png = (os.path.join(tmp, f"{name}.{ext}") for ext in ("svg", "pdf", "png"))
            for out in (svg, pdf, png):
                annals(*args, "--size", size, "-o", out)
            want_h = want_h if want_h is not None else svg_height_mm(svg)
            w, h = page_size(pdf)
            problems = []
            if abs(w - want_w * PT_PER_MM) > 0.5 or abs(h - want_h * PT_PER_MM) > 0.5:
                problems.append(
                    f"page {w} x {h} pt, wanted {want_w * PT_PER_MM:.2f} x {want_h * PT_PER_MM:.2f}"
                )
            nfonts = fonts_embedded(pdf)
            text = pdf_text(pdf)
            texts = svg_texts(svg)
            missing = [t for t in texts if t not in text]
            if missing:
                problems.append(f"{len(missing)} of {len(texts)} SVG texts not in the PDF's text: {missing[:5]}")
            pw, ph = png_size(png)
            ew, eh = round(want_w / 25.4 * 300), round(want_h / 25.4 * 300)
            if abs(pw - ew) > 1 or abs(ph - eh) > 1:
                problems.append(f"PNG {pw} x {ph} px, wanted {ew} x {eh} at 300 dpi")
            status = "ok" if not problems else "FAILED"
            print(f"{name} --size {size}: page {w} x {h} pt, {len(texts)} texts, "
                  f"{nfonts} embedded fonts, PNG {pw} x {ph}: {status}")
            for p in problems:
                print(f"  {p}")
            failures += bool(problems)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
