"""How common a word is in general Chinese: the counts in jieba's own dictionary (dict.txt, about
60 million words of general text), for the words common enough to matter.

A question's colloquial words (这样, 明天, 说) are rare in policies and laws, so the index alone
would weigh them as the most distinctive words of the question; compared with how common they
are in general Chinese they show as how people talk, not what they ask about (kb/engine/scoring.py).
"""
from __future__ import annotations

import importlib.util
import math
from functools import cache
from pathlib import Path

COMMON = 300          # a word counted fewer times than this in the dictionary is not commonplace
WORD_ALONE = 20_000   # a character counted this often is a word by itself (不, 给, 只, 去), not a piece of one


def load() -> None:
    """Read the counts now (about 0.15 s), so that no query pays for it."""
    _counts()


@cache
def _counts() -> tuple[dict[str, int], int]:
    spec = importlib.util.find_spec("jieba")
    path = Path(spec.origin).with_name("dict.txt")
    counts, total = {}, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, count, _ = line.split(" ", 2)
            n = int(count)
            total += n
            if n >= COMMON:
                counts[word] = n
    return counts, total


def word_alone(char: str) -> bool:
    """Whether a character is commonly a word by itself: 只 and 够 of 钱只够 are, 竞 of 竞业 is not."""
    return _counts()[0].get(char, 0) >= WORD_ALONE


def share(word: str) -> float:
    """The word's share of general text; 0 for a word not commonplace."""
    counts, total = _counts()
    return counts.get(word, 0) / total


def everyday_factor(word: str, index_share: float, span: float = 3.0, floor: float = 0.3) -> float:
    """1 for a word as common in the documents as in general text or more; down to `floor` for one
    `span` orders of magnitude rarer there (这样 in laws)."""
    general = share(word)
    if not general or index_share <= 0:
        return 1.0
    return min(1.0, max(floor, 1 + math.log10(index_share / general) / span))
