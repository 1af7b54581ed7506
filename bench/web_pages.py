"""Page latency of the real site, one command: python bench/web_pages.py [--rounds N]

Builds policies/ into a temporary index, starts `python -m web` (gunicorn) on a free port and fetches
each kind of page N times in turn over one keep-alive connection; prints p50/p95 per page in ms.
"""
from __future__ import annotations

import argparse
import http.client
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.index import build  # noqa: E402
from kb.library import Library  # noqa: E402

PAGES = {
    "home": "/",
    "results": "/search?q=" + quote("社保 减免"),
    "results+facet": "/search?q=" + quote("社保 减免") + "&area=" + quote("援企稳岗"),
    "reference (302)": "/search?q=" + quote("财税公告2020年第8号 第三条"),
    "area": "/area/finance-tax",
    "api/search": "/api/search?q=" + quote("社保 减免"),
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=200)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        build(ROOT / "policies", Path(tmp), progress=False)
        b = Library(tmp).current()
        doc_id = max(b.docs, key=lambda i: b.docs[i]["clauses"])
        first = b.document(doc_id).clauses[0].path
        pages = dict(PAGES, document=f"/doc/{quote(doc_id)}", clause=f"/doc/{quote(doc_id)}/{quote(first)}")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([sys.executable, "-m", "web", "--port", str(port), "--index", tmp], cwd=ROOT,
                                stdout=subprocess.DEVNULL)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for _ in range(100):
                try:
                    conn.request("GET", "/")
                    conn.getresponse().read()
                    break
                except OSError:
                    conn.close()
                    time.sleep(0.1)
            print(f"{len(b.docs)} documents, {b.clause_count} clauses; {args.rounds} requests per page")
            for name, path in pages.items():
                times = []
                for _ in range(args.rounds):
                    start = time.perf_counter()
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                    times.append((time.perf_counter() - start) * 1000)
                q = statistics.quantiles(times, n=20)
                print(f"{name:16} {response.status}  p50 {statistics.median(times):6.1f} ms  p95 {q[18]:6.1f} ms")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
