"""The query engine: a parsed query scored over whole posting lists at once.

Whoosh holds the index (terms, postings, field lengths, stored fields); this module reads a term's
postings as arrays (kb/postings.py) and does the arithmetic with numpy over every record of the
build: BM25F as Whoosh defines it, each concept a sum over its forms and fields, required concepts
intersected, filters and facets as masks and counts. A query costs a few array operations per word,
where Whoosh's matchers step through every matching record in Python.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import segment
from .postings import Postings
from .query import FIELDS, OPTIONAL_BOOST, Concept, ParsedQuery
from .records import Records

B, K1 = 0.75, 1.2            # Whoosh's BM25F defaults
TILED_BOOST = 0.3            # a word found as the dictionary words that tile it (银行的贷款 for 银行贷款)
DOC_FIELDS = ("level", "status", "coverage", "type")      # a document's, filtered on as given


@dataclass
class Scored:
    """What a query matched: a mask over all records and the text score of each."""
    mask: np.ndarray
    score: np.ndarray

    @property
    def count(self) -> int:
        return int(np.count_nonzero(self.mask))

    def top(self, n: int, first: np.ndarray | None = None) -> np.ndarray:
        """Record numbers of the n best matches, best first: by `first` (a sort key, higher first)
        when given, then by score, then by record number."""
        where = np.flatnonzero(self.mask)
        score = -self.score[where]
        if first is None and len(where) > n:
            keep = np.argpartition(score, n - 1)[:n]
            where, score = where[keep], score[keep]
        keys = (where, score) if first is None else (where, score, -first[where])
        return where[np.lexsort(keys)][:n]


class Engine:
    """Scoring over one opened build; shared by its threads (arrays are only read)."""

    def __init__(self, reader, records: Records, docs: dict[str, dict]):
        self.records = records
        self.postings = Postings(reader)
        self.size = len(records)
        live = records.live
        self.count = int(np.count_nonzero(live))
        # Whoosh's average: every record's exact length (the per-record ones are rounded to a byte)
        self.avg = {f: reader.field_length(f) / max(self.size, 1) for f, _ in FIELDS}
        self.norm = {f: K1 * ((1 - B) + B * records.lengths[f] / (self.avg[f] or 1.0)) for f, _ in FIELDS}
        self.doc_list = list(docs.values())
        self.doc_values = {key: [d.get(key) or "" for d in self.doc_list] for key in DOC_FIELDS}
        self.doc_values["issuer"] = [d["issuers"] for d in self.doc_list]
        self.doc_dates = np.array([d["date"] or "" for d in self.doc_list])

    # ------------------------------------------------------------ words

    def frequency(self, term: str, field: str = "text_t") -> int:
        ids, _ = self._term(field, term)
        return int(np.count_nonzero(self.records.live[ids]))

    def concept_frequency(self, concept: Concept) -> int:
        """About how many records hold the concept: for each form its rarest word, the commonest form."""
        return max((min(self.frequency(t) for t in tokens) for tokens in concept.forms()), default=0)

    def _term(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(records, BM25 scores) of a term in a field."""
        return self.postings.get(field, term, self._bm25)

    def _bm25(self, field: str, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """A term's scores, fixed for a build: worked out once, when its postings are read."""
        # Whoosh's idf: log(N / (df + 1)) + 1 over all records of the index
        idf = math.log(self.size / (len(ids) + 1)) + 1
        return (idf * tf * (K1 + 1) / (tf + self.norm[field][ids])).astype(np.float32)

    def _all_of(self, tokens: list[str], fields) -> tuple[np.ndarray, np.ndarray]:
        """Records holding every token within one of the fields, and the sum of their scores there."""
        mask = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float32)
        for field, boost in fields:
            if len(tokens) == 1:
                ids, s = self._term(field, tokens[0])
                mask[ids] = True
                score[ids] += s * boost
                continue
            here = np.ones(self.size, dtype=bool)
            total = np.zeros(self.size, dtype=np.float32)
            for t in tokens:
                ids, s = self._term(field, t)
                has = np.zeros(self.size, dtype=bool)
                has[ids] = True
                here &= has
                total[ids] += s
            mask |= here
            score += np.where(here, total * boost, 0)
        return mask, score

    def concept(self, concept: Concept) -> tuple[np.ndarray, np.ndarray]:
        """Records holding the concept in any of its forms, and their summed score (as Whoosh's Or)."""
        mask = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float32)
        for tokens in concept.forms():
            m, s = self._all_of(tokens, FIELDS)
            tiles = segment.pieces(tokens[0])
            # the tiling counts only where the word itself is not indexed (the text split it
            # otherwise: 银行的贷款), and only when each tile is a word: 试用 and 期 are in most
            # clauses that never speak of 试用期
            if len(tokens) == 1 and len(tiles) > 1 and min(map(len, tiles)) > 1:
                tm, ts = self._all_of(list(tiles), [("text_t", TILED_BOOST)])
                tm &= ~m
                m |= tm
                s += np.where(tm, ts, 0)
            mask |= m
            score += s
        return mask, score

    def match(self, parsed: ParsedQuery, require_all: bool, allowed: np.ndarray) -> Scored | None:
        """Every required concept (or, relaxed, any concept), optional ones adding to the score."""
        required = [c for c in parsed.concepts if c.required]
        optional = [c for c in parsed.concepts if not c.required]
        if not required and not optional:
            return None
        if not require_all or not required:
            required, optional = [], required + optional
            mask = np.zeros(self.size, dtype=bool)
        else:
            mask = allowed.copy()
        score = np.zeros(self.size, dtype=np.float32)
        for c in required:
            m, s = self.concept(c)
            mask &= m
            score += s
        for c in optional:
            m, s = self.concept(c)
            if required:
                score += OPTIONAL_BOOST * s
            else:
                mask |= m
                score += s
        return Scored(mask & allowed, score)

    # ------------------------------------------------------------ filters and facets

    def allowed(self, filters: dict[str, list[str]]) -> np.ndarray:
        """Live records passing every filter (values within one filter are alternatives)."""
        r = self.records
        mask = r.live.copy()
        for key, values in filters.items():
            if key in ("area", "enterprise"):
                mask &= r.bit_mask("areas" if key == "area" else "enterprise", values)
                continue
            wanted = set(values)
            docs = np.array([bool(wanted & set(v)) if isinstance(v, list) else v in wanted
                             for v in self.doc_values[key]], dtype=bool)
            mask &= docs[r.doc] if len(docs) else False
        return mask

    def facets(self, mask: np.ndarray, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
        r = self.records
        out: dict[str, dict[str, int]] = {}
        per_doc = np.bincount(r.doc[mask], minlength=len(self.doc_list))
        present = np.flatnonzero(per_doc)
        for name in names:
            if name in ("areas", "enterprise"):
                out[name] = r.bit_counts(name, mask)
                continue
            counts: dict[str, int] = {}
            for i in present:
                values = self.doc_values[name][i]
                for v in values if isinstance(values, list) else [values]:
                    if v:
                        counts[v] = counts.get(v, 0) + int(per_doc[i])
            out[name] = counts
        return out

    def dates(self) -> np.ndarray:
        """A sort key per record: its document's date (ISO text ranks as it reads; a missing date
        first); records of the same date share it, so that their scores order them."""
        _, rank = np.unique(self.doc_dates, return_inverse=True)
        return rank.astype(np.float64)[self.records.doc]
