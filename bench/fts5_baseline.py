"""The SQLite FTS5 baseline: the same clause records, pre-segmented with kb.segment, in one table."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from kb import segment
from kb.library import Library
from kb.query import parse


def clause_records(index: Path):
    """(uid, title, heading, text) of every clause of a built index."""
    snapshot = Library(index).current()
    for doc_id in snapshot.docs:
        doc = snapshot.document(doc_id)
        for c in doc.clauses:
            yield f"{doc_id}/{c.path}", doc.title, c.display_heading, c.text


def _tokens(text: str) -> str:
    return " ".join(segment.words(text))


def build(index: Path, db_path: Path) -> float:
    start = time.perf_counter()
    db_path.unlink(missing_ok=True)
    con = sqlite3.connect(db_path)
    con.execute("CREATE VIRTUAL TABLE clauses USING fts5(uid UNINDEXED, title, heading, body, raw UNINDEXED)")
    con.executemany("INSERT INTO clauses VALUES (?,?,?,?,?)",
                    ((uid, _tokens(t), _tokens(h), _tokens(x), x) for uid, t, h, x in clause_records(index)))
    con.commit()
    con.close()
    return time.perf_counter() - start


def fts_query(q: str) -> str | None:
    """All query concepts required, like the engine; a concept's alternatives OR-ed."""
    parts = []
    for concept in parse(q).concepts:
        alts = ['"' + _tokens(w).replace('"', "") + '"' for w in concept.words if _tokens(w)]
        if alts:
            parts.append("(" + " OR ".join(alts) + ")")
    return " AND ".join(parts) or None


class Searcher:
    def __init__(self, db_path: Path):
        self.con = sqlite3.connect(db_path, check_same_thread=False)

    def search(self, q: str, limit: int = 10) -> list[tuple[str, str]]:
        expr = fts_query(q)
        if not expr:
            return []
        sql = ("SELECT uid, snippet(clauses, 3, '<mark>', '</mark>', '…', 40) FROM clauses "
               "WHERE clauses MATCH ? ORDER BY bm25(clauses, 1.5, 2.0, 1.0) LIMIT ?")
        try:
            return self.con.execute(sql, (expr, limit)).fetchall()
        except sqlite3.OperationalError:
            return []
