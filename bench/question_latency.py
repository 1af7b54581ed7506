"""How long a search takes through the real server, one request at a time, by kind of query:

    .venv/bin/python bench/question_latency.py --index DIR [--rounds 5]

over the query table (bench/queries_lawrefbook.txt) and over the everyday questions of 40 characters or
more (bench/eval/everyday/*.yaml), against an index that is already built (e.g. the one bench/eval/run.py
builds of LawRefBook and policies/). One server worker, one client, keep-alive: latency, not throughput
(bench/speed.py measures throughput, side by side with FTS5). The first round warms the worker and is not
counted.
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
from pathlib import Path
from time import perf_counter

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed import free_port, pct, queries, search_paths, serve  # noqa: E402

EVERYDAY = ROOT / "bench" / "eval" / "everyday"
LONG = 40


def long_questions() -> list[str]:
    out = []
    for f in sorted(EVERYDAY.glob("*.yaml")):
        out.extend(item["q"] for item in yaml.safe_load(f.read_text(encoding="utf-8")) if len(item["q"]) >= LONG)
    return out


def timed(port: int, paths: list[str], rounds: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out = []
    for r in range(rounds + 1):
        for path in paths:
            start = perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            json.loads(resp.read())
            if resp.status != 200:
                raise SystemExit(f"{path}: HTTP {resp.status}")
            if r:
                out.append((perf_counter() - start) * 1000)
    conn.close()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description="逐个请求的检索延迟：查询表与 40 字以上的日常提问")
    p.add_argument("--index", required=True)
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    port = free_port()
    server = serve(Path(args.index), port, 1)
    try:
        for name, qs in (("query table", queries()), (f"everyday questions of {LONG}+ characters", long_questions())):
            ms = timed(port, search_paths(qs), args.rounds)
            print(f"{name} ({len(qs)} queries × {args.rounds}): p50 {pct(ms, 50):.1f} ms, p95 {pct(ms, 95):.1f} ms, "
                  f"max {max(ms):.1f} ms")
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
