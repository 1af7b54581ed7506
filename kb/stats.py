"""The knowledge base's coverage in figures: documents by level, coverage and area, clauses."""
from __future__ import annotations

from collections import Counter

from .browse import clause_counts
from .library import Snapshot
from .taxonomy import taxonomy


def stats(snapshot: Snapshot) -> dict:
    tax = taxonomy()
    docs = snapshot.docs.values()
    by_area = Counter()
    for d in docs:
        for a in d["areas"]:
            by_area[a] += 1
    return {
        "documents": len(snapshot.docs),
        "clauses": snapshot.clause_count,
        "by_level": {lv: sum(1 for d in docs if d["level"] == lv) for lv in tax.levels},
        "by_coverage": {c: sum(1 for d in docs if d["coverage"] == c) for c in tax.coverages},
        "by_area": clause_counts(snapshot),
        "documents_by_area": {a.name: by_area[a.name] for a in tax.areas},
        "built": snapshot.built,
    }
