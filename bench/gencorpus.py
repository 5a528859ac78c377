#!/usr/bin/env python3
"""Generate a synthetic events corpus in the annals event format (shared/spec/event-format.md).

usage: gencorpus.py OUT_DIR N_EVENTS [N_FILES] [SEED]
Writes OUT_DIR/actors.yaml, OUT_DIR/sources.yaml and N_FILES event files.

This is shared/bench/gencorpus.py, byte for byte in what it writes, plus one
file: OUT_DIR/kinds.yaml declares the kind `military-test`, which the
reference generator uses without declaring, so the record checks without
errors, and turns off the `unarchived-source` warning there
(`settings: {warn-unarchived: false}`): the reference generator gives every
source an example.org URL with neither `archived:` nor `accessed:`, which
would otherwise add 2,000 warnings to the "clean" 100,000-event record. (Its `responds-to` links point at random earlier ids whose dates are
random, so about 10,000 in 100,000 events draw the `responds-to-later`
warning: a realistic load on the diagnostics renderer.)
"""
import os
import random
import sys

KINDS = ["statement", "message", "summit", "meeting", "talks", "visit", "phone-call",
         "briefing", "speech", "interview", "editorial", "report", "agreement",
         "sanction", "military-test", "disaster", "election", "other"]
COUNTRIES = ["JPN", "PRK", "KOR", "USA", "CHN", "RUS", "CUB", "MNG"]
WORDS = ("summit talks abductees sanctions missile nuclear condolence earthquake "
         "briefing statement normalization relations envoy declaration ministry "
         "cabinet diet assembly negotiation pyongyang tokyo seoul washington "
         "beijing moscow havana resolution council press agency editorial").split()


USAGE = "usage: gencorpus.py OUT_DIR N_EVENTS [N_FILES] [SEED]"


def parse_args(argv):
    """The arguments, or None after printing the usage (to stdout when asked
    for with -h/--help, else to stderr with why)."""
    if len(argv) > 1 and argv[1] in ("-h", "--help"):
        try:
            print(__doc__.strip())
        except BrokenPipeError:  # `gencorpus.py -h | head`
            pass
        sys.exit(0)
    if not 3 <= len(argv) <= 5:
        sys.exit(f"{USAGE}\n(expected 2 to 4 arguments, got {len(argv) - 1}; -h for help)")
    try:
        n = int(argv[2])
        nfiles = int(argv[3]) if len(argv) > 3 else max(1, n // 1000)
        seed = int(argv[4]) if len(argv) > 4 else 7
    except ValueError as e:
        sys.exit(f"{USAGE}\n(N_EVENTS, N_FILES and SEED are whole numbers: {e})")
    if n < 0 or nfiles < 1:
        sys.exit(f"{USAGE}\n(N_EVENTS must be 0 or more and N_FILES 1 or more)")
    return argv[1], n, nfiles, seed


def main():
    out, n, nfiles, seed = parse_args(sys.argv)
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    nactors = max(20, n // 200)
    nsources = max(10, n // 50)
    with open(os.path.join(out, "actors.yaml"), "w") as f:
        f.write("actors:\n")
        for i in range(nactors):
            c = COUNTRIES[i % len(COUNTRIES)]
            f.write(f"  - id: actor-{i:05d}\n    name: Actor {i} of {c}\n"
                    f"    type: {'person' if i % 3 else 'organization'}\n    country: {c}\n"
                    f"    aliases: [\"A{i}\", \"Actor number {i}\"]\n")
    with open(os.path.join(out, "sources.yaml"), "w") as f:
        f.write("sources:\n")
        for i in range(nsources):
            f.write(f"  - id: src-{i:05d}\n    title: Report {i} on {rnd.choice(WORDS)}\n"
                    f"    publisher: Publisher {i % 40}\n"
                    f"    url: https://example.org/reports/{i}\n"
                    f"    published: 2026-{1 + i % 12:02d}-{1 + i % 28:02d}\n")
    with open(os.path.join(out, "kinds.yaml"), "w") as f:
        f.write("kinds:\n  - {id: military-test, label: Military test}\n")
        f.write("settings: {warn-unarchived: false}\n")
    per = n // nfiles
    eid = 0
    for fi in range(nfiles):
        cnt = per if fi < nfiles - 1 else n - per * (nfiles - 1)
        with open(os.path.join(out, f"events-{fi:04d}.yaml"), "w") as f:
            f.write("events:\n")
            for _ in range(cnt):
                y = rnd.randint(1990, 2025)
                m = rnd.randint(1, 12)
                d = rnd.randint(1, 28)
                r = rnd.random()
                if r < 0.6:
                    date = f"{y}-{m:02d}-{d:02d}"
                elif r < 0.75:
                    date = f"{y}-{m:02d}"
                elif r < 0.85:
                    date = f"{y}-{m:02d}-{d:02d}~"
                elif r < 0.95:
                    date = f"{y}-{m:02d}-{d:02d}/{y}-{m:02d}-{min(28, d + rnd.randint(1, 5)):02d}"
                else:
                    date = f"{y}-{m:02d}?"
                title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 12))).capitalize()
                a1 = rnd.randrange(nactors)
                a2 = rnd.randrange(nactors)
                f.write(f"  - id: ev-{eid:07d}\n    date: \"{date}\"\n"
                        f"    kind: {rnd.choice(KINDS)}\n    title: \"{title}\"\n"
                        f"    actors:\n      - actor-{a1:05d}\n"
                        f"      - {{actor: actor-{a2:05d}, role: target}}\n")
                if rnd.random() < 0.5:
                    f.write("    summary: >\n      " + " ".join(rnd.choice(WORDS) for _ in range(30)) + "\n")
                if rnd.random() < 0.3:
                    f.write(f"    tags: [{rnd.choice(WORDS)}, {rnd.choice(WORDS)}]\n")
                if eid > 0 and rnd.random() < 0.2:
                    f.write(f"    related:\n      - {{event: ev-{rnd.randrange(eid):07d}, relation: responds-to}}\n")
                f.write(f"    sources: [src-{rnd.randrange(nsources):05d}]\n")
                eid += 1


if __name__ == "__main__":
    main()
