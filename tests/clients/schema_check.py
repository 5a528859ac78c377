"""An independent validator (Python jsonschema, draft 2020-12) with the
committed docs/annals.schema.json: it must accept every sample and valid
fixture file, and reject the invalid fixtures whose error is one of shape."""

import glob
import importlib.metadata
import json
import os
import sys

import jsonschema
import yaml

from common import ROOT, Yaml12Loader, annals, load_yaml

SCHEMA_PATH = os.path.join(ROOT, "docs", "annals.schema.json")

# Invalid fixtures (tests/fixtures/invalid/NAME) by what the schema can see.
SHAPE = {  # one file's shape is wrong: the schema must reject it
    "empty-list", "empty-name", "invalid-color", "invalid-country", "invalid-date",
    "invalid-id", "invalid-key", "invalid-tag", "invalid-title", "invalid-url", "invalid-value",
    "missing-field", "not-a-mapping", "unknown-field", "unquoted-date-set", "wrong-type",
    # `title: 1.50` is only a warning in annals (kept as text); the schema,
    # written for editors, asks for text and flags it.
    "not-a-string",
}
RECORD = {  # the shape is right; only the whole record is wrong: must accept
    "after-sources", "ambiguous-name", "duplicate-citation-key", "duplicate-id",
    "duplicate-setting", "invalid-range", "member-cycle", "unarchived-source",
    "responds-to-later", "self-relation", "stale-scheduled", "unknown-actor",
    "unknown-event", "unknown-kind", "unknown-source",
}
YAML = {  # not one readable YAML document: the reader refuses before any schema
    "duplicate-key", "multiple-documents", "not-utf8", "yaml-syntax", "too-deep",
}
# Shape errors the schema cannot see, by (fixture, event id): the EDTF
# grammar beyond the characters a date is written with is annals' to check.
GRAMMAR = {
    ("invalid-date", "impossible-day"),     # 2024-02-30
    ("invalid-date", "end-before-start"),   # 2024-04-11/2024-04-08
    ("invalid-date", "bad-published"),      # an inline source published 2024-13
    # `date: 2024.0` is a YAML float; JSON Schema counts 2024.0 as an
    # integer, so the year 2024 as far as any JSON validator can tell.
    ("invalid-date", "read-as-a-number"),
}
# Not read at all: its aliases expand to billions of nodes once turned into
# JSON (annals refuses it with yaml-limit; PyYAML would expand it).
UNREAD = {"yaml-limit"}


def yaml_files(*patterns):
    out = []
    for p in patterns:
        out += glob.glob(os.path.join(ROOT, p), recursive=True)
    return sorted(f for f in out if f.endswith((".yaml", ".yml")))


def items_by_line(path):
    """(first line, last line, JSON path prefix) of each top-level list item
    and of each top-level entry, from PyYAML's node marks (lines from 1)."""
    with open(path, encoding="utf-8") as f:
        root = yaml.compose(f.read(), Loader=Yaml12Loader)
    spans = []
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            spans.append((k.start_mark.line + 1, v.end_mark.line + 1, (k.value,)))
            if isinstance(v, yaml.SequenceNode):
                for i, item in enumerate(v.value):
                    spans.append((item.start_mark.line + 1, item.end_mark.line + 1, (k.value, i)))
    return spans


def uncaught(name, path, errors):
    """annals' own diagnostics for this fixture's error whose item the schema
    accepted: each shape error must be caught where it is, not just one per
    file."""
    rel = os.path.relpath(path, ROOT)
    diags = [d for d in json.loads(annals("--dir", os.path.dirname(path), "check",
                                          "--format", "json", ok_codes=(0, 1)))
             if d["code"] == name and d["file"].endswith(os.path.basename(path))]
    if not diags:
        return [f"{rel}: annals reports no `{name}` here"]
    spans = items_by_line(path)
    paths = []
    for e in errors:
        p = tuple(e.absolute_path)
        if e.validator == "additionalProperties" and isinstance(e.instance, dict):
            # Reported at the mapping; the place is the unknown key itself.
            paths += [p + (k,) for k in set(e.instance) - set(e.schema.get("properties", {}))]
        else:
            paths.append(p)
    missed = []
    for d in diags:
        if (name, d.get("id")) in GRAMMAR:
            continue
        inner = [s for s in spans if s[0] <= d["line"] <= s[1]]
        # The innermost item (a list item rather than its list), or the root.
        # PyYAML ends an item where the next one starts, so of two items
        # on the line, the later one.
        where = max(inner, key=lambda s: (len(s[2]), s[0]))[2] if inner else ()
        # An error inside the item, or at a list or key that holds it.
        if not any(p[:len(where)] == where or (p and where[:len(p)] == p) for p in paths):
            missed.append(f"{rel}:{d['line']}: the schema accepts {'/'.join(map(str, where)) or 'the document'}"
                          f", where annals reports {name}: {d['message']}")
    return missed


def main():
    with open(SCHEMA_PATH) as f:
        text = f.read()
    if annals("schema") != text:
        print("FAIL: docs/annals.schema.json differs from `annals schema`")
        return 1
    import json
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []
    valid = yaml_files("events/*.yaml", "tests/fixtures/valid/**/*",
                       "tests/fixtures/query/record/**/*", "tests/fixtures/query/hostile/**/*")
    for path in valid:
        errors = list(validator.iter_errors(load_yaml(path)))
        if errors:
            e = errors[0]
            failures.append(f"{os.path.relpath(path, ROOT)}: rejected at "
                            f"{'/'.join(map(str, e.absolute_path))}: {e.message}")
    names = sorted(os.listdir(os.path.join(ROOT, "tests", "fixtures", "invalid")))
    unclassified = set(names) - SHAPE - RECORD - YAML - UNREAD
    if unclassified:
        failures.append(f"invalid fixtures not classified here: {sorted(unclassified)}")
    counts = {"accepted": len(valid), "rejected": 0, "record": 0, "unreadable": 0}
    for name in names:
        if name in UNREAD:
            continue
        for path in yaml_files(f"tests/fixtures/invalid/{name}/**/*"):
            rel = os.path.relpath(path, ROOT)
            try:
                doc = load_yaml(path)
            except Exception as e:  # noqa: BLE001: any reader error refuses the file
                if name in YAML:
                    counts["unreadable"] += 1
                else:
                    failures.append(f"{rel}: the YAML reader refused it: {e}")
                continue
            errors = list(validator.iter_errors(doc))
            if name in SHAPE:
                if errors:
                    counts["rejected"] += 1
                    failures += uncaught(name, path, errors)
                else:
                    failures.append(f"{rel}: accepted, but its `{name}` error is one of shape")
            elif name in RECORD:
                if errors:
                    failures.append(f"{rel}: rejected ({errors[0].message}), but only the "
                                    f"record is wrong ({name})")
                else:
                    counts["record"] += 1
            elif name in YAML and not errors:
                failures.append(f"{rel}: read and accepted, but it is `{name}`")
            else:
                counts["unreadable"] += 1
    for f in failures:
        print(f"FAIL: {f}")
    print(f"jsonschema {importlib.metadata.version('jsonschema')}: accepted {counts['accepted']} "
          f"valid files; rejected {counts['rejected']} shape-error fixtures, at every item annals "
          f"reports; accepted {counts['record']} record-level fixtures; refused "
          f"{counts['unreadable']} that are not one readable YAML document")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
