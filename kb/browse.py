"""Browsing by support area: the clauses of an area, grouped by document, straight from the index.

Read from the engine's index (which clauses carry an area) and the clause records' stored fields, so
that listing an area does not open every document.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .citation import url
from .library import Snapshot
from .taxonomy import taxonomy


@dataclass
class AreaClause:
    path: str
    label: str
    heading: str
    text: str
    url: str


@dataclass
class AreaDocument:
    doc: dict                      # the catalog entry
    clauses: list[AreaClause] = field(default_factory=list)


def clause_counts(snapshot: Snapshot) -> dict[str, int]:
    """Clauses per support area, in taxonomy order (document records not counted)."""
    counts = snapshot.engine().clause_counts("area")
    return {a.name: counts.get(a.name, 0) for a in taxonomy().areas}


def area_documents(snapshot: Snapshot, area: str) -> list[AreaDocument]:
    """Every clause of an area, grouped by document: newest document first, clauses in order."""
    rows = sorted((snapshot.record(n) for n in snapshot.engine().clauses({"area": [area]})), key=lambda f: f["ord"])
    grouped: dict[str, AreaDocument] = {}
    for f in rows:
        doc_id = f["doc_id"]
        group = grouped.setdefault(doc_id, AreaDocument(snapshot.docs[doc_id]))
        group.clauses.append(AreaClause(f["path"], f["label"], f["heading"], f["text"], url(doc_id, f["path"])))
    return sorted(grouped.values(), key=lambda g: (g.doc["date"], g.doc["id"]), reverse=True)
