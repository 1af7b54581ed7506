"""Speed at province scale, one command: python bench/speed.py [--work DIR] [--skip-import] [--http-seconds N]

Imports LawRefBook from ../shared with the project's importer, builds the clause index, and reports
full build time and peak memory; incremental add/replace/delete of one document until searchable;
query latency p50/p95/p99 over bench/queries_lawrefbook.txt (in-process, with snippets), and p50/p95 of the
first, cold pass in a freshly opened library; process start to first result; HTTP throughput and latency at
8 and 32 concurrent clients against the real server with 1 and 2 worker processes, and the load client's
own ceiling against a static file.
SQLite FTS5 runs over the same records in the same run; each figure is also given as a ratio to it.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import fts5_baseline  # noqa: E402
from kb.index import current_build  # noqa: E402
from kb.library import Library  # noqa: E402
from kb.search import search  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "lawrefbook"
QUERIES = ROOT / "bench" / "queries_lawrefbook.txt"
PY = sys.executable


def queries() -> list[str]:
    return [q.strip() for q in QUERIES.read_text(encoding="utf-8").splitlines() if q.strip() and not q.startswith("#")]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (kB)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, StopIteration):
            continue
    return total


def run_measured(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak tree memory (MB) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.05)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read()[-2000:]}")
    return time.perf_counter() - start, peak // 1024


def build_cmd(policies: Path, index: Path, full: bool = False) -> list[str]:
    return [PY, "build_index.py", "--policies", str(policies), "--index", str(index), "--quiet"] + (["--full"] if full else [])


def incremental(policies: Path, index: Path) -> dict[str, float]:
    """Seconds from the build command's start until an open Library (as the site has) finds the change."""
    lib = Library(index)
    template = next(p for p in sorted(policies.rglob("*.md")) if p.stat().st_size > 20_000)
    text = template.read_text(encoding="utf-8")
    new = policies / "zz-bench-added.md"
    out = {}
    for step in ("add", "replace", "delete"):
        if step == "add":
            text = re.sub(r"^id: .*$", "id: zz-bench-added", text, count=1, flags=re.M)
            text = re.sub(r"^title: .*$", "title: 基准测试增量文件", text, count=1, flags=re.M)
            new.write_text(text, encoding="utf-8")
        elif step == "replace":
            new.write_text(text + "\n", encoding="utf-8")
        else:
            new.unlink()
        start = time.perf_counter()
        subprocess.run(build_cmd(policies, index), cwd=ROOT, check=True, capture_output=True)
        while True:
            present = "zz-bench-added" in lib.current().docs
            if present == (step != "delete"):
                break
            time.sleep(0.005)
        search(lib, "基准测试", limit=10)
        out[step] = time.perf_counter() - start
    return out


def query_latency(lib_search, qs: list[str], rounds: int = 3) -> tuple[list[float], list[float]]:
    """(cold, warm) milliseconds: the first pass doubles as the warm-up (page cache, lazy loads, caches)
    and is kept apart, so that what caches learn from the query list cannot flatter the result."""
    def one_pass() -> list[float]:
        times = []
        for q in qs:
            t = time.perf_counter()
            lib_search(q)
            times.append((time.perf_counter() - t) * 1000)
        return times

    cold = one_pass()
    return cold, [ms for _ in range(rounds) for ms in one_pass()]


def first_result(cmd: list[str], n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def search_paths(qs: list[str]) -> list[str]:
    return [f"/api/search?q={quote(q)}&limit=10" for q in qs]


def http_load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """A bounded load: `clients` threads with keep-alive connections, for `seconds` at most.

    client_cpu_ms is this process's CPU time per request: with the GIL the client cannot go past
    about 1000 / client_cpu_ms requests per second, whatever the server does."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = offset
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += clients
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
                # complete only when a JSON body parses
                if resp.getheader("Content-Type", "").startswith("application/json"):
                    json.loads(body)
                ok = resp.status == 200
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            with lock:
                latencies.append((time.perf_counter() - t) * 1000)
                errors[0] += not ok
        conn.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    start, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": pct(latencies, 50),
            "p95": pct(latencies, 95), "p99": pct(latencies, 99), "errors": errors[0],
            "client_cpu_ms": cpu * 1000 / max(1, len(latencies))}


def serve(index: Path, port: int, workers: int) -> subprocess.Popen:
    """The real server, once it answers (its socket listens before the workers have started)."""
    proc = subprocess.Popen([PY, "-m", "web", "--port", str(port), "--index", str(index), "--workers", str(workers)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/static/favicon.svg")
            if conn.getresponse().status == 200:
                return proc
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
        finally:
            conn.close()
    proc.kill()
    raise SystemExit("the web server did not start")


def http_figures(index: Path, qs: list[str], seconds: float) -> dict:
    """Search load at 8 and 32 clients per number of workers, and the client's ceiling on a static file."""
    out: dict = {"search": {}}
    for workers in (1, 2):
        port = free_port()
        server = serve(index, port, workers)
        try:
            # every worker opens its own index on its first search: not part of the steady state
            http_load(port, search_paths(qs), 8, min(3.0, seconds))
            out["search"][workers] = {c: http_load(port, search_paths(qs), c, seconds) for c in (8, 32)}
            if workers == 2:
                out["ceiling"] = http_load(port, ["/static/favicon.svg"], 8, min(5.0, seconds))
        finally:
            server.terminate()
            server.wait()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", default="/tmp/kb-speed", help="where the imported corpus and indexes go")
    p.add_argument("--skip-import", action="store_true", help="reuse the imported corpus in --work")
    p.add_argument("--http-seconds", type=float, default=20)
    args = p.parse_args()
    if not CORPUS.is_dir():
        print(f"LawRefBook corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    work = Path(args.work)
    policies, index, db = work / "policies", work / "index", work / "fts5.sqlite"
    if not args.skip_import or not policies.is_dir():
        shutil.rmtree(policies, ignore_errors=True)
        subprocess.run([PY, "-m", "kb", "import", str(CORPUS), "--out", str(policies)], cwd=ROOT,
                       capture_output=True)
    qs = queries()
    r: dict[str, dict] = {"kb": {}, "fts5": {}}

    r["kb"]["build_s"], r["kb"]["peak_mb"] = run_measured(build_cmd(policies, index, full=True))
    build_dir = current_build(index)
    catalog = json.loads((build_dir / "catalog.json").read_text(encoding="utf-8"))
    r["kb"]["docs"], r["kb"]["clauses"] = len(catalog["docs"]), catalog["clauses"]
    r["fts5"]["build_s"] = fts5_baseline.build(index, db)

    lib = Library(index)
    kb_times = query_latency(lambda q: search(lib, q, limit=10), qs)
    fts = fts5_baseline.Searcher(db)
    fts_times = query_latency(lambda q: fts.search(q, 10), qs)
    for name, (cold, warm) in (("kb", kb_times), ("fts5", fts_times)):
        r[name].update(p50_ms=pct(warm, 50), p95_ms=pct(warm, 95), p99_ms=pct(warm, 99),
                       cold_p50_ms=pct(cold, 50), cold_p95_ms=pct(cold, 95))

    r["kb"]["first_result_s"] = first_result([PY, "-m", "kb", "search", qs[0], "--json", "--index", str(index)])
    r["fts5"]["first_result_s"] = first_result([PY, "-c", "import sys; sys.path.insert(0, '.'); from bench.fts5_baseline "
                                                "import Searcher; Searcher(sys.argv[1]).search(sys.argv[2])", str(db), qs[0]])
    r["kb"]["incremental_s"] = incremental(policies, index)

    r["kb"]["http"] = http_figures(index, qs, args.http_seconds)

    print(report(r))
    return 0


def report(r: dict) -> str:
    kb, fts = r["kb"], r["fts5"]

    def ratio(key):
        return f"{kb[key] / fts[key]:.2f}×" if fts.get(key) else ""

    lines = [f"LawRefBook: {kb['docs']} documents, {kb['clauses']} clauses; {os.cpu_count()} cores", "",
             "| | full build | query p50 | query p95 | query p99 | cold p50 | cold p95 | start to first result |",
             "|---|---|---|---|---|---|---|---|"]
    for name, d in (("this project (Whoosh)", kb), ("SQLite FTS5, same records", fts)):
        lines.append(f"| {name} | {d['build_s']:.1f} s | {d['p50_ms']:.1f} ms | {d['p95_ms']:.1f} ms | "
                     f"{d['p99_ms']:.1f} ms | {d['cold_p50_ms']:.1f} ms | {d['cold_p95_ms']:.1f} ms | "
                     f"{d['first_result_s']:.2f} s |")
    lines.append(f"| ratio to FTS5 | {ratio('build_s')} | {ratio('p50_ms')} | {ratio('p95_ms')} | {ratio('p99_ms')} | "
                 f"{ratio('cold_p50_ms')} | {ratio('cold_p95_ms')} | {ratio('first_result_s')} |")
    lines += ["", f"full build peak memory: {kb['peak_mb']} MB",
              "one document until searchable (command start → the open library finds it): " +
              ", ".join(f"{k} {v:.2f} s" for k, v in kb["incremental_s"].items()), ""]
    lines.append("cold: the first pass over the queries in a freshly opened library (before any warm-up)")
    lines.append("")
    lines += http_report(kb["http"])
    return "\n".join(lines)


def http_line(name: str, h: dict) -> str:
    return (f"{name}: {h['rps']:.0f} req/s, p50 {h['p50']:.1f} ms, p95 {h['p95']:.1f} ms, p99 {h['p99']:.1f} ms, "
            f"{h['errors']} errors in {h['requests']} requests; client CPU {h['client_cpu_ms']:.2f} ms/request")


def http_report(http: dict) -> list[str]:
    lines = [http_line(f"HTTP /api/search, {workers} worker{'s' * (workers > 1)}, {clients} clients", h)
             for workers, by_clients in http["search"].items() for clients, h in by_clients.items()]
    ceiling = http["ceiling"]
    lines.append(http_line("load client ceiling (8 clients, 2 workers, /static/favicon.svg)", ceiling))
    return lines


if __name__ == "__main__":
    sys.exit(main())
