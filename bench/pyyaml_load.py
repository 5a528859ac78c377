#!/usr/bin/env python3
"""The researcher's-script peer: load every YAML file of a record with
PyYAML's libyaml-based CSafeLoader, and nothing else."""
import os
import sys

import yaml

def main():
    root = sys.argv[1]
    n = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")):
                with open(os.path.join(dirpath, name), "rb") as f:
                    doc = yaml.load(f, Loader=yaml.CSafeLoader) or {}
                n += len(doc.get("events") or [])
    print(f"{n} events")

if __name__ == "__main__":
    main()
