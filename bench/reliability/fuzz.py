"""The fuzz tests at full strength: python bench/reliability/fuzz.py [--per-test 2500]

Runs tests/test_fuzz.py with KB_FUZZ_EXAMPLES=N (generated queries and parameters through
kb.search.search, /api/search, the results page and the document/clause/area routes, plus a few
through the CLI), then reports how many cases each test ran, from Hypothesis's own statistics.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--per-test", type=int, default=2500, help="examples per generated test (4 tests)")
    args = p.parse_args()
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fuzz.py",
                          "--hypothesis-show-statistics"], cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, KB_FUZZ_EXAMPLES=str(args.per_test)))
    seconds = time.perf_counter() - start
    total = 0
    for section in run.stdout.split("tests/test_fuzz.py::")[1:]:
        name = section.split(":", 1)[0]
        cases = [(int(a), int(b)) for a, b in re.findall(r"(\d+) passing, (\d+) failing", section)]
        passing, failing = sum(a for a, _ in cases), sum(b for _, b in cases)
        total += passing + failing
        print(f"{name}: {passing} passing, {failing} failing")
    print(f"total generated cases: {total}; pytest exit {run.returncode}; {seconds:.0f} s")
    if run.returncode:
        print(run.stdout[-6000:])
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
