"""A term's postings read from Whoosh's own files as arrays (document numbers, frequencies), so that
the query engine scores whole posting lists with numpy instead of stepping Whoosh's matchers one
document at a time in Python.

This reads Whoosh's block format below its matcher API (whoosh-ng is pinned exactly, and
tests/test_engine.py checks these arrays against Whoosh's matchers on a real index).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import TermNotFound

ENTRY_COST = 64                 # what an entry costs beyond its postings, counted as postings: an absent word costs too


def _block_arrays(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    m._read_data()
    ids, weights = m._data[0], m._data[1]
    ids = np.asarray(ids, dtype=np.int32) if m._byteids else np.cumsum(np.asarray(ids, dtype=np.int32), dtype=np.int32)
    if weights is None:
        weights = np.ones(len(ids), dtype=np.float32)
    elif isinstance(weights, float):
        weights = np.full(len(ids), weights, dtype=np.float32)
    else:
        weights = np.asarray(weights, dtype=np.float32)
    return ids, weights


def _leaf(leaf, field: str, term: str) -> tuple[list[np.ndarray], list[np.ndarray]]:
    terms = leaf._terms
    try:
        info = terms.term_info(field, leaf._text_to_bytes(field, term))
    except TermNotFound:
        return [], []
    if info.is_inlined():                   # a short list Whoosh keeps in the term's own entry
        ids, weights, _ = info.inlined_postings()
        return [np.asarray(ids, dtype=np.int32)], [np.asarray(weights, dtype=np.float32)]
    # the whole list in one read, then its blocks unpacked from memory (not a read per block)
    offset, length = info.extent()
    if isinstance(length, tuple):          # whoosh-ng 5.4.0 reads the length back as a 1-tuple
        length = length[0]
    m = W3LeafMatcher(BufferFile(terms._postfile.get(offset, length)), 0, length, leaf.schema[field].format)
    ids, weights = [], []
    while True:
        i, w = _block_arrays(m)
        ids.append(i)
        weights.append(w)
        if m._lastblock:
            return ids, weights
        m._goto(m._nextoffset)


class Postings:
    """Decoded posting lists of one opened build, as (document numbers, weights), shared by its
    threads; the least recently used are dropped past `capacity` postings (kb/limits.py Settings)."""

    def __init__(self, reader, capacity: int):
        self.reader = reader
        self.capacity = capacity
        self.leaves = reader.leaf_readers()
        self.lock = threading.Lock()
        self.cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self.size = 0

    def get(self, field: str, term: str, weigh) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers ascending, weigh(field, ids, frequencies)) of a term; empty when absent.
        The weights (the engine's scores, fixed for a build) are kept instead of the frequencies."""
        key = (field, term)
        with self.lock:
            found = self.cache.get(key)
            if found is not None:
                self.cache.move_to_end(key)
                return found
            ids, weights = [], []
            # Whoosh's files are read by seeking, so one thread reads at a time
            for leaf, offset in self.leaves:
                i, w = _leaf(leaf, field, term)
                ids.extend(x + offset for x in i)
                weights.extend(w)
            ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
            tf = np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32)
            found = self.cache[key] = (ids, weigh(field, ids, tf))
            self.size += len(ids) + ENTRY_COST
            while self.size > self.capacity and len(self.cache) > 1:
                _, (old, _) = self.cache.popitem(last=False)
                self.size -= len(old) + ENTRY_COST
            return found

    def frequency(self, field: str, term: str) -> int:
        """How many records hold a term (deleted ones too), from its term entries: nothing decoded."""
        key = (field, term)
        with self.lock:
            found = self.cache.get(key)
            if found is not None:
                return len(found[0])
            total = 0
            for leaf, _ in self.leaves:
                try:
                    total += leaf._terms.term_info(field, leaf._text_to_bytes(field, term)).doc_frequency()
                except TermNotFound:
                    pass
            return total
