"""What one request can cost, and what a worker's memory does over many queries, through the real server:

    python bench/limits.py --index /tmp/kb-eval/index [--rounds 7] [--time-limit S] [--max-results N]
    python bench/limits.py --index /tmp/kb-eval/index --memory [--queries 20000] [--every 2000]

Cost: starts `python -m web --workers 2` on a free port, warms both workers with the query table
(bench/queries_lawrefbook.txt), then sends every request over one keep-alive connection, one at a time,
and records for each its wall time at the client and the CPU time the server's workers spent on it
(summed over their threads from /proc/<pid>/task/*/schedstat: on a machine shared with other work the
CPU time moves less than the wall time). A typical query's cost is the median, over the table, of each
query's median over --rounds runs; each constructed request (deep pages, the longest query, many
words, quoted phrases of common words, facets, date order, filters) is run --rounds times, reported as
its median, its first run, and as a multiple of the typical median. --time-limit and --max-results
are passed to the server, to see what an operator's setting changes.

Memory: starts one worker, records its resident memory (VmRSS), warms it with the query table over
4 connections at once (so that all of its threads have started and opened their readers), then
sends --queries random distinct queries (pairs and triples of words drawn from the index vocabulary
and from the corpus text, and quoted phrases of words that stand together in it), recording the RSS
after every --every of them.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed import free_port, queries  # noqa: E402
from kb import segment  # noqa: E402
from kb.library import Library  # noqa: E402
from kb.limits import DEFAULT as LIMITS  # noqa: E402
from kb.taxonomy import taxonomy  # noqa: E402
from web.params import MAX_Q  # noqa: E402

PY = sys.executable
TARGET = 20        # the bound: the most expensive request at most 20 × a typical query
MEMORY_TARGET_MB = 50
# the limits a notice reports, by how it begins (kb/search.py writes them)
NOTICES = (("只能翻看前", "翻页深度"), ("问题较长", "词数"), ("带引号的短语", "短语核对"), ("检索用时超过", "时限"))


class Row(NamedTuple):
    """One constructed request's figures: medians over the rounds, and its first run."""
    name: str
    status: int
    wall: float
    cpu: float
    first_wall: float
    first_cpu: float
    hits: str
    reached: str


class Server:
    """`python -m web` in its own process group, with its worker processes."""

    def __init__(self, index: str, workers: int, *options: str):
        self.port = free_port()
        # a file, not a pipe: a long run's log lines would fill a pipe nobody reads and stall the server
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([PY, "-m", "web", "--port", str(self.port), "--index", index, "--workers", str(workers),
                                      *options], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 60
        while len(self.workers()) < workers or not self._answers():
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"网站没有启动：{self.log.read()}")
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit("网站没有在 60 秒内启动")
            time.sleep(0.1)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def _answers(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/static/favicon.svg")
            return conn.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def workers(self) -> list[int]:
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                return [int(p) for p in f.read().split()]
        except OSError:
            return []

    def cpu_ns(self) -> int:
        """On-CPU nanoseconds of every worker thread so far."""
        total = 0
        for pid in self.workers():
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                        total += int(f.read().split()[0])
            except OSError:
                continue
        return total

    def rss_mb(self, pid: int) -> float:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024

    def warm(self, paths: list[str], connections: int = 4) -> None:
        """Every path over `connections` connections at once: each worker opens the index on its first
        search, and each of its threads (python -m web starts 4) its own Whoosh reader on its first."""
        conns = [http.client.HTTPConnection("127.0.0.1", self.port, timeout=120) for _ in range(connections)]
        for path in paths:
            for conn in conns:
                conn.request("GET", path)
            for conn in conns:
                conn.getresponse().read()
        for conn in conns:
            conn.close()

    def threads(self, pid: int) -> int:
        return len(os.listdir(f"/proc/{pid}/task"))

    def get(self, path: str) -> tuple[int, bytes, float, float]:
        """Status, body, wall ms and server CPU ms of one request."""
        cpu, start = self.cpu_ns(), time.perf_counter()
        try:
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            # the server closed the kept-alive connection: once more on a new one
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            cpu, start = self.cpu_ns(), time.perf_counter()
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
        wall = (time.perf_counter() - start) * 1000
        return response.status, body, wall, (self.cpu_ns() - cpu) / 1e6

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def api(q: str, **params) -> str:
    return "/api/search?" + urlencode({"q": q, **params}, doseq=True)


def page(q: str, **params) -> str:
    return "/search?" + urlencode({"q": q, **params}, doseq=True)


def constructed(index: str, rounds: int) -> list[tuple[str, list[str]]]:
    """(name, a path for each round) of the most expensive requests we could think of, from the index's
    most frequent words (of two characters or more: 的 is not indexed, 一 and 市 are rarely typed alone).
    Most repeat one path; those marked 每次不同 take new words or text each round, so that nothing an
    earlier round read (decoded postings, records read to check a phrase) is in the caches yet."""
    b = Library(index).current()
    reader = b.engine().reader()      # the engine's Whoosh reader: the vocabulary as it stands
    words = [w for _, t in reader.most_frequent_terms("text_t", 120) for w in [t.decode() if isinstance(t, bytes) else t]
             if len(w) > 1]
    w = words[0]
    tax = taxonomy()
    every_filter = dict(level=list(tax.levels), status=list(tax.statuses))
    long_words = ""
    for word in words:
        if len(long_words) + len(word) + 1 > MAX_Q:
            break
        long_words += word + " "
    live = (n for n in range(reader.doc_count_all()) if not reader.is_deleted(n))
    clauses = [text[:MAX_Q] for n in live for text in [b.record(n)["text"]] if len(text) >= MAX_Q][:rounds + 1]
    pairs = [f"\"{a} {b}\"" for a, b in zip(words[0:24:2], words[1:24:2])]
    # pairs of common words not used above, a new dozen each round
    fresh = [f"\"{a} {b}\"" for i, a in enumerate(words[24:]) for b in words[25 + i:]]
    random.Random(14).shuffle(fresh)
    fresh_phrases = [" ".join(fresh[12 * r:12 * r + 12]) for r in range(2 * rounds)]
    # the 72 commonest words 24 at a time in turn, paired anew each round: their postings (some 2.3
    # million) are more than the postings cache keeps, so each round decodes its words' lists again
    shuffler = random.Random(15)
    turns = []
    for r in range(rounds):
        group = words[24 * (r % 3):24 * (r % 3) + 24]
        shuffler.shuffle(group)
        turns.append(" ".join(f"\"{a} {b}\"" for a, b in zip(group[0::2], group[1::2])))

    def same(path: str) -> list[str]:
        return [path] * rounds

    return [
        (f"一个常用词（{w}）", same(api(w))),
        ("page=10&limit=100", same(api(w, page=10, limit=100))),
        ("page=1000&limit=100", same(api(w, page=1000, limit=100))),
        (f"{MAX_Q} 字：常用词", same(api(long_words.strip()))),
        (f"{MAX_Q} 字：一段条文原文", same(api(clauses[0]))),
        (f"{MAX_Q} 字：条文原文，每次不同", [api(c) for c in clauses[1:]]),
        ("40 个不同的常用词", same(api(" ".join(words[:40])))),
        ("\"的 规定\"", same(api("\"的 规定\""))),
        ("\"应当 依法\"", same(api("\"应当 依法\""))),
        ("12 个常用词的引号短语", same(api(" ".join(pairs)))),
        ("12 个引号短语，每次不同", [api(q) for q in fresh_phrases[:rounds]]),
        ("最常用的 72 个词分三组轮流成 12 个短语", [api(q) for q in turns]),
        ("facets=1", same(api(w, facets=1))),
        ("sort=date", same(api(w, sort="date"))),
        ("sort=date&page=10&limit=100", same(api(w, sort="date", page=10, limit=100))),
        ("筛选：全部层级与效力", same(api(w, facets=1, **every_filter))),
        ("全都加上：40 词+筛选+facets+date+page=10&limit=100",
         same(api(" ".join(words[:40]), facets=1, sort="date", page=10, limit=100, **every_filter))),
        ("全都加上，引号短语", same(api(" ".join(pairs), facets=1, sort="date", page=10, limit=100, **every_filter))),
        ("结果页 HTML（含分面）", same(page(w))),
        ("结果页 HTML page=10&limit=100", same(page(w, page=10, limit=100))),
        ("结果页 HTML：筛选+date+page=10&limit=100", same(page(w, sort="date", page=10, limit=100, **every_filter))),
        ("结果页 HTML：引号短语", same(page(" ".join(pairs)))),
        ("结果页 HTML：引号短语，每次不同", [page(q) for q in fresh_phrases[rounds:]]),
    ]


def outcome(body: bytes) -> tuple[str, str]:
    """Hits shown / total, and the limits that the answer says were reached (an API answer only)."""
    try:
        data = json.loads(body)
    except ValueError:
        return "", ""
    reached: dict[str, int] = {}
    for notice in data["notices"]:
        label = next((label for start, label in NOTICES if notice.startswith(start)), notice[:12])
        reached[label] = reached.get(label, 0) + 1
    said = "、".join(label if n == 1 else f"{label} ×{n}" for label, n in reached.items())
    return f"{len(data['hits'])}/{data['total']}", said


def cost(args) -> int:
    table = [api(q, limit=10) for q in queries()]
    requests = constructed(args.index, args.rounds)
    limits = {k: v for k, v in (("max_results", args.max_results), ("time_limit", args.time_limit)) if v is not None}
    options = [f"--{k.replace('_', '-')}={v}" for k, v in limits.items()]
    load_before = os.getloadavg()
    server = Server(args.index, 2, *options)
    try:
        server.warm(table)
        runs = {path: [server.get(path)[2:] for _ in range(args.rounds)] for path in table}
        typical_wall = statistics.median(statistics.median(w for w, _ in r) for r in runs.values())
        typical_cpu = statistics.median(statistics.median(c for _, c in r) for r in runs.values())
        slowest = max(runs, key=lambda p: statistics.median(w for w, _ in runs[p]))
        results = []
        for name, paths in requests:
            measured = [server.get(path) for path in paths]
            status, body = measured[0][:2]
            walls, cpus = [m[2] for m in measured], [m[3] for m in measured]
            results.append(Row(name, status, statistics.median(walls), statistics.median(cpus), walls[0], cpus[0],
                               *outcome(body)))
    finally:
        server.stop()
    load_after = os.getloadavg()
    print(f"索引 {args.index}；每个请求 {args.rounds} 次取中位数；python -m web {' '.join(options)}：{replace(LIMITS, **limits)}")
    print(f"机器负载（1/5/15 分钟）：开始 {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}，"
          f"结束 {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}；{os.cpu_count()} 核")
    print(f"典型查询（{len(table)} 条的中位数）：{typical_wall:.1f} ms，服务器 CPU {typical_cpu:.1f} ms；"
          f"最慢的一条（{unquote(slowest)}）"
          f"{statistics.median(w for w, _ in runs[slowest]):.1f} ms")
    print()
    print("| 请求 | 状态 | 条数/共 | 中位 ms | 倍数 | 服务器 CPU ms | CPU 倍数 | 首次 ms（CPU） | 到达的限制 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r.name} | {r.status} | {r.hits} | {r.wall:.1f} | {r.wall / typical_wall:.1f}× | {r.cpu:.1f} | "
              f"{r.cpu / typical_cpu:.1f}× | {r.first_wall:.0f}（{r.first_cpu:.0f}） | {r.reached} |")
    worst = max(results, key=lambda r: r.wall)
    worst_cpu = max(results, key=lambda r: r.cpu)
    print(f"\n最贵的请求：{worst.name}，{worst.wall / typical_wall:.1f}×（墙钟）；按 CPU：{worst_cpu.name}，"
          f"{worst_cpu.cpu / typical_cpu:.1f}×；目标 ≤ {TARGET}×")
    return 0


def random_queries(index: str, n: int, seed: int) -> list[str]:
    """n distinct queries: word pairs and triples from the vocabulary (mostly rare words) and from the
    text (as often as the text uses them), and quoted phrases of two or three words standing together."""
    rng = random.Random(seed)
    b = Library(index).current()
    reader = b.engine().reader()      # the engine's Whoosh reader: the vocabulary as it stands
    vocabulary = [t.decode() if isinstance(t, bytes) else t for t in reader.lexicon("text_t")]
    vocabulary = [w for w in vocabulary if len(w) > 1]
    live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
    texts = [segment.words(b.record(d)["text"]) for d in rng.sample(live, 4000)]
    texts = [t for t in texts if len(t) >= 3]
    running = [w for t in texts for w in t]
    out: set[str] = set()
    while len(out) < n:
        kind = rng.random()
        if kind < 0.35:
            q = " ".join(rng.sample(vocabulary, rng.choice((2, 3))))
        elif kind < 0.7:
            q = " ".join(rng.choice(running) for _ in range(rng.choice((2, 3))))
        else:
            t = rng.choice(texts)
            k = rng.choice((2, 3))
            at = rng.randrange(len(t) - k + 1)
            q = "\"" + " ".join(t[at:at + k]) + "\""
        out.add(q)
    return rng.sample(sorted(out), n)


def memory(args) -> int:
    qs = random_queries(args.index, args.queries, args.seed)
    load_before = os.getloadavg()
    server = Server(args.index, 1)
    try:
        worker = server.workers()[0]
        # (moment, RSS, threads): gunicorn's gthread pool starts a thread only when none is idle, and each
        # thread opens its own Whoosh reader (some 17 MB), so the warm-up sends 4 requests at a time
        curve = [("启动后", server.rss_mb(worker), server.threads(worker))]
        server.warm([api(q, limit=10) for q in queries()])
        curve.append(("预热后（查询表，4 个连接同时）", server.rss_mb(worker), server.threads(worker)))
        failed = 0
        start = time.perf_counter()
        for i, q in enumerate(qs, 1):
            status = server.get(api(q, limit=10))[0]
            failed += status != 200
            if i % args.every == 0:
                assert server.workers() == [worker], "工作进程换了：它被重启过"
                curve.append((f"{i} 条后", server.rss_mb(worker), server.threads(worker)))
        elapsed = time.perf_counter() - start
    finally:
        server.stop()
    load_after = os.getloadavg()
    warm = curve[1][1]
    print(f"索引 {args.index}；{args.queries} 条随机的不同查询（种子 {args.seed}），用时 {elapsed:.0f} s，"
          f"非 200 的回答 {failed} 个")
    print(f"机器负载（1/5/15 分钟）：开始 {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}，"
          f"结束 {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}")
    print("\n| 时刻 | RSS MB | 比预热后 | 线程数 |\n|---|---|---|---|")
    for name, rss, threads in curve:
        print(f"| {name} | {rss:.0f} | {rss - warm:+.0f} | {threads} |")
    growth = max(rss for _, rss, _ in curve[2:]) - warm
    print(f"\n预热后最多增长 {growth:.0f} MB；最后 {curve[-1][1] - warm:+.0f} MB；目标 ≤ {MEMORY_TARGET_MB} MB")
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index", required=True, help="an index built from LawRefBook, e.g. /tmp/kb-eval/index")
    p.add_argument("--rounds", type=int, default=7, help="runs of each request (cost)")
    p.add_argument("--max-results", type=int, help="passed to the server (cost); its default otherwise")
    p.add_argument("--time-limit", type=float, help="passed to the server (cost); its default otherwise")
    p.add_argument("--memory", action="store_true", help="the memory curve instead of the cost table")
    p.add_argument("--queries", type=int, default=20_000)
    p.add_argument("--every", type=int, default=2_000)
    p.add_argument("--seed", type=int, default=14)
    args = p.parse_args()
    return memory(args) if args.memory else cost(args)


if __name__ == "__main__":
    sys.exit(main())
