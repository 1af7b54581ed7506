"""Search quality: the engine against two baselines (and, optionally, another version of the
code), per kind of question, on the development set or on the everyday questions.

    .venv/bin/python bench/eval/run.py [--work /tmp/kb-eval] [--index DIR] [--misses]
    .venv/bin/python bench/eval/run.py --set everyday [--split tune|holdout|fresh|dev|blind|situ|both|all] [--compare DIR]

The everyday set (everyday/*.yaml) was written and judged before it was ever run, and split once,
at random with a fixed seed, into tune (2/3) and holdout (1/3, listed in everyday/holdout.txt):
tune on tune only, report both. Two sets written later (2026-12-02) are splits of their own:
everyday/fresh/*.yaml (`fresh`), committed before its first run, shows how the method does on
questions that neither the method nor the recorded questions (kb/asked.yaml) were made with;
everyday/dev/*.yaml (`dev`) is for finding faults, as tune is; everyday/blind/*.yaml (`blind`), whose
writers wrote the situations first and only then looked for the answering clauses, is reported only; everyday/situ/*.yaml (`situ`), written the same way, is for finding faults as dev is. --compare DIR ranks the same
questions with the code checked out in DIR (e.g. `git worktree add /tmp/kb-base <commit>`), over
the same index.

Everything is built under --work (never in the repo) and reused on the next run: policies/ copied
and LawRefBook imported with `python -m kb import` into docs/, the engine's index (build_index.py,
incremental), and the two baseline indexes over the same clause records — Whoosh with jieba's stock
ChineseAnalyzer queried through an OR-grouped MultifieldParser, and a character-bigram index. With
--index an existing engine index is used as is, and the baselines are built from its records.

Judgments (queries.yaml) are clause by clause: `doc` + `clause` for policies/, and for LawRefBook
`law` (its title, with or without 中华人民共和国) + `clause` (+ `date` to name one version), so
they survive re-imports that change ids. Grade 2 is directly relevant (counted by recall, P@1 and
MRR), grade 1 partly relevant (counted by nDCG only); an unpinned law judgment is grade 2 for its
newest version and 1 for older ones.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kb.index import current_build  # noqa: E402
from kb.library import Library  # noqa: E402
from kb.refs import name_variants  # noqa: E402
from kb.search import search  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "lawrefbook"
QUERIES = Path(__file__).with_name("queries.yaml")
EVERYDAY = Path(__file__).with_name("everyday")
HOLDOUT = EVERYDAY / "holdout.txt"
SPLITS = ("tune", "holdout", "fresh", "dev", "blind", "situ")      # fresh/, dev/, blind/ and situ/ are later sets, each its own split
SPLIT_SEED = 13
K = 10
KINDS = ("exact", "colloquial", "question", "citation", "short")
EVERYDAY_KINDS = ("spoken", "question", "short", "variant")
METRICS = ("MRR@10", "nDCG@10", "R@10", "P@1", "S@3", "empty")


# ---------------------------------------------------------------- data

def prepare_docs(work: Path) -> Path:
    """policies/ (copied with their times, so the incremental build sees real changes) + LawRefBook."""
    docs = work / "docs"
    pol = docs / "policies"
    pol.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in (ROOT / "policies").glob("*.md") if p.name != "README.md"}
    for old in pol.glob("*.md"):
        if old.name not in wanted:
            old.unlink()
    for name in wanted:
        src, dst = ROOT / "policies" / name, pol / name
        if not dst.exists() or dst.stat().st_mtime_ns != src.stat().st_mtime_ns:
            shutil.copy2(src, dst)
    lrb = docs / "lawrefbook"
    if not (lrb / ".imported").exists() and CORPUS.is_dir():
        print("导入 LawRefBook（python -m kb import）……", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "kb", "import", str(CORPUS), "--out", str(lrb), "--quiet"],
                       cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
        (lrb / ".imported").touch()
    return docs


def build_engine(docs: Path, index: Path) -> None:
    out = subprocess.run([sys.executable, "build_index.py", "--policies", str(docs), "--index", str(index), "--quiet"],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"索引构建失败：\n{out.stderr[-2000:]}")
    print(out.stdout.strip(), file=sys.stderr)


def clause_records(library: Library):
    """(uid, names, heading, text) of every record the engine indexes: the document, then its clauses."""
    snapshot = library.current()
    for doc_id in sorted(snapshot.docs):
        doc = snapshot.document(doc_id)
        names = " ".join([doc.title, doc.short_title, *doc.aliases])
        about = "\n".join(p for p in (doc.summary, doc.preamble, doc.coverage_note) if p)
        yield f"{doc.id}/", names, "", about
        for c in doc.clauses:
            extra = " ".join(str(c.meta[k]) for k in ("region", "amount", "rate", "period", "deadline", "department")
                             if c.meta.get(k))
            yield f"{doc.id}/{c.path}", names, " ".join([c.heading, *c.context]), f"{c.text} {extra}"


# ---------------------------------------------------------------- baselines

class Baseline:
    """A Whoosh index of the engine's records with a stock analyzer and OR-grouped queries."""

    def __init__(self, name: str, analyzer, folder: Path, library: Library, stamp: str):
        from whoosh import fields, index
        from whoosh.qparser import MultifieldParser, OrGroup

        self.name = name
        ready = folder / "stamp"
        if not (ready.exists() and ready.read_text() == stamp):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            schema = fields.Schema(uid=fields.ID(stored=True, unique=True), title=fields.TEXT(analyzer=analyzer),
                                   heading=fields.TEXT(analyzer=analyzer), text=fields.TEXT(analyzer=analyzer))
            ix = index.create_in(str(folder), schema)
            start = time.perf_counter()
            writer = ix.writer(limitmb=256)
            for uid, names, heading, text in clause_records(library):
                writer.add_document(uid=uid, title=names, heading=heading, text=text)
            writer.commit()
            print(f"基线 {name} 建索引 {time.perf_counter() - start:.0f} 秒", file=sys.stderr)
            ready.write_text(stamp)
        self.ix = index.open_dir(str(folder))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "heading", "text"], self.ix.schema, group=OrGroup)

    def top(self, q: str) -> list[tuple[str, str]]:
        query = self.parser.parse(self.prepare(q))
        return [tuple(h["uid"].split("/", 1)) for h in self.searcher.search(query, limit=K)]

    def prepare(self, q: str) -> str:
        # the query syntax's own characters are not what a user meant
        return "".join(" " if ch in '"\'()[]{}:*?~^+-!\\/' else ch for ch in q)


class BigramBaseline(Baseline):
    def prepare(self, q: str) -> str:
        # each run of letters becomes its bigrams, OR-ed like any other term
        from kb.segment import normalise

        q = super().prepare(normalise(q))
        grams = []
        for run in "".join(ch if ch.isalnum() else " " for ch in q).split():
            grams.extend(run[i:i + 2] for i in range(max(1, len(run) - 1)))
        return " ".join(grams)


class Bigrams(Filter):
    """Each token as its overlapping character pairs (a lone character stays as it is)."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if len(text) < 2:
                yield t
                continue
            for i in range(len(text) - 1):
                t.text = text[i:i + 2]
                yield t


def bigram_analyzer():
    return RegexTokenizer(r"\w+") | LowercaseFilter() | Bigrams()


# ---------------------------------------------------------------- judgments and metrics

def resolve(judgments: list[dict], catalog: dict[str, dict]) -> dict[tuple[str, str], int]:
    by_name: dict[str, list[dict]] = defaultdict(list)
    for d in catalog.values():
        for name in {*name_variants(d["title"]), *d["aliases"]}:
            by_name[name].append(d)
    grades: dict[tuple[str, str], int] = {}
    for j in judgments:
        grade = j.get("grade", 2)
        if "doc" in j:
            if j["doc"] not in catalog:
                raise SystemExit(f"判定引用了不存在的文档 {j['doc']}")
            grades[(j["doc"], j.get("clause", ""))] = grade
            continue
        versions = sorted(by_name.get(j["law"], []), key=lambda d: d["date"], reverse=True)
        if j.get("date"):
            versions = [d for d in versions if d["date"] == str(j["date"])]
        if not versions:
            raise SystemExit(f"判定引用了语料中没有的法规 {j['law']} {j.get('date', '')}")
        for n, d in enumerate(versions):
            key = (d["id"], j.get("clause", ""))
            grades[key] = max(grades.get(key, 0), grade if n == 0 else min(grade, 1))
    return grades


def metrics(ranked: list[tuple[str, str]], grades: dict[tuple[str, str], int]) -> dict[str, float]:
    ranked = ranked[:K]
    direct = {k for k, g in grades.items() if g == 2}
    first = next((i for i, r in enumerate(ranked, 1) if r in direct), None)
    dcg = sum((2 ** grades.get(r, 0) - 1) / math.log2(i + 1) for i, r in enumerate(ranked, 1))
    ideal = sorted(grades.values(), reverse=True)[:K]
    idcg = sum((2 ** g - 1) / math.log2(i + 1) for i, g in enumerate(ideal, 1))
    return {"MRR@10": 1 / first if first else 0.0, "nDCG@10": dcg / idcg if idcg else 0.0,
            "R@10": len(direct & set(ranked)) / len(direct) if direct else 0.0,
            "P@1": 1.0 if ranked and ranked[0] in direct else 0.0,
            "S@3": 1.0 if first and first <= 3 else 0.0, "empty": 0.0 if ranked else 1.0}


# ---------------------------------------------------------------- question sets

def everyday_questions() -> list[dict]:
    """The everyday questions, each marked with its corpus (the file it comes from) and split."""
    out = []
    for f in sorted(EVERYDAY.glob("*.yaml")):
        for item in yaml.safe_load(f.read_text(encoding="utf-8")):
            out.append(dict(item, corpus=f.stem))
    if not HOLDOUT.exists():
        # the split is made once, at random with a fixed seed, and kept: never re-drawn after tuning
        chosen = random.Random(SPLIT_SEED).sample([q["q"] for q in out], len(out) // 3)
        HOLDOUT.write_text("\n".join(sorted(chosen)) + "\n", encoding="utf-8")
    holdout = set(HOLDOUT.read_text(encoding="utf-8").splitlines())
    for item in out:
        item["split"] = "holdout" if item["q"] in holdout else "tune"
    for split in SPLITS[2:]:
        for f in sorted((EVERYDAY / split).glob("*.yaml")):
            out.extend(dict(item, corpus=f.stem, split=split) for item in yaml.safe_load(f.read_text(encoding="utf-8")))
    return out


_RANK_SCRIPT = """
import json, sys
from kb.library import Library
from kb.search import search
library = Library(sys.argv[1])
for q in json.loads(sys.stdin.read()):
    print(json.dumps([[h.doc_id, h.path] for h in search(library, q, limit=%d).hits], ensure_ascii=False))
""" % K


def rankings_of(code: Path, index: Path, questions: list[str]) -> list[list[tuple[str, str]]]:
    """The top K of each question as another checkout of the code ranks them, over the same index."""
    out = subprocess.run([sys.executable, "-c", _RANK_SCRIPT, str(index)], cwd=code, input=json.dumps(questions),
                         capture_output=True, text=True, env={"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"})
    if out.returncode:
        sys.exit(f"{code} 的代码排序失败：\n{out.stderr[-2000:]}")
    return [[tuple(r) for r in json.loads(line)] for line in out.stdout.splitlines()]


def table(scores: dict[str, dict[str, list[dict]]], groups: list[str], systems: list[str]) -> str:
    lines = [f"| group (n) | system | {' | '.join(METRICS)} |", "|---|---|" + "---|" * len(METRICS)]
    for group in groups:
        for system in systems:
            rows = scores[system].get(group)
            if not rows:
                continue
            avg = [sum(r[m] for r in rows) / len(rows) for m in METRICS[:-1]]
            empty = sum(r["empty"] for r in rows)
            lines.append(f"| {group} ({len(rows)}) | {system} | " + " | ".join(f"{v:.3f}" for v in avg) + f" | {empty:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="检索质量评测：本引擎与两个基线")
    p.add_argument("--work", default="/tmp/kb-eval", help="工作目录（导入、索引、基线索引）")
    p.add_argument("--index", help="直接使用已建好的引擎索引，不导入也不构建")
    p.add_argument("--set", choices=("dev", "everyday"), default="dev", help="开发集，或日常提问集（含 tune/holdout）")
    p.add_argument("--queries", help="另一个开发集格式的查询文件")
    p.add_argument("--split", choices=(*SPLITS, "both", "all"), default="both",
                   help="日常提问集只评测其中一份；both 为 tune 与 holdout，all 为全部")
    p.add_argument("--corpus", choices=("policies", "laws"), help="日常提问集只评测其中一类（policies 可用只含 policies/ 的索引）")
    p.add_argument("--compare", action="append", default=[], metavar="DIR",
                   help="同时评测另一份代码（如 git worktree 检出的旧版本）对同一索引的排序")
    p.add_argument("--synonyms", help="用另一份同义词表（synonyms.yaml 格式）评测：看哪些收益只来自手写的词")
    p.add_argument("--misses", action="store_true", help="列出引擎首条不是直接相关条款的查询")
    p.add_argument("--json", help="把每个查询的排名写入此文件")
    p.add_argument("--engine-only", action="store_true", help="只评测本引擎（调参时省去基线）")
    args = p.parse_args(argv)
    work = Path(args.work)
    if args.synonyms:
        import kb.query as kbquery
        kbquery.SYNONYM_FILE = Path(args.synonyms)
        kbquery.vocabulary.cache_clear()
    if args.index:
        index = Path(args.index)
    else:
        index = work / "index"
        build_engine(prepare_docs(work), index)
    build_dir = current_build(index)
    if build_dir is None:
        sys.exit(f"在 {index} 没有找到索引")
    library = Library(index)
    catalog = library.current().docs
    stamp = hashlib.sha1((build_dir / "manifest.json").read_bytes()).hexdigest()
    baselines = []
    if not args.engine_only:
        from jieba.analyse import ChineseAnalyzer

        baselines = [Baseline("jieba-or", ChineseAnalyzer(), work / "baseline-jieba", library, stamp),
                     BigramBaseline("bigram", bigram_analyzer(), work / "baseline-bigram", library, stamp)]

    if args.set == "everyday" and not args.queries:
        splits = {"both": SPLITS[:2], "all": SPLITS}.get(args.split, (args.split,))
        queries = [q for q in everyday_questions() if q["split"] in splits and args.corpus in (None, q["corpus"])]
        corpora = sorted({q["corpus"] for q in queries})
        groups = [f"{s} {g}" for s in splits for g in (*EVERYDAY_KINDS, *corpora, "overall")]
    else:
        queries = yaml.safe_load(Path(args.queries or QUERIES).read_text(encoding="utf-8"))
        groups = [*KINDS, "overall"]
    compared = {f"compare:{Path(c).name}": rankings_of(Path(c), index, [q["q"] for q in queries]) for c in args.compare}
    systems = ["engine", *compared, *(b.name for b in baselines)]
    scores = {s: defaultdict(list) for s in systems}
    dump, latency = [], []
    for i, item in enumerate(queries):
        grades = resolve(item["relevant"], catalog)
        start = time.perf_counter()
        runs = {"engine": [(h.doc_id, h.path) for h in search(library, item["q"], limit=K).hits]}
        latency.append(time.perf_counter() - start)
        runs.update({name: ranked[i] for name, ranked in compared.items()})
        for b in baselines:
            runs[b.name] = b.top(item["q"])
        if "split" in item:
            keys = [f"{item['split']} {g}" for g in (item["kind"], item["corpus"], "overall")]
        else:
            keys = [item["kind"], "overall"]
        for system, ranked in runs.items():
            m = metrics(ranked, grades)
            for key in keys:
                scores[system][key].append(m)
        m = metrics(runs["engine"], grades)
        dump.append({"q": item["q"], "kind": item["kind"], "split": item.get("split", ""), "engine": m,
                     "top": runs["engine"][:3]})
        if args.misses and m["P@1"] < 1:
            direct = sorted(k for k, g in grades.items() if g == 2)
            print(f"[{item.get('split', '')} {item['kind']}] {item['q']}  MRR={m['MRR@10']:.2f} R={m['R@10']:.2f}\n"
                  f"    want {direct[:4]}\n    got  {runs['engine'][:3]}", file=sys.stderr)
    print(f"{len(queries)} queries, {len(catalog)} documents, index {build_dir.name}\n")
    print(table(scores, groups, systems))
    latency.sort()
    print(f"\nengine latency over these queries (warm after the first): p50 {latency[len(latency) // 2] * 1000:.1f} ms, "
          f"p95 {latency[int(len(latency) * 0.95)] * 1000:.1f} ms, max {latency[-1] * 1000:.1f} ms")
    if args.json:
        Path(args.json).write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
