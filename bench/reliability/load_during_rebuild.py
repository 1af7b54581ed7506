"""Load on the real server while full rebuilds swap the index underneath:

    python bench/reliability/load_during_rebuild.py [--work /tmp/kb-load] [--clients 16] [--seconds 60]
                                                    [--max-requests 200000] [--reuse] [--build-seconds S]

Corpus: LawRefBook imported from ../shared/corpus/lawrefbook with `python -m kb import` when it is
there, otherwise copies of policies/ with new ids (said so in the output). The index is built once
(timed), then `python -m web` serves it on 127.0.0.1 while `build_index.py --full` runs in a loop.
Load starts a window and a half before the first rebuild's expected swap (from the first build's
time, or --build-seconds), in 60 s windows until one holds a swap; each client sends searches (bench/queries_lawrefbook.txt), results pages,
documents, clause permalinks and their JSON, bounded by --seconds and --max-requests.
Every response must be 200 with a body as long as Content-Length, JSON that parses with its keys,
or HTML that ends in </html>. Reports errors, requests, latency p50/p95/p99/max, and the swaps seen.
Exit 0 only with zero errors and a swap inside the last window.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.reliability.kill_builds import make_corpus  # noqa: E402
from bench.speed import pct, queries as bench_queries  # noqa: E402
from kb.index import CURRENT, current_build  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "lawrefbook"
PY = sys.executable
SEARCH_KEYS = {"query", "total", "hits", "page", "limit"}


def prepare(work: Path, reuse: bool) -> tuple[Path, Path, str, float | None]:
    source, index = work / "policies", work / "index"
    if reuse and current_build(index):
        return source, index, "reused", None
    if CORPUS.is_dir():
        shutil.rmtree(source, ignore_errors=True)
        subprocess.run([PY, "-m", "kb", "import", str(CORPUS), "--out", str(source), "--quiet"], cwd=ROOT,
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kind = f"LawRefBook ({len(list(source.glob('*.md')))} documents imported)"
    else:
        make_corpus(work, 20, None)
        kind = "policies/ copies (LawRefBook not found at ../shared/corpus/lawrefbook)"
    shutil.rmtree(index, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([PY, "build_index.py", "--policies", str(source), "--index", str(index), "--quiet"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return source, index, kind, time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def paths_to_visit(index: Path, rng: random.Random) -> list[str]:
    catalog = json.loads((current_build(index) / "catalog.json").read_text(encoding="utf-8"))
    docs = rng.sample(sorted(catalog["docs"]), min(300, len(catalog["docs"])))
    out = []
    for q in bench_queries():
        out += [f"/api/search?q={quote(q)}", f"/search?q={quote(q)}"]
    for doc_id in docs:
        data = json.loads((index / "docs" / catalog["docs"][doc_id]["json"]).read_text(encoding="utf-8"))
        out += [f"/doc/{doc_id}", f"/api/doc/{doc_id}"]
        if data["clauses"]:
            out.append(f"/doc/{doc_id}/{quote(rng.choice(data['clauses'])['path'])}")
    return out


def check(path: str, status: int, headers: dict, body: bytes) -> str | None:
    """What is wrong with a response, or None."""
    if status != 200:
        return f"status {status}"
    if int(headers.get("content-length", -1)) != len(body):
        return f"body {len(body)} bytes, Content-Length {headers.get('content-length')}"
    if path.startswith("/api/"):
        data = json.loads(body)
        if path.startswith("/api/search") and not SEARCH_KEYS <= set(data):
            return "search JSON without its keys"
        if path.startswith("/api/doc/") and not {"id", "clauses"} <= set(data):
            return "document JSON without its keys"
    elif not body.rstrip().endswith(b"</html>"):
        return "HTML page cut short"
    return None


def kind(path: str) -> str:
    for prefix, name in (("/api/search", "api-search"), ("/search", "search-page"), ("/api/doc/", "api-doc")):
        if path.startswith(prefix):
            return name
    return "clause" if path.count("/") > 2 else "document"


def client(port: int, paths: list[str], until: float, budget: list[int], seed: int, latencies: list,
           errors: list[str], lock: threading.Lock) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        path = rng.choice(paths)
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            problem = check(path, response.status, {k.lower(): v for k, v in response.getheaders()}, body)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append((kind(path), elapsed))
            if problem:
                errors.append(f"{path}: {problem}")
    conn.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--work", type=Path, default=Path("/tmp/kb-load"))
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--max-requests", type=int, default=200_000)
    p.add_argument("--reuse", action="store_true", help="keep an index already built under --work")
    p.add_argument("--build-seconds", type=float, help="expected full build time (default: the first build's)")
    p.add_argument("--threads", type=int, default=8, help="server threads per process")
    p.add_argument("--max-windows", type=int, default=10)
    p.add_argument("--no-rebuild", action="store_true", help="one window without rebuilds, for comparison")
    args = p.parse_args()
    if ROOT in args.work.resolve().parents:
        sys.exit("--work must be outside the repository")
    args.work.mkdir(parents=True, exist_ok=True)
    source, index, kind, first = prepare(args.work, args.reuse)
    expected = args.build_seconds or first
    if expected is None:
        sys.exit("with --reuse, give --build-seconds (the full build time of this corpus)")
    print(f"corpus: {kind}; full build {expected:.0f} s")

    port = free_port()
    server = subprocess.Popen([PY, "-m", "web", "--port", str(port), "--index", str(index), "--threads",
                               str(args.threads)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stop = threading.Event()
    swaps: list[float] = []
    builds: list[tuple[float, int]] = []

    running: list[subprocess.Popen] = []

    def rebuild_loop():
        while not stop.is_set():
            start = time.monotonic()
            running[:] = [subprocess.Popen([PY, "build_index.py", "--policies", str(source), "--index", str(index),
                                            "--full", "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, start_new_session=True)]
            code = running[0].wait()
            builds.append((time.monotonic() - start, code))

    def watch_swaps():
        target = os.readlink(index / CURRENT)
        while not stop.is_set():
            now = os.readlink(index / CURRENT)
            if now != target:
                swaps.append(time.monotonic())
                target = now
            time.sleep(0.05)

    try:
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        paths = paths_to_visit(index, random.Random(1))
        threads = [threading.Thread(target=rebuild_loop, daemon=True), threading.Thread(target=watch_swaps, daemon=True)]
        for t in threads[0 if not args.no_rebuild else 1:]:
            t.start()
        if args.no_rebuild:
            expected, args.max_windows = 1.5 * args.seconds, 1
        # load starts a window and a half before the expected swap; 60 s windows follow one another
        # until one holds a swap (at most --max-windows of them)
        time.sleep(max(0.0, expected - 1.5 * args.seconds))
        lock, budget, windows = threading.Lock(), [args.max_requests], []
        while len(windows) < args.max_windows and budget[0] > 0:
            latencies: list[float] = []
            errors: list[str] = []
            window_start = time.monotonic()
            until = window_start + args.seconds
            clients = [threading.Thread(target=client, args=(port, paths, until, budget, i, latencies, errors, lock))
                       for i in range(args.clients)]
            for c in clients:
                c.start()
            for c in clients:
                c.join()
            window_end = time.monotonic()
            in_window = [t - window_start for t in swaps if window_start <= t <= window_end]
            windows.append((window_end - window_start, latencies, errors, in_window))
            if in_window:
                break
    finally:
        stop.set()
        for proc in running:
            if proc.poll() is None:      # the rebuild under way is not part of the measure
                os.killpg(proc.pid, signal.SIGKILL)
        server.terminate()
        server.wait(timeout=30)
    all_errors = [e for w in windows for e in w[2]]
    print(f"{len(windows)} window(s) of {args.seconds:.0f} s with {args.clients} clients, over {len(paths)} distinct "
          f"URLs; {sum(len(w[1]) for w in windows)} requests, {len(all_errors)} errors"
          + "".join(f"\n  {e}" for e in all_errors[:20]))
    for n, (seconds, latencies, errors, in_window) in enumerate(windows, 1):
        ms = sorted(x * 1000 for _, x in latencies)
        if not ms:
            continue
        print(f"window {n}: {seconds:.1f} s, {len(ms)} requests ({len(ms) / seconds:.0f}/s), {len(errors)} errors; "
              f"latency ms p50 {pct(ms, 50):.0f}, p95 {pct(ms, 95):.0f}, p99 {pct(ms, 99):.0f}, max {ms[-1]:.0f}; "
              f"index swaps at {', '.join(f'{t:.1f} s' for t in in_window) or '-'}")
        for name in sorted({k for k, _ in latencies}):
            part = sorted(x * 1000 for k, x in latencies if k == name)
            print(f"  {name}: {len(part)} requests, p50 {pct(part, 50):.0f} ms, p95 {pct(part, 95):.0f} ms")
    print(f"full rebuilds finished while measuring (seconds, exit): {[(round(t), rc) for t, rc in builds]}")
    if all_errors:
        return 1
    if not windows or not (windows[-1][3] or args.no_rebuild):
        print("inconclusive: no swap fell inside a window (raise --max-windows or give --build-seconds)")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
