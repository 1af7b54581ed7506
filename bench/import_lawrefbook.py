"""Import the whole LawRefBook corpus, verify the round trip, index it, and time a writer's update.

    .venv/bin/python bench/import_lawrefbook.py [--out /tmp/lawrefbook-kb] [--no-index]

Writes only under --out (never into the repo): policies/ (the imported Markdown) and index/.
Figures: files imported / skipped / failed with reasons, clauses, import time; that `kb check`
passes and every document has the source's clause count; full index build time; and the time
for one new document to go from import through an incremental build to a search hit.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.check import check_paths  # noqa: E402
from kb.importer import import_sources  # noqa: E402
from kb.library import Library  # noqa: E402
from kb.search import search  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "lawrefbook"
NEW_DOCUMENT = ROOT / "tests" / "fixtures" / "import" / "lawrefbook" / "刑法" / "刑法（节选）(2020-12-26).md"
CN = "零〇一二两三四五六七八九十百千"
LAW_PARAGRAPH = re.compile(rf"(?:\A|\n\n|^#[^\n]*\n)第[{CN}\d]+条(?:之[{CN}]+)?[ \u3000]", re.M)
POLICY_HEADING = re.compile(rf"^#+\s+[{CN}]+、", re.M)


def source_clause_count(path: Path) -> int:
    body = re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8").split("<!-- INFO END -->")[-1], flags=re.S)
    return len(LAW_PARAGRAPH.findall(body)) + len(POLICY_HEADING.findall(body))


def build_index(policies: Path, index: Path) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, str(ROOT / "build_index.py"), "--policies", str(policies),
                          "--index", str(index), "--quiet"], capture_output=True, text=True, cwd=ROOT)
    if run.returncode:
        sys.exit(f"build_index.py failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return time.perf_counter() - start, run.stdout.strip()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default="/tmp/lawrefbook-kb")
    p.add_argument("--no-index", action="store_true")
    args = p.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    out = Path(args.out)
    if ROOT in out.resolve().parents:
        sys.exit("--out must be outside the repository")
    shutil.rmtree(out, ignore_errors=True)
    policies, index = out / "policies", out / "index"

    start = time.perf_counter()
    outcomes = import_sources([str(CORPUS)], policies)
    seconds = time.perf_counter() - start
    counts = Counter(o.status for o in outcomes)
    print(f"files: {len(outcomes)}; written {counts['written']}, skipped {counts['skipped']}, failed {counts['failed']}")
    print(f"import: {seconds:.1f} s ({len(outcomes) / seconds:.0f} files/s)")
    reasons = Counter(re.sub(r"“[^”]*”|(?<=与 ).*(?= 内容相同)", "…", o.reason) for o in outcomes if o.status != "written")
    for reason, n in reasons.most_common():
        print(f"  {n:4d}  {reason}")

    start = time.perf_counter()
    docs, problems = check_paths([policies])
    print(f"kb check: {len(docs)} documents, {sum(len(d.clauses) for d in docs)} clauses, "
          f"{len(problems)} problems ({time.perf_counter() - start:.1f} s)")
    for problem in problems[:10]:
        print(f"  {problem}")
    by_source = {d.sources[0]: d for d in docs}
    mismatched = [o.source for o in outcomes if o.status == "written"
                  and len(by_source[o.source].clauses) != source_clause_count(Path(o.source))]
    print(f"clause count differs from the source text: {len(mismatched)}")
    for source in mismatched[:10]:
        print(f"  {source}")
    partial = Counter(d.coverage for d in docs)
    print("coverage: " + ", ".join(f"{k} {v}" for k, v in partial.most_common()))
    print("status: " + ", ".join(f"{k} {v}" for k, v in Counter(d.status for d in docs).most_common()))
    if args.no_index:
        return 1 if problems or mismatched else 0

    seconds, summary = build_index(policies, index)
    print(f"full index build: {seconds:.1f} s — {summary}")
    library = Library(index)
    library.current()
    start = time.perf_counter()
    added = import_sources([str(NEW_DOCUMENT)], policies)[0]
    imported = time.perf_counter() - start
    seconds, summary = build_index(policies, index)
    found = {}
    for name, lib in (("the open library (a running site)", library), ("a fresh library", Library(index))):
        try:
            found[name] = any(h.doc_id == added.path.stem for h in search(lib, "醉酒驾驶机动车 追逐竞驶").hits)
        except Exception as exc:       # reported, not hidden: the index after an update must be readable
            found[name] = False
            print(f"search in {name} failed: {type(exc).__name__}: {exc}")
    total = time.perf_counter() - start
    print(f"one new document: import {imported:.2f} s, incremental build {seconds:.1f} s, total {total:.1f} s — {summary}")
    print("searchable: " + ", ".join(f"{k} {v}" for k, v in found.items()))
    return 1 if problems or mismatched or not all(found.values()) else 0

if __name__ == "__main__":
    sys.exit(main())
