"""The served index as the rest of the product sees it: catalog, documents, the engine's index.

It follows the index folder's `current` link, so a rebuild is picked up by the next call
without a restart. Opened with one Settings (kb/limits.py): the search limits and the caches.
"""
from __future__ import annotations

import os
import threading
from collections import defaultdict
from functools import cached_property, lru_cache
from pathlib import Path

from . import asked, rank
from .engine import Index
from .layout import CURRENT, IndexUnavailable, open_build, read_document
from .limits import Settings
from .model import Document
from .refs import name_variants
from .segment import normalise


class Snapshot:
    """The library as one build left it, opened: its catalog, its documents, the engine's index of its
    records. Immutable once loaded; Library.current() gives the one being served."""

    def __init__(self, root: Path, settings: Settings):
        self.path, catalog = open_build(root)
        self.docs: dict[str, dict] = catalog.get("docs", {})
        self.built = catalog.get("built", "")
        self.clause_count = catalog.get("clauses", 0)
        self.names: dict[str, list[str]] = defaultdict(list)
        for doc_id, d in self.docs.items():
            for name in {*name_variants(d["title"]), d["short_title"], *d["aliases"]} - {""}:
                self.names[name].append(doc_id)
        self.names_by_start: dict[str, list[str]] = defaultdict(list)
        for name in self.names:
            self.names_by_start[name[:2]].append(name)
        self.latest = _latest_versions(self.docs)
        self.doc_weights = {i: rank.doc_weight(d, i in self.latest) for i, d in self.docs.items()}
        self._index = Index(self.path, self.docs, settings.postings_cache, list(self.doc_weights.values()))
        self.document = lru_cache(maxsize=256)(self._document)
        # the stored fields of a record (read-only), kept for the records that busy queries rank
        self.record = lru_cache(maxsize=settings.record_cache)(self._index.record)
        self.record_text = lru_cache(maxsize=settings.record_cache)(self._record_text)
        self.names_text = lru_cache(maxsize=None)(self._names_text)

    def engine(self) -> Index:
        """The engine's index of this snapshot's records (its arrays are loaded on the first search)."""
        return self._index

    @cached_property
    def asked_records(self) -> dict[tuple[str, str], list[int]]:
        """The clause records that recorded everyday questions are kept for (kb/asked.yaml), by (document
        title, clause): every version of a law shares its questions."""
        titles = asked.titles()
        out: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n, doc_id, path, label in self._index.clause_records(i for i, d in self.docs.items() if d["title"] in titles):
            if key := asked.key_of(self.docs[doc_id]["title"], label, path):
                out[key].append(n)
        return dict(out)

    def _record_text(self, record_id: int) -> tuple[str, str]:
        """(names, heading and text; the text alone) of a record, normalised: where ranking looks
        for the query's words."""
        f = self.record(record_id)
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
    def __init__(self, root: str | Path = "index", settings: Settings = Settings()):
        self.root = Path(root)
        self.settings = settings
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._target: str | None = None

    def current(self) -> Snapshot:
        """The snapshot of the build being served now (reopened when `current` has moved)."""
        try:
            target = os.readlink(self.root / CURRENT)
        except OSError:
            target = None
        if self._snapshot is None or target != self._target:
            with self._lock:
                if self._snapshot is None or target != self._target:
                    if target is None:
                        raise IndexUnavailable(f"在 {self.root} 没有找到索引，请先运行 python build_index.py")
                    self._snapshot = Snapshot(self.root, self.settings)
                    self._target = target
        return self._snapshot
