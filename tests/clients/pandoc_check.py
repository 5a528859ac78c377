"""pandoc reads what annals writes for manuscripts (docs/citations.md):

- the sample record's timeline (`timeline --format md --cite pandoc`) with
  the CSL-JSON export and, separately, with the BibTeX export, through
  `pandoc --citeproc` and a Chicago note style, to HTML and to docx: every
  citation resolves (no `???`, no "citation not found"), the citations are
  footnotes, and the bibliography has one entry per cited source;
- the CSL-JSON items have the CSL schema's required shape and pandoc reads
  every one back with the same id and type;
- BibTeX special characters (`{ } % & # _ \\ $ ~ ^`) read back exactly.

Standard library only; needs `pandoc` (Debian) and a CSL style from
Debian's citation-style-language-styles. Artifacts: target/artifacts/.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

# Not common.py: that needs PyYAML, and this check needs only the standard
# library, so it runs without the venv.
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ANNALS = os.environ.get("ANNALS", os.path.join(ROOT, "target", "debug", "annals"))


def annals(*args):
    """Runs annals in the repository root; its stdout, or an exception."""
    out = subprocess.run([ANNALS, *args], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "NO_COLOR": "1"})
    if out.returncode != 0:
        raise RuntimeError(f"annals {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return out.stdout

STYLES = "/usr/share/citation-style-language/styles"
STYLE = os.path.join(STYLES, "chicago-note-bibliography.csl")
ARTIFACTS = os.path.join(ROOT, "target", "artifacts")

# The CSL 1.0.2 item types (csl-data.json's `type` enum).
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill",
    "book", "broadcast", "chapter", "classic", "collection", "dataset", "document",
    "entry", "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic",
    "hearing", "interview", "legal_case", "legislation", "manuscript", "map",
    "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
    "performance", "periodical", "personal_communication", "post", "post-weblog",
    "regulation", "report", "review", "review-book", "software", "song", "speech",
    "standard", "thesis", "treaty", "webpage",
}
DATE_KEYS = {"date-parts", "season", "circa", "literal", "raw"}
NAME_KEYS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix",
             "comma-suffix", "static-ordering", "literal", "parse-names"}


def pandoc(*args, stdin=None):
    out = subprocess.run(["pandoc", *args], input=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"pandoc {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return out.stdout, out.stderr


def csl_shape(items):
    """The required shape of csl-data.json: an array of objects with a
    string `id` and a known `type`; names and dates of the schema's form."""
    problems = []
    if not isinstance(items, list):
        return ["not an array"]
    for i, it in enumerate(items):
        where = f"item {i + 1} ({it.get('id')!r})" if isinstance(it, dict) else f"item {i + 1}"
        if not isinstance(it, dict):
            problems.append(f"{where}: not an object")
            continue
        if not isinstance(it.get("id"), (str, int)):
            problems.append(f"{where}: no id")
        if it.get("type") not in CSL_TYPES:
            problems.append(f"{where}: type {it.get('type')!r} is not a CSL type")
        for key in ("title", "publisher", "container-title", "URL", "note", "archive_location"):
            if key in it and not isinstance(it[key], str):
                problems.append(f"{where}: {key} is not a string")
        for key in ("author",):
            for n in it.get(key, []):
                if not isinstance(n, dict) or not set(n) <= NAME_KEYS or not (
                    "family" in n or "literal" in n
                ):
                    problems.append(f"{where}: {key} {n!r} is not a CSL name")
        for key in ("issued", "accessed"):
            if key not in it:
                continue
            d = it[key]
            if not isinstance(d, dict) or not set(d) <= DATE_KEYS:
                problems.append(f"{where}: {key} is not a CSL date")
                continue
            parts = d.get("date-parts")
            if parts is not None and not (
                isinstance(parts, list) and 1 <= len(parts) <= 2 and all(
                    isinstance(p, list) and 1 <= len(p) <= 3 and all(isinstance(x, int) for x in p)
                    for p in parts
                )
            ):
                problems.append(f"{where}: {key} date-parts {parts!r} malformed")
    return problems


def cited_keys(markdown):
    return sorted(set(re.findall(r"@([A-Za-z0-9_][A-Za-z0-9_:.\-]*[A-Za-z0-9_])", markdown)))


def render(work, md_path, bib, keys, failures):
    label = os.path.basename(bib)
    html = os.path.join(work, f"timeline-{label}.html")
    docx = os.path.join(ARTIFACTS, f"timeline-{label.replace('.', '-')}.docx")
    common = ["--citeproc", "--bibliography", bib, "--csl", STYLE, md_path]
    _, err = pandoc(*common, "-s", "--metadata", "title=Timeline", "-o", html)
    _, err2 = pandoc(*common, "-o", docx)
    for e in (err, err2):
        if "not found" in e or "WARNING" in e:
            failures.append(f"{label}: pandoc warned: {e.strip()}")
    text = open(html, encoding="utf-8").read()
    if "???" in text:
        failures.append(f"{label}: unresolved citation (???) in the HTML")
    entries = re.findall(r'id="ref-([^"]+)"', text)
    if sorted(entries) != keys:
        failures.append(f"{label}: bibliography has {sorted(entries)}, cited {keys}")
    if 'class="footnote-ref"' not in text:
        failures.append(f"{label}: no footnotes in the HTML")
    with zipfile.ZipFile(docx) as z:
        names = z.namelist()
        if "word/footnotes.xml" not in names:
            failures.append(f"{label}: the docx has no footnotes")
        body = z.read("word/document.xml").decode("utf-8")
        if "???" in body:
            failures.append(f"{label}: unresolved citation (???) in the docx")
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, f"timeline-{label.replace('.', '-')}.html"), "w",
              encoding="utf-8") as f:
        f.write(text)
    print(f"{label}: {len(entries)} bibliography entries, HTML and docx written")


SPECIAL_TITLE = r"Odd {x} 50% & #1 a_b back\slash $5 ~tilde ^hat Ōno “q”"


def bibtex_specials(work, failures):
    rec = os.path.join(work, "specials")
    os.makedirs(rec, exist_ok=True)
    title = SPECIAL_TITLE.replace("'", "''")
    with open(os.path.join(rec, "r.yaml"), "w", encoding="utf-8") as f:
        f.write(
            "sources:\n"
            "  - id: odd\n"
            f"    title: '{title}'\n"
            "    publisher: 'P&Co {x} 100% #2_b \\z'\n"
            "    author: ['Ōno, Yōko', 'Korean Central News Agency']\n"
        )
    bib = annals("--dir", rec, "export", "--format", "bibtex", "--all-sources")
    items = json.loads(pandoc("-f", "biblatex", "-t", "csljson", stdin=bib)[0])
    it = items[0] if items else {}
    if it.get("title") != SPECIAL_TITLE:
        failures.append(f"BibTeX title read back as {it.get('title')!r}, not {SPECIAL_TITLE!r}")
    if it.get("publisher") != "P&Co {x} 100% #2_b \\z":
        failures.append(f"BibTeX publisher read back as {it.get('publisher')!r}")
    want = [{"family": "Ōno", "given": "Yōko"}, {"literal": "Korean Central News Agency"}]
    if it.get("author") != want:
        failures.append(f"BibTeX authors read back as {it.get('author')!r}")
    print("BibTeX specials read back exactly" if not failures else "BibTeX specials differ")


def main():
    failures = []
    os.makedirs(ARTIFACTS, exist_ok=True)
    if not os.path.exists(STYLE):
        print(f"no CSL style at {STYLE}")
        return 1
    with tempfile.TemporaryDirectory() as work:
        refs_json = os.path.join(work, "refs.json")
        refs_bib = os.path.join(work, "refs.bib")
        md_path = os.path.join(work, "timeline.md")
        csl = annals("export", "--format", "csl-json")
        with open(refs_json, "w", encoding="utf-8") as f:
            f.write(csl)
        with open(refs_bib, "w", encoding="utf-8") as f:
            f.write(annals("export", "--format", "bibtex"))
        md = annals("timeline", "--format", "md", "--cite", "pandoc")
        with open(md_path, "w", encoding="utf-8") as f:
            f.write(md)
        keys = cited_keys(md)

        items = json.loads(csl)
        failures += csl_shape(items)
        back = json.loads(pandoc("-f", "csljson", "-t", "csljson", refs_json)[0])
        if [(i["id"], i["type"]) for i in back] != [(i["id"], i["type"]) for i in items]:
            failures.append("pandoc reads the CSL-JSON items back with other ids or types")
        if sorted(i["id"] for i in items) != keys:
            failures.append(f"CSL-JSON ids {sorted(i['id'] for i in items)} != cited {keys}")
        print(f"CSL-JSON: {len(items)} items of the required shape")

        for bib in (refs_json, refs_bib):
            render(work, md_path, bib, keys, failures)
        bibtex_specials(work, failures)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
