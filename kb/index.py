"""The build: the clause-level index's records, and the atomic, incremental build that writes them.

The folder layout is described in kb/layout.py. A build writes a new folder (hard links of the
previous build's immutable files plus new segments, written through kb/engine/writing.py) and only
then swaps `current`, so readers never see a half-written index and a
failed or killed build leaves the previous one serving. Tests stop a build at each of its phases
through kb/faults.py.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import changes, faults, segment
from .check import check_paths, policy_files
from .engine.writing import Writer, write_part
from .layout import BUILDS, CURRENT, DOCS, SCHEMA_VERSION, current_build, document_intact, document_name, read_json
from .model import Document, Problem
from .workers import count as worker_count, pool as workers_pool
from .refs import doc_number_key
from .schema import FRONT_MATTER

LOCK = ".build.lock"


class BuildError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class BuildSummary:
    documents: int = 0
    clauses: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)     # unchanged documents whose stored file was torn
    seconds: float = 0.0
    full: bool = False
    build: str = ""

    def text(self) -> str:
        if not (self.added or self.changed or self.removed or self.repaired) and not self.full:
            return f"索引已是最新：{self.documents} 个文档，{self.clauses} 个条款（{self.seconds:.2f} 秒）"
        kind = "全量构建" if self.full else "增量更新"
        repaired = f"，修复损坏的文档文件 {len(self.repaired)}" if self.repaired else ""
        return (f"{kind}完成：{self.documents} 个文档，{self.clauses} 个条款；新增 {len(self.added)}，"
                f"更新 {len(self.changed)}，删除 {len(self.removed)}{repaired}；用时 {self.seconds:.2f} 秒")


def _join(values) -> str:
    return ",".join(v.replace(",", " ") for v in values)


def records(doc: Document) -> list[dict]:
    """The index records of a document: one for the document itself, one per clause."""
    names = " ".join([doc.title, doc.short_title, *doc.aliases])
    title_t = segment.presegment(names)
    all_areas = sorted(set(doc.areas).union(*(c.areas for c in doc.clauses)))
    about = "\n".join(p for p in (doc.summary, doc.preamble, doc.coverage_note) if p)
    out = [dict(doc_id=doc.id, uid=doc.id, kind="doc", path="", label="", heading=doc.title, text=about, ord=0,
                title_t=title_t, heading_t="", text_t=segment.presegment(about), areas=_join(all_areas),
                enterprise="")]
    for n, clause in enumerate(doc.clauses, 1):
        meta = clause.meta
        extra = " ".join(str(meta[k]) for k in ("region", "amount", "rate", "period", "deadline", "department")
                         if meta.get(k))
        heading = " ".join([clause.heading, *clause.context])
        out.append(dict(doc_id=doc.id, uid=f"{doc.id}/{clause.path}", kind="clause", path=clause.path,
                        label=clause.label, heading=clause.display_heading, text=clause.text, ord=n,
                        title_t=title_t, heading_t=segment.presegment(heading),
                        text_t=segment.presegment(f"{clause.text} {extra}"), areas=_join(clause.areas),
                        enterprise=_join(map(str, meta.get("enterprise") or []))))
    return out


def catalog_entry(doc: Document, relpath: str, json_name: str) -> dict:
    """The front-matter fields the schema puts in the catalog (kb/schema.py), and what lists need besides:
    the areas of the clauses too, the 文号's key, the file's names."""
    entry = {f.key: f.to_json(getattr(doc, f.key)) for f in FRONT_MATTER if f.catalog}
    return dict(entry, json=json_name, doc_no_key=doc_number_key(doc.doc_no),
                areas=sorted(set(doc.areas).union(*(c.areas for c in doc.clauses))),
                clauses=len(doc.clauses), file=relpath)


# ---------------------------------------------------------------- files and folders

def _write_file(path: Path, data: bytes) -> None:
    """Write a new file, synced before it takes the name (never in place: files may be hard links
    shared with the previous build, or read by a reader now). The caller syncs the folder."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _json_bytes(data) -> bytes:
    # dumps, not dump: dump encodes in pure Python, several times slower on a province's catalog
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _write_json(path: Path, data) -> None:
    _write_file(path, _json_bytes(data))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_tree(src: Path, dst: Path) -> None:
    for item in src.rglob("*"):
        target = dst / item.relative_to(src)
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not item.name.endswith("LOCK"):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(item, target)


def _swap(root: Path, build: Path) -> None:
    tmp = root / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(Path(BUILDS) / build.name, tmp)
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)


def _prune(root: Path, keep: set[Path], named: set[str]) -> None:
    """Remove builds that are neither the new one nor the one serving until now (readers may still
    hold it), and the document files that neither names."""
    for old in (root / BUILDS).iterdir():
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for f in (root / DOCS).iterdir():
        if f.name not in named:
            f.unlink(missing_ok=True)


def _write_document(root: Path, doc: Document) -> str:
    """Store a document's JSON under a name of its content; return the name. A file of that name is
    reused only when it holds that content: one torn by a crash is written again."""
    data = _json_bytes(doc.to_json())
    name = document_name(doc.id, data)
    path = root / DOCS / name
    try:
        if path.read_bytes() == data:
            return name
    except FileNotFoundError:
        pass
    _write_file(path, data)
    return name


def _torn_documents(root: Path, catalog: dict) -> list[str]:
    """Source files (relative paths) of the catalog's documents whose document file is missing or
    does not hold what its name says."""
    torn = []
    for entry in catalog.get("docs", {}).values():
        try:
            data = (root / DOCS / entry["json"]).read_bytes()
        except FileNotFoundError:
            data = b""
        if not document_intact(entry["json"], data):
            torn.append(entry["file"])
    return sorted(torn)


@contextmanager
def build_lock(root: Path, out=sys.stderr):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"另一个构建正在写入 {root}，等待它结束……", file=out, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# ---------------------------------------------------------------- building

def _fingerprint(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _records_of(docs: list[Document], halfway: str):
    """The records of the documents in turn, reaching the fault phase `halfway` at half of them."""
    for n, doc in enumerate(docs):
        if n == len(docs) // 2:
            faults.reach(halfway)
        yield from records(doc)


def _write_part(folder: Path, root: Path, docs: list[Document], workers: int) -> tuple[object, list[str]]:
    """One process's share of a large build: its documents' records as one new segment, and each
    document's JSON stored. The segment is returned uncommitted: the parent, holding the index lock,
    adds every part's segment to the index in one commit."""
    part = write_part(folder, _records_of(docs, faults.MID_WORKER_SEGMENT),
                      sum(len(doc.clauses) + 1 for doc in docs), workers)
    return part, [_write_document(root, doc) for doc in docs]


def _write_parts(folder: Path, root: Path, docs: list[Document], workers: int, bar, entries: dict,
                 rel_of: dict[str, str]) -> list:
    """Write the documents as one segment per worker process (each more segment is one more lookup
    per word when searching); the parts are balanced by their number of clauses."""
    parts: list[list[Document]] = [[] for _ in range(workers)]
    sizes = [0] * len(parts)
    for doc in sorted(docs, key=lambda d: -len(d.clauses)):
        i = sizes.index(min(sizes))
        parts[i].append(doc)
        sizes[i] += len(doc.clauses) + 1
    parts = [p for p in parts if p]
    segments = []
    pool = workers_pool(workers)
    try:
        futures = {pool.submit(_write_part, folder, root, part, workers): part for part in parts}
        for future in as_completed(futures):
            segment, names = future.result()
            segments.append(segment)
            for doc, name in zip(futures[future], names):
                entries[doc.id] = catalog_entry(doc, rel_of[doc.id], name)
            bar.update(len(futures[future]))
    except BaseException:
        # a stop (the preview's SIGTERM reaches this process alone) or a part that failed: the other
        # parts are not waited for. Every part is running already (one part per worker, all handed
        # out at once), which shutdown's cancel_futures does not stop, so the workers are killed, as
        # kill -9 of the build would kill them; the pool has no public way to. What they leave is in
        # the new build's folder, which the caller removes once shutdown has reaped them.
        for process in list(pool._processes.values()):
            process.kill()
        raise
    finally:
        pool.shutdown()
    return segments


def build(policies: Path, root: Path, full: bool = False, progress: bool | None = None,
          out=sys.stderr) -> BuildSummary:
    """Build or update the index under root from the documents in policies.

    Raises BuildError with every problem when a document is invalid; the index is then untouched.
    """
    start = time.perf_counter()
    policies, root = Path(policies), Path(root)
    if not policies.is_dir():
        raise BuildError([Problem(str(policies), 0, "政策文件目录不存在")])
    with build_lock(root, out):
        serving = current_build(root)
        serving_catalog = read_json(serving / "catalog.json", {}) if serving else {}
        # the document files the serving build names stay while it may still be read
        serving_names = {e.get("json") for e in serving_catalog.get("docs", {}).values()}
        previous = None if full or serving_catalog.get("schema") != SCHEMA_VERSION else serving
        old_manifest = read_json(previous / "manifest.json", {}) if previous else {}
        files = {f.relative_to(policies).as_posix(): f for f in policy_files([policies])}
        manifest, changed_files = {}, []
        for rel, path in files.items():
            entry = old_manifest.get(rel)
            fp = _fingerprint(path)
            if entry and {k: entry[k] for k in fp} == fp:
                manifest[rel] = entry
                continue
            sha = _sha1(path)
            if entry and entry["sha1"] == sha:
                manifest[rel] = dict(entry, **fp)
                continue
            changed_files.append(rel)
            manifest[rel] = dict(fp, sha1=sha)
        removed_files = [rel for rel in old_manifest if rel not in files]
        # a document file torn by a crash (or by a build of an older version, which did not sync it)
        # is written again from its source, as if the source had changed
        repaired = [rel for rel in (_torn_documents(root, serving_catalog) if previous else [])
                    if rel in files and rel not in changed_files]
        changed_files += repaired
        known_ids = {e["doc_id"]: rel for rel, e in manifest.items() if rel not in changed_files and "doc_id" in e}
        docs, problems = check_paths([files[rel] for rel in changed_files],
                                     known_ids={k: str(files[v]) for k, v in known_ids.items()})
        if problems:
            raise BuildError(problems)

        summary = BuildSummary(full=previous is None)
        rel_of = {d.id: Path(d.source_path).relative_to(policies).as_posix() for d in docs}
        by_rel = {rel_of[d.id]: d for d in docs}
        for rel in changed_files:
            manifest[rel]["doc_id"] = by_rel[rel].id
            (summary.repaired if rel in repaired else summary.changed if rel in old_manifest
             else summary.added).append(by_rel[rel].id)
        summary.removed = [old_manifest[rel]["doc_id"] for rel in removed_files]
        if previous and not changed_files and not removed_files:
            summary.documents, summary.clauses = len(serving_catalog["docs"]), serving_catalog["clauses"]
            summary.build = previous.name
            summary.seconds = time.perf_counter() - start
            return summary

        builds = root / BUILDS
        builds.mkdir(parents=True, exist_ok=True)
        (root / DOCS).mkdir(exist_ok=True)
        name = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f") + f"-{os.getpid()}"
        new = builds / f".{name}.partial"
        # whatever fails (a full disk while writing the catalog too), no half-written build is left
        try:
            if previous:
                _link_tree(previous, new)
            else:
                new.mkdir()
            faults.reach(faults.PARTIAL_MADE)
            entries = serving_catalog.get("docs", {}) if previous else {}

            workers = worker_count(len(docs))
            writer = Writer(new, new=previous is None)
            try:
                old_ids = [old_manifest[rel]["doc_id"] for rel in removed_files + changed_files if rel in old_manifest]
                for doc_id in old_ids:
                    writer.delete_document(doc_id)
                    entries.pop(doc_id, None)
                bar = tqdm(total=len(docs), desc="索引文档", unit="篇", disable=True if progress is False else None,
                           file=out, leave=False)
                with bar:
                    if workers > 1:
                        writer.commit(_write_parts(new, root, docs, workers, bar, entries, rel_of))
                    else:
                        for n, doc in enumerate(docs):
                            if n == len(docs) // 2:
                                faults.reach(faults.MID_SEGMENT)
                            for rec in records(doc):
                                writer.add(rec)
                            entries[doc.id] = catalog_entry(doc, rel_of[doc.id], _write_document(root, doc))
                            bar.update()
                        writer.commit()
            except BaseException:
                writer.cancel()
                raise
            summary.documents = len(entries)
            summary.clauses = sum(e["clauses"] for e in entries.values())
            _write_json(new / "catalog.json", {"schema": SCHEMA_VERSION, "built": dt.datetime.now().isoformat(timespec="seconds"),
                                               "docs": entries, "clauses": summary.clauses})
            _write_json(new / "manifest.json", manifest)
            # the change record goes with the build it describes (kb/changes.py): the serving one's, and this one's
            before = read_json(serving / "manifest.json", {}) if serving else {}
            step = changes.entry(before, manifest, dt.datetime.now().astimezone())
            _write_json(new / changes.CHANGES, changes.recorded(changes.read(serving) if serving else [], step))
            _fsync_dir(new)
            _fsync_dir(root / DOCS)
            faults.reach(faults.CATALOG_WRITTEN)
            final = builds / name
            os.rename(new, final)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        _swap(root, final)
        faults.reach(faults.SWAPPED)
        _prune(root, {final.resolve()} | ({serving.resolve()} if serving else set()),
               serving_names | {e["json"] for e in entries.values()})
        summary.build = name
        summary.seconds = time.perf_counter() - start
        return summary
