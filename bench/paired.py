#!/usr/bin/env python3
"""Times two commands in alternation and writes their ratio's evidence.

    paired.py OUT.json RUNS NAME_A CMD_A PREP_A NAME_B CMD_B PREP_B

Each command runs RUNS times, the two taking turns (A B, then B A, and so
on, so neither always runs right after the other), each run after its
preparation command (untimed; `true` for none). hyperfine runs a command's
runs back to back, so a slow minute of a shared machine lands on one
command and skews a ratio of two close commands by ten per cent either
way; pairs taken side by side see the same minute. OUT.json holds both
commands' times, their medians, and the median of the pairs' ratios
(B / A), which bench/report.py reports.
"""
import json
import statistics
import subprocess
import sys
import time


def timed(cmd, prep):
    subprocess.run(prep, shell=True, check=True)
    start = time.perf_counter()
    subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    out, runs = sys.argv[1], int(sys.argv[2])
    name_a, cmd_a, prep_a, name_b, cmd_b, prep_b = sys.argv[3:9]
    # One untimed run of each: the files in the page cache, as hyperfine's
    # warmup does.
    timed(cmd_a, prep_a)
    timed(cmd_b, prep_b)
    a, b = [], []
    for i in range(runs):
        if i % 2 == 0:
            a.append(timed(cmd_a, prep_a))
            b.append(timed(cmd_b, prep_b))
        else:
            b.append(timed(cmd_b, prep_b))
            a.append(timed(cmd_a, prep_a))
    ratios = [y / x for x, y in zip(a, b)]
    result = {
        "a": {"name": name_a, "times": a, "median": statistics.median(a)},
        "b": {"name": name_b, "times": b, "median": statistics.median(b)},
        "ratio_median": statistics.median(ratios),
        "runs": runs,
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
