"""Scoring: a parsed query scored over whole posting lists at once.

Whoosh holds the index (terms, postings, field lengths, stored fields); this module reads a term's
postings as arrays (kb/engine/postings.py) and does the arithmetic with numpy: BM25F as Whoosh defines
it, each concept a sum over its forms and fields, required concepts intersected, filters and facets as
masks and counts. A concept is its records' sorted ids and their scores, and a query is worked out over
the records its concepts hold, not over every record of the build. A query costs a few array
operations per word, where Whoosh's matchers step through every matching record in Python.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import segment, thesaurus, wordfreq
from ..filters import BY_KEY, FACETS, FILTERS, choices
from ..query import FIELDS, OPTIONAL_BOOST, Concept, ParsedQuery
from .postings import Postings
from .records import Records

B, K1 = 0.75, 1.2            # Whoosh's BM25F defaults
TILED_BOOST = 0.3            # a word found as the dictionary words that tile it (银行的贷款 for 银行贷款)
SUBWORD_BOOST = 0.3          # a record holding only the longest word inside a typed word (加班 of 加班费)
SUBWORD_COVER = 0.5          # and the share of the concept it covers
SPARSE_UNION = 16            # fewer records than 1/16 of the index are sorted or bisected, not spread over all
TAG_BOOST = 1.0              # a record tagged with what a word names scores as the word once in its text


@dataclass
class Scored:
    """What a query matched: the matching records (sorted ids), the text score of each, and the share
    of the query it covers (each required concept weighted by how distinctive it is; 1 when it holds
    all), each array in the order of ids."""
    ids: np.ndarray
    score: np.ndarray
    cover: np.ndarray
    weights: dict[str, float]      # each required concept's weight in the cover


def _pairs(per_doc: list) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A document filter's values as (document, value) pairs, and the values' names: a facet's counts
    are then one bincount over the matched records' documents, whatever their number."""
    names: dict[str, int] = {}
    docs, values = [], []
    for i, value in enumerate(per_doc):
        for v in value if isinstance(value, list) else [value]:
            if v:
                docs.append(i)
                values.append(names.setdefault(v, len(names)))
    return np.array(docs, dtype=np.intp), np.array(values, dtype=np.intp), list(names)


def top(key: np.ndarray, n: int, among: np.ndarray | None = None, first: np.ndarray | None = None) -> np.ndarray:
    """Positions of the n best of sorted records (of those `among` selects, when given), best first:
    by `first` (a sort key, higher first) when given, then by key, then by record number."""
    where = np.arange(len(key)) if among is None else np.flatnonzero(among)
    key = -key[where]
    if first is None and len(where) > n:
        # every record tied with the n-th is kept, so that the record number decides among them
        # (argpartition would keep any of them: the n best would then depend on n)
        keep = key <= np.partition(key, n - 1)[n - 1]
        where, key = where[keep], key[keep]
    keys = (where, key) if first is None else (where, key, -first[where])
    return where[np.lexsort(keys)][:n]


def _add(into: np.ndarray, at: np.ndarray | slice, values) -> None:
    """into[at] += values, at naming each place once: np.add.at takes half the time of += through an
    array of places, and many times as long over a slice."""
    if isinstance(at, slice):
        into[at] += values
    else:
        np.add.at(into, at, values)


class Scorer:
    """Scoring over one opened build; shared by its threads (arrays are only read)."""

    def __init__(self, reader, records: Records, docs: dict[str, dict], postings_cache: int):
        self.records = records
        self.postings = Postings(reader, postings_cache)
        self.size = len(records)
        live = records.live
        self.count = int(np.count_nonzero(live))
        # Whoosh's average: every record's exact length (the per-record ones are rounded to a byte)
        self.avg = {f: reader.field_length(f) / max(self.size, 1) for f, _ in FIELDS}
        self.norm = {f: K1 * ((1 - B) + B * records.lengths[f] / (self.avg[f] or 1.0)) for f, _ in FIELDS}
        self.doc_list = list(docs.values())
        # each document filter's value per document, in catalog order (a list for issuers)
        self.doc_values = {f.key: [d.get(f.field) or "" for d in self.doc_list] for f in FILTERS if not f.tagged}
        self.doc_dates = np.array([d["date"] or "" for d in self.doc_list])
        self.doc_facets = {f.key: _pairs(self.doc_values[f.key]) for f in FACETS if not f.tagged}
        wordfreq.load()
        thesaurus.load()

    # ------------------------------------------------------------ words

    def frequency(self, term: str, field: str = "text_t") -> int:
        ids, _ = self._term(field, term)
        return int(np.count_nonzero(self.records.live[ids]))

    def token_frequency(self, word: str) -> int:
        """About how many records hold the word as one indexed word, from the term entries alone."""
        return max(self.postings.frequency(f, word) for f, _ in FIELDS)

    def rough_frequency(self, concept: Concept) -> int:
        """About how many records hold the concept, read from the term entries alone (deleted records
        counted, postings not decoded): for each form its rarest word, the commonest form."""
        return max((min(map(self.token_frequency, tokens)) for tokens, _ in concept.forms()), default=0)

    def holds(self, concept: Concept) -> bool:
        """Whether any record might hold the concept: each word of one of its forms (or of the words
        tiling it) is indexed, or a record carries what it names. Read from the term entries alone,
        and so approximate: the words of a form may still never meet in one record."""
        if concept.tags and self.records.bit_mask(concept.tags[0], list(concept.tags[1])).any():
            return True

        def indexed(tokens) -> bool:
            return all(map(self.token_frequency, tokens))

        return any(indexed(tokens) or len(tokens) == 1 and len(tiles := segment.pieces(tokens[0])) > 1
                   and min(map(len, tiles)) > 1 and indexed(tiles) for tokens, _ in concept.forms())

    def everyday_factor(self, concept: Concept) -> float:
        """Below 1 for a typed word far rarer in the documents than in general Chinese (这样, 突然):
        how the asker talks, whose rarity here says nothing of what is asked (kb/wordfreq.py)."""
        if concept.phrase or concept.tags:
            return 1.0
        share = self.postings.frequency("text_t", concept.word) / max(self.size * self.avg["text_t"], 1.0)
        return wordfreq.everyday_factor(concept.word, share)

    def rough_weight(self, concept: Concept) -> float:
        """A concept's weight in a query's cover (as match() gives it) from the term entries alone:
        to choose a long question's words before any is searched."""
        return self.idf(self.rough_frequency(concept)) * self.everyday_factor(concept)

    def idf(self, count: int) -> float:
        """Whoosh's idf of a word that count records hold (log(N / (df + 1)) + 1)."""
        return math.log(self.size / (count + 1)) + 1

    def _term(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(records, BM25 scores) of a term in a field."""
        return self.postings.get(field, term, self._bm25)

    def _bm25(self, field: str, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """A term's scores, fixed for a build: worked out once, when its postings are read."""
        # Whoosh's idf: log(N / (df + 1)) + 1 over all records of the index
        idf = self.idf(len(ids))
        return (idf * tf * (K1 + 1) / (tf + self.norm[field][ids])).astype(np.float32)

    def _all_of(self, tokens: list[str], fields) -> tuple[np.ndarray, np.ndarray]:
        """(records, scores) of the records holding every token within one of the fields, and the
        sum of their scores there: sorted ids, as short as the rarest token makes them."""
        found_ids, found_scores = [], []
        for field, boost in fields:
            # the records holding every token, kept token by token, the scores summed as they go;
            # few records are looked up in the next token's by bisection, many in an array over
            # every record (a bisection of each costs more than the pass)
            ids, total = self._term(field, tokens[0])
            for t in tokens[1:]:
                if not len(ids):
                    break
                other, s = self._term(field, t)
                if len(ids) * SPARSE_UNION < self.size and len(other):
                    at = np.minimum(np.searchsorted(other, ids), len(other) - 1)
                    keep = other[at] == ids
                    ids, total = ids[keep], total[keep] + s[at[keep]]
                    continue
                there = np.zeros(self.size, dtype=np.float32)
                held = np.zeros(self.size, dtype=bool)
                there[other], held[other] = s, True
                keep = held[ids]
                ids = ids[keep]
                total = total[keep] + there[ids]
            if len(ids):
                found_ids.append(ids)
                found_scores.append(total * np.float32(boost))
        return self._sum(found_ids, found_scores)

    def _union(self, lists: list[np.ndarray]) -> tuple[np.ndarray | None, list]:
        """Where the records of sorted lists are summed: (the sorted ids of all of them, where each list's
        records stand in those) when they are few; when many, (None, the lists themselves), summed in
        arrays over every record, as sorting them would cost more than passes over all."""
        if len(lists) < 2:
            return (lists[0] if lists else np.empty(0, np.int32)), [slice(None)] * len(lists)
        if sum(map(len, lists)) * SPARSE_UNION < self.size:
            # a stable sort merges the sorted lists in about one pass (np.unique, and a bisection for
            # each record, cost several times as much)
            every = np.concatenate(lists)
            order = np.argsort(every, kind="stable")
            ranked = every[order]
            first = np.ones(len(ranked), dtype=bool)
            np.not_equal(ranked[1:], ranked[:-1], out=first[1:])
            at = np.empty(len(every), dtype=np.intp)
            at[order] = np.cumsum(first) - 1
            ends = np.cumsum([0, *map(len, lists)])
            return ranked[first], [at[a:b] for a, b in zip(ends, ends[1:])]
        return None, lists

    def _sum(self, lists: list[np.ndarray], scores: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(records, scores) of the records in any of the sorted lists, each one's scores summed in the
        order of the lists: a float32 sum that is the same to the last bit however the lists are."""
        ids, places = self._union(lists)
        total = np.zeros(self.size if ids is None else len(ids), dtype=np.float32)
        for at, s in zip(places, scores):
            _add(total, at, s)
        if ids is None:
            held = np.zeros(self.size, dtype=bool)
            for some in lists:
                held[some] = True
            ids = np.flatnonzero(held)
            total = total[ids]
        return ids, total

    def concept(self, concept: Concept) -> tuple[np.ndarray, np.ndarray]:
        """(records, scores) of the records holding the concept in any of its forms, their scores
        summed (as Whoosh's Or): sorted ids."""
        lists, scores = [], []
        for tokens, weight in concept.forms():
            ids, s = self._all_of(tokens, FIELDS)
            lists.append(ids)
            scores.append(s * np.float32(weight))
            tiles = segment.pieces(tokens[0])
            # the tiling counts only where the word itself is not indexed (the text split it
            # otherwise: 银行的贷款), and only when each tile is a word: 试用 and 期 are in most
            # clauses that never speak of 试用期
            if len(tokens) == 1 and len(tiles) > 1 and min(map(len, tiles)) > 1:
                tiled, ts = self._all_of(list(tiles), [("text_t", TILED_BOOST)])
                keep = ~np.isin(tiled, ids, assume_unique=True)
                lists.append(tiled[keep])
                scores.append(ts[keep])
        ids, score = self._sum(lists, scores)
        if concept.tags:
            which, values = concept.tags
            tagged = np.flatnonzero(self.records.bit_mask(which, list(values)))
            tagged = tagged[~np.isin(tagged, ids, assume_unique=True)]
            boost = np.float32(TAG_BOOST * self.idf(len(ids) + len(tagged)))
            ids, score = self._sum([ids, tagged], [score, np.full(len(tagged), boost, dtype=np.float32)])
        return ids, score

    def part(self, concept: Concept, ids: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(records, scores) of the records holding not the concept (its records `ids`) but the longest
        word inside the typed word (加班 of 加班费, 离职 of 离职证明): such a record answers part of what
        was asked."""
        sub = concept.subword()
        if not sub:
            return None, None
        found, s = self._all_of([sub], FIELDS)
        keep = ~np.isin(found, ids, assume_unique=True)
        return found[keep], s[keep] * np.float32(SUBWORD_BOOST)

    def match(self, parsed: ParsedQuery, allowed: np.ndarray, refine=None) -> Scored | None:
        """The allowed records holding any of the query's required concepts, with their score and
        cover (optional concepts add to the score only). refine(concept, ids, scores) narrows a quoted
        phrase's allowed records to the (ids, scores) it returns (to where its words stand in order)."""
        if not parsed.concepts:
            return None
        required = parsed.required
        # what each concept adds, in the query's order: its records, their scores, and its weight in
        # their cover (None: an optional concept, which adds to the score only)
        adds: list[tuple[np.ndarray, np.ndarray, np.float32 | None]] = []
        weights: list[float] = []
        for c in parsed.concepts:
            ids, s = self.concept(c)
            if refine is not None and c.phrase:
                keep = allowed[ids]
                ids, s = refine(c, ids[keep], s[keep])
            if c not in required:
                adds.append((ids, OPTIONAL_BOOST * s, None))
                continue
            factor = self.everyday_factor(c)
            weight = self.idf(len(ids)) * factor
            weights.append(weight)
            adds.append((ids, s if factor == 1.0 else s * np.float32(factor), np.float32(weight)))
            sub, ps = self.part(c, ids)
            if sub is not None:
                adds.append((sub, ps, np.float32(weight * SUBWORD_COVER)))
        ids, places = self._union([a[0] for a in adds])
        n = self.size if ids is None else len(ids)
        held = np.zeros(n, dtype=bool)
        score = np.zeros(n, dtype=np.float32)
        cover = np.zeros(n, dtype=np.float32)
        for (_, s, weight), at in zip(adds, places):
            _add(score, at, s)
            if weight is not None:
                held[at] = True
                _add(cover, at, weight)
        # the total summed in float32 as each record's cover was: a record holding every concept covers
        # exactly 1 (a float64 total can leave it at 0.99999994, and it would count as partial)
        cover /= sum(map(np.float32, weights), np.float32(0))
        np.minimum(cover, 1.0, out=cover)
        weights = dict(zip((c.word for c in required), weights))
        if ids is None:
            ids = np.flatnonzero(held & allowed)
            return Scored(ids, score[ids], cover[ids], weights)
        keep = held & allowed[ids]
        return Scored(ids[keep], score[keep], cover[keep], weights)

    # ------------------------------------------------------------ filters and facets

    def allowed(self, filters: dict[str, list[str]]) -> np.ndarray:
        """Live records passing every filter (values within one filter are alternatives; a bound has one)."""
        r = self.records
        mask = r.live.copy()
        for key, values in filters.items():
            f = BY_KEY[key]
            if f.tagged:
                passes = r.bit_mask(f.field, values)
                mask &= passes | (getattr(r, f.field) == 0) if f.untagged_match else passes
                continue
            if f.bound:
                # ISO days compare as text; a document without the date is outside any range
                dates = np.array(self.doc_values[key], dtype=str)
                docs = (dates >= values[0]) if f.bound == "from" else (dates <= values[0]) & (dates != "")
                mask &= docs[r.doc] if len(docs) else False
                continue
            wanted = set(values)
            docs = np.array([bool(wanted & set(v)) if isinstance(v, list) else v in wanted
                             for v in self.doc_values[key]], dtype=bool)
            mask &= docs[r.doc] if len(docs) else False
        return mask

    def facets(self, ids: np.ndarray) -> dict[str, dict[str, int]]:
        """Counts of each facet's values over the records (distinct ids)."""
        r = self.records
        out: dict[str, dict[str, int]] = {}
        per_doc = np.bincount(r.doc[ids], minlength=len(self.doc_list))
        for f in FACETS:
            if f.tagged:
                counts = r.bit_counts(f.field, ids)
                if f.untagged_match:
                    # what choosing a value would give: its tagged clauses and those naming none
                    untagged = int(np.count_nonzero(getattr(r, f.field)[ids] == 0))
                    counts = {v: counts.get(v, 0) + untagged for v in choices(f) if counts.get(v, 0) + untagged}
                out[f.facet] = counts
                continue
            docs, values, names = self.doc_facets[f.key]
            counts = np.bincount(values, weights=per_doc[docs], minlength=len(names))
            out[f.facet] = {names[v]: int(counts[v]) for v in np.flatnonzero(counts)}
        return out

    def dates(self, ids: np.ndarray) -> np.ndarray:
        """A sort key per record of ids: its document's date (ISO text ranks as it reads; a missing
        date first); records of the same date share it, so that their scores order them."""
        _, rank = np.unique(self.doc_dates, return_inverse=True)
        return rank.astype(np.float64)[self.records.doc[ids]]
