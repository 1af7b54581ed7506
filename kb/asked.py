"""The everyday questions recorded for clauses (asked.yaml): how people ask for what a clause answers.

A question's words often name the situation, not the clause's terms (辞职要提前几天说 for the clause on
an employee's notice); a clause whose recorded questions are like it is the likelier answer, even when
its text shares no word with it (kb/rank.py, kb/search.py). Questions are kept by document title and
clause (its label or path), so every version of a law shares them, and the LawRefBook laws, which are
not in policies/, have them as well.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import yaml

from .segment import normalise
from .taxonomy import SAFE_LOADER

ASKED_FILE = Path(__file__).with_name("asked.yaml")
NEAREST = 10        # clauses whose recorded questions are nearest a query, searched even when their text shares no word
NEAR = 0.2          # and how near (character pairs' Dice) their nearest question must be (both chosen on tune and dev)
LITERAL = 0.7       # the nearest question's Dice in a clause's likeness, against the share of concepts (tune, of 0.3–1.0)


@dataclass(frozen=True)
class Asked:
    """A clause's recorded questions: all their text, and each one's character pairs."""
    text: str
    pairs: tuple[frozenset[str], ...]


@lru_cache(maxsize=1024)      # a query's pairs are asked for by every clause re-ranked for it
def pairs(text: str) -> frozenset[str]:
    """The pairs of neighbouring letters and characters in a text (spaces and punctuation left out)."""
    kept = [ch for ch in text if ch.isalnum()]
    return frozenset(a + b for a, b in zip(kept, kept[1:]))


@cache
def _table() -> dict[tuple[str, str], Asked]:
    entries = yaml.load(ASKED_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or []
    table = {}
    for e in entries:
        questions = [normalise(q) for q in e["asked"]]
        table[(e["title"], e["clause"])] = Asked(" ".join(questions), tuple(map(pairs, questions)))
    return table


@cache
def _by_pair() -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The clauses (in order), where each one's questions start, each question's number of pairs, and
    each pair's questions: every recorded question, a clause's side by side."""
    keys, starts, sizes, index = sorted(_table()), [], [], defaultdict(list)
    for key in keys:
        starts.append(len(sizes))
        for p in _table()[key].pairs:
            for pair in p:
                index[pair].append(len(sizes))
            sizes.append(len(p))
    return (keys, np.array(starts, dtype=np.intp), np.array(sizes, dtype=np.float64),
            {pair: np.array(qs, dtype=np.intp) for pair, qs in index.items()})


def nearest(typed: frozenset[str]) -> list[tuple[str, str]]:
    """(title, clause) of the clauses whose nearest recorded question is most like the query, nearest
    first: at most NEAREST, each at least NEAR alike."""
    keys, starts, sizes, index = _by_pair()
    found = [index[pair] for pair in typed if pair in index]
    if not found:
        return []
    shared = np.bincount(np.concatenate(found), minlength=len(sizes))
    best = np.maximum.reduceat(2 * shared / (len(typed) + sizes), starts)
    order = np.lexsort((np.arange(len(keys)), -best))[:NEAREST]
    return [keys[i] for i in order if best[i] >= NEAR]


def titles() -> set[str]:
    """The documents with recorded questions."""
    return {title for title, _ in _table()}


def key_of(title: str, label: str, path: str) -> tuple[str, str] | None:
    """(title, clause) that a clause's questions are recorded under, by its label or else its path
    (None: none are)."""
    table = _table()
    return next((key for key in ((title, label), (title, path)) if key in table), None)


def of(title: str, label: str, path: str) -> Asked | None:
    """The questions recorded for a clause (None: none are)."""
    key = key_of(title, label, path)
    return _table()[key] if key else None


def likeness(asked: Asked, typed: frozenset[str], held: float) -> float:
    """How like the clause's recorded questions a query is, 0 to 1: a weighted mean of the share of its
    concepts they hold (`held`, weighted as the cover is) and of its character pairs' overlap with the
    nearest question (Dice, weight LITERAL), which still sees 小公司社保能不交吗 near 小微企业社保能免吗
    where words differ."""
    nearest = max((2 * len(typed & p) / (len(typed) + len(p)) for p in asked.pairs if p), default=0.0) if typed else 0.0
    return (1 - LITERAL) * held + LITERAL * nearest
