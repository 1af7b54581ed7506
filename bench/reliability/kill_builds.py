"""Kill -9 builds at random points and check nothing is lost: python bench/reliability/kill_builds.py

    [--kills 20] [--copies 20] [--work /tmp/kb-kill-builds] [--seed 1] [--corpus DIR]

The corpus is --copies copies of policies/ with new ids (or any folder of documents with --corpus),
big enough for a build to take seconds. Each round starts build_index.py (full or incremental,
alternately; an incremental round really changes the corpus by removing or restoring a copy), kills
its whole process group with SIGKILL at a random moment within the expected build time, and checks:
  - the build that was serving is still `current`, opens, holds one Whoosh record per catalog entry
    and an intact document file (content matching its name's sha1) per document, and answers a fixed
    set of queries exactly as before the kill (or, killed after the swap, the new build is whole);
  - the next build (not killed) succeeds, serves the new corpus, and leaves no partial folders.
Then two builds are started at once a few times: both succeed, one after the other.
Exit status 0 only when every check passed. Writes only under --work.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kb.index import current_build  # noqa: E402
from kb.layout import document_intact  # noqa: E402
from kb.library import Library  # noqa: E402
from kb.search import search  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402

QUERIES = ["社保 减免", "增值税", "房租", "财税公告2020年第8号 第四条", "稳岗返还", "贷款延期", "电费"]
ID_LINE = re.compile(r"^id: *(\S+) *$", re.M)


def make_corpus(work: Path, copies: int, corpus: Path | None) -> Path:
    source = work / "policies"
    shutil.rmtree(source, ignore_errors=True)
    if corpus:
        shutil.copytree(corpus, source)
        return source
    source.mkdir(parents=True)
    for original in sorted((ROOT / "policies").glob("*.md")):
        if original.name == "README.md":
            continue
        text = original.read_text(encoding="utf-8")
        for k in range(copies):
            (source / f"{original.stem}-c{k}.md").write_text(ID_LINE.sub(lambda m: f"id: {m.group(1)}-c{k}", text, 1),
                                                              encoding="utf-8")
    return source


def build_cmd(source: Path, index: Path, full: bool) -> list[str]:
    return [sys.executable, "build_index.py", "--policies", str(source), "--index", str(index), "--quiet"] + (
        ["--full"] if full else [])


def answers(index: Path) -> str:
    lib = Library(index)
    return json.dumps([search(lib, q, limit=20).to_json() for q in QUERIES], ensure_ascii=False)


def intact(index: Path) -> tuple[str, int]:
    """(build name, documents) of the served build after checking Whoosh against its catalog."""
    build_dir = current_build(index)
    catalog = json.loads((build_dir / "catalog.json").read_text(encoding="utf-8"))
    ix = whoosh_index.open_dir(str(build_dir))
    with ix.searcher() as s:
        if s.doc_count() != len(catalog["docs"]) + catalog["clauses"]:
            raise AssertionError(f"{build_dir.name}: {s.doc_count()} Whoosh records, catalog says "
                                 f"{len(catalog['docs'])} + {catalog['clauses']}")
    for entry in catalog["docs"].values():
        path = index / "docs" / entry["json"]
        if not path.is_file():
            raise AssertionError(f"{build_dir.name}: document file {entry['json']} missing")
        if not document_intact(entry["json"], path.read_bytes()):
            raise AssertionError(f"{build_dir.name}: document file {entry['json']} torn")
    return build_dir.name, len(catalog["docs"])


def partials(index: Path) -> list[str]:
    return [p.name for p in (index / "builds").iterdir() if p.name.endswith(".partial")]


def run_build(source: Path, index: Path, full: bool) -> float:
    start = time.perf_counter()
    done = subprocess.run(build_cmd(source, index, full), cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"build failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--copies", type=int, default=20, help="copies of policies/ (ignored with --corpus)")
    p.add_argument("--corpus", type=Path, help="a folder of documents to use instead of policies/ copies")
    p.add_argument("--work", type=Path, default=Path("/tmp/kb-kill-builds"))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--concurrent", type=int, default=3, help="rounds of two builds started at once")
    args = p.parse_args()
    if ROOT in args.work.resolve().parents or args.work.resolve() == ROOT:
        sys.exit("--work must be outside the repository")
    rng = random.Random(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    index = args.work / "index"
    shutil.rmtree(index, ignore_errors=True)
    source = make_corpus(args.work, args.copies, args.corpus)
    aside = args.work / "aside"
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir()
    files = sorted(source.glob("*.md"))
    print(f"corpus: {len(files)} documents in {source}")

    full_seconds = run_build(source, index, full=True)
    incremental_seconds = []
    print(f"first full build: {full_seconds:.1f} s")
    kills = finished_first = attempts = 0
    killed_with_partial = killed_after_swap = 0
    kill_points = []
    while kills < args.kills:
        attempts += 1
        full = attempts % 2 == 1
        if not full:            # a real change: take a document out, or put one back
            back = list(aside.iterdir())
            if back and rng.random() < 0.5:
                shutil.move(back[0], source / back[0].name)
            else:
                victim = rng.choice(sorted(source.glob("*.md")))
                shutil.move(victim, aside / victim.name)
        expected_docs = len(list(source.glob("*.md")))
        serving, before = intact(index), answers(index)
        expected = full_seconds if full else (statistics.median(incremental_seconds) if incremental_seconds else full_seconds)
        delay = rng.uniform(0.05, expected * 1.05)
        proc = subprocess.Popen(build_cmd(source, index, full), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)     # the build and its worker processes, as a crash would
        proc.wait()
        if proc.returncode == 0:
            finished_first += 1
        else:
            kills += 1
            kill_points.append(delay / expected)
            killed_with_partial += bool(partials(index))
            now = intact(index)
            if now != serving:
                # killed after the swap, while clearing old builds: the new build must be whole
                killed_after_swap += 1
                if now[1] != expected_docs:
                    print(f"FAIL: kill {kills}: a build with {now[1]} documents is serving, expected {expected_docs}")
                    return 1
            elif answers(index) != before:
                print(f"FAIL: kill {kills} ({'full' if full else 'incremental'} build at {delay:.2f} s): "
                      "the serving index answers differently")
                return 1
        seconds = run_build(source, index, full)
        if not full:
            incremental_seconds.append(seconds)
        name, docs = intact(index)
        if docs != expected_docs or partials(index) or len(list((index / "builds").iterdir())) > 2:
            print(f"FAIL: after kill {kills}: {docs} documents served (expected {expected_docs}), "
                  f"partial folders {partials(index)}")
            return 1
        print(f"round {attempts}: {'full' if full else 'incremental'} build "
              f"{'killed' if proc.returncode else 'finished'} at {delay:.2f} s; previous index intact; "
              f"next build ok in {seconds:.1f} s ({docs} documents)")

    waits = 0
    for round_ in range(args.concurrent):
        procs = [subprocess.Popen(build_cmd(source, index, True), cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [proc.communicate() for proc in procs]
        if any(proc.returncode for proc in procs):
            print(f"FAIL: two builds at once, round {round_ + 1}: {[o[1][-500:] for o in outs]}")
            return 1
        waits += sum("等待它结束" in err for _, err in outs)
        intact(index)
    print()
    print(f"kills: {kills} (SIGKILL to the build's process group) in {attempts} rounds; "
          f"{finished_first} builds finished before their kill time")
    print(f"kill points as a fraction of the expected build time: min {min(kill_points):.2f}, "
          f"median {statistics.median(kill_points):.2f}, max {max(kill_points):.2f}; "
          f"{killed_with_partial} kills left a partial folder (removed by the next build), "
          f"{killed_after_swap} came after the swap (new build whole and serving)")
    print(f"after every kill: the serving index intact (the previous one with the same answers to {len(QUERIES)} "
          f"queries, or the new one whole); "
          f"next build succeeded")
    print(f"full build {full_seconds:.1f} s; incremental build median "
          f"{statistics.median(incremental_seconds) if incremental_seconds else float('nan'):.1f} s")
    print(f"two builds at once: {args.concurrent} rounds, all succeeded, {waits} waited for the other")
    return 0


if __name__ == "__main__":
    sys.exit(main())
