"""One opened build's index, as everything above the engine sees it.

A record id is the engine's number for one record (a clause or a whole document) of the build:
kb/search.py, kb/browse.py, kb/periods.py and kb/library.py pass record ids back and read a record
through `record`, and never look inside. Whoosh numbers records across its segments, and the
numbers of a build never change, so they serve as the ids.

match() is the search: the records a parsed query matches, filtered, ranked by their text score (or
by date), the best k of them with their scores, how many are shown in all, and their facets.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from ..filters import BY_KEY
from ..query import FIELDS, Concept, ParsedQuery
from . import records as record_arrays
from .scoring import Scorer, top

NO_DAY = -1              # a span's end not recorded


@dataclass
class Matches:
    """What a query matched: the best k record ids, best first, with their text scores."""
    ids: list[int]
    scores: list[float]
    total: int                     # records shown in all (the best k are the first of them)
    relaxed: bool                  # none holds every concept: those holding most of the query are shown
    weights: dict[str, float]      # each required concept's weight in how much of the query a record covers
    facets: dict[str, dict[str, int]]
    also: list[int]                # records asked for besides the best (among them or not), to be re-ranked with them
    also_score: float              # their text score


class Selection:
    """Records chosen by what the engine does not know (the periods of kb/periods.py), to narrow a match."""

    def __init__(self, mask: np.ndarray):
        self.mask = mask


class Spans:
    """A first and last day for each record (either may be unrecorded), to select those running on a day."""

    def __init__(self, begin: np.ndarray, end: np.ndarray):
        self.begin, self.end = begin, end

    def covering(self, day: dt.date) -> Selection:
        """The records not known to be out of their span on `day` (those of unknown span are kept)."""
        d = day.toordinal()
        return Selection(~(((self.begin != NO_DAY) & (d < self.begin)) | ((self.end != NO_DAY) & (d > self.end))))


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day else NO_DAY


class Index:
    """The index of one build: opened at once, its arrays loaded on the first search (a listing of
    documents needs none). Shared by the threads of a process; each reads through its own reader."""

    def __init__(self, folder: Path, docs: dict[str, dict], postings_cache: int, doc_weights: list[float] | None = None):
        """doc_weights: a weight per document of the catalog, in its order (what the catalog knows of
        it: its kind, its region), by which its records' text scores are multiplied to choose the k
        best, so that the ones re-ranked are not all from documents that re-ranking would put last."""
        self.folder = Path(folder)
        self.docs = docs
        self.doc_weights = np.asarray(doc_weights if doc_weights is not None else [1.0] * len(docs), dtype=np.float32)
        self._record_weights: np.ndarray | None = None
        self.ix = whoosh_index.open_dir(str(folder))
        self.postings_cache = postings_cache
        self.local = threading.local()
        self._scorer: Scorer | None = None
        self._lock = threading.Lock()

    def scorer(self) -> Scorer:
        if self._scorer is None:
            with self._lock:
                if self._scorer is None:
                    reader = self.ix.reader()
                    records = record_arrays.load(reader, self.folder, list(self.docs))
                    self._record_weights = self.doc_weights[records.doc] if len(self.doc_weights) else \
                        np.ones(len(records), dtype=np.float32)
                    self._scorer = Scorer(reader, records, self.docs, self.postings_cache)
        return self._scorer

    def reader(self):
        """This thread's Whoosh reader (Whoosh reads its files by seeking: one per thread)."""
        r = getattr(self.local, "reader", None)
        if r is None:
            r = self.local.reader = self.ix.reader()
        return r

    def record(self, record_id: int) -> dict:
        """A record's stored fields: doc_id, kind, path, label, heading, text, ord, areas, enterprise."""
        return self.reader().stored_fields(record_id)

    # ------------------------------------------------------------ words

    def holds(self, concept: Concept) -> bool:
        return self.scorer().holds(concept)

    def rough_weight(self, concept: Concept) -> float:
        return self.scorer().rough_weight(concept)

    def frequency(self, word: str) -> int:
        """How many live records hold a word in their text."""
        return self.scorer().frequency(word)

    def token_frequency(self, word: str) -> int:
        """About how many records hold the word as one word (not only as its characters)."""
        return self.scorer().token_frequency(word)

    def together(self, words: list[str]) -> int:
        """How many live records hold every one of the words (anywhere in one field)."""
        scorer = self.scorer()
        ids, _ = scorer._all_of(words, FIELDS)
        return int(np.count_nonzero(scorer.records.live[ids]))

    def words_starting(self, prefix: str) -> dict[str, int]:
        """Every word of the records' text beginning with prefix, and how many records hold it."""
        reader = self.reader()
        found = {}
        for term in reader.expand_prefix("text_t", prefix):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            found[term] = reader.doc_frequency("text_t", term)
        return found

    # ------------------------------------------------------------ searching

    def match(self, parsed: ParsedQuery, filters: dict[str, list[str]], k: int, sort: str = "relevance",
              within: Selection | None = None, facets: bool = False,
              refine: Callable[[Concept, Callable[[int], list[int]]], list[int] | None] | None = None,
              also: list[int] = (), depth: int | None = None) -> Matches:
        """The records holding the query's concepts and passing the filters (and `within`). Those
        holding every concept are shown; when fewer than `depth` do (k when not given), those holding
        part of the query follow. Ranked by text score times cover squared, or by date (those holding
        everything first), the best k are returned; `also` names records that pass the filters and
        are not among the best `depth`, at the score of the depth-th. So the first `depth` and
        the records also brings are the same whatever k a page asks for. refine(concept, best)
        narrows a quoted phrase's records to the ids it returns (None: all of them); best(n) gives
        the n best scored of them."""
        depth = k if depth is None else depth
        scorer = self.scorer()
        allowed = scorer.allowed(filters)
        if within is not None:
            allowed &= within.mask

        def narrowed(concept: Concept, ids: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            kept = refine(concept, lambda n: ids[top(score, n)].tolist())
            if kept is None:
                return ids, score
            keep = np.isin(ids, kept)
            return ids[keep], score[keep]

        # the arrays of matched are over the matching records alone (their ids)
        matched = scorer.match(parsed, allowed, narrowed if refine else None)
        full = matched.cover >= 1.0
        # too few records have every concept: all holding part of the question follow (the cover
        # squared ranks them). Keeping only those near the best cover let a rare word's chance
        # matches (花名册 in a conscription rule) shut out the clauses with the question's main concept
        partial = int(np.count_nonzero(full)) < depth
        relaxed = partial and not full.any() and len(full) > 0
        if sort == "date":
            # by date, the records holding everything first; the partial ones only after them
            dates = scorer.dates(matched.ids)
            best = top(matched.score, k, full, dates)
            if partial:
                best = np.concatenate([best, top(matched.score, k, ~full, dates)])[:k]
        else:
            best = top(matched.score * matched.cover ** 2 * self._record_weights[matched.ids], k, None if partial else full)
        shown = matched.ids if partial else matched.ids[full]
        ids, scores = matched.ids[best].tolist(), matched.score[best].tolist()
        head = set(ids[:depth])
        extra = [n for n in dict.fromkeys(also) if allowed[n] and n not in head]
        listed = np.union1d(shown, extra).astype(matched.ids.dtype)
        return Matches(ids, scores, len(listed), relaxed, matched.weights,
                       scorer.facets(listed) if facets else {},
                       extra, scores[min(depth, len(scores)) - 1] if scores else 0.0)

    # ------------------------------------------------------------ listing

    def clause_records(self, doc_ids: Iterable[str]) -> list[tuple[int, str, str, str]]:
        """(record, doc id, path, label) of the live clause records of some documents."""
        r = self.scorer().records
        where = {d: i for i, d in enumerate(self.docs)}
        wanted = np.isin(r.doc, [where[d] for d in doc_ids if d in where]) & r.clause & r.live
        return [(n, (f := self.record(n))["doc_id"], f["path"], f["label"]) for n in np.flatnonzero(wanted).tolist()]

    def clauses(self, filters: dict[str, list[str]]) -> list[int]:
        """The clause records passing the filters (document records left out)."""
        scorer = self.scorer()
        return np.flatnonzero(scorer.allowed(filters) & scorer.records.clause).tolist()

    def clause_counts(self, key: str) -> dict[str, int]:
        """How many clause records carry each tag of a tagged filter (area, enterprise)."""
        r = self.scorer().records
        return r.bit_counts(BY_KEY[key].field, r.live & r.clause)

    def spans(self, documents: dict[str, tuple[tuple[dt.date | None, dt.date | None], tuple[dt.date | None, dt.date | None]]],
              clauses: dict[tuple[str, str], tuple[dt.date | None, dt.date | None]]) -> Spans:
        """Each record's (first day, last day): a clause's from `clauses` by (doc id, path), else the
        first pair of its document's entry in `documents` (every document of the build); a document
        record's, the second pair."""
        r = self.scorer().records
        doc_ids = list(self.docs)

        def column(pick) -> np.ndarray:
            return np.array([_ordinal(pick(documents[d])) for d in doc_ids] + [0], dtype=np.int64)[r.doc]

        begin = np.where(r.clause, column(lambda e: e[0][0]), column(lambda e: e[1][0]))
        end = np.where(r.clause, column(lambda e: e[0][1]), column(lambda e: e[1][1]))
        for n, doc_id, path, _ in self.clause_records({d for d, _ in clauses}):
            first, last = clauses[(doc_id, path)]
            begin[n], end[n] = _ordinal(first), _ordinal(last)
        return Spans(begin, end)
