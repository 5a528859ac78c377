"""Shared by the client checks: running annals and reading YAML as annals does."""

import json
import os
import re
import subprocess

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ANNALS = os.environ.get("ANNALS", os.path.join(ROOT, "target", "debug", "annals"))


def annals(*args, env=None, ok_codes=(0,)):
    """Runs annals in the repository root; its stdout, or an exception."""
    out = subprocess.run(
        [ANNALS, *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )
    if out.returncode not in ok_codes:
        raise RuntimeError(f"annals {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return out.stdout


def query_events(*filters, record="events"):
    """The events as `annals query --format json` gives them."""
    return json.loads(annals("--dir", record, "query", "--format", "json", *filters))


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core scalars, as annals reads them:
    dates stay strings (no timestamps), only true/false are booleans (not
    yes/no/on/off), and a key written twice is an error."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+.0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def _mapping(loader, node, deep=False):
    keys = set()
    for k, _ in node.value:
        key = loader.construct_object(k, deep=True)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", k.start_mark)
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


Yaml12Loader.add_constructor("tag:yaml.org,2002:map", _mapping)


def load_yaml(path):
    """The one document of a file, as JSON-compatible data (None when empty)."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    return yaml.load(text, Loader=Yaml12Loader)
