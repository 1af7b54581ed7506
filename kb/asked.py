"""The everyday questions recorded for clauses (asked.yaml): how people ask for what a clause answers.

A question's words often name the situation, not the clause's terms (辞职要提前几天说 for the clause on
an employee's notice); a clause whose recorded questions are like it is the likelier answer, even when
its text shares no word with it (kb/rank.py, kb/search.py). Questions are kept by document title and clause (its label or path), so every version of
a law shares them, and the LawRefBook laws, which are not in policies/, have them as well.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .segment import normalise
from .taxonomy import SAFE_LOADER

ASKED_FILE = Path(__file__).with_name("asked.yaml")
NEAREST = 5         # clauses whose recorded questions are nearest a query, searched even when their text shares no word
NEAR = 0.3          # and how near (character pairs' Dice) their nearest question must be


@dataclass(frozen=True)
class Asked:
    """A clause's recorded questions: all their text, and each one's character pairs."""
    text: str
    pairs: tuple[frozenset[str], ...]


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
def _by_pair() -> tuple[list[tuple[tuple[str, str], int]], dict[str, list[int]]]:
    """Every recorded question as (its clause, its number of pairs), and each pair's questions."""
    questions, index = [], defaultdict(list)
    for key, asked in _table().items():
        for p in asked.pairs:
            for pair in p:
                index[pair].append(len(questions))
            questions.append((key, len(p)))
    return questions, index


def nearest(typed: frozenset[str]) -> list[tuple[str, str]]:
    """(title, clause) of the clauses whose nearest recorded question is most like the query, nearest
    first: at most NEAREST, each at least NEAR alike."""
    questions, index = _by_pair()
    shared = Counter(q for pair in typed for q in index.get(pair, ()))
    best: dict[tuple[str, str], float] = {}
    for q, n in shared.items():
        key, size = questions[q]
        best[key] = max(best.get(key, 0.0), 2 * n / (len(typed) + size))
    return [key for key, dice in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:NEAREST] if dice >= NEAR]


def keys() -> list[tuple[str, str]]:
    """(title, clause) of every clause with recorded questions."""
    return list(_table())


def of(title: str, label: str, path: str) -> Asked | None:
    """The questions recorded for a clause (None: none are)."""
    table = _table()
    return table.get((title, label)) or table.get((title, path))


def likeness(asked: Asked, typed: frozenset[str], held: float) -> float:
    """How like the clause's recorded questions a query is, 0 to 1: the mean of the share of its concepts
    they hold (`held`, weighted as the cover is) and of its character pairs' overlap with the nearest
    question (Dice), which still sees 小公司社保能不交吗 near 小微企业社保能免吗 where words differ."""
    nearest = max((2 * len(typed & p) / (len(typed) + len(p)) for p in asked.pairs if p), default=0.0) if typed else 0.0
    return (held + nearest) / 2
