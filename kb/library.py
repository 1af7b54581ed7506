"""The served index as the rest of the product sees it: catalog, documents, the query engine.

It follows the index folder's `current` link, so a rebuild is picked up by the next call
without a restart. Whoosh readers are per thread (they are not shared across threads).
"""
from __future__ import annotations

import os
import threading
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from . import records
from .engine import Engine
from .layout import CURRENT, IndexUnavailable, open_build, read_document
from .model import Document
from .refs import name_variants
from .segment import normalise


RECORD_CACHE = 4_000      # records' stored fields and normalised text kept per build (bench/limits.py --memory)


class Build:
    """One opened build: immutable once loaded."""

    def __init__(self, root: Path):
        self.path, self.ix, catalog = open_build(root)
        self.docs: dict[str, dict] = catalog.get("docs", {})
        self.built = catalog.get("built", "")
        self.clause_count = catalog.get("clauses", 0)
        self.local = threading.local()
        self.names: dict[str, list[str]] = defaultdict(list)
        for doc_id, d in self.docs.items():
            for name in {*name_variants(d["title"]), d["short_title"], *d["aliases"]} - {""}:
                self.names[name].append(doc_id)
        self.names_by_start: dict[str, list[str]] = defaultdict(list)
        for name in self.names:
            self.names_by_start[name[:2]].append(name)
        self.latest = _latest_versions(self.docs)
        self.document = lru_cache(maxsize=256)(self._document)
        # the stored fields of a record (read-only), kept for the records that busy queries rank
        self.record = lru_cache(maxsize=RECORD_CACHE)(self._record)
        self.record_text = lru_cache(maxsize=RECORD_CACHE)(self._record_text)
        self.names_text = lru_cache(maxsize=None)(self._names_text)
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()

    def engine(self) -> Engine:
        """The query engine over this build, made on first use (a listing needs none)."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    reader = self.ix.reader()
                    self._engine = Engine(reader, records.load(reader, self.path, list(self.docs)), self.docs)
        return self._engine

    def reader(self):
        """This thread's Whoosh reader (Whoosh reads its files by seeking: one per thread)."""
        r = getattr(self.local, "reader", None)
        if r is None:
            r = self.local.reader = self.ix.reader()
        return r

    def _record(self, docnum: int) -> dict:
        return self.reader().stored_fields(docnum)

    def _record_text(self, docnum: int) -> tuple[str, str]:
        """(names, heading and text; the text alone) of a record, normalised: where ranking looks
        for the query's words."""
        f = self.record(docnum)
        text = normalise(f["text"])
        return " ".join([self.names_text(f["doc_id"]), normalise(f["heading"]), text]), text

    def _document(self, doc_id: str) -> Document | None:
        if doc_id not in self.docs:
            return None
        return Document.from_json(read_document(self.path.parent.parent, self.docs[doc_id]["json"]))

    def _names_text(self, doc_id: str) -> str:
        """A document's title, short title and aliases, normalised: where query words are looked for."""
        d = self.docs[doc_id]
        return normalise(" ".join([d["title"], d["short_title"], *d["aliases"]]))

    def names_in(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every document name found in text, longest first."""
        found = []
        for i in range(len(text) - 1):
            for name in self.names_by_start.get(text[i:i + 2], ()):
                if text.startswith(name, i):
                    found.append((i, i + len(name), name))
        return sorted(found, key=lambda f: (-(f[1] - f[0]), f[0]))


def _latest_versions(docs: dict[str, dict]) -> set[str]:
    """Ids of the newest version among documents sharing a title (laws have several)."""
    by_title: dict[str, list[dict]] = defaultdict(list)
    for d in docs.values():
        by_title[d["title"]].append(d)
    return {max(group, key=lambda d: d["date"])["id"] for group in by_title.values()}


class Library:
    def __init__(self, root: str | Path = "index"):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._build: Build | None = None
        self._target: str | None = None

    def build(self) -> Build:
        """The build being served now (reopened when `current` has moved)."""
        try:
            target = os.readlink(self.root / CURRENT)
        except OSError:
            target = None
        if self._build is None or target != self._target:
            with self._lock:
                if self._build is None or target != self._target:
                    if target is None:
                        raise IndexUnavailable(f"在 {self.root} 没有找到索引，请先运行 python build_index.py")
                    self._build = Build(self.root)
                    self._target = target
        return self._build
